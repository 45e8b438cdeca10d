//! Capacity (reference §9): how many workload points a practitioner can hold, and how full they are.
//!
//! - Available hours = contracted hours − the reductions in force that day.
//! - Available points = 2,176 × available hours ÷ 37 (2,176 points is a full-time, 37-hour week).
//! - Capacity % = total workload points ÷ available points × 100.
//!
//! **Rounding.** Available hours are counted to the nearest hundredth of an hour (36 seconds), so
//! that binary floating-point noise (37 − 1.8 is 35.199999…) can never cost a point; available
//! points are then **rounded down** to a whole point, as the service's own workload rules do
//! (they truncate with `parseInt`). Rounding down never overstates what someone can take on.
//! The reference's examples come out exactly: 37 h − 1.8 h = 35.2 h → 2,070.14 → 2,070;
//! 30 h − 1.8 h = 28.2 h → 1,658.46 → 1,658. (Rounding to the nearest point would give the same
//! two numbers; it differs elsewhere, e.g. 1 hour is 58.8 points, which counts as 58.)
//! Capacity % is not rounded: it is shown to one decimal place, and rules compare the exact value.
//!
//! **Reductions.** Trainees 80%, 60% and 40% of contracted hours over three successive six-month
//! periods from the start of training ([`trainee_reductions`]); newly qualified officers 20%
//! ([`newly_qualified_reduction`]); union duties up to 50% — more is refused
//! ([`union_duties_reduction`], and [`available_hours`] refuses union duties in force that add up to
//! more). Reductions are in force from `from` to `to`, both days included; percentages are of the
//! contracted hours, counted to the hundredth of an hour.

use super::{format_decimal, format_percent, format_points, Explanation};
use crate::calendar::long_date;
use crate::coded_enum;
use crate::codes::CodedValue;
use crate::staff::ContractedHours;
use chrono::{Months, NaiveDate};
use thiserror::Error;

/// The version of the capacity rules in this module; stored beside every available-points and
/// capacity figure. Change it whenever the formula, the rounding or a reduction percentage changes.
pub const CAPACITY_RULE_VERSION: &str = "workload-capacity/1";

/// The points a full-time practitioner can hold: their nominal target.
pub const NOMINAL_TARGET_POINTS: u32 = 2176;
/// The hours of a full-time week, for which the nominal target is set.
pub const FULL_TIME_HOURS: f64 = ContractedHours::FULL_TIME;
/// A trainee's reduction, as a percentage of contracted hours, in each six-month period of
/// training: first, second, third. None after the third.
pub const TRAINEE_REDUCTION_PERCENTS: [u32; 3] = [80, 60, 40];
/// The length of each period of a trainee's reduction.
pub const TRAINEE_PERIOD_MONTHS: u32 = 6;
/// A newly qualified officer's reduction, as a percentage of contracted hours.
pub const NEWLY_QUALIFIED_REDUCTION_PERCENT: u32 = 20;
/// The most union duties may reduce contracted hours by, as a percentage.
pub const UNION_DUTIES_MAX_PERCENT: u32 = 50;

coded_enum! {
    /// Why a practitioner's available hours are reduced.
    pub enum ReductionKind ("workload reduction") {
        Trainee => "trainee", "Trainee",
        NewlyQualified => "newly_qualified", "Newly qualified officer",
        UnionDuties => "union_duties", "Union duties",
        Other => "other", "Other",
    }
}

/// Hours a week taken off a practitioner's contracted hours for a while.
#[derive(Debug, Clone, PartialEq)]
pub struct Reduction {
    pub kind: ReductionKind,
    /// Hours a week, 0 or more.
    pub hours: f64,
    /// The first day it is in force.
    pub from: NaiveDate,
    /// The last day it is in force; `None` until further notice.
    pub to: Option<NaiveDate>,
}

impl Reduction {
    /// Whether it is in force on a date: from `from` to `to`, both days included.
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.from <= date && self.to.is_none_or(|to| date <= to)
    }

    fn period(&self) -> String {
        match self.to {
            Some(to) => format!("from {} to {}", long_date(self.from), long_date(to)),
            None => format!("from {}", long_date(self.from)),
        }
    }

    fn check(&self) -> Result<(), ReductionRefused> {
        if !self.hours.is_finite() || self.hours < 0.0 {
            return Err(ReductionRefused::NotAnHourCount {
                kind: self.kind,
                hours: self.hours,
            });
        }
        match self.to {
            Some(to) if to < self.from => Err(ReductionRefused::EndsBeforeItStarts {
                kind: self.kind,
                from: self.from,
                to,
            }),
            _ => Ok(()),
        }
    }
}

/// Why a reduction was refused.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ReductionRefused {
    #[error(
        "Enter the hours of the {} reduction as a number of 0 or more, not {hours}",
        .kind.label().to_lowercase()
    )]
    NotAnHourCount { kind: ReductionKind, hours: f64 },
    #[error(
        "The {} reduction cannot end on {to}, before it starts on {from}",
        .kind.label().to_lowercase()
    )]
    EndsBeforeItStarts {
        kind: ReductionKind,
        from: NaiveDate,
        to: NaiveDate,
    },
    #[error(
        "Union duties can reduce hours by at most half of contracted hours: record at most \
         {} of {} hours, not {}",
        format_decimal(*.limit), format_decimal(*.contracted), format_decimal(*.hours)
    )]
    UnionDutiesOverHalf {
        hours: f64,
        contracted: f64,
        limit: f64,
    },
}

/// A percentage of contracted hours, to the hundredth of an hour.
fn percent_of(contracted: ContractedHours, percent: u32) -> f64 {
    (contracted.hours() * f64::from(percent)).round() / 100.0
}

/// A trainee's three reductions from the start of training: 80%, 60% and 40% of contracted hours,
/// each for six months (the next period starts on the same day of the month, six months on; a day
/// the month lacks becomes its last day). Store them, or compute the one in force with
/// [`trainee_reduction_on`].
pub fn trainee_reductions(
    contracted: ContractedHours,
    training_start: NaiveDate,
) -> Vec<Reduction> {
    TRAINEE_REDUCTION_PERCENTS
        .iter()
        .zip(0u32..)
        .filter_map(|(&percent, period)| {
            let from =
                training_start.checked_add_months(Months::new(TRAINEE_PERIOD_MONTHS * period))?;
            let next = training_start
                .checked_add_months(Months::new(TRAINEE_PERIOD_MONTHS * (period + 1)))?;
            Some(Reduction {
                kind: ReductionKind::Trainee,
                hours: percent_of(contracted, percent),
                from,
                to: next.pred_opt(),
            })
        })
        .collect()
}

/// The trainee reduction in force on a date, with its hours: 80% of contracted hours in the first
/// six months of training, 60% in the next six, 40% in the six after; `None` before training starts
/// and once eighteen months have passed.
pub fn trainee_reduction_on(
    contracted: ContractedHours,
    training_start: NaiveDate,
    on: NaiveDate,
) -> Option<Reduction> {
    trainee_reductions(contracted, training_start)
        .into_iter()
        .find(|reduction| reduction.in_force_on(on))
}

/// A newly qualified officer's reduction: 20% of contracted hours for the period given.
pub fn newly_qualified_reduction(
    contracted: ContractedHours,
    from: NaiveDate,
    to: Option<NaiveDate>,
) -> Reduction {
    Reduction {
        kind: ReductionKind::NewlyQualified,
        hours: percent_of(contracted, NEWLY_QUALIFIED_REDUCTION_PERCENT),
        from,
        to,
    }
}

/// A reduction for union duties; refused above half of contracted hours.
pub fn union_duties_reduction(
    contracted: ContractedHours,
    hours: f64,
    from: NaiveDate,
    to: Option<NaiveDate>,
) -> Result<Reduction, ReductionRefused> {
    let reduction = Reduction {
        kind: ReductionKind::UnionDuties,
        hours,
        from,
        to,
    };
    reduction.check()?;
    check_union_duties(contracted, hours)?;
    Ok(reduction)
}

fn check_union_duties(contracted: ContractedHours, hours: f64) -> Result<(), ReductionRefused> {
    let limit = percent_of(contracted, UNION_DUTIES_MAX_PERCENT);
    // Compared in hundredths of an hour, as every hour figure here is counted.
    if hundredths(hours) > hundredths(limit) {
        Err(ReductionRefused::UnionDutiesOverHalf {
            hours,
            contracted: contracted.hours(),
            limit,
        })
    } else {
        Ok(())
    }
}

/// Hours as a whole number of hundredths of an hour, rounded to the nearest; 0 for anything
/// negative or not a number.
fn hundredths(hours: f64) -> u64 {
    if hours.is_finite() && hours > 0.0 {
        (hours * 100.0).round() as u64
    } else {
        0
    }
}

/// A practitioner's available hours on a date and how they were worked out.
#[derive(Debug, Clone, PartialEq)]
pub struct AvailableHours {
    pub on: NaiveDate,
    pub contracted: f64,
    /// The reductions in force on the date; the others were ignored.
    pub reductions: Vec<Reduction>,
    /// Contracted hours less the reductions in force, never below 0.
    pub hours: f64,
    pub explanation: Explanation,
}

/// Contracted hours less the reductions in force on `on`, never below 0.
///
/// Refuses a reduction that is not a number of hours of 0 or more, that ends before it starts, or
/// union duties in force that add up to more than half of contracted hours. Reductions that add up
/// to more than the contracted hours leave 0 hours, and the explanation says so.
pub fn available_hours(
    contracted: ContractedHours,
    reductions: &[Reduction],
    on: NaiveDate,
) -> Result<AvailableHours, ReductionRefused> {
    for reduction in reductions {
        reduction.check()?;
    }
    let in_force: Vec<Reduction> = reductions
        .iter()
        .filter(|reduction| reduction.in_force_on(on))
        .cloned()
        .collect();
    let union_duties: f64 = in_force
        .iter()
        .filter(|reduction| reduction.kind == ReductionKind::UnionDuties)
        .map(|reduction| reduction.hours)
        .sum();
    check_union_duties(contracted, union_duties)?;

    let mut explanation = Explanation::new(CAPACITY_RULE_VERSION)
        .input("Date", on.to_string())
        .input("Contracted hours", format_decimal(contracted.hours()));
    for reduction in &in_force {
        explanation = explanation.input(
            format!("Reduction: {}", reduction.kind.label()),
            format!(
                "{} hours, {}",
                format_decimal(reduction.hours),
                reduction.period()
            ),
        );
    }

    let reduced = in_force
        .iter()
        .map(|reduction| reduction.hours)
        .sum::<f64>();
    let hours = if reduced > contracted.hours() {
        explanation = explanation.step(format!(
            "Reductions of {} hours are more than the {} contracted hours: no hours are available",
            format_decimal(reduced),
            format_decimal(contracted.hours()),
        ));
        0.0
    } else if in_force.is_empty() {
        explanation = explanation.step(format!(
            "No reductions in force: available hours are the {} contracted hours",
            format_decimal(contracted.hours())
        ));
        contracted.hours()
    } else {
        let hours = contracted.hours() - reduced;
        explanation = explanation.step(format!(
            "Available hours: {} − {} = {}",
            format_decimal(contracted.hours()),
            format_decimal(reduced),
            format_decimal(hours),
        ));
        hours
    };

    Ok(AvailableHours {
        on,
        contracted: contracted.hours(),
        reductions: in_force,
        hours,
        explanation,
    })
}

/// Available points: 2,176 × available hours ÷ 37, with hours counted to the hundredth and the
/// result rounded down (see the module documentation). 0 for no hours, negative hours or hours that
/// are not a number.
pub fn available_points(available_hours: f64) -> u32 {
    let full_time = hundredths(FULL_TIME_HOURS);
    let points = u64::from(NOMINAL_TARGET_POINTS) * hundredths(available_hours) / full_time;
    u32::try_from(points).unwrap_or(u32::MAX)
}

/// Capacity %: total workload points ÷ available points × 100, unrounded. `None` when there are no
/// available points: a practitioner who can hold nothing has no capacity to be a percentage of.
pub fn capacity_percent(total_points: u32, available_points: u32) -> Option<f64> {
    (available_points > 0).then(|| f64::from(total_points) / f64::from(available_points) * 100.0)
}

/// How full a practitioner's caseload is, and how that was worked out.
#[derive(Debug, Clone, PartialEq)]
pub struct Capacity {
    pub total_points: u32,
    pub available_points: u32,
    /// `None` when there are no available points.
    pub percent: Option<f64>,
    pub explanation: Explanation,
}

impl Capacity {
    /// Capacity from total points and available hours; the explanation carries the hours' working.
    pub fn compute(total_points: u32, available: &AvailableHours) -> Self {
        let points = available_points(available.hours);
        let mut explanation = available.explanation.clone().step(format!(
            "Available points: {} × {} ÷ {} = {}, rounded down",
            format_points(NOMINAL_TARGET_POINTS),
            format_decimal(available.hours),
            format_decimal(FULL_TIME_HOURS),
            format_points(points),
        ));
        explanation = explanation.input("Total workload points", format_points(total_points));
        Self::finish(total_points, points, explanation)
    }

    /// Capacity from total points and available points already worked out.
    pub fn from_points(total_points: u32, available_points: u32) -> Self {
        let explanation = Explanation::new(CAPACITY_RULE_VERSION)
            .input("Total workload points", format_points(total_points))
            .input("Available points", format_points(available_points));
        Self::finish(total_points, available_points, explanation)
    }

    fn finish(total_points: u32, available_points: u32, explanation: Explanation) -> Self {
        let percent = capacity_percent(total_points, available_points);
        let step = match percent {
            Some(percent) => format!(
                "Capacity: {} ÷ {} × 100 = {}",
                format_points(total_points),
                format_points(available_points),
                format_percent(percent),
            ),
            None => {
                "No available points, so capacity cannot be worked out as a percentage".to_owned()
            }
        };
        Self {
            total_points,
            available_points,
            percent,
            explanation: explanation.step(step),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn hours(h: f64) -> ContractedHours {
        ContractedHours::parse(h).unwrap()
    }

    fn union_duties(h: f64) -> Reduction {
        Reduction {
            kind: ReductionKind::UnionDuties,
            hours: h,
            from: date(2026, 1, 1),
            to: None,
        }
    }

    fn other(h: f64, from: NaiveDate, to: Option<NaiveDate>) -> Reduction {
        Reduction {
            kind: ReductionKind::Other,
            hours: h,
            from,
            to,
        }
    }

    fn today() -> NaiveDate {
        date(2026, 3, 2)
    }

    #[test]
    fn thirty_seven_hours_less_1_8_gives_2070_points() {
        let available = available_hours(hours(37.0), &[union_duties(1.8)], today()).unwrap();
        assert_eq!(format_decimal(available.hours), "35.2");
        assert_eq!(available_points(available.hours), 2070);
        let capacity = Capacity::compute(2070, &available);
        assert_eq!(capacity.available_points, 2070);
        assert_eq!(capacity.percent, Some(100.0));
        assert_eq!(capacity.explanation.rule_version, CAPACITY_RULE_VERSION);
        assert_eq!(
            capacity.explanation.steps,
            [
                "Available hours: 37 − 1.8 = 35.2",
                "Available points: 2,176 × 35.2 ÷ 37 = 2,070, rounded down",
                "Capacity: 2,070 ÷ 2,070 × 100 = 100.0%",
            ]
        );
        assert_eq!(
            capacity.explanation.input_value("Reduction: Union duties"),
            Some("1.8 hours, from 1 January 2026")
        );
    }

    #[test]
    fn thirty_hours_less_1_8_gives_1658_points() {
        let available = available_hours(hours(30.0), &[union_duties(1.8)], today()).unwrap();
        assert_eq!(available_points(available.hours), 1658);
    }

    #[test]
    fn a_full_time_week_with_no_reductions_gives_the_nominal_2176_points() {
        let available = available_hours(hours(37.0), &[], today()).unwrap();
        assert_eq!(available.hours, 37.0);
        assert_eq!(available_points(available.hours), 2176);
        assert_eq!(
            available.explanation.steps,
            ["No reductions in force: available hours are the 37 contracted hours"]
        );
    }

    #[test]
    fn available_points_are_rounded_down_to_a_whole_point() {
        // 2,176 × 1 ÷ 37 = 58.81: nearest would be 59.
        assert_eq!(available_points(1.0), 58);
        // 2,176 × 36 ÷ 37 = 2,117.19.
        assert_eq!(available_points(36.0), 2117);
    }

    #[test]
    fn hours_are_counted_to_the_hundredth_so_float_noise_costs_no_point() {
        assert_eq!(available_points(36.999_999_9), 2176);
        assert_eq!(available_points(37.0 - 0.1 - 0.2 + 0.3), 2176);
        assert_eq!(available_points(18.5), 1088);
    }

    #[test]
    fn no_negative_or_unknown_hours_give_no_points() {
        assert_eq!(available_points(0.0), 0);
        assert_eq!(available_points(-3.0), 0);
        assert_eq!(available_points(f64::NAN), 0);
    }

    #[test]
    fn capacity_is_total_points_over_available_points_as_a_percentage() {
        assert_eq!(capacity_percent(2070, 2070), Some(100.0));
        assert_eq!(capacity_percent(1035, 2070), Some(50.0));
        let percent = capacity_percent(2484, 2070).unwrap();
        assert!((percent - 120.0).abs() < 1e-9);
        let capacity = Capacity::from_points(2006, 2070);
        assert_eq!(
            capacity.explanation.steps,
            ["Capacity: 2,006 ÷ 2,070 × 100 = 96.9%"]
        );
    }

    #[test]
    fn with_no_available_points_capacity_is_not_a_percentage() {
        assert_eq!(capacity_percent(100, 0), None);
        let capacity = Capacity::from_points(100, 0);
        assert_eq!(capacity.percent, None);
        assert_eq!(
            capacity.explanation.steps,
            ["No available points, so capacity cannot be worked out as a percentage"]
        );
    }

    #[test]
    fn only_reductions_in_force_on_the_date_count_and_both_end_days_are_included() {
        let reductions = [
            other(2.0, date(2026, 1, 1), Some(date(2026, 3, 2))),
            other(3.0, date(2026, 3, 2), None),
            other(5.0, date(2026, 3, 3), None),
            other(7.0, date(2025, 1, 1), Some(date(2026, 3, 1))),
        ];
        let available = available_hours(hours(37.0), &reductions, today()).unwrap();
        assert_eq!(available.hours, 32.0);
        assert_eq!(available.reductions.len(), 2);
        assert_eq!(
            available.explanation.steps,
            ["Available hours: 37 − 5 = 32"]
        );
    }

    #[test]
    fn reductions_beyond_contracted_hours_leave_no_hours_and_say_so() {
        let reductions = [other(30.0, date(2026, 1, 1), None), union_duties(10.0)];
        let available = available_hours(hours(37.0), &reductions, today()).unwrap();
        assert_eq!(available.hours, 0.0);
        assert_eq!(
            available.explanation.steps,
            ["Reductions of 40 hours are more than the 37 contracted hours: no hours are available"]
        );
        assert_eq!(Capacity::compute(50, &available).percent, None);
    }

    #[test]
    fn a_trainee_is_reduced_80_then_60_then_40_percent_over_six_month_periods() {
        let start = date(2026, 1, 15);
        let on = |d| trainee_reduction_on(hours(37.0), start, d).map(|r| r.hours);
        assert_eq!(on(date(2026, 1, 14)), None);
        assert_eq!(on(date(2026, 1, 15)), Some(29.6));
        assert_eq!(on(date(2026, 7, 14)), Some(29.6));
        assert_eq!(on(date(2026, 7, 15)), Some(22.2));
        assert_eq!(on(date(2027, 1, 14)), Some(22.2));
        assert_eq!(on(date(2027, 1, 15)), Some(14.8));
        assert_eq!(on(date(2027, 7, 14)), Some(14.8));
        assert_eq!(on(date(2027, 7, 15)), None);
    }

    #[test]
    fn a_trainees_periods_follow_on_without_gaps_or_overlaps() {
        let periods = trainee_reductions(hours(30.0), date(2026, 8, 31));
        let spans: Vec<_> = periods.iter().map(|r| (r.from, r.to, r.hours)).collect();
        assert_eq!(
            spans,
            [
                (date(2026, 8, 31), Some(date(2027, 2, 27)), 24.0),
                (date(2027, 2, 28), Some(date(2027, 8, 30)), 18.0),
                (date(2027, 8, 31), Some(date(2028, 2, 28)), 12.0),
            ]
        );
    }

    #[test]
    fn a_full_time_trainee_in_the_first_six_months_has_435_points() {
        let start = date(2026, 1, 5);
        let reduction = trainee_reduction_on(hours(37.0), start, today()).unwrap();
        let available = available_hours(hours(37.0), &[reduction], today()).unwrap();
        // 37 − 29.6 = 7.4 hours; 2,176 × 7.4 ÷ 37 = 435.2.
        assert_eq!(available_points(available.hours), 435);
    }

    #[test]
    fn a_newly_qualified_officer_is_reduced_20_percent() {
        let reduction = newly_qualified_reduction(hours(37.0), date(2026, 1, 1), None);
        assert_eq!(reduction.kind, ReductionKind::NewlyQualified);
        assert_eq!(reduction.hours, 7.4);
        let part_time = newly_qualified_reduction(hours(22.5), date(2026, 1, 1), None);
        assert_eq!(part_time.hours, 4.5);
    }

    #[test]
    fn union_duties_of_up_to_half_of_contracted_hours_are_accepted() {
        let reduction = union_duties_reduction(hours(37.0), 18.5, date(2026, 1, 1), None).unwrap();
        assert_eq!(reduction.hours, 18.5);
    }

    #[test]
    fn union_duties_of_more_than_half_of_contracted_hours_are_refused() {
        let refused =
            union_duties_reduction(hours(37.0), 18.51, date(2026, 1, 1), None).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "Union duties can reduce hours by at most half of contracted hours: record at most \
             18.5 of 37 hours, not 18.51"
        );
    }

    #[test]
    fn union_duties_in_force_adding_up_to_more_than_half_are_refused() {
        let refused = available_hours(
            hours(30.0),
            &[union_duties(10.0), union_duties(5.5)],
            today(),
        )
        .unwrap_err();
        assert!(matches!(
            refused,
            ReductionRefused::UnionDutiesOverHalf { limit, .. } if limit == 15.0
        ));
    }

    #[test]
    fn a_reduction_that_is_not_a_number_of_hours_is_refused() {
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            let refused =
                available_hours(hours(37.0), &[other(bad, today(), None)], today()).unwrap_err();
            assert!(matches!(refused, ReductionRefused::NotAnHourCount { .. }));
        }
        assert_eq!(
            union_duties_reduction(hours(37.0), -1.0, today(), None)
                .unwrap_err()
                .to_string(),
            "Enter the hours of the union duties reduction as a number of 0 or more, not -1"
        );
    }

    #[test]
    fn a_reduction_that_ends_before_it_starts_is_refused() {
        let backwards = other(1.0, date(2026, 3, 1), Some(date(2026, 2, 1)));
        assert_eq!(
            available_hours(hours(37.0), &[backwards], today())
                .unwrap_err()
                .to_string(),
            "The other reduction cannot end on 2026-02-01, before it starts on 2026-03-01"
        );
    }

    #[test]
    fn reduction_kinds_parse_from_their_codes() {
        assert_eq!(
            ReductionKind::parse("newly_qualified"),
            Ok(ReductionKind::NewlyQualified)
        );
        assert_eq!(ReductionKind::ALL.len(), 4);
    }
}
