//! Tamper evidence for the audit log: every row has a place in one chain (`chain_position`,
//! counted from one) and a hash, SHA-256 over the previous row's hash and a canonical encoding
//! of every field of the row, its id and place included. Altering a row changes its hash; deleting one leaves a gap
//! in the places; moving one breaks the link to the row before. [`verify`] walks the chain and
//! names the first broken link.
//!
//! Rows are written unchained inside their action's transaction; [`chain_pending`] gives them
//! their places as the last step before that transaction commits ([`crate::transaction`]). It
//! locks the chain's one head row first (`SELECT … FOR UPDATE` on PostgreSQL; on SQLite the
//! writing transaction already holds the database's write lock), so transactions committing at
//! the same time chain one after the other and the chain never forks. Taking that lock last,
//! when the action holds every other lock it needs, means it cannot deadlock with them.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::schema::{audit_chain_head, audit_log};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Rows chained or verified per query: a long log is never held in memory whole.
const PAGE: i64 = 1000;

/// The fields of a stored row that its hash covers.
type HashedRow = (
    i64,
    NaiveDateTime,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
);

/// A row as the walk reads it: its place, the hash it says came before, its own, and its fields.
type ChainedRow = (Option<i64>, Option<String>, Option<String>, HashedRow);

fn hashed_columns() -> (
    audit_log::id,
    audit_log::occurred_at,
    audit_log::staff_id,
    audit_log::actor,
    audit_log::action,
    audit_log::outcome,
    audit_log::person_id,
    audit_log::crn,
    audit_log::detail,
) {
    (
        audit_log::id,
        audit_log::occurred_at,
        audit_log::staff_id,
        audit_log::actor,
        audit_log::action,
        audit_log::outcome,
        audit_log::person_id,
        audit_log::crn,
        audit_log::detail,
    )
}

/// The row's hash at `position` after `previous` (hex). Each field is written with its length
/// first (absent ones as a marker no length can be), so no two different rows encode the same;
/// the time is written to the microsecond, the precision both backends keep.
pub fn row_hash(previous: &str, position: i64, row: &HashedRow) -> String {
    let (id, occurred_at, staff_id, actor, action, outcome, person_id, crn, detail) = row;
    let mut hasher = Sha256::new();
    hasher.update(b"keepsafe-audit-v1\n");
    hasher.update(previous.as_bytes());
    hasher.update(position.to_be_bytes());
    hasher.update(id.to_be_bytes());
    let when = occurred_at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string();
    for field in [
        Some(when.as_str()),
        staff_id.as_deref(),
        Some(actor.as_str()),
        Some(action.as_str()),
        Some(outcome.as_str()),
        person_id.as_deref(),
        crn.as_deref(),
        Some(detail.as_str()),
    ] {
        match field {
            Some(text) => {
                hasher.update((text.len() as u64).to_be_bytes());
                hasher.update(text.as_bytes());
            }
            None => hasher.update(u64::MAX.to_be_bytes()),
        }
    }
    format!("{:x}", hasher.finalize())
}

/// Locks the chain's head and returns its place and hash.
fn lock_head(conn: &mut AnyConnection) -> QueryResult<(i64, String)> {
    let query = audit_chain_head::table
        .filter(audit_chain_head::id.eq(1))
        .select((audit_chain_head::last_position, audit_chain_head::last_hash));
    let head = match conn {
        AnyConnection::Postgresql(pg) => query.for_update().first::<(i64, String)>(pg)?,
        AnyConnection::Sqlite(sqlite) => query.first::<(i64, String)>(sqlite)?,
    };
    Ok(head)
}

/// Gives every unchained row this transaction can see its place and hash, in the order the rows
/// were written, and moves the head on. Within a transaction those are its own rows (other
/// transactions' rows are chained before they commit) and, once, the rows written before the
/// chain existed. Does nothing, and takes no lock, when there are none.
pub fn chain_pending(conn: &mut AnyConnection) -> QueryResult<u64> {
    let mut chained = 0;
    loop {
        let pending: Vec<HashedRow> = audit_log::table
            .filter(audit_log::chain_position.is_null())
            .order(audit_log::id.asc())
            .limit(PAGE)
            .select(hashed_columns())
            .load(conn)?;
        if pending.is_empty() {
            return Ok(chained);
        }
        let (mut position, mut hash) = lock_head(conn)?;
        for row in &pending {
            position += 1;
            let next = row_hash(&hash, position, row);
            diesel::update(audit_log::table.filter(audit_log::id.eq(row.0)))
                .set((
                    audit_log::chain_position.eq(position),
                    audit_log::previous_hash.eq(&hash),
                    audit_log::row_hash.eq(&next),
                ))
                .execute(conn)?;
            hash = next;
        }
        diesel::update(audit_chain_head::table.filter(audit_chain_head::id.eq(1)))
            .set((
                audit_chain_head::last_position.eq(position),
                audit_chain_head::last_hash.eq(&hash),
            ))
            .execute(conn)?;
        chained += pending.len() as u64;
    }
}

/// What is wrong at the first broken link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The row's fields no longer give its hash: it was changed after it was written.
    Altered,
    /// Places are missing before this row: rows were deleted (`missing` of them).
    Missing { missing: i64 },
    /// The row does not follow the row before it: rows were moved or one was replaced.
    OutOfOrder,
    /// The chain ends before its head says it does: the last rows were deleted.
    MissingAtEnd { missing: i64 },
    /// The chain ends where its head says, but not with the head's hash.
    HeadMismatch,
    /// A row with no place in the chain: added outside keepsafe.
    Unchained,
}

impl Problem {
    /// The problem in words, for the command's report and the audit log page.
    pub fn describe(&self) -> String {
        match self {
            Problem::Altered => "the row was changed after it was written".into(),
            Problem::Missing { missing: 1 } => "1 row before this one is missing (deleted)".into(),
            Problem::Missing { missing } => {
                format!("{missing} rows before this one are missing (deleted)")
            }
            Problem::OutOfOrder => {
                "the row does not follow the row before it (rows were moved or replaced)".into()
            }
            Problem::MissingAtEnd { missing } => {
                format!("the last {missing} rows of the log are missing (deleted)")
            }
            Problem::HeadMismatch => {
                "the last row is not the row the chain ended with (it was replaced)".into()
            }
            Problem::Unchained => {
                "the row has no place in the chain (added outside keepsafe)".into()
            }
        }
    }
}

/// The first broken link: where, which row, when it says it was written, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub position: Option<i64>,
    pub row_id: Option<i64>,
    pub occurred_at: Option<DateTime<Utc>>,
    pub problem: Problem,
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Rows whose place, link and hash were checked and found sound.
    pub verified: u64,
    /// The last sound row, when any: the log is intact up to it.
    pub verified_up_to: Option<DateTime<Utc>>,
    pub broken: Option<BrokenLink>,
}

/// How long the chain is, by its head: what [`verify`] will walk.
pub fn length(conn: &mut AnyConnection) -> StorageResult<i64> {
    Ok(audit_chain_head::table
        .filter(audit_chain_head::id.eq(1))
        .select(audit_chain_head::last_position)
        .first(conn)?)
}

/// Walks the whole chain in order, a page at a time, and stops at the first broken link. The
/// chain is read as far as its head said when the walk began, so rows written meanwhile (a live
/// service keeps writing) are left for the next walk.
/// `progress` is told how many rows have been checked after each page.
pub fn verify(
    conn: &mut AnyConnection,
    progress: &mut dyn FnMut(u64),
) -> StorageResult<Verification> {
    let (head_position, head_hash): (i64, String) = audit_chain_head::table
        .filter(audit_chain_head::id.eq(1))
        .select((audit_chain_head::last_position, audit_chain_head::last_hash))
        .first(conn)?;
    let mut position = 0_i64;
    let mut hash = GENESIS.to_owned();
    let mut verified = 0_u64;
    let mut verified_up_to = None;
    let broken = |position: i64, row: &HashedRow, problem| BrokenLink {
        position: Some(position),
        row_id: Some(row.0),
        occurred_at: Some(row.1.and_utc()),
        problem,
    };
    loop {
        let page: Vec<ChainedRow> = audit_log::table
            .filter(audit_log::chain_position.gt(position))
            .filter(audit_log::chain_position.le(head_position))
            .order(audit_log::chain_position.asc())
            .limit(PAGE)
            .select((
                audit_log::chain_position,
                audit_log::previous_hash,
                audit_log::row_hash,
                hashed_columns(),
            ))
            .load(conn)?;
        if page.is_empty() {
            break;
        }
        for (place, previous, stored, row) in &page {
            let place = place.unwrap_or_default();
            let result = if place != position + 1 {
                Some(Problem::Missing {
                    missing: place - position - 1,
                })
            } else if previous.as_deref() != Some(hash.as_str()) {
                Some(Problem::OutOfOrder)
            } else if stored.as_deref() != Some(row_hash(&hash, place, row).as_str()) {
                Some(Problem::Altered)
            } else {
                None
            };
            if let Some(problem) = result {
                return Ok(Verification {
                    verified,
                    verified_up_to,
                    broken: Some(broken(place, row, problem)),
                });
            }
            position = place;
            hash = stored.clone().unwrap_or_default();
            verified += 1;
            verified_up_to = Some(row.1.and_utc());
        }
        progress(verified);
    }
    let at_end = if position < head_position {
        Some(Problem::MissingAtEnd {
            missing: head_position - position,
        })
    } else if hash != head_hash {
        Some(Problem::HeadMismatch)
    } else {
        None
    };
    if let Some(problem) = at_end {
        return Ok(Verification {
            verified,
            verified_up_to,
            broken: Some(BrokenLink {
                position: Some(position + 1),
                row_id: None,
                occurred_at: None,
                problem,
            }),
        });
    }
    let unchained: Option<(i64, NaiveDateTime)> = audit_log::table
        .filter(audit_log::chain_position.is_null())
        .order(audit_log::id.asc())
        .select((audit_log::id, audit_log::occurred_at))
        .first(conn)
        .optional()?;
    let broken = unchained.map(|(id, at)| BrokenLink {
        position: None,
        row_id: Some(id),
        occurred_at: Some(at.and_utc()),
        problem: Problem::Unchained,
    });
    Ok(Verification {
        verified,
        verified_up_to,
        broken,
    })
}

/// Chains every unchained row in one transaction of its own: the rows written before the chain
/// existed, when keepsafe first opens a database after migration 33 (read and written a page at a
/// time, so a long log is never held in memory). Quick when there are none.
pub fn chain_existing(conn: &mut AnyConnection) -> StorageResult<u64> {
    Ok(crate::transaction::write(conn, chain_pending)?)
}
