//! Flags to review, for `/tasks`: a registration whose next review date is today or past is a
//! task until it is reviewed or ended. Derived from the registration itself (no job writes a
//! task when the date comes), in one query for the caseload the task list shows.

use crate::cases::editing::review_due_words;
use chrono::NaiveDate;
use keepsafe_domain::access::Actor;
use keepsafe_domain::registration::{MappaLevel, RegistrationKind};
use keepsafe_domain::review::is_overdue;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::CodedValue;
use keepsafe_storage::cases::registrations::{self, Caseload, DueReview};
use keepsafe_storage::{AnyConnection, StorageError};

/// One flag to review: the case, what to do, when it was due in words, where to do it.
pub struct FlagReviewLine {
    pub crn: String,
    pub name: String,
    pub what: String,
    pub when: String,
    pub overdue: bool,
    pub href: String,
}

/// The flags due for review on the caseload `/tasks` shows the actor: a senior officer's team,
/// a head of PDU's PDU, otherwise their own cases.
pub fn read(
    conn: &mut AnyConnection,
    actor: &Actor,
    today: NaiveDate,
) -> Result<Vec<DueReview>, StorageError> {
    let caseload = match (actor.grade, actor.team, actor.pdu) {
        (Grade::SeniorProbationOfficer, Some(team), _) => Caseload::Team(team),
        (Grade::HeadOfPdu, _, Some(pdu)) => Caseload::Pdu(pdu),
        _ => Caseload::Staff(actor.staff_id),
    };
    registrations::due_for_review(conn, caseload, today)
}

pub fn lines(due: Vec<DueReview>, today: NaiveDate) -> Vec<FlagReviewLine> {
    due.into_iter()
        .map(|d| {
            let (what, href) = what_to_do(&d);
            FlagReviewLine {
                what,
                href,
                when: review_due_words(d.next_review_on, today),
                overdue: is_overdue(d.next_review_on, today),
                crn: d.crn,
                name: d.name,
            }
        })
        .collect()
}

/// What the task asks and where it is done: a MAPPA level 2 or 3 case is reviewed at a
/// multi-agency meeting, recorded on its own form; every other flag by a review.
fn what_to_do(due: &DueReview) -> (String, String) {
    match due.mappa_level {
        Some(level @ (MappaLevel::ActiveMultiAgency | MappaLevel::SeniorOversight))
            if due.kind == RegistrationKind::Mappa =>
        {
            (
                format!("Hold and record the MAPPA level {} meeting", level.code()),
                format!(
                    "/cases/{}/mappa/{}/meetings/new",
                    due.crn, due.registration_id
                ),
            )
        }
        _ => (
            format!("Review the {} registration", due.kind.label()),
            format!(
                "/cases/{}/registrations/{}/review",
                due.crn, due.registration_id
            ),
        ),
    }
}
