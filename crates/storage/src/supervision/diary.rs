//! Reading the diary: a practitioner's or a team's appointments in a period, and the appointments
//! still waiting for their outcome. Each list is a fixed number of queries (the appointments with
//! their people, then the names of the staff they are with), never one per row.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{contacts, people, staff};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use keepsafe_domain::supervision::contact::{
    ContactOutcome, ContactStatus, ContactType, FailureJudgement, LocationKind,
};
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// One appointment as the diary lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiaryEntry {
    pub contact_id: Uuid,
    pub person_id: Uuid,
    pub crn: String,
    pub first_name: String,
    pub last_name: String,
    pub kind: ContactType,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub location_kind: LocationKind,
    pub location: String,
    pub sensitive: bool,
    pub status: ContactStatus,
    pub outcome: Option<ContactOutcome>,
    pub judgement: Option<FailureJudgement>,
    pub staff_id: Option<Uuid>,
    /// "Alex Morgan": who the person is seeing.
    pub staff_name: Option<String>,
}

/// Whose appointments to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    /// One member of staff's.
    Staff(Uuid),
    /// Those of every member of staff in a team.
    Team(Uuid),
}

type Row = (
    String,
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    String,
    String,
    bool,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
);

/// The codes of contacts that are appointments (system events such as "assessment completed"
/// are entries in the log, not appointments).
fn appointment_types() -> Vec<&'static str> {
    ContactType::recordable().map(CodedValue::code).collect()
}

macro_rules! whose_filter {
    ($query:expr, $whose:expr) => {
        match $whose {
            Whose::Staff(staff_id) => $query
                .filter(contacts::staff_id.eq(Some(staff_id.to_string())))
                .into_boxed(),
            Whose::Team(team_id) => $query
                .filter(
                    contacts::staff_id.eq_any(
                        staff::table
                            .filter(staff::team_id.eq(Some(team_id.to_string())))
                            .select(staff::id.nullable()),
                    ),
                )
                .into_boxed(),
        }
    };
}

/// Every appointment (arranged, moved or cancelled) starting on the days `from` up to `until`
/// (exclusive), in time order.
pub fn in_period(
    conn: &mut AnyConnection,
    whose: Whose,
    from: NaiveDate,
    until: NaiveDate,
) -> StorageResult<Vec<DiaryEntry>> {
    let query = contacts::table.inner_join(people::table);
    let rows: Vec<Row> = whose_filter!(query, whose)
        .filter(contacts::starts_at.ge(from.and_time(chrono::NaiveTime::MIN)))
        .filter(contacts::starts_at.lt(until.and_time(chrono::NaiveTime::MIN)))
        .filter(contacts::contact_type.eq_any(appointment_types()))
        .order((contacts::starts_at.asc(), people::crn.asc()))
        .select(columns())
        .load(conn)?;
    entries(conn, rows)
}

/// Arranged appointments that started before `now` with no outcome recorded, oldest first: one
/// page (`offset`, `limit`) and the total.
pub fn without_outcome(
    conn: &mut AnyConnection,
    whose: Whose,
    now: NaiveDateTime,
    offset: usize,
    limit: usize,
) -> StorageResult<(Vec<DiaryEntry>, usize)> {
    let count_query = contacts::table.inner_join(people::table);
    let total: i64 = whose_filter!(count_query, whose)
        .filter(contacts::status.eq(ContactStatus::Arranged.code()))
        .filter(contacts::outcome.is_null())
        .filter(contacts::starts_at.lt(now))
        .filter(contacts::contact_type.eq_any(appointment_types()))
        .count()
        .get_result(conn)?;
    let query = contacts::table.inner_join(people::table);
    let rows: Vec<Row> = whose_filter!(query, whose)
        .filter(contacts::status.eq(ContactStatus::Arranged.code()))
        .filter(contacts::outcome.is_null())
        .filter(contacts::starts_at.lt(now))
        .filter(contacts::contact_type.eq_any(appointment_types()))
        .order((contacts::starts_at.asc(), contacts::id.asc()))
        .offset(offset as i64)
        .limit(limit as i64)
        .select(columns())
        .load(conn)?;
    Ok((entries(conn, rows)?, total as usize))
}

#[diesel::dsl::auto_type(no_type_alias)]
fn columns() -> _ {
    (
        contacts::id,
        contacts::person_id,
        contacts::contact_type,
        contacts::starts_at,
        contacts::ends_at,
        contacts::location,
        contacts::location_kind,
        contacts::sensitive,
        contacts::status,
        contacts::outcome,
        contacts::judgement,
        contacts::staff_id,
        people::crn,
        people::first_name,
        people::last_name,
    )
}

fn entries(conn: &mut AnyConnection, rows: Vec<Row>) -> StorageResult<Vec<DiaryEntry>> {
    let mut staff_ids: Vec<String> = rows.iter().filter_map(|r| r.11.clone()).collect();
    staff_ids.sort();
    staff_ids.dedup();
    let names: HashMap<String, String> = staff::table
        .filter(staff::id.eq_any(&staff_ids))
        .select((staff::id, staff::first_name, staff::last_name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, first, last)| (id, format!("{first} {last}")))
        .collect();
    rows.into_iter()
        .map(
            |(
                id,
                person,
                kind,
                starts_at,
                ends_at,
                location,
                location_kind,
                sensitive,
                status,
                outcome,
                judgement,
                staff_id,
                crn,
                first_name,
                last_name,
            )| {
                Ok(DiaryEntry {
                    contact_id: rows::id(&id)?,
                    person_id: rows::id(&person)?,
                    crn,
                    first_name,
                    last_name,
                    kind: rows::code(&kind)?,
                    starts_at,
                    ends_at,
                    location_kind: rows::code(&location_kind)?,
                    location,
                    sensitive,
                    status: rows::code(&status)?,
                    outcome: rows::opt_code(outcome.as_deref())?,
                    judgement: rows::opt_code(judgement.as_deref())?,
                    staff_name: staff_id.as_ref().and_then(|id| names.get(id).cloned()),
                    staff_id: rows::opt_id(staff_id.as_deref())?,
                })
            },
        )
        .collect()
}
