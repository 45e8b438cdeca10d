//! Licences and release (issue #17, part 3; reference §2, §5, §6): the work on a custody case
//! before release, the licence the person is released on, and the release itself.
//!
//! Inspectors found curfews proposed and licences issued without anyone checking the women and
//! children living at the address. So a licence with a curfew or a residence condition cannot be
//! approved until the address suitability check (`crate::address_suitability`) for that address
//! has been approved; and the work before release is a set of dated tasks, not a memory.
//!
//! - [`rules`]: [`LicenceRules`], keepsafe's configurable numbers (weeks of handover, curfew hours).
//! - [`key_dates`]: the dates computed from the sentence (release, HDC eligibility, licence and
//!   sentence end), each with how it was worked out, and the prison's dates where recorded.
//! - [`conditions`]: the standard conditions in words, the additional conditions' kinds and the
//!   checks on their details, bespoke and victim-requested conditions.
//! - [`approval`]: draft → awaiting approval → approved; who may approve; what changed between
//!   versions.
//! - [`tasks`]: the handover and release-day tasks.

pub mod approval;
pub mod conditions;
pub mod key_dates;
pub mod rules;
pub mod tasks;

pub use approval::{
    approve, changes_between, submit, AddressState, ApprovalRefusal, ApprovalRequest,
    LicenceStatus, VersionKind,
};
pub use conditions::{
    check_condition, ConditionDetails, ConditionDraft, ConditionKind, ConditionProblem,
    LicenceCondition, VictimRequest, STANDARD_CONDITIONS,
};
pub use key_dates::{compute_key_dates, KeyDate, KeyDates, PrisonDates, SentenceFacts};
pub use rules::{LicenceRules, LICENCE_RULE_VERSION};
pub use tasks::{planned_tasks, LicenceTaskKind, PlannedTask, TaskStage};
