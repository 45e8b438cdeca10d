//! Recording the sentence from the court's result, in one transaction: the hearing's event takes
//! the sentence (and the case type it makes), its requirements are added, and the case's
//! practitioner is given the task of arranging the induction — or, for a case no one holds yet,
//! the person recording it the task of having it allocated.

use super::hearings::Hearing;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::schema::{allocations, court_hearings, events, requirements};
use crate::workload::allocation::{create_task, NewTask};
use chrono::{DateTime, Months, Utc};
use diesel::prelude::*;
use keepsafe_domain::calendar::long_date;
use keepsafe_domain::court::Sentence;
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// The task kind given when a sentence is recorded.
pub const SENTENCED_TASK_KIND: &str = "sentenced_at_court";

/// What recording the sentence did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub requirement_ids: Vec<Uuid>,
    pub task_id: Uuid,
    /// Who the task went to.
    pub task_for: Uuid,
}

/// Records the sentence passed at `hearing`. A hearing already sentenced is refused
/// ([`StorageError::Conflict`]), changing nothing.
pub fn record(
    conn: &mut AnyConnection,
    hearing: &Hearing,
    sentence: &Sentence,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Recorded> {
    let key = hearing.id.to_string();
    let already: Option<String> = court_hearings::table
        .find(&key)
        .select(court_hearings::sentence_type)
        .first(conn)?;
    if already.is_some() {
        return Err(StorageError::Conflict(
            "A sentence has already been recorded for this hearing.".into(),
        ));
    }
    let length = sentence.length_months.map(|m| m as i32);
    let expected_end = sentence
        .length_months
        .and_then(|m| sentence.sentenced_on.checked_add_months(Months::new(m)));
    diesel::update(events::table.find(hearing.event_id.to_string()))
        .set((
            events::sentence_type.eq(sentence.sentence_type.code()),
            events::case_type.eq(sentence.case_type().code()),
            events::sentence_date.eq(Some(sentence.sentenced_on)),
            events::sentence_length_months.eq(length),
            events::expected_end_date.eq(expected_end),
            events::court.eq(&hearing.court.name),
        ))
        .execute(conn)?;
    let mut requirement_ids = Vec::with_capacity(sentence.requirements.len());
    for (kind, length) in &sentence.requirements {
        let id = Uuid::new_v4();
        diesel::insert_into(requirements::table)
            .values((
                requirements::id.eq(id.to_string()),
                requirements::event_id.eq(hearing.event_id.to_string()),
                requirements::kind.eq(kind.code()),
                requirements::length.eq(length.map(|l| l as i32)),
                requirements::start_date.eq(sentence.sentenced_on),
                requirements::active.eq(true),
            ))
            .execute(conn)?;
        requirement_ids.push(id);
    }
    diesel::update(court_hearings::table.find(&key))
        .set((
            court_hearings::sentence_type.eq(Some(sentence.sentence_type.code())),
            court_hearings::sentence_length_months.eq(length),
            court_hearings::sentenced_on.eq(Some(sentence.sentenced_on)),
            court_hearings::sentence_recorded_by.eq(Some(by.to_string())),
        ))
        .execute(conn)?;
    let holder: Option<String> = allocations::table
        .filter(allocations::person_id.eq(hearing.person_id.to_string()))
        .filter(allocations::end_date.is_null())
        .select(allocations::staff_id)
        .first(conn)
        .optional()?;
    let sentenced = long_date(sentence.sentenced_on);
    let (task_for, title) = match holder {
        Some(holder) => (
            crate::rows::id(&holder)?,
            format!(
                "Arrange the induction appointment: {} passed on {sentenced}",
                sentence.sentence_type.label().to_lowercase()
            ),
        ),
        None => (
            by,
            format!(
                "Have the case allocated: {} passed on {sentenced}",
                sentence.sentence_type.label().to_lowercase()
            ),
        ),
    };
    let task_id = create_task(
        conn,
        &NewTask {
            staff_id: task_for,
            person_id: hearing.person_id,
            kind: SENTENCED_TASK_KIND,
            title: &title,
            due_on: sentence.induction_due(),
            created_by: Some(by),
        },
        now,
    )?;
    Ok(Recorded {
        requirement_ids,
        task_id,
        task_for,
    })
}
