//! One module per page or group of pages. Each handler: take the signed-in user and inputs,
//! authorise, call storage in one transaction (with its audit row), render a template.

pub mod address_checks;
pub mod allocation;
pub mod assessment;
pub mod audit_log;
pub mod bulk_checks;
pub mod case_access;
pub mod case_list;
pub mod case_quality;
pub mod case_record;
pub mod changes;
pub mod checks;
pub mod find;
pub mod health;
pub mod home;
pub mod insights;
pub mod layout;
pub mod my_cases;
pub mod ogrs3;
pub mod oversight;
pub mod partner_api;
pub mod partner_portal;
pub mod partner_statistics;
pub mod predictor_api;
pub mod quality;
pub mod quality_access;
pub mod quality_audit_view;
pub mod quality_audits;
pub mod quality_panel;
pub mod quality_plan;
pub mod quality_samples;
pub mod risk;
pub mod sign_in;
pub mod staff_access;
pub mod tasks;
pub mod teams;
pub mod tier;
pub mod transfer;
pub mod users;
pub mod workload;

use askama::Template;
use axum::response::Html;

/// Renders a page template, turning a template failure into an internal error.
pub fn render(page: &impl Template) -> Result<Html<String>, crate::error::AppError> {
    Ok(Html(page.render()?))
}
