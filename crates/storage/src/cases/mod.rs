//! Cases: a person on probation's record, the caseloads that list them, and the review tasks a
//! change in their circumstances creates — what an officer reads and works through day to day.
//!
//! - [`record`]: the case record, everything held about one person.
//! - [`caseload`]: the cases of a practitioner, a team, or waiting for allocation in a PDU.
//! - [`search`]: finding a case by name, date of birth or CRN.
//! - [`tasks`]: "review the risk assessment" tasks.

pub mod caseload;
pub mod record;
pub mod search;
pub mod tasks;
