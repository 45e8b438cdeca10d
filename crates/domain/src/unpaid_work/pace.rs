//! Whether an unpaid work order is on pace to be finished by its deadline.
//!
//! The pace needed is the hours remaining divided by the weeks left to the deadline, but never
//! less than the rules' minimum weekly expectation (6 hours by default) while hours remain — and
//! with no deadline (an order made after the 2026 Act commenced) it is that minimum. The pace
//! achieved is the hours credited over the last few weeks (4 by default, fewer for a newer order)
//! divided by those weeks. An order is behind when the pace achieved is below the pace needed,
//! and past its deadline when hours remain and the deadline has gone. Orders in their first weeks
//! (2 by default) are settling in and not judged.

use crate::unpaid_work::rules::UnpaidWorkRules;
use chrono::NaiveDate;

/// What the pace is worked out from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaceInputs {
    pub ordered_hours: u32,
    pub credited_minutes: u32,
    /// Minutes credited for sessions in the lookback window (the last `pace_lookback_weeks`).
    pub recent_minutes: u32,
    pub sentence_date: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub today: NaiveDate,
}

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaceStatus {
    Complete,
    SettlingIn,
    OnPace,
    Behind,
    PastDeadline,
}

impl PaceStatus {
    /// Whether a manager should look at it.
    pub fn at_risk(self) -> bool {
        matches!(self, PaceStatus::Behind | PaceStatus::PastDeadline)
    }

    pub fn label(self) -> &'static str {
        match self {
            PaceStatus::Complete => "Completed",
            PaceStatus::SettlingIn => "Settling in",
            PaceStatus::OnPace => "On pace",
            PaceStatus::Behind => "Behind pace",
            PaceStatus::PastDeadline => "Past the deadline",
        }
    }
}

/// The pace of an order, in minutes a week.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    pub remaining_minutes: u32,
    /// Weeks from today to the deadline (none without a deadline).
    pub weeks_left: Option<f64>,
    pub needed_per_week: u32,
    pub achieved_per_week: u32,
    /// The weeks the pace achieved is measured over.
    pub measured_weeks: u32,
    pub status: PaceStatus,
}

/// Works out an order's pace on `inputs.today` under `rules`.
pub fn assess_pace(inputs: &PaceInputs, rules: &UnpaidWorkRules) -> Pace {
    let ordered = inputs.ordered_hours * 60;
    let remaining = ordered.saturating_sub(inputs.credited_minutes);
    let days_in = (inputs.today - inputs.sentence_date).num_days().max(0);
    let weeks_in = u32::try_from(days_in / 7).unwrap_or(u32::MAX);
    let measured_weeks = weeks_in.clamp(1, rules.pace_lookback_weeks.max(1));
    let achieved = inputs.recent_minutes / measured_weeks;
    let minimum = (rules.minimum_weekly_hours * 60).min(remaining);
    let weeks_left = inputs
        .deadline
        .map(|deadline| (deadline - inputs.today).num_days() as f64 / 7.0);
    let needed = match weeks_left {
        Some(weeks) if weeks > 0.0 => ((f64::from(remaining) / weeks).ceil() as u32).max(minimum),
        Some(_) => remaining,
        None => minimum,
    };
    let status = if remaining == 0 {
        PaceStatus::Complete
    } else if weeks_left.is_some_and(|w| w <= 0.0) {
        PaceStatus::PastDeadline
    } else if weeks_in < rules.settling_in_weeks {
        PaceStatus::SettlingIn
    } else if achieved < needed {
        PaceStatus::Behind
    } else {
        PaceStatus::OnPace
    };
    Pace {
        remaining_minutes: remaining,
        weeks_left,
        needed_per_week: needed,
        achieved_per_week: achieved,
        measured_weeks,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// (ordered hours, credited hours, hours in the last 4 weeks, days since sentence, has a
    /// deadline, expected status, expected hours needed a week)
    #[test]
    fn the_pace_table() {
        let today = date(2026, 12, 6);
        let rules = UnpaidWorkRules::default();
        let table: &[(u32, u32, u32, i64, bool, PaceStatus, u32)] = &[
            // 100 h ordered 26 weeks ago, 50 done, 8 h a week lately: 50 h over 26 weeks ≈ 1.9
            // h needed, raised to the 6 h minimum; 2 h a week achieved → behind.
            (100, 50, 8, 182, true, PaceStatus::Behind, 6),
            // The same order doing 6 h a week lately is on pace.
            (100, 50, 24, 182, true, PaceStatus::OnPace, 6),
            // 200 h ordered 40 weeks ago, 60 done: 140 h in about 12 weeks needs 12 h a week.
            (200, 60, 40, 280, true, PaceStatus::Behind, 12),
            // All done.
            (40, 40, 0, 100, true, PaceStatus::Complete, 0),
            // Sentenced 10 days ago: settling in, not judged.
            (80, 0, 0, 10, true, PaceStatus::SettlingIn, 6),
            // Past the 12 months with hours left.
            (80, 70, 0, 400, true, PaceStatus::PastDeadline, 10),
            // No deadline (after commencement): judged against the minimum alone.
            (80, 10, 0, 60, false, PaceStatus::Behind, 6),
            (80, 10, 28, 60, false, PaceStatus::OnPace, 6),
        ];
        for &(ordered, credited, recent, days, has_deadline, status, needed) in table {
            let sentence_date = today - chrono::Duration::days(days);
            let deadline = has_deadline
                .then(|| rules.completion().complete_by(sentence_date))
                .flatten();
            let pace = assess_pace(
                &PaceInputs {
                    ordered_hours: ordered,
                    credited_minutes: credited * 60,
                    recent_minutes: recent * 60,
                    sentence_date,
                    deadline,
                    today,
                },
                &rules,
            );
            assert_eq!(pace.status, status, "{ordered} {credited} {recent} {days}");
            assert_eq!(
                pace.needed_per_week.div_ceil(60),
                needed,
                "{ordered} {credited} {recent} {days}"
            );
            assert_eq!(
                pace.status.at_risk(),
                matches!(status, PaceStatus::Behind | PaceStatus::PastDeadline)
            );
        }
    }
}
