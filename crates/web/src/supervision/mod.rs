//! Supervision: the practitioner's daily work — the contact log, appointments, the diary and its
//! calendar feed, outcomes and the judgement of failures, contact standards, enforcement (warnings,
//! breach, recall) with its documents, and reminders to the person. Every case page here is opened
//! through [`crate::cases::access`].

pub mod appointments;
pub mod contacts;
pub mod documents;
pub mod enforcement;
pub mod outcomes;

use crate::routes::Registry;

/// The area's routes, each with the access rule that guards it: one line per page module, so
/// each module's routes are added (and merged) on their own line.
#[allow(clippy::let_and_return)]
pub(crate) fn routes(registry: Registry) -> Registry {
    let registry = contacts::routes(registry);
    let registry = appointments::routes(registry);
    let registry = outcomes::routes(registry);
    let registry = enforcement::routes(registry);
    documents::routes(registry)
}
