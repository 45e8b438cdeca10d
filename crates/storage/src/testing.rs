//! Throw-away databases for tests, on both backends: a SQLite file in a temporary folder, or a
//! fresh schema in the PostgreSQL test database (so tests run in parallel without seeing each
//! other). Only compiled with the `testing` feature.

use crate::connection::{Database, DatabaseUrl};
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use std::path::PathBuf;

/// The PostgreSQL server tests use: `KEEPSAFE_TEST_POSTGRES_URL`, by default the local server's
/// `test` database with trust authentication.
pub fn postgres_base_url() -> String {
    std::env::var("KEEPSAFE_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// Which backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A migrated, empty database that disappears when dropped.
pub struct TestDatabase {
    pub database: Database,
    pub url: DatabaseUrl,
    cleanup: Cleanup,
}

enum Cleanup {
    Folder(#[allow(dead_code)] tempfile::TempDir),
    Schema { base_url: String, schema: String },
}

impl TestDatabase {
    pub fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => Self::sqlite(),
            Backend::Postgres => Self::postgres(),
        }
    }

    pub fn sqlite() -> Self {
        let folder = tempfile::tempdir().expect("create a temporary folder");
        let path: PathBuf = folder.path().join("keepsafe-test.db");
        let url = DatabaseUrl::Sqlite(path);
        let database = Database::open(&url).expect("open a SQLite test database");
        Self {
            database,
            url,
            cleanup: Cleanup::Folder(folder),
        }
    }

    /// A SQLite database that starts as a copy of `template`, a standalone SQLite file (written by
    /// [`TestDatabase::save_sqlite_copy`]): loading the demo region once and copying the file is
    /// much quicker than loading it again for every test.
    pub fn sqlite_copy_of(template: &std::path::Path) -> Self {
        let folder = tempfile::tempdir().expect("create a temporary folder");
        let path: PathBuf = folder.path().join("keepsafe-test.db");
        std::fs::copy(template, &path).expect("copy the template database");
        let url = DatabaseUrl::Sqlite(path);
        let database = Database::open(&url).expect("open a SQLite test database");
        Self {
            database,
            url,
            cleanup: Cleanup::Folder(folder),
        }
    }

    /// Writes a standalone, consistent copy of this SQLite database to `path` (`VACUUM INTO`,
    /// which needs no other connection to be idle and leaves no write-ahead log behind).
    pub fn save_sqlite_copy(&self, path: &std::path::Path) {
        let mut conn = self.database.connection().expect("a connection");
        let target = path.display().to_string().replace('\'', "''");
        conn.batch_execute(&format!("VACUUM INTO '{target}'"))
            .expect("copy the database");
    }

    /// Fails the test (rather than skipping it) when PostgreSQL is not running: both backends
    /// must be exercised.
    pub fn postgres() -> Self {
        let base_url = postgres_base_url();
        let schema = format!("keepsafe_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::establish(&base_url).unwrap_or_else(|error| {
            panic!("PostgreSQL is needed for the test suite at {base_url}: {error}. Start it (scripts/test does) or set KEEPSAFE_TEST_POSTGRES_URL.")
        });
        admin
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .expect("create a test schema");
        let separator = if base_url.contains('?') { '&' } else { '?' };
        let url = DatabaseUrl::Postgres(format!(
            "{base_url}{separator}options=-csearch_path%3D{schema}"
        ));
        let database = Database::open(&url).expect("open the PostgreSQL test schema");
        Self {
            database,
            url,
            cleanup: Cleanup::Schema { base_url, schema },
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Cleanup::Schema { base_url, schema } = &self.cleanup {
            if let Ok(mut admin) = PgConnection::establish(base_url) {
                let _ = admin.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
            }
        }
    }
}
