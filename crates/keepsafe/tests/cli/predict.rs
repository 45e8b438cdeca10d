//! `keepsafe predict ogrs3` as a team uses it on an export: JSON Lines in, one answer per line
//! out, bad lines named by field and line number without stopping the rest — and no database.

use crate::KEEPSAFE;
use keepsafe_test_support::cli::stderr;
use serde_json::Value;
use std::process::Output;

/// A database URL that cannot be opened or created: if predict touched the database, it would fail.
pub(crate) const NO_DATABASE: &str = "sqlite:///nonexistent/x.db";

fn predict_ogrs3(input: &str) -> Output {
    KEEPSAFE.run_with_input(NO_DATABASE, &["predict", "ogrs3"], Some(input))
}

pub(crate) fn answers(output: &Output) -> Vec<Value> {
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).expect("every output line is JSON"))
        .collect()
}

/// One input line: the first worked example of the reference, with `changes` applied (a `null`
/// change removes the field).
fn person(changes: &[(&str, Value)]) -> String {
    let mut object = serde_json::json!({
        "sex": "male",
        "date_of_birth": "1965-12-07",
        "conviction_date": "2025-05-13",
        "followup_start_date": "2026-12-12",
        "total_sanctions": 2,
        "age_at_first_sanction": 47,
        "offence_category": "soliciting",
    });
    let fields = object.as_object_mut().unwrap();
    for (field, value) in changes {
        if value.is_null() {
            fields.remove(*field);
        } else {
            fields.insert((*field).to_owned(), value.clone());
        }
    }
    object.to_string()
}

fn scores(answer: &Value) -> (u64, u64, &str) {
    (
        answer["one_year"].as_u64().unwrap(),
        answer["two_year"].as_u64().unwrap(),
        answer["band"].as_str().unwrap(),
    )
}

const WORKED_EXAMPLES: &str = concat!(
    r#"{"sex":"male","date_of_birth":"1965-12-07","conviction_date":"2025-05-13","followup_start_date":"2026-12-12","total_sanctions":2,"age_at_first_sanction":47,"offence_category":"soliciting"}"#,
    "\n",
    r#"{"sex":"male","date_of_birth":"1991-07-17","conviction_date":"2021-08-05","followup_start_date":"2021-12-12","total_sanctions":2,"age_at_first_sanction":21,"offence_category":"other"}"#,
    "\n",
    r#"{"sex":"male","date_of_birth":"1975-04-29","conviction_date":"2009-02-19","followup_start_date":"2020-01-14","total_sanctions":22,"age_at_first_sanction":17,"offence_category":"drug_import_export_production"}"#,
    "\n",
);

#[test]
fn the_three_worked_examples_score_as_published_and_exit_0() {
    let output = predict_ogrs3(WORKED_EXAMPLES);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let answers = answers(&output);
    let scored: Vec<_> = answers.iter().map(scores).collect();
    assert_eq!(scored, [(8, 16, "low"), (9, 17, "low"), (35, 52, "medium")]);
    for answer in &answers {
        assert_eq!(
            answer["rule_version"],
            "OGRS3 (2009), as implemented for OASys; keepsafe rule 1"
        );
    }
}

#[test]
fn bad_lines_name_their_field_and_line_and_good_lines_are_still_scored_and_exit_is_1() {
    let input = [
        person(&[]),
        person(&[("date_of_birth", "2025-02-30".into())]),
        person(&[("offence_category", "shoplifting".into())]),
        String::new(),
        person(&[("total_sanctions", Value::Null)]),
        person(&[
            ("date_of_birth", "2000-01-01".into()),
            ("conviction_date", "2021-06-01".into()),
            ("followup_start_date", "2021-06-01".into()),
            ("age_at_first_sanction", 25.into()),
        ]),
        person(&[("sex", "m".into())]),
        person(&[("total_sanctions", "2".into())]),
        person(&[("total_sanctions", (-1).into())]),
        "not json".to_owned(),
        "[1, 2]".to_owned(),
        person(&[("offence_category", "other".into())]),
    ]
    .join("\n");
    let output = predict_ogrs3(&input);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("9 of 11 lines could not be scored"),
        "{}",
        stderr(&output)
    );

    let answers = answers(&output);
    assert_eq!(answers.len(), 11, "one answer per non-blank line");
    assert_eq!(scores(&answers[0]), (8, 16, "low"));
    assert_eq!(answers[10]["band"], "low");

    let refused: Vec<_> = answers[1..10]
        .iter()
        .map(|answer| (answer["line"].as_u64().unwrap(), answer["field"].as_str()))
        .collect();
    assert_eq!(
        refused,
        [
            (2, Some("date_of_birth")),
            (3, Some("offence_category")),
            (5, Some("total_sanctions")),
            (6, Some("age_at_first_sanction")),
            (7, Some("sex")),
            (8, Some("total_sanctions")),
            (9, Some("total_sanctions")),
            (10, None),
            (11, None),
        ],
        "line numbers count blank lines; whole-line errors have a null field"
    );

    let messages: Vec<_> = answers[1..10]
        .iter()
        .map(|answer| answer["error"].as_str().unwrap())
        .collect();
    assert_eq!(messages[0], "date_of_birth (2025-02-30) is not a real date");
    assert!(
        messages[1].starts_with(
            "offence_category: 'shoplifting' is not a known offence category; \
             use one of violence, robbery,"
        ),
        "{}",
        messages[1]
    );
    assert_eq!(messages[2], "total_sanctions is missing");
    assert_eq!(
        messages[3],
        "age_at_first_sanction (25) is after the age at conviction (21)"
    );
    assert_eq!(
        messages[4],
        "sex: 'm' is not a known sex; use one of male, female"
    );
    assert_eq!(
        messages[5],
        "total_sanctions must be a whole number, 0 or more, not \"2\""
    );
    assert_eq!(
        messages[6],
        "total_sanctions must be a whole number, 0 or more, not -1"
    );
    assert!(
        messages[7].starts_with("the line is not valid JSON"),
        "{}",
        messages[7]
    );
    assert_eq!(messages[8], "the line must be a JSON object, not a list");
    for answer in &answers[1..10] {
        assert!(answer.get("one_year").is_none(), "{answer}");
    }
}

#[test]
fn domain_validation_errors_name_their_field() {
    let input = [
        person(&[("followup_start_date", "2025-05-12".into())]),
        person(&[("total_sanctions", 0.into())]),
        person(&[("conviction_date", "1960-01-01".into())]),
    ]
    .join("\n");
    let output = predict_ogrs3(&input);
    assert_eq!(output.status.code(), Some(1));
    let fields: Vec<_> = answers(&output)
        .iter()
        .map(|answer| answer["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        fields,
        ["followup_start_date", "total_sanctions", "conviction_date"]
    );
}

#[test]
fn unknown_fields_blank_lines_and_crlf_endings_are_accepted() {
    let input = format!(
        "\n{}\r\n   \n{}\n",
        person(&[("crn", "X123456".into())]),
        person(&[("note", serde_json::json!({"anything": [1, 2]}))])
    );
    let output = predict_ogrs3(&input);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let answers = answers(&output);
    let scored: Vec<_> = answers.iter().map(scores).collect();
    assert_eq!(scored, [(8, 16, "low"), (8, 16, "low")]);
}

#[test]
fn a_line_over_64_kib_is_refused_and_the_next_line_is_still_scored() {
    let padding = "x".repeat(70 * 1024);
    let input = format!(
        "{}\n{}\n",
        person(&[("padding", padding.into())]),
        person(&[])
    );
    let output = predict_ogrs3(&input);
    assert_eq!(output.status.code(), Some(1));
    let answers = answers(&output);
    assert_eq!(answers.len(), 2);
    assert_eq!(answers[0]["line"], 1);
    assert_eq!(answers[0]["field"], Value::Null);
    assert!(answers[0]["error"]
        .as_str()
        .unwrap()
        .contains("longer than 65536 bytes"));
    assert_eq!(scores(&answers[1]), (8, 16, "low"));
}

#[test]
fn many_lines_are_answered_in_order() {
    let input = WORKED_EXAMPLES.repeat(2_000);
    let output = predict_ogrs3(&input);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let answers = answers(&output);
    assert_eq!(answers.len(), 6_000);
    assert_eq!(scores(&answers[5_999]), (35, 52, "medium"));
}

#[test]
fn empty_input_gives_empty_output_and_exit_0() {
    let output = predict_ogrs3("");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
}

#[test]
fn predict_help_describes_the_input_and_output() {
    let output = KEEPSAFE
        .command()
        .args(["predict", "ogrs3", "--help"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for expected in ["offence_category", "followup_start_date", "Exits 1"] {
        assert!(help.contains(expected), "{help}");
    }
}
