//! The catalogue of additional licence conditions (seeded by migration 26; a service changes it
//! as data). Each entry's kind decides which details a condition taken from it needs.

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::licence_condition_catalogue as catalogue;
use diesel::prelude::*;
use keepsafe_domain::licences::ConditionKind;

/// One entry of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueEntry {
    pub code: String,
    pub kind: ConditionKind,
    pub title: String,
    pub wording: String,
    pub active: bool,
}

type Row = (String, String, String, String, bool);

fn entry(row: Row) -> StorageResult<CatalogueEntry> {
    Ok(CatalogueEntry {
        code: row.0,
        kind: rows::code(&row.1)?,
        title: row.2,
        wording: row.3,
        active: row.4,
    })
}

/// The catalogue in its order; only the entries in use unless `include_withdrawn`.
pub fn list(
    conn: &mut AnyConnection,
    include_withdrawn: bool,
) -> StorageResult<Vec<CatalogueEntry>> {
    let mut query = catalogue::table
        .select((
            catalogue::code,
            catalogue::kind,
            catalogue::title,
            catalogue::wording,
            catalogue::active,
        ))
        .order(catalogue::position.asc())
        .into_boxed();
    if !include_withdrawn {
        query = query.filter(catalogue::active.eq(true));
    }
    query.load::<Row>(conn)?.into_iter().map(entry).collect()
}

/// One entry in use, by its code.
pub fn find(conn: &mut AnyConnection, code: &str) -> StorageResult<CatalogueEntry> {
    catalogue::table
        .find(code)
        .filter(catalogue::active.eq(true))
        .select((
            catalogue::code,
            catalogue::kind,
            catalogue::title,
            catalogue::wording,
            catalogue::active,
        ))
        .first::<Row>(conn)
        .optional()?
        .ok_or(StorageError::NotFound)
        .and_then(entry)
}

/// Withdraws an entry from use, or brings it back: licences already holding it keep it.
pub fn set_active(conn: &mut AnyConnection, code: &str, active: bool) -> StorageResult<()> {
    let updated = diesel::update(catalogue::table.find(code))
        .set(catalogue::active.eq(active))
        .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}
