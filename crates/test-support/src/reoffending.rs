//! Fixtures for reoffending outcomes: a finished sentence with a criminal history OGRS3 can read
//! (so its follow-up has a forecast), and a conviction recorded after it, written through storage.

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use keepsafe_domain::event::{CaseType, OffenceCategory, SentenceType};
use keepsafe_domain::reoffending::NewConviction;
use keepsafe_domain::CodedValue;
use keepsafe_storage::reoffending::convictions;
use keepsafe_storage::schema::{events, people};
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use uuid::Uuid;

/// Adds a finished sentence to the person's record: a community order sentenced on `starts_on`
/// (`release_on` `None`), or a prison sentence released on `release_on`, convicted a month before
/// and with `sanctions_before` earlier sanctions (the person's age at first sanction is set to 17
/// if it was not recorded). Returns the event.
pub fn finished_sentence(
    conn: &mut AnyConnection,
    person_id: Uuid,
    starts_on: NaiveDate,
    release_on: Option<NaiveDate>,
    sanctions_before: i32,
) -> Uuid {
    transaction::write(conn, |conn| {
        let person = person_id.to_string();
        let number: Option<i32> = events::table
            .filter(events::person_id.eq(&person))
            .select(diesel::dsl::max(events::event_number))
            .first(conn)?;
        let (case_type, sentence_type) = match release_on {
            None => (CaseType::Community, SentenceType::CommunityOrder),
            Some(_) => (CaseType::Licence, SentenceType::DeterminateCustody),
        };
        let id = Uuid::new_v4();
        diesel::insert_into(events::table)
            .values((
                events::id.eq(id.to_string()),
                events::person_id.eq(&person),
                events::event_number.eq(number.unwrap_or(0) + 1),
                events::offence_description.eq("Theft from a shop"),
                events::offence_category.eq(OffenceCategory::TheftNonMotor.code()),
                events::offence_date.eq(starts_on - Duration::days(90)),
                events::conviction_date.eq(starts_on - Duration::days(30)),
                events::court.eq("Midchester Magistrates' Court"),
                events::sentence_type.eq(sentence_type.code()),
                events::case_type.eq(case_type.code()),
                events::sentence_date.eq(starts_on),
                events::sentence_length_months.eq(12),
                events::release_date.eq(release_on),
                events::expected_end_date.eq(starts_on + Duration::days(365)),
                events::active.eq(false),
                events::sanctions_before.eq(sanctions_before),
            ))
            .execute(conn)?;
        diesel::update(
            people::table
                .find(&person)
                .filter(people::age_at_first_sanction.is_null()),
        )
        .set(people::age_at_first_sanction.eq(17))
        .execute(conn)?;
        Ok::<_, StorageError>(id)
    })
    .unwrap()
}

/// Records a conviction for an offence committed on `offence_on` and proven on `convicted_on`
/// against `event`, as the conviction form does.
pub fn convicted(
    conn: &mut AnyConnection,
    person_id: Uuid,
    event: Uuid,
    offence_on: NaiveDate,
    convicted_on: NaiveDate,
    by: Uuid,
) -> Uuid {
    let conviction = NewConviction {
        offence: "Criminal damage".into(),
        offence_category: OffenceCategory::CriminalDamage,
        offence_on,
        convicted_on,
        court: "Midchester Magistrates' Court".into(),
    };
    transaction::write(conn, |conn| {
        convictions::record(conn, person_id, event, &conviction, by, crate::clock::now())
    })
    .unwrap()
}
