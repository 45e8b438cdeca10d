//! Quality assurance storage: audits and moderations round-trip and are rated with the cases
//! behind each number; samples are reproducible from their stored seed; the automated rating reads
//! every live case; decisions and action plans keep their history.

use crate::conformance;
use crate::support::{conn, today, with_small_region};
use diesel::prelude::*;
use keepsafe_domain::partner::RequestType;
use keepsafe_domain::quality::{
    validate, Action, ActionStatus, CaseAudit, Framework, IndicatorRules, OversightKind,
    OversightRecord, PlanRefused, Rating, Recommendation, Source, UnratedStandards, HMIP_2018,
    HMIP_PDU_2023,
};
use keepsafe_domain::staff::Grade;
use keepsafe_domain::CodedValue;
use keepsafe_storage::quality::audits::{self, EnteredBy, NewAudit};
use keepsafe_storage::quality::judgements::{self, JudgementKind, NewJudgement};
use keepsafe_storage::quality::plans::{self, NewRecommendation};
use keepsafe_storage::quality::{case_indicators, oversight, ratings, samples, units, Unit};
use keepsafe_storage::risk::checks::{self, NewCheck};
use keepsafe_storage::schema::{allocations, staff};
use keepsafe_storage::workload::allocation::{self, Move};
use keepsafe_storage::{transaction, StorageError};
use keepsafe_test_support::clock::now;
use keepsafe_test_support::quality::{answers, record_audit, Auditor};

/// The region's first member of staff of `grade` (in `pdu`, when given).
fn staff_of(
    region: &keepsafe_demo::DemoRegion,
    grade: Grade,
    pdu: Option<uuid::Uuid>,
) -> &keepsafe_demo::StaffMember {
    region
        .staff
        .iter()
        .find(|s| s.grade == grade && pdu.is_none_or(|p| s.pdu_id == Some(p)))
        .unwrap_or_else(|| panic!("the small region has a {grade}"))
}

conformance!(
    audits_are_rated_per_unit_with_the_cases_behind_each_answer,
    |db| {
        let region = with_small_region(db);
        let pdu = region.pdus[0].id;
        let auditor = staff_of(&region, Grade::QualityInspection, None);
        let moderator = staff_of(&region, Grade::SeniorProbationOfficer, Some(pdu));
        // The 2018 framework, which the demo's audits do not use, so only these audits count.
        let framework = Framework::by_code(HMIP_2018).unwrap();
        let mut conn = conn(db);
        let live = units::live_cases(&mut conn, Unit::Pdu(pdu)).unwrap();
        assert!(live.len() >= 4, "the small region has live cases");
        let quality_auditor = |moderates| Auditor {
            id: auditor.id,
            name: "Quality Auditor",
            on: today(),
            moderates,
        };
        let mut first_id = None;
        for (i, case) in live.iter().take(4).enumerate() {
            let no_on = (i == 0).then_some("2.1.safe");
            let id =
                record_audit(&mut conn, &framework, case, no_on, &quality_auditor(None)).unwrap();
            first_id.get_or_insert(id);
        }
        // The moderator agrees with everything but the first case's keeping-safe answer.
        let first = audits::find(&mut conn, first_id.unwrap()).unwrap();
        assert_eq!(first.answers_count(), framework.key_questions().count());
        let own = record_audit(
            &mut conn,
            &framework,
            &live[0],
            None,
            &quality_auditor(Some(first.id)),
        );
        assert!(
            matches!(own, Err(StorageError::Conflict(ref m)) if m.contains("cannot moderate")),
            "nobody moderates their own audit"
        );
        record_audit(
            &mut conn,
            &framework,
            &live[0],
            None,
            &Auditor {
                id: moderator.id,
                name: "Senior Officer",
                on: today(),
                moderates: Some(first.id),
            },
        )
        .unwrap();

        let rated = ratings::audited(
            &mut conn,
            Unit::Pdu(pdu),
            HMIP_2018,
            today() - chrono::Duration::days(365),
            today(),
            UnratedStandards::RateOnRated,
        )
        .unwrap();
        assert_eq!(rated.source, Source::Audit);
        assert_eq!(rated.cases.len(), 4, "the moderation replaces, not adds");
        let safe = rated
            .tally
            .questions
            .iter()
            .find(|q| q.question == "2.1.safe")
            .unwrap();
        assert_eq!(safe.yes.len(), 4, "the moderator's answer stands");
        let moderation = rated.moderation.expect("agreement is measured");
        assert_eq!(moderation.disagreements.len(), 1);

        let region_rating = ratings::audited(
            &mut conn,
            Unit::Region(region.region.id),
            HMIP_2018,
            today() - chrono::Duration::days(365),
            today(),
            UnratedStandards::RateOnRated,
        )
        .unwrap();
        assert_eq!(region_rating.cases.len(), 4);
        let info = units::describe(&mut conn, Unit::Region(region.region.id)).unwrap();
        let split = ratings::breakdown(
            &region_rating,
            Unit::Region(region.region.id),
            &info.children,
        )
        .unwrap();
        assert_eq!(split.len(), 1, "only the audited PDU appears");
        assert_eq!(split[0].0.unit, Unit::Pdu(pdu));

        let trend =
            ratings::audited_trend(&mut conn, Unit::Pdu(pdu), HMIP_2018, today(), 4).unwrap();
        assert_eq!(trend.len(), 4);
        assert_eq!(trend.last().unwrap().cases, 4);
        assert_eq!(trend[0].cases, 0);
    }
);

conformance!(a_stored_sample_is_reproducible_from_its_seed, |db| {
    let region = with_small_region(db);
    let pdu = region.pdus[0].id;
    let head = staff_of(&region, Grade::HeadOfPdu, Some(pdu));
    let mut conn = conn(db);
    let (id, drawn) = samples::draw_and_store(
        &mut conn,
        pdu,
        HMIP_PDU_2023,
        5,
        42,
        head.id,
        keepsafe_test_support::clock::now(),
    )
    .unwrap()
    .unwrap();
    let stored = samples::find(&mut conn, id).unwrap();
    assert_eq!(stored.seed, 42);
    assert_eq!(stored.cases.len(), drawn.cases.len());
    let crns: Vec<&str> = stored.cases.iter().map(|c| c.crn.as_str()).collect();
    let (population, _) = samples::population(&mut conn, pdu).unwrap();
    let again = keepsafe_domain::quality::draw(&population, 5, stored.seed).unwrap();
    assert_eq!(again.cases, crns, "the same seed draws the same cases");
    assert_eq!(stored.audited(), 0);
    assert_eq!(samples::for_pdu(&mut conn, pdu).unwrap().len(), 1);
});

conformance!(
    the_automated_rating_reads_every_live_case_and_oversight_counts,
    |db| {
        let region = with_small_region(db);
        let pdu = region.pdus[0].id;
        let spo = staff_of(&region, Grade::SeniorProbationOfficer, Some(pdu));
        let mut conn = conn(db);
        let live = units::live_cases(&mut conn, Unit::Pdu(pdu)).unwrap();
        let case = &live[0];
        let record = OversightRecord::new(
            OversightKind::Supervision,
            today(),
            "Discussed the plan",
            today(),
        )
        .unwrap();
        let oversight_id = oversight::record(
            &mut conn,
            case.person_id,
            &record,
            spo.id,
            keepsafe_test_support::clock::now(),
        )
        .unwrap();
        let stored = oversight::for_person(&mut conn, case.person_id).unwrap();
        assert_eq!(stored[0].id, oversight_id);

        let (rating, indicators) = ratings::automated(
            &mut conn,
            Unit::Pdu(pdu),
            HMIP_PDU_2023,
            today(),
            &IndicatorRules::default(),
        )
        .unwrap();
        assert_eq!(rating.source, Source::Automated);
        assert_eq!(rating.cases.len(), live.len());
        let found = &indicators[&case.crn];
        let oversight = found.iter().find(|i| i.code == "2.4.oversight").unwrap();
        assert!(
            oversight.evidence.iter().any(|e| e.id == oversight_id),
            "the oversight indicator links the record: {oversight:?}"
        );
    }
);

conformance!(panel_decisions_and_action_plans_keep_their_history, |db| {
    let region = with_small_region(db);
    let pdu = region.pdus[0].id;
    let quality = staff_of(&region, Grade::QualityInspection, None);
    let mut conn = conn(db);
    let now = keepsafe_test_support::clock::now();
    for (rating, reason) in [
        (Rating::Good, "first view"),
        (Rating::RequiresImprovement, "revised"),
    ] {
        judgements::record(
            &mut conn,
            &NewJudgement {
                framework: HMIP_2018,
                unit: Unit::Pdu(pdu),
                standard: "1.1",
                kind: JudgementKind::Judgement,
                rating,
                reason,
                recorded_by: quality.id,
            },
            now + chrono::Duration::seconds(i64::from(reason == "revised")),
        )
        .unwrap();
    }
    let current = judgements::current(&mut conn, Unit::Pdu(pdu), HMIP_2018).unwrap();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].rating, Rating::RequiresImprovement);
    assert_eq!(
        judgements::history(&mut conn, Unit::Pdu(pdu), HMIP_2018)
            .unwrap()
            .len(),
        2
    );

    let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
    let recommendation = Recommendation::new(
        &framework,
        "Request police checks at allocation",
        Some("2.1"),
    )
    .unwrap();
    let rec = plans::add_recommendation(
        &mut conn,
        &NewRecommendation {
            unit: Unit::Pdu(pdu),
            framework: HMIP_PDU_2023,
            recommendation: &recommendation,
            made_by: "HM Inspectorate of Probation",
            made_on: today(),
            recorded_by: quality.id,
        },
        now,
    )
    .unwrap();
    let action = Action::new(
        "Add checks to the allocation checklist",
        "Head of PDU",
        today(),
    )
    .unwrap();
    let action_id = plans::add_action(&mut conn, rec, &action, quality.id, now).unwrap();
    plans::move_action(
        &mut conn,
        rec,
        action_id,
        ActionStatus::Done,
        quality.id,
        now,
    )
    .unwrap()
    .unwrap();
    let reopened = plans::move_action(
        &mut conn,
        rec,
        action_id,
        ActionStatus::InProgress,
        quality.id,
        now,
    )
    .unwrap();
    assert!(matches!(reopened, Err(PlanRefused::NotAllowed { .. })));
    let stored = plans::for_unit(&mut conn, Unit::Pdu(pdu)).unwrap();
    assert_eq!(stored[0].actions[0].action.status, ActionStatus::Done);
    assert!(matches!(
        plans::move_action(
            &mut conn,
            uuid::Uuid::new_v4(),
            action_id,
            ActionStatus::Done,
            quality.id,
            now
        ),
        Err(StorageError::NotFound)
    ));
});

conformance!(
    the_demo_region_is_rated_from_a_year_of_audits_with_a_trend,
    |db| {
        let region = with_small_region(db);
        let pdu = region.pdus[0].id;
        let mut conn = conn(db);
        let year_ago = today() - chrono::Duration::days(365);
        let rated = ratings::audited(
            &mut conn,
            Unit::Pdu(pdu),
            HMIP_PDU_2023,
            year_ago,
            today(),
            UnratedStandards::Refuse,
        )
        .unwrap();
        assert!(
            rated.cases.len() >= 20,
            "{} cases audited",
            rated.cases.len()
        );
        let overall = rated
            .rating
            .overall
            .as_ref()
            .expect("the panel's judgements complete the overall rating");
        assert_eq!(overall.max_points, 21);
        assert!(rated.moderation.is_some(), "some audits are moderated");
        let trend =
            ratings::audited_trend(&mut conn, Unit::Pdu(pdu), HMIP_PDU_2023, today(), 4).unwrap();
        assert!(trend.iter().all(|q| q.cases > 0), "{trend:?}");
        let region_rating = ratings::audited(
            &mut conn,
            Unit::Region(region.region.id),
            HMIP_PDU_2023,
            year_ago,
            today(),
            UnratedStandards::Refuse,
        )
        .unwrap();
        assert!(region_rating.rating.overall.is_ok());
        assert!(region_rating.cases.len() >= rated.cases.len());
        assert!(!plans::for_unit(&mut conn, Unit::Pdu(pdu))
            .unwrap()
            .is_empty());
        let (automated, _) = ratings::automated(
            &mut conn,
            Unit::Pdu(pdu),
            HMIP_PDU_2023,
            today(),
            &IndicatorRules::default(),
        )
        .unwrap();
        let oversight = automated
            .tally
            .questions
            .iter()
            .find(|q| q.question == "2.4.safe")
            .unwrap();
        assert!(
            !oversight.yes.is_empty() && !oversight.no.is_empty(),
            "{oversight:?}"
        );
    }
);

conformance!(one_case_is_read_as_its_units_live_cases_read_it, |db| {
    let region = with_small_region(db);
    let mut conn = conn(db);
    let live = units::live_cases(&mut conn, Unit::Nation).unwrap();
    for case in live.iter().take(3) {
        assert_eq!(
            units::live_case(&mut conn, case.person_id)
                .unwrap()
                .as_ref(),
            Some(case),
            "{} reads the same alone as in its unit",
            case.crn
        );
    }
    let not_live = region
        .people
        .iter()
        .find(|p| live.iter().all(|c| c.person_id != p.id))
        .expect("the small region has a person with no live case (pre-sentence or ended)");
    assert_eq!(units::live_case(&mut conn, not_live.id).unwrap(), None);
    assert_eq!(
        units::live_case(&mut conn, uuid::Uuid::new_v4()).unwrap(),
        None,
        "an unknown person has no live case"
    );
});

conformance!(
    a_moderation_is_checked_before_the_form_and_found_from_its_audit,
    |db| {
        let region = with_small_region(db);
        let pdu = region.pdus[0].id;
        let auditor = staff_of(&region, Grade::QualityInspection, None);
        let moderator = staff_of(&region, Grade::SeniorProbationOfficer, Some(pdu));
        let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
        let mut conn = conn(db);
        let case = units::live_cases(&mut conn, Unit::Pdu(pdu)).unwrap()[0].clone();
        let audit = validate(
            &framework,
            CaseAudit {
                case: case.crn.clone(),
                team: case.team_code().to_owned(),
                pdu: case.pdu_code.clone(),
                region: case.region_code.clone(),
                answers: answers(&framework, Some("2.2.safe")),
            },
        )
        .unwrap();
        let new = |auditor_id, moderates| NewAudit {
            audit: &audit,
            person_id: case.person_id,
            team_id: case.team.as_ref().map(|t| t.0),
            pdu_id: case.pdu_id,
            sample_id: None,
            moderates,
            audited_on: today(),
            auditor_id,
            auditor_name: "Auditor".to_owned(),
            entered_by: EnteredBy::Form,
        };
        let first = audits::record(
            &mut conn,
            &new(auditor.id, None),
            keepsafe_test_support::clock::now(),
        )
        .unwrap();
        let check = |conn: &mut _, who| {
            audits::check_moderation(conn, first, case.person_id, HMIP_PDU_2023, who)
        };
        assert!(matches!(
            check(&mut conn, auditor.id),
            Err(StorageError::Conflict(m)) if m.contains("cannot moderate")
        ));
        check(&mut conn, moderator.id).unwrap();
        assert_eq!(audits::moderation_of(&mut conn, first).unwrap(), None);
        let second = audits::record(
            &mut conn,
            &new(moderator.id, Some(first)),
            keepsafe_test_support::clock::now(),
        )
        .unwrap();
        assert_eq!(
            audits::moderation_of(&mut conn, first)
                .unwrap()
                .map(|m| m.id),
            Some(second)
        );
        assert!(matches!(
            check(&mut conn, moderator.id),
            Err(StorageError::Conflict(m)) if m == "This audit has already been moderated"
        ));
    }
);

conformance!(a_stored_sample_shows_its_strata_as_drawn, |db| {
    let region = with_small_region(db);
    let pdu = region.pdus[0].id;
    let head = staff_of(&region, Grade::HeadOfPdu, Some(pdu));
    let mut conn = conn(db);
    let (id, drawn) = samples::draw_and_store(
        &mut conn,
        pdu,
        HMIP_PDU_2023,
        12,
        7,
        head.id,
        keepsafe_test_support::clock::now(),
    )
    .unwrap()
    .unwrap();
    let stored = samples::find(&mut conn, id).unwrap();
    let strata = stored.strata();
    assert_eq!(strata.len(), drawn.strata.len());
    for (kept, original) in strata.iter().zip(&drawn.strata) {
        assert_eq!(kept.stratum, original.stratum);
        assert_eq!(kept.population, original.population);
        assert_eq!(kept.drawn, original.drawn);
        assert!((kept.share_percent - original.share_percent).abs() < 0.051);
    }
    assert_eq!(stored.moderated(), 0);
});

conformance!(
    a_sampled_case_is_audited_once_for_its_sample_even_at_the_same_moment,
    |db| {
        let region = with_small_region(db);
        let pdu = region.pdus[0].id;
        let head = staff_of(&region, Grade::HeadOfPdu, Some(pdu));
        let mut conn = conn(db);
        let (sample, _) = samples::draw_and_store(
            &mut conn,
            pdu,
            HMIP_PDU_2023,
            3,
            7,
            head.id,
            keepsafe_test_support::clock::now(),
        )
        .unwrap()
        .unwrap();
        let stored = samples::find(&mut conn, sample).unwrap();
        let case = &stored.cases[0];
        let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
        let audit = validate(
            &framework,
            CaseAudit {
                case: case.crn.clone(),
                team: String::new(),
                pdu: String::new(),
                region: String::new(),
                answers: answers(&framework, None),
            },
        )
        .unwrap();
        let new = NewAudit {
            audit: &audit,
            person_id: case.person_id,
            team_id: None,
            pdu_id: pdu,
            sample_id: Some(sample),
            moderates: None,
            audited_on: today(),
            auditor_id: head.id,
            auditor_name: "Head".to_owned(),
            entered_by: EnteredBy::Form,
        };
        audits::record(&mut conn, &new, keepsafe_test_support::clock::now()).unwrap();
        assert!(matches!(
            audits::record(&mut conn, &new, keepsafe_test_support::clock::now()),
            Err(StorageError::Conflict(m)) if m.contains("just been audited")
        ));
    }
);

conformance!(
    a_framework_setting_changes_the_bands_every_rating_uses,
    |db| {
        let region = with_small_region(db);
        let pdu = region.pdus[0].id;
        let mut conn = conn(db);
        let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
        let refused = keepsafe_storage::quality::frameworks::set(
            &mut conn,
            &keepsafe_storage::quality::frameworks::NewSetting {
                framework: &framework,
                thresholds: None,
                bands: Some("0-3,4-10,11-17"),
                reason: "too few",
                set_by: "test",
            },
            keepsafe_test_support::clock::now(),
        )
        .unwrap();
        assert!(refused.is_err());
        keepsafe_storage::quality::frameworks::set(
            &mut conn,
            &keepsafe_storage::quality::frameworks::NewSetting {
                framework: &framework,
                thresholds: Some(
                    keepsafe_domain::quality::RatingThresholds::new(85, 70, 55).unwrap(),
                ),
                bands: Some("0-6,7-12,13-17,18-21"),
                reason: "Regional agreement",
                set_by: "test",
            },
            keepsafe_test_support::clock::now(),
        )
        .unwrap()
        .unwrap();
        let rated = ratings::audited(
            &mut conn,
            Unit::Pdu(pdu),
            HMIP_PDU_2023,
            today() - chrono::Duration::days(365),
            today(),
            UnratedStandards::Refuse,
        )
        .unwrap();
        assert_eq!(rated.framework.thresholds.good(), 70);
        let overall = rated.rating.overall.unwrap();
        assert!(
            overall
                .explanation
                .inputs
                .iter()
                .any(|f| f.value.contains("Inadequate 0–6")),
            "{:?}",
            overall.explanation
        );
        assert!(keepsafe_storage::quality::frameworks::clear(&mut conn, HMIP_PDU_2023).unwrap());
        let back = keepsafe_storage::quality::frameworks::configured(&mut conn, HMIP_PDU_2023)
            .unwrap()
            .unwrap();
        assert_eq!(back, framework);
    }
);

conformance!(
    the_weekly_automated_record_gives_every_unit_a_trend_point,
    |db| {
        let region = with_small_region(db);
        let pdu = region.pdus[0].id;
        let mut conn = conn(db);
        let rules = IndicatorRules::default();
        let week =
            keepsafe_storage::quality::snapshots::record(&mut conn, HMIP_PDU_2023, today(), &rules)
                .unwrap();
        // Again the same week: replaced, not added.
        keepsafe_storage::quality::snapshots::record(&mut conn, HMIP_PDU_2023, today(), &rules)
            .unwrap();
        let later = today() + chrono::Duration::days(7);
        keepsafe_storage::quality::snapshots::record(&mut conn, HMIP_PDU_2023, later, &rules)
            .unwrap();
        let trend = keepsafe_storage::quality::snapshots::trend(
            &mut conn,
            Unit::Pdu(pdu),
            HMIP_PDU_2023,
            later,
            12,
        )
        .unwrap();
        assert_eq!(trend.len(), 2, "{trend:?}");
        assert_eq!(trend[0].from, week.week_start);
        let (automated, _) =
            ratings::automated(&mut conn, Unit::Pdu(pdu), HMIP_PDU_2023, today(), &rules).unwrap();
        assert_eq!(trend[0].cases, automated.cases.len());
        let assessment = trend[0]
            .standards
            .iter()
            .find(|(s, _, _)| s == "2.1")
            .unwrap();
        let lowest = assessment.1.expect("2.1 applies to some case");
        let from_rating = automated
            .tally
            .questions
            .iter()
            .filter(|q| q.standard == "2.1")
            .map(|q| q.score())
            .filter(|s| s.applicable() > 0)
            .map(|s| s.percent().unwrap())
            .fold(f64::MAX, f64::min);
        assert_eq!(
            lowest.percent().unwrap(),
            from_rating,
            "the record matches the rating that week"
        );
        let nation = keepsafe_storage::quality::snapshots::trend(
            &mut conn,
            Unit::Nation,
            HMIP_PDU_2023,
            later,
            12,
        )
        .unwrap();
        assert_eq!(nation.len(), 2);
    }
);

/// Each key question's (yes, no, not applicable) counts, from the stored aggregates and from
/// the live recomputation, so the two can be compared.
fn live_counts(rating: &ratings::UnitRating) -> Vec<(String, usize, usize, usize)> {
    rating
        .tally
        .questions
        .iter()
        .map(|q| {
            (
                q.question.clone(),
                q.yes.len(),
                q.no.len(),
                q.not_applicable.len(),
            )
        })
        .collect()
}

fn stored_counts(scores: &ratings::UnitScores) -> Vec<(String, usize, usize, usize)> {
    scores
        .questions
        .iter()
        .map(|q| (q.question.clone(), q.yes, q.no, q.not_applicable))
        .collect()
}

conformance!(
    indicators_kept_up_to_date_by_each_change_agree_with_a_full_recompute,
    |db| {
        let region = with_small_region(db);
        let rules = IndicatorRules::default();
        let pdu = region.pdus[0].id;
        let spo = staff_of(&region, Grade::SeniorProbationOfficer, Some(pdu));
        let mut conn = conn(db);
        // The region was installed on the test clock's day, later than the suite's: every row is
        // stale until brought up to date.
        case_indicators::bring_up_to_date(&mut conn, today(), &rules).unwrap();
        assert_eq!(case_indicators::queued(&mut conn).unwrap(), 0);
        let live = units::live_cases(&mut conn, Unit::Pdu(pdu)).unwrap();
        let (first, second) = (&live[0], &live[1]);

        // Changes through the application's own write functions, each queuing its case.
        let record =
            OversightRecord::new(OversightKind::Supervision, today(), "Reviewed", today()).unwrap();
        oversight::record(&mut conn, first.person_id, &record, spo.id, now()).unwrap();
        transaction::write(&mut conn, |conn| {
            checks::request(
                conn,
                &NewCheck {
                    person_id: second.person_id,
                    kind: RequestType::PoliceDomesticAbuse,
                    address_id: None,
                    address_description: "14 Mill Road, Midchester".into(),
                    requested_on: today(),
                    deadline: today() + chrono::Duration::days(14),
                    deadline_rule: "test".into(),
                    requested_by: spo.id,
                },
                now(),
            )
        })
        .unwrap();
        // Every case of one practitioner moves to a practitioner of another team.
        let allocated: Vec<(String, String)> = allocations::table
            .inner_join(staff::table.on(staff::id.eq(allocations::staff_id)))
            .filter(allocations::end_date.is_null())
            .filter(staff::grade.eq(Grade::ProbationOfficer.code()))
            .select((allocations::staff_id, allocations::team_id))
            .load(&mut conn)
            .unwrap();
        let (from, from_team) = allocated[0].clone();
        let (to, _) = allocated
            .iter()
            .find(|(_, team)| *team != from_team)
            .expect("the small region has practitioners in two teams")
            .clone();
        let moved: Vec<uuid::Uuid> = allocations::table
            .filter(allocations::staff_id.eq(&from))
            .filter(allocations::end_date.is_null())
            .select(allocations::person_id)
            .load::<String>(&mut conn)
            .unwrap()
            .iter()
            .map(|id| id.parse().unwrap())
            .collect();
        let by = from.parse().unwrap();
        transaction::write(&mut conn, |conn| {
            allocation::transfer(
                conn,
                by,
                &moved,
                to.parse().unwrap(),
                &Move {
                    reason: "Covering an absence",
                    override_reason: None,
                    by,
                    today: today(),
                    now: now(),
                },
            )
        })
        .unwrap();
        // A sentence plan agreed for a third case: the planning indicators read it.
        let third = live[2].person_id;
        transaction::write(&mut conn, |conn| {
            use keepsafe_domain::plans::{ActionKind, ActionOwner, Objective, PlanAction};
            use keepsafe_domain::text::LongText;
            let plan = keepsafe_storage::plans::write::start(conn, third, spo.id, now())?;
            let objective = Objective {
                id: uuid::Uuid::new_v4(),
                description: LongText::required("Keep away from the victim").unwrap(),
                needs: Vec::new(),
                risks: vec![keepsafe_domain::rosh::RiskGroup::KnownAdult],
                actions: vec![PlanAction {
                    kind: ActionKind::Restrictive,
                    what: LongText::required("No contact with the victim").unwrap(),
                    who: ActionOwner::Police,
                    provider: String::new(),
                    by_when: today() + chrono::Duration::days(60),
                }],
                progress: keepsafe_domain::plans::Progress::NotStarted,
                progress_note: LongText::default(),
            };
            let version = keepsafe_storage::plans::write::save_objective(
                conn,
                plan,
                1,
                &objective,
                spo.id,
                now(),
            )?;
            keepsafe_storage::plans::write::submit(
                conn,
                plan,
                version,
                keepsafe_domain::plans::PlanStatus::Active,
                None,
                spo.id,
                now(),
            )
        })
        .unwrap();
        assert!(
            case_indicators::queued(&mut conn).unwrap() >= 3 + moved.len().min(1),
            "each change queued its case in its own transaction"
        );

        // A rating read sees the changes, and counts what the live recomputation counts.
        for unit in [Unit::Pdu(pdu), Unit::Region(region.region.id), Unit::Nation] {
            let info = units::describe(&mut conn, unit).unwrap();
            let stored = ratings::automated_scores(
                &mut conn,
                unit,
                &info.children,
                HMIP_PDU_2023,
                today(),
                &rules,
            )
            .unwrap();
            let (recomputed, _) =
                ratings::automated(&mut conn, unit, HMIP_PDU_2023, today(), &rules).unwrap();
            assert_eq!(stored.behind, 0);
            assert_eq!(stored.cases, recomputed.cases.len());
            assert_eq!(stored_counts(&stored), live_counts(&recomputed), "{unit:?}");
            assert_eq!(stored.rating, recomputed.rating, "{unit:?}");
        }
        let incremental = case_indicators::all(&mut conn).unwrap();
        assert_eq!(
            case_indicators::recompute_all(&mut conn, today(), &rules, &mut |_, _| {}).unwrap(),
            incremental.len()
        );
        assert_eq!(case_indicators::all(&mut conn).unwrap(), incremental);

        // A month on, every row is a day behind until the daily refresh, which then agrees with
        // a full recompute as of that day.
        let later = today() + chrono::Duration::days(30);
        let info = units::describe(&mut conn, Unit::Nation).unwrap();
        let behind = ratings::automated_scores(
            &mut conn,
            Unit::Nation,
            &info.children,
            HMIP_PDU_2023,
            later,
            &rules,
        )
        .unwrap();
        assert_eq!(behind.behind, incremental.len());
        case_indicators::bring_up_to_date(&mut conn, later, &rules).unwrap();
        let refreshed = case_indicators::all(&mut conn).unwrap();
        case_indicators::recompute_all(&mut conn, later, &rules, &mut |_, _| {}).unwrap();
        assert_eq!(case_indicators::all(&mut conn).unwrap(), refreshed);
    }
);
