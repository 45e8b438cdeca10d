//! Every route is registered with an access rule, and every rule is enforced: anonymous requests
//! go to sign-in, the wrong grade is refused, the wrong case or team is refused, and refusals are
//! audit-logged. A new route cannot be added without a rule (the registry requires one), and this
//! walk covers it as soon as it exists.

use crate::support::{Session, TestApp};
use axum::http::{Method, StatusCode};
use keepsafe_domain::access::decide;
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_storage::staff::StaffAccount;
use keepsafe_web::routes::{Access, GradeAction};
use std::collections::HashSet;

/// A concrete path for a route pattern: `{crn}` becomes a case of po.demo's (with a draft
/// assessment and a check request made for it), `{code}` po.demo's team, `{*path}` the GOV.UK
/// stylesheet, `{level}/{unit}` the PDU MIDW, `{question}` a key question, and `{sample}`, `{audit}`, `{recommendation}` and
/// `{action}` real records of MIDW's (made in storage by `quality_audits`' fixtures); `{court}`
/// the test court of po.demo's PDU, `{day}` today and `{hearing}` a hearing of it with a report
/// (`court::fill`).
/// A draft needs assessment on the case, started by its practitioner.
fn needs_draft(app: &TestApp, crn: &str) -> uuid::Uuid {
    let mut conn = app.db.database.connection().unwrap();
    let person = keepsafe_storage::cases::record::locate(&mut conn, crn)
        .unwrap()
        .unwrap()
        .person_id;
    keepsafe_test_support::needs::draft(&mut conn, person, app.staff_id("po.demo")).unwrap()
}

pub(crate) fn concrete(app: &TestApp, pattern: &str) -> String {
    let crn = app.case_of("po.demo");
    let (assessment, check) = app.draft_and_check(&crn);
    if pattern.contains("{position}") {
        app.attach_file(check);
    }
    let path = pattern
        .replace("{crn}", &crn)
        .replace("{assessment}", &assessment.to_string())
        .replace("{check}", &check.to_string())
        .replace("{address_check}", &app.address_check(&crn).to_string())
        .replace("{code}", &app.team_code_of("po.demo"))
        .replace("{staff}", &app.staff_id("po.demo").to_string())
        .replace("{request}", &app.partner_request("MIDPOL").to_string())
        .replace("{task}", &uuid::Uuid::new_v4().to_string())
        .replace("{licence_task}", &app.licence_task(&crn).to_string())
        .replace("{condition}", &uuid::Uuid::new_v4().to_string())
        .replace("{reduction}", &uuid::Uuid::new_v4().to_string())
        .replace("{report}", &uuid::Uuid::new_v4().to_string())
        .replace("{position}", "0")
        .replace("{level}", "pdu")
        .replace("{unit}", "MIDW")
        .replace("{question}", "2.1.safe")
        .replace("{*path}", "govuk-frontend.min.css");
    let path = if path.contains("{contact}") || path.contains("{appointment}") {
        let appointment = app.arranged_appointment(&crn).to_string();
        path.replace("{contact}", &appointment)
            .replace("{appointment}", &appointment)
    } else {
        path
    };
    let path = if path.contains("{needs_assessment}") {
        path.replace("{needs_assessment}", &needs_draft(app, &crn).to_string())
    } else {
        path
    };
    let path = if path.contains("{file}") {
        path.replace("{file}", &crate::diary::feed_file(app))
    } else {
        path
    };
    let path = crate::record::fill(app, &path);
    let path = crate::record_details::fill(app, &path);
    let path = crate::plans::fill(app, &path);
    let path = crate::mappa::fill(app, &path);
    let path = crate::victims::fill(app, &path);
    let path = crate::court::fill(app, &path);
    let path = crate::unpaid_work::fill(app, &path);
    let path = crate::sfo::fill(app, &path);
    let path = crate::programmes::fill(app, &path);
    quality_records(app, &crate::enforcement::fill(app, &path))
}

/// Fills in the quality records a path names, making them only when it names them.
fn quality_records(app: &TestApp, path: &str) -> String {
    use crate::quality_audits::{audit, recommendation_and_action, sample};
    let mut path = path.to_owned();
    if path.contains("{sample}") {
        path = path.replace("{sample}", &sample(app).to_string());
    }
    if path.contains("{audit}") {
        path = path.replace("{audit}", &audit(app).to_string());
    }
    if path.contains("{recommendation}") || path.contains("{action}") {
        let (recommendation, action) = recommendation_and_action(app);
        path = path
            .replace("{recommendation}", &recommendation.to_string())
            .replace("{action}", &action.to_string());
    }
    path
}

pub(crate) async fn request(
    app: &TestApp,
    method: &Method,
    path: &str,
    session: Option<&Session>,
) -> crate::support::Page {
    match *method {
        Method::GET => app.get(path, session).await,
        Method::POST => {
            let (cookie, token) = session
                .map(|s| (format!("keepsafe_session={}", s.cookie), s.csrf.clone()))
                .unwrap_or_default();
            app.post_form(path, &cookie, &[("csrf_token", &token)])
                .await
        }
        ref other => panic!("add a request builder for {other}"),
    }
}

#[tokio::test]
async fn the_router_lists_each_route_once_with_its_rule() {
    let app = TestApp::sqlite();
    let mut seen = HashSet::new();
    for route in &app.routes {
        assert!(
            seen.insert((route.method.clone(), route.path)),
            "{} {} is registered twice",
            route.method,
            route.path
        );
    }
    let public: Vec<_> = app
        .routes
        .iter()
        .filter(|r| r.access == Access::Public)
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        public,
        [
            "GET /health",
            "GET /assets/{*path}",
            "GET /sign-in",
            "POST /sign-in",
            "GET /calendar/{file}",
            "GET /api/partner/v1/openapi.json"
        ],
        "only these routes may be reached without signing in"
    );
}

#[tokio::test]
async fn anonymous_requests_to_every_protected_route_are_sent_to_sign_in() {
    let app = TestApp::sqlite();
    for route in app
        .routes
        .iter()
        .filter(|r| !matches!(r.access, Access::Public | Access::PartnerApi))
    {
        let path = concrete(&app, route.path);
        let page = request(&app, &route.method, &path, None).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "{} {path}",
            route.method
        );
        let location = page.location().unwrap_or_default();
        assert!(
            location.starts_with("/sign-in"),
            "{} {path} went to {location}",
            route.method
        );
    }
}

#[tokio::test]
async fn partner_api_routes_refuse_requests_without_a_token_and_ignore_sessions() {
    let app = TestApp::sqlite();
    let police = app.sign_in("police.demo").await;
    let staff = app.sign_in("spo.demo").await;
    for route in app.routes.iter().filter(|r| r.access == Access::PartnerApi) {
        let path = concrete(&app, route.path);
        for session in [None, Some(&police), Some(&staff)] {
            let page = request(&app, &route.method, &path, session).await;
            assert_eq!(
                page.status,
                StatusCode::UNAUTHORIZED,
                "{} {path}: a session is no API token",
                route.method
            );
            assert!(page.body.contains("Bearer"), "{}", page.body);
        }
    }
}

#[tokio::test]
async fn public_routes_answer_without_a_session() {
    let app = TestApp::sqlite();
    for route in app.routes.iter().filter(|r| r.access == Access::Public) {
        let path = concrete(&app, route.path);
        let page = request(&app, &route.method, &path, None).await;
        let expected = if route.method == Method::POST {
            // The sign-in form without its CSRF token.
            StatusCode::FORBIDDEN
        } else {
            StatusCode::OK
        };
        assert_eq!(page.status, expected, "{} {path}", route.method);
    }
}

fn account(app: &TestApp, username: &str) -> StaffAccount {
    let mut conn = app.db.database.connection().unwrap();
    keepsafe_storage::staff::find_by_username(
        &mut conn,
        &keepsafe_domain::staff::Username::parse(username).unwrap(),
    )
    .unwrap()
    .unwrap()
}

const DEMO_ACCOUNTS: [&str; 9] = [
    "po.demo",
    "po.other",
    "pso.demo",
    "trainee.demo",
    "spo.demo",
    "head.demo",
    "vlo.demo",
    "quality.demo",
    "admin.demo",
];

#[tokio::test]
async fn grade_rules_refuse_every_grade_without_the_permission_and_audit_the_refusal() {
    let app = TestApp::sqlite();
    let mut checked = 0;
    for route in &app.routes {
        let Access::Grade(action) = route.access else {
            continue;
        };
        let path = concrete(&app, route.path);
        for username in DEMO_ACCOUNTS {
            let allowed = decide(
                &account(&app, username).actor(),
                GradeAction::action(action),
            )
            .is_allowed();
            let session = app.sign_in(username).await;
            let page = request(&app, &route.method, &path, Some(&session)).await;
            if allowed && route.method == Method::GET {
                assert_eq!(page.status, StatusCode::OK, "{username} may use {path}");
            } else if allowed {
                // An empty form reaches the handler, which says what is missing.
                assert!(
                    page.status == StatusCode::UNPROCESSABLE_ENTITY || page.status.is_redirection(),
                    "{username} may use {} {path}: {}",
                    route.method,
                    page.status
                );
            } else {
                assert_eq!(
                    page.status,
                    StatusCode::FORBIDDEN,
                    "{username} must be refused {path}"
                );
                let refusals = app.audit(AuditFilter {
                    actor: Some(username.into()),
                    outcome: Some(Outcome::Refused),
                    ..Default::default()
                });
                assert!(
                    refusals.iter().any(|r| r.detail.contains(&path)),
                    "the refusal of {path} to {username} is audited"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "some grade is refused some page");
}

#[tokio::test]
async fn case_routes_refuse_a_practitioner_from_another_team() {
    let app = TestApp::sqlite();
    let outsider = app.sign_in("po.other").await;
    let owner = app.sign_in("po.demo").await;
    let senior = app.sign_in("spo.demo").await;
    let liaison = app.sign_in("vlo.demo").await;
    let head = app.sign_in("head.demo").await;
    for route in app.routes.iter().filter(|r| r.access == Access::Case) {
        let path = concrete(&app, route.path);
        let refused = request(&app, &route.method, &path, Some(&outsider)).await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "po.other must not reach {} {path}",
            route.method
        );
        // Oversight and audit routes are for the case's senior officer; everything else for its
        // practitioner.
        let oversight = path.ends_with("/authorise")
            || path.ends_with("/countersign")
            || path.ends_with("/allocate")
            || path.ends_with("/approve")
            || path.ends_with("/oversight")
            || path.ends_with("/quality/audit");
        // Victims' records are for victim liaison only.
        let victims = path.contains("/victims/");
        // A case's limited access lists are kept by the heads of its PDU.
        let limited_access = path.ends_with("/access") || path.ends_with("/access/remove");
        let (user, name) = if limited_access {
            (&head, "head.demo")
        } else if victims {
            (&liaison, "vlo.demo")
        } else if oversight {
            (&senior, "spo.demo")
        } else {
            (&owner, "po.demo")
        };
        let allowed = request(&app, &route.method, &path, Some(user)).await;
        if route.method == Method::GET {
            assert_eq!(allowed.status, StatusCode::OK, "{name} reaches GET {path}");
        } else {
            assert!(
                !matches!(
                    allowed.status,
                    StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
                ),
                "{name} reaches POST {path}: {}",
                allowed.status
            );
        }
    }
}

#[tokio::test]
async fn read_only_roles_cannot_change_a_case_and_practitioners_cannot_oversee_one() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let (assessment, check) = app.draft_and_check(&crn);
    let vlo = app.sign_in("vlo.demo").await;
    let quality = app.sign_in("quality.demo").await;
    let practitioner = app.sign_in("po.demo").await;
    for session in [&vlo, &quality] {
        assert_eq!(
            app.get(&format!("/cases/{crn}/risk"), Some(session))
                .await
                .status,
            StatusCode::OK,
            "they may read"
        );
        for path in [
            format!("/cases/{crn}/risk/assessments"),
            format!("/cases/{crn}/checks"),
            format!("/cases/{crn}/changes"),
            format!("/cases/{crn}/risk/assessments/{assessment}"),
        ] {
            let page = request(&app, &Method::POST, &path, Some(session)).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "POST {path}");
        }
    }
    for path in [
        format!("/cases/{crn}/checks/{check}/authorise"),
        format!("/cases/{crn}/risk/assessments/{assessment}/countersign"),
    ] {
        let page = request(&app, &Method::POST, &path, Some(&practitioner)).await;
        assert_eq!(
            page.status,
            StatusCode::FORBIDDEN,
            "a practitioner may not use {path}"
        );
    }
}

#[tokio::test]
async fn team_routes_refuse_other_teams_and_grades_without_oversight() {
    let app = TestApp::sqlite();
    let own_team = app.team_code_of("spo.demo");
    let other_team = app.team_code_of("po.other");
    assert_ne!(own_team, other_team);
    let spo = app.sign_in("spo.demo").await;
    let practitioner = app.sign_in("po.demo").await;
    for route in app.routes.iter().filter(|r| r.access == Access::Team) {
        let own = route.path.replace("{code}", &own_team);
        let other = route.path.replace("{code}", &other_team);
        assert_eq!(
            request(&app, &route.method, &own, Some(&spo)).await.status,
            StatusCode::OK
        );
        assert_eq!(
            request(&app, &route.method, &other, Some(&spo))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            request(&app, &route.method, &own, Some(&practitioner))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
    let refusals = app.audit(AuditFilter {
        actor: Some("spo.demo".into()),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    assert!(refusals.iter().any(|r| r.detail.contains(&other_team)));
}

#[tokio::test]
async fn partner_users_reach_nothing_but_the_partner_portal_and_the_refusal_is_audited() {
    let app = TestApp::sqlite();
    let police = app.sign_in("police.demo").await;
    let audited_refusals = |app: &TestApp| {
        app.audit(AuditFilter {
            actor: Some("police.demo".into()),
            outcome: Some(Outcome::Refused),
            ..Default::default()
        })
        .into_iter()
        .filter(|r| r.detail.contains("partner_outside_portal"))
        .count()
    };
    let before = audited_refusals(&app);
    let mut refused = 0;
    for route in app.routes.iter().filter(|r| {
        !matches!(
            r.access,
            Access::Public | Access::AnySession | Access::Partner | Access::PartnerApi
        )
    }) {
        let path = concrete(&app, route.path);
        let page = request(&app, &route.method, &path, Some(&police)).await;
        assert_eq!(
            page.status,
            StatusCode::FORBIDDEN,
            "{} {path} must refuse a partner user",
            route.method
        );
        assert!(
            page.body
                .contains("Partner users can see only the requests sent to their organisation"),
            "{} {path}: {}",
            route.method,
            page.body
        );
        refused += 1;
    }
    assert!(refused > 30, "every staff route was tried ({refused})");
    assert_eq!(
        audited_refusals(&app) - before,
        refused,
        "each refusal is in the audit log"
    );
}

#[tokio::test]
async fn staff_of_every_grade_are_refused_the_partner_portal() {
    let app = TestApp::sqlite();
    for username in [
        "po.demo",
        "spo.demo",
        "head.demo",
        "vlo.demo",
        "quality.demo",
        "admin.demo",
    ] {
        let session = app.sign_in(username).await;
        for route in app.routes.iter().filter(|r| r.access == Access::Partner) {
            let path = concrete(&app, route.path);
            let page = request(&app, &route.method, &path, Some(&session)).await;
            assert_eq!(
                page.status,
                StatusCode::FORBIDDEN,
                "{username}: {} {path}",
                route.method
            );
        }
    }
}

#[tokio::test]
async fn unit_routes_refuse_practitioners_and_admit_quality_staff_and_audit_both() {
    let app = TestApp::sqlite();
    let practitioner = app.sign_in("po.demo").await;
    let quality = app.sign_in("quality.demo").await;
    let mut checked = 0;
    for route in app.routes.iter().filter(|r| r.access == Access::Unit) {
        let path = concrete(&app, route.path);
        let refused = request(&app, &route.method, &path, Some(&practitioner)).await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "po.demo must be refused {} {path}",
            route.method
        );
        if route.method == Method::GET {
            let allowed = request(&app, &route.method, &path, Some(&quality)).await;
            assert_eq!(
                allowed.status,
                StatusCode::OK,
                "quality.demo reaches GET {path}"
            );
        }
        checked += 1;
    }
    assert!(
        checked >= 3,
        "the quality unit routes were walked ({checked})"
    );
    let refusals = app.audit(AuditFilter {
        actor: Some("po.demo".into()),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    assert!(
        refusals.len() >= checked,
        "each refusal is audited: {refusals:?}"
    );
    let allowed = app.audit(AuditFilter {
        actor: Some("quality.demo".into()),
        outcome: Some(Outcome::Allowed),
        ..Default::default()
    });
    assert!(allowed.iter().any(|r| r.detail == "pdu MIDW"));
}
