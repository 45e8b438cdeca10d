//! Programmes and interventions (issue 18): the catalogue of accredited programmes and structured
//! interventions; a case's programmes page (its programme requirements, flagged when no programme
//! started in time, and its referrals with their sessions); the steps of a referral — referral,
//! suitability assessment, start, sessions attended (each a programme session contact, a failure
//! judged unacceptable going on to enforcement), completion or non-completion with the reason —
//! each refused with the field named and nothing written; and the interventions dashboard for
//! senior officers (team), heads of PDU (PDU) and quality staff (region).

pub mod case;
pub mod catalogue;
pub mod dashboard;
pub mod steps;

use crate::routes::{Access, GradeAction, Registry};
use axum::http::Method;
use axum::routing::{get, post};

/// The area's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(
            Method::GET,
            "/programmes",
            Access::Grade(GradeAction::Programmes),
            get(dashboard::show),
        )
        .add(
            Method::GET,
            "/programmes/catalogue",
            Access::SignedIn,
            get(catalogue::show),
        )
        .add(
            Method::GET,
            "/cases/{crn}/programmes",
            Access::Case,
            get(case::show),
        )
        .add(
            Method::GET,
            "/cases/{crn}/programmes/new",
            Access::Case,
            get(steps::refer_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/programmes/new",
            Access::Case,
            post(steps::refer),
        )
        .add(
            Method::GET,
            "/cases/{crn}/programmes/{programme_referral}/{programme_step}",
            Access::Case,
            get(steps::step_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/programmes/{programme_referral}/{programme_step}",
            Access::Case,
            post(steps::step),
        )
}
