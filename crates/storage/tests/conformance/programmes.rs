//! Programmes: a referral moves through its steps, each write guarded by the status it was read
//! in; a session is a programme session contact, kept once per number; the dashboard reads a
//! unit's referrals in one query and pages the longest waiting; a requirement with no programme
//! started in time is listed for its PDU; and the demo region's referrals load on both backends.

use crate::conformance;
use crate::support::{conn, today, with_small_region};
use chrono::{Duration, TimeZone, Utc};
use keepsafe_domain::programmes::referral::{Attended, EndDraft, StartDraft};
use keepsafe_domain::programmes::{measure, ProgrammeRules, ReferralStatus};
use keepsafe_domain::supervision::contact::ContactOutcome;
use keepsafe_storage::programmes::{catalogue, dashboard, referrals, requirements, ProgrammeScope};
use keepsafe_storage::{transaction, StorageError};
use keepsafe_test_support::programmes::{programme_case, referral, Reached};

conformance!(
    a_referral_moves_through_its_steps_and_a_step_on_a_stale_read_is_a_conflict,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = region.people[0].id;
        let by = region.staff[0].id;
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap();
        let (_, requirement) = programme_case(&mut conn, person, today() - Duration::days(300));
        let id = referral(
            &mut conn,
            person,
            requirement,
            today() - Duration::days(280),
            Reached::Suitable,
            by,
        );
        let stale = transaction::read(&mut conn, |conn| referrals::find(conn, person, id)).unwrap();
        assert_eq!(stale.status, ReferralStatus::Suitable);
        let started = stale
            .workflow()
            .start(
                &StartDraft {
                    started_on: Some(today() - Duration::days(100)),
                    cohort: String::new(),
                },
                today(),
            )
            .unwrap();
        transaction::write(&mut conn, |conn| {
            referrals::start(conn, &stale, &started, by, now)
        })
        .unwrap();
        let again = transaction::write(&mut conn, |conn| {
            referrals::start(conn, &stale, &started, by, now)
        });
        assert!(matches!(again, Err(StorageError::Conflict(_))), "{again:?}");
        let running =
            transaction::read(&mut conn, |conn| referrals::find(conn, person, id)).unwrap();
        let ended = running
            .workflow()
            .end(
                &EndDraft {
                    ended_on: Some(today() - Duration::days(1)),
                    completed: Some(true),
                    reason: None,
                    detail: String::new(),
                },
                today(),
            )
            .unwrap();
        transaction::write(&mut conn, |conn| {
            referrals::end(conn, &running, &ended, by, now)
        })
        .unwrap();
        let done =
            transaction::read(&mut conn, |conn| referrals::for_person(conn, person)).unwrap();
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].status, ReferralStatus::Completed);
        assert_eq!(done[0].ended_on, Some(today() - Duration::days(1)));
        assert_eq!(done[0].programme_name, "Thinking Skills Programme");
    }
);

conformance!(
    a_session_is_a_programme_session_contact_and_each_number_is_kept_once,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = region.people[0].id;
        let by = region.staff[0].id;
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap();
        let (_, requirement) = programme_case(&mut conn, person, today() - Duration::days(200));
        let id = referral(
            &mut conn,
            person,
            requirement,
            today() - Duration::days(150),
            Reached::Started,
            by,
        );
        let record =
            transaction::read(&mut conn, |conn| referrals::find(conn, person, id)).unwrap();
        let session = Attended {
            number: 1,
            held_on: today() - Duration::days(7),
        };
        let recorded = transaction::write(&mut conn, |conn| {
            referrals::record_session(
                conn,
                &record,
                &session,
                ContactOutcome::Attended,
                None,
                "",
                by,
                today(),
                now,
            )
        })
        .unwrap();
        let again = transaction::write(&mut conn, |conn| {
            referrals::record_session(
                conn,
                &record,
                &session,
                ContactOutcome::Attended,
                None,
                "",
                by,
                today(),
                now,
            )
        });
        assert!(matches!(again, Err(StorageError::Conflict(_))), "{again:?}");
        let entry = transaction::read(&mut conn, |conn| {
            keepsafe_storage::supervision::contacts::find(conn, person, recorded.contact_id)
        })
        .unwrap();
        assert_eq!(
            entry.kind,
            keepsafe_domain::supervision::contact::ContactType::ProgrammeSession
        );
        let record =
            transaction::read(&mut conn, |conn| referrals::find(conn, person, id)).unwrap();
        assert_eq!(record.sessions.len(), 1);
        assert_eq!(record.attended(), 1);
    }
);

conformance!(
    the_dashboard_reads_a_units_referrals_and_pages_the_longest_waiting,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = &region.people[0];
        let by = region.staff[0].id;
        let (_, requirement) = programme_case(&mut conn, person.id, today() - Duration::days(900));
        referral(
            &mut conn,
            person.id,
            requirement,
            today() - Duration::days(800),
            Reached::Suitable,
            by,
        );
        let scope = ProgrammeScope::Pdu(person.pdu_id);
        let facts =
            transaction::read(&mut conn, |conn| dashboard::facts(conn, scope, today())).unwrap();
        assert!(!facts.is_empty());
        let measures = measure(&facts, today());
        assert_eq!(
            measures.waiting_now.days.last().copied(),
            Some(800),
            "the longest wait"
        );
        let first = transaction::read(&mut conn, |conn| {
            dashboard::longest_waiting(conn, scope, Some(1), 1)
        })
        .unwrap();
        assert_eq!(first.lines.len(), 1);
        assert_eq!(first.lines[0].crn, person.crn, "the longest waiting leads");
        assert_eq!(first.pages, first.total);
        let second = transaction::read(&mut conn, |conn| {
            dashboard::longest_waiting(conn, scope, Some(2), 1)
        })
        .unwrap();
        if first.total > 1 {
            assert!(second.lines[0].referred_on >= first.lines[0].referred_on);
        }
    }
);

conformance!(
    a_requirement_with_no_programme_started_in_time_is_listed_for_its_pdu,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = &region.people[0];
        let (_, requirement) = programme_case(&mut conn, person.id, today() - Duration::weeks(13));
        let rules = ProgrammeRules::default();
        let late = transaction::read(&mut conn, |conn| {
            requirements::not_started_in_time(
                conn,
                ProgrammeScope::Pdu(person.pdu_id),
                today(),
                &rules,
            )
        })
        .unwrap();
        assert!(
            late.iter().any(|r| r.requirement_id == requirement),
            "{late:?}"
        );
        let mine =
            transaction::read(&mut conn, |conn| requirements::for_person(conn, person.id)).unwrap();
        assert_eq!(mine.len(), 1);
        assert!(mine[0].flag(today(), &rules).flagged);
    }
);

conformance!(the_catalogue_and_the_demo_regions_referrals_load, |db| {
    let region = with_small_region(db);
    let mut conn = conn(db);
    let entries = transaction::read(&mut conn, catalogue::all).unwrap();
    assert_eq!(entries.len(), 12);
    assert!(entries.iter().all(|e| e.active && e.sessions > 0));
    let facts = transaction::read(&mut conn, |conn| {
        dashboard::facts(conn, ProgrammeScope::Region(region.region.id), today())
    })
    .unwrap();
    assert!(
        !facts.is_empty(),
        "the demo refers its programme requirements"
    );
    assert!(facts.len() <= region.programmes.referrals.len());
});
