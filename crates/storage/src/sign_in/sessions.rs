//! Server-side sessions. The cookie holds a random token; only its SHA-256 hash is stored, so a
//! copy of the database cannot be used to sign in.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::sessions;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

/// A live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub staff_id: Uuid,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub fn create(
    conn: &mut AnyConnection,
    token_hash: &str,
    staff_id: Uuid,
    csrf_token: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> StorageResult<()> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(token_hash),
            sessions::staff_id.eq(staff_id.to_string()),
            sessions::csrf_token.eq(csrf_token),
            sessions::created_at.eq(now.naive_utc()),
            sessions::last_seen_at.eq(now.naive_utc()),
            sessions::expires_at.eq(expires_at.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The session for this token, if it has not expired.
pub fn find_active(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> StorageResult<Option<Session>> {
    let row = sessions::table
        .find(token_hash)
        .filter(sessions::expires_at.gt(now.naive_utc()))
        .select((
            sessions::staff_id,
            sessions::csrf_token,
            sessions::created_at,
            sessions::expires_at,
        ))
        .first::<(String, String, NaiveDateTime, NaiveDateTime)>(conn)
        .optional()?;
    row.map(|(staff_id, csrf_token, created_at, expires_at)| {
        Ok(Session {
            staff_id: rows::id(&staff_id)?,
            csrf_token,
            created_at: created_at.and_utc(),
            expires_at: expires_at.and_utc(),
        })
    })
    .transpose()
}

/// Slides the idle expiry forward after activity.
pub fn touch(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> StorageResult<()> {
    diesel::update(sessions::table.find(token_hash))
        .set((
            sessions::last_seen_at.eq(now.naive_utc()),
            sessions::expires_at.eq(expires_at.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn delete(conn: &mut AnyConnection, token_hash: &str) -> StorageResult<()> {
    diesel::delete(sessions::table.find(token_hash)).execute(conn)?;
    Ok(())
}

/// Ends every session of a member of staff (after a password reset).
pub fn delete_for_staff(conn: &mut AnyConnection, staff_id: Uuid) -> StorageResult<usize> {
    Ok(
        diesel::delete(sessions::table.filter(sessions::staff_id.eq(staff_id.to_string())))
            .execute(conn)?,
    )
}

pub fn delete_expired(conn: &mut AnyConnection, now: DateTime<Utc>) -> StorageResult<usize> {
    Ok(
        diesel::delete(sessions::table.filter(sessions::expires_at.le(now.naive_utc())))
            .execute(conn)?,
    )
}
