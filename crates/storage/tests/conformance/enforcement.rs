//! Outcomes and enforcement on both backends: an outcome is written once however many record it
//! at the same time, and each enforcement step moves only from the status it expects, writing its
//! contact-log event (and, for breach and recall, the risk review) with it.

use crate::conformance;
use crate::support::{conn, with_small_region};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use keepsafe_demo::DemoRegion;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::supervision::contact::{ContactOutcome, ContactStatus};
use keepsafe_domain::supervision::enforcement::{
    BreachStatus, CourtOutcome, DocumentKind, EnforcementRules, Letter, RecallStatus, RecallType,
    Recommendation,
};
use keepsafe_domain::supervision::outcome::Judgement;
use keepsafe_domain::CodedValue;
use keepsafe_storage::schema::{contacts, events, review_tasks};
use keepsafe_storage::supervision::documents;
use keepsafe_storage::supervision::enforcement::{
    self, Acting, Countersignature, Countersigner, Failure, Opened,
};
use keepsafe_storage::supervision::outcomes::{self, RecordedOutcome};
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use keepsafe_test_support::enforcement as fixtures;
use uuid::Uuid;

fn today() -> NaiveDate {
    keepsafe_test_support::clock::today()
}

fn now() -> chrono::DateTime<chrono::Utc> {
    keepsafe_test_support::clock::now()
}

fn at(days_ago: i64, hour: u32) -> NaiveDateTime {
    (today() - Duration::days(days_ago)).and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap())
}

/// A probation officer holding a case, and that case (person id).
fn practitioner_and_case(region: &DemoRegion) -> (Uuid, Uuid, Uuid) {
    let person = region
        .people
        .iter()
        .find(|p| {
            p.allocations.iter().any(|a| {
                a.end_date.is_none()
                    && region
                        .staff
                        .iter()
                        .any(|s| s.id == a.staff_id && s.grade == Grade::ProbationOfficer)
            }) && !p.events.is_empty()
        })
        .expect("a probation officer's case");
    let allocation = person
        .allocations
        .iter()
        .find(|a| a.end_date.is_none())
        .unwrap();
    (allocation.staff_id, allocation.team_id, person.id)
}

fn unacceptable() -> RecordedOutcome {
    RecordedOutcome {
        outcome: ContactOutcome::FailedToAttend,
        judgement: Some(Judgement::Unacceptable { reason: None }),
        late_reason: None,
    }
}

fn staff_name(region: &DemoRegion, id: Uuid) -> String {
    let s = region.staff.iter().find(|s| s.id == id).unwrap();
    format!("{} {}", s.first_name, s.last_name)
}

conformance!(
    an_outcome_recorded_by_two_people_at_once_is_written_once_and_the_second_told_who,
    |db| {
        let region = with_small_region(db);
        let (po, _, person) = practitioner_and_case(&region);
        let other = region
            .staff
            .iter()
            .find(|s| s.id != po && s.grade == Grade::SeniorProbationOfficer)
            .unwrap()
            .id;
        let mut conn = conn(db);
        let id = fixtures::appointment(&mut conn, person, po, at(1, 10), now());
        // Both read the appointment with no outcome…
        let seen = outcomes::find(&mut conn, person, id).unwrap();
        assert_eq!(seen.outcome, None);
        // …the first saves,
        let first = transaction::write(&mut conn, |conn| {
            outcomes::record(
                conn,
                id,
                &RecordedOutcome {
                    outcome: ContactOutcome::Attended,
                    judgement: None,
                    late_reason: None,
                },
                po,
                now(),
            )
        })
        .unwrap();
        assert_eq!(first, Ok(()));
        // …and the second writes nothing and is told who was first.
        let second = transaction::write(&mut conn, |conn| {
            outcomes::record(conn, id, &unacceptable(), other, now())
        })
        .unwrap();
        let refused = second.unwrap_err();
        assert_eq!(refused.by, staff_name(&region, po));
        let stored = outcomes::find(&mut conn, person, id).unwrap();
        assert_eq!(stored.outcome, Some(ContactOutcome::Attended));
        assert_eq!(stored.judgement, None);
        assert_eq!(
            stored.outcome_recorded_by.as_deref(),
            Some(staff_name(&region, po).as_str())
        );
    }
);

conformance!(
    outcomes_to_record_are_the_practitioners_past_arranged_appointments_oldest_first,
    |db| {
        let region = with_small_region(db);
        let (po, _, person) = practitioner_and_case(&region);
        let mut conn = conn(db);
        let older = fixtures::appointment(&mut conn, person, po, at(3, 9), now());
        let newer = fixtures::appointment(&mut conn, person, po, at(1, 9), now());
        let future = fixtures::appointment(&mut conn, person, po, at(-1, 9), now());
        let cancelled = fixtures::appointment(&mut conn, person, po, at(2, 9), now());
        diesel::update(contacts::table.find(cancelled.to_string()))
            .set(contacts::status.eq(ContactStatus::Cancelled.code()))
            .execute(&mut conn)
            .unwrap();
        let listed: Vec<Uuid> = outcomes::awaiting_outcome_for_staff(&mut conn, po, now())
            .unwrap()
            .into_iter()
            .map(|t| t.id)
            .collect();
        let older_at = listed.iter().position(|id| *id == older).unwrap();
        let newer_at = listed.iter().position(|id| *id == newer).unwrap();
        assert!(older_at < newer_at, "oldest first");
        assert!(!listed.contains(&future));
        assert!(!listed.contains(&cancelled));
    }
);

fn fail(conn: &mut AnyConnection, person: Uuid, po: Uuid, days_ago: i64) -> Opened {
    let id = fixtures::appointment(conn, person, po, at(days_ago, 10), now());
    transaction::write(conn, |conn| {
        outcomes::record(conn, id, &unacceptable(), po, now())?.unwrap();
        enforcement::after_unacceptable_failure(
            conn,
            &Failure {
                person_id: person,
                contact_id: id,
                event_id: None,
                failed_at: at(days_ago, 10),
            },
            &EnforcementRules::default(),
            po,
            today(),
            now(),
        )
    })
    .unwrap()
}

fn count(conn: &mut AnyConnection, person: Uuid, kind: &str) -> i64 {
    contacts::table
        .filter(contacts::person_id.eq(person.to_string()))
        .filter(contacts::contact_type.eq(kind))
        .count()
        .get_result(conn)
        .unwrap()
}

fn reviews(conn: &mut AnyConnection, person: Uuid) -> Vec<String> {
    review_tasks::table
        .filter(review_tasks::person_id.eq(person.to_string()))
        .select(review_tasks::trigger_kind)
        .load(conn)
        .unwrap()
}

fn letter(title: &str) -> Letter {
    Letter {
        title: title.into(),
        body: "Text".into(),
    }
}

conformance!(
    a_community_order_goes_from_warning_to_breach_report_to_the_courts_outcome,
    |db| {
        let region = with_small_region(db);
        let (po, _, person) = practitioner_and_case(&region);
        let mut conn = conn(db);
        fixtures::make_case(&mut conn, person, CaseType::Community);
        let acting = Acting {
            by: po,
            today: today(),
            now: now(),
        };

        let Opened::Warning(warning) = fail(&mut conn, person, po, 10) else {
            panic!("a first failure gets a warning")
        };
        assert_eq!(
            enforcement::warnings_due_for_staff(&mut conn, po)
                .unwrap()
                .iter()
                .filter(|t| t.id == warning)
                .count(),
            1
        );
        let w = enforcement::warnings(&mut conn, person).unwrap().remove(0);
        let sent = transaction::write(&mut conn, |conn| {
            let doc = documents::insert_generated(
                conn,
                person,
                DocumentKind::WarningLetter,
                &letter("Warning"),
                po,
                now(),
            )?;
            // Sent five days ago: the next failure comes after it.
            let sent_on = today() - Duration::days(5);
            let once = enforcement::mark_warning_sent(conn, person, &w, doc, po, sent_on, now())?;
            let twice = enforcement::mark_warning_sent(conn, person, &w, doc, po, sent_on, now())?;
            Ok::<_, StorageError>((once, twice))
        })
        .unwrap();
        assert_eq!(sent, (true, false), "a warning is sent once");
        assert_eq!(count(&mut conn, person, "warning_letter"), 1);

        let Opened::Breach(breach) = fail(&mut conn, person, po, 1) else {
            panic!("a second failure within 12 months of the warning starts breach action")
        };
        assert_eq!(count(&mut conn, person, "breach_action"), 1);
        assert!(reviews(&mut conn, person).contains(&"breach".to_owned()));
        let tier = keepsafe_storage::risk::scores::for_person(&mut conn, person)
            .unwrap()
            .tier
            .unwrap();
        assert!(
            tier.notes
                .iter()
                .any(|n| n.starts_with("Breach or recall: yes, breach action opened on")),
            "the tiers were worked out again with the breach: {:?}",
            tier.notes
        );
        assert!(enforcement::breaches_due_for_staff(&mut conn, po)
            .unwrap()
            .iter()
            .any(|t| t.id == breach));

        let b = enforcement::breaches(&mut conn, person).unwrap().remove(0);
        let history = enforcement::compliance(&mut conn, person, None).unwrap();
        assert!(history.unacceptable >= 2);
        let reported = transaction::write(&mut conn, |conn| {
            let doc = documents::insert_generated(
                conn,
                person,
                DocumentKind::BreachReport,
                &letter("Breach report"),
                po,
                now(),
            )?;
            let once = enforcement::report_breach(conn, person, &b, "Continue", doc, acting)?;
            let twice = enforcement::report_breach(conn, person, &b, "Again", doc, acting)?;
            Ok::<_, StorageError>((once, twice))
        })
        .unwrap();
        assert_eq!(reported, (true, false));
        let concluded = transaction::write(&mut conn, |conn| {
            enforcement::record_court_outcome(
                conn,
                person,
                &b,
                (CourtOutcome::Fine, today(), "Fined £100"),
                po,
                now(),
            )
        })
        .unwrap();
        assert!(concluded);
        let b = enforcement::breaches(&mut conn, person).unwrap().remove(0);
        assert_eq!(b.status, BreachStatus::Concluded);
        assert_eq!(b.court_outcome, Some(CourtOutcome::Fine));
        assert_eq!(b.proposal.as_deref(), Some("Continue"));
        assert_eq!(count(&mut conn, person, "breach_action"), 3);
    }
);

conformance!(
    a_licence_failure_opens_recall_which_once_countersigned_twice_makes_a_custody_case,
    |db| {
        let region = with_small_region(db);
        let (po, team, person) = practitioner_and_case(&region);
        let spo = region
            .staff
            .iter()
            .find(|s| s.team_id == Some(team) && s.grade == Grade::SeniorProbationOfficer)
            .map(|s| s.id)
            .expect("the team's senior officer");
        let mut conn = conn(db);
        let event = fixtures::make_case(&mut conn, person, CaseType::Licence);
        let Opened::Recall(id) = fail(&mut conn, person, po, 1) else {
            panic!("a failure on licence opens consider recall")
        };
        let recall = enforcement::find_recall(&mut conn, person, id).unwrap();
        assert_eq!(recall.status, RecallStatus::Considering);
        assert_eq!(recall.event_id, Some(event));

        let recommendation = Recommendation {
            reasons: "Reasons".into(),
            alternatives_tried: "Alternatives".into(),
            current_risk: "Risk".into(),
            recall_type: RecallType::FixedTerm,
            emergency: true,
        };
        let step = |conn: &mut AnyConnection, from: RecallStatus, to: RecallStatus, by: Uuid| {
            let recall = enforcement::find_recall(conn, person, id).unwrap();
            transaction::write(conn, |conn| {
                let recalled = if to == RecallStatus::Recalled {
                    let doc = documents::insert_generated(
                        conn,
                        person,
                        DocumentKind::RecallDecision,
                        &letter("Decision"),
                        by,
                        now(),
                    )?;
                    Some((today(), doc))
                } else {
                    None
                };
                enforcement::countersign(
                    conn,
                    person,
                    &recall,
                    &Countersignature {
                        from,
                        to,
                        reason: None,
                        recalled,
                    },
                    by,
                    today(),
                    now(),
                )
            })
            .unwrap()
        };
        // Nothing to countersign before the recommendation.
        assert!(!step(
            &mut conn,
            RecallStatus::AwaitingSenior,
            RecallStatus::AwaitingHead,
            spo
        ));
        let recommended = transaction::write(&mut conn, |conn| {
            let doc = documents::insert_generated(
                conn,
                person,
                DocumentKind::RecallRecommendation,
                &letter("Recommendation"),
                po,
                now(),
            )?;
            enforcement::recommend(conn, person, &recall, &recommendation, doc, po, now())
        })
        .unwrap();
        assert!(recommended);
        let recall = enforcement::find_recall(&mut conn, person, id).unwrap();
        assert_eq!(recall.status, RecallStatus::AwaitingSenior);
        assert_eq!(recall.recommendation, Some(recommendation));
        assert_eq!(recall.recommended_by, Some(po));
        assert!(
            enforcement::recalls_awaiting(&mut conn, Countersigner::SeniorOfTeam(team))
                .unwrap()
                .iter()
                .any(|t| t.id == id)
        );

        assert!(step(
            &mut conn,
            RecallStatus::AwaitingSenior,
            RecallStatus::AwaitingHead,
            spo
        ));
        let pdu = region
            .people
            .iter()
            .find(|p| p.id == person)
            .unwrap()
            .pdu_id;
        assert!(
            enforcement::recalls_awaiting(&mut conn, Countersigner::HeadOfPdu(pdu))
                .unwrap()
                .iter()
                .any(|t| t.id == id)
        );
        // A victim in the scheme is owed a contact when the recall is decided.
        let (victim, _) = keepsafe_test_support::victims::record_victim(&mut conn, person, po);
        assert!(step(
            &mut conn,
            RecallStatus::AwaitingHead,
            RecallStatus::Recalled,
            spo
        ));
        let contacts = keepsafe_storage::victims::records::find(&mut conn, person, victim)
            .unwrap()
            .unwrap()
            .contacts;
        assert!(
            contacts
                .iter()
                .any(|c| c.stage == keepsafe_domain::victims::VictimStage::Recall
                    && c.stage_on == today()
                    && c.contacted_on.is_none()),
            "a recall contact is due: {contacts:?}"
        );
        assert!(
            !step(
                &mut conn,
                RecallStatus::AwaitingHead,
                RecallStatus::Recalled,
                spo
            ),
            "a recall is recalled once"
        );
        let recall = enforcement::find_recall(&mut conn, person, id).unwrap();
        assert_eq!(recall.status, RecallStatus::Recalled);
        assert_eq!(recall.recall_date, Some(today()));
        let case_type: String = events::table
            .find(event.to_string())
            .select(events::case_type)
            .first(&mut conn)
            .unwrap();
        assert_eq!(case_type, "custody");
        assert!(reviews(&mut conn, person).contains(&"recall".to_owned()));
        assert_eq!(count(&mut conn, person, "recall"), 4);
    }
);
