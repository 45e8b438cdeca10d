//! Supervisor insights (reference §13): for every practitioner of a PDU, how many of their current
//! cases have an overdue risk assessment or an overdue review, and how many of the appointments on
//! their cases were missed — with the CRNs behind every count, so a manager can go from a number to
//! the cases. The comparison with like caseloads and the outlier rule are the domain's
//! ([`keepsafe_domain::workload::insights`]).
//!
//! A bulk path: the PDU's workload (a fixed number of queries, [`crate::workload::for_pdu`]) and
//! then three queries per 500 cases, whatever the number of practitioners.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{contacts, review_tasks};
use crate::workload::{self, PractitionerWorkload};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::supervision::contact::{ContactOutcome, ContactStatus};
use keepsafe_domain::workload::{InsightMeasure, InsightRules, PractitionerRate, Rate};
use keepsafe_domain::CodedValue;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Cases per `IN (...)` list.
const CASES_PER_QUERY: usize = 500;

/// One practitioner's counts, with the cases behind them.
#[derive(Debug, Clone, PartialEq)]
pub struct PractitionerInsight {
    pub staff_id: Uuid,
    pub name: String,
    pub grade: Grade,
    pub team_id: Uuid,
    pub team: String,
    pub overdue_assessments: Rate,
    pub overdue_reviews: Rate,
    pub missed_contacts: Rate,
    /// The CRNs behind each count, by measure, sorted.
    pub behind: HashMap<InsightMeasure, Vec<String>>,
}

impl PractitionerInsight {
    /// The rate for one measure.
    pub fn rate(&self, measure: InsightMeasure) -> Rate {
        match measure {
            InsightMeasure::OverdueAssessments => self.overdue_assessments,
            InsightMeasure::OverdueReviews => self.overdue_reviews,
            InsightMeasure::MissedContacts => self.missed_contacts,
        }
    }

    /// The rate in the shape the domain's comparison takes.
    pub fn for_comparison(&self, measure: InsightMeasure) -> PractitionerRate {
        PractitionerRate {
            staff_id: self.staff_id,
            grade: self.grade,
            rate: self.rate(measure),
        }
    }
}

/// The insights for every practitioner (grades that hold a caseload) of the PDU, on `today`, with
/// contacts counted up to `now`.
pub fn for_pdu(
    conn: &mut AnyConnection,
    pdu_id: Uuid,
    rules: &InsightRules,
    now: DateTime<Utc>,
) -> StorageResult<Vec<PractitionerInsight>> {
    let today = now.date_naive();
    let people: Vec<PractitionerWorkload> = workload::for_pdu(conn, pdu_id, today)?
        .into_iter()
        .filter(|p| p.grade.holds_caseload())
        .collect();
    let keys: Vec<String> = people
        .iter()
        .flat_map(|p| p.case_list.iter().map(|c| c.person_id.to_string()))
        .collect();
    let assessed: HashSet<String> = assessed(conn, &keys)?;
    let overdue_reviews = overdue_reviews(conn, &keys, today)?;
    let contacts = contacts_in_window(conn, &keys, rules.contact_window_start(today), now)?;

    people
        .into_iter()
        .map(|p| {
            let mut behind: HashMap<InsightMeasure, Vec<String>> = HashMap::new();
            let mut needing_assessment = 0;
            let mut appointments = 0;
            for case in &p.case_list {
                let key = case.person_id.to_string();
                if case.case_type.is_some_and(|t| t != CaseType::PreSentence) {
                    needing_assessment += 1;
                    if !assessed.contains(&key)
                        && rules.assessment_overdue(case.allocated_on, today)
                    {
                        behind
                            .entry(InsightMeasure::OverdueAssessments)
                            .or_default()
                            .push(case.crn.clone());
                    }
                }
                if overdue_reviews.contains(&key) {
                    behind
                        .entry(InsightMeasure::OverdueReviews)
                        .or_default()
                        .push(case.crn.clone());
                }
                if let Some((held, missed)) = contacts.get(&key) {
                    appointments += held;
                    for _ in 0..*missed {
                        behind
                            .entry(InsightMeasure::MissedContacts)
                            .or_default()
                            .push(case.crn.clone());
                    }
                }
            }
            for crns in behind.values_mut() {
                crns.sort();
            }
            let count = |measure| count(behind.get(&measure).map_or(0, Vec::len));
            Ok(PractitionerInsight {
                staff_id: p.staff_id,
                grade: p.grade,
                team_id: p.team_id,
                team: p.team.clone(),
                overdue_assessments: Rate::new(
                    count(InsightMeasure::OverdueAssessments),
                    needing_assessment,
                ),
                overdue_reviews: Rate::new(count(InsightMeasure::OverdueReviews), p.cases),
                missed_contacts: Rate::new(count(InsightMeasure::MissedContacts), appointments),
                name: p.name,
                behind,
            })
        })
        .collect()
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The people with a risk of serious harm assessment in force.
fn assessed(conn: &mut AnyConnection, keys: &[String]) -> StorageResult<HashSet<String>> {
    let mut found = HashSet::new();
    for chunk in keys.chunks(CASES_PER_QUERY) {
        found.extend(crate::risk::assessments::current_levels(conn, chunk)?.into_keys());
    }
    Ok(found)
}

/// The people with an open review past its due date.
fn overdue_reviews(
    conn: &mut AnyConnection,
    keys: &[String],
    today: NaiveDate,
) -> StorageResult<HashSet<String>> {
    let mut found = HashSet::new();
    for chunk in keys.chunks(CASES_PER_QUERY) {
        found.extend(
            review_tasks::table
                .filter(review_tasks::person_id.eq_any(chunk))
                .filter(review_tasks::completed_on.is_null())
                .filter(review_tasks::due_on.lt(today))
                .select(review_tasks::person_id)
                .load::<String>(conn)?,
        );
    }
    Ok(found)
}

/// Per person: appointments from `since` up to `now`, and how many of them were missed (an absence,
/// acceptable or not) or have no outcome recorded by the day after.
fn contacts_in_window(
    conn: &mut AnyConnection,
    keys: &[String],
    since: NaiveDate,
    now: DateTime<Utc>,
) -> StorageResult<HashMap<String, (u32, u32)>> {
    let from: NaiveDateTime = since.and_hms_opt(0, 0, 0).unwrap_or_default();
    let until = now.naive_utc();
    // An outcome is expected by the end of the day of the appointment: today's are not yet missing.
    let recorded_by = now.date_naive().and_hms_opt(0, 0, 0).unwrap_or_default();
    let mut counts: HashMap<String, (u32, u32)> = HashMap::new();
    for chunk in keys.chunks(CASES_PER_QUERY) {
        for (person, outcome, starts_at) in contacts::table
            .filter(contacts::person_id.eq_any(chunk))
            .filter(contacts::starts_at.ge(from))
            .filter(contacts::starts_at.lt(until))
            .filter(contacts::status.eq(ContactStatus::Arranged.code()))
            // System events (an assessment completed, a warning sent) are entries, not appointments.
            .filter(
                contacts::contact_type.ne_all(crate::supervision::contacts::system_event_codes()),
            )
            .select((contacts::person_id, contacts::outcome, contacts::starts_at))
            .load::<(String, Option<String>, NaiveDateTime)>(conn)?
        {
            let outcome = rows::opt_code::<ContactOutcome>(outcome.as_deref())?;
            let missed = match outcome {
                None => starts_at < recorded_by,
                Some(o) => !o.attended(),
            };
            let entry = counts.entry(person).or_default();
            entry.0 += 1;
            if missed {
                entry.1 += 1;
            }
        }
    }
    Ok(counts)
}

/// The names of the people with these CRNs, by CRN: a drill-down lists names as well as CRNs, so
/// a supervisor recognises the cases. One query per 500.
pub fn names_by_crn(
    conn: &mut AnyConnection,
    crns: &[String],
) -> StorageResult<HashMap<String, String>> {
    use crate::schema::people;
    let mut names = HashMap::new();
    for chunk in crns.chunks(CASES_PER_QUERY) {
        names.extend(
            people::table
                .filter(people::crn.eq_any(chunk))
                .select((people::crn, people::first_name, people::last_name))
                .load::<(String, String, String)>(conn)?
                .into_iter()
                .map(|(crn, first, last)| (crn, format!("{first} {last}"))),
        );
    }
    Ok(names)
}
