//! The work on a custody case before release: its custodial events, the prison's key dates, the
//! state of the address suitability check, and the handover and release-day tasks.

use crate::cases::tasks::TaskScope;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{
    address_checks, allocations, custody_key_dates, events, licence_tasks, people, registrations,
};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use keepsafe_domain::event::{CaseType, SentenceType};
use keepsafe_domain::licences::{
    compute_key_dates, planned_tasks, AddressState, KeyDates, LicenceRules, LicenceTaskKind,
    PrisonDates, SentenceFacts,
};
use keepsafe_domain::registration::MappaCategory;
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// An active event with a custodial sentence: in custody now, or released on licence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustodyEvent {
    pub event_id: Uuid,
    pub person_id: Uuid,
    pub offence: String,
    pub sentence_type: SentenceType,
    pub case_type: CaseType,
    pub sentence_date: Option<NaiveDate>,
    pub sentence_length_months: Option<u32>,
    pub release_date: Option<NaiveDate>,
}

type EventRow = (
    String,
    String,
    String,
    String,
    String,
    Option<NaiveDate>,
    Option<i32>,
    Option<NaiveDate>,
);

/// The person's active events with a custodial sentence, oldest first.
pub fn custody_events(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<Vec<CustodyEvent>> {
    let custodial: Vec<&str> = SentenceType::ALL
        .iter()
        .filter(|s| s.is_custodial())
        .map(|s| s.code())
        .collect();
    events::table
        .filter(events::person_id.eq(person_id.to_string()))
        .filter(events::active.eq(true))
        .filter(events::sentence_type.eq_any(custodial))
        .order(events::event_number.asc())
        .select((
            events::id,
            events::person_id,
            events::offence_description,
            events::sentence_type,
            events::case_type,
            events::sentence_date,
            events::sentence_length_months,
            events::release_date,
        ))
        .load::<EventRow>(conn)?
        .into_iter()
        .map(|row| {
            Ok(CustodyEvent {
                event_id: rows::id(&row.0)?,
                person_id: rows::id(&row.1)?,
                offence: row.2,
                sentence_type: rows::code(&row.3)?,
                case_type: rows::code(&row.4)?,
                sentence_date: row.5,
                sentence_length_months: row.6.and_then(|m| u32::try_from(m).ok()),
                release_date: row.7,
            })
        })
        .collect()
}

/// One of the person's custodial events, or not found.
pub fn custody_event(
    conn: &mut AnyConnection,
    person_id: Uuid,
    event_id: Uuid,
) -> StorageResult<CustodyEvent> {
    custody_events(conn, person_id)?
        .into_iter()
        .find(|e| e.event_id == event_id)
        .ok_or(StorageError::NotFound)
}

/// Whether the person is subject to sex-offender notification requirements on `today` (an
/// active MAPPA category 1 registration), which excludes home detention curfew.
pub fn sex_offender_notification(
    conn: &mut AnyConnection,
    person_id: Uuid,
    today: NaiveDate,
) -> StorageResult<bool> {
    let count: i64 = registrations::table
        .filter(registrations::person_id.eq(person_id.to_string()))
        .filter(registrations::mappa_category.eq(MappaCategory::RegisteredSexOffender.code()))
        .filter(
            registrations::ended_on
                .is_null()
                .or(registrations::ended_on.gt(today)),
        )
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// The prison's dates recorded for an event (none recorded: all empty).
pub fn prison_dates(conn: &mut AnyConnection, event_id: Uuid) -> StorageResult<PrisonDates> {
    Ok(custody_key_dates::table
        .find(event_id.to_string())
        .select((
            custody_key_dates::release_date,
            custody_key_dates::hdc_eligibility_date,
            custody_key_dates::licence_end_date,
            custody_key_dates::sentence_end_date,
        ))
        .first::<(
            Option<NaiveDate>,
            Option<NaiveDate>,
            Option<NaiveDate>,
            Option<NaiveDate>,
        )>(conn)
        .optional()?
        .map(|(release, hdc, licence_end, sentence_end)| PrisonDates {
            release_date: release,
            hdc_eligibility_date: hdc,
            licence_end_date: licence_end,
            sentence_end_date: sentence_end,
        })
        .unwrap_or_default())
}

/// The event's key dates: computed from the sentence, the prison's replacing them.
pub fn key_dates(
    conn: &mut AnyConnection,
    event: &CustodyEvent,
    today: NaiveDate,
) -> StorageResult<KeyDates> {
    let facts = SentenceFacts {
        sentence_type: event.sentence_type,
        sentence_date: event.sentence_date,
        sentence_length_months: event.sentence_length_months,
        sex_offender_notification: sex_offender_notification(conn, event.person_id, today)?,
    };
    Ok(compute_key_dates(
        &facts,
        &prison_dates(conn, event.event_id)?,
    ))
}

/// Records the prison's dates for a custody event and schedules the handover and release-day
/// tasks from the release date that results (the prison's, else keepsafe's).
pub fn record_prison_dates(
    conn: &mut AnyConnection,
    event: &CustodyEvent,
    dates: &PrisonDates,
    rules: &LicenceRules,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    diesel::delete(custody_key_dates::table.find(event.event_id.to_string())).execute(conn)?;
    diesel::insert_into(custody_key_dates::table)
        .values((
            custody_key_dates::event_id.eq(event.event_id.to_string()),
            custody_key_dates::person_id.eq(event.person_id.to_string()),
            custody_key_dates::release_date.eq(dates.release_date),
            custody_key_dates::hdc_eligibility_date.eq(dates.hdc_eligibility_date),
            custody_key_dates::licence_end_date.eq(dates.licence_end_date),
            custody_key_dates::sentence_end_date.eq(dates.sentence_end_date),
            custody_key_dates::recorded_by.eq(by.to_string()),
            custody_key_dates::recorded_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    if event.case_type == CaseType::Custody {
        if let Some(release) = key_dates(conn, event, now.date_naive())?.release.date {
            schedule_tasks(conn, event, release, rules, now)?;
        }
    }
    Ok(())
}

/// Creates the handover and release-day tasks for a release on `release`, replacing the open
/// ones of an earlier schedule (tasks already done stay done and are not asked again).
pub fn schedule_tasks(
    conn: &mut AnyConnection,
    event: &CustodyEvent,
    release: NaiveDate,
    rules: &LicenceRules,
    now: DateTime<Utc>,
) -> StorageResult<usize> {
    let event_id = event.event_id.to_string();
    diesel::delete(
        licence_tasks::table
            .filter(licence_tasks::event_id.eq(&event_id))
            .filter(licence_tasks::completed_on.is_null()),
    )
    .execute(conn)?;
    let done: Vec<String> = licence_tasks::table
        .filter(licence_tasks::event_id.eq(&event_id))
        .select(licence_tasks::kind)
        .load(conn)?;
    let rows: Vec<_> = planned_tasks(release, rules)
        .into_iter()
        .filter(|t| !done.iter().any(|k| k == t.kind.code()))
        .map(|t| {
            (
                licence_tasks::id.eq(Uuid::new_v4().to_string()),
                licence_tasks::person_id.eq(event.person_id.to_string()),
                licence_tasks::event_id.eq(event_id.clone()),
                licence_tasks::kind.eq(t.kind.code()),
                licence_tasks::visible_from.eq(t.visible_from),
                licence_tasks::due_on.eq(t.due_on),
                licence_tasks::rule_version.eq(rules.version.clone()),
                licence_tasks::created_at.eq(now.naive_utc()),
            )
        })
        .collect();
    let count = rows.len();
    for row in rows {
        diesel::insert_into(licence_tasks::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(count)
}

/// A handover or release-day task with its case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceTaskRecord {
    pub id: Uuid,
    pub person_id: Uuid,
    pub crn: String,
    pub name: String,
    pub kind: LicenceTaskKind,
    pub visible_from: NaiveDate,
    pub due_on: NaiveDate,
    pub rule_version: String,
    pub completed_on: Option<NaiveDate>,
}

type TaskRow = (
    (String, String, String, String, String),
    (String, NaiveDate, NaiveDate, String, Option<NaiveDate>),
);

fn task(((id, person, crn, first, last), rest): TaskRow) -> StorageResult<LicenceTaskRecord> {
    Ok(LicenceTaskRecord {
        id: rows::id(&id)?,
        person_id: rows::id(&person)?,
        crn,
        name: format!("{first} {last}"),
        kind: rows::code(&rest.0)?,
        visible_from: rest.1,
        due_on: rest.2,
        rule_version: rest.3,
        completed_on: rest.4,
    })
}

/// The tasks of a scope: a person's every task, done or not; otherwise the open tasks listed by
/// `today` (their `visible_from` reached), soonest due first. One query.
pub fn tasks(
    conn: &mut AnyConnection,
    scope: TaskScope,
    today: NaiveDate,
) -> StorageResult<Vec<LicenceTaskRecord>> {
    let mut query = licence_tasks::table
        .inner_join(people::table)
        .left_join(
            allocations::table.on(allocations::person_id
                .eq(people::id)
                .and(allocations::end_date.is_null())),
        )
        .select((
            (
                licence_tasks::id,
                licence_tasks::person_id,
                people::crn,
                people::first_name,
                people::last_name,
            ),
            (
                licence_tasks::kind,
                licence_tasks::visible_from,
                licence_tasks::due_on,
                licence_tasks::rule_version,
                licence_tasks::completed_on,
            ),
        ))
        .order((
            licence_tasks::due_on.asc(),
            people::crn.asc(),
            licence_tasks::kind.asc(),
        ))
        .into_boxed();
    if !matches!(scope, TaskScope::Person(_)) {
        query = query
            .filter(licence_tasks::completed_on.is_null())
            .filter(licence_tasks::visible_from.le(today));
    }
    query = match scope {
        TaskScope::Person(id) => query.filter(licence_tasks::person_id.eq(id.to_string())),
        TaskScope::Staff(id) => query.filter(allocations::staff_id.eq(id.to_string())),
        TaskScope::Team(id) => query.filter(allocations::team_id.eq(id.to_string())),
        TaskScope::Pdu(id) => query.filter(people::pdu_id.eq(id.to_string())),
    };
    query.load::<TaskRow>(conn)?.into_iter().map(task).collect()
}

/// Marks one of the person's open tasks done; a task of another case is not found.
pub fn complete_task(
    conn: &mut AnyConnection,
    person_id: Uuid,
    task_id: Uuid,
    by: Uuid,
    today: NaiveDate,
) -> StorageResult<LicenceTaskKind> {
    let kind: String = licence_tasks::table
        .find(task_id.to_string())
        .filter(licence_tasks::person_id.eq(person_id.to_string()))
        .select(licence_tasks::kind)
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    let updated = diesel::update(
        licence_tasks::table
            .find(task_id.to_string())
            .filter(licence_tasks::completed_on.is_null()),
    )
    .set((
        licence_tasks::completed_on.eq(Some(today)),
        licence_tasks::completed_by.eq(Some(by.to_string())),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict("This task is already done.".into()));
    }
    rows::code(&kind)
}

/// The state of the person's address suitability checks for release (a licence address or home
/// detention curfew): approved (the latest approval), started, or none.
pub fn address_state(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<AddressState> {
    use keepsafe_domain::address_suitability::CurfewPurpose;
    let purposes = [
        CurfewPurpose::LicenceAddress.code(),
        CurfewPurpose::HomeDetentionCurfew.code(),
    ];
    let approvals: Vec<Option<NaiveDate>> = address_checks::table
        .filter(address_checks::person_id.eq(person_id.to_string()))
        .filter(address_checks::purpose.eq_any(purposes))
        .select(address_checks::approved_on)
        .load(conn)?;
    Ok(match approvals.iter().flatten().max() {
        Some(on) => AddressState::Approved { on: *on },
        None if approvals.is_empty() => AddressState::NotStarted,
        None => AddressState::NotApproved,
    })
}
