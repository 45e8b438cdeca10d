//! Court work: the court lists of the PDU's courts by day (hearings added one at a time or
//! imported from a file, each matched to a case or making a pre-sentence case), the hearing, its
//! pre-sentence report (the risk the case record already holds shown beside it, the proposal's
//! gate on curfews and other requirements at an address, requests to adjourn, timeliness and
//! quality indicators, a printable copy) and the sentence recorded from the court's result.
//!
//! Access: court teams are PDU staff, so every route is for the grades that do court work
//! (practitioners, senior officers, heads of PDU: `GradeAction::CourtWork`), and each court or
//! hearing is then opened through [`open_court`] or [`open_hearing`], which decide
//! `Action::CourtWork` against the court's PDU and audit-log the decision in the read's
//! transaction. A court officer need not hold the case: the hearing gives the access, not the
//! allocation.

pub mod admin;
pub mod hearing;
pub mod lists;
pub mod report;

use crate::error::AppError;
use crate::routes::{Access, GradeAction, Registry};
use crate::session::CurrentUser;
use crate::state::AppState;
use axum::http::Method;
use axum::routing::{get, post};
use chrono::NaiveDate;
use keepsafe_domain::access::{decide, Action, Decision};
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::court::courts::{self, Court};
use keepsafe_storage::court::hearings::{self, Hearing};
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

const RULE: Access = Access::Grade(GradeAction::CourtWork);

/// The area's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(Method::GET, "/courts", RULE, get(lists::courts))
        .add(
            Method::GET,
            "/courts/court-list-template.csv",
            RULE,
            get(lists::template),
        )
        .add(Method::GET, "/courts/{court}/{day}", RULE, get(lists::day))
        .add(
            Method::POST,
            "/courts/{court}/{day}/hearings",
            RULE,
            post(lists::add_hearing),
        )
        .add_upload(
            Method::POST,
            "/courts/{court}/{day}/import",
            RULE,
            post(lists::import),
            2 * 1024 * 1024,
        )
        .add(
            Method::GET,
            "/court/hearings/{hearing}",
            RULE,
            get(hearing::show),
        )
        .add(
            Method::GET,
            "/court/hearings/{hearing}/sentence",
            RULE,
            get(hearing::sentence_form),
        )
        .add(
            Method::POST,
            "/court/hearings/{hearing}/sentence",
            RULE,
            post(hearing::record_sentence),
        )
        .add(
            Method::POST,
            "/court/hearings/{hearing}/report",
            RULE,
            post(report::start),
        )
        .add(
            Method::GET,
            "/court/hearings/{hearing}/report",
            RULE,
            get(report::show),
        )
        .add(
            Method::POST,
            "/court/hearings/{hearing}/report/save",
            RULE,
            post(report::save),
        )
        .add(
            Method::POST,
            "/court/hearings/{hearing}/report/complete",
            RULE,
            post(report::complete),
        )
        .add(
            Method::GET,
            "/court/hearings/{hearing}/report/print",
            RULE,
            get(report::print),
        )
        .add(
            Method::POST,
            "/court/hearings/{hearing}/adjournments",
            RULE,
            post(report::adjournment),
        )
        .add(
            Method::GET,
            "/admin/courts",
            Access::Grade(GradeAction::ManageCourts),
            get(admin::list),
        )
        .add(
            Method::POST,
            "/admin/courts",
            Access::Grade(GradeAction::ManageCourts),
            post(admin::add),
        )
        .add(
            Method::POST,
            "/court/hearings/{hearing}/adjournments/decision",
            RULE,
            post(report::adjournment_decision),
        )
}

/// A day in a court list's path, `YYYY-MM-DD`; anything else is no page.
pub(crate) fn day_of(text: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| AppError::NotFound)
}

/// Decides court work on `court` for `user` and writes the audit row (allowed or refused), in the
/// caller's transaction.
fn decide_and_audit(
    conn: &mut AnyConnection,
    user: &Actorish,
    court: &Court,
    purpose: &str,
    on: Option<(&Uuid, &str)>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<String>, AppError> {
    let decision = decide(&user.actor, Action::CourtWork(&court.location()));
    let (outcome, detail, refused) = match &decision {
        Decision::Allowed => (Outcome::Allowed, court.code.clone(), None),
        Decision::Refused(refusal) => (
            Outcome::Refused,
            format!("{} ({})", court.code, refusal.code()),
            Some(refusal.message()),
        ),
    };
    let entry = AuditEntry {
        staff_id: Some(user.actor.staff_id),
        actor: user.name.clone(),
        action: purpose.to_owned(),
        outcome,
        person_id: on.map(|(id, _)| *id),
        crn: on.map(|(_, crn)| crn.to_owned()),
        detail,
    };
    audit::record(conn, &entry, now)?;
    Ok(refused)
}

/// Who is asking, as the decision and the audit row need them (owned, for the blocking pool).
struct Actorish {
    actor: keepsafe_domain::access::Actor,
    name: String,
}

/// Opens the court with code `code` for `purpose`: decides and audit-logs in one writing
/// transaction, then runs `work` in it when allowed.
pub(crate) async fn open_court<T, F>(
    state: &AppState,
    user: &CurrentUser,
    code: &str,
    purpose: &'static str,
    work: F,
) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut AnyConnection, &Court) -> Result<T, AppError> + Send + 'static,
{
    let who = Actorish {
        actor: user.account.actor(),
        name: user.audit_name(),
    };
    let code = code.to_owned();
    let now = state.clock.now();
    let opened = state
        .write(move |conn| {
            let court = courts::find(conn, &code)?.ok_or(AppError::NotFound)?;
            match decide_and_audit(conn, &who, &court, purpose, None, now)? {
                Some(refused) => Ok(Err(refused)),
                None => Ok(Ok(work(conn, &court)?)),
            }
        })
        .await?;
    opened.map_err(AppError::Refused)
}

/// Opens the hearing with id `raw` for `purpose`, as [`open_court`] does its court; the audit
/// row names the hearing's case.
pub(crate) async fn open_hearing<T, F>(
    state: &AppState,
    user: &CurrentUser,
    raw: &str,
    purpose: &'static str,
    work: F,
) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut AnyConnection, &Hearing) -> Result<T, AppError> + Send + 'static,
{
    let id = Uuid::parse_str(raw).map_err(|_| AppError::NotFound)?;
    let who = Actorish {
        actor: user.account.actor(),
        name: user.audit_name(),
    };
    let now = state.clock.now();
    let opened = state
        .write(move |conn| {
            let hearing = hearings::find(conn, id)?.ok_or(AppError::NotFound)?;
            let on = (&hearing.person_id, hearing.crn.as_str());
            match decide_and_audit(conn, &who, &hearing.court, purpose, Some(on), now)? {
                Some(refused) => Ok(Err(refused)),
                None => Ok(Ok(work(conn, &hearing)?)),
            }
        })
        .await?;
    opened.map_err(AppError::Refused)
}
