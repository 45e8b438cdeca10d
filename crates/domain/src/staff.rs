//! Staff: the people who use keepsafe, their grades and what a grade implies.

use crate::coded_enum;
use thiserror::Error;

coded_enum! {
    /// A member of staff's grade. The grade decides what they may see and do (see [`crate::access`])
    /// and, later, how much casework they can hold.
    pub enum Grade ("grade") {
        ProbationOfficer => "po", "Probation officer",
        ProbationServiceOfficer => "pso", "Probation services officer",
        TraineeOfficer => "trainee", "Trainee probation officer",
        SeniorProbationOfficer => "spo", "Senior probation officer",
        HeadOfPdu => "head_of_pdu", "Head of probation delivery unit",
        VictimLiaisonOfficer => "vlo", "Victim liaison officer",
        QualityInspection => "quality", "Quality and inspection",
        Administrator => "admin", "Administrator",
        /// A user of a partner organisation (police force, local authority): they reach only the
        /// partner portal, never a case record (see [`crate::partner::access`]).
        PartnerUser => "partner", "Partner agency user",
    }
}

impl Grade {
    /// Practitioners hold a caseload of people on probation.
    pub fn holds_caseload(self) -> bool {
        matches!(
            self,
            Grade::ProbationOfficer | Grade::ProbationServiceOfficer | Grade::TraineeOfficer
        )
    }

    /// Which organisational level the grade belongs to: a team, a PDU or a whole region.
    pub fn scope(self) -> StaffScope {
        match self {
            Grade::ProbationOfficer
            | Grade::ProbationServiceOfficer
            | Grade::TraineeOfficer
            | Grade::SeniorProbationOfficer => StaffScope::Team,
            Grade::HeadOfPdu => StaffScope::Pdu,
            Grade::VictimLiaisonOfficer | Grade::QualityInspection | Grade::Administrator => {
                StaffScope::Region
            }
            Grade::PartnerUser => StaffScope::PartnerOrganisation,
        }
    }
}

/// The level of the organisation a member of staff is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffScope {
    Team,
    Pdu,
    Region,
    /// Not the probation service's organisation at all: a police force or local authority.
    PartnerOrganisation,
}

/// Contracted weekly hours. Workload capacity is calculated from them, so they are validated once
/// here: a full-time week is 37 hours and nobody is contracted for more than 48 (Working Time
/// Regulations) or for nothing.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct ContractedHours(f64);

/// Why contracted hours were refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("Contracted hours must be a number of hours a week greater than 0 and at most 48")]
pub struct InvalidContractedHours;

impl ContractedHours {
    pub const FULL_TIME: f64 = 37.0;

    pub fn parse(hours: f64) -> Result<Self, InvalidContractedHours> {
        if hours.is_finite() && hours > 0.0 && hours <= 48.0 {
            Ok(Self(hours))
        } else {
            Err(InvalidContractedHours)
        }
    }

    pub fn hours(self) -> f64 {
        self.0
    }
}

/// A sign-in name: lower-case letters, digits, dots, hyphens and underscores, 3 to 64 characters.
/// Kept strict so names are unambiguous in the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

/// Why a username was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "Enter a username of 3 to 64 characters using only lower-case letters, digits, '.', '-' or '_'"
)]
pub struct InvalidUsername;

impl Username {
    pub fn parse(raw: &str) -> Result<Self, InvalidUsername> {
        let name = raw.trim().to_ascii_lowercase();
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
        if (3..=64).contains(&name.len()) && name.chars().all(allowed) {
            Ok(Self(name))
        } else {
            Err(InvalidUsername)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Passwords for keepsafe accounts: long enough to resist guessing (NCSC advises length over
/// complexity rules), and bounded so hashing cannot be used to exhaust the server.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

/// Why a new password was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidPassword {
    #[error("Enter a password of at least {min} characters", min = NewPassword::MIN_CHARS)]
    TooShort,
    #[error("Enter a password of at most {max} characters", max = NewPassword::MAX_CHARS)]
    TooLong,
}

impl NewPassword {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 256;

    pub fn parse(raw: &str) -> Result<Self, InvalidPassword> {
        let length = raw.chars().count();
        if length < Self::MIN_CHARS {
            Err(InvalidPassword::TooShort)
        } else if length > Self::MAX_CHARS {
            Err(InvalidPassword::TooLong)
        } else {
            Ok(Self(raw.to_owned()))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CodedValue;

    #[test]
    fn only_practitioner_grades_hold_a_caseload() {
        let holders: Vec<_> = Grade::ALL.iter().filter(|g| g.holds_caseload()).collect();
        assert_eq!(
            holders,
            [
                &Grade::ProbationOfficer,
                &Grade::ProbationServiceOfficer,
                &Grade::TraineeOfficer
            ]
        );
    }

    #[test]
    fn contracted_hours_outside_a_working_week_are_refused() {
        assert!(ContractedHours::parse(37.0).is_ok());
        assert!(ContractedHours::parse(22.5).is_ok());
        assert_eq!(ContractedHours::parse(0.0), Err(InvalidContractedHours));
        assert_eq!(ContractedHours::parse(60.0), Err(InvalidContractedHours));
        assert_eq!(
            ContractedHours::parse(f64::NAN),
            Err(InvalidContractedHours)
        );
    }

    #[test]
    fn usernames_are_normalised_to_lower_case() {
        assert_eq!(Username::parse(" Jo.Smith ").unwrap().as_str(), "jo.smith");
    }

    #[test]
    fn usernames_with_spaces_or_symbols_are_refused() {
        assert_eq!(Username::parse("jo smith"), Err(InvalidUsername));
        assert_eq!(Username::parse("jo@smith"), Err(InvalidUsername));
        assert_eq!(Username::parse("jo"), Err(InvalidUsername));
    }

    #[test]
    fn short_passwords_are_refused_and_never_printed() {
        assert_eq!(NewPassword::parse("short"), Err(InvalidPassword::TooShort));
        let password = NewPassword::parse("correct horse battery").unwrap();
        assert!(!format!("{password:?}").contains("horse"));
    }
}
