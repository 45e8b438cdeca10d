//! Tiering: how much supervision a case needs, computed from its risks and needs (reference §10).
//!
//! Two rule sets live side by side while the service moves from one to the other:
//! - [`legacy`]: the two-axis tier ("B2"): a protect letter A–D and a change level 0–3. Workload
//!   points are still keyed on it.
//! - [`single`]: the single tier A–G introduced in 2026.
//!
//! Both are pure: every fact they read is passed in, nothing reads a clock or a store. Every result
//! carries the [`Contribution`]s that produced it and the version of the rules that computed it,
//! so a page can show each contributing factor and the rule version: every computed tier links to
//! why.
//!
//! # Scores are compared as the decimals they were written as
//! Reference §10 compares predictor scores with their thresholds as exact decimals (the service
//! uses `BigDecimal`): a CSRP of 6.8999999 is below 6.9, however close. keepsafe holds scores as
//! `f64` and compares them with thresholds written as `f64` literals (6.9, 99.99, 0.60). That is
//! exact for every score written with up to 15 significant digits, which covers every score an
//! assessment reports: such a decimal and each threshold read to distinct nearest `f64`s, and
//! reading to the nearest `f64` keeps their order, so `6.8999999 < 6.9` and `6.90 >= 6.9` hold as
//! `f64` just as they do as decimals. Nothing is rounded before comparing (rounding 6.8999999 to
//! two places would wrongly lift it into the 6.9 row). A value with more digits than an `f64`
//! holds, such as 6.89999999999999999, is read as the nearest `f64` (6.9) before the rules see
//! it; and a score computed by arithmetic carries the arithmetic's error, so callers pass scores
//! as recorded, not as computed from other scores. Explanations show each score in its shortest
//! exact form ("6.8999999%"), never rounded, so the line agrees with the tier it explains.

pub mod json;
pub mod legacy;
pub mod single;

pub use legacy::{
    change_level, ogrs_change_points, protect_letter, ChangeInputs, LegacyTier, LegacyTierCode,
    LegacyTierInputs, NeedSeverity, NeedsAssessment, ProtectLetter, WrittenLegacyTier,
};
pub use single::{
    LifeOrIpp, PredictorType, ReleaseRecency, SexualPredictor, SexualPredictorBand, SingleTier,
    SingleTierInputs, SingleTierLetter, SingleTierMissing, SingleTierOutcome,
};

use thiserror::Error;

/// The version of the legacy two-axis rules implemented in [`legacy`]. Stored beside every
/// computed tier; change it whenever the points, thresholds or factors change.
///
/// 2: reference §10 as corrected to the service's public tiering service (RSR 3.00–6.99 and
/// 7.00–99.99 only; parenting and impulsivity only from a needs assessment; all ten needs
/// sections, finance and emotional wellbeing weighing 0; the "S" of the two-thirds registration).
pub const LEGACY_TIERING_RULE_VERSION: &str = "legacy-two-axis/2";

/// The version of the single-tier rules implemented in [`single`].
///
/// 2: reference §10 as corrected: MAPPA category instead of any MAPPA; the DC-SRP used only with
/// a score above 0, its medium band split by score at fixed thresholds; provisional per static
/// ARP and CSRP separately and per missing RoSH; a life or IPP release date still to come gives B.
pub const SINGLE_TIERING_RULE_VERSION: &str = "single-tier-2026/2";

/// Risk of serious harm level (reference §3): the highest of the levels assessed for children,
/// the public, a known adult and staff. It is the RoSH assessment module's own type, shared here so
/// a completed assessment's level feeds the tiering rules without conversion.
pub use crate::rosh::RoshLevel;

/// One line of a tier's explanation: a factor the rules looked at and what it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    /// What the factor is, as a person reads it ("RoSH: High", "Registration: Stalking").
    pub factor: String,
    /// The points it gives, for rules that add points up; `None` where the rule gives no points
    /// (the single tier's rules give letters) or the factor was not recorded.
    pub points: Option<i32>,
    /// What it does to the result ("20 protect points", "gives tier C").
    pub effect: String,
    /// Whether it counts towards the result. False when a factor was looked at but set aside, e.g.
    /// RSR points ignored because RoSH points are higher, or a single-tier rule that gives a less
    /// serious tier than another.
    pub counted: bool,
}

impl Contribution {
    fn counted(factor: impl Into<String>, points: Option<i32>, effect: impl Into<String>) -> Self {
        Self {
            factor: factor.into(),
            points,
            effect: effect.into(),
            counted: true,
        }
    }

    fn set_aside(
        factor: impl Into<String>,
        points: Option<i32>,
        effect: impl Into<String>,
    ) -> Self {
        Self {
            factor: factor.into(),
            points,
            effect: effect.into(),
            counted: false,
        }
    }
}

/// A fact passed to the tiering rules that cannot be right, so no tier is computed from it:
/// a wrong number would silently give the wrong tier.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum InvalidTieringInput {
    #[error("The {predictor} must be a percentage from 0 to 100, not {value}; correct the score")]
    NotAPercentage { predictor: &'static str, value: f64 },
    #[error(
        "The sexual reoffending predictor score must be a number, 0 or more; correct the score"
    )]
    SexualPredictorScoreNotANumber,
    /// A medium DC-SRP band needs a score of 0.60 or more (reference §10): below it the band and
    /// the score contradict each other, so one of them was recorded wrongly.
    #[error("A medium sexual reoffending predictor band needs a score of 0.60 or more, not {score}; correct the band or the score")]
    MediumSexualPredictorScoreTooLow { score: f64 },
}

/// Checks that a predictor is a percentage; NaN and values outside 0–100 are refused.
fn check_percentage(predictor: &'static str, value: f64) -> Result<f64, InvalidTieringInput> {
    if (0.0..=100.0).contains(&value) {
        Ok(value)
    } else {
        Err(InvalidTieringInput::NotAPercentage { predictor, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CodedValue;

    #[test]
    fn rosh_levels_order_from_low_to_very_high() {
        assert!(RoshLevel::Low < RoshLevel::Medium);
        assert!(RoshLevel::High < RoshLevel::VeryHigh);
        assert_eq!(RoshLevel::parse("very_high"), Ok(RoshLevel::VeryHigh));
    }

    #[test]
    fn a_predictor_outside_0_to_100_or_not_a_number_is_refused() {
        assert!(check_percentage("RSR", 0.0).is_ok());
        assert!(check_percentage("RSR", 100.0).is_ok());
        assert!(check_percentage("RSR", -0.01).is_err());
        assert!(check_percentage("RSR", 100.01).is_err());
        assert!(check_percentage("RSR", f64::NAN).is_err());
        assert_eq!(
            check_percentage("RSR", 120.0).unwrap_err().to_string(),
            "The RSR must be a percentage from 0 to 100, not 120; correct the score"
        );
    }
}
