//! What a partner does with a request, whether through the portal or the API: open it, acknowledge
//! it, answer it or decline it. One path for both, so the rules, the audit rows and what follows an
//! answer (a review of the risk assessment when the answer reveals concerns) cannot differ between
//! them.
//!
//! Every function runs inside the caller's writing transaction. Refusals come back as
//! `Ok(Err(..))` so the caller's transaction commits the audit row before the refusal is shown.

use crate::error::AppError;
use chrono::{DateTime, Utc};
use keepsafe_domain::partner::{
    decide, CheckRequest, DeclineReason, PartnerAction, PartnerDecision, PartnerPrincipal,
    PartnerRefusal, PartnerResponse, PartnerView, ResponseForm, TransitionRefused,
};
use keepsafe_domain::review::{ReviewRules, ReviewTrigger};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::partners::{self, StoredRequest};
use keepsafe_storage::review_tasks::{self, NewTask};
use keepsafe_storage::{rosh_assessments, AnyConnection, StorageError};
use uuid::Uuid;

/// Who is acting for the partner, as the audit log and the request record name them.
#[derive(Debug, Clone)]
pub struct Acting {
    pub principal: PartnerPrincipal,
    /// The staff id of a partner user (audit rows name it); `None` for an API client.
    pub staff_id: Option<Uuid>,
    /// "police.demo" or "api:Force records system".
    pub audit_name: String,
    /// "Sam Jones (Midshire Police)", written on the request as who answered.
    pub display: String,
}

/// Why a partner's action did not happen.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// No such request, or not one this partner may know exists.
    NotFound,
    /// The domain refused (audit-logged).
    Refused(PartnerRefusal),
    /// The request's state does not allow it (answered, withdrawn …).
    Transition(String),
    /// The answer itself is not valid: field path and message.
    Invalid(Vec<(String, String)>),
    /// Someone else changed the request at the same moment.
    Conflict(String),
}

/// What the partner is doing.
#[derive(Debug, Clone)]
pub enum Answer {
    Acknowledge,
    Respond(ResponseForm),
    Decline { reason: String, detail: String },
}

fn audit_row(
    conn: &mut AnyConnection,
    acting: &Acting,
    action: &str,
    outcome: Outcome,
    stored: Option<&StoredRequest>,
    detail: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    audit::record(
        conn,
        &AuditEntry {
            staff_id: acting.staff_id,
            actor: acting.audit_name.clone(),
            action: action.to_owned(),
            outcome,
            person_id: stored.map(|s| s.person_id),
            crn: stored.map(|s| s.request.crn.as_str().to_owned()),
            detail,
        },
        now,
    )?;
    Ok(())
}

/// Which partner action is being authorised.
#[derive(Debug, Clone, Copy)]
enum Step {
    View,
    Acknowledge,
    Respond,
    Decline,
}

/// Loads a request and asks the domain whether the partner may take `action` on it; refusals are
/// audited. An unknown request and one of another organisation's look alike to the partner.
fn authorised(
    conn: &mut AnyConnection,
    acting: &Acting,
    request_id: Uuid,
    purpose: &str,
    action: Step,
    now: DateTime<Utc>,
) -> Result<Result<StoredRequest, Failure>, AppError> {
    let stored = match partners::request(conn, request_id) {
        Ok(stored) => stored,
        Err(StorageError::NotFound) => {
            audit_row(
                conn,
                acting,
                purpose,
                Outcome::Refused,
                None,
                format!("request {request_id}: not found"),
                now,
            )?;
            return Ok(Err(Failure::NotFound));
        }
        Err(other) => return Err(other.into()),
    };
    let request = &stored.request;
    let action = match action {
        Step::View => PartnerAction::ViewRequest(request),
        Step::Acknowledge => PartnerAction::Acknowledge(request),
        Step::Respond => PartnerAction::Respond(request),
        Step::Decline => PartnerAction::Decline(request),
    };
    match decide(&acting.principal, action, now) {
        PartnerDecision::Allowed => Ok(Ok(stored)),
        PartnerDecision::Refused(refusal) => {
            // The refusal is logged against the request, but not with the person: the partner
            // learnt nothing of them.
            audit_row(
                conn,
                acting,
                purpose,
                Outcome::Refused,
                None,
                format!("request {request_id} ({})", refusal.code()),
                now,
            )?;
            Ok(Err(Failure::Refused(refusal)))
        }
    }
}

/// Opens a request for the partner: what they may see of it, audit-logged as a read of the
/// person's details.
pub fn open(
    conn: &mut AnyConnection,
    acting: &Acting,
    request_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Result<(StoredRequest, Option<PartnerView>), Failure>, AppError> {
    let stored = match authorised(
        conn,
        acting,
        request_id,
        "partner_view_request",
        Step::View,
        now,
    )? {
        Ok(stored) => stored,
        Err(failure) => return Ok(Err(failure)),
    };
    let today = now.date_naive();
    let details = partners::shareable_details(conn, &stored, today)?;
    let view = PartnerView::project(&stored.request, &details, today);
    audit_row(
        conn,
        acting,
        "partner_view_request",
        Outcome::Allowed,
        Some(&stored),
        format!(
            "{} ({}){}",
            stored.request.request_type.code(),
            stored.request.status().code(),
            if view.is_some() {
                "; person's details shown"
            } else {
                "; closed, no personal details shown"
            }
        ),
        now,
    )?;
    Ok(Ok((stored, view)))
}

/// Acknowledges, answers or declines a request for the partner, stores the new state, writes the
/// audit row and, when an answer reveals incidents or involvement while a risk assessment is in
/// force, creates the review task that makes the practitioner look again.
pub fn act(
    conn: &mut AnyConnection,
    acting: &Acting,
    request_id: Uuid,
    answer: &Answer,
    now: DateTime<Utc>,
) -> Result<Result<StoredRequest, Failure>, AppError> {
    let (purpose, action) = match answer {
        Answer::Acknowledge => ("partner_acknowledge", Step::Acknowledge),
        Answer::Respond(_) => ("partner_respond", Step::Respond),
        Answer::Decline { .. } => ("partner_decline", Step::Decline),
    };
    let stored = match authorised(conn, acting, request_id, purpose, action, now)? {
        Ok(stored) => stored,
        Err(failure) => return Ok(Err(failure)),
    };
    let today = now.date_naive();
    let before = stored.request.status();
    let transitioned: Result<CheckRequest, TransitionRefused> = match answer {
        Answer::Acknowledge => stored.request.acknowledge(today),
        Answer::Respond(form) => {
            match PartnerResponse::parse(form, stored.request.request_type, today) {
                Ok(response) => stored.request.respond(response, today, today),
                Err(invalid) => {
                    return Ok(Err(Failure::Invalid(
                        invalid
                            .0
                            .into_iter()
                            .map(|e| (e.field, e.message))
                            .collect(),
                    )))
                }
            }
        }
        Answer::Decline { reason, detail } => match DeclineReason::parse(reason) {
            Ok(reason) => stored.request.decline(reason, detail, today),
            Err(_) => {
                return Ok(Err(Failure::Invalid(vec![(
                    "reason".into(),
                    "Select why you are declining the request".into(),
                )])))
            }
        },
    };
    let after = match transitioned {
        Ok(after) => after,
        Err(refused) => return Ok(Err(Failure::Transition(refused.to_string()))),
    };
    match partners::store_transition(conn, before, &after, &acting.display) {
        Ok(()) => {}
        Err(StorageError::Conflict(message)) => return Ok(Err(Failure::Conflict(message))),
        Err(other) => return Err(other.into()),
    }
    let mut detail = format!("{} → {}", before.code(), after.status().code());
    if let keepsafe_domain::partner::RequestState::Responded { response, .. } = &after.state {
        if let Some(concerns) = response.concerns() {
            detail.push_str("; reveals concerns");
            if rosh_assessments::current(conn, stored.person_id)?.is_some() {
                let rules = ReviewRules::default();
                review_tasks::create(
                    conn,
                    &NewTask {
                        person_id: stored.person_id,
                        trigger: ReviewTrigger::PartnerInformation,
                        occurred_on: today,
                        details: format!(
                            "{} from {}: {}",
                            after.request_type.label(),
                            after.recipient.name.as_str(),
                            concerns.summary().chars().take(300).collect::<String>()
                        ),
                        due_on: rules.due(ReviewTrigger::PartnerInformation, today),
                        rule_version: rules.version.to_owned(),
                        created_by: acting.staff_id,
                    },
                    now,
                )?;
                detail.push_str("; review task created");
            }
        }
    }
    audit_row(
        conn,
        acting,
        purpose,
        Outcome::Allowed,
        Some(&stored),
        detail,
        now,
    )?;
    Ok(Ok(StoredRequest {
        request: after,
        ..stored
    }))
}
