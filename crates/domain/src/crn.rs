//! The case reference number (CRN): the one identifier that follows a person through probation.

use thiserror::Error;

/// A case reference number: one upper-case letter then six digits ("X123456"), the shape the
/// probation case-management system issues. Parsing normalises case and surrounding spaces so a CRN
/// typed from a letter or a phone call still matches.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Crn(String);

/// Why a CRN was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("Enter a case reference number as one letter followed by 6 digits, like X123456")]
pub struct InvalidCrn;

impl Crn {
    pub fn parse(raw: &str) -> Result<Self, InvalidCrn> {
        let crn = raw.trim().to_ascii_uppercase();
        let mut chars = crn.chars();
        let letter_first = chars.next().is_some_and(|c| c.is_ascii_uppercase());
        let digits: Vec<char> = chars.collect();
        if letter_first && digits.len() == 6 && digits.iter().all(|c| c.is_ascii_digit()) {
            Ok(Self(crn))
        } else {
            Err(InvalidCrn)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Crn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crn_is_a_letter_and_six_digits() {
        assert_eq!(Crn::parse(" x123456 ").unwrap().as_str(), "X123456");
    }

    #[test]
    fn malformed_crns_are_refused() {
        for bad in ["", "123456", "X12345", "X1234567", "XX12345", "X12345A"] {
            assert_eq!(Crn::parse(bad), Err(InvalidCrn), "{bad}");
        }
    }
}
