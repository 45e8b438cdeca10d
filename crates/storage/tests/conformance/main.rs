//! The storage conformance suite: every test here runs once on SQLite and once on PostgreSQL, so
//! the two backends are held to the same behaviour.

mod support;

mod accounts;
mod audit_log;
mod caseloads;
mod demo_region;
mod partners;
mod quality;
mod risk_scores;
mod schema;
mod sessions;
mod standards;
mod transactions;
mod transfers;
mod workload;
