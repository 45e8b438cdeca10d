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
    assert!(
        !page
            .body
            .contains("Response times in working days, fastest first"),
        "a distribution, not a list of numbers"
    );

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

/// The reference a partner quotes for a request.
fn reference(request: uuid::Uuid) -> String {
    request.simple().to_string()[..8].to_ascii_uppercase()
}

/// Moves a request's send date and deadline back, as if it had been sent `days_ago` and was due
/// `due_days_ago` (negative: in the future), so tests do not depend on when they run.
fn backdate(app: &TestApp, request: uuid::Uuid, days_ago: i64, due_days_ago: i64) {
    use diesel::prelude::*;
    use keepsafe_storage::schema::check_requests;
    let today = keepsafe_test_support::clock::today();
    let mut conn = app.db.database.connection().unwrap();
    diesel::update(check_requests::table.find(request.to_string()))
        .set((
            check_requests::requested_on.eq(today - chrono::Days::new(days_ago as u64)),
            check_requests::deadline.eq(today - chrono::Duration::days(due_days_ago)),
        ))
        .execute(&mut conn)
        .unwrap();
}

#[tokio::test]
async fn an_overdue_request_says_overdue_in_words_and_is_found_by_name_postcode_or_reference() {
    let app = TestApp::sqlite();
    let request = app.partner_request("MIDPOL");
    backdate(&app, request, 20, 3);
    let person = app.person_of_request(request).clone();
    let police = app.sign_in("police.demo").await;

    let overdue = app.get("/partner?show=overdue", Some(&police)).await;
    assert_eq!(overdue.status, StatusCode::OK, "{}", overdue.body);
    let row = overdue
        .body
        .split("<tr class=\"govuk-table__row\">")
        .find(|row| row.contains(&reference(request)))
        .expect("the overdue request is listed under Overdue");
    assert!(row.contains(">Overdue</strong>"), "said in words: {row}");

    let by_name = app
        .get(
            &format!("/partner?q={}", person.last_name.to_lowercase()),
            Some(&police),
        )
        .await;
    assert!(
        by_name.body.contains(&reference(request)),
        "{}",
        by_name.body
    );
    assert!(by_name.body.contains("matching your search"));
    let by_reference = app
        .get(
            &format!("/partner?q={}", reference(request).to_lowercase()),
            Some(&police),
        )
        .await;
    assert!(by_reference.body.contains(&reference(request)));
    let by_crn = app
        .get(&format!("/partner?q={}", person.crn), Some(&police))
        .await;
    assert!(by_crn.body.contains(&reference(request)));
    let nothing = app.get("/partner?q=zzqqxx", Some(&police)).await;
    assert!(!nothing.body.contains(&reference(request)));
    assert!(nothing.body.contains("There are no requests to show"));
    // Filtering to another type leaves it out; sorting keeps it.
    let other_type = app.get("/partner?kind=occupier", Some(&police)).await;
    assert!(!other_type.body.contains(&reference(request)));
    let latest = app.get("/partner?sort=due-latest", Some(&police)).await;
    assert_eq!(latest.status, StatusCode::OK);

    // Another organisation cannot find it, even by its reference.
    let council = app.sign_in("council.demo").await;
    for path in [
        format!("/partner?q={}", reference(request)),
        format!("/partner?show=overdue&q={}", person.last_name),
    ] {
        let page = app.get(&path, Some(&council)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.body.contains(&format!("/partner/requests/{request}")),
            "{path}"
        );
        assert!(
            page.body.contains("There are no requests to show"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_partner_sees_the_postcode_the_households_dates_of_birth_previous_addresses_aliases_and_who_asked(
) {
    use diesel::prelude::*;
    use keepsafe_storage::schema::{addresses, household_members, person_aliases};
    let app = TestApp::sqlite();
    let request = app.partner_request("MIDPOL");
    let person = app.person_of_request(request).clone();
    let today = keepsafe_test_support::clock::today();
    {
        let mut conn = app.db.database.connection().unwrap();
        diesel::insert_into(household_members::table)
            .values((
                household_members::id.eq(uuid::Uuid::new_v4().to_string()),
                household_members::person_id.eq(person.id.to_string()),
                household_members::first_name.eq("Robin"),
                household_members::last_name.eq("Testchild"),
                household_members::relationship.eq("child"),
                household_members::date_of_birth
                    .eq(Some(chrono::NaiveDate::from_ymd_opt(2019, 6, 1).unwrap())),
                household_members::start_date.eq(today - chrono::Days::new(400)),
            ))
            .execute(&mut conn)
            .unwrap();
        diesel::insert_into(addresses::table)
            .values((
                addresses::id.eq(uuid::Uuid::new_v4().to_string()),
                addresses::person_id.eq(person.id.to_string()),
                addresses::line1.eq("9 Earlier Street"),
                addresses::town.eq("Oldtown"),
                addresses::postcode.eq("OT1 9ZZ"),
                addresses::status.eq("previous"),
                addresses::start_date.eq(chrono::NaiveDate::from_ymd_opt(2019, 3, 1).unwrap()),
                addresses::end_date.eq(Some(chrono::NaiveDate::from_ymd_opt(2025, 8, 31).unwrap())),
            ))
            .execute(&mut conn)
            .unwrap();
        diesel::insert_into(person_aliases::table)
            .values((
                person_aliases::id.eq(uuid::Uuid::new_v4().to_string()),
                person_aliases::person_id.eq(person.id.to_string()),
                person_aliases::first_name.eq("Sammy"),
                person_aliases::last_name.eq("Formername"),
                person_aliases::created_at.eq(keepsafe_test_support::clock::now().naive_utc()),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    let police = app.sign_in("police.demo").await;
    let page = app
        .get(&format!("/partner/requests/{request}"), Some(&police))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("data-testid=\"partner-postcode\""));
    assert!(
        page.body
            .contains("data-testid=\"partner-aliases\"><li>Sammy Formername</li>"),
        "the names the person has been known by: {}",
        page.body
    );
    assert!(
        page.body
            .contains("Robin Testchild, born 1 June 2019 (age 7)"),
        "{}",
        page.body
    );
    assert!(page.body.contains("9 Earlier Street, Oldtown, OT1 9ZZ"));
    assert!(page.body.contains("From March 2019 to August 2025"));
    let asker = app
        .region
        .staff
        .iter()
        .find(|s| s.username.as_deref() == Some("po.demo"))
        .unwrap();
    assert!(page
        .body
        .contains(&format!("{} {}", asker.first_name, asker.last_name)));
    assert!(page.body.contains("probation delivery unit"));
    assert!(page
        .body
        .contains(&person.date_of_birth.format("%-d %B %Y").to_string()));
    // No text printed twice: the reference once in the caption, the heading once.
    assert_eq!(page.body.matches("Back to your requests").count(), 1);
    assert_eq!(
        page.body
            .matches(&format!("Reference {}", reference(request)))
            .count(),
        1
    );
}

#[tokio::test]
async fn an_answer_shows_a_success_banner_and_is_found_under_answered_by_its_own_organisation_only()
{
    let app = TestApp::sqlite();
    let request = app.partner_request("MIDPOL");
    let police = app.sign_in("police.demo").await;
    let answered = app
        .post(
            &format!("/partner/requests/{request}/response"),
            &police,
            &[("known", "no"), ("free-text", "Nothing held.")],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    let next = answered.location().unwrap().to_owned();
    assert_eq!(next, format!("/partner/requests/{request}?done=answered"));
    let page = app.get(&next, Some(&police)).await;
    assert!(page.body.contains("govuk-notification-banner--success"));
    assert!(page.body.contains("Your answer to request"));
    assert!(page.body.contains("Answered on 2 December 2026"));
    assert!(page.body.contains("Nothing held."));

    let waiting = app.get("/partner", Some(&police)).await;
    assert!(!waiting.body.contains(&reference(request)));
    let answered_list = app.get("/partner?show=answered", Some(&police)).await;
    assert!(
        answered_list.body.contains(&reference(request)),
        "{}",
        answered_list.body
    );
    assert!(answered_list.body.contains("Details no longer shared"));
    let found = app
        .get(
            &format!("/partner?show=answered&q={}", reference(request)),
            Some(&police),
        )
        .await;
    assert!(found.body.contains(&reference(request)));

    let council = app.sign_in("council.demo").await;
    let theirs = app.get("/partner?show=answered", Some(&council)).await;
    assert!(!theirs.body.contains(&reference(request)));
    let opened = app
        .get(
            &format!("/partner/requests/{request}?done=answered"),
            Some(&council),
        )
        .await;
    assert_eq!(opened.status, StatusCode::FORBIDDEN);
    assert!(!opened.body.contains("Nothing held."));
}

#[tokio::test]
async fn a_date_error_names_the_missing_part_beside_the_day_month_and_year_fields() {
    let app = TestApp::sqlite();
    let request = app.partner_request("MIDPOL");
    let police = app.sign_in("police.demo").await;
    let missing_month = app
        .post(
            &format!("/partner/requests/{request}/response"),
            &police,
            &[
                ("known", "yes"),
                ("incident-1-day", "3"),
                ("incident-1-year", "2026"),
                ("incident-1-kind", "domestic_abuse_call_out"),
                ("incident-1-summary", "Call-out"),
            ],
        )
        .await;
    assert_eq!(missing_month.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = &missing_month.body;
    assert!(
        body.contains("The date of incident 2 must include a month"),
        "{body}"
    );
    assert!(body.contains("href=\"#incident-1-month\""), "{body}");
    assert!(
        body.contains("id=\"incident-1-date-error\""),
        "the message sits beside the date fields"
    );
    assert!(body.contains(
        "id=\"incident-1-month\" name=\"incident-1-month\" type=\"text\" inputmode=\"numeric\" value=\"\""
    ));
    assert!(body.contains("govuk-input--width-2 govuk-input--error\" id=\"incident-1-month\""));
    assert!(
        !body.contains("govuk-input--width-2 govuk-input--error\" id=\"incident-1-day\""),
        "only the missing part is marked"
    );
    assert!(
        !body.contains("YYYY-MM-DD"),
        "no format the fields do not use"
    );

    let future = app
        .post(
            &format!("/partner/requests/{request}/response"),
            &police,
            &[
                ("known", "yes"),
                ("incident-0-day", "3"),
                ("incident-0-month", "12"),
                ("incident-0-year", "2026"),
                ("incident-0-kind", "domestic_abuse_call_out"),
                ("incident-0-summary", "Call-out"),
                ("incident-2-day", "31"),
                ("incident-2-month", "2"),
                ("incident-2-year", "2026"),
                ("incident-2-summary", "Another"),
            ],
        )
        .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(future
        .body
        .contains("The date of incident 1 must be today or in the past"));
    assert!(future
        .body
        .contains("The date of incident 3 must be a real date"));
    assert!(future.body.contains("Choose the type of incident 3"));
    assert!(future.body.contains("id=\"incident-2-kind-error\""));
    let two_digit_year = app
        .post(
            &format!("/partner/requests/{request}/response"),
            &police,
            &[
                ("known", "yes"),
                ("incident-0-day", "3"),
                ("incident-0-month", "11"),
                ("incident-0-year", "26"),
                ("incident-0-kind", "domestic_abuse_call_out"),
                ("incident-0-summary", "Call-out"),
            ],
        )
        .await;
    assert_eq!(two_digit_year.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(two_digit_year.body.contains("Year must include 4 numbers"));
    assert!(two_digit_year.body.contains("href=\"#incident-0-year\""));
}

#[tokio::test]
async fn an_answer_given_after_its_deadline_is_marked_answered_late_on_the_risk_page() {
    let app = TestApp::sqlite();
    let request = app.partner_request("MIDPOL");
    backdate(&app, request, 25, 5);
    let person = app.person_of_request(request).clone();
    let police = app.sign_in("police.demo").await;
    let answered = app
        .post(
            &format!("/partner/requests/{request}/response"),
            &police,
            &[("known", "no"), ("free-text", "Late, sorry.")],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    let mine = app
        .get(&format!("/partner/requests/{request}"), Some(&police))
        .await;
    assert!(mine.body.contains("Answered late, on 2 December 2026"));

    let head = app.sign_in("head.demo").await;
    let risk = app
        .get(&format!("/cases/{}/risk", person.crn), Some(&head))
        .await;
    assert_eq!(risk.status, StatusCode::OK);
    let row = risk
        .body
        .split(&format!("id=\"check-{request}\""))
        .nth(1)
        .expect("the check has its own anchor")
        .split("</tr>")
        .next()
        .unwrap();
    assert!(row.contains(">Answered late</strong>"), "{row}");
    assert!(row.contains("How the deadline was worked out"));
}

#[tokio::test]
async fn a_chase_task_names_the_person_the_practitioner_and_the_partners_contact_and_links_to_the_check(
) {
    use keepsafe_domain::partner::DeadlineRules;
    let app = TestApp::sqlite();
    let request = app.partner_request("MIDPOL");
    let person = app.person_of_request(request).clone();
    // Long overdue, so the first escalation is due today.
    backdate(&app, request, 40, 20);
    {
        let mut conn = app.db.database.connection().unwrap();
        keepsafe_storage::transaction::write(&mut conn, |conn| {
            keepsafe_storage::partners::run_reminders(
                conn,
                &DeadlineRules::reference(),
                keepsafe_test_support::clock::today(),
                keepsafe_test_support::clock::now(),
            )
        })
        .unwrap();
    }
    let spo = app.sign_in("spo.demo").await;
    let tasks = app.get("/tasks", Some(&spo)).await;
    assert_eq!(tasks.status, StatusCode::OK, "{}", tasks.body);
    let row = tasks
        .body
        .split("<tr class=\"govuk-table__row\">")
        .find(|row| row.contains(&reference(request)))
        .unwrap_or_else(|| panic!("a chase task for {}: {}", reference(request), tasks.body));
    assert!(
        row.contains(&format!("{} {}", person.first_name, person.last_name)),
        "{row}"
    );
    assert!(row.contains("Midshire Police"));
    let officer = app
        .region
        .staff
        .iter()
        .find(|s| s.username.as_deref() == Some("po.demo"))
        .unwrap();
    assert!(row.contains(&format!("{} {}", officer.first_name, officer.last_name)));
    assert!(row.contains("Contact at Midshire Police: "), "{row}");
    assert!(
        row.contains(&format!(
            "href=\"/cases/{}/risk#check-{request}\"",
            person.crn
        )),
        "{row}"
    );
}

#[tokio::test]
async fn a_partner_manager_sees_their_response_times_as_a_histogram_with_a_table() {
    let app = TestApp::sqlite();
    let request = app.partner_request("MIDPOL");
    backdate(&app, request, 14, 0);
    let police = app.sign_in("police.demo").await;
    let answered = app
        .post(
            &format!("/partner/requests/{request}/response"),
            &police,
            &[("known", "no")],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    let manager = app.sign_in("police.manager").await;
    let page = app.get("/partner/statistics", Some(&manager)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page
        .body
        .contains("data-testid=\"response-time-histogram\""));
    assert!(page
        .body
        .contains("How long Midshire Police took to answer"));
    assert!(page.body.contains(">Median "), "the median is marked");
    assert!(page.body.contains(">90th percentile "));
    assert!(page.body.contains("data-testid=\"response-time-table\""));
    assert!(page.body.contains("working days</td>"));
}
