//! Partner exchange storage: tokens are kept hashed and can be revoked; a request's state moves
//! only from the state it was read in; an answer lands where the assessment gates read it.

use crate::conformance;
use crate::support::{conn, today, with_small_region};
use chrono::Duration;
use keepsafe_domain::partner::{PartnerResponse, RequestStatus, ResponseForm};
use keepsafe_storage::risk::checks;
use keepsafe_storage::{partners, transaction, StorageError};

conformance!(
    an_api_token_is_found_by_its_secret_only_and_can_be_revoked,
    |db| {
        let region = with_small_region(db);
        let police = region.partners.iter().find(|p| p.code == "MIDPOL").unwrap();
        let mut conn = conn(db);
        let now = keepsafe_test_support::clock::now();
        let issued = transaction::write(&mut conn, |conn| {
            partners::issue_token(conn, police.id, "Force records system", None, None, now)
        })
        .unwrap();
        assert!(issued.secret.starts_with(partners::TOKEN_PREFIX));
        let found = partners::find_token(&mut conn, &issued.secret, now)
            .unwrap()
            .expect("the token is found by its secret");
        assert_eq!(found.token.organisation_id, police.id);
        assert_eq!(found.token.revoked_at, None);
        assert!(partners::find_token(&mut conn, "ksp_not-a-token", now)
            .unwrap()
            .is_none());

        partners::revoke_token(&mut conn, issued.id, now).unwrap();
        let revoked = partners::find_token(&mut conn, &issued.secret, now + Duration::seconds(1))
            .unwrap()
            .unwrap();
        assert!(
            revoked.token.revoked_at.is_some(),
            "a revoked token says so"
        );
        assert!(matches!(
            partners::revoke_token(&mut conn, uuid::Uuid::new_v4(), now),
            Err(StorageError::NotFound)
        ));
    }
);

conformance!(
    an_answer_is_stored_once_and_reaches_the_check_the_gates_read,
    |db| {
        let region = with_small_region(db);
        let police = region.partners.iter().find(|p| p.code == "MIDPOL").unwrap();
        let mut conn = conn(db);
        let queue = partners::queue(&mut conn, police.id, 0, 50).unwrap();
        assert!(
            !queue.is_empty(),
            "the demo sends outstanding checks to the police"
        );
        assert!(
            partners::queue_len(&mut conn, police.id).unwrap() as usize >= queue.len(),
            "the count covers every page"
        );
        let stored = &queue[0];
        assert!(stored.request.status().is_outstanding());
        let response = PartnerResponse::parse(
            &ResponseForm {
                known_to_service: Some(true),
                free_text: "Two call-outs in 2025".into(),
                ..Default::default()
            },
            stored.request.request_type,
            today(),
        )
        .unwrap();
        let answered = stored
            .request
            .respond(response.clone(), today(), today())
            .unwrap();
        let before = stored.request.status();
        transaction::write(&mut conn, |conn| {
            partners::store_transition(conn, before, &answered, "Sam Jones (Midshire Police)")
        })
        .unwrap();

        // A second answer made from the same reading loses: nothing is overwritten.
        let second = transaction::write(&mut conn, |conn| {
            partners::store_transition(conn, before, &answered, "Someone else")
        })
        .unwrap_err();
        assert!(matches!(second, StorageError::Conflict(_)));

        let reloaded = partners::request(&mut conn, stored.request.id).unwrap();
        assert_eq!(reloaded.request.status(), RequestStatus::Responded);
        let check = checks::for_person(&mut conn, stored.person_id)
            .unwrap()
            .into_iter()
            .find(|c| c.id == stored.request.id)
            .unwrap();
        let recorded = check
            .response
            .expect("the answer is where the gates read it");
        assert!(recorded.known_to_agency);
        assert!(recorded.summary.contains("Two call-outs in 2025"));
        let partner = check.partner.unwrap();
        assert_eq!(partner.status, RequestStatus::Responded);
        assert_eq!(
            partner.responded_by.as_deref(),
            Some("Sam Jones (Midshire Police)")
        );
        assert!(
            !partners::queue(&mut conn, police.id, 0, 500)
                .unwrap()
                .iter()
                .any(|r| r.request.id == stored.request.id),
            "answered requests leave the queue"
        );
    }
);

conformance!(
    overdue_requests_are_escalated_to_the_senior_officer_once,
    |db| {
        use diesel::prelude::*;
        use keepsafe_domain::partner::DeadlineRules;
        use keepsafe_storage::schema::practitioner_tasks;
        let region = with_small_region(db);
        let police = region.partners.iter().find(|p| p.code == "MIDPOL").unwrap();
        let mut conn = conn(db);
        let rules = DeadlineRules::reference();
        let queue = partners::queue(&mut conn, police.id, 0, 500).unwrap();
        // Six weeks on, every request still waiting is well past its deadline.
        let later = today() + Duration::days(42);
        let overdue = queue
            .iter()
            .filter(|r| r.request.state.sent().is_some_and(|s| s.due_by < later))
            .count();
        let chases_before: i64 = practitioner_tasks::table
            .filter(practitioner_tasks::kind.eq(partners::CHASE_TASK))
            .count()
            .get_result(&mut conn)
            .unwrap();

        let first = transaction::write(&mut conn, |conn| {
            partners::run_reminders(conn, &rules, later, keepsafe_test_support::clock::now())
        })
        .unwrap();
        assert!(first.requests >= queue.len());
        assert!(overdue > 0, "the demo has overdue partner requests");
        assert!(first.escalations >= 1, "{first:?}");
        let chases: i64 = practitioner_tasks::table
            .filter(practitioner_tasks::kind.eq(partners::CHASE_TASK))
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(
            (chases - chases_before) as usize,
            first.escalations - first.unassigned_escalations,
            "each escalation is a task for a senior officer"
        );

        // Running again the same day records nothing new.
        let again = transaction::write(&mut conn, |conn| {
            partners::run_reminders(conn, &rules, later, keepsafe_test_support::clock::now())
        })
        .unwrap();
        assert_eq!(again.partner_reminders + again.escalations, 0, "{again:?}");
        let ids: Vec<_> = queue.iter().map(|r| r.request.id).collect();
        let recorded = partners::reminders_for(&mut conn, &ids).unwrap();
        assert!(!recorded.is_empty());
    }
);

conformance!(
    the_partner_queue_is_searched_by_reference_name_crn_or_postcode_and_filtered_by_where_requests_stand,
    |db| {
        use keepsafe_storage::partners::{QueueFilter, QueueShow, QueueSort};
        let region = with_small_region(db);
        let police = region.partners.iter().find(|p| p.code == "MIDPOL").unwrap();
        let council = region.partners.iter().find(|p| p.code == "MIDCS").unwrap();
        let mut conn = conn(db);
        let waiting = QueueFilter::default();
        let all = partners::search_queue(&mut conn, police.id, &waiting, today(), 0, 500).unwrap();
        let first = all.first().expect("the demo has police requests waiting");
        assert_eq!(
            partners::search_queue_len(&mut conn, police.id, &waiting, today()).unwrap() as usize,
            all.len()
        );
        assert!(
            all.windows(2).all(|w| {
                w[0].request.state.sent().unwrap().due_by <= w[1].request.state.sent().unwrap().due_by
            }),
            "soonest due first"
        );
        let details = partners::shareable_details(&mut conn, first, today()).unwrap();
        let last_name = details.name.rsplit(' ').next().unwrap().to_uppercase();
        let reference = partners::short_reference(first.request.id).to_lowercase();
        let mut searches = vec![reference, last_name, details.crn.as_str().to_lowercase()];
        if let Some(postcode) = &details.postcode {
            // Without its space and in lower case.
            searches.push(postcode.replace(' ', "").to_lowercase());
        }
        for search in searches {
            let filter = QueueFilter {
                search: Some(search.clone()),
                ..Default::default()
            };
            let found =
                partners::search_queue(&mut conn, police.id, &filter, today(), 0, 500).unwrap();
            assert!(
                found.iter().any(|r| r.request.id == first.request.id),
                "{search} finds it"
            );
            let theirs =
                partners::search_queue(&mut conn, council.id, &filter, today(), 0, 500).unwrap();
            assert!(
                theirs.iter().all(|r| r.request.id != first.request.id),
                "another organisation's search never finds it"
            );
        }
        let wildcard = QueueFilter {
            search: Some("%".into()),
            ..Default::default()
        };
        assert!(
            partners::search_queue(&mut conn, police.id, &wildcard, today(), 0, 500)
                .unwrap()
                .is_empty(),
            "a % is a character searched for, not a wildcard"
        );
        let overdue = QueueFilter {
            show: QueueShow::Overdue,
            sort: QueueSort::DueLatest,
            ..Default::default()
        };
        let late = partners::search_queue(&mut conn, police.id, &overdue, today(), 0, 500).unwrap();
        assert!(late
            .iter()
            .all(|r| r.request.state.sent().unwrap().due_by < today()));
        let answered = QueueFilter {
            show: QueueShow::Answered,
            ..Default::default()
        };
        assert!(
            partners::search_queue(&mut conn, police.id, &answered, today(), 0, 500)
                .unwrap()
                .iter()
                .all(|r| r.request.status() == RequestStatus::Responded)
        );
    }
);
