//! A hearing (`GET /court/hearings/{hearing}`): the case it was matched to (or made), its report
//! and the sentence; recording the sentence from the court's result (`GET`/`POST …/sentence`),
//! which becomes the event, its requirements and an allocation task in one transaction.

use super::open_hearing;
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
use keepsafe_domain::court::{CourtRules, ReportType, Sentence};
use keepsafe_domain::event::SentenceType;
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::court::hearings::{self, Hearing};
use keepsafe_storage::court::reports::{self, ReportRecord};
use keepsafe_storage::court::sentences;

/// What every hearing page shows at its top.
pub struct HearingView {
    pub id: String,
    pub name: String,
    pub crn: String,
    pub date_of_birth: String,
    pub court: String,
    pub list_href: String,
    pub hearing_on: String,
    pub offence: String,
    pub matched_by: &'static str,
    pub sentence: Option<String>,
}

impl HearingView {
    pub fn of(hearing: &Hearing) -> Self {
        Self {
            id: hearing.id.to_string(),
            name: hearing.name.clone(),
            crn: hearing.crn.clone(),
            date_of_birth: format::date(hearing.date_of_birth),
            court: hearing.court.name.clone(),
            list_href: format!("/courts/{}/{}", hearing.court.code, hearing.hearing_on),
            hearing_on: format::date(hearing.hearing_on),
            offence: hearing.offence.clone(),
            matched_by: hearings::matched_by_words(&hearing.matched_by),
            sentence: hearing.sentence.as_ref().map(|s| {
                let length = s
                    .length_months
                    .map_or_else(String::new, |m| format!(", {m} months"));
                format!(
                    "{}{length}, passed on {}",
                    s.sentence_type.label(),
                    format::date(s.sentenced_on)
                )
            }),
        }
    }
}

#[derive(Template)]
#[template(path = "court/hearing.html")]
struct HearingPage {
    chrome: Chrome,
    csrf_token: String,
    h: HearingView,
    report: Option<(String, String, String)>,
    report_types: Vec<(&'static str, &'static str)>,
    errors: Vec<FieldError>,
    chosen: String,
}

impl HearingPage {
    fn error(&self, field: &str) -> Option<String> {
        forms::message_for(&self.errors, field)
    }
}

fn report_line(report: &ReportRecord) -> (String, String, String) {
    (
        report.kind.label().to_owned(),
        report.status.label().to_owned(),
        format::date(report.due_on),
    )
}

pub(crate) fn hearing_page(
    user: &CurrentUser,
    hearing: &Hearing,
    report: Option<&ReportRecord>,
    errors: Vec<FieldError>,
    chosen: &str,
) -> impl Template {
    HearingPage {
        chrome: Chrome::for_form(
            user,
            format!("Hearing: {}", hearing.name),
            &errors,
            "/courts",
        ),
        csrf_token: user.csrf_token.clone(),
        h: HearingView::of(hearing),
        report: report.map(report_line),
        report_types: ReportType::ALL
            .iter()
            .map(|r| (r.code(), r.label()))
            .collect(),
        errors,
        chosen: chosen.to_owned(),
    }
}

/// `GET /court/hearings/{hearing}`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (hearing, report) =
        open_hearing(&state, &user, &id, "view_court_hearing", |conn, hearing| {
            Ok((hearing.clone(), reports::for_hearing(conn, hearing.id)?))
        })
        .await?;
    Ok(render(&hearing_page(
        &user,
        &hearing,
        report.as_ref(),
        Vec::new(),
        "",
    ))?
    .into_response())
}

/// A requirement as the sentence form offers it.
pub struct RequirementChoice {
    pub code: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub checked: bool,
    pub length: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "court/sentence.html")]
struct SentencePage {
    chrome: Chrome,
    csrf_token: String,
    h: HearingView,
    errors: Vec<FieldError>,
    sentence_types: Vec<(&'static str, &'static str)>,
    sentence_type: String,
    length: String,
    date: forms::TypedDate,
    requirements: Vec<RequirementChoice>,
}

impl SentencePage {
    fn error(&self, field: &str) -> Option<String> {
        forms::message_for(&self.errors, field)
    }
}

fn sentence_page(
    user: &CurrentUser,
    hearing: &Hearing,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> SentencePage {
    let chosen: Vec<&str> = fields
        .0
        .iter()
        .filter(|(k, _)| k == "requirements")
        .map(|(_, v)| v.as_str())
        .collect();
    SentencePage {
        chrome: Chrome::for_form(
            user,
            format!("Record the sentence: {}", hearing.name),
            &errors,
            "/courts",
        ),
        csrf_token: user.csrf_token.clone(),
        h: HearingView::of(hearing),
        sentence_types: SentenceType::ALL
            .iter()
            .filter(|s| **s != SentenceType::AwaitingSentence)
            .map(|s| (s.code(), s.label()))
            .collect(),
        sentence_type: fields.get("sentence_type").to_owned(),
        length: fields.get("length").chars().take(6).collect(),
        date: fields.typed_date("sentenced_on"),
        requirements: RequirementKind::ALL
            .iter()
            .map(|kind| RequirementChoice {
                code: kind.code(),
                label: kind.label(),
                unit: kind.length_unit().map_or("", |u| u.label()),
                checked: chosen.contains(&kind.code()),
                length: fields
                    .get(&format!("length-{}", kind.code()))
                    .chars()
                    .take(6)
                    .collect(),
                error: forms::message_for(&errors, &format!("length-{}", kind.code())),
            })
            .collect(),
        errors,
    }
}

/// `GET /court/hearings/{hearing}/sentence`.
pub async fn sentence_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let hearing = open_hearing(&state, &user, &id, "view_sentence_form", |_, hearing| {
        Ok(hearing.clone())
    })
    .await?;
    Ok(render(&sentence_page(
        &user,
        &hearing,
        &FormFields::default(),
        Vec::new(),
    ))?
    .into_response())
}

/// Reads the sentence form into a checked sentence, or every problem by field.
fn read_sentence(
    fields: &FormFields,
    hearing: &Hearing,
    today: chrono::NaiveDate,
) -> Result<Sentence, Vec<FieldError>> {
    let mut errors = Vec::new();
    let number = |field: &str, errors: &mut Vec<FieldError>| -> Option<u32> {
        let text = fields.get(field).trim();
        if text.is_empty() {
            return None;
        }
        text.parse::<u32>()
            .map_err(|_| errors.push(FieldError::new(field, "Enter a whole number")))
            .ok()
    };
    let length = number("length", &mut errors);
    let sentenced_on = match fields.date("sentenced_on", "the date of sentence") {
        Ok(day) => Some(day),
        Err(error) => {
            errors.push(error);
            None
        }
    };
    let mut requirements = Vec::new();
    for (_, code) in fields.0.iter().filter(|(k, _)| k == "requirements") {
        match RequirementKind::parse(code) {
            Ok(kind) => {
                let length = number(&format!("length-{code}"), &mut errors);
                requirements.push((kind, length));
            }
            Err(_) => errors.push(FieldError::new(
                "requirements",
                "Choose requirements from the list",
            )),
        }
    }
    let sentence_type = SentenceType::parse(fields.get("sentence_type")).ok();
    let checked = Sentence::check(
        sentence_type,
        length,
        sentenced_on,
        requirements,
        hearing.hearing_on,
        today,
    );
    match checked {
        Ok(sentence) if errors.is_empty() => Ok(sentence),
        Ok(_) => Err(errors),
        Err(problems) => {
            // One message per field: a length that is not a number is not also "missing".
            for (field, message) in problems {
                if !errors.iter().any(|e| e.field == field) {
                    errors.push(FieldError::new(field, message));
                }
            }
            Err(errors)
        }
    }
}

/// `POST /court/hearings/{hearing}/sentence`: records the sentence, its requirements and the
/// allocation task in one transaction.
pub async fn record_sentence(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let today = state.clock.today();
    let now = state.clock.now();
    let submission = open_hearing(
        &state,
        &user,
        &id,
        "record_sentence",
        move |conn, hearing| {
            let sentence = match read_sentence(&posted, hearing, today) {
                Ok(sentence) => sentence,
                Err(errors) => return Ok(Submission::Refused((hearing.clone(), errors))),
            };
            let recorded = sentences::record(conn, hearing, &sentence, posted.by, now)?;
            // Victims already in the scheme are told the sentence (reference §6).
            let victims_due = keepsafe_storage::victims::stage_reached(
                conn,
                hearing.person_id,
                keepsafe_domain::victims::VictimStage::Sentence,
                sentence.sentenced_on,
                posted.by,
                now,
            )?;
            audit::record(
                conn,
                &AuditEntry {
                    staff_id: Some(posted.by),
                    actor: posted.actor_name.clone(),
                    action: "record_sentence".into(),
                    outcome: Outcome::Allowed,
                    person_id: Some(hearing.person_id),
                    crn: Some(hearing.crn.clone()),
                    detail: format!(
                        "{} on {}, {} requirement(s); task {}; {victims_due} victim contacts due",
                        sentence.sentence_type.label(),
                        sentence.sentenced_on,
                        recorded.requirement_ids.len(),
                        recorded.task_id
                    ),
                },
                now,
            )?;
            Ok(Submission::Saved(format!("/court/hearings/{}", hearing.id)))
        },
    )
    .await?;
    forms::respond(
        submission,
        |href| Redirect::to(&href),
        |(hearing, errors)| sentence_page(&user, &hearing, &fields, errors),
    )
}

/// The rules the court lists use, for the report's due date.
pub(crate) fn rules() -> CourtRules {
    CourtRules::default()
}
