//! Licences: one per custodial event, with its versions (the first and each variation), each
//! version's conditions, approval, and the release and end of the licence. Every change to a
//! version is guarded by its `lock`, so an edit made meanwhile is refused rather than overwritten.
//! Reading a case's licence is three queries, whatever the number of versions.

use super::STALE_MESSAGE;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::risk::checks::staff_names;
use crate::rows;
use crate::schema::{events, licence_conditions, licence_versions, licences, recalls};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::licences::{
    approve as decide_approval, changes_between, submit as decide_submission, AddressState,
    ApprovalRequest, ConditionDetails, ConditionKind, LicenceCondition, LicenceStatus, VersionKind,
    VictimRequest,
};
use keepsafe_domain::staff::Grade;
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// A condition as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionRecord {
    pub id: Uuid,
    pub condition: LicenceCondition,
}

/// A version of a licence with its conditions in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRecord {
    pub id: Uuid,
    pub number: i32,
    pub kind: VersionKind,
    pub status: LicenceStatus,
    pub variation_reason: String,
    /// What changed from the approved version before it, one line each.
    pub changes: Vec<String>,
    pub lock: i32,
    pub created_by_id: Uuid,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub approved_by: Option<String>,
    pub approved_at: Option<NaiveDateTime>,
    pub conditions: Vec<ConditionRecord>,
}

impl VersionRecord {
    /// Whether approving it needs the address approved first.
    pub fn needs_suitable_address(&self) -> bool {
        self.conditions
            .iter()
            .any(|c| c.condition.details.kind().needs_suitable_address())
    }

    fn plain_conditions(&self) -> Vec<LicenceCondition> {
        self.conditions
            .iter()
            .map(|c| c.condition.clone())
            .collect()
    }
}

/// A recall on the licence's event (supervision enforcement), as the licence page links it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedRecall {
    pub id: Uuid,
    pub status: String,
    pub opened_on: NaiveDate,
    pub recall_date: Option<NaiveDate>,
}

/// A licence with every version, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceRecord {
    pub id: Uuid,
    pub person_id: Uuid,
    pub event_id: Uuid,
    pub released_on: Option<NaiveDate>,
    pub licence_end_date: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub versions: Vec<VersionRecord>,
}

impl LicenceRecord {
    /// The version in force: the approved one not yet replaced.
    pub fn in_force(&self) -> Option<&VersionRecord> {
        self.versions
            .iter()
            .find(|v| v.status == LicenceStatus::Approved)
    }

    /// The version being written or awaiting approval, if any.
    pub fn open(&self) -> Option<&VersionRecord> {
        self.versions.iter().find(|v| {
            matches!(
                v.status,
                LicenceStatus::Draft | LicenceStatus::AwaitingApproval
            )
        })
    }
}

type LicenceRow = (
    String,
    String,
    String,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<NaiveDate>,
);
type VersionRow = (
    (String, i32, String, String, String, String, i32),
    (
        String,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<String>,
        Option<NaiveDateTime>,
    ),
);
type ConditionRow = (
    (String, String, Option<String>, String, String),
    (
        Option<String>,
        Option<String>,
        String,
        bool,
        Option<String>,
        Option<String>,
    ),
);

fn parse_time(text: Option<&str>) -> StorageResult<NaiveTime> {
    text.and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok())
        .ok_or_else(|| StorageError::Corrupt(format!("curfew time {text:?}")))
}

fn condition(row: ConditionRow) -> StorageResult<(String, ConditionRecord)> {
    let ((id, version, catalogue_code, kind, wording), (from, to, details, victim, vlo_name, vlo)) =
        row;
    let details = match rows::code::<ConditionKind>(&kind)? {
        ConditionKind::Curfew => ConditionDetails::Curfew {
            from: parse_time(from.as_deref())?,
            to: parse_time(to.as_deref())?,
        },
        ConditionKind::ExclusionZone => ConditionDetails::ExclusionZone { area: details },
        ConditionKind::NoContact => ConditionDetails::NoContact { who: details },
        ConditionKind::Residence => ConditionDetails::Residence { address: details },
        ConditionKind::Other => ConditionDetails::Other { details },
        ConditionKind::Bespoke => ConditionDetails::Bespoke { reason: details },
    };
    Ok((
        version,
        ConditionRecord {
            id: rows::id(&id)?,
            condition: LicenceCondition {
                catalogue_code,
                wording,
                details,
                victim_request: victim
                    .then(|| -> StorageResult<VictimRequest> {
                        Ok(VictimRequest {
                            vlo_name: vlo_name.unwrap_or_default(),
                            vlo_staff_id: rows::opt_id(vlo.as_deref())?,
                        })
                    })
                    .transpose()?,
            },
        },
    ))
}

fn load_versions(conn: &mut AnyConnection, licence_id: &str) -> StorageResult<Vec<VersionRecord>> {
    let rows: Vec<VersionRow> = licence_versions::table
        .filter(licence_versions::licence_id.eq(licence_id))
        .order(licence_versions::number.desc())
        .select((
            (
                licence_versions::id,
                licence_versions::number,
                licence_versions::kind,
                licence_versions::status,
                licence_versions::variation_reason,
                licence_versions::changes,
                licence_versions::lock,
            ),
            (
                licence_versions::created_by,
                licence_versions::created_at,
                licence_versions::submitted_at,
                licence_versions::approved_by,
                licence_versions::approved_at,
            ),
        ))
        .load(conn)?;
    let ids: Vec<String> = rows.iter().map(|r| r.0 .0.clone()).collect();
    let conditions = licence_conditions::table
        .filter(licence_conditions::version_id.eq_any(&ids))
        .order((
            licence_conditions::version_id.asc(),
            licence_conditions::position.asc(),
        ))
        .select((
            (
                licence_conditions::id,
                licence_conditions::version_id,
                licence_conditions::catalogue_code,
                licence_conditions::kind,
                licence_conditions::wording,
            ),
            (
                licence_conditions::curfew_from,
                licence_conditions::curfew_to,
                licence_conditions::details,
                licence_conditions::victim_requested,
                licence_conditions::requested_by_vlo_name,
                licence_conditions::requested_by_vlo,
            ),
        ))
        .load::<ConditionRow>(conn)?
        .into_iter()
        .map(condition)
        .collect::<StorageResult<Vec<_>>>()?;
    let staff: Vec<String> = rows
        .iter()
        .flat_map(|r| [Some(r.1 .0.clone()), r.1 .3.clone()])
        .flatten()
        .collect();
    let names = staff_names(conn, &staff)?;
    let name = |id: &str| names.get(id).cloned().unwrap_or_default();
    rows.into_iter()
        .map(
            |(
                (id, number, kind, status, reason, changes, lock),
                (by, at, submitted, approver, approved),
            )| {
                Ok(VersionRecord {
                    conditions: conditions
                        .iter()
                        .filter(|(v, _)| *v == id)
                        .map(|(_, c)| c.clone())
                        .collect(),
                    id: rows::id(&id)?,
                    number,
                    kind: rows::code(&kind)?,
                    status: rows::code(&status)?,
                    variation_reason: reason,
                    changes: changes
                        .lines()
                        .map(str::to_owned)
                        .filter(|l| !l.is_empty())
                        .collect(),
                    lock,
                    created_by_id: rows::id(&by)?,
                    created_by: name(&by),
                    created_at: at,
                    submitted_at: submitted,
                    approved_by: approver.as_deref().map(name),
                    approved_at: approved,
                })
            },
        )
        .collect()
}

/// The licence of an event, with every version, if one has been started.
pub fn for_event(conn: &mut AnyConnection, event_id: Uuid) -> StorageResult<Option<LicenceRecord>> {
    let Some(row) = licences::table
        .filter(licences::event_id.eq(event_id.to_string()))
        .select((
            licences::id,
            licences::person_id,
            licences::event_id,
            licences::released_on,
            licences::licence_end_date,
            licences::ended_on,
        ))
        .first::<LicenceRow>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let versions = load_versions(conn, &row.0)?;
    Ok(Some(LicenceRecord {
        id: rows::id(&row.0)?,
        person_id: rows::id(&row.1)?,
        event_id: rows::id(&row.2)?,
        released_on: row.3,
        licence_end_date: row.4,
        ended_on: row.5,
        versions,
    }))
}

/// The licence, by its id, of the person; another person's is not found.
pub fn load(
    conn: &mut AnyConnection,
    person_id: Uuid,
    licence_id: Uuid,
) -> StorageResult<LicenceRecord> {
    let event: String = licences::table
        .find(licence_id.to_string())
        .filter(licences::person_id.eq(person_id.to_string()))
        .select(licences::event_id)
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    for_event(conn, rows::id(&event)?)?.ok_or(StorageError::NotFound)
}

/// Recalls on the licence's event (or on no event, for the person), newest first.
pub fn recalls(
    conn: &mut AnyConnection,
    licence: &LicenceRecord,
) -> StorageResult<Vec<LinkedRecall>> {
    recalls::table
        .filter(recalls::person_id.eq(licence.person_id.to_string()))
        .filter(
            recalls::event_id
                .eq(licence.event_id.to_string())
                .or(recalls::event_id.is_null()),
        )
        .order(recalls::opened_on.desc())
        .select((
            recalls::id,
            recalls::status,
            recalls::opened_on,
            recalls::recall_date,
        ))
        .load::<(String, String, NaiveDate, Option<NaiveDate>)>(conn)?
        .into_iter()
        .map(|(id, status, opened_on, recall_date)| {
            Ok(LinkedRecall {
                id: rows::id(&id)?,
                status,
                opened_on,
                recall_date,
            })
        })
        .collect()
}

/// A version to insert: which licence, its number, kind and (for a variation) reason.
struct NewVersion<'a> {
    licence_id: Uuid,
    person_id: Uuid,
    number: i32,
    kind: VersionKind,
    reason: &'a str,
}

fn insert_version(
    conn: &mut AnyConnection,
    new: &NewVersion<'_>,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(licence_versions::table)
        .values((
            licence_versions::id.eq(id.to_string()),
            licence_versions::licence_id.eq(new.licence_id.to_string()),
            licence_versions::person_id.eq(new.person_id.to_string()),
            licence_versions::number.eq(new.number),
            licence_versions::kind.eq(new.kind.code()),
            licence_versions::status.eq(LicenceStatus::Draft.code()),
            licence_versions::variation_reason.eq(new.reason),
            licence_versions::lock.eq(1),
            licence_versions::created_by.eq(by.to_string()),
            licence_versions::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Starts the licence of a custodial event: the licence and its first version, a draft.
/// Refused if the event already has one.
pub fn start(
    conn: &mut AnyConnection,
    person_id: Uuid,
    event_id: Uuid,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    if for_event(conn, event_id)?.is_some() {
        return Err(StorageError::Conflict(
            "This sentence already has a licence: continue that one.".into(),
        ));
    }
    let id = Uuid::new_v4();
    diesel::insert_into(licences::table)
        .values((
            licences::id.eq(id.to_string()),
            licences::person_id.eq(person_id.to_string()),
            licences::event_id.eq(event_id.to_string()),
            licences::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    let first = NewVersion {
        licence_id: id,
        person_id,
        number: 1,
        kind: VersionKind::Initial,
        reason: "",
    };
    insert_version(conn, &first, by, now)?;
    Ok(id)
}

/// Starts a variation of the approved licence: a draft copying its conditions, with the reason.
pub fn start_variation(
    conn: &mut AnyConnection,
    licence: &LicenceRecord,
    reason: &str,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    if licence.open().is_some() {
        return Err(StorageError::Conflict("A version of this licence is already being written or awaiting approval: finish that first.".into()));
    }
    if licence.ended_on.is_some() {
        return Err(StorageError::Conflict(
            "This licence has ended, so it cannot be varied.".into(),
        ));
    }
    let in_force = licence
        .in_force()
        .ok_or_else(|| StorageError::Conflict("Only an approved licence can be varied.".into()))?;
    let number = licence.versions.iter().map(|v| v.number).max().unwrap_or(0) + 1;
    let variation = NewVersion {
        licence_id: licence.id,
        person_id: licence.person_id,
        number,
        kind: VersionKind::Variation,
        reason,
    };
    let id = insert_version(conn, &variation, by, now)?;
    for (position, c) in in_force.conditions.iter().enumerate() {
        insert_condition(
            conn,
            id,
            licence.person_id,
            position as i32 + 1,
            &c.condition,
        )?;
    }
    Ok(id)
}

fn insert_condition(
    conn: &mut AnyConnection,
    version_id: Uuid,
    person_id: Uuid,
    position: i32,
    condition: &LicenceCondition,
) -> StorageResult<()> {
    let (from, to, details) = match &condition.details {
        ConditionDetails::Curfew { from, to } => (
            Some(from.format("%H:%M").to_string()),
            Some(to.format("%H:%M").to_string()),
            String::new(),
        ),
        ConditionDetails::ExclusionZone { area: text }
        | ConditionDetails::NoContact { who: text }
        | ConditionDetails::Residence { address: text }
        | ConditionDetails::Other { details: text }
        | ConditionDetails::Bespoke { reason: text } => (None, None, text.clone()),
    };
    let victim = condition.victim_request.as_ref();
    diesel::insert_into(licence_conditions::table)
        .values((
            licence_conditions::id.eq(Uuid::new_v4().to_string()),
            licence_conditions::version_id.eq(version_id.to_string()),
            licence_conditions::person_id.eq(person_id.to_string()),
            licence_conditions::position.eq(position),
            licence_conditions::catalogue_code.eq(condition.catalogue_code.clone()),
            licence_conditions::kind.eq(condition.details.kind().code()),
            licence_conditions::wording.eq(&condition.wording),
            licence_conditions::curfew_from.eq(from),
            licence_conditions::curfew_to.eq(to),
            licence_conditions::details.eq(details),
            licence_conditions::victim_requested.eq(victim.is_some()),
            licence_conditions::requested_by_vlo_name.eq(victim.map(|v| v.vlo_name.clone())),
            licence_conditions::requested_by_vlo
                .eq(victim.and_then(|v| v.vlo_staff_id).map(|id| id.to_string())),
        ))
        .execute(conn)?;
    Ok(())
}

/// Moves the version's lock on from `lock` if it is in `status`; stale otherwise.
fn touch(
    conn: &mut AnyConnection,
    version_id: Uuid,
    lock: i32,
    status: LicenceStatus,
) -> StorageResult<()> {
    let updated = diesel::update(
        licence_versions::table
            .find(version_id.to_string())
            .filter(licence_versions::lock.eq(lock))
            .filter(licence_versions::status.eq(status.code())),
    )
    .set(licence_versions::lock.eq(lock + 1))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(STALE_MESSAGE.into()));
    }
    Ok(())
}

fn version_of(licence: &LicenceRecord, version_id: Uuid) -> StorageResult<&VersionRecord> {
    licence
        .versions
        .iter()
        .find(|v| v.id == version_id)
        .ok_or(StorageError::NotFound)
}

/// Adds a checked condition to a draft version.
pub fn add_condition(
    conn: &mut AnyConnection,
    licence: &LicenceRecord,
    version_id: Uuid,
    lock: i32,
    condition: &LicenceCondition,
) -> StorageResult<()> {
    let version = version_of(licence, version_id)?;
    touch(conn, version_id, lock, LicenceStatus::Draft)?;
    let position = version.conditions.len() as i32 + 1;
    insert_condition(conn, version_id, licence.person_id, position, condition)
}

/// Removes a condition from a draft version.
pub fn remove_condition(
    conn: &mut AnyConnection,
    licence: &LicenceRecord,
    version_id: Uuid,
    lock: i32,
    condition_id: Uuid,
) -> StorageResult<()> {
    let version = version_of(licence, version_id)?;
    if !version.conditions.iter().any(|c| c.id == condition_id) {
        return Err(StorageError::NotFound);
    }
    touch(conn, version_id, lock, LicenceStatus::Draft)?;
    diesel::delete(licence_conditions::table.find(condition_id.to_string())).execute(conn)?;
    Ok(())
}

fn set_status(
    conn: &mut AnyConnection,
    version_id: Uuid,
    status: LicenceStatus,
) -> StorageResult<()> {
    diesel::update(licence_versions::table.find(version_id.to_string()))
        .set(licence_versions::status.eq(status.code()))
        .execute(conn)?;
    Ok(())
}

/// Submits a draft for approval (the domain's [`decide_submission`] decides).
pub fn submit(
    conn: &mut AnyConnection,
    licence: &LicenceRecord,
    version_id: Uuid,
    lock: i32,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let version = version_of(licence, version_id)?;
    let status = decide_submission(version.status, version.conditions.len())
        .map_err(|refusal| StorageError::Conflict(refusal.to_string()))?;
    touch(conn, version_id, lock, LicenceStatus::Draft)?;
    diesel::update(licence_versions::table.find(version_id.to_string()))
        .set((
            licence_versions::status.eq(status.code()),
            licence_versions::submitted_at.eq(Some(now.naive_utc())),
        ))
        .execute(conn)?;
    Ok(())
}

/// Sends a version awaiting approval back to its author as a draft.
pub fn return_to_draft(
    conn: &mut AnyConnection,
    licence: &LicenceRecord,
    version_id: Uuid,
    lock: i32,
) -> StorageResult<()> {
    version_of(licence, version_id)?;
    touch(conn, version_id, lock, LicenceStatus::AwaitingApproval)?;
    set_status(conn, version_id, LicenceStatus::Draft)
}

/// Approves a version (the domain's [`decide_approval`] decides who may and whether the address
/// is suitable): the version in force before it is kept as superseded, and the new one records
/// what changed. Refusals come back as [`StorageError::Conflict`] with the domain's words.
#[allow(clippy::too_many_arguments)]
pub fn approve(
    conn: &mut AnyConnection,
    licence: &LicenceRecord,
    version_id: Uuid,
    lock: i32,
    address: AddressState,
    by: Uuid,
    grade: Grade,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let version = version_of(licence, version_id)?;
    let request = ApprovalRequest {
        status: version.status,
        kind: version.kind,
        author: version.created_by_id,
        needs_suitable_address: version.needs_suitable_address(),
        address,
    };
    decide_approval(&request, by, grade)
        .map_err(|refusal| StorageError::Conflict(refusal.to_string()))?;
    touch(conn, version_id, lock, LicenceStatus::AwaitingApproval)?;
    let changes = match licence.in_force() {
        Some(previous) => {
            changes_between(&previous.plain_conditions(), &version.plain_conditions())
        }
        None => Vec::new(),
    };
    if let Some(previous) = licence.in_force() {
        set_status(conn, previous.id, LicenceStatus::Superseded)?;
    }
    diesel::update(licence_versions::table.find(version_id.to_string()))
        .set((
            licence_versions::status.eq(LicenceStatus::Approved.code()),
            licence_versions::approved_by.eq(Some(by.to_string())),
            licence_versions::approved_at.eq(Some(now.naive_utc())),
            licence_versions::changes.eq(changes.join("\n")),
        ))
        .execute(conn)?;
    Ok(())
}

/// What recording a release did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseRecorded {
    pub licence_id: Uuid,
    pub event_id: Uuid,
    pub person_id: Uuid,
    pub released_on: NaiveDate,
    pub licence_end_date: Option<NaiveDate>,
}

/// Records the person's release on licence, in the caller's transaction: the licence is released
/// from `released_on` to `licence_end_date`, and its event becomes a licence case from that date
/// (case type licence, release date set, expected end the licence's end). Refused unless the
/// licence has an approved version, has not already been released and has not ended.
///
/// The lead merging issue #17 adds the victims area's `stage_reached(conn, …, Release, …)` call
/// after this one, in the same transaction.
pub fn record_release(
    conn: &mut AnyConnection,
    licence_id: Uuid,
    released_on: NaiveDate,
    licence_end_date: Option<NaiveDate>,
) -> StorageResult<ReleaseRecorded> {
    let (person, event, released, ended): (String, String, Option<NaiveDate>, Option<NaiveDate>) =
        licences::table
            .find(licence_id.to_string())
            .select((
                licences::person_id,
                licences::event_id,
                licences::released_on,
                licences::ended_on,
            ))
            .first(conn)
            .optional()?
            .ok_or(StorageError::NotFound)?;
    if released.is_some() || ended.is_some() {
        return Err(StorageError::Conflict(
            "The release on this licence has already been recorded.".into(),
        ));
    }
    let approved: i64 = licence_versions::table
        .filter(licence_versions::licence_id.eq(licence_id.to_string()))
        .filter(licence_versions::status.eq(LicenceStatus::Approved.code()))
        .count()
        .get_result(conn)?;
    if approved == 0 {
        return Err(StorageError::Conflict(
            "The licence must be approved before the release is recorded.".into(),
        ));
    }
    if licence_end_date.is_some_and(|end| end <= released_on) {
        return Err(StorageError::Conflict(
            "The licence must end after the day of release.".into(),
        ));
    }
    diesel::update(licences::table.find(licence_id.to_string()))
        .set((
            licences::released_on.eq(Some(released_on)),
            licences::licence_end_date.eq(licence_end_date),
        ))
        .execute(conn)?;
    diesel::update(events::table.find(&event))
        .set((
            events::case_type.eq(CaseType::Licence.code()),
            events::release_date.eq(Some(released_on)),
            events::expected_end_date.eq(licence_end_date),
        ))
        .execute(conn)?;
    Ok(ReleaseRecorded {
        licence_id,
        event_id: rows::id(&event)?,
        person_id: rows::id(&person)?,
        released_on,
        licence_end_date,
    })
}

/// Ends a licence on `ended_on`, in the caller's transaction: the licence is closed and its event
/// (the sentence) is no longer active. Refused before release or if already ended.
///
/// The lead merging issue #17 adds the victims area's `stage_reached(conn, …, LicenceEnd, …)`
/// call after this one, in the same transaction.
pub fn end_licence(
    conn: &mut AnyConnection,
    licence_id: Uuid,
    ended_on: NaiveDate,
) -> StorageResult<Uuid> {
    let (event, released, ended): (String, Option<NaiveDate>, Option<NaiveDate>) = licences::table
        .find(licence_id.to_string())
        .select((
            licences::event_id,
            licences::released_on,
            licences::ended_on,
        ))
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    let Some(released) = released else {
        return Err(StorageError::Conflict(
            "The person has not been released on this licence yet.".into(),
        ));
    };
    if ended.is_some() {
        return Err(StorageError::Conflict(
            "This licence has already ended.".into(),
        ));
    }
    if ended_on < released {
        return Err(StorageError::Conflict(
            "A licence cannot end before the day of release.".into(),
        ));
    }
    diesel::update(licences::table.find(licence_id.to_string()))
        .set(licences::ended_on.eq(Some(ended_on)))
        .execute(conn)?;
    diesel::update(events::table.find(&event))
        .set(events::active.eq(false))
        .execute(conn)?;
    rows::id(&event)
}
