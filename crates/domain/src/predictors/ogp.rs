//! OGP, the OASys general predictor (reference §11): the chance of proven non-violent reoffending
//! within one and two years, from OGRS3 and the dynamic needs-assessment answers.
//!
//! ```text
//! points = round(0.6 × OGRS3 two-year %)
//!        + no fixed abode 5 + unemployed 5
//!        + regular activities encourage offending (some 3, significant 5)
//!        + round(3.75 × (drug misuse + motivation to tackle drug misuse))
//!        + round(5/6 × sum of the five thinking and behaviour items)
//!        + pro-criminal attitudes (some 3, significant 5)
//! p1 = logistic(0.0616 × points − 3.6832)    one year
//! p2 = logistic(0.0616 × points − 3.0795)    two years
//! ```
//!
//! **Rounding.** Every `round` above is half-up (… .5 goes up), done in whole numbers so no
//! binary fraction can tip a half the wrong way: `0.6 × g` is `(6g + 5) div 10`, `3.75 × s` is
//! `(375s + 50) div 100` (7.5 → 8), and `5/6 × t` is `(10t + 6) div 12` (2.5 → 3). Each
//! probability is then rounded to five decimal places and to a whole percentage half-up, and kept
//! within 1–99, exactly as OGRS3's ([`super::round_half_up_percent`]). The band is read from the
//! two-year percentage: low 1–33, medium 34–66, high 67–84, very high 85–99.

use super::{logistic, round_half_up_percent};
use crate::coded_enum;
use crate::CodedValue;
use std::fmt;
use thiserror::Error;

/// Stored and shown with every OGP result.
pub const RULE_VERSION: &str =
    "OGP (OASys general predictor), as in keepsafe reference §11; keepsafe rule 1";

const WEIGHT: f64 = 0.0616;
const ONE_YEAR_INTERCEPT: f64 = -3.6832;
const TWO_YEAR_INTERCEPT: f64 = -3.0795;
const NO_FIXED_ABODE_POINTS: u32 = 5;
const UNEMPLOYED_POINTS: u32 = 5;

coded_enum! {
    /// How far something is present: the answer to "regular activities encourage offending" and
    /// "pro-criminal attitudes".
    pub enum Extent ("extent") {
        No => "no", "No",
        Some => "some", "Some",
        Significant => "significant", "Significant",
    }
}

impl Extent {
    /// OGP points: some 3, significant 5.
    pub fn points(self) -> u32 {
        match self {
            Extent::No => 0,
            Extent::Some => 3,
            Extent::Significant => 5,
        }
    }
}

coded_enum! {
    /// OGP band, read from the two-year percentage.
    pub enum OgpBand ("OGP band") {
        Low => "low", "Low",
        Medium => "medium", "Medium",
        High => "high", "High",
        VeryHigh => "very_high", "Very high",
    }
}

impl OgpBand {
    /// Low 1–33, medium 34–66, high 67–84, very high 85–99.
    pub fn from_two_year_percent(percent: u8) -> Self {
        match percent {
            0..=33 => OgpBand::Low,
            34..=66 => OgpBand::Medium,
            67..=84 => OgpBand::High,
            85.. => OgpBand::VeryHigh,
        }
    }
}

/// The five thinking and behaviour items, each 0 (no problems) to 2 (significant problems).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThinkingItems {
    pub impulsivity: u8,
    pub temper_control: u8,
    pub problem_solving: u8,
    pub awareness_of_consequences: u8,
    pub understanding_others: u8,
}

impl ThinkingItems {
    fn named(&self) -> [(&'static str, u8); 5] {
        [
            ("impulsivity", self.impulsivity),
            ("temper_control", self.temper_control),
            ("problem_solving", self.problem_solving),
            ("awareness_of_consequences", self.awareness_of_consequences),
            ("understanding_others", self.understanding_others),
        ]
    }

    pub fn sum(&self) -> u32 {
        self.named().iter().map(|(_, v)| u32::from(*v)).sum()
    }
}

/// What OGP reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OgpInputs {
    /// OGRS3's two-year percentage.
    pub ogrs3_two_year: u8,
    pub no_fixed_abode: bool,
    pub unemployed: bool,
    pub regular_activities: Extent,
    /// 0–2.
    pub drug_misuse: u8,
    /// Problems with motivation to tackle drug misuse, 0–2.
    pub drug_motivation: u8,
    pub thinking: ThinkingItems,
    pub pro_criminal_attitudes: Extent,
}

/// An input OGP cannot score, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OgpInputError {
    #[error("ogrs3_two_year ({0}) must be a percentage from 0 to 100")]
    NotAPercentage(u8),
    #[error("{field} ({value}) must be 0, 1 or 2")]
    ItemOutOfRange { field: &'static str, value: u8 },
}

impl OgpInputError {
    pub fn field(&self) -> &'static str {
        match self {
            OgpInputError::NotAPercentage(_) => "ogrs3_two_year",
            OgpInputError::ItemOutOfRange { field, .. } => field,
        }
    }
}

/// One component of the points, as the working shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OgpComponent {
    /// What was read and how it became points.
    pub description: String,
    pub points: u32,
}

/// Every step from the inputs to the percentages.
#[derive(Debug, Clone, PartialEq)]
pub struct OgpExplanation {
    pub components: Vec<OgpComponent>,
    pub points: u32,
    pub one_year_probability: f64,
    pub two_year_probability: f64,
    pub rule_version: &'static str,
}

/// An OGP result.
#[derive(Debug, Clone, PartialEq)]
pub struct OgpScore {
    pub points: u32,
    /// 1–99.
    pub one_year: u8,
    /// 1–99.
    pub two_year: u8,
    pub band: OgpBand,
    pub explanation: OgpExplanation,
}

/// `round(0.6 × percent)`, half-up.
pub fn ogrs3_points(percent: u8) -> u32 {
    (6 * u32::from(percent) + 5) / 10
}

/// `round(3.75 × (drug misuse + motivation))`, half-up.
pub fn drug_points(drug_misuse: u8, motivation: u8) -> u32 {
    (375 * (u32::from(drug_misuse) + u32::from(motivation)) + 50) / 100
}

/// `round(5/6 × sum of the thinking and behaviour items)`, half-up.
pub fn thinking_points(sum: u32) -> u32 {
    (10 * sum + 6) / 12
}

/// The points for a total, as probabilities and percentages.
fn percent(points: u32, intercept: f64) -> (f64, u8) {
    let probability = logistic(WEIGHT * f64::from(points) + intercept);
    let percent = round_half_up_percent(probability).clamp(1, 99);
    (probability, u8::try_from(percent).unwrap_or(99))
}

/// The percentages and band for a total of points (the last two steps of OGP).
pub fn from_points(points: u32) -> (u8, u8, OgpBand, f64, f64) {
    let (p1, one_year) = percent(points, ONE_YEAR_INTERCEPT);
    let (p2, two_year) = percent(points, TWO_YEAR_INTERCEPT);
    (
        one_year,
        two_year,
        OgpBand::from_two_year_percent(two_year),
        p1,
        p2,
    )
}

/// Computes OGP (reference §11).
pub fn ogp(inputs: &OgpInputs) -> Result<OgpScore, OgpInputError> {
    if inputs.ogrs3_two_year > 100 {
        return Err(OgpInputError::NotAPercentage(inputs.ogrs3_two_year));
    }
    let items = [
        ("drug_misuse", inputs.drug_misuse),
        ("drug_motivation", inputs.drug_motivation),
    ]
    .into_iter()
    .chain(inputs.thinking.named());
    for (field, value) in items {
        if value > 2 {
            return Err(OgpInputError::ItemOutOfRange { field, value });
        }
    }
    let yes = |flag: bool| if flag { "yes" } else { "no" };
    let thinking_sum = inputs.thinking.sum();
    let drug_sum = inputs.drug_misuse + inputs.drug_motivation;
    let components = vec![
        OgpComponent {
            description: format!(
                "OGRS3 two-year {}%: round(0.6 × {}) = {}",
                inputs.ogrs3_two_year,
                inputs.ogrs3_two_year,
                ogrs3_points(inputs.ogrs3_two_year)
            ),
            points: ogrs3_points(inputs.ogrs3_two_year),
        },
        OgpComponent {
            description: format!("No fixed abode: {} (yes gives 5)", yes(inputs.no_fixed_abode)),
            points: if inputs.no_fixed_abode { NO_FIXED_ABODE_POINTS } else { 0 },
        },
        OgpComponent {
            description: format!("Unemployed: {} (yes gives 5)", yes(inputs.unemployed)),
            points: if inputs.unemployed { UNEMPLOYED_POINTS } else { 0 },
        },
        OgpComponent {
            description: format!(
                "Regular activities encourage offending: {} (some gives 3, significant 5)",
                inputs.regular_activities.label().to_lowercase()
            ),
            points: inputs.regular_activities.points(),
        },
        OgpComponent {
            description: format!(
                "Drug misuse {} + motivation to tackle drug misuse {}: round(3.75 × {drug_sum}) = {}",
                inputs.drug_misuse,
                inputs.drug_motivation,
                drug_points(inputs.drug_misuse, inputs.drug_motivation)
            ),
            points: drug_points(inputs.drug_misuse, inputs.drug_motivation),
        },
        OgpComponent {
            description: format!(
                "Thinking and behaviour: impulsivity {}, temper control {}, problem-solving {}, \
                 awareness of consequences {}, understanding other people's views {}: \
                 round(5/6 × {thinking_sum}) = {}",
                inputs.thinking.impulsivity,
                inputs.thinking.temper_control,
                inputs.thinking.problem_solving,
                inputs.thinking.awareness_of_consequences,
                inputs.thinking.understanding_others,
                thinking_points(thinking_sum)
            ),
            points: thinking_points(thinking_sum),
        },
        OgpComponent {
            description: format!(
                "Pro-criminal attitudes: {} (some gives 3, significant 5)",
                inputs.pro_criminal_attitudes.label().to_lowercase()
            ),
            points: inputs.pro_criminal_attitudes.points(),
        },
    ];
    let points = components.iter().map(|c| c.points).sum();
    let (one_year, two_year, band, p1, p2) = from_points(points);
    Ok(OgpScore {
        points,
        one_year,
        two_year,
        band,
        explanation: OgpExplanation {
            components,
            points,
            one_year_probability: p1,
            two_year_probability: p2,
            rule_version: RULE_VERSION,
        },
    })
}

/// The working, one step per line.
impl fmt::Display for OgpExplanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for component in &self.components {
            writeln!(f, "{}: {} points", component.description, component.points)?;
        }
        writeln!(f, "Total: {} points", self.points)?;
        writeln!(
            f,
            "One year: logistic(0.0616 × {} − 3.6832) = {:.5}",
            self.points, self.one_year_probability
        )?;
        write!(
            f,
            "Two years: logistic(0.0616 × {} − 3.0795) = {:.5}",
            self.points, self.two_year_probability
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 62 points: OGRS3 50% (30), no fixed abode (5), unemployed (5), significant activities (5),
    /// drugs 2 + 1 (11), thinking items summing to 3 (3), some pro-criminal attitudes (3).
    fn sixty_two_points() -> OgpInputs {
        OgpInputs {
            ogrs3_two_year: 50,
            no_fixed_abode: true,
            unemployed: true,
            regular_activities: Extent::Significant,
            drug_misuse: 2,
            drug_motivation: 1,
            thinking: ThinkingItems {
                impulsivity: 1,
                temper_control: 1,
                problem_solving: 1,
                ..ThinkingItems::default()
            },
            pro_criminal_attitudes: Extent::Some,
        }
    }

    #[test]
    fn the_reference_example_62_points_is_53_and_68_percent_high() {
        let score = ogp(&sixty_two_points()).unwrap();
        assert_eq!(score.points, 62);
        assert_eq!(
            (score.one_year, score.two_year, score.band),
            (53, 68, OgpBand::High)
        );
        assert_eq!(from_points(62).0..=from_points(62).1, 53..=68);
    }

    #[test]
    fn ogrs3_gives_six_tenths_of_its_percentage_rounded_half_up() {
        assert_eq!(ogrs3_points(50), 30);
        assert_eq!(ogrs3_points(1), 1); // 0.6
        assert_eq!(ogrs3_points(4), 2); // 2.4
        assert_eq!(ogrs3_points(99), 59); // 59.4
    }

    #[test]
    fn no_fixed_abode_and_unemployment_give_5_each() {
        let mut inputs = sixty_two_points();
        inputs.no_fixed_abode = false;
        assert_eq!(ogp(&inputs).unwrap().points, 57);
        inputs.unemployed = false;
        assert_eq!(ogp(&inputs).unwrap().points, 52);
    }

    #[test]
    fn regular_activities_and_attitudes_give_3_for_some_and_5_for_significant() {
        assert_eq!(Extent::No.points(), 0);
        assert_eq!(Extent::Some.points(), 3);
        assert_eq!(Extent::Significant.points(), 5);
        let mut inputs = sixty_two_points();
        inputs.pro_criminal_attitudes = Extent::Significant;
        inputs.regular_activities = Extent::No;
        assert_eq!(ogp(&inputs).unwrap().points, 62 - 5 + 2);
    }

    #[test]
    fn drug_points_are_3_75_times_the_sum_rounded_half_up() {
        assert_eq!(
            (0..=4)
                .map(|sum| drug_points(sum.min(2), sum.saturating_sub(2)))
                .collect::<Vec<_>>(),
            [0, 4, 8, 11, 15] // 0, 3.75, 7.5 (half up), 11.25, 15
        );
    }

    #[test]
    fn thinking_points_are_five_sixths_of_the_sum_rounded_half_up() {
        let expected = [0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 8];
        // 2.5 → 3 and 7.5 → 8 (half up); 3.33 → 3, 8.33 → 8.
        for (sum, points) in expected.iter().enumerate() {
            assert_eq!(thinking_points(sum as u32), *points, "sum {sum}");
        }
    }

    #[test]
    fn bands_are_read_from_the_two_year_percentage() {
        let bands: Vec<OgpBand> = [1, 33, 34, 66, 67, 84, 85, 99]
            .iter()
            .map(|p| OgpBand::from_two_year_percent(*p))
            .collect();
        assert_eq!(
            bands,
            [
                OgpBand::Low,
                OgpBand::Low,
                OgpBand::Medium,
                OgpBand::Medium,
                OgpBand::High,
                OgpBand::High,
                OgpBand::VeryHigh,
                OgpBand::VeryHigh
            ]
        );
    }

    #[test]
    fn percentages_stay_within_1_to_99() {
        assert_eq!(from_points(0).0, 2); // logistic(−3.6832) ≈ 2.5%
        assert_eq!(from_points(200).1, 99);
    }

    #[test]
    fn an_item_outside_0_to_2_is_refused_naming_it() {
        let mut inputs = sixty_two_points();
        inputs.thinking.temper_control = 3;
        let error = ogp(&inputs).unwrap_err();
        assert_eq!(error.field(), "temper_control");
        inputs.thinking.temper_control = 0;
        inputs.ogrs3_two_year = 101;
        assert_eq!(ogp(&inputs).unwrap_err().field(), "ogrs3_two_year");
    }

    #[test]
    fn the_explanation_shows_every_component_and_the_total() {
        let text = ogp(&sixty_two_points()).unwrap().explanation.to_string();
        assert!(
            text.contains("OGRS3 two-year 50%: round(0.6 × 50) = 30: 30 points"),
            "{text}"
        );
        assert!(text.contains("round(3.75 × 3) = 11: 11 points"), "{text}");
        assert!(text.contains("round(5/6 × 3) = 3: 3 points"), "{text}");
        assert!(text.contains("Total: 62 points"), "{text}");
        assert!(
            text.contains("logistic(0.0616 × 62 − 3.0795) = 0.67"),
            "{text}"
        );
    }
}
