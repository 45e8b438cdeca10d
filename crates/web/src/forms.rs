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

/// A GOV.UK date input's three fields as typed (bounded to their widths), to show again beside
/// an error so nothing typed is lost.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypedDate {
    pub day: String,
    pub month: String,
    pub year: String,
}

impl FormFields {
    /// The date input `{name}-day`, `{name}-month`, `{name}-year` as typed.
    pub fn typed_date(&self, name: &str) -> TypedDate {
        let part = |suffix: &str, width: usize| {
            self.get(&format!("{name}-{suffix}"))
                .chars()
                .take(width)
                .collect()
        };
        TypedDate {
            day: part("day", 2),
            month: part("month", 2),
            year: part("year", 4),
        }
    }

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

/// A file chosen in a form's file input, as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedFile {
    /// The form field it came in.
    pub field: String,
    pub file_name: String,
    /// The type the browser declared for it; the domain checks it against the name and the bytes.
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// A form that may carry files: its text fields and its files. Reads both encodings, so a form
/// without a file (or a client that sends none) can still be sent urlencoded. A file input left
/// empty (no name, no bytes) is not a file.
#[derive(Debug, Clone, Default)]
pub struct FormWithFiles {
    pub fields: FormFields,
    pub files: Vec<UploadedFile>,
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for FormWithFiles {
    type Rejection = crate::error::AppError;

    async fn from_request(
        request: axum::extract::Request,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        use axum::extract::{Form, Multipart};
        let is_multipart = request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        let unreadable = |what: String| crate::error::AppError::BadRequest(what);
        if !is_multipart {
            let Form(fields) = Form::<FormFields>::from_request(request, state)
                .await
                .map_err(|e| unreadable(format!("The form could not be read: {e}")))?;
            return Ok(Self {
                fields,
                files: Vec::new(),
            });
        }
        let mut multipart = Multipart::from_request(request, state)
            .await
            .map_err(|e| unreadable(format!("The form could not be read: {e}")))?;
        let mut form = Self::default();
        while let Some(part) = multipart
            .next_field()
            .await
            .map_err(|e| unreadable(format!("The upload could not be read: {e}")))?
        {
            let field = part.name().unwrap_or_default().to_owned();
            let file_name = part.file_name().map(str::to_owned);
            let media_type = part.content_type().unwrap_or_default().to_owned();
            let bytes = part
                .bytes()
                .await
                .map_err(|e| unreadable(format!("The upload could not be read: {e}")))?;
            match file_name {
                Some(name) if name.is_empty() && bytes.is_empty() => {}
                Some(file_name) => form.files.push(UploadedFile {
                    field,
                    file_name,
                    media_type,
                    bytes: bytes.to_vec(),
                }),
                None => form
                    .fields
                    .0
                    .push((field, String::from_utf8_lossy(&bytes).into_owned())),
            }
        }
        Ok(form)
    }
}
