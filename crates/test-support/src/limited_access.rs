//! Limited access fixtures: a case's exclusion and restriction lists written as the limited access
//! page writes them (`storage::cases::limited::add`, in one transaction), for the limited access
//! tests and the authorisation matrix.

use keepsafe_domain::access::limited::LimitList;
use keepsafe_storage::cases::limited;
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use uuid::Uuid;

/// Excludes `staff` from the case of `person`, added by `by` with `reason`; returns the entry.
pub fn exclude(
    conn: &mut AnyConnection,
    person: Uuid,
    staff: Uuid,
    by: Uuid,
    reason: &str,
) -> Result<Uuid, StorageError> {
    transaction::write(conn, |conn| {
        limited::add(
            conn,
            person,
            staff,
            LimitList::Exclusion,
            reason,
            by,
            crate::clock::now(),
        )
    })
}

/// Restricts the case of `person` to `staff` (each named once, in one transaction), added by
/// `by` with `reason`; returns the entries. Unlike the page, it does not insist on the case's
/// practitioner being named, so a test can make any restriction it needs.
pub fn restrict_to(
    conn: &mut AnyConnection,
    person: Uuid,
    staff: &[Uuid],
    by: Uuid,
    reason: &str,
) -> Result<Vec<Uuid>, StorageError> {
    transaction::write(conn, |conn| {
        staff
            .iter()
            .map(|member| {
                limited::add(
                    conn,
                    person,
                    *member,
                    LimitList::Restriction,
                    reason,
                    by,
                    crate::clock::now(),
                )
            })
            .collect()
    })
}
