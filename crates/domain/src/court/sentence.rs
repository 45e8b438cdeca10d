//! The sentence recorded from the court's result: its type, length, date and requirements, checked
//! before it becomes the case's event (reference §2).

use crate::calendar::{add_working_days, long_date};
use crate::event::{CaseType, SentenceType};
use crate::requirement::{validate_unpaid_work_hours, RequirementKind};
use crate::CodedValue;
use chrono::NaiveDate;

/// Working days from sentence to the induction appointment (reference §2: practice cited by staff).
pub const INDUCTION_WORKING_DAYS: u32 = 5;

/// A sentence as the court passed it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub sentence_type: SentenceType,
    pub length_months: Option<u32>,
    pub sentenced_on: NaiveDate,
    /// Each requirement with its length in its unit (hours of unpaid work, days, months…).
    pub requirements: Vec<(RequirementKind, Option<u32>)>,
}

impl Sentence {
    /// Checks a sentence passed at a hearing on `hearing_on`, seen on `today`; every problem is
    /// kept with the field it belongs to.
    pub fn check(
        sentence_type: Option<SentenceType>,
        length_months: Option<u32>,
        sentenced_on: Option<NaiveDate>,
        requirements: Vec<(RequirementKind, Option<u32>)>,
        hearing_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<Self, Vec<(String, String)>> {
        let mut errors = Vec::new();
        match sentence_type {
            None | Some(SentenceType::AwaitingSentence) => errors.push((
                "sentence_type".to_owned(),
                "Choose the sentence the court passed".to_owned(),
            )),
            Some(kind) if !requirements.is_empty() && kind.is_custodial() => errors.push((
                "requirements".to_owned(),
                format!(
                    "A {} has no community requirements: clear them, or choose a community or suspended sentence order",
                    kind.label().to_lowercase()
                ),
            )),
            Some(_) => {}
        }
        if matches!(length_months, Some(0) | Some(1201..)) {
            errors.push((
                "length".to_owned(),
                "The length must be between 1 and 1200 months".to_owned(),
            ));
        }
        if length_months.is_none()
            && sentence_type.is_some_and(|t| {
                t != SentenceType::Life && t != SentenceType::ImprisonmentForPublicProtection
            })
        {
            errors.push((
                "length".to_owned(),
                "Enter the length of the sentence in months".to_owned(),
            ));
        }
        match sentenced_on {
            None => errors.push((
                "sentenced_on-day".to_owned(),
                "Enter the date of sentence".to_owned(),
            )),
            Some(day) if day < hearing_on || day > today => errors.push((
                "sentenced_on-day".to_owned(),
                format!(
                    "The date of sentence must be between the hearing, {}, and today",
                    long_date(hearing_on)
                ),
            )),
            Some(_) => {}
        }
        for (kind, length) in &requirements {
            let field = format!("length-{}", kind.code());
            match (kind, length) {
                (RequirementKind::UnpaidWork, Some(hours)) => {
                    if let Err(e) = validate_unpaid_work_hours(*hours) {
                        errors.push((field, e.to_string()));
                    }
                }
                (_, None) => errors.push((
                    field,
                    format!(
                        "Enter the length of the {} requirement",
                        kind.label().to_lowercase()
                    ),
                )),
                (_, Some(0)) => errors.push((field, "The length must be more than 0".to_owned())),
                _ => {}
            }
        }
        match (sentence_type, sentenced_on) {
            (Some(sentence_type), Some(sentenced_on)) if errors.is_empty() => Ok(Self {
                sentence_type,
                length_months,
                sentenced_on,
                requirements,
            }),
            _ => Err(errors),
        }
    }

    /// The case type the sentence makes: community for community and suspended orders, custody
    /// for custodial sentences (licence follows release, recorded then).
    pub fn case_type(&self) -> CaseType {
        if self.sentence_type.is_custodial() {
            CaseType::Custody
        } else {
            CaseType::Community
        }
    }

    /// When the induction appointment must be arranged by.
    pub fn induction_due(&self) -> NaiveDate {
        add_working_days(self.sentenced_on, INDUCTION_WORKING_DAYS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_community_order_with_unpaid_work_is_a_community_case() {
        let sentence = Sentence::check(
            Some(SentenceType::CommunityOrder),
            Some(12),
            Some(date(2026, 12, 2)),
            vec![(RequirementKind::UnpaidWork, Some(120))],
            date(2026, 12, 2),
            date(2026, 12, 2),
        )
        .unwrap();
        assert_eq!(sentence.case_type(), CaseType::Community);
        assert_eq!(sentence.induction_due(), date(2026, 12, 9));
    }

    #[test]
    fn a_custodial_sentence_is_a_custody_case_and_has_no_requirements() {
        let errors = Sentence::check(
            Some(SentenceType::DeterminateCustody),
            Some(18),
            Some(date(2026, 12, 2)),
            vec![(RequirementKind::Curfew, Some(3))],
            date(2026, 12, 2),
            date(2026, 12, 2),
        )
        .unwrap_err();
        assert_eq!(errors[0].0, "requirements");
        let sentence = Sentence::check(
            Some(SentenceType::DeterminateCustody),
            Some(18),
            Some(date(2026, 12, 2)),
            vec![],
            date(2026, 12, 2),
            date(2026, 12, 2),
        )
        .unwrap();
        assert_eq!(sentence.case_type(), CaseType::Custody);
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let errors = Sentence::check(
            None,
            None,
            Some(date(2026, 12, 3)),
            vec![(RequirementKind::UnpaidWork, Some(500))],
            date(2026, 12, 1),
            date(2026, 12, 2),
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            ["sentence_type", "sentenced_on-day", "length-unpaid_work"]
        );
    }
}
