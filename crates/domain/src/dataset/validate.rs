//! Checking a dataset's rows before anything is written: every field against its column, every
//! identifier and unique value against the rows before it, and every reference against the files
//! read so far or the database. Every problem is kept, so an operator fixes them all in one go.

use super::files::{FileSpec, Kind};
use super::value::{parse_date, parse_date_time, Value};
use crate::crn::Crn;
use std::collections::{HashMap, HashSet};
use std::fmt;
use uuid::Uuid;

/// Something wrong with a dataset: a file, a line of it, or one field of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file's name, such as `people.csv`.
    pub file: String,
    /// The line of the file (the header is line 1).
    pub line: Option<u64>,
    pub column: Option<String>,
    pub message: String,
}

impl Problem {
    /// A problem with a whole file.
    pub fn with_file(spec: &FileSpec, message: impl Into<String>) -> Self {
        Problem {
            file: spec.file_name(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    fn at(spec: &FileSpec, line: u64, column: Option<&str>, message: String) -> Self {
        Problem {
            file: spec.file_name(),
            line: Some(line),
            column: column.map(str::to_owned),
            message,
        }
    }
}

impl fmt::Display for Problem {
    /// `file:line: column: what is wrong`, leaving out what does not apply.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ": {column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Checks a file's header row: the columns of its specification, in order.
pub fn check_header(spec: &FileSpec, header: &[&str]) -> Option<Problem> {
    let expected = spec.header();
    (header != expected.as_slice()).then(|| {
        Problem::at(
            spec,
            1,
            None,
            format!(
                "the header should be \"{}\" but is \"{}\"",
                expected.join(","),
                header.join(",")
            ),
        )
    })
}

/// What the rows read so far hold, to find duplicates and check references. Identifiers are kept
/// as 128-bit numbers, so the five million contacts of a national service fit in memory.
#[derive(Debug, Default)]
pub struct Validator {
    /// Per file: each identifier seen and the line it was first seen on.
    ids: HashMap<&'static str, HashMap<u128, u64>>,
    /// Per file: identifiers of rows that have problems, which will not be written.
    bad: HashMap<&'static str, HashSet<u128>>,
    /// Per file: keys of several columns, and unique values, with their first line.
    keys: HashMap<&'static str, HashMap<String, u64>>,
    unique: HashMap<&'static str, HashMap<String, u64>>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks one row of `spec` on `line`, returning its values or every problem it has.
    /// `in_database(file, id)` says whether a row the files do not hold is already in the
    /// database.
    pub fn check(
        &mut self,
        spec: &'static FileSpec,
        line: u64,
        fields: &[&str],
        in_database: &mut dyn FnMut(&'static str, &str) -> bool,
    ) -> Result<Vec<Value>, Vec<Problem>> {
        if fields.len() != spec.columns.len() {
            let problem = Problem::at(
                spec,
                line,
                None,
                format!(
                    "has {} fields; the header has {}",
                    fields.len(),
                    spec.columns.len()
                ),
            );
            return Err(vec![problem]);
        }
        let (values, mut problems) = parse_fields(spec, line, fields);
        let id = self.check_identity(spec, line, &values, &mut problems);
        self.check_references(spec, line, &values, in_database, &mut problems);
        if problems.is_empty() {
            Ok(values)
        } else {
            if let Some(id) = id {
                self.bad.entry(spec.name).or_default().insert(id);
            }
            Err(problems)
        }
    }

    /// Records the row's identifier, key and unique value, finding duplicates; returns the
    /// identifier of a row with an `id` column.
    fn check_identity(
        &mut self,
        spec: &'static FileSpec,
        line: u64,
        values: &[Value],
        problems: &mut Vec<Problem>,
    ) -> Option<u128> {
        let mut id = None;
        if let [single] = spec.key {
            if let Some(uuid) = spec.position(single).and_then(|at| as_uuid(&values[at])) {
                let seen = self.ids.entry(spec.name).or_default();
                match seen.get(&uuid) {
                    Some(first) => problems.push(Problem::at(
                        spec,
                        line,
                        Some(single),
                        format!(
                            "{} is also on line {first}",
                            values_text(&values[spec.position(single)?])
                        ),
                    )),
                    None => {
                        seen.insert(uuid, line);
                        id = Some(uuid);
                    }
                }
            }
        } else {
            let key: Vec<String> = spec
                .key
                .iter()
                .filter_map(|name| spec.position(name))
                .map(|at| values[at].to_field())
                .collect();
            let key = key.join(",");
            let seen = self.keys.entry(spec.name).or_default();
            match seen.get(&key) {
                Some(first) => problems.push(Problem::at(
                    spec,
                    line,
                    None,
                    format!("{} ({key}) is also on line {first}", spec.key.join(" and ")),
                )),
                None => {
                    seen.insert(key, line);
                }
            }
        }
        if let Some(name) = spec.unique {
            let value = spec.position(name).map(|at| &values[at]);
            if let Some(Value::Text(text)) = value {
                let seen = self.unique.entry(spec.name).or_default();
                match seen.get(text) {
                    Some(first) => problems.push(Problem::at(
                        spec,
                        line,
                        Some(name),
                        format!("{text} is also on line {first}"),
                    )),
                    None => {
                        seen.insert(text.clone(), line);
                    }
                }
            }
        }
        id
    }

    fn check_references(
        &self,
        spec: &'static FileSpec,
        line: u64,
        values: &[Value],
        in_database: &mut dyn FnMut(&'static str, &str) -> bool,
        problems: &mut Vec<Problem>,
    ) {
        for (column, value) in spec.columns.iter().zip(values) {
            let (Kind::Ref(target), Value::Text(text)) = (column.kind, value) else {
                continue;
            };
            let Some(uuid) = as_uuid(value) else { continue };
            let message = match self.ids.get(target).and_then(|ids| ids.get(&uuid)) {
                Some(first) if self.bad.get(target).is_some_and(|bad| bad.contains(&uuid)) => Some(
                    format!("{text} is on line {first} of {target}.csv, which has problems"),
                ),
                Some(_) => None,
                None if in_database(target, text) => None,
                None => Some(format!("{text} is not in {target}.csv or the database")),
            };
            if let Some(message) = message {
                problems.push(Problem::at(spec, line, Some(column.name), message));
            }
        }
    }
}

/// Parses a row's fields by their columns' kinds, without the checks that need other rows: for
/// a row checked before, read again to be written.
pub fn parse_row(spec: &FileSpec, line: u64, fields: &[&str]) -> Result<Vec<Value>, Vec<Problem>> {
    let (values, problems) = parse_fields(spec, line, fields);
    if problems.is_empty() {
        Ok(values)
    } else {
        Err(problems)
    }
}

fn parse_fields(spec: &FileSpec, line: u64, fields: &[&str]) -> (Vec<Value>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut values = Vec::with_capacity(fields.len());
    for (column, field) in spec.columns.iter().zip(fields) {
        match parse_field(column.kind, column.required, field) {
            Ok(value) => values.push(value),
            Err(message) => {
                problems.push(Problem::at(spec, line, Some(column.name), message));
                values.push(Value::Empty);
            }
        }
    }
    (values, problems)
}

fn values_text(value: &Value) -> String {
    value.to_field()
}

fn as_uuid(value: &Value) -> Option<u128> {
    match value {
        Value::Text(text) => Uuid::parse_str(text).ok().map(|uuid| uuid.as_u128()),
        _ => None,
    }
}

/// Parses one field by its column's kind. A message says what is wrong and shows the value.
fn parse_field(kind: Kind, required: bool, field: &str) -> Result<Value, String> {
    if field.is_empty() {
        return if required {
            Err("is required".to_owned())
        } else {
            Ok(Value::Empty)
        };
    }
    let shown: String = field.chars().take(64).collect();
    match kind {
        Kind::Id | Kind::Ref(_) | Kind::Uuid => Uuid::parse_str(field)
            .map(|uuid| Value::Text(uuid.to_string()))
            .map_err(|_| format!("'{shown}' is not an identifier (a UUID)")),
        Kind::Crn => Crn::parse(field)
            .map(|crn| Value::Text(crn.to_string()))
            .map_err(|_| format!("'{shown}' is not a case reference number such as X123456")),
        Kind::Text => Ok(Value::Text(field.to_owned())),
        Kind::Date => parse_date(field)
            .map(Value::Date)
            .ok_or_else(|| format!("'{shown}' is not a date (YYYY-MM-DD)")),
        Kind::DateTime => parse_date_time(field)
            .map(Value::DateTime)
            .ok_or_else(|| format!("'{shown}' is not a date and time (YYYY-MM-DDTHH:MM:SS)")),
        Kind::Integer => field
            .parse()
            .map(Value::Integer)
            .map_err(|_| format!("'{shown}' is not a whole number")),
        Kind::Decimal => field
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(Value::Decimal)
            .ok_or_else(|| format!("'{shown}' is not a number")),
        Kind::Bool => match field {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("'{shown}' is not true or false")),
        },
        Kind::Code(vocabulary) if vocabulary.allows(field) => Ok(Value::Text(field.to_owned())),
        Kind::Code(vocabulary) => Err(format!(
            "'{shown}' is not a known {} (one of: {})",
            vocabulary.name,
            (vocabulary.codes)().join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::file;

    const REGION: &str = "6f1c2a9e-0000-4000-8000-000000000001";
    const PDU: &str = "6f1c2a9e-0000-4000-8000-000000000002";

    fn nothing_in_database(_: &'static str, _: &str) -> bool {
        false
    }

    fn check(
        validator: &mut Validator,
        name: &str,
        line: u64,
        row: &[&str],
    ) -> Result<Vec<Value>, Vec<String>> {
        validator
            .check(file(name).unwrap(), line, row, &mut nothing_in_database)
            .map_err(|problems| problems.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn a_bad_date_names_the_file_line_column_and_value() {
        let mut validator = Validator::new();
        check(&mut validator, "regions", 2, &[REGION, "R1", "Region"]).unwrap();
        check(&mut validator, "pdus", 2, &[PDU, REGION, "P1", "PDU"]).unwrap();
        let problems = check(
            &mut validator,
            "people",
            48_211,
            &[
                "6f1c2a9e-0000-4000-8000-000000000003",
                "X123456",
                "Ann",
                "Lee",
                "1990-13-01",
                "female",
                PDU,
                "2026-11-18T09:00:00",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "false",
            ],
        )
        .unwrap_err();
        assert_eq!(
            problems,
            ["people.csv:48211: date_of_birth: '1990-13-01' is not a date (YYYY-MM-DD)"]
        );
    }

    #[test]
    fn a_duplicate_identifier_names_the_line_it_was_first_on() {
        let mut validator = Validator::new();
        check(&mut validator, "regions", 2, &[REGION, "R1", "Region"]).unwrap();
        let problems = check(&mut validator, "regions", 3, &[REGION, "R2", "Region"]).unwrap_err();
        assert_eq!(
            problems,
            [format!("regions.csv:3: id: {REGION} is also on line 2")]
        );
    }

    #[test]
    fn a_reference_to_a_row_with_problems_says_so() {
        let mut validator = Validator::new();
        check(&mut validator, "regions", 2, &[REGION, "R1", ""]).unwrap_err();
        let problems = check(&mut validator, "pdus", 2, &[PDU, REGION, "P1", "PDU"]).unwrap_err();
        assert_eq!(
            problems,
            [format!(
                "pdus.csv:2: region_id: {REGION} is on line 2 of regions.csv, which has problems"
            )]
        );
    }

    #[test]
    fn a_reference_found_in_neither_the_files_nor_the_database_is_a_problem() {
        let mut validator = Validator::new();
        let problems = check(&mut validator, "pdus", 2, &[PDU, REGION, "P1", "PDU"]).unwrap_err();
        assert_eq!(
            problems,
            [format!(
                "pdus.csv:2: region_id: {REGION} is not in regions.csv or the database"
            )]
        );
        let mut in_database = |file: &'static str, id: &str| file == "regions" && id == REGION;
        let mut validator = Validator::new();
        let values = validator.check(
            file("pdus").unwrap(),
            2,
            &[PDU, REGION, "P1", "PDU"],
            &mut in_database,
        );
        assert!(values.is_ok());
    }
}
