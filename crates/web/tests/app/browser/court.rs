//! Court work in a real browser: a practitioner opens a hearing from the court list, writes the
//! pre-sentence report proposing a curfew before the police and children's-services checks are
//! in, is refused with each missing item named and linked, and records asking the court for an
//! adjournment. Every page on the way passes axe-core's WCAG 2.2 AA checks at desktop width and
//! at a phone's width.

use super::{AxeReport, Browser};
use crate::support::{today, TestApp};
use chrono::NaiveDate;
use keepsafe_demo::DEMO_PASSWORD;
use keepsafe_domain::court::ReportType;
use keepsafe_test_support::court::{add, court_of, line};

async fn type_date(browser: &Browser, name: &str, day: NaiveDate) {
    browser
        .type_into(&format!("#{name}-day"), &day.format("%-d").to_string())
        .await;
    browser
        .type_into(&format!("#{name}-month"), &day.format("%-m").to_string())
        .await;
    browser
        .type_into(&format!("#{name}-year"), &day.format("%Y").to_string())
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_practitioner_proposing_a_curfew_without_the_checks_is_refused_and_records_asking_for_an_adjournment(
) {
    let app = TestApp::sqlite();
    let po = app.staff_id("po.demo");
    let pdu = app
        .region
        .staff
        .iter()
        .find(|s| s.id == po)
        .and_then(|s| s.pdu_id)
        .unwrap();
    let (court, hearing) = {
        let mut conn = app.db.database.connection().unwrap();
        let court = court_of(&mut conn, pdu);
        let new_person = line(
            "Nadia",
            "Okafor",
            NaiveDate::from_ymd_opt(1994, 7, 12).unwrap(),
            None,
            Some(ReportType::Standard),
        );
        let added = add(&mut conn, &court, today(), &new_person, po);
        (court, added)
    };
    let browser = Browser::open_on(&app).await;
    let mut report = AxeReport::default();
    browser.visit("/sign-in").await;
    browser.sign_in_with("po.demo", DEMO_PASSWORD).await;

    browser.visit("/courts").await;
    assert_eq!(browser.heading().await, "Court lists");
    report.check(&browser, "court lists").await;
    browser
        .visit(&format!("/courts/{}/{}", court.code, today()))
        .await;
    report.check(&browser, "the day's list").await;
    browser.click_link("Nadia Okafor").await;
    assert_eq!(
        browser.path().await,
        format!("/court/hearings/{}", hearing.hearing_id)
    );
    assert!(browser
        .text("[data-testid=hearing]")
        .await
        .contains("New pre-sentence case"));
    report.check(&browser, "the hearing").await;
    browser.click_link("Open the report").await;
    report.check(&browser, "the report").await;
    assert!(browser
        .text("[data-testid=proposal-gaps]")
        .await
        .contains("police domestic-abuse check"));

    browser
        .type_into(
            "#sources",
            "Interview with Nadia at court on 2 December 2026",
        )
        .await;
    browser.click_label("Community order").await;
    browser.click_label("Curfew (at an address)").await;
    browser
        .type_into(
            "#justification",
            "A curfew keeps her at home at night, away from the pub",
        )
        .await;
    browser.click_button("Save the draft").await;
    let errors = browser.error_summary().await;
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors[0].starts_with(
        "You cannot propose a curfew requirement until the police domestic-abuse check response is in"
    ));
    assert!(errors[1].contains("children's services safeguarding check"));
    assert!(errors[2].contains("main occupier's details are recorded"));
    assert_eq!(
        browser.value("#sources").await,
        "Interview with Nadia at court on 2 December 2026",
        "what was typed is kept"
    );
    let links = browser.all_text("[data-testid=proposal-gaps] a").await;
    assert_eq!(
        links,
        [
            "Request the check",
            "Request the check",
            "Start an address suitability check"
        ]
    );
    report.check(&browser, "the proposal refused").await;

    type_date(&browser, "asked_on", today()).await;
    browser
        .type_into(
            "#reason",
            "The police and children's services checks have not been answered",
        )
        .await;
    browser.click_label("Adjournment granted").await;
    type_date(
        &browser,
        "new_hearing_on",
        NaiveDate::from_ymd_opt(2026, 12, 23).unwrap(),
    )
    .await;
    browser.click_button("Record the adjournment request").await;
    let recorded = browser.text("[data-testid=adjournments]").await;
    assert!(recorded.contains("2 December 2026"), "{recorded}");
    assert!(
        recorded.contains("Granted: the hearing is now on 23 December 2026"),
        "{recorded}"
    );
    report.check(&browser, "the adjournment recorded").await;
    report.assert_clean(12);
    browser.close().await;
}
