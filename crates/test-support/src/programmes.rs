//! Programme fixtures, written through storage as the programme pages write them: a community
//! case with one accredited programme requirement that began on a given day (the demo's other
//! programme requirements and referrals of the person put aside), and a referral taken as far as
//! a given step.

use crate::clock;
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::programmes::referral::{AssessmentDraft, NewReferral, StartDraft};
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::CodedValue;
use keepsafe_storage::programmes::referrals;
use keepsafe_storage::schema::{events, programme_referrals, programme_sessions, requirements};
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use uuid::Uuid;

/// Makes the person a community case whose only programme requirement is an accredited programme
/// requirement (Thinking Skills Programme, 19 sessions) that began on `began_on`, with no
/// referrals. Returns (event, requirement).
pub fn programme_case(conn: &mut AnyConnection, person: Uuid, began_on: NaiveDate) -> (Uuid, Uuid) {
    let event = crate::enforcement::make_case(conn, person, CaseType::Community);
    let requirement = Uuid::new_v4();
    transaction::write(conn, |conn| {
        let person = person.to_string();
        let referred: Vec<String> = programme_referrals::table
            .filter(programme_referrals::person_id.eq(&person))
            .select(programme_referrals::id)
            .load(conn)?;
        diesel::delete(
            programme_sessions::table.filter(programme_sessions::referral_id.eq_any(&referred)),
        )
        .execute(conn)?;
        diesel::delete(
            programme_referrals::table.filter(programme_referrals::person_id.eq(&person)),
        )
        .execute(conn)?;
        let events_of: Vec<String> = events::table
            .filter(events::person_id.eq(&person))
            .select(events::id)
            .load(conn)?;
        diesel::update(
            requirements::table
                .filter(requirements::event_id.eq_any(&events_of))
                .filter(requirements::kind.eq_any([
                    RequirementKind::AccreditedProgramme.code(),
                    RequirementKind::RehabilitationActivity.code(),
                ])),
        )
        .set(requirements::active.eq(false))
        .execute(conn)?;
        diesel::insert_into(requirements::table)
            .values((
                requirements::id.eq(requirement.to_string()),
                requirements::event_id.eq(event.to_string()),
                requirements::kind.eq(RequirementKind::AccreditedProgramme.code()),
                requirements::length.eq(Some(19)),
                requirements::detail.eq(Some("Thinking Skills Programme")),
                requirements::start_date.eq(began_on),
                requirements::end_date.eq(None::<NaiveDate>),
                requirements::active.eq(true),
            ))
            .execute(conn)?;
        Ok::<_, StorageError>(())
    })
    .unwrap();
    (event, requirement)
}

/// How far a fixture referral has gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reached {
    Referred,
    Suitable,
    Started,
}

/// A referral to the Thinking Skills Programme under `requirement`, made on `referred_on` and
/// taken to `reached` (assessed suitable 14 days after the referral, started 28 days after that).
pub fn referral(
    conn: &mut AnyConnection,
    person: Uuid,
    requirement: Uuid,
    referred_on: NaiveDate,
    reached: Reached,
    by: Uuid,
) -> Uuid {
    let today = clock::today();
    transaction::write(conn, |conn| {
        let id = referrals::refer(
            conn,
            person,
            Some(requirement),
            "tsp",
            &NewReferral {
                referred_on,
                notes: String::new(),
            },
            by,
            clock::now(),
        )?;
        if reached != Reached::Referred {
            let record = referrals::find(conn, person, id)?;
            let assessed = record
                .workflow()
                .assess(
                    &AssessmentDraft {
                        assessed_on: Some(referred_on + Duration::days(14)),
                        suitable: Some(true),
                        reason: String::new(),
                    },
                    today,
                )
                .expect("a fixture assessment passes");
            referrals::assess(conn, &record, &assessed, by, clock::now())?;
        }
        if reached == Reached::Started {
            let record = referrals::find(conn, person, id)?;
            let started = record
                .workflow()
                .start(
                    &StartDraft {
                        started_on: Some(referred_on + Duration::days(42)),
                        cohort: "Tuesday evening group".into(),
                    },
                    today,
                )
                .expect("a fixture start passes");
            referrals::start(conn, &record, &started, by, clock::now())?;
        }
        Ok::<_, StorageError>(id)
    })
    .unwrap()
}
