//! Programmes and interventions (issue 18, reference §1 and §2): the catalogue of accredited
//! programmes and structured interventions, a referral's workflow from referral to completion or
//! non-completion (each step a pure transition that refuses with the field to correct), the
//! measures the interventions dashboards show (waits, starts, completion rates), and the flag on a
//! requirement whose programme has not started in time.
//!
//! Inspectors found waits of six months to a year for programmes, and about a third of starters
//! completing (reference §1, 2019): the measures are built to show exactly those figures.

pub mod catalogue;
pub mod measures;
pub mod referral;
pub mod rules;

pub use catalogue::{Delivery, Focus, ProgrammeKind};
pub use measures::{measure, Measures, ReferralFacts, WaitSummary};
pub use referral::{
    AssessmentDraft, EndDraft, InvalidStep, NonCompletionReason, Referral, ReferralDraft,
    ReferralStatus, SessionDraft, StartDraft,
};
pub use rules::{start_flag, ProgrammeRules, StartFlag};
