//! The numbers of the victim contact scheme, versioned so every due date can say which rules set
//! it.

use crate::calendar::{add_working_days, long_date, CALENDAR_RULE_VERSION};
use chrono::{Days, NaiveDate};

/// The version of the default rules, shown beside every due date computed with them.
pub const VICTIM_CONTACT_RULE_VERSION: &str = "victim-contact-2026/1";

/// The configurable numbers of the scheme.
///
/// - `referral_working_days`: the referral to the victim contact service is due within 20
///   working days of sentence (reference §6; the Victims' Code sets the same).
/// - `representations_weeks_before_release`: victims are asked for their representations about
///   licence conditions this many weeks before the release date, so the conditions they ask for
///   can be considered before the licence is written. **keepsafe's default** (8 weeks, the same
///   window as the release worklist), not a national standard.
/// - `contact_working_days`: a contact at a stage (release, recall, licence end) is due this many
///   working days after the stage is reached. **keepsafe's default**: 5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VictimContactRules {
    pub version: String,
    pub referral_working_days: u32,
    pub representations_weeks_before_release: u32,
    pub contact_working_days: u32,
}

impl Default for VictimContactRules {
    fn default() -> Self {
        Self {
            version: VICTIM_CONTACT_RULE_VERSION.to_owned(),
            referral_working_days: 20,
            representations_weeks_before_release: 8,
            contact_working_days: 5,
        }
    }
}

impl VictimContactRules {
    /// When the referral to the victim contact service is due: `referral_working_days` working
    /// days after the sentence date, skipping weekends and bank holidays.
    pub fn referral_due(&self, sentenced_on: NaiveDate) -> NaiveDate {
        add_working_days(sentenced_on, self.referral_working_days)
    }

    /// How the referral's due date was worked out, in words.
    pub fn referral_due_explained(&self, sentenced_on: NaiveDate) -> String {
        format!(
            "Sentenced on {}; the referral is due {} working days later, on {} (weekends and bank \
             holidays not counted: {CALENDAR_RULE_VERSION}). Rules {}.",
            long_date(sentenced_on),
            self.referral_working_days,
            long_date(self.referral_due(sentenced_on)),
            self.version
        )
    }

    /// When representations about licence conditions are due: the set number of weeks before
    /// the release date.
    pub fn representations_due(&self, release_on: NaiveDate) -> NaiveDate {
        release_on
            .checked_sub_days(Days::new(
                u64::from(self.representations_weeks_before_release) * 7,
            ))
            .unwrap_or(NaiveDate::MIN)
    }

    /// How the representations' due date was worked out, in words.
    pub fn representations_due_explained(&self, release_on: NaiveDate) -> String {
        format!(
            "Due for release on {}; the victim is asked for their representations {} weeks \
             before, by {} (keepsafe's default). Rules {}.",
            long_date(release_on),
            self.representations_weeks_before_release,
            long_date(self.representations_due(release_on)),
            self.version
        )
    }

    /// When a contact at a stage reached on `on` is due.
    pub fn contact_due(&self, on: NaiveDate) -> NaiveDate {
        add_working_days(on, self.contact_working_days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_referral_is_due_twenty_working_days_after_sentence() {
        // Monday 2 November 2026: four full weeks, no bank holidays.
        assert_eq!(
            VictimContactRules::default().referral_due(day(2026, 11, 2)),
            day(2026, 11, 30)
        );
    }

    #[test]
    fn a_referral_due_date_skips_christmas_boxing_day_and_new_year() {
        // Sentenced Friday 11 December 2026. Christmas Day is a Friday, Boxing Day a Saturday
        // (substitute Monday 28 December), New Year's Day a Friday: three bank holidays skipped.
        assert_eq!(
            VictimContactRules::default().referral_due(day(2026, 12, 11)),
            day(2027, 1, 13)
        );
    }

    #[test]
    fn a_referral_due_date_skips_easter() {
        // Sentenced Monday 22 March 2027; Good Friday 26 March and Easter Monday 29 March.
        assert_eq!(
            VictimContactRules::default().referral_due(day(2027, 3, 22)),
            day(2027, 4, 21)
        );
    }

    #[test]
    fn representations_are_due_eight_weeks_before_release_by_default() {
        let rules = VictimContactRules::default();
        assert_eq!(rules.representations_due(day(2027, 3, 1)), day(2027, 1, 4));
        let words = rules.representations_due_explained(day(2027, 3, 1));
        assert!(words.contains("by 4 January 2027"), "{words}");
    }

    #[test]
    fn the_referral_due_date_says_how_it_was_worked_out() {
        let words = VictimContactRules::default().referral_due_explained(day(2026, 11, 2));
        assert!(
            words.starts_with("Sentenced on 2 November 2026; the referral is due 20 working days later, on 30 November 2026"),
            "{words}"
        );
        assert!(words.contains(VICTIM_CONTACT_RULE_VERSION));
    }
}
