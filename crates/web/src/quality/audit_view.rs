//! Reading a case audit (`/quality/audits/{audit}`): the answers with their reasons and, once it
//! is moderated, the moderation beside them with the disagreements marked and the agreement for
//! this case (the domain's rate and Cohen's kappa).

use crate::error::AppError;
use crate::format;
use crate::layout::{render, Chrome};
use crate::quality::access::{open_found, UnitNeed};
use crate::quality::audits::framework_named;
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use keepsafe_domain::quality::{moderate, Agreement, Framework};
use keepsafe_domain::CodedValue;
use keepsafe_storage::quality::audits::{self, StoredAudit};
use keepsafe_storage::quality::Unit;
use uuid::Uuid;

/// One key question's answers on the audit page.
struct AnswerRow {
    code: String,
    /// "2.1, keeping other people safe": the code stays in the page's data attributes only.
    label: String,
    text: String,
    first: String,
    first_reason: String,
    second: Option<(String, String)>,
    disagrees: bool,
}

struct AnswerSection {
    code: String,
    name: String,
    rows: Vec<AnswerRow>,
}

/// The agreement between the audit and its moderation, as shown.
struct AgreementView {
    moderator: String,
    moderated_on: String,
    agreed: u32,
    compared: u32,
    rate: String,
    kappa: String,
    disagreements: usize,
}

#[derive(Template)]
#[template(path = "quality/audit.html")]
struct AuditPage {
    chrome: Chrome,
    name: String,
    crn: String,
    framework_code: String,
    framework_name: String,
    auditor: String,
    audited_on: String,
    entered_by: String,
    team: String,
    sample: Option<String>,
    original: Option<String>,
    sections: Vec<AnswerSection>,
    agreement: Option<AgreementView>,
    moderate_link: Option<String>,
}

fn answer_text(audit: &StoredAudit, code: &str) -> (String, String) {
    audit
        .audit
        .answers
        .iter()
        .find(|a| a.question == code)
        .map(|a| {
            (
                a.answer.label().to_owned(),
                a.reason.clone().unwrap_or_default(),
            )
        })
        .unwrap_or_else(|| ("Not answered".to_owned(), String::new()))
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(
        || "Not measured".to_owned(),
        |v| format!("{:.0}%", v * 100.0),
    )
}

fn agreement_view(
    framework: &Framework,
    first: &StoredAudit,
    second: &StoredAudit,
) -> Result<AgreementView, AppError> {
    let moderation = moderate(framework, &[first.validated()?], &[second.validated()?])
        .map_err(|e| AppError::Internal(format!("moderation of audit {}: {e}", first.id)))?;
    let Agreement {
        compared,
        agreed,
        rate,
        kappa,
    } = moderation.overall;
    Ok(AgreementView {
        moderator: second.auditor_name.clone(),
        moderated_on: format::date(second.audited_on),
        agreed,
        compared,
        rate: percent(rate),
        kappa: kappa.map_or_else(
            || "Not defined: both auditors gave the same answer throughout".to_owned(),
            |k| format!("{k:.2}"),
        ),
        disagreements: moderation.disagreements.len(),
    })
}

fn audit_page(
    user: &CurrentUser,
    first: StoredAudit,
    second: Option<StoredAudit>,
) -> Result<AuditPage, AppError> {
    let framework = framework_named(Some(&first.framework))?;
    let agreement = second
        .as_ref()
        .map(|second| agreement_view(&framework, &first, second))
        .transpose()?;
    let sections = framework
        .standards
        .iter()
        .filter(|s| s.is_case_standard())
        .map(|standard| AnswerSection {
            code: standard.code.clone(),
            name: standard.name.clone(),
            rows: standard
                .key_questions()
                .iter()
                .map(|q| {
                    let (first_answer, first_reason) = answer_text(&first, &q.code);
                    let second = second.as_ref().map(|s| answer_text(s, &q.code));
                    AnswerRow {
                        disagrees: second.as_ref().is_some_and(|(a, _)| *a != first_answer),
                        code: q.code.clone(),
                        label: q.label(standard),
                        text: q.text.clone(),
                        first: first_answer,
                        first_reason,
                        second,
                    }
                })
                .collect(),
        })
        .collect();
    let moderate_link =
        (second.is_none() && first.moderates.is_none() && first.auditor_id != user.account.id)
            .then(|| format!("/quality/audits/{}/moderate", first.id));
    Ok(AuditPage {
        chrome: Chrome::for_user(user, format!("Case audit: {}", first.name), ""),
        name: first.name.clone(),
        crn: first.crn.clone(),
        framework_code: framework.code.clone(),
        framework_name: framework.name.clone(),
        auditor: first.auditor_name.clone(),
        audited_on: format::date(first.audited_on),
        entered_by: first.entered_by.label().to_owned(),
        team: first
            .team_name
            .clone()
            .unwrap_or_else(|| "Not allocated".into()),
        sample: first.sample_id.map(|s| s.to_string()),
        original: first.moderates.map(|m| m.to_string()),
        sections,
        agreement,
        moderate_link,
    })
}

/// `GET /quality/audits/{audit}`: the answers with their reasons and, once moderated, the
/// moderation beside them with the disagreements marked and the agreement for this case. Seen by
/// whoever may view the quality of the audit's PDU — which includes every auditor of it, since
/// auditing a PDU's cases needs a grade and place that also see its quality.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(audit): Path<String>,
) -> Result<Response, AppError> {
    let id = Uuid::parse_str(&audit).map_err(|_| AppError::NotFound)?;
    let (first, second) = open_found(
        &state,
        &user,
        "view_case_audit",
        UnitNeed::View,
        move |conn| Ok(Unit::Pdu(audits::find(conn, id)?.pdu_id)),
        move |conn, _| {
            let first = audits::find(conn, id)?;
            let second = audits::moderation_of(conn, id)?;
            Ok((first, second))
        },
    )
    .await?;
    Ok(render(&audit_page(&user, first, second)?)?.into_response())
}
