//! Administration: the accounts that can sign in, and the audit log of who read and changed
//! what.

pub mod accounts;
mod actions;
pub mod audit_log;
mod placement;
pub mod users;

use crate::routes::{Access, GradeAction, Registry};
use axum::http::Method;
use axum::routing::{get, post};

/// The area's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    let manage = || Access::Grade(GradeAction::ManageUsers);
    registry
        .add(
            Method::GET,
            "/audit",
            Access::Grade(GradeAction::ViewAuditLog),
            get(audit_log::show),
        )
        .add(
            Method::GET,
            "/audit.csv",
            Access::Grade(GradeAction::ViewAuditLog),
            get(audit_log::export),
        )
        .add(Method::GET, "/admin/users", manage(), get(users::list))
        .add(Method::POST, "/admin/users", manage(), post(accounts::add))
        .add(
            Method::GET,
            "/admin/users/new",
            manage(),
            get(accounts::new_account),
        )
        .add(
            Method::GET,
            "/admin/users/{staff}",
            manage(),
            get(users::show),
        )
        .add(
            Method::GET,
            "/admin/users/{staff}/role",
            manage(),
            get(accounts::role_form),
        )
        .add(
            Method::POST,
            "/admin/users/{staff}/role",
            manage(),
            post(accounts::change_role),
        )
        .add(
            Method::GET,
            "/admin/users/{staff}/password",
            manage(),
            get(accounts::password_form),
        )
        .add(
            Method::POST,
            "/admin/users/{staff}/password",
            manage(),
            post(accounts::reset_password),
        )
        .add(
            Method::POST,
            "/admin/users/{staff}/status",
            manage(),
            post(accounts::set_status),
        )
}
