//! `/cases/{crn}/sfo/new`: recording that the person was charged with a serious offence — the
//! offence (from the qualifying list), when it was committed, when they were charged, when
//! probation learned of it, and the court or police reference. The domain decides whether it is
//! a serious further offence (committed under supervision or within 28 days after); one that is
//! not is refused on the field that decides it, and nothing is written. Anyone who may work on
//! the case may record one; only those who may read SFO cases are then taken to it.

use crate::cases::access::{open_case_for, Need};
use crate::cases::details::{choices, optional_date};
use crate::cases::editing::{date_fields, FormState};
use crate::error::AppError;
use crate::forms::{self, FieldError, FormFields, Posted, Submission};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use keepsafe_domain::access::{decide, Action};
use keepsafe_domain::sfo::{Charge, ChargeDraft, QualifyingOffence, SfoRules, SupervisedPeriod};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::sfo::cases as sfo_cases;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "sfo/charge_form.html")]
struct ChargePage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
    offences: Vec<(String, String)>,
    recorded: bool,
    days_after: i64,
}

/// The query after a charge was recorded by someone who may not read SFO cases.
#[derive(Debug, Default, Deserialize)]
pub struct RecordedQuery {
    recorded: Option<String>,
}

fn page(
    user: &CurrentUser,
    heading: (String, String),
    fields: FormFields,
    errors: Vec<FieldError>,
    recorded: bool,
) -> ChargePage {
    ChargePage {
        chrome: Chrome::for_form(user, "Record a charge for a serious offence", &errors, ""),
        errors: errors.clone(),
        form: FormState::new(user, heading, fields, errors),
        offences: choices::<QualifyingOffence>(),
        recorded,
        days_after: SfoRules::default().days_after_supervision,
    }
}

/// `GET /cases/{crn}/sfo/new`.
pub async fn form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Query(query): Query<RecordedQuery>,
) -> Result<Response, AppError> {
    let heading = open_case_for(
        &state,
        &user,
        &crn,
        "view_sfo_charge_form",
        Need::Work,
        |conn, case| Ok(case_record::heading(conn, case.person_id)?),
    )
    .await?;
    let today = state.clock.today();
    let mut pairs = date_fields("known", Some(today));
    pairs.extend(date_fields("committed", None));
    pairs.extend(date_fields("charged", None));
    let recorded = query.recorded.as_deref() == Some("yes");
    Ok(render(&page(
        &user,
        heading,
        FormFields(pairs),
        Vec::new(),
        recorded,
    ))?
    .into_response())
}

/// Reads the form into a draft (a date that is not a date is an error here), then checks it.
fn read(
    fields: &FormFields,
    periods: &[SupervisedPeriod],
    today: NaiveDate,
) -> Result<Charge, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut unreadable = Vec::new();
    let mut date = |name: &'static str, label: &str| match optional_date(fields, name, label) {
        Ok(date) => date,
        Err(error) => {
            errors.push(error);
            unreadable.push(format!("{name}-day"));
            None
        }
    };
    let committed_on = date("committed", "the date the offence was committed");
    let charged_on = date("charged", "the date the person was charged");
    let known_on = date("known", "the date probation learned of the charge");
    let draft = ChargeDraft {
        offence: QualifyingOffence::parse(fields.get("offence")).ok(),
        committed_on,
        charged_on,
        known_on,
        reference: fields.get("reference").to_owned(),
    };
    let found = match draft.check(periods, today, &SfoRules::default()) {
        Ok(charge) if errors.is_empty() => return Ok(charge),
        Ok(_) => Vec::new(),
        Err(found) => found,
    };
    for error in found {
        // A date already refused as unreadable is not refused again as missing.
        if !unreadable.iter().any(|field| field == error.field()) {
            errors.push(FieldError::new(error.field(), error.to_string()));
        }
    }
    Err(errors)
}

/// `POST /cases/{crn}/sfo/new`.
pub async fn record(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let today = state.clock.today();
    let actor = user.account.actor();
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "record_sfo_charge",
        Need::Work,
        move |conn, case| {
            let heading = case_record::heading(conn, case.person_id)?;
            let periods = sfo_cases::supervised_periods(conn, case.person_id)?;
            let charge = match read(&posted, &periods, today) {
                Ok(charge) => charge,
                Err(errors) => return Ok(Submission::Refused((heading, errors))),
            };
            let now = state.clock.now();
            let id = sfo_cases::record_charge(conn, case.person_id, &charge, posted.by, now)?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "record_sfo_charge",
                    case,
                    format!(
                        "SFO {id}: charge with {} committed {}, charged {}, notification due {}",
                        charge.offence.code(),
                        charge.committed_on,
                        charge.charged_on,
                        charge.notification_due
                    ),
                ),
                now,
            )?;
            // Whoever may read it goes to it; the practitioner is told it was recorded.
            let may_read = decide(
                &actor,
                Action::ViewSfo {
                    case: &case.location,
                    reviewer: None,
                },
            )
            .is_allowed();
            Ok(Submission::Saved(if may_read {
                format!("/sfo/{id}?recorded=charge")
            } else {
                format!("/cases/{}/sfo/new?recorded=yes", case.crn)
            }))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |to: String| Redirect::to(&to),
        |(heading, errors)| page(&user, heading, fields, errors, false),
    )
}
