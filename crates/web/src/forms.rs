//! Reading submitted forms. Handlers take every form as plain pairs, so authorisation always runs
//! before validation (a malformed form from the wrong user is refused, not parsed), and fields are
//! turned into domain types with messages GOV.UK error summaries can show.

use chrono::NaiveDate;
use serde::Deserialize;

/// The fields of a submitted form, in order (repeated names are kept).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct FormFields(pub Vec<(String, String)>);

/// A field that failed validation: its id (for the error summary link) and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl FormFields {
    /// The first value of a field, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .unwrap_or("")
    }

    /// Every field whose name starts with `prefix`, with the rest of the name.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.0.iter().filter_map(move |(key, value)| {
            key.strip_prefix(prefix).map(|rest| (rest, value.as_str()))
        })
    }

    /// A GOV.UK date input: fields `{name}-day`, `{name}-month`, `{name}-year`.
    pub fn date(&self, name: &str, label: &str) -> Result<NaiveDate, FieldError> {
        let part = |suffix: &str| self.get(&format!("{name}-{suffix}")).trim().to_owned();
        let (day, month, year) = (part("day"), part("month"), part("year"));
        let field = format!("{name}-day");
        if day.is_empty() && month.is_empty() && year.is_empty() {
            return Err(FieldError::new(field, format!("Enter {label}")));
        }
        let number = |text: &str| text.parse::<u32>().ok();
        match (number(&day), number(&month), year.parse::<i32>().ok()) {
            (Some(d), Some(m), Some(y)) if (1900..=2100).contains(&y) => {
                NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
                    FieldError::new(field, format!("{} must be a real date", capitalise(label)))
                })
            }
            _ => Err(FieldError::new(
                field,
                format!("{} must be a real date, like 27 3 2026", capitalise(label)),
            )),
        }
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormFields {
        FormFields(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn a_date_input_is_read_from_its_three_fields() {
        let fields = form(&[
            ("received-day", "3"),
            ("received-month", "11"),
            ("received-year", "2026"),
        ]);
        assert_eq!(
            fields.date("received", "the date received"),
            Ok(NaiveDate::from_ymd_opt(2026, 11, 3).unwrap())
        );
    }

    #[test]
    fn impossible_and_missing_dates_say_what_to_do() {
        let impossible = form(&[
            ("received-day", "30"),
            ("received-month", "2"),
            ("received-year", "2026"),
        ]);
        assert_eq!(
            impossible
                .date("received", "the date received")
                .unwrap_err()
                .message,
            "The date received must be a real date"
        );
        let missing = form(&[]);
        let error = missing.date("received", "the date received").unwrap_err();
        assert_eq!(error.message, "Enter the date received");
        assert_eq!(error.field, "received-day");
        let words = form(&[
            ("received-day", "first"),
            ("received-month", "11"),
            ("received-year", "2026"),
        ]);
        assert!(words.date("received", "the date received").is_err());
    }
}
