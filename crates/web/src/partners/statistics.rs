//! How quickly partners answer (reference §4: "one inspected case waited three months for a
//! safeguarding reply"): `GET /partners` for senior officers, heads of PDU and quality staff — every
//! partner of the region, measured on their PDU's cases (the region for quality staff) — and
//! `GET /partner/statistics` for a partner's managers, on their own organisation's requests. The
//! figures and their definitions are the domain's (`domain::partner::statistics`).

use crate::charts::{Histogram, PercentBars};
use crate::error::AppError;
use crate::format;
use crate::layout::{render, Chrome};
use crate::partners::portal::{acting, short_reference};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use chrono::{DateTime, NaiveDate, Utc};
use keepsafe_domain::partner::{
    decide, response_statistics, PartnerAction, PartnerDecision, RequestRecord, ResponseStatistics,
};
use keepsafe_domain::staff::Grade;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::partners::{self, StoredOrganisation};
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

struct Row {
    organisation: String,
    sent: String,
    answered: String,
    outstanding: String,
    median: String,
    p90: String,
    overdue: String,
    oldest: String,
}

/// One organisation's response times as a histogram, with a table of the same counts.
struct Distribution {
    /// Unique on the page, for the chart's element ids.
    id: String,
    organisation: String,
    chart: Histogram,
    /// "Median 6 working days, 90th percentile 14 working days, from 23 answers".
    summary: String,
}

#[derive(Template)]
#[template(path = "partners/statistics.html")]
struct StatisticsPage {
    chrome: Chrome,
    scope: String,
    rows: Vec<Row>,
    chart: Option<PercentBars>,
    distributions: Vec<Distribution>,
    /// How each organisation's median and 90th percentile were found: (organisation, steps).
    explanation: Vec<(String, Vec<String>)>,
    rule_version: String,
}

/// Response times of this many working days or more share the histogram's last bar.
const HISTOGRAM_LAST: u32 = 20;

fn days(value: Option<u32>) -> String {
    value.map_or_else(
        || "No answers yet".to_owned(),
        |d| format!("{d} working day{}", if d == 1 { "" } else { "s" }),
    )
}

/// The figures for one organisation, and its overdue share for the chart.
fn row(
    organisation: &StoredOrganisation,
    records: &[RequestRecord],
    today: NaiveDate,
) -> Result<(Row, Option<f64>, ResponseStatistics), AppError> {
    let name = organisation.organisation.name.as_str().to_owned();
    let stats = response_statistics(records, today)
        .map_err(|refused| AppError::Internal(refused.to_string()))?;
    let (row, overdue) = match &stats {
        ResponseStatistics::NoRequestsYet { .. } => (
            Row {
                organisation: name,
                sent: "No requests yet".into(),
                answered: String::new(),
                outstanding: String::new(),
                median: String::new(),
                p90: String::new(),
                overdue: String::new(),
                oldest: String::new(),
            },
            None,
        ),
        ResponseStatistics::Measured(m) => (
            Row {
                organisation: name,
                sent: m.sent.to_string(),
                answered: m.responded.to_string(),
                outstanding: m.outstanding.to_string(),
                median: days(m.median_working_days),
                p90: days(m.p90_working_days),
                overdue: m.overdue.map_or_else(
                    || "Not applicable".to_owned(),
                    |s| format!("{:.0}% ({} of {})", s.percent(), s.count, s.of),
                ),
                oldest: m.oldest_outstanding.as_ref().map_or_else(
                    || "None".to_owned(),
                    |o| {
                        format!(
                            "{} sent {}, waiting {} working days{}",
                            short_reference(o.request_id),
                            format::short_date(o.sent_on),
                            o.working_days_waiting,
                            if o.overdue { " (overdue)" } else { "" }
                        )
                    },
                ),
            },
            m.overdue.map(|s| s.percent()),
        ),
    };
    Ok((row, overdue, stats))
}

/// Figures for each organisation from `records` (organisation id, record).
fn page(
    user: &CurrentUser,
    section: &str,
    scope: String,
    organisations: &[StoredOrganisation],
    records: &[(Uuid, RequestRecord)],
    today: NaiveDate,
) -> Result<StatisticsPage, AppError> {
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    let mut distributions = Vec::new();
    let mut explanation = Vec::new();
    let mut rule_version = String::new();
    for (index, org) in organisations.iter().enumerate() {
        let mine: Vec<RequestRecord> = records
            .iter()
            .filter(|(id, _)| *id == org.organisation.id)
            .map(|(_, r)| *r)
            .collect();
        let (row, overdue, stats) = row(org, &mine, today)?;
        if let Some(percent) = overdue {
            bars.push((row.organisation.clone(), percent));
        }
        if let ResponseStatistics::Measured(m) = &stats {
            if let Some(chart) = Histogram::new(
                &m.response_times,
                HISTOGRAM_LAST,
                m.median_working_days,
                m.p90_working_days,
            ) {
                distributions.push(Distribution {
                    id: format!("response-times-{index}"),
                    organisation: row.organisation.clone(),
                    summary: format!(
                        "Median {}, 90th percentile {}, from {} answer{}",
                        days(m.median_working_days),
                        days(m.p90_working_days),
                        m.response_times.len(),
                        if m.response_times.len() == 1 { "" } else { "s" }
                    ),
                    chart,
                });
            }
        }
        let explained = stats.explanation();
        rule_version = explained.rule_version.clone();
        // The list of every response time is what the histogram shows; the steps after it say
        // how the median, 90th percentile, overdue share and oldest were found.
        explanation.push((
            row.organisation.clone(),
            explained
                .steps
                .iter()
                .filter(|step| !step.starts_with("Response times in working days"))
                .cloned()
                .collect(),
        ));
        rows.push(row);
    }
    Ok(StatisticsPage {
        chrome: Chrome::for_user(user, "How quickly partners answer", section),
        scope,
        rows,
        chart: PercentBars::new(&bars),
        distributions,
        explanation,
        rule_version,
    })
}

fn audit_view(
    conn: &mut AnyConnection,
    staff_id: Uuid,
    actor: String,
    detail: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    audit::record(
        conn,
        &AuditEntry {
            staff_id: Some(staff_id),
            actor,
            action: "view_partner_statistics".into(),
            outcome: Outcome::Allowed,
            person_id: None,
            crn: None,
            detail,
        },
        now,
    )?;
    Ok(())
}

/// `GET /partners`: every partner of the region, on the user's PDU's cases (the region's for
/// quality staff).
pub async fn for_staff(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Html<String>, AppError> {
    let now = state.clock.now();
    let today = state.clock.today();
    let actor = user.account.actor();
    let name = user.audit_name();
    let (scope, organisations, records) = state
        .write(move |conn| {
            let pdu = match actor.grade {
                Grade::SeniorProbationOfficer | Grade::HeadOfPdu => actor.pdu,
                _ => None,
            };
            let organisations = partners::organisations_in_region(conn, actor.region)?;
            let records = partners::statistics_records(conn, None, pdu)?;
            let scope = match pdu {
                Some(_) => "cases in your probation delivery unit".to_owned(),
                None => "cases across your region".to_owned(),
            };
            audit_view(conn, actor.staff_id, name, scope.clone(), now)?;
            Ok((scope, organisations, records))
        })
        .await?;
    render(&page(
        &user,
        "/partners",
        scope,
        &organisations,
        &records,
        today,
    )?)
}

/// `GET /partner/statistics`: a partner manager's own organisation.
pub async fn for_partner(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Html<String>, AppError> {
    let now = state.clock.now();
    let today = state.clock.today();
    let acting = acting(&user)?;
    let staff_id = user.account.id;
    let name = user.audit_name();
    let outcome = state
        .write(move |conn| {
            if let PartnerDecision::Refused(refusal) = decide(
                &acting.principal,
                PartnerAction::ViewStatistics,
                state.clock.now(),
            ) {
                audit::record(
                    conn,
                    &AuditEntry {
                        staff_id: Some(staff_id),
                        actor: name,
                        action: "view_partner_statistics".into(),
                        outcome: Outcome::Refused,
                        person_id: None,
                        crn: None,
                        detail: refusal.code().into(),
                    },
                    state.clock.now(),
                )?;
                return Ok(Err(refusal));
            }
            let organisation_id = acting.principal.organisation_id();
            let organisation = partners::organisation_by_id(conn, organisation_id)?;
            let records = partners::statistics_records(conn, Some(organisation_id), None)?;
            audit_view(
                conn,
                staff_id,
                name,
                organisation.organisation.code.as_str().to_owned(),
                now,
            )?;
            Ok(Ok((organisation, records)))
        })
        .await?
        .map_err(|refusal| AppError::Refused(refusal.message()))?;
    let (organisation, records) = outcome;
    let scope = format!(
        "requests sent to {}",
        organisation.organisation.name.as_str()
    );
    render(&page(
        &user,
        "/partner/statistics",
        scope,
        std::slice::from_ref(&organisation),
        &records,
        today,
    )?)
}
