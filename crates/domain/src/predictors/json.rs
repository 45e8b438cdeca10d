//! Predictor inputs written as JSON, read the same way everywhere: `keepsafe predict ogrs3` reads
//! one object per line and `POST /api/predictors/ogrs3` one per request, and both call
//! [`ogrs3_inputs`], so a line that scores on the command line scores over HTTP and a refusal names
//! the same field with the same words.
//!
//! Only parsing lives here, from an already-decoded [`serde_json::Value`]: reading bytes, and what
//! to say about bytes that are not JSON at all, stay with the caller. The field readers are shared
//! with [`crate::tiering::json`], so `predict tier` words a bad date or code as `predict ogrs3`
//! does.

use super::ogrs3::Ogrs3Inputs;
use crate::event::OffenceCategory;
use crate::person::Sex;
use crate::CodedValue;
use chrono::NaiveDate;
use serde_json::{Map, Value};
use std::fmt;

/// Why a JSON value does not describe a predictor's inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputsError {
    /// The value is not a JSON object at all; `kind` says what it is ("a list"). The caller says
    /// what the value was ("the line", "the request body").
    NotAnObject { kind: &'static str },
    /// A field is missing or wrong; the message names the field and what is wrong with it.
    Field {
        field: &'static str,
        message: String,
    },
}

impl InputsError {
    pub(crate) fn field(field: &'static str, message: impl Into<String>) -> Self {
        InputsError::Field {
            field,
            message: message.into(),
        }
    }

    /// The field at fault; `None` when the value as a whole is unusable.
    pub fn field_name(&self) -> Option<&'static str> {
        match self {
            InputsError::NotAnObject { .. } => None,
            InputsError::Field { field, .. } => Some(field),
        }
    }
}

impl fmt::Display for InputsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputsError::NotAnObject { kind } => write!(f, "must be a JSON object, not {kind}"),
            InputsError::Field { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for InputsError {}

/// Reads OGRS3 inputs from a JSON object with the fields `sex`, `date_of_birth`,
/// `conviction_date`, `followup_start_date`, `total_sanctions`, `age_at_first_sanction` and
/// `offence_category`, naming the first field (in that order) that is missing or wrong. Other
/// fields are ignored.
pub fn ogrs3_inputs(value: &Value) -> Result<Ogrs3Inputs, InputsError> {
    let Value::Object(object) = value else {
        return Err(InputsError::NotAnObject { kind: kind(value) });
    };
    Ok(Ogrs3Inputs {
        sex: coded::<Sex>(object, "sex")?,
        date_of_birth: date(object, "date_of_birth")?,
        conviction_date: date(object, "conviction_date")?,
        followup_start_date: date(object, "followup_start_date")?,
        total_sanctions: whole_number(object, "total_sanctions")?,
        age_at_first_sanction: whole_number(object, "age_at_first_sanction")?,
        offence_category: coded::<OffenceCategory>(object, "offence_category")?,
    })
}

pub(crate) fn present<'a>(
    object: &'a Map<String, Value>,
    field: &'static str,
) -> Result<&'a Value, InputsError> {
    match object.get(field) {
        None | Some(Value::Null) => Err(InputsError::field(field, format!("{field} is missing"))),
        Some(value) => Ok(value),
    }
}

pub(crate) fn text<'a>(
    object: &'a Map<String, Value>,
    field: &'static str,
) -> Result<&'a str, InputsError> {
    match present(object, field)? {
        Value::String(text) => Ok(text),
        other => Err(InputsError::field(
            field,
            format!("{field} must be a string, not {}", kind(other)),
        )),
    }
}

/// A code from a closed vocabulary; the error lists the codes that would have been accepted.
pub(crate) fn coded<T: CodedValue>(
    object: &Map<String, Value>,
    field: &'static str,
) -> Result<T, InputsError> {
    let code = text(object, field)?;
    T::parse(code).map_err(|unknown| {
        let known: Vec<&str> = T::ALL.iter().map(|value| value.code()).collect();
        InputsError::field(
            field,
            format!("{field}: {unknown}; use one of {}", known.join(", ")),
        )
    })
}

/// A calendar date written YYYY-MM-DD that exists (no 30 February).
pub(crate) fn date(
    object: &Map<String, Value>,
    field: &'static str,
) -> Result<NaiveDate, InputsError> {
    let written = text(object, field)?;
    let well_formed = written.len() == 10
        && written.bytes().enumerate().all(|(index, byte)| {
            matches!(index, 4 | 7) == (byte == b'-') && (byte == b'-' || byte.is_ascii_digit())
        });
    if !well_formed {
        return Err(InputsError::field(
            field,
            format!(
                "{field} ({}) is not a date written YYYY-MM-DD",
                shorten(written)
            ),
        ));
    }
    NaiveDate::parse_from_str(written, "%Y-%m-%d")
        .map_err(|_| InputsError::field(field, format!("{field} ({written}) is not a real date")))
}

/// A count or an age: a JSON integer from 0 up.
fn whole_number(object: &Map<String, Value>, field: &'static str) -> Result<u32, InputsError> {
    let value = present(object, field)?;
    let refuse = || {
        InputsError::field(
            field,
            format!(
                "{field} must be a whole number, 0 or more, not {}",
                shorten(&value.to_string())
            ),
        )
    };
    let number = value.as_u64().ok_or_else(refuse)?;
    u32::try_from(number)
        .map_err(|_| InputsError::field(field, format!("{field} ({number}) is too large")))
}

/// What kind of JSON value this is, for error messages.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Echoes at most a short prefix of a bad value, so an error message stays readable.
pub(crate) fn shorten(text: &str) -> String {
    const LONGEST: usize = 40;
    if text.chars().count() <= LONGEST {
        text.to_owned()
    } else {
        let prefix: String = text.chars().take(LONGEST).collect();
        format!("{prefix}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn example() -> Value {
        json!({
            "sex": "male",
            "date_of_birth": "1965-12-07",
            "conviction_date": "2025-05-13",
            "followup_start_date": "2026-12-12",
            "total_sanctions": 2,
            "age_at_first_sanction": 47,
            "offence_category": "soliciting",
        })
    }

    #[test]
    fn a_complete_object_gives_the_inputs() {
        let inputs = ogrs3_inputs(&example()).unwrap();
        assert_eq!(inputs.sex, Sex::Male);
        assert_eq!(inputs.total_sanctions, 2);
        assert_eq!(inputs.age_at_first_sanction, 47);
        assert_eq!(inputs.offence_category, OffenceCategory::Soliciting);
        assert_eq!(
            inputs.followup_start_date,
            NaiveDate::from_ymd_opt(2026, 12, 12).unwrap()
        );
    }

    #[test]
    fn the_first_missing_or_wrong_field_is_named() {
        let mut value = example();
        value["conviction_date"] = json!("13/05/2025");
        value["total_sanctions"] = Value::Null;
        let error = ogrs3_inputs(&value).unwrap_err();
        assert_eq!(error.field_name(), Some("conviction_date"));
        assert_eq!(
            error.to_string(),
            "conviction_date (13/05/2025) is not a date written YYYY-MM-DD"
        );

        let mut value = example();
        value.as_object_mut().unwrap().remove("total_sanctions");
        let error = ogrs3_inputs(&value).unwrap_err();
        assert_eq!(error.field_name(), Some("total_sanctions"));
        assert_eq!(error.to_string(), "total_sanctions is missing");
    }

    #[test]
    fn an_unknown_code_lists_the_known_ones() {
        let mut value = example();
        value["sex"] = json!("unknown");
        let error = ogrs3_inputs(&value).unwrap_err();
        assert_eq!(error.field_name(), Some("sex"));
        assert!(
            error.to_string().ends_with("use one of male, female"),
            "{error}"
        );
    }

    #[test]
    fn something_other_than_an_object_is_refused_as_a_whole() {
        let error = ogrs3_inputs(&json!([1, 2])).unwrap_err();
        assert_eq!(error, InputsError::NotAnObject { kind: "a list" });
        assert_eq!(error.field_name(), None);
        assert_eq!(error.to_string(), "must be a JSON object, not a list");
    }

    #[test]
    fn dates_must_be_written_in_full_and_exist() {
        let object = |written: &str| {
            let mut object = Map::new();
            object.insert("date_of_birth".into(), Value::String(written.into()));
            object
        };
        assert!(date(&object("2024-02-29"), "date_of_birth").is_ok());
        for refused in [
            "2025-02-30",
            "2025-2-3",
            "+2025-02-03",
            "25-02-2025",
            "2025/02/03",
        ] {
            let error = date(&object(refused), "date_of_birth").unwrap_err();
            assert_eq!(error.field_name(), Some("date_of_birth"), "{refused}");
        }
    }

    #[test]
    fn counts_must_be_whole_numbers_from_nought() {
        for refused in [json!(-1), json!(2.5), json!("2")] {
            let mut value = example();
            value["total_sanctions"] = refused.clone();
            let error = ogrs3_inputs(&value).unwrap_err();
            assert_eq!(error.field_name(), Some("total_sanctions"), "{refused}");
        }
        let mut value = example();
        value["total_sanctions"] = json!(5_000_000_000_u64);
        assert_eq!(
            ogrs3_inputs(&value).unwrap_err().to_string(),
            "total_sanctions (5000000000) is too large"
        );
    }
}
