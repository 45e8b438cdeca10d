//! `GET /reoffending`: the region's proven reoffending rates by cohort — the year supervision
//! started, the PDU or the case type — over one or two years, each with its 95% interval and
//! OGRS3's forecast for the same people, as a chart and a table. Counts only: no person is named,
//! so the whole region is shown to everyone allowed the page.

use super::chart::{interval_chart, percent, Group, IntervalChart};
use crate::error::AppError;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use keepsafe_domain::reoffending::{
    cohort_rates, CohortGrouping, CohortMember, CohortRate, FollowUpPeriod, Proportion,
    ReoffendingRules,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{AuditEntry, Outcome};
use keepsafe_storage::reoffending::cohort;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "reoffending/rates.html")]
struct RatesPage {
    chrome: Chrome,
    groupings: Vec<(String, String, bool)>,
    periods: Vec<(String, String, bool)>,
    grouping: String,
    period: String,
    headline: String,
    rows: Vec<RateRow>,
    chart: IntervalChart,
    chart_id: &'static str,
    chart_title: String,
    open: usize,
    earliest: String,
    cohort_years: u32,
    waiting_period_months: u32,
    reference_rate: u32,
    reference_source: &'static str,
    rules_version: String,
}

pub(crate) struct RateRow {
    pub label: String,
    pub people: u32,
    pub reoffended: u32,
    pub rate: String,
    pub interval: String,
    pub forecast: String,
}

/// The page's query, read leniently: anything unknown shows the default (by year, one year).
#[derive(Debug, Default, Deserialize)]
pub struct RatesQuery {
    by: Option<String>,
    period: Option<String>,
}

/// A choice of the period, read leniently.
pub(crate) fn period_of(raw: Option<&str>) -> FollowUpPeriod {
    raw.and_then(|p| FollowUpPeriod::parse(p).ok())
        .unwrap_or(FollowUpPeriod::OneYear)
}

/// The choices of a coded value with the chosen one marked.
pub(crate) fn options<T: CodedValue + PartialEq>(chosen: T) -> Vec<(String, String, bool)> {
    T::ALL
        .iter()
        .map(|v| (v.code().to_owned(), v.label().to_owned(), *v == chosen))
        .collect()
}

/// "36% to 55%", or a dash when nobody is counted.
pub(crate) fn interval_words(proportion: Proportion) -> String {
    proportion.interval().map_or_else(
        || "–".to_owned(),
        |(low, high)| format!("{} to {}", percent(low), percent(high)),
    )
}

fn row(rate: &CohortRate) -> RateRow {
    RateRow {
        label: rate.label.clone(),
        people: rate.proportion.of,
        reoffended: rate.proportion.count,
        rate: rate.proportion.rate().map_or("–".to_owned(), percent),
        interval: interval_words(rate.proportion),
        forecast: rate.mean_ogrs3.map_or_else(
            || "No forecasts".to_owned(),
            |mean| {
                format!(
                    "{mean:.0}% ({} of {} scored)",
                    rate.with_ogrs3, rate.proportion.of
                )
            },
        ),
    }
}

/// The region's follow-ups, read for one of the area's pages and audit-logged as `action` with
/// `what` was shown (counts only: no person is read out).
pub(crate) async fn read_members(
    state: &AppState,
    user: &CurrentUser,
    action: &'static str,
    what: String,
) -> Result<Vec<CohortMember>, AppError> {
    let today = state.clock.today();
    let region = user.account.actor().region;
    let staff_id = user.account.id;
    let actor = user.audit_name();
    state
        .read_then_audit(move |conn| {
            let members = cohort::members(conn, region, today)?;
            let entry = AuditEntry {
                staff_id: Some(staff_id),
                actor,
                action: action.into(),
                outcome: Outcome::Allowed,
                person_id: None,
                crn: None,
                detail: format!("{what}: {} follow-ups read (counts only)", members.len()),
            };
            Ok((members, entry))
        })
        .await
}

/// `GET /reoffending`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(query): Query<RatesQuery>,
) -> Result<Html<String>, AppError> {
    let today = state.clock.today();
    let grouping = query
        .by
        .as_deref()
        .and_then(|b| CohortGrouping::parse(b).ok())
        .unwrap_or(CohortGrouping::StartYear);
    let period = period_of(query.period.as_deref());
    let members = read_members(
        &state,
        &user,
        "view_reoffending_rates",
        format!("rates by {} over {}", grouping.code(), period.words()),
    )
    .await?;
    let rules = ReoffendingRules::default();
    let rates = cohort_rates(&members, grouping, period, &rules, today);
    let overall = rates.iter().fold(Proportion::default(), |mut sum, rate| {
        sum.count += rate.proportion.count;
        sum.of += rate.proportion.of;
        sum
    });
    let headline = match overall.rate() {
        Some(rate) => format!(
            "{} of the {} people whose follow-up has ended reoffended within {} ({}, 95% interval {}).",
            overall.count,
            overall.of,
            period.words(),
            percent(rate),
            interval_words(overall)
        ),
        None => format!("No follow-up of {} has ended yet in your region.", period.words()),
    };
    let earliest = rules.earliest_start(today);
    let open = members
        .iter()
        .filter(|member| member.start >= earliest && !rules.is_known(member.start, period, today))
        .count();
    let groups: Vec<Group> = rates
        .iter()
        .map(|rate| Group {
            label: rate.label.clone(),
            proportion: rate.proportion,
            forecast: rate.mean_ogrs3,
        })
        .collect();
    let chart = interval_chart(
        &groups,
        Some((
            rules.reference_rate_percent,
            rules.reference_rate_source.to_owned(),
        )),
    );
    render(&RatesPage {
        chrome: Chrome::for_user(&user, "Reoffending rates", "/reoffending"),
        groupings: options(grouping),
        periods: options(period),
        grouping: grouping.label().to_lowercase(),
        period: period.words().to_owned(),
        headline,
        rows: rates.iter().map(row).collect(),
        chart,
        chart_id: "rates-chart",
        chart_title: format!(
            "Proven reoffending within {} by {}",
            period.words(),
            grouping.label().to_lowercase()
        ),
        open,
        earliest: crate::format::date(earliest),
        cohort_years: rules.cohort_years,
        waiting_period_months: rules.waiting_period_months,
        reference_rate: rules.reference_rate_percent,
        reference_source: rules.reference_rate_source,
        rules_version: rules.version,
    })
}
