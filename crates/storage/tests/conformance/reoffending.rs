//! Reoffending outcomes: a conviction is recorded against one of the person's own sentences only,
//! read back with who recorded it, and the region's follow-ups carry OGRS3's forecast worked out
//! from the record, and every conviction of the person but the sentence's own.

use crate::conformance;
use crate::support::{conn, today, with_small_region};
use chrono::Duration;
use keepsafe_domain::reoffending::{follow_up, FollowUpOutcome, FollowUpPeriod, ReoffendingRules};
use keepsafe_storage::reoffending::{cohort, convictions};
use keepsafe_storage::{transaction, StorageError};
use keepsafe_test_support::reoffending::{convicted, finished_sentence};

conformance!(
    a_recorded_conviction_is_read_back_and_counts_in_the_regions_follow_up_of_its_sentence,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = &region.people[0];
        let by = region
            .staff
            .iter()
            .find(|staff| staff.pdu_id == Some(person.pdu_id))
            .unwrap();
        let start = today() - Duration::days(3 * 365);
        let event = finished_sentence(&mut conn, person.id, start, None, 4);
        let offence_on = start + Duration::days(100);
        let id = convicted(
            &mut conn,
            person.id,
            event,
            offence_on,
            offence_on + Duration::days(40),
            by.id,
        );

        let recorded = convictions::for_person(&mut conn, person.id).unwrap();
        let ours = recorded.iter().find(|c| c.id == id).expect("read back");
        assert_eq!(ours.event_id, event);
        assert_eq!(ours.offence_on, offence_on);
        assert_eq!(
            ours.recorded_by,
            format!("{} {}", by.first_name, by.last_name)
        );

        let members = cohort::members(&mut conn, region.region.id, today()).unwrap();
        let member = members
            .iter()
            .find(|member| member.event == event)
            .expect("the sentence's follow-up is in the cohort");
        assert_eq!(member.start, start);
        let forecast = member.ogrs3.expect("OGRS3 reads the recorded history");
        assert!(forecast.one_year < forecast.two_year);
        let rules = ReoffendingRules::default();
        let result = follow_up(
            start,
            FollowUpPeriod::OneYear,
            &member.reconvictions,
            &rules,
            today(),
        );
        assert!(
            matches!(result.outcome, FollowUpOutcome::Reoffended(first) if first.offence_on == offence_on),
            "{result:?}"
        );
        // The sentence's own conviction is not counted as reoffending after it.
        assert!(member
            .reconvictions
            .iter()
            .all(|conviction| conviction.offence_on != start - Duration::days(90)));
    }
);

conformance!(
    a_conviction_cannot_be_recorded_against_another_persons_sentence,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let (first, second) = (&region.people[0], &region.people[1]);
        let event = finished_sentence(&mut conn, first.id, today() - Duration::days(800), None, 2);
        let conviction = keepsafe_domain::reoffending::NewConviction {
            offence: "Criminal damage".into(),
            offence_category: keepsafe_domain::event::OffenceCategory::CriminalDamage,
            offence_on: today() - Duration::days(300),
            convicted_on: today() - Duration::days(200),
            court: String::new(),
        };
        let refused = transaction::write(&mut conn, |conn| {
            convictions::record(
                conn,
                second.id,
                event,
                &conviction,
                region.staff[0].id,
                keepsafe_test_support::clock::now(),
            )
        });
        assert!(
            matches!(refused, Err(StorageError::NotFound)),
            "{refused:?}"
        );
        assert!(convictions::for_person(&mut conn, second.id)
            .unwrap()
            .iter()
            .all(|c| c.event_id != event));
    }
);
