//! The courts a region's PDUs cover, as an administrator adds them: a short code the court lists
//! and the CSV import name the court by, and the court's name. Without a way to add courts a new
//! service could not keep a court list at all.

use thiserror::Error;

/// The longest court code: short enough to type on a list, long enough for a PDU prefix.
pub const CODE_MAX: usize = 12;
/// The longest court name.
pub const NAME_MAX: usize = 100;

/// A court as checked, ready to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCourt {
    /// Upper case, as lists print it.
    pub code: String,
    pub name: String,
}

/// Why a court was refused; each names its field.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidCourt {
    #[error("Enter the court's code")]
    CodeMissing,
    #[error("The court's code must be 2 to {CODE_MAX} letters, numbers or hyphens, for example MIDW-MAG1")]
    CodeShape,
    #[error("Enter the court's name")]
    NameMissing,
    #[error("The court's name must be {NAME_MAX} characters or fewer")]
    NameTooLong,
    #[error("Choose the probation delivery unit that covers the court")]
    PduMissing,
}

impl InvalidCourt {
    /// The form field the error belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            Self::CodeMissing | Self::CodeShape => "code",
            Self::NameMissing | Self::NameTooLong => "name",
            Self::PduMissing => "pdu",
        }
    }
}

/// Checks a court's code and name, naming every problem at once.
pub fn check_new_court(code: &str, name: &str) -> Result<NewCourt, Vec<InvalidCourt>> {
    let mut errors = Vec::new();
    let code = code.trim().to_uppercase();
    if code.is_empty() {
        errors.push(InvalidCourt::CodeMissing);
    } else if code.chars().count() < 2
        || code.chars().count() > CODE_MAX
        || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        errors.push(InvalidCourt::CodeShape);
    }
    let name: String = name.trim().chars().filter(|c| !c.is_control()).collect();
    if name.is_empty() {
        errors.push(InvalidCourt::NameMissing);
    } else if name.chars().count() > NAME_MAX {
        errors.push(InvalidCourt::NameTooLong);
    }
    if errors.is_empty() {
        Ok(NewCourt { code, name })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_court_code_is_kept_in_upper_case() {
        let court = check_new_court(" midw-mag1 ", "Midchester Magistrates' Court").unwrap();
        assert_eq!(court.code, "MIDW-MAG1");
        assert_eq!(court.name, "Midchester Magistrates' Court");
    }

    #[test]
    fn a_code_with_spaces_or_too_long_and_a_missing_name_are_refused_together() {
        let errors = check_new_court("MID W", "").unwrap_err();
        assert_eq!(
            errors,
            vec![InvalidCourt::CodeShape, InvalidCourt::NameMissing]
        );
        let errors = check_new_court("ABCDEFGHIJKLM", "Court").unwrap_err();
        assert_eq!(errors, vec![InvalidCourt::CodeShape]);
        assert_eq!(errors[0].field(), "code");
    }
}
