//! MAPPA meetings: recording one reviews the MAPPA registration in the same transaction (level,
//! category, next review), the meetings are kept newest first with their agencies, the MAPPA list
//! shows each case's last meeting in its scope and at its level, and a registration of another
//! kind cannot have a meeting.

use crate::conformance;
use crate::support::{conn, today, with_small_region};
use chrono::{Duration, TimeZone, Utc};
use keepsafe_domain::mappa::{MappaAgency, MeetingDraft};
use keepsafe_domain::registration::{
    MappaCategory, MappaLevel, RegistrationDetail, RegistrationKind, RegistrationReviewRules,
};
use keepsafe_storage::cases::registrations::{self, NewRegistration};
use keepsafe_storage::mappa::list::{self, MappaScope};
use keepsafe_storage::mappa::meetings;
use keepsafe_storage::{transaction, StorageError};

fn meeting(held_days_ago: i64, level: MappaLevel) -> keepsafe_domain::mappa::MeetingFacts {
    MeetingDraft {
        held_on: Some(today() - Duration::days(held_days_ago)),
        category: Some(MappaCategory::OtherDangerous),
        level: Some(level),
        chair: "DI Sam Morgan".into(),
        agencies: vec![
            MappaAgency::Police,
            MappaAgency::Probation,
            MappaAgency::ChildrensServices,
        ],
        decisions: "Monitor the exclusion zone; share the address with children's services.".into(),
        next_meeting_on: None,
    }
    .check(
        today() - Duration::weeks(40),
        today(),
        &RegistrationReviewRules::default(),
    )
    .unwrap()
}

conformance!(
    a_meeting_reviews_the_mappa_registration_and_appears_on_the_list_with_its_date,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = region.people[0].id;
        let by = region.staff[0].id;
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap();
        let registration = keepsafe_test_support::mappa::registered(
            &mut conn,
            person,
            MappaLevel::ActiveMultiAgency,
            today() - Duration::weeks(40),
            today() + Duration::weeks(2),
            by,
        )
        .unwrap();
        let older = meeting(70, MappaLevel::ActiveMultiAgency);
        let newer = meeting(7, MappaLevel::SeniorOversight);
        for facts in [&older, &newer] {
            transaction::write(&mut conn, |conn| {
                meetings::record(conn, person, registration, facts, by, now)
            })
            .unwrap();
        }
        let entry = registrations::registration(&mut conn, person, registration).unwrap();
        assert_eq!(entry.mappa_level, Some(MappaLevel::SeniorOversight));
        assert_eq!(entry.mappa_category, Some(MappaCategory::OtherDangerous));
        assert_eq!(entry.next_review_on, Some(newer.next_meeting_on));
        assert_eq!(entry.reviews.len(), 2, "each meeting is a review");

        let held = meetings::for_person(&mut conn, person).unwrap();
        assert_eq!(
            held.iter().map(|m| m.held_on).collect::<Vec<_>>(),
            vec![newer.held_on, older.held_on],
            "newest first"
        );
        assert_eq!(held[0].agencies, newer.agencies);

        let scope = MappaScope::Region(region.region.id);
        let level_3 = list::page(
            &mut conn,
            scope,
            Some(MappaLevel::SeniorOversight),
            None,
            500,
        )
        .unwrap();
        let listed = level_3
            .cases
            .iter()
            .find(|c| c.registration_id == registration)
            .expect("the case is listed at level 3");
        assert_eq!(listed.last_meeting_on, Some(newer.held_on));
        assert_eq!(listed.next_review_on, Some(newer.next_meeting_on));
        let level_2 = list::page(
            &mut conn,
            scope,
            Some(MappaLevel::ActiveMultiAgency),
            None,
            500,
        )
        .unwrap();
        assert!(level_2
            .cases
            .iter()
            .all(|c| c.registration_id != registration));
        let dates: Vec<_> = level_3
            .cases
            .iter()
            .filter_map(|c| c.next_review_on)
            .collect();
        assert!(
            dates.windows(2).all(|w| w[0] <= w[1]),
            "soonest review first"
        );
    }
);

conformance!(
    a_page_beyond_the_last_is_the_last_page_and_counts_every_case,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let scope = MappaScope::Region(region.region.id);
        let all = list::page(&mut conn, scope, None, None, 1000).unwrap();
        let far = list::page(&mut conn, scope, None, Some(usize::MAX), 2).unwrap();
        assert_eq!(far.total, all.total);
        assert_eq!(far.page, far.pages);
        assert_eq!(far.pages, all.total.div_ceil(2).max(1));
    }
);

conformance!(
    a_meeting_cannot_be_recorded_on_a_registration_of_another_kind,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = region.people[1].id;
        let by = region.staff[0].id;
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap();
        let stalking = transaction::write(&mut conn, |conn| {
            registrations::add(
                conn,
                person,
                &NewRegistration {
                    detail: RegistrationDetail::new(RegistrationKind::Stalking, None, None)
                        .unwrap(),
                    registered_on: today() - Duration::weeks(2),
                    next_review_on: today() + Duration::weeks(10),
                    notes: String::new(),
                },
                by,
                now,
            )
        })
        .unwrap()
        .0;
        let refused = transaction::write(&mut conn, |conn| {
            meetings::record(
                conn,
                person,
                stalking,
                &meeting(1, MappaLevel::ActiveMultiAgency),
                by,
                now,
            )
        });
        assert!(
            matches!(refused, Err(StorageError::NotFound)),
            "{refused:?}"
        );
        assert!(meetings::for_person(&mut conn, person).unwrap().is_empty());
    }
);
