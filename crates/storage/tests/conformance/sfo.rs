//! Serious further offences: a charge is kept with its reasons and deadline, the case moves
//! through notification, reviewer, draft and completion (each once), completing adds the actions
//! to the PDU's quality improvement plan in the same transaction, and the lists show each case in
//! its scopes, open ones for the tasks page only.

use crate::conformance;
use crate::support::{conn, today, with_small_region};
use chrono::{Duration, TimeZone, Utc};
use keepsafe_domain::sfo::{
    ChargeDraft, CompletionDraft, Findings, QualifyingOffence, SfoRules, SfoState,
};
use keepsafe_domain::text::LongText;
use keepsafe_storage::quality::plans;
use keepsafe_storage::quality::units::Unit;
use keepsafe_storage::sfo::cases;
use keepsafe_storage::sfo::list::{self, SfoScope};
use keepsafe_storage::{transaction, StorageError};

conformance!(
    a_charge_is_notified_reviewed_and_completed_with_its_actions_on_the_pdus_plan,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap();
        let by = region.staff[0].id;
        let reviewer = region
            .staff
            .iter()
            .find(|s| s.grade == keepsafe_domain::staff::Grade::QualityInspection)
            .unwrap()
            .id;
        // Someone supervised for more than a year, so an offence a month ago was under it.
        let person = region
            .people
            .iter()
            .find(|p| {
                p.events.iter().any(|e| {
                    e.active
                        && e.sentence_date.unwrap_or(e.conviction_date)
                            < today() - Duration::days(400)
                })
            })
            .unwrap();
        let periods = cases::supervised_periods(&mut conn, person.id).unwrap();
        assert!(periods.iter().any(|p| p.to.is_none()), "supervised now");
        let charge = ChargeDraft {
            offence: Some(QualifyingOffence::Kidnapping),
            committed_on: Some(today() - Duration::days(30)),
            charged_on: Some(today() - Duration::days(20)),
            known_on: Some(today() - Duration::days(19)),
            reference: "MID/26/0042".into(),
        }
        .check(&periods, today(), &SfoRules::default())
        .unwrap();
        let id = transaction::write(&mut conn, |conn| {
            cases::record_charge(conn, person.id, &charge, by, now)
        })
        .unwrap();
        let stored = cases::load(&mut conn, id).unwrap();
        assert_eq!(stored.offence, QualifyingOffence::Kidnapping);
        assert_eq!(stored.reasons, charge.reasons);
        assert_eq!(stored.dates.notification_due, charge.notification_due);
        assert_eq!(stored.dates.state(), SfoState::AwaitingNotification);
        assert_eq!(stored.location.pdu, person.pdu_id);

        let pdu_open = list::open(&mut conn, SfoScope::Pdu(person.pdu_id)).unwrap();
        assert!(pdu_open.iter().any(|l| l.id == id));
        let page = list::page(&mut conn, SfoScope::Region(region.region.id), None, 50).unwrap();
        assert!(page.lines.iter().any(|l| l.id == id));
        assert!(list::open(&mut conn, SfoScope::Reviewer(reviewer))
            .unwrap()
            .iter()
            .all(|l| l.id != id));

        let notified_on = today() - Duration::days(15);
        transaction::write(&mut conn, |conn| {
            cases::record_notification(conn, id, notified_on, by, now)
        })
        .unwrap();
        let again = transaction::write(&mut conn, |conn| {
            cases::record_notification(conn, id, notified_on, by, now)
        });
        assert!(
            matches!(again, Err(StorageError::Conflict(_))),
            "notified once"
        );
        assert!(!cases::managed_the_case(&mut conn, person.id, reviewer).unwrap());
        assert!(
            cases::reviewer_candidates(&mut conn, region.region.id, person.id)
                .unwrap()
                .iter()
                .any(|c| c.id == reviewer)
        );
        transaction::write(&mut conn, |conn| {
            cases::assign_reviewer(conn, id, reviewer, today(), now)
        })
        .unwrap();
        assert!(list::open(&mut conn, SfoScope::Reviewer(reviewer))
            .unwrap()
            .iter()
            .any(|l| l.id == id));
        let draft = Findings {
            learning: "Early thoughts".into(),
            ..Findings::default()
        }
        .check_draft()
        .unwrap();
        transaction::write(&mut conn, |conn| {
            cases::save_draft(conn, id, &draft, today(), now)
        })
        .unwrap();
        let stored = cases::load(&mut conn, id).unwrap();
        assert_eq!(stored.dates.state(), SfoState::UnderReview);
        assert_eq!(stored.learning, "Early thoughts");

        let completion = CompletionDraft {
            completed_on: Some(today()),
            findings: Findings {
                went_well: "Seen weekly".into(),
                could_be_better: "Checks late".into(),
                learning: "Chase checks".into(),
            },
            actions: "Audit chasing\nBrief teams".into(),
            action_owner: "Head of PDU".into(),
            actions_due: Some(today() + Duration::days(90)),
        }
        .check(&stored.dates, today())
        .unwrap();
        let recommendation = transaction::write(&mut conn, |conn| {
            cases::complete(conn, id, person.pdu_id, &completion, reviewer, now)
        })
        .unwrap();
        let stored = cases::load(&mut conn, id).unwrap();
        assert_eq!(stored.dates.state(), SfoState::Completed);
        assert_eq!(stored.recommendation_id, Some(recommendation));
        assert_eq!(stored.went_well, "Seen weekly");
        let plan = plans::for_unit(&mut conn, Unit::Pdu(person.pdu_id)).unwrap();
        let added = plan.iter().find(|r| r.id == recommendation).unwrap();
        assert_eq!(
            added
                .actions
                .iter()
                .map(|a| a.action.description.as_str())
                .collect::<Vec<_>>(),
            vec!["Audit chasing", "Brief teams"]
        );
        assert_eq!(added.made_by, "Serious further offence review");
        assert!(!added.recommendation.text.contains("Chase checks"));
        assert!(list::open(&mut conn, SfoScope::Pdu(person.pdu_id))
            .unwrap()
            .iter()
            .all(|l| l.id != id));
        let again = transaction::write(&mut conn, |conn| {
            cases::complete(conn, id, person.pdu_id, &completion, reviewer, now)
        });
        assert!(
            matches!(again, Err(StorageError::Conflict(_))),
            "completed once"
        );
        let _ = LongText::default();
    }
);

conformance!(
    the_demo_region_has_a_case_in_every_state_with_the_completed_ones_on_a_plan,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let page = list::page(&mut conn, SfoScope::Region(region.region.id), None, 50).unwrap();
        let states: Vec<SfoState> = page.lines.iter().map(|l| l.dates.state()).collect();
        for state in [
            SfoState::AwaitingNotification,
            SfoState::Notified,
            SfoState::UnderReview,
            SfoState::Completed,
        ] {
            assert!(states.contains(&state), "{state:?} in {states:?}");
        }
        let rules = SfoRules::default();
        assert!(page
            .lines
            .iter()
            .any(|l| l.dates.is_overdue(&rules, today())));
        for line in page.lines.iter().filter(|l| l.dates.completed_on.is_some()) {
            let stored = cases::load(&mut conn, line.id).unwrap();
            let plan = plans::for_unit(&mut conn, Unit::Pdu(stored.location.pdu)).unwrap();
            assert!(plan
                .iter()
                .any(|r| Some(r.id) == stored.recommendation_id && !r.actions.is_empty()));
        }
    }
);
