//! Caseloads: the cases allocated to a practitioner, to a team, or waiting for allocation in a PDU.
//! Each list is built from a fixed number of queries, however many cases it holds.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{
    allocations, check_requests, contacts, events, people, registrations, review_tasks, staff,
    teams,
};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{exists, max, min, not};
use diesel::prelude::*;
use keepsafe_domain::event::{CaseType, OffenceCategory, SentenceType};
use keepsafe_domain::person::Sex;
use keepsafe_domain::registration::{MappaLevel, RegistrationKind};
use keepsafe_domain::staff::Grade;
use keepsafe_domain::supervision::contact::ContactStatus;
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// One line of a caseload.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseSummary {
    pub person_id: Uuid,
    pub crn: String,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    /// From the most recent active event; `None` if the person has no active event.
    pub main_event: Option<EventSummary>,
    pub flags: Vec<RegistrationKind>,
    pub mappa_level: Option<MappaLevel>,
    pub next_appointment: Option<NaiveDateTime>,
    pub last_contact: Option<NaiveDateTime>,
    pub allocation: Option<CurrentAllocation>,
    /// The level of the completed RoSH assessment in force, if any.
    pub rosh: Option<keepsafe_domain::rosh::RoshLevel>,
    /// The computed tiers, if any.
    pub tier: Option<crate::risk::scores::TierSummary>,
    /// Police and children's-services checks still waiting for an answer.
    pub checks: CheckCounts,
    /// Risk assessment reviews (after changes in circumstances) not yet done.
    pub reviews: ReviewCounts,
    /// Active registrations whose review date has come (on or before today).
    pub flags_to_review: u32,
    /// Outcomes to record, evidence to judge, warnings to send and breach reports to write.
    pub supervision: SupervisionCounts,
    /// For a case nobody manages: the day it started waiting (the end of its last allocation, or
    /// else when its sentence began, or else when keepsafe first held it). `None` when allocated.
    pub waiting_since: Option<NaiveDate>,
}

/// Checks requested and not answered: not declined or withdrawn by the partner, and not
/// authorised to go ahead without an answer (either way nobody is waiting any more).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckCounts {
    pub outstanding: u32,
    /// Outstanding past their deadline.
    pub overdue: u32,
    /// The earliest deadline among the outstanding ones.
    pub next_deadline: Option<NaiveDate>,
}

/// Open review tasks on a case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReviewCounts {
    pub open: u32,
    /// Open past their due date.
    pub overdue: u32,
}

/// The sentence a caseload line shows.
#[derive(Debug, Clone, PartialEq)]
pub struct EventSummary {
    pub case_type: CaseType,
    pub offence_category: OffenceCategory,
    pub sentence_type: SentenceType,
    pub offence_description: String,
    pub sentence_date: Option<NaiveDate>,
    pub release_date: Option<NaiveDate>,
    pub expected_end_date: Option<NaiveDate>,
    pub active_events: usize,
}

/// Who manages the case now.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentAllocation {
    pub staff_id: Uuid,
    pub staff_name: String,
    pub grade: Grade,
    pub team_name: String,
    pub since: NaiveDate,
}

type BaseRow = (
    String,
    String,
    String,
    String,
    NaiveDate,
    String,
    Option<(String, String, String, String, String, NaiveDate)>,
);

/// Cases currently allocated to one member of staff.
pub fn for_staff(
    conn: &mut AnyConnection,
    staff_id: Uuid,
    now: NaiveDateTime,
) -> StorageResult<Vec<CaseSummary>> {
    allocated(conn, AllocatedTo::Staff(staff_id), now)
}

/// Cases currently allocated to anyone in a team.
pub fn for_team(
    conn: &mut AnyConnection,
    team_id: Uuid,
    now: NaiveDateTime,
) -> StorageResult<Vec<CaseSummary>> {
    allocated(conn, AllocatedTo::Team(team_id), now)
}

/// Cases currently allocated to anyone in any team of a PDU.
pub fn for_pdu(
    conn: &mut AnyConnection,
    pdu_id: Uuid,
    now: NaiveDateTime,
) -> StorageResult<Vec<CaseSummary>> {
    allocated(conn, AllocatedTo::Pdu(pdu_id), now)
}

enum AllocatedTo {
    Staff(Uuid),
    Team(Uuid),
    Pdu(Uuid),
}

fn allocated(
    conn: &mut AnyConnection,
    to: AllocatedTo,
    now: NaiveDateTime,
) -> StorageResult<Vec<CaseSummary>> {
    let query = people::table
        .inner_join(allocations::table)
        .inner_join(staff::table.on(staff::id.eq(allocations::staff_id)))
        .inner_join(teams::table.on(teams::id.eq(allocations::team_id)))
        .filter(allocations::end_date.is_null())
        .select((
            people::id,
            people::crn,
            people::first_name,
            people::last_name,
            people::date_of_birth,
            people::sex,
            staff::id,
            staff::first_name,
            staff::last_name,
            staff::grade,
            teams::name,
            allocations::start_date,
        ))
        .into_boxed();
    let query = match to {
        AllocatedTo::Staff(id) => query.filter(allocations::staff_id.eq(id.to_string())),
        AllocatedTo::Team(id) => query.filter(allocations::team_id.eq(id.to_string())),
        AllocatedTo::Pdu(id) => query.filter(teams::pdu_id.eq(id.to_string())),
    };
    let base = query
        .load::<BaseRowFlat>(conn)?
        .into_iter()
        .map(nest)
        .collect();
    summarise(conn, base, now)
}

/// Cases held by a PDU that nobody manages yet.
pub fn unallocated_in_pdu(
    conn: &mut AnyConnection,
    pdu_id: Uuid,
    now: NaiveDateTime,
) -> StorageResult<Vec<CaseSummary>> {
    let current = allocations::table
        .filter(allocations::person_id.eq(people::id))
        .filter(allocations::end_date.is_null());
    let base = people::table
        .filter(people::pdu_id.eq(pdu_id.to_string()))
        .filter(not(exists(current)))
        .select((
            people::id,
            people::crn,
            people::first_name,
            people::last_name,
            people::date_of_birth,
            people::sex,
            people::created_at,
        ))
        .load::<(
            String,
            String,
            String,
            String,
            NaiveDate,
            String,
            NaiveDateTime,
        )>(conn)?;
    let ids: Vec<String> = base.iter().map(|row| row.0.clone()).collect();
    let last_ended = last_allocation_ends(conn, &ids)?;
    let created: HashMap<String, NaiveDate> = base
        .iter()
        .map(|row| (row.0.clone(), row.6.date()))
        .collect();
    let base = base
        .into_iter()
        .map(|(id, crn, first, last, dob, sex, _)| (id, crn, first, last, dob, sex, None))
        .collect();
    let mut cases = summarise(conn, base, now)?;
    for case in &mut cases {
        let key = case.person_id.to_string();
        let sentenced = case.main_event.as_ref().and_then(|e| e.sentence_date);
        case.waiting_since = last_ended
            .get(&key)
            .copied()
            .or(sentenced)
            .or_else(|| created.get(&key).copied());
    }
    Ok(cases)
}

/// When each person's most recent (ended) allocation ended: a case handed back waits from then.
fn last_allocation_ends(
    conn: &mut AnyConnection,
    ids: &[String],
) -> StorageResult<HashMap<String, NaiveDate>> {
    Ok(allocations::table
        .filter(allocations::person_id.eq_any(ids))
        .filter(allocations::end_date.is_not_null())
        .group_by(allocations::person_id)
        .select((allocations::person_id, max(allocations::end_date)))
        .load::<(String, Option<NaiveDate>)>(conn)?
        .into_iter()
        .filter_map(|(person, ended)| ended.map(|d| (person, d)))
        .collect())
}

/// The cases of a region a victim liaison officer works on: a release from custody due between
/// `from` and `until` (or a licence that began then), or an active MAPPA registration. The
/// victims of these people are the ones to contact before a release and through a licence.
/// A fixed number of queries.
pub fn for_victim_liaison(
    conn: &mut AnyConnection,
    region_id: Uuid,
    from: NaiveDate,
    until: NaiveDate,
    now: NaiveDateTime,
) -> StorageResult<Vec<CaseSummary>> {
    use crate::schema::pdus;
    let region = region_id.to_string();
    let mut ids: Vec<String> = events::table
        .inner_join(people::table.inner_join(pdus::table))
        .filter(pdus::region_id.eq(&region))
        .filter(events::active.eq(true))
        .filter(events::release_date.ge(from))
        .filter(events::release_date.le(until))
        .select(people::id)
        .load::<String>(conn)?;
    ids.extend(
        registrations::table
            .inner_join(people::table.inner_join(pdus::table))
            .filter(pdus::region_id.eq(&region))
            .filter(registrations::ended_on.is_null())
            .filter(registrations::kind.eq(RegistrationKind::Mappa.code()))
            .select(people::id)
            .load::<String>(conn)?,
    );
    ids.sort();
    ids.dedup();
    let base = base_rows(conn, &ids)?;
    summarise(conn, base, now)
}

/// The caseload lines' first columns for these people, allocated or not: two queries.
fn base_rows(conn: &mut AnyConnection, ids: &[String]) -> StorageResult<Vec<BaseRow>> {
    let mut current: HashMap<String, (String, String, String, String, String, NaiveDate)> =
        allocations::table
            .inner_join(staff::table.on(staff::id.eq(allocations::staff_id)))
            .inner_join(teams::table.on(teams::id.eq(allocations::team_id)))
            .filter(allocations::person_id.eq_any(ids))
            .filter(allocations::end_date.is_null())
            .select((
                allocations::person_id,
                staff::id,
                staff::first_name,
                staff::last_name,
                staff::grade,
                teams::name,
                allocations::start_date,
            ))
            .load::<(String, String, String, String, String, String, NaiveDate)>(conn)?
            .into_iter()
            .map(|(person, id, first, last, grade, team, since)| {
                (person, (id, first, last, grade, team, since))
            })
            .collect();
    Ok(people::table
        .filter(people::id.eq_any(ids))
        .select((
            people::id,
            people::crn,
            people::first_name,
            people::last_name,
            people::date_of_birth,
            people::sex,
        ))
        .load::<(String, String, String, String, NaiveDate, String)>(conn)?
        .into_iter()
        .map(|(id, crn, first, last, dob, sex)| {
            let allocation = current.remove(&id);
            (id, crn, first, last, dob, sex, allocation)
        })
        .collect())
}

type BaseRowFlat = (
    String,
    String,
    String,
    String,
    NaiveDate,
    String,
    String,
    String,
    String,
    String,
    String,
    NaiveDate,
);

fn nest(row: BaseRowFlat) -> BaseRow {
    let (id, crn, first, last, dob, sex, staff_id, staff_first, staff_last, grade, team, since) =
        row;
    (
        id,
        crn,
        first,
        last,
        dob,
        sex,
        Some((staff_id, staff_first, staff_last, grade, team, since)),
    )
}

/// Fills in events, flags, appointments, risk, checks, reviews and supervision work for a set of
/// people with twelve more queries, however many people.
fn summarise(
    conn: &mut AnyConnection,
    base: Vec<BaseRow>,
    now: NaiveDateTime,
) -> StorageResult<Vec<CaseSummary>> {
    let today = now.date();
    let ids: Vec<String> = base.iter().map(|row| row.0.clone()).collect();
    let mut events_by_person = active_events(conn, &ids)?;
    let mut flags_by_person = active_flags(conn, &ids, today)?;
    let checks = outstanding_checks(conn, &ids, today)?;
    let reviews = open_reviews(conn, &ids, today)?;
    let mut supervision = supervision_counts(conn, &ids, now)?;
    let next = next_appointments(conn, &ids, now)?;
    let last = last_contacts(conn, &ids, now)?;
    let rosh = crate::risk::assessments::current_levels(conn, &ids)?;
    let mut tiers = crate::risk::scores::tiers_for(conn, &ids)?;

    base.into_iter()
        .map(
            |(id, crn, first_name, last_name, date_of_birth, sex, allocation)| {
                let (flags, mappa_level, flags_to_review) =
                    flags_by_person.remove(&id).unwrap_or_default();
                let allocation = allocation
                    .map(
                        |(staff_id, staff_first, staff_last, grade, team_name, since)| {
                            Ok::<_, crate::StorageError>(CurrentAllocation {
                                staff_id: rows::id(&staff_id)?,
                                staff_name: format!("{staff_first} {staff_last}"),
                                grade: rows::code(&grade)?,
                                team_name,
                                since,
                            })
                        },
                    )
                    .transpose()?;
                Ok(CaseSummary {
                    checks: checks.get(&id).copied().unwrap_or_default(),
                    reviews: reviews.get(&id).copied().unwrap_or_default(),
                    flags_to_review,
                    supervision: supervision.remove(&id).unwrap_or_default(),
                    waiting_since: None,
                    rosh: rosh.get(&id).copied(),
                    tier: tiers.remove(&id),
                    person_id: rows::id(&id)?,
                    main_event: events_by_person.remove(&id),
                    flags,
                    mappa_level,
                    next_appointment: next.get(&id).copied(),
                    last_contact: last.get(&id).copied(),
                    crn,
                    first_name,
                    last_name,
                    date_of_birth,
                    sex: rows::code(&sex)?,
                    allocation,
                })
            },
        )
        .collect()
}

type EventRow = (
    String,
    String,
    String,
    String,
    String,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<NaiveDate>,
);

fn active_events(
    conn: &mut AnyConnection,
    ids: &[String],
) -> StorageResult<HashMap<String, EventSummary>> {
    let rows = events::table
        .filter(events::person_id.eq_any(ids))
        .filter(events::active.eq(true))
        .order((events::person_id.asc(), events::event_number.desc()))
        .select((
            events::person_id,
            events::case_type,
            events::offence_category,
            events::sentence_type,
            events::offence_description,
            events::sentence_date,
            events::release_date,
            events::expected_end_date,
        ))
        .load::<EventRow>(conn)?;
    let mut by_person: HashMap<String, EventSummary> = HashMap::new();
    for (person, case_type, category, sentence_type, offence, sentenced, released, ends) in rows {
        if let Some(existing) = by_person.get_mut(&person) {
            existing.active_events += 1;
            continue;
        }
        by_person.insert(
            person,
            EventSummary {
                case_type: rows::code(&case_type)?,
                offence_category: rows::code(&category)?,
                sentence_type: rows::code(&sentence_type)?,
                offence_description: offence,
                sentence_date: sentenced,
                release_date: released,
                expected_end_date: ends,
                active_events: 1,
            },
        );
    }
    Ok(by_person)
}

/// A person's active flags, their highest MAPPA level, and how many are due for review.
type Flags = (Vec<RegistrationKind>, Option<MappaLevel>, u32);

fn active_flags(
    conn: &mut AnyConnection,
    ids: &[String],
    today: NaiveDate,
) -> StorageResult<HashMap<String, Flags>> {
    let rows = registrations::table
        .filter(registrations::person_id.eq_any(ids))
        .filter(registrations::ended_on.is_null())
        .select((
            registrations::person_id,
            registrations::kind,
            registrations::mappa_level,
            registrations::next_review_on,
        ))
        .load::<(String, String, Option<String>, Option<NaiveDate>)>(conn)?;
    let mut by_person: HashMap<String, Flags> = HashMap::new();
    for (person, kind, level, review_on) in rows {
        let entry = by_person.entry(person).or_default();
        if review_on.is_some_and(|on| on <= today) {
            entry.2 += 1;
        }
        let kind: RegistrationKind = rows::code(&kind)?;
        if !entry.0.contains(&kind) {
            entry.0.push(kind);
        }
        if let Some(level) = rows::opt_code::<MappaLevel>(level.as_deref())? {
            entry.1 = entry.1.max(Some(level));
        }
    }
    for flags in by_person.values_mut() {
        flags.0.sort();
    }
    Ok(by_person)
}

/// Outstanding checks per person (see [`CheckCounts`]), one query.
fn outstanding_checks(
    conn: &mut AnyConnection,
    ids: &[String],
    today: NaiveDate,
) -> StorageResult<HashMap<String, CheckCounts>> {
    let rows = check_requests::table
        .filter(check_requests::person_id.eq_any(ids))
        .filter(check_requests::response_received_on.is_null())
        .filter(check_requests::closed_on.is_null())
        .filter(check_requests::authorised_without_on.is_null())
        .select((check_requests::person_id, check_requests::deadline))
        .load::<(String, NaiveDate)>(conn)?;
    let mut by_person: HashMap<String, CheckCounts> = HashMap::new();
    for (person, deadline) in rows {
        let counts = by_person.entry(person).or_default();
        counts.outstanding += 1;
        if keepsafe_domain::review::is_overdue(deadline, today) {
            counts.overdue += 1;
        }
        counts.next_deadline = Some(counts.next_deadline.map_or(deadline, |d| d.min(deadline)));
    }
    Ok(by_person)
}

/// Open review tasks per person, one query.
fn open_reviews(
    conn: &mut AnyConnection,
    ids: &[String],
    today: NaiveDate,
) -> StorageResult<HashMap<String, ReviewCounts>> {
    let rows = review_tasks::table
        .filter(review_tasks::person_id.eq_any(ids))
        .filter(review_tasks::completed_on.is_null())
        .select((review_tasks::person_id, review_tasks::due_on))
        .load::<(String, NaiveDate)>(conn)?;
    let mut by_person: HashMap<String, ReviewCounts> = HashMap::new();
    for (person, due_on) in rows {
        let counts = by_person.entry(person).or_default();
        counts.open += 1;
        if keepsafe_domain::review::is_overdue(due_on, today) {
            counts.overdue += 1;
        }
    }
    Ok(by_person)
}

fn next_appointments(
    conn: &mut AnyConnection,
    ids: &[String],
    now: NaiveDateTime,
) -> StorageResult<HashMap<String, NaiveDateTime>> {
    let rows = contacts::table
        .filter(contacts::person_id.eq_any(ids))
        .filter(contacts::starts_at.ge(now))
        .filter(contacts::outcome.is_null())
        // A moved or cancelled appointment is no longer the next one.
        .filter(contacts::status.eq(ContactStatus::Arranged.code()))
        .group_by(contacts::person_id)
        .select((contacts::person_id, min(contacts::starts_at)))
        .load::<(String, Option<NaiveDateTime>)>(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(person, at)| at.map(|at| (person, at)))
        .collect())
}

fn last_contacts(
    conn: &mut AnyConnection,
    ids: &[String],
    now: NaiveDateTime,
) -> StorageResult<HashMap<String, NaiveDateTime>> {
    let rows = contacts::table
        .filter(contacts::person_id.eq_any(ids))
        .filter(contacts::starts_at.lt(now))
        .filter(contacts::outcome.is_not_null())
        .group_by(contacts::person_id)
        .select((contacts::person_id, max(contacts::starts_at)))
        .load::<(String, Option<NaiveDateTime>)>(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(person, at)| at.map(|at| (person, at)))
        .collect())
}

/// Current cases per team, for every team that has any.
pub fn case_counts_by_team(conn: &mut AnyConnection) -> StorageResult<HashMap<Uuid, i64>> {
    allocations::table
        .filter(allocations::end_date.is_null())
        .group_by(allocations::team_id)
        .select((allocations::team_id, diesel::dsl::count_star()))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .map(|(team, count)| Ok((rows::id(&team)?, count)))
        .collect()
}

/// Supervision work waiting on a case: the things the tasks page (`/tasks`) lists, counted per
/// case rather than per practitioner, with the same conditions as
/// [`crate::supervision::outcomes::awaiting_outcome_for_staff`],
/// [`crate::supervision::outcomes::evidence_to_judge_for_staff`],
/// [`crate::supervision::enforcement::warnings_due_for_staff`] and
/// [`crate::supervision::enforcement::breaches_due_for_staff`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SupervisionCounts {
    /// Appointments that have started and have no outcome.
    pub outcomes: u32,
    /// Failures still waiting for evidence after the wait ended.
    pub evidence: u32,
    /// Warning letters to send.
    pub warnings: u32,
    /// Breach reports to write.
    pub breaches: u32,
}

impl SupervisionCounts {
    pub fn any(&self) -> bool {
        self.outcomes + self.evidence + self.warnings + self.breaches > 0
    }
}

/// [`SupervisionCounts`] per person: four grouped queries, however many people.
fn supervision_counts(
    conn: &mut AnyConnection,
    ids: &[String],
    now: NaiveDateTime,
) -> StorageResult<HashMap<String, SupervisionCounts>> {
    use crate::schema::{breach_actions, enforcement_warnings};
    use keepsafe_domain::supervision::contact::FailureJudgement;
    use keepsafe_domain::supervision::enforcement::{BreachStatus, WarningStatus};

    let outcomes = contacts::table
        .filter(contacts::person_id.eq_any(ids))
        .filter(contacts::status.eq(ContactStatus::Arranged.code()))
        .filter(contacts::outcome.is_null())
        .filter(contacts::starts_at.le(now))
        .filter(contacts::contact_type.ne_all(crate::supervision::contacts::system_event_codes()))
        .group_by(contacts::person_id)
        .select((contacts::person_id, diesel::dsl::count_star()))
        .load::<(String, i64)>(conn)?;
    let evidence = contacts::table
        .filter(contacts::person_id.eq_any(ids))
        .filter(contacts::judgement.eq(FailureJudgement::AwaitingEvidence.code()))
        .filter(contacts::evidence_due_on.lt(now.date()))
        .group_by(contacts::person_id)
        .select((contacts::person_id, diesel::dsl::count_star()))
        .load::<(String, i64)>(conn)?;
    let warnings = enforcement_warnings::table
        .filter(enforcement_warnings::person_id.eq_any(ids))
        .filter(enforcement_warnings::status.eq(WarningStatus::Due.code()))
        .group_by(enforcement_warnings::person_id)
        .select((enforcement_warnings::person_id, diesel::dsl::count_star()))
        .load::<(String, i64)>(conn)?;
    let breaches = breach_actions::table
        .filter(breach_actions::person_id.eq_any(ids))
        .filter(breach_actions::status.eq(BreachStatus::Open.code()))
        .group_by(breach_actions::person_id)
        .select((breach_actions::person_id, diesel::dsl::count_star()))
        .load::<(String, i64)>(conn)?;

    let mut by_person: HashMap<String, SupervisionCounts> = HashMap::new();
    let mut add = |found: Vec<(String, i64)>, field: fn(&mut SupervisionCounts) -> &mut u32| {
        for (person, n) in found {
            *field(by_person.entry(person).or_default()) = u32::try_from(n).unwrap_or(u32::MAX);
        }
    };
    add(outcomes, |c| &mut c.outcomes);
    add(evidence, |c| &mut c.evidence);
    add(warnings, |c| &mut c.warnings);
    add(breaches, |c| &mut c.breaches);
    Ok(by_person)
}
