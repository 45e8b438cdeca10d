//! Plans: the sentence plan of a case — its objectives linked to needs and to the risks of the
//! RoSH assessment in force, their constructive and restrictive actions, the person's own words
//! and agreement, progress, submission and a senior officer's countersignature for high and very
//! high RoSH cases, reviews, and a printable copy. Every page is opened through
//! [`crate::cases::access`], so each read and change is authorised and audit-logged in its
//! transaction.

pub mod objective;
pub mod page;
pub mod person;
pub mod review;

use crate::routes::{Access, Registry};
use axum::http::Method;
use axum::routing::{get, post};

/// The area's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(
            Method::GET,
            "/cases/{crn}/plan",
            Access::Case,
            get(page::show),
        )
        .add(
            Method::POST,
            "/cases/{crn}/plan",
            Access::Case,
            post(page::start),
        )
        .add(
            Method::GET,
            "/cases/{crn}/plan/print",
            Access::Case,
            get(page::print),
        )
        .add(
            Method::POST,
            "/cases/{crn}/plan/submit",
            Access::Case,
            post(page::submit),
        )
        .add(
            Method::POST,
            "/cases/{crn}/plan/countersign",
            Access::Case,
            post(page::countersign),
        )
        .add(
            Method::GET,
            "/cases/{crn}/plan/objectives/new",
            Access::Case,
            get(objective::new),
        )
        .add(
            Method::POST,
            "/cases/{crn}/plan/objectives/new",
            Access::Case,
            post(objective::create),
        )
        .add(
            Method::GET,
            "/cases/{crn}/plan/objectives/{objective}",
            Access::Case,
            get(objective::edit),
        )
        .add(
            Method::POST,
            "/cases/{crn}/plan/objectives/{objective}",
            Access::Case,
            post(objective::update),
        )
        .add(
            Method::GET,
            "/cases/{crn}/plan/objectives/{objective}/progress",
            Access::Case,
            get(objective::progress_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/plan/objectives/{objective}/progress",
            Access::Case,
            post(objective::record_progress),
        )
        .add(
            Method::GET,
            "/cases/{crn}/plan/person",
            Access::Case,
            get(person::show),
        )
        .add(
            Method::POST,
            "/cases/{crn}/plan/person",
            Access::Case,
            post(person::save),
        )
        .add(
            Method::GET,
            "/cases/{crn}/plan/review",
            Access::Case,
            get(review::show),
        )
        .add(
            Method::POST,
            "/cases/{crn}/plan/review",
            Access::Case,
            post(review::save),
        )
}

/// Reads the plan's version from a form; a form without one was not made by these pages.
pub(crate) fn version_of(fields: &crate::forms::FormFields) -> Result<i32, crate::error::AppError> {
    fields.get("version").parse().map_err(|_| {
        crate::error::AppError::BadRequest(
            "The form is missing its version; reload the page and try again.".into(),
        )
    })
}

/// The domain's problems as the error summary's field errors.
pub(crate) fn field_errors(
    problems: &[keepsafe_domain::plans::PlanProblem],
) -> Vec<crate::forms::FieldError> {
    problems
        .iter()
        .map(|p| crate::forms::FieldError::new(p.field(), p.message()))
        .collect()
}
