//! Sign-in throttling by subject — a username as typed, whether or not an account has it, or a
//! network address. Two things live here: the lock on a username no account has (an account's
//! own lock stays on the account, where an administrator's reset clears it), so a made-up name
//! locks exactly as a real one does; and the count of attempts refused while a subject is locked
//! or throttled, which stand in for a sign-in attempt and an audit row per request.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::schema::sign_in_throttles as st;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

/// The subject for a username (as looked up: trimmed, lower case).
pub fn username_subject(username: &str) -> String {
    format!(
        "username:{}",
        username.chars().take(128).collect::<String>()
    )
}

/// The subject for a network address.
pub fn address_subject(address: &str) -> String {
    format!("address:{address}")
}

/// Makes sure `subject` has a row, without disturbing one already there.
fn ensure(conn: &mut AnyConnection, subject: &str, now: DateTime<Utc>) -> StorageResult<()> {
    let row = (
        st::subject.eq(subject),
        st::refused_since.eq(now.naive_utc()),
        st::refused.eq(0),
    );
    match conn {
        AnyConnection::Sqlite(c) => diesel::insert_or_ignore_into(st::table)
            .values(row)
            .execute(c)?,
        AnyConnection::Postgresql(c) => diesel::insert_into(st::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(c)?,
    };
    Ok(())
}

/// Until when a username no account has is locked, if it has been.
pub fn locked_until(
    conn: &mut AnyConnection,
    subject: &str,
) -> StorageResult<Option<DateTime<Utc>>> {
    let until: Option<Option<NaiveDateTime>> = st::table
        .filter(st::subject.eq(subject))
        .select(st::locked_until)
        .first(conn)
        .optional()?;
    Ok(until.flatten().map(|t| t.and_utc()))
}

/// Locks (or, with `None`, unlocks) a username no account has.
pub fn set_locked_until(
    conn: &mut AnyConnection,
    subject: &str,
    until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    ensure(conn, subject, now)?;
    diesel::update(st::table.filter(st::subject.eq(subject)))
        .set(st::locked_until.eq(until.map(|t| t.naive_utc())))
        .execute(conn)?;
    Ok(())
}

/// Counts one more attempt refused while `subject` is locked or throttled and returns the count
/// since `window_start`: a count older than that starts again at 1.
pub fn count_refusal(
    conn: &mut AnyConnection,
    subject: &str,
    window_start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StorageResult<u32> {
    ensure(conn, subject, now)?;
    diesel::update(
        st::table
            .filter(st::subject.eq(subject))
            .filter(st::refused_since.lt(window_start.naive_utc())),
    )
    .set((st::refused_since.eq(now.naive_utc()), st::refused.eq(0)))
    .execute(conn)?;
    diesel::update(st::table.filter(st::subject.eq(subject)))
        .set(st::refused.eq(st::refused + 1))
        .execute(conn)?;
    let count: i32 = st::table
        .filter(st::subject.eq(subject))
        .select(st::refused)
        .first(conn)?;
    Ok(u32::try_from(count).unwrap_or(0))
}
