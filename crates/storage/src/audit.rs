//! The audit log: an append-only record of who viewed or changed what, and every refusal.
//! Rows are written inside the same transaction as the action they describe.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::audit_log;
use chrono::{DateTime, NaiveDateTime, Utc};
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
