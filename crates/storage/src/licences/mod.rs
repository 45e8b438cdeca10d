//! Licences and release (issue #17, part 3): the prison's key dates for a custody event, the
//! handover and release-day tasks, the catalogue of additional conditions, licences with their
//! versions and conditions, and recording release and the licence's end. The domain decides
//! (`keepsafe_domain::licences`); these functions store and read inside the caller's transaction,
//! so a caller can add its own writes (the victims area's "stage reached", say) to the same one.
//!
//! - [`catalogue`]: the additional conditions a licence can be given.
//! - [`prerelease`]: custody events, key dates, the address check's state, handover and release
//!   tasks.
//! - [`licence`]: licences, versions, conditions, approval, release and the licence's end.

pub mod catalogue;
pub mod licence;
pub mod prerelease;

/// What is shown when someone saves over a newer version of the licence.
pub const STALE_MESSAGE: &str = "Someone else changed this licence after you opened it, so your change was not saved. Reload the page to see their version, then make your change again.";

pub use licence::{
    end_licence, for_event, record_release, ConditionRecord, LicenceRecord, ReleaseRecorded,
    VersionRecord,
};
pub use prerelease::{custody_events, CustodyEvent, LicenceTaskRecord};
