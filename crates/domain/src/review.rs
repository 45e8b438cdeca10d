//! Reviews triggered by changes in circumstances (reference §3 and §4): each event that can change
//! the risk creates a "review the risk assessment" task with a deadline in working days.

use crate::calendar::add_working_days;
use crate::coded_enum;
use chrono::NaiveDate;

coded_enum! {
    /// A change in circumstances that means the risk assessment must be reviewed.
    pub enum ReviewTrigger ("change in circumstances") {
        DomesticAbuseIncident => "domestic_abuse_incident", "New domestic-abuse incident",
        PartnerInformation => "partner_information", "New information from a partner agency",
        ArrestOrCharge => "arrest_or_charge", "Arrest or charge",
        AddressChange => "address_change", "Change of address",
        HouseholdChange => "household_change", "Change in the household (new partner, new child)",
        Breach => "breach", "Breach",
        MappaChange => "mappa_change", "MAPPA category or level changed",
        ChildProtectionRegistration => "child_protection_registration", "Child protection or child concerns registration",
        Release => "release", "Release from custody",
        Recall => "recall", "Recall to custody",
    }
}

/// Working days allowed to review the assessment after each trigger. Configurable reference data;
/// the version is shown with every deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewRules {
    pub version: &'static str,
    pub urgent_working_days: u32,
    pub standard_working_days: u32,
}

impl Default for ReviewRules {
    fn default() -> Self {
        Self {
            version: "keepsafe review deadlines 2 (5 working days for incidents, arrests, MAPPA, child protection, release and recall; 10 otherwise)",
            urgent_working_days: 5,
            standard_working_days: 10,
        }
    }
}

impl ReviewRules {
    pub fn working_days(&self, trigger: ReviewTrigger) -> u32 {
        match trigger {
            ReviewTrigger::DomesticAbuseIncident
            | ReviewTrigger::ArrestOrCharge
            | ReviewTrigger::MappaChange
            | ReviewTrigger::ChildProtectionRegistration
            | ReviewTrigger::Release
            | ReviewTrigger::Recall => self.urgent_working_days,
            ReviewTrigger::PartnerInformation
            | ReviewTrigger::AddressChange
            | ReviewTrigger::HouseholdChange
            | ReviewTrigger::Breach => self.standard_working_days,
        }
    }

    /// When the review is due after a change that happened (or was learned of) on `on`.
    pub fn due(&self, trigger: ReviewTrigger, on: NaiveDate) -> NaiveDate {
        add_working_days(on, self.working_days(trigger))
    }
}

/// Whether a task due on `due` is overdue on `today`: due dates are the last day to act.
pub fn is_overdue(due: NaiveDate, today: NaiveDate) -> bool {
    today > due
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_domestic_abuse_incident_must_be_reviewed_within_five_working_days() {
        let rules = ReviewRules::default();
        assert_eq!(
            rules.due(ReviewTrigger::DomesticAbuseIncident, date(2026, 11, 20)),
            date(2026, 11, 27)
        );
    }

    #[test]
    fn a_change_of_address_must_be_reviewed_within_ten_working_days() {
        let rules = ReviewRules::default();
        assert_eq!(
            rules.due(ReviewTrigger::AddressChange, date(2026, 11, 20)),
            date(2026, 12, 4)
        );
    }

    #[test]
    fn a_task_is_overdue_the_day_after_it_is_due() {
        assert!(!is_overdue(date(2026, 11, 27), date(2026, 11, 27)));
        assert!(is_overdue(date(2026, 11, 27), date(2026, 11, 28)));
    }
}
