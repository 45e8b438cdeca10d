//! The serious further offence cases a member of staff may read — a head of PDU's PDU's, quality
//! staff's region's, a reviewer's own — open first (oldest charge first), then the completed:
//! two queries for a page, whatever its length.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{pdus, people, sfo_cases, staff};
use chrono::NaiveDate;
use diesel::prelude::*;
use keepsafe_domain::sfo::{QualifyingOffence, SfoDates};
use keepsafe_domain::supervision::diary::page_of;
use uuid::Uuid;

/// Whose cases to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SfoScope {
    /// The cases a member of staff is the reviewer of.
    Reviewer(Uuid),
    Pdu(Uuid),
    Region(Uuid),
}

/// One case on the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SfoLine {
    pub id: Uuid,
    pub crn: String,
    pub name: String,
    pub offence: QualifyingOffence,
    pub dates: SfoDates,
    pub rule_version: String,
    pub reviewer: Option<String>,
}

/// A page of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SfoPage {
    pub lines: Vec<SfoLine>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
}

type Row = (
    (String, String, String, String, String),
    (
        NaiveDate,
        NaiveDate,
        Option<NaiveDate>,
        Option<NaiveDate>,
        Option<NaiveDate>,
    ),
    (String, Option<String>, Option<String>),
);

macro_rules! in_scope {
    ($scope:expr, $open_only:expr) => {{
        let query = sfo_cases::table
            .inner_join(people::table)
            .inner_join(pdus::table.on(pdus::id.eq(people::pdu_id)))
            .left_join(staff::table.on(staff::id.nullable().eq(sfo_cases::reviewer_id)))
            .into_boxed();
        let query = if $open_only {
            query.filter(sfo_cases::completed_on.is_null())
        } else {
            query
        };
        match $scope {
            SfoScope::Reviewer(id) => query.filter(sfo_cases::reviewer_id.eq(id.to_string())),
            SfoScope::Pdu(id) => query.filter(people::pdu_id.eq(id.to_string())),
            SfoScope::Region(id) => query.filter(pdus::region_id.eq(id.to_string())),
        }
    }};
}

fn line(row: Row) -> StorageResult<SfoLine> {
    let ((id, crn, first, last, offence), dates, (rule_version, rfirst, rlast)) = row;
    Ok(SfoLine {
        id: rows::id(&id)?,
        crn,
        name: format!("{first} {last}"),
        offence: rows::code(&offence)?,
        dates: SfoDates {
            charged_on: dates.0,
            notification_due: dates.1,
            notified_on: dates.2,
            review_started_on: dates.3,
            completed_on: dates.4,
        },
        rule_version,
        reviewer: rfirst.zip(rlast).map(|(f, l)| format!("{f} {l}")),
    })
}

macro_rules! columns {
    () => {
        (
            (
                sfo_cases::id,
                people::crn,
                people::first_name,
                people::last_name,
                sfo_cases::offence,
            ),
            (
                sfo_cases::charged_on,
                sfo_cases::notification_due,
                sfo_cases::notified_on,
                sfo_cases::review_started_on,
                sfo_cases::completed_on,
            ),
            (
                sfo_cases::rule_version,
                staff::first_name.nullable(),
                staff::last_name.nullable(),
            ),
        )
    };
}

/// Page `requested` (the last when beyond it) of the cases in `scope`: open first, oldest
/// charge first; then the completed, newest first.
pub fn page(
    conn: &mut AnyConnection,
    scope: SfoScope,
    requested: Option<usize>,
    per_page: usize,
) -> StorageResult<SfoPage> {
    let total = in_scope!(scope, false).count().get_result::<i64>(conn)?;
    let total = usize::try_from(total).unwrap_or(0);
    let (page, pages) = page_of(requested, total, per_page);
    let offset = i64::try_from((page - 1) * per_page).unwrap_or(i64::MAX);
    let rows = in_scope!(scope, false)
        .order((
            sfo_cases::completed_on.is_not_null(),
            sfo_cases::completed_on.desc(),
            sfo_cases::charged_on.asc(),
            people::crn.asc(),
        ))
        .offset(offset)
        .limit(i64::try_from(per_page).unwrap_or(i64::MAX))
        .select(columns!())
        .load::<Row>(conn)?;
    Ok(SfoPage {
        lines: rows.into_iter().map(line).collect::<StorageResult<_>>()?,
        total,
        page,
        pages,
    })
}

/// Every open case in `scope`, oldest charge first, for the tasks page (open cases are few: about
/// 770 a year nationally).
pub fn open(conn: &mut AnyConnection, scope: SfoScope) -> StorageResult<Vec<SfoLine>> {
    in_scope!(scope, true)
        .order((sfo_cases::charged_on.asc(), people::crn.asc()))
        .select(columns!())
        .load::<Row>(conn)?
        .into_iter()
        .map(line)
        .collect()
}
