//! The licence page (`GET /cases/{crn}/licence`): for the case's custodial sentence, the key dates
//! with how each was worked out, the address suitability check's state, the handover and
//! release-day tasks, the licence (the version being written, the one in force, every earlier
//! approved version and what changed) and the recalls on it. Also starting the licence
//! (`POST`), marking a task done and the printable licence (`GET …/print`).

use crate::cases::access::{open_case, open_case_for, Need};
use crate::error::AppError;
use crate::format;
use crate::forms::{FieldError, FormFields, Posted};
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
use keepsafe_domain::event::CaseType;
use keepsafe_domain::licences::{
    AddressState, KeyDate, KeyDates, LicenceRules, LicenceStatus, VersionKind, STANDARD_CONDITIONS,
};
use keepsafe_domain::review::is_overdue;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::record::{self as case_record, LocatedCase};
use keepsafe_storage::cases::tasks::TaskScope;
use keepsafe_storage::licences::licence::{self, LinkedRecall};
use keepsafe_storage::licences::prerelease::{self, CustodyEvent, LicenceTaskRecord};
use keepsafe_storage::licences::{LicenceRecord, VersionRecord};
use keepsafe_storage::victims::{self as victim_records, VictimSummaryForCase};
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

/// Everything the licence pages read about a case: one custodial event (the first active one)
/// and what hangs off it.
pub(crate) struct Context {
    pub name: String,
    pub crn: String,
    pub event: Option<CustodyEvent>,
    pub key_dates: Option<KeyDates>,
    pub licence: Option<LicenceRecord>,
    pub tasks: Vec<LicenceTaskRecord>,
    pub address: AddressState,
    pub recalls: Vec<LinkedRecall>,
    pub location: CaseLocation,
    /// What victim liaison shares with the practitioner: the conditions victims asked for and
    /// the officers' names, never who the victims are.
    pub victims: VictimSummaryForCase,
}

impl Context {
    /// The licence, or a conflict saying there is none to act on.
    pub fn licence(&self) -> Result<&LicenceRecord, AppError> {
        self.licence.as_ref().ok_or_else(|| {
            AppError::Conflict("This case has no licence yet: start one first.".into())
        })
    }

    /// The custodial event, or a conflict saying there is none.
    pub fn event(&self) -> Result<&CustodyEvent, AppError> {
        self.event.as_ref().ok_or_else(|| {
            AppError::Conflict("This case has no custodial sentence, so it has no licence.".into())
        })
    }
}

pub(crate) fn context(
    conn: &mut AnyConnection,
    case: &LocatedCase,
    today: NaiveDate,
) -> Result<Context, AppError> {
    let (name, crn) = case_record::heading(conn, case.person_id)?;
    let event = prerelease::custody_events(conn, case.person_id)?
        .into_iter()
        .next();
    let key_dates = event
        .as_ref()
        .map(|e| prerelease::key_dates(conn, e, today))
        .transpose()?;
    let licence = match &event {
        Some(e) => licence::for_event(conn, e.event_id)?,
        None => None,
    };
    let recalls = match &licence {
        Some(l) => licence::recalls(conn, l)?,
        None => Vec::new(),
    };
    Ok(Context {
        name,
        crn,
        tasks: prerelease::tasks(conn, TaskScope::Person(case.person_id), today)?,
        address: prerelease::address_state(conn, case.person_id)?,
        event,
        key_dates,
        licence,
        recalls,
        location: case.location.clone(),
        victims: victim_records::summary_for_case(conn, case.person_id)?,
    })
}

/// A condition a victim asked for, as the licence page offers it.
pub(crate) struct VictimRequestView {
    pub condition: String,
    pub status: String,
    /// The condition form filled in with it, flagged as asked for by a victim; only while it is
    /// still a request.
    pub add_href: Option<String>,
}

/// The conditions victims asked for, each with a link that fills in the condition form with the
/// condition, flagged as the victim's and naming the victim liaison officer.
fn victim_requests(ctx: &Context) -> Vec<VictimRequestView> {
    use keepsafe_domain::victims::{ConditionKind as Asked, ConditionStatus};
    let officer = ctx.victims.liaison_officers.join(" and ");
    ctx.victims
        .conditions
        .iter()
        .map(|c| {
            let (code, field) = match c.kind {
                Asked::ExclusionZone => ("exclusion_zone", "area"),
                Asked::NoContact => ("no_contact", "who"),
                Asked::Other => ("bespoke", "wording"),
            };
            let mut query = vec![
                ("condition", code.to_owned()),
                (field, c.details.clone()),
                ("victim_requested", "yes".to_owned()),
                ("vlo_name", officer.clone()),
            ];
            if c.kind == Asked::Other {
                query.push((
                    "bespoke_reason",
                    "Asked for by a victim through victim liaison".to_owned(),
                ));
            }
            VictimRequestView {
                condition: c.describe(),
                status: match c.status {
                    ConditionStatus::Requested => "Asked for, not yet decided".to_owned(),
                    other if c.status_reason.is_empty() => other.label().to_owned(),
                    other => format!("{}: {}", other.label(), c.status_reason),
                },
                add_href: (c.status == ConditionStatus::Requested).then(|| {
                    format!(
                        "/cases/{}/licence/conditions/new?{}",
                        ctx.crn,
                        serde_urlencoded::to_string(&query).unwrap_or_default()
                    )
                }),
            }
        })
        .collect()
}

/// A key date as shown.
pub(crate) struct DateView {
    pub label: &'static str,
    pub date: String,
    pub source: &'static str,
    pub how: String,
}

fn date_view(label: &'static str, date: &KeyDate) -> DateView {
    DateView {
        label,
        date: date
            .date
            .map(format::date)
            .unwrap_or_else(|| "Not known".into()),
        source: if date.recorded {
            "The prison's date"
        } else {
            "Worked out by keepsafe"
        },
        how: date.how.clone(),
    }
}

pub(crate) fn dates_view(dates: &KeyDates) -> Vec<DateView> {
    vec![
        date_view("Release date", &dates.release),
        date_view(
            "Home detention curfew eligibility date",
            &dates.hdc_eligibility,
        ),
        date_view("Licence end date", &dates.licence_end),
        date_view("Sentence end date", &dates.sentence_end),
    ]
}

/// A condition as shown and printed.
pub(crate) struct ConditionView {
    pub id: String,
    pub number: usize,
    pub kind: &'static str,
    pub wording: String,
    pub details: String,
    pub reason: String,
    pub victim: String,
}

/// A version as shown and printed.
pub(crate) struct VersionView {
    pub id: String,
    pub lock: i32,
    pub number: i32,
    pub kind: &'static str,
    pub is_variation: bool,
    pub status: &'static str,
    pub status_code: &'static str,
    pub variation_reason: String,
    pub changes: Vec<String>,
    pub written_by: String,
    pub approved: String,
    pub conditions: Vec<ConditionView>,
}

pub(crate) fn version_view(v: &VersionRecord) -> VersionView {
    use keepsafe_domain::licences::ConditionDetails;
    VersionView {
        id: v.id.to_string(),
        lock: v.lock,
        number: v.number,
        kind: v.kind.label(),
        is_variation: v.kind == VersionKind::Variation,
        status: v.status.label(),
        status_code: v.status.code(),
        variation_reason: v.variation_reason.clone(),
        changes: v.changes.clone(),
        written_by: format!("{} on {}", v.created_by, format::date(v.created_at.date())),
        approved: match (&v.approved_by, v.approved_at) {
            (Some(by), Some(at)) => format!("{by} on {}", format::date(at.date())),
            _ => String::new(),
        },
        conditions: v
            .conditions
            .iter()
            .enumerate()
            .map(|(index, c)| ConditionView {
                id: c.id.to_string(),
                number: STANDARD_CONDITIONS.len() + index + 1,
                kind: c.condition.details.kind().label(),
                wording: c.condition.wording.clone(),
                details: c.condition.details.describe(),
                reason: match &c.condition.details {
                    ConditionDetails::Bespoke { reason } => reason.clone(),
                    _ => String::new(),
                },
                victim: c
                    .condition
                    .victim_request
                    .as_ref()
                    .map(|r| {
                        format!(
                            "Requested for a victim, through {} (victim liaison officer)",
                            r.vlo_name
                        )
                    })
                    .unwrap_or_default(),
            })
            .collect(),
    }
}

struct TaskView {
    id: String,
    stage: &'static str,
    what: &'static str,
    due: String,
    overdue: bool,
    done: String,
    listed_from: String,
}

struct RecallView {
    opened_on: String,
    what: String,
}

#[derive(Template)]
#[template(path = "licences/licence.html")]
pub(crate) struct LicencePage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    errors: Vec<FieldError>,
    has_event: bool,
    sentence: String,
    case_type: &'static str,
    dates: Vec<DateView>,
    hdc_excluded: String,
    address: String,
    address_approved: bool,
    tasks: Vec<TaskView>,
    has_licence: bool,
    open: Option<VersionView>,
    in_force: Option<VersionView>,
    timeline: Vec<VersionView>,
    released_on: String,
    licence_end: String,
    ended_on: String,
    recalls: Vec<RecallView>,
    may_work: bool,
    victim_requests: Vec<VictimRequestView>,
    victim_officers: String,
    may_approve: bool,
    rules: String,
}

fn task_views(tasks: &[LicenceTaskRecord], today: NaiveDate) -> Vec<TaskView> {
    tasks
        .iter()
        .map(|t| TaskView {
            id: t.id.to_string(),
            stage: t.kind.stage().label(),
            what: t.kind.label(),
            due: format::date(t.due_on),
            overdue: t.completed_on.is_none() && is_overdue(t.due_on, today),
            done: t.completed_on.map(format::date).unwrap_or_default(),
            listed_from: format::date(t.visible_from),
        })
        .collect()
}

/// The licence page; shown again with errors when an action on it is refused.
pub(crate) fn page(
    user: &CurrentUser,
    ctx: &Context,
    errors: Vec<FieldError>,
    today: NaiveDate,
) -> LicencePage {
    let actor = user.account.actor();
    let licence = ctx.licence.as_ref();
    let open = licence.and_then(LicenceRecord::open);
    LicencePage {
        chrome: Chrome::for_form(
            user,
            format!("Licence and release: {}", ctx.crn),
            &errors,
            "",
        ),
        csrf_token: user.csrf_token.clone(),
        name: ctx.name.clone(),
        crn: ctx.crn.clone(),
        errors,
        has_event: ctx.event.is_some(),
        sentence: ctx
            .event
            .as_ref()
            .map(|e| {
                let length = e
                    .sentence_length_months
                    .map(|m| format!(", {m} months"))
                    .unwrap_or_default();
                let from = e
                    .sentence_date
                    .map(|d| format!(", sentenced {}", format::date(d)))
                    .unwrap_or_default();
                format!("{}{length}{from}: {}", e.sentence_type.label(), e.offence)
            })
            .unwrap_or_default(),
        case_type: ctx.event.as_ref().map_or("", |e| match e.case_type {
            CaseType::Licence => "On licence",
            CaseType::Custody => "In custody",
            other => other.label(),
        }),
        dates: ctx.key_dates.as_ref().map(dates_view).unwrap_or_default(),
        hdc_excluded: ctx
            .key_dates
            .as_ref()
            .and_then(|d| d.hdc_excluded_because.clone())
            .unwrap_or_default(),
        address: ctx.address.describe(),
        address_approved: matches!(ctx.address, AddressState::Approved { .. }),
        tasks: task_views(&ctx.tasks, today),
        has_licence: licence.is_some(),
        may_approve: open.is_some_and(|v| v.status == LicenceStatus::AwaitingApproval)
            && matches!(
                actor.grade,
                Grade::SeniorProbationOfficer | Grade::HeadOfPdu
            )
            && decide(&actor, Action::ManageCaseRisk(&ctx.location)).is_allowed(),
        open: open.map(version_view),
        in_force: licence.and_then(LicenceRecord::in_force).map(version_view),
        timeline: licence
            .map(|l| {
                l.versions
                    .iter()
                    .filter(|v| {
                        matches!(
                            v.status,
                            LicenceStatus::Approved | LicenceStatus::Superseded
                        )
                    })
                    .map(version_view)
                    .collect()
            })
            .unwrap_or_default(),
        released_on: licence
            .and_then(|l| l.released_on)
            .map(format::date)
            .unwrap_or_default(),
        licence_end: licence
            .and_then(|l| l.licence_end_date)
            .map(format::date)
            .unwrap_or_default(),
        ended_on: licence
            .and_then(|l| l.ended_on)
            .map(format::date)
            .unwrap_or_default(),
        recalls: ctx
            .recalls
            .iter()
            .map(|r| RecallView {
                opened_on: format::date(r.opened_on),
                what: match r.recall_date {
                    Some(day) => format!("Recalled to custody on {}", format::date(day)),
                    None => "Recall being considered".to_owned(),
                },
            })
            .collect(),
        may_work: decide(&actor, Action::WorkOnCase(&ctx.location)).is_allowed(),
        victim_requests: victim_requests(ctx),
        victim_officers: ctx.victims.liaison_officers.join(" and "),
        rules: LicenceRules::default().describe(),
    }
}

/// `GET /cases/{crn}/licence`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let ctx = open_case(&state, &user, &crn, "view_licence", move |conn, case| {
        context(conn, case, today)
    })
    .await?;
    Ok(render(&page(&user, &ctx, Vec::new(), today))?.into_response())
}

#[derive(Template)]
#[template(path = "licences/print.html")]
struct PrintPage {
    chrome: Chrome,
    name: String,
    crn: String,
    version: Option<VersionView>,
    standard: Vec<(usize, &'static str)>,
    dates: Vec<DateView>,
    printed_on: String,
}

/// `GET /cases/{crn}/licence/print`: the licence in force (or the version being written, marked
/// as not approved), with the standard conditions and every additional one, to print.
pub async fn print(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let ctx = open_case(&state, &user, &crn, "print_licence", move |conn, case| {
        context(conn, case, today)
    })
    .await?;
    let version = ctx
        .licence
        .as_ref()
        .and_then(|l| l.in_force().or(l.open()))
        .map(version_view);
    Ok(render(&PrintPage {
        chrome: Chrome::for_user(&user, format!("Licence to print: {}", ctx.crn), ""),
        version,
        standard: STANDARD_CONDITIONS
            .iter()
            .enumerate()
            .map(|(i, c)| (i + 1, *c))
            .collect(),
        dates: ctx.key_dates.as_ref().map(dates_view).unwrap_or_default(),
        name: ctx.name,
        crn: ctx.crn,
        printed_on: format::date(today),
    })?
    .into_response())
}

/// `POST /cases/{crn}/licence`: starts the licence of the case's custodial sentence.
pub async fn start(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let today = state.clock.today();
    let crn = open_case_for(
        &state,
        &user,
        &crn,
        "start_licence",
        Need::Work,
        move |conn, case| {
            let ctx = context(conn, case, today)?;
            let event = ctx.event()?;
            let now = state.clock.now();
            let id = licence::start(conn, case.person_id, event.event_id, posted.by, now)?;
            audit::record(
                conn,
                &posted.audit_on_case("start_licence", case, format!("licence {id}")),
                now,
            )?;
            Ok(case.crn.clone())
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/cases/{crn}/licence")).into_response())
}

/// `POST /cases/{crn}/licence/tasks/{licence_task}/done`.
pub async fn task_done(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, task)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let task = Uuid::parse_str(&task).map_err(|_| AppError::NotFound);
    let crn = open_case_for(
        &state,
        &user,
        &crn,
        "complete_licence_task",
        Need::Work,
        move |conn, case| {
            let task = task?;
            let now = state.clock.now();
            let kind =
                prerelease::complete_task(conn, case.person_id, task, posted.by, now.date_naive())?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "complete_licence_task",
                    case,
                    format!("{task}: {}", kind.label()),
                ),
                now,
            )?;
            Ok(case.crn.clone())
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/cases/{crn}/licence#tasks")).into_response())
}

/// A line of `/tasks`: the CRN, the name, what, when due and where to act.
pub(crate) type TaskLine = (String, String, String, NaiveDate, String);

/// The handover and release-day tasks `/tasks` lists for `scope` on `today` (each listed from
/// its day, open ones only): the case, what, when due and where to act. One query.
pub(crate) fn on_tasks(
    conn: &mut AnyConnection,
    scope: TaskScope,
    today: NaiveDate,
) -> Result<Vec<TaskLine>, keepsafe_storage::StorageError> {
    Ok(prerelease::tasks(conn, scope, today)?
        .into_iter()
        .map(|t| {
            let href = format!("/cases/{}/licence#tasks", t.crn);
            (
                t.crn,
                t.name,
                format!("{}: {}", t.kind.stage().label(), t.kind.label()),
                t.due_on,
                href,
            )
        })
        .collect())
}
