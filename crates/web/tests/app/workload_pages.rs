//! The workload dashboard and a practitioner's workload explanation, for whom.

use crate::support::TestApp;
use axum::http::StatusCode;
use keepsafe_storage::audit::{AuditFilter, Outcome};

#[tokio::test]
async fn a_senior_officer_sees_their_teams_workload_with_capacity_and_a_chart() {
    let app = TestApp::sqlite();
    let session = app.sign_in("spo.demo").await;
    let page = app.get("/workload", Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-testid=\"capacity-chart\""));
    assert!(page.body.contains("Average cases per probation officer"));
    let officer = app
        .region
        .staff
        .iter()
        .find(|s| s.username.as_deref() == Some("po.demo"))
        .unwrap();
    assert!(page.body.contains(&officer.last_name));
    let other = app
        .region
        .staff
        .iter()
        .find(|s| s.username.as_deref() == Some("po.other"))
        .unwrap();
    assert!(
        !page.body.contains(&format!("/workload/staff/{}", other.id)),
        "only their own team"
    );
    assert!(
        page.body.contains("workload-weights-2026/1"),
        "the rule version is shown"
    );
}

#[tokio::test]
async fn a_head_of_pdu_sees_every_team_and_the_cases_waiting() {
    let app = TestApp::sqlite();
    let session = app.sign_in("head.demo").await;
    let page = app.get("/workload", Some(&session)).await;
    for username in ["po.demo", "po.other"] {
        let id = app.staff_id(username);
        assert!(
            page.body.contains(&format!("/workload/staff/{id}")),
            "{username}"
        );
    }
    assert!(page.body.contains("Waiting for allocation"));
}

#[tokio::test]
async fn practitioners_see_how_their_own_workload_was_worked_out_but_not_a_colleagues() {
    let app = TestApp::sqlite();
    let session = app.sign_in("po.demo").await;
    assert_eq!(
        app.get("/workload", Some(&session)).await.status,
        StatusCode::FORBIDDEN
    );
    let own = app
        .get(
            &format!("/workload/staff/{}", app.staff_id("po.demo")),
            Some(&session),
        )
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains("How it was worked out"));
    assert!(own.body.contains(&app.case_of("po.demo")));
    let colleague = app
        .get(
            &format!("/workload/staff/{}", app.staff_id("po.other")),
            Some(&session),
        )
        .await;
    assert_eq!(colleague.status, StatusCode::FORBIDDEN);
    let refusals = app.audit(AuditFilter {
        actor: Some("po.demo".into()),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    assert!(refusals.iter().any(|r| r.action == "view_staff_workload"));
}

#[tokio::test]
async fn the_12_week_chart_shows_12_weeks_and_the_team_chart_shows_each_practitioner() {
    let app = TestApp::sqlite();
    let spo = app.sign_in("spo.demo").await;
    let po = app.staff_id("po.demo");
    let page = app.get(&format!("/workload/staff/{po}"), Some(&spo)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Capacity over the last 12 weeks"));
    let table = page
        .body
        .split("data-testid=\"trend-table\"")
        .nth(1)
        .expect("the weeks are in a table")
        .split("</table>")
        .next()
        .unwrap();
    assert_eq!(
        table.matches("<tr class=\"govuk-table__row\"><td").count(),
        12,
        "12 weeks, recorded or not: {table}"
    );
    if page.body.contains("data-testid=\"capacity-trend\"") {
        assert!(
            page.body.contains("data-weeks=\"12\""),
            "12 places on the chart"
        );
        let labels = page
            .body
            .split("data-testid=\"capacity-trend\"")
            .nth(1)
            .unwrap()
            .split("</svg>")
            .next()
            .unwrap()
            .matches("text-anchor=\"middle\"")
            .count();
        assert_eq!(labels, 12, "a label for every week");
    }
    assert!(!page.body.contains("Points of available"));

    let team = app.get("/workload", Some(&spo)).await;
    assert_eq!(team.status, StatusCode::OK);
    if team.body.contains("data-testid=\"capacity-trend\"") {
        assert!(team.body.contains("data-weeks=\"12\""));
        assert!(
            team.body.contains("data-testid=\"trend-practitioner\""),
            "each practitioner's figure, not only the average"
        );
    }
}

#[tokio::test]
async fn a_rate_above_the_standard_is_never_called_usual_even_when_like_caseloads_share_it() {
    use diesel::prelude::*;
    use keepsafe_storage::schema::rosh_assessments;
    let app = TestApp::sqlite();
    // No assessment in force anywhere: every practitioner's rate is high, so the spread of like
    // caseloads calls none of them unusual.
    {
        let mut conn = app.db.database.connection().unwrap();
        diesel::update(rosh_assessments::table)
            .set(rosh_assessments::status.eq("draft"))
            .execute(&mut conn)
            .unwrap();
    }
    let spo = app.sign_in("spo.demo").await;
    let page = app.get("/workload/insights", Some(&spo)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let table = page
        .body
        .split("data-testid=\"insights-table\"")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    assert!(table.contains("Far above the standard of 20%"), "{table}");
    for row in table.split("<tr class=\"govuk-table__row\">").skip(1) {
        let assessments = row.split("<td").nth(2).unwrap_or_default();
        if assessments.contains("Far above") || assessments.contains("Above the standard") {
            assert!(
                !assessments.contains("Within the usual range"),
                "a rate above the standard is never usual: {assessments}"
            );
        }
    }
    // The arithmetic is behind a disclosure; the standard is explained on the page.
    assert!(page.body.contains("How this was worked out"));
    assert!(page.body.contains("Outstanding band"));
    let disclosure = page
        .body
        .split("data-testid=\"insights-worked-out\"")
        .nth(1)
        .unwrap();
    assert!(disclosure.contains("interquartile range"));
    assert!(disclosure.contains("supervisor-insight-standards/1"));
    let before = page
        .body
        .split("data-testid=\"insights-worked-out\"")
        .next()
        .unwrap();
    assert!(
        !before.contains("supervisor-insights/1"),
        "rule versions only in the explanation"
    );

    // The drill-down names the people behind the numbers.
    let po = app.staff_id("po.demo");
    let drill = app
        .get(&format!("/workload/insights?staff={po}"), Some(&spo))
        .await;
    let behind = drill
        .body
        .split("data-testid=\"insights-behind\"")
        .nth(1)
        .unwrap()
        .split("</div>")
        .next()
        .unwrap();
    let crn = behind
        .split("href=\"/cases/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a case is listed behind an overdue assessment");
    let person = app.region.people.iter().find(|p| p.crn == crn).unwrap();
    assert!(
        behind.contains(&format!("{} {}</a>", person.first_name, person.last_name)),
        "{behind}"
    );
}
