//! Contacts and appointments: writing them (a contact recorded after the fact is an appointment
//! written with its outcome; a series is several rows sharing a `series_id`), the contact log
//! (filtered and paged, newest first, on the `contacts_person_time` index), moving and cancelling
//! an appointment, the next appointment, the diaries the clash warnings read, and the entries
//! keepsafe writes itself for system events.

use crate::batch::insert_rows;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{allocations, check_requests, contacts, events, requirements, staff, teams};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::partner::RequestType;
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::supervision::appointment::{Booked, Diary};
use keepsafe_domain::supervision::contact::{
    ContactOutcome, ContactStatus, ContactType, FailureJudgement, LocationKind, RescheduleRequester,
};
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// A contact or appointment to write.
#[derive(Debug, Clone, PartialEq)]
pub struct NewContact {
    pub id: Uuid,
    pub person_id: Uuid,
    pub event_id: Option<Uuid>,
    pub requirement_id: Option<Uuid>,
    pub kind: ContactType,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub location_kind: LocationKind,
    /// The place in words ("Leicester probation office", the home address, "Telephone").
    pub location: String,
    /// Who the person is seeing (or who made the contact).
    pub with_staff: Option<Uuid>,
    pub sensitive: bool,
    pub enforceable: bool,
    pub notes: String,
    pub series_id: Option<Uuid>,
    /// Set when the contact is recorded after the fact.
    pub outcome: Option<ContactOutcome>,
    pub judgement: Option<FailureJudgement>,
    pub created_by: Uuid,
}

#[derive(Insertable)]
#[diesel(table_name = contacts)]
struct ContactInsert {
    id: String,
    person_id: String,
    event_id: Option<String>,
    requirement_id: Option<String>,
    contact_type: &'static str,
    starts_at: NaiveDateTime,
    ends_at: Option<NaiveDateTime>,
    location_kind: &'static str,
    location: String,
    staff_id: Option<String>,
    sensitive: bool,
    enforceable: bool,
    notes: String,
    series_id: Option<String>,
    status: &'static str,
    outcome: Option<&'static str>,
    outcome_recorded_by: Option<String>,
    outcome_recorded_at: Option<NaiveDateTime>,
    judgement: Option<&'static str>,
    judged_by: Option<String>,
    judged_at: Option<NaiveDateTime>,
    created_by: Option<String>,
    created_at: Option<NaiveDateTime>,
}

/// Writes contacts (one, or a whole series) inside the caller's transaction.
pub fn insert(
    conn: &mut AnyConnection,
    new: &[NewContact],
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let now = now.naive_utc();
    let rows: Vec<ContactInsert> = new
        .iter()
        .map(|c| {
            let by = c.created_by.to_string();
            ContactInsert {
                id: c.id.to_string(),
                person_id: c.person_id.to_string(),
                event_id: c.event_id.map(|id| id.to_string()),
                requirement_id: c.requirement_id.map(|id| id.to_string()),
                contact_type: c.kind.code(),
                starts_at: c.starts_at,
                ends_at: c.ends_at,
                location_kind: c.location_kind.code(),
                location: c.location.clone(),
                staff_id: c.with_staff.map(|id| id.to_string()),
                sensitive: c.sensitive,
                enforceable: c.enforceable,
                notes: c.notes.clone(),
                series_id: c.series_id.map(|id| id.to_string()),
                status: ContactStatus::Arranged.code(),
                outcome: c.outcome.map(CodedValue::code),
                outcome_recorded_by: c.outcome.map(|_| by.clone()),
                outcome_recorded_at: c.outcome.map(|_| now),
                judgement: c.judgement.map(CodedValue::code),
                judged_by: c.judgement.map(|_| by.clone()),
                judged_at: c.judgement.map(|_| now),
                created_by: Some(by),
                created_at: Some(now),
            }
        })
        .collect();
    for chunk in rows.chunks(200) {
        insert_rows!(conn, contacts::table, chunk)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reading the contact log.
// ---------------------------------------------------------------------------------------------

diesel::define_sql_function! {
    /// SQL `lower`, so the notes search ignores case on PostgreSQL as on SQLite.
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// What the contact log is filtered by; every filter is optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogFilter {
    pub kind: Option<ContactType>,
    /// From this day, inclusive.
    pub from: Option<NaiveDate>,
    /// To this day, inclusive.
    pub to: Option<NaiveDate>,
    pub outcome: Option<OutcomeFilter>,
    pub event_id: Option<Uuid>,
    pub requirement_id: Option<Uuid>,
    /// Who recorded it (for contacts written before keepsafe kept that, who it was with).
    pub author: Option<Uuid>,
    /// Words in the notes, ignoring case. Sensitive contacts are not searched, so a search cannot
    /// reveal what their notes say.
    pub text: Option<String>,
}

/// The outcome filter: one outcome, or those with none recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeFilter {
    Is(ContactOutcome),
    NotRecorded,
}

/// One entry of the contact log, with the names of the people involved.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    pub id: Uuid,
    pub person_id: Uuid,
    pub kind: ContactType,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub location_kind: LocationKind,
    pub location: String,
    pub with_staff: Option<Uuid>,
    pub with_name: Option<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: Option<NaiveDateTime>,
    pub outcome: Option<ContactOutcome>,
    pub judgement: Option<FailureJudgement>,
    pub status: ContactStatus,
    pub sensitive: bool,
    pub enforceable: bool,
    pub notes: String,
    pub event_id: Option<Uuid>,
    /// "Event 2", for the list.
    pub event_number: Option<i32>,
    pub requirement_id: Option<Uuid>,
    pub requirement: Option<RequirementKind>,
    pub series_id: Option<Uuid>,
    pub reschedule_requested_by: Option<RescheduleRequester>,
    pub change_reason: Option<String>,
    pub rescheduled_to: Option<Uuid>,
    pub changed_by: Option<String>,
    pub changed_at: Option<NaiveDateTime>,
}

/// A page of the log, newest first, and how many entries the filters match in all.
#[derive(Debug, Clone, PartialEq)]
pub struct LogPage {
    pub entries: Vec<LogEntry>,
    pub total: i64,
}

type Backend = <AnyConnection as diesel::Connection>::Backend;

#[derive(Queryable)]
struct LogRow {
    id: String,
    person_id: String,
    contact_type: String,
    starts_at: NaiveDateTime,
    ends_at: Option<NaiveDateTime>,
    location_kind: String,
    location: String,
    staff_id: Option<String>,
    created_by: Option<String>,
    created_at: Option<NaiveDateTime>,
    outcome: Option<String>,
    judgement: Option<String>,
    status: String,
    sensitive: bool,
    enforceable: bool,
    notes: String,
    event_id: Option<String>,
    requirement_id: Option<String>,
    series_id: Option<String>,
    reschedule_requested_by: Option<String>,
    change_reason: Option<String>,
    rescheduled_to: Option<String>,
    changed_by: Option<String>,
    changed_at: Option<NaiveDateTime>,
}

macro_rules! log_columns {
    () => {
        (
            contacts::id,
            contacts::person_id,
            contacts::contact_type,
            contacts::starts_at,
            contacts::ends_at,
            contacts::location_kind,
            contacts::location,
            contacts::staff_id,
            contacts::created_by,
            contacts::created_at,
            contacts::outcome,
            contacts::judgement,
            contacts::status,
            contacts::sensitive,
            contacts::enforceable,
            contacts::notes,
            contacts::event_id,
            contacts::requirement_id,
            contacts::series_id,
            contacts::reschedule_requested_by,
            contacts::change_reason,
            contacts::rescheduled_to,
            contacts::changed_by,
            contacts::changed_at,
        )
    };
}

/// The person's contacts matching `filter`, as a boxed query the page and the count share.
fn filtered(person_id: Uuid, filter: &LogFilter) -> contacts::BoxedQuery<'static, Backend> {
    let mut query = contacts::table
        .filter(contacts::person_id.eq(person_id.to_string()))
        .into_boxed();
    if let Some(kind) = filter.kind {
        query = query.filter(contacts::contact_type.eq(kind.code()));
    }
    if let Some(from) = filter.from {
        query = query.filter(contacts::starts_at.ge(from.and_time(NaiveTime::MIN)));
    }
    if let Some(to) = filter.to.and_then(|to| to.succ_opt()) {
        query = query.filter(contacts::starts_at.lt(to.and_time(NaiveTime::MIN)));
    }
    match filter.outcome {
        Some(OutcomeFilter::Is(outcome)) => {
            query = query.filter(contacts::outcome.eq(outcome.code()));
        }
        Some(OutcomeFilter::NotRecorded) => query = query.filter(contacts::outcome.is_null()),
        None => {}
    }
    if let Some(event) = filter.event_id {
        query = query.filter(contacts::event_id.eq(event.to_string()));
    }
    if let Some(requirement) = filter.requirement_id {
        query = query.filter(contacts::requirement_id.eq(requirement.to_string()));
    }
    if let Some(author) = filter.author {
        let author = author.to_string();
        query = query.filter(
            contacts::created_by
                .eq(author.clone())
                .or(contacts::created_by
                    .is_null()
                    .and(contacts::staff_id.eq(author))),
        );
    }
    if let Some(text) = filter
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let escaped = text
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        query = query.filter(contacts::sensitive.eq(false)).filter(
            lower(contacts::notes)
                .like(format!("%{escaped}%"))
                .escape('\\'),
        );
    }
    query
}

/// A page of the person's contact log (`page` from 1), newest first. Three queries whatever the
/// page holds: the count, the page, and the names, events and requirements it mentions.
pub fn log(
    conn: &mut AnyConnection,
    person_id: Uuid,
    filter: &LogFilter,
    page: i64,
    per_page: i64,
) -> StorageResult<LogPage> {
    let total: i64 = filtered(person_id, filter).count().get_result(conn)?;
    let rows: Vec<LogRow> = filtered(person_id, filter)
        .select(log_columns!())
        .order((contacts::starts_at.desc(), contacts::id.desc()))
        .limit(per_page)
        .offset((page.max(1) - 1) * per_page)
        .load(conn)?;
    Ok(LogPage {
        entries: entries(conn, person_id, rows)?,
        total,
    })
}

/// One of the person's contacts; another person's is not found.
pub fn find(conn: &mut AnyConnection, person_id: Uuid, id: Uuid) -> StorageResult<LogEntry> {
    let rows: Vec<LogRow> = contacts::table
        .filter(contacts::id.eq(id.to_string()))
        .filter(contacts::person_id.eq(person_id.to_string()))
        .select(log_columns!())
        .load(conn)?;
    entries(conn, person_id, rows)?
        .pop()
        .ok_or(StorageError::NotFound)
}

fn entries(
    conn: &mut AnyConnection,
    person_id: Uuid,
    rows: Vec<LogRow>,
) -> StorageResult<Vec<LogEntry>> {
    let mut staff_ids: Vec<String> = rows
        .iter()
        .flat_map(|r| [&r.staff_id, &r.created_by, &r.changed_by])
        .flatten()
        .cloned()
        .collect();
    staff_ids.sort();
    staff_ids.dedup();
    let names = staff_names(conn, &staff_ids)?;
    let (events, requirements) = events_and_requirements(conn, person_id)?;
    let name = |id: &Option<String>| id.as_ref().and_then(|id| names.get(id).cloned());
    rows.into_iter()
        .map(|r| {
            Ok(LogEntry {
                id: rows::id(&r.id)?,
                person_id: rows::id(&r.person_id)?,
                kind: rows::code(&r.contact_type)?,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                location_kind: rows::code(&r.location_kind)?,
                location: r.location,
                with_staff: rows::opt_id(r.staff_id.as_deref())?,
                with_name: name(&r.staff_id),
                recorded_by: name(&r.created_by),
                recorded_at: r.created_at,
                outcome: rows::opt_code(r.outcome.as_deref())?,
                judgement: rows::opt_code(r.judgement.as_deref())?,
                status: rows::code(&r.status)?,
                sensitive: r.sensitive,
                enforceable: r.enforceable,
                notes: r.notes,
                event_number: r
                    .event_id
                    .as_ref()
                    .and_then(|id| events.iter().find(|e| &e.0 == id))
                    .map(|e| e.1),
                event_id: rows::opt_id(r.event_id.as_deref())?,
                requirement: r
                    .requirement_id
                    .as_ref()
                    .and_then(|id| requirements.iter().find(|q| &q.0 == id))
                    .map(|q| rows::code(&q.1))
                    .transpose()?,
                requirement_id: rows::opt_id(r.requirement_id.as_deref())?,
                series_id: rows::opt_id(r.series_id.as_deref())?,
                reschedule_requested_by: rows::opt_code(r.reschedule_requested_by.as_deref())?,
                change_reason: r.change_reason,
                rescheduled_to: rows::opt_id(r.rescheduled_to.as_deref())?,
                changed_by: name(&r.changed_by),
                changed_at: r.changed_at,
            })
        })
        .collect()
}

/// "First Last" for each member of staff, by id.
fn staff_names(conn: &mut AnyConnection, ids: &[String]) -> StorageResult<HashMap<String, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(staff::table
        .filter(staff::id.eq_any(ids))
        .select((staff::id, staff::first_name, staff::last_name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, first, last)| (id, format!("{first} {last}")))
        .collect())
}

type EventsAndRequirements = (Vec<(String, i32)>, Vec<(String, String)>);

/// The person's events (id, number) and requirements (id, kind code).
fn events_and_requirements(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<EventsAndRequirements> {
    let person = person_id.to_string();
    let events = events::table
        .filter(events::person_id.eq(&person))
        .select((events::id, events::event_number))
        .load::<(String, i32)>(conn)?;
    let requirements = requirements::table
        .inner_join(events::table)
        .filter(events::person_id.eq(&person))
        .select((requirements::id, requirements::kind))
        .load::<(String, String)>(conn)?;
    Ok((events, requirements))
}

/// Everyone who recorded a contact on the case (or, for contacts written before keepsafe kept
/// that, whom it was with), for the log's author filter: (id, name), by name.
pub fn authors(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<(Uuid, String)>> {
    let person = person_id.to_string();
    let mut ids: Vec<String> = contacts::table
        .filter(contacts::person_id.eq(&person))
        .filter(contacts::created_by.is_not_null())
        .select(contacts::created_by)
        .distinct()
        .load::<Option<String>>(conn)?
        .into_iter()
        .flatten()
        .collect();
    ids.extend(
        contacts::table
            .filter(contacts::person_id.eq(&person))
            .filter(contacts::created_by.is_null())
            .filter(contacts::staff_id.is_not_null())
            .select(contacts::staff_id)
            .distinct()
            .load::<Option<String>>(conn)?
            .into_iter()
            .flatten(),
    );
    ids.sort();
    ids.dedup();
    let mut named: Vec<(Uuid, String)> = staff_names(conn, &ids)?
        .into_iter()
        .map(|(id, name)| Ok((rows::id(&id)?, name)))
        .collect::<StorageResult<_>>()?;
    named.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(named)
}

// ---------------------------------------------------------------------------------------------
// What the forms offer.
// ---------------------------------------------------------------------------------------------

/// An event the contact can count towards, with its active requirements.
#[derive(Debug, Clone, PartialEq)]
pub struct EventChoice {
    pub id: Uuid,
    pub number: i32,
    pub offence: String,
    pub active: bool,
    pub requirements: Vec<(Uuid, RequirementKind)>,
}

/// What the contact and appointment forms need to offer sensible defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct FormContext {
    /// The practitioner holding the case, if it is allocated.
    pub practitioner: Option<Uuid>,
    /// The staff of the case's team (id, name), by name.
    pub team_staff: Vec<(Uuid, String)>,
    /// "Midchester North office": the team's office, as appointments there are written.
    pub office: Option<String>,
    /// The person's current main address on one line.
    pub home: Option<String>,
    /// Events, active first and newest first; the first active one is the default.
    pub events: Vec<EventChoice>,
}

impl FormContext {
    /// The event a new contact counts towards unless the practitioner chooses another.
    pub fn current_event(&self) -> Option<&EventChoice> {
        self.events.iter().find(|e| e.active)
    }
}

/// Reads the form context of a case held by `team` (if allocated).
pub fn form_context(
    conn: &mut AnyConnection,
    person_id: Uuid,
    team: Option<Uuid>,
    today: NaiveDate,
) -> StorageResult<FormContext> {
    let person = person_id.to_string();
    let practitioner = allocations::table
        .filter(allocations::person_id.eq(&person))
        .filter(allocations::end_date.is_null())
        .select(allocations::staff_id)
        .first::<String>(conn)
        .optional()?
        .map(|id| rows::id(&id))
        .transpose()?;
    let (team_staff, office) = match team {
        Some(team) => {
            let team = team.to_string();
            let office = teams::table
                .find(&team)
                .select(teams::name)
                .first::<String>(conn)
                .optional()?
                .map(|name| format!("{name} office"));
            let staff = staff::table
                .filter(staff::team_id.eq(&team))
                .filter(staff::active.eq(true))
                .select((staff::id, staff::first_name, staff::last_name))
                .order((staff::last_name.asc(), staff::first_name.asc()))
                .load::<(String, String, String)>(conn)?
                .into_iter()
                .map(|(id, first, last)| Ok((rows::id(&id)?, format!("{first} {last}"))))
                .collect::<StorageResult<Vec<_>>>()?;
            (staff, office)
        }
        None => (Vec::new(), None),
    };
    let home = crate::cases::record::current_address(conn, person_id, today)?
        .map(|address| address.description);
    let event_rows = events::table
        .filter(events::person_id.eq(&person))
        .select((
            events::id,
            events::event_number,
            events::offence_description,
            events::active,
        ))
        .order((events::active.desc(), events::event_number.desc()))
        .load::<(String, i32, String, bool)>(conn)?;
    let requirement_rows = requirements::table
        .inner_join(events::table)
        .filter(events::person_id.eq(&person))
        .filter(requirements::active.eq(true))
        .select((requirements::id, requirements::event_id, requirements::kind))
        .order(requirements::start_date.asc())
        .load::<(String, String, String)>(conn)?;
    let events = event_rows
        .into_iter()
        .map(|(id, number, offence, active)| {
            Ok(EventChoice {
                requirements: requirement_rows
                    .iter()
                    .filter(|r| r.1 == id)
                    .map(|r| Ok((rows::id(&r.0)?, rows::code(&r.2)?)))
                    .collect::<StorageResult<_>>()?,
                id: rows::id(&id)?,
                number,
                offence,
                active,
            })
        })
        .collect::<StorageResult<_>>()?;
    Ok(FormContext {
        practitioner,
        team_staff,
        office,
        home,
        events,
    })
}

// ---------------------------------------------------------------------------------------------
// Appointments: clashes, moving, cancelling, the next one.
// ---------------------------------------------------------------------------------------------

/// The appointments still arranged in the practitioner's and the person's diaries between
/// `from` and `to`, for the clash warnings; `except` leaves out the one being moved. Two
/// queries, each on its own index (`contacts_staff_time`, `contacts_person_time`).
pub fn booked(
    conn: &mut AnyConnection,
    practitioner: Option<Uuid>,
    person_id: Uuid,
    from: NaiveDateTime,
    to: NaiveDateTime,
    except: Option<Uuid>,
) -> StorageResult<Vec<Booked>> {
    // An appointment starting up to a day before `from` may still be running.
    let since = from - chrono::Duration::days(1);
    let except = except.map(|id| id.to_string()).unwrap_or_default();
    let load = |conn: &mut AnyConnection, query: contacts::BoxedQuery<'static, Backend>| {
        query
            .filter(contacts::starts_at.ge(since))
            .filter(contacts::starts_at.lt(to))
            .filter(contacts::status.eq(ContactStatus::Arranged.code()))
            .filter(contacts::id.ne(except.clone()))
            .select((contacts::id, contacts::starts_at, contacts::ends_at))
            .load::<(String, NaiveDateTime, Option<NaiveDateTime>)>(conn)
    };
    let person_rows = load(
        conn,
        contacts::table
            .filter(contacts::person_id.eq(person_id.to_string()))
            .into_boxed(),
    )?;
    let mut booked: Vec<Booked> = person_rows
        .iter()
        .map(|(_, starts_at, ends_at)| Booked {
            starts_at: *starts_at,
            ends_at: *ends_at,
            status: ContactStatus::Arranged,
            diary: Diary::Person,
        })
        .collect();
    if let Some(practitioner) = practitioner {
        let theirs = load(
            conn,
            contacts::table
                .filter(contacts::staff_id.eq(practitioner.to_string()))
                .into_boxed(),
        )?;
        booked.extend(
            theirs
                .into_iter()
                // The person's own appointments with this practitioner are already listed.
                .filter(|(id, _, _)| !person_rows.iter().any(|(p, _, _)| p == id))
                .map(|(_, starts_at, ends_at)| Booked {
                    starts_at,
                    ends_at,
                    status: ContactStatus::Arranged,
                    diary: Diary::Practitioner,
                }),
        );
    }
    Ok(booked)
}

/// Moving an appointment: who asked and why, and when it now is.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub requested_by: RescheduleRequester,
    pub reason: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
}

/// Reschedules an arranged appointment without an outcome: the old row becomes `rescheduled`
/// (who asked, why, who moved it, when, and the new row's id) and a new arranged row is written
/// with everything else the same. Returns the new row's id. A change made meanwhile by someone
/// else (an outcome recorded, the appointment moved or cancelled) is a
/// [`StorageError::Conflict`], and nothing is written.
pub fn reschedule(
    conn: &mut AnyConnection,
    old: &LogEntry,
    change: &Move,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let new_id = Uuid::new_v4();
    let updated = diesel::update(still_open(old.id))
        .set((
            contacts::status.eq(ContactStatus::Rescheduled.code()),
            contacts::reschedule_requested_by.eq(Some(change.requested_by.code())),
            contacts::change_reason.eq(Some(change.reason.as_str())),
            contacts::rescheduled_to.eq(Some(new_id.to_string())),
            contacts::changed_by.eq(Some(by.to_string())),
            contacts::changed_at.eq(Some(now.naive_utc())),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(CHANGED_MEANWHILE.into()));
    }
    insert(
        conn,
        &[NewContact {
            id: new_id,
            person_id: old.person_id,
            event_id: old.event_id,
            requirement_id: old.requirement_id,
            kind: old.kind,
            starts_at: change.starts_at,
            ends_at: Some(change.ends_at),
            location_kind: old.location_kind,
            location: old.location.clone(),
            with_staff: old.with_staff,
            sensitive: old.sensitive,
            enforceable: old.enforceable,
            notes: old.notes.clone(),
            series_id: old.series_id,
            outcome: None,
            judgement: None,
            created_by: by,
        }],
        now,
    )?;
    Ok(new_id)
}

/// Cancels an arranged appointment without an outcome, keeping why, who and when. A change made
/// meanwhile is a [`StorageError::Conflict`].
pub fn cancel(
    conn: &mut AnyConnection,
    id: Uuid,
    reason: &str,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let updated = diesel::update(still_open(id))
        .set((
            contacts::status.eq(ContactStatus::Cancelled.code()),
            contacts::change_reason.eq(Some(reason)),
            contacts::changed_by.eq(Some(by.to_string())),
            contacts::changed_at.eq(Some(now.naive_utc())),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(CHANGED_MEANWHILE.into()));
    }
    Ok(())
}

const CHANGED_MEANWHILE: &str =
    "This appointment changed while you were working on it: open it again to see where it stands";

/// The row, as [`still_open`] selects it.
type StillOpen = diesel::dsl::Filter<
    diesel::dsl::Filter<
        diesel::dsl::Filter<contacts::table, diesel::dsl::Eq<contacts::id, String>>,
        diesel::dsl::Eq<contacts::status, &'static str>,
    >,
    diesel::dsl::IsNull<contacts::outcome>,
>;

/// The row, only while it is arranged and has no outcome (the guard against two changes at once).
fn still_open(id: Uuid) -> StillOpen {
    contacts::table
        .filter(contacts::id.eq(id.to_string()))
        .filter(contacts::status.eq(ContactStatus::Arranged.code()))
        .filter(contacts::outcome.is_null())
}

/// The person's next appointment with anyone in the service.
#[derive(Debug, Clone, PartialEq)]
pub struct NextAppointment {
    pub id: Uuid,
    pub kind: ContactType,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub location: String,
    pub with_name: Option<String>,
    pub sensitive: bool,
}

/// The first arranged appointment at or after `now` with no outcome, whoever it is with.
pub fn next_appointment(
    conn: &mut AnyConnection,
    person_id: Uuid,
    now: NaiveDateTime,
) -> StorageResult<Option<NextAppointment>> {
    let row = contacts::table
        .left_join(staff::table.on(contacts::staff_id.eq(staff::id.nullable())))
        .filter(contacts::person_id.eq(person_id.to_string()))
        .filter(contacts::starts_at.ge(now))
        .filter(contacts::status.eq(ContactStatus::Arranged.code()))
        .filter(contacts::outcome.is_null())
        .filter(contacts::contact_type.ne_all(system_event_codes()))
        .order(contacts::starts_at.asc())
        .select((
            contacts::id,
            contacts::contact_type,
            contacts::starts_at,
            contacts::ends_at,
            contacts::location,
            contacts::sensitive,
            staff::first_name.nullable(),
            staff::last_name.nullable(),
        ))
        .first::<(
            String,
            String,
            NaiveDateTime,
            Option<NaiveDateTime>,
            String,
            bool,
            Option<String>,
            Option<String>,
        )>(conn)
        .optional()?;
    row.map(
        |(id, kind, starts_at, ends_at, location, sensitive, first, last)| {
            Ok(NextAppointment {
                id: rows::id(&id)?,
                kind: rows::code(&kind)?,
                starts_at,
                ends_at,
                location,
                with_name: first.zip(last).map(|(f, l)| format!("{f} {l}")),
                sensitive,
            })
        },
    )
    .transpose()
}

/// The codes of the entries keepsafe writes itself (`ContactType::is_system_event`): they have no
/// outcome and are never missed, so queries about appointments leave them out.
pub fn system_event_codes() -> Vec<&'static str> {
    <ContactType as CodedValue>::ALL
        .iter()
        .filter(|kind| kind.is_system_event())
        .map(|kind| kind.code())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// System events.
// ---------------------------------------------------------------------------------------------

/// Writes an entry keepsafe makes itself when something happens on the case (a risk assessment
/// completed, a partner check answered), inside the caller's transaction: no outcome, location
/// "keepsafe", recorded by `by` when a member of staff did it.
pub fn record_system_event(
    conn: &mut AnyConnection,
    person_id: Uuid,
    kind: ContactType,
    by: Option<Uuid>,
    notes: &str,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    debug_assert!(kind.is_system_event());
    let at = now.naive_utc();
    // When it happened on the office's clock, as every other contact's time is written.
    let happened = keepsafe_domain::supervision::contact_log::local_time(now);
    diesel::insert_into(contacts::table)
        .values((
            contacts::id.eq(Uuid::new_v4().to_string()),
            contacts::person_id.eq(person_id.to_string()),
            contacts::contact_type.eq(kind.code()),
            contacts::starts_at.eq(happened),
            contacts::location_kind.eq(LocationKind::Other.code()),
            contacts::location.eq("keepsafe"),
            contacts::notes.eq(notes),
            contacts::status.eq(ContactStatus::Arranged.code()),
            contacts::created_by.eq(by.map(|id| id.to_string())),
            contacts::created_at.eq(Some(at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The "check answered" entry for a check request, naming the check and who answered.
pub fn record_check_answered(
    conn: &mut AnyConnection,
    check_id: Uuid,
    by: Option<Uuid>,
    answered_by: &str,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let (person, kind) = check_requests::table
        .find(check_id.to_string())
        .select((check_requests::person_id, check_requests::kind))
        .first::<(String, String)>(conn)?;
    let kind: RequestType = rows::code(&kind)?;
    let label = kind
        .check_kind()
        .map_or(kind.label(), |check| check.label());
    let notes = if answered_by.is_empty() {
        format!("{label}: answer recorded")
    } else {
        format!("{label}: answered by {answered_by}")
    };
    record_system_event(
        conn,
        rows::id(&person)?,
        ContactType::CheckAnswered,
        by,
        &notes,
        now,
    )
}
