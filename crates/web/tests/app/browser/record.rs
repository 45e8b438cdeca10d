//! Keeping the record current, in a real browser: a practitioner adds a child to the household
//! and moves the person to a new address; the review task and the offer to send both checks
//! appear without any other step, the tier page shows the recomputation, and one click sends the
//! police and children's-services checks for the new address. Every page on the way passes
//! axe-core's WCAG 2.2 AA checks at desktop width and at a phone's width.

use super::{AxeReport, Browser};
use crate::record::{checks_asked_on, settled_case};
use crate::support::{today, TestApp};
use chrono::{Duration, NaiveDate};
use keepsafe_demo::DEMO_PASSWORD;
use keepsafe_domain::review::{ReviewRules, ReviewTrigger};

/// Runs axe on the current page at desktop width and at a phone's (`AxeReport::check` does both).
async fn check(browser: &Browser, report: &mut AxeReport, page: &str) {
    report.check(browser, page).await;
}

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

fn long(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_practitioner_moves_a_person_with_a_child_and_the_review_and_both_checks_are_offered_at_once(
) {
    let app = TestApp::sqlite();
    let case = settled_case(&app);
    let crn = case.crn.clone();
    let browser = Browser::open_on(&app).await;
    let mut report = AxeReport::default();
    browser.visit("/sign-in").await;
    browser.sign_in_with("po.demo", DEMO_PASSWORD).await;

    // The child joined before the checks were last asked for: nothing to send yet.
    browser.visit(&format!("/cases/{crn}")).await;
    assert!(browser.all("[data-testid=checks-offer]").await.is_empty());
    browser.click_link("Change the household").await;
    check(&browser, &mut report, "household, nobody there").await;
    browser.click_link("Add someone to the household").await;
    check(&browser, &mut report, "add to the household").await;
    browser.click_button("Add them to the household").await;
    let errors = browser.error_summary().await;
    assert_eq!(
        errors,
        [
            "Enter their first name",
            "Enter their last name",
            "Select how they are related to the person on probation",
            "Enter the date they started living there",
        ]
    );
    check(&browser, &mut report, "add to the household, with errors").await;
    browser.type_into("#first-name", "Mia").await;
    browser.type_into("#last-name", "Ward").await;
    browser.click_label("Partner's child").await;
    type_date(
        &browser,
        "dob",
        NaiveDate::from_ymd_opt(2022, 5, 1).unwrap(),
    )
    .await;
    type_date(&browser, "joined", checks_asked_on() - Duration::days(10)).await;
    browser.click_button("Add them to the household").await;
    assert_eq!(
        browser
            .text("[data-testid=change-banner] .govuk-notification-banner__heading")
            .await,
        "Household member added"
    );
    assert!(browser
        .text("[data-testid=household-member]")
        .await
        .contains("Mia Ward"));
    check(&browser, &mut report, "household, a child added").await;

    // The move.
    browser.visit(&format!("/cases/{crn}")).await;
    browser.click_link("Change the addresses").await;
    check(&browser, &mut report, "addresses").await;
    browser.click_link("Propose a new address").await;
    check(&browser, &mut report, "propose an address").await;
    browser.type_into("#postcode", "not a postcode").await;
    browser.click_button("Save the proposed address").await;
    assert_eq!(
        browser.error_summary().await,
        [
            "Enter the first line of the address",
            "Enter the town or city",
            "Enter a real postcode, like LN1 1AA",
            "Enter the date they move in",
        ]
    );
    check(&browser, &mut report, "propose an address, with errors").await;
    browser.type_into("#line1", "4 Orchard Row").await;
    browser.type_into("#town", "Midchester").await;
    browser.type_into("#postcode", "mc1 4zz").await;
    let moved = today() - Duration::days(2);
    type_date(&browser, "start", moved).await;
    browser.click_button("Save the proposed address").await;
    assert!(browser
        .text("[data-testid=proposed-address]")
        .await
        .contains("MC1 4ZZ"));
    check(&browser, &mut report, "addresses, one proposed").await;
    browser
        .click_link("Make this the main address: 4 Orchard Row")
        .await;
    check(&browser, &mut report, "make it the main address").await;
    assert_eq!(
        browser.value("#moved-day").await,
        moved.format("%-d").to_string()
    );
    browser.click_button("Make it the main address").await;

    // Without any other step: the review is due and both checks are offered.
    let due = ReviewRules::default().due(ReviewTrigger::AddressChange, today());
    let banner = browser.text("[data-testid=change-banner]").await;
    assert!(banner.contains("Main address changed"), "{banner}");
    assert!(
        banner.contains(&format!(
            "A review of the risk assessment is due by {}.",
            long(due)
        )),
        "{banner}"
    );
    assert!(
        banner.contains(&format!(
            "Circumstances changed on {} (new address): the police and children's-services checks have not been requested since.",
            long(moved)
        )),
        "{banner}"
    );
    assert!(browser
        .text("[data-testid=current-address]")
        .await
        .contains("4 Orchard Row"));
    check(&browser, &mut report, "addresses, moved").await;

    browser.visit(&format!("/cases/{crn}/risk")).await;
    let reviews = browser.text("[data-testid=review-tasks]").await;
    assert!(reviews.contains("Change of address"), "{reviews}");
    assert!(
        reviews.contains("Children live in the household: Mia Ward (partner's child, age 4)"),
        "the review says a child lives there: {reviews}"
    );
    assert!(browser.all("[data-testid=checks-offer]").await.len() == 1);
    check(&browser, &mut report, "risk page with the checks offered").await;

    browser.visit(&format!("/cases/{crn}/tier")).await;
    let notes = browser.text("[data-testid=tier-notes]").await;
    assert!(
        notes.contains("are needs-assessment answers, and there is no valid needs assessment"),
        "{notes}"
    );
    let summary = browser.text("[data-testid=tier-summary]").await;
    assert!(
        summary.contains(&format!("Computed {} at 10", today().format("%-d %b %Y"))),
        "worked out again by the move, not at 9am as before: {summary}"
    );
    report.check(&browser, "tier page after the move").await;

    // One click sends both, for the new address.
    browser.visit(&format!("/cases/{crn}")).await;
    report
        .check(&browser, "case record with the checks offered")
        .await;
    browser
        .click_button("Send the police and children's-services checks")
        .await;
    assert!(
        browser.path().await.ends_with("/risk"),
        "{}",
        browser.path().await
    );
    let checks = browser
        .all_text("[data-testid=checks-table] tbody tr")
        .await;
    let sent: Vec<&String> = checks
        .iter()
        .filter(|row| row.contains("4 Orchard Row, Midchester"))
        .collect();
    assert_eq!(sent.len(), 2, "{checks:?}");
    assert!(sent
        .iter()
        .any(|row| row.contains("Police domestic-abuse check")));
    assert!(sent
        .iter()
        .any(|row| row.contains("Children's services safeguarding check")));
    assert!(browser.all("[data-testid=checks-offer]").await.is_empty());
    report.assert_clean(24);
    browser.close().await;
}
