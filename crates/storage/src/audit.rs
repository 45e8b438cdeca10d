//! The audit log: an append-only record of who viewed or changed what, and every refusal.
//! Rows are written inside the same transaction as the action they describe, and chained just
//! before it commits ([`chain`]): the log is tamper-evident.

pub mod chain;

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::audit_log;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

/// Whether the audited action went ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Allowed,
    Refused,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Refused => "refused",
        }
    }
}

/// One audit row to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub staff_id: Option<Uuid>,
    /// The username, or a description such as "cli" for actions outside the web.
    pub actor: String,
    /// What was done: "view_case", "view_caseload", "sign_in", …
    pub action: String,
    pub outcome: Outcome,
    pub person_id: Option<Uuid>,
    pub crn: Option<String>,
    pub detail: String,
}

impl AuditEntry {
    /// An action on a case by a member of staff that went ahead: the common shape of the audit
    /// rows written for views and changes of case records.
    pub fn on_case(
        staff_id: Uuid,
        actor: String,
        action: &str,
        case: &crate::cases::record::LocatedCase,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            staff_id: Some(staff_id),
            actor,
            action: action.to_owned(),
            outcome: Outcome::Allowed,
            person_id: Some(case.person_id),
            crn: Some(case.crn.clone()),
            detail: detail.into(),
        }
    }
}

pub fn record(
    conn: &mut AnyConnection,
    entry: &AuditEntry,
    at: DateTime<Utc>,
) -> StorageResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::occurred_at.eq(at.naive_utc()),
            audit_log::staff_id.eq(entry.staff_id.map(|id| id.to_string())),
            audit_log::actor.eq(&entry.actor),
            audit_log::action.eq(&entry.action),
            audit_log::outcome.eq(entry.outcome.code()),
            audit_log::person_id.eq(entry.person_id.map(|id| id.to_string())),
            audit_log::crn.eq(&entry.crn),
            audit_log::detail.eq(&entry.detail),
        ))
        .execute(conn)?;
    // A row written outside any transaction is chained at once; inside one, the transaction
    // chains its rows as it commits.
    if !crate::transaction::in_transaction(conn)? {
        crate::transaction::write(conn, chain::chain_pending)?;
    }
    Ok(())
}

/// A stored audit row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub staff_id: Option<Uuid>,
    pub actor: String,
    pub action: String,
    pub outcome: String,
    pub crn: Option<String>,
    pub detail: String,
}

/// Filters for reading the log; all optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub crn: Option<String>,
    pub actor: Option<String>,
    pub outcome: Option<Outcome>,
}

/// The newest entries first.
pub fn recent(
    conn: &mut AnyConnection,
    filter: &AuditFilter,
    limit: i64,
) -> StorageResult<Vec<AuditRecord>> {
    let mut query = audit_log::table.into_boxed();
    if let Some(crn) = &filter.crn {
        query = query.filter(audit_log::crn.eq(crn.clone()));
    }
    if let Some(actor) = &filter.actor {
        query = query.filter(audit_log::actor.eq(actor.clone()));
    }
    if let Some(outcome) = filter.outcome {
        query = query.filter(audit_log::outcome.eq(outcome.code()));
    }
    let rows = query
        .order(audit_log::id.desc())
        .limit(limit)
        .select((
            audit_log::id,
            audit_log::occurred_at,
            audit_log::staff_id,
            audit_log::actor,
            audit_log::action,
            audit_log::outcome,
            audit_log::crn,
            audit_log::detail,
        ))
        .load::<(
            i64,
            NaiveDateTime,
            Option<String>,
            String,
            String,
            String,
            Option<String>,
            String,
        )>(conn)?;
    rows.into_iter()
        .map(
            |(id, occurred_at, staff_id, actor, action, outcome, crn, detail)| {
                Ok(AuditRecord {
                    id,
                    occurred_at: occurred_at.and_utc(),
                    staff_id: rows::opt_id(staff_id.as_deref())?,
                    actor,
                    action,
                    outcome,
                    crn,
                    detail,
                })
            },
        )
        .collect()
}

/// What the audit log page and its CSV export are filtered by; every part optional. Each filter
/// has an index that keeps the newest-first read cheap on a long log: the case (`crn, id`), the
/// member of staff (`staff_id, id`), the action (`action, id`) and the time (`occurred_at`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFilter {
    /// From the start of this day (UTC).
    pub from: Option<NaiveDate>,
    /// To the end of this day (UTC).
    pub to: Option<NaiveDate>,
    /// Who acted.
    pub staff_id: Option<Uuid>,
    pub crn: Option<String>,
    /// The action code, as [`AuditEntry::action`].
    pub action: Option<String>,
    pub outcome: Option<Outcome>,
    /// A kind of action (the web's section 62 kinds): the log keeps codes, not kinds.
    pub actions: Option<ActionMatch>,
}

/// Action codes matched by kind: any of `codes`, or starting with any of `prefixes` unless one
/// of `except`. New codes that follow the naming are matched without being listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionMatch {
    pub codes: Vec<String>,
    pub prefixes: Vec<String>,
    pub except: Vec<String>,
}

type Backend = <AnyConnection as diesel::Connection>::Backend;

type RecordRow = (
    i64,
    NaiveDateTime,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
    String,
);

/// The rows `filter` matches, as a boxed query the page and the export share.
fn filtered(filter: &LogFilter) -> audit_log::BoxedQuery<'static, Backend> {
    let mut query = audit_log::table.into_boxed();
    if let Some(from) = filter.from {
        query = query.filter(audit_log::occurred_at.ge(from.and_time(NaiveTime::MIN)));
    }
    if let Some(after) = filter.to.and_then(|to| to.succ_opt()) {
        query = query.filter(audit_log::occurred_at.lt(after.and_time(NaiveTime::MIN)));
    }
    if let Some(staff_id) = filter.staff_id {
        query = query.filter(audit_log::staff_id.eq(staff_id.to_string()));
    }
    if let Some(crn) = &filter.crn {
        query = query.filter(audit_log::crn.eq(crn.clone()));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_log::action.eq(action.clone()));
    }
    if let Some(outcome) = filter.outcome {
        query = query.filter(audit_log::outcome.eq(outcome.code()));
    }
    if let Some(matching) = &filter.actions {
        query = query.filter(action_matches(matching));
    }
    query
}

type ActionCondition =
    Box<dyn BoxableExpression<audit_log::table, Backend, SqlType = diesel::sql_types::Bool>>;

/// The condition an [`ActionMatch`] puts on the action column.
fn action_matches(matching: &ActionMatch) -> ActionCondition {
    let mut by_prefix: ActionCondition =
        Box::new(diesel::dsl::sql::<diesel::sql_types::Bool>("1 = 0"));
    for prefix in &matching.prefixes {
        let pattern = format!("{}%", prefix.replace('_', "\\_"));
        by_prefix = Box::new(by_prefix.or(audit_log::action.like(pattern).escape('\\')));
    }
    let by_prefix: ActionCondition =
        Box::new(by_prefix.and(audit_log::action.ne_all(matching.except.clone())));
    Box::new(
        audit_log::action
            .eq_any(matching.codes.clone())
            .or(by_prefix),
    )
}

fn load_records(
    conn: &mut AnyConnection,
    query: audit_log::BoxedQuery<'static, Backend>,
) -> StorageResult<Vec<AuditRecord>> {
    let rows = query
        .order(audit_log::id.desc())
        .select((
            audit_log::id,
            audit_log::occurred_at,
            audit_log::staff_id,
            audit_log::actor,
            audit_log::action,
            audit_log::outcome,
            audit_log::crn,
            audit_log::detail,
        ))
        .load::<RecordRow>(conn)?;
    rows.into_iter()
        .map(
            |(id, occurred_at, staff_id, actor, action, outcome, crn, detail)| {
                Ok(AuditRecord {
                    id,
                    occurred_at: occurred_at.and_utc(),
                    staff_id: rows::opt_id(staff_id.as_deref())?,
                    actor,
                    action,
                    outcome,
                    crn,
                    detail,
                })
            },
        )
        .collect()
}

/// The entries `filter` matches, newest first, skipping `offset` and taking `limit`: one page of
/// the audit log page. Pages are counted without counting the whole log (ask for one more than a
/// page to know whether there is a next).
pub fn page(
    conn: &mut AnyConnection,
    filter: &LogFilter,
    offset: i64,
    limit: i64,
) -> StorageResult<Vec<AuditRecord>> {
    load_records(conn, filtered(filter).offset(offset).limit(limit))
}

/// Up to `limit` entries `filter` matches that are older than the entry `before` (all when
/// `None`), newest first: the export reads the log in these batches, each continuing from the
/// last one's oldest entry, so a long log is never held in memory whole and later batches cost
/// no more than the first.
pub fn batch_before(
    conn: &mut AnyConnection,
    filter: &LogFilter,
    before: Option<i64>,
    limit: i64,
) -> StorageResult<Vec<AuditRecord>> {
    let mut query = filtered(filter);
    if let Some(before) = before {
        query = query.filter(audit_log::id.lt(before));
    }
    load_records(conn, query.limit(limit))
}
