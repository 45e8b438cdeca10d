//! Registrations and flags kept current: adding one, recording a review (which sets the next
//! review date and, for MAPPA, confirms or changes the category and level), ending one with a
//! reason, and the flags due for review on a caseload.
//!
//! A change that alters the risk picture has its consequences in the same transaction
//! ([`after_change`]): tiers and predictors are recomputed (registrations feed the tiers), and a
//! domestic-abuse or children's-safeguarding registration, or a MAPPA category or level change,
//! creates a "review the risk assessment" task due when the review rules say, when there is an
//! assessment in force to review — the same path and rule as every other record edit.

use crate::cases::consequences::Review;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{allocations, people, registration_reviews, registrations, staff};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use keepsafe_domain::registration::{
    MappaCategory, MappaLevel, RegistrationDetail, RegistrationKind,
};
use keepsafe_domain::review::ReviewTrigger;
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// A registration with its reviews.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationEntry {
    pub id: Uuid,
    pub kind: RegistrationKind,
    pub mappa_category: Option<MappaCategory>,
    pub mappa_level: Option<MappaLevel>,
    pub registered_on: NaiveDate,
    pub next_review_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub notes: String,
    /// Newest first.
    pub reviews: Vec<ReviewRecord>,
}

impl RegistrationEntry {
    /// The registration as the audit log names it: "mappa (category 2, level 2), review 2027-03-24".
    pub fn describe(&self) -> String {
        let mappa = match (self.mappa_category, self.mappa_level) {
            (Some(category), Some(level)) => {
                format!(" (category {}, level {})", category.code(), level.code())
            }
            _ => String::new(),
        };
        let review = self
            .next_review_on
            .map(|d| format!(", review {d}"))
            .unwrap_or_default();
        format!("{}{mappa}{review}", self.kind.code())
    }
}

/// A review of a registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRecord {
    pub reviewed_on: NaiveDate,
    pub reviewed_by: String,
    pub notes: String,
    pub next_review_on: Option<NaiveDate>,
    pub mappa_category: Option<MappaCategory>,
    pub mappa_level: Option<MappaLevel>,
}

type RegistrationRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    NaiveDate,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<String>,
    String,
);

type ReviewRow = (
    String,
    NaiveDate,
    String,
    String,
    String,
    Option<NaiveDate>,
    Option<String>,
    Option<String>,
);

/// The person's registrations, current first, newest first, each with its reviews: two queries.
pub fn for_person(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<Vec<RegistrationEntry>> {
    let rows = registrations::table
        .filter(registrations::person_id.eq(person_id.to_string()))
        .order((
            registrations::ended_on.is_not_null(),
            registrations::registered_on.desc(),
        ))
        .select((
            registrations::id,
            registrations::kind,
            registrations::mappa_category,
            registrations::mappa_level,
            registrations::registered_on,
            registrations::next_review_on,
            registrations::ended_on,
            registrations::end_reason,
            registrations::notes,
        ))
        .load::<RegistrationRow>(conn)?;
    let ids: Vec<&String> = rows.iter().map(|row| &row.0).collect();
    let mut reviews: HashMap<String, Vec<ReviewRecord>> = HashMap::new();
    for row in registration_reviews::table
        .inner_join(staff::table.on(staff::id.eq(registration_reviews::reviewed_by)))
        .filter(registration_reviews::registration_id.eq_any(ids))
        .order((
            registration_reviews::reviewed_on.desc(),
            registration_reviews::created_at.desc(),
        ))
        .select((
            registration_reviews::registration_id,
            registration_reviews::reviewed_on,
            staff::first_name,
            staff::last_name,
            registration_reviews::notes,
            registration_reviews::next_review_on,
            registration_reviews::mappa_category,
            registration_reviews::mappa_level,
        ))
        .load::<ReviewRow>(conn)?
    {
        let (registration, reviewed_on, first, last, notes, next, category, level) = row;
        reviews.entry(registration).or_default().push(ReviewRecord {
            reviewed_on,
            reviewed_by: format!("{first} {last}"),
            notes,
            next_review_on: next,
            mappa_category: rows::opt_code(category.as_deref())?,
            mappa_level: rows::opt_code(level.as_deref())?,
        });
    }
    rows.into_iter()
        .map(|row| {
            Ok(RegistrationEntry {
                reviews: reviews.remove(&row.0).unwrap_or_default(),
                id: rows::id(&row.0)?,
                kind: rows::code(&row.1)?,
                mappa_category: rows::opt_code(row.2.as_deref())?,
                mappa_level: rows::opt_code(row.3.as_deref())?,
                registered_on: row.4,
                next_review_on: row.5,
                ended_on: row.6,
                end_reason: row.7,
                notes: row.8,
            })
        })
        .collect()
}

/// One of the person's registrations; another person's is not found.
pub fn registration(
    conn: &mut AnyConnection,
    person_id: Uuid,
    registration_id: Uuid,
) -> StorageResult<RegistrationEntry> {
    for_person(conn, person_id)?
        .into_iter()
        .find(|r| r.id == registration_id)
        .ok_or(StorageError::NotFound)
}

/// A new registration as the form gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRegistration {
    pub detail: RegistrationDetail,
    pub registered_on: NaiveDate,
    pub next_review_on: NaiveDate,
    pub notes: String,
}

/// What a change to the registrations led to, for the page and the audit row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Consequences {
    /// The "review the risk assessment" task created, with its due date.
    pub review_task: Option<(Uuid, NaiveDate)>,
}

/// Adds a registration and its consequences: the review task its kind calls for, and the tiers
/// and predictors recomputed.
pub fn add(
    conn: &mut AnyConnection,
    person_id: Uuid,
    new: &NewRegistration,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<(Uuid, Consequences)> {
    let id = Uuid::new_v4();
    let (category, level) = split(new.detail.mappa);
    diesel::insert_into(registrations::table)
        .values((
            registrations::id.eq(id.to_string()),
            registrations::person_id.eq(person_id.to_string()),
            registrations::kind.eq(new.detail.kind.code()),
            registrations::mappa_category.eq(category),
            registrations::mappa_level.eq(level),
            registrations::registered_on.eq(new.registered_on),
            registrations::next_review_on.eq(new.next_review_on),
            registrations::notes.eq(&new.notes),
            registrations::registered_by.eq(by.to_string()),
        ))
        .execute(conn)?;
    let review = new.detail.kind.review_trigger().map(|trigger| {
        (
            trigger,
            new.registered_on,
            format!("{} registered", new.detail.kind.label()),
        )
    });
    let consequences = after_change(conn, person_id, review, by, now)?;
    Ok((id, consequences))
}

fn split(
    mappa: Option<(MappaCategory, MappaLevel)>,
) -> (Option<&'static str>, Option<&'static str>) {
    (
        mappa.map(|(category, _)| category.code()),
        mappa.map(|(_, level)| level.code()),
    )
}

/// A review as the form gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReview {
    pub reviewed_on: NaiveDate,
    pub notes: String,
    pub next_review_on: NaiveDate,
    /// For MAPPA: the category and level confirmed or changed.
    pub mappa: Option<(MappaCategory, MappaLevel)>,
    pub rule_version: String,
}

/// Records a review of a current registration, setting its next review date (and, for MAPPA,
/// its category and level), and returns the registration as it was. A MAPPA category or level
/// change has its consequences (review task, recomputation) in the same transaction.
pub fn review(
    conn: &mut AnyConnection,
    person_id: Uuid,
    registration_id: Uuid,
    new: &NewReview,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<(RegistrationEntry, Consequences)> {
    let before = registration(conn, person_id, registration_id)?;
    let (category, level) = split(new.mappa);
    let mappa = (category, level);
    let kept = (
        before.mappa_category.map(|c| c.code()),
        before.mappa_level.map(|l| l.code()),
    );
    let updated = diesel::update(
        registrations::table
            .find(registration_id.to_string())
            .filter(registrations::ended_on.is_null()),
    )
    .set((
        registrations::next_review_on.eq(new.next_review_on),
        registrations::mappa_category.eq(if new.mappa.is_some() { mappa.0 } else { kept.0 }),
        registrations::mappa_level.eq(if new.mappa.is_some() { mappa.1 } else { kept.1 }),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(format!(
            "The {} registration has ended, so it cannot be reviewed",
            before.kind.label()
        )));
    }
    diesel::insert_into(registration_reviews::table)
        .values((
            registration_reviews::id.eq(Uuid::new_v4().to_string()),
            registration_reviews::registration_id.eq(registration_id.to_string()),
            registration_reviews::reviewed_on.eq(new.reviewed_on),
            registration_reviews::reviewed_by.eq(by.to_string()),
            registration_reviews::notes.eq(&new.notes),
            registration_reviews::next_review_on.eq(new.next_review_on),
            registration_reviews::mappa_category.eq(category),
            registration_reviews::mappa_level.eq(level),
            registration_reviews::rule_version.eq(&new.rule_version),
            registration_reviews::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    let mappa_changed = new.mappa.is_some() && mappa != kept;
    let consequences = if mappa_changed {
        let detail = format!(
            "MAPPA changed at review from {} to {}",
            mappa_words(before.mappa_category, before.mappa_level),
            mappa_words(new.mappa.map(|m| m.0), new.mappa.map(|m| m.1)),
        );
        after_change(
            conn,
            person_id,
            Some((ReviewTrigger::MappaChange, new.reviewed_on, detail)),
            by,
            now,
        )?
    } else {
        Consequences::default()
    };
    Ok((before, consequences))
}

fn mappa_words(category: Option<MappaCategory>, level: Option<MappaLevel>) -> String {
    format!(
        "category {}, level {}",
        category.map(|c| c.code()).unwrap_or("not recorded"),
        level.map(|l| l.code()).unwrap_or("not recorded")
    )
}

/// Ends a current registration on `today` with `reason`, returning it as it was, and recomputes
/// the tiers (a registration ended today no longer counts today).
pub fn end(
    conn: &mut AnyConnection,
    person_id: Uuid,
    registration_id: Uuid,
    reason: &str,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<RegistrationEntry> {
    let before = registration(conn, person_id, registration_id)?;
    let updated = diesel::update(
        registrations::table
            .find(registration_id.to_string())
            .filter(registrations::ended_on.is_null()),
    )
    .set((
        registrations::ended_on.eq(now.date_naive()),
        registrations::end_reason.eq(reason),
        registrations::ended_by.eq(by.to_string()),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(format!(
            "The {} registration has already been ended",
            before.kind.label()
        )));
    }
    after_change(conn, person_id, None, by, now)?;
    Ok(before)
}

/// The consequences of a change to a person's registrations, in the caller's transaction, through
/// the one path every record edit takes ([`crate::cases::consequences::follow`]): the tiers and
/// predictors recomputed, and the "review the risk assessment" task `review` asks for (what
/// changed, when, in words) when an assessment is in force, due when the review rules say.
fn after_change(
    conn: &mut AnyConnection,
    person_id: Uuid,
    review: Option<(ReviewTrigger, NaiveDate, String)>,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Consequences> {
    let review = review.map(|(trigger, occurred_on, details)| Review {
        trigger,
        occurred_on,
        details,
    });
    let followed = crate::cases::consequences::follow(conn, person_id, review, by, now)?;
    Ok(Consequences {
        review_task: followed.review,
    })
}

/// A registration due for review (its next review date today or past) on a caseload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReview {
    pub registration_id: Uuid,
    pub crn: String,
    pub name: String,
    pub kind: RegistrationKind,
    pub mappa_level: Option<MappaLevel>,
    pub next_review_on: NaiveDate,
}

/// Whose flags to list.
#[derive(Debug, Clone, Copy)]
pub enum Caseload {
    /// The cases a practitioner manages.
    Staff(Uuid),
    /// A team's cases.
    Team(Uuid),
    /// Every case a PDU holds, allocated or waiting.
    Pdu(Uuid),
}

/// The current registrations on a caseload whose next review is on or before `today`, the most
/// overdue first: one query, on the `registrations_review_due` index. The flag's own review date
/// is the task: nothing is written when it falls due.
pub fn due_for_review(
    conn: &mut AnyConnection,
    caseload: Caseload,
    today: NaiveDate,
) -> StorageResult<Vec<DueReview>> {
    let mut query = registrations::table
        .inner_join(people::table)
        .left_join(
            allocations::table.on(allocations::person_id
                .eq(people::id)
                .and(allocations::end_date.is_null())),
        )
        .filter(registrations::ended_on.is_null())
        .filter(registrations::next_review_on.le(today))
        .select((
            registrations::id,
            people::crn,
            people::first_name,
            people::last_name,
            registrations::kind,
            registrations::mappa_level,
            registrations::next_review_on.assume_not_null(),
        ))
        .order((registrations::next_review_on.asc(), people::crn.asc()))
        .into_boxed();
    query = match caseload {
        Caseload::Staff(id) => query.filter(allocations::staff_id.eq(id.to_string())),
        Caseload::Team(id) => query.filter(allocations::team_id.eq(id.to_string())),
        Caseload::Pdu(id) => query.filter(people::pdu_id.eq(id.to_string())),
    };
    query
        .load::<(
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            NaiveDate,
        )>(conn)?
        .into_iter()
        .map(|(id, crn, first, last, kind, level, next_review_on)| {
            Ok(DueReview {
                registration_id: rows::id(&id)?,
                crn,
                name: format!("{first} {last}"),
                kind: rows::code(&kind)?,
                mappa_level: rows::opt_code(level.as_deref())?,
                next_review_on,
            })
        })
        .collect()
}
