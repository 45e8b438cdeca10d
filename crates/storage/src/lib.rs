//! keepsafe's storage: repository functions over one Diesel schema, served by SQLite (the embedded
//! default) or PostgreSQL (production), chosen from the database URL.
//!
//! Functions here are synchronous and take a connection; one user action is one transaction
//! ([`transaction::write`]), with its audit row written inside it. The web layer runs them on a
//! blocking thread. Rules are not decided here: they live in `keepsafe-domain`.

pub mod address_checks;
pub mod allocation;
pub mod audit;
mod batch;
pub mod bulk;
pub mod case_record;
pub mod caseload;
pub mod checks;
pub mod connection;
pub mod error;
pub mod insights;
pub mod migrations;
pub mod organisation;
pub mod partners;
pub mod passwords;
pub mod quality;
pub mod review_tasks;
pub mod risk_scores;
pub mod rosh_assessments;
mod rows;
pub mod schema;
pub mod sessions;
pub mod sign_in_attempts;
pub mod staff;
#[cfg(feature = "testing")]
pub mod testing;
pub mod transaction;
pub mod workload;

pub use connection::{AnyConnection, Database, DatabaseUrl};
pub use error::StorageError;
