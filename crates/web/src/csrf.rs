//! Cross-site request forgery protection: every state-changing request carries a token that only
//! keepsafe's own pages know. Signed-in forms use the session's token; the sign-in form, which has
//! no session yet, uses a token also held in a short-lived cookie (double submit).

use axum::body::{to_bytes, Body, Bytes};
use axum::http::Request;

pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";
pub const SIGN_IN_COOKIE: &str = "keepsafe_sign_in";

/// Largest form keepsafe accepts.
pub const MAX_FORM_BYTES: usize = 256 * 1024;

/// Largest form with files keepsafe accepts: a partner's answer may attach up to ten files of
/// 10 MB each, but one submission is capped at this, which the page says.
pub const MAX_UPLOAD_BYTES: usize = 25 * 1024 * 1024;

/// Reads the submitted token from the header or the body (urlencoded, or a multipart form's
/// `csrf_token` part), and gives the body back so the handler can still read it.
pub async fn submitted_token(request: Request<Body>) -> (Option<String>, Request<Body>) {
    let from_header = request
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let boundary = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok());
    let (parts, body) = request.into_parts();
    let limit = if boundary.is_some() {
        MAX_UPLOAD_BYTES
    } else {
        MAX_FORM_BYTES
    };
    let bytes = to_bytes(body, limit).await.unwrap_or_default();
    let from_form = match boundary {
        Some(boundary) => token_in_multipart(bytes.clone(), boundary).await,
        None => token_in_form(&bytes),
    };
    let request = Request::from_parts(parts, Body::from(bytes));
    (from_header.or(from_form), request)
}

fn token_in_form(bytes: &Bytes) -> Option<String> {
    serde_urlencoded_pairs(bytes)
        .into_iter()
        .find(|(key, _)| key == FIELD)
        .map(|(_, value)| value)
}

async fn token_in_multipart(bytes: Bytes, boundary: String) -> Option<String> {
    let mut parts = multer::Multipart::with_reader(std::io::Cursor::new(bytes), boundary);
    while let Ok(Some(part)) = parts.next_field().await {
        if part.name() == Some(FIELD) && part.file_name().is_none() {
            return part.text().await.ok();
        }
    }
    None
}

fn serde_urlencoded_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(bytes).unwrap_or_default()
}

/// Compares tokens in constant time, so timing does not reveal how much of a guess was right.
pub fn matches(expected: &str, submitted: Option<&str>) -> bool {
    let Some(submitted) = submitted else {
        return false;
    };
    if expected.is_empty() || expected.len() != submitted.len() {
        return false;
    }
    expected
        .bytes()
        .zip(submitted.bytes())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_token_matches() {
        assert!(matches("abc", Some("abc")));
        assert!(!matches("abc", Some("abd")));
        assert!(!matches("abc", Some("ab")));
        assert!(!matches("abc", None));
        assert!(!matches("", Some("")));
    }

    #[test]
    fn the_token_is_found_in_a_form_body() {
        let body = Bytes::from_static(b"username=jo&csrf_token=t0k%2B&password=x");
        assert_eq!(token_in_form(&body), Some("t0k+".to_owned()));
    }
}
