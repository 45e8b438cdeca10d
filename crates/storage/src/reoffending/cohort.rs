//! A region's follow-ups read in bulk for the cohort rates and the calibration: every event whose
//! follow-up has started, with its PDU, case type, the predictors' forecasts for it and the
//! person's later convictions. Four queries whatever the region's size (events with what OGRS3
//! reads, OGP's stored scores, every event's conviction, the recorded convictions); the grouping
//! is the domain's.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::risk::scores::OGP;
use crate::rows;
use crate::schema::{events, pdus, people, predictor_scores, reconvictions};
use chrono::NaiveDate;
use diesel::prelude::*;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::reoffending::{
    ogrs3_forecast, CohortMember, ForecastFacts, Prediction, Reconviction, SupervisedEvent,
};
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// One event with what its follow-up and OGRS3's forecast need.
type EventRow = (
    (
        String,
        String,
        String,
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

/// The follow-ups of the region's cases that have started by `today`, each with OGRS3's forecast
/// (worked out from the record, see `keepsafe_domain::reoffending::forecast`), OGP's stored one
/// and the person's convictions other than its own.
pub fn members(
    conn: &mut AnyConnection,
    region_id: Uuid,
    today: NaiveDate,
) -> StorageResult<Vec<CohortMember>> {
    let region = region_id.to_string();
    let started = [
        CaseType::Community.code(),
        CaseType::Licence.code(),
        CaseType::Custody.code(),
    ];
    let event_rows: Vec<EventRow> = events::table
        .inner_join(people::table.inner_join(pdus::table))
        .filter(pdus::region_id.eq(&region))
        .filter(events::case_type.eq_any(started))
        .select((
            (
                events::id,
                events::person_id,
                pdus::name,
                events::case_type,
                events::sentence_date,
                events::release_date,
            ),
            forecast_columns(),
        ))
        .load(conn)?;
    let ogp = ogp_forecasts(conn, &region)?;
    let convictions = convictions(conn, &region)?;
    let mut members = Vec::with_capacity(event_rows.len());
    for ((event_id, person_id, pdu, case_type, sentence_date, release_date), facts) in event_rows {
        let supervised = SupervisedEvent {
            case_type: rows::code(&case_type)?,
            sentence_date,
            release_date,
        };
        let Some(start) = supervised.follow_up_start(today) else {
            continue;
        };
        let reconvictions = convictions
            .get(&person_id)
            .map(|all| {
                all.iter()
                    .filter(|(from_event, _)| from_event.as_deref() != Some(event_id.as_str()))
                    .map(|(_, conviction)| *conviction)
                    .collect()
            })
            .unwrap_or_default();
        members.push(CohortMember {
            event: rows::id(&event_id)?,
            start,
            pdu,
            case_type: supervised.case_type,
            ogrs3: ogrs3_forecast(&forecast_facts(facts)?, start),
            ogp: ogp.get(&event_id).copied(),
            reconvictions,
        });
    }
    Ok(members)
}

/// The columns OGRS3 reads (events joined to their person), in the order [`forecast_facts`]
/// takes them.
#[diesel::dsl::auto_type(no_type_alias)]
pub(crate) fn forecast_columns() -> _ {
    (
        people::sex,
        people::date_of_birth,
        people::age_at_first_sanction,
        events::conviction_date,
        events::sanctions_before,
        events::offence_category,
    )
}

/// What OGRS3 reads, from a row: sex, date of birth, age at first sanction, conviction date,
/// sanctions before it, offence category.
pub(crate) fn forecast_facts(
    (sex, date_of_birth, age_at_first_sanction, conviction_date, sanctions_before, category): (
        String,
        NaiveDate,
        Option<i32>,
        NaiveDate,
        Option<i32>,
        String,
    ),
) -> StorageResult<ForecastFacts> {
    Ok(ForecastFacts {
        sex: rows::code(&sex)?,
        date_of_birth,
        conviction_date,
        sanctions_before,
        age_at_first_sanction,
        offence_category: rows::code(&category)?,
    })
}

/// OGP's stored one- and two-year forecasts by event (OGP is stored for the main active
/// sentence of a person with a completed needs assessment).
fn ogp_forecasts(
    conn: &mut AnyConnection,
    region: &str,
) -> StorageResult<HashMap<String, Prediction>> {
    let found: Vec<(String, Option<i32>, Option<i32>)> = predictor_scores::table
        .inner_join(people::table.on(people::id.eq(predictor_scores::person_id)))
        .inner_join(pdus::table.on(pdus::id.eq(people::pdu_id)))
        .filter(pdus::region_id.eq(region))
        .filter(predictor_scores::predictor.eq(OGP))
        .select((
            predictor_scores::event_id,
            predictor_scores::one_year,
            predictor_scores::two_year,
        ))
        .load(conn)?;
    Ok(found
        .into_iter()
        .filter_map(|(event, one, two)| {
            let percent = |value: Option<i32>| value.and_then(|v| u8::try_from(v).ok());
            Some((
                event,
                Prediction {
                    one_year: percent(one)?,
                    two_year: percent(two)?,
                },
            ))
        })
        .collect())
}

/// Each person's convictions, each tagged with its event when it is one.
type ConvictionsByPerson = HashMap<String, Vec<(Option<String>, Reconviction)>>;

/// Every conviction of the region's people: their events (tagged with the event, so a
/// follow-up leaves out its own) and the convictions recorded after supervision began.
fn convictions(conn: &mut AnyConnection, region: &str) -> StorageResult<ConvictionsByPerson> {
    let mut by_person = ConvictionsByPerson::new();
    let from_events: Vec<(String, String, NaiveDate, NaiveDate)> = events::table
        .inner_join(people::table.inner_join(pdus::table))
        .filter(pdus::region_id.eq(region))
        .select((
            events::person_id,
            events::id,
            events::offence_date,
            events::conviction_date,
        ))
        .load(conn)?;
    for (person, event, offence_on, convicted_on) in from_events {
        by_person.entry(person).or_default().push((
            Some(event),
            Reconviction {
                offence_on,
                convicted_on,
            },
        ));
    }
    let recorded: Vec<(String, NaiveDate, NaiveDate)> = reconvictions::table
        .inner_join(people::table.inner_join(pdus::table))
        .filter(pdus::region_id.eq(region))
        .select((
            reconvictions::person_id,
            reconvictions::offence_on,
            reconvictions::convicted_on,
        ))
        .load(conn)?;
    for (person, offence_on, convicted_on) in recorded {
        by_person.entry(person).or_default().push((
            None,
            Reconviction {
                offence_on,
                convicted_on,
            },
        ));
    }
    Ok(by_person)
}
