//! `keepsafe workload report | snapshot` on the small demo region, as a manager or a weekly cron
//! job uses them: a table to read, CSV and JSON to take elsewhere, one-line errors, and snapshots
//! that can be recorded again without doubling up.

use crate::{keepsafe, small_demo, sqlite};
use diesel::prelude::*;
use keepsafe_storage::schema::{allocations, workload_snapshots};
use keepsafe_test_support::cli::{stderr, stdout, succeeded};
use serde_json::Value;
use std::path::Path;

/// The small demo region's one PDU.
const PDU: &str = "MIDW";

fn current_allocations(folder: &Path) -> i64 {
    allocations::table
        .filter(allocations::end_date.is_null())
        .count()
        .get_result(&mut sqlite(folder))
        .unwrap()
}

fn report_json(url: &str) -> Value {
    let text = succeeded(keepsafe(
        url,
        &["workload", "report", "--pdu", PDU, "--format", "json"],
    ));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn the_report_table_lists_each_practitioner_then_averages_and_versions() {
    let (_folder, url) = small_demo();
    let text = succeeded(keepsafe(&url, &["workload", "report", "--pdu", PDU]));
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("Workload in ") && lines[0].contains(&format!("({PDU})")),
        "{text}"
    );
    let header = lines
        .iter()
        .position(|line| line.starts_with("Practitioner"))
        .expect("a header row");
    for column in [
        "Grade",
        "Team",
        "Cases",
        "Community",
        "Licence",
        "Custody",
        "Pre-sentence",
        "Points",
        "Available",
        "Capacity",
        "Excessive",
    ] {
        assert!(lines[header].contains(column), "{column}: {text}");
    }
    assert!(lines[header + 1].starts_with("----"));
    let rows: Vec<&str> = lines[header + 2..]
        .iter()
        .take_while(|line| !line.is_empty())
        .copied()
        .collect();
    let practitioners = report_json(&url)["practitioners"].as_array().unwrap().len();
    assert_eq!(rows.len(), practitioners, "{text}");
    assert!(rows.iter().all(|row| row.contains('%')), "{text}");
    assert!(
        text.contains("Average cases: ") && text.contains(" per probation officer ("),
        "{text}"
    );
    assert!(text.contains(" per probation services officer ("), "{text}");
    assert!(text.contains("workload-weights-2026/1"), "{text}");
    assert!(text.contains("workload-capacity/1"), "{text}");
    assert!(text.contains("excessive-workload/1"), "{text}");
}

#[test]
fn the_report_as_json_has_every_practitioners_numbers_and_working() {
    let (folder, url) = small_demo();
    let report = report_json(&url);
    assert_eq!(report["pdu"], PDU);
    assert!(report["as_at"].as_str().unwrap().len() == 10);
    assert_eq!(report["weights_version"], "workload-weights-2026/1");
    let practitioners = report["practitioners"].as_array().unwrap();
    assert!(practitioners.len() >= 4, "{report:#}");
    let mut cases = 0;
    for p in practitioners {
        let by_type = p["cases_by_type"].as_object().unwrap();
        let typed: u64 = by_type.values().map(|v| v.as_u64().unwrap()).sum();
        assert_eq!(Some(typed), p["cases"].as_u64(), "{p:#}");
        cases += typed;
        assert_eq!(
            p["total_points"].as_u64().unwrap(),
            p["case_points"].as_u64().unwrap() + p["report_points"].as_u64().unwrap()
        );
        assert!(p["available_points"].as_u64().unwrap() > 0);
        assert!(p["capacity_percent"].is_f64(), "{p:#}");
        assert_eq!(p["excessive"], false);
        let explanation = p["explanation"].as_array().unwrap();
        assert!(explanation[0]
            .as_str()
            .unwrap()
            .starts_with("Weights: workload-weights-2026/1"));
        assert!(explanation
            .last()
            .unwrap()
            .as_str()
            .unwrap()
            .starts_with("Capacity: "));
    }
    // The small region is one PDU, so its practitioners hold every current allocation.
    assert_eq!(cases as i64, current_allocations(folder.path()));
    let averages = &report["averages"];
    assert!(averages["cases_per_po"].as_f64().unwrap() > 0.0);
    assert!(averages["cases_per_pso"].as_f64().unwrap() > 0.0);
}

#[test]
fn the_report_as_csv_has_a_header_and_one_row_per_practitioner() {
    let (_folder, url) = small_demo();
    let text = succeeded(keepsafe(
        &url,
        &["workload", "report", "--pdu", PDU, "--format", "csv"],
    ));
    assert!(text.ends_with("\r\n"), "rows end in CRLF");
    let lines: Vec<&str> = text.lines().collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    assert_eq!(header[0], "staff_id");
    assert!(header.contains(&"capacity_percent") && header.contains(&"excessive"));
    let practitioners = report_json(&url)["practitioners"].as_array().unwrap().len();
    assert_eq!(lines.len(), practitioners + 1, "{text}");
    for line in &lines[1..] {
        // Demo names hold no commas or quotes, so no field needs quoting here; quoting itself is
        // unit-tested.
        assert_eq!(line.split(',').count(), header.len(), "{line}");
    }
}

#[test]
fn an_unknown_pdu_is_one_line_naming_the_codes_there_are() {
    let (_folder, url) = small_demo();
    let output = keepsafe(&url, &["workload", "report", "--pdu", "NOPE"]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.contains(&format!("no PDU has the code 'NOPE'; use one of: {PDU}")),
        "{message}"
    );
    assert!(stdout(&output).is_empty());

    let output = keepsafe(
        &url,
        &["workload", "report", "--pdu", PDU, "--format", "xml"],
    );
    assert!(!output.status.success());
    assert_eq!(
        stderr(&output).trim_end(),
        "error: unknown --format 'xml'; use table, csv or json"
    );
}

#[test]
fn recording_the_weeks_snapshots_twice_leaves_one_row_each() {
    let (folder, url) = small_demo();
    let total = || -> i64 {
        workload_snapshots::table
            .count()
            .get_result(&mut sqlite(folder.path()))
            .unwrap()
    };
    // The demo records eight weeks of history; this test watches the current week's rows.
    let history = total();
    assert!(history > 0, "the demo records snapshot history");
    let this_week = keepsafe_storage::workload::week_start(keepsafe_test_support::clock::today());
    let count = || -> i64 {
        workload_snapshots::table
            .filter(workload_snapshots::week_start.eq(this_week))
            .count()
            .get_result(&mut sqlite(folder.path()))
            .unwrap()
    };
    let first = succeeded(keepsafe(&url, &["workload", "snapshot"]));
    assert!(
        first.starts_with("Recorded the workload snapshots for the week of Monday "),
        "{first}"
    );
    let recorded = count();
    let practitioners = report_json(&url)["practitioners"].as_array().unwrap().len();
    assert_eq!(recorded, practitioners as i64);

    let second = succeeded(keepsafe(&url, &["workload", "snapshot"]));
    assert_eq!(count(), recorded, "{second}");

    // Naming the week by its Monday records the same week again.
    let monday = first
        .split("week of Monday ")
        .nth(1)
        .and_then(|rest| rest.get(..10))
        .unwrap()
        .to_owned();
    succeeded(keepsafe(&url, &["workload", "snapshot", "--week", &monday]));
    assert_eq!(count(), recorded);
    assert_eq!(total(), history, "recording weeks again adds no rows");

    let output = keepsafe(&url, &["workload", "snapshot", "--week", "22/11/2026"]);
    assert!(!output.status.success());
    assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
    assert!(stderr(&output).contains("--week must be a date written YYYY-MM-DD"));
}
