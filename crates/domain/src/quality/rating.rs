//! Ratings (reference §12): a key question's score is the cases answered yes ÷ the cases where it
//! applies; a standard's rating follows its **lowest** key-question score; the overall rating sums
//! 3/2/1/0 points per standard and bands the total.
//!
//! Every percentage comes with its n and a 95% Wilson score interval, because at n = 50 one case
//! moves a score by 2 points (reference §12). Every result names its framework code.

use super::framework::{Framework, OverallBands, RatingThresholds};
use crate::coded_enum;
use crate::workload::Explanation;
use serde::Serialize;
use thiserror::Error;

/// The version of the rating rules, stored beside every rating.
pub const RATING_RULE_VERSION: &str = "quality-rating-2026/1";

coded_enum! {
    /// An inspection rating, best first as the inspectorate lists them.
    pub enum Rating ("rating") {
        Outstanding => "outstanding", "Outstanding",
        Good => "good", "Good",
        RequiresImprovement => "requires_improvement", "Requires improvement",
        Inadequate => "inadequate", "Inadequate",
    }
}

super::serde_as_code!(Rating);

impl Rating {
    /// Points towards the overall rating (reference §12): Outstanding 3, Good 2, Requires
    /// improvement 1, Inadequate 0.
    pub fn points(self) -> u32 {
        match self {
            Rating::Outstanding => 3,
            Rating::Good => 2,
            Rating::RequiresImprovement => 1,
            Rating::Inadequate => 0,
        }
    }
}

/// A 95% confidence interval for a proportion, as fractions from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub lower: f64,
    pub upper: f64,
}

impl Interval {
    pub fn lower_percent(&self) -> f64 {
        self.lower * 100.0
    }
    pub fn upper_percent(&self) -> f64 {
        self.upper * 100.0
    }
}

/// The z value of a two-sided 95% interval.
const Z_95: f64 = 1.959_963_984_540_054;

/// The 95% Wilson score interval for `yes` of `n`. Chosen over the simple ±1.96·√(p(1−p)/n)
/// because it stays inside 0–100% and behaves at small n and at 0% or 100%. `None` when n = 0.
pub fn wilson_interval(yes: u32, n: u32) -> Option<Interval> {
    if n == 0 {
        return None;
    }
    let n_f = f64::from(n);
    let p = f64::from(yes.min(n)) / n_f;
    let z2 = Z_95 * Z_95;
    let denominator = 1.0 + z2 / n_f;
    let centre = (p + z2 / (2.0 * n_f)) / denominator;
    let half = Z_95 / denominator * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt();
    Some(Interval {
        lower: (centre - half).max(0.0),
        upper: (centre + half).min(1.0),
    })
}

/// A key question's score: cases answered yes, and cases where the question applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KeyQuestionScore {
    yes: u32,
    applicable: u32,
}

/// Why a score was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{yes} cases answered yes is more than the {applicable} cases the question applies to")]
pub struct InvalidScore {
    pub yes: u32,
    pub applicable: u32,
}

impl KeyQuestionScore {
    pub fn new(yes: u32, applicable: u32) -> Result<Self, InvalidScore> {
        if yes > applicable {
            return Err(InvalidScore { yes, applicable });
        }
        Ok(Self { yes, applicable })
    }

    pub fn yes(&self) -> u32 {
        self.yes
    }
    pub fn applicable(&self) -> u32 {
        self.applicable
    }

    /// The score as a percentage, `None` when no case applies.
    pub fn percent(&self) -> Option<f64> {
        (self.applicable > 0).then(|| f64::from(self.yes) * 100.0 / f64::from(self.applicable))
    }

    pub fn interval(&self) -> Option<Interval> {
        wilson_interval(self.yes, self.applicable)
    }

    /// The rating by `thresholds`, in exact integer arithmetic.
    pub fn rating(&self, thresholds: &RatingThresholds) -> Option<Rating> {
        thresholds.rate(self.yes, self.applicable)
    }

    /// Whether this score is strictly lower than `other`, compared as exact fractions.
    pub fn is_lower_than(&self, other: &KeyQuestionScore) -> bool {
        u64::from(self.yes) * u64::from(other.applicable)
            < u64::from(other.yes) * u64::from(self.applicable)
    }

    /// "13 of 50 (26.0%, 95% interval 15.9%–39.6%)", or "no cases apply".
    pub fn describe(&self) -> String {
        match (self.percent(), self.interval()) {
            (Some(percent), Some(interval)) => format!(
                "{} of {} ({percent:.1}%, 95% interval {:.1}%–{:.1}%)",
                self.yes,
                self.applicable,
                interval.lower_percent(),
                interval.upper_percent()
            ),
            _ => "no cases apply".to_owned(),
        }
    }
}

/// A ratings panel's departure from the computed rating, with the reason it must record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PanelDeparture {
    rating: Rating,
    reason: String,
}

/// Why a departure was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DepartureRefused {
    #[error("Record the panel's reason for departing from the computed rating")]
    Missing,
    #[error("The panel's reason {0}")]
    Text(crate::text::TextError),
}

/// The panel's reason for a judgement or a departure: given, and within the limit of any free
/// text, so a decision cannot carry a quarter of a million characters into the report.
pub fn panel_reason(raw: &str) -> Result<String, crate::text::TextError> {
    crate::text::bounded(raw, crate::text::LongText::MAX_CHARS)
}

impl PanelDeparture {
    pub fn new(rating: Rating, reason: &str) -> Result<Self, DepartureRefused> {
        let reason = panel_reason(reason).map_err(DepartureRefused::Text)?;
        if reason.is_empty() {
            return Err(DepartureRefused::Missing);
        }
        Ok(Self { rating, reason })
    }
    pub fn rating(&self) -> Rating {
        self.rating
    }
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// One standard's rating: computed (or judged), any panel departure, and the rating that counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StandardRating {
    pub framework: String,
    pub standard: String,
    /// The computed rating, or the judgement for a judgement standard; `None` is "not rated".
    pub computed: Option<Rating>,
    pub departure: Option<PanelDeparture>,
    pub explanation: Explanation,
}

impl StandardRating {
    /// The rating that counts: the panel's, when it departed, else the computed one.
    pub fn rating(&self) -> Option<Rating> {
        self.departure
            .as_ref()
            .map(PanelDeparture::rating)
            .or(self.computed)
    }

    /// A case standard rated from its key-question scores: the lowest score decides (the first
    /// of equal lowest scores is named). Questions with no applicable case are skipped; with none
    /// applicable at all the standard is not rated.
    pub fn from_scores(
        framework: &Framework,
        standard: &str,
        scores: &[(&str, KeyQuestionScore)],
        departure: Option<PanelDeparture>,
    ) -> Self {
        let mut explanation = Explanation::new(RATING_RULE_VERSION)
            .input("Framework", framework.code.clone())
            .input("Thresholds", framework.thresholds.describe());
        let mut lowest: Option<(&str, KeyQuestionScore)> = None;
        for (code, score) in scores {
            explanation = explanation.input(
                format!("Key question {}", framework.question_label(code)),
                score.describe(),
            );
            if score.applicable == 0 {
                continue;
            }
            if lowest.is_none_or(|(_, low)| score.is_lower_than(&low)) {
                lowest = Some((code, *score));
            }
        }
        let computed = lowest.and_then(|(_, score)| score.rating(&framework.thresholds));
        explanation = match (lowest, computed) {
            (Some((code, score)), Some(rating)) => explanation.step(format!(
                "The lowest key-question score is {}: {}; the standard follows it: {rating}",
                framework.question_label(code),
                score.describe()
            )),
            _ => explanation.step("No key question applies to any case: not rated"),
        };
        Self::finish(framework, standard, computed, departure, explanation)
    }

    /// A judgement standard (leadership, staffing, services) as the inspectors judged it; `None`
    /// when no judgement has been given.
    pub fn judged(framework: &Framework, standard: &str, judgement: Option<Rating>) -> Self {
        let explanation = Explanation::new(RATING_RULE_VERSION)
            .input("Framework", framework.code.clone())
            .step(match judgement {
                Some(rating) => format!("Judged {rating} by the ratings panel"),
                None => "No judgement given: not rated".to_owned(),
            });
        Self::finish(framework, standard, judgement, None, explanation)
    }

    fn finish(
        framework: &Framework,
        standard: &str,
        computed: Option<Rating>,
        departure: Option<PanelDeparture>,
        mut explanation: Explanation,
    ) -> Self {
        if let Some(departure) = &departure {
            explanation = explanation.step(format!(
                "The ratings panel departed from the computed rating to {}: {}",
                departure.rating, departure.reason
            ));
        }
        Self {
            framework: framework.code.clone(),
            standard: standard.to_owned(),
            computed,
            departure,
            explanation,
        }
    }
}

/// What to do when a standard is not rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum UnratedStandards {
    /// Refuse to give an overall rating (the default: a partial overall can mislead).
    Refuse,
    /// Rate on the rated standards only, banded proportionally for their number, and say so.
    RateOnRated,
}

/// Why the overall rating was not computed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OverallRefused {
    #[error("Standards {} are not rated: rate them, or choose to rate on the rated standards only", .0.join(", "))]
    Unrated(Vec<String>),
    #[error("No standard is rated, so there is no overall rating")]
    NothingRated,
    #[error("No rating was given for standard {0} of the framework")]
    MissingStandard(String),
}

/// The overall rating, with the points, the band table and the framework version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverallRating {
    pub framework: String,
    pub rating: Rating,
    pub points: u32,
    pub max_points: u32,
    /// Standards left out because they were not rated (only with [`UnratedStandards::RateOnRated`]).
    pub left_out: Vec<String>,
    pub explanation: Explanation,
}

/// Sums the points of every standard's rating (after departures) and bands the total with the
/// framework's bands.
pub fn overall(
    framework: &Framework,
    standards: &[StandardRating],
    unrated: UnratedStandards,
) -> Result<OverallRating, OverallRefused> {
    let mut explanation = Explanation::new(RATING_RULE_VERSION)
        .input("Framework", framework.code.clone())
        .input(
            "Points per standard",
            "Outstanding 3, Good 2, Requires improvement 1, Inadequate 0",
        );
    let mut points = 0;
    let mut rated = 0;
    let mut left_out = Vec::new();
    for standard in &framework.standards {
        let given = standards
            .iter()
            .find(|rating| rating.standard == standard.code)
            .ok_or_else(|| OverallRefused::MissingStandard(standard.code.clone()))?;
        match given.rating() {
            Some(rating) => {
                points += rating.points();
                rated += 1;
                explanation = explanation.input(
                    format!("{} {}", standard.code, standard.name),
                    format!(
                        "{rating} ({} point{})",
                        rating.points(),
                        if rating.points() == 1 { "" } else { "s" }
                    ),
                );
            }
            None => {
                left_out.push(standard.code.clone());
                explanation =
                    explanation.input(format!("{} {}", standard.code, standard.name), "Not rated");
            }
        }
    }
    if !left_out.is_empty() && unrated == UnratedStandards::Refuse {
        return Err(OverallRefused::Unrated(left_out));
    }
    if rated == 0 {
        return Err(OverallRefused::NothingRated);
    }
    let bands = if left_out.is_empty() {
        framework.bands.clone()
    } else {
        explanation = explanation.step(format!(
            "Rated on {rated} of {} standards; left out as not rated: {}",
            framework.standards.len(),
            left_out.join(", ")
        ));
        OverallBands::proportional(rated).map_err(|_| OverallRefused::NothingRated)?
    };
    let rating = bands.rate(points);
    explanation = explanation.input("Bands", bands.describe()).step(format!(
        "{points} of {} points falls in the {rating} band",
        bands.max_points()
    ));
    Ok(OverallRating {
        framework: framework.code.clone(),
        rating,
        points,
        max_points: bands.max_points(),
        left_out,
        explanation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::framework::{HMIP_2018, HMIP_PDU_2023};
    use crate::CodedValue;

    fn score(yes: u32, applicable: u32) -> KeyQuestionScore {
        KeyQuestionScore::new(yes, applicable).unwrap()
    }

    fn judged_all(framework: &Framework, ratings: &[Rating]) -> Vec<StandardRating> {
        framework
            .standards
            .iter()
            .zip(ratings)
            .map(|(standard, rating)| {
                StandardRating::judged(framework, &standard.code, Some(*rating))
            })
            .collect()
    }

    #[test]
    fn thirteen_of_fifty_is_twenty_six_percent_and_inadequate() {
        let thresholds = RatingThresholds::default();
        let s = score(13, 50);
        assert_eq!(s.percent(), Some(26.0));
        assert_eq!(s.rating(&thresholds), Some(Rating::Inadequate));
    }

    #[test]
    fn thirteen_of_fifty_has_a_wilson_interval_of_about_sixteen_to_forty_percent() {
        let interval = score(13, 50).interval().unwrap();
        assert!(
            (interval.lower_percent() - 15.87).abs() < 0.05,
            "{interval:?}"
        );
        assert!(
            (interval.upper_percent() - 39.55).abs() < 0.05,
            "{interval:?}"
        );
        assert_eq!(
            score(13, 50).describe(),
            "13 of 50 (26.0%, 95% interval 15.9%–39.6%)"
        );
    }

    #[test]
    fn wilson_intervals_stay_inside_zero_and_one_hundred_percent() {
        let none = wilson_interval(0, 10).unwrap();
        assert_eq!(none.lower, 0.0);
        assert!((none.upper - 0.2775).abs() < 0.001);
        let all = wilson_interval(10, 10).unwrap();
        assert!((all.lower - 0.7225).abs() < 0.001);
        assert!(all.upper <= 1.0);
        assert_eq!(wilson_interval(0, 0), None);
    }

    #[test]
    fn exactly_eighty_sixty_five_and_fifty_percent_reach_their_ratings() {
        let t = RatingThresholds::default();
        assert_eq!(score(40, 50).rating(&t), Some(Rating::Outstanding));
        assert_eq!(score(13, 20).rating(&t), Some(Rating::Good));
        assert_eq!(score(25, 50).rating(&t), Some(Rating::RequiresImprovement));
    }

    #[test]
    fn just_below_each_threshold_falls_to_the_rating_below() {
        let t = RatingThresholds::default();
        // 39 of 49 is 79.59%: not rounded up to 80%.
        assert_eq!(score(39, 49).rating(&t), Some(Rating::Good));
        // 799 of 1000 is 79.9%.
        assert_eq!(score(799, 1000).rating(&t), Some(Rating::Good));
        // 129 of 199 is 64.8%.
        assert_eq!(
            score(129, 199).rating(&t),
            Some(Rating::RequiresImprovement)
        );
        // 49 of 99 is 49.5%.
        assert_eq!(score(49, 99).rating(&t), Some(Rating::Inadequate));
    }

    #[test]
    fn a_question_with_no_applicable_cases_has_no_score_or_rating() {
        let s = score(0, 0);
        assert_eq!(s.percent(), None);
        assert_eq!(s.rating(&RatingThresholds::default()), None);
        assert_eq!(s.describe(), "no cases apply");
    }

    #[test]
    fn more_yes_answers_than_applicable_cases_is_refused() {
        assert_eq!(
            KeyQuestionScore::new(6, 5).unwrap_err().to_string(),
            "6 cases answered yes is more than the 5 cases the question applies to"
        );
    }

    #[test]
    fn a_standard_follows_its_lowest_key_question() {
        let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
        let rating = StandardRating::from_scores(
            &framework,
            "2.1",
            &[
                ("2.1.engagement", score(45, 50)),
                ("2.1.safe", score(13, 50)),
            ],
            None,
        );
        assert_eq!(rating.computed, Some(Rating::Inadequate));
        assert!(rating.explanation.steps[0]
            .starts_with("The lowest key-question score is 2.1, keeping other people safe"));
        assert_eq!(rating.framework, "hmip-pdu-2023");
    }

    #[test]
    fn equal_lowest_scores_name_the_first_question() {
        let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
        let rating = StandardRating::from_scores(
            &framework,
            "2.2",
            &[
                ("2.2.engagement", score(6, 10)),
                ("2.2.safe", score(30, 50)),
            ],
            None,
        );
        assert!(rating.explanation.steps[0].contains("2.2, engagement and desistance"));
        assert_eq!(rating.computed, Some(Rating::RequiresImprovement));
    }

    #[test]
    fn a_standard_with_no_applicable_cases_is_not_rated() {
        let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
        let rating = StandardRating::from_scores(
            &framework,
            "2.4",
            &[("2.4.engagement", score(0, 0)), ("2.4.safe", score(0, 0))],
            None,
        );
        assert_eq!(rating.rating(), None);
    }

    #[test]
    fn a_panel_departure_replaces_the_computed_rating_and_needs_a_reason() {
        assert_eq!(
            PanelDeparture::new(Rating::Good, "   "),
            Err(DepartureRefused::Missing)
        );
        let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
        let departure =
            PanelDeparture::new(Rating::RequiresImprovement, "Strong recent improvement").unwrap();
        let rating = StandardRating::from_scores(
            &framework,
            "2.1",
            &[
                ("2.1.engagement", score(40, 50)),
                ("2.1.safe", score(24, 50)),
            ],
            Some(departure),
        );
        assert_eq!(rating.computed, Some(Rating::Inadequate));
        assert_eq!(rating.rating(), Some(Rating::RequiresImprovement));
        assert!(rating.explanation.steps[1].contains("Strong recent improvement"));
    }

    #[test]
    fn three_good_and_seven_requires_improvement_is_thirteen_points_and_requires_improvement() {
        let framework = Framework::by_code(HMIP_2018).unwrap();
        let mut ratings = vec![Rating::Good; 3];
        ratings.extend([Rating::RequiresImprovement; 7]);
        let result = overall(
            &framework,
            &judged_all(&framework, &ratings),
            UnratedStandards::Refuse,
        )
        .unwrap();
        assert_eq!(result.points, 13);
        assert_eq!(result.max_points, 30);
        assert_eq!(result.rating, Rating::RequiresImprovement);
        assert_eq!(result.framework, "hmip-2018");
        assert_eq!(
            result.explanation.input_value("Bands"),
            Some("Inadequate 0–5; Requires improvement 6–15; Good 16–25; Outstanding 26–30")
        );
    }

    #[test]
    fn two_requires_improvement_and_five_inadequate_is_two_points_and_inadequate() {
        let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
        let mut standards = judged_all(
            &framework,
            &[
                Rating::RequiresImprovement,
                Rating::RequiresImprovement,
                Rating::Inadequate,
            ],
        );
        for code in ["2.1", "2.2", "2.3", "2.4"] {
            let safe = format!("{code}.safe");
            let engagement = format!("{code}.engagement");
            standards.push(StandardRating::from_scores(
                &framework,
                code,
                &[(&engagement, score(30, 50)), (&safe, score(13, 50))],
                None,
            ));
        }
        let result = overall(&framework, &standards, UnratedStandards::Refuse).unwrap();
        assert_eq!(result.points, 2);
        assert_eq!(result.rating, Rating::Inadequate);
    }

    #[test]
    fn the_overall_refuses_while_a_standard_is_unrated_naming_it() {
        let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
        let mut standards = judged_all(&framework, &[Rating::Good; 6]);
        standards.push(StandardRating::judged(&framework, "2.4", None));
        let error = overall(&framework, &standards, UnratedStandards::Refuse).unwrap_err();
        assert_eq!(error, OverallRefused::Unrated(vec!["2.4".to_owned()]));
        assert!(error.to_string().starts_with("Standards 2.4 are not rated"));
    }

    #[test]
    fn the_overall_can_be_rated_on_the_rated_standards_and_says_which_were_left_out() {
        let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
        let mut standards = judged_all(&framework, &[Rating::Good; 6]);
        standards.push(StandardRating::judged(&framework, "2.4", None));
        let result = overall(&framework, &standards, UnratedStandards::RateOnRated).unwrap();
        assert_eq!(result.points, 12);
        assert_eq!(result.max_points, 18);
        assert_eq!(result.left_out, ["2.4"]);
        assert_eq!(result.rating, Rating::Good);
        assert!(result.explanation.steps[0].contains("left out as not rated: 2.4"));
    }

    #[test]
    fn points_are_three_two_one_and_nothing() {
        let points: Vec<u32> = Rating::ALL.iter().map(|r| r.points()).collect();
        assert_eq!(points, [3, 2, 1, 0]);
    }

    #[test]
    fn ratings_serialise_as_their_codes() {
        assert_eq!(
            serde_json::to_string(&Rating::RequiresImprovement).unwrap(),
            "\"requires_improvement\""
        );
        let back: Rating = serde_json::from_str("\"good\"").unwrap();
        assert_eq!(back, Rating::Good);
    }
}
