//! The partner portal: a partner sees and answers only what was sent to their organisation, and
//! their answer reaches the practitioner's risk page.

use crate::support::TestApp;
use axum::http::StatusCode;
use keepsafe_storage::audit::{AuditFilter, Outcome};

/// The person a request is about, from the demo.
#[tokio::test]
async fn a_police_user_sees_their_queue_and_the_details_needed_to_search_their_records() {
    let app = TestApp::sqlite();
    let request = app.partner_request("MIDPOL");
    let person = app.person_of_request(request);
    let police = app.sign_in("police.demo").await;

    let queue = app.get("/partner", Some(&police)).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    assert!(queue.body.contains("Midshire Police"));
    assert!(queue.body.contains(&request.to_string()));

    let page = app
        .get(&format!("/partner/requests/{request}"), Some(&police))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(&person.last_name));
    assert!(page.body.contains(&person.crn));
    // Nothing of the assessment, the contacts or the sentence.
    for never in [
        "Risk of serious harm",
        "Nature of harm",
        "Contacts",
        "Sentence",
    ] {
        assert!(
            !page.body.contains(never),
            "{never} is not shown to a partner"
        );
    }
    let audited = app.audit(AuditFilter {
        crn: Some(person.crn.clone()),
        actor: Some("police.demo".into()),
        ..Default::default()
    });
    assert!(
        audited.iter().any(|r| r.action == "partner_view_request"),
        "the partner's read of the person's details is audited"
    );
}

#[tokio::test]
async fn a_partner_cannot_open_or_answer_another_organisations_request() {
    let app = TestApp::sqlite();
    let request = app.partner_request("MIDPOL");
    let person = app.person_of_request(request);
    let council = app.sign_in("council.demo").await;

    let page = app
        .get(&format!("/partner/requests/{request}"), Some(&council))
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(
        !page.body.contains(&person.last_name),
        "nothing of the person leaks"
    );
    let queue = app.get("/partner", Some(&council)).await;
    assert!(!queue.body.contains(&request.to_string()));

    let answer = app
        .post(
            &format!("/partner/requests/{request}/response"),
            &council,
            &[("known", "no"), ("free-text", "Nothing known")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let ack = app
        .post(
            &format!("/partner/requests/{request}/acknowledge"),
            &council,
            &[],
        )
        .await;
    assert_eq!(ack.status, StatusCode::FORBIDDEN);

    // Still outstanding for the police.
    let police = app.sign_in("police.demo").await;
    let still = app
        .get(&format!("/partner/requests/{request}"), Some(&police))
        .await;
    assert!(still.body.contains("Send the answer"));
    let refusals = app.audit(AuditFilter {
        actor: Some("council.demo".into()),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    assert!(
        refusals.len() >= 3,
        "every refusal is audited: {refusals:?}"
    );
    assert!(
        refusals.iter().all(|r| r.crn.is_none()),
        "refusals name no person"
    );
}

#[tokio::test]
async fn an_unknown_request_is_not_found_and_a_bad_answer_says_what_is_missing() {
    let app = TestApp::sqlite();
    let police = app.sign_in("police.demo").await;
    let missing = app
        .get(
            &format!("/partner/requests/{}", uuid::Uuid::new_v4()),
            Some(&police),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let request = app.partner_request("MIDPOL");
    let bad = app
        .post(
            &format!("/partner/requests/{request}/response"),
            &police,
            &[
                ("incident-0-day", "31"),
                ("incident-0-month", "2"),
                ("incident-0-year", "2026"),
                ("incident-0-kind", "domestic_abuse_call_out"),
                ("incident-0-summary", "Call-out"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("There is a problem"));
    assert!(bad.body.contains("href=\"#known\""), "{}", bad.body);
    assert!(
        bad.body.contains("href=\"#incident-0-day\""),
        "{}",
        bad.body
    );
}

#[tokio::test]
async fn an_answer_reaches_the_risk_page_and_a_declined_request_says_so() {
    let app = TestApp::sqlite();
    let request = app.partner_request("MIDPOL");
    let person = app.person_of_request(request);
    let police = app.sign_in("police.demo").await;
    let answered = app
        .post(
            &format!("/partner/requests/{request}/response"),
            &police,
            &[
                ("known", "yes"),
                ("free-text", "One call-out to the address, March 2026."),
            ],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    let again = app
        .post(
            &format!("/partner/requests/{request}/response"),
            &police,
            &[("known", "no")],
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::CONFLICT,
        "a request is answered once"
    );

    // The practitioner holding the case sees it. Find who that is.
    let holder = person
        .allocations
        .iter()
        .find(|a| a.end_date.is_none())
        .map(|a| a.staff_id);
    if let Some(username) = app
        .region
        .staff
        .iter()
        .find(|s| Some(s.id) == holder)
        .and_then(|s| s.username.clone())
    {
        let practitioner = app.sign_in(&username).await;
        let risk = app
            .get(&format!("/cases/{}/risk", person.crn), Some(&practitioner))
            .await;
        assert!(risk.body.contains("One call-out to the address"));
    }
    let head = app.sign_in("head.demo").await;
    let risk = app
        .get(&format!("/cases/{}/risk", person.crn), Some(&head))
        .await;
    assert_eq!(risk.status, StatusCode::OK, "{}", risk.body);
    assert!(risk.body.contains("One call-out to the address"));
    assert!(risk.body.contains("through keepsafe"));

    // Another request, declined by children's services.
    let declined = app.partner_request("MIDCS");
    let council = app.sign_in("council.demo").await;
    let no_reason = app
        .post(
            &format!("/partner/requests/{declined}/decline"),
            &council,
            &[],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done = app
        .post(
            &format!("/partner/requests/{declined}/decline"),
            &council,
            &[("reason", "not_our_area")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let person = app.person_of_request(declined);
    let risk = app
        .get(&format!("/cases/{}/risk", person.crn), Some(&head))
        .await;
    assert!(
        risk.body.contains("Declined by the partner"),
        "{}",
        risk.body
    );
}

#[tokio::test]
async fn managers_see_how_quickly_each_partner_answers_with_the_rule_explained() {
    let app = TestApp::sqlite();
    let spo = app.sign_in("spo.demo").await;
    let page = app.get("/partners", Some(&spo)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Midshire Police"));
    assert!(
        page.body.contains("working day"),
        "response times in working days"
    );
    assert!(page.body.contains("nearest rank"));
    assert!(page.body.contains("partner-response-statistics/1"));

    let po = app.sign_in("po.demo").await;
    assert_eq!(
        app.get("/partners", Some(&po)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn only_a_partners_managers_see_its_response_times() {
    let app = TestApp::sqlite();
    let manager = app.sign_in("police.manager").await;
    let page = app.get("/partner/statistics", Some(&manager)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("requests sent to Midshire Police"));
    assert!(
        !page.body.contains("Midshire County Council"),
        "only their own organisation"
    );

    let responder = app.sign_in("police.demo").await;
    let refused = app.get("/partner/statistics", Some(&responder)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let audited = app.audit(AuditFilter {
        actor: Some("police.demo".into()),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    assert!(audited
        .iter()
        .any(|r| r.action == "view_partner_statistics"));
}

fn police_checks(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    use keepsafe_storage::schema::check_requests;
    let mut conn = app.db.database.connection().unwrap();
    check_requests::table
        .filter(check_requests::kind.eq("police_domestic_abuse"))
        .count()
        .get_result(&mut conn)
        .unwrap()
}

#[tokio::test]
async fn a_senior_officer_sends_police_checks_for_new_cases_in_one_action_or_none() {
    let app = TestApp::sqlite();
    let spo = app.sign_in("spo.demo").await;
    let page = app.get("/checks/bulk", Some(&spo)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let ids: Vec<String> = page
        .body
        .split("name=\"cases\" type=\"checkbox\" value=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect();
    assert!(
        !ids.is_empty(),
        "the demo has new cases without a police check"
    );
    let before = police_checks(&app);

    // One case that is not on the list: nothing at all is sent.
    let mut fields: Vec<(&str, &str)> = ids.iter().map(|id| ("cases", id.as_str())).collect();
    let stranger = uuid::Uuid::new_v4().to_string();
    fields.push(("cases", stranger.as_str()));
    let refused = app.post("/checks/bulk", &spo, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("nothing was sent"),
        "{}",
        refused.body
    );
    assert_eq!(police_checks(&app), before);

    fields.pop();
    let sent = app.post("/checks/bulk", &spo, &fields).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(police_checks(&app), before + ids.len() as i64);
    let again = app.get("/checks/bulk?sent=1", Some(&spo)).await;
    for id in &ids {
        assert!(
            !again.body.contains(&format!("value=\"{id}\"")),
            "sent cases leave the list"
        );
    }
    let audited = app
        .audit(AuditFilter {
            actor: Some("spo.demo".into()),
            ..Default::default()
        })
        .into_iter()
        .filter(|r| r.action == "request_check" && r.detail.contains("sent to MIDPOL"))
        .count();
    assert_eq!(audited, ids.len(), "one audit row per case");

    let po = app.sign_in("po.demo").await;
    assert_eq!(
        app.get("/checks/bulk", Some(&po)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_practitioner_withdraws_a_request_with_a_reason_and_the_partner_sees_it_closed() {
    let app = TestApp::sqlite();
    let request = app.partner_request("MIDPOL");
    let person = app.person_of_request(request).clone();
    let head = app.sign_in("head.demo").await;
    let path = format!("/cases/{}/checks/{request}/withdraw", person.crn);

    let no_reason = app.post(&path, &head, &[]).await;
    assert_eq!(no_reason.status, StatusCode::CONFLICT, "a reason is needed");
    let done = app
        .post(
            &path,
            &head,
            &[("withdraw-reason", "The person has moved out of the area")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let risk = app
        .get(&format!("/cases/{}/risk", person.crn), Some(&head))
        .await;
    assert!(risk.body.contains("Withdrawn"));
    // A withdrawn request no longer counts for the assessment's gates.
    let mut conn = app.db.database.connection().unwrap();
    let facts = keepsafe_storage::risk::assessments::completion_facts(
        &mut conn,
        person.id,
        keepsafe_domain::event::CaseType::Community,
        keepsafe_test_support::clock::now().date_naive(),
    )
    .unwrap();
    assert!(facts.checks.iter().all(|c| c.id != request));
    drop(conn);

    let police = app.sign_in("police.demo").await;
    let page = app
        .get(&format!("/partner/requests/{request}"), Some(&police))
        .await;
    assert!(page.body.contains("Withdrawn by the probation service"));
    assert!(
        !page.body.contains(&person.last_name),
        "a closed request no longer shows the person"
    );
    let answer = app
        .post(
            &format!("/partner/requests/{request}/response"),
            &police,
            &[("known", "no")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::CONFLICT);

    // A practitioner of another team cannot withdraw it.
    let team = person
        .allocations
        .iter()
        .find(|a| a.end_date.is_none())
        .map(|a| a.team_id);
    let outsider = ["po.demo", "po.other"]
        .into_iter()
        .find(|u| {
            let id = app.staff_id(u);
            app.region
                .staff
                .iter()
                .find(|s| s.id == id)
                .unwrap()
                .team_id
                != team
        })
        .unwrap();
    let other = app.sign_in(outsider).await;
    let refused = app.post(&path, &other, &[("withdraw-reason", "x")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{outsider}");
}

#[tokio::test]
async fn a_request_sent_to_a_partner_with_its_own_timescale_is_due_by_that_timescale() {
    use keepsafe_domain::partner::RequestType;
    let app = TestApp::sqlite();
    let police = app
        .region
        .partners
        .iter()
        .find(|p| p.code == "MIDPOL")
        .unwrap()
        .id;
    {
        let mut conn = app.db.database.connection().unwrap();
        keepsafe_storage::partners::set_deadline_override(
            &mut conn,
            police,
            RequestType::PoliceDomesticAbuse,
            20,
            "Force records review",
            "test",
            keepsafe_test_support::clock::now(),
        )
        .unwrap();
    }
    let crn = app.case_of("po.demo");
    let po = app.sign_in("po.demo").await;
    let sent = app
        .post(
            &format!("/cases/{crn}/checks"),
            &po,
            &[("kind", "police_domestic_abuse"), ("send-to", "auto")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let (deadline, rule) = {
        use diesel::prelude::*;
        use keepsafe_storage::schema::{check_requests, people};
        let mut conn = app.db.database.connection().unwrap();
        check_requests::table
            .inner_join(people::table)
            .filter(people::crn.eq(&crn))
            .filter(check_requests::status.eq("sent"))
            .order(check_requests::created_at.desc())
            .select((check_requests::deadline, check_requests::deadline_rule))
            .first::<(chrono::NaiveDate, String)>(&mut conn)
            .unwrap()
    };
    let today = keepsafe_test_support::clock::now().date_naive();
    assert_eq!(
        deadline,
        keepsafe_domain::calendar::add_working_days(today, 20),
        "{rule}"
    );
    assert!(rule.starts_with("20 working days"), "{rule}");
}
