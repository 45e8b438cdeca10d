//! `GET/POST /cases/{crn}/changes`: recording a change in circumstances, which creates a "review
//! the risk assessment" task due within the working days the review rules set.

use crate::cases::access::{open_case_for, Need};
use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission, TypedDate, Validation};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use keepsafe_domain::review::{ReviewRules, ReviewTrigger};
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::cases::tasks::{self, NewTask};

#[derive(Template)]
#[template(path = "risk/change.html")]
struct ChangePage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    triggers: Vec<(String, String, String, bool)>,
    errors: Vec<FieldError>,
    date: TypedDate,
    details: String,
    trigger_error: Option<String>,
    date_error: Option<String>,
    details_error: Option<String>,
    rules: String,
}

fn page(
    user: &CurrentUser,
    name: String,
    crn: String,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> ChangePage {
    let rules = ReviewRules::default();
    let chosen = fields.get("trigger");
    let error_for = |field: &str| forms::message_for(&errors, field);
    ChangePage {
        chrome: Chrome::for_form(user, "Record a change in circumstances", &errors, ""),
        csrf_token: user.csrf_token.clone(),
        name,
        crn,
        triggers: ReviewTrigger::ALL
            .iter()
            .filter(|t| !is_record_edit(**t))
            .map(|t| {
                (
                    t.code().to_owned(),
                    t.label().to_owned(),
                    format!("Review due within {} working days", rules.working_days(*t)),
                    t.code() == chosen,
                )
            })
            .collect(),
        trigger_error: error_for("trigger"),
        date_error: error_for("occurred-day"),
        details_error: error_for("details"),
        errors,
        date: fields.typed_date("occurred"),
        details: fields.get("details").chars().take(12_000).collect(),
        rules: rules.version.to_owned(),
    }
}

/// `GET /cases/{crn}/changes`.
pub async fn form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let (name, crn) =
        crate::cases::access::heading_for_work(&state, &user, &crn, "view_changes").await?;
    Ok(render(&page(&user, name, crn, &FormFields::default(), Vec::new()))?.into_response())
}

/// Changes that are edits of the record, made on the addresses and household pages, whose own
/// consequences create the review task (and offer the checks again): this page is for what the
/// record does not hold, such as an arrest or information from a partner agency.
fn is_record_edit(trigger: ReviewTrigger) -> bool {
    matches!(
        trigger,
        ReviewTrigger::AddressChange | ReviewTrigger::HouseholdChange
    )
}

/// Reads the form: what changed, when (not in the future) and the details.
fn read_change(
    fields: &FormFields,
    today: NaiveDate,
) -> Result<(ReviewTrigger, NaiveDate, LongText), Vec<FieldError>> {
    let mut validation = Validation::default();
    let trigger = validation.required(
        ReviewTrigger::parse(fields.get("trigger"))
            .ok()
            .filter(|t| !is_record_edit(*t)),
        "trigger",
        "Select what changed",
    );
    let occurred = validation.field(fields.date("occurred", "the date it happened").and_then(
        |date| {
            if date > today {
                Err(FieldError::new(
                    "occurred-day",
                    "The date it happened cannot be in the future",
                ))
            } else {
                Ok(date)
            }
        },
    ));
    let details = validation.field(
        LongText::required(fields.get("details"))
            .map_err(|error| FieldError::new("details", format!("Details: {error}"))),
    );
    validation.finish(|| Some((trigger?, occurred?, details?)))
}

/// `POST /cases/{crn}/changes`.
pub async fn record(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "record_change",
        Need::Work,
        move |conn, case| {
            let (name, crn) = case_record::heading(conn, case.person_id)?;
            let (trigger, occurred, details) = match read_change(&posted, state.clock.today()) {
                Ok(change) => change,
                Err(errors) => return Ok(Submission::Refused((name, crn, errors))),
            };
            let rules = ReviewRules::default();
            let now = state.clock.now();
            let due_on = rules.due(trigger, occurred);
            tasks::create(
                conn,
                &NewTask {
                    person_id: case.person_id,
                    trigger,
                    occurred_on: occurred,
                    details: details.as_str().to_owned(),
                    due_on,
                    rule_version: rules.version.to_owned(),
                    created_by: Some(posted.by),
                },
                now,
            )?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "record_change",
                    case,
                    format!(
                        "{}; review due {}",
                        trigger.code(),
                        format::short_date(due_on)
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved(crn))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn| Redirect::to(&format!("/cases/{crn}/risk#reviews")),
        |(name, crn, errors)| page(&user, name, crn, &fields, errors),
    )
}
