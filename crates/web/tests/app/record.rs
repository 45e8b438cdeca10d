//! Keeping the case record current — addresses and household — and what follows by itself: the
//! tiers recomputed, a review task when an assessment is in force, and the police and
//! children's-services checks offered again until one click sends both.

use crate::support::{today, Session, TestApp};
use axum::http::StatusCode;
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use keepsafe_domain::address::AddressStatus;
use keepsafe_domain::checks::CheckKind;
use keepsafe_domain::review::{ReviewRules, ReviewTrigger};
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_storage::cases::record::{self as case_record, AddressRecord};
use keepsafe_storage::cases::tasks as review_tasks;
use keepsafe_storage::risk::{checks, scores};
use keepsafe_storage::schema::{addresses, events, household_members, people};
use keepsafe_storage::{transaction, StorageError};
use keepsafe_test_support::clock;
use uuid::Uuid;

/// A case of po.demo's made ready for a move: a woman (so the tier notes the children living
/// with her) supervised for months, at her main address since at least a year ago, nobody else in the household, an
/// assessment in force, and both checks asked ten days ago about her address — so nothing is
/// offered until her circumstances change. Her tiers were last worked out an hour before the
/// tests' clock.
pub(crate) struct SettledCase {
    pub crn: String,
    pub person: Uuid,
    /// Her main address.
    pub home: Uuid,
}

/// The day the checks of a [`SettledCase`] were asked for.
pub(crate) fn checks_asked_on() -> NaiveDate {
    today() - Duration::days(10)
}

pub(crate) fn settled_case(app: &TestApp) -> SettledCase {
    let crn = app.case_of("po.demo");
    let by = app.staff_id("po.demo");
    let mut conn = app.db.database.connection().unwrap();
    let case = case_record::locate(&mut conn, &crn).unwrap().unwrap();
    let person = case.person_id;
    let key = person.to_string();
    let home = transaction::write(&mut conn, |conn| {
        diesel::update(people::table.find(&key))
            .set(people::sex.eq("female"))
            .execute(conn)?;
        diesel::delete(household_members::table.filter(household_members::person_id.eq(&key)))
            .execute(conn)?;
        // Supervised for months: the changes the tests make happen during the supervision.
        let begun = today() - Duration::days(180);
        diesel::update(
            events::table
                .filter(events::person_id.eq(&key))
                .filter(events::active.eq(true))
                .filter(events::sentence_date.gt(begun)),
        )
        .set(events::sentence_date.eq(Some(begun)))
        .execute(conn)?;
        let lived_in: Vec<AddressRecord> = case_record::addresses(conn, person)?
            .into_iter()
            .filter(|a| {
                a.end_date.is_none()
                    && !matches!(a.status, AddressStatus::Proposed | AddressStatus::Secondary)
            })
            .collect();
        let (home, others) = lived_in.split_first().expect("the person has a home");
        let since = home.start_date.min(today() - Duration::days(365));
        diesel::update(addresses::table.find(home.id.to_string()))
            .set((
                addresses::status.eq("main"),
                addresses::start_date.eq(since),
            ))
            .execute(conn)?;
        for other in others {
            diesel::update(addresses::table.find(other.id.to_string()))
                .set((
                    addresses::status.eq("previous"),
                    addresses::end_date.eq(Some(since)),
                ))
                .execute(conn)?;
        }
        keepsafe_test_support::risk::assessment_in_force(conn, person, by)?;
        let address = case_record::current_address(conn, person, today())?.unwrap();
        for kind in [CheckKind::PoliceDomesticAbuse, CheckKind::ChildrensServices] {
            checks::request(
                conn,
                &checks::NewCheck {
                    person_id: person,
                    kind: kind.into(),
                    address_id: Some(address.id),
                    address_description: address.description.clone(),
                    requested_on: checks_asked_on(),
                    deadline: today() + Duration::days(5),
                    deadline_rule: "test".into(),
                    requested_by: by,
                },
                clock::now(),
            )?;
        }
        scores::recompute(conn, &[person], today(), clock::now() - Duration::hours(1))?;
        Ok::<_, StorageError>(home.id)
    })
    .unwrap();
    SettledCase { crn, person, home }
}

/// Fills the path parameters this area adds, for the route walk: a proposed address and a
/// household member of po.demo's case (made once per test app).
pub(crate) fn fill(app: &TestApp, path: &str) -> String {
    let mut path = path.to_owned();
    if !path.contains("{address}") && !path.contains("{member}") {
        return path;
    }
    let crn = app.case_of("po.demo");
    let mut conn = app.db.database.connection().unwrap();
    let person = case_record::locate(&mut conn, &crn)
        .unwrap()
        .unwrap()
        .person_id;
    if path.contains("{address}") {
        // Not one an address suitability check holds: that one cannot be ended here.
        let held =
            keepsafe_storage::cases::addresses::under_address_check(&mut conn, person).unwrap();
        let proposed = case_record::addresses(&mut conn, person)
            .unwrap()
            .into_iter()
            .find(|a| {
                a.status == AddressStatus::Proposed && a.end_date.is_none() && !held.contains(&a.id)
            })
            .map(|a| a.id);
        let id = proposed.unwrap_or_else(|| {
            transaction::write(&mut conn, |conn| {
                keepsafe_storage::cases::addresses::propose(conn, person, &proposed_address())
            })
            .unwrap()
            .id
        });
        path = path.replace("{address}", &id.to_string());
    }
    if path.contains("{member}") {
        let member = case_record::household(&mut conn, person)
            .unwrap()
            .into_iter()
            .find(|m| m.end_date.is_none())
            .map(|m| m.id);
        let id = member.unwrap_or_else(|| {
            transaction::write(&mut conn, |conn| {
                keepsafe_storage::cases::household::add(
                    conn,
                    person,
                    &keepsafe_storage::cases::household::NewMember {
                        first_name: "Robin".into(),
                        last_name: "Hale".into(),
                        relationship: keepsafe_domain::household::Relationship::Sibling,
                        date_of_birth: None,
                        joined_on: today() - Duration::days(100),
                    },
                )
            })
            .unwrap()
            .id
        });
        path = path.replace("{member}", &id.to_string());
    }
    path
}

fn proposed_address() -> keepsafe_storage::cases::addresses::NewAddress {
    keepsafe_storage::cases::addresses::NewAddress {
        line1: "4 Orchard Row".into(),
        line2: None,
        town: "Midchester".into(),
        postcode: keepsafe_domain::address::Postcode::parse("MC1 4ZZ").unwrap(),
        start_date: today() - Duration::days(2),
    }
}

fn date_fields(name: &str, day: NaiveDate) -> [(String, String); 3] {
    [
        (format!("{name}-day"), day.format("%-d").to_string()),
        (format!("{name}-month"), day.format("%-m").to_string()),
        (format!("{name}-year"), day.format("%Y").to_string()),
    ]
}

async fn post(
    app: &TestApp,
    path: &str,
    session: &Session,
    fields: &[(String, String)],
) -> crate::support::Page {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post(path, session, &pairs).await
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Proposes 4 Orchard Row through the form; returns its id.
async fn propose(app: &TestApp, case: &SettledCase, session: &Session, start: NaiveDate) -> Uuid {
    let mut fields = owned(&[
        ("line1", "4 Orchard Row"),
        ("line2", ""),
        ("town", "Midchester"),
        ("postcode", "mc14zz"),
    ]);
    fields.extend(date_fields("start", start));
    let page = post(
        app,
        &format!("/cases/{}/addresses/new", case.crn),
        session,
        &fields,
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(
        page.location(),
        Some(format!("/cases/{}/addresses?done=proposed", case.crn).as_str())
    );
    addresses_of(app, case)
        .into_iter()
        .find(|a| a.line1 == "4 Orchard Row" && a.status == AddressStatus::Proposed)
        .expect("the proposed address is stored")
        .id
}

fn addresses_of(app: &TestApp, case: &SettledCase) -> Vec<AddressRecord> {
    let mut conn = app.db.database.connection().unwrap();
    case_record::addresses(&mut conn, case.person).unwrap()
}

/// Moves the person into `address` on `moved`, through the form.
async fn move_into(
    app: &TestApp,
    case: &SettledCase,
    session: &Session,
    address: Uuid,
    moved: NaiveDate,
) -> crate::support::Page {
    post(
        app,
        &format!("/cases/{}/addresses/{address}/main", case.crn),
        session,
        &date_fields("moved", moved),
    )
    .await
}

/// The allowed audit rows of po.demo's doing `action`, newest first.
fn actions(app: &TestApp, action: &str) -> Vec<keepsafe_storage::audit::AuditRecord> {
    app.audit(AuditFilter {
        actor: Some("po.demo".into()),
        outcome: Some(Outcome::Allowed),
        ..Default::default()
    })
    .into_iter()
    .filter(|r| r.action == action)
    .collect()
}

/// Text as the templates escape it.
fn html(text: &str) -> String {
    text.replace('\'', "&#39;")
}

fn error_links(body: &str) -> Vec<String> {
    body.match_indices("<li><a href=\"#")
        .map(|(at, _)| {
            let rest = &body[at + "<li><a href=\"#".len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

#[tokio::test]
async fn proposing_an_address_names_each_field_to_fix_and_keeps_what_was_typed() {
    let app = TestApp::sqlite();
    let case = settled_case(&app);
    let session = app.sign_in("po.demo").await;
    let path = format!("/cases/{}/addresses/new", case.crn);
    let page = post(
        &app,
        &path,
        &session,
        &owned(&[("line1", " "), ("town", ""), ("postcode", "")]),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_links(&page.body),
        ["line1", "town", "postcode", "start-day"]
    );
    for message in [
        "Enter the first line of the address",
        "Enter the town or city",
        "Enter the postcode",
        "Enter the date they move in",
    ] {
        assert!(page.body.contains(message), "{message}: {}", page.body);
    }
    assert!(page.body.contains("<title>Error: Propose a new address"));

    let page = post(
        &app,
        &path,
        &session,
        &owned(&[
            ("line1", "4 Orchard Row"),
            ("town", "Midchester"),
            ("postcode", "not a postcode"),
            ("start-day", "31"),
            ("start-month", "2"),
            ("start-year", "2027"),
        ]),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_links(&page.body), ["postcode", "start-day"]);
    assert!(page.body.contains("Enter a real postcode, like LN1 1AA"));
    assert!(
        page.body.contains("value=\"4 Orchard Row\""),
        "what was typed is kept"
    );
    assert!(
        !addresses_of(&app, &case)
            .iter()
            .any(|a| a.line1 == "4 Orchard Row"),
        "nothing was saved"
    );
}

#[tokio::test]
async fn moving_into_a_proposed_address_makes_it_main_and_the_old_one_previous_in_one_step() {
    let app = TestApp::sqlite();
    let case = settled_case(&app);
    let session = app.sign_in("po.demo").await;
    let moved = today() - Duration::days(2);
    let address = propose(&app, &case, &session, moved).await;
    let form = app
        .get(
            &format!("/cases/{}/addresses/{address}/main", case.crn),
            Some(&session),
        )
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("4 Orchard Row") && form.body.contains("Becomes a previous address")
    );

    let page = move_into(&app, &case, &session, address, moved).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let all = addresses_of(&app, &case);
    let new = all.iter().find(|a| a.id == address).unwrap();
    assert_eq!(
        (new.status, new.start_date, new.end_date),
        (AddressStatus::Main, moved, None)
    );
    let old = all.iter().find(|a| a.id == case.home).unwrap();
    assert_eq!(
        (old.status, old.end_date),
        (AddressStatus::Previous, Some(moved))
    );
    let mut conn = app.db.database.connection().unwrap();
    let current = case_record::current_address(&mut conn, case.person, today())
        .unwrap()
        .unwrap();
    assert_eq!(
        current.id, address,
        "checks and assessments read the new address"
    );
    assert_eq!(current.description, "4 Orchard Row, Midchester");
}

/// The move on both databases: the transaction that moves, creates the task, recomputes the
/// tiers and audits is the storage behaviour that matters.
mod moving_creates_the_review_task_recomputes_the_tiers_and_audits_before_and_after {
    use super::*;
    use keepsafe_storage::testing::Backend;

    #[tokio::test]
    async fn on_sqlite() {
        a_move_is_followed_by_its_consequences(TestApp::new(Backend::Sqlite)).await;
    }

    #[tokio::test]
    async fn on_postgres() {
        a_move_is_followed_by_its_consequences(TestApp::new(Backend::Postgres)).await;
    }
}

async fn a_move_is_followed_by_its_consequences(app: TestApp) {
    let case = settled_case(&app);
    let session = app.sign_in("po.demo").await;
    let moved = today() - Duration::days(2);
    let address = propose(&app, &case, &session, moved).await;
    let page = move_into(&app, &case, &session, address, moved).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

    let mut conn = app.db.database.connection().unwrap();
    let tasks = review_tasks::for_person(&mut conn, case.person).unwrap();
    let task = tasks
        .iter()
        .find(|t| t.trigger == ReviewTrigger::AddressChange && t.completed_on.is_none())
        .expect("a review task for the move");
    let due = ReviewRules::default().due(ReviewTrigger::AddressChange, today());
    assert_eq!((task.occurred_on, task.due_on), (moved, due));
    assert!(task.details.contains("4 Orchard Row"), "{}", task.details);
    assert_eq!(
        page.location(),
        Some(format!("/cases/{}/addresses?done=moved&task={}", case.crn, task.id).as_str())
    );
    let tier = scores::for_person(&mut conn, case.person)
        .unwrap()
        .tier
        .unwrap();
    assert!(
        tier.computed_at > (clock::now() - Duration::minutes(30)).naive_utc(),
        "recomputed by the move, not an hour before: {}",
        tier.computed_at
    );
    drop(conn);

    let audit = app.audit(AuditFilter {
        actor: Some("po.demo".into()),
        ..Default::default()
    });
    let row = audit
        .iter()
        .find(|r| r.action == "make_main_address" && r.outcome == "allowed")
        .expect("the move is audited");
    let before = &row.detail[..row.detail.find("after:").unwrap()];
    let after = &row.detail[row.detail.find("after:").unwrap()..];
    assert!(
        before.contains("4 Orchard Row") && before.contains("[proposed]"),
        "{}",
        row.detail
    );
    assert!(
        before.contains("[main]"),
        "the old main address as it was: {}",
        row.detail
    );
    assert!(
        after.contains("4 Orchard Row, Midchester, MC1 4ZZ [main]"),
        "{}",
        row.detail
    );

    let banner = app.get(page.location().unwrap(), Some(&session)).await;
    assert!(
        banner.body.contains("Main address changed"),
        "{}",
        banner.body
    );
    assert!(banner.body.contains(&format!(
        "A review of the risk assessment is due by {}.",
        due.format("%-d %B %Y")
    )));
    assert!(banner
        .body
        .contains(&html("Send the police and children's-services checks")));
}

#[tokio::test]
async fn a_move_date_in_the_future_or_before_the_current_home_is_refused_by_name() {
    let app = TestApp::sqlite();
    let case = settled_case(&app);
    let session = app.sign_in("po.demo").await;
    let address = propose(&app, &case, &session, today()).await;
    let page = move_into(&app, &case, &session, address, today() + Duration::days(1)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_links(&page.body), ["moved-day"]);
    assert!(page
        .body
        .contains("The date they moved in cannot be in the future"));
    let page = move_into(
        &app,
        &case,
        &session,
        address,
        today() - Duration::days(3000),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page
        .body
        .contains("The date they moved in must be on or after"));
    let empty = post(
        &app,
        &format!("/cases/{}/addresses/{address}/main", case.crn),
        &session,
        &[],
    )
    .await;
    assert_eq!(error_links(&empty.body), ["moved-day"]);
    assert!(empty.body.contains("Enter the date they moved in"));
    let stored = addresses_of(&app, &case);
    assert_eq!(
        stored.iter().find(|a| a.id == address).unwrap().status,
        AddressStatus::Proposed,
        "nothing changed"
    );
}

#[tokio::test]
async fn a_second_move_into_the_same_address_is_refused_as_already_done() {
    let app = TestApp::sqlite();
    let case = settled_case(&app);
    let session = app.sign_in("po.demo").await;
    let address = propose(&app, &case, &session, today()).await;
    let first = move_into(&app, &case, &session, address, today()).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let again = move_into(&app, &case, &session, address, today()).await;
    assert_eq!(
        again.status,
        StatusCode::NOT_FOUND,
        "no longer a proposed address"
    );
}

#[tokio::test]
async fn ending_an_address_records_the_date_and_a_proposal_can_be_withdrawn() {
    let app = TestApp::sqlite();
    let case = settled_case(&app);
    let session = app.sign_in("po.demo").await;
    let address = propose(&app, &case, &session, today() + Duration::days(20)).await;
    let path = format!("/cases/{}/addresses/{address}/end", case.crn);
    let form = app.get(&path, Some(&session)).await;
    assert!(form.body.contains("Withdraw a proposed address"));
    let refused = post(
        &app,
        &path,
        &session,
        &date_fields("ended", today() + Duration::days(1)),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_links(&refused.body), ["ended-day"]);
    let done = post(&app, &path, &session, &date_fields("ended", today())).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let withdrawn = addresses_of(&app, &case)
        .into_iter()
        .find(|a| a.id == address)
        .unwrap();
    assert_eq!(withdrawn.end_date, Some(today()));
    let list = app.get(done.location().unwrap(), Some(&session)).await;
    assert!(list.body.contains("Address ended"), "{}", list.body);
    assert!(
        !list.body.contains("4 Orchard Row"),
        "a withdrawn proposal is not a previous address"
    );

    let home = format!("/cases/{}/addresses/{}/end", case.crn, case.home);
    let ended = post(&app, &home, &session, &date_fields("ended", today())).await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    let old = addresses_of(&app, &case)
        .into_iter()
        .find(|a| a.id == case.home)
        .unwrap();
    assert_eq!(
        (old.status, old.end_date),
        (AddressStatus::Previous, Some(today()))
    );
    let audit = actions(&app, "end_address");
    assert!(audit
        .iter()
        .any(|r| r.detail.contains("before:") && r.detail.contains("[previous]")));
}

#[tokio::test]
async fn adding_someone_to_the_household_names_each_field_to_fix() {
    let app = TestApp::sqlite();
    let case = settled_case(&app);
    let session = app.sign_in("po.demo").await;
    let path = format!("/cases/{}/household/new", case.crn);
    let page = post(
        &app,
        &path,
        &session,
        &owned(&[("dob-day", "40"), ("dob-month", "1"), ("dob-year", "2020")]),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_links(&page.body),
        [
            "first-name",
            "last-name",
            "relationship",
            "dob-day",
            "joined-day"
        ]
    );
    assert!(page
        .body
        .contains("Select how they are related to the person on probation"));
    assert!(page
        .body
        .contains("Their date of birth must be a real date"));
    assert!(page
        .body
        .contains("Enter the date they started living there"));
}

#[tokio::test]
async fn a_child_joining_the_household_creates_a_review_that_says_so_and_the_tier_is_worked_out_again(
) {
    let app = TestApp::sqlite();
    let case = settled_case(&app);
    let session = app.sign_in("po.demo").await;
    let mut fields = owned(&[
        ("first-name", "Mia"),
        ("last-name", "Ward"),
        ("relationship", "partners_child"),
    ]);
    fields.extend(date_fields(
        "dob",
        NaiveDate::from_ymd_opt(2022, 5, 1).unwrap(),
    ));
    fields.extend(date_fields("joined", today() - Duration::days(1)));
    let page = post(
        &app,
        &format!("/cases/{}/household/new", case.crn),
        &session,
        &fields,
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

    let mut conn = app.db.database.connection().unwrap();
    let task = review_tasks::for_person(&mut conn, case.person)
        .unwrap()
        .into_iter()
        .find(|t| t.trigger == ReviewTrigger::HouseholdChange)
        .expect("a review task for the new household member");
    assert!(
        task.details.starts_with("A child joined the household"),
        "{}",
        task.details
    );
    assert!(
        task.details.contains("Mia Ward (partner's child, age 4)"),
        "{}",
        task.details
    );
    let tier = scores::for_person(&mut conn, case.person)
        .unwrap()
        .tier
        .unwrap();
    // Parenting responsibilities are a needs-assessment answer (reference §10), not read from
    // the household: the recomputed tier says so.
    assert!(
        tier.notes
            .iter()
            .any(|n| n
                .contains("are needs-assessment answers, and there is no valid needs assessment")),
        "{:?}",
        tier.notes
    );
    drop(conn);

    let list = app.get(page.location().unwrap(), Some(&session)).await;
    assert!(list.body.contains("Household member added"));
    assert!(list.body.contains("Mia Ward") && list.body.contains(">Child<"));
    let audit = actions(&app, "add_household_member");
    assert!(audit[0]
        .detail
        .contains("before: none; after: Mia Ward [partners_child] born 2022-05-01"));
}

#[tokio::test]
async fn someone_who_left_is_listed_as_past_and_a_correction_made_meanwhile_is_not_overwritten() {
    let app = TestApp::sqlite();
    let case = settled_case(&app);
    let session = app.sign_in("po.demo").await;
    let member = fill(&app, "{member}");
    let path = format!("/cases/{}/household/{member}", case.crn);
    let form = app.get(&path, Some(&session)).await;
    assert!(form
        .body
        .contains("name=\"seen-relationship\" value=\"sibling\""));

    let mut correction = owned(&[
        ("seen-relationship", "sibling"),
        ("seen-dob", ""),
        ("relationship", "friend"),
    ]);
    correction.extend(date_fields(
        "dob",
        NaiveDate::from_ymd_opt(1990, 4, 2).unwrap(),
    ));
    let saved = post(&app, &path, &session, &correction).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    // The same form sent again still believes they are a sibling with no date of birth.
    let stale = post(&app, &path, &session, &correction).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale
        .body
        .contains("Someone else has changed this household member"));

    let left = post(
        &app,
        &format!("{path}/left"),
        &session,
        &date_fields("left", today()),
    )
    .await;
    assert_eq!(left.status, StatusCode::SEE_OTHER, "{}", left.body);
    let list = app
        .get(&format!("/cases/{}/household", case.crn), Some(&session))
        .await;
    assert!(list
        .body
        .contains("Nobody is recorded as living with them."));
    assert!(
        list.body.contains("data-testid=\"past-household\"") && list.body.contains("Robin Hale")
    );
    let audit = actions(&app, "change_household_member");
    assert!(audit.iter().any(|r| r
        .detail
        .contains("before: Robin Hale [sibling] born unknown")
        && r.detail
            .contains("after: Robin Hale [friend] born 1990-04-02")));
}

#[tokio::test]
async fn the_offer_to_send_both_checks_lasts_until_one_click_sends_both_for_the_new_address() {
    let app = TestApp::sqlite();
    let case = settled_case(&app);
    let session = app.sign_in("po.demo").await;
    let record = format!("/cases/{}", case.crn);
    assert!(
        !app.get(&record, Some(&session))
            .await
            .body
            .contains("data-testid=\"checks-offer\""),
        "nothing to offer before the move"
    );
    let moved = today() - Duration::days(2);
    let address = propose(&app, &case, &session, moved).await;
    move_into(&app, &case, &session, address, moved).await;

    let sentence = html(&format!(
        "Circumstances changed on {} (new address): the police and children's-services checks have not been requested since.",
        moved.format("%-d %B %Y")
    ));
    for page in [
        record.clone(),
        format!("{record}/risk"),
        format!("{record}/addresses"),
    ] {
        let body = app.get(&page, Some(&session)).await.body;
        assert!(body.contains(&sentence), "{page} offers the checks: {body}");
    }
    let sent = app
        .post(&format!("{record}/circumstances/checks"), &session, &[])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(
        sent.location(),
        Some(format!("{record}/risk#checks").as_str())
    );

    let mut conn = app.db.database.connection().unwrap();
    let requests: Vec<_> = checks::for_person(&mut conn, case.person)
        .unwrap()
        .into_iter()
        .filter(|c| c.address_id == Some(address))
        .collect();
    let mut kinds: Vec<_> = requests.iter().filter_map(|c| c.check_kind()).collect();
    kinds.sort_by_key(|k| format!("{k:?}"));
    assert_eq!(
        kinds,
        [CheckKind::ChildrensServices, CheckKind::PoliceDomesticAbuse],
        "both checks asked about the new address"
    );
    assert!(requests
        .iter()
        .all(|c| c.requested_on == today() && c.partner.is_some()));
    drop(conn);
    assert!(
        !app.get(&record, Some(&session))
            .await
            .body
            .contains("data-testid=\"checks-offer\""),
        "the offer goes once both are sent"
    );
    // A second click sends nothing more.
    app.post(&format!("{record}/circumstances/checks"), &session, &[])
        .await;
    let mut conn = app.db.database.connection().unwrap();
    let again = checks::for_person(&mut conn, case.person)
        .unwrap()
        .into_iter()
        .filter(|c| c.address_id == Some(address))
        .count();
    assert_eq!(again, 2);
}

#[tokio::test]
async fn a_check_already_asked_for_since_the_change_is_not_offered_again() {
    let app = TestApp::sqlite();
    let case = settled_case(&app);
    let session = app.sign_in("po.demo").await;
    let moved = today() - Duration::days(2);
    let address = propose(&app, &case, &session, moved).await;
    move_into(&app, &case, &session, address, moved).await;
    let asked = app
        .post(
            &format!("/cases/{}/checks", case.crn),
            &session,
            &[("kind", "police_domestic_abuse"), ("send-to", "auto")],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let body = app
        .get(&format!("/cases/{}", case.crn), Some(&session))
        .await
        .body;
    assert!(
        body.contains(&html(
            "the children's-services check has not been requested since"
        )),
        "{body}"
    );
    assert!(body.contains(&html("Send the children's-services check")));
}

#[tokio::test]
async fn another_teams_practitioner_may_not_read_or_change_the_addresses_or_household() {
    let app = TestApp::sqlite();
    let case = settled_case(&app);
    let outsider = app.sign_in("po.other").await;
    let member = fill(&app, "{member}");
    for path in [
        format!("/cases/{}/addresses", case.crn),
        format!("/cases/{}/household", case.crn),
        format!("/cases/{}/household/{member}", case.crn),
    ] {
        assert_eq!(
            app.get(&path, Some(&outsider)).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let mut fields = owned(&[
        ("line1", "1 Elm Street"),
        ("town", "Midchester"),
        ("postcode", "MC1 1AA"),
    ]);
    fields.extend(date_fields("start", today()));
    let refused = post(
        &app,
        &format!("/cases/{}/addresses/new", case.crn),
        &outsider,
        &fields,
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let sent = app
        .post(
            &format!("/cases/{}/circumstances/checks", case.crn),
            &outsider,
            &[],
        )
        .await;
    assert_eq!(sent.status, StatusCode::FORBIDDEN);
    assert!(!addresses_of(&app, &case)
        .iter()
        .any(|a| a.line1 == "1 Elm Street"));
    let refusals = app.audit(AuditFilter {
        actor: Some("po.other".into()),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    for action in [
        "view_addresses",
        "view_household",
        "propose_address",
        "send_checks_again",
    ] {
        assert!(
            refusals
                .iter()
                .any(|r| r.action == action && r.crn.as_deref() == Some(case.crn.as_str())),
            "{action} refused and audited"
        );
    }
}

#[tokio::test]
async fn read_only_staff_see_the_addresses_without_change_links() {
    let app = TestApp::sqlite();
    let case = settled_case(&app);
    let quality = app.sign_in("quality.demo").await;
    let page = app
        .get(&format!("/cases/{}/addresses", case.crn), Some(&quality))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Propose a new address"));
    let record = app
        .get(&format!("/cases/{}", case.crn), Some(&quality))
        .await;
    assert!(!record.body.contains("data-testid=\"change-addresses\""));
    let owner = app.sign_in("po.demo").await;
    let record = app.get(&format!("/cases/{}", case.crn), Some(&owner)).await;
    assert!(record.body.contains("data-testid=\"change-addresses\""));
    assert!(record.body.contains("data-testid=\"change-household\""));
}

#[tokio::test]
async fn the_changes_page_is_for_changes_the_record_does_not_hold() {
    let app = TestApp::sqlite();
    let case = settled_case(&app);
    let session = app.sign_in("po.demo").await;
    let path = format!("/cases/{}/changes", case.crn);
    let page = app.get(&path, Some(&session)).await;
    assert!(!page.body.contains("value=\"address_change\""));
    assert!(!page.body.contains("value=\"household_change\""));
    assert!(page
        .body
        .contains(&format!("href=\"/cases/{}/addresses\"", case.crn)));
    assert!(page
        .body
        .contains(&format!("href=\"/cases/{}/household\"", case.crn)));
    let mut fields = owned(&[("trigger", "address_change"), ("details", "Moved")]);
    fields.extend(date_fields("occurred", today()));
    let refused = post(&app, &path, &session, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_links(&refused.body), ["trigger"]);
}
