//! The hearings of a court's list. Adding one matches it to a case (by CRN, else by name and date
//! of birth) or makes a pre-sentence case for it — a person with a new CRN and an event awaiting
//! sentence — and, when the court asked for a report, starts the report. An imported list is
//! matched whole before anything is written: one row that cannot be matched refuses the file.

use super::courts::Court;
use super::reports;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{court_hearings, courts, events, people, pre_sentence_reports};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::court::{
    match_case, Candidate, CaseMatch, CourtRules, HearingLine, ReportStatus, ReportType, RowError,
};
use keepsafe_domain::event::{CaseType, SentenceType};
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// How a hearing came to its case, as stored in `matched_by`.
pub fn matched_by_code(found: &CaseMatch) -> &'static str {
    match found {
        CaseMatch::ByCrn(_) => "crn",
        CaseMatch::ByNameAndDateOfBirth(_) => "name_and_date_of_birth",
        _ => "new_case",
    }
}

/// How a hearing came to its case, in words.
pub fn matched_by_words(code: &str) -> &'static str {
    match code {
        "crn" => "Matched by CRN",
        "name_and_date_of_birth" => "Matched by name and date of birth",
        _ => "New pre-sentence case",
    }
}

/// Who adds hearings to which court's list, on which day.
#[derive(Debug, Clone, Copy)]
pub struct ListDay<'a> {
    pub court: &'a Court,
    pub hearing_on: NaiveDate,
    pub by: Uuid,
    pub now: DateTime<Utc>,
}

/// A hearing added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedHearing {
    pub hearing_id: Uuid,
    pub person_id: Uuid,
    pub crn: String,
    pub matched_by: &'static str,
    pub report_id: Option<Uuid>,
}

/// The cases a line might be about: the case with its CRN (if it gives one), and the cases with
/// its name and date of birth (names compared without regard to case).
pub fn find_match(conn: &mut AnyConnection, line: &HearingLine) -> StorageResult<CaseMatch> {
    let candidate = |(id, crn, first, last): (String, String, String, String)| {
        Ok::<_, StorageError>(Candidate {
            person_id: rows::id(&id)?,
            crn,
            name: format!("{first} {last}"),
        })
    };
    let select = (
        people::id,
        people::crn,
        people::first_name,
        people::last_name,
    );
    let by_crn = match &line.crn {
        Some(crn) => people::table
            .filter(people::crn.eq(crn.as_str()))
            .select(select)
            .first::<(String, String, String, String)>(conn)
            .optional()?
            .map(candidate)
            .transpose()?,
        None => None,
    };
    let by_name = if line.crn.is_none() {
        people::table
            .filter(people::date_of_birth.eq(line.date_of_birth))
            .select(select)
            .order(people::crn)
            .load::<(String, String, String, String)>(conn)?
            .into_iter()
            .filter(|(_, _, first, last)| {
                first.eq_ignore_ascii_case(line.first_name.as_str())
                    && last.eq_ignore_ascii_case(line.last_name.as_str())
            })
            .map(candidate)
            .collect::<Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
    Ok(match_case(line.crn.as_ref(), by_crn, by_name))
}

/// Adds one hearing: `Err` with the problem (several cases match, an unknown CRN) when it cannot
/// be matched, having written nothing.
pub fn add(
    conn: &mut AnyConnection,
    day: &ListDay<'_>,
    line: &HearingLine,
    rules: &CourtRules,
) -> StorageResult<Result<AddedHearing, String>> {
    let found = find_match(conn, line)?;
    if let Some(problem) = found.problem() {
        return Ok(Err(problem));
    }
    write(conn, day, line, &found, rules, &mut HashMap::new()).map(Ok)
}

/// Imports a list's lines: every line matched first, and if any cannot be, every problem named by
/// row (the file's line, counting the column names as row 1) with nothing written.
pub fn import(
    conn: &mut AnyConnection,
    day: &ListDay<'_>,
    lines: &[HearingLine],
    rules: &CourtRules,
) -> StorageResult<Result<Vec<AddedHearing>, Vec<RowError>>> {
    let mut matches = Vec::with_capacity(lines.len());
    let mut problems = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let found = find_match(conn, line)?;
        if let Some(message) = found.problem() {
            problems.push(RowError {
                row: index + 2,
                column: if line.crn.is_some() {
                    "crn"
                } else {
                    "last_name"
                }
                .to_owned(),
                message,
            });
        }
        matches.push(found);
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    // The same new person twice in one file is one new case, not two.
    let mut made = HashMap::new();
    let mut added = Vec::with_capacity(lines.len());
    for (line, found) in lines.iter().zip(&matches) {
        added.push(write(conn, day, line, found, rules, &mut made)?);
    }
    Ok(Ok(added))
}

/// New people made by this import, by (first name, last name, date of birth) in lower case.
type Made = HashMap<(String, String, NaiveDate), (Uuid, String)>;

fn write(
    conn: &mut AnyConnection,
    day: &ListDay<'_>,
    line: &HearingLine,
    found: &CaseMatch,
    rules: &CourtRules,
    made: &mut Made,
) -> StorageResult<AddedHearing> {
    let key = (
        line.first_name.as_str().to_lowercase(),
        line.last_name.as_str().to_lowercase(),
        line.date_of_birth,
    );
    let (person_id, crn) = match found {
        CaseMatch::ByCrn(c) | CaseMatch::ByNameAndDateOfBirth(c) => (c.person_id, c.crn.clone()),
        _ => match made.get(&key) {
            Some(person) => person.clone(),
            None => {
                let person = new_person(conn, day, line)?;
                made.insert(key, person.clone());
                person
            }
        },
    };
    let event_id = pre_sentence_event(conn, person_id, day, line)?;
    let hearing_id = Uuid::new_v4();
    diesel::insert_into(court_hearings::table)
        .values((
            court_hearings::id.eq(hearing_id.to_string()),
            court_hearings::court_id.eq(day.court.id.to_string()),
            court_hearings::hearing_on.eq(day.hearing_on),
            court_hearings::person_id.eq(person_id.to_string()),
            court_hearings::event_id.eq(event_id.to_string()),
            court_hearings::matched_by.eq(matched_by_code(found)),
            court_hearings::offence.eq(line.offence.as_str()),
            court_hearings::added_by.eq(day.by.to_string()),
            court_hearings::added_at.eq(day.now.naive_utc()),
        ))
        .execute(conn)?;
    let report_id = match line.report {
        Some(kind) => Some(reports::start(
            conn,
            hearing_id,
            kind,
            day.by,
            day.hearing_on,
            rules,
            day.now,
        )?),
        None => None,
    };
    Ok(AddedHearing {
        hearing_id,
        person_id,
        crn,
        matched_by: matched_by_code(found),
        report_id,
    })
}

/// A new person for a hearing no case matches, in the court's PDU, with a new CRN.
fn new_person(
    conn: &mut AnyConnection,
    day: &ListDay<'_>,
    line: &HearingLine,
) -> StorageResult<(Uuid, String)> {
    let crn = new_crn(conn, day.court.pdu_id)?;
    let id = Uuid::new_v4();
    diesel::insert_into(people::table)
        .values((
            people::id.eq(id.to_string()),
            people::crn.eq(&crn),
            people::first_name.eq(line.first_name.as_str()),
            people::last_name.eq(line.last_name.as_str()),
            people::date_of_birth.eq(line.date_of_birth),
            people::sex.eq(line.sex.code()),
            people::pdu_id.eq(day.court.pdu_id.to_string()),
            people::created_at.eq(day.now.naive_utc()),
            people::interpreter_needed.eq(false),
        ))
        .execute(conn)?;
    Ok((id, crn))
}

/// A CRN no one has: the letter the PDU's cases use (X when it has none), and six digits drawn at
/// random so CRNs do not reveal the order cases came in.
fn new_crn(conn: &mut AnyConnection, pdu_id: Uuid) -> StorageResult<String> {
    let letter = people::table
        .filter(people::pdu_id.eq(pdu_id.to_string()))
        .select(people::crn)
        .first::<String>(conn)
        .optional()?
        .and_then(|crn| crn.chars().next())
        .filter(char::is_ascii_uppercase)
        .unwrap_or('X');
    loop {
        let number = Uuid::new_v4().as_u128() % 900_000 + 100_000;
        let crn = format!("{letter}{number:06}");
        let taken: i64 = people::table
            .filter(people::crn.eq(&crn))
            .count()
            .get_result(conn)?;
        if taken == 0 {
            return Ok(crn);
        }
    }
}

/// The person's active event awaiting sentence (a hearing adjourned and listed again), or a new
/// one for this offence.
fn pre_sentence_event(
    conn: &mut AnyConnection,
    person_id: Uuid,
    day: &ListDay<'_>,
    line: &HearingLine,
) -> StorageResult<Uuid> {
    let person = person_id.to_string();
    let existing: Option<String> = events::table
        .filter(events::person_id.eq(&person))
        .filter(events::active.eq(true))
        .filter(events::case_type.eq(CaseType::PreSentence.code()))
        .select(events::id)
        .first(conn)
        .optional()?;
    if let Some(id) = existing {
        return rows::id(&id);
    }
    let number: Option<i32> = events::table
        .filter(events::person_id.eq(&person))
        .select(diesel::dsl::max(events::event_number))
        .first(conn)?;
    let id = Uuid::new_v4();
    diesel::insert_into(events::table)
        .values((
            events::id.eq(id.to_string()),
            events::person_id.eq(&person),
            events::event_number.eq(number.unwrap_or(0) + 1),
            events::offence_description.eq(line.offence.as_str()),
            events::offence_category.eq(line.offence_category.code()),
            events::offence_date.eq(line.offence_date),
            events::conviction_date.eq(day.hearing_on),
            events::court.eq(&day.court.name),
            events::sentence_type.eq(SentenceType::AwaitingSentence.code()),
            events::case_type.eq(CaseType::PreSentence.code()),
            events::active.eq(true),
        ))
        .execute(conn)?;
    Ok(id)
}

/// One line of a day's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HearingSummary {
    pub id: Uuid,
    pub person_id: Uuid,
    pub crn: String,
    pub name: String,
    pub date_of_birth: NaiveDate,
    pub offence: String,
    pub matched_by: String,
    pub report: Option<(ReportType, ReportStatus, NaiveDate)>,
    pub sentence: Option<SentenceType>,
}

/// A report's type, status and due date, as a list line reads them.
type ReportCells = (String, String, NaiveDate);

type SummaryRow = (
    (String, String, String, String),
    (String, String, NaiveDate),
    (String, Option<String>),
);

/// A page of a court's list for a day, in the order the hearings were added, and how many
/// hearings the day has: two queries however long the page.
pub fn list(
    conn: &mut AnyConnection,
    court_id: Uuid,
    hearing_on: NaiveDate,
    page: i64,
    per_page: i64,
) -> StorageResult<(Vec<HearingSummary>, i64)> {
    let court = court_id.to_string();
    let total: i64 = court_hearings::table
        .filter(court_hearings::court_id.eq(&court))
        .filter(court_hearings::hearing_on.eq(hearing_on))
        .count()
        .get_result(conn)?;
    let found: Vec<(SummaryRow, Option<ReportCells>)> = court_hearings::table
        .inner_join(people::table.on(people::id.eq(court_hearings::person_id)))
        .left_join(
            pre_sentence_reports::table.on(pre_sentence_reports::hearing_id.eq(court_hearings::id)),
        )
        .filter(court_hearings::court_id.eq(&court))
        .filter(court_hearings::hearing_on.eq(hearing_on))
        .order((court_hearings::added_at, court_hearings::id))
        .limit(per_page)
        .offset((page.max(1) - 1) * per_page)
        .select((
            (
                (
                    court_hearings::id,
                    court_hearings::person_id,
                    people::crn,
                    people::first_name,
                ),
                (
                    people::last_name,
                    court_hearings::offence,
                    people::date_of_birth,
                ),
                (court_hearings::matched_by, court_hearings::sentence_type),
            ),
            (
                pre_sentence_reports::kind,
                pre_sentence_reports::status,
                pre_sentence_reports::due_on,
            )
                .nullable(),
        ))
        .load(conn)?;
    let hearings = found
        .into_iter()
        .map(
            |(((id, person, crn, first), (last, offence, dob), (matched_by, sentence)), report)| {
                Ok(HearingSummary {
                    id: rows::id(&id)?,
                    person_id: rows::id(&person)?,
                    crn,
                    name: format!("{first} {last}"),
                    date_of_birth: dob,
                    offence,
                    matched_by,
                    report: report
                        .map(|(kind, status, due)| {
                            Ok::<_, StorageError>((rows::code(&kind)?, rows::code(&status)?, due))
                        })
                        .transpose()?,
                    sentence: rows::opt_code(sentence.as_deref())?,
                })
            },
        )
        .collect::<StorageResult<Vec<_>>>()?;
    Ok((hearings, total))
}

/// A hearing with its case and court.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hearing {
    pub id: Uuid,
    pub court: Court,
    pub hearing_on: NaiveDate,
    pub person_id: Uuid,
    pub crn: String,
    pub name: String,
    pub date_of_birth: NaiveDate,
    pub event_id: Uuid,
    pub matched_by: String,
    pub offence: String,
    pub added_at: NaiveDateTime,
    pub sentence: Option<RecordedSentence>,
}

/// The sentence recorded from the court's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedSentence {
    pub sentence_type: SentenceType,
    pub length_months: Option<i32>,
    pub sentenced_on: NaiveDate,
}

/// The hearing with this id, if there is one.
pub fn find(conn: &mut AnyConnection, id: Uuid) -> StorageResult<Option<Hearing>> {
    type Row = (
        (String, String, NaiveDate, String),
        (String, String, String, NaiveDate),
        (String, String, String, NaiveDateTime),
        (Option<String>, Option<i32>, Option<NaiveDate>),
    );
    let Some((
        (id, court_code, hearing_on, person),
        (crn, first, last, dob),
        (event, matched_by, offence, added_at),
        (sentence_type, length, sentenced_on),
    )) = court_hearings::table
        .inner_join(people::table.on(people::id.eq(court_hearings::person_id)))
        .inner_join(courts::table.on(courts::id.eq(court_hearings::court_id)))
        .filter(court_hearings::id.eq(id.to_string()))
        .select((
            (
                court_hearings::id,
                courts::code,
                court_hearings::hearing_on,
                court_hearings::person_id,
            ),
            (
                people::crn,
                people::first_name,
                people::last_name,
                people::date_of_birth,
            ),
            (
                court_hearings::event_id,
                court_hearings::matched_by,
                court_hearings::offence,
                court_hearings::added_at,
            ),
            (
                court_hearings::sentence_type,
                court_hearings::sentence_length_months,
                court_hearings::sentenced_on,
            ),
        ))
        .first::<Row>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let court = super::courts::find(conn, &court_code)?.ok_or(StorageError::NotFound)?;
    let sentence = match (sentence_type, sentenced_on) {
        (Some(code), Some(on)) => Some(RecordedSentence {
            sentence_type: rows::code(&code)?,
            length_months: length,
            sentenced_on: on,
        }),
        _ => None,
    };
    Ok(Some(Hearing {
        id: rows::id(&id)?,
        court,
        hearing_on,
        person_id: rows::id(&person)?,
        crn,
        name: format!("{first} {last}"),
        date_of_birth: dob,
        event_id: rows::id(&event)?,
        matched_by,
        offence,
        added_at,
        sentence,
    }))
}
