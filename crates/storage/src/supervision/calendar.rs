//! Calendar feed addresses (`calendar_feeds`) and the appointments a feed holds. A member of staff
//! has at most one live address; renewing it revokes the old one at once but keeps its row, so a
//! renewed address can be told apart from one that never existed.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{calendar_feeds, contacts, people};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::supervision::calendar_feed::FeedAppointment;
use keepsafe_domain::supervision::contact::{ContactStatus, ContactType};
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// What a feed address is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedToken {
    /// The live address of this member of staff's feed.
    Live(Uuid),
    /// An address that was renewed (replaced) at this time.
    Revoked(NaiveDateTime),
    /// No such address.
    Unknown,
}

/// The member of staff's live feed token, if they have one.
pub fn live_token(conn: &mut AnyConnection, staff_id: Uuid) -> StorageResult<Option<String>> {
    Ok(calendar_feeds::table
        .filter(calendar_feeds::staff_id.eq(staff_id.to_string()))
        .filter(calendar_feeds::revoked_at.is_null())
        .order(calendar_feeds::created_at.desc())
        .select(calendar_feeds::token)
        .first::<String>(conn)
        .optional()?)
}

/// Makes `token` the member of staff's live feed address, revoking any earlier one at `now`.
pub fn issue(
    conn: &mut AnyConnection,
    staff_id: Uuid,
    token: &str,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let now = now.naive_utc();
    diesel::update(
        calendar_feeds::table
            .filter(calendar_feeds::staff_id.eq(staff_id.to_string()))
            .filter(calendar_feeds::revoked_at.is_null()),
    )
    .set(calendar_feeds::revoked_at.eq(Some(now)))
    .execute(conn)?;
    diesel::insert_into(calendar_feeds::table)
        .values((
            calendar_feeds::token.eq(token),
            calendar_feeds::staff_id.eq(staff_id.to_string()),
            calendar_feeds::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The live token, or `new_token` issued as the first one.
pub fn live_or_issue(
    conn: &mut AnyConnection,
    staff_id: Uuid,
    new_token: impl FnOnce() -> String,
    now: DateTime<Utc>,
) -> StorageResult<String> {
    if let Some(token) = live_token(conn, staff_id)? {
        return Ok(token);
    }
    let token = new_token();
    issue(conn, staff_id, &token, now)?;
    Ok(token)
}

/// When `token` was issued.
pub fn created_at(conn: &mut AnyConnection, token: &str) -> StorageResult<NaiveDateTime> {
    Ok(calendar_feeds::table
        .find(token)
        .select(calendar_feeds::created_at)
        .first(conn)?)
}

/// What `token` is.
pub fn find(conn: &mut AnyConnection, token: &str) -> StorageResult<FeedToken> {
    let row = calendar_feeds::table
        .filter(calendar_feeds::token.eq(token))
        .select((calendar_feeds::staff_id, calendar_feeds::revoked_at))
        .first::<(String, Option<NaiveDateTime>)>(conn)
        .optional()?;
    Ok(match row {
        None => FeedToken::Unknown,
        Some((_, Some(revoked))) => FeedToken::Revoked(revoked),
        Some((staff, None)) => FeedToken::Live(rows::id(&staff)?),
    })
}

/// The appointments still arranged with this member of staff on the days `from` up to `until`
/// (exclusive): cancelled and rescheduled ones are left out, as are system events.
pub fn appointments(
    conn: &mut AnyConnection,
    staff_id: Uuid,
    from: NaiveDate,
    until: NaiveDate,
) -> StorageResult<Vec<FeedAppointment>> {
    let types: Vec<&str> = ContactType::recordable().map(CodedValue::code).collect();
    let rows = contacts::table
        .inner_join(people::table)
        .filter(contacts::staff_id.eq(Some(staff_id.to_string())))
        .filter(contacts::status.eq(ContactStatus::Arranged.code()))
        .filter(contacts::contact_type.eq_any(types))
        .filter(contacts::starts_at.ge(from.and_time(NaiveTime::MIN)))
        .filter(contacts::starts_at.lt(until.and_time(NaiveTime::MIN)))
        .order(contacts::starts_at.asc())
        .select((
            contacts::id,
            people::crn,
            contacts::contact_type,
            contacts::location_kind,
            contacts::location,
            contacts::sensitive,
            contacts::starts_at,
            contacts::ends_at,
        ))
        .load::<(
            String,
            String,
            String,
            String,
            String,
            bool,
            NaiveDateTime,
            Option<NaiveDateTime>,
        )>(conn)?;
    rows.into_iter()
        .map(
            |(id, crn, kind, location_kind, location, sensitive, starts_at, ends_at)| {
                Ok(FeedAppointment {
                    id: rows::id(&id)?,
                    crn,
                    kind: rows::code(&kind)?,
                    location_kind: rows::code(&location_kind)?,
                    location,
                    sensitive,
                    starts_at,
                    ends_at,
                })
            },
        )
        .collect()
}
