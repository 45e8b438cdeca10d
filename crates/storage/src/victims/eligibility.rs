//! Whether a case's victims are eligible for the scheme, read from its active events: a case is
//! eligible when any active event is (victims of each qualifying offence are owed contact), and
//! the scheme follows the most recent such event, or the most recent event when none qualifies.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{events, pdus, people};
use chrono::NaiveDate;
use diesel::prelude::*;
use keepsafe_domain::event::{OffenceCategory, SentenceType};
use keepsafe_domain::victims::eligibility::is_violent;
use keepsafe_domain::victims::{
    assess_eligibility, Eligibility, EligibilityInputs, VictimContactRules,
};
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// A case's eligibility with the dates the scheme counts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEligibility {
    pub event_number: i32,
    pub eligibility: Eligibility,
    pub sentenced_on: Option<NaiveDate>,
    pub release_on: Option<NaiveDate>,
    /// When the referral is due, with how it was worked out (eligible cases with a sentence date).
    pub referral_due: Option<(NaiveDate, String)>,
}

/// One active event as eligibility reads it.
#[derive(Debug, Clone)]
struct EventFacts {
    number: i32,
    inputs: EligibilityInputs,
    sentenced_on: Option<NaiveDate>,
    release_on: Option<NaiveDate>,
}

type EventRow = (
    String,
    i32,
    String,
    String,
    Option<i32>,
    Option<NaiveDate>,
    Option<NaiveDate>,
);

fn facts(row: &EventRow, hospital_order: bool) -> StorageResult<EventFacts> {
    Ok(EventFacts {
        number: row.1,
        inputs: EligibilityInputs {
            offence: rows::code::<OffenceCategory>(&row.2)?,
            sentence: rows::code::<SentenceType>(&row.3)?,
            length_months: row.4.and_then(|m| u32::try_from(m).ok()),
            hospital_order,
        },
        sentenced_on: row.5,
        release_on: row.6,
    })
}

/// Picks the event the scheme follows and judges it.
fn judge(mut events: Vec<EventFacts>, rules: &VictimContactRules) -> Option<CaseEligibility> {
    events.sort_by_key(|e| std::cmp::Reverse(e.number));
    let judged: Vec<(EventFacts, Eligibility)> = events
        .into_iter()
        .map(|e| {
            let answer = assess_eligibility(&e.inputs);
            (e, answer)
        })
        .collect();
    let chosen = judged
        .iter()
        .position(|(_, answer)| answer.eligible)
        .unwrap_or(0);
    let (event, eligibility) = judged.into_iter().nth(chosen)?;
    let referral_due = event
        .sentenced_on
        .filter(|_| eligibility.eligible)
        .map(|day| (rules.referral_due(day), rules.referral_due_explained(day)));
    Some(CaseEligibility {
        event_number: event.number,
        eligibility,
        sentenced_on: event.sentenced_on,
        release_on: event.release_on,
        referral_due,
    })
}

fn event_columns() -> (
    events::person_id,
    events::event_number,
    events::offence_category,
    events::sentence_type,
    events::sentence_length_months,
    events::sentence_date,
    events::release_date,
) {
    (
        events::person_id,
        events::event_number,
        events::offence_category,
        events::sentence_type,
        events::sentence_length_months,
        events::sentence_date,
        events::release_date,
    )
}

/// The case's eligibility, or `None` without an active event: two queries.
pub fn for_case(
    conn: &mut AnyConnection,
    person_id: Uuid,
    rules: &VictimContactRules,
) -> StorageResult<Option<CaseEligibility>> {
    let hospital_order = super::referrals::load(conn, person_id)?.hospital_order;
    let rows: Vec<EventRow> = events::table
        .filter(events::person_id.eq(person_id.to_string()))
        .filter(events::active.eq(true))
        .select(event_columns())
        .load(conn)?;
    let events = rows
        .iter()
        .map(|row| facts(row, hospital_order))
        .collect::<StorageResult<Vec<_>>>()?;
    Ok(judge(events, rules))
}

/// The region's cases whose victims may be eligible (an active event for a violent or sexual
/// offence), judged, keyed by person id: three queries. Hospital orders are read from the
/// referrals.
pub fn eligible_in_region(
    conn: &mut AnyConnection,
    region: Uuid,
    rules: &VictimContactRules,
) -> StorageResult<HashMap<String, CaseEligibility>> {
    let categories: Vec<&str> = OffenceCategory::ALL
        .iter()
        .filter(|c| c.is_sexual() || is_violent(**c))
        .map(|c| c.code())
        .collect();
    let rows: Vec<EventRow> = events::table
        .inner_join(people::table.inner_join(pdus::table))
        .filter(pdus::region_id.eq(region.to_string()))
        .filter(events::active.eq(true))
        .filter(events::offence_category.eq_any(&categories))
        .select(event_columns())
        .load(conn)?;
    let people_ids: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let referrals = super::referrals::for_people(conn, &people_ids)?;
    let mut by_person: HashMap<String, Vec<EventFacts>> = HashMap::new();
    for row in &rows {
        let hospital_order = referrals.get(&row.0).is_some_and(|r| r.hospital_order);
        by_person
            .entry(row.0.clone())
            .or_default()
            .push(facts(row, hospital_order)?);
    }
    Ok(by_person
        .into_iter()
        .filter_map(|(person, events)| {
            judge(events, rules)
                .filter(|judged| judged.eligibility.eligible)
                .map(|judged| (person, judged))
        })
        .collect())
}
