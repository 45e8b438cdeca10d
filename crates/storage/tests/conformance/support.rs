//! Shared fixtures for the conformance suite.

use chrono::NaiveDate;
use keepsafe_demo::DemoRegion;
use keepsafe_storage::testing::{Backend, TestDatabase};
use keepsafe_storage::AnyConnection;

/// Declares a test that runs on both backends: `conformance!(name, |db| { ... })`.
#[macro_export]
macro_rules! conformance {
    ($name:ident, |$db:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn check($db: &keepsafe_storage::testing::TestDatabase) $body

            #[test]
            fn on_sqlite() {
                check(&keepsafe_storage::testing::TestDatabase::new(
                    keepsafe_storage::testing::Backend::Sqlite,
                ));
            }

            #[test]
            fn on_postgres() {
                check(&keepsafe_storage::testing::TestDatabase::new(
                    keepsafe_storage::testing::Backend::Postgres,
                ));
            }
        }
    };
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

pub fn small_region() -> DemoRegion {
    keepsafe_test_support::demo::small_region(7, today())
}

/// Loads the small demo region and returns it.
pub fn with_small_region(db: &TestDatabase) -> DemoRegion {
    let region = small_region();
    keepsafe_test_support::demo::install(db, &region);
    region
}

pub fn conn(db: &TestDatabase) -> keepsafe_storage::connection::PooledConnection {
    db.database.connection().unwrap()
}

#[allow(dead_code)]
pub fn backend_of(conn: &AnyConnection) -> Backend {
    match conn {
        AnyConnection::Sqlite(_) => Backend::Sqlite,
        AnyConnection::Postgresql(_) => Backend::Postgres,
    }
}
