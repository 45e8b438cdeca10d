//! The web layer's one error type. Each variant is a response a person can act on; internal
//! failures are logged with their cause and shown only as a generic apology.

use crate::layout::Chrome;
use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use keepsafe_storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("page not found")]
    NotFound,
    /// Signed in but not allowed; the message says why and what to do.
    #[error("refused: {0}")]
    Refused(String),
    /// Not signed in (or the session expired): go to the sign-in page, then come back.
    #[error("sign-in required")]
    SignInRequired { return_to: Option<String> },
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The change clashes with the current state (someone else saved first, already answered).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The form's CSRF token was missing or wrong.
    #[error("form token rejected")]
    CsrfRejected,
    #[error("internal error: {0}")]
    Internal(String),
    /// The request body was over the route's limit; the message says what was too large.
    #[error("request body too large")]
    TooLarge(String),
    /// Every turn for uploads stayed taken: try again shortly.
    #[error("too many uploads at once")]
    UploadsBusy,
    /// The database cannot be reached just now: try again in a few minutes.
    #[error("service unavailable: {0}")]
    Unavailable(String),
}

impl From<StorageError> for AppError {
    fn from(error: StorageError) -> Self {
        match error {
            StorageError::NotFound => AppError::NotFound,
            StorageError::Conflict(message) => AppError::Conflict(message),
            other if other.is_unavailable() => AppError::Unavailable(other.to_string()),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        AppError::Internal(format!("template: {error}"))
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        if keepsafe_storage::error::connection_lost(&error) {
            return AppError::Unavailable(format!("database connection lost: {error}"));
        }
        AppError::Internal(format!("database: {error}"))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    heading: String,
    message: String,
}

/// What an error page said, kept on the response so the route guard, which knows who is signed
/// in, can render it again with their menu and sign-out button.
#[derive(Debug, Clone)]
pub struct ErrorDetails {
    pub heading: &'static str,
    pub message: String,
}

/// Renders an error page with the given page chrome.
pub fn error_page(status: StatusCode, details: ErrorDetails, chrome: Chrome) -> Response {
    let body = ErrorPage {
        chrome,
        heading: details.heading.to_owned(),
        message: details.message.clone(),
    }
    .render()
    .unwrap_or_else(|_| details.heading.to_owned());
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response();
    response.extensions_mut().insert(details);
    response
}

fn page(status: StatusCode, heading: &'static str, message: String) -> Response {
    error_page(
        status,
        ErrorDetails { heading, message },
        Chrome::anonymous(heading),
    )
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::NotFound => page(
                StatusCode::NOT_FOUND,
                "Page not found",
                "If you typed the web address, check it is correct. If you followed a case reference, the case may not exist.".into(),
            ),
            AppError::Refused(message) => page(
                StatusCode::FORBIDDEN,
                "You do not have access to this page",
                message,
            ),
            AppError::SignInRequired { return_to } => {
                let target = match return_to {
                    Some(path) => format!("/sign-in?return_to={}", encode_path(&path)),
                    None => "/sign-in".to_owned(),
                };
                Redirect::to(&target).into_response()
            }
            AppError::BadRequest(message) => page(
                StatusCode::BAD_REQUEST,
                "There is a problem with your request",
                message,
            ),
            AppError::Conflict(message) => page(
                StatusCode::CONFLICT,
                "Your changes could not be saved",
                message,
            ),
            AppError::CsrfRejected => page(
                StatusCode::FORBIDDEN,
                "This form has expired",
                "For your security the form could not be sent. Go back, refresh the page and try again.".into(),
            ),
            AppError::TooLarge(message) => page(
                StatusCode::PAYLOAD_TOO_LARGE,
                "What you sent was too large",
                format!("{message} Nothing you sent was saved."),
            ),
            AppError::UploadsBusy => page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, keepsafe is busy receiving other files",
                "Try sending your files again in a minute. Nothing you sent was saved.".into(),
            ),
            AppError::Internal(cause) => {
                tracing::error!(%cause, "request failed");
                page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Sorry, there is a problem with keepsafe",
                    "Try again later. Nothing you entered on this page was saved.".into(),
                )
            }
            AppError::Unavailable(cause) => {
                tracing::warn!(%cause, "database unavailable");
                let mut response = page(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Sorry, the service is unavailable",
                    "You will be able to use keepsafe again soon: try again in a few minutes. If you were saving a change, check whether it was saved before you enter it again.".into(),
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, header::HeaderValue::from_static("60"));
                response
            }
        }
    }
}

/// Audits a "not found" answer to a signed-in user, in a transaction of its own. A 404 rolls
/// back the transaction of the action that ended in it, audit row and all, so without this a
/// probe for another case's records (an assessment, attachment or check id under one's own case,
/// or a made-up case reference) would leave no trace. The row names the case when the path
/// does. If the row cannot be written the answer becomes an error: nothing goes unlogged.
pub async fn audit_not_found(
    state: &crate::state::AppState,
    user: Option<&crate::session::CurrentUser>,
    method: &axum::http::Method,
    path: &str,
    response: Response,
) -> Response {
    use keepsafe_storage::audit::{self, AuditEntry, Outcome};
    let Some(user) = user else {
        return response;
    };
    if response.status() != StatusCode::NOT_FOUND {
        return response;
    }
    let crn = path
        .strip_prefix("/cases/")
        .and_then(|rest| rest.split('/').next())
        .and_then(|raw| keepsafe_domain::crn::Crn::parse(raw).ok())
        .map(|crn| crn.as_str().to_owned());
    let entry = AuditEntry {
        staff_id: Some(user.account.id),
        actor: user.audit_name(),
        action: "not_found".into(),
        outcome: Outcome::Refused,
        person_id: None,
        crn,
        detail: format!("{method} {}", path.chars().take(512).collect::<String>()),
    };
    let clock = state.clock;
    match state
        .write(move |conn| Ok(audit::record(conn, &entry, clock.now())?))
        .await
    {
        Ok(()) => response,
        Err(error) => error.into_response(),
    }
}

/// Percent-encodes a local path for a query string.
fn encode_path(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The partner API answers in JSON, never with a page: an error page a handler or the guard
/// produced (a failure, the database unavailable) becomes `{"error": "…"}` with the same status
/// and headers, saying what the page says.
pub fn page_as_api_error(response: Response) -> Response {
    let Some(details) = response.extensions().get::<ErrorDetails>().cloned() else {
        return response;
    };
    let (mut parts, _) = response.into_parts();
    let message = format!("{}. {}", details.heading, details.message);
    let body = serde_json::json!({ "error": message }).to_string();
    parts.headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.extensions.remove::<ErrorDetails>();
    Response::from_parts(parts, axum::body::Body::from(body))
}
