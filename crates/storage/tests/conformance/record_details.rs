//! Keeping the record current (migration 17): personal details, aliases, disabilities, personal
//! contacts, date-of-birth corrections, and registrations reviewed, ended and due for review —
//! the same on both backends.

use crate::conformance;
use crate::support::{conn, today, with_small_region};
use chrono::{DateTime, Duration, TimeZone, Utc};
use keepsafe_domain::person::{DateOfBirthCorrection, DisabilityKind, Gender, PersonalContactKind};
use keepsafe_domain::registration::{
    MappaCategory, MappaLevel, RegistrationDetail, RegistrationKind,
};
use keepsafe_domain::review::ReviewTrigger;
use keepsafe_storage::cases::details::{self, NewAlias, NewDisability, PersonalContactFields};
use keepsafe_storage::cases::registrations::{self, Caseload, NewRegistration, NewReview};
use keepsafe_storage::cases::tasks;
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use uuid::Uuid;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
}

fn write<T>(
    conn: &mut AnyConnection,
    work: impl FnOnce(&mut AnyConnection) -> Result<T, StorageError>,
) -> T {
    transaction::write(conn, work).unwrap()
}

/// po.demo's id and a person they manage.
fn officer_and_case(region: &keepsafe_demo::DemoRegion) -> (Uuid, Uuid) {
    let officer = region
        .staff
        .iter()
        .find(|s| s.username.as_deref() == Some("po.demo"))
        .unwrap()
        .id;
    let person = region
        .people
        .iter()
        .find(|p| {
            p.allocations
                .iter()
                .any(|a| a.end_date.is_none() && a.staff_id == officer)
        })
        .unwrap()
        .id;
    (officer, person)
}

conformance!(
    personal_details_aliases_disabilities_and_contacts_are_kept_and_ended_not_deleted,
    |db| {
        let region = with_small_region(db);
        let (by, person) = officer_and_case(&region);
        let mut conn = conn(db);
        let before = details::personal_details(&mut conn, person).unwrap();
        assert_eq!(before.gender, None, "new columns default to not recorded");
        assert!(!before.interpreter_needed);
        let mut changed = before.clone();
        changed.gender = Some(Gender::NonBinary);
        changed.mobile = Some("07700900982".into());
        changed.interpreter_needed = true;
        let returned = write(&mut conn, |c| {
            details::update_personal_details(c, person, &changed)
        });
        assert_eq!(returned, before);
        assert_eq!(
            details::personal_details(&mut conn, person).unwrap(),
            changed
        );
        assert_eq!(
            changed.changes_from(&before),
            [
                r#"gender: "" → "non_binary""#,
                r#"mobile: "" → "07700900982""#,
                r#"interpreter_needed: "false" → "true""#
            ]
        );

        let alias = write(&mut conn, |c| {
            details::add_alias(
                c,
                person,
                &NewAlias {
                    first_name: "Jo".into(),
                    last_name: "Blogs".into(),
                    date_of_birth: None,
                },
                by,
                now(),
            )
        });
        let ended = write(&mut conn, |c| {
            details::end_alias(c, person, alias, by, today())
        });
        assert_eq!(ended.ended_on, None, "returned as it was");
        let again = transaction::write(&mut conn, |c| {
            details::end_alias(c, person, alias, by, today())
        });
        assert!(matches!(again, Err(StorageError::Conflict(_))));
        let other = region.people.iter().find(|p| p.id != person).unwrap().id;
        let elsewhere = transaction::write(&mut conn, |c| {
            details::end_alias(c, other, alias, by, today())
        });
        assert!(
            matches!(elsewhere, Err(StorageError::NotFound)),
            "another person's alias"
        );

        let disability = write(&mut conn, |c| {
            details::add_disability(
                c,
                person,
                &NewDisability {
                    kind: DisabilityKind::Hearing,
                    details: String::new(),
                    adjustments: "Hearing loop".into(),
                    start_date: today(),
                },
                by,
                now(),
            )
        });
        write(&mut conn, |c| {
            details::end_disability(c, person, disability, by, today())
        });

        let fields = PersonalContactFields {
            kind: PersonalContactKind::Gp,
            name: "Dr Patel".into(),
            relationship: "Riverside Surgery".into(),
            telephone: Some("01632960123".into()),
            email: None,
            address: String::new(),
            notes: String::new(),
        };
        let contact = write(&mut conn, |c| {
            details::add_personal_contact(c, person, &fields, by, now())
        });
        let moved = PersonalContactFields {
            relationship: "Hillside Surgery".into(),
            ..fields.clone()
        };
        let was = write(&mut conn, |c| {
            details::update_personal_contact(c, person, contact, &moved, now())
        });
        assert_eq!(was.fields, fields);
        write(&mut conn, |c| {
            details::end_personal_contact(c, person, contact, by, today())
        });
        let changed_after_end = transaction::write(&mut conn, |c| {
            details::update_personal_contact(c, person, contact, &fields, now())
        });
        assert!(matches!(changed_after_end, Err(StorageError::Conflict(_))));

        let record = details::load(&mut conn, person).unwrap();
        assert_eq!(record.aliases.len(), 1);
        assert_eq!(record.aliases[0].ended_on, Some(today()));
        assert_eq!(record.disabilities[0].end_date, Some(today()));
        assert_eq!(record.disabilities[0].adjustments, "Hearing loop");
        assert_eq!(record.contacts[0].fields.relationship, "Hillside Surgery");
        assert_eq!(record.contacts[0].ended_on, Some(today()));
    }
);

conformance!(
    a_date_of_birth_correction_is_kept_with_its_reason_and_guarded_against_a_change_meanwhile,
    |db| {
        let region = with_small_region(db);
        let (by, person) = officer_and_case(&region);
        let mut conn = conn(db);
        let before = details::date_of_birth(&mut conn, person).unwrap();
        let after = before - Duration::days(400);
        let correction =
            DateOfBirthCorrection::new(before, Some(after), "Passport", today()).unwrap();
        write(&mut conn, |c| {
            details::correct_date_of_birth(c, person, &correction, by, now())
        });
        assert_eq!(details::date_of_birth(&mut conn, person).unwrap(), after);
        let kept = details::corrections(&mut conn, person).unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(
            (kept[0].before.as_str(), kept[0].after.as_str()),
            (before.to_string().as_str(), after.to_string().as_str())
        );
        assert_eq!(kept[0].reason, "Passport");
        // The same correction again starts from a date no longer recorded.
        let stale = transaction::write(&mut conn, |c| {
            details::correct_date_of_birth(c, person, &correction, by, now())
        });
        assert!(matches!(stale, Err(StorageError::Conflict(_))));
    }
);

conformance!(
    registrations_are_reviewed_ended_and_listed_when_their_review_falls_due,
    |db| {
        let region = with_small_region(db);
        let (by, person) = officer_and_case(&region);
        let mut conn = conn(db);
        // The MAPPA registration's review task is for an assessment in force.
        write(&mut conn, |c| {
            keepsafe_test_support::risk::assessment_in_force(c, person, by)
        });
        let tasks_before = tasks::for_person(&mut conn, person).unwrap().len();
        let detail = RegistrationDetail::new(
            RegistrationKind::Mappa,
            Some(MappaCategory::ViolentOffender),
            Some(MappaLevel::SeniorOversight),
        )
        .unwrap();
        let (id, consequences) = write(&mut conn, |c| {
            registrations::add(
                c,
                person,
                &NewRegistration {
                    detail,
                    registered_on: today() - Duration::weeks(9),
                    next_review_on: today() - Duration::days(1),
                    notes: "Panel referral".into(),
                },
                by,
                now(),
            )
        });
        let (_, due) = consequences
            .review_task
            .expect("a MAPPA registration is a change");
        let all = tasks::for_person(&mut conn, person).unwrap();
        assert_eq!(all.len(), tasks_before + 1);
        assert!(all
            .iter()
            .any(|t| t.trigger == ReviewTrigger::MappaChange && t.due_on == due));

        let due_reviews =
            registrations::due_for_review(&mut conn, Caseload::Staff(by), today()).unwrap();
        assert!(due_reviews.iter().any(|d| d.registration_id == id));
        let pdu = region
            .people
            .iter()
            .find(|p| p.id == person)
            .unwrap()
            .pdu_id;
        let in_pdu = registrations::due_for_review(&mut conn, Caseload::Pdu(pdu), today()).unwrap();
        assert!(in_pdu.iter().any(|d| d.registration_id == id));

        // Confirming the same level is not a change; the next review moves on.
        let (before, confirmed) = write(&mut conn, |c| {
            registrations::review(
                c,
                person,
                id,
                &NewReview {
                    reviewed_on: today(),
                    notes: "Still level 3".into(),
                    next_review_on: today() + Duration::weeks(8),
                    mappa: Some((MappaCategory::ViolentOffender, MappaLevel::SeniorOversight)),
                    rule_version: "test".into(),
                },
                by,
                now(),
            )
        });
        assert_eq!(before.next_review_on, Some(today() - Duration::days(1)));
        assert_eq!(confirmed.review_task, None);
        let listed =
            registrations::due_for_review(&mut conn, Caseload::Staff(by), today()).unwrap();
        assert!(!listed.iter().any(|d| d.registration_id == id), "reviewed");
        let entry = registrations::registration(&mut conn, person, id).unwrap();
        assert_eq!(entry.reviews.len(), 1);
        assert_eq!(entry.reviews[0].notes, "Still level 3");

        write(&mut conn, |c| {
            registrations::end(c, person, id, "Panel ended management", by, now())
        });
        let ended = registrations::registration(&mut conn, person, id).unwrap();
        assert_eq!(ended.ended_on, Some(now().date_naive()));
        assert_eq!(ended.end_reason.as_deref(), Some("Panel ended management"));
        let review_after_end = transaction::write(&mut conn, |c| {
            registrations::review(
                c,
                person,
                id,
                &NewReview {
                    reviewed_on: today(),
                    notes: "Too late".into(),
                    next_review_on: today() + Duration::weeks(8),
                    mappa: None,
                    rule_version: "test".into(),
                },
                by,
                now(),
            )
        });
        assert!(matches!(review_after_end, Err(StorageError::Conflict(_))));
    }
);
