//! What keepsafe's test suites share, so each fixture is written once and no test depends on the
//! day it runs. The web, storage and command-line suites all build on it:
//!
//! - [`clock`]: the fixed moment every test runs at, and the clock the application under test
//!   reads;
//! - [`demo`]: the small demo region, generated for a fixed day and loaded into a throw-away
//!   SQLite or PostgreSQL database;
//! - [`app`]: the application in-process over such a database ([`app::TestApp`]), signed-in
//!   users of each grade, and fixtures made through the application's own functions (a police
//!   request sent for a practitioner's case, a draft assessment with an overdue check, …);
//! - [`quality`]: case audits as the audit form stores them (all Yes, or No on one question);
//! - [`supervision`]: appointments arranged and contacts recorded through their forms, and a
//!   case's contacts read back;
//! - [`enforcement`]: a community or licence case, appointments and enforcement records;
//! - [`diary`]: appointments written as the appointment pages write them, for the diary,
//!   calendar feed and reminder tests;
//! - [`risk`]: a completed risk of serious harm assessment in force;
//! - [`needs`]: a completed needs assessment, and one made to have expired;
//! - [`mappa`]: a case registered under MAPPA at a level;
//! - [`worklist`]: checks, reviews, flags, assessments and releases for the worklist tests;
//! - [`court`]: a court of a PDU and hearings on its list, with a report asked for;
//! - [`reoffending`]: a finished sentence OGRS3 can forecast, and a conviction recorded after it;
//! - [`limited_access`]: a case's exclusion and restriction lists (`exclude`, `restrict_to`);
//! - [`cli`]: the `keepsafe` command run as an operator runs it, against a demo database.

pub mod app;
pub mod cli;
pub mod clock;
pub mod court;
pub mod demo;
pub mod diary;
pub mod enforcement;
pub mod licences;
pub mod limited_access;
pub mod mappa;
pub mod needs;
pub mod programmes;
pub mod quality;
pub mod reoffending;
pub mod risk;
pub mod sfo;
pub mod supervision;
pub mod unpaid_work;
pub mod victims;
pub mod worklist;
