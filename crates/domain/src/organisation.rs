//! The organisation: regions contain probation delivery units (PDUs), PDUs contain teams.

use thiserror::Error;

/// A short code for a region, PDU or team ("EMID", "LINC", "LINC-T1"), used in URLs and reports.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrgCode(String);

/// Why an organisation code was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("Enter a code of 2 to 20 upper-case letters, digits or hyphens")]
pub struct InvalidOrgCode;

impl OrgCode {
    pub fn parse(raw: &str) -> Result<Self, InvalidOrgCode> {
        let code = raw.trim().to_ascii_uppercase();
        let allowed = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-';
        if (2..=20).contains(&code.len()) && code.chars().all(allowed) {
            Ok(Self(code))
        } else {
            Err(InvalidOrgCode)
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
    fn codes_are_upper_case_and_short() {
        assert_eq!(OrgCode::parse("linc-t1").unwrap().as_str(), "LINC-T1");
        assert_eq!(OrgCode::parse("A"), Err(InvalidOrgCode));
        assert_eq!(OrgCode::parse("has space"), Err(InvalidOrgCode));
    }
}
