//! Court work through the application: adding hearings (a new person becomes a pre-sentence case,
//! several matching cases are shown, not guessed), importing a list (a bad row refused by row and
//! column, nothing written), the report's proposal gate, adjournments, the printable report, the
//! sentence, and a court of another PDU refused and audited.

use crate::support::{Session, TestApp};
use axum::http::StatusCode;
use diesel::prelude::*;
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_storage::schema::{court_hearings, people};
use keepsafe_test_support::clock::{now, today};
use keepsafe_test_support::court::{court_of, hearing_with_report};

fn pdu_of(app: &TestApp, username: &str) -> uuid::Uuid {
    let id = app.staff_id(username);
    app.region
        .staff
        .iter()
        .find(|s| s.id == id)
        .and_then(|s| s.pdu_id)
        .unwrap()
}

/// The court code of po.demo's PDU.
pub(crate) fn court_code(app: &TestApp) -> String {
    let mut conn = app.db.database.connection().unwrap();
    court_of(&mut conn, pdu_of(app, "po.demo")).code
}

/// A hearing today for po.demo's case, with a short-format report started.
pub(crate) fn hearing(app: &TestApp) -> (String, String) {
    let crn = app.case_of("po.demo");
    let mut conn = app.db.database.connection().unwrap();
    let added = hearing_with_report(
        &mut conn,
        pdu_of(app, "po.demo"),
        &crn,
        app.staff_id("po.demo"),
    );
    (added.hearing_id.to_string(), crn)
}

/// Fills the court area's path parameters.
pub(crate) fn fill(app: &TestApp, path: &str) -> String {
    let mut path = path.replace("{day}", &today().to_string());
    if path.contains("{court}") {
        path = path.replace("{court}", &court_code(app));
    }
    if path.contains("{hearing}") {
        path = path.replace("{hearing}", &hearing(app).0);
    }
    path
}

fn hearing_count(app: &TestApp) -> i64 {
    let mut conn = app.db.database.connection().unwrap();
    court_hearings::table.count().get_result(&mut conn).unwrap()
}

fn new_person_form(last_name: &str) -> Vec<(&str, &str)> {
    vec![
        ("first_name", "Nadia"),
        ("last_name", last_name),
        ("date_of_birth-day", "12"),
        ("date_of_birth-month", "7"),
        ("date_of_birth-year", "1994"),
        ("sex", "female"),
        ("offence", "Criminal damage to a car"),
        ("offence_category", "criminal_damage"),
        ("offence_date-day", "3"),
        ("offence_date-month", "11"),
        ("offence_date-year", "2026"),
        ("report_type", "short_format"),
    ]
}

async fn list_path(app: &TestApp) -> String {
    format!("/courts/{}/{}", court_code(app), today())
}

#[tokio::test]
async fn a_hearing_for_someone_unknown_makes_a_pre_sentence_case_with_a_new_crn_and_its_report() {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let list = list_path(&app).await;
    let page = app
        .post(&format!("{list}/hearings"), &po, &new_person_form("Okafor"))
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let hearing = app.get(page.location().unwrap(), Some(&po)).await;
    assert_eq!(hearing.status, StatusCode::OK);
    assert!(
        hearing.body.contains("New pre-sentence case"),
        "{}",
        hearing.body
    );
    assert!(
        hearing
            .body
            .contains("Short-format report: Draft. Due by 9 December 2026"),
        "{}",
        hearing.body
    );
    let shown = app.get(&list, Some(&po)).await;
    assert!(shown.body.contains("Nadia Okafor"));
    assert!(shown.body.contains("12 July 1994"));
    let mut conn = app.db.database.connection().unwrap();
    let crn: String = people::table
        .filter(people::last_name.eq("Okafor"))
        .select(people::crn)
        .first(&mut conn)
        .unwrap();
    assert!(keepsafe_domain::crn::Crn::parse(&crn).is_ok());
    assert!(hearing.body.contains(&crn));
}

#[tokio::test]
async fn a_hearing_with_missing_details_is_refused_naming_each_field_and_keeping_what_was_typed() {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let list = list_path(&app).await;
    let before = hearing_count(&app);
    let mut form = new_person_form("");
    form.retain(|(k, _)| !k.starts_with("date_of_birth") && *k != "sex");
    form.push(("crn", "X12"));
    let page = app.post(&format!("{list}/hearings"), &po, &form).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["#crn", "#last_name", "#date_of_birth-day", "#sex"] {
        assert!(
            page.body.contains(&format!("href=\"{field}\"")),
            "{field}: {}",
            page.body
        );
    }
    assert!(
        page.body.contains("value=\"Criminal damage to a car\""),
        "what was typed is kept"
    );
    assert_eq!(hearing_count(&app), before, "nothing was added");
}

#[tokio::test]
async fn a_hearing_matching_several_cases_shows_the_candidates_and_adds_nothing() {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let list = list_path(&app).await;
    {
        let mut conn = app.db.database.connection().unwrap();
        for crn in ["Z100001", "Z100002"] {
            diesel::insert_into(people::table)
                .values((
                    people::id.eq(uuid::Uuid::new_v4().to_string()),
                    people::crn.eq(crn),
                    people::first_name.eq("Nadia"),
                    people::last_name.eq("Twin"),
                    people::date_of_birth.eq(chrono::NaiveDate::from_ymd_opt(1994, 7, 12).unwrap()),
                    people::sex.eq("female"),
                    people::pdu_id.eq(pdu_of(&app, "po.demo").to_string()),
                    people::created_at.eq(now().naive_utc()),
                    people::interpreter_needed.eq(false),
                ))
                .execute(&mut conn)
                .unwrap();
        }
    }
    let before = hearing_count(&app);
    let page = app
        .post(&format!("{list}/hearings"), &po, &new_person_form("Twin"))
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("2 cases have this name and date of birth (Z100001, Z100002)"),
        "{}",
        page.body
    );
    assert!(page.body.contains("data-testid=\"candidates\""));
    assert_eq!(hearing_count(&app), before);
}

const HEADER: &str = "crn,first_name,last_name,date_of_birth,sex,offence,offence_category,offence_date,report_type\n";

#[tokio::test]
async fn an_imported_list_is_taken_whole_or_refused_naming_row_and_column() {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let list = list_path(&app).await;
    let before = hearing_count(&app);
    let bad = format!("{HEADER},Ann,Lee,1990-01-01,female,Theft,theft_non_motor,2026-11-01,\n,Bob,Lee,1991-01-01,unknown,Theft,theft_non_motor,2026-11-01,\n");
    let page = app
        .post_multipart(
            &format!("{list}/import"),
            &po,
            &[],
            &[("list", "list.csv", "text/csv", bad.as_bytes())],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("Row 3, column sex: Sex must be male or female"),
        "{}",
        page.body
    );
    assert_eq!(hearing_count(&app), before, "nothing was imported");
    let good = bad.replace("unknown", "male");
    let page = app
        .post_multipart(
            &format!("{list}/import"),
            &po,
            &[],
            &[("list", "list.csv", "text/csv", good.as_bytes())],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(hearing_count(&app), before + 2);
    let shown = app.get(&list, Some(&po)).await;
    assert!(shown.body.contains("Ann Lee") && shown.body.contains("Bob Lee"));
    let empty = app
        .post_multipart(&format!("{list}/import"), &po, &[], &[])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Choose the court list file to import"));
}

async fn report_form(app: &TestApp, po: &Session) -> (String, String) {
    // A demo case with a report asked for.
    let (hearing, crn) = hearing(app);
    let page = app
        .get(&format!("/court/hearings/{hearing}/report"), Some(po))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    (hearing, crn)
}

/// A hearing added for someone new (no checks, no address check), with a report asked for: its
/// id and the new CRN.
async fn new_case_hearing(app: &TestApp, po: &Session) -> (String, String) {
    let list = list_path(app).await;
    let page = app
        .post(&format!("{list}/hearings"), po, &new_person_form("Okafor"))
        .await;
    let location = page.location().unwrap().to_owned();
    let hearing = location.trim_start_matches("/court/hearings/").to_owned();
    let mut conn = app.db.database.connection().unwrap();
    let crn: String = people::table
        .filter(people::last_name.eq("Okafor"))
        .select(people::crn)
        .first(&mut conn)
        .unwrap();
    (hearing, crn)
}

#[tokio::test]
async fn a_curfew_proposal_without_the_checks_is_refused_naming_each_missing_item_and_where_to_get_it(
) {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let (hearing, crn) = new_case_hearing(&app, &po).await;
    let page = app
        .post(
            &format!("/court/hearings/{hearing}/report/save"),
            &po,
            &[
                ("version", "1"),
                ("sources", "Interview at court"),
                ("proposed_sentence", "community_order"),
                ("requirements", "curfew"),
                ("justification", "A curfew keeps her home at night"),
            ],
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    for missing in [
        "You cannot propose a curfew requirement until the police domestic-abuse check response is in: it has not been requested",
        "You cannot propose a curfew requirement until the children&#39;s services safeguarding check response is in",
        "You cannot propose a curfew requirement until the main occupier&#39;s details are recorded",
    ] {
        assert!(page.body.contains(missing), "{missing}: {}", page.body);
    }
    assert!(page.body.contains("href=\"#requirements\""));
    assert!(
        page.body.contains("Interview at court"),
        "what was typed is kept"
    );
    assert!(page
        .body
        .contains(&format!("href=\"/cases/{crn}/risk#checks\"")));
    assert!(page
        .body
        .contains(&format!("href=\"/cases/{crn}/address-checks\"")));
    let saved = app
        .get(&format!("/court/hearings/{hearing}/report"), Some(&po))
        .await;
    assert!(
        !saved.body.contains("Interview at court"),
        "nothing was saved"
    );
    let refusals = app.audit(AuditFilter {
        actor: Some("po.demo".into()),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    assert!(refusals.iter().any(|r| r.action == "save_court_report"));
}

#[tokio::test]
async fn a_report_without_a_curfew_is_saved_and_submitted_and_its_print_copy_shows_it() {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let (hearing, _) = report_form(&app, &po).await;
    let unready = app
        .post(
            &format!("/court/hearings/{hearing}/report/complete"),
            &po,
            &[("version", "1")],
        )
        .await;
    assert_eq!(unready.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unready.body.contains("href=\"#offence_analysis\""));
    let fields = [
        ("version", "1"),
        (
            "sources",
            "Interview at court; the police and children's services",
        ),
        ("offence_analysis", "Damage done in anger after an argument"),
        ("risk_analysis", "Low risk to the public"),
        ("proposed_sentence", "community_order"),
        ("requirements", "unpaid_work"),
        ("justification", "Unpaid work repays the community"),
    ];
    let saved = app
        .post(
            &format!("/court/hearings/{hearing}/report/save"),
            &po,
            &fields,
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let done = app
        .post(
            &format!("/court/hearings/{hearing}/report/complete"),
            &po,
            &[("version", "2")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = app
        .get(&format!("/court/hearings/{hearing}/report"), Some(&po))
        .await;
    assert!(
        page.body.contains("Submitted to court on 2 December 2026"),
        "{}",
        page.body
    );
    let print = app
        .get(
            &format!("/court/hearings/{hearing}/report/print"),
            Some(&po),
        )
        .await;
    assert_eq!(print.status, StatusCode::OK);
    assert!(print.body.contains("Printed 2 December 2026"));
    assert!(print
        .body
        .contains("Community order, with these requirements: Unpaid work"));
}

#[tokio::test]
async fn asking_for_an_adjournment_is_recorded_and_a_request_without_a_reason_is_refused() {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let (hearing, _) = report_form(&app, &po).await;
    let path = format!("/court/hearings/{hearing}/adjournments");
    let refused = app
        .post(
            &path,
            &po,
            &[
                ("asked_on-day", "2"),
                ("asked_on-month", "12"),
                ("asked_on-year", "2026"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("href=\"#reason\""));
    let page = app
        .post(
            &path,
            &po,
            &[
                ("asked_on-day", "2"),
                ("asked_on-month", "12"),
                ("asked_on-year", "2026"),
                (
                    "reason",
                    "The police domestic-abuse check has not been answered",
                ),
                ("outcome", "granted"),
                ("new_hearing_on-day", "23"),
                ("new_hearing_on-month", "12"),
                ("new_hearing_on-year", "2026"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let report = app
        .get(&format!("/court/hearings/{hearing}/report"), Some(&po))
        .await;
    assert!(
        report
            .body
            .contains("Granted: the hearing is now on 23 December 2026"),
        "{}",
        report.body
    );
}

#[tokio::test]
async fn the_courts_decision_on_a_request_to_adjourn_is_recorded_later_and_a_grant_needs_the_new_date(
) {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let (hearing, _) = report_form(&app, &po).await;
    let asked = app
        .post(
            &format!("/court/hearings/{hearing}/adjournments"),
            &po,
            &[
                ("asked_on-day", "2"),
                ("asked_on-month", "12"),
                ("asked_on-year", "2026"),
                (
                    "reason",
                    "The children's services check has not been answered",
                ),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let report_path = format!("/court/hearings/{hearing}/report");
    let report = app.get(&report_path, Some(&po)).await;
    assert!(report.body.contains("Not yet decided"));
    assert!(report.body.contains("data-testid=\"adjournment-decision\""));

    let decision = format!("/court/hearings/{hearing}/adjournments/decision");
    let nothing = app.post(&decision, &po, &[]).await;
    assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nothing.body.contains("href=\"#decision\""));
    let no_date = app.post(&decision, &po, &[("decision", "granted")]).await;
    assert_eq!(no_date.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_date.body.contains("href=\"#decided_hearing_on-day\""));
    let before = app
        .post(
            &decision,
            &po,
            &[
                ("decision", "granted"),
                ("decided_hearing_on-day", "1"),
                ("decided_hearing_on-month", "12"),
                ("decided_hearing_on-year", "2026"),
            ],
        )
        .await;
    assert_eq!(before.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(before
        .body
        .contains("on or after the day you asked, 2 December 2026"));

    let granted = app
        .post(
            &decision,
            &po,
            &[
                ("decision", "granted"),
                ("decided_hearing_on-day", "16"),
                ("decided_hearing_on-month", "12"),
                ("decided_hearing_on-year", "2026"),
            ],
        )
        .await;
    assert_eq!(granted.status, StatusCode::SEE_OTHER, "{}", granted.body);
    let report = app.get(&report_path, Some(&po)).await;
    assert!(report
        .body
        .contains("Granted: the hearing is now on 16 December 2026"));
    assert!(
        !report.body.contains("data-testid=\"adjournment-decision\""),
        "nothing is left waiting for a decision"
    );
    let again = app.post(&decision, &po, &[("decision", "refused")]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("No request to adjourn is waiting"));
}

#[tokio::test]
async fn recording_the_sentence_makes_a_community_case_and_a_bad_sentence_names_its_fields() {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let (hearing, crn) = hearing(&app);
    let path = format!("/court/hearings/{hearing}/sentence");
    let refused = app
        .post(
            &path,
            &po,
            &[
                ("requirements", "unpaid_work"),
                ("length-unpaid_work", "500"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["#sentence_type", "#sentenced_on-day", "#length-unpaid_work"] {
        assert!(
            refused.body.contains(&format!("href=\"{field}\"")),
            "{field}: {}",
            refused.body
        );
    }
    let page = app
        .post(
            &path,
            &po,
            &[
                ("sentence_type", "community_order"),
                ("length", "12"),
                ("sentenced_on-day", "2"),
                ("sentenced_on-month", "12"),
                ("sentenced_on-year", "2026"),
                ("requirements", "unpaid_work"),
                ("length-unpaid_work", "120"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let shown = app
        .get(&format!("/court/hearings/{hearing}"), Some(&po))
        .await;
    assert!(
        shown
            .body
            .contains("Community order, 12 months, passed on 2 December 2026"),
        "{}",
        shown.body
    );
    let record = app.get(&format!("/cases/{crn}"), Some(&po)).await;
    assert!(
        record.body.contains("Unpaid work"),
        "the requirement is on the case"
    );
}

#[tokio::test]
async fn a_court_of_another_pdu_is_refused_and_the_refusal_is_audited() {
    let app = TestApp::sqlite();
    let own = pdu_of(&app, "po.demo");
    let other = uuid::Uuid::new_v4();
    let code = {
        use keepsafe_storage::schema::pdus;
        let mut conn = app.db.database.connection().unwrap();
        let region: String = pdus::table
            .find(own.to_string())
            .select(pdus::region_id)
            .first(&mut conn)
            .unwrap();
        diesel::insert_into(pdus::table)
            .values((
                pdus::id.eq(other.to_string()),
                pdus::region_id.eq(region),
                pdus::code.eq("OTHER"),
                pdus::name.eq("Another PDU"),
            ))
            .execute(&mut conn)
            .unwrap();
        court_of(&mut conn, other).code
    };
    let po = app.sign_in("po.demo").await;
    let page = app
        .get(&format!("/courts/{code}/{}", today()), Some(&po))
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let refusals = app.audit(AuditFilter {
        actor: Some("po.demo".into()),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    assert!(
        refusals
            .iter()
            .any(|r| r.action == "view_court_list" && r.detail.contains("outside_pdu")),
        "{refusals:?}"
    );
    let vlo = app.sign_in("vlo.demo").await;
    let list = list_path(&app).await;
    assert_eq!(
        app.get(&list, Some(&vlo)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_courts_page_lists_the_pdus_courts_for_today() {
    let app = TestApp::sqlite();
    let code = court_code(&app);
    let po = app.sign_in("po.demo").await;
    let page = app.get("/courts", Some(&po)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("/courts/{code}/{}", today())));
    let template = app.get("/courts/court-list-template.csv", Some(&po)).await;
    assert!(template.body.starts_with("crn,first_name,last_name"));
}

#[tokio::test]
async fn an_administrator_adds_a_court_its_code_must_be_new_and_others_are_refused() {
    let app = TestApp::sqlite();
    let admin = app
        .sign_in_as(keepsafe_domain::staff::Grade::Administrator)
        .await;
    let page = app.get("/admin/courts", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    let pdu = page
        .body
        .split("<option value=\"")
        .nth(2)
        .and_then(|rest| rest.split('"').next())
        .expect("a PDU to choose")
        .to_owned();

    let refused = app
        .post("/admin/courts", &admin, &[("code", "MID W"), ("name", "")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        crate::record_details::error_fields(&refused),
        ["code", "name", "pdu"]
    );
    assert!(
        refused.body.contains("value=\"MID W\""),
        "what was typed is kept"
    );

    let form = [
        ("code", "midw-crown9"),
        ("name", "Midchester Crown Court (annexe)"),
        ("pdu", pdu.as_str()),
    ];
    let added = app.post("/admin/courts", &admin, &form).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let listed = app.get(added.location().unwrap(), Some(&admin)).await;
    assert!(listed.body.contains("Court MIDW-CROWN9 has been added"));
    assert!(listed.body.contains("Midchester Crown Court (annexe)"));
    let again = app.post("/admin/courts", &admin, &form).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again
        .body
        .contains("A court already has the code MIDW-CROWN9"));

    let po = app.sign_in("po.demo").await;
    assert_eq!(
        app.get("/admin/courts", Some(&po)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post("/admin/courts", &po, &form).await.status,
        StatusCode::FORBIDDEN
    );
}
