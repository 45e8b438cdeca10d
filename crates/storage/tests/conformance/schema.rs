use crate::conformance;
use keepsafe_storage::{migrations, Database, StorageError};

conformance!(migrating_an_up_to_date_database_changes_nothing, |db| {
    let mut conn = db.database.connection().unwrap();
    let report = migrations::run_pending(&mut conn, &db.url).unwrap();
    assert!(report.applied_now.is_empty());
    assert!(report.already_applied >= 1);
    drop(conn);
    Database::open(&db.url).expect("opening again is idempotent");
});

conformance!(a_database_from_a_newer_keepsafe_is_refused, |db| {
    use diesel::connection::SimpleConnection;
    let mut conn = db.database.connection().unwrap();
    conn.batch_execute(
        "INSERT INTO __diesel_schema_migrations (version) VALUES ('29990101000000')",
    )
    .unwrap();
    drop(conn);
    match Database::open(&db.url) {
        Err(StorageError::NewerSchema { version, .. }) => assert_eq!(version, "29990101000000"),
        Err(other) => panic!("expected NewerSchema, got {other}"),
        Ok(_) => panic!("a newer database must be refused"),
    }
});
