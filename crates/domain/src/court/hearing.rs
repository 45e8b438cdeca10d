//! A hearing on a court list, as typed on the form or read from a row of the list's CSV file, and
//! how it is matched to a case: by CRN when the list gives one, else by name and date of birth —
//! one match is taken and shown as such, several are shown as candidates to choose from (never a
//! silent guess), none makes a new pre-sentence case.

use super::report::ReportType;
use crate::calendar::long_date;
use crate::crn::Crn;
use crate::event::OffenceCategory;
use crate::person::{validate_date_of_birth, PersonName, Sex};
use crate::text::LongText;
use crate::CodedValue;
use chrono::NaiveDate;
use uuid::Uuid;

/// The columns of a court list file, in the order written in `docs/court-lists.md`. The first
/// line of the file names them (in any order); `crn` and `report_type` may be left empty.
pub const LIST_COLUMNS: [&str; 9] = [
    "crn",
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "offence",
    "offence_category",
    "offence_date",
    "report_type",
];

/// The most rows one file may hold: a busy court's day is well under a hundred.
pub const MAX_ROWS: usize = 500;

/// A hearing's details, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HearingLine {
    pub crn: Option<Crn>,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    pub offence: LongText,
    pub offence_category: OffenceCategory,
    pub offence_date: NaiveDate,
    /// The report the court asked for at this hearing, if any.
    pub report: Option<ReportType>,
}

/// A hearing's details as typed: text, with the dates already read from their inputs (a form's
/// three boxes, or a file's `YYYY-MM-DD`) or the message saying why they could not be.
#[derive(Debug, Clone)]
pub struct RawLine<'a> {
    pub crn: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub date_of_birth: Result<NaiveDate, String>,
    pub sex: &'a str,
    pub offence: &'a str,
    pub offence_category: &'a str,
    pub offence_date: Result<NaiveDate, String>,
    pub report_type: &'a str,
}

/// One problem with a line: the column (or form field) and what to do.
pub type LineError = (&'static str, String);

impl HearingLine {
    /// Checks every field of a line, keeping every problem.
    pub fn parse(raw: &RawLine<'_>, hearing_on: NaiveDate) -> Result<Self, Vec<LineError>> {
        let mut errors: Vec<LineError> = Vec::new();
        let mut keep = |column: &'static str, message: String| errors.push((column, message));
        let crn = match raw.crn.trim() {
            "" => None,
            text => Crn::parse(text)
                .map_err(|e| keep("crn", e.to_string()))
                .ok(),
        };
        let first_name = PersonName::parse(raw.first_name)
            .map_err(|e| keep("first_name", format!("First name: {e}")))
            .ok();
        let last_name = PersonName::parse(raw.last_name)
            .map_err(|e| keep("last_name", format!("Last name: {e}")))
            .ok();
        let date_of_birth = match &raw.date_of_birth {
            Ok(day) => validate_date_of_birth(*day, hearing_on)
                .map_err(|e| keep("date_of_birth", e.to_string()))
                .ok(),
            Err(message) => {
                keep("date_of_birth", message.clone());
                None
            }
        };
        // As a code or its word in any case ("Male", "FEMALE"), like the other vocabularies.
        let sex = code_or_label::<Sex>(raw.sex)
            .map_err(|_| keep("sex", "Sex must be male or female".into()))
            .ok();
        let offence = LongText::required(raw.offence)
            .map_err(|e| keep("offence", format!("Offence: {e}")))
            .ok();
        let offence_category = code_or_label::<OffenceCategory>(raw.offence_category)
            .map_err(|_| keep("offence_category", "Choose the offence category".into()))
            .ok();
        let offence_date = match &raw.offence_date {
            Ok(day) if *day > hearing_on => {
                keep(
                    "offence_date",
                    format!(
                        "The offence date must be on or before the hearing, {}",
                        long_date(hearing_on)
                    ),
                );
                None
            }
            Ok(day) => Some(*day),
            Err(message) => {
                keep("offence_date", message.clone());
                None
            }
        };
        let report = match raw.report_type.trim() {
            "" | "none" | "None" => None,
            _ => code_or_label::<ReportType>(raw.report_type)
                .map_err(|_| {
                    keep(
                        "report_type",
                        "The report type must be oral, short_format, standard or empty".into(),
                    )
                })
                .ok(),
        };
        match (
            first_name,
            last_name,
            date_of_birth,
            sex,
            offence,
            offence_category,
            offence_date,
        ) {
            (
                Some(first_name),
                Some(last_name),
                Some(date_of_birth),
                Some(sex),
                Some(offence),
                Some(offence_category),
                Some(offence_date),
            ) if errors.is_empty() => Ok(Self {
                crn,
                first_name,
                last_name,
                date_of_birth,
                sex,
                offence,
                offence_category,
                offence_date,
                report,
            }),
            _ => Err(errors),
        }
    }
}

/// A problem with one row of a court list file. `row` counts the file's lines from 1, the line
/// of column names included, as a spreadsheet numbers them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub message: String,
}

impl RowError {
    /// The problem in a sentence that names where it is.
    pub fn describe(&self) -> String {
        if self.column.is_empty() {
            format!("Row {}: {}", self.row, self.message)
        } else {
            format!("Row {}, column {}: {}", self.row, self.column, self.message)
        }
    }
}

/// Reads a court list file: every row checked, every problem kept (naming the row and column), so
/// a file is taken whole or not at all.
pub fn parse_list(text: &str, hearing_on: NaiveDate) -> Result<Vec<HearingLine>, Vec<RowError>> {
    let rows = split_csv(text);
    let file_error = |message: &str| {
        vec![RowError {
            row: 1,
            column: String::new(),
            message: message.to_owned(),
        }]
    };
    let Some((header, data)) = rows.split_first() else {
        return Err(file_error(
            "The file is empty. Its first line must name the columns",
        ));
    };
    let (_, header) = header;
    let header: Vec<String> = header
        .iter()
        .map(|c| c.trim().to_ascii_lowercase())
        .collect();
    let missing: Vec<&str> = LIST_COLUMNS
        .iter()
        .copied()
        .filter(|column| !header.iter().any(|h| h == column))
        .collect();
    if !missing.is_empty() {
        return Err(file_error(&format!(
            "The first line must name the columns; it does not have {}",
            missing.join(", ")
        )));
    }
    if data.is_empty() {
        return Err(file_error(
            "The file has no hearings after the line of column names",
        ));
    }
    if data.len() > MAX_ROWS {
        return Err(file_error(&format!(
            "A file may hold at most {MAX_ROWS} hearings"
        )));
    }
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for (row, cells) in data {
        let cell = |column: &str| -> &str {
            header
                .iter()
                .position(|h| h == column)
                .and_then(|i| cells.get(i))
                .map_or("", String::as_str)
        };
        let raw = RawLine {
            crn: cell("crn"),
            first_name: cell("first_name"),
            last_name: cell("last_name"),
            date_of_birth: iso_date(cell("date_of_birth"), "date of birth"),
            sex: cell("sex"),
            offence: cell("offence"),
            offence_category: cell("offence_category"),
            offence_date: iso_date(cell("offence_date"), "offence date"),
            report_type: cell("report_type"),
        };
        match HearingLine::parse(&raw, hearing_on) {
            Ok(line) => lines.push(line),
            Err(problems) => {
                errors.extend(problems.into_iter().map(|(column, message)| RowError {
                    row: *row,
                    column: column.to_owned(),
                    message,
                }))
            }
        }
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(errors)
    }
}

/// A date as spreadsheets export it: `YYYY-MM-DD`, or day/month/year as written in the UK.
fn iso_date(text: &str, what: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("Enter the {what}"));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .map_err(|_| {
            format!("The {what} must be a real date, written year-month-day or day/month/year")
        })
}

/// A value of a vocabulary given by its code or its label, ignoring case, spaces and hyphens
/// ("short_format", "Short-format report", "theft (non-motor)").
fn code_or_label<T: CodedValue>(text: &str) -> Result<T, ()> {
    let plain = |s: &str| -> String {
        s.trim()
            .to_lowercase()
            .chars()
            .map(|c| if c == ' ' || c == '-' { '_' } else { c })
            .collect()
    };
    let given = plain(text);
    T::ALL
        .iter()
        .copied()
        .find(|value| {
            plain(value.code()) == given
                || plain(value.label()) == given
                || plain(value.label()).trim_end_matches("_report") == given
        })
        .ok_or(())
}

/// Splits CSV text (RFC 4180: commas, quoted fields with doubled quotes, CRLF or LF line ends)
/// into rows of cells, each with the row a spreadsheet shows it on (counting from 1), skipping
/// blank rows but counting them, so a problem is reported on the row the user sees.
fn split_csv(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut rows = Vec::new();
    let mut number = 1;
    let mut row: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                if row.iter().any(|c| !c.trim().is_empty()) {
                    rows.push((number, std::mem::take(&mut row)));
                } else {
                    row.clear();
                }
                number += 1;
            }
            (false, c) => cell.push(c),
        }
    }
    row.push(cell);
    if row.iter().any(|c| !c.trim().is_empty()) {
        rows.push((number, row));
    }
    rows
}

/// A case a hearing might be about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub person_id: Uuid,
    pub crn: String,
    pub name: String,
}

/// How a hearing was matched to a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseMatch {
    /// The list gave the CRN and the case exists.
    ByCrn(Candidate),
    /// Exactly one case has this name and date of birth.
    ByNameAndDateOfBirth(Candidate),
    /// Several cases have this name and date of birth: someone must choose.
    Ambiguous(Vec<Candidate>),
    /// The list gave a CRN no case has.
    UnknownCrn(String),
    /// No case: a new pre-sentence case is made.
    New,
}

impl CaseMatch {
    /// Why the hearing cannot be added as it stands, if it cannot.
    pub fn problem(&self) -> Option<String> {
        match self {
            CaseMatch::Ambiguous(candidates) => Some(format!(
                "{} cases have this name and date of birth ({}): give the CRN of the right one",
                candidates.len(),
                candidates
                    .iter()
                    .map(|c| c.crn.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            CaseMatch::UnknownCrn(crn) => Some(format!(
                "No case has the CRN {crn}. Check it, or leave it empty to match by name and date of birth"
            )),
            _ => None,
        }
    }
}

/// Decides the match from what was found: the case with the CRN given (if one was given), and
/// the cases with the same name and date of birth.
pub fn match_case(
    given_crn: Option<&Crn>,
    by_crn: Option<Candidate>,
    by_name_and_date_of_birth: Vec<Candidate>,
) -> CaseMatch {
    match (given_crn, by_crn) {
        (Some(_), Some(found)) => CaseMatch::ByCrn(found),
        (Some(crn), None) => CaseMatch::UnknownCrn(crn.to_string()),
        (None, _) => {
            let mut candidates = by_name_and_date_of_birth;
            match candidates.len() {
                0 => CaseMatch::New,
                1 => CaseMatch::ByNameAndDateOfBirth(candidates.remove(0)),
                _ => CaseMatch::Ambiguous(candidates),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const HEADER: &str = "crn,first_name,last_name,date_of_birth,sex,offence,offence_category,offence_date,report_type\n";

    fn candidate(n: u128, crn: &str) -> Candidate {
        Candidate {
            person_id: Uuid::from_u128(n),
            crn: crn.into(),
            name: "Jane Smith".into(),
        }
    }

    #[test]
    fn a_good_list_is_read_row_by_row() {
        let text = format!(
            "{HEADER}X123456,Jane,Smith,1990-05-01,female,\"Assault, common\",violence,2026-10-01,short_format\n,Tom,Reed,1985-02-03,male,Theft from a shop,theft_non_motor,2026-11-02,\n"
        );
        let lines = parse_list(&text, date(2026, 12, 2)).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].offence.as_str(), "Assault, common");
        assert_eq!(lines[0].report, Some(ReportType::ShortFormat));
        assert_eq!(lines[1].crn, None);
        assert_eq!(lines[1].report, None);
    }

    #[test]
    fn values_may_be_written_as_their_words_and_dates_day_first() {
        let text = format!(
            "{HEADER},Jane,Smith,01/05/1990,female,Assault,Violence against the person,2026-10-01,Short-format\n"
        );
        let lines = parse_list(&text, date(2026, 12, 2)).unwrap();
        assert_eq!(lines[0].date_of_birth, date(1990, 5, 1));
        assert_eq!(lines[0].offence_category, OffenceCategory::Violence);
        assert_eq!(lines[0].report, Some(ReportType::ShortFormat));
    }

    #[test]
    fn every_bad_cell_is_named_by_row_and_column() {
        let text = format!(
            "{HEADER}X12,Jane,Smith,1990-05-01,female,Assault,violence,2026-10-01,\n,Tom,,1985-02-30,male,Theft,theft_non_motor,2026-11-02,weekly\n"
        );
        let errors = parse_list(&text, date(2026, 12, 2)).unwrap_err();
        let described: Vec<String> = errors.iter().map(RowError::describe).collect();
        assert_eq!(described.len(), 4, "{described:?}");
        assert!(
            described[0].starts_with("Row 2, column crn:"),
            "{described:?}"
        );
        assert!(described[1].starts_with("Row 3, column last_name:"));
        assert!(described[2].starts_with("Row 3, column date_of_birth:"));
        assert!(described[3].starts_with("Row 3, column report_type:"));
    }

    /// Found by fuzzing: "Male" or "FEMALE", as spreadsheets write them, were refused while every
    /// other vocabulary was read in any case.
    #[test]
    fn sex_is_read_as_its_word_in_any_case() {
        for written in ["male", "Male", "MALE", " Male "] {
            let text = format!(
                "{HEADER},Tom,Reed,1985-02-03,{written},Theft,theft_non_motor,2026-11-02,\n"
            );
            let lines = parse_list(&text, date(2026, 12, 2)).unwrap();
            assert_eq!(lines[0].sex, Sex::Male, "{written}");
        }
    }

    /// Found by fuzzing: blank rows were skipped without being counted, so a problem below one
    /// was reported on the row above the one the spreadsheet shows.
    #[test]
    fn a_problem_below_blank_rows_names_the_row_the_spreadsheet_shows() {
        let text = format!(
            "{HEADER},Jane,Smith,1990-05-01,female,\"Assault,\nin the street\",violence,2026-10-01,\n\n\r\n,Tom,,1985-02-03,male,Theft,theft_non_motor,2026-11-02,\n"
        );
        let errors = parse_list(&text, date(2026, 12, 2)).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].describe(),
            "Row 5, column last_name: Last name: Enter a name"
        );
    }

    #[test]
    fn a_file_without_the_columns_is_refused_naming_them() {
        let errors = parse_list("crn,name\nX123456,Jane\n", date(2026, 12, 2)).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("first_name"), "{:?}", errors[0]);
        assert!(parse_list("", date(2026, 12, 2)).is_err());
        assert!(parse_list(HEADER, date(2026, 12, 2)).is_err());
    }

    #[test]
    fn an_offence_after_the_hearing_is_refused() {
        let text = format!("{HEADER},Jane,Smith,1990-05-01,female,Assault,violence,2026-12-03,\n");
        let errors = parse_list(&text, date(2026, 12, 2)).unwrap_err();
        assert_eq!(errors[0].column, "offence_date");
    }

    #[test]
    fn a_crn_given_matches_that_case_or_is_refused() {
        let crn = Crn::parse("X123456").unwrap();
        assert_eq!(
            match_case(Some(&crn), Some(candidate(1, "X123456")), vec![]),
            CaseMatch::ByCrn(candidate(1, "X123456"))
        );
        let unknown = match_case(Some(&crn), None, vec![candidate(2, "X654321")]);
        assert!(unknown.problem().unwrap().contains("X123456"));
    }

    #[test]
    fn without_a_crn_one_name_and_birth_date_match_is_taken_and_several_are_shown_to_choose() {
        assert_eq!(match_case(None, None, vec![]), CaseMatch::New);
        assert_eq!(
            match_case(None, None, vec![candidate(1, "X111111")]),
            CaseMatch::ByNameAndDateOfBirth(candidate(1, "X111111"))
        );
        let ambiguous = match_case(
            None,
            None,
            vec![candidate(1, "X111111"), candidate(2, "X222222")],
        );
        let problem = ambiguous.problem().unwrap();
        assert!(problem.contains("X111111, X222222"), "{problem}");
    }
}
