//! Sentence plans (issue #16): the plan, its objectives (linked to needs and risks by code),
//! actions, the person's words and agreement, progress, countersigning, reviews and the "review
//! the sentence plan" tasks. The domain decides (`keepsafe_domain::plans`); these functions store
//! and read, each inside the caller's transaction, and every edit is guarded by the plan's
//! version so an edit made meanwhile is refused rather than overwritten.
//!
//! - [`read`]: a case's plans with everything they hold, newest first.
//! - [`write`]: starting a plan (or a revision of the active one), objectives, the person's view,
//!   submitting, countersigning, progress.
//! - [`reviews`]: reviews, and the review tasks that regular reviews and significant change call for.
//! - [`facts`]: what the planning quality indicators read, for many cases at once.

pub mod facts;
pub mod read;
pub mod reviews;
pub mod write;

/// What is shown when someone saves over a newer version of the plan.
pub const STALE_MESSAGE: &str = "Someone else changed this plan after you opened it, so your changes were not saved. Reload the page to see their version, then make your changes again.";

pub use read::{current, for_person, open, PlanRecord, ReviewRecord};
pub use reviews::ReviewTaskRecord;
