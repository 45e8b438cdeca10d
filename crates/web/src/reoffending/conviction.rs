//! `/cases/{crn}/reoffending/new`: recording a conviction for an offence committed after
//! supervision began — a fine, a discharge, or a sentence that did not bring the person back to
//! probation — against the sentence whose follow-up it falls in. One transaction: the check, the
//! row and the audit entry.

use super::case::event_label;
use crate::cases::access::{open_case_for, Need};
use crate::cases::details::{choices, optional_date};
use crate::cases::editing::FormState;
use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use keepsafe_domain::event::OffenceCategory;
use keepsafe_domain::reoffending::{check_conviction, ConvictionForm, NewConviction};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::reoffending::convictions::{self, EventForFollowUp};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "reoffending/conviction_form.html")]
struct ConvictionPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
    events: Vec<(String, String)>,
    categories: Vec<(String, String)>,
}

/// The sentences a conviction can be recorded against: those whose follow-up has started, newest
/// first, each with when it started.
fn event_choices(events: &[EventForFollowUp], today: NaiveDate) -> Vec<(String, String)> {
    events
        .iter()
        .rev()
        .filter_map(|event| {
            let start = event.supervised.follow_up_start(today)?;
            Some((
                event.id.to_string(),
                format!(
                    "{}, follow-up from {}",
                    event_label(event),
                    format::date(start)
                ),
            ))
        })
        .collect()
}

fn page(
    user: &CurrentUser,
    heading: (String, String),
    events: &[EventForFollowUp],
    fields: FormFields,
    errors: Vec<FieldError>,
    today: NaiveDate,
) -> ConvictionPage {
    ConvictionPage {
        chrome: Chrome::for_form(user, "Record a conviction", &errors, ""),
        errors: errors.clone(),
        form: FormState::new(user, heading, fields, errors),
        events: event_choices(events, today),
        categories: choices::<OffenceCategory>(),
    }
}

/// `GET /cases/{crn}/reoffending/new`.
pub async fn form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let (heading, events) = open_case_for(
        &state,
        &user,
        &crn,
        "view_conviction_form",
        Need::Work,
        |conn, case| {
            Ok((
                case_record::heading(conn, case.person_id)?,
                convictions::events_for(conn, case.person_id)?,
            ))
        },
    )
    .await?;
    // With one sentence to choose, it is chosen.
    let choices = event_choices(&events, today);
    let mut fields = Vec::new();
    if let [(only, _)] = choices.as_slice() {
        fields.push(("event".to_owned(), only.clone()));
    }
    let page = page(
        &user,
        heading,
        &events,
        FormFields(fields),
        Vec::new(),
        today,
    );
    Ok(render(&page)?.into_response())
}

/// Reads and checks the form: the sentence chosen, and the conviction.
fn read(
    fields: &FormFields,
    events: &[EventForFollowUp],
    today: NaiveDate,
) -> Result<(Uuid, NewConviction), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut date = |name: &str, label: &str| match optional_date(fields, name, label) {
        Ok(Some(date)) => Some(date),
        Ok(None) => {
            errors.push(FieldError::new(
                format!("{name}-day"),
                format!("Enter {label}"),
            ));
            None
        }
        Err(error) => {
            errors.push(error);
            None
        }
    };
    let offence_on = date("offence_on", "the date the offence was committed");
    let convicted_on = date("convicted_on", "the date of conviction");
    let chosen = Uuid::parse_str(fields.get("event"))
        .ok()
        .and_then(|id| events.iter().find(|event| event.id == id));
    if chosen.is_none() {
        errors.push(FieldError::new(
            "event",
            "Select the sentence the conviction followed",
        ));
    }
    let form = ConvictionForm {
        offence: fields.get("offence"),
        offence_category: fields.get("offence_category"),
        offence_on,
        convicted_on,
        court: fields.get("court"),
    };
    let start = chosen.and_then(|event| event.supervised.follow_up_start(today));
    let why = chosen.map_or("", |event| event.supervised.why_not_started());
    let checked = match chosen {
        Some(_) => check_conviction(&form, start, why, today),
        // Without a sentence there is no start to check the offence against; check the rest.
        None => check_conviction(&form, Some(NaiveDate::MIN), "", today),
    };
    let checked = match (checked, chosen) {
        (Ok(conviction), Some(event)) if errors.is_empty() => return Ok((event.id, conviction)),
        (Ok(_), _) => Vec::new(),
        (Err(problems), _) => problems,
    };
    for problem in checked {
        let field = match problem.field {
            "offence_on" | "convicted_on" => format!("{}-day", problem.field),
            other => other.to_owned(),
        };
        errors.push(FieldError::new(field, problem.message));
    }
    // The summary lists the problems in the order of the form.
    errors.sort_by_key(|error| FORM_ORDER.iter().position(|field| *field == error.field));
    Err(errors)
}

/// The form's fields, top to bottom.
const FORM_ORDER: [&str; 6] = [
    "event",
    "offence",
    "offence_category",
    "offence_on-day",
    "convicted_on-day",
    "court",
];

/// `POST /cases/{crn}/reoffending/new`.
pub async fn record(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let today = state.clock.today();
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "record_conviction",
        Need::Work,
        move |conn, case| {
            let heading = case_record::heading(conn, case.person_id)?;
            let events = convictions::events_for(conn, case.person_id)?;
            let (event, conviction) = match read(&posted, &events, today) {
                Ok(read) => read,
                Err(errors) => return Ok(Submission::Refused((heading, events, errors))),
            };
            let now = state.clock.now();
            let id = convictions::record(conn, case.person_id, event, &conviction, posted.by, now)?;
            let detail = format!(
                "conviction {id} recorded against event {event}: {} committed {}, convicted {}",
                conviction.offence_category.code(),
                conviction.offence_on,
                conviction.convicted_on
            );
            audit::record(
                conn,
                &posted.audit_on_case("record_conviction", case, detail),
                now,
            )?;
            Ok(Submission::Saved(heading.1))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn: String| Redirect::to(&format!("/cases/{crn}/reoffending?recorded=conviction")),
        |(heading, events, errors)| page(&user, heading, &events, fields, errors, today),
    )
}
