//! `GET /cases`: the practitioner's own caseload, sortable and filterable, under a "needs
//! attention" summary of what is waiting on it.

use crate::cases::attention::{self, AttentionItem, CaseCounts, TaskCounts};
use crate::cases::list::{self, CaseList, ListQuery};
use crate::error::AppError;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use keepsafe_domain::supervision::contact_log::local_time;
use keepsafe_storage::audit::{AuditEntry, Outcome};
use keepsafe_storage::cases::caseload;

#[derive(Template)]
#[template(path = "cases/my_cases.html")]
struct MyCasesPage {
    chrome: Chrome,
    list: CaseList,
    caption: String,
    with_practitioner: bool,
    /// "You have 3 tasks (1 overdue)", linking to /tasks: how a new allocation or handover reaches
    /// the practitioner.
    tasks_notice: Option<String>,
    attention: Vec<AttentionItem>,
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    let staff_id = user.account.id;
    let limited_actor = user.account.actor();
    let actor = user.audit_name();
    let summaries = state
        .read_then_audit(move |conn| {
            let now = state.clock.now();
            let cases = caseload::for_staff(conn, staff_id, local_time(now))?;
            let hidden = keepsafe_storage::cases::limited::hidden_from(conn, &limited_actor)?;
            let cases = hidden.leave_out(cases, |c| c.person_id);
            let entry = AuditEntry {
                staff_id: Some(staff_id),
                actor,
                action: "view_caseload".into(),
                outcome: Outcome::Allowed,
                person_id: None,
                crn: None,
                detail: format!("{} cases listed", cases.len()),
            };
            let tasks =
                keepsafe_storage::workload::allocation::open_tasks_for_staff(conn, staff_id)?;
            let work = task_counts(conn, staff_id, now)?;
            Ok(((cases, tasks, work), entry))
        })
        .await?;
    let (summaries, tasks, work) = summaries;
    let today = state.clock.today();
    let overdue = tasks
        .iter()
        .filter(|(task, _)| keepsafe_domain::review::is_overdue(task.due_on, today))
        .count();
    let tasks_notice = (!tasks.is_empty()).then(|| {
        format!(
            "You have {} task{}{}",
            tasks.len(),
            if tasks.len() == 1 { "" } else { "s" },
            if overdue > 0 {
                format!(" ({overdue} overdue)")
            } else {
                String::new()
            }
        )
    });
    let attention = attention::for_practitioner(&CaseCounts::of(&summaries, today), &work);
    render(&MyCasesPage {
        attention,
        chrome: Chrome::for_user(&user, "My cases", "/cases"),
        caption: format!("Cases managed by {}", user.account.display_name()),
        list: list::build(summaries, &query, "/cases", false, today),
        with_practitioner: false,
        tasks_notice,
    })
}

/// The supervision sections of the practitioner's tasks page, counted with its own queries.
fn task_counts(
    conn: &mut keepsafe_storage::AnyConnection,
    staff_id: uuid::Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<TaskCounts, keepsafe_storage::StorageError> {
    use keepsafe_storage::supervision::{enforcement, outcomes};
    let len = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(TaskCounts {
        outcomes: len(outcomes::awaiting_outcome_for_staff(conn, staff_id, now)?.len()),
        evidence: len(
            outcomes::evidence_to_judge_for_staff(conn, staff_id, now.date_naive())?.len(),
        ),
        warnings: len(enforcement::warnings_due_for_staff(conn, staff_id)?.len()),
        breaches: len(enforcement::breaches_due_for_staff(conn, staff_id)?.len()),
    })
}
