//! Reviews of the active plan and the "review the sentence plan" tasks: one for the regular
//! review (scheduled when a plan takes effect and after each review) and one for each significant
//! change — the RoSH assessment reviewed, a change of circumstances recorded. Recording a review
//! completes every open task of the plan.

use super::STALE_MESSAGE;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{allocations, people, plan_review_tasks, plan_reviews, sentence_plans};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use keepsafe_domain::plans::{PlanRules, PlanStatus, ReviewReason};
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// A task to create.
#[derive(Debug, Clone)]
pub struct NewReviewTask {
    pub plan_id: Uuid,
    pub person_id: Uuid,
    pub reason: ReviewReason,
    /// What changed, for a review after significant change; empty for a regular review.
    pub details: String,
    pub occurred_on: NaiveDate,
    pub due_on: NaiveDate,
    pub rule_version: String,
}

pub fn create_task(
    conn: &mut AnyConnection,
    task: &NewReviewTask,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(plan_review_tasks::table)
        .values((
            plan_review_tasks::id.eq(id.to_string()),
            plan_review_tasks::plan_id.eq(task.plan_id.to_string()),
            plan_review_tasks::person_id.eq(task.person_id.to_string()),
            plan_review_tasks::reason.eq(task.reason.code()),
            plan_review_tasks::details.eq(&task.details),
            plan_review_tasks::occurred_on.eq(task.occurred_on),
            plan_review_tasks::due_on.eq(task.due_on),
            plan_review_tasks::rule_version.eq(&task.rule_version),
            plan_review_tasks::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Completes the open tasks of `plans` on `today`, by `review` when one answered them.
pub(crate) fn close_tasks(
    conn: &mut AnyConnection,
    plans: &[String],
    today: NaiveDate,
    review: Option<Uuid>,
) -> StorageResult<()> {
    diesel::update(
        plan_review_tasks::table
            .filter(plan_review_tasks::plan_id.eq_any(plans))
            .filter(plan_review_tasks::completed_on.is_null()),
    )
    .set((
        plan_review_tasks::completed_on.eq(today),
        plan_review_tasks::completed_by_review.eq(review.map(|r| r.to_string())),
    ))
    .execute(conn)?;
    Ok(())
}

/// A review of the plan as recorded.
#[derive(Debug, Clone)]
pub struct NewReview {
    pub reviewed_on: NaiveDate,
    pub reason: ReviewReason,
    pub note: LongText,
}

/// Records a review of the active plan: the plan's version moves on (refused as stale if it
/// moved meanwhile), its open review tasks are completed by this review, and the next regular
/// review is scheduled from the day of this one.
pub fn record_review(
    conn: &mut AnyConnection,
    plan_id: Uuid,
    expected_version: i32,
    review: &NewReview,
    rules: &PlanRules,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let key = plan_id.to_string();
    let updated = diesel::update(
        sentence_plans::table
            .find(&key)
            .filter(sentence_plans::version.eq(expected_version))
            .filter(sentence_plans::status.eq(PlanStatus::Active.code())),
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
    let person: String = sentence_plans::table
        .find(&key)
        .select(sentence_plans::person_id)
        .first(conn)?;
    let id = Uuid::new_v4();
    diesel::insert_into(plan_reviews::table)
        .values((
            plan_reviews::id.eq(id.to_string()),
            plan_reviews::plan_id.eq(&key),
            plan_reviews::person_id.eq(&person),
            plan_reviews::reviewed_on.eq(review.reviewed_on),
            plan_reviews::reason.eq(review.reason.code()),
            plan_reviews::note.eq(review.note.as_str()),
            plan_reviews::reviewed_by.eq(by.to_string()),
            plan_reviews::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    close_tasks(conn, std::slice::from_ref(&key), now.date_naive(), Some(id))?;
    create_task(
        conn,
        &NewReviewTask {
            plan_id,
            person_id: rows::id(&person)?,
            reason: ReviewReason::Scheduled,
            details: String::new(),
            occurred_on: review.reviewed_on,
            due_on: rules.review_due(ReviewReason::Scheduled, review.reviewed_on),
            rule_version: rules.version.clone(),
        },
        now,
    )?;
    Ok(id)
}

/// A significant change to the case: when a plan is in force, a task to review it is created,
/// due by the plan rules after the later of the change and the day it is recorded. Returns the
/// task and its due date, or `None` when there is no active plan (the next plan reads the case
/// as it is). Called in the change's own transaction.
pub fn after_significant_change(
    conn: &mut AnyConnection,
    person_id: Uuid,
    reason: ReviewReason,
    details: &str,
    occurred_on: NaiveDate,
    now: DateTime<Utc>,
) -> StorageResult<Option<(Uuid, NaiveDate)>> {
    let active: Option<String> = sentence_plans::table
        .filter(sentence_plans::person_id.eq(person_id.to_string()))
        .filter(sentence_plans::status.eq(PlanStatus::Active.code()))
        .select(sentence_plans::id)
        .first(conn)
        .optional()?;
    let Some(plan) = active else {
        return Ok(None);
    };
    let rules = PlanRules::default();
    let due_on = rules.review_due(reason, now.date_naive().max(occurred_on));
    let id = create_task(
        conn,
        &NewReviewTask {
            plan_id: rows::id(&plan)?,
            person_id,
            reason,
            details: details.to_owned(),
            occurred_on,
            due_on,
            rule_version: rules.version.clone(),
        },
        now,
    )?;
    Ok(Some((id, due_on)))
}

/// A review task with the case it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewTaskRecord {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub person_id: Uuid,
    pub crn: String,
    pub name: String,
    pub reason: ReviewReason,
    pub details: String,
    pub occurred_on: NaiveDate,
    pub due_on: NaiveDate,
    pub rule_version: String,
    pub completed_on: Option<NaiveDate>,
}

pub use crate::cases::tasks::TaskScope;

type TaskRow = (
    (String, String, String, String, String, String),
    (
        String,
        NaiveDate,
        NaiveDate,
        String,
        Option<NaiveDate>,
        String,
    ),
);

/// Review tasks in `scope`, soonest due first: open ones due by `due_by` (every open one when
/// `None`), or for a person every task, done or not.
pub fn tasks(
    conn: &mut AnyConnection,
    scope: TaskScope,
    due_by: Option<NaiveDate>,
) -> StorageResult<Vec<ReviewTaskRecord>> {
    let mut query = plan_review_tasks::table
        .inner_join(people::table)
        .left_join(
            allocations::table.on(allocations::person_id
                .eq(people::id)
                .and(allocations::end_date.is_null())),
        )
        .select((
            (
                plan_review_tasks::id,
                plan_review_tasks::plan_id,
                plan_review_tasks::person_id,
                people::crn,
                people::first_name,
                people::last_name,
            ),
            (
                plan_review_tasks::reason,
                plan_review_tasks::occurred_on,
                plan_review_tasks::due_on,
                plan_review_tasks::details,
                plan_review_tasks::completed_on,
                plan_review_tasks::rule_version,
            ),
        ))
        .order((plan_review_tasks::due_on.asc(), people::crn.asc()))
        .into_boxed();
    if !matches!(scope, TaskScope::Person(_)) {
        query = query.filter(plan_review_tasks::completed_on.is_null());
    }
    if let Some(due_by) = due_by {
        query = query.filter(plan_review_tasks::due_on.le(due_by));
    }
    query = match scope {
        TaskScope::Person(id) => query.filter(plan_review_tasks::person_id.eq(id.to_string())),
        TaskScope::Staff(id) => query.filter(allocations::staff_id.eq(id.to_string())),
        TaskScope::Team(id) => query.filter(allocations::team_id.eq(id.to_string())),
        TaskScope::Pdu(id) => query.filter(people::pdu_id.eq(id.to_string())),
    };
    query
        .load::<TaskRow>(conn)?
        .into_iter()
        .map(|((id, plan, person, crn, first, last), rest)| {
            Ok(ReviewTaskRecord {
                id: rows::id(&id)?,
                plan_id: rows::id(&plan)?,
                person_id: rows::id(&person)?,
                crn,
                name: format!("{first} {last}"),
                reason: rows::code(&rest.0)?,
                occurred_on: rest.1,
                due_on: rest.2,
                details: rest.3,
                rule_version: rest.5,
                completed_on: rest.4,
            })
        })
        .collect()
}
