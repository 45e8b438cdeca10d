//! Management oversight of a case (`/cases/{crn}/oversight`): the records, and for the case's
//! senior officer or head of PDU (`Need::ManageRisk`) the form that adds one. The inspectorate
//! asks of every case whether oversight was effective; keepsafe sees only oversight recorded here.
//!
//! The form's fields: `kind` (radios of [`OversightKind`] codes; ids `kind` for the first and
//! `kind-{code}` for the rest), the date `recorded-on-day`, `recorded-on-month`,
//! `recorded-on-year`, and `note`.

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
use chrono::NaiveDate;
use keepsafe_domain::access::{decide, Action};
use keepsafe_domain::quality::{OversightKind, OversightRecord, OversightRefused};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry};
use keepsafe_storage::cases::record::{self as case_record, LocatedCase};
use keepsafe_storage::quality::oversight::{self, StoredOversight};
use keepsafe_storage::AnyConnection;

struct RecordRow {
    kind: &'static str,
    recorded_on: String,
    note: String,
    recorded_by: String,
}

struct KindChoice {
    code: &'static str,
    label: &'static str,
}

#[derive(Template)]
#[template(path = "quality/oversight.html")]
struct OversightPage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    records: Vec<RecordRow>,
    may_record: bool,
    kinds: Vec<KindChoice>,
    errors: Vec<FieldError>,
    kind: String,
    date: TypedDate,
    note: String,
    kind_error: Option<String>,
    date_error: Option<String>,
    note_error: Option<String>,
}

/// What the page shows, read in the case's transaction.
struct Loaded {
    name: String,
    crn: String,
    records: Vec<StoredOversight>,
    may_record: bool,
}

fn load(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    actor: &keepsafe_domain::access::Actor,
) -> Result<Loaded, AppError> {
    let (name, crn) = case_record::heading(conn, case.person_id)?;
    Ok(Loaded {
        name,
        crn,
        records: oversight::for_person(conn, case.person_id)?,
        may_record: decide(actor, Action::ManageCaseRisk(&case.location)).is_allowed(),
    })
}

fn page(
    user: &CurrentUser,
    loaded: Loaded,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> OversightPage {
    let error_for = |field: &str| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    };
    let title = if errors.is_empty() {
        "Management oversight"
    } else {
        "Error: Management oversight"
    };
    OversightPage {
        chrome: Chrome::for_user(user, format!("{title}: {}", loaded.name), ""),
        csrf_token: user.csrf_token.clone(),
        name: loaded.name,
        crn: loaded.crn,
        records: loaded
            .records
            .iter()
            .map(|r| RecordRow {
                kind: r.kind.label(),
                recorded_on: format::date(r.recorded_on),
                note: r.note.clone(),
                recorded_by: r.recorded_by.clone(),
            })
            .collect(),
        may_record: loaded.may_record,
        kinds: OversightKind::ALL
            .iter()
            .map(|k| KindChoice {
                code: k.code(),
                label: k.label(),
            })
            .collect(),
        kind: fields.get("kind").chars().take(40).collect(),
        date: fields.typed_date("recorded-on"),
        note: fields.get("note").chars().take(12_000).collect(),
        kind_error: error_for("kind"),
        date_error: error_for("recorded-on-day"),
        note_error: error_for("note"),
        errors,
    }
}

/// `GET /cases/{crn}/oversight`: whoever may read the case sees its oversight records.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let actor = user.account.actor();
    let loaded = open_case_for(
        &state,
        &user,
        &crn,
        "view_oversight",
        Need::View,
        move |conn, case| load(conn, case, &actor),
    )
    .await?;
    Ok(render(&page(&user, loaded, &FormFields::default(), Vec::new()))?.into_response())
}

/// Reads the form; the domain checks the date (not in the future) and the note.
fn read_record(fields: &FormFields, today: NaiveDate) -> Result<OversightRecord, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = OversightKind::parse(fields.get("kind")).ok();
    if kind.is_none() {
        errors.push(FieldError::new("kind", "Select what the oversight was"));
    }
    let date = fields
        .date("recorded-on", "the date of the oversight")
        .map_err(|e| errors.push(e))
        .ok();

    // The note is checked even when the kind or date is missing, so every problem shows at once.
    let checked = OversightRecord::new(
        kind.unwrap_or(OversightKind::Supervision),
        date.unwrap_or(today),
        fields.get("note"),
        today,
    );
    match checked {
        Ok(record) if errors.is_empty() => Ok(record),
        Ok(_) => Err(errors),
        Err(refused) => {
            let field = match refused {
                OversightRefused::FutureDate => "recorded-on-day",
                OversightRefused::MissingNote | OversightRefused::NoteTooLong(_) => "note",
            };
            errors.push(FieldError::new(field, refused.to_string()));
            Err(errors)
        }
    }
}

enum Recorded {
    Done(String),
    Invalid(Box<Loaded>, Vec<FieldError>),
}

/// `POST /cases/{crn}/oversight`: records the oversight with its audit row.
pub async fn record(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let actor = user.account.actor();
    let actor_name = user.audit_name();
    let submitted = fields.clone();
    let recorded = open_case_for(
        &state,
        &user,
        &crn,
        "record_oversight",
        Need::ManageRisk,
        move |conn, case| {
            let record = match read_record(&fields, today) {
                Ok(record) => record,
                Err(errors) => {
                    return Ok(Recorded::Invalid(
                        Box::new(load(conn, case, &actor)?),
                        errors,
                    ))
                }
            };
            let now = state.clock.now();
            let id = oversight::record(conn, case.person_id, &record, actor.staff_id, now)?;
            audit::record(
                conn,
                &AuditEntry::on_case(
                    actor.staff_id,
                    actor_name,
                    "record_oversight",
                    case,
                    format!("oversight {id} ({})", record.kind.code()),
                ),
                now,
            )?;
            Ok(Recorded::Done(format!("/cases/{}/oversight", case.crn)))
        },
    )
    .await?;
    match recorded {
        Recorded::Done(path) => Ok(Redirect::to(&path).into_response()),
        Recorded::Invalid(loaded, errors) => {
            let mut response = render(&page(&user, *loaded, &submitted, errors))?.into_response();
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}
