//! When a MAPPA case is next reviewed, and why then: the words the MAPPA page and the list show
//! beside the date, so nobody has to know the cadence to see that a review is late.

use crate::registration::{MappaLevel, RegistrationKind, RegistrationReviewRules};
use crate::review::is_overdue;
use crate::CodedValue;
use chrono::NaiveDate;

/// The next review of a MAPPA registration, judged on `today`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewStatus {
    pub due_on: NaiveDate,
    pub overdue: bool,
    /// Whole days late (0 when not overdue).
    pub days_late: i64,
    /// How the date was worked out, in words.
    pub explanation: String,
}

fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The status of a registration at `level`, last reviewed (or registered) on `since`, whose next
/// review is set for `due_on`.
pub fn review_status(
    level: Option<MappaLevel>,
    since: NaiveDate,
    last_was_meeting: bool,
    due_on: NaiveDate,
    today: NaiveDate,
    rules: &RegistrationReviewRules,
) -> ReviewStatus {
    let weeks = rules.cadence_weeks(RegistrationKind::Mappa, level);
    let cadence = match level {
        Some(level @ (MappaLevel::ActiveMultiAgency | MappaLevel::SeniorOversight)) => format!(
            "MAPPA level {} cases are reviewed at a meeting at least every {weeks} weeks (reference §7)",
            level.code()
        ),
        _ => format!(
            "MAPPA level 1 cases have no multi-agency meetings; keepsafe reviews them at least every {weeks} weeks"
        ),
    };
    let from = if last_was_meeting {
        format!("the last meeting was held on {}", long_date(since))
    } else {
        format!(
            "the case was last reviewed or registered on {}",
            long_date(since)
        )
    };
    let overdue = is_overdue(due_on, today);
    let days_late = if overdue {
        (today - due_on).num_days()
    } else {
        0
    };
    ReviewStatus {
        due_on,
        overdue,
        days_late,
        explanation: format!(
            "{cadence}. {}, and the next review was set for {}. Rules: {}.",
            capitalise(&from),
            long_date(due_on),
            rules.version
        ),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_level_3_review_past_its_date_is_overdue_by_the_days_since() {
        let status = review_status(
            Some(MappaLevel::SeniorOversight),
            date(2026, 9, 1),
            true,
            date(2026, 10, 27),
            date(2026, 12, 2),
            &RegistrationReviewRules::default(),
        );
        assert!(status.overdue);
        assert_eq!(status.days_late, 36);
        assert!(
            status.explanation.contains("every 8 weeks"),
            "{}",
            status.explanation
        );
        assert!(
            status
                .explanation
                .contains("The last meeting was held on 1 September 2026"),
            "{}",
            status.explanation
        );
    }

    #[test]
    fn a_review_due_today_is_not_yet_overdue() {
        let status = review_status(
            Some(MappaLevel::ActiveMultiAgency),
            date(2026, 8, 12),
            false,
            date(2026, 12, 2),
            date(2026, 12, 2),
            &RegistrationReviewRules::default(),
        );
        assert!(!status.overdue);
        assert_eq!(status.days_late, 0);
        assert!(status.explanation.contains("every 16 weeks"));
    }
}
