//! Caseloads: the cases allocated to a practitioner, to a team, or waiting for allocation in a PDU.
//! Each list is built from a fixed number of queries, however many cases it holds.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{allocations, contacts, events, people, registrations, staff, teams};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{exists, max, min, not};
use diesel::prelude::*;
use keepsafe_domain::event::{CaseType, SentenceType};
use keepsafe_domain::person::Sex;
use keepsafe_domain::registration::{MappaLevel, RegistrationKind};
use keepsafe_domain::staff::Grade;
use keepsafe_domain::supervision::contact::ContactStatus;
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// One line of a caseload.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseSummary {
    pub person_id: Uuid,
    pub crn: String,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    /// From the most recent active event; `None` if the person has no active event.
    pub main_event: Option<EventSummary>,
    pub flags: Vec<RegistrationKind>,
    pub mappa_level: Option<MappaLevel>,
    pub next_appointment: Option<NaiveDateTime>,
    pub last_contact: Option<NaiveDateTime>,
    pub allocation: Option<CurrentAllocation>,
    /// The level of the completed RoSH assessment in force, if any.
    pub rosh: Option<keepsafe_domain::rosh::RoshLevel>,
    /// The computed tiers, if any.
    pub tier: Option<crate::risk::scores::TierSummary>,
}

/// The sentence a caseload line shows.
#[derive(Debug, Clone, PartialEq)]
pub struct EventSummary {
    pub case_type: CaseType,
    pub sentence_type: SentenceType,
    pub offence_description: String,
    pub sentence_date: Option<NaiveDate>,
    pub release_date: Option<NaiveDate>,
    pub expected_end_date: Option<NaiveDate>,
    pub active_events: usize,
}

/// Who manages the case now.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentAllocation {
    pub staff_id: Uuid,
    pub staff_name: String,
    pub grade: Grade,
    pub team_name: String,
    pub since: NaiveDate,
}

type BaseRow = (
    String,
    String,
    String,
    String,
    NaiveDate,
    String,
    Option<(String, String, String, String, String, NaiveDate)>,
);

/// Cases currently allocated to one member of staff.
pub fn for_staff(
    conn: &mut AnyConnection,
    staff_id: Uuid,
    now: NaiveDateTime,
) -> StorageResult<Vec<CaseSummary>> {
    allocated(conn, AllocatedTo::Staff(staff_id), now)
}

/// Cases currently allocated to anyone in a team.
pub fn for_team(
    conn: &mut AnyConnection,
    team_id: Uuid,
    now: NaiveDateTime,
) -> StorageResult<Vec<CaseSummary>> {
    allocated(conn, AllocatedTo::Team(team_id), now)
}

enum AllocatedTo {
    Staff(Uuid),
    Team(Uuid),
}

fn allocated(
    conn: &mut AnyConnection,
    to: AllocatedTo,
    now: NaiveDateTime,
) -> StorageResult<Vec<CaseSummary>> {
    let query = people::table
        .inner_join(allocations::table)
        .inner_join(staff::table.on(staff::id.eq(allocations::staff_id)))
        .inner_join(teams::table.on(teams::id.eq(allocations::team_id)))
        .filter(allocations::end_date.is_null())
        .select((
            people::id,
            people::crn,
            people::first_name,
            people::last_name,
            people::date_of_birth,
            people::sex,
            staff::id,
            staff::first_name,
            staff::last_name,
            staff::grade,
            teams::name,
            allocations::start_date,
        ))
        .into_boxed();
    let query = match to {
        AllocatedTo::Staff(id) => query.filter(allocations::staff_id.eq(id.to_string())),
        AllocatedTo::Team(id) => query.filter(allocations::team_id.eq(id.to_string())),
    };
    let base = query
        .load::<BaseRowFlat>(conn)?
        .into_iter()
        .map(nest)
        .collect();
    summarise(conn, base, now)
}

/// Cases held by a PDU that nobody manages yet.
pub fn unallocated_in_pdu(
    conn: &mut AnyConnection,
    pdu_id: Uuid,
    now: NaiveDateTime,
) -> StorageResult<Vec<CaseSummary>> {
    let current = allocations::table
        .filter(allocations::person_id.eq(people::id))
        .filter(allocations::end_date.is_null());
    let base = people::table
        .filter(people::pdu_id.eq(pdu_id.to_string()))
        .filter(not(exists(current)))
        .select((
            people::id,
            people::crn,
            people::first_name,
            people::last_name,
            people::date_of_birth,
            people::sex,
        ))
        .load::<(String, String, String, String, NaiveDate, String)>(conn)?
        .into_iter()
        .map(|(id, crn, first, last, dob, sex)| (id, crn, first, last, dob, sex, None))
        .collect();
    summarise(conn, base, now)
}

type BaseRowFlat = (
    String,
    String,
    String,
    String,
    NaiveDate,
    String,
    String,
    String,
    String,
    String,
    String,
    NaiveDate,
);

fn nest(row: BaseRowFlat) -> BaseRow {
    let (id, crn, first, last, dob, sex, staff_id, staff_first, staff_last, grade, team, since) =
        row;
    (
        id,
        crn,
        first,
        last,
        dob,
        sex,
        Some((staff_id, staff_first, staff_last, grade, team, since)),
    )
}

/// Fills in events, flags and appointments for a set of people with four more queries.
fn summarise(
    conn: &mut AnyConnection,
    base: Vec<BaseRow>,
    now: NaiveDateTime,
) -> StorageResult<Vec<CaseSummary>> {
    let ids: Vec<String> = base.iter().map(|row| row.0.clone()).collect();
    let mut events_by_person = active_events(conn, &ids)?;
    let mut flags_by_person = active_flags(conn, &ids)?;
    let next = next_appointments(conn, &ids, now)?;
    let last = last_contacts(conn, &ids, now)?;
    let rosh = crate::risk::assessments::current_levels(conn, &ids)?;
    let mut tiers = crate::risk::scores::tiers_for(conn, &ids)?;

    base.into_iter()
        .map(
            |(id, crn, first_name, last_name, date_of_birth, sex, allocation)| {
                let (flags, mappa_level) = flags_by_person.remove(&id).unwrap_or_default();
                let allocation = allocation
                    .map(
                        |(staff_id, staff_first, staff_last, grade, team_name, since)| {
                            Ok::<_, crate::StorageError>(CurrentAllocation {
                                staff_id: rows::id(&staff_id)?,
                                staff_name: format!("{staff_first} {staff_last}"),
                                grade: rows::code(&grade)?,
                                team_name,
                                since,
                            })
                        },
                    )
                    .transpose()?;
                Ok(CaseSummary {
                    rosh: rosh.get(&id).copied(),
                    tier: tiers.remove(&id),
                    person_id: rows::id(&id)?,
                    main_event: events_by_person.remove(&id),
                    flags,
                    mappa_level,
                    next_appointment: next.get(&id).copied(),
                    last_contact: last.get(&id).copied(),
                    crn,
                    first_name,
                    last_name,
                    date_of_birth,
                    sex: rows::code(&sex)?,
                    allocation,
                })
            },
        )
        .collect()
}

type EventRow = (
    String,
    String,
    String,
    String,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<NaiveDate>,
);

fn active_events(
    conn: &mut AnyConnection,
    ids: &[String],
) -> StorageResult<HashMap<String, EventSummary>> {
    let rows = events::table
        .filter(events::person_id.eq_any(ids))
        .filter(events::active.eq(true))
        .order((events::person_id.asc(), events::event_number.desc()))
        .select((
            events::person_id,
            events::case_type,
            events::sentence_type,
            events::offence_description,
            events::sentence_date,
            events::release_date,
            events::expected_end_date,
        ))
        .load::<EventRow>(conn)?;
    let mut by_person: HashMap<String, EventSummary> = HashMap::new();
    for (person, case_type, sentence_type, offence, sentenced, released, ends) in rows {
        if let Some(existing) = by_person.get_mut(&person) {
            existing.active_events += 1;
            continue;
        }
        by_person.insert(
            person,
            EventSummary {
                case_type: rows::code(&case_type)?,
                sentence_type: rows::code(&sentence_type)?,
                offence_description: offence,
                sentence_date: sentenced,
                release_date: released,
                expected_end_date: ends,
                active_events: 1,
            },
        );
    }
    Ok(by_person)
}

type Flags = (Vec<RegistrationKind>, Option<MappaLevel>);

fn active_flags(conn: &mut AnyConnection, ids: &[String]) -> StorageResult<HashMap<String, Flags>> {
    let rows = registrations::table
        .filter(registrations::person_id.eq_any(ids))
        .filter(registrations::ended_on.is_null())
        .select((
            registrations::person_id,
            registrations::kind,
            registrations::mappa_level,
        ))
        .load::<(String, String, Option<String>)>(conn)?;
    let mut by_person: HashMap<String, Flags> = HashMap::new();
    for (person, kind, level) in rows {
        let entry = by_person.entry(person).or_default();
        let kind: RegistrationKind = rows::code(&kind)?;
        if !entry.0.contains(&kind) {
            entry.0.push(kind);
        }
        if let Some(level) = rows::opt_code::<MappaLevel>(level.as_deref())? {
            entry.1 = entry.1.max(Some(level));
        }
    }
    for flags in by_person.values_mut() {
        flags.0.sort();
    }
    Ok(by_person)
}

fn next_appointments(
    conn: &mut AnyConnection,
    ids: &[String],
    now: NaiveDateTime,
) -> StorageResult<HashMap<String, NaiveDateTime>> {
    let rows = contacts::table
        .filter(contacts::person_id.eq_any(ids))
        .filter(contacts::starts_at.ge(now))
        .filter(contacts::outcome.is_null())
        // A moved or cancelled appointment is no longer the next one.
        .filter(contacts::status.eq(ContactStatus::Arranged.code()))
        .group_by(contacts::person_id)
        .select((contacts::person_id, min(contacts::starts_at)))
        .load::<(String, Option<NaiveDateTime>)>(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(person, at)| at.map(|at| (person, at)))
        .collect())
}

fn last_contacts(
    conn: &mut AnyConnection,
    ids: &[String],
    now: NaiveDateTime,
) -> StorageResult<HashMap<String, NaiveDateTime>> {
    let rows = contacts::table
        .filter(contacts::person_id.eq_any(ids))
        .filter(contacts::starts_at.lt(now))
        .filter(contacts::outcome.is_not_null())
        .group_by(contacts::person_id)
        .select((contacts::person_id, max(contacts::starts_at)))
        .load::<(String, Option<NaiveDateTime>)>(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(person, at)| at.map(|at| (person, at)))
        .collect())
}

/// Current cases per team, for every team that has any.
pub fn case_counts_by_team(conn: &mut AnyConnection) -> StorageResult<HashMap<Uuid, i64>> {
    allocations::table
        .filter(allocations::end_date.is_null())
        .group_by(allocations::team_id)
        .select((allocations::team_id, diesel::dsl::count_star()))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .map(|(team, count)| Ok((rows::id(&team)?, count)))
        .collect()
}
