//! Fixtures for licences and release, written straight through storage: a case made a custody
//! case on a determinate sentence with no licence work yet (the demo's removed), and a release
//! address approved as suitable (as the address check pages approve one once the domain allows).

use chrono::NaiveDate;
use diesel::prelude::*;
use keepsafe_domain::address_suitability::CurfewPurpose;
use keepsafe_domain::event::{CaseType, SentenceType};
use keepsafe_domain::CodedValue;
use keepsafe_storage::risk::address_checks::{self, NewAddress};
use keepsafe_storage::schema::{
    custody_key_dates, events, licence_conditions, licence_tasks, licence_versions, licences,
};
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use uuid::Uuid;

/// Makes the person's latest event their one active sentence: a determinate custodial sentence
/// of `months` passed on `sentenced_on`, in custody, with no release date, key dates, tasks or
/// licence. Returns the event.
pub fn custody_case(
    conn: &mut AnyConnection,
    person_id: Uuid,
    sentenced_on: NaiveDate,
    months: i32,
) -> Uuid {
    let event = crate::enforcement::make_case(conn, person_id, CaseType::Custody);
    transaction::write(conn, |conn| {
        let person = person_id.to_string();
        diesel::update(events::table.find(event.to_string()))
            .set((
                events::sentence_type.eq(SentenceType::DeterminateCustody.code()),
                events::sentence_date.eq(Some(sentenced_on)),
                events::sentence_length_months.eq(Some(months)),
                events::release_date.eq(None::<NaiveDate>),
                events::expected_end_date.eq(None::<NaiveDate>),
            ))
            .execute(conn)?;
        diesel::delete(licence_conditions::table.filter(licence_conditions::person_id.eq(&person)))
            .execute(conn)?;
        diesel::delete(licence_versions::table.filter(licence_versions::person_id.eq(&person)))
            .execute(conn)?;
        diesel::delete(licences::table.filter(licences::person_id.eq(&person))).execute(conn)?;
        diesel::delete(licence_tasks::table.filter(licence_tasks::person_id.eq(&person)))
            .execute(conn)?;
        diesel::delete(custody_key_dates::table.filter(custody_key_dates::person_id.eq(&person)))
            .execute(conn)?;
        Ok::<_, StorageError>(())
    })
    .unwrap();
    event
}

/// A release address checked and approved as suitable on `on`, by `by`.
pub fn approved_address(
    conn: &mut AnyConnection,
    person_id: Uuid,
    by: Uuid,
    on: NaiveDate,
) -> Uuid {
    transaction::write(conn, |conn| {
        let now = on.and_hms_opt(9, 0, 0).unwrap().and_utc();
        let address = NewAddress {
            line1: "14 Canal Street".into(),
            town: "Midchester".into(),
            postcode: "MC1 4AB".into(),
        };
        let id = address_checks::start(
            conn,
            person_id,
            &address,
            CurfewPurpose::LicenceAddress,
            by,
            now,
        )?;
        address_checks::approve(conn, id, by, on)?;
        Ok::<_, StorageError>(id)
    })
    .unwrap()
}

impl crate::app::TestApp {
    /// An open handover task on the case's latest event, as the prison's dates schedule one, for
    /// the route walk's `{licence_task}`.
    pub fn licence_task(&self, crn: &str) -> Uuid {
        use keepsafe_domain::licences::{LicenceTaskKind, LICENCE_RULE_VERSION};
        let mut conn = self.db.database.connection().unwrap();
        let case = keepsafe_storage::cases::record::locate(&mut conn, crn)
            .unwrap()
            .unwrap();
        let person = case.person_id.to_string();
        let event: String = events::table
            .filter(events::person_id.eq(&person))
            .order(events::event_number.desc())
            .select(events::id)
            .first(&mut conn)
            .unwrap();
        let id = Uuid::new_v4();
        let today = crate::clock::now().date_naive();
        diesel::insert_into(licence_tasks::table)
            .values((
                licence_tasks::id.eq(id.to_string()),
                licence_tasks::person_id.eq(person),
                licence_tasks::event_id.eq(event),
                licence_tasks::kind.eq(LicenceTaskKind::HandoverMeeting.code()),
                licence_tasks::visible_from.eq(today),
                licence_tasks::due_on.eq(today),
                licence_tasks::rule_version.eq(LICENCE_RULE_VERSION),
                licence_tasks::created_at.eq(crate::clock::now().naive_utc()),
            ))
            .execute(&mut conn)
            .unwrap();
        id
    }
}
