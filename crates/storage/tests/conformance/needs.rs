//! Needs assessments in storage: a draft saved and read back whole, a stale save refused,
//! completion superseding the one before and recomputing the tier and OGP in its transaction,
//! the bulk read for tiering, and the needs review a change in circumstances asks for beside the
//! risk review, each finished by its own assessment.

use crate::conformance;
use crate::support::{conn, with_small_region};
use diesel::prelude::*;
use keepsafe_demo::DemoRegion;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::needs::{AssessmentStatus, NeedsRules, Section, Severity};
use keepsafe_domain::review::ReviewTrigger;
use keepsafe_storage::cases::consequences::{self, Review};
use keepsafe_storage::needs::{assessments, reviews};
use keepsafe_storage::risk::scores;
use keepsafe_storage::schema::review_tasks;
use keepsafe_storage::{transaction, StorageError};
use keepsafe_test_support::clock;
use keepsafe_test_support::needs as fixtures;
use uuid::Uuid;

/// po.demo's first case (the demo leaves its needs and risk work to the tests), made a licence
/// case so it has a mandate for change; and po.demo.
fn case(db: &keepsafe_storage::testing::TestDatabase, region: &DemoRegion) -> (Uuid, Uuid) {
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
    keepsafe_test_support::enforcement::make_case(&mut conn(db), person, CaseType::Licence);
    (person, officer)
}

conformance!(
    a_saved_draft_reads_back_whole_and_a_stale_save_writes_nothing,
    |db| {
        let region = with_small_region(db);
        let (person, by) = case(db, &region);
        let mut conn = conn(db);
        let id = assessments::start(&mut conn, person, by, clock::now()).unwrap();
        assert!(matches!(
            assessments::start(&mut conn, person, by, clock::now()),
            Err(StorageError::Conflict(_))
        ));
        let mut content = fixtures::content(Severity::Standard, 1);
        content.sections.retain(|(s, _)| *s != Section::Finance);
        let version =
            assessments::save_draft(&mut conn, id, 1, &content, by, clock::now()).unwrap();
        let stored = assessments::find(&mut conn, person, id).unwrap();
        assert_eq!(stored.content, content);
        assert_eq!(stored.status, AssessmentStatus::Draft);
        assert!(matches!(
            assessments::save_draft(
                &mut conn,
                id,
                version - 1,
                &Default::default(),
                by,
                clock::now()
            ),
            Err(StorageError::Conflict(_))
        ));
        assert_eq!(
            assessments::find(&mut conn, person, id).unwrap().content,
            content
        );
    }
);

conformance!(
    completing_supersedes_the_assessment_before_and_the_tier_and_ogp_read_the_new_one,
    |db| {
        let region = with_small_region(db);
        let (person, by) = case(db, &region);
        let first = fixtures::completed(
            &mut conn(db),
            person,
            by,
            &fixtures::content(Severity::NoNeed, 0),
        )
        .unwrap();
        let tier = scores::for_person(&mut conn(db), person)
            .unwrap()
            .tier
            .unwrap();
        assert!(tier.legacy.change() <= 1, "no needs: {:?}", tier.legacy);

        let second = fixtures::completed(
            &mut conn(db),
            person,
            by,
            &fixtures::content(Severity::Severe, 2),
        )
        .unwrap();
        let all = assessments::for_person(&mut conn(db), person).unwrap();
        let status = |id| all.iter().find(|a| a.id == id).unwrap().status;
        assert_eq!(status(first), AssessmentStatus::Superseded);
        assert_eq!(status(second), AssessmentStatus::Completed);
        let completed = all.iter().find(|a| a.id == second).unwrap();
        assert_eq!(completed.completed_on, Some(clock::today()));
        assert_eq!(
            completed.valid_until,
            Some(NeedsRules::default().valid_until(clock::today()))
        );

        let logged: Vec<String> = keepsafe_storage::schema::contacts::table
            .filter(keepsafe_storage::schema::contacts::person_id.eq(person.to_string()))
            .filter(keepsafe_storage::schema::contacts::notes.eq("Needs assessment completed"))
            .select(keepsafe_storage::schema::contacts::contact_type)
            .load(&mut conn(db))
            .unwrap();
        assert_eq!(
            logged,
            ["needs_assessment_completed", "needs_assessment_completed"],
            "each completion is in the contact log as a needs assessment, not a risk assessment"
        );

        let tier = scores::for_person(&mut conn(db), person)
            .unwrap()
            .tier
            .unwrap();
        assert_eq!(
            tier.legacy.change(),
            3,
            "severe needs, recomputed on completion"
        );
        assert!(tier
            .notes
            .iter()
            .any(|n| n.starts_with("Needs assessment: completed on 2 December 2026")));
        let ogp = scores::ogp_for_person(&mut conn(db), person)
            .unwrap()
            .expect("OGP beside OGRS3 once a needs assessment is valid");
        assert_eq!(
            ogp.rule_version,
            keepsafe_domain::predictors::ogp::RULE_VERSION
        );
        assert!(ogp.one_year.is_some() || ogp.error.is_some());

        let ids = vec![person.to_string()];
        let in_force = assessments::completed_for(&mut conn(db), &ids).unwrap();
        assert_eq!(in_force[&ids[0]].assessment_id, second);
        assert!(in_force[&ids[0]].needs.impulsivity_or_temper());
    }
);

conformance!(
    a_change_of_circumstances_asks_for_a_needs_review_beside_the_risk_review_and_each_is_finished_by_its_own_assessment,
    |db| {
        let region = with_small_region(db);
        let (person, by) = case(db, &region);
        keepsafe_test_support::risk::assessment_in_force(&mut conn(db), person, by).unwrap();
        fixtures::completed(
            &mut conn(db),
            person,
            by,
            &fixtures::content(Severity::Standard, 1),
        )
        .unwrap();

        let followed = transaction::write(&mut conn(db), |conn| {
            consequences::follow(
                conn,
                person,
                Some(Review {
                    trigger: ReviewTrigger::AddressChange,
                    occurred_on: clock::today(),
                    details: "Moved to 4 Orchard Row".into(),
                }),
                by,
                clock::now(),
            )
        })
        .unwrap();
        assert!(followed.review.is_some(), "the risk review");
        let (_, due) = followed.needs_review.expect("the needs review");
        assert_eq!(due, NeedsRules::default().review_due(clock::today()));
        let open = reviews::for_person(&mut conn(db), person).unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].details, "Moved to 4 Orchard Row");

        fixtures::completed(
            &mut conn(db),
            person,
            by,
            &fixtures::content(Severity::Standard, 1),
        )
        .unwrap();
        let needs_review = &reviews::for_person(&mut conn(db), person).unwrap()[0];
        assert_eq!(needs_review.completed_on, Some(clock::today()));
        let risk_open: i64 = review_tasks::table
            .filter(review_tasks::person_id.eq(person.to_string()))
            .filter(review_tasks::completed_on.is_null())
            .count()
            .get_result(&mut conn(db))
            .unwrap();
        assert_eq!(risk_open, 1, "the risk review waits for the risk assessment");
    }
);

conformance!(a_mappa_change_asks_for_no_needs_review, |db| {
    let region = with_small_region(db);
    let (person, by) = case(db, &region);
    fixtures::completed(
        &mut conn(db),
        person,
        by,
        &fixtures::content(Severity::Standard, 1),
    )
    .unwrap();
    let followed = transaction::write(&mut conn(db), |conn| {
        consequences::follow(
            conn,
            person,
            Some(Review {
                trigger: ReviewTrigger::MappaChange,
                occurred_on: clock::today(),
                details: "MAPPA level 2".into(),
            }),
            by,
            clock::now(),
        )
    })
    .unwrap();
    assert_eq!(followed.needs_review, None);
});
