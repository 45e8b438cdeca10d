//! Supervision: the practitioner's daily work with a person on probation — contacts and
//! appointments and their outcomes, enforcement and its documents, contact standards, reminders
//! and calendar feeds. The rules are in `keepsafe_domain::supervision`.
//!
//! - [`contacts`]: writing contacts and appointments (one row each in `contacts`), the contact
//!   log, moving and cancelling, the next appointment, and system events.
//! - [`outcomes`]: outcomes of appointments and the judgement of failures.
//! - [`enforcement`]: warnings, breach action and recall, each step logged.
//! - [`documents`]: the case's generated and uploaded documents.
//! - [`diary`]: a practitioner's or team's appointments by period, and those without an outcome.
//! - [`calendar`]: calendar feed addresses and the appointments a feed holds.
//! - [`outbox`]: reminder preferences and the outbox of messages to people on probation.
//! - [`standards`]: the contact standard's versions and what it reads about cases.

pub mod calendar;
pub mod contacts;
pub mod diary;
pub mod documents;
pub mod enforcement;
pub mod outbox;
pub mod outcomes;
pub mod standards;
