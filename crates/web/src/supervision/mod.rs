//! Supervision: the practitioner's daily work — the contact log, appointments, the diary and its
//! calendar feed, outcomes and the judgement of failures, contact standards, enforcement (warnings,
//! breach, recall) with its documents, and reminders to the person. Every case page here is opened
//! through [`crate::cases::access`].

pub mod appointments;
pub mod calendar;
pub mod contacts;
pub mod delivery;
pub mod diary;
pub mod documents;
pub mod enforcement;
pub mod outcomes;
pub mod reminders;
pub mod standards;

use crate::routes::Registry;

/// The area's routes, each with the access rule that guards it: one line per page module, so
/// each module's routes are added (and merged) on their own line.
#[allow(clippy::let_and_return)]
pub(crate) fn routes(registry: Registry) -> Registry {
    let registry = standards::routes(registry);
    let registry = contacts::routes(registry);
    let registry = appointments::routes(registry);
    let registry = outcomes::routes(registry);
    let registry = enforcement::routes(registry);
    let registry = documents::routes(registry);
    let registry = diary::routes(registry);
    let registry = calendar::routes(registry);
    reminders::routes(registry)
}
