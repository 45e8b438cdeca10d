//! Court work (issue #17): the courts each PDU covers, their lists of hearings by day (added one at
//! a time or imported from a file, each matched to a case or making a pre-sentence case), the
//! pre-sentence reports and requests to adjourn, and the sentence recorded from the court's result.
//! The domain decides (`keepsafe_domain::court`); these functions store and read, each inside the
//! caller's transaction, so an import or a sentence is written whole or not at all.
//!
//! - [`courts`]: the courts and where they sit.
//! - [`hearings`]: adding hearings (matching or making the case), the list of a day, a hearing.
//! - [`reports`]: pre-sentence reports, their adjournments, and the facts the proposal's gate reads.
//! - [`sentences`]: recording the sentence: the event, its requirements and the allocation task.

pub mod courts;
pub mod hearings;
pub mod reports;
pub mod sentences;

/// What is shown when someone saves over a newer version of a report.
pub const STALE_MESSAGE: &str = "Someone else changed this report after you opened it, so your changes were not saved. Reload the page to see their version, then make your changes again.";
