//! What each page shows, for whom.

use crate::support::{today, TestApp};
use axum::http::StatusCode;
use keepsafe_domain::age::is_child_on;
use keepsafe_domain::event::CaseType;
use keepsafe_storage::audit::AuditFilter;

/// The CRNs of the case-record links on a page, in order (not links to a case's other pages).
fn crns_in(body: &str) -> Vec<String> {
    body.match_indices("href=\"/cases/")
        .map(|(i, m)| &body[i + m.len()..])
        .filter(|rest| rest.as_bytes().get(7) == Some(&b'"'))
        .map(|rest| rest[..7].to_owned())
        .collect()
}

#[tokio::test]
async fn my_cases_lists_exactly_the_practitioners_current_cases_and_is_audited() {
    let app = TestApp::sqlite();
    let staff_id = app.staff_id("po.demo");
    let mut expected: Vec<String> = app
        .region
        .people
        .iter()
        .filter(|p| {
            p.allocations
                .iter()
                .any(|a| a.end_date.is_none() && a.staff_id == staff_id)
        })
        .map(|p| p.crn.clone())
        .collect();
    let session = app.sign_in("po.demo").await;
    let page = app.get("/cases?sort=crn", Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK);
    expected.sort();
    assert_eq!(crns_in(&page.body), expected);
    assert!(page.body.contains(&format!(
        "Showing {} of {} cases",
        expected.len(),
        expected.len()
    )));
    assert!(page.body.contains("Not assessed"), "RoSH is not invented");
    let audited = app.audit(AuditFilter {
        actor: Some("po.demo".into()),
        ..Default::default()
    });
    assert!(audited.iter().any(|r| r.action == "view_caseload"));
}

#[tokio::test]
async fn my_cases_sorts_and_filters() {
    let app = TestApp::sqlite();
    let session = app.sign_in("po.demo").await;
    let ascending = crns_in(
        &app.get("/cases?sort=crn&order=asc", Some(&session))
            .await
            .body,
    );
    let mut descending = crns_in(
        &app.get("/cases?sort=crn&order=desc", Some(&session))
            .await
            .body,
    );
    descending.reverse();
    assert_eq!(ascending, descending);
    assert!(ascending.len() > 1);

    let staff_id = app.staff_id("po.demo");
    let community: Vec<String> = app
        .region
        .people
        .iter()
        .filter(|p| {
            p.allocations
                .iter()
                .any(|a| a.end_date.is_none() && a.staff_id == staff_id)
        })
        .filter(|p| {
            p.events
                .iter()
                .filter(|e| e.active)
                .max_by_key(|e| e.number)
                .is_some_and(|e| e.case_type == CaseType::Community)
        })
        .map(|p| p.crn.clone())
        .collect();
    let mut filtered = crns_in(
        &app.get("/cases?case_type=community&sort=crn", Some(&session))
            .await
            .body,
    );
    filtered.sort();
    let mut community_sorted = community.clone();
    community_sorted.sort();
    assert_eq!(filtered, community_sorted);

    let first = &ascending[0];
    let found = crns_in(
        &app.get(&format!("/cases?q={first}"), Some(&session))
            .await
            .body,
    );
    assert_eq!(found, vec![first.clone()]);
}

#[tokio::test]
async fn the_case_record_shows_the_household_with_children_and_the_allocation_history() {
    let app = TestApp::sqlite();
    let staff_id = app.staff_id("po.demo");
    let person = app
        .region
        .people
        .iter()
        .filter(|p| {
            p.allocations
                .iter()
                .any(|a| a.end_date.is_none() && a.staff_id == staff_id)
        })
        .find(|p| {
            p.household
                .iter()
                .any(|h| h.date_of_birth.is_some_and(|d| is_child_on(d, today())))
        })
        .or_else(|| {
            app.region.people.iter().find(|p| {
                p.household
                    .iter()
                    .any(|h| h.date_of_birth.is_some_and(|d| is_child_on(d, today())))
            })
        })
        .expect("the small region has a person living with a child");
    let viewer = if person
        .allocations
        .iter()
        .any(|a| a.end_date.is_none() && a.staff_id == staff_id)
    {
        "po.demo"
    } else {
        "head.demo"
    };
    let session = app.sign_in(viewer).await;
    let page = app
        .get(&format!("/cases/{}", person.crn), Some(&session))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .body
        .contains(&format!("{} {}", person.first_name, person.last_name)));
    for member in &person.household {
        assert!(
            page.body.contains(&member.first_name),
            "household member {} shown",
            member.first_name
        );
    }
    assert!(page.body.contains(">Child</strong>"), "children are marked");
    assert!(page.body.contains("Allocation history"));
    for section in [
        "Personal details",
        "Sentence and requirements",
        "Registrations and flags",
        "Contacts",
    ] {
        assert!(page.body.contains(section), "{section}");
    }
    assert!(page.body.contains("Not assessed"));
}

#[tokio::test]
async fn a_senior_officer_sees_their_team_by_practitioner_and_the_cases_waiting() {
    let app = TestApp::sqlite();
    let session = app.sign_in("spo.demo").await;
    let teams = app.get("/teams", Some(&session)).await;
    let code = app.team_code_of("spo.demo");
    assert!(teams.body.contains(&format!("/teams/{code}")));
    assert!(!teams
        .body
        .contains(&format!("/teams/{}", app.team_code_of("po.other"))));
    let page = app.get(&format!("/teams/{code}"), Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-testid=\"practitioner-table\""));
    let officer = app
        .region
        .staff
        .iter()
        .find(|s| s.username.as_deref() == Some("po.demo"))
        .unwrap();
    assert!(page.body.contains(&officer.last_name));
    let waiting = app
        .region
        .people
        .iter()
        .find(|p| p.allocations.iter().all(|a| a.end_date.is_some()))
        .unwrap();
    assert!(
        page.body.contains(&waiting.crn),
        "waiting cases are listed for allocation"
    );
}

#[tokio::test]
async fn a_head_of_pdu_sees_every_team_in_the_pdu() {
    let app = TestApp::sqlite();
    let session = app.sign_in("head.demo").await;
    let page = app.get("/teams", Some(&session)).await;
    for team in &app.region.teams {
        assert!(
            page.body.contains(&format!("/teams/{}", team.code)),
            "{}",
            team.code
        );
    }
}

#[tokio::test]
async fn each_role_starts_on_the_page_for_their_work() {
    let app = TestApp::sqlite();
    let spo_start = format!("/teams/{}/attention", app.team_code_of("spo.demo"));
    let quality_start = format!("/quality/region/{}", app.region.region.code);
    for (username, start) in [
        ("po.demo", "/cases"),
        ("pso.demo", "/cases"),
        ("spo.demo", spo_start.as_str()),
        ("head.demo", "/teams"),
        ("quality.demo", quality_start.as_str()),
        ("vlo.demo", "/releases"),
        ("admin.demo", "/admin/users"),
    ] {
        let session = app.sign_in(username).await;
        let start_page = app.get("/", Some(&session)).await;
        assert_eq!(start_page.location(), Some(start), "{username}");
        // And the page they land on opens for them.
        let landed = app.get(start, Some(&session)).await;
        assert_eq!(landed.status, StatusCode::OK, "{username} at {start}");
    }
}

#[tokio::test]
async fn finding_a_case_checks_the_reference_before_opening_it() {
    let app = TestApp::sqlite();
    let session = app.sign_in("vlo.demo").await;
    let crn = app.case_of("po.demo");
    let found = app
        .get(&format!("/find?crn={}", crn.to_lowercase()), Some(&session))
        .await;
    assert_eq!(found.location(), Some(format!("/cases/{crn}").as_str()));
    let invalid = app.get("/find?crn=12345", Some(&session)).await;
    assert_eq!(invalid.status, StatusCode::OK);
    assert!(invalid.body.contains("one letter followed by 6 digits"));
}

#[tokio::test]
async fn the_audit_log_shows_refusals_to_quality_staff() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let outsider = app.sign_in("po.other").await;
    app.get(&format!("/cases/{crn}"), Some(&outsider)).await;
    let quality = app.sign_in("quality.demo").await;
    let page = app
        .get(&format!("/audit?crn={crn}&outcome=refused"), Some(&quality))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("po.other"));
    assert!(
        page.body.contains("the case is held by another team"),
        "the refusal in words"
    );
    assert!(!page.body.contains("case_outside_team"));
}

#[tokio::test]
async fn administrators_see_the_accounts_that_can_sign_in() {
    let app = TestApp::sqlite();
    let session = app.sign_in("admin.demo").await;
    let page = app.get("/admin/users", Some(&session)).await;
    for username in ["po.demo", "spo.demo", "vlo.demo"] {
        assert!(page.body.contains(username));
    }
}

#[tokio::test]
async fn health_reports_the_database() {
    let app = TestApp::sqlite();
    let page = app.get("/health", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(json["status"], "ok");
    assert_eq!(json["database"]["backend"], "sqlite");
    assert_eq!(json["database"]["reachable"], true);
}

#[tokio::test]
async fn govuk_frontend_assets_are_served_from_the_binary() {
    let app = TestApp::sqlite();
    let css = app.get("/assets/govuk-frontend.min.css", None).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    assert!(css.body.contains("govuk-template"));
    let js = app.get("/assets/govuk-frontend.min.js", None).await;
    assert!(js.headers["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));
    assert_eq!(
        app.get("/assets/app/init.mjs", None).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/assets/images/favicon.svg", None).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/assets/nothing-here.css", None).await.status,
        StatusCode::NOT_FOUND
    );
}
