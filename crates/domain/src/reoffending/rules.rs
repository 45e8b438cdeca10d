//! The numbers of the proven reoffending measure, versioned so every rate can say which rules
//! produced it.

use crate::coded_enum;
use chrono::{Months, NaiveDate};

/// The version of the default rules, shown on "how it was worked out".
pub const REOFFENDING_RULE_VERSION: &str = "proven-reoffending-2026/1";

coded_enum! {
    /// How long after the start of supervision reoffending is counted: one year (the Ministry of
    /// Justice's headline measure and OGRS3's one-year forecast) or two (OGRS3's two-year one).
    pub enum FollowUpPeriod ("follow-up period") {
        OneYear => "1", "One year",
        TwoYears => "2", "Two years",
    }
}

impl FollowUpPeriod {
    /// The length of the period in months.
    pub fn months(self) -> u32 {
        match self {
            FollowUpPeriod::OneYear => 12,
            FollowUpPeriod::TwoYears => 24,
        }
    }

    /// "one year", "two years", for sentences.
    pub fn words(self) -> &'static str {
        match self {
            FollowUpPeriod::OneYear => "one year",
            FollowUpPeriod::TwoYears => "two years",
        }
    }
}

/// The configurable numbers of the measure.
///
/// Proven reoffending follows the Ministry of Justice's published method (*Proven reoffending
/// statistics: guide to proven reoffending statistics*): an offence **committed** in the
/// follow-up period and **proven** by a conviction in that period or a further waiting period of
/// six months, so offences still going through the courts are counted. keepsafe counts
/// convictions only (it does not hold cautions), so its rates can be slightly lower than the
/// published ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReoffendingRules {
    pub version: String,
    /// The months after a follow-up period in which a conviction for an offence committed in it
    /// still counts.
    pub waiting_period_months: u32,
    /// How many years back a follow-up may have started and still count in a rate
    /// (**keepsafe's default**, 10): a measure should describe recent practice, not sentences
    /// from decades ago that long records carry.
    pub cohort_years: u32,
    /// The rate a chart draws as a reference line, in percent, and where it comes from.
    pub reference_rate_percent: u32,
    pub reference_rate_source: &'static str,
}

impl Default for ReoffendingRules {
    fn default() -> Self {
        Self {
            version: REOFFENDING_RULE_VERSION.to_owned(),
            waiting_period_months: 6,
            cohort_years: 10,
            reference_rate_percent: 45,
            reference_rate_source: "About 45% of the people one probation provider supervised \
                                    went on to reoffend (HM Inspectorate of Probation, Warwickshire \
                                    and West Mercia, 2019)",
        }
    }
}

impl ReoffendingRules {
    /// The first day after a follow-up period starting on `start`.
    pub fn period_end(&self, start: NaiveDate, period: FollowUpPeriod) -> NaiveDate {
        start
            .checked_add_months(Months::new(period.months()))
            .unwrap_or(NaiveDate::MAX)
    }

    /// The last day a conviction for an offence in the period still counts.
    pub fn last_conviction_day(&self, start: NaiveDate, period: FollowUpPeriod) -> NaiveDate {
        self.period_end(start, period)
            .checked_add_months(Months::new(self.waiting_period_months))
            .and_then(|day| day.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// The day from which the outcome of the follow-up is known either way: the day after the
    /// waiting period ends.
    pub fn known_from(&self, start: NaiveDate, period: FollowUpPeriod) -> NaiveDate {
        self.last_conviction_day(start, period)
            .succ_opt()
            .unwrap_or(NaiveDate::MAX)
    }

    /// Whether the outcome of a follow-up starting on `start` is known on `today` either way:
    /// its whole period and waiting period have passed.
    pub fn is_known(&self, start: NaiveDate, period: FollowUpPeriod, today: NaiveDate) -> bool {
        today >= self.known_from(start, period)
    }

    /// The earliest start of a follow-up that counts in a rate on `today`.
    pub fn earliest_start(&self, today: NaiveDate) -> NaiveDate {
        today
            .checked_sub_months(Months::new(self.cohort_years * 12))
            .unwrap_or(NaiveDate::MIN)
    }

    /// Whether a follow-up starting on `start` counts in a rate on `today`: it started within
    /// the last [`Self::cohort_years`] and its outcome is known. Counting open ones would count
    /// their early reoffending and not yet their later, and make the rate look higher than it
    /// will be.
    pub fn counts_in_rates(
        &self,
        start: NaiveDate,
        period: FollowUpPeriod,
        today: NaiveDate,
    ) -> bool {
        start >= self.earliest_start(today) && self.is_known(start, period, today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_one_year_follow_up_counts_convictions_for_six_months_after_it_ends() {
        let rules = ReoffendingRules::default();
        let start = date(2024, 3, 15);
        assert_eq!(
            rules.period_end(start, FollowUpPeriod::OneYear),
            date(2025, 3, 15)
        );
        assert_eq!(
            rules.last_conviction_day(start, FollowUpPeriod::OneYear),
            date(2025, 9, 14)
        );
        assert_eq!(
            rules.known_from(start, FollowUpPeriod::OneYear),
            date(2025, 9, 15)
        );
    }

    #[test]
    fn a_follow_up_counts_in_rates_only_once_its_waiting_period_has_passed() {
        let rules = ReoffendingRules::default();
        let start = date(2024, 3, 15);
        assert!(!rules.counts_in_rates(start, FollowUpPeriod::OneYear, date(2025, 9, 14)));
        assert!(rules.counts_in_rates(start, FollowUpPeriod::OneYear, date(2025, 9, 15)));
        assert!(!rules.counts_in_rates(start, FollowUpPeriod::TwoYears, date(2025, 9, 15)));
        assert!(rules.counts_in_rates(start, FollowUpPeriod::TwoYears, date(2026, 9, 15)));
    }

    #[test]
    fn a_follow_up_started_more_than_ten_years_ago_is_known_but_not_counted() {
        let rules = ReoffendingRules::default();
        let start = date(2016, 12, 5);
        assert!(rules.is_known(start, FollowUpPeriod::TwoYears, date(2026, 12, 6)));
        assert!(!rules.counts_in_rates(start, FollowUpPeriod::TwoYears, date(2026, 12, 6)));
        assert!(rules.counts_in_rates(
            date(2016, 12, 6),
            FollowUpPeriod::TwoYears,
            date(2026, 12, 6)
        ));
    }

    #[test]
    fn a_follow_up_from_the_last_day_of_february_ends_on_the_same_day_a_year_on() {
        let rules = ReoffendingRules::default();
        assert_eq!(
            rules.period_end(date(2028, 2, 29), FollowUpPeriod::OneYear),
            date(2029, 2, 28)
        );
    }
}
