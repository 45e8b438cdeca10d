//! `keepsafe export` and `keepsafe import`: a service's records leave as CSV files and come back
//! the same, bad files are refused with every problem by file and line, and an interrupted
//! import resumes without duplicates.

use super::{keepsafe, sqlite};
use diesel::{QueryDsl, RunQueryDsl};
use keepsafe_domain::dataset::FILES;
use keepsafe_storage::testing::{Backend, TestDatabase};
use keepsafe_storage::DatabaseUrl;
use keepsafe_test_support::app::{today, TestApp, SEED};
use keepsafe_test_support::cli::{sqlite_url, stderr, stdout, succeeded};
use keepsafe_test_support::demo::{install, small_region};
use std::path::Path;

/// The URL the command is given for a test database.
fn url_of(db: &TestDatabase) -> String {
    match &db.url {
        DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
        DatabaseUrl::Postgres(url) => url.clone(),
    }
}

/// Every dataset file in `dir`, by name, with its bytes.
fn files_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    FILES
        .iter()
        .map(|spec| {
            let name = spec.file_name();
            let bytes = std::fs::read(dir.join(&name)).unwrap();
            (name, bytes)
        })
        .collect()
}

/// Gives one person of the region an alias, a disability, a personal contact, a corrected date of
/// birth and a reviewed and ended registration, as the record pages would, so the round trip
/// carries those files too.
fn keep_record_details(db: &TestDatabase, region: &keepsafe_demo::DemoRegion) {
    use keepsafe_domain::person::{DateOfBirthCorrection, DisabilityKind, PersonalContactKind};
    use keepsafe_domain::registration::{RegistrationDetail, RegistrationKind};
    use keepsafe_storage::cases::{details, registrations};
    let person = region.people[0].id;
    let by = region.staff[0].id;
    let now = keepsafe_test_support::clock::now();
    let mut conn = db.database.connection().unwrap();
    keepsafe_storage::transaction::write(&mut conn, |conn| {
        let alias = details::NewAlias {
            first_name: "Jo".into(),
            last_name: "Blogs".into(),
            date_of_birth: None,
        };
        details::add_alias(conn, person, &alias, by, now)?;
        let disability = details::NewDisability {
            kind: DisabilityKind::Hearing,
            details: String::new(),
            adjustments: "Hearing loop".into(),
            start_date: today(),
        };
        details::add_disability(conn, person, &disability, by, now)?;
        let contact = details::PersonalContactFields {
            kind: PersonalContactKind::Gp,
            name: "Dr Patel".into(),
            relationship: "Riverside Surgery".into(),
            telephone: Some("01632960123".into()),
            email: None,
            address: String::new(),
            notes: String::new(),
        };
        details::add_personal_contact(conn, person, &contact, by, now)?;
        let born = details::date_of_birth(conn, person)?;
        let correction = DateOfBirthCorrection::new(
            born,
            Some(born - chrono::Duration::days(1)),
            "Passport",
            today(),
        )
        .unwrap();
        details::correct_date_of_birth(conn, person, &correction, by, now)?;
        let new = registrations::NewRegistration {
            detail: RegistrationDetail::new(RegistrationKind::Stalking, None, None).unwrap(),
            registered_on: today(),
            next_review_on: today() + chrono::Duration::weeks(4),
            notes: String::new(),
        };
        let (flag, _) = registrations::add(conn, person, &new, by, now)?;
        let review = registrations::NewReview {
            reviewed_on: today(),
            notes: "Still needed".into(),
            next_review_on: today() + chrono::Duration::weeks(8),
            mappa: None,
            rule_version: "test".into(),
        };
        registrations::review(conn, person, flag, &review, by, now)?;
        registrations::end(conn, person, flag, "No longer needed", by, now)?;
        Ok::<_, keepsafe_storage::StorageError>(())
    })
    .unwrap();
}

/// Exports the small demo region from `backend`, imports it into an empty database of the same
/// backend, exports that, and checks every file is byte for byte the same. Returns the database
/// the import created.
fn round_trip(backend: Backend) -> TestDatabase {
    let source = TestDatabase::new(backend);
    let region = small_region(SEED, today());
    install(&source, &region);
    keep_record_details(&source, &region);
    let folder = tempfile::tempdir().unwrap();
    let (first, second) = (folder.path().join("first"), folder.path().join("second"));
    let exported = succeeded(keepsafe(
        &url_of(&source),
        &["export", first.to_str().unwrap()],
    ));
    assert!(exported.contains("people.csv"), "{exported}");
    for file in [
        "person_aliases.csv",
        "person_disabilities.csv",
        "personal_contacts.csv",
        "person_corrections.csv",
        "registration_reviews.csv",
    ] {
        let text = std::fs::read_to_string(first.join(file)).unwrap();
        assert_eq!(
            text.lines().count(),
            2,
            "{file} holds its header and one row"
        );
    }

    let target = TestDatabase::new(backend);
    let imported = succeeded(keepsafe(
        &url_of(&target),
        &["import", first.to_str().unwrap()],
    ));
    assert!(imported.contains("0 skipped"), "{imported}");
    assert!(imported.contains("Recorded scores and tiers"), "{imported}");
    succeeded(keepsafe(
        &url_of(&target),
        &["export", second.to_str().unwrap()],
    ));

    let (before, after) = (files_in(&first), files_in(&second));
    for ((name, a), (_, b)) in before.iter().zip(&after) {
        assert!(a == b, "{name} differs after the round trip");
    }
    let contacts = &before
        .iter()
        .find(|(name, _)| name == "contacts.csv")
        .unwrap()
        .1;
    assert!(
        contacts.split(|b| *b == b'\n').count() > 100,
        "contacts were exported"
    );
    target
}

#[test]
fn export_then_import_into_an_empty_sqlite_database_then_export_gives_identical_files() {
    round_trip(Backend::Sqlite);
}

/// Also the scaling-out check: the server runs against a PostgreSQL database made by `import`.
#[tokio::test(flavor = "multi_thread")]
async fn a_postgresql_database_made_by_import_round_trips_and_serves_case_records() {
    let target = tokio::task::spawn_blocking(|| round_trip(Backend::Postgres))
        .await
        .unwrap();
    let app = TestApp::over(target, small_region(SEED, today()));
    let session = app.sign_in("po.demo").await;
    let crn = app.case_of("po.demo");
    let page = app.get(&format!("/cases/{crn}"), Some(&session)).await;
    assert_eq!(page.status, axum::http::StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(&crn));
}

#[test]
fn an_interrupted_import_resumes_where_it_stopped_without_duplicates() {
    let source = TestDatabase::sqlite();
    install(&source, &small_region(SEED, today()));
    let folder = tempfile::tempdir().unwrap();
    let (first, second) = (folder.path().join("first"), folder.path().join("second"));
    succeeded(keepsafe(
        &url_of(&source),
        &["export", first.to_str().unwrap()],
    ));
    let target = tempfile::tempdir().unwrap();
    let url = sqlite_url(target.path());
    let dir = first.to_str().unwrap();

    let stopped = keepsafe(
        &url,
        &[
            "import",
            dir,
            "--batch-size",
            "500",
            "--stop-after-batches",
            "8",
        ],
    );
    assert!(!stopped.status.success());
    assert!(
        stderr(&stopped).contains("stopped after 8 batch(es)"),
        "{}",
        stderr(&stopped)
    );
    let people: i64 = keepsafe_storage::schema::people::table
        .count()
        .get_result(&mut sqlite(target.path()))
        .unwrap();
    assert!(people > 0, "the committed batches stay written");

    let resumed = succeeded(keepsafe(&url, &["import", dir, "--batch-size", "500"]));
    let present: u64 = resumed
        .split(" already present")
        .next()
        .and_then(|before| before.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{resumed}"));
    assert!(
        present > 100,
        "the first run's rows are not written twice: {resumed}"
    );
    succeeded(keepsafe(&url, &["export", second.to_str().unwrap()]));
    for ((name, a), (_, b)) in files_in(&first).iter().zip(&files_in(&second)) {
        assert!(a == b, "{name} differs after resuming");
    }
}

#[test]
fn export_refuses_a_folder_that_already_holds_files_unless_forced() {
    let database = tempfile::tempdir().unwrap();
    let url = sqlite_url(database.path());
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("notes.txt"), "keep me").unwrap();
    let dir = folder.path().to_str().unwrap();

    let refused = keepsafe(&url, &["export", dir]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("already holds files"),
        "{}",
        stderr(&refused)
    );
    assert!(!folder.path().join("people.csv").exists());

    succeeded(keepsafe(&url, &["export", dir, "--force"]));
    assert!(folder.path().join("people.csv").exists());
}

const REGION: &str = "00000000-0000-4000-8000-000000000001";
const PDU: &str = "00000000-0000-4000-8000-000000000002";
const TEAM: &str = "00000000-0000-4000-8000-000000000003";
const STAFF: &str = "00000000-0000-4000-8000-000000000004";
const ANN: &str = "00000000-0000-4000-8000-000000000011";
const BEN: &str = "00000000-0000-4000-8000-000000000012";
const CAL: &str = "00000000-0000-4000-8000-000000000013";
const NOBODY: &str = "00000000-0000-4000-8000-000000000099";

/// A small dataset written by hand: one region, PDU, team and practitioner, and three people;
/// every other file holds only its header.
struct Dataset {
    dir: tempfile::TempDir,
}

impl Dataset {
    fn new() -> Self {
        let dataset = Dataset {
            dir: tempfile::tempdir().unwrap(),
        };
        for spec in FILES {
            dataset.write(spec.name, &[]);
        }
        dataset.write("regions", &[&format!("{REGION},R1,Test region")]);
        dataset.write("pdus", &[&format!("{PDU},{REGION},P1,Test PDU")]);
        dataset.write("teams", &[&format!("{TEAM},{PDU},T1,Test team")]);
        dataset.write(
            "staff",
            &[&format!(
                "{STAFF},Sam,Lowe,po,37.5,{REGION},{PDU},{TEAM},,,true,2026-11-18T09:00:00,,"
            )],
        );
        dataset.write(
            "people",
            &[
                &person(ANN, "X100001", "1990-01-31"),
                &person(BEN, "X100002", "1985-06-15"),
                &person(CAL, "X100003", "1979-11-02"),
            ],
        );
        dataset
    }

    /// Replaces `file`'s rows (after its header) with `rows`.
    fn write(&self, file: &str, rows: &[&str]) {
        let spec = keepsafe_domain::dataset::file(file).unwrap();
        let mut text = spec.header().join(",") + "\r\n";
        for row in rows {
            text.push_str(row);
            text.push_str("\r\n");
        }
        std::fs::write(self.dir.path().join(spec.file_name()), text).unwrap();
    }

    fn path(&self) -> &str {
        self.dir.path().to_str().unwrap()
    }
}

fn person(id: &str, crn: &str, born: &str) -> String {
    format!("{id},{crn},Pat,Doe,{born},female,{PDU},2026-11-18T09:00:00,,,,,,,,,false")
}

fn address(id: &str, person: &str) -> String {
    format!("{id},{person},1 High Street,,Leeds,LS1 1AA,main,2025-01-01,")
}

/// Imports `dataset` into a fresh SQLite database; returns the output and how many people the
/// database then holds.
fn import(dataset: &Dataset, extra: &[&str]) -> (std::process::Output, i64) {
    let database = tempfile::tempdir().unwrap();
    let mut args = vec!["import", dataset.path()];
    args.extend_from_slice(extra);
    let output = keepsafe(&sqlite_url(database.path()), &args);
    let people = keepsafe_storage::schema::people::table
        .count()
        .get_result(&mut sqlite(database.path()))
        .unwrap();
    (output, people)
}

/// The command failed, listed `problems` and said nothing was written, and nobody was written.
fn refused_with(output: std::process::Output, people: i64, problems: &[&str]) {
    let errors = stderr(&output);
    assert!(!output.status.success());
    for problem in problems {
        assert!(errors.contains(problem), "{problem}\nnot in\n{errors}");
    }
    assert!(errors.contains("nothing was written"), "{errors}");
    assert_eq!(people, 0);
}

#[test]
fn a_hand_written_dataset_without_problems_imports_completely() {
    let (output, people) = import(&Dataset::new(), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(people, 3);
}

#[test]
fn import_with_a_missing_file_or_a_wrong_header_names_the_file_and_writes_nothing() {
    let dataset = Dataset::new();
    std::fs::remove_file(dataset.dir.path().join("contacts.csv")).unwrap();
    std::fs::write(dataset.dir.path().join("events.csv"), "id,person\r\n").unwrap();
    let (output, people) = import(&dataset, &[]);
    refused_with(
        output,
        people,
        &[
            "contacts.csv: the file is missing",
            "events.csv:1: the header should be \"id,person_id,event_number,",
        ],
    );
}

#[test]
fn import_with_a_bad_date_lists_the_file_and_line() {
    let dataset = Dataset::new();
    dataset.write(
        "people",
        &[
            &person(ANN, "X100001", "1990-01-31"),
            &person(BEN, "X100002", "1985-02-30"),
        ],
    );
    let (output, people) = import(&dataset, &[]);
    refused_with(
        output,
        people,
        &["people.csv:3: date_of_birth: '1985-02-30' is not a date (YYYY-MM-DD)"],
    );
}

#[test]
fn import_with_a_duplicate_crn_or_a_bad_code_lists_every_problem() {
    let dataset = Dataset::new();
    let bad_sex = person(CAL, "X100003", "1979-11-02").replace("female", "unknown");
    dataset.write(
        "people",
        &[
            &person(ANN, "X100001", "1990-01-31"),
            &person(BEN, "X100001", "1985-06-15"),
            &bad_sex,
        ],
    );
    let (output, people) = import(&dataset, &[]);
    refused_with(
        output,
        people,
        &[
            "people.csv:3: crn: X100001 is also on line 2",
            "people.csv:4: sex: 'unknown' is not a known sex (one of: male, female)",
        ],
    );
}

#[test]
fn import_with_a_reference_to_a_person_not_in_the_files_or_database_lists_it() {
    let dataset = Dataset::new();
    dataset.write(
        "addresses",
        &[
            &address("00000000-0000-4000-8000-000000000021", ANN),
            &address("00000000-0000-4000-8000-000000000022", NOBODY),
        ],
    );
    let (output, people) = import(&dataset, &[]);
    refused_with(
        output,
        people,
        &[&format!(
            "addresses.csv:3: person_id: {NOBODY} is not in people.csv or the database"
        )],
    );
}

#[test]
fn a_partial_import_writes_the_rows_without_problems_and_lists_the_rest_with_reasons() {
    let dataset = Dataset::new();
    dataset.write(
        "people",
        &[
            &person(ANN, "X100001", "1990-01-31"),
            &person(BEN, "X100002", "1985-02-30"),
        ],
    );
    dataset.write(
        "addresses",
        &[
            &address("00000000-0000-4000-8000-000000000021", ANN),
            &address("00000000-0000-4000-8000-000000000022", BEN),
        ],
    );
    let (output, people) = import(&dataset, &["--partial"]);
    let printed = stdout(&output);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(people, 1);
    assert!(
        printed.contains("people.csv:3: date_of_birth: '1985-02-30' is not a date"),
        "{printed}"
    );
    assert!(
        printed.contains(&format!(
            "addresses.csv:3: person_id: {BEN} is on line 3 of people.csv, which has problems"
        )),
        "{printed}"
    );
    let people_line = printed
        .lines()
        .find(|line| line.starts_with("people.csv "))
        .unwrap();
    let counts: Vec<&str> = people_line.split_whitespace().skip(1).collect();
    assert_eq!(
        counts,
        ["2", "1", "0", "1"],
        "read, written, already present, skipped"
    );
}
