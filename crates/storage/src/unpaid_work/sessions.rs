//! Unpaid work sessions: adding them to a project, the list by day and project, allocating people
//! (each allocation is an appointment in the contact log and the diary), and recording the
//! attendance of a whole session at once — a failure's judgement going to the supervision area's
//! outcome and enforcement in the same transaction.

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{
    events, pdus, people, requirements, upw_allocations, upw_attendance, upw_projects, upw_sessions,
};
use crate::supervision::contacts::{self, NewContact};
use crate::supervision::enforcement::{self, Failure, Opened};
use crate::supervision::outcomes::{self, AlreadyRecorded, RecordedOutcome};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::supervision::contact::{ContactType, FailureJudgement, LocationKind};
use keepsafe_domain::supervision::diary::page_of;
use keepsafe_domain::supervision::enforcement::EnforcementRules;
use keepsafe_domain::supervision::outcome::Judgement;
use keepsafe_domain::unpaid_work::{AttendanceOutcome, Credit, ProjectKind, Rating, SessionFacts};
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// A session with its project and how full it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: Uuid,
    pub project_id: Uuid,
    pub project: String,
    pub kind: ProjectKind,
    pub address: String,
    pub postcode: String,
    pub pdu_id: Uuid,
    pub region_id: Uuid,
    pub day: NaiveDate,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub supervisor: String,
    pub capacity: u32,
    pub travel_credited: bool,
    pub ete_available: bool,
    pub allocated: u32,
    pub recorded: u32,
}

/// Adds a session to the project; returns its id.
pub fn add(
    conn: &mut AnyConnection,
    project: &super::projects::Project,
    facts: &SessionFacts,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(upw_sessions::table)
        .values((
            upw_sessions::id.eq(id.to_string()),
            upw_sessions::project_id.eq(project.id.to_string()),
            upw_sessions::pdu_id.eq(project.pdu_id.to_string()),
            upw_sessions::session_date.eq(facts.day),
            upw_sessions::starts_at.eq(facts.starts_at),
            upw_sessions::ends_at.eq(facts.ends_at),
            upw_sessions::supervisor.eq(&facts.supervisor),
            upw_sessions::created_by.eq(by.to_string()),
            upw_sessions::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

type SessionRow = (
    (String, String, String, String, String, String, String),
    (
        NaiveDate,
        NaiveDateTime,
        NaiveDateTime,
        String,
        i32,
        bool,
        bool,
    ),
);

macro_rules! sessions_with_projects {
    () => {
        upw_sessions::table
            .inner_join(upw_projects::table.on(upw_projects::id.eq(upw_sessions::project_id)))
            .inner_join(pdus::table.on(pdus::id.eq(upw_sessions::pdu_id)))
    };
}

macro_rules! select_session {
    () => {
        (
            (
                upw_sessions::id,
                upw_sessions::project_id,
                upw_projects::name,
                upw_projects::kind,
                upw_projects::address,
                upw_projects::postcode,
                upw_sessions::pdu_id,
            ),
            (
                upw_sessions::session_date,
                upw_sessions::starts_at,
                upw_sessions::ends_at,
                upw_sessions::supervisor,
                upw_projects::capacity,
                upw_projects::travel_credited,
                upw_projects::ete_available,
            ),
        )
    };
}

/// Turns rows into sessions, counting each one's allocations and attendances: two more queries
/// for any number of sessions.
fn sessions(
    conn: &mut AnyConnection,
    rows: Vec<(SessionRow, String)>,
) -> StorageResult<Vec<Session>> {
    let ids: Vec<&String> = rows.iter().map(|(row, _)| &row.0 .0).collect();
    let allocated: Vec<(String, String)> = upw_allocations::table
        .filter(upw_allocations::session_id.eq_any(&ids))
        .select((upw_allocations::session_id, upw_allocations::id))
        .load(conn)?;
    let allocation_ids: Vec<&String> = allocated.iter().map(|(_, id)| id).collect();
    let recorded: Vec<String> = upw_attendance::table
        .filter(upw_attendance::allocation_id.eq_any(&allocation_ids))
        .select(upw_attendance::allocation_id)
        .load(conn)?;
    let mut counts: HashMap<&str, (u32, u32)> = HashMap::new();
    for (session, allocation) in &allocated {
        let entry = counts.entry(session.as_str()).or_default();
        entry.0 += 1;
        if recorded.contains(allocation) {
            entry.1 += 1;
        }
    }
    rows.iter()
        .map(|((a, b), region)| {
            let (allocated, recorded) = counts.get(a.0.as_str()).copied().unwrap_or_default();
            Ok(Session {
                id: rows::id(&a.0)?,
                project_id: rows::id(&a.1)?,
                project: a.2.clone(),
                kind: rows::code(&a.3)?,
                address: a.4.clone(),
                postcode: a.5.clone(),
                pdu_id: rows::id(&a.6)?,
                region_id: rows::id(region)?,
                day: b.0,
                starts_at: b.1,
                ends_at: b.2,
                supervisor: b.3.clone(),
                capacity: u32::try_from(b.4).unwrap_or(0),
                travel_credited: b.5,
                ete_available: b.6,
                allocated,
                recorded,
            })
        })
        .collect()
}

/// The session `id`.
pub fn find(conn: &mut AnyConnection, id: Uuid) -> StorageResult<Session> {
    let row = sessions_with_projects!()
        .filter(upw_sessions::id.eq(id.to_string()))
        .select((select_session!(), pdus::region_id))
        .first::<(SessionRow, String)>(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    sessions(conn, vec![row])?
        .pop()
        .ok_or(StorageError::NotFound)
}

/// A page of sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPage {
    pub sessions: Vec<Session>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
}

/// The PDU's sessions on `day` (or from `from` on, when no day is given), of one project if
/// given, by day, time and project: page `requested` of `per_page`.
pub fn page(
    conn: &mut AnyConnection,
    pdu: Uuid,
    day: Option<NaiveDate>,
    from: NaiveDate,
    project: Option<Uuid>,
    requested: Option<usize>,
    per_page: usize,
) -> StorageResult<SessionPage> {
    let filtered = || {
        let query = sessions_with_projects!()
            .filter(upw_sessions::pdu_id.eq(pdu.to_string()))
            .into_boxed();
        let query = match day {
            Some(day) => query.filter(upw_sessions::session_date.eq(day)),
            None => query.filter(upw_sessions::session_date.ge(from)),
        };
        match project {
            Some(project) => query.filter(upw_sessions::project_id.eq(project.to_string())),
            None => query,
        }
    };
    let total = filtered().count().get_result::<i64>(conn)?;
    let total = usize::try_from(total).unwrap_or(0);
    let (page, pages) = page_of(requested, total, per_page);
    let offset = i64::try_from((page - 1) * per_page).unwrap_or(i64::MAX);
    let rows = filtered()
        .order((
            upw_sessions::session_date.asc(),
            upw_sessions::starts_at.asc(),
            upw_projects::name.asc(),
            upw_sessions::id.asc(),
        ))
        .offset(offset)
        .limit(i64::try_from(per_page).unwrap_or(i64::MAX))
        .select((select_session!(), pdus::region_id))
        .load::<(SessionRow, String)>(conn)?;
    Ok(SessionPage {
        sessions: sessions(conn, rows)?,
        total,
        page,
        pages,
    })
}

// ---------------------------------------------------------------------------------------------
// Allocation.
// ---------------------------------------------------------------------------------------------

/// A person who may be allocated: their case has an active unpaid work requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub person_id: Uuid,
    pub crn: String,
    pub name: String,
    pub pdu_id: Uuid,
    pub requirement_id: Uuid,
    pub event_id: Uuid,
    pub ordered_hours: u32,
}

/// Why a person cannot be allocated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAllocated {
    NoSuchCase,
    OtherPdu,
    NoUnpaidWork,
    Full { capacity: u32 },
    SameDay { project: String },
}

impl NotAllocated {
    /// What the person allocating is told.
    pub fn message(&self) -> String {
        match self {
            NotAllocated::NoSuchCase => "There is no case with this case reference number (CRN)".into(),
            NotAllocated::OtherPdu => "This case belongs to another probation delivery unit: allocate people from this project's PDU".into(),
            NotAllocated::NoUnpaidWork => "This case has no active unpaid work requirement to work off".into(),
            NotAllocated::Full { capacity } => format!("This session is full: all {capacity} places are allocated"),
            NotAllocated::SameDay { project } => format!("This person is already allocated to a session that day ({project}): one session a day"),
        }
    }
}

/// The person with case reference `crn`, if their case is in `pdu` and has an active unpaid work
/// requirement on an active event (the latest, if more than one).
pub fn candidate(
    conn: &mut AnyConnection,
    pdu: Uuid,
    crn: &str,
) -> StorageResult<Result<Candidate, NotAllocated>> {
    let Some((person, crn, first, last, person_pdu)) = people::table
        .filter(people::crn.eq(crn.trim().to_uppercase()))
        .select((
            people::id,
            people::crn,
            people::first_name,
            people::last_name,
            people::pdu_id,
        ))
        .first::<(String, String, String, String, String)>(conn)
        .optional()?
    else {
        return Ok(Err(NotAllocated::NoSuchCase));
    };
    if person_pdu != pdu.to_string() {
        return Ok(Err(NotAllocated::OtherPdu));
    }
    let requirement = requirements::table
        .inner_join(events::table.on(events::id.eq(requirements::event_id)))
        .filter(events::person_id.eq(&person))
        .filter(events::active.eq(true))
        .filter(requirements::active.eq(true))
        .filter(requirements::kind.eq(RequirementKind::UnpaidWork.code()))
        .order(requirements::start_date.desc())
        .select((
            requirements::id,
            requirements::event_id,
            requirements::length,
        ))
        .first::<(String, String, Option<i32>)>(conn)
        .optional()?;
    let Some((requirement, event, Some(hours))) = requirement else {
        return Ok(Err(NotAllocated::NoUnpaidWork));
    };
    Ok(Ok(Candidate {
        person_id: rows::id(&person)?,
        crn,
        name: format!("{first} {last}"),
        pdu_id: pdu,
        requirement_id: rows::id(&requirement)?,
        event_id: rows::id(&event)?,
        ordered_hours: u32::try_from(hours).unwrap_or(0),
    }))
}

/// Allocates the candidate to the session: refused when the session is full or the person has a
/// session that day; otherwise the appointment (an unpaid work session contact linked to the
/// requirement, enforceable) and the allocation are written. Returns (allocation, contact).
pub fn allocate(
    conn: &mut AnyConnection,
    session: &Session,
    candidate: &Candidate,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Result<(Uuid, Uuid), NotAllocated>> {
    let taken: i64 = upw_allocations::table
        .filter(upw_allocations::session_id.eq(session.id.to_string()))
        .count()
        .get_result(conn)?;
    if taken >= i64::from(session.capacity) {
        return Ok(Err(NotAllocated::Full {
            capacity: session.capacity,
        }));
    }
    let same_day: Option<String> = upw_allocations::table
        .inner_join(upw_sessions::table.on(upw_sessions::id.eq(upw_allocations::session_id)))
        .inner_join(upw_projects::table.on(upw_projects::id.eq(upw_sessions::project_id)))
        .filter(upw_allocations::person_id.eq(candidate.person_id.to_string()))
        .filter(upw_allocations::session_date.eq(session.day))
        .select(upw_projects::name)
        .first(conn)
        .optional()?;
    if let Some(project) = same_day {
        return Ok(Err(NotAllocated::SameDay { project }));
    }
    let contact = Uuid::new_v4();
    contacts::insert(
        conn,
        &[NewContact {
            id: contact,
            person_id: candidate.person_id,
            event_id: Some(candidate.event_id),
            requirement_id: Some(candidate.requirement_id),
            kind: ContactType::UnpaidWorkSession,
            starts_at: session.starts_at,
            ends_at: Some(session.ends_at),
            location_kind: LocationKind::Other,
            location: format!("{}, {}", session.project, session.address),
            with_staff: None,
            sensitive: false,
            enforceable: true,
            notes: format!(
                "Unpaid work at {}, supervised by {}.",
                session.project, session.supervisor
            ),
            series_id: None,
            outcome: None,
            judgement: None,
            created_by: by,
        }],
        now,
    )?;
    let id = Uuid::new_v4();
    diesel::insert_into(upw_allocations::table)
        .values((
            upw_allocations::id.eq(id.to_string()),
            upw_allocations::session_id.eq(session.id.to_string()),
            upw_allocations::person_id.eq(candidate.person_id.to_string()),
            upw_allocations::requirement_id.eq(candidate.requirement_id.to_string()),
            upw_allocations::contact_id.eq(contact.to_string()),
            upw_allocations::session_date.eq(session.day),
            upw_allocations::allocated_by.eq(by.to_string()),
            upw_allocations::allocated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(Ok((id, contact)))
}

/// What was recorded for an allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendance {
    pub outcome: AttendanceOutcome,
    pub quality: Option<Rating>,
    pub behaviour: Option<Rating>,
    pub worked_minutes: u32,
    pub travel_minutes: u32,
    pub ete_minutes: u32,
    pub notes: String,
}

impl Attendance {
    pub fn total_minutes(&self) -> u32 {
        self.worked_minutes + self.travel_minutes + self.ete_minutes
    }
}

/// A person allocated to a session, with the order's totals and their attendance if recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub id: Uuid,
    pub session_id: Uuid,
    pub person_id: Uuid,
    pub crn: String,
    pub name: String,
    pub requirement_id: Uuid,
    pub event_id: Option<Uuid>,
    pub contact_id: Uuid,
    pub ordered_hours: u32,
    /// Minutes credited to the order so far (all sessions), and of them ETE.
    pub credited_minutes: u32,
    pub ete_credited_minutes: u32,
    pub attendance: Option<Attendance>,
    /// Whether the appointment already has an outcome (recorded here, or on the appointment's
    /// own outcome page).
    pub contact_outcome_recorded: bool,
}

type AttendanceRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    i32,
    i32,
    i32,
    String,
);

fn minutes(value: i32) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

fn attendance(row: &AttendanceRow) -> StorageResult<Attendance> {
    Ok(Attendance {
        outcome: rows::code(&row.1)?,
        quality: rows::opt_code(row.2.as_deref())?,
        behaviour: rows::opt_code(row.3.as_deref())?,
        worked_minutes: minutes(row.4),
        travel_minutes: minutes(row.5),
        ete_minutes: minutes(row.6),
        notes: row.7.clone(),
    })
}

/// Minutes credited to each of the requirements (all, and ETE): one query.
pub fn credited(
    conn: &mut AnyConnection,
    requirements: &[String],
) -> StorageResult<HashMap<String, (u32, u32)>> {
    let rows: Vec<(String, i32, i32, i32)> = upw_attendance::table
        .filter(upw_attendance::requirement_id.eq_any(requirements))
        .select((
            upw_attendance::requirement_id,
            upw_attendance::worked_minutes,
            upw_attendance::travel_minutes,
            upw_attendance::ete_minutes,
        ))
        .load(conn)?;
    let mut totals: HashMap<String, (u32, u32)> = HashMap::new();
    for (requirement, worked, travel, ete) in rows {
        let total = totals.entry(requirement).or_default();
        total.0 += minutes(worked) + minutes(travel) + minutes(ete);
        total.1 += minutes(ete);
    }
    Ok(totals)
}

/// The people allocated to the session, by name, each with their order's hours and what was
/// recorded: four queries whatever the number.
pub fn allocations(conn: &mut AnyConnection, session: Uuid) -> StorageResult<Vec<Allocation>> {
    type Row = (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        Option<i32>,
        String,
        Option<String>,
    );
    let rows: Vec<Row> = upw_allocations::table
        .inner_join(people::table.on(people::id.eq(upw_allocations::person_id)))
        .inner_join(requirements::table.on(requirements::id.eq(upw_allocations::requirement_id)))
        .inner_join(
            crate::schema::contacts::table
                .on(crate::schema::contacts::id.eq(upw_allocations::contact_id)),
        )
        .filter(upw_allocations::session_id.eq(session.to_string()))
        .order((
            people::last_name.asc(),
            people::first_name.asc(),
            people::crn.asc(),
        ))
        .select((
            upw_allocations::id,
            upw_allocations::person_id,
            people::crn,
            people::first_name,
            people::last_name,
            upw_allocations::requirement_id,
            upw_allocations::contact_id,
            requirements::length,
            requirements::event_id,
            crate::schema::contacts::outcome,
        ))
        .load(conn)?;
    let ids: Vec<&String> = rows.iter().map(|row| &row.0).collect();
    let recorded: HashMap<String, Attendance> = upw_attendance::table
        .filter(upw_attendance::allocation_id.eq_any(&ids))
        .select((
            upw_attendance::allocation_id,
            upw_attendance::outcome,
            upw_attendance::quality,
            upw_attendance::behaviour,
            upw_attendance::worked_minutes,
            upw_attendance::travel_minutes,
            upw_attendance::ete_minutes,
            upw_attendance::notes,
        ))
        .load::<AttendanceRow>(conn)?
        .iter()
        .map(|row| Ok((row.0.clone(), attendance(row)?)))
        .collect::<StorageResult<_>>()?;
    let requirement_ids: Vec<String> = rows.iter().map(|row| row.5.clone()).collect();
    let totals = credited(conn, &requirement_ids)?;
    rows.into_iter()
        .map(|row| {
            let (credited_minutes, ete_credited_minutes) =
                totals.get(&row.5).copied().unwrap_or_default();
            Ok(Allocation {
                id: rows::id(&row.0)?,
                session_id: session,
                person_id: rows::id(&row.1)?,
                crn: row.2,
                name: format!("{} {}", row.3, row.4),
                requirement_id: rows::id(&row.5)?,
                event_id: Some(rows::id(&row.8)?),
                contact_id: rows::id(&row.6)?,
                ordered_hours: row.7.map(minutes).unwrap_or(0),
                credited_minutes,
                ete_credited_minutes,
                attendance: recorded.get(&row.0).cloned(),
                contact_outcome_recorded: row.9.is_some(),
            })
        })
        .collect()
}

/// One person's attendance to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttendance {
    pub credit: Credit,
    /// The judgement of a failure (none when the person attended and worked).
    pub judgement: Option<Judgement>,
    pub notes: String,
}

/// Records the attendance of an allocation: the attendance row (refused by its key if the
/// allocation is already credited), the appointment's outcome and judgement through
/// `supervision::outcomes::record`, and for an unacceptable failure the enforcement the rules
/// decide through `supervision::enforcement::after_unacceptable_failure` (a warning, breach
/// action or recall consideration). Returns what enforcement opened, or who recorded the
/// appointment's outcome first (then nothing is written: the caller rolls the transaction back).
pub fn record_attendance(
    conn: &mut AnyConnection,
    session: &Session,
    allocation: &Allocation,
    new: &NewAttendance,
    by: Uuid,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> StorageResult<Result<Opened, AlreadyRecorded>> {
    let int = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    let credit = &new.credit;
    diesel::insert_into(upw_attendance::table)
        .values((
            upw_attendance::allocation_id.eq(allocation.id.to_string()),
            upw_attendance::person_id.eq(allocation.person_id.to_string()),
            upw_attendance::requirement_id.eq(allocation.requirement_id.to_string()),
            upw_attendance::session_date.eq(session.day),
            upw_attendance::outcome.eq(credit.outcome.code()),
            upw_attendance::quality.eq(credit.quality.map(CodedValue::code)),
            upw_attendance::behaviour.eq(credit.behaviour.map(CodedValue::code)),
            upw_attendance::worked_minutes.eq(int(credit.worked_minutes)),
            upw_attendance::travel_minutes.eq(int(credit.travel_minutes)),
            upw_attendance::ete_minutes.eq(int(credit.ete_minutes)),
            upw_attendance::notes.eq(&new.notes),
            upw_attendance::recorded_by.eq(by.to_string()),
            upw_attendance::recorded_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    let outcome = RecordedOutcome {
        outcome: credit.outcome.contact_outcome(),
        judgement: new.judgement.clone(),
        late_reason: None,
    };
    if let Err(first) = outcomes::record(conn, allocation.contact_id, &outcome, by, now)? {
        return Ok(Err(first));
    }
    let unacceptable = new
        .judgement
        .as_ref()
        .is_some_and(|j| j.kind() == FailureJudgement::Unacceptable);
    if !unacceptable {
        return Ok(Ok(Opened::Nothing));
    }
    let opened = enforcement::after_unacceptable_failure(
        conn,
        &Failure {
            person_id: allocation.person_id,
            contact_id: allocation.contact_id,
            event_id: allocation.event_id,
            failed_at: session.starts_at,
        },
        &EnforcementRules::default(),
        by,
        today,
        now,
    )?;
    Ok(Ok(opened))
}
