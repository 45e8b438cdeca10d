//! Supervision: the practitioner's daily work — the contact log, appointments, the diary and its
//! calendar feed, outcomes and the judgement of failures, contact standards, enforcement (warnings,
//! breach, recall) with its documents, and reminders to the person. Every case page here is opened
//! through [`crate::cases::access`].

use crate::routes::Registry;

pub mod standards;

/// The area's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    standards::routes(registry)
}
