//! When a sentence plan is reviewed: at a regular interval, and soon after a significant change —
//! the risk of serious harm assessment reviewed, or a change of circumstances recorded (reference
//! §3: "reviews must follow changes in circumstances").

use crate::calendar::add_working_days;
use crate::coded_enum;
use chrono::{Days, NaiveDate};

/// The version of the default rules, stored with every review task.
pub const PLAN_RULE_VERSION: &str = "plans-2026/1";

coded_enum! {
    /// Why a review of the plan is due.
    pub enum ReviewReason ("reason for a plan review") {
        Scheduled => "scheduled", "Regular review",
        RiskAssessmentReviewed => "risk_assessment_reviewed", "Risk of serious harm assessment reviewed",
        ChangeOfCircumstances => "change_of_circumstances", "Change of circumstances",
    }
}

/// The configurable numbers of plan reviews. The defaults are **keepsafe's defaults**, not a
/// national standard: a plan is reviewed at least every 16 weeks, and within 10 working days of a
/// significant change. A service that sets others gives them a version of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRules {
    /// Stored with every review task and shown on the "how it was worked out" line.
    pub version: String,
    /// Weeks between regular reviews, counted from the day the plan became active or was last
    /// reviewed. keepsafe's default: 16.
    pub review_interval_weeks: u32,
    /// Working days to review the plan after a significant change. keepsafe's default: 10.
    pub after_change_working_days: u32,
}

impl Default for PlanRules {
    fn default() -> Self {
        Self {
            version: PLAN_RULE_VERSION.to_owned(),
            review_interval_weeks: 16,
            after_change_working_days: 10,
        }
    }
}

impl PlanRules {
    /// When the next review is due for `reason`, counted from `from` (the day the plan became
    /// active or was last reviewed for a regular review; the day the change was recorded
    /// otherwise).
    pub fn review_due(&self, reason: ReviewReason, from: NaiveDate) -> NaiveDate {
        match reason {
            ReviewReason::Scheduled => from
                .checked_add_days(Days::new(u64::from(self.review_interval_weeks) * 7))
                .unwrap_or(NaiveDate::MAX),
            ReviewReason::RiskAssessmentReviewed | ReviewReason::ChangeOfCircumstances => {
                add_working_days(from, self.after_change_working_days)
            }
        }
    }

    /// The rules in words, for a task's "how it was worked out".
    pub fn describe(&self) -> String {
        format!(
            "Reviewed at least every {} weeks, and within {} working days of a significant change ({})",
            self.review_interval_weeks, self.after_change_working_days, self.version
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
    fn a_plan_is_reviewed_every_sixteen_weeks_by_default() {
        let rules = PlanRules::default();
        assert_eq!(
            rules.review_due(ReviewReason::Scheduled, date(2026, 12, 2)),
            date(2027, 3, 24)
        );
    }

    #[test]
    fn a_significant_change_calls_for_a_review_within_ten_working_days_skipping_holidays() {
        let rules = PlanRules::default();
        // 21 December 2026: Christmas Day, Boxing Day (substitute 28th) and New Year's Day fall
        // in the next ten working days.
        assert_eq!(
            rules.review_due(ReviewReason::ChangeOfCircumstances, date(2026, 12, 21)),
            date(2027, 1, 7)
        );
    }

    #[test]
    fn the_interval_is_configurable() {
        let rules = PlanRules {
            version: "Midchester: 12 weeks".into(),
            review_interval_weeks: 12,
            ..PlanRules::default()
        };
        assert_eq!(
            rules.review_due(ReviewReason::Scheduled, date(2026, 12, 2)),
            date(2027, 2, 24)
        );
    }
}
