//! Addresses with history: where a person lives now and has lived, because address changes trigger
//! safeguarding checks and risk reviews.

use crate::coded_enum;
use thiserror::Error;

coded_enum! {
    /// The part an address plays in a person's record.
    pub enum AddressStatus ("address status") {
        Main => "main", "Main address",
        Secondary => "secondary", "Secondary address",
        Previous => "previous", "Previous address",
        ApprovedPremises => "approved_premises", "Approved premises",
        NoFixedAbode => "no_fixed_abode", "No fixed abode",
        /// Put forward for a licence, home detention curfew or curfew requirement and being
        /// checked: not where the person lives (yet).
        Proposed => "proposed", "Proposed address",
    }
}

/// A UK postcode, normalised to upper case with a single space before the inward code ("LN1 1AA").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Postcode(String);

/// Why a postcode was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("Enter a real postcode, like LN1 1AA")]
pub struct InvalidPostcode;

impl Postcode {
    pub fn parse(raw: &str) -> Result<Self, InvalidPostcode> {
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if !(5..=7).contains(&compact.len()) || !compact.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err(InvalidPostcode);
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        let inward_ok = {
            let mut chars = inward.chars();
            chars.next().is_some_and(|c| c.is_ascii_digit())
                && chars.all(|c| c.is_ascii_alphabetic())
        };
        let outward_ok = outward.starts_with(|c: char| c.is_ascii_alphabetic())
            && outward.chars().any(|c| c.is_ascii_digit());
        if inward_ok && outward_ok {
            Ok(Self(format!("{outward} {inward}")))
        } else {
            Err(InvalidPostcode)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_normalised() {
        assert_eq!(Postcode::parse("ln11aa").unwrap().as_str(), "LN1 1AA");
        assert_eq!(Postcode::parse("SW1A 2AA").unwrap().as_str(), "SW1A 2AA");
    }

    #[test]
    fn things_that_are_not_postcodes_are_refused() {
        for bad in ["", "12345", "LN1", "LN1 AAA", "LN1 1A!"] {
            assert_eq!(Postcode::parse(bad), Err(InvalidPostcode), "{bad}");
        }
    }
}
