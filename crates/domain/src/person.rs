//! A person on probation: who they are. Their sentences live in [`crate::event`], where they live in
//! [`crate::address`], who they live with in [`crate::household`].

use crate::age::age_on;
use crate::coded_enum;
use chrono::NaiveDate;
use thiserror::Error;

coded_enum! {
    /// Sex as recorded for the published predictors, which were built on male and female samples.
    pub enum Sex ("sex") {
        Male => "male", "Male",
        Female => "female", "Female",
    }
}

/// A first or last name as it will be printed on letters and court reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

/// Why a name was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidName {
    #[error("Enter a name")]
    Missing,
    #[error("Names must be 100 characters or fewer")]
    TooLong,
    #[error("Names must not contain control characters")]
    ControlCharacters,
}

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, InvalidName> {
        let name = raw.trim();
        if name.is_empty() {
            Err(InvalidName::Missing)
        } else if name.chars().count() > 100 {
            Err(InvalidName::TooLong)
        } else if name.chars().any(char::is_control) {
            Err(InvalidName::ControlCharacters)
        } else {
            Ok(Self(name.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a date of birth was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidDateOfBirth {
    #[error("Date of birth must be in the past")]
    InFuture,
    #[error("Date of birth must make the person at least 10, the age of criminal responsibility")]
    BelowCriminalResponsibility,
    #[error("Date of birth must make the person younger than 120")]
    ImplausiblyOld,
}

/// Checks a date of birth for someone with a conviction, on `today`.
pub fn validate_date_of_birth(
    date_of_birth: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, InvalidDateOfBirth> {
    match age_on(date_of_birth, today) {
        None => Err(InvalidDateOfBirth::InFuture),
        Some(age) if age < 10 => Err(InvalidDateOfBirth::BelowCriminalResponsibility),
        Some(age) if age >= 120 => Err(InvalidDateOfBirth::ImplausiblyOld),
        Some(_) => Ok(date_of_birth),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn blank_and_overlong_names_are_refused() {
        assert_eq!(PersonName::parse("  "), Err(InvalidName::Missing));
        assert_eq!(
            PersonName::parse(&"a".repeat(101)),
            Err(InvalidName::TooLong)
        );
        assert_eq!(PersonName::parse(" Ada ").unwrap().as_str(), "Ada");
    }

    #[test]
    fn dates_of_birth_must_be_plausible_for_someone_convicted() {
        let today = date(2026, 11, 22);
        assert_eq!(
            validate_date_of_birth(date(2027, 1, 1), today),
            Err(InvalidDateOfBirth::InFuture)
        );
        assert_eq!(
            validate_date_of_birth(date(2020, 1, 1), today),
            Err(InvalidDateOfBirth::BelowCriminalResponsibility)
        );
        assert_eq!(
            validate_date_of_birth(date(1900, 1, 1), today),
            Err(InvalidDateOfBirth::ImplausiblyOld)
        );
        assert!(validate_date_of_birth(date(1990, 5, 1), today).is_ok());
    }
}
