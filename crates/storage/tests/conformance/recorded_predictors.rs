//! Predictors recorded from an external assessment: kept with their history, the latest by
//! assessment date then entry time current, read in bulk for tiering, and read by the tiers in
//! the same transaction as they are recorded.

use crate::conformance;
use crate::support::{conn, today, with_small_region};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use keepsafe_domain::predictors::recorded::{
    AssessmentScores, AssessmentSource, OspBand, PredictorBasis, PredictorKind, PredictorRules,
    PredictorSource, PredictorValue,
};
use keepsafe_storage::risk::predictors;
use keepsafe_storage::risk::scores::{self as risk_scores, SingleTierResult, TierRules};
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn oasys(assessed_on: NaiveDate, values: Vec<PredictorValue>) -> AssessmentScores {
    AssessmentScores {
        source: AssessmentSource {
            source: PredictorSource::Oasys,
            other: None,
        },
        assessed_on,
        values,
    }
}

/// Records `scores` in its own transaction, `minutes` after the tests' fixed moment.
fn record(
    conn: &mut AnyConnection,
    person: Uuid,
    by: Uuid,
    scores: &AssessmentScores,
    minutes: i64,
) -> Vec<Uuid> {
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap() + Duration::minutes(minutes);
    transaction::write(conn, |conn| {
        predictors::record(conn, person, scores, by, now, today())
    })
    .unwrap()
}

fn arp(percent: f64) -> PredictorValue {
    PredictorValue::Arp {
        percent,
        basis: PredictorBasis::Dynamic,
    }
}

conformance!(
    every_score_is_kept_and_the_latest_by_assessment_date_then_entry_is_current,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = region.people[0].id;
        let by = region.staff[0].id;
        let before = predictors::history(&mut conn, person).unwrap().len();
        record(
            &mut conn,
            person,
            by,
            &oasys(
                day(2026, 6, 1),
                vec![PredictorValue::Rsr { percent: 2.5 }, arp(40.0)],
            ),
            0,
        );
        // An older assessment entered later does not replace the newer one.
        record(
            &mut conn,
            person,
            by,
            &oasys(day(2026, 3, 1), vec![arp(60.0)]),
            1,
        );
        // The same assessment date entered later does.
        record(
            &mut conn,
            person,
            by,
            &oasys(day(2026, 6, 1), vec![arp(45.0)]),
            2,
        );

        let history = predictors::history(&mut conn, person).unwrap();
        assert_eq!(history.len(), before + 4);
        let current = predictors::current(&history);
        let current_arp = current
            .iter()
            .find(|e| e.kind() == PredictorKind::Arp)
            .unwrap();
        assert_eq!(current_arp.recorded.value, arp(45.0));
        assert_eq!(current_arp.recorded.assessed_on, day(2026, 6, 1));
        assert_eq!(current_arp.recorded.source.to_string(), "OASys");
        let staff = &region.staff[0];
        assert_eq!(
            current_arp.entered_by,
            format!("{} {}", staff.first_name, staff.last_name)
        );
        let current_rsr = current
            .iter()
            .find(|e| e.kind() == PredictorKind::Rsr)
            .unwrap();
        assert_eq!(
            current_rsr.recorded.value,
            PredictorValue::Rsr { percent: 2.5 }
        );
    }
);

conformance!(
    recording_arp_csrp_and_rsr_recomputes_both_tiers_in_the_same_transaction,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = region.people[0].id;
        let by = region.staff[0].id;
        record(
            &mut conn,
            person,
            by,
            &oasys(
                day(2026, 10, 1),
                vec![
                    PredictorValue::Rsr { percent: 7.5 },
                    arp(90.0),
                    PredictorValue::Csrp {
                        percent: 6.9,
                        basis: PredictorBasis::Dynamic,
                    },
                    PredictorValue::OspDc {
                        band: OspBand::NotApplicable,
                        score: None,
                    },
                ],
            ),
            0,
        );
        let tier = risk_scores::for_person(&mut conn, person)
            .unwrap()
            .tier
            .expect("a tier");
        assert_eq!(
            tier.single,
            SingleTierResult::Tiered {
                tier: keepsafe_domain::tiering::SingleTierLetter::A,
                provisional: false
            }
        );
        assert!(tier.factors.iter().any(|f| f.rules == TierRules::Legacy
            && f.factor == "RSR: 7.5%"
            && f.points == Some(20)));
        assert!(
            tier.notes.iter().any(|note| note
                .starts_with("ARP: 90% (dynamic), from OASys assessed 1 October 2026, entered by")),
            "{:?}",
            tier.notes
        );
        assert!(tier
            .notes
            .iter()
            .any(|note| note.starts_with("OSP/DC: No score, band not applicable")));
    }
);

conformance!(
    a_stale_score_is_still_read_and_its_note_says_since_when,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = region.people[0].id;
        record(
            &mut conn,
            person,
            region.staff[0].id,
            &oasys(day(2025, 10, 1), vec![PredictorValue::Rsr { percent: 4.0 }]),
            0,
        );
        let tier = risk_scores::for_person(&mut conn, person)
            .unwrap()
            .tier
            .unwrap();
        assert!(tier.factors.iter().any(|f| f.factor == "RSR: 4%"));
        let note = tier.notes.iter().find(|n| n.starts_with("RSR: ")).unwrap();
        assert!(
            note.ends_with(
                "stale since 1 October 2026, as the assessment is 12 months old or more"
            ),
            "{note}"
        );
        assert_eq!(PredictorRules::default().stale_after_months, 12);
    }
);

conformance!(the_bulk_read_gives_each_persons_current_scores, |db| {
    let region = with_small_region(db);
    let mut conn = conn(db);
    let (first, second) = (region.people[0].id, region.people[1].id);
    let by = region.staff[0].id;
    record(
        &mut conn,
        first,
        by,
        &oasys(day(2026, 11, 1), vec![arp(33.0)]),
        0,
    );
    record(
        &mut conn,
        second,
        by,
        &oasys(day(2026, 11, 1), vec![PredictorValue::Ovp { points: 82 }]),
        0,
    );
    let current =
        predictors::current_for(&mut conn, &[first.to_string(), second.to_string()]).unwrap();
    let arp_of_first = current[&first.to_string()]
        .iter()
        .find(|e| e.kind() == PredictorKind::Arp)
        .unwrap();
    assert_eq!(arp_of_first.recorded.value, arp(33.0));
    let kinds: Vec<PredictorKind> = current[&second.to_string()]
        .iter()
        .map(|e| e.kind())
        .collect();
    let mut unique = kinds.clone();
    unique.dedup();
    assert_eq!(kinds, unique, "one current score per predictor");
    assert!(kinds.contains(&PredictorKind::Ovp));
});

conformance!(
    scores_recorded_in_a_transaction_that_fails_are_not_kept,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = region.people[0].id;
        let before = predictors::history(&mut conn, person).unwrap();
        let tier_before = risk_scores::for_person(&mut conn, person).unwrap();
        let result: Result<(), StorageError> = transaction::write(&mut conn, |conn| {
            predictors::record(
                conn,
                person,
                &oasys(day(2026, 11, 1), vec![arp(99.0)]),
                region.staff[0].id,
                keepsafe_test_support::clock::now(),
                today(),
            )?;
            Err(StorageError::Conflict("changed my mind".into()))
        });
        assert!(result.is_err());
        assert_eq!(predictors::history(&mut conn, person).unwrap(), before);
        assert_eq!(
            risk_scores::for_person(&mut conn, person).unwrap(),
            tier_before
        );
    }
);
