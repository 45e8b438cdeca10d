//! The case record: everything keepsafe holds about one person on probation, loaded in a fixed
//! number of queries.

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{
    addresses, allocations, contacts, events, household_members, pdus, people, registrations,
    requirements, staff, teams,
};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use keepsafe_domain::access::CaseLocation;
use keepsafe_domain::address::AddressStatus;
use keepsafe_domain::event::{CaseType, OffenceCategory, SentenceType};
use keepsafe_domain::household::Relationship;
use keepsafe_domain::person::Sex;
use keepsafe_domain::registration::{MappaCategory, MappaLevel, RegistrationKind};
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::supervision::contact::{ContactOutcome, ContactType};
use std::collections::HashMap;
use uuid::Uuid;

/// Where a case sits, for the authorisation decision made before anything else is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocatedCase {
    pub person_id: Uuid,
    pub crn: String,
    pub location: CaseLocation,
    /// Its limited access lists, which every decision on the case applies
    /// (`keepsafe_domain::access::limited::decide_on_case`).
    pub limits: keepsafe_domain::access::limited::Limits,
}

/// Finds a case by CRN and where it sits (its PDU and the team of its current allocation).
pub fn locate(conn: &mut AnyConnection, crn: &str) -> StorageResult<Option<LocatedCase>> {
    let Some((person_id, crn, pdu_id, region_id)) = people::table
        .inner_join(pdus::table)
        .filter(people::crn.eq(crn))
        .select((people::id, people::crn, people::pdu_id, pdus::region_id))
        .first::<(String, String, String, String)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let team: Option<String> = allocations::table
        .filter(allocations::person_id.eq(&person_id))
        .filter(allocations::end_date.is_null())
        .select(allocations::team_id)
        .first(conn)
        .optional()?;
    let person_id = rows::id(&person_id)?;
    Ok(Some(LocatedCase {
        limits: super::limited::limits_for(conn, person_id)?,
        person_id,
        crn,
        location: CaseLocation {
            region: rows::id(&region_id)?,
            pdu: rows::id(&pdu_id)?,
            team: rows::opt_id(team.as_deref())?,
        },
    }))
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseRecord {
    pub person: PersonDetails,
    pub addresses: Vec<AddressRecord>,
    pub household: Vec<HouseholdRecord>,
    pub events: Vec<EventRecord>,
    pub registrations: Vec<RegistrationRecord>,
    pub contacts: Vec<ContactRecord>,
    pub allocations: Vec<AllocationRecord>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PersonDetails {
    pub id: Uuid,
    pub crn: String,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    pub pdu_name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AddressRecord {
    pub id: Uuid,
    pub line1: String,
    pub line2: Option<String>,
    pub town: String,
    pub postcode: String,
    pub status: AddressStatus,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdRecord {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub relationship: Relationship,
    pub date_of_birth: Option<NaiveDate>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    pub id: Uuid,
    pub number: i32,
    pub offence_description: String,
    pub offence_category: OffenceCategory,
    pub offence_date: NaiveDate,
    pub conviction_date: NaiveDate,
    pub court: String,
    pub sentence_type: SentenceType,
    pub case_type: CaseType,
    pub sentence_date: Option<NaiveDate>,
    pub sentence_length_months: Option<i32>,
    pub release_date: Option<NaiveDate>,
    pub expected_end_date: Option<NaiveDate>,
    pub active: bool,
    pub requirements: Vec<RequirementRecord>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequirementRecord {
    pub kind: RequirementKind,
    pub length: Option<i32>,
    pub detail: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RegistrationRecord {
    pub kind: RegistrationKind,
    pub mappa_category: Option<MappaCategory>,
    pub mappa_level: Option<MappaLevel>,
    pub registered_on: NaiveDate,
    pub next_review_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ContactRecord {
    pub contact_type: ContactType,
    pub starts_at: NaiveDateTime,
    pub location: String,
    pub outcome: Option<ContactOutcome>,
    pub notes: String,
    pub staff_name: Option<String>,
    /// Notes shown only on the contact's own page, whose opening is audit-logged.
    pub sensitive: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AllocationRecord {
    pub staff_name: String,
    pub grade: Grade,
    pub team_name: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub reason: String,
}

/// The name and CRN, for page headings.
pub fn heading(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<(String, String)> {
    let (first, last, crn) = people::table
        .find(person_id.to_string())
        .select((people::first_name, people::last_name, people::crn))
        .first::<(String, String, String)>(conn)?;
    Ok((format!("{first} {last}"), crn))
}

/// The case type of the person's most recent active event, if any.
pub fn main_case_type(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<Option<CaseType>> {
    let code: Option<String> = events::table
        .filter(events::person_id.eq(person_id.to_string()))
        .filter(events::active.eq(true))
        .order(events::event_number.desc())
        .select(events::case_type)
        .first(conn)
        .optional()?;
    rows::opt_code(code.as_deref())
}

/// Where the person lives now: the current address that is neither merely secondary nor only
/// proposed.
pub fn current_address_of(
    addresses: &[AddressRecord],
    today: NaiveDate,
) -> Option<keepsafe_domain::rosh::AddressFact> {
    addresses
        .iter()
        .filter(|a| a.end_date.is_none_or(|end| end > today))
        .find(|a| !matches!(a.status, AddressStatus::Secondary | AddressStatus::Proposed))
        .map(|a| keepsafe_domain::rosh::AddressFact {
            id: a.id,
            description: format!("{}, {}", a.line1, a.town),
        })
}

/// The person's current address, as checks and assessments refer to it.
pub fn current_address(
    conn: &mut AnyConnection,
    person_id: Uuid,
    today: NaiveDate,
) -> StorageResult<Option<keepsafe_domain::rosh::AddressFact>> {
    let addresses = load_addresses(conn, &person_id.to_string())?;
    Ok(current_address_of(&addresses, today))
}

/// Loads the whole record. Contacts are the most recent `contact_limit`, newest first.
pub fn load(
    conn: &mut AnyConnection,
    person_id: Uuid,
    contact_limit: i64,
) -> StorageResult<CaseRecord> {
    let id = person_id.to_string();
    Ok(CaseRecord {
        person: person(conn, &id)?,
        addresses: load_addresses(conn, &id)?,
        household: load_household(conn, &id)?,
        events: load_events(conn, &id)?,
        registrations: load_registrations(conn, &id)?,
        contacts: load_contacts(conn, &id, contact_limit)?,
        allocations: load_allocations(conn, &id)?,
    })
}

fn person(conn: &mut AnyConnection, id: &str) -> StorageResult<PersonDetails> {
    let (pid, crn, first_name, last_name, date_of_birth, sex, pdu_name) = people::table
        .inner_join(pdus::table)
        .filter(people::id.eq(id))
        .select((
            people::id,
            people::crn,
            people::first_name,
            people::last_name,
            people::date_of_birth,
            people::sex,
            pdus::name,
        ))
        .first::<(String, String, String, String, NaiveDate, String, String)>(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    Ok(PersonDetails {
        id: rows::id(&pid)?,
        crn,
        first_name,
        last_name,
        date_of_birth,
        sex: rows::code(&sex)?,
        pdu_name,
    })
}

/// Every address of the person, newest first: current, proposed and previous.
pub fn addresses(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<AddressRecord>> {
    load_addresses(conn, &person_id.to_string())
}

/// Everyone who lives or has lived with the person, newest first.
pub fn household(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<HouseholdRecord>> {
    load_household(conn, &person_id.to_string())
}

fn load_addresses(conn: &mut AnyConnection, id: &str) -> StorageResult<Vec<AddressRecord>> {
    Ok(addresses_of(conn, &[id.to_owned()])?
        .into_iter()
        .map(|(_, address)| address)
        .collect())
}

/// The addresses of many people, newest first, each with its person's id, in one query per 500.
fn addresses_of(
    conn: &mut AnyConnection,
    ids: &[String],
) -> StorageResult<Vec<(String, AddressRecord)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let rows = addresses::table
            .filter(addresses::person_id.eq_any(chunk))
            .order(addresses::start_date.desc())
            .select((
                addresses::person_id,
                (
                    addresses::id,
                    addresses::line1,
                    addresses::line2,
                    addresses::town,
                    addresses::postcode,
                    addresses::status,
                    addresses::start_date,
                    addresses::end_date,
                ),
            ))
            .load::<(String, AddressRow)>(conn)?;
        for (person, (id, line1, line2, town, postcode, status, start_date, end_date)) in rows {
            out.push((
                person,
                AddressRecord {
                    id: rows::id(&id)?,
                    line1,
                    line2,
                    town,
                    postcode,
                    status: rows::code(&status)?,
                    start_date,
                    end_date,
                },
            ));
        }
    }
    Ok(out)
}

type AddressRow = (
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    NaiveDate,
    Option<NaiveDate>,
);

/// The current address of each of these people (those with one), in one query per 500: the bulk
/// form of [`current_address`].
pub fn current_addresses(
    conn: &mut AnyConnection,
    person_ids: &[Uuid],
    today: NaiveDate,
) -> StorageResult<HashMap<Uuid, keepsafe_domain::rosh::AddressFact>> {
    let keys: Vec<String> = person_ids.iter().map(Uuid::to_string).collect();
    let mut by_person: HashMap<String, Vec<AddressRecord>> = HashMap::new();
    for (person, address) in addresses_of(conn, &keys)? {
        by_person.entry(person).or_default().push(address);
    }
    by_person
        .into_iter()
        .filter_map(|(person, addresses)| {
            current_address_of(&addresses, today).map(|fact| (person, fact))
        })
        .map(|(person, fact)| Ok((rows::id(&person)?, fact)))
        .collect()
}

fn load_household(conn: &mut AnyConnection, id: &str) -> StorageResult<Vec<HouseholdRecord>> {
    household_members::table
        .filter(household_members::person_id.eq(id))
        .order(household_members::start_date.desc())
        .select((
            household_members::id,
            household_members::first_name,
            household_members::last_name,
            household_members::relationship,
            household_members::date_of_birth,
            household_members::start_date,
            household_members::end_date,
        ))
        .load::<(
            String,
            String,
            String,
            String,
            Option<NaiveDate>,
            NaiveDate,
            Option<NaiveDate>,
        )>(conn)?
        .into_iter()
        .map(
            |(id, first_name, last_name, relationship, date_of_birth, start_date, end_date)| {
                Ok(HouseholdRecord {
                    id: rows::id(&id)?,
                    first_name,
                    last_name,
                    relationship: rows::code(&relationship)?,
                    date_of_birth,
                    start_date,
                    end_date,
                })
            },
        )
        .collect()
}

type EventRow = (
    String,
    i32,
    String,
    String,
    NaiveDate,
    NaiveDate,
    String,
    String,
    String,
    Option<NaiveDate>,
    Option<i32>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    bool,
);

fn load_events(conn: &mut AnyConnection, id: &str) -> StorageResult<Vec<EventRecord>> {
    let rows = events::table
        .filter(events::person_id.eq(id))
        .order((events::active.desc(), events::event_number.desc()))
        .select((
            events::id,
            events::event_number,
            events::offence_description,
            events::offence_category,
            events::offence_date,
            events::conviction_date,
            events::court,
            events::sentence_type,
            events::case_type,
            events::sentence_date,
            events::sentence_length_months,
            events::release_date,
            events::expected_end_date,
            events::active,
        ))
        .load::<EventRow>(conn)?;
    let event_ids: Vec<String> = rows.iter().map(|row| row.0.clone()).collect();
    let mut requirements = load_requirements(conn, &event_ids)?;
    rows.into_iter()
        .map(|row| {
            let requirements = requirements.remove(&row.0).unwrap_or_default();
            Ok(EventRecord {
                id: rows::id(&row.0)?,
                number: row.1,
                offence_description: row.2,
                offence_category: rows::code(&row.3)?,
                offence_date: row.4,
                conviction_date: row.5,
                court: row.6,
                sentence_type: rows::code(&row.7)?,
                case_type: rows::code(&row.8)?,
                sentence_date: row.9,
                sentence_length_months: row.10,
                release_date: row.11,
                expected_end_date: row.12,
                active: row.13,
                requirements,
            })
        })
        .collect()
}

fn load_requirements(
    conn: &mut AnyConnection,
    event_ids: &[String],
) -> StorageResult<HashMap<String, Vec<RequirementRecord>>> {
    let rows = requirements::table
        .filter(requirements::event_id.eq_any(event_ids))
        .order(requirements::start_date.asc())
        .select((
            requirements::event_id,
            requirements::kind,
            requirements::length,
            requirements::detail,
            requirements::start_date,
            requirements::end_date,
            requirements::active,
        ))
        .load::<(
            String,
            String,
            Option<i32>,
            Option<String>,
            NaiveDate,
            Option<NaiveDate>,
            bool,
        )>(conn)?;
    let mut by_event: HashMap<String, Vec<RequirementRecord>> = HashMap::new();
    for (event_id, kind, length, detail, start_date, end_date, active) in rows {
        by_event
            .entry(event_id)
            .or_default()
            .push(RequirementRecord {
                kind: rows::code(&kind)?,
                length,
                detail,
                start_date,
                end_date,
                active,
            });
    }
    Ok(by_event)
}

fn load_registrations(
    conn: &mut AnyConnection,
    id: &str,
) -> StorageResult<Vec<RegistrationRecord>> {
    registrations::table
        .filter(registrations::person_id.eq(id))
        .order(registrations::registered_on.desc())
        .select((
            registrations::kind,
            registrations::mappa_category,
            registrations::mappa_level,
            registrations::registered_on,
            registrations::next_review_on,
            registrations::ended_on,
            registrations::notes,
        ))
        .load::<(
            String,
            Option<String>,
            Option<String>,
            NaiveDate,
            Option<NaiveDate>,
            Option<NaiveDate>,
            String,
        )>(conn)?
        .into_iter()
        .map(
            |(kind, category, level, registered_on, next_review_on, ended_on, notes)| {
                Ok(RegistrationRecord {
                    kind: rows::code(&kind)?,
                    mappa_category: rows::opt_code(category.as_deref())?,
                    mappa_level: rows::opt_code(level.as_deref())?,
                    registered_on,
                    next_review_on,
                    ended_on,
                    notes,
                })
            },
        )
        .collect()
}

fn load_contacts(
    conn: &mut AnyConnection,
    id: &str,
    limit: i64,
) -> StorageResult<Vec<ContactRecord>> {
    contacts::table
        .left_join(staff::table.on(contacts::staff_id.eq(staff::id.nullable())))
        .filter(contacts::person_id.eq(id))
        .order(contacts::starts_at.desc())
        .limit(limit)
        .select((
            contacts::contact_type,
            contacts::starts_at,
            contacts::location,
            contacts::outcome,
            contacts::notes,
            staff::first_name.nullable(),
            staff::last_name.nullable(),
            contacts::sensitive,
        ))
        .load::<(
            String,
            NaiveDateTime,
            String,
            Option<String>,
            String,
            Option<String>,
            Option<String>,
            bool,
        )>(conn)?
        .into_iter()
        .map(
            |(kind, starts_at, location, outcome, notes, first, last, sensitive)| {
                Ok(ContactRecord {
                    contact_type: rows::code(&kind)?,
                    starts_at,
                    location,
                    outcome: rows::opt_code(outcome.as_deref())?,
                    notes,
                    staff_name: first.zip(last).map(|(f, l)| format!("{f} {l}")),
                    sensitive,
                })
            },
        )
        .collect()
}

fn load_allocations(conn: &mut AnyConnection, id: &str) -> StorageResult<Vec<AllocationRecord>> {
    allocations::table
        .inner_join(staff::table.on(staff::id.eq(allocations::staff_id)))
        .inner_join(teams::table)
        .filter(allocations::person_id.eq(id))
        .order(allocations::start_date.desc())
        .select((
            staff::first_name,
            staff::last_name,
            staff::grade,
            teams::name,
            allocations::start_date,
            allocations::end_date,
            allocations::reason,
        ))
        .load::<(
            String,
            String,
            String,
            String,
            NaiveDate,
            Option<NaiveDate>,
            String,
        )>(conn)?
        .into_iter()
        .map(
            |(first, last, grade, team_name, start_date, end_date, reason)| {
                Ok(AllocationRecord {
                    staff_name: format!("{first} {last}"),
                    grade: rows::code(&grade)?,
                    team_name,
                    start_date,
                    end_date,
                    reason,
                })
            },
        )
        .collect()
}
