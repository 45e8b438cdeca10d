//! `GET /workload/insights`: supervisor insights (reference §13) — per practitioner, the share of
//! their cases with an overdue risk assessment or an overdue review, and of their appointments
//! missed; judged against an absolute standard and against like caseloads by the spread-based rule,
//! both explained on the page, the arithmetic behind a "How this was worked out" disclosure
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
use keepsafe_domain::workload::{compare, InsightMeasure, InsightRules, MeasureComparison};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{AuditEntry, Outcome};
use keepsafe_storage::organisation;
use keepsafe_storage::workload::insights::{self, PractitionerInsight};
use serde::Deserialize;
use std::collections::HashMap;
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
    /// The judgement against the standard, said first ("Far above the standard of 20%").
    headline: String,
    /// The comparison with like caseloads, said second.
    like_caseloads: &'static str,
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
    standards: String,
    standards_version: String,
    /// The practitioner whose cases are listed, and the cases behind each measure.
    behind: Option<(String, Vec<CasesBehind>)>,
}

/// A case behind a number: CRN, name, and how many times it counted (a case can have several
/// missed appointments).
struct CaseBehind {
    crn: String,
    name: String,
    times: usize,
}

/// A measure's label and the cases counted in it.
type CasesBehind = (String, Vec<CaseBehind>);

/// Sorted CRNs, one entry per case with its count and the person's name.
fn counted(crns: &[String], names: &HashMap<String, String>) -> Vec<CaseBehind> {
    let mut out: Vec<CaseBehind> = Vec::new();
    for crn in crns {
        match out.last_mut() {
            Some(last) if last.crn == *crn => last.times += 1,
            _ => out.push(CaseBehind {
                crn: crn.clone(),
                name: names
                    .get(crn)
                    .cloned()
                    .unwrap_or_else(|| "Limited access case".to_owned()),
                times: 1,
            }),
        }
    }
    out
}

fn cell(
    insight: &PractitionerInsight,
    comparison: &MeasureComparison,
    rules: &InsightRules,
) -> Cell {
    let rate = insight.rate(comparison.measure);
    let judgement = comparison.judgement_of(insight.staff_id, rate, rules);
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
        flagged: judgement.flagged(),
        headline: judgement.headline(&rules.standards),
        like_caseloads: judgement.against_like_caseloads(),
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
    let staff_asked = query.staff;
    let (scope, pdu_choices, people, team_filter, names) = state
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
            // Names only for the one practitioner whose cases are listed.
            let crns: Vec<String> = people
                .iter()
                .filter(|p| Some(p.staff_id) == staff_asked)
                .filter(|p| team_filter.is_none_or(|team| p.team_id == team))
                .flat_map(|p| p.behind.values().flatten().cloned())
                .collect();
            // A limited access case the viewer may not see is counted, but not named.
            let hidden = keepsafe_storage::cases::limited::hidden_from(conn, &actor)?;
            let crns = hidden.leave_out_crns(crns, |crn| crn.as_str());
            let names = insights::names_by_crn(conn, &crns)?;
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
            Ok((
                (chosen.name.clone(), choices, people, team_filter, names),
                entry,
            ))
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
            cells: comparisons.iter().map(|c| cell(p, c, &rules)).collect(),
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
                        counted(p.behind.get(m).map_or(&[][..], Vec::as_slice), &names),
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
        standards: rules.standards.describe(),
        standards_version: rules.standards.version.clone(),
        behind,
    })
}
