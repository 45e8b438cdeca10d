//! Curfew and home-address suitability: an address cannot be approved until the police (and, with
//! children living there, children's services) have answered about it and the answers are
//! considered, the occupier consents, there is electricity, a home visit, and the risk to the
//! women and children living there has been assessed.

use crate::support::TestApp;
use axum::http::StatusCode;

fn address_check_id(location: &str) -> String {
    location
        .split("/address-checks/")
        .nth(1)
        .unwrap()
        .split(['#', '/'])
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn an_address_is_approved_only_once_nothing_is_missing() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let po = app.sign_in("po.demo").await;
    let base = format!("/cases/{crn}/address-checks");

    let list = app.get(&base, Some(&po)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let bad = app.post(&base, &po, &[("line1", "4 Orchard Row")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Select what the address is proposed for"));
    assert!(bad.body.contains("Enter the town or city"));

    let started = app
        .post(
            &base,
            &po,
            &[
                ("purpose", "licence"),
                ("line1", "4 Orchard Row"),
                ("town", "Midchester"),
                ("postcode", "MC1 4ZZ"),
            ],
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let page_path = started.location().unwrap().to_owned();
    let id = address_check_id(&page_path);
    let page = app.get(&page_path, Some(&po)).await;
    assert!(page.body.contains("Before this address can be approved"));
    assert!(
        page.body.contains("Request a police domestic-abuse"),
        "{}",
        page.body
    );

    // Approval now is refused, listing what is missing; a practitioner cannot approve at all.
    let spo = app.sign_in("spo.demo").await;
    let approve = format!("{base}/{id}/approve");
    assert_eq!(
        app.post(&approve, &po, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let refused = app.post(&approve, &spo, &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.body.contains("cannot be approved"),
        "{}",
        refused.body
    );

    // Send the police check for this address; the police answer in their portal.
    let sent = app
        .post(
            &format!("{base}/{id}/checks"),
            &po,
            &[("kind", "police_domestic_abuse")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let page = app.get(&page_path, Some(&po)).await;
    assert!(page.body.contains("Wait for the answer"), "{}", page.body);
    let request = {
        use diesel::prelude::*;
        use keepsafe_storage::schema::{addresses, check_requests};
        let mut conn = app.db.database.connection().unwrap();
        check_requests::table
            .inner_join(
                addresses::table.on(addresses::id.nullable().eq(check_requests::address_id)),
            )
            .filter(addresses::line1.eq("4 Orchard Row"))
            .select(check_requests::id)
            .first::<String>(&mut conn)
            .unwrap()
    };
    let police = app.sign_in("police.demo").await;
    let answered = app
        .post(
            &format!("/partner/requests/{request}/response"),
            &police,
            &[
                ("known", "no"),
                ("free-text", "Nothing known at this address."),
            ],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);

    // Record everything, with an adult woman living there.
    let page = app.get(&page_path, Some(&po)).await;
    let shown_at = page
        .body
        .split("name=\"shown-at\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let reference = format!("reference-{request}");
    let today = keepsafe_test_support::clock::now().date_naive();
    let (d, m, y) = (
        today.format("%-d").to_string(),
        today.format("%-m").to_string(),
        today.format("%Y").to_string(),
    );
    let form = vec![
        ("shown-at", shown_at.as_str()),
        ("person-is-occupier", "no"),
        ("main-occupier", "Ruth Ellison"),
        ("occupier-consent", "given"),
        ("consent-confirmed-day", d.as_str()),
        ("consent-confirmed-month", m.as_str()),
        ("consent-confirmed-year", y.as_str()),
        ("resident-0-name", "Ruth Ellison"),
        ("resident-0-relationship", "parent"),
        ("resident-0-age", "58"),
        ("resident-0-sex", "female"),
        ("cautioned-against-resident", "no"),
        ("electricity-supply", "yes"),
        ("home-visit-day", d.as_str()),
        ("home-visit-month", m.as_str()),
        ("home-visit-year", y.as_str()),
        ("victim-near", "no"),
        ("risk-day", d.as_str()),
        ("risk-month", m.as_str()),
        ("risk-year", y.as_str()),
        (
            "risk-note",
            "No history of harm to his mother; she is supportive and aware of the offence.",
        ),
        (
            reference.as_str(),
            "No police history at the address supports the plan.",
        ),
        ("judgement", "suitable"),
        ("judgement-note", "Stable home with his mother."),
    ];
    let saved = app.post(&page_path, &po, &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.get(&page_path, Some(&po)).await;
    assert!(page.body.contains("Nothing is missing"), "{}", page.body);

    // A stale form (the version it was shown with) is refused rather than overwriting.
    let stale = app.post(&page_path, &po, &form).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stale
        .body
        .contains("changed or approved while you were editing"));

    let approved = app.post(&approve, &spo, &[]).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    let page = app.get(&page_path, Some(&spo)).await;
    assert!(
        page.body.contains("Approved licence address"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_child_at_the_address_needs_the_childrens_services_check_too() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let id = app.address_check(&crn);
    let po = app.sign_in("po.demo").await;
    let path = format!("/cases/{crn}/address-checks/{id}");
    let page = app.get(&path, Some(&po)).await;
    let shown_at = page
        .body
        .split("name=\"shown-at\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let saved = app
        .post(
            &path,
            &po,
            &[
                ("shown-at", shown_at.as_str()),
                ("resident-0-name", "Mia Ellison"),
                ("resident-0-relationship", "child"),
                ("resident-0-age", "6"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.get(&path, Some(&po)).await;
    assert!(
        page.body.contains("Request a children")
            && page.body.contains("Mia Ellison (child, age 6) lives there"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("women and children"),
        "the risk to them must be assessed"
    );

    let bad_age = app
        .post(
            &path,
            &po,
            &[
                ("shown-at", "2020-01-01T00:00:00"),
                ("resident-0-name", "Mia Ellison"),
                ("resident-0-relationship", "child"),
                ("resident-0-age", "six"),
            ],
        )
        .await;
    assert_eq!(bad_age.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_age.body.contains("age must be a whole number"));
}

#[tokio::test]
async fn an_occupier_check_goes_to_the_chosen_partner_with_the_main_occupier_named() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let id = app.address_check(&crn);
    let po = app.sign_in("po.demo").await;
    let page_path = format!("/cases/{crn}/address-checks/{id}");
    let adult_social_care = app
        .region
        .partners
        .iter()
        .find(|p| p.code == "MIDASC")
        .unwrap()
        .id
        .to_string();
    let send = format!("{page_path}/checks");
    let occupier_check = [
        ("kind", "occupier"),
        ("occupier-partner", adult_social_care.as_str()),
    ];

    // Until the officer has recorded whom to look for, nothing is sent.
    let refused = app.post(&send, &po, &occupier_check).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("Record and save the main occupier"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("Nothing was sent"));

    let page = app.get(&page_path, Some(&po)).await;
    assert!(page.body.contains("Occupier check"), "{}", page.body);
    let shown_at = page
        .body
        .split("name=\"shown-at\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let saved = app
        .post(
            &page_path,
            &po,
            &[
                ("shown-at", shown_at.as_str()),
                ("person-is-occupier", "no"),
                ("main-occupier", "Ruth Ellison"),
                ("victim-near", "no"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let sent = app.post(&send, &po, &occupier_check).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);

    let request = {
        use diesel::prelude::*;
        use keepsafe_storage::schema::check_requests;
        let mut conn = app.db.database.connection().unwrap();
        check_requests::table
            .filter(check_requests::kind.eq("occupier"))
            .filter(check_requests::partner_organisation_id.eq(&adult_social_care))
            .select(check_requests::id)
            .first::<String>(&mut conn)
            .expect("the occupier check was sent to adult social care")
    };

    // Adult social care sees whom to search for; the police force it was not sent to cannot.
    let adults = app.sign_in("adults.demo").await;
    let their_view = app
        .get(&format!("/partner/requests/{request}"), Some(&adults))
        .await;
    assert_eq!(their_view.status, StatusCode::OK, "{}", their_view.body);
    assert!(
        their_view.body.contains("Ruth Ellison"),
        "{}",
        their_view.body
    );
    assert!(their_view.body.contains("Occupier check"));
    let police = app.sign_in("police.demo").await;
    assert_eq!(
        app.get(&format!("/partner/requests/{request}"), Some(&police))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let answered = app
        .post(
            &format!("/partner/requests/{request}/response"),
            &adults,
            &[
                ("known", "yes"),
                (
                    "free-text",
                    "Known to us as a carer for her late husband; no concerns.",
                ),
            ],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);

    // The answer is on the address check; the risk-assessment gates are not touched by it.
    let page = app.get(&page_path, Some(&po)).await;
    assert!(
        page.body.contains("Known to us as a carer"),
        "{}",
        page.body
    );
    assert!(!page.body.contains(&format!("reference-{request}")));
}

#[tokio::test]
async fn an_occupier_check_cannot_be_recorded_as_made_outside_keepsafe() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let id = app.address_check(&crn);
    let po = app.sign_in("po.demo").await;
    let refused = app
        .post(
            &format!("/cases/{crn}/address-checks/{id}/checks"),
            &po,
            &[("kind", "occupier"), ("occupier-partner", "outside")],
        )
        .await;
    assert_ne!(refused.status, StatusCode::SEE_OTHER);
}
