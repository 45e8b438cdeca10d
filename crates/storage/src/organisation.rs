//! Regions, PDUs and teams.

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{pdus, regions, teams};
use diesel::prelude::*;
use keepsafe_domain::access::TeamLocation;
use uuid::Uuid;

/// A team with the PDU and region it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRef {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub pdu_id: Uuid,
    pub pdu_name: String,
    pub region_id: Uuid,
}

impl TeamRef {
    pub fn location(&self) -> TeamLocation {
        TeamLocation {
            region: self.region_id,
            pdu: self.pdu_id,
            team: self.id,
        }
    }
}

/// A PDU with its region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PduRef {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub region_id: Uuid,
}

type TeamColumns = (
    teams::id,
    teams::code,
    teams::name,
    teams::pdu_id,
    pdus::name,
    pdus::region_id,
);
const TEAM_COLUMNS: TeamColumns = (
    teams::id,
    teams::code,
    teams::name,
    teams::pdu_id,
    pdus::name,
    pdus::region_id,
);

fn team_ref(row: (String, String, String, String, String, String)) -> StorageResult<TeamRef> {
    let (id, code, name, pdu_id, pdu_name, region_id) = row;
    Ok(TeamRef {
        id: rows::id(&id)?,
        code,
        name,
        pdu_id: rows::id(&pdu_id)?,
        pdu_name,
        region_id: rows::id(&region_id)?,
    })
}

pub fn team_by_code(conn: &mut AnyConnection, code: &str) -> StorageResult<TeamRef> {
    let row = teams::table
        .inner_join(pdus::table)
        .filter(teams::code.eq(code))
        .select(TEAM_COLUMNS)
        .first::<(String, String, String, String, String, String)>(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    team_ref(row)
}

pub fn team(conn: &mut AnyConnection, id: Uuid) -> StorageResult<TeamRef> {
    let row = teams::table
        .inner_join(pdus::table)
        .filter(teams::id.eq(id.to_string()))
        .select(TEAM_COLUMNS)
        .first::<(String, String, String, String, String, String)>(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    team_ref(row)
}

/// Every team in a PDU, by name.
pub fn teams_in_pdu(conn: &mut AnyConnection, pdu_id: Uuid) -> StorageResult<Vec<TeamRef>> {
    teams::table
        .inner_join(pdus::table)
        .filter(teams::pdu_id.eq(pdu_id.to_string()))
        .order(teams::name.asc())
        .select(TEAM_COLUMNS)
        .load::<(String, String, String, String, String, String)>(conn)?
        .into_iter()
        .map(team_ref)
        .collect()
}

/// Every team in a region, by PDU then name.
pub fn teams_in_region(conn: &mut AnyConnection, region_id: Uuid) -> StorageResult<Vec<TeamRef>> {
    teams::table
        .inner_join(pdus::table)
        .filter(pdus::region_id.eq(region_id.to_string()))
        .order((pdus::name.asc(), teams::name.asc()))
        .select(TEAM_COLUMNS)
        .load::<(String, String, String, String, String, String)>(conn)?
        .into_iter()
        .map(team_ref)
        .collect()
}

/// Every PDU in a region, by code.
pub fn pdus_in_region(conn: &mut AnyConnection, region_id: Uuid) -> StorageResult<Vec<PduRef>> {
    pdus::table
        .filter(pdus::region_id.eq(region_id.to_string()))
        .order(pdus::code.asc())
        .select((pdus::id, pdus::code, pdus::name, pdus::region_id))
        .load::<(String, String, String, String)>(conn)?
        .into_iter()
        .map(|(id, code, name, region_id)| {
            Ok(PduRef {
                id: rows::id(&id)?,
                code,
                name,
                region_id: rows::id(&region_id)?,
            })
        })
        .collect()
}

pub fn pdu_by_code(conn: &mut AnyConnection, code: &str) -> StorageResult<PduRef> {
    let (id, code, name, region_id) = pdus::table
        .filter(pdus::code.eq(code))
        .select((pdus::id, pdus::code, pdus::name, pdus::region_id))
        .first::<(String, String, String, String)>(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    Ok(PduRef {
        id: rows::id(&id)?,
        code,
        name,
        region_id: rows::id(&region_id)?,
    })
}

/// Every region, as (id, name), by code.
pub fn regions(conn: &mut AnyConnection) -> StorageResult<Vec<(Uuid, String)>> {
    regions::table
        .order(regions::code.asc())
        .select((regions::id, regions::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(id, name)| Ok((rows::id(&id)?, name)))
        .collect()
}

/// The region with this code, as (id, name).
pub fn region_by_code(conn: &mut AnyConnection, code: &str) -> StorageResult<(Uuid, String)> {
    let (id, name) = regions::table
        .filter(regions::code.eq(code))
        .select((regions::id, regions::name))
        .first::<(String, String)>(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    Ok((rows::id(&id)?, name))
}

/// Whether any region exists: a database with none has not been set up yet.
pub fn has_any_region(conn: &mut AnyConnection) -> StorageResult<bool> {
    let count: i64 = regions::table.count().get_result(conn)?;
    Ok(count > 0)
}

/// Names for a staff member's place, for display: (team, PDU, region).
pub fn place_names(
    conn: &mut AnyConnection,
    region_id: Uuid,
    pdu_id: Option<Uuid>,
    team_id: Option<Uuid>,
) -> StorageResult<(Option<String>, Option<String>, String)> {
    let region: String = regions::table
        .find(region_id.to_string())
        .select(regions::name)
        .first(conn)?;
    let pdu = match pdu_id {
        Some(id) => Some(
            pdus::table
                .find(id.to_string())
                .select(pdus::name)
                .first::<String>(conn)?,
        ),
        None => None,
    };
    let team = match team_id {
        Some(id) => Some(
            teams::table
                .find(id.to_string())
                .select(teams::name)
                .first::<String>(conn)?,
        ),
        None => None,
    };
    Ok((team, pdu, region))
}
