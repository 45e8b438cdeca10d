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

pub mod legacy;
pub mod single;

pub use legacy::{
    change_level, ogrs_change_points, protect_letter, ChangeInputs, LegacyTier, LegacyTierCode,
    LegacyTierInputs, Need, NeedSeverity, NeedsAssessment, ProtectLetter, WomensFactors,
};
pub use single::{
    LifeOrIpp, ReleaseRecency, SexualPredictor, SexualPredictorBand, SingleTier, SingleTierInputs,
    SingleTierLetter, SingleTierMissing, SingleTierOutcome, SingleTierRules,
};

use thiserror::Error;

/// The version of the legacy two-axis rules implemented in [`legacy`]. Stored beside every
/// computed tier; change it whenever the points, thresholds or factors change.
pub const LEGACY_TIERING_RULE_VERSION: &str = "legacy-two-axis/1";

/// The version of the single-tier rules implemented in [`single`] with the default
/// [`SingleTierRules`]. Rules with other parameters must carry their own version string.
pub const SINGLE_TIERING_RULE_VERSION: &str = "single-tier-2026/1";

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
    #[error("The sexual reoffending predictor score must be a number; correct the score")]
    SexualPredictorScoreNotANumber,
    #[error("The sexual reoffending predictor medium-band threshold must be a number")]
    SexualPredictorThresholdNotANumber,
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
