//! Partner organisations and the people in them: the police forces and local-authority services
//! that keepsafe asks for domestic-abuse and safeguarding information (reference §4).
//!
//! Partners are not probation staff. They never get a [`crate::staff::Grade`]; what they may do is
//! decided by [`super::access`] from their organisation and their [`PartnerRole`] alone.

use crate::coded_enum;
use crate::organisation::OrgCode;
use thiserror::Error;
use uuid::Uuid;

coded_enum! {
    /// The kind of organisation, which decides the requests it can answer
    /// ([`super::request::RequestType::accepted_by`]).
    pub enum PartnerOrganisationKind ("partner organisation type") {
        PoliceForce => "police_force", "Police force",
        ChildrensServices => "childrens_services", "Local authority children's services",
        AdultSocialCare => "adult_social_care", "Local authority adult social care",
    }
}

coded_enum! {
    /// What a partner user does for their organisation. Responders answer requests; managers also
    /// see their organisation's response statistics, because they are the ones who can fix a
    /// backlog.
    pub enum PartnerRole ("partner role") {
        Responder => "partner_responder", "Partner responder",
        Manager => "partner_manager", "Partner manager",
    }
}

impl PartnerRole {
    /// Whether the role may see its organisation's response-time dashboard.
    pub fn sees_statistics(self) -> bool {
        self == PartnerRole::Manager
    }
}

/// A partner organisation's short code ("LINCS-POLICE", "LINCS-CS"), used in URLs, API tokens and
/// reports. It follows the same shape as probation's own [`OrgCode`] so one rule governs every code
/// a person types, but is its own type so a PDU code can never be used where a partner is meant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PartnerOrganisationCode(OrgCode);

/// Why a partner organisation code was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("Enter the partner organisation's code: 2 to 20 upper-case letters, digits or hyphens, like LINCS-POLICE")]
pub struct InvalidPartnerOrganisationCode;

impl PartnerOrganisationCode {
    pub fn parse(raw: &str) -> Result<Self, InvalidPartnerOrganisationCode> {
        OrgCode::parse(raw)
            .map(Self)
            .map_err(|_| InvalidPartnerOrganisationCode)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// A partner organisation as requests and access decisions need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerOrganisation {
    pub id: Uuid,
    pub code: PartnerOrganisationCode,
    pub name: OrganisationName,
    pub kind: PartnerOrganisationKind,
}

/// An organisation's name as printed on requests and letters ("Lincolnshire Police").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationName(String);

/// Why an organisation name was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidOrganisationName {
    #[error("Enter the organisation's name")]
    Missing,
    #[error("The organisation's name must be {max} characters or fewer")]
    TooLong { max: usize },
    #[error("The organisation's name must not contain control characters")]
    ControlCharacters,
}

impl OrganisationName {
    pub const MAX_CHARS: usize = 120;

    pub fn parse(raw: &str) -> Result<Self, InvalidOrganisationName> {
        let name = raw.trim();
        if name.is_empty() {
            Err(InvalidOrganisationName::Missing)
        } else if name.chars().count() > Self::MAX_CHARS {
            Err(InvalidOrganisationName::TooLong {
                max: Self::MAX_CHARS,
            })
        } else if name.chars().any(crate::text::is_unsafe_in_one_line) {
            Err(InvalidOrganisationName::ControlCharacters)
        } else {
            Ok(Self(name.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for OrganisationName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CodedValue;

    #[test]
    fn partner_organisation_codes_are_normalised_to_upper_case() {
        assert_eq!(
            PartnerOrganisationCode::parse(" lincs-police ")
                .unwrap()
                .as_str(),
            "LINCS-POLICE"
        );
    }

    #[test]
    fn malformed_partner_organisation_codes_are_refused_with_an_example() {
        for bad in ["", "P", "LINCS POLICE", "LINCS_POLICE", &"A".repeat(21)] {
            let error = PartnerOrganisationCode::parse(bad).unwrap_err();
            assert!(error.to_string().contains("like LINCS-POLICE"), "{bad}");
        }
    }

    #[test]
    fn organisation_names_must_be_given_short_and_printable() {
        assert_eq!(
            OrganisationName::parse("  "),
            Err(InvalidOrganisationName::Missing)
        );
        assert_eq!(
            OrganisationName::parse(&"a".repeat(121)),
            Err(InvalidOrganisationName::TooLong { max: 120 })
        );
        assert_eq!(
            OrganisationName::parse("Lincs\u{0007} Police"),
            Err(InvalidOrganisationName::ControlCharacters)
        );
        assert_eq!(
            OrganisationName::parse(" Lincolnshire Police ")
                .unwrap()
                .as_str(),
            "Lincolnshire Police"
        );
    }

    #[test]
    fn only_partner_managers_see_statistics() {
        assert!(PartnerRole::Manager.sees_statistics());
        assert!(!PartnerRole::Responder.sees_statistics());
    }

    #[test]
    fn organisation_kinds_and_roles_have_stable_codes() {
        assert_eq!(
            PartnerOrganisationKind::parse("childrens_services"),
            Ok(PartnerOrganisationKind::ChildrensServices)
        );
        assert_eq!(
            PartnerRole::parse("partner_manager"),
            Ok(PartnerRole::Manager)
        );
        assert_eq!(PartnerOrganisationKind::ALL.len(), 3);
    }
}
