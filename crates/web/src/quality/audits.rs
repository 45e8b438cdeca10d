//! Auditing a case against an inspection framework (`/cases/{crn}/quality/audit`) and moderating
//! an audit blind (`/quality/audits/{audit}/moderate`); `audit_view` shows the result.
//!
//! The form's fields, so a browser test can drive it (for every key question of every case
//! standard of the framework, `{code}` being the key question's code such as `2.1.safe`):
//!
//! - `answer-{code}`: radios with values `yes`, `no` and `not_applicable`; their ids are
//!   `answer-{code}` (Yes, the error summary's target), `answer-{code}-no` and
//!   `answer-{code}-not_applicable`;
//! - `reason-{code}`: a textarea (id the same), required for No and Not applicable;
//! - hidden `framework` (the framework's code) and `sample` (the sample's id, or empty).
//!
//! The moderation form has the same fields and is never prefilled with the first answers, so the
//! moderator reads the case afresh and their agreement means something.

use crate::cases::access::{open_case_for, Need};
use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{DateTime, Utc};
use keepsafe_domain::quality::{
    validate, Answer, AnswerGiven, AuditRefused, CaseAudit, Framework, HMIP_PDU_2023,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::record::{self as case_record, LocatedCase};
use keepsafe_storage::quality::audits::{self, EnteredBy, NewAudit, StoredAudit};
use keepsafe_storage::quality::samples::{self, StoredSample};
use keepsafe_storage::quality::{units, Unit};
use keepsafe_storage::AnyConnection;
use serde::Deserialize;
use uuid::Uuid;

/// One key question on the form, with what was submitted and what is wrong with it.
pub(crate) struct QuestionField {
    pub code: String,
    /// "2.1, keeping other people safe", shown; the code names the form's fields.
    pub label: String,
    pub text: String,
    pub prompts: Vec<String>,
    pub answer: String,
    pub reason: String,
    pub answer_error: Option<String>,
    pub reason_error: Option<String>,
}

/// A case standard and its key questions, as a section of the form.
pub(crate) struct StandardSection {
    pub code: String,
    pub name: String,
    pub questions: Vec<QuestionField>,
}

/// The sample a case is audited for, as the form names it.
struct SampleNote {
    id: String,
    drawn: String,
    size: usize,
}

#[derive(Template)]
#[template(path = "quality/audit_form.html")]
struct AuditFormPage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    heading: String,
    intro: String,
    action: String,
    button: String,
    back: String,
    framework_code: String,
    framework_name: String,
    sample: Option<SampleNote>,
    /// Other frameworks this audit could be made against (a first audit outside a sample).
    other_frameworks: Vec<(String, String)>,
    sections: Vec<StandardSection>,
    errors: Vec<FieldError>,
}

/// The query of `GET /cases/{crn}/quality/audit`: which framework, and the sample if any.
#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    pub framework: Option<String>,
    pub sample: Option<String>,
}

/// What the form is for: a first audit (maybe for a sample) or a moderation of one.
#[derive(Clone)]
struct FormTarget {
    framework: Framework,
    sample: Option<StoredSample>,
    moderates: Option<StoredAudit>,
}

fn blank(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

pub(crate) fn framework_named(code: Option<&str>) -> Result<Framework, AppError> {
    let code = code.unwrap_or(HMIP_PDU_2023);
    Framework::by_code(code).ok_or_else(|| {
        AppError::BadRequest(format!(
            "There is no inspection framework {code}: choose {}",
            Framework::all()
                .iter()
                .map(|f| f.code.clone())
                .collect::<Vec<_>>()
                .join(" or ")
        ))
    })
}

fn sample_id(raw: Option<&str>) -> Result<Option<Uuid>, AppError> {
    raw.map(|raw| {
        Uuid::parse_str(raw)
            .map_err(|_| AppError::BadRequest(format!("There is no sample {raw}: check the link")))
    })
    .transpose()
}

/// The framework and sample a first audit is for. A sample must be of the case's PDU and hold
/// the case, and sets the framework: an audit for a sample answers the sample's framework.
fn first_audit_target(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    framework: Option<&str>,
    sample: Option<Uuid>,
) -> Result<FormTarget, AppError> {
    let Some(sample_id) = sample else {
        return Ok(FormTarget {
            framework: framework_named(framework)?,
            sample: None,
            moderates: None,
        });
    };
    let sample = samples::find(conn, sample_id)?;
    if sample.pdu_id != case.location.pdu {
        return Err(AppError::BadRequest(
            "That sample is of another PDU's cases: audit this case from its own PDU's sample"
                .into(),
        ));
    }
    if !sample.cases.iter().any(|c| c.person_id == case.person_id) {
        return Err(AppError::BadRequest(
            "This case is not in that sample: open the sample and choose one of its cases".into(),
        ));
    }
    if framework.is_some_and(|code| code != sample.framework) {
        return Err(AppError::BadRequest(format!(
            "That sample is audited against {}, not {}",
            sample.framework,
            framework.unwrap_or_default()
        )));
    }
    Ok(FormTarget {
        framework: framework_named(Some(&sample.framework))?,
        sample: Some(sample),
        moderates: None,
    })
}

/// The first audit of this case already made for the sample, if any: a case is audited once per
/// sample, and a second opinion is a moderation.
fn existing_in_sample(target: &FormTarget, case: &LocatedCase) -> Option<Uuid> {
    target
        .sample
        .as_ref()?
        .cases
        .iter()
        .find(|c| c.person_id == case.person_id)?
        .audit
}

/// The form's sections, each question holding what was submitted and any error.
pub(crate) fn sections(
    framework: &Framework,
    fields: &FormFields,
    errors: &[FieldError],
) -> Vec<StandardSection> {
    let error_for = |field: &str| forms::message_for(errors, field);
    framework
        .standards
        .iter()
        .filter(|s| s.is_case_standard())
        .map(|standard| StandardSection {
            code: standard.code.clone(),
            name: standard.name.clone(),
            questions: standard
                .key_questions()
                .iter()
                .map(|q| {
                    let answer_field = format!("answer-{}", q.code);
                    let reason_field = format!("reason-{}", q.code);
                    QuestionField {
                        answer: fields.get(&answer_field).chars().take(20).collect(),
                        reason: fields.get(&reason_field).chars().take(12_000).collect(),
                        answer_error: error_for(&answer_field),
                        reason_error: error_for(&reason_field),
                        code: q.code.clone(),
                        label: q.label(standard),
                        text: q.text.clone(),
                        prompts: q.prompts.clone(),
                    }
                })
                .collect(),
        })
        .collect()
}

/// The submitted answers, one per key question answered; an unanswered question (or a value that
/// is not an answer) is left out, so the domain names it as missing.
fn answers_from(framework: &Framework, fields: &FormFields) -> Vec<AnswerGiven> {
    framework
        .key_questions()
        .filter_map(|(_, q)| {
            let answer = Answer::parse(fields.get(&format!("answer-{}", q.code))).ok()?;
            let reason = fields.get(&format!("reason-{}", q.code)).trim();
            Some(AnswerGiven {
                question: q.code.clone(),
                answer,
                reason: (!reason.is_empty()).then(|| reason.to_owned()),
            })
        })
        .collect()
}

/// The domain's refusal as error-summary entries, each linked to the field that fixes it.
fn refusal_errors(framework: &Framework, refused: &AuditRefused) -> Vec<FieldError> {
    let text = |code: &str| {
        framework
            .key_question(code)
            .map(|(_, q)| q.text.clone())
            .unwrap_or_default()
    };
    let mut errors: Vec<FieldError> = framework
        .key_questions()
        .filter_map(|(_, q)| {
            if refused.missing.contains(&q.code) {
                Some(FieldError::new(
                    format!("answer-{}", q.code),
                    format!("Answer key question {}: {}", q.code, text(&q.code)),
                ))
            } else if refused.reasons_missing.contains(&q.code) {
                Some(FieldError::new(
                    format!("reason-{}", q.code),
                    format!(
                        "Give the reason for your answer to key question {}: a No or Not \
                         applicable needs one",
                        q.code
                    ),
                ))
            } else {
                None
            }
        })
        .collect();
    if !refused.unknown.is_empty() || !refused.duplicated.is_empty() {
        errors.push(FieldError::new("main-content", refused.to_string()));
    }
    errors
}

/// The audit as the domain checks it, with the codes of where the case sits.
fn case_audit(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    team_id: Option<Uuid>,
    pdu_id: Uuid,
    answers: Vec<AnswerGiven>,
) -> Result<CaseAudit, AppError> {
    let team = match team_id {
        Some(team) => units::describe(conn, Unit::Team(team))?.code,
        None => "unallocated".to_owned(),
    };
    let pdu = units::describe(conn, Unit::Pdu(pdu_id))?;
    let region = match pdu.parent {
        Some((region, _)) => units::describe(conn, region)?.code,
        None => String::new(),
    };
    Ok(CaseAudit {
        case: case.crn.clone(),
        team,
        pdu: pdu.code,
        region,
        answers,
    })
}

fn form_page(
    user: &CurrentUser,
    name: String,
    crn: String,
    target: &FormTarget,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> AuditFormPage {
    let (heading, intro, action, button, back) = match &target.moderates {
        Some(original) => (
            format!("Moderate the audit of {name}"),
            format!(
                "Read the case afresh and answer every key question yourself. {}'s answers are \
                 not shown until you have saved yours; then the two are compared.",
                original.auditor_name
            ),
            format!("/quality/audits/{}/moderate", original.id),
            "Save the moderation".to_owned(),
            format!("/quality/audits/{}", original.id),
        ),
        None => (
            format!("Audit the case of {name}"),
            "Answer every key question from what the case record shows. A No or Not applicable \
             needs a reason, so whoever reads the audit knows what was missing or why the \
             question did not apply."
                .to_owned(),
            format!("/cases/{crn}/quality/audit"),
            "Save the audit".to_owned(),
            match &target.sample {
                Some(sample) => format!("/quality/samples/{}", sample.id),
                None => format!("/cases/{crn}"),
            },
        ),
    };
    AuditFormPage {
        chrome: Chrome::for_form(user, &heading, &errors, ""),
        csrf_token: user.csrf_token.clone(),
        sections: sections(&target.framework, fields, &errors),
        name,
        crn,
        heading,
        intro,
        action,
        button,
        back,
        framework_code: target.framework.code.clone(),
        framework_name: target.framework.name.clone(),
        other_frameworks: if target.sample.is_none() && target.moderates.is_none() {
            Framework::all()
                .into_iter()
                .filter(|f| f.code != target.framework.code)
                .map(|f| (f.code, f.name))
                .collect()
        } else {
            Vec::new()
        },
        sample: target.sample.as_ref().map(|s| SampleNote {
            id: s.id.to_string(),
            drawn: format::date(s.drawn_at.date()),
            size: s.cases.len(),
        }),
        errors,
    }
}

/// The form as first shown: nothing typed, no errors.
fn blank_form(
    user: &CurrentUser,
    name: String,
    crn: String,
    target: &FormTarget,
) -> Result<Response, AppError> {
    let page = form_page(user, name, crn, target, &FormFields::default(), Vec::new());
    Ok(render(&page)?.into_response())
}

enum Opened {
    Form(String, String, Box<FormTarget>),
    AlreadyAudited(Uuid),
}

/// `GET /cases/{crn}/quality/audit?framework=…&sample=…`: the key-question form. Managers of
/// the case's PDU and quality staff of its region may audit (`Need::Audit`).
pub async fn form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let framework = blank(&query.framework).map(str::to_owned);
    let sample = sample_id(blank(&query.sample))?;
    let opened = open_case_for(
        &state,
        &user,
        &crn,
        "open_case_audit",
        Need::Audit,
        move |conn, case| {
            let target = first_audit_target(conn, case, framework.as_deref(), sample)?;
            if let Some(existing) = existing_in_sample(&target, case) {
                return Ok(Opened::AlreadyAudited(existing));
            }
            let (name, crn) = case_record::heading(conn, case.person_id)?;
            Ok(Opened::Form(name, crn, Box::new(target)))
        },
    )
    .await?;
    match opened {
        Opened::AlreadyAudited(audit) => {
            Ok(Redirect::to(&format!("/quality/audits/{audit}")).into_response())
        }
        Opened::Form(name, crn, target) => blank_form(&user, name, crn, &target),
    }
}

/// A form to show again: the case's name and CRN, what the form is for, and what to fix.
type Refused = (String, String, FormTarget, Vec<FieldError>);

/// Validates the submitted answers and, if the domain accepts them, stores the audit (or the
/// moderation) and its audit-log row in the caller's transaction.
fn save(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    target: FormTarget,
    posted: &Posted,
    auditor_name: String,
    now: DateTime<Utc>,
) -> Result<Submission<Uuid, Refused>, AppError> {
    let (team_id, pdu_id) = match &target.moderates {
        Some(original) => (original.team_id, original.pdu_id),
        None => (case.location.team, case.location.pdu),
    };
    let answers = answers_from(&target.framework, posted);
    let audit = case_audit(conn, case, team_id, pdu_id, answers)?;
    let validated = match validate(&target.framework, audit) {
        Ok(validated) => validated,
        Err(refused) => {
            let (name, crn) = case_record::heading(conn, case.person_id)?;
            let errors = refusal_errors(&target.framework, &refused);
            return Ok(Submission::Refused((name, crn, target, errors)));
        }
    };

    let moderates = target.moderates.as_ref().map(|a| a.id);
    let sample_id = match &target.moderates {
        Some(original) => original.sample_id,
        None => target.sample.as_ref().map(|s| s.id),
    };
    let id = audits::record(
        conn,
        &NewAudit {
            audit: &validated,
            person_id: case.person_id,
            team_id,
            pdu_id,
            sample_id,
            moderates,
            audited_on: now.date_naive(),
            auditor_id: posted.by,
            auditor_name,
            entered_by: EnteredBy::Form,
        },
        now,
    )?;
    let (action, detail) = match moderates {
        Some(original) => (
            "record_moderation",
            format!("moderation {id} of audit {original}"),
        ),
        None => (
            "record_case_audit",
            format!("audit {id} against {}", target.framework.code),
        ),
    };
    audit::record(conn, &posted.audit_on_case(action, case, detail), now)?;
    Ok(Submission::Saved(moderates.unwrap_or(id)))
}

/// `POST /cases/{crn}/quality/audit`: validates with the domain; a refusal shows the form again
/// with every answer kept and each missing answer or reason named; success stores the audit
/// (team and PDU from the case's current allocation) and shows it.
pub async fn record(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let framework = Some(fields.get("framework").trim().to_owned()).filter(|f| !f.is_empty());
    let sample = sample_id(Some(fields.get("sample").trim()).filter(|s| !s.is_empty()))?;
    let posted = Posted::new(&user, &fields);
    let auditor_name = user.account.display_name();
    let saved = open_case_for(
        &state,
        &user,
        &crn,
        "record_case_audit",
        Need::Audit,
        move |conn, case| {
            let target = first_audit_target(conn, case, framework.as_deref(), sample)?;
            if existing_in_sample(&target, case).is_some() {
                return Err(AppError::Conflict(
                    "This case has already been audited for this sample: open its audit and \
                     moderate it instead"
                        .into(),
                ));
            }
            save(conn, case, target, &posted, auditor_name, now)
        },
    )
    .await?;
    respond(&user, saved, &fields)
}

/// The audit saved (or the moderation's original, which shows both), or the form again.
fn respond(
    user: &CurrentUser,
    saved: Submission<Uuid, Refused>,
    fields: &FormFields,
) -> Result<Response, AppError> {
    forms::respond(
        saved,
        |audit| Redirect::to(&format!("/quality/audits/{audit}")),
        |(name, crn, target, errors)| form_page(user, name, crn, &target, fields, errors),
    )
}

fn audit_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// The CRN of an audit's case, read to decide who may moderate it; the decision itself (and its
/// audit row) is `open_case_for`'s.
async fn audit_crn(state: &AppState, id: Uuid) -> Result<String, AppError> {
    state
        .read(move |conn| Ok(audits::find(conn, id)?.crn))
        .await
}

/// The moderation's target: the original audit, which may be moderated by this auditor (storage
/// says why not: their own audit, already moderated, itself a moderation).
fn moderation_target(
    conn: &mut AnyConnection,
    id: Uuid,
    case: &LocatedCase,
    moderator: Uuid,
) -> Result<FormTarget, AppError> {
    let original = audits::find(conn, id)?;
    if original.person_id != case.person_id {
        return Err(AppError::NotFound);
    }
    audits::check_moderation(conn, id, original.person_id, &original.framework, moderator)?;
    Ok(FormTarget {
        framework: framework_named(Some(&original.framework))?,
        sample: None,
        moderates: Some(original),
    })
}

/// `GET /quality/audits/{audit}/moderate`: the same form, blank. The moderator must be allowed
/// to audit the case, and may not moderate their own audit or one already moderated.
pub async fn moderation_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(audit): Path<String>,
) -> Result<Response, AppError> {
    let id = audit_id(&audit)?;
    let crn = audit_crn(&state, id).await?;
    let moderator = user.account.id;
    let (name, crn, target) = open_case_for(
        &state,
        &user,
        &crn,
        "open_moderation",
        Need::Audit,
        move |conn, case| {
            let target = moderation_target(conn, id, case, moderator)?;
            let (name, crn) = case_record::heading(conn, case.person_id)?;
            Ok((name, crn, target))
        },
    )
    .await?;
    blank_form(&user, name, crn, &target)
}

/// `POST /quality/audits/{audit}/moderate`: stores the moderation and shows the audit with the
/// agreement between the two.
pub async fn moderate_audit(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(audit): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let id = audit_id(&audit)?;
    let crn = audit_crn(&state, id).await?;
    let posted = Posted::new(&user, &fields);
    let auditor_name = user.account.display_name();
    let saved = open_case_for(
        &state,
        &user,
        &crn,
        "record_moderation",
        Need::Audit,
        move |conn, case| {
            let target = moderation_target(conn, id, case, posted.by)?;
            save(conn, case, target, &posted, auditor_name, now)
        },
    )
    .await?;
    respond(&user, saved, &fields)
}
