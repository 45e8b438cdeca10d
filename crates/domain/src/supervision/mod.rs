//! Supervision in practice: the practitioner's daily work with a person on probation. Contacts and
//! appointments, their outcomes and the judgement of failures, the contact standard a case must
//! meet, enforcement (warnings, breach, recall) and reminders to the person.

pub mod appointment;
pub mod calendar_feed;
pub mod contact;
pub mod contact_log;
pub mod diary;
pub mod enforcement;
pub mod outcome;
pub mod reminders;
pub mod standards;
