//! What follows an edit of the case record, by itself and in the edit's own transaction (issue
//! #15, "consequences happen by themselves"):
//!
//! 1. the tiers and predictors are recomputed from the record as it now is
//!    ([`crate::risk::scores::recompute`]), so the tier page never reads a stale household or
//!    address;
//! 2. where the change can alter the risk and an assessment is in force, a "review the risk
//!    assessment" task is created, due by the [`ReviewRules`] deadline — as the changes page does
//!    for partner information ([`crate::risk::assessments::current`] decides "in force"; with no
//!    assessment completed yet, the first one will read the new record anyway);
//! 3. where a needs assessment is in force and the change calls for it, a "review the needs
//!    assessment" ([`crate::needs::reviews::ask_for_review`]): a second task beside the risk
//!    review, with its own deadline, finished by completing the needs assessment;
//! 4. where the change calls for a review and a sentence plan is in force, a "review the sentence
//!    plan" task is created too ([`crate::plans::reviews::after_significant_change`]);
//! 5. the police and children's-services checks are offered again for the new circumstances
//!    (reference §4). The offer is not stored: [`checks_offer`] derives it from the record and the
//!    requests made, so it lasts until the checks are sent and cannot go stale.
//!
//! # Using it from another record edit
//!
//! Any handler that changes the record (addresses, household, personal details, registrations)
//! calls [`follow`] after its change, inside the same transaction, with the [`Review`] the change
//! calls for (or `None`):
//!
//! ```ignore
//! let done = consequences::follow(
//!     conn,
//!     person_id,
//!     Some(Review {
//!         trigger: ReviewTrigger::MappaChange,
//!         occurred_on: registered_on,
//!         details: "MAPPA level 2 from 3 December 2026".into(),
//!     }),
//!     by,
//!     now,
//! )?;
//! // done.review_due: Some(date) when a task was created; done.checks_offer: what to offer.
//! ```

use crate::cases::record;
use crate::cases::tasks::{self, NewTask};
use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::needs;
use crate::risk::{assessments, checks, scores};
use crate::schema::events;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use keepsafe_domain::address::AddressStatus;
use keepsafe_domain::age::is_child_on;
use keepsafe_domain::review::{
    checks_to_offer, ChangeKind, CheckRequested, ChecksOffer, CircumstanceChange, ReviewRules,
    ReviewTrigger,
};
use uuid::Uuid;

/// The review a change calls for: what changed, when, and what to tell the person reviewing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub trigger: ReviewTrigger,
    /// When it happened (the day they moved, the day the child joined).
    pub occurred_on: NaiveDate,
    /// Shown on the task: what to look at ("A child (Mia Ward, 4) joined the household").
    pub details: String,
}

/// What followed the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consequences {
    /// The review task created and when it is due; `None` when no review was called for or no
    /// assessment is in force.
    pub review: Option<(Uuid, NaiveDate)>,
    /// The needs review asked for and when it is due; `None` when no review was called for, no
    /// needs assessment is completed, or the change does not touch the person's needs.
    pub needs_review: Option<(Uuid, NaiveDate)>,
    /// The checks to offer again now, if any.
    pub checks_offer: Option<ChecksOffer>,
}

/// Follows a change of the person's record, in the caller's transaction: recomputes the tiers
/// and predictors, creates the review task `review` calls for when an assessment is in force,
/// and works out the checks to offer again. `by` is the member of staff who made the change.
///
/// The review is due [`ReviewRules::due`] working days from the day it is recorded (`now`), not
/// from when it happened: a move recorded weeks late still gets its full time to review, and the
/// task keeps the date it happened.
pub fn follow(
    conn: &mut AnyConnection,
    person_id: Uuid,
    review: Option<Review>,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Consequences> {
    let today = now.date_naive();
    scores::recompute(conn, &[person_id], today, now)?;
    let needs_review = match &review {
        Some(review) => needs::reviews::ask_for_review(
            conn,
            person_id,
            review.trigger,
            review.occurred_on,
            &review.details,
            by,
            now,
        )?,
        None => None,
    };
    if let Some(review) = &review {
        crate::plans::reviews::after_significant_change(
            conn,
            person_id,
            keepsafe_domain::plans::ReviewReason::ChangeOfCircumstances,
            &review.details,
            review.occurred_on,
            now,
        )?;
    }
    let review = match review {
        Some(review) if assessments::current(conn, person_id)?.is_some() => {
            let rules = ReviewRules::default();
            let due_on = rules.due(review.trigger, today.max(review.occurred_on));
            let id = tasks::create(
                conn,
                &NewTask {
                    person_id,
                    trigger: review.trigger,
                    occurred_on: review.occurred_on,
                    details: review.details,
                    due_on,
                    rule_version: rules.version.to_owned(),
                    created_by: Some(by),
                },
                now,
            )?;
            Some((id, due_on))
        }
        _ => None,
    };
    Ok(Consequences {
        review,
        needs_review,
        checks_offer: checks_offer(conn, person_id, today)?,
    })
}

/// The day the person's current supervision began: the earliest sentence (or, awaiting sentence,
/// conviction) of their active events. `None` when nothing is active.
fn supervised_since(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Option<NaiveDate>> {
    Ok(events::table
        .filter(events::person_id.eq(person_id.to_string()))
        .filter(events::active.eq(true))
        .select((events::sentence_date, events::conviction_date))
        .load::<(Option<NaiveDate>, NaiveDate)>(conn)?
        .into_iter()
        .map(|(sentence, conviction)| sentence.unwrap_or(conviction))
        .min())
}

/// The changes in the person's circumstances on `today` that the checks must follow: the move
/// into their main address (when they lived somewhere before it), and each member of the
/// household joining — since their current supervision began. Earlier changes are what the
/// checks at the start of supervision were about (reference §4: requested before sentence or at
/// allocation, and *again* when circumstances change), which the assessment's own gates ask for;
/// with nothing active there is nobody to check for.
pub fn changes_in_circumstances(
    conn: &mut AnyConnection,
    person_id: Uuid,
    today: NaiveDate,
) -> StorageResult<Vec<CircumstanceChange>> {
    let Some(since) = supervised_since(conn, person_id)? else {
        return Ok(Vec::new());
    };
    let addresses = record::addresses(conn, person_id)?;
    let lived_before = addresses
        .iter()
        .any(|a| a.end_date.is_some() && a.status != AddressStatus::Proposed);
    let mut changes: Vec<CircumstanceChange> = addresses
        .iter()
        .filter(|a| lived_before && a.status == AddressStatus::Main)
        .filter(|a| a.start_date <= today && a.end_date.is_none_or(|end| end > today))
        .filter(|a| a.start_date >= since)
        .map(|a| CircumstanceChange {
            on: a.start_date,
            kind: ChangeKind::NewAddress { address_id: a.id },
        })
        .collect();
    changes.extend(
        record::household(conn, person_id)?
            .iter()
            .filter(|m| m.start_date <= today && m.end_date.is_none_or(|end| end > today))
            .filter(|m| m.start_date >= since)
            .map(|m| CircumstanceChange {
                on: m.start_date,
                kind: ChangeKind::NewHouseholdMember {
                    child: m.date_of_birth.is_some_and(|dob| is_child_on(dob, today)),
                },
            }),
    );
    Ok(changes)
}

/// The police and children's-services checks to offer again on `today`, derived from the record
/// and the requests made (see [`checks_to_offer`]). A request a partner declined or that was
/// withdrawn will never be answered, so it does not count as asked.
pub fn checks_offer(
    conn: &mut AnyConnection,
    person_id: Uuid,
    today: NaiveDate,
) -> StorageResult<Option<ChecksOffer>> {
    let changes = changes_in_circumstances(conn, person_id, today)?;
    if changes.is_empty() {
        return Ok(None);
    }
    let requested: Vec<CheckRequested> = checks::for_person(conn, person_id)?
        .iter()
        .filter(|c| c.still_counts())
        .filter_map(|c| {
            Some(CheckRequested {
                kind: c.check_kind()?,
                requested_on: c.requested_on,
                address_id: c.address_id,
            })
        })
        .collect();
    Ok(checks_to_offer(&changes, &requested))
}
