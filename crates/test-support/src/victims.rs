//! Victims fixtures: a victim with a distinctive name and address on a case, written through
//! storage as the victim liaison pages write one (opted in, with a contact, views and an exclusion
//! zone asked for), so tests of segregation have something to leak.

use crate::clock;
use keepsafe_domain::address::Postcode;
use keepsafe_domain::person::TelephoneNumber;
use keepsafe_domain::supervision::reminders::EmailAddress;
use keepsafe_domain::text::LongText;
use keepsafe_domain::victims::{
    ConditionKind, ConditionStatus, NewCondition, NewContact, NewVictim, VictimRole, VictimStage,
};
use keepsafe_storage::victims::records;
use keepsafe_storage::{transaction, AnyConnection};
use uuid::Uuid;

/// The fixture victim's name: unlike any demo name, so finding it anywhere is a leak.
pub const NAME: &str = "Philippa Quarrendon-Vasquez";
/// The fixture victim's street.
pub const STREET: &str = "17 Zephyrine Gardens";
/// The fixture victim's postcode.
pub const POSTCODE: &str = "ZE2 9QX";
/// The fixture victim's telephone and email.
pub const PHONE: &str = "01632960777";
pub const EMAIL: &str = "p.quarrendon@example.org";
/// The exclusion zone's area, as victim liaison describe it for the licence.
pub const ZONE: &str = "The Northgate ward of Midchester, bounded by the ring road";

/// The fixture victim: opted in today.
pub fn victim() -> NewVictim {
    NewVictim {
        name: NAME.to_owned(),
        address: format!("{STREET}\nMidchester"),
        postcode: Some(Postcode::parse(POSTCODE).expect("a real postcode")),
        phone: Some(TelephoneNumber::parse(PHONE).expect("a UK number")),
        email: Some(EmailAddress::parse(EMAIL).expect("an email address")),
        role: VictimRole::Victim,
        opted_in: Some(true),
        decided_on: Some(clock::today()),
    }
}

/// The exclusion zone the fixture victim asks for.
pub fn exclusion_zone() -> NewCondition {
    NewCondition {
        kind: ConditionKind::ExclusionZone,
        details: ZONE.to_owned(),
        reason: LongText::required(&format!("{NAME} lives and works at {STREET}"))
            .expect("short text"),
        status: ConditionStatus::Requested,
        status_reason: String::new(),
    }
}

/// Records the fixture victim on the person's case, kept by `liaison_officer`, with a contact
/// at sentence, their views and an exclusion zone asked for. Returns the victim's and the
/// condition's ids.
pub fn record_victim(
    conn: &mut AnyConnection,
    person_id: Uuid,
    liaison_officer: Uuid,
) -> (Uuid, Uuid) {
    let now = clock::now();
    transaction::write(conn, |conn| {
        let id = records::add(conn, person_id, &victim(), liaison_officer, now)?;
        records::record_contact(
            conn,
            person_id,
            id,
            &NewContact {
                stage: VictimStage::Sentence,
                contacted_on: clock::today(),
                notes: LongText::required(&format!("Spoke to {NAME} at {STREET}"))
                    .expect("short text"),
            },
            liaison_officer,
            now,
        )?;
        records::add_view(
            conn,
            id,
            clock::today(),
            &format!("{NAME} is frightened of meeting him near {STREET}, {POSTCODE}"),
            liaison_officer,
            now,
        )?;
        let condition =
            records::add_condition(conn, person_id, id, &exclusion_zone(), liaison_officer, now)?;
        Ok::<_, keepsafe_storage::StorageError>((id, condition))
    })
    .expect("the fixture victim is recorded")
}
