//! Reoffending outcomes (reference §1 and §11): a case's follow-ups after each sentence — did the
//! person reoffend within one and two years, or when will it be known — and the convictions
//! recorded against them; the region's proven reoffending rates by cohort; and the calibration of
//! OGRS3 and OGP, each band's forecast beside what happened, so the people who read the scores
//! can see how far to trust them.

pub mod calibration;
pub mod case;
pub mod chart;
pub mod conviction;
pub mod rates;

use crate::routes::{Access, GradeAction, Registry};
use axum::http::Method;
use axum::routing::{get, post};

/// The area's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(
            Method::GET,
            "/reoffending",
            Access::Grade(GradeAction::ReoffendingOutcomes),
            get(rates::show),
        )
        .add(
            Method::GET,
            "/reoffending/calibration",
            Access::Grade(GradeAction::ReoffendingOutcomes),
            get(calibration::show),
        )
        .add(
            Method::GET,
            "/cases/{crn}/reoffending",
            Access::Case,
            get(case::show),
        )
        .add(
            Method::GET,
            "/cases/{crn}/reoffending/new",
            Access::Case,
            get(conviction::form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/reoffending/new",
            Access::Case,
            post(conviction::record),
        )
}
