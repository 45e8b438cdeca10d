//! `GET/POST /cases/{crn}/appointments/{id}/outcome`: what happened at an appointment — attended
//! and complied, attended but failed to comply, failed to attend — and, for a failure, its
//! judgement; `GET/POST …/judgement` judges a failure that was waiting for evidence. An
//! unacceptable failure goes straight on to enforcement (a warning, breach action or consider
//! recall) in the same transaction.

use crate::cases::access::{open_case_for, Need};
use crate::error::AppError;
use crate::forms::{self, FieldError, FormFields, Posted, Submission, Validation};
use crate::layout::{render, Chrome};
use crate::routes::{Access, Registry, SignedIn};
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::supervision::enforcement::{options, parse_id, when};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Form;
use chrono::{DateTime, NaiveDate, Utc};
use keepsafe_domain::supervision::contact::{ContactOutcome, FailureJudgement};
use keepsafe_domain::supervision::enforcement::EnforcementRules;
use keepsafe_domain::supervision::outcome::{
    check_judgement, may_record, Judgement, JudgementForm, NotRecordable, OutcomeRules,
};
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::record::{self as case_record, LocatedCase};
use keepsafe_storage::supervision::enforcement::{self as enforcement, Failure, Opened};
use keepsafe_storage::supervision::outcomes::{self, Appointment, RecordedOutcome};
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

/// The outcome routes.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(
            Method::GET,
            "/cases/{crn}/appointments/{appointment}/outcome",
            Access::Case,
            get(form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/appointments/{appointment}/outcome",
            Access::Case,
            post(record),
        )
        .add(
            Method::GET,
            "/cases/{crn}/appointments/{appointment}/judgement",
            Access::Case,
            get(judgement_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/appointments/{appointment}/judgement",
            Access::Case,
            post(judge),
        )
}

/// The appointment as the page describes it.
struct AppointmentView {
    kind: String,
    when: String,
    location: String,
    outcome: Option<String>,
    recorded: String,
    late_reason: Option<String>,
    judgement: Option<String>,
    judgement_detail: String,
    evidence_due: Option<String>,
    awaiting_evidence: bool,
    /// Why no outcome can be recorded now, if it cannot.
    not_recordable: Option<String>,
}

fn describe(appointment: &Appointment, now: DateTime<Utc>) -> AppointmentView {
    let recorded = match (
        &appointment.outcome_recorded_by,
        appointment.outcome_recorded_at,
    ) {
        (Some(by), Some(at)) => format!("Recorded by {by} on {}", when(at)),
        _ => String::new(),
    };
    let judgement_detail = [
        appointment.judgement_reason.clone(),
        appointment
            .judgement_evidence
            .clone()
            .map(|e| format!("Evidence: {e}")),
        match (&appointment.judged_by, appointment.judged_at) {
            (Some(by), Some(at)) => Some(format!("Judged by {by} on {}", when(at))),
            _ => None,
        },
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(". ");
    AppointmentView {
        kind: appointment.kind.label().to_owned(),
        when: match appointment.ends_at {
            Some(end) => format!("{} to {}", when(appointment.starts_at), end.format("%H:%M")),
            None => when(appointment.starts_at),
        },
        location: appointment.location.clone(),
        outcome: appointment.outcome.map(|o| o.label().to_owned()),
        recorded,
        late_reason: appointment.late_reason.clone(),
        judgement: appointment.judgement.map(|j| j.label().to_owned()),
        judgement_detail,
        evidence_due: appointment.evidence_due_on.map(crate::format::date),
        awaiting_evidence: appointment.judgement == Some(FailureJudgement::AwaitingEvidence),
        not_recordable: may_record(
            appointment.status,
            appointment.starts_at,
            appointment.outcome,
            now.naive_utc(),
        )
        .err()
        .filter(|reason| *reason != NotRecordable::AlreadyRecorded)
        .map(|reason| reason.message().to_owned()),
    }
}

#[derive(Template)]
#[template(path = "supervision/outcome_form.html")]
struct OutcomePage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    id: String,
    appointment: AppointmentView,
    late: bool,
    evidence_days: u32,
    errors: Vec<FieldError>,
    outcomes: Vec<(String, String, bool)>,
    judgements: Vec<(String, String, bool)>,
    reason: String,
    evidence: String,
    late_reason: String,
    outcome_error: Option<String>,
    judgement_error: Option<String>,
    reason_error: Option<String>,
    evidence_error: Option<String>,
    late_reason_error: Option<String>,
    /// For the judgement page: whether this is judging after waiting for evidence.
    judging_later: bool,
    may_warn: bool,
}

struct Shown {
    name: String,
    crn: String,
    appointment: Appointment,
    /// An unacceptable failure on a community order not yet acted on: a warning can be given.
    may_warn: bool,
}

fn page(
    user: &CurrentUser,
    shown: Shown,
    fields: &FormFields,
    errors: Vec<FieldError>,
    now: DateTime<Utc>,
    judging_later: bool,
) -> OutcomePage {
    let rules = OutcomeRules::default();
    let error_for = |field: &str| forms::message_for(&errors, field);
    let judgements = FailureJudgement::ALL
        .iter()
        .filter(|j| !judging_later || **j != FailureJudgement::AwaitingEvidence)
        .copied();
    let title = if judging_later {
        "Judge the failure"
    } else {
        "Record the outcome"
    };
    OutcomePage {
        chrome: Chrome::for_form(user, title, &errors, ""),
        csrf_token: user.csrf_token.clone(),
        id: shown.appointment.id.to_string(),
        late: rules.is_late(shown.appointment.ends(), now.naive_utc()),
        may_warn: shown.may_warn,
        appointment: describe(&shown.appointment, now),
        evidence_days: rules.evidence_working_days,
        outcomes: options(ContactOutcome::ALL.iter().copied(), fields.get("outcome")),
        judgements: options(judgements, fields.get("judgement")),
        reason: fields.get("reason").chars().take(12_000).collect(),
        evidence: fields.get("evidence").chars().take(12_000).collect(),
        late_reason: fields.get("late_reason").chars().take(12_000).collect(),
        outcome_error: error_for("outcome"),
        judgement_error: error_for("judgement"),
        reason_error: error_for("reason"),
        evidence_error: error_for("evidence"),
        late_reason_error: error_for("late_reason"),
        errors,
        name: shown.name,
        crn: shown.crn,
        judging_later,
    }
}

fn load(conn: &mut AnyConnection, person_id: Uuid, id: Uuid) -> Result<Shown, AppError> {
    let (name, crn) = case_record::heading(conn, person_id)?;
    let appointment = outcomes::find(conn, person_id, id)?;
    let may_warn = appointment.judgement == Some(FailureJudgement::Unacceptable)
        && enforcement::case_order(conn, person_id, appointment.event_id)?
            .is_some_and(|o| o.case_type == keepsafe_domain::event::CaseType::Community)
        && !enforcement::acted_on(conn, appointment.id)?;
    Ok(Shown {
        name,
        crn,
        appointment,
        may_warn,
    })
}

/// Opens the appointment and shows its outcome page with nothing typed yet: the outcome form, or
/// (`judging_later`) the judgement of a failure that was waiting for evidence.
async fn blank_page(
    state: AppState,
    user: CurrentUser,
    crn: String,
    id: String,
    judging_later: bool,
) -> Result<Response, AppError> {
    let shown = open_case_for(
        &state,
        &user,
        &crn,
        "view_appointment_outcome",
        Need::Work,
        move |conn, case| load(conn, case.person_id, parse_id(&id)?),
    )
    .await?;
    let now = state.clock.now();
    Ok(render(&page(
        &user,
        shown,
        &FormFields::default(),
        Vec::new(),
        now,
        judging_later,
    ))?
    .into_response())
}

/// `GET /cases/{crn}/appointments/{id}/outcome`: the form, or the outcome already recorded.
pub async fn form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    blank_page(state, user, crn, id, false).await
}

/// Reads the judgement fields of a failure.
fn read_judgement(
    fields: &FormFields,
    validation: &mut Validation,
    today: NaiveDate,
    evidence_allowed: bool,
) -> Option<Judgement> {
    let form = JudgementForm {
        judgement: FailureJudgement::parse(fields.get("judgement")).ok(),
        reason: fields.get("reason").to_owned(),
        evidence: fields.get("evidence").to_owned(),
    };
    for (field, text) in [("reason", &form.reason), ("evidence", &form.evidence)] {
        if let Err(error) = LongText::optional(text) {
            validation.add(FieldError::new(field, error.to_string()));
        }
    }
    match check_judgement(&form, today, &OutcomeRules::default(), evidence_allowed) {
        Ok(judgement) => Some(judgement),
        Err(errors) => {
            for (field, message) in errors {
                validation.add(FieldError::new(field, message));
            }
            None
        }
    }
}

/// Reads the outcome form for `appointment` at `now`.
fn read_outcome(
    fields: &FormFields,
    appointment: &Appointment,
    now: DateTime<Utc>,
) -> Result<RecordedOutcome, Vec<FieldError>> {
    let mut validation = Validation::default();
    if let Err(reason) = may_record(
        appointment.status,
        appointment.starts_at,
        appointment.outcome,
        now.naive_utc(),
    ) {
        let message = match (&reason, &appointment.outcome_recorded_by) {
            (NotRecordable::AlreadyRecorded, Some(by)) => already_message(
                by,
                appointment
                    .outcome_recorded_at
                    .map(when)
                    .unwrap_or_default(),
            ),
            _ => reason.message().to_owned(),
        };
        validation.add(FieldError::new("outcome", message));
        return Err(validation.into_errors());
    }
    let outcome = validation.required(
        ContactOutcome::parse(fields.get("outcome")).ok(),
        "outcome",
        "Select what happened at the appointment",
    );
    let judgement = match outcome {
        Some(o) if o.is_failure() => {
            read_judgement(fields, &mut validation, now.date_naive(), true).map(Some)
        }
        _ => Some(None),
    };
    let late = OutcomeRules::default().is_late(appointment.ends(), now.naive_utc());
    let late_reason = if late {
        validation.field(
            LongText::required(fields.get("late_reason"))
                .map(|text| Some(text.as_str().to_owned()))
                .map_err(|_| {
                    FieldError::new(
                        "late_reason",
                        "Enter why the outcome is being recorded late",
                    )
                }),
        )
    } else {
        Some(None)
    };
    validation.finish(|| {
        Some(RecordedOutcome {
            outcome: outcome?,
            judgement: judgement?,
            late_reason: late_reason?,
        })
    })
}

fn already_message(by: &str, at: String) -> String {
    format!(
        "{by} recorded the outcome of this appointment first ({at}): nothing was saved. Check their outcome below"
    )
}

/// What saving an unacceptable failure opened, as the audit detail says it.
fn opened_detail(opened: Opened) -> &'static str {
    match opened {
        Opened::Warning(_) => "; warning to send",
        Opened::Breach(_) => "; breach action started",
        Opened::Recall(_) => "; consider recall opened",
        Opened::Nothing => "",
    }
}

/// Opens enforcement for a failure just judged unacceptable.
fn enforce(
    conn: &mut AnyConnection,
    appointment: &Appointment,
    judgement: &Judgement,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<Opened, AppError> {
    if judgement.kind() != FailureJudgement::Unacceptable {
        return Ok(Opened::Nothing);
    }
    Ok(enforcement::after_unacceptable_failure(
        conn,
        &Failure {
            person_id: appointment.person_id,
            contact_id: appointment.id,
            event_id: appointment.event_id,
            failed_at: appointment.starts_at,
        },
        &EnforcementRules::default(),
        by,
        now.date_naive(),
        now,
    )?)
}

/// What an outcome or a judgement saved (the case, the appointment and any enforcement it
/// opened), or the page refused with its errors.
type OutcomeSubmission = Submission<(String, Uuid, Opened), (Shown, Vec<FieldError>)>;

/// Refuses a post that someone else's outcome or judgement overtook (nothing is written): the page
/// again as it now stands, with the message on the field.
fn overtaken(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    appointment: Uuid,
    (field, message): (&str, String),
) -> Result<OutcomeSubmission, AppError> {
    let shown = load(conn, case.person_id, appointment)?;
    Ok(Submission::Refused((
        shown,
        vec![FieldError::new(field, message)],
    )))
}

/// Answers a posted outcome or judgement: back to the appointment's outcome when nothing was
/// opened, to the case's enforcement when a warning, breach or recall was; or the page again with
/// its errors (`judging_later` for the judgement page).
fn answer(
    outcome: OutcomeSubmission,
    user: &CurrentUser,
    fields: &FormFields,
    now: DateTime<Utc>,
    judging_later: bool,
) -> Result<Response, AppError> {
    forms::respond(
        outcome,
        |(crn, id, opened)| match opened {
            Opened::Nothing => Redirect::to(&format!("/cases/{crn}/appointments/{id}/outcome")),
            _ => Redirect::to(&format!("/cases/{crn}/enforcement")),
        },
        |(shown, errors)| page(user, shown, fields, errors, now, judging_later),
    )
}

/// `POST /cases/{crn}/appointments/{id}/outcome`.
pub async fn record(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, id)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let now = state.clock.now();
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "record_outcome",
        Need::Work,
        move |conn, case| {
            let shown = load(conn, case.person_id, parse_id(&id)?)?;
            let recorded = match read_outcome(&posted, &shown.appointment, now) {
                Ok(recorded) => recorded,
                Err(errors) => return Ok(Submission::Refused((shown, errors))),
            };
            if let Err(first) =
                outcomes::record(conn, shown.appointment.id, &recorded, posted.by, now)?
            {
                // Someone recorded it between the page being read and now: nothing is written.
                let message = already_message(&first.by, first.at.map(when).unwrap_or_default());
                return overtaken(conn, case, shown.appointment.id, ("outcome", message));
            }
            let opened = match &recorded.judgement {
                Some(judgement) => enforce(conn, &shown.appointment, judgement, posted.by, now)?,
                None => Opened::Nothing,
            };
            audit::record(
                conn,
                &posted.audit_on_case(
                    "record_outcome",
                    case,
                    format!(
                        "{} {}{}{}",
                        shown.appointment.id,
                        recorded.outcome.code(),
                        recorded
                            .judgement
                            .as_ref()
                            .map(|j| format!(", {}", j.kind().code()))
                            .unwrap_or_default(),
                        opened_detail(opened)
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved((
                case.crn.clone(),
                shown.appointment.id,
                opened,
            )))
        },
    )
    .await?;
    answer(outcome, &user, &fields, now, false)
}

/// `GET /cases/{crn}/appointments/{id}/judgement`: judging a failure after waiting for evidence.
pub async fn judgement_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    blank_page(state, user, crn, id, true).await
}

/// `POST /cases/{crn}/appointments/{id}/judgement`.
pub async fn judge(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, id)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let now = state.clock.now();
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "judge_failure",
        Need::Work,
        move |conn, case| {
            let shown = load(conn, case.person_id, parse_id(&id)?)?;
            let mut validation = Validation::default();
            if shown.appointment.judgement != Some(FailureJudgement::AwaitingEvidence) {
                validation.add(FieldError::new(
                    "judgement",
                    "This failure is not waiting for evidence: its judgement is already recorded",
                ));
                return Ok(Submission::Refused((shown, validation.into_errors())));
            }
            let judgement = read_judgement(&posted, &mut validation, now.date_naive(), false);
            let judgement = match validation.finish(|| judgement) {
                Ok(judgement) => judgement,
                Err(errors) => return Ok(Submission::Refused((shown, errors))),
            };
            if !outcomes::judge(conn, shown.appointment.id, &judgement, posted.by, now)? {
                let message = "Someone judged this failure first: nothing was saved".to_owned();
                return overtaken(conn, case, shown.appointment.id, ("judgement", message));
            }
            let opened = enforce(conn, &shown.appointment, &judgement, posted.by, now)?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "judge_failure",
                    case,
                    format!(
                        "{} {}{}",
                        shown.appointment.id,
                        judgement.kind().code(),
                        opened_detail(opened)
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved((
                case.crn.clone(),
                shown.appointment.id,
                opened,
            )))
        },
    )
    .await?;
    answer(outcome, &user, &fields, now, true)
}
