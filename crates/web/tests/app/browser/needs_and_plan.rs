//! From a needs assessment to a plan in force, in a real browser: a practitioner completes a
//! needs assessment through its form, records the predictors an external assessment gave and
//! writes a sentence plan with the person's words; the tier page then shows the change level the
//! needs give and a single tier, where before it showed change level 2 and no single tier. The
//! plan pages, the objective form (clean and with errors) and the tier page pass axe-core's
//! WCAG 2.2 AA checks at desktop width and at a phone's.

use super::{AxeReport, Browser};
use crate::support::{today, TestApp};
use chrono::{Datelike, Duration, Months, NaiveDate};
use diesel::prelude::*;
use keepsafe_demo::DEMO_PASSWORD;
use keepsafe_domain::event::CaseType;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::risk::scores;
use keepsafe_storage::schema::{
    needs_answers, needs_assessments, needs_reviews, needs_sections, plan_actions,
    plan_objective_links, plan_objectives, plan_review_tasks, plan_reviews, recorded_predictors,
    registrations, rosh_assessments, sentence_plans,
};
use keepsafe_storage::{transaction, StorageError};
use keepsafe_test_support::{clock, enforcement, risk};
use serde_json::Value;

/// po.demo's case made one that has never had a needs assessment or a plan: on licence (a
/// custodial sentence, so a mandate for change), a RoSH assessment in force at medium for every
/// group (so the plan is the practitioner's alone to make active), no registration in force (so
/// no life sentence or MAPPA step decides the single tier), and none of the demo's needs
/// assessments, plans or recorded predictors.
fn a_licence_case_never_assessed_for_needs(app: &TestApp) -> String {
    let crn = app.case_of("po.demo");
    let by = app.staff_id("po.demo");
    let mut conn = app.db.database.connection().unwrap();
    let person = case_record::locate(&mut conn, &crn)
        .unwrap()
        .unwrap()
        .person_id;
    enforcement::make_case(&mut conn, person, CaseType::Licence);
    transaction::write(&mut conn, |conn| {
        let key = person.to_string();
        let assessments: Vec<String> = needs_assessments::table
            .filter(needs_assessments::person_id.eq(&key))
            .select(needs_assessments::id)
            .load(conn)?;
        diesel::delete(needs_reviews::table.filter(needs_reviews::person_id.eq(&key)))
            .execute(conn)?;
        diesel::delete(
            needs_sections::table.filter(needs_sections::assessment_id.eq_any(&assessments)),
        )
        .execute(conn)?;
        diesel::delete(
            needs_answers::table.filter(needs_answers::assessment_id.eq_any(&assessments)),
        )
        .execute(conn)?;
        diesel::delete(needs_assessments::table.filter(needs_assessments::person_id.eq(&key)))
            .execute(conn)?;
        diesel::delete(plan_review_tasks::table.filter(plan_review_tasks::person_id.eq(&key)))
            .execute(conn)?;
        diesel::delete(plan_reviews::table.filter(plan_reviews::person_id.eq(&key)))
            .execute(conn)?;
        diesel::delete(plan_actions::table.filter(plan_actions::person_id.eq(&key)))
            .execute(conn)?;
        diesel::delete(
            plan_objective_links::table.filter(plan_objective_links::person_id.eq(&key)),
        )
        .execute(conn)?;
        diesel::delete(plan_objectives::table.filter(plan_objectives::person_id.eq(&key)))
            .execute(conn)?;
        diesel::delete(sentence_plans::table.filter(sentence_plans::person_id.eq(&key)))
            .execute(conn)?;
        diesel::delete(recorded_predictors::table.filter(recorded_predictors::person_id.eq(&key)))
            .execute(conn)?;
        diesel::update(
            registrations::table
                .filter(registrations::person_id.eq(&key))
                .filter(registrations::ended_on.is_null()),
        )
        .set(registrations::ended_on.eq(Some(clock::today())))
        .execute(conn)?;
        diesel::update(rosh_assessments::table.filter(rosh_assessments::person_id.eq(&key)))
            .set(rosh_assessments::status.eq("superseded"))
            .execute(conn)?;
        risk::assessment_in_force(conn, person, by)?;
        scores::recompute(conn, &[person], clock::today(), clock::now())?;
        Ok::<_, StorageError>(())
    })
    .unwrap();
    crn
}

/// Clicks the label of the radio or checkbox whose id is `id`, as a person would.
async fn choose(browser: &Browser, id: &str) {
    browser
        .find(&format!("label[for='{id}']"))
        .await
        .click()
        .await
        .unwrap();
}

async fn type_date(browser: &Browser, name: &str, day: NaiveDate) {
    for (part, value) in [
        ("day", day.day().to_string()),
        ("month", day.month().to_string()),
        ("year", day.year().to_string()),
    ] {
        browser.type_into(&format!("#{name}-{part}"), &value).await;
    }
}

/// Answers every section and question of the needs form on the page from its own fields: every
/// section's evidence in words, every section a severe need linked to reoffending and not to
/// harm, and every question given its last (highest) answer.
async fn answer_every_section_with_severe_needs(browser: &Browser) {
    for field in browser.all("main form textarea").await {
        field
            .send_keys("Discussed at length in supervision; the record and partners agree.")
            .await
            .unwrap();
    }
    let groups = browser
        .script(
            "const groups = {};
             for (const r of document.querySelectorAll('main form input[type=radio]')) {
               (groups[r.name] = groups[r.name] || []).push([r.id, r.value]);
             }
             return groups;",
        )
        .await;
    let groups = groups.as_object().expect("radio groups").clone();
    assert!(groups.len() > 30, "every section and question: {groups:?}");
    for (name, choices) in groups {
        let choices: Vec<(String, String)> = choices
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (string(&c[0]), string(&c[1])))
            .collect();
        let wanted = if name.starts_with("severity-") {
            Some("2")
        } else if name.starts_with("harm-") {
            Some("no")
        } else if name.starts_with("reoffending-") {
            Some("yes")
        } else {
            None
        };
        let (id, _) = match wanted {
            Some(value) => choices
                .iter()
                .find(|(_, v)| v == value)
                .unwrap_or_else(|| panic!("{name} offers {value}: {choices:?}")),
            None => choices.last().unwrap(),
        };
        choose(browser, id).await;
    }
}

fn string(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_practitioner_completes_a_needs_assessment_and_a_plan_and_sees_the_change_level_and_single_tier_change(
) {
    let app = TestApp::sqlite();
    let crn = a_licence_case_never_assessed_for_needs(&app);
    let browser = Browser::open_on(&app).await;
    let mut report = AxeReport::default();
    browser.visit("/sign-in").await;
    browser.sign_in_with("po.demo", DEMO_PASSWORD).await;

    // Before: a mandate for change but no needs assessment gives change level 2 (§10, step 2);
    // no ARP or CSRP recorded leaves the single tier missing.
    browser.visit(&format!("/cases/{crn}/tier")).await;
    let legacy = browser.text("[data-testid=legacy-tier]").await;
    assert!(legacy.ends_with('2'), "change level 2: {legacy}");
    let single = browser.text("[data-testid=single-tier]").await;
    assert!(single.starts_with("Not computed"), "{single}");
    report.check(&browser, "tier, no needs or predictors").await;

    // The needs assessment, every section and question through the form.
    browser.click_link("Needs assessment for this case").await;
    browser.find("[data-testid=no-needs-assessment]").await;
    browser.click_button("Start a needs assessment").await;
    assert_eq!(browser.text("[data-testid=needs-status]").await, "Draft");
    answer_every_section_with_severe_needs(&browser).await;
    browser.click_button("Complete the assessment").await;
    assert_eq!(browser.path().await, format!("/cases/{crn}/needs"));
    let current = browser.text("[data-testid=current-needs]").await;
    assert!(current.contains("Severe need"), "{current}");

    // The predictors a full OASys assessment gave, a month ago.
    browser.visit(&format!("/cases/{crn}/predictors/new")).await;
    browser.click_label("OASys").await;
    type_date(&browser, "assessed_on", today() - Months::new(1)).await;
    browser.type_into("#arp_percent", "50").await;
    choose(&browser, "arp_basis-dynamic").await;
    browser.type_into("#csrp_percent", "1.0").await;
    choose(&browser, "csrp_basis-dynamic").await;
    browser.click_button("Record the scores").await;
    assert_eq!(browser.path().await, format!("/cases/{crn}/risk"));

    // The plan: the form refuses an empty objective, naming each field, then takes one.
    browser.click_link("Sentence plan").await;
    browser.find("[data-testid=no-active-plan]").await;
    report.check(&browser, "sentence plan, none yet").await;
    browser.click_link("Add the first objective").await;
    report.check(&browser, "plan objective form").await;
    browser.click_button("Save the objective").await;
    let errors = browser.error_summary().await;
    assert!(!errors.is_empty(), "{errors:?}");
    report
        .check(&browser, "plan objective form with errors")
        .await;
    browser
        .type_into(
            "#description",
            "Stay sober and keep away from Ms Khan and her children",
        )
        .await;
    let risk = browser
        .find("#links input[name=risks]")
        .await
        .attr("id")
        .await
        .unwrap()
        .expect("a risk rated medium to link");
    choose(&browser, &risk).await;
    choose(&browser, "need-alcohol_misuse").await;
    let by = today() + Duration::days(90);
    browser
        .type_into("#action-1-what", "Complete the alcohol treatment programme")
        .await;
    choose(&browser, "action-1-kind").await;
    browser
        .find("#action-1-who")
        .await
        .select_by_value("practitioner")
        .await
        .unwrap();
    type_date(&browser, "action-1-by", by).await;
    browser
        .type_into("#action-2-what", "Keep to the no-contact licence condition")
        .await;
    choose(&browser, "action-2-kind-restrictive").await;
    browser
        .find("#action-2-who")
        .await
        .select_by_value("police")
        .await
        .unwrap();
    type_date(&browser, "action-2-by", by).await;
    browser.click_button("Save the objective").await;
    assert_eq!(browser.path().await, format!("/cases/{crn}/plan"));
    browser.find("[data-testid=draft-status]").await;
    report.check(&browser, "sentence plan, a draft").await;

    browser.click_link("Record what the person says").await;
    browser
        .type_into(
            "#words",
            "I want to stop drinking so I can keep my job. Meetings are hard after work.",
        )
        .await;
    browser.click_label("Agrees with the plan").await;
    report.check(&browser, "what the person says").await;
    browser.click_button("Save").await;
    assert_eq!(browser.path().await, format!("/cases/{crn}/plan"));
    browser.click_button("Submit the plan").await;

    // A medium RoSH plan needs no countersignature: it is in force at once.
    let active = browser.text("[data-testid=active-plan]").await;
    assert!(
        active.starts_with(&format!("Active since {}.", today().format("%-d %B %Y"))),
        "{active}"
    );
    let plan = browser.page_text().await;
    assert!(
        plan.contains("Keep to the no-contact licence condition")
            && plan.contains("I want to stop drinking"),
        "{plan}"
    );
    report.check(&browser, "sentence plan, active").await;

    // After (§10): severe needs weigh 2 × 2 for thinking and behaviour, 2 × 2 for attitudes and
    // 1 × 2 for each of accommodation, education and work, relationships, lifestyle, drugs and
    // alcohol — 20 points before OGRS or IOM add any, so change level 3. ARP 50% with CSRP 1.0%
    // (both dynamic) is row "CSRP >= 1.0", column "ARP >= 50": D; no registration, no sexual
    // predictor and medium RoSH without a MAPPA category raise it, and dynamic scores with a RoSH
    // assessment make it final, not provisional.
    browser.visit(&format!("/cases/{crn}/tier")).await;
    let legacy = browser.text("[data-testid=legacy-tier]").await;
    assert!(legacy.ends_with('3'), "change level 3: {legacy}");
    assert_eq!(browser.text("[data-testid=single-tier]").await, "D");
    report
        .check(&browser, "tier, with needs and predictors")
        .await;

    report.assert_clean(16);
    browser.close().await;
}
