//! Partners: the exchange of safeguarding checks with police forces and local authorities.
//! Practitioners send requests (from a case's risk page or in bulk); partners answer them in the
//! portal or from their own systems through the API — both through [`exchange`], so the rules and
//! the audit rows cannot differ — and how quickly partners answer is measured for both sides.

pub mod api;
pub mod bulk_checks;
pub mod exchange;
pub mod portal;
pub mod statistics;

use crate::csrf;
use crate::routes::{Access, GradeAction, Registry};
use axum::http::Method;
use axum::routing::{get, post};

/// The area's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(
            Method::GET,
            "/api/partner/v1/openapi.json",
            Access::Public,
            get(api::openapi),
        )
        .add(
            Method::GET,
            "/api/partner/v1/requests",
            Access::PartnerApi,
            get(api::list),
        )
        .add(
            Method::GET,
            "/api/partner/v1/requests/{request}",
            Access::PartnerApi,
            get(api::show),
        )
        .add(
            Method::POST,
            "/api/partner/v1/requests/{request}/acknowledge",
            Access::PartnerApi,
            post(api::acknowledge),
        )
        .add_upload(
            Method::POST,
            "/api/partner/v1/requests/{request}/response",
            Access::PartnerApi,
            post(api::response),
            // Base64 makes files a third larger.
            csrf::MAX_UPLOAD_BYTES / 3 * 4 + 64 * 1024,
        )
        .add(
            Method::POST,
            "/api/partner/v1/requests/{request}/decline",
            Access::PartnerApi,
            post(api::decline),
        )
        .add(Method::GET, "/partner", Access::Partner, get(portal::queue))
        .add(
            Method::GET,
            "/partner/statistics",
            Access::Partner,
            get(statistics::for_partner),
        )
        .add(
            Method::GET,
            "/checks/bulk",
            Access::Grade(GradeAction::RequestChecksInBulk),
            get(bulk_checks::form),
        )
        .add(
            Method::POST,
            "/checks/bulk",
            Access::Grade(GradeAction::RequestChecksInBulk),
            post(bulk_checks::send),
        )
        .add(
            Method::GET,
            "/partners",
            Access::Grade(GradeAction::ViewPartnerExchange),
            get(statistics::for_staff),
        )
        .add(
            Method::GET,
            "/partner/requests/{request}",
            Access::Partner,
            get(portal::show),
        )
        .add(
            Method::POST,
            "/partner/requests/{request}/acknowledge",
            Access::Partner,
            post(portal::acknowledge),
        )
        .add_upload(
            Method::POST,
            "/partner/requests/{request}/response",
            Access::Partner,
            post(portal::respond),
            csrf::MAX_UPLOAD_BYTES,
        )
        .add(
            Method::POST,
            "/partner/requests/{request}/decline",
            Access::Partner,
            post(portal::decline),
        )
}
