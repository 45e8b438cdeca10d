//! Unpaid work (Community Payback, reference §2, issue 18): the PDU's projects (group and
//! individual placements, kept by its senior officers and head), the sessions held on them by day
//! and project, allocating people whose order has unpaid work to a session (an appointment in
//! their contact log and diary), recording a whole session's attendance at once — hours credited
//! with travel and education, training or employment time where allowed, an unacceptable failure
//! going to enforcement — a case's hours against its deadline and pace, and the orders behind pace
//! for managers.

pub mod at_risk;
pub mod attendance;
pub mod case;
pub mod projects;
pub mod sessions;

use crate::error::AppError;
use crate::routes::{Access, GradeAction, Registry};
use crate::session::CurrentUser;
use crate::state::AppState;
use axum::http::Method;
use axum::routing::{get, post};
use keepsafe_domain::access::{decide, Action, Decision};
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::unpaid_work::projects::{self as stored_projects, Project};
use keepsafe_storage::unpaid_work::sessions::{self as stored_sessions, Session};
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

const WORK: Access = Access::Grade(GradeAction::UnpaidWork);
const PROJECTS: Access = Access::Grade(GradeAction::UnpaidWorkProjects);

/// The area's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(Method::GET, "/unpaid-work", WORK, get(sessions::list))
        .add(
            Method::GET,
            "/unpaid-work/at-risk",
            Access::Grade(GradeAction::UnpaidWorkAtRisk),
            get(at_risk::show),
        )
        .add(
            Method::GET,
            "/unpaid-work/projects",
            WORK,
            get(projects::list),
        )
        .add(
            Method::GET,
            "/unpaid-work/projects/new",
            PROJECTS,
            get(projects::new_form),
        )
        .add(
            Method::POST,
            "/unpaid-work/projects/new",
            PROJECTS,
            post(projects::add),
        )
        .add(
            Method::GET,
            "/unpaid-work/projects/{upw_project}",
            PROJECTS,
            get(projects::edit_form),
        )
        .add(
            Method::POST,
            "/unpaid-work/projects/{upw_project}",
            PROJECTS,
            post(projects::update),
        )
        .add(
            Method::GET,
            "/unpaid-work/projects/{upw_project}/sessions/new",
            WORK,
            get(sessions::new_form),
        )
        .add(
            Method::POST,
            "/unpaid-work/projects/{upw_project}/sessions/new",
            WORK,
            post(sessions::add),
        )
        .add(
            Method::GET,
            "/unpaid-work/sessions/{upw_session}",
            WORK,
            get(sessions::show),
        )
        .add(
            Method::POST,
            "/unpaid-work/sessions/{upw_session}/allocations",
            WORK,
            post(sessions::allocate),
        )
        .add(
            Method::GET,
            "/unpaid-work/sessions/{upw_session}/attendance",
            WORK,
            get(attendance::form),
        )
        .add(
            Method::POST,
            "/unpaid-work/sessions/{upw_session}/attendance",
            WORK,
            post(attendance::record),
        )
        .add(
            Method::GET,
            "/cases/{crn}/unpaid-work",
            Access::Case,
            get(case::show),
        )
}

/// Who is asking, owned for the blocking pool.
#[derive(Clone)]
pub(crate) struct Asking {
    pub actor: keepsafe_domain::access::Actor,
    pub name: String,
    pub by: Uuid,
}

impl Asking {
    pub(crate) fn of(user: &CurrentUser) -> Self {
        Self {
            actor: user.account.actor(),
            name: user.audit_name(),
            by: user.account.id,
        }
    }

    /// An audit row of an allowed action, about a case when `on` is given.
    pub(crate) fn audit(
        &self,
        action: &str,
        on: Option<(Uuid, &str)>,
        detail: impl Into<String>,
    ) -> AuditEntry {
        AuditEntry {
            staff_id: Some(self.by),
            actor: self.name.clone(),
            action: action.to_owned(),
            outcome: Outcome::Allowed,
            person_id: on.map(|(id, _)| id),
            crn: on.map(|(_, crn)| crn.to_owned()),
            detail: detail.into(),
        }
    }
}

/// Decides `action` for the asker and writes the audit row (allowed or refused) in the caller's
/// transaction; a refusal is the 403 page with the domain's message.
pub(crate) fn decide_and_audit(
    conn: &mut AnyConnection,
    asking: &Asking,
    action: Action<'_>,
    purpose: &str,
    detail: String,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Result<(), String>, AppError> {
    let decision = decide(&asking.actor, action);
    let (outcome, detail, refused) = match decision {
        Decision::Allowed => (Outcome::Allowed, detail, None),
        Decision::Refused(refusal) => (
            Outcome::Refused,
            format!("{detail} ({})", refusal.code()),
            Some(refusal.message()),
        ),
    };
    audit::record(
        conn,
        &AuditEntry {
            staff_id: Some(asking.by),
            actor: asking.name.clone(),
            action: purpose.to_owned(),
            outcome,
            person_id: None,
            crn: None,
            detail,
        },
        now,
    )?;
    Ok(refused.map_or(Ok(()), Err))
}

fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// Opens the project `raw` to manage it (its PDU's senior officers and head), deciding and
/// audit-logging in one writing transaction, then runs `work` in it when allowed.
pub(crate) async fn open_project<T, F>(
    state: &AppState,
    user: &CurrentUser,
    raw: &str,
    purpose: &'static str,
    manage: bool,
    work: F,
) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut AnyConnection, &Project, &Asking) -> Result<T, AppError> + Send + 'static,
{
    let id = parse_id(raw)?;
    let asking = Asking::of(user);
    let now = state.clock.now();
    let opened = state
        .write(move |conn| {
            let project = stored_projects::find(conn, id)?;
            let (region, pdu) = (project.region_id, project.pdu_id);
            let action = if manage {
                Action::ManageUnpaidWorkProjectsIn { region, pdu }
            } else {
                Action::UnpaidWorkIn { region, pdu }
            };
            match decide_and_audit(conn, &asking, action, purpose, format!("project {id}"), now)? {
                Err(refused) => Ok(Err(refused)),
                Ok(()) => Ok(Ok(work(conn, &project, &asking)?)),
            }
        })
        .await?;
    opened.map_err(AppError::Refused)
}

/// Opens the session `raw` for work on it (its PDU's staff), as [`open_project`] does a project.
pub(crate) async fn open_session<T, F>(
    state: &AppState,
    user: &CurrentUser,
    raw: &str,
    purpose: &'static str,
    work: F,
) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut AnyConnection, &Session, &Asking) -> Result<T, AppError> + Send + 'static,
{
    let id = parse_id(raw)?;
    let asking = Asking::of(user);
    let now = state.clock.now();
    let opened = state
        .write(move |conn| {
            let session = stored_sessions::find(conn, id)?;
            let action = Action::UnpaidWorkIn {
                region: session.region_id,
                pdu: session.pdu_id,
            };
            match decide_and_audit(conn, &asking, action, purpose, format!("session {id}"), now)? {
                Err(refused) => Ok(Err(refused)),
                Ok(()) => Ok(Ok(work(conn, &session, &asking)?)),
            }
        })
        .await?;
    opened.map_err(AppError::Refused)
}

/// Whether the user may manage the projects of `pdu` in `region` (to offer the links).
pub(crate) fn may_manage(user: &CurrentUser, region: Uuid, pdu: Uuid) -> bool {
    decide(
        &user.account.actor(),
        Action::ManageUnpaidWorkProjectsIn { region, pdu },
    )
    .is_allowed()
}
