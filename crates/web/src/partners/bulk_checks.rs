//! `GET/POST /checks/bulk`: a senior probation officer (or the head of PDU) sends the police
//! domestic-abuse check for every case newly allocated in their team, or awaiting sentence (the
//! court list), in one action (reference §4: checks are requested "at or soon after allocation",
//! and for every case awaiting sentence). Every selected case is authorised and audited on its own;
//! the whole action is one transaction, so either every request is sent or none is.

use crate::error::AppError;
use crate::forms::{FieldError, FormFields, Submission, Validation};
use crate::layout::{render, unprocessable, Chrome};
use crate::partners::exchange::{self, SendTo};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{DateTime, Days, NaiveDate, Utc};
use keepsafe_domain::access::{Action, Actor, Decision};
use keepsafe_domain::partner::RequestType;
use keepsafe_domain::staff::Grade;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::risk::checks::{self, BulkCandidate};
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

/// How far back "newly allocated" reaches.
const NEW_ALLOCATION_DAYS: u64 = 28;

#[derive(Template)]
#[template(path = "partners/bulk_checks.html")]
struct BulkPage {
    chrome: Chrome,
    csrf_token: String,
    scope: String,
    since: String,
    candidates: Vec<BulkCandidate>,
    sent: Option<usize>,
    errors: Vec<FieldError>,
}

fn scope_of(actor: &Actor) -> Result<(Uuid, Option<Uuid>, &'static str), AppError> {
    match (actor.grade, actor.pdu, actor.team) {
        (Grade::SeniorProbationOfficer, Some(pdu), team) => Ok((pdu, team, "your team")),
        (Grade::HeadOfPdu, Some(pdu), _) => Ok((pdu, None, "your probation delivery unit")),
        _ => Err(AppError::Refused(
            "Checks are sent in bulk by senior probation officers and heads of PDU.".into(),
        )),
    }
}

fn since(today: NaiveDate) -> NaiveDate {
    today - Days::new(NEW_ALLOCATION_DAYS)
}

fn read(
    conn: &mut AnyConnection,
    actor: &Actor,
    actor_name: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(String, Vec<BulkCandidate>), AppError> {
    let (pdu, team, scope) = scope_of(actor)?;
    let candidates = checks::needing_police_check(conn, pdu, team, since(today))?;
    audit::record(
        conn,
        &AuditEntry {
            staff_id: Some(actor.staff_id),
            actor: actor_name.to_owned(),
            action: "view_bulk_checks".into(),
            outcome: Outcome::Allowed,
            person_id: None,
            crn: None,
            detail: format!("{} cases listed", candidates.len()),
        },
        now,
    )?;
    Ok((scope.to_owned(), candidates))
}

fn page(
    user: &CurrentUser,
    scope: String,
    candidates: Vec<BulkCandidate>,
    sent: Option<usize>,
    errors: Vec<FieldError>,
    today: NaiveDate,
) -> BulkPage {
    BulkPage {
        chrome: Chrome::for_form(user, "Send police checks in bulk", &errors, "/tasks"),
        csrf_token: user.csrf_token.clone(),
        scope,
        since: keepsafe_domain::calendar::long_date(since(today)),
        candidates,
        sent,
        errors,
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct BulkQuery {
    sent: Option<usize>,
}

/// `GET /checks/bulk`.
pub async fn form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    axum::extract::Query(query): axum::extract::Query<BulkQuery>,
) -> Result<Html<String>, AppError> {
    let now = state.clock.now();
    let actor = user.account.actor();
    let name = user.audit_name();
    let today = state.clock.today();
    let (scope, candidates) = state
        .write(move |conn| read(conn, &actor, &name, today, now))
        .await?;
    render(&page(
        &user,
        scope,
        candidates,
        query.sent,
        Vec::new(),
        today,
    ))
}

/// `POST /checks/bulk`: sends the police check for every selected case, or for none.
pub async fn send(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let actor = user.account.actor();
    let name = user.audit_name();
    let chosen: Vec<String> = fields
        .0
        .iter()
        .filter(|(k, _)| k == "cases")
        .map(|(_, v)| v.clone())
        .collect();
    let today = state.clock.today();
    let outcome =
        state
            .write(move |conn| {
                let now = state.clock.now();
                let (pdu, team, _) = scope_of(&actor)?;
                let listed =
                    checks::needing_police_check(conn, pdu, team, since(now.date_naive()))?;
                let mut validation = Validation::default();
                let selected: Vec<&BulkCandidate> = chosen
                    .iter()
                    .filter_map(|raw| {
                        let found = Uuid::parse_str(raw)
                            .ok()
                            .and_then(|id| listed.iter().find(|c| c.person_id == id));
                        validation.required(
                            found,
                            "cases",
                            "A selected case no longer needs a police check or is not in your \
                         scope: nothing was sent. Check the list and try again",
                        )
                    })
                    .collect();
                if selected.is_empty() && validation.passed() {
                    validation.add(FieldError::new(
                        "cases",
                        "Select the cases to send police checks for",
                    ));
                }
                if !validation.passed() {
                    return Ok(Submission::Refused(validation.into_errors()));
                }
                let ids: Vec<Uuid> = selected.iter().map(|c| c.person_id).collect();
                let addresses = case_record::current_addresses(conn, &ids, now.date_naive())?;
                for candidate in &selected {
                    let case =
                        case_record::locate(conn, &candidate.crn)?.ok_or(AppError::NotFound)?;
                    if let Decision::Refused(refusal) =
                        keepsafe_domain::access::limited::decide_on_case(
                            &actor,
                            Action::WorkOnCase(&case.location),
                            &case.limits,
                        )
                    {
                        // One refusal stops the whole action: an error here rolls every request back.
                        return Err(AppError::Refused(format!(
                            "{}: {}",
                            candidate.crn,
                            refusal.message()
                        )));
                    }
                    if let Err(message) = exchange::request_check(
                        conn,
                        &case,
                        RequestType::PoliceDomesticAbuse,
                        SendTo::Auto,
                        addresses.get(&candidate.person_id).cloned(),
                        (actor.staff_id, &name),
                        now,
                    )? {
                        // Nothing has been sent to anyone: the transaction rolls back on this error.
                        return Err(AppError::Conflict(format!(
                            "{}: {message}. Nothing was sent",
                            candidate.crn
                        )));
                    }
                }
                Ok(Submission::Saved(selected.len()))
            })
            .await?;
    let errors = match outcome {
        Submission::Saved(sent) => {
            return Ok(Redirect::to(&format!("/checks/bulk?sent={sent}")).into_response())
        }
        Submission::Refused(errors) => errors,
    };
    let actor = user.account.actor();
    let name = user.audit_name();
    let (scope, candidates) = state
        .write(move |conn| read(conn, &actor, &name, today, now))
        .await?;
    unprocessable(&page(&user, scope, candidates, None, errors, today))
}
