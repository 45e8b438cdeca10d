//! `keepsafe predict tier` as an analyst uses it on an export: JSON Lines in, both tiers out, one
//! line per case, bad lines named by field and line number without stopping the rest — and no
//! database.

use crate::predict::{answers, NO_DATABASE};
use crate::KEEPSAFE;
use keepsafe_domain::tiering::{LEGACY_TIERING_RULE_VERSION, SINGLE_TIERING_RULE_VERSION};
use keepsafe_test_support::cli::stderr;
use serde_json::{json, Value};
use std::process::Output;

fn predict_tier(input: &str) -> Output {
    KEEPSAFE.run_with_input(NO_DATABASE, &["predict", "tier"], Some(input))
}

/// One input line: a man on a community order with a rehabilitation requirement, RoSH low,
/// dynamic predictors of ARP 10% and CSRP 0.1% and nothing else, with `changes` applied.
fn case(changes: &[(&str, Value)]) -> String {
    let mut object = json!({
        "sex": "male",
        "rosh": "low",
        "rsr_percent": null,
        "mappa_level": null,
        "mappa_category": null,
        "registrations": [],
        "ogrs3_two_year_percent": null,
        "needs": null,
        "iom_nominal": false,
        "has_custodial_sentence": false,
        "non_restrictive_requirements": true,
        "breach_or_recall": false,
        "arp_percent": 10,
        "csrp_percent": 0.1,
        "arp_type": "dynamic",
        "csrp_type": "dynamic",
        "osp_band": null,
        "dcsrp_score": null,
        "life_or_ipp_released_on": null,
        "sexual_offence_ever": false,
        "has_active_event": true,
        "unsupervised": false,
        "as_of": "2026-12-06",
    });
    for (field, value) in changes {
        object[*field] = value.clone();
    }
    object.to_string()
}

fn tiers(answer: &Value) -> (&str, &str, bool) {
    (
        answer["legacy"].as_str().unwrap(),
        answer["single"].as_str().unwrap(),
        answer["provisional"].as_bool().unwrap(),
    )
}

fn needs(score: u8) -> Value {
    json!({
        "accommodation": score, "education_training_employability": score,
        "relationships": score, "lifestyle": score, "drug_misuse": score,
        "alcohol_misuse": score, "thinking_and_behaviour": score, "attitudes": score,
    })
}

#[test]
fn a_batch_of_cases_is_tiered_line_by_line_and_exits_0() {
    let input = [
        case(&[]),
        // §10: (ARP 90, CSRP 6.9) → A; MAPPA level 2 → protect A; needs all severe → change 3.
        case(&[
            ("arp_percent", json!(90)),
            ("csrp_percent", json!(6.9)),
            ("mappa_level", json!(2)),
            ("ogrs3_two_year_percent", json!(59)),
            ("needs", needs(2)),
        ]),
        // §10: (50, 1.0) → D; a woman with 9 protect points and a breach → C.
        case(&[
            ("sex", json!("female")),
            ("arp_percent", json!(50)),
            ("csrp_percent", json!(1.0)),
            ("mappa_level", json!(1)),
            (
                "registrations",
                json!(["vulnerability", "parenting_responsibilities"]),
            ),
            ("needs", needs(0)),
            ("breach_or_recall", json!(true)),
        ]),
        // §10: (15, 0.5) → F; no mandate for change → 0; unsupervised → S.
        case(&[
            ("arp_percent", json!(15)),
            ("csrp_percent", json!(0.5)),
            ("non_restrictive_requirements", json!(false)),
            ("unsupervised", json!(true)),
        ]),
        // §10: MAPPA category with high RoSH → C; RSR above 99.99 gives no points.
        case(&[
            ("rosh", json!("high")),
            ("mappa_category", json!(2)),
            ("rsr_percent", json!(100)),
        ]),
        // Exact decimals: a CSRP of 6.8999999 is below 6.9.
        case(&[
            ("arp_percent", json!(75)),
            ("csrp_percent", json!(6.8999999)),
        ]),
        case(&[("arp_percent", Value::Null)]),
        case(&[("has_active_event", json!(false))]),
        // RoSH missing with nothing else reaching C: provisional.
        case(&[("rosh", Value::Null)]),
    ]
    .join("\n");
    let output = predict_tier(&input);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let answers = answers(&output);
    let tiered: Vec<_> = answers.iter().map(tiers).collect();
    assert_eq!(
        tiered,
        [
            ("D2", "G", false),
            ("A3", "A", false),
            ("C1", "D", false),
            ("D0S", "F", false),
            ("B2", "C", false),
            ("D2", "B", false),
            ("D2", "missing", false),
            ("D0", "not_supervised", false),
            ("D2", "G", true),
        ]
    );
    let versions = format!("{LEGACY_TIERING_RULE_VERSION}; {SINGLE_TIERING_RULE_VERSION}");
    for answer in &answers {
        assert_eq!(answer["rule_version"], versions.as_str());
        assert_eq!(answer.as_object().unwrap().len(), 4, "{answer}");
    }
}

#[test]
fn a_bad_line_among_good_ones_is_answered_with_its_field_and_line_and_exit_is_1() {
    let input = [
        case(&[]),
        case(&[("rosh", json!("severe"))]),
        String::new(),
        "not json".to_owned(),
        case(&[("arp_percent", json!(50)), ("csrp_percent", json!(1.0))]),
    ]
    .join("\n");
    let output = predict_tier(&input);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("2 of 4 lines could not be tiered"),
        "{}",
        stderr(&output)
    );
    let answers = answers(&output);
    assert_eq!(answers.len(), 4, "one answer per non-blank line");
    assert_eq!(tiers(&answers[0]), ("D2", "G", false));
    assert_eq!(answers[1]["field"], "rosh");
    assert_eq!(answers[1]["line"], 2);
    assert!(
        answers[1]["error"]
            .as_str()
            .unwrap()
            .starts_with("rosh: 'severe' is not a known"),
        "{}",
        answers[1]
    );
    assert_eq!(answers[2]["field"], Value::Null);
    assert_eq!(answers[2]["line"], 4, "line numbers count blank lines");
    assert_eq!(tiers(&answers[3]), ("D2", "D", false));
}

#[test]
fn an_unknown_registration_is_refused_with_the_registrations_field() {
    let output = predict_tier(&case(&[(
        "registrations",
        json!(["stalking", "domestic_violence"]),
    )]));
    assert_eq!(output.status.code(), Some(1));
    let answers = answers(&output);
    assert_eq!(answers[0]["field"], "registrations");
    assert_eq!(answers[0]["line"], 1);
    assert!(
        answers[0]["error"]
            .as_str()
            .unwrap()
            .starts_with("registrations: 'domestic_violence' is not a known registration"),
        "{}",
        answers[0]
    );
}

#[test]
fn a_medium_dcsrp_band_below_0_60_is_refused_with_the_score_field() {
    let input = [
        case(&[("osp_band", json!("medium")), ("dcsrp_score", json!(0.59))]),
        case(&[("osp_band", json!("medium")), ("dcsrp_score", json!(0.6))]),
    ]
    .join("\n");
    let output = predict_tier(&input);
    assert_eq!(output.status.code(), Some(1));
    let answers = answers(&output);
    assert_eq!(answers[0]["field"], "dcsrp_score");
    assert_eq!(
        answers[0]["error"],
        "A medium sexual reoffending predictor band needs a score of 0.60 or more, not 0.59; \
         correct the band or the score"
    );
    assert_eq!(tiers(&answers[1]), ("D2", "D", false));
}

#[test]
fn predict_tier_help_describes_the_input_and_output() {
    let output = KEEPSAFE
        .command()
        .args(["predict", "tier", "--help"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "domestic_abuse_history",
        "life_or_ipp_released_on",
        "not_supervised",
        "Exits 1",
    ] {
        assert!(help.contains(expected), "{help}");
    }
}
