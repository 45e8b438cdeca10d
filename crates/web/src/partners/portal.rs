//! The partner portal (`/partner`): a police force's or local authority's users see the queue of
//! requests sent to their organisation, open one to see just what they need to search their own
//! records, and acknowledge, answer or decline it. Nothing else in keepsafe is reachable for them:
//! the route guard keeps partner users inside these routes ([`crate::routes::Access::Partner`]).

use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, FormWithFiles, Submission};
use crate::layout::{render, Chrome};
use crate::partners::exchange::{self, Acting, Answer, Failure};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Redirect, Response};
use axum::Form;
use keepsafe_domain::partner::{
    AttachmentForm, DeclineReason, IncidentForm, IncidentKind, Involvement, PartnerPrincipal,
    PartnerUser, PartnerView, RequestState, RequestType, ResponseForm,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::partners::{self, StoredRequest};
use serde::Deserialize;
use uuid::Uuid;

/// Requests per page of the queue.
const PAGE_SIZE: i64 = 50;
/// Incident rows on the response form.
const INCIDENT_ROWS: usize = 3;

/// Who is acting, for a signed-in partner user; `None` for anyone else (the guard keeps them out).
pub fn acting(user: &CurrentUser) -> Result<Acting, AppError> {
    let (organisation_id, role) = user.account.partner.ok_or_else(|| {
        AppError::Refused("The partner portal is for users of partner organisations.".into())
    })?;
    Ok(Acting {
        principal: PartnerPrincipal::User(PartnerUser {
            user_id: user.account.id,
            organisation_id,
            role,
        }),
        staff_id: Some(user.account.id),
        audit_name: user.audit_name(),
        display: user.account.display_name(),
    })
}

struct QueueRow {
    id: String,
    reference: String,
    kind: String,
    name: String,
    sent: String,
    due: String,
    overdue: bool,
    status: String,
    /// "Reminder sent 3 Dec", when keepsafe has reminded the organisation.
    reminded: String,
}

#[derive(Template)]
#[template(path = "partners/queue.html")]
struct QueuePage {
    chrome: Chrome,
    organisation: String,
    total: i64,
    rows: Vec<QueueRow>,
    previous: Option<i64>,
    next: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    page: Option<i64>,
}

/// `GET /partner`: the organisation's outstanding requests, soonest due first.
pub async fn queue(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(query): Query<QueueQuery>,
) -> Result<Html<String>, AppError> {
    let acting = acting(&user)?;
    let organisation_id = acting.principal.organisation_id();
    let page = query.page.unwrap_or(1).max(1);
    let (organisation, total, requests, names, reminders) = state
        .write(move |conn| {
            let organisation = partners::organisation_by_id(conn, organisation_id)?;
            let total = partners::queue_len(conn, organisation_id)?;
            let requests =
                partners::queue(conn, organisation_id, (page - 1) * PAGE_SIZE, PAGE_SIZE)?;
            let today = state.clock.today();
            let ids: Vec<Uuid> = requests.iter().map(|r| r.request.id).collect();
            let reminders = partners::reminders_for(conn, &ids)?;
            let names: Vec<String> = partners::shareable_details_for(conn, &requests, today)?
                .into_iter()
                .map(|d| d.name)
                .collect();
            audit::record(
                conn,
                &AuditEntry {
                    staff_id: acting.staff_id,
                    actor: acting.audit_name.clone(),
                    action: "partner_view_queue".into(),
                    outcome: Outcome::Allowed,
                    person_id: None,
                    crn: None,
                    detail: format!("{} requests listed (page {page})", requests.len()),
                },
                state.clock.now(),
            )?;
            Ok((organisation, total, requests, names, reminders))
        })
        .await?;
    let today = state.clock.today();
    let rows = requests
        .iter()
        .zip(names)
        .filter_map(|(r, name)| {
            let sent = r.request.state.sent()?;
            Some(QueueRow {
                id: r.request.id.to_string(),
                reference: short_reference(r.request.id),
                kind: r.request.request_type.label().to_owned(),
                name,
                sent: format::short_date(sent.sent_on),
                due: format::short_date(sent.due_by),
                overdue: today > sent.due_by,
                status: r.request.status().label().to_owned(),
                reminded: reminders
                    .get(&r.request.id)
                    .and_then(|list| list.iter().rfind(|(key, _)| !key.starts_with("escalation")))
                    .map(|(_, on)| format!("Reminder sent {}", format::short_date(*on)))
                    .unwrap_or_default(),
            })
        })
        .collect();
    render(&QueuePage {
        chrome: Chrome::for_user(&user, "Requests", "/partner"),
        organisation: organisation.organisation.name.as_str().to_owned(),
        total,
        rows,
        previous: (page > 1).then_some(page - 1),
        next: (page * PAGE_SIZE < total).then_some(page + 1),
    })
}

/// The reference partners quote: the first block of the request id, upper case.
pub fn short_reference(id: Uuid) -> String {
    id.simple().to_string()[..8].to_ascii_uppercase()
}

struct IncidentRow {
    index: usize,
    day: String,
    month: String,
    year: String,
    kind: String,
    summary: String,
    /// The first problem with this row, shown beside it.
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "partners/request.html")]
struct RequestPage {
    chrome: Chrome,
    csrf_token: String,
    id: String,
    reference: String,
    kind: String,
    status: String,
    view: Option<PartnerView>,
    residents: Vec<(String, String)>,
    sent: String,
    due: String,
    acknowledged: bool,
    answer_summary: Option<String>,
    asks_involvement: bool,
    incident_kinds: Vec<(&'static str, &'static str)>,
    involvements: Vec<(&'static str, &'static str, bool)>,
    decline_reasons: Vec<(&'static str, &'static str)>,
    known: String,
    known_error: Option<String>,
    /// Every problem with the chosen files, together (the file input cannot keep a choice).
    attachments_error: Option<String>,
    /// The files attached to the answer: (name, type).
    attached: Vec<(String, String)>,
    incidents: Vec<IncidentRow>,
    risk_notes: String,
    free_text: String,
    errors: Vec<FieldError>,
}

fn request_page(
    user: &CurrentUser,
    stored: &StoredRequest,
    view: Option<PartnerView>,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> RequestPage {
    let request = &stored.request;
    let sent = request.state.sent();
    let answer_summary = match &request.state {
        RequestState::Responded {
            responded_on,
            response,
            ..
        } => Some(format!(
            "Answered on {}: {}",
            format::short_date(*responded_on),
            partners::response_summary(response)
        )),
        RequestState::Declined {
            declined_on,
            reason,
            ..
        } => Some(format!(
            "Declined on {}: {}",
            format::short_date(*declined_on),
            reason.label()
        )),
        RequestState::Withdrawn { withdrawn_on, .. } => Some(format!(
            "Withdrawn by the probation service on {}",
            format::short_date(*withdrawn_on)
        )),
        _ => None,
    };
    let chosen: Vec<&str> = fields
        .0
        .iter()
        .filter(|(k, _)| k == "involvement")
        .map(|(_, v)| v.as_str())
        .collect();
    RequestPage {
        chrome: Chrome::for_form(
            user,
            format!(
                "{} {}",
                request.request_type.label(),
                short_reference(request.id)
            ),
            &errors,
            "/partner",
        ),
        csrf_token: user.csrf_token.clone(),
        id: request.id.to_string(),
        reference: short_reference(request.id),
        kind: request.request_type.label().to_owned(),
        status: request.status().label().to_owned(),
        residents: view
            .as_ref()
            .map(|v| {
                v.residents
                    .iter()
                    .map(|r| {
                        (
                            r.name.clone(),
                            r.age
                                .map_or_else(|| "Age not known".into(), |a| format!("{a}")),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        view,
        sent: sent.map(|s| format::date(s.sent_on)).unwrap_or_default(),
        due: sent.map(|s| format::date(s.due_by)).unwrap_or_default(),
        acknowledged: matches!(request.state, RequestState::Acknowledged { .. }),
        answer_summary,
        asks_involvement: request.request_type == RequestType::ChildrensSafeguarding,
        incident_kinds: IncidentKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        involvements: Involvement::ALL
            .iter()
            .map(|i| (i.code(), i.label(), chosen.contains(&i.code())))
            .collect(),
        decline_reasons: DeclineReason::ALL
            .iter()
            .map(|r| (r.code(), r.label()))
            .collect(),
        known: fields.get("known").to_owned(),
        known_error: forms::message_for(&errors, "known"),
        attachments_error: {
            let messages: Vec<&str> = errors
                .iter()
                .filter(|e| e.field == "attachments")
                .map(|e| e.message.as_str())
                .collect();
            (!messages.is_empty()).then(|| messages.join("; "))
        },
        attached: match &request.state {
            RequestState::Responded { response, .. } => response
                .attachments
                .iter()
                .map(|a| (a.file_name.clone(), a.media_type.label().to_owned()))
                .collect(),
            _ => Vec::new(),
        },
        incidents: (0..INCIDENT_ROWS)
            .map(|i| IncidentRow {
                error: errors
                    .iter()
                    .find(|e| e.field.starts_with(&format!("incident-{i}-")))
                    .map(|e| e.message.clone()),
                index: i,
                day: fields.get(&format!("incident-{i}-day")).to_owned(),
                month: fields.get(&format!("incident-{i}-month")).to_owned(),
                year: fields.get(&format!("incident-{i}-year")).to_owned(),
                kind: fields.get(&format!("incident-{i}-kind")).to_owned(),
                summary: fields.get(&format!("incident-{i}-summary")).to_owned(),
            })
            .collect(),
        risk_notes: fields.get("risk-notes").chars().take(12_000).collect(),
        free_text: fields.get("free-text").chars().take(12_000).collect(),
        errors,
    }
}

fn failure_to_error(failure: Failure) -> AppError {
    match failure {
        Failure::NotFound => AppError::NotFound,
        Failure::Refused(refusal) => AppError::Refused(refusal.message()),
        Failure::Transition(message) | Failure::Conflict(message) => AppError::Conflict(message),
        Failure::Invalid(errors) => AppError::BadRequest(
            errors
                .into_iter()
                .map(|(_, m)| m)
                .collect::<Vec<_>>()
                .join("; "),
        ),
    }
}

fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// `GET /partner/requests/{request}`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
) -> Result<Html<String>, AppError> {
    let id = parse_id(&raw)?;
    let acting = acting(&user)?;
    let (stored, view) = state
        .write(move |conn| exchange::open(conn, &acting, id, state.clock.now()))
        .await?
        .map_err(failure_to_error)?;
    render(&request_page(
        &user,
        &stored,
        view,
        &FormFields::default(),
        Vec::new(),
    ))
}

/// The response form's fields as the domain reads them: incident rows left wholly blank are not
/// incidents.
fn response_form(fields: &FormFields) -> ResponseForm {
    let incidents = (0..INCIDENT_ROWS)
        .filter_map(|i| {
            let get = |part: &str| {
                fields
                    .get(&format!("incident-{i}-{part}"))
                    .trim()
                    .to_owned()
            };
            let (day, month, year) = (get("day"), get("month"), get("year"));
            let (kind, summary) = (get("kind"), get("summary"));
            if [&day, &month, &year, &kind, &summary]
                .iter()
                .all(|v| v.is_empty())
            {
                return None;
            }
            let date = match (
                day.parse::<u32>(),
                month.parse::<u32>(),
                year.parse::<i32>(),
            ) {
                (Ok(d), Ok(m), Ok(y)) => format!("{y:04}-{m:02}-{d:02}"),
                _ => format!("{year}-{month}-{day}"),
            };
            Some(IncidentForm {
                date,
                kind,
                summary,
            })
        })
        .collect();
    ResponseForm {
        known_to_service: fields.yes_no("known"),
        incidents,
        current_involvement: fields
            .0
            .iter()
            .filter(|(k, _)| k == "involvement")
            .map(|(_, v)| v.clone())
            .collect(),
        risk_notes: fields.get("risk-notes").to_owned(),
        free_text: fields.get("free-text").to_owned(),
        attachments: Vec::new(),
    }
}

/// Maps the domain's field paths (`incidents[1].date`) to the form's ids (`incident-1-day`).
fn form_field(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("incidents[") {
        let (index, part) = rest.split_once("].").unwrap_or((rest, "date"));
        let part = match part {
            "date" => "day",
            other => other,
        };
        return format!("incident-{index}-{part}");
    }
    if path.starts_with("attachments") {
        return "attachments".into();
    }
    match path {
        "known_to_service" => "known".into(),
        "current_involvement" => "involvement".into(),
        "risk_notes" => "risk-notes".into(),
        "free_text" => "free-text".into(),
        other => other.replace('_', "-"),
    }
}

/// Acts on the request as the partner user asked; a response or decline the domain refuses shows
/// the request again with the form as sent and each problem beside its field.
async fn answer(
    state: AppState,
    user: CurrentUser,
    raw: String,
    fields: FormFields,
    answer: Answer,
) -> Result<Response, AppError> {
    let id = parse_id(&raw)?;
    let acting = acting(&user)?;
    let outcome = state
        .write(move |conn| {
            let now = state.clock.now();
            match exchange::act(conn, &acting, id, &answer, now)? {
                Ok(_) => Ok(Ok(Submission::Saved(()))),
                Err(Failure::Invalid(errors)) => {
                    let opened = exchange::open(conn, &acting, id, now)?;
                    Ok(opened.map(|opened| Submission::Refused((opened, errors))))
                }
                Err(other) => Ok(Err(other)),
            }
        })
        .await?
        .map_err(failure_to_error)?;
    forms::respond(
        outcome,
        |()| Redirect::to(&format!("/partner/requests/{id}")),
        |((stored, view), errors)| {
            let errors = errors
                .into_iter()
                .map(|(field, message)| FieldError::new(form_field(&field), message))
                .collect();
            request_page(&user, &stored, view, &fields, errors)
        },
    )
}

/// `POST /partner/requests/{request}/acknowledge`.
pub async fn acknowledge(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    answer(state, user, raw, FormFields::default(), Answer::Acknowledge).await
}

/// `POST /partner/requests/{request}/response`.
pub async fn respond(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
    upload: FormWithFiles,
) -> Result<Response, AppError> {
    let FormWithFiles { fields, files } = upload;
    let mut form = response_form(&fields);
    form.attachments = files
        .iter()
        .map(|f| AttachmentForm {
            file_name: f.file_name.clone(),
            media_type: f.media_type.clone(),
            size_bytes: f.bytes.len() as u64,
        })
        .collect();
    let contents = files.into_iter().map(|f| f.bytes).collect();
    answer(state, user, raw, fields, Answer::Respond(form, contents)).await
}

/// `POST /partner/requests/{request}/decline`.
pub async fn decline(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let decline = Answer::Decline {
        reason: fields.get("reason").to_owned(),
        detail: fields.get("detail").to_owned(),
    };
    answer(state, user, raw, fields, decline).await
}
