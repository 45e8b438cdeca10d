//! `GET /programmes`: the interventions dashboard — a senior officer's team, a head of PDU's PDU,
//! quality staff's region. Waits from referral and from the suitability assessment to the start
//! (median and 90th percentile), the current waits and the people waiting longest (paged, each
//! linked to the case), starts month by month, completion rates by programme and by PDU, the
//! reasons for non-completion, and the requirements whose programme has not started in time. Each
//! chart is SVG drawn here with a text alternative and a table of the same figures, and each
//! measure says how it was worked out. Two reads of the unit's referrals (one bulk read for the
//! measures, one page of the longest waiting) and one of its requirements.

use crate::cases::list::{Pagination, PAGE_SIZE};
use crate::charts::PercentBars;
use crate::error::AppError;
use crate::format;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use keepsafe_domain::access::Actor;
use keepsafe_domain::programmes::measures::Completion;
use keepsafe_domain::programmes::{measure, ProgrammeRules, WaitSummary};
use keepsafe_domain::staff::Grade;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{AuditEntry, Outcome};
use keepsafe_storage::programmes::{dashboard, requirements, ProgrammeScope};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "programmes/dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    whose: &'static str,
    since: String,
    referral_to_start: WaitView,
    suitability_to_start: WaitView,
    waiting_now: WaitView,
    waits_chart: Option<CountBars>,
    starts_chart: Option<CountBars>,
    starts_total: usize,
    by_programme: Vec<RateRow>,
    by_programme_chart: Option<PercentBars>,
    by_pdu: Vec<RateRow>,
    by_pdu_chart: Option<PercentBars>,
    overall: RateRow,
    reasons: Vec<(String, usize)>,
    waiting: Vec<WaitingLine>,
    waiting_total: usize,
    pagination: Pagination,
    late: Vec<LateLine>,
    late_total: usize,
    start_within_weeks: u32,
    rule_version: &'static str,
}

struct WaitView {
    count: usize,
    median: String,
    p90: String,
    longest: String,
}

fn days_words(days: u32) -> String {
    let months = f64::from(days) / 30.44;
    if days >= 60 {
        format!("{days} days (about {months:.0} months)")
    } else if days == 1 {
        "1 day".to_owned()
    } else {
        format!("{days} days")
    }
}

fn wait_view(summary: &WaitSummary) -> WaitView {
    let show = |value: Option<u32>| value.map(days_words).unwrap_or_else(|| "None yet".into());
    WaitView {
        count: summary.count,
        median: show(summary.median),
        p90: show(summary.p90),
        longest: show(summary.days.last().copied()),
    }
}

/// Horizontal bars of counts, one a row, with the count written beside each.
pub(crate) struct CountBars {
    pub height: u32,
    /// (label, y, bar width, count)
    pub bars: Vec<(String, u32, u32, usize)>,
    pub description: String,
}

const ROW: u32 = 30;
const FULL: u32 = 300;

impl CountBars {
    fn new(rows: &[(String, usize)], unit: &str) -> Option<Self> {
        let most = rows.iter().map(|r| r.1).max()?;
        if most == 0 {
            return None;
        }
        Some(Self {
            height: rows.len() as u32 * ROW,
            bars: rows
                .iter()
                .enumerate()
                .map(|(i, (label, count))| {
                    (
                        label.clone(),
                        i as u32 * ROW,
                        (*count as u32 * FULL) / most as u32,
                        *count,
                    )
                })
                .collect(),
            description: rows
                .iter()
                .map(|(label, count)| format!("{label}: {count} {unit}."))
                .collect::<Vec<_>>()
                .join(" "),
        })
    }
}

struct RateRow {
    group: String,
    completed: usize,
    finished: usize,
    rate: String,
}

fn rate_row(c: &Completion) -> RateRow {
    RateRow {
        group: c.group.clone(),
        completed: c.completed,
        finished: c.finished,
        rate: c
            .percent()
            .map(|p| format!("{p:.0}%"))
            .unwrap_or_else(|| "None finished".into()),
    }
}

fn rate_chart(rows: &[Completion]) -> Option<PercentBars> {
    let bars: Vec<(String, f64)> = rows
        .iter()
        .filter_map(|c| Some((c.group.clone(), c.percent()?)))
        .collect();
    PercentBars::new(&bars)
}

struct WaitingLine {
    crn: String,
    name: String,
    programme: String,
    status: String,
    referred: String,
    waited: String,
    practitioner: String,
}

struct LateLine {
    crn: String,
    name: String,
    requirement: String,
    began: String,
    due_by: String,
    days_late: i64,
    practitioner: String,
}

/// The dashboard's query, read leniently: a page that is not a number is the first.
#[derive(Debug, Default, Deserialize)]
pub struct DashboardQuery {
    page: Option<String>,
}

/// Whose programmes the actor oversees, and the words for it.
fn scope_of(actor: &Actor) -> Result<(ProgrammeScope, &'static str), AppError> {
    match (actor.grade, actor.team, actor.pdu) {
        (Grade::SeniorProbationOfficer, Some(team), _) => {
            Ok((ProgrammeScope::Team(team), "your team"))
        }
        (Grade::HeadOfPdu, _, Some(pdu)) => {
            Ok((ProgrammeScope::Pdu(pdu), "your probation delivery unit"))
        }
        (Grade::QualityInspection, _, _) => Ok((ProgrammeScope::Region(actor.region), "your region")),
        _ => Err(AppError::Refused(
            "The interventions dashboard is for senior probation officers, heads of PDU and quality staff".into(),
        )),
    }
}

/// How many of the requirements not started in time are listed.
const LATE_SHOWN: usize = 50;

/// `GET /programmes`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(query): Query<DashboardQuery>,
) -> Result<Html<String>, AppError> {
    let today = state.clock.today();
    let (scope, whose) = scope_of(&user.account.actor())?;
    let requested = query.page.as_deref().and_then(|p| p.parse::<usize>().ok());
    let rules = ProgrammeRules::in_force_on(today);
    let staff_id = user.account.id;
    let limited_actor = user.account.actor();
    let actor = user.audit_name();
    let (facts, waiting, late) = state
        .read_then_audit(move |conn| {
            let facts = dashboard::facts(conn, scope, today)?;
            let mut waiting = dashboard::longest_waiting(conn, scope, requested, PAGE_SIZE)?;
            let late = requirements::not_started_in_time(conn, scope, today, &rules)?;
            // Limited access: the measures count every case (they name nobody); the lines of a
            // case the reader may not see are left out.
            let hidden = keepsafe_storage::cases::limited::hidden_from(conn, &limited_actor)?;
            waiting.lines = hidden.leave_out_crns(std::mem::take(&mut waiting.lines), |l| &l.crn);
            let late = hidden.leave_out_crns(late, |l| &l.crn);
            let entry = AuditEntry {
                staff_id: Some(staff_id),
                actor,
                action: "view_programmes_dashboard".into(),
                outcome: Outcome::Allowed,
                person_id: None,
                crn: None,
                detail: format!(
                    "{} referrals measured; page {} of those waiting ({} cases listed); {} requirements not started in time",
                    facts.len(),
                    waiting.page,
                    waiting.lines.len(),
                    late.len()
                ),
            };
            Ok(((facts, waiting, late), entry))
        })
        .await?;
    let measures = measure(&facts, today);
    let waits_rows = wait_buckets(&measures.waiting_now.days);
    let starts_rows: Vec<(String, usize)> = measures
        .starts_by_month
        .iter()
        .map(|(month, count)| (month.format("%B %Y").to_string(), *count))
        .collect();
    let waiting_lines = waiting
        .lines
        .iter()
        .map(|w| WaitingLine {
            crn: w.crn.clone(),
            name: w.name.clone(),
            programme: w.programme.clone(),
            status: w.status.label().to_owned(),
            referred: format::date(w.referred_on),
            waited: days_words(u32::try_from((today - w.referred_on).num_days()).unwrap_or(0)),
            practitioner: w
                .practitioner
                .clone()
                .unwrap_or_else(|| "Not allocated".into()),
        })
        .collect();
    let late_lines = late
        .iter()
        .take(LATE_SHOWN)
        .map(|r| {
            let flag = r.flag(today, &rules);
            LateLine {
                crn: r.crn.clone(),
                name: r.name.clone(),
                requirement: r.kind.label().to_owned(),
                began: format::date(r.began_on),
                due_by: format::date(flag.due_by),
                days_late: flag.days_late,
                practitioner: r
                    .practitioner
                    .clone()
                    .unwrap_or_else(|| "Not allocated".into()),
            }
        })
        .collect();
    render(&DashboardPage {
        chrome: Chrome::for_user(&user, "Programmes and interventions", "/programmes"),
        whose,
        since: format::date(measures.since),
        referral_to_start: wait_view(&measures.referral_to_start),
        suitability_to_start: wait_view(&measures.suitability_to_start),
        waiting_now: wait_view(&measures.waiting_now),
        waits_chart: CountBars::new(&waits_rows, "people"),
        starts_total: starts_rows.iter().map(|r| r.1).sum(),
        starts_chart: CountBars::new(&starts_rows, "starts"),
        by_programme: measures.by_programme.iter().map(rate_row).collect(),
        by_programme_chart: rate_chart(&measures.by_programme),
        by_pdu: measures.by_pdu.iter().map(rate_row).collect(),
        by_pdu_chart: rate_chart(&measures.by_pdu),
        overall: rate_row(&measures.overall),
        reasons: measures
            .reasons
            .iter()
            .map(|(reason, count)| (reason.label().to_owned(), *count))
            .collect(),
        waiting: waiting_lines,
        waiting_total: waiting.total,
        pagination: Pagination::new(waiting.page, waiting.pages, |n| {
            format!("/programmes?page={n}#waiting")
        }),
        late: late_lines,
        late_total: late.len(),
        start_within_weeks: rules.start_within_weeks,
        rule_version: rules.version,
    })
}

/// Current waits by months waited: under 3, 3 to 6, 6 to 9, 9 to 12, a year or more.
fn wait_buckets(days: &[u32]) -> Vec<(String, usize)> {
    let bounds: [(u32, u32, &str); 5] = [
        (0, 91, "Under 3 months"),
        (91, 182, "3 to 6 months"),
        (182, 274, "6 to 9 months"),
        (274, 365, "9 to 12 months"),
        (365, u32::MAX, "A year or more"),
    ];
    bounds
        .iter()
        .map(|(from, to, label)| {
            (
                (*label).to_owned(),
                days.iter().filter(|d| **d >= *from && **d < *to).count(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_bucketed_by_quarters_of_a_year() {
        let rows = wait_buckets(&[0, 90, 91, 200, 300, 365, 700]);
        let counts: Vec<usize> = rows.iter().map(|r| r.1).collect();
        assert_eq!(counts, vec![2, 1, 1, 1, 2]);
    }

    #[test]
    fn count_bars_scale_to_the_largest_and_describe_every_row() {
        let chart = CountBars::new(&[("A".into(), 2), ("B".into(), 4)], "starts").unwrap();
        assert_eq!(chart.bars[1].2, 300);
        assert_eq!(chart.bars[0].2, 150);
        assert_eq!(chart.description, "A: 2 starts. B: 4 starts.");
        assert!(CountBars::new(&[("A".into(), 0)], "starts").is_none());
    }

    #[test]
    fn long_waits_are_said_in_months_too() {
        assert_eq!(days_words(200), "200 days (about 7 months)");
        assert_eq!(days_words(1), "1 day");
    }
}
