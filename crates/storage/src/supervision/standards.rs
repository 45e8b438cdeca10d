//! Contact standards: the effective-dated versions (`contact_standards`, one row per RoSH level
//! in each version, the default seeded by migration 13) and what the standard reads about cases —
//! their main event's case type and start, the level of the assessment in force and the latest
//! contact that counts. The rule itself is `keepsafe_domain::supervision::standards`.
//!
//! Every read here is a fixed number of queries per 500 cases, whatever the caseload.

use crate::batch::insert_rows;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{allocations, contact_standards, contacts, events, people, staff, teams};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::dsl::max;
use diesel::prelude::*;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::rosh::RoshLevel;
use keepsafe_domain::supervision::contact::{ContactOutcome, ContactStatus};
use keepsafe_domain::supervision::standards::{
    self as rule, CaseContact, ContactStandard, LevelStandard, StandardHistory,
};
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// Cases per query, well inside both engines' bound-parameter limits.
const CASES_PER_QUERY: usize = 500;

/// One version's rows as read: its date, its levels, its source and who set it.
type VersionRows = (
    NaiveDate,
    HashMap<RoshLevel, LevelStandard>,
    String,
    Option<String>,
);

type StandardRow = (NaiveDate, String, i32, i32, i32, String, Option<String>);

/// Every version, oldest first, with who set each (their name).
pub fn history(conn: &mut AnyConnection) -> StorageResult<StandardHistory> {
    let found: Vec<StandardRow> = contact_standards::table
        .select((
            contact_standards::effective_from,
            contact_standards::rosh_level,
            contact_standards::early_weeks,
            contact_standards::early_every_days,
            contact_standards::then_every_days,
            contact_standards::source,
            contact_standards::set_by,
        ))
        .order(contact_standards::effective_from)
        .load(conn)?;
    let setters: Vec<&String> = found.iter().filter_map(|row| row.6.as_ref()).collect();
    let names: HashMap<String, String> = staff::table
        .filter(staff::id.eq_any(setters))
        .select((staff::id, staff::first_name, staff::last_name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, first, last)| (id, format!("{first} {last}")))
        .collect();
    let mut versions: Vec<VersionRows> = Vec::new();
    for (from, level, early_weeks, early_every, then_every, source, by) in found {
        if versions.last().is_none_or(|v| v.0 != from) {
            versions.push((
                from,
                HashMap::new(),
                source,
                by.and_then(|id| names.get(&id).cloned()),
            ));
        }
        let level: RoshLevel = rows::code(&level)?;
        let number = |n: i32| {
            u32::try_from(n)
                .map_err(|_| StorageError::Corrupt(format!("a negative contact standard: {n}")))
        };
        versions.last_mut().expect("pushed above").1.insert(
            level,
            LevelStandard {
                early_weeks: number(early_weeks)?,
                early_every_days: number(early_every)?,
                then_every_days: number(then_every)?,
            },
        );
    }
    let versions = versions
        .into_iter()
        .map(|(effective_from, mut levels, source, set_by)| {
            let mut take = |level: RoshLevel| {
                levels.remove(&level).ok_or_else(|| {
                    StorageError::Corrupt(format!(
                        "the contact standard from {effective_from} has no {} row",
                        level.code()
                    ))
                })
            };
            Ok(ContactStandard {
                effective_from,
                low: take(RoshLevel::Low)?,
                medium: take(RoshLevel::Medium)?,
                high: take(RoshLevel::High)?,
                very_high: take(RoshLevel::VeryHigh)?,
                source,
                set_by,
            })
        })
        .collect::<StorageResult<Vec<_>>>()?;
    Ok(StandardHistory::new(versions))
}

#[derive(Insertable)]
#[diesel(table_name = contact_standards)]
struct StandardInsert {
    effective_from: NaiveDate,
    rosh_level: &'static str,
    early_weeks: i32,
    early_every_days: i32,
    then_every_days: i32,
    source: String,
    set_by: Option<String>,
    set_at: NaiveDateTime,
}

/// Writes a new version (already validated by `rule::validate_version`) inside the caller's
/// transaction, which also writes its audit row.
pub fn add_version(
    conn: &mut AnyConnection,
    effective_from: NaiveDate,
    levels: &[(RoshLevel, LevelStandard); 4],
    source: &str,
    set_by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let number = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    let rows: Vec<StandardInsert> = levels
        .iter()
        .map(|(level, standard)| StandardInsert {
            effective_from,
            rosh_level: level.code(),
            early_weeks: number(standard.early_weeks),
            early_every_days: number(standard.early_every_days),
            then_every_days: number(standard.then_every_days),
            source: source.to_owned(),
            set_by: Some(set_by.to_string()),
            set_at: now.naive_utc(),
        })
        .collect();
    insert_rows!(conn, contact_standards::table, &rows)?;
    Ok(())
}

/// What the standard reads about each person given (by id), as of `today`. People with no active
/// event are left out.
pub fn for_people(
    conn: &mut AnyConnection,
    person_ids: &[Uuid],
    today: NaiveDate,
) -> StorageResult<HashMap<Uuid, CaseContact>> {
    let keys: Vec<String> = person_ids.iter().map(Uuid::to_string).collect();
    let until = today
        .succ_opt()
        .unwrap_or(today)
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists");
    let kinds: Vec<&str> = rule::qualifying_types().map(CodedValue::code).collect();
    let attended: Vec<&str> = <ContactOutcome as CodedValue>::ALL
        .iter()
        .filter(|outcome| outcome.attended())
        .map(|outcome| outcome.code())
        .collect();
    let mut found = HashMap::new();
    for chunk in keys.chunks(CASES_PER_QUERY) {
        let levels = crate::risk::assessments::current_levels(conn, chunk)?;
        let mut last: HashMap<String, NaiveDate> = contacts::table
            .filter(contacts::person_id.eq_any(chunk))
            .filter(contacts::contact_type.eq_any(&kinds))
            .filter(contacts::status.eq(ContactStatus::Arranged.code()))
            .filter(contacts::outcome.eq_any(&attended))
            .filter(contacts::starts_at.lt(until))
            .group_by(contacts::person_id)
            .select((contacts::person_id, max(contacts::starts_at)))
            .load::<(String, Option<NaiveDateTime>)>(conn)?
            .into_iter()
            .filter_map(|(person, at)| at.map(|at| (person, at.date())))
            .collect();
        // Ordered by event number, so the last one kept per person is the most recent.
        let mut main_event: HashMap<String, (String, Option<NaiveDate>, Option<NaiveDate>)> =
            HashMap::new();
        for (person, case_type, sentence, release) in events::table
            .filter(events::person_id.eq_any(chunk))
            .filter(events::active.eq(true))
            .order((events::person_id, events::event_number))
            .select((
                events::person_id,
                events::case_type,
                events::sentence_date,
                events::release_date,
            ))
            .load::<(String, String, Option<NaiveDate>, Option<NaiveDate>)>(conn)?
        {
            main_event.insert(person, (case_type, sentence, release));
        }
        for (person, (case_type, sentence, release)) in main_event {
            let case_type: CaseType = rows::code(&case_type)?;
            let start = match case_type {
                CaseType::Licence => release.or(sentence),
                _ => sentence,
            };
            found.insert(
                rows::id(&person)?,
                CaseContact {
                    case_type,
                    start,
                    rosh_level: levels.get(&person).copied(),
                    last_contact: last.remove(&person),
                },
            );
        }
    }
    Ok(found)
}

/// Whose cases to look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caseload {
    /// One practitioner's current allocations.
    Practitioner(Uuid),
    /// Every current allocation in a team.
    Team(Uuid),
    /// Every current allocation in the teams of a PDU.
    Pdu(Uuid),
}

/// A case currently allocated, with what the standard reads about it.
#[derive(Debug, Clone, PartialEq)]
pub struct AllocatedCase {
    pub person_id: Uuid,
    pub crn: String,
    pub name: String,
    pub practitioner_id: Uuid,
    pub practitioner: String,
    pub contact: CaseContact,
}

/// The caseload's current cases with what the standard reads, in a fixed number of queries per
/// 500 cases.
pub fn caseload(
    conn: &mut AnyConnection,
    caseload: Caseload,
    today: NaiveDate,
) -> StorageResult<Vec<AllocatedCase>> {
    let query = allocations::table
        .inner_join(people::table.on(people::id.eq(allocations::person_id)))
        .inner_join(staff::table.on(staff::id.eq(allocations::staff_id)))
        .filter(allocations::end_date.is_null())
        .select((
            people::id,
            people::crn,
            people::first_name,
            people::last_name,
            staff::id,
            staff::first_name,
            staff::last_name,
        ))
        .order(people::crn)
        .into_boxed();
    let query = match caseload {
        Caseload::Practitioner(id) => query.filter(allocations::staff_id.eq(id.to_string())),
        Caseload::Team(id) => query.filter(allocations::team_id.eq(id.to_string())),
        Caseload::Pdu(id) => query.filter(
            allocations::team_id.eq_any(
                teams::table
                    .filter(teams::pdu_id.eq(id.to_string()))
                    .select(teams::id),
            ),
        ),
    };
    let held: Vec<(String, String, String, String, String, String, String)> = query.load(conn)?;
    let ids = held
        .iter()
        .map(|row| rows::id(&row.0))
        .collect::<StorageResult<Vec<_>>>()?;
    let mut contact = for_people(conn, &ids, today)?;
    let mut cases = Vec::with_capacity(held.len());
    for ((_, crn, first, last, staff_id, staff_first, staff_last), person_id) in
        held.into_iter().zip(ids)
    {
        let Some(found) = contact.remove(&person_id) else {
            continue;
        };
        cases.push(AllocatedCase {
            person_id,
            crn,
            name: format!("{first} {last}"),
            practitioner_id: rows::id(&staff_id)?,
            practitioner: format!("{staff_first} {staff_last}"),
            contact: found,
        });
    }
    Ok(cases)
}
