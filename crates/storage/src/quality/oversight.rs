//! Management oversight records ([`keepsafe_domain::quality::oversight`]).

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::management_oversight;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use keepsafe_domain::quality::{OversightKind, OversightRecord};
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// A stored oversight record with its author's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOversight {
    pub id: Uuid,
    pub kind: OversightKind,
    pub recorded_on: NaiveDate,
    pub note: String,
    pub recorded_by: String,
}

pub fn record(
    conn: &mut AnyConnection,
    person_id: Uuid,
    record: &OversightRecord,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(management_oversight::table)
        .values((
            management_oversight::id.eq(id.to_string()),
            management_oversight::person_id.eq(person_id.to_string()),
            management_oversight::kind.eq(record.kind.code()),
            management_oversight::recorded_on.eq(record.recorded_on),
            management_oversight::note.eq(record.note.as_str()),
            management_oversight::recorded_by.eq(by.to_string()),
            management_oversight::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// A person's oversight records, newest first.
pub fn for_person(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<Vec<StoredOversight>> {
    let rows = management_oversight::table
        .filter(management_oversight::person_id.eq(person_id.to_string()))
        .order((
            management_oversight::recorded_on.desc(),
            management_oversight::created_at.desc(),
        ))
        .select((
            management_oversight::id,
            management_oversight::kind,
            management_oversight::recorded_on,
            management_oversight::note,
            management_oversight::recorded_by,
        ))
        .load::<(String, String, NaiveDate, String, String)>(conn)?;
    let names = crate::risk::checks::staff_names(
        conn,
        &rows.iter().map(|r| r.4.clone()).collect::<Vec<_>>(),
    )?;
    rows.into_iter()
        .map(|(id, kind, recorded_on, note, by)| {
            Ok(StoredOversight {
                id: rows::id(&id)?,
                kind: rows::code(&kind)?,
                recorded_on,
                note,
                recorded_by: names.get(&by).cloned().unwrap_or_else(|| "Unknown".into()),
            })
        })
        .collect()
}
