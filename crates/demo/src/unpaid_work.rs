//! Unpaid work for the demo (Community Payback, issue 18): projects in every PDU — group
//! placements, an individual placement offering education, training or employment activity, one
//! crediting travel to a distant site, and one closed — and, for each case with an active unpaid
//! work requirement, weekly sessions since the order (most on pace, about a third only every few
//! weeks, so behind), some failures to attend and a few people sent home (judged acceptable, so no
//! enforcement follows that the demo's enforcement history would lack), never more hours than
//! ordered, and the next session ahead. Each allocation is an appointment in the contact log.
//! Drawn from a stream of its own, so adding it left every earlier draw as it was.

use crate::calendar::{add_days, at, next_working_day};
use crate::model::{Contact, DemoRegion};
use crate::random::DemoRng;
use chrono::{NaiveDate, NaiveDateTime};
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::supervision::contact::{
    ContactOutcome, ContactStatus, ContactType, FailureJudgement, LocationKind,
};
use keepsafe_domain::unpaid_work::{AttendanceOutcome, ProjectKind, Rating};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The stream offset of this module's draws.
const STREAM: u64 = 0x5eed_0018_0a11;

/// The demo's unpaid work: rows as storage writes them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemoUnpaidWork {
    pub projects: Vec<DemoUpwProject>,
    pub sessions: Vec<DemoUpwSession>,
    pub allocations: Vec<DemoUpwAllocation>,
    pub attendance: Vec<DemoUpwAttendance>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoUpwProject {
    pub id: Uuid,
    pub pdu_id: Uuid,
    pub name: String,
    pub kind: ProjectKind,
    pub address: String,
    pub postcode: String,
    pub supervisor: String,
    pub capacity: u32,
    pub travel_credited: bool,
    pub ete_available: bool,
    pub active: bool,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoUpwSession {
    pub id: Uuid,
    pub project_id: Uuid,
    pub pdu_id: Uuid,
    pub day: NaiveDate,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub supervisor: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoUpwAllocation {
    pub id: Uuid,
    pub session_id: Uuid,
    pub person_id: Uuid,
    pub requirement_id: Uuid,
    pub contact_id: Uuid,
    pub day: NaiveDate,
    pub allocated_by: Option<Uuid>,
    pub allocated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoUpwAttendance {
    pub allocation_id: Uuid,
    pub person_id: Uuid,
    pub requirement_id: Uuid,
    pub day: NaiveDate,
    pub outcome: AttendanceOutcome,
    pub quality: Option<Rating>,
    pub behaviour: Option<Rating>,
    pub worked_minutes: u32,
    pub travel_minutes: u32,
    pub ete_minutes: u32,
    pub recorded_by: Option<Uuid>,
    pub recorded_at: NaiveDateTime,
}

const SUPERVISORS: &[&str] = &[
    "Pat Green",
    "Dev Sharma",
    "Morgan Ellis",
    "Chris Okafor",
    "Sam Whitfield",
    "Jo Barker",
];

/// (name, kind, capacity, travel credited, ETE offered, open, start hour, end hour)
type Template = (&'static str, ProjectKind, u32, bool, bool, bool, u32, u32);

const PROJECTS: &[Template] = &[
    (
        "Riverside Park clearance",
        ProjectKind::Group,
        8,
        false,
        false,
        true,
        9,
        16,
    ),
    (
        "Community centre decorating",
        ProjectKind::Group,
        6,
        false,
        false,
        true,
        9,
        16,
    ),
    (
        "Woodland trail repairs",
        ProjectKind::Group,
        8,
        true,
        false,
        true,
        9,
        16,
    ),
    (
        "Food bank warehouse",
        ProjectKind::Individual,
        2,
        false,
        true,
        true,
        10,
        15,
    ),
    (
        "Canal towpath litter pick",
        ProjectKind::Group,
        6,
        false,
        false,
        false,
        9,
        16,
    ),
];

pub(crate) fn add(seed: u64, region: &mut DemoRegion, today: NaiveDate) {
    let mut rng = DemoRng::from_seed(seed ^ STREAM);
    let mut work = DemoUnpaidWork::default();
    let now = at(today, 8, 0);
    // The PDU's projects, placed at addresses of the PDU's own towns.
    let mut by_pdu: HashMap<Uuid, Vec<usize>> = HashMap::new();
    for pdu in &region.pdus {
        let postcodes: Vec<(String, String)> = region
            .people
            .iter()
            .filter(|p| p.pdu_id == pdu.id)
            .filter_map(|p| p.addresses.first())
            .take(20)
            .map(|a| (a.town.clone(), a.postcode.clone()))
            .collect();
        for template in PROJECTS {
            let (town, postcode) = if postcodes.is_empty() {
                ("Midchester".to_owned(), "NG1 6AB".to_owned())
            } else {
                rng.pick(&postcodes).clone()
            };
            by_pdu.entry(pdu.id).or_default().push(work.projects.len());
            work.projects.push(DemoUpwProject {
                id: rng.id(),
                pdu_id: pdu.id,
                name: template.0.to_owned(),
                kind: template.1,
                address: format!("{}, {town}", template.0),
                postcode,
                supervisor: rng.choose(SUPERVISORS).to_owned(),
                capacity: template.2,
                travel_credited: template.3,
                ete_available: template.4,
                active: template.5,
                updated_at: now,
            });
        }
    }
    // Sessions are made as people are allocated to them: (project index, day) → session index.
    let mut sessions: HashMap<(usize, NaiveDate), usize> = HashMap::new();
    let mut taken: HashMap<usize, u32> = HashMap::new();
    for person in &mut region.people {
        let Some(projects) = by_pdu.get(&person.pdu_id) else {
            continue;
        };
        let open: Vec<usize> = projects
            .iter()
            .copied()
            .filter(|&i| work.projects[i].active)
            .collect();
        let staff = person
            .allocations
            .iter()
            .find(|a| a.end_date.is_none())
            .map(|a| a.staff_id);
        let orders: Vec<(Uuid, Uuid, u32, NaiveDate)> = person
            .events
            .iter()
            .filter(|e| e.active)
            .flat_map(|e| {
                e.requirements
                    .iter()
                    .filter(|r| r.active && r.kind == RequirementKind::UnpaidWork)
                    .filter_map(move |r| {
                        let hours = u32::try_from(r.length?).ok()?;
                        Some((e.id, r.id, hours, e.sentence_date.unwrap_or(r.start_date)))
                    })
            })
            .collect();
        let mut used_days: HashSet<NaiveDate> = HashSet::new();
        for (event_id, requirement_id, hours, sentenced) in orders {
            // Most work a session a week; about a third only every third week, so fall behind.
            let every_weeks: i64 = if rng.chance(0.35) { 3 } else { 1 };
            let ordered = hours * 60;
            let mut credited = 0u32;
            let mut ete = 0u32;
            let mut day = next_working_day(add_days(sentenced, rng.range(7..=14)));
            let mut upcoming_done = false;
            while credited < ordered && !upcoming_done {
                let future = day >= today;
                let project_index = *rng.pick(&open);
                let key = (project_index, day);
                let project = work.projects[project_index].clone();
                let session_index = *sessions.entry(key).or_insert_with(|| {
                    let (start, end) = PROJECTS
                        .iter()
                        .find(|t| t.0 == project.name)
                        .map(|t| (t.6, t.7))
                        .unwrap_or((9, 16));
                    work.sessions.push(DemoUpwSession {
                        id: rng.id(),
                        project_id: project.id,
                        pdu_id: project.pdu_id,
                        day,
                        starts_at: at(day, start, 0),
                        ends_at: at(day, end, 0),
                        supervisor: project.supervisor.clone(),
                    });
                    work.sessions.len() - 1
                });
                let places = taken.entry(session_index).or_default();
                if *places >= project.capacity || used_days.contains(&day) {
                    day = next_working_day(add_days(day, 1));
                    continue;
                }
                *places += 1;
                used_days.insert(day);
                let session = work.sessions[session_index].clone();
                let allocation = rng.id();
                let contact = rng.id();
                work.allocations.push(DemoUpwAllocation {
                    id: allocation,
                    session_id: session.id,
                    person_id: person.id,
                    requirement_id,
                    contact_id: contact,
                    day,
                    allocated_by: staff,
                    allocated_at: at(add_days(day, -7).max(sentenced), 10, 0),
                });
                let length =
                    u32::try_from((session.ends_at - session.starts_at).num_minutes()).unwrap_or(0);
                let (outcome, contact_outcome, judgement, notes) = if future {
                    (None, None, None, String::new())
                } else {
                    let draw: f64 = rng.range(0.0..1.0);
                    if draw < 0.08 {
                        (
                            Some(AttendanceOutcome::FailedToAttend),
                            Some(ContactOutcome::FailedToAttend),
                            Some(FailureJudgement::Acceptable),
                            "Did not attend: unwell, GP's note seen.".to_owned(),
                        )
                    } else if draw < 0.11 {
                        (
                            Some(AttendanceOutcome::SentHome),
                            Some(ContactOutcome::AttendedFailedToComply),
                            Some(FailureJudgement::Acceptable),
                            "Sent home at midday, unwell; hours to midday credited.".to_owned(),
                        )
                    } else {
                        (
                            Some(AttendanceOutcome::AttendedAndWorked),
                            Some(ContactOutcome::Attended),
                            None,
                            "Attended and worked.".to_owned(),
                        )
                    }
                };
                if let Some(outcome) = outcome {
                    let remaining = ordered - credited;
                    let (worked, travel, ete_minutes) = match outcome {
                        AttendanceOutcome::FailedToAttend => (0, 0, 0),
                        AttendanceOutcome::SentHome => ((length / 2).min(remaining), 0, 0),
                        AttendanceOutcome::AttendedAndWorked => {
                            let travel = if project.travel_credited {
                                30.min(remaining.saturating_sub(length.min(remaining)))
                            } else {
                                0
                            };
                            let ete_limit = ordered / 5;
                            let ete_minutes = if project.ete_available && ete + 120 <= ete_limit {
                                120.min(remaining)
                            } else {
                                0
                            };
                            let worked = (length - ete_minutes).min(remaining - ete_minutes);
                            (worked, travel, ete_minutes)
                        }
                    };
                    credited += worked + travel + ete_minutes;
                    ete += ete_minutes;
                    let rating = |rng: &mut DemoRng| {
                        rng.weighted(&[
                            (Rating::Excellent, 2),
                            (Rating::Good, 5),
                            (Rating::Satisfactory, 3),
                            (Rating::Poor, 1),
                        ])
                    };
                    let rated = outcome != AttendanceOutcome::FailedToAttend;
                    let quality = rated.then(|| rating(&mut rng));
                    let behaviour = rated.then(|| rating(&mut rng));
                    work.attendance.push(DemoUpwAttendance {
                        allocation_id: allocation,
                        person_id: person.id,
                        requirement_id,
                        day,
                        outcome,
                        quality,
                        behaviour,
                        worked_minutes: worked,
                        travel_minutes: travel,
                        ete_minutes,
                        recorded_by: staff,
                        recorded_at: session.ends_at,
                    });
                }
                person.contacts.push(Contact {
                    id: contact,
                    event_id: Some(event_id),
                    contact_type: ContactType::UnpaidWorkSession,
                    starts_at: session.starts_at,
                    location: format!("{}, {}", project.name, project.address),
                    ends_at: session.ends_at,
                    location_kind: LocationKind::Other,
                    outcome: contact_outcome,
                    judgement,
                    status: ContactStatus::Arranged,
                    enforceable: true,
                    notes,
                    staff_id: None,
                    evidence_due_on: None,
                });
                upcoming_done = future;
                day = next_working_day(add_days(day, 7 * every_weeks));
            }
        }
    }
    region.unpaid_work = work;
}
