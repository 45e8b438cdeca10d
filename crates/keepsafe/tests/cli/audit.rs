//! `keepsafe audit verify`: the audit log's hash chain holds for a log written by keepsafe, on
//! both backends, and a row altered or deleted with SQL is named as the first broken link.

use super::keepsafe;
use diesel::connection::SimpleConnection;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::testing::{Backend, TestDatabase};
use keepsafe_storage::{transaction, DatabaseUrl};
use keepsafe_test_support::cli::{stderr, stdout, succeeded};
use keepsafe_test_support::clock::now;

fn url_of(db: &TestDatabase) -> String {
    match &db.url {
        DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
        DatabaseUrl::Postgres(url) => url.clone(),
    }
}

fn entry(n: usize) -> AuditEntry {
    AuditEntry {
        staff_id: None,
        actor: "tester".into(),
        action: "view_case".into(),
        outcome: Outcome::Allowed,
        person_id: None,
        crn: Some(format!("X{n:06}")),
        detail: format!("row {n}"),
    }
}

/// A database whose log holds ten rows, written as keepsafe writes them: several to a
/// transaction, and one outside any.
fn logged(backend: Backend) -> TestDatabase {
    let db = TestDatabase::new(backend);
    let mut conn = db.database.connection().unwrap();
    for batch in 0..3 {
        transaction::write(&mut conn, |conn| {
            for n in 0..3 {
                audit::record(conn, &entry(batch * 3 + n), now())?;
            }
            Ok::<_, keepsafe_storage::StorageError>(())
        })
        .unwrap();
    }
    audit::record(&mut conn, &entry(9), now()).unwrap();
    db
}

/// The id of the `n`th row of the log (from 1), by its place in the chain.
fn id_at(db: &TestDatabase, position: i64) -> i64 {
    use diesel::prelude::*;
    use keepsafe_storage::schema::audit_log;
    audit_log::table
        .filter(audit_log::chain_position.eq(position))
        .select(audit_log::id)
        .first(&mut *db.database.connection().unwrap())
        .unwrap()
}

fn sql(db: &TestDatabase, statement: &str) {
    db.database
        .connection()
        .unwrap()
        .batch_execute(statement)
        .unwrap();
}

fn an_intact_log_verifies(backend: Backend) {
    let db = logged(backend);
    let out = succeeded(keepsafe(&url_of(&db), &["audit", "verify"]));
    assert!(out.contains("10 rows verified, chain intact"), "{out}");
    // The check is itself logged, and chained: the next check counts it.
    let out = succeeded(keepsafe(&url_of(&db), &["audit", "verify"]));
    assert!(out.contains("11 rows verified, chain intact"), "{out}");
}

#[test]
fn an_intact_log_verifies_on_sqlite() {
    an_intact_log_verifies(Backend::Sqlite);
}

#[test]
fn an_intact_log_verifies_on_postgres() {
    an_intact_log_verifies(Backend::Postgres);
}

fn an_altered_row_is_reported(backend: Backend) {
    let db = logged(backend);
    let altered = id_at(&db, 5);
    sql(
        &db,
        &format!("UPDATE audit_log SET detail = 'nothing to see' WHERE id = {altered}"),
    );
    let output = keepsafe(&url_of(&db), &["audit", "verify"]);
    assert!(!output.status.success(), "{}", stdout(&output));
    let message = stderr(&output);
    assert!(
        message.contains(&format!("at position 5, row {altered}")),
        "{message}"
    );
    assert!(
        message.contains("the row was changed after it was written"),
        "{message}"
    );
    assert!(message.contains("4 rows before it verified"), "{message}");
}

#[test]
fn a_row_altered_with_sql_is_reported_on_sqlite() {
    an_altered_row_is_reported(Backend::Sqlite);
}

#[test]
fn a_row_altered_with_sql_is_reported_on_postgres() {
    an_altered_row_is_reported(Backend::Postgres);
}

fn a_deleted_row_is_reported(backend: Backend) {
    let db = logged(backend);
    let deleted = id_at(&db, 3);
    let after = id_at(&db, 4);
    sql(&db, &format!("DELETE FROM audit_log WHERE id = {deleted}"));
    let output = keepsafe(&url_of(&db), &["audit", "verify"]);
    assert!(!output.status.success(), "{}", stdout(&output));
    let message = stderr(&output);
    assert!(
        message.contains(&format!("at position 4, row {after}")),
        "{message}"
    );
    assert!(
        message.contains("1 row before this one is missing (deleted)"),
        "{message}"
    );
}

#[test]
fn a_row_deleted_with_sql_is_reported_as_a_gap_on_sqlite() {
    a_deleted_row_is_reported(Backend::Sqlite);
}

#[test]
fn a_row_deleted_with_sql_is_reported_as_a_gap_on_postgres() {
    a_deleted_row_is_reported(Backend::Postgres);
}

#[test]
fn the_last_row_deleted_is_reported() {
    let db = logged(Backend::Sqlite);
    let last = id_at(&db, 10);
    sql(&db, &format!("DELETE FROM audit_log WHERE id = {last}"));
    let output = keepsafe(&url_of(&db), &["audit", "verify"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("the last 1 rows of the log are missing (deleted)"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn two_rows_swapped_are_reported_as_out_of_order() {
    let db = logged(Backend::Sqlite);
    let (third, fourth) = (id_at(&db, 3), id_at(&db, 4));
    sql(
        &db,
        &format!(
            "UPDATE audit_log SET chain_position = -1 WHERE id = {third};
             UPDATE audit_log SET chain_position = 3 WHERE id = {fourth};
             UPDATE audit_log SET chain_position = 4 WHERE id = {third};"
        ),
    );
    let output = keepsafe(&url_of(&db), &["audit", "verify"]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains(&format!("at position 3, row {fourth}")),
        "{message}"
    );
    assert!(
        message.contains("does not follow the row before it"),
        "{message}"
    );
}

/// A database written before the chain existed is chained when keepsafe first opens it.
#[test]
fn rows_written_before_the_chain_are_chained_when_keepsafe_opens_the_database() {
    let db = logged(Backend::Sqlite);
    sql(
        &db,
        &format!(
            "UPDATE audit_log SET chain_position = NULL, previous_hash = NULL, row_hash = NULL;
             UPDATE audit_chain_head SET last_position = 0, last_hash = '{}';",
            audit::chain::GENESIS
        ),
    );
    let out = succeeded(keepsafe(&url_of(&db), &["audit", "verify"]));
    assert!(out.contains("10 rows verified, chain intact"), "{out}");
}

/// The demo region, as `keepsafe demo` loads it, verifies.
#[test]
fn the_demo_database_verifies() {
    let (_folder, url) = super::small_demo();
    let out = succeeded(keepsafe(&url, &["audit", "verify"]));
    assert!(out.contains("chain intact"), "{out}");
}
