//! `GET /cases/{crn}/unpaid-work`: a case's unpaid work — for each order the hours ordered, worked
//! (credited) and remaining, the completion deadline under the date-dependent rule (12 months,
//! unless the 2026 Act's removal of the limit had commenced by the sentence date) with how it was
//! worked out, the pace needed against the pace achieved, and every session with its outcome.

use crate::cases::access::open_case;
use crate::error::AppError;
use crate::format;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate};
use keepsafe_domain::unpaid_work::{
    assess_pace, hours_and_minutes, Pace, PaceInputs, PaceStatus, UnpaidWorkRules,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::unpaid_work::orders::{self, Order};
use keepsafe_storage::unpaid_work::{self as stored};

#[derive(Template)]
#[template(path = "unpaid_work/case.html")]
struct CasePage {
    chrome: Chrome,
    name: String,
    crn: String,
    orders: Vec<OrderView>,
}

struct OrderView {
    title: String,
    active: bool,
    ordered: String,
    credited: String,
    breakdown: String,
    remaining: String,
    deadline: String,
    deadline_explained: String,
    rule_version: String,
    status: String,
    status_colour: &'static str,
    needed: String,
    achieved: String,
    pace_explained: String,
    sessions: Vec<SessionView>,
}

struct SessionView {
    day: String,
    project: String,
    outcome: String,
    credited: String,
    ratings: String,
}

pub(crate) fn per_week(minutes: u32) -> String {
    format!("{} a week", hours_and_minutes(minutes))
}

/// How the pace was worked out, in words.
pub(crate) fn explain_pace(
    pace: &Pace,
    deadline: Option<NaiveDate>,
    rules: &UnpaidWorkRules,
) -> String {
    let needed = match (deadline, pace.weeks_left) {
        (Some(due), Some(weeks)) if weeks > 0.0 => format!(
            "Needed: the {} remaining spread over the {:.1} weeks to {}, and never less than {} hours a week while hours remain.",
            hours_and_minutes(pace.remaining_minutes),
            weeks,
            format::date(due),
            rules.minimum_weekly_hours
        ),
        (Some(due), _) => format!(
            "The deadline, {}, has passed: all {} remaining are overdue.",
            format::date(due),
            hours_and_minutes(pace.remaining_minutes)
        ),
        (None, _) => format!(
            "With no deadline, the pace needed is the minimum of {} hours a week while hours remain.",
            rules.minimum_weekly_hours
        ),
    };
    format!(
        "{needed} Achieved: the hours credited for sessions in the last {} weeks, divided by {}. An order is not judged in its first {} weeks.",
        pace.measured_weeks, pace.measured_weeks, rules.settling_in_weeks
    )
}

pub(crate) fn status_colour(status: PaceStatus) -> &'static str {
    match status {
        PaceStatus::Complete => "govuk-tag--green",
        PaceStatus::OnPace => "govuk-tag--blue",
        PaceStatus::SettlingIn => "govuk-tag--grey",
        PaceStatus::Behind => "govuk-tag--orange",
        PaceStatus::PastDeadline => "govuk-tag--red",
    }
}

fn order_view(order: &Order, rules: &UnpaidWorkRules, today: NaiveDate) -> OrderView {
    let deadline = rules.completion().complete_by(order.sentence_date);
    let pace = assess_pace(
        &PaceInputs {
            ordered_hours: order.ordered_hours,
            credited_minutes: order.credited_minutes,
            recent_minutes: order.recent_minutes,
            sentence_date: order.sentence_date,
            deadline,
            today,
        },
        rules,
    );
    let worked = order
        .credited_minutes
        .saturating_sub(order.travel_minutes + order.ete_minutes);
    OrderView {
        title: format!("Event {}: {}", order.event_number, order.offence),
        active: order.active,
        ordered: format!("{} hours", order.ordered_hours),
        credited: hours_and_minutes(order.credited_minutes),
        breakdown: format!(
            "{} worked, {} travel, {} education, training or employment",
            hours_and_minutes(worked),
            hours_and_minutes(order.travel_minutes),
            hours_and_minutes(order.ete_minutes)
        ),
        remaining: hours_and_minutes(pace.remaining_minutes),
        deadline: deadline
            .map(format::date)
            .unwrap_or_else(|| "No deadline".into()),
        deadline_explained: rules.explain_deadline(order.sentence_date),
        rule_version: rules.version.clone(),
        status: pace.status.label().to_owned(),
        status_colour: status_colour(pace.status),
        needed: per_week(pace.needed_per_week),
        achieved: per_week(pace.achieved_per_week),
        pace_explained: explain_pace(&pace, deadline, rules),
        sessions: order
            .sessions
            .iter()
            .map(|line| SessionView {
                day: format!(
                    "{}, {} to {}",
                    format::date(line.starts_at.date()),
                    format::time(line.starts_at),
                    format::time(line.ends_at)
                ),
                project: line.project.clone(),
                outcome: line
                    .attendance
                    .as_ref()
                    .map(|a| a.outcome.label().to_owned())
                    .unwrap_or_else(|| "Not recorded yet".into()),
                credited: line
                    .attendance
                    .as_ref()
                    .map(|a| hours_and_minutes(a.total_minutes()))
                    .unwrap_or_default(),
                ratings: line
                    .attendance
                    .as_ref()
                    .and_then(|a| {
                        a.quality.zip(a.behaviour).map(|(q, b)| {
                            format!(
                                "Work {}, behaviour {}",
                                q.label().to_lowercase(),
                                b.label().to_lowercase()
                            )
                        })
                    })
                    .unwrap_or_default(),
            })
            .collect(),
    }
}

/// `GET /cases/{crn}/unpaid-work`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let (heading, found, rules) = open_case(
        &state,
        &user,
        &crn,
        "view_unpaid_work",
        move |conn, case| {
            let rules = stored::rules(conn, today)?;
            let recent_from = today - Duration::weeks(i64::from(rules.pace_lookback_weeks));
            Ok((
                case_record::heading(conn, case.person_id)?,
                orders::for_person(conn, case.person_id, recent_from, today)?,
                rules,
            ))
        },
    )
    .await?;
    let (name, crn) = heading;
    let page = CasePage {
        chrome: Chrome::for_user(&user, format!("Unpaid work: {name} ({crn})"), ""),
        orders: found.iter().map(|o| order_view(o, &rules, today)).collect(),
        name,
        crn,
    };
    Ok(render(&page)?.into_response())
}
