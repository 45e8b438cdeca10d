//! `keepsafe predict`: actuarial predictors and tiers for files and pipes, so a team can score a
//! caseload export or check keepsafe against another implementation without a database or a
//! browser.
//!
//! Input and output are JSON Lines. Each line stands alone: a bad line is answered with an error
//! naming its field and line number, and the next line is still scored. Lines are read one at a
//! time with a length limit, so memory stays constant however large the input.

use crate::cli::PredictCommand;
use anyhow::{bail, Context, Result};
use keepsafe_domain::predictors::json::{self, InputsError};
use keepsafe_domain::predictors::ogrs3::{ogrs3, Ogrs3Inputs, RULE_VERSION};
use keepsafe_domain::tiering::json::{self as tier_json, TierAnswer};
use keepsafe_domain::CodedValue;
use serde::Serialize;
use serde_json::Value;
use std::io::{self, BufRead, BufWriter, Read, Write};

/// The longest input line accepted, not counting its line ending. Far more than any real record
/// needs; it exists so one runaway line cannot exhaust memory.
const MAX_LINE_BYTES: usize = 64 * 1024;

pub fn run(command: &PredictCommand) -> Result<()> {
    let output = BufWriter::new(io::stdout().lock());
    let (tally, not_answered) = match command {
        PredictCommand::Ogrs3 => (
            answer_lines(io::stdin().lock(), output, score_ogrs3),
            "could not be scored",
        ),
        PredictCommand::Tier => (
            answer_lines(io::stdin().lock(), output, tier),
            "could not be tiered",
        ),
    };
    let tally = tally.context("could not read standard input or write standard output")?;
    if tally.refused > 0 {
        bail!(
            "{} of {} lines {not_answered}; each has an \"error\" line in the output",
            tally.refused,
            tally.refused + tally.scored
        );
    }
    Ok(())
}

/// How many lines were answered each way.
#[derive(Debug, Default, PartialEq, Eq)]
struct Tally {
    scored: u64,
    refused: u64,
}

/// A successful output line.
#[derive(Serialize)]
struct Scored {
    one_year: u8,
    two_year: u8,
    band: &'static str,
    rule_version: &'static str,
}

/// An output line for an input line that could not be scored.
#[derive(Serialize)]
struct Refused<'a> {
    error: &'a str,
    /// The input field at fault; `null` when the line as a whole is unreadable.
    field: Option<&'a str>,
    line: u64,
}

/// Why a line could not be scored: a message a person can act on, and the field to fix.
struct LineError {
    message: String,
    field: Option<&'static str>,
}

impl LineError {
    fn line(message: impl Into<String>) -> Self {
        LineError {
            message: message.into(),
            field: None,
        }
    }

    fn field(field: &'static str, message: impl Into<String>) -> Self {
        LineError {
            message: message.into(),
            field: Some(field),
        }
    }
}

/// Answers every line of `input` with `answer`, writing one answer line per non-blank input
/// line to `output` and flushing at the end. Only I/O failures stop it; a bad line is answered
/// with its error and counted.
fn answer_lines<T: Serialize>(
    mut input: impl BufRead,
    mut output: impl Write,
    answer: impl Fn(&[u8]) -> Result<T, LineError>,
) -> io::Result<Tally> {
    let mut tally = Tally::default();
    let mut buffer = Vec::with_capacity(1024);
    let mut line_number = 0_u64;
    while let Some(line) = next_line(&mut input, &mut buffer)? {
        line_number += 1;
        let answered = match line {
            Line::TooLong => Err(LineError::line(format!(
                "the line is longer than {MAX_LINE_BYTES} bytes"
            ))),
            Line::Text(bytes) if bytes.trim_ascii().is_empty() => continue,
            Line::Text(bytes) => answer(bytes),
        };
        match answered {
            Ok(answered) => {
                tally.scored += 1;
                serde_json::to_writer(&mut output, &answered)?;
            }
            Err(error) => {
                tally.refused += 1;
                let refused = Refused {
                    error: &error.message,
                    field: error.field,
                    line: line_number,
                };
                serde_json::to_writer(&mut output, &refused)?;
            }
        }
        output.write_all(b"\n")?;
    }
    output.flush()?;
    Ok(tally)
}

/// OGRS3 for one line.
fn score_ogrs3(bytes: &[u8]) -> Result<Scored, LineError> {
    let inputs = parse_inputs(bytes)?;
    let score =
        ogrs3(&inputs).map_err(|error| LineError::field(error.field(), error.to_string()))?;
    Ok(Scored {
        one_year: score.one_year,
        two_year: score.two_year,
        band: score.band.code(),
        rule_version: RULE_VERSION,
    })
}

/// Both tiers for one line, read and worked out by [`tier_json::tier_answer`].
fn tier(bytes: &[u8]) -> Result<TierAnswer, LineError> {
    let value = json_line(bytes)?;
    tier_json::tier_answer(&value).map_err(line_error)
}

/// One input line, without its line ending.
enum Line<'a> {
    Text(&'a [u8]),
    /// Over [`MAX_LINE_BYTES`]; the rest of it has been read and thrown away.
    TooLong,
}

/// Reads the next line into `buffer`, never holding more than [`MAX_LINE_BYTES`] plus a CR LF.
/// `None` at the end of input.
fn next_line<'a>(
    input: &mut impl BufRead,
    buffer: &'a mut Vec<u8>,
) -> io::Result<Option<Line<'a>>> {
    buffer.clear();
    // Room for the longest accepted line and its CR LF.
    let limit = MAX_LINE_BYTES + 2;
    let read = input
        .by_ref()
        .take(limit as u64)
        .read_until(b'\n', buffer)?;
    if read == 0 {
        return Ok(None);
    }
    let ended = buffer.last() == Some(&b'\n');
    if !ended && buffer.len() == limit {
        discard_rest_of_line(input)?;
        return Ok(Some(Line::TooLong));
    }
    let mut text = buffer.as_slice();
    if let Some(without_newline) = text.strip_suffix(b"\n") {
        text = without_newline
            .strip_suffix(b"\r")
            .unwrap_or(without_newline);
    }
    if text.len() > MAX_LINE_BYTES {
        return Ok(Some(Line::TooLong));
    }
    Ok(Some(Line::Text(text)))
}

/// Skips to just after the next newline (or the end of input) without keeping what it skips.
fn discard_rest_of_line(input: &mut impl BufRead) -> io::Result<()> {
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok(());
        }
        match available.iter().position(|byte| *byte == b'\n') {
            Some(newline) => {
                input.consume(newline + 1);
                return Ok(());
            }
            None => {
                let skipped = available.len();
                input.consume(skipped);
            }
        }
    }
}

/// Turns one line of JSON into OGRS3 inputs, naming the first field (in the documented order)
/// that is missing or wrong. The fields are read by [`json::ogrs3_inputs`], which the web API
/// uses too, so both answer a bad field with the same words.
fn parse_inputs(bytes: &[u8]) -> Result<Ogrs3Inputs, LineError> {
    json::ogrs3_inputs(&json_line(bytes)?).map_err(line_error)
}

fn json_line(bytes: &[u8]) -> Result<Value, LineError> {
    serde_json::from_slice(bytes)
        .map_err(|error| LineError::line(format!("the line is not valid JSON: {error}")))
}

fn line_error(error: InputsError) -> LineError {
    match error {
        InputsError::NotAnObject { .. } => LineError::line(format!("the line {error}")),
        InputsError::Field { field, message } => LineError::field(field, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(input: &[u8]) -> Vec<Option<usize>> {
        let mut reader = io::BufReader::with_capacity(16, input);
        let mut buffer = Vec::new();
        let mut lengths = Vec::new();
        while let Some(line) = next_line(&mut reader, &mut buffer).unwrap() {
            lengths.push(match line {
                Line::Text(text) => Some(text.len()),
                Line::TooLong => None,
            });
        }
        lengths
    }

    #[test]
    fn a_line_of_exactly_64_kib_is_read_and_one_byte_more_is_too_long() {
        let mut input = vec![b'x'; MAX_LINE_BYTES];
        input.extend_from_slice(b"\r\n");
        input.extend(vec![b'y'; MAX_LINE_BYTES + 1]);
        input.extend_from_slice(b"\n");
        input.extend(vec![b'z'; MAX_LINE_BYTES * 3]);
        input.extend_from_slice(b"\nlast");
        assert_eq!(
            lines_of(&input),
            [Some(MAX_LINE_BYTES), None, None, Some(4)]
        );
    }

    #[test]
    fn line_endings_are_not_part_of_the_line() {
        assert_eq!(lines_of(b"ab\r\n\ncd\n"), [Some(2), Some(0), Some(2)]);
    }

    /// Fuzzing `keepsafe predict`: whatever bytes arrive on standard input, each non-blank line
    /// gets exactly one answer line, an error names its line number (and the field, when one is
    /// at fault), and nothing panics. Cases: `PROPTEST_CASES`, or 256.
    mod fuzz {
        use super::*;
        use proptest::prelude::*;
        use proptest::test_runner::Config;

        fn config() -> Config {
            Config {
                cases: std::env::var("PROPTEST_CASES")
                    .ok()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(256),
                failure_persistence: None,
                ..Config::default()
            }
        }

        /// Lines that are nearly right: good lines with a field changed, broken JSON, bytes that
        /// are not UTF-8, lines of blanks.
        fn line() -> impl Strategy<Value = Vec<u8>> {
            let good = r#"{"sex":"male","date_of_birth":"1965-12-07","conviction_date":"2025-05-13","followup_start_date":"2026-12-12","total_sanctions":2,"age_at_first_sanction":47,"offence_category":"soliciting"}"#;
            prop_oneof![
                Just(good.as_bytes().to_vec()),
                prop::collection::vec(any::<u8>(), 0..64),
                (0..good.len(), prop::collection::vec(any::<u8>(), 0..4)).prop_map(
                    move |(at, bytes)| {
                        let mut line = good.as_bytes().to_vec();
                        line.splice(at..at, bytes);
                        line
                    }
                ),
                "[ \t\r]{0,3}".prop_map(String::into_bytes),
                any::<String>().prop_map(String::into_bytes),
            ]
            .prop_map(|mut line| {
                line.retain(|b| *b != b'\n');
                line
            })
        }

        proptest! {
            #![proptest_config(config())]

            #[test]
            fn every_line_is_answered_once_and_every_error_names_its_line(
                lines in prop::collection::vec(line(), 0..8),
                tiering in any::<bool>(),
            ) {
                let input = lines.join(&b'\n');
                let mut output = Vec::new();
                let tally = if tiering {
                    answer_lines(input.as_slice(), &mut output, tier)
                } else {
                    answer_lines(input.as_slice(), &mut output, score_ogrs3)
                }
                .unwrap();
                let answered: Vec<&[u8]> = lines
                    .iter()
                    .filter(|line| !line.trim_ascii().is_empty())
                    .map(Vec::as_slice)
                    .collect();
                let written: Vec<Value> = output
                    .split(|b| *b == b'\n')
                    .filter(|l| !l.is_empty())
                    .map(|l| serde_json::from_slice(l).expect("each answer is one JSON line"))
                    .collect();
                prop_assert_eq!(written.len(), answered.len());
                prop_assert_eq!((tally.scored + tally.refused) as usize, answered.len());
                for answer in &written {
                    if let Some(error) = answer.get("error") {
                        prop_assert!(error.as_str().is_some_and(|e| !e.is_empty()));
                        let line = answer["line"].as_u64().expect("a line number");
                        prop_assert!(line >= 1 && line as usize <= lines.len().max(1));
                    }
                }
            }
        }
    }
}
