//! The calendar subscription: `GET /diary/calendar` shows the practitioner's private feed address
//! and `POST /diary/calendar/renew` replaces it (the old address stops working at once);
//! `GET /calendar/{token}.ics` serves the feed itself to Outlook or Google Calendar, which cannot
//! sign in, so the unguessable token in the address is what authenticates it. Every fetch is
//! audit-logged under the feed's owner.

use crate::error::AppError;
use crate::format;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::{random_token, CurrentUser};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use keepsafe_domain::supervision::calendar_feed::{self, FeedEvent};
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::error::StorageResult;
use keepsafe_storage::supervision::calendar::{self, FeedToken};
use keepsafe_storage::{staff, AnyConnection};

/// The address of a feed: `{base}/calendar/{token}.ics`.
pub fn feed_url(base_url: &str, token: &str) -> String {
    format!("{}/calendar/{token}.ics", base_url.trim_end_matches('/'))
}

/// The member of staff's live feed token, issuing the first one if they have none (for the page
/// and for `keepsafe calendar url`). Issuing is audit-logged by the caller.
pub fn live_or_issue(
    conn: &mut AnyConnection,
    staff_id: uuid::Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> StorageResult<(String, bool)> {
    let mut issued = false;
    let token = calendar::live_or_issue(
        conn,
        staff_id,
        || {
            issued = true;
            random_token()
        },
        now,
    )?;
    Ok((token, issued))
}

/// The address people reach keepsafe at: the configured base URL, or else the one this request
/// came to.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(base) = &state.config.public_base_url {
        return base.clone();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost:8080");
    let local = host.starts_with("localhost") || host.starts_with("127.0.0.1");
    format!("{}://{host}", if local { "http" } else { "https" })
}

#[derive(Template)]
#[template(path = "supervision/calendar_subscription.html")]
struct SubscriptionPage {
    chrome: Chrome,
    csrf_token: String,
    url: String,
    issued_on: String,
    renewed: bool,
    days_back: i64,
    weeks_ahead: i64,
}

fn audit_entry(user: &CurrentUser, action: &str, detail: &str) -> AuditEntry {
    AuditEntry {
        staff_id: Some(user.account.id),
        actor: user.audit_name(),
        action: action.into(),
        outcome: Outcome::Allowed,
        person_id: None,
        crn: None,
        detail: detail.into(),
    }
}

/// `GET /diary/calendar`: the private address to subscribe to, issued on first visit.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let staff_id = user.account.id;
    let clock = state.clock;
    let entry = audit_entry(&user, "view_calendar_address", "");
    let (token, created_at) = state
        .write(move |conn| {
            let (token, issued) = live_or_issue(conn, staff_id, clock.now())?;
            let entry = AuditEntry {
                detail: if issued {
                    "first address issued".into()
                } else {
                    String::new()
                },
                ..entry
            };
            audit::record(conn, &entry, clock.now())?;
            let created = calendar::created_at(conn, &token)?;
            Ok((token, created))
        })
        .await?;
    render(&SubscriptionPage {
        chrome: Chrome::for_user(&user, "Your calendar address", "/diary"),
        csrf_token: user.csrf_token.clone(),
        url: feed_url(&base_url(&state, &headers), &token),
        issued_on: format::date(created_at.date()),
        renewed: query.contains_key("renewed"),
        days_back: calendar_feed::DAYS_BACK,
        weeks_ahead: calendar_feed::DAYS_AHEAD / 7,
    })
}

/// `POST /diary/calendar/renew`: a new address; the old one answers 410 Gone from now on.
pub async fn renew(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Response, AppError> {
    let staff_id = user.account.id;
    let clock = state.clock;
    let entry = audit_entry(&user, "renew_calendar_address", "old address revoked");
    state
        .write(move |conn| {
            calendar::issue(conn, staff_id, &random_token(), clock.now())?;
            audit::record(conn, &entry, clock.now())?;
            Ok(())
        })
        .await?;
    Ok(Redirect::to("/diary/calendar?renewed=1").into_response())
}

fn plain(status: StatusCode, text: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

/// `GET /calendar/{token}.ics`: the feed, for the calendar program holding the address.
pub async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let Some(token) = file.strip_suffix(".ics").map(str::to_owned) else {
        return Err(AppError::NotFound);
    };
    let clock = state.clock;
    let fetched = state
        .write(move |conn| {
            let now = clock.now();
            let found = calendar::find(conn, &token)?;
            let owner = match found {
                FeedToken::Live(owner) => owner,
                FeedToken::Revoked(_) | FeedToken::Unknown => {
                    let detail = match found {
                        FeedToken::Revoked(_) => "a renewed address",
                        _ => "an unknown address",
                    };
                    audit::record(
                        conn,
                        &AuditEntry {
                            staff_id: None,
                            actor: "calendar feed".into(),
                            action: "fetch_calendar_feed".into(),
                            outcome: Outcome::Refused,
                            person_id: None,
                            crn: None,
                            detail: detail.into(),
                        },
                        now,
                    )?;
                    return Ok(Err(match found {
                        FeedToken::Revoked(at) => Some(at),
                        _ => None,
                    }));
                }
            };
            let account = staff::find(conn, owner)?;
            let (from, until) = calendar_feed::window(now.date_naive());
            let appointments = calendar::appointments(conn, owner, from, until)?;
            // A case the owner may no longer see (limited access) leaves the feed too.
            let appointments =
                keepsafe_storage::cases::limited::hidden_from(conn, &account.actor())?
                    .leave_out_crns(appointments, |a| &a.crn);
            audit::record(
                conn,
                &AuditEntry {
                    staff_id: Some(owner),
                    actor: format!(
                        "{} (calendar feed)",
                        account
                            .username
                            .clone()
                            .unwrap_or_else(|| owner.to_string())
                    ),
                    action: "fetch_calendar_feed".into(),
                    outcome: Outcome::Allowed,
                    person_id: None,
                    crn: None,
                    detail: format!("{} appointments from {from} to {until}", appointments.len()),
                },
                now,
            )?;
            let events: Vec<FeedEvent> = appointments.iter().map(FeedEvent::of).collect();
            let name = format!("keepsafe diary: {}", account.display_name());
            Ok(Ok(calendar_feed::render(&name, &events, now)))
        })
        .await?;
    match fetched {
        Ok(body) => Ok((
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "inline; filename=\"keepsafe-diary.ics\"",
                ),
            ],
            body,
        )
            .into_response()),
        Err(Some(revoked)) => Ok(plain(
            StatusCode::GONE,
            format!(
                "This calendar address was replaced on {}, so it no longer works. Open your \
                 diary in keepsafe, choose \"Your calendar address\" and subscribe to the new \
                 address.\n",
                format::date(revoked.date())
            ),
        )),
        Err(None) => Ok(plain(
            StatusCode::NOT_FOUND,
            "There is no calendar at this address. Check it was copied in full from your \
             diary in keepsafe.\n"
                .into(),
        )),
    }
}

/// The calendar subscription's routes. The feed is public: calendar programs cannot sign in, and
/// the token in its address authenticates it.
pub(crate) fn routes(registry: crate::routes::Registry) -> crate::routes::Registry {
    use crate::routes::{Access, GradeAction};
    use axum::http::Method;
    use axum::routing::{get, post};
    registry
        .add(
            Method::GET,
            "/diary/calendar",
            Access::Grade(GradeAction::OwnCaseload),
            get(show),
        )
        .add(
            Method::POST,
            "/diary/calendar/renew",
            Access::Grade(GradeAction::OwnCaseload),
            post(renew),
        )
        .add(Method::GET, "/calendar/{file}", Access::Public, get(feed))
}
