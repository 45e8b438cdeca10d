//! `GET /tasks`: reviews due on the cases a practitioner manages, or across a senior officer's
//! team, overdue first. Overdue reviews are what inspectors find; this makes them impossible to miss.
//! Supervision work sits above them: outcomes to record, evidence to judge, warnings to send,
//! breach actions due and (for senior officers and heads of PDU) recalls to countersign — one
//! query per section.

use crate::cases::list::AssessmentState;
use crate::error::AppError;
use crate::layout::{render, Chrome};
use crate::risk::overview::{task_line, TaskLine};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use keepsafe_domain::staff::Grade;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::cases::caseload::{self, CaseSummary};
use keepsafe_storage::cases::limited;
use keepsafe_storage::cases::tasks::{self as review_tasks, TaskRecord};
use keepsafe_storage::supervision::enforcement::{self, Countersigner, EnforcementTask};
use keepsafe_storage::supervision::outcomes::{self, AppointmentTask};
use keepsafe_storage::workload::allocation;
use keepsafe_storage::StorageError;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "cases/tasks.html")]
struct TasksPage {
    chrome: Chrome,
    scope: String,
    overdue: Vec<(String, String, TaskLine)>,
    due: Vec<(String, String, TaskLine)>,
    csrf_token: String,
    may_send_bulk: bool,
    /// The user's own tasks (such as arranging an induction after allocation).
    own: Vec<OwnTask>,
    /// Supervision work: outcomes to record, evidence to judge, warnings to send, breach actions
    /// due, and recalls waiting for the user's countersignature.
    supervision: SupervisionTasks,
    /// Cases with no risk of serious harm assessment in force past the day one was due.
    assessments: Vec<SupervisionLine>,
    /// Registrations whose review date has come.
    flag_reviews: Vec<crate::cases::flag_reviews::FlagReviewLine>,
    /// Sentence plan reviews due within four weeks or overdue.
    plan_reviews: Vec<SupervisionLine>,
    /// Needs assessment reviews asked for by changes in circumstances, due within four weeks.
    needs_reviews: Vec<SupervisionLine>,
    /// Handover and release-day tasks listed from their day (`crate::licences::page::on_tasks`).
    licence_tasks: Vec<SupervisionLine>,
    /// Serious further offence notifications and reviews (`crate::sfo::tasks::on_tasks`), and
    /// whether the user may open the list of them.
    sfo_alerts: Vec<SupervisionLine>,
    may_list_sfo: bool,
    /// Programme requirements not started in time (`crate::programmes::case::on_tasks`).
    programme_starts: Vec<SupervisionLine>,
}

/// How far ahead sentence plan reviews are listed: a regular review is scheduled 16 weeks ahead,
/// and listing it from the day it is scheduled would bury the ones due now.
const PLAN_REVIEWS_AHEAD_DAYS: i64 = 28;

/// Whose reviews the user's tasks page lists: a senior officer's team, a head of PDU's PDU, or
/// the cases a practitioner holds.
fn review_scope(
    actor: &keepsafe_domain::access::Actor,
) -> keepsafe_storage::cases::tasks::TaskScope {
    use keepsafe_storage::cases::tasks::TaskScope;
    match (actor.grade, actor.team, actor.pdu) {
        (Grade::SeniorProbationOfficer, Some(team), _) => TaskScope::Team(team),
        (Grade::HeadOfPdu, _, Some(pdu)) => TaskScope::Pdu(pdu),
        _ => TaskScope::Staff(actor.staff_id),
    }
}

/// The needs assessment reviews in the user's scope due within [`PLAN_REVIEWS_AHEAD_DAYS`].
fn needs_reviews(
    conn: &mut keepsafe_storage::AnyConnection,
    actor: &keepsafe_domain::access::Actor,
    today: chrono::NaiveDate,
) -> Result<Vec<SupervisionLine>, StorageError> {
    let due_by = today + chrono::Duration::days(PLAN_REVIEWS_AHEAD_DAYS);
    Ok(
        keepsafe_storage::needs::reviews::open_in_scope(conn, review_scope(actor), due_by)?
            .into_iter()
            .map(|r| SupervisionLine {
                what: format!("{}: {}", r.trigger, r.details),
                when: crate::format::date(r.due_on),
                overdue: keepsafe_domain::review::is_overdue(r.due_on, today),
                href: format!("/cases/{}/needs", r.crn),
                crn: r.crn,
                name: r.name,
            })
            .collect(),
    )
}

/// The sentence plan reviews in the user's scope due within [`PLAN_REVIEWS_AHEAD_DAYS`].
fn plan_reviews(
    conn: &mut keepsafe_storage::AnyConnection,
    actor: &keepsafe_domain::access::Actor,
    today: chrono::NaiveDate,
) -> Result<Vec<SupervisionLine>, StorageError> {
    use keepsafe_domain::CodedValue;
    use keepsafe_storage::plans::reviews::tasks;
    let due_by = today + chrono::Duration::days(PLAN_REVIEWS_AHEAD_DAYS);
    Ok(tasks(conn, review_scope(actor), Some(due_by))?
        .into_iter()
        .map(|t| SupervisionLine {
            what: if t.details.is_empty() {
                t.reason.label().to_owned()
            } else {
                format!("{}: {}", t.reason.label(), t.details)
            },
            when: crate::format::date(t.due_on),
            overdue: keepsafe_domain::review::is_overdue(t.due_on, today),
            href: format!("/cases/{}/plan", t.crn),
            crn: t.crn,
            name: t.name,
        })
        .collect())
}

/// A line of a supervision section: the case, what, when, where to act.
struct SupervisionLine {
    crn: String,
    name: String,
    what: String,
    when: String,
    overdue: bool,
    href: String,
}

#[derive(Default)]
struct SupervisionTasks {
    outcomes: Vec<SupervisionLine>,
    evidence: Vec<SupervisionLine>,
    warnings: Vec<SupervisionLine>,
    breaches: Vec<SupervisionLine>,
    recalls: Vec<SupervisionLine>,
    /// Whether the user countersigns recalls (senior officers and heads of PDU).
    countersigns: bool,
}

/// What the supervision sections are read from: one query each.
struct SupervisionRows {
    outcomes: Vec<AppointmentTask>,
    evidence: Vec<AppointmentTask>,
    warnings: Vec<EnforcementTask>,
    breaches: Vec<EnforcementTask>,
    recalls: Option<Vec<EnforcementTask>>,
}

fn supervision_rows(
    conn: &mut keepsafe_storage::AnyConnection,
    actor: &keepsafe_domain::access::Actor,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<SupervisionRows, StorageError> {
    let countersigner = match (actor.grade, actor.team, actor.pdu) {
        (Grade::SeniorProbationOfficer, Some(team), _) => Some(Countersigner::SeniorOfTeam(team)),
        (Grade::HeadOfPdu, _, Some(pdu)) => Some(Countersigner::HeadOfPdu(pdu)),
        _ => None,
    };
    Ok(SupervisionRows {
        outcomes: outcomes::awaiting_outcome_for_staff(conn, actor.staff_id, now)?,
        evidence: outcomes::evidence_to_judge_for_staff(conn, actor.staff_id, now.date_naive())?,
        warnings: enforcement::warnings_due_for_staff(conn, actor.staff_id)?,
        breaches: enforcement::breaches_due_for_staff(conn, actor.staff_id)?,
        recalls: countersigner
            .map(|who| enforcement::recalls_awaiting(conn, who))
            .transpose()?,
    })
}

fn supervision_view(rows: SupervisionRows, today: chrono::NaiveDate) -> SupervisionTasks {
    use keepsafe_domain::review::is_overdue;
    use keepsafe_domain::CodedValue;
    let date = crate::format::date;
    let moment = |at: chrono::NaiveDateTime| format!("{}, {}", date(at.date()), at.format("%H:%M"));
    let enforcement_line =
        |t: EnforcementTask, what: &str, href: String, due: bool| SupervisionLine {
            what: what.to_owned(),
            when: date(t.due_on),
            overdue: due && is_overdue(t.due_on, today),
            href,
            crn: t.crn,
            name: t.name,
        };
    SupervisionTasks {
        countersigns: rows.recalls.is_some(),
        outcomes: rows
            .outcomes
            .into_iter()
            .map(|t| SupervisionLine {
                what: t.kind.label().to_owned(),
                when: moment(t.starts_at),
                overdue: false,
                href: format!("/cases/{}/appointments/{}/outcome", t.crn, t.id),
                crn: t.crn,
                name: t.name,
            })
            .collect(),
        evidence: rows
            .evidence
            .into_iter()
            .map(|t| SupervisionLine {
                what: format!("{} on {}", t.kind.label(), moment(t.starts_at)),
                when: t.evidence_due_on.map(date).unwrap_or_default(),
                overdue: true,
                href: format!("/cases/{}/appointments/{}/judgement", t.crn, t.id),
                crn: t.crn,
                name: t.name,
            })
            .collect(),
        warnings: rows
            .warnings
            .into_iter()
            .map(|t| {
                let href = format!("/cases/{}/enforcement", t.crn);
                enforcement_line(t, "Send the warning letter", href, true)
            })
            .collect(),
        breaches: rows
            .breaches
            .into_iter()
            .map(|t| {
                let href = format!("/cases/{}/breaches/{}", t.crn, t.id);
                enforcement_line(t, "Write the breach report", href, true)
            })
            .collect(),
        recalls: rows
            .recalls
            .unwrap_or_default()
            .into_iter()
            .map(|t| {
                let href = format!("/cases/{}/recalls/{}", t.crn, t.id);
                enforcement_line(
                    t,
                    "Countersign or decline the recall recommendation",
                    href,
                    false,
                )
            })
            .collect(),
    }
}

/// The cases with a risk of serious harm assessment overdue (none in force 15 working days after
/// allocation), longest overdue first, each linking to the case's risk page where one is started.
fn overdue_assessments(cases: &[CaseSummary], today: chrono::NaiveDate) -> Vec<SupervisionLine> {
    let mut overdue: Vec<(chrono::NaiveDate, &CaseSummary)> = cases
        .iter()
        .filter_map(|case| match AssessmentState::of(case, today) {
            AssessmentState::Overdue(due) => Some((due, case)),
            _ => None,
        })
        .collect();
    overdue.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.crn.cmp(&b.1.crn)));
    overdue
        .into_iter()
        .take(usize::try_from(keepsafe_storage::supervision::outcomes::TASK_LIMIT).unwrap_or(200))
        .map(|(due, case)| SupervisionLine {
            crn: case.crn.clone(),
            name: format!("{} {}", case.first_name, case.last_name),
            what: match &case.allocation {
                Some(a) => format!(
                    "Complete a risk of serious harm assessment ({})",
                    a.staff_name
                ),
                None => "Complete a risk of serious harm assessment".into(),
            },
            when: crate::format::date(due),
            overdue: true,
            href: format!("/cases/{}/risk", case.crn),
        })
        .collect()
}

/// One of the user's own tasks.
struct OwnTask {
    id: String,
    crn: String,
    title: String,
    due: String,
    overdue: bool,
    /// Where the task is done, when that is more than the case: the check a chase is about.
    href: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Html<String>, AppError> {
    let actor = user.account.actor();
    let entry = AuditEntry {
        staff_id: Some(actor.staff_id),
        actor: user.audit_name(),
        action: "view_tasks".into(),
        outcome: Outcome::Allowed,
        person_id: None,
        crn: None,
        detail: String::new(),
    };
    let (
        scope,
        tasks,
        own,
        supervision,
        held,
        (flag_reviews, plan_reviews, needs_reviews),
        (licence_tasks, sfo_alerts, programme_starts),
    ) = state
        .write(move |conn| {
            let now = keepsafe_domain::supervision::contact_log::local_time(state.clock.now());
            let (scope, tasks, held): (String, Vec<TaskRecord>, Vec<CaseSummary>) =
                match (actor.grade, actor.team, actor.pdu) {
                    (Grade::SeniorProbationOfficer, Some(team), _) => (
                        "your team's cases".into(),
                        review_tasks::open_for_team(conn, team)?,
                        caseload::for_team(conn, team, now)?,
                    ),
                    (Grade::HeadOfPdu, _, Some(pdu)) => (
                        "cases in your PDU".into(),
                        review_tasks::open_for_pdu(conn, pdu)?,
                        caseload::for_pdu(conn, pdu, now)?,
                    ),
                    _ => (
                        "your cases".into(),
                        review_tasks::open_for_staff(conn, actor.staff_id)?,
                        caseload::for_staff(conn, actor.staff_id, now)?,
                    ),
                };
            let own = allocation::open_tasks_for_staff(conn, actor.staff_id)?;
            let own_tasks: Vec<_> = own.iter().map(|(task, _)| task.clone()).collect();
            let chased = keepsafe_storage::partners::chased_checks(conn, &own_tasks)?;
            let own: Vec<_> = own
                .into_iter()
                .map(|(task, crn)| {
                    let check = chased.get(&task.id).copied();
                    (task, crn, check)
                })
                .collect();
            let supervision = supervision_rows(conn, &actor, state.clock.now())?;
            let flag_reviews = crate::cases::flag_reviews::read(conn, &actor, state.clock.today())?;
            let plans = plan_reviews(conn, &actor, state.clock.today())?;
            let needs = needs_reviews(conn, &actor, state.clock.today())?;
            let licence_tasks =
                crate::licences::page::on_tasks(conn, review_scope(&actor), state.clock.today())?;
            let sfo_alerts = crate::sfo::tasks::on_tasks(conn, &actor, state.clock.today())?;
            let programme_starts =
                crate::programmes::case::on_tasks(conn, review_scope(&actor), state.clock.today())?;
            // Limited access: no line about a case the user may not see (one query).
            let hidden = limited::hidden_from(conn, &actor)?;
            let tasks = hidden.leave_out(tasks, |t| t.person_id);
            let held = hidden.leave_out(held, |c| c.person_id);
            let own = hidden.leave_out_crns(own, |(_, crn, _)| crn);
            let supervision = SupervisionRows {
                outcomes: hidden.leave_out_crns(supervision.outcomes, |t| &t.crn),
                evidence: hidden.leave_out_crns(supervision.evidence, |t| &t.crn),
                warnings: hidden.leave_out_crns(supervision.warnings, |t| &t.crn),
                breaches: hidden.leave_out_crns(supervision.breaches, |t| &t.crn),
                recalls: supervision
                    .recalls
                    .map(|recalls| hidden.leave_out_crns(recalls, |t| &t.crn)),
            };
            let flag_reviews = hidden.leave_out_crns(flag_reviews, |r| &r.crn);
            let plans = hidden.leave_out_crns(plans, |l| &l.crn);
            let needs = hidden.leave_out_crns(needs, |l| &l.crn);
            let licence_tasks = hidden.leave_out_crns(licence_tasks, |t| &t.0);
            let sfo_alerts = hidden.leave_out_crns(sfo_alerts, |t| &t.0);
            let programme_starts = hidden.leave_out_crns(programme_starts, |t| &t.0);
            audit::record(conn, &entry, state.clock.now())?;
            Ok((
                scope,
                tasks,
                own,
                supervision,
                held,
                (flag_reviews, plans, needs),
                (licence_tasks, sfo_alerts, programme_starts),
            ))
        })
        .await?;
    let today = state.clock.today();
    let assessments = overdue_assessments(&held, today);
    let (overdue, due): (Vec<_>, Vec<_>) = tasks
        .iter()
        .map(|t| (t.crn.clone(), t.name.clone(), task_line(t, today)))
        .partition(|(_, _, line)| line.overdue);
    render(&TasksPage {
        chrome: Chrome::for_user(&user, "Tasks", "/tasks"),
        scope,
        overdue,
        due,
        csrf_token: user.csrf_token.clone(),
        supervision: supervision_view(supervision, today),
        assessments,
        flag_reviews: crate::cases::flag_reviews::lines(flag_reviews, today),
        plan_reviews,
        needs_reviews,
        licence_tasks: licence_tasks
            .into_iter()
            .map(|(crn, name, what, due_on, href)| SupervisionLine {
                crn,
                name,
                what,
                when: crate::format::date(due_on),
                overdue: keepsafe_domain::review::is_overdue(due_on, today),
                href,
            })
            .collect(),
        sfo_alerts: sfo_alerts
            .into_iter()
            .map(|(crn, name, what, due_on, overdue, href)| SupervisionLine {
                crn,
                name,
                what,
                when: crate::format::date(due_on),
                overdue,
                href,
            })
            .collect(),
        may_list_sfo: keepsafe_domain::access::decide(
            &user.account.actor(),
            keepsafe_domain::access::Action::ViewSfoList,
        )
        .is_allowed(),
        programme_starts: programme_starts
            .into_iter()
            .map(|(crn, name, what, due_on, href)| SupervisionLine {
                crn,
                name,
                what,
                when: crate::format::date(due_on),
                overdue: keepsafe_domain::review::is_overdue(due_on, today),
                href,
            })
            .collect(),
        may_send_bulk: keepsafe_domain::access::decide(
            &user.account.actor(),
            keepsafe_domain::access::Action::RequestChecksInBulk,
        )
        .is_allowed(),
        own: own
            .into_iter()
            .map(|(task, crn, check)| OwnTask {
                id: task.id.to_string(),
                href: check.map(|check| format!("/cases/{crn}/risk#check-{check}")),
                crn,
                title: task.title,
                due: crate::format::short_date(task.due_on),
                overdue: keepsafe_domain::review::is_overdue(task.due_on, today),
            })
            .collect(),
    })
}

/// `POST /tasks/{task}/done`: a practitioner marks one of their own tasks done. Someone else's
/// task is refused (and the refusal audited); nothing changes.
pub async fn mark_done(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let task_id = Uuid::parse_str(&raw).map_err(|_| AppError::NotFound)?;
    let staff_id = user.account.id;
    let actor = user.audit_name();
    state
        .write(move |conn| {
            let now = state.clock.now();
            match allocation::complete_task(conn, task_id, staff_id, now.date_naive()) {
                Ok((task, crn)) => {
                    audit::record(
                        conn,
                        &AuditEntry {
                            staff_id: Some(staff_id),
                            actor,
                            action: "complete_task".into(),
                            outcome: Outcome::Allowed,
                            person_id: Some(task.person_id),
                            crn: Some(crn),
                            detail: task.title,
                        },
                        now,
                    )?;
                    Ok(Ok(()))
                }
                Err(StorageError::Conflict(message)) => {
                    audit::record(
                        conn,
                        &AuditEntry {
                            staff_id: Some(staff_id),
                            actor,
                            action: "complete_task".into(),
                            outcome: Outcome::Refused,
                            person_id: None,
                            crn: None,
                            detail: format!("task {task_id}: {message}"),
                        },
                        now,
                    )?;
                    Ok(Err(message))
                }
                Err(other) => Err(other.into()),
            }
        })
        .await?
        .map_err(AppError::Refused)?;
    Ok(Redirect::to("/tasks").into_response())
}
