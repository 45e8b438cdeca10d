//! Opening a quality unit (a team, PDU, region or the nation): the one path by which the quality
//! pages read a unit's ratings, audits or plans. As with cases ([`crate::cases::access`]), it finds
//! the unit, asks the domain's policy, writes the audit row for the decision and only then lets
//! the page read — in one transaction.

use crate::error::AppError;
use crate::session::CurrentUser;
use crate::state::AppState;
use keepsafe_domain::access::{decide, Action, Decision, Refusal};
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::quality::units::{self, UnitInfo};
use keepsafe_storage::quality::Unit;
use keepsafe_storage::AnyConnection;

/// What the user needs to do with the unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitNeed {
    /// See its ratings and the cases behind them.
    View,
    /// Run its quality assurance: samples, imports, panel decisions, action plans.
    Manage,
}

enum Opened<T> {
    Allowed(T),
    Refused(Refusal),
}

/// The path of a unit's quality page: `/quality/pdu/MIDW`.
pub fn unit_path(info: &UnitInfo) -> String {
    format!("/quality/{}/{}", info.unit.kind(), info.code)
}

/// Authorises `user` for the unit named by `level` and `code` (as in `/quality/{level}/{unit}`)
/// and runs `read` if allowed. Every decision is audit-logged with `purpose`; a refusal becomes a
/// 403 page saying why, an unknown unit a 404.
pub async fn open_unit<T, F>(
    state: &AppState,
    user: &CurrentUser,
    level: &str,
    code: &str,
    purpose: &'static str,
    need: UnitNeed,
    read: F,
) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut AnyConnection, &UnitInfo) -> Result<T, AppError> + Send + 'static,
{
    let (level, code) = (level.to_owned(), code.to_owned());
    open_found(
        state,
        user,
        purpose,
        need,
        move |conn| Ok(units::find(conn, &level, &code)?),
        read,
    )
    .await
}

/// As [`open_unit`], for a page whose path names a record (a sample, an audit) rather than the
/// unit: `locate` finds the unit the record belongs to.
pub async fn open_found<T, L, F>(
    state: &AppState,
    user: &CurrentUser,
    purpose: &'static str,
    need: UnitNeed,
    locate: L,
    read: F,
) -> Result<T, AppError>
where
    T: Send + 'static,
    L: FnOnce(&mut AnyConnection) -> Result<Unit, AppError> + Send + 'static,
    F: FnOnce(&mut AnyConnection, &UnitInfo) -> Result<T, AppError> + Send + 'static,
{
    let clock = state.clock;
    let actor = user.account.actor();
    let actor_name = user.audit_name();
    let opened = state
        .write(move |conn| {
            let unit = locate(conn)?;
            let info = units::describe(conn, unit)?;
            let action = match need {
                UnitNeed::View => Action::ViewQuality(&info.location),
                UnitNeed::Manage => Action::ManageQuality(&info.location),
            };
            let decision = decide(&actor, action);
            let (outcome, refusal) = match &decision {
                Decision::Allowed => (Outcome::Allowed, String::new()),
                Decision::Refused(refusal) => (Outcome::Refused, format!(" ({})", refusal.code())),
            };
            let entry = AuditEntry {
                staff_id: Some(actor.staff_id),
                actor: actor_name,
                action: purpose.into(),
                outcome,
                person_id: None,
                crn: None,
                detail: format!("{} {}{refusal}", info.unit.kind(), info.code),
            };
            audit::record(conn, &entry, clock.now())?;
            match decision {
                Decision::Allowed => Ok(Opened::Allowed(read(conn, &info)?)),
                Decision::Refused(refusal) => Ok(Opened::Refused(refusal)),
            }
        })
        .await?;
    match opened {
        Opened::Allowed(value) => Ok(value),
        Opened::Refused(refusal) => Err(AppError::Refused(refusal.message())),
    }
}
