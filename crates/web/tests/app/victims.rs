//! Victims: victim liaison keep victims' records through the pages; everyone else who may open
//! the case sees only that victims are in the scheme, the conditions they asked for and the victim
//! liaison officer's name — never who a victim is or where they live, on any page, export, search
//! or audit row (the leak walk).

use crate::route_rules::concrete;
use crate::support::{Page, Session, TestApp};
use axum::http::{Method, StatusCode};
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_storage::cases::record as case_record;
use keepsafe_test_support::victims::{record_victim, NAME, POSTCODE, STREET, ZONE};
use uuid::Uuid;

/// Records the fixture victim on po.demo's case, kept by vlo.demo.
pub(crate) fn victim_on_po_case(app: &TestApp) -> (String, Uuid, Uuid) {
    let crn = app.case_of("po.demo");
    let mut conn = app.db.database.connection().unwrap();
    let person = case_record::locate(&mut conn, &crn)
        .unwrap()
        .unwrap()
        .person_id;
    let (victim, condition) = record_victim(&mut conn, person, app.staff_id("vlo.demo"));
    (crn, victim, condition)
}

/// Fills `{victim}` and `{victim_condition}` with the fixture victim on po.demo's case.
pub(crate) fn fill(app: &TestApp, path: &str) -> String {
    if !path.contains("{victim}") && !path.contains("{victim_condition}") {
        return path.to_owned();
    }
    let (_, victim, condition) = victim_on_po_case(app);
    path.replace("{victim}", &victim.to_string())
        .replace("{victim_condition}", &condition.to_string())
}

/// Fails if the page shows the victim's name, street or postcode in its body or headers.
fn assert_no_leak(page: &Page, what: &str) {
    let headers = format!("{:?}", page.headers);
    for secret in [NAME, STREET, POSTCODE] {
        assert!(
            !page.body.contains(secret) && !headers.contains(secret),
            "{what} shows \"{secret}\""
        );
    }
}

#[tokio::test]
async fn a_victim_liaison_officer_records_a_victim_a_contact_their_views_and_a_condition() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let vlo = app.sign_in("vlo.demo").await;
    let page = app
        .post(
            &format!("/cases/{crn}/victims/new"),
            &vlo,
            &[
                ("name", "Ottoline Brabazon"),
                ("address", "4 Lantern Row\nMidchester"),
                ("postcode", "mc1 4lr"),
                ("phone", "01632 960 555"),
                ("email", "ottoline@example.org"),
                ("role", "parent_or_carer"),
                ("opted_in", "yes"),
                ("decided_on-day", "1"),
                ("decided_on-month", "12"),
                ("decided_on-year", "2026"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let record = page.location().unwrap().to_owned();
    assert!(record.starts_with(&format!("/cases/{crn}/victims/")));

    let page = app
        .post(
            &format!("{record}/contacts/new"),
            &vlo,
            &[
                ("stage", "sentence"),
                ("contacted_on-day", "2"),
                ("contacted_on-month", "12"),
                ("contacted_on-year", "2026"),
                ("notes", "Explained the scheme and what happens next."),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = app
        .post(
            &format!("{record}/views/new"),
            &vlo,
            &[
                ("given_on-day", "2"),
                ("given_on-month", "12"),
                ("given_on-year", "2026"),
                ("words", "She does not want him near the school."),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = app
        .post(
            &format!("{record}/conditions/new"),
            &vlo,
            &[
                ("kind", "no_contact"),
                ("reason", "Her daughter is frightened of him."),
                ("status", "requested"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

    let page = app.get(&record, Some(&vlo)).await;
    assert_eq!(page.status, StatusCode::OK);
    for shown in [
        "Ottoline Brabazon",
        "4 Lantern Row",
        "MC1 4LR",
        "01632960555",
        "Parent or carer of a child victim",
        "Opted in on 1 December 2026",
        "Explained the scheme",
        "She does not want him near the school.",
        "No contact with the victim",
        "Her daughter is frightened of him.",
    ] {
        assert!(page.body.contains(shown), "{shown} on the record");
    }
    let page = app.get(&format!("/cases/{crn}/victims"), Some(&vlo)).await;
    assert!(page.body.contains("Ottoline Brabazon"));
    assert!(page
        .body
        .contains("A victim is in the victim contact scheme"));

    // Every change and read is audited, without the victim's name or address.
    let rows = app.audit(AuditFilter {
        crn: Some(crn.clone()),
        actor: None,
        ..Default::default()
    });
    for action in [
        "add_victim",
        "record_victim_contact",
        "record_victim_views",
        "record_victim_condition",
        "view_victim_record",
        "view_victim_records",
    ] {
        assert!(rows.iter().any(|r| r.action == action), "{action} audited");
    }
    for row in &rows {
        assert!(
            !row.detail.contains("Ottoline") && !row.detail.contains("Lantern"),
            "{}",
            row.detail
        );
    }
}

#[tokio::test]
async fn a_victim_without_a_name_or_role_is_refused_naming_each_field_and_keeping_what_was_typed() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let vlo = app.sign_in("vlo.demo").await;
    let page = app
        .post(
            &format!("/cases/{crn}/victims/new"),
            &vlo,
            &[
                ("name", ""),
                ("address", "9 Kept Lane"),
                ("phone", "12"),
                ("opted_in", "yes"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, message) in [
        ("name", "s name"),
        ("phone", "Enter a UK telephone number"),
        ("role", "Select who they are"),
        ("decided_on-day", "Enter the date they chose"),
    ] {
        assert!(
            page.body.contains(&format!("href=\"#{field}\"")),
            "{field} linked"
        );
        assert!(page.body.contains(message), "{message}: {}", page.body);
    }
    assert!(page.body.contains("9 Kept Lane"), "what was typed is kept");

    let (_, victim, _) = victim_on_po_case(&app);
    let page = app
        .post(
            &format!("/cases/{crn}/victims/{victim}/conditions/new"),
            &vlo,
            &[
                ("kind", "exclusion_zone"),
                ("reason", "Near her home"),
                ("status", "not_included"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("href=\"#details\""));
    assert!(page.body.contains("href=\"#status_reason\""));
}

#[tokio::test]
async fn a_practitioner_opening_a_victims_record_is_refused_and_the_refusal_audited() {
    let app = TestApp::sqlite();
    let (crn, victim, _) = victim_on_po_case(&app);
    let po = app.sign_in("po.demo").await;
    for path in [
        format!("/cases/{crn}/victims/{victim}"),
        format!("/cases/{crn}/victims/new"),
        format!("/cases/{crn}/victims/referral"),
    ] {
        let page = app.get(&path, Some(&po)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert_no_leak(&page, &path);
    }
    let page = app
        .post(
            &format!("/cases/{crn}/victims/{victim}/details"),
            &po,
            &[("name", "Changed"), ("role", "victim")],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let refusals = app.audit(AuditFilter {
        actor: Some("po.demo".into()),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    for action in ["view_victim_record", "view_victim_form", "change_victim"] {
        assert!(
            refusals
                .iter()
                .any(|r| r.action == action && r.crn.as_deref() == Some(&crn)),
            "{action} refused and audited"
        );
    }
}

#[tokio::test]
async fn the_practitioner_sees_the_condition_and_the_liaison_officer_but_not_the_victim() {
    let app = TestApp::sqlite();
    let (crn, _, _) = victim_on_po_case(&app);
    for username in ["po.demo", "spo.demo"] {
        let session = app.sign_in(username).await;
        let page = app
            .get(&format!("/cases/{crn}/victims"), Some(&session))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page
            .body
            .contains("A victim is in the victim contact scheme"));
        assert!(page.body.contains(&format!("Exclusion zone: {ZONE}")));
        assert!(page.body.contains("Requested"));
        let vlo = app
            .region
            .staff
            .iter()
            .find(|s| s.username.as_deref() == Some("vlo.demo"))
            .unwrap();
        assert!(page
            .body
            .contains(&format!("{} {}", vlo.first_name, vlo.last_name)));
        assert_no_leak(&page, &format!("{username}'s victims page"));
        // The liaison officer's reason stays with them.
        assert!(!page.body.contains("lives and works at"));
    }
}

#[tokio::test]
async fn no_route_export_or_search_shows_a_victims_identity_to_the_practitioner_or_senior_officer()
{
    let app = TestApp::sqlite();
    let (crn, _, _) = victim_on_po_case(&app);
    let po = app.sign_in("po.demo").await;
    let spo = app.sign_in("spo.demo").await;
    let walkers: [(&str, &Session); 2] = [("po.demo", &po), ("spo.demo", &spo)];
    let mut walked = 0;
    for route in app.routes.iter().filter(|r| r.method == Method::GET) {
        let path = concrete(&app, route.path);
        for (name, session) in walkers {
            let page = app.get(&path, Some(session)).await;
            assert_no_leak(&page, &format!("GET {path} as {name}"));
            walked += 1;
        }
    }
    assert!(walked > 100, "every GET route walked ({walked})");
    // The walk would see a leak: victim liaison's own page shows the victim.
    let vlo = app.sign_in("vlo.demo").await;
    let own = app.get(&format!("/cases/{crn}/victims"), Some(&vlo)).await;
    assert!(own.body.contains(NAME), "victim liaison see the victim");
    // Searching for the victim by name finds nothing of theirs.
    for (name, session) in walkers {
        let page = app
            .get("/find?name=Quarrendon-Vasquez", Some(session))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.body.contains(STREET) && !page.body.contains(POSTCODE),
            "{name}"
        );
        assert!(
            !page.body.contains(&format!("/cases/{crn}\"")),
            "{name}: no case found"
        );
    }
    // The audit log and its export, as quality staff read them: no victim's name or address.
    let quality = app.sign_in("quality.demo").await;
    for path in ["/audit", "/audit.csv"] {
        let page = app.get(path, Some(&quality)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_no_leak(&page, path);
    }
    // The risk assessment lists the victim to consider without who they are.
    let risk = app
        .get(
            &format!(
                "/cases/{crn}/risk/assessments/{}",
                app.draft_and_check(&crn).0
            ),
            Some(&po),
        )
        .await;
    assert!(
        risk.body
            .contains("known to victim liaison (in the victim contact scheme)</label>"),
        "the victim is among the people to consider"
    );
    assert_no_leak(&risk, "the risk assessment");
}
