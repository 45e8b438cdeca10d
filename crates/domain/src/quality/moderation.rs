//! Moderation: a second, senior auditor re-audits a sample of cases, and keepsafe measures how far
//! the two agree — the raw agreement rate and Cohen's kappa, which discounts the agreement two
//! auditors would reach by chance — and lists every disagreement.
//!
//! After moderation the moderator's answer stands: it is the second read, made by a more senior
//! auditor who has seen the first answer, so it is the better-informed one.

use super::audit::{Answer, ValidatedAudit};
use super::framework::Framework;
use crate::CodedValue;
use serde::Serialize;
use thiserror::Error;

/// How far two sets of answers agree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    /// Questions answered by both auditors.
    pub compared: u32,
    pub agreed: u32,
    /// `None` when nothing was compared.
    pub rate: Option<f64>,
    /// Cohen's kappa; `None` when nothing was compared or when chance agreement is already
    /// certain (both auditors gave one and the same answer throughout), where kappa is undefined.
    pub kappa: Option<f64>,
}

/// One question the two auditors answered differently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    pub case: String,
    pub question: String,
    pub first: Answer,
    pub second: Answer,
}

/// The result of moderating a sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moderation {
    pub framework: String,
    pub cases: Vec<String>,
    pub overall: Agreement,
    pub per_question: Vec<(String, Agreement)>,
    pub disagreements: Vec<Disagreement>,
}

/// Why a moderation could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ModerationRefused {
    #[error("Case {0} was moderated but has no first audit")]
    NoFirstAudit(String),
    #[error("The audit of case {0} is not against framework {1}")]
    WrongFramework(String, String),
}

fn agreement(pairs: &[(Answer, Answer)]) -> Agreement {
    let n = pairs.len() as u64;
    let agreed = pairs.iter().filter(|(a, b)| a == b).count() as u64;
    if n == 0 {
        return Agreement {
            compared: 0,
            agreed: 0,
            rate: None,
            kappa: None,
        };
    }
    // Chance agreement Σ (first_k × second_k) / n², kept in integers to spot certainty exactly.
    let chance: u64 = Answer::ALL
        .iter()
        .map(|k| {
            let first = pairs.iter().filter(|(a, _)| a == k).count() as u64;
            let second = pairs.iter().filter(|(_, b)| b == k).count() as u64;
            first * second
        })
        .sum();
    let observed = agreed as f64 / n as f64;
    let kappa = (chance != n * n).then(|| {
        let expected = chance as f64 / (n * n) as f64;
        (observed - expected) / (1.0 - expected)
    });
    Agreement {
        compared: n as u32,
        agreed: agreed as u32,
        rate: Some(observed),
        kappa,
    }
}

/// Pairs each moderator's audit with the first audit of the same case and measures agreement.
pub fn moderate(
    framework: &Framework,
    first: &[ValidatedAudit],
    second: &[ValidatedAudit],
) -> Result<Moderation, ModerationRefused> {
    let mut cases = Vec::new();
    let mut all = Vec::new();
    let mut per: Vec<(String, Vec<(Answer, Answer)>)> = framework
        .key_questions()
        .map(|(_, q)| (q.code.clone(), Vec::new()))
        .collect();
    let mut disagreements = Vec::new();
    for moderated in second {
        let case = &moderated.audit().case;
        if moderated.framework() != framework.code {
            return Err(ModerationRefused::WrongFramework(
                case.clone(),
                framework.code.clone(),
            ));
        }
        let original = first
            .iter()
            .find(|a| &a.audit().case == case)
            .ok_or_else(|| ModerationRefused::NoFirstAudit(case.clone()))?;
        cases.push(case.clone());
        for (question, pairs) in per.iter_mut() {
            if let (Some(a), Some(b)) = (original.answer(question), moderated.answer(question)) {
                pairs.push((a, b));
                all.push((a, b));
                if a != b {
                    disagreements.push(Disagreement {
                        case: case.clone(),
                        question: question.clone(),
                        first: a,
                        second: b,
                    });
                }
            }
        }
    }
    Ok(Moderation {
        framework: framework.code.clone(),
        cases,
        overall: agreement(&all),
        per_question: per
            .into_iter()
            .map(|(question, pairs)| (question, agreement(&pairs)))
            .collect(),
        disagreements,
    })
}

/// The audits that stand after moderation: the moderator's for moderated cases, the first
/// auditor's for the rest.
pub fn standing(first: &[ValidatedAudit], second: &[ValidatedAudit]) -> Vec<ValidatedAudit> {
    first
        .iter()
        .map(|audit| {
            second
                .iter()
                .find(|m| m.audit().case == audit.audit().case)
                .unwrap_or(audit)
                .clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(Answer, Answer, usize)]) -> Vec<(Answer, Answer)> {
        list.iter()
            .flat_map(|(a, b, n)| std::iter::repeat_n((*a, *b), *n))
            .collect()
    }

    #[test]
    fn kappa_discounts_chance_agreement() {
        use Answer::*;
        // 20 yes/yes, 15 no/no, 5 yes/no, 10 no/yes: observed 0.7, expected 0.5, kappa 0.4.
        let result = agreement(&pairs(&[
            (Yes, Yes, 20),
            (No, No, 15),
            (Yes, No, 5),
            (No, Yes, 10),
        ]));
        assert_eq!(result.compared, 50);
        assert_eq!(result.agreed, 35);
        assert!((result.rate.unwrap() - 0.7).abs() < 1e-9);
        assert!((result.kappa.unwrap() - 0.4).abs() < 1e-9);
    }

    #[test]
    fn kappa_is_undefined_when_both_auditors_always_gave_the_same_single_answer() {
        let result = agreement(&pairs(&[(Answer::Yes, Answer::Yes, 12)]));
        assert_eq!(result.rate, Some(1.0));
        assert_eq!(result.kappa, None);
    }

    fn audit(case: &str, safe: Answer) -> ValidatedAudit {
        use crate::quality::audit::{validate, AnswerGiven, CaseAudit};
        let framework = Framework::by_code("hmip-pdu-2023").unwrap();
        let answers = framework
            .key_questions()
            .map(|(_, q)| {
                let answer = if q.code == "2.1.safe" {
                    safe
                } else {
                    Answer::Yes
                };
                AnswerGiven {
                    question: q.code.clone(),
                    answer,
                    reason: Some("Seen in the record".to_owned()),
                }
            })
            .collect();
        let audit = CaseAudit {
            case: case.to_owned(),
            team: "T".to_owned(),
            pdu: "P".to_owned(),
            region: "R".to_owned(),
            answers,
        };
        validate(&framework, audit).unwrap()
    }

    #[test]
    fn a_moderated_case_lists_its_disagreement_and_the_moderators_audit_stands() {
        let framework = Framework::by_code("hmip-pdu-2023").unwrap();
        let first = [audit("X000001", Answer::Yes), audit("X000002", Answer::Yes)];
        let second = [audit("X000001", Answer::No)];
        let result = moderate(&framework, &first, &second).unwrap();
        assert_eq!(result.cases, ["X000001"]);
        assert_eq!(result.overall.compared, 8);
        assert_eq!(result.overall.agreed, 7);
        assert_eq!(
            result.disagreements,
            [Disagreement {
                case: "X000001".to_owned(),
                question: "2.1.safe".to_owned(),
                first: Answer::Yes,
                second: Answer::No,
            }]
        );
        let stands = standing(&first, &second);
        assert_eq!(stands[0].answer("2.1.safe"), Some(Answer::No));
        assert_eq!(stands[1].answer("2.1.safe"), Some(Answer::Yes));
    }

    #[test]
    fn a_moderated_case_without_a_first_audit_is_refused() {
        let framework = Framework::by_code("hmip-pdu-2023").unwrap();
        assert_eq!(
            moderate(&framework, &[], &[audit("X000009", Answer::Yes)]),
            Err(ModerationRefused::NoFirstAudit("X000009".to_owned()))
        );
    }

    #[test]
    fn nothing_compared_has_no_rate() {
        assert_eq!(agreement(&[]).rate, None);
    }
}
