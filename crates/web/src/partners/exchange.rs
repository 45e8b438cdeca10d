//! Requests to partners, in one place for every page and the API: a practitioner's request for a
//! check ([`request_check`], from the risk page or in bulk), and what a partner does with it —
//! open it, acknowledge it, answer it or decline it — whether through the portal or the API. One
//! path for each, so the rules, the audit rows and what follows an answer (a review of the risk
//! assessment when the answer reveals concerns) cannot differ between them.
//!
//! Every function runs inside the caller's writing transaction. Refusals come back as
//! `Ok(Err(..))` so the caller's transaction commits the audit row before the refusal is shown.

use crate::error::AppError;
use chrono::{DateTime, Utc};
use keepsafe_domain::calendar::CALENDAR_RULE_VERSION;
use keepsafe_domain::checks::CheckDeadlineRules;
use keepsafe_domain::crn::Crn;
use keepsafe_domain::partner::{
    decide, CheckRequest, DeadlineRules, DeclineReason, PartnerAction, PartnerDecision,
    PartnerPrincipal, PartnerRefusal, PartnerResponse, PartnerView, RequestType, ResponseForm,
    TransitionRefused,
};
use keepsafe_domain::review::{ReviewRules, ReviewTrigger};
use keepsafe_domain::rosh::AddressFact;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::cases::record::LocatedCase;
use keepsafe_storage::cases::tasks::{self, NewTask};
use keepsafe_storage::partners::{self, StoredRequest};
use keepsafe_storage::risk::assessments;
use keepsafe_storage::risk::checks::{self, NewCheck};
use keepsafe_storage::{AnyConnection, StorageError};
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
    /// The answer, and the bytes of each file its `attachments` describe, in the same order.
    Respond(ResponseForm, Vec<Vec<u8>>),
    Decline {
        reason: String,
        detail: String,
    },
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

/// The attachments whose bytes are not the type declared for them (or are not the size declared),
/// as field errors; empty when every file is what it says.
fn unlike_their_type(response: &PartnerResponse, files: &[Vec<u8>]) -> Vec<(String, String)> {
    response
        .attachments
        .iter()
        .zip(files)
        .enumerate()
        .filter(|(_, (attachment, bytes))| {
            !attachment.media_type.matches_content(bytes)
                || attachment.size_bytes != bytes.len() as u64
        })
        .map(|(i, (attachment, _))| {
            (
                format!("attachments[{i}].file"),
                format!(
                    "{} is not a {} file: attach it in one of the accepted types (PDF, PNG, JPEG \
                     or plain text)",
                    attachment.file_name,
                    attachment.media_type.file_kind()
                ),
            )
        })
        .collect()
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
        Answer::Respond(..) => ("partner_respond", Step::Respond),
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
        Answer::Respond(form, files) => {
            match PartnerResponse::parse(form, stored.request.request_type, today) {
                Ok(response) => {
                    let unlike = unlike_their_type(&response, files);
                    if !unlike.is_empty() {
                        return Ok(Err(Failure::Invalid(unlike)));
                    }
                    stored.request.respond(response, today, today)
                }
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
    if let (
        keepsafe_domain::partner::RequestState::Responded { response, .. },
        Answer::Respond(_, files),
    ) = (&after.state, answer)
    {
        partners::store_attachments(conn, after.id, &response.attachments, files)?;
        if !files.is_empty() {
            detail.push_str(&format!("; {} file(s) attached", files.len()));
        }
    }
    if let keepsafe_domain::partner::RequestState::Responded { response, .. } = &after.state {
        keepsafe_storage::supervision::contacts::record_check_answered(
            conn,
            after.id,
            acting.staff_id,
            &acting.display,
            now,
        )?;
        if let Some(concerns) = response.concerns() {
            detail.push_str("; reveals concerns");
            if assessments::current(conn, stored.person_id)?.is_some() {
                let rules = ReviewRules::default();
                tasks::create(
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

/// Where a practitioner sends a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendTo {
    /// The partner organisation of the case's region that holds the records asked about.
    Auto,
    /// A chosen partner organisation.
    Organisation(Uuid),
    /// Nowhere: the check was made outside keepsafe and is being recorded.
    Outside,
}

impl SendTo {
    /// The form's `send-to` value: "auto" (or nothing), "outside", or an organisation's id. An
    /// unreadable id is kept as the nil id, which matches no organisation and is refused.
    pub fn parse(raw: &str) -> Self {
        match raw {
            "" | "auto" => SendTo::Auto,
            "outside" => SendTo::Outside,
            id => SendTo::Organisation(Uuid::parse_str(id).unwrap_or_default()),
        }
    }
}

/// Requests a check for the person and their current address: sent to a partner through keepsafe
/// (with the partner deadline rules) or recorded as made outside keepsafe (with the check deadline
/// rules), with the audit row. `Ok(Err(message))` says why the recipient was refused, changing
/// nothing. `by` is the requesting member of staff and their audit name.
pub fn request_check(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    request_type: RequestType,
    send_to: SendTo,
    address: Option<AddressFact>,
    by: (Uuid, &str),
    now: DateTime<Utc>,
) -> Result<Result<Uuid, String>, AppError> {
    let today = now.date_naive();
    let recipient = match send_to {
        SendTo::Outside if request_type.check_kind().is_none() => {
            return Ok(Err(format!(
                "An {} is sent to a partner; what you learn about the occupier yourself is \
                 recorded in the address check",
                request_type.label().to_lowercase()
            )))
        }
        SendTo::Outside => None,
        SendTo::Auto => {
            let found = partners::organisations_in_region(conn, case.location.region)?
                .into_iter()
                .map(|p| p.organisation)
                .find(|org| request_type.can_be_sent_to(org.kind));
            match found {
                Some(org) => Some(org),
                None => {
                    return Ok(Err(format!(
                        "No partner organisation in this region takes {} requests: choose \
                         \"made outside keepsafe\" and record the request you make",
                        request_type.label().to_lowercase()
                    )))
                }
            }
        }
        SendTo::Organisation(id) => match partners::organisation_by_id(conn, id) {
            Ok(org) if org.region_id == case.location.region => Some(org.organisation),
            Ok(_) | Err(StorageError::NotFound) => {
                return Ok(Err("Choose a partner organisation from the list".into()))
            }
            Err(other) => return Err(other.into()),
        },
    };
    let address_id = address.as_ref().map(|a| a.id);
    let (deadline, deadline_rule) = match &recipient {
        Some(org) => {
            let crn = Crn::parse(&case.crn).map_err(|e| AppError::Internal(e.to_string()))?;
            let rules = partners::deadline_rules(conn, DeadlineRules::reference())?;
            // The domain decides whether this partner can take the request.
            if let Err(refused) =
                CheckRequest::draft(Uuid::new_v4(), crn, request_type, org.clone(), address_id)
                    .and_then(|draft| draft.send(&rules, today))
            {
                return Ok(Err(refused.to_string()));
            }
            let deadline = rules.deadline(request_type, org, today);
            (
                deadline.due_by,
                format!(
                    "{} working days, {} ({CALENDAR_RULE_VERSION})",
                    deadline.working_days, deadline.explanation.rule_version
                ),
            )
        }
        None => {
            let rules = CheckDeadlineRules::default();
            let kind = request_type
                .check_kind()
                .ok_or_else(|| AppError::Internal("an occupier check recorded outside".into()))?;
            (
                rules.deadline(kind, today),
                format!(
                    "{} working days, {} ({CALENDAR_RULE_VERSION})",
                    rules.working_days(kind),
                    rules.version
                ),
            )
        }
    };
    let check_id = checks::request(
        conn,
        &NewCheck {
            person_id: case.person_id,
            kind: request_type,
            address_id,
            address_description: address
                .map(|a| a.description)
                .unwrap_or_else(|| "No current address recorded".to_owned()),
            requested_on: today,
            deadline,
            deadline_rule,
            requested_by: by.0,
        },
        now,
    )?;
    if let Some(org) = &recipient {
        partners::send_to(conn, check_id, org.id)?;
    }
    audit::record(
        conn,
        &AuditEntry::on_case(
            by.0,
            by.1.to_owned(),
            "request_check",
            case,
            match &recipient {
                Some(org) => format!("{} sent to {}", request_type.code(), org.code.as_str()),
                None => format!("{} recorded (made outside keepsafe)", request_type.code()),
            },
        ),
        now,
    )?;
    Ok(Ok(check_id))
}
