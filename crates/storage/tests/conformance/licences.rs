//! Licences and release: versions written, approved by someone other than their author, varied
//! with a reason and kept as a timeline; the prison's dates scheduling the handover and release
//! tasks, listed from their day; release making the case a licence case in one transaction.

use crate::conformance;
use crate::support::{conn, with_small_region};
use chrono::NaiveDate;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::licences::{
    AddressState, ConditionDetails, LicenceCondition, LicenceRules, LicenceStatus, PrisonDates,
    VersionKind,
};
use keepsafe_domain::staff::Grade;
use keepsafe_domain::CodedValue;
use keepsafe_storage::cases::tasks::TaskScope;
use keepsafe_storage::licences::{licence, prerelease, STALE_MESSAGE};
use keepsafe_storage::quality::{units, Unit};
use keepsafe_storage::schema::events;
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use keepsafe_test_support::clock::now;
use keepsafe_test_support::licences::custody_case;
use uuid::Uuid;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

struct Case {
    person: Uuid,
    event: Uuid,
    pdu: Uuid,
    po: Uuid,
    spo: Uuid,
    head: Uuid,
}

/// A case of the small region's first PDU made a custody case sentenced to 24 months on
/// 1 June 2026, and a practitioner, senior officer and head of that PDU.
fn custody(db: &keepsafe_storage::testing::TestDatabase, conn: &mut AnyConnection) -> Case {
    let region = with_small_region(db);
    let pdu = region.pdus[0].id;
    let of = |grade| {
        region
            .staff
            .iter()
            .find(|s| s.grade == grade && s.pdu_id == Some(pdu))
            .unwrap()
            .id
    };
    let person = units::live_cases(conn, Unit::Pdu(pdu)).unwrap()[0].person_id;
    let event = custody_case(conn, person, date(2026, 6, 1), 24);
    Case {
        person,
        event,
        pdu,
        po: of(Grade::ProbationOfficer),
        spo: of(Grade::SeniorProbationOfficer),
        head: of(Grade::HeadOfPdu),
    }
}

fn zone(area: &str) -> LicenceCondition {
    LicenceCondition {
        catalogue_code: Some("exclusion_zone".into()),
        wording: "Not to enter the area described below.".into(),
        details: ConditionDetails::ExclusionZone { area: area.into() },
        victim_request: None,
    }
}

fn curfew() -> LicenceCondition {
    LicenceCondition {
        catalogue_code: Some("curfew".into()),
        wording: "Confine yourself to the approved address.".into(),
        details: ConditionDetails::Curfew {
            from: chrono::NaiveTime::from_hms_opt(19, 0, 0).unwrap(),
            to: chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
        },
        victim_request: None,
    }
}

fn load(conn: &mut AnyConnection, event: Uuid) -> licence::LicenceRecord {
    licence::for_event(conn, event).unwrap().unwrap()
}

/// Writes, submits and approves (by the senior officer) a first version with `conditions`.
fn approved_licence(
    conn: &mut AnyConnection,
    case: &Case,
    conditions: &[LicenceCondition],
) -> Uuid {
    let id = transaction::write(conn, |c| {
        licence::start(c, case.person, case.event, case.po, now())
    })
    .unwrap();
    for condition in conditions {
        let current = load(conn, case.event);
        let version = current.open().unwrap().clone();
        transaction::write(conn, |c| {
            licence::add_condition(c, &current, version.id, version.lock, condition)
        })
        .unwrap();
    }
    let current = load(conn, case.event);
    let version = current.open().unwrap().clone();
    transaction::write(conn, |c| {
        licence::submit(c, &current, version.id, version.lock, now())
    })
    .unwrap();
    let current = load(conn, case.event);
    let address = AddressState::Approved {
        on: date(2026, 11, 20),
    };
    transaction::write(conn, |c| {
        licence::approve(
            c,
            &current,
            version.id,
            version.lock + 1,
            address,
            case.spo,
            Grade::SeniorProbationOfficer,
            now(),
        )
    })
    .unwrap();
    id
}

conformance!(
    a_licence_keeps_every_approved_version_and_what_changed,
    |db| {
        let mut conn = conn(db);
        let case = custody(db, &mut conn);
        transaction::write(&mut conn, |c| {
            licence::start(c, case.person, case.event, case.po, now())
        })
        .unwrap();
        let current = load(&mut conn, case.event);
        let draft = current.open().unwrap().clone();
        transaction::write(&mut conn, |c| {
            licence::add_condition(c, &current, draft.id, draft.lock, &curfew())
        })
        .unwrap();
        let stale = transaction::write(&mut conn, |c| {
            licence::add_condition(c, &current, draft.id, draft.lock, &zone("Old Town"))
        });
        assert!(matches!(stale, Err(StorageError::Conflict(ref m)) if m == STALE_MESSAGE));
        let current = load(&mut conn, case.event);
        let draft = current.open().unwrap().clone();
        transaction::write(&mut conn, |c| {
            licence::add_condition(c, &current, draft.id, draft.lock, &zone("Old Town"))
        })
        .unwrap();
        let current = load(&mut conn, case.event);
        let draft = current.open().unwrap().clone();
        assert_eq!(draft.conditions.len(), 2);
        transaction::write(&mut conn, |c| {
            licence::submit(c, &current, draft.id, draft.lock, now())
        })
        .unwrap();
        let current = load(&mut conn, case.event);
        let waiting = current.open().unwrap().clone();
        assert_eq!(waiting.status, LicenceStatus::AwaitingApproval);

        // The author cannot approve; nor can anyone while the curfew's address is not approved.
        let own = transaction::write(&mut conn, |c| {
            licence::approve(
                c,
                &current,
                waiting.id,
                waiting.lock,
                AddressState::Approved {
                    on: date(2026, 11, 20),
                },
                case.po,
                Grade::SeniorProbationOfficer,
                now(),
            )
        });
        assert!(
            matches!(own, Err(StorageError::Conflict(ref m)) if m.contains("you cannot approve it"))
        );
        let unsuitable = transaction::write(&mut conn, |c| {
            licence::approve(
                c,
                &current,
                waiting.id,
                waiting.lock,
                AddressState::NotApproved,
                case.spo,
                Grade::SeniorProbationOfficer,
                now(),
            )
        });
        assert!(
            matches!(unsuitable, Err(StorageError::Conflict(ref m)) if m.contains("address must be approved"))
        );
        transaction::write(&mut conn, |c| {
            licence::approve(
                c,
                &current,
                waiting.id,
                waiting.lock,
                AddressState::Approved {
                    on: date(2026, 11, 20),
                },
                case.spo,
                Grade::SeniorProbationOfficer,
                now(),
            )
        })
        .unwrap();

        // A variation copies the licence in force; the head of PDU approves it.
        let current = load(&mut conn, case.event);
        transaction::write(&mut conn, |c| {
            licence::start_variation(
                c,
                &current,
                "The victim moved to the Quays.",
                case.po,
                now(),
            )
        })
        .unwrap();
        let current = load(&mut conn, case.event);
        let variation = current.open().unwrap().clone();
        assert_eq!(variation.kind, VersionKind::Variation);
        assert_eq!(variation.conditions.len(), 2);
        let old_zone = variation.conditions[1].id;
        transaction::write(&mut conn, |c| {
            licence::remove_condition(c, &current, variation.id, variation.lock, old_zone)
        })
        .unwrap();
        let current = load(&mut conn, case.event);
        transaction::write(&mut conn, |c| {
            licence::add_condition(
                c,
                &current,
                variation.id,
                variation.lock + 1,
                &zone("The Quays"),
            )
        })
        .unwrap();
        let current = load(&mut conn, case.event);
        transaction::write(&mut conn, |c| {
            licence::submit(c, &current, variation.id, variation.lock + 2, now())
        })
        .unwrap();
        let current = load(&mut conn, case.event);
        let by_senior = transaction::write(&mut conn, |c| {
            licence::approve(
                c,
                &current,
                variation.id,
                variation.lock + 3,
                AddressState::Approved {
                    on: date(2026, 11, 20),
                },
                case.spo,
                Grade::SeniorProbationOfficer,
                now(),
            )
        });
        assert!(
            matches!(by_senior, Err(StorageError::Conflict(ref m)) if m.contains("head of PDU"))
        );
        transaction::write(&mut conn, |c| {
            licence::approve(
                c,
                &current,
                variation.id,
                variation.lock + 3,
                AddressState::Approved {
                    on: date(2026, 11, 20),
                },
                case.head,
                Grade::HeadOfPdu,
                now(),
            )
        })
        .unwrap();

        let stored = load(&mut conn, case.event);
        let statuses: Vec<_> = stored
            .versions
            .iter()
            .map(|v| (v.number, v.status))
            .collect();
        assert_eq!(
            statuses,
            vec![(2, LicenceStatus::Approved), (1, LicenceStatus::Superseded)]
        );
        let in_force = stored.in_force().unwrap();
        assert_eq!(in_force.variation_reason, "The victim moved to the Quays.");
        assert_eq!(
        in_force.changes,
        vec![
            "Removed — Exclusion zone: Not to enter the area described below. The area: Old Town".to_owned(),
            "Added — Exclusion zone: Not to enter the area described below. The area: The Quays".to_owned(),
        ]
    );
        assert_eq!(in_force.conditions[0].condition, curfew());
    }
);

conformance!(
    the_prisons_release_date_schedules_tasks_listed_from_their_day,
    |db| {
        let mut conn = conn(db);
        let case = custody(db, &mut conn);
        let event = prerelease::custody_event(&mut conn, case.person, case.event).unwrap();
        let release = date(2027, 1, 15);
        let dates = PrisonDates {
            release_date: Some(release),
            ..PrisonDates::default()
        };
        transaction::write(&mut conn, |c| {
            prerelease::record_prison_dates(
                c,
                &event,
                &dates,
                &LicenceRules::default(),
                case.po,
                now(),
            )
        })
        .unwrap();
        let key = prerelease::key_dates(&mut conn, &event, now().date_naive()).unwrap();
        assert_eq!(key.release.date, Some(release));
        assert!(key.release.recorded);
        assert_eq!(key.sentence_end.date, Some(date(2028, 6, 1)));

        let all = prerelease::tasks(
            &mut conn,
            TaskScope::Person(case.person),
            now().date_naive(),
        )
        .unwrap();
        assert_eq!(all.len(), 8);
        // On 2 December 2026 the handover (from 23 October) is listed; release day's (from 1 January) is not.
        let listed =
            prerelease::tasks(&mut conn, TaskScope::Pdu(case.pdu), now().date_naive()).unwrap();
        let mine: Vec<_> = listed
            .iter()
            .filter(|t| t.person_id == case.person)
            .collect();
        assert_eq!(mine.len(), 4);
        assert!(mine.iter().all(|t| t.visible_from == date(2026, 10, 23)));

        // Done tasks stay done when the date moves; the open ones are scheduled again.
        transaction::write(&mut conn, |c| {
            prerelease::complete_task(c, case.person, mine[0].id, case.po, now().date_naive())
        })
        .unwrap();
        let later = PrisonDates {
            release_date: Some(date(2027, 2, 12)),
            ..PrisonDates::default()
        };
        transaction::write(&mut conn, |c| {
            prerelease::record_prison_dates(
                c,
                &event,
                &later,
                &LicenceRules::default(),
                case.po,
                now(),
            )
        })
        .unwrap();
        let all = prerelease::tasks(
            &mut conn,
            TaskScope::Person(case.person),
            now().date_naive(),
        )
        .unwrap();
        assert_eq!(all.len(), 8);
        assert_eq!(all.iter().filter(|t| t.completed_on.is_some()).count(), 1);
    }
);

fn event_row(
    conn: &mut AnyConnection,
    event: Uuid,
) -> (String, Option<NaiveDate>, Option<NaiveDate>, bool) {
    use diesel::prelude::*;
    events::table
        .find(event.to_string())
        .select((
            events::case_type,
            events::release_date,
            events::expected_end_date,
            events::active,
        ))
        .first(conn)
        .unwrap()
}

conformance!(
    recording_the_release_makes_the_case_a_licence_case_in_one_transaction,
    |db| {
        let mut conn = conn(db);
        let case = custody(db, &mut conn);
        let id = transaction::write(&mut conn, |c| {
            licence::start(c, case.person, case.event, case.po, now())
        })
        .unwrap();
        let unapproved = transaction::write(&mut conn, |c| {
            licence::record_release(c, id, date(2026, 12, 1), Some(date(2028, 6, 1)))
        });
        assert!(
            matches!(unapproved, Err(StorageError::Conflict(ref m)) if m.contains("approved before"))
        );
        // Start again with an approved licence.
        let case = Case {
            event: custody_case(&mut conn, case.person, date(2026, 6, 1), 24),
            ..case
        };
        let id = approved_licence(&mut conn, &case, &[zone("Old Town")]);

        // A failure later in the same transaction (another area's write, say) leaves nothing behind.
        let failed = transaction::write(&mut conn, |c| {
            licence::record_release(c, id, date(2026, 12, 1), Some(date(2028, 6, 1)))?;
            Err::<(), _>(StorageError::Conflict("a later write failed".into()))
        });
        assert!(failed.is_err());
        assert_eq!(event_row(&mut conn, case.event).0, CaseType::Custody.code());
        assert_eq!(load(&mut conn, case.event).released_on, None);

        let done = transaction::write(&mut conn, |c| {
            licence::record_release(c, id, date(2026, 12, 1), Some(date(2028, 6, 1)))
        })
        .unwrap();
        assert_eq!(done.event_id, case.event);
        assert_eq!(
            event_row(&mut conn, case.event),
            (
                CaseType::Licence.code().to_owned(),
                Some(date(2026, 12, 1)),
                Some(date(2028, 6, 1)),
                true
            )
        );
        let again = transaction::write(&mut conn, |c| {
            licence::record_release(c, id, date(2026, 12, 2), None)
        });
        assert!(matches!(again, Err(StorageError::Conflict(_))));

        transaction::write(&mut conn, |c| {
            licence::end_licence(c, id, date(2026, 12, 2))
        })
        .unwrap();
        assert!(!event_row(&mut conn, case.event).3);
        assert_eq!(
            load(&mut conn, case.event).ended_on,
            Some(date(2026, 12, 2))
        );
    }
);
