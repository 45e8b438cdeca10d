//! Recording a conviction after supervision began, and reading a case's.

use super::cohort::{forecast_columns, forecast_facts};
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{events, people, reconvictions, staff};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::event::{CaseType, OffenceCategory};
use keepsafe_domain::reoffending::{
    ogrs3_forecast, ForecastFacts, NewConviction, Prediction, SupervisedEvent,
};
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// A recorded conviction as the case's page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedConviction {
    pub id: Uuid,
    pub event_id: Uuid,
    pub offence: String,
    pub offence_category: OffenceCategory,
    pub offence_on: NaiveDate,
    pub convicted_on: NaiveDate,
    pub court: String,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

/// One of the person's events, with what a follow-up needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventForFollowUp {
    pub id: Uuid,
    pub number: i32,
    pub offence: String,
    pub offence_on: NaiveDate,
    pub convicted_on: NaiveDate,
    pub supervised: SupervisedEvent,
    /// What OGRS3 reads about the person and this sentence.
    pub forecast_facts: ForecastFacts,
}

impl EventForFollowUp {
    /// OGRS3's forecast for the follow-up starting on `start`.
    pub fn ogrs3(&self, start: NaiveDate) -> Option<Prediction> {
        ogrs3_forecast(&self.forecast_facts, start)
    }
}

type EventRow = (
    (
        String,
        i32,
        String,
        NaiveDate,
        NaiveDate,
        String,
        Option<NaiveDate>,
        Option<NaiveDate>,
    ),
    (
        String,
        NaiveDate,
        Option<i32>,
        NaiveDate,
        Option<i32>,
        String,
    ),
);

/// The person's events, oldest first.
pub fn events_for(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<Vec<EventForFollowUp>> {
    events::table
        .inner_join(people::table)
        .filter(events::person_id.eq(person_id.to_string()))
        .order(events::event_number.asc())
        .select((
            (
                events::id,
                events::event_number,
                events::offence_description,
                events::offence_date,
                events::conviction_date,
                events::case_type,
                events::sentence_date,
                events::release_date,
            ),
            forecast_columns(),
        ))
        .load::<EventRow>(conn)?
        .into_iter()
        .map(|(row, facts)| {
            Ok(EventForFollowUp {
                id: rows::id(&row.0)?,
                number: row.1,
                offence: row.2,
                offence_on: row.3,
                convicted_on: row.4,
                supervised: SupervisedEvent {
                    case_type: rows::code::<CaseType>(&row.5)?,
                    sentence_date: row.6,
                    release_date: row.7,
                },
                forecast_facts: forecast_facts(facts)?,
            })
        })
        .collect()
}

/// Records a conviction against one of the person's events (another person's event is not
/// found). Returns its id.
pub fn record(
    conn: &mut AnyConnection,
    person_id: Uuid,
    event_id: Uuid,
    conviction: &NewConviction,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let owned: i64 = events::table
        .filter(events::id.eq(event_id.to_string()))
        .filter(events::person_id.eq(person_id.to_string()))
        .count()
        .get_result(conn)?;
    if owned == 0 {
        return Err(StorageError::NotFound);
    }
    let id = Uuid::new_v4();
    diesel::insert_into(reconvictions::table)
        .values((
            reconvictions::id.eq(id.to_string()),
            reconvictions::person_id.eq(person_id.to_string()),
            reconvictions::event_id.eq(event_id.to_string()),
            reconvictions::offence.eq(&conviction.offence),
            reconvictions::offence_category.eq(conviction.offence_category.code()),
            reconvictions::offence_on.eq(conviction.offence_on),
            reconvictions::convicted_on.eq(conviction.convicted_on),
            reconvictions::court.eq(&conviction.court),
            reconvictions::recorded_by.eq(by.to_string()),
            reconvictions::recorded_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

type ConvictionRow = (
    String,
    String,
    String,
    String,
    NaiveDate,
    NaiveDate,
    String,
    String,
    String,
    NaiveDateTime,
);

/// The person's recorded convictions, by date of offence.
pub fn for_person(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<Vec<RecordedConviction>> {
    reconvictions::table
        .inner_join(staff::table)
        .filter(reconvictions::person_id.eq(person_id.to_string()))
        .order((
            reconvictions::offence_on.asc(),
            reconvictions::recorded_at.asc(),
        ))
        .select((
            reconvictions::id,
            reconvictions::event_id,
            reconvictions::offence,
            reconvictions::offence_category,
            reconvictions::offence_on,
            reconvictions::convicted_on,
            reconvictions::court,
            staff::first_name,
            staff::last_name,
            reconvictions::recorded_at,
        ))
        .load::<ConvictionRow>(conn)?
        .into_iter()
        .map(|row| {
            Ok(RecordedConviction {
                id: rows::id(&row.0)?,
                event_id: rows::id(&row.1)?,
                offence: row.2,
                offence_category: rows::code(&row.3)?,
                offence_on: row.4,
                convicted_on: row.5,
                court: row.6,
                recorded_by: format!("{} {}", row.7, row.8),
                recorded_at: row.9,
            })
        })
        .collect()
}
