//! `GET /cases/{crn}/risk`: the case's risk of serious harm work in one place — the assessment in
//! force, the draft in progress, the safeguarding checks and the reviews due — and the actions
//! that start them.

use crate::cases::access::{open_case, open_case_for, Need};
use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission};
use crate::layout::{render, Chrome};
use crate::partners::exchange::SendTo;
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{DateTime, NaiveDate, Utc};
use keepsafe_domain::access::{decide, Action};
use keepsafe_domain::checks::CheckKind;
use keepsafe_domain::partner::{PartnerOrganisationKind, RequestStatus};
use keepsafe_domain::review::is_overdue;
use keepsafe_domain::rosh::{AssessmentStatus, RiskGroup};
use keepsafe_domain::CodedValue;
use keepsafe_storage::cases::record::{self as case_record, LocatedCase};
use keepsafe_storage::cases::tasks::{self as review_tasks, TaskRecord};
use keepsafe_storage::partners::{self, StoredOrganisation};
use keepsafe_storage::risk::assessments::{self as rosh_assessments, AssessmentRecord};
use keepsafe_storage::risk::checks::{self, CheckRecord};
use keepsafe_storage::AnyConnection;

#[derive(Template)]
#[template(path = "risk/overview.html")]
struct RiskPage {
    chrome: Chrome,
    name: String,
    crn: String,
    current: Option<AssessmentSummary>,
    in_progress: Option<AssessmentSummary>,
    history: Vec<AssessmentSummary>,
    checks: Vec<CheckLine>,
    tasks: Vec<TaskLine>,
    may_work: bool,
    may_manage: bool,
    errors: Vec<FieldError>,
    kind_error: Option<String>,
    send_to_error: Option<String>,
    open_risks: Vec<String>,
    csrf_token: String,
    /// Partner organisations of the region a check can be sent to: (id, "Name (kind)").
    partners: Vec<(String, String)>,
    /// The police and children's-services checks to send again since the circumstances changed.
    checks_offer: Option<crate::cases::circumstances::ChecksOfferView>,
    /// The predictors recorded from an external assessment.
    predictors: crate::risk::predictors::PredictorsSection,
    /// Where the needs assessment and the sentence plan stand, one sentence each.
    needs_status: String,
    plan_status: String,
}

pub struct AssessmentSummary {
    pub id: String,
    pub status: String,
    pub level: String,
    pub levels: Vec<(String, String)>,
    pub started: String,
    pub completed: String,
    pub countersigned: String,
}

pub struct CheckLine {
    pub id: String,
    pub kind: String,
    pub address: String,
    pub requested: String,
    pub due: String,
    pub rule: String,
    pub status: String,
    pub status_colour: &'static str,
    pub response: String,
    pub awaiting: bool,
    pub overdue: bool,
    pub authorisation: String,
    /// Sent to a partner and still outstanding: the practitioner may withdraw it.
    pub withdrawable: bool,
    /// Files attached to the answer: (position, "name (type, size)").
    pub attachments: Vec<(i32, String)>,
}

pub struct TaskLine {
    pub trigger: String,
    pub details: String,
    pub occurred: String,
    pub due: String,
    pub overdue: bool,
    pub done: String,
    pub rule: String,
}

fn summary(record: &AssessmentRecord) -> AssessmentSummary {
    AssessmentSummary {
        id: record.id.to_string(),
        status: record.status.label().to_owned(),
        level: record
            .case_level
            .map(|l| l.label().to_owned())
            .unwrap_or_else(|| "Not decided".into()),
        levels: RiskGroup::for_case(record.case_type)
            .into_iter()
            .map(|group| {
                (
                    group.label().to_owned(),
                    record
                        .content
                        .level_for(group)
                        .map(|l| l.label().to_owned())
                        .unwrap_or_else(|| "Not given".into()),
                )
            })
            .collect(),
        started: format!(
            "{} by {}",
            format::date_time(record.created_at),
            record.created_by
        ),
        completed: match (&record.completed_by, record.completed_at) {
            (Some(by), Some(at)) => format!("{} by {by}", format::date_time(at)),
            _ => String::new(),
        },
        countersigned: match (&record.countersigned_by, record.countersigned_at) {
            (Some(by), Some(at)) => format!("{} by {by}", format::date_time(at)),
            _ => String::new(),
        },
    }
}

pub fn check_line(check: &CheckRecord, today: NaiveDate) -> CheckLine {
    let closed_unanswered = check
        .partner
        .as_ref()
        .is_some_and(|p| matches!(p.status, RequestStatus::Declined | RequestStatus::Withdrawn));
    let overdue = check.response.is_none() && !closed_unanswered && today > check.deadline;
    let (status, status_colour) = match (&check.response, &check.authorised_without) {
        (None, _) if closed_unanswered => match check.partner.as_ref().map(|p| p.status) {
            Some(RequestStatus::Declined) => ("Declined by the partner", "govuk-tag--red"),
            _ => ("Withdrawn", "govuk-tag--grey"),
        },
        // An answer after its deadline is said to be late, in words: the partner statistics count it.
        (Some(response), _) if is_overdue(check.deadline, response.received_on) => {
            ("Answered late", "govuk-tag--orange")
        }
        (Some(_), _) => ("Response received", "govuk-tag--green"),
        (None, Some(_)) => (
            "Overdue: completion authorised without it",
            "govuk-tag--orange",
        ),
        (None, None) if overdue => ("Overdue", "govuk-tag--red"),
        (None, None) => ("Awaiting response", "govuk-tag--blue"),
    };
    CheckLine {
        attachments: check
            .attachments
            .iter()
            .map(|(position, a)| {
                (
                    *position,
                    format!(
                        "{} ({}, {})",
                        a.file_name,
                        a.media_type.label(),
                        format::file_size(a.size_bytes)
                    ),
                )
            })
            .collect(),
        id: check.id.to_string(),
        kind: check.label().to_owned(),
        address: check.address_description.clone(),
        requested: match &check.partner {
            Some(p) => format!(
                "{} by {}, sent to {}{}",
                format::short_date(check.requested_on),
                check.requested_by,
                p.organisation,
                p.acknowledged_on
                    .map(|d| format!("; acknowledged {}", format::short_date(d)))
                    .unwrap_or_default()
            ),
            None => format!(
                "{} by {}",
                format::short_date(check.requested_on),
                check.requested_by
            ),
        },
        due: format::short_date(check.deadline),
        rule: check.deadline_rule.clone(),
        status: status.to_owned(),
        status_colour,
        response: check
            .response
            .as_ref()
            .map(|r| {
                format!(
                    "Received {}{}{}: {}",
                    format::short_date(r.received_on),
                    check
                        .partner
                        .as_ref()
                        .and_then(|p| p.responded_by.as_ref())
                        .map(|by| format!(" from {by} through keepsafe"))
                        .unwrap_or_default(),
                    if r.known_to_agency {
                        " (known to the agency)"
                    } else {
                        " (not known)"
                    },
                    r.summary
                )
            })
            .unwrap_or_default(),
        awaiting: check.response.is_none() && !closed_unanswered,
        withdrawable: check
            .partner
            .as_ref()
            .is_some_and(|p| p.status.is_outstanding()),
        overdue,
        authorisation: check
            .authorised_without
            .as_ref()
            .map(|a| {
                format!(
                    "Authorised by {} on {}: {}",
                    a.by,
                    format::short_date(a.on),
                    a.reason
                )
            })
            .unwrap_or_default(),
    }
}

pub fn task_line(task: &TaskRecord, today: NaiveDate) -> TaskLine {
    TaskLine {
        trigger: task.trigger.label().to_owned(),
        details: task.details.clone(),
        occurred: format::short_date(task.occurred_on),
        due: format::short_date(task.due_on),
        overdue: task.completed_on.is_none() && is_overdue(task.due_on, today),
        done: task
            .completed_on
            .map(|d| format!("Reviewed {}", format::short_date(d)))
            .unwrap_or_default(),
        rule: task.rule_version.clone(),
    }
}

/// Open risks the case shows: completion authorised without a response that has not arrived, or
/// that arrived after the assessment was completed and has not been reviewed.
pub fn open_risks(current: Option<&AssessmentRecord>, checks: &[CheckRecord]) -> Vec<String> {
    let completed_on = current.and_then(|a| a.completed_at).map(|t| t.date());
    checks
        .iter()
        .filter(|c| c.authorised_without.is_some())
        .filter(|c| match (&c.response, completed_on) {
            (None, _) => true,
            (Some(r), Some(done)) => r.received_on >= done,
            (Some(_), None) => false,
        })
        .filter_map(|c| match c.check_kind()? {
            CheckKind::PoliceDomesticAbuse => {
                Some("Assessed without police information".to_owned())
            }
            CheckKind::ChildrensServices => {
                Some("Assessed without children's services information".to_owned())
            }
        })
        .collect()
}

struct RiskData {
    name: String,
    crn: String,
    partners: Vec<StoredOrganisation>,
    assessments: Vec<AssessmentRecord>,
    checks: Vec<CheckRecord>,
    tasks: Vec<TaskRecord>,
    /// The checks to send again since the circumstances changed (see [`crate::cases::circumstances`]).
    checks_offer: Option<keepsafe_domain::review::ChecksOffer>,
    predictors: crate::risk::predictors::PredictorsSection,
    needs_status: String,
    plan_status: String,
}

fn load(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    today: NaiveDate,
) -> Result<RiskData, AppError> {
    let (name, crn) = case_record::heading(conn, case.person_id)?;
    Ok(RiskData {
        checks_offer: keepsafe_storage::cases::consequences::checks_offer(
            conn,
            case.person_id,
            today,
        )?,
        partners: partners::organisations_in_region(conn, case.location.region)?,
        name,
        crn,
        assessments: rosh_assessments::for_person(conn, case.person_id)?,
        checks: checks::for_person(conn, case.person_id)?,
        tasks: review_tasks::for_person(conn, case.person_id)?,
        predictors: crate::risk::predictors::section(conn, case.person_id, today)?,
        needs_status: crate::needs::overview::status_for_risk_page(conn, case.person_id, today)?,
        plan_status: crate::plans::page::status_for_risk_page(conn, case.person_id)?,
    })
}

fn page(
    user: &CurrentUser,
    data: RiskData,
    location: &keepsafe_domain::access::CaseLocation,
    errors: Vec<FieldError>,
    today: NaiveDate,
) -> RiskPage {
    let actor = user.account.actor();
    let current = data
        .assessments
        .iter()
        .find(|a| a.status == AssessmentStatus::Completed);
    let in_progress = data.assessments.iter().find(|a| {
        matches!(
            a.status,
            AssessmentStatus::Draft | AssessmentStatus::AwaitingCountersignature
        )
    });
    RiskPage {
        chrome: Chrome::for_form(
            user,
            format!("Risk of serious harm: {}", data.crn),
            &errors,
            "",
        ),
        open_risks: open_risks(current, &data.checks),
        current: current.map(summary),
        in_progress: in_progress.map(summary),
        history: data
            .assessments
            .iter()
            .filter(|a| a.status == AssessmentStatus::Superseded)
            .map(summary)
            .collect(),
        checks: data.checks.iter().map(|c| check_line(c, today)).collect(),
        tasks: data.tasks.iter().map(|t| task_line(t, today)).collect(),
        checks_offer: data
            .checks_offer
            .as_ref()
            .filter(|_| decide(&actor, Action::WorkOnCase(location)).is_allowed())
            .map(|o| {
                crate::cases::circumstances::ChecksOfferView::new(o, &data.crn, &user.csrf_token)
            }),
        predictors: data.predictors,
        needs_status: data.needs_status,
        plan_status: data.plan_status,
        may_work: decide(&actor, Action::WorkOnCase(location)).is_allowed(),
        may_manage: decide(&actor, Action::ManageCaseRisk(location)).is_allowed(),
        name: data.name,
        crn: data.crn,
        kind_error: forms::message_for(&errors, "kind"),
        send_to_error: forms::message_for(&errors, "send-to"),
        errors,
        csrf_token: user.csrf_token.clone(),
        partners: data
            .partners
            .iter()
            .filter(|p| p.organisation.kind != PartnerOrganisationKind::AdultSocialCare)
            .map(|p| {
                (
                    p.organisation.id.to_string(),
                    format!(
                        "{} ({})",
                        p.organisation.name.as_str(),
                        p.organisation.kind.label().to_lowercase()
                    ),
                )
            })
            .collect(),
    }
}

/// `GET /cases/{crn}/risk`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let (data, location) = open_case(&state, &user, &crn, "view_risk", move |conn, case| {
        Ok((load(conn, case, today)?, case.location.clone()))
    })
    .await?;
    Ok(render(&page(&user, data, &location, Vec::new(), today))?.into_response())
}

/// `POST /cases/{crn}/checks`: requests a check for the person and their current address.
pub async fn request_check(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let posted = Posted::new(&user, &fields);
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "request_check",
        Need::Work,
        move |conn, case| {
            let refused = |conn: &mut AnyConnection, error| {
                Ok(Submission::Refused((
                    load(conn, case, today)?,
                    case.location.clone(),
                    error,
                )))
            };
            let Ok(kind) = CheckKind::parse(posted.get("kind")) else {
                return refused(conn, FieldError::new("kind", "Select the check to request"));
            };
            let now = state.clock.now();
            let address = case_record::current_address(conn, case.person_id, now.date_naive())?;
            if let Err(message) = crate::partners::exchange::request_check(
                conn,
                case,
                kind.into(),
                SendTo::parse(posted.get("send-to")),
                address,
                (posted.by, &posted.actor_name),
                now,
            )? {
                return refused(conn, FieldError::new("send-to", message));
            }
            Ok(Submission::Saved(()))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |()| Redirect::to(&format!("/cases/{crn}/risk#checks")),
        |(data, location, error)| page(&user, data, &location, vec![error], today),
    )
}

/// Recomputes what depends on the risk picture (the tiers read the RoSH level) after it changes,
/// in the same transaction as the change.
pub fn after_risk_change(
    conn: &mut AnyConnection,
    person_id: uuid::Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    keepsafe_storage::risk::scores::recompute(conn, &[person_id], now.date_naive(), now)?;
    Ok(())
}
