//! `GET /sfo`: the serious further offence cases a member of staff may read — a head of PDU's
//! PDU's, quality staff's region's, a senior officer's as reviewer — open first, each with its
//! state, its due dates and whether it is overdue, paged.

use crate::cases::list::{Pagination, PAGE_SIZE};
use crate::error::AppError;
use crate::format;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use chrono::NaiveDate;
use keepsafe_domain::access::Actor;
use keepsafe_domain::sfo::SfoRules;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{AuditEntry, Outcome};
use keepsafe_storage::sfo::list::{self, SfoLine, SfoScope};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "sfo/list.html")]
struct ListPage {
    chrome: Chrome,
    whose: String,
    lines: Vec<Line>,
    count: String,
    overdue: usize,
    pagination: Pagination,
}

struct Line {
    id: String,
    crn: String,
    name: String,
    offence: String,
    state: String,
    notification_due: String,
    review_due: String,
    overdue: bool,
    reviewer: String,
}

/// The list's query, read leniently.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    page: Option<String>,
}

/// Whose cases the actor reads, and the words for it.
pub(crate) fn scope_of(actor: &Actor) -> (SfoScope, &'static str) {
    match (actor.grade, actor.pdu) {
        (Grade::HeadOfPdu, Some(pdu)) => (SfoScope::Pdu(pdu), "your probation delivery unit"),
        (Grade::QualityInspection, _) => (SfoScope::Region(actor.region), "your region"),
        _ => (SfoScope::Reviewer(actor.staff_id), "you are reviewing"),
    }
}

/// `GET /sfo`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    let today = state.clock.today();
    let (scope, whose) = scope_of(&user.account.actor());
    let requested = query.page.as_deref().and_then(|p| p.parse::<usize>().ok());
    let staff_id = user.account.id;
    let limited_actor = user.account.actor();
    let actor = user.audit_name();
    let (found, overdue) = state
        .read_then_audit(move |conn| {
            let mut found = list::page(conn, scope, requested, PAGE_SIZE)?;
            // Limited access: a case the reader may not see is not listed.
            found.lines = keepsafe_storage::cases::limited::hidden_from(conn, &limited_actor)?
                .leave_out_crns(std::mem::take(&mut found.lines), |l| &l.crn);
            let overdue = list::open(conn, scope)?
                .iter()
                .filter(|line| {
                    line.dates
                        .is_overdue(&SfoRules::by_version(&line.rule_version), today)
                })
                .count();
            let entry = AuditEntry {
                staff_id: Some(staff_id),
                actor,
                action: "view_sfo_list".into(),
                outcome: Outcome::Allowed,
                person_id: None,
                crn: None,
                detail: format!(
                    "page {} of {}: {} cases listed",
                    found.page,
                    found.pages,
                    found.lines.len()
                ),
            };
            Ok(((found, overdue), entry))
        })
        .await?;
    let first = (found.page - 1) * PAGE_SIZE;
    let count = match found.total {
        0 => "No serious further offence cases.".to_owned(),
        1 => "1 case.".to_owned(),
        total if found.pages == 1 => format!("{total} cases."),
        total => format!(
            "Showing cases {} to {} of {total}.",
            first + 1,
            first + found.lines.len()
        ),
    };
    render(&ListPage {
        chrome: Chrome::for_user(&user, "Serious further offences", "/sfo"),
        whose: whose.to_owned(),
        lines: found.lines.iter().map(|l| line(l, today)).collect(),
        count,
        overdue,
        pagination: Pagination::new(found.page, found.pages, |n| format!("/sfo?page={n}")),
    })
}

fn line(line: &SfoLine, today: NaiveDate) -> Line {
    let rules = SfoRules::by_version(&line.rule_version);
    Line {
        id: line.id.to_string(),
        crn: line.crn.clone(),
        name: line.name.clone(),
        offence: line.offence.label().to_owned(),
        state: line.dates.state().label().to_owned(),
        notification_due: match line.dates.notified_on {
            Some(on) => format!("Notified {}", format::date(on)),
            None => format!("Due {}", format::date(line.dates.notification_due)),
        },
        review_due: match (line.dates.completed_on, line.dates.review_due(&rules)) {
            (Some(on), _) => format!("Completed {}", format::date(on)),
            (None, Some(due)) => format!("Due {}", format::date(due)),
            (None, None) => "Set when notified".to_owned(),
        },
        overdue: line.dates.is_overdue(&rules, today),
        reviewer: line
            .reviewer
            .clone()
            .unwrap_or_else(|| "Not assigned".into()),
    }
}
