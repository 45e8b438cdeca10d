//! Files attached to a partner's answer: sent from the portal (a multipart form) or the API
//! (base64), refused when the bytes are not the type they claim, stored with the answer, and
//! downloaded by those who may read the case, each download audit-logged.

use crate::support::{Session, TestApp};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use keepsafe_storage::audit::AuditFilter;

/// A police check sent through keepsafe for po.demo's case: (CRN, request id).
async fn police_request(app: &TestApp, po: &Session) -> (String, String) {
    let crn = app.case_of("po.demo");
    let sent = app
        .post(
            &format!("/cases/{crn}/checks"),
            po,
            &[("kind", "police_domestic_abuse"), ("send-to", "auto")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let request = {
        use diesel::prelude::*;
        use keepsafe_storage::schema::{check_requests, people};
        let mut conn = app.db.database.connection().unwrap();
        check_requests::table
            .inner_join(people::table)
            .filter(people::crn.eq(&crn))
            .filter(check_requests::status.eq("sent"))
            .order(check_requests::created_at.desc())
            .select(check_requests::id)
            .first::<String>(&mut conn)
            .unwrap()
    };
    (crn, request)
}

const CALL_OUT_LOG: &[u8] =
    b"Call-out log, 4 Orchard Row: 12 March 2026, neighbour reported shouting; no further action.";

#[tokio::test]
async fn a_partner_attaches_a_file_in_the_portal_and_the_practitioner_downloads_it() {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let (crn, request) = police_request(&app, &po).await;
    let police = app.sign_in("police.demo").await;
    let answer = format!("/partner/requests/{request}/response");
    let form = [
        ("known", "yes"),
        ("free-text", "One call-out; the log is attached."),
    ];

    // A program named as a text file is refused, and nothing is answered.
    let disguised = app
        .post_multipart(
            &answer,
            &police,
            &form,
            &[(
                "attachments",
                "log.txt",
                "text/plain",
                b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff",
            )],
        )
        .await;
    assert_eq!(
        disguised.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        disguised.body
    );
    assert!(
        disguised.body.contains("log.txt is not a plain text file"),
        "{}",
        disguised.body
    );
    let page = app
        .get(&format!("/partner/requests/{request}"), Some(&police))
        .await;
    assert!(page.body.contains("Answer the request"), "still unanswered");

    // A declared type the name disagrees with is refused with the domain's reason.
    let misnamed = app
        .post_multipart(
            &answer,
            &police,
            &form,
            &[("attachments", "log.exe", "text/plain", CALL_OUT_LOG)],
        )
        .await;
    assert_eq!(misnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        misnamed.body.contains("govuk-file-upload--error"),
        "{}",
        misnamed.body
    );

    let answered = app
        .post_multipart(
            &answer,
            &police,
            &form,
            &[("attachments", "call-outs.txt", "text/plain", CALL_OUT_LOG)],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    let page = app
        .get(&format!("/partner/requests/{request}"), Some(&police))
        .await;
    assert!(
        page.body.contains("call-outs.txt (Plain text)"),
        "{}",
        page.body
    );

    // The practitioner sees it on the risk page and downloads exactly the bytes sent.
    let risk = app.get(&format!("/cases/{crn}/risk"), Some(&po)).await;
    let link = format!("/cases/{crn}/checks/{request}/attachments/0");
    assert!(risk.body.contains(&link), "{}", risk.body);
    assert!(risk.body.contains("Download call-outs.txt (Plain text,"));
    let file = app.get(&link, Some(&po)).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body.as_bytes(), CALL_OUT_LOG);
    assert_eq!(file.header("content-type").as_deref(), Some("text/plain"));
    assert!(file
        .header("content-disposition")
        .is_some_and(|d| d.starts_with("attachment;")));
    let downloads = app.audit(AuditFilter {
        crn: Some(crn.clone()),
        ..Default::default()
    });
    assert!(
        downloads
            .iter()
            .any(|r| r.action == "download_check_attachment" && r.detail.contains("call-outs.txt")),
        "the download is audit-logged"
    );

    // A file position that does not exist, and another case's request, are not found; a
    // practitioner from another team is refused outright.
    assert_eq!(
        app.get(
            &format!("/cases/{crn}/checks/{request}/attachments/1"),
            Some(&po)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let other = app.sign_in("po.other").await;
    assert_eq!(
        app.get(&link, Some(&other)).await.status,
        StatusCode::FORBIDDEN
    );
    // Partners never reach case pages, even for the file they sent.
    assert_eq!(
        app.get(&link, Some(&police)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_api_client_attaches_a_file_in_base64_and_bad_encoding_is_refused_precisely() {
    use base64::Engine;
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let (crn, request) = police_request(&app, &po).await;
    let org = app
        .region
        .partners
        .iter()
        .find(|p| p.code == "MIDPOL")
        .unwrap()
        .id;
    let token = {
        let mut conn = app.db.database.connection().unwrap();
        keepsafe_storage::transaction::write(&mut conn, |conn| {
            keepsafe_storage::partners::issue_token(
                conn,
                org,
                "Records",
                None,
                None,
                keepsafe_test_support::clock::now(),
            )
        })
        .unwrap()
        .secret
    };
    let send = |body: serde_json::Value| {
        let request = Request::builder()
            .method(Method::POST)
            .uri(format!("/api/partner/v1/requests/{request}/response"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        app.send(request)
    };

    let bad = send(serde_json::json!({
        "known_to_service": true,
        "attachments": [{ "file_name": "log.txt", "media_type": "text/plain", "content_base64": "not base64!" }]
    }))
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.body.contains("attachments[0].content_base64"),
        "{}",
        bad.body
    );

    let encoded = base64::engine::general_purpose::STANDARD.encode(CALL_OUT_LOG);
    let answered = send(serde_json::json!({
        "known_to_service": true,
        "free_text": "Log attached.",
        "attachments": [{ "file_name": "call-outs.txt", "media_type": "text/plain", "content_base64": encoded }]
    }))
    .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    let body: serde_json::Value = serde_json::from_str(&answered.body).unwrap();
    assert_eq!(
        body["answer"]["attachments"][0]["file_name"],
        "call-outs.txt"
    );
    assert_eq!(
        body["answer"]["attachments"][0]["size_bytes"],
        CALL_OUT_LOG.len()
    );
    let file = app
        .get(
            &format!("/cases/{crn}/checks/{request}/attachments/0"),
            Some(&po),
        )
        .await;
    assert_eq!(file.body.as_bytes(), CALL_OUT_LOG);
}
