//! What keepsafe will read, and what it refuses before storing: bodies over a route's limit are
//! answered 413 with what was too large (never read as an empty form), bodies are read only once
//! the sender is known, long quality text is refused by name, and hidden characters (nulls,
//! direction overrides) are refused in every form.

use crate::support::{Session, TestApp};
use axum::body::{Body, Bytes};
use axum::http::{header, Method, Request, StatusCode};
use futures_util::stream;
use keepsafe_domain::quality::HMIP_PDU_2023;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A body of `chunks` chunks of 64 KiB, sent without a declared length, that counts how much of
/// it the server pulled.
fn counted_body(chunks: usize, byte: u8) -> (Body, Arc<AtomicUsize>) {
    let pulled = Arc::new(AtomicUsize::new(0));
    let counter = pulled.clone();
    let body = Body::from_stream(stream::iter((0..chunks).map(move |_| {
        counter.fetch_add(64 * 1024, Ordering::SeqCst);
        Ok::<_, std::io::Error>(Bytes::from(vec![byte; 64 * 1024]))
    })));
    (body, pulled)
}

fn signed_in_post(path: &str, session: &Session, body: Body, content_type: &str) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, content_type)
        .header(
            header::COOKIE,
            format!("keepsafe_session={}", session.cookie),
        )
        .header("x-csrf-token", session.csrf.as_str())
        .body(body)
        .unwrap()
}

#[tokio::test]
async fn a_form_over_256_kb_is_refused_as_too_large_saying_so_not_read_as_an_empty_form() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let session = app.sign_in("po.demo").await;
    let notes = "a".repeat(300 * 1024);
    let page = app
        .post(
            &format!("/cases/{crn}/contacts/new"),
            &session,
            &[("notes", notes.as_str())],
        )
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", page.body);
    assert!(page.body.contains("larger than 256 KB"), "{}", page.body);
    assert!(!page.body.contains("This form has expired"));

    // Without a declared length, the server stops reading at the limit.
    let (body, pulled) = counted_body(64, b'a');
    let request = signed_in_post(
        &format!("/cases/{crn}/contacts/new"),
        &session,
        body,
        "application/x-www-form-urlencoded",
    );
    let page = app.send(request).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        pulled.load(Ordering::SeqCst) <= 512 * 1024,
        "read {} bytes of a 4 MB body",
        pulled.load(Ordering::SeqCst)
    );
}

#[tokio::test]
async fn an_anonymous_multipart_sign_in_is_not_read_past_the_form_limit() {
    let app = TestApp::sqlite();
    let declared = Request::builder()
        .method(Method::POST)
        .uri("/sign-in")
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
        .header(header::CONTENT_LENGTH, (25 * 1024 * 1024).to_string())
        .body(Body::empty())
        .unwrap();
    let page = app.send(declared).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);

    let (body, pulled) = counted_body(400, b'x');
    let streamed = Request::builder()
        .method(Method::POST)
        .uri("/sign-in")
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
        .body(body)
        .unwrap();
    let page = app.send(streamed).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        pulled.load(Ordering::SeqCst) <= 512 * 1024,
        "an anonymous sign-in read {} bytes",
        pulled.load(Ordering::SeqCst)
    );
}

#[tokio::test]
async fn the_partner_api_reads_no_answer_from_an_unknown_token() {
    let app = TestApp::sqlite();
    let request_id = app.partner_request("MIDPOL");
    let (body, pulled) = counted_body(400, b'{');
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/partner/v1/requests/{request_id}/response"))
        .header(header::AUTHORIZATION, "Bearer ksp_not-a-real-token")
        .header(header::CONTENT_TYPE, "application/json")
        .body(body)
        .unwrap();
    let page = app.send(request).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{}", page.body);
    assert_eq!(pulled.load(Ordering::SeqCst), 0, "no byte of the body read");

    let too_large = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/partner/v1/requests/{request_id}/response"))
        .header(header::AUTHORIZATION, "Bearer ksp_not-a-real-token")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, (60 * 1024 * 1024).to_string())
        .body(Body::empty())
        .unwrap();
    let page = app.send(too_large).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    let answer: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert!(answer["error"].as_str().unwrap().contains("larger than"));
}

#[tokio::test]
async fn quality_plan_and_panel_text_past_the_limit_is_refused_by_name_and_nothing_is_kept() {
    let app = TestApp::sqlite();
    let head = app.sign_in("head.demo").await;
    let long = "a".repeat(200_000);
    let page = app
        .post(
            "/quality/pdu/MIDW/plan/recommendations",
            &head,
            &[
                ("framework", HMIP_PDU_2023),
                ("text", long.as_str()),
                ("made-by", "HM Inspectorate of Probation"),
                ("made-on-day", "1"),
                ("made-on-month", "1"),
                ("made-on-year", "2026"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("href=\"#text\""));
    assert!(
        page.body
            .contains("The recommendation must be 10000 characters or fewer (it is 200000)"),
        "{}",
        &page.body[..2000.min(page.body.len())]
    );

    let page = app
        .post(
            "/quality/pdu/MIDW/judgements",
            &head,
            &[
                ("framework", HMIP_PDU_2023),
                ("kind", "judgement"),
                ("judgement-standard", "1.1"),
                ("judgement-rating", "good"),
                ("judgement-reason", long.as_str()),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("The panel&#39;s reason must be 10000 characters or fewer")
            || page
                .body
                .contains("The panel's reason must be 10000 characters or fewer"),
        "{}",
        &page.body[..2000.min(page.body.len())]
    );
}

#[tokio::test]
async fn a_null_or_a_direction_override_in_any_form_is_refused_naming_the_answer_and_nothing_is_kept(
) {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let session = app.sign_in("po.demo").await;
    let before = app
        .get(&format!("/cases/{crn}/contacts"), Some(&session))
        .await
        .body;
    for notes in ["Seen at home\u{0}", "Seen by \u{202E}reciffo"] {
        let page = app
            .post(
                &format!("/cases/{crn}/contacts/new"),
                &session,
                &[("notes", notes), ("type", "office_visit")],
            )
            .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{notes:?}");
        assert!(
            page.body.contains("notes") && page.body.contains("hidden character"),
            "{}",
            page.body
        );
    }
    let after = app
        .get(&format!("/cases/{crn}/contacts"), Some(&session))
        .await
        .body;
    assert!(!after.contains("reciffo") && !after.contains("Seen at home"));
    assert_eq!(before.matches("<tr").count(), after.matches("<tr").count());
}
