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

/// Whether `conn` is inside a transaction.
pub fn in_transaction(conn: &mut AnyConnection) -> diesel::QueryResult<bool> {
    Ok(Manager::transaction_manager_status_mut(conn)
        .transaction_depth()?
        .is_some())
}

/// Whether `conn` is in its outermost transaction (not a savepoint inside another).
fn outermost(conn: &mut AnyConnection) -> diesel::QueryResult<bool> {
    Ok(Manager::transaction_manager_status_mut(conn)
        .transaction_depth()?
        .is_some_and(|depth| depth.get() == 1))
}

/// Commits, first giving the audit rows the transaction wrote their places in the audit log's
/// hash chain (the last step, so the chain's lock is held only for that and the commit).
fn commit(conn: &mut AnyConnection) -> diesel::QueryResult<()> {
    if outermost(conn)? {
        crate::audit::chain::chain_pending(conn)?;
    }
    Manager::commit_transaction(conn)
}

fn finish<T, E>(
    conn: &mut AnyConnection,
    work: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match work(conn) {
        Ok(value) => match commit(conn) {
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
