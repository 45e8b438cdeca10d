//! Audit results imported from a file: one row per case and key question, as quality teams keep
//! them in spreadsheets, plus rows for the ratings panel's judgements. The reading of the file is
//! the caller's; this module checks every row and groups them into audits and decisions, naming
//! the line of every problem so a file is fixed in one pass. The format is documented in the
//! README ("Importing audit results").
//!
//! Columns (a header row names them, in any order): `framework`, `crn`, `question`, `answer`,
//! `reason`, `auditor`, `audited_on`, and optionally `role` (`audit`, the default, or
//! `moderation`). A row with an empty `crn` is a panel decision: `question` is a standard's code,
//! `answer` a rating (`outstanding`, `good`, `requires_improvement`, `inadequate`) and `reason`
//! required — a judgement for a domain-one standard, a departure for a case standard.

use super::audit::{validate, Answer, AnswerGiven, CaseAudit};
use super::framework::Framework;
use super::rating::Rating;
use crate::CodedValue;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use thiserror::Error;

/// The columns every file must have.
pub const REQUIRED_COLUMNS: [&str; 7] = [
    "framework",
    "crn",
    "question",
    "answer",
    "reason",
    "auditor",
    "audited_on",
];

/// One row as read from the file, with its line number (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawRow {
    pub line: usize,
    pub framework: String,
    pub crn: String,
    pub question: String,
    pub answer: String,
    pub reason: String,
    pub auditor: String,
    pub audited_on: String,
    pub role: String,
}

/// An audit assembled from its rows and checked against its framework.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedAudit {
    pub framework: String,
    pub crn: String,
    /// A second auditor's moderation of the case's audit.
    pub moderation: bool,
    pub auditor: String,
    pub audited_on: NaiveDate,
    pub answers: Vec<AnswerGiven>,
    /// The first line of the file that belongs to it.
    pub line: usize,
}

/// Which panel decision a row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionKind {
    /// The rating of a judgement (domain-one) standard.
    Judgement,
    /// A departure from a case standard's computed rating.
    Departure,
}

/// A panel decision from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedDecision {
    pub framework: String,
    pub standard: String,
    pub kind: DecisionKind,
    pub rating: Rating,
    pub reason: String,
    pub recorded_by: String,
    pub recorded_on: NaiveDate,
    pub line: usize,
}

/// What a file holds, checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportPlan {
    pub audits: Vec<ImportedAudit>,
    pub decisions: Vec<ImportedDecision>,
}

/// Every problem in a file, each naming its line.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{} problem(s) in the file:\n{}", .0.len(), .0.join("\n"))]
pub struct ImportRefused(pub Vec<String>);

/// Checks the header: every required column present, nothing unknown.
pub fn check_header(header: &[String]) -> Result<(), ImportRefused> {
    let mut problems = Vec::new();
    for column in REQUIRED_COLUMNS {
        if !header.iter().any(|h| h == column) {
            problems.push(format!("line 1: the column \"{column}\" is missing"));
        }
    }
    for column in header {
        if !REQUIRED_COLUMNS.contains(&column.as_str()) && column != "role" {
            problems.push(format!(
                "line 1: unknown column \"{column}\" (expected {}, and optionally role)",
                REQUIRED_COLUMNS.join(", ")
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ImportRefused(problems))
    }
}

/// Reads an answer or rating written as its code or its label, in any case ("Yes", "n/a").
fn parse_loose<T: CodedValue>(raw: &str) -> Option<T> {
    let wanted = raw.trim().to_lowercase().replace([' ', '-'], "_");
    let wanted = match wanted.as_str() {
        "n/a" | "na" => "not_applicable".to_owned(),
        "ri" => "requires_improvement".to_owned(),
        _ => wanted,
    };
    T::ALL.iter().copied().find(|value| {
        value.code() == wanted || value.label().to_lowercase().replace([' ', '-'], "_") == wanted
    })
}

type AuditKey = (String, String, bool, String, NaiveDate);

/// Checks every row and groups audit rows into audits (by framework, CRN, role, auditor and
/// date) and decision rows into decisions. Refused with every problem if any row is wrong.
pub fn plan(rows: &[RawRow]) -> Result<ImportPlan, ImportRefused> {
    let (plan, problems) = read(rows);
    if problems.is_empty() {
        Ok(plan)
    } else {
        Err(ImportRefused(problems))
    }
}

/// As [`plan`], keeping what is well-formed beside the problems, so a caller that checks more
/// (that every CRN exists) can report every problem of the file at once.
pub fn read(rows: &[RawRow]) -> (ImportPlan, Vec<String>) {
    let mut problems = Vec::new();
    let mut groups: BTreeMap<AuditKey, (usize, Vec<AnswerGiven>)> = BTreeMap::new();
    let mut decisions = Vec::new();
    let mut frameworks: BTreeMap<String, Framework> = BTreeMap::new();
    for row in rows {
        let at = |message: String| format!("line {}: {message}", row.line);
        let code = row.framework.trim();
        let framework = match frameworks
            .get(code)
            .cloned()
            .or_else(|| Framework::by_code(code))
        {
            Some(framework) => framework,
            None => {
                let known: Vec<String> = Framework::all().into_iter().map(|f| f.code).collect();
                problems.push(at(format!(
                    "unknown framework \"{code}\" (use {})",
                    known.join(" or ")
                )));
                continue;
            }
        };
        frameworks.insert(code.to_owned(), framework.clone());
        let Ok(date) = NaiveDate::parse_from_str(row.audited_on.trim(), "%Y-%m-%d") else {
            problems.push(at(format!(
                "audited_on \"{}\" is not a date written as YYYY-MM-DD",
                row.audited_on
            )));
            continue;
        };
        if row.auditor.trim().is_empty() {
            problems.push(at("the auditor is missing".to_owned()));
            continue;
        }
        let reason = row.reason.trim();
        if row.crn.trim().is_empty() {
            match decision(&framework, row, date) {
                Ok(found) => decisions.push(found),
                Err(message) => problems.push(at(message)),
            }
            continue;
        }
        let moderation = match row.role.trim().to_lowercase().as_str() {
            "" | "audit" => false,
            "moderation" => true,
            other => {
                problems.push(at(format!("role \"{other}\" is not audit or moderation")));
                continue;
            }
        };
        let Some(answer) = parse_loose::<Answer>(&row.answer) else {
            problems.push(at(format!(
                "answer \"{}\" is not yes, no or not_applicable",
                row.answer
            )));
            continue;
        };
        let key = (
            framework.code.clone(),
            row.crn.trim().to_uppercase(),
            moderation,
            row.auditor.trim().to_owned(),
            date,
        );
        let group = groups.entry(key).or_insert((row.line, Vec::new()));
        group.1.push(AnswerGiven {
            question: row.question.trim().to_owned(),
            answer,
            reason: (!reason.is_empty()).then(|| reason.to_owned()),
        });
    }
    let mut audits = Vec::new();
    for ((framework_code, crn, moderation, auditor, audited_on), (line, answers)) in groups {
        let framework = &frameworks[&framework_code];
        let checked = validate(
            framework,
            CaseAudit {
                case: crn.clone(),
                team: String::new(),
                pdu: String::new(),
                region: String::new(),
                answers,
            },
        );
        match checked {
            Ok(valid) => audits.push(ImportedAudit {
                framework: framework_code,
                crn,
                moderation,
                auditor,
                audited_on,
                answers: valid.audit().answers.clone(),
                line,
            }),
            Err(refused) => problems.push(format!(
                "line {line}: the audit of {crn} by {auditor} on {audited_on}: {refused}"
            )),
        }
    }
    (ImportPlan { audits, decisions }, problems)
}

fn decision(
    framework: &Framework,
    row: &RawRow,
    date: NaiveDate,
) -> Result<ImportedDecision, String> {
    let code = row.question.trim();
    let standard = framework.standard(code).ok_or_else(|| {
        format!(
            "a row without a CRN is a panel decision, but \"{code}\" is not a standard of {}",
            framework.code
        )
    })?;
    let rating = parse_loose::<Rating>(&row.answer).ok_or_else(|| {
        format!(
            "rating \"{}\" is not outstanding, good, requires_improvement or inadequate",
            row.answer
        )
    })?;
    if row.reason.trim().is_empty() {
        return Err(format!(
            "the panel's decision on standard {code} needs a reason"
        ));
    }
    Ok(ImportedDecision {
        framework: framework.code.clone(),
        standard: standard.code.clone(),
        kind: if standard.is_case_standard() {
            DecisionKind::Departure
        } else {
            DecisionKind::Judgement
        },
        rating,
        reason: row.reason.trim().to_owned(),
        recorded_by: row.auditor.trim().to_owned(),
        recorded_on: date,
        line: row.line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::framework::HMIP_PDU_2023;

    fn rows_for(crn: &str, skip: Option<&str>) -> Vec<RawRow> {
        let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
        framework
            .key_questions()
            .filter(|(_, q)| Some(q.code.as_str()) != skip)
            .enumerate()
            .map(|(i, (_, q))| RawRow {
                line: i + 2,
                framework: HMIP_PDU_2023.into(),
                crn: crn.into(),
                question: q.code.clone(),
                answer: if i == 0 { "No".into() } else { "yes".into() },
                reason: if i == 0 {
                    "No police check".into()
                } else {
                    String::new()
                },
                auditor: "A. Auditor".into(),
                audited_on: "2026-11-20".into(),
                role: String::new(),
            })
            .collect()
    }

    #[test]
    fn rows_of_one_case_become_one_checked_audit() {
        let plan = plan(&rows_for("X123456", None)).unwrap();
        assert_eq!(plan.audits.len(), 1);
        let audit = &plan.audits[0];
        assert_eq!(audit.crn, "X123456");
        assert_eq!(audit.answers[0].answer, Answer::No);
        assert!(!audit.moderation);
    }

    #[test]
    fn a_missing_key_question_is_named_with_the_line_of_the_audit() {
        let refused = plan(&rows_for("X123456", Some("2.3.safe"))).unwrap_err();
        assert_eq!(refused.0.len(), 1);
        assert!(refused.0[0].starts_with("line 2:"), "{refused}");
        assert!(refused.0[0].contains("2.3.safe"), "{refused}");
    }

    #[test]
    fn every_bad_row_is_reported_at_once() {
        let mut rows = rows_for("X123456", None);
        rows[1].answer = "maybe".into();
        rows[2].audited_on = "20/11/2026".into();
        rows[3].framework = "hmip-1999".into();
        let refused = plan(&rows).unwrap_err();
        let text = refused.to_string();
        assert!(text.contains("line 3: answer \"maybe\""), "{text}");
        assert!(text.contains("line 4: audited_on \"20/11/2026\""), "{text}");
        assert!(
            text.contains("line 5: unknown framework \"hmip-1999\""),
            "{text}"
        );
    }

    #[test]
    fn a_row_without_a_crn_is_a_panel_judgement_and_needs_a_reason() {
        let judgement = RawRow {
            line: 9,
            framework: HMIP_PDU_2023.into(),
            question: "1.2".into(),
            answer: "Requires improvement".into(),
            reason: "Vacancies".into(),
            auditor: "Panel".into(),
            audited_on: "2026-11-20".into(),
            ..RawRow::default()
        };
        let found = plan(std::slice::from_ref(&judgement)).unwrap();
        assert_eq!(found.decisions[0].kind, DecisionKind::Judgement);
        assert_eq!(found.decisions[0].rating, Rating::RequiresImprovement);
        let departure = RawRow {
            question: "2.1".into(),
            answer: "good".into(),
            ..judgement.clone()
        };
        assert_eq!(
            plan(&[departure]).unwrap().decisions[0].kind,
            DecisionKind::Departure
        );
        let unexplained = RawRow {
            reason: String::new(),
            ..judgement
        };
        let refused = plan(&[unexplained]).unwrap_err();
        assert!(refused.0[0].contains("needs a reason"), "{refused}");
    }

    #[test]
    fn a_header_without_the_required_columns_is_refused_by_name() {
        let header: Vec<String> = ["framework", "crn", "answer", "colour"]
            .map(String::from)
            .to_vec();
        let refused = check_header(&header).unwrap_err();
        let text = refused.to_string();
        assert!(text.contains("\"question\" is missing"), "{text}");
        assert!(text.contains("unknown column \"colour\""), "{text}");
    }
}
