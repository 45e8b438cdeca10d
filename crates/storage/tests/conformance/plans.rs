//! Sentence plans: written as a draft, submitted (active, or awaiting a senior officer's
//! countersignature), reviewed, revised; every edit guarded by the plan's version; review tasks
//! scheduled and raised by significant change; the planning indicators' facts read back.

use crate::conformance;
use crate::support::{conn, with_small_region};
use chrono::NaiveDate;
use keepsafe_domain::needs::Section;
use keepsafe_domain::plans::{
    ActionKind, ActionOwner, Agreement, Objective, PersonsView, PlanAction, PlanRules, PlanStatus,
    Progress, ReviewReason,
};
use keepsafe_domain::rosh::{RiskGroup, RoshLevel};
use keepsafe_domain::staff::Grade;
use keepsafe_domain::text::LongText;
use keepsafe_storage::plans::reviews::{self, NewReview, TaskScope};
use keepsafe_storage::plans::{self, write};
use keepsafe_storage::quality::{units, Unit};
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use keepsafe_test_support::clock::now;
use std::collections::HashMap;
use uuid::Uuid;

fn text(t: &str) -> LongText {
    LongText::required(t).unwrap()
}

fn objective(kinds: &[ActionKind]) -> Objective {
    Objective {
        id: Uuid::new_v4(),
        description: text("Stay away from his former partner and manage his anger"),
        needs: vec![Section::Relationships, Section::ThinkingAndBehaviour],
        risks: vec![RiskGroup::KnownAdult],
        actions: kinds
            .iter()
            .map(|kind| PlanAction {
                kind: *kind,
                what: text("Attend the Building Choices programme"),
                who: ActionOwner::Police,
                provider: String::new(),
                by_when: NaiveDate::from_ymd_opt(2027, 3, 31).unwrap(),
            })
            .collect(),
        progress: Progress::NotStarted,
        progress_note: LongText::default(),
    }
}

/// A live case of the small region's first PDU, and a practitioner and senior officer of it.
fn case_and_staff(
    db: &keepsafe_storage::testing::TestDatabase,
    conn: &mut AnyConnection,
) -> (Uuid, Uuid, Uuid) {
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
    let live = units::live_cases(conn, Unit::Pdu(pdu)).unwrap();
    let person = live
        .iter()
        .map(|c| c.person_id)
        .find(|p| plans::for_person(conn, *p).unwrap().is_empty())
        .expect("a case without a plan");
    (
        person,
        of(Grade::ProbationOfficer),
        of(Grade::SeniorProbationOfficer),
    )
}

conformance!(
    a_plan_is_written_submitted_and_edits_made_meanwhile_are_refused,
    |db| {
        let mut conn = conn(db);
        let (person, po, _) = case_and_staff(db, &mut conn);
        let plan = transaction::write(&mut conn, |c| write::start(c, person, po, now())).unwrap();
        assert!(matches!(
            transaction::write(&mut conn, |c| write::start(c, person, po, now())),
            Err(StorageError::Conflict(_))
        ));
        let first = objective(&[ActionKind::Constructive, ActionKind::Restrictive]);
        let version = transaction::write(&mut conn, |c| {
            write::save_objective(c, plan, 1, &first, po, now())
        })
        .unwrap();
        assert_eq!(version, 2);
        let stale = transaction::write(&mut conn, |c| {
            write::save_objective(
                c,
                plan,
                1,
                &objective(&[ActionKind::Constructive]),
                po,
                now(),
            )
        });
        assert!(
            matches!(stale, Err(StorageError::Conflict(ref m)) if m == plans::STALE_MESSAGE),
            "an edit of version 1 after version 2 was saved is refused"
        );
        let view = PersonsView {
            words: text("I want to keep my job and see my kids."),
            agreement: Some(Agreement::Agrees),
            disagreement_reason: LongText::default(),
        };
        let version = transaction::write(&mut conn, |c| {
            write::save_persons_view(c, plan, version, &view, po, now())
        })
        .unwrap();
        transaction::write(&mut conn, |c| {
            write::submit(
                c,
                plan,
                version,
                PlanStatus::Active,
                Some(RoshLevel::Medium),
                po,
                now(),
            )
        })
        .unwrap();

        let stored = plans::current(&mut conn, person).unwrap().unwrap();
        assert_eq!(stored.id, plan);
        assert_eq!(stored.objectives, vec![first]);
        assert_eq!(stored.persons_view, view);
        assert_eq!(stored.activated_on, Some(now().date_naive()));
        let tasks = reviews::tasks(&mut conn, TaskScope::Person(person), None).unwrap();
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].reason, ReviewReason::Scheduled);
        assert_eq!(
            tasks[0].due_on,
            PlanRules::default().review_due(ReviewReason::Scheduled, now().date_naive())
        );

        let facts = plans::facts::for_people(
            &mut conn,
            &[person.to_string()],
            &HashMap::from([(person.to_string().as_str(), None)]),
        )
        .unwrap();
        let facts = &facts[&person.to_string()];
        assert!(facts.persons_words_recorded && facts.agreement_answered);
        assert_eq!(facts.objectives[0].risks, [RiskGroup::KnownAdult]);
        assert_eq!(
            facts.objectives[0].kinds,
            [ActionKind::Constructive, ActionKind::Restrictive]
        );
    }
);

conformance!(
    a_countersigned_revision_supersedes_the_plan_and_reviews_close_their_tasks,
    |db| {
        let mut conn = conn(db);
        let (person, po, spo) = case_and_staff(db, &mut conn);
        let first = transaction::write(&mut conn, |c| {
            let plan = write::start(c, person, po, now())?;
            let v = write::save_objective(
                c,
                plan,
                1,
                &objective(&[ActionKind::Constructive]),
                po,
                now(),
            )?;
            write::submit(c, plan, v, PlanStatus::Active, None, po, now())?;
            Ok::<_, StorageError>(plan)
        })
        .unwrap();

        // A change of circumstances raises a review task; a review completes it and schedules the
        // next regular one.
        let raised = transaction::write(&mut conn, |c| {
            reviews::after_significant_change(
                c,
                person,
                ReviewReason::ChangeOfCircumstances,
                "Moved to 3 Elm Street",
                now().date_naive(),
                now(),
            )
        })
        .unwrap();
        assert!(raised.is_some());
        let version = plans::current(&mut conn, person).unwrap().unwrap().version;
        transaction::write(&mut conn, |c| {
            reviews::record_review(
                c,
                first,
                version,
                &NewReview {
                    reviewed_on: now().date_naive(),
                    reason: ReviewReason::ChangeOfCircumstances,
                    note: text("The move is away from the victim's area; plan still right."),
                },
                &PlanRules::default(),
                po,
                now(),
            )
        })
        .unwrap();
        let open = reviews::tasks(&mut conn, TaskScope::Person(person), None)
            .unwrap()
            .into_iter()
            .filter(|t| t.completed_on.is_none())
            .collect::<Vec<_>>();
        assert_eq!(open.len(), 1, "only the next regular review is open");
        assert_eq!(open[0].reason, ReviewReason::Scheduled);

        // A revision copies the objectives; for a high-risk case it waits for countersignature.
        let revision =
            transaction::write(&mut conn, |c| write::start(c, person, po, now())).unwrap();
        let draft = plans::open(&mut conn, person).unwrap().unwrap();
        assert_eq!(draft.objectives.len(), 1);
        transaction::write(&mut conn, |c| {
            write::submit(
                c,
                revision,
                draft.version,
                PlanStatus::AwaitingCountersignature,
                Some(RoshLevel::High),
                po,
                now(),
            )
        })
        .unwrap();
        assert_eq!(
            plans::current(&mut conn, person).unwrap().unwrap().id,
            first
        );
        transaction::write(&mut conn, |c| write::countersign(c, revision, spo, now())).unwrap();
        let all = plans::for_person(&mut conn, person).unwrap();
        assert_eq!(all[0].status, PlanStatus::Active);
        assert_eq!(all[0].case_level, Some(RoshLevel::High));
        assert_eq!(all[1].status, PlanStatus::Superseded);
        assert!(matches!(
            transaction::write(&mut conn, |c| write::countersign(c, revision, spo, now())),
            Err(StorageError::Conflict(_))
        ));
    }
);
