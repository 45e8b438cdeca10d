//! Reviews triggered by changes in circumstances (reference §3 and §4): each event that can change
//! the risk creates a "review the risk assessment" task with a deadline in working days.

use crate::calendar::add_working_days;
use crate::checks::CheckKind;
use crate::coded_enum;
use crate::CodedValue;
use chrono::NaiveDate;
use uuid::Uuid;

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

/// A change to the record after which the police and children's-services checks are asked for
/// again (reference §4: "requested again when circumstances change").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CircumstanceChange {
    /// When it happened: the day they moved in, or the day the member joined the household.
    pub on: NaiveDate,
    pub kind: ChangeKind,
}

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// The person moved to this address, now their main address.
    NewAddress { address_id: Uuid },
    /// Someone joined the household; `child` when under 18.
    NewHouseholdMember { child: bool },
}

impl ChangeKind {
    /// The change in words, for "Circumstances changed on 3 December 2026 (new address)".
    pub fn describe(self) -> &'static str {
        match self {
            ChangeKind::NewAddress { .. } => "new address",
            ChangeKind::NewHouseholdMember { child: true } => "a child joined the household",
            ChangeKind::NewHouseholdMember { child: false } => "someone joined the household",
        }
    }
}

/// A safeguarding check request as the offer reads it: one that still counts (not declined or
/// withdrawn), answered or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckRequested {
    pub kind: CheckKind,
    pub requested_on: NaiveDate,
    pub address_id: Option<Uuid>,
}

impl CheckRequested {
    /// Whether this request was made for the circumstances after `change`: asked on or after the
    /// day it happened, or (for a move) asked about the new address itself, as an address
    /// suitability check does before the person moves in.
    fn covers(&self, change: &CircumstanceChange) -> bool {
        self.requested_on >= change.on
            || matches!(change.kind, ChangeKind::NewAddress { address_id } if self.address_id == Some(address_id))
    }
}

/// The checks to send again, because the circumstances changed after the last request of each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecksOffer {
    /// The changes no request of some kind has followed yet, earliest first.
    pub changes: Vec<CircumstanceChange>,
    /// The checks to send, police first; a check already asked for since is left out.
    pub kinds: Vec<CheckKind>,
}

impl ChecksOffer {
    /// The earliest change not yet followed by a request.
    pub fn since(&self) -> NaiveDate {
        self.changes
            .iter()
            .map(|c| c.on)
            .min()
            .unwrap_or(NaiveDate::MIN)
    }

    /// "new address; a child joined the household".
    pub fn what_changed(&self) -> String {
        let mut words: Vec<&str> = Vec::new();
        for change in &self.changes {
            let said = change.kind.describe();
            if !words.contains(&said) {
                words.push(said);
            }
        }
        words.join("; ")
    }
}

/// Which checks to offer again after the changes in circumstances: each kind of check that some
/// change has not been followed by a request of (see [`CheckRequested::covers`]). Derived from the
/// record each time rather than kept as a flag, so it disappears the moment the checks are sent
/// and can never go stale. `None` when every change has been followed by both checks.
pub fn checks_to_offer(
    changes: &[CircumstanceChange],
    requested: &[CheckRequested],
) -> Option<ChecksOffer> {
    let uncovered = |kind: CheckKind, change: &CircumstanceChange| {
        !requested.iter().any(|r| r.kind == kind && r.covers(change))
    };
    let kinds: Vec<CheckKind> = CheckKind::ALL
        .iter()
        .copied()
        .filter(|kind| changes.iter().any(|c| uncovered(*kind, c)))
        .collect();
    if kinds.is_empty() {
        return None;
    }
    let mut pending: Vec<CircumstanceChange> = changes
        .iter()
        .filter(|c| kinds.iter().any(|kind| uncovered(*kind, c)))
        .copied()
        .collect();
    pending.sort_by_key(|c| c.on);
    Some(ChecksOffer {
        changes: pending,
        kinds,
    })
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

    const NEW_HOME: Uuid = Uuid::from_u128(7);

    fn moved(on: NaiveDate) -> CircumstanceChange {
        CircumstanceChange {
            on,
            kind: ChangeKind::NewAddress {
                address_id: NEW_HOME,
            },
        }
    }

    fn asked(kind: CheckKind, on: NaiveDate, address: Option<Uuid>) -> CheckRequested {
        CheckRequested {
            kind,
            requested_on: on,
            address_id: address,
        }
    }

    #[test]
    fn both_checks_are_offered_after_a_move_that_no_request_has_followed() {
        let before = [
            asked(CheckKind::PoliceDomesticAbuse, date(2026, 6, 1), None),
            asked(CheckKind::ChildrensServices, date(2026, 6, 1), None),
        ];
        let offer = checks_to_offer(&[moved(date(2026, 12, 1))], &before).unwrap();
        assert_eq!(
            offer.kinds,
            [CheckKind::PoliceDomesticAbuse, CheckKind::ChildrensServices]
        );
        assert_eq!(offer.since(), date(2026, 12, 1));
        assert_eq!(offer.what_changed(), "new address");
    }

    #[test]
    fn a_check_asked_for_since_the_change_is_not_offered_again() {
        let since = [asked(
            CheckKind::PoliceDomesticAbuse,
            date(2026, 12, 2),
            None,
        )];
        let offer = checks_to_offer(&[moved(date(2026, 12, 1))], &since).unwrap();
        assert_eq!(offer.kinds, [CheckKind::ChildrensServices]);
    }

    #[test]
    fn checks_of_the_new_address_made_before_the_move_follow_it() {
        // An address suitability check asks about the proposed address before the person moves.
        let about_new_home = [
            asked(
                CheckKind::PoliceDomesticAbuse,
                date(2026, 11, 1),
                Some(NEW_HOME),
            ),
            asked(
                CheckKind::ChildrensServices,
                date(2026, 11, 1),
                Some(NEW_HOME),
            ),
        ];
        assert_eq!(
            checks_to_offer(&[moved(date(2026, 12, 1))], &about_new_home),
            None
        );
    }

    #[test]
    fn a_child_joining_after_the_checks_is_said_in_words() {
        let checks = [
            asked(
                CheckKind::PoliceDomesticAbuse,
                date(2026, 11, 1),
                Some(NEW_HOME),
            ),
            asked(
                CheckKind::ChildrensServices,
                date(2026, 11, 1),
                Some(NEW_HOME),
            ),
        ];
        let changes = [
            moved(date(2026, 12, 1)),
            CircumstanceChange {
                on: date(2026, 12, 2),
                kind: ChangeKind::NewHouseholdMember { child: true },
            },
        ];
        let offer = checks_to_offer(&changes, &checks).unwrap();
        assert_eq!(offer.since(), date(2026, 12, 2));
        assert_eq!(offer.what_changed(), "a child joined the household");
    }

    #[test]
    fn nothing_is_offered_without_a_change() {
        assert_eq!(checks_to_offer(&[], &[]), None);
    }
}
