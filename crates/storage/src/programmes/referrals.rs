//! A case's referrals: making one, reading them with their sessions, and storing what each of the
//! domain's transitions returns, guarded by the status the referral was read in (two people
//! acting on one referral at once cannot both land). A session is written as a programme session
//! contact in the contact log, in the same transaction, and an unacceptable failure to attend goes
//! on to enforcement exactly as one recorded on an appointment.

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{
    contacts, programme_referrals, programme_sessions, programmes, requirements, staff,
};
use crate::supervision::contacts::{self as contact_log, NewContact};
use crate::supervision::enforcement::{self, Failure, Opened};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::programmes::referral::{Assessed, Attended, Ended, NewReferral, Started};
use keepsafe_domain::programmes::{NonCompletionReason, Referral, ReferralStatus};
use keepsafe_domain::supervision::contact::{
    ContactOutcome, ContactType, FailureJudgement, LocationKind,
};
use keepsafe_domain::supervision::enforcement::EnforcementRules;
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// A referral as the case's programmes page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralRecord {
    pub id: Uuid,
    pub person_id: Uuid,
    pub requirement_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
    pub programme_code: String,
    pub programme_name: String,
    pub sessions_planned: u32,
    pub status: ReferralStatus,
    pub referred_on: NaiveDate,
    pub referred_by: String,
    pub notes: String,
    pub assessed_on: Option<NaiveDate>,
    pub suitability_reason: String,
    pub started_on: Option<NaiveDate>,
    pub cohort: Option<String>,
    pub ended_on: Option<NaiveDate>,
    pub reason: Option<NonCompletionReason>,
    pub end_detail: String,
    pub sessions: Vec<SessionRecord>,
}

/// A session recorded for a referral, with its contact's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub number: u32,
    pub held_on: NaiveDate,
    pub contact_id: Uuid,
    pub outcome: Option<ContactOutcome>,
    pub judgement: Option<FailureJudgement>,
}

impl ReferralRecord {
    /// The referral as the domain's transitions read it.
    pub fn workflow(&self) -> Referral {
        Referral {
            status: self.status,
            referred_on: self.referred_on,
            assessed_on: self.assessed_on,
            started_on: self.started_on,
            ended_on: self.ended_on,
            sessions_recorded: self.sessions.iter().map(|s| s.number).collect(),
            sessions_planned: self.sessions_planned,
        }
    }

    /// Sessions attended (in person), of those recorded.
    pub fn attended(&self) -> usize {
        self.sessions
            .iter()
            .filter(|s| s.outcome.is_some_and(ContactOutcome::attended))
            .count()
    }
}

/// Makes a referral of `person_id` to the programme `programme_code` (open for referrals),
/// under `requirement_id` if given (one of the person's). Returns its id.
pub fn refer(
    conn: &mut AnyConnection,
    person_id: Uuid,
    requirement_id: Option<Uuid>,
    programme_code: &str,
    new: &NewReferral,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(programme_referrals::table)
        .values((
            programme_referrals::id.eq(id.to_string()),
            programme_referrals::person_id.eq(person_id.to_string()),
            programme_referrals::requirement_id.eq(requirement_id.map(|r| r.to_string())),
            programme_referrals::programme_code.eq(programme_code),
            programme_referrals::status.eq(ReferralStatus::AwaitingAssessment.code()),
            programme_referrals::referred_on.eq(new.referred_on),
            programme_referrals::referred_by.eq(by.to_string()),
            programme_referrals::notes.eq(&new.notes),
            programme_referrals::updated_by.eq(by.to_string()),
            programme_referrals::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

type Row = (
    (String, String, Option<String>, String, String, i32, String),
    (NaiveDate, String, String, String, Option<NaiveDate>, String),
    (
        Option<NaiveDate>,
        Option<String>,
        Option<NaiveDate>,
        Option<String>,
        String,
        Option<String>,
    ),
);

macro_rules! referrals_query {
    () => {
        programme_referrals::table
            .inner_join(programmes::table)
            .inner_join(staff::table.on(staff::id.eq(programme_referrals::referred_by)))
            .left_join(
                requirements::table.on(requirements::id
                    .nullable()
                    .eq(programme_referrals::requirement_id)),
            )
            .select((
                (
                    programme_referrals::id,
                    programme_referrals::person_id,
                    programme_referrals::requirement_id,
                    programme_referrals::programme_code,
                    programmes::name,
                    programmes::sessions,
                    programme_referrals::status,
                ),
                (
                    programme_referrals::referred_on,
                    staff::first_name,
                    staff::last_name,
                    programme_referrals::notes,
                    programme_referrals::assessed_on,
                    programme_referrals::suitability_reason,
                ),
                (
                    programme_referrals::started_on,
                    programme_referrals::cohort,
                    programme_referrals::ended_on,
                    programme_referrals::non_completion_reason,
                    programme_referrals::end_detail,
                    requirements::event_id.nullable(),
                ),
            ))
    };
}

fn record(row: Row) -> StorageResult<ReferralRecord> {
    let ((id, person, requirement, code, name, sessions, status), second, third) = row;
    let (referred_on, first, last, notes, assessed_on, suitability_reason) = second;
    let (started_on, cohort, ended_on, reason, end_detail, event) = third;
    Ok(ReferralRecord {
        id: rows::id(&id)?,
        person_id: rows::id(&person)?,
        requirement_id: rows::opt_id(requirement.as_deref())?,
        event_id: rows::opt_id(event.as_deref())?,
        programme_code: code,
        programme_name: name,
        sessions_planned: u32::try_from(sessions).unwrap_or(0),
        status: rows::code(&status)?,
        referred_on,
        referred_by: format!("{first} {last}"),
        notes,
        assessed_on,
        suitability_reason,
        started_on,
        cohort,
        ended_on,
        reason: rows::opt_code(reason.as_deref())?,
        end_detail,
        sessions: Vec::new(),
    })
}

/// Fills in the sessions of `records`: one query, whatever their number.
fn with_sessions(
    conn: &mut AnyConnection,
    mut records: Vec<ReferralRecord>,
) -> StorageResult<Vec<ReferralRecord>> {
    let ids: Vec<String> = records.iter().map(|r| r.id.to_string()).collect();
    let mut by_referral: HashMap<String, Vec<SessionRecord>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let found = programme_sessions::table
            .inner_join(contacts::table.on(contacts::id.eq(programme_sessions::contact_id)))
            .filter(programme_sessions::referral_id.eq_any(chunk))
            .order(programme_sessions::session_number.asc())
            .select((
                programme_sessions::referral_id,
                programme_sessions::session_number,
                programme_sessions::held_on,
                programme_sessions::contact_id,
                contacts::outcome,
                contacts::judgement,
            ))
            .load::<(
                String,
                i32,
                NaiveDate,
                String,
                Option<String>,
                Option<String>,
            )>(conn)?;
        for (referral, number, held_on, contact, outcome, judgement) in found {
            by_referral
                .entry(referral)
                .or_default()
                .push(SessionRecord {
                    number: u32::try_from(number).unwrap_or(0),
                    held_on,
                    contact_id: rows::id(&contact)?,
                    outcome: rows::opt_code(outcome.as_deref())?,
                    judgement: rows::opt_code(judgement.as_deref())?,
                });
        }
    }
    for record in &mut records {
        record.sessions = by_referral
            .remove(&record.id.to_string())
            .unwrap_or_default();
    }
    Ok(records)
}

/// The person's referrals, newest first, with their sessions: two queries.
pub fn for_person(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<ReferralRecord>> {
    let found = referrals_query!()
        .filter(programme_referrals::person_id.eq(person_id.to_string()))
        .order((
            programme_referrals::referred_on.desc(),
            programme_referrals::updated_at.desc(),
        ))
        .load::<Row>(conn)?
        .into_iter()
        .map(record)
        .collect::<StorageResult<Vec<_>>>()?;
    with_sessions(conn, found)
}

/// One of the person's referrals; another person's is not found.
pub fn find(conn: &mut AnyConnection, person_id: Uuid, id: Uuid) -> StorageResult<ReferralRecord> {
    let found = referrals_query!()
        .filter(programme_referrals::person_id.eq(person_id.to_string()))
        .filter(programme_referrals::id.eq(id.to_string()))
        .first::<Row>(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    let mut found = with_sessions(conn, vec![record(found)?])?;
    Ok(found.remove(0))
}

const CHANGED_MEANWHILE: &str =
    "This referral was changed by someone else meanwhile: open it again to see where it stands";

/// Updates the referral if it is still in the status it was read in.
fn guarded(
    conn: &mut AnyConnection,
    referral: &ReferralRecord,
    by: Uuid,
    now: DateTime<Utc>,
    apply: impl FnOnce(&mut AnyConnection, &str, &str) -> QueryResult<usize>,
) -> StorageResult<()> {
    let id = referral.id.to_string();
    let changed = apply(conn, &id, referral.status.code())?;
    if changed == 0 {
        return Err(StorageError::Conflict(CHANGED_MEANWHILE.into()));
    }
    diesel::update(programme_referrals::table.filter(programme_referrals::id.eq(&id)))
        .set((
            programme_referrals::updated_by.eq(by.to_string()),
            programme_referrals::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Stores the suitability assessment.
pub fn assess(
    conn: &mut AnyConnection,
    referral: &ReferralRecord,
    assessed: &Assessed,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    guarded(conn, referral, by, now, |conn, id, from| {
        diesel::update(
            programme_referrals::table
                .filter(programme_referrals::id.eq(id))
                .filter(programme_referrals::status.eq(from)),
        )
        .set((
            programme_referrals::status.eq(assessed.status.code()),
            programme_referrals::assessed_on.eq(Some(assessed.assessed_on)),
            programme_referrals::suitability_reason.eq(&assessed.reason),
        ))
        .execute(conn)
    })
}

/// Stores the start.
pub fn start(
    conn: &mut AnyConnection,
    referral: &ReferralRecord,
    started: &Started,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    guarded(conn, referral, by, now, |conn, id, from| {
        diesel::update(
            programme_referrals::table
                .filter(programme_referrals::id.eq(id))
                .filter(programme_referrals::status.eq(from)),
        )
        .set((
            programme_referrals::status.eq(ReferralStatus::Started.code()),
            programme_referrals::started_on.eq(Some(started.started_on)),
            programme_referrals::cohort.eq(started.cohort.clone()),
        ))
        .execute(conn)
    })
}

/// Stores the end: completed, or not with the reason.
pub fn end(
    conn: &mut AnyConnection,
    referral: &ReferralRecord,
    ended: &Ended,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    guarded(conn, referral, by, now, |conn, id, from| {
        diesel::update(
            programme_referrals::table
                .filter(programme_referrals::id.eq(id))
                .filter(programme_referrals::status.eq(from)),
        )
        .set((
            programme_referrals::status.eq(ended.status.code()),
            programme_referrals::ended_on.eq(Some(ended.ended_on)),
            programme_referrals::non_completion_reason.eq(ended.reason.map(|r| r.code())),
            programme_referrals::end_detail.eq(&ended.detail),
        ))
        .execute(conn)
    })
}

/// What recording a session did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionRecorded {
    pub session_id: Uuid,
    pub contact_id: Uuid,
    /// What an unacceptable failure opened (a warning, breach action or recall), if anything.
    pub enforcement: Opened,
}

/// Records a session of a running programme: a programme session contact with its outcome (and,
/// for a failure, its judgement) in the contact log, the session against the referral, and — for
/// a failure judged unacceptable — the enforcement the rules decide, all in the caller's
/// transaction. A session number already recorded is a conflict (the unique index backs the
/// domain's check against two people recording at once).
#[allow(clippy::too_many_arguments)]
pub fn record_session(
    conn: &mut AnyConnection,
    referral: &ReferralRecord,
    session: &Attended,
    outcome: ContactOutcome,
    judgement: Option<FailureJudgement>,
    notes: &str,
    by: Uuid,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> StorageResult<SessionRecorded> {
    let taken: i64 = programme_sessions::table
        .filter(programme_sessions::referral_id.eq(referral.id.to_string()))
        .filter(programme_sessions::session_number.eq(i32::try_from(session.number).unwrap_or(0)))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(StorageError::Conflict(format!(
            "Session {} has already been recorded",
            session.number
        )));
    }
    let contact_id = Uuid::new_v4();
    let starts_at = session
        .held_on
        .and_time(NaiveTime::from_hms_opt(10, 0, 0).expect("a time"));
    let judgement = if outcome.is_failure() {
        judgement
    } else {
        None
    };
    contact_log::insert(
        conn,
        &[NewContact {
            id: contact_id,
            person_id: referral.person_id,
            event_id: referral.event_id,
            requirement_id: referral.requirement_id,
            kind: ContactType::ProgrammeSession,
            starts_at,
            ends_at: None,
            location_kind: LocationKind::Other,
            location: format!("{}, session {}", referral.programme_name, session.number),
            with_staff: None,
            sensitive: false,
            enforceable: true,
            notes: notes.to_owned(),
            series_id: None,
            outcome: Some(outcome),
            judgement,
            created_by: by,
        }],
        now,
    )?;
    let session_id = Uuid::new_v4();
    diesel::insert_into(programme_sessions::table)
        .values((
            programme_sessions::id.eq(session_id.to_string()),
            programme_sessions::referral_id.eq(referral.id.to_string()),
            programme_sessions::session_number.eq(i32::try_from(session.number).unwrap_or(0)),
            programme_sessions::held_on.eq(session.held_on),
            programme_sessions::contact_id.eq(contact_id.to_string()),
            programme_sessions::recorded_by.eq(by.to_string()),
            programme_sessions::recorded_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    let enforcement = if keepsafe_domain::supervision::contact::counts_towards_enforcement(
        Some(outcome),
        judgement,
    ) {
        enforcement::after_unacceptable_failure(
            conn,
            &Failure {
                person_id: referral.person_id,
                contact_id,
                event_id: referral.event_id,
                failed_at: starts_at,
            },
            &EnforcementRules::default(),
            by,
            today,
            now,
        )?
    } else {
        Opened::Nothing
    };
    Ok(SessionRecorded {
        session_id,
        contact_id,
        enforcement,
    })
}
