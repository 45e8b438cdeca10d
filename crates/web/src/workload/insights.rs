//! `GET /workload/insights`: supervisor insights (reference §13) — per practitioner, the share of
//! their cases with an overdue risk assessment or an overdue review, and of their appointments
//! missed; flagged only against like caseloads by the spread-based rule the page explains
//! (`domain::workload::insights`). Senior officers see their team against the PDU's like caseloads,
//! heads of PDU their PDU, quality staff any PDU of their region. `?staff=ID` lists the cases behind
//! one practitioner's numbers.

use crate::error::AppError;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::workload::{
    compare, InsightMeasure, InsightRules, MeasureComparison, Standing,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{AuditEntry, Outcome};
use keepsafe_storage::organisation;
use keepsafe_storage::workload::insights::{self, PractitionerInsight};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Debug, Default, Deserialize)]
pub struct InsightsQuery {
    /// For region-wide users: which PDU, by code.
    pdu: Option<String>,
    /// Whose cases to list.
    staff: Option<Uuid>,
}

struct Cell {
    text: String,
    flagged: bool,
    standing: &'static str,
}

struct Row {
    staff_id: String,
    name: String,
    grade: String,
    team: String,
    cells: Vec<Cell>,
}

struct GroupView {
    heading: String,
    lines: Vec<String>,
}

#[derive(Template)]
#[template(path = "workload/insights.html")]
struct InsightsPage {
    chrome: Chrome,
    scope: String,
    pdu_choices: Vec<(String, String, bool)>,
    measures: Vec<(&'static str, String)>,
    rows: Vec<Row>,
    flagged: usize,
    groups: Vec<GroupView>,
    rule_version: String,
    /// The practitioner whose cases are listed, and the CRNs behind each measure.
    behind: Option<(String, Vec<CasesBehind>)>,
}

/// A measure's label and the CRNs counted in it, each with how many times it counted (a case can
/// have several missed appointments).
type CasesBehind = (String, Vec<(String, usize)>);

/// Sorted CRNs, one entry per case with its count.
fn counted(crns: &[String]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for crn in crns {
        match out.last_mut() {
            Some((last, n)) if last == crn => *n += 1,
            _ => out.push((crn.clone(), 1)),
        }
    }
    out
}

fn cell(insight: &PractitionerInsight, comparison: &MeasureComparison) -> Cell {
    let rate = insight.rate(comparison.measure);
    let standing = comparison
        .standing_of(insight.staff_id)
        .unwrap_or(Standing::TooFewToJudge);
    Cell {
        text: match rate.percent() {
            Some(p) => format!(
                "{p:.0}% ({} of {} {})",
                rate.count,
                rate.out_of,
                comparison.measure.out_of()
            ),
            None => format!("No {}", comparison.measure.out_of()),
        },
        flagged: standing == Standing::Outlier,
        standing: standing.label(),
    }
}

/// `GET /workload/insights`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(query): Query<InsightsQuery>,
) -> Result<Html<String>, AppError> {
    let actor = user.account.actor();
    let actor_name = user.audit_name();
    let rules = InsightRules::reference();
    let read_rules = rules.clone();
    let (scope, pdu_choices, people, team_filter) = state
        .read_then_audit(move |conn| {
            let pdus = organisation::pdus_in_region(conn, actor.region)?;
            let chosen = match (actor.pdu, &query.pdu) {
                (Some(own), _) => pdus.iter().find(|p| p.id == own),
                (None, Some(code)) => pdus.iter().find(|p| &p.code == code),
                (None, None) => pdus.first(),
            }
            .cloned()
            .ok_or_else(|| {
                AppError::Refused(
                    "There is no PDU with that code in your region: choose one from the list."
                        .into(),
                )
            })?;
            let people = insights::for_pdu(conn, chosen.id, &read_rules, state.clock.now())?;
            let team_filter = match (actor.grade, actor.team) {
                (Grade::SeniorProbationOfficer, Some(team)) => Some(team),
                _ => None,
            };
            let entry = AuditEntry {
                staff_id: Some(actor.staff_id),
                actor: actor_name,
                action: "view_insights".into(),
                outcome: Outcome::Allowed,
                person_id: None,
                crn: None,
                detail: format!(
                    "{}{}",
                    chosen.code,
                    query
                        .staff
                        .map(|s| format!("; cases of {s}"))
                        .unwrap_or_default()
                ),
            };
            let choices = if actor.pdu.is_some() {
                Vec::new()
            } else {
                pdus.iter()
                    .map(|p| (p.code.clone(), p.name.clone(), p.id == chosen.id))
                    .collect()
            };
            Ok(((chosen.name.clone(), choices, people, team_filter), entry))
        })
        .await?;

    let comparisons: Vec<MeasureComparison> = InsightMeasure::ALL
        .iter()
        .map(|measure| {
            let rates: Vec<_> = people.iter().map(|p| p.for_comparison(*measure)).collect();
            compare(*measure, &rates, &rules)
        })
        .collect();
    let shown: Vec<&PractitionerInsight> = people
        .iter()
        .filter(|p| team_filter.is_none_or(|team| p.team_id == team))
        .collect();
    let rows: Vec<Row> = shown
        .iter()
        .map(|p| Row {
            staff_id: p.staff_id.to_string(),
            name: p.name.clone(),
            grade: p.grade.label().to_owned(),
            team: p.team.clone(),
            cells: comparisons.iter().map(|c| cell(p, c)).collect(),
        })
        .collect();
    let flagged = rows
        .iter()
        .filter(|r| r.cells.iter().any(|c| c.flagged))
        .count();
    let groups = comparisons
        .iter()
        .flat_map(|c| c.groups.iter())
        .map(|g| GroupView {
            heading: format!(
                "{}: {}",
                g.measure.label(),
                g.explanation
                    .input_value("Like caseloads")
                    .unwrap_or_default()
            ),
            lines: g
                .explanation
                .inputs
                .iter()
                .skip(2)
                .map(|f| format!("{}: {}", f.name, f.value))
                .chain(g.explanation.steps.iter().cloned())
                .collect(),
        })
        .collect();
    let behind = query.staff.and_then(|id| {
        let p = shown.iter().find(|p| p.staff_id == id)?;
        Some((
            p.name.clone(),
            InsightMeasure::ALL
                .iter()
                .map(|m| {
                    (
                        m.label().to_owned(),
                        counted(p.behind.get(m).map_or(&[][..], Vec::as_slice)),
                    )
                })
                .collect(),
        ))
    });
    render(&InsightsPage {
        chrome: Chrome::for_user(&user, "Supervisor insights", "/workload"),
        scope,
        pdu_choices,
        measures: InsightMeasure::ALL
            .iter()
            .map(|m| (m.label(), m.definition(&rules)))
            .collect(),
        rows,
        flagged,
        groups,
        rule_version: rules.version.clone(),
        behind,
    })
}
