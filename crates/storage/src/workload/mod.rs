//! Workload (reference §9): how many points each practitioner holds, how many they can hold, and
//! whether it has been too much for too long. The area is about who holds which cases and whether
//! they can: this module measures workload, and
//!
//! - [`allocation`] allocates and reallocates cases,
//! - [`insights`] shows supervisors each practitioner's overdue work and missed appointments.
//!
//! The rules are the domain's ([`keepsafe_domain::workload`]); this module gathers their inputs —
//! current allocations with each case's type (from the main active event), legacy tier (from
//! `tier_results`) and the person's age, open court and parole reports, contracted hours and the
//! reductions in force — and keeps the weekly capacity snapshots the excessive-workload rule reads.
//!
//! Measuring is a bulk path: a fixed number of queries per 500 practitioners, however many cases
//! they hold ([`for_team`], [`for_pdu`], [`for_region`], [`for_all`]). Points are never stored,
//! except in a weekly snapshot, which keeps the version of the weights that produced them.
//!
//! Choices made here:
//! - The cases a practitioner holds **on a day** are the allocations that started on or before it
//!   and had not ended by it (an allocation ended on a day no longer counts that day, because the
//!   case moved to someone else that day). Measured today, these are the current allocations the
//!   caseload pages show; measured on an earlier Monday, they are the cases held that week, which is
//!   how a missed weekly snapshot is recorded late. Tiers, events and ages are as recorded now
//!   (keepsafe keeps no history of tiers), and the snapshot's row says so through its version.
//! - A case's **type** is that of its main event, the active event with the highest number. A case
//!   with no active event has no type: it counts as a case and scores 0 points, and says why.
//! - A case with **no tier** computed scores 0 points, with an explanation line saying so: the
//!   weights are a lookup by tier, and guessing one would misstate the workload.
//! - A report is **open** from the day it is requested until it is completed; it counts for the
//!   practitioner writing it, whether or not they also hold the case.
//! - The people measured are the practitioners (grades that hold a caseload) who are active, and
//!   anyone else in scope who still holds a case or an open report, so no work goes unseen.
//! - Stored reductions that the domain refuses (union duties over half of contracted hours after
//!   the hours changed) leave no available hours, with the refusal in the explanation, rather than
//!   hiding the practitioner from the report.

pub mod allocation;
pub mod insights;

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{
    allocations, court_reports, events, pdus, people, staff, staff_reductions, teams, tier_results,
    workload_snapshots,
};
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::age::age_on;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::staff::{ContractedHours, Grade};
use keepsafe_domain::text::{LongText, TextError};
use keepsafe_domain::tiering::LegacyTierCode;
use keepsafe_domain::workload::{
    assess_excessive_workload, available_hours, case_points, report_points, union_duties_reduction,
    Capacity, ExcessiveWorkload, ExcessiveWorkloadRule, Reduction, ReductionKind, ReportKind,
    WeeklySnapshot, WeightsHistory, WorkloadWeights, CAPACITY_RULE_VERSION,
};
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// Staff per `IN (...)` list: well inside both backends' bound-parameter limits.
const STAFF_PER_QUERY: usize = 500;
/// Snapshot rows per multi-row INSERT (8 columns each).
const ROWS_PER_INSERT: usize = 400;

// ---------------------------------------------------------------------------------------------
// What a workload report reads.

/// One practitioner's workload on a day, with how every number was reached.
#[derive(Debug, Clone, PartialEq)]
pub struct PractitionerWorkload {
    pub staff_id: Uuid,
    /// "First Last".
    pub name: String,
    pub grade: Grade,
    pub team_id: Uuid,
    pub team_code: String,
    /// The team's name.
    pub team: String,
    /// False for a member of staff who has left but still holds work.
    pub active: bool,
    /// Current allocations.
    pub cases: u32,
    pub cases_by_type: CasesByType,
    /// Each current case and its points, by CRN.
    pub case_list: Vec<CaseWorkload>,
    /// Open court and parole reports and their points, by due date.
    pub reports: Vec<ReportWorkload>,
    pub case_points: u32,
    pub report_points: u32,
    pub total_points: u32,
    pub contracted_hours: f64,
    /// Contracted hours less the reductions in force, never below 0.
    pub available_hours: f64,
    pub available_points: u32,
    /// Capacity %, unrounded; `None` with no available points.
    pub percent: Option<f64>,
    /// How the numbers were reached, one line each, for the person reading them: the weights, each
    /// case and report, the total, then the capacity working.
    pub explanation: Vec<String>,
    /// The version of the workload weights the points were computed with.
    pub weights_version: String,
    /// The version of the capacity rules (available hours, points and %).
    pub capacity_rule_version: &'static str,
}

impl PractitionerWorkload {
    /// The practitioner as a candidate for cases, in the shape the domain's allocation ranking
    /// takes.
    pub fn as_candidate(&self, previously_managed: bool) -> keepsafe_domain::workload::Candidate {
        keepsafe_domain::workload::Candidate {
            staff_id: self.staff_id,
            grade: self.grade,
            current_points: self.total_points,
            available_points: self.available_points,
            previously_managed,
        }
    }
}

/// Current cases by the type of their main event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CasesByType {
    pub community: u32,
    pub licence: u32,
    pub custody: u32,
    pub pre_sentence: u32,
    /// Allocated cases with no active event: no case type, so no case points.
    pub no_active_event: u32,
}

impl CasesByType {
    /// How many cases of a type.
    pub fn of(&self, case_type: CaseType) -> u32 {
        match case_type {
            CaseType::Community => self.community,
            CaseType::Licence => self.licence,
            CaseType::Custody => self.custody,
            CaseType::PreSentence => self.pre_sentence,
        }
    }

    fn count(&mut self, case_type: Option<CaseType>) {
        let slot = match case_type {
            Some(CaseType::Community) => &mut self.community,
            Some(CaseType::Licence) => &mut self.licence,
            Some(CaseType::Custody) => &mut self.custody,
            Some(CaseType::PreSentence) => &mut self.pre_sentence,
            None => &mut self.no_active_event,
        };
        *slot += 1;
    }
}

/// One current case in a workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseWorkload {
    pub person_id: Uuid,
    pub crn: String,
    /// The main event's case type; `None` with no active event.
    pub case_type: Option<CaseType>,
    /// The computed legacy tier; `None` until the tiers have been computed.
    pub tier: Option<LegacyTierCode>,
    /// Whole years on the day measured.
    pub age: Option<u32>,
    pub points: u32,
    /// The day the practitioner's allocation of the case started.
    pub allocated_on: NaiveDate,
}

/// One open report in a workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportWorkload {
    pub report_id: Uuid,
    pub person_id: Uuid,
    pub crn: String,
    pub kind: ReportKind,
    pub due_on: NaiveDate,
    pub points: u32,
}

/// The workload of every practitioner in a team, on `today`, ordered as [`for_pdu`] orders them.
pub fn for_team(
    conn: &mut AnyConnection,
    team_id: Uuid,
    today: NaiveDate,
) -> StorageResult<Vec<PractitionerWorkload>> {
    measure(conn, Scope::Team(team_id), today)
}

/// The workload of every practitioner in a PDU's teams, on `today`: by team name, then probation
/// officers, probation services officers and trainees, then by surname.
pub fn for_pdu(
    conn: &mut AnyConnection,
    pdu_id: Uuid,
    today: NaiveDate,
) -> StorageResult<Vec<PractitionerWorkload>> {
    measure(conn, Scope::Pdu(pdu_id), today)
}

/// The workload of every practitioner in a region's teams, on `today`.
pub fn for_region(
    conn: &mut AnyConnection,
    region_id: Uuid,
    today: NaiveDate,
) -> StorageResult<Vec<PractitionerWorkload>> {
    measure(conn, Scope::Region(region_id), today)
}

/// The workload of every practitioner in every team, on `today` (for the weekly snapshot).
pub fn for_all(
    conn: &mut AnyConnection,
    today: NaiveDate,
) -> StorageResult<Vec<PractitionerWorkload>> {
    measure(conn, Scope::All, today)
}

/// The workload weights in force on a day, or a refusal naming the first day any are.
pub fn weights_on(today: NaiveDate) -> StorageResult<WorkloadWeights> {
    let history = WeightsHistory::reference();
    history.in_force_on(today).cloned().ok_or_else(|| {
        let first = history
            .versions()
            .first()
            .map_or_else(String::new, |weights| {
                format!(": the first take effect on {}", weights.effective_from)
            });
        StorageError::Conflict(format!(
            "No workload weights are in force on {today}{first}"
        ))
    })
}

/// Every PDU, as (id, code, name), by code: what a workload report can be asked for.
pub fn pdus(conn: &mut AnyConnection) -> StorageResult<Vec<(Uuid, String, String)>> {
    pdus::table
        .order(pdus::code.asc())
        .select((pdus::id, pdus::code, pdus::name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, code, name)| Ok((rows::id(&id)?, code, name)))
        .collect()
}

#[derive(Debug, Clone, Copy)]
enum Scope {
    Team(Uuid),
    Pdu(Uuid),
    Region(Uuid),
    All,
}

/// A member of staff in scope, before their work is added up.
struct Member {
    id: String,
    first_name: String,
    last_name: String,
    grade: Grade,
    contracted_hours: f64,
    active: bool,
    team_id: String,
    team_code: String,
    team_name: String,
}

type MemberRow = (
    String,
    String,
    String,
    String,
    f64,
    bool,
    String,
    String,
    String,
);

/// What one member of staff holds, gathered from the queries.
#[derive(Default)]
struct Held {
    /// (person id, CRN, date of birth, legacy tier code, allocated on)
    cases: Vec<(String, String, NaiveDate, Option<String>, NaiveDate)>,
    /// (report id, person id, CRN, kind code, due on)
    reports: Vec<(String, String, String, String, NaiveDate)>,
    reductions: Vec<Reduction>,
}

/// Five queries per 500 members of staff: who is in scope, their cases with tiers, the main events
/// of those cases, their reductions in force, their open reports.
fn measure(
    conn: &mut AnyConnection,
    scope: Scope,
    today: NaiveDate,
) -> StorageResult<Vec<PractitionerWorkload>> {
    let weights = weights_on(today)?;
    let members = members(conn, scope)?;
    let ids: Vec<String> = members.iter().map(|member| member.id.clone()).collect();

    let mut held: HashMap<String, Held> = HashMap::with_capacity(ids.len());
    let mut main_events: HashMap<String, (i32, String)> = HashMap::new();
    for chunk in ids.chunks(STAFF_PER_QUERY) {
        let cases = allocations::table
            .inner_join(people::table)
            .left_join(tier_results::table.on(tier_results::person_id.eq(allocations::person_id)))
            .filter(allocations::start_date.le(today))
            .filter(
                allocations::end_date
                    .is_null()
                    .or(allocations::end_date.gt(today)),
            )
            .filter(allocations::staff_id.eq_any(chunk))
            .select((
                allocations::staff_id,
                people::id,
                people::crn,
                people::date_of_birth,
                tier_results::legacy_tier.nullable(),
                allocations::start_date,
            ))
            .load::<(String, String, String, NaiveDate, Option<String>, NaiveDate)>(conn)?;
        for (staff_id, person_id, crn, born, tier, allocated_on) in cases {
            held.entry(staff_id).or_default().cases.push((
                person_id,
                crn,
                born,
                tier,
                allocated_on,
            ));
        }

        // The main event of each case: the active event with the highest number.
        let case_events = events::table
            .inner_join(allocations::table.on(allocations::person_id.eq(events::person_id)))
            .filter(allocations::start_date.le(today))
            .filter(
                allocations::end_date
                    .is_null()
                    .or(allocations::end_date.gt(today)),
            )
            .filter(allocations::staff_id.eq_any(chunk))
            .filter(events::active.eq(true))
            .select((events::person_id, events::event_number, events::case_type))
            .load::<(String, i32, String)>(conn)?;
        for (person_id, number, case_type) in case_events {
            let main = main_events
                .entry(person_id)
                .or_insert((number, case_type.clone()));
            if number > main.0 {
                *main = (number, case_type);
            }
        }

        let reductions = staff_reductions::table
            .filter(staff_reductions::staff_id.eq_any(chunk))
            .filter(staff_reductions::from_date.le(today))
            .filter(
                staff_reductions::to_date
                    .is_null()
                    .or(staff_reductions::to_date.ge(today)),
            )
            .order((staff_reductions::staff_id, staff_reductions::from_date))
            .select((
                staff_reductions::staff_id,
                staff_reductions::kind,
                staff_reductions::hours,
                staff_reductions::from_date,
                staff_reductions::to_date,
            ))
            .load::<(String, String, f64, NaiveDate, Option<NaiveDate>)>(conn)?;
        for (staff_id, kind, hours, from, to) in reductions {
            held.entry(staff_id)
                .or_default()
                .reductions
                .push(Reduction {
                    kind: rows::code(&kind)?,
                    hours,
                    from,
                    to,
                });
        }

        let reports = court_reports::table
            .inner_join(people::table)
            .filter(court_reports::staff_id.eq_any(chunk))
            .filter(court_reports::completed_on.is_null())
            .filter(court_reports::requested_on.le(today))
            .order((court_reports::staff_id, court_reports::due_on))
            .select((
                court_reports::staff_id,
                court_reports::id,
                people::id,
                people::crn,
                court_reports::kind,
                court_reports::due_on,
            ))
            .load::<(String, String, String, String, String, NaiveDate)>(conn)?;
        for (staff_id, report_id, person_id, crn, kind, due_on) in reports {
            held.entry(staff_id)
                .or_default()
                .reports
                .push((report_id, person_id, crn, kind, due_on));
        }
    }

    let mut measured = Vec::with_capacity(members.len());
    for member in members {
        let work = held.remove(&member.id).unwrap_or_default();
        let holds_work = !work.cases.is_empty() || !work.reports.is_empty();
        let practising = member.active && member.grade.holds_caseload();
        if !(practising || holds_work) {
            continue;
        }
        measured.push(practitioner(member, work, &main_events, &weights, today)?);
    }
    Ok(measured)
}

/// The members of staff in scope with a team, ordered for a report.
fn members(conn: &mut AnyConnection, scope: Scope) -> StorageResult<Vec<Member>> {
    let query = staff::table
        .inner_join(teams::table.on(staff::team_id.eq(teams::id.nullable())))
        .inner_join(pdus::table.on(pdus::id.eq(teams::pdu_id)))
        .select((
            staff::id,
            staff::first_name,
            staff::last_name,
            staff::grade,
            staff::contracted_hours,
            staff::active,
            teams::id,
            teams::code,
            teams::name,
        ))
        .into_boxed();
    let query = match scope {
        Scope::Team(id) => query.filter(teams::id.eq(id.to_string())),
        Scope::Pdu(id) => query.filter(teams::pdu_id.eq(id.to_string())),
        Scope::Region(id) => query.filter(pdus::region_id.eq(id.to_string())),
        Scope::All => query,
    };
    let mut members = query
        .load::<MemberRow>(conn)?
        .into_iter()
        .map(
            |(id, first_name, last_name, grade, hours, active, team_id, team_code, team_name)| {
                Ok(Member {
                    id,
                    first_name,
                    last_name,
                    grade: rows::code(&grade)?,
                    contracted_hours: hours,
                    active,
                    team_id,
                    team_code,
                    team_name,
                })
            },
        )
        .collect::<StorageResult<Vec<_>>>()?;
    members.sort_by(|a, b| {
        (&a.team_name, &a.team_code, grade_order(a.grade))
            .cmp(&(&b.team_name, &b.team_code, grade_order(b.grade)))
            .then_with(|| a.last_name.cmp(&b.last_name))
            .then_with(|| a.first_name.cmp(&b.first_name))
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(members)
}

/// Probation officers, then probation services officers, then trainees, then anyone else — the
/// order the allocation screens list them in.
fn grade_order(grade: Grade) -> u8 {
    match grade {
        Grade::ProbationOfficer => 0,
        Grade::ProbationServiceOfficer => 1,
        Grade::TraineeOfficer => 2,
        _ => 3,
    }
}

/// Adds up one member's work with the domain's rules.
fn practitioner(
    member: Member,
    work: Held,
    main_events: &HashMap<String, (i32, String)>,
    weights: &WorkloadWeights,
    today: NaiveDate,
) -> StorageResult<PractitionerWorkload> {
    let mut explanation = vec![format!(
        "Weights: {}, in force from {}",
        weights.version,
        keepsafe_domain::calendar::long_date(weights.effective_from)
    )];

    let mut cases = work.cases;
    cases.sort_by(|a, b| a.1.cmp(&b.1));
    let mut cases_by_type = CasesByType::default();
    let mut case_list = Vec::with_capacity(cases.len());
    let mut case_total: u32 = 0;
    for (person_id, crn, born, tier, allocated_on) in cases {
        let case_type = main_events
            .get(&person_id)
            .map(|(_, code)| rows::code::<CaseType>(code))
            .transpose()?;
        cases_by_type.count(case_type);
        let tier = rows::opt_code::<LegacyTierCode>(tier.as_deref())?;
        let age = age_on(born, today);
        let (points, line) = match (case_type, tier) {
            (None, _) => (
                0,
                format!("{crn}: no active event, so no case type to score: 0 points"),
            ),
            (Some(case_type), None) => (
                0,
                format!(
                    "{crn} ({}): the tier is not computed, so the case scores 0 points until it \
                     is",
                    case_type.label()
                ),
            ),
            (Some(case_type), Some(tier)) => {
                // A date before birth cannot be: counted as no age, which never takes the
                // young-adult row.
                let scored = case_points(case_type, tier, age.unwrap_or(0), weights);
                (
                    scored.points,
                    format!(
                        "{crn} ({}, tier {tier}, aged {}): {}",
                        case_type.label(),
                        age.map_or_else(|| "unknown".to_owned(), |age| age.to_string()),
                        scored.explanation.steps.join("; ")
                    ),
                )
            }
        };
        explanation.push(line);
        case_total = case_total.saturating_add(points);
        case_list.push(CaseWorkload {
            person_id: rows::id(&person_id)?,
            crn,
            case_type,
            tier,
            age,
            points,
            allocated_on,
        });
    }

    let mut reports = Vec::with_capacity(work.reports.len());
    let mut report_total: u32 = 0;
    for (report_id, person_id, crn, kind, due_on) in work.reports {
        let kind: ReportKind = rows::code(&kind)?;
        let scored = report_points(kind, weights);
        explanation.push(format!(
            "{crn}: {}, due {due_on}: {}",
            kind.label().to_lowercase(),
            scored.explanation.steps.join("; ")
        ));
        report_total = report_total.saturating_add(scored.points);
        reports.push(ReportWorkload {
            report_id: rows::id(&report_id)?,
            person_id: rows::id(&person_id)?,
            crn,
            kind,
            due_on,
            points: scored.points,
        });
    }

    let total_points = case_total.saturating_add(report_total);
    explanation.push(format!(
        "Total: {case_total} case points + {report_total} report points = {total_points} points"
    ));

    let contracted = ContractedHours::parse(member.contracted_hours).map_err(|error| {
        StorageError::Corrupt(format!("contracted hours of {}: {error}", member.id))
    })?;
    let (capacity, hours) = match available_hours(contracted, &work.reductions, today) {
        Ok(available) => (Capacity::compute(total_points, &available), available.hours),
        Err(refused) => {
            explanation.push(format!(
                "Available hours could not be worked out: {refused}. Correct the reductions; \
                 until then no hours are counted as available"
            ));
            (Capacity::from_points(total_points, 0), 0.0)
        }
    };
    explanation.extend(capacity.explanation.steps.iter().cloned());

    Ok(PractitionerWorkload {
        staff_id: rows::id(&member.id)?,
        name: format!("{} {}", member.first_name, member.last_name),
        grade: member.grade,
        team_id: rows::id(&member.team_id)?,
        team_code: member.team_code,
        team: member.team_name,
        active: member.active,
        cases: u32::try_from(case_list.len()).unwrap_or(u32::MAX),
        cases_by_type,
        case_list,
        reports,
        case_points: case_total,
        report_points: report_total,
        total_points,
        contracted_hours: member.contracted_hours,
        available_hours: hours,
        available_points: capacity.available_points,
        percent: capacity.percent,
        explanation,
        weights_version: weights.version.clone(),
        capacity_rule_version: CAPACITY_RULE_VERSION,
    })
}

// ---------------------------------------------------------------------------------------------
// Weekly snapshots and the excessive-workload rule.

/// The Monday a week starts on: the day workload snapshots are recorded against.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// The day a week's snapshot is measured on: today for the current week, and the week's Monday for
/// an earlier week recorded late (the cases held then).
pub fn measurement_day(week: NaiveDate, today: NaiveDate) -> NaiveDate {
    if week == week_start(today) {
        today
    } else {
        week
    }
}

/// One practitioner's capacity in one week, as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadSnapshot {
    pub staff_id: Uuid,
    /// A Monday.
    pub week_start: NaiveDate,
    pub total_points: u32,
    pub available_points: u32,
    /// `None` when there were no available points.
    pub percent: Option<f64>,
    pub cases: u32,
    pub weights_version: String,
    pub computed_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = workload_snapshots)]
struct SnapshotRow<'a> {
    staff_id: String,
    week_start: NaiveDate,
    total_points: i32,
    available_points: i32,
    percent: Option<f64>,
    cases: i32,
    weights_version: &'a str,
    computed_at: NaiveDateTime,
}

/// Multi-row upsert on the concrete backend (Diesel's `MultiConnection` cannot express batch
/// inserts; the same approach as `risk::scores`): a week recorded again replaces what was recorded
/// for it — `INSERT … ON CONFLICT DO UPDATE` on PostgreSQL, `REPLACE INTO` on SQLite.
macro_rules! upsert_snapshots {
    ($conn:expr, $rows:expr) => {{
        use diesel::upsert::excluded;
        use workload_snapshots as ws;
        match $conn {
            // SQLite's batch inserts take no ON CONFLICT clause in Diesel; REPLACE replaces the
            // whole row, which is what recording a week again means.
            AnyConnection::Sqlite(c) => diesel::replace_into(ws::table).values($rows).execute(c),
            AnyConnection::Postgresql(c) => diesel::insert_into(ws::table)
                .values($rows)
                .on_conflict((ws::staff_id, ws::week_start))
                .do_update()
                .set((
                    ws::total_points.eq(excluded(ws::total_points)),
                    ws::available_points.eq(excluded(ws::available_points)),
                    ws::percent.eq(excluded(ws::percent)),
                    ws::cases.eq(excluded(ws::cases)),
                    ws::weights_version.eq(excluded(ws::weights_version)),
                    ws::computed_at.eq(excluded(ws::computed_at)),
                ))
                .execute(c),
        }
    }};
}

/// Records each practitioner's capacity for the week starting `week_start` (a Monday), replacing
/// whatever was recorded for them that week: recording a week twice leaves one row each.
/// Returns how many were recorded. Opens no transaction: call it inside the caller's.
pub fn record_snapshots(
    conn: &mut AnyConnection,
    practitioners: &[PractitionerWorkload],
    week_start: NaiveDate,
    now: DateTime<Utc>,
) -> StorageResult<usize> {
    if self::week_start(week_start) != week_start {
        return Err(StorageError::Conflict(format!(
            "A workload week starts on a Monday; {week_start} is a {}",
            week_start.format("%A")
        )));
    }
    let computed_at = now.naive_utc();
    let rows: Vec<SnapshotRow> = practitioners
        .iter()
        .map(|p| SnapshotRow {
            staff_id: p.staff_id.to_string(),
            week_start,
            total_points: count(p.total_points),
            available_points: count(p.available_points),
            percent: p.percent,
            cases: count(p.cases),
            weights_version: &p.weights_version,
            computed_at,
        })
        .collect();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        upsert_snapshots!(conn, chunk)?;
    }
    Ok(rows.len())
}

fn count(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

fn stored_count(value: i32) -> StorageResult<u32> {
    u32::try_from(value).map_err(|_| StorageError::Corrupt(format!("{value} is not a count")))
}

/// The snapshots of these members of staff from the week starting on or after `since`, by member
/// then week.
pub fn snapshots_for(
    conn: &mut AnyConnection,
    staff_ids: &[Uuid],
    since: NaiveDate,
) -> StorageResult<Vec<WorkloadSnapshot>> {
    load_snapshots(conn, staff_ids, Weeks::Since(since))
}

/// Which weeks' snapshots to read.
#[derive(Debug, Clone, Copy)]
enum Weeks {
    /// Weeks starting on or after the day.
    Since(NaiveDate),
    /// Weeks that have started by the day.
    StartedBy(NaiveDate),
}

/// One query per 500 members of staff.
fn load_snapshots(
    conn: &mut AnyConnection,
    staff_ids: &[Uuid],
    weeks: Weeks,
) -> StorageResult<Vec<WorkloadSnapshot>> {
    let ids: Vec<String> = staff_ids.iter().map(Uuid::to_string).collect();
    let mut snapshots = Vec::new();
    for chunk in ids.chunks(STAFF_PER_QUERY) {
        let query = workload_snapshots::table
            .filter(workload_snapshots::staff_id.eq_any(chunk))
            .order((workload_snapshots::staff_id, workload_snapshots::week_start))
            .select((
                workload_snapshots::staff_id,
                workload_snapshots::week_start,
                workload_snapshots::total_points,
                workload_snapshots::available_points,
                workload_snapshots::percent,
                workload_snapshots::cases,
                workload_snapshots::weights_version,
                workload_snapshots::computed_at,
            ))
            .into_boxed();
        let query = match weeks {
            Weeks::Since(day) => query.filter(workload_snapshots::week_start.ge(day)),
            Weeks::StartedBy(day) => query.filter(workload_snapshots::week_start.le(day)),
        };
        let rows = query.load::<(
            String,
            NaiveDate,
            i32,
            i32,
            Option<f64>,
            i32,
            String,
            NaiveDateTime,
        )>(conn)?;
        for (staff_id, week, total, available, percent, cases, version, at) in rows {
            snapshots.push(WorkloadSnapshot {
                staff_id: rows::id(&staff_id)?,
                week_start: week,
                total_points: stored_count(total)?,
                available_points: stored_count(available)?,
                percent,
                cases: stored_count(cases)?,
                weights_version: version,
                computed_at: at,
            });
        }
    }
    snapshots.sort_by_key(|snapshot| (snapshot.staff_id, snapshot.week_start));
    Ok(snapshots)
}

/// The excessive-workload rule ([`ExcessiveWorkloadRule::reference`]: over 110% for 4
/// consecutive weeks) for each of these members of staff, over every snapshot of a week that has
/// started by `today`. Everyone asked about is in the answer; no snapshots give "not excessive".
/// Weeks with no capacity % (no available points) are left out, which breaks a run.
pub fn excessive(
    conn: &mut AnyConnection,
    staff_ids: &[Uuid],
    today: NaiveDate,
) -> StorageResult<HashMap<Uuid, ExcessiveWorkload>> {
    let rule = ExcessiveWorkloadRule::reference();
    let mut weeks: HashMap<Uuid, Vec<WeeklySnapshot>> =
        staff_ids.iter().map(|id| (*id, Vec::new())).collect();
    for snapshot in load_snapshots(conn, staff_ids, Weeks::StartedBy(today))? {
        if let (Some(percent), Some(list)) = (snapshot.percent, weeks.get_mut(&snapshot.staff_id)) {
            list.push(WeeklySnapshot {
                week_start: snapshot.week_start,
                percent,
            });
        }
    }
    weeks
        .into_iter()
        .map(|(staff_id, snapshots)| {
            let assessed = assess_excessive_workload(&rule, &snapshots).map_err(|error| {
                StorageError::Corrupt(format!("workload snapshots of {staff_id}: {error}"))
            })?;
            Ok((staff_id, assessed))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Reductions of available hours.

/// A reduction to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReduction {
    pub staff_id: Uuid,
    pub kind: ReductionKind,
    /// Hours a week.
    pub hours: f64,
    pub from: NaiveDate,
    /// The last day in force; `None` until further notice.
    pub to: Option<NaiveDate>,
    pub reason: String,
    pub created_by: Option<Uuid>,
}

/// A recorded reduction.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReduction {
    pub id: Uuid,
    pub staff_id: Uuid,
    pub reduction: Reduction,
    pub reason: String,
    pub created_by: Option<Uuid>,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = staff_reductions)]
struct ReductionRow {
    id: String,
    staff_id: String,
    kind: &'static str,
    hours: f64,
    from_date: NaiveDate,
    to_date: Option<NaiveDate>,
    reason: String,
    created_by: Option<String>,
    created_at: NaiveDateTime,
}

/// Records a reduction of a member of staff's available hours, after the domain's checks: hours a
/// number of 0 or more, an end no earlier than the start, union duties at most half of contracted
/// hours — on their own and together with the union duties already in force on any day of the new
/// reduction. A refusal is [`StorageError::Conflict`] with the domain's message; an unknown member
/// of staff is [`StorageError::NotFound`]. Opens no transaction: call it inside the caller's.
pub fn add_reduction(
    conn: &mut AnyConnection,
    new: &NewReduction,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let staff_id = new.staff_id.to_string();
    let hours: f64 = staff::table
        .filter(staff::id.eq(&staff_id))
        .select(staff::contracted_hours)
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    let contracted = ContractedHours::parse(hours).map_err(|error| {
        StorageError::Corrupt(format!("contracted hours of {staff_id}: {error}"))
    })?;
    let reason = LongText::required(&new.reason).map_err(|error| match error {
        TextError::Missing => StorageError::Conflict("Give the reason for the reduction".into()),
        too_long => StorageError::Conflict(format!("The reason {too_long}")),
    })?;
    let reduction = match new.kind {
        ReductionKind::UnionDuties => {
            union_duties_reduction(contracted, new.hours, new.from, new.to).map_err(refused)?
        }
        kind => Reduction {
            kind,
            hours: new.hours,
            from: new.from,
            to: new.to,
        },
    };

    // The reductions in force only change on the day one starts, so checking the new reduction's
    // first day and each start day within it covers every day it is in force.
    let mut together: Vec<Reduction> = reductions_for(conn, new.staff_id)?
        .into_iter()
        .map(|stored| stored.reduction)
        .collect();
    let mut days = vec![reduction.from];
    days.extend(
        together
            .iter()
            .map(|existing| existing.from)
            .filter(|day| reduction.in_force_on(*day)),
    );
    together.push(reduction.clone());
    for day in days {
        available_hours(contracted, &together, day).map_err(refused)?;
    }

    let id = Uuid::new_v4();
    let row = ReductionRow {
        id: id.to_string(),
        staff_id,
        kind: reduction.kind.code(),
        hours: reduction.hours,
        from_date: reduction.from,
        to_date: reduction.to,
        reason: reason.as_str().to_owned(),
        created_by: new.created_by.map(|id| id.to_string()),
        created_at: now.naive_utc(),
    };
    diesel::insert_into(staff_reductions::table)
        .values(&row)
        .execute(conn)?;
    Ok(id)
}

fn refused(error: impl std::fmt::Display) -> StorageError {
    StorageError::Conflict(error.to_string())
}

/// Every reduction recorded for a member of staff, earliest first.
pub fn reductions_for(
    conn: &mut AnyConnection,
    staff_id: Uuid,
) -> StorageResult<Vec<StoredReduction>> {
    staff_reductions::table
        .filter(staff_reductions::staff_id.eq(staff_id.to_string()))
        .order((staff_reductions::from_date, staff_reductions::created_at))
        .select((
            staff_reductions::id,
            staff_reductions::kind,
            staff_reductions::hours,
            staff_reductions::from_date,
            staff_reductions::to_date,
            staff_reductions::reason,
            staff_reductions::created_by,
            staff_reductions::created_at,
        ))
        .load::<(
            String,
            String,
            f64,
            NaiveDate,
            Option<NaiveDate>,
            String,
            Option<String>,
            NaiveDateTime,
        )>(conn)?
        .into_iter()
        .map(
            |(id, kind, hours, from, to, reason, created_by, created_at)| {
                Ok(StoredReduction {
                    id: rows::id(&id)?,
                    staff_id,
                    reduction: Reduction {
                        kind: rows::code(&kind)?,
                        hours,
                        from,
                        to,
                    },
                    reason,
                    created_by: rows::opt_id(created_by.as_deref())?,
                    created_at,
                })
            },
        )
        .collect()
}

/// Deletes a reduction recorded in error. [`StorageError::NotFound`] if there is none.
pub fn delete_reduction(conn: &mut AnyConnection, reduction_id: Uuid) -> StorageResult<()> {
    let deleted = diesel::delete(
        staff_reductions::table.filter(staff_reductions::id.eq(reduction_id.to_string())),
    )
    .execute(conn)?;
    if deleted == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Court and parole reports.

/// A court or parole report to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCourtReport {
    pub person_id: Uuid,
    /// The practitioner writing it.
    pub staff_id: Uuid,
    pub kind: ReportKind,
    pub requested_on: NaiveDate,
    pub due_on: NaiveDate,
}

#[derive(Insertable)]
#[diesel(table_name = court_reports)]
struct CourtReportRow {
    id: String,
    person_id: String,
    staff_id: String,
    kind: &'static str,
    requested_on: NaiveDate,
    due_on: NaiveDate,
    completed_on: Option<NaiveDate>,
}

/// Records a report being written; it counts in the writer's workload until completed. A report
/// due before it was requested is refused ([`StorageError::Conflict`]).
pub fn add_court_report(conn: &mut AnyConnection, new: &NewCourtReport) -> StorageResult<Uuid> {
    if new.due_on < new.requested_on {
        return Err(StorageError::Conflict(format!(
            "The {} cannot be due on {}, before it was requested on {}",
            new.kind.label().to_lowercase(),
            new.due_on,
            new.requested_on
        )));
    }
    let id = Uuid::new_v4();
    diesel::insert_into(court_reports::table)
        .values(&CourtReportRow {
            id: id.to_string(),
            person_id: new.person_id.to_string(),
            staff_id: new.staff_id.to_string(),
            kind: new.kind.code(),
            requested_on: new.requested_on,
            due_on: new.due_on,
            completed_on: None,
        })
        .execute(conn)?;
    Ok(id)
}

/// Marks an open report completed on a day; it stops counting as workload from then.
/// [`StorageError::NotFound`] if there is no open report with this id; a completion before the
/// request is refused ([`StorageError::Conflict`]).
pub fn complete_court_report(
    conn: &mut AnyConnection,
    report_id: Uuid,
    completed_on: NaiveDate,
) -> StorageResult<()> {
    let id = report_id.to_string();
    let requested_on: NaiveDate = court_reports::table
        .filter(court_reports::id.eq(&id))
        .filter(court_reports::completed_on.is_null())
        .select(court_reports::requested_on)
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    if completed_on < requested_on {
        return Err(StorageError::Conflict(format!(
            "A report cannot be completed on {completed_on}, before it was requested on \
             {requested_on}"
        )));
    }
    diesel::update(court_reports::table.filter(court_reports::id.eq(&id)))
        .set(court_reports::completed_on.eq(Some(completed_on)))
        .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_week_starts_on_the_monday() {
        // 2026-11-22 is a Sunday; 2026-11-16 the Monday before it.
        assert_eq!(week_start(date(2026, 11, 22)), date(2026, 11, 16));
        assert_eq!(week_start(date(2026, 11, 16)), date(2026, 11, 16));
        assert_eq!(week_start(date(2026, 11, 17)), date(2026, 11, 16));
        assert_eq!(week_start(date(2026, 11, 23)), date(2026, 11, 23));
    }

    #[test]
    fn no_weights_before_the_first_set_takes_effect() {
        assert_eq!(
            weights_on(date(2026, 1, 1)).unwrap().version,
            "workload-weights-2026/1"
        );
        assert_eq!(
            weights_on(date(2025, 12, 31)).unwrap_err().to_string(),
            "No workload weights are in force on 2025-12-31: the first take effect on 2026-01-01"
        );
    }

    #[test]
    fn cases_are_counted_by_type() {
        let mut counts = CasesByType::default();
        for case_type in [
            Some(CaseType::Community),
            Some(CaseType::Community),
            Some(CaseType::Licence),
            None,
        ] {
            counts.count(case_type);
        }
        assert_eq!(counts.of(CaseType::Community), 2);
        assert_eq!(counts.of(CaseType::Licence), 1);
        assert_eq!(counts.of(CaseType::Custody), 0);
        assert_eq!(counts.no_active_event, 1);
    }
}
