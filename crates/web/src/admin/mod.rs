//! Administration: the accounts that can sign in, and the audit log of who read and changed
//! what.

pub mod audit_log;
pub mod users;

use crate::routes::{Access, GradeAction, Registry};
use axum::http::Method;
use axum::routing::get;

/// The area's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(
            Method::GET,
            "/audit",
            Access::Grade(GradeAction::ViewAuditLog),
            get(audit_log::show),
        )
        .add(
            Method::GET,
            "/admin/users",
            Access::Grade(GradeAction::ManageUsers),
            get(users::list),
        )
}
