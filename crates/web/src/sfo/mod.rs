//! Serious further offences (reference §8): recording a charge with a qualifying offence on a
//! case (the domain decides whether it qualifies, with its reasons), the SFO case's page —
//! notification, the independent reviewer, draft findings, completion with the actions that join
//! the PDU's quality improvement plan — each deadline with how it was worked out, and the list of
//! the cases a member of staff may read, with overdue ones flagged (and on `/tasks`).
//!
//! Restricted: a case and its review are read only by the heads of the case's PDU, quality staff
//! of its region and its assigned reviewer ([`keepsafe_domain::access::Action::ViewSfo`]), decided
//! and audit-logged by [`open_sfo`] in the transaction that reads it. The practitioner and others
//! who may work on the case may record a charge, and are told only that it was recorded.

pub mod charge;
pub mod list;
pub mod page;
pub mod tasks;

use crate::error::AppError;
use crate::routes::{Access, GradeAction, Registry};
use crate::session::CurrentUser;
use crate::state::AppState;
use axum::http::Method;
use axum::routing::{get, post};
use keepsafe_domain::access::{Action, Decision, Refusal};
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::sfo::cases::{self as sfo_cases, SfoRecord};
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

/// The area's routes, each with the access rule that guards it. The case pages decide each case
/// in the handler ([`open_sfo`]), since who may read one depends on who reviews it.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(
            Method::GET,
            "/sfo",
            Access::Grade(GradeAction::SfoReviews),
            get(list::show),
        )
        .add(
            Method::GET,
            "/cases/{crn}/sfo/new",
            Access::Case,
            get(charge::form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/sfo/new",
            Access::Case,
            post(charge::record),
        )
        .add(Method::GET, "/sfo/{sfo}", Access::SignedIn, get(page::show))
        .add(
            Method::POST,
            "/sfo/{sfo}/notification",
            Access::SignedIn,
            post(page::notify),
        )
        .add(
            Method::POST,
            "/sfo/{sfo}/reviewer",
            Access::SignedIn,
            post(page::assign),
        )
        .add(
            Method::POST,
            "/sfo/{sfo}/review",
            Access::SignedIn,
            post(page::review),
        )
}

/// What the user needs to do with an SFO case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SfoNeed {
    View,
    Manage,
    Review,
}

enum Opened<T> {
    Allowed(T),
    Refused(Refusal),
}

/// Opens the SFO case `raw_id` for `need`: reads it, asks the domain, audit-logs the decision
/// as `purpose` (on the case, without the findings), and only if allowed runs `work` in the same
/// transaction. Refusals are kept (the refusal's audit row commits) and become a 403 page.
pub async fn open_sfo<T, F>(
    state: &AppState,
    user: &CurrentUser,
    raw_id: &str,
    purpose: &'static str,
    need: SfoNeed,
    work: F,
) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut AnyConnection, &SfoRecord) -> Result<T, AppError> + Send + 'static,
{
    let id = Uuid::parse_str(raw_id).map_err(|_| AppError::NotFound)?;
    let actor = user.account.actor();
    let actor_name = user.audit_name();
    let clock = state.clock;
    let opened = state
        .write(move |conn| {
            let record = match sfo_cases::load(conn, id) {
                Ok(record) => record,
                Err(keepsafe_storage::StorageError::NotFound) => return Err(AppError::NotFound),
                Err(error) => return Err(error.into()),
            };
            let reviewer = record.reviewer.as_ref().map(|(id, _)| *id);
            let action = match need {
                SfoNeed::View => Action::ViewSfo {
                    case: &record.location,
                    reviewer,
                },
                SfoNeed::Manage => Action::ManageSfo(&record.location),
                SfoNeed::Review => Action::ReviewSfo {
                    case: &record.location,
                    reviewer,
                },
            };
            // The case's limited access lists apply to its review too.
            let limits = keepsafe_storage::cases::limited::limits_for(conn, record.person_id)?;
            let decision =
                keepsafe_domain::access::limited::decide_on_case(&actor, action, &limits);
            let (outcome, detail) = match &decision {
                Decision::Allowed => (Outcome::Allowed, format!("SFO {}", record.id)),
                Decision::Refused(refusal) => (
                    Outcome::Refused,
                    format!("SFO {} ({})", record.id, refusal.code()),
                ),
            };
            audit::record(
                conn,
                &AuditEntry {
                    staff_id: Some(actor.staff_id),
                    actor: actor_name,
                    action: purpose.into(),
                    outcome,
                    person_id: Some(record.person_id),
                    crn: Some(record.crn.clone()),
                    detail,
                },
                clock.now(),
            )?;
            match decision {
                Decision::Allowed => Ok(Opened::Allowed(work(conn, &record)?)),
                Decision::Refused(refusal) => Ok(Opened::Refused(refusal)),
            }
        })
        .await?;
    match opened {
        Opened::Allowed(value) => Ok(value),
        Opened::Refused(refusal) => Err(AppError::Refused(refusal.message())),
    }
}
