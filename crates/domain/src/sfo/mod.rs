//! Serious further offences (reference §8): a person charged with a qualifying serious offence
//! committed while under supervision, or within 28 days after it ended, is notified to HMPPS and
//! the supervision is reviewed, so the service learns from it.
//!
//! - [`offences`]: the qualifying offences (keepsafe's reading of the SFO Procedures Policy
//!   Framework).
//! - [`charge`]: a charge as recorded, and the decision whether it qualifies, with its reasons.
//! - [`rules`]: the versioned deadlines (notify within 10 working days of the charge being known,
//!   review within 60 working days of notification, both configurable).
//! - [`review`]: notification, the reviewer, the findings, completion, and the state and overdue
//!   flags worked out from the dates.

pub mod charge;
pub mod offences;
pub mod review;
pub mod rules;

pub use charge::{Charge, ChargeDraft, InvalidCharge, SupervisedPeriod};
pub use offences::QualifyingOffence;
pub use review::{
    check_reviewer, Completion, CompletionDraft, Findings, InvalidReview, ReviewerCandidate,
    SfoDates, SfoState,
};
pub use rules::SfoRules;
