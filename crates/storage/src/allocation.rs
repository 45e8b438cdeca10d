//! Allocating a case (reference §9): what the allocation screen needs to know about the case, and
//! the allocation itself — ending any current allocation, starting the new one in the
//! practitioner's team and giving them a task to arrange the induction appointment within 5
//! working days (reference §2). The grade guidance and the ranking are the domain's
//! ([`keepsafe_domain::workload::allocation`]); callers check them before calling [`allocate`].
//!
//! Everything here runs inside the caller's transaction, with the caller's audit row.

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{allocations, people, practitioner_tasks, registrations, staff, teams};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use keepsafe_domain::age::age_on;
use keepsafe_domain::calendar::add_working_days;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::registration::MappaLevel;
use keepsafe_domain::rosh::RoshLevel;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::tiering::LegacyTierCode;
use keepsafe_domain::CodedValue;
use std::collections::HashSet;
use uuid::Uuid;

/// The kind of the task allocation creates.
pub const INDUCTION_TASK: &str = "induction_appointment";
/// Its title.
pub const INDUCTION_TITLE: &str = "Arrange the induction appointment";
/// Working days from allocation to the induction appointment (reference §2).
pub const INDUCTION_WORKING_DAYS: u32 = 5;

/// What about a case bears on who should hold it and how much work it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseForAllocation {
    pub pdu_id: Uuid,
    /// The main active event's case type; `None` with no active event.
    pub case_type: Option<CaseType>,
    /// The computed legacy tier; `None` until the tiers have been computed.
    pub tier: Option<LegacyTierCode>,
    /// Whole years on the day asked.
    pub age: Option<u32>,
    /// The case's level in the assessment in force; `None` when not assessed.
    pub rosh: Option<RoshLevel>,
    /// The highest MAPPA level of the registrations in force.
    pub mappa_level: Option<MappaLevel>,
    /// Everyone who has held the case before (or holds it now).
    pub previous_staff: HashSet<Uuid>,
}

/// Reads what the allocation screen needs about one case, on `today`.
pub fn case_for_allocation(
    conn: &mut AnyConnection,
    person_id: Uuid,
    today: NaiveDate,
) -> StorageResult<CaseForAllocation> {
    let key = person_id.to_string();
    let (pdu_id, born) = people::table
        .find(&key)
        .select((people::pdu_id, people::date_of_birth))
        .first::<(String, NaiveDate)>(conn)?;
    let case_type = crate::case_record::main_case_type(conn, person_id)?;
    let tier = crate::risk_scores::tiers_for(conn, std::slice::from_ref(&key))?
        .remove(&key)
        .map(|summary| rows::code::<LegacyTierCode>(&summary.legacy))
        .transpose()?;
    let rosh =
        crate::rosh_assessments::current_levels(conn, std::slice::from_ref(&key))?.remove(&key);
    let mappa_level = registrations::table
        .filter(registrations::person_id.eq(&key))
        .filter(registrations::mappa_level.is_not_null())
        .filter(
            registrations::ended_on
                .is_null()
                .or(registrations::ended_on.gt(today)),
        )
        .select(registrations::mappa_level)
        .load::<Option<String>>(conn)?
        .into_iter()
        .flatten()
        .map(|code| rows::code::<MappaLevel>(&code))
        .collect::<StorageResult<Vec<_>>>()?
        .into_iter()
        .max_by_key(|level| level.code());
    let previous_staff = allocations::table
        .filter(allocations::person_id.eq(&key))
        .select(allocations::staff_id)
        .load::<String>(conn)?
        .iter()
        .map(|id| rows::id(id))
        .collect::<StorageResult<HashSet<_>>>()?;
    Ok(CaseForAllocation {
        pdu_id: rows::id(&pdu_id)?,
        case_type,
        tier,
        age: age_on(born, today),
        rosh,
        mappa_level,
        previous_staff,
    })
}

/// A practitioner's task, as lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PractitionerTask {
    pub id: Uuid,
    pub staff_id: Uuid,
    pub person_id: Uuid,
    pub kind: String,
    pub title: String,
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
}

/// The practitioner tasks on a person's case, oldest due first.
pub fn tasks_for_person(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<Vec<PractitionerTask>> {
    Ok(load_tasks(conn, TaskScope::Person(person_id))?
        .into_iter()
        .map(|(task, _)| task)
        .collect())
}

/// A practitioner's open tasks with the CRN of each case, soonest due first.
pub fn open_tasks_for_staff(
    conn: &mut AnyConnection,
    staff_id: Uuid,
) -> StorageResult<Vec<(PractitionerTask, String)>> {
    load_tasks(conn, TaskScope::OpenFor(staff_id))
}

enum TaskScope {
    Person(Uuid),
    OpenFor(Uuid),
}

fn load_tasks(
    conn: &mut AnyConnection,
    scope: TaskScope,
) -> StorageResult<Vec<(PractitionerTask, String)>> {
    let query = practitioner_tasks::table
        .inner_join(people::table)
        .order((practitioner_tasks::due_on.asc(), people::crn.asc()))
        .select((
            practitioner_tasks::id,
            practitioner_tasks::staff_id,
            practitioner_tasks::person_id,
            practitioner_tasks::kind,
            practitioner_tasks::title,
            practitioner_tasks::due_on,
            practitioner_tasks::completed_on,
            people::crn,
        ))
        .into_boxed();
    let query = match scope {
        TaskScope::Person(id) => query.filter(practitioner_tasks::person_id.eq(id.to_string())),
        TaskScope::OpenFor(id) => query
            .filter(practitioner_tasks::staff_id.eq(id.to_string()))
            .filter(practitioner_tasks::completed_on.is_null()),
    };
    query
        .load::<(
            String,
            String,
            String,
            String,
            String,
            NaiveDate,
            Option<NaiveDate>,
            String,
        )>(conn)?
        .into_iter()
        .map(
            |(id, staff_id, person_id, kind, title, due_on, completed_on, crn)| {
                Ok((
                    PractitionerTask {
                        id: rows::id(&id)?,
                        staff_id: rows::id(&staff_id)?,
                        person_id: rows::id(&person_id)?,
                        kind,
                        title,
                        due_on,
                        completed_on,
                    },
                    crn,
                ))
            },
        )
        .collect()
}

/// What [`allocate`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocated {
    pub allocation_id: Uuid,
    pub team_id: Uuid,
    /// The current allocation it ended, if any.
    pub ended: Option<Uuid>,
    pub task_id: Uuid,
    /// When the induction appointment task is due.
    pub task_due_on: NaiveDate,
}

/// Allocates the person's case to `staff_id` from `today`: ends any current allocation (its end
/// date becomes `today`), starts a new one in the practitioner's team with `reason` (and the
/// override reason when the grade guidance was overridden), and creates their task to arrange the
/// induction appointment, due in [`INDUCTION_WORKING_DAYS`] working days. Refuses, changing
/// nothing, when the member of staff is not an active practitioner in a team of the case's PDU.
#[allow(clippy::too_many_arguments)]
pub fn allocate(
    conn: &mut AnyConnection,
    person_id: Uuid,
    staff_id: Uuid,
    reason: &str,
    override_reason: Option<&str>,
    by: Uuid,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> StorageResult<Allocated> {
    let person_key = person_id.to_string();
    let case_pdu: String = people::table
        .find(&person_key)
        .select(people::pdu_id)
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    let Some((first, last, grade, active, team_id, team_pdu)) = staff::table
        .left_join(teams::table.on(staff::team_id.eq(teams::id.nullable())))
        .filter(staff::id.eq(staff_id.to_string()))
        .select((
            staff::first_name,
            staff::last_name,
            staff::grade,
            staff::active,
            staff::team_id,
            teams::pdu_id.nullable(),
        ))
        .first::<(String, String, String, bool, Option<String>, Option<String>)>(conn)
        .optional()?
    else {
        return Err(StorageError::Conflict(
            "That member of staff could not be found: choose a practitioner from the list".into(),
        ));
    };
    let grade: Grade = rows::code(&grade)?;
    let name = format!("{first} {last}");
    if !active {
        return Err(StorageError::Conflict(format!(
            "{name} no longer works here: choose an active practitioner"
        )));
    }
    if !grade.holds_caseload() {
        return Err(StorageError::Conflict(format!(
            "{name} is a {}, who does not hold a caseload: choose a probation officer, probation \
             services officer or trainee",
            grade.label().to_lowercase()
        )));
    }
    let (Some(team_id), Some(team_pdu)) = (team_id, team_pdu) else {
        return Err(StorageError::Conflict(format!(
            "{name} is not in a team: choose a practitioner in a team of this case's PDU"
        )));
    };
    if team_pdu != case_pdu {
        return Err(StorageError::Conflict(format!(
            "{name} works in another PDU: choose a practitioner in a team of this case's PDU"
        )));
    }

    let current: Vec<String> = allocations::table
        .filter(allocations::person_id.eq(&person_key))
        .filter(allocations::end_date.is_null())
        .select(allocations::id)
        .load(conn)?;
    diesel::update(allocations::table.filter(allocations::id.eq_any(&current)))
        .set(allocations::end_date.eq(Some(today)))
        .execute(conn)?;

    let allocation_id = Uuid::new_v4();
    diesel::insert_into(allocations::table)
        .values((
            allocations::id.eq(allocation_id.to_string()),
            allocations::person_id.eq(&person_key),
            allocations::staff_id.eq(staff_id.to_string()),
            allocations::team_id.eq(&team_id),
            allocations::start_date.eq(today),
            allocations::end_date.eq(None::<NaiveDate>),
            allocations::reason.eq(reason),
            allocations::allocated_by.eq(Some(by.to_string())),
            allocations::override_reason.eq(override_reason),
        ))
        .execute(conn)?;

    let task_id = Uuid::new_v4();
    let task_due_on = add_working_days(today, INDUCTION_WORKING_DAYS);
    diesel::insert_into(practitioner_tasks::table)
        .values((
            practitioner_tasks::id.eq(task_id.to_string()),
            practitioner_tasks::staff_id.eq(staff_id.to_string()),
            practitioner_tasks::person_id.eq(&person_key),
            practitioner_tasks::kind.eq(INDUCTION_TASK),
            practitioner_tasks::title.eq(INDUCTION_TITLE),
            practitioner_tasks::due_on.eq(task_due_on),
            practitioner_tasks::created_by.eq(Some(by.to_string())),
            practitioner_tasks::created_at.eq(now.naive_utc()),
            practitioner_tasks::completed_on.eq(None::<NaiveDate>),
        ))
        .execute(conn)?;

    Ok(Allocated {
        allocation_id,
        team_id: rows::id(&team_id)?,
        ended: current.first().map(|id| rows::id(id)).transpose()?,
        task_id,
        task_due_on,
    })
}
