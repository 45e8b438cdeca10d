//! Unpaid work projects: where the work is done, by whom it is supervised and how many places a
//! session has. Kept by the PDU's managers.

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{pdus, upw_projects};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::unpaid_work::{ProjectFacts, ProjectKind};
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// A project as the pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub id: Uuid,
    pub pdu_id: Uuid,
    pub region_id: Uuid,
    pub name: String,
    pub kind: ProjectKind,
    pub address: String,
    pub postcode: String,
    pub supervisor: String,
    pub capacity: u32,
    pub travel_credited: bool,
    pub ete_available: bool,
    pub active: bool,
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i32,
    bool,
    bool,
    bool,
);

macro_rules! select_project {
    () => {
        (
            upw_projects::id,
            upw_projects::pdu_id,
            pdus::region_id,
            upw_projects::name,
            upw_projects::kind,
            upw_projects::address,
            upw_projects::postcode,
            upw_projects::supervisor,
            upw_projects::capacity,
            upw_projects::travel_credited,
            upw_projects::ete_available,
            upw_projects::active,
        )
    };
}

fn project(row: Row) -> StorageResult<Project> {
    Ok(Project {
        id: rows::id(&row.0)?,
        pdu_id: rows::id(&row.1)?,
        region_id: rows::id(&row.2)?,
        name: row.3,
        kind: rows::code(&row.4)?,
        address: row.5,
        postcode: row.6,
        supervisor: row.7,
        capacity: u32::try_from(row.8).unwrap_or(0),
        travel_credited: row.9,
        ete_available: row.10,
        active: row.11,
    })
}

/// The project `id` (not found if there is none).
pub fn find(conn: &mut AnyConnection, id: Uuid) -> StorageResult<Project> {
    let row = upw_projects::table
        .inner_join(pdus::table.on(pdus::id.eq(upw_projects::pdu_id)))
        .filter(upw_projects::id.eq(id.to_string()))
        .select(select_project!())
        .first::<Row>(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    project(row)
}

/// The PDU's projects, open ones first, by name.
pub fn for_pdu(conn: &mut AnyConnection, pdu: Uuid) -> StorageResult<Vec<Project>> {
    upw_projects::table
        .inner_join(pdus::table.on(pdus::id.eq(upw_projects::pdu_id)))
        .filter(upw_projects::pdu_id.eq(pdu.to_string()))
        .order((upw_projects::active.desc(), upw_projects::name.asc()))
        .select(select_project!())
        .load::<Row>(conn)?
        .into_iter()
        .map(project)
        .collect()
}

fn capacity(facts: &ProjectFacts) -> i32 {
    i32::try_from(facts.capacity).unwrap_or(i32::MAX)
}

/// Adds an open project to the PDU; returns its id.
pub fn add(
    conn: &mut AnyConnection,
    pdu: Uuid,
    facts: &ProjectFacts,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(upw_projects::table)
        .values((
            upw_projects::id.eq(id.to_string()),
            upw_projects::pdu_id.eq(pdu.to_string()),
            upw_projects::name.eq(&facts.name),
            upw_projects::kind.eq(facts.kind.code()),
            upw_projects::address.eq(&facts.address),
            upw_projects::postcode.eq(facts.postcode.as_str()),
            upw_projects::supervisor.eq(&facts.supervisor),
            upw_projects::capacity.eq(capacity(facts)),
            upw_projects::travel_credited.eq(facts.travel_credited),
            upw_projects::ete_available.eq(facts.ete_available),
            upw_projects::active.eq(true),
            upw_projects::updated_by.eq(by.to_string()),
            upw_projects::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Changes a project's details and whether it is open; returns it as it was.
pub fn update(
    conn: &mut AnyConnection,
    id: Uuid,
    facts: &ProjectFacts,
    active: bool,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Project> {
    let before = find(conn, id)?;
    diesel::update(upw_projects::table.filter(upw_projects::id.eq(id.to_string())))
        .set((
            upw_projects::name.eq(&facts.name),
            upw_projects::kind.eq(facts.kind.code()),
            upw_projects::address.eq(&facts.address),
            upw_projects::postcode.eq(facts.postcode.as_str()),
            upw_projects::supervisor.eq(&facts.supervisor),
            upw_projects::capacity.eq(capacity(facts)),
            upw_projects::travel_credited.eq(facts.travel_credited),
            upw_projects::ete_available.eq(facts.ete_available),
            upw_projects::active.eq(active),
            upw_projects::updated_by.eq(by.to_string()),
            upw_projects::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(before)
}
