//! What `keepsafe backup` and `keepsafe restore` need to ask a database: which tables it holds and
//! how many rows each has, which schema migrations it carries, whether its file is sound (SQLite),
//! and a consistent copy of it (SQLite's `VACUUM INTO`; PostgreSQL's exported snapshot, which
//! `pg_dump --snapshot` reads). The backup file's format and the external tools are the command's.

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::{PgConnection, QueryableByName, RunQueryDsl, SqliteConnection};
use std::collections::BTreeMap;
use std::path::Path;

/// The table diesel records applied migrations in.
const MIGRATIONS_TABLE: &str = "__diesel_schema_migrations";

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    rows: i64,
}

/// The tables of keepsafe's schema (the connection's current schema on PostgreSQL), by name.
pub fn tables(conn: &mut AnyConnection) -> StorageResult<Vec<String>> {
    let names: Vec<Name> = match conn {
        AnyConnection::Sqlite(c) => diesel::sql_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .load(c)?,
        AnyConnection::Postgresql(c) => diesel::sql_query(
            "SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
        )
        .load(c)?,
    };
    Ok(names.into_iter().map(|n| n.name).collect())
}

/// Rows in every table, by table: what a backup's manifest records and a restore checks.
pub fn row_counts(conn: &mut AnyConnection) -> StorageResult<BTreeMap<String, i64>> {
    let mut counts = BTreeMap::new();
    for table in tables(conn)? {
        let query = format!(
            "SELECT count(*) AS rows FROM \"{}\"",
            table.replace('"', "\"\"")
        );
        let count: Count = match conn {
            AnyConnection::Sqlite(c) => diesel::sql_query(query).get_result(c)?,
            AnyConnection::Postgresql(c) => diesel::sql_query(query).get_result(c)?,
        };
        counts.insert(table, count.rows);
    }
    Ok(counts)
}

/// Whether any table but the migrations' bookkeeping holds a row: a database `restore` would
/// replace only with `--force`.
pub fn holds_data(counts: &BTreeMap<String, i64>) -> bool {
    counts
        .iter()
        .any(|(table, rows)| table != MIGRATIONS_TABLE && *rows > 0)
}

/// The schema migrations applied to this database, oldest first. Read with plain SQL, so asking
/// never creates the bookkeeping table (as diesel's harness would) in a file being checked.
pub fn applied_migrations(conn: &mut AnyConnection) -> StorageResult<Vec<String>> {
    let query = format!("SELECT version AS name FROM {MIGRATIONS_TABLE} ORDER BY version");
    let versions: Vec<Name> = match conn {
        AnyConnection::Sqlite(c) => diesel::sql_query(query).load(c),
        AnyConnection::Postgresql(c) => diesel::sql_query(query).load(c),
    }
    .map_err(|_| {
        StorageError::Corrupt("it holds no schema migrations: it is not a keepsafe database".into())
    })?;
    Ok(versions.into_iter().map(|v| v.name).collect())
}

/// Writes a consistent, standalone copy of a SQLite database to `target` with `VACUUM INTO`: it
/// reads one snapshot (writers carry on meanwhile, under WAL), leaves no write-ahead log behind,
/// and needs no unsafe access to SQLite's C backup API, which copies page by page and starts
/// again whenever another connection writes. `target` must not exist.
pub fn sqlite_copy(conn: &mut SqliteConnection, target: &Path) -> StorageResult<()> {
    let target = target
        .to_str()
        .ok_or_else(|| StorageError::Conflict("the backup path is not valid UTF-8".into()))?;
    conn.batch_execute(&format!("VACUUM INTO '{}'", target.replace('\'', "''")))?;
    Ok(())
}

/// SQLite's own check of every page and index, and of every foreign key: the problems found,
/// none when the file is sound.
pub fn sqlite_problems(conn: &mut SqliteConnection) -> StorageResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = Text)]
        integrity_check: String,
    }
    let lines: Vec<Line> = diesel::sql_query("PRAGMA integrity_check").load(conn)?;
    let mut problems: Vec<String> = lines
        .into_iter()
        .map(|l| l.integrity_check)
        .filter(|l| l != "ok")
        .collect();
    #[derive(QueryableByName)]
    struct Orphan {
        #[diesel(sql_type = Text)]
        table: String,
    }
    let orphans: Vec<Orphan> = diesel::sql_query("PRAGMA foreign_key_check").load(conn)?;
    problems.extend(
        orphans
            .into_iter()
            .map(|o| format!("a row of {} refers to a row that is not there", o.table)),
    );
    Ok(problems)
}

/// Opens a read-only, repeatable-read transaction on PostgreSQL and exports its snapshot, so
/// `pg_dump --snapshot` copies exactly what this connection then counts. The transaction stays
/// open until [`end_snapshot`]; use a connection of its own, not a pooled one.
pub fn export_snapshot(conn: &mut PgConnection) -> StorageResult<String> {
    conn.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
    let snapshot: Name =
        diesel::sql_query("SELECT pg_export_snapshot() AS name").get_result(conn)?;
    Ok(snapshot.name)
}

/// Ends the transaction [`export_snapshot`] began.
pub fn end_snapshot(conn: &mut PgConnection) -> StorageResult<()> {
    conn.batch_execute("COMMIT")?;
    Ok(())
}

/// The schema keepsafe's tables live in on this PostgreSQL connection (its search path's first).
pub fn current_schema(conn: &mut PgConnection) -> StorageResult<String> {
    let schema: Name =
        diesel::sql_query("SELECT current_schema()::text AS name").get_result(conn)?;
    Ok(schema.name)
}
