//! When a requirement's programme should have started. No national standard says how soon an
//! accredited programme must start; inspectors found waits of six months to a year (reference §1)
//! and judged them too long, since a programme must be finished before the order ends. keepsafe's
//! own default flags an accredited programme requirement (or a rehabilitation activity requirement
//! with a programme referral) with no programme started 12 weeks after the requirement began: a
//! quarter of a typical 12-month order, leaving time to start a 19- to 30-session programme and
//! finish it before the order ends. The rules are versioned data, so a service can change the
//! weeks and every flag says which version produced it.

use chrono::{Duration, NaiveDate};

/// The rules for a programme's start, in force from a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgrammeRules {
    pub version: &'static str,
    pub in_force_from: NaiveDate,
    /// Weeks after the requirement began by which a programme should have started.
    pub start_within_weeks: u32,
}

/// keepsafe's default, in force from the start of the programmes area.
pub const KEEPSAFE_2026: ProgrammeRules = ProgrammeRules {
    version: "keepsafe-programmes-2026-12",
    in_force_from: match NaiveDate::from_ymd_opt(2020, 1, 1) {
        Some(day) => day,
        None => panic!("a real date"),
    },
    start_within_weeks: 12,
};

/// Every version, oldest first.
pub const HISTORY: &[ProgrammeRules] = &[KEEPSAFE_2026];

impl Default for ProgrammeRules {
    fn default() -> Self {
        KEEPSAFE_2026
    }
}

impl ProgrammeRules {
    /// The version in force on `day` (the oldest before any was).
    pub fn in_force_on(day: NaiveDate) -> Self {
        HISTORY
            .iter()
            .rev()
            .find(|rules| rules.in_force_from <= day)
            .copied()
            .unwrap_or(HISTORY[0])
    }
}

/// Whether a requirement's programme is late to start, with how that was worked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartFlag {
    /// The day by which a programme should have started.
    pub due_by: NaiveDate,
    /// Not started and `due_by` has passed.
    pub flagged: bool,
    /// Days since `due_by`, when flagged.
    pub days_late: i64,
    /// The working, in words, for the page's "how it was worked out".
    pub explanation: String,
}

/// Whether the requirement that began on `began_on` has had its programme start in time:
/// `started_on` is the earliest start of a programme referred under it, if any.
pub fn start_flag(
    began_on: NaiveDate,
    started_on: Option<NaiveDate>,
    today: NaiveDate,
    rules: &ProgrammeRules,
) -> StartFlag {
    let due_by = began_on + Duration::weeks(i64::from(rules.start_within_weeks));
    let words = |d: NaiveDate| d.format("%-d %B %Y").to_string();
    let base = format!(
        "The requirement began on {}. A programme should start within {} weeks (keepsafe's default), so by {}.",
        words(began_on),
        rules.start_within_weeks,
        words(due_by)
    );
    let (flagged, days_late, end) = match started_on {
        Some(on) if on <= due_by => (false, 0, format!(" It started on {}, in time.", words(on))),
        Some(on) => (
            false,
            0,
            format!(
                " It started on {}, {} days late.",
                words(on),
                (on - due_by).num_days()
            ),
        ),
        None if today > due_by => {
            let late = (today - due_by).num_days();
            (
                true,
                late,
                format!(" No programme has started: {late} days past that date."),
            )
        }
        None => (
            false,
            0,
            format!(
                " No programme has started yet; {} days remain.",
                (due_by - today).num_days()
            ),
        ),
    };
    StartFlag {
        due_by,
        flagged,
        days_late,
        explanation: format!("{base}{end} Rules: {}.", rules.version),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_requirement_with_no_programme_started_twelve_weeks_on_is_flagged() {
        let rules = ProgrammeRules::default();
        let flag = start_flag(date(2026, 9, 1), None, date(2026, 11, 25), &rules);
        assert_eq!(flag.due_by, date(2026, 11, 24));
        assert!(flag.flagged);
        assert_eq!(flag.days_late, 1);
        assert!(
            flag.explanation.contains("within 12 weeks"),
            "{}",
            flag.explanation
        );
    }

    #[test]
    fn on_the_due_day_itself_it_is_not_yet_flagged() {
        let flag = start_flag(
            date(2026, 9, 1),
            None,
            date(2026, 11, 24),
            &ProgrammeRules::default(),
        );
        assert!(!flag.flagged);
    }

    #[test]
    fn a_programme_started_late_is_not_flagged_but_says_it_was_late() {
        let flag = start_flag(
            date(2026, 1, 5),
            Some(date(2026, 7, 1)),
            date(2026, 12, 6),
            &ProgrammeRules::default(),
        );
        assert!(!flag.flagged);
        assert!(
            flag.explanation.contains("days late"),
            "{}",
            flag.explanation
        );
    }

    #[test]
    fn the_weeks_are_configurable() {
        let rules = ProgrammeRules {
            start_within_weeks: 26,
            ..ProgrammeRules::default()
        };
        let flag = start_flag(date(2026, 1, 5), None, date(2026, 6, 1), &rules);
        assert_eq!(flag.due_by, date(2026, 7, 6));
        assert!(!flag.flagged);
    }

    #[test]
    fn the_version_in_force_is_found_by_day() {
        assert_eq!(
            ProgrammeRules::in_force_on(date(2026, 12, 6)).version,
            "keepsafe-programmes-2026-12"
        );
    }
}
