//! keepsafe's application tests: the real router, a real database with the small demo region,
//! requests in-process; and the same application served to headless Chromium.

use keepsafe_test_support::app as support;

mod address_checks;
mod admin;
mod allocation;
mod attachments;
mod authorisation_matrix;
mod browser;
mod case_access;
mod contacts;
mod court;
mod diary;
mod enforcement;
mod input_limits;
mod licences;
mod limited_access;
mod mappa;
mod needs;
mod pages;
mod partner_api;
mod partners;
mod plans;
mod predictors;
mod programmes;
mod quality_audits;
mod quality_pages;
mod record;
mod record_details;
mod reminders;
mod reoffending;
mod risk_assessment;
mod risk_pages;
mod route_rules;
mod sfo;
mod sign_in;
mod standards;
mod transfers;
mod unpaid_work;
mod victims;
mod words;
mod worklist;
mod workload_pages;
