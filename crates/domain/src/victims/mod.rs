//! Victims: the statutory victim contact scheme (reference §6). Who is eligible and why
//! ([`eligibility`]), the versioned numbers of the scheme ([`rules`]) and what a victim liaison
//! officer records about a victim ([`record`]).
//!
//! The victim's identity and where they live are for victim liaison only; what everyone else who
//! may open the case sees is decided in storage by the types it returns
//! (`storage::victims::VictimSummaryForCase` has no identity fields), not here.

pub mod eligibility;
pub mod record;
pub mod rules;

pub use eligibility::{assess_eligibility, Eligibility, EligibilityInputs};
pub use record::{
    check_condition, check_contact, check_victim, ConditionForm, ConditionKind, ConditionStatus,
    NewCondition, NewContact, NewVictim, VictimForm, VictimProblem, VictimRole, VictimStage,
};
pub use rules::{VictimContactRules, VICTIM_CONTACT_RULE_VERSION};
