//! The diary: `GET /diary` (a practitioner's own appointments by day or week), `GET
//! /diary/team/{code}` (a senior officer's view of their team's), and the appointments still
//! waiting for an outcome (`GET /diary/without-outcome`, `GET
//! /diary/team/{code}/without-outcome`), oldest first. Every view is audit-logged; a team is
//! opened only after the access policy allows it, and a refusal is logged too.

use crate::error::AppError;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDateTime;
use keepsafe_domain::access::{decide, Action, Decision, Refusal};
use keepsafe_domain::staff::Grade;
use keepsafe_domain::supervision::contact::LocationKind;
use keepsafe_domain::supervision::diary::{
    clock_time, day_title, page_of, AppointmentState, DiaryPeriod, WITHOUT_OUTCOME_PAGE_SIZE,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::cases::limited;
use keepsafe_storage::organisation::{self, TeamRef};
use keepsafe_storage::supervision::diary::{self, DiaryEntry, Whose};
use keepsafe_storage::AnyConnection;
use serde::Deserialize;

/// `?date=2026-12-02`, `?week=2026-11-30` or `?page=2`.
#[derive(Debug, Default, Deserialize)]
pub struct DiaryQuery {
    pub date: Option<String>,
    pub week: Option<String>,
    pub page: Option<String>,
}

/// One appointment as a diary row shows it.
pub struct EntryView {
    pub when: String,
    pub day: String,
    pub crn: String,
    pub name: String,
    pub kind: String,
    pub place: String,
    pub status: String,
    pub tag_class: &'static str,
    pub sensitive: bool,
    pub practitioner: String,
}

pub struct DayView {
    pub title: String,
    pub caption: String,
    pub entries: Vec<EntryView>,
}

#[derive(Template)]
#[template(path = "supervision/diary_page.html")]
struct DiaryPage {
    chrome: Chrome,
    caption: String,
    heading: String,
    days: Vec<DayView>,
    is_week: bool,
    previous_href: String,
    next_href: String,
    previous_label: &'static str,
    next_label: &'static str,
    switch_href: String,
    switch_label: &'static str,
    today_href: String,
    without_outcome_href: String,
    without_outcome: usize,
    with_practitioner: bool,
    own: bool,
    total: usize,
}

#[derive(Template)]
#[template(path = "supervision/diary_without_outcome.html")]
struct WithoutOutcomePage {
    chrome: Chrome,
    caption: String,
    diary_href: String,
    entries: Vec<EntryView>,
    total: usize,
    page_caption: String,
    pages: usize,
    previous_href: Option<String>,
    next_href: Option<String>,
    with_practitioner: bool,
}

/// The place in words: the typed place, or what kind of place it is.
pub(crate) fn place(kind: LocationKind, location: &str) -> String {
    let typed = location.trim();
    if typed.is_empty() {
        kind.label().to_owned()
    } else {
        typed.to_owned()
    }
}

fn entry_view(entry: &DiaryEntry, now: NaiveDateTime) -> EntryView {
    let state = AppointmentState::of(
        entry.status,
        entry.outcome,
        entry.judgement,
        entry.starts_at,
        now,
    );
    let when = match entry.ends_at {
        Some(ends) if ends > entry.starts_at => {
            format!("{} to {}", clock_time(entry.starts_at), clock_time(ends))
        }
        _ => clock_time(entry.starts_at),
    };
    EntryView {
        when,
        day: day_title(entry.starts_at.date()),
        crn: entry.crn.clone(),
        name: format!("{} {}", entry.first_name, entry.last_name),
        kind: entry.kind.label().to_owned(),
        place: place(entry.location_kind, &entry.location),
        status: state.label(),
        tag_class: state.tag_class(),
        sensitive: entry.sensitive,
        practitioner: entry.staff_name.clone().unwrap_or_default(),
    }
}

fn audit_entry(user: &CurrentUser, action: &str, detail: String) -> AuditEntry {
    AuditEntry {
        staff_id: Some(user.account.id),
        actor: user.audit_name(),
        action: action.into(),
        outcome: Outcome::Allowed,
        person_id: None,
        crn: None,
        detail,
    }
}

/// Opens a team's diary for `user`: finds the team, asks the access policy, writes the audit row
/// (allowed or refused) and only then runs `read`, all in one transaction.
async fn open_team<T, F>(
    state: &AppState,
    user: &CurrentUser,
    code: &str,
    purpose: &'static str,
    read: F,
) -> Result<(TeamRef, T), AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut AnyConnection, &TeamRef) -> Result<(T, String), AppError> + Send + 'static,
{
    let actor = user.account.actor();
    let mut entry = audit_entry(user, purpose, String::new());
    let code = code.to_ascii_uppercase();
    let clock = state.clock;
    let opened: Result<(TeamRef, T), Refusal> = state
        .write(move |conn| {
            let team = organisation::team_by_code(conn, &code)?;
            if let Decision::Refused(refusal) =
                decide(&actor, Action::ViewTeamCaseload(&team.location()))
            {
                entry.outcome = Outcome::Refused;
                entry.detail = format!("team {} ({})", team.code, refusal.code());
                audit::record(conn, &entry, clock.now())?;
                return Ok(Err(refusal));
            }
            let (value, detail) = read(conn, &team)?;
            entry.detail = format!("team {}: {detail}", team.code);
            audit::record(conn, &entry, clock.now())?;
            Ok(Ok((team, value)))
        })
        .await?;
    opened.map_err(|refusal| AppError::Refused(refusal.message()))
}

/// Whose diary `/diary` shows: the practitioner's own; a senior officer is taken to their team's.
enum Own {
    Diary,
    TeamOf(uuid::Uuid),
}

fn own(user: &CurrentUser) -> Result<Own, AppError> {
    let actor = user.account.actor();
    if decide(&actor, Action::ViewOwnCaseload).is_allowed() {
        return Ok(Own::Diary);
    }
    match (user.account.grade, user.account.team_id) {
        (Grade::SeniorProbationOfficer, Some(team)) => Ok(Own::TeamOf(team)),
        _ => Err(AppError::Refused(
            "The diary is for practitioners who hold a caseload and the senior probation \
             officers of their teams. To see a team's appointments, choose the team from Teams."
                .into(),
        )),
    }
}

/// Whether `/diary` has a diary to show this user (the menu offers it only then).
pub(crate) fn has_diary(user: &CurrentUser) -> bool {
    own(user).is_ok()
}

/// `GET /diary`: the signed-in practitioner's appointments for a day (today by default) or a week.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(query): Query<DiaryQuery>,
) -> Result<Response, AppError> {
    if let Own::TeamOf(team) = own(&user)? {
        let team = state
            .read(move |conn| Ok(organisation::team(conn, team)?))
            .await?;
        return Ok(Redirect::to(&format!("/diary/team/{}", team.code)).into_response());
    }
    let today = state.clock.today();
    let period = DiaryPeriod::from_query(query.date.as_deref(), query.week.as_deref(), today);
    let staff_id = user.account.id;
    let actor = user.account.actor();
    let entry = audit_entry(&user, "view_diary", String::new());
    let clock = state.clock;
    let (entries, without_outcome) = state
        .read_then_audit(move |conn| {
            let (from, until) = period.range();
            let entries = diary::in_period(conn, Whose::Staff(staff_id), from, until)?;
            let entries = limited::hidden_from(conn, &actor)?.leave_out(entries, |e| e.person_id);
            let (_, without) = diary::without_outcome(
                conn,
                Whose::Staff(staff_id),
                clock.now().naive_utc(),
                0,
                1,
            )?;
            let entry = AuditEntry {
                detail: format!("{}: {} appointments", period.query(), entries.len()),
                ..entry
            };
            Ok(((entries, without), entry))
        })
        .await?;
    let page = diary_page(
        &state,
        Chrome::for_user(&user, period.title(), "/diary"),
        "Your diary".into(),
        "/diary".into(),
        period,
        &entries,
        without_outcome,
        false,
        true,
    );
    Ok(render(&page)?.into_response())
}

/// `GET /diary/team/{code}`: the appointments of everyone in the team, for a senior officer (or
/// anyone else the policy lets see the team's caseload).
pub async fn team(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(code): Path<String>,
    Query(query): Query<DiaryQuery>,
) -> Result<Html<String>, AppError> {
    let today = state.clock.today();
    let period = DiaryPeriod::from_query(query.date.as_deref(), query.week.as_deref(), today);
    let now = state.clock.now().naive_utc();
    let actor = user.account.actor();
    let (team, (entries, without_outcome)) = open_team(
        &state,
        &user,
        &code,
        "view_team_diary",
        move |conn, team| {
            let (from, until) = period.range();
            let entries = diary::in_period(conn, Whose::Team(team.id), from, until)?;
            let entries = limited::hidden_from(conn, &actor)?.leave_out(entries, |e| e.person_id);
            let (_, without) = diary::without_outcome(conn, Whose::Team(team.id), now, 0, 1)?;
            let detail = format!("{}: {} appointments", period.query(), entries.len());
            Ok(((entries, without), detail))
        },
    )
    .await?;
    let page = diary_page(
        &state,
        Chrome::for_user(
            &user,
            format!("{}: {}", team.name, period.title()),
            "/diary",
        ),
        format!("{} team diary", team.name),
        format!("/diary/team/{}", team.code),
        period,
        &entries,
        without_outcome,
        true,
        false,
    );
    render(&page)
}

#[allow(clippy::too_many_arguments)]
fn diary_page(
    state: &AppState,
    chrome: Chrome,
    caption: String,
    base_path: String,
    period: DiaryPeriod,
    entries: &[DiaryEntry],
    without_outcome: usize,
    with_practitioner: bool,
    own: bool,
) -> DiaryPage {
    let today = state.clock.today();
    let now = state.clock.now().naive_utc();
    let days = period
        .days()
        .into_iter()
        .map(|day| DayView {
            title: day_title(day),
            caption: format!("Appointments on {}", day_title(day)),
            entries: entries
                .iter()
                .filter(|e| e.starts_at.date() == day)
                .map(|e| entry_view(e, now))
                .collect(),
        })
        .collect();
    let link = |p: DiaryPeriod| format!("{base_path}?{}", p.query());
    let (previous_label, next_label) = if period.is_week() {
        ("Previous week", "Next week")
    } else {
        ("Previous day", "Next day")
    };
    DiaryPage {
        chrome,
        caption,
        heading: period.title(),
        days,
        is_week: period.is_week(),
        previous_href: link(period.previous()),
        next_href: link(period.next()),
        previous_label,
        next_label,
        switch_href: link(period.switched(today)),
        switch_label: if period.is_week() {
            "Show one day"
        } else {
            "Show the week"
        },
        today_href: base_path.clone(),
        without_outcome_href: format!("{base_path}/without-outcome"),
        without_outcome,
        with_practitioner,
        own,
        total: entries.len(),
    }
}

fn requested_page(query: &DiaryQuery) -> Option<usize> {
    query.page.as_deref().and_then(|p| p.trim().parse().ok())
}

/// `GET /diary/without-outcome`: the practitioner's past appointments with no outcome recorded,
/// oldest first, a page at a time.
pub async fn without_outcome(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(query): Query<DiaryQuery>,
) -> Result<Html<String>, AppError> {
    let staff_id = user.account.id;
    let now = state.clock.now();
    let requested = requested_page(&query);
    let entry = audit_entry(&user, "view_without_outcome", String::new());
    let (entries, total, page, pages) = state
        .write(move |conn| {
            let (entries, total, page, pages) =
                without_outcome_page(conn, Whose::Staff(staff_id), now.naive_utc(), requested)?;
            let entry = AuditEntry {
                detail: format!("page {page}: {} of {total}", entries.len()),
                ..entry
            };
            audit::record(conn, &entry, now)?;
            Ok((entries, total, page, pages))
        })
        .await?;
    render(&without_outcome_view(
        Chrome::for_user(&user, "Appointments without an outcome", "/diary"),
        "Your diary".into(),
        "/diary".into(),
        &entries,
        (total, page, pages),
        now.naive_utc(),
        false,
    ))
}

/// `GET /diary/team/{code}/without-outcome`: the same for everyone in a team, for its manager.
pub async fn team_without_outcome(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(code): Path<String>,
    Query(query): Query<DiaryQuery>,
) -> Result<Html<String>, AppError> {
    let now = state.clock.now().naive_utc();
    let requested = requested_page(&query);
    let (team, (entries, total, page, pages)) = open_team(
        &state,
        &user,
        &code,
        "view_team_without_outcome",
        move |conn, team| {
            let found = without_outcome_page(conn, Whose::Team(team.id), now, requested)?;
            let detail = format!("page {}: {} of {}", found.2, found.0.len(), found.1);
            Ok((found, detail))
        },
    )
    .await?;
    render(&without_outcome_view(
        Chrome::for_user(
            &user,
            format!("{}: appointments without an outcome", team.name),
            "/diary",
        ),
        format!("{} team diary", team.name),
        format!("/diary/team/{}", team.code),
        &entries,
        (total, page, pages),
        now,
        true,
    ))
}

type FoundPage = (Vec<DiaryEntry>, usize, usize, usize);

fn without_outcome_page(
    conn: &mut AnyConnection,
    whose: Whose,
    now: NaiveDateTime,
    requested: Option<usize>,
) -> Result<FoundPage, AppError> {
    let (_, total) = diary::without_outcome(conn, whose, now, 0, 0)?;
    let (page, pages) = page_of(requested, total, WITHOUT_OUTCOME_PAGE_SIZE);
    let (entries, total) = diary::without_outcome(
        conn,
        whose,
        now,
        (page - 1) * WITHOUT_OUTCOME_PAGE_SIZE,
        WITHOUT_OUTCOME_PAGE_SIZE,
    )?;
    Ok((entries, total, page, pages))
}

fn without_outcome_view(
    chrome: Chrome,
    caption: String,
    diary_href: String,
    entries: &[DiaryEntry],
    (total, page, pages): (usize, usize, usize),
    now: NaiveDateTime,
    with_practitioner: bool,
) -> WithoutOutcomePage {
    let here = format!("{diary_href}/without-outcome");
    WithoutOutcomePage {
        chrome,
        caption,
        entries: entries.iter().map(|e| entry_view(e, now)).collect(),
        total,
        page_caption: format!("Page {page} of {pages}"),
        pages,
        previous_href: (page > 1).then(|| format!("{here}?page={}", page - 1)),
        next_href: (page < pages).then(|| format!("{here}?page={}", page + 1)),
        diary_href,
        with_practitioner,
    }
}

/// The diary's routes.
pub(crate) fn routes(registry: crate::routes::Registry) -> crate::routes::Registry {
    use crate::routes::{Access, GradeAction};
    use axum::http::Method;
    use axum::routing::get;
    registry
        .add(Method::GET, "/diary", Access::SignedIn, get(show))
        .add(
            Method::GET,
            "/diary/without-outcome",
            Access::Grade(GradeAction::OwnCaseload),
            get(without_outcome),
        )
        .add(Method::GET, "/diary/team/{code}", Access::Team, get(team))
        .add(
            Method::GET,
            "/diary/team/{code}/without-outcome",
            Access::Team,
            get(team_without_outcome),
        )
}
