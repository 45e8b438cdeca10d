//! Reoffending outcomes: a conviction recorded on a case shows as proven reoffending after the
//! sentence it followed, with how that was worked out; refused input names each field and writes
//! nothing; the region's rates and the predictors' calibration count what was recorded, and are
//! for managers and quality staff only.

use crate::record_details::error_fields;
use crate::support::{Session, TestApp};
use axum::http::StatusCode;
use chrono::{Datelike, Duration, NaiveDate};
use keepsafe_domain::reoffending::{
    cohort_rates, CohortGrouping, FollowUpPeriod, ReoffendingRules,
};
use keepsafe_domain::staff::Grade;
use keepsafe_storage::audit::AuditFilter;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::reoffending::{cohort, convictions};
use keepsafe_test_support::clock;
use keepsafe_test_support::reoffending::{convicted, finished_sentence};
use uuid::Uuid;

fn person_of(app: &TestApp, crn: &str) -> Uuid {
    let mut conn = app.db.database.connection().unwrap();
    case_record::locate(&mut conn, crn)
        .unwrap()
        .unwrap()
        .person_id
}

/// po.demo's case with a community order finished long ago, sentenced on `start`: (CRN, person,
/// event).
fn case_with_finished_order(app: &TestApp, start: NaiveDate) -> (String, Uuid, Uuid) {
    let crn = app.case_of("po.demo");
    let person = person_of(app, &crn);
    let mut conn = app.db.database.connection().unwrap();
    let event = finished_sentence(&mut conn, person, start, None, 3);
    (crn, person, event)
}

fn date_fields(name: &str, day: NaiveDate) -> Vec<(String, String)> {
    vec![
        (format!("{name}-day"), day.day().to_string()),
        (format!("{name}-month"), day.month().to_string()),
        (format!("{name}-year"), day.year().to_string()),
    ]
}

fn conviction_form(
    event: Uuid,
    offence_on: NaiveDate,
    convicted_on: NaiveDate,
) -> Vec<(String, String)> {
    let mut fields = vec![
        ("event".to_owned(), event.to_string()),
        ("offence".to_owned(), "Theft from a shop".to_owned()),
        ("offence_category".to_owned(), "theft_non_motor".to_owned()),
        (
            "court".to_owned(),
            "Midchester Magistrates' Court".to_owned(),
        ),
    ];
    fields.extend(date_fields("offence_on", offence_on));
    fields.extend(date_fields("convicted_on", convicted_on));
    fields
}

async fn post_conviction(
    app: &TestApp,
    session: &Session,
    crn: &str,
    fields: &[(String, String)],
) -> crate::support::Page {
    let form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post(&format!("/cases/{crn}/reoffending/new"), session, &form)
        .await
}

#[tokio::test]
async fn a_conviction_within_a_year_of_sentence_shows_as_proven_reoffending_on_the_case() {
    let app = TestApp::sqlite();
    let start = clock::today() - Duration::days(3 * 365);
    let (crn, person, event) = case_with_finished_order(&app, start);
    let session = app.sign_in("po.demo").await;

    let form = app
        .get(&format!("/cases/{crn}/reoffending/new"), Some(&session))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains(&event.to_string()),
        "the sentence is offered"
    );

    let offence_on = start + Duration::days(200);
    let saved = post_conviction(
        &app,
        &session,
        &crn,
        &conviction_form(event, offence_on, offence_on + Duration::days(60)),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let location = saved.location().unwrap().to_owned();
    assert_eq!(
        location,
        format!("/cases/{crn}/reoffending?recorded=conviction")
    );

    let page = app.get(&location, Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("The conviction has been recorded."));
    let card = page
        .body
        .split("data-testid=\"follow-up\"")
        .find(|card| card.contains("Theft from a shop") && card.contains("How it was worked out"))
        .expect("the finished order's follow-up is shown");
    assert!(card.contains("Proven reoffending"), "{card}");
    let offence_words = offence_on.format("%-d %B %Y").to_string();
    assert!(page.body.contains(&offence_words), "{offence_words}");
    assert!(
        page.body.contains("OGRS3:"),
        "the forecast beside the outcome"
    );

    let mut conn = app.db.database.connection().unwrap();
    let recorded = convictions::for_person(&mut conn, person).unwrap();
    assert!(recorded
        .iter()
        .any(|c| c.event_id == event && c.offence_on == offence_on));
    let audit = app.audit(AuditFilter {
        crn: Some(crn.clone()),
        ..Default::default()
    });
    assert!(audit
        .iter()
        .any(|row| row.action == "record_conviction" && row.detail.contains(&event.to_string())));
}

#[tokio::test]
async fn a_conviction_before_its_offence_or_an_offence_before_the_sentence_is_refused_and_nothing_is_written(
) {
    let app = TestApp::sqlite();
    let start = clock::today() - Duration::days(900);
    let (crn, person, event) = case_with_finished_order(&app, start);
    let session = app.sign_in("po.demo").await;
    let before = {
        let mut conn = app.db.database.connection().unwrap();
        convictions::for_person(&mut conn, person).unwrap().len()
    };

    let backwards = conviction_form(
        event,
        start + Duration::days(100),
        start + Duration::days(50),
    );
    let refused = post_conviction(&app, &session, &crn, &backwards).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&refused), ["convicted_on-day"]);
    assert!(refused
        .body
        .contains("The date of conviction must be on or after the date of the offence"));
    assert!(
        refused.body.contains("Theft from a shop"),
        "what was typed is kept"
    );

    let too_early = conviction_form(
        event,
        start - Duration::days(10),
        start + Duration::days(50),
    );
    let refused = post_conviction(&app, &session, &crn, &too_early).await;
    assert_eq!(error_fields(&refused), ["offence_on-day"]);
    assert!(
        refused.body.contains("before supervision began"),
        "{}",
        refused.body
    );

    let future = conviction_form(
        event,
        clock::today() + Duration::days(1),
        clock::today() + Duration::days(2),
    );
    let refused = post_conviction(&app, &session, &crn, &future).await;
    assert_eq!(
        error_fields(&refused),
        ["offence_on-day", "convicted_on-day"]
    );

    let empty = post_conviction(&app, &session, &crn, &[]).await;
    assert_eq!(
        error_fields(&empty),
        [
            "event",
            "offence",
            "offence_category",
            "offence_on-day",
            "convicted_on-day"
        ]
    );

    let mut conn = app.db.database.connection().unwrap();
    assert_eq!(
        convictions::for_person(&mut conn, person).unwrap().len(),
        before
    );
}

#[tokio::test]
async fn the_rates_count_a_recorded_conviction_and_the_calibration_shows_each_band() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let start = today - Duration::days(3 * 365);
    let (_, person, event) = case_with_finished_order(&app, start);
    {
        let mut conn = app.db.database.connection().unwrap();
        convicted(
            &mut conn,
            person,
            event,
            start + Duration::days(30),
            start + Duration::days(90),
            app.staff_id("po.demo"),
        );
    }
    let region = app.region.region.id;
    let expected = {
        let mut conn = app.db.database.connection().unwrap();
        let members = cohort::members(&mut conn, region, today).unwrap();
        cohort_rates(
            &members,
            CohortGrouping::StartYear,
            FollowUpPeriod::OneYear,
            &ReoffendingRules::default(),
            today,
        )
    };
    let year = expected
        .iter()
        .find(|rate| rate.label == start.year().to_string())
        .expect("the sentence's year is a cohort");
    assert!(year.proportion.count >= 1);

    let quality = app.sign_in_as(Grade::QualityInspection).await;
    let page = app
        .get("/reoffending?by=year&period=1", Some(&quality))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let row = page
        .body
        .split("<tr class=\"govuk-table__row\">")
        .find(|row| row.contains(&format!(">{}</th>", start.year())))
        .expect("the year's row");
    assert!(
        row.contains(&format!(">{}</td>", year.proportion.of))
            && row.contains(&format!(">{}</td>", year.proportion.count)),
        "{row}"
    );
    assert!(page.body.contains("data-testid=\"rates-chart\""));

    let calibration = app
        .get(
            "/reoffending/calibration?predictor=ogrs3&period=2",
            Some(&quality),
        )
        .await;
    assert_eq!(calibration.status, StatusCode::OK);
    for band in [
        "Low (0–49%)",
        "Medium (50–74%)",
        "High (75–89%)",
        "Very high (90–99%)",
    ] {
        assert!(calibration.body.contains(band), "{band}");
    }
    assert!(calibration
        .body
        .contains("data-testid=\"calibration-chart\""));
    let audit = app.audit(AuditFilter::default());
    assert!(audit
        .iter()
        .any(|row| row.action == "view_predictor_calibration"));
}

#[tokio::test]
async fn practitioners_victim_liaison_and_administrators_are_refused_the_region_rates_and_it_is_audited(
) {
    let app = TestApp::sqlite();
    for grade in [
        Grade::ProbationOfficer,
        Grade::VictimLiaisonOfficer,
        Grade::Administrator,
    ] {
        let session = app.sign_in_as(grade).await;
        for path in ["/reoffending", "/reoffending/calibration"] {
            let page = app.get(path, Some(&session)).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{grade:?} {path}");
        }
    }
    let refusals = app.audit(AuditFilter::default());
    assert!(
        refusals
            .iter()
            .any(|row| row.outcome == "refused" && row.detail.contains("/reoffending")),
        "{refusals:?}"
    );
    let head = app.sign_in_as(Grade::HeadOfPdu).await;
    assert_eq!(
        app.get("/reoffending", Some(&head)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn quality_staff_may_read_a_cases_reoffending_but_not_record_a_conviction() {
    let app = TestApp::sqlite();
    let (crn, _, event) = case_with_finished_order(&app, clock::today() - Duration::days(800));
    let quality = app.sign_in_as(Grade::QualityInspection).await;
    let page = app
        .get(&format!("/cases/{crn}/reoffending"), Some(&quality))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Record a conviction"));
    let refused = post_conviction(
        &app,
        &quality,
        &crn,
        &conviction_form(
            event,
            clock::today() - Duration::days(500),
            clock::today() - Duration::days(400),
        ),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
