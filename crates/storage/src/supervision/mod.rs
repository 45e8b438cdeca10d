//! Supervision: the practitioner's daily work with a person on probation — contacts and
//! appointments and their outcomes, enforcement and its documents, contact standards, reminders
//! and calendar feeds. The rules are in `keepsafe_domain::supervision`.
//!
//! - [`contacts`]: writing contacts and appointments (one row each in `contacts`).
//! - [`standards`]: the contact standard's versions and what it reads about cases.

pub mod contacts;
pub mod standards;
