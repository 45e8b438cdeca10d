//! A licence version's life: written as a draft, submitted, and approved by a senior officer who
//! did not write it. The first version needs a senior probation officer (or the head of PDU); a
//! **variation** of an approved licence, with its reason, needs the head of PDU. A version with a
//! curfew or residence condition cannot be approved until the address suitability check for it
//! has been approved (reference §5: risk to the women and children living there assessed first).
//! Each approved version is kept; the next one says what changed.

use super::conditions::LicenceCondition;
use crate::calendar::long_date;
use crate::coded_enum;
use crate::staff::Grade;
use crate::CodedValue;
use chrono::NaiveDate;
use thiserror::Error;
use uuid::Uuid;

coded_enum! {
    /// Where a version of a licence is.
    pub enum LicenceStatus ("licence status") {
        Draft => "draft", "Draft",
        AwaitingApproval => "awaiting_approval", "Awaiting approval",
        Approved => "approved", "Approved",
        Superseded => "superseded", "Replaced by a later version",
    }
}

coded_enum! {
    /// Whether a version is the first licence or a variation of an approved one.
    pub enum VersionKind ("licence version kind") {
        Initial => "initial", "First licence",
        Variation => "variation", "Variation",
    }
}

/// The state of the address suitability check, as the approval reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressState {
    /// No address check has been started for the case.
    NotStarted,
    /// A check exists but has not been approved (incomplete, or found unsuitable).
    NotApproved,
    /// An address was approved as suitable on that day.
    Approved { on: NaiveDate },
}

impl AddressState {
    /// The state in words, for the pre-release page.
    pub fn describe(self) -> String {
        match self {
            AddressState::NotStarted => "No address suitability check has been started".to_owned(),
            AddressState::NotApproved => {
                "The address suitability check has not been approved yet".to_owned()
            }
            AddressState::Approved { on } => {
                format!("Address approved as suitable on {}", long_date(on))
            }
        }
    }
}

/// Why a version cannot move on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApprovalRefusal {
    #[error("Only a draft can be submitted for approval; this version is {}", .0.label().to_lowercase())]
    NotDraft(LicenceStatus),
    #[error("Add at least one additional condition before submitting, or say in a bespoke condition why none is needed")]
    NoConditions,
    #[error("Only a version awaiting approval can be approved; this version is {}", .0.label().to_lowercase())]
    NotAwaitingApproval(LicenceStatus),
    #[error("You wrote this licence, so you cannot approve it: another senior officer must")]
    OwnLicence,
    #[error("A licence is approved by a senior probation officer or the head of PDU")]
    NeedsSeniorOfficer,
    #[error("A variation of a licence is approved by the head of PDU")]
    VariationNeedsHeadOfPdu,
    #[error("The licence has a curfew or residence condition, so the address must be approved as suitable first. {}.", .0.describe())]
    AddressNotSuitable(AddressState),
}

/// Submits a draft with `conditions` additional conditions for approval.
pub fn submit(status: LicenceStatus, conditions: usize) -> Result<LicenceStatus, ApprovalRefusal> {
    if status != LicenceStatus::Draft {
        return Err(ApprovalRefusal::NotDraft(status));
    }
    if conditions == 0 {
        return Err(ApprovalRefusal::NoConditions);
    }
    Ok(LicenceStatus::AwaitingApproval)
}

/// What approving a version needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApprovalRequest {
    pub status: LicenceStatus,
    pub kind: VersionKind,
    pub author: Uuid,
    pub needs_suitable_address: bool,
    pub address: AddressState,
}

/// Whether `by`, of `grade`, may approve the version.
pub fn approve(
    request: &ApprovalRequest,
    by: Uuid,
    grade: Grade,
) -> Result<LicenceStatus, ApprovalRefusal> {
    if request.status != LicenceStatus::AwaitingApproval {
        return Err(ApprovalRefusal::NotAwaitingApproval(request.status));
    }
    if request.author == by {
        return Err(ApprovalRefusal::OwnLicence);
    }
    match (request.kind, grade) {
        (VersionKind::Variation, Grade::HeadOfPdu) => {}
        (VersionKind::Variation, _) => return Err(ApprovalRefusal::VariationNeedsHeadOfPdu),
        (VersionKind::Initial, Grade::SeniorProbationOfficer | Grade::HeadOfPdu) => {}
        (VersionKind::Initial, _) => return Err(ApprovalRefusal::NeedsSeniorOfficer),
    }
    if request.needs_suitable_address && !matches!(request.address, AddressState::Approved { .. }) {
        return Err(ApprovalRefusal::AddressNotSuitable(request.address));
    }
    Ok(LicenceStatus::Approved)
}

/// What changed from one approved version to the next, in words: conditions added and removed.
pub fn changes_between(previous: &[LicenceCondition], next: &[LicenceCondition]) -> Vec<String> {
    let line = |c: &LicenceCondition| format!("{}: {}", c.details.kind().label(), c.text());
    let removed = previous
        .iter()
        .filter(|p| !next.iter().any(|n| n.text() == p.text()))
        .map(|c| format!("Removed — {}", line(c)));
    let added = next
        .iter()
        .filter(|n| !previous.iter().any(|p| p.text() == n.text()))
        .map(|c| format!("Added — {}", line(c)));
    removed.chain(added).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::licences::conditions::ConditionDetails;

    fn request(kind: VersionKind, author: Uuid) -> ApprovalRequest {
        ApprovalRequest {
            status: LicenceStatus::AwaitingApproval,
            kind,
            author,
            needs_suitable_address: false,
            address: AddressState::NotStarted,
        }
    }

    #[test]
    fn the_author_cannot_approve_their_own_licence() {
        let author = Uuid::new_v4();
        let refused = approve(
            &request(VersionKind::Initial, author),
            author,
            Grade::SeniorProbationOfficer,
        );
        assert_eq!(refused, Err(ApprovalRefusal::OwnLicence));
    }

    #[test]
    fn a_senior_probation_officer_approves_a_first_licence_but_a_probation_officer_cannot() {
        let req = request(VersionKind::Initial, Uuid::new_v4());
        assert_eq!(
            approve(&req, Uuid::new_v4(), Grade::SeniorProbationOfficer),
            Ok(LicenceStatus::Approved)
        );
        assert_eq!(
            approve(&req, Uuid::new_v4(), Grade::ProbationOfficer),
            Err(ApprovalRefusal::NeedsSeniorOfficer)
        );
    }

    #[test]
    fn a_variation_needs_the_head_of_pdu() {
        let req = request(VersionKind::Variation, Uuid::new_v4());
        assert_eq!(
            approve(&req, Uuid::new_v4(), Grade::SeniorProbationOfficer),
            Err(ApprovalRefusal::VariationNeedsHeadOfPdu)
        );
        assert_eq!(
            approve(&req, Uuid::new_v4(), Grade::HeadOfPdu),
            Ok(LicenceStatus::Approved)
        );
    }

    #[test]
    fn a_curfew_licence_is_not_approved_until_the_address_is_approved_as_suitable() {
        let req = ApprovalRequest {
            needs_suitable_address: true,
            address: AddressState::NotApproved,
            ..request(VersionKind::Initial, Uuid::new_v4())
        };
        let refused = approve(&req, Uuid::new_v4(), Grade::SeniorProbationOfficer).unwrap_err();
        assert!(refused.to_string().contains("has not been approved yet"));
        let approved = ApprovalRequest {
            address: AddressState::Approved {
                on: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            },
            ..req
        };
        assert!(approve(&approved, Uuid::new_v4(), Grade::SeniorProbationOfficer).is_ok());
    }

    #[test]
    fn only_a_draft_with_conditions_is_submitted_and_only_a_submitted_version_approved() {
        assert_eq!(
            submit(LicenceStatus::Draft, 0),
            Err(ApprovalRefusal::NoConditions)
        );
        assert_eq!(
            submit(LicenceStatus::Draft, 1),
            Ok(LicenceStatus::AwaitingApproval)
        );
        assert!(submit(LicenceStatus::Approved, 1).is_err());
        let draft = ApprovalRequest {
            status: LicenceStatus::Draft,
            ..request(VersionKind::Initial, Uuid::new_v4())
        };
        assert!(matches!(
            approve(&draft, Uuid::new_v4(), Grade::HeadOfPdu),
            Err(ApprovalRefusal::NotAwaitingApproval(LicenceStatus::Draft))
        ));
    }

    #[test]
    fn the_changes_between_versions_name_conditions_added_and_removed() {
        let zone = |area: &str| LicenceCondition {
            catalogue_code: Some("exclusion_zone".into()),
            wording: "Not to enter the area.".into(),
            details: ConditionDetails::ExclusionZone { area: area.into() },
            victim_request: None,
        };
        let changes = changes_between(&[zone("Old Town")], &[zone("Old Town and the Quays")]);
        assert_eq!(
            changes,
            vec![
                "Removed — Exclusion zone: Not to enter the area. The area: Old Town".to_owned(),
                "Added — Exclusion zone: Not to enter the area. The area: Old Town and the Quays"
                    .to_owned(),
            ]
        );
    }
}
