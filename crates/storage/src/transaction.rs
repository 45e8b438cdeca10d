//! Transactions. Every user action runs in exactly one; on SQLite a writing transaction takes the
//! write lock when it begins (`BEGIN IMMEDIATE`), so a second writer waits instead of failing
//! half-way with "database is locked". Within one process writers wait their turn in memory
//! ([`crate::Database::write`]); the busy timeout only covers other processes.

use crate::connection::AnyConnection;
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::Connection;

type Manager = <AnyConnection as Connection>::TransactionManager;

/// Runs `work` in a transaction that may write. Commits if it returns `Ok`, rolls back otherwise.
pub fn write<T, E>(
    conn: &mut AnyConnection,
    work: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        AnyConnection::Sqlite(sqlite) => {
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?
        }
        AnyConnection::Postgresql(_) => Manager::begin_transaction(conn)?,
    }
    finish(conn, work)
}

/// Runs `work` in a read transaction, so everything it reads is one consistent snapshot.
pub fn read<T, E>(
    conn: &mut AnyConnection,
    work: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    Manager::begin_transaction(conn)?;
    finish(conn, work)
}

fn finish<T, E>(
    conn: &mut AnyConnection,
    work: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match work(conn) {
        Ok(value) => match Manager::commit_transaction(conn) {
            Ok(()) => Ok(value),
            Err(commit_error) => {
                let _ = Manager::rollback_transaction(conn);
                Err(commit_error.into())
            }
        },
        Err(error) => {
            Manager::rollback_transaction(conn)?;
            Err(error)
        }
    }
}
