//! The units quality is rated for — a team, a PDU, a region or the nation — and the live cases
//! each holds.

use super::IDS_PER_QUERY;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{allocations, events, pdus, people, regions, staff, teams};
use chrono::NaiveDate;
use diesel::prelude::*;
use keepsafe_domain::access::{TeamLocation, UnitLocation};
use keepsafe_domain::event::CaseType;
use std::collections::HashMap;
use uuid::Uuid;

/// A unit whose quality is rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Unit {
    Team(Uuid),
    Pdu(Uuid),
    Region(Uuid),
    Nation,
}

impl Unit {
    /// The stored scope kind: "team", "pdu", "region" or "nation".
    pub fn kind(self) -> &'static str {
        match self {
            Unit::Team(_) => "team",
            Unit::Pdu(_) => "pdu",
            Unit::Region(_) => "region",
            Unit::Nation => "nation",
        }
    }

    /// The stored scope id: the unit's id, or "" for the nation.
    pub fn id_text(self) -> String {
        match self {
            Unit::Team(id) | Unit::Pdu(id) | Unit::Region(id) => id.to_string(),
            Unit::Nation => String::new(),
        }
    }

    /// The unit a stored scope names.
    pub fn parse(kind: &str, id: &str) -> StorageResult<Self> {
        let id = || rows::id(id);
        Ok(match kind {
            "team" => Unit::Team(id()?),
            "pdu" => Unit::Pdu(id()?),
            "region" => Unit::Region(id()?),
            "nation" => Unit::Nation,
            other => return Err(StorageError::Corrupt(format!("unknown unit kind {other}"))),
        })
    }
}

/// The unit a URL names: a level ("team", "pdu", "region" or "nation") and the unit's code
/// ("all" for the nation). [`StorageError::NotFound`] for anything else.
pub fn find(conn: &mut AnyConnection, level: &str, code: &str) -> StorageResult<Unit> {
    Ok(match level {
        "team" => Unit::Team(crate::organisation::team_by_code(conn, code)?.id),
        "pdu" => Unit::Pdu(crate::organisation::pdu_by_code(conn, code)?.id),
        "region" => Unit::Region(crate::organisation::region_by_code(conn, code)?.0),
        "nation" if code == NATION_CODE => Unit::Nation,
        _ => return Err(StorageError::NotFound),
    })
}

/// The code that names the nation in URLs.
pub const NATION_CODE: &str = "all";

/// A unit with its names, where it sits (for access decisions) and the units inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitInfo {
    pub unit: Unit,
    pub code: String,
    pub name: String,
    pub location: UnitLocation,
    /// The unit it belongs to (a team's PDU, a PDU's region, a region's nation).
    pub parent: Option<(Unit, String)>,
    /// The units inside it, by name: a PDU's teams, a region's PDUs, the nation's regions.
    pub children: Vec<ChildUnit>,
}

/// A unit inside another, with the code the audits carry for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildUnit {
    pub unit: Unit,
    pub code: String,
    pub name: String,
}

/// Names, location, parent and children of a unit; [`StorageError::NotFound`] for an unknown id.
pub fn describe(conn: &mut AnyConnection, unit: Unit) -> StorageResult<UnitInfo> {
    match unit {
        Unit::Team(id) => {
            let team = crate::organisation::team(conn, id)?;
            Ok(UnitInfo {
                unit,
                code: team.code.clone(),
                name: team.name.clone(),
                location: UnitLocation::Team(TeamLocation {
                    region: team.region_id,
                    pdu: team.pdu_id,
                    team: team.id,
                }),
                parent: Some((Unit::Pdu(team.pdu_id), team.pdu_name)),
                children: Vec::new(),
            })
        }
        Unit::Pdu(id) => {
            let (code, name, region): (String, String, String) = pdus::table
                .find(id.to_string())
                .select((pdus::code, pdus::name, pdus::region_id))
                .first(conn)
                .optional()?
                .ok_or(StorageError::NotFound)?;
            let region = rows::id(&region)?;
            let region_name: String = regions::table
                .find(region.to_string())
                .select(regions::name)
                .first(conn)?;
            let children = crate::organisation::teams_in_pdu(conn, id)?
                .into_iter()
                .map(|t| ChildUnit {
                    unit: Unit::Team(t.id),
                    code: t.code,
                    name: t.name,
                })
                .collect();
            Ok(UnitInfo {
                unit,
                code,
                name,
                location: UnitLocation::Pdu { region, pdu: id },
                parent: Some((Unit::Region(region), region_name)),
                children,
            })
        }
        Unit::Region(id) => {
            let (code, name): (String, String) = regions::table
                .find(id.to_string())
                .select((regions::code, regions::name))
                .first(conn)
                .optional()?
                .ok_or(StorageError::NotFound)?;
            let children = crate::organisation::pdus_in_region(conn, id)?
                .into_iter()
                .map(|p| ChildUnit {
                    unit: Unit::Pdu(p.id),
                    code: p.code,
                    name: p.name,
                })
                .collect();
            Ok(UnitInfo {
                unit,
                code,
                name,
                location: UnitLocation::Region(id),
                parent: Some((Unit::Nation, "England and Wales".to_owned())),
                children,
            })
        }
        Unit::Nation => {
            let children = regions::table
                .order(regions::name)
                .select((regions::id, regions::code, regions::name))
                .load::<(String, String, String)>(conn)?
                .into_iter()
                .map(|(id, code, name)| {
                    Ok(ChildUnit {
                        unit: Unit::Region(rows::id(&id)?),
                        code,
                        name,
                    })
                })
                .collect::<StorageResult<_>>()?;
            Ok(UnitInfo {
                unit,
                code: NATION_CODE.to_owned(),
                name: "England and Wales".to_owned(),
                location: UnitLocation::Nation,
                parent: None,
                children,
            })
        }
    }
}

/// A case under supervision, with where it sits: what the automated indicators are computed for
/// and what samples are drawn from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveCase {
    pub person_id: Uuid,
    pub crn: String,
    pub name: String,
    /// The case type of the most recent active event.
    pub case_type: CaseType,
    /// When this period of supervision started: the release date for a licence case, otherwise
    /// the sentence date.
    pub supervision_start: Option<NaiveDate>,
    /// The team of the current allocation and its code; `None` while the case waits.
    pub team: Option<(Uuid, String, String)>,
    /// Who manages the case now.
    pub practitioner: Option<String>,
    pub pdu_id: Uuid,
    pub pdu_code: String,
    pub region_id: Uuid,
    pub region_code: String,
}

impl LiveCase {
    /// The team code the audits carry ("unallocated" while the case waits).
    pub fn team_code(&self) -> &str {
        self.team
            .as_ref()
            .map_or("unallocated", |(_, code, _)| code)
    }
}

type PersonRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

/// Which people [`live_from`] reads.
enum Scope<'a> {
    Unit(Unit),
    Person(Uuid),
    /// Up to [`IDS_PER_QUERY`] people.
    People(&'a [String]),
}

/// The unit's live cases — people with an active event that is not pre-sentence — sorted by CRN.
/// Two queries per 500 cases.
pub fn live_cases(conn: &mut AnyConnection, unit: Unit) -> StorageResult<Vec<LiveCase>> {
    live_from(conn, Scope::Unit(unit))
}

/// One person's case as [`live_cases`] would list it, so a case's own quality page reads the
/// same facts as its unit's automated rating; `None` when the person has no active event or only
/// a pre-sentence one. Three queries.
pub fn live_case(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Option<LiveCase>> {
    Ok(live_from(conn, Scope::Person(person_id))?.pop())
}

/// The live cases among `people`, as [`live_cases`] lists them (people with no live case are
/// left out), sorted by CRN. Three queries per 500 people.
pub fn live_cases_of(conn: &mut AnyConnection, people: &[Uuid]) -> StorageResult<Vec<LiveCase>> {
    let ids: Vec<String> = people.iter().map(Uuid::to_string).collect();
    let mut cases = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_QUERY) {
        cases.extend(live_from(conn, Scope::People(chunk))?);
    }
    cases.sort_by(|a, b| a.crn.cmp(&b.crn));
    Ok(cases)
}

fn live_from(conn: &mut AnyConnection, scope: Scope) -> StorageResult<Vec<LiveCase>> {
    let query = people::table
        .inner_join(pdus::table.inner_join(regions::table))
        .select((
            people::id,
            people::crn,
            people::first_name,
            people::last_name,
            people::pdu_id,
            pdus::code,
            pdus::region_id,
            regions::code,
        ))
        .order(people::crn)
        .into_boxed();
    let query = match scope {
        Scope::Person(id) => query.filter(people::id.eq(id.to_string())),
        Scope::People(ids) => query.filter(people::id.eq_any(ids)),
        Scope::Unit(Unit::Team(id)) => query.filter(
            people::id.eq_any(
                allocations::table
                    .filter(allocations::end_date.is_null())
                    .filter(allocations::team_id.eq(id.to_string()))
                    .select(allocations::person_id),
            ),
        ),
        Scope::Unit(Unit::Pdu(id)) => query.filter(people::pdu_id.eq(id.to_string())),
        Scope::Unit(Unit::Region(id)) => query.filter(pdus::region_id.eq(id.to_string())),
        Scope::Unit(Unit::Nation) => query,
    };
    let people_rows: Vec<PersonRow> = query.load(conn)?;
    let mut cases = Vec::with_capacity(people_rows.len());
    for chunk in people_rows.chunks(IDS_PER_QUERY) {
        let ids: Vec<&str> = chunk.iter().map(|row| row.0.as_str()).collect();
        let mut main_event: HashMap<String, (String, Option<NaiveDate>, Option<NaiveDate>)> =
            HashMap::new();
        for (person, case_type, sentence, release) in events::table
            .filter(events::person_id.eq_any(&ids))
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
            // Ordered by event number, so the last one kept is the most recent.
            main_event.insert(person, (case_type, sentence, release));
        }
        let mut allocation: HashMap<String, (String, String, String, String, String)> =
            HashMap::new();
        for (person, team, code, team_name, first, last) in allocations::table
            .inner_join(teams::table.on(teams::id.eq(allocations::team_id)))
            .inner_join(staff::table.on(staff::id.eq(allocations::staff_id)))
            .filter(allocations::person_id.eq_any(&ids))
            .filter(allocations::end_date.is_null())
            .select((
                allocations::person_id,
                teams::id,
                teams::code,
                teams::name,
                staff::first_name,
                staff::last_name,
            ))
            .load::<(String, String, String, String, String, String)>(conn)?
        {
            allocation.insert(person, (team, code, team_name, first, last));
        }
        for (id, crn, first, last, pdu_id, pdu_code, region_id, region_code) in
            chunk.iter().cloned()
        {
            let Some((case_type, sentence, release)) = main_event.remove(&id) else {
                continue;
            };
            let case_type: CaseType = rows::code(&case_type)?;
            if case_type == CaseType::PreSentence {
                continue;
            }
            let supervision_start = match case_type {
                CaseType::Licence => release.or(sentence),
                _ => sentence,
            };
            let held = allocation.remove(&id);
            cases.push(LiveCase {
                person_id: rows::id(&id)?,
                crn,
                name: format!("{first} {last}"),
                case_type,
                supervision_start,
                practitioner: held.as_ref().map(|(_, _, _, f, l)| format!("{f} {l}")),
                team: held
                    .map(|(team, code, name, _, _)| {
                        Ok::<_, StorageError>((rows::id(&team)?, code, name))
                    })
                    .transpose()?,
                pdu_id: rows::id(&pdu_id)?,
                pdu_code,
                region_id: rows::id(&region_id)?,
                region_code,
            });
        }
    }
    Ok(cases)
}
