//! `GET/POST /cases/{crn}/changes`: recording a change in circumstances, which creates a "review
//! the risk assessment" task due within the working days the review rules set.

use crate::cases::access::{open_case_for, Need};
use crate::error::AppError;
use crate::format;
use crate::forms::{FieldError, FormFields, TypedDate};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keepsafe_domain::review::{ReviewRules, ReviewTrigger};
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry};
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
    let error_for = |field: &str| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    };
    let title = if errors.is_empty() {
        "Record a change in circumstances"
    } else {
        "Error: Record a change in circumstances"
    };
    ChangePage {
        chrome: Chrome::for_user(user, title, ""),
        csrf_token: user.csrf_token.clone(),
        name,
        crn,
        triggers: ReviewTrigger::ALL
            .iter()
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
    let (name, crn) = open_case_for(
        &state,
        &user,
        &crn,
        "view_changes",
        Need::Work,
        |conn, case| Ok(case_record::heading(conn, case.person_id)?),
    )
    .await?;
    Ok(render(&page(&user, name, crn, &FormFields::default(), Vec::new()))?.into_response())
}

/// `POST /cases/{crn}/changes`.
pub async fn record(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let by = user.account.id;
    let actor_name = user.audit_name();
    let submitted = fields.clone();
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "record_change",
        Need::Work,
        move |conn, case| {
            let (name, crn) = case_record::heading(conn, case.person_id)?;
            let today = state.clock.today();
            let mut errors = Vec::new();
            let trigger = ReviewTrigger::parse(fields.get("trigger"))
                .map_err(|_| errors.push(FieldError::new("trigger", "Select what changed")))
                .ok();
            let occurred = match fields.date("occurred", "the date it happened") {
                Ok(date) if date > today => {
                    errors.push(FieldError::new(
                        "occurred-day",
                        "The date it happened cannot be in the future",
                    ));
                    None
                }
                Ok(date) => Some(date),
                Err(error) => {
                    errors.push(error);
                    None
                }
            };
            let details = match LongText::required(fields.get("details")) {
                Ok(details) => Some(details),
                Err(error) => {
                    errors.push(FieldError::new("details", format!("Details: {error}")));
                    None
                }
            };
            let (Some(trigger), Some(occurred), Some(details)) = (trigger, occurred, details)
            else {
                return Ok(Err((name, crn, errors)));
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
                    created_by: Some(by),
                },
                now,
            )?;
            audit::record(
                conn,
                &AuditEntry::on_case(
                    by,
                    actor_name,
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
            Ok(Ok(crn))
        },
    )
    .await?;
    match outcome {
        Ok(crn) => Ok(Redirect::to(&format!("/cases/{crn}/risk#reviews")).into_response()),
        Err((name, crn, errors)) => {
            let mut response = render(&page(&user, name, crn, &submitted, errors))?.into_response();
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}
