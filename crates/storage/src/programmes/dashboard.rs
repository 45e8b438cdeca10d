//! The interventions dashboard's reads of a unit: its referrals in one query (the domain's
//! `measure` works out the waits, starts and completion rates from them), and the people waiting
//! longest, a page at a time.

use super::ProgrammeScope;
use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{allocations, pdus, people, programme_referrals, programmes, staff};
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use keepsafe_domain::programmes::{ReferralFacts, ReferralStatus};
use keepsafe_domain::supervision::diary::page_of;
use keepsafe_domain::CodedValue;

const WAITING: [ReferralStatus; 2] = [ReferralStatus::AwaitingAssessment, ReferralStatus::Suitable];

macro_rules! in_scope {
    ($scope:expr) => {{
        let query = programme_referrals::table
            .inner_join(programmes::table)
            .inner_join(people::table.on(people::id.eq(programme_referrals::person_id)))
            .inner_join(pdus::table.on(pdus::id.eq(people::pdu_id)))
            .left_join(
                allocations::table.on(allocations::person_id
                    .eq(people::id)
                    .and(allocations::end_date.is_null())),
            )
            .left_join(staff::table.on(staff::id.eq(allocations::staff_id)))
            .into_boxed();
        match $scope {
            ProgrammeScope::Staff(id) => query.filter(allocations::staff_id.eq(id.to_string())),
            ProgrammeScope::Team(id) => query.filter(allocations::team_id.eq(id.to_string())),
            ProgrammeScope::Pdu(id) => query.filter(people::pdu_id.eq(id.to_string())),
            ProgrammeScope::Region(id) => query.filter(pdus::region_id.eq(id.to_string())),
        }
    }};
}

type FactsRow = (
    String,
    String,
    String,
    NaiveDate,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<String>,
);

/// The referrals in `scope` the measures read: those still waiting, and any referred in the three
/// years to `today` (a start or end in the last twelve months follows a referral in them, as waits
/// beyond two years are not kept waiting). One query.
pub fn facts(
    conn: &mut AnyConnection,
    scope: ProgrammeScope,
    today: NaiveDate,
) -> StorageResult<Vec<ReferralFacts>> {
    let from = today - Duration::days(3 * 365);
    in_scope!(scope)
        .filter(
            programme_referrals::referred_on
                .ge(from)
                .or(programme_referrals::status.eq_any(WAITING.map(|s| s.code()))),
        )
        .select((
            programmes::name,
            pdus::name,
            programme_referrals::status,
            programme_referrals::referred_on,
            programme_referrals::assessed_on,
            programme_referrals::started_on,
            programme_referrals::ended_on,
            programme_referrals::non_completion_reason,
        ))
        .load::<FactsRow>(conn)?
        .into_iter()
        .map(|row| {
            Ok(ReferralFacts {
                programme: row.0,
                pdu: row.1,
                status: rows::code(&row.2)?,
                referred_on: row.3,
                assessed_on: row.4,
                started_on: row.5,
                ended_on: row.6,
                reason: rows::opt_code(row.7.as_deref())?,
            })
        })
        .collect()
}

/// Someone waiting for a programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub crn: String,
    pub name: String,
    pub programme: String,
    pub status: ReferralStatus,
    pub referred_on: NaiveDate,
    pub assessed_on: Option<NaiveDate>,
    pub practitioner: Option<String>,
}

/// A page of those waiting, which page it is, and how many in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingPage {
    pub lines: Vec<Waiting>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
}

type WaitingRow = (
    String,
    String,
    String,
    String,
    String,
    NaiveDate,
    Option<NaiveDate>,
    Option<String>,
    Option<String>,
);

/// Those in `scope` still waiting (referred, not started, not found unsuitable), longest waiting
/// first: page `requested` of `per_page`, two queries.
pub fn longest_waiting(
    conn: &mut AnyConnection,
    scope: ProgrammeScope,
    requested: Option<usize>,
    per_page: usize,
) -> StorageResult<WaitingPage> {
    let codes = WAITING.map(|s| s.code());
    let total: i64 = in_scope!(scope)
        .filter(programme_referrals::status.eq_any(codes))
        .count()
        .get_result(conn)?;
    let total = usize::try_from(total).unwrap_or(0);
    let (page, pages) = page_of(requested, total, per_page);
    let offset = i64::try_from((page - 1) * per_page).unwrap_or(i64::MAX);
    let lines = in_scope!(scope)
        .filter(programme_referrals::status.eq_any(codes))
        .order((
            programme_referrals::referred_on.asc(),
            people::crn.asc(),
            programme_referrals::id.asc(),
        ))
        .offset(offset)
        .limit(i64::try_from(per_page).unwrap_or(i64::MAX))
        .select((
            people::crn,
            people::first_name,
            people::last_name,
            programmes::name,
            programme_referrals::status,
            programme_referrals::referred_on,
            programme_referrals::assessed_on,
            staff::first_name.nullable(),
            staff::last_name.nullable(),
        ))
        .load::<WaitingRow>(conn)?
        .into_iter()
        .map(|row| {
            Ok(Waiting {
                crn: row.0,
                name: format!("{} {}", row.1, row.2),
                programme: row.3,
                status: rows::code(&row.4)?,
                referred_on: row.5,
                assessed_on: row.6,
                practitioner: match (row.7, row.8) {
                    (Some(first), Some(last)) => Some(format!("{first} {last}")),
                    _ => None,
                },
            })
        })
        .collect::<StorageResult<Vec<_>>>()?;
    Ok(WaitingPage {
        lines,
        total,
        page,
        pages,
    })
}
