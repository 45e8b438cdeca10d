//! MAPPA (multi-agency public protection arrangements, reference §7): the meetings at which the
//! agencies manage a level 2 or level 3 case together, and when the next one is due.
//!
//! The category and level themselves belong to the MAPPA registration
//! ([`crate::registration::MappaCategory`], [`crate::registration::MappaLevel`]), because the
//! tiers and the registration reviews read them there. A meeting is the review of that
//! registration: it confirms or changes the category and level and sets the next review, on the
//! cadence of [`crate::registration::RegistrationReviewRules`] (level 2 at least every 16 weeks,
//! level 3 every 8, configurable).

pub mod meeting;
pub mod status;

pub use meeting::{InvalidMeeting, MappaAgency, MeetingDraft, MeetingFacts};
pub use status::{review_status, ReviewStatus};
