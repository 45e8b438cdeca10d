//! Case audits: an auditor answers every key question of every case standard for one case, and
//! many audits are tallied into key-question scores with the cases behind every yes and no, so a
//! manager can open the cases that failed (reference §12).
//!
//! Grouping is the caller's: pass the audits of one team, PDU, region or the nation, and the tally
//! and rating are for that group.

use super::framework::Framework;
use super::rating::{
    overall, KeyQuestionScore, OverallRating, OverallRefused, PanelDeparture, Rating,
    StandardRating, UnratedStandards,
};
use crate::coded_enum;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use thiserror::Error;

coded_enum! {
    /// An auditor's answer to a key question for one case.
    pub enum Answer ("answer") {
        Yes => "yes", "Yes",
        No => "no", "No",
        NotApplicable => "not_applicable", "Not applicable",
    }
}

super::serde_as_code!(Answer);

/// One submitted answer. A reason is required for No and Not applicable, so a manager reading
/// the drill-down knows what was missing or why the question did not apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerGiven {
    pub question: String,
    pub answer: Answer,
    pub reason: Option<String>,
}

/// A submitted audit of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseAudit {
    /// The case reference (CRN).
    pub case: String,
    pub team: String,
    pub pdu: String,
    pub region: String,
    pub answers: Vec<AnswerGiven>,
}

/// An audit checked against its framework: holding one means every key question was answered
/// exactly once, with the reasons required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidatedAudit {
    framework: String,
    audit: CaseAudit,
}

impl ValidatedAudit {
    pub fn audit(&self) -> &CaseAudit {
        &self.audit
    }
    pub fn framework(&self) -> &str {
        &self.framework
    }
    pub fn answer(&self, question: &str) -> Option<Answer> {
        self.audit
            .answers
            .iter()
            .find(|a| a.question == question)
            .map(|a| a.answer)
    }
}

/// Everything wrong with a submitted audit, each list exact.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", describe_refusal(self))]
pub struct AuditRefused {
    pub missing: Vec<String>,
    pub unknown: Vec<String>,
    pub duplicated: Vec<String>,
    pub reasons_missing: Vec<String>,
}

fn describe_refusal(refused: &AuditRefused) -> String {
    let mut parts = Vec::new();
    if !refused.missing.is_empty() {
        parts.push(format!(
            "Answer key questions {}",
            refused.missing.join(", ")
        ));
    }
    if !refused.unknown.is_empty() {
        parts.push(format!(
            "Remove answers to questions not in the framework: {}",
            refused.unknown.join(", ")
        ));
    }
    if !refused.duplicated.is_empty() {
        parts.push(format!(
            "Answer each question once: {} answered more than once",
            refused.duplicated.join(", ")
        ));
    }
    if !refused.reasons_missing.is_empty() {
        parts.push(format!(
            "Give a reason for the No or Not applicable answers to {}",
            refused.reasons_missing.join(", ")
        ));
    }
    parts.join(". ")
}

/// Checks an audit against the framework.
pub fn validate(framework: &Framework, audit: CaseAudit) -> Result<ValidatedAudit, AuditRefused> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut refused = AuditRefused {
        missing: Vec::new(),
        unknown: Vec::new(),
        duplicated: Vec::new(),
        reasons_missing: Vec::new(),
    };
    for given in &audit.answers {
        *counts.entry(&given.question).or_default() += 1;
        if framework.key_question(&given.question).is_none() {
            if !refused.unknown.contains(&given.question) {
                refused.unknown.push(given.question.clone());
            }
            continue;
        }
        let blank = given.reason.as_deref().is_none_or(|r| r.trim().is_empty());
        if given.answer != Answer::Yes && blank {
            refused.reasons_missing.push(given.question.clone());
        }
    }
    for (_, question) in framework.key_questions() {
        match counts.get(question.code.as_str()) {
            None => refused.missing.push(question.code.clone()),
            Some(n) if *n > 1 => refused.duplicated.push(question.code.clone()),
            _ => {}
        }
    }
    if refused.missing.is_empty()
        && refused.unknown.is_empty()
        && refused.duplicated.is_empty()
        && refused.reasons_missing.is_empty()
    {
        Ok(ValidatedAudit {
            framework: framework.code.clone(),
            audit,
        })
    } else {
        Err(refused)
    }
}

/// One key question's tally, with the cases behind each answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionTally {
    pub question: String,
    pub standard: String,
    pub yes: Vec<String>,
    pub no: Vec<String>,
    pub not_applicable: Vec<String>,
}

impl QuestionTally {
    pub fn score(&self) -> KeyQuestionScore {
        let yes = self.yes.len() as u32;
        KeyQuestionScore::new(yes, yes + self.no.len() as u32).expect("yes never exceeds yes + no")
    }
}

/// Every key question's tally for a group of audited cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrameworkTally {
    pub framework: String,
    pub cases: Vec<String>,
    pub questions: Vec<QuestionTally>,
}

/// Why audits could not be tallied.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TallyRefused {
    #[error(
        "The audit of case {case} was made against framework {audit_framework}, not {framework}"
    )]
    WrongFramework {
        case: String,
        audit_framework: String,
        framework: String,
    },
    #[error(
        "Case {0} is audited more than once: moderate the audits and keep the one that stands"
    )]
    DuplicateCase(String),
}

/// Tallies validated audits of one group (team, PDU, region or nation, as the caller chose).
pub fn tally(
    framework: &Framework,
    audits: &[ValidatedAudit],
) -> Result<FrameworkTally, TallyRefused> {
    let mut seen = BTreeSet::new();
    for audit in audits {
        if audit.framework != framework.code {
            return Err(TallyRefused::WrongFramework {
                case: audit.audit.case.clone(),
                audit_framework: audit.framework.clone(),
                framework: framework.code.clone(),
            });
        }
        if !seen.insert(audit.audit.case.clone()) {
            return Err(TallyRefused::DuplicateCase(audit.audit.case.clone()));
        }
    }
    let questions = framework
        .key_questions()
        .map(|(standard, question)| {
            let mut tally = QuestionTally {
                question: question.code.clone(),
                standard: standard.code.clone(),
                yes: Vec::new(),
                no: Vec::new(),
                not_applicable: Vec::new(),
            };
            for audit in audits {
                let case = audit.audit.case.clone();
                match audit.answer(&question.code) {
                    Some(Answer::Yes) => tally.yes.push(case),
                    Some(Answer::No) => tally.no.push(case),
                    _ => tally.not_applicable.push(case),
                }
            }
            tally
        })
        .collect();
    Ok(FrameworkTally {
        framework: framework.code.clone(),
        cases: seen.into_iter().collect(),
        questions,
    })
}

/// A group's rating: every standard and the overall, all naming the framework. The standards are
/// rated even when the overall cannot be (a judgement standard not yet judged), so a manager still
/// sees where the unit stands and exactly what is missing for the overall.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InspectionRating {
    pub framework: String,
    pub standards: Vec<StandardRating>,
    #[serde(serialize_with = "overall_or_reason")]
    pub overall: Result<OverallRating, OverallRefused>,
}

/// The overall rating as JSON: the rating, or `{"not_given": "<why>"}`.
fn overall_or_reason<S: serde::Serializer>(
    overall: &Result<OverallRating, OverallRefused>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match overall {
        Ok(rating) => rating.serialize(serializer),
        Err(refused) => {
            let mut map = BTreeMap::new();
            map.insert("not_given", refused.to_string());
            map.serialize(serializer)
        }
    }
}

/// Why a group could not be rated.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RatingRefused {
    #[error("The tally is for framework {tally}, not {framework}")]
    WrongFramework { tally: String, framework: String },
    #[error("Standard {0} is not in the framework")]
    UnknownStandard(String),
    #[error("Standard {0} is rated from cases; record a panel departure instead of a judgement")]
    JudgementForCaseStandard(String),
    #[error("Standard {0} is a judgement; record the panel's rating as the judgement")]
    DepartureFromJudgement(String),
}

/// Rates every standard (case standards from the tally, judgement standards from `judgements`,
/// panel departures applied) and the overall.
pub fn rate(
    framework: &Framework,
    tally: &FrameworkTally,
    judgements: &[(&str, Rating)],
    departures: &[(&str, PanelDeparture)],
    unrated: UnratedStandards,
) -> Result<InspectionRating, RatingRefused> {
    if tally.framework != framework.code {
        return Err(RatingRefused::WrongFramework {
            tally: tally.framework.clone(),
            framework: framework.code.clone(),
        });
    }
    let scores: Vec<(&str, KeyQuestionScore)> = tally
        .questions
        .iter()
        .map(|q| (q.question.as_str(), q.score()))
        .collect();
    rate_scores(framework, &scores, judgements, departures, unrated)
}

/// As [`rate`], from each key question's score rather than a tally listing the cases: how a unit
/// with thousands of cases is rated from stored counts. A question not in `scores` counts as
/// applying to no case.
pub fn rate_scores(
    framework: &Framework,
    scores: &[(&str, KeyQuestionScore)],
    judgements: &[(&str, Rating)],
    departures: &[(&str, PanelDeparture)],
    unrated: UnratedStandards,
) -> Result<InspectionRating, RatingRefused> {
    for (code, _) in judgements {
        match framework.standard(code) {
            None => return Err(RatingRefused::UnknownStandard((*code).to_owned())),
            Some(s) if s.is_case_standard() => {
                return Err(RatingRefused::JudgementForCaseStandard((*code).to_owned()))
            }
            _ => {}
        }
    }
    for (code, _) in departures {
        match framework.standard(code) {
            None => return Err(RatingRefused::UnknownStandard((*code).to_owned())),
            Some(s) if !s.is_case_standard() => {
                return Err(RatingRefused::DepartureFromJudgement((*code).to_owned()))
            }
            _ => {}
        }
    }
    let standards: Vec<StandardRating> = framework
        .standards
        .iter()
        .map(|standard| {
            if standard.is_case_standard() {
                let scores: Vec<(&str, KeyQuestionScore)> = standard
                    .key_questions()
                    .iter()
                    .map(|q| {
                        let score = scores.iter().find(|(code, _)| *code == q.code).map_or_else(
                            || KeyQuestionScore::new(0, 0).expect("0 of 0 is a score"),
                            |(_, score)| *score,
                        );
                        (q.code.as_str(), score)
                    })
                    .collect();
                let departure = departures
                    .iter()
                    .find(|(code, _)| *code == standard.code)
                    .map(|(_, d)| d.clone());
                StandardRating::from_scores(framework, &standard.code, &scores, departure)
            } else {
                let judgement = judgements
                    .iter()
                    .find(|(code, _)| *code == standard.code)
                    .map(|(_, r)| *r);
                StandardRating::judged(framework, &standard.code, judgement)
            }
        })
        .collect();
    let overall = overall(framework, &standards, unrated);
    Ok(InspectionRating {
        framework: framework.code.clone(),
        standards,
        overall,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::framework::HMIP_PDU_2023;

    fn framework() -> Framework {
        Framework::by_code(HMIP_PDU_2023).unwrap()
    }

    fn audit(case: &str, safe: Answer) -> CaseAudit {
        let answers = framework()
            .key_questions()
            .map(|(_, q)| {
                let answer = if q.code.ends_with(".safe") {
                    safe
                } else {
                    Answer::Yes
                };
                AnswerGiven {
                    question: q.code.clone(),
                    answer,
                    reason: (answer != Answer::Yes).then(|| "Checks not analysed".to_owned()),
                }
            })
            .collect();
        CaseAudit {
            case: case.to_owned(),
            team: "Team 1".to_owned(),
            pdu: "Lincolnshire East".to_owned(),
            region: "East Midlands".to_owned(),
            answers,
        }
    }

    #[test]
    fn a_complete_audit_is_accepted() {
        assert!(validate(&framework(), audit("X000001", Answer::No)).is_ok());
    }

    #[test]
    fn missing_unknown_and_duplicated_questions_are_listed_exactly() {
        let mut a = audit("X000001", Answer::Yes);
        a.answers.retain(|g| g.question != "2.3.safe");
        a.answers.push(AnswerGiven {
            question: "9.9.safe".to_owned(),
            answer: Answer::Yes,
            reason: None,
        });
        let first = a.answers[0].clone();
        a.answers.push(first);
        let error = validate(&framework(), a).unwrap_err();
        assert_eq!(error.missing, ["2.3.safe"]);
        assert_eq!(error.unknown, ["9.9.safe"]);
        assert_eq!(error.duplicated, ["2.1.engagement"]);
    }

    #[test]
    fn a_no_without_a_reason_is_refused_naming_the_question() {
        let mut a = audit("X000001", Answer::Yes);
        a.answers[1].answer = Answer::No;
        let error = validate(&framework(), a).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Give a reason for the No or Not applicable answers to 2.1.safe"
        );
    }

    #[test]
    fn a_tally_lists_the_cases_behind_yes_and_no() {
        let f = framework();
        let audits: Vec<ValidatedAudit> = [
            ("X000001", Answer::Yes),
            ("X000002", Answer::No),
            ("X000003", Answer::NotApplicable),
        ]
        .into_iter()
        .map(|(case, safe)| validate(&f, audit(case, safe)).unwrap())
        .collect();
        let result = tally(&f, &audits).unwrap();
        let safe = result
            .questions
            .iter()
            .find(|q| q.question == "2.1.safe")
            .unwrap();
        assert_eq!(safe.yes, ["X000001"]);
        assert_eq!(safe.no, ["X000002"]);
        assert_eq!(safe.not_applicable, ["X000003"]);
        assert_eq!(safe.score(), KeyQuestionScore::new(1, 2).unwrap());
    }

    #[test]
    fn a_case_audited_twice_is_refused_until_moderated() {
        let f = framework();
        let a = validate(&f, audit("X000001", Answer::Yes)).unwrap();
        assert_eq!(
            tally(&f, &[a.clone(), a]),
            Err(TallyRefused::DuplicateCase("X000001".to_owned()))
        );
    }

    #[test]
    fn thirteen_of_fifty_safe_yes_rates_every_case_standard_inadequate() {
        let f = framework();
        let audits: Vec<ValidatedAudit> = (0..50)
            .map(|i| {
                let safe = if i < 13 { Answer::Yes } else { Answer::No };
                validate(&f, audit(&format!("X{i:06}"), safe)).unwrap()
            })
            .collect();
        let t = tally(&f, &audits).unwrap();
        let judgements = [
            ("1.1", Rating::RequiresImprovement),
            ("1.2", Rating::RequiresImprovement),
            ("1.3", Rating::Inadequate),
        ];
        let result = rate(&f, &t, &judgements, &[], UnratedStandards::Refuse).unwrap();
        assert!(result.standards[3..]
            .iter()
            .all(|s| s.rating() == Some(Rating::Inadequate)));
        let overall = result.overall.unwrap();
        assert_eq!(overall.points, 2);
        assert_eq!(overall.rating, Rating::Inadequate);
        assert_eq!(result.framework, "hmip-pdu-2023");
    }

    #[test]
    fn a_judgement_for_a_case_standard_is_refused() {
        let f = framework();
        let t = tally(&f, &[]).unwrap();
        assert_eq!(
            rate(
                &f,
                &t,
                &[("2.1", Rating::Good)],
                &[],
                UnratedStandards::RateOnRated
            ),
            Err(RatingRefused::JudgementForCaseStandard("2.1".to_owned()))
        );
    }

    #[test]
    fn without_judgements_the_standards_are_rated_and_the_overall_names_the_unrated_ones() {
        let f = framework();
        let a = validate(&f, audit("X000001", Answer::Yes)).unwrap();
        let t = tally(&f, &[a]).unwrap();
        let result = rate(&f, &t, &[], &[], UnratedStandards::Refuse).unwrap();
        assert_eq!(result.standards[3].rating(), Some(Rating::Outstanding));
        assert_eq!(
            result.overall,
            Err(OverallRefused::Unrated(vec![
                "1.1".to_owned(),
                "1.2".to_owned(),
                "1.3".to_owned()
            ]))
        );
        let json = serde_json::to_value(&result).unwrap();
        assert!(json["overall"]["not_given"]
            .as_str()
            .unwrap()
            .contains("1.1, 1.2, 1.3"));
    }
}
