//! The JSON API for partner systems (`/api/partner/v1/…`), described by the OpenAPI document at
//! `/api/partner/v1/openapi.json`. A police force's or local authority's own system lists, reads,
//! acknowledges, answers and declines the requests sent to its organisation, exactly as its users
//! do in the portal — through the same code ([`crate::partners::exchange`]).
//!
//! - **Authentication**: `Authorization: Bearer ksp_…`, a token issued to one organisation with
//!   `keepsafe partner token create`; only its SHA-256 is stored. No cookie, so no CSRF token.
//! - **Errors**: 400 malformed JSON, query or idempotency key, 401 no or unknown token, 403
//!   refused (revoked or expired token, another organisation's request), 404 unknown request, 409
//!   the request's state does not allow it, 422 invalid answer with every field at fault. Every
//!   error is JSON, as the OpenAPI document describes it (`scripts/schemathesis` checks that).
//! - **Idempotency**: a write may carry `Idempotency-Key`; the same key from the same token returns
//!   the first answer again without acting twice, and the same key with a different body is a 409.
//! - **Pagination**: `?page=1&per_page=50` (at most 200), with `total` and `next_page`.

use crate::error::AppError;
use crate::partners::exchange::{self, Acting, Answer, Failure};
use crate::partners::portal::short_reference;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Json, Response};
use chrono::{DateTime, Utc};
use keepsafe_domain::partner::{
    AttachmentForm, IncidentForm, PartnerPrincipal, PartnerView, RequestState, ResponseForm,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::partners::{self, StoredRequest};
use keepsafe_storage::AnyConnection;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The most requests one page may hold.
const MAX_PER_PAGE: i64 = 200;
/// The longest idempotency key accepted.
const MAX_KEY_LENGTH: usize = 200;

/// An API answer before it is sent: status and JSON body.
type Answered = (StatusCode, Value);

fn error(status: StatusCode, message: impl Into<String>) -> Answered {
    (status, json!({ "error": message.into() }))
}

fn respond((status, body): Answered) -> Response {
    let mut response = (status, Json(body)).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer realm=\"keepsafe partner API\""),
        );
    }
    response
}

/// An API refusal made before the handler runs (too large, too busy), in the API's own shape.
pub(crate) fn refusal(status: StatusCode, message: impl Into<String>) -> Response {
    respond(error(status, message))
}

/// Passes the request on with its body only when it carries a token keepsafe knows: otherwise
/// with an empty body, so a stranger cannot make keepsafe read a large one. The handler then
/// refuses the token, and audits the refusal, as it would anyway.
pub(crate) async fn unread_unless_token_known(
    state: &AppState,
    request: axum::extract::Request,
) -> axum::extract::Request {
    if matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    ) {
        return request;
    }
    let secret = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|v| v.trim().to_owned());
    let now = state.clock.now();
    let known = match secret {
        Some(secret) => state
            .read(move |conn| Ok(partners::find_token(conn, &secret, now)?.is_some()))
            .await
            .unwrap_or(false),
        None => false,
    };
    if known {
        return request;
    }
    let (parts, _unread) = request.into_parts();
    axum::extract::Request::from_parts(parts, axum::body::Body::empty())
}

fn failure(failure: Failure) -> Answered {
    match failure {
        Failure::NotFound => error(StatusCode::NOT_FOUND, "There is no such request"),
        Failure::Refused(refusal) => error(StatusCode::FORBIDDEN, refusal.message()),
        Failure::Transition(message) | Failure::Conflict(message) => {
            error(StatusCode::CONFLICT, message)
        }
        Failure::Invalid(fields) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({
                "error": "The answer is not complete or not valid: see fields",
                "fields": fields
                    .into_iter()
                    .map(|(field, message)| json!({ "field": field, "message": message }))
                    .collect::<Vec<_>>(),
            }),
        ),
    }
}

/// Authenticates the bearer token, in the caller's transaction. Unknown tokens are counted and
/// audited (now and then) as refusals with no organisation; revoked and expired ones are refused by the domain later, with
/// their own audit rows.
fn authenticate(
    conn: &mut AnyConnection,
    headers: &HeaderMap,
    now: DateTime<Utc>,
) -> Result<Result<Acting, Answered>, AppError> {
    let secret = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(secret) = secret else {
        return Ok(Err(error(
            StatusCode::UNAUTHORIZED,
            "Send the API token issued to your organisation as 'Authorization: Bearer ksp_…'",
        )));
    };
    let Some(found) = partners::find_token(conn, secret, now)? else {
        // Counted, and audited the 1st, 2nd, 4th… time in a window, so a flood of made-up
        // tokens cannot grow the audit log without bound.
        let policy = keepsafe_domain::sign_in::SignInPolicy::default();
        let count = keepsafe_storage::sign_in::throttles::count_refusal(
            conn,
            "partner_api:unknown_token",
            policy.window_start(now),
            now,
        )?;
        if policy.audits_refusal(count) {
            audit::record(
                conn,
                &AuditEntry {
                    staff_id: None,
                    actor: "api:unknown".into(),
                    action: "partner_api".into(),
                    outcome: Outcome::Refused,
                    person_id: None,
                    crn: None,
                    detail: format!("unknown token ({count} refused in this window; the rest are counted, not logged one by one)"),
                },
                now,
            )?;
        }
        return Ok(Err(error(
            StatusCode::UNAUTHORIZED,
            "That API token is not recognised: ask the probation service for a new one",
        )));
    };
    let organisation = partners::organisation_by_id(conn, found.token.organisation_id)?;
    Ok(Ok(Acting {
        audit_name: format!("api:{}", found.name),
        display: format!(
            "API client {} ({})",
            found.name,
            organisation.organisation.name.as_str()
        ),
        staff_id: None,
        principal: PartnerPrincipal::Api(found.token),
    }))
}

/// A request as the API shows it: always its reference, type, status and dates; the person's
/// details only while it is outstanding; the answer once given.
fn request_json(stored: &StoredRequest, view: Option<&PartnerView>) -> Value {
    let request = &stored.request;
    let sent = request.state.sent();
    let mut body = json!({
        "id": request.id,
        "reference": short_reference(request.id),
        "type": request.request_type.code(),
        "status": request.status().code(),
        "sent_on": sent.map(|s| s.sent_on.to_string()),
        "due_by": sent.map(|s| s.due_by.to_string()),
        "deadline_rule": stored.deadline_rule,
    });
    if let Some(view) = view {
        body["person"] = json!({
            "crn": view.crn.as_str(),
            "name": view.name,
            "date_of_birth": view.date_of_birth.to_string(),
            "aliases": view.aliases,
            "address": view.address,
            "postcode": view.postcode,
            "residents": view.residents.iter().map(|r| json!({
                "name": r.name,
                "date_of_birth": r.date_of_birth.map(|d| d.to_string()),
                "age": r.age,
            })).collect::<Vec<_>>(),
            "main_occupier": view.main_occupier,
            "previous_addresses": view.previous_addresses.iter().map(|a| json!({
                "address": a.description,
                "from": a.from.to_string(),
                "to": a.to.map(|d| d.to_string()),
            })).collect::<Vec<_>>(),
        });
        if let Some(asked) = &view.asked_by {
            body["asked_by"] = json!({ "name": asked.name, "team": asked.team, "pdu": asked.pdu });
        }
    }
    match &request.state {
        RequestState::Responded {
            responded_on,
            response,
            ..
        } => {
            body["answer"] = json!({
                "responded_on": responded_on.to_string(),
                "known_to_service": response.known_to_service,
                "incidents": response.incidents.iter().map(|i| json!({
                    "date": i.date.to_string(),
                    "kind": i.kind.code(),
                    "summary": i.summary.as_str(),
                })).collect::<Vec<_>>(),
                "current_involvement": response.current_involvement.iter().map(|i| i.code()).collect::<Vec<_>>(),
                "risk_notes": response.risk_notes.as_str(),
                "free_text": response.free_text.as_str(),
                "attachments": response.attachments.iter().map(|a| json!({
                    "file_name": a.file_name,
                    "media_type": a.media_type.code(),
                    "size_bytes": a.size_bytes,
                })).collect::<Vec<_>>(),
            });
        }
        RequestState::Declined {
            declined_on,
            reason,
            detail,
            ..
        } => {
            body["declined"] = json!({
                "declined_on": declined_on.to_string(),
                "reason": reason.code(),
                "detail": detail.as_str(),
            });
        }
        _ => {}
    }
    body
}

/// The paging query, read as text so a value that is not a number, or too big for one, gets the
/// API's own JSON error rather than the framework's plain-text one.
#[derive(Debug, Default)]
pub struct PageQuery {
    page: Option<String>,
    per_page: Option<String>,
}

impl PageQuery {
    /// Reads the raw query: `page` and `per_page` at most once each, other names ignored. A query
    /// that cannot be decoded, or that gives a paging number twice, is refused in JSON (found by
    /// Schemathesis: the framework's own refusal was plain text).
    fn read(raw: Option<&str>) -> Result<Self, String> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or_default())
            .map_err(|_| "The query string could not be read".to_owned())?;
        let mut query = PageQuery::default();
        for (name, value) in pairs {
            let slot = match name.as_str() {
                "page" => &mut query.page,
                "per_page" => &mut query.per_page,
                _ => continue,
            };
            if slot.replace(value).is_some() {
                return Err(format!("{name} may be given only once"));
            }
        }
        Ok(query)
    }
}

/// The last page that may be asked for: far beyond any queue, and small enough that
/// `page × per_page` cannot overflow.
const MAX_PAGE: i64 = 1_000_000;

/// A paging number as typed, if it is a whole number within `range` (the default when absent).
fn paging_number(
    raw: Option<&str>,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
) -> Option<i64> {
    match raw {
        None => Some(default),
        Some(text) => text
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| range.contains(n)),
    }
}

/// `GET /api/partner/v1/requests`: the organisation's outstanding requests, soonest due first.
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let query = match PageQuery::read(raw.as_deref()) {
        Ok(query) => query,
        Err(message) => return Ok(respond(error(StatusCode::BAD_REQUEST, message))),
    };
    let (Some(page), Some(per_page)) = (
        paging_number(query.page.as_deref(), 1, 1..=MAX_PAGE),
        paging_number(query.per_page.as_deref(), 50, 1..=MAX_PER_PAGE),
    ) else {
        return Ok(respond(error(
            StatusCode::BAD_REQUEST,
            format!(
                "page must be a whole number from 1 to {MAX_PAGE} and per_page from 1 to {MAX_PER_PAGE}"
            ),
        )));
    };
    let answered = state
        .write(move |conn| {
            let acting = match authenticate(conn, &headers, now)? {
                Ok(acting) => acting,
                Err(refused) => return Ok(refused),
            };
            let now = state.clock.now();
            let organisation = acting.principal.organisation_id();
            if let keepsafe_domain::partner::PartnerDecision::Refused(refusal) =
                keepsafe_domain::partner::decide(
                    &acting.principal,
                    keepsafe_domain::partner::PartnerAction::ListRequests,
                    now,
                )
            {
                record(
                    conn,
                    &acting,
                    "partner_api_list",
                    Outcome::Refused,
                    refusal.code(),
                    now,
                )?;
                return Ok(error(StatusCode::FORBIDDEN, refusal.message()));
            }
            let total = partners::queue_len(conn, organisation)?;
            let requests = partners::queue(conn, organisation, (page - 1) * per_page, per_page)?;
            let today = now.date_naive();
            let details = partners::shareable_details_for(conn, &requests, today)?;
            let items: Vec<Value> = requests
                .iter()
                .zip(&details)
                .map(|(stored, details)| {
                    let view = PartnerView::project(&stored.request, details, today);
                    request_json(stored, view.as_ref())
                })
                .collect();
            record(
                conn,
                &acting,
                "partner_api_list",
                Outcome::Allowed,
                &format!("{} requests listed (page {page})", items.len()),
                now,
            )?;
            Ok((
                StatusCode::OK,
                json!({
                    "requests": items,
                    "page": page,
                    "per_page": per_page,
                    "total": total,
                    "next_page": (page * per_page < total).then_some(page + 1),
                }),
            ))
        })
        .await?;
    Ok(respond(answered))
}

fn record(
    conn: &mut AnyConnection,
    acting: &Acting,
    action: &str,
    outcome: Outcome,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    audit::record(
        conn,
        &AuditEntry {
            staff_id: None,
            actor: acting.audit_name.clone(),
            action: action.into(),
            outcome,
            person_id: None,
            crn: None,
            detail: detail.into(),
        },
        now,
    )?;
    Ok(())
}

fn parse_id(raw: &str) -> Result<Uuid, Answered> {
    Uuid::parse_str(raw).map_err(|_| error(StatusCode::NOT_FOUND, "There is no such request"))
}

/// `GET /api/partner/v1/requests/{request}`.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let id = match parse_id(&raw) {
        Ok(id) => id,
        Err(answer) => return Ok(respond(answer)),
    };
    let answered = state
        .write(move |conn| {
            let acting = match authenticate(conn, &headers, now)? {
                Ok(acting) => acting,
                Err(refused) => return Ok(refused),
            };
            Ok(
                match exchange::open(conn, &acting, id, state.clock.now())? {
                    Ok((stored, view)) => (StatusCode::OK, request_json(&stored, view.as_ref())),
                    Err(refused) => failure(refused),
                },
            )
        })
        .await?;
    Ok(respond(answered))
}

/// The body of a response, as partner systems send it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResponseBody {
    known_to_service: Option<bool>,
    #[serde(default)]
    incidents: Vec<IncidentBody>,
    #[serde(default)]
    current_involvement: Vec<String>,
    #[serde(default)]
    risk_notes: String,
    #[serde(default)]
    free_text: String,
    #[serde(default)]
    attachments: Vec<AttachmentBody>,
}

/// A file sent with an answer: its name, type and bytes in standard base64.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AttachmentBody {
    file_name: String,
    media_type: String,
    content_base64: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IncidentBody {
    date: String,
    kind: String,
    #[serde(default)]
    summary: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeclineBody {
    reason: String,
    #[serde(default)]
    detail: String,
}

fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Answered> {
    serde_json::from_slice(body).map_err(|e| {
        error(
            StatusCode::BAD_REQUEST,
            format!("The request body is not the JSON this operation takes: {e}"),
        )
    })
}

fn fingerprint(operation: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(operation.as_bytes());
    hasher.update([0]);
    hasher.update(body);
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An idempotency key as sent, if it is 1 to [`MAX_KEY_LENGTH`] visible ASCII characters: a key
/// with other bytes was once taken as no key at all, so a retry could act twice.
fn idempotency_key(bytes: &[u8]) -> Option<String> {
    let visible = |b: &u8| (b'!'..=b'~').contains(b);
    (!bytes.is_empty() && bytes.len() <= MAX_KEY_LENGTH && bytes.iter().all(visible))
        .then(|| String::from_utf8_lossy(bytes).into_owned())
}

/// Runs a write with its idempotency key: a replay returns the stored answer; a key reused for a
/// different request is refused.
async fn write(
    state: AppState,
    headers: HeaderMap,
    raw: String,
    operation: &'static str,
    body: Bytes,
    parse: fn(&[u8]) -> Result<Answer, Answered>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let id = match parse_id(&raw) {
        Ok(id) => id,
        Err(answer) => return Ok(respond(answer)),
    };
    let key = match headers.get("idempotency-key").map(|v| idempotency_key(v.as_bytes())) {
        None => None,
        Some(Some(key)) => Some(key),
        Some(None) => {
            return Ok(respond(error(
                StatusCode::BAD_REQUEST,
                format!(
                    "Idempotency-Key must be 1 to {MAX_KEY_LENGTH} visible ASCII characters (no spaces)"
                ),
            )))
        }
    };
    let print = fingerprint(&format!("{operation} {id}"), &body);
    let answered = state
        .write(move |conn| {
            let acting = match authenticate(conn, &headers, now)? {
                Ok(acting) => acting,
                Err(refused) => return Ok(refused),
            };
            let token_id = match &acting.principal {
                PartnerPrincipal::Api(token) => token.token_id,
                PartnerPrincipal::User(_) => {
                    return Err(AppError::Internal("an API write without a token".into()))
                }
            };
            if let Some(key) = &key {
                if let Some((stored_print, status, body)) =
                    partners::idempotent_answer(conn, token_id, key)?
                {
                    if stored_print != print {
                        // 409, like any request the current state does not allow: the
                        // body is valid, the key's first use is what it conflicts with.
                        return Ok(error(
                            StatusCode::CONFLICT,
                            "This Idempotency-Key was already used for a different request: use a new key for each change",
                        ));
                    }
                    let status = StatusCode::from_u16(status as u16)
                        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                    let body = serde_json::from_str(&body).unwrap_or(Value::Null);
                    return Ok((status, body));
                }
            }
            // The body is read only once the caller is known, so a stranger learns nothing of it.
            let answer = match parse(&body) {
                Ok(answer) => answer,
                Err(refused) => return Ok(refused),
            };
            let answered = match exchange::act(conn, &acting, id, &answer, state.clock.now())? {
                Ok(stored) => (StatusCode::OK, request_json(&stored, None)),
                Err(refused) => failure(refused),
            };
            if let Some(key) = &key {
                partners::remember_answer(
                    conn,
                    token_id,
                    key,
                    &print,
                    answered.0.as_u16() as i32,
                    &answered.1.to_string(),
                    state.clock.now(),
                )?;
            }
            Ok(answered)
        })
        .await?;
    Ok(respond(answered))
}

/// `POST /api/partner/v1/requests/{request}/acknowledge`.
pub async fn acknowledge(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    write(state, headers, raw, "acknowledge", body, |_| {
        Ok(Answer::Acknowledge)
    })
    .await
}

fn response_answer(body: &[u8]) -> Result<Answer, Answered> {
    use base64::Engine;
    let parsed: ResponseBody = parse_body(body)?;
    let mut contents = Vec::with_capacity(parsed.attachments.len());
    let mut unreadable = Vec::new();
    for (i, file) in parsed.attachments.iter().enumerate() {
        match base64::engine::general_purpose::STANDARD.decode(file.content_base64.trim()) {
            Ok(bytes) => contents.push(bytes),
            Err(_) => unreadable.push((
                format!("attachments[{i}].content_base64"),
                "is not standard base64: encode the file's bytes with the standard alphabet and \
                 padding"
                    .to_owned(),
            )),
        }
    }
    if !unreadable.is_empty() {
        return Err(failure(Failure::Invalid(unreadable)));
    }
    let attachments = parsed
        .attachments
        .iter()
        .zip(&contents)
        .map(|(file, bytes)| AttachmentForm {
            file_name: file.file_name.clone(),
            media_type: file.media_type.clone(),
            size_bytes: bytes.len() as u64,
        })
        .collect();
    Ok(Answer::Respond(
        ResponseForm {
            known_to_service: parsed.known_to_service,
            incidents: parsed
                .incidents
                .into_iter()
                .map(|i| IncidentForm {
                    date: i.date,
                    kind: i.kind,
                    summary: i.summary,
                })
                .collect(),
            current_involvement: parsed.current_involvement,
            risk_notes: parsed.risk_notes,
            free_text: parsed.free_text,
            attachments,
        },
        contents,
    ))
}

/// `POST /api/partner/v1/requests/{request}/response`.
pub async fn response(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    write(state, headers, raw, "response", body, response_answer).await
}

fn decline_answer(body: &[u8]) -> Result<Answer, Answered> {
    let parsed: DeclineBody = parse_body(body)?;
    Ok(Answer::Decline {
        reason: parsed.reason,
        detail: parsed.detail,
    })
}

/// `POST /api/partner/v1/requests/{request}/decline`.
pub async fn decline(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    write(state, headers, raw, "decline", body, decline_answer).await
}

/// `GET /api/partner/v1/openapi.json`: the API's OpenAPI 3.1 document.
pub async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("../../openapi/partner-v1.json"),
    )
        .into_response()
}
