//! How much of a request body keepsafe will read, and when.
//!
//! A body is read only once the sender is known (the session, or the partner API token), and never
//! more of it than the route takes: forms without files are small, so only the few routes that take
//! files read more, and only a few of those at once, so large anonymous or concurrent uploads cannot
//! exhaust memory. A body over the limit is answered with 413 and what was too large, never read
//! as an empty form.

use axum::http::{header, HeaderMap};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Largest form without files keepsafe reads.
pub const MAX_FORM_BYTES: usize = 256 * 1024;

/// Uploads read at once across the server: each may hold up to its route's limit in memory while
/// it is checked and stored, so this bounds what uploads can take (two of 25 MB, about 100 MB with
/// the parsed copy).
pub const MAX_CONCURRENT_UPLOADS: usize = 2;

/// How long an upload waits for its turn before it is refused as busy.
pub const UPLOAD_WAIT: Duration = Duration::from_secs(30);

/// What a route reads of a request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyLimit {
    /// A form without files: at most [`MAX_FORM_BYTES`].
    Form,
    /// A form or API request carrying files, up to this many bytes, read one of a few at a time.
    Files(usize),
}

impl BodyLimit {
    pub fn max_bytes(self) -> usize {
        match self {
            BodyLimit::Form => MAX_FORM_BYTES,
            BodyLimit::Files(bytes) => bytes,
        }
    }

    /// What was too large, in words, for the 413 answer.
    pub fn too_large_message(self) -> String {
        match self {
            BodyLimit::Form => format!(
                "The form you sent was larger than {}, the most keepsafe accepts for a form \
                 without files. Shorten the longest answers and send it again.",
                size_in_words(MAX_FORM_BYTES)
            ),
            BodyLimit::Files(bytes) => format!(
                "What you sent was larger than {}, the most keepsafe accepts in one go. Send \
                 fewer or smaller files.",
                size_in_words(bytes)
            ),
        }
    }

    pub fn takes_files(self) -> bool {
        matches!(self, BodyLimit::Files(_))
    }
}

/// A size as people say it: "256 KB", "25 MB".
pub fn size_in_words(bytes: usize) -> String {
    const MB: usize = 1024 * 1024;
    if bytes >= MB {
        format!("{} MB", bytes.div_ceil(MB))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// The declared length of the body, when the sender declared one.
pub fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// Whether the declared length is already over the limit, so the body need not be read at all.
pub fn declared_too_large(headers: &HeaderMap, limit: BodyLimit) -> bool {
    declared_length(headers).is_some_and(|length| length > limit.max_bytes() as u64)
}

/// The turns for reading uploads, shared by every route that takes files.
#[derive(Debug, Clone)]
pub struct Uploads(Arc<Semaphore>);

impl Default for Uploads {
    fn default() -> Self {
        Self::with_turns(MAX_CONCURRENT_UPLOADS)
    }
}

impl Uploads {
    pub fn with_turns(turns: usize) -> Self {
        Self(Arc::new(Semaphore::new(turns)))
    }

    /// Waits up to `wait` for a turn; `None` when every turn stayed taken.
    pub async fn turn(&self, wait: Duration) -> Option<OwnedSemaphorePermit> {
        tokio::time::timeout(wait, self.0.clone().acquire_owned())
            .await
            .ok()
            .and_then(Result::ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_said_in_kilobytes_or_megabytes() {
        assert_eq!(size_in_words(MAX_FORM_BYTES), "256 KB");
        assert_eq!(size_in_words(25 * 1024 * 1024), "25 MB");
    }

    #[test]
    fn a_declared_length_over_the_limit_is_too_large_before_reading() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_LENGTH, "262145".parse().unwrap());
        assert!(declared_too_large(&headers, BodyLimit::Form));
        assert!(!declared_too_large(&headers, BodyLimit::Files(1024 * 1024)));
        headers.insert(header::CONTENT_LENGTH, "262144".parse().unwrap());
        assert!(!declared_too_large(&headers, BodyLimit::Form));
    }

    #[tokio::test]
    async fn uploads_past_the_turns_wait_then_are_refused() {
        let uploads = Uploads::with_turns(1);
        let first = uploads.turn(Duration::from_millis(10)).await;
        assert!(first.is_some());
        assert!(uploads.turn(Duration::from_millis(10)).await.is_none());
        drop(first);
        assert!(uploads.turn(Duration::from_millis(10)).await.is_some());
    }
}
