//! MAPPA fixtures: a case registered under MAPPA at a level, written through storage as the
//! registration form writes one (so the tiers and review task follow), for the MAPPA page, list
//! and meeting tests.

use chrono::NaiveDate;
use keepsafe_domain::registration::{
    MappaCategory, MappaLevel, RegistrationDetail, RegistrationKind,
};
use keepsafe_storage::cases::registrations::{self, NewRegistration};
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use uuid::Uuid;

/// Registers `person` under MAPPA category 2 at `level` on `registered_on`, next reviewed on
/// `next_review_on`, and returns the registration's id.
pub fn registered(
    conn: &mut AnyConnection,
    person: Uuid,
    level: MappaLevel,
    registered_on: NaiveDate,
    next_review_on: NaiveDate,
    by: Uuid,
) -> Result<Uuid, StorageError> {
    let new = NewRegistration {
        detail: RegistrationDetail::new(
            RegistrationKind::Mappa,
            Some(MappaCategory::ViolentOffender),
            Some(level),
        )
        .expect("a MAPPA registration with a category and level"),
        registered_on,
        next_review_on,
        notes: "Registered for the test".into(),
    };
    transaction::write(conn, |conn| {
        registrations::add(conn, person, &new, by, crate::clock::now())
    })
    .map(|(id, _)| id)
}
