//! The worklist in a real browser: a practitioner finds every case with an overdue check from
//! "My cases" in one click; and the worklist pages — My cases with its needs-attention summary
//! and filters, finding a case with a restricted result, a team's needs attention by
//! practitioner, the team caseload with its waiting list, and the victim liaison officer's
//! releases — pass axe-core's WCAG 2.2 AA checks at desktop width and at a phone's.

use super::{AxeReport, Browser};
use crate::support::{today, TestApp};
use crate::worklist::{cases_of, checks_oracle};
use keepsafe_demo::DEMO_PASSWORD;
use keepsafe_test_support::worklist as fixtures;
use std::collections::BTreeSet;

const DESKTOP: (u32, u32) = (1280, 1000);
/// The narrowest phone the pages are checked at.
const PHONE: (u32, u32) = (390, 844);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_practitioner_finds_every_case_with_an_overdue_check_from_my_cases_in_one_click() {
    let app = TestApp::sqlite();
    let cases = cases_of(&app, "po.demo");
    let by = app.staff_id("po.demo");
    {
        let mut conn = app.db.database.connection().unwrap();
        fixtures::check(&mut conn, cases[0].0, by, -3);
        fixtures::check(&mut conn, cases[2].0, by, -12);
        fixtures::check(&mut conn, cases[1].0, by, 6);
    }
    let (_, overdue) = checks_oracle(&app, &cases);
    assert!(overdue.contains(&cases[0].1) && overdue.contains(&cases[2].1));

    let browser = Browser::open_on(&app).await;
    browser.visit("/").await;
    browser.sign_in_with("po.demo", DEMO_PASSWORD).await;
    assert_eq!(browser.path().await, "/cases");
    let summary = browser.text("[data-testid=attention-checks-overdue]").await;
    assert_eq!(summary, format!("{} cases", overdue.len()));

    browser
        .click_and_wait("[data-testid=attention-checks-overdue-link]")
        .await;
    assert_eq!(browser.path().await, "/cases?checks=overdue");
    let mut shown = BTreeSet::new();
    for row in browser.all("[data-testid=case-row]").await {
        shown.insert(row.attr("data-crn").await.unwrap().unwrap());
    }
    assert_eq!(shown, overdue, "exactly the cases with an overdue check");
    for cell in browser.all_text("[data-testid=row-checks]").await {
        assert!(cell.contains("overdue"), "overdue said in words: {cell}");
    }
    let words = browser.text("[data-testid=case-filter-words]").await;
    assert!(words.starts_with("Cases with checks overdue."), "{words}");
    browser.click_and_wait("[data-testid=clear-filters]").await;
    assert_eq!(browser.path().await, "/cases");

    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worklist_pages_pass_axe_wcag_22_aa_at_desktop_and_phone_width() {
    let app = TestApp::sqlite();
    let cases = cases_of(&app, "po.demo");
    let others = cases_of(&app, "po.other");
    {
        let by = app.staff_id("po.demo");
        let mut conn = app.db.database.connection().unwrap();
        fixtures::check(&mut conn, cases[0].0, by, -3);
        fixtures::assessment_due(&mut conn, cases[1].0, 40);
        fixtures::review(&mut conn, cases[2].0, -2);
        fixtures::release_on(&mut conn, others[0].0, today() + chrono::Duration::days(9));
    }
    let team = app.team_code_of("spo.demo");
    let browser = Browser::open_on(&app).await;
    let mut report = AxeReport::default();
    let check = async |report: &mut AxeReport, page: &str| {
        report.check(&browser, page).await;
        browser
            .client
            .set_window_size(PHONE.0, PHONE.1)
            .await
            .unwrap();
        report
            .check(&browser, &format!("{page}, at {}px", PHONE.0))
            .await;
        browser
            .client
            .set_window_size(DESKTOP.0, DESKTOP.1)
            .await
            .unwrap();
    };

    browser.visit("/").await;
    browser.sign_in_with("po.demo", DEMO_PASSWORD).await;
    browser.find("[data-testid=needs-attention]").await;
    check(&mut report, "my cases with needs attention (po.demo)").await;
    browser
        .visit("/cases?checks=overdue&sort=rosh&order=desc")
        .await;
    browser.find("[data-testid=case-filter-words]").await;
    check(&mut report, "my cases filtered and sorted (po.demo)").await;
    browser.visit(&format!("/find?crn={}", others[1].1)).await;
    browser.find("[data-restricted=true]").await;
    check(&mut report, "find a case, restricted result (po.demo)").await;
    browser.visit("/find?name=a").await;
    browser.find("[data-testid=find-results]").await;
    check(&mut report, "find a case by name, paged (po.demo)").await;
    browser.visit("/find?name=&dob-day=40").await;
    browser.find(".govuk-error-summary").await;
    check(&mut report, "find a case with errors (po.demo)").await;
    browser.sign_out().await;

    browser.sign_in_with("spo.demo", DEMO_PASSWORD).await;
    browser.find("[data-testid=team-attention]").await;
    check(
        &mut report,
        "team needs attention by practitioner (spo.demo)",
    )
    .await;
    browser.visit(&format!("/teams/{team}")).await;
    browser.find("[data-testid=waiting-table]").await;
    check(&mut report, "team caseload and waiting list (spo.demo)").await;
    browser.sign_out().await;

    browser.sign_in_with("vlo.demo", DEMO_PASSWORD).await;
    assert_eq!(browser.path().await, "/releases");
    browser.find("[data-testid=release-table]").await;
    check(&mut report, "releases and MAPPA cases (vlo.demo)").await;

    report.assert_clean(16);
    browser.close().await;
}
