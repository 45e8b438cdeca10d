//! Contacts and appointments: a series written in one go, the contact log filtered and paged
//! newest first, rescheduling and cancelling guarded against a change made meanwhile, the diaries
//! the clash warnings read, the next appointment, and the entries keepsafe writes for system
//! events.

use crate::conformance;
use crate::support::{conn, today, with_small_region};
use chrono::{Duration, NaiveDateTime, NaiveTime};
use keepsafe_demo::{DemoRegion, Person};
use keepsafe_domain::partner::RequestType;
use keepsafe_domain::supervision::appointment::Diary;
use keepsafe_domain::supervision::contact::{
    ContactOutcome, ContactStatus, ContactType, FailureJudgement, LocationKind, RescheduleRequester,
};
use keepsafe_storage::risk::checks::{self, NewCheck};
use keepsafe_storage::supervision::contacts::{self, LogFilter, Move, NewContact, OutcomeFilter};
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use uuid::Uuid;

/// A person with an event that has a requirement, and their current practitioner.
fn person_with_requirement(region: &DemoRegion) -> (&Person, Uuid) {
    region
        .people
        .iter()
        .find_map(|p| {
            let practitioner = p.allocations.iter().find(|a| a.end_date.is_none())?;
            p.events
                .iter()
                .any(|e| !e.requirements.is_empty())
                .then_some((p, practitioner.staff_id))
        })
        .expect("the demo region has an allocated person with a requirement")
}

fn now() -> chrono::DateTime<chrono::Utc> {
    keepsafe_test_support::clock::now()
}

/// The day after the conformance region's day, at `hour`.
fn later(days: i64, hour: u32) -> NaiveDateTime {
    (today() + Duration::days(days)).and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap())
}

fn appointment(person: &Person, with: Uuid, starts_at: NaiveDateTime, notes: &str) -> NewContact {
    NewContact {
        id: Uuid::new_v4(),
        person_id: person.id,
        event_id: Some(person.events[0].id),
        requirement_id: None,
        kind: ContactType::OfficeVisit,
        starts_at,
        ends_at: Some(starts_at + Duration::minutes(45)),
        location_kind: LocationKind::Office,
        location: "Midchester probation office".into(),
        with_staff: Some(with),
        sensitive: false,
        enforceable: true,
        notes: notes.into(),
        series_id: None,
        outcome: None,
        judgement: None,
        created_by: with,
    }
}

fn write(conn: &mut AnyConnection, new: &[NewContact]) {
    transaction::write(conn, |conn| contacts::insert(conn, new, now())).unwrap();
}

fn search(text: &str) -> LogFilter {
    LogFilter {
        text: Some(text.into()),
        ..LogFilter::default()
    }
}

conformance!(
    a_series_is_written_at_once_and_the_log_pages_it_newest_first,
    |db| {
        let region = with_small_region(db);
        let (person, practitioner) = person_with_requirement(&region);
        let mut conn = conn(db);
        let series = Uuid::new_v4();
        let thirty: Vec<NewContact> = (0..30)
            .map(|week| NewContact {
                series_id: Some(series),
                ..appointment(
                    person,
                    practitioner,
                    later(7 * week + 1, 10),
                    &format!("Weekly reporting, series-token week {week}"),
                )
            })
            .collect();
        write(&mut conn, &thirty);

        let first = contacts::log(&mut conn, person.id, &search("series-token"), 1, 25).unwrap();
        assert_eq!(first.total, 30);
        assert_eq!(first.entries.len(), 25);
        assert_eq!(
            first.entries[0].starts_at,
            later(7 * 29 + 1, 10),
            "newest first"
        );
        assert!(first
            .entries
            .windows(2)
            .all(|w| w[0].starts_at > w[1].starts_at));
        let second = contacts::log(&mut conn, person.id, &search("series-token"), 2, 25).unwrap();
        assert_eq!(second.entries.len(), 5);
        assert_eq!(second.entries[4].starts_at, later(1, 10));
        assert!(second
            .entries
            .iter()
            .all(|e| e.series_id == Some(series) && e.status == ContactStatus::Arranged));
        let named = &second.entries[0];
        assert!(named.with_name.is_some() && named.recorded_by.is_some());
        assert_eq!(named.event_number, Some(person.events[0].number));
    }
);

conformance!(
    the_log_filters_by_type_dates_outcome_event_requirement_author_and_words,
    |db| {
        let region = with_small_region(db);
        let (person, practitioner) = person_with_requirement(&region);
        let event = person
            .events
            .iter()
            .find(|e| !e.requirements.is_empty())
            .unwrap();
        let requirement = event.requirements[0].id;
        let colleague = region
            .staff
            .iter()
            .find(|s| s.id != practitioner)
            .unwrap()
            .id;
        let mut conn = conn(db);
        let base = |notes: &str| appointment(person, practitioner, later(-3, 9), notes);
        let visit = NewContact {
            kind: ContactType::HomeVisit,
            starts_at: later(-3, 9),
            outcome: Some(ContactOutcome::FailedToAttend),
            judgement: Some(FailureJudgement::Unacceptable),
            ..base("Filter-token: NOBODY home")
        };
        let call = NewContact {
            kind: ContactType::PhoneCall,
            starts_at: later(-2, 11),
            event_id: Some(event.id),
            requirement_id: Some(requirement),
            outcome: Some(ContactOutcome::Attended),
            created_by: colleague,
            ..base("filter-token: called about the programme")
        };
        let booked = NewContact {
            starts_at: later(5, 14),
            ..base("filter-token: booked")
        };
        let secret = NewContact {
            sensitive: true,
            starts_at: later(-1, 16),
            ..base("filter-token: sensitive disclosure")
        };
        write(
            &mut conn,
            &[visit.clone(), call.clone(), booked.clone(), secret],
        );

        let mut ids = |filter: LogFilter| -> Vec<Uuid> {
            let filter = LogFilter {
                text: filter.text.clone().or(Some("FILTER-TOKEN".into())),
                ..filter
            };
            contacts::log(&mut conn, person.id, &filter, 1, 100)
                .unwrap()
                .entries
                .iter()
                .map(|e| e.id)
                .collect()
        };
        assert_eq!(
            ids(LogFilter::default()),
            [booked.id, call.id, visit.id],
            "words ignore case; sensitive notes are not searched"
        );
        assert_eq!(
            ids(LogFilter {
                kind: Some(ContactType::HomeVisit),
                ..LogFilter::default()
            }),
            [visit.id]
        );
        assert_eq!(
            ids(LogFilter {
                from: Some(today() - Duration::days(2)),
                to: Some(today()),
                ..LogFilter::default()
            }),
            [call.id],
            "both ends of the range are whole days"
        );
        assert_eq!(
            ids(LogFilter {
                outcome: Some(OutcomeFilter::Is(ContactOutcome::FailedToAttend)),
                ..LogFilter::default()
            }),
            [visit.id]
        );
        assert_eq!(
            ids(LogFilter {
                outcome: Some(OutcomeFilter::NotRecorded),
                ..LogFilter::default()
            }),
            [booked.id]
        );
        assert_eq!(
            ids(LogFilter {
                requirement_id: Some(requirement),
                ..LogFilter::default()
            }),
            [call.id]
        );
        assert_eq!(
            ids(LogFilter {
                event_id: Some(event.id),
                ..LogFilter::default()
            })
            .len(),
            if event.id == person.events[0].id {
                3
            } else {
                1
            }
        );
        assert_eq!(
            ids(LogFilter {
                author: Some(colleague),
                ..LogFilter::default()
            }),
            [call.id]
        );
        // A % typed in the search is a character, not a wildcard.
        assert!(ids(LogFilter {
            text: Some("filter-token%".into()),
            ..LogFilter::default()
        })
        .is_empty());
        let authors = contacts::authors(&mut conn, person.id).unwrap();
        assert!(authors.iter().any(|(id, _)| *id == colleague));
    }
);

conformance!(
    rescheduling_keeps_the_old_appointment_and_writes_the_new_one,
    |db| {
        let region = with_small_region(db);
        let (person, practitioner) = person_with_requirement(&region);
        let mut conn = conn(db);
        let original = appointment(person, practitioner, later(3, 10), "to move");
        write(&mut conn, std::slice::from_ref(&original));
        let old = contacts::find(&mut conn, person.id, original.id).unwrap();
        let change = Move {
            requested_by: RescheduleRequester::Person,
            reason: "Starts a new job that morning".into(),
            starts_at: later(4, 15),
            ends_at: later(4, 16),
        };
        let new_id = transaction::write(&mut conn, |conn| {
            contacts::reschedule(conn, &old, &change, practitioner, now())
        })
        .unwrap();

        let old = contacts::find(&mut conn, person.id, original.id).unwrap();
        assert_eq!(old.status, ContactStatus::Rescheduled);
        assert_eq!(
            old.reschedule_requested_by,
            Some(RescheduleRequester::Person)
        );
        assert_eq!(
            old.change_reason.as_deref(),
            Some("Starts a new job that morning")
        );
        assert_eq!(old.rescheduled_to, Some(new_id));
        assert!(old.changed_by.is_some() && old.changed_at.is_some());
        let new = contacts::find(&mut conn, person.id, new_id).unwrap();
        assert_eq!(new.status, ContactStatus::Arranged);
        assert_eq!(
            (new.starts_at, new.ends_at),
            (later(4, 15), Some(later(4, 16)))
        );
        assert_eq!(new.kind, old.kind);
        assert_eq!(new.location, old.location);

        // Moving the old one again (a second tab) changes nothing.
        let again = transaction::write(&mut conn, |conn| {
            contacts::reschedule(conn, &old, &change, practitioner, now())
        });
        assert!(matches!(again, Err(StorageError::Conflict(_))));
        assert_eq!(
            contacts::log(&mut conn, person.id, &search("to move"), 1, 10)
                .unwrap()
                .total,
            2
        );
    }
);

conformance!(
    cancelling_needs_an_arranged_appointment_without_an_outcome,
    |db| {
        let region = with_small_region(db);
        let (person, practitioner) = person_with_requirement(&region);
        let mut conn = conn(db);
        let arranged = appointment(person, practitioner, later(3, 10), "to cancel");
        let attended = NewContact {
            starts_at: later(-1, 10),
            outcome: Some(ContactOutcome::Attended),
            ..appointment(person, practitioner, later(-1, 10), "attended")
        };
        write(&mut conn, &[arranged.clone(), attended.clone()]);
        transaction::write(&mut conn, |conn| {
            contacts::cancel(conn, arranged.id, "Order revoked", practitioner, now())
        })
        .unwrap();
        let cancelled = contacts::find(&mut conn, person.id, arranged.id).unwrap();
        assert_eq!(cancelled.status, ContactStatus::Cancelled);
        assert_eq!(cancelled.change_reason.as_deref(), Some("Order revoked"));
        for id in [arranged.id, attended.id] {
            let refused = transaction::write(&mut conn, |conn| {
                contacts::cancel(conn, id, "again", practitioner, now())
            });
            assert!(matches!(refused, Err(StorageError::Conflict(_))));
        }
        // Another person's contact is not found through this one's log.
        let other = region.people.iter().find(|p| p.id != person.id).unwrap();
        assert!(matches!(
            contacts::find(&mut conn, other.id, arranged.id),
            Err(StorageError::NotFound)
        ));
    }
);

conformance!(
    the_diaries_and_the_next_appointment_leave_out_moved_and_cancelled_ones,
    |db| {
        let region = with_small_region(db);
        let (person, practitioner) = person_with_requirement(&region);
        let other = region
            .people
            .iter()
            .find(|p| p.id != person.id && !p.events.is_empty())
            .unwrap();
        let mut conn = conn(db);
        // Far enough ahead that no demo appointment is in the window.
        let day = 400;
        let with_person = appointment(person, practitioner, later(day, 9), "diary");
        let with_other = appointment(other, practitioner, later(day, 11), "diary");
        let cancelled = appointment(person, practitioner, later(day, 13), "diary");
        write(
            &mut conn,
            &[with_person.clone(), with_other.clone(), cancelled.clone()],
        );
        transaction::write(&mut conn, |conn| {
            contacts::cancel(conn, cancelled.id, "No longer needed", practitioner, now())
        })
        .unwrap();
        let booked = contacts::booked(
            &mut conn,
            Some(practitioner),
            person.id,
            later(day, 0),
            later(day + 1, 0),
            None,
        )
        .unwrap();
        let mut seen: Vec<(NaiveDateTime, Diary)> =
            booked.iter().map(|b| (b.starts_at, b.diary)).collect();
        seen.sort_by_key(|s| s.0);
        assert_eq!(
            seen,
            [
                (later(day, 9), Diary::Person),
                (later(day, 11), Diary::Practitioner)
            ]
        );
        let except = contacts::booked(
            &mut conn,
            Some(practitioner),
            person.id,
            later(day, 0),
            later(day + 1, 0),
            Some(with_person.id),
        )
        .unwrap();
        assert_eq!(except.len(), 1);

        let next = contacts::next_appointment(&mut conn, person.id, later(day, 10))
            .unwrap()
            .map(|n| n.id);
        assert_eq!(next, None, "the cancelled one is not next");
        let next = contacts::next_appointment(&mut conn, person.id, later(day, 8))
            .unwrap()
            .unwrap();
        assert_eq!(next.id, with_person.id);
        assert!(next.with_name.is_some());
    }
);

conformance!(an_answered_check_is_entered_in_the_contact_log, |db| {
    let region = with_small_region(db);
    let (person, practitioner) = person_with_requirement(&region);
    let mut conn = conn(db);
    let at = now();
    transaction::write(&mut conn, |conn| {
        let check = checks::request(
            conn,
            &NewCheck {
                person_id: person.id,
                kind: RequestType::PoliceDomesticAbuse,
                address_id: None,
                address_description: "14 Mill Road, Midchester".into(),
                requested_on: today(),
                deadline: today() + Duration::days(14),
                deadline_rule: "test".into(),
                requested_by: practitioner,
            },
            at,
        )?;
        contacts::record_check_answered(conn, check, None, "Sam Jones (Midshire Police)", at)
    })
    .unwrap();
    let log = contacts::log(
        &mut conn,
        person.id,
        &LogFilter {
            kind: Some(ContactType::CheckAnswered),
            ..LogFilter::default()
        },
        1,
        10,
    )
    .unwrap();
    assert_eq!(log.total, 1);
    let entry = &log.entries[0];
    assert_eq!(entry.location, "keepsafe");
    assert_eq!(entry.location_kind, LocationKind::Other);
    assert_eq!(entry.outcome, None);
    let stored = entry.starts_at.and_utc().timestamp_micros();
    assert_eq!(stored, at.timestamp_micros(), "when it was answered");
    assert!(
        entry
            .notes
            .ends_with("answered by Sam Jones (Midshire Police)"),
        "{}",
        entry.notes
    );
});

conformance!(
    a_completed_or_countersigned_assessment_is_entered_in_the_contact_log,
    |db| {
        use keepsafe_domain::event::CaseType;
        use keepsafe_domain::rosh::RoshLevel;
        use keepsafe_storage::risk::assessments;
        let region = with_small_region(db);
        let (person, practitioner) = person_with_requirement(&region);
        let senior = region
            .staff
            .iter()
            .find(|s| s.id != practitioner)
            .unwrap()
            .id;
        let mut conn = conn(db);
        let entries = |conn: &mut AnyConnection| {
            contacts::log(
                conn,
                person.id,
                &LogFilter {
                    kind: Some(ContactType::AssessmentCompleted),
                    ..LogFilter::default()
                },
                1,
                10,
            )
            .unwrap()
            .entries
        };
        let before = entries(&mut conn).len();
        transaction::write(&mut conn, |conn| {
            let id = assessments::start(conn, person.id, CaseType::Community, practitioner, now())?;
            let status =
                assessments::complete(conn, id, 1, RoshLevel::High, true, practitioner, now())?;
            assert_eq!(
                entries(conn).len(),
                before,
                "awaiting countersignature is not yet complete: {status:?}"
            );
            assessments::countersign(conn, id, senior, now())
        })
        .unwrap();
        let after = entries(&mut conn);
        assert_eq!(after.len(), before + 1);
        assert_eq!(
            after[0].notes,
            "Risk of serious harm assessment completed: High"
        );
        assert_eq!(after[0].location, "keepsafe");
        assert!(after[0].recorded_by.is_some(), "the countersigner");
    }
);
