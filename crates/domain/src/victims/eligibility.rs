//! Who is eligible for the statutory victim contact scheme (reference §6): the offence is violent
//! or sexual, and the sentence is 12 months or more in custody, or a hospital order.
//!
//! keepsafe records each offence with its OGRS3 category (`event::OffenceCategory`), so the
//! scheme's "violent or sexual" is read from the category. The mapping is **keepsafe's own**:
//! the Domestic Violence, Crime and Victims Act 2004 (s.35) names the specified violent and
//! sexual offences (Sentencing Act 2020, Schedule 18), which the OGRS3 categories group as
//! follows. Violent: "Violence against the person" and "Robbery" (robbery is violence or its
//! threat). Sexual: both sexual offence categories. Every other category — public order,
//! burglary, criminal damage among them — is treated as neither, because most offences in it are
//! not specified offences; a victim liaison officer who knows better records the referral anyway.
//!
//! keepsafe's sentence types do not include a hospital order, so whether the court made one is
//! recorded on the case's referral by victim liaison and passed in.

use crate::event::{OffenceCategory, SentenceType};
use crate::CodedValue;

/// The minimum custodial sentence, in months, for the scheme.
pub const MINIMUM_CUSTODY_MONTHS: u32 = 12;

/// What eligibility is worked out from: the main event's offence and sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EligibilityInputs {
    pub offence: OffenceCategory,
    pub sentence: SentenceType,
    /// The custodial term in months, where recorded.
    pub length_months: Option<u32>,
    /// Whether the court made a hospital order (recorded by victim liaison).
    pub hospital_order: bool,
}

/// The answer, with the reasons in words ("how it was worked out").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Eligibility {
    pub eligible: bool,
    pub reasons: Vec<String>,
}

/// Whether the offence category counts as violent for the scheme (see the module's mapping).
pub fn is_violent(offence: OffenceCategory) -> bool {
    matches!(
        offence,
        OffenceCategory::Violence | OffenceCategory::Robbery
    )
}

/// Works out whether victims of this event are eligible for the scheme, and why.
pub fn assess_eligibility(inputs: &EligibilityInputs) -> Eligibility {
    let mut reasons = Vec::new();
    let offence_counts = if inputs.offence.is_sexual() {
        reasons.push(format!(
            "The offence is sexual ({}).",
            inputs.offence.label().to_lowercase()
        ));
        true
    } else if is_violent(inputs.offence) {
        reasons.push(format!(
            "The offence is violent ({}).",
            inputs.offence.label().to_lowercase()
        ));
        true
    } else {
        reasons.push(format!(
            "The offence ({}) is neither violent nor sexual.",
            inputs.offence.label().to_lowercase()
        ));
        false
    };
    let sentence_counts = sentence_counts(inputs, &mut reasons);
    let eligible = offence_counts && sentence_counts;
    reasons.push(if eligible {
        "So the victims are eligible for the statutory victim contact scheme.".to_owned()
    } else {
        "So the victims are not eligible for the statutory victim contact scheme.".to_owned()
    });
    Eligibility { eligible, reasons }
}

fn sentence_counts(inputs: &EligibilityInputs, reasons: &mut Vec<String>) -> bool {
    if inputs.hospital_order {
        reasons.push("The court made a hospital order.".to_owned());
        return true;
    }
    match inputs.sentence {
        SentenceType::Life | SentenceType::ImprisonmentForPublicProtection => {
            reasons.push(format!(
                "The sentence ({}) is indeterminate custody.",
                inputs.sentence.label().to_lowercase()
            ));
            true
        }
        sentence if sentence.is_custodial() => match inputs.length_months {
            Some(months) if months >= MINIMUM_CUSTODY_MONTHS => {
                reasons.push(format!(
                    "The sentence is {} in custody: {MINIMUM_CUSTODY_MONTHS} months or more.",
                    months_words(months)
                ));
                true
            }
            Some(months) => {
                reasons.push(format!(
                    "The sentence is {} in custody: less than {MINIMUM_CUSTODY_MONTHS} months.",
                    months_words(months)
                ));
                false
            }
            None => {
                reasons.push(
                    "The length of the custodial sentence is not recorded; record it to work out \
                     eligibility."
                        .to_owned(),
                );
                false
            }
        },
        sentence => {
            reasons.push(format!(
                "The sentence ({}) is not custody or a hospital order.",
                sentence.label().to_lowercase()
            ));
            false
        }
    }
}

fn months_words(months: u32) -> String {
    if months == 1 {
        "1 month".to_owned()
    } else {
        format!("{months} months")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(offence: OffenceCategory, sentence: SentenceType, months: u32) -> EligibilityInputs {
        EligibilityInputs {
            offence,
            sentence,
            length_months: Some(months),
            hospital_order: false,
        }
    }

    #[test]
    fn a_violent_offence_with_twelve_months_custody_is_eligible() {
        let answer = assess_eligibility(&inputs(
            OffenceCategory::Violence,
            SentenceType::DeterminateCustody,
            12,
        ));
        assert!(answer.eligible);
        assert_eq!(
            answer.reasons,
            [
                "The offence is violent (violence against the person).",
                "The sentence is 12 months in custody: 12 months or more.",
                "So the victims are eligible for the statutory victim contact scheme."
            ]
        );
    }

    #[test]
    fn a_violent_offence_with_eleven_months_custody_is_not_eligible() {
        let answer = assess_eligibility(&inputs(
            OffenceCategory::Violence,
            SentenceType::DeterminateCustody,
            11,
        ));
        assert!(!answer.eligible);
        assert!(answer.reasons[1].contains("less than 12 months"));
    }

    #[test]
    fn a_hospital_order_for_a_sexual_offence_is_eligible() {
        let answer = assess_eligibility(&EligibilityInputs {
            offence: OffenceCategory::SexualNotChildren,
            sentence: SentenceType::CommunityOrder,
            length_months: None,
            hospital_order: true,
        });
        assert!(answer.eligible);
        assert_eq!(answer.reasons[1], "The court made a hospital order.");
    }

    #[test]
    fn a_non_violent_offence_is_not_eligible_however_long_the_sentence() {
        let answer = assess_eligibility(&inputs(
            OffenceCategory::FraudForgery,
            SentenceType::DeterminateCustody,
            48,
        ));
        assert!(!answer.eligible);
        assert_eq!(
            answer.reasons[0],
            "The offence (fraud and forgery) is neither violent nor sexual."
        );
    }

    #[test]
    fn a_community_order_for_a_violent_offence_is_not_eligible() {
        let answer = assess_eligibility(&inputs(
            OffenceCategory::Robbery,
            SentenceType::CommunityOrder,
            24,
        ));
        assert!(!answer.eligible);
        assert!(answer.reasons[1].contains("is not custody or a hospital order"));
    }

    #[test]
    fn a_life_sentence_for_robbery_is_eligible_without_a_length() {
        let answer = assess_eligibility(&EligibilityInputs {
            offence: OffenceCategory::Robbery,
            sentence: SentenceType::Life,
            length_months: None,
            hospital_order: false,
        });
        assert!(answer.eligible);
    }
}
