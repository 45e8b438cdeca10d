//! Licences and release for the demo region (issue #17, part 3), so the licence pages and the
//! handover and release tasks on `/tasks` have work to show: custody cases due out within
//! sixteen weeks have the prison's release date recorded and their handover and release-day tasks
//! (the ones past due mostly done), and most have a licence — a draft, one awaiting approval, or
//! approved; half the custody cases further from release have their dates recorded already; cases already released on licence have an approved
//! licence, released on their release date, and a few a variation approved by the head of PDU.
//!
//! The demo's conditions are exclusion zones, no-contact (some asked for by a victim through the
//! victim liaison officer), drug testing and bespoke conditions: no curfew or residence
//! condition, because those wait for an address approved as suitable, which the demo's address
//! checks do not have.
//!
//! Drawn from a stream of its own (the seed, offset), so adding it left every earlier draw as it
//! was.

use crate::calendar::{add_days, at, days_between};
use crate::model::{DemoRegion, Person};
use crate::random::DemoRng;
use chrono::{NaiveDate, NaiveDateTime};
use keepsafe_domain::event::CaseType;
use keepsafe_domain::licences::{
    changes_between, planned_tasks, ConditionDetails, LicenceCondition, LicenceRules,
    LicenceStatus, LicenceTaskKind, VersionKind, VictimRequest,
};
use keepsafe_domain::staff::Grade;
use std::collections::HashMap;
use uuid::Uuid;

/// The stream offset of this module's draws.
const STREAM: u64 = 0x11ce_2ce0_9a1a_0001;
/// Custody cases due out within this many days get their release work.
const HANDOVER_DAYS: i64 = 16 * 7;
/// The licences of custody cases in handover, in turn: so even a small region shows every stage.
const STAGES: [Option<LicenceStatus>; 5] = [
    Some(LicenceStatus::Approved),
    Some(LicenceStatus::AwaitingApproval),
    Some(LicenceStatus::Draft),
    Some(LicenceStatus::Approved),
    None,
];
/// A custody case further from release with the prison's dates recorded already.
const RECORDED_EARLY: f64 = 0.5;
/// A past-due task done.
const DONE: f64 = 0.75;
/// A released licence varied since.
const VARIED: f64 = 0.1;

/// The prison's dates recorded for a custody event.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoKeyDates {
    pub event_id: Uuid,
    pub person_id: Uuid,
    pub release_date: NaiveDate,
    pub recorded_by: Uuid,
    pub recorded_at: NaiveDateTime,
}

/// A handover or release-day task.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoLicenceTask {
    pub id: Uuid,
    pub person_id: Uuid,
    pub event_id: Uuid,
    pub kind: LicenceTaskKind,
    pub visible_from: NaiveDate,
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub completed_by: Option<Uuid>,
    pub created_at: NaiveDateTime,
}

/// A version of a licence.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoLicenceVersion {
    pub id: Uuid,
    pub number: i32,
    pub kind: VersionKind,
    pub status: LicenceStatus,
    pub reason: String,
    pub changes: String,
    pub created_by: Uuid,
    pub created_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub approved_by: Option<Uuid>,
    pub approved_at: Option<NaiveDateTime>,
    pub conditions: Vec<LicenceCondition>,
}

/// A licence with its versions, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoLicence {
    pub id: Uuid,
    pub person_id: Uuid,
    pub event_id: Uuid,
    pub released_on: Option<NaiveDate>,
    pub licence_end_date: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub versions: Vec<DemoLicenceVersion>,
}

/// The region's release work.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemoLicenceWork {
    pub key_dates: Vec<DemoKeyDates>,
    pub tasks: Vec<DemoLicenceTask>,
    pub licences: Vec<DemoLicence>,
}

/// Who signs: the case's practitioner, their senior officer, the head of PDU, a victim liaison
/// officer of the region.
struct Signatories {
    seniors: HashMap<Uuid, Uuid>,
    heads: HashMap<Uuid, Uuid>,
    vlo: Option<(Uuid, String)>,
}

const AREAS: [&str; 4] = [
    "The town centre inside the inner ring road, shown on the attached map",
    "The streets between the railway line, Mill Lane and the canal",
    "The Northgate estate, bounded by Northgate Road, Park Street and the ring road",
    "The village of Upper Denby and the lanes around it",
];

fn conditions(rng: &mut DemoRng, signatories: &Signatories) -> Vec<LicenceCondition> {
    let mut list = vec![LicenceCondition {
        catalogue_code: Some("exclusion_zone".into()),
        wording: "Not to enter the area described below without the prior approval of your supervising officer.".into(),
        details: ConditionDetails::ExclusionZone { area: rng.choose(&AREAS).into() },
        victim_request: None,
    }];
    if rng.chance(0.6) {
        list.push(LicenceCondition {
            catalogue_code: Some("no_contact".into()),
            wording: "Not to approach or communicate with the person or group named below, directly or indirectly, without the prior approval of your supervising officer.".into(),
            details: ConditionDetails::NoContact { who: "The victim of the index offence".into() },
            victim_request: signatories.vlo.as_ref().filter(|_| rng.chance(0.7)).map(|(id, name)| VictimRequest {
                vlo_name: name.clone(),
                vlo_staff_id: Some(*id),
            }),
        });
    }
    if rng.chance(0.4) {
        list.push(LicenceCondition {
            catalogue_code: Some("drug_testing".into()),
            wording: "Attend drug testing as directed by your supervising officer, as described below.".into(),
            details: ConditionDetails::Other { details: "Testing for Class A drugs at the probation office, at least weekly for the first 12 weeks.".into() },
            victim_request: None,
        });
    }
    if rng.chance(0.15) {
        list.push(LicenceCondition {
            catalogue_code: None,
            wording: "Not to own or use more than one mobile telephone, and to give its number to your supervising officer.".into(),
            details: ConditionDetails::Bespoke { reason: "The offences were arranged by text message from unregistered phones; one known phone lets the police check contact with the victim.".into() },
            victim_request: None,
        });
    }
    list
}

fn morning(day: NaiveDate) -> NaiveDateTime {
    at(day, 10, 0)
}

struct Case<'a> {
    person: &'a Person,
    event_id: Uuid,
    practitioner: Uuid,
    senior: Uuid,
    head: Uuid,
}

/// A licence whose first version reached `status`, written `written` days before `today`.
fn licence(
    rng: &mut DemoRng,
    case: &Case,
    signatories: &Signatories,
    status: LicenceStatus,
    written: NaiveDate,
) -> DemoLicence {
    let approved = status == LicenceStatus::Approved;
    DemoLicence {
        id: rng.id(),
        person_id: case.person.id,
        event_id: case.event_id,
        released_on: None,
        licence_end_date: None,
        created_at: morning(written),
        versions: vec![DemoLicenceVersion {
            id: rng.id(),
            number: 1,
            kind: VersionKind::Initial,
            status,
            reason: String::new(),
            changes: String::new(),
            created_by: case.practitioner,
            created_at: morning(written),
            submitted_at: (status != LicenceStatus::Draft).then(|| at(add_days(written, 2), 15, 0)),
            approved_by: approved.then_some(case.senior),
            approved_at: approved.then(|| at(add_days(written, 4), 11, 30)),
            conditions: conditions(rng, signatories),
        }],
    }
}

/// Adds a variation approved by the head of PDU `days` after release: a new exclusion zone.
fn vary(rng: &mut DemoRng, licence: &mut DemoLicence, case: &Case, on: NaiveDate) {
    let Some(first) = licence.versions.first_mut() else {
        return;
    };
    first.status = LicenceStatus::Superseded;
    let mut conditions = first.conditions.clone();
    conditions[0].details = ConditionDetails::ExclusionZone {
        area: rng.choose(&AREAS).into(),
    };
    if conditions[0] == first.conditions[0] {
        return first.status = LicenceStatus::Approved;
    }
    let changes = changes_between(&first.conditions, &conditions).join("\n");
    licence.versions.push(DemoLicenceVersion {
        id: rng.id(),
        number: 2,
        kind: VersionKind::Variation,
        status: LicenceStatus::Approved,
        reason: "The victim has moved, so the exclusion zone must cover their new area instead."
            .into(),
        changes,
        created_by: case.practitioner,
        created_at: morning(on),
        submitted_at: Some(at(on, 15, 0)),
        approved_by: Some(case.head),
        approved_at: Some(at(add_days(on, 3), 12, 0)),
        conditions,
    });
}

fn release_work(
    rng: &mut DemoRng,
    case: &Case,
    signatories: &Signatories,
    release: NaiveDate,
    today: NaiveDate,
    work: &mut DemoLicenceWork,
) {
    let rules = LicenceRules::default();
    let recorded = add_days(release, -(HANDOVER_DAYS + 7))
        .max(add_days(today, -120))
        .min(today);
    work.key_dates.push(DemoKeyDates {
        event_id: case.event_id,
        person_id: case.person.id,
        release_date: release,
        recorded_by: case.practitioner,
        recorded_at: morning(recorded),
    });
    for task in planned_tasks(release, &rules) {
        let done = task.due_on < today && rng.chance(DONE);
        let finished = add_days(task.due_on, -rng.range(0..=3i64))
            .max(task.visible_from)
            .min(today);
        work.tasks.push(DemoLicenceTask {
            id: rng.id(),
            person_id: case.person.id,
            event_id: case.event_id,
            kind: task.kind,
            visible_from: task.visible_from,
            due_on: task.due_on,
            completed_on: done.then_some(finished),
            completed_by: done.then_some(case.practitioner),
            created_at: morning(recorded),
        });
    }
    if days_between(today, release) > HANDOVER_DAYS {
        return;
    }
    let in_handover = work
        .key_dates
        .iter()
        .filter(|k| days_between(today, k.release_date) <= HANDOVER_DAYS)
        .count();
    let stage = (in_handover - 1) % STAGES.len();
    if let Some(status) = STAGES[stage] {
        let written = add_days(today, -rng.range(5..=20i64));
        work.licences
            .push(licence(rng, case, signatories, status, written));
    }
}

fn released(
    rng: &mut DemoRng,
    case: &Case,
    signatories: &Signatories,
    release: NaiveDate,
    end: Option<NaiveDate>,
    today: NaiveDate,
    work: &mut DemoLicenceWork,
) {
    let mut licence = licence(
        rng,
        case,
        signatories,
        LicenceStatus::Approved,
        add_days(release, -30),
    );
    licence.released_on = Some(release);
    licence.licence_end_date = end;
    let since = days_between(release, today);
    if since > 30 && rng.chance(VARIED) {
        let on = add_days(release, rng.range(14..=since - 7));
        vary(rng, &mut licence, case, on);
    }
    work.licences.push(licence);
}

pub(crate) fn add(seed: u64, region: &mut DemoRegion, today: NaiveDate) {
    let mut rng = DemoRng::from_seed(seed ^ STREAM);
    let signatories = Signatories {
        seniors: region
            .staff
            .iter()
            .filter(|s| s.grade == Grade::SeniorProbationOfficer)
            .filter_map(|s| s.team_id.map(|team| (team, s.id)))
            .collect(),
        heads: region
            .staff
            .iter()
            .filter(|s| s.grade == Grade::HeadOfPdu)
            .filter_map(|s| s.pdu_id.map(|pdu| (pdu, s.id)))
            .collect(),
        vlo: region
            .staff
            .iter()
            .find(|s| s.grade == Grade::VictimLiaisonOfficer)
            .map(|s| (s.id, format!("{} {}", s.first_name, s.last_name))),
    };
    let mut work = DemoLicenceWork::default();
    for person in &region.people {
        let Some(allocation) = person.allocations.iter().find(|a| a.end_date.is_none()) else {
            continue;
        };
        let (Some(&senior), Some(&head)) = (
            signatories.seniors.get(&allocation.team_id),
            signatories.heads.get(&person.pdu_id),
        ) else {
            continue;
        };
        let Some(event) = person
            .events
            .iter()
            .find(|e| e.active && e.sentence_type.is_custodial())
        else {
            continue;
        };
        let case = Case {
            person,
            event_id: event.id,
            practitioner: allocation.staff_id,
            senior,
            head,
        };
        match (event.case_type, event.release_date) {
            (CaseType::Custody, Some(release))
                if release > today
                    && (days_between(today, release) <= HANDOVER_DAYS
                        || rng.chance(RECORDED_EARLY)) =>
            {
                release_work(&mut rng, &case, &signatories, release, today, &mut work);
            }
            (CaseType::Licence, Some(release)) if release <= today => {
                released(
                    &mut rng,
                    &case,
                    &signatories,
                    release,
                    event.expected_end_date,
                    today,
                    &mut work,
                );
            }
            _ => {}
        }
    }
    region.licences = work;
}

#[cfg(test)]
mod tests {
    use crate::spec::{DemoSpec, Scale};
    use keepsafe_domain::licences::{LicenceStatus, VersionKind};

    #[test]
    fn the_demo_has_custody_cases_in_handover_licences_at_every_stage_and_some_released() {
        let region = crate::generate(&DemoSpec {
            seed: 7,
            scale: Scale::Small,
            today: chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
        });
        let work = &region.licences;
        eprintln!(
            "{} key dates, {} licences",
            work.key_dates.len(),
            work.licences.len()
        );
        assert!(
            !work.key_dates.is_empty(),
            "custody cases with the prison's dates"
        );
        assert!(work.tasks.iter().any(|t| t.completed_on.is_none()));
        let first = |status| {
            work.licences
                .iter()
                .any(|l| l.versions[0].status == status && l.released_on.is_none())
        };
        assert!(first(LicenceStatus::Draft));
        assert!(first(LicenceStatus::AwaitingApproval));
        assert!(work.licences.iter().any(|l| l.released_on.is_some()));
        assert!(work.licences.iter().any(|l| l
            .versions
            .iter()
            .any(|v| v.kind == VersionKind::Variation && !v.changes.is_empty())));
    }
}
