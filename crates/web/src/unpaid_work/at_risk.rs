//! `GET /unpaid-work/at-risk`: the unpaid work orders behind the pace needed to finish by their
//! deadline (or past it with hours left) — a senior probation officer's team's, a head of PDU's
//! PDU's — soonest deadline first, each with the pace needed and achieved and how they were
//! worked out.

use super::case::{explain_pace, per_week, status_colour};
use super::Asking;
use crate::cases::list::{Pagination, PAGE_SIZE};
use crate::error::AppError;
use crate::format;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use keepsafe_domain::access::Actor;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::unpaid_work::hours_and_minutes;
use keepsafe_storage::unpaid_work::orders::{self, AtRiskCase, Scope};
use keepsafe_storage::unpaid_work::{self as stored};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "unpaid_work/at_risk.html")]
struct AtRiskPage {
    chrome: Chrome,
    whose: String,
    lines: Vec<Line>,
    count: String,
    rule_version: String,
    lookback: u32,
    minimum: u32,
    settling: u32,
    pagination: Pagination,
}

struct Line {
    crn: String,
    name: String,
    practitioner: String,
    deadline: String,
    hours: String,
    needed: String,
    achieved: String,
    status: String,
    status_colour: &'static str,
    explained: String,
}

/// The query, read leniently.
#[derive(Debug, Default, Deserialize)]
pub struct AtRiskQuery {
    page: Option<String>,
}

/// Whose orders the actor sees (the grade rule lets only senior officers and heads of PDU in).
fn scope_of(actor: &Actor) -> Option<(Scope, &'static str)> {
    match (actor.grade, actor.team, actor.pdu) {
        (Grade::SeniorProbationOfficer, Some(team), _) => Some((Scope::Team(team), "your team")),
        (Grade::HeadOfPdu, _, Some(pdu)) => Some((Scope::Pdu(pdu), "your probation delivery unit")),
        _ => None,
    }
}

/// `GET /unpaid-work/at-risk`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(query): Query<AtRiskQuery>,
) -> Result<Html<String>, AppError> {
    let today = state.clock.today();
    let (scope, whose) = scope_of(&user.account.actor()).ok_or_else(|| {
        AppError::Refused("Your account has no team or probation delivery unit to oversee.".into())
    })?;
    let requested = query.page.as_deref().and_then(|p| p.parse::<usize>().ok());
    let asking = Asking::of(&user);
    let limited_actor = user.account.actor();
    let (found, rules) = state
        .read_then_audit(move |conn| {
            let rules = stored::rules(conn, today)?;
            let mut found = orders::at_risk(conn, scope, &rules, today, requested, PAGE_SIZE)?;
            // Limited access: a case the reader may not see is not listed.
            found.cases = keepsafe_storage::cases::limited::hidden_from(conn, &limited_actor)?
                .leave_out_crns(std::mem::take(&mut found.cases), |c| &c.crn);
            let entry = asking.audit(
                "view_upw_at_risk",
                None,
                format!(
                    "{scope:?}: page {} of {}, {} orders behind pace",
                    found.page,
                    found.pages,
                    found.cases.len()
                ),
            );
            Ok(((found, rules), entry))
        })
        .await?;
    let first = (found.page - 1) * PAGE_SIZE;
    let count = match found.total {
        0 => "No orders are behind pace.".to_owned(),
        1 => "1 order is behind pace.".to_owned(),
        total if found.pages == 1 => format!("{total} orders are behind pace."),
        total => format!(
            "Showing orders {} to {} of {total} behind pace.",
            first + 1,
            first + found.cases.len()
        ),
    };
    let line = |case: &AtRiskCase| Line {
        crn: case.crn.clone(),
        name: case.name.clone(),
        practitioner: case
            .practitioner
            .clone()
            .unwrap_or_else(|| "Not allocated".into()),
        deadline: case
            .deadline
            .map(format::date)
            .unwrap_or_else(|| "No deadline".into()),
        hours: format!(
            "{} of {} hours credited; {} remaining",
            hours_and_minutes(case.credited_minutes),
            case.ordered_hours,
            hours_and_minutes(case.pace.remaining_minutes)
        ),
        needed: per_week(case.pace.needed_per_week),
        achieved: per_week(case.pace.achieved_per_week),
        status: case.pace.status.label().to_owned(),
        status_colour: status_colour(case.pace.status),
        explained: explain_pace(&case.pace, case.deadline, &rules),
    };
    render(&AtRiskPage {
        chrome: Chrome::for_user(&user, "Unpaid work orders behind pace", ""),
        whose: whose.to_owned(),
        lines: found.cases.iter().map(line).collect(),
        count,
        rule_version: rules.version.clone(),
        lookback: rules.pace_lookback_weeks,
        minimum: rules.minimum_weekly_hours,
        settling: rules.settling_in_weeks,
        pagination: Pagination::new(found.page, found.pages, |n| {
            format!("/unpaid-work/at-risk?page={n}")
        }),
    })
}
