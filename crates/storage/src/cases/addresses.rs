//! Keeping the person's addresses current: proposing an address, making a proposed address the
//! main one (the person has moved), and ending an address. The main address is what checks,
//! assessments and address checks read as "where the person lives" (see
//! [`crate::cases::record::current_address_of`]), so a move changes it in one transaction.
//!
//! Every change is guarded by the values it was read with (`end_date IS NULL`, the status seen),
//! so two people acting on the same address at once cannot both succeed: the second is told
//! someone else got there first.
//!
//! Addresses proposed by an address suitability check ([`crate::risk::address_checks::start`])
//! are stored the same way, as "proposed"; they stay nobody's main address until made main here,
//! and are not ended here while their check holds them.

use crate::cases::record::{self, AddressRecord};
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::schema::{address_checks, addresses};
use chrono::NaiveDate;
use diesel::prelude::*;
use keepsafe_domain::address::{AddressStatus, Postcode};
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// What a conflicting change is told: someone changed the address after it was read.
pub const CHANGED_SINCE: &str =
    "Someone else has changed this address since you opened the page: check the addresses and try again";

/// An address put forward: where the person expects to live from `start_date`.
#[derive(Debug, Clone)]
pub struct NewAddress {
    pub line1: String,
    pub line2: Option<String>,
    pub town: String,
    pub postcode: Postcode,
    pub start_date: NaiveDate,
}

/// Adds a proposed address; it is nobody's current address until made main.
pub fn propose(
    conn: &mut AnyConnection,
    person_id: Uuid,
    address: &NewAddress,
) -> StorageResult<AddressRecord> {
    let id = Uuid::new_v4();
    diesel::insert_into(addresses::table)
        .values((
            addresses::id.eq(id.to_string()),
            addresses::person_id.eq(person_id.to_string()),
            addresses::line1.eq(&address.line1),
            addresses::line2.eq(address.line2.as_deref()),
            addresses::town.eq(&address.town),
            addresses::postcode.eq(address.postcode.as_str()),
            addresses::status.eq(AddressStatus::Proposed.code()),
            addresses::start_date.eq(address.start_date),
            addresses::end_date.eq(None::<NaiveDate>),
        ))
        .execute(conn)?;
    find(conn, person_id, id)
}

/// One of the person's addresses; `NotFound` for an address of someone else.
pub fn find(conn: &mut AnyConnection, person_id: Uuid, id: Uuid) -> StorageResult<AddressRecord> {
    record::addresses(conn, person_id)?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(StorageError::NotFound)
}

/// The person's addresses that an address suitability check is about: proposed for a curfew,
/// so ended only through that check.
pub fn under_address_check(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<Uuid>> {
    address_checks::table
        .filter(address_checks::person_id.eq(person_id.to_string()))
        .select(address_checks::address_id)
        .load::<String>(conn)?
        .iter()
        .map(|id| Uuid::parse_str(id).map_err(StorageError::from))
        .collect()
}

/// Addresses where the person lives that a move ends: every open address but a secondary or
/// proposed one.
fn lived_in(address: &AddressRecord) -> bool {
    address.end_date.is_none()
        && !matches!(
            address.status,
            AddressStatus::Secondary | AddressStatus::Proposed
        )
}

/// A move, as the audit log and the consequences need it.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    /// The addresses the person lived at before, as they were.
    pub left: Vec<AddressRecord>,
    /// The new main address, as it now is.
    pub main: AddressRecord,
}

/// The person moved into the proposed address `id` on `moved_on`: it becomes their main address
/// from that day, and the address they lived at until then becomes previous, ended that day. The
/// caller has checked `moved_on` (not in the future, not before the old address began); this
/// refuses with [`CHANGED_SINCE`] if the address is no longer proposed or the old one changed.
pub fn make_main(
    conn: &mut AnyConnection,
    person_id: Uuid,
    id: Uuid,
    moved_on: NaiveDate,
) -> StorageResult<Moved> {
    let all = record::addresses(conn, person_id)?;
    let target = all
        .iter()
        .find(|a| a.id == id)
        .ok_or(StorageError::NotFound)?;
    if target.status != AddressStatus::Proposed || target.end_date.is_some() {
        return Err(StorageError::Conflict(CHANGED_SINCE.into()));
    }
    let left: Vec<AddressRecord> = all.iter().filter(|a| lived_in(a)).cloned().collect();
    for old in &left {
        // A main address becomes "previous"; approved premises or no fixed abode keep their
        // status, ended, so the history still says what they were.
        let status = match old.status {
            AddressStatus::Main => AddressStatus::Previous,
            other => other,
        };
        let updated = diesel::update(
            addresses::table
                .filter(addresses::id.eq(old.id.to_string()))
                .filter(addresses::status.eq(old.status.code()))
                .filter(addresses::end_date.is_null()),
        )
        .set((
            addresses::status.eq(status.code()),
            addresses::end_date.eq(Some(moved_on)),
        ))
        .execute(conn)?;
        if updated == 0 {
            return Err(StorageError::Conflict(CHANGED_SINCE.into()));
        }
    }
    let updated = diesel::update(
        addresses::table
            .filter(addresses::id.eq(id.to_string()))
            .filter(addresses::person_id.eq(person_id.to_string()))
            .filter(addresses::status.eq(AddressStatus::Proposed.code()))
            .filter(addresses::end_date.is_null()),
    )
    .set((
        addresses::status.eq(AddressStatus::Main.code()),
        addresses::start_date.eq(moved_on),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(CHANGED_SINCE.into()));
    }
    Ok(Moved {
        left,
        main: find(conn, person_id, id)?,
    })
}

/// Ends the address `id` on `ended_on`: the person no longer lives there (a main address becomes
/// previous), or a proposed address is no longer put forward. Returns it as it was and as it now
/// is. An address already ended is refused with [`CHANGED_SINCE`]; one held by an address
/// suitability check is refused, as ending it there would pull it from under the check.
pub fn end(
    conn: &mut AnyConnection,
    person_id: Uuid,
    id: Uuid,
    ended_on: NaiveDate,
) -> StorageResult<(AddressRecord, AddressRecord)> {
    let before = find(conn, person_id, id)?;
    if under_address_check(conn, person_id)?.contains(&id) {
        return Err(StorageError::Conflict(
            "This address is being checked for a curfew: it is kept while its address check is open"
                .into(),
        ));
    }
    let status = match before.status {
        AddressStatus::Main => AddressStatus::Previous,
        other => other,
    };
    let updated = diesel::update(
        addresses::table
            .filter(addresses::id.eq(id.to_string()))
            .filter(addresses::status.eq(before.status.code()))
            .filter(addresses::end_date.is_null()),
    )
    .set((
        addresses::status.eq(status.code()),
        addresses::end_date.eq(Some(ended_on)),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(CHANGED_SINCE.into()));
    }
    let after = find(conn, person_id, id)?;
    Ok((before, after))
}
