//! Programmes and interventions (issue 18; the rules are `keepsafe_domain::programmes`): the
//! catalogue, a case's referrals and the sessions recorded for them (each session a programme
//! session contact in the contact log), the requirements whose programme has not started in time,
//! and the dashboard's reads of a unit — one bulk read of its referrals for the measures, and the
//! longest waiting, paged.

pub mod catalogue;
pub mod dashboard;
pub mod referrals;
pub mod requirements;

use uuid::Uuid;

/// Whose referrals and requirements to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgrammeScope {
    /// The cases allocated to a practitioner.
    Staff(Uuid),
    Team(Uuid),
    Pdu(Uuid),
    Region(Uuid),
}
