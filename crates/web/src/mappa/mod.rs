//! MAPPA (reference §7): a case's MAPPA page — category, level, the meetings held and when the
//! next review is due, with how that was worked out — the form that records a meeting (which
//! reviews the MAPPA registration), and the list of MAPPA cases a member of staff manages or
//! oversees, soonest review first, so an overdue review is at the top.

pub mod list;
pub mod meeting;
pub mod page;

use crate::routes::{Access, GradeAction, Registry};
use axum::http::Method;
use axum::routing::{get, post};

/// The area's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(
            Method::GET,
            "/mappa",
            Access::Grade(GradeAction::MappaCases),
            get(list::show),
        )
        .add(
            Method::GET,
            "/cases/{crn}/mappa",
            Access::Case,
            get(page::show),
        )
        .add(
            Method::GET,
            "/cases/{crn}/mappa/{mappa_registration}/meetings/new",
            Access::Case,
            get(meeting::form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/mappa/{mappa_registration}/meetings/new",
            Access::Case,
            post(meeting::record),
        )
}
