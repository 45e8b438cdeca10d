//! Every live case's automated indicator results, stored (`quality_case_indicators`) and kept
//! current, so a unit's automated rating is a GROUP BY over stored rows rather than a
//! recomputation of every case on every request.
//!
//! How the rows stay current:
//! - **Changes.** Triggers on every table the indicators read ([`super::facts`], [`super::units`])
//!   queue the person in `quality_dirty_cases` in the same transaction as the change, so no write
//!   path — the web's, the CLI's, an import's — can forget. [`drain`] recomputes queued cases: the
//!   server does it every few seconds, and every automated quality read does it first (up to
//!   [`READ_DRAIN_LIMIT`] cases), so a page shows the changes made before it.
//! - **Days.** The indicators measure windows from today, so a row computed on another day (or
//!   under other rules) is stale: [`mark_stale`] queues those, which the server does once a day
//!   and [`bring_up_to_date`] (the weekly record, `keepsafe quality recompute --incremental`)
//!   does before it reads.
//! - **From scratch.** [`recompute_all`] rebuilds every row from the record, in batches; it is
//!   `keepsafe quality recompute`, and the tests hold the incremental rows equal to it.

use super::facts;
use super::units::{live_cases, live_cases_of, LiveCase, Unit};
use super::IDS_PER_QUERY;
use crate::batch::insert_rows;
use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{people, quality_case_indicators as qci, quality_dirty_cases as dirty, teams};
use chrono::NaiveDate;
use diesel::prelude::*;
use keepsafe_domain::quality::{indicators, results_text, Indicator, IndicatorRules};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// How many queued cases a quality page recomputes before reading: a few seconds' worth of
/// changes, so the page shows them, without a page ever waiting on a bulk change (an import
/// queues every person it writes; the server's drain catches up on those).
pub const READ_DRAIN_LIMIT: usize = 500;

/// How many cases one batch recomputes: bounded memory (a case's facts include months of
/// contacts) and, on SQLite, a bounded hold on the writer when a batch is its own transaction.
pub const BATCH: usize = 1000;

/// One stored row.
#[derive(Debug, Clone, PartialEq, Eq, Insertable, Queryable)]
#[diesel(table_name = qci)]
pub struct StoredCase {
    pub person_id: String,
    pub crn: String,
    pub team_id: Option<String>,
    pub pdu_id: String,
    pub region_id: String,
    /// One letter per indicator ([`keepsafe_domain::quality::results_text`]).
    pub results: String,
    pub computed_on: NaiveDate,
    pub rule_version: String,
}

/// Writes rows, replacing any stored for the same person (`REPLACE INTO` on SQLite, `ON CONFLICT
/// DO UPDATE` on PostgreSQL, where two drains may recompute one case at the same moment).
macro_rules! upsert_cases {
    ($conn:expr, $rows:expr) => {{
        use diesel::upsert::excluded;
        match $conn {
            AnyConnection::Sqlite(c) => diesel::replace_into(qci::table).values($rows).execute(c),
            AnyConnection::Postgresql(c) => diesel::insert_into(qci::table)
                .values($rows)
                .on_conflict(qci::person_id)
                .do_update()
                .set((
                    qci::crn.eq(excluded(qci::crn)),
                    qci::team_id.eq(excluded(qci::team_id)),
                    qci::pdu_id.eq(excluded(qci::pdu_id)),
                    qci::region_id.eq(excluded(qci::region_id)),
                    qci::results.eq(excluded(qci::results)),
                    qci::computed_on.eq(excluded(qci::computed_on)),
                    qci::rule_version.eq(excluded(qci::rule_version)),
                ))
                .execute(c),
        }
    }};
}

/// The rows of `cases`, computed as of `today`.
fn compute(
    conn: &mut AnyConnection,
    cases: &[LiveCase],
    today: NaiveDate,
    rules: &IndicatorRules,
) -> StorageResult<Vec<StoredCase>> {
    let facts = facts::for_cases(conn, cases, today, rules)?;
    Ok(cases
        .iter()
        .filter_map(|case| {
            let found = indicators(facts.get(&case.person_id)?, rules);
            Some(StoredCase {
                person_id: case.person_id.to_string(),
                crn: case.crn.clone(),
                team_id: case.team.as_ref().map(|(id, _, _)| id.to_string()),
                pdu_id: case.pdu_id.to_string(),
                region_id: case.region_id.to_string(),
                results: results_text(&found),
                computed_on: today,
                rule_version: rules.version.clone(),
            })
        })
        .collect())
}

/// Recomputes the rows of `people` as of `today`: a live case's row is written, anyone else's
/// (pre-sentence, ended, deleted) removed. Returns the rows written. Opens no transaction.
pub fn refresh(
    conn: &mut AnyConnection,
    people: &[Uuid],
    today: NaiveDate,
    rules: &IndicatorRules,
) -> StorageResult<usize> {
    let mut written = 0;
    for chunk in people.chunks(BATCH) {
        let live = live_cases_of(conn, chunk)?;
        let rows = compute(conn, &live, today, rules)?;
        let kept: HashSet<&str> = rows.iter().map(|r| r.person_id.as_str()).collect();
        let gone: Vec<String> = chunk
            .iter()
            .map(Uuid::to_string)
            .filter(|id| !kept.contains(id.as_str()))
            .collect();
        for ids in gone.chunks(IDS_PER_QUERY) {
            diesel::delete(qci::table.filter(qci::person_id.eq_any(ids))).execute(conn)?;
        }
        for batch in rows.chunks(200) {
            upsert_cases!(conn, batch)?;
        }
        written += rows.len();
    }
    Ok(written)
}

/// What one [`drain`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Drained {
    pub refreshed: usize,
    /// Cases still queued afterwards.
    pub remaining: usize,
}

/// Recomputes up to `limit` queued cases as of `today` and takes them off the queue. The queue
/// rows are deleted before the facts are read: on PostgreSQL a change committing meanwhile either
/// holds its queue row's lock (the delete waits for it, and the facts read after it see it) or
/// queues the case again.
pub fn drain(
    conn: &mut AnyConnection,
    today: NaiveDate,
    rules: &IndicatorRules,
    limit: usize,
) -> StorageResult<Drained> {
    let queued: Vec<String> = dirty::table
        .select(dirty::person_id)
        .order(dirty::person_id)
        .limit(i64::try_from(limit).unwrap_or(i64::MAX))
        .load(conn)?;
    let mut people = Vec::with_capacity(queued.len());
    for ids in queued.chunks(IDS_PER_QUERY) {
        diesel::delete(dirty::table.filter(dirty::person_id.eq_any(ids))).execute(conn)?;
        for id in ids {
            // Only people are queued; anything else is dropped rather than retried for ever.
            if let Ok(id) = rows::id(id) {
                people.push(id);
            }
        }
    }
    refresh(conn, &people, today, rules)?;
    let remaining: i64 = dirty::table.count().get_result(conn)?;
    Ok(Drained {
        refreshed: people.len(),
        remaining: usize::try_from(remaining).unwrap_or(0),
    })
}

/// Queues every stored case computed on a day other than `today` or under other rules (the
/// windows moved on, or the rules changed). Returns how many were queued.
pub fn mark_stale(
    conn: &mut AnyConnection,
    today: NaiveDate,
    rules: &IndicatorRules,
) -> StorageResult<usize> {
    let stale = qci::table
        .filter(
            qci::computed_on
                .ne(today)
                .or(qci::rule_version.ne(rules.version.clone())),
        )
        .select(qci::person_id);
    Ok(match conn {
        AnyConnection::Sqlite(c) => diesel::insert_or_ignore_into(dirty::table)
            .values(stale)
            .into_columns(dirty::person_id)
            .execute(c)?,
        AnyConnection::Postgresql(c) => diesel::insert_into(dirty::table)
            .values(stale)
            .into_columns(dirty::person_id)
            .on_conflict_do_nothing()
            .execute(c)?,
    })
}

/// Makes every row current as of `today`: queues the stale ones and drains the queue in batches.
/// Returns the cases recomputed. Opens no transaction (a long one on a large database: the
/// server's own refresh drains in separate batches instead).
pub fn bring_up_to_date(
    conn: &mut AnyConnection,
    today: NaiveDate,
    rules: &IndicatorRules,
) -> StorageResult<usize> {
    mark_stale(conn, today, rules)?;
    let mut refreshed = 0;
    loop {
        let pass = drain(conn, today, rules, BATCH)?;
        refreshed += pass.refreshed;
        if pass.remaining == 0 || pass.refreshed == 0 {
            return Ok(refreshed);
        }
    }
}

/// Rebuilds every row from the record as of `today`, in batches of [`BATCH`] cases, and empties
/// the queue: the full recompute the incremental rows must always agree with. `progress` is told
/// the cases done and the total. Opens no transaction.
pub fn recompute_all(
    conn: &mut AnyConnection,
    today: NaiveDate,
    rules: &IndicatorRules,
    progress: &mut dyn FnMut(usize, usize),
) -> StorageResult<usize> {
    diesel::delete(dirty::table).execute(conn)?;
    diesel::delete(qci::table).execute(conn)?;
    let live = live_cases(conn, Unit::Nation)?;
    let mut written = 0;
    for chunk in live.chunks(BATCH) {
        let rows = compute(conn, chunk, today, rules)?;
        for batch in rows.chunks(200) {
            insert_rows!(conn, qci::table, batch)?;
        }
        written += rows.len();
        progress(written, live.len());
    }
    Ok(written)
}

/// Every stored row, by person: what the tests compare after incremental changes and after a
/// full recompute.
pub fn all(conn: &mut AnyConnection) -> StorageResult<Vec<StoredCase>> {
    Ok(qci::table.order(qci::person_id).load(conn)?)
}

/// The cases still queued.
pub fn queued(conn: &mut AnyConnection) -> StorageResult<usize> {
    let count: i64 = dirty::table.count().get_result(conn)?;
    Ok(usize::try_from(count).unwrap_or(0))
}

/// Cases of a unit sharing one set of results, computed on one day, in one of the unit's
/// children (a PDU's team, a region's PDU, the nation's region; a team's own id for a team;
/// `None` for a PDU's unallocated cases).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultsGroup {
    pub child: Option<Uuid>,
    pub results: String,
    pub computed_on: NaiveDate,
    pub cases: usize,
}

type GroupRow = (Option<String>, String, NaiveDate, i64);

/// The unit's stored results, grouped: one query over the unit's index, however many cases.
pub fn groups(conn: &mut AnyConnection, unit: Unit) -> StorageResult<Vec<ResultsGroup>> {
    use diesel::dsl::count_star;
    let found: Vec<GroupRow> = match unit {
        // A team has no units inside it: its own id stands where a child's would.
        Unit::Team(id) => qci::table
            .filter(qci::team_id.eq(id.to_string()))
            .group_by((qci::team_id, qci::results, qci::computed_on))
            .select((qci::team_id, qci::results, qci::computed_on, count_star()))
            .load(conn)?,
        Unit::Pdu(id) => qci::table
            .filter(qci::pdu_id.eq(id.to_string()))
            .group_by((qci::team_id, qci::results, qci::computed_on))
            .select((qci::team_id, qci::results, qci::computed_on, count_star()))
            .load(conn)?,
        Unit::Region(id) => qci::table
            .filter(qci::region_id.eq(id.to_string()))
            .group_by((qci::pdu_id, qci::results, qci::computed_on))
            .select((
                qci::pdu_id.nullable(),
                qci::results,
                qci::computed_on,
                count_star(),
            ))
            .load(conn)?,
        Unit::Nation => qci::table
            .group_by((qci::region_id, qci::results, qci::computed_on))
            .select((
                qci::region_id.nullable(),
                qci::results,
                qci::computed_on,
                count_star(),
            ))
            .load(conn)?,
    };
    found
        .into_iter()
        .map(|(child, results, computed_on, cases)| {
            Ok(ResultsGroup {
                child: rows::opt_id(child.as_deref())?,
                results,
                computed_on,
                cases: usize::try_from(cases).unwrap_or(0),
            })
        })
        .collect()
}

/// Cases sharing a team, PDU, region and results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedGroup {
    pub team_id: Option<String>,
    pub pdu_id: String,
    pub region_id: String,
    pub results: String,
    pub cases: usize,
}

/// Every stored row counted by where it sits (team, PDU, region) and its results: what the
/// weekly record tallies every unit from at once.
pub fn placed(conn: &mut AnyConnection) -> StorageResult<Vec<PlacedGroup>> {
    use diesel::dsl::count_star;
    Ok(qci::table
        .group_by((qci::team_id, qci::pdu_id, qci::region_id, qci::results))
        .select((
            qci::team_id,
            qci::pdu_id,
            qci::region_id,
            qci::results,
            count_star(),
        ))
        .load::<(Option<String>, String, String, String, i64)>(conn)?
        .into_iter()
        .map(|(team_id, pdu_id, region_id, results, cases)| PlacedGroup {
            team_id,
            pdu_id,
            region_id,
            results,
            cases: usize::try_from(cases).unwrap_or(0),
        })
        .collect())
}

/// A case listed behind a number, with its indicators worked out again from the record for the
/// reasons (the stored row holds only the results).
#[derive(Debug, Clone)]
pub struct ListedCase {
    pub person_id: Uuid,
    pub crn: String,
    pub name: String,
    pub team: Option<String>,
    pub indicators: Vec<Indicator>,
}

/// One page of the unit's cases whose stored results are among `results`, by CRN: `limit` cases
/// from `offset`.
pub fn cases_with(
    conn: &mut AnyConnection,
    unit: Unit,
    results: &[String],
    offset: usize,
    limit: usize,
    today: NaiveDate,
    rules: &IndicatorRules,
) -> StorageResult<Vec<ListedCase>> {
    if results.is_empty() {
        return Ok(Vec::new());
    }
    let query = {
        let query = qci::table
            .filter(qci::results.eq_any(results.to_vec()))
            .into_boxed();
        match unit {
            Unit::Team(id) => query.filter(qci::team_id.eq(id.to_string())),
            Unit::Pdu(id) => query.filter(qci::pdu_id.eq(id.to_string())),
            Unit::Region(id) => query.filter(qci::region_id.eq(id.to_string())),
            Unit::Nation => query,
        }
    };
    let page: Vec<(String, String, Option<String>)> = query
        .order(qci::crn)
        .offset(i64::try_from(offset).unwrap_or(i64::MAX))
        .limit(i64::try_from(limit).unwrap_or(i64::MAX))
        .select((qci::person_id, qci::crn, qci::team_id))
        .load(conn)?;
    let ids: Vec<&str> = page.iter().map(|(id, _, _)| id.as_str()).collect();
    let names: HashMap<String, (String, String)> = people::table
        .filter(people::id.eq_any(&ids))
        .select((people::id, (people::first_name, people::last_name)))
        .load::<(String, (String, String))>(conn)?
        .into_iter()
        .collect();
    let team_ids: Vec<&str> = page.iter().filter_map(|(_, _, t)| t.as_deref()).collect();
    let team_names: HashMap<String, String> = teams::table
        .filter(teams::id.eq_any(&team_ids))
        .select((teams::id, teams::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let people_ids = ids
        .iter()
        .map(|id| rows::id(id))
        .collect::<StorageResult<Vec<_>>>()?;
    let live = live_cases_of(conn, &people_ids)?;
    let facts = facts::for_cases(conn, &live, today, rules)?;
    page.into_iter()
        .map(|(id, crn, team)| {
            let person_id = rows::id(&id)?;
            let name = names
                .get(&id)
                .map(|(first, last)| format!("{first} {last}"))
                .unwrap_or_default();
            Ok(ListedCase {
                person_id,
                crn,
                name,
                team: team.and_then(|t| team_names.get(&t).cloned()),
                indicators: facts
                    .get(&person_id)
                    .map(|f| indicators(f, rules))
                    .unwrap_or_default(),
            })
        })
        .collect()
}
