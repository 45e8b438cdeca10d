//! keepsafe in a real browser: headless Chromium, driven through chromedriver, against the
//! application served on a local port over a fresh database holding the small demo region.
//!
//! These tests prove what the in-process tests cannot: that the cookies, forms and redirects work
//! in a browser, that the embedded GOV.UK Frontend stylesheet, fonts and scripts load under the
//! content security policy, and that every page passes axe-core's WCAG 2.2 AA checks.
//!
//! Chromium and chromedriver come from the Debian packages (`/usr/bin/chromium`,
//! `/usr/bin/chromedriver`); `KEEPSAFE_CHROMIUM` and `KEEPSAFE_CHROMEDRIVER` point elsewhere.
//! Only one browser runs at a time: each test waits for its turn.

use crate::support::{today, TestApp};
use fantoccini::elements::Element;
use fantoccini::wd::{Capabilities, TimeoutConfiguration};
use fantoccini::{Client, ClientBuilder, Locator};
use keepsafe_demo::{HouseholdMember, Person, DEMO_PASSWORD};
use keepsafe_domain::age::is_child_on;
use keepsafe_storage::audit::{AuditFilter, Outcome};
use serde_json::{json, Value};
use std::future::Future;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod court;
mod licences;
mod limited_access;
mod needs_and_plan;
mod record;
mod record_details;
mod reoffending;
mod supervision;
mod unpaid_work;
mod victims;
mod worklist;

// ---------------------------------------------------------------------------------------------
// The journeys
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_practitioner_signs_in_and_sees_their_caseload_and_a_case_record() {
    let app = TestApp::sqlite();
    let browser = Browser::open_on(&app).await;

    // Someone who is not signed in is sent to the sign-in page.
    browser.visit("/").await;
    assert_eq!(browser.path().await, "/sign-in?return_to=/");
    assert_eq!(browser.heading().await, "Sign in to keepsafe");

    // A probation officer signs in and lands on their own caseload.
    browser.sign_in_with("po.demo", DEMO_PASSWORD).await;
    assert_eq!(browser.path().await, "/cases");
    assert_eq!(browser.heading().await, "My cases");
    // keepsafe's cookies are Secure, and Chromium keeps and sends them over http://127.0.0.1.
    let session = browser
        .client
        .get_named_cookie("keepsafe_session")
        .await
        .unwrap();
    assert_eq!(session.secure(), Some(true), "{session}");
    assert_eq!(session.http_only(), Some(true), "{session}");
    assert_eq!(
        format!("{:?}", session.same_site()),
        "Some(Lax)",
        "{session}"
    );
    let officer = browser.text("header .app-account strong").await;
    let count = browser.text("[data-testid=case-count]").await;
    let (shown, total) = parse_case_count(&count);
    assert!(shown > 0, "po.demo manages some cases: {count:?}");
    assert!(shown <= total, "{count:?}");
    let rows = browser.all("[data-testid=case-table] tbody tr").await;
    assert_eq!(
        rows.len(),
        shown,
        "the table lists as many cases as the count says: {count:?}"
    );

    // Opening a case from the list shows its record.
    let link = browser.find("[data-testid=case-table] tbody tr td a").await;
    let name = link.text().await.unwrap();
    let href = link.attr("href").await.unwrap().unwrap();
    browser.follow(&link).await;
    assert_eq!(browser.path().await, href);
    assert_eq!(browser.text("[data-testid=case-name]").await, name);
    let risk = browser.text("[data-testid=risk-summary]").await;
    assert!(risk.contains("Risk of serious harm"), "{risk}");
    assert!(
        risk.contains("Not assessed"),
        "risk is not invented: {risk}"
    );
    let personal = browser.text("[data-testid=personal-details]").await;
    assert!(personal.contains("Date of birth"), "{personal}");
    for (id, heading) in [
        ("personal-details", "Personal details"),
        ("sentence", "Sentence and requirements"),
        ("household", "Household"),
        ("contacts", "Contacts"),
        ("allocation", "Allocation history"),
    ] {
        assert_eq!(browser.text(&format!("h2#{id}")).await, heading);
    }
    browser.find("[data-testid=contacts-table] tbody tr").await;
    browser
        .find("[data-testid=allocation-table] tbody tr")
        .await;
    let allocation = browser.text("h2#allocation + p").await;
    assert!(
        allocation.starts_with(&format!("Currently managed by {officer}")),
        "the signed-in officer manages the case: {allocation}"
    );

    // Signing out ends the session: the caseload needs signing in again.
    browser.click_and_wait("[data-testid=sign-out]").await;
    assert_eq!(browser.path().await, "/sign-in");
    browser.visit("/cases").await;
    assert_eq!(browser.path().await, "/sign-in?return_to=/cases");
    assert_eq!(browser.heading().await, "Sign in to keepsafe");

    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_shows_an_error_summary() {
    let app = TestApp::sqlite();
    let browser = Browser::open_on(&app).await;

    browser.visit("/sign-in").await;
    browser.sign_in_with("po.demo", "not the password").await;

    assert_eq!(browser.path().await, "/sign-in");
    let title = browser.client.title().await.unwrap();
    assert!(
        title.starts_with("Error: "),
        "the title says there is an error: {title:?}"
    );
    let summary = browser.find(".govuk-error-summary").await;
    assert_eq!(
        browser.text(".govuk-error-summary__title").await,
        "There is a problem"
    );
    let link = browser.find(".govuk-error-summary__list a").await;
    assert_eq!(
        link.text().await.unwrap(),
        "Enter a correct username and password"
    );
    assert_eq!(
        link.attr("href").await.unwrap().as_deref(),
        Some("#username")
    );
    assert_eq!(
        browser.text("#username-error").await,
        "Error: Enter a correct username and password"
    );
    let username = browser.find("#username").await;
    assert_eq!(
        username.prop("value").await.unwrap().as_deref(),
        Some("po.demo")
    );
    assert_eq!(
        username.attr("aria-describedby").await.unwrap().as_deref(),
        Some("username-error")
    );
    let password = browser.find("#password").await;
    assert_eq!(
        password.prop("value").await.unwrap().as_deref(),
        Some(""),
        "the password is not sent back"
    );

    // GOV.UK Frontend's error summary takes focus so screen readers announce it, and its links
    // move focus to the field in error.
    browser
        .eventually("the error summary takes focus", || async {
            browser
                .script("return document.activeElement.classList.contains('govuk-error-summary')")
                .await
                == json!(true)
        })
        .await;
    summary
        .find(Locator::Css("a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .eventually("the summary's link focuses the username field", || async {
            browser.script("return document.activeElement.id").await == json!("username")
        })
        .await;

    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_practitioner_opening_another_teams_case_is_refused() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let person = app.region.people.iter().find(|p| p.crn == crn).unwrap();
    let full_name = format!("{} {}", person.first_name, person.last_name);
    let browser = Browser::open_on(&app).await;

    browser.visit("/sign-in").await;
    browser.sign_in_with("po.other", DEMO_PASSWORD).await;
    browser.visit(&format!("/cases/{crn}")).await;

    assert_eq!(
        browser.heading().await,
        "You do not have access to this page"
    );
    let message = browser.text("[data-testid=error-message]").await;
    assert!(message.contains("managed by another team"), "{message}");
    let page = browser.client.source().await.unwrap();
    assert!(
        !page.contains(&full_name) && !page.contains("personal-details"),
        "nothing of the case is shown, not even the name {full_name}"
    );
    browser.close().await;

    let refusals = app.audit(AuditFilter {
        outcome: Some(Outcome::Refused),
        crn: Some(crn.clone()),
        ..Default::default()
    });
    assert_eq!(
        refusals.len(),
        1,
        "one refusal recorded for {crn}: {refusals:?}"
    );
    assert_eq!(refusals[0].actor, "po.other");
    assert_eq!(refusals[0].action, "view_case");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_senior_officer_sees_the_team_caseload() {
    let app = TestApp::sqlite();
    let team = app.team_code_of("spo.demo");
    let browser = Browser::open_on(&app).await;

    browser.visit("/").await;
    browser.sign_in_with("spo.demo", DEMO_PASSWORD).await;
    assert_eq!(
        browser.path().await,
        format!("/teams/{team}/attention"),
        "a senior officer starts at what needs attention in their team"
    );
    browser.find("[data-testid=team-attention]").await;
    browser.visit("/teams").await;
    assert_eq!(browser.heading().await, "Teams");

    let link = browser.find(&format!("a[href='/teams/{team}']")).await;
    let team_name = link.text().await.unwrap();
    browser.follow(&link).await;
    assert_eq!(browser.path().await, format!("/teams/{team}"));
    assert_eq!(browser.heading().await, format!("{team_name} caseload"));

    let practitioners = browser
        .all("[data-testid=practitioner-table] tbody tr")
        .await;
    assert!(
        !practitioners.is_empty(),
        "the team's practitioners are listed"
    );
    let headings = browser.all_text("main h2").await;
    assert!(
        headings
            .iter()
            .any(|h| h.starts_with("Waiting for allocation in ")),
        "a senior officer sees the cases waiting for allocation: {headings:?}"
    );
    browser
        .find("[data-testid=waiting-table] tbody tr td a")
        .await;
    browser.find("[data-testid=case-table] tbody tr").await;

    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_design_system_styles_fonts_and_scripts_load() {
    let app = TestApp::sqlite();
    let browser = Browser::open_on(&app).await;
    browser.visit("/sign-in").await;

    // The page's own script marks the body, as GOV.UK Frontend expects, despite the CSP.
    let body_class = browser
        .find("body")
        .await
        .attr("class")
        .await
        .unwrap()
        .unwrap_or_default();
    for class in [
        "govuk-template__body",
        "js-enabled",
        "govuk-frontend-supported",
    ] {
        assert!(
            body_class.split(' ').any(|c| c == class),
            "body has {class}: {body_class:?}"
        );
    }
    // GOV.UK Frontend's module ran and initialised the components on the page.
    browser
        .eventually("GOV.UK Frontend initialises the skip link", || async {
            browser
                .script("return document.querySelector('.govuk-skip-link').hasAttribute('data-govuk-skip-link-init')")
                .await
                == json!(true)
        })
        .await;
    // The stylesheet applied, and its font files loaded.
    assert_eq!(
        browser
            .find("body")
            .await
            .css_value("margin-top")
            .await
            .unwrap(),
        "0px"
    );
    let font = browser
        .find("h1")
        .await
        .css_value("font-family")
        .await
        .unwrap();
    assert!(font.contains("GDS Transport"), "{font}");
    let loaded = browser
        .script_async(
            "const done = arguments[arguments.length - 1];
             document.fonts.ready.then(() => done([...document.fonts]
               .filter(f => f.status === 'loaded').map(f => f.family)));",
        )
        .await;
    assert!(
        loaded.as_array().is_some_and(|families| families
            .iter()
            .any(|f| f.as_str().unwrap_or("").contains("GDS Transport"))),
        "the GDS Transport font files load: {loaded}"
    );
    // keepsafe's own stylesheet applied too.
    browser.sign_in_with("po.demo", DEMO_PASSWORD).await;
    let cell = browser
        .find("[data-testid=case-table] .app-not-assessed")
        .await;
    assert_eq!(
        cell.css_value("color").await.unwrap(),
        "rgba(72, 73, 73, 1)"
    );

    browser.close().await;
}

/// Every kind of page, as each role sees it, checked by axe-core against WCAG 2.2 A and AA.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_passes_axe_wcag_22_aa() {
    let app = TestApp::sqlite();
    let own_case = app.case_of("po.demo");
    let team = app.team_code_of("spo.demo");
    let browser = Browser::open_on(&app).await;
    let mut report = AxeReport::default();

    browser.visit("/sign-in").await;
    report.check(&browser, "sign-in").await;
    browser.sign_in_with("po.demo", "not the password").await;
    browser.find(".govuk-error-summary").await;
    report.check(&browser, "sign-in with errors").await;

    browser.sign_in_with("po.demo", DEMO_PASSWORD).await;
    assert_eq!(browser.path().await, "/cases");
    report.check(&browser, "my cases (po.demo)").await;
    browser.visit(&format!("/cases/{own_case}")).await;
    browser.find("[data-testid=case-name]").await;
    report.check(&browser, "case record").await;
    browser.visit("/find").await;
    report.check(&browser, "find a case").await;
    browser.visit("/find?crn=not-a-crn").await;
    browser.find(".govuk-error-summary").await;
    report
        .check(&browser, "find a case with an invalid CRN")
        .await;
    browser.visit("/no-such-page").await;
    assert_eq!(browser.heading().await, "Page not found");
    report.check(&browser, "404 page not found").await;
    browser.sign_out().await;

    browser.sign_in_with("po.other", DEMO_PASSWORD).await;
    browser.visit(&format!("/cases/{own_case}")).await;
    assert_eq!(
        browser.heading().await,
        "You do not have access to this page"
    );
    report
        .check(&browser, "403 refusal (po.other opens po.demo's case)")
        .await;
    browser.sign_out().await;

    browser.sign_in_with("spo.demo", DEMO_PASSWORD).await;
    assert_eq!(browser.path().await, format!("/teams/{team}/attention"));
    browser.find("[data-testid=team-attention]").await;
    report
        .check(&browser, "team needs attention (spo.demo)")
        .await;
    browser.visit("/teams").await;
    report.check(&browser, "teams (spo.demo)").await;
    browser.visit(&format!("/teams/{team}")).await;
    browser.find("[data-testid=practitioner-table]").await;
    report.check(&browser, "team caseload (spo.demo)").await;
    browser.visit("/workload").await;
    browser.find("[data-testid=workload-table]").await;
    report
        .check(&browser, "workload dashboard with chart (spo.demo)")
        .await;
    browser
        .visit(&format!("/workload/staff/{}", app.staff_id("po.demo")))
        .await;
    browser.find("[data-testid=workload-explanation]").await;
    report
        .check(&browser, "a practitioner's workload explained (spo.demo)")
        .await;
    browser
        .visit(&format!(
            "/workload/staff/{}/transfer",
            app.staff_id("pso.demo")
        ))
        .await;
    browser.find("[data-testid=transfer-cases]").await;
    report.check(&browser, "move cases (spo.demo)").await;
    browser.click_button("Move the selected cases").await;
    assert!(!browser.error_summary().await.is_empty());
    report
        .check(&browser, "move cases with errors (spo.demo)")
        .await;
    browser.visit("/workload/insights").await;
    browser.find("[data-testid=insights-table]").await;
    report
        .check(&browser, "supervisor insights (spo.demo)")
        .await;
    browser
        .visit(&format!(
            "/workload/insights?staff={}",
            app.staff_id("po.demo")
        ))
        .await;
    browser.find("[data-testid=insights-behind]").await;
    report
        .check(&browser, "supervisor insights, cases behind (spo.demo)")
        .await;
    browser.visit("/checks/bulk").await;
    browser.find("[data-testid=bulk-cases]").await;
    report
        .check(&browser, "send police checks in bulk (spo.demo)")
        .await;
    browser.visit("/partners").await;
    browser.find("[data-testid=partner-statistics]").await;
    report
        .check(&browser, "how quickly partners answer (spo.demo)")
        .await;
    let waiting = crate::allocation::unallocated_case_in_spo_pdu(&app);
    browser.visit(&format!("/cases/{waiting}/allocate")).await;
    browser.find("[data-testid=candidates]").await;
    report.check(&browser, "allocate a case (spo.demo)").await;
    browser.visit("/workload/allocations").await;
    report
        .check(&browser, "cases you allocated (spo.demo)")
        .await;
    browser.sign_out().await;

    browser.sign_in_with("police.manager", DEMO_PASSWORD).await;
    assert_eq!(browser.path().await, "/partner");
    browser.find("[data-testid=partner-queue]").await;
    report
        .check(&browser, "partner portal queue (police)")
        .await;
    let request = app.partner_request("MIDPOL");
    browser.visit(&format!("/partner/requests/{request}")).await;
    browser.find("[data-testid=partner-request]").await;
    report.check(&browser, "partner request (police)").await;
    browser.click_button("Send the answer").await;
    assert!(!browser.error_summary().await.is_empty());
    report
        .check(&browser, "partner request answered with errors (police)")
        .await;
    let answered = app
        .post(
            &format!("/partner/requests/{request}/response"),
            &app.sign_in("police.demo").await,
            &[("known", "no"), ("free-text", "Nothing held.")],
        )
        .await;
    assert_eq!(answered.status, axum::http::StatusCode::SEE_OTHER);
    browser
        .visit(&format!("/partner/requests/{request}?done=answered"))
        .await;
    browser.find("[data-testid=partner-done]").await;
    report
        .check(
            &browser,
            "partner request answered, with its banner (police)",
        )
        .await;
    browser.visit("/partner?show=answered").await;
    browser.find("[data-testid=partner-queue]").await;
    report
        .check(&browser, "partner portal, answered requests (police)")
        .await;
    browser.visit("/partner?show=overdue&q=zzqq").await;
    browser.find("[data-testid=queue-empty]").await;
    report
        .check(&browser, "partner portal, an empty search (police)")
        .await;
    browser.visit("/partner/statistics").await;
    browser.find("[data-testid=partner-statistics]").await;
    report
        .check(&browser, "partner response times (police manager)")
        .await;
    browser.visit("/cases").await;
    assert_eq!(
        browser.heading().await,
        "You do not have access to this page"
    );
    report
        .check(&browser, "403 refusal (a partner outside the portal)")
        .await;
    browser.sign_out().await;

    browser.sign_in_with("admin.demo", DEMO_PASSWORD).await;
    assert_eq!(browser.path().await, "/admin/users");
    report.check(&browser, "users (admin.demo)").await;
    browser.visit("/admin/users/new").await;
    report.check(&browser, "add an account (admin.demo)").await;
    browser.click_button("Add the account").await;
    assert!(!browser.error_summary().await.is_empty());
    report
        .check(&browser, "add an account with errors (admin.demo)")
        .await;
    let account = app.staff_id("po.demo");
    browser.visit(&format!("/admin/users/{account}")).await;
    browser.find("[data-testid=account-summary]").await;
    report.check(&browser, "an account (admin.demo)").await;
    browser.visit(&format!("/admin/users/{account}/role")).await;
    report
        .check(&browser, "change role or team (admin.demo)")
        .await;
    browser
        .visit(&format!("/admin/users/{account}/password"))
        .await;
    report
        .check(&browser, "reset a password (admin.demo)")
        .await;
    browser.visit("/audit").await;
    browser.find("[data-testid=audit-table]").await;
    report.check(&browser, "audit log (admin.demo)").await;
    browser.visit("/audit?person=nobody.here").await;
    assert!(!browser.error_summary().await.is_empty());
    report
        .check(&browser, "audit log with a filter refused (admin.demo)")
        .await;
    browser.sign_out().await;

    browser.sign_in_with("quality.demo", DEMO_PASSWORD).await;
    browser.visit("/audit?outcome=refused").await;
    browser.find("[data-testid=audit-table]").await;
    report
        .check(&browser, "audit log, refusals only (quality.demo)")
        .await;

    browser.close().await;
    report.assert_clean(35);
}

// ---------------------------------------------------------------------------------------------
// Risk of serious harm
// ---------------------------------------------------------------------------------------------

/// The five risk analysis fields of the assessment form, with what the practitioner types.
const ANALYSIS: [(&str, &str); 5] = [
    (
        "nature_of_harm",
        "Physical and emotional harm to a partner.",
    ),
    ("who_is_at_risk", "Current partner."),
    ("imminence", "Not imminent while sober."),
    ("increasing_factors", "Alcohol misuse."),
    ("reducing_factors", "Stable housing and work."),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_practitioner_completes_a_risk_assessment_only_once_the_police_check_is_answered_and_referenced(
) {
    let app = TestApp::sqlite();
    let person = case_without_children(&app);
    let crn = person.crn.clone();
    let household: Vec<&HouseholdMember> = current_household(&person);
    assert!(
        !household.is_empty(),
        "the case chosen has someone at home to consider"
    );
    let risk_page = format!("/cases/{crn}/risk");
    let person_name = format!("{} {}", person.first_name, person.last_name);
    let browser = Browser::open_on(&app).await;

    browser.visit("/sign-in").await;
    browser.sign_in_with("po.demo", DEMO_PASSWORD).await;
    browser.visit(&format!("/cases/{crn}")).await;
    assert!(
        browser
            .text("[data-testid=rosh-level]")
            .await
            .starts_with("Not assessed"),
        "{crn} starts without an assessment"
    );
    browser
        .click_link("Risk of serious harm assessments, checks and reviews")
        .await;
    assert_eq!(browser.path().await, risk_page);
    assert_eq!(browser.heading().await, "Risk of serious harm");
    browser.find("[data-testid=no-assessment]").await;

    // Start a draft and fill in everything the practitioner can.
    browser.click_button("Start a new assessment").await;
    let assessment = browser.path().await;
    assert!(
        assessment.starts_with(&format!("/cases/{crn}/risk/assessments/")),
        "starting an assessment opens its form: {assessment}"
    );
    assert_eq!(browser.heading().await, "Risk of serious harm assessment");
    assert_eq!(
        browser.text("[data-testid=assessment-status]").await,
        "Draft"
    );
    let groups = browser.all("main form fieldset").await.len();
    assert!(groups >= 4, "a level is asked for each group: {groups}");
    for label in browser.all("main form .govuk-radios__label").await {
        if label.text().await.unwrap().trim() == "Medium" {
            label.click().await.unwrap();
        }
    }
    assert_eq!(
        browser
            .all("main form input[type=radio][value=medium]:checked")
            .await
            .len(),
        groups,
        "Medium is chosen for every group"
    );
    assert!(
        browser
            .text("[data-testid=case-level]")
            .await
            .starts_with("Not decided"),
        "the case level is worked out on the server, when the form is sent"
    );
    for (field, text) in ANALYSIS {
        browser.type_into(&format!("#{field}"), text).await;
    }
    let considerations = browser.all("main form textarea[name^=consider-]").await;
    assert_eq!(
        considerations.len(),
        household.len(),
        "a note is asked for each of the household: {household:?}"
    );
    for member in &household {
        browser
            .type_into(
                &format!("#consider-{}", member.id),
                &format!(
                    "{} {}: no concerns raised.",
                    member.first_name, member.last_name
                ),
            )
            .await;
    }
    assert!(
        browser
            .all("main form textarea[name^=reference-]")
            .await
            .is_empty(),
        "no responses to reference yet"
    );

    // Completing is refused: the police have not been asked. What was typed is kept.
    browser.click_button("Complete the assessment").await;
    assert_eq!(browser.path().await, assessment);
    let errors = browser.error_summary().await;
    assert_eq!(
        errors.len(),
        1,
        "only the police check is missing: {errors:?}"
    );
    assert!(
        errors[0].starts_with(
            "Request a police domestic-abuse check for the person and their current address"
        ),
        "{errors:?}"
    );
    assert_eq!(
        browser
            .find(".govuk-error-summary__list a")
            .await
            .attr("href")
            .await
            .unwrap()
            .as_deref(),
        Some("#checks"),
        "the error links to the section about other agencies"
    );
    assert_eq!(
        browser.text("[data-testid=notice]").await,
        "Your changes have been saved, but the assessment cannot be completed yet."
    );
    browser.assert_assessment_kept(groups, &household).await;
    assert!(
        browser
            .text("[data-testid=case-level]")
            .await
            .starts_with("Medium"),
        "the saved levels give the case level"
    );

    // Request the police check from the risk page: keepsafe sends it to the police force.
    browser.visit(&risk_page).await;
    browser.click_label("Police domestic-abuse check").await;
    browser.click_button("Request the check").await;
    assert_eq!(browser.path().await, risk_page);
    let row = browser.text("[data-testid=checks-table] tbody tr").await;
    assert!(
        row.contains("Police domestic-abuse")
            && row.contains("Awaiting response")
            && row.contains("sent to Midshire Police"),
        "{row}"
    );

    // The draft was saved: reopening it from the risk page shows everything typed.
    browser.click_link("Continue the assessment").await;
    assert_eq!(browser.path().await, assessment);
    browser.assert_assessment_kept(groups, &household).await;
    let waiting = browser.text("main form ul.govuk-list--bullet").await;
    assert!(waiting.starts_with("Police domestic-abuse"), "{waiting}");
    browser.click_button("Complete the assessment").await;
    let errors = browser.error_summary().await;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]
            .starts_with("Record the response to the police domestic-abuse check requested on"),
        "{errors:?}"
    );

    // The police answer it in the partner portal.
    browser.sign_out().await;
    browser.sign_in_with("police.demo", DEMO_PASSWORD).await;
    assert_eq!(browser.path().await, "/partner");
    let queued = browser.text("[data-testid=partner-queue]").await;
    assert!(queued.contains(&person_name), "{queued}");
    let href = browser
        .script(&format!(
            "return Array.from(document.querySelectorAll('[data-testid=partner-queue] tbody tr'))\
             .find(r => r.textContent.includes({person_name:?})).querySelector('a').getAttribute('href')"
        ))
        .await;
    browser.visit(href.as_str().unwrap()).await;
    assert_eq!(
        browser.heading().await,
        "Police domestic-abuse call-out history"
    );
    let shown = browser.text("[data-testid=partner-request]").await;
    assert!(shown.contains(&person_name), "{shown}");
    assert!(
        !browser.page_text().await.contains("Risk of serious harm"),
        "the partner sees nothing of the assessment"
    );
    browser.click_button("Acknowledge the request").await;
    browser.click_button("Send the answer").await;
    let errors = browser.error_summary().await;
    assert!(
        errors.iter().any(|e| e.contains("known")),
        "whether they are known is asked for: {errors:?}"
    );
    browser.click_label("Yes").await;
    let day = today();
    browser
        .type_into("#incident-0-day", &day.format("%-d").to_string())
        .await;
    browser
        .type_into("#incident-0-month", &day.format("%-m").to_string())
        .await;
    browser
        .type_into("#incident-0-year", &day.format("%Y").to_string())
        .await;
    browser
        .script("document.querySelector('#incident-0-kind').selectedIndex = 1")
        .await;
    let said = "Two call-outs to the address in 2025, no arrests.";
    browser.type_into("#incident-0-summary", said).await;
    browser.click_button("Send the answer").await;
    let answer = browser.text("[data-testid=partner-answer]").await;
    assert!(answer.contains(said), "{answer}");
    browser.sign_out().await;

    // Back as the practitioner: the answer is on the risk page.
    browser.sign_in_with("po.demo", DEMO_PASSWORD).await;
    browser.visit(&risk_page).await;
    let row = browser.text("[data-testid=checks-table] tbody tr").await;
    assert!(
        row.contains("Response received") && row.contains(said) && row.contains("through keepsafe"),
        "{row}"
    );

    // The response must now be referenced in the analysis.
    browser.click_link("Continue the assessment").await;
    browser.click_button("Complete the assessment").await;
    let errors = browser.error_summary().await;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("Reference the police domestic-abuse check response received on"),
        "{errors:?}"
    );
    let reference = browser.find("main form textarea[name^=reference-]").await;
    let reference_id = reference.attr("id").await.unwrap().unwrap();
    assert_eq!(
        browser
            .find(".govuk-error-summary__list a")
            .await
            .attr("href")
            .await
            .unwrap(),
        Some(format!("#{reference_id}")),
        "the error links to the reference field"
    );
    assert_eq!(
        browser.text(&format!("#{reference_id}-error")).await,
        format!("Error: {}", errors[0]),
        "the field shows the error too"
    );
    let hint = browser.text(&format!("#{reference_id}-hint")).await;
    assert!(hint.contains(said), "the hint quotes the response: {hint}");
    browser
        .type_into(
            &format!("#{reference_id}"),
            "The call-outs show conflict at home; they raise the risk to the partner.",
        )
        .await;

    // Now it completes, and the case shows the level in force.
    browser.click_button("Complete the assessment").await;
    assert_eq!(browser.path().await, risk_page);
    assert!(
        browser.all(".govuk-error-summary").await.is_empty(),
        "no errors"
    );
    let headings = browser.all_text("main h2").await;
    assert!(
        headings.iter().any(|h| h == "Assessment in force"),
        "{headings:?}"
    );
    let rows = browser
        .all_text("[data-testid=current-assessment] .govuk-summary-list__row")
        .await;
    assert_eq!(
        rows.first()
            .map(|r| r.split_whitespace().collect::<Vec<_>>().join(" ")),
        Some("Risk of serious harm Medium".to_owned()),
        "the assessment in force is Medium: {rows:?}"
    );
    assert_eq!(
        rows.iter().filter(|r| r.ends_with("Medium")).count(),
        groups + 1,
        "Medium for the case and for every group: {rows:?}"
    );
    assert!(
        browser.all("[data-testid=no-assessment]").await.is_empty(),
        "the risk page no longer says there is no assessment"
    );
    browser.click_link("Back to the case record").await;
    assert_eq!(browser.path().await, format!("/cases/{crn}"));
    let level = browser.text("[data-testid=rosh-level]").await;
    assert!(
        level.starts_with("Medium"),
        "the case record shows Medium: {level}"
    );

    browser.close().await;
}

/// The needs pages — the case's needs assessment, the form (clean, saved and with every gap
/// listed) and OGP before it can be computed — checked by axe-core.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_needs_pages_pass_axe_wcag_22_aa() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let browser = Browser::open_on(&app).await;
    let mut report = AxeReport::default();
    browser.visit("/sign-in").await;
    browser.sign_in_with("po.demo", DEMO_PASSWORD).await;
    browser.visit(&format!("/cases/{crn}/needs")).await;
    browser.find("[data-testid=no-needs-assessment]").await;
    report
        .check(&browser, "needs assessment, nothing yet")
        .await;
    browser.click_button("Start a needs assessment").await;
    browser.find("[data-testid=needs-status]").await;
    report.check(&browser, "needs assessment form").await;
    browser.click_button("Complete the assessment").await;
    let errors = browser.error_summary().await;
    assert!(errors.len() > 40, "everything is missing: {errors:?}");
    report
        .check(&browser, "needs assessment form with every gap")
        .await;
    browser.visit(&format!("/cases/{crn}/ogp")).await;
    browser.find("[data-testid=ogp-not-computed]").await;
    report.check(&browser, "OGP not computed").await;
    browser.close().await;
    report.assert_clean(4);
}

/// The risk of serious harm pages — the risk page, the assessment form and its read-only view,
/// the check response and authorisation forms, the change in circumstances form and the tasks
/// list — each as its users see it, clean and with errors, checked by axe-core.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_risk_pages_pass_axe_wcag_22_aa() {
    let app = TestApp::sqlite();
    let person = case_without_children(&app);
    let crn = person.crn.clone();
    let po_demo = app.staff_id("po.demo");
    let overdue_crn = app
        .region
        .people
        .iter()
        .filter(|p| p.crn != crn && p.events.iter().any(|e| e.active))
        .find(|p| {
            p.allocations
                .iter()
                .any(|a| a.end_date.is_none() && a.staff_id == po_demo)
        })
        .map(|p| p.crn.clone())
        .expect("a second po.demo case");
    let (draft, check) = app.draft_and_check(&overdue_crn);
    let browser = Browser::open_on(&app).await;
    let mut report = AxeReport::default();

    // A practitioner: the risk page, the assessment form, requesting and answering a check, and
    // recording a change in circumstances.
    browser.visit("/sign-in").await;
    browser.sign_in_with("po.demo", DEMO_PASSWORD).await;
    browser.visit(&format!("/cases/{crn}/risk")).await;
    browser.find("[data-testid=no-assessment]").await;
    report
        .check(&browser, "risk page, nothing yet (po.demo)")
        .await;
    browser.click_button("Start a new assessment").await;
    browser.find("[data-testid=assessment-status]").await;
    report.check(&browser, "assessment form").await;
    browser.click_button("Complete the assessment").await;
    let errors = browser.error_summary().await;
    assert!(errors.len() > 5, "everything is missing: {errors:?}");
    report.check(&browser, "assessment form with errors").await;

    browser.visit(&format!("/cases/{crn}/risk")).await;
    browser.click_button("Request the check").await;
    assert_eq!(
        browser.error_summary().await,
        ["Select the check to request"]
    );
    report
        .check(&browser, "risk page, request without a check chosen")
        .await;
    browser.click_label("Police domestic-abuse check").await;
    browser
        .script("document.querySelector('#send-to').value = 'outside'")
        .await;
    browser.click_button("Request the check").await;
    browser.find("[data-testid=checks-table]").await;
    report
        .check(&browser, "risk page with a draft and a check")
        .await;

    browser
        .click_and_wait("[data-testid=checks-table] a[href$='/response']")
        .await;
    browser.find("#summary").await;
    report.check(&browser, "record a check response").await;
    browser.click_button("Record the response").await;
    let errors = browser.error_summary().await;
    assert_eq!(errors.len(), 3, "date, answer and summary: {errors:?}");
    report
        .check(&browser, "record a check response with errors")
        .await;

    browser.visit(&format!("/cases/{crn}/address-checks")).await;
    browser.find("#line1").await;
    report.check(&browser, "address checks").await;
    let address_check = app.address_check(&crn);
    browser
        .visit(&format!("/cases/{crn}/address-checks/{address_check}"))
        .await;
    browser.find("[data-testid=findings]").await;
    report
        .check(&browser, "an address check with what is missing")
        .await;

    browser.visit(&format!("/cases/{crn}/changes")).await;
    browser.find("#details").await;
    report
        .check(&browser, "record a change in circumstances")
        .await;
    browser.click_button("Record the change").await;
    let errors = browser.error_summary().await;
    assert_eq!(errors.len(), 3, "what, when and details: {errors:?}");
    report
        .check(&browser, "record a change in circumstances with errors")
        .await;
    // A change a month ago, so its review is overdue on the task lists.
    browser.click_label("New domestic-abuse incident").await;
    let month_ago = today() - chrono::Duration::days(30);
    browser
        .type_into("#occurred-day", &month_ago.format("%-d").to_string())
        .await;
    browser
        .type_into("#occurred-month", &month_ago.format("%-m").to_string())
        .await;
    browser
        .type_into("#occurred-year", &month_ago.format("%Y").to_string())
        .await;
    browser
        .type_into("#details", "Police attended after an argument.")
        .await;
    browser.click_button("Record the change").await;
    assert_eq!(browser.path().await, format!("/cases/{crn}/risk"));
    assert_eq!(browser.fragment().await, "reviews");
    browser.find("[data-testid=review-tasks]").await;
    report
        .check(&browser, "risk page with a review overdue")
        .await;

    // Recording predictor scores, the risk page's predictors, every score recorded and how OVP
    // was worked out.
    browser.visit(&format!("/cases/{crn}/predictors/new")).await;
    browser.find("#rsr_percent").await;
    report.check(&browser, "record predictor scores").await;
    browser.click_button("Record the scores").await;
    assert_eq!(
        browser.error_summary().await,
        [
            "Select where the scores come from",
            "Enter the date of the assessment",
            "Enter at least one score"
        ]
    );
    report
        .check(&browser, "record predictor scores with errors")
        .await;
    browser.click_label("OASys").await;
    let assessed = today() - chrono::Duration::days(60);
    browser
        .type_into("#assessed_on-day", &assessed.format("%-d").to_string())
        .await;
    browser
        .type_into("#assessed_on-month", &assessed.format("%-m").to_string())
        .await;
    browser
        .type_into("#assessed_on-year", &assessed.format("%Y").to_string())
        .await;
    browser.type_into("#rsr_percent", "4.2").await;
    browser.type_into("#arp_percent", "50").await;
    browser.type_into("#csrp_percent", "1.0").await;
    browser
        .script(
            "document.querySelector('#arp_basis-dynamic').checked = true; \
             document.querySelector('#csrp_basis-dynamic').checked = true",
        )
        .await;
    browser.type_into("#ovp_points", "82").await;
    browser.click_button("Record the scores").await;
    assert_eq!(browser.path().await, format!("/cases/{crn}/risk"));
    browser.find("[data-testid=predictors-table]").await;
    report.check(&browser, "risk page with predictors").await;
    browser.visit(&format!("/cases/{crn}/predictors")).await;
    browser.find("[data-testid=predictor-history]").await;
    report
        .check(&browser, "every predictor score recorded")
        .await;
    browser.visit(&format!("/cases/{crn}/ovp")).await;
    browser.find("[data-testid=ovp-steps]").await;
    report.check(&browser, "how OVP was worked out").await;

    browser.visit("/tasks").await;
    browser.find("[data-testid=overdue-tasks]").await;
    report.check(&browser, "tasks (po.demo)").await;
    browser.sign_out().await;

    // A senior officer: authorising completion without the overdue police response.
    browser.sign_in_with("spo.demo", DEMO_PASSWORD).await;
    browser.visit(&format!("/cases/{overdue_crn}/risk")).await;
    browser
        .find(&format!(
            "[data-testid=checks-table] a[href='/cases/{overdue_crn}/checks/{check}/authorise']"
        ))
        .await;
    report
        .check(&browser, "risk page with an overdue check (spo.demo)")
        .await;
    browser
        .click_link("Authorise completion without it (police domestic-abuse check)")
        .await;
    assert_eq!(
        browser.path().await,
        format!("/cases/{overdue_crn}/checks/{check}/authorise")
    );
    report
        .check(&browser, "authorise completion without a response")
        .await;
    browser
        .click_button("Authorise completion without the response")
        .await;
    let errors = browser.error_summary().await;
    assert_eq!(errors.len(), 1, "{errors:?}");
    report
        .check(
            &browser,
            "authorise completion without a response, with errors",
        )
        .await;
    browser.visit("/tasks").await;
    browser.find("[data-testid=overdue-tasks]").await;
    report.check(&browser, "tasks (spo.demo)").await;
    browser.sign_out().await;

    // A victim liaison officer reads a completed assessment.
    complete_in_storage(&app, &overdue_crn, draft);
    browser.sign_in_with("vlo.demo", DEMO_PASSWORD).await;
    browser.visit(&format!("/cases/{overdue_crn}/risk")).await;
    browser.find("[data-testid=current-assessment]").await;
    assert!(
        browser.all("main form button").await.is_empty(),
        "a victim liaison officer has nothing to change on the risk page"
    );
    report
        .check(&browser, "risk page, read only (vlo.demo)")
        .await;
    browser.click_link("View the assessment in force").await;
    assert_eq!(
        browser.path().await,
        format!("/cases/{overdue_crn}/risk/assessments/{draft}")
    );
    assert_eq!(
        browser.text("[data-testid=assessment-status]").await,
        "Completed"
    );
    assert!(
        browser.all("main form").await.is_empty(),
        "the assessment is read only"
    );
    report
        .check(&browser, "assessment, read only (vlo.demo)")
        .await;

    browser.close().await;
    report.assert_clean(19);
}

impl Browser {
    /// The assessment form shows what the journey typed: Medium for each of `groups`, the
    /// analysis, and a note on each member of the household.
    async fn assert_assessment_kept(&self, groups: usize, household: &[&HouseholdMember]) {
        assert_eq!(
            self.all("main form input[type=radio][value=medium]:checked")
                .await
                .len(),
            groups,
            "Medium is still chosen for every group"
        );
        for (field, text) in ANALYSIS {
            assert_eq!(
                self.value(&format!("#{field}")).await,
                text,
                "{field} is kept"
            );
        }
        for member in household {
            assert_eq!(
                self.value(&format!("#consider-{}", member.id)).await,
                format!(
                    "{} {}: no concerns raised.",
                    member.first_name, member.last_name
                ),
                "the note on {} is kept",
                member.first_name
            );
        }
    }
}

/// A po.demo case with an active sentence, a current address, nobody under 18 at home and no
/// registration concerning children, preferring one with a household to consider (as
/// `risk_assessment::case_for` chooses).
fn case_without_children(app: &TestApp) -> Person {
    let staff = app.staff_id("po.demo");
    let today = today();
    let mut candidates: Vec<&Person> = app
        .region
        .people
        .iter()
        .filter(|p| {
            p.allocations
                .iter()
                .any(|a| a.end_date.is_none() && a.staff_id == staff)
        })
        .filter(|p| p.events.iter().any(|e| e.active))
        .filter(|p| {
            !current_household(p)
                .iter()
                .any(|h| h.date_of_birth.is_some_and(|d| is_child_on(d, today)))
        })
        .filter(|p| {
            !p.registrations
                .iter()
                .any(|r| r.ended_on.is_none() && r.kind.concerns_children())
        })
        .filter(|p| {
            p.addresses
                .iter()
                .any(|a| a.start_date <= today && a.end_date.is_none_or(|end| end > today))
        })
        .collect();
    candidates.sort_by_key(|p| current_household(p).is_empty());
    (*candidates.first().expect("a po.demo case without children")).clone()
}

fn current_household(person: &Person) -> Vec<&HouseholdMember> {
    person
        .household
        .iter()
        .filter(|h| h.end_date.is_none_or(|end| end > today()))
        .collect()
}

/// Fills in and completes a draft assessment directly in storage, Medium for every group.
fn complete_in_storage(app: &TestApp, crn: &str, draft: uuid::Uuid) {
    use keepsafe_domain::rosh::{AssessmentContent, RiskGroup, RoshLevel};
    use keepsafe_domain::text::LongText;
    use keepsafe_storage::cases::record as case_record;
    use keepsafe_storage::risk::assessments as rosh_assessments;
    let mut conn = app.db.database.connection().unwrap();
    let case = case_record::locate(&mut conn, crn).unwrap().unwrap();
    let record = rosh_assessments::find(&mut conn, case.person_id, draft).unwrap();
    let text = |t: &str| LongText::optional(t).unwrap();
    let content = AssessmentContent {
        levels: RiskGroup::for_case(record.case_type)
            .into_iter()
            .map(|g| (g, RoshLevel::Medium))
            .collect(),
        nature_of_harm: text(ANALYSIS[0].1),
        who_is_at_risk: text(ANALYSIS[1].1),
        imminence: text(ANALYSIS[2].1),
        increasing_factors: text(ANALYSIS[3].1),
        reducing_factors: text(ANALYSIS[4].1),
        ..Default::default()
    };
    let by = app.staff_id("po.demo");
    let version = rosh_assessments::save_draft(
        &mut conn,
        draft,
        record.version,
        &content,
        by,
        keepsafe_test_support::clock::now(),
    )
    .unwrap();
    rosh_assessments::complete(
        &mut conn,
        draft,
        version,
        RoshLevel::Medium,
        false,
        by,
        keepsafe_test_support::clock::now(),
    )
    .unwrap();
}

/// The quality pages — the list of units, a unit's rating from each source, the cases behind a
/// number, the printable report and a case's quality page — checked by axe-core.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quality_pages_pass_axe_wcag_22_aa() {
    let app = TestApp::sqlite();
    let audited = crate::quality_pages::audit_cases(&app, 4);
    let browser = Browser::open_on(&app).await;
    let mut report = AxeReport::default();

    browser.visit("/sign-in").await;
    browser.sign_in_with("head.demo", DEMO_PASSWORD).await;
    browser.visit("/quality").await;
    browser.find("[data-testid=quality-units]").await;
    report.check(&browser, "quality units (head.demo)").await;
    browser.visit("/quality/pdu/MIDW").await;
    browser.find("[data-testid=quality-questions]").await;
    browser.find("[data-testid=unit-scores]").await;
    report
        .check(&browser, "unit rating from case audits (head.demo)")
        .await;
    browser.visit("/quality/pdu/MIDW?source=automated").await;
    browser.find("[data-testid=quality-questions]").await;
    report
        .check(
            &browser,
            "unit rating automated from the record (head.demo)",
        )
        .await;
    browser
        .visit("/quality/pdu/MIDW/questions/2.1.safe?source=audit")
        .await;
    browser.find("[data-testid=cases-no]").await;
    report
        .check(&browser, "cases behind a key question (head.demo)")
        .await;
    browser
        .visit("/quality/pdu/MIDW/questions/2.1.safe?source=automated")
        .await;
    report
        .check(&browser, "cases behind an automated score (head.demo)")
        .await;
    browser.visit("/quality/pdu/MIDW/report").await;
    browser.find("[data-testid=quality-report]").await;
    report.check(&browser, "quality report (head.demo)").await;
    browser
        .visit(&format!("/cases/{}/quality", audited[0].crn))
        .await;
    browser.find("[data-testid=case-indicators]").await;
    report
        .check(&browser, "a case's quality of supervision (head.demo)")
        .await;

    report.assert_clean(7);
    browser.close().await;
}

// ---------------------------------------------------------------------------------------------
// Quality assurance: the audit workflow
// ---------------------------------------------------------------------------------------------

/// Chooses Yes for every key question on the audit form (`answer-{code}` radios).
const ANSWER_ALL_YES: &str =
    "document.querySelectorAll('input[type=radio][value=yes]').forEach(r => { r.checked = true; })";

/// The audit workflow — samples, a sample, the audit form (clean and with errors), an audit, its
/// blind moderation and the comparison, the panel's decisions, the action plan and its forms, and
/// management oversight — each as its users see it, checked by axe-core.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_audit_goes_from_sample_to_rating_and_every_step_passes_axe_wcag_22_aa() {
    let app = TestApp::sqlite();
    let browser = Browser::open_on(&app).await;
    let mut report = AxeReport::default();

    // Quality staff draw a sample through the form and audit its first case.
    browser.visit("/sign-in").await;
    browser.sign_in_with("quality.demo", DEMO_PASSWORD).await;
    browser.visit("/quality/pdu/MIDW/samples").await;
    browser.find("[data-testid=draw-form]").await;
    report.check(&browser, "audit samples, none yet").await;
    browser.type_into("#size", "0").await;
    browser.click_button("Draw the sample").await;
    assert_eq!(
        browser.error_summary().await,
        ["Choose a sample size of at least 1"]
    );
    report.check(&browser, "audit samples with errors").await;
    browser.type_into("#size", "5").await;
    browser.type_into("#seed", "4821").await;
    browser.click_button("Draw the sample").await;
    assert!(browser.path().await.starts_with("/quality/samples/"));
    assert_eq!(browser.text("[data-testid=seed]").await, "4821");
    report.check(&browser, "an audit sample").await;
    browser
        .click_and_wait("[data-testid=sample-cases] a[data-testid=audit-link]")
        .await;
    browser.find("[data-testid=audit-form]").await;
    report.check(&browser, "the audit form").await;
    let caption = browser.text(".govuk-caption-l").await;
    let audited_crn = caption
        .rsplit_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("the form names the case: {caption}"))
        .to_owned();
    browser.click_button("Save the audit").await;
    let errors = browser.error_summary().await;
    assert_eq!(
        errors.len(),
        browser
            .all("[data-testid=audit-form] .govuk-radios")
            .await
            .len(),
        "every key question is missing: {errors:?}"
    );
    report.check(&browser, "the audit form with errors").await;
    browser.script(ANSWER_ALL_YES).await;
    browser.click_button("Save the audit").await;
    assert!(browser.path().await.starts_with("/quality/audits/"));
    let audit_path = browser.path().await;
    report.check(&browser, "a case audit").await;
    browser.sign_out().await;

    // A senior officer moderates it blind, disagreeing on one question.
    browser.sign_in_with("spo.demo", DEMO_PASSWORD).await;
    browser.visit(&audit_path).await;
    browser.click_and_wait("[data-testid=moderate-link]").await;
    browser.find("[data-testid=audit-form]").await;
    report.check(&browser, "the moderation form").await;
    browser.script(ANSWER_ALL_YES).await;
    browser
        .script("document.getElementById('answer-2.1.safe-no').checked = true")
        .await;
    browser
        .type_into(
            "[id='reason-2.1.safe']",
            "The police check was not analysed",
        )
        .await;
    browser.click_button("Save the moderation").await;
    assert_eq!(browser.path().await, audit_path);
    assert!(browser
        .text("[data-testid=agreement]")
        .await
        .contains("Agreement:"));
    report.check(&browser, "an audit with its moderation").await;

    // The moderated audit reaches the PDU's rating: the case stands behind the No to 2.1.safe,
    // with the moderator's reason.
    browser.visit("/quality/pdu/MIDW?source=audit").await;
    browser.find("[data-testid=quality-questions]").await;
    report.check(&browser, "the PDU's audit rating").await;
    browser
        .visit("/quality/pdu/MIDW/questions/2.1.safe?source=audit&answer=no")
        .await;
    let behind = browser.text("[data-testid=cases-no]").await;
    assert!(
        behind.contains(&audited_crn) && behind.contains("The police check was not analysed"),
        "{audited_crn} is behind the No with the moderator's reason: {behind}"
    );
    report.check(&browser, "the cases behind a score").await;

    browser
        .visit(&format!("/cases/{}/oversight", app.case_of("po.demo")))
        .await;
    browser.find("[data-testid=oversight-form]").await;
    report.check(&browser, "management oversight").await;
    browser.click_button("Record the oversight").await;
    assert_eq!(browser.error_summary().await.len(), 3);
    report
        .check(&browser, "management oversight with errors")
        .await;
    browser.sign_out().await;

    // The head of PDU records the panel's decisions and keeps the action plan.
    browser.sign_in_with("head.demo", DEMO_PASSWORD).await;
    browser.visit("/quality/pdu/MIDW/judgements").await;
    browser.find("[data-testid=judgement-form]").await;
    report.check(&browser, "ratings panel decisions").await;
    browser.click_button("Record the judgement").await;
    assert_eq!(browser.error_summary().await.len(), 3);
    report
        .check(&browser, "ratings panel decisions with errors")
        .await;
    browser.click_label("1.1 Leadership").await;
    browser
        .script("document.getElementById('judgement-rating-good').checked = true")
        .await;
    browser
        .type_into("#judgement-reason", "Leaders know their cases well")
        .await;
    browser.click_button("Record the judgement").await;
    browser.find("[data-testid=decision-history]").await;
    report
        .check(&browser, "ratings panel decisions recorded")
        .await;

    let (recommendation, action) = crate::quality_audits::recommendation_and_action(&app);
    browser.visit("/quality/pdu/MIDW/plan").await;
    browser.find("[data-testid=recommendation]").await;
    report.check(&browser, "action plan").await;
    browser.click_button("Add the recommendation").await;
    assert_eq!(browser.error_summary().await.len(), 3);
    report.check(&browser, "action plan with errors").await;
    browser
        .visit(&format!(
            "/quality/pdu/MIDW/plan/recommendations/{recommendation}/actions"
        ))
        .await;
    browser.click_button("Add the action").await;
    assert_eq!(browser.error_summary().await.len(), 3);
    report.check(&browser, "add an action with errors").await;
    browser
        .visit(&format!("/quality/pdu/MIDW/plan/actions/{action}/status"))
        .await;
    browser.find("[data-testid=status-form]").await;
    report.check(&browser, "update an action").await;

    browser.close().await;
    report.assert_clean(19);
}

// ---------------------------------------------------------------------------------------------
// axe-core
// ---------------------------------------------------------------------------------------------

const AXE_SOURCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../node_modules/axe-core/axe.min.js"
);

const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  resultTypes: ['violations']
}).then(
  results => done({ passes: results.passes.length, violations: results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({ target: n.target, html: n.html, summary: n.failureSummary }))
  })) }),
  error => done({ error: String(error) })
);
"#;

/// axe-core's script, read once for the whole test binary.
fn axe_source() -> &'static str {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOURCE.get_or_init(|| {
        std::fs::read_to_string(AXE_SOURCE).unwrap_or_else(|e| {
            panic!("axe-core is missing at {AXE_SOURCE} ({e}): run `npm ci` in the repository root")
        })
    })
}

/// The desktop and phone windows every page is checked at (an iPhone 14 is 390 CSS pixels wide).
const DESKTOP_WINDOW: (u32, u32) = (1280, 1000);
const PHONE_WINDOW: (u32, u32) = (390, 844);

/// Whether the document is wider than the window, and if so the elements sticking out furthest
/// (tag, class and width), so a failure says what to fix.
const REFLOW_CHECK: &str = r#"
const root = document.documentElement;
const limit = root.clientWidth;
if (root.scrollWidth <= limit + 1) { return { scroll: root.scrollWidth, wide: [] }; }
const wide = [];
for (const el of document.body.querySelectorAll('*')) {
  const box = el.getBoundingClientRect();
  if (box.right > limit + 1 && box.width > 0) {
    let inside = false;
    for (let p = el.parentElement; p; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (style.overflowX === 'auto' || style.overflowX === 'scroll' || style.overflowX === 'hidden') { inside = true; break; }
    }
    if (!inside) { wide.push(`${el.tagName.toLowerCase()}.${String(el.className).trim().replace(/\s+/g, '.')} right edge ${Math.round(box.right)}px`); }
  }
}
return { scroll: root.scrollWidth, wide: wide.slice(-5) };
"#;

/// The violations found on each page checked, kept until the end so one run reports them all.
#[derive(Default)]
struct AxeReport {
    pages: Vec<String>,
    failures: Vec<String>,
}

impl AxeReport {
    /// Checks the page as it is now at desktop width and again at a phone's, then puts the window
    /// back: WCAG 2.2 AA asks for both (reflow, 1.4.10), and a table or chart that only fits a
    /// desktop is found here rather than by a user on a phone.
    async fn check(&mut self, browser: &Browser, page: &str) {
        for (width, height) in [DESKTOP_WINDOW, PHONE_WINDOW] {
            browser.resize(width, height).await;
            self.check_at(browser, &format!("{page} at {width}px"))
                .await;
            if width == PHONE_WINDOW.0 {
                self.check_reflow(browser, page).await;
            }
        }
        browser.resize(DESKTOP_WINDOW.0, DESKTOP_WINDOW.1).await;
    }

    /// At a phone's width nothing may make the page scroll sideways (WCAG 1.4.10 Reflow); wide
    /// tables stack their cells or scroll inside their own region.
    async fn check_reflow(&mut self, browser: &Browser, page: &str) {
        let location = browser.path().await;
        let found = browser.script(REFLOW_CHECK).await;
        let wide = found["wide"].as_array().cloned().unwrap_or_default();
        if !wide.is_empty() {
            self.failures.push(format!(
                "{page} ({location}): the page scrolls sideways at {}px (document {}px wide); widest elements:\n    {}",
                PHONE_WINDOW.0,
                found["scroll"],
                wide.iter()
                    .map(|w| w.as_str().unwrap_or("?").to_owned())
                    .collect::<Vec<_>>()
                    .join("\n    ")
            ));
        }
    }

    async fn check_at(&mut self, browser: &Browser, page: &str) {
        let location = browser.path().await;
        self.pages.push(format!("{page} ({location})"));
        // Checked again at another width, the page still holds axe-core: parsing its half a
        // megabyte of script once per page rather than once per check keeps the suite quick.
        if browser.script("return typeof axe").await != json!("object") {
            browser
                .client
                .execute(axe_source(), vec![])
                .await
                .expect("axe-core injects");
        }
        assert_eq!(
            browser.script("return typeof axe").await,
            json!("object"),
            "axe-core is available on {page}"
        );
        let result = browser.script_async(AXE_RUN).await;
        if let Some(error) = result.get("error") {
            panic!("axe-core failed on {page} ({location}): {error}");
        }
        assert!(
            result["passes"].as_u64().is_some_and(|passes| passes > 0),
            "axe-core ran its rules on {page}: {result}"
        );
        for violation in result["violations"].as_array().cloned().unwrap_or_default() {
            let mut text = format!(
                "{page} ({location}): {} [{}] {}\n    {}",
                violation["id"].as_str().unwrap_or("?"),
                violation["impact"].as_str().unwrap_or("?"),
                violation["help"].as_str().unwrap_or("?"),
                violation["helpUrl"].as_str().unwrap_or(""),
            );
            for node in violation["nodes"].as_array().cloned().unwrap_or_default() {
                text.push_str(&format!(
                    "\n    - {}\n      {}\n      {}",
                    node["target"],
                    node["html"].as_str().unwrap_or(""),
                    node["summary"]
                        .as_str()
                        .unwrap_or("")
                        .replace('\n', "\n      "),
                ));
            }
            self.failures.push(text);
        }
    }

    /// Fails with every violation found, or if fewer than `pages` pages were checked.
    fn assert_clean(&self, pages: usize) {
        assert!(
            self.failures.is_empty(),
            "axe-core found {} WCAG 2.2 AA violation(s):\n\n{}\n\n(pages checked: {})",
            self.failures.len(),
            self.failures.join("\n\n"),
            self.pages.join(", ")
        );
        assert!(
            self.pages.len() >= pages,
            "every page was checked: {:?}",
            self.pages
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The browser
// ---------------------------------------------------------------------------------------------

/// How long to wait for a page or an element before failing.
const PATIENCE: Duration = Duration::from_secs(10);

/// One browser at a time: tests in this binary run on parallel threads, and several Chromiums on
/// a small machine are slower than one after another.
static ONE_BROWSER_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A headless Chromium pointed at a served keepsafe. Fields drop in order: the WebDriver client,
/// then chromedriver and its Chromium, then this test's turn.
struct Browser {
    client: Client,
    base: String,
    _driver: Chromedriver,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl Browser {
    /// Serves `app` and opens a browser on it.
    async fn open_on(app: &TestApp) -> Self {
        let address = app.serve().await;
        Self::open(address).await
    }

    async fn open(address: SocketAddr) -> Self {
        let turn = ONE_BROWSER_AT_A_TIME.lock().await;
        let driver = Chromedriver::start();
        let mut capabilities = Capabilities::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert("pageLoadStrategy".into(), json!("normal"));
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": driver.chromium.display().to_string(),
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-quic",
                    "--no-first-run",
                    "--no-default-browser-check",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    format!("--window-size={},{}", DESKTOP_WINDOW.0, DESKTOP_WINDOW.1),
                    format!("--user-data-dir={}", driver.profile.display()),
                ],
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .unwrap_or_else(|e| panic!("chromedriver starts Chromium: {e}\n{}", driver.log()));
        client
            .update_timeouts(TimeoutConfiguration::new(
                Some(Duration::from_secs(60)),
                Some(Duration::from_secs(30)),
                Some(Duration::ZERO),
            ))
            .await
            .unwrap();
        Self {
            client,
            base: format!("http://{address}"),
            _driver: driver,
            _turn: turn,
        }
    }

    /// Ends the WebDriver session, closing Chromium. (If a test fails first, dropping the
    /// chromedriver guard kills them both.)
    async fn close(self) {
        let Browser {
            client,
            _driver,
            _turn,
            ..
        } = self;
        let _ = client.close().await;
        drop(_driver);
        drop(_turn);
    }

    /// Sets the window's size and lets the page lay itself out again.
    async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("the window resizes");
        let inner = self
            .script("return new Promise(r => requestAnimationFrame(() => r(window.innerWidth)))")
            .await;
        assert!(
            inner
                .as_u64()
                .is_some_and(|inner| inner.abs_diff(u64::from(width)) <= 20),
            "the page is laid out {inner} pixels wide after resizing the window to {width}"
        );
    }

    /// Goes to a path of the application and waits for the page to load.
    async fn visit(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
        self.wait_until_loaded().await;
    }

    /// The current path and query, as the server saw them.
    async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    async fn find(&self, css: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(e) => panic!(
                "no element matches {css} on {} ({e}); the page reads:\n{}",
                self.path().await,
                self.page_text().await
            ),
        }
    }

    async fn all(&self, css: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(css)).await.unwrap()
    }

    /// The element's text as a screen reader would read it: visually hidden text included,
    /// white space collapsed.
    async fn text(&self, css: &str) -> String {
        let element = self.find(css).await;
        let text = element
            .prop("textContent")
            .await
            .unwrap()
            .unwrap_or_default();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    async fn all_text(&self, css: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for element in self.all(css).await {
            texts.push(element.text().await.unwrap().trim().to_owned());
        }
        texts
    }

    async fn heading(&self) -> String {
        self.text("main h1").await
    }

    async fn page_text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    async fn script(&self, js: &str) -> Value {
        self.client.execute(js, vec![]).await.unwrap()
    }

    async fn script_async(&self, js: &str) -> Value {
        self.client.execute_async(js, vec![]).await.unwrap()
    }

    /// Fills in and sends the sign-in form on the current page.
    async fn sign_in_with(&self, username: &str, password: &str) {
        if !self.path().await.starts_with("/sign-in") {
            self.visit("/sign-in").await;
        }
        let field = self.find("#username").await;
        field.clear().await.unwrap();
        field.send_keys(username).await.unwrap();
        let field = self.find("#password").await;
        field.clear().await.unwrap();
        field.send_keys(password).await.unwrap();
        self.click_and_wait("form[action='/sign-in'] button[type=submit]")
            .await;
    }

    /// The fragment of the current address (after `#`), or "".
    async fn fragment(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        url.fragment().unwrap_or_default().to_owned()
    }

    /// Clicks the button in the page's main content that reads `text`, and waits for the page
    /// it leads to.
    async fn click_button(&self, text: &str) {
        let button = self.by_text("main button", text).await;
        self.follow(&button).await;
    }

    /// Follows the link in the page's main content that reads `text` (visually hidden text
    /// included).
    async fn click_link(&self, text: &str) {
        let link = self.by_text("main a", text).await;
        self.follow(&link).await;
    }

    /// Clicks the form label that reads `text`, choosing its radio or checkbox.
    async fn click_label(&self, text: &str) {
        self.by_text("main label", text)
            .await
            .click()
            .await
            .unwrap();
    }

    /// The one element matching `css` whose text, as a screen reader reads it, is `text`.
    async fn by_text(&self, css: &str, text: &str) -> Element {
        self.find(css).await;
        let mut found = Vec::new();
        let mut seen = Vec::new();
        for element in self.all(css).await {
            let content = element
                .prop("textContent")
                .await
                .unwrap()
                .unwrap_or_default()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if content == text {
                found.push(element);
            } else {
                seen.push(content);
            }
        }
        match found.len() {
            1 => found.remove(0),
            0 => panic!(
                "no {css} reads {text:?} on {}; those there read {seen:?}",
                self.path().await
            ),
            n => panic!("{n} of {css} read {text:?} on {}", self.path().await),
        }
    }

    /// Replaces the text of a field.
    async fn type_into(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    async fn value(&self, css: &str) -> String {
        self.find(css)
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    /// The messages of the error summary on the page, once GOV.UK Frontend has focused it (as it
    /// does so that screen readers announce it); the page title says there is an error.
    async fn error_summary(&self) -> Vec<String> {
        self.find(".govuk-error-summary").await;
        assert_eq!(
            self.text(".govuk-error-summary__title").await,
            "There is a problem"
        );
        let title = self.client.title().await.unwrap();
        assert!(
            title.starts_with("Error: "),
            "the title says there is an error: {title:?}"
        );
        self.eventually("the error summary takes focus", || async {
            self.script("return document.activeElement.classList.contains('govuk-error-summary')")
                .await
                == json!(true)
        })
        .await;
        self.all_text(".govuk-error-summary__list li").await
    }

    /// Signs out with the account bar's button (from any signed-in page).
    async fn sign_out(&self) {
        if self.all("[data-testid=sign-out]").await.is_empty() {
            self.visit("/find").await;
        }
        self.click_and_wait("[data-testid=sign-out]").await;
        assert_eq!(
            self.path().await,
            "/sign-in",
            "signing out returns to the sign-in page"
        );
    }

    /// Clicks an element that leads to another page, and waits for that page to load.
    async fn click_and_wait(&self, css: &str) {
        let element = self.find(css).await;
        self.follow(&element).await;
    }

    async fn follow(&self, element: &Element) {
        self.script("window.keepsafeOldPage = true").await;
        element.click().await.unwrap();
        self.wait_until_loaded().await;
    }

    /// Waits until the browser shows a new, fully loaded document.
    async fn wait_until_loaded(&self) {
        self.eventually("the page loads", || async {
            self.client
                .execute(
                    "return document.readyState === 'complete' && window.keepsafeOldPage === undefined",
                    vec![],
                )
                .await
                .map(|ready| ready == json!(true))
                .unwrap_or(false)
        })
        .await;
    }

    /// Polls `condition` until it holds, failing after [`PATIENCE`].
    async fn eventually<F, Fut>(&self, what: &str, mut condition: F)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = bool>,
    {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if condition().await {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting until {what}, on {}; the page reads:\n{}",
                    self.path().await,
                    self.page_text().await
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// "Showing 20 of 31 cases." → (20, 31).
fn parse_case_count(text: &str) -> (usize, usize) {
    let numbers: Vec<usize> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    match numbers[..] {
        [shown, total] => (shown, total),
        _ => panic!("unexpected case count {text:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// chromedriver
// ---------------------------------------------------------------------------------------------

/// A chromedriver process (in its own process group, with the Chromium it starts) and a fresh
/// browser profile; dropping it kills the group and deletes the profile, even when a test fails.
struct Chromedriver {
    child: Child,
    port: u16,
    chromium: PathBuf,
    profile: PathBuf,
    scratch: PathBuf,
}

impl Chromedriver {
    fn start() -> Self {
        let chromium = installed("KEEPSAFE_CHROMIUM", "/usr/bin/chromium");
        let chromedriver = installed("KEEPSAFE_CHROMEDRIVER", "/usr/bin/chromedriver");
        let scratch = std::env::temp_dir().join(format!(
            "keepsafe-browser-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        let profile = scratch.join("profile");
        std::fs::create_dir_all(&profile).unwrap();
        let log = std::fs::File::create(scratch.join("chromedriver.log")).unwrap();
        let port = free_port();
        let child = {
            use std::os::unix::process::CommandExt;
            // The browser is a tool here, not the code under test: under `scripts/test
            // --moved-clock` it keeps the real clock (Chromium does not run under libfaketime).
            Command::new(&chromedriver)
                .env_remove("LD_PRELOAD")
                .env_remove("FAKETIME")
                .arg(format!("--port={port}"))
                .arg("--allowed-ips=127.0.0.1")
                .stdin(Stdio::null())
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()))
        };
        let driver = Self {
            child,
            port,
            chromium,
            profile,
            scratch,
        };
        let deadline = Instant::now() + PATIENCE;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                panic!(
                    "chromedriver did not listen on port {port}:\n{}",
                    driver.log()
                );
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        driver
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.scratch.join("chromedriver.log")).unwrap_or_default()
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // The negative id names the process group: chromedriver and the Chromium it started.
        // (procps's kill needs `-s SIGNAL --` before a negative id; `-KILL -N` is silently
        // misread.)
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        // A killed Chromium stops writing to its profile at once, but removal can race with the
        // last writes; try again briefly.
        for _ in 0..40 {
            if std::fs::remove_dir_all(&self.scratch).is_ok() || !self.scratch.exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The browser binary named by `variable`, or its Debian package's path; fails (never skips)
/// when it is missing.
fn installed(variable: &str, default: &str) -> PathBuf {
    let path = std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default));
    assert!(
        is_executable(&path),
        "the browser tests need {} (set {variable} to use another path). \
         Run the README's test command, scripts/test, which installs the Debian packages \
         chromium and chromium-driver.",
        path.display()
    );
    path
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .unwrap()
}
