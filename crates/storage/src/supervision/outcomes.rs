//! Outcomes of appointments and the judgement of failures (`contacts` columns of migration 13).
//!
//! An outcome is written only where none is (`UPDATE … WHERE outcome IS NULL`), so when two
//! people record the same appointment at once the second writes nothing and is told who was
//! first. A judgement waiting for evidence is replaced only while it is still waiting.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{contacts, people, staff};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::supervision::contact::{
    ContactOutcome, ContactStatus, ContactType, FailureJudgement,
};
use keepsafe_domain::supervision::outcome::Judgement;
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// An appointment with what is known of its outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Appointment {
    pub id: Uuid,
    pub person_id: Uuid,
    pub event_id: Option<Uuid>,
    pub requirement_id: Option<Uuid>,
    pub kind: ContactType,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub location: String,
    pub with_staff: Option<Uuid>,
    pub status: ContactStatus,
    pub outcome: Option<ContactOutcome>,
    pub outcome_recorded_by: Option<String>,
    pub outcome_recorded_at: Option<NaiveDateTime>,
    pub late_reason: Option<String>,
    pub judgement: Option<FailureJudgement>,
    pub judgement_reason: Option<String>,
    pub judgement_evidence: Option<String>,
    pub evidence_due_on: Option<NaiveDate>,
    pub judged_by: Option<String>,
    pub judged_at: Option<NaiveDateTime>,
}

impl Appointment {
    /// When it ends (its start when no end was given).
    pub fn ends(&self) -> NaiveDateTime {
        self.ends_at.unwrap_or(self.starts_at)
    }
}

type Row = (
    (
        String,
        String,
        Option<String>,
        Option<String>,
        String,
        NaiveDateTime,
        Option<NaiveDateTime>,
        String,
        Option<String>,
        String,
        Option<String>,
    ),
    (
        Option<String>,
        Option<NaiveDateTime>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<NaiveDate>,
        Option<String>,
        Option<NaiveDateTime>,
    ),
);

/// The name of the member of staff `id`, if one is given.
pub(crate) fn staff_name(
    conn: &mut AnyConnection,
    id: Option<&str>,
) -> StorageResult<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    let (first, last) = staff::table
        .find(id)
        .select((staff::first_name, staff::last_name))
        .first::<(String, String)>(conn)?;
    Ok(Some(format!("{first} {last}")))
}

/// The appointment `id` of the person (not found if it is another person's, or a system event).
pub fn find(conn: &mut AnyConnection, person_id: Uuid, id: Uuid) -> StorageResult<Appointment> {
    let row: Row = contacts::table
        .filter(contacts::id.eq(id.to_string()))
        .filter(contacts::person_id.eq(person_id.to_string()))
        .select((
            (
                contacts::id,
                contacts::person_id,
                contacts::event_id,
                contacts::requirement_id,
                contacts::contact_type,
                contacts::starts_at,
                contacts::ends_at,
                contacts::location,
                contacts::staff_id,
                contacts::status,
                contacts::outcome,
            ),
            (
                contacts::outcome_recorded_by,
                contacts::outcome_recorded_at,
                contacts::late_reason,
                contacts::judgement,
                contacts::judgement_reason,
                contacts::judgement_evidence,
                contacts::evidence_due_on,
                contacts::judged_by,
                contacts::judged_at,
            ),
        ))
        .first(conn)
        .optional()?
        .ok_or(crate::StorageError::NotFound)?;
    let (a, b) = row;
    let kind: ContactType = rows::code(&a.4)?;
    if kind.is_system_event() {
        return Err(crate::StorageError::NotFound);
    }
    Ok(Appointment {
        id: rows::id(&a.0)?,
        person_id: rows::id(&a.1)?,
        event_id: rows::opt_id(a.2.as_deref())?,
        requirement_id: rows::opt_id(a.3.as_deref())?,
        kind,
        starts_at: a.5,
        ends_at: a.6,
        location: a.7,
        with_staff: rows::opt_id(a.8.as_deref())?,
        status: rows::code(&a.9)?,
        outcome: rows::opt_code(a.10.as_deref())?,
        outcome_recorded_by: staff_name(conn, b.0.as_deref())?,
        outcome_recorded_at: b.1,
        late_reason: b.2,
        judgement: rows::opt_code(b.3.as_deref())?,
        judgement_reason: b.4,
        judgement_evidence: b.5,
        evidence_due_on: b.6,
        judged_by: staff_name(conn, b.7.as_deref())?,
        judged_at: b.8,
    })
}

/// An outcome to record, checked by the domain.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedOutcome {
    pub outcome: ContactOutcome,
    /// `None` for "attended and complied".
    pub judgement: Option<Judgement>,
    pub late_reason: Option<String>,
}

/// Who recorded an outcome first, when a second recording found one already there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlreadyRecorded {
    pub by: String,
    pub at: Option<NaiveDateTime>,
}

fn judgement_columns(
    judgement: Option<&Judgement>,
) -> (
    Option<&'static str>,
    Option<String>,
    Option<String>,
    Option<NaiveDate>,
) {
    match judgement {
        None => (None, None, None, None),
        Some(Judgement::Acceptable { reason, evidence }) => (
            Some(FailureJudgement::Acceptable.code()),
            Some(reason.clone()),
            Some(evidence.clone()),
            None,
        ),
        Some(Judgement::Unacceptable { reason }) => (
            Some(FailureJudgement::Unacceptable.code()),
            reason.clone(),
            None,
            None,
        ),
        Some(Judgement::AwaitingEvidence { reason, due_on }) => (
            Some(FailureJudgement::AwaitingEvidence.code()),
            reason.clone(),
            None,
            Some(*due_on),
        ),
    }
}

/// Records the outcome of the appointment if nobody has; otherwise writes nothing and says who
/// did. Only an arranged appointment (not cancelled or moved) takes an outcome.
pub fn record(
    conn: &mut AnyConnection,
    id: Uuid,
    outcome: &RecordedOutcome,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Result<(), AlreadyRecorded>> {
    let now = now.naive_utc();
    let (judgement, reason, evidence, due) = judgement_columns(outcome.judgement.as_ref());
    let judged = judgement.map(|_| (by.to_string(), now));
    let updated = diesel::update(
        contacts::table
            .filter(contacts::id.eq(id.to_string()))
            .filter(contacts::outcome.is_null())
            .filter(contacts::status.eq(ContactStatus::Arranged.code())),
    )
    .set((
        contacts::outcome.eq(outcome.outcome.code()),
        contacts::outcome_recorded_by.eq(by.to_string()),
        contacts::outcome_recorded_at.eq(now),
        contacts::late_reason.eq(&outcome.late_reason),
        contacts::judgement.eq(judgement),
        contacts::judgement_reason.eq(reason),
        contacts::judgement_evidence.eq(evidence),
        contacts::evidence_due_on.eq(due),
        contacts::judged_by.eq(judged.as_ref().map(|j| j.0.clone())),
        contacts::judged_at.eq(judged.map(|j| j.1)),
    ))
    .execute(conn)?;
    if updated == 1 {
        return Ok(Ok(()));
    }
    let (first_by, at) = contacts::table
        .filter(contacts::id.eq(id.to_string()))
        .select((contacts::outcome_recorded_by, contacts::outcome_recorded_at))
        .first::<(Option<String>, Option<NaiveDateTime>)>(conn)?;
    Ok(Err(AlreadyRecorded {
        by: staff_name(conn, first_by.as_deref())?.unwrap_or_else(|| "someone else".into()),
        at,
    }))
}

/// Judges a failure that was waiting for evidence. Writes nothing (and returns false) if it is no
/// longer waiting: someone judged it first.
pub fn judge(
    conn: &mut AnyConnection,
    id: Uuid,
    judgement: &Judgement,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<bool> {
    let (code, reason, evidence, due) = judgement_columns(Some(judgement));
    let updated = diesel::update(
        contacts::table
            .filter(contacts::id.eq(id.to_string()))
            .filter(contacts::judgement.eq(FailureJudgement::AwaitingEvidence.code())),
    )
    .set((
        contacts::judgement.eq(code),
        contacts::judgement_reason.eq(reason),
        contacts::judgement_evidence.eq(evidence),
        contacts::evidence_due_on.eq(due),
        contacts::judged_by.eq(by.to_string()),
        contacts::judged_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// An appointment on a task list.
#[derive(Debug, Clone, PartialEq)]
pub struct AppointmentTask {
    pub id: Uuid,
    pub crn: String,
    pub name: String,
    pub kind: ContactType,
    pub starts_at: NaiveDateTime,
    pub evidence_due_on: Option<NaiveDate>,
}

type TaskRow = (
    String,
    String,
    String,
    String,
    String,
    NaiveDateTime,
    Option<NaiveDate>,
);

fn task(row: TaskRow) -> StorageResult<AppointmentTask> {
    Ok(AppointmentTask {
        id: rows::id(&row.0)?,
        crn: row.1,
        name: format!("{} {}", row.2, row.3),
        kind: rows::code(&row.4)?,
        starts_at: row.5,
        evidence_due_on: row.6,
    })
}

/// The most rows a task section lists.
pub const TASK_LIMIT: i64 = 200;

/// The columns an [`AppointmentTask`] is read from (contacts joined to their person).
#[diesel::dsl::auto_type(no_type_alias)]
fn task_columns() -> _ {
    (
        contacts::id,
        people::crn,
        people::first_name,
        people::last_name,
        contacts::contact_type,
        contacts::starts_at,
        contacts::evidence_due_on,
    )
}

/// The practitioner's appointments that have started and have no outcome, oldest first (one
/// query; at most [`TASK_LIMIT`]).
pub fn awaiting_outcome_for_staff(
    conn: &mut AnyConnection,
    staff_id: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Vec<AppointmentTask>> {
    contacts::table
        .inner_join(people::table)
        .filter(contacts::staff_id.eq(staff_id.to_string()))
        .filter(contacts::status.eq(ContactStatus::Arranged.code()))
        .filter(contacts::outcome.is_null())
        .filter(contacts::starts_at.le(now.naive_utc()))
        .filter(contacts::contact_type.ne_all(crate::supervision::contacts::system_event_codes()))
        .select(task_columns())
        .order((contacts::starts_at.asc(), contacts::id.asc()))
        .limit(TASK_LIMIT)
        .load::<TaskRow>(conn)?
        .into_iter()
        .map(task)
        .collect()
}

/// The practitioner's failures still waiting for evidence after the wait ended (`evidence_due_on`
/// before `today`), longest waiting first (one query).
pub fn evidence_to_judge_for_staff(
    conn: &mut AnyConnection,
    staff_id: Uuid,
    today: NaiveDate,
) -> StorageResult<Vec<AppointmentTask>> {
    contacts::table
        .inner_join(people::table)
        .filter(contacts::staff_id.eq(staff_id.to_string()))
        .filter(contacts::judgement.eq(FailureJudgement::AwaitingEvidence.code()))
        .filter(contacts::evidence_due_on.lt(today))
        .select(task_columns())
        .order((contacts::evidence_due_on.asc(), contacts::id.asc()))
        .limit(TASK_LIMIT)
        .load::<TaskRow>(conn)?
        .into_iter()
        .map(task)
        .collect()
}
