//! Needs assessments: a draft per person at a time, saved with optimistic locking on `version`;
//! completion, which supersedes the assessment in force, answers the open needs reviews, enters
//! it in the contact log and recomputes the tiers and predictors, all in the caller's transaction.

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::risk::checks::staff_names;
use crate::risk::scores;
use crate::rows;
use crate::schema::{needs_answers, needs_assessments, needs_reviews, needs_sections};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::needs::{
    AssessmentStatus, CompletedNeeds, NeedsContent, NeedsRules, Question, Section, SectionAnswer,
};
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// What is shown when someone saves over a newer version.
pub const STALE_MESSAGE: &str = "Someone else saved this needs assessment after you opened it, so your changes were not saved. Reload the page to see their version, then make your changes again.";

/// People per `IN (...)` list in the bulk read.
const PEOPLE_PER_QUERY: usize = 500;

/// A needs assessment as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedsRecord {
    pub id: Uuid,
    pub person_id: Uuid,
    pub status: AssessmentStatus,
    pub version: i32,
    pub content: NeedsContent,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
    pub completed_by: Option<String>,
    pub completed_on: Option<NaiveDate>,
    /// The last day it counts for tiering.
    pub valid_until: Option<NaiveDate>,
    pub rule_version: Option<String>,
}

/// Starts a draft. Refused while another draft exists: there is one assessment in progress.
pub fn start(
    conn: &mut AnyConnection,
    person_id: Uuid,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let drafts: i64 = needs_assessments::table
        .filter(needs_assessments::person_id.eq(person_id.to_string()))
        .filter(needs_assessments::status.eq(AssessmentStatus::Draft.code()))
        .count()
        .get_result(conn)?;
    if drafts > 0 {
        return Err(StorageError::Conflict(
            "A needs assessment is already in progress for this case: continue that one".into(),
        ));
    }
    let id = Uuid::new_v4();
    diesel::insert_into(needs_assessments::table)
        .values((
            needs_assessments::id.eq(id.to_string()),
            needs_assessments::person_id.eq(person_id.to_string()),
            needs_assessments::status.eq(AssessmentStatus::Draft.code()),
            needs_assessments::version.eq(1),
            needs_assessments::created_by.eq(by.to_string()),
            needs_assessments::created_at.eq(now.naive_utc()),
            needs_assessments::updated_by.eq(by.to_string()),
            needs_assessments::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

type HeaderRow = (
    (String, String, String, i32),
    (Option<String>, NaiveDateTime, Option<String>, NaiveDateTime),
    (
        Option<String>,
        Option<NaiveDate>,
        Option<NaiveDate>,
        Option<String>,
    ),
);

type SectionRow = (
    String,
    String,
    String,
    Option<String>,
    Option<bool>,
    Option<bool>,
);

/// Every assessment of a person's, newest first, in four queries.
pub fn for_person(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<NeedsRecord>> {
    let headers = needs_assessments::table
        .filter(needs_assessments::person_id.eq(person_id.to_string()))
        .order(needs_assessments::created_at.desc())
        .select((
            (
                needs_assessments::id,
                needs_assessments::person_id,
                needs_assessments::status,
                needs_assessments::version,
            ),
            (
                needs_assessments::created_by,
                needs_assessments::created_at,
                needs_assessments::updated_by,
                needs_assessments::updated_at,
            ),
            (
                needs_assessments::completed_by,
                needs_assessments::completed_on,
                needs_assessments::valid_until,
                needs_assessments::rule_version,
            ),
        ))
        .load::<HeaderRow>(conn)?;
    let ids: Vec<String> = headers.iter().map(|h| h.0 .0.clone()).collect();
    let sections = needs_sections::table
        .filter(needs_sections::assessment_id.eq_any(&ids))
        .select((
            needs_sections::assessment_id,
            needs_sections::section,
            needs_sections::evidence,
            needs_sections::severity,
            needs_sections::linked_to_harm,
            needs_sections::linked_to_reoffending,
        ))
        .load::<SectionRow>(conn)?;
    let answers = needs_answers::table
        .filter(needs_answers::assessment_id.eq_any(&ids))
        .select((
            needs_answers::assessment_id,
            needs_answers::question,
            needs_answers::answer,
        ))
        .load::<(String, String, i32)>(conn)?;
    let staff_ids: Vec<String> = headers
        .iter()
        .flat_map(|h| [h.1 .0.clone(), h.1 .2.clone(), h.2 .0.clone()])
        .flatten()
        .collect();
    let names = staff_names(conn, &staff_ids)?;
    let name = |id: &Option<String>| {
        id.as_ref()
            .and_then(|id| names.get(id).cloned())
            .unwrap_or_else(|| "Unknown".into())
    };
    headers
        .into_iter()
        .map(|((id, person, status, version), made, finished)| {
            let mut content = NeedsContent::default();
            for row in sections.iter().filter(|s| s.0 == id) {
                content.sections.push(section_answer(row)?);
            }
            content.sections.sort_by_key(|(section, _)| *section);
            for (_, question, answer) in answers.iter().filter(|a| a.0 == id) {
                content
                    .answers
                    .push((rows::code(question)?, stored_answer(*answer)?));
            }
            content.answers.sort_by_key(|(question, _)| *question);
            Ok(NeedsRecord {
                id: rows::id(&id)?,
                person_id: rows::id(&person)?,
                status: rows::code(&status)?,
                version,
                content,
                created_by: name(&made.0),
                created_at: made.1,
                updated_by: name(&made.2),
                updated_at: made.3,
                completed_by: finished.0.as_ref().map(|_| name(&finished.0)),
                completed_on: finished.1,
                valid_until: finished.2,
                rule_version: finished.3,
            })
        })
        .collect()
}

fn section_answer(row: &SectionRow) -> StorageResult<(Section, SectionAnswer)> {
    let (_, section, evidence, severity, harm, reoffending) = row;
    Ok((
        rows::code(section)?,
        SectionAnswer {
            evidence: LongText::optional(evidence)
                .map_err(|e| StorageError::Corrupt(e.to_string()))?,
            severity: rows::opt_code(severity.as_deref())?,
            linked_to_harm: *harm,
            linked_to_reoffending: *reoffending,
        },
    ))
}

fn stored_answer(answer: i32) -> StorageResult<u8> {
    u8::try_from(answer)
        .ok()
        .filter(|a| *a <= 2)
        .ok_or_else(|| StorageError::Corrupt(format!("needs answer {answer}")))
}

/// One assessment of this person's; another person's is not found.
pub fn find(conn: &mut AnyConnection, person_id: Uuid, id: Uuid) -> StorageResult<NeedsRecord> {
    for_person(conn, person_id)?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(StorageError::NotFound)
}

/// Saves a draft's content if nobody has saved it since `expected_version` was read; returns the
/// new version. A stale save is refused with [`STALE_MESSAGE`] and writes nothing.
pub fn save_draft(
    conn: &mut AnyConnection,
    id: Uuid,
    expected_version: i32,
    content: &NeedsContent,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<i32> {
    let key = id.to_string();
    let updated = diesel::update(
        needs_assessments::table
            .find(&key)
            .filter(needs_assessments::version.eq(expected_version))
            .filter(needs_assessments::status.eq(AssessmentStatus::Draft.code())),
    )
    .set((
        needs_assessments::version.eq(expected_version + 1),
        needs_assessments::updated_by.eq(by.to_string()),
        needs_assessments::updated_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(STALE_MESSAGE.into()));
    }
    diesel::delete(needs_sections::table.filter(needs_sections::assessment_id.eq(&key)))
        .execute(conn)?;
    diesel::delete(needs_answers::table.filter(needs_answers::assessment_id.eq(&key)))
        .execute(conn)?;
    let sections: Vec<_> = content
        .sections
        .iter()
        .map(|(section, answer)| {
            (
                needs_sections::assessment_id.eq(key.clone()),
                needs_sections::section.eq(section.code()),
                needs_sections::evidence.eq(answer.evidence.as_str().to_owned()),
                needs_sections::severity.eq(answer.severity.map(CodedValue::code)),
                needs_sections::linked_to_harm.eq(answer.linked_to_harm),
                needs_sections::linked_to_reoffending.eq(answer.linked_to_reoffending),
            )
        })
        .collect();
    for row in sections {
        diesel::insert_into(needs_sections::table)
            .values(row)
            .execute(conn)?;
    }
    for (question, answer) in &content.answers {
        diesel::insert_into(needs_answers::table)
            .values((
                needs_answers::assessment_id.eq(&key),
                needs_answers::question.eq(question.code()),
                needs_answers::answer.eq(i32::from(*answer)),
            ))
            .execute(conn)?;
    }
    Ok(expected_version + 1)
}

/// Completes a saved draft whose content the domain has passed
/// ([`keepsafe_domain::needs::assess_completion`]): it becomes the assessment in force, valid
/// until the day `rules` give, superseding the previous one; it answers the open needs reviews,
/// is entered in the contact log, and the tiers and predictors are recomputed. Returns the last
/// day it is valid. Refused with [`STALE_MESSAGE`] if the draft changed since `expected_version`.
pub fn complete(
    conn: &mut AnyConnection,
    id: Uuid,
    expected_version: i32,
    rules: &NeedsRules,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<NaiveDate> {
    let key = id.to_string();
    let today = now.date_naive();
    let valid_until = rules.valid_until(today);
    let updated = diesel::update(
        needs_assessments::table
            .find(&key)
            .filter(needs_assessments::version.eq(expected_version))
            .filter(needs_assessments::status.eq(AssessmentStatus::Draft.code())),
    )
    .set((
        needs_assessments::status.eq(AssessmentStatus::Completed.code()),
        needs_assessments::version.eq(expected_version + 1),
        needs_assessments::completed_by.eq(by.to_string()),
        needs_assessments::completed_at.eq(now.naive_utc()),
        needs_assessments::completed_on.eq(today),
        needs_assessments::valid_until.eq(valid_until),
        needs_assessments::rule_version.eq(rules.version),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(STALE_MESSAGE.into()));
    }
    let person: String = needs_assessments::table
        .find(&key)
        .select(needs_assessments::person_id)
        .first(conn)?;
    diesel::update(
        needs_assessments::table
            .filter(needs_assessments::person_id.eq(&person))
            .filter(needs_assessments::status.eq(AssessmentStatus::Completed.code()))
            .filter(needs_assessments::id.ne(&key)),
    )
    .set((
        needs_assessments::status.eq(AssessmentStatus::Superseded.code()),
        needs_assessments::superseded_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    diesel::update(
        needs_reviews::table
            .filter(needs_reviews::person_id.eq(&person))
            .filter(needs_reviews::completed_on.is_null()),
    )
    .set((
        needs_reviews::completed_on.eq(today),
        needs_reviews::completed_by_assessment.eq(&key),
    ))
    .execute(conn)?;
    let person_id = rows::id(&person)?;
    crate::supervision::contacts::record_system_event(
        conn,
        person_id,
        keepsafe_domain::supervision::contact::ContactType::NeedsAssessmentCompleted,
        Some(by),
        "Needs assessment completed",
        now,
    )?;
    scores::recompute(conn, &[person_id], today, now)?;
    Ok(valid_until)
}

/// The completed assessment of a person's, as the tiers and OGP read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InForce {
    pub assessment_id: Uuid,
    pub completed_on: NaiveDate,
    /// The last day it counts for tiering; it may already have passed.
    pub valid_until: NaiveDate,
    pub needs: CompletedNeeds,
}

/// Each person's completed assessment (there is at most one; an expired one is returned too, so
/// the tier can say when it expired), keyed by person id: two queries per 500 people — the
/// sections' severities and the answers, each joined to its assessment. Evidence is not read.
pub fn completed_for(
    conn: &mut AnyConnection,
    person_ids: &[String],
) -> StorageResult<HashMap<String, InForce>> {
    type Header = (String, NaiveDate, NaiveDate);
    let mut severities: HashMap<
        String,
        (Header, Vec<(Section, keepsafe_domain::needs::Severity)>),
    > = HashMap::new();
    let mut answers: HashMap<String, Vec<(Question, u8)>> = HashMap::new();
    let completed = || {
        needs_assessments::status
            .eq(AssessmentStatus::Completed.code())
            .and(needs_assessments::completed_on.is_not_null())
            .and(needs_assessments::valid_until.is_not_null())
    };
    for chunk in person_ids.chunks(PEOPLE_PER_QUERY) {
        let rows = needs_sections::table
            .inner_join(needs_assessments::table)
            .filter(needs_assessments::person_id.eq_any(chunk))
            .filter(completed())
            .select((
                needs_assessments::person_id,
                needs_assessments::id,
                needs_assessments::completed_on.assume_not_null(),
                needs_assessments::valid_until.assume_not_null(),
                needs_sections::section,
                needs_sections::severity,
            ))
            .load::<(String, String, NaiveDate, NaiveDate, String, Option<String>)>(conn)?;
        for (person, id, completed_on, valid_until, section, severity) in rows {
            let entry = severities
                .entry(person)
                .or_insert_with(|| ((id, completed_on, valid_until), Vec::new()));
            if let Some(severity) = rows::opt_code(severity.as_deref())? {
                entry.1.push((rows::code(&section)?, severity));
            }
        }
        let rows = needs_answers::table
            .inner_join(needs_assessments::table)
            .filter(needs_assessments::person_id.eq_any(chunk))
            .filter(completed())
            .select((
                needs_assessments::person_id,
                needs_answers::question,
                needs_answers::answer,
            ))
            .load::<(String, String, i32)>(conn)?;
        for (person, question, answer) in rows {
            answers
                .entry(person)
                .or_default()
                .push((rows::code(&question)?, stored_answer(answer)?));
        }
    }
    let mut in_force = HashMap::with_capacity(severities.len());
    for (person, ((id, completed_on, valid_until), severities)) in severities {
        let answered = answers.remove(&person).unwrap_or_default();
        let needs = CompletedNeeds::from_parts(severities, answered).ok_or_else(|| {
            StorageError::Corrupt(format!("completed needs assessment {id} has gaps"))
        })?;
        in_force.insert(
            person,
            InForce {
                assessment_id: rows::id(&id)?,
                completed_on,
                valid_until,
                needs,
            },
        );
    }
    Ok(in_force)
}
