//! Server-side sessions: the cookie carries a random token, the database holds its hash, the
//! member of staff it belongs to and the CSRF token for their forms.

use crate::error::AppError;
use crate::state::AppState;
use axum::http::HeaderMap;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use keepsafe_storage::sign_in::sessions;
use keepsafe_storage::staff;
use keepsafe_storage::staff::StaffAccount;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "keepsafe_session";

/// The signed-in member of staff for this request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub account: StaffAccount,
    pub token_hash: String,
    pub csrf_token: String,
}

impl CurrentUser {
    /// The name written in the audit log.
    pub fn audit_name(&self) -> String {
        self.account
            .username
            .clone()
            .unwrap_or_else(|| self.account.id.to_string())
    }
}

/// 256 random bits, URL-safe: for session tokens and CSRF tokens.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Reads one cookie from the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A `Set-Cookie` value with keepsafe's attributes: HttpOnly always, Secure when configured.
pub fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    path: &str,
    same_site: &str,
    max_age_seconds: Option<i64>,
) -> String {
    let mut cookie = format!("{name}={value}; Path={path}; HttpOnly; SameSite={same_site}");
    if state.config.secure_cookies {
        cookie.push_str("; Secure");
    }
    if let Some(age) = max_age_seconds {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    cookie
}

/// Finds the live session for the request's cookie and its member of staff, sliding the idle
/// expiry forward. Expired sessions, ended sessions and deactivated accounts give `None`.
pub async fn current_user(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<CurrentUser>, AppError> {
    let clock = state.clock;
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let token_hash = hash_token(token);
    let idle = state.config.session_idle;
    let absolute = state.config.session_absolute;
    let lookup_hash = token_hash.clone();
    // Most requests only read: the write lock is taken only to end a session or slide its expiry.
    let found = state
        .read(move |conn| {
            let now = clock.now();
            let Some(session) = sessions::find_active(conn, &lookup_hash, now)? else {
                return Ok(None);
            };
            let account = staff::find(conn, session.staff_id)?;
            Ok(Some((session, account)))
        })
        .await?;
    let Some((session, account)) = found else {
        return Ok(None);
    };
    let now = clock.now();
    let ended = session.created_at + absolute <= now || !account.active;
    let next_expiry = sliding_expiry(now, session.created_at, idle, absolute);
    // Slide the expiry only when it would move by more than a minute: one write per minute of
    // activity, not one per request.
    let slide = next_expiry - session.expires_at > chrono::Duration::minutes(1);
    if ended || slide {
        let hash = token_hash.clone();
        state
            .write(move |conn| {
                if ended {
                    sessions::delete(conn, &hash)?;
                } else {
                    sessions::touch(conn, &hash, now, next_expiry)?;
                }
                Ok(())
            })
            .await?;
    }
    if ended {
        return Ok(None);
    }
    Ok(Some(CurrentUser {
        account,
        token_hash,
        csrf_token: session.csrf_token,
    }))
}

/// The idle expiry, never beyond the absolute limit.
pub fn sliding_expiry(
    now: DateTime<Utc>,
    created_at: DateTime<Utc>,
    idle: chrono::Duration,
    absolute: chrono::Duration,
) -> DateTime<Utc> {
    (now + idle).min(created_at + absolute)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn tokens_are_random_and_hashes_are_stable() {
        assert_ne!(random_token(), random_token());
        assert_eq!(hash_token("abc"), hash_token("abc"));
        assert_eq!(hash_token("abc").len(), 64);
    }

    #[test]
    fn a_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::COOKIE,
            HeaderValue::from_static("a=1; keepsafe_session=tok; b=2"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("tok"));
        assert_eq!(cookie(&headers, "missing"), None);
    }

    #[test]
    fn the_idle_expiry_never_passes_the_absolute_limit() {
        use chrono::TimeZone;
        let created = Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap();
        let late = created + chrono::Duration::hours(11) + chrono::Duration::minutes(50);
        let expiry = sliding_expiry(
            late,
            created,
            chrono::Duration::minutes(30),
            chrono::Duration::hours(12),
        );
        assert_eq!(expiry, created + chrono::Duration::hours(12));
    }
}
