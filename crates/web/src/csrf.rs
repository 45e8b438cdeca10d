//! Cross-site request forgery protection: every state-changing request carries a token that only
//! keepsafe's own pages know. Signed-in forms use the session's token; the sign-in form, which has
//! no session yet, uses a token also held in a short-lived cookie (double submit).

use axum::body::{to_bytes, Body, Bytes};
use axum::http::Request;

use crate::body_limits::BodyLimit;
use crate::error::AppError;

pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";
pub const SIGN_IN_COOKIE: &str = "keepsafe_sign_in";

/// Largest form without files keepsafe accepts (see [`crate::body_limits`]).
pub const MAX_FORM_BYTES: usize = crate::body_limits::MAX_FORM_BYTES;

/// Largest form with files keepsafe accepts: a partner's answer may attach up to ten files of
/// 10 MB each, but one submission is capped at this, which the page says.
pub const MAX_UPLOAD_BYTES: usize = 25 * 1024 * 1024;

/// Reads the submitted token from the header or the body (urlencoded, or a multipart form's
/// `csrf_token` part), and gives the body back so the handler can still read it. The body is read
/// up to the route's limit and no further: a longer one is refused as too large, never passed on
/// empty (which would read as an expired form or a missing answer).
pub async fn submitted_token(
    request: Request<Body>,
    limit: BodyLimit,
) -> Result<(Option<String>, Request<Body>), AppError> {
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
    // A body that cannot be read to the end within the limit is, in practice, one over it: a
    // sender that goes away mid-body never sees the answer.
    let bytes = to_bytes(body, limit.max_bytes())
        .await
        .map_err(|_| AppError::TooLarge(limit.too_large_message()))?;
    let fields = match boundary {
        Some(boundary) => text_fields_in_multipart(bytes.clone(), boundary).await,
        None => serde_urlencoded_pairs(&bytes),
    };
    refuse_hidden_characters(&fields)?;
    let from_form = fields
        .into_iter()
        .find(|(key, _)| key == FIELD)
        .map(|(_, value)| value);
    let request = Request::from_parts(parts, Body::from(bytes));
    Ok((from_header.or(from_form), request))
}

/// Refuses a form any of whose answers holds a character no one types but that changes how text
/// reads (a null, another control character, a direction override): checked here, once for every
/// form, so no page can store one; the domain's own text types refuse them too.
fn refuse_hidden_characters(fields: &[(String, String)]) -> Result<(), AppError> {
    match fields
        .iter()
        .find(|(_, value)| keepsafe_domain::text::hidden_character(value).is_some())
    {
        None => Ok(()),
        Some((name, _)) => Err(AppError::BadRequest(format!(
            "The answer to \u{201c}{}\u{201d} holds a hidden character (a null or control \
             character, or one that changes the direction of text), which keepsafe does not \
             store. Go back, type that answer again rather than pasting it, and send the form.",
            name.replace(['-', '_'], " ")
        ))),
    }
}

/// The text parts of a multipart form (files are checked by what they are, not as text).
async fn text_fields_in_multipart(bytes: Bytes, boundary: String) -> Vec<(String, String)> {
    let mut parts = multer::Multipart::with_reader(std::io::Cursor::new(bytes), boundary);
    let mut fields = Vec::new();
    while let Ok(Some(part)) = parts.next_field().await {
        if part.file_name().is_some() {
            continue;
        }
        let name = part.name().unwrap_or_default().to_owned();
        if let Ok(text) = part.text().await {
            fields.push((name, text));
        }
    }
    fields
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
    fn a_form_with_a_null_or_a_direction_override_is_refused_naming_the_answer() {
        for body in ["name=Jo%00e", "case-notes=abc%E2%80%AEfed"] {
            let fields = serde_urlencoded_pairs(body.as_bytes());
            let refused = refuse_hidden_characters(&fields).unwrap_err();
            assert!(matches!(refused, AppError::BadRequest(_)), "{body}");
        }
        let fields = serde_urlencoded_pairs(b"case-notes=abc%E2%80%AEfed");
        let Err(AppError::BadRequest(message)) = refuse_hidden_characters(&fields) else {
            panic!("not refused");
        };
        assert!(message.contains("\u{201c}case notes\u{201d}"), "{message}");
        let fine = serde_urlencoded_pairs(b"notes=line%0Aone%09tab");
        assert!(refuse_hidden_characters(&fine).is_ok());
    }
}
