//! How long a completed needs assessment stays valid for tiering, and when it must be reviewed
//! after a change in circumstances.
//!
//! The validity period is keepsafe's own default, not a figure from the service: reference §10
//! says a change level needs a needs assessment but the service's tiering does not check its age.
//! keepsafe treats an assessment older than a year as no longer describing the person (the OASys
//! practice of reviewing at least yearly), so the change level falls back to 2 until it is
//! reviewed. Deployments may configure other rules; their version is stored with every assessment.

use crate::calendar::add_working_days;
use crate::review::ReviewTrigger;
use chrono::{Days, Months, NaiveDate};

/// The needs-assessment rules in force: versioned reference data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeedsRules {
    pub version: &'static str,
    /// Months a completed assessment is valid for tiering, from the day it was completed.
    pub validity_months: u32,
    /// Working days allowed to review the assessment after a change in circumstances.
    pub review_working_days: u32,
}

impl Default for NeedsRules {
    fn default() -> Self {
        Self {
            version: "keepsafe needs rules 1 (valid 12 months from completion; reviewed within 10 working days of a change in circumstances)",
            validity_months: 12,
            review_working_days: 10,
        }
    }
}

/// Whether an assessment is valid for tiering on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// Valid, up to and including `until`.
    Valid { until: NaiveDate },
    /// No longer valid: its last valid day was the day before `on`.
    Expired { on: NaiveDate },
}

impl NeedsRules {
    /// The last day an assessment completed on `completed_on` is valid: the day before the same
    /// date `validity_months` later (29 February counts on to 28 February).
    pub fn valid_until(&self, completed_on: NaiveDate) -> NaiveDate {
        completed_on
            .checked_add_months(Months::new(self.validity_months))
            .and_then(|expires| expires.checked_sub_days(Days::new(1)))
            .unwrap_or(NaiveDate::MAX)
    }

    /// Whether an assessment valid until `valid_until` is valid for tiering on `day`.
    pub fn validity(valid_until: NaiveDate, day: NaiveDate) -> Validity {
        if day <= valid_until {
            Validity::Valid { until: valid_until }
        } else {
            Validity::Expired {
                on: valid_until.succ_opt().unwrap_or(valid_until),
            }
        }
    }

    /// Whether a change in circumstances calls for the needs assessment to be reviewed. Every
    /// change in the person's life does (a move, a new partner, an arrest, a breach, release or
    /// recall can each change a need); a MAPPA category or level change is a decision about how
    /// the risk is managed, not a change in the person's needs.
    pub fn calls_for_review(trigger: ReviewTrigger) -> bool {
        trigger != ReviewTrigger::MappaChange
    }

    /// When the review is due after a change recorded on `on`.
    pub fn review_due(&self, on: NaiveDate) -> NaiveDate {
        add_working_days(on, self.review_working_days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn an_assessment_is_valid_for_twelve_months_by_default() {
        let rules = NeedsRules::default();
        let until = rules.valid_until(date(2026, 12, 2));
        assert_eq!(until, date(2027, 12, 1));
        assert_eq!(
            NeedsRules::validity(until, date(2027, 12, 1)),
            Validity::Valid { until }
        );
        assert_eq!(
            NeedsRules::validity(until, date(2027, 12, 2)),
            Validity::Expired {
                on: date(2027, 12, 2)
            }
        );
    }

    #[test]
    fn the_validity_period_is_configurable() {
        let rules = NeedsRules {
            validity_months: 6,
            ..NeedsRules::default()
        };
        assert_eq!(rules.valid_until(date(2026, 1, 31)), date(2026, 7, 30));
    }

    #[test]
    fn an_assessment_completed_on_29_february_is_valid_until_27_february_next_year() {
        assert_eq!(
            NeedsRules::default().valid_until(date(2028, 2, 29)),
            date(2029, 2, 27)
        );
    }

    #[test]
    fn a_move_calls_for_a_review_within_ten_working_days_but_a_mappa_change_does_not() {
        assert!(NeedsRules::calls_for_review(ReviewTrigger::AddressChange));
        assert!(!NeedsRules::calls_for_review(ReviewTrigger::MappaChange));
        assert_eq!(
            NeedsRules::default().review_due(date(2026, 11, 20)),
            date(2026, 12, 4)
        );
    }
}
