//! The serious further offence deadlines, versioned so that each case keeps the rules it was
//! worked out by and says so under "how it was worked out".

use crate::calendar::{add_working_days, long_date, CALENDAR_RULE_VERSION};
use chrono::{Duration, NaiveDate};

/// The configurable rules (reference §8: commonly notify within 10 working days of the charge
/// being known, and complete the review within 60 working days of notification).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SfoRules {
    /// Stored with each case; never shown in a sentence.
    pub version: &'static str,
    /// Working days from the day the charge became known to the notification.
    pub notify_within_working_days: u32,
    /// Working days from notification to the completed review.
    pub review_within_working_days: u32,
    /// Calendar days after supervision ended within which an offence still qualifies.
    pub days_after_supervision: i64,
}

/// The rules keepsafe starts with.
pub const SFO_RULES_2026: SfoRules = SfoRules {
    version:
        "sfo-2026-12: notify 10 working days, review 60 working days, 28 days after supervision",
    notify_within_working_days: 10,
    review_within_working_days: 60,
    days_after_supervision: 28,
};

impl Default for SfoRules {
    fn default() -> Self {
        SFO_RULES_2026
    }
}

impl SfoRules {
    /// Every version keepsafe has used, newest first.
    pub fn all() -> Vec<SfoRules> {
        vec![SFO_RULES_2026]
    }

    /// The version a case was worked out by (the current one for an unknown version).
    pub fn by_version(version: &str) -> SfoRules {
        Self::all()
            .into_iter()
            .find(|rules| rules.version == version)
            .unwrap_or_default()
    }

    /// The day the notification is due: working days after the charge became known.
    pub fn notification_due(&self, known_on: NaiveDate) -> NaiveDate {
        add_working_days(known_on, self.notify_within_working_days)
    }

    /// The day the review is due: working days after notification.
    pub fn review_due(&self, notified_on: NaiveDate) -> NaiveDate {
        add_working_days(notified_on, self.review_within_working_days)
    }

    /// The last day an offence still qualifies after supervision ended on `ended_on`.
    pub fn last_qualifying_day(&self, ended_on: NaiveDate) -> NaiveDate {
        ended_on + Duration::days(self.days_after_supervision)
    }

    /// How the notification's due date was worked out, in words.
    pub fn explain_notification(&self, known_on: NaiveDate) -> String {
        format!(
            "The charge became known on {}. Notification is due {} working days later, on {}, counting weekdays that are not bank holidays in England and Wales.",
            long_date(known_on),
            self.notify_within_working_days,
            long_date(self.notification_due(known_on))
        )
    }

    /// How the review's due date was worked out, in words.
    pub fn explain_review(&self, notified_on: NaiveDate) -> String {
        format!(
            "Notified on {}. The review is due {} working days later, on {}, counting weekdays that are not bank holidays in England and Wales.",
            long_date(notified_on),
            self.review_within_working_days,
            long_date(self.review_due(notified_on))
        )
    }

    /// The rule and calendar versions, for the end of "how it was worked out".
    pub fn versions(&self) -> String {
        format!(
            "Rules: {}. Calendar: {}.",
            self.version, CALENDAR_RULE_VERSION
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn notification_is_due_ten_working_days_after_the_charge_is_known() {
        // Monday 2 November 2026 + 10 working days: Monday 16 November.
        assert_eq!(
            SfoRules::default().notification_due(date(2026, 11, 2)),
            date(2026, 11, 16)
        );
    }

    #[test]
    fn the_notification_deadline_skips_christmas_and_new_year_bank_holidays() {
        // Known Friday 18 December 2026: working days 21, 22, 23, 24, (25 Christmas, 28 Boxing
        // Day substitute), 29, 30, 31, (1 January), 4, 5, 6 January 2027.
        assert_eq!(
            SfoRules::default().notification_due(date(2026, 12, 18)),
            date(2027, 1, 6)
        );
    }

    #[test]
    fn the_review_is_due_sixty_working_days_after_notification_across_easter() {
        // Notified Monday 1 March 2027: twelve weeks of weekdays end on Monday 24 May, and Good
        // Friday (26 March), Easter Monday (29 March) and the early May bank holiday (3 May) push
        // the 60th working day to Thursday 27 May 2027.
        assert_eq!(
            SfoRules::default().review_due(date(2027, 3, 1)),
            date(2027, 5, 27)
        );
    }

    #[test]
    fn the_deadlines_are_configurable_and_explained_in_words() {
        let rules = SfoRules {
            version: "test",
            notify_within_working_days: 5,
            review_within_working_days: 20,
            days_after_supervision: 28,
        };
        assert_eq!(rules.notification_due(date(2026, 11, 2)), date(2026, 11, 9));
        let words = rules.explain_notification(date(2026, 11, 2));
        assert!(words.contains("2 November 2026"), "{words}");
        assert!(
            words.contains("5 working days later, on 9 November 2026"),
            "{words}"
        );
        assert!(!words.contains("test"), "no version in the sentence");
    }

    #[test]
    fn an_unknown_version_reads_as_the_current_rules() {
        assert_eq!(SfoRules::by_version("gone"), SfoRules::default());
        assert_eq!(SfoRules::by_version(SFO_RULES_2026.version), SFO_RULES_2026);
    }
}
