//! Schema migrations, one folder per backend, embedded in the binary and applied at start.
//! Applying is idempotent: a migrated database is left as it is.

use crate::connection::{AnyConnection, DatabaseUrl};
use crate::error::{StorageError, StorageResult};
use diesel::backend::Backend;
use diesel::migration::{Migration, MigrationSource, MigrationVersion};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// What `keepsafe migrate` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    pub applied_now: Vec<String>,
    pub already_applied: usize,
}

/// Applies every pending migration, after refusing a database that a newer keepsafe has migrated.
/// Then chains any audit rows not yet in the audit log's hash chain: once, the rows written
/// before the chain existed (migration 33).
pub fn run_pending(conn: &mut AnyConnection, url: &DatabaseUrl) -> StorageResult<MigrationReport> {
    let report = match conn {
        AnyConnection::Sqlite(c) => apply(c, SQLITE, url),
        AnyConnection::Postgresql(c) => apply(c, POSTGRES, url),
    }?;
    crate::audit::chain::chain_existing(conn)?;
    Ok(report)
}

fn apply<C, DB>(
    conn: &mut C,
    source: EmbeddedMigrations,
    url: &DatabaseUrl,
) -> StorageResult<MigrationReport>
where
    DB: Backend,
    C: MigrationHarness<DB>,
    EmbeddedMigrations: MigrationSource<DB>,
{
    let known: Vec<MigrationVersion<'static>> = MigrationSource::<DB>::migrations(&source)
        .map_err(|e| StorageError::Migration(e.to_string()))?
        .iter()
        .map(|m| m.name().version().as_owned())
        .collect();
    let applied = conn
        .applied_migrations()
        .map_err(|e| StorageError::Migration(e.to_string()))?;
    if let Some(unknown) = applied.iter().find(|v| !known.contains(v)) {
        return Err(StorageError::NewerSchema {
            target: url.describe(),
            version: unknown.to_string(),
        });
    }
    let applied_now = conn
        .run_pending_migrations(source)
        .map_err(|e| StorageError::Migration(e.to_string()))?
        .into_iter()
        .map(|v| v.to_string())
        .collect();
    Ok(MigrationReport {
        applied_now,
        already_applied: applied.len(),
    })
}

/// The versions of every migration this keepsafe carries for the backend `url` names, oldest
/// first: what a backup being restored may hold, and no more.
pub fn known(url: &DatabaseUrl) -> StorageResult<Vec<String>> {
    fn versions<DB: Backend>(source: EmbeddedMigrations) -> StorageResult<Vec<String>>
    where
        EmbeddedMigrations: MigrationSource<DB>,
    {
        let mut versions: Vec<String> = MigrationSource::<DB>::migrations(&source)
            .map_err(|e| StorageError::Migration(e.to_string()))?
            .iter()
            .map(|m| m.name().version().to_string())
            .collect();
        versions.sort();
        Ok(versions)
    }
    match url {
        DatabaseUrl::Sqlite(_) => versions::<diesel::sqlite::Sqlite>(SQLITE),
        DatabaseUrl::Postgres(_) => versions::<diesel::pg::Pg>(POSTGRES),
    }
}
