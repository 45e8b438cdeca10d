//! `GET /audit`: the audit log for administrators and quality staff, newest first, filterable by
//! CRN, user and outcome. Reading it is itself recorded.

use crate::error::AppError;
use crate::format;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use keepsafe_storage::audit::{self, AuditEntry, AuditFilter, Outcome};
use serde::Deserialize;

const SHOWN: i64 = 200;

#[derive(Template)]
#[template(path = "admin/audit_log.html")]
struct AuditLogPage {
    chrome: Chrome,
    entries: Vec<EntryView>,
    crn: String,
    actor: String,
    outcome: String,
    shown: i64,
}

struct EntryView {
    when: String,
    actor: String,
    action: String,
    refused: bool,
    crn: String,
    detail: String,
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    crn: Option<String>,
    actor: Option<String>,
    outcome: Option<String>,
}

fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().chars().take(64).collect::<String>())
        .filter(|v| !v.is_empty())
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(query): Query<AuditQuery>,
) -> Result<Html<String>, AppError> {
    let filter = AuditFilter {
        crn: non_empty(query.crn).map(|c| c.to_ascii_uppercase()),
        actor: non_empty(query.actor).map(|a| a.to_ascii_lowercase()),
        outcome: match query.outcome.as_deref() {
            Some("refused") => Some(Outcome::Refused),
            Some("allowed") => Some(Outcome::Allowed),
            _ => None,
        },
    };
    let entry = AuditEntry {
        staff_id: Some(user.account.id),
        actor: user.audit_name(),
        action: "view_audit_log".into(),
        outcome: Outcome::Allowed,
        person_id: None,
        crn: None,
        detail: format!("{filter:?}"),
    };
    let query_filter = filter.clone();
    let records = state
        .write(move |conn| {
            let records = audit::recent(conn, &query_filter, SHOWN)?;
            audit::record(conn, &entry, state.clock.now())?;
            Ok(records)
        })
        .await?;
    render(&AuditLogPage {
        chrome: Chrome::for_user(&user, "Audit log", "/audit"),
        entries: records
            .into_iter()
            .map(|r| EntryView {
                when: format::date_time(r.occurred_at.naive_utc()),
                refused: r.outcome == "refused",
                actor: r.actor,
                action: r.action.replace('_', " "),
                crn: r.crn.unwrap_or_default(),
                detail: r.detail,
            })
            .collect(),
        crn: filter.crn.unwrap_or_default(),
        actor: filter.actor.unwrap_or_default(),
        outcome: filter
            .outcome
            .map(|o| o.code().to_owned())
            .unwrap_or_default(),
        shown: SHOWN,
    })
}
