//! `GET /workload`: the workload of the practitioners a manager oversees — cases, workload points,
//! capacity and who has been over capacity for how long — and `GET /workload/staff/{staff}`, how
//! one practitioner's numbers were worked out, case by case.

use crate::error::AppError;
use crate::format;
use crate::pages::layout::Chrome;
use crate::pages::render;
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use chrono::Utc;
use keepsafe_domain::access::{decide, Action, Decision};
use keepsafe_domain::event::CaseType;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::workload::excessive::ExcessiveWorkload;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::workload::{self, PractitionerWorkload};
use keepsafe_storage::{caseload, organisation, staff};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "workload.html")]
struct WorkloadPage {
    chrome: Chrome,
    scope: String,
    rows: Vec<Row>,
    averages: Vec<(String, String)>,
    bars: Vec<Bar>,
    chart_height: u32,
    over_capacity: usize,
    excessive: usize,
    waiting: Vec<(String, String, String)>,
    versions: String,
}

struct Row {
    staff_id: String,
    name: String,
    grade: String,
    team: String,
    cases: u32,
    by_type: String,
    points: u32,
    available: u32,
    percent: String,
    over: bool,
    excessive: String,
}

/// One bar of the capacity chart, laid out in SVG units.
struct Bar {
    label: &'static str,
    count: usize,
    y: u32,
    width: u32,
    colour: &'static str,
}

const BANDS: [(&str, f64, f64, &str); 6] = [
    ("Under 70%", f64::MIN, 70.0, "#00703c"),
    ("70 to 89%", 70.0, 90.0, "#00703c"),
    ("90 to 99%", 90.0, 100.0, "#1d70b8"),
    ("100 to 109%", 100.0, 110.0, "#f47738"),
    ("110 to 119%", 110.0, 120.0, "#d4351c"),
    ("120% or more", 120.0, f64::MAX, "#942514"),
];

fn bars(people: &[PractitionerWorkload]) -> Vec<Bar> {
    let counts: Vec<usize> = BANDS
        .iter()
        .map(|(_, from, to, _)| {
            people
                .iter()
                .filter_map(|p| p.percent)
                .filter(|percent| *percent >= *from && *percent < *to)
                .count()
        })
        .collect();
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    BANDS
        .iter()
        .zip(counts)
        .enumerate()
        .map(|(index, ((label, _, _, colour), count))| Bar {
            label,
            count,
            y: index as u32 * 34,
            width: (count * 400 / most) as u32,
            colour,
        })
        .collect()
}

fn percent_text(percent: Option<f64>) -> String {
    percent
        .map(|p| format!("{p:.0}%"))
        .unwrap_or_else(|| "Not calculated".into())
}

fn average_cases(people: &[PractitionerWorkload], grade: Grade) -> Option<f64> {
    let of_grade: Vec<_> = people.iter().filter(|p| p.grade == grade).collect();
    (!of_grade.is_empty())
        .then(|| of_grade.iter().map(|p| f64::from(p.cases)).sum::<f64>() / of_grade.len() as f64)
}

fn row(person: &PractitionerWorkload, excessive: Option<&ExcessiveWorkload>) -> Row {
    let by_type = CaseType::ALL
        .iter()
        .map(|t| {
            format!(
                "{} {}",
                person.cases_by_type.of(*t),
                t.label().to_lowercase()
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    Row {
        staff_id: person.staff_id.to_string(),
        name: person.name.clone(),
        grade: person.grade.label().to_owned(),
        team: person.team.clone(),
        cases: person.cases,
        by_type,
        points: person.total_points,
        available: person.available_points,
        percent: percent_text(person.percent),
        over: person.percent.is_some_and(|p| p > 100.0),
        excessive: match excessive {
            Some(e) if e.excessive => format!(
                "Over 110% since week of {}",
                e.over_threshold_since
                    .map(format::short_date)
                    .unwrap_or_default()
            ),
            _ => String::new(),
        },
    }
}

/// `GET /workload`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Html<String>, AppError> {
    let actor = user.account.actor();
    let entry = AuditEntry {
        staff_id: Some(actor.staff_id),
        actor: user.audit_name(),
        action: "view_workload".into(),
        outcome: Outcome::Allowed,
        person_id: None,
        crn: None,
        detail: String::new(),
    };
    let today = Utc::now().date_naive();
    let (scope, people, excessive, waiting) = state
        .write(move |conn| {
            let (scope, people, pdu) = match (actor.grade, actor.team, actor.pdu) {
                (Grade::SeniorProbationOfficer, Some(team), pdu) => {
                    let name = organisation::team(conn, team)?.name;
                    (name, workload::for_team(conn, team, today)?, pdu)
                }
                (Grade::HeadOfPdu, _, Some(pdu)) => (
                    "your probation delivery unit".to_owned(),
                    workload::for_pdu(conn, pdu, today)?,
                    Some(pdu),
                ),
                _ => (
                    "your region".to_owned(),
                    workload::for_region(conn, actor.region, today)?,
                    None,
                ),
            };
            let ids: Vec<Uuid> = people.iter().map(|p| p.staff_id).collect();
            let excessive = workload::excessive(conn, &ids, today)?;
            let waiting = match pdu {
                Some(pdu) => caseload::unallocated_in_pdu(conn, pdu, Utc::now().naive_utc())?,
                None => Vec::new(),
            };
            audit::record(conn, &entry, Utc::now())?;
            Ok((scope, people, excessive, waiting))
        })
        .await?;
    let averages = [
        (
            Grade::ProbationOfficer,
            "Average cases per probation officer",
        ),
        (
            Grade::ProbationServiceOfficer,
            "Average cases per probation services officer",
        ),
        (Grade::TraineeOfficer, "Average cases per trainee"),
    ]
    .into_iter()
    .filter_map(|(grade, label)| {
        average_cases(&people, grade).map(|a| (label.to_owned(), format!("{a:.1}")))
    })
    .collect();
    let versions = people
        .first()
        .map(|p| format!("{}; {}", p.weights_version, p.capacity_rule_version))
        .unwrap_or_default();
    render(&WorkloadPage {
        chrome: Chrome::for_user(&user, "Workload", "/workload"),
        over_capacity: people
            .iter()
            .filter(|p| p.percent.is_some_and(|x| x > 100.0))
            .count(),
        excessive: excessive.values().filter(|e| e.excessive).count(),
        bars: bars(&people),
        chart_height: BANDS.len() as u32 * 34,
        rows: people
            .iter()
            .map(|p| row(p, excessive.get(&p.staff_id)))
            .collect(),
        averages,
        waiting: waiting
            .iter()
            .map(|c| {
                let since = c
                    .main_event
                    .as_ref()
                    .and_then(|e| e.sentence_date)
                    .map(|d| {
                        format!(
                            "sentenced {} ({} days ago)",
                            format::short_date(d),
                            (today - d).num_days()
                        )
                    })
                    .unwrap_or_else(|| "awaiting sentence".into());
                (
                    c.crn.clone(),
                    format!("{} {}", c.first_name, c.last_name),
                    since,
                )
            })
            .collect(),
        scope,
        versions,
    })
}

#[derive(Template)]
#[template(path = "staff_workload.html")]
struct StaffWorkloadPage {
    chrome: Chrome,
    name: String,
    grade: String,
    team: String,
    summary: Vec<(String, String)>,
    cases: Vec<(String, String, String, String, String)>,
    reports: Vec<(String, String, String, String)>,
    explanation: Vec<String>,
}

/// `GET /workload/staff/{staff}`.
pub async fn staff_detail(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
) -> Result<Html<String>, AppError> {
    let staff_id = Uuid::parse_str(&raw).map_err(|_| AppError::NotFound)?;
    let actor = user.account.actor();
    let actor_name = user.audit_name();
    let today = Utc::now().date_naive();
    let person = state
        .write(move |conn| {
            let member = staff::find(conn, staff_id)?;
            let team_id = member.team_id.ok_or(AppError::NotFound)?;
            let team = organisation::team(conn, team_id)?;
            let decision = decide(
                &actor,
                Action::ViewStaffWorkload {
                    staff_id,
                    team: &team.location(),
                },
            );
            let mut entry = AuditEntry {
                staff_id: Some(actor.staff_id),
                actor: actor_name,
                action: "view_staff_workload".into(),
                outcome: Outcome::Allowed,
                person_id: None,
                crn: None,
                detail: member.display_name(),
            };
            if let Decision::Refused(refusal) = decision {
                entry.outcome = Outcome::Refused;
                entry.detail = format!("{} ({})", member.display_name(), refusal.code());
                audit::record(conn, &entry, Utc::now())?;
                return Ok(Err(refusal));
            }
            audit::record(conn, &entry, Utc::now())?;
            let found = workload::for_team(conn, team_id, today)?
                .into_iter()
                .find(|p| p.staff_id == staff_id)
                .ok_or(AppError::NotFound)?;
            Ok(Ok(found))
        })
        .await?
        .map_err(|refusal| AppError::Refused(refusal.message()))?;
    let title = format!("Workload: {}", person.name);
    render(&StaffWorkloadPage {
        chrome: Chrome::for_user(&user, title, ""),
        summary: vec![
            ("Cases".into(), person.cases.to_string()),
            ("Points from cases".into(), person.case_points.to_string()),
            (
                "Points from reports".into(),
                person.report_points.to_string(),
            ),
            (
                "Total workload points".into(),
                person.total_points.to_string(),
            ),
            (
                "Contracted hours".into(),
                format!("{}", person.contracted_hours),
            ),
            (
                "Available hours".into(),
                format!("{:.2}", person.available_hours),
            ),
            (
                "Available points".into(),
                person.available_points.to_string(),
            ),
            ("Capacity".into(), percent_text(person.percent)),
        ],
        cases: person
            .case_list
            .iter()
            .map(|c| {
                (
                    c.crn.clone(),
                    c.case_type
                        .map(|t| t.label().to_owned())
                        .unwrap_or_else(|| "No active sentence".into()),
                    c.tier
                        .map(|t| t.code().to_owned())
                        .unwrap_or_else(|| "Not computed".into()),
                    c.age.map(|a| a.to_string()).unwrap_or_default(),
                    c.points.to_string(),
                )
            })
            .collect(),
        reports: person
            .reports
            .iter()
            .map(|r| {
                (
                    r.crn.clone(),
                    r.kind.label().to_owned(),
                    format::short_date(r.due_on),
                    r.points.to_string(),
                )
            })
            .collect(),
        explanation: person.explanation.clone(),
        name: person.name.clone(),
        grade: person.grade.label().to_owned(),
        team: person.team.clone(),
    })
}
