//! RoSH assessments: drafts saved with optimistic locking, completion, countersignature and
//! superseding the previous assessment.

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::risk::checks::staff_names;
use crate::rows;
use crate::schema::{
    review_tasks, rosh_assessments, rosh_check_references, rosh_considerations, rosh_levels,
};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::rosh::{
    AssessmentContent, AssessmentStatus, CheckReference, Consideration, RoshLevel,
};
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// What is shown when someone saves over a newer version.
pub const STALE_MESSAGE: &str = "Someone else saved this assessment after you opened it, so your changes were not saved. Reload the page to see their version, then make your changes again.";

/// An assessment as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentRecord {
    pub id: Uuid,
    pub person_id: Uuid,
    pub status: AssessmentStatus,
    pub version: i32,
    pub case_type: CaseType,
    pub content: AssessmentContent,
    pub case_level: Option<RoshLevel>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
    pub completed_by: Option<String>,
    pub completed_at: Option<NaiveDateTime>,
    pub countersigned_by: Option<String>,
    pub countersigned_at: Option<NaiveDateTime>,
}

/// Starts a draft. Refused while another draft or an assessment awaiting countersignature exists.
pub fn start(
    conn: &mut AnyConnection,
    person_id: Uuid,
    case_type: CaseType,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let open: i64 = rosh_assessments::table
        .filter(rosh_assessments::person_id.eq(person_id.to_string()))
        .filter(rosh_assessments::status.eq_any([
            AssessmentStatus::Draft.code(),
            AssessmentStatus::AwaitingCountersignature.code(),
        ]))
        .count()
        .get_result(conn)?;
    if open > 0 {
        return Err(StorageError::Conflict(
            "An assessment is already in progress for this case: continue that one".into(),
        ));
    }
    let id = Uuid::new_v4();
    diesel::insert_into(rosh_assessments::table)
        .values((
            rosh_assessments::id.eq(id.to_string()),
            rosh_assessments::person_id.eq(person_id.to_string()),
            rosh_assessments::status.eq(AssessmentStatus::Draft.code()),
            rosh_assessments::version.eq(1),
            rosh_assessments::case_type.eq(case_type.code()),
            rosh_assessments::nature_of_harm.eq(""),
            rosh_assessments::who_is_at_risk.eq(""),
            rosh_assessments::imminence.eq(""),
            rosh_assessments::increasing_factors.eq(""),
            rosh_assessments::reducing_factors.eq(""),
            rosh_assessments::created_by.eq(by.to_string()),
            rosh_assessments::created_at.eq(now.naive_utc()),
            rosh_assessments::updated_by.eq(by.to_string()),
            rosh_assessments::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

type AssessmentRow = (
    (String, String, String, i32, String),
    (String, String, String, String, String),
    Option<String>,
    (String, NaiveDateTime, String, NaiveDateTime),
    (
        Option<String>,
        Option<NaiveDateTime>,
        Option<String>,
        Option<NaiveDateTime>,
    ),
);

/// Every assessment for a person, newest first.
pub fn for_person(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<Vec<AssessmentRecord>> {
    let rows = rosh_assessments::table
        .filter(rosh_assessments::person_id.eq(person_id.to_string()))
        .order(rosh_assessments::created_at.desc())
        .select((
            (
                rosh_assessments::id,
                rosh_assessments::person_id,
                rosh_assessments::status,
                rosh_assessments::version,
                rosh_assessments::case_type,
            ),
            (
                rosh_assessments::nature_of_harm,
                rosh_assessments::who_is_at_risk,
                rosh_assessments::imminence,
                rosh_assessments::increasing_factors,
                rosh_assessments::reducing_factors,
            ),
            rosh_assessments::case_level,
            (
                rosh_assessments::created_by,
                rosh_assessments::created_at,
                rosh_assessments::updated_by,
                rosh_assessments::updated_at,
            ),
            (
                rosh_assessments::completed_by,
                rosh_assessments::completed_at,
                rosh_assessments::countersigned_by,
                rosh_assessments::countersigned_at,
            ),
        ))
        .load::<AssessmentRow>(conn)?;
    let ids: Vec<String> = rows.iter().map(|r| r.0 .0.clone()).collect();
    let levels = rosh_levels::table
        .filter(rosh_levels::assessment_id.eq_any(&ids))
        .select((
            rosh_levels::assessment_id,
            rosh_levels::risk_group,
            rosh_levels::level,
        ))
        .load::<(String, String, String)>(conn)?;
    let considerations = rosh_considerations::table
        .filter(rosh_considerations::assessment_id.eq_any(&ids))
        .select((
            rosh_considerations::assessment_id,
            rosh_considerations::subject_id,
            rosh_considerations::note,
        ))
        .load::<(String, String, String)>(conn)?;
    let references = rosh_check_references::table
        .filter(rosh_check_references::assessment_id.eq_any(&ids))
        .select((
            rosh_check_references::assessment_id,
            rosh_check_references::check_id,
            rosh_check_references::note,
        ))
        .load::<(String, String, String)>(conn)?;
    let mut staff_ids = Vec::new();
    for row in &rows {
        staff_ids.push(row.3 .0.clone());
        staff_ids.push(row.3 .2.clone());
        staff_ids.extend(row.4 .0.clone());
        staff_ids.extend(row.4 .2.clone());
    }
    let names = staff_names(conn, &staff_ids)?;
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| "Unknown".into());
    let text = |t: &str| LongText::optional(t).map_err(|e| StorageError::Corrupt(e.to_string()));

    rows.into_iter()
        .map(
            |((id, person, status, version, case_type), texts, level, made, finished)| {
                let mut content = AssessmentContent {
                    nature_of_harm: text(&texts.0)?,
                    who_is_at_risk: text(&texts.1)?,
                    imminence: text(&texts.2)?,
                    increasing_factors: text(&texts.3)?,
                    reducing_factors: text(&texts.4)?,
                    ..Default::default()
                };
                for (_, group, level) in levels.iter().filter(|l| l.0 == id) {
                    content
                        .levels
                        .push((rows::code(group)?, rows::code(level)?));
                }
                content.levels.sort_by_key(|(group, _)| *group);
                for (_, subject, note) in considerations.iter().filter(|c| c.0 == id) {
                    content.considerations.push(Consideration {
                        subject_id: rows::id(subject)?,
                        note: text(note)?,
                    });
                }
                for (_, check, note) in references.iter().filter(|r| r.0 == id) {
                    content.check_references.push(CheckReference {
                        check_id: rows::id(check)?,
                        note: text(note)?,
                    });
                }
                Ok(AssessmentRecord {
                    id: rows::id(&id)?,
                    person_id: rows::id(&person)?,
                    status: rows::code(&status)?,
                    version,
                    case_type: rows::code(&case_type)?,
                    content,
                    case_level: rows::opt_code(level.as_deref())?,
                    created_by: name(&made.0),
                    created_at: made.1,
                    updated_by: name(&made.2),
                    updated_at: made.3,
                    completed_by: finished.0.as_deref().map(name),
                    completed_at: finished.1,
                    countersigned_by: finished.2.as_deref().map(name),
                    countersigned_at: finished.3,
                })
            },
        )
        .collect()
}

/// One assessment of this person's; another person's is not found.
pub fn find(
    conn: &mut AnyConnection,
    person_id: Uuid,
    id: Uuid,
) -> StorageResult<AssessmentRecord> {
    for_person(conn, person_id)?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(StorageError::NotFound)
}

/// The assessment in force: the latest completed one.
pub fn current(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<Option<AssessmentRecord>> {
    Ok(for_person(conn, person_id)?
        .into_iter()
        .find(|a| a.status == AssessmentStatus::Completed))
}

/// Saves a draft's content if nobody has saved it since `expected_version` was read; returns the
/// new version. A stale save is refused with [`STALE_MESSAGE`] and writes nothing.
pub fn save_draft(
    conn: &mut AnyConnection,
    id: Uuid,
    expected_version: i32,
    content: &AssessmentContent,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<i32> {
    let key = id.to_string();
    let updated = diesel::update(
        rosh_assessments::table
            .find(&key)
            .filter(rosh_assessments::version.eq(expected_version))
            .filter(rosh_assessments::status.eq(AssessmentStatus::Draft.code())),
    )
    .set((
        rosh_assessments::version.eq(expected_version + 1),
        rosh_assessments::nature_of_harm.eq(content.nature_of_harm.as_str()),
        rosh_assessments::who_is_at_risk.eq(content.who_is_at_risk.as_str()),
        rosh_assessments::imminence.eq(content.imminence.as_str()),
        rosh_assessments::increasing_factors.eq(content.increasing_factors.as_str()),
        rosh_assessments::reducing_factors.eq(content.reducing_factors.as_str()),
        rosh_assessments::updated_by.eq(by.to_string()),
        rosh_assessments::updated_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(STALE_MESSAGE.into()));
    }
    diesel::delete(rosh_levels::table.filter(rosh_levels::assessment_id.eq(&key))).execute(conn)?;
    diesel::delete(rosh_considerations::table.filter(rosh_considerations::assessment_id.eq(&key)))
        .execute(conn)?;
    diesel::delete(
        rosh_check_references::table.filter(rosh_check_references::assessment_id.eq(&key)),
    )
    .execute(conn)?;
    for (group, level) in &content.levels {
        diesel::insert_into(rosh_levels::table)
            .values((
                rosh_levels::assessment_id.eq(&key),
                rosh_levels::risk_group.eq(group.code()),
                rosh_levels::level.eq(level.code()),
            ))
            .execute(conn)?;
    }
    for consideration in content.considerations.iter().filter(|c| !c.note.is_empty()) {
        diesel::insert_into(rosh_considerations::table)
            .values((
                rosh_considerations::assessment_id.eq(&key),
                rosh_considerations::subject_id.eq(consideration.subject_id.to_string()),
                rosh_considerations::note.eq(consideration.note.as_str()),
            ))
            .execute(conn)?;
    }
    for reference in content
        .check_references
        .iter()
        .filter(|r| !r.note.is_empty())
    {
        diesel::insert_into(rosh_check_references::table)
            .values((
                rosh_check_references::assessment_id.eq(&key),
                rosh_check_references::check_id.eq(reference.check_id.to_string()),
                rosh_check_references::note.eq(reference.note.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(expected_version + 1)
}

/// Marks a draft complete (or awaiting countersignature). A completed assessment supersedes the
/// previous one and closes the open review tasks it answers.
pub fn complete(
    conn: &mut AnyConnection,
    id: Uuid,
    expected_version: i32,
    case_level: RoshLevel,
    needs_countersignature: bool,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<AssessmentStatus> {
    let status = if needs_countersignature {
        AssessmentStatus::AwaitingCountersignature
    } else {
        AssessmentStatus::Completed
    };
    let updated = diesel::update(
        rosh_assessments::table
            .find(id.to_string())
            .filter(rosh_assessments::version.eq(expected_version))
            .filter(rosh_assessments::status.eq(AssessmentStatus::Draft.code())),
    )
    .set((
        rosh_assessments::status.eq(status.code()),
        rosh_assessments::version.eq(expected_version + 1),
        rosh_assessments::case_level.eq(case_level.code()),
        rosh_assessments::completed_by.eq(by.to_string()),
        rosh_assessments::completed_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(STALE_MESSAGE.into()));
    }
    if status == AssessmentStatus::Completed {
        take_effect(conn, id, by, now)?;
    }
    Ok(status)
}

/// A senior officer's countersignature on a high or very high assessment, which then takes effect.
pub fn countersign(
    conn: &mut AnyConnection,
    id: Uuid,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let updated =
        diesel::update(rosh_assessments::table.find(id.to_string()).filter(
            rosh_assessments::status.eq(AssessmentStatus::AwaitingCountersignature.code()),
        ))
        .set((
            rosh_assessments::status.eq(AssessmentStatus::Completed.code()),
            rosh_assessments::version.eq(rosh_assessments::version + 1),
            rosh_assessments::countersigned_by.eq(by.to_string()),
            rosh_assessments::countersigned_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(
            "This assessment is not awaiting countersignature".into(),
        ));
    }
    take_effect(conn, id, by, now)
}

/// The newly completed assessment supersedes the previous one, answers open review tasks and
/// is entered in the contact log.
fn take_effect(
    conn: &mut AnyConnection,
    id: Uuid,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let key = id.to_string();
    let (person, level): (String, Option<String>) = rosh_assessments::table
        .find(&key)
        .select((rosh_assessments::person_id, rosh_assessments::case_level))
        .first(conn)?;
    let level: Option<RoshLevel> = crate::rows::opt_code(level.as_deref())?;
    crate::supervision::contacts::record_system_event(
        conn,
        crate::rows::id(&person)?,
        keepsafe_domain::supervision::contact::ContactType::AssessmentCompleted,
        Some(by),
        &match level {
            Some(level) => format!(
                "Risk of serious harm assessment completed: {}",
                level.label()
            ),
            None => "Risk of serious harm assessment completed".to_owned(),
        },
        now,
    )?;
    diesel::update(
        rosh_assessments::table
            .filter(rosh_assessments::person_id.eq(&person))
            .filter(rosh_assessments::status.eq(AssessmentStatus::Completed.code()))
            .filter(rosh_assessments::id.ne(&key)),
    )
    .set((
        rosh_assessments::status.eq(AssessmentStatus::Superseded.code()),
        rosh_assessments::superseded_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    diesel::update(
        review_tasks::table
            .filter(review_tasks::person_id.eq(&person))
            .filter(review_tasks::completed_on.is_null()),
    )
    .set((
        review_tasks::completed_on.eq(now.date_naive()),
        review_tasks::completed_by_assessment.eq(&key),
    ))
    .execute(conn)?;
    // A sentence plan in force is reviewed against the new assessment.
    crate::plans::reviews::after_significant_change(
        conn,
        crate::rows::id(&person)?,
        keepsafe_domain::plans::ReviewReason::RiskAssessmentReviewed,
        &match level {
            Some(level) => format!(
                "Risk of serious harm assessment completed: {}",
                level.label()
            ),
            None => "Risk of serious harm assessment completed".to_owned(),
        },
        now.date_naive(),
        now,
    )?;
    Ok(())
}

/// The level of the assessment in force for each person, for caseload lists.
pub fn current_levels(
    conn: &mut AnyConnection,
    person_ids: &[String],
) -> StorageResult<std::collections::HashMap<String, RoshLevel>> {
    rosh_assessments::table
        .filter(rosh_assessments::person_id.eq_any(person_ids))
        .filter(rosh_assessments::status.eq(AssessmentStatus::Completed.code()))
        .select((rosh_assessments::person_id, rosh_assessments::case_level))
        .load::<(String, Option<String>)>(conn)?
        .into_iter()
        .filter_map(|(person, level)| level.map(|l| (person, l)))
        .map(|(person, level)| Ok((person, rows::code(&level)?)))
        .collect()
}

/// Gathers what the completion gates need: the current address, the household and known victims,
/// children's registrations and every check request.
pub fn completion_facts(
    conn: &mut AnyConnection,
    person_id: Uuid,
    case_type: CaseType,
    today: chrono::NaiveDate,
) -> StorageResult<keepsafe_domain::rosh::CompletionFacts> {
    use keepsafe_domain::age::{age_on, is_child_on};
    use keepsafe_domain::rosh::{CompletionFacts, PersonToConsider};
    let record = crate::cases::record::load(conn, person_id, 0)?;
    let checks = crate::risk::checks::for_person(conn, person_id)?;
    let current_address = crate::cases::record::current_address_of(&record.addresses, today);
    let mut people_to_consider: Vec<PersonToConsider> = record
        .household
        .iter()
        .filter(|h| h.end_date.is_none_or(|end| end > today))
        .map(|h| PersonToConsider {
            id: h.id,
            name: format!("{} {}", h.first_name, h.last_name),
            relationship: h.relationship.label().to_owned(),
            age: h.date_of_birth.and_then(|dob| age_on(dob, today)),
            is_child: h.date_of_birth.is_some_and(|dob| is_child_on(dob, today)),
        })
        .collect();
    // Known victims too, without name or address (victim liaison keeps those).
    people_to_consider.extend(crate::victims::summary::to_consider(conn, person_id)?);
    Ok(CompletionFacts {
        case_type,
        today,
        current_address,
        people_to_consider,
        child_protection_registration: record
            .registrations
            .iter()
            .any(|r| r.ended_on.is_none() && r.kind.concerns_children()),
        // A request the partner declined or the practitioner withdrew will never be answered: the
        // gates ask for a new one rather than waiting on it.
        checks: checks
            .iter()
            .filter(|c| c.still_counts())
            .filter_map(|c| c.fact())
            .collect(),
    })
}
