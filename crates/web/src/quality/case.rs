//! `GET /cases/{crn}/quality`: the quality of one case's supervision — its automated indicators
//! (each with its result, why, the facts read, the rule version and links to the records read),
//! its case audits (every answer with its reason, the auditor, the date, and any moderation) and
//! its management oversight records. The same facts and rules as the unit's automated rating, so
//! a manager who follows a CRN from a number sees exactly what counted.
//!
//! Opened through [`open_case`], so every view is authorised and audit-logged.

use crate::cases::access::open_case;
use crate::error::AppError;
use crate::format;
use crate::layout::{render, Chrome};
use crate::quality::report::ExplanationView;
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use chrono::NaiveDate;
use keepsafe_domain::access::{decide, Action};
use keepsafe_domain::quality::{
    indicators, Answer, EvidenceKind, Framework, Indicator, IndicatorResult, IndicatorRules,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::quality::audits::{self, StoredAudit};
use keepsafe_storage::quality::oversight::{self, StoredOversight};
use keepsafe_storage::quality::{facts, units};

struct IndicatorView {
    code: &'static str,
    title: &'static str,
    standard: &'static str,
    focus: &'static str,
    result: &'static str,
    tag: &'static str,
    why: String,
    explanation: ExplanationView,
    /// Links to the records read: (href, label).
    evidence: Vec<(String, String)>,
}

struct AnswerView {
    question: String,
    text: String,
    answer: &'static str,
    tag: &'static str,
    reason: String,
    /// The moderator's answer where it differs.
    moderated: Option<String>,
}

struct AuditView {
    id: String,
    framework: String,
    audited_on: String,
    auditor: String,
    entered_by: &'static str,
    team: String,
    moderation: Option<String>,
    answers: Vec<AnswerView>,
}

struct OversightView {
    id: String,
    kind: &'static str,
    recorded_on: String,
    by: String,
    note: String,
}

#[derive(Template)]
#[template(path = "quality/case.html")]
struct CaseQualityPage {
    chrome: Chrome,
    crn: String,
    name: String,
    today: String,
    /// Why there are no indicators, when the case is not under supervision.
    not_live: bool,
    indicators: Vec<IndicatorView>,
    rule_version: String,
    audits: Vec<AuditView>,
    oversight: Vec<OversightView>,
    /// Whether the user may audit the case (so the page offers the audit form).
    may_audit: bool,
}

struct Loaded {
    name: String,
    crn: String,
    indicators: Option<Vec<Indicator>>,
    audits: Vec<StoredAudit>,
    oversight: Vec<StoredOversight>,
    may_audit: bool,
}

/// `GET /cases/{crn}/quality`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Html<String>, AppError> {
    let today = state.clock.today();
    let rules = IndicatorRules::default();
    let actor = user.account.actor();
    let read_rules = rules.clone();
    let loaded = open_case(
        &state,
        &user,
        &crn,
        "view_case_quality",
        move |conn, case| {
            let (name, crn) = case_record::heading(conn, case.person_id)?;
            let live = units::live_case(conn, case.person_id)?;
            let found = match &live {
                Some(live) => {
                    let facts =
                        facts::for_cases(conn, std::slice::from_ref(live), today, &read_rules)?;
                    facts
                        .get(&live.person_id)
                        .map(|case_facts| indicators(case_facts, &read_rules))
                }
                None => None,
            };
            Ok(Loaded {
                name,
                crn,
                indicators: found,
                audits: audits::for_person(conn, case.person_id)?,
                oversight: oversight::for_person(conn, case.person_id)?,
                may_audit: decide(&actor, Action::AuditCase(&case.location)).is_allowed(),
            })
        },
    )
    .await?;
    let page = CaseQualityPage {
        chrome: Chrome::for_user(
            &user,
            format!("Quality of supervision: {} ({})", loaded.name, loaded.crn),
            "",
        ),
        today: format::date(today),
        not_live: loaded.indicators.is_none(),
        indicators: loaded
            .indicators
            .iter()
            .flatten()
            .map(|i| indicator_view(&loaded.crn, i))
            .collect(),
        rule_version: rules.version.clone(),
        audits: audit_views(&loaded.audits),
        oversight: loaded
            .oversight
            .iter()
            .map(|o| OversightView {
                id: o.id.to_string(),
                kind: o.kind.label(),
                recorded_on: format::date(o.recorded_on),
                by: o.recorded_by.clone(),
                note: o.note.clone(),
            })
            .collect(),
        may_audit: loaded.may_audit,
        name: loaded.name,
        crn: loaded.crn,
    };
    render(&page)
}

fn result_tag(result: IndicatorResult) -> &'static str {
    match result {
        IndicatorResult::Met => "govuk-tag--green",
        IndicatorResult::NotMet => "govuk-tag--red",
        IndicatorResult::NotApplicable => "govuk-tag--grey",
    }
}

fn answer_tag(answer: Answer) -> &'static str {
    match answer {
        Answer::Yes => "govuk-tag--green",
        Answer::No => "govuk-tag--red",
        Answer::NotApplicable => "govuk-tag--grey",
    }
}

/// Where each kind of record is shown: checks and reviews on the risk page, assessments on their
/// own page, contacts on the case record, oversight records further down this page.
fn evidence_link(crn: &str, kind: EvidenceKind, id: uuid::Uuid) -> String {
    match kind {
        EvidenceKind::Check => format!("/cases/{crn}/risk#checks"),
        EvidenceKind::Assessment => format!("/cases/{crn}/risk/assessments/{id}"),
        EvidenceKind::Contact => format!("/cases/{crn}#contacts"),
        EvidenceKind::Review => format!("/cases/{crn}/risk#reviews"),
        EvidenceKind::Oversight => format!("/cases/{crn}/quality#oversight-{id}"),
        EvidenceKind::Plan => format!("/cases/{crn}/plan"),
    }
}

fn indicator_view(crn: &str, indicator: &Indicator) -> IndicatorView {
    let mut evidence: Vec<(String, String)> = Vec::new();
    for e in &indicator.evidence {
        let href = evidence_link(crn, e.kind, e.id);
        // Several contacts link to the same table: offer it once.
        if evidence.iter().all(|(seen, _)| *seen != href) {
            evidence.push((href, e.kind.label().to_owned()));
        }
    }
    let contacts = indicator
        .evidence
        .iter()
        .filter(|e| e.kind == EvidenceKind::Contact)
        .count();
    for (href, label) in &mut evidence {
        if href.ends_with("#contacts") && contacts > 1 {
            *label = format!("{contacts} contacts");
        }
    }
    IndicatorView {
        code: indicator.code,
        title: indicator.title,
        standard: indicator.standard,
        focus: indicator.focus.label(),
        result: indicator.result.label(),
        tag: result_tag(indicator.result),
        why: indicator.why.clone(),
        explanation: ExplanationView::from(&indicator.explanation()),
        evidence,
    }
}

fn audit_views(stored: &[StoredAudit]) -> Vec<AuditView> {
    stored
        .iter()
        .filter(|a| a.moderates.is_none())
        .map(|audit| {
            let moderation = stored.iter().find(|m| m.moderates == Some(audit.id));
            let framework = Framework::by_code(&audit.framework);
            AuditView {
                id: audit.id.to_string(),
                framework: audit.framework.clone(),
                audited_on: format::date(audit.audited_on),
                auditor: audit.auditor_name.clone(),
                entered_by: audit.entered_by.label(),
                team: audit
                    .team_name
                    .clone()
                    .unwrap_or_else(|| "Unallocated".to_owned()),
                moderation: moderation.map(|m| moderated_on(m.audited_on, &m.auditor_name)),
                answers: audit
                    .audit
                    .answers
                    .iter()
                    .map(|given| {
                        let second = moderation.and_then(|m| {
                            m.audit
                                .answers
                                .iter()
                                .find(|a| a.question == given.question)
                        });
                        AnswerView {
                            question: framework.as_ref().map_or_else(
                                || given.question.clone(),
                                |f| f.question_label(&given.question),
                            ),
                            text: framework
                                .as_ref()
                                .and_then(|f| f.key_question(&given.question))
                                .map(|(_, q)| q.text.clone())
                                .unwrap_or_default(),
                            answer: given.answer.label(),
                            tag: answer_tag(given.answer),
                            reason: given.reason.clone().unwrap_or_default(),
                            moderated: second.filter(|s| s.answer != given.answer).map(|s| {
                                format!(
                                    "{}{}",
                                    s.answer.label(),
                                    s.reason
                                        .as_ref()
                                        .map(|r| format!(": {r}"))
                                        .unwrap_or_default()
                                )
                            }),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

fn moderated_on(on: NaiveDate, by: &str) -> String {
    format!("Moderated by {by} on {}", format::date(on))
}
