//! Automated quality indicators: what the record itself says about a case against the inspectorate's
//! key questions (reference §3, §4 and §12), computed for every case every day rather than for a
//! sample of 50 every few years.
//!
//! Why these indicators: they are the failures inspectors report most, and each can be read from
//! data keepsafe already holds — a risk assessment completed without the police domestic-abuse or
//! children's-services information, a check response received but never referenced in the
//! analysis, contact too infrequent for the level of risk, no home visit where domestic abuse or
//! children are a concern, reviews not done after a change in circumstances, and no management
//! oversight of the highest-risk cases.
//!
//! What they are not: an audit. An indicator reads only whether something was recorded, not
//! whether it was good; an auditor reads the case. So automated results are always labelled
//! [`Source::Automated`](super::Source) and never tallied with audit results, and every indicator
//! says in plain words, with the dates and counts, why it was met or not and which records it read
//! ([`Evidence`]), so a manager can open them.
//!
//! **Planning (standard 2.2)** reads the sentence plan in force ([`planning`]): each risk
//! identified has constructive and restrictive actions, the plan links to other agencies' work
//! where the case needs it (keeping safe), the person was involved (engagement), and the first
//! plan was agreed on time (desistance: the plan is how offending-related needs get addressed).
//! [`automated_answers`] answers any key question no indicator informs "Not answerable from the
//! record; audit it".
//!
//! Each indicator is one of three results: met, not met, or not applicable (the case does not need
//! it, or it is not yet due). An automated answer to a key question is Yes when every applicable
//! indicator informing it is met, No when any is not met, and Not applicable when none applies.
//!
//! The numbers in [`IndicatorRules`] are keepsafe's defaults, not national standards: the service
//! sets its own contact and oversight expectations, and a configured set carries its own version,
//! shown beside every result.

use super::audit::{Answer, AnswerGiven, CaseAudit};
use super::framework::{Focus, Framework};
use crate::calendar::{add_working_days, long_date, working_days_between};
use crate::checks::CheckKind;
use crate::coded_enum;
use crate::event::CaseType;
use crate::registration::MappaLevel;
use crate::review::{is_overdue, ReviewTrigger};
use crate::rosh::{CheckFact, RoshLevel};
use crate::supervision::contact::{ContactOutcome, ContactStatus, ContactType, FailureJudgement};
use crate::workload::{Explanation, Fact};
use crate::CodedValue;
use chrono::{Days, Months, NaiveDate};
use serde::Serialize;
use uuid::Uuid;

mod planning;
pub use planning::{PlanFacts, PlanObjectiveFacts};

/// The version of the indicator rules: stored and shown beside every automated result. Version 2
/// added the planning indicators, so rows stored under version 1 are recomputed.
pub const INDICATOR_RULE_VERSION: &str = "indicators-2026/2";

/// Attended contacts expected every four weeks at each risk of serious harm level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ContactsPerFourWeeks {
    pub low: u32,
    pub medium: u32,
    pub high: u32,
    pub very_high: u32,
}

impl ContactsPerFourWeeks {
    pub fn for_level(&self, level: RoshLevel) -> u32 {
        match level {
            RoshLevel::Low => self.low,
            RoshLevel::Medium => self.medium,
            RoshLevel::High => self.high,
            RoshLevel::VeryHigh => self.very_high,
        }
    }
}

/// The configurable numbers behind the indicators. The defaults are **keepsafe's defaults**, chosen
/// to be reasonable for a probation delivery unit; they are not national figures, and a unit that
/// sets others gives them a version of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorRules {
    /// Shown beside every result: [`INDICATOR_RULE_VERSION`] for the defaults.
    pub version: String,
    /// Working days (England and Wales) after supervision starts by which the first risk of
    /// serious harm assessment should be completed. Default 15.
    pub assessment_due_working_days: u32,
    /// How many weeks back contact frequency and attendance are measured. Default 12.
    pub contact_window_weeks: u32,
    /// Attended contacts expected per four weeks by risk level. Default Low 1, Medium 2, High 4,
    /// Very high 4.
    pub contacts_per_four_weeks: ContactsPerFourWeeks,
    /// Months within which a home visit is expected where domestic abuse or children are a
    /// concern. Default 6.
    pub home_visit_within_months: u32,
    /// Attendance at or above this percentage meets the attendance indicator. Default 80.
    pub attendance_threshold_percent: u32,
    /// Fewer counted appointments than this are too few to judge attendance. Default 3.
    pub min_appointments_for_attendance: usize,
    /// Days within which high-risk and MAPPA level 2 and 3 cases need a management oversight
    /// record. Default 91 (thirteen weeks).
    pub oversight_within_days: u32,
    /// Working days after supervision starts by which the first sentence plan should be agreed.
    /// Default 15, keepsafe's default (the same as the first risk assessment's).
    pub plan_due_working_days: u32,
}

impl Default for IndicatorRules {
    fn default() -> Self {
        Self {
            version: INDICATOR_RULE_VERSION.to_owned(),
            assessment_due_working_days: 15,
            contact_window_weeks: 12,
            contacts_per_four_weeks: ContactsPerFourWeeks {
                low: 1,
                medium: 2,
                high: 4,
                very_high: 4,
            },
            home_visit_within_months: 6,
            attendance_threshold_percent: 80,
            min_appointments_for_attendance: 3,
            oversight_within_days: 91,
            plan_due_working_days: 15,
        }
    }
}

/// The completed risk of serious harm assessment in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentFacts {
    pub id: Uuid,
    pub completed_on: NaiveDate,
    /// The "who is at risk" section is filled in.
    pub who_is_at_risk_recorded: bool,
    /// Household members (and known victims) the assessment had to consider.
    pub people_to_consider: usize,
    /// How many of them it considered.
    pub people_considered: usize,
    /// Check responses the analysis references ([`crate::rosh::CheckReference::check_id`]).
    pub referenced_check_ids: Vec<Uuid>,
    /// The level given to each risk group: the planning indicators look for an objective
    /// addressing each group at medium or above.
    pub levels: Vec<(crate::rosh::RiskGroup, RoshLevel)>,
}

/// A past appointment or contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactFacts {
    pub id: Uuid,
    pub on: NaiveDate,
    pub kind: ContactType,
    /// `None` when no outcome has been recorded.
    pub outcome: Option<ContactOutcome>,
    /// The judgement of a failure; `None` until judged or when there was no failure.
    pub judgement: Option<FailureJudgement>,
    /// Rescheduled and cancelled appointments are kept, but were never due.
    pub status: ContactStatus,
}

/// A review of the risk assessment triggered by a change in circumstances.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewFacts {
    pub id: Uuid,
    pub trigger: ReviewTrigger,
    /// When the change happened (or was learned of).
    pub occurred_on: NaiveDate,
    /// The deadline ([`crate::review::ReviewRules::due`]).
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
}

/// A management oversight record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OversightFacts {
    pub id: Uuid,
    pub recorded_on: NaiveDate,
}

/// What the indicators read about one case, filled by the storage layer. Plain data; ids are the
/// records' own so the web can link the evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub today: NaiveDate,
    pub case_type: CaseType,
    /// When this period of supervision started: the sentence date for a community case, the
    /// release date for a licence case, or the first allocation if the caller prefers — the caller
    /// decides and should use the same choice for every case. `None` when supervision has not
    /// started (pre-sentence) or the date is unknown.
    pub supervision_start: Option<NaiveDate>,
    /// The case's level from the assessment in force.
    pub rosh_level: Option<RoshLevel>,
    pub mappa_level: Option<MappaLevel>,
    /// A domestic-abuse perpetrator or victim registration is active.
    pub domestic_abuse_registration: bool,
    /// A registration concerning children is active ([`crate::registration::RegistrationKind::concerns_children`]).
    pub child_concern_registration: bool,
    /// A child lives in the household. With `child_concern_registration` this decides whether a
    /// children's-services check is needed — the same rule as the completion gate
    /// ([`crate::rosh::CompletionFacts::children_involved`]).
    pub children_in_household: bool,
    /// The completed risk of serious harm assessment in force.
    pub assessment: Option<AssessmentFacts>,
    /// When the first assessment of this period of supervision was completed, if it is not the
    /// one in force (a later review supersedes it); `None` uses the assessment in force. Without
    /// it, a timely first assessment later reviewed would look late.
    pub first_assessment_completed_on: Option<NaiveDate>,
    pub checks: Vec<CheckFact>,
    /// Past appointments; any dated after `today` are ignored.
    pub contacts: Vec<ContactFacts>,
    pub reviews: Vec<ReviewFacts>,
    pub oversight: Vec<OversightFacts>,
    /// The sentence plan in force (the active one), which the planning indicators read.
    pub plan: Option<PlanFacts>,
}

coded_enum! {
    /// An indicator's result for one case.
    pub enum IndicatorResult ("indicator result") {
        Met => "met", "Met",
        NotMet => "not_met", "Not met",
        NotApplicable => "not_applicable", "Not applicable",
    }
}

coded_enum! {
    /// What kind of record an indicator read.
    pub enum EvidenceKind ("evidence kind") {
        Check => "check", "Check",
        Assessment => "assessment", "Risk of serious harm assessment",
        Contact => "contact", "Contact",
        Review => "review", "Review",
        Oversight => "oversight", "Management oversight",
        Plan => "plan", "Sentence plan",
    }
}

super::serde_as_code!(IndicatorResult, EvidenceKind);

/// A record an indicator read, for the web to link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub kind: EvidenceKind,
    pub id: Uuid,
}

/// What an indicator is: its stable code, title, the standard and focus it informs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IndicatorDefinition {
    pub code: &'static str,
    pub title: &'static str,
    /// The inspection standard it informs: "2.1", "2.2", "2.3", "2.4".
    pub standard: &'static str,
    pub focus: Focus,
}

pub const POLICE_CHECK: IndicatorDefinition = IndicatorDefinition {
    code: "2.1.police_check",
    title: "Police domestic-abuse information obtained",
    standard: "2.1",
    focus: Focus::KeepingSafe,
};
pub const CHILDRENS_CHECK: IndicatorDefinition = IndicatorDefinition {
    code: "2.1.childrens_check",
    title: "Children's-services information obtained",
    standard: "2.1",
    focus: Focus::KeepingSafe,
};
pub const CHECKS_ANALYSED: IndicatorDefinition = IndicatorDefinition {
    code: "2.1.checks_analysed",
    title: "Check responses referenced in the risk analysis",
    standard: "2.1",
    focus: Focus::KeepingSafe,
};
pub const ASSESSMENT_TIMELY: IndicatorDefinition = IndicatorDefinition {
    code: "2.1.assessment_timely",
    title: "Risk of serious harm assessment completed on time",
    standard: "2.1",
    focus: Focus::KeepingSafe,
};
pub const PEOPLE_AT_RISK: IndicatorDefinition = IndicatorDefinition {
    code: "2.1.people_at_risk",
    title: "People at risk identified and the household considered",
    standard: "2.1",
    focus: Focus::KeepingSafe,
};
pub const RISKS_ADDRESSED: IndicatorDefinition = IndicatorDefinition {
    code: "2.2.risks_addressed",
    title: "Each risk identified has constructive and restrictive actions",
    standard: "2.2",
    focus: Focus::KeepingSafe,
};
pub const OTHER_AGENCIES: IndicatorDefinition = IndicatorDefinition {
    code: "2.2.other_agencies",
    title: "The plan links to other agencies' work",
    standard: "2.2",
    focus: Focus::KeepingSafe,
};
pub const PERSON_INVOLVED: IndicatorDefinition = IndicatorDefinition {
    code: "2.2.person_involved",
    title: "The person was involved in their plan",
    standard: "2.2",
    focus: Focus::Engaging,
};
pub const PLAN_TIMELY: IndicatorDefinition = IndicatorDefinition {
    code: "2.2.plan_timely",
    title: "Sentence plan agreed on time",
    standard: "2.2",
    focus: Focus::Desistance,
};
pub const CONTACT_FREQUENCY: IndicatorDefinition = IndicatorDefinition {
    code: "2.3.contact_frequency",
    title: "Contact frequent enough for the level of risk",
    standard: "2.3",
    focus: Focus::KeepingSafe,
};
pub const HOME_VISIT: IndicatorDefinition = IndicatorDefinition {
    code: "2.3.home_visit",
    title: "Home visit where domestic abuse or children are a concern",
    standard: "2.3",
    focus: Focus::KeepingSafe,
};
pub const ATTENDANCE: IndicatorDefinition = IndicatorDefinition {
    code: "2.3.attendance",
    title: "Appointments attended",
    standard: "2.3",
    focus: Focus::Engaging,
};
pub const REVIEWS: IndicatorDefinition = IndicatorDefinition {
    code: "2.4.reviews",
    title: "Reviews after changes in circumstances completed on time",
    standard: "2.4",
    focus: Focus::KeepingSafe,
};
pub const OVERSIGHT: IndicatorDefinition = IndicatorDefinition {
    code: "2.4.oversight",
    title: "Management oversight of high-risk and MAPPA cases",
    standard: "2.4",
    focus: Focus::KeepingSafe,
};

/// Every indicator, in the order [`indicators`] returns them.
pub const CATALOGUE: &[IndicatorDefinition] = &[
    POLICE_CHECK,
    CHILDRENS_CHECK,
    CHECKS_ANALYSED,
    ASSESSMENT_TIMELY,
    PEOPLE_AT_RISK,
    RISKS_ADDRESSED,
    OTHER_AGENCIES,
    PERSON_INVOLVED,
    PLAN_TIMELY,
    CONTACT_FREQUENCY,
    HOME_VISIT,
    ATTENDANCE,
    REVIEWS,
    OVERSIGHT,
];

/// One indicator's result for one case, with the reason in plain words and the records read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indicator {
    pub code: &'static str,
    pub title: &'static str,
    pub standard: &'static str,
    pub focus: Focus,
    pub result: IndicatorResult,
    /// Why, with the dates and counts: "The assessment was completed on 15 June 2026 without a
    /// police domestic-abuse check being requested."
    pub why: String,
    /// The facts the rule read, as a person reads them.
    pub facts: Vec<Fact>,
    pub evidence: Vec<Evidence>,
    pub rule_version: String,
}

impl Indicator {
    /// The working as an [`Explanation`], for pages that show every rule's working the same way.
    pub fn explanation(&self) -> Explanation {
        let mut explanation = Explanation::new(self.rule_version.clone());
        explanation.inputs = self.facts.clone();
        explanation
            .step(self.why.clone())
            .step(format!("{}: {}", self.title, self.result.label()))
    }

    /// Whether the indicator informs a key question of `standard` with `focus`.
    pub fn informs(&self, standard: &str, focus: Focus) -> bool {
        self.standard == standard && focus.covers(self.focus)
    }
}

/// The result before it is labelled with its definition.
struct Finding {
    result: IndicatorResult,
    why: String,
    facts: Vec<Fact>,
    evidence: Vec<Evidence>,
}

impl Finding {
    fn new(result: IndicatorResult, why: impl Into<String>) -> Self {
        Self {
            result,
            why: why.into(),
            facts: Vec::new(),
            evidence: Vec::new(),
        }
    }
    fn met(why: impl Into<String>) -> Self {
        Self::new(IndicatorResult::Met, why)
    }
    fn not_met(why: impl Into<String>) -> Self {
        Self::new(IndicatorResult::NotMet, why)
    }
    fn not_applicable(why: impl Into<String>) -> Self {
        Self::new(IndicatorResult::NotApplicable, why)
    }
    fn fact(mut self, name: &str, value: impl Into<String>) -> Self {
        self.facts.push(Fact {
            name: name.to_owned(),
            value: value.into(),
        });
        self
    }
    fn evidence(mut self, kind: EvidenceKind, ids: impl IntoIterator<Item = Uuid>) -> Self {
        for id in ids {
            let item = Evidence { kind, id };
            if !self.evidence.contains(&item) {
                self.evidence.push(item);
            }
        }
        self
    }
}

/// Every indicator in [`CATALOGUE`] for one case, in catalogue order.
pub fn indicators(facts: &CaseFacts, rules: &IndicatorRules) -> Vec<Indicator> {
    let findings = [
        (
            POLICE_CHECK,
            check_obtained(facts, rules, CheckKind::PoliceDomesticAbuse),
        ),
        (CHILDRENS_CHECK, childrens_check(facts, rules)),
        (CHECKS_ANALYSED, checks_analysed(facts)),
        (ASSESSMENT_TIMELY, assessment_timely(facts, rules)),
        (PEOPLE_AT_RISK, people_at_risk(facts)),
        (RISKS_ADDRESSED, planning::risks_addressed(facts, rules)),
        (OTHER_AGENCIES, planning::other_agencies(facts, rules)),
        (PERSON_INVOLVED, planning::person_involved(facts, rules)),
        (PLAN_TIMELY, planning::plan_timely(facts, rules)),
        (CONTACT_FREQUENCY, contact_frequency(facts, rules)),
        (HOME_VISIT, home_visit(facts, rules)),
        (ATTENDANCE, attendance(facts, rules)),
        (REVIEWS, reviews(facts)),
        (OVERSIGHT, oversight(facts, rules)),
    ];
    findings
        .into_iter()
        .map(|(definition, finding)| Indicator {
            code: definition.code,
            title: definition.title,
            standard: definition.standard,
            focus: definition.focus,
            result: finding.result,
            why: finding.why,
            facts: finding.facts,
            evidence: finding.evidence,
            rule_version: rules.version.clone(),
        })
        .collect()
}

fn short_kind(kind: CheckKind) -> &'static str {
    match kind {
        CheckKind::PoliceDomesticAbuse => "police domestic-abuse check",
        CheckKind::ChildrensServices => "children's-services check",
    }
}

/// When the first assessment is due, or why none is expected.
fn assessment_due(facts: &CaseFacts, rules: &IndicatorRules) -> Result<NaiveDate, String> {
    if facts.case_type == CaseType::PreSentence {
        return Err("The case is pre-sentence: supervision has not started".to_owned());
    }
    match facts.supervision_start {
        None => Err("No start of supervision is recorded".to_owned()),
        Some(start) => Ok(add_working_days(start, rules.assessment_due_working_days)),
    }
}

fn answered(check: &CheckFact, by: NaiveDate) -> bool {
    check.response_received_on.is_some_and(|on| on <= by)
}

fn check_obtained(facts: &CaseFacts, rules: &IndicatorRules, kind: CheckKind) -> Finding {
    let name = short_kind(kind);
    let of_kind: Vec<&CheckFact> = facts.checks.iter().filter(|c| c.kind == kind).collect();
    let ids: Vec<Uuid> = of_kind.iter().map(|c| c.id).collect();
    let finding = match &facts.assessment {
        Some(assessment) => {
            let completed = assessment.completed_on;
            let finding = if let Some(check) = of_kind.iter().find(|c| answered(c, completed)) {
                Finding::met(format!(
                    "The {name} requested on {} was answered on {}, by the time the assessment was completed on {}.",
                    long_date(check.requested_on),
                    long_date(check.response_received_on.expect("answered")),
                    long_date(completed)
                ))
            } else if let Some(check) = of_kind.iter().find(|c| c.authorised_without_response) {
                Finding::met(format!(
                    "Completion of the assessment without the response to the {name} requested on {} was authorised after its deadline of {}.",
                    long_date(check.requested_on),
                    long_date(check.deadline)
                ))
            } else if let Some(check) = of_kind.iter().find(|c| c.response_received_on.is_some()) {
                Finding::not_met(format!(
                    "The response to the {name} arrived on {}, after the assessment was completed on {}: review the assessment with it.",
                    long_date(check.response_received_on.expect("answered")),
                    long_date(completed)
                ))
            } else if let Some(check) = of_kind.first() {
                Finding::not_met(format!(
                    "The assessment was completed on {} without the response to the {name} requested on {} and without authorisation to complete without it.",
                    long_date(completed),
                    long_date(check.requested_on)
                ))
            } else {
                Finding::not_met(format!(
                    "The assessment was completed on {} without a {name} being requested.",
                    long_date(completed)
                ))
            };
            finding.evidence(EvidenceKind::Assessment, [assessment.id])
        }
        None => match assessment_due(facts, rules) {
            Err(reason) => Finding::not_applicable(format!(
                "No assessment is completed and none is due yet: {}.",
                reason.to_lowercase()
            )),
            Ok(due) if !is_overdue(due, facts.today) => Finding::not_applicable(format!(
                "No assessment is completed yet; it is not due until {}.",
                long_date(due)
            )),
            Ok(due) => {
                if let Some(check) = of_kind.iter().find(|c| answered(c, facts.today)) {
                    Finding::met(format!(
                        "The {name} was answered on {}, though the assessment it informs was due by {} and is not completed.",
                        long_date(check.response_received_on.expect("answered")),
                        long_date(due)
                    ))
                } else if of_kind.iter().any(|c| c.authorised_without_response) {
                    Finding::met(format!(
                        "Going ahead without the {name} response was authorised, though the assessment due by {} is not completed.",
                        long_date(due)
                    ))
                } else if let Some(check) = of_kind.first() {
                    Finding::not_met(format!(
                        "The assessment was due by {} and the {name} requested on {} has not been answered.",
                        long_date(due),
                        long_date(check.requested_on)
                    ))
                } else {
                    Finding::not_met(format!(
                        "The assessment was due by {} and no {name} has been requested.",
                        long_date(due)
                    ))
                }
            }
        },
    };
    finding
        .fact(&format!("{name}s recorded"), of_kind.len().to_string())
        .evidence(EvidenceKind::Check, ids)
}

fn childrens_check(facts: &CaseFacts, rules: &IndicatorRules) -> Finding {
    if !facts.children_in_household && !facts.child_concern_registration {
        return Finding::not_applicable(
            "No child lives in the household and there is no registration concerning children, so no children's-services check is needed.",
        )
        .fact("Child in the household", "No")
        .fact("Registration concerning children", "No");
    }
    check_obtained(facts, rules, CheckKind::ChildrensServices)
        .fact(
            "Child in the household",
            yes_no(facts.children_in_household),
        )
        .fact(
            "Registration concerning children",
            yes_no(facts.child_concern_registration),
        )
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "Yes"
    } else {
        "No"
    }
}

fn checks_analysed(facts: &CaseFacts) -> Finding {
    let Some(assessment) = &facts.assessment else {
        return Finding::not_applicable("No completed assessment to read.");
    };
    let completed = assessment.completed_on;
    let received: Vec<&CheckFact> = facts
        .checks
        .iter()
        .filter(|c| answered(c, completed))
        .collect();
    if received.is_empty() {
        return Finding::not_applicable(format!(
            "No check response had arrived by the time the assessment was completed on {}.",
            long_date(completed)
        ))
        .evidence(EvidenceKind::Assessment, [assessment.id]);
    }
    let unreferenced: Vec<&CheckFact> = received
        .iter()
        .copied()
        .filter(|c| !assessment.referenced_check_ids.contains(&c.id))
        .collect();
    let finding = if unreferenced.is_empty() {
        Finding::met(format!(
            "All {} check responses received by {} are referenced in the risk analysis.",
            received.len(),
            long_date(completed)
        ))
        .evidence(EvidenceKind::Check, received.iter().map(|c| c.id))
    } else {
        let listed: Vec<String> = unreferenced
            .iter()
            .map(|c| {
                format!(
                    "the {} response received on {}",
                    short_kind(c.kind),
                    long_date(c.response_received_on.expect("answered"))
                )
            })
            .collect();
        Finding::not_met(format!(
            "The assessment completed on {} does not reference {}: received but not analysed.",
            long_date(completed),
            listed.join(" or ")
        ))
        .evidence(EvidenceKind::Check, unreferenced.iter().map(|c| c.id))
    };
    finding
        .fact(
            "Responses received by completion",
            received.len().to_string(),
        )
        .fact(
            "Responses referenced",
            (received.len() - unreferenced.len()).to_string(),
        )
        .evidence(EvidenceKind::Assessment, [assessment.id])
}

fn assessment_timely(facts: &CaseFacts, rules: &IndicatorRules) -> Finding {
    let due = match assessment_due(facts, rules) {
        Err(reason) => return Finding::not_applicable(format!("{reason}.")),
        Ok(due) => due,
    };
    let start = facts.supervision_start.expect("due implies a start");
    let days = rules.assessment_due_working_days;
    let completed = facts
        .first_assessment_completed_on
        .or(facts.assessment.as_ref().map(|a| a.completed_on));
    let finding = match completed {
        Some(on) if on <= due => Finding::met(format!(
            "The assessment was completed on {}, within {days} working days of supervision starting on {} (due by {}).",
            long_date(on),
            long_date(start),
            long_date(due)
        )),
        Some(on) => Finding::not_met(format!(
            "The assessment was completed on {}, {} working days after supervision started on {}; it was due by {} ({days} working days).",
            long_date(on),
            working_days_between(start, on),
            long_date(start),
            long_date(due)
        )),
        None if is_overdue(due, facts.today) => Finding::not_met(format!(
            "No assessment is completed; it was due by {}, {days} working days after supervision started on {}.",
            long_date(due),
            long_date(start)
        )),
        None => Finding::not_applicable(format!(
            "No assessment is completed yet; it is not due until {}.",
            long_date(due)
        )),
    };
    let finding = finding
        .fact("Supervision started", long_date(start))
        .fact("Assessment due by", long_date(due));
    match &facts.assessment {
        Some(assessment) => finding.evidence(EvidenceKind::Assessment, [assessment.id]),
        None => finding,
    }
}

fn people_at_risk(facts: &CaseFacts) -> Finding {
    let Some(assessment) = &facts.assessment else {
        return Finding::not_applicable("No completed assessment to read.");
    };
    let mut missing = Vec::new();
    if !assessment.who_is_at_risk_recorded {
        missing.push("does not say who is at risk".to_owned());
    }
    if assessment.people_considered < assessment.people_to_consider {
        missing.push(format!(
            "considers {} of the {} people in the household",
            assessment.people_considered, assessment.people_to_consider
        ));
    }
    let finding = if missing.is_empty() {
        Finding::met(format!(
            "The assessment says who is at risk and considers all {} people in the household.",
            assessment.people_to_consider
        ))
    } else {
        Finding::not_met(format!(
            "The assessment completed on {} {}.",
            long_date(assessment.completed_on),
            missing.join(" and ")
        ))
    };
    finding
        .fact(
            "Who is at risk recorded",
            yes_no(assessment.who_is_at_risk_recorded),
        )
        .fact(
            "People to consider",
            assessment.people_to_consider.to_string(),
        )
        .fact(
            "People considered",
            assessment.people_considered.to_string(),
        )
        .evidence(EvidenceKind::Assessment, [assessment.id])
}

fn attended(outcome: Option<ContactOutcome>) -> bool {
    outcome.is_some_and(ContactOutcome::attended)
}

fn absence_judged(contact: &ContactFacts, judgement: FailureJudgement) -> bool {
    contact.outcome == Some(ContactOutcome::FailedToAttend) && contact.judgement == Some(judgement)
}

/// Unpaid work and programme sessions deliver requirements; they are not supervision contact.
/// System events (an assessment completed, a warning letter sent) are not contact at all.
fn is_supervision_contact(kind: ContactType) -> bool {
    !kind.is_system_event()
        && !matches!(
            kind,
            ContactType::UnpaidWorkSession | ContactType::ProgrammeSession
        )
}

/// The first day of the contact window ending on `today` (inclusive).
fn window_first_day(facts: &CaseFacts, rules: &IndicatorRules) -> NaiveDate {
    let days = u64::from(rules.contact_window_weeks) * 7;
    facts.today - Days::new(days.saturating_sub(1))
}

fn in_community(facts: &CaseFacts) -> Result<(), String> {
    match facts.case_type {
        CaseType::Community | CaseType::Licence => Ok(()),
        other => Err(format!(
            "The case type is {}: contact in the community is not expected",
            other.label().to_lowercase()
        )),
    }
}

fn contact_frequency(facts: &CaseFacts, rules: &IndicatorRules) -> Finding {
    if let Err(reason) = in_community(facts) {
        return Finding::not_applicable(format!("{reason}."));
    }
    let Some(level) = facts.rosh_level else {
        return Finding::not_applicable("No risk of serious harm level is in force.");
    };
    let Some(start) = facts.supervision_start else {
        return Finding::not_applicable("No start of supervision is recorded.");
    };
    if start > facts.today {
        return Finding::not_applicable(format!("Supervision starts on {}.", long_date(start)));
    }
    let from = window_first_day(facts, rules).max(start);
    let days = (facts.today - from).num_days() + 1;
    let per_four_weeks = rules.contacts_per_four_weeks.for_level(level);
    let expected = u64::from(per_four_weeks) * days as u64 / 28;
    if expected == 0 {
        return Finding::not_applicable(format!(
            "Supervision started on {}, too recently to expect a contact yet at {per_four_weeks} every four weeks.",
            long_date(start)
        ))
        .fact("Risk of serious harm", level.label());
    }
    let counted: Vec<&ContactFacts> = facts
        .contacts
        .iter()
        .filter(|c| c.on >= from && c.on <= facts.today)
        .filter(|c| is_supervision_contact(c.kind) && attended(c.outcome))
        .collect();
    let count = counted.len() as u64;
    let working = format!(
        "{count} contacts attended from {} to {}; at least {expected} expected for a {} risk of serious harm case ({per_four_weeks} every four weeks over {days} days).",
        long_date(from),
        long_date(facts.today),
        level.label().to_lowercase()
    );
    let finding = if count >= expected {
        Finding::met(working)
    } else {
        Finding::not_met(working)
    };
    finding
        .fact("Risk of serious harm", level.label())
        .fact("Contacts attended", count.to_string())
        .fact("Contacts expected", expected.to_string())
        .evidence(EvidenceKind::Contact, counted.iter().map(|c| c.id))
}

fn home_visit(facts: &CaseFacts, rules: &IndicatorRules) -> Finding {
    let concern = match (
        facts.domestic_abuse_registration,
        facts.child_concern_registration,
    ) {
        (false, false) => {
            return Finding::not_applicable(
                "There is no domestic-abuse registration and no registration concerning children, so a home visit is not required.",
            )
        }
        (true, false) => "a domestic-abuse registration",
        (false, true) => "a registration concerning children",
        (true, true) => "domestic-abuse and child-concern registrations",
    };
    if let Err(reason) = in_community(facts) {
        return Finding::not_applicable(format!("{reason}."));
    }
    let months = rules.home_visit_within_months;
    let since = facts.today - Months::new(months);
    let visits: Vec<&ContactFacts> = facts
        .contacts
        .iter()
        .filter(|c| c.kind == ContactType::HomeVisit && attended(c.outcome) && c.on <= facts.today)
        .collect();
    let recent = visits.iter().filter(|c| c.on >= since).max_by_key(|c| c.on);
    let finding = if let Some(visit) = recent {
        Finding::met(format!(
            "The case has {concern}; the home was visited on {}, within the last {months} months.",
            long_date(visit.on)
        ))
        .evidence(EvidenceKind::Contact, [visit.id])
    } else if let Some(start) = facts.supervision_start.filter(|s| *s > since) {
        Finding::not_applicable(format!(
            "The case has {concern}; supervision started on {}, so the first home visit is due by {}.",
            long_date(start),
            long_date(start + Months::new(months))
        ))
    } else {
        let last = visits
            .iter()
            .max_by_key(|c| c.on)
            .map(|c| format!(" The last home visit was on {}.", long_date(c.on)))
            .unwrap_or_else(|| " No home visit is recorded.".to_owned());
        Finding::not_met(format!(
            "The case has {concern} and the home has not been visited in the last {months} months (since {}).{last}",
            long_date(since)
        ))
        .evidence(EvidenceKind::Contact, visits.iter().map(|c| c.id))
    };
    finding.fact(
        "Home visits in the window",
        recent.map_or(0, |_| 1).to_string(),
    )
}

fn attendance(facts: &CaseFacts, rules: &IndicatorRules) -> Finding {
    let from = window_first_day(facts, rules);
    let today = facts.today;
    // System events are entries keepsafe writes, not appointments the person could miss.
    let window: Vec<&ContactFacts> = facts
        .contacts
        .iter()
        .filter(|c| c.on >= from && c.on <= today && !c.kind.is_system_event())
        .collect();
    let (due, moved): (Vec<&ContactFacts>, Vec<&ContactFacts>) = window
        .into_iter()
        .partition(|c| c.status == ContactStatus::Arranged);
    let window = due;
    let went: Vec<&ContactFacts> = window
        .iter()
        .copied()
        .filter(|c| attended(c.outcome))
        .collect();
    let missed: Vec<&ContactFacts> = window
        .iter()
        .copied()
        .filter(|c| absence_judged(c, FailureJudgement::Unacceptable))
        .collect();
    // An appointment today may simply not have been written up yet; an absence waiting for
    // evidence is not judged yet either.
    let unrecorded: Vec<&ContactFacts> = window
        .iter()
        .copied()
        .filter(|c| {
            (c.outcome.is_none() && c.on < today)
                || absence_judged(c, FailureJudgement::AwaitingEvidence)
        })
        .collect();
    let excused = window
        .iter()
        .filter(|c| absence_judged(c, FailureJudgement::Acceptable))
        .count()
        + moved.len();
    let counted = went.len() + missed.len() + unrecorded.len();
    let weeks = rules.contact_window_weeks;
    if counted < rules.min_appointments_for_attendance {
        return Finding::not_applicable(format!(
            "Only {counted} appointments count in the last {weeks} weeks; at least {} are needed to judge attendance.",
            rules.min_appointments_for_attendance
        ))
        .fact("Appointments counted", counted.to_string());
    }
    let threshold = rules.attendance_threshold_percent as usize;
    let percent = went.len() * 100 / counted;
    let working = format!(
        "{} of {counted} appointments attended in the last {weeks} weeks ({percent}%; at least {threshold}% needed): {} unacceptable absences and {} with no outcome recorded; {excused} acceptable absences or rescheduled appointments not counted.",
        went.len(),
        missed.len(),
        unrecorded.len()
    );
    let met = went.len() * 100 >= threshold * counted;
    let finding = if met {
        Finding::met(working).evidence(EvidenceKind::Contact, went.iter().map(|c| c.id))
    } else {
        Finding::not_met(working).evidence(
            EvidenceKind::Contact,
            missed.iter().chain(unrecorded.iter()).map(|c| c.id),
        )
    };
    finding
        .fact("Attended", went.len().to_string())
        .fact("Unacceptable absences", missed.len().to_string())
        .fact("No outcome recorded", unrecorded.len().to_string())
        .fact("Acceptable absences and rescheduled", excused.to_string())
}

fn reviews(facts: &CaseFacts) -> Finding {
    if facts.reviews.is_empty() {
        return Finding::not_applicable(
            "No review has been triggered by a change in circumstances.",
        );
    }
    let mut failures = Vec::new();
    let mut failed_ids = Vec::new();
    let mut on_time = Vec::new();
    let mut pending = 0;
    for review in &facts.reviews {
        let change = format!(
            "{} on {}",
            review.trigger.label(),
            long_date(review.occurred_on)
        );
        match review.completed_on {
            Some(done) if done <= review.due_on => on_time.push(review.id),
            Some(done) => {
                failures.push(format!(
                    "{change}: reviewed on {}, after it was due by {}",
                    long_date(done),
                    long_date(review.due_on)
                ));
                failed_ids.push(review.id);
            }
            None if is_overdue(review.due_on, facts.today) => {
                failures.push(format!(
                    "{change}: still not reviewed, due by {}",
                    long_date(review.due_on)
                ));
                failed_ids.push(review.id);
            }
            None => pending += 1,
        }
    }
    let finding = if !failures.is_empty() {
        Finding::not_met(format!("{}.", failures.join("; ")))
            .evidence(EvidenceKind::Review, failed_ids)
    } else if on_time.is_empty() {
        Finding::not_applicable(format!(
            "{pending} reviews after a change in circumstances are open and not yet due."
        ))
    } else {
        let open = if pending > 0 {
            format!(" {pending} more are open and not yet due.")
        } else {
            String::new()
        };
        Finding::met(format!(
            "All {} reviews after a change in circumstances were completed by their due dates.{open}",
            on_time.len()
        ))
        .evidence(EvidenceKind::Review, on_time.iter().copied())
    };
    finding.fact("Reviews triggered", facts.reviews.len().to_string())
}

fn oversight(facts: &CaseFacts, rules: &IndicatorRules) -> Finding {
    let mut reasons = Vec::new();
    if let Some(level) = facts.rosh_level.filter(|l| l.needs_countersignature()) {
        reasons.push(format!(
            "{} risk of serious harm",
            level.label().to_lowercase()
        ));
    }
    if let Some(level) = facts.mappa_level.filter(|l| *l != MappaLevel::Ordinary) {
        reasons.push(format!("MAPPA level {}", level.code()));
    }
    if reasons.is_empty() {
        return Finding::not_applicable(
            "Management oversight is expected only of high or very high risk of serious harm and MAPPA level 2 and 3 cases.",
        );
    }
    let because = reasons.join(" and ");
    let days = rules.oversight_within_days;
    let since = facts.today - Days::new(u64::from(days));
    let latest = facts
        .oversight
        .iter()
        .filter(|o| o.recorded_on <= facts.today)
        .max_by_key(|o| o.recorded_on);
    let finding = match latest {
        Some(record) if record.recorded_on >= since => Finding::met(format!(
            "The case has {because}; management oversight was recorded on {}, within the last {days} days.",
            long_date(record.recorded_on)
        ))
        .evidence(EvidenceKind::Oversight, [record.id]),
        _ if facts.supervision_start.is_some_and(|s| s > since) => {
            Finding::not_applicable(format!(
                "The case has {because}; supervision started on {}, so management oversight is due by {}.",
                long_date(facts.supervision_start.expect("checked")),
                long_date(facts.supervision_start.expect("checked") + Days::new(u64::from(days)))
            ))
        }
        Some(record) => Finding::not_met(format!(
            "The case has {because} and no management oversight is recorded in the last {days} days (since {}); the last was on {}.",
            long_date(since),
            long_date(record.recorded_on)
        ))
        .evidence(EvidenceKind::Oversight, [record.id]),
        None => Finding::not_met(format!(
            "The case has {because} and no management oversight has ever been recorded."
        )),
    };
    finding.fact("Oversight required because", because)
}

/// The reason given when no indicator exists for a key question.
pub const NOT_ANSWERABLE: &str = "Not answerable from the record; audit it";
/// The reason given when indicators exist for a key question but none applies to the case.
pub const NO_INDICATOR_APPLIES: &str = "No automated indicator applies";

/// One automated answer per case key question of `framework`, in framework order: Yes when every
/// applicable indicator informing the question (same standard, focus covered) is met; No when any
/// is not met, naming them; Not applicable when none applies, or when no indicator informs the
/// question at all (planning, for one). Works for any framework whose case standards use the
/// inspectorate's codes 2.1–2.4.
pub fn automated_answers(framework: &Framework, indicators: &[Indicator]) -> Vec<AnswerGiven> {
    framework
        .key_questions()
        .map(|(standard, question)| {
            let found = indicators
                .iter()
                .filter(|i| i.informs(&standard.code, question.focus))
                .map(|i| (i.title, i.result));
            let (answer, reason) = match answer_from(&standard.code, question.focus, found) {
                None => (Answer::NotApplicable, NOT_ANSWERABLE.to_owned()),
                Some((Answer::NotApplicable, _)) => {
                    (Answer::NotApplicable, NO_INDICATOR_APPLIES.to_owned())
                }
                Some((Answer::No, titles)) => {
                    (Answer::No, format!("Not met: {}", titles.join("; ")))
                }
                Some((Answer::Yes, titles)) => (Answer::Yes, format!("Met: {}", titles.join("; "))),
            };
            AnswerGiven {
                question: question.code.clone(),
                answer,
                reason: Some(reason),
            }
        })
        .collect()
}

/// The automated answer to every key question of `framework`, in framework order, from the
/// indicator results alone (in [`CATALOGUE`] order, as [`results_text`] stores them): the same
/// answers [`automated_answers`] gives, without the reasons. Why: a unit's stored results are
/// tallied per distinct set of results, so a framework's answers are worked out once per set
/// rather than once per case.
pub fn automated_answer_codes(
    framework: &Framework,
    results: &[IndicatorResult],
) -> Vec<(String, Answer)> {
    framework
        .key_questions()
        .map(|(standard, question)| {
            let found = CATALOGUE
                .iter()
                .zip(results)
                .filter(|(d, _)| d.standard == standard.code && question.focus.covers(d.focus))
                .map(|(d, result)| (d.title, *result));
            let answer = answer_from(&standard.code, question.focus, found)
                .map_or(Answer::NotApplicable, |(answer, _)| answer);
            (question.code.clone(), answer)
        })
        .collect()
}

/// A key question's automated answer from the results of the indicators informing it: `None`
/// when no indicator of the catalogue informs it at all; otherwise No naming the indicators not
/// met, Yes naming those met, or Not applicable when none applies.
fn answer_from<'a>(
    standard: &str,
    focus: Focus,
    informing: impl Iterator<Item = (&'a str, IndicatorResult)>,
) -> Option<(Answer, Vec<&'a str>)> {
    let defined = CATALOGUE
        .iter()
        .any(|d| d.standard == standard && focus.covers(d.focus));
    if !defined {
        return None;
    }
    let applicable: Vec<(&str, IndicatorResult)> = informing
        .filter(|(_, result)| *result != IndicatorResult::NotApplicable)
        .collect();
    let failing: Vec<&str> = applicable
        .iter()
        .filter(|(_, result)| *result == IndicatorResult::NotMet)
        .map(|(title, _)| *title)
        .collect();
    Some(if applicable.is_empty() {
        (Answer::NotApplicable, Vec::new())
    } else if !failing.is_empty() {
        (Answer::No, failing)
    } else {
        (
            Answer::Yes,
            applicable.iter().map(|(title, _)| *title).collect(),
        )
    })
}

/// One case's indicator results as stored: one letter per indicator in [`CATALOGUE`] order, `m`
/// met, `n` not met, `-` not applicable. Short, so a unit's cases group by it cheaply, and the
/// same for every framework.
pub fn results_text(indicators: &[Indicator]) -> String {
    indicators
        .iter()
        .map(|i| match i.result {
            IndicatorResult::Met => 'm',
            IndicatorResult::NotMet => 'n',
            IndicatorResult::NotApplicable => '-',
        })
        .collect()
}

/// The results [`results_text`] stored, or `None` when the text is not one letter per indicator
/// of the catalogue (stored under other rules).
pub fn parse_results(text: &str) -> Option<Vec<IndicatorResult>> {
    let results: Vec<IndicatorResult> = text
        .chars()
        .map(|c| match c {
            'm' => Some(IndicatorResult::Met),
            'n' => Some(IndicatorResult::NotMet),
            '-' => Some(IndicatorResult::NotApplicable),
            _ => None,
        })
        .collect::<Option<_>>()?;
    (results.len() == CATALOGUE.len()).then_some(results)
}

/// The automated answers as a [`CaseAudit`], so automated ratings reuse
/// [`validate`](super::validate), [`tally`](super::tally) and [`rate`](super::rate). Label it
/// [`Source::Automated`](super::Source) wherever it is stored and shown, and never tally it with
/// auditors' audits.
pub fn automated_audit(
    framework: &Framework,
    case: &str,
    team: &str,
    pdu: &str,
    region: &str,
    indicators: &[Indicator],
) -> CaseAudit {
    CaseAudit {
        case: case.to_owned(),
        team: team.to_owned(),
        pdu: pdu.to_owned(),
        region: region.to_owned(),
        answers: automated_answers(framework, indicators),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plans::{ActionKind, ActionOwner};
    use crate::quality::audit::{tally, validate};
    use crate::quality::framework::{HMIP_2018, HMIP_PDU_2023};
    use crate::rosh::RiskGroup;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    const POLICE: u128 = 1;
    const CHILDREN: u128 = 2;
    const ASSESSMENT: u128 = 10;

    fn check(n: u128, kind: CheckKind, answered_on: Option<NaiveDate>) -> CheckFact {
        CheckFact {
            id: id(n),
            kind,
            address_id: None,
            requested_on: date(2026, 6, 2),
            deadline: date(2026, 6, 16),
            response_received_on: answered_on,
            authorised_without_response: false,
        }
    }

    fn contact(
        n: u128,
        on: NaiveDate,
        kind: ContactType,
        outcome: Option<ContactOutcome>,
    ) -> ContactFacts {
        ContactFacts {
            id: id(n),
            on,
            kind,
            outcome,
            judgement: None,
            status: ContactStatus::Arranged,
        }
    }

    /// Marks a contact as a failure to attend, judged as given.
    fn absent(contact: &mut ContactFacts, judgement: FailureJudgement) {
        contact.outcome = Some(ContactOutcome::FailedToAttend);
        contact.judgement = Some(judgement);
    }

    /// A high-risk community case with a domestic-abuse registration and a child at home, where
    /// everything the indicators read was done on time. Today is Monday 2 November 2026.
    fn good_case() -> CaseFacts {
        let mut contacts: Vec<ContactFacts> = (0..12)
            .map(|week| {
                contact(
                    100 + week,
                    date(2026, 8, 17) + Days::new(7 * week as u64),
                    ContactType::OfficeVisit,
                    Some(ContactOutcome::Attended),
                )
            })
            .collect();
        contacts.push(contact(
            200,
            date(2026, 9, 10),
            ContactType::HomeVisit,
            Some(ContactOutcome::Attended),
        ));
        CaseFacts {
            today: date(2026, 11, 2),
            case_type: CaseType::Community,
            supervision_start: Some(date(2026, 6, 1)),
            rosh_level: Some(RoshLevel::High),
            mappa_level: None,
            domestic_abuse_registration: true,
            child_concern_registration: false,
            children_in_household: true,
            assessment: Some(AssessmentFacts {
                id: id(ASSESSMENT),
                completed_on: date(2026, 6, 15),
                who_is_at_risk_recorded: true,
                people_to_consider: 3,
                people_considered: 3,
                referenced_check_ids: vec![id(POLICE), id(CHILDREN)],
                levels: vec![
                    (RiskGroup::Children, RoshLevel::Medium),
                    (RiskGroup::Public, RoshLevel::Low),
                    (RiskGroup::KnownAdult, RoshLevel::High),
                    (RiskGroup::Staff, RoshLevel::Low),
                ],
            }),
            first_assessment_completed_on: None,
            checks: vec![
                check(
                    POLICE,
                    CheckKind::PoliceDomesticAbuse,
                    Some(date(2026, 6, 10)),
                ),
                check(
                    CHILDREN,
                    CheckKind::ChildrensServices,
                    Some(date(2026, 6, 11)),
                ),
            ],
            contacts,
            reviews: vec![ReviewFacts {
                id: id(300),
                trigger: ReviewTrigger::AddressChange,
                occurred_on: date(2026, 9, 1),
                due_on: date(2026, 9, 15),
                completed_on: Some(date(2026, 9, 10)),
            }],
            oversight: vec![OversightFacts {
                id: id(400),
                recorded_on: date(2026, 10, 1),
            }],
            plan: Some(good_plan()),
        }
    }

    const PLAN: u128 = 500;

    /// An agreed plan with one objective for the partner and the children: a programme, a no-contact
    /// condition the police enforce, and children's services' child-protection plan.
    fn good_plan() -> PlanFacts {
        PlanFacts {
            id: id(PLAN),
            agreed_on: date(2026, 6, 19),
            first_agreed_on: date(2026, 6, 19),
            persons_words_recorded: true,
            agreement_answered: true,
            objectives: vec![PlanObjectiveFacts {
                risks: vec![RiskGroup::KnownAdult, RiskGroup::Children],
                kinds: vec![ActionKind::Constructive, ActionKind::Restrictive],
                owners: vec![
                    ActionOwner::Person,
                    ActionOwner::Police,
                    ActionOwner::ChildrensServices,
                ],
                relevant: true,
            }],
        }
    }

    fn find(facts: &CaseFacts, code: &str) -> Indicator {
        indicators(facts, &IndicatorRules::default())
            .into_iter()
            .find(|i| i.code == code)
            .unwrap()
    }

    fn result(facts: &CaseFacts, code: &str) -> IndicatorResult {
        find(facts, code).result
    }

    fn answer(framework: &str, facts: &CaseFacts, question: &str) -> AnswerGiven {
        let framework = Framework::by_code(framework).unwrap();
        let all = indicators(facts, &IndicatorRules::default());
        automated_answers(&framework, &all)
            .into_iter()
            .find(|a| a.question == question)
            .unwrap()
    }

    #[test]
    fn a_well_supervised_case_meets_every_indicator() {
        let all = indicators(&good_case(), &IndicatorRules::default());
        let codes: Vec<&str> = all.iter().map(|i| i.code).collect();
        let catalogue: Vec<&str> = CATALOGUE.iter().map(|d| d.code).collect();
        assert_eq!(codes, catalogue);
        for indicator in &all {
            assert_eq!(
                indicator.result,
                IndicatorResult::Met,
                "{}: {}",
                indicator.code,
                indicator.why
            );
            assert_eq!(indicator.rule_version, "indicators-2026/2");
        }
    }

    #[test]
    fn indicator_codes_are_unique_and_name_their_standard() {
        let mut codes: Vec<&str> = CATALOGUE.iter().map(|d| d.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), CATALOGUE.len());
        assert!(CATALOGUE
            .iter()
            .all(|d| d.code.starts_with(&format!("{}.", d.standard))));
    }

    #[test]
    fn assessment_completed_without_police_check_fails_keeping_safe() {
        let mut facts = good_case();
        facts
            .checks
            .retain(|c| c.kind != CheckKind::PoliceDomesticAbuse);
        facts.assessment.as_mut().unwrap().referenced_check_ids = vec![id(CHILDREN)];
        let police = find(&facts, "2.1.police_check");
        assert_eq!(police.result, IndicatorResult::NotMet);
        assert_eq!(
            police.why,
            "The assessment was completed on 15 June 2026 without a police domestic-abuse check being requested."
        );
        assert_eq!(
            police.evidence,
            [Evidence {
                kind: EvidenceKind::Assessment,
                id: id(ASSESSMENT)
            }]
        );
        let safe = answer(HMIP_PDU_2023, &facts, "2.1.safe");
        assert_eq!(safe.answer, Answer::No);
        assert_eq!(
            safe.reason.as_deref(),
            Some("Not met: Police domestic-abuse information obtained")
        );
        assert_eq!(answer(HMIP_2018, &facts, "2.1.safe").answer, Answer::No);
    }

    #[test]
    fn authorised_completion_without_a_response_counts_as_obtained() {
        let mut facts = good_case();
        facts.checks[0].response_received_on = None;
        facts.checks[0].authorised_without_response = true;
        let police = find(&facts, "2.1.police_check");
        assert_eq!(police.result, IndicatorResult::Met);
        assert!(police
            .why
            .contains("authorised after its deadline of 16 June 2026"));
    }

    #[test]
    fn an_unanswered_check_without_authorisation_fails() {
        let mut facts = good_case();
        facts.checks[0].response_received_on = None;
        let police = find(&facts, "2.1.police_check");
        assert_eq!(police.result, IndicatorResult::NotMet);
        assert!(police.why.contains("requested on 2 June 2026"));
        assert!(police.evidence.contains(&Evidence {
            kind: EvidenceKind::Check,
            id: id(POLICE)
        }));
    }

    #[test]
    fn a_response_arriving_after_completion_did_not_inform_the_assessment() {
        let mut facts = good_case();
        facts.checks[0].response_received_on = Some(date(2026, 6, 20));
        let police = find(&facts, "2.1.police_check");
        assert_eq!(police.result, IndicatorResult::NotMet);
        assert_eq!(
            police.why,
            "The response to the police domestic-abuse check arrived on 20 June 2026, after the assessment was completed on 15 June 2026: review the assessment with it."
        );
    }

    #[test]
    fn childrens_check_is_needed_only_when_children_are_involved() {
        let mut facts = good_case();
        facts.children_in_household = false;
        facts
            .checks
            .retain(|c| c.kind != CheckKind::ChildrensServices);
        assert_eq!(
            result(&facts, "2.1.childrens_check"),
            IndicatorResult::NotApplicable
        );
        facts.child_concern_registration = true;
        assert_eq!(
            result(&facts, "2.1.childrens_check"),
            IndicatorResult::NotMet
        );
    }

    #[test]
    fn checks_are_not_applicable_before_the_assessment_is_due_and_fail_after() {
        let mut facts = good_case();
        facts.assessment = None;
        facts.checks.clear();
        facts.supervision_start = Some(date(2026, 10, 26));
        assert_eq!(
            result(&facts, "2.1.police_check"),
            IndicatorResult::NotApplicable
        );
        facts.supervision_start = Some(date(2026, 6, 1));
        let police = find(&facts, "2.1.police_check");
        assert_eq!(police.result, IndicatorResult::NotMet);
        assert_eq!(
            police.why,
            "The assessment was due by 22 June 2026 and no police domestic-abuse check has been requested."
        );
    }

    #[test]
    fn checks_apply_to_pre_sentence_cases_once_an_assessment_is_completed() {
        let mut facts = good_case();
        facts.case_type = CaseType::PreSentence;
        facts.supervision_start = None;
        facts.checks.clear();
        assert_eq!(result(&facts, "2.1.police_check"), IndicatorResult::NotMet);
        facts.assessment = None;
        assert_eq!(
            result(&facts, "2.1.police_check"),
            IndicatorResult::NotApplicable
        );
    }

    #[test]
    fn answered_check_not_referenced_in_assessment_is_not_analysed() {
        let mut facts = good_case();
        facts.assessment.as_mut().unwrap().referenced_check_ids = vec![id(POLICE)];
        let analysed = find(&facts, "2.1.checks_analysed");
        assert_eq!(analysed.result, IndicatorResult::NotMet);
        assert_eq!(
            analysed.why,
            "The assessment completed on 15 June 2026 does not reference the children's-services check response received on 11 June 2026: received but not analysed."
        );
        assert_eq!(
            analysed.evidence,
            [
                Evidence {
                    kind: EvidenceKind::Check,
                    id: id(CHILDREN)
                },
                Evidence {
                    kind: EvidenceKind::Assessment,
                    id: id(ASSESSMENT)
                },
            ]
        );
    }

    #[test]
    fn responses_arriving_after_completion_are_not_expected_in_the_analysis() {
        let mut facts = good_case();
        facts
            .assessment
            .as_mut()
            .unwrap()
            .referenced_check_ids
            .clear();
        for check in &mut facts.checks {
            check.response_received_on = Some(date(2026, 7, 1));
        }
        assert_eq!(
            result(&facts, "2.1.checks_analysed"),
            IndicatorResult::NotApplicable
        );
    }

    #[test]
    fn assessment_due_date_skips_christmas_and_new_year_bank_holidays() {
        // Friday 18 December 2026: 15 working days skip 25 and 28 December and 1 January.
        let mut facts = good_case();
        facts.supervision_start = Some(date(2026, 12, 18));
        facts.today = date(2027, 2, 1);
        facts.assessment.as_mut().unwrap().completed_on = date(2027, 1, 13);
        let timely = find(&facts, "2.1.assessment_timely");
        assert_eq!(timely.result, IndicatorResult::Met, "{}", timely.why);
        assert!(timely.why.contains("due by 13 January 2027"));
        facts.assessment.as_mut().unwrap().completed_on = date(2027, 1, 14);
        let late = find(&facts, "2.1.assessment_timely");
        assert_eq!(late.result, IndicatorResult::NotMet);
        assert!(late
            .why
            .contains("16 working days after supervision started on 18 December 2026"));
    }

    #[test]
    fn a_missing_assessment_is_not_due_until_the_last_working_day_then_fails() {
        let mut facts = good_case();
        facts.supervision_start = Some(date(2026, 12, 18));
        facts.assessment = None;
        facts.today = date(2027, 1, 13);
        assert_eq!(
            result(&facts, "2.1.assessment_timely"),
            IndicatorResult::NotApplicable
        );
        facts.today = date(2027, 1, 14);
        let overdue = find(&facts, "2.1.assessment_timely");
        assert_eq!(overdue.result, IndicatorResult::NotMet);
        assert_eq!(
            overdue.why,
            "No assessment is completed; it was due by 13 January 2027, 15 working days after supervision started on 18 December 2026."
        );
    }

    #[test]
    fn pre_sentence_cases_have_no_assessment_deadline() {
        let mut facts = good_case();
        facts.case_type = CaseType::PreSentence;
        facts.assessment = None;
        let timely = find(&facts, "2.1.assessment_timely");
        assert_eq!(timely.result, IndicatorResult::NotApplicable);
        assert_eq!(
            timely.why,
            "The case is pre-sentence: supervision has not started."
        );
    }

    #[test]
    fn a_later_review_does_not_hide_a_timely_first_assessment() {
        let mut facts = good_case();
        facts.assessment.as_mut().unwrap().completed_on = date(2026, 9, 12);
        assert_eq!(
            result(&facts, "2.1.assessment_timely"),
            IndicatorResult::NotMet
        );
        facts.first_assessment_completed_on = Some(date(2026, 6, 15));
        assert_eq!(
            result(&facts, "2.1.assessment_timely"),
            IndicatorResult::Met
        );
    }

    #[test]
    fn an_unconsidered_household_member_fails_people_at_risk() {
        let mut facts = good_case();
        facts.assessment.as_mut().unwrap().people_considered = 2;
        let people = find(&facts, "2.1.people_at_risk");
        assert_eq!(people.result, IndicatorResult::NotMet);
        assert_eq!(
            people.why,
            "The assessment completed on 15 June 2026 considers 2 of the 3 people in the household."
        );
        facts.assessment.as_mut().unwrap().who_is_at_risk_recorded = false;
        assert!(find(&facts, "2.1.people_at_risk")
            .why
            .contains("does not say who is at risk and considers 2 of the 3"));
    }

    #[test]
    fn a_high_risk_case_needs_four_contacts_every_four_weeks() {
        let mut facts = good_case();
        let frequency = find(&facts, "2.3.contact_frequency");
        assert_eq!(
            frequency.why,
            "13 contacts attended from 11 August 2026 to 2 November 2026; at least 12 expected for a high risk of serious harm case (4 every four weeks over 84 days)."
        );
        facts.contacts.retain(|c| c.on >= date(2026, 9, 1));
        assert_eq!(
            result(&facts, "2.3.contact_frequency"),
            IndicatorResult::NotMet
        );
        facts.rosh_level = Some(RoshLevel::Medium);
        assert_eq!(
            result(&facts, "2.3.contact_frequency"),
            IndicatorResult::Met
        );
    }

    #[test]
    fn the_contact_expectation_is_prorated_when_supervision_started_in_the_window() {
        let mut facts = good_case();
        // 28 days of supervision at a high level: 4 contacts expected.
        facts.supervision_start = Some(date(2026, 10, 6));
        facts.contacts.retain(|c| c.on >= date(2026, 10, 12));
        assert_eq!(facts.contacts.len(), 4);
        let frequency = find(&facts, "2.3.contact_frequency");
        assert_eq!(frequency.result, IndicatorResult::Met, "{}", frequency.why);
        assert!(frequency.why.contains("at least 4 expected"));
        facts.contacts.pop();
        assert_eq!(
            result(&facts, "2.3.contact_frequency"),
            IndicatorResult::NotMet
        );
        // Four days in, not even one contact is owed yet.
        facts.supervision_start = Some(date(2026, 10, 30));
        let early = find(&facts, "2.3.contact_frequency");
        assert_eq!(early.result, IndicatorResult::NotApplicable);
        assert!(early.why.contains("too recently to expect a contact"));
    }

    #[test]
    fn missed_appointments_and_unpaid_work_do_not_count_as_contact() {
        let mut facts = good_case();
        for c in facts.contacts.iter_mut().take(2) {
            c.kind = ContactType::UnpaidWorkSession;
        }
        absent(&mut facts.contacts[2], FailureJudgement::Unacceptable);
        let frequency = find(&facts, "2.3.contact_frequency");
        assert_eq!(frequency.result, IndicatorResult::NotMet);
        assert!(frequency.why.starts_with("10 contacts attended"));
    }

    #[test]
    fn contact_frequency_does_not_apply_in_custody() {
        let mut facts = good_case();
        facts.case_type = CaseType::Custody;
        facts.contacts.clear();
        assert_eq!(
            result(&facts, "2.3.contact_frequency"),
            IndicatorResult::NotApplicable
        );
        assert_eq!(
            result(&facts, "2.3.home_visit"),
            IndicatorResult::NotApplicable
        );
    }

    #[test]
    fn home_visit_required_only_in_domestic_abuse_or_child_cases() {
        let mut facts = good_case();
        facts.supervision_start = Some(date(2026, 1, 5));
        facts.contacts.retain(|c| c.kind != ContactType::HomeVisit);
        let visit = find(&facts, "2.3.home_visit");
        assert_eq!(visit.result, IndicatorResult::NotMet);
        assert!(visit.why.starts_with("The case has a domestic-abuse registration and the home has not been visited in the last 6 months (since 2 May 2026)."));
        facts.domestic_abuse_registration = false;
        assert_eq!(
            result(&facts, "2.3.home_visit"),
            IndicatorResult::NotApplicable
        );
        facts.child_concern_registration = true;
        assert_eq!(result(&facts, "2.3.home_visit"), IndicatorResult::NotMet);
    }

    #[test]
    fn an_old_home_visit_is_named_but_does_not_count() {
        let mut facts = good_case();
        facts.supervision_start = Some(date(2025, 6, 1));
        facts.contacts.push(contact(
            201,
            date(2026, 3, 3),
            ContactType::HomeVisit,
            Some(ContactOutcome::Attended),
        ));
        facts.contacts.retain(|c| c.id != id(200));
        let visit = find(&facts, "2.3.home_visit");
        assert_eq!(visit.result, IndicatorResult::NotMet);
        assert!(visit
            .why
            .ends_with("The last home visit was on 3 March 2026."));
    }

    #[test]
    fn a_home_visit_is_not_due_until_months_after_supervision_starts() {
        let mut facts = good_case();
        facts.contacts.retain(|c| c.kind != ContactType::HomeVisit);
        facts.supervision_start = Some(date(2026, 8, 1));
        let visit = find(&facts, "2.3.home_visit");
        assert_eq!(visit.result, IndicatorResult::NotApplicable);
        assert!(visit
            .why
            .ends_with("the first home visit is due by 1 February 2027."));
    }

    #[test]
    fn attendance_excludes_acceptable_absences() {
        let mut facts = good_case();
        for c in facts.contacts.iter_mut().take(5) {
            absent(c, FailureJudgement::Acceptable);
        }
        let attendance = find(&facts, "2.3.attendance");
        assert_eq!(attendance.result, IndicatorResult::Met);
        assert!(attendance.why.starts_with("8 of 8 appointments attended"));
        for c in facts.contacts.iter_mut().take(3) {
            absent(c, FailureJudgement::Unacceptable);
        }
        // 8 attended of 11 counted: 72%.
        let attendance = find(&facts, "2.3.attendance");
        assert_eq!(attendance.result, IndicatorResult::NotMet);
        assert!(attendance.why.starts_with(
            "8 of 11 appointments attended in the last 12 weeks (72%; at least 80% needed)"
        ));
        assert_eq!(attendance.evidence.len(), 3);
    }

    #[test]
    fn an_appointment_with_no_outcome_counts_as_missed_unless_it_is_today() {
        let mut facts = good_case();
        facts.contacts.retain(|c| c.on >= date(2026, 10, 19));
        // 19 and 26 October attended; today's appointment not yet written up.
        facts.contacts.last_mut().unwrap().outcome = None;
        assert_eq!(
            result(&facts, "2.3.attendance"),
            IndicatorResult::NotApplicable
        );
        facts.contacts.push(contact(
            500,
            date(2026, 10, 28),
            ContactType::OfficeVisit,
            None,
        ));
        let attendance = find(&facts, "2.3.attendance");
        assert_eq!(attendance.result, IndicatorResult::NotMet);
        assert!(attendance.why.contains("2 of 3 appointments attended"));
        assert_eq!(
            attendance.evidence,
            [Evidence {
                kind: EvidenceKind::Contact,
                id: id(500)
            }]
        );
    }

    #[test]
    fn system_events_are_neither_appointments_nor_supervision_contact() {
        let mut facts = good_case();
        let before_attendance = find(&facts, "2.3.attendance").why;
        let before_frequency = find(&facts, "2.3.contact_frequency").why;
        for (n, kind) in [
            ContactType::AssessmentCompleted,
            ContactType::CheckAnswered,
            ContactType::WarningLetter,
        ]
        .into_iter()
        .enumerate()
        {
            facts
                .contacts
                .push(contact(600 + n as u128, date(2026, 10, 20), kind, None));
        }
        // Even a system event given an outcome by mistake is not a contact.
        facts.contacts.push(contact(
            610,
            date(2026, 10, 21),
            ContactType::Recall,
            Some(ContactOutcome::Attended),
        ));
        assert_eq!(find(&facts, "2.3.attendance").why, before_attendance);
        assert_eq!(find(&facts, "2.3.contact_frequency").why, before_frequency);
    }

    #[test]
    fn attendance_informs_engagement_in_2023_and_engaging_in_2018() {
        let mut facts = good_case();
        for c in facts.contacts.iter_mut().take(6) {
            absent(c, FailureJudgement::Unacceptable);
        }
        assert_eq!(
            answer(HMIP_PDU_2023, &facts, "2.3.engagement").answer,
            Answer::No
        );
        assert_eq!(answer(HMIP_2018, &facts, "2.3.engaging").answer, Answer::No);
        let desistance = answer(HMIP_2018, &facts, "2.3.desistance");
        assert_eq!(desistance.answer, Answer::NotApplicable);
        assert_eq!(desistance.reason.as_deref(), Some(NOT_ANSWERABLE));
    }

    #[test]
    fn overdue_open_review_fails_reviewing() {
        let mut facts = good_case();
        facts.reviews.push(ReviewFacts {
            id: id(301),
            trigger: ReviewTrigger::DomesticAbuseIncident,
            occurred_on: date(2026, 10, 20),
            due_on: date(2026, 10, 27),
            completed_on: None,
        });
        let reviews = find(&facts, "2.4.reviews");
        assert_eq!(reviews.result, IndicatorResult::NotMet);
        assert_eq!(
            reviews.why,
            "New domestic-abuse incident on 20 October 2026: still not reviewed, due by 27 October 2026."
        );
        assert_eq!(
            reviews.evidence,
            [Evidence {
                kind: EvidenceKind::Review,
                id: id(301)
            }]
        );
        assert_eq!(answer(HMIP_PDU_2023, &facts, "2.4.safe").answer, Answer::No);
    }

    #[test]
    fn a_late_review_fails_and_an_open_review_not_yet_due_does_not() {
        let mut facts = good_case();
        facts.reviews[0].completed_on = Some(date(2026, 9, 16));
        assert_eq!(result(&facts, "2.4.reviews"), IndicatorResult::NotMet);
        facts.reviews[0].completed_on = None;
        facts.reviews[0].due_on = date(2026, 11, 2);
        assert_eq!(
            result(&facts, "2.4.reviews"),
            IndicatorResult::NotApplicable
        );
        facts.reviews.clear();
        let none = find(&facts, "2.4.reviews");
        assert_eq!(none.result, IndicatorResult::NotApplicable);
        assert_eq!(
            none.why,
            "No review has been triggered by a change in circumstances."
        );
    }

    #[test]
    fn high_risk_case_without_recent_oversight_fails() {
        let mut facts = good_case();
        facts.oversight[0].recorded_on = date(2026, 8, 2);
        let oversight = find(&facts, "2.4.oversight");
        assert_eq!(oversight.result, IndicatorResult::NotMet);
        assert_eq!(
            oversight.why,
            "The case has high risk of serious harm and no management oversight is recorded in the last 91 days (since 3 August 2026); the last was on 2 August 2026."
        );
        facts.oversight[0].recorded_on = date(2026, 8, 3);
        assert_eq!(result(&facts, "2.4.oversight"), IndicatorResult::Met);
    }

    #[test]
    fn oversight_is_expected_only_of_high_risk_and_mappa_level_two_and_three_cases() {
        let mut facts = good_case();
        facts.oversight.clear();
        facts.rosh_level = Some(RoshLevel::Medium);
        assert_eq!(
            result(&facts, "2.4.oversight"),
            IndicatorResult::NotApplicable
        );
        facts.mappa_level = Some(MappaLevel::Ordinary);
        assert_eq!(
            result(&facts, "2.4.oversight"),
            IndicatorResult::NotApplicable
        );
        facts.mappa_level = Some(MappaLevel::ActiveMultiAgency);
        let oversight = find(&facts, "2.4.oversight");
        assert_eq!(oversight.result, IndicatorResult::NotMet);
        assert_eq!(
            oversight.why,
            "The case has MAPPA level 2 and no management oversight has ever been recorded."
        );
    }

    #[test]
    fn a_risk_with_no_restrictive_action_fails_planning_for_keeping_safe() {
        let mut facts = good_case();
        let plan = facts.plan.as_mut().unwrap();
        plan.objectives[0].kinds = vec![ActionKind::Constructive];
        let found = find(&facts, "2.2.risks_addressed");
        assert_eq!(found.result, IndicatorResult::NotMet);
        assert_eq!(
            found.why,
            "In the plan in force, the risk to children (medium) has no restrictive action; the risk to a known adult (high) has no restrictive action."
        );
        assert_eq!(answer(HMIP_PDU_2023, &facts, "2.2.safe").answer, Answer::No);
        assert!(found.evidence.contains(&Evidence {
            kind: EvidenceKind::Plan,
            id: id(PLAN)
        }));
    }

    #[test]
    fn a_risk_not_linked_to_any_objective_is_named() {
        let mut facts = good_case();
        facts.plan.as_mut().unwrap().objectives[0].risks = vec![RiskGroup::KnownAdult];
        assert_eq!(
            find(&facts, "2.2.risks_addressed").why,
            "In the plan in force, the risk to children (medium) is not linked to any objective."
        );
    }

    #[test]
    fn an_objective_no_longer_relevant_addresses_nothing() {
        let mut facts = good_case();
        facts.plan.as_mut().unwrap().objectives[0].relevant = false;
        assert_eq!(
            result(&facts, "2.2.risks_addressed"),
            IndicatorResult::NotMet
        );
    }

    #[test]
    fn risks_are_not_applicable_when_every_group_is_low() {
        let mut facts = good_case();
        for (_, level) in &mut facts.assessment.as_mut().unwrap().levels {
            *level = RoshLevel::Low;
        }
        assert_eq!(
            result(&facts, "2.2.risks_addressed"),
            IndicatorResult::NotApplicable
        );
    }

    #[test]
    fn a_police_response_or_domestic_abuse_registration_calls_for_a_police_action() {
        let mut facts = good_case();
        facts.plan.as_mut().unwrap().objectives[0].owners = vec![ActionOwner::Person];
        let found = find(&facts, "2.2.other_agencies");
        assert_eq!(found.result, IndicatorResult::NotMet);
        assert!(
            found.why.contains(
                "no action by the police although a domestic-abuse registration is active"
            ),
            "{}",
            found.why
        );
        assert!(found.why.contains("no action by children's services although children's services answered a check on 11 June 2026"));
    }

    #[test]
    fn no_other_agency_involved_makes_the_link_not_applicable() {
        let mut facts = good_case();
        facts.domestic_abuse_registration = false;
        facts.checks.clear();
        assert_eq!(
            result(&facts, "2.2.other_agencies"),
            IndicatorResult::NotApplicable
        );
    }

    #[test]
    fn a_plan_without_the_persons_words_fails_engagement() {
        let mut facts = good_case();
        facts.plan.as_mut().unwrap().persons_words_recorded = false;
        let found = find(&facts, "2.2.person_involved");
        assert_eq!(found.result, IndicatorResult::NotMet);
        assert_eq!(
            answer(HMIP_PDU_2023, &facts, "2.2.engagement").answer,
            Answer::No
        );
        assert_eq!(answer(HMIP_2018, &facts, "2.2.engaging").answer, Answer::No);
    }

    #[test]
    fn a_plan_agreed_late_fails_timeliness_and_a_missing_one_fails_once_due() {
        let mut late = good_case();
        late.plan.as_mut().unwrap().first_agreed_on = date(2026, 7, 1);
        let found = find(&late, "2.2.plan_timely");
        assert_eq!(found.result, IndicatorResult::NotMet);
        assert!(
            found.why.contains("it was due by 22 June 2026"),
            "{}",
            found.why
        );

        let mut missing = good_case();
        missing.plan = None;
        for code in [
            "2.2.risks_addressed",
            "2.2.other_agencies",
            "2.2.person_involved",
            "2.2.plan_timely",
        ] {
            assert_eq!(result(&missing, code), IndicatorResult::NotMet, "{code}");
        }
        missing.today = date(2026, 6, 10);
        missing.contacts.clear();
        assert_eq!(
            result(&missing, "2.2.person_involved"),
            IndicatorResult::NotApplicable,
            "not due until 22 June"
        );
    }

    #[test]
    fn planning_is_answered_from_the_plan_in_both_frameworks() {
        for framework in Framework::all() {
            let all = indicators(&good_case(), &IndicatorRules::default());
            for given in automated_answers(&framework, &all) {
                if given.question.starts_with("2.2.") {
                    assert_eq!(given.answer, Answer::Yes, "{}", given.question);
                }
            }
        }
    }

    #[test]
    fn a_question_whose_indicators_all_do_not_apply_is_not_applicable() {
        let mut facts = good_case();
        facts.reviews.clear();
        facts.rosh_level = Some(RoshLevel::Low);
        let reviewing = answer(HMIP_PDU_2023, &facts, "2.4.safe");
        assert_eq!(reviewing.answer, Answer::NotApplicable);
        assert_eq!(reviewing.reason.as_deref(), Some(NO_INDICATOR_APPLIES));
    }

    #[test]
    fn automated_answers_cover_every_case_key_question_of_both_frameworks() {
        let all = indicators(&good_case(), &IndicatorRules::default());
        for framework in Framework::all() {
            let answers = automated_answers(&framework, &all);
            let questions: Vec<String> = framework
                .key_questions()
                .map(|(_, q)| q.code.clone())
                .collect();
            let answered: Vec<String> = answers.iter().map(|a| a.question.clone()).collect();
            assert_eq!(answered, questions, "{}", framework.code);
            assert_eq!(
                answers
                    .iter()
                    .find(|a| a.question == "2.1.safe")
                    .unwrap()
                    .answer,
                Answer::Yes
            );
        }
    }

    #[test]
    fn automated_audits_validate_and_tally_like_audits() {
        let good = indicators(&good_case(), &IndicatorRules::default());
        let mut poor_facts = good_case();
        poor_facts.checks.clear();
        let poor = indicators(&poor_facts, &IndicatorRules::default());
        for framework in Framework::all() {
            let audits: Vec<_> = [("X000001", &good), ("X000002", &poor)]
                .into_iter()
                .map(|(case, found)| {
                    let audit = automated_audit(
                        &framework,
                        case,
                        "Team 1",
                        "Lincolnshire East",
                        "East Midlands",
                        found,
                    );
                    validate(&framework, audit).unwrap()
                })
                .collect();
            let totals = tally(&framework, &audits).unwrap();
            let safe = totals
                .questions
                .iter()
                .find(|q| q.question == "2.1.safe")
                .unwrap();
            assert_eq!(safe.yes, ["X000001"]);
            assert_eq!(safe.no, ["X000002"]);
            let planning = totals
                .questions
                .iter()
                .find(|q| q.question == "2.2.safe")
                .unwrap();
            assert_eq!(planning.yes, ["X000001", "X000002"]);
        }
    }

    #[test]
    fn stored_results_give_the_same_answers_as_the_indicators_themselves() {
        let mut poor_facts = good_case();
        poor_facts.checks.clear();
        let mut not_due = good_case();
        not_due.reviews.clear();
        not_due.rosh_level = Some(RoshLevel::Low);
        for facts in [good_case(), poor_facts, not_due] {
            let found = indicators(&facts, &IndicatorRules::default());
            let stored = results_text(&found);
            assert_eq!(stored.len(), CATALOGUE.len());
            let results = parse_results(&stored).expect("one letter per indicator");
            for framework in Framework::all() {
                let expected: Vec<(String, Answer)> = automated_answers(&framework, &found)
                    .into_iter()
                    .map(|a| (a.question, a.answer))
                    .collect();
                assert_eq!(automated_answer_codes(&framework, &results), expected);
            }
        }
        assert_eq!(parse_results("mmn"), None, "too short for the catalogue");
        assert_eq!(parse_results("mmmmmmmmmx"), None, "an unknown letter");
    }

    #[test]
    fn an_indicator_explains_itself_with_its_rule_version() {
        let rules = IndicatorRules {
            version: "indicators-2026/1 (Lincolnshire: 6 contacts for very high)".to_owned(),
            ..IndicatorRules::default()
        };
        let found = indicators(&good_case(), &rules);
        let explanation = found[0].explanation();
        assert_eq!(explanation.rule_version, rules.version);
        assert_eq!(
            explanation.steps.last().unwrap(),
            "Police domestic-abuse information obtained: Met"
        );
        assert!(!explanation.inputs.is_empty());
    }

    #[test]
    fn results_and_evidence_serialise_as_codes() {
        let json = serde_json::to_value(find(&good_case(), "2.4.oversight")).unwrap();
        assert_eq!(json["result"], "met");
        assert_eq!(json["focus"], "keeping_safe");
        assert_eq!(json["evidence"][0]["kind"], "oversight");
    }
}
