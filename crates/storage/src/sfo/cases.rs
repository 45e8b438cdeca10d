//! One serious further offence case: recording the charge, the notification, the reviewer, the
//! draft findings and the completion, and reading a case back with where it sits (for the access
//! decision made before anything else is shown).

use crate::cases::record::locate;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::quality::plans::{self, NewRecommendation};
use crate::quality::units::Unit;
use crate::rows;
use crate::schema::{allocations, events, licences, pdus, people, sfo_cases, staff};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use keepsafe_domain::access::CaseLocation;
use keepsafe_domain::quality::{Action, Framework, Recommendation};
use keepsafe_domain::sfo::{Charge, Completion, QualifyingOffence, SfoDates, SupervisedPeriod};
use keepsafe_domain::staff::Grade;
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// A case as its page shows it, with where the person sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SfoRecord {
    pub id: Uuid,
    pub person_id: Uuid,
    pub crn: String,
    pub name: String,
    pub location: CaseLocation,
    /// The code of the person's PDU, for the link to its quality improvement plan.
    pub pdu_code: String,
    pub offence: QualifyingOffence,
    pub committed_on: NaiveDate,
    pub known_on: NaiveDate,
    pub reference: String,
    pub supervision_ended_on: Option<NaiveDate>,
    pub reasons: Vec<String>,
    pub rule_version: String,
    pub recorded_by: String,
    pub dates: SfoDates,
    pub reviewer: Option<(Uuid, String)>,
    pub reviewer_assigned_on: Option<NaiveDate>,
    pub went_well: String,
    pub could_be_better: String,
    pub learning: String,
    pub completed_by: Option<String>,
    pub recommendation_id: Option<Uuid>,
}

/// An event's id, conviction, sentence, expected end and whether it is active.
type EventSpell = (
    String,
    NaiveDate,
    Option<NaiveDate>,
    Option<NaiveDate>,
    bool,
);

/// The person's spells of supervision, one per event: from sentence (or conviction) to the end
/// of the licence or order; none while the event is active.
pub fn supervised_periods(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<Vec<SupervisedPeriod>> {
    let rows: Vec<EventSpell> = events::table
        .filter(events::person_id.eq(person_id.to_string()))
        .select((
            events::id,
            events::conviction_date,
            events::sentence_date,
            events::expected_end_date,
            events::active,
        ))
        .load(conn)?;
    let ended: Vec<(String, Option<NaiveDate>)> = licences::table
        .filter(licences::person_id.eq(person_id.to_string()))
        .select((licences::event_id, licences::ended_on))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, convicted, sentenced, expected_end, active)| {
            let from = sentenced.unwrap_or(convicted);
            let licence_end = ended
                .iter()
                .find(|(event, _)| *event == id)
                .and_then(|(_, on)| *on);
            let to = if active {
                None
            } else {
                Some(licence_end.or(expected_end).unwrap_or(from).max(from))
            };
            SupervisedPeriod { from, to }
        })
        .collect())
}

/// Records a qualifying charge on the person's case: the case starts awaiting notification.
pub fn record_charge(
    conn: &mut AnyConnection,
    person_id: Uuid,
    charge: &Charge,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    insert(conn, id, person_id, charge, by, now)?;
    Ok(id)
}

/// Writes a charge with a given id (the demo loads its cases through here and the steps below).
pub fn insert(
    conn: &mut AnyConnection,
    id: Uuid,
    person_id: Uuid,
    charge: &Charge,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    diesel::insert_into(sfo_cases::table)
        .values((
            sfo_cases::id.eq(id.to_string()),
            sfo_cases::person_id.eq(person_id.to_string()),
            sfo_cases::offence.eq(charge.offence.code()),
            sfo_cases::committed_on.eq(charge.committed_on),
            sfo_cases::charged_on.eq(charge.charged_on),
            sfo_cases::known_on.eq(charge.known_on),
            sfo_cases::reference.eq(&charge.reference),
            sfo_cases::supervision_ended_on.eq(charge.supervision_ended_on),
            sfo_cases::reasons.eq(charge.reasons.join("\n")),
            sfo_cases::notification_due.eq(charge.notification_due),
            sfo_cases::rule_version.eq(charge.rule_version),
            sfo_cases::recorded_by.eq(by.to_string()),
            sfo_cases::recorded_at.eq(now.naive_utc()),
            sfo_cases::went_well.eq(""),
            sfo_cases::could_be_better.eq(""),
            sfo_cases::learning.eq(""),
            sfo_cases::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

type Row = (
    (
        String,
        String,
        String,
        NaiveDate,
        NaiveDate,
        NaiveDate,
        String,
        Option<NaiveDate>,
    ),
    (String, NaiveDate, String, String, String, Option<NaiveDate>),
    (
        Option<String>,
        Option<NaiveDate>,
        Option<NaiveDate>,
        String,
        String,
        String,
    ),
    (Option<NaiveDate>, Option<String>, Option<String>),
);

/// Reads a case, or not found.
pub fn load(conn: &mut AnyConnection, id: Uuid) -> StorageResult<SfoRecord> {
    let row: Row = sfo_cases::table
        .inner_join(staff::table.on(staff::id.eq(sfo_cases::recorded_by)))
        .filter(sfo_cases::id.eq(id.to_string()))
        .select((
            (
                sfo_cases::id,
                sfo_cases::person_id,
                sfo_cases::offence,
                sfo_cases::committed_on,
                sfo_cases::charged_on,
                sfo_cases::known_on,
                sfo_cases::reference,
                sfo_cases::supervision_ended_on,
            ),
            (
                sfo_cases::reasons,
                sfo_cases::notification_due,
                sfo_cases::rule_version,
                staff::first_name,
                staff::last_name,
                sfo_cases::notified_on,
            ),
            (
                sfo_cases::reviewer_id,
                sfo_cases::reviewer_assigned_on,
                sfo_cases::review_started_on,
                sfo_cases::went_well,
                sfo_cases::could_be_better,
                sfo_cases::learning,
            ),
            (
                sfo_cases::completed_on,
                sfo_cases::completed_by,
                sfo_cases::recommendation_id,
            ),
        ))
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    let (first, second, third, fourth) = row;
    let (person, first_name, last_name, crn, pdu_code): (String, String, String, String, String) =
        people::table
            .inner_join(pdus::table)
            .filter(people::id.eq(&first.1))
            .select((
                people::id,
                people::first_name,
                people::last_name,
                people::crn,
                pdus::code,
            ))
            .first(conn)?;
    let located = locate(conn, &crn)?.ok_or(StorageError::NotFound)?;
    let names = staff_names(conn, &[third.0.clone(), fourth.1.clone()])?;
    let name_of = |id: &Option<String>| {
        id.as_ref()
            .and_then(|id| names.iter().find(|(k, _)| k == id))
            .map(|(_, name)| name.clone())
    };
    Ok(SfoRecord {
        id: rows::id(&first.0)?,
        person_id: rows::id(&person)?,
        crn,
        name: format!("{first_name} {last_name}"),
        location: located.location,
        pdu_code,
        offence: rows::code(&first.2)?,
        committed_on: first.3,
        known_on: first.5,
        reference: first.6,
        supervision_ended_on: first.7,
        reasons: second.0.lines().map(str::to_owned).collect(),
        rule_version: second.2,
        recorded_by: format!("{} {}", second.3, second.4),
        dates: SfoDates {
            charged_on: first.4,
            notification_due: second.1,
            notified_on: second.5,
            review_started_on: third.2,
            completed_on: fourth.0,
        },
        reviewer: match &third.0 {
            Some(id) => Some((rows::id(id)?, name_of(&third.0).unwrap_or_default())),
            None => None,
        },
        reviewer_assigned_on: third.1,
        went_well: third.3,
        could_be_better: third.4,
        learning: third.5,
        completed_by: name_of(&fourth.1),
        recommendation_id: rows::opt_id(fourth.2.as_deref())?,
    })
}

fn staff_names(
    conn: &mut AnyConnection,
    ids: &[Option<String>],
) -> StorageResult<Vec<(String, String)>> {
    let wanted: Vec<&String> = ids.iter().flatten().collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    Ok(staff::table
        .filter(staff::id.eq_any(wanted))
        .select((staff::id, staff::first_name, staff::last_name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, first, last)| (id, format!("{first} {last}")))
        .collect())
}

/// The serious further offence cases on a person's record, newest charge first: (id, charged on).
pub fn for_person(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<Vec<(Uuid, NaiveDate)>> {
    sfo_cases::table
        .filter(sfo_cases::person_id.eq(person_id.to_string()))
        .order(sfo_cases::charged_on.desc())
        .select((sfo_cases::id, sfo_cases::charged_on))
        .load::<(String, NaiveDate)>(conn)?
        .into_iter()
        .map(|(id, on)| Ok((rows::id(&id)?, on)))
        .collect()
}

fn touch(conn: &mut AnyConnection, id: Uuid, now: DateTime<Utc>) -> StorageResult<()> {
    let changed = diesel::update(sfo_cases::table.filter(sfo_cases::id.eq(id.to_string())))
        .set(sfo_cases::updated_at.eq(now.naive_utc()))
        .execute(conn)?;
    if changed == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// Records the day HMPPS was notified (checked by the domain first).
pub fn record_notification(
    conn: &mut AnyConnection,
    id: Uuid,
    notified_on: NaiveDate,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    touch(conn, id, now)?;
    let changed = diesel::update(
        sfo_cases::table
            .filter(sfo_cases::id.eq(id.to_string()))
            .filter(sfo_cases::notified_on.is_null()),
    )
    .set((
        sfo_cases::notified_on.eq(Some(notified_on)),
        sfo_cases::notified_by.eq(Some(by.to_string())),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(StorageError::Conflict(
            "The notification is already recorded".into(),
        ));
    }
    Ok(())
}

/// Whether `staff_id` was ever allocated the person's case (and so cannot review it).
pub fn managed_the_case(
    conn: &mut AnyConnection,
    person_id: Uuid,
    staff_id: Uuid,
) -> StorageResult<bool> {
    let count: i64 = allocations::table
        .filter(allocations::person_id.eq(person_id.to_string()))
        .filter(allocations::staff_id.eq(staff_id.to_string()))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// A member of staff who may be offered as a reviewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: Uuid,
    pub name: String,
    pub grade: Grade,
}

/// The active senior officers, heads of PDU and quality staff of the region who were never
/// allocated the person's case, by name.
pub fn reviewer_candidates(
    conn: &mut AnyConnection,
    region: Uuid,
    person_id: Uuid,
) -> StorageResult<Vec<Candidate>> {
    let managed: Vec<String> = allocations::table
        .filter(allocations::person_id.eq(person_id.to_string()))
        .select(allocations::staff_id)
        .load(conn)?;
    staff::table
        .filter(staff::region_id.eq(region.to_string()))
        .filter(staff::active.eq(true))
        .filter(staff::grade.eq_any([
            Grade::SeniorProbationOfficer.code(),
            Grade::HeadOfPdu.code(),
            Grade::QualityInspection.code(),
        ]))
        .filter(staff::id.ne_all(managed))
        .order((staff::last_name.asc(), staff::first_name.asc()))
        .select((staff::id, staff::first_name, staff::last_name, staff::grade))
        .load::<(String, String, String, String)>(conn)?
        .into_iter()
        .map(|(id, first, last, grade)| {
            Ok(Candidate {
                id: rows::id(&id)?,
                name: format!("{first} {last}"),
                grade: rows::code(&grade)?,
            })
        })
        .collect()
}

/// The grade of an active member of staff in the region, if there is one.
pub fn staff_grade(
    conn: &mut AnyConnection,
    region: Uuid,
    staff_id: Uuid,
) -> StorageResult<Option<Grade>> {
    let grade: Option<String> = staff::table
        .filter(staff::id.eq(staff_id.to_string()))
        .filter(staff::region_id.eq(region.to_string()))
        .filter(staff::active.eq(true))
        .select(staff::grade)
        .first(conn)
        .optional()?;
    grade.as_deref().map(rows::code).transpose()
}

/// Assigns (or changes) the reviewer, checked by the domain first.
pub fn assign_reviewer(
    conn: &mut AnyConnection,
    id: Uuid,
    reviewer: Uuid,
    on: NaiveDate,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    touch(conn, id, now)?;
    diesel::update(sfo_cases::table.filter(sfo_cases::id.eq(id.to_string())))
        .set((
            sfo_cases::reviewer_id.eq(Some(reviewer.to_string())),
            sfo_cases::reviewer_assigned_on.eq(Some(on)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Saves draft findings: the review is started on the first save.
pub fn save_draft(
    conn: &mut AnyConnection,
    id: Uuid,
    findings: &(LongText, LongText, LongText),
    today: NaiveDate,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    touch(conn, id, now)?;
    diesel::update(sfo_cases::table.filter(sfo_cases::id.eq(id.to_string())))
        .set((
            sfo_cases::went_well.eq(findings.0.as_str()),
            sfo_cases::could_be_better.eq(findings.1.as_str()),
            sfo_cases::learning.eq(findings.2.as_str()),
        ))
        .execute(conn)?;
    diesel::update(
        sfo_cases::table
            .filter(sfo_cases::id.eq(id.to_string()))
            .filter(sfo_cases::review_started_on.is_null()),
    )
    .set(sfo_cases::review_started_on.eq(Some(today)))
    .execute(conn)?;
    Ok(())
}

/// Completes the review with its findings and adds its actions to the quality improvement plan
/// of the case's PDU, in the caller's transaction: one recommendation ("act on the learning from
/// a serious further offence review") with an action for each line. Returns the recommendation.
pub fn complete(
    conn: &mut AnyConnection,
    id: Uuid,
    pdu: Uuid,
    completion: &Completion,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    touch(conn, id, now)?;
    let recommendation = Recommendation {
        // The findings stay with the review (only those who may read it see them); the plan,
        // which the PDU's managers all read, gets the actions.
        text: format!(
            "Act on the learning from a serious further offence review completed on {}",
            keepsafe_domain::calendar::long_date(completion.completed_on)
        ),
        standard: None,
    };
    let framework = Framework::all()
        .into_iter()
        .next()
        .map(|f| f.code)
        .unwrap_or_default();
    let recommendation_id = plans::add_recommendation(
        conn,
        &NewRecommendation {
            unit: Unit::Pdu(pdu),
            framework: &framework,
            recommendation: &recommendation,
            made_by: "Serious further offence review",
            made_on: completion.completed_on,
            recorded_by: by,
        },
        now,
    )?;
    for line in &completion.actions {
        let action = Action::new(line, &completion.action_owner, completion.actions_due)
            .map_err(|refused| StorageError::Conflict(refused.to_string()))?;
        plans::add_action(conn, recommendation_id, &action, by, now)?;
    }
    diesel::update(
        sfo_cases::table
            .filter(sfo_cases::id.eq(id.to_string()))
            .filter(sfo_cases::review_started_on.is_null()),
    )
    .set(sfo_cases::review_started_on.eq(Some(completion.completed_on)))
    .execute(conn)?;
    let changed = diesel::update(
        sfo_cases::table
            .filter(sfo_cases::id.eq(id.to_string()))
            .filter(sfo_cases::completed_on.is_null()),
    )
    .set((
        sfo_cases::went_well.eq(completion.went_well.as_str()),
        sfo_cases::could_be_better.eq(completion.could_be_better.as_str()),
        sfo_cases::learning.eq(completion.learning.as_str()),
        sfo_cases::completed_on.eq(Some(completion.completed_on)),
        sfo_cases::completed_by.eq(Some(by.to_string())),
        sfo_cases::recommendation_id.eq(Some(recommendation_id.to_string())),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(StorageError::Conflict(
            "The review is already completed".into(),
        ));
    }
    Ok(recommendation_id)
}
