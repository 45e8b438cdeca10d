//! Keeping the household current: someone joins, someone leaves, a relationship or date of birth
//! is corrected. The household is who the domestic-abuse and children's-services checks protect,
//! and the tiers count the children in it, so every change here is followed by
//! [`crate::cases::consequences`].
//!
//! Changes are guarded by the values they were read with, so of two people changing the same
//! member at once the second is told someone else got there first ([`CHANGED_SINCE`]).

use crate::cases::record::{self, HouseholdRecord};
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::schema::household_members;
use chrono::NaiveDate;
use diesel::prelude::*;
use keepsafe_domain::household::Relationship;
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// What a conflicting change is told.
pub const CHANGED_SINCE: &str =
    "Someone else has changed this household member since you opened the page: check the household and try again";

/// Someone who has joined the household.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub first_name: String,
    pub last_name: String,
    pub relationship: Relationship,
    pub date_of_birth: Option<NaiveDate>,
    /// The day they started living with the person.
    pub joined_on: NaiveDate,
}

/// Adds a member of the household.
pub fn add(
    conn: &mut AnyConnection,
    person_id: Uuid,
    member: &NewMember,
) -> StorageResult<HouseholdRecord> {
    let id = Uuid::new_v4();
    diesel::insert_into(household_members::table)
        .values((
            household_members::id.eq(id.to_string()),
            household_members::person_id.eq(person_id.to_string()),
            household_members::first_name.eq(&member.first_name),
            household_members::last_name.eq(&member.last_name),
            household_members::relationship.eq(member.relationship.code()),
            household_members::date_of_birth.eq(member.date_of_birth),
            household_members::start_date.eq(member.joined_on),
            household_members::end_date.eq(None::<NaiveDate>),
        ))
        .execute(conn)?;
    find(conn, person_id, id)
}

/// One member of the person's household, past or present; `NotFound` for someone else's.
pub fn find(conn: &mut AnyConnection, person_id: Uuid, id: Uuid) -> StorageResult<HouseholdRecord> {
    record::household(conn, person_id)?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or(StorageError::NotFound)
}

/// The member no longer lives with the person from `left_on`. Returns them as they were and as
/// they now are; someone already recorded as gone is refused with [`CHANGED_SINCE`].
pub fn left(
    conn: &mut AnyConnection,
    person_id: Uuid,
    id: Uuid,
    left_on: NaiveDate,
) -> StorageResult<(HouseholdRecord, HouseholdRecord)> {
    let before = find(conn, person_id, id)?;
    let updated = diesel::update(
        household_members::table
            .filter(household_members::id.eq(id.to_string()))
            .filter(household_members::end_date.is_null()),
    )
    .set(household_members::end_date.eq(Some(left_on)))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(CHANGED_SINCE.into()));
    }
    Ok((before, find(conn, person_id, id)?))
}

/// Corrects a member's relationship and date of birth, if they are still what the person
/// correcting them saw (`seen`); otherwise refused with [`CHANGED_SINCE`]. Returns the member as
/// they were and as they now are.
pub fn correct(
    conn: &mut AnyConnection,
    person_id: Uuid,
    id: Uuid,
    seen: (Relationship, Option<NaiveDate>),
    relationship: Relationship,
    date_of_birth: Option<NaiveDate>,
) -> StorageResult<(HouseholdRecord, HouseholdRecord)> {
    let before = find(conn, person_id, id)?;
    let target = household_members::table
        .filter(household_members::id.eq(id.to_string()))
        .filter(household_members::relationship.eq(seen.0.code()));
    let change = (
        household_members::relationship.eq(relationship.code()),
        household_members::date_of_birth.eq(date_of_birth),
    );
    let updated = match seen.1 {
        Some(dob) => diesel::update(target.filter(household_members::date_of_birth.eq(dob)))
            .set(change)
            .execute(conn)?,
        None => diesel::update(target.filter(household_members::date_of_birth.is_null()))
            .set(change)
            .execute(conn)?,
    };
    if updated == 0 {
        return Err(StorageError::Conflict(CHANGED_SINCE.into()));
    }
    Ok((before, find(conn, person_id, id)?))
}
