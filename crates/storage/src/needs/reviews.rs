//! "Review the needs assessment": asked for by a change in circumstances when a completed
//! assessment is in force, due by [`NeedsRules::review_due`], and answered by the next completed
//! assessment ([`super::assessments::complete`]).
//!
//! A change makes two tasks, not one: the risk assessment's review (`review_tasks`, due in 5 or
//! 10 working days by the urgency of the change) and this one. They are different pieces of work
//! with different deadlines, each finished by completing its own assessment, so a practitioner
//! who has reviewed the risk still sees that the needs are waiting, and the other way round.

use crate::cases::tasks::TaskScope;
use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{allocations, needs_assessments, needs_reviews, people};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use keepsafe_domain::needs::{AssessmentStatus, NeedsRules};
use keepsafe_domain::review::ReviewTrigger;
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// A review asked of the needs assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedsReview {
    pub id: Uuid,
    pub trigger: ReviewTrigger,
    pub occurred_on: NaiveDate,
    pub details: String,
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
}

/// Asks for a review of the completed assessment in force, in the caller's transaction, when the
/// change calls for one ([`NeedsRules::calls_for_review`]). Returns the review and when it is
/// due; `None` when there is no completed assessment or the change does not call for a review.
/// Due from the later of the day it is recorded and the day it happened, as the risk review is.
pub fn ask_for_review(
    conn: &mut AnyConnection,
    person_id: Uuid,
    trigger: ReviewTrigger,
    occurred_on: NaiveDate,
    details: &str,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Option<(Uuid, NaiveDate)>> {
    if !NeedsRules::calls_for_review(trigger) {
        return Ok(None);
    }
    let in_force: Option<String> = needs_assessments::table
        .filter(needs_assessments::person_id.eq(person_id.to_string()))
        .filter(needs_assessments::status.eq(AssessmentStatus::Completed.code()))
        .select(needs_assessments::id)
        .first(conn)
        .optional()?;
    let Some(assessment) = in_force else {
        return Ok(None);
    };
    let rules = NeedsRules::default();
    let due_on = rules.review_due(now.date_naive().max(occurred_on));
    let id = Uuid::new_v4();
    diesel::insert_into(needs_reviews::table)
        .values((
            needs_reviews::id.eq(id.to_string()),
            needs_reviews::person_id.eq(person_id.to_string()),
            needs_reviews::assessment_id.eq(assessment),
            needs_reviews::trigger_kind.eq(trigger.code()),
            needs_reviews::occurred_on.eq(occurred_on),
            needs_reviews::details.eq(details),
            needs_reviews::due_on.eq(due_on),
            needs_reviews::rule_version.eq(rules.version),
            needs_reviews::created_by.eq(by.to_string()),
            needs_reviews::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(Some((id, due_on)))
}

/// A person's needs reviews, open ones first, soonest due first.
pub fn for_person(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<NeedsReview>> {
    let mut reviews = needs_reviews::table
        .filter(needs_reviews::person_id.eq(person_id.to_string()))
        .order(needs_reviews::due_on.asc())
        .select((
            needs_reviews::id,
            needs_reviews::trigger_kind,
            needs_reviews::occurred_on,
            needs_reviews::details,
            needs_reviews::due_on,
            needs_reviews::completed_on,
        ))
        .load::<(
            String,
            String,
            NaiveDate,
            String,
            NaiveDate,
            Option<NaiveDate>,
        )>(conn)?
        .into_iter()
        .map(
            |(id, trigger, occurred_on, details, due_on, completed_on)| {
                Ok(NeedsReview {
                    id: rows::id(&id)?,
                    trigger: rows::code(&trigger)?,
                    occurred_on,
                    details,
                    due_on,
                    completed_on,
                })
            },
        )
        .collect::<StorageResult<Vec<_>>>()?;
    reviews.sort_by_key(|r| r.completed_on.is_some());
    Ok(reviews)
}

/// An open needs review with its case, for the tasks page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenNeedsReview {
    pub crn: String,
    pub name: String,
    pub trigger: ReviewTrigger,
    pub details: String,
    pub due_on: NaiveDate,
}

/// The open needs reviews of the cases in `scope` due by `due_by`, soonest due first: the tasks
/// page lists them beside the risk assessment and sentence plan reviews.
pub fn open_in_scope(
    conn: &mut AnyConnection,
    scope: TaskScope,
    due_by: NaiveDate,
) -> StorageResult<Vec<OpenNeedsReview>> {
    let mut query = needs_reviews::table
        .inner_join(people::table)
        .left_join(
            allocations::table.on(allocations::person_id
                .eq(people::id)
                .and(allocations::end_date.is_null())),
        )
        .filter(needs_reviews::completed_on.is_null())
        .filter(needs_reviews::due_on.le(due_by))
        .select((
            people::crn,
            people::first_name,
            people::last_name,
            needs_reviews::trigger_kind,
            needs_reviews::details,
            needs_reviews::due_on,
        ))
        .order((needs_reviews::due_on.asc(), people::crn.asc()))
        .into_boxed();
    query = match scope {
        TaskScope::Person(id) => query.filter(needs_reviews::person_id.eq(id.to_string())),
        TaskScope::Staff(id) => query.filter(allocations::staff_id.eq(id.to_string())),
        TaskScope::Team(id) => query.filter(allocations::team_id.eq(id.to_string())),
        TaskScope::Pdu(id) => query.filter(people::pdu_id.eq(id.to_string())),
    };
    query
        .load::<(String, String, String, String, String, NaiveDate)>(conn)?
        .into_iter()
        .map(|(crn, first, last, trigger, details, due_on)| {
            Ok(OpenNeedsReview {
                crn,
                name: format!("{first} {last}"),
                trigger: rows::code(&trigger)?,
                details,
                due_on,
            })
        })
        .collect()
}
