//! The accounts that can sign in, for administrators:
//!
//! - `GET /admin/users`: a page of accounts, searched by name or username and narrowed by role
//!   and team;
//! - `GET /admin/users/{staff}`: one account, with what may be done to it (change role or team,
//!   reset the password, deactivate or reactivate), and a banner saying what was just done.
//!
//! The changes themselves are in [`super::accounts`]. Every page is audit-logged: the accounts
//! are staff's personal data.

use crate::error::AppError;
use crate::forms::FieldError;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use chrono::{DateTime, Utc};
use keepsafe_domain::staff::Grade;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{AuditEntry, Outcome};
use keepsafe_storage::organisation;
use keepsafe_storage::staff::{self, AccountListing, AccountSearch};
use keepsafe_storage::AnyConnection;
use serde::Deserialize;
use uuid::Uuid;

/// Accounts on one page of the list.
const PER_PAGE: i64 = 50;

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    chrome: Chrome,
    users: Vec<UserLine>,
    q: String,
    grades: Vec<super::placement::Choice>,
    teams: Vec<super::placement::Choice>,
    /// "Showing page 2", or what the search found.
    summary: String,
    previous: Option<String>,
    next: Option<String>,
}

struct UserLine {
    id: String,
    username: String,
    name: String,
    grade: String,
    place: String,
    status: String,
    attention: bool,
}

/// The list's search, as the query string carries it.
#[derive(Deserialize, Default, Clone)]
pub struct UsersQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    team: String,
    page: Option<i64>,
}

impl UsersQuery {
    fn search(&self) -> AccountSearch {
        AccountSearch {
            text: Some(self.q.trim().chars().take(100).collect::<String>())
                .filter(|t| !t.is_empty()),
            grade: Grade::parse(&self.grade).ok(),
            team_id: Uuid::parse_str(&self.team).ok(),
        }
    }

    /// The list's address for page `page` of the same search.
    fn href(&self, page: i64) -> String {
        let pairs = [
            ("q", self.q.trim().to_owned()),
            ("grade", self.grade.clone()),
            ("team", self.team.clone()),
            ("page", page.to_string()),
        ];
        let kept: Vec<_> = pairs.iter().filter(|(_, v)| !v.is_empty()).collect();
        format!(
            "/admin/users?{}",
            serde_urlencoded::to_string(kept).unwrap_or_default()
        )
    }
}

/// "Active", "Deactivated" or "Locked after failed sign-ins", and whether it needs attention.
fn status(active: bool, locked_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> (String, bool) {
    if !active {
        ("Deactivated".into(), true)
    } else if locked_until.is_some_and(|until| until > now) {
        ("Locked after failed sign-ins".into(), true)
    } else {
        ("Active".into(), false)
    }
}

fn line(account: AccountListing, now: DateTime<Utc>) -> UserLine {
    let (status, attention) = status(account.active, account.locked_until, now);
    UserLine {
        id: account.id.to_string(),
        status,
        attention,
        username: account.username,
        name: account.name,
        grade: account.grade.label().to_owned(),
        place: account
            .team
            .or(account.pdu)
            .unwrap_or_else(|| "Whole region".into()),
    }
}

/// `GET /admin/users`.
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(query): Query<UsersQuery>,
) -> Result<Html<String>, AppError> {
    let page = query.page.unwrap_or(1).max(1);
    let search = query.search();
    let entry = AuditEntry {
        staff_id: Some(user.account.id),
        actor: user.audit_name(),
        action: "view_users".into(),
        outcome: Outcome::Allowed,
        person_id: None,
        crn: None,
        detail: format!("page {page}"),
    };
    let region = user.account.region_id;
    let (mut accounts, teams) = state
        .read_then_audit(move |conn| {
            let accounts =
                staff::search_accounts(conn, &search, (page - 1) * PER_PAGE, PER_PAGE + 1)?;
            let teams = organisation::teams_in_region(conn, region)?;
            Ok(((accounts, teams), entry))
        })
        .await?;
    let more = accounts.len() as i64 > PER_PAGE;
    accounts.truncate(PER_PAGE as usize);
    let now = state.clock.now();
    let searched = !query.q.trim().is_empty() || !query.grade.is_empty() || !query.team.is_empty();
    let summary = match (accounts.is_empty(), searched) {
        (true, true) => "No accounts match. Try fewer words or another role or team.".to_owned(),
        (true, false) => "There are no accounts yet.".to_owned(),
        (false, _) => format!(
            "Page {page}: accounts {} to {}{}, by username.",
            (page - 1) * PER_PAGE + 1,
            (page - 1) * PER_PAGE + accounts.len() as i64,
            if searched { " that match" } else { "" }
        ),
    };
    let choice = |value: String, label: &str, chosen: &str| super::placement::Choice {
        selected: value == chosen,
        value,
        label: label.to_owned(),
    };
    render(&UsersPage {
        chrome: Chrome::for_user(&user, "Users", "/admin/users"),
        users: accounts.into_iter().map(|a| line(a, now)).collect(),
        grades: Grade::ALL
            .iter()
            .map(|g| choice(g.code().to_owned(), g.label(), &query.grade))
            .collect(),
        teams: teams
            .iter()
            .map(|t| {
                choice(
                    t.id.to_string(),
                    &format!("{} ({})", t.name, t.pdu_name),
                    &query.team,
                )
            })
            .collect(),
        summary,
        previous: (page > 1).then(|| query.href(page - 1)),
        next: more.then(|| query.href(page + 1)),
        q: query.q.trim().chars().take(100).collect(),
    })
}

/// One account as its page shows it.
pub struct AccountView {
    pub id: String,
    pub name: String,
    pub username: String,
    pub grade: String,
    pub place: String,
    pub hours: String,
    pub status: String,
    pub active: bool,
    /// The account being looked at is the administrator's own.
    pub own: bool,
    /// "Still holds 34 cases", when the account's owner holds cases: deactivating them would
    /// leave those cases with nobody able to sign in to supervise them.
    pub holds_cases: Option<String>,
}

/// Reads an account for its page; `None` for staff without a sign-in account.
pub fn account_view(
    conn: &mut AnyConnection,
    id: Uuid,
    viewer: Uuid,
    now: DateTime<Utc>,
) -> Result<AccountView, AppError> {
    let account = staff::find(conn, id)?;
    let username = account.username.clone().ok_or(AppError::NotFound)?;
    let place = place_words(conn, account.region_id, account.pdu_id, account.team_id)?;
    let hours = staff::contracted_hours(conn, id)?;
    let (status, _) = status(account.active, account.locked_until, now);
    let held = staff::cases_held(conn, id)?;
    Ok(AccountView {
        id: id.to_string(),
        name: account.display_name(),
        username,
        grade: account.grade.label().to_owned(),
        place,
        hours: format!("{} hours a week", trim_hours(hours)),
        status,
        active: account.active,
        own: id == viewer,
        holds_cases: (held > 0).then(|| {
            format!(
                "{} still holds {held} {}. Before deactivating the account, ask their senior \
                 probation officer to move the cases to another practitioner (from the \
                 practitioner's workload page), or the cases will be left with nobody able to \
                 sign in to supervise them.",
                account.display_name(),
                if held == 1 { "case" } else { "cases" }
            )
        }),
    })
}

/// Where an account sits, in words: "Midchester North (Midchester PDU)", a PDU's or a region's
/// name.
pub fn place_words(
    conn: &mut AnyConnection,
    region_id: Uuid,
    pdu_id: Option<Uuid>,
    team_id: Option<Uuid>,
) -> Result<String, AppError> {
    let (team, pdu, region) = organisation::place_names(conn, region_id, pdu_id, team_id)?;
    Ok(match (team, pdu) {
        (Some(team), Some(pdu)) => format!("{team} ({pdu})"),
        (Some(team), None) => team,
        (None, Some(pdu)) => pdu,
        (None, None) => region,
    })
}

/// Hours as people write them: "37", "22.5".
fn trim_hours(hours: f64) -> String {
    let text = format!("{hours:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[derive(Template)]
#[template(path = "admin/user.html")]
pub struct AccountPage {
    pub chrome: Chrome,
    pub csrf_token: String,
    pub account: AccountView,
    /// What was just done, for the success banner.
    pub banner: Option<String>,
    /// A generated password, shown this once.
    pub new_password: Option<String>,
    pub errors: Vec<FieldError>,
    pub active_error: Option<String>,
}

impl AccountPage {
    pub fn new(
        user: &CurrentUser,
        account: AccountView,
        banner: Option<String>,
        new_password: Option<String>,
        errors: Vec<FieldError>,
    ) -> Self {
        Self {
            chrome: Chrome::for_form(user, account.name.clone(), &errors, "/admin/users"),
            csrf_token: user.csrf_token.clone(),
            active_error: crate::forms::message_for(&errors, "active"),
            account,
            banner,
            new_password,
            errors,
        }
    }
}

/// What the account page's banner says after a change, by the `done` the change redirected with.
fn banner_for(done: &str, name: &str) -> Option<String> {
    Some(match done {
        "added" => format!("Account added for {name}"),
        "deactivated" => format!("{name}'s account is deactivated: they cannot sign in"),
        "reactivated" => format!("{name}'s account is active again: they can sign in"),
        "role" => format!("{name}'s role and team are changed"),
        "password" => format!(
            "{name}'s password is reset: any lockout is lifted and they were signed out everywhere"
        ),
        _ => return None,
    })
}

#[derive(Deserialize, Default)]
pub struct AccountQuery {
    #[serde(default)]
    done: String,
}

/// `GET /admin/users/{staff}`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    Query(query): Query<AccountQuery>,
) -> Result<Html<String>, AppError> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let viewer = user.account.id;
    let actor = user.audit_name();
    let now = state.clock.now();
    let account = state
        .read_then_audit(move |conn| {
            let account = account_view(conn, id, viewer, now)?;
            let entry = AuditEntry {
                staff_id: Some(viewer),
                actor,
                action: "view_user".into(),
                outcome: Outcome::Allowed,
                person_id: None,
                crn: None,
                detail: account.username.clone(),
            };
            Ok((account, entry))
        })
        .await?;
    let banner = banner_for(&query.done, &account.name);
    render(&AccountPage::new(&user, account, banner, None, Vec::new()))
}
