//! The configurable numbers of licences and release. The defaults are **keepsafe's own
//! defaults**, not a national standard: a service that sets others gives them a version of its own,
//! and the version is stored with every task and shown on every "how it was worked out" line.

use chrono::NaiveTime;

/// The version of the default rules.
pub const LICENCE_RULE_VERSION: &str = "licences-2026/1";

/// keepsafe's rules for the work before release and the licence's conditions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceRules {
    pub version: String,
    /// How many weeks before release the handover from the prison to the community practitioner
    /// starts (its tasks appear on `/tasks` from then). keepsafe's default: 12.
    pub handover_weeks_before_release: u32,
    /// How many days before release the release-day tasks appear. keepsafe's default: 14.
    pub release_tasks_days_before: u32,
    /// The shortest curfew a condition may set, in hours a day. keepsafe's default: 2.
    pub curfew_min_hours: u32,
    /// The longest curfew a condition may set, in hours a day. keepsafe's default: 16 (the
    /// longest daily curfew the law allows for a curfew requirement).
    pub curfew_max_hours: u32,
}

impl Default for LicenceRules {
    fn default() -> Self {
        Self {
            version: LICENCE_RULE_VERSION.to_owned(),
            handover_weeks_before_release: 12,
            release_tasks_days_before: 14,
            curfew_min_hours: 2,
            curfew_max_hours: 16,
        }
    }
}

impl LicenceRules {
    /// The length of a curfew from `from` to `to`, in minutes; a curfew that runs past midnight
    /// (19:00 to 07:00) is the usual kind, so `to` before `from` means the next morning.
    pub fn curfew_minutes(from: NaiveTime, to: NaiveTime) -> i64 {
        let minutes = (to - from).num_minutes();
        if minutes <= 0 {
            minutes + 24 * 60
        } else {
            minutes
        }
    }

    /// The rules in words, for "how it was worked out".
    pub fn describe(&self) -> String {
        format!(
            "Handover starts {} weeks before release and the release-day tasks {} days before; a curfew lasts between {} and {} hours a day. These are keepsafe's own defaults ({}).",
            self.handover_weeks_before_release,
            self.release_tasks_days_before,
            self.curfew_min_hours,
            self.curfew_max_hours,
            self.version
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn a_curfew_over_midnight_counts_the_hours_to_the_next_morning() {
        assert_eq!(
            LicenceRules::curfew_minutes(time(19, 0), time(7, 0)),
            12 * 60
        );
        assert_eq!(
            LicenceRules::curfew_minutes(time(9, 0), time(17, 30)),
            8 * 60 + 30
        );
    }

    #[test]
    fn the_defaults_say_they_are_keepsafes_own() {
        let rules = LicenceRules::default();
        assert_eq!(rules.handover_weeks_before_release, 12);
        assert!(rules.describe().contains("keepsafe's own defaults"));
    }
}
