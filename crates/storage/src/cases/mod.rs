//! Cases: a person on probation's record, the caseloads that list them, and the review tasks a
//! change in their circumstances creates — what an officer reads and works through day to day.
//!
//! - [`record`]: the case record, everything held about one person.
//! - [`caseload`]: the cases of a practitioner, a team, or waiting for allocation in a PDU.
//! - [`tasks`]: "review the risk assessment" tasks.
//! - [`details`]: personal details, aliases, disabilities, personal contacts and corrections.
//! - [`registrations`]: adding, reviewing and ending registrations, and the flags due for review.

pub mod caseload;
pub mod details;
pub mod record;
pub mod registrations;
pub mod tasks;
