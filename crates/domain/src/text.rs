//! Free text entered by practitioners: trimmed, bounded, and never control characters other than
//! line breaks, so it prints safely in reports and cannot be used to exhaust storage.

use thiserror::Error;

/// Text up to [`LongText::MAX_CHARS`] characters, such as a risk analysis or a check summary.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LongText(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TextError {
    #[error("enter some text")]
    Missing,
    #[error("must be {max} characters or fewer (it is {actual})")]
    TooLong { max: usize, actual: usize },
}

impl LongText {
    pub const MAX_CHARS: usize = 10_000;

    /// Text that must be given.
    pub fn required(raw: &str) -> Result<Self, TextError> {
        let text = Self::optional(raw)?;
        if text.0.is_empty() {
            Err(TextError::Missing)
        } else {
            Ok(text)
        }
    }

    /// Text that may be empty.
    pub fn optional(raw: &str) -> Result<Self, TextError> {
        let cleaned: String = raw
            .trim()
            .chars()
            .filter(|c| !c.is_control() || *c == '\n')
            .collect();
        let actual = cleaned.chars().count();
        if actual > Self::MAX_CHARS {
            return Err(TextError::TooLong {
                max: Self::MAX_CHARS,
                actual,
            });
        }
        Ok(Self(cleaned))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oversized_text_is_refused_with_its_length() {
        let error = LongText::optional(&"a".repeat(10_001)).unwrap_err();
        assert_eq!(
            error,
            TextError::TooLong {
                max: 10_000,
                actual: 10_001
            }
        );
        assert_eq!(
            error.to_string(),
            "must be 10000 characters or fewer (it is 10001)"
        );
    }

    #[test]
    fn control_characters_are_removed_but_line_breaks_kept() {
        let text = LongText::required(" line one\nline\u{0007} two\r ").unwrap();
        assert_eq!(text.as_str(), "line one\nline two");
    }

    #[test]
    fn required_text_must_not_be_blank() {
        assert_eq!(LongText::required("   "), Err(TextError::Missing));
        assert!(LongText::optional("   ").unwrap().is_empty());
    }
}
