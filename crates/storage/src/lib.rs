//! keepsafe's storage: repository functions over one Diesel schema, served by SQLite (the embedded
//! default) or PostgreSQL (production), chosen from the database URL.
//!
//! Functions here are synchronous and take a connection; one user action is one transaction
//! ([`transaction::write`]), with its audit row written inside it. The web layer runs them on a
//! blocking thread. Rules are not decided here: they live in `keepsafe-domain`.

// The areas: the same map in every layer.
pub mod cases;
pub mod court;
pub mod licences;
pub mod mappa;
pub mod needs;
pub mod partners;
pub mod plans;
pub mod programmes;
pub mod quality;
pub mod reoffending;
pub mod risk;
pub mod sfo;
pub mod sign_in;
pub mod supervision;
pub mod victims;
pub mod workload;

// Cross-cutting.
pub mod audit;
pub mod backup;
mod batch;
pub mod bulk;
pub mod clock;
pub mod connection;
pub mod dataset;
pub mod error;
pub mod migrations;
pub mod organisation;
mod rows;
pub mod schema;
pub mod staff;
#[cfg(feature = "testing")]
pub mod testing;
pub mod transaction;

pub use clock::Clock;
pub use connection::{AnyConnection, Database, DatabaseUrl};
pub use error::StorageError;
pub mod unpaid_work;
