//! Reading submitted forms, and the one shape every form's POST handler has. Handlers take every
//! form as plain pairs, so authorisation always runs before validation (a malformed form from the
//! wrong user is refused, not parsed), and fields are turned into domain types with messages
//! GOV.UK error summaries can show.
//!
//! The shape: the handler makes a [`Posted`] of the form (who sent it, what they typed) and moves
//! it into the transaction that opens the case or unit; there a [`Validation`] reads the fields,
//! keeping every error, and the transaction ends in a [`Submission`], `Saved` or `Refused`;
//! [`respond`] turns that into the redirect, or the page shown again with its errors and 422.

use crate::error::AppError;
use crate::layout::unprocessable;
use crate::session::CurrentUser;
use askama::Template;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use keepsafe_storage::audit::{AuditEntry, Outcome};
use keepsafe_storage::cases::record::LocatedCase;
use serde::Deserialize;
use uuid::Uuid;

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

/// The message to show beside `field`, if it has one. The error summary links each message to its
/// field by the same id, so the two always agree.
pub fn message_for(errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.clone())
}

/// A page's title, starting "Error: " when its form was refused, as the GOV.UK Design System
/// asks: the title is the first thing a screen reader says, so it should say the form failed.
pub fn error_title(heading: impl Into<String>, errors: &[FieldError]) -> String {
    let heading = heading.into();
    if errors.is_empty() {
        heading
    } else {
        format!("Error: {heading}")
    }
}

/// Reading a form's fields while keeping every error, so the error summary names everything to
/// fix at once rather than one problem per attempt.
#[derive(Debug, Default)]
pub struct Validation {
    errors: Vec<FieldError>,
}

impl Validation {
    /// A field's value, or `None` with its error kept.
    pub fn field<T>(&mut self, read: Result<T, FieldError>) -> Option<T> {
        read.map_err(|error| self.add(error)).ok()
    }

    /// A value the form must give (a choice made, a known code), or `None` with `message`, which
    /// says what to do, kept for `field`.
    pub fn required<T>(&mut self, value: Option<T>, field: &str, message: &str) -> Option<T> {
        self.field(value.ok_or_else(|| FieldError::new(field, message)))
    }

    /// Keeps an error found some other way (a rule across fields, a clash found on saving).
    pub fn add(&mut self, error: FieldError) {
        self.errors.push(error);
    }

    /// Whether no error has been kept.
    pub fn passed(&self) -> bool {
        self.errors.is_empty()
    }

    /// What `values` builds from the fields read, if every field passed; otherwise every error.
    /// A value is `None` only when its field's error was kept, so `values` can use `?` on each.
    pub fn finish<T>(self, values: impl FnOnce() -> Option<T>) -> Result<T, Vec<FieldError>> {
        match (self.passed(), values()) {
            (true, Some(values)) => Ok(values),
            _ => Err(self.errors),
        }
    }

    /// Every error kept, for the error summary.
    pub fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }
}

/// A submitted form as the action's transaction takes it (owned, as the transaction runs on the
/// blocking pool): who sent it, as records and the audit row name them, and what they typed. The
/// handler keeps its own copy of the fields, so a refused form is shown again with nothing typed
/// lost. It reads as the fields themselves (`posted.get("reason")`).
#[derive(Debug, Clone)]
pub struct Posted {
    /// The sender's account.
    pub by: Uuid,
    /// The sender as the audit log names them.
    pub actor_name: String,
    pub fields: FormFields,
}

impl Posted {
    /// `fields` as sent by `user`.
    pub fn new(user: &CurrentUser, fields: &FormFields) -> Self {
        Self {
            by: user.account.id,
            actor_name: user.audit_name(),
            fields: fields.clone(),
        }
    }

    /// The audit row of what the form did to a case, written in the same transaction.
    pub fn audit_on_case(
        &self,
        action: &str,
        case: &LocatedCase,
        detail: impl Into<String>,
    ) -> AuditEntry {
        AuditEntry::on_case(self.by, self.actor_name.clone(), action, case, detail)
    }

    /// The audit row of what the form did to something other than a case: a unit's plan or
    /// ratings, a practitioner's hours.
    pub fn audit(&self, action: &str, detail: impl Into<String>) -> AuditEntry {
        AuditEntry {
            staff_id: Some(self.by),
            actor: self.actor_name.clone(),
            action: action.to_owned(),
            outcome: Outcome::Allowed,
            person_id: None,
            crn: None,
            detail: detail.into(),
        }
    }
}

impl std::ops::Deref for Posted {
    type Target = FormFields;

    fn deref(&self) -> &FormFields {
        &self.fields
    }
}

/// What a form submission came to. A POST handler opens the case or unit (authorisation before
/// validation, so a malformed form from the wrong user is refused, not read), then validates and
/// saves in that same transaction: one transaction per user action, so the access decision's audit
/// row, the change and its own audit row are kept together or not at all.
#[derive(Debug)]
pub enum Submission<T, R> {
    /// Done: what the response (usually a redirect) needs.
    Saved(T),
    /// Not done: what the page needs to be shown again with the errors saying why.
    Refused(R),
}

impl<T, R> Submission<T, R> {
    /// The same submission, a refusal carrying what `page` makes of it (the errors, with what
    /// the page shows besides).
    pub fn map_refused<Q>(self, page: impl FnOnce(R) -> Q) -> Submission<T, Q> {
        match self {
            Submission::Saved(done) => Submission::Saved(done),
            Submission::Refused(refused) => Submission::Refused(page(refused)),
        }
    }
}

/// The response to a submission: `saved`'s when it was saved (a redirect, so reloading the next
/// page does not send the form again), or the page `refused` builds, shown again with 422. That
/// page is built from the handler's copy of the fields, so nothing typed is lost, and its error
/// summary links each message to its field (see [`message_for`]).
pub fn respond<T, R, S, P>(
    submission: Submission<T, R>,
    saved: impl FnOnce(T) -> S,
    refused: impl FnOnce(R) -> P,
) -> Result<Response, AppError>
where
    S: IntoResponse,
    P: Template,
{
    match submission {
        Submission::Saved(done) => Ok(saved(done).into_response()),
        Submission::Refused(form) => unprocessable(&refused(form)),
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

    /// A yes/no radio: `Some(true)` for "yes", `Some(false)` for "no", `None` when unanswered.
    pub fn yes_no(&self, name: &str) -> Option<bool> {
        match self.get(name) {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        }
    }

    /// A field's value trimmed, or `None` when it was left blank.
    pub fn filled(&self, name: &str) -> Option<&str> {
        Some(self.get(name).trim()).filter(|value| !value.is_empty())
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
    fn validation_keeps_every_error_and_gives_the_values_only_when_all_passed() {
        let fields = form(&[("kind", "visit"), ("hours", "")]);
        let mut validation = Validation::default();
        let kind = validation.required(fields.filled("kind"), "kind", "Select the kind");
        let hours = validation.required(fields.filled("hours"), "hours", "Enter the hours");
        let date = validation.field(fields.date("from", "the date it starts"));
        let errors = validation
            .finish(|| Some((kind?, hours?, date?)))
            .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["hours", "from-day"]);
        assert_eq!(
            message_for(&errors, "hours").as_deref(),
            Some("Enter the hours")
        );
        assert_eq!(message_for(&errors, "kind"), None);

        let mut validation = Validation::default();
        let kind = validation.required(Some("visit"), "kind", "Select the kind");
        assert_eq!(validation.finish(|| kind), Ok("visit"));
    }

    #[test]
    fn a_refused_form_is_titled_as_an_error() {
        let errors = vec![FieldError::new("kind", "Select the kind")];
        assert_eq!(error_title("Add an action", &[]), "Add an action");
        assert_eq!(
            error_title("Add an action", &errors),
            "Error: Add an action"
        );
    }

    #[derive(Template)]
    #[template(source = "<p>{{ message }}</p>", ext = "html")]
    struct Shown {
        message: String,
    }

    #[test]
    fn a_saved_form_redirects_and_a_refused_one_is_shown_again_with_422() {
        use axum::http::{header, StatusCode};
        use axum::response::Redirect;
        let page = |message: String| Shown { message };
        let saved: Submission<&str, String> = Submission::Saved("/cases/M123456");
        let response = respond(saved, Redirect::to, page).unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[header::LOCATION], "/cases/M123456");

        let refused: Submission<&str, String> = Submission::Refused("Select the kind".into());
        let response = respond(refused, Redirect::to, page).unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
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

/// Fuzzing the form readers with generated cases (proptest): date inputs, urlencoded bodies and
/// multipart bodies never panic, a refused date names its field, and every form a browser could
/// send reads back as what was sent. Cases: `PROPTEST_CASES`, or the number given here.
#[cfg(test)]
mod fuzz {
    use super::*;
    use axum::body::Body;
    use axum::extract::FromRequest;
    use proptest::prelude::*;
    use proptest::test_runner::Config;

    fn config(default: u32) -> Config {
        Config {
            cases: std::env::var("PROPTEST_CASES")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(default),
            failure_persistence: None,
            ..Config::default()
        }
    }

    /// What people type into a date's boxes, right and wrong.
    fn typed() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[ 0-9+-]{0,12}",
            prop::sample::select(vec![
                "",
                " ",
                "0",
                "00",
                "31",
                "29",
                "2",
                "13",
                "+1",
                "-1",
                "1900",
                "2100",
                "1899",
                "2101",
                "4294967296",
                "99999999999",
                "2147483648",
                "１２",
                "٣",
                "1e3",
            ])
            .prop_map(str::to_owned),
        ]
    }

    fn read(request: axum::extract::Request) -> Result<FormWithFiles, crate::error::AppError> {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
            .block_on(FormWithFiles::from_request(request, &()))
    }

    /// A field name or value a browser might send: any text.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![any::<String>(), "[a-z_&=+%\"\r\n -]{0,12}"]
    }

    /// A multipart body as a browser writes it, with the boundary it says.
    fn multipart(
        fields: &[(String, String)],
        files: &[(String, String, Vec<u8>)],
    ) -> (String, Vec<u8>) {
        let boundary = "----keepsafeFuzzBoundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n")
                    .as_bytes(),
            );
            body.extend_from_slice(value.as_bytes());
            body.extend_from_slice(b"\r\n");
        }
        for (name, file_name, bytes) in files {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    }

    proptest! {
        #![proptest_config(config(512))]

        /// Whatever is typed in a date's three boxes, reading it never panics and a refusal
        /// links to the day box with words to act on.
        #[test]
        fn any_typed_date_is_read_or_refused_naming_its_field(day in typed(), month in typed(), year in typed()) {
            let fields = FormFields(vec![
                ("when-day".into(), day),
                ("when-month".into(), month),
                ("when-year".into(), year),
            ]);
            let typed = fields.typed_date("when");
            prop_assert!(typed.day.chars().count() <= 2 && typed.year.chars().count() <= 4);
            match fields.date("when", "the date it happened") {
                Ok(date) => prop_assert!((1900..=2100).contains(&chrono::Datelike::year(&date))),
                Err(error) => {
                    prop_assert_eq!(error.field, "when-day");
                    prop_assert!(error.message.starts_with("Enter the date") || error.message.starts_with("The date it happened must be a real date"), "{}", error.message);
                }
            }
        }

        /// Every day from 1900 to 2100, typed with or without leading zeros and spaces, is read
        /// as that day.
        #[test]
        fn every_real_day_typed_in_the_boxes_is_read_as_that_day(
            days in 0..73_413i64,
            zeros in any::<bool>(),
            spaces in any::<bool>(),
        ) {
            let day = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Days::new(days as u64);
            let pad = |n: u32| if zeros { format!("{n:02}") } else { n.to_string() };
            let space = |s: String| if spaces { format!(" {s} ") } else { s };
            use chrono::Datelike;
            let fields = FormFields(vec![
                ("when-day".into(), space(pad(day.day()))),
                ("when-month".into(), space(pad(day.month()))),
                ("when-year".into(), space(day.year().to_string())),
            ]);
            prop_assert_eq!(fields.date("when", "the date"), Ok(day));
        }

        /// Any urlencoded body is read as fields or refused as a bad request, never a panic, and
        /// a body a browser encodes reads back as the fields it was made from.
        #[test]
        fn urlencoded_forms_read_back_and_any_body_is_read_or_refused(
            fields in prop::collection::vec((text(), text()), 0..6),
            noise in prop::collection::vec(any::<u8>(), 0..64),
        ) {
            let body = serde_urlencoded::to_string(&fields).unwrap();
            let request = axum::http::Request::post("/")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body.clone()))
                .unwrap();
            let form = read(request).map_err(|e| TestCaseError::fail(format!("{e:?} for {body}")))?;
            prop_assert_eq!(form.fields.0, fields);
            let request = axum::http::Request::post("/")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(noise))
                .unwrap();
            let _ = read(request);
        }

        /// A multipart form a browser writes reads back as its fields and files, in order; any
        /// bytes under a multipart content type are read or refused as a bad request.
        #[test]
        fn multipart_forms_read_back_and_any_body_is_read_or_refused(
            fields in prop::collection::vec(("[a-z_]{1,12}", any::<String>()), 0..4),
            files in prop::collection::vec(("[a-z_]{1,12}", "[a-zA-Z0-9 ._-]{1,20}", prop::collection::vec(any::<u8>(), 0..200)), 0..3),
            noise in prop::collection::vec(any::<u8>(), 0..200),
            cut in any::<prop::sample::Index>(),
        ) {
            let (content_type, body) = multipart(&fields, &files);
            let request = axum::http::Request::post("/")
                .header("content-type", content_type.clone())
                .body(Body::from(body.clone()))
                .unwrap();
            let form = read(request).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            prop_assert_eq!(&form.fields.0, &fields);
            let read_files: Vec<(String, String, Vec<u8>)> = form
                .files
                .into_iter()
                .map(|f| (f.field, f.file_name, f.bytes))
                .collect();
            prop_assert_eq!(read_files, files);
            // A body cut short, or noise after a good start, is refused or read, never a panic.
            let mut broken = body[..cut.index(body.len().max(1))].to_vec();
            broken.extend_from_slice(&noise);
            let request = axum::http::Request::post("/")
                .header("content-type", content_type)
                .body(Body::from(broken))
                .unwrap();
            if let Err(error) = read(request) {
                prop_assert!(matches!(error, crate::error::AppError::BadRequest(_)), "{:?}", error);
            }
        }
    }
}
