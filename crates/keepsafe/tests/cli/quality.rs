//! `keepsafe quality import` and `keepsafe inspect` on the small demo region, as a quality team
//! uses them: a whole file checked before anything is written, every problem named by its line,
//! only staff who run quality assurance for the unit may import, and the report in three formats.

use crate::{keepsafe, small_demo, sqlite};
use diesel::prelude::*;
use keepsafe_storage::schema::{allocations, people, quality_audits, quality_judgements};
use keepsafe_test_support::cli::{stderr, stdout};
use std::path::Path;
use std::process::Output;

/// Two allocated cases of the demo PDU.
fn two_cases(folder: &Path) -> (String, String) {
    let crns: Vec<String> = people::table
        .inner_join(allocations::table)
        .filter(allocations::end_date.is_null())
        .order(people::crn)
        .select(people::crn)
        .limit(2)
        .load(&mut sqlite(folder))
        .unwrap();
    (crns[0].clone(), crns[1].clone())
}

fn counts(folder: &Path) -> (i64, i64) {
    let mut conn = sqlite(folder);
    (
        quality_audits::table.count().get_result(&mut conn).unwrap(),
        quality_judgements::table
            .count()
            .get_result(&mut conn)
            .unwrap(),
    )
}

const QUESTIONS: [&str; 8] = [
    "2.1.engagement",
    "2.1.safe",
    "2.2.engagement",
    "2.2.safe",
    "2.3.engagement",
    "2.3.safe",
    "2.4.engagement",
    "2.4.safe",
];

fn audit_rows(crn: &str, auditor: &str, role: &str, skip: Option<&str>) -> String {
    QUESTIONS
        .iter()
        .filter(|q| Some(**q) != skip)
        .map(|q| {
            let (answer, reason) = if *q == "2.1.safe" && role == "audit" {
                ("no", "No police domestic-abuse check was requested")
            } else {
                ("yes", "")
            };
            format!("hmip-pdu-2023,{crn},{q},{answer},\"{reason}\",{auditor},2026-11-20,{role}\n")
        })
        .collect()
}

/// `keepsafe quality import FILE --unit UNIT --recorded-by USER` and any `extra` flags.
fn import(url: &str, file: &str, unit: &str, user: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "quality",
        "import",
        file,
        "--unit",
        unit,
        "--recorded-by",
        user,
    ];
    args.extend_from_slice(extra);
    keepsafe(url, &args)
}

const HEADER: &str = "framework,crn,question,answer,reason,auditor,audited_on,role\n";

fn write(folder: &Path, name: &str, text: &str) -> String {
    let path = folder.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn an_audit_file_is_imported_with_its_moderation_and_the_panels_judgement() {
    let (folder, url) = small_demo();
    let (first, _) = two_cases(folder.path());
    let before = counts(folder.path());
    let file = write(
        folder.path(),
        "audits.csv",
        &format!(
            "{HEADER}{}{}hmip-pdu-2023,,1.2,requires improvement,High vacancies,Ratings panel,2026-11-21,\n",
            audit_rows(&first, "Ann Auditor", "audit", None),
            audit_rows(&first, "Mo Derator", "moderation", None),
        ),
    );
    let dry = import(&url, &file, "pdu/MIDW", "quality.demo", &["--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(stdout(&dry).contains("nothing written"), "{}", stdout(&dry));
    assert_eq!(counts(folder.path()), before, "a dry run writes nothing");

    let output = import(&url, &file, "pdu/MIDW", "quality.demo", &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("Imported 1 audit, 1 moderation and 1 panel decision"),
        "{}",
        stdout(&output)
    );
    assert_eq!(counts(folder.path()), (before.0 + 2, before.1 + 1));
}

#[test]
fn a_file_with_problems_names_every_line_and_writes_nothing() {
    let (folder, url) = small_demo();
    let (first, second) = two_cases(folder.path());
    let before = counts(folder.path());
    let file = write(
        folder.path(),
        "bad.csv",
        &format!(
            "{HEADER}{}{}{}",
            audit_rows(&first, "Ann Auditor", "audit", None),
            audit_rows(&second, "Ann Auditor", "audit", Some("2.3.safe")),
            audit_rows("Z999999", "Ann Auditor", "audit", None),
        ),
    );
    let output = import(&url, &file, "pdu/MIDW", "quality.demo", &[]);
    assert!(!output.status.success());
    let error = stderr(&output);
    assert!(
        error.contains("line 10:") && error.contains("2.3.safe"),
        "{error}"
    );
    assert!(error.contains("Z999999"), "{error}");
    assert_eq!(
        counts(folder.path()),
        before,
        "nothing of the file is written"
    );
}

#[test]
fn only_staff_who_run_quality_assurance_for_the_unit_may_import() {
    let (folder, url) = small_demo();
    let (first, _) = two_cases(folder.path());
    let file = write(
        folder.path(),
        "audits.csv",
        &format!(
            "{HEADER}{}",
            audit_rows(&first, "Ann Auditor", "audit", None)
        ),
    );
    for (user, why) in [
        ("po.demo", "does not give access"),
        ("spo.demo", "does not give access"),
    ] {
        let output = import(&url, &file, "pdu/MIDW", user, &[]);
        assert!(!output.status.success(), "{user}");
        assert!(stderr(&output).contains(why), "{user}: {}", stderr(&output));
    }
    let unknown = import(&url, &file, "pdu/NOPE", "quality.demo", &[]);
    assert!(
        stderr(&unknown).contains("no pdu with the code 'NOPE'"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn a_moderator_cannot_moderate_their_own_audit() {
    let (folder, url) = small_demo();
    let (first, _) = two_cases(folder.path());
    let file = write(
        folder.path(),
        "audits.csv",
        &format!(
            "{HEADER}{}{}",
            audit_rows(&first, "Ann Auditor", "audit", None),
            audit_rows(&first, "ann auditor", "moderation", None),
        ),
    );
    let output = import(&url, &file, "pdu/MIDW", "quality.demo", &[]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("cannot moderate their own audit"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn inspect_prints_the_rating_report_in_each_format() {
    let (folder, url) = small_demo();
    let markdown = keepsafe(
        &url,
        &["inspect", "--unit", "pdu/MIDW", "--format", "markdown"],
    );
    assert!(markdown.status.success(), "{}", stderr(&markdown));
    let text = stdout(&markdown);
    assert!(text.starts_with("# Quality of case supervision"), "{text}");
    assert!(
        text.contains("hmip-pdu-2023"),
        "the framework is named: {text}"
    );
    assert!(text.contains("95% interval"), "{text}");
    assert!(text.contains("Automated from the record"), "{text}");

    let json = keepsafe(&url, &["inspect", "--unit", "pdu/MIDW", "--format", "json"]);
    assert!(json.status.success(), "{}", stderr(&json));
    let report: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(report["framework"]["code"], "hmip-pdu-2023");

    let path = folder.path().join("report.html");
    let html = keepsafe(
        &url,
        &[
            "inspect",
            "--unit",
            "region/MSF",
            "--framework",
            "hmip-2018",
            "--format",
            "html",
            "--output",
            path.to_str().unwrap(),
        ],
    );
    assert!(html.status.success(), "{}", stderr(&html));
    let document = std::fs::read_to_string(&path).unwrap();
    assert!(
        document.starts_with("<!DOCTYPE html>"),
        "{}",
        &document[..80]
    );
    assert!(document.contains("hmip-2018"));
}

#[test]
fn inspect_names_an_unknown_unit_or_framework() {
    let (_folder, url) = small_demo();
    let unit = keepsafe(&url, &["inspect", "--unit", "pdu/NOPE"]);
    assert!(!unit.status.success());
    assert!(
        stderr(&unit).contains("no pdu with the code 'NOPE'"),
        "{}",
        stderr(&unit)
    );
    let framework = keepsafe(&url, &["inspect", "--framework", "hmip-1999"]);
    assert!(!framework.status.success());
    assert!(
        stderr(&framework).contains("hmip-pdu-2023 or hmip-2018"),
        "{}",
        stderr(&framework)
    );
}

#[test]
fn a_deployment_sets_its_own_bands_and_every_report_rates_with_them() {
    let (_folder, url) = small_demo();
    let listed = keepsafe(&url, &["quality", "frameworks"]);
    assert!(stdout(&listed).contains("Built in."), "{}", stdout(&listed));

    let refused = keepsafe(
        &url,
        &[
            "quality",
            "framework",
            "--framework",
            "hmip-pdu-2023",
            "--bands",
            "0-4,6-10,11-17,18-21",
            "--reason",
            "Agreed with the region",
        ],
    );
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("No band covers 5–5 points"),
        "{}",
        stderr(&refused)
    );

    let set = keepsafe(
        &url,
        &[
            "quality",
            "framework",
            "--framework",
            "hmip-pdu-2023",
            "--bands",
            "0-5,6-10,11-17,18-21",
            "--reason",
            "Agreed with the region",
        ],
    );
    assert!(set.status.success(), "{}", stderr(&set));
    assert!(stdout(&set).contains("Inadequate 0–5"), "{}", stdout(&set));
    let report = keepsafe(
        &url,
        &["inspect", "--unit", "pdu/MIDW", "--format", "markdown"],
    );
    assert!(
        stdout(&report).contains("Inadequate 0–5"),
        "{}",
        stdout(&report)
    );
    let listed = keepsafe(&url, &["quality", "frameworks"]);
    assert!(
        stdout(&listed).contains("Agreed with the region"),
        "{}",
        stdout(&listed)
    );

    let back = keepsafe(
        &url,
        &[
            "quality",
            "framework",
            "--framework",
            "hmip-pdu-2023",
            "--standard",
        ],
    );
    assert!(back.status.success(), "{}", stderr(&back));
    let report = keepsafe(
        &url,
        &["inspect", "--unit", "pdu/MIDW", "--format", "markdown"],
    );
    assert!(
        stdout(&report).contains("Inadequate 0–3"),
        "{}",
        stdout(&report)
    );
}

#[test]
fn a_snapshot_records_the_week_for_every_framework() {
    let (_folder, url) = small_demo();
    let output = keepsafe(&url, &["quality", "snapshot", "--date", "2026-11-25"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("hmip-pdu-2023: recorded the week beginning 2026-11-23"),
        "{text}"
    );
    assert!(text.contains("hmip-2018:"), "{text}");
}
