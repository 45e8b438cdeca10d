//! A hearing's pre-sentence report (`/court/hearings/{hearing}/report`): started when the court
//! asks for one (`POST …/report`), written as a draft (`POST …/report/save`), submitted to court
//! (`POST …/report/complete`), printed (`GET …/report/print`), with requests to adjourn
//! (`POST …/adjournments`). Beside the form, read-only, what keepsafe already holds about the
//! case's risk and needs — the current RoSH level, the tier, the checks' responses, the needs
//! assessment — each linked to where it is kept, so nothing is typed twice. A proposal of a curfew
//! or residence requirement is refused until the police and children's-services responses are in
//! and the main occupier is recorded (`keepsafe_domain::court::check_proposal`), each missing item
//! linked to where it is got.

use super::hearing::{hearing_page, rules, HearingView};
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
use chrono::{DateTime, NaiveDate, Utc};
use keepsafe_domain::court::{
    check_proposal, indicators, AdjournmentOutcome, Indicator, ProposalFacts, ProposalGap,
    ReportFacts, ReportStatus, ReportType,
};
use keepsafe_domain::event::SentenceType;
use keepsafe_domain::needs::{AssessmentStatus, Severity};
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::court::hearings::Hearing;
use keepsafe_storage::court::reports::{self, NewAdjournment, ReportContent, ReportRecord};
use keepsafe_storage::risk::{assessments, checks, scores};
use keepsafe_storage::AnyConnection;

/// The text fields of a report, with their labels and hints, in the report's order.
const SECTIONS: [(&str, &str, &str); 6] = [
    ("sources", "Sources of information", "Who you interviewed, the records you read and the agencies you asked, with dates."),
    ("offence_analysis", "Offence analysis", "What happened, why, the person's account and attitude to it, and its impact on victims."),
    ("risk_analysis", "Risk of serious harm", "Who is at risk of what, when and why, drawing on the assessment and the other agencies' information below."),
    ("checks_analysis", "What the police and children's services said, and what it means", "How the domestic-abuse call-outs and the children's-services information were considered in the risk analysis."),
    ("needs_analysis", "Needs", "The needs linked to offending and to harm, and how a sentence could address them."),
    ("justification", "Why this proposal", "Why the proposed sentence and requirements fit the offence, the risks and the needs."),
];

/// A text section of the form.
pub struct SectionView {
    pub field: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub value: String,
    pub error: Option<String>,
}

/// A requirement offered for the proposal.
pub struct Choice {
    pub code: &'static str,
    pub label: &'static str,
    pub checked: bool,
    pub at_address: bool,
}

/// One thing missing before an at-address proposal, with where to get it.
pub struct GapView {
    pub message: String,
    pub href: String,
    pub link_text: &'static str,
}

/// What keepsafe already holds about the case's risk and needs, read-only.
pub struct RiskView {
    pub rosh: String,
    pub tier: String,
    pub checks: Vec<(String, String, String)>,
    pub needs: String,
    pub needs_sections: Vec<String>,
}

/// A request to adjourn as shown.
pub struct AdjournmentView {
    pub asked_on: String,
    pub reason: String,
    pub outcome: String,
    pub recorded_by: String,
}

#[derive(Template)]
#[template(path = "court/report.html")]
struct ReportPage {
    chrome: Chrome,
    csrf_token: String,
    h: HearingView,
    kind: &'static str,
    status: &'static str,
    draft: bool,
    version: i32,
    due: String,
    due_how: String,
    completed: String,
    author: String,
    errors: Vec<FieldError>,
    sections: Vec<SectionView>,
    sentence_types: Vec<(&'static str, &'static str)>,
    proposed_sentence: String,
    requirements: Vec<Choice>,
    gaps: Vec<GapView>,
    risk: RiskView,
    indicators: Vec<Indicator>,
    adjournments: Vec<AdjournmentView>,
    adjournment: forms::TypedDate,
    adjournment_reason: String,
    adjournment_outcome: String,
    new_hearing: forms::TypedDate,
    outcomes: Vec<(&'static str, &'static str)>,
    /// The latest request to adjourn still waiting for the court's decision, to record it.
    undecided: Option<String>,
    decision: String,
    decided_hearing: forms::TypedDate,
}

impl ReportPage {
    fn error(&self, field: &str) -> Option<String> {
        forms::message_for(&self.errors, field)
    }
}

/// Everything the report page reads, gathered in the hearing's transaction.
pub struct Gathered {
    hearing: Hearing,
    report: ReportRecord,
    facts: ProposalFacts,
    risk: RiskView,
    rosh_in_force: bool,
}

fn gather(
    conn: &mut AnyConnection,
    hearing: &Hearing,
    today: NaiveDate,
) -> Result<Gathered, AppError> {
    let report = reports::for_hearing(conn, hearing.id)?.ok_or(AppError::NotFound)?;
    let facts = reports::proposal_facts(conn, hearing.person_id, today)?;
    let person = hearing.person_id.to_string();
    let level = assessments::current_levels(conn, std::slice::from_ref(&person))?.remove(&person);
    let tier = scores::for_person(conn, hearing.person_id)?.tier;
    let requests = checks::for_person(conn, hearing.person_id)?;
    let needs = keepsafe_storage::needs::assessments::for_person(conn, hearing.person_id)?;
    let completed = needs
        .iter()
        .find(|n| n.status == AssessmentStatus::Completed);
    let risk = RiskView {
        rosh: level.map_or_else(
            || "No risk of serious harm assessment has been completed".to_owned(),
            |l| format!("{} risk of serious harm", l.label()),
        ),
        tier: tier.map_or_else(|| "Not worked out yet".to_owned(), |t| t.legacy.to_string()),
        checks: requests
            .iter()
            .filter(|r| r.check_kind().is_some())
            .map(|r| {
                (
                    r.label().to_owned(),
                    format!("Requested on {}", format::date(r.requested_on)),
                    r.response.as_ref().map_or_else(
                        || format!("No response yet; due by {}", format::date(r.deadline)),
                        |response| {
                            format!(
                                "Answered on {}: {}",
                                format::date(response.received_on),
                                response.summary
                            )
                        },
                    ),
                )
            })
            .collect(),
        needs: completed.and_then(|n| n.completed_on).map_or_else(
            || "No needs assessment has been completed".to_owned(),
            |on| format!("Completed on {}", format::date(on)),
        ),
        needs_sections: completed
            .map(|n| {
                n.content
                    .sections
                    .iter()
                    .filter(|(_, answer)| {
                        matches!(answer.severity, Some(Severity::Standard | Severity::Severe))
                    })
                    .map(|(section, answer)| {
                        format!(
                            "{}: {}",
                            section.label(),
                            answer.severity.map_or("", |s| s.label()).to_lowercase()
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    Ok(Gathered {
        hearing: hearing.clone(),
        report,
        facts,
        risk,
        rosh_in_force: level.is_some(),
    })
}

/// The gaps an at-address proposal would meet now, whatever is proposed.
fn gaps(facts: &ProposalFacts, crn: &str) -> Vec<GapView> {
    match check_proposal(&[RequirementKind::Curfew], facts) {
        Ok(()) => Vec::new(),
        Err((kind, found)) => found
            .iter()
            .map(|gap: &ProposalGap| GapView {
                message: gap.message(kind),
                href: gap.link(crn),
                link_text: gap.link_text(),
            })
            .collect(),
    }
}

fn report_facts(g: &Gathered) -> ReportFacts {
    let c = &g.report.content;
    ReportFacts {
        sources_recorded: !c.sources.is_empty(),
        checks_analysis_recorded: !c.checks_analysis.is_empty(),
        checks_answered: matches!(
            g.facts.police,
            keepsafe_domain::court::CheckState::Answered { .. }
        ) && matches!(
            g.facts.childrens_services,
            keepsafe_domain::court::CheckState::Answered { .. }
        ),
        risk_analysis_recorded: !c.risk_analysis.is_empty(),
        rosh_in_force: g.rosh_in_force,
        sentence_proposed: c.proposed_sentence.is_some(),
        justification_recorded: !c.justification.is_empty(),
        due_on: g.report.due_on,
        completed_on: g.report.completed_on,
    }
}

/// The text the form shows for a section: what was typed when the form comes back, else what is
/// saved.
fn section_value(content: &ReportContent, field: &str) -> String {
    match field {
        "sources" => content.sources.as_str(),
        "offence_analysis" => content.offence_analysis.as_str(),
        "risk_analysis" => content.risk_analysis.as_str(),
        "checks_analysis" => content.checks_analysis.as_str(),
        "needs_analysis" => content.needs_analysis.as_str(),
        _ => content.justification.as_str(),
    }
    .to_owned()
}

fn report_page(
    user: &CurrentUser,
    g: &Gathered,
    typed: Option<&FormFields>,
    errors: Vec<FieldError>,
    today: NaiveDate,
) -> ReportPage {
    let report = &g.report;
    let content = &report.content;
    let typed_text = |field: &str| -> String {
        match typed {
            Some(fields) if fields.0.iter().any(|(k, _)| k == field) => fields
                .get(field)
                .chars()
                .take(LongText::MAX_CHARS + 100)
                .collect(),
            _ => section_value(content, field),
        }
    };
    let proposed_codes: Vec<String> = match typed {
        Some(fields) if fields.0.iter().any(|(k, _)| k == "version") => fields
            .0
            .iter()
            .filter(|(k, _)| k == "requirements")
            .map(|(_, v)| v.clone())
            .collect(),
        _ => content
            .proposed_requirements
            .iter()
            .map(|k| k.code().to_owned())
            .collect(),
    };
    let proposed_sentence = match typed {
        Some(fields) if fields.0.iter().any(|(k, _)| k == "version") => {
            fields.get("proposed_sentence").to_owned()
        }
        _ => content
            .proposed_sentence
            .map_or_else(String::new, |s| s.code().to_owned()),
    };
    let adjournment_field = |name: &str| typed.map_or_else(String::new, |f| f.get(name).to_owned());
    let typed_date =
        |name: &str| typed.map_or_else(forms::TypedDate::default, |f| f.typed_date(name));
    let rules = rules();
    ReportPage {
        chrome: Chrome::for_form(
            user,
            format!("{}: {}", report.kind.label(), g.hearing.name),
            &errors,
            "/courts",
        ),
        csrf_token: user.csrf_token.clone(),
        h: HearingView::of(&g.hearing),
        kind: report.kind.label(),
        status: report.status.label(),
        draft: report.status == ReportStatus::Draft,
        version: report.version,
        due: format::date(report.due_on),
        due_how: if report.rule_version == rules.version {
            rules.describe(report.kind)
        } else {
            format!(
                "Worked out by the court rules of version {}",
                report.rule_version
            )
        },
        completed: report.completed_on.map_or_else(String::new, format::date),
        author: report.author.clone(),
        sections: SECTIONS
            .iter()
            .map(|(field, label, hint)| SectionView {
                field,
                label,
                hint,
                value: typed_text(field),
                error: forms::message_for(&errors, field),
            })
            .collect(),
        sentence_types: [
            SentenceType::CommunityOrder,
            SentenceType::SuspendedSentenceOrder,
            SentenceType::DeterminateCustody,
        ]
        .iter()
        .map(|s| (s.code(), s.label()))
        .collect(),
        proposed_sentence,
        requirements: RequirementKind::ALL
            .iter()
            .map(|kind| Choice {
                code: kind.code(),
                label: kind.label(),
                checked: proposed_codes.iter().any(|c| c == kind.code()),
                at_address: keepsafe_domain::court::at_an_address(*kind),
            })
            .collect(),
        gaps: gaps(&g.facts, &g.hearing.crn),
        risk: RiskView {
            rosh: g.risk.rosh.clone(),
            tier: g.risk.tier.clone(),
            checks: g.risk.checks.clone(),
            needs: g.risk.needs.clone(),
            needs_sections: g.risk.needs_sections.clone(),
        },
        indicators: indicators(&report_facts(g), today),
        adjournments: report
            .adjournments
            .iter()
            .map(|a| AdjournmentView {
                asked_on: format::date(a.asked_on),
                reason: a.reason.clone(),
                outcome: match (a.outcome, a.new_hearing_on) {
                    (Some(AdjournmentOutcome::Granted), Some(on)) => {
                        format!("Granted: the hearing is now on {}", format::date(on))
                    }
                    (Some(outcome), _) => outcome.label().to_owned(),
                    (None, _) => "Not yet decided".to_owned(),
                },
                recorded_by: a.recorded_by.clone(),
            })
            .collect(),
        adjournment: typed_date("asked_on"),
        adjournment_reason: adjournment_field("reason"),
        adjournment_outcome: adjournment_field("outcome"),
        new_hearing: typed_date("new_hearing_on"),
        undecided: undecided(report).map(|a| a.id.to_string()),
        decision: adjournment_field("decision"),
        decided_hearing: typed_date("decided_hearing_on"),
        outcomes: AdjournmentOutcome::ALL
            .iter()
            .map(|o| (o.code(), o.label()))
            .collect(),
        errors,
    }
}

/// The latest request to adjourn the court has not decided yet.
fn undecided(report: &ReportRecord) -> Option<&reports::AdjournmentRecord> {
    report
        .adjournments
        .iter()
        .filter(|a| a.outcome.is_none())
        .max_by_key(|a| a.asked_on)
}

/// `POST /court/hearings/{hearing}/report`: starts the report the court asked for.
pub async fn start(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let now = state.clock.now();
    let submission = open_hearing(
        &state,
        &user,
        &id,
        "start_court_report",
        move |conn, hearing| {
            let Ok(kind) = ReportType::parse(posted.get("report_type")) else {
                return Ok(Submission::Refused((
                    hearing.clone(),
                    vec![FieldError::new(
                        "report_type",
                        "Choose the report the court asked for",
                    )],
                )));
            };
            let report = reports::start(
                conn,
                hearing.id,
                kind,
                posted.by,
                hearing.hearing_on,
                &rules(),
                now,
            )?;
            audit::record(
                conn,
                &audit_on(
                    &posted,
                    hearing,
                    "start_court_report",
                    format!("{} {report}", kind.label()),
                ),
                now,
            )?;
            Ok(Submission::Saved(format!(
                "/court/hearings/{}/report",
                hearing.id
            )))
        },
    )
    .await?;
    forms::respond(
        submission,
        |href| Redirect::to(&href),
        |(hearing, errors)| hearing_page(&user, &hearing, None, errors, fields.get("report_type")),
    )
}

/// The audit row of a change to a hearing's report.
fn audit_on(posted: &Posted, hearing: &Hearing, action: &str, detail: String) -> AuditEntry {
    AuditEntry {
        staff_id: Some(posted.by),
        actor: posted.actor_name.clone(),
        action: action.to_owned(),
        outcome: Outcome::Allowed,
        person_id: Some(hearing.person_id),
        crn: Some(hearing.crn.clone()),
        detail,
    }
}

/// `GET /court/hearings/{hearing}/report`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let g = open_hearing(
        &state,
        &user,
        &id,
        "view_court_report",
        move |conn, hearing| gather(conn, hearing, today),
    )
    .await?;
    Ok(render(&report_page(&user, &g, None, Vec::new(), today))?.into_response())
}

/// Reads the form's content, keeping every problem by field.
fn read_content(fields: &FormFields) -> Result<ReportContent, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut text = |field: &str| {
        LongText::optional(fields.get(field))
            .map_err(|e| errors.push(FieldError::new(field, format!("This section {e}"))))
            .unwrap_or_default()
    };
    let sources = text("sources");
    let offence_analysis = text("offence_analysis");
    let risk_analysis = text("risk_analysis");
    let checks_analysis = text("checks_analysis");
    let needs_analysis = text("needs_analysis");
    let justification = text("justification");
    let proposed_sentence = match fields.get("proposed_sentence") {
        "" => None,
        code => match SentenceType::parse(code) {
            Ok(s) if s != SentenceType::AwaitingSentence => Some(s),
            _ => {
                errors.push(FieldError::new(
                    "proposed_sentence",
                    "Choose a sentence from the list",
                ));
                None
            }
        },
    };
    let mut proposed_requirements = Vec::new();
    for (_, code) in fields.0.iter().filter(|(k, _)| k == "requirements") {
        match RequirementKind::parse(code) {
            Ok(kind) if !proposed_requirements.contains(&kind) => proposed_requirements.push(kind),
            Ok(_) => {}
            Err(_) => errors.push(FieldError::new(
                "requirements",
                "Choose requirements from the list",
            )),
        }
    }
    if errors.is_empty() {
        Ok(ReportContent {
            sources,
            offence_analysis,
            risk_analysis,
            checks_analysis,
            needs_analysis,
            proposed_sentence,
            proposed_requirements,
            justification,
        })
    } else {
        Err(errors)
    }
}

/// The proposal's gate as field errors: each missing item, on the requirements.
fn gate(content: &ReportContent, facts: &ProposalFacts) -> Vec<FieldError> {
    match check_proposal(&content.proposed_requirements, facts) {
        Ok(()) => Vec::new(),
        Err((kind, found)) => found
            .iter()
            .map(|gap| FieldError::new("requirements", gap.message(kind)))
            .collect(),
    }
}

/// The form's version, or the error saying to reload.
fn version(fields: &FormFields) -> Result<i32, FieldError> {
    fields.get("version").parse().map_err(|_| {
        FieldError::new(
            "sources",
            "The form is out of date: reload the page and make your changes again",
        )
    })
}

/// Where a report action leads: the page to go to, or the errors to show on the report page.
type Step = Result<String, Vec<FieldError>>;

/// Runs a form posted from a hearing's report page: opens the hearing (the access decision
/// audited), gathers what the report page shows, and runs `work` in the same transaction; then
/// goes where `work` says, or shows the report page again with its errors (and, with
/// `keep_typed`, what was typed).
async fn report_action<F>(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    purpose: &'static str,
    fields: FormFields,
    keep_typed: bool,
    work: F,
) -> Result<Response, AppError>
where
    F: FnOnce(
            &mut AnyConnection,
            &Hearing,
            &Gathered,
            &Posted,
            NaiveDate,
            DateTime<Utc>,
        ) -> Result<Step, AppError>
        + Send
        + 'static,
{
    let posted = Posted::new(user, &fields);
    let today = state.clock.today();
    let now = state.clock.now();
    let submission = open_hearing(state, user, id, purpose, move |conn, hearing| {
        let g = gather(conn, hearing, today)?;
        Ok(match work(conn, hearing, &g, &posted, today, now)? {
            Ok(href) => Submission::Saved(href),
            Err(errors) => Submission::Refused((g, errors)),
        })
    })
    .await?;
    forms::respond(
        submission,
        |href| Redirect::to(&href),
        |(g, errors)| report_page(user, &g, keep_typed.then_some(&fields), errors, today),
    )
}

/// `POST /court/hearings/{hearing}/report/save`: saves the draft; a proposal at an address
/// without the checks and the occupier is refused, everything typed kept.
pub async fn save(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    report_action(
        &state,
        &user,
        &id,
        "save_court_report",
        fields,
        true,
        move |conn, hearing, g, posted, _today, now| {
            let version = match version(posted) {
                Ok(v) => v,
                Err(error) => return Ok(Err(vec![error])),
            };
            let content = match read_content(posted) {
                Ok(content) => content,
                Err(errors) => return Ok(Err(errors)),
            };
            let refused = gate(&content, &g.facts);
            if !refused.is_empty() {
                audit::record(
                    conn,
                    &AuditEntry {
                        outcome: Outcome::Refused,
                        ..audit_on(
                            posted,
                            hearing,
                            "save_court_report",
                            "proposal at an address refused: checks or occupier missing".into(),
                        )
                    },
                    now,
                )?;
                return Ok(Err(refused));
            }
            reports::save_draft(conn, g.report.id, version, &content, now)?;
            audit::record(
                conn,
                &audit_on(
                    posted,
                    hearing,
                    "save_court_report",
                    g.report.id.to_string(),
                ),
                now,
            )?;
            Ok(Ok(format!("/court/hearings/{}/report", hearing.id)))
        },
    )
    .await
}

/// What a report must say before it goes to court, as field errors.
fn missing_for_completion(content: &ReportContent) -> Vec<FieldError> {
    let mut missing = Vec::new();
    for (field, label, _) in SECTIONS {
        if field == "checks_analysis" || field == "needs_analysis" {
            continue;
        }
        if section_value(content, field).is_empty() {
            missing.push(FieldError::new(
                field,
                format!("Write the section “{label}” before submitting the report"),
            ));
        }
    }
    if content.proposed_sentence.is_none() {
        missing.push(FieldError::new(
            "proposed_sentence",
            "Propose a sentence before submitting the report",
        ));
    }
    missing
}

/// `POST /court/hearings/{hearing}/report/complete`: submits the saved report to court.
pub async fn complete(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    report_action(
        &state,
        &user,
        &id,
        "complete_court_report",
        fields,
        false,
        move |conn, hearing, g, posted, today, now| {
            let version = match version(posted) {
                Ok(v) => v,
                Err(error) => return Ok(Err(vec![error])),
            };
            let mut missing = missing_for_completion(&g.report.content);
            missing.extend(gate(&g.report.content, &g.facts));
            if !missing.is_empty() {
                return Ok(Err(missing));
            }
            reports::complete(conn, g.report.id, version, today, now)?;
            audit::record(
                conn,
                &audit_on(
                    posted,
                    hearing,
                    "complete_court_report",
                    g.report.id.to_string(),
                ),
                now,
            )?;
            Ok(Ok(format!("/court/hearings/{}/report", hearing.id)))
        },
    )
    .await
}

/// `POST /court/hearings/{hearing}/adjournments`: records asking the court to adjourn, and what
/// it decided if known.
pub async fn adjournment(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    report_action(
        &state,
        &user,
        &id,
        "record_adjournment",
        fields,
        true,
        move |conn, hearing, g, posted, today, now| {
            let mut errors = Vec::new();
            let asked_on = match posted.date("asked_on", "the date you asked") {
                Ok(day) if day > today || day < hearing.hearing_on => {
                    errors.push(FieldError::new(
                        "asked_on-day",
                        format!(
                            "The date you asked must be between the hearing, {}, and today",
                            format::date(hearing.hearing_on)
                        ),
                    ));
                    None
                }
                Ok(day) => Some(day),
                Err(error) => {
                    errors.push(error);
                    None
                }
            };
            let reason = LongText::required(posted.get("reason"))
                .map_err(|e| {
                    errors.push(FieldError::new(
                        "reason",
                        format!("Say why you asked for an adjournment: {e}"),
                    ))
                })
                .ok();
            let outcome = match posted.get("outcome") {
                "" => None,
                code => AdjournmentOutcome::parse(code)
                    .map_err(|_| {
                        errors.push(FieldError::new(
                            "outcome",
                            "Choose what the court decided, or leave it if not yet known",
                        ))
                    })
                    .ok(),
            };
            let new_hearing_on = match (outcome, posted.filled("new_hearing_on-day")) {
                (Some(AdjournmentOutcome::Granted), _) => posted
                    .date("new_hearing_on", "the date of the adjourned hearing")
                    .map_err(|e| errors.push(e))
                    .ok(),
                _ => None,
            };
            let (Some(asked_on), Some(reason)) = (asked_on, reason) else {
                return Ok(Err(errors));
            };
            if !errors.is_empty() {
                return Ok(Err(errors));
            }
            let adjournment = NewAdjournment {
                asked_on,
                reason,
                outcome,
                new_hearing_on,
            };
            reports::add_adjournment(conn, g.report.id, &adjournment, posted.by, now)?;
            audit::record(
                conn,
                &audit_on(
                    posted,
                    hearing,
                    "record_adjournment",
                    format!("asked on {asked_on}"),
                ),
                now,
            )?;
            Ok(Ok(format!(
                "/court/hearings/{}/report#adjournments",
                hearing.id
            )))
        },
    )
    .await
}

/// Reads the court's decision on a request to adjourn: granted (with the new hearing date, on or
/// after the request) or refused. Every problem is named against its field.
fn read_decision(
    posted: &FormFields,
    asked_on: NaiveDate,
) -> Result<(AdjournmentOutcome, Option<NaiveDate>), Vec<FieldError>> {
    let outcome = AdjournmentOutcome::parse(posted.get("decision")).map_err(|_| {
        vec![FieldError::new(
            "decision",
            "Choose whether the court granted or refused the adjournment",
        )]
    })?;
    if outcome != AdjournmentOutcome::Granted {
        return Ok((outcome, None));
    }
    match posted.date("decided_hearing_on", "the date of the adjourned hearing") {
        Ok(day) if day < asked_on => Err(vec![FieldError::new(
            "decided_hearing_on-day",
            format!(
                "The adjourned hearing must be on or after the day you asked, {}",
                format::date(asked_on)
            ),
        )]),
        Ok(day) => Ok((outcome, Some(day))),
        Err(error) => Err(vec![error]),
    }
}

/// `POST /court/hearings/{hearing}/adjournments/decision`: what the court decided about the
/// latest request to adjourn.
pub async fn adjournment_decision(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    report_action(
        &state,
        &user,
        &id,
        "record_adjournment_decision",
        fields,
        true,
        move |conn, hearing, g, posted, _today, now| {
            let Some(waiting) = undecided(&g.report).cloned() else {
                let error = FieldError::new(
                    "decision",
                    "No request to adjourn is waiting for the court's decision",
                );
                return Ok(Err(vec![error]));
            };
            let (outcome, new_hearing_on) = match read_decision(posted, waiting.asked_on) {
                Ok(decision) => decision,
                Err(errors) => return Ok(Err(errors)),
            };
            reports::record_adjournment_outcome(
                conn,
                g.report.id,
                waiting.id,
                outcome,
                new_hearing_on,
            )?;
            let detail = match new_hearing_on {
                Some(on) => format!(
                    "adjournment {} {}: hearing on {on}",
                    waiting.id,
                    outcome.code()
                ),
                None => format!("adjournment {} {}", waiting.id, outcome.code()),
            };
            audit::record(
                conn,
                &audit_on(posted, hearing, "record_adjournment_decision", detail),
                now,
            )?;
            Ok(Ok(format!(
                "/court/hearings/{}/report#adjournments",
                hearing.id
            )))
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "court/print.html")]
struct PrintPage {
    chrome: Chrome,
    h: HearingView,
    kind: &'static str,
    status: &'static str,
    author: String,
    printed_on: String,
    sections: Vec<(&'static str, String)>,
    proposal: String,
    requirements: Vec<&'static str>,
    risk: RiskView,
}

/// `GET /court/hearings/{hearing}/report/print`: the report on its own, to print for the court.
pub async fn print(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let g = open_hearing(
        &state,
        &user,
        &id,
        "print_court_report",
        move |conn, hearing| gather(conn, hearing, today),
    )
    .await?;
    let content = &g.report.content;
    let page = PrintPage {
        chrome: Chrome::for_user(
            &user,
            format!("{} to print: {}", g.report.kind.label(), g.hearing.name),
            "/courts",
        ),
        h: HearingView::of(&g.hearing),
        kind: g.report.kind.label(),
        status: g.report.status.label(),
        author: g.report.author.clone(),
        printed_on: format::date(today),
        sections: SECTIONS
            .iter()
            .map(|(field, label, _)| (*label, section_value(content, field)))
            .collect(),
        proposal: content.proposed_sentence.map_or_else(
            || "No sentence proposed yet".to_owned(),
            |s| s.label().to_owned(),
        ),
        requirements: content
            .proposed_requirements
            .iter()
            .map(|k| k.label())
            .collect(),
        risk: g.risk,
    };
    Ok(render(&page)?.into_response())
}
