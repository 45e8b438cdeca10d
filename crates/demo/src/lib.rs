//! A realistic demo probation region, generated deterministically from a seed.
//!
//! The generator is pure: no clock, no I/O. [`generate`] turns a [`DemoSpec`] into plain records
//! ([`DemoRegion`]); [`install`], the one module that writes, maps them to storage's bulk rows and
//! writes them in one transaction. The same seed and day always give the same region, so demos,
//! screenshots and tests are reproducible.
//!
//! Everything in it is fictional — the region, its towns, postcodes, courts, prisons, staff and
//! people — but shaped by published figures (reference §1): the first PDU has the caseload of an
//! inspected PDU, and officers hold the region's average caseloads.

mod accounts;
mod addresses;
mod allocation;
mod calendar;
mod cases;
mod contacts;
pub mod court;
mod crn;
mod enforcement;
mod events;
mod generate;
mod history;
mod household;
pub mod install;
pub mod licences;
pub mod limited_access;
mod mappa;
mod model;
mod names;
mod national;
mod needs;
mod offences;
mod organisation;
mod partners;
mod places;
mod plan;
mod predictors;
pub mod programmes;
mod quality;
mod random;
mod registrations;
pub mod reoffending;
mod requirements;
mod risk;
mod risk_text;
mod sentence_plans;
pub mod sfo;
mod spec;
pub mod victims;
mod workload;

pub use accounts::{demo_accounts, DemoAccount};
pub use generate::{generate, DemoPlan};
pub use model::*;
pub use spec::{DemoSpec, Scale, UnknownScale};

/// The password of every demo account. Demo-only: it is published here so anyone can try the
/// demo, so it must never be set on an account holding real data.
pub const DEMO_PASSWORD: &str = "keepsafe-demo-2026";
pub mod unpaid_work;
