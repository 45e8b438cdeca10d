//! Opening a case: the one path by which any page reads a case. It finds the case, asks the
//! domain's access policy, writes the audit row for the decision, and only then lets the page read
//! the record — all in one transaction, so a view is never shown without being logged. The
//! decision includes the case's limited access lists (`domain::access::limited`): an excluded
//! member of staff, or one not named on a restricted case, is refused here for every page.

use crate::error::AppError;
use crate::session::CurrentUser;
use crate::state::AppState;
use keepsafe_domain::access::limited::decide_on_case;
use keepsafe_domain::access::{Action, Decision, Refusal};
use keepsafe_domain::crn::Crn;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::cases::record::{self as case_record, LocatedCase};
use keepsafe_storage::AnyConnection;

/// What the user needs to do with the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Read it.
    View,
    /// Record work on it: assessments, checks, changes in circumstances.
    Work,
    /// Management oversight: countersign, authorise completion without a response, record
    /// oversight.
    ManageRisk,
    /// Audit the case against the inspection standards.
    Audit,
    /// Read or keep the records of the case's victims (victim liaison only).
    Victims,
    /// Keep the case's limited access lists (the heads of the case's PDU).
    ManageAccess,
}

enum Opened<T> {
    Allowed(T),
    Refused(Refusal),
}

/// Authorises `user` to read the case `raw_crn` for `purpose` ("view_case", …) and runs `read`
/// if allowed. Refusals are audit-logged and become a 403 page saying why.
pub async fn open_case<T, F>(
    state: &AppState,
    user: &CurrentUser,
    raw_crn: &str,
    purpose: &'static str,
    read: F,
) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut AnyConnection, &LocatedCase) -> Result<T, AppError> + Send + 'static,
{
    open_case_for(state, user, raw_crn, purpose, Need::View, read).await
}

/// As [`open_case`], for a purpose that needs more than reading: the decision is
/// [`Action::WorkOnCase`] or [`Action::ManageCaseRisk`].
pub async fn open_case_for<T, F>(
    state: &AppState,
    user: &CurrentUser,
    raw_crn: &str,
    purpose: &'static str,
    need: Need,
    read: F,
) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut AnyConnection, &LocatedCase) -> Result<T, AppError> + Send + 'static,
{
    let clock = state.clock;
    let crn = Crn::parse(raw_crn).map_err(|_| AppError::NotFound)?;
    let actor = user.account.actor();
    let actor_name = user.audit_name();
    let opened = state
        .write(move |conn| {
            let case = case_record::locate(conn, crn.as_str())?.ok_or(AppError::NotFound)?;
            let action = match need {
                Need::View => Action::ViewCase(&case.location),
                Need::Work => Action::WorkOnCase(&case.location),
                Need::ManageRisk => Action::ManageCaseRisk(&case.location),
                Need::Audit => Action::AuditCase(&case.location),
                Need::Victims => Action::WorkWithVictims(&case.location),
                Need::ManageAccess => Action::ManageLimitedAccess(&case.location),
            };
            // The case's limited access lists apply to every need, after the ordinary policy.
            let decision = decide_on_case(&actor, action, &case.limits);
            let (outcome, detail) = match &decision {
                Decision::Allowed => (Outcome::Allowed, String::new()),
                Decision::Refused(refusal) => (Outcome::Refused, refusal.code().to_owned()),
            };
            let entry = AuditEntry {
                staff_id: Some(actor.staff_id),
                actor: actor_name,
                action: purpose.into(),
                outcome,
                person_id: Some(case.person_id),
                crn: Some(case.crn.clone()),
                detail,
            };
            audit::record(conn, &entry, clock.now())?;
            match decision {
                Decision::Allowed => Ok(Opened::Allowed(read(conn, &case)?)),
                Decision::Refused(refusal) => Ok(Opened::Refused(refusal)),
            }
        })
        .await?;
    match opened {
        Opened::Allowed(value) => Ok(value),
        Opened::Refused(refusal) => Err(AppError::Refused(refusal.message())),
    }
}

/// Opens a case for work only to show a blank form: authorised and audit-logged as
/// `purpose`, returning the person's name and CRN for the page's heading.
pub async fn heading_for_work(
    state: &AppState,
    user: &CurrentUser,
    raw_crn: &str,
    purpose: &'static str,
) -> Result<(String, String), AppError> {
    open_case_for(state, user, raw_crn, purpose, Need::Work, |conn, case| {
        Ok(case_record::heading(conn, case.person_id)?)
    })
    .await
}
