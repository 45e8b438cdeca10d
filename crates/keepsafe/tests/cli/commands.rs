//! The `keepsafe` command as an operator uses it: each failure is one clear line and a non-zero
//! exit; each success says what it did.

use crate::{keepsafe, KEEPSAFE};
use keepsafe_test_support::cli::{sqlite_url, stderr, stdout};

/// How many schema migrations keepsafe ships (one folder each).
fn migrations_shipped() -> usize {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../storage/migrations/sqlite");
    std::fs::read_dir(folder)
        .expect("the migrations folder")
        .filter(|entry| entry.as_ref().is_ok_and(|e| e.path().is_dir()))
        .count()
}

#[test]
fn migrate_creates_the_schema_once_and_then_reports_it_up_to_date() {
    let folder = tempfile::tempdir().unwrap();
    let url = sqlite_url(folder.path());
    let first = keepsafe(&url, &["migrate"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains(&format!("Applied {} migration(s)", migrations_shipped())),
        "{}",
        stdout(&first)
    );
    let second = keepsafe(&url, &["migrate"]);
    assert!(
        stdout(&second).contains("is up to date"),
        "{}",
        stdout(&second)
    );
}

#[test]
fn a_sqlite_path_in_a_missing_folder_is_one_clear_error() {
    let output = keepsafe("sqlite:///no/such/folder/keepsafe.db", &["migrate"]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.starts_with("error: cannot open or create the SQLite database"),
        "{message}"
    );
    assert!(message.contains("does not exist"), "{message}");
}

#[test]
fn an_unreachable_postgres_is_one_clear_error() {
    let output = keepsafe("postgres://postgres@127.0.0.1:1/test", &["migrate"]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.contains(
            "cannot reach the PostgreSQL database at postgres://postgres@127.0.0.1:1/test"
        ),
        "{message}"
    );
}

#[test]
fn an_unknown_database_scheme_is_refused() {
    let output = keepsafe("mysql://root@localhost/keepsafe", &["migrate"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("use sqlite://PATH"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_database_from_a_newer_keepsafe_is_refused() {
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    let folder = tempfile::tempdir().unwrap();
    let url = sqlite_url(folder.path());
    assert!(keepsafe(&url, &["migrate"]).status.success());
    let mut conn =
        diesel::SqliteConnection::establish(folder.path().join("keepsafe.db").to_str().unwrap())
            .unwrap();
    conn.batch_execute(
        "INSERT INTO __diesel_schema_migrations (version) VALUES ('29990101000000')",
    )
    .unwrap();
    drop(conn);
    let output = keepsafe(&url, &["user", "list"]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("written by a newer keepsafe"), "{message}");
}

#[test]
fn a_port_in_use_is_one_clear_error() {
    let folder = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let output = keepsafe(&sqlite_url(folder.path()), &["serve", "--listen", &address]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains(&format!(
            "cannot listen on {address}: the port is already in use"
        )),
        "{message}"
    );
}

#[test]
fn the_demo_loads_once_and_prints_a_sign_in_for_every_role() {
    let folder = tempfile::tempdir().unwrap();
    let url = sqlite_url(folder.path());
    let first = keepsafe(&url, &["demo", "--scale", "small", "--no-serve"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let text = stdout(&first);
    assert!(text.contains("Created the demo region"), "{text}");
    for username in [
        "po.demo",
        "pso.demo",
        "trainee.demo",
        "spo.demo",
        "head.demo",
        "vlo.demo",
        "quality.demo",
        "admin.demo",
        "police.demo",
        "council.demo",
        "adults.demo",
    ] {
        assert!(text.contains(username), "{username} is printed");
    }
    assert!(text.contains(keepsafe_demo_password()));
    let again = keepsafe(&url, &["demo", "--scale", "small", "--no-serve"]);
    assert!(
        stdout(&again).contains("already holds data"),
        "{}",
        stdout(&again)
    );
    let listed = keepsafe(&url, &["user", "list"]);
    assert_eq!(stdout(&listed).matches(".demo").count(), 11);
}

fn keepsafe_demo_password() -> &'static str {
    "keepsafe-demo-2026"
}

#[test]
fn an_unknown_demo_scale_lists_the_valid_ones() {
    let folder = tempfile::tempdir().unwrap();
    let output = keepsafe(
        &sqlite_url(folder.path()),
        &["demo", "--scale", "huge", "--no-serve"],
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("small, region"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_administrator_adds_an_account_and_resets_its_password() {
    let folder = tempfile::tempdir().unwrap();
    let url = sqlite_url(folder.path());
    assert!(keepsafe(&url, &["demo", "--scale", "small", "--no-serve"])
        .status
        .success());

    let added = KEEPSAFE.run_with_input(
        &url,
        &[
            "user",
            "add",
            "--username",
            "Sam.Okafor",
            "--first-name",
            "Sam",
            "--last-name",
            "Okafor",
            "--grade",
            "pso",
            "--team",
            "midw-t1",
            "--password-stdin",
        ],
        Some("a long enough password\n"),
    );
    assert!(added.status.success(), "{}", stderr(&added));
    assert!(stdout(&added).contains("Added sam.okafor"));
    assert!(!stdout(&added).contains("Password (shown once)"));

    let listed = stdout(&keepsafe(&url, &["user", "list"]));
    assert!(listed.contains("sam.okafor"), "{listed}");

    let reset = keepsafe(
        &url,
        &["user", "reset-password", "--username", "sam.okafor"],
    );
    assert!(reset.status.success(), "{}", stderr(&reset));
    assert!(
        stdout(&reset).contains("Password (shown once): "),
        "a generated password is printed once"
    );

    let duplicate = KEEPSAFE.run_with_input(
        &url,
        &[
            "user",
            "add",
            "--username",
            "sam.okafor",
            "--first-name",
            "S",
            "--last-name",
            "O",
            "--grade",
            "pso",
            "--team",
            "MIDW-T1",
            "--password-stdin",
        ],
        Some("another long password"),
    );
    assert!(!duplicate.status.success());
    assert!(
        stderr(&duplicate).contains("already taken"),
        "{}",
        stderr(&duplicate)
    );
}

#[test]
fn account_details_are_validated_with_messages_that_say_what_to_do() {
    let folder = tempfile::tempdir().unwrap();
    let url = sqlite_url(folder.path());
    assert!(keepsafe(&url, &["demo", "--scale", "small", "--no-serve"])
        .status
        .success());
    let cases = [
        (
            vec!["--grade", "boss", "--team", "MIDW-T1"],
            "use one of: po, pso",
        ),
        (vec!["--grade", "po"], "needs --team CODE"),
        (
            vec!["--grade", "po", "--team", "NOPE"],
            "there is no team with code NOPE",
        ),
        (vec!["--grade", "head_of_pdu"], "needs --pdu CODE"),
    ];
    for (extra, expected) in cases {
        let mut args = vec![
            "user",
            "add",
            "--username",
            "new.user",
            "--first-name",
            "New",
            "--last-name",
            "User",
            "--password-stdin",
        ];
        args.extend(extra.iter().copied());
        let output = KEEPSAFE.run_with_input(&url, &args, Some("a long enough password"));
        assert!(!output.status.success(), "{args:?}");
        assert!(
            stderr(&output).contains(expected),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    let short = KEEPSAFE.run_with_input(
        &url,
        &[
            "user",
            "add",
            "--username",
            "new.user",
            "--first-name",
            "New",
            "--last-name",
            "User",
            "--grade",
            "po",
            "--team",
            "MIDW-T1",
            "--password-stdin",
        ],
        Some("short"),
    );
    assert!(
        stderr(&short).contains("at least 12 characters"),
        "{}",
        stderr(&short)
    );
    let unknown = keepsafe(
        &url,
        &["user", "reset-password", "--username", "nobody.here"],
    );
    assert!(
        stderr(&unknown).contains("there is no account called nobody.here"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn every_command_explains_itself() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["demo", "--help"],
        vec!["migrate", "--help"],
        vec!["user", "add", "--help"],
        vec!["user", "reset-password", "--help"],
        vec!["partner", "add", "--help"],
        vec!["partner", "token", "create", "--help"],
        vec!["quality", "import", "--help"],
        vec!["inspect", "--help"],
    ] {
        let output = keepsafe("sqlite://unused.db", &args);
        assert!(output.status.success(), "{args:?}");
        assert!(stdout(&output).contains("Usage:"), "{args:?}");
    }
}

#[test]
fn an_administrator_adds_a_partner_with_a_user_and_issues_and_revokes_a_token() {
    let folder = tempfile::tempdir().unwrap();
    let url = sqlite_url(folder.path());
    assert!(keepsafe(&url, &["demo", "--scale", "small", "--no-serve"])
        .status
        .success());

    let added = keepsafe(
        &url,
        &[
            "partner",
            "add",
            "--code",
            "fenpol",
            "--name",
            "Fenland Police",
            "--kind",
            "police_force",
            "--region",
            "MSF",
        ],
    );
    assert!(added.status.success(), "{}", stderr(&added));
    assert!(stdout(&added).contains("code FENPOL"), "{}", stdout(&added));
    let again = keepsafe(
        &url,
        &[
            "partner",
            "add",
            "--code",
            "FENPOL",
            "--name",
            "Fenland Police",
            "--kind",
            "police_force",
            "--region",
            "MSF",
        ],
    );
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already a partner organisation with code FENPOL"));
    let bad_kind = keepsafe(
        &url,
        &[
            "partner",
            "add",
            "--code",
            "X1",
            "--name",
            "X",
            "--kind",
            "probation",
            "--region",
            "MSF",
        ],
    );
    assert!(
        stderr(&bad_kind).contains("use one of: police_force"),
        "{}",
        stderr(&bad_kind)
    );
    assert!(stdout(&keepsafe(&url, &["partner", "list"])).contains("Fenland Police"));

    let user = KEEPSAFE.run_with_input(
        &url,
        &[
            "user",
            "add",
            "--username",
            "fen.officer",
            "--first-name",
            "Alex",
            "--last-name",
            "Reed",
            "--grade",
            "partner",
            "--partner",
            "FENPOL",
            "--password-stdin",
        ],
        Some("a long enough password\n"),
    );
    assert!(user.status.success(), "{}", stderr(&user));
    let no_partner = KEEPSAFE.run_with_input(
        &url,
        &[
            "user",
            "add",
            "--username",
            "fen.other",
            "--first-name",
            "Alex",
            "--last-name",
            "Reed",
            "--grade",
            "partner",
            "--password-stdin",
        ],
        Some("a long enough password\n"),
    );
    assert!(
        stderr(&no_partner).contains("--partner CODE"),
        "{}",
        stderr(&no_partner)
    );

    let issued = keepsafe(
        &url,
        &[
            "partner",
            "token",
            "create",
            "--partner",
            "FENPOL",
            "--name",
            "Force records",
        ],
    );
    assert!(issued.status.success(), "{}", stderr(&issued));
    let text = stdout(&issued);
    assert!(text.contains("Token (shown once"), "{text}");
    assert!(text.contains("ksp_"));
    let id = text
        .split("Issued token ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_owned();
    let revoked = keepsafe(&url, &["partner", "token", "revoke", "--id", &id]);
    assert!(revoked.status.success(), "{}", stderr(&revoked));
    let unknown = keepsafe(
        &url,
        &[
            "partner",
            "token",
            "revoke",
            "--id",
            "00000000-0000-4000-8000-000000000000",
        ],
    );
    assert!(stderr(&unknown).contains("no token with id"));
}

#[test]
fn an_administrator_gives_a_partner_its_own_deadline_and_takes_it_away() {
    let folder = tempfile::tempdir().unwrap();
    let url = sqlite_url(folder.path());
    assert!(keepsafe(&url, &["demo", "--scale", "small", "--no-serve"])
        .status
        .success());
    let set = |args: &[&str]| {
        let mut all = vec!["partner", "deadline"];
        all.extend_from_slice(args);
        keepsafe(&url, &all)
    };

    let longer = set(&[
        "--partner",
        "MIDCS",
        "--type",
        "childrens_services",
        "--working-days",
        "15",
        "--reason",
        "Agreed at the information-sharing review",
    ]);
    assert!(longer.status.success(), "{}", stderr(&longer));
    assert!(
        stdout(&longer).contains("now has 15 working days"),
        "{}",
        stdout(&longer)
    );
    let listed = stdout(&keepsafe(&url, &["partner", "list"]));
    assert!(
        listed.contains("own deadline: 15 working days for children's services safeguarding check"),
        "{listed}"
    );

    // A police force is never sent safeguarding requests; a reason is required; zero days is not a
    // deadline; an unknown type names the known ones.
    let wrong = set(&[
        "--partner",
        "MIDPOL",
        "--type",
        "childrens_services",
        "--working-days",
        "5",
        "--reason",
        "x",
    ]);
    assert!(
        stderr(&wrong).contains("not sent children's services"),
        "{}",
        stderr(&wrong)
    );
    let no_reason = set(&[
        "--partner",
        "MIDCS",
        "--type",
        "occupier",
        "--working-days",
        "5",
    ]);
    assert!(!no_reason.status.success());
    let zero = set(&[
        "--partner",
        "MIDCS",
        "--type",
        "occupier",
        "--working-days",
        "0",
        "--reason",
        "x",
    ]);
    assert!(stderr(&zero).contains("at least 1"), "{}", stderr(&zero));
    let unknown = set(&[
        "--partner",
        "MIDCS",
        "--type",
        "housing",
        "--working-days",
        "5",
        "--reason",
        "x",
    ]);
    assert!(
        stderr(&unknown).contains("police_domestic_abuse, childrens_services, occupier"),
        "{}",
        stderr(&unknown)
    );

    let back = set(&[
        "--partner",
        "MIDCS",
        "--type",
        "childrens_services",
        "--standard",
    ]);
    assert!(back.status.success(), "{}", stderr(&back));
    assert!(stdout(&back).contains("back on the standard 10 working days"));
    assert!(!stdout(&keepsafe(&url, &["partner", "list"])).contains("own deadline"));
}
