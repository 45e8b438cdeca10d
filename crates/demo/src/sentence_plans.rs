//! Sentence plans for the supervised cases with a risk of serious harm assessment in force, so the
//! planning indicators (standard 2.2) show a realistic mix rather than all met or none.
//!
//! Calibrated to what inspectors report (reference §3, §12): most cases have an agreed plan, some
//! only a draft, some none; a plan for a high or very high case is countersigned by the team's
//! senior officer, and a few still wait for it. Each risk group rated medium or above has an
//! objective with constructive actions, but about a quarter lack a restrictive one; where domestic
//! abuse or children are a concern most plans (not all) have a police or children's-services
//! action; most record the person's own words and agreement. Plans older than the 16-week review
//! interval have been reviewed more often than not, so some are overdue for review.
//!
//! Drawn from a stream of its own (the seed, offset), so adding it left every earlier draw as it
//! was.

use crate::calendar::{add_days, at};
use crate::model::{DemoRegion, DemoSentencePlan, DemoSentencePlanReview, Person};
use crate::random::DemoRng;
use crate::risk::supervised;
use chrono::NaiveDate;
use keepsafe_domain::needs::Section;
use keepsafe_domain::plans::{
    ActionKind, ActionOwner, Agreement, Objective, PersonsView, PlanAction, PlanRules, PlanStatus,
    Progress, ReviewReason,
};
use keepsafe_domain::registration::RegistrationKind;
use keepsafe_domain::rosh::{AssessmentStatus, RiskGroup, RoshLevel};
use keepsafe_domain::staff::Grade;
use keepsafe_domain::text::LongText;
use std::collections::HashMap;

/// The stream offset of this module's draws.
const STREAM: u64 = 0x5e47_e4ce_9a1a_0001;
/// Assessed cases with no plan at all.
const NO_PLAN: f64 = 0.12;
/// Of the rest, the share with only a draft.
const DRAFT_ONLY: f64 = 0.14;
/// High and very high plans still waiting for the senior officer.
const AWAITING: f64 = 0.12;
/// An objective for a risk with no restrictive action.
const NO_RESTRICTIVE: f64 = 0.25;
/// Where the police or children's services are involved, the plan has an action by them.
const AGENCY_ACTION: f64 = 0.7;
/// The person's words and agreement recorded.
const WORDS: f64 = 0.8;
/// Of those, the person does not agree.
const DISAGREES: f64 = 0.1;
/// A plan past its review date that has been reviewed.
const REVIEWED: f64 = 0.65;

pub(crate) fn add(seed: u64, region: &mut DemoRegion, today: NaiveDate) {
    let mut rng = DemoRng::from_seed(seed ^ STREAM);
    let seniors: HashMap<uuid::Uuid, uuid::Uuid> = region
        .staff
        .iter()
        .filter(|s| s.grade == Grade::SeniorProbationOfficer)
        .filter_map(|s| s.team_id.map(|team| (team, s.id)))
        .collect();
    let rules = PlanRules::default();
    let mut plans = Vec::new();
    for person in &region.people {
        if let Some(plan) = plan_for(&mut rng, person, &seniors, &rules, today) {
            plans.push(plan);
        }
    }
    region.plans = plans;
}

fn text(words: &str) -> LongText {
    LongText::required(words).expect("the demo's words are short")
}

/// The needs an objective for `group` usually works on.
fn needs_for(group: RiskGroup) -> Vec<Section> {
    match group {
        RiskGroup::KnownAdult => vec![Section::Relationships, Section::ThinkingAndBehaviour],
        RiskGroup::Children => vec![Section::Relationships],
        RiskGroup::Public => vec![Section::Lifestyle, Section::ThinkingAndBehaviour],
        RiskGroup::Staff | RiskGroup::Prisoners => vec![Section::Attitudes],
    }
}

fn objective_words(group: RiskGroup) -> (&'static str, &'static str, &'static str) {
    match group {
        RiskGroup::KnownAdult => (
            "Have relationships without abuse or control",
            "Complete the Building Better Relationships programme",
            "Keep to the no-contact condition with his former partner",
        ),
        RiskGroup::Children => (
            "Keep children safe while rebuilding contact",
            "Work with the family support worker on safe contact",
            "Only see the children under the agreed supervised contact",
        ),
        RiskGroup::Public => (
            "Stay away from violence when out drinking",
            "Complete the Thinking Skills programme",
            "Keep to the exclusion zone and the curfew",
        ),
        RiskGroup::Staff | RiskGroup::Prisoners => (
            "Manage frustration with staff without threats",
            "One-to-one sessions on managing anger",
            "Report at the office only by appointment, with two staff present",
        ),
    }
}

fn plan_for(
    rng: &mut DemoRng,
    person: &Person,
    seniors: &HashMap<uuid::Uuid, uuid::Uuid>,
    rules: &PlanRules,
    today: NaiveDate,
) -> Option<DemoSentencePlan> {
    let allocation = supervised(person)?;
    let assessment = person
        .assessments
        .iter()
        .find(|a| a.status == AssessmentStatus::Completed)?;
    let assessed_on = assessment.completed_at?.date();
    if rng.chance(NO_PLAN) {
        return None;
    }
    let author = allocation.staff_id;
    let draft = rng.chance(DRAFT_ONLY);
    let starts_on = add_days(assessed_on, rng.range(1..=10)).min(today);
    let case_level = assessment.case_level;
    let due = |rng: &mut DemoRng| add_days(starts_on, rng.range(30..=180));

    let domestic_abuse = person.registrations.iter().any(|r| {
        r.ended_on.is_none()
            && matches!(
                r.kind,
                RegistrationKind::DomesticAbusePerpetrator | RegistrationKind::DomesticAbuseVictim
            )
    });
    let children = person
        .registrations
        .iter()
        .any(|r| r.ended_on.is_none() && r.kind.concerns_children());

    let mut objectives = Vec::new();
    for (group, level) in &assessment.levels {
        if *level < RoshLevel::Medium {
            continue;
        }
        let (description, constructive, restrictive) = objective_words(*group);
        let mut actions = vec![PlanAction {
            kind: ActionKind::Constructive,
            what: text(constructive),
            who: ActionOwner::Person,
            provider: String::new(),
            by_when: due(rng),
        }];
        if !rng.chance(NO_RESTRICTIVE) {
            actions.push(PlanAction {
                kind: ActionKind::Restrictive,
                what: text(restrictive),
                who: ActionOwner::Practitioner,
                provider: String::new(),
                by_when: due(rng),
            });
        }
        objectives.push(Objective {
            id: rng.id(),
            description: text(description),
            needs: needs_for(*group),
            risks: vec![*group],
            actions,
            progress: Progress::NotStarted,
            progress_note: LongText::default(),
        });
    }
    if let Some(first) = objectives.first_mut() {
        if domestic_abuse && rng.chance(AGENCY_ACTION) {
            first.actions.push(PlanAction {
                kind: ActionKind::Restrictive,
                what: text("Share call-outs to the address with the practitioner within a day"),
                who: ActionOwner::Police,
                provider: String::new(),
                by_when: due(rng),
            });
        }
        if children && rng.chance(AGENCY_ACTION) {
            first.actions.push(PlanAction {
                kind: ActionKind::Constructive,
                what: text("Attend the child protection core group and share the plan"),
                who: ActionOwner::ChildrensServices,
                provider: String::new(),
                by_when: due(rng),
            });
        }
    }
    let (description, section, what, provider) = *rng.pick(&[
        (
            "Find and keep work",
            Section::EducationTrainingEmployability,
            "Attend the employment support sessions",
            "Midchester Works",
        ),
        (
            "Keep a settled home",
            Section::Accommodation,
            "Meet the housing officer about the tenancy",
            "Midchester Housing Advice",
        ),
        (
            "Stop drinking to excess",
            Section::AlcoholMisuse,
            "Attend the alcohol treatment service",
            "Change Grow Live",
        ),
    ]);
    objectives.push(Objective {
        id: rng.id(),
        description: text(description),
        needs: vec![section],
        risks: Vec::new(),
        actions: vec![PlanAction {
            kind: ActionKind::Constructive,
            what: text(what),
            who: ActionOwner::Provider,
            provider: provider.to_owned(),
            by_when: due(rng),
        }],
        progress: Progress::NotStarted,
        progress_note: LongText::default(),
    });

    let persons_view = if rng.chance(WORDS) {
        if rng.chance(DISAGREES) {
            PersonsView {
                words: text("I don't see why I need a course. I've done nothing since."),
                agreement: Some(Agreement::Disagrees),
                disagreement_reason: text("Thinks the programme is a waste of his time."),
            }
        } else {
            PersonsView {
                words: text("I want to keep my job and see my kids. I'll do the course."),
                agreement: Some(Agreement::Agrees),
                disagreement_reason: LongText::default(),
            }
        }
    } else {
        PersonsView::default()
    };

    let senior = seniors.get(&allocation.team_id).copied();
    let high = case_level.is_some_and(RoshLevel::needs_countersignature);
    let status = if draft {
        PlanStatus::Draft
    } else if high && rng.chance(AWAITING) {
        PlanStatus::AwaitingCountersignature
    } else {
        PlanStatus::Active
    };
    let activated_on =
        (status == PlanStatus::Active).then(|| add_days(starts_on, rng.range(0..=14)).min(today));
    let mut reviews = Vec::new();
    let mut next_review_due = None;
    if let Some(active) = activated_on {
        let mut last = active;
        let mut due_on = rules.review_due(ReviewReason::Scheduled, last);
        while due_on < today && rng.chance(REVIEWED) {
            let reviewed_on = add_days(due_on, -rng.range(0..=10)).max(last);
            reviews.push(DemoSentencePlanReview {
                id: rng.id(),
                reviewed_on,
                note: "Progress discussed with him; objectives still right for the risks.".into(),
                by: author,
            });
            last = reviewed_on;
            due_on = rules.review_due(ReviewReason::Scheduled, last);
        }
        next_review_due = Some(due_on);
        for objective in &mut objectives {
            objective.progress = *rng.pick(&[
                Progress::NotStarted,
                Progress::InProgress,
                Progress::InProgress,
                Progress::Achieved,
            ]);
        }
    }
    Some(DemoSentencePlan {
        id: rng.id(),
        person_id: person.id,
        status,
        starts_on,
        persons_view,
        case_level: (!draft).then_some(case_level).flatten(),
        written_by: author,
        submitted_at: (!draft).then(|| at(starts_on, 15, 0)),
        countersigned_by: if status == PlanStatus::Active && high {
            senior
        } else {
            None
        },
        activated_on,
        objectives,
        reviews,
        next_review_due,
    })
}
