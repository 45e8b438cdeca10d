//! Unpaid work sessions: `/unpaid-work` lists the PDU's sessions by day and project, with the
//! places taken of those offered; `…/projects/{upw_project}/sessions/new` adds one; and
//! `/unpaid-work/sessions/{upw_session}` shows who is allocated, allocates another person by case
//! reference (only a case of the PDU with an active unpaid work requirement, never beyond the
//! project's places nor twice the same day) and leads to the attendance form.

use super::{open_project, open_session, Asking};
use crate::cases::editing::{date_fields, FormState};
use crate::cases::list::{Pagination, PAGE_SIZE};
use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{NaiveDate, NaiveTime};
use keepsafe_domain::supervision::contact_log::local_time;
use keepsafe_domain::unpaid_work::{check_session, hours_and_minutes, SessionDraft};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::unpaid_work::projects::{self, Project};
use keepsafe_storage::unpaid_work::sessions::{self, Allocation, Session};
use serde::Deserialize;
use uuid::Uuid;

/// The list's query, read leniently: anything unreadable is ignored.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    day: Option<String>,
    project: Option<String>,
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "unpaid_work/sessions.html")]
struct ListPage {
    chrome: Chrome,
    showing: String,
    day: String,
    previous_day: String,
    next_day: String,
    project: String,
    projects: Vec<(String, String, bool)>,
    lines: Vec<SessionLine>,
    count: String,
    pagination: Pagination,
}

pub(crate) struct SessionLine {
    pub id: String,
    pub day: String,
    pub time: String,
    pub project: String,
    pub kind: String,
    pub supervisor: String,
    pub places: String,
    pub full: bool,
    pub recorded: String,
}

pub(crate) fn session_line(session: &Session) -> SessionLine {
    SessionLine {
        id: session.id.to_string(),
        day: format::date(session.day),
        time: format!(
            "{} to {}",
            format::time(session.starts_at),
            format::time(session.ends_at)
        ),
        project: session.project.clone(),
        kind: session.kind.label().to_owned(),
        supervisor: session.supervisor.clone(),
        places: format!(
            "{} of {} places allocated",
            session.allocated, session.capacity
        ),
        full: session.allocated >= session.capacity,
        recorded: format!("{} of {} recorded", session.recorded, session.allocated),
    }
}

/// `GET /unpaid-work`.
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    let actor = user.account.actor();
    let pdu = actor.pdu.ok_or_else(|| {
        AppError::Refused(
            "Unpaid work is run by a probation delivery unit: your account has none.".into(),
        )
    })?;
    let today = state.clock.today();
    let day = query
        .day
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let project = query
        .project
        .as_deref()
        .and_then(|p| Uuid::parse_str(p).ok());
    let requested = query.page.as_deref().and_then(|p| p.parse::<usize>().ok());
    let asking = Asking::of(&user);
    let (found, all_projects) = state
        .read_then_audit(move |conn| {
            let found = sessions::page(conn, pdu, day, today, project, requested, PAGE_SIZE)?;
            let all_projects = projects::for_pdu(conn, pdu)?;
            let entry = asking.audit(
                "view_upw_sessions",
                None,
                format!(
                    "PDU {pdu}: page {} of {}, {} sessions",
                    found.page,
                    found.pages,
                    found.sessions.len()
                ),
            );
            Ok(((found, all_projects), entry))
        })
        .await?;
    let day_code = day.map(|d| d.to_string()).unwrap_or_default();
    let project_code = project.map(|p| p.to_string()).unwrap_or_default();
    let href = |n: usize| {
        let mut link = format!("/unpaid-work?page={n}");
        if !day_code.is_empty() {
            link.push_str(&format!("&day={day_code}"));
        }
        if !project_code.is_empty() {
            link.push_str(&format!("&project={project_code}"));
        }
        link
    };
    let first = (found.page - 1) * PAGE_SIZE;
    let count = match found.total {
        0 => "No sessions.".to_owned(),
        1 => "1 session.".to_owned(),
        total if found.pages == 1 => format!("{total} sessions."),
        total => format!(
            "Showing sessions {} to {} of {total}.",
            first + 1,
            first + found.sessions.len()
        ),
    };
    let shown_day = day.unwrap_or(today);
    render(&ListPage {
        chrome: Chrome::for_user(&user, "Unpaid work sessions", ""),
        showing: match day {
            Some(day) => format!("Sessions on {}", format::date(day)),
            None => format!("Sessions from today, {}", format::date(today)),
        },
        day: day_code.clone(),
        previous_day: (shown_day - chrono::Duration::days(1)).to_string(),
        next_day: (shown_day + chrono::Duration::days(1)).to_string(),
        project: project_code.clone(),
        projects: all_projects
            .iter()
            .map(|p| (p.id.to_string(), p.name.clone(), Some(p.id) == project))
            .collect(),
        lines: found.sessions.iter().map(session_line).collect(),
        count,
        pagination: Pagination::new(found.page, found.pages, href),
    })
}

#[derive(Template)]
#[template(path = "unpaid_work/session_form.html")]
struct SessionFormPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
    project: String,
    project_id: String,
}

fn session_form(
    user: &CurrentUser,
    project: &Project,
    fields: FormFields,
    errors: Vec<FieldError>,
) -> SessionFormPage {
    SessionFormPage {
        chrome: Chrome::for_form(user, "Add an unpaid work session", &errors, ""),
        errors: errors.clone(),
        form: FormState::new(user, (String::new(), String::new()), fields, errors),
        project: project.name.clone(),
        project_id: project.id.to_string(),
    }
}

/// `GET /unpaid-work/projects/{upw_project}/sessions/new`.
pub async fn new_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let project = open_project(
        &state,
        &user,
        &raw,
        "view_upw_session_form",
        false,
        |_, p, _| Ok(p.clone()),
    )
    .await?;
    let mut pairs = date_fields("day", Some(state.clock.today()));
    pairs.extend([
        ("starts".into(), "09:00".into()),
        ("ends".into(), "16:00".into()),
        ("supervisor".into(), project.supervisor.clone()),
    ]);
    let page = session_form(&user, &project, FormFields(pairs), Vec::new());
    Ok(render(&page)?.into_response())
}

fn time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text.trim(), "%H.%M"))
        .ok()
}

/// `POST /unpaid-work/projects/{upw_project}/sessions/new`.
pub async fn add(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let now = state.clock.now();
    let outcome = open_project(&state, &user, &raw, "add_upw_session_form", false, {
        move |conn, project, _| {
            let mut errors = Vec::new();
            let day = match posted.date("day", "the day of the session") {
                Ok(day) => Some(day),
                Err(error) => {
                    errors.push(error);
                    None
                }
            };
            if !project.active {
                errors.push(FieldError::new(
                    "day-day",
                    "This project is closed: open it again before adding sessions",
                ));
            }
            let draft = SessionDraft {
                day,
                starts: time(posted.get("starts")),
                ends: time(posted.get("ends")),
                supervisor: posted.get("supervisor").into(),
            };
            let checked = check_session(&draft);
            if let Err(found) = &checked {
                for (field, message) in found {
                    if !(*field == "day-day" && day.is_none() && !errors.is_empty()) {
                        errors.push(FieldError::new(*field, message.clone()));
                    }
                }
            }
            let facts = match checked {
                Ok(facts) if errors.is_empty() => facts,
                _ => return Ok(Submission::Refused((project.clone(), errors))),
            };
            let id = sessions::add(conn, project, &facts, posted.by, now)?;
            audit::record(
                conn,
                &posted.audit(
                    "add_upw_session",
                    format!(
                        "session {id} of project {} on {} {}–{}",
                        project.id,
                        facts.day,
                        facts.starts_at.time(),
                        facts.ends_at.time()
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved(id))
        }
    })
    .await?;
    forms::respond(
        outcome,
        |id| Redirect::to(&format!("/unpaid-work/sessions/{id}")),
        |(project, errors)| session_form(&user, &project, fields, errors),
    )
}

#[derive(Template)]
#[template(path = "unpaid_work/session.html")]
struct SessionPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
    session: SessionLine,
    place: String,
    allowances: String,
    people: Vec<PersonLine>,
    full: bool,
    started: bool,
    to_record: usize,
    banner: Option<String>,
}

struct PersonLine {
    crn: String,
    name: String,
    hours: String,
    outcome: String,
    credited: String,
}

fn person_line(allocation: &Allocation) -> PersonLine {
    PersonLine {
        crn: allocation.crn.clone(),
        name: allocation.name.clone(),
        hours: format!(
            "{} of {} hours credited",
            hours_and_minutes(allocation.credited_minutes),
            allocation.ordered_hours
        ),
        outcome: allocation
            .attendance
            .as_ref()
            .map(|a| a.outcome.label().to_owned())
            .unwrap_or_else(|| "Not recorded".into()),
        credited: allocation
            .attendance
            .as_ref()
            .map(|a| hours_and_minutes(a.total_minutes()))
            .unwrap_or_default(),
    }
}

/// The session page's banner after an allocation or attendance was saved.
#[derive(Debug, Default, Deserialize)]
pub struct Saved {
    allocated: Option<String>,
    recorded: Option<String>,
}

impl Saved {
    fn banner(&self) -> Option<String> {
        if let Some(crn) = &self.allocated {
            let crn: String = crn
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(8)
                .collect();
            return Some(format!(
                "{crn} is allocated to this session; the appointment is in their contact log."
            ));
        }
        self.recorded
            .as_deref()
            .and_then(|n| n.parse::<usize>().ok())
            .map(|n| match n {
                1 => "The attendance of 1 person has been recorded.".to_owned(),
                n => format!("The attendance of {n} people has been recorded."),
            })
    }
}

#[allow(clippy::too_many_arguments)]
fn session_page(
    user: &CurrentUser,
    session: &Session,
    people: &[Allocation],
    now: chrono::NaiveDateTime,
    fields: FormFields,
    errors: Vec<FieldError>,
    banner: Option<String>,
) -> SessionPage {
    let mut allowances = Vec::new();
    if session.travel_credited {
        allowances.push("travel time");
    }
    if session.ete_available {
        allowances.push("education, training or employment hours");
    }
    let title = format!("{}, {}", session.project, format::date(session.day));
    SessionPage {
        chrome: Chrome::for_form(user, title, &errors, ""),
        errors: errors.clone(),
        form: FormState::new(user, (String::new(), String::new()), fields, errors),
        session: session_line(session),
        place: format!("{}, {}", session.address, session.postcode),
        allowances: if allowances.is_empty() {
            "Hours worked only".into()
        } else {
            format!("Hours worked, and {}", allowances.join(" and "))
        },
        people: people.iter().map(person_line).collect(),
        full: session.allocated >= session.capacity,
        started: now >= session.starts_at,
        to_record: people.iter().filter(|a| a.attendance.is_none()).count(),
        banner,
    }
}

/// `GET /unpaid-work/sessions/{upw_session}`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let (session, people) = open_session(&state, &user, &raw, "view_upw_session", |conn, s, _| {
        Ok((s.clone(), sessions::allocations(conn, s.id)?))
    })
    .await?;
    let now = local_time(state.clock.now());
    let page = session_page(
        &user,
        &session,
        &people,
        now,
        FormFields::default(),
        Vec::new(),
        saved.banner(),
    );
    Ok(render(&page)?.into_response())
}

/// `POST /unpaid-work/sessions/{upw_session}/allocations`.
pub async fn allocate(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(raw): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let now = state.clock.now();
    let outcome = open_session(&state, &user, &raw, "allocate_upw_form", {
        move |conn, session, asking| {
            let refuse = |conn: &mut keepsafe_storage::AnyConnection, message: String| {
                let people = sessions::allocations(conn, session.id)?;
                Ok::<_, AppError>(Submission::Refused((
                    session.clone(),
                    people,
                    vec![FieldError::new("crn", message)],
                )))
            };
            let crn = posted.get("crn").trim().to_uppercase();
            if crn.is_empty() {
                return refuse(
                    conn,
                    "Enter the case reference number (CRN) of the person to allocate".into(),
                );
            }
            let candidate = match sessions::candidate(conn, session.pdu_id, &crn)? {
                Ok(candidate) => candidate,
                Err(why) => return refuse(conn, why.message()),
            };
            let (allocation, contact) =
                match sessions::allocate(conn, session, &candidate, posted.by, now)? {
                    Ok(done) => done,
                    Err(why) => return refuse(conn, why.message()),
                };
            audit::record(
                conn,
                &asking.audit(
                    "allocate_upw",
                    Some((candidate.person_id, &candidate.crn)),
                    format!(
                        "allocation {allocation} to session {} on {}; appointment {contact}",
                        session.id, session.day
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved((session.id, candidate.crn)))
        }
    })
    .await?;
    let local = local_time(now);
    forms::respond(
        outcome,
        |(id, crn)| Redirect::to(&format!("/unpaid-work/sessions/{id}?allocated={crn}")),
        |(session, people, errors)| {
            session_page(&user, &session, &people, local, fields, errors, None)
        },
    )
}
