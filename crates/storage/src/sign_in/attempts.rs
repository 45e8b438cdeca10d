//! Sign-in attempts, kept in the database so throttling holds across restarts and servers.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::schema::sign_in_attempts;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

pub fn record(
    conn: &mut AnyConnection,
    username: &str,
    client_address: &str,
    succeeded: bool,
    at: DateTime<Utc>,
) -> StorageResult<()> {
    diesel::insert_into(sign_in_attempts::table)
        .values((
            sign_in_attempts::username.eq(truncate(username, 128)),
            sign_in_attempts::client_address.eq(client_address),
            sign_in_attempts::succeeded.eq(succeeded),
            sign_in_attempts::attempted_at.eq(at.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

/// Failures for a username since `since` and since its last successful sign-in.
pub fn recent_failures_for_username(
    conn: &mut AnyConnection,
    username: &str,
    since: DateTime<Utc>,
) -> StorageResult<u32> {
    let last_success: Option<NaiveDateTime> = sign_in_attempts::table
        .filter(sign_in_attempts::username.eq(username))
        .filter(sign_in_attempts::succeeded.eq(true))
        .select(diesel::dsl::max(sign_in_attempts::attempted_at))
        .first(conn)?;
    let from = last_success
        .map(|t| t.max(since.naive_utc()))
        .unwrap_or(since.naive_utc());
    let count: i64 = sign_in_attempts::table
        .filter(sign_in_attempts::username.eq(username))
        .filter(sign_in_attempts::succeeded.eq(false))
        .filter(sign_in_attempts::attempted_at.gt(from))
        .count()
        .get_result(conn)?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// Failures from a network address since `since`.
pub fn recent_failures_from_address(
    conn: &mut AnyConnection,
    client_address: &str,
    since: DateTime<Utc>,
) -> StorageResult<u32> {
    let count: i64 = sign_in_attempts::table
        .filter(sign_in_attempts::client_address.eq(client_address))
        .filter(sign_in_attempts::succeeded.eq(false))
        .filter(sign_in_attempts::attempted_at.gt(since.naive_utc()))
        .count()
        .get_result(conn)?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}
