//! The requirements a programme should meet — accredited programme requirements, and
//! rehabilitation activity requirements with a programme referral — with the earliest start of a
//! programme referred under each, so the domain's `start_flag` can say whether one is late.

use super::ProgrammeScope;
use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{allocations, events, pdus, people, programme_referrals, requirements, staff};
use chrono::NaiveDate;
use diesel::prelude::*;
use keepsafe_domain::programmes::{start_flag, ProgrammeRules, StartFlag};
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// A requirement a programme should meet, and how its start stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeRequirement {
    pub requirement_id: Uuid,
    pub kind: RequirementKind,
    pub began_on: NaiveDate,
    pub sessions_or_days: Option<u32>,
    pub detail: Option<String>,
    pub crn: String,
    pub name: String,
    pub practitioner: Option<String>,
    /// Whether any referral was made under it.
    pub referred: bool,
    /// The earliest start of a programme referred under it.
    pub started_on: Option<NaiveDate>,
}

impl ProgrammeRequirement {
    /// Whether a programme should meet it: always for an accredited programme requirement; for a
    /// rehabilitation activity requirement only once a programme was referred under it (its days
    /// may be met by other activities).
    pub fn needs_programme(&self) -> bool {
        self.kind == RequirementKind::AccreditedProgramme || self.referred
    }

    /// The start flag under `rules` on `today`.
    pub fn flag(&self, today: NaiveDate, rules: &ProgrammeRules) -> StartFlag {
        start_flag(self.began_on, self.started_on, today, rules)
    }
}

type Row = (
    String,
    String,
    NaiveDate,
    Option<i32>,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

const KINDS: [RequirementKind; 2] = [
    RequirementKind::AccreditedProgramme,
    RequirementKind::RehabilitationActivity,
];

macro_rules! active_requirements {
    () => {
        requirements::table
            .inner_join(events::table.on(events::id.eq(requirements::event_id)))
            .inner_join(people::table.on(people::id.eq(events::person_id)))
            .inner_join(pdus::table.on(pdus::id.eq(people::pdu_id)))
            .left_join(
                allocations::table.on(allocations::person_id
                    .eq(people::id)
                    .and(allocations::end_date.is_null())),
            )
            .left_join(staff::table.on(staff::id.eq(allocations::staff_id)))
            .filter(requirements::kind.eq_any(KINDS.map(|k| k.code())))
            .filter(requirements::active.eq(true))
            .filter(events::active.eq(true))
            .select((
                requirements::id,
                requirements::kind,
                requirements::start_date,
                requirements::length,
                requirements::detail,
                people::crn,
                people::first_name,
                people::last_name,
                staff::first_name.nullable(),
                staff::last_name.nullable(),
            ))
            .into_boxed()
    };
}

fn with_referrals(
    conn: &mut AnyConnection,
    found: Vec<Row>,
) -> StorageResult<Vec<ProgrammeRequirement>> {
    let ids: Vec<String> = found.iter().map(|row| row.0.clone()).collect();
    let mut starts: HashMap<String, (bool, Option<NaiveDate>)> = HashMap::new();
    for chunk in ids.chunks(500) {
        let referrals = programme_referrals::table
            .filter(
                programme_referrals::requirement_id.eq_any(chunk.iter().map(|id| Some(id.clone()))),
            )
            .select((
                programme_referrals::requirement_id,
                programme_referrals::started_on,
            ))
            .load::<(Option<String>, Option<NaiveDate>)>(conn)?;
        for (requirement, started) in referrals {
            let Some(requirement) = requirement else {
                continue;
            };
            let entry = starts.entry(requirement).or_insert((false, None));
            entry.0 = true;
            entry.1 = match (entry.1, started) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
    }
    found
        .into_iter()
        .map(|row| {
            let (referred, started_on) = starts.get(&row.0).copied().unwrap_or((false, None));
            Ok(ProgrammeRequirement {
                requirement_id: rows::id(&row.0)?,
                kind: rows::code(&row.1)?,
                began_on: row.2,
                sessions_or_days: row.3.and_then(|n| u32::try_from(n).ok()),
                detail: row.4,
                crn: row.5,
                name: format!("{} {}", row.6, row.7),
                practitioner: match (row.8, row.9) {
                    (Some(first), Some(last)) => Some(format!("{first} {last}")),
                    _ => None,
                },
                referred,
                started_on,
            })
        })
        .collect()
}

/// The person's active accredited programme and rehabilitation activity requirements on active
/// events, oldest first, with their referrals' starts: two queries.
pub fn for_person(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<Vec<ProgrammeRequirement>> {
    let found = active_requirements!()
        .filter(people::id.eq(person_id.to_string()))
        .order((requirements::start_date.asc(), requirements::id.asc()))
        .load::<Row>(conn)?;
    with_referrals(conn, found)
}

/// The requirements in `scope` whose programme has not started in time under `rules` on
/// `today`, longest overdue first: one read of the scope's requirements that began before the
/// cut-off, and one of their referrals, per 500.
pub fn not_started_in_time(
    conn: &mut AnyConnection,
    scope: ProgrammeScope,
    today: NaiveDate,
    rules: &ProgrammeRules,
) -> StorageResult<Vec<ProgrammeRequirement>> {
    let cut_off = today - chrono::Duration::weeks(i64::from(rules.start_within_weeks));
    let query = active_requirements!().filter(requirements::start_date.lt(cut_off));
    let query = match scope {
        ProgrammeScope::Staff(id) => query.filter(allocations::staff_id.eq(id.to_string())),
        ProgrammeScope::Team(id) => query.filter(allocations::team_id.eq(id.to_string())),
        ProgrammeScope::Pdu(id) => query.filter(people::pdu_id.eq(id.to_string())),
        ProgrammeScope::Region(id) => query.filter(pdus::region_id.eq(id.to_string())),
    };
    let found = query
        .order((requirements::start_date.asc(), people::crn.asc()))
        .load::<Row>(conn)?;
    Ok(with_referrals(conn, found)?
        .into_iter()
        .filter(|r| r.needs_programme() && r.flag(today, rules).flagged)
        .collect())
}
