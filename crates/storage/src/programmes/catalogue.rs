//! The catalogue of programmes and structured interventions (seeded by migration 29).

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::programmes;
use diesel::prelude::*;
use keepsafe_domain::programmes::{Delivery, Focus, ProgrammeKind};

/// A catalogue entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programme {
    pub code: String,
    pub name: String,
    pub kind: ProgrammeKind,
    pub focus: Focus,
    pub delivery: Delivery,
    pub sessions: u32,
    pub suited_to: String,
    pub description: String,
    pub active: bool,
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    i32,
    String,
    String,
    bool,
);

fn programme(row: Row) -> StorageResult<Programme> {
    Ok(Programme {
        code: row.0,
        name: row.1,
        kind: rows::code(&row.2)?,
        focus: rows::code(&row.3)?,
        delivery: rows::code(&row.4)?,
        sessions: u32::try_from(row.5).unwrap_or(0),
        suited_to: row.6,
        description: row.7,
        active: row.8,
    })
}

macro_rules! columns {
    () => {
        (
            programmes::code,
            programmes::name,
            programmes::kind,
            programmes::focus,
            programmes::delivery,
            programmes::sessions,
            programmes::suited_to,
            programmes::description,
            programmes::active,
        )
    };
}

/// Every entry in the catalogue's order, open ones first.
pub fn all(conn: &mut AnyConnection) -> StorageResult<Vec<Programme>> {
    programmes::table
        .order((programmes::active.desc(), programmes::position.asc()))
        .select(columns!())
        .load::<Row>(conn)?
        .into_iter()
        .map(programme)
        .collect()
}

/// The entry with `code`, if there is one.
pub fn find(conn: &mut AnyConnection, code: &str) -> StorageResult<Option<Programme>> {
    programmes::table
        .filter(programmes::code.eq(code))
        .select(columns!())
        .first::<Row>(conn)
        .optional()?
        .map(programme)
        .transpose()
}

/// Closes an entry to new referrals (referrals already made go on), or opens it again.
pub fn set_active(conn: &mut AnyConnection, code: &str, active: bool) -> StorageResult<()> {
    let changed = diesel::update(programmes::table.filter(programmes::code.eq(code)))
        .set(programmes::active.eq(active))
        .execute(conn)?;
    if changed == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}
