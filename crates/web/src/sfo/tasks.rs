//! The serious further offence lines on `/tasks`: a head of PDU's PDU's open cases and a
//! reviewer's own, each with the deadline it is working to (the notification's, then the
//! review's), overdue flagged. Nobody else's tasks page mentions them.

use chrono::NaiveDate;
use keepsafe_domain::access::Actor;
use keepsafe_domain::sfo::{SfoRules, SfoState};
use keepsafe_domain::staff::Grade;
use keepsafe_storage::sfo::list::{self, SfoScope};
use keepsafe_storage::{AnyConnection, StorageError};

/// One line: (CRN, name, what, due, overdue, link).
pub(crate) type TaskLine = (String, String, String, NaiveDate, bool, String);

/// The open cases the actor works on, for their tasks page.
pub(crate) fn on_tasks(
    conn: &mut AnyConnection,
    actor: &Actor,
    today: NaiveDate,
) -> Result<Vec<TaskLine>, StorageError> {
    let scope = match (actor.grade, actor.pdu) {
        (Grade::HeadOfPdu, Some(pdu)) => SfoScope::Pdu(pdu),
        (Grade::SeniorProbationOfficer | Grade::HeadOfPdu | Grade::QualityInspection, _) => {
            SfoScope::Reviewer(actor.staff_id)
        }
        _ => return Ok(Vec::new()),
    };
    Ok(list::open(conn, scope)?
        .into_iter()
        .filter_map(|line| {
            let rules = SfoRules::by_version(&line.rule_version);
            let due = line.dates.next_deadline(&rules)?;
            let what = match line.dates.state() {
                SfoState::AwaitingNotification => "Notify the serious further offence",
                _ => "Complete the serious further offence review",
            };
            Some((
                line.crn,
                line.name,
                what.to_owned(),
                due,
                line.dates.is_overdue(&rules, today),
                format!("/sfo/{}", line.id),
            ))
        })
        .collect())
}
