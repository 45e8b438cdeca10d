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

    /// Whether the bytes received are a file of this type, by their opening signature (plain
    /// text: UTF-8 with no NUL bytes). A file whose bytes disagree with its declared type is
    /// refused, so a program cannot be passed off as a PDF by naming it "report.pdf".
    pub fn matches_content(self, bytes: &[u8]) -> bool {
        match self {
            MediaType::Pdf => bytes.starts_with(b"%PDF-"),
            MediaType::Png => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            MediaType::Jpeg => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
            MediaType::PlainText => !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok(),
        }
    }

    /// How a sentence names a file of this type ("a PDF", "a plain text file").
    pub fn file_kind(self) -> &'static str {
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
                text.push_str(&format!(" (latest {})", crate::calendar::long_date(latest)));
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
    if name.contains(['/', '\\'])
        || name.chars().any(crate::text::is_unsafe_in_one_line)
        || name.starts_with('.')
    {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partner::fixtures::date;

    const TODAY: (i32, u32, u32) = (2026, 12, 1);

    fn today() -> NaiveDate {
        date(TODAY.0, TODAY.1, TODAY.2)
    }

    fn incident(date: &str, kind: &str, summary: &str) -> IncidentForm {
        IncidentForm {
            date: date.to_owned(),
            kind: kind.to_owned(),
            summary: summary.to_owned(),
        }
    }

    #[test]
    fn a_file_is_accepted_only_when_its_bytes_are_the_type_it_claims() {
        assert!(MediaType::Pdf.matches_content(b"%PDF-1.7\n..."));
        assert!(!MediaType::Pdf.matches_content(b"MZ\x90\x00 a Windows program"));
        assert!(MediaType::Png.matches_content(b"\x89PNG\r\n\x1a\n rest"));
        assert!(MediaType::Jpeg.matches_content(&[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(!MediaType::Jpeg.matches_content(b"%PDF-1.7"));
        assert!(MediaType::PlainText.matches_content("Call-outs: none.".as_bytes()));
        assert!(!MediaType::PlainText.matches_content(b"text\0with a NUL"));
        assert!(!MediaType::PlainText.matches_content(&[0xC3, 0x28]));
    }

    fn attachment(file_name: &str, media_type: &str, size_bytes: u64) -> AttachmentForm {
        AttachmentForm {
            file_name: file_name.to_owned(),
            media_type: media_type.to_owned(),
            size_bytes,
        }
    }

    fn police_form() -> ResponseForm {
        ResponseForm {
            known_to_service: Some(true),
            incidents: vec![
                incident(
                    "2026-03-14",
                    "domestic_abuse_call_out",
                    "Neighbour reported shouting",
                ),
                incident("2026-11-03", "arrest", "Arrested for assault on partner"),
            ],
            risk_notes: "Partner has a non-molestation order".to_owned(),
            attachments: vec![attachment("incident-log.pdf", "application/pdf", 250_000)],
            ..ResponseForm::default()
        }
    }

    fn parse(
        form: &ResponseForm,
        request_type: RequestType,
    ) -> Result<PartnerResponse, InvalidPartnerResponse> {
        PartnerResponse::parse(form, request_type, today())
    }

    fn errors(form: &ResponseForm, request_type: RequestType) -> Vec<String> {
        parse(form, request_type)
            .unwrap_err()
            .0
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_complete_police_response_is_accepted() {
        let response = parse(&police_form(), RequestType::PoliceDomesticAbuse).unwrap();
        assert!(response.known_to_service);
        assert_eq!(response.incidents.len(), 2);
        assert_eq!(response.incidents[1].kind, IncidentKind::Arrest);
        assert_eq!(response.incidents[1].date, date(2026, 11, 3));
        assert_eq!(response.attachments[0].media_type, MediaType::Pdf);
        assert!(response.current_involvement.is_empty());
    }

    #[test]
    fn an_incident_dated_in_the_future_is_refused_naming_its_position() {
        let mut form = police_form();
        form.incidents
            .push(incident("2026-12-02", "other", "Reported by a neighbour"));
        assert_eq!(
            errors(&form, RequestType::PoliceDomesticAbuse),
            ["incidents[2].date: the date cannot be in the future"]
        );
        let error = parse(&form, RequestType::PoliceDomesticAbuse).unwrap_err();
        assert_eq!(
            error.for_field("incidents[2].date"),
            Some("the date cannot be in the future")
        );
        assert_eq!(
            error.to_string(),
            "incidents[2].date: the date cannot be in the future"
        );
    }

    #[test]
    fn an_incident_dated_today_is_accepted() {
        let mut form = police_form();
        form.incidents
            .push(incident("2026-12-01", "arrest", "Arrested this morning"));
        assert!(parse(&form, RequestType::PoliceDomesticAbuse).is_ok());
    }

    #[test]
    fn every_problem_with_an_incident_is_reported_at_once() {
        let form = ResponseForm {
            incidents: vec![incident("14/03/2026", "burglary", " ")],
            ..police_form()
        };
        assert_eq!(
            errors(&form, RequestType::PoliceDomesticAbuse),
            [
                "incidents[0].date: enter a real date as YYYY-MM-DD, like 2026-11-03",
                "incidents[0].kind: 'burglary' is not a known incident type",
                "incidents[0].summary: describe what happened",
            ]
        );
        let blank = ResponseForm {
            incidents: vec![incident("", "", "x")],
            ..police_form()
        };
        assert_eq!(
            errors(&blank, RequestType::PoliceDomesticAbuse),
            [
                "incidents[0].date: enter the date of the incident",
                "incidents[0].kind: choose the type of incident",
            ]
        );
    }

    #[test]
    fn whether_the_person_is_known_must_be_answered() {
        let form = ResponseForm {
            known_to_service: None,
            ..police_form()
        };
        assert_eq!(
            errors(&form, RequestType::PoliceDomesticAbuse),
            ["known_to_service: say whether the person, the address or anyone living there is known to your service"]
        );
    }

    #[test]
    fn a_not_known_answer_cannot_list_incidents_or_involvement() {
        let form = ResponseForm {
            known_to_service: Some(false),
            current_involvement: vec!["early_help".to_owned()],
            ..police_form()
        };
        assert_eq!(
            errors(&form, RequestType::ChildrensSafeguarding),
            [
                "incidents: you said they are not known to your service: remove the incidents or change that answer",
                "current_involvement: you said they are not known to your service, so there can be no current involvement: choose None or change that answer",
            ]
        );
    }

    #[test]
    fn a_known_answer_must_say_what_is_known() {
        let form = ResponseForm {
            known_to_service: Some(true),
            current_involvement: vec!["none".to_owned()],
            ..ResponseForm::default()
        };
        assert_eq!(
            errors(&form, RequestType::ChildrensSafeguarding),
            ["known_to_service: you said they are known to your service: list the incidents or involvement, or explain in the risk notes or free text"]
        );
        let explained = ResponseForm {
            free_text: "Known in 2015; case closed".to_owned(),
            ..form
        };
        assert!(parse(&explained, RequestType::ChildrensSafeguarding).is_ok());
    }

    #[test]
    fn childrens_services_must_say_whether_they_are_currently_involved() {
        let form = ResponseForm {
            known_to_service: Some(false),
            ..ResponseForm::default()
        };
        assert_eq!(
            errors(&form, RequestType::ChildrensSafeguarding),
            ["current_involvement: say whether children's services are currently involved: choose None if they are not"]
        );
        // The police are not asked about involvement.
        assert!(parse(&form, RequestType::PoliceDomesticAbuse).is_ok());
    }

    #[test]
    fn none_cannot_be_chosen_with_other_involvement() {
        let form = ResponseForm {
            known_to_service: Some(true),
            current_involvement: vec!["none".to_owned(), "child_protection_plan".to_owned()],
            ..ResponseForm::default()
        };
        assert_eq!(
            errors(&form, RequestType::ChildrensSafeguarding),
            ["current_involvement: 'None' cannot be chosen with other involvement: choose None or the involvement"]
        );
    }

    #[test]
    fn an_unknown_involvement_is_named_by_position_and_repeats_are_kept_once() {
        let form = ResponseForm {
            known_to_service: Some(true),
            current_involvement: vec!["early_help".to_owned(), "foster".to_owned()],
            ..ResponseForm::default()
        };
        assert_eq!(
            errors(&form, RequestType::ChildrensSafeguarding),
            ["current_involvement[1]: 'foster' is not a known current involvement"]
        );
        let repeated = ResponseForm {
            current_involvement: vec!["early_help".to_owned(), "early_help".to_owned()],
            ..form
        };
        assert_eq!(
            parse(&repeated, RequestType::ChildrensSafeguarding)
                .unwrap()
                .current_involvement,
            [Involvement::EarlyHelp]
        );
    }

    #[test]
    fn overlong_risk_notes_and_free_text_are_refused_naming_the_field() {
        let form = ResponseForm {
            risk_notes: "a".repeat(10_001),
            free_text: "b".repeat(10_002),
            ..police_form()
        };
        assert_eq!(
            errors(&form, RequestType::PoliceDomesticAbuse),
            [
                "risk_notes: must be 10000 characters or fewer (it is 10001)",
                "free_text: must be 10000 characters or fewer (it is 10002)",
            ]
        );
    }

    #[test]
    fn pdf_png_jpeg_and_plain_text_files_may_be_attached() {
        for (name, media_type) in [
            ("log.pdf", "application/pdf"),
            ("photo.PNG", "image/png"),
            ("photo.jpg", "image/jpeg"),
            ("photo.jpeg", "IMAGE/JPEG"),
            ("notes.txt", "text/plain; charset=utf-8"),
        ] {
            let form = AttachmentForm {
                file_name: name.to_owned(),
                media_type: media_type.to_owned(),
                size_bytes: 1,
            };
            assert!(Attachment::parse(&form).is_ok(), "{name}");
        }
    }

    #[test]
    fn other_file_types_are_refused_with_the_types_that_are_allowed() {
        let form = ResponseForm {
            attachments: vec![attachment(
                "report.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                100,
            )],
            ..police_form()
        };
        assert_eq!(
            errors(&form, RequestType::PoliceDomesticAbuse),
            ["attachments[0].media_type: files of type application/vnd.openxmlformats-officedocument.wordprocessingml.document cannot be attached: attach a PDF, PNG, JPEG or plain text file"]
        );
    }

    #[test]
    fn a_file_name_must_match_its_declared_type() {
        let form = ResponseForm {
            attachments: vec![
                attachment("report.exe", "application/pdf", 100),
                attachment("photo", "image/jpeg", 100),
            ],
            ..police_form()
        };
        assert_eq!(
            errors(&form, RequestType::PoliceDomesticAbuse),
            [
                "attachments[0].file_name: a PDF file's name must end in .pdf",
                "attachments[1].file_name: a JPEG file's name must end in .jpg or .jpeg",
            ]
        );
    }

    #[test]
    fn file_names_cannot_be_blank_paths_hidden_or_overlong() {
        for (name, expected) in [
            ("  ", "give the file a name"),
            (
                "../etc/passwd.txt",
                "the file name must not contain slashes or control characters, or start with a dot",
            ),
            (
                "C:\\temp\\a.txt",
                "the file name must not contain slashes or control characters, or start with a dot",
            ),
            (
                ".hidden.txt",
                "the file name must not contain slashes or control characters, or start with a dot",
            ),
        ] {
            let problems = Attachment::parse(&attachment(name, "text/plain", 10)).unwrap_err();
            assert_eq!(problems, [("file_name", expected.to_owned())], "{name}");
        }
        let long = format!("{}.txt", "a".repeat(252));
        assert_eq!(
            Attachment::parse(&attachment(&long, "text/plain", 10)).unwrap_err(),
            [(
                "file_name",
                "the file name must be 255 characters or fewer".to_owned()
            )]
        );
    }

    #[test]
    fn empty_and_oversized_files_are_refused_with_the_limit() {
        assert_eq!(
            Attachment::parse(&attachment("a.pdf", "application/pdf", 0)).unwrap_err(),
            [("size_bytes", "the file is empty".to_owned())]
        );
        assert!(Attachment::parse(&attachment(
            "a.pdf",
            "application/pdf",
            MAX_ATTACHMENT_BYTES
        ))
        .is_ok());
        assert_eq!(
            Attachment::parse(&attachment(
                "a.pdf",
                "application/pdf",
                12 * 1024 * 1024 + 1
            ))
            .unwrap_err(),
            [(
                "size_bytes",
                "the file is 12.0 MB: attach files of 10 MB or less".to_owned()
            )]
        );
    }

    #[test]
    fn a_missing_media_type_is_asked_for() {
        assert_eq!(
            Attachment::parse(&attachment("a.pdf", " ", 10)).unwrap_err(),
            [("media_type", "say what type of file this is".to_owned())]
        );
    }

    #[test]
    fn no_more_than_ten_files_may_be_attached() {
        let form = ResponseForm {
            attachments: (0..11)
                .map(|i| attachment(&format!("page{i}.png"), "image/png", 100))
                .collect(),
            ..police_form()
        };
        assert_eq!(
            errors(&form, RequestType::PoliceDomesticAbuse),
            ["attachments: attach 10 files or fewer (there are 11)"]
        );
    }

    #[test]
    fn a_response_with_incidents_reveals_concerns() {
        let response = parse(&police_form(), RequestType::PoliceDomesticAbuse).unwrap();
        let concerns = response.concerns().unwrap();
        assert!(response.reveals_concerns());
        assert_eq!(concerns.incidents, 2);
        assert_eq!(concerns.latest_incident, Some(date(2026, 11, 3)));
        assert_eq!(
            concerns.summary(),
            "2 incidents (latest 3 November 2026); risk notes given"
        );
    }

    #[test]
    fn current_involvement_reveals_concerns_but_none_does_not() {
        let involved = ResponseForm {
            known_to_service: Some(true),
            current_involvement: vec!["child_protection_plan".to_owned()],
            ..ResponseForm::default()
        };
        let response = parse(&involved, RequestType::ChildrensSafeguarding).unwrap();
        assert_eq!(
            response.concerns().unwrap().summary(),
            "current involvement: Child protection plan"
        );
        let none = ResponseForm {
            known_to_service: Some(false),
            current_involvement: vec!["none".to_owned()],
            ..ResponseForm::default()
        };
        assert_eq!(
            parse(&none, RequestType::ChildrensSafeguarding)
                .unwrap()
                .concerns(),
            None
        );
    }

    #[test]
    fn risk_notes_alone_reveal_concerns() {
        let form = ResponseForm {
            known_to_service: Some(false),
            risk_notes: "The address is linked to drug supply".to_owned(),
            ..ResponseForm::default()
        };
        let response = parse(&form, RequestType::PoliceDomesticAbuse).unwrap();
        assert_eq!(response.concerns().unwrap().summary(), "risk notes given");
    }

    #[test]
    fn a_known_answer_explained_only_in_free_text_reveals_no_concerns() {
        let form = ResponseForm {
            known_to_service: Some(true),
            free_text: "Known as a witness in 2012".to_owned(),
            ..ResponseForm::default()
        };
        assert!(!parse(&form, RequestType::PoliceDomesticAbuse)
            .unwrap()
            .reveals_concerns());
    }

    #[test]
    fn a_single_incident_is_summarised_in_the_singular() {
        let form = ResponseForm {
            incidents: vec![incident("2026-11-03", "arrest", "Arrested")],
            risk_notes: String::new(),
            attachments: vec![],
            ..police_form()
        };
        assert_eq!(
            parse(&form, RequestType::PoliceDomesticAbuse)
                .unwrap()
                .concerns()
                .unwrap()
                .summary(),
            "1 incident (latest 3 November 2026)"
        );
    }
}
