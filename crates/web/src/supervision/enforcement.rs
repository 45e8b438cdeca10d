//! Enforcement on a case: `GET /cases/{crn}/enforcement` lists its warnings, breach actions and
//! recalls; warnings are sent (`POST …/warnings/{warning}/send`, generating the letter); breach
//! action is reported to court and its outcome recorded (`/cases/{crn}/breaches/{breach}`);
//! recall is considered (`POST /cases/{crn}/recalls`), recommended or decided against, and
//! countersigned by the senior probation officer and then the head of PDU
//! (`/cases/{crn}/recalls/{recall}`). The rules are the domain's
//! ([`keepsafe_domain::supervision::enforcement`]); each step is one transaction with its
//! contact-log event, documents and audit row.

use crate::cases::access::{open_case, open_case_for, Need};
use crate::error::AppError;
use crate::forms::{self, FieldError, FormFields, Posted, Submission, TypedDate, Validation};
use crate::layout::{render, Chrome};
use crate::routes::{Access, Registry, SignedIn};
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Form;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use keepsafe_domain::event::CaseType;
use keepsafe_domain::supervision::enforcement::{
    self as rules, BreachFacts, BreachStatus, CountersignDecision, CourtOutcome, DocumentKind,
    EnforcementRules, FailureLine, RecallStatus, RecallType, Recommendation, WarningFacts,
    WarningStatus,
};
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::record::{self as case_record, LocatedCase};
use keepsafe_storage::supervision::documents;
use keepsafe_storage::supervision::enforcement::{
    self as enforcement, Acting, Breach, Countersignature, Failure, Recall,
};
use keepsafe_storage::supervision::outcomes;
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

/// The enforcement routes (outcomes and documents have their own files).
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(
            Method::GET,
            "/cases/{crn}/enforcement",
            Access::Case,
            get(show),
        )
        .add(
            Method::POST,
            "/cases/{crn}/warnings/{warning}/send",
            Access::Case,
            post(send_warning),
        )
        .add(
            Method::POST,
            "/cases/{crn}/appointments/{appointment}/warning",
            Access::Case,
            post(give_warning),
        )
        .add(
            Method::GET,
            "/cases/{crn}/breaches/{breach}",
            Access::Case,
            get(breach_page),
        )
        .add(
            Method::POST,
            "/cases/{crn}/breaches/{breach}/report",
            Access::Case,
            post(report_breach),
        )
        .add(
            Method::POST,
            "/cases/{crn}/breaches/{breach}/court-outcome",
            Access::Case,
            post(court_outcome),
        )
        .add(
            Method::POST,
            "/cases/{crn}/recalls",
            Access::Case,
            post(open_recall),
        )
        .add(
            Method::GET,
            "/cases/{crn}/recalls/{recall}",
            Access::Case,
            get(recall_page),
        )
        .add(
            Method::POST,
            "/cases/{crn}/recalls/{recall}/recommendation",
            Access::Case,
            post(recommend),
        )
        .add(
            Method::POST,
            "/cases/{crn}/recalls/{recall}/no-recall",
            Access::Case,
            post(no_recall),
        )
        .add(
            Method::POST,
            "/cases/{crn}/recalls/{recall}/countersign",
            Access::Case,
            post(countersign),
        )
}

/// An id in a path; anything else is not found.
pub(crate) fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// A moment as pages show it: "1 December 2026, 14:30".
pub(crate) fn when(at: NaiveDateTime) -> String {
    format!("{}, {}", crate::format::date(at.date()), at.format("%H:%M"))
}

/// Radio options (value, label, checked) for coded values.
pub(crate) fn options<T: CodedValue>(
    values: impl Iterator<Item = T>,
    chosen: &str,
) -> Vec<(String, String, bool)> {
    values
        .map(|v| {
            (
                v.code().to_owned(),
                v.label().to_owned(),
                v.code() == chosen,
            )
        })
        .collect()
}

fn staff_name(user: &CurrentUser) -> String {
    format!("{} {}", user.account.first_name, user.account.last_name)
}

fn clip(fields: &FormFields, name: &str) -> String {
    fields.get(name).chars().take(12_000).collect()
}

/// A required long text field, or its error.
fn required_text(
    validation: &mut Validation,
    fields: &FormFields,
    name: &str,
    what: &str,
) -> Option<String> {
    validation.field(
        LongText::required(fields.get(name))
            .map(|t| t.as_str().to_owned())
            .map_err(|e| FieldError::new(name, format!("{what}: {e}"))),
    )
}

// ---------------------------------------------------------------------------------------------
// The overview

struct WarningLine {
    id: String,
    appointment: String,
    status: String,
    due: bool,
    due_on: String,
    sent_on: String,
    document: Option<String>,
}

struct BreachLine {
    id: String,
    opened_on: String,
    due_on: String,
    status: String,
}

struct RecallLine {
    id: String,
    opened_on: String,
    reason: String,
    status: String,
}

#[derive(Template)]
#[template(path = "supervision/enforcement_case.html")]
struct CasePage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    case_type: String,
    licence: bool,
    warnings: Vec<WarningLine>,
    breaches: Vec<BreachLine>,
    recalls: Vec<RecallLine>,
    source: String,
    errors: Vec<FieldError>,
    reason: String,
    reason_error: Option<String>,
}

struct Overview {
    name: String,
    crn: String,
    case_type: Option<CaseType>,
    warnings: Vec<enforcement::Warning>,
    breaches: Vec<Breach>,
    recalls: Vec<Recall>,
}

fn overview(conn: &mut AnyConnection, person_id: Uuid) -> Result<Overview, AppError> {
    let (name, crn) = case_record::heading(conn, person_id)?;
    Ok(Overview {
        name,
        crn,
        case_type: enforcement::case_order(conn, person_id, None)?.map(|o| o.case_type),
        warnings: enforcement::warnings(conn, person_id)?,
        breaches: enforcement::breaches(conn, person_id)?,
        recalls: enforcement::recalls(conn, person_id)?,
    })
}

fn case_page(
    user: &CurrentUser,
    data: Overview,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> CasePage {
    CasePage {
        chrome: Chrome::for_form(user, "Enforcement", &errors, ""),
        csrf_token: user.csrf_token.clone(),
        case_type: data
            .case_type
            .map(|t| t.label().to_owned())
            .unwrap_or_else(|| "No active order".into()),
        licence: data.case_type == Some(CaseType::Licence),
        warnings: data
            .warnings
            .iter()
            .map(|w| WarningLine {
                id: w.id.to_string(),
                appointment: format!(
                    "{}{}",
                    when(w.appointment_at),
                    if w.place.is_empty() {
                        String::new()
                    } else {
                        format!(", {}", w.place)
                    }
                ),
                status: w.status.label().to_owned(),
                due: w.status == WarningStatus::Due,
                due_on: crate::format::date(w.due_on),
                sent_on: w.sent_on.map(crate::format::date).unwrap_or_default(),
                document: w.document_id.map(|d| d.to_string()),
            })
            .collect(),
        breaches: data
            .breaches
            .iter()
            .map(|b| BreachLine {
                id: b.id.to_string(),
                opened_on: crate::format::date(b.opened_on),
                due_on: crate::format::date(b.due_on),
                status: b.status.label().to_owned(),
            })
            .collect(),
        recalls: data
            .recalls
            .iter()
            .map(|r| RecallLine {
                id: r.id.to_string(),
                opened_on: crate::format::date(r.opened_on),
                reason: r.opened_reason.clone(),
                status: r.status.label().to_owned(),
            })
            .collect(),
        source: EnforcementRules::default().source.to_owned(),
        reason: clip(fields, "reason"),
        reason_error: forms::message_for(&errors, "reason"),
        errors,
        name: data.name,
        crn: data.crn,
    }
}

/// `GET /cases/{crn}/enforcement`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let data = open_case(
        &state,
        &user,
        &crn,
        "view_enforcement",
        move |conn, case| overview(conn, case.person_id),
    )
    .await?;
    Ok(render(&case_page(&user, data, &FormFields::default(), Vec::new()))?.into_response())
}

// ---------------------------------------------------------------------------------------------
// Warnings

/// `POST /cases/{crn}/warnings/{warning}/send`: generates the warning letter from the record,
/// stores it and marks the warning sent.
pub async fn send_warning(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, warning)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let practitioner = staff_name(&user);
    let now = state.clock.now();
    let (crn, document) = open_case_for(
        &state,
        &user,
        &crn,
        "send_warning",
        Need::Work,
        move |conn, case| {
            let id = parse_id(&warning)?;
            let warning = enforcement::warnings(conn, case.person_id)?
                .into_iter()
                .find(|w| w.id == id)
                .ok_or(AppError::NotFound)?;
            if warning.status != WarningStatus::Due {
                return Err(AppError::Conflict(
                    "This warning letter was already sent".into(),
                ));
            }
            let appointment = outcomes::find(conn, case.person_id, warning.contact_id)?;
            rules::may_warn(appointment.outcome, appointment.judgement)
                .map_err(|m| AppError::Conflict(m.into()))?;
            let (name, crn) = case_record::heading(conn, case.person_id)?;
            let order = enforcement::case_order(conn, case.person_id, warning.event_id)?;
            let requirement =
                enforcement::counts_towards(conn, order.as_ref(), warning.requirement_id)?;
            let letter = rules::warning_letter(
                &WarningFacts {
                    name,
                    crn,
                    appointment_at: warning.appointment_at,
                    place: if warning.place.is_empty() {
                        "the place arranged".into()
                    } else {
                        warning.place.clone()
                    },
                    requirement,
                    practitioner,
                    sent_on: now.date_naive(),
                },
                &EnforcementRules::default(),
            );
            let document = documents::insert_generated(
                conn,
                case.person_id,
                DocumentKind::WarningLetter,
                &letter,
                posted.by,
                now,
            )?;
            if !enforcement::mark_warning_sent(
                conn,
                case.person_id,
                &warning,
                document,
                posted.by,
                now.date_naive(),
                now,
            )? {
                return Err(AppError::Conflict(
                    "This warning letter was already sent".into(),
                ));
            }
            audit::record(
                conn,
                &posted.audit_on_case("send_warning", case, format!("warning {id}")),
                now,
            )?;
            Ok((case.crn.clone(), document))
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/cases/{crn}/documents/{document}")).into_response())
}

/// `POST /cases/{crn}/appointments/{id}/warning`: a warning for a failure that has none (refused
/// for an acceptable absence, or for anything but an unacceptable failure on a community or
/// suspended sentence order).
pub async fn give_warning(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, id)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let now = state.clock.now();
    let crn = open_case_for(
        &state,
        &user,
        &crn,
        "give_warning",
        Need::Work,
        move |conn, case| {
            let appointment = outcomes::find(conn, case.person_id, parse_id(&id)?)?;
            rules::may_warn(appointment.outcome, appointment.judgement)
                .map_err(|m| AppError::Conflict(m.into()))?;
            let order = enforcement::case_order(conn, case.person_id, appointment.event_id)?;
            if order.as_ref().map(|o| o.case_type) != Some(CaseType::Community) {
                return Err(AppError::Conflict(
                    "Warning letters are for community and suspended sentence orders: on a licence, consider recall".into(),
                ));
            }
            enforcement::create_warning(
                conn,
                &Failure {
                    person_id: case.person_id,
                    contact_id: appointment.id,
                    event_id: appointment.event_id,
                    failed_at: appointment.starts_at,
                },
                order.map(|o| o.event_id),
                now.date_naive(),
                now,
            )?;
            audit::record(
                conn,
                &posted.audit_on_case("give_warning", case, appointment.id.to_string()),
                now,
            )?;
            Ok(case.crn.clone())
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/cases/{crn}/enforcement")).into_response())
}

// ---------------------------------------------------------------------------------------------
// Breach action

#[derive(Template)]
#[template(path = "supervision/enforcement_breach.html")]
struct BreachPage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    id: String,
    status: String,
    open: bool,
    reported: bool,
    opened_on: String,
    due_on: String,
    overdue: bool,
    failures: Vec<String>,
    attended: u32,
    acceptable: u32,
    unacceptable: u32,
    warnings: Vec<String>,
    proposal_shown: Option<String>,
    report_document: Option<String>,
    court: Option<String>,
    errors: Vec<FieldError>,
    proposal: String,
    proposal_error: Option<String>,
    court_outcomes: Vec<(String, String, bool)>,
    court_outcome_error: Option<String>,
    outcome_on: TypedDate,
    outcome_on_error: Option<String>,
    notes: String,
    notes_error: Option<String>,
}

struct BreachData {
    name: String,
    crn: String,
    breach: Breach,
    history: enforcement::Compliance,
    warnings: Vec<NaiveDate>,
}

fn breach_data(
    conn: &mut AnyConnection,
    person_id: Uuid,
    id: Uuid,
) -> Result<BreachData, AppError> {
    let (name, crn) = case_record::heading(conn, person_id)?;
    let breach = enforcement::breaches(conn, person_id)?
        .into_iter()
        .find(|b| b.id == id)
        .ok_or(AppError::NotFound)?;
    let order = enforcement::case_order(conn, person_id, breach.event_id)?;
    let history = enforcement::compliance(conn, person_id, order.and_then(|o| o.sentence_date))?;
    let warnings = enforcement::warnings_sent(conn, person_id)?;
    Ok(BreachData {
        name,
        crn,
        breach,
        history,
        warnings,
    })
}

fn failure_lines(history: &enforcement::Compliance) -> Vec<FailureLine> {
    history
        .failures
        .iter()
        .map(|(at, kind, outcome)| FailureLine {
            at: *at,
            what: format!("{} — {}", kind.label(), outcome.label().to_lowercase()),
        })
        .collect()
}

fn breach_page_view(
    user: &CurrentUser,
    data: BreachData,
    fields: &FormFields,
    errors: Vec<FieldError>,
    today: NaiveDate,
) -> BreachPage {
    let b = &data.breach;
    let error_for = |field: &str| forms::message_for(&errors, field);
    BreachPage {
        chrome: Chrome::for_form(user, "Breach action", &errors, ""),
        csrf_token: user.csrf_token.clone(),
        id: b.id.to_string(),
        status: b.status.label().to_owned(),
        open: b.status == BreachStatus::Open,
        reported: b.status == BreachStatus::Reported,
        opened_on: crate::format::date(b.opened_on),
        due_on: crate::format::date(b.due_on),
        overdue: b.status == BreachStatus::Open
            && keepsafe_domain::review::is_overdue(b.due_on, today),
        failures: failure_lines(&data.history)
            .iter()
            .map(|f| format!("{}: {}", when(f.at), f.what))
            .collect(),
        attended: data.history.attended,
        acceptable: data.history.acceptable,
        unacceptable: data.history.unacceptable,
        warnings: data
            .warnings
            .iter()
            .map(|d| crate::format::date(*d))
            .collect(),
        proposal_shown: b.proposal.clone(),
        report_document: b.report_document_id.map(|d| d.to_string()),
        court: b.court_outcome.map(|o| {
            format!(
                "{} on {}{}",
                o.label(),
                b.court_outcome_on
                    .map(crate::format::date)
                    .unwrap_or_default(),
                b.court_outcome_notes
                    .as_deref()
                    .filter(|n| !n.is_empty())
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            )
        }),
        proposal: clip(fields, "proposal"),
        proposal_error: error_for("proposal"),
        court_outcomes: options(
            CourtOutcome::ALL.iter().copied(),
            fields.get("court_outcome"),
        ),
        court_outcome_error: error_for("court_outcome"),
        outcome_on: fields.typed_date("outcome_on"),
        outcome_on_error: error_for("outcome_on-day"),
        notes: clip(fields, "notes"),
        notes_error: error_for("notes"),
        errors,
        name: data.name,
        crn: data.crn,
    }
}

/// `GET /cases/{crn}/breaches/{breach}`.
pub async fn breach_page(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, breach)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let data = open_case(&state, &user, &crn, "view_breach", move |conn, case| {
        breach_data(conn, case.person_id, parse_id(&breach)?)
    })
    .await?;
    let today = state.clock.today();
    Ok(render(&breach_page_view(
        &user,
        data,
        &FormFields::default(),
        Vec::new(),
        today,
    ))?
    .into_response())
}

/// `POST /cases/{crn}/breaches/{breach}/report`: the breach report (the failures, the compliance
/// history, the proposal to court) generated and stored; the breach goes to court.
pub async fn report_breach(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, breach)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let author = staff_name(&user);
    let now = state.clock.now();
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "report_breach",
        Need::Work,
        move |conn, case| {
            let data = breach_data(conn, case.person_id, parse_id(&breach)?)?;
            let mut validation = Validation::default();
            if data.breach.status != BreachStatus::Open {
                validation.add(FieldError::new(
                    "proposal",
                    "The breach report is already written",
                ));
            }
            let proposal = required_text(
                &mut validation,
                &posted,
                "proposal",
                "The proposal to the court",
            );
            let proposal = match validation.finish(|| proposal) {
                Ok(p) => p,
                Err(errors) => return Ok(Submission::Refused((data, errors))),
            };
            let order = enforcement::case_order(conn, case.person_id, data.breach.event_id)?;
            let letter = rules::breach_report(&BreachFacts {
                name: data.name.clone(),
                crn: data.crn.clone(),
                order: order
                    .map(|o| o.sentence_type.label().to_owned())
                    .unwrap_or_else(|| "Community order".into()),
                failures: failure_lines(&data.history),
                warnings_sent: data.warnings.clone(),
                attended: data.history.attended,
                acceptable_absences: data.history.acceptable,
                unacceptable_failures: data.history.unacceptable,
                proposal: proposal.clone(),
                author,
                written_on: now.date_naive(),
            });
            let document = documents::insert_generated(
                conn,
                case.person_id,
                DocumentKind::BreachReport,
                &letter,
                posted.by,
                now,
            )?;
            if !enforcement::report_breach(
                conn,
                case.person_id,
                &data.breach,
                &proposal,
                document,
                Acting {
                    by: posted.by,
                    today: now.date_naive(),
                    now,
                },
            )? {
                return Err(AppError::Conflict(
                    "The breach report is already written".into(),
                ));
            }
            audit::record(
                conn,
                &posted.audit_on_case("report_breach", case, data.breach.id.to_string()),
                now,
            )?;
            Ok(Submission::Saved((case.crn.clone(), data.breach.id)))
        },
    )
    .await?;
    let today = state.clock.today();
    forms::respond(
        outcome,
        |(crn, id)| Redirect::to(&format!("/cases/{crn}/breaches/{id}")),
        |(data, errors)| breach_page_view(&user, data, &fields, errors, today),
    )
}

/// `POST /cases/{crn}/breaches/{breach}/court-outcome`: what the court decided.
pub async fn court_outcome(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, breach)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let now = state.clock.now();
    let today = state.clock.today();
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "record_court_outcome",
        Need::Work,
        move |conn, case| {
            let data = breach_data(conn, case.person_id, parse_id(&breach)?)?;
            let mut validation = Validation::default();
            if data.breach.status != BreachStatus::Reported {
                validation.add(FieldError::new(
                    "court_outcome",
                    "Write the breach report before recording the court's outcome",
                ));
            }
            let decided = validation.required(
                CourtOutcome::parse(posted.get("court_outcome")).ok(),
                "court_outcome",
                "Select what the court decided",
            );
            let on = validation.field(
                posted
                    .date("outcome_on", "the date of the hearing")
                    .and_then(|d| {
                        if d > today {
                            Err(FieldError::new(
                                "outcome_on-day",
                                "The date of the hearing cannot be in the future",
                            ))
                        } else {
                            Ok(d)
                        }
                    }),
            );
            let notes = validation.field(
                LongText::optional(posted.get("notes"))
                    .map(|t| t.as_str().to_owned())
                    .map_err(|e| FieldError::new("notes", format!("Notes: {e}"))),
            );
            let (decided, on, notes) = match validation.finish(|| Some((decided?, on?, notes?))) {
                Ok(v) => v,
                Err(errors) => return Ok(Submission::Refused((data, errors))),
            };
            if !enforcement::record_court_outcome(
                conn,
                case.person_id,
                &data.breach,
                (decided, on, &notes),
                posted.by,
                now,
            )? {
                return Err(AppError::Conflict(
                    "The court's outcome is already recorded".into(),
                ));
            }
            audit::record(
                conn,
                &posted.audit_on_case(
                    "record_court_outcome",
                    case,
                    format!("{} {}", data.breach.id, decided.code()),
                ),
                now,
            )?;
            Ok(Submission::Saved((case.crn.clone(), data.breach.id)))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |(crn, id)| Redirect::to(&format!("/cases/{crn}/breaches/{id}")),
        |(data, errors)| breach_page_view(&user, data, &fields, errors, today),
    )
}

// ---------------------------------------------------------------------------------------------
// Recall

/// `POST /cases/{crn}/recalls`: a risk concern on a licence case opens "consider recall".
pub async fn open_recall(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let now = state.clock.now();
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "open_recall",
        Need::Work,
        move |conn, case| {
            let order = enforcement::case_order(conn, case.person_id, None)?;
            let mut validation = Validation::default();
            if order.as_ref().map(|o| o.case_type) != Some(CaseType::Licence) {
                validation.add(FieldError::new(
                    "reason",
                    "Recall is only for people on licence",
                ));
            }
            let reason = required_text(&mut validation, &posted, "reason", "The risk concern");
            let reason = match validation.finish(|| reason) {
                Ok(r) => r,
                Err(errors) => {
                    return Ok(Submission::Refused((
                        overview(conn, case.person_id)?,
                        errors,
                    )))
                }
            };
            let id = enforcement::open_recall(
                conn,
                case.person_id,
                (order.map(|o| o.event_id), None),
                &reason,
                Acting {
                    by: posted.by,
                    today: now.date_naive(),
                    now,
                },
            )?;
            audit::record(
                conn,
                &posted.audit_on_case("open_recall", case, id.to_string()),
                now,
            )?;
            Ok(Submission::Saved((case.crn.clone(), id)))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |(crn, id)| Redirect::to(&format!("/cases/{crn}/recalls/{id}")),
        |(data, errors)| case_page(&user, data, &fields, errors),
    )
}

#[derive(Template)]
#[template(path = "supervision/enforcement_recall.html")]
struct RecallPage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    id: String,
    status: String,
    opened_on: String,
    opened_reason: String,
    recommendation: Option<RecommendationView>,
    senior: Option<String>,
    head: Option<String>,
    recall_date: Option<String>,
    recommendation_document: Option<String>,
    decision_document: Option<String>,
    may_decide: bool,
    awaiting: Option<String>,
    awaiting_head: bool,
    errors: Vec<FieldError>,
    reasons: String,
    reasons_error: Option<String>,
    alternatives: String,
    alternatives_error: Option<String>,
    current_risk: String,
    current_risk_error: Option<String>,
    recall_types: Vec<(String, String, bool)>,
    recall_type_error: Option<String>,
    emergency: Vec<(String, String, bool)>,
    emergency_error: Option<String>,
    no_recall_reasons: String,
    no_recall_reasons_error: Option<String>,
    decisions: Vec<(String, String, bool)>,
    decision_error: Option<String>,
    decline_reason: String,
    decline_reason_error: Option<String>,
    recall_on: TypedDate,
    recall_on_error: Option<String>,
}

struct RecommendationView {
    reasons: String,
    alternatives: String,
    current_risk: String,
    recall_type: String,
    emergency: &'static str,
    by: String,
}

struct RecallData {
    name: String,
    crn: String,
    recall: Recall,
}

fn recall_data(
    conn: &mut AnyConnection,
    person_id: Uuid,
    id: Uuid,
) -> Result<RecallData, AppError> {
    let (name, crn) = case_record::heading(conn, person_id)?;
    let recall = enforcement::find_recall(conn, person_id, id)?;
    Ok(RecallData { name, crn, recall })
}

fn recall_page_view(
    user: &CurrentUser,
    data: RecallData,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> RecallPage {
    let r = &data.recall;
    let error_for = |field: &str| forms::message_for(&errors, field);
    let step = |by: &Option<String>, reason: &Option<String>| {
        by.as_ref().map(|by| match reason {
            Some(reason) => format!("{by}: {reason}"),
            None => by.clone(),
        })
    };
    RecallPage {
        chrome: Chrome::for_form(user, "Recall", &errors, ""),
        csrf_token: user.csrf_token.clone(),
        id: r.id.to_string(),
        status: r.status.label().to_owned(),
        opened_on: crate::format::date(r.opened_on),
        opened_reason: r.opened_reason.clone(),
        recommendation: r.recommendation.as_ref().map(|rec| RecommendationView {
            reasons: rec.reasons.clone(),
            alternatives: rec.alternatives_tried.clone(),
            current_risk: rec.current_risk.clone(),
            recall_type: rec.recall_type.label().to_owned(),
            emergency: if rec.emergency { "Yes" } else { "No" },
            by: r.recommended_by_name.clone().unwrap_or_default(),
        }),
        senior: step(&r.senior_by_name, &r.senior_reason),
        head: step(&r.head_by_name, &r.head_reason),
        recall_date: r.recall_date.map(crate::format::date),
        recommendation_document: r.recommendation_document_id.map(|d| d.to_string()),
        decision_document: r.decision_document_id.map(|d| d.to_string()),
        may_decide: rules::may_decide(r.status).is_ok(),
        awaiting: match r.status {
            RecallStatus::AwaitingSenior => Some("the senior probation officer".into()),
            RecallStatus::AwaitingHead => Some("the head of PDU".into()),
            _ => None,
        },
        awaiting_head: r.status == RecallStatus::AwaitingHead,
        reasons: clip(fields, "reasons"),
        reasons_error: error_for("reasons"),
        alternatives: clip(fields, "alternatives"),
        alternatives_error: error_for("alternatives"),
        current_risk: clip(fields, "current_risk"),
        current_risk_error: error_for("current_risk"),
        recall_types: options(RecallType::ALL.iter().copied(), fields.get("recall_type")),
        recall_type_error: error_for("recall_type"),
        emergency: vec![
            ("yes".into(), "Yes".into(), fields.get("emergency") == "yes"),
            ("no".into(), "No".into(), fields.get("emergency") == "no"),
        ],
        emergency_error: error_for("emergency"),
        no_recall_reasons: clip(fields, "no_recall_reasons"),
        no_recall_reasons_error: error_for("no_recall_reasons"),
        decisions: options(
            CountersignDecision::ALL.iter().copied(),
            fields.get("decision"),
        ),
        decision_error: error_for("decision"),
        decline_reason: clip(fields, "decline_reason"),
        decline_reason_error: error_for("decline_reason"),
        recall_on: fields.typed_date("recall_on"),
        recall_on_error: error_for("recall_on-day"),
        errors,
        name: data.name,
        crn: data.crn,
    }
}

/// `GET /cases/{crn}/recalls/{recall}`.
pub async fn recall_page(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, recall)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let data = open_case(&state, &user, &crn, "view_recall", move |conn, case| {
        recall_data(conn, case.person_id, parse_id(&recall)?)
    })
    .await?;
    Ok(render(&recall_page_view(
        &user,
        data,
        &FormFields::default(),
        Vec::new(),
    ))?
    .into_response())
}

type RecallSubmission = Submission<(String, Uuid), (RecallData, Vec<FieldError>)>;

/// Runs a recall step in the case's transaction and answers it.
async fn recall_step<F>(
    state: AppState,
    user: CurrentUser,
    (crn, recall): (String, String),
    fields: FormFields,
    (purpose, need): (&'static str, Need),
    step: F,
) -> Result<Response, AppError>
where
    F: FnOnce(
            &mut AnyConnection,
            &LocatedCase,
            RecallData,
            &Posted,
            DateTime<Utc>,
        ) -> Result<RecallSubmission, AppError>
        + Send
        + 'static,
{
    let posted = Posted::new(&user, &fields);
    let now = state.clock.now();
    let outcome = open_case_for(&state, &user, &crn, purpose, need, move |conn, case| {
        let data = recall_data(conn, case.person_id, parse_id(&recall)?)?;
        step(conn, case, data, &posted, now)
    })
    .await?;
    forms::respond(
        outcome,
        |(crn, id)| Redirect::to(&format!("/cases/{crn}/recalls/{id}")),
        |(data, errors)| recall_page_view(&user, data, &fields, errors),
    )
}

/// Ends a recall step: audits it and answers with the recall's page, or refuses a step that
/// someone else's change to the recall overtook (the storage applied nothing).
fn recall_stepped(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    posted: &Posted,
    (recall, applied): (Uuid, bool),
    (purpose, detail): (&str, String),
    now: DateTime<Utc>,
) -> Result<RecallSubmission, AppError> {
    if !applied {
        return Err(AppError::Conflict(
            "This recall has moved on: reload the page".into(),
        ));
    }
    audit::record(conn, &posted.audit_on_case(purpose, case, detail), now)?;
    Ok(Submission::Saved((case.crn.clone(), recall)))
}

/// `POST /cases/{crn}/recalls/{recall}/recommendation`: the practitioner recommends recall.
pub async fn recommend(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, recall)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let author = staff_name(&user);
    recall_step(
        state,
        user,
        (crn, recall),
        fields,
        ("recommend_recall", Need::Work),
        move |conn, case, data, posted, now| {
            let mut validation = Validation::default();
            if let Err(refusal) = rules::may_decide(data.recall.status) {
                validation.add(FieldError::new("reasons", refusal.message()));
            }
            let reasons =
                required_text(&mut validation, posted, "reasons", "The reasons for recall");
            let alternatives = required_text(
                &mut validation,
                posted,
                "alternatives",
                "The alternatives tried",
            );
            let current_risk =
                required_text(&mut validation, posted, "current_risk", "The current risk");
            let recall_type = validation.required(
                RecallType::parse(posted.get("recall_type")).ok(),
                "recall_type",
                "Select the type of recall",
            );
            let emergency = validation.required(
                posted.yes_no("emergency"),
                "emergency",
                "Select whether this is an emergency recall",
            );
            let recommendation = match validation.finish(|| {
                Some(Recommendation {
                    reasons: reasons?,
                    alternatives_tried: alternatives?,
                    current_risk: current_risk?,
                    recall_type: recall_type?,
                    emergency: emergency?,
                })
            }) {
                Ok(r) => r,
                Err(errors) => return Ok(Submission::Refused((data, errors))),
            };
            let letter = rules::recall_recommendation(
                &data.name,
                &data.crn,
                &recommendation,
                &author,
                now.date_naive(),
            );
            let document = documents::insert_generated(
                conn,
                case.person_id,
                DocumentKind::RecallRecommendation,
                &letter,
                posted.by,
                now,
            )?;
            let applied = enforcement::recommend(
                conn,
                case.person_id,
                &data.recall,
                &recommendation,
                document,
                posted.by,
                now,
            )?;
            let detail = data.recall.id.to_string();
            recall_stepped(
                conn,
                case,
                posted,
                (data.recall.id, applied),
                ("recommend_recall", detail),
                now,
            )
        },
    )
    .await
}

/// `POST /cases/{crn}/recalls/{recall}/no-recall`: the decision not to recall, with its letter.
pub async fn no_recall(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, recall)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let author = staff_name(&user);
    recall_step(
        state,
        user,
        (crn, recall),
        fields,
        ("decide_not_to_recall", Need::Work),
        move |conn, case, data, posted, now| {
            let mut validation = Validation::default();
            if let Err(refusal) = rules::may_decide(data.recall.status) {
                validation.add(FieldError::new("no_recall_reasons", refusal.message()));
            }
            let reasons = required_text(
                &mut validation,
                posted,
                "no_recall_reasons",
                "Why not to recall",
            );
            let reasons = match validation.finish(|| reasons) {
                Ok(r) => r,
                Err(errors) => return Ok(Submission::Refused((data, errors))),
            };
            let letter =
                rules::no_recall_letter(&data.name, &data.crn, &reasons, &author, now.date_naive());
            let document = documents::insert_generated(
                conn,
                case.person_id,
                DocumentKind::NoRecallLetter,
                &letter,
                posted.by,
                now,
            )?;
            let applied = enforcement::decide_not_to_recall(
                conn,
                case.person_id,
                &data.recall,
                &reasons,
                document,
                posted.by,
                now,
            )?;
            let detail = data.recall.id.to_string();
            recall_stepped(
                conn,
                case,
                posted,
                (data.recall.id, applied),
                ("decide_not_to_recall", detail),
                now,
            )
        },
    )
    .await
}

/// `POST /cases/{crn}/recalls/{recall}/countersign`: the senior probation officer, then the head
/// of PDU, countersign or decline (with a reason). Never the recommendation's author. On the head's
/// countersignature the person is recalled: the case becomes a custody case from the recall date
/// and the risk review is due.
pub async fn countersign(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, recall)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let grade = user.account.grade;
    let head_name = staff_name(&user);
    let today = state.clock.today();
    recall_step(
        state,
        user,
        (crn, recall),
        fields,
        ("countersign_recall", Need::ManageRisk),
        move |conn, case, data, posted, now| {
            let mut validation = Validation::default();
            let decision = validation.required(
                CountersignDecision::parse(posted.get("decision")).ok(),
                "decision",
                "Select whether you countersign the recommendation",
            );
            let reason = match decision {
                Some(CountersignDecision::Declined) => {
                    required_text(&mut validation, posted, "decline_reason", "Why you decline")
                        .map(Some)
                }
                _ => Some(None),
            };
            let recall_on = if posted.filled("recall_on-day").is_some()
                || posted.filled("recall_on-month").is_some()
                || posted.filled("recall_on-year").is_some()
            {
                validation
                    .field(posted.date("recall_on", "the recall date").and_then(|d| {
                        if d > today {
                            Err(FieldError::new(
                                "recall_on-day",
                                "The recall date cannot be in the future",
                            ))
                        } else {
                            Ok(d)
                        }
                    }))
                    .map(Some)
            } else {
                Some(None)
            };
            let to = match decision {
                Some(decision) => match rules::countersign(
                    data.recall.status,
                    data.recall.recommended_by,
                    posted.by,
                    grade,
                    decision,
                ) {
                    Ok(to) => Some(to),
                    Err(refusal) => {
                        validation.add(FieldError::new("decision", refusal.message()));
                        None
                    }
                },
                None => None,
            };
            let (to, reason, recall_on) =
                match validation.finish(|| Some((to?, reason?, recall_on?))) {
                    Ok(v) => v,
                    Err(errors) => return Ok(Submission::Refused((data, errors))),
                };
            let recalled = if to == RecallStatus::Recalled {
                let date = recall_on.unwrap_or(today);
                let countersigners = format!(
                    "{} (senior probation officer) and {head_name} (head of PDU)",
                    data.recall.senior_by_name.clone().unwrap_or_default()
                );
                let letter = rules::recall_decision(&data.name, &data.crn, date, &countersigners);
                let document = documents::insert_generated(
                    conn,
                    case.person_id,
                    DocumentKind::RecallDecision,
                    &letter,
                    posted.by,
                    now,
                )?;
                Some((date, document))
            } else {
                None
            };
            let step = Countersignature {
                from: data.recall.status,
                to,
                reason,
                recalled,
            };
            let applied = enforcement::countersign(
                conn,
                case.person_id,
                &data.recall,
                &step,
                posted.by,
                today,
                now,
            )?;
            let detail = format!("{} {} → {}", data.recall.id, step.from.code(), to.code());
            recall_stepped(
                conn,
                case,
                posted,
                (data.recall.id, applied),
                ("countersign_recall", detail),
                now,
            )
        },
    )
    .await
}
