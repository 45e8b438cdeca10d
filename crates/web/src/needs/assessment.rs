//! The needs assessment form: `GET/POST /cases/{crn}/needs/{needs_assessment}`.
//!
//! One page with the ten sections in OASys order, each with its evidence, its questions, the
//! severity and the two links, and a task list at the top saying where each section stands, so a
//! practitioner can fill it in over several sittings: "Save and continue later" keeps everything,
//! whatever is still blank. A value that cannot be right (a severity outside 0–2) is refused with
//! the field named and nothing saved; completing is refused with every gap named and linked, after
//! the work has been saved. A completed or superseded assessment is shown read-only.

use crate::cases::access::{open_case, open_case_for, Need};
use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keepsafe_domain::access::{decide, Action, CaseLocation};
use keepsafe_domain::needs::{
    self, assess_completion, AssessmentStatus, NeedsContent, NeedsRules, Question, Section,
    SectionAnswer, Severity,
};
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::needs::assessments::{self as needs_assessments, NeedsRecord};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "needs/assessment.html")]
struct AssessmentPage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    id: String,
    version: i32,
    status: String,
    completed: String,
    editable: bool,
    notice: String,
    errors: Vec<FieldError>,
    sections: Vec<SectionView>,
}

/// One radio button.
struct Choice {
    id: String,
    value: String,
    label: String,
    checked: bool,
}

/// A radio group: its field name (the first button's id, which error links point at), its
/// choices, the chosen one in words and any error.
struct RadioGroup {
    field: String,
    legend: String,
    choices: Vec<Choice>,
    chosen: String,
    error: Option<String>,
}

struct SectionView {
    number: usize,
    code: &'static str,
    label: &'static str,
    status: &'static str,
    done: bool,
    evidence: String,
    evidence_error: Option<String>,
    questions: Vec<RadioGroup>,
    /// The severity and the two links, in that order.
    judgements: Vec<RadioGroup>,
}

/// The severity in words, as the form and the pages say it.
pub(crate) fn severity_words(severity: Severity) -> &'static str {
    match severity {
        Severity::NoNeed => "No need",
        Severity::Standard => "Standard need",
        Severity::Severe => "Severe need",
    }
}

fn radios(
    field: String,
    legend: &str,
    options: &[(String, String)],
    selected: Option<&str>,
    errors: &[FieldError],
) -> RadioGroup {
    let choices: Vec<Choice> = options
        .iter()
        .enumerate()
        .map(|(at, (value, label))| Choice {
            id: if at == 0 {
                field.clone()
            } else {
                format!("{field}-{value}")
            },
            value: value.clone(),
            label: label.clone(),
            checked: selected == Some(value.as_str()),
        })
        .collect();
    RadioGroup {
        chosen: choices
            .iter()
            .find(|c| c.checked)
            .map_or_else(|| "Not answered".to_owned(), |c| c.label.clone()),
        error: forms::message_for(errors, &field),
        legend: legend.to_owned(),
        field,
        choices,
    }
}

fn yes_no(field: String, legend: &str, value: Option<bool>, errors: &[FieldError]) -> RadioGroup {
    let options = [
        ("yes".to_owned(), "Yes".to_owned()),
        ("no".to_owned(), "No".to_owned()),
    ];
    let selected = value.map(|v| if v { "yes" } else { "no" });
    radios(field, legend, &options, selected, errors)
}

fn section_view(
    number: usize,
    section: Section,
    content: &NeedsContent,
    gaps: &[needs::Missing],
    errors: &[FieldError],
) -> SectionView {
    let answer = content.section(section).cloned().unwrap_or_default();
    let code = section.code();
    let open = gaps.iter().any(|gap| gap.section() == section);
    let started = !answer.evidence.is_empty()
        || answer.severity.is_some()
        || Question::in_section(section).any(|q| content.answer(q).is_some());
    let (status, done) = match (open, started) {
        (false, _) => ("Completed", true),
        (true, true) => ("In progress", false),
        (true, false) => ("Not yet started", false),
    };
    let severity_options: Vec<(String, String)> = Severity::ALL
        .iter()
        .map(|s| (s.score().to_string(), severity_words(*s).to_owned()))
        .collect();
    let severity_selected = answer.severity.map(|s| s.score().to_string());
    SectionView {
        number,
        code,
        label: section.label(),
        status,
        done,
        evidence: answer.evidence.as_str().to_owned(),
        evidence_error: forms::message_for(errors, &format!("evidence-{code}")),
        questions: Question::in_section(section)
            .map(|question| {
                let options: Vec<(String, String)> = question
                    .kind()
                    .options()
                    .iter()
                    .map(|(value, words)| (value.to_string(), (*words).to_owned()))
                    .collect();
                let selected = content.answer(question).map(|v| v.to_string());
                radios(
                    format!("answer-{}", question.code()),
                    question.prompt(),
                    &options,
                    selected.as_deref(),
                    errors,
                )
            })
            .collect(),
        judgements: vec![
            radios(
                format!("severity-{code}"),
                "How severe is the need?",
                &severity_options,
                severity_selected.as_deref(),
                errors,
            ),
            yes_no(
                format!("harm-{code}"),
                "Is it linked to risk of serious harm?",
                answer.linked_to_harm,
                errors,
            ),
            yes_no(
                format!("reoffending-{code}"),
                "Is it linked to reoffending?",
                answer.linked_to_reoffending,
                errors,
            ),
        ],
    }
}

/// What the page shows besides the content.
struct Context {
    name: String,
    crn: String,
    record: NeedsRecord,
    location: CaseLocation,
}

fn page(
    user: &CurrentUser,
    ctx: &Context,
    content: &NeedsContent,
    version: i32,
    errors: Vec<FieldError>,
    notice: String,
) -> AssessmentPage {
    let editable = ctx.record.status == AssessmentStatus::Draft
        && decide(&user.account.actor(), Action::WorkOnCase(&ctx.location)).is_allowed();
    let gaps = needs::missing(content);
    let sections = Section::ALL
        .iter()
        .enumerate()
        .map(|(at, section)| section_view(at + 1, *section, content, &gaps, &errors))
        .collect();
    let completed = match (ctx.record.completed_on, ctx.record.valid_until) {
        (Some(on), Some(until)) => format!(
            "Completed {} by {}. Counts for the tier until {}.",
            format::date(on),
            ctx.record.completed_by.clone().unwrap_or_default(),
            format::date(until)
        ),
        _ => String::new(),
    };
    AssessmentPage {
        chrome: Chrome::for_form(user, format!("Needs assessment: {}", ctx.crn), &errors, ""),
        csrf_token: user.csrf_token.clone(),
        name: ctx.name.clone(),
        crn: ctx.crn.clone(),
        id: ctx.record.id.to_string(),
        version,
        status: ctx.record.status.label().to_owned(),
        completed,
        editable,
        notice,
        errors,
        sections,
    }
}

fn parse_uuid(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

fn context(
    conn: &mut keepsafe_storage::AnyConnection,
    case: &keepsafe_storage::cases::record::LocatedCase,
    id: Uuid,
) -> Result<Context, AppError> {
    let record = needs_assessments::find(conn, case.person_id, id)?;
    let (name, crn) = case_record::heading(conn, case.person_id)?;
    Ok(Context {
        name,
        crn,
        record,
        location: case.location.clone(),
    })
}

/// `GET /cases/{crn}/needs/{needs_assessment}`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, assessment)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = parse_uuid(&assessment)?;
    let ctx = open_case(
        &state,
        &user,
        &crn,
        "view_needs_assessment",
        move |conn, case| context(conn, case, id),
    )
    .await?;
    let content = ctx.record.content.clone();
    let version = ctx.record.version;
    Ok(render(&page(
        &user,
        &ctx,
        &content,
        version,
        Vec::new(),
        String::new(),
    ))?
    .into_response())
}

/// Reads the submitted form. Every value that cannot be right is an error naming its field; the
/// content returned keeps everything else (text clipped to its limit), to show again.
fn content_from(fields: &FormFields) -> (NeedsContent, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut content = NeedsContent::default();
    for &section in Section::ALL {
        let code = section.code();
        let evidence_field = format!("evidence-{code}");
        let raw = fields.get(&evidence_field);
        let evidence = match LongText::optional(raw) {
            Ok(text) => text,
            Err(error) => {
                errors.push(FieldError::new(
                    &evidence_field,
                    format!("{section}: the evidence {error}"),
                ));
                LongText::optional(&raw.chars().take(LongText::MAX_CHARS).collect::<String>())
                    .unwrap_or_default()
            }
        };
        let severity = keep(
            &mut errors,
            needs::parse_severity(section, fields.get(&format!("severity-{code}"))),
        );
        let harm_field = format!("harm-{code}");
        let linked_to_harm = keep(
            &mut errors,
            needs::parse_link(&harm_field, section, fields.get(&harm_field)),
        );
        let reoffending_field = format!("reoffending-{code}");
        let linked_to_reoffending = keep(
            &mut errors,
            needs::parse_link(&reoffending_field, section, fields.get(&reoffending_field)),
        );
        for question in Question::in_section(section) {
            let raw = fields.get(&format!("answer-{}", question.code()));
            if let Some(value) = keep(&mut errors, needs::parse_answer(question, raw)) {
                content.answers.push((question, value));
            }
        }
        content.sections.push((
            section,
            SectionAnswer {
                evidence,
                severity,
                linked_to_harm,
                linked_to_reoffending,
            },
        ));
    }
    (content, errors)
}

/// The value read, or `None` with the error kept, naming its field.
fn keep<T>(
    errors: &mut Vec<FieldError>,
    result: Result<Option<T>, needs::NeedsInputError>,
) -> Option<T> {
    result.unwrap_or_else(|error| {
        errors.push(FieldError::new(error.field(), error.to_string()));
        None
    })
}

/// After a save: completed (to the needs page), or the form again with a notice.
enum Saved {
    Completed(String),
    Draft(Box<FormState>),
}

struct FormState {
    ctx: Context,
    content: NeedsContent,
    version: i32,
    errors: Vec<FieldError>,
    notice: String,
}

impl FormState {
    fn page(self, user: &CurrentUser) -> AssessmentPage {
        page(
            user,
            &self.ctx,
            &self.content,
            self.version,
            self.errors,
            self.notice,
        )
    }
}

/// `POST /cases/{crn}/needs/{needs_assessment}`: save, or save and complete.
pub async fn save(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, assessment)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let id = parse_uuid(&assessment)?;
    let posted = Posted::new(&user, &fields);
    let completing = fields.get("action") == "complete";
    let saved = open_case_for(
        &state,
        &user,
        &crn,
        "edit_needs_assessment",
        Need::Work,
        move |conn, case| {
            let version: i32 = posted.get("version").parse().map_err(|_| {
                AppError::BadRequest(
                    "The form is missing its version; reload the page and try again.".into(),
                )
            })?;
            let ctx = context(conn, case, id)?;
            let (content, errors) = content_from(&posted);
            let form = |ctx, content, version, errors, notice: &str| {
                Box::new(FormState {
                    ctx,
                    content,
                    version,
                    errors,
                    notice: notice.to_owned(),
                })
            };
            if !errors.is_empty() {
                return Ok(Submission::Refused(form(
                    ctx,
                    content,
                    version,
                    errors,
                    "Nothing was saved: correct the answers below.",
                )));
            }
            let now = state.clock.now();
            let version =
                needs_assessments::save_draft(conn, id, version, &content, posted.by, now)?;
            audit::record(
                conn,
                &posted.audit_on_case("save_needs_assessment", case, "draft saved"),
                now,
            )?;
            if !completing {
                return Ok(Submission::Saved(Saved::Draft(form(
                    ctx,
                    content,
                    version,
                    Vec::new(),
                    "Your changes have been saved.",
                ))));
            }
            match assess_completion(&content) {
                Err(gaps) => {
                    let errors = gaps
                        .iter()
                        .map(|gap| FieldError::new(gap.anchor(), gap.message()))
                        .collect();
                    Ok(Submission::Refused(form(
                        ctx,
                        content,
                        version,
                        errors,
                        "Your changes have been saved, but the assessment cannot be completed yet.",
                    )))
                }
                Ok(_) => {
                    let rules = NeedsRules::default();
                    let until =
                        needs_assessments::complete(conn, id, version, &rules, posted.by, now)?;
                    audit::record(
                        conn,
                        &posted.audit_on_case(
                            "complete_needs_assessment",
                            case,
                            format!("valid until {until}"),
                        ),
                        now,
                    )?;
                    Ok(Submission::Saved(Saved::Completed(case.crn.clone())))
                }
            }
        },
    )
    .await?;
    forms::respond(
        saved,
        |saved| match saved {
            Saved::Completed(crn) => Redirect::to(&format!("/cases/{crn}/needs")).into_response(),
            Saved::Draft(form) => render(&form.page(&user)).into_response(),
        },
        |form| form.page(&user),
    )
}
