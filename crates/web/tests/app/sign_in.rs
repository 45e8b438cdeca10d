//! Signing in and out: sessions, CSRF, throttling and lockout, security headers.

use crate::support::{Session, TestApp};
use axum::http::{header, StatusCode};
use keepsafe_demo::DEMO_PASSWORD;
use keepsafe_storage::audit::{AuditFilter, Outcome};

#[tokio::test]
async fn the_right_password_starts_a_session_with_protected_cookies() {
    let app = TestApp::sqlite();
    let page = app.attempt_sign_in("po.demo", DEMO_PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), Some("/"));
    let set_cookie: Vec<_> = page
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let session = set_cookie
        .iter()
        .find(|c| c.starts_with("keepsafe_session="))
        .unwrap();
    for attribute in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(session.contains(attribute), "{session} lacks {attribute}");
    }
    let signed_in = app.audit(AuditFilter {
        actor: Some("po.demo".into()),
        outcome: Some(Outcome::Allowed),
        ..Default::default()
    });
    assert!(signed_in.iter().any(|r| r.action == "sign_in"));
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_an_error_summary_and_audited() {
    let app = TestApp::sqlite();
    let page = app.attempt_sign_in("po.demo", "not the password").await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.body.contains("There is a problem"));
    assert!(page.body.contains("Enter a correct username and password"));
    assert!(page.body.contains("<title>Error: Sign in"));
    assert!(page.cookie("keepsafe_session").is_none());
    let refused = app.audit(AuditFilter {
        actor: Some("po.demo".into()),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    assert_eq!(refused[0].detail, "wrong_credentials");
}

#[tokio::test]
async fn an_unknown_username_is_refused_exactly_like_a_wrong_password() {
    let app = TestApp::sqlite();
    let unknown = app
        .attempt_sign_in("nobody.here", "whatever password")
        .await;
    let wrong = app.attempt_sign_in("po.demo", "whatever password").await;
    assert_eq!(unknown.status, wrong.status);
    assert!(unknown
        .body
        .contains("Enter a correct username and password"));
}

#[tokio::test]
async fn empty_fields_are_named_in_the_error_summary() {
    let app = TestApp::sqlite();
    let page = app.attempt_sign_in("", "").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("href=\"#username\">Enter your username"));
    assert!(page.body.contains("href=\"#password\">Enter your password"));
}

#[tokio::test]
async fn the_fifth_wrong_password_locks_the_account_even_against_the_right_one() {
    let app = TestApp::sqlite();
    for attempt in 1..=4 {
        let page = app.attempt_sign_in("pso.demo", "wrong password").await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let fifth = app.attempt_sign_in("pso.demo", "wrong password").await;
    assert_eq!(fifth.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(fifth.body.contains("locked"), "{}", fifth.body);
    let right = app.attempt_sign_in("pso.demo", DEMO_PASSWORD).await;
    assert_eq!(
        right.status,
        StatusCode::TOO_MANY_REQUESTS,
        "locked accounts are refused"
    );
    assert!(right.cookie("keepsafe_session").is_none());
    let other = app.attempt_sign_in("po.demo", DEMO_PASSWORD).await;
    assert_eq!(
        other.status,
        StatusCode::SEE_OTHER,
        "other accounts are unaffected"
    );
}

#[tokio::test]
async fn signing_in_without_the_form_token_is_refused() {
    let app = TestApp::sqlite();
    let page = app
        .post_form(
            "/sign-in",
            "keepsafe_sign_in=cookie-token-that-is-long-enough-000000",
            &[
                ("username", "po.demo"),
                ("password", DEMO_PASSWORD),
                ("csrf_token", "a-different-token-of-the-same-length-00"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.cookie("keepsafe_session").is_none());
}

#[tokio::test]
async fn signing_in_replaces_a_session_id_the_browser_already_had() {
    let app = TestApp::sqlite();
    let first = app.sign_in("po.demo").await;
    let form = app.get("/sign-in", None).await;
    let token = form.cookie("keepsafe_sign_in").unwrap();
    let page = app
        .post_form(
            "/sign-in",
            &format!(
                "keepsafe_sign_in={token}; keepsafe_session={}",
                first.cookie
            ),
            &[
                ("username", "po.demo"),
                ("password", DEMO_PASSWORD),
                ("csrf_token", &token),
            ],
        )
        .await;
    let renewed = page.cookie("keepsafe_session").unwrap();
    assert_ne!(renewed, first.cookie);
    assert_eq!(
        app.get("/cases", Some(&first)).await.status,
        StatusCode::SEE_OTHER,
        "the old id is dead"
    );
    let second = Session {
        cookie: renewed,
        csrf: String::new(),
    };
    assert_eq!(
        app.get("/cases", Some(&second)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = TestApp::sqlite();
    let session = app.sign_in("po.demo").await;
    let page = app
        .post_form(
            "/sign-out",
            &format!("keepsafe_session={}", session.cookie),
            &[("csrf_token", &session.csrf)],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), Some("/sign-in"));
    let after = app.get("/cases", Some(&session)).await;
    assert_eq!(
        after.status,
        StatusCode::SEE_OTHER,
        "the cookie no longer signs anyone in"
    );
}

#[tokio::test]
async fn a_state_changing_request_without_the_session_token_is_refused() {
    let app = TestApp::sqlite();
    let session = app.sign_in("po.demo").await;
    let page = app
        .post_form(
            "/sign-out",
            &format!("keepsafe_session={}", session.cookie),
            &[("csrf_token", "forged")],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("This form has expired"));
    assert_eq!(
        app.get("/cases", Some(&session)).await.status,
        StatusCode::OK,
        "still signed in"
    );
}

#[tokio::test]
async fn after_sign_in_people_return_to_the_page_they_asked_for_but_only_on_keepsafe() {
    let app = TestApp::sqlite();
    let asked = app.get("/teams", None).await;
    assert_eq!(asked.location(), Some("/sign-in?return_to=/teams"));
    for (return_to, expected) in [
        ("/teams", "/teams"),
        ("https://elsewhere.example/", "/"),
        ("//elsewhere.example", "/"),
        // Browsers strip tabs and newlines, so these would be //elsewhere.example; a CR or LF
        // could not go in the Location header at all.
        ("/\t/elsewhere.example", "/"),
        ("/\r\n/elsewhere.example", "/"),
        ("/teams\r\nSet-Cookie: stolen=1", "/"),
    ] {
        let form = app.get("/sign-in", None).await;
        let token = form.cookie("keepsafe_sign_in").unwrap();
        let page = app
            .post_form(
                "/sign-in",
                &format!("keepsafe_sign_in={token}"),
                &[
                    ("username", "spo.demo"),
                    ("password", DEMO_PASSWORD),
                    ("csrf_token", &token),
                    ("return_to", return_to),
                ],
            )
            .await;
        assert_eq!(page.location(), Some(expected), "return_to={return_to}");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::sqlite();
    let session = app.sign_in("po.demo").await;
    for page in [
        app.get("/sign-in", None).await,
        app.get("/cases", Some(&session)).await,
        app.get("/no-such-page", Some(&session)).await,
    ] {
        let header = |name: &str| {
            page.headers
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        assert!(header("content-security-policy").contains("frame-ancestors 'none'"));
        assert!(header("content-security-policy").contains("script-src 'self'"));
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert_eq!(header("x-frame-options"), "DENY");
        assert_eq!(header("cache-control"), "no-store");
    }
}

/// The error message a sign-in page shows, with the time it names (if any) left in.
fn sign_in_message(body: &str) -> String {
    for start in [
        "Enter a correct username",
        "This account is locked",
        "There have been too many",
    ] {
        if let Some(at) = body.find(start) {
            return body[at..].split('<').next().unwrap_or_default().to_owned();
        }
    }
    panic!("no sign-in error in {body}");
}

#[tokio::test]
async fn an_unknown_username_locks_exactly_as_a_real_one_does() {
    let app = TestApp::sqlite();
    for attempt in 1..=8 {
        let real = app.attempt_sign_in("pso.demo", "wrong password").await;
        let unknown = app.attempt_sign_in("nobody.here", "wrong password").await;
        assert_eq!(real.status, unknown.status, "attempt {attempt}");
        assert_eq!(
            sign_in_message(&real.body),
            sign_in_message(&unknown.body),
            "attempt {attempt}"
        );
        let expected = if attempt < 5 {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(real.status, expected, "attempt {attempt}");
    }
    // Even the right password for the real account is refused alike while locked.
    let real = app.attempt_sign_in("pso.demo", DEMO_PASSWORD).await;
    let unknown = app.attempt_sign_in("nobody.here", DEMO_PASSWORD).await;
    assert_eq!(real.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(real.status, unknown.status);
    assert_eq!(sign_in_message(&real.body), sign_in_message(&unknown.body));
}

#[tokio::test]
async fn two_hundred_failed_sign_ins_for_one_username_write_a_bounded_number_of_rows() {
    use diesel::prelude::*;
    use keepsafe_storage::schema::{audit_log, sign_in_attempts};
    let app = TestApp::sqlite();
    for _ in 0..200 {
        let page = app.attempt_sign_in("pso.demo", "wrong password").await;
        assert!(page.status.is_client_error());
    }
    let mut conn = app.db.database.connection().unwrap();
    let audit_rows: i64 = audit_log::table
        .filter(audit_log::action.eq("sign_in"))
        .filter(audit_log::actor.eq("pso.demo"))
        .count()
        .get_result(&mut *conn)
        .unwrap();
    let attempt_rows: i64 = sign_in_attempts::table
        .filter(sign_in_attempts::username.eq("pso.demo"))
        .count()
        .get_result(&mut *conn)
        .unwrap();
    // Five wrong passwords lock the account; the 195 refusals after that write an audit row at
    // the 1st, 2nd, 4th … 128th, each with the count so far, and no sign-in attempts.
    assert_eq!(attempt_rows, 5);
    assert_eq!(audit_rows, 5 + 8);
    let last = app.audit(AuditFilter {
        actor: Some("pso.demo".into()),
        ..Default::default()
    });
    assert!(
        last[0].detail.contains("128 refused in this window"),
        "{}",
        last[0].detail
    );
}
