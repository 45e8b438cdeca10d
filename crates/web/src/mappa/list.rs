//! `GET /mappa`: the MAPPA cases a member of staff manages or oversees — a practitioner's own, a
//! senior officer's team's, a head of PDU's PDU's, the region's for victim liaison and quality
//! staff — soonest review first, so overdue reviews lead; filtered by level, paged.

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
use keepsafe_domain::registration::MappaLevel;
use keepsafe_domain::review::is_overdue;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{AuditEntry, Outcome};
use keepsafe_storage::mappa::list::{self, MappaCase, MappaScope};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "mappa/list.html")]
struct ListPage {
    chrome: Chrome,
    whose: String,
    level: String,
    levels: Vec<(String, String, bool)>,
    lines: Vec<Line>,
    count: String,
    pagination: Pagination,
}

struct Line {
    crn: String,
    name: String,
    category: String,
    level: String,
    last_meeting: String,
    next_review: String,
    overdue: bool,
    practitioner: String,
}

/// The list's query, read leniently: an unknown level lists every level.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    level: Option<String>,
    page: Option<String>,
}

/// Whose MAPPA cases the actor sees, and the words for it.
fn scope_of(actor: &Actor) -> (MappaScope, &'static str) {
    match (actor.grade, actor.team, actor.pdu) {
        (Grade::SeniorProbationOfficer, Some(team), _) => (MappaScope::Team(team), "your team"),
        (Grade::HeadOfPdu, _, Some(pdu)) => (MappaScope::Pdu(pdu), "your probation delivery unit"),
        (Grade::VictimLiaisonOfficer | Grade::QualityInspection, _, _) => {
            (MappaScope::Region(actor.region), "your region")
        }
        _ => (MappaScope::Staff(actor.staff_id), "your caseload"),
    }
}

/// `GET /mappa`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    let today = state.clock.today();
    let (scope, whose) = scope_of(&user.account.actor());
    let level = query
        .level
        .as_deref()
        .and_then(|l| MappaLevel::parse(l).ok());
    let requested = query.page.as_deref().and_then(|p| p.parse::<usize>().ok());
    let staff_id = user.account.id;
    let limited_actor = user.account.actor();
    let actor = user.audit_name();
    let found = state
        .read_then_audit(move |conn| {
            let hidden = keepsafe_storage::cases::limited::hidden_from(conn, &limited_actor)?;
            let found = list::page_for(conn, scope, level, requested, PAGE_SIZE, &hidden)?;
            let entry = AuditEntry {
                staff_id: Some(staff_id),
                actor,
                action: "view_mappa_cases".into(),
                outcome: Outcome::Allowed,
                person_id: None,
                crn: None,
                detail: format!(
                    "page {} of {}: {} cases listed",
                    found.page,
                    found.pages,
                    found.cases.len()
                ),
            };
            Ok((found, entry))
        })
        .await?;
    let level_code = level.map(|l| l.code().to_owned()).unwrap_or_default();
    let href = |n: usize| {
        if level_code.is_empty() {
            format!("/mappa?page={n}")
        } else {
            format!("/mappa?level={level_code}&page={n}")
        }
    };
    let first = (found.page - 1) * PAGE_SIZE;
    let count = match found.total {
        0 => "No cases.".to_owned(),
        1 => "1 case.".to_owned(),
        total if found.pages == 1 => format!("{total} cases."),
        total => format!(
            "Showing cases {} to {} of {total}.",
            first + 1,
            first + found.cases.len()
        ),
    };
    render(&ListPage {
        chrome: Chrome::for_user(&user, "MAPPA cases", ""),
        whose: whose.to_owned(),
        level: level.map(|l| l.label().to_owned()).unwrap_or_default(),
        levels: MappaLevel::ALL
            .iter()
            .map(|l| (l.code().to_owned(), l.label().to_owned(), Some(*l) == level))
            .collect(),
        lines: found.cases.iter().map(|case| line(case, today)).collect(),
        count,
        pagination: Pagination::new(found.page, found.pages, href),
    })
}

fn line(case: &MappaCase, today: NaiveDate) -> Line {
    let overdue = case
        .next_review_on
        .is_some_and(|due| is_overdue(due, today));
    Line {
        crn: case.crn.clone(),
        name: case.name.clone(),
        category: case
            .category
            .map(|c| c.label().to_owned())
            .unwrap_or_else(|| "Not recorded".into()),
        level: case
            .level
            .map(|l| l.label().to_owned())
            .unwrap_or_else(|| "Not recorded".into()),
        last_meeting: case
            .last_meeting_on
            .map(format::date)
            .unwrap_or_else(|| "None recorded".into()),
        next_review: case
            .next_review_on
            .map(format::date)
            .unwrap_or_else(|| "Not set".into()),
        overdue,
        practitioner: case
            .practitioner
            .clone()
            .unwrap_or_else(|| "Not allocated".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn actor(grade: Grade) -> Actor {
        Actor {
            staff_id: Uuid::from_u128(1),
            grade,
            region: Uuid::from_u128(2),
            pdu: Some(Uuid::from_u128(3)),
            team: Some(Uuid::from_u128(4)),
        }
    }

    #[test]
    fn each_grade_sees_the_mappa_cases_of_what_it_manages() {
        assert!(matches!(
            scope_of(&actor(Grade::ProbationOfficer)).0,
            MappaScope::Staff(id) if id == Uuid::from_u128(1)
        ));
        assert!(matches!(
            scope_of(&actor(Grade::SeniorProbationOfficer)).0,
            MappaScope::Team(id) if id == Uuid::from_u128(4)
        ));
        assert!(matches!(
            scope_of(&actor(Grade::HeadOfPdu)).0,
            MappaScope::Pdu(id) if id == Uuid::from_u128(3)
        ));
        assert!(matches!(
            scope_of(&actor(Grade::VictimLiaisonOfficer)).0,
            MappaScope::Region(id) if id == Uuid::from_u128(2)
        ));
    }
}
