//! "Review the risk assessment" tasks created by changes in circumstances.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{allocations, people, review_tasks};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use keepsafe_domain::review::ReviewTrigger;
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// Whose review tasks to list: one person's, or the open ones of the cases a practitioner holds,
/// a team holds or a PDU is responsible for. Shared by the areas whose reviews appear on /tasks.
#[derive(Debug, Clone, Copy)]
pub enum TaskScope {
    Person(Uuid),
    /// The cases allocated to a practitioner.
    Staff(Uuid),
    Team(Uuid),
    Pdu(Uuid),
}

/// A new task.
#[derive(Debug, Clone)]
pub struct NewTask {
    pub person_id: Uuid,
    pub trigger: ReviewTrigger,
    pub occurred_on: NaiveDate,
    pub details: String,
    pub due_on: NaiveDate,
    pub rule_version: String,
    pub created_by: Option<Uuid>,
}

pub fn create(conn: &mut AnyConnection, task: &NewTask, now: DateTime<Utc>) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(review_tasks::table)
        .values((
            review_tasks::id.eq(id.to_string()),
            review_tasks::person_id.eq(task.person_id.to_string()),
            review_tasks::trigger_kind.eq(task.trigger.code()),
            review_tasks::occurred_on.eq(task.occurred_on),
            review_tasks::details.eq(&task.details),
            review_tasks::due_on.eq(task.due_on),
            review_tasks::rule_version.eq(&task.rule_version),
            review_tasks::created_by.eq(task.created_by.map(|id| id.to_string())),
            review_tasks::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// A task with the case it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRecord {
    pub id: Uuid,
    pub person_id: Uuid,
    pub crn: String,
    pub name: String,
    pub trigger: ReviewTrigger,
    pub occurred_on: NaiveDate,
    pub details: String,
    pub due_on: NaiveDate,
    pub rule_version: String,
    pub completed_on: Option<NaiveDate>,
}

type TaskRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    NaiveDate,
    String,
    NaiveDate,
    String,
    Option<NaiveDate>,
);

fn task(row: TaskRow) -> StorageResult<TaskRecord> {
    Ok(TaskRecord {
        id: rows::id(&row.0)?,
        person_id: rows::id(&row.1)?,
        crn: row.2,
        name: format!("{} {}", row.3, row.4),
        trigger: rows::code(&row.5)?,
        occurred_on: row.6,
        details: row.7,
        due_on: row.8,
        rule_version: row.9,
        completed_on: row.10,
    })
}

enum Scope {
    Person(Uuid),
    Staff(Uuid),
    Team(Uuid),
    Pdu(Uuid),
}

fn open_tasks(
    conn: &mut AnyConnection,
    scope: Scope,
    include_done: bool,
) -> StorageResult<Vec<TaskRecord>> {
    let mut query = review_tasks::table
        .inner_join(people::table)
        .left_join(
            allocations::table.on(allocations::person_id
                .eq(people::id)
                .and(allocations::end_date.is_null())),
        )
        .select((
            review_tasks::id,
            review_tasks::person_id,
            people::crn,
            people::first_name,
            people::last_name,
            review_tasks::trigger_kind,
            review_tasks::occurred_on,
            review_tasks::details,
            review_tasks::due_on,
            review_tasks::rule_version,
            review_tasks::completed_on,
        ))
        .order((review_tasks::due_on.asc(), people::crn.asc()))
        .into_boxed();
    if !include_done {
        query = query.filter(review_tasks::completed_on.is_null());
    }
    query = match scope {
        Scope::Person(id) => query.filter(review_tasks::person_id.eq(id.to_string())),
        Scope::Staff(id) => query.filter(allocations::staff_id.eq(id.to_string())),
        Scope::Team(id) => query.filter(allocations::team_id.eq(id.to_string())),
        Scope::Pdu(id) => query.filter(people::pdu_id.eq(id.to_string())),
    };
    query.load::<TaskRow>(conn)?.into_iter().map(task).collect()
}

/// Every task for a person, open and done, soonest due first.
pub fn for_person(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<TaskRecord>> {
    open_tasks(conn, Scope::Person(person_id), true)
}

/// Open tasks on the cases a practitioner manages.
pub fn open_for_staff(conn: &mut AnyConnection, staff_id: Uuid) -> StorageResult<Vec<TaskRecord>> {
    open_tasks(conn, Scope::Staff(staff_id), false)
}

/// Open tasks on a team's cases.
pub fn open_for_team(conn: &mut AnyConnection, team_id: Uuid) -> StorageResult<Vec<TaskRecord>> {
    open_tasks(conn, Scope::Team(team_id), false)
}

/// Open tasks on every case a PDU holds, allocated or waiting.
pub fn open_for_pdu(conn: &mut AnyConnection, pdu_id: Uuid) -> StorageResult<Vec<TaskRecord>> {
    open_tasks(conn, Scope::Pdu(pdu_id), false)
}
