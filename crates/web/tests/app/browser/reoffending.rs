//! Reoffending in a real browser: a practitioner records a conviction after a finished order (a
//! first, empty try refused with the missing fields named), and sees the order's follow-up end in proven
//! reoffending; a senior officer reads the region's rates and the calibration of OGRS3. Every
//! page passes axe-core's WCAG 2.2 AA checks at desktop width and at a phone's.

use super::{AxeReport, Browser};
use crate::support::TestApp;
use chrono::{Datelike, Duration};
use keepsafe_demo::DEMO_PASSWORD;
use keepsafe_storage::cases::record as case_record;
use keepsafe_test_support::clock;
use keepsafe_test_support::reoffending::finished_sentence;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_practitioner_records_a_conviction_and_a_senior_officer_reads_the_rates_and_calibration()
{
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let start = clock::today() - Duration::days(3 * 365);
    {
        let mut conn = app.db.database.connection().unwrap();
        let person = case_record::locate(&mut conn, &crn)
            .unwrap()
            .unwrap()
            .person_id;
        finished_sentence(&mut conn, person, start, None, 3);
    }
    let browser = Browser::open_on(&app).await;
    let mut report = AxeReport::default();

    browser.visit("/").await;
    browser.sign_in_with("po.demo", DEMO_PASSWORD).await;
    browser.visit(&format!("/cases/{crn}")).await;
    browser.click_link("Reoffending").await;
    assert_eq!(browser.path().await, format!("/cases/{crn}/reoffending"));
    report
        .check(&browser, "a case's reoffending (po.demo)")
        .await;

    browser.click_link("Record a conviction").await;
    browser.click_button("Record the conviction").await;
    let errors = browser.error_summary().await;
    assert!(
        errors
            .iter()
            .any(|e| e.contains("Enter the date the offence was committed")),
        "{errors:?}"
    );
    report
        .check(&browser, "record a conviction, refused (po.demo)")
        .await;

    let offence_on = start + Duration::days(120);
    let convicted_on = offence_on + Duration::days(45);
    browser
        .click_label(&format!(
            "Event {}: Theft from a shop, follow-up from {}",
            app.region
                .people
                .iter()
                .find(|p| p.crn == crn)
                .map(|p| p.events.len() + 1)
                .unwrap(),
            start.format("%-d %B %Y")
        ))
        .await;
    browser
        .type_into("#offence", "Criminal damage to a bus shelter")
        .await;
    browser
        .script(r#"document.querySelector('#offence_category').value = 'criminal_damage'; return null;"#)
        .await;
    for (name, day) in [("offence_on", offence_on), ("convicted_on", convicted_on)] {
        browser
            .type_into(&format!("#{name}-day"), &day.day().to_string())
            .await;
        browser
            .type_into(&format!("#{name}-month"), &day.month().to_string())
            .await;
        browser
            .type_into(&format!("#{name}-year"), &day.year().to_string())
            .await;
    }
    browser.click_button("Record the conviction").await;
    assert_eq!(
        browser.path().await,
        format!("/cases/{crn}/reoffending?recorded=conviction")
    );
    let banner = browser.text("[data-testid=conviction-recorded]").await;
    assert!(
        banner.contains("The conviction has been recorded."),
        "{banner}"
    );
    let outcomes = browser.all_text("[data-testid=follow-up-outcome]").await;
    assert!(
        outcomes.iter().any(|o| o.starts_with("Proven reoffending")),
        "{outcomes:?}"
    );
    assert!(browser
        .text("[data-testid=convictions]")
        .await
        .contains("Criminal damage to a bus shelter"));
    report
        .check(&browser, "a case's reoffending after recording (po.demo)")
        .await;
    browser.sign_out().await;

    browser.sign_in_with("spo.demo", DEMO_PASSWORD).await;
    browser.visit("/reoffending").await;
    browser.find("[data-testid=rates-chart]").await;
    report.check(&browser, "reoffending rates (spo.demo)").await;
    browser.visit("/reoffending?by=pdu&period=2").await;
    browser.find("[data-testid=rates-headline]").await;
    report
        .check(
            &browser,
            "reoffending rates by PDU over two years (spo.demo)",
        )
        .await;
    browser.click_link("How well the predictors forecast").await;
    browser.find("[data-testid=calibration-table]").await;
    report
        .check(&browser, "calibration of OGRS3 (spo.demo)")
        .await;

    report.assert_clean(6);
    browser.close().await;
}
