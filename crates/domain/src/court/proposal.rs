//! The gate on a report's proposal (reference §4, §5): police domestic-abuse call-out
//! information, children's-services safeguarding information and the main occupier's details are
//! mandatory before a curfew — or any requirement that ties the person to an address — is proposed
//! to a court. The gate names exactly what is missing, so the page can link each item to where it
//! is got, and the officer can ask the court for an adjournment instead.

use crate::calendar::long_date;
use crate::checks::CheckKind;
use crate::requirement::RequirementKind;
use crate::CodedValue;
use chrono::NaiveDate;
use uuid::Uuid;

/// Requirements that tie the person to an address: a curfew (kept at an address, often
/// electronically monitored) and a residence requirement (to live where the court says). Both
/// put the person in a household, so the people living there must be known about first.
pub fn at_an_address(kind: RequirementKind) -> bool {
    matches!(kind, RequirementKind::Curfew | RequirementKind::Residence)
}

/// Where one mandatory check stands for the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckState {
    NotRequested,
    /// Asked on `requested_on`, with no answer yet.
    Awaiting {
        requested_on: NaiveDate,
        deadline: NaiveDate,
    },
    /// Answered on `received_on`.
    Answered {
        received_on: NaiveDate,
    },
}

/// What is known about who occupies the proposed address, from the address suitability check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OccupierState {
    /// No address suitability check has been started.
    NoAddressCheck,
    /// A check exists, but neither "the person is the occupier" nor the main occupier's name is
    /// recorded.
    NotRecorded {
        address_check: Uuid,
        address: String,
    },
    /// The person occupies it, or the main occupier is named.
    Recorded { address_check: Uuid },
}

/// Everything the gate reads about the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalFacts {
    pub police: CheckState,
    pub childrens_services: CheckState,
    pub occupier: OccupierState,
}

/// One thing missing before the proposal may stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProposalGap {
    CheckNotRequested(CheckKind),
    CheckAwaited {
        kind: CheckKind,
        requested_on: NaiveDate,
        deadline: NaiveDate,
    },
    NoAddressCheck,
    OccupierNotRecorded {
        address_check: Uuid,
        address: String,
    },
}

impl ProposalGap {
    /// What is missing and what to do, in a sentence.
    pub fn message(&self, requirement: RequirementKind) -> String {
        let what = requirement.label().to_lowercase();
        match self {
            ProposalGap::CheckNotRequested(kind) => format!(
                "You cannot propose a {what} requirement until the {} response is in: it has not been requested",
                kind.label().to_lowercase()
            ),
            ProposalGap::CheckAwaited {
                kind,
                requested_on,
                deadline,
            } => format!(
                "You cannot propose a {what} requirement until the {} response is in: requested on {}, due by {}",
                kind.label().to_lowercase(),
                long_date(requested_on),
                long_date(deadline)
            ),
            ProposalGap::NoAddressCheck => format!(
                "You cannot propose a {what} requirement until the main occupier's details are recorded: start an address suitability check"
            ),
            ProposalGap::OccupierNotRecorded { address, .. } => format!(
                "You cannot propose a {what} requirement until the main occupier's details are recorded on the address check for {address}"
            ),
        }
    }

    /// The page of the case where the missing item is got, from its CRN.
    pub fn link(&self, crn: &str) -> String {
        match self {
            ProposalGap::CheckNotRequested(_) | ProposalGap::CheckAwaited { .. } => {
                format!("/cases/{crn}/risk#checks")
            }
            ProposalGap::NoAddressCheck => format!("/cases/{crn}/address-checks"),
            ProposalGap::OccupierNotRecorded { address_check, .. } => {
                format!("/cases/{crn}/address-checks/{address_check}")
            }
        }
    }

    /// The words of the link.
    pub fn link_text(&self) -> &'static str {
        match self {
            ProposalGap::CheckNotRequested(_) => "Request the check",
            ProposalGap::CheckAwaited { .. } => "See the request",
            ProposalGap::NoAddressCheck => "Start an address suitability check",
            ProposalGap::OccupierNotRecorded { .. } => "Record the main occupier",
        }
    }
}

/// Whether the proposed requirements may be proposed: every gap when one is at an address and the
/// information is missing, nothing otherwise. The first at-address requirement proposed names the
/// gaps (a curfew before a residence requirement).
pub fn check_proposal(
    proposed: &[RequirementKind],
    facts: &ProposalFacts,
) -> Result<(), (RequirementKind, Vec<ProposalGap>)> {
    let Some(requirement) = proposed.iter().copied().find(|kind| at_an_address(*kind)) else {
        return Ok(());
    };
    let mut gaps = Vec::new();
    for (kind, state) in [
        (CheckKind::PoliceDomesticAbuse, &facts.police),
        (CheckKind::ChildrensServices, &facts.childrens_services),
    ] {
        match state {
            CheckState::NotRequested => gaps.push(ProposalGap::CheckNotRequested(kind)),
            CheckState::Awaiting {
                requested_on,
                deadline,
            } => gaps.push(ProposalGap::CheckAwaited {
                kind,
                requested_on: *requested_on,
                deadline: *deadline,
            }),
            CheckState::Answered { .. } => {}
        }
    }
    match &facts.occupier {
        OccupierState::NoAddressCheck => gaps.push(ProposalGap::NoAddressCheck),
        OccupierState::NotRecorded {
            address_check,
            address,
        } => gaps.push(ProposalGap::OccupierNotRecorded {
            address_check: *address_check,
            address: address.clone(),
        }),
        OccupierState::Recorded { .. } => {}
    }
    if gaps.is_empty() {
        Ok(())
    } else {
        Err((requirement, gaps))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn complete() -> ProposalFacts {
        ProposalFacts {
            police: CheckState::Answered {
                received_on: date(2026, 11, 30),
            },
            childrens_services: CheckState::Answered {
                received_on: date(2026, 12, 1),
            },
            occupier: OccupierState::Recorded {
                address_check: Uuid::from_u128(7),
            },
        }
    }

    fn gaps(proposed: &[RequirementKind], facts: &ProposalFacts) -> Vec<ProposalGap> {
        check_proposal(proposed, facts)
            .err()
            .map(|(_, g)| g)
            .unwrap_or_default()
    }

    #[test]
    fn a_curfew_proposal_without_the_police_check_is_refused() {
        let facts = ProposalFacts {
            police: CheckState::NotRequested,
            ..complete()
        };
        assert_eq!(
            gaps(&[RequirementKind::Curfew], &facts),
            [ProposalGap::CheckNotRequested(
                CheckKind::PoliceDomesticAbuse
            )]
        );
    }

    #[test]
    fn a_curfew_proposal_awaiting_the_childrens_services_response_is_refused_saying_when_it_is_due()
    {
        let facts = ProposalFacts {
            childrens_services: CheckState::Awaiting {
                requested_on: date(2026, 11, 25),
                deadline: date(2026, 12, 9),
            },
            ..complete()
        };
        let found = gaps(&[RequirementKind::Curfew], &facts);
        assert_eq!(found.len(), 1);
        let message = found[0].message(RequirementKind::Curfew);
        assert!(
            message.contains("children's services safeguarding check"),
            "{message}"
        );
        assert!(message.contains("9 December 2026"), "{message}");
        assert_eq!(found[0].link("X123456"), "/cases/X123456/risk#checks");
    }

    #[test]
    fn a_curfew_proposal_without_the_occupier_is_refused_and_links_to_the_address_check() {
        let check = Uuid::from_u128(9);
        let facts = ProposalFacts {
            occupier: OccupierState::NotRecorded {
                address_check: check,
                address: "14 Mill Road, Midchester".into(),
            },
            ..complete()
        };
        let found = gaps(&[RequirementKind::Curfew], &facts);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].link("X123456"),
            format!("/cases/X123456/address-checks/{check}")
        );
        let none = ProposalFacts {
            occupier: OccupierState::NoAddressCheck,
            ..complete()
        };
        assert_eq!(
            gaps(&[RequirementKind::Curfew], &none),
            [ProposalGap::NoAddressCheck]
        );
    }

    #[test]
    fn a_curfew_proposal_with_both_responses_and_the_occupier_is_allowed() {
        assert_eq!(
            check_proposal(&[RequirementKind::Curfew], &complete()),
            Ok(())
        );
    }

    #[test]
    fn every_missing_item_is_named_at_once() {
        let facts = ProposalFacts {
            police: CheckState::NotRequested,
            childrens_services: CheckState::NotRequested,
            occupier: OccupierState::NoAddressCheck,
        };
        assert_eq!(gaps(&[RequirementKind::Residence], &facts).len(), 3);
    }

    #[test]
    fn requirements_not_at_an_address_need_no_checks() {
        let facts = ProposalFacts {
            police: CheckState::NotRequested,
            childrens_services: CheckState::NotRequested,
            occupier: OccupierState::NoAddressCheck,
        };
        assert_eq!(
            check_proposal(
                &[
                    RequirementKind::UnpaidWork,
                    RequirementKind::RehabilitationActivity
                ],
                &facts
            ),
            Ok(())
        );
    }

    #[test]
    fn curfew_and_residence_are_the_requirements_at_an_address() {
        let at: Vec<_> = RequirementKind::ALL
            .iter()
            .copied()
            .filter(|kind| at_an_address(*kind))
            .collect();
        assert_eq!(at, [RequirementKind::Curfew, RequirementKind::Residence]);
    }
}
