use crate::conformance;
use crate::support::conn;
use keepsafe_storage::audit::{self, AuditEntry, AuditFilter, Outcome};
use keepsafe_storage::{transaction, StorageError};

fn entry(actor: &str) -> AuditEntry {
    AuditEntry {
        staff_id: None,
        actor: actor.into(),
        action: "test".into(),
        outcome: Outcome::Allowed,
        person_id: None,
        crn: None,
        detail: String::new(),
    }
}

conformance!(a_failed_write_leaves_nothing_behind, |db| {
    let mut conn = conn(db);
    let result: Result<(), StorageError> = transaction::write(&mut conn, |conn| {
        audit::record(conn, &entry("half"), keepsafe_test_support::clock::now())?;
        Err(StorageError::Conflict("stop half-way".into()))
    });
    assert!(result.is_err());
    let rows = audit::recent(&mut conn, &AuditFilter::default(), 10).unwrap();
    assert!(rows.is_empty(), "the first insert was rolled back");
});

conformance!(concurrent_writers_all_succeed, |db| {
    let threads: Vec<_> = (0..6)
        .map(|t| {
            let database = db.database.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    let mut conn = database.connection().unwrap();
                    transaction::write(&mut conn, |conn| -> Result<(), StorageError> {
                        audit::record(
                            conn,
                            &entry(&format!("writer-{t}-{i}")),
                            keepsafe_test_support::clock::now(),
                        )?;
                        Ok(())
                    })
                    .unwrap_or_else(|e| panic!("writer {t} write {i} failed: {e}"));
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let mut conn = conn(db);
    assert_eq!(
        audit::recent(&mut conn, &AuditFilter::default(), 1000)
            .unwrap()
            .len(),
        150
    );
});
