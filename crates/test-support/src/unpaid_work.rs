//! Unpaid work fixtures, written through storage as the pages write them: a community case with
//! an unpaid work requirement of so many hours (the demo's own unpaid work of that person taken
//! away), a project in a PDU, a session of it, and an allocation.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use keepsafe_domain::address::Postcode;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::unpaid_work::{ProjectFacts, ProjectKind, SessionFacts};
use keepsafe_domain::CodedValue;
use keepsafe_storage::schema::{events, requirements, upw_allocations, upw_attendance};
use keepsafe_storage::unpaid_work::{projects, sessions};
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use uuid::Uuid;

/// Makes the person's case a community order sentenced on `sentenced` with one active unpaid
/// work requirement of `hours` (any other requirement of the order ended, the demo's unpaid work
/// allocations and attendance of the person removed) and no enforcement history. Returns the
/// requirement.
pub fn community_order(
    conn: &mut AnyConnection,
    person: Uuid,
    hours: i32,
    sentenced: NaiveDate,
) -> Uuid {
    let event = crate::enforcement::make_case(conn, person, CaseType::Community);
    transaction::write(conn, |conn| {
        let person = person.to_string();
        diesel::delete(upw_attendance::table.filter(upw_attendance::person_id.eq(&person)))
            .execute(conn)?;
        diesel::delete(upw_allocations::table.filter(upw_allocations::person_id.eq(&person)))
            .execute(conn)?;
        diesel::update(events::table.find(event.to_string()))
            .set(events::sentence_date.eq(Some(sentenced)))
            .execute(conn)?;
        diesel::update(requirements::table.filter(requirements::event_id.eq(event.to_string())))
            .set(requirements::active.eq(false))
            .execute(conn)?;
        let id = Uuid::new_v4();
        diesel::insert_into(requirements::table)
            .values((
                requirements::id.eq(id.to_string()),
                requirements::event_id.eq(event.to_string()),
                requirements::kind.eq(RequirementKind::UnpaidWork.code()),
                requirements::length.eq(Some(hours)),
                requirements::detail.eq(None::<String>),
                requirements::start_date.eq(sentenced),
                requirements::end_date.eq(None::<NaiveDate>),
                requirements::active.eq(true),
            ))
            .execute(conn)?;
        Ok::<_, StorageError>(id)
    })
    .unwrap()
}

/// What kind of project a test needs.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProjectSpec {
    pub capacity: u32,
    pub travel_credited: bool,
    pub ete_available: bool,
}

/// Adds an open group project to `pdu`.
pub fn project(conn: &mut AnyConnection, pdu: Uuid, spec: ProjectSpec, by: Uuid) -> Uuid {
    let facts = ProjectFacts {
        name: "Test allotments".into(),
        kind: ProjectKind::Group,
        address: "Allotment Lane, Midchester".into(),
        postcode: Postcode::parse("NG1 6AB").unwrap(),
        supervisor: "Pat Green".into(),
        capacity: spec.capacity.max(1),
        travel_credited: spec.travel_credited,
        ete_available: spec.ete_available,
    };
    transaction::write(conn, |conn| {
        projects::add(conn, pdu, &facts, by, crate::clock::now())
    })
    .unwrap()
}

/// Adds a session of `project` from `starts_at` to `ends_at` (the same day).
pub fn session(
    conn: &mut AnyConnection,
    project: Uuid,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    by: Uuid,
) -> Uuid {
    transaction::write(conn, |conn| {
        let project = projects::find(conn, project)?;
        let facts = SessionFacts {
            day: starts_at.date(),
            starts_at,
            ends_at,
            supervisor: "Pat Green".into(),
        };
        sessions::add(conn, &project, &facts, by, crate::clock::now())
    })
    .unwrap()
}

/// Allocates the case `crn` to the session; returns the allocation.
pub fn allocate(conn: &mut AnyConnection, session: Uuid, crn: &str, by: Uuid) -> Uuid {
    transaction::write(conn, |conn| {
        let session = sessions::find(conn, session)?;
        let candidate = sessions::candidate(conn, session.pdu_id, crn)?
            .map_err(|why| StorageError::Conflict(why.message()))?;
        let done = sessions::allocate(conn, &session, &candidate, by, crate::clock::now())?
            .map_err(|why| StorageError::Conflict(why.message()))?;
        Ok::<_, StorageError>(done.0)
    })
    .unwrap()
}

/// A new PDU in the same region as `pdu` (the small demo region has one), for refusals across
/// PDUs.
pub fn another_pdu(conn: &mut AnyConnection, pdu: Uuid) -> Uuid {
    use keepsafe_storage::schema::pdus;
    let region: String = pdus::table
        .find(pdu.to_string())
        .select(pdus::region_id)
        .first(conn)
        .unwrap();
    let id = Uuid::new_v4();
    diesel::insert_into(pdus::table)
        .values((
            pdus::id.eq(id.to_string()),
            pdus::region_id.eq(region),
            pdus::code.eq(format!("X{}", &id.simple().to_string()[..5])),
            pdus::name.eq("Elsewhere"),
        ))
        .execute(conn)
        .unwrap();
    id
}
