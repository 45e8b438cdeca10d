//! Quality assurance against the inspectorate's standards (reference §12): the units rated, the
//! facts the automated indicators read, case audits and their moderation, samples, the ratings
//! panel's judgements, management oversight records and action plans — and the ratings built from
//! them by the domain ([`keepsafe_domain::quality`]).
//!
//! Every loader here is a bulk path: a unit's cases are read with a fixed number of queries per
//! 500 cases ([`facts`]), never one query per case.

pub mod audits;
pub mod case_indicators;
pub mod facts;
pub mod frameworks;
pub mod import;
pub mod judgements;
pub mod oversight;
pub mod plans;
pub mod ratings;
pub mod samples;
pub mod snapshots;
pub mod units;

pub use units::{LiveCase, Unit, UnitInfo};

/// Ids per `IN (...)` list.
const IDS_PER_QUERY: usize = 500;
