//! Signing in and out: establishing who someone is before anything else happens. Passwords are
//! checked off the async runtime, failures are counted in the database so lockout survives
//! restarts, and the session (with its CSRF token) that every other area's routes require starts
//! and ends here.

pub mod pages;

use crate::routes::{Access, Registry};
use axum::http::Method;
use axum::routing::{get, post};

/// The area's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(Method::GET, "/sign-in", Access::Public, get(pages::form))
        .add(
            Method::POST,
            "/sign-in",
            Access::Public,
            post(pages::submit),
        )
        .add(
            Method::POST,
            "/sign-out",
            Access::AnySession,
            post(pages::sign_out),
        )
}
