//! `GET /releases`: the victim liaison officer's worklist — the region's cases whose release from
//! custody is near (victims in the statutory scheme are told before a release and asked about
//! licence conditions), whose licence began in the last four weeks, or who are managed under
//! MAPPA. Soonest release first; MAPPA cases without a release near follow, by name. A fixed
//! number of queries, paged.

use crate::cases::list::{flag_labels, rosh_words, Pagination, PAGE_SIZE};
use crate::error::AppError;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use chrono::{Days, NaiveDate};
use keepsafe_domain::supervision::contact_log::local_time;
use keepsafe_domain::supervision::diary::page_of;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{AuditEntry, Outcome};
use keepsafe_storage::cases::caseload::{self, CaseSummary};
use serde::Deserialize;

/// How far ahead a release counts as near: eight weeks, time to contact victims before it.
const AHEAD_DAYS: u64 = 56;
/// How far back a licence start is still listed: four weeks, while its conditions settle.
const BEHIND_DAYS: u64 = 28;

#[derive(Template)]
#[template(path = "cases/releases.html")]
struct ReleasesPage {
    chrome: Chrome,
    from: String,
    until: String,
    lines: Vec<ReleaseLine>,
    count: String,
    pagination: Pagination,
}

struct ReleaseLine {
    crn: String,
    name: String,
    /// "Due for release on 3 January 2027" / "Released on 20 November 2026".
    why: String,
    soon: bool,
    offence: String,
    flags: Vec<String>,
    rosh: String,
    managed: String,
}

#[derive(Deserialize)]
pub struct ReleasesQuery {
    page: Option<usize>,
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(query): Query<ReleasesQuery>,
) -> Result<Html<String>, AppError> {
    let today = state.clock.today();
    let from = today - Days::new(BEHIND_DAYS);
    let until = today + Days::new(AHEAD_DAYS);
    let region = user.account.region_id;
    let staff_id = user.account.id;
    let limited_actor = user.account.actor();
    let actor = user.audit_name();
    let clock = state.clock;
    let mut cases = state
        .read_then_audit(move |conn| {
            let cases =
                caseload::for_victim_liaison(conn, region, from, until, local_time(clock.now()))?;
            let cases = keepsafe_storage::cases::limited::hidden_from(conn, &limited_actor)?
                .leave_out(cases, |c| c.person_id);
            let entry = AuditEntry {
                staff_id: Some(staff_id),
                actor,
                action: "view_release_worklist".into(),
                outcome: Outcome::Allowed,
                person_id: None,
                crn: None,
                detail: format!("{} cases listed", cases.len()),
            };
            Ok((cases, entry))
        })
        .await?;
    cases.sort_by(|a, b| {
        release_near(a, from, until)
            .unwrap_or(NaiveDate::MAX)
            .cmp(&release_near(b, from, until).unwrap_or(NaiveDate::MAX))
            .then_with(|| a.last_name.cmp(&b.last_name))
            .then_with(|| a.crn.cmp(&b.crn))
    });
    let total = cases.len();
    let (page, pages) = page_of(query.page, total, PAGE_SIZE);
    let first = (page - 1) * PAGE_SIZE;
    let lines: Vec<ReleaseLine> = cases
        .iter()
        .skip(first)
        .take(PAGE_SIZE)
        .map(|case| line(case, from, until, today))
        .collect();
    let count = if pages == 1 {
        format!("{total} cases.")
    } else {
        format!(
            "Showing cases {} to {} of {total}.",
            first + 1,
            first + lines.len()
        )
    };
    render(&ReleasesPage {
        chrome: Chrome::for_user(&user, "Releases and MAPPA cases", "/releases"),
        from: crate::format::date(from),
        until: crate::format::date(until),
        lines,
        count,
        pagination: Pagination::new(page, pages, |n| format!("/releases?page={n}")),
    })
}

/// The case's release date, when it falls in the window.
fn release_near(case: &CaseSummary, from: NaiveDate, until: NaiveDate) -> Option<NaiveDate> {
    case.main_event
        .as_ref()
        .and_then(|e| e.release_date)
        .filter(|d| (from..=until).contains(d))
}

fn line(case: &CaseSummary, from: NaiveDate, until: NaiveDate, today: NaiveDate) -> ReleaseLine {
    let release = release_near(case, from, until);
    let why = match release {
        Some(day) if day >= today => format!("Due for release on {}", crate::format::date(day)),
        Some(day) => format!("Released on {}", crate::format::date(day)),
        None => "Managed under MAPPA".to_owned(),
    };
    ReleaseLine {
        crn: case.crn.clone(),
        name: format!("{} {}", case.first_name, case.last_name),
        soon: release.is_some_and(|d| d >= today && d <= today + Days::new(14)),
        why,
        offence: case
            .main_event
            .as_ref()
            .map(|e| {
                format!(
                    "{} ({})",
                    e.offence_category.label(),
                    e.case_type.label().to_lowercase()
                )
            })
            .unwrap_or_default(),
        flags: flag_labels(case),
        rosh: rosh_words(case),
        managed: case
            .allocation
            .as_ref()
            .map(|a| format!("{}, {}", a.staff_name, a.team_name))
            .unwrap_or_else(|| "Waiting for allocation".into()),
    }
}
