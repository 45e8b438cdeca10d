//! The planning indicators (standard 2.2): what the sentence plan in force says about the case
//! against the planning key questions (reference §3: planning prioritises the most critical risks,
//! sets out constructive and restrictive interventions, links to other agencies' work; and the
//! inspectorate's engagement prompts: the person is involved in drawing it up).
//!
//! Only an active plan counts: a draft is work in progress, not a plan anyone is working to. A
//! case without an active plan fails each indicator once a plan was due, and is not applicable
//! before then.

use super::{assessment_due, yes_no, CaseFacts, EvidenceKind, Finding, IndicatorRules};
use crate::calendar::{add_working_days, long_date, working_days_between};
use crate::checks::CheckKind;
use crate::plans::{ActionKind, ActionOwner};
use crate::review::is_overdue;
use crate::rosh::{RiskGroup, RoshLevel};
use crate::CodedValue;
use chrono::NaiveDate;
use uuid::Uuid;

/// An objective of the plan in force, as the indicators read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanObjectiveFacts {
    /// The risk groups it is linked to.
    pub risks: Vec<RiskGroup>,
    /// The kinds of its actions.
    pub kinds: Vec<ActionKind>,
    /// Who does its actions.
    pub owners: Vec<ActionOwner>,
    /// False once its progress is "no longer relevant": it no longer addresses anything.
    pub relevant: bool,
}

/// The sentence plan in force (the active one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanFacts {
    pub id: Uuid,
    /// When it became active.
    pub agreed_on: NaiveDate,
    /// When the first plan of this period of supervision became active (the plan in force may be
    /// a later revision); the timeliness indicator reads it.
    pub first_agreed_on: NaiveDate,
    pub persons_words_recorded: bool,
    pub agreement_answered: bool,
    pub objectives: Vec<PlanObjectiveFacts>,
}

/// When the first plan is due, or why none is expected: the same start as the assessment's.
fn plan_due(facts: &CaseFacts, rules: &IndicatorRules) -> Result<NaiveDate, String> {
    assessment_due(facts, rules)?;
    let start = facts.supervision_start.expect("due implies a start");
    Ok(add_working_days(start, rules.plan_due_working_days))
}

/// The finding for a case without an active plan: not applicable until one is due, then not met
/// saying what that leaves undone.
fn without_plan(facts: &CaseFacts, rules: &IndicatorRules, so: &str) -> Finding {
    match plan_due(facts, rules) {
        Err(reason) => Finding::not_applicable(format!(
            "No sentence plan is agreed and none is due: {}.",
            reason.to_lowercase()
        )),
        Ok(due) if !is_overdue(due, facts.today) => Finding::not_applicable(format!(
            "No sentence plan is agreed yet; one is not due until {}.",
            long_date(due)
        )),
        Ok(due) => Finding::not_met(format!(
            "No sentence plan was agreed by {}, so {so}.",
            long_date(due)
        )),
    }
    .fact("Sentence plan in force", "None")
}

fn risk_words(group: RiskGroup, level: RoshLevel) -> String {
    format!(
        "the risk to {} ({})",
        group.label().to_lowercase(),
        level.label().to_lowercase()
    )
}

/// Each risk group rated medium or above in the assessment in force is addressed by objectives
/// with both a constructive and a restrictive action.
pub(super) fn risks_addressed(facts: &CaseFacts, rules: &IndicatorRules) -> Finding {
    let Some(assessment) = &facts.assessment else {
        return Finding::not_applicable(
            "No risk of serious harm assessment is in force, so no risk has been identified to plan for.",
        );
    };
    let risks: Vec<(RiskGroup, RoshLevel)> = assessment
        .levels
        .iter()
        .copied()
        .filter(|(_, level)| *level >= RoshLevel::Medium)
        .collect();
    let identified = risks
        .iter()
        .map(|(group, level)| risk_words(*group, *level))
        .collect::<Vec<_>>();
    if risks.is_empty() {
        return Finding::not_applicable(
            "The assessment in force rates the risk to every group as low: no risk of serious harm to plan for.",
        )
        .evidence(EvidenceKind::Assessment, [assessment.id]);
    }
    let Some(plan) = &facts.plan else {
        return without_plan(facts, rules, "the risks identified are not addressed")
            .fact("Risks identified", identified.join("; "))
            .evidence(EvidenceKind::Assessment, [assessment.id]);
    };
    let mut gaps = Vec::new();
    for (group, level) in &risks {
        let linked: Vec<_> = plan
            .objectives
            .iter()
            .filter(|o| o.relevant && o.risks.contains(group))
            .collect();
        let has = |kind| linked.iter().any(|o| o.kinds.contains(&kind));
        let risk = risk_words(*group, *level);
        if linked.is_empty() {
            gaps.push(format!("{risk} is not linked to any objective"));
        } else {
            match (has(ActionKind::Constructive), has(ActionKind::Restrictive)) {
                (true, true) => {}
                (true, false) => gaps.push(format!("{risk} has no restrictive action")),
                (false, true) => gaps.push(format!("{risk} has no constructive action")),
                (false, false) => gaps.push(format!("{risk} has no action")),
            }
        }
    }
    let finding = if gaps.is_empty() {
        Finding::met(format!(
            "Each risk identified — {} — is addressed by objectives with constructive and restrictive actions.",
            identified.join(", ")
        ))
    } else {
        Finding::not_met(format!("In the plan in force, {}.", gaps.join("; ")))
    };
    finding
        .fact("Risks identified", identified.join("; "))
        .fact("Objectives in the plan", plan.objectives.len().to_string())
        .evidence(EvidenceKind::Assessment, [assessment.id])
        .evidence(EvidenceKind::Plan, [plan.id])
}

/// Why another agency's work is needed: which agency, and what calls for it.
fn agencies_needed(facts: &CaseFacts) -> Vec<(ActionOwner, String)> {
    let mut needed: Vec<(ActionOwner, String)> = Vec::new();
    let mut need = |owner: ActionOwner, why: String| {
        if !needed.iter().any(|(o, _)| *o == owner) {
            needed.push((owner, why));
        }
    };
    if facts.domestic_abuse_registration {
        need(
            ActionOwner::Police,
            "a domestic-abuse registration is active".into(),
        );
    }
    if facts.child_concern_registration {
        need(
            ActionOwner::ChildrensServices,
            "a registration concerning children is active".into(),
        );
    }
    for check in &facts.checks {
        let Some(received) = check.response_received_on else {
            continue;
        };
        match check.kind {
            CheckKind::PoliceDomesticAbuse => need(
                ActionOwner::Police,
                format!(
                    "the police answered a domestic-abuse check on {}",
                    long_date(received)
                ),
            ),
            CheckKind::ChildrensServices => need(
                ActionOwner::ChildrensServices,
                format!(
                    "children's services answered a check on {}",
                    long_date(received)
                ),
            ),
        }
    }
    needed
}

/// Where a domestic-abuse or child-concern registration, or a response from the police or
/// children's services, shows another agency is involved, the plan has an action by that agency.
pub(super) fn other_agencies(facts: &CaseFacts, rules: &IndicatorRules) -> Finding {
    let needed = agencies_needed(facts);
    let checks: Vec<Uuid> = facts
        .checks
        .iter()
        .filter(|c| c.response_received_on.is_some())
        .map(|c| c.id)
        .collect();
    if needed.is_empty() {
        return Finding::not_applicable(
            "There is no domestic-abuse or child-concern registration and no response from the police or children's services: no other agency's work to link to.",
        );
    }
    let reasons: Vec<String> = needed
        .iter()
        .map(|(owner, why)| format!("{} ({why})", owner.label()))
        .collect();
    let Some(plan) = &facts.plan else {
        return without_plan(facts, rules, "it links to no other agency's work")
            .fact("Agencies involved", reasons.join("; "))
            .evidence(EvidenceKind::Check, checks);
    };
    let missing: Vec<String> = needed
        .iter()
        .filter(|(owner, _)| {
            !plan
                .objectives
                .iter()
                .any(|o| o.relevant && o.owners.contains(owner))
        })
        .map(|(owner, why)| {
            format!(
                "no action by {} although {why}",
                owner.label().to_lowercase()
            )
        })
        .collect();
    let finding = if missing.is_empty() {
        Finding::met(format!(
            "The plan has actions by each agency involved: {}.",
            reasons.join("; ")
        ))
    } else {
        Finding::not_met(format!("The plan in force has {}.", missing.join("; ")))
    };
    finding
        .fact("Agencies involved", reasons.join("; "))
        .evidence(EvidenceKind::Plan, [plan.id])
        .evidence(EvidenceKind::Check, checks)
}

/// The person was involved: their own words about the plan are recorded and whether they agree
/// is answered.
pub(super) fn person_involved(facts: &CaseFacts, rules: &IndicatorRules) -> Finding {
    let Some(plan) = &facts.plan else {
        return without_plan(
            facts,
            rules,
            "the person's involvement in it cannot be seen",
        );
    };
    let finding = match (plan.persons_words_recorded, plan.agreement_answered) {
        (true, true) => Finding::met(
            "The person's own words about the plan are recorded, and whether they agree with it.",
        ),
        (false, true) => Finding::not_met(
            "Whether the person agrees is recorded, but not their own words about the plan.",
        ),
        (true, false) => Finding::not_met(
            "The person's words are recorded, but not whether they agree with the plan.",
        ),
        (false, false) => Finding::not_met(
            "Neither the person's own words about the plan nor whether they agree with it is recorded.",
        ),
    };
    finding
        .fact(
            "Person's words recorded",
            yes_no(plan.persons_words_recorded),
        )
        .fact("Agreement answered", yes_no(plan.agreement_answered))
        .evidence(EvidenceKind::Plan, [plan.id])
}

/// The first plan of this period of supervision was agreed within the configured working days of
/// supervision starting.
pub(super) fn plan_timely(facts: &CaseFacts, rules: &IndicatorRules) -> Finding {
    let due = match plan_due(facts, rules) {
        Err(reason) => return Finding::not_applicable(format!("{reason}.")),
        Ok(due) => due,
    };
    let start = facts.supervision_start.expect("due implies a start");
    let days = rules.plan_due_working_days;
    let finding = match facts.plan.as_ref().map(|p| p.first_agreed_on) {
        Some(on) if on <= due => Finding::met(format!(
            "The sentence plan was agreed on {}, within {days} working days of supervision starting on {} (due by {}).",
            long_date(on),
            long_date(start),
            long_date(due)
        )),
        Some(on) => Finding::not_met(format!(
            "The sentence plan was agreed on {}, {} working days after supervision started on {}; it was due by {} ({days} working days).",
            long_date(on),
            working_days_between(start, on),
            long_date(start),
            long_date(due)
        )),
        None if is_overdue(due, facts.today) => Finding::not_met(format!(
            "No sentence plan is agreed; one was due by {}, {days} working days after supervision started on {}.",
            long_date(due),
            long_date(start)
        )),
        None => Finding::not_applicable(format!(
            "No sentence plan is agreed yet; one is not due until {}.",
            long_date(due)
        )),
    };
    let finding = finding
        .fact("Supervision started", long_date(start))
        .fact("Plan due by", long_date(due));
    match &facts.plan {
        Some(plan) => finding.evidence(EvidenceKind::Plan, [plan.id]),
        None => finding,
    }
}
