//! The `keepsafe` command as an operator uses it, one test binary for every command: each failure
//! is one clear line and a non-zero exit; each success says what it did. The command runs as a
//! real process with the tests' clock (`keepsafe_test_support::cli`).

mod audit;
mod backup;
mod commands;
mod dataset;
mod durability;
mod predict;
mod predict_tier;
mod quality;
mod supervision;
mod workload;

use diesel::{Connection, SqliteConnection};
use keepsafe_test_support::cli::{database_path, Keepsafe};
use std::path::Path;
use std::process::Output;

/// The binary under test.
pub const KEEPSAFE: Keepsafe = Keepsafe {
    binary: env!("CARGO_BIN_EXE_keepsafe"),
};

/// `keepsafe --database-url DATABASE ARGS…`.
pub fn keepsafe(database: &str, args: &[&str]) -> Output {
    KEEPSAFE.run(database, args)
}

/// A fresh folder whose database holds the small demo region, and the database's URL.
pub fn small_demo() -> (tempfile::TempDir, String) {
    KEEPSAFE.small_demo()
}

/// A direct connection to the SQLite database in `folder`, to see what a command wrote.
pub fn sqlite(folder: &Path) -> SqliteConnection {
    SqliteConnection::establish(database_path(folder).to_str().unwrap()).unwrap()
}
