//! The plan page (`GET /cases/{crn}/plan`): the plan being written and the plan in force, their
//! objectives, actions and progress, the person's view, reviews and review tasks, and every
//! earlier plan; starting a plan or a revision (`POST`), submitting it (`POST …/submit`),
//! countersigning it (`POST …/countersign`) and a printable copy (`GET …/print`).

use super::{field_errors, version_of};
use crate::cases::access::{open_case, open_case_for, Need};
use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use keepsafe_domain::access::{decide, Action, CaseLocation};
use keepsafe_domain::plans::{self as domain, Agreement, PlanStatus};
use keepsafe_domain::review::is_overdue;
use keepsafe_domain::rosh::RoshLevel;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::cases::record::{self as case_record, LocatedCase};
use keepsafe_storage::plans::reviews::{self, ReviewTaskRecord, TaskScope};
use keepsafe_storage::plans::{self, write, PlanRecord};
use keepsafe_storage::risk::assessments as rosh_assessments;
use keepsafe_storage::AnyConnection;

/// An action as shown.
pub(crate) struct ActionView {
    pub kind: &'static str,
    pub what: String,
    pub who: String,
    pub by_when: String,
}

/// An objective as shown.
pub(crate) struct ObjectiveView {
    pub id: String,
    pub number: usize,
    pub description: String,
    pub links: Vec<String>,
    pub actions: Vec<ActionView>,
    pub progress: &'static str,
    pub progress_note: String,
}

/// A plan as shown.
pub(crate) struct PlanView {
    pub status: &'static str,
    pub status_code: &'static str,
    pub version: i32,
    pub starts_on: String,
    pub activated_on: String,
    pub written_by: String,
    pub countersigned: String,
    pub objectives: Vec<ObjectiveView>,
    pub words: String,
    pub agreement: String,
    pub reviews: Vec<(String, &'static str, String, String)>,
}

pub(crate) fn plan_view(plan: &PlanRecord) -> PlanView {
    let view = &plan.persons_view;
    PlanView {
        status: plan.status.label(),
        status_code: plan.status.code(),
        version: plan.version,
        starts_on: format::date(plan.starts_on),
        activated_on: plan.activated_on.map(format::date).unwrap_or_default(),
        written_by: plan.created_by.clone(),
        countersigned: match (&plan.countersigned_by, plan.countersigned_at) {
            (Some(by), Some(at)) => format!("{by} on {}", format::date(at.date())),
            _ => String::new(),
        },
        objectives: plan
            .objectives
            .iter()
            .enumerate()
            .map(|(index, o)| ObjectiveView {
                id: o.id.to_string(),
                number: index + 1,
                description: o.description.as_str().to_owned(),
                links: o
                    .needs
                    .iter()
                    .map(|n| format!("Need: {}", n.label()))
                    .chain(
                        o.risks
                            .iter()
                            .map(|r| format!("Risk to {}", r.label().to_lowercase())),
                    )
                    .collect(),
                actions: o
                    .actions
                    .iter()
                    .map(|a| ActionView {
                        kind: a.kind.short(),
                        what: a.what.as_str().to_owned(),
                        who: a.who_label(),
                        by_when: format::date(a.by_when),
                    })
                    .collect(),
                progress: o.progress.label(),
                progress_note: o.progress_note.as_str().to_owned(),
            })
            .collect(),
        words: view.words.as_str().to_owned(),
        agreement: match view.agreement {
            None => "Not recorded".into(),
            Some(Agreement::Agrees) => Agreement::Agrees.label().to_owned(),
            Some(Agreement::Disagrees) => format!(
                "{}: {}",
                Agreement::Disagrees.label(),
                view.disagreement_reason.as_str()
            ),
        },
        reviews: plan
            .reviews
            .iter()
            .map(|r| {
                (
                    format::date(r.reviewed_on),
                    r.reason.label(),
                    r.note.clone(),
                    r.reviewed_by.clone(),
                )
            })
            .collect(),
    }
}

/// A review task as shown.
struct TaskView {
    what: String,
    due: String,
    overdue: bool,
}

/// An earlier or current plan in the history table.
struct HistoryLine {
    status: &'static str,
    started: String,
    active_from: String,
    written_by: String,
}

#[derive(Template)]
#[template(path = "plans/plan.html")]
struct PlanPage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    errors: Vec<FieldError>,
    draft: Option<PlanView>,
    active: Option<PlanView>,
    may_work: bool,
    may_countersign: bool,
    rosh: String,
    risks: Vec<String>,
    tasks: Vec<TaskView>,
    history: Vec<HistoryLine>,
}

/// What the plan page reads: the case's plans, the assessment in force and the review tasks.
pub(crate) struct Context {
    pub name: String,
    pub crn: String,
    pub plans: Vec<PlanRecord>,
    pub rosh_level: Option<RoshLevel>,
    pub levels: Vec<(keepsafe_domain::rosh::RiskGroup, RoshLevel)>,
    tasks: Vec<ReviewTaskRecord>,
    location: CaseLocation,
}

impl Context {
    pub fn open(&self) -> Option<&PlanRecord> {
        self.plans.iter().find(|p| {
            matches!(
                p.status,
                PlanStatus::Draft | PlanStatus::AwaitingCountersignature
            )
        })
    }

    pub fn active(&self) -> Option<&PlanRecord> {
        self.plans.iter().find(|p| p.status == PlanStatus::Active)
    }
}

pub(crate) fn context(conn: &mut AnyConnection, case: &LocatedCase) -> Result<Context, AppError> {
    let (name, crn) = case_record::heading(conn, case.person_id)?;
    let assessment = rosh_assessments::current(conn, case.person_id)?;
    Ok(Context {
        name,
        crn,
        plans: plans::for_person(conn, case.person_id)?,
        rosh_level: assessment.as_ref().and_then(|a| a.case_level),
        levels: assessment.map(|a| a.content.levels).unwrap_or_default(),
        tasks: reviews::tasks(conn, TaskScope::Person(case.person_id), None)?,
        location: case.location.clone(),
    })
}

fn page(user: &CurrentUser, ctx: &Context, errors: Vec<FieldError>, today: NaiveDate) -> PlanPage {
    let actor = user.account.actor();
    let may_work = decide(&actor, Action::WorkOnCase(&ctx.location)).is_allowed();
    let open = ctx.open();
    PlanPage {
        chrome: Chrome::for_form(user, format!("Sentence plan: {}", ctx.crn), &errors, ""),
        csrf_token: user.csrf_token.clone(),
        name: ctx.name.clone(),
        crn: ctx.crn.clone(),
        errors,
        may_countersign: open.is_some_and(|p| p.status == PlanStatus::AwaitingCountersignature)
            && decide(&actor, Action::ManageCaseRisk(&ctx.location)).is_allowed(),
        draft: open.map(plan_view),
        active: ctx.active().map(plan_view),
        may_work,
        rosh: match ctx.rosh_level {
            Some(level) if level.needs_countersignature() => format!(
                "{} (a senior probation officer countersigns the plan before it is active)",
                level.label()
            ),
            Some(level) => level.label().to_owned(),
            None => "Not assessed".into(),
        },
        risks: ctx
            .levels
            .iter()
            .filter(|(_, level)| *level >= RoshLevel::Medium)
            .map(|(group, level)| {
                format!(
                    "Risk to {}: {}",
                    group.label().to_lowercase(),
                    level.label().to_lowercase()
                )
            })
            .collect(),
        tasks: ctx
            .tasks
            .iter()
            .filter(|t| t.completed_on.is_none())
            .map(|t| TaskView {
                what: if t.details.is_empty() {
                    t.reason.label().to_owned()
                } else {
                    format!("{}: {}", t.reason.label(), t.details)
                },
                due: format::date(t.due_on),
                overdue: is_overdue(t.due_on, today),
            })
            .collect(),
        history: ctx
            .plans
            .iter()
            .map(|p| HistoryLine {
                status: p.status.label(),
                started: format::date(p.starts_on),
                active_from: p
                    .activated_on
                    .map(format::date)
                    .unwrap_or_else(|| "Not active".into()),
                written_by: p.created_by.clone(),
            })
            .collect(),
    }
}

/// `GET /cases/{crn}/plan`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let ctx = open_case(&state, &user, &crn, "view_plan", |conn, case| {
        context(conn, case)
    })
    .await?;
    Ok(render(&page(&user, &ctx, Vec::new(), state.clock.today()))?.into_response())
}

#[derive(Template)]
#[template(path = "plans/print.html")]
struct PrintPage {
    chrome: Chrome,
    name: String,
    crn: String,
    plan: Option<PlanView>,
    printed_on: String,
}

/// `GET /cases/{crn}/plan/print`: the plan in force (or the one being written) on its own, to
/// print and give the person.
pub async fn print(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let ctx = open_case(&state, &user, &crn, "print_plan", |conn, case| {
        context(conn, case)
    })
    .await?;
    Ok(render(&PrintPage {
        chrome: Chrome::for_user(&user, format!("Sentence plan to print: {}", ctx.crn), ""),
        plan: ctx.active().or(ctx.open()).map(plan_view),
        name: ctx.name,
        crn: ctx.crn,
        printed_on: format::date(state.clock.today()),
    })?
    .into_response())
}

/// `POST /cases/{crn}/plan`: starts a plan, or a revision of the plan in force.
pub async fn start(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let crn = open_case_for(
        &state,
        &user,
        &crn,
        "start_plan",
        Need::Work,
        move |conn, case| {
            let now = state.clock.now();
            let revising = plans::current(conn, case.person_id)?.is_some();
            let id = write::start(conn, case.person_id, posted.by, now)?;
            let detail = if revising {
                "revision of the plan in force"
            } else {
                "new plan"
            };
            audit::record(
                conn,
                &posted.audit_on_case("start_plan", case, format!("{id}: {detail}")),
                now,
            )?;
            Ok(case.crn.clone())
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/cases/{crn}/plan")).into_response())
}

/// `POST /cases/{crn}/plan/submit`: the plan being written becomes active, or waits for a
/// countersignature when the RoSH level in force is high or very high. Refused with the domain's
/// list of what is missing.
pub async fn submit(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let today = state.clock.today();
    let submission = open_case_for(
        &state,
        &user,
        &crn,
        "submit_plan",
        Need::Work,
        move |conn, case| {
            let version = version_of(&posted)?;
            let ctx = context(conn, case)?;
            let plan = ctx
                .open()
                .filter(|p| p.status == PlanStatus::Draft)
                .ok_or_else(|| {
                    AppError::Conflict("There is no draft plan to submit on this case.".into())
                })?;
            let submitted = match domain::submit(&plan.content(), ctx.rosh_level) {
                Ok(submitted) => submitted,
                Err(problems) => return Ok(Submission::Refused((ctx, field_errors(&problems)))),
            };
            let now = state.clock.now();
            write::submit(
                conn,
                plan.id,
                version,
                submitted.status,
                ctx.rosh_level,
                posted.by,
                now,
            )?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "submit_plan",
                    case,
                    format!("{}: {}", plan.id, submitted.status.label()),
                ),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    forms::respond(
        submission,
        |crn| Redirect::to(&format!("/cases/{crn}/plan")),
        |(ctx, errors)| page(&user, &ctx, errors, today),
    )
}

/// `POST /cases/{crn}/plan/countersign`: the case's senior officer (or head of PDU)
/// countersigns the plan awaiting it. The person who wrote or submitted the plan cannot; their
/// attempt is refused and audit-logged.
pub async fn countersign(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let by = user.account.id;
    let actor = user.audit_name();
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "countersign_plan",
        Need::ManageRisk,
        move |conn, case| {
            let plan = plans::open(conn, case.person_id)?
                .filter(|p| p.status == PlanStatus::AwaitingCountersignature)
                .ok_or_else(|| {
                    AppError::Conflict(
                        "There is no plan awaiting countersignature on this case.".into(),
                    )
                })?;
            let now = state.clock.now();
            if let Err(problem) = domain::countersign(plan.created_by_id, plan.submitted_by_id, by)
            {
                let mut entry =
                    AuditEntry::on_case(by, actor, "countersign_plan", case, problem.message());
                entry.outcome = Outcome::Refused;
                audit::record(conn, &entry, now)?;
                return Ok(Err(problem.message()));
            }
            write::countersign(conn, plan.id, by, now)?;
            audit::record(
                conn,
                &AuditEntry::on_case(by, actor, "countersign_plan", case, plan.id.to_string()),
                now,
            )?;
            Ok(Ok(case.crn.clone()))
        },
    )
    .await?;
    let crn = outcome.map_err(AppError::Refused)?;
    Ok(Redirect::to(&format!("/cases/{crn}/plan")).into_response())
}

/// Where the person's sentence plan stands, in one sentence for the risk page.
pub(crate) fn status_for_risk_page(
    conn: &mut keepsafe_storage::AnyConnection,
    person_id: uuid::Uuid,
) -> Result<String, crate::error::AppError> {
    use keepsafe_domain::plans::PlanStatus;
    let active = keepsafe_storage::plans::read::current(conn, person_id)?;
    let open = keepsafe_storage::plans::read::open(conn, person_id)?;
    let mut status = match active.as_ref().and_then(|plan| plan.activated_on) {
        Some(on) => format!("Agreed and active since {}.", crate::format::date(on)),
        None => "No plan is active yet.".to_owned(),
    };
    match open.map(|plan| plan.status) {
        Some(PlanStatus::AwaitingCountersignature) => {
            status.push_str(" A plan is waiting for a senior officer's countersignature.")
        }
        Some(PlanStatus::Draft) => status.push_str(" A plan is being written."),
        _ => {}
    }
    Ok(status)
}
