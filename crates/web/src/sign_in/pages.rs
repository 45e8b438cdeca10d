//! Signing in and out. Passwords are checked off the async runtime and outside any database
//! transaction; failures are counted in the database so lockout survives restarts.

use crate::csrf;
use crate::error::AppError;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::{self, SESSION_COOKIE};
use crate::state::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{DateTime, Utc};
use keepsafe_domain::sign_in::SignInGate;
use keepsafe_domain::staff::Username;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::sign_in::passwords;
use keepsafe_storage::sign_in::{
    attempts as sign_in_attempts, sessions, throttles as sign_in_throttles,
};
use keepsafe_storage::staff;
use keepsafe_storage::staff::StaffAccount;
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Template)]
#[template(path = "sign_in/form.html")]
struct SignInPage {
    chrome: Chrome,
    csrf_token: String,
    return_to: String,
    username: String,
    errors: Vec<FieldError>,
    username_error: Option<String>,
    password_error: Option<String>,
}

pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

#[derive(Deserialize)]
pub struct ReturnTo {
    return_to: Option<String>,
}

/// Only local paths are followed after sign-in, so the link cannot send people elsewhere.
///
/// A path is followed only if every character is a visible ASCII character other than a
/// backslash: browsers strip tabs and newlines from a URL and read a backslash as a slash, so
/// `/\t/evil.example` or `/\\evil.example` would become `//evil.example`, another site; and a CR
/// or LF could not go in the `Location` header at all. What is left must start with one slash,
/// not two, and not lead back to signing in.
fn safe_return_to(candidate: Option<&str>) -> String {
    match candidate {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && path.chars().all(|c| c.is_ascii_graphic() && c != '\\')
                && !path.starts_with("/sign-") =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// `GET /sign-in`.
pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<ReturnTo>,
) -> Result<Response, AppError> {
    let return_to = safe_return_to(query.return_to.as_deref());
    if session::current_user(&state, &headers).await?.is_some() {
        return Ok(Redirect::to(&return_to).into_response());
    }
    page(
        &state,
        &headers,
        return_to,
        String::new(),
        Vec::new(),
        StatusCode::OK,
    )
}

fn page(
    state: &AppState,
    headers: &HeaderMap,
    return_to: String,
    username: String,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let token = session::cookie(headers, csrf::SIGN_IN_COOKIE)
        .filter(|t| t.len() >= 32)
        .map(str::to_owned)
        .unwrap_or_else(session::random_token);
    let title = if errors.is_empty() {
        "Sign in"
    } else {
        "Error: Sign in"
    };
    let message_for = |field: &str| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    };
    let html = render(&SignInPage {
        chrome: Chrome::anonymous(title),
        csrf_token: token.clone(),
        return_to,
        username,
        username_error: message_for("username"),
        password_error: message_for("password"),
        errors,
    })?;
    let cookie = session::set_cookie(
        state,
        csrf::SIGN_IN_COOKIE,
        &token,
        "/sign-in",
        "Strict",
        Some(3600),
    );
    Ok((status, [(header::SET_COOKIE, cookie)], html).into_response())
}

#[derive(Deserialize)]
pub struct Credentials {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    return_to: Option<String>,
}

/// The network address a request came from, for throttling; "unknown" in in-process tests.
pub struct ClientAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|info| info.0.ip().to_string())
                .unwrap_or_else(|| "unknown".to_owned()),
        ))
    }
}

/// What the first look at the database found.
struct Prospect {
    account: Option<StaffAccount>,
    gate: SignInGate,
}

/// `POST /sign-in`.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientAddress(address): ClientAddress,
    Form(credentials): Form<Credentials>,
) -> Result<Response, AppError> {
    let return_to = safe_return_to(credentials.return_to.as_deref());
    let typed_username = credentials.username.trim().to_owned();
    let mut missing = Vec::new();
    if typed_username.is_empty() {
        missing.push(FieldError {
            field: "username",
            message: "Enter your username".into(),
        });
    }
    if credentials.password.is_empty() {
        missing.push(FieldError {
            field: "password",
            message: "Enter your password".into(),
        });
    }
    if !missing.is_empty() {
        return page(
            &state,
            &headers,
            return_to,
            typed_username,
            missing,
            StatusCode::BAD_REQUEST,
        );
    }
    if credentials.password.chars().count() > 1024 {
        return Err(AppError::BadRequest(
            "Passwords are at most 1,024 characters.".into(),
        ));
    }

    let username = Username::parse(&typed_username).ok();
    let lookup_name = username
        .as_ref()
        .map(|u| u.as_str().to_owned())
        .unwrap_or_else(|| typed_username.to_lowercase());
    let prospect = {
        let username = username.clone();
        let lookup_name = lookup_name.clone();
        let policy = state.config.sign_in;
        let address = address.clone();
        state
            .read(move |conn| {
                let now = state.clock.now();
                let account = match &username {
                    Some(name) => staff::find_by_username(conn, name)?,
                    None => None,
                };
                let address_failures = sign_in_attempts::recent_failures_from_address(
                    conn,
                    &address,
                    policy.window_start(now),
                )?;
                // A username no account has locks just as an account does, so the lockout
                // does not tell which usernames exist.
                let locked_until = match &account {
                    Some(account) => account.locked_until,
                    None => sign_in_throttles::locked_until(
                        conn,
                        &sign_in_throttles::username_subject(&lookup_name),
                    )?,
                };
                Ok(Prospect {
                    gate: policy.gate(locked_until, address_failures, now),
                    account,
                })
            })
            .await?
    };

    if let SignInGate::AccountLocked { .. } | SignInGate::AddressThrottled = prospect.gate {
        record_refusal(&state, &lookup_name, &address, &prospect).await?;
        return refused(&state, &headers, return_to, typed_username, prospect.gate);
    }

    let password = credentials.password.clone();
    let stored = prospect
        .account
        .as_ref()
        .filter(|a| a.active)
        .and_then(|a| a.password_hash.clone());
    let verified = tokio::task::spawn_blocking(move || match stored {
        Some(hash) => passwords::verify(&password, &hash),
        None => {
            passwords::verify_against_dummy(&password);
            false
        }
    })
    .await
    .map_err(|e| AppError::Internal(format!("password check failed: {e}")))?;

    match (verified, prospect.account) {
        (true, Some(account)) => {
            start_session(&state, &headers, account, &address, &return_to).await
        }
        (_, account) => {
            let locked = record_failure(&state, &lookup_name, &address, account).await?;
            let gate = match locked {
                Some(until) => SignInGate::AccountLocked { until },
                None => SignInGate::Open,
            };
            refused(&state, &headers, return_to, typed_username, gate)
        }
    }
}

fn refused(
    state: &AppState,
    headers: &HeaderMap,
    return_to: String,
    username: String,
    gate: SignInGate,
) -> Result<Response, AppError> {
    let (message, status) = match gate {
        SignInGate::Open => (
            "Enter a correct username and password".to_owned(),
            StatusCode::UNAUTHORIZED,
        ),
        SignInGate::AccountLocked { until } => (
            format!(
                "This account is locked after too many failed sign-in attempts. Try again after {}, or ask an administrator to reset your password",
                crate::format::time(until.naive_utc())
            ),
            StatusCode::TOO_MANY_REQUESTS,
        ),
        SignInGate::AddressThrottled => (
            "There have been too many failed sign-in attempts from your network. Wait 15 minutes and try again".to_owned(),
            StatusCode::TOO_MANY_REQUESTS,
        ),
    };
    page(
        state,
        headers,
        return_to,
        username,
        vec![FieldError {
            field: "username",
            message,
        }],
        status,
    )
}

/// Counts an attempt refused while the username is locked or the address throttled, writing
/// neither a sign-in attempt nor, except now and then (`SignInPolicy::audits_refusal`), an audit
/// row: anonymous requests cannot grow the database without bound.
async fn record_refusal(
    state: &AppState,
    username: &str,
    address: &str,
    prospect: &Prospect,
) -> Result<(), AppError> {
    let clock = state.clock;
    let policy = state.config.sign_in;
    let subject = match prospect.gate {
        SignInGate::AddressThrottled => sign_in_throttles::address_subject(address),
        _ => sign_in_throttles::username_subject(username),
    };
    let mut entry = sign_in_audit(username, prospect.account.as_ref(), Outcome::Refused, "");
    state
        .write(move |conn| {
            let now = clock.now();
            let count =
                sign_in_throttles::count_refusal(conn, &subject, policy.window_start(now), now)?;
            if policy.audits_refusal(count) {
                entry.detail = format!(
                    "locked_or_throttled ({count} refused in this window; the rest are counted, not logged one by one)"
                );
                audit::record(conn, &entry, now)?;
            }
            Ok(())
        })
        .await
}

/// Records a wrong password and locks the account if that was one too many.
async fn record_failure(
    state: &AppState,
    username: &str,
    address: &str,
    account: Option<StaffAccount>,
) -> Result<Option<DateTime<Utc>>, AppError> {
    let clock = state.clock;
    let entry = sign_in_audit(
        username,
        account.as_ref(),
        Outcome::Refused,
        "wrong_credentials",
    );
    let policy = state.config.sign_in;
    let (username, address) = (username.to_owned(), address.to_owned());
    state
        .write(move |conn| {
            let now = clock.now();
            sign_in_attempts::record(conn, &username, &address, false, now)?;
            audit::record(conn, &entry, now)?;
            let failures = sign_in_attempts::recent_failures_for_username(
                conn,
                &username,
                policy.window_start(now),
            )?;
            let lock = policy.lock_after_failure(failures, now);
            if lock.is_some() {
                // The same lock, whether or not an account has the name.
                match account {
                    Some(account) => staff::set_locked_until(conn, account.id, lock)?,
                    None => sign_in_throttles::set_locked_until(
                        conn,
                        &sign_in_throttles::username_subject(&username),
                        lock,
                        now,
                    )?,
                }
            }
            Ok(lock)
        })
        .await
}

fn sign_in_audit(
    username: &str,
    account: Option<&StaffAccount>,
    outcome: Outcome,
    detail: &str,
) -> AuditEntry {
    AuditEntry {
        staff_id: account.map(|a| a.id),
        actor: username.chars().take(64).collect(),
        action: "sign_in".into(),
        outcome,
        person_id: None,
        crn: None,
        detail: detail.into(),
    }
}

/// Creates a fresh session (a new id at every sign-in, so a planted cookie is worthless) and
/// ends any session the browser already had.
async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    account: StaffAccount,
    address: &str,
    return_to: &str,
) -> Result<Response, AppError> {
    let clock = state.clock;
    let token = session::random_token();
    let token_hash = session::hash_token(&token);
    let previous = session::cookie(headers, SESSION_COOKIE).map(session::hash_token);
    let csrf_token = session::random_token();
    let idle = state.config.session_idle;
    let entry = sign_in_audit(
        account.username.as_deref().unwrap_or_default(),
        Some(&account),
        Outcome::Allowed,
        "signed_in",
    );
    let address = address.to_owned();
    state
        .write(move |conn| {
            let now = clock.now();
            if let Some(previous) = previous {
                sessions::delete(conn, &previous)?;
            }
            sessions::delete_expired(conn, now)?;
            sessions::create(conn, &token_hash, account.id, &csrf_token, now, now + idle)?;
            sign_in_attempts::record(
                conn,
                account.username.as_deref().unwrap_or_default(),
                &address,
                true,
                now,
            )?;
            staff::set_locked_until(conn, account.id, None)?;
            audit::record(conn, &entry, now)?;
            Ok(())
        })
        .await?;
    let session_cookie = session::set_cookie(state, SESSION_COOKIE, &token, "/", "Lax", None);
    let clear_sign_in = session::set_cookie(
        state,
        csrf::SIGN_IN_COOKIE,
        "",
        "/sign-in",
        "Strict",
        Some(0),
    );
    Ok((
        StatusCode::SEE_OTHER,
        [(header::LOCATION, return_to.to_owned())],
        AppendHeaders([
            (header::SET_COOKIE, session_cookie),
            (header::SET_COOKIE, clear_sign_in),
        ]),
    )
        .into_response())
}

/// `POST /sign-out`: ends the session in the database, not just in the browser.
pub async fn sign_out(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Response, AppError> {
    let entry = AuditEntry {
        staff_id: Some(user.account.id),
        actor: user.audit_name(),
        action: "sign_out".into(),
        outcome: Outcome::Allowed,
        person_id: None,
        crn: None,
        detail: String::new(),
    };
    let token_hash = user.token_hash.clone();
    state
        .write(move |conn| {
            sessions::delete(conn, &token_hash)?;
            audit::record(conn, &entry, state.clock.now())?;
            Ok(())
        })
        .await?;
    let expired = session::set_cookie(&state, SESSION_COOKIE, "", "/", "Lax", Some(0));
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/sign-in".to_owned()),
            (header::SET_COOKIE, expired),
        ],
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_returned_to_after_sign_in() {
        assert_eq!(safe_return_to(Some("/cases/X123456")), "/cases/X123456");
        assert_eq!(safe_return_to(Some("https://evil.example")), "/");
        assert_eq!(safe_return_to(Some("//evil.example")), "/");
        assert_eq!(safe_return_to(Some("/\\evil.example")), "/");
        assert_eq!(safe_return_to(None), "/");
    }

    #[test]
    fn a_path_a_browser_would_read_as_another_site_or_a_header_break_is_not_returned_to() {
        for path in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/ /evil.example",
            "/cases\rSet-Cookie: x=1",
            "/\u{7f}/evil.example",
            "/\u{202e}/evil.example",
        ] {
            assert_eq!(safe_return_to(Some(path)), "/", "{path:?}");
        }
        assert_eq!(
            safe_return_to(Some("/cases?page=2&sort=risk#top")),
            "/cases?page=2&sort=risk#top"
        );
    }
}
