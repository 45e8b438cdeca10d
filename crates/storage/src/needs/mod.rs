//! Needs: the needs assessments of each person — drafts, the one in force and the ones it
//! superseded — and the reviews a change in circumstances asks of the one in force.
//!
//! - [`assessments`]: drafts saved with optimistic locking, completion (which recomputes the
//!   tiers in the same transaction), and the bulk read the tiers and OGP are computed from.
//! - [`reviews`]: "review the needs assessment" after a change in circumstances.

pub mod assessments;
pub mod reviews;
