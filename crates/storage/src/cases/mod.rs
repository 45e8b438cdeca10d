//! Cases: a person on probation's record, the caseloads that list them, and the review tasks a
//! change in their circumstances creates — what an officer reads and works through day to day.
//!
//! - [`record`]: the case record, everything held about one person.
//! - [`caseload`]: the cases of a practitioner, a team, or waiting for allocation in a PDU.
//! - [`search`]: finding a case by name, date of birth or CRN.
//! - [`tasks`]: "review the risk assessment" tasks.
//! - [`addresses`], [`household`]: keeping the addresses and household on the record current.
//! - [`consequences`]: what follows any edit of the record, in the edit's own transaction.
//! - [`details`]: personal details, aliases, disabilities, personal contacts and corrections.
//! - [`limited`]: limited access cases (exclusion and restriction lists), and the cases they
//!   hide from a member of staff, for every list to leave out.
//! - [`registrations`]: adding, reviewing and ending registrations, and the flags due for review.

pub mod addresses;
pub mod caseload;
pub mod consequences;
pub mod details;
pub mod household;
pub mod limited;
pub mod record;
pub mod registrations;
pub mod search;
pub mod tasks;
