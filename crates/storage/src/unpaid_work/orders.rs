//! Unpaid work orders' progress: a case's orders with their hours and sessions, and the orders
//! behind the pace needed to finish by their deadline, for managers.

use super::sessions::Attendance;
use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{
    allocations, events, people, requirements, staff, upw_allocations, upw_attendance,
    upw_projects, upw_sessions,
};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::supervision::diary::page_of;
use keepsafe_domain::unpaid_work::{assess_pace, Pace, PaceInputs, UnpaidWorkRules};
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// One session of an order: where and when, and what was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionLine {
    pub allocation_id: Uuid,
    pub session_id: Uuid,
    pub project: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub attendance: Option<Attendance>,
}

/// An unpaid work requirement with its hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub requirement_id: Uuid,
    pub event_number: i32,
    pub offence: String,
    pub ordered_hours: u32,
    pub sentence_date: NaiveDate,
    pub active: bool,
    pub credited_minutes: u32,
    pub ete_minutes: u32,
    pub travel_minutes: u32,
    /// Minutes credited for sessions from `recent_from` on (the pace achieved).
    pub recent_minutes: u32,
    /// Newest first.
    pub sessions: Vec<SessionLine>,
}

fn minutes(value: i32) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

type OrderRow = (
    String,
    i32,
    String,
    Option<i32>,
    Option<NaiveDate>,
    NaiveDate,
    bool,
);
type LineRow = (
    (
        String,
        String,
        String,
        String,
        NaiveDateTime,
        NaiveDateTime,
        NaiveDate,
    ),
    (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<i32>,
        Option<i32>,
        Option<i32>,
        Option<String>,
    ),
);

/// The person's unpaid work orders, newest first, each with its sessions (newest first) and the
/// minutes credited in all and from `recent_from` to `today`: three queries.
pub fn for_person(
    conn: &mut AnyConnection,
    person: Uuid,
    recent_from: NaiveDate,
    today: NaiveDate,
) -> StorageResult<Vec<Order>> {
    let orders: Vec<OrderRow> = requirements::table
        .inner_join(events::table.on(events::id.eq(requirements::event_id)))
        .filter(events::person_id.eq(person.to_string()))
        .filter(requirements::kind.eq(RequirementKind::UnpaidWork.code()))
        .order((requirements::start_date.desc(), requirements::id.asc()))
        .select((
            requirements::id,
            events::event_number,
            events::offence_description,
            requirements::length,
            events::sentence_date,
            requirements::start_date,
            requirements::active,
        ))
        .load(conn)?;
    let ids: Vec<&String> = orders.iter().map(|row| &row.0).collect();
    let lines: Vec<LineRow> = upw_allocations::table
        .inner_join(upw_sessions::table.on(upw_sessions::id.eq(upw_allocations::session_id)))
        .inner_join(upw_projects::table.on(upw_projects::id.eq(upw_sessions::project_id)))
        .left_join(upw_attendance::table.on(upw_attendance::allocation_id.eq(upw_allocations::id)))
        .filter(upw_allocations::requirement_id.eq_any(&ids))
        .order((upw_sessions::starts_at.desc(), upw_allocations::id.asc()))
        .select((
            (
                upw_allocations::id,
                upw_allocations::requirement_id,
                upw_sessions::id,
                upw_projects::name,
                upw_sessions::starts_at,
                upw_sessions::ends_at,
                upw_sessions::session_date,
            ),
            (
                upw_attendance::outcome.nullable(),
                upw_attendance::quality.nullable(),
                upw_attendance::behaviour.nullable(),
                upw_attendance::worked_minutes.nullable(),
                upw_attendance::travel_minutes.nullable(),
                upw_attendance::ete_minutes.nullable(),
                upw_attendance::notes.nullable(),
            ),
        ))
        .load(conn)?;
    let mut by_order: HashMap<String, Vec<(SessionLine, NaiveDate)>> = HashMap::new();
    for (a, b) in lines {
        let attendance = match b.0 {
            Some(outcome) => Some(Attendance {
                outcome: rows::code(&outcome)?,
                quality: rows::opt_code(b.1.as_deref())?,
                behaviour: rows::opt_code(b.2.as_deref())?,
                worked_minutes: b.3.map(minutes).unwrap_or(0),
                travel_minutes: b.4.map(minutes).unwrap_or(0),
                ete_minutes: b.5.map(minutes).unwrap_or(0),
                notes: b.6.unwrap_or_default(),
            }),
            None => None,
        };
        by_order.entry(a.1).or_default().push((
            SessionLine {
                allocation_id: rows::id(&a.0)?,
                session_id: rows::id(&a.2)?,
                project: a.3,
                starts_at: a.4,
                ends_at: a.5,
                attendance,
            },
            a.6,
        ));
    }
    orders
        .into_iter()
        .map(|row| {
            let lines = by_order.remove(&row.0).unwrap_or_default();
            let credited = |line: &(SessionLine, NaiveDate)| {
                line.0
                    .attendance
                    .as_ref()
                    .map(Attendance::total_minutes)
                    .unwrap_or(0)
            };
            let sum = |f: &dyn Fn(&Attendance) -> u32| {
                lines
                    .iter()
                    .filter_map(|line| line.0.attendance.as_ref())
                    .map(f)
                    .sum::<u32>()
            };
            let recent_minutes = lines
                .iter()
                .filter(|line| line.1 >= recent_from && line.1 <= today)
                .map(credited)
                .sum();
            Ok(Order {
                requirement_id: rows::id(&row.0)?,
                event_number: row.1,
                offence: row.2,
                ordered_hours: row.3.map(minutes).unwrap_or(0),
                sentence_date: row.4.unwrap_or(row.5),
                active: row.6,
                credited_minutes: lines.iter().map(credited).sum(),
                ete_minutes: sum(&|a| a.ete_minutes),
                travel_minutes: sum(&|a| a.travel_minutes),
                recent_minutes,
                sessions: lines.into_iter().map(|line| line.0).collect(),
            })
        })
        .collect()
}

/// Whose orders a manager sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The cases allocated to a team (a senior probation officer's).
    Team(Uuid),
    /// The cases of a PDU (its head's).
    Pdu(Uuid),
}

/// An order behind pace.
#[derive(Debug, Clone, PartialEq)]
pub struct AtRiskCase {
    pub crn: String,
    pub name: String,
    pub practitioner: Option<String>,
    pub ordered_hours: u32,
    pub credited_minutes: u32,
    pub sentence_date: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub pace: Pace,
}

/// A page of orders behind pace.
#[derive(Debug, Clone, PartialEq)]
pub struct AtRiskPage {
    pub cases: Vec<AtRiskCase>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
}

type ScopeRow = (
    String,
    String,
    String,
    String,
    Option<i32>,
    Option<NaiveDate>,
    NaiveDate,
    Option<String>,
    Option<String>,
);

/// The active unpaid work orders in `scope` behind the pace needed (or past their deadline) on
/// `today` under `rules`, soonest deadline first (none last): page `requested` of `per_page`.
/// Two queries: the orders, and the minutes credited to them.
pub fn at_risk(
    conn: &mut AnyConnection,
    scope: Scope,
    rules: &UnpaidWorkRules,
    today: NaiveDate,
    requested: Option<usize>,
    per_page: usize,
) -> StorageResult<AtRiskPage> {
    let query = requirements::table
        .inner_join(events::table.on(events::id.eq(requirements::event_id)))
        .inner_join(people::table.on(people::id.eq(events::person_id)))
        .left_join(
            allocations::table.on(allocations::person_id
                .eq(people::id)
                .and(allocations::end_date.is_null())),
        )
        .left_join(staff::table.on(staff::id.eq(allocations::staff_id)))
        .filter(requirements::kind.eq(RequirementKind::UnpaidWork.code()))
        .filter(requirements::active.eq(true))
        .filter(events::active.eq(true))
        .into_boxed();
    let query = match scope {
        Scope::Team(team) => query.filter(allocations::team_id.eq(team.to_string())),
        Scope::Pdu(pdu) => query.filter(people::pdu_id.eq(pdu.to_string())),
    };
    let orders: Vec<ScopeRow> = query
        .select((
            requirements::id,
            people::crn,
            people::first_name,
            people::last_name,
            requirements::length,
            events::sentence_date,
            requirements::start_date,
            staff::first_name.nullable(),
            staff::last_name.nullable(),
        ))
        .load(conn)?;
    let ids: Vec<&String> = orders.iter().map(|row| &row.0).collect();
    let recent_from = today - Duration::weeks(i64::from(rules.pace_lookback_weeks));
    let mut totals: HashMap<String, (u32, u32)> = HashMap::new();
    let credited: Vec<(String, NaiveDate, i32, i32, i32)> = upw_attendance::table
        .filter(upw_attendance::requirement_id.eq_any(&ids))
        .select((
            upw_attendance::requirement_id,
            upw_attendance::session_date,
            upw_attendance::worked_minutes,
            upw_attendance::travel_minutes,
            upw_attendance::ete_minutes,
        ))
        .load(conn)?;
    for (requirement, day, worked, travel, ete) in credited {
        let total = totals.entry(requirement).or_default();
        let minutes = minutes(worked) + minutes(travel) + minutes(ete);
        total.0 += minutes;
        if day >= recent_from && day <= today {
            total.1 += minutes;
        }
    }
    let completion = rules.completion();
    let mut cases: Vec<AtRiskCase> = orders
        .into_iter()
        .filter_map(|row| {
            let (credited_minutes, recent_minutes) =
                totals.get(&row.0).copied().unwrap_or_default();
            let sentence_date = row.5.unwrap_or(row.6);
            let deadline = completion.complete_by(sentence_date);
            let ordered_hours = row.4.map(minutes).unwrap_or(0);
            let pace = assess_pace(
                &PaceInputs {
                    ordered_hours,
                    credited_minutes,
                    recent_minutes,
                    sentence_date,
                    deadline,
                    today,
                },
                rules,
            );
            pace.status.at_risk().then(|| AtRiskCase {
                crn: row.1,
                name: format!("{} {}", row.2, row.3),
                practitioner: row.7.zip(row.8).map(|(f, l)| format!("{f} {l}")),
                ordered_hours,
                credited_minutes,
                sentence_date,
                deadline,
                pace,
            })
        })
        .collect();
    cases.sort_by(|a, b| {
        (a.deadline.is_none(), a.deadline, &a.crn).cmp(&(b.deadline.is_none(), b.deadline, &b.crn))
    });
    let total = cases.len();
    let (page, pages) = page_of(requested, total, per_page);
    let cases = cases
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    Ok(AtRiskPage {
        cases,
        total,
        page,
        pages,
    })
}
