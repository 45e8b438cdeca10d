//! Fixtures for outcomes and enforcement, written straight through storage (not through the
//! appointment pages, which another area owns): a case made a community or licence case with no
//! enforcement history, appointments arranged for it, and the enforcement records the route walk
//! needs.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::event::{CaseType, SentenceType};
use keepsafe_domain::supervision::contact::{
    ContactOutcome, ContactType, FailureJudgement, LocationKind,
};
use keepsafe_domain::supervision::enforcement::{DocumentKind, Letter};
use keepsafe_domain::CodedValue;
use keepsafe_storage::schema::{
    breach_actions, case_documents, enforcement_warnings, events, recalls,
};
use keepsafe_storage::supervision::contacts::{self, NewContact};
use keepsafe_storage::supervision::documents;
use keepsafe_storage::supervision::enforcement::{self, Failure};
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use uuid::Uuid;

/// The place every fixture appointment is at.
pub const OFFICE: &str = "Midchester probation office";

/// Makes the person's latest event their one active order, of `case_type` (a community order,
/// or a determinate sentence on licence), with no warnings, breach actions, recalls or
/// enforcement documents yet (the demo's are removed).
/// Returns the event.
pub fn make_case(conn: &mut AnyConnection, person_id: Uuid, case_type: CaseType) -> Uuid {
    transaction::write(conn, |conn| {
        let person = person_id.to_string();
        let event: String = events::table
            .filter(events::person_id.eq(&person))
            .order(events::event_number.desc())
            .select(events::id)
            .first(conn)?;
        let sentence = match case_type {
            CaseType::Community => SentenceType::CommunityOrder,
            CaseType::PreSentence => SentenceType::AwaitingSentence,
            CaseType::Licence | CaseType::Custody => SentenceType::DeterminateCustody,
        };
        diesel::update(events::table.filter(events::person_id.eq(&person)))
            .set(events::active.eq(false))
            .execute(conn)?;
        diesel::update(events::table.find(&event))
            .set((
                events::active.eq(true),
                events::case_type.eq(case_type.code()),
                events::sentence_type.eq(sentence.code()),
            ))
            .execute(conn)?;
        diesel::delete(
            enforcement_warnings::table.filter(enforcement_warnings::person_id.eq(&person)),
        )
        .execute(conn)?;
        diesel::delete(breach_actions::table.filter(breach_actions::person_id.eq(&person)))
            .execute(conn)?;
        diesel::delete(recalls::table.filter(recalls::person_id.eq(&person))).execute(conn)?;
        // The demo's own enforcement history of this person goes too: its log entries and letters.
        {
            use keepsafe_storage::schema::contacts as log;
            diesel::delete(
                log::table
                    .filter(log::person_id.eq(&person))
                    .filter(log::contact_type.eq_any([
                        "warning_letter",
                        "breach_action",
                        "recall",
                    ])),
            )
            .execute(conn)?;
        }
        diesel::delete(case_documents::table.filter(case_documents::person_id.eq(&person)))
            .execute(conn)?;
        Ok::<_, StorageError>(Uuid::parse_str(&event).unwrap())
    })
    .unwrap()
}

/// An enforceable office appointment with `staff_id` starting at `starts_at` (30 minutes), on the
/// person's active order, arranged and without an outcome, as the appointment pages write one.
pub fn appointment(
    conn: &mut AnyConnection,
    person_id: Uuid,
    staff_id: Uuid,
    starts_at: NaiveDateTime,
    now: DateTime<Utc>,
) -> Uuid {
    let id = Uuid::new_v4();
    transaction::write(conn, |conn| {
        let event = enforcement::case_order(conn, person_id, None)?.map(|o| o.event_id);
        contacts::insert(
            conn,
            &[NewContact {
                id,
                person_id,
                event_id: event,
                requirement_id: None,
                kind: ContactType::OfficeVisit,
                starts_at,
                ends_at: Some(starts_at + Duration::minutes(30)),
                location_kind: LocationKind::Office,
                location: OFFICE.into(),
                with_staff: Some(staff_id),
                sensitive: false,
                enforceable: true,
                notes: String::new(),
                series_id: None,
                outcome: None,
                judgement: None,
                created_by: staff_id,
            }],
            now,
        )
    })
    .unwrap();
    id
}

/// The enforcement records of one case, one of each, for pages that need one to exist.
#[derive(Debug, Clone, Copy)]
pub struct Records {
    /// An appointment yesterday with no outcome.
    pub appointment: Uuid,
    /// A warning to send, for an unacceptable failure the day before yesterday.
    pub warning: Uuid,
    /// Breach action whose report is still to write.
    pub breach: Uuid,
    /// A recall recommended by `recommended_by`, waiting for the senior officer.
    pub recall: Uuid,
    /// A generated letter.
    pub document: Uuid,
}

/// One of each enforcement record on the case, written directly in storage.
pub fn records(
    conn: &mut AnyConnection,
    person_id: Uuid,
    staff_id: Uuid,
    now: DateTime<Utc>,
) -> Records {
    let yesterday = now.naive_utc() - Duration::days(1);
    let appointment = appointment(conn, person_id, staff_id, yesterday, now);
    let failed = Uuid::new_v4();
    transaction::write(conn, |conn| {
        let event = enforcement::case_order(conn, person_id, None)?.map(|o| o.event_id);
        contacts::insert(
            conn,
            &[NewContact {
                id: failed,
                person_id,
                event_id: event,
                requirement_id: None,
                kind: ContactType::OfficeVisit,
                starts_at: yesterday - Duration::days(1),
                ends_at: None,
                location_kind: LocationKind::Office,
                location: OFFICE.into(),
                with_staff: Some(staff_id),
                sensitive: false,
                enforceable: true,
                notes: String::new(),
                series_id: None,
                outcome: Some(ContactOutcome::FailedToAttend),
                judgement: Some(FailureJudgement::Unacceptable),
                created_by: staff_id,
            }],
            now,
        )?;
        let failure = Failure {
            person_id,
            contact_id: failed,
            event_id: event,
            failed_at: yesterday - Duration::days(1),
        };
        let warning = enforcement::create_warning(conn, &failure, event, now.date_naive(), now)?;
        let breach = Uuid::new_v4();
        diesel::insert_into(breach_actions::table)
            .values((
                breach_actions::id.eq(breach.to_string()),
                breach_actions::person_id.eq(person_id.to_string()),
                breach_actions::event_id.eq(event.map(|e| e.to_string())),
                breach_actions::contact_id.eq(failed.to_string()),
                breach_actions::status.eq("open"),
                breach_actions::opened_on.eq(now.date_naive()),
                breach_actions::due_on.eq(now.date_naive()),
                breach_actions::created_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
        let recall = enforcement::open_recall(
            conn,
            person_id,
            (event, None),
            "Fixture: a risk concern",
            enforcement::Acting {
                by: staff_id,
                today: now.date_naive(),
                now,
            },
        )?;
        diesel::update(recalls::table.find(recall.to_string()))
            .set((
                recalls::status.eq("awaiting_senior"),
                recalls::recommended_by.eq(staff_id.to_string()),
                recalls::reasons.eq("Fixture reasons"),
                recalls::alternatives_tried.eq("Fixture alternatives"),
                recalls::current_risk.eq("Fixture risk"),
                recalls::recall_type.eq("standard"),
            ))
            .execute(conn)?;
        let document = documents::insert_generated(
            conn,
            person_id,
            DocumentKind::WarningLetter,
            &Letter {
                title: "Fixture letter".into(),
                body: "Dear reader,\n\nA letter.".into(),
            },
            staff_id,
            now,
        )?;
        Ok::<_, StorageError>(Records {
            appointment,
            warning,
            breach,
            recall,
            document,
        })
    })
    .unwrap()
}
