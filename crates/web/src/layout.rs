//! What every page shares: its title, the menu the user's grade allows, and the account bar; and
//! [`render`], which every handler ends with ([`unprocessable`] for a form shown again).

use crate::error::AppError;
use crate::forms::{error_title, FieldError};
use crate::session::CurrentUser;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use keepsafe_domain::access::{decide, Action};
use keepsafe_domain::staff::Grade;

pub struct Chrome {
    pub title: String,
    pub account: Option<AccountBar>,
    pub nav: Vec<NavItem>,
}

pub struct AccountBar {
    pub name: String,
    pub role: String,
    pub csrf_token: String,
}

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

impl Chrome {
    /// For pages seen before sign-in, and error pages.
    pub fn anonymous(title: &str) -> Self {
        Self {
            title: title.to_owned(),
            account: None,
            nav: Vec::new(),
        }
    }

    /// For a signed-in page with a form: as [`Chrome::for_user`], the title starting "Error: "
    /// when the form was refused ([`crate::forms::error_title`]).
    pub fn for_form(
        user: &CurrentUser,
        title: impl Into<String>,
        errors: &[FieldError],
        section: &str,
    ) -> Self {
        Self::for_user(user, error_title(title, errors), section)
    }

    /// For signed-in pages: `section` is the menu entry to mark as current.
    pub fn for_user(user: &CurrentUser, title: impl Into<String>, section: &str) -> Self {
        let actor = user.account.actor();
        let may = |action| decide(&actor, action).is_allowed();
        let mut items = Vec::new();
        if may(Action::ViewOwnCaseload) {
            items.push(("/cases", "My cases"));
        }
        if may(Action::ViewReviewTasks) {
            items.push(("/tasks", "Tasks"));
        }
        if crate::supervision::diary::has_diary(user) {
            items.push(("/diary", "Diary"));
        }
        if may(Action::ViewCourtLists) {
            items.push(("/courts", "Court"));
        }
        if may(Action::ListTeams) {
            items.push(("/teams", "Teams"));
        }
        if may(Action::ViewReleaseWorklist) {
            items.push(("/releases", "Releases"));
            items.push(("/victims", "Victim contact"));
        }
        if may(Action::ViewWorkload) {
            items.push(("/workload", "Workload"));
        }
        if crate::quality::units::sees_quality(&actor) {
            items.push(("/quality", "Quality"));
        }
        if may(Action::ViewReoffendingOutcomes) {
            items.push(("/reoffending", "Reoffending"));
        }
        if may(Action::ViewPartnerExchange) {
            items.push(("/partners", "Partners"));
        }
        if user.account.grade == Grade::PartnerUser {
            items.push(("/partner", "Requests"));
            if user
                .account
                .partner
                .is_some_and(|(_, role)| role.sees_statistics())
            {
                items.push(("/partner/statistics", "Response times"));
            }
        } else if user.account.grade != Grade::Administrator {
            items.push(("/find", "Find a case"));
        }
        if may(Action::ViewAuditLog) {
            items.push(("/audit", "Audit log"));
        }
        if may(Action::ManageUsers) {
            items.push(("/admin/users", "Users"));
        }
        if may(Action::ManageCourts) {
            items.push(("/admin/courts", "Courts"));
        }
        Self {
            title: title.into(),
            account: Some(AccountBar {
                name: user.account.display_name(),
                role: user.account.grade.to_string(),
                csrf_token: user.csrf_token.clone(),
            }),
            nav: items
                .into_iter()
                .map(|(href, label)| NavItem {
                    href,
                    label,
                    current: href == section,
                })
                .collect(),
        }
    }
}

/// Renders a page template, turning a template failure into an internal error.
pub fn render(page: &impl Template) -> Result<Html<String>, AppError> {
    Ok(Html(page.render()?))
}

/// Renders a form's page again after its submission was refused, with 422 Unprocessable Content:
/// the page carries the error summary and everything typed, and the status says nothing was saved
/// (a browser shows the page all the same).
pub fn unprocessable(page: &impl Template) -> Result<Response, AppError> {
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
}
