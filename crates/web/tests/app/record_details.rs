//! Keeping the record current: personal details, the date of birth corrected with a reason,
//! aliases, disabilities, personal contacts, and registrations added, reviewed and ended — each
//! change audit-logged with before and after, each refusal naming its field, and the
//! consequences (review tasks, tiers and predictors recomputed) in the same transaction.

use crate::support::{Page, Session, TestApp};
use axum::http::StatusCode;
use chrono::{Duration, NaiveDate};
use keepsafe_domain::registration::{RegistrationDetail, RegistrationKind};
use keepsafe_domain::review::ReviewTrigger;
use keepsafe_storage::audit::{AuditFilter, AuditRecord, Outcome};
use keepsafe_storage::cases::registrations::{self, NewRegistration};
use keepsafe_storage::cases::{details, record as case_record, tasks};
use keepsafe_storage::risk::scores;
use keepsafe_storage::testing::Backend;
use keepsafe_storage::transaction;
use keepsafe_test_support::clock;
use uuid::Uuid;

macro_rules! on_both_backends {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            use super::*;

            async fn check($app: TestApp) $body

            #[tokio::test]
            async fn on_sqlite() {
                check(TestApp::new(Backend::Sqlite)).await;
            }

            #[tokio::test]
            async fn on_postgres() {
                check(TestApp::new(Backend::Postgres)).await;
            }
        }
    };
}

/// A case of po.demo's with no registration in force (any the demo gave it are ended first), so
/// what a test adds is all there is, and an assessment in force for a change to call a review of.
pub(crate) fn clean_case(app: &TestApp) -> (String, Uuid) {
    let crn = app.case_of("po.demo");
    let by = app.staff_id("po.demo");
    let mut conn = app.db.database.connection().unwrap();
    let person = case_record::locate(&mut conn, &crn)
        .unwrap()
        .unwrap()
        .person_id;
    transaction::write(&mut conn, |conn| {
        for entry in registrations::for_person(conn, person)? {
            if entry.ended_on.is_none() {
                registrations::end(conn, person, entry.id, "Test set-up", by, clock::now())?;
            }
        }
        // A registration's review task is for an assessment in force.
        keepsafe_test_support::risk::assessment_in_force(conn, person, by)?;
        Ok::<_, keepsafe_storage::StorageError>(())
    })
    .unwrap();
    (crn, person)
}

/// Adds a registration directly, as another page or an import would have.
fn registration(
    app: &TestApp,
    person: Uuid,
    kind: RegistrationKind,
    registered_on: NaiveDate,
    next_review_on: NaiveDate,
) -> Uuid {
    let mut conn = app.db.database.connection().unwrap();
    let new = NewRegistration {
        detail: RegistrationDetail::new(kind, None, None).unwrap(),
        registered_on,
        next_review_on,
        notes: String::new(),
    };
    transaction::write(&mut conn, |conn| {
        registrations::add(conn, person, &new, app.staff_id("po.demo"), clock::now())
    })
    .unwrap()
    .0
}

fn last_audit(app: &TestApp, crn: &str, action: &str) -> AuditRecord {
    app.audit(AuditFilter {
        crn: Some(crn.to_owned()),
        ..Default::default()
    })
    .into_iter()
    .find(|r| r.action == action)
    .unwrap_or_else(|| panic!("an audit row for {action}"))
}

/// The error summary's links, by field id.
pub(crate) fn error_fields(page: &Page) -> Vec<String> {
    page.body
        .split("<li><a href=\"#")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

async fn post(app: &TestApp, session: &Session, path: &str, form: &[(&str, &str)]) -> Page {
    app.post(path, session, form).await
}

fn saved_to(page: &Page, crn: &str, changed: &str) {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.location().unwrap_or_default();
    assert!(
        location.starts_with(&format!("/cases/{crn}?changed={changed}")),
        "{location}"
    );
}

on_both_backends!(
    changing_personal_details_is_audited_with_before_and_after_and_shown_with_a_banner,
    |app| {
        let (crn, _) = clean_case(&app);
        let session = app.sign_in("po.demo").await;
        let path = format!("/cases/{crn}/personal-details");
        let form = app.get(&path, Some(&session)).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("govuk-back-link"), "a back link");
        let person = app.region.people.iter().find(|p| p.crn == crn).unwrap();
        let page = post(
            &app,
            &session,
            &path,
            &[
                ("first_name", &person.first_name),
                ("last_name", &person.last_name),
                ("preferred_name", "Sammy"),
                ("gender", "self_describe"),
                ("gender_self_description", "Genderfluid"),
                ("telephone", "01632 960 001"),
                ("mobile", "+44 7700 900 982"),
                ("email", "sammy@example.com"),
                ("preferred_language", "Polish"),
                ("interpreter_needed", "yes"),
            ],
        )
        .await;
        saved_to(&page, &crn, "personal-details");
        let audit = last_audit(&app, &crn, "change_personal_details");
        assert!(
            audit.detail.contains(r#"preferred_name: "" → "Sammy""#),
            "{}",
            audit.detail
        );
        assert!(audit.detail.contains(r#"mobile: "" → "07700900982""#));
        assert!(audit
            .detail
            .contains(r#"interpreter_needed: "false" → "true""#));
        assert!(
            !audit.detail.contains("first_name"),
            "unchanged fields are not listed: {}",
            audit.detail
        );

        let record = app.get(page.location().unwrap(), Some(&session)).await;
        assert!(record.body.contains("record-changed-banner"));
        assert!(record.body.contains("Personal details updated."));
        for shown in [
            "Sammy",
            "Genderfluid",
            "07700900982",
            "Polish; needs an interpreter",
        ] {
            assert!(record.body.contains(shown), "the record shows {shown}");
        }
    }
);

#[tokio::test]
async fn each_refused_personal_detail_is_named_and_everything_typed_is_kept() {
    let app = TestApp::sqlite();
    let (crn, person) = clean_case(&app);
    let session = app.sign_in("po.demo").await;
    let page = post(
        &app,
        &session,
        &format!("/cases/{crn}/personal-details"),
        &[
            ("first_name", ""),
            ("last_name", "Smith"),
            ("gender", "self_describe"),
            ("telephone", "12345"),
            ("mobile", "01632 960 001"),
            ("email", "not-an-email"),
            ("interpreter_needed", "yes"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_fields(&page),
        [
            "first_name",
            "gender_self_description",
            "telephone",
            "mobile",
            "email",
            "preferred_language"
        ]
    );
    assert!(page.body.contains("<title>Error: "));
    assert!(page.body.contains("Enter the first name"));
    assert!(page.body.contains("Enter a UK mobile phone number"));
    assert!(
        page.body.contains("value=\"not-an-email\""),
        "typed text is kept"
    );
    let mut conn = app.db.database.connection().unwrap();
    let stored = details::personal_details(&mut conn, person).unwrap();
    assert_ne!(stored.last_name, "", "nothing was saved");
    assert_eq!(stored.email, None);
}

on_both_backends!(
    a_date_of_birth_is_corrected_only_with_a_reason_and_the_predictors_are_worked_out_again,
    |app| {
        let (crn, person) = clean_case(&app);
        let session = app.sign_in("po.demo").await;
        let path = format!("/cases/{crn}/date-of-birth");
        let before = {
            let mut conn = app.db.database.connection().unwrap();
            details::date_of_birth(&mut conn, person).unwrap()
        };
        let corrected = before - Duration::days(365 * 5);
        let day = corrected.format("%d").to_string();
        let month = corrected.format("%m").to_string();
        let year = corrected.format("%Y").to_string();
        let without_reason = post(
            &app,
            &session,
            &path,
            &[
                ("date_of_birth-day", &day),
                ("date_of_birth-month", &month),
                ("date_of_birth-year", &year),
                ("reason", "  "),
            ],
        )
        .await;
        assert_eq!(without_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error_fields(&without_reason), ["reason"]);
        assert!(without_reason
            .body
            .contains("Enter why the date of birth is being corrected"));

        let too_young = post(
            &app,
            &session,
            &path,
            &[
                ("date_of_birth-day", "1"),
                ("date_of_birth-month", "1"),
                ("date_of_birth-year", "2020"),
                ("reason", "Passport"),
            ],
        )
        .await;
        assert_eq!(error_fields(&too_young), ["date_of_birth-day"]);

        let saved = post(
            &app,
            &session,
            &path,
            &[
                ("date_of_birth-day", &day),
                ("date_of_birth-month", &month),
                ("date_of_birth-year", &year),
                ("reason", "Passport seen at induction"),
            ],
        )
        .await;
        saved_to(&saved, &crn, "date-of-birth");
        let audit = last_audit(&app, &crn, "correct_date_of_birth");
        assert!(
            audit
                .detail
                .contains(&format!("date_of_birth: \"{before}\" → \"{corrected}\"")),
            "{}",
            audit.detail
        );
        assert!(audit.detail.contains("Passport seen at induction"));
        let mut conn = app.db.database.connection().unwrap();
        assert_eq!(
            details::date_of_birth(&mut conn, person).unwrap(),
            corrected
        );
        let kept = details::corrections(&mut conn, person).unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].reason, "Passport seen at induction");
        let ogrs3 = scores::for_person(&mut conn, person).unwrap().ogrs3;
        assert!(!ogrs3.is_empty(), "the case has an active event");
        let input = format!("Date of birth: {}", corrected.format("%-d %B %Y"));
        assert!(
            ogrs3[0].inputs.contains(&input),
            "OGRS3 was worked out again from {input}: {:?}",
            ogrs3[0].inputs
        );
        let record = app.get(saved.location().unwrap(), Some(&session)).await;
        assert!(record.body.contains("Passport seen at induction"));
    }
);

#[tokio::test]
async fn aliases_disabilities_and_personal_contacts_are_added_changed_and_ended() {
    let app = TestApp::sqlite();
    let (crn, _) = clean_case(&app);
    let session = app.sign_in("po.demo").await;

    let refused = post(&app, &session, &format!("/cases/{crn}/aliases/new"), &[]).await;
    assert_eq!(error_fields(&refused), ["first_name", "last_name"]);
    let added = post(
        &app,
        &session,
        &format!("/cases/{crn}/aliases/new"),
        &[("first_name", "Jo"), ("last_name", "Blogs")],
    )
    .await;
    saved_to(&added, &crn, "alias-added");
    assert!(last_audit(&app, &crn, "add_alias")
        .detail
        .contains("Jo Blogs"));
    let record = app.get(&format!("/cases/{crn}"), Some(&session)).await;
    assert!(record.body.contains("Jo Blogs"));
    let alias = record
        .body
        .split(&format!("/cases/{crn}/aliases/"))
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("an end button for the alias")
        .to_owned();
    let ended = post(
        &app,
        &session,
        &format!("/cases/{crn}/aliases/{alias}/end"),
        &[],
    )
    .await;
    saved_to(&ended, &crn, "alias-ended");
    assert!(last_audit(&app, &crn, "end_alias")
        .detail
        .contains(&format!("ended_on: \"\" → \"{}\"", clock::today())));
    let again = post(
        &app,
        &session,
        &format!("/cases/{crn}/aliases/{alias}/end"),
        &[],
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "an alias ends once");

    let refused = post(
        &app,
        &session,
        &format!("/cases/{crn}/disabilities/new"),
        &[
            ("kind", "other"),
            ("start-day", "1"),
            ("start-month", "1"),
            ("start-year", "2099"),
        ],
    )
    .await;
    assert_eq!(error_fields(&refused), ["details", "start-day"]);
    let added = post(
        &app,
        &session,
        &format!("/cases/{crn}/disabilities/new"),
        &[
            ("kind", "hearing"),
            (
                "adjustments",
                "Appointments in the quiet room; a hearing loop",
            ),
            ("start-day", "1"),
            ("start-month", "11"),
            ("start-year", "2026"),
        ],
    )
    .await;
    saved_to(&added, &crn, "disability-added");
    assert!(last_audit(&app, &crn, "add_disability")
        .detail
        .contains(r#"adjustments: "" → "Appointments in the quiet room; a hearing loop""#));

    let refused = post(
        &app,
        &session,
        &format!("/cases/{crn}/personal-contacts/new"),
        &[("kind", "gp"), ("name", "Dr Patel"), ("email", "nope")],
    )
    .await;
    assert_eq!(error_fields(&refused), ["email"]);
    let unreachable = post(
        &app,
        &session,
        &format!("/cases/{crn}/personal-contacts/new"),
        &[("kind", "gp"), ("name", "Dr Patel")],
    )
    .await;
    assert_eq!(error_fields(&unreachable), ["telephone"]);
    let added = post(
        &app,
        &session,
        &format!("/cases/{crn}/personal-contacts/new"),
        &[
            ("kind", "gp"),
            ("name", "Dr Patel"),
            ("relationship", "Riverside Surgery"),
            ("telephone", "01632 960 123"),
        ],
    )
    .await;
    saved_to(&added, &crn, "contact-added");
    let record = app.get(&format!("/cases/{crn}"), Some(&session)).await;
    assert!(record.body.contains("GP: Dr Patel"));
    let contact = record
        .body
        .split(&format!("/cases/{crn}/personal-contacts/"))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a change link for the contact")
        .to_owned();
    let form = app
        .get(
            &format!("/cases/{crn}/personal-contacts/{contact}"),
            Some(&session),
        )
        .await;
    assert!(
        form.body.contains("value=\"Riverside Surgery\""),
        "filled in"
    );
    let changed = post(
        &app,
        &session,
        &format!("/cases/{crn}/personal-contacts/{contact}"),
        &[
            ("kind", "gp"),
            ("name", "Dr Patel"),
            ("relationship", "Hillside Surgery"),
            ("telephone", "01632 960 123"),
        ],
    )
    .await;
    saved_to(&changed, &crn, "contact-changed");
    let audit = last_audit(&app, &crn, "change_personal_contact");
    assert!(
        audit
            .detail
            .contains(r#"relationship: "Riverside Surgery" → "Hillside Surgery""#),
        "{}",
        audit.detail
    );
    let ended = post(
        &app,
        &session,
        &format!("/cases/{crn}/personal-contacts/{contact}/end"),
        &[],
    )
    .await;
    saved_to(&ended, &crn, "contact-ended");
    let record = app.get(ended.location().unwrap(), Some(&session)).await;
    assert!(record.body.contains("Personal contact ended."));
    assert!(record.body.contains("GP: Dr Patel (ended)"));
}

on_both_backends!(
    domestic_abuse_and_child_protection_registrations_create_review_tasks_and_recompute_the_tier,
    |app| {
        let (crn, person) = clean_case(&app);
        // Child protection adds complexity points to the legacy tier (reference §10).
        let factor = "Registration: Child protection concern";
        let has_factor = |app: &TestApp| {
            let mut conn = app.db.database.connection().unwrap();
            let tier = scores::for_person(&mut conn, person).unwrap().tier.unwrap();
            tier.factors.iter().any(|f| f.factor == factor)
        };
        assert!(!has_factor(&app), "no registration in force yet");
        let session = app.sign_in("po.demo").await;
        let today = clock::today();
        let page = post(
            &app,
            &session,
            &format!("/cases/{crn}/registrations/new"),
            &[
                ("kind", "domestic_abuse_perpetrator"),
                ("registered-day", &today.format("%d").to_string()),
                ("registered-month", &today.format("%m").to_string()),
                ("registered-year", &today.format("%Y").to_string()),
            ],
        )
        .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let due = keepsafe_domain::review::ReviewRules::default()
            .due(ReviewTrigger::DomesticAbuseIncident, today);
        assert_eq!(
            page.location().unwrap(),
            format!("/cases/{crn}?changed=registration-added&review_due={due}#flags")
        );
        let mut conn = app.db.database.connection().unwrap();
        let task = tasks::for_person(&mut conn, person)
            .unwrap()
            .into_iter()
            .find(|t| t.details == "Domestic abuse perpetrator registered")
            .expect("a review task");
        assert_eq!(task.trigger, ReviewTrigger::DomesticAbuseIncident);
        assert_eq!(task.due_on, due);
        let entry = registrations::for_person(&mut conn, person)
            .unwrap()
            .into_iter()
            .find(|r| r.ended_on.is_none())
            .unwrap();
        assert_eq!(
            entry.next_review_on,
            Some(today + Duration::weeks(26)),
            "left blank, the review is proposed at 26 weeks"
        );
        let audit = last_audit(&app, &crn, "add_registration");
        assert!(
            audit.detail.contains("domestic_abuse_perpetrator")
                && audit.detail.contains(&format!("review due {due}")),
            "{}",
            audit.detail
        );
        let record = app.get(page.location().unwrap(), Some(&session)).await;
        assert!(record
            .body
            .contains("A review of the risk assessment is due by"));

        let page = post(
            &app,
            &session,
            &format!("/cases/{crn}/registrations/new"),
            &[
                ("kind", "child_protection"),
                ("registered-day", &today.format("%d").to_string()),
                ("registered-month", &today.format("%m").to_string()),
                ("registered-year", &today.format("%Y").to_string()),
            ],
        )
        .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert!(has_factor(&app), "the tier was worked out again");
        let triggers: Vec<ReviewTrigger> = tasks::for_person(&mut conn, person)
            .unwrap()
            .into_iter()
            .map(|t| t.trigger)
            .collect();
        assert!(triggers.contains(&ReviewTrigger::ChildProtectionRegistration));
    }
);

#[tokio::test]
async fn mappa_needs_a_category_and_level_and_a_review_within_its_cadence() {
    let app = TestApp::sqlite();
    let (crn, person) = clean_case(&app);
    let session = app.sign_in("po.demo").await;
    let today = clock::today();
    let date = |prefix: &'static str, day: NaiveDate| {
        vec![
            (format!("{prefix}-day"), day.format("%d").to_string()),
            (format!("{prefix}-month"), day.format("%m").to_string()),
            (format!("{prefix}-year"), day.format("%Y").to_string()),
        ]
    };
    let send = |extra: Vec<(String, String)>| {
        let mut pairs = vec![("kind".to_owned(), "mappa".to_owned())];
        pairs.extend(date("registered", today));
        pairs.extend(extra);
        pairs
    };
    let missing = send(vec![]);
    let refs: Vec<(&str, &str)> = missing
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let page = post(
        &app,
        &session,
        &format!("/cases/{crn}/registrations/new"),
        &refs,
    )
    .await;
    assert_eq!(error_fields(&page), ["mappa_category", "mappa_level"]);

    let mut late = vec![
        ("mappa_category".to_owned(), "2".to_owned()),
        ("mappa_level".to_owned(), "3".to_owned()),
    ];
    late.extend(date("next_review", today + Duration::weeks(9)));
    let late = send(late);
    let refs: Vec<(&str, &str)> = late.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let page = post(
        &app,
        &session,
        &format!("/cases/{crn}/registrations/new"),
        &refs,
    )
    .await;
    assert_eq!(error_fields(&page), ["next_review-day"]);
    assert!(
        page.body
            .contains("MAPPA level 3 cases must be reviewed at least every 8 weeks"),
        "{}",
        page.body
    );

    let ok = send(vec![
        ("mappa_category".to_owned(), "2".to_owned()),
        ("mappa_level".to_owned(), "3".to_owned()),
    ]);
    let refs: Vec<(&str, &str)> = ok.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let page = post(
        &app,
        &session,
        &format!("/cases/{crn}/registrations/new"),
        &refs,
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let mut conn = app.db.database.connection().unwrap();
    let entry = registrations::for_person(&mut conn, person)
        .unwrap()
        .into_iter()
        .find(|r| r.ended_on.is_none())
        .unwrap();
    assert_eq!(entry.next_review_on, Some(today + Duration::weeks(8)));
    let tier = scores::for_person(&mut conn, person).unwrap().tier.unwrap();
    assert!(tier.notes.iter().any(|n| n.starts_with("MAPPA: level 3")));
    let mappa_tasks = |conn: &mut keepsafe_storage::AnyConnection| {
        tasks::for_person(conn, person)
            .unwrap()
            .into_iter()
            .filter(|t| t.trigger == ReviewTrigger::MappaChange)
            .count()
    };
    assert_eq!(mappa_tasks(&mut conn), 1);

    // A review lowering the level to 2 is a MAPPA change: a new task, the 16-week cadence.
    let review = format!("/cases/{crn}/registrations/{}/review", entry.id);
    let form = app.get(&review, Some(&session)).await;
    assert_eq!(form.status, StatusCode::OK);
    let mut pairs = vec![
        ("mappa_category".to_owned(), "2".to_owned()),
        ("mappa_level".to_owned(), "2".to_owned()),
        ("notes".to_owned(), String::new()),
    ];
    pairs.extend(date("reviewed", today));
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let page = post(&app, &session, &review, &refs).await;
    assert_eq!(
        error_fields(&page),
        ["notes"],
        "a review says what it found"
    );
    pairs[2].1 = "Panel agreed level 2".into();
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let page = post(&app, &session, &review, &refs).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let entry = registrations::registration(&mut conn, person, entry.id).unwrap();
    assert_eq!(entry.next_review_on, Some(today + Duration::weeks(16)));
    assert_eq!(entry.reviews.len(), 1);
    assert_eq!(mappa_tasks(&mut conn), 2);
    let audit = last_audit(&app, &crn, "review_registration");
    assert!(
        audit.detail.contains(r#"mappa_level: "3" → "2""#),
        "{}",
        audit.detail
    );

    // Ending needs a reason; then the MAPPA level no longer counts for the tier.
    let end = format!("/cases/{crn}/registrations/{}/end", entry.id);
    let page = post(&app, &session, &end, &[("reason", "")]).await;
    assert_eq!(error_fields(&page), ["reason"]);
    let page = post(
        &app,
        &session,
        &end,
        &[("reason", "MAPPA management ended by the panel")],
    )
    .await;
    saved_to(&page, &crn, "registration-ended");
    let tier = scores::for_person(&mut conn, person).unwrap().tier.unwrap();
    assert!(!tier.notes.iter().any(|n| n.starts_with("MAPPA: level")));
    let ended = registrations::registration(&mut conn, person, entry.id).unwrap();
    assert_eq!(
        ended.end_reason.as_deref(),
        Some("MAPPA management ended by the panel")
    );
    assert!(last_audit(&app, &crn, "end_registration")
        .detail
        .contains("MAPPA management ended by the panel"));
}

#[tokio::test]
async fn a_flag_whose_review_date_has_come_is_a_task_linking_to_its_review() {
    let app = TestApp::sqlite();
    let (crn, person) = clean_case(&app);
    let today = clock::today();
    let overdue = registration(
        &app,
        person,
        RegistrationKind::Stalking,
        today - Duration::weeks(30),
        today - Duration::days(3),
    );
    let later = registration(
        &app,
        person,
        RegistrationKind::Vulnerability,
        today - Duration::weeks(1),
        today + Duration::weeks(10),
    );
    let session = app.sign_in("po.demo").await;
    let page = app.get("/tasks", Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK);
    let section = page
        .body
        .split("data-testid=\"flags-to-review\"")
        .nth(1)
        .expect("a flags to review table")
        .split("</table>")
        .next()
        .unwrap();
    assert!(section.contains("Review the Stalking registration"));
    assert!(section.contains(&format!("/cases/{crn}/registrations/{overdue}/review")));
    assert!(section.contains("Overdue by 3 days"), "{section}");
    assert!(
        !section.contains(&later.to_string()),
        "a review not yet due is not a task"
    );
    let record = app.get(&format!("/cases/{crn}"), Some(&session)).await;
    assert!(record.body.contains("Overdue by 3 days"));

    // Reviewing it takes it off the list.
    let mut pairs = vec![("notes", "Still needed")];
    let (d, m, y) = (
        today.format("%d").to_string(),
        today.format("%m").to_string(),
        today.format("%Y").to_string(),
    );
    pairs.extend([
        ("reviewed-day", d.as_str()),
        ("reviewed-month", m.as_str()),
        ("reviewed-year", y.as_str()),
    ]);
    let page = post(
        &app,
        &session,
        &format!("/cases/{crn}/registrations/{overdue}/review"),
        &pairs,
    )
    .await;
    saved_to(&page, &crn, "registration-reviewed");
    let page = app.get("/tasks", Some(&session)).await;
    assert!(!page.body.contains(&overdue.to_string()));
}

on_both_backends!(
    another_teams_practitioner_cannot_change_the_record_and_the_refusal_is_audited,
    |app| {
        let (crn, person) = clean_case(&app);
        let flag = registration(
            &app,
            person,
            RegistrationKind::Stalking,
            clock::today(),
            clock::today() + Duration::weeks(4),
        );
        let outsider = app.sign_in("po.other").await;
        for path in [
            format!("/cases/{crn}/personal-details"),
            format!("/cases/{crn}/date-of-birth"),
            format!("/cases/{crn}/registrations/new"),
            format!("/cases/{crn}/registrations/{flag}/end"),
        ] {
            let page = app.get(&path, Some(&outsider)).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "GET {path}");
            let page = post(&app, &outsider, &path, &[("reason", "x")]).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "POST {path}");
        }
        let refusals = app.audit(AuditFilter {
            actor: Some("po.other".into()),
            outcome: Some(Outcome::Refused),
            ..Default::default()
        });
        for action in [
            "change_personal_details",
            "correct_date_of_birth",
            "add_registration",
            "end_registration",
        ] {
            assert!(
                refusals
                    .iter()
                    .any(|r| r.action == action && r.crn.as_deref() == Some(crn.as_str())),
                "the refusal of {action} is audited"
            );
        }
        let mut conn = app.db.database.connection().unwrap();
        let entry = registrations::registration(&mut conn, person, flag).unwrap();
        assert_eq!(entry.ended_on, None, "nothing changed");
    }
);

#[tokio::test]
async fn read_only_roles_see_the_record_without_change_links() {
    let app = TestApp::sqlite();
    let (crn, _) = clean_case(&app);
    let quality = app.sign_in("quality.demo").await;
    let record = app.get(&format!("/cases/{crn}"), Some(&quality)).await;
    assert_eq!(record.status, StatusCode::OK);
    assert!(record.body.contains("id=\"personal-details\""));
    assert!(!record
        .body
        .contains(&format!("/cases/{crn}/personal-details")));
    assert!(!record.body.contains("data-testid=\"add-registration\""));
    let page = app
        .get(&format!("/cases/{crn}/personal-details"), Some(&quality))
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}

/// Fills in the path parameters of this area's routes with records of po.demo's case, made for
/// the route walk (`route_rules::concrete`).
pub(crate) fn fill(app: &TestApp, path: &str) -> String {
    if !(path.contains("{alias}")
        || path.contains("{disability}")
        || path.contains("{personal_contact}")
        || path.contains("{registration}"))
    {
        return path.to_owned();
    }
    let crn = app.case_of("po.demo");
    let by = app.staff_id("po.demo");
    let now = clock::now();
    let mut conn = app.db.database.connection().unwrap();
    let person = case_record::locate(&mut conn, &crn)
        .unwrap()
        .unwrap()
        .person_id;
    let (alias, disability, contact) = transaction::write(&mut conn, |conn| {
        let alias = details::add_alias(
            conn,
            person,
            &details::NewAlias {
                first_name: "Route".into(),
                last_name: "Walk".into(),
                date_of_birth: None,
            },
            by,
            now,
        )?;
        let disability = details::add_disability(
            conn,
            person,
            &details::NewDisability {
                kind: keepsafe_domain::person::DisabilityKind::Hearing,
                details: String::new(),
                adjustments: String::new(),
                start_date: clock::today(),
            },
            by,
            now,
        )?;
        let contact = details::add_personal_contact(
            conn,
            person,
            &details::PersonalContactFields {
                kind: keepsafe_domain::person::PersonalContactKind::NextOfKin,
                name: "Route Walk".into(),
                relationship: String::new(),
                telephone: Some("01632960001".into()),
                email: None,
                address: String::new(),
                notes: String::new(),
            },
            by,
            now,
        )?;
        Ok::<_, keepsafe_storage::StorageError>((alias, disability, contact))
    })
    .unwrap();
    drop(conn);
    let flag = registration(
        app,
        person,
        RegistrationKind::Stalking,
        clock::today(),
        clock::today() + Duration::weeks(4),
    );
    path.replace("{alias}", &alias.to_string())
        .replace("{disability}", &disability.to_string())
        .replace("{personal_contact}", &contact.to_string())
        .replace("{registration}", &flag.to_string())
}
