//! The courts a PDU's court team covers.

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{courts, pdus};
use diesel::prelude::*;
use keepsafe_domain::access::CourtLocation;
use uuid::Uuid;

/// A court and the PDU that covers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Court {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub pdu_id: Uuid,
    pub region_id: Uuid,
}

impl Court {
    /// Where the court sits, for access decisions.
    pub fn location(&self) -> CourtLocation {
        CourtLocation {
            region: self.region_id,
            pdu: self.pdu_id,
        }
    }
}

/// Adds a court covered by `pdu_id`. A code already used is refused ([`StorageError::Conflict`]).
pub fn add(conn: &mut AnyConnection, code: &str, name: &str, pdu_id: Uuid) -> StorageResult<Uuid> {
    let taken: i64 = courts::table
        .filter(courts::code.eq(code))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(StorageError::Conflict(format!(
            "A court already has the code {code}"
        )));
    }
    let id = Uuid::new_v4();
    diesel::insert_into(courts::table)
        .values((
            courts::id.eq(id.to_string()),
            courts::pdu_id.eq(pdu_id.to_string()),
            courts::code.eq(code),
            courts::name.eq(name),
        ))
        .execute(conn)?;
    Ok(id)
}

type CourtRow = (String, String, String, String, String);

fn court(row: CourtRow) -> StorageResult<Court> {
    let (id, code, name, pdu_id, region_id) = row;
    Ok(Court {
        id: rows::id(&id)?,
        code,
        name,
        pdu_id: rows::id(&pdu_id)?,
        region_id: rows::id(&region_id)?,
    })
}

/// The court with this code, if there is one.
pub fn find(conn: &mut AnyConnection, code: &str) -> StorageResult<Option<Court>> {
    courts::table
        .inner_join(pdus::table)
        .filter(courts::code.eq(code))
        .select((
            courts::id,
            courts::code,
            courts::name,
            courts::pdu_id,
            pdus::region_id,
        ))
        .first::<CourtRow>(conn)
        .optional()?
        .map(court)
        .transpose()
}

/// The courts a PDU covers, by name.
pub fn for_pdu(conn: &mut AnyConnection, pdu_id: Uuid) -> StorageResult<Vec<Court>> {
    courts::table
        .inner_join(pdus::table)
        .filter(courts::pdu_id.eq(pdu_id.to_string()))
        .order(courts::name)
        .select((
            courts::id,
            courts::code,
            courts::name,
            courts::pdu_id,
            pdus::region_id,
        ))
        .load::<CourtRow>(conn)?
        .into_iter()
        .map(court)
        .collect()
}

/// The courts of every PDU in a region, by PDU then name, with the PDU's name: one query.
pub fn for_region(
    conn: &mut AnyConnection,
    region_id: Uuid,
) -> StorageResult<Vec<(Court, String)>> {
    courts::table
        .inner_join(pdus::table)
        .filter(pdus::region_id.eq(region_id.to_string()))
        .order((pdus::name, courts::name))
        .select((
            (
                courts::id,
                courts::code,
                courts::name,
                courts::pdu_id,
                pdus::region_id,
            ),
            pdus::name,
        ))
        .load::<(CourtRow, String)>(conn)?
        .into_iter()
        .map(|(row, pdu)| Ok((court(row)?, pdu)))
        .collect()
}
