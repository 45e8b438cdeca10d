//! A partner's structured answer. Partners answer in fields rather than a letter so that keepsafe
//! can tell, without anyone re-reading it, whether the answer reveals incidents or current
//! involvement ([`PartnerResponse::concerns`]) and so needs the risk assessment reviewed.
//!
//! [`PartnerResponse::parse`] reads what a partner submitted (a form or API JSON, as strings) and
//! reports **every** problem at once, each naming its field the way the API names it:
//! `incidents[2].date: the date cannot be in the future`. List positions count from 0, as in JSON.

use super::request::RequestType;
use crate::coded_enum;
use crate::codes::CodedValue;
use crate::text::{LongText, TextError};
use chrono::NaiveDate;
use thiserror::Error;

coded_enum! {
    /// What kind of incident a partner reports.
    pub enum IncidentKind ("incident type") {
        DomesticAbuseCallOut => "domestic_abuse_call_out", "Domestic abuse call-out",
        Arrest => "arrest", "Arrest",
        ChildProtectionReferral => "child_protection_referral", "Child protection referral",
        Other => "other", "Other incident",
    }
}

coded_enum! {
    /// A service's current involvement with the person or household. "None" is an answer in its
    /// own right, so "not asked" and "no involvement" are never confused.
    pub enum Involvement ("current involvement") {
        ChildProtectionPlan => "child_protection_plan", "Child protection plan",
        ChildInNeedPlan => "child_in_need_plan", "Child in need plan",
        LookedAfterChild => "looked_after_child", "Looked-after child",
        EarlyHelp => "early_help", "Early help",
        AdultSafeguardingEnquiry => "adult_safeguarding_enquiry", "Adult safeguarding enquiry",
        None => "none", "None",
    }
}

coded_enum! {
    /// The file types a partner may attach. Kept to formats that cannot carry macros or scripts
    /// and that every office computer can open; the code is the media type.
    pub enum MediaType ("file type") {
        Pdf => "application/pdf", "PDF",
        Png => "image/png", "PNG image",
        Jpeg => "image/jpeg", "JPEG image",
        PlainText => "text/plain", "Plain text",
    }
}

impl MediaType {
    /// The file-name endings that match the type. A name that disagrees with its declared type is
    /// refused, so "report.exe" cannot be sent as a PDF. (Storage still checks the file's bytes.)
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            MediaType::Pdf => &["pdf"],
            MediaType::Png => &["png"],
            MediaType::Jpeg => &["jpg", "jpeg"],
            MediaType::PlainText => &["txt"],
        }
    }

    /// How a sentence names a file of this type ("a PDF", "a plain text file").
    fn file_kind(self) -> &'static str {
        match self {
            MediaType::Pdf => "PDF",
            MediaType::Png => "PNG",
            MediaType::Jpeg => "JPEG",
            MediaType::PlainText => "plain text",
        }
    }
}

/// The largest attachment accepted: 10 MB (10 × 1024 × 1024 bytes), enough for a scanned report.
pub const MAX_ATTACHMENT_BYTES: u64 = 10 * 1024 * 1024;
/// The most files one response may attach.
pub const MAX_ATTACHMENTS: usize = 10;
/// The longest file name kept, the limit of common file systems.
pub const MAX_FILE_NAME_CHARS: usize = 255;

/// What a partner submitted, as text, before any checking.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResponseForm {
    /// Whether the person, address or residents are known to the service; `None` when unanswered.
    pub known_to_service: Option<bool>,
    pub incidents: Vec<IncidentForm>,
    /// Involvement codes ([`Involvement`]).
    pub current_involvement: Vec<String>,
    pub risk_notes: String,
    pub free_text: String,
    pub attachments: Vec<AttachmentForm>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IncidentForm {
    /// YYYY-MM-DD.
    pub date: String,
    /// An [`IncidentKind`] code.
    pub kind: String,
    pub summary: String,
}

/// An attachment's metadata as declared by the uploader; the bytes are stored elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AttachmentForm {
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: u64,
}

/// One reported incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    pub date: NaiveDate,
    pub kind: IncidentKind,
    pub summary: LongText,
}

/// A checked attachment description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    pub media_type: MediaType,
    pub size_bytes: u64,
}

/// A partner's answer, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerResponse {
    pub known_to_service: bool,
    pub incidents: Vec<Incident>,
    /// Empty when the question was not asked (it is asked of children's services); otherwise either
    /// `[None]` or one or more kinds of involvement.
    pub current_involvement: Vec<Involvement>,
    pub risk_notes: LongText,
    pub free_text: LongText,
    pub attachments: Vec<Attachment>,
}

/// One problem with a submitted response: the field's path and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// The field's path as the API names it: `incidents[2].date`.
    pub field: String,
    pub message: String,
}

/// Every problem with a submitted response, in form order.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct InvalidPartnerResponse(pub Vec<FieldError>);

impl InvalidPartnerResponse {
    /// The message for one field, if it has a problem.
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

/// Collects field errors while parsing.
#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }
}

impl PartnerResponse {
    /// Checks a submitted response to a request of `request_type`. `today` bounds incident dates.
    pub fn parse(
        form: &ResponseForm,
        request_type: RequestType,
        today: NaiveDate,
    ) -> Result<Self, InvalidPartnerResponse> {
        let mut errors = Errors::default();
        if form.known_to_service.is_none() {
            errors.add(
                "known_to_service",
                "say whether the person, the address or anyone living there is known to your service",
            );
        }
        let incidents: Vec<Incident> = form
            .incidents
            .iter()
            .enumerate()
            .filter_map(|(i, incident)| parse_incident(i, incident, today, &mut errors))
            .collect();
        let current_involvement = parse_involvement(form, request_type, &mut errors);
        let risk_notes = text_field("risk_notes", &form.risk_notes, &mut errors);
        let free_text = text_field("free_text", &form.free_text, &mut errors);
        let attachments = parse_attachments(&form.attachments, &mut errors);
        if form.known_to_service == Some(false) {
            check_not_known(form, &mut errors);
        }
        if form.known_to_service == Some(true) && says_nothing(form) {
            errors.add(
                "known_to_service",
                "you said they are known to your service: list the incidents or involvement, or explain in the risk notes or free text",
            );
        }
        match (errors.0.is_empty(), form.known_to_service) {
            (true, Some(known_to_service)) => Ok(Self {
                known_to_service,
                incidents,
                current_involvement,
                risk_notes: risk_notes.unwrap_or_default(),
                free_text: free_text.unwrap_or_default(),
                attachments,
            }),
            _ => Err(InvalidPartnerResponse(errors.0)),
        }
    }

    /// What in the response changes the picture of risk: reported incidents, current involvement
    /// (anything but "None") and risk notes. `Some` means storage must create a "review the risk
    /// assessment" task ([`crate::review::ReviewTrigger::PartnerInformation`]) linked to the
    /// assessment. Risk notes count as well as incidents and involvement because a partner who
    /// writes one is telling probation something about risk.
    pub fn concerns(&self) -> Option<Concerns> {
        let involvement: Vec<Involvement> = self
            .current_involvement
            .iter()
            .copied()
            .filter(|i| *i != Involvement::None)
            .collect();
        let concerns = Concerns {
            incidents: self.incidents.len(),
            latest_incident: self.incidents.iter().map(|i| i.date).max(),
            involvement,
            risk_notes: !self.risk_notes.is_empty(),
        };
        (concerns.incidents > 0 || !concerns.involvement.is_empty() || concerns.risk_notes)
            .then_some(concerns)
    }

    /// Whether the response reveals incidents, current involvement or risk notes.
    pub fn reveals_concerns(&self) -> bool {
        self.concerns().is_some()
    }
}

/// What a response revealed, for the review task's description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concerns {
    pub incidents: usize,
    pub latest_incident: Option<NaiveDate>,
    pub involvement: Vec<Involvement>,
    pub risk_notes: bool,
}

impl Concerns {
    /// One sentence for the review task: "2 incidents (latest 3 November 2026); current
    /// involvement: Child protection plan; risk notes given".
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if self.incidents > 0 {
            let mut text = match self.incidents {
                1 => "1 incident".to_owned(),
                n => format!("{n} incidents"),
            };
            if let Some(latest) = self.latest_incident {
                text.push_str(&format!(" (latest {})", super::long_date(&latest)));
            }
            parts.push(text);
        }
        if !self.involvement.is_empty() {
            let labels: Vec<&str> = self.involvement.iter().map(|i| i.label()).collect();
            parts.push(format!("current involvement: {}", labels.join(", ")));
        }
        if self.risk_notes {
            parts.push("risk notes given".to_owned());
        }
        parts.join("; ")
    }
}

fn parse_incident(
    index: usize,
    form: &IncidentForm,
    today: NaiveDate,
    errors: &mut Errors,
) -> Option<Incident> {
    let field = |name: &str| format!("incidents[{index}].{name}");
    let date = match NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d") {
        Ok(date) if date > today => {
            errors.add(field("date"), "the date cannot be in the future");
            None
        }
        Ok(date) => Some(date),
        Err(_) if form.date.trim().is_empty() => {
            errors.add(field("date"), "enter the date of the incident");
            None
        }
        Err(_) => {
            errors.add(
                field("date"),
                "enter a real date as YYYY-MM-DD, like 2026-11-03",
            );
            None
        }
    };
    let kind = match IncidentKind::parse(form.kind.trim()) {
        Ok(kind) => Some(kind),
        Err(_) if form.kind.trim().is_empty() => {
            errors.add(field("kind"), "choose the type of incident");
            None
        }
        Err(unknown) => {
            errors.add(field("kind"), unknown.to_string());
            None
        }
    };
    let summary = match LongText::required(&form.summary) {
        Ok(summary) => Some(summary),
        Err(TextError::Missing) => {
            errors.add(field("summary"), "describe what happened");
            None
        }
        Err(error) => {
            errors.add(field("summary"), error.to_string());
            None
        }
    };
    Some(Incident {
        date: date?,
        kind: kind?,
        summary: summary?,
    })
}

fn parse_involvement(
    form: &ResponseForm,
    request_type: RequestType,
    errors: &mut Errors,
) -> Vec<Involvement> {
    let mut involvement = Vec::new();
    for (i, code) in form.current_involvement.iter().enumerate() {
        match Involvement::parse(code.trim()) {
            Ok(kind) if !involvement.contains(&kind) => involvement.push(kind),
            Ok(_) => {}
            Err(unknown) => errors.add(format!("current_involvement[{i}]"), unknown.to_string()),
        }
    }
    if involvement.contains(&Involvement::None) && involvement.len() > 1 {
        errors.add(
            "current_involvement",
            "'None' cannot be chosen with other involvement: choose None or the involvement",
        );
    }
    let invalid_codes = errors
        .0
        .iter()
        .any(|e| e.field.starts_with("current_involvement["));
    if request_type == RequestType::ChildrensSafeguarding
        && involvement.is_empty()
        && !invalid_codes
    {
        errors.add(
            "current_involvement",
            "say whether children's services are currently involved: choose None if they are not",
        );
    }
    involvement
}

/// A "not known" answer cannot also report what the service knows.
fn check_not_known(form: &ResponseForm, errors: &mut Errors) {
    if !form.incidents.is_empty() {
        errors.add(
            "incidents",
            "you said they are not known to your service: remove the incidents or change that answer",
        );
    }
    let involved = form
        .current_involvement
        .iter()
        .any(|code| Involvement::parse(code.trim()).is_ok_and(|i| i != Involvement::None));
    if involved {
        errors.add(
            "current_involvement",
            "you said they are not known to your service, so there can be no current involvement: choose None or change that answer",
        );
    }
}

/// A "known" answer must say what is known somewhere.
fn says_nothing(form: &ResponseForm) -> bool {
    form.incidents.is_empty()
        && form
            .current_involvement
            .iter()
            .all(|code| code.trim() == Involvement::None.code())
        && form.risk_notes.trim().is_empty()
        && form.free_text.trim().is_empty()
}

fn text_field(field: &str, raw: &str, errors: &mut Errors) -> Option<LongText> {
    match LongText::optional(raw) {
        Ok(text) => Some(text),
        Err(error) => {
            errors.add(field, error.to_string());
            None
        }
    }
}

fn parse_attachments(forms: &[AttachmentForm], errors: &mut Errors) -> Vec<Attachment> {
    if forms.len() > MAX_ATTACHMENTS {
        errors.add(
            "attachments",
            format!(
                "attach {MAX_ATTACHMENTS} files or fewer (there are {})",
                forms.len()
            ),
        );
    }
    let mut attachments = Vec::new();
    for (i, form) in forms.iter().enumerate() {
        match Attachment::parse(form) {
            Ok(attachment) => attachments.push(attachment),
            Err(problems) => {
                for (name, message) in problems {
                    errors.add(format!("attachments[{i}].{name}"), message);
                }
            }
        }
    }
    attachments
}

impl Attachment {
    /// Checks an attachment's declared name, type and size. Errors name the sub-field
    /// (`file_name`, `media_type`, `size_bytes`), so an upload page can use this on its own.
    pub fn parse(form: &AttachmentForm) -> Result<Self, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let media_type = parse_media_type(&form.media_type);
        if let Err(message) = &media_type {
            errors.push(("media_type", message.clone()));
        }
        let file_name = parse_file_name(&form.file_name, media_type.as_ref().ok().copied());
        if let Err(message) = &file_name {
            errors.push(("file_name", message.clone()));
        }
        if let Err(message) = check_size(form.size_bytes) {
            errors.push(("size_bytes", message));
        }
        match (file_name, media_type) {
            (Ok(file_name), Ok(media_type)) if errors.is_empty() => Ok(Self {
                file_name,
                media_type,
                size_bytes: form.size_bytes,
            }),
            _ => Err(errors),
        }
    }
}

/// Accepts the media type with or without parameters ("text/plain; charset=utf-8").
fn parse_media_type(raw: &str) -> Result<MediaType, String> {
    let essence = raw
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence.is_empty() {
        return Err("say what type of file this is".to_owned());
    }
    MediaType::parse(&essence).map_err(|_| {
        format!("files of type {essence} cannot be attached: attach a PDF, PNG, JPEG or plain text file")
    })
}

fn parse_file_name(raw: &str, media_type: Option<MediaType>) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("give the file a name".to_owned());
    }
    if name.chars().count() > MAX_FILE_NAME_CHARS {
        return Err(format!(
            "the file name must be {MAX_FILE_NAME_CHARS} characters or fewer"
        ));
    }
    if name.contains(['/', '\\']) || name.chars().any(char::is_control) || name.starts_with('.') {
        return Err(
            "the file name must not contain slashes or control characters, or start with a dot"
                .to_owned(),
        );
    }
    if let Some(media_type) = media_type {
        let extension = name
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase());
        let matches = extension.is_some_and(|ext| media_type.extensions().contains(&ext.as_str()));
        if !matches {
            return Err(format!(
                "a {} file's name must end in .{}",
                media_type.file_kind(),
                media_type.extensions().join(" or .")
            ));
        }
    }
    Ok(name.to_owned())
}

fn check_size(size_bytes: u64) -> Result<(), String> {
    if size_bytes == 0 {
        return Err("the file is empty".to_owned());
    }
    if size_bytes > MAX_ATTACHMENT_BYTES {
        return Err(format!(
            "the file is {:.1} MB: attach files of {} MB or less",
            size_bytes as f64 / (1024.0 * 1024.0),
            MAX_ATTACHMENT_BYTES / (1024 * 1024)
        ));
    }
    Ok(())
}
