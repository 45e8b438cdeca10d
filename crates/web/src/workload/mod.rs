//! Workload: who carries which cases, and whether that is manageable and fair — the dashboard of
//! the practitioners a manager oversees and one practitioner's workload (with its reductions and
//! reports), supervisor insights, allocating a case and transferring cases between practitioners.
//! One member of staff's work is opened through [`access`], authorised and audit-logged.

pub mod access;
pub mod allocation;
pub mod dashboard;
pub mod insights;
pub mod transfer;

use crate::routes::{Access, GradeAction, Registry};
use axum::http::Method;
use axum::routing::{get, post};

/// The area's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(
            Method::GET,
            "/cases/{crn}/allocate",
            Access::Case,
            get(allocation::form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/allocate",
            Access::Case,
            post(allocation::allocate),
        )
        .add(
            Method::GET,
            "/workload/allocations",
            Access::Grade(GradeAction::ViewWorkload),
            get(allocation::made),
        )
        .add(
            Method::GET,
            "/workload",
            Access::Grade(GradeAction::ViewWorkload),
            get(dashboard::show),
        )
        .add(
            Method::GET,
            "/workload/insights",
            Access::Grade(GradeAction::ViewWorkload),
            get(insights::show),
        )
        .add(
            Method::GET,
            "/workload/staff/{staff}",
            Access::SignedIn,
            get(dashboard::staff_detail),
        )
        .add(
            Method::GET,
            "/workload/staff/{staff}/transfer",
            Access::SignedIn,
            get(transfer::form),
        )
        .add(
            Method::POST,
            "/workload/staff/{staff}/transfer",
            Access::SignedIn,
            post(transfer::transfer),
        )
        .add(
            Method::POST,
            "/workload/staff/{staff}/reductions",
            Access::SignedIn,
            post(dashboard::add_reduction),
        )
        .add(
            Method::POST,
            "/workload/staff/{staff}/reports",
            Access::SignedIn,
            post(dashboard::add_report),
        )
        .add(
            Method::POST,
            "/workload/staff/{staff}/reports/{report}/complete",
            Access::SignedIn,
            post(dashboard::complete_report),
        )
        .add(
            Method::POST,
            "/workload/staff/{staff}/reductions/{reduction}/delete",
            Access::SignedIn,
            post(dashboard::delete_reduction),
        )
}
