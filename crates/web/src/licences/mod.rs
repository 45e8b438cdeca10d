//! Licences and release: the work on a custody case before release — its key dates (computed from
//! the sentence, with how, and the prison's dates recorded), the handover and release-day tasks,
//! the address suitability check's state — the licence (standard conditions, additional ones from
//! the catalogue, bespoke and victim-requested ones; approval by a senior officer who did not write
//! it; variations approved by the head of PDU; every version kept; a printable copy) and the
//! release and end of the licence. Every page about a case is opened through
//! [`crate::cases::access`], so each read and change is authorised and audit-logged in its
//! transaction.

pub mod approval;
pub mod catalogue;
pub mod conditions;
pub mod key_dates;
pub mod page;
pub mod release;

use crate::error::AppError;
use crate::forms::FormFields;
use crate::routes::{Access, Registry};
use axum::http::Method;
use axum::routing::{get, post};
use uuid::Uuid;

/// The area's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(
            Method::GET,
            "/cases/{crn}/licence",
            Access::Case,
            get(page::show),
        )
        .add(
            Method::POST,
            "/cases/{crn}/licence",
            Access::Case,
            post(page::start),
        )
        .add(
            Method::GET,
            "/cases/{crn}/licence/print",
            Access::Case,
            get(page::print),
        )
        .add(
            Method::POST,
            "/cases/{crn}/licence/tasks/{licence_task}/done",
            Access::Case,
            post(page::task_done),
        )
        .add(
            Method::GET,
            "/cases/{crn}/licence/key-dates",
            Access::Case,
            get(key_dates::show),
        )
        .add(
            Method::POST,
            "/cases/{crn}/licence/key-dates",
            Access::Case,
            post(key_dates::save),
        )
        .add(
            Method::GET,
            "/cases/{crn}/licence/conditions/new",
            Access::Case,
            get(conditions::new),
        )
        .add(
            Method::POST,
            "/cases/{crn}/licence/conditions/new",
            Access::Case,
            post(conditions::create),
        )
        .add(
            Method::POST,
            "/cases/{crn}/licence/conditions/{condition}/remove",
            Access::Case,
            post(conditions::remove),
        )
        .add(
            Method::POST,
            "/cases/{crn}/licence/submit",
            Access::Case,
            post(approval::submit),
        )
        .add(
            Method::POST,
            "/cases/{crn}/licence/approve",
            Access::Case,
            post(approval::approve),
        )
        .add(
            Method::GET,
            "/cases/{crn}/licence/variation",
            Access::Case,
            get(approval::variation_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/licence/variation",
            Access::Case,
            post(approval::vary),
        )
        .add(
            Method::GET,
            "/cases/{crn}/licence/release",
            Access::Case,
            get(release::release_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/licence/release",
            Access::Case,
            post(release::record),
        )
        .add(
            Method::GET,
            "/cases/{crn}/licence/end",
            Access::Case,
            get(release::end_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/licence/end",
            Access::Case,
            post(release::end),
        )
        .add(
            Method::GET,
            "/licence-conditions",
            Access::SignedIn,
            get(catalogue::list),
        )
}

/// The version a form was made for and the lock it read; a form without them was not made by
/// these pages.
pub(crate) fn version_of(fields: &FormFields) -> Result<(Uuid, i32), AppError> {
    let bad = || {
        AppError::BadRequest(
            "The form is missing its licence version; reload the page and try again.".into(),
        )
    };
    let id = Uuid::parse_str(fields.get("version_id")).map_err(|_| bad())?;
    let lock = fields.get("lock").parse().map_err(|_| bad())?;
    Ok((id, lock))
}
