//! Needs: the needs assessment of a case — what in the person's life is linked to their
//! offending, section by section — from draft to completed, its earlier versions, the reviews a
//! change in circumstances asks of it, and the OASys general predictor (OGP) it feeds. Completing
//! one recomputes the tiers, so the change level reads it. Every page is opened through
//! [`crate::cases::access`].

pub mod assessment;
pub mod ogp;
pub mod overview;

use crate::routes::{Access, Registry};
use axum::http::Method;
use axum::routing::{get, post};

/// The area's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(
            Method::GET,
            "/cases/{crn}/needs",
            Access::Case,
            get(overview::show),
        )
        .add(
            Method::POST,
            "/cases/{crn}/needs",
            Access::Case,
            post(overview::start),
        )
        .add(
            Method::GET,
            "/cases/{crn}/needs/{needs_assessment}",
            Access::Case,
            get(assessment::show),
        )
        .add(
            Method::POST,
            "/cases/{crn}/needs/{needs_assessment}",
            Access::Case,
            post(assessment::save),
        )
        .add(
            Method::GET,
            "/cases/{crn}/ogp",
            Access::Case,
            get(ogp::show),
        )
}
