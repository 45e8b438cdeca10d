//! The unpaid work rules as effective-dated reference data (stored in `upw_rules`, migration 28),
//! so a policy change is a new row and every page can name the version that produced a number.

use crate::requirement::UnpaidWorkCompletionRule;
use chrono::NaiveDate;

/// One version of the unpaid work rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnpaidWorkRules {
    /// The version's name, shown in "How it was worked out".
    pub version: String,
    /// The day the 2026 Act's removal of the 12-month completion limit commences for orders made
    /// on or after it (reference §2), once it is known. `None` while it is not in force.
    pub limit_removed_from: Option<NaiveDate>,
    /// The share of the hours ordered that may be credited as education, training or employment
    /// activity, in per cent. keepsafe's own default is 20% (issue 18), not a figure from the
    /// reference: set it to the local Community Payback policy.
    pub ete_share_percent: u32,
    /// The most travel time a session may credit where the project allows travel to be credited
    /// (keepsafe's own default: 60 minutes).
    pub max_travel_minutes: u32,
    /// The weeks over which the pace achieved is measured (keepsafe's default: 4).
    pub pace_lookback_weeks: u32,
    /// The least an order is expected to progress each week while hours remain, in hours
    /// (keepsafe's default: 6, one working day a week).
    pub minimum_weekly_hours: u32,
    /// Weeks after the sentence before an order is judged on its pace (keepsafe's default: 2,
    /// time for the induction and the first allocation).
    pub settling_in_weeks: u32,
}

impl Default for UnpaidWorkRules {
    fn default() -> Self {
        Self {
            version: "unpaid-work-2026-12".into(),
            limit_removed_from: None,
            ete_share_percent: 20,
            max_travel_minutes: 60,
            pace_lookback_weeks: 4,
            minimum_weekly_hours: 6,
            settling_in_weeks: 2,
        }
    }
}

impl UnpaidWorkRules {
    /// The completion rule of this version (the commencement date it holds).
    pub fn completion(&self) -> UnpaidWorkCompletionRule {
        UnpaidWorkCompletionRule {
            limit_removed_from: self.limit_removed_from,
        }
    }

    /// The most education, training or employment time an order of `ordered_hours` may credit,
    /// in minutes (rounded down to the minute).
    pub fn ete_limit_minutes(&self, ordered_hours: u32) -> u32 {
        ordered_hours * 60 * self.ete_share_percent / 100
    }

    /// How the completion deadline of an order sentenced on `sentence_date` is worked out, in
    /// words, for the "How it was worked out" details.
    pub fn explain_deadline(&self, sentence_date: NaiveDate) -> String {
        let said = |d: NaiveDate| d.format("%-d %B %Y").to_string();
        match (self.limit_removed_from, self.completion().complete_by(sentence_date)) {
            (Some(commenced), None) => format!(
                "Sentenced on {}, on or after {}, when the 2026 Act's removal of the 12-month limit commenced: no completion deadline applies.",
                said(sentence_date),
                said(commenced)
            ),
            (Some(commenced), Some(due)) => format!(
                "Sentenced on {}, before the 2026 Act's removal of the 12-month limit commenced on {}: the hours must be worked within 12 months, by {}.",
                said(sentence_date),
                said(commenced),
                said(due)
            ),
            (None, Some(due)) => format!(
                "Sentenced on {}; the 2026 Act's removal of the 12-month limit has no commencement date yet, so the hours must be worked within 12 months, by {}.",
                said(sentence_date),
                said(due)
            ),
            (None, None) => "No completion deadline could be worked out.".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn an_order_made_the_day_before_commencement_keeps_the_twelve_month_deadline() {
        let rules = UnpaidWorkRules {
            limit_removed_from: Some(date(2027, 6, 1)),
            ..UnpaidWorkRules::default()
        };
        assert_eq!(
            rules.completion().complete_by(date(2027, 5, 31)),
            Some(date(2028, 5, 31))
        );
        assert!(rules
            .explain_deadline(date(2027, 5, 31))
            .contains("by 31 May 2028"));
    }

    #[test]
    fn an_order_made_on_or_after_commencement_has_no_deadline() {
        let rules = UnpaidWorkRules {
            limit_removed_from: Some(date(2027, 6, 1)),
            ..UnpaidWorkRules::default()
        };
        assert_eq!(rules.completion().complete_by(date(2027, 6, 1)), None);
        assert!(rules
            .explain_deadline(date(2027, 6, 2))
            .contains("no completion deadline"));
    }

    #[test]
    fn education_training_and_employment_may_be_a_fifth_of_the_hours_by_default() {
        let rules = UnpaidWorkRules::default();
        assert_eq!(rules.ete_limit_minutes(100), 20 * 60);
        assert_eq!(rules.ete_limit_minutes(45), 9 * 60);
    }
}
