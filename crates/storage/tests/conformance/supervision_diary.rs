//! The diary, calendar feeds and the reminders outbox, on both backends.

use crate::conformance;
use crate::support::{conn, with_small_region};
use chrono::{Duration, NaiveDate};
use keepsafe_demo::DemoRegion;
use keepsafe_domain::supervision::contact::ContactStatus;
use keepsafe_domain::supervision::reminders::{reminder, OutboxStatus, ReminderChannel};
use keepsafe_domain::CodedValue;
use keepsafe_storage::supervision::calendar::{self, FeedToken};
use keepsafe_storage::supervision::diary::{self, Whose};
use keepsafe_storage::supervision::outbox::{self, Attempt, NewPreference};
use keepsafe_storage::testing::TestDatabase;
use keepsafe_test_support::diary::{arrange_in, Appointment};
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// po.demo's id, their team and one of their cases.
fn practitioner(region: &DemoRegion) -> (Uuid, Uuid, String) {
    let po = region
        .staff
        .iter()
        .find(|s| s.username.as_deref() == Some("po.demo"))
        .unwrap();
    let crn = region
        .people
        .iter()
        .find(|p| {
            p.allocations
                .iter()
                .any(|a| a.end_date.is_none() && a.staff_id == po.id)
        })
        .unwrap()
        .crn
        .clone();
    (po.id, po.team_id.unwrap(), crn)
}

fn cancel(db: &TestDatabase, contact: Uuid) {
    use diesel::prelude::*;
    use keepsafe_storage::schema::contacts;
    let mut conn = conn(db);
    diesel::update(contacts::table.find(contact.to_string()))
        .set(contacts::status.eq(ContactStatus::Cancelled.code()))
        .execute(&mut *conn)
        .unwrap();
}

conformance!(
    the_diary_lists_a_period_in_time_order_for_a_practitioner_and_their_team,
    |db| {
        let region = with_small_region(db);
        let (po, team, crn) = practitioner(&region);
        let appointment = |d: NaiveDate, t: &str, place: &str| {
            arrange_in(
                &db.database,
                &Appointment::new(&crn, "po.demo", d, t).at(place),
                po,
            )
        };
        appointment(day(2030, 6, 4), "15:00", "Afternoon");
        appointment(day(2030, 6, 4), "09:00", "Morning");
        appointment(day(2030, 6, 5), "09:00", "Next day");
        let mut conn = conn(db);
        let listed = diary::in_period(
            &mut conn,
            Whose::Staff(po),
            day(2030, 6, 4),
            day(2030, 6, 5),
        )
        .unwrap();
        let places: Vec<&str> = listed.iter().map(|e| e.location.as_str()).collect();
        assert_eq!(places, ["Morning", "Afternoon"]);
        assert_eq!(listed[0].crn, crn);
        assert!(listed[0].staff_name.is_some());
        let team_view = diary::in_period(
            &mut conn,
            Whose::Team(team),
            day(2030, 6, 4),
            day(2030, 6, 11),
        )
        .unwrap();
        assert_eq!(team_view.len(), 3);
    }
);

conformance!(
    appointments_without_an_outcome_come_oldest_first_a_page_at_a_time,
    |db| {
        let region = with_small_region(db);
        let (po, team, crn) = practitioner(&region);
        let oldest = arrange_in(
            &db.database,
            &Appointment::new(&crn, "po.demo", day(2019, 1, 7), "10:00"),
            po,
        );
        let second = arrange_in(
            &db.database,
            &Appointment::new(&crn, "po.demo", day(2019, 1, 14), "10:00"),
            po,
        );
        let cancelled = arrange_in(
            &db.database,
            &Appointment::new(&crn, "po.demo", day(2019, 1, 1), "10:00"),
            po,
        );
        cancel(db, cancelled);
        let now = keepsafe_test_support::clock::now().naive_utc();
        let mut conn = conn(db);
        let (first_page, total) =
            diary::without_outcome(&mut conn, Whose::Staff(po), now, 0, 1).unwrap();
        assert_eq!(first_page.len(), 1);
        assert_eq!(first_page[0].contact_id, oldest);
        let (next, same_total) =
            diary::without_outcome(&mut conn, Whose::Staff(po), now, 1, 1).unwrap();
        assert_eq!(next[0].contact_id, second);
        assert_eq!(total, same_total);
        let (team_page, team_total) =
            diary::without_outcome(&mut conn, Whose::Team(team), now, 0, 2).unwrap();
        assert_eq!(team_page[0].contact_id, oldest);
        assert!(team_total >= total);
    }
);

conformance!(
    a_renewed_feed_token_is_revoked_and_the_feed_leaves_out_cancelled_appointments,
    |db| {
        let region = with_small_region(db);
        let (po, _, crn) = practitioner(&region);
        let kept = arrange_in(
            &db.database,
            &Appointment::new(&crn, "po.demo", day(2026, 11, 25), "14:30").sensitive(),
            po,
        );
        let dropped = arrange_in(
            &db.database,
            &Appointment::new(&crn, "po.demo", day(2026, 11, 25), "16:30"),
            po,
        );
        cancel(db, dropped);
        let now = keepsafe_test_support::clock::now();
        let mut conn = conn(db);
        // The demo gives every practitioner an address already; the first is whichever is live.
        let first = calendar::live_or_issue(&mut conn, po, || "first-token".into(), now).unwrap();
        assert_eq!(
            calendar::live_or_issue(&mut conn, po, || "unused".into(), now).unwrap(),
            first
        );
        assert_eq!(
            calendar::find(&mut conn, &first).unwrap(),
            FeedToken::Live(po)
        );
        calendar::issue(&mut conn, po, "second-token", now).unwrap();
        assert!(matches!(
            calendar::find(&mut conn, &first).unwrap(),
            FeedToken::Revoked(_)
        ));
        assert_eq!(
            calendar::find(&mut conn, "nothing").unwrap(),
            FeedToken::Unknown
        );
        assert_eq!(
            calendar::live_token(&mut conn, po).unwrap().as_deref(),
            Some("second-token")
        );
        let feed =
            calendar::appointments(&mut conn, po, day(2026, 11, 25), day(2026, 11, 26)).unwrap();
        assert!(feed.iter().any(|a| a.id == kept && a.sensitive));
        assert!(feed.iter().all(|a| a.id != dropped));
    }
);

conformance!(
    reminders_are_written_once_per_appointment_and_attempts_are_recorded,
    |db| {
        let region = with_small_region(db);
        let (po, _, crn) = practitioner(&region);
        let tomorrow = day(2030, 6, 5);
        let contact = arrange_in(
            &db.database,
            &Appointment::new(&crn, "po.demo", tomorrow, "14:30").at("Reminder room"),
            po,
        );
        let now = keepsafe_test_support::clock::now();
        let mut conn = conn(db);
        let person = keepsafe_storage::cases::record::locate(&mut conn, &crn)
            .unwrap()
            .unwrap()
            .person_id;
        outbox::set_preference(
            &mut conn,
            person,
            &NewPreference {
                channel: ReminderChannel::Email,
                mobile: None,
                email: Some("sam@example.com".into()),
                consent_on: Some(day(2026, 11, 20)),
            },
            po,
            now,
        )
        .unwrap();
        let send_after = now.naive_utc();
        let written =
            outbox::queue_reminders(&mut conn, tomorrow, send_after, reminder, now).unwrap();
        assert!(written >= 1);
        assert_eq!(
            outbox::queue_reminders(&mut conn, tomorrow, send_after, reminder, now).unwrap(),
            0,
            "at most one per appointment"
        );
        let due = outbox::due(&mut conn, now, 100).unwrap();
        let message = due.iter().find(|m| m.contact_id == Some(contact)).unwrap();
        assert_eq!(message.recipient, "sam@example.com");
        assert!(message.body.contains("Reminder room"));
        assert_eq!(
            message.appointment_at,
            Some(tomorrow.and_hms_opt(14, 30, 0).unwrap())
        );
        let retry_at = now.naive_utc() + Duration::minutes(1);
        outbox::record_attempt(
            &mut conn,
            message.id,
            &Attempt::Retry {
                error: "refused".into(),
                at: retry_at,
            },
            now,
        )
        .unwrap();
        let stored = outbox::find(&mut conn, message.id).unwrap();
        assert_eq!((stored.status, stored.attempts), (OutboxStatus::Queued, 1));
        assert!(outbox::due(&mut conn, now, 100)
            .unwrap()
            .iter()
            .all(|m| m.id != message.id));
        outbox::record_attempt(
            &mut conn,
            message.id,
            &Attempt::Sent { reference: None },
            now,
        )
        .unwrap();
        let stored = outbox::find(&mut conn, message.id).unwrap();
        assert_eq!((stored.status, stored.attempts), (OutboxStatus::Sent, 2));
        assert_eq!(
            outbox::appointment_now(&mut conn, contact).unwrap(),
            Some((true, tomorrow.and_hms_opt(14, 30, 0).unwrap()))
        );

        // Choosing no reminders cancels what is still waiting.
        let other = arrange_in(
            &db.database,
            &Appointment::new(&crn, "po.demo", day(2030, 6, 6), "10:00"),
            po,
        );
        outbox::queue_reminders(&mut conn, day(2030, 6, 6), send_after, reminder, now).unwrap();
        outbox::set_preference(
            &mut conn,
            person,
            &NewPreference {
                channel: ReminderChannel::None,
                mobile: None,
                email: None,
                consent_on: None,
            },
            po,
            now,
        )
        .unwrap();
        let waiting = outbox::for_person(&mut conn, person, 100).unwrap();
        let cancelled = waiting
            .iter()
            .find(|m| m.contact_id == Some(other))
            .unwrap();
        assert_eq!(cancelled.status, OutboxStatus::Cancelled);
    }
);
