//! Writing contacts and appointments. A contact recorded after the fact is an appointment written
//! with its outcome; a series is several rows sharing a `series_id`.

use crate::batch::insert_rows;
use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::schema::contacts;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::supervision::contact::{
    ContactOutcome, ContactStatus, ContactType, FailureJudgement, LocationKind,
};
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// A contact or appointment to write.
#[derive(Debug, Clone, PartialEq)]
pub struct NewContact {
    pub id: Uuid,
    pub person_id: Uuid,
    pub event_id: Option<Uuid>,
    pub requirement_id: Option<Uuid>,
    pub kind: ContactType,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub location_kind: LocationKind,
    /// The place in words ("Leicester probation office", the home address, "Telephone").
    pub location: String,
    /// Who the person is seeing (or who made the contact).
    pub with_staff: Option<Uuid>,
    pub sensitive: bool,
    pub enforceable: bool,
    pub notes: String,
    pub series_id: Option<Uuid>,
    /// Set when the contact is recorded after the fact.
    pub outcome: Option<ContactOutcome>,
    pub judgement: Option<FailureJudgement>,
    pub created_by: Uuid,
}

#[derive(Insertable)]
#[diesel(table_name = contacts)]
struct ContactInsert {
    id: String,
    person_id: String,
    event_id: Option<String>,
    requirement_id: Option<String>,
    contact_type: &'static str,
    starts_at: NaiveDateTime,
    ends_at: Option<NaiveDateTime>,
    location_kind: &'static str,
    location: String,
    staff_id: Option<String>,
    sensitive: bool,
    enforceable: bool,
    notes: String,
    series_id: Option<String>,
    status: &'static str,
    outcome: Option<&'static str>,
    outcome_recorded_by: Option<String>,
    outcome_recorded_at: Option<NaiveDateTime>,
    judgement: Option<&'static str>,
    judged_by: Option<String>,
    judged_at: Option<NaiveDateTime>,
    created_by: Option<String>,
    created_at: Option<NaiveDateTime>,
}

/// Writes contacts (one, or a whole series) inside the caller's transaction.
pub fn insert(
    conn: &mut AnyConnection,
    new: &[NewContact],
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let now = now.naive_utc();
    let rows: Vec<ContactInsert> = new
        .iter()
        .map(|c| {
            let by = c.created_by.to_string();
            ContactInsert {
                id: c.id.to_string(),
                person_id: c.person_id.to_string(),
                event_id: c.event_id.map(|id| id.to_string()),
                requirement_id: c.requirement_id.map(|id| id.to_string()),
                contact_type: c.kind.code(),
                starts_at: c.starts_at,
                ends_at: c.ends_at,
                location_kind: c.location_kind.code(),
                location: c.location.clone(),
                staff_id: c.with_staff.map(|id| id.to_string()),
                sensitive: c.sensitive,
                enforceable: c.enforceable,
                notes: c.notes.clone(),
                series_id: c.series_id.map(|id| id.to_string()),
                status: ContactStatus::Arranged.code(),
                outcome: c.outcome.map(CodedValue::code),
                outcome_recorded_by: c.outcome.map(|_| by.clone()),
                outcome_recorded_at: c.outcome.map(|_| now),
                judgement: c.judgement.map(CodedValue::code),
                judged_by: c.judgement.map(|_| by.clone()),
                judged_at: c.judgement.map(|_| now),
                created_by: Some(by),
                created_at: Some(now),
            }
        })
        .collect();
    for chunk in rows.chunks(200) {
        insert_rows!(conn, contacts::table, chunk)?;
    }
    Ok(())
}
