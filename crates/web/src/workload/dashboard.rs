//! `GET /workload`: the workload of the practitioners a manager oversees — cases, workload points,
//! capacity and who has been over capacity for how long — and `GET /workload/staff/{staff}`, how
//! one practitioner's numbers were worked out, case by case.

use crate::charts::{self, WeeklyTrend};
use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission, Validation};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::workload::access::{open_staff, refused, OpenedStaff, StaffNeed};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{DateTime, Days, NaiveDate, Utc};
use keepsafe_domain::access::{decide, Action, Actor, Refusal};
use keepsafe_domain::event::CaseType;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::supervision::contact_log::local_time;
use keepsafe_domain::workload::excessive::ExcessiveWorkload;
use keepsafe_domain::workload::{ReductionKind, ReportKind};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::cases::{caseload, record as case_record};
use keepsafe_storage::workload::{self, PractitionerWorkload};
use keepsafe_storage::workload::{NewReduction, StoredReduction, WorkloadSnapshot};
use keepsafe_storage::{organisation, staff};
use keepsafe_storage::{AnyConnection, StorageError};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "workload/dashboard.html")]
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
    /// Average capacity of the practitioners shown, week by week.
    trend: Option<WeeklyTrend>,
    trend_note: String,
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
    let today = state.clock.today();
    let (scope, people, excessive, waiting, snapshots) = state
        .read_then_audit(move |conn| {
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
            let since = workload::week_start(today) - Days::new(7 * (TREND_WEEKS - 1));
            let snapshots = workload::snapshots_for(conn, &ids, since)?;
            let waiting = match pdu {
                Some(pdu) => {
                    caseload::unallocated_in_pdu(conn, pdu, local_time(state.clock.now()))?
                }
                None => Vec::new(),
            };
            let waiting = keepsafe_storage::cases::limited::hidden_from(conn, &actor)?
                .leave_out(waiting, |c| c.person_id);
            Ok(((scope, people, excessive, waiting, snapshots), entry))
        })
        .await?;
    let weeks = charts::weeks_ending(workload::week_start(today), TREND_WEEKS as u32);
    let weekly = average_by_week(&weeks, &snapshots);
    let names: std::collections::HashMap<Uuid, String> = people
        .iter()
        .map(|p| (p.staff_id, p.name.clone()))
        .collect();
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
        trend_note: weekly
            .iter()
            .map(|(week, average, n)| match average {
                Some(average) => format!(
                    "week of {}: {average:.0}% ({n} practitioners)",
                    format::short_date(*week)
                ),
                None => format!("week of {}: no figure recorded", format::short_date(*week)),
            })
            .collect::<Vec<_>>()
            .join("; "),
        trend: WeeklyTrend::new(
            &weekly
                .iter()
                .map(|(week, average, _)| (*week, *average))
                .collect::<Vec<_>>(),
            &snapshots
                .iter()
                .filter_map(|s| {
                    let name = names.get(&s.staff_id)?;
                    Some((s.week_start, name.clone(), s.percent?))
                })
                .collect::<Vec<_>>(),
        ),
    })
}

/// The mean capacity % of the snapshots recorded each of `weeks`, with how many there were, oldest
/// week first; a week nobody's snapshot was recorded for keeps its place with no figure.
fn average_by_week(
    weeks: &[NaiveDate],
    snapshots: &[WorkloadSnapshot],
) -> Vec<(NaiveDate, Option<f64>, usize)> {
    weeks
        .iter()
        .map(|week| {
            let recorded: Vec<f64> = snapshots
                .iter()
                .filter(|s| s.week_start == *week)
                .filter_map(|s| s.percent)
                .collect();
            let n = recorded.len();
            let average = (n > 0).then(|| recorded.iter().sum::<f64>() / n as f64);
            (*week, average, n)
        })
        .collect()
}

#[derive(Template)]
#[template(path = "workload/staff.html")]
struct StaffWorkloadPage {
    chrome: Chrome,
    csrf_token: String,
    staff_id: String,
    name: String,
    grade: String,
    team: String,
    /// "12 cases were moved to Sam Townsend", after a transfer.
    moved: Option<String>,
    may_manage: bool,
    summary: Vec<(String, String)>,
    cases: Vec<(String, String, String, String, String)>,
    /// "1 limited access case is counted but not listed.", when any is.
    not_listed: Option<String>,
    /// CRN, report, due, points, report id.
    reports: Vec<(String, String, String, String, String)>,
    report_kinds: Vec<(&'static str, &'static str)>,
    explanation: Vec<String>,
    trend: Option<WeeklyTrend>,
    trend_rows: Vec<(String, String, String, String)>,
    excessive: String,
    /// The excessive-workload rule's version, behind a disclosure.
    excessive_rule: String,
    reductions: Vec<ReductionView>,
    reduction_kinds: Vec<(&'static str, &'static str, bool)>,
    form: ReductionForm,
    errors: Vec<FieldError>,
}

/// A stored reduction as the page lists it.
struct ReductionView {
    id: String,
    kind: String,
    hours: String,
    dates: String,
    reason: String,
    in_force: bool,
}

/// The add-a-reduction form as submitted (or empty).
#[derive(Default)]
struct ReductionForm {
    hours: String,
    from_day: String,
    from_month: String,
    from_year: String,
    to_day: String,
    to_month: String,
    to_year: String,
    reason: String,
    kind_error: Option<String>,
    hours_error: Option<String>,
    from_error: Option<String>,
    to_error: Option<String>,
    reason_error: Option<String>,
}

/// Query parameters of the staff workload page.
#[derive(Debug, Default, Deserialize)]
pub struct StaffQuery {
    /// How many cases a transfer just moved.
    moved: Option<usize>,
    /// Who they went to.
    to: Option<Uuid>,
}

/// Weeks of history the trend shows.
const TREND_WEEKS: u64 = 12;

/// Everything the staff page shows, read in one transaction.
struct StaffWorkload {
    person: PractitionerWorkload,
    /// Limited access cases counted but not listed to this viewer.
    not_listed: usize,
    may_manage: bool,
    moved_to: Option<String>,
    snapshots: Vec<WorkloadSnapshot>,
    excessive: Option<ExcessiveWorkload>,
    reductions: Vec<StoredReduction>,
}

fn read_staff(
    conn: &mut AnyConnection,
    actor: &Actor,
    actor_name: &str,
    staff_id: Uuid,
    moved_to: Option<Uuid>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Result<StaffWorkload, Refusal>, AppError> {
    let opened = match open_staff(
        conn,
        actor,
        actor_name,
        staff_id,
        "view_staff_workload",
        StaffNeed::View,
        now,
    )? {
        Ok(opened) => opened,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let may_manage = decide(
        actor,
        Action::ManageStaffCaseload {
            team: &opened.team.location(),
        },
    )
    .is_allowed();
    let mut person = workload::for_team(conn, opened.team.id, today)?
        .into_iter()
        .find(|p| p.staff_id == staff_id)
        .ok_or(AppError::NotFound)?;
    // Limited access: the points of every case count (it is the practitioner's real load), but a
    // case the viewer may not see is not listed.
    let listed = person.case_list.len();
    let hidden = keepsafe_storage::cases::limited::hidden_from(conn, actor)?;
    let hidden_crns: Vec<String> = person
        .case_list
        .iter()
        .filter(|c| hidden.hides(c.person_id))
        .map(|c| c.crn.clone())
        .collect();
    person.case_list = hidden.leave_out(std::mem::take(&mut person.case_list), |c| c.person_id);
    // The explanation's line for each case begins with its CRN.
    person.explanation.retain(|line| {
        !hidden_crns.iter().any(|crn| {
            line.strip_prefix(crn.as_str())
                .is_some_and(|rest| rest.starts_with([' ', ':']))
        })
    });
    let not_listed = listed - person.case_list.len();
    let since = workload::week_start(today) - Days::new(7 * (TREND_WEEKS - 1));
    let snapshots = workload::snapshots_for(conn, &[staff_id], since)?;
    let excessive = workload::excessive(conn, &[staff_id], today)?.remove(&staff_id);
    let reductions = workload::reductions_for(conn, staff_id)?;
    let moved_to = match moved_to {
        Some(id) => Some(staff::find(conn, id)?.display_name()),
        None => None,
    };
    Ok(Ok(StaffWorkload {
        person,
        not_listed,
        may_manage,
        moved_to,
        snapshots,
        excessive,
        reductions,
    }))
}

fn staff_page(
    user: &CurrentUser,
    read: StaffWorkload,
    moved: Option<usize>,
    submitted: Option<&FormFields>,
    errors: Vec<FieldError>,
    today: NaiveDate,
) -> StaffWorkloadPage {
    let person = read.person;
    let weeks: Vec<(NaiveDate, Option<f64>)> =
        charts::weeks_ending(workload::week_start(today), TREND_WEEKS as u32)
            .into_iter()
            .map(|week| {
                let recorded = read.snapshots.iter().find(|s| s.week_start == week);
                (week, recorded.and_then(|s| s.percent))
            })
            .collect();
    let field = |name: &str| {
        submitted.map_or_else(String::new, |f| f.get(name).chars().take(12_000).collect())
    };
    let chosen_kind = submitted.map_or("", |f| f.get("kind"));
    let error_for = |name: &str| forms::message_for(&errors, name);
    StaffWorkloadPage {
        chrome: Chrome::for_form(user, format!("Workload: {}", person.name), &errors, ""),
        csrf_token: user.csrf_token.clone(),
        staff_id: person.staff_id.to_string(),
        moved: moved.map(|n| {
            format!(
                "{n} case{} moved to {}. They have a handover task for each.",
                if n == 1 { " was" } else { "s were" },
                read.moved_to
                    .clone()
                    .unwrap_or_else(|| "another practitioner".into())
            )
        }),
        may_manage: read.may_manage,
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
        not_listed: match read.not_listed {
            0 => None,
            1 => Some("1 limited access case is counted but not listed.".to_owned()),
            n => Some(format!(
                "{n} limited access cases are counted but not listed."
            )),
        },
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
                    r.report_id.to_string(),
                )
            })
            .collect(),
        report_kinds: ReportKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        explanation: person.explanation.clone(),
        trend: WeeklyTrend::new(&weeks, &[]),
        trend_rows: weeks
            .iter()
            .rev()
            .map(
                |(week, _)| match read.snapshots.iter().find(|s| s.week_start == *week) {
                    Some(s) => (
                        format::short_date(s.week_start),
                        s.cases.to_string(),
                        format!("{} of {}", s.total_points, s.available_points),
                        percent_text(s.percent),
                    ),
                    None => (
                        format::short_date(*week),
                        String::new(),
                        String::new(),
                        "No figure recorded".to_owned(),
                    ),
                },
            )
            .collect(),
        excessive: read
            .excessive
            .as_ref()
            .map(|e| {
                e.explanation
                    .steps
                    .iter()
                    .map(|step| format!("{step}."))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_else(|| "No weekly snapshots have been recorded yet.".into()),
        excessive_rule: read
            .excessive
            .as_ref()
            .map(|e| e.explanation.rule_version.clone())
            .unwrap_or_default(),
        reductions: read
            .reductions
            .iter()
            .map(|r| ReductionView {
                id: r.id.to_string(),
                kind: r.reduction.kind.label().to_owned(),
                hours: format!("{}", r.reduction.hours),
                dates: match r.reduction.to {
                    Some(to) => format!(
                        "{} to {}",
                        format::short_date(r.reduction.from),
                        format::short_date(to)
                    ),
                    None => format!("From {}", format::short_date(r.reduction.from)),
                },
                reason: r.reason.clone(),
                in_force: r.reduction.in_force_on(today),
            })
            .collect(),
        reduction_kinds: ReductionKind::ALL
            .iter()
            .map(|k| (k.code(), k.label(), k.code() == chosen_kind))
            .collect(),
        form: ReductionForm {
            hours: field("hours"),
            from_day: field("from-day"),
            from_month: field("from-month"),
            from_year: field("from-year"),
            to_day: field("to-day"),
            to_month: field("to-month"),
            to_year: field("to-year"),
            reason: field("reason"),
            kind_error: error_for("kind"),
            hours_error: error_for("hours"),
            from_error: error_for("from-day"),
            to_error: error_for("to-day"),
            reason_error: error_for("reason"),
        },
        errors,
        name: person.name.clone(),
        grade: person.grade.label().to_owned(),
        team: person.team.clone(),
    }
}

/// `GET /workload/staff/{staff}`.
pub async fn staff_detail(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
    Query(query): Query<StaffQuery>,
) -> Result<Html<String>, AppError> {
    let now = state.clock.now();
    let staff_id = Uuid::parse_str(&raw).map_err(|_| AppError::NotFound)?;
    let actor = user.account.actor();
    let actor_name = user.audit_name();
    let today = state.clock.today();
    let to = query.to;
    let read = state
        .write(move |conn| read_staff(conn, &actor, &actor_name, staff_id, to, today, now))
        .await?
        .map_err(refused)?;
    render(&staff_page(
        &user,
        read,
        query.moved,
        None,
        Vec::new(),
        today,
    ))
}

/// Parses the add-a-reduction form; every problem at once.
fn parse_reduction(
    fields: &FormFields,
    staff_id: Uuid,
    by: Uuid,
) -> Result<NewReduction, Vec<FieldError>> {
    let mut validation = Validation::default();
    let kind = validation.required(
        ReductionKind::parse(fields.get("kind")).ok(),
        "kind",
        "Select the kind of reduction",
    );
    let hours = validation.field(weekly_hours(fields.get("hours").trim()));
    let from = validation.field(fields.date("from", "the date the reduction starts"));
    let to_given = ["to-day", "to-month", "to-year"]
        .iter()
        .any(|f| fields.filled(f).is_some());
    let to = if to_given {
        validation.field(fields.date("to", "the last day of the reduction"))
    } else {
        None
    };
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            validation.add(FieldError::new(
                "to-day",
                "The last day of the reduction must be on or after the day it starts",
            ));
        }
    }
    if fields.filled("reason").is_none() {
        validation.add(FieldError::new(
            "reason",
            "Enter the reason for the reduction",
        ));
    }
    validation.finish(|| {
        Some(NewReduction {
            staff_id,
            kind: kind?,
            hours: hours?,
            from: from?,
            to,
            reason: fields.get("reason").to_owned(),
            created_by: Some(by),
        })
    })
}

/// The hours a week a reduction takes off: more than none, no more than a full week.
fn weekly_hours(text: &str) -> Result<f64, FieldError> {
    let refused = |message: &str| Err(FieldError::new("hours", message));
    match text.parse::<f64>() {
        Ok(h) if h > 0.0 && h <= 37.5 => Ok(h),
        Ok(_) => refused("Hours a week must be more than 0 and no more than 37.5"),
        Err(_) if text.is_empty() => refused("Enter the hours a week the reduction takes off"),
        Err(_) => refused("Hours a week must be a number, like 7.4"),
    }
}

/// A refused form on the staff page, or the refusal to open the page at all.
type StaffForm = Result<Submission<(), (StaffWorkload, Vec<FieldError>)>, Refusal>;

/// A form on a practitioner's page (a reduction, a report), posted to `/workload/staff/{raw}`:
/// in one transaction it opens the practitioner for managing (audited as `purpose`) and `save`
/// reads and saves the form; then the page is shown at `#{anchor}`, or again with the form's
/// errors.
async fn staff_form<F>(
    state: AppState,
    user: CurrentUser,
    raw: &str,
    fields: FormFields,
    (purpose, anchor): (&'static str, &'static str),
    save: F,
) -> Result<Response, AppError>
where
    F: FnOnce(
            &mut AnyConnection,
            &OpenedStaff,
            &Posted,
        ) -> Result<Submission<(), Vec<FieldError>>, AppError>
        + Send
        + 'static,
{
    let now = state.clock.now();
    let staff_id = Uuid::parse_str(raw).map_err(|_| AppError::NotFound)?;
    let actor = user.account.actor();
    let posted = Posted::new(&user, &fields);
    let today = state.clock.today();
    let outcome = state
        .write(move |conn| -> Result<StaffForm, AppError> {
            let actor_name = &posted.actor_name;
            let manage = StaffNeed::Manage;
            let opened = match open_staff(conn, &actor, actor_name, staff_id, purpose, manage, now)?
            {
                Ok(opened) => opened,
                Err(refusal) => return Ok(Err(refusal)),
            };
            let errors = match save(conn, &opened, &posted)? {
                Submission::Saved(()) => return Ok(Ok(Submission::Saved(()))),
                Submission::Refused(errors) => errors,
            };
            let read = read_staff(conn, &actor, actor_name, staff_id, None, today, now)?;
            Ok(read.map(|read| Submission::Refused((read, errors))))
        })
        .await?
        .map_err(refused)?;
    forms::respond(
        outcome,
        |()| Redirect::to(&format!("/workload/staff/{staff_id}#{anchor}")),
        |(read, errors)| staff_page(&user, read, None, Some(&fields), errors, today),
    )
}

/// `POST /workload/staff/{staff}/reductions`: records a reduction of the practitioner's available
/// hours (the senior officer of their team, or the head of PDU).
pub async fn add_reduction(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let clock = state.clock;
    let what = ("add_reduction", "reductions");
    staff_form(
        state,
        user,
        &raw,
        fields,
        what,
        move |conn, opened, posted| {
            let new = match parse_reduction(posted, opened.member.id, posted.by) {
                Ok(new) => new,
                Err(errors) => return Ok(Submission::Refused(errors)),
            };
            match workload::add_reduction(conn, &new, clock.now()) {
                Ok(_) => {}
                Err(StorageError::Conflict(message)) => {
                    return Ok(Submission::Refused(vec![FieldError::new("hours", message)]));
                }
                Err(other) => return Err(other.into()),
            }
            let detail = format!(
                "{}: {} h a week ({}) from {}",
                opened.member.display_name(),
                new.hours,
                new.kind.code(),
                new.from
            );
            audit::record(conn, &posted.audit("reduction_added", detail), clock.now())?;
            Ok(Submission::Saved(()))
        },
    )
    .await
}

/// `POST /workload/staff/{staff}/reductions/{reduction}/delete`: removes a reduction recorded in
/// error.
pub async fn delete_reduction(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((raw, raw_reduction)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let staff_id = Uuid::parse_str(&raw).map_err(|_| AppError::NotFound)?;
    let reduction_id = Uuid::parse_str(&raw_reduction).map_err(|_| AppError::NotFound)?;
    let actor = user.account.actor();
    let actor_name = user.audit_name();
    state
        .write(move |conn| {
            let opened = match open_staff(
                conn,
                &actor,
                &actor_name,
                staff_id,
                "delete_reduction",
                StaffNeed::Manage,
                now,
            )? {
                Ok(opened) => opened,
                Err(refusal) => return Ok(Err(refusal)),
            };
            let stored = workload::reductions_for(conn, staff_id)?
                .into_iter()
                .find(|r| r.id == reduction_id)
                .ok_or(AppError::NotFound)?;
            workload::delete_reduction(conn, reduction_id)?;
            audit::record(
                conn,
                &AuditEntry {
                    staff_id: Some(actor.staff_id),
                    actor: actor_name,
                    action: "reduction_deleted".into(),
                    outcome: Outcome::Allowed,
                    person_id: None,
                    crn: None,
                    detail: format!(
                        "{}: {} h a week ({}) from {}",
                        opened.member.display_name(),
                        stored.reduction.hours,
                        stored.reduction.kind.code(),
                        stored.reduction.from
                    ),
                },
                state.clock.now(),
            )?;
            Ok(Ok(()))
        })
        .await?
        .map_err(refused)?;
    Ok(Redirect::to(&format!("/workload/staff/{staff_id}#reductions")).into_response())
}

/// Parses the record-a-report form: the case by CRN (it must be in the practitioner's PDU), the
/// kind, and the requested and due dates; every problem at once.
fn parse_report(
    conn: &mut AnyConnection,
    fields: &FormFields,
    staff_id: Uuid,
    pdu_id: Uuid,
) -> Result<Result<workload::NewCourtReport, Vec<FieldError>>, AppError> {
    let mut validation = Validation::default();
    let crn = fields.get("report-crn").trim().to_ascii_uppercase();
    let person = if crn.is_empty() {
        validation.add(FieldError::new(
            "report-crn",
            "Enter the case reference (CRN)",
        ));
        None
    } else {
        let located = case_record::locate(conn, &crn)?;
        validation.required(
            located
                .filter(|case| case.location.pdu == pdu_id)
                .map(|case| case.person_id),
            "report-crn",
            &format!("There is no case {crn} in this practitioner's PDU"),
        )
    };
    let kind = validation.required(
        ReportKind::parse(fields.get("report-kind")).ok(),
        "report-kind",
        "Select the kind of report",
    );
    let requested = validation.field(fields.date("requested", "the date the report was requested"));
    let due = validation.field(fields.date("due", "the date the report is due"));
    Ok(validation.finish(|| {
        Some(workload::NewCourtReport {
            person_id: person?,
            staff_id,
            kind: kind?,
            requested_on: requested?,
            due_on: due?,
        })
    }))
}

/// `POST /workload/staff/{staff}/reports`: records a court or parole report the practitioner is
/// writing, which counts in their workload until it is completed.
pub async fn add_report(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let clock = state.clock;
    let what = ("add_report", "reports");
    staff_form(
        state,
        user,
        &raw,
        fields,
        what,
        move |conn, opened, posted| {
            let new = match parse_report(conn, posted, opened.member.id, opened.team.pdu_id)? {
                Ok(new) => new,
                Err(errors) => return Ok(Submission::Refused(errors)),
            };
            match workload::add_court_report(conn, &new) {
                Ok(_) => {}
                Err(StorageError::Conflict(message)) => {
                    return Ok(Submission::Refused(vec![FieldError::new(
                        "due-day", message,
                    )]));
                }
                Err(other) => return Err(other.into()),
            }
            let entry = AuditEntry {
                person_id: Some(new.person_id),
                crn: Some(posted.get("report-crn").trim().to_ascii_uppercase()),
                ..posted.audit(
                    "report_added",
                    format!(
                        "{} for {}, due {}",
                        new.kind.code(),
                        opened.member.display_name(),
                        new.due_on
                    ),
                )
            };
            audit::record(conn, &entry, clock.now())?;
            Ok(Submission::Saved(()))
        },
    )
    .await
}

/// `POST /workload/staff/{staff}/reports/{report}/complete`: the report is done and stops counting.
pub async fn complete_report(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((raw, raw_report)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let staff_id = Uuid::parse_str(&raw).map_err(|_| AppError::NotFound)?;
    let report_id = Uuid::parse_str(&raw_report).map_err(|_| AppError::NotFound)?;
    let actor = user.account.actor();
    let actor_name = user.audit_name();
    let today = state.clock.today();
    state
        .write(move |conn| {
            if let Err(refusal) = open_staff(
                conn,
                &actor,
                &actor_name,
                staff_id,
                "complete_report",
                StaffNeed::Manage,
                now,
            )? {
                return Ok(Err(refusal));
            }
            let team = staff::find(conn, staff_id)?
                .team_id
                .ok_or(AppError::NotFound)?;
            let report = workload::for_team(conn, team, today)?
                .into_iter()
                .find(|p| p.staff_id == staff_id)
                .and_then(|p| p.reports.into_iter().find(|r| r.report_id == report_id))
                .ok_or(AppError::NotFound)?;
            workload::complete_court_report(conn, report_id, today)?;
            audit::record(
                conn,
                &AuditEntry {
                    staff_id: Some(actor.staff_id),
                    actor: actor_name,
                    action: "report_completed".into(),
                    outcome: Outcome::Allowed,
                    person_id: Some(report.person_id),
                    crn: Some(report.crn),
                    detail: report.kind.code().to_owned(),
                },
                state.clock.now(),
            )?;
            Ok(Ok(()))
        })
        .await?
        .map_err(refused)?;
    Ok(Redirect::to(&format!("/workload/staff/{staff_id}#reports")).into_response())
}
