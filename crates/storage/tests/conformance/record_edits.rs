//! Editing the addresses and household on the record: a move makes the proposed address main and
//! the old one previous, and everything that reads "where they live" reads the new one; members
//! join and leave; changes made on stale values are refused; and the consequences follow.

use crate::conformance;
use crate::support::{conn, today, with_small_region};
use chrono::{Duration, TimeZone, Utc};
use keepsafe_demo::Person;
use keepsafe_domain::address::{AddressStatus, Postcode};
use keepsafe_domain::household::Relationship;
use keepsafe_domain::review::ChangeKind;
use keepsafe_storage::cases::addresses::{self, NewAddress};
use keepsafe_storage::cases::consequences;
use keepsafe_storage::cases::household::{self, NewMember};
use keepsafe_storage::cases::record;
use keepsafe_storage::risk::scores;
use keepsafe_storage::{transaction, StorageError};

/// Someone living at one address (main, since before the move below), supervised for more than
/// a month (so the changes below happen during their supervision).
fn settled(people: &[Person]) -> &Person {
    people
        .iter()
        .find(|p| {
            let current: Vec<_> = p
                .addresses
                .iter()
                .filter(|a| a.end_date.is_none())
                .collect();
            current.len() == 1
                && current[0].status == AddressStatus::Main
                && current[0].start_date < today() - Duration::days(30)
                && p.events.iter().any(|e| {
                    e.active
                        && e.sentence_date.unwrap_or(e.conviction_date)
                            < today() - Duration::days(30)
                })
        })
        .expect("someone settled at a main address")
}

fn new_home() -> NewAddress {
    NewAddress {
        line1: "4 Orchard Row".into(),
        line2: Some("Flat 2".into()),
        town: "Midchester".into(),
        postcode: Postcode::parse("mc14zz").unwrap(),
        start_date: today() - Duration::days(3),
    }
}

conformance!(
    a_move_makes_the_proposed_address_main_the_old_one_previous_and_checks_read_the_new_one,
    |db| {
        let region = with_small_region(db);
        let person = settled(&region.people);
        let old = person
            .addresses
            .iter()
            .find(|a| a.end_date.is_none())
            .unwrap();
        let mut conn = conn(db);
        let proposed = transaction::write(&mut conn, |conn| {
            addresses::propose(conn, person.id, &new_home())
        })
        .unwrap();
        assert_eq!(proposed.status, AddressStatus::Proposed);
        assert_eq!(proposed.postcode, "MC1 4ZZ");
        let still_home = record::current_address(&mut conn, person.id, today())
            .unwrap()
            .unwrap();
        assert_eq!(
            still_home.id, old.id,
            "a proposed address is nobody's home yet"
        );

        let moved_on = today() - Duration::days(2);
        let moved = transaction::write(&mut conn, |conn| {
            addresses::make_main(conn, person.id, proposed.id, moved_on)
        })
        .unwrap();
        assert_eq!(moved.left.len(), 1);
        assert_eq!(moved.left[0].id, old.id);
        assert_eq!(
            (
                moved.main.status,
                moved.main.start_date,
                moved.main.end_date
            ),
            (AddressStatus::Main, moved_on, None)
        );
        let all = record::addresses(&mut conn, person.id).unwrap();
        let previous = all.iter().find(|a| a.id == old.id).unwrap();
        assert_eq!(
            (previous.status, previous.end_date),
            (AddressStatus::Previous, Some(moved_on))
        );
        let home = record::current_address(&mut conn, person.id, today())
            .unwrap()
            .unwrap();
        assert_eq!(home.id, proposed.id);
        assert_eq!(home.description, "4 Orchard Row, Midchester");
        let bulk = record::current_addresses(&mut conn, &[person.id], today()).unwrap();
        assert_eq!(
            bulk[&person.id].id, proposed.id,
            "the bulk checks read it too"
        );

        // The same move again: the address is no longer proposed.
        let again = transaction::write(&mut conn, |conn| {
            addresses::make_main(conn, person.id, proposed.id, moved_on)
        });
        assert!(matches!(again, Err(StorageError::Conflict(_))), "{again:?}");
        // Ending it twice: the second finds it ended.
        transaction::write(&mut conn, |conn| {
            addresses::end(conn, person.id, proposed.id, today())
        })
        .unwrap();
        let twice = transaction::write(&mut conn, |conn| {
            addresses::end(conn, person.id, proposed.id, today())
        });
        assert!(matches!(twice, Err(StorageError::Conflict(_))), "{twice:?}");
    }
);

conformance!(
    an_address_proposed_by_an_address_check_is_not_ended_here,
    |db| {
        use keepsafe_domain::address_suitability::CurfewPurpose;
        use keepsafe_storage::risk::address_checks;
        let region = with_small_region(db);
        let person = settled(&region.people);
        let by = region.staff[0].id;
        let mut conn = conn(db);
        let check = transaction::write(&mut conn, |conn| {
            address_checks::start(
                conn,
                person.id,
                &address_checks::NewAddress {
                    line1: "9 Mill Lane".into(),
                    town: "Midchester".into(),
                    postcode: "MC1 9ZZ".into(),
                },
                CurfewPurpose::HomeDetentionCurfew,
                by,
                keepsafe_test_support::clock::now(),
            )
        })
        .unwrap();
        let stored = address_checks::load(&mut conn, person.id, check, today()).unwrap();
        let held = addresses::under_address_check(&mut conn, person.id).unwrap();
        assert_eq!(held, [stored.check.address.id]);
        let ended = transaction::write(&mut conn, |conn| {
            addresses::end(conn, person.id, stored.check.address.id, today())
        });
        assert!(matches!(ended, Err(StorageError::Conflict(_))), "{ended:?}");
        let changes =
            consequences::changes_in_circumstances(&mut conn, person.id, today()).unwrap();
        assert!(
            !changes.iter().any(|c| c.kind
                == ChangeKind::NewAddress {
                    address_id: stored.check.address.id
                }),
            "a proposed address is not a move"
        );
    }
);

conformance!(
    household_members_join_leave_and_are_corrected_only_from_what_was_seen,
    |db| {
        let region = with_small_region(db);
        let person = settled(&region.people);
        let mut conn = conn(db);
        let joined_on = today() - Duration::days(5);
        let child = transaction::write(&mut conn, |conn| {
            household::add(
                conn,
                person.id,
                &NewMember {
                    first_name: "Mia".into(),
                    last_name: "Ward".into(),
                    relationship: Relationship::Child,
                    date_of_birth: Some(today() - Duration::days(4 * 365)),
                    joined_on,
                },
            )
        })
        .unwrap();
        let changes =
            consequences::changes_in_circumstances(&mut conn, person.id, today()).unwrap();
        assert!(
            changes
                .iter()
                .any(|c| c.on == joined_on
                    && c.kind == ChangeKind::NewHouseholdMember { child: true })
        );

        let seen = (Relationship::Child, child.date_of_birth);
        let (_, corrected) = transaction::write(&mut conn, |conn| {
            household::correct(
                conn,
                person.id,
                child.id,
                seen,
                Relationship::Stepchild,
                None,
            )
        })
        .unwrap();
        assert_eq!(
            (corrected.relationship, corrected.date_of_birth),
            (Relationship::Stepchild, None)
        );
        let stale = transaction::write(&mut conn, |conn| {
            household::correct(conn, person.id, child.id, seen, Relationship::Child, None)
        });
        assert!(matches!(stale, Err(StorageError::Conflict(_))), "{stale:?}");

        let (before, after) = transaction::write(&mut conn, |conn| {
            household::left(conn, person.id, child.id, today())
        })
        .unwrap();
        assert_eq!((before.end_date, after.end_date), (None, Some(today())));
        let twice = transaction::write(&mut conn, |conn| {
            household::left(conn, person.id, child.id, today())
        });
        assert!(matches!(twice, Err(StorageError::Conflict(_))), "{twice:?}");
        let members = record::household(&mut conn, person.id).unwrap();
        assert!(members
            .iter()
            .any(|m| m.id == child.id && m.end_date == Some(today())));
    }
);

conformance!(
    following_a_change_recomputes_the_tiers_in_the_same_transaction,
    |db| {
        let region = with_small_region(db);
        let person = settled(&region.people);
        let by = region.staff[0].id;
        let mut conn = conn(db);
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 15, 30, 0).unwrap();
        let done = transaction::write(&mut conn, |conn| {
            consequences::follow(conn, person.id, None, by, now)
        })
        .unwrap();
        assert_eq!(done.review, None, "no review asked for");
        let tier = scores::for_person(&mut conn, person.id)
            .unwrap()
            .tier
            .unwrap();
        assert_eq!(tier.computed_at, now.naive_utc());
    }
);
