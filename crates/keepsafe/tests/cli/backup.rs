//! `keepsafe backup` and `keepsafe restore`: a backup brings the database back exactly as it was
//! when taken, on both backends; a damaged backup is refused before anything is touched.

use super::{keepsafe, small_demo, sqlite};
use diesel::connection::SimpleConnection;
use keepsafe_storage::testing::TestDatabase;
use keepsafe_storage::{backup, AnyConnection, DatabaseUrl};
use keepsafe_test_support::app::{today, SEED};
use keepsafe_test_support::cli::{database_path, stderr, succeeded};
use keepsafe_test_support::demo::{install, small_region};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// Rows of every table of the database at `url`.
fn rows_of(url: &str) -> BTreeMap<String, i64> {
    let mut conn = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    backup::row_counts(&mut conn).unwrap()
}

/// Every file `keepsafe export` writes for the database at `url`, by name, with its bytes.
fn exported(url: &str, folder: &Path) -> BTreeMap<String, Vec<u8>> {
    succeeded(keepsafe(url, &["export", folder.to_str().unwrap()]));
    std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(path).unwrap())
        })
        .collect()
}

/// Changes the record after a backup: an account added, the audit log emptied.
fn change(url: &str) {
    succeeded(keepsafe(
        url,
        &[
            "user",
            "add",
            "--username",
            "late.arrival",
            "--first-name",
            "Late",
            "--last-name",
            "Arrival",
            "--grade",
            "admin",
            "--region",
            "MSF",
        ],
    ));
    let mut conn = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    match &mut conn {
        AnyConnection::Sqlite(c) => c.batch_execute("DELETE FROM audit_log").unwrap(),
        AnyConnection::Postgresql(c) => c.batch_execute("DELETE FROM audit_log").unwrap(),
    }
}

fn sha256_of(path: &Path) -> Vec<u8> {
    Sha256::digest(std::fs::read(path).unwrap()).to_vec()
}

#[test]
fn a_sqlite_backup_restores_every_row_as_it_was_when_taken() {
    let (folder, url) = small_demo();
    // Exporting is itself audit-logged, so the rows are counted after it, as the backup holds them.
    let before = exported(&url, &folder.path().join("before"));
    let before_rows = rows_of(&url);
    let file = folder.path().join("keepsafe.backup");
    let said = succeeded(keepsafe(&url, &["backup", file.to_str().unwrap()]));
    assert!(said.contains("Backed up SQLite file"), "{said}");

    change(&url);
    assert_ne!(rows_of(&url), before_rows, "the change is made");
    let refused = keepsafe(&url, &["restore", file.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("holds data") && stderr(&refused).contains("--force"),
        "{}",
        stderr(&refused)
    );

    let said = succeeded(keepsafe(
        &url,
        &["restore", file.to_str().unwrap(), "--force"],
    ));
    assert!(
        said.contains("all checked against the backup's manifest"),
        "{said}"
    );
    assert_eq!(rows_of(&url), before_rows);
    assert_eq!(exported(&url, &folder.path().join("after")), before);
    let leftovers: Vec<_> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("restoring") || name.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_cut_short_or_altered_backup_is_refused_and_the_database_is_untouched() {
    let (folder, url) = small_demo();
    let file = folder.path().join("keepsafe.backup");
    succeeded(keepsafe(&url, &["backup", file.to_str().unwrap()]));
    let good = std::fs::read(&file).unwrap();
    let manifest_end = good.iter().position(|b| *b == b'\n').unwrap() + 20;
    let mut cut = good.clone();
    cut.truncate(good.len() - 4096);
    let mut flipped = good.clone();
    flipped[good.len() / 2] ^= 0x01;
    let mut manifest_flipped = good.clone();
    manifest_flipped[manifest_end] ^= 0x01;
    let database = database_path(folder.path());
    let untouched = sha256_of(&database);

    for (damage, bytes, expected) in [
        ("cut short", cut, "cut short"),
        (
            "one byte of data flipped",
            flipped,
            "does not match its SHA-256",
        ),
        ("one byte of manifest flipped", manifest_flipped, "damaged"),
        ("empty", Vec::new(), "not a keepsafe backup"),
    ] {
        let damaged = folder.path().join("damaged.backup");
        std::fs::write(&damaged, bytes).unwrap();
        let output = keepsafe(&url, &["restore", damaged.to_str().unwrap(), "--force"]);
        let message = stderr(&output);
        assert!(!output.status.success(), "{damage}: restored");
        assert!(message.contains(expected), "{damage}: {message}");
        assert!(
            message.contains("othing was changed"),
            "{damage}: {message}"
        );
        assert_eq!(message.lines().count(), 1, "{damage}: {message}");
        assert_eq!(
            sha256_of(&database),
            untouched,
            "{damage}: database changed"
        );
    }
    let mut conn = sqlite(folder.path());
    let problems = backup::sqlite_problems(&mut conn).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn backup_refuses_to_replace_a_file_unless_forced() {
    let (folder, url) = small_demo();
    let file = folder.path().join("keepsafe.backup");
    std::fs::write(&file, "keep me").unwrap();
    let refused = keepsafe(&url, &["backup", file.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("already exists"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"keep me");
    succeeded(keepsafe(
        &url,
        &["backup", file.to_str().unwrap(), "--force"],
    ));
    assert!(std::fs::read(&file)
        .unwrap()
        .starts_with(b"keepsafe-backup 1 "));
}

#[test]
fn a_restore_into_a_new_sqlite_file_makes_the_database() {
    let (folder, url) = small_demo();
    let file = folder.path().join("keepsafe.backup");
    succeeded(keepsafe(&url, &["backup", file.to_str().unwrap()]));
    let elsewhere = tempfile::tempdir().unwrap();
    let new_url = keepsafe_test_support::cli::sqlite_url(elsewhere.path());
    succeeded(keepsafe(&new_url, &["restore", file.to_str().unwrap()]));
    assert_eq!(rows_of(&new_url), rows_of(&url));
}

#[test]
fn a_postgresql_backup_restores_every_row_as_it_was_when_taken() {
    let db = TestDatabase::postgres();
    install(&db, &small_region(SEED, today()));
    let DatabaseUrl::Postgres(url) = db.url.clone() else {
        unreachable!()
    };
    let folder = tempfile::tempdir().unwrap();
    // Exporting is itself audit-logged, so the rows are counted after it, as the backup holds them.
    let before = exported(&url, &folder.path().join("before"));
    let before_rows = rows_of(&url);
    let file = folder.path().join("keepsafe.backup");
    let said = succeeded(keepsafe(&url, &["backup", file.to_str().unwrap()]));
    assert!(said.contains("Backed up PostgreSQL"), "{said}");

    change(&url);
    let mut flipped = std::fs::read(&file).unwrap();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x01;
    let damaged = folder.path().join("damaged.backup");
    std::fs::write(&damaged, flipped).unwrap();
    let changed_rows = rows_of(&url);
    let refused = keepsafe(&url, &["restore", damaged.to_str().unwrap(), "--force"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("othing was changed"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(
        rows_of(&url),
        changed_rows,
        "the damaged backup changed nothing"
    );

    let sqlite_folder = tempfile::tempdir().unwrap();
    let sqlite_url = keepsafe_test_support::cli::sqlite_url(sqlite_folder.path());
    let wrong = keepsafe(&sqlite_url, &["restore", file.to_str().unwrap()]);
    assert!(
        stderr(&wrong).contains("keepsafe export and keepsafe import"),
        "{}",
        stderr(&wrong)
    );

    succeeded(keepsafe(
        &url,
        &["restore", file.to_str().unwrap(), "--force"],
    ));
    assert_eq!(rows_of(&url), before_rows);
    assert_eq!(exported(&url, &folder.path().join("after")), before);
}
