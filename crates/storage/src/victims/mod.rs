//! Victims: the statutory victim contact scheme (`victim_referrals`, `victims`, `victim_contacts`,
//! `victim_views`, `victim_conditions`; migration 24).
//!
//! Segregation is by type. [`records`] reads and writes victims' identities, addresses and
//! contacts and is for victim liaison only (the web calls it only after
//! `Action::WorkWithVictims`). Every other path reads [`summary::for_case`], whose
//! [`summary::VictimSummaryForCase`] has no field that could hold a victim's name, address,
//! telephone or email — its query selects none of those columns. [`stages::stage_reached`] is how
//! other areas tell the scheme a stage was reached (a recall, a release, a licence ending).

pub mod eligibility;
pub mod records;
pub mod referrals;
pub mod stages;
pub mod summary;
pub mod worklist;

pub use stages::stage_reached;
pub use summary::{for_case as summary_for_case, VictimSummaryForCase};
