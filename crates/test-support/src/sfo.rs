//! Serious further offence fixtures: a qualifying charge recorded on a person's case through
//! storage as the charge form records one (checked by the domain against the person's
//! supervision), and the steps after it, for the SFO pages, list, tasks and leak tests.

use chrono::{Duration, NaiveDate};
use keepsafe_domain::sfo::{ChargeDraft, QualifyingOffence, SfoRules};
use keepsafe_domain::text::LongText;
use keepsafe_storage::sfo::cases;
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use uuid::Uuid;

/// Findings text no page may show to anyone but those who may read the review.
pub const FINDINGS: &str = "Quillon Marchbanks missed the tripwire of the Ashgrove referral";

/// Records a charge of GBH with intent on `person`, committed 10 days before `known_on` (while
/// supervised) and charged 3 days before it, recorded by `by`; returns the case's id.
pub fn charged(
    conn: &mut AnyConnection,
    person: Uuid,
    known_on: NaiveDate,
    by: Uuid,
) -> Result<Uuid, StorageError> {
    transaction::write(conn, |conn| {
        let periods = cases::supervised_periods(conn, person)?;
        let charge = ChargeDraft {
            offence: Some(QualifyingOffence::GbhWithIntent),
            committed_on: Some(known_on - Duration::days(10)),
            charged_on: Some(known_on - Duration::days(3)),
            known_on: Some(known_on),
            reference: "TEST/26/0001".into(),
        }
        .check(&periods, crate::clock::today(), &SfoRules::default())
        .map_err(|errors| StorageError::Conflict(format!("{errors:?}")))?;
        cases::record_charge(conn, person, &charge, by, crate::clock::now())
    })
}

/// Records the notification of case `id` on `on`.
pub fn notified(
    conn: &mut AnyConnection,
    id: Uuid,
    on: NaiveDate,
    by: Uuid,
) -> Result<(), StorageError> {
    transaction::write(conn, |conn| {
        cases::record_notification(conn, id, on, by, crate::clock::now())
    })
}

/// Assigns `reviewer` to case `id`.
pub fn reviewed_by(conn: &mut AnyConnection, id: Uuid, reviewer: Uuid) -> Result<(), StorageError> {
    transaction::write(conn, |conn| {
        cases::assign_reviewer(
            conn,
            id,
            reviewer,
            crate::clock::today(),
            crate::clock::now(),
        )
    })
}

/// Saves draft findings on case `id` whose learning points are [`FINDINGS`].
pub fn drafted(conn: &mut AnyConnection, id: Uuid) -> Result<(), StorageError> {
    let text = |s: &str| LongText::required(s).expect("text");
    transaction::write(conn, |conn| {
        cases::save_draft(
            conn,
            id,
            &(text("Seen weekly"), text("Checks late"), text(FINDINGS)),
            crate::clock::today(),
            crate::clock::now(),
        )
    })
}

/// Ends every event of `person` on `on`, as a closed case's are, so the days after supervision
/// can be tested.
pub fn supervision_ended(
    conn: &mut AnyConnection,
    person: Uuid,
    on: NaiveDate,
) -> Result<(), StorageError> {
    use diesel::prelude::*;
    use keepsafe_storage::schema::events;
    diesel::update(events::table.filter(events::person_id.eq(person.to_string())))
        .set((
            events::active.eq(false),
            events::expected_end_date.eq(Some(on)),
            events::sentence_date.eq(Some(on - Duration::days(365))),
        ))
        .execute(conn)?;
    Ok(())
}
