//! Reminder preferences (`reminder_preferences`) and the outbox of messages to people on
//! probation (`outbox`): writing tomorrow's reminders, picking the messages due, and recording
//! what became of each attempt. When to retry and what a message says are the domain's
//! (`keepsafe_domain::supervision::reminders`); sending is the web crate's delivery module.

use crate::batch::insert_rows;
use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{contacts, outbox, reminder_preferences};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::supervision::contact::{ContactStatus, ContactType, LocationKind};
use keepsafe_domain::supervision::reminders::{
    Message, OutboxStatus, ReminderAppointment, ReminderChannel,
};
use keepsafe_domain::CodedValue;
use std::collections::HashSet;
use uuid::Uuid;

/// How a person wants to be reminded, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preference {
    pub channel: ReminderChannel,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub consent_on: Option<NaiveDate>,
    pub recorded_by: Uuid,
    pub recorded_at: NaiveDateTime,
}

/// The person's preference, if one has been recorded (none means no reminders).
pub fn preference(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Option<Preference>> {
    let row = reminder_preferences::table
        .find(person_id.to_string())
        .select((
            reminder_preferences::channel,
            reminder_preferences::mobile,
            reminder_preferences::email,
            reminder_preferences::consent_on,
            reminder_preferences::recorded_by,
            reminder_preferences::recorded_at,
        ))
        .first::<(
            String,
            Option<String>,
            Option<String>,
            Option<NaiveDate>,
            String,
            NaiveDateTime,
        )>(conn)
        .optional()?;
    row.map(
        |(channel, mobile, email, consent_on, recorded_by, recorded_at)| {
            Ok(Preference {
                channel: rows::code(&channel)?,
                mobile,
                email,
                consent_on,
                recorded_by: rows::id(&recorded_by)?,
                recorded_at,
            })
        },
    )
    .transpose()
}

/// A preference to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPreference {
    pub channel: ReminderChannel,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub consent_on: Option<NaiveDate>,
}

/// Records the person's preference, replacing any earlier one. Choosing no reminders cancels the
/// messages still waiting; a change of channel or address cancels those written for the old one.
pub fn set_preference(
    conn: &mut AnyConnection,
    person_id: Uuid,
    preference: &NewPreference,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let now = now.naive_utc();
    let person = person_id.to_string();
    diesel::delete(reminder_preferences::table.find(&person)).execute(conn)?;
    diesel::insert_into(reminder_preferences::table)
        .values((
            reminder_preferences::person_id.eq(&person),
            reminder_preferences::channel.eq(preference.channel.code()),
            reminder_preferences::mobile.eq(&preference.mobile),
            reminder_preferences::email.eq(&preference.email),
            reminder_preferences::consent_on.eq(preference.consent_on),
            reminder_preferences::recorded_by.eq(by.to_string()),
            reminder_preferences::recorded_at.eq(now),
        ))
        .execute(conn)?;
    let recipient = match preference.channel {
        ReminderChannel::Text => preference.mobile.clone(),
        ReminderChannel::Email => preference.email.clone(),
        ReminderChannel::None => None,
    };
    let waiting = outbox::table
        .filter(outbox::person_id.eq(&person))
        .filter(outbox::status.eq_any([OutboxStatus::Queued.code(), OutboxStatus::NotSent.code()]))
        .select((outbox::id, outbox::channel, outbox::recipient))
        .load::<(String, String, String)>(conn)?;
    let stale: Vec<String> = waiting
        .into_iter()
        .filter(|(_, channel, to)| {
            channel != preference.channel.code() || Some(to) != recipient.as_ref()
        })
        .map(|(id, _, _)| id)
        .collect();
    if !stale.is_empty() {
        diesel::update(outbox::table.filter(outbox::id.eq_any(&stale)))
            .set((
                outbox::status.eq(OutboxStatus::Cancelled.code()),
                outbox::last_error.eq(Some("The person changed how they want reminders")),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: Uuid,
    pub person_id: Uuid,
    pub contact_id: Option<Uuid>,
    pub channel: ReminderChannel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub status: OutboxStatus,
    pub attempts: u32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub sent_at: Option<NaiveDateTime>,
    pub provider_reference: Option<String>,
    pub appointment_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

type MessageRow = (
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    i32,
    NaiveDateTime,
    Option<String>,
    Option<NaiveDateTime>,
    Option<String>,
    Option<NaiveDateTime>,
    NaiveDateTime,
);

#[diesel::dsl::auto_type(no_type_alias)]
fn message_columns() -> _ {
    (
        outbox::id,
        outbox::person_id,
        outbox::contact_id,
        outbox::channel,
        outbox::recipient,
        outbox::subject,
        outbox::body,
        outbox::status,
        outbox::attempts,
        outbox::next_attempt_at,
        outbox::last_error,
        outbox::sent_at,
        outbox::provider_reference,
        outbox::appointment_at,
        outbox::created_at,
    )
}

fn message(row: MessageRow) -> StorageResult<OutboxMessage> {
    let (
        id,
        person,
        contact,
        channel,
        recipient,
        subject,
        body,
        status,
        attempts,
        next_attempt_at,
        last_error,
        sent_at,
        provider_reference,
        appointment_at,
        created_at,
    ) = row;
    Ok(OutboxMessage {
        id: rows::id(&id)?,
        person_id: rows::id(&person)?,
        contact_id: rows::opt_id(contact.as_deref())?,
        channel: rows::code(&channel)?,
        recipient,
        subject,
        body,
        status: rows::code(&status)?,
        attempts: attempts.max(0) as u32,
        next_attempt_at,
        last_error,
        sent_at,
        provider_reference,
        appointment_at,
        created_at,
    })
}

/// The person's messages, newest first (at most `limit`).
pub fn for_person(
    conn: &mut AnyConnection,
    person_id: Uuid,
    limit: usize,
) -> StorageResult<Vec<OutboxMessage>> {
    outbox::table
        .filter(outbox::person_id.eq(person_id.to_string()))
        .order((outbox::created_at.desc(), outbox::id.asc()))
        .limit(limit as i64)
        .select(message_columns())
        .load::<MessageRow>(conn)?
        .into_iter()
        .map(message)
        .collect()
}

/// One message.
pub fn find(conn: &mut AnyConnection, id: Uuid) -> StorageResult<OutboxMessage> {
    message(
        outbox::table
            .find(id.to_string())
            .select(message_columns())
            .first::<MessageRow>(conn)?,
    )
}

/// Writes a reminder for each appointment arranged on `day` for a person who chose a channel
/// and has none yet (at most one per appointment), to be sent from `send_after`. Returns how
/// many were written.
pub fn queue_reminders(
    conn: &mut AnyConnection,
    day: NaiveDate,
    send_after: NaiveDateTime,
    compose: impl Fn(&ReminderAppointment) -> Message,
    now: DateTime<Utc>,
) -> StorageResult<usize> {
    let now = now.naive_utc();
    let types: Vec<&str> = ContactType::recordable().map(CodedValue::code).collect();
    let next_day = day + chrono::Duration::days(1);
    let candidates = contacts::table
        .inner_join(
            reminder_preferences::table.on(reminder_preferences::person_id.eq(contacts::person_id)),
        )
        .filter(contacts::status.eq(ContactStatus::Arranged.code()))
        .filter(contacts::outcome.is_null())
        .filter(contacts::contact_type.eq_any(types))
        .filter(contacts::starts_at.ge(day.and_time(NaiveTime::MIN)))
        .filter(contacts::starts_at.lt(next_day.and_time(NaiveTime::MIN)))
        .filter(reminder_preferences::channel.ne(ReminderChannel::None.code()))
        .select((
            contacts::id,
            contacts::person_id,
            contacts::starts_at,
            contacts::location_kind,
            contacts::location,
            contacts::sensitive,
            reminder_preferences::channel,
            reminder_preferences::mobile,
            reminder_preferences::email,
        ))
        .load::<(
            String,
            String,
            NaiveDateTime,
            String,
            String,
            bool,
            String,
            Option<String>,
            Option<String>,
        )>(conn)?;
    let ids: Vec<&String> = candidates.iter().map(|c| &c.0).collect();
    let already: HashSet<String> = outbox::table
        .filter(outbox::contact_id.eq_any(ids.iter().map(|id| Some(id.as_str()))))
        .select(outbox::contact_id)
        .load::<Option<String>>(conn)?
        .into_iter()
        .flatten()
        .collect();
    let mut new_rows = Vec::new();
    for (contact, person, starts_at, location_kind, location, sensitive, channel, mobile, email) in
        candidates
    {
        if already.contains(&contact) {
            continue;
        }
        let channel: ReminderChannel = rows::code(&channel)?;
        let recipient = match channel {
            ReminderChannel::Text => mobile,
            ReminderChannel::Email => email,
            ReminderChannel::None => None,
        };
        let Some(recipient) = recipient else {
            continue;
        };
        let location_kind: LocationKind = rows::code(&location_kind)?;
        let message = compose(&ReminderAppointment {
            starts_at,
            location_kind,
            location,
            sensitive,
        });
        let send_after = send_after.max(now);
        new_rows.push((
            outbox::id.eq(Uuid::new_v4().to_string()),
            outbox::person_id.eq(person),
            outbox::contact_id.eq(Some(contact)),
            outbox::channel.eq(channel.code()),
            outbox::recipient.eq(recipient),
            outbox::subject.eq(message.subject),
            outbox::body.eq(message.body),
            outbox::status.eq(OutboxStatus::Queued.code()),
            outbox::send_after.eq(send_after),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(send_after),
            outbox::appointment_at.eq(Some(starts_at)),
            outbox::created_at.eq(now),
        ));
    }
    let written = new_rows.len();
    for chunk in new_rows.chunks(100) {
        insert_rows!(conn, outbox::table, chunk)?;
    }
    Ok(written)
}

/// Messages waiting to be sent whose time has come (queued, or kept unsent for want of a
/// provider), oldest first, at most `limit`.
pub fn due(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    limit: usize,
) -> StorageResult<Vec<OutboxMessage>> {
    outbox::table
        .filter(outbox::status.eq_any([OutboxStatus::Queued.code(), OutboxStatus::NotSent.code()]))
        .filter(outbox::next_attempt_at.le(now.naive_utc()))
        .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
        .limit(limit as i64)
        .select(message_columns())
        .load::<MessageRow>(conn)?
        .into_iter()
        .map(message)
        .collect()
}

/// The appointment a reminder is about as it stands now: whether it is still arranged without
/// an outcome, and when it starts. `None` when it no longer exists.
pub fn appointment_now(
    conn: &mut AnyConnection,
    contact_id: Uuid,
) -> StorageResult<Option<(bool, NaiveDateTime)>> {
    let row = contacts::table
        .find(contact_id.to_string())
        .select((contacts::status, contacts::outcome, contacts::starts_at))
        .first::<(String, Option<String>, NaiveDateTime)>(conn)
        .optional()?;
    Ok(row.map(|(status, outcome, starts_at)| {
        (
            status == ContactStatus::Arranged.code() && outcome.is_none(),
            starts_at,
        )
    }))
}

/// What became of an attempt to send a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// The provider took it.
    Sent { reference: Option<String> },
    /// It failed; try again at this time.
    Retry { error: String, at: NaiveDateTime },
    /// It failed for the last time.
    Failed { error: String },
    /// Nothing could send it (no provider configured): kept unsent, with the reason.
    NotSent { reason: String },
    /// It should no longer be sent, with the reason.
    Cancelled { reason: String },
}

/// Records `attempt` on the message. Sending and failing count as attempts; a message kept
/// unsent or cancelled does not.
pub fn record_attempt(
    conn: &mut AnyConnection,
    id: Uuid,
    attempt: &Attempt,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let now = now.naive_utc();
    let target = outbox::table.find(id.to_string());
    match attempt {
        Attempt::Sent { reference } => diesel::update(target)
            .set((
                outbox::status.eq(OutboxStatus::Sent.code()),
                outbox::attempts.eq(outbox::attempts + 1),
                outbox::sent_at.eq(Some(now)),
                outbox::provider_reference.eq(reference),
                outbox::last_error.eq(None::<String>),
            ))
            .execute(conn)?,
        Attempt::Retry { error, at } => diesel::update(target)
            .set((
                outbox::status.eq(OutboxStatus::Queued.code()),
                outbox::attempts.eq(outbox::attempts + 1),
                outbox::next_attempt_at.eq(*at),
                outbox::last_error.eq(Some(error)),
            ))
            .execute(conn)?,
        Attempt::Failed { error } => diesel::update(target)
            .set((
                outbox::status.eq(OutboxStatus::Failed.code()),
                outbox::attempts.eq(outbox::attempts + 1),
                outbox::last_error.eq(Some(error)),
            ))
            .execute(conn)?,
        Attempt::NotSent { reason } => diesel::update(target)
            .set((
                outbox::status.eq(OutboxStatus::NotSent.code()),
                outbox::last_error.eq(Some(reason)),
            ))
            .execute(conn)?,
        Attempt::Cancelled { reason } => diesel::update(target)
            .set((
                outbox::status.eq(OutboxStatus::Cancelled.code()),
                outbox::last_error.eq(Some(reason)),
            ))
            .execute(conn)?,
    };
    Ok(())
}
