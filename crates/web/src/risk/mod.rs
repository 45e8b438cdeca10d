//! Risk: the work that protects people from harm — the risk of serious harm assessment and its
//! countersigning, safeguarding checks and their responses, changes in circumstances that call for
//! a review, the tier and the OGRS3 predictor (on the case and as an API), the predictors recorded
//! from an external assessment (RSR, ARP, CSRP, OSP, OVP), and curfew and
//! home-address suitability checks. Every case page here is opened through
//! [`crate::cases::access`].

pub mod address_checks;
pub mod assessment;
pub mod changes;
pub mod checks;
pub mod ogrs3;
pub mod overview;
pub mod predictor_api;
pub mod predictors;
pub mod tier;

use crate::routes::{Access, Registry};
use axum::http::Method;
use axum::routing::{get, post};

/// The area's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(
            Method::GET,
            "/cases/{crn}/tier",
            Access::Case,
            get(tier::show),
        )
        .add(
            Method::GET,
            "/cases/{crn}/ogrs3",
            Access::Case,
            get(ogrs3::show),
        )
        .add(
            Method::GET,
            "/cases/{crn}/predictors",
            Access::Case,
            get(predictors::history),
        )
        .add(
            Method::GET,
            "/cases/{crn}/predictors/new",
            Access::Case,
            get(predictors::new_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/predictors/new",
            Access::Case,
            post(predictors::record),
        )
        .add(
            Method::GET,
            "/cases/{crn}/ovp",
            Access::Case,
            get(predictors::ovp_working),
        )
        .add(
            Method::POST,
            "/api/predictors/ogrs3",
            Access::SignedIn,
            post(predictor_api::ogrs3_score),
        )
        .add(
            Method::GET,
            "/cases/{crn}/risk",
            Access::Case,
            get(overview::show),
        )
        .add(
            Method::POST,
            "/cases/{crn}/risk/assessments",
            Access::Case,
            post(assessment::start),
        )
        .add(
            Method::GET,
            "/cases/{crn}/risk/assessments/{assessment}",
            Access::Case,
            get(assessment::show),
        )
        .add(
            Method::POST,
            "/cases/{crn}/risk/assessments/{assessment}",
            Access::Case,
            post(assessment::save),
        )
        .add(
            Method::POST,
            "/cases/{crn}/risk/assessments/{assessment}/countersign",
            Access::Case,
            post(assessment::countersign),
        )
        .add(
            Method::POST,
            "/cases/{crn}/checks",
            Access::Case,
            post(overview::request_check),
        )
        .add(
            Method::GET,
            "/cases/{crn}/checks/{check}/attachments/{position}",
            Access::Case,
            get(checks::attachment),
        )
        .add(
            Method::GET,
            "/cases/{crn}/checks/{check}/response",
            Access::Case,
            get(checks::response_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/checks/{check}/response",
            Access::Case,
            post(checks::record_response),
        )
        .add(
            Method::POST,
            "/cases/{crn}/checks/{check}/withdraw",
            Access::Case,
            post(checks::withdraw),
        )
        .add(
            Method::GET,
            "/cases/{crn}/checks/{check}/authorise",
            Access::Case,
            get(checks::authorise_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/checks/{check}/authorise",
            Access::Case,
            post(checks::authorise),
        )
        .add(
            Method::GET,
            "/cases/{crn}/changes",
            Access::Case,
            get(changes::form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/changes",
            Access::Case,
            post(changes::record),
        )
        .add(
            Method::GET,
            "/cases/{crn}/address-checks",
            Access::Case,
            get(address_checks::list),
        )
        .add(
            Method::POST,
            "/cases/{crn}/address-checks",
            Access::Case,
            post(address_checks::start),
        )
        .add(
            Method::GET,
            "/cases/{crn}/address-checks/{address_check}",
            Access::Case,
            get(address_checks::show),
        )
        .add(
            Method::POST,
            "/cases/{crn}/address-checks/{address_check}",
            Access::Case,
            post(address_checks::save),
        )
        .add(
            Method::POST,
            "/cases/{crn}/address-checks/{address_check}/checks",
            Access::Case,
            post(address_checks::request_checks),
        )
        .add(
            Method::POST,
            "/cases/{crn}/address-checks/{address_check}/approve",
            Access::Case,
            post(address_checks::approve),
        )
}
