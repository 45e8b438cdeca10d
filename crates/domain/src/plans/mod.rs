//! The sentence plan (issue #16, reference §3 and §12 standard 2.2): what supervision will do
//! about the person's criminogenic needs and the risks in their risk of serious harm assessment.
//!
//! Inspectors rate planning on whether it prioritises the most critical risks, sets out both
//! constructive work (a programme, help into work) and restrictive measures (a curfew, an
//! exclusion zone, no contact), links to other agencies' work, and involves the person. So a plan
//! here is objectives, each linked to needs ([`crate::needs::Section`]) and risks
//! ([`crate::rosh::RiskGroup`]) and each with actions saying what, who and by when; the person's
//! own words and whether they agree; progress per objective; and reviews.
//!
//! - [`plan`]: the plan's parts, the checks that refuse bad input with the field named, and the
//!   move from draft to active (countersigned first for a high or very high RoSH case).
//! - [`rules`]: [`PlanRules`], when a plan is reviewed.

pub mod plan;
pub mod rules;

pub use plan::{
    check_objective, check_persons_view, countersign, submit, ActionDraft, ActionKind, ActionOwner,
    Agreement, Objective, ObjectiveDraft, PersonsView, PlanAction, PlanContent, PlanProblem,
    PlanStatus, Progress, Submitted,
};
pub use rules::{PlanRules, ReviewReason, PLAN_RULE_VERSION};
