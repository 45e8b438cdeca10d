//! Administration in the browser: accounts (`/admin/users…`) and the audit log (`/audit`,
//! `/audit.csv`).

use crate::support::{today, TestApp};
use axum::http::StatusCode;
use chrono::{NaiveDate, TimeZone, Utc};
use keepsafe_domain::staff::{ContractedHours, Grade, Username};
use keepsafe_storage::audit::{self, AuditEntry, AuditFilter, AuditRecord, Outcome};
use keepsafe_storage::staff::{self, NewAccount, Placement};

fn name_of(app: &TestApp, username: &str) -> String {
    let id = app.staff_id(username);
    let s = app.region.staff.iter().find(|s| s.id == id).unwrap();
    format!("{} {}", s.first_name, s.last_name)
}

fn team_of(app: &TestApp, username: &str) -> uuid::Uuid {
    let id = app.staff_id(username);
    app.region
        .staff
        .iter()
        .find(|s| s.id == id)
        .and_then(|s| s.team_id)
        .unwrap()
}

fn rows(app: &TestApp, action: &str) -> Vec<AuditRecord> {
    app.audit(AuditFilter {
        actor: Some("admin.demo".into()),
        ..Default::default()
    })
    .into_iter()
    .filter(|r| r.action == action)
    .collect()
}

/// The password shown once on the page after a change.
fn shown_password(body: &str) -> String {
    let panel = body
        .split("data-testid=\"new-password\"")
        .nth(1)
        .expect("the password is shown");
    panel
        .split("<code>")
        .nth(1)
        .and_then(|rest| rest.split("</code>").next())
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn an_administrator_adds_an_account_whose_generated_password_is_shown_once() {
    let app = TestApp::sqlite();
    let admin = app.sign_in("admin.demo").await;
    let form = app.get("/admin/users/new", Some(&admin)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("govuk-back-link"));

    let team = team_of(&app, "po.demo").to_string();
    let added = app
        .post(
            "/admin/users",
            &admin,
            &[
                ("first-name", "Pat"),
                ("last-name", "Smith"),
                ("username", "pat.smith"),
                ("grade", "po"),
                ("team", &team),
                ("contracted-hours", "22.5"),
                ("password-choice", "generate"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert_eq!(added.header("cache-control").as_deref(), Some("no-store"));
    assert!(added.body.contains("Account added for Pat Smith"));
    assert!(added.body.contains("22.5 hours a week"));
    let password = shown_password(&added.body);
    assert_eq!(password.len(), 23, "four groups of five");

    let signed_in = app.attempt_sign_in("pat.smith", &password).await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "the new account signs in"
    );

    let audit = rows(&app, "add_user");
    assert_eq!(audit.len(), 1);
    assert!(audit[0].detail.contains("pat.smith"));
    assert!(audit[0].detail.contains("Probation officer"));
    assert!(audit[0].detail.contains("password generated"));
    assert!(
        !audit[0].detail.contains(&password),
        "the password is not logged"
    );
}

#[tokio::test]
async fn adding_an_account_refuses_each_wrong_field_beside_it_and_keeps_what_was_typed() {
    let app = TestApp::sqlite();
    let admin = app.sign_in("admin.demo").await;
    let refused = app
        .post(
            "/admin/users",
            &admin,
            &[
                ("first-name", ""),
                ("last-name", "Smith"),
                ("username", "Not A Name!"),
                ("grade", "po"),
                ("team", ""),
                ("contracted-hours", "90"),
                ("password-choice", "set"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, message) in [
        ("first-name", "Enter the first name"),
        ("username", "Enter a username of 3 to 64 characters"),
        ("team", "Select the team a probation officer works in"),
        ("contracted-hours", "Contracted hours must be a number"),
        ("password", "Enter a password of at least 12 characters"),
    ] {
        assert!(
            refused.body.contains(&format!("href=\"#{field}\"")),
            "{field} summarised"
        );
        assert!(
            refused.body.contains(&format!("id=\"{field}-error\"")),
            "{field} marked"
        );
        assert!(refused.body.contains(message), "{message}");
    }
    assert!(
        refused.body.contains("value=\"Smith\""),
        "what was typed is kept"
    );
    assert!(refused.body.contains("<title>Error: "));

    let taken = app
        .post(
            "/admin/users",
            &admin,
            &[
                ("first-name", "Another"),
                ("last-name", "Person"),
                ("username", "po.demo"),
                ("grade", "admin"),
                ("region", &app.region.region.id.to_string()),
                ("contracted-hours", "37"),
                ("password-choice", "set"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.body.contains("The username po.demo is already taken"));
    assert!(
        rows(&app, "add_user").is_empty(),
        "nothing added, nothing logged"
    );
}

#[tokio::test]
async fn an_administrator_changes_an_accounts_role_and_team_with_before_and_after_logged() {
    let app = TestApp::sqlite();
    let admin = app.sign_in("admin.demo").await;
    let id = app.staff_id("po.other");
    let form = app
        .get(&format!("/admin/users/{id}/role"), Some(&admin))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("option value=\"po\" selected"),
        "starts from the current role"
    );

    let refused = app
        .post(
            &format!("/admin/users/{id}/role"),
            &admin,
            &[("grade", "head_of_pdu"), ("pdu", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .body
        .contains("Select the probation delivery unit a head of probation delivery unit leads"));

    let new_team = team_of(&app, "po.demo");
    let changed = app
        .post(
            &format!("/admin/users/{id}/role"),
            &admin,
            &[("grade", "spo"), ("team", &new_team.to_string())],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let page = app.get(changed.location().unwrap(), Some(&admin)).await;
    assert!(page.body.contains("data-testid=\"done-banner\""));
    assert!(page.body.contains("role and team are changed"));
    assert!(page.body.contains("Senior probation officer"));

    let mut conn = app.db.database.connection().unwrap();
    let account = staff::find(&mut conn, id).unwrap();
    assert_eq!(account.grade, Grade::SeniorProbationOfficer);
    assert_eq!(account.team_id, Some(new_team));
    let audit = rows(&app, "change_user_role");
    assert_eq!(audit.len(), 1);
    assert!(audit[0].detail.starts_with("po.other: Probation officer, "));
    assert!(audit[0].detail.contains(" → Senior probation officer, "));
}

#[tokio::test]
async fn resetting_a_password_signs_the_user_out_everywhere_and_is_logged() {
    let app = TestApp::sqlite();
    let practitioner = app.sign_in("po.demo").await;
    let admin = app.sign_in("admin.demo").await;
    let id = app.staff_id("po.demo");
    assert_eq!(
        app.get(&format!("/admin/users/{id}/password"), Some(&admin))
            .await
            .status,
        StatusCode::OK
    );

    let refused = app
        .post(&format!("/admin/users/{id}/password"), &admin, &[])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .body
        .contains("Select whether to generate a password or type one"));

    let reset = app
        .post(
            &format!("/admin/users/{id}/password"),
            &admin,
            &[
                ("password-choice", "set"),
                ("password", "correct horse battery staple"),
            ],
        )
        .await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER, "{}", reset.body);
    let page = app.get(reset.location().unwrap(), Some(&admin)).await;
    assert!(page.body.contains("password is reset"));

    let after = app.get("/cases", Some(&practitioner)).await;
    assert!(
        after.location().unwrap_or_default().starts_with("/sign-in"),
        "the old session has ended"
    );
    assert_eq!(
        app.attempt_sign_in("po.demo", "correct horse battery staple")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let audit = rows(&app, "reset_password");
    assert_eq!(audit.len(), 1);
    assert!(audit[0].detail.starts_with("po.demo: password typed"));
    assert!(audit[0].detail.contains("1 session ended"));

    // A generated one is shown once, and works.
    let generated = app
        .post(
            &format!("/admin/users/{id}/password"),
            &admin,
            &[("password-choice", "generate")],
        )
        .await;
    assert_eq!(generated.status, StatusCode::OK);
    let password = shown_password(&generated.body);
    assert_eq!(
        app.attempt_sign_in("po.demo", &password).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_deactivated_account_cannot_sign_in_until_it_is_reactivated() {
    let app = TestApp::sqlite();
    let admin = app.sign_in("admin.demo").await;
    let id = app.staff_id("po.other");
    let off = app
        .post(
            &format!("/admin/users/{id}/status"),
            &admin,
            &[("active", "no")],
        )
        .await;
    assert_eq!(off.status, StatusCode::SEE_OTHER, "{}", off.body);
    let page = app.get(off.location().unwrap(), Some(&admin)).await;
    assert!(page.body.contains("account is deactivated"));
    assert!(page.body.contains(">Deactivated</dd>"));
    assert_ne!(
        app.attempt_sign_in("po.other", keepsafe_demo::DEMO_PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let audit = rows(&app, "deactivate_user");
    assert_eq!(audit.len(), 1);
    assert!(audit[0]
        .detail
        .starts_with("po.other: active → deactivated"));

    let on = app
        .post(
            &format!("/admin/users/{id}/status"),
            &admin,
            &[("active", "yes")],
        )
        .await;
    assert_eq!(on.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.attempt_sign_in("po.other", keepsafe_demo::DEMO_PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert!(rows(&app, "reactivate_user")[0]
        .detail
        .starts_with("po.other: deactivated → active"));
}

#[tokio::test]
async fn an_administrator_cannot_deactivate_their_own_account_or_take_away_their_own_role() {
    let app = TestApp::sqlite();
    let admin = app.sign_in("admin.demo").await;
    let id = app.staff_id("admin.demo");
    let refused = app
        .post(
            &format!("/admin/users/{id}/status"),
            &admin,
            &[("active", "no")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"active-error\""));
    assert!(refused
        .body
        .contains("You cannot deactivate your own account"));
    assert_eq!(
        app.get("/admin/users", Some(&admin)).await.status,
        StatusCode::OK
    );
    assert!(rows(&app, "deactivate_user").is_empty());

    // Nor take away their own administrator role.
    let demoted = app
        .post(
            &format!("/admin/users/{id}/role"),
            &admin,
            &[
                ("grade", "po"),
                ("team", &team_of(&app, "po.demo").to_string()),
            ],
        )
        .await;
    assert_eq!(demoted.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(demoted
        .body
        .contains("You cannot take away your own administrator role"));
    assert!(rows(&app, "change_user_role").is_empty());
}

#[tokio::test]
async fn only_administrators_manage_accounts_and_each_refusal_is_logged() {
    let app = TestApp::sqlite();
    let spo = app.sign_in("spo.demo").await;
    let id = app.staff_id("po.demo");
    for (post, path) in [
        (false, "/admin/users/new".to_owned()),
        (false, format!("/admin/users/{id}")),
        (true, "/admin/users".to_owned()),
        (true, format!("/admin/users/{id}/status")),
        (true, format!("/admin/users/{id}/role")),
        (true, format!("/admin/users/{id}/password")),
    ] {
        let page = if post {
            app.post(&path, &spo, &[("active", "no"), ("grade", "admin")])
                .await
        } else {
            app.get(&path, Some(&spo)).await
        };
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        let refusals = app.audit(AuditFilter {
            actor: Some("spo.demo".into()),
            outcome: Some(Outcome::Refused),
            ..Default::default()
        });
        assert!(
            refusals.iter().any(|r| r.detail.contains(&path)),
            "{path} logged"
        );
    }
    let mut conn = app.db.database.connection().unwrap();
    assert!(staff::find(&mut conn, id).unwrap().active);
}

/// Adds `n` accounts called "bulk.NN" straight to storage (no password hashing: they never sign
/// in).
fn add_accounts(app: &TestApp, n: usize) {
    let mut conn = app.db.database.connection().unwrap();
    let team = team_of(app, "po.demo");
    let pdu = app
        .region
        .teams
        .iter()
        .find(|t| t.id == team)
        .map(|t| t.pdu_id)
        .unwrap();
    for i in 0..n {
        staff::add_account(
            &mut conn,
            &NewAccount {
                username: Username::parse(&format!("bulk.{i:02}")).unwrap(),
                first_name: "Bulk".into(),
                last_name: format!("Member{i:02}"),
                grade: Grade::ProbationServiceOfficer,
                contracted_hours: ContractedHours::parse(37.0).unwrap(),
                placement: Placement {
                    region_id: app.region.region.id,
                    pdu_id: Some(pdu),
                    team_id: Some(team),
                },
                password_hash: "not a hash".into(),
            },
            keepsafe_test_support::clock::now(),
        )
        .unwrap();
    }
}

#[tokio::test]
async fn the_account_list_is_searched_filtered_and_paged() {
    let app = TestApp::sqlite();
    add_accounts(&app, 55);
    let admin = app.sign_in("admin.demo").await;

    let first = app.get("/admin/users", Some(&admin)).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("Page 1: accounts 1 to 50"));
    let next = first
        .body
        .split("rel=\"next\"")
        .next()
        .and_then(|before| before.rsplit("href=\"").next())
        .and_then(|href| href.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    assert_eq!(next, "/admin/users?page=2");
    let second = app.get(&next, Some(&admin)).await;
    assert!(second.body.contains("Page 2: accounts 51 to "));
    assert!(second.body.contains("rel=\"prev\""));

    // By name, any case, and by username.
    let surname = name_of(&app, "po.other")
        .split(' ')
        .next_back()
        .unwrap()
        .to_uppercase();
    let by_name = app
        .get(&format!("/admin/users?q={surname}"), Some(&admin))
        .await;
    assert!(by_name.body.contains("po.other"));
    assert!(!by_name.body.contains("bulk.01"));
    let by_username = app.get("/admin/users?q=bulk.5", Some(&admin)).await;
    assert!(by_username.body.contains("bulk.54"));
    assert!(!by_username.body.contains("bulk.44"));

    let seniors = app.get("/admin/users?grade=spo", Some(&admin)).await;
    assert!(seniors.body.contains("spo.demo"));
    assert!(!seniors.body.contains("po.other<"));
    let team = team_of(&app, "po.other");
    let in_team = app
        .get(&format!("/admin/users?team={team}"), Some(&admin))
        .await;
    assert!(in_team.body.contains("po.other"));
    assert!(!in_team.body.contains("bulk.01"));
}

// ---------------------------------------------------------------------------------------------
// The audit log
// ---------------------------------------------------------------------------------------------

/// Writes an audit row by `username` at `day` 10:00 UTC.
fn logged(
    app: &TestApp,
    username: &str,
    action: &str,
    outcome: Outcome,
    crn: &str,
    detail: &str,
    day: NaiveDate,
) {
    let mut conn = app.db.database.connection().unwrap();
    audit::record(
        &mut conn,
        &AuditEntry {
            staff_id: Some(app.staff_id(username)),
            actor: username.into(),
            action: action.into(),
            outcome,
            person_id: None,
            crn: Some(crn.into()),
            detail: detail.into(),
        },
        Utc.from_utc_datetime(&day.and_hms_opt(10, 0, 0).unwrap()),
    )
    .unwrap();
}

fn december(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
}

#[tokio::test]
async fn the_audit_log_filters_by_dates_person_case_and_action_and_says_so_in_words() {
    let app = TestApp::sqlite();
    let crn = "Z900001";
    logged(
        &app,
        "po.other",
        "view_case",
        Outcome::Refused,
        crn,
        "marker-in-range",
        december(2),
    );
    logged(
        &app,
        "po.other",
        "view_case",
        Outcome::Refused,
        crn,
        "marker-too-early",
        december(1).pred_opt().unwrap(),
    );
    logged(
        &app,
        "po.other",
        "view_case",
        Outcome::Allowed,
        crn,
        "marker-allowed",
        december(2),
    );
    logged(
        &app,
        "po.demo",
        "view_case",
        Outcome::Refused,
        crn,
        "marker-someone-else",
        december(3),
    );
    logged(
        &app,
        "po.other",
        "view_risk",
        Outcome::Refused,
        crn,
        "marker-other-action",
        december(3),
    );
    logged(
        &app,
        "po.other",
        "view_case",
        Outcome::Refused,
        "Z900002",
        "marker-other-case",
        december(2),
    );
    let admin = app.sign_in("admin.demo").await;

    let page = app
        .get(
            &format!(
                "/audit?from-day=1&from-month=12&from-year=2026&to-day=3&to-month=12&to-year=2026\
                 &person=po.other&crn={}&action=view_case&outcome=refused",
                crn.to_lowercase()
            ),
            Some(&admin),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let sentence = format!(
        "Showing refusals of “Viewed a case record” by {} on case {crn} between 1 and 3 \
         December 2026, newest first.",
        name_of(&app, "po.other")
    );
    assert!(page.body.contains(&sentence), "{}", page.body);
    assert!(page.body.contains("marker-in-range"));
    for excluded in [
        "marker-too-early",
        "marker-allowed",
        "marker-someone-else",
        "marker-other-action",
        "marker-other-case",
    ] {
        assert!(!page.body.contains(excluded), "{excluded} filtered out");
    }
    assert!(
        page.body.contains("Viewed a case record"),
        "actions in words"
    );
    assert!(!page.body.contains(">view_case<"));

    // Each filter on its own.
    let by_case = app.get(&format!("/audit?crn={crn}"), Some(&admin)).await;
    assert!(by_case
        .body
        .contains("Showing every entry on case Z900001, newest first."));
    assert!(
        by_case.body.contains("marker-someone-else") && !by_case.body.contains("marker-other-case")
    );
    let by_person = app
        .get(&format!("/audit?person=po.demo&crn={crn}"), Some(&admin))
        .await;
    assert!(
        by_person.body.contains("marker-someone-else")
            && !by_person.body.contains("marker-in-range")
    );
    let by_action = app
        .get(&format!("/audit?action=view_risk&crn={crn}"), Some(&admin))
        .await;
    assert!(
        by_action.body.contains("marker-other-action")
            && !by_action.body.contains("marker-in-range")
    );
    let by_date = app
        .get(
            &format!("/audit?from-day=3&from-month=12&from-year=2026&crn={crn}"),
            Some(&admin),
        )
        .await;
    assert!(by_date.body.contains("from 3 December 2026"));
    assert!(
        by_date.body.contains("marker-other-action") && !by_date.body.contains("marker-in-range")
    );

    // Reading the log is logged, in words, never as a debug dump.
    let views = rows(&app, "view_audit_log");
    assert!(views.iter().any(|r| r.detail.contains(&sentence)));
    assert!(views.iter().all(|r| !r.detail.contains("AuditFilter")));
    assert!(!page.body.contains("AuditFilter"));
}

#[tokio::test]
async fn a_filter_that_cannot_be_read_is_refused_beside_its_field() {
    let app = TestApp::sqlite();
    let admin = app.sign_in("admin.demo").await;
    let page = app
        .get(
            "/audit?from-day=31&from-month=2&from-year=2026&to-day=1&to-month=1&to-year=2026\
             &person=nobody.here&crn=X12-34&action=do_anything",
            Some(&admin),
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, message) in [
        ("from-day", "The start date must be a real date"),
        (
            "person",
            "There is no account with the username nobody.here",
        ),
        (
            "crn",
            "Enter a case reference number (CRN) of letters and digits",
        ),
        ("action", "Select an action from the list"),
    ] {
        assert!(page.body.contains(&format!("href=\"#{field}\"")), "{field}");
        assert!(page.body.contains(message), "{message}");
    }
    assert!(
        page.body.contains("value=\"nobody.here\""),
        "what was typed is kept"
    );
    let backwards = app
        .get(
            "/audit?from-day=3&from-month=12&from-year=2026&to-day=1&to-month=12&to-year=2026",
            Some(&admin),
        )
        .await;
    assert!(backwards
        .body
        .contains("The end date must be the same as or after the start date"));
}

#[tokio::test]
async fn the_audit_log_is_paged() {
    let app = TestApp::sqlite();
    for i in 0..60 {
        logged(
            &app,
            "po.other",
            "view_case",
            Outcome::Allowed,
            "Z900003",
            &format!("paged-{i:02}"),
            today(),
        );
    }
    let admin = app.sign_in("admin.demo").await;
    let first = app.get("/audit?crn=Z900003", Some(&admin)).await;
    assert_eq!(first.body.matches("paged-").count(), 50);
    assert!(first.body.contains("paged-59"), "newest first");
    let next = first
        .body
        .split("rel=\"next\"")
        .next()
        .and_then(|before| before.rsplit("href=\"").next())
        .unwrap_or_default();
    assert!(next.starts_with("/audit?crn=Z900003&"), "{next}");
    assert!(next.contains("page=2\""), "{next}");
    let second = app.get("/audit?crn=Z900003&page=2", Some(&admin)).await;
    assert_eq!(second.body.matches("paged-").count(), 10);
    assert!(second.body.contains("paged-00"));
    assert!(!second.body.contains("rel=\"next\""));
}

#[tokio::test]
async fn the_audit_log_exports_its_filter_as_csv_with_formulas_neutralised() {
    let app = TestApp::sqlite();
    let crn = "Z900004";
    logged(
        &app,
        "po.other",
        "view_case",
        Outcome::Allowed,
        crn,
        "=cmd|' /C calc'!A0",
        december(1),
    );
    logged(
        &app,
        "po.other",
        "view_case",
        Outcome::Refused,
        crn,
        "one, two",
        december(1),
    );
    logged(
        &app,
        "po.other",
        "view_case",
        Outcome::Allowed,
        crn,
        "say \"hello\"",
        december(1),
    );
    logged(
        &app,
        "po.other",
        "view_case",
        Outcome::Allowed,
        "Z900005",
        "not exported",
        december(1),
    );
    // More than one batch, to read past the batch boundary.
    for i in 0..1_001 {
        logged(
            &app,
            "po.demo",
            "view_risk",
            Outcome::Allowed,
            crn,
            &format!("bulk {i}"),
            december(2),
        );
    }
    let admin = app.sign_in("admin.demo").await;
    let csv = app
        .get(&format!("/audit.csv?crn={crn}"), Some(&admin))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv
        .header("content-disposition")
        .unwrap()
        .starts_with("attachment; filename=\"audit-log-"));
    let lines: Vec<&str> = csv.body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "When (UTC),Who,Action,Outcome,Case (CRN),Detail,Action code,Kind (DPA 2018 s.62)"
    );
    assert_eq!(lines.len(), 1 + 3 + 1_001, "every matching entry, once");
    let bulk: std::collections::HashSet<&str> = lines
        .iter()
        .filter(|l| l.contains(",bulk "))
        .copied()
        .collect();
    assert_eq!(bulk.len(), 1_001, "no entry twice across batches");
    assert!(csv.body.contains(
        "2026-12-01 10:00:00,po.other,Viewed a case record,Allowed,Z900004,'=cmd|' /C calc'!A0,view_case,Consultation\r\n"
    ));
    assert!(csv
        .body
        .contains(",Refused,Z900004,\"one, two\",view_case,Consultation\r\n"));
    assert!(csv
        .body
        .contains(",\"say \"\"hello\"\"\",view_case,Consultation\r\n"));
    assert!(!csv.body.contains("not exported"));
    assert!(
        csv.body.find("bulk 1000").unwrap() < csv.body.find("one, two").unwrap(),
        "newest first"
    );

    let exports = rows(&app, "export_audit_log");
    assert_eq!(exports.len(), 1);
    assert!(exports[0].detail.contains("on case Z900004"));

    // Only those who may read the log may export it.
    let practitioner = app.sign_in("po.demo").await;
    assert_eq!(
        app.get("/audit.csv", Some(&practitioner)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn deactivating_someone_who_still_holds_cases_warns_how_many_and_who_can_move_them() {
    let app = TestApp::sqlite();
    let admin = app.sign_in("admin.demo").await;
    let holder = app.staff_id("po.demo");
    let held = app
        .region
        .people
        .iter()
        .filter(|p| {
            p.allocations
                .iter()
                .any(|a| a.staff_id == holder && a.end_date.is_none())
        })
        .count();
    assert!(held > 1, "po.demo holds cases in the demo region");

    let page = app
        .get(&format!("/admin/users/{holder}"), Some(&admin))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&format!(
            "{} still holds {held} cases.",
            name_of(&app, "po.demo")
        )),
        "{}",
        page.body
    );
    assert!(page.body.contains("data-testid=\"holds-cases\""));

    // Nobody's cases, no warning: an administrator holds none.
    let own = app
        .get(
            &format!("/admin/users/{}", app.staff_id("admin.demo")),
            Some(&admin),
        )
        .await;
    assert!(!own.body.contains("data-testid=\"holds-cases\""));
}

#[tokio::test]
async fn the_audit_log_filters_by_kind_of_processing_and_says_when_its_chain_was_last_checked() {
    let app = TestApp::sqlite();
    let crn = "Z900006";
    for action in [
        "view_case",
        "add_victim",
        "delete_reduction",
        "print_licence",
    ] {
        logged(
            &app,
            "po.demo",
            action,
            Outcome::Allowed,
            crn,
            action,
            december(1),
        );
    }
    let admin = app.sign_in("admin.demo").await;
    let page = app.get("/audit", Some(&admin)).await;
    assert!(
        page.body.contains("has not been checked yet"),
        "{}",
        page.body
    );
    let erasures = app
        .get(&format!("/audit?crn={crn}&operation=erasure"), Some(&admin))
        .await;
    assert_eq!(erasures.status, StatusCode::OK);
    let cell = |words: &str| format!("<td class=\"govuk-table__cell\">{words}");
    assert!(erasures
        .body
        .contains(&cell("Deleted a workload reduction")));
    assert!(!erasures.body.contains(&cell("Viewed a case record")));
    assert!(erasures
        .body
        .contains("of the kind “erasure (records deleted)”"));
    let disclosures = app
        .get(
            &format!("/audit.csv?crn={crn}&operation=disclosure"),
            Some(&admin),
        )
        .await;
    let lines: Vec<&str> = disclosures
        .body
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.len(), 2, "{}", disclosures.body);
    assert!(
        lines[1].ends_with(",print_licence,Disclosure"),
        "{}",
        lines[1]
    );

    logged(
        &app,
        "admin.demo",
        "verify_audit_log",
        Outcome::Allowed,
        "",
        "chain intact: 7 rows verified, chain intact",
        december(2),
    );
    let page = app.get("/audit", Some(&admin)).await;
    assert!(
        page.body
            .contains("was last checked on 2 Dec 2026 at 10am: 7 rows verified, chain intact"),
        "{}",
        page.body
    );
}
