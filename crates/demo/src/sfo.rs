//! Serious further offences in the demo region (reference §8): a handful, as they are rare
//! (about 770 people charged in 2023/24 of some 240,000 supervised), one in every state — awaiting
//! notification (one of them overdue), notified with a reviewer, under review past its due date,
//! and completed with its actions on the PDU's quality improvement plan. Each charge is checked by
//! the domain as a recorded one would be, so its reasons and deadlines are the rules' own. The
//! test accounts' cases are left alone, so tests make exactly the ones they need. Drawn from a
//! stream of its own, so adding it left every earlier draw as it was.

use crate::model::{DemoAction, DemoRecommendation, DemoRegion, DemoScope, Person};
use crate::random::DemoRng;
use chrono::{Duration, NaiveDate};
use keepsafe_domain::calendar::add_working_days;
use keepsafe_domain::quality::ActionStatus;
use keepsafe_domain::sfo::{Charge, ChargeDraft, QualifyingOffence, SfoRules, SupervisedPeriod};
use keepsafe_domain::staff::Grade;
use uuid::Uuid;

/// The stream offset of this module's draws.
const STREAM: u64 = 0x5eed_0018_5f0a;

/// The demo's serious further offence cases.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemoSfoCases {
    pub cases: Vec<DemoSfo>,
}

/// One case, in whatever state it has reached.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoSfo {
    pub id: Uuid,
    pub person_id: Uuid,
    pub charge: Charge,
    pub recorded_by: Uuid,
    pub notified: Option<(NaiveDate, Uuid)>,
    pub reviewer: Option<(Uuid, NaiveDate)>,
    pub review_started_on: Option<NaiveDate>,
    pub findings: (String, String, String),
    pub completed: Option<(NaiveDate, Uuid, Uuid)>,
}

/// The states the demo shows, in order: (working days since the charge became known, notified
/// after so many working days, reviewer, review started, completed).
const STATES: [(u32, Option<u32>, bool, bool, bool); 5] = [
    (3, None, false, false, false),
    (14, None, false, false, false),
    (20, Some(8), true, false, false),
    (90, Some(9), true, true, false),
    (120, Some(7), true, true, true),
];

const OFFENCES: [QualifyingOffence; 6] = [
    QualifyingOffence::GbhWithIntent,
    QualifyingOffence::Rape,
    QualifyingOffence::ArmedRobbery,
    QualifyingOffence::Kidnapping,
    QualifyingOffence::ArsonEndangeringLife,
    QualifyingOffence::Manslaughter,
];

fn working_days_before(day: NaiveDate, days: u32) -> NaiveDate {
    let mut from = day;
    while add_working_days(from, days) > day {
        from -= Duration::days(1);
    }
    from
}

pub(crate) fn add(seed: u64, region: &mut DemoRegion, today: NaiveDate) {
    let untouched: Vec<Uuid> = region
        .staff
        .iter()
        .filter(|m| matches!(m.username.as_deref(), Some("po.demo" | "po.other")))
        .map(|m| m.id)
        .collect();
    let mut rng = DemoRng::from_seed(seed ^ STREAM);
    let rules = SfoRules::default();
    let mut candidates: Vec<&Person> = region
        .people
        .iter()
        .filter(|p| {
            crate::risk::supervised(p).is_some_and(|a| !untouched.contains(&a.staff_id))
                && p.events.iter().any(|e| {
                    e.active
                        && e.sentence_date.unwrap_or(e.conviction_date)
                            < today - Duration::days(400)
                })
        })
        .collect();
    rng.shuffle(&mut candidates);
    let mut cases = Vec::new();
    let mut recommendations = Vec::new();
    for (n, person) in candidates.iter().take(STATES.len()).enumerate() {
        let (known_ago, notified_after, has_reviewer, started, completed) = STATES[n];
        let Some(allocation) = crate::risk::supervised(person) else {
            continue;
        };
        let Some(head) = region
            .staff
            .iter()
            .find(|s| s.grade == Grade::HeadOfPdu && s.pdu_id == Some(person.pdu_id))
        else {
            continue;
        };
        let reviewers: Vec<_> = region
            .staff
            .iter()
            .filter(|s| {
                matches!(
                    s.grade,
                    Grade::SeniorProbationOfficer | Grade::QualityInspection
                ) && s.team_id != Some(allocation.team_id)
                    && s.username.as_deref() != Some("spo.demo")
                    && !person.allocations.iter().any(|a| a.staff_id == s.id)
            })
            .collect();
        if reviewers.is_empty() {
            continue;
        }
        let reviewer = rng.pick(&reviewers).id;
        let known_on = working_days_before(today, known_ago);
        let charged_on = known_on - Duration::days(rng.range(0..=3));
        let committed_on = charged_on - Duration::days(rng.range(2..=40));
        let periods: Vec<SupervisedPeriod> = person
            .events
            .iter()
            .map(|e| SupervisedPeriod {
                from: e.sentence_date.unwrap_or(e.conviction_date),
                to: if e.active {
                    None
                } else {
                    Some(e.expected_end_date.unwrap_or(e.conviction_date))
                },
            })
            .collect();
        let draft = ChargeDraft {
            offence: Some(OFFENCES[n % OFFENCES.len()]),
            committed_on: Some(committed_on),
            charged_on: Some(charged_on),
            known_on: Some(known_on),
            reference: format!(
                "MID/{}/{:04}",
                charged_on.format("%y"),
                rng.range(1000..=9999)
            ),
        };
        let Ok(charge) = draft.check(&periods, today, &rules) else {
            continue;
        };
        let notified_on = notified_after.map(|days| add_working_days(known_on, days));
        let assigned_on = notified_on.map(|on| add_working_days(on, 2));
        let started_on = if started {
            assigned_on.map(|on| add_working_days(on, 5))
        } else {
            None
        };
        let findings = if started {
            (
                "Home visits and appointments kept to the sentence plan; the police were told of the new partner within a day.".to_owned(),
                "The change of address was not followed by a new domestic abuse check, and the risk assessment was not reviewed after the job loss.".to_owned(),
                "Review the risk assessment after every significant change in circumstances, and ask for the police check again when the household changes.".to_owned(),
            )
        } else {
            (String::new(), String::new(), String::new())
        };
        let id = rng.id();
        let completion = if completed {
            let done_on = started_on.map_or(today, |on| add_working_days(on, 40).min(today));
            let recommendation = rng.id();
            recommendations.push(DemoRecommendation {
                id: recommendation,
                scope: DemoScope::Pdu(person.pdu_id),
                framework: keepsafe_domain::quality::Framework::all()
                    .into_iter()
                    .next()
                    .map(|f| f.code)
                    .unwrap_or_default(),
                standard: None,
                text: format!(
                    "Act on the learning from a serious further offence review completed on {}",
                    keepsafe_domain::calendar::long_date(done_on)
                ),
                made_by: "Serious further offence review".to_owned(),
                made_on: done_on,
                recorded_by: reviewer,
                actions: vec![
                    DemoAction {
                        id: rng.id(),
                        description: "Audit ten cases a month for a risk review after a change in circumstances".to_owned(),
                        owner: "Head of PDU".to_owned(),
                        due: done_on + Duration::days(90),
                        status: ActionStatus::Open,
                    },
                    DemoAction {
                        id: rng.id(),
                        description: "Brief every team on asking for police checks again when a household changes".to_owned(),
                        owner: "Senior probation officers".to_owned(),
                        due: done_on + Duration::days(30),
                        status: ActionStatus::InProgress,
                    },
                ],
            });
            Some((done_on, reviewer, recommendation))
        } else {
            None
        };
        cases.push(DemoSfo {
            id,
            person_id: person.id,
            charge,
            recorded_by: allocation.staff_id,
            notified: notified_on.map(|on| (on, head.id)),
            reviewer: if has_reviewer {
                assigned_on.map(|on| (reviewer, on))
            } else {
                None
            },
            review_started_on: started_on,
            findings,
            completed: completion,
        });
    }
    region.quality.recommendations.extend(recommendations);
    region.sfo = DemoSfoCases { cases };
}
