//! MAPPA meetings and the list of MAPPA cases (reference §7; the rules are in
//! `keepsafe_domain::mappa`). A meeting is recorded as the review of the case's MAPPA
//! registration, in the same transaction, so the cadence, the tiers and the flag reviews on
//! `/tasks` read one place.

pub mod list;
pub mod meetings;
