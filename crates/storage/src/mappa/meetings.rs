//! Recording a MAPPA meeting and reading a case's meetings.

use crate::cases::registrations::{self, Consequences, NewReview, RegistrationEntry};
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{mappa_meetings, staff};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use keepsafe_domain::mappa::{MappaAgency, MeetingFacts};
use keepsafe_domain::registration::{MappaCategory, MappaLevel, RegistrationKind};
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// A meeting as the MAPPA page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRecord {
    pub id: Uuid,
    pub registration_id: Uuid,
    pub held_on: NaiveDate,
    pub category: MappaCategory,
    pub level: MappaLevel,
    pub chair: String,
    pub agencies: Vec<MappaAgency>,
    pub decisions: String,
    pub next_meeting_on: NaiveDate,
    pub rule_version: String,
    pub recorded_by: String,
}

/// Records a meeting held on the person's current MAPPA registration: the registration is
/// reviewed (category, level and next review set from the meeting, with the consequences of a
/// change — a risk assessment review task and the tiers recomputed) and the meeting kept. Returns
/// the meeting's id, the registration as it was, and the consequences. A registration of another
/// kind, or another person's, is not found; an ended one is a conflict.
pub fn record(
    conn: &mut AnyConnection,
    person_id: Uuid,
    registration_id: Uuid,
    meeting: &MeetingFacts,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<(Uuid, RegistrationEntry, Consequences)> {
    let entry = registrations::registration(conn, person_id, registration_id)?;
    if entry.kind != RegistrationKind::Mappa {
        return Err(StorageError::NotFound);
    }
    let review = NewReview {
        reviewed_on: meeting.held_on,
        notes: format!(
            "MAPPA meeting chaired by {}. {}",
            meeting.chair,
            meeting.decisions.as_str()
        ),
        next_review_on: meeting.next_meeting_on,
        mappa: Some((meeting.category, meeting.level)),
        rule_version: meeting.rule_version.to_owned(),
    };
    let (before, consequences) =
        registrations::review(conn, person_id, registration_id, &review, by, now)?;
    let id = Uuid::new_v4();
    diesel::insert_into(mappa_meetings::table)
        .values((
            mappa_meetings::id.eq(id.to_string()),
            mappa_meetings::registration_id.eq(registration_id.to_string()),
            mappa_meetings::person_id.eq(person_id.to_string()),
            mappa_meetings::held_on.eq(meeting.held_on),
            mappa_meetings::category.eq(meeting.category.code()),
            mappa_meetings::level.eq(meeting.level.code()),
            mappa_meetings::chair.eq(&meeting.chair),
            mappa_meetings::agencies.eq(agency_codes(&meeting.agencies)),
            mappa_meetings::decisions.eq(meeting.decisions.as_str()),
            mappa_meetings::next_meeting_on.eq(meeting.next_meeting_on),
            mappa_meetings::rule_version.eq(meeting.rule_version),
            mappa_meetings::recorded_by.eq(by.to_string()),
            mappa_meetings::recorded_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok((id, before, consequences))
}

/// The agencies as stored: their codes, comma-separated.
pub fn agency_codes(agencies: &[MappaAgency]) -> String {
    agencies
        .iter()
        .map(|agency| agency.code())
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_agencies(stored: &str) -> StorageResult<Vec<MappaAgency>> {
    stored
        .split(',')
        .filter(|code| !code.is_empty())
        .map(rows::code)
        .collect()
}

type MeetingRow = (
    String,
    String,
    NaiveDate,
    String,
    String,
    String,
    String,
    String,
    NaiveDate,
    String,
    String,
    String,
);

/// The person's meetings, newest first, with who recorded each: one query.
pub fn for_person(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<MeetingRecord>> {
    mappa_meetings::table
        .inner_join(staff::table.on(staff::id.eq(mappa_meetings::recorded_by)))
        .filter(mappa_meetings::person_id.eq(person_id.to_string()))
        .order((
            mappa_meetings::held_on.desc(),
            mappa_meetings::recorded_at.desc(),
        ))
        .select((
            mappa_meetings::id,
            mappa_meetings::registration_id,
            mappa_meetings::held_on,
            mappa_meetings::category,
            mappa_meetings::level,
            mappa_meetings::chair,
            mappa_meetings::agencies,
            mappa_meetings::decisions,
            mappa_meetings::next_meeting_on,
            mappa_meetings::rule_version,
            staff::first_name,
            staff::last_name,
        ))
        .load::<MeetingRow>(conn)?
        .into_iter()
        .map(|row| {
            Ok(MeetingRecord {
                id: rows::id(&row.0)?,
                registration_id: rows::id(&row.1)?,
                held_on: row.2,
                category: rows::code(&row.3)?,
                level: rows::code(&row.4)?,
                chair: row.5,
                agencies: parse_agencies(&row.6)?,
                decisions: row.7,
                next_meeting_on: row.8,
                rule_version: row.9,
                recorded_by: format!("{} {}", row.10, row.11),
            })
        })
        .collect()
}
