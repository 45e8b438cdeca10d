//! keepsafe's domain: the probation concepts and the rules that govern them.
//!
//! Everything here is plain data and pure functions. Nothing reads a clock, a file, a database or
//! the network: callers pass `today` or `now` in. That keeps every rule testable in milliseconds and
//! lets storage and web depend on this crate without this crate knowing they exist.

pub mod access;
pub mod address;
pub mod address_suitability;
pub mod age;
pub mod calendar;
pub mod checks;
pub mod codes;
pub mod court;
pub mod crn;
pub mod dataset;
pub mod event;
pub mod household;
pub mod licences;
pub mod mappa;
pub mod needs;
pub mod organisation;
pub mod partner;
pub mod person;
pub mod plans;
pub mod predictors;
pub mod programmes;
pub mod quality;
pub mod registration;
pub mod reoffending;
pub mod requirement;
pub mod review;
pub mod rosh;
pub mod sfo;
pub mod sign_in;
pub mod staff;
pub mod supervision;
pub mod text;
pub mod tiering;
pub mod victims;
pub mod workload;

pub use codes::{CodedValue, UnknownCode};
pub mod unpaid_work;
