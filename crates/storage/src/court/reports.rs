//! Pre-sentence reports: started when the court asks for one (due by `CourtRules`, and counted in
//! the author's workload through `workload::add_court_report`), saved as drafts guarded by their
//! version, completed when submitted to court; the requests to adjourn; and the facts the
//! proposal's gate reads (the police and children's-services checks, the main occupier).

use super::STALE_MESSAGE;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::risk::{address_checks, checks};
use crate::rows;
use crate::schema::{court_adjournments, court_hearings, pre_sentence_reports, staff};
use crate::workload::{add_court_report, complete_court_report, NewCourtReport};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::checks::CheckKind;
use keepsafe_domain::court::{
    AdjournmentOutcome, CheckState, CourtRules, OccupierState, ProposalFacts, ReportStatus,
    ReportType,
};
use keepsafe_domain::event::SentenceType;
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::text::LongText;
use keepsafe_domain::workload::ReportKind;
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// The workload's kind of report for a pre-sentence report: a standard report is a standard
/// court report; oral and short-format reports are fast ones.
pub fn workload_kind(kind: ReportType) -> ReportKind {
    match kind {
        ReportType::Standard => ReportKind::StandardCourtReport,
        ReportType::Oral | ReportType::ShortFormat => ReportKind::FastCourtReport,
    }
}

/// Starts the report the court asked for at a hearing, written by `author`. One per hearing: a
/// second is refused ([`StorageError::Conflict`]).
pub fn start(
    conn: &mut AnyConnection,
    hearing_id: Uuid,
    kind: ReportType,
    author: Uuid,
    hearing_on: NaiveDate,
    rules: &CourtRules,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let hearing = hearing_id.to_string();
    let existing: i64 = pre_sentence_reports::table
        .filter(pre_sentence_reports::hearing_id.eq(&hearing))
        .count()
        .get_result(conn)?;
    if existing > 0 {
        return Err(StorageError::Conflict(
            "A report has already been started for this hearing".into(),
        ));
    }
    let person: String = court_hearings::table
        .find(&hearing)
        .select(court_hearings::person_id)
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    let due_on = rules.due_on(kind, hearing_on);
    let workload = add_court_report(
        conn,
        &NewCourtReport {
            person_id: rows::id(&person)?,
            staff_id: author,
            kind: workload_kind(kind),
            requested_on: hearing_on,
            due_on,
        },
    )?;
    let id = Uuid::new_v4();
    diesel::insert_into(pre_sentence_reports::table)
        .values((
            pre_sentence_reports::id.eq(id.to_string()),
            pre_sentence_reports::hearing_id.eq(&hearing),
            pre_sentence_reports::person_id.eq(&person),
            pre_sentence_reports::kind.eq(kind.code()),
            pre_sentence_reports::status.eq(ReportStatus::Draft.code()),
            pre_sentence_reports::requested_on.eq(hearing_on),
            pre_sentence_reports::due_on.eq(due_on),
            pre_sentence_reports::rule_version.eq(&rules.version),
            pre_sentence_reports::author_id.eq(author.to_string()),
            pre_sentence_reports::workload_report_id.eq(Some(workload.to_string())),
            pre_sentence_reports::version.eq(1),
            pre_sentence_reports::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// What a report says: everything the author writes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReportContent {
    pub sources: LongText,
    pub offence_analysis: LongText,
    pub risk_analysis: LongText,
    /// How the police and children's-services responses were considered.
    pub checks_analysis: LongText,
    pub needs_analysis: LongText,
    pub proposed_sentence: Option<SentenceType>,
    pub proposed_requirements: Vec<RequirementKind>,
    pub justification: LongText,
}

/// A request to adjourn, and what the court decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdjournmentRecord {
    pub id: Uuid,
    pub asked_on: NaiveDate,
    pub reason: String,
    pub outcome: Option<AdjournmentOutcome>,
    pub new_hearing_on: Option<NaiveDate>,
    pub recorded_by: String,
}

/// A report as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRecord {
    pub id: Uuid,
    pub hearing_id: Uuid,
    pub person_id: Uuid,
    pub kind: ReportType,
    pub status: ReportStatus,
    pub requested_on: NaiveDate,
    pub due_on: NaiveDate,
    pub rule_version: String,
    pub author_id: Uuid,
    pub author: String,
    pub content: ReportContent,
    pub completed_on: Option<NaiveDate>,
    pub version: i32,
    pub updated_at: NaiveDateTime,
    pub adjournments: Vec<AdjournmentRecord>,
}

type ReportRow = (
    (String, String, String, String, String),
    (NaiveDate, NaiveDate, String, String, String, String),
    (String, String, String, String, String),
    (Option<String>, String, String),
    (Option<NaiveDate>, i32, NaiveDateTime, Option<String>),
);

fn text(value: &str) -> StorageResult<LongText> {
    LongText::optional(value).map_err(|e| StorageError::Corrupt(e.to_string()))
}

/// The requirement codes stored space-separated, read back.
fn requirements(codes: &str) -> StorageResult<Vec<RequirementKind>> {
    codes.split_whitespace().map(rows::code).collect()
}

/// The report for a hearing, if one was started, with its adjournments (two queries).
pub fn for_hearing(
    conn: &mut AnyConnection,
    hearing_id: Uuid,
) -> StorageResult<Option<ReportRecord>> {
    let row: Option<ReportRow> = pre_sentence_reports::table
        .inner_join(staff::table.on(staff::id.eq(pre_sentence_reports::author_id)))
        .filter(pre_sentence_reports::hearing_id.eq(hearing_id.to_string()))
        .select((
            (
                pre_sentence_reports::id,
                pre_sentence_reports::hearing_id,
                pre_sentence_reports::person_id,
                pre_sentence_reports::kind,
                pre_sentence_reports::status,
            ),
            (
                pre_sentence_reports::requested_on,
                pre_sentence_reports::due_on,
                pre_sentence_reports::rule_version,
                pre_sentence_reports::author_id,
                staff::first_name,
                staff::last_name,
            ),
            (
                pre_sentence_reports::sources,
                pre_sentence_reports::offence_analysis,
                pre_sentence_reports::risk_analysis,
                pre_sentence_reports::checks_analysis,
                pre_sentence_reports::needs_analysis,
            ),
            (
                pre_sentence_reports::proposed_sentence,
                pre_sentence_reports::proposed_requirements,
                pre_sentence_reports::justification,
            ),
            (
                pre_sentence_reports::completed_on,
                pre_sentence_reports::version,
                pre_sentence_reports::updated_at,
                pre_sentence_reports::workload_report_id,
            ),
        ))
        .first(conn)
        .optional()?;
    let Some((
        (id, hearing, person, kind, status),
        (requested_on, due_on, rule_version, author_id, first, last),
        (sources, offence, risk, checks_text, needs),
        (sentence, proposed, justification),
        (completed_on, version, updated_at, _),
    )) = row
    else {
        return Ok(None);
    };
    let adjournments = adjournments(conn, &id)?;
    Ok(Some(ReportRecord {
        id: rows::id(&id)?,
        hearing_id: rows::id(&hearing)?,
        person_id: rows::id(&person)?,
        kind: rows::code(&kind)?,
        status: rows::code(&status)?,
        requested_on,
        due_on,
        rule_version,
        author_id: rows::id(&author_id)?,
        author: format!("{first} {last}"),
        content: ReportContent {
            sources: text(&sources)?,
            offence_analysis: text(&offence)?,
            risk_analysis: text(&risk)?,
            checks_analysis: text(&checks_text)?,
            needs_analysis: text(&needs)?,
            proposed_sentence: rows::opt_code(sentence.as_deref())?,
            proposed_requirements: requirements(&proposed)?,
            justification: text(&justification)?,
        },
        completed_on,
        version,
        updated_at,
        adjournments,
    }))
}

fn adjournments(conn: &mut AnyConnection, report: &str) -> StorageResult<Vec<AdjournmentRecord>> {
    court_adjournments::table
        .inner_join(staff::table.on(staff::id.eq(court_adjournments::recorded_by)))
        .filter(court_adjournments::report_id.eq(report))
        .order((
            court_adjournments::asked_on,
            court_adjournments::recorded_at,
        ))
        .select((
            court_adjournments::id,
            court_adjournments::asked_on,
            court_adjournments::reason,
            court_adjournments::outcome,
            court_adjournments::new_hearing_on,
            staff::first_name,
            staff::last_name,
        ))
        .load::<(
            String,
            NaiveDate,
            String,
            Option<String>,
            Option<NaiveDate>,
            String,
            String,
        )>(conn)?
        .into_iter()
        .map(
            |(id, asked_on, reason, outcome, new_hearing_on, first, last)| {
                Ok(AdjournmentRecord {
                    id: rows::id(&id)?,
                    asked_on,
                    reason,
                    outcome: rows::opt_code(outcome.as_deref())?,
                    new_hearing_on,
                    recorded_by: format!("{first} {last}"),
                })
            },
        )
        .collect()
}

/// Refuses a change to a report someone changed meanwhile, or one already submitted.
fn guard(conn: &mut AnyConnection, id: &str, version: i32) -> StorageResult<()> {
    let (stored, status): (i32, String) = pre_sentence_reports::table
        .find(id)
        .select((pre_sentence_reports::version, pre_sentence_reports::status))
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    if status != ReportStatus::Draft.code() {
        return Err(StorageError::Conflict(
            "This report has been submitted to court and can no longer be changed.".into(),
        ));
    }
    if stored != version {
        return Err(StorageError::Conflict(STALE_MESSAGE.into()));
    }
    Ok(())
}

/// Saves the draft's content, if `version` is still the stored one.
pub fn save_draft(
    conn: &mut AnyConnection,
    id: Uuid,
    version: i32,
    content: &ReportContent,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let key = id.to_string();
    guard(conn, &key, version)?;
    let proposed: Vec<&str> = content
        .proposed_requirements
        .iter()
        .map(|k| k.code())
        .collect();
    diesel::update(pre_sentence_reports::table.find(&key))
        .set((
            pre_sentence_reports::sources.eq(content.sources.as_str()),
            pre_sentence_reports::offence_analysis.eq(content.offence_analysis.as_str()),
            pre_sentence_reports::risk_analysis.eq(content.risk_analysis.as_str()),
            pre_sentence_reports::checks_analysis.eq(content.checks_analysis.as_str()),
            pre_sentence_reports::needs_analysis.eq(content.needs_analysis.as_str()),
            pre_sentence_reports::proposed_sentence.eq(content.proposed_sentence.map(|s| s.code())),
            pre_sentence_reports::proposed_requirements.eq(proposed.join(" ")),
            pre_sentence_reports::justification.eq(content.justification.as_str()),
            pre_sentence_reports::version.eq(version + 1),
            pre_sentence_reports::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks the report submitted to court on `today`; it stops counting in the author's workload.
pub fn complete(
    conn: &mut AnyConnection,
    id: Uuid,
    version: i32,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let key = id.to_string();
    guard(conn, &key, version)?;
    let workload: Option<String> = pre_sentence_reports::table
        .find(&key)
        .select(pre_sentence_reports::workload_report_id)
        .first(conn)?;
    if let Some(workload) = workload {
        complete_court_report(conn, rows::id(&workload)?, today)?;
    }
    diesel::update(pre_sentence_reports::table.find(&key))
        .set((
            pre_sentence_reports::status.eq(ReportStatus::Completed.code()),
            pre_sentence_reports::completed_on.eq(Some(today)),
            pre_sentence_reports::version.eq(version + 1),
            pre_sentence_reports::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// A request to adjourn as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAdjournment {
    pub asked_on: NaiveDate,
    pub reason: LongText,
    pub outcome: Option<AdjournmentOutcome>,
    pub new_hearing_on: Option<NaiveDate>,
}

/// Records asking the court to adjourn.
pub fn add_adjournment(
    conn: &mut AnyConnection,
    report_id: Uuid,
    adjournment: &NewAdjournment,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(court_adjournments::table)
        .values((
            court_adjournments::id.eq(id.to_string()),
            court_adjournments::report_id.eq(report_id.to_string()),
            court_adjournments::asked_on.eq(adjournment.asked_on),
            court_adjournments::reason.eq(adjournment.reason.as_str()),
            court_adjournments::outcome.eq(adjournment.outcome.map(|o| o.code())),
            court_adjournments::new_hearing_on.eq(adjournment.new_hearing_on),
            court_adjournments::recorded_by.eq(by.to_string()),
            court_adjournments::recorded_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Records what the court decided about a request to adjourn.
pub fn record_adjournment_outcome(
    conn: &mut AnyConnection,
    report_id: Uuid,
    adjournment_id: Uuid,
    outcome: AdjournmentOutcome,
    new_hearing_on: Option<NaiveDate>,
) -> StorageResult<()> {
    let changed = diesel::update(
        court_adjournments::table
            .filter(court_adjournments::id.eq(adjournment_id.to_string()))
            .filter(court_adjournments::report_id.eq(report_id.to_string())),
    )
    .set((
        court_adjournments::outcome.eq(Some(outcome.code())),
        court_adjournments::new_hearing_on.eq(new_hearing_on),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// What the proposal's gate reads about a person: the latest police and children's-services
/// requests that still count, and the newest address check's occupier.
pub fn proposal_facts(
    conn: &mut AnyConnection,
    person_id: Uuid,
    today: NaiveDate,
) -> StorageResult<ProposalFacts> {
    let requests = checks::for_person(conn, person_id)?;
    let state = |kind: CheckKind| {
        requests
            .iter()
            .filter(|r| r.check_kind() == Some(kind) && r.still_counts())
            .map(|r| match &r.response {
                Some(response) => CheckState::Answered {
                    received_on: response.received_on,
                },
                None => CheckState::Awaiting {
                    requested_on: r.requested_on,
                    deadline: r.deadline,
                },
            })
            // Newest first: an answered request counts even when a later one is still awaited.
            .min_by_key(|s| !matches!(s, CheckState::Answered { .. }))
            .unwrap_or(CheckState::NotRequested)
    };
    let occupier = match address_checks::for_person(conn, person_id)?.first() {
        None => OccupierState::NoAddressCheck,
        Some(summary) => {
            let stored = address_checks::load(conn, person_id, summary.id, today)?;
            let named = stored
                .check
                .main_occupier
                .as_deref()
                .is_some_and(|name| !name.trim().is_empty());
            if stored.check.person_is_occupier == Some(true) || named {
                OccupierState::Recorded {
                    address_check: summary.id,
                }
            } else {
                OccupierState::NotRecorded {
                    address_check: summary.id,
                    address: summary.address.clone(),
                }
            }
        }
    };
    Ok(ProposalFacts {
        police: state(CheckKind::PoliceDomesticAbuse),
        childrens_services: state(CheckKind::ChildrensServices),
        occupier,
    })
}
