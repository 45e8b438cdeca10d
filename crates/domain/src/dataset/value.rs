//! One field of a dataset file: parsed from its text by its column's kind, and formatted back the
//! one way keepsafe writes it, so exporting what was imported gives the same bytes.

use chrono::{NaiveDate, NaiveDateTime, Timelike};

/// Dates are written `YYYY-MM-DD`.
pub const DATE_FORMAT: &str = "%Y-%m-%d";
/// Moments are written `YYYY-MM-DDTHH:MM:SS` in UTC, with fractions of a second only when there
/// are any, to the microsecond: the precision PostgreSQL keeps, so a dataset moved from SQLite to
/// PostgreSQL exports the same again.
pub const DATE_TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.f";

/// A parsed field. Identifiers, CRNs and codes are `Text` in their canonical form.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An empty field: no value (or, for a text column that may be empty, the empty text).
    Empty,
    Text(String),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Integer(i32),
    Decimal(f64),
    Bool(bool),
}

impl Value {
    /// The field's text as keepsafe writes it.
    pub fn to_field(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(text) => text.clone(),
            Value::Date(date) => date.format(DATE_FORMAT).to_string(),
            Value::DateTime(moment) => moment
                .with_nanosecond(moment.nanosecond() / 1_000 * 1_000)
                .unwrap_or(*moment)
                .format(DATE_TIME_FORMAT)
                .to_string(),
            Value::Integer(n) => n.to_string(),
            // Rust writes the shortest text that reads back as the same number.
            Value::Decimal(x) => x.to_string(),
            Value::Bool(b) => if *b { "true" } else { "false" }.to_owned(),
        }
    }
}

/// Parses a date written `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, DATE_FORMAT).ok()
}

/// Parses a moment written `YYYY-MM-DDTHH:MM:SS`, with any fraction of a second.
pub fn parse_date_time(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, DATE_TIME_FORMAT).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_keep_their_fractions_of_a_second_and_whole_seconds_have_none() {
        let whole = parse_date_time("2026-11-18T10:00:00").unwrap();
        assert_eq!(Value::DateTime(whole).to_field(), "2026-11-18T10:00:00");
        let fraction = parse_date_time("2026-11-18T10:00:00.250").unwrap();
        assert_eq!(
            Value::DateTime(fraction).to_field(),
            "2026-11-18T10:00:00.250"
        );
    }

    #[test]
    fn moments_are_written_to_the_microsecond_that_both_backends_keep() {
        let nanoseconds = parse_date_time("2026-11-18T10:00:00.279161818").unwrap();
        assert_eq!(
            Value::DateTime(nanoseconds).to_field(),
            "2026-11-18T10:00:00.279161"
        );
    }

    #[test]
    fn decimals_are_written_so_they_read_back_the_same() {
        assert_eq!(Value::Decimal(37.5).to_field(), "37.5");
        assert_eq!(Value::Decimal(22.2).to_field(), "22.2");
    }
}
