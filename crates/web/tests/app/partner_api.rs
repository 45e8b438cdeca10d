//! The partner API: an API client answers a request through the documented API, and the
//! assessment can then be completed; tokens see only their own organisation's requests.

use crate::support::{Page, TestApp};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use keepsafe_storage::{partners, transaction};
use serde_json::{json, Value};

fn token_for(app: &TestApp, code: &str) -> (uuid::Uuid, String) {
    let org = app
        .region
        .partners
        .iter()
        .find(|p| p.code == code)
        .unwrap()
        .id;
    let mut conn = app.db.database.connection().unwrap();
    let issued = transaction::write(&mut conn, |conn| {
        partners::issue_token(
            conn,
            org,
            "Records system",
            None,
            None,
            keepsafe_test_support::clock::now(),
        )
    })
    .unwrap();
    (issued.id, issued.secret)
}

async fn api(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
    key: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let page: Page = app.send(request.body(Body::from(body)).unwrap()).await;
    let value = serde_json::from_str(&page.body).unwrap_or(Value::Null);
    (page.status, value)
}

#[tokio::test]
async fn the_openapi_document_describes_every_partner_route() {
    let app = TestApp::sqlite();
    let page = app.get("/api/partner/v1/openapi.json", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let doc: Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for route in app
        .routes
        .iter()
        .filter(|r| r.access == keepsafe_web::routes::Access::PartnerApi)
    {
        let path = route
            .path
            .strip_prefix("/api/partner/v1")
            .unwrap()
            .replace("{request}", "{id}");
        let method = route.method.as_str().to_lowercase();
        assert!(
            doc["paths"][&path][&method].is_object(),
            "{method} {path} is documented"
        );
    }
}

#[tokio::test]
async fn paging_beyond_the_last_allowed_page_or_past_a_number_is_a_json_error_not_a_wrapped_page() {
    let app = TestApp::sqlite();
    let (_, token) = token_for(&app, "MIDPOL");
    // The last two were found by Schemathesis: a paging number given twice was refused in plain
    // text.
    for (query, said) in [
        ("page=4611686018427387904&per_page=200", "page must be"),
        ("page=99999999999999999999999", "page must be"),
        ("page=1000001", "page must be"),
        ("page=0", "page must be"),
        ("page=two", "page must be"),
        ("per_page=-1", "page must be"),
        ("per_page=1&per_page=2", "only once"),
        ("page=1&page=1", "only once"),
    ] {
        let (status, body) = api(
            &app,
            Method::GET,
            &format!("/api/partner/v1/requests?{query}"),
            &token,
            None,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert!(
            body["error"].as_str().is_some_and(|m| m.contains(said)),
            "{query}: {body}"
        );
    }
    let (status, last) = api(
        &app,
        Method::GET,
        "/api/partner/v1/requests?page=1000000&per_page=200",
        &token,
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{last}");
    assert_eq!(last["requests"].as_array().unwrap().len(), 0);
    assert!(last["next_page"].is_null(), "{last}");
}

#[tokio::test]
async fn an_api_client_lists_acknowledges_and_answers_a_request_idempotently() {
    let app = TestApp::sqlite();
    let (_, token) = token_for(&app, "MIDPOL");
    let (status, page) = api(
        &app,
        Method::GET,
        "/api/partner/v1/requests?per_page=2",
        &token,
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page["requests"].as_array().unwrap().len() <= 2);
    assert!(page["total"].as_i64().unwrap() >= 1);
    let first = &page["requests"][0];
    assert_eq!(first["type"], "police_domestic_abuse");
    assert!(first["person"]["crn"].is_string(), "{first}");
    assert!(first["person"]["postcode"].is_string(), "{first}");
    assert!(first["person"]["previous_addresses"].is_array(), "{first}");
    assert!(first["asked_by"]["name"].is_string(), "who asked: {first}");
    assert!(first.get("risk").is_none());
    let id = first["id"].as_str().unwrap().to_owned();

    let (status, _) = api(
        &app,
        Method::GET,
        "/api/partner/v1/requests?per_page=500",
        &token,
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, ack) = api(
        &app,
        Method::POST,
        &format!("/api/partner/v1/requests/{id}/acknowledge"),
        &token,
        None,
        Some("ack-1"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{ack}");
    assert_eq!(ack["status"], "acknowledged");

    // An incomplete answer: every field at fault is named.
    let (status, invalid) = api(
        &app,
        Method::POST,
        &format!("/api/partner/v1/requests/{id}/response"),
        &token,
        Some(json!({ "incidents": [{ "date": "2099-01-01", "kind": "arrest" }] })),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{invalid}");
    let fields: Vec<&str> = invalid["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"known_to_service"), "{fields:?}");
    assert!(
        fields.iter().any(|f| f.starts_with("incidents[0]")),
        "{fields:?}"
    );

    let (status, malformed) = api(
        &app,
        Method::POST,
        &format!("/api/partner/v1/requests/{id}/response"),
        &token,
        Some(json!({ "known": true })),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{malformed}");

    let answer = json!({
        "known_to_service": true,
        "incidents": [{ "date": "2025-06-01", "kind": "domestic_abuse_call_out", "summary": "Call-out to the address" }],
        "free_text": "One call-out in 2025."
    });
    let path = format!("/api/partner/v1/requests/{id}/response");
    let (status, answered) = api(
        &app,
        Method::POST,
        &path,
        &token,
        Some(answer.clone()),
        Some("answer-1"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    assert_eq!(answered["status"], "responded");
    // A retry with the same key gets the same answer and changes nothing.
    let (status, again) = api(
        &app,
        Method::POST,
        &path,
        &token,
        Some(answer.clone()),
        Some("answer-1"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again, answered);
    // The same key for something else is refused; a new key meets the answered request.
    let (status, _) = api(
        &app,
        Method::POST,
        &path,
        &token,
        Some(json!({ "known_to_service": false })),
        Some("answer-1"),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, conflict) = api(
        &app,
        Method::POST,
        &path,
        &token,
        Some(answer),
        Some("answer-2"),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{conflict}");

    let (status, read) = api(
        &app,
        Method::GET,
        &format!("/api/partner/v1/requests/{id}"),
        &token,
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read["answer"]["known_to_service"], true);
    assert!(
        read.get("person").is_none(),
        "an answered request no longer shares the person's details"
    );
}

#[tokio::test]
async fn a_token_reaches_only_its_own_organisations_requests_and_a_revoked_one_nothing() {
    let app = TestApp::sqlite();
    let police_request = app.partner_request("MIDPOL");
    let (council_token_id, council) = token_for(&app, "MIDCS");
    let (status, body) = api(
        &app,
        Method::GET,
        &format!("/api/partner/v1/requests/{police_request}"),
        &council,
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.get("person").is_none());
    let (status, listed) = api(
        &app,
        Method::GET,
        "/api/partner/v1/requests?per_page=200",
        &council,
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(listed["requests"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["type"] == "childrens_services"));
    for op in ["acknowledge", "response", "decline"] {
        let (status, _) = api(
            &app,
            Method::POST,
            &format!("/api/partner/v1/requests/{police_request}/{op}"),
            &council,
            Some(json!({ "known_to_service": false, "reason": "other" })),
            None,
        )
        .await;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::BAD_REQUEST,
            "{op}: {status}"
        );
    }

    let (status, _) = api(
        &app,
        Method::GET,
        "/api/partner/v1/requests",
        "ksp_made-up",
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let mut conn = app.db.database.connection().unwrap();
    partners::revoke_token(
        &mut conn,
        council_token_id,
        keepsafe_test_support::clock::now(),
    )
    .unwrap();
    drop(conn);
    let (status, body) = api(
        &app,
        Method::GET,
        "/api/partner/v1/requests",
        &council,
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("revoked"),
        "{body}"
    );
}

/// Found by Schemathesis: an acknowledgement with a key that is too long, or not visible ASCII,
/// was refused with a 400 the document did not list, or the key was silently ignored.
#[tokio::test]
async fn an_idempotency_key_that_is_not_1_to_200_visible_ascii_characters_is_a_json_400() {
    let app = TestApp::sqlite();
    let (_, token) = token_for(&app, "MIDPOL");
    let path = format!("/api/partner/v1/requests/{}/acknowledge", uuid::Uuid::nil());
    for key in ["x".repeat(201), "two words".to_owned(), "a\tb".to_owned()] {
        let (status, body) = api(&app, Method::POST, &path, &token, None, Some(&key)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{key}: {body}");
        assert!(body["error"]
            .as_str()
            .is_some_and(|m| m.contains("Idempotency-Key")));
    }
    let (status, _) = api(
        &app,
        Method::POST,
        &path,
        &token,
        None,
        Some(&"x".repeat(200)),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
