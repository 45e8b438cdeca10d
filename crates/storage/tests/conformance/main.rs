//! The storage conformance suite: every test here runs once on SQLite and once on PostgreSQL, so
//! the two backends are held to the same behaviour.

mod support;

mod accounts;
mod audit_log;
mod caseloads;
mod contacts;
mod court;
mod dataset;
mod demo_region;
mod enforcement;
mod licences;
mod limited_access;
mod mappa;
mod needs;
mod partners;
mod plans;
mod programmes;
mod quality;
mod record_details;
mod record_edits;
mod recorded_predictors;
mod reoffending;
mod risk_scores;
mod schema;
mod sessions;
mod sfo;
mod standards;
mod supervision_diary;
mod transactions;
mod transfers;
mod unpaid_work;
mod victims;
mod workload;
