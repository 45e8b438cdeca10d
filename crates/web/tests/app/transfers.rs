//! Moving a practitioner's cases (`/workload/staff/{staff}/transfer`), tasks, reductions and
//! supervisor insights, with the refusals as carefully as the successes.

use crate::support::TestApp;
use axum::http::StatusCode;
use keepsafe_storage::audit::{AuditFilter, Outcome};

/// The cases a member of staff holds, by person id, from the database.
fn held(app: &TestApp, username: &str) -> Vec<String> {
    use diesel::prelude::*;
    use keepsafe_storage::schema::allocations;
    let mut conn = app.db.database.connection().unwrap();
    let mut held: Vec<String> = allocations::table
        .filter(allocations::staff_id.eq(app.staff_id(username).to_string()))
        .filter(allocations::end_date.is_null())
        .select(allocations::person_id)
        .load(&mut conn)
        .unwrap();
    held.sort();
    held
}

#[tokio::test]
async fn a_senior_officer_moves_a_practitioners_caseload_to_cover_an_absence() {
    let app = TestApp::sqlite();
    let spo = app.sign_in("spo.demo").await;
    let from = app.staff_id("pso.demo");
    let to = app.staff_id("po.demo");
    let path = format!("/workload/staff/{from}/transfer");

    let form = app.get(&path, Some(&spo)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("Move cases from"));
    assert!(
        form.body.contains(&to.to_string()),
        "po.demo is a candidate"
    );

    let cases = held(&app, "pso.demo");
    assert!(!cases.is_empty());
    let before_to = held(&app, "po.demo").len();
    let mut fields: Vec<(&str, &str)> = cases.iter().map(|c| ("cases", c.as_str())).collect();
    let to_text = to.to_string();
    fields.extend([
        ("to", to_text.as_str()),
        ("reason", "absence_cover"),
        ("details", "On leave until 4 January"),
        ("override-reason", "Experienced officer covering"),
    ]);
    let moved = app.post(&path, &spo, &fields).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert!(moved.location().unwrap().contains("moved="));
    assert!(held(&app, "pso.demo").is_empty());
    assert_eq!(held(&app, "po.demo").len(), before_to + cases.len());

    let audit: Vec<_> = app
        .audit(AuditFilter::default())
        .into_iter()
        .filter(|r| r.action == "transfer_case")
        .collect();
    assert_eq!(audit.len(), cases.len(), "one audit row per case moved");
    assert!(audit[0].detail.contains("Covering an absence"));

    let page = app.get(moved.location().unwrap(), Some(&spo)).await;
    assert!(page.body.contains("moved to"), "{}", page.body);

    // The practitioner who took them sees a handover task for each and can mark one done.
    let po = app.sign_in("po.demo").await;
    let my_cases = app.get("/cases", Some(&po)).await;
    assert!(
        my_cases.body.contains("See your tasks"),
        "the new practitioner is told"
    );
    let tasks = app.get("/tasks", Some(&po)).await;
    assert!(tasks.body.contains("Handover: read the case"));
    let task_id = tasks
        .body
        .split("action=\"/tasks/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_owned();
    // Someone else cannot mark it done.
    let other = app.sign_in("pso.demo").await;
    let refused = app
        .post(&format!("/tasks/{task_id}/done"), &other, &[])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let done = app.post(&format!("/tasks/{task_id}/done"), &po, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_transfer_with_a_missing_reason_moves_nothing_and_says_what_is_missing() {
    let app = TestApp::sqlite();
    let spo = app.sign_in("spo.demo").await;
    let from = app.staff_id("pso.demo");
    let to = app.staff_id("po.demo").to_string();
    let cases = held(&app, "pso.demo");
    let mut fields: Vec<(&str, &str)> = cases.iter().map(|c| ("cases", c.as_str())).collect();
    fields.push(("to", to.as_str()));
    let refused = app
        .post(&format!("/workload/staff/{from}/transfer"), &spo, &fields)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .body
        .contains("Select why the cases are being moved"));
    assert_eq!(held(&app, "pso.demo"), cases, "nothing moved");

    // A case that is not theirs in the list: nothing moves at all.
    let someone_elses = held(&app, "po.demo")[0].clone();
    fields.push(("cases", someone_elses.as_str()));
    fields.push(("reason", "leaving"));
    let refused = app
        .post(&format!("/workload/staff/{from}/transfer"), &spo, &fields)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("nothing was"));
    assert_eq!(held(&app, "pso.demo"), cases, "nothing moved");
}

#[tokio::test]
async fn practitioners_and_quality_staff_cannot_move_cases_and_the_refusal_is_audited() {
    let app = TestApp::sqlite();
    let from = app.staff_id("pso.demo");
    let path = format!("/workload/staff/{from}/transfer");
    for username in [
        "po.demo",
        "quality.demo",
        "vlo.demo",
        "admin.demo",
        "spo.other",
    ] {
        let Some(_) = app
            .region
            .staff
            .iter()
            .find(|s| s.username.as_deref() == Some(username))
        else {
            continue;
        };
        let session = app.sign_in(username).await;
        let page = app.get(&path, Some(&session)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{username}");
        let posted = app.post(&path, &session, &[("reason", "leaving")]).await;
        assert_eq!(posted.status, StatusCode::FORBIDDEN, "{username}");
    }
    let refusals: Vec<_> = app
        .audit(AuditFilter {
            outcome: Some(Outcome::Refused),
            ..Default::default()
        })
        .into_iter()
        .filter(|r| r.action == "view_transfer")
        .collect();
    assert!(!refusals.is_empty());
    assert!(!held(&app, "pso.demo").is_empty(), "nothing moved");
}

#[tokio::test]
async fn a_senior_officer_records_a_reduction_and_a_practitioner_cannot() {
    let app = TestApp::sqlite();
    let po = app.staff_id("po.demo");
    let path = format!("/workload/staff/{po}/reductions");
    let form = [
        ("kind", "union_duties"),
        ("hours", "7.4"),
        ("from-day", "1"),
        ("from-month", "11"),
        ("from-year", "2026"),
        ("reason", "Branch secretary"),
    ];
    let practitioner = app.sign_in("po.demo").await;
    let refused = app.post(&path, &practitioner, &form).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let spo = app.sign_in("spo.demo").await;
    let missing = app.post(&path, &spo, &[("kind", "other")]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("Enter the hours a week"));
    assert!(missing.body.contains("Enter the reason for the reduction"));

    let recorded = app.post(&path, &spo, &form).await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let page = app.get(&format!("/workload/staff/{po}"), Some(&spo)).await;
    assert!(page.body.contains("Branch secretary"));
    assert!(
        page.body.contains("Capacity by week"),
        "the trend chart is drawn"
    );
}

#[tokio::test]
async fn supervisor_insights_compare_like_caseloads_and_practitioners_cannot_see_them() {
    let app = TestApp::sqlite();
    let spo = app.sign_in("spo.demo").await;
    let page = app.get("/workload/insights", Some(&spo)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("interquartile range"));
    assert!(page.body.contains("Overdue risk assessments"));
    assert!(page.body.contains("supervisor-insights/1"));
    let po = app.staff_id("po.demo");
    let drill = app
        .get(&format!("/workload/insights?staff={po}"), Some(&spo))
        .await;
    assert!(drill.body.contains("The cases behind"));

    let practitioner = app.sign_in("po.demo").await;
    let refused = app.get("/workload/insights", Some(&practitioner)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_senior_officer_records_a_court_report_that_counts_until_it_is_complete() {
    let app = TestApp::sqlite();
    let po = app.staff_id("po.demo");
    let crn = app.case_of("po.demo");
    let spo = app.sign_in("spo.demo").await;
    let points = |body: &str| -> u32 {
        body.split("Points from reports</dt><dd class=\"govuk-summary-list__value\">")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .and_then(|n| n.trim().parse().ok())
            .unwrap()
    };
    let before = points(
        &app.get(&format!("/workload/staff/{po}"), Some(&spo))
            .await
            .body,
    );
    let path = format!("/workload/staff/{po}/reports");
    let form = [
        ("report-crn", crn.as_str()),
        ("report-kind", "standard_court_report"),
        ("requested-day", "1"),
        ("requested-month", "12"),
        ("requested-year", "2026"),
        ("due-day", "15"),
        ("due-month", "12"),
        ("due-year", "2026"),
    ];
    let practitioner = app.sign_in("po.demo").await;
    assert_eq!(
        app.post(&path, &practitioner, &form).await.status,
        StatusCode::FORBIDDEN
    );
    let unknown = app
        .post(
            &path,
            &spo,
            &[
                ("report-crn", "X999999"),
                ("report-kind", "fast_court_report"),
            ],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("There is no case X999999"));
    assert!(unknown
        .body
        .contains("Enter the date the report was requested"));

    let recorded = app.post(&path, &spo, &form).await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let page = app.get(&format!("/workload/staff/{po}"), Some(&spo)).await;
    assert_eq!(
        points(&page.body),
        before + 138,
        "a standard court report scores 138"
    );
    let report = page
        .body
        .split("/reports/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_owned();
    let done = app
        .post(
            &format!("/workload/staff/{po}/reports/{report}/complete"),
            &spo,
            &[],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let page = app.get(&format!("/workload/staff/{po}"), Some(&spo)).await;
    assert_eq!(points(&page.body), before);
}
