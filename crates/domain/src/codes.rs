//! Coded values: the closed vocabularies (grades, case types, offence categories, …) that are stored
//! as short stable codes and shown to people as labels.
//!
//! Every vocabulary is declared once with [`coded_enum!`](crate::coded_enum), which gives it the same three abilities:
//! a stable storage code, a human label, and parsing that names the bad value when it fails.

use thiserror::Error;

/// A value from a closed vocabulary, stored as a stable code and shown as a label.
pub trait CodedValue: Sized + Copy + 'static {
    /// What the vocabulary is called in error messages ("grade", "case type").
    const VOCABULARY: &'static str;
    /// Every member, in display order.
    const ALL: &'static [Self];
    /// The stable code stored in the database and used in URLs and files.
    fn code(self) -> &'static str;
    /// The words a person reads.
    fn label(self) -> &'static str;

    /// Parses a stored or submitted code; the error names the vocabulary and the bad value.
    fn parse(code: &str) -> Result<Self, UnknownCode> {
        Self::ALL
            .iter()
            .copied()
            .find(|value| value.code() == code)
            .ok_or_else(|| UnknownCode {
                vocabulary: Self::VOCABULARY,
                code: code.chars().take(64).collect(),
            })
    }
}

/// A code that is not in its vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("'{code}' is not a known {vocabulary}")]
pub struct UnknownCode {
    pub vocabulary: &'static str,
    pub code: String,
}

/// Declares a coded vocabulary: `Variant => "code", "Label"` per member.
#[macro_export]
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($vocabulary:literal) {
            $( $(#[$vmeta:meta])* $variant:ident => $code:literal, $label:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name { $( $(#[$vmeta])* $variant ),+ }

        impl $crate::codes::CodedValue for $name {
            const VOCABULARY: &'static str = $vocabulary;
            const ALL: &'static [Self] = &[ $( $name::$variant ),+ ];
            fn code(self) -> &'static str {
                match self { $( $name::$variant => $code ),+ }
            }
            fn label(self) -> &'static str {
                match self { $( $name::$variant => $label ),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::codes::CodedValue::label(*self))
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::codes::UnknownCode;
            fn from_str(code: &str) -> Result<Self, Self::Err> {
                <$name as $crate::codes::CodedValue>::parse(code)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    coded_enum! {
        enum Colour ("colour") {
            Red => "red", "Red",
            Blue => "blue", "Deep blue",
        }
    }

    #[test]
    fn every_code_parses_back_to_its_value() {
        for colour in Colour::ALL {
            assert_eq!(Colour::parse(colour.code()), Ok(*colour));
        }
    }

    #[test]
    fn an_unknown_code_is_named_in_the_error() {
        let error = Colour::parse("green").unwrap_err();
        assert_eq!(error.to_string(), "'green' is not a known colour");
    }

    #[test]
    fn labels_are_what_people_read() {
        assert_eq!(Colour::Blue.to_string(), "Deep blue");
    }
}
