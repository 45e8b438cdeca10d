//! The MAPPA cases a member of staff oversees, soonest review first (so the overdue lead), with
//! the last meeting of each: two queries for a page, whatever its length.

use crate::cases::limited::HiddenCases;
use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{allocations, mappa_meetings, pdus, people, registrations, staff};
use chrono::NaiveDate;
use diesel::dsl::max;
use diesel::prelude::*;
use keepsafe_domain::registration::{MappaCategory, MappaLevel, RegistrationKind};
use keepsafe_domain::supervision::diary::page_of;
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// Whose MAPPA cases to list.
#[derive(Debug, Clone, Copy)]
pub enum MappaScope {
    /// The cases allocated to a practitioner.
    Staff(Uuid),
    Team(Uuid),
    Pdu(Uuid),
    Region(Uuid),
}

/// One MAPPA case on the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappaCase {
    pub registration_id: Uuid,
    pub crn: String,
    pub name: String,
    pub category: Option<MappaCategory>,
    pub level: Option<MappaLevel>,
    pub registered_on: NaiveDate,
    pub next_review_on: Option<NaiveDate>,
    pub last_meeting_on: Option<NaiveDate>,
    /// The practitioner the case is allocated to, if it is.
    pub practitioner: Option<String>,
}

/// A page of the list, which page it is, and how many cases and pages the list has in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappaPage {
    pub cases: Vec<MappaCase>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
}

type Row = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    NaiveDate,
    Option<NaiveDate>,
    Option<String>,
    Option<String>,
);

/// The current MAPPA registrations in `scope` (at `level`, if given), joined to the person,
/// their PDU and their current allocation and practitioner, boxed so the page and its count are
/// one query shape.
macro_rules! in_scope {
    ($scope:expr, $level:expr, $hidden:expr) => {{
        let query = registrations::table
            .inner_join(people::table)
            .inner_join(pdus::table.on(pdus::id.eq(people::pdu_id)))
            .left_join(
                allocations::table.on(allocations::person_id
                    .eq(people::id)
                    .and(allocations::end_date.is_null())),
            )
            .left_join(staff::table.on(staff::id.eq(allocations::staff_id)))
            .filter(registrations::kind.eq(RegistrationKind::Mappa.code()))
            .filter(registrations::ended_on.is_null())
            .into_boxed();
        // Limited access cases the reader may not see are neither listed nor counted.
        let hidden: Vec<String> = $hidden.stored_ids();
        let query = if hidden.is_empty() {
            query
        } else {
            query.filter(people::id.ne_all(hidden))
        };
        let query = match $level {
            Some(level) => query.filter(registrations::mappa_level.eq(MappaLevel::code(level))),
            None => query,
        };
        match $scope {
            MappaScope::Staff(id) => query.filter(allocations::staff_id.eq(id.to_string())),
            MappaScope::Team(id) => query.filter(allocations::team_id.eq(id.to_string())),
            MappaScope::Pdu(id) => query.filter(people::pdu_id.eq(id.to_string())),
            MappaScope::Region(id) => query.filter(pdus::region_id.eq(id.to_string())),
        }
    }};
}

/// The current MAPPA registrations in `scope`, optionally at one `level`, soonest next review
/// first (no review date last): page `requested` (the last page when it is beyond it) of
/// `per_page` cases.
pub fn page(
    conn: &mut AnyConnection,
    scope: MappaScope,
    level: Option<MappaLevel>,
    requested: Option<usize>,
    per_page: usize,
) -> StorageResult<MappaPage> {
    page_for(
        conn,
        scope,
        level,
        requested,
        per_page,
        &HiddenCases::default(),
    )
}

/// As [`page`], leaving out (and not counting) the limited access cases `hidden` from the reader
/// (`cases::limited::hidden_from`).
pub fn page_for(
    conn: &mut AnyConnection,
    scope: MappaScope,
    level: Option<MappaLevel>,
    requested: Option<usize>,
    per_page: usize,
    hidden: &HiddenCases,
) -> StorageResult<MappaPage> {
    let total = in_scope!(scope, level, hidden)
        .count()
        .get_result::<i64>(conn)?;
    let total = usize::try_from(total).unwrap_or(0);
    let (page, pages) = page_of(requested, total, per_page);
    let offset = i64::try_from((page - 1) * per_page).unwrap_or(i64::MAX);
    let rows = in_scope!(scope, level, hidden)
        .order((
            registrations::next_review_on.is_null(),
            registrations::next_review_on.asc(),
            people::crn.asc(),
        ))
        .offset(offset)
        .limit(i64::try_from(per_page).unwrap_or(i64::MAX))
        .select((
            registrations::id,
            people::crn,
            people::first_name,
            people::last_name,
            registrations::mappa_category,
            registrations::mappa_level,
            registrations::registered_on,
            registrations::next_review_on,
            staff::first_name.nullable(),
            staff::last_name.nullable(),
        ))
        .load::<Row>(conn)?;
    let ids: Vec<&String> = rows.iter().map(|row| &row.0).collect();
    let last_meetings: HashMap<String, Option<NaiveDate>> = mappa_meetings::table
        .filter(mappa_meetings::registration_id.eq_any(ids))
        .group_by(mappa_meetings::registration_id)
        .select((
            mappa_meetings::registration_id,
            max(mappa_meetings::held_on),
        ))
        .load::<(String, Option<NaiveDate>)>(conn)?
        .into_iter()
        .collect();
    let cases = rows
        .into_iter()
        .map(|row| {
            Ok(MappaCase {
                last_meeting_on: last_meetings.get(&row.0).copied().flatten(),
                registration_id: rows::id(&row.0)?,
                crn: row.1,
                name: format!("{} {}", row.2, row.3),
                category: rows::opt_code(row.4.as_deref())?,
                level: rows::opt_code(row.5.as_deref())?,
                registered_on: row.6,
                next_review_on: row.7,
                practitioner: row
                    .8
                    .zip(row.9)
                    .map(|(first, last)| format!("{first} {last}")),
            })
        })
        .collect::<StorageResult<Vec<_>>>()?;
    Ok(MappaPage {
        cases,
        total,
        page,
        pages,
    })
}
