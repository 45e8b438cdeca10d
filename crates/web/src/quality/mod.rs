//! Quality: how well supervision is done, judged as an inspector would — unit ratings from case
//! audits and automated indicators, the quality of one case, audit samples, case audits and their
//! moderation, the ratings panel's decisions, recommendations and action plans, management
//! oversight, and the inspection-style [`report`] that the CLI prints too. A unit is opened
//! through [`access::open_unit`], a case through [`crate::cases::access`].

pub mod access;
pub mod audit_view;
pub mod audits;
pub mod case;
pub mod oversight;
pub mod panel;
pub mod plan;
pub mod report;
pub mod samples;
pub mod units;

use crate::routes::{Access, Registry};
use axum::http::Method;
use axum::routing::{get, post};

/// The area's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        // The audit workflow: samples, case audits and moderation, the ratings panel's
        // decisions, action plans and management oversight (`samples`, `audits`, `audit_view`,
        // `panel`, `plan`, `oversight`).
        // Moderation is under `/quality/audits` but is decided on the audit's case
        // (`Need::Audit`): the moderator must be allowed to audit it.
        .add(
            Method::GET,
            "/cases/{crn}/quality/audit",
            Access::Case,
            get(audits::form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/quality/audit",
            Access::Case,
            post(audits::record),
        )
        .add(
            Method::GET,
            "/cases/{crn}/oversight",
            Access::Case,
            get(oversight::show),
        )
        .add(
            Method::POST,
            "/cases/{crn}/oversight",
            Access::Case,
            post(oversight::record),
        )
        .add(
            Method::GET,
            "/quality/pdu/{unit}/samples",
            Access::Unit,
            get(samples::list_samples),
        )
        .add(
            Method::POST,
            "/quality/pdu/{unit}/samples",
            Access::Unit,
            post(samples::draw_sample),
        )
        .add(
            Method::GET,
            "/quality/samples/{sample}",
            Access::Unit,
            get(samples::show_sample),
        )
        .add(
            Method::GET,
            "/quality/audits/{audit}",
            Access::Unit,
            get(audit_view::show),
        )
        .add(
            Method::GET,
            "/quality/audits/{audit}/moderate",
            Access::Unit,
            get(audits::moderation_form),
        )
        .add(
            Method::POST,
            "/quality/audits/{audit}/moderate",
            Access::Unit,
            post(audits::moderate_audit),
        )
        .add(
            Method::GET,
            "/quality/{level}/{unit}/judgements",
            Access::Unit,
            get(panel::show),
        )
        .add(
            Method::POST,
            "/quality/{level}/{unit}/judgements",
            Access::Unit,
            post(panel::record),
        )
        .add(
            Method::GET,
            "/quality/{level}/{unit}/plan",
            Access::Unit,
            get(plan::show),
        )
        .add(
            Method::POST,
            "/quality/{level}/{unit}/plan/recommendations",
            Access::Unit,
            post(plan::add_recommendation),
        )
        .add(
            Method::GET,
            "/quality/{level}/{unit}/plan/recommendations/{recommendation}/actions",
            Access::Unit,
            get(plan::action_form),
        )
        .add(
            Method::POST,
            "/quality/{level}/{unit}/plan/recommendations/{recommendation}/actions",
            Access::Unit,
            post(plan::add_action),
        )
        .add(
            Method::GET,
            "/quality/{level}/{unit}/plan/actions/{action}/status",
            Access::Unit,
            get(plan::status_form),
        )
        .add(
            Method::POST,
            "/quality/{level}/{unit}/plan/actions/{action}/status",
            Access::Unit,
            post(plan::move_status),
        )
        .add(
            Method::GET,
            "/cases/{crn}/quality",
            Access::Case,
            get(case::show),
        )
        .add(Method::GET, "/quality", Access::SignedIn, get(units::index))
        .add(
            Method::GET,
            "/quality/{level}/{unit}",
            Access::Unit,
            get(units::unit),
        )
        .add(
            Method::GET,
            "/quality/{level}/{unit}/questions/{question}",
            Access::Unit,
            get(units::question),
        )
        .add(
            Method::GET,
            "/quality/{level}/{unit}/report",
            Access::Unit,
            get(units::report),
        )
}
