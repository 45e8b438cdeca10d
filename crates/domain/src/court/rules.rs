//! When a pre-sentence report is due: counted in England and Wales working days from the hearing
//! that asked for it, by the kind of report. Versioned reference data, shown beside every due date.

use super::report::ReportType;
use crate::calendar::add_working_days;
use crate::CodedValue;
use chrono::NaiveDate;

/// The version of the default rules, stored with every report.
pub const COURT_RULE_VERSION: &str = "court-2026/1";

/// The configurable numbers of court work. The defaults are **keepsafe's defaults**: an oral
/// report is given on the day of the hearing, a short-format report within 5 working days and a
/// standard report within 15 (the usual adjournment for a full report is three weeks). A service
/// that sets others gives them a version of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourtRules {
    pub version: String,
    pub oral_working_days: u32,
    pub short_format_working_days: u32,
    pub standard_working_days: u32,
}

impl Default for CourtRules {
    fn default() -> Self {
        Self {
            version: COURT_RULE_VERSION.to_owned(),
            oral_working_days: 0,
            short_format_working_days: 5,
            standard_working_days: 15,
        }
    }
}

impl CourtRules {
    /// Working days the court allows for a report of this type.
    pub fn working_days(&self, kind: ReportType) -> u32 {
        match kind {
            ReportType::Oral => self.oral_working_days,
            ReportType::ShortFormat => self.short_format_working_days,
            ReportType::Standard => self.standard_working_days,
        }
    }

    /// The day a report asked for at the hearing on `hearing_on` is due.
    pub fn due_on(&self, kind: ReportType, hearing_on: NaiveDate) -> NaiveDate {
        add_working_days(hearing_on, self.working_days(kind))
    }

    /// How the due date was worked out, in words.
    pub fn describe(&self, kind: ReportType) -> String {
        match self.working_days(kind) {
            0 => format!(
                "An {} is given on the day of the hearing ({})",
                kind.label().to_lowercase(),
                self.version
            ),
            days => format!(
                "A {} is due {days} working days after the hearing, not counting weekends and bank holidays in England and Wales ({})",
                kind.label().to_lowercase(),
                self.version
            ),
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
    fn an_oral_report_is_due_on_the_day_of_the_hearing() {
        let rules = CourtRules::default();
        assert_eq!(
            rules.due_on(ReportType::Oral, date(2026, 12, 2)),
            date(2026, 12, 2)
        );
    }

    #[test]
    fn a_short_format_report_is_due_five_working_days_after_the_hearing() {
        let rules = CourtRules::default();
        // Wednesday 2 December 2026 → Wednesday 9 December.
        assert_eq!(
            rules.due_on(ReportType::ShortFormat, date(2026, 12, 2)),
            date(2026, 12, 9)
        );
    }

    #[test]
    fn a_standard_report_due_date_skips_christmas_and_new_year() {
        let rules = CourtRules::default();
        // 15 working days from 14 December 2026 skip 25, 28 December and 1 January.
        assert_eq!(
            rules.due_on(ReportType::Standard, date(2026, 12, 14)),
            date(2027, 1, 7)
        );
    }

    #[test]
    fn the_working_days_are_configurable_and_the_version_is_said() {
        let rules = CourtRules {
            version: "Midchester: 10 days".into(),
            standard_working_days: 10,
            ..CourtRules::default()
        };
        assert_eq!(
            rules.due_on(ReportType::Standard, date(2026, 12, 2)),
            date(2026, 12, 16)
        );
        assert!(rules
            .describe(ReportType::Standard)
            .contains("Midchester: 10 days"));
    }
}
