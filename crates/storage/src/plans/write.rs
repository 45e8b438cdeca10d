//! Changing a sentence plan. Every edit moves the plan's version on only if it is still the one
//! the editor read ([`super::STALE_MESSAGE`] otherwise, nothing written) and the plan is in the
//! status the edit needs.

use super::reviews;
use super::STALE_MESSAGE;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::schema::{plan_actions, plan_objective_links, plan_objectives, sentence_plans};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::plans::{
    Objective, PersonsView, PlanRules, PlanStatus, Progress, ReviewReason,
};
use keepsafe_domain::rosh::RoshLevel;
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// Starts a plan for the person, beginning `today`: a revision of the active plan (its objectives
/// and actions copied, with their progress) when there is one, otherwise an empty draft. Refused
/// while another plan is being written.
pub fn start(
    conn: &mut AnyConnection,
    person_id: Uuid,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    if super::open(conn, person_id)?.is_some() {
        return Err(StorageError::Conflict(
            "A plan is already being written for this case: continue that one".into(),
        ));
    }
    let id = Uuid::new_v4();
    diesel::insert_into(sentence_plans::table)
        .values((
            sentence_plans::id.eq(id.to_string()),
            sentence_plans::person_id.eq(person_id.to_string()),
            sentence_plans::status.eq(PlanStatus::Draft.code()),
            sentence_plans::version.eq(1),
            sentence_plans::starts_on.eq(now.date_naive()),
            sentence_plans::persons_words.eq(""),
            sentence_plans::disagreement_reason.eq(""),
            sentence_plans::created_by.eq(by.to_string()),
            sentence_plans::created_at.eq(now.naive_utc()),
            sentence_plans::updated_by.eq(by.to_string()),
            sentence_plans::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    if let Some(active) = super::current(conn, person_id)? {
        for (position, objective) in active.objectives.iter().enumerate() {
            let copy = Objective {
                id: Uuid::new_v4(),
                ..objective.clone()
            };
            insert_objective(conn, id, person_id, position as i32 + 1, &copy)?;
        }
    }
    Ok(id)
}

/// Moves the plan's version on from `expected_version` if it is in one of `statuses`, recording
/// who changed it; refused as stale otherwise.
fn touch(
    conn: &mut AnyConnection,
    plan_id: Uuid,
    expected_version: i32,
    statuses: &[PlanStatus],
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<i32> {
    let codes: Vec<&str> = statuses.iter().map(|s| s.code()).collect();
    let updated = diesel::update(
        sentence_plans::table
            .find(plan_id.to_string())
            .filter(sentence_plans::version.eq(expected_version))
            .filter(sentence_plans::status.eq_any(codes)),
    )
    .set((
        sentence_plans::version.eq(expected_version + 1),
        sentence_plans::updated_by.eq(by.to_string()),
        sentence_plans::updated_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(STALE_MESSAGE.into()));
    }
    Ok(expected_version + 1)
}

fn person_of(conn: &mut AnyConnection, plan_id: Uuid) -> StorageResult<Uuid> {
    let person: String = sentence_plans::table
        .find(plan_id.to_string())
        .select(sentence_plans::person_id)
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    crate::rows::id(&person)
}

fn insert_objective(
    conn: &mut AnyConnection,
    plan_id: Uuid,
    person_id: Uuid,
    position: i32,
    objective: &Objective,
) -> StorageResult<()> {
    diesel::insert_into(plan_objectives::table)
        .values((
            plan_objectives::id.eq(objective.id.to_string()),
            plan_objectives::plan_id.eq(plan_id.to_string()),
            plan_objectives::person_id.eq(person_id.to_string()),
            plan_objectives::position.eq(position),
            plan_objectives::description.eq(objective.description.as_str()),
            plan_objectives::progress.eq(objective.progress.code()),
            plan_objectives::progress_note.eq(objective.progress_note.as_str()),
        ))
        .execute(conn)?;
    insert_parts(conn, person_id, objective)
}

/// The objective's links and actions.
fn insert_parts(
    conn: &mut AnyConnection,
    person_id: Uuid,
    objective: &Objective,
) -> StorageResult<()> {
    let key = objective.id.to_string();
    let person = person_id.to_string();
    let links: Vec<(&str, &str)> = objective
        .needs
        .iter()
        .map(|need| ("need", need.code()))
        .chain(objective.risks.iter().map(|risk| ("risk", risk.code())))
        .collect();
    for (kind, code) in links {
        diesel::insert_into(plan_objective_links::table)
            .values((
                plan_objective_links::objective_id.eq(&key),
                plan_objective_links::person_id.eq(&person),
                plan_objective_links::kind.eq(kind),
                plan_objective_links::code.eq(code),
            ))
            .execute(conn)?;
    }
    for (position, action) in objective.actions.iter().enumerate() {
        diesel::insert_into(plan_actions::table)
            .values((
                plan_actions::id.eq(Uuid::new_v4().to_string()),
                plan_actions::objective_id.eq(&key),
                plan_actions::person_id.eq(&person),
                plan_actions::position.eq(position as i32 + 1),
                plan_actions::kind.eq(action.kind.code()),
                plan_actions::what.eq(action.what.as_str()),
                plan_actions::owner.eq(action.who.code()),
                plan_actions::provider.eq(&action.provider),
                plan_actions::due_on.eq(action.by_when),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn delete_parts(conn: &mut AnyConnection, objective_id: &str) -> StorageResult<()> {
    diesel::delete(
        plan_objective_links::table.filter(plan_objective_links::objective_id.eq(objective_id)),
    )
    .execute(conn)?;
    diesel::delete(plan_actions::table.filter(plan_actions::objective_id.eq(objective_id)))
        .execute(conn)?;
    Ok(())
}

/// Whether the objective belongs to the plan.
fn objective_in_plan(
    conn: &mut AnyConnection,
    plan_id: Uuid,
    objective_id: Uuid,
) -> StorageResult<bool> {
    let count: i64 = plan_objectives::table
        .filter(plan_objectives::id.eq(objective_id.to_string()))
        .filter(plan_objectives::plan_id.eq(plan_id.to_string()))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// Adds the objective to a draft, or replaces the objective of that id (its description, links
/// and actions; its progress is kept). Returns the plan's new version.
pub fn save_objective(
    conn: &mut AnyConnection,
    plan_id: Uuid,
    expected_version: i32,
    objective: &Objective,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<i32> {
    let version = touch(
        conn,
        plan_id,
        expected_version,
        &[PlanStatus::Draft],
        by,
        now,
    )?;
    let person_id = person_of(conn, plan_id)?;
    let key = objective.id.to_string();
    if objective_in_plan(conn, plan_id, objective.id)? {
        diesel::update(plan_objectives::table.find(&key))
            .set(plan_objectives::description.eq(objective.description.as_str()))
            .execute(conn)?;
        delete_parts(conn, &key)?;
        insert_parts(conn, person_id, objective)?;
    } else {
        let last: Option<i32> = plan_objectives::table
            .filter(plan_objectives::plan_id.eq(plan_id.to_string()))
            .select(diesel::dsl::max(plan_objectives::position))
            .first(conn)?;
        insert_objective(conn, plan_id, person_id, last.unwrap_or(0) + 1, objective)?;
    }
    Ok(version)
}

/// Removes an objective from a draft.
pub fn remove_objective(
    conn: &mut AnyConnection,
    plan_id: Uuid,
    expected_version: i32,
    objective_id: Uuid,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<i32> {
    if !objective_in_plan(conn, plan_id, objective_id)? {
        return Err(StorageError::NotFound);
    }
    let version = touch(
        conn,
        plan_id,
        expected_version,
        &[PlanStatus::Draft],
        by,
        now,
    )?;
    let key = objective_id.to_string();
    delete_parts(conn, &key)?;
    diesel::delete(plan_objectives::table.find(&key)).execute(conn)?;
    Ok(version)
}

/// Records the person's words and agreement on a draft or the active plan (they may come to agree
/// later, or change their mind at a review).
pub fn save_persons_view(
    conn: &mut AnyConnection,
    plan_id: Uuid,
    expected_version: i32,
    view: &PersonsView,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<i32> {
    let version = touch(
        conn,
        plan_id,
        expected_version,
        &[PlanStatus::Draft, PlanStatus::Active],
        by,
        now,
    )?;
    diesel::update(sentence_plans::table.find(plan_id.to_string()))
        .set((
            sentence_plans::persons_words.eq(view.words.as_str()),
            sentence_plans::agreement.eq(view.agreement.map(|a| a.code())),
            sentence_plans::disagreement_reason.eq(view.disagreement_reason.as_str()),
        ))
        .execute(conn)?;
    Ok(version)
}

/// Submits a draft: `status` is the domain's answer (active, or awaiting countersignature), with
/// the RoSH level that decided it.
pub fn submit(
    conn: &mut AnyConnection,
    plan_id: Uuid,
    expected_version: i32,
    status: PlanStatus,
    case_level: Option<RoshLevel>,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    touch(
        conn,
        plan_id,
        expected_version,
        &[PlanStatus::Draft],
        by,
        now,
    )?;
    diesel::update(sentence_plans::table.find(plan_id.to_string()))
        .set((
            sentence_plans::status.eq(status.code()),
            sentence_plans::case_level.eq(case_level.map(|l| l.code())),
            sentence_plans::submitted_by.eq(by.to_string()),
            sentence_plans::submitted_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    if status == PlanStatus::Active {
        take_effect(conn, plan_id, now)?;
    }
    Ok(())
}

/// A senior officer's countersignature, after which the plan is active.
pub fn countersign(
    conn: &mut AnyConnection,
    plan_id: Uuid,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let updated = diesel::update(
        sentence_plans::table
            .find(plan_id.to_string())
            .filter(sentence_plans::status.eq(PlanStatus::AwaitingCountersignature.code())),
    )
    .set((
        sentence_plans::status.eq(PlanStatus::Active.code()),
        sentence_plans::version.eq(sentence_plans::version + 1),
        sentence_plans::countersigned_by.eq(by.to_string()),
        sentence_plans::countersigned_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(
            "This plan is not awaiting countersignature".into(),
        ));
    }
    take_effect(conn, plan_id, now)
}

/// The plan becomes the one in force: the previous one is superseded (its open review tasks
/// closed, as the new plan answers them) and the first regular review is scheduled.
fn take_effect(conn: &mut AnyConnection, plan_id: Uuid, now: DateTime<Utc>) -> StorageResult<()> {
    let key = plan_id.to_string();
    let today = now.date_naive();
    let person_id = person_of(conn, plan_id)?;
    let person = person_id.to_string();
    let previous: Vec<String> = sentence_plans::table
        .filter(sentence_plans::person_id.eq(&person))
        .filter(sentence_plans::status.eq(PlanStatus::Active.code()))
        .filter(sentence_plans::id.ne(&key))
        .select(sentence_plans::id)
        .load(conn)?;
    diesel::update(sentence_plans::table.filter(sentence_plans::id.eq_any(&previous)))
        .set((
            sentence_plans::status.eq(PlanStatus::Superseded.code()),
            sentence_plans::superseded_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    reviews::close_tasks(conn, &previous, today, None)?;
    diesel::update(sentence_plans::table.find(&key))
        .set(sentence_plans::activated_on.eq(today))
        .execute(conn)?;
    let rules = PlanRules::default();
    reviews::create_task(
        conn,
        &reviews::NewReviewTask {
            plan_id,
            person_id,
            reason: ReviewReason::Scheduled,
            details: String::new(),
            occurred_on: today,
            due_on: rules.review_due(ReviewReason::Scheduled, today),
            rule_version: rules.version.clone(),
        },
        now,
    )?;
    Ok(())
}

/// Records how an objective of the active plan is going.
#[allow(clippy::too_many_arguments)]
pub fn record_progress(
    conn: &mut AnyConnection,
    plan_id: Uuid,
    expected_version: i32,
    objective_id: Uuid,
    progress: Progress,
    note: &LongText,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<i32> {
    if !objective_in_plan(conn, plan_id, objective_id)? {
        return Err(StorageError::NotFound);
    }
    let version = touch(
        conn,
        plan_id,
        expected_version,
        &[PlanStatus::Active],
        by,
        now,
    )?;
    diesel::update(plan_objectives::table.find(objective_id.to_string()))
        .set((
            plan_objectives::progress.eq(progress.code()),
            plan_objectives::progress_note.eq(note.as_str()),
            plan_objectives::progress_updated_by.eq(by.to_string()),
            plan_objectives::progress_updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(version)
}
