//! Allocating and reallocating cases (reference §9, §13): what the allocation screen needs to know
//! about a case, and the moves themselves — ending any current allocation, starting the new one in
//! the practitioner's team, handing the previous holder's open tasks on the case to the new one,
//! and giving the new practitioner a task: to arrange the induction appointment within 5 working
//! days for a case nobody has held before (reference §2), or to pick up the handover of one that
//! someone has. [`allocate`] moves one case; [`transfer`] moves many of one practitioner's cases
//! at once (absence cover, a leaver). Both go through [`move_cases`], so a single reallocation and
//! a bulk transfer leave the same record. The grade guidance and the ranking are the domain's
//! ([`keepsafe_domain::workload`]); callers check them first.
//!
//! Everything here runs inside the caller's transaction, with the caller's audit rows. Every check
//! that can refuse is made before anything is written, so a refusal changes nothing; an error
//! after the first write rolls the caller's transaction back whole.

use crate::batch::insert_rows;
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
use keepsafe_domain::workload::{AllocationCase, HANDOVER_TITLE, HANDOVER_WORKING_DAYS};
use keepsafe_domain::CodedValue;
use std::collections::{HashMap, HashSet};
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
    let case_type = crate::cases::record::main_case_type(conn, person_id)?;
    let tier = crate::risk::scores::tiers_for(conn, std::slice::from_ref(&key))?
        .remove(&key)
        .map(|summary| rows::code::<LegacyTierCode>(&summary.legacy))
        .transpose()?;
    let guidance = guidance_for(conn, std::slice::from_ref(&key), today)?
        .remove(&key)
        .unwrap_or_default();
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
        rosh: guidance.rosh,
        mappa_level: guidance.mappa_level,
        previous_staff,
    })
}

/// What bears on who should hold each of these cases on `today` — the RoSH level of the
/// assessment in force and the highest MAPPA level of the registrations in force — in two queries
/// per 500 cases. Every key is in the answer.
pub fn guidance_for(
    conn: &mut AnyConnection,
    person_keys: &[String],
    today: NaiveDate,
) -> StorageResult<HashMap<String, AllocationCase>> {
    let mut found: HashMap<String, AllocationCase> = person_keys
        .iter()
        .map(|key| (key.clone(), AllocationCase::default()))
        .collect();
    for chunk in person_keys.chunks(ROWS_PER_INSERT) {
        for (key, level) in crate::risk::assessments::current_levels(conn, chunk)? {
            if let Some(case) = found.get_mut(&key) {
                case.rosh = Some(level);
            }
        }
        let levels = registrations::table
            .filter(registrations::person_id.eq_any(chunk))
            .filter(registrations::mappa_level.is_not_null())
            .filter(
                registrations::ended_on
                    .is_null()
                    .or(registrations::ended_on.gt(today)),
            )
            .select((registrations::person_id, registrations::mappa_level))
            .load::<(String, Option<String>)>(conn)?;
        for (key, code) in levels {
            let Some(code) = code else { continue };
            let level = rows::code::<MappaLevel>(&code)?;
            if let Some(case) = found.get_mut(&key) {
                if case
                    .mappa_level
                    .is_none_or(|held| held.code() < level.code())
                {
                    case.mappa_level = Some(level);
                }
            }
        }
    }
    Ok(found)
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
    Task(Uuid),
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
        TaskScope::Task(id) => query.filter(practitioner_tasks::id.eq(id.to_string())),
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
    /// The task given to the practitioner: [`INDUCTION_TASK`] or [`HANDOVER_TASK`].
    pub task_kind: &'static str,
    /// When that task is due.
    pub task_due_on: NaiveDate,
}

/// The kind of the task a reallocation creates.
pub const HANDOVER_TASK: &str = "handover";

/// A practitioner cases can move to: active, holding a caseload, in a team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Practitioner {
    pub staff_id: Uuid,
    pub name: String,
    pub grade: Grade,
    pub team_id: String,
    pub pdu_id: String,
}

/// Reads a member of staff as someone cases can go to in the PDU `pdu_key`, or refuses with what
/// to do instead.
pub fn practitioner_in_pdu(
    conn: &mut AnyConnection,
    staff_id: Uuid,
    pdu_key: &str,
) -> StorageResult<Practitioner> {
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
    if team_pdu != pdu_key {
        return Err(StorageError::Conflict(format!(
            "{name} works in another PDU: choose a practitioner in a team of this case's PDU"
        )));
    }
    Ok(Practitioner {
        staff_id,
        name,
        grade,
        team_id,
        pdu_id: team_pdu,
    })
}

/// Allocates the person's case to `staff_id` from `today` through [`move_cases`]. Refuses,
/// changing nothing, when the member of staff is not an active practitioner in a team of the
/// case's PDU.
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
    let target = practitioner_in_pdu(conn, staff_id, &case_pdu)?;
    let moved = move_cases(
        conn,
        std::slice::from_ref(&person_key),
        &target,
        &Move {
            reason,
            override_reason,
            by,
            today,
            now,
        },
    )?;
    let moved = moved
        .into_iter()
        .next()
        .ok_or_else(|| StorageError::Corrupt("a one-case move moved nothing".into()))?;
    Ok(Allocated {
        allocation_id: moved.allocation_id,
        team_id: rows::id(&target.team_id)?,
        ended: moved.ended,
        task_id: moved.task_id,
        task_kind: moved.task_kind,
        task_due_on: moved.task_due_on,
    })
}

/// Why and when cases move, and who moves them.
#[derive(Debug, Clone, Copy)]
pub struct Move<'a> {
    pub reason: &'a str,
    /// Set when the grade guidance was overridden.
    pub override_reason: Option<&'a str>,
    pub by: Uuid,
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
}

/// One case moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub person_id: Uuid,
    pub allocation_id: Uuid,
    /// The allocation it ended, if the case was allocated.
    pub ended: Option<Uuid>,
    /// Who held it until now.
    pub from_staff: Option<Uuid>,
    pub task_id: Uuid,
    pub task_kind: &'static str,
    pub task_due_on: NaiveDate,
    /// Open tasks on the case handed from the previous holder to the new one.
    pub tasks_handed_on: usize,
}

/// Rows per multi-row INSERT: well inside both backends' bound-parameter limits.
const ROWS_PER_INSERT: usize = 200;

/// Moves every case in `person_keys` to `target` from `move_.today`, in a fixed number of queries
/// however many cases there are: ends their current allocations, starts new ones in the target's
/// team, hands the previous holders' open practitioner tasks on those cases to the target, and
/// gives the target one task per case — an induction for a case never allocated before, a handover
/// otherwise — due in 5 working days.
pub fn move_cases(
    conn: &mut AnyConnection,
    person_keys: &[String],
    target: &Practitioner,
    move_: &Move<'_>,
) -> StorageResult<Vec<Moved>> {
    let target_key = target.staff_id.to_string();
    let mut current: HashMap<String, (String, String)> = HashMap::new();
    let mut allocated_before: HashSet<String> = HashSet::new();
    for chunk in person_keys.chunks(ROWS_PER_INSERT) {
        for (id, person, staff_id, end) in allocations::table
            .filter(allocations::person_id.eq_any(chunk))
            .select((
                allocations::id,
                allocations::person_id,
                allocations::staff_id,
                allocations::end_date,
            ))
            .load::<(String, String, String, Option<NaiveDate>)>(conn)?
        {
            if end.is_none() {
                current.insert(person.clone(), (id, staff_id));
            }
            allocated_before.insert(person);
        }
    }
    let ending: Vec<String> = current.values().map(|(id, _)| id.clone()).collect();
    let previous_holders: Vec<String> = current
        .values()
        .map(|(_, staff)| staff.clone())
        .filter(|staff| *staff != target_key)
        .collect();
    for chunk in ending.chunks(ROWS_PER_INSERT) {
        diesel::update(allocations::table.filter(allocations::id.eq_any(chunk)))
            .set(allocations::end_date.eq(Some(move_.today)))
            .execute(conn)?;
    }

    let mut moved = Vec::with_capacity(person_keys.len());
    for person in person_keys {
        let previous = current.get(person);
        let (task_kind, working_days) = if allocated_before.contains(person) {
            (HANDOVER_TASK, HANDOVER_WORKING_DAYS)
        } else {
            (INDUCTION_TASK, INDUCTION_WORKING_DAYS)
        };
        moved.push(Moved {
            person_id: rows::id(person)?,
            allocation_id: Uuid::new_v4(),
            ended: previous.map(|(id, _)| rows::id(id)).transpose()?,
            from_staff: previous.map(|(_, staff)| rows::id(staff)).transpose()?,
            task_id: Uuid::new_v4(),
            task_kind,
            task_due_on: add_working_days(move_.today, working_days),
            tasks_handed_on: 0,
        });
    }

    for chunk in moved.chunks(ROWS_PER_INSERT) {
        let new_allocations: Vec<_> = chunk
            .iter()
            .map(|m| {
                (
                    allocations::id.eq(m.allocation_id.to_string()),
                    allocations::person_id.eq(m.person_id.to_string()),
                    allocations::staff_id.eq(target_key.clone()),
                    allocations::team_id.eq(target.team_id.clone()),
                    allocations::start_date.eq(move_.today),
                    allocations::end_date.eq(None::<NaiveDate>),
                    allocations::reason.eq(move_.reason),
                    allocations::allocated_by.eq(Some(move_.by.to_string())),
                    allocations::override_reason.eq(move_.override_reason),
                )
            })
            .collect();
        insert_rows!(conn, allocations::table, new_allocations)?;
    }

    // Open tasks the previous holders had on these cases go with the cases.
    let mut handed_on: HashMap<String, usize> = HashMap::new();
    if !previous_holders.is_empty() {
        for chunk in person_keys.chunks(ROWS_PER_INSERT) {
            let open: Vec<(String, String)> = practitioner_tasks::table
                .filter(practitioner_tasks::person_id.eq_any(chunk))
                .filter(practitioner_tasks::staff_id.eq_any(&previous_holders))
                .filter(practitioner_tasks::completed_on.is_null())
                .select((practitioner_tasks::id, practitioner_tasks::person_id))
                .load(conn)?;
            let ids: Vec<&String> = open.iter().map(|(id, _)| id).collect();
            diesel::update(practitioner_tasks::table.filter(practitioner_tasks::id.eq_any(ids)))
                .set(practitioner_tasks::staff_id.eq(&target_key))
                .execute(conn)?;
            for (_, person) in open {
                *handed_on.entry(person).or_default() += 1;
            }
        }
    }
    for m in &mut moved {
        m.tasks_handed_on = handed_on
            .get(&m.person_id.to_string())
            .copied()
            .unwrap_or(0);
    }

    for chunk in moved.chunks(ROWS_PER_INSERT) {
        let tasks: Vec<_> = chunk
            .iter()
            .map(|m| {
                let title = if m.task_kind == HANDOVER_TASK {
                    HANDOVER_TITLE
                } else {
                    INDUCTION_TITLE
                };
                (
                    practitioner_tasks::id.eq(m.task_id.to_string()),
                    practitioner_tasks::staff_id.eq(target_key.clone()),
                    practitioner_tasks::person_id.eq(m.person_id.to_string()),
                    practitioner_tasks::kind.eq(m.task_kind),
                    practitioner_tasks::title.eq(title),
                    practitioner_tasks::due_on.eq(m.task_due_on),
                    practitioner_tasks::created_by.eq(Some(move_.by.to_string())),
                    practitioner_tasks::created_at.eq(move_.now.naive_utc()),
                    practitioner_tasks::completed_on.eq(None::<NaiveDate>),
                )
            })
            .collect();
        insert_rows!(conn, practitioner_tasks::table, tasks)?;
    }
    Ok(moved)
}

/// What [`transfer`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transferred {
    pub to: Practitioner,
    pub moved: Vec<Moved>,
}

/// Moves the cases `person_ids` from `from_staff` to `to_staff` in one go. Refuses, changing
/// nothing, unless every case is currently allocated to `from_staff` (a case moved by someone else
/// since the form was shown is named) and the new practitioner is an active practitioner in a team
/// of the same PDU. Run it inside one transaction with the audit rows, so it moves every case or
/// none.
pub fn transfer(
    conn: &mut AnyConnection,
    from_staff: Uuid,
    person_ids: &[Uuid],
    to_staff: Uuid,
    move_: &Move<'_>,
) -> StorageResult<Transferred> {
    if person_ids.is_empty() {
        return Err(StorageError::Conflict(
            "Select at least one case to move".into(),
        ));
    }
    if from_staff == to_staff {
        return Err(StorageError::Conflict(
            "Choose someone other than the practitioner who holds the cases now".into(),
        ));
    }
    let from_key = from_staff.to_string();
    let from_pdu: Option<String> = staff::table
        .inner_join(teams::table.on(staff::team_id.eq(teams::id.nullable())))
        .filter(staff::id.eq(&from_key))
        .select(teams::pdu_id)
        .first(conn)
        .optional()?;
    let from_pdu = from_pdu.ok_or(StorageError::NotFound)?;
    let target = practitioner_in_pdu(conn, to_staff, &from_pdu)?;

    let keys: Vec<String> = person_ids.iter().map(Uuid::to_string).collect();
    let mut held: HashSet<String> = HashSet::with_capacity(keys.len());
    let mut crns: HashMap<String, String> = HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(ROWS_PER_INSERT) {
        held.extend(
            allocations::table
                .filter(allocations::staff_id.eq(&from_key))
                .filter(allocations::end_date.is_null())
                .filter(allocations::person_id.eq_any(chunk))
                .select(allocations::person_id)
                .load::<String>(conn)?,
        );
        crns.extend(
            people::table
                .filter(people::id.eq_any(chunk))
                .select((people::id, people::crn))
                .load::<(String, String)>(conn)?,
        );
    }
    let mut not_held: Vec<String> = keys
        .iter()
        .filter(|key| !held.contains(*key))
        .map(|key| crns.get(key).cloned().unwrap_or_else(|| "A case".into()))
        .collect();
    if !not_held.is_empty() {
        not_held.sort();
        return Err(StorageError::Conflict(format!(
            "{} {} no longer held by this practitioner, so nothing was moved: go back to their \
             caseload to see the cases they hold now",
            not_held.join(", "),
            if not_held.len() == 1 { "is" } else { "are" }
        )));
    }
    let mut unique = keys;
    unique.sort();
    unique.dedup();
    let moved = move_cases(conn, &unique, &target, move_)?;
    Ok(Transferred { to: target, moved })
}

/// Marks a practitioner's own open task done on `today`. Refuses, changing nothing, when the task
/// is someone else's or already done.
pub fn complete_task(
    conn: &mut AnyConnection,
    task_id: Uuid,
    staff_id: Uuid,
    today: NaiveDate,
) -> StorageResult<(PractitionerTask, String)> {
    let key = task_id.to_string();
    let found = load_tasks(conn, TaskScope::Task(task_id))?
        .into_iter()
        .next()
        .ok_or(StorageError::NotFound)?;
    if found.0.staff_id != staff_id {
        return Err(StorageError::Conflict(
            "This task is another practitioner's: only the practitioner it is for can mark it done"
                .into(),
        ));
    }
    if let Some(done) = found.0.completed_on {
        return Err(StorageError::Conflict(format!(
            "This task was already marked done on {}",
            done.format("%-d %B %Y")
        )));
    }
    diesel::update(practitioner_tasks::table.find(&key))
        .set((
            practitioner_tasks::completed_on.eq(Some(today)),
            practitioner_tasks::completed_by.eq(Some(staff_id.to_string())),
        ))
        .execute(conn)?;
    let (mut task, crn) = found;
    task.completed_on = Some(today);
    Ok((task, crn))
}

/// A new task for a member of staff on a person's case (for example, chasing an overdue partner
/// check after an escalation).
#[derive(Debug, Clone)]
pub struct NewTask<'a> {
    pub staff_id: Uuid,
    pub person_id: Uuid,
    pub kind: &'a str,
    pub title: &'a str,
    pub due_on: NaiveDate,
    pub created_by: Option<Uuid>,
}

/// Creates a practitioner task; it shows on the member of staff's `/tasks` until marked done.
pub fn create_task(
    conn: &mut AnyConnection,
    task: &NewTask<'_>,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(practitioner_tasks::table)
        .values((
            practitioner_tasks::id.eq(id.to_string()),
            practitioner_tasks::staff_id.eq(task.staff_id.to_string()),
            practitioner_tasks::person_id.eq(task.person_id.to_string()),
            practitioner_tasks::kind.eq(task.kind),
            practitioner_tasks::title.eq(task.title),
            practitioner_tasks::due_on.eq(task.due_on),
            practitioner_tasks::created_by.eq(task.created_by.map(|id| id.to_string())),
            practitioner_tasks::created_at.eq(now.naive_utc()),
            practitioner_tasks::completed_on.eq(None::<NaiveDate>),
        ))
        .execute(conn)?;
    Ok(id)
}

/// An allocation a manager made, as their confirmation lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MadeAllocation {
    pub id: Uuid,
    pub crn: String,
    /// The person's name, "First Last".
    pub person_name: String,
    /// Who holds the case from this allocation, "First Last".
    pub staff_name: String,
    pub start_date: NaiveDate,
    /// Ended since (reallocated again).
    pub ended: bool,
    /// The task the allocation gave the practitioner (the induction appointment to arrange, or
    /// the handover to pick up): its title and when it is due.
    pub task: Option<(String, NaiveDate)>,
}

/// Allocation tasks by (person, practitioner): each one's title, due day and the day it was set.
type TasksByHolder = HashMap<(String, String), Vec<(String, NaiveDate, NaiveDate)>>;

/// The allocations `by` made from `since`, newest first (at most `limit`), each with the task it
/// gave the practitioner, in two queries: so a manager can confirm what they just did even when
/// the case has gone to another team and they can no longer open it.
pub fn made_by(
    conn: &mut AnyConnection,
    by: Uuid,
    since: NaiveDate,
    limit: i64,
) -> StorageResult<Vec<MadeAllocation>> {
    let rows = allocations::table
        .inner_join(people::table)
        .inner_join(staff::table.on(staff::id.eq(allocations::staff_id)))
        .filter(allocations::allocated_by.eq(by.to_string()))
        .filter(allocations::start_date.ge(since))
        .order((allocations::start_date.desc(), allocations::id.desc()))
        .limit(limit)
        .select((
            allocations::id,
            allocations::person_id,
            allocations::staff_id,
            allocations::start_date,
            allocations::end_date,
            people::crn,
            people::first_name,
            people::last_name,
            staff::first_name,
            staff::last_name,
        ))
        .load::<(
            String,
            String,
            String,
            NaiveDate,
            Option<NaiveDate>,
            String,
            String,
            String,
            String,
            String,
        )>(conn)?;
    let people_keys: Vec<String> = rows.iter().map(|r| r.1.clone()).collect();
    let mut tasks: TasksByHolder = HashMap::new();
    for chunk in people_keys.chunks(ROWS_PER_INSERT) {
        for (person, staff_id, title, due_on, created_at) in practitioner_tasks::table
            .filter(practitioner_tasks::person_id.eq_any(chunk))
            .filter(practitioner_tasks::kind.eq_any([INDUCTION_TASK, HANDOVER_TASK]))
            .select((
                practitioner_tasks::person_id,
                practitioner_tasks::staff_id,
                practitioner_tasks::title,
                practitioner_tasks::due_on,
                practitioner_tasks::created_at,
            ))
            .load::<(String, String, String, NaiveDate, chrono::NaiveDateTime)>(conn)?
        {
            tasks
                .entry((person, staff_id))
                .or_default()
                .push((title, due_on, created_at.date()));
        }
    }
    rows.into_iter()
        .map(
            |(id, person, staff_id, start, end, crn, first, last, staff_first, staff_last)| {
                // The task given on the allocation's own day: a practitioner given the case
                // twice has one task per allocation.
                let task = tasks.get(&(person, staff_id)).and_then(|found| {
                    found
                        .iter()
                        .filter(|(_, _, created)| *created >= start)
                        .min_by_key(|(_, _, created)| *created)
                        .map(|(title, due, _)| (title.clone(), *due))
                });
                Ok(MadeAllocation {
                    id: rows::id(&id)?,
                    crn,
                    person_name: format!("{first} {last}"),
                    staff_name: format!("{staff_first} {staff_last}"),
                    start_date: start,
                    ended: end.is_some(),
                    task,
                })
            },
        )
        .collect()
}
