//! Rates of proven reoffending for cohorts, and the calibration of the predictors: do the people
//! OGRS3 (or OGP) put at 60% reoffend about 60% of the time?

use super::outcome::{follow_up, FollowUpOutcome, Reconviction};
use super::rules::{FollowUpPeriod, ReoffendingRules};
use crate::coded_enum;
use crate::codes::CodedValue;
use crate::event::CaseType;
use crate::predictors::ogp::OgpBand;
use crate::predictors::ogrs3::Ogrs3Band;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The z value of a two-sided 95% interval.
const Z_95: f64 = 1.959_963_984_540_054;

/// `count` of `of`: how many of a group reoffended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Proportion {
    pub count: u32,
    pub of: u32,
}

impl Proportion {
    /// The share, when there is anyone to share among.
    pub fn rate(self) -> Option<f64> {
        (self.of > 0).then(|| f64::from(self.count) / f64::from(self.of))
    }

    /// The Wilson score 95% interval of the rate (it stays inside 0–1 and behaves for small
    /// groups and rates near 0 or 1, where the textbook ± interval does not).
    pub fn interval(self) -> Option<(f64, f64)> {
        let rate = self.rate()?;
        let n = f64::from(self.of);
        let z2 = Z_95 * Z_95;
        let denominator = 1.0 + z2 / n;
        let centre = (rate + z2 / (2.0 * n)) / denominator;
        let half = Z_95 * (rate * (1.0 - rate) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
        Some(((centre - half).max(0.0), (centre + half).min(1.0)))
    }

    fn add(&mut self, reoffended: bool) {
        self.of += 1;
        self.count += u32::from(reoffended);
    }
}

/// A predictor's one- and two-year percentages for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prediction {
    pub one_year: u8,
    pub two_year: u8,
}

impl Prediction {
    fn for_period(self, period: FollowUpPeriod) -> u8 {
        match period {
            FollowUpPeriod::OneYear => self.one_year,
            FollowUpPeriod::TwoYears => self.two_year,
        }
    }
}

/// One follow-up in a cohort: when it started, what it is grouped by, what was predicted and the
/// person's convictions.
#[derive(Debug, Clone, PartialEq)]
pub struct CohortMember {
    /// The sentence followed up.
    pub event: Uuid,
    pub start: NaiveDate,
    pub pdu: String,
    pub case_type: CaseType,
    pub ogrs3: Option<Prediction>,
    pub ogp: Option<Prediction>,
    pub reconvictions: Vec<Reconviction>,
}

impl CohortMember {
    /// Whether this follow-up counts in a rate on `today`, and if so whether it ended in proven
    /// reoffending.
    fn counted(
        &self,
        period: FollowUpPeriod,
        rules: &ReoffendingRules,
        today: NaiveDate,
    ) -> Option<bool> {
        if !rules.counts_in_rates(self.start, period, today) {
            return None;
        }
        let result = follow_up(self.start, period, &self.reconvictions, rules, today);
        Some(matches!(result.outcome, FollowUpOutcome::Reoffended(_)))
    }
}

coded_enum! {
    /// What cohorts are formed by.
    pub enum CohortGrouping ("cohort grouping") {
        StartYear => "year", "Year supervision started",
        Pdu => "pdu", "Probation delivery unit",
        CaseType => "case_type", "Case type",
    }
}

/// A cohort's rate.
#[derive(Debug, Clone, PartialEq)]
pub struct CohortRate {
    /// "2024", "Lincoln PDU", "Community".
    pub label: String,
    pub proportion: Proportion,
    /// The mean of OGRS3's forecast for the period among those with one, in percent.
    pub mean_ogrs3: Option<f64>,
    /// How many of the cohort had an OGRS3 forecast.
    pub with_ogrs3: u32,
}

#[derive(Default)]
struct Tally {
    proportion: Proportion,
    predicted_sum: f64,
    predicted_count: u32,
}

/// The rate of each cohort, counting only follow-ups whose whole period and waiting period have
/// passed on `today`. Years are in order, PDUs by name, case types in their usual order.
pub fn cohort_rates(
    members: &[CohortMember],
    grouping: CohortGrouping,
    period: FollowUpPeriod,
    rules: &ReoffendingRules,
    today: NaiveDate,
) -> Vec<CohortRate> {
    let mut tallies: BTreeMap<(usize, String), Tally> = BTreeMap::new();
    for member in members {
        let Some(reoffended) = member.counted(period, rules, today) else {
            continue;
        };
        let key = match grouping {
            CohortGrouping::StartYear => (0, member.start.year().to_string()),
            CohortGrouping::Pdu => (0, member.pdu.clone()),
            CohortGrouping::CaseType => (
                CaseType::ALL
                    .iter()
                    .position(|kind| *kind == member.case_type)
                    .unwrap_or(0),
                member.case_type.label().to_owned(),
            ),
        };
        let tally = tallies.entry(key).or_default();
        tally.proportion.add(reoffended);
        if let Some(prediction) = member.ogrs3 {
            tally.predicted_sum += f64::from(prediction.for_period(period));
            tally.predicted_count += 1;
        }
    }
    tallies
        .into_iter()
        .map(|((_, label), tally)| CohortRate {
            label,
            proportion: tally.proportion,
            mean_ogrs3: (tally.predicted_count > 0)
                .then(|| tally.predicted_sum / f64::from(tally.predicted_count)),
            with_ogrs3: tally.predicted_count,
        })
        .collect()
}

coded_enum! {
    /// The predictors whose forecasts can be checked against outcomes.
    pub enum CalibrationPredictor ("predictor") {
        Ogrs3 => "ogrs3", "OGRS3 (Offender Group Reconviction Scale)",
        Ogp => "ogp", "OGP (OASys General reoffending Predictor)",
    }
}

impl CalibrationPredictor {
    /// The short name people use.
    pub fn short_name(self) -> &'static str {
        match self {
            CalibrationPredictor::Ogrs3 => "OGRS3",
            CalibrationPredictor::Ogp => "OGP",
        }
    }

    /// The predictor's bands on its two-year percentage, with their ranges, lowest first.
    pub fn bands(self) -> [(&'static str, &'static str); 4] {
        match self {
            CalibrationPredictor::Ogrs3 => [
                (Ogrs3Band::Low.label(), "0–49%"),
                (Ogrs3Band::Medium.label(), "50–74%"),
                (Ogrs3Band::High.label(), "75–89%"),
                (Ogrs3Band::VeryHigh.label(), "90–99%"),
            ],
            CalibrationPredictor::Ogp => [
                (OgpBand::Low.label(), "1–33%"),
                (OgpBand::Medium.label(), "34–66%"),
                (OgpBand::High.label(), "67–84%"),
                (OgpBand::VeryHigh.label(), "85–99%"),
            ],
        }
    }

    fn band_index(self, two_year: u8) -> usize {
        match self {
            CalibrationPredictor::Ogrs3 => match Ogrs3Band::from_two_year_percent(two_year) {
                Ogrs3Band::Low => 0,
                Ogrs3Band::Medium => 1,
                Ogrs3Band::High => 2,
                Ogrs3Band::VeryHigh => 3,
            },
            CalibrationPredictor::Ogp => match OgpBand::from_two_year_percent(two_year) {
                OgpBand::Low => 0,
                OgpBand::Medium => 1,
                OgpBand::High => 2,
                OgpBand::VeryHigh => 3,
            },
        }
    }

    fn prediction(self, member: &CohortMember) -> Option<Prediction> {
        match self {
            CalibrationPredictor::Ogrs3 => member.ogrs3,
            CalibrationPredictor::Ogp => member.ogp,
        }
    }
}

/// How a band's forecast compares with what happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agreement {
    /// The forecast lies inside the interval of the observed rate.
    Consistent,
    /// More reoffended than forecast, beyond the interval.
    ObservedHigher,
    /// Fewer reoffended than forecast, beyond the interval.
    ObservedLower,
    /// Nobody in the band has a known outcome.
    NoOutcomes,
}

impl Agreement {
    /// In words, for the table.
    pub fn words(self) -> &'static str {
        match self {
            Agreement::Consistent => "In line with the forecast",
            Agreement::ObservedHigher => "Higher than forecast",
            Agreement::ObservedLower => "Lower than forecast",
            Agreement::NoOutcomes => "No outcomes known yet",
        }
    }
}

/// One band of a predictor: who fell in it, what was forecast and what happened.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationBand {
    pub band: &'static str,
    pub range: &'static str,
    pub proportion: Proportion,
    /// The mean forecast for the period, in percent.
    pub mean_predicted: Option<f64>,
    pub agreement: Agreement,
}

/// A predictor's calibration against outcomes.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    pub predictor: CalibrationPredictor,
    pub period: FollowUpPeriod,
    pub bands: Vec<CalibrationBand>,
    /// Everyone counted, across the bands.
    pub overall: Proportion,
    /// The number forecast to reoffend: the sum of everyone's forecast.
    pub expected: f64,
    /// Follow-ups with a known outcome but no forecast from this predictor (left out).
    pub without_prediction: u32,
}

/// Groups the follow-ups with a known outcome on `today` by the predictor's band (read, as the
/// predictor reads it, from the two-year percentage) and compares each band's mean forecast for
/// the period with its observed rate.
pub fn calibration(
    members: &[CohortMember],
    predictor: CalibrationPredictor,
    period: FollowUpPeriod,
    rules: &ReoffendingRules,
    today: NaiveDate,
) -> Calibration {
    let mut tallies: [Tally; 4] = Default::default();
    let mut without_prediction = 0;
    for member in members {
        let Some(reoffended) = member.counted(period, rules, today) else {
            continue;
        };
        let Some(prediction) = predictor.prediction(member) else {
            without_prediction += 1;
            continue;
        };
        let tally = &mut tallies[predictor.band_index(prediction.two_year)];
        tally.proportion.add(reoffended);
        tally.predicted_sum += f64::from(prediction.for_period(period));
        tally.predicted_count += 1;
    }
    let mut overall = Proportion::default();
    let mut expected = 0.0;
    let bands = predictor
        .bands()
        .into_iter()
        .zip(tallies)
        .map(|((band, range), tally)| {
            overall.count += tally.proportion.count;
            overall.of += tally.proportion.of;
            expected += tally.predicted_sum / 100.0;
            let mean_predicted = (tally.predicted_count > 0)
                .then(|| tally.predicted_sum / f64::from(tally.predicted_count));
            CalibrationBand {
                band,
                range,
                proportion: tally.proportion,
                mean_predicted,
                agreement: agreement(tally.proportion, mean_predicted),
            }
        })
        .collect();
    Calibration {
        predictor,
        period,
        bands,
        overall,
        expected,
        without_prediction,
    }
}

fn agreement(observed: Proportion, mean_predicted: Option<f64>) -> Agreement {
    match (observed.interval(), mean_predicted) {
        (Some((low, high)), Some(predicted)) => {
            let predicted = predicted / 100.0;
            if predicted < low {
                Agreement::ObservedHigher
            } else if predicted > high {
                Agreement::ObservedLower
            } else {
                Agreement::Consistent
            }
        }
        _ => Agreement::NoOutcomes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn today() -> NaiveDate {
        date(2026, 12, 6)
    }

    fn member(
        start: NaiveDate,
        pdu: &str,
        two_year: u8,
        reoffended_on: Option<NaiveDate>,
    ) -> CohortMember {
        CohortMember {
            event: Uuid::nil(),
            start,
            pdu: pdu.to_owned(),
            case_type: CaseType::Community,
            ogrs3: Some(Prediction {
                one_year: two_year / 2,
                two_year,
            }),
            ogp: None,
            reconvictions: reoffended_on
                .map(|offence_on| Reconviction {
                    offence_on,
                    convicted_on: offence_on,
                })
                .into_iter()
                .collect(),
        }
    }

    #[test]
    fn the_wilson_interval_matches_a_worked_example() {
        // 45 of 100: the Wilson 95% interval is 35.6% to 54.8%.
        let (low, high) = Proportion { count: 45, of: 100 }.interval().unwrap();
        assert!((low - 0.3561).abs() < 0.0005, "{low}");
        assert!((high - 0.5478).abs() < 0.0005, "{high}");
    }

    #[test]
    fn an_interval_of_nothing_reoffending_starts_at_zero_and_an_empty_group_has_none() {
        let (low, high) = Proportion { count: 0, of: 10 }.interval().unwrap();
        assert_eq!(low, 0.0);
        assert!(high > 0.25 && high < 0.35, "{high}");
        assert_eq!(Proportion::default().interval(), None);
    }

    #[test]
    fn cohort_rates_count_only_follow_ups_whose_outcome_is_known() {
        let rules = ReoffendingRules::default();
        let members = [
            member(date(2024, 2, 1), "Lincoln", 40, Some(date(2024, 6, 1))),
            member(date(2024, 3, 1), "Lincoln", 40, None),
            // Started in September 2025: its one-year outcome is known from March 2027.
            member(date(2025, 9, 1), "Lincoln", 40, Some(date(2025, 10, 1))),
        ];
        let rates = cohort_rates(
            &members,
            CohortGrouping::StartYear,
            FollowUpPeriod::OneYear,
            &rules,
            today(),
        );
        assert_eq!(rates.len(), 1);
        assert_eq!(rates[0].label, "2024");
        assert_eq!(rates[0].proportion, Proportion { count: 1, of: 2 });
        assert_eq!(rates[0].mean_ogrs3, Some(20.0));
    }

    #[test]
    fn cohorts_by_pdu_are_in_name_order() {
        let rules = ReoffendingRules::default();
        let members = [
            member(date(2023, 2, 1), "Stamford", 40, None),
            member(date(2023, 2, 1), "Boston", 40, None),
        ];
        let labels: Vec<String> = cohort_rates(
            &members,
            CohortGrouping::Pdu,
            FollowUpPeriod::TwoYears,
            &rules,
            today(),
        )
        .into_iter()
        .map(|rate| rate.label)
        .collect();
        assert_eq!(labels, ["Boston", "Stamford"]);
    }

    #[test]
    fn calibration_puts_each_follow_up_in_its_band_and_compares_forecast_with_outcome() {
        let rules = ReoffendingRules::default();
        let start = date(2023, 1, 1);
        let mut members = Vec::new();
        // Low band, forecast 20%: 2 of 10 reoffended, in line.
        for index in 0..10 {
            let reoffended = (index < 2).then(|| date(2023, 6, 1));
            members.push(member(start, "Lincoln", 20, reoffended));
        }
        // High band, forecast 80%: 1 of 20 reoffended, far lower.
        for index in 0..20 {
            let reoffended = (index < 1).then(|| date(2023, 6, 1));
            members.push(member(start, "Lincoln", 80, reoffended));
        }
        let mut unscored = member(start, "Lincoln", 80, None);
        unscored.ogrs3 = None;
        members.push(unscored);
        let result = calibration(
            &members,
            CalibrationPredictor::Ogrs3,
            FollowUpPeriod::TwoYears,
            &rules,
            today(),
        );
        assert_eq!(result.bands[0].proportion, Proportion { count: 2, of: 10 });
        assert_eq!(result.bands[0].agreement, Agreement::Consistent);
        assert_eq!(result.bands[1].agreement, Agreement::NoOutcomes);
        assert_eq!(result.bands[2].proportion, Proportion { count: 1, of: 20 });
        assert_eq!(result.bands[2].agreement, Agreement::ObservedLower);
        assert_eq!(result.overall, Proportion { count: 3, of: 30 });
        assert!((result.expected - 18.0).abs() < 1e-9);
        assert_eq!(result.without_prediction, 1);
    }
}
