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
use keepsafe_domain::access::{decide, Action};
use keepsafe_domain::quality::{OversightKind, OversightRecord, OversightRefused};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
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
    let error_for = |field: &str| forms::message_for(&errors, field);
    OversightPage {
        chrome: Chrome::for_form(
            user,
            format!("Management oversight: {}", loaded.name),
            &errors,
            "",
        ),
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
    let mut validation = Validation::default();
    let kind = validation.required(
        OversightKind::parse(fields.get("kind")).ok(),
        "kind",
        "Select what the oversight was",
    );
    let date = validation.field(fields.date("recorded-on", "the date of the oversight"));
    // The note is checked even when the kind or date is missing, so every problem shows at once.
    let checked = OversightRecord::new(
        kind.unwrap_or(OversightKind::Supervision),
        date.unwrap_or(today),
        fields.get("note"),
        today,
    )
    .map_err(|refused| {
        let field = match refused {
            OversightRefused::FutureDate => "recorded-on-day",
            OversightRefused::MissingNote | OversightRefused::NoteTooLong(_) => "note",
        };
        FieldError::new(field, refused.to_string())
    });
    let record = validation.field(checked);
    validation.finish(|| record)
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
    let posted = Posted::new(&user, &fields);
    let recorded = open_case_for(
        &state,
        &user,
        &crn,
        "record_oversight",
        Need::ManageRisk,
        move |conn, case| {
            let record = match read_record(&posted, today) {
                Ok(record) => record,
                Err(errors) => return Ok(Submission::Refused((load(conn, case, &actor)?, errors))),
            };
            let now = state.clock.now();
            let id = oversight::record(conn, case.person_id, &record, posted.by, now)?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "record_oversight",
                    case,
                    format!("oversight {id} ({})", record.kind.code()),
                ),
                now,
            )?;
            Ok(Submission::Saved(format!("/cases/{}/oversight", case.crn)))
        },
    )
    .await?;
    forms::respond(
        recorded,
        |path| Redirect::to(&path),
        |(loaded, errors)| page(&user, loaded, &fields, errors),
    )
}
