//! OVP, the OASys violence predictor (reference §11), as far as the reference specifies it.
//!
//! The points come from violent and non-violent sanction counts, age, sex and dynamic items that
//! keepsafe does not hold, so the points are recorded from the external assessment (see
//! [`super::recorded`]). From the points keepsafe works out what the reference does give:
//!
//! ```text
//! p1 = logistic(0.0722 × points − 4.5215)    one-year proven violent reoffending
//! p2 = logistic(0.0722 × points − 3.8773)    two-year
//! ```
//!
//! Each probability is rounded as every OASys predictor's is ([`round_half_up_percent`]) and kept
//! within 1–99, the range the bands cover. The band is read from the two-year percentage: low
//! 1–29, medium 30–59, high 60–79, very high 80–99.

use super::{logistic, round_half_up_percent};
use crate::coded_enum;
use thiserror::Error;

/// Which rule produced an OVP percentage and band. Shown on the "how it was worked out" page.
pub const RULE_VERSION: &str =
    "OVP (OASys violence predictor) from recorded points; keepsafe rule 1";

/// Weight of the points in both equations.
const POINTS_WEIGHT: f64 = 0.0722;
/// Intercepts turning the points into the one- and two-year probabilities.
const ONE_YEAR_INTERCEPT: f64 = -4.5215;
const TWO_YEAR_INTERCEPT: f64 = -3.8773;
/// The reported percentage never goes below or above these: the bands run from 1 to 99.
const LOWEST_PERCENT: u8 = 1;
const HIGHEST_PERCENT: u8 = 99;

/// The most OVP points keepsafe accepts. The reference gives no maximum; keepsafe's own bound,
/// so a slip of the keyboard (820 for 82) is refused rather than scored as near-certain: at 100
/// points the two-year chance is already 97%.
pub const MAXIMUM_POINTS: u32 = 100;

coded_enum! {
    /// OVP band, read from the two-year percentage: low 1–29, medium 30–59, high 60–79, very high
    /// 80–99.
    pub enum OvpBand ("OVP band") {
        Low => "low", "Low",
        Medium => "medium", "Medium",
        High => "high", "High",
        VeryHigh => "very_high", "Very high",
    }
}

impl OvpBand {
    /// The band for a two-year percentage.
    pub fn from_two_year_percent(percent: u8) -> Self {
        match percent {
            0..=29 => OvpBand::Low,
            30..=59 => OvpBand::Medium,
            60..=79 => OvpBand::High,
            80.. => OvpBand::VeryHigh,
        }
    }
}

/// An OVP result: the percentages, the band and how they were reached.
#[derive(Debug, Clone, PartialEq)]
pub struct OvpScore {
    pub points: u32,
    /// Chance of proven violent reoffending within one year, 1–99.
    pub one_year: u8,
    /// Chance of proven violent reoffending within two years, 1–99.
    pub two_year: u8,
    pub band: OvpBand,
    /// `0.0722 × points − 4.5215`, before the logistic function.
    pub one_year_linear: f64,
    /// `0.0722 × points − 3.8773`.
    pub two_year_linear: f64,
    /// The one-year probability before rounding.
    pub one_year_probability: f64,
    /// The two-year probability before rounding.
    pub two_year_probability: f64,
}

/// Why OVP cannot be worked out from the points given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum OvpInputError {
    #[error("OVP points must be from 0 to {MAXIMUM_POINTS}, not {0}")]
    TooManyPoints(u32),
}

/// OVP from the points recorded in the external assessment.
pub fn ovp(points: u32) -> Result<OvpScore, OvpInputError> {
    if points > MAXIMUM_POINTS {
        return Err(OvpInputError::TooManyPoints(points));
    }
    let weighted = POINTS_WEIGHT * f64::from(points);
    let one_year_linear = weighted + ONE_YEAR_INTERCEPT;
    let two_year_linear = weighted + TWO_YEAR_INTERCEPT;
    let one_year_probability = logistic(one_year_linear);
    let two_year_probability = logistic(two_year_linear);
    let percent = |probability: f64| {
        let rounded = round_half_up_percent(probability).min(u32::from(HIGHEST_PERCENT));
        (rounded as u8).max(LOWEST_PERCENT)
    };
    let two_year = percent(two_year_probability);
    Ok(OvpScore {
        points,
        one_year: percent(one_year_probability),
        two_year,
        band: OvpBand::from_two_year_percent(two_year),
        one_year_linear,
        two_year_linear,
        one_year_probability,
        two_year_probability,
    })
}

impl OvpScore {
    /// Every step of the working, one line each, for the "how it was worked out" page.
    pub fn steps(&self) -> Vec<String> {
        vec![
            format!("Points recorded from the assessment: {}", self.points),
            format!(
                "One year: 0.0722 × {} − 4.5215 = {:.4}; logistic({:.4}) = {:.5}",
                self.points, self.one_year_linear, self.one_year_linear, self.one_year_probability
            ),
            format!(
                "Two years: 0.0722 × {} − 3.8773 = {:.4}; logistic({:.4}) = {:.5}",
                self.points, self.two_year_linear, self.two_year_linear, self.two_year_probability
            ),
            format!(
                "Reported: one year {}%, two years {}% (each probability rounded to 5 decimal \
                 places, then to a whole percentage half-up, kept within 1–99)",
                self.one_year, self.two_year
            ),
            format!(
                "Band: {} (from the two-year percentage: low 1–29, medium 30–59, high 60–79, \
                 very high 80–99)",
                self.band
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_example_82_points_is_80_and_89_percent_very_high() {
        let score = ovp(82).unwrap();
        assert_eq!((score.one_year, score.two_year), (80, 89));
        assert_eq!(score.band, OvpBand::VeryHigh);
    }

    #[test]
    fn the_band_is_read_from_the_two_year_percentage_at_each_boundary() {
        assert_eq!(OvpBand::from_two_year_percent(1), OvpBand::Low);
        assert_eq!(OvpBand::from_two_year_percent(29), OvpBand::Low);
        assert_eq!(OvpBand::from_two_year_percent(30), OvpBand::Medium);
        assert_eq!(OvpBand::from_two_year_percent(59), OvpBand::Medium);
        assert_eq!(OvpBand::from_two_year_percent(60), OvpBand::High);
        assert_eq!(OvpBand::from_two_year_percent(79), OvpBand::High);
        assert_eq!(OvpBand::from_two_year_percent(80), OvpBand::VeryHigh);
        assert_eq!(OvpBand::from_two_year_percent(99), OvpBand::VeryHigh);
    }

    #[test]
    fn no_points_is_kept_at_one_percent_and_low() {
        let score = ovp(0).unwrap();
        // logistic(−4.5215) is 1.08%, logistic(−3.8773) 2.03%.
        assert_eq!((score.one_year, score.two_year), (1, 2));
        assert_eq!(score.band, OvpBand::Low);
    }

    #[test]
    fn more_points_than_the_scale_holds_are_refused() {
        assert!(ovp(MAXIMUM_POINTS).is_ok());
        assert_eq!(
            ovp(820).unwrap_err().to_string(),
            "OVP points must be from 0 to 100, not 820"
        );
    }

    #[test]
    fn the_working_shows_each_equation_and_the_band_rule() {
        let steps = ovp(82).unwrap().steps();
        assert_eq!(steps[0], "Points recorded from the assessment: 82");
        assert!(steps[1].starts_with("One year: 0.0722 × 82 − 4.5215 = 1.3989"));
        assert!(steps[2].starts_with("Two years: 0.0722 × 82 − 3.8773 = 2.0431"));
        assert!(steps[4].starts_with("Band: Very high"));
    }
}
