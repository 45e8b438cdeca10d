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
    #[error("must not contain hidden characters that change the direction of text: retype it rather than pasting it")]
    HiddenCharacters,
}

/// Whether `c` is a character no one types but that changes how text around it reads: a null
/// or other control character (line breaks and tabs aside), or a bidirectional embedding,
/// override or isolate, which can make a name or a note display in an order other than the one
/// stored ("Trojan Source" spoofing). The left-to-right and right-to-left marks (U+200E, U+200F),
/// which right-to-left writing needs, are not among them.
pub fn is_hidden_character(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` may not appear in a one-line value such as a name: any control character (line
/// breaks and tabs included) or a hidden character.
pub fn is_unsafe_in_one_line(c: char) -> bool {
    c.is_control() || is_hidden_character(c)
}

/// The first hidden character in `text`, if any (see [`is_hidden_character`]).
pub fn hidden_character(text: &str) -> Option<char> {
    text.chars().find(|c| is_hidden_character(*c))
}

/// Text of at most `max` characters, trimmed, refused (not silently cut or cleaned) when too long
/// or when it holds a hidden character: for free text kept outside [`LongText`], such as a
/// quality plan's actions or a name typed by staff.
pub fn bounded(raw: &str, max: usize) -> Result<String, TextError> {
    let text = raw.trim();
    if hidden_character(text).is_some() {
        return Err(TextError::HiddenCharacters);
    }
    let actual = text.chars().count();
    if actual > max {
        return Err(TextError::TooLong { max, actual });
    }
    Ok(text.to_owned())
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

    /// Text that may be empty. Stray control characters are dropped (they come from copying out
    /// of other systems and carry no meaning); direction-changing characters are refused, because
    /// dropping them would change how the text reads.
    pub fn optional(raw: &str) -> Result<Self, TextError> {
        if raw
            .chars()
            .any(|c| is_hidden_character(c) && !c.is_control())
        {
            return Err(TextError::HiddenCharacters);
        }
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
    fn text_that_would_display_in_another_order_is_refused() {
        for spoof in ["abc\u{202E}fed", "name\u{2066}x\u{2069}"] {
            assert_eq!(LongText::optional(spoof), Err(TextError::HiddenCharacters));
            assert_eq!(bounded(spoof, 100), Err(TextError::HiddenCharacters));
        }
        assert!(LongText::optional("\u{05E9}\u{05DC}\u{05D5}\u{05DD}\u{200F} ok").is_ok());
    }

    #[test]
    fn bounded_text_is_refused_when_too_long_or_holding_a_null() {
        assert_eq!(bounded(" owner ", 10), Ok("owner".to_owned()));
        assert_eq!(
            bounded(&"a".repeat(11), 10),
            Err(TextError::TooLong {
                max: 10,
                actual: 11
            })
        );
        assert_eq!(bounded("a\u{0}b", 10), Err(TextError::HiddenCharacters));
        assert_eq!(bounded("line\nbreak", 20), Ok("line\nbreak".to_owned()));
    }

    #[test]
    fn required_text_must_not_be_blank() {
        assert_eq!(LongText::required("   "), Err(TextError::Missing));
        assert!(LongText::optional("   ").unwrap().is_empty());
    }
}
