//! Quality assurance history for the demo region: a year of case audits of the calibrated PDU
//! (reference §12: inspectors read about 50 cases), fewer for the others, some moderated by a
//! second auditor; the ratings panel's judgements of the domain-one standards; management
//! oversight records on the cases; and an inspection's recommendations with an action plan.
//!
//! The calibrated PDU is shaped like the inspections the mission quotes: engagement mostly good,
//! keeping people safe weak (risk of harm properly analysed in about half the cases) and slowly
//! improving quarter by quarter, so the demo shows a Requires improvement PDU with a trend and
//! the cases behind every low score.
//!
//! Drawn from a stream of its own (the seed, offset), so adding it left the rest of the region as
//! it was.

use crate::model::{
    DemoAction, DemoAudit, DemoDecision, DemoJudgement, DemoOversight, DemoQuality,
    DemoRecommendation, DemoRegion, DemoScope, Person,
};
use crate::random::DemoRng;
use chrono::{Duration, NaiveDate};
use keepsafe_domain::event::CaseType;
use keepsafe_domain::quality::{
    ActionStatus, Answer, AnswerGiven, Focus, Framework, Rating, HMIP_PDU_2023,
};
use keepsafe_domain::staff::Grade;
use uuid::Uuid;

/// Offsets the seed for this stream.
const STREAM: u64 = 0x5eed_0005;

/// Audits per quarter in the calibrated PDU (four quarters: about 50 a year, as inspectors read).
const CALIBRATED_PER_QUARTER: usize = 12;
/// Audits per quarter in every other PDU (the last two quarters only).
const OTHER_PER_QUARTER: usize = 6;
/// Every how many audits one is moderated.
const MODERATE_EVERY: usize = 5;

/// Chance of a Yes for (focus, standard) in the calibrated PDU in the first quarter audited; each
/// later quarter keeping-safe answers improve by [`SAFETY_IMPROVEMENT`].
fn base_yes(standard: &str, focus: Focus, calibrated: bool) -> f64 {
    let safe = matches!(focus, Focus::KeepingSafe);
    let base = match (standard, safe) {
        ("2.1", false) => 0.74,
        ("2.1", true) => 0.42,
        ("2.2", false) => 0.70,
        ("2.2", true) => 0.50,
        ("2.3", false) => 0.76,
        ("2.3", true) => 0.56,
        ("2.4", false) => 0.64,
        ("2.4", true) => 0.44,
        _ => 0.6,
    };
    if calibrated {
        base
    } else {
        (base + 0.14).min(0.95)
    }
}

const SAFETY_IMPROVEMENT: f64 = 0.05;

/// Why an auditor answered No, by standard and whether the question is about keeping safe.
fn no_reason(rng: &mut DemoRng, standard: &str, safe: bool) -> String {
    let reasons: &[&str] = match (standard, safe) {
        ("2.1", true) => &[
            "No police domestic-abuse information was requested before the assessment was completed.",
            "Children's services were not contacted although a child lives in the household.",
            "The assessment does not analyse the risk to the partner named in the police callout.",
            "Risk of harm was not reassessed after the change of address.",
        ],
        ("2.1", false) => &[
            "The person's views on their offending were not sought.",
            "Diversity needs (a learning disability) were not considered in the assessment.",
        ],
        ("2.2", true) => &[
            "The plan has no restrictive actions for the identified risk to children.",
            "Contingency planning is missing: nothing says what to do if contact with the victim resumes.",
            "The plan does not link to the MARAC actions agreed by other agencies.",
        ],
        ("2.2", false) => &[
            "The plan was written without the person and does not reflect their goals.",
            "No sequencing of interventions: the programme waiting list was not considered.",
        ],
        ("2.3", true) => &[
            "No home visit in twelve months in a domestic-abuse case.",
            "Appointments fell below the level the tier requires for three months.",
            "Information from the police about a new partner was not acted on.",
        ],
        ("2.3", false) => &[
            "Missed appointments were not followed up for six weeks.",
            "The person waited over a year for the programme with no interim work.",
        ],
        ("2.4", true) => &[
            "The risk assessment was not reviewed after the arrest in March.",
            "The review did not involve the police or children's services.",
        ],
        _ => &[
            "The review did not record the person's progress or their views.",
            "No review of the plan since allocation.",
        ],
    };
    (*rng.pick(reasons)).to_owned()
}

/// The answers of one audit: each case question answered from the profile, reviewing questions
/// sometimes not applicable to a case that started recently.
fn answers(
    rng: &mut DemoRng,
    framework: &Framework,
    calibrated: bool,
    quarter: usize,
    recent_start: bool,
) -> Vec<AnswerGiven> {
    framework
        .key_questions()
        .map(|(standard, question)| {
            let safe = matches!(question.focus, Focus::KeepingSafe);
            if standard.code == "2.4" && recent_start {
                return AnswerGiven {
                    question: question.code.clone(),
                    answer: Answer::NotApplicable,
                    reason: Some(
                        "Supervision started too recently for a review to be due.".to_owned(),
                    ),
                };
            }
            let mut chance = base_yes(&standard.code, question.focus, calibrated);
            if safe {
                chance += SAFETY_IMPROVEMENT * quarter as f64;
            }
            if rng.chance(chance.min(0.97)) {
                AnswerGiven {
                    question: question.code.clone(),
                    answer: Answer::Yes,
                    reason: None,
                }
            } else {
                AnswerGiven {
                    question: question.code.clone(),
                    answer: Answer::No,
                    reason: Some(no_reason(rng, &standard.code, safe)),
                }
            }
        })
        .collect()
}

/// A moderator mostly agrees: each answer is changed with a small chance, to No with a reason.
fn moderated(rng: &mut DemoRng, first: &[AnswerGiven]) -> Vec<AnswerGiven> {
    first
        .iter()
        .map(|given| {
            if given.answer == Answer::Yes && rng.chance(0.08) {
                AnswerGiven {
                    question: given.question.clone(),
                    answer: Answer::No,
                    reason: Some(
                        "On a second reading the analysis does not cover the risk to children."
                            .to_owned(),
                    ),
                }
            } else {
                given.clone()
            }
        })
        .collect()
}

/// A live case as the audits see it: active, supervised (not pre-sentence) and allocated.
fn auditable(person: &Person, today: NaiveDate) -> Option<(Uuid, Option<NaiveDate>)> {
    let event = person
        .events
        .iter()
        .filter(|e| e.active)
        .max_by_key(|e| e.number)?;
    if event.case_type == CaseType::PreSentence {
        return None;
    }
    let allocation = person
        .allocations
        .iter()
        .find(|a| a.end_date.is_none_or(|end| end > today))?;
    let start = match event.case_type {
        CaseType::Licence => event.release_date.or(event.sentence_date),
        _ => event.sentence_date,
    };
    Some((allocation.team_id, start))
}

/// The first day of the quarter `day` falls in.
fn quarter_start(day: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    NaiveDate::from_ymd_opt(day.year(), (day.month0() / 3) * 3 + 1, 1).expect("a real day")
}

/// Adds the quality history to the region.
pub(crate) fn add(seed: u64, region: &mut DemoRegion, today: NaiveDate) {
    let mut rng = DemoRng::from_seed(seed ^ STREAM);
    let framework = Framework::by_code(HMIP_PDU_2023).expect("the 2023 framework exists");
    let Some(quality) = region
        .staff
        .iter()
        .find(|s| s.grade == Grade::QualityInspection)
        .map(|s| (s.id, format!("{} {}", s.first_name, s.last_name)))
    else {
        return;
    };
    let mut audits = Vec::new();
    for (index, pdu) in region.pdus.iter().enumerate() {
        let calibrated = index == 0;
        let head = region
            .staff
            .iter()
            .find(|s| s.grade == Grade::HeadOfPdu && s.pdu_id == Some(pdu.id))
            .map(|s| (s.id, format!("{} {}", s.first_name, s.last_name)));
        let mut candidates: Vec<(&Person, Uuid, Option<NaiveDate>)> = region
            .people
            .iter()
            .filter(|p| p.pdu_id == pdu.id)
            .filter_map(|p| auditable(p, today).map(|(team, start)| (p, team, start)))
            .collect();
        rng.shuffle(&mut candidates);
        let (quarters, per_quarter) = if calibrated {
            (4, CALIBRATED_PER_QUARTER)
        } else {
            (2, OTHER_PER_QUARTER)
        };
        let this_quarter = quarter_start(today);
        let mut picked = candidates.into_iter();
        for quarter in 0..quarters {
            // Oldest quarter first, so quarter 0 is the weakest.
            let from = this_quarter - chrono::Months::new(3 * (quarters - 1 - quarter) as u32);
            let days_in = ((from + chrono::Months::new(3)) - from).num_days();
            let last_day = (today - from).num_days().min(days_in - 1).max(0);
            for n in 0..per_quarter {
                let Some((person, team, start)) = picked.next() else {
                    break;
                };
                let audited_on = from + Duration::days(rng.range(0..=last_day));
                let recent = start.is_none_or(|s| (audited_on - s).num_days() < 42);
                let given = answers(&mut rng, &framework, calibrated, quarter, recent);
                let id = rng.id();
                audits.push(DemoAudit {
                    id,
                    framework: framework.code.clone(),
                    person_id: person.id,
                    team_id: Some(team),
                    pdu_id: pdu.id,
                    moderates: None,
                    audited_on,
                    auditor_id: quality.0,
                    auditor_name: quality.1.clone(),
                    answers: given.clone(),
                });
                if let Some((head_id, head_name)) =
                    head.as_ref().filter(|_| n % MODERATE_EVERY == 0)
                {
                    audits.push(DemoAudit {
                        id: rng.id(),
                        framework: framework.code.clone(),
                        person_id: person.id,
                        team_id: Some(team),
                        pdu_id: pdu.id,
                        moderates: Some(id),
                        audited_on: (audited_on + Duration::days(7)).min(today),
                        auditor_id: *head_id,
                        auditor_name: head_name.clone(),
                        answers: moderated(&mut rng, &given),
                    });
                }
            }
        }
    }
    let judgements = judgements(region, quality.0, today);
    let recommendations = recommendations(&mut rng, region, quality.0, today);
    add_oversight(&mut rng, region, today);
    region.quality = DemoQuality {
        audits,
        judgements,
        recommendations,
    };
}

/// The panel's judgements of the domain-one standards for the calibrated PDU and the region.
fn judgements(region: &DemoRegion, by: Uuid, today: NaiveDate) -> Vec<DemoJudgement> {
    let mut out = Vec::new();
    let on = today - Duration::days(30);
    let mut judge = |scope: DemoScope, standard: &str, rating: Rating, reason: &str| {
        out.push(DemoJudgement {
            framework: HMIP_PDU_2023.to_owned(),
            scope,
            standard: standard.to_owned(),
            decision: DemoDecision::Judgement,
            rating,
            reason: reason.to_owned(),
            recorded_by: by,
            recorded_on: on,
        });
    };
    if let Some(pdu) = region.pdus.first() {
        let scope = DemoScope::Pdu(pdu.id);
        judge(
            scope,
            "1.1",
            Rating::RequiresImprovement,
            "Leaders have a clear vision, but quality assurance has concentrated on targets rather than the quality of risk work.",
        );
        judge(
            scope,
            "1.2",
            Rating::Inadequate,
            "Probation officers hold 34 to 41 cases, at about 120% of capacity; a third of officer posts are vacant.",
        );
        judge(
            scope,
            "1.3",
            Rating::RequiresImprovement,
            "Accredited programmes have waits of up to a year; information sharing with the police is slow.",
        );
    }
    let scope = DemoScope::Region(region.region.id);
    judge(
        scope,
        "1.1",
        Rating::RequiresImprovement,
        "Regional leaders know the staffing pressures but have not yet improved public protection work.",
    );
    judge(
        scope,
        "1.2",
        Rating::RequiresImprovement,
        "Workloads are high across the region; recruitment is improving.",
    );
    judge(
        scope,
        "1.3",
        Rating::Good,
        "A good range of commissioned services, well used by practitioners.",
    );
    out
}

/// An action: description, owner, due in days from today (negative: past due), status.
type PlannedAction<'a> = (&'a str, &'a str, i64, ActionStatus);
/// A recommendation: text, the standard it concerns, its actions.
type PlannedRecommendation<'a> = (&'a str, Option<&'a str>, &'a [PlannedAction<'a>]);

/// The calibrated PDU's last inspection's recommendations and the action plan against them.
fn recommendations(
    rng: &mut DemoRng,
    region: &DemoRegion,
    by: Uuid,
    today: NaiveDate,
) -> Vec<DemoRecommendation> {
    let Some(pdu) = region.pdus.first() else {
        return Vec::new();
    };
    let made_on = today - Duration::days(200);
    let plan: [PlannedRecommendation<'_>; 3] = [
        (
            "Make sure every assessment of risk of harm uses police domestic-abuse and children's services information, and analyses it.",
            Some("2.1"),
            &[
                ("Request both checks at allocation for every new case", "Head of PDU", -120, ActionStatus::Done),
                ("Audit ten assessments a month for analysis of check responses", "Senior probation officers", -10, ActionStatus::InProgress),
            ],
        ),
        (
            "Review risk of harm after every significant change in circumstances, within the deadline.",
            Some("2.4"),
            &[
                ("Report overdue reviews to team meetings weekly", "Senior probation officers", -60, ActionStatus::Open),
                ("Train all officers on review triggers", "Learning and development lead", 45, ActionStatus::InProgress),
            ],
        ),
        (
            "Bring officers' workloads back within capacity.",
            Some("1.2"),
            &[
                ("Recruit six probation officers", "Head of PDU", 90, ActionStatus::InProgress),
                (
                    "Transfer unpaid work supervision to the regional hub",
                    "Regional director",
                    -30,
                    ActionStatus::Dropped {
                        reason: "The regional hub was not funded this year.".to_owned(),
                    },
                ),
            ],
        ),
    ];
    plan.into_iter()
        .map(|(text, standard, actions)| DemoRecommendation {
            id: rng.id(),
            scope: DemoScope::Pdu(pdu.id),
            framework: HMIP_PDU_2023.to_owned(),
            standard: standard.map(str::to_owned),
            text: text.to_owned(),
            made_by: "HM Inspectorate of Probation, PDU inspection".to_owned(),
            made_on,
            recorded_by: by,
            actions: actions
                .iter()
                .map(|(description, owner, due_in, status)| DemoAction {
                    id: rng.id(),
                    description: (*description).to_owned(),
                    owner: (*owner).to_owned(),
                    due: today + Duration::days(*due_in),
                    status: status.clone(),
                })
                .collect(),
        })
        .collect()
}

/// Management oversight on about half the allocated cases, by the team's senior officer.
fn add_oversight(rng: &mut DemoRng, region: &mut DemoRegion, today: NaiveDate) {
    use keepsafe_domain::quality::OversightKind;
    const NOTES: [(OversightKind, &str); 4] = [
        (
            OversightKind::Supervision,
            "Discussed progress and the police callout; agreed a home visit within two weeks.",
        ),
        (
            OversightKind::RiskReview,
            "Read the risk assessment: the analysis of risk to the children needs expanding.",
        ),
        (
            OversightKind::Decision,
            "Agreed a formal warning for the missed appointments rather than breach.",
        ),
        (
            OversightKind::AuditFeedback,
            "Fed back the case audit: planning lacked restrictive actions.",
        ),
    ];
    let seniors: Vec<(Option<Uuid>, Uuid)> = region
        .staff
        .iter()
        .filter(|s| s.grade == Grade::SeniorProbationOfficer)
        .map(|s| (s.team_id, s.id))
        .collect();
    for person in region.people.iter_mut() {
        let Some((team, _)) = auditable(person, today) else {
            continue;
        };
        let Some(senior) = seniors.iter().find(|(t, _)| *t == Some(team)).map(|s| s.1) else {
            continue;
        };
        if !rng.chance(0.55) {
            continue;
        }
        for _ in 0..rng.range(1..=2) {
            let (kind, note) = *rng.pick(&NOTES);
            person.oversight.push(DemoOversight {
                id: rng.id(),
                kind,
                recorded_on: today - Duration::days(rng.range(1..=150)),
                note: note.to_owned(),
                recorded_by: senior,
            });
        }
    }
}
