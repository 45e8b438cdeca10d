use crate::conformance;
use crate::support::{conn, today, with_small_region};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use diesel::prelude::*;
use keepsafe_demo::Person;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::person::Sex;
use keepsafe_domain::predictors::ogrs3::{ogrs3, Ogrs3Inputs, RULE_VERSION};
use keepsafe_domain::registration::RegistrationKind;
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::tiering::{
    ChangeInputs, LegacyTier, LegacyTierInputs, LEGACY_TIERING_RULE_VERSION,
    SINGLE_TIERING_RULE_VERSION,
};
use keepsafe_storage::risk::scores::{
    self as risk_scores, SingleTierResult, TierRecord, TierRules,
};
use keepsafe_storage::schema::{
    breach_actions, contacts, people, recalls, registrations, rosh_assessments,
};
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use uuid::Uuid;

fn recompute(conn: &mut AnyConnection, ids: &[Uuid]) -> usize {
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
    transaction::write(conn, |conn| risk_scores::recompute(conn, ids, today(), now)).unwrap()
}

/// A man on a community sentence with one active event: the simplest case to check by hand.
fn community_man(people: &[Person]) -> &Person {
    people
        .iter()
        .find(|p| {
            let active: Vec<_> = p.events.iter().filter(|e| e.active).collect();
            p.sex == Sex::Male && active.len() == 1 && active[0].case_type == CaseType::Community
        })
        .expect("a man on a community sentence")
}

/// A woman with an active event, and that event.
fn supervised_woman(people: &[Person]) -> (&Person, &keepsafe_demo::Event) {
    people
        .iter()
        .find_map(|p| {
            let event = p.events.iter().find(|e| e.active)?;
            (p.sex == Sex::Female).then_some((p, event))
        })
        .expect("a woman with an active event")
}

fn tier_of(conn: &mut AnyConnection, person: &Person) -> TierRecord {
    recompute(conn, &[person.id]);
    risk_scores::for_person(conn, person.id)
        .unwrap()
        .tier
        .unwrap()
}

/// Whether the breach-or-recall women's factor counted, and the note saying where it came from.
fn breach_factor(tier: &TierRecord) -> (bool, String) {
    let counted = tier
        .factors
        .iter()
        .any(|f| f.factor == "Women's factor: breach or recall" && f.counted);
    let note = tier
        .notes
        .iter()
        .find(|n| n.starts_with("Breach or recall:"))
        .cloned()
        .unwrap_or_default();
    (counted, note)
}

/// Removes every breach action and recall of the person, so a test starts from none.
fn clear_enforcement(conn: &mut AnyConnection, person: &Person) {
    let id = person.id.to_string();
    diesel::delete(breach_actions::table.filter(breach_actions::person_id.eq(&id)))
        .execute(conn)
        .unwrap();
    diesel::delete(recalls::table.filter(recalls::person_id.eq(&id)))
        .execute(conn)
        .unwrap();
}

/// Opens breach action on `event`, concluded since, for a failure at one of the person's contacts.
fn breach_opened(conn: &mut AnyConnection, person: &Person, event: Uuid, opened_on: NaiveDate) {
    let id = person.id.to_string();
    let contact: String = contacts::table
        .filter(contacts::person_id.eq(&id))
        .select(contacts::id)
        .first(conn)
        .unwrap();
    diesel::insert_into(breach_actions::table)
        .values((
            breach_actions::id.eq(Uuid::new_v4().to_string()),
            breach_actions::person_id.eq(&id),
            breach_actions::event_id.eq(Some(event.to_string())),
            breach_actions::contact_id.eq(contact),
            breach_actions::status.eq("concluded"),
            breach_actions::opened_on.eq(opened_on),
            breach_actions::due_on.eq(opened_on + Duration::days(10)),
            breach_actions::created_at.eq(keepsafe_test_support::clock::now().naive_utc()),
        ))
        .execute(conn)
        .unwrap();
}

/// Whether the person has a breach action on `event`, or has been recalled on it.
fn breached_or_recalled(conn: &mut AnyConnection, person: &Person, event: Uuid) -> bool {
    let breaches: i64 = breach_actions::table
        .filter(breach_actions::person_id.eq(person.id.to_string()))
        .filter(breach_actions::event_id.eq(event.to_string()))
        .count()
        .get_result(conn)
        .unwrap();
    let recalled: i64 = recalls::table
        .filter(recalls::person_id.eq(person.id.to_string()))
        .filter(recalls::event_id.eq(event.to_string()))
        .filter(recalls::status.eq("recalled"))
        .count()
        .get_result(conn)
        .unwrap();
    breaches + recalled > 0
}

conformance!(
    every_person_with_an_active_event_has_scores_and_a_tier_after_the_demo_loads,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let mut scored = 0;
        for person in &region.people {
            let scores = risk_scores::for_person(&mut conn, person.id).unwrap();
            let active: Vec<_> = person.events.iter().filter(|e| e.active).collect();
            if active.is_empty() {
                continue;
            }
            let tier = scores
                .tier
                .as_ref()
                .unwrap_or_else(|| panic!("{} has a tier", person.crn));
            assert!(!tier.factors.is_empty());
            assert_eq!(
                tier.rule_version,
                format!("{LEGACY_TIERING_RULE_VERSION}; {SINGLE_TIERING_RULE_VERSION}")
            );
            assert_eq!(scores.ogrs3.len(), active.len(), "{}", person.crn);
            for score in &scores.ogrs3 {
                assert!(active.iter().any(|e| e.id == score.event_id));
                assert_eq!(score.rule_version, RULE_VERSION);
                assert!(!score.inputs.is_empty());
                match &score.error {
                    None => {
                        assert!(score.one_year.is_some() && score.two_year.is_some());
                        assert!(score.band.is_some());
                        assert!(score
                            .explanation
                            .iter()
                            .any(|line| line.starts_with("y = ")));
                    }
                    Some(error) => assert!(score.one_year.is_none(), "{error}"),
                }
            }
            scored += 1;
        }
        assert!(
            scored > 20,
            "most demo people have an active event ({scored})"
        );
        let summaries = risk_scores::tiers_for(
            &mut conn,
            &region
                .people
                .iter()
                .map(|p| p.id.to_string())
                .collect::<Vec<_>>(),
        )
        .unwrap();
        assert!(summaries.len() >= scored);
    }
);

conformance!(a_score_stored_is_the_score_the_domain_computes, |db| {
    let region = with_small_region(db);
    let mut conn = conn(db);
    let person = community_man(&region.people);
    recompute(&mut conn, &[person.id]);
    let event = person.events.iter().find(|e| e.active).unwrap();
    let expected = ogrs3(&Ogrs3Inputs {
        sex: person.sex,
        date_of_birth: person.date_of_birth,
        conviction_date: event.conviction_date,
        followup_start_date: event.sentence_date.unwrap(),
        total_sanctions: event.sanctions_before + 1,
        age_at_first_sanction: person.age_at_first_sanction,
        offence_category: event.offence_category,
    })
    .unwrap();

    let scores = risk_scores::for_person(&mut conn, person.id).unwrap();
    let stored = &scores.ogrs3[0];
    assert_eq!(stored.error, None);
    assert_eq!(stored.one_year, Some(expected.one_year));
    assert_eq!(stored.two_year, Some(expected.two_year));
    assert_eq!(stored.band, Some(expected.band));
    assert_eq!(stored.event_number, event.number);
    assert!(stored.inputs.contains(&format!(
        "Age at first sanction: {}",
        person.age_at_first_sanction
    )));
    assert!(stored
        .explanation
        .contains(&format!("y = {:.5}", expected.explanation.y)));

    let registrations: Vec<_> = person
        .registrations
        .iter()
        .filter(|r| r.ended_on.is_none_or(|ended| ended > today()))
        .collect();
    let mandate = event.requirements.iter().filter(|r| r.active).any(|r| {
        !matches!(
            r.kind,
            RequirementKind::UnpaidWork
                | RequirementKind::Curfew
                | RequirementKind::Exclusion
                | RequirementKind::ProhibitedActivity
        )
    });
    let latest_mappa_level = registrations
        .iter()
        .filter(|r| r.mappa_level.is_some())
        .max_by_key(|r| r.registered_on)
        .and_then(|r| r.mappa_level);
    let legacy = LegacyTier::compute(&LegacyTierInputs {
        rsr_percent: None,
        rosh: None,
        mappa_level: latest_mappa_level,
        registrations: registrations.iter().map(|r| r.kind).collect(),
        sex: Sex::Male,
        breach_or_recall: breached_or_recalled(&mut conn, person, event.id),
        unsupervised: false,
        change: ChangeInputs {
            has_mandate_for_change: mandate,
            needs_assessment: None,
            ogrs_percent: Some(expected.two_year),
            iom_nominal: registrations
                .iter()
                .any(|r| r.kind == RegistrationKind::IntegratedOffenderManagement),
        },
    })
    .unwrap();
    let tier = scores.tier.unwrap();
    assert_eq!(tier.legacy, legacy.code());
    assert_eq!(tier.protect_points, legacy.protect_points);
    assert_eq!(tier.change_points, legacy.change_points);
    let legacy_factors: Vec<_> = tier
        .factors
        .iter()
        .filter(|f| f.rules == TierRules::Legacy)
        .map(|f| (f.factor.clone(), f.points, f.counted))
        .collect();
    let expected_factors: Vec<_> = legacy
        .contributions
        .iter()
        .map(|c| (c.factor.clone(), c.points, c.counted))
        .collect();
    assert_eq!(legacy_factors, expected_factors);
    // keepsafe holds no ARP or CSRP yet, so the single tier says what to record.
    assert!(matches!(
        tier.single,
        SingleTierResult::Missing { ref reason } if reason.contains("ARP")
    ));
});

conformance!(
    a_recomputed_person_without_an_age_at_first_sanction_gets_an_error_saying_what_to_record,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = community_man(&region.people);
        diesel::update(people::table.find(person.id.to_string()))
            .set(people::age_at_first_sanction.eq(None::<i32>))
            .execute(&mut *conn)
            .unwrap();
        assert_eq!(recompute(&mut conn, &[person.id]), 1);

        let scores = risk_scores::for_person(&mut conn, person.id).unwrap();
        assert_eq!(scores.ogrs3.len(), 1);
        let score = &scores.ogrs3[0];
        assert_eq!(
            score.error.as_deref(),
            Some("Record the age at first sanction to compute OGRS3")
        );
        assert_eq!(
            (score.one_year, score.two_year, score.band),
            (None, None, None)
        );
        assert!(score
            .inputs
            .contains(&"Age at first sanction: not recorded".to_owned()));
        let tier = scores.tier.unwrap();
        assert!(tier
            .notes
            .iter()
            .any(|note| note.starts_with("OGRS: not available")));
    }
);

conformance!(
    a_completed_rosh_assessment_counts_towards_the_tier_once_recomputed,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = community_man(&region.people);
        let before = risk_scores::for_person(&mut conn, person.id)
            .unwrap()
            .tier
            .unwrap();
        let author = region.staff[0].id.to_string();
        let at = keepsafe_test_support::clock::now().naive_utc();
        diesel::insert_into(rosh_assessments::table)
            .values((
                rosh_assessments::id.eq(Uuid::new_v4().to_string()),
                rosh_assessments::person_id.eq(person.id.to_string()),
                rosh_assessments::status.eq("completed"),
                rosh_assessments::version.eq(1),
                rosh_assessments::case_type.eq("community"),
                rosh_assessments::nature_of_harm.eq(""),
                rosh_assessments::who_is_at_risk.eq(""),
                rosh_assessments::imminence.eq(""),
                rosh_assessments::increasing_factors.eq(""),
                rosh_assessments::reducing_factors.eq(""),
                rosh_assessments::case_level.eq(Some("very_high")),
                rosh_assessments::created_by.eq(&author),
                rosh_assessments::created_at.eq(at),
                rosh_assessments::updated_by.eq(&author),
                rosh_assessments::updated_at.eq(at),
                rosh_assessments::completed_by.eq(Some(&author)),
                rosh_assessments::completed_at.eq(Some(at)),
            ))
            .execute(&mut *conn)
            .unwrap();
        recompute(&mut conn, &[person.id]);

        let after = risk_scores::for_person(&mut conn, person.id)
            .unwrap()
            .tier
            .unwrap();
        assert_eq!(after.protect_points, before.protect_points + 150);
        assert_eq!(after.legacy.protect().to_string(), "A");
        assert!(after
            .factors
            .iter()
            .any(|f| f.factor == "RoSH: Very high" && f.points == Some(150) && f.counted));
        let summary = &risk_scores::tiers_for(&mut conn, &[person.id.to_string()]).unwrap()
            [&person.id.to_string()];
        assert_eq!(summary.legacy, after.legacy.to_string());
        assert_eq!(summary.single, None);
    }
);

conformance!(
    recomputing_inside_a_transaction_that_fails_leaves_the_old_scores,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = community_man(&region.people);
        let before = risk_scores::for_person(&mut conn, person.id).unwrap();
        let result: Result<(), StorageError> = transaction::write(&mut conn, |conn| {
            diesel::update(people::table.find(person.id.to_string()))
                .set(people::age_at_first_sanction.eq(None::<i32>))
                .execute(conn)?;
            risk_scores::recompute(
                conn,
                &[person.id],
                today(),
                keepsafe_test_support::clock::now(),
            )?;
            Err(StorageError::Conflict("changed my mind".into()))
        });
        assert!(result.is_err());
        assert_eq!(
            risk_scores::for_person(&mut conn, person.id).unwrap(),
            before
        );
    }
);

conformance!(
    the_legacy_tier_reads_the_latest_mappa_level_and_the_single_tier_the_latest_category,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let person = community_man(&region.people);
        diesel::delete(
            registrations::table
                .filter(registrations::person_id.eq(person.id.to_string()))
                .filter(registrations::kind.eq("mappa")),
        )
        .execute(&mut *conn)
        .unwrap();
        let before = tier_of(&mut conn, person);
        let register = |conn: &mut AnyConnection, category: &str, level: &str, days_ago: i64| {
            diesel::insert_into(registrations::table)
                .values((
                    registrations::id.eq(Uuid::new_v4().to_string()),
                    registrations::person_id.eq(person.id.to_string()),
                    registrations::kind.eq("mappa"),
                    registrations::mappa_category.eq(Some(category)),
                    registrations::mappa_level.eq(Some(level)),
                    registrations::registered_on.eq(today() - Duration::days(days_ago)),
                    registrations::notes.eq(""),
                ))
                .execute(conn)
                .unwrap();
        };
        // Level 3 (150 points) registered first, level 1 (5 points) later: the later counts.
        register(&mut conn, "1", "3", 100);
        register(&mut conn, "2", "1", 10);

        let after = tier_of(&mut conn, person);
        assert_eq!(after.protect_points, before.protect_points + 5);
        assert!(after
            .factors
            .iter()
            .any(|f| f.factor == "MAPPA: level 1" && f.points == Some(5) && f.counted));
        let registered = (today() - Duration::days(10)).format("%-d %B %Y");
        assert!(
            after.notes.contains(&format!(
                "MAPPA: level 1 (legacy tier), from the latest MAPPA registration with a level, \
                 registered on {registered}"
            )),
            "{:?}",
            after.notes
        );
        assert!(
            after.notes.contains(&format!(
                "MAPPA: category 2: violent offender (single tier), from the latest MAPPA \
                 registration, registered on {registered}"
            )),
            "{:?}",
            after.notes
        );
    }
);

conformance!(
    a_breach_or_a_decided_recall_on_her_current_event_counts_for_a_woman_and_a_recall_considered_does_not,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let (woman, event) = supervised_woman(&region.people);
        let id = woman.id.to_string();
        clear_enforcement(&mut conn, woman);
        let before = tier_of(&mut conn, woman);
        assert_eq!(
            breach_factor(&before),
            (false, "Breach or recall: none on a current event".to_owned())
        );

        let opened_on = today() - Duration::days(20);
        let recall = Uuid::new_v4().to_string();
        diesel::insert_into(recalls::table)
            .values((
                recalls::id.eq(&recall),
                recalls::person_id.eq(&id),
                recalls::event_id.eq(Some(event.id.to_string())),
                recalls::status.eq("considering"),
                recalls::opened_on.eq(opened_on),
                recalls::opened_reason.eq("Failed to keep in touch"),
                recalls::emergency.eq(false),
                recalls::created_at.eq(keepsafe_test_support::clock::now().naive_utc()),
            ))
            .execute(&mut *conn)
            .unwrap();
        let considering = tier_of(&mut conn, woman);
        assert!(!breach_factor(&considering).0, "a recall considered is not a recall");

        let recalled_on = today() - Duration::days(5);
        diesel::update(recalls::table.find(&recall))
            .set((
                recalls::status.eq("recalled"),
                recalls::recall_date.eq(Some(recalled_on)),
            ))
            .execute(&mut *conn)
            .unwrap();
        let recalled = tier_of(&mut conn, woman);
        assert_eq!(
            breach_factor(&recalled),
            (
                true,
                format!(
                    "Breach or recall: yes, recalled on {} on event {} (a women's factor)",
                    recalled_on.format("%-d %B %Y"),
                    event.number
                )
            )
        );
        assert_eq!(recalled.protect_points, before.protect_points + 2);

        diesel::delete(recalls::table.find(&recall))
            .execute(&mut *conn)
            .unwrap();
        breach_opened(&mut conn, woman, event.id, opened_on);
        let breached = tier_of(&mut conn, woman);
        assert_eq!(
            breach_factor(&breached).1,
            format!(
                "Breach or recall: yes, breach action opened on {} on event {} (a women's factor)",
                opened_on.format("%-d %B %Y"),
                event.number
            )
        );
        assert!(breach_factor(&breached).0);
    }
);

conformance!(a_breach_on_an_event_that_has_ended_does_not_count, |db| {
    let region = with_small_region(db);
    let mut conn = conn(db);
    let (woman, event) = supervised_woman(&region.people);
    clear_enforcement(&mut conn, woman);
    breach_opened(&mut conn, woman, event.id, today() - Duration::days(400));
    assert!(breach_factor(&tier_of(&mut conn, woman)).0);

    diesel::update(keepsafe_storage::schema::events::table.find(event.id.to_string()))
        .set(keepsafe_storage::schema::events::active.eq(false))
        .execute(&mut *conn)
        .unwrap();
    assert!(!breach_factor(&tier_of(&mut conn, woman)).0);
});
