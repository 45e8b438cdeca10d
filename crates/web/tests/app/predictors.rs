//! Predictors recorded from an external assessment: recording them changes the tiers in the same
//! action, each refused input names its field and keeps what was typed, stale scores are flagged
//! on the risk and tier pages, OVP shows how it was worked out, and only those who work on the case
//! may see or record them.

use crate::record_details::error_fields;
use crate::support::{Page, Session, TestApp};
use axum::http::StatusCode;
use chrono::{Datelike, Months, NaiveDate};
use diesel::prelude::*;
use keepsafe_domain::predictors::recorded::PREDICTOR_RULES_VERSION;
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::risk::scores;
use keepsafe_storage::schema::{pdus, staff, teams};
use keepsafe_test_support::clock;
use uuid::Uuid;

/// A case of po.demo's whose single tier only what the test records decides (see
/// `tiered_by_predictors_alone`).
fn plain_case(app: &TestApp) -> (String, Uuid) {
    let crn = app.case_of("po.demo");
    let mut conn = app.db.database.connection().unwrap();
    let person = case_record::locate(&mut conn, &crn)
        .unwrap()
        .unwrap()
        .person_id;
    keepsafe_test_support::risk::tiered_by_predictors_alone(
        &mut conn,
        person,
        app.staff_id("po.demo"),
    );
    (crn, person)
}

/// The date fields of an assessment on `day`.
fn assessed_on(day: NaiveDate) -> [(&'static str, String); 3] {
    [
        ("assessed_on-day", day.day().to_string()),
        ("assessed_on-month", day.month().to_string()),
        ("assessed_on-year", day.year().to_string()),
    ]
}

/// Posts the record form from OASys, assessed a month before the tests' day, with `scores`.
async fn record(app: &TestApp, session: &Session, crn: &str, scores: &[(&str, &str)]) -> Page {
    let day = clock::today() - Months::new(1);
    record_assessed(app, session, crn, day, scores).await
}

async fn record_assessed(
    app: &TestApp,
    session: &Session,
    crn: &str,
    day: NaiveDate,
    scores: &[(&str, &str)],
) -> Page {
    let date = assessed_on(day);
    let mut form: Vec<(&str, &str)> = vec![("source", "oasys")];
    form.extend(date.iter().map(|(k, v)| (*k, v.as_str())));
    form.extend_from_slice(scores);
    app.post(&format!("/cases/{crn}/predictors/new"), session, &form)
        .await
}

fn tier_of(app: &TestApp, person: Uuid) -> scores::TierRecord {
    let mut conn = app.db.database.connection().unwrap();
    scores::for_person(&mut conn, person)
        .unwrap()
        .tier
        .expect("a tier")
}

#[tokio::test]
async fn recording_arp_and_csrp_makes_the_single_tier_appear_on_the_tier_page() {
    let app = TestApp::sqlite();
    let (crn, _) = plain_case(&app);
    let session = app.sign_in("po.demo").await;
    let before = app.get(&format!("/cases/{crn}/tier"), Some(&session)).await;
    assert!(before
        .body
        .contains("Record the all-reoffending predictor (ARP) and the combined serious reoffending predictor (CSRP)"));

    let saved = record(
        &app,
        &session,
        &crn,
        &[
            ("arp_percent", "50"),
            ("arp_basis", "dynamic"),
            ("csrp_percent", "1.0"),
            ("csrp_basis", "dynamic"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        saved.location(),
        Some(format!("/cases/{crn}/risk#predictors").as_str())
    );

    let tier = app.get(&format!("/cases/{crn}/tier"), Some(&session)).await;
    assert!(
        tier.body.contains("data-testid=\"single-tier\">D<"),
        "{}",
        tier.body
    );
    // The inputs name their source and link to the entries they came from.
    assert!(tier
        .body
        .contains(&format!("href=\"/cases/{crn}/predictors#current-arp\"")));
    assert!(tier
        .body
        .contains("ARP: 50% (dynamic), from OASys assessed"));

    let risk = app.get(&format!("/cases/{crn}/risk"), Some(&session)).await;
    assert!(risk.body.contains("data-testid=\"predictor-arp\""));
    assert!(risk.body.contains("50% (dynamic)"));
}

#[tokio::test]
async fn recording_an_rsr_of_7_5_gives_the_legacy_tier_20_protect_points() {
    let app = TestApp::sqlite();
    let (crn, person) = plain_case(&app);
    let before = tier_of(&app, person);
    let session = app.sign_in("po.demo").await;
    let saved = record(&app, &session, &crn, &[("rsr_percent", "7.5")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let after = tier_of(&app, person);
    // Low RoSH gives no points, so the RSR's 20 are the ones counted.
    assert_eq!(after.protect_points, before.protect_points + 20);
    assert!(after
        .factors
        .iter()
        .any(|f| f.factor == "RSR: 7.5%" && f.points == Some(20) && f.counted));
    let page = app.get(&format!("/cases/{crn}/tier"), Some(&session)).await;
    assert!(page.body.contains("RSR: 7.5%"));
    assert!(page.body.contains("RSR: 7.5%, band high, from OASys"));
}

/// What is typed into the form's score fields: (field, text) pairs.
type Typed<'a> = &'a [(&'a str, &'a str)];

#[tokio::test]
async fn each_refused_input_is_named_and_linked_and_everything_typed_is_kept() {
    let app = TestApp::sqlite();
    let (crn, person) = plain_case(&app);
    let session = app.sign_in("po.demo").await;
    let cases: [(Typed, &str, &str); 7] = [
        (
            &[("rsr_percent", "100.5")],
            "rsr_percent",
            "The RSR must be a percentage from 0 to 100",
        ),
        (
            &[("arp_percent", "-3"), ("arp_basis", "static")],
            "arp_percent",
            "The ARP must be a percentage from 0 to 100",
        ),
        (
            &[("csrp_percent", "1.2")],
            "csrp_basis",
            "Select whether the CSRP is static or dynamic",
        ),
        (
            &[("iic_band", "extreme")],
            "iic_band",
            "Select the OSP/IIC band from the list",
        ),
        (
            &[("dc_band", "medium"), ("dc_score", "0.55")],
            "dc_score",
            "A medium OSP/DC band needs a score of 0.60 or more",
        ),
        (
            &[("dc_score", "2.0")],
            "dc_band",
            "Select the OSP/DC band: a score was entered without one",
        ),
        (&[], "rsr_percent", "Enter at least one score"),
    ];
    for (scores, field, message) in cases {
        let page = record(&app, &session, &crn, scores).await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{scores:?}: {}",
            page.body
        );
        assert_eq!(error_fields(&page), [field], "{scores:?}");
        assert!(page.body.contains(message), "{message}: {}", page.body);
        assert!(page.body.contains(&format!("id=\"{field}-error\"")));
        assert!(page.body.contains("<title>Error: Record predictor scores"));
        for (name, typed) in scores {
            // A band not in the list cannot be shown chosen; every other answer is kept as typed
            // or as chosen.
            let kept = if name.ends_with("_band") {
                format!("value=\"{typed}\" selected")
            } else if name.ends_with("_basis") {
                format!("value=\"{typed}\" checked")
            } else {
                format!("value=\"{typed}\"")
            };
            assert!(
                *typed == "extreme" || page.body.contains(&kept),
                "{name} {typed} is kept"
            );
        }
    }
    let mut conn = app.db.database.connection().unwrap();
    assert!(
        keepsafe_storage::risk::predictors::history(&mut conn, person)
            .unwrap()
            .is_empty(),
        "nothing was recorded"
    );
}

#[tokio::test]
async fn an_assessment_dated_in_the_future_is_refused() {
    let app = TestApp::sqlite();
    let (crn, _) = plain_case(&app);
    let session = app.sign_in("po.demo").await;
    let tomorrow = clock::today().succ_opt().unwrap();
    let page = record_assessed(&app, &session, &crn, tomorrow, &[("rsr_percent", "2")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&page), ["assessed_on-day"]);
    assert!(page
        .body
        .contains("The date of the assessment cannot be in the future"));
    assert!(page.body.contains(&format!("value=\"{}\"", tomorrow.day())));
}

#[tokio::test]
async fn a_score_older_than_twelve_months_is_flagged_stale_on_the_risk_and_tier_pages() {
    let app = TestApp::sqlite();
    let (crn, _) = plain_case(&app);
    let session = app.sign_in("po.demo").await;
    let assessed = clock::today() - Months::new(13);
    let saved = record_assessed(
        &app,
        &session,
        &crn,
        assessed,
        &[
            ("arp_percent", "30"),
            ("arp_basis", "static"),
            ("csrp_percent", "0.4"),
            ("csrp_basis", "static"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stale_since = keepsafe_domain::predictors::recorded::PredictorRules::default()
        .stale_from(assessed)
        .format("%-d %B %Y")
        .to_string();

    let risk = app.get(&format!("/cases/{crn}/risk"), Some(&session)).await;
    assert!(risk.body.contains("data-testid=\"stale-predictors\""));
    assert!(risk.body.contains("2 scores are stale"), "{}", risk.body);
    assert!(risk.body.contains(&format!(
        "Stale since {stale_since}: the assessment is 12 months old or more"
    )));
    assert!(risk.body.contains("1 year ago") || risk.body.contains("13 months ago"));

    // The tiers still read the stale scores, and say so.
    let tier = app.get(&format!("/cases/{crn}/tier"), Some(&session)).await;
    assert!(!tier.body.contains("Not computed"), "{}", tier.body);
    assert!(tier.body.contains(&format!("stale since {stale_since}")));

    let history = app
        .get(&format!("/cases/{crn}/predictors"), Some(&session))
        .await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(history.body.contains(PREDICTOR_RULES_VERSION));
}

#[tokio::test]
async fn the_ovp_page_shows_how_82_points_give_80_and_89_percent_very_high() {
    let app = TestApp::sqlite();
    let (crn, _) = plain_case(&app);
    let session = app.sign_in("po.demo").await;
    let saved = record(&app, &session, &crn, &[("ovp_points", "82")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let risk = app.get(&format!("/cases/{crn}/risk"), Some(&session)).await;
    assert!(risk.body.contains(&format!("href=\"/cases/{crn}/ovp\"")));
    let page = app.get(&format!("/cases/{crn}/ovp"), Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-testid=\"ovp-one-year\">80%<"));
    assert!(page.body.contains("data-testid=\"ovp-two-year\">89%<"));
    assert!(page.body.contains("data-testid=\"ovp-band\">Very high<"));
    assert!(page.body.contains("0.0722 × 82 − 3.8773 = 2.0431"));
    assert!(page
        .body
        .contains(keepsafe_domain::predictors::ovp::RULE_VERSION));
}

#[tokio::test]
async fn recording_and_viewing_predictors_is_audited() {
    let app = TestApp::sqlite();
    let (crn, _) = plain_case(&app);
    let session = app.sign_in("pso.demo").await;
    let saved = record(
        &app,
        &session,
        &crn,
        &[("rsr_percent", "3.1"), ("iic_band", "low")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    app.get(&format!("/cases/{crn}/predictors"), Some(&session))
        .await;
    let rows = app.audit(AuditFilter {
        crn: Some(crn.clone()),
        actor: Some("pso.demo".into()),
        ..Default::default()
    });
    let recorded = rows
        .iter()
        .find(|r| r.action == "record_predictors")
        .expect("the recording is audited");
    assert!(
        recorded
            .detail
            .starts_with("RSR 3.1%, band medium; OSP/IIC Band only, band low; from OASys assessed"),
        "{}",
        recorded.detail
    );
    assert!(rows
        .iter()
        .any(|r| r.action == "view_predictors" && r.outcome == "allowed"));
}

/// A probation officer of another PDU of the region, signed in: a PDU and team made for them, and
/// the demo accounts' password.
pub(crate) async fn practitioner_of_another_pdu(app: &TestApp) -> Session {
    let home = app
        .region
        .staff
        .iter()
        .find(|s| s.username.as_deref() == Some("po.demo"))
        .unwrap();
    let (pdu, team, id) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let mut conn = app.db.database.connection().unwrap();
    let hash: Option<String> = staff::table
        .find(home.id.to_string())
        .select(staff::password_hash)
        .first(&mut conn)
        .unwrap();
    diesel::insert_into(pdus::table)
        .values((
            pdus::id.eq(pdu.to_string()),
            pdus::region_id.eq(home.region_id.to_string()),
            pdus::code.eq("ELSEW"),
            pdus::name.eq("Elsewhere"),
        ))
        .execute(&mut conn)
        .unwrap();
    diesel::insert_into(teams::table)
        .values((
            teams::id.eq(team.to_string()),
            teams::pdu_id.eq(pdu.to_string()),
            teams::code.eq("ELSEW1"),
            teams::name.eq("Elsewhere team 1"),
        ))
        .execute(&mut conn)
        .unwrap();
    diesel::insert_into(staff::table)
        .values((
            staff::id.eq(id.to_string()),
            staff::first_name.eq("Elsa"),
            staff::last_name.eq("Where"),
            staff::grade.eq(keepsafe_domain::CodedValue::code(
                keepsafe_domain::staff::Grade::ProbationOfficer,
            )),
            staff::contracted_hours.eq(37.0),
            staff::region_id.eq(home.region_id.to_string()),
            staff::pdu_id.eq(Some(pdu.to_string())),
            staff::team_id.eq(Some(team.to_string())),
            staff::username.eq(Some("po.elsewhere")),
            staff::password_hash.eq(hash),
            staff::active.eq(true),
            staff::created_at.eq(clock::now().naive_utc()),
        ))
        .execute(&mut conn)
        .unwrap();
    app.sign_in("po.elsewhere").await
}

#[tokio::test]
async fn a_practitioner_of_another_pdu_may_not_see_or_record_predictors_and_is_audited() {
    let app = TestApp::sqlite();
    let (crn, person) = plain_case(&app);
    let outsider = practitioner_of_another_pdu(&app).await;
    for path in ["predictors", "predictors/new", "ovp"] {
        let page = app
            .get(&format!("/cases/{crn}/{path}"), Some(&outsider))
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
    }
    let page = record(&app, &outsider, &crn, &[("rsr_percent", "9")]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let refusals = app.audit(AuditFilter {
        actor: Some("po.elsewhere".into()),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    for action in ["view_predictors", "record_predictors"] {
        assert!(
            refusals
                .iter()
                .any(|r| r.action == action && r.detail == "outside_pdu"),
            "{action}: {refusals:?}"
        );
    }
    let mut conn = app.db.database.connection().unwrap();
    assert!(
        keepsafe_storage::risk::predictors::history(&mut conn, person)
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_partner_user_may_not_see_or_record_predictors() {
    let app = TestApp::sqlite();
    let (crn, person) = plain_case(&app);
    let police = app.sign_in("police.demo").await;
    for path in ["predictors", "predictors/new", "ovp", "risk"] {
        let page = app
            .get(&format!("/cases/{crn}/{path}"), Some(&police))
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
    }
    let page = record(&app, &police, &crn, &[("rsr_percent", "9")]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let mut conn = app.db.database.connection().unwrap();
    assert!(
        keepsafe_storage::risk::predictors::history(&mut conn, person)
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn read_only_roles_see_the_predictors_but_not_the_form() {
    let app = TestApp::sqlite();
    let (crn, _) = plain_case(&app);
    let quality = app.sign_in("quality.demo").await;
    let page = app.get(&format!("/cases/{crn}/risk"), Some(&quality)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"predictors\""));
    assert!(!page.body.contains(&format!("/cases/{crn}/predictors/new")));
    let form = app
        .get(&format!("/cases/{crn}/predictors/new"), Some(&quality))
        .await;
    assert_eq!(form.status, StatusCode::FORBIDDEN);
}
