//! The excessive-workload rule (reference §9): a practitioner whose capacity has been over 110% for
//! 4 consecutive weeks has an excessive workload. The threshold and the number of weeks are
//! configurable ([`ExcessiveWorkloadRule`]); every assessment names the rule version.
//!
//! How the rule reads the weekly snapshots:
//! - "Over" means strictly greater than the threshold: exactly 110% is not over.
//! - Weeks are consecutive when their start dates are exactly 7 days apart. A missing week breaks
//!   the run: nobody knows what the workload was that week, so the count starts again.
//! - "Now" means the latest snapshot given: the assessment is as at that week. The run that counts
//!   is the unbroken run of weeks over the threshold that ends with it.
//! - The workload is **excessive since** the week the run reached the required number of weeks
//!   (its 4th week), and **over the threshold since** the run's first week. Both are returned.

use super::{format_decimal, format_percent, Explanation};
use crate::calendar::long_date;
use chrono::NaiveDate;
use thiserror::Error;

/// The excessive-workload rule: capacity over `threshold_percent` for `consecutive_weeks`
/// consecutive weeks. Reference data; start from [`ExcessiveWorkloadRule::reference`].
#[derive(Debug, Clone, PartialEq)]
pub struct ExcessiveWorkloadRule {
    pub threshold_percent: f64,
    /// At least 1.
    pub consecutive_weeks: u32,
    /// Stored beside every assessment made with the rule.
    pub version: String,
}

impl ExcessiveWorkloadRule {
    /// Over 110% for 4 consecutive weeks (reference §9).
    pub fn reference() -> Self {
        Self {
            threshold_percent: 110.0,
            consecutive_weeks: 4,
            version: "excessive-workload/1 (over 110% for 4 consecutive weeks)".to_owned(),
        }
    }
}

/// A practitioner's capacity % in one week.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeeklySnapshot {
    /// The first day of the week the snapshot measures.
    pub week_start: NaiveDate,
    /// Capacity %, 0 or more. A week with no capacity % (no available points) is left out, which
    /// breaks a run.
    pub percent: f64,
}

/// Whether a workload is excessive, as at the latest week given, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcessiveWorkload {
    pub excessive: bool,
    /// The latest week given: the week the assessment is as at. `None` when none was given.
    pub as_at: Option<NaiveDate>,
    /// How many consecutive weeks, ending with the latest, have been over the threshold.
    pub weeks_over: u32,
    /// The first week of that run; `None` when the latest week is not over the threshold.
    pub over_threshold_since: Option<NaiveDate>,
    /// The week the run reached the rule's number of weeks; `None` when the workload is not
    /// excessive.
    pub excessive_since: Option<NaiveDate>,
    pub explanation: Explanation,
}

/// Why an assessment could not be made: the rule or the snapshots cannot be right.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CannotAssessWorkload {
    #[error("The excessive-workload threshold must be a percentage of 0 or more, not {0}")]
    ThresholdNotAPercentage(f64),
    #[error("The excessive-workload rule must count at least one week")]
    NoWeeks,
    #[error(
        "The capacity for the week of {week} must be a percentage of 0 or more, not {percent}"
    )]
    NotAPercentage { week: NaiveDate, percent: f64 },
    #[error(
        "The snapshots for {first} and {second} are less than a week apart; keep one snapshot a week"
    )]
    SameWeek { first: NaiveDate, second: NaiveDate },
}

/// Assesses the excessive-workload rule over weekly snapshots, given in any order (see the module
/// documentation for how the rule reads them). No snapshots give "not excessive".
///
/// Refuses a rule with a threshold that is not a percentage or that counts no weeks, a snapshot
/// whose capacity is not a percentage, and two snapshots less than seven days apart.
pub fn assess_excessive_workload(
    rule: &ExcessiveWorkloadRule,
    snapshots: &[WeeklySnapshot],
) -> Result<ExcessiveWorkload, CannotAssessWorkload> {
    if !rule.threshold_percent.is_finite() || rule.threshold_percent < 0.0 {
        return Err(CannotAssessWorkload::ThresholdNotAPercentage(
            rule.threshold_percent,
        ));
    }
    if rule.consecutive_weeks == 0 {
        return Err(CannotAssessWorkload::NoWeeks);
    }
    let mut weeks = snapshots.to_vec();
    weeks.sort_by_key(|week| week.week_start);
    for week in &weeks {
        if !week.percent.is_finite() || week.percent < 0.0 {
            return Err(CannotAssessWorkload::NotAPercentage {
                week: week.week_start,
                percent: week.percent,
            });
        }
    }
    for pair in weeks.windows(2) {
        if (pair[1].week_start - pair[0].week_start).num_days() < 7 {
            return Err(CannotAssessWorkload::SameWeek {
                first: pair[0].week_start,
                second: pair[1].week_start,
            });
        }
    }

    let threshold = format!("{}%", format_decimal(rule.threshold_percent));
    let mut explanation = Explanation::new(rule.version.clone())
        .input("Threshold", threshold.clone())
        .input("Consecutive weeks", rule.consecutive_weeks.to_string());
    for week in &weeks {
        explanation = explanation.input(
            format!("Week of {}", week.week_start),
            format_percent(week.percent),
        );
    }

    let Some(latest) = weeks.last() else {
        return Ok(ExcessiveWorkload {
            excessive: false,
            as_at: None,
            weeks_over: 0,
            over_threshold_since: None,
            excessive_since: None,
            explanation: explanation.step("No weekly capacity recorded: not excessive"),
        });
    };

    // The run of weeks over the threshold ending with the latest, walking back while each week is
    // over and exactly seven days after the one before it.
    let is_over = |week: &WeeklySnapshot| week.percent > rule.threshold_percent;
    let mut run_start = weeks.len();
    for i in (0..weeks.len()).rev() {
        let follows_on =
            i + 1 == weeks.len() || (weeks[i + 1].week_start - weeks[i].week_start).num_days() == 7;
        if is_over(&weeks[i]) && follows_on {
            run_start = i;
        } else {
            break;
        }
    }
    let run = &weeks[run_start..];
    let weeks_over = u32::try_from(run.len()).unwrap_or(u32::MAX);
    let over_threshold_since = run.first().map(|week| week.week_start);
    let excessive = weeks_over >= rule.consecutive_weeks;
    let excessive_since = excessive.then(|| run[rule.consecutive_weeks as usize - 1].week_start);

    if let Some(first) = over_threshold_since {
        // Say why the run starts where it does, when it is not simply the first week recorded.
        if run_start > 0 {
            let before = &weeks[run_start - 1];
            let why = if (first - before.week_start).num_days() > 7 {
                format!(
                    "No capacity is recorded for the week before {}, so the run starts again \
                     there",
                    long_date(first)
                )
            } else {
                format!(
                    "The week of {} was at {}, not over {threshold}",
                    long_date(before.week_start),
                    format_percent(before.percent),
                )
            };
            explanation = explanation.step(why);
        }
        explanation = explanation.step(format!(
            "Over {threshold} for {weeks_over} consecutive {} from the week of {} to the week \
             of {}",
            if weeks_over == 1 { "week" } else { "weeks" },
            long_date(first),
            long_date(latest.week_start),
        ));
    } else {
        explanation = explanation.step(format!(
            "The latest week, {}, was at {}, not over {threshold}",
            long_date(latest.week_start),
            format_percent(latest.percent),
        ));
    }
    explanation = explanation.step(match excessive_since {
        Some(since) => format!(
            "Excessive since the week of {}: {} consecutive weeks over {threshold} make a \
             workload excessive",
            long_date(since),
            rule.consecutive_weeks,
        ),
        None => format!(
            "Not excessive: {} consecutive weeks over {threshold} make a workload excessive",
            rule.consecutive_weeks,
        ),
    });

    Ok(ExcessiveWorkload {
        excessive,
        as_at: Some(latest.week_start),
        weeks_over,
        over_threshold_since,
        excessive_since,
        explanation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn monday(n: u32) -> NaiveDate {
        // 2026-02-02 is a Monday; week n starts n weeks later.
        NaiveDate::from_ymd_opt(2026, 2, 2).unwrap() + chrono::Days::new(7 * u64::from(n))
    }

    /// Consecutive weekly snapshots from week 0.
    fn weeks(percents: &[f64]) -> Vec<WeeklySnapshot> {
        percents
            .iter()
            .zip(0..)
            .map(|(&percent, n)| WeeklySnapshot {
                week_start: monday(n),
                percent,
            })
            .collect()
    }

    fn assess(snapshots: &[WeeklySnapshot]) -> ExcessiveWorkload {
        assess_excessive_workload(&ExcessiveWorkloadRule::reference(), snapshots).unwrap()
    }

    #[test]
    fn four_weeks_over_110_percent_is_excessive_and_three_is_not() {
        let three = assess(&weeks(&[100.0, 111.0, 115.0, 120.0]));
        assert!(!three.excessive);
        assert_eq!(three.weeks_over, 3);
        assert_eq!(three.over_threshold_since, Some(monday(1)));
        assert_eq!(three.excessive_since, None);
        assert_eq!(
            three.explanation.steps,
            [
                "The week of 2 February 2026 was at 100.0%, not over 110%",
                "Over 110% for 3 consecutive weeks from the week of 9 February 2026 to the week \
                 of 23 February 2026",
                "Not excessive: 4 consecutive weeks over 110% make a workload excessive",
            ]
        );

        let four = assess(&weeks(&[100.0, 111.0, 115.0, 120.0, 112.0]));
        assert!(four.excessive);
        assert_eq!(four.weeks_over, 4);
        assert_eq!(four.over_threshold_since, Some(monday(1)));
        assert_eq!(four.excessive_since, Some(monday(4)));
        assert_eq!(four.as_at, Some(monday(4)));
        assert_eq!(
            four.explanation.steps.last().unwrap(),
            "Excessive since the week of 2 March 2026: 4 consecutive weeks over 110% make a \
             workload excessive"
        );
        assert_eq!(
            four.explanation.rule_version,
            "excessive-workload/1 (over 110% for 4 consecutive weeks)"
        );
    }

    #[test]
    fn excessive_since_stays_the_fourth_week_as_the_run_goes_on() {
        let six = assess(&weeks(&[120.0; 6]));
        assert!(six.excessive);
        assert_eq!(six.weeks_over, 6);
        assert_eq!(six.over_threshold_since, Some(monday(0)));
        assert_eq!(six.excessive_since, Some(monday(3)));
    }

    #[test]
    fn exactly_110_percent_is_not_over() {
        let at = assess(&weeks(&[110.0, 110.0, 110.0, 110.0]));
        assert!(!at.excessive);
        assert_eq!(at.weeks_over, 0);
        assert_eq!(at.over_threshold_since, None);
        assert_eq!(
            at.explanation.steps[0],
            "The latest week, 23 February 2026, was at 110.0%, not over 110%"
        );
        assert!(assess(&weeks(&[110.01; 4])).excessive);
    }

    #[test]
    fn a_week_at_or_under_the_threshold_ends_the_run() {
        let dipped = assess(&weeks(&[120.0, 120.0, 120.0, 105.0, 120.0, 120.0]));
        assert!(!dipped.excessive);
        assert_eq!(dipped.weeks_over, 2);
        assert_eq!(dipped.over_threshold_since, Some(monday(4)));
    }

    #[test]
    fn an_excessive_run_that_has_ended_is_not_excessive_now() {
        let ended = assess(&weeks(&[120.0, 120.0, 120.0, 120.0, 100.0]));
        assert!(!ended.excessive);
        assert_eq!(ended.weeks_over, 0);
        assert_eq!(ended.excessive_since, None);
    }

    #[test]
    fn a_missing_week_breaks_the_run() {
        let mut snapshots = weeks(&[120.0, 120.0, 120.0]);
        snapshots.push(WeeklySnapshot {
            week_start: monday(4),
            percent: 120.0,
        });
        let gap = assess(&snapshots);
        assert!(!gap.excessive);
        assert_eq!(gap.weeks_over, 1);
        assert_eq!(
            gap.explanation.steps[0],
            "No capacity is recorded for the week before 2 March 2026, so the run starts again there"
        );
    }

    #[test]
    fn snapshots_are_read_in_date_order_whatever_order_they_come_in() {
        let mut snapshots = weeks(&[120.0, 120.0, 120.0, 120.0]);
        snapshots.reverse();
        assert!(assess(&snapshots).excessive);
    }

    #[test]
    fn threshold_and_weeks_are_configurable() {
        let rule = ExcessiveWorkloadRule {
            threshold_percent: 100.0,
            consecutive_weeks: 2,
            version: "stricter/1".to_owned(),
        };
        let assessed = assess_excessive_workload(&rule, &weeks(&[101.0, 105.0])).unwrap();
        assert!(assessed.excessive);
        assert_eq!(assessed.excessive_since, Some(monday(1)));
        assert_eq!(assessed.explanation.rule_version, "stricter/1");
        assert_eq!(assessed.explanation.input_value("Threshold"), Some("100%"));
    }

    #[test]
    fn no_snapshots_are_not_excessive() {
        let none = assess(&[]);
        assert!(!none.excessive);
        assert_eq!(none.as_at, None);
        assert_eq!(
            none.explanation.steps,
            ["No weekly capacity recorded: not excessive"]
        );
    }

    #[test]
    fn two_snapshots_in_the_same_week_are_refused() {
        let mut snapshots = weeks(&[120.0, 120.0]);
        snapshots.push(WeeklySnapshot {
            week_start: monday(1) + chrono::Days::new(3),
            percent: 120.0,
        });
        let refused =
            assess_excessive_workload(&ExcessiveWorkloadRule::reference(), &snapshots).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "The snapshots for 2026-02-09 and 2026-02-12 are less than a week apart; keep one \
             snapshot a week"
        );
    }

    #[test]
    fn a_capacity_that_is_not_a_percentage_is_refused() {
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            let refused = assess_excessive_workload(
                &ExcessiveWorkloadRule::reference(),
                &weeks(&[120.0, bad]),
            )
            .unwrap_err();
            assert!(matches!(
                refused,
                CannotAssessWorkload::NotAPercentage { week, .. } if week == monday(1)
            ));
        }
    }

    #[test]
    fn a_rule_that_counts_no_weeks_or_has_no_threshold_is_refused() {
        let no_weeks = ExcessiveWorkloadRule {
            consecutive_weeks: 0,
            ..ExcessiveWorkloadRule::reference()
        };
        assert_eq!(
            assess_excessive_workload(&no_weeks, &[]),
            Err(CannotAssessWorkload::NoWeeks)
        );
        let no_threshold = ExcessiveWorkloadRule {
            threshold_percent: f64::NAN,
            ..ExcessiveWorkloadRule::reference()
        };
        assert!(matches!(
            assess_excessive_workload(&no_threshold, &[]),
            Err(CannotAssessWorkload::ThresholdNotAPercentage(_))
        ));
    }
}
