//! Victims' records, for victim liaison only: who each victim is and how to reach them, whether
//! they opted in, contacts at the scheme's stages, their views and the conditions they ask for.
//! The web reaches these functions only after `Action::WorkWithVictims` allowed the reader, and
//! audit-logs every read and change without the victim's name or address in the row.

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{staff, victim_conditions, victim_contacts, victim_views, victims};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::victims::{
    ConditionKind, ConditionStatus, NewCondition, NewContact, NewVictim, VictimRole, VictimStage,
};
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// A victim with everything victim liaison keeps about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VictimRecord {
    pub id: Uuid,
    pub name: String,
    pub address: String,
    pub postcode: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub role: VictimRole,
    pub opted_in: Option<bool>,
    pub decided_on: Option<NaiveDate>,
    /// The name of the victim liaison officer who keeps the record.
    pub liaison_officer: String,
    pub contacts: Vec<VictimContact>,
    pub views: Vec<VictimView>,
    pub conditions: Vec<VictimCondition>,
}

/// A contact at a stage: due (no `contacted_on`) or made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VictimContact {
    pub id: Uuid,
    pub stage: VictimStage,
    pub stage_on: NaiveDate,
    pub due_on: NaiveDate,
    pub contacted_on: Option<NaiveDate>,
    pub notes: String,
}

/// A victim's views, dated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VictimView {
    pub id: Uuid,
    pub given_on: NaiveDate,
    pub words: String,
    pub recorded_by: String,
}

/// A licence condition the victim asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VictimCondition {
    pub id: Uuid,
    pub kind: ConditionKind,
    pub details: String,
    pub reason: String,
    pub status: ConditionStatus,
    pub status_reason: String,
    pub recorded_by: String,
}

type VictimRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<bool>,
    Option<NaiveDate>,
    String,
    String,
);

/// Every victim recorded on the case, oldest first, with their contacts, views and conditions:
/// four queries.
pub fn for_case(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<VictimRecord>> {
    load(conn, person_id, None)
}

/// One victim of the case, or `None` when the id is not a victim of this case.
pub fn find(
    conn: &mut AnyConnection,
    person_id: Uuid,
    victim_id: Uuid,
) -> StorageResult<Option<VictimRecord>> {
    Ok(load(conn, person_id, Some(victim_id))?.into_iter().next())
}

fn load(
    conn: &mut AnyConnection,
    person_id: Uuid,
    only: Option<Uuid>,
) -> StorageResult<Vec<VictimRecord>> {
    let mut query = victims::table
        .inner_join(staff::table)
        .filter(victims::person_id.eq(person_id.to_string()))
        .into_boxed();
    if let Some(id) = only {
        query = query.filter(victims::id.eq(id.to_string()));
    }
    let found: Vec<VictimRow> = query
        .order((victims::created_at.asc(), victims::id.asc()))
        .select((
            victims::id,
            victims::name,
            victims::address,
            victims::postcode,
            victims::phone,
            victims::email,
            victims::role,
            victims::opted_in,
            victims::decided_on,
            staff::first_name,
            staff::last_name,
        ))
        .load(conn)?;
    let ids: Vec<String> = found.iter().map(|r| r.0.clone()).collect();
    let mut contacts = contacts_of(conn, &ids)?;
    let mut views = views_of(conn, &ids)?;
    let mut conditions = conditions_of(conn, &ids)?;
    found
        .into_iter()
        .map(|row| {
            Ok(VictimRecord {
                id: rows::id(&row.0)?,
                contacts: contacts.remove(&row.0).unwrap_or_default(),
                views: views.remove(&row.0).unwrap_or_default(),
                conditions: conditions.remove(&row.0).unwrap_or_default(),
                name: row.1,
                address: row.2,
                postcode: row.3,
                phone: row.4,
                email: row.5,
                role: rows::code(&row.6)?,
                opted_in: row.7,
                decided_on: row.8,
                liaison_officer: format!("{} {}", row.9, row.10),
            })
        })
        .collect()
}

type ContactRead = (
    String,
    String,
    String,
    NaiveDate,
    NaiveDate,
    Option<NaiveDate>,
    String,
);

fn contacts_of(
    conn: &mut AnyConnection,
    ids: &[String],
) -> StorageResult<HashMap<String, Vec<VictimContact>>> {
    let found: Vec<ContactRead> = victim_contacts::table
        .filter(victim_contacts::victim_id.eq_any(ids))
        .order((
            victim_contacts::stage_on.asc(),
            victim_contacts::created_at.asc(),
        ))
        .select((
            victim_contacts::victim_id,
            victim_contacts::id,
            victim_contacts::stage,
            victim_contacts::stage_on,
            victim_contacts::due_on,
            victim_contacts::contacted_on,
            victim_contacts::notes,
        ))
        .load(conn)?;
    let mut by_victim: HashMap<String, Vec<VictimContact>> = HashMap::new();
    for (victim, id, stage, stage_on, due_on, contacted_on, notes) in found {
        by_victim.entry(victim).or_default().push(VictimContact {
            id: rows::id(&id)?,
            stage: rows::code(&stage)?,
            stage_on,
            due_on,
            contacted_on,
            notes,
        });
    }
    Ok(by_victim)
}

fn views_of(
    conn: &mut AnyConnection,
    ids: &[String],
) -> StorageResult<HashMap<String, Vec<VictimView>>> {
    let found: Vec<(String, String, NaiveDate, String, String, String)> = victim_views::table
        .inner_join(staff::table.on(victim_views::recorded_by.eq(staff::id)))
        .filter(victim_views::victim_id.eq_any(ids))
        .order((
            victim_views::given_on.desc(),
            victim_views::recorded_at.desc(),
        ))
        .select((
            victim_views::victim_id,
            victim_views::id,
            victim_views::given_on,
            victim_views::words,
            staff::first_name,
            staff::last_name,
        ))
        .load(conn)?;
    let mut by_victim: HashMap<String, Vec<VictimView>> = HashMap::new();
    for (victim, id, given_on, words, first, last) in found {
        by_victim.entry(victim).or_default().push(VictimView {
            id: rows::id(&id)?,
            given_on,
            words,
            recorded_by: format!("{first} {last}"),
        });
    }
    Ok(by_victim)
}

type ConditionRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

fn conditions_of(
    conn: &mut AnyConnection,
    ids: &[String],
) -> StorageResult<HashMap<String, Vec<VictimCondition>>> {
    let found: Vec<ConditionRow> = victim_conditions::table
        .inner_join(staff::table.on(victim_conditions::recorded_by.eq(staff::id)))
        .filter(victim_conditions::victim_id.eq_any(ids))
        .order((
            victim_conditions::recorded_at.asc(),
            victim_conditions::id.asc(),
        ))
        .select((
            victim_conditions::victim_id,
            victim_conditions::id,
            victim_conditions::kind,
            victim_conditions::details,
            victim_conditions::reason,
            victim_conditions::status,
            victim_conditions::status_reason,
            staff::first_name,
            staff::last_name,
        ))
        .load(conn)?;
    let mut by_victim: HashMap<String, Vec<VictimCondition>> = HashMap::new();
    for (victim, id, kind, details, reason, status, status_reason, first, last) in found {
        by_victim.entry(victim).or_default().push(VictimCondition {
            id: rows::id(&id)?,
            kind: rows::code(&kind)?,
            details,
            reason,
            status: rows::code(&status)?,
            status_reason,
            recorded_by: format!("{first} {last}"),
        });
    }
    Ok(by_victim)
}

/// Adds a victim to the case, kept by `by` (the victim liaison officer recording them).
pub fn add(
    conn: &mut AnyConnection,
    person_id: Uuid,
    victim: &NewVictim,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    let at = now.naive_utc();
    diesel::insert_into(victims::table)
        .values((
            victims::id.eq(id.to_string()),
            victims::person_id.eq(person_id.to_string()),
            victims::name.eq(&victim.name),
            victims::address.eq(&victim.address),
            victims::postcode.eq(victim.postcode.as_ref().map(|p| p.as_str())),
            victims::phone.eq(victim.phone.as_ref().map(|p| p.as_str())),
            victims::email.eq(victim.email.as_ref().map(|e| e.as_str())),
            victims::role.eq(victim.role.code()),
            victims::opted_in.eq(victim.opted_in),
            victims::decided_on.eq(victim.decided_on),
            victims::liaison_officer.eq(by.to_string()),
            victims::created_at.eq(at),
            victims::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Changes a victim's details. Not found when the victim is not the case's.
pub fn update(
    conn: &mut AnyConnection,
    person_id: Uuid,
    victim_id: Uuid,
    victim: &NewVictim,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let changed = diesel::update(
        victims::table
            .filter(victims::id.eq(victim_id.to_string()))
            .filter(victims::person_id.eq(person_id.to_string())),
    )
    .set((
        victims::name.eq(&victim.name),
        victims::address.eq(&victim.address),
        victims::postcode.eq(victim.postcode.as_ref().map(|p| p.as_str())),
        victims::phone.eq(victim.phone.as_ref().map(|p| p.as_str())),
        victims::email.eq(victim.email.as_ref().map(|e| e.as_str())),
        victims::role.eq(victim.role.code()),
        victims::opted_in.eq(victim.opted_in),
        victims::decided_on.eq(victim.decided_on),
        victims::updated_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    found(changed)
}

fn found(changed: usize) -> StorageResult<()> {
    if changed == 0 {
        Err(StorageError::NotFound)
    } else {
        Ok(())
    }
}

/// Records a contact made. It answers the earliest contact due at the same stage, if any;
/// otherwise it is added as a contact of its own.
pub fn record_contact(
    conn: &mut AnyConnection,
    person_id: Uuid,
    victim_id: Uuid,
    contact: &NewContact,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let due: Option<String> = victim_contacts::table
        .filter(victim_contacts::victim_id.eq(victim_id.to_string()))
        .filter(victim_contacts::person_id.eq(person_id.to_string()))
        .filter(victim_contacts::stage.eq(contact.stage.code()))
        .filter(victim_contacts::contacted_on.is_null())
        .order(victim_contacts::due_on.asc())
        .select(victim_contacts::id)
        .first(conn)
        .optional()?;
    if let Some(id) = due {
        diesel::update(victim_contacts::table.find(&id))
            .set((
                victim_contacts::contacted_on.eq(Some(contact.contacted_on)),
                victim_contacts::notes.eq(contact.notes.as_str()),
            ))
            .execute(conn)?;
        return rows::id(&id);
    }
    let id = Uuid::new_v4();
    insert_contact(
        conn,
        ContactRow {
            id,
            victim_id,
            person_id,
            stage: contact.stage,
            stage_on: contact.contacted_on,
            due_on: contact.contacted_on,
            triggered: false,
            contacted_on: Some(contact.contacted_on),
            notes: contact.notes.as_str(),
            by,
            at: now.naive_utc(),
        },
    )?;
    Ok(id)
}

/// A contact row as written.
pub(crate) struct ContactRow<'a> {
    pub id: Uuid,
    pub victim_id: Uuid,
    pub person_id: Uuid,
    pub stage: VictimStage,
    pub stage_on: NaiveDate,
    pub due_on: NaiveDate,
    pub triggered: bool,
    pub contacted_on: Option<NaiveDate>,
    pub notes: &'a str,
    pub by: Uuid,
    pub at: NaiveDateTime,
}

pub(crate) fn insert_contact(conn: &mut AnyConnection, row: ContactRow<'_>) -> StorageResult<()> {
    diesel::insert_into(victim_contacts::table)
        .values((
            victim_contacts::id.eq(row.id.to_string()),
            victim_contacts::victim_id.eq(row.victim_id.to_string()),
            victim_contacts::person_id.eq(row.person_id.to_string()),
            victim_contacts::stage.eq(row.stage.code()),
            victim_contacts::stage_on.eq(row.stage_on),
            victim_contacts::due_on.eq(row.due_on),
            victim_contacts::triggered.eq(row.triggered),
            victim_contacts::contacted_on.eq(row.contacted_on),
            victim_contacts::notes.eq(row.notes),
            victim_contacts::created_by.eq(row.by.to_string()),
            victim_contacts::created_at.eq(row.at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records the victim's views, given on `given_on`.
pub fn add_view(
    conn: &mut AnyConnection,
    victim_id: Uuid,
    given_on: NaiveDate,
    words: &str,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(victim_views::table)
        .values((
            victim_views::id.eq(id.to_string()),
            victim_views::victim_id.eq(victim_id.to_string()),
            victim_views::given_on.eq(given_on),
            victim_views::words.eq(words),
            victim_views::recorded_by.eq(by.to_string()),
            victim_views::recorded_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Records a licence condition the victim asks for.
pub fn add_condition(
    conn: &mut AnyConnection,
    person_id: Uuid,
    victim_id: Uuid,
    condition: &NewCondition,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(victim_conditions::table)
        .values((
            victim_conditions::id.eq(id.to_string()),
            victim_conditions::victim_id.eq(victim_id.to_string()),
            victim_conditions::person_id.eq(person_id.to_string()),
            victim_conditions::kind.eq(condition.kind.code()),
            victim_conditions::details.eq(&condition.details),
            victim_conditions::reason.eq(condition.reason.as_str()),
            victim_conditions::status.eq(condition.status.code()),
            victim_conditions::status_reason.eq(&condition.status_reason),
            victim_conditions::recorded_by.eq(by.to_string()),
            victim_conditions::recorded_at.eq(now.naive_utc()),
            victim_conditions::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Changes a requested condition (its status, most often). Not found when the condition is not
/// the victim's on this case.
pub fn update_condition(
    conn: &mut AnyConnection,
    person_id: Uuid,
    victim_id: Uuid,
    condition_id: Uuid,
    condition: &NewCondition,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let changed = diesel::update(
        victim_conditions::table
            .filter(victim_conditions::id.eq(condition_id.to_string()))
            .filter(victim_conditions::victim_id.eq(victim_id.to_string()))
            .filter(victim_conditions::person_id.eq(person_id.to_string())),
    )
    .set((
        victim_conditions::kind.eq(condition.kind.code()),
        victim_conditions::details.eq(&condition.details),
        victim_conditions::reason.eq(condition.reason.as_str()),
        victim_conditions::status.eq(condition.status.code()),
        victim_conditions::status_reason.eq(&condition.status_reason),
        victim_conditions::updated_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    found(changed)
}
