//! Opening a practitioner's workload or caseload: the one path by which a page reads or manages one
//! member of staff's work. Like [`crate::cases::access`], it asks the domain's access policy and
//! writes the audit row for the decision in the caller's transaction, before anything else is read.

use crate::error::AppError;
use chrono::{DateTime, Utc};
use keepsafe_domain::access::{decide, Action, Actor, Decision, Refusal};
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::organisation::{self, TeamRef};
use keepsafe_storage::staff::{self, StaffAccount};
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

/// What the user wants to do with the practitioner's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffNeed {
    /// See their workload and how it was worked out.
    View,
    /// Move their cases, record their reductions.
    Manage,
}

/// A member of staff the user may work with, and their team.
pub struct OpenedStaff {
    pub member: StaffAccount,
    pub team: TeamRef,
}

/// Authorises `actor` for `need` on the member of staff `staff_id`, audit-logging the decision as
/// `purpose`. A refusal comes back as `Ok(Err(refusal))`, so the caller's transaction commits the
/// audit row before the refusal is shown ([`refused`]); a member of staff with no team has no
/// workload to open.
pub fn open_staff(
    conn: &mut AnyConnection,
    actor: &Actor,
    actor_name: &str,
    staff_id: Uuid,
    purpose: &str,
    need: StaffNeed,
    now: DateTime<Utc>,
) -> Result<Result<OpenedStaff, Refusal>, AppError> {
    let member = staff::find(conn, staff_id)?;
    let team_id = member.team_id.ok_or(AppError::NotFound)?;
    let team = organisation::team(conn, team_id)?;
    let location = team.location();
    let action = match need {
        StaffNeed::View => Action::ViewStaffWorkload {
            staff_id,
            team: &location,
        },
        StaffNeed::Manage => Action::ManageStaffCaseload { team: &location },
    };
    let refusal: Option<Refusal> = match decide(actor, action) {
        Decision::Allowed => None,
        Decision::Refused(refusal) => Some(refusal),
    };
    let entry = AuditEntry {
        staff_id: Some(actor.staff_id),
        actor: actor_name.to_owned(),
        action: purpose.to_owned(),
        outcome: if refusal.is_some() {
            Outcome::Refused
        } else {
            Outcome::Allowed
        },
        person_id: None,
        crn: None,
        detail: match refusal {
            Some(refusal) => format!("{} ({})", member.display_name(), refusal.code()),
            None => member.display_name(),
        },
    };
    audit::record(conn, &entry, now)?;
    Ok(match refusal {
        Some(refusal) => Err(refusal),
        None => Ok(OpenedStaff { member, team }),
    })
}

/// The page shown for a refusal from [`open_staff`], once its audit row is committed.
pub fn refused(refusal: Refusal) -> AppError {
    AppError::Refused(refusal.message())
}
