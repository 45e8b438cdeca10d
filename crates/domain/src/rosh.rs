//! Risk of serious harm (RoSH) assessments (reference §3 and §4).
//!
//! An assessment cannot be completed until the information inspectors find missing is there: the
//! police domestic-abuse check and, where children are involved, the children's-services check,
//! each answered and referenced in the analysis; and every member of the household considered.
//! [`assess_completion`] answers with the case's level or with exactly what is missing.

use crate::calendar::long_date;
use crate::checks::CheckKind;
use crate::coded_enum;
use crate::event::CaseType;
use crate::text::LongText;
use crate::CodedValue;
use chrono::NaiveDate;
use uuid::Uuid;

coded_enum! {
    /// RoSH levels (reference §3), lowest first so the case level is the maximum.
    pub enum RoshLevel ("RoSH level") {
        Low => "low", "Low",
        Medium => "medium", "Medium",
        High => "high", "High",
        VeryHigh => "very_high", "Very high",
    }
}

impl RoshLevel {
    /// What the level means, from the definitions in the OASys manual as quoted in §3.
    pub fn definition(self) -> &'static str {
        match self {
            RoshLevel::Low => "Current evidence does not indicate likelihood of causing serious harm.",
            RoshLevel::Medium => "There are identifiable indicators of risk of serious harm. The person has the potential to cause serious harm but is unlikely to do so unless there is a change in circumstances.",
            RoshLevel::High => "There are identifiable indicators of risk of serious harm. The potential event could happen at any time and the impact would be serious.",
            RoshLevel::VeryHigh => "There is an imminent risk of serious harm. The potential event is more likely than not to happen imminently and the impact would be serious.",
        }
    }

    /// High and very high assessments need a senior officer's countersignature.
    pub fn needs_countersignature(self) -> bool {
        matches!(self, RoshLevel::High | RoshLevel::VeryHigh)
    }
}

coded_enum! {
    /// Who might be harmed. Prisoners are assessed only for custody cases.
    pub enum RiskGroup ("risk group") {
        Children => "children", "Children",
        Public => "public", "The public",
        KnownAdult => "known_adult", "A known adult",
        Staff => "staff", "Staff",
        Prisoners => "prisoners", "Prisoners",
    }
}

impl RiskGroup {
    /// The groups an assessment must give a level for.
    pub fn for_case(case_type: CaseType) -> Vec<RiskGroup> {
        RiskGroup::ALL
            .iter()
            .copied()
            .filter(|group| *group != RiskGroup::Prisoners || case_type == CaseType::Custody)
            .collect()
    }
}

coded_enum! {
    /// Where an assessment is in its life.
    pub enum AssessmentStatus ("assessment status") {
        Draft => "draft", "Draft",
        AwaitingCountersignature => "awaiting_countersignature", "Awaiting countersignature",
        Completed => "completed", "Completed",
        Superseded => "superseded", "Superseded",
    }
}

/// A person the assessment must consider, with the practitioner's note on them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consideration {
    pub subject_id: Uuid,
    pub note: LongText,
}

/// An explicit link from the analysis to a check response: which response, and how it informs
/// the analysis. A tick box would not show that the information was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReference {
    pub check_id: Uuid,
    pub note: LongText,
}

/// The practitioner's analysis as saved so far.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssessmentContent {
    pub levels: Vec<(RiskGroup, RoshLevel)>,
    pub nature_of_harm: LongText,
    pub who_is_at_risk: LongText,
    pub imminence: LongText,
    pub increasing_factors: LongText,
    pub reducing_factors: LongText,
    pub considerations: Vec<Consideration>,
    pub check_references: Vec<CheckReference>,
}

impl AssessmentContent {
    /// The case's level: the highest level given to any group.
    pub fn case_level(&self) -> Option<RoshLevel> {
        self.levels.iter().map(|(_, level)| *level).max()
    }

    pub fn level_for(&self, group: RiskGroup) -> Option<RoshLevel> {
        self.levels
            .iter()
            .find(|(g, _)| *g == group)
            .map(|(_, level)| *level)
    }
}

/// The current address, which checks must cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressFact {
    pub id: Uuid,
    pub description: String,
}

/// A household member (or, later, a known victim) to consider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonToConsider {
    pub id: Uuid,
    pub name: String,
    pub relationship: String,
    pub age: Option<u32>,
    pub is_child: bool,
}

/// A check request as the gates see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckFact {
    pub id: Uuid,
    pub kind: CheckKind,
    pub address_id: Option<Uuid>,
    pub requested_on: NaiveDate,
    pub deadline: NaiveDate,
    pub response_received_on: Option<NaiveDate>,
    /// A senior officer authorised completion without the response, after its deadline.
    pub authorised_without_response: bool,
}

/// What the gates need to know about the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionFacts {
    pub case_type: CaseType,
    pub today: NaiveDate,
    pub current_address: Option<AddressFact>,
    pub people_to_consider: Vec<PersonToConsider>,
    pub child_protection_registration: bool,
    pub checks: Vec<CheckFact>,
}

impl CompletionFacts {
    /// Children's-services information is needed when the person lives with a child or has a
    /// child-protection or child-concern registration.
    pub fn children_involved(&self) -> Option<String> {
        if let Some(child) = self.people_to_consider.iter().find(|p| p.is_child) {
            let age = child.age.map(|a| format!(", age {a}")).unwrap_or_default();
            return Some(format!(
                "{} ({}{age}) lives in the household",
                child.name,
                child.relationship.to_lowercase()
            ));
        }
        self.child_protection_registration
            .then(|| "the person has a registration concerning children".to_owned())
    }
}

/// One thing that stops completion, worded as what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    Level(RiskGroup),
    NatureOfHarm,
    WhoIsAtRisk,
    Imminence,
    IncreasingFactors,
    ReducingFactors,
    CheckNotRequested {
        kind: CheckKind,
        address: Option<String>,
        because: Option<String>,
    },
    ResponseOutstanding {
        kind: CheckKind,
        requested_on: NaiveDate,
        deadline: NaiveDate,
        overdue: bool,
    },
    ResponseNotReferenced {
        check_id: Uuid,
        kind: CheckKind,
        received_on: NaiveDate,
    },
    PersonNotConsidered {
        id: Uuid,
        name: String,
        relationship: String,
    },
}

fn short_kind(kind: CheckKind) -> &'static str {
    match kind {
        CheckKind::PoliceDomesticAbuse => "police domestic-abuse check",
        CheckKind::ChildrensServices => "children's services check",
    }
}

impl Missing {
    /// The message shown in the error summary: what is missing and what to do.
    pub fn message(&self) -> String {
        match self {
            Missing::Level(group) => format!("Give a risk level for {}", group.label().to_lowercase()),
            Missing::NatureOfHarm => "Describe the nature of the harm that could be caused".into(),
            Missing::WhoIsAtRisk => "Say who is at risk, including actual and potential victims".into(),
            Missing::Imminence => "Say how imminent the risk is".into(),
            Missing::IncreasingFactors => "List the factors that increase the risk".into(),
            Missing::ReducingFactors => "List the factors that reduce the risk".into(),
            Missing::CheckNotRequested { kind, address, because } => {
                let mut text = format!("Request a {} for the person", short_kind(*kind));
                if let Some(address) = address {
                    text.push_str(&format!(" and their current address, {address}"));
                }
                if let Some(because) = because {
                    text.push_str(&format!(": {because}"));
                }
                text
            }
            Missing::ResponseOutstanding { kind, requested_on, deadline, overdue } => {
                let mut text = format!(
                    "Record the response to the {} requested on {}",
                    short_kind(*kind),
                    long_date(*requested_on)
                );
                if *overdue {
                    text.push_str(&format!(
                        ". It was due by {}; a senior probation officer can authorise completion without it",
                        long_date(*deadline)
                    ));
                } else {
                    text.push_str(&format!(" (due by {})", long_date(*deadline)));
                }
                text
            }
            Missing::ResponseNotReferenced { kind, received_on, .. } => format!(
                "Reference the {} response received on {} in the risk analysis, saying how it informs it",
                short_kind(*kind),
                long_date(*received_on)
            ),
            Missing::PersonNotConsidered { name, relationship, .. } => format!(
                "Consider {name} ({}) in the assessment",
                relationship.to_lowercase()
            ),
        }
    }

    /// The id of the form field or section the message links to.
    pub fn anchor(&self) -> String {
        match self {
            Missing::Level(group) => format!("level-{}", group.code()),
            Missing::NatureOfHarm => "nature_of_harm".into(),
            Missing::WhoIsAtRisk => "who_is_at_risk".into(),
            Missing::Imminence => "imminence".into(),
            Missing::IncreasingFactors => "increasing_factors".into(),
            Missing::ReducingFactors => "reducing_factors".into(),
            Missing::CheckNotRequested { .. } | Missing::ResponseOutstanding { .. } => {
                "checks".into()
            }
            Missing::ResponseNotReferenced { check_id, .. } => format!("reference-{check_id}"),
            Missing::PersonNotConsidered { id, .. } => format!("consider-{id}"),
        }
    }
}

/// An assessment that has passed every gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadyToComplete {
    pub case_level: RoshLevel,
    pub needs_countersignature: bool,
    /// Checks a senior officer authorised completion without: the case shows an open risk until
    /// their responses arrive and the assessment is reviewed.
    pub completed_without: Vec<Uuid>,
}

/// Decides whether an assessment may be completed, listing everything missing if not.
pub fn assess_completion(
    content: &AssessmentContent,
    facts: &CompletionFacts,
) -> Result<ReadyToComplete, Vec<Missing>> {
    let mut missing = Vec::new();
    for group in RiskGroup::for_case(facts.case_type) {
        if content.level_for(group).is_none() {
            missing.push(Missing::Level(group));
        }
    }
    for (text, gap) in [
        (&content.nature_of_harm, Missing::NatureOfHarm),
        (&content.who_is_at_risk, Missing::WhoIsAtRisk),
        (&content.imminence, Missing::Imminence),
        (&content.increasing_factors, Missing::IncreasingFactors),
        (&content.reducing_factors, Missing::ReducingFactors),
    ] {
        if text.is_empty() {
            missing.push(gap);
        }
    }

    let mut completed_without = Vec::new();
    let mut required = vec![(CheckKind::PoliceDomesticAbuse, None)];
    if let Some(because) = facts.children_involved() {
        required.push((CheckKind::ChildrensServices, Some(because)));
    }
    for (kind, because) in required {
        match gate_check(kind, because, facts) {
            Ok(Some(authorised)) => completed_without.push(authorised),
            Ok(None) => {}
            Err(gap) => missing.push(gap),
        }
    }

    for check in &facts.checks {
        if let Some(received_on) = check.response_received_on {
            let referenced = content
                .check_references
                .iter()
                .any(|r| r.check_id == check.id && !r.note.is_empty());
            if !referenced {
                missing.push(Missing::ResponseNotReferenced {
                    check_id: check.id,
                    kind: check.kind,
                    received_on,
                });
            }
        }
    }

    for person in &facts.people_to_consider {
        let considered = content
            .considerations
            .iter()
            .any(|c| c.subject_id == person.id && !c.note.is_empty());
        if !considered {
            missing.push(Missing::PersonNotConsidered {
                id: person.id,
                name: person.name.clone(),
                relationship: person.relationship.clone(),
            });
        }
    }

    match (missing.is_empty(), content.case_level()) {
        (true, Some(case_level)) => Ok(ReadyToComplete {
            case_level,
            needs_countersignature: case_level.needs_countersignature(),
            completed_without,
        }),
        _ => Err(missing),
    }
}

/// Gate (a)/(b): a check of this kind covering the current address, answered — or, after its
/// deadline, authorised to proceed without. Returns the authorised check's id, if any.
fn gate_check(
    kind: CheckKind,
    because: Option<String>,
    facts: &CompletionFacts,
) -> Result<Option<Uuid>, Missing> {
    let address_id = facts.current_address.as_ref().map(|a| a.id);
    let covering = facts
        .checks
        .iter()
        .filter(|c| c.kind == kind && (address_id.is_none() || c.address_id == address_id))
        .max_by_key(|c| c.requested_on);
    let Some(check) = covering else {
        return Err(Missing::CheckNotRequested {
            kind,
            address: facts
                .current_address
                .as_ref()
                .map(|a| a.description.clone()),
            because,
        });
    };
    if check.response_received_on.is_some() {
        return Ok(None);
    }
    if check.authorised_without_response {
        return Ok(Some(check.id));
    }
    Err(Missing::ResponseOutstanding {
        kind,
        requested_on: check.requested_on,
        deadline: check.deadline,
        overdue: facts.today > check.deadline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn text(t: &str) -> LongText {
        LongText::required(t).unwrap()
    }

    const ADDRESS: Uuid = Uuid::from_u128(1);
    const PARTNER: Uuid = Uuid::from_u128(2);
    const CHILD: Uuid = Uuid::from_u128(3);
    const POLICE: Uuid = Uuid::from_u128(10);
    const COUNCIL: Uuid = Uuid::from_u128(11);

    fn police_check(received: Option<NaiveDate>) -> CheckFact {
        CheckFact {
            id: POLICE,
            kind: CheckKind::PoliceDomesticAbuse,
            address_id: Some(ADDRESS),
            requested_on: date(2026, 11, 2),
            deadline: date(2026, 11, 16),
            response_received_on: received,
            authorised_without_response: false,
        }
    }

    fn facts(checks: Vec<CheckFact>, with_child: bool) -> CompletionFacts {
        let mut people = vec![PersonToConsider {
            id: PARTNER,
            name: "Sam Lee".into(),
            relationship: "Partner".into(),
            age: Some(31),
            is_child: false,
        }];
        if with_child {
            people.push(PersonToConsider {
                id: CHILD,
                name: "Mia Lee".into(),
                relationship: "Child".into(),
                age: Some(6),
                is_child: true,
            });
        }
        CompletionFacts {
            case_type: CaseType::Community,
            today: date(2026, 11, 22),
            current_address: Some(AddressFact {
                id: ADDRESS,
                description: "12 Mill Lane, Midchester".into(),
            }),
            people_to_consider: people,
            child_protection_registration: false,
            checks,
        }
    }

    fn complete_content(referenced: &[Uuid], considered: &[Uuid]) -> AssessmentContent {
        AssessmentContent {
            levels: vec![
                (RiskGroup::Children, RoshLevel::Medium),
                (RiskGroup::Public, RoshLevel::Low),
                (RiskGroup::KnownAdult, RoshLevel::High),
                (RiskGroup::Staff, RoshLevel::Low),
            ],
            nature_of_harm: text("Physical and emotional harm to a partner."),
            who_is_at_risk: text("Current partner; children in the home."),
            imminence: text("Could happen at any time when drinking."),
            increasing_factors: text("Alcohol misuse, relationship conflict."),
            reducing_factors: text("Engaging with programme; stable housing."),
            considerations: considered
                .iter()
                .map(|id| Consideration {
                    subject_id: *id,
                    note: text("Considered."),
                })
                .collect(),
            check_references: referenced
                .iter()
                .map(|id| CheckReference {
                    check_id: *id,
                    note: text("Three call-outs in 2025 show escalation."),
                })
                .collect(),
        }
    }

    #[test]
    fn completing_an_assessment_without_a_police_check_is_refused() {
        let missing = assess_completion(&complete_content(&[], &[PARTNER]), &facts(vec![], false))
            .unwrap_err();
        assert_eq!(
            missing,
            vec![Missing::CheckNotRequested {
                kind: CheckKind::PoliceDomesticAbuse,
                address: Some("12 Mill Lane, Midchester".into()),
                because: None,
            }]
        );
        assert_eq!(
            missing[0].message(),
            "Request a police domestic-abuse check for the person and their current address, 12 Mill Lane, Midchester"
        );
    }

    #[test]
    fn completing_while_the_police_response_is_outstanding_is_refused() {
        let missing = assess_completion(
            &complete_content(&[], &[PARTNER]),
            &facts(vec![police_check(None)], false),
        )
        .unwrap_err();
        assert_eq!(missing.len(), 1);
        assert!(missing[0].message().starts_with(
            "Record the response to the police domestic-abuse check requested on 2 November 2026"
        ));
        assert!(
            missing[0]
                .message()
                .contains("a senior probation officer can authorise completion without it"),
            "overdue on 22 November"
        );
    }

    #[test]
    fn a_check_for_a_previous_address_does_not_count() {
        let mut old = police_check(Some(date(2026, 11, 10)));
        old.address_id = Some(Uuid::from_u128(99));
        let missing = assess_completion(
            &complete_content(&[POLICE], &[PARTNER]),
            &facts(vec![old], false),
        )
        .unwrap_err();
        assert!(matches!(
            missing[0],
            Missing::CheckNotRequested {
                kind: CheckKind::PoliceDomesticAbuse,
                ..
            }
        ));
    }

    #[test]
    fn a_received_response_must_be_referenced_in_the_analysis() {
        let missing = assess_completion(
            &complete_content(&[], &[PARTNER]),
            &facts(vec![police_check(Some(date(2026, 11, 10)))], false),
        )
        .unwrap_err();
        assert_eq!(
            missing,
            vec![Missing::ResponseNotReferenced {
                check_id: POLICE,
                kind: CheckKind::PoliceDomesticAbuse,
                received_on: date(2026, 11, 10),
            }]
        );
        assert_eq!(missing[0].anchor(), format!("reference-{POLICE}"));
    }

    #[test]
    fn a_reference_without_saying_how_it_informs_the_analysis_does_not_count() {
        let mut content = complete_content(&[POLICE], &[PARTNER]);
        content.check_references[0].note = LongText::default();
        let missing = assess_completion(
            &content,
            &facts(vec![police_check(Some(date(2026, 11, 10)))], false),
        )
        .unwrap_err();
        assert!(matches!(missing[0], Missing::ResponseNotReferenced { .. }));
    }

    #[test]
    fn a_child_in_the_household_requires_a_childrens_services_check() {
        let missing = assess_completion(
            &complete_content(&[POLICE], &[PARTNER, CHILD]),
            &facts(vec![police_check(Some(date(2026, 11, 10)))], true),
        )
        .unwrap_err();
        assert_eq!(missing.len(), 1);
        assert_eq!(
            missing[0].message(),
            "Request a children's services check for the person and their current address, 12 Mill Lane, Midchester: Mia Lee (child, age 6) lives in the household"
        );
    }

    #[test]
    fn a_child_protection_registration_requires_a_childrens_services_check_without_children_at_home(
    ) {
        let mut case = facts(vec![police_check(Some(date(2026, 11, 10)))], false);
        case.child_protection_registration = true;
        let missing =
            assess_completion(&complete_content(&[POLICE], &[PARTNER]), &case).unwrap_err();
        assert!(matches!(
            missing[0],
            Missing::CheckNotRequested {
                kind: CheckKind::ChildrensServices,
                ..
            }
        ));
    }

    #[test]
    fn every_household_member_must_be_considered() {
        let missing = assess_completion(
            &complete_content(&[POLICE], &[]),
            &facts(vec![police_check(Some(date(2026, 11, 10)))], false),
        )
        .unwrap_err();
        assert_eq!(
            missing[0].message(),
            "Consider Sam Lee (partner) in the assessment"
        );
    }

    #[test]
    fn an_empty_assessment_lists_every_gap() {
        let missing =
            assess_completion(&AssessmentContent::default(), &facts(vec![], true)).unwrap_err();
        let messages: Vec<String> = missing.iter().map(Missing::message).collect();
        assert!(messages.contains(&"Give a risk level for children".to_owned()));
        assert!(
            messages.contains(&"Describe the nature of the harm that could be caused".to_owned())
        );
        assert!(messages.iter().any(|m| m.starts_with("Request a police")));
        assert!(messages
            .iter()
            .any(|m| m.starts_with("Request a children's services check")));
        assert!(messages.contains(&"Consider Mia Lee (child) in the assessment".to_owned()));
        assert_eq!(missing.len(), 4 + 5 + 2 + 2);
    }

    #[test]
    fn prisoners_are_a_risk_group_only_for_custody_cases() {
        assert!(!RiskGroup::for_case(CaseType::Community).contains(&RiskGroup::Prisoners));
        assert!(RiskGroup::for_case(CaseType::Custody).contains(&RiskGroup::Prisoners));
    }

    #[test]
    fn a_complete_assessment_takes_the_highest_level_and_high_needs_countersignature() {
        let children = vec![
            police_check(Some(date(2026, 11, 10))),
            CheckFact {
                id: COUNCIL,
                kind: CheckKind::ChildrensServices,
                response_received_on: Some(date(2026, 11, 12)),
                ..police_check(None)
            },
        ];
        let ready = assess_completion(
            &complete_content(&[POLICE, COUNCIL], &[PARTNER, CHILD]),
            &facts(children, true),
        )
        .unwrap();
        assert_eq!(ready.case_level, RoshLevel::High);
        assert!(ready.needs_countersignature);
        assert!(ready.completed_without.is_empty());
    }

    #[test]
    fn an_authorised_outstanding_check_lets_completion_proceed_and_is_reported() {
        let mut check = police_check(None);
        check.authorised_without_response = true;
        let mut content = complete_content(&[], &[PARTNER]);
        content.levels = vec![
            (RiskGroup::Children, RoshLevel::Low),
            (RiskGroup::Public, RoshLevel::Medium),
            (RiskGroup::KnownAdult, RoshLevel::Medium),
            (RiskGroup::Staff, RoshLevel::Low),
        ];
        let ready = assess_completion(&content, &facts(vec![check], false)).unwrap();
        assert_eq!(ready.case_level, RoshLevel::Medium);
        assert!(!ready.needs_countersignature);
        assert_eq!(ready.completed_without, vec![POLICE]);
    }
}
