//! Risk: what keepsafe knows about the harm a person may cause and to whom — the checks asked of
//! partners, the RoSH assessments built on them, the computed scores and tiers, and the suitability
//! of a proposed address.
//!
//! - [`assessments`]: RoSH assessments, from draft to countersigned.
//! - [`checks`]: safeguarding check requests and their responses.
//! - [`scores`]: OGRS3 scores and tiers, stored with their working.
//! - [`predictors`]: predictors recorded from an external assessment (RSR, ARP, CSRP, OSP, OVP).
//! - [`address_checks`]: curfew and home-address suitability checks.

pub mod address_checks;
pub mod assessments;
pub mod checks;
pub mod predictors;
pub mod scores;
