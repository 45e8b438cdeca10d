//! A needs assessment: for each of the ten [`Section`]s, the evidence in the practitioner's words,
//! the severity of the need and whether it is linked to risk of serious harm and to reoffending;
//! and, asked in their sections, the questions the OASys general predictor ([`crate::predictors::ogp`])
//! and the women's tier factors read.
//!
//! A draft may be saved with anything missing; [`assess_completion`] decides whether it may be
//! completed and, if not, lists every gap, each naming the field that fills it.

use super::{Section, Severity};
use crate::coded_enum;
use crate::predictors::ogp::{Extent, OgpInputs, ThinkingItems};
use crate::text::LongText;
use crate::tiering::NeedsAssessment;
use crate::CodedValue;
use thiserror::Error;

coded_enum! {
    /// Where a needs assessment is in its life. Completing one supersedes the one before.
    pub enum AssessmentStatus ("needs assessment status") {
        Draft => "draft", "Draft",
        Completed => "completed", "Completed",
        Superseded => "superseded", "Superseded",
    }
}

coded_enum! {
    /// The questions asked inside the sections that the predictors and the tier read. The codes are
    /// the stored keys and the form's field names.
    pub enum Question ("needs assessment question") {
        NoFixedAbode => "no_fixed_abode", "No fixed abode",
        Unemployed => "unemployed", "Unemployed",
        ParentingResponsibilities => "parenting_responsibilities", "Parenting responsibilities",
        RegularActivities => "regular_activities", "Regular activities encourage offending",
        DrugMisuse => "drug_misuse_level", "Drug misuse",
        DrugMotivation => "drug_motivation", "Motivation to tackle drug misuse",
        Impulsivity => "impulsivity", "Impulsivity",
        TemperControl => "temper_control", "Temper control",
        ProblemSolving => "problem_solving", "Problem-solving skills",
        AwarenessOfConsequences => "awareness_of_consequences", "Awareness of consequences",
        UnderstandingOthers => "understanding_others", "Understanding other people's views",
        ProCriminalAttitudes => "pro_criminal_attitudes", "Pro-criminal attitudes",
    }
}

/// How a question is answered. Every answer is stored as a small whole number: yes 1 / no 0;
/// no 0 / some 1 / significant 2; or an OASys item score 0–2 (0 no problems, 2 significant
/// problems).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    YesNo,
    Extent,
    Problems,
}

impl AnswerKind {
    /// The choices offered, in the order shown, with what each is stored as.
    pub fn options(self) -> &'static [(u8, &'static str)] {
        match self {
            AnswerKind::YesNo => &[(1, "Yes"), (0, "No")],
            AnswerKind::Extent => &[(0, "No"), (1, "Some"), (2, "Significant")],
            AnswerKind::Problems => &[
                (0, "No problems"),
                (1, "Some problems"),
                (2, "Significant problems"),
            ],
        }
    }

    /// The highest stored value.
    pub fn max(self) -> u8 {
        match self {
            AnswerKind::YesNo => 1,
            AnswerKind::Extent | AnswerKind::Problems => 2,
        }
    }

    /// The words for a stored value.
    pub fn describe(self, value: u8) -> &'static str {
        self.options()
            .iter()
            .find(|(stored, _)| *stored == value)
            .map_or("Not answered", |(_, words)| words)
    }
}

impl Question {
    /// The section the question is asked in.
    pub fn section(self) -> Section {
        match self {
            Question::NoFixedAbode => Section::Accommodation,
            Question::Unemployed => Section::EducationTrainingEmployability,
            Question::ParentingResponsibilities => Section::Relationships,
            Question::RegularActivities => Section::Lifestyle,
            Question::DrugMisuse | Question::DrugMotivation => Section::DrugMisuse,
            Question::Impulsivity
            | Question::TemperControl
            | Question::ProblemSolving
            | Question::AwarenessOfConsequences
            | Question::UnderstandingOthers => Section::ThinkingAndBehaviour,
            Question::ProCriminalAttitudes => Section::Attitudes,
        }
    }

    pub fn kind(self) -> AnswerKind {
        match self {
            Question::NoFixedAbode | Question::Unemployed | Question::ParentingResponsibilities => {
                AnswerKind::YesNo
            }
            Question::RegularActivities | Question::ProCriminalAttitudes => AnswerKind::Extent,
            Question::DrugMisuse
            | Question::DrugMotivation
            | Question::Impulsivity
            | Question::TemperControl
            | Question::ProblemSolving
            | Question::AwarenessOfConsequences
            | Question::UnderstandingOthers => AnswerKind::Problems,
        }
    }

    /// The question as the form asks it.
    pub fn prompt(self) -> &'static str {
        match self {
            Question::NoFixedAbode => "Do they have no fixed abode?",
            Question::Unemployed => "Are they unemployed?",
            Question::ParentingResponsibilities => "Do they have parenting responsibilities?",
            Question::RegularActivities => "Do their regular activities encourage offending?",
            Question::DrugMisuse => "How much of a problem is their drug misuse?",
            Question::DrugMotivation => {
                "How much of a problem is their motivation to tackle drug misuse?"
            }
            Question::Impulsivity => "Impulsivity",
            Question::TemperControl => "Temper control",
            Question::ProblemSolving => "Problem-solving skills",
            Question::AwarenessOfConsequences => "Awareness of consequences",
            Question::UnderstandingOthers => "Understanding other people's views",
            Question::ProCriminalAttitudes => "Do they hold pro-criminal attitudes?",
        }
    }

    /// The questions asked in a section, in the order asked.
    pub fn in_section(section: Section) -> impl Iterator<Item = Question> {
        Question::ALL
            .iter()
            .copied()
            .filter(move |q| q.section() == section)
    }
}

/// One section as the practitioner filled it in so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionAnswer {
    /// The evidence, in the practitioner's words.
    pub evidence: LongText,
    pub severity: Option<Severity>,
    pub linked_to_harm: Option<bool>,
    pub linked_to_reoffending: Option<bool>,
}

/// An assessment's content as saved: any part may still be missing while it is a draft.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeedsContent {
    pub sections: Vec<(Section, SectionAnswer)>,
    pub answers: Vec<(Question, u8)>,
}

impl NeedsContent {
    pub fn section(&self, section: Section) -> Option<&SectionAnswer> {
        self.sections
            .iter()
            .find(|(s, _)| *s == section)
            .map(|(_, answer)| answer)
    }

    pub fn answer(&self, question: Question) -> Option<u8> {
        self.answers
            .iter()
            .find(|(q, _)| *q == question)
            .map(|(_, value)| *value)
    }
}

/// One gap that stops completion, worded as what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Evidence(Section),
    Severity(Section),
    LinkedToHarm(Section),
    LinkedToReoffending(Section),
    Answer(Question),
}

impl Missing {
    /// The message shown in the error summary.
    pub fn message(self) -> String {
        match self {
            Missing::Evidence(section) => format!("{section}: give the evidence for this section"),
            Missing::Severity(section) => format!("{section}: choose how severe the need is"),
            Missing::LinkedToHarm(section) => {
                format!("{section}: say whether it is linked to risk of serious harm")
            }
            Missing::LinkedToReoffending(section) => {
                format!("{section}: say whether it is linked to reoffending")
            }
            Missing::Answer(question) => {
                format!("{}: answer “{}”", question.section(), question.prompt())
            }
        }
    }

    /// The id of the field the message links to.
    pub fn anchor(self) -> String {
        match self {
            Missing::Evidence(section) => format!("evidence-{}", section.code()),
            Missing::Severity(section) => format!("severity-{}", section.code()),
            Missing::LinkedToHarm(section) => format!("harm-{}", section.code()),
            Missing::LinkedToReoffending(section) => format!("reoffending-{}", section.code()),
            Missing::Answer(question) => format!("answer-{}", question.code()),
        }
    }

    /// The section the gap is in, for the form's task list.
    pub fn section(self) -> Section {
        match self {
            Missing::Evidence(section)
            | Missing::Severity(section)
            | Missing::LinkedToHarm(section)
            | Missing::LinkedToReoffending(section) => section,
            Missing::Answer(question) => question.section(),
        }
    }
}

/// Every section's gaps, in the order the form asks: evidence, the section's questions, the
/// severity, then the two links.
pub fn missing(content: &NeedsContent) -> Vec<Missing> {
    let mut gaps = Vec::new();
    for &section in Section::ALL {
        let answer = content.section(section).cloned().unwrap_or_default();
        if answer.evidence.is_empty() {
            gaps.push(Missing::Evidence(section));
        }
        gaps.extend(
            Question::in_section(section)
                .filter(|q| content.answer(*q).is_none())
                .map(Missing::Answer),
        );
        if answer.severity.is_none() {
            gaps.push(Missing::Severity(section));
        }
        if answer.linked_to_harm.is_none() {
            gaps.push(Missing::LinkedToHarm(section));
        }
        if answer.linked_to_reoffending.is_none() {
            gaps.push(Missing::LinkedToReoffending(section));
        }
    }
    gaps
}

/// Decides whether an assessment may be completed: every section's evidence, severity and links,
/// and every question, answered. Otherwise every gap, in the order of the form.
pub fn assess_completion(content: &NeedsContent) -> Result<CompletedNeeds, Vec<Missing>> {
    let gaps = missing(content);
    if !gaps.is_empty() {
        return Err(gaps);
    }
    let severities = content
        .sections
        .iter()
        .filter_map(|(section, answer)| Some((*section, answer.severity?)))
        .collect();
    CompletedNeeds::from_parts(severities, content.answers.clone()).ok_or_else(Vec::new)
}

/// What a completed assessment gives the tier and the predictors: a severity for every section
/// and an answer to every question. Built without the evidence, so the bulk read for tiering
/// need not load it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletedNeeds {
    severities: Vec<(Section, Severity)>,
    answers: Vec<(Question, u8)>,
}

impl CompletedNeeds {
    /// `None` unless every section has a severity and every question an answer in its range.
    pub fn from_parts(
        severities: Vec<(Section, Severity)>,
        answers: Vec<(Question, u8)>,
    ) -> Option<Self> {
        let complete = Section::ALL
            .iter()
            .all(|s| severities.iter().any(|(has, _)| has == s))
            && Question::ALL.iter().all(|q| {
                answers
                    .iter()
                    .any(|(has, value)| has == q && *value <= q.kind().max())
            });
        complete.then_some(Self {
            severities,
            answers,
        })
    }

    pub fn severity(&self, section: Section) -> Severity {
        self.severities
            .iter()
            .find(|(s, _)| *s == section)
            .map(|(_, severity)| *severity)
            .unwrap_or_default()
    }

    pub fn answer(&self, question: Question) -> u8 {
        self.answers
            .iter()
            .find(|(q, _)| *q == question)
            .map_or(0, |(_, value)| *value)
    }

    /// What the legacy tier reads from this assessment (reference §10): every section's
    /// severity (the tier weighs finance and emotional wellbeing at 0, and says so) and the two
    /// answers that are women's factors.
    pub fn for_tiering(&self) -> NeedsAssessment {
        let mut needs = NeedsAssessment {
            parenting_responsibilities: self.parenting_responsibilities(),
            impulsivity_or_temper: self.impulsivity_or_temper(),
            ..NeedsAssessment::default()
        };
        for section in Section::ALL {
            needs = needs.with(*section, self.severity(*section));
        }
        needs
    }

    /// The women's factor "parenting responsibilities" (reference §10: a needs-assessment answer).
    pub fn parenting_responsibilities(&self) -> bool {
        self.answer(Question::ParentingResponsibilities) == 1
    }

    /// The women's factor "impulsivity or temper control problems": either item scored above 0.
    pub fn impulsivity_or_temper(&self) -> bool {
        self.answer(Question::Impulsivity) > 0 || self.answer(Question::TemperControl) > 0
    }

    /// OGP's inputs from this assessment and the two-year OGRS3 percentage.
    pub fn ogp_inputs(&self, ogrs3_two_year: u8) -> OgpInputs {
        let extent = |q| match self.answer(q) {
            0 => Extent::No,
            1 => Extent::Some,
            _ => Extent::Significant,
        };
        OgpInputs {
            ogrs3_two_year,
            no_fixed_abode: self.answer(Question::NoFixedAbode) == 1,
            unemployed: self.answer(Question::Unemployed) == 1,
            regular_activities: extent(Question::RegularActivities),
            drug_misuse: self.answer(Question::DrugMisuse),
            drug_motivation: self.answer(Question::DrugMotivation),
            thinking: ThinkingItems {
                impulsivity: self.answer(Question::Impulsivity),
                temper_control: self.answer(Question::TemperControl),
                problem_solving: self.answer(Question::ProblemSolving),
                awareness_of_consequences: self.answer(Question::AwarenessOfConsequences),
                understanding_others: self.answer(Question::UnderstandingOthers),
            },
            pro_criminal_attitudes: extent(Question::ProCriminalAttitudes),
        }
    }
}

/// A value typed into the form that cannot be right: refused with the field named.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NeedsInputError {
    #[error(
        "{section}: the severity must be 0 (no need), 1 (standard) or 2 (severe), not “{value}”"
    )]
    SeverityOutOfRange { section: Section, value: String },
    #[error("{}: the answer to “{}” must be {}, not “{value}”", question.section(), question.prompt(), allowed(*question))]
    AnswerOutOfRange { question: Question, value: String },
    #[error("{section}: say yes or no")]
    NotYesOrNo { field: String, section: Section },
}

fn allowed(question: Question) -> String {
    let values: Vec<String> = question
        .kind()
        .options()
        .iter()
        .map(|(value, words)| format!("{value} ({})", words.to_lowercase()))
        .collect();
    values.join(", ")
}

impl NeedsInputError {
    /// The id of the field at fault.
    pub fn field(&self) -> String {
        match self {
            NeedsInputError::SeverityOutOfRange { section, .. } => {
                format!("severity-{}", section.code())
            }
            NeedsInputError::AnswerOutOfRange { question, .. } => {
                format!("answer-{}", question.code())
            }
            NeedsInputError::NotYesOrNo { field, .. } => field.clone(),
        }
    }
}

/// A severity as typed: blank is not answered yet; 0, 1 or 2 (none, standard, severe); anything
/// else is refused.
pub fn parse_severity(section: Section, raw: &str) -> Result<Option<Severity>, NeedsInputError> {
    match raw.trim() {
        "" => Ok(None),
        "0" => Ok(Some(Severity::NoNeed)),
        "1" => Ok(Some(Severity::Standard)),
        "2" => Ok(Some(Severity::Severe)),
        other => Err(NeedsInputError::SeverityOutOfRange {
            section,
            value: other.chars().take(20).collect(),
        }),
    }
}

/// An answer as typed: blank is not answered yet; otherwise a whole number in the question's range.
pub fn parse_answer(question: Question, raw: &str) -> Result<Option<u8>, NeedsInputError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<u8>()
        .ok()
        .filter(|value| *value <= question.kind().max())
        .map(Some)
        .ok_or_else(|| NeedsInputError::AnswerOutOfRange {
            question,
            value: raw.chars().take(20).collect(),
        })
}

/// A yes/no link as typed: blank is not answered yet.
pub fn parse_link(
    field: &str,
    section: Section,
    raw: &str,
) -> Result<Option<bool>, NeedsInputError> {
    match raw.trim() {
        "" => Ok(None),
        "yes" => Ok(Some(true)),
        "no" => Ok(Some(false)),
        _ => Err(NeedsInputError::NotYesOrNo {
            field: field.to_owned(),
            section,
        }),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A complete assessment: every section standard, linked to reoffending, every answer 1
    /// (yes / some / some problems).
    pub(crate) fn complete_content() -> NeedsContent {
        NeedsContent {
            sections: Section::ALL
                .iter()
                .map(|s| {
                    (
                        *s,
                        SectionAnswer {
                            evidence: LongText::required("Said in supervision on 1 December.")
                                .unwrap(),
                            severity: Some(Severity::Standard),
                            linked_to_harm: Some(false),
                            linked_to_reoffending: Some(true),
                        },
                    )
                })
                .collect(),
            answers: Question::ALL.iter().map(|q| (*q, 1)).collect(),
        }
    }

    #[test]
    fn a_complete_assessment_may_be_completed() {
        let completed = assess_completion(&complete_content()).unwrap();
        assert_eq!(completed.severity(Section::Finance), Severity::Standard);
        assert!(completed.parenting_responsibilities());
        assert!(completed.impulsivity_or_temper());
    }

    #[test]
    fn completing_a_needs_assessment_with_a_section_unanswered_is_refused_naming_it() {
        let mut content = complete_content();
        content.sections.retain(|(s, _)| *s != Section::Finance);
        let gaps = assess_completion(&content).unwrap_err();
        assert_eq!(
            gaps,
            [
                Missing::Evidence(Section::Finance),
                Missing::Severity(Section::Finance),
                Missing::LinkedToHarm(Section::Finance),
                Missing::LinkedToReoffending(Section::Finance),
            ]
        );
        assert_eq!(gaps[1].message(), "Finance: choose how severe the need is");
        assert_eq!(gaps[1].anchor(), "severity-finance");
    }

    #[test]
    fn an_unanswered_question_is_named_with_its_section() {
        let mut content = complete_content();
        content
            .answers
            .retain(|(q, _)| *q != Question::NoFixedAbode);
        let gaps = assess_completion(&content).unwrap_err();
        assert_eq!(gaps, [Missing::Answer(Question::NoFixedAbode)]);
        assert_eq!(
            gaps[0].message(),
            "Accommodation: answer “Do they have no fixed abode?”"
        );
        assert_eq!(gaps[0].anchor(), "answer-no_fixed_abode");
    }

    #[test]
    fn an_empty_assessment_lists_every_gap() {
        let gaps = assess_completion(&NeedsContent::default()).unwrap_err();
        assert_eq!(gaps.len(), 10 * 4 + Question::ALL.len());
    }

    #[test]
    fn a_severity_outside_0_to_2_is_refused_with_the_field_named() {
        assert_eq!(
            parse_severity(Section::Accommodation, "2"),
            Ok(Some(Severity::Severe))
        );
        assert_eq!(parse_severity(Section::Accommodation, ""), Ok(None));
        let error = parse_severity(Section::Accommodation, "3").unwrap_err();
        assert_eq!(error.field(), "severity-accommodation");
        assert_eq!(
            error.to_string(),
            "Accommodation: the severity must be 0 (no need), 1 (standard) or 2 (severe), not “3”"
        );
        assert!(parse_severity(Section::Accommodation, "-1").is_err());
    }

    #[test]
    fn an_answer_outside_its_range_is_refused_with_the_field_named() {
        assert_eq!(parse_answer(Question::Impulsivity, "2"), Ok(Some(2)));
        assert!(parse_answer(Question::NoFixedAbode, "2").is_err());
        let error = parse_answer(Question::Impulsivity, "7").unwrap_err();
        assert_eq!(error.field(), "answer-impulsivity");
    }

    #[test]
    fn impulsivity_or_temper_counts_when_either_item_is_above_0() {
        let mut content = complete_content();
        content.answers = Question::ALL.iter().map(|q| (*q, 0)).collect();
        assert!(!assess_completion(&content).unwrap().impulsivity_or_temper());
        content
            .answers
            .retain(|(q, _)| *q != Question::TemperControl);
        content.answers.push((Question::TemperControl, 1));
        let completed = assess_completion(&content).unwrap();
        assert!(completed.impulsivity_or_temper());
        assert!(!completed.parenting_responsibilities());
    }

    #[test]
    fn the_tier_reads_every_section_and_the_womens_answers() {
        let mut content = complete_content();
        for (section, answer) in &mut content.sections {
            if *section == Section::ThinkingAndBehaviour {
                answer.severity = Some(Severity::Severe);
            }
        }
        let tier = assess_completion(&content).unwrap().for_tiering();
        assert_eq!(
            tier.severity(Section::ThinkingAndBehaviour),
            Severity::Severe
        );
        assert_eq!(
            tier.severity(Section::EducationTrainingEmployability),
            Severity::Standard
        );
        assert_eq!(tier.severities.len(), Section::ALL.len());
    }

    #[test]
    fn every_question_is_asked_in_a_section() {
        let asked: usize = Section::ALL
            .iter()
            .map(|s| Question::in_section(*s).count())
            .sum();
        assert_eq!(asked, Question::ALL.len());
    }
}
