//! Supervision: the practitioner's daily work — the contact log, appointments, the diary and its
//! calendar feed, outcomes and the judgement of failures, contact standards, enforcement (warnings,
//! breach, recall) with its documents, and reminders to the person. Every case page here is opened
//! through [`crate::cases::access`].

pub mod calendar;
pub mod delivery;
pub mod diary;
pub mod reminders;

use crate::routes::Registry;

/// The area's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    let registry = diary::routes(registry);
    let registry = calendar::routes(registry);
    reminders::routes(registry)
}
