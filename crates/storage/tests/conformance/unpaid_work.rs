//! Unpaid work: allocating makes the appointment and refuses a full session or a second session
//! the same day; recording attendance credits the order and gives the appointment its outcome; an
//! unacceptable failure opens enforcement through the supervision area; the orders behind pace
//! are listed soonest deadline first; the rules in force are read by their effective date; and
//! the demo region never credits an order beyond its hours.

use crate::conformance;
use crate::support::{conn, today, with_small_region};
use chrono::{Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;
use keepsafe_domain::supervision::outcome::Judgement;
use keepsafe_domain::unpaid_work::{AttendanceOutcome, Credit, Rating, UnpaidWorkRules};
use keepsafe_storage::schema::{contacts, requirements, upw_allocations, upw_attendance};
use keepsafe_storage::supervision::enforcement::{self, Opened};
use keepsafe_storage::unpaid_work::orders::{self, Scope};
use keepsafe_storage::unpaid_work::sessions::{self, NewAttendance, NotAllocated};
use keepsafe_storage::{transaction, unpaid_work, StorageError};
use keepsafe_test_support::unpaid_work::{self as fixtures, ProjectSpec};

fn at(day: NaiveDate, hour: u32) -> NaiveDateTime {
    day.and_hms_opt(hour, 0, 0).unwrap()
}

fn worked(minutes: u32) -> NewAttendance {
    NewAttendance {
        credit: Credit {
            outcome: AttendanceOutcome::AttendedAndWorked,
            quality: Some(Rating::Good),
            behaviour: Some(Rating::Satisfactory),
            worked_minutes: minutes,
            travel_minutes: 0,
            ete_minutes: 0,
        },
        judgement: None,
        notes: String::new(),
    }
}

conformance!(
    recording_a_session_credits_the_order_and_gives_the_appointment_its_outcome,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = &region.people[0];
        let by = region.staff[0].id;
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 0).unwrap();
        fixtures::community_order(&mut conn, person.id, 80, today() - Duration::weeks(6));
        let project = fixtures::project(
            &mut conn,
            person.pdu_id,
            ProjectSpec {
                capacity: 4,
                ..Default::default()
            },
            by,
        );
        let session = fixtures::session(&mut conn, project, at(today(), 9), at(today(), 16), by);
        let allocation = fixtures::allocate(&mut conn, session, &person.crn, by);
        transaction::write(&mut conn, |conn| {
            let session = sessions::find(conn, session)?;
            assert_eq!(session.allocated, 1);
            let people = sessions::allocations(conn, session.id)?;
            assert_eq!(people[0].ordered_hours, 80);
            let opened = sessions::record_attendance(
                conn,
                &session,
                &people[0],
                &worked(420),
                by,
                today(),
                now,
            )?;
            assert_eq!(opened, Ok(Opened::Nothing));
            Ok::<_, StorageError>(())
        })
        .unwrap();
        let outcome: Option<String> = contacts::table
            .inner_join(upw_allocations::table.on(upw_allocations::contact_id.eq(contacts::id)))
            .filter(upw_allocations::id.eq(allocation.to_string()))
            .select(contacts::outcome)
            .first(&mut conn)
            .unwrap();
        assert_eq!(outcome.as_deref(), Some("attended"));
        let people = sessions::allocations(&mut conn, session).unwrap();
        assert_eq!(people[0].credited_minutes, 420);
        assert!(people[0].attendance.is_some());
        let orders =
            orders::for_person(&mut conn, person.id, today() - Duration::weeks(4), today())
                .unwrap();
        let order = orders.iter().find(|o| o.active).unwrap();
        assert_eq!(order.credited_minutes, 420);
        assert_eq!(order.recent_minutes, 420);
        assert_eq!(order.sessions.len(), 1);
        // A second attendance for the allocation is refused by the database.
        let again = transaction::write(&mut conn, |conn| {
            let session = sessions::find(conn, session)?;
            let people = sessions::allocations(conn, session.id)?;
            sessions::record_attendance(conn, &session, &people[0], &worked(60), by, today(), now)
                .map(|_| ())
        });
        assert!(again.is_err(), "a session is credited once");
    }
);

conformance!(
    a_full_session_and_a_second_session_the_same_day_are_refused,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let by = region.staff[0].id;
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 0).unwrap();
        let first = &region.people[0];
        let second = region
            .people
            .iter()
            .find(|p| p.pdu_id == first.pdu_id && p.id != first.id && !p.events.is_empty())
            .unwrap();
        fixtures::community_order(&mut conn, first.id, 80, today() - Duration::weeks(6));
        fixtures::community_order(&mut conn, second.id, 80, today() - Duration::weeks(6));
        let day = today() + Duration::days(3);
        let small = fixtures::project(
            &mut conn,
            first.pdu_id,
            ProjectSpec {
                capacity: 1,
                ..Default::default()
            },
            by,
        );
        let large = fixtures::project(
            &mut conn,
            first.pdu_id,
            ProjectSpec {
                capacity: 5,
                ..Default::default()
            },
            by,
        );
        let full = fixtures::session(&mut conn, small, at(day, 9), at(day, 16), by);
        let same_day = fixtures::session(&mut conn, large, at(day, 9), at(day, 16), by);
        fixtures::allocate(&mut conn, full, &first.crn, by);
        let refused = transaction::write(&mut conn, |conn| {
            let full = sessions::find(conn, full)?;
            let same_day = sessions::find(conn, same_day)?;
            let second = sessions::candidate(conn, full.pdu_id, &second.crn)?.unwrap();
            let first = sessions::candidate(conn, full.pdu_id, &first.crn)?.unwrap();
            Ok::<_, StorageError>((
                sessions::allocate(conn, &full, &second, by, now)?,
                sessions::allocate(conn, &same_day, &first, by, now)?,
            ))
        })
        .unwrap();
        assert_eq!(refused.0, Err(NotAllocated::Full { capacity: 1 }));
        assert!(matches!(refused.1, Err(NotAllocated::SameDay { .. })));
        let elsewhere = fixtures::another_pdu(&mut conn, first.pdu_id);
        let other_pdu = sessions::candidate(&mut conn, elsewhere, &first.crn).unwrap();
        assert_eq!(other_pdu, Err(NotAllocated::OtherPdu));
    }
);

conformance!(
    an_unacceptable_failure_to_attend_opens_a_warning_through_enforcement,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = &region.people[0];
        let by = region.staff[0].id;
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 0).unwrap();
        fixtures::community_order(&mut conn, person.id, 80, today() - Duration::weeks(6));
        let project = fixtures::project(
            &mut conn,
            person.pdu_id,
            ProjectSpec {
                capacity: 4,
                ..Default::default()
            },
            by,
        );
        let session = fixtures::session(&mut conn, project, at(today(), 9), at(today(), 16), by);
        fixtures::allocate(&mut conn, session, &person.crn, by);
        let opened = transaction::write(&mut conn, |conn| {
            let session = sessions::find(conn, session)?;
            let people = sessions::allocations(conn, session.id)?;
            let failed = NewAttendance {
                credit: Credit {
                    outcome: AttendanceOutcome::FailedToAttend,
                    quality: None,
                    behaviour: None,
                    worked_minutes: 0,
                    travel_minutes: 0,
                    ete_minutes: 0,
                },
                judgement: Some(Judgement::Unacceptable { reason: None }),
                notes: String::new(),
            };
            sessions::record_attendance(conn, &session, &people[0], &failed, by, today(), now)
        })
        .unwrap();
        assert!(matches!(opened, Ok(Opened::Warning(_))), "{opened:?}");
        assert_eq!(
            enforcement::warnings(&mut conn, person.id).unwrap().len(),
            1
        );
    }
);

conformance!(orders_behind_pace_are_listed_soonest_deadline_first, |db| {
    let region = with_small_region(db);
    let mut conn = conn(db);
    let first = &region.people[0];
    let second = region
        .people
        .iter()
        .find(|p| p.pdu_id == first.pdu_id && p.id != first.id && !p.events.is_empty())
        .unwrap();
    fixtures::community_order(&mut conn, first.id, 200, today() - Duration::weeks(20));
    fixtures::community_order(&mut conn, second.id, 200, today() - Duration::weeks(30));
    let rules = UnpaidWorkRules::default();
    let found = orders::at_risk(
        &mut conn,
        Scope::Pdu(first.pdu_id),
        &rules,
        today(),
        None,
        1000,
    )
    .unwrap();
    let at = |crn: &str| found.cases.iter().position(|c| c.crn == crn);
    let (a, b) = (at(&first.crn).unwrap(), at(&second.crn).unwrap());
    assert!(b < a, "the older order's deadline is sooner");
    assert!(found
        .cases
        .windows(2)
        .all(|w| match (w[0].deadline, w[1].deadline) {
            (Some(x), Some(y)) => x <= y,
            (None, Some(_)) => false,
            _ => true,
        }));
    // A page of one.
    let page = orders::at_risk(
        &mut conn,
        Scope::Pdu(first.pdu_id),
        &rules,
        today(),
        Some(2),
        1,
    )
    .unwrap();
    assert_eq!(page.cases.len(), 1);
    assert_eq!(page.page, 2);
});

conformance!(the_rules_in_force_are_read_by_their_effective_date, |db| {
    let mut conn = conn(db);
    assert_eq!(
        unpaid_work::rules(&mut conn, today()).unwrap(),
        UnpaidWorkRules::default()
    );
    let commenced = NaiveDate::from_ymd_opt(2027, 4, 1).unwrap();
    let act = UnpaidWorkRules {
        version: "unpaid-work-2027-04".into(),
        limit_removed_from: Some(commenced),
        ..UnpaidWorkRules::default()
    };
    unpaid_work::set_rules(&mut conn, commenced, &act).unwrap();
    assert_eq!(
        unpaid_work::rules(&mut conn, today()).unwrap().version,
        "unpaid-work-2026-12"
    );
    assert_eq!(unpaid_work::rules(&mut conn, commenced).unwrap(), act);
});

conformance!(
    the_demo_region_credits_no_order_beyond_its_hours_and_links_each_appointment,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        assert!(!region.unpaid_work.projects.is_empty());
        assert!(!region.unpaid_work.attendance.is_empty());
        let credited: Vec<(String, i32, i32, i32)> = upw_attendance::table
            .select((
                upw_attendance::requirement_id,
                upw_attendance::worked_minutes,
                upw_attendance::travel_minutes,
                upw_attendance::ete_minutes,
            ))
            .load(&mut conn)
            .unwrap();
        let mut totals = std::collections::HashMap::<String, i64>::new();
        for (requirement, w, t, e) in credited {
            *totals.entry(requirement).or_default() += i64::from(w + t + e);
        }
        for (requirement, total) in totals {
            let hours: Option<i32> = requirements::table
                .find(&requirement)
                .select(requirements::length)
                .first(&mut conn)
                .unwrap();
            assert!(
                total <= i64::from(hours.unwrap()) * 60,
                "{requirement}: {total}"
            );
        }
        let unlinked: i64 = contacts::table
            .inner_join(upw_allocations::table.on(upw_allocations::contact_id.eq(contacts::id)))
            .filter(contacts::requirement_id.is_null())
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(unlinked, 0);
        let failures = region
            .unpaid_work
            .attendance
            .iter()
            .filter(|a| a.outcome == AttendanceOutcome::FailedToAttend)
            .count();
        assert!(failures > 0, "some fail to attend");
        let pdu = region.unpaid_work.projects[0].pdu_id;
        let behind = orders::at_risk(
            &mut conn,
            Scope::Pdu(pdu),
            &UnpaidWorkRules::default(),
            today(),
            None,
            10_000,
        )
        .unwrap();
        assert!(behind.total > 0, "some orders are behind pace");
    }
);
