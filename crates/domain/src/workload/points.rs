//! Workload points (reference §9): each case scores points from a lookup by case type and legacy
//! tier; each court or parole report scores its own points. The weights are configurable and
//! effective-dated: [`WeightsHistory::in_force_on`] picks the set in force on a date, and every
//! result names the version it was computed with.
//!
//! Two choices the reference leaves open, decided here:
//! - **Young adults.** The reference gives a "young adult (18–24) row for all types". A person aged
//!   18 to 24 inclusive (age in whole years, birthday-aware, on the date the workload is measured)
//!   scores from the young-adult row *instead of* the row for their case type, whether the case is
//!   community, custody or licence. Anyone younger or older scores from their case type's row.
//! - **Pre-sentence cases.** A person awaiting sentence has no sentence to supervise: the work is
//!   the court report. A pre-sentence case scores 0 case points, with an explanation saying so, and
//!   the report is counted separately with [`report_points`] (standard 138, fast 65). Counting both
//!   would count the same work twice. The young-adult row does not apply to them either: it is a
//!   row of case points, and they have none.

use super::{format_points, Explanation};
use crate::coded_enum;
use crate::codes::CodedValue;
use crate::event::CaseType;
use crate::tiering::{LegacyTierCode, ProtectLetter};
use chrono::NaiveDate;
use std::ops::RangeInclusive;
use thiserror::Error;

/// The ages, in whole years, that score from the young-adult row.
pub const YOUNG_ADULT_AGES: RangeInclusive<u32> = 18..=24;

coded_enum! {
    /// Reports that score workload points of their own (reference §9).
    pub enum ReportKind ("report type") {
        StandardCourtReport => "standard_court_report", "Standard court report",
        FastCourtReport => "fast_court_report", "Fast court report",
        ParoleReport => "parole_report", "Parole report",
    }
}

/// One version of the workload weights: points per case for each legacy tier, in the order of
/// [`LegacyTierCode::ALL`] (A3 A2 A1 A0 B3 B2 B1 B0 C3 C2 C1 C0 D3 D2 D1 D0), and points per report.
///
/// Reference data, not constants: policy changes the weights, and a number computed last year must
/// still say which weights produced it. Start from [`WorkloadWeights::reference_2026`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadWeights {
    /// Stored beside every number computed with these weights; unique within a history.
    pub version: String,
    /// The first day these weights are in force.
    pub effective_from: NaiveDate,
    pub community: [u32; 16],
    pub custody: [u32; 16],
    pub licence: [u32; 16],
    /// For people aged 18–24, whatever the case type ([`YOUNG_ADULT_AGES`]).
    pub young_adult: [u32; 16],
    pub standard_court_report: u32,
    pub fast_court_report: u32,
    pub parole_report: u32,
}

impl WorkloadWeights {
    /// The default weights of reference §9 exactly, in force from 1 January 2026, the first day
    /// keepsafe measures workload with them. A history that must cover earlier weeks needs an
    /// earlier set of its own.
    pub fn reference_2026() -> Self {
        Self {
            version: "workload-weights-2026/1".to_owned(),
            effective_from: NaiveDate::from_ymd_opt(2026, 1, 1).expect("a real date"),
            community: [
                206, 158, 146, 110, 146, 115, 102, 72, 79, 63, 50, 35, 51, 41, 29, 29,
            ],
            custody: [75, 60, 59, 0, 59, 48, 47, 0, 30, 24, 23, 0, 17, 14, 13, 0],
            licence: [
                219, 175, 163, 0, 161, 132, 119, 0, 77, 65, 52, 0, 51, 43, 31, 0,
            ],
            young_adult: [75, 60, 59, 0, 59, 48, 47, 0, 30, 24, 23, 0, 17, 14, 13, 0],
            standard_court_report: 138,
            fast_court_report: 65,
            parole_report: 120,
        }
    }

    /// The row of case points for a case type; `None` for pre-sentence cases, which score reports,
    /// not case points.
    pub fn case_type_row(&self, case_type: CaseType) -> Option<&[u32; 16]> {
        match case_type {
            CaseType::Community => Some(&self.community),
            CaseType::Custody => Some(&self.custody),
            CaseType::Licence => Some(&self.licence),
            CaseType::PreSentence => None,
        }
    }

    /// Points for one report.
    pub fn report(&self, kind: ReportKind) -> u32 {
        match kind {
            ReportKind::StandardCourtReport => self.standard_court_report,
            ReportKind::FastCourtReport => self.fast_court_report,
            ReportKind::ParoleReport => self.parole_report,
        }
    }

    /// How the weights are named in explanations: "workload-weights-2026/1, in force from
    /// 1 January 2026".
    fn described(&self) -> String {
        format!(
            "{}, in force from {}",
            self.version,
            crate::calendar::long_date(self.effective_from)
        )
    }
}

/// The position of a tier in a row of weights: the order of [`LegacyTierCode::ALL`], A3 first and
/// D0 last.
fn tier_index(tier: LegacyTierCode) -> usize {
    let protect = match tier.protect() {
        ProtectLetter::A => 0,
        ProtectLetter::B => 1,
        ProtectLetter::C => 2,
        ProtectLetter::D => 3,
    };
    // A change level is at most 3: every way of making a `LegacyTierCode` checks it.
    protect * 4 + (3 - usize::from(tier.change().min(3)))
}

/// A case's workload points and how they were computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasePoints {
    pub points: u32,
    /// True when the young-adult row was used instead of the case type's row.
    pub young_adult_row: bool,
    pub explanation: Explanation,
}

/// The workload points for one case: its case type's row at its legacy tier, or the young-adult
/// row for a person aged 18–24; 0 for a pre-sentence case, whose work is counted as a report (see
/// the module documentation for both choices).
pub fn case_points(
    case_type: CaseType,
    tier: LegacyTierCode,
    age: u32,
    weights: &WorkloadWeights,
) -> CasePoints {
    let explanation = Explanation::new(weights.version.clone())
        .input("Case type", case_type.label())
        .input("Legacy tier", tier.code())
        .input("Age", age.to_string())
        .input("Weights", weights.described());

    let Some(case_type_row) = weights.case_type_row(case_type) else {
        return CasePoints {
            points: 0,
            young_adult_row: false,
            explanation: explanation.step(format!(
                "A pre-sentence case scores no case points: the work is the court report, counted \
                 as a report (standard {}, fast {} points)",
                format_points(weights.standard_court_report),
                format_points(weights.fast_court_report),
            )),
        };
    };

    let index = tier_index(tier);
    let young_adult_row = YOUNG_ADULT_AGES.contains(&age);
    let (points, step) = if young_adult_row {
        let points = weights.young_adult[index];
        (
            points,
            format!(
                "Aged {}–{}: the young-adult row applies instead of the {} row; tier {} scores \
                 {} points",
                YOUNG_ADULT_AGES.start(),
                YOUNG_ADULT_AGES.end(),
                case_type.label().to_lowercase(),
                tier.code(),
                format_points(points),
            ),
        )
    } else {
        let points = case_type_row[index];
        (
            points,
            format!(
                "{} row, tier {}: {} points",
                case_type.label(),
                tier.code(),
                format_points(points),
            ),
        )
    };

    CasePoints {
        points,
        young_adult_row,
        explanation: explanation.step(step),
    }
}

/// A report's workload points and how they were computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportPoints {
    pub kind: ReportKind,
    pub points: u32,
    pub explanation: Explanation,
}

/// The workload points for one court or parole report.
pub fn report_points(kind: ReportKind, weights: &WorkloadWeights) -> ReportPoints {
    let points = weights.report(kind);
    ReportPoints {
        kind,
        points,
        explanation: Explanation::new(weights.version.clone())
            .input("Report", kind.label())
            .input("Weights", weights.described())
            .step(format!(
                "{}: {} points",
                kind.label(),
                format_points(points)
            )),
    }
}

/// Every version of the workload weights, so the set in force on any date can be found and a
/// number computed in the past can be recomputed with the weights it used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeightsHistory {
    /// Oldest first; effective dates and versions are unique.
    versions: Vec<WorkloadWeights>,
}

/// Why a history of workload weights was refused: with it, the weights in force on a date would be
/// ambiguous or missing.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WeightsHistoryRefused {
    #[error("Record at least one set of workload weights")]
    Empty,
    #[error(
        "Two sets of workload weights take effect on {date} ({first} and {second}); give each its \
         own date"
    )]
    SameEffectiveDate {
        date: NaiveDate,
        first: String,
        second: String,
    },
    #[error("Two sets of workload weights are called {version}; give each its own version")]
    SameVersion { version: String },
}

impl WeightsHistory {
    /// A history of the given versions, in any order. Refuses an empty history, two versions in
    /// force from the same day, and two versions with the same name.
    pub fn new(mut versions: Vec<WorkloadWeights>) -> Result<Self, WeightsHistoryRefused> {
        if versions.is_empty() {
            return Err(WeightsHistoryRefused::Empty);
        }
        versions.sort_by_key(|weights| weights.effective_from);
        for pair in versions.windows(2) {
            if pair[0].effective_from == pair[1].effective_from {
                return Err(WeightsHistoryRefused::SameEffectiveDate {
                    date: pair[0].effective_from,
                    first: pair[0].version.clone(),
                    second: pair[1].version.clone(),
                });
            }
        }
        for (i, weights) in versions.iter().enumerate() {
            if versions[..i].iter().any(|w| w.version == weights.version) {
                return Err(WeightsHistoryRefused::SameVersion {
                    version: weights.version.clone(),
                });
            }
        }
        Ok(Self { versions })
    }

    /// The reference weights alone ([`WorkloadWeights::reference_2026`]).
    pub fn reference() -> Self {
        Self {
            versions: vec![WorkloadWeights::reference_2026()],
        }
    }

    /// The weights in force on a date: the version with the latest `effective_from` on or before
    /// it. `None` before the first version takes effect.
    pub fn in_force_on(&self, date: NaiveDate) -> Option<&WorkloadWeights> {
        self.versions
            .iter()
            .rev()
            .find(|weights| weights.effective_from <= date)
    }

    /// Every version, oldest first.
    pub fn versions(&self) -> &[WorkloadWeights] {
        &self.versions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn tier(code: &str) -> LegacyTierCode {
        LegacyTierCode::parse(code).unwrap()
    }

    fn weights() -> WorkloadWeights {
        WorkloadWeights::reference_2026()
    }

    /// A version of the weights with every community point doubled, from a given date.
    fn doubled_from(version: &str, effective_from: NaiveDate) -> WorkloadWeights {
        let mut doubled = weights();
        doubled.version = version.to_owned();
        doubled.effective_from = effective_from;
        doubled.community = doubled.community.map(|points| points * 2);
        doubled
    }

    #[test]
    fn community_a3_case_scores_206_points() {
        let points = case_points(CaseType::Community, tier("A3"), 30, &weights());
        assert_eq!(points.points, 206);
        assert!(!points.young_adult_row);
        assert_eq!(points.explanation.rule_version, "workload-weights-2026/1");
        assert_eq!(
            points.explanation.steps,
            ["Community row, tier A3: 206 points"]
        );
        assert_eq!(points.explanation.input_value("Legacy tier"), Some("A3"));
        assert_eq!(
            points.explanation.input_value("Weights"),
            Some("workload-weights-2026/1, in force from 1 January 2026")
        );
    }

    #[test]
    fn every_reference_weight_is_the_one_in_section_9_in_tier_order() {
        let codes: Vec<&str> = LegacyTierCode::ALL.iter().map(|t| t.code()).collect();
        assert_eq!(
            codes,
            [
                "A3", "A2", "A1", "A0", "B3", "B2", "B1", "B0", "C3", "C2", "C1", "C0", "D3", "D2",
                "D1", "D0"
            ]
        );
        let rows = [
            (
                CaseType::Community,
                [
                    206, 158, 146, 110, 146, 115, 102, 72, 79, 63, 50, 35, 51, 41, 29, 29,
                ],
            ),
            (
                CaseType::Custody,
                [75, 60, 59, 0, 59, 48, 47, 0, 30, 24, 23, 0, 17, 14, 13, 0],
            ),
            (
                CaseType::Licence,
                [
                    219, 175, 163, 0, 161, 132, 119, 0, 77, 65, 52, 0, 51, 43, 31, 0,
                ],
            ),
        ];
        for (case_type, expected) in rows {
            for (tier, expected) in LegacyTierCode::ALL.iter().zip(expected) {
                let points = case_points(case_type, *tier, 40, &weights()).points;
                assert_eq!(points, expected, "{case_type} {tier}");
            }
        }
        let young_adult = [75, 60, 59, 0, 59, 48, 47, 0, 30, 24, 23, 0, 17, 14, 13, 0];
        for (tier, expected) in LegacyTierCode::ALL.iter().zip(young_adult) {
            let points = case_points(CaseType::Licence, *tier, 20, &weights()).points;
            assert_eq!(points, expected, "young adult {tier}");
        }
    }

    #[test]
    fn the_reference_report_weights_are_138_65_and_120() {
        let w = weights();
        assert_eq!(
            report_points(ReportKind::StandardCourtReport, &w).points,
            138
        );
        assert_eq!(report_points(ReportKind::FastCourtReport, &w).points, 65);
        assert_eq!(report_points(ReportKind::ParoleReport, &w).points, 120);
        let parole = report_points(ReportKind::ParoleReport, &w);
        assert_eq!(parole.explanation.steps, ["Parole report: 120 points"]);
        assert_eq!(parole.explanation.rule_version, "workload-weights-2026/1");
    }

    #[test]
    fn licence_b2_scores_132_and_custody_d1_scores_13() {
        assert_eq!(
            case_points(CaseType::Licence, tier("B2"), 40, &weights()).points,
            132
        );
        assert_eq!(
            case_points(CaseType::Custody, tier("D1"), 40, &weights()).points,
            13
        );
    }

    #[test]
    fn a_young_adult_uses_the_young_adult_row() {
        let points = case_points(CaseType::Community, tier("A3"), 21, &weights());
        assert_eq!(points.points, 75);
        assert!(points.young_adult_row);
        assert_eq!(
            points.explanation.steps,
            [
                "Aged 18–24: the young-adult row applies instead of the community row; tier A3 \
                 scores 75 points"
            ]
        );
    }

    #[test]
    fn the_young_adult_row_applies_from_18_to_24_inclusive_for_every_case_type() {
        for case_type in [CaseType::Community, CaseType::Custody, CaseType::Licence] {
            for age in [18, 24] {
                let points = case_points(case_type, tier("A3"), age, &weights());
                assert!(points.young_adult_row, "{case_type} aged {age}");
                assert_eq!(points.points, 75);
            }
        }
        let seventeen = case_points(CaseType::Licence, tier("A3"), 17, &weights());
        let twenty_five = case_points(CaseType::Licence, tier("A3"), 25, &weights());
        assert!(!seventeen.young_adult_row && !twenty_five.young_adult_row);
        assert_eq!((seventeen.points, twenty_five.points), (219, 219));
    }

    #[test]
    fn a_configured_young_adult_row_is_used_rather_than_the_reference_one() {
        let mut w = weights();
        w.young_adult[0] = 99;
        assert_eq!(
            case_points(CaseType::Community, tier("A3"), 22, &w).points,
            99
        );
    }

    #[test]
    fn a_pre_sentence_case_scores_no_case_points_because_its_report_is_counted() {
        for age in [20, 40] {
            let points = case_points(CaseType::PreSentence, tier("A3"), age, &weights());
            assert_eq!(points.points, 0);
            assert!(!points.young_adult_row);
            assert_eq!(
                points.explanation.steps,
                [
                    "A pre-sentence case scores no case points: the work is the court report, \
                     counted as a report (standard 138, fast 65 points)"
                ]
            );
        }
    }

    #[test]
    fn weights_in_force_are_chosen_by_effective_date() {
        let history = WeightsHistory::new(vec![
            doubled_from("doubled/2027", date(2027, 4, 1)),
            weights(),
        ])
        .unwrap();
        assert_eq!(history.in_force_on(date(2025, 12, 31)), None);
        assert_eq!(
            history.in_force_on(date(2026, 1, 1)).unwrap().version,
            "workload-weights-2026/1"
        );
        assert_eq!(
            history.in_force_on(date(2027, 3, 31)).unwrap().version,
            "workload-weights-2026/1"
        );
        let later = history.in_force_on(date(2027, 4, 1)).unwrap();
        assert_eq!(later.version, "doubled/2027");
        let points = case_points(CaseType::Community, tier("A3"), 40, later);
        assert_eq!(points.points, 412);
        assert_eq!(points.explanation.rule_version, "doubled/2027");
    }

    #[test]
    fn a_history_is_kept_oldest_first_whatever_order_it_is_given_in() {
        let history = WeightsHistory::new(vec![
            doubled_from("c", date(2028, 1, 1)),
            weights(),
            doubled_from("b", date(2027, 1, 1)),
        ])
        .unwrap();
        let versions: Vec<&str> = history
            .versions()
            .iter()
            .map(|w| w.version.as_str())
            .collect();
        assert_eq!(versions, ["workload-weights-2026/1", "b", "c"]);
        assert_eq!(history.in_force_on(date(2030, 1, 1)).unwrap().version, "c");
    }

    #[test]
    fn the_reference_history_holds_the_2026_weights() {
        let history = WeightsHistory::reference();
        assert_eq!(history.in_force_on(date(2026, 6, 1)), Some(&weights()));
    }

    #[test]
    fn an_empty_history_is_refused() {
        assert_eq!(
            WeightsHistory::new(vec![]),
            Err(WeightsHistoryRefused::Empty)
        );
    }

    #[test]
    fn two_weights_in_force_from_the_same_day_are_refused() {
        let refused = WeightsHistory::new(vec![weights(), doubled_from("other", date(2026, 1, 1))])
            .unwrap_err();
        assert_eq!(
            refused.to_string(),
            "Two sets of workload weights take effect on 2026-01-01 (workload-weights-2026/1 and \
             other); give each its own date"
        );
    }

    #[test]
    fn two_weights_with_the_same_version_are_refused() {
        let refused = WeightsHistory::new(vec![
            weights(),
            doubled_from("workload-weights-2026/1", date(2027, 1, 1)),
        ])
        .unwrap_err();
        assert_eq!(
            refused,
            WeightsHistoryRefused::SameVersion {
                version: "workload-weights-2026/1".to_owned()
            }
        );
    }

    #[test]
    fn report_kinds_parse_from_their_codes() {
        assert_eq!(
            ReportKind::parse("fast_court_report"),
            Ok(ReportKind::FastCourtReport)
        );
        assert!(ReportKind::parse("psr").is_err());
    }
}
