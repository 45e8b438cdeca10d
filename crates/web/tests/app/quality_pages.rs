//! The quality pages: who may see which unit's rating (and that every view and refusal is in the
//! audit log), what the rating page says for each source, the cases behind each number, the
//! printable report and its other renderings, and one case's quality page.

use crate::support::{today, Session, TestApp};
use axum::http::StatusCode;
use keepsafe_domain::quality::{
    Action as QualityAction, Framework, KeyQuestionScore, OversightKind, OversightRecord, Rating,
    Recommendation, HMIP_PDU_2023,
};
use keepsafe_storage::audit::{AuditFilter, AuditRecord, Outcome};
use keepsafe_storage::quality::audits::{self};
use keepsafe_storage::quality::judgements::{self, JudgementKind, NewJudgement};
use keepsafe_storage::quality::plans::{self, NewRecommendation};
use keepsafe_storage::quality::{oversight, units, LiveCase, Unit};
use keepsafe_test_support::quality::{record_audit, Auditor, NO_REASON};

const PDU: &str = "/quality/pdu/MIDW";

fn pdu_id(app: &TestApp) -> uuid::Uuid {
    app.region
        .pdus
        .iter()
        .find(|p| p.code == "MIDW")
        .expect("the demo PDU MIDW")
        .id
}

/// quality.demo, auditing today.
fn quality_auditor(app: &TestApp) -> Auditor<'static> {
    Auditor {
        id: app.staff_id("quality.demo"),
        name: "Quality Auditor",
        on: today(),
        moderates: None,
    }
}

/// Audits of the first `count` live cases of MIDW, made today by quality.demo: the first case
/// answered No on 2.1.safe, the rest Yes throughout. Returns the cases audited.
pub(crate) fn audit_cases(app: &TestApp, count: usize) -> Vec<LiveCase> {
    let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
    let mut conn = app.db.database.connection().unwrap();
    let live = units::live_cases(&mut conn, Unit::Pdu(pdu_id(app))).unwrap();
    let audited: Vec<LiveCase> = live.into_iter().take(count).collect();
    assert_eq!(audited.len(), count, "MIDW has {count} live cases to audit");
    for (i, case) in audited.iter().enumerate() {
        let no_on = (i == 0).then_some("2.1.safe");
        record_audit(&mut conn, &framework, case, no_on, &quality_auditor(app)).unwrap();
    }
    audited
}

/// The audit rows for `username` and `action`.
fn audited(app: &TestApp, username: &str, action: &str, outcome: Outcome) -> Vec<AuditRecord> {
    app.audit(AuditFilter {
        actor: Some(username.into()),
        outcome: Some(outcome),
        ..Default::default()
    })
    .into_iter()
    .filter(|r| r.action == action)
    .collect()
}

async fn status(app: &TestApp, path: &str, session: &Session) -> StatusCode {
    app.get(path, Some(session)).await.status
}

// ---------------------------------------------------------------------------------------------
// Who may see what
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_practitioner_is_refused_the_quality_of_their_own_pdu_and_the_refusal_is_audited() {
    let app = TestApp::sqlite_without_quality_history();
    let po = app.sign_in("po.demo").await;
    let page = app.get(PDU, Some(&po)).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("You do not have access to this page"));
    let refusals = audited(&app, "po.demo", "view_quality_rating", Outcome::Refused);
    assert!(
        refusals.iter().any(|r| r.detail.contains("pdu MIDW")),
        "{refusals:?}"
    );
    assert_eq!(status(&app, "/quality", &po).await, StatusCode::FORBIDDEN);
    assert_eq!(
        audited(&app, "po.demo", "view_quality_units", Outcome::Refused).len(),
        1,
        "the refused list of units is audited too"
    );
    let own_case = app.case_of("po.demo");
    let case = app.get(&format!("/cases/{own_case}"), Some(&po)).await;
    assert!(
        !case.body.contains("href=\"/quality\""),
        "the menu offers no Quality to a practitioner"
    );
}

#[tokio::test]
async fn a_partner_user_is_refused_every_quality_page() {
    let app = TestApp::sqlite_without_quality_history();
    let police = app.sign_in("police.demo").await;
    for path in [
        "/quality".to_owned(),
        PDU.to_owned(),
        format!("{PDU}/questions/2.1.safe"),
        format!("{PDU}/report"),
    ] {
        let page = app.get(&path, Some(&police)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(page
            .body
            .contains("Partner users can see only the requests sent to their organisation"));
    }
}

#[tokio::test]
async fn a_senior_officer_sees_their_pdu_and_its_teams_but_not_the_region_or_the_nation() {
    let app = TestApp::sqlite_without_quality_history();
    let spo = app.sign_in("spo.demo").await;
    let list = app.get("/quality", Some(&spo)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(
        list.body.contains("href=\"/quality/pdu/MIDW\""),
        "{}",
        list.body
    );
    let team = app.team_code_of("spo.demo");
    assert!(list
        .body
        .contains(&format!("href=\"/quality/team/{team}\"")));
    assert!(!list.body.contains("href=\"/quality/region/"));
    assert!(!list.body.contains("href=\"/quality/nation/"));
    assert!(
        list.body.contains("href=\"/quality\""),
        "the menu offers Quality"
    );

    let page = app.get(PDU, Some(&spo)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Case audit"), "labelled by source");
    assert!(page.body.contains("hmip-pdu-2023"), "labelled by framework");
    assert!(
        !page
            .body
            .contains("/quality/pdu/MIDW/judgements\">Ratings panel judgements"),
        "a senior officer does not manage quality, so is not offered the management pages"
    );
    assert_eq!(
        status(&app, &format!("/quality/team/{team}"), &spo).await,
        StatusCode::OK
    );
    assert_eq!(
        status(&app, "/quality/region/MSF", &spo).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status(&app, "/quality/nation/all", &spo).await,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn quality_staff_see_the_region_and_the_nation() {
    let app = TestApp::sqlite_without_quality_history();
    let quality = app.sign_in("quality.demo").await;
    let list = app.get("/quality", Some(&quality)).await;
    assert!(
        list.body.contains("href=\"/quality/region/MSF\""),
        "{}",
        list.body
    );
    assert!(list.body.contains("href=\"/quality/nation/all\""));
    for path in ["/quality/region/MSF", "/quality/nation/all", PDU] {
        let page = app.get(path, Some(&quality)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
    }
    let region = app.get("/quality/region/MSF", Some(&quality)).await;
    assert!(
        region.body.contains(
            "A PDU or region is given an overall rating only when every standard is rated"
        ),
        "the page says which rule for unrated standards it used"
    );
    let nation = app.get("/quality/nation/all", Some(&quality)).await;
    assert!(nation.body.contains("on the rated standards only"));
}

#[tokio::test]
async fn the_head_of_pdu_sees_the_region_and_manages_the_pdu_but_cannot_see_the_nation() {
    let app = TestApp::sqlite_without_quality_history();
    let head = app.sign_in("head.demo").await;
    assert_eq!(
        status(&app, "/quality/nation/all", &head).await,
        StatusCode::FORBIDDEN
    );
    assert!(
        audited(&app, "head.demo", "view_quality_rating", Outcome::Refused)
            .iter()
            .any(|r| r.detail.contains("nation all"))
    );
    assert_eq!(
        status(&app, "/quality/region/MSF", &head).await,
        StatusCode::OK
    );
    let page = app.get(PDU, Some(&head)).await;
    for link in ["/samples", "/judgements", "/plan"] {
        assert!(
            page.body
                .contains(&format!("href=\"/quality/pdu/MIDW{link}\"")),
            "the head of PDU manages quality and is offered {link}"
        );
    }
}

#[tokio::test]
async fn an_unknown_unit_question_or_framework_is_not_found() {
    let app = TestApp::sqlite_without_quality_history();
    let quality = app.sign_in("quality.demo").await;
    for path in [
        format!("{PDU}/questions/9.9.nonsense"),
        format!("{PDU}/questions/1.1.safe"),
        format!("{PDU}?framework=hmip-1999"),
        "/quality/pdu/NOPE".to_owned(),
        "/quality/county/MIDW".to_owned(),
        "/quality/nation/everywhere".to_owned(),
    ] {
        assert_eq!(
            status(&app, &path, &quality).await,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(
        status(&app, &format!("{PDU}?source=guesswork"), &quality).await,
        StatusCode::BAD_REQUEST
    );
}

// ---------------------------------------------------------------------------------------------
// What the pages say
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn every_key_question_score_shows_its_n_and_95_percent_interval_and_links_to_its_cases() {
    let app = TestApp::sqlite_without_quality_history();
    audit_cases(&app, 4);
    let spo = app.sign_in("spo.demo").await;
    let page = app.get(PDU, Some(&spo)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let score = KeyQuestionScore::new(3, 4).unwrap();
    let interval = score.interval().unwrap();
    assert!(page.body.contains("75.0%"), "2.1.safe is 3 of 4");
    assert!(
        page.body.contains(&format!(
            "{:.1}%–{:.1}%",
            interval.lower_percent(),
            interval.upper_percent()
        )),
        "with its 95% interval"
    );
    assert!(
        page.body.contains("100.0%"),
        "the other questions are 4 of 4"
    );
    assert!(page.body.contains(
        "href=\"/quality/pdu/MIDW/questions/2.1.safe?framework=hmip-pdu-2023&amp;source=audit&amp;answer=no\""
    ));
    assert!(page.body.contains("role=\"img\""), "the chart is an image");
    assert!(page.body.contains("Key-question scores with 95% intervals"));
    assert!(page.body.contains("data-testid=\"quality-trend-table\""));
    assert!(page.body.contains("Moderation"));
    // A PDU's overall waits for the panel's judgements of leadership, staffing and services.
    assert!(page.body.contains("Not given"));
    assert!(page.body.contains("href=\"/quality/pdu/MIDW/judgements\""));
}

#[tokio::test]
async fn the_drill_down_lists_the_cases_behind_a_number_with_the_auditors_reasons() {
    let app = TestApp::sqlite_without_quality_history();
    let cases = audit_cases(&app, 4);
    let spo = app.sign_in("spo.demo").await;
    let no = app
        .get(
            &format!("{PDU}/questions/2.1.safe?source=audit&answer=no"),
            Some(&spo),
        )
        .await;
    assert_eq!(no.status, StatusCode::OK, "{}", no.body);
    assert!(no
        .body
        .contains(&format!("href=\"/cases/{}/quality\"", cases[0].crn)));
    assert!(no.body.contains(NO_REASON), "the auditor's reason is shown");
    for other in &cases[1..] {
        assert!(
            !no.body.contains(&other.crn),
            "{} was answered yes",
            other.crn
        );
    }
    let yes = app
        .get(
            &format!("{PDU}/questions/2.1.safe?source=audit&answer=yes"),
            Some(&spo),
        )
        .await;
    for other in &cases[1..] {
        assert!(yes.body.contains(&other.crn));
    }
    assert!(!yes
        .body
        .contains(&format!("/cases/{}/quality", cases[0].crn)));
    let all = app
        .get(&format!("{PDU}/questions/2.1.safe"), Some(&spo))
        .await;
    assert!(all.body.contains("Yes (3)") && all.body.contains("No (1)"));
    assert!(all.body.contains("3 of 4 (75.0%, 95% interval"));
}

#[tokio::test]
async fn the_automated_rating_is_labelled_apart_and_its_drill_down_gives_the_indicators_reasons() {
    let app = TestApp::sqlite_without_quality_history();
    let spo = app.sign_in("spo.demo").await;
    let page = app
        .get(&format!("{PDU}?source=automated"), Some(&spo))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Automated from the record"));
    assert!(page
        .body
        .contains("Planning (2.2) cannot be answered from the record"));
    assert!(
        !page.body.contains("Audit ratings by quarter"),
        "no audit trend: the automated source has its own weekly record"
    );
    let cases = app
        .get(
            &format!("{PDU}/questions/2.1.safe?source=automated"),
            Some(&spo),
        )
        .await;
    assert_eq!(cases.status, StatusCode::OK);
    assert!(cases.body.contains("Why, from the record"));
    assert!(
        cases
            .body
            .contains("Police domestic-abuse information obtained"),
        "each case lists the indicators that answered the question"
    );
}

#[tokio::test]
async fn the_report_shows_both_sources_and_renders_the_same_as_json_markdown_and_a_document() {
    let app = TestApp::sqlite_without_quality_history();
    audit_cases(&app, 3);
    let head = app.sign_in("head.demo").await;
    let page = app.get(&format!("{PDU}/report"), Some(&head)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page
        .body
        .contains("data-testid=\"quality-report-comparison\""));
    assert!(page.body.contains("Case audit") && page.body.contains("Automated from the record"));
    assert!(page.body.contains("Recommendations and action plans"));
    assert!(page.body.contains("app-no-print"));

    let mut conn = app.db.database.connection().unwrap();
    let report = keepsafe_web::quality::report::build(
        &mut conn,
        Unit::Pdu(pdu_id(&app)),
        HMIP_PDU_2023,
        today(),
    )
    .unwrap();
    assert_eq!(report.audit.cases, 3);
    assert!(
        report.automated.cases > 3,
        "every live case is answered from the record"
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["framework"]["code"], "hmip-pdu-2023");
    assert_eq!(json["audit"]["source"], "audit");
    assert_eq!(json["automated"]["source"], "automated");
    let markdown = keepsafe_web::quality::report::render_markdown(&report);
    assert!(markdown.contains("| Standard | Case audit | Automated from the record |"));
    assert!(markdown.contains("95% interval"));
    let document = keepsafe_web::quality::report::render_html_document(&report);
    assert!(document.starts_with("<!DOCTYPE html>"));
    assert!(
        document.contains("<style>"),
        "styles inline, nothing to fetch"
    );
    assert!(!document.contains("/assets/"));
    assert!(
        document.contains(&keepsafe_web::quality::report::render_html_body(&report).unwrap()),
        "the document and the page show the same content"
    );
    assert!(
        page.body
            .contains(&keepsafe_web::quality::report::render_html_body(&report).unwrap()),
        "the page is the same report"
    );
}

#[tokio::test]
async fn a_team_and_the_nation_are_rated_on_their_rated_standards_only() {
    let app = TestApp::sqlite_without_quality_history();
    let cases = audit_cases(&app, 4);
    let team = cases
        .iter()
        .find_map(|c| c.team.as_ref().map(|(_, code, _)| code.clone()))
        .expect("an audited case is allocated to a team");
    let quality = app.sign_in("quality.demo").await;
    let page = app
        .get(&format!("/quality/team/{team}"), Some(&quality))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Left out as not rated"), "{}", page.body);
    let pdu = app.get(PDU, Some(&quality)).await;
    assert!(
        pdu.body.contains(&format!(
            "href=\"/quality/team/{team}?framework=hmip-pdu-2023&amp;source=audit\""
        )),
        "the PDU's breakdown links its teams"
    );
}

#[tokio::test]
async fn the_case_quality_page_shows_indicators_audits_and_oversight_to_those_who_may_see_the_case()
{
    let app = TestApp::sqlite_without_quality_history();
    let crn = app.case_of("po.demo");
    let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
    {
        let mut conn = app.db.database.connection().unwrap();
        let case = keepsafe_storage::cases::record::locate(&mut conn, &crn)
            .unwrap()
            .unwrap();
        let live = units::live_case(&mut conn, case.person_id)
            .unwrap()
            .unwrap();
        record_audit(
            &mut conn,
            &framework,
            &live,
            Some("2.1.safe"),
            &quality_auditor(&app),
        )
        .unwrap();
        let record = OversightRecord::new(
            OversightKind::Supervision,
            today(),
            "Discussed the risk plan and the police check",
            today(),
        )
        .unwrap();
        oversight::record(
            &mut conn,
            case.person_id,
            &record,
            app.staff_id("spo.demo"),
            keepsafe_test_support::clock::now(),
        )
        .unwrap();
    }
    let po = app.sign_in("po.demo").await;
    let record = app.get(&format!("/cases/{crn}"), Some(&po)).await;
    assert!(record
        .body
        .contains(&format!("href=\"/cases/{crn}/quality\"")));
    let page = app.get(&format!("/cases/{crn}/quality"), Some(&po)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("data-testid=\"case-indicators\""));
    assert!(
        page.body.contains("Rule version:"),
        "each indicator's rule version"
    );
    assert!(page.body.contains(NO_REASON), "the auditor's reason");
    assert!(page.body.contains("Quality Auditor"));
    assert!(page
        .body
        .contains("Discussed the risk plan and the police check"));
    assert_eq!(
        audited(&app, "po.demo", "view_case_quality", Outcome::Allowed).len(),
        1
    );

    assert!(
        !page.body.contains("data-testid=\"audit-case-link\""),
        "a practitioner does not audit cases"
    );
    let spo = app.sign_in("spo.demo").await;
    let seen_by_manager = app.get(&format!("/cases/{crn}/quality"), Some(&spo)).await;
    assert!(seen_by_manager
        .body
        .contains(&format!("href=\"/cases/{crn}/quality/audit\"")));

    let other = app.sign_in("po.other").await;
    assert_eq!(
        status(&app, &format!("/cases/{crn}/quality"), &other).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        audited(&app, "po.other", "view_case_quality", Outcome::Refused).len(),
        1
    );
}

#[tokio::test]
async fn every_quality_view_is_audit_logged() {
    let app = TestApp::sqlite_without_quality_history();
    let quality = app.sign_in("quality.demo").await;
    for path in [
        "/quality".to_owned(),
        PDU.to_owned(),
        format!("{PDU}?source=automated"),
        format!("{PDU}/questions/2.1.safe"),
        format!("{PDU}/report"),
    ] {
        assert_eq!(
            status(&app, &path, &quality).await,
            StatusCode::OK,
            "{path}"
        );
    }
    for (action, count) in [
        ("view_quality_units", 1),
        ("view_quality_rating", 2),
        ("view_quality_cases", 1),
        ("view_quality_report", 1),
    ] {
        let rows = audited(&app, "quality.demo", action, Outcome::Allowed);
        assert_eq!(rows.len(), count, "{action}: {rows:?}");
        if action != "view_quality_units" {
            assert!(rows.iter().all(|r| r.detail == "pdu MIDW"), "{rows:?}");
        }
    }
}

/// The ratings panel's judgement of a domain-one standard, recorded by the head of PDU.
fn judge(app: &TestApp, standard: &str, rating: Rating, reason: &str) {
    let mut conn = app.db.database.connection().unwrap();
    judgements::record(
        &mut conn,
        &NewJudgement {
            framework: HMIP_PDU_2023,
            unit: Unit::Pdu(pdu_id(app)),
            standard,
            kind: JudgementKind::Judgement,
            rating,
            reason,
            recorded_by: app.staff_id("head.demo"),
        },
        keepsafe_test_support::clock::now(),
    )
    .unwrap();
}

#[tokio::test]
async fn once_the_panel_has_judged_the_domain_one_standards_a_pdu_is_given_its_overall_rating() {
    let app = TestApp::sqlite_without_quality_history();
    audit_cases(&app, 4);
    judge(
        &app,
        "1.1",
        Rating::Good,
        "Leaders know their cases and act on audits",
    );
    judge(
        &app,
        "1.2",
        Rating::RequiresImprovement,
        "Caseloads are too high",
    );
    judge(
        &app,
        "1.3",
        Rating::Good,
        "Services meet the needs of the caseload",
    );
    let head = app.sign_in("head.demo").await;
    let page = app.get(PDU, Some(&head)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let overall = page
        .body
        .split("data-testid=\"quality-overall\"")
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .unwrap_or_default();
    // 2 + 1 + 2 for the judged standards; the four case standards are Outstanding (3 each)
    // except 2.1 at 3 of 4 (75%, Good).
    assert!(overall.contains("16 of 21 points"), "{overall}");
    assert!(overall.contains("Good"), "{overall}");
    assert!(page.body.contains("How the overall rating was worked out"));
    assert!(
        page.body.contains("Caseloads are too high"),
        "the judgements applied are listed with their reasons"
    );
    assert!(
        page.body.contains("quality-rating-2026/1"),
        "with the rule version"
    );
}

#[tokio::test]
async fn moderation_shows_the_agreement_its_interval_kappa_and_the_answers_compared() {
    let app = TestApp::sqlite_without_quality_history();
    let cases = audit_cases(&app, 3);
    let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
    {
        let mut conn = app.db.database.connection().unwrap();
        let first = audits::for_person(&mut conn, cases[0].person_id).unwrap()[0].clone();
        // The senior officer moderates the first audit and finds 2.1.safe was met after all.
        let moderator = Auditor {
            id: app.staff_id("spo.demo"),
            name: "Senior Officer",
            on: today(),
            moderates: Some(first.id),
        };
        record_audit(&mut conn, &framework, &cases[0], None, &moderator).unwrap();
    }
    let spo = app.sign_in("spo.demo").await;
    let page = app.get(PDU, Some(&spo)).await;
    let compared = framework.key_questions().count();
    assert!(page.body.contains("data-testid=\"quality-moderation\""));
    assert!(page.body.contains(&format!(
        "{:.1}% ({} of {compared} answers, 95% interval",
        (compared - 1) as f64 * 100.0 / compared as f64,
        compared - 1
    )));
    assert!(page.body.contains("Cohen&#x27;s kappa") || page.body.contains("Cohen's kappa"));
    assert!(page.body.contains("Answers the moderator changed"));
    // The moderator's answers count: 2.1.safe is now 3 of 3.
    assert!(!page.body.contains(&format!(
        "{PDU}/questions/2.1.safe?framework=hmip-pdu-2023&amp;source=audit&amp;answer=no\">1<"
    )));
    let head = app.sign_in("head.demo").await;
    let case = app
        .get(&format!("/cases/{}/quality", cases[0].crn), Some(&head))
        .await;
    assert!(
        case.body.contains("Moderated by Senior Officer"),
        "{}",
        case.body
    );
    assert!(case.body.contains("Moderator: Yes"));
}

#[tokio::test]
async fn the_report_lists_recommendations_with_their_actions_and_flags_the_overdue_ones() {
    let app = TestApp::sqlite_without_quality_history();
    let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
    {
        let mut conn = app.db.database.connection().unwrap();
        let recommendation = Recommendation::new(
            &framework,
            "Obtain domestic-abuse information from the police for every case",
            Some("2.1"),
        )
        .unwrap();
        let id = plans::add_recommendation(
            &mut conn,
            &NewRecommendation {
                unit: Unit::Pdu(pdu_id(&app)),
                framework: HMIP_PDU_2023,
                recommendation: &recommendation,
                made_by: "HM Inspectorate of Probation, PDU inspection 2025",
                made_on: today() - chrono::Duration::days(200),
                recorded_by: app.staff_id("head.demo"),
            },
            keepsafe_test_support::clock::now(),
        )
        .unwrap();
        for (description, due) in [
            (
                "Send police checks for the court list each week",
                today() - chrono::Duration::days(10),
            ),
            (
                "Audit 20 cases for police checks",
                today() + chrono::Duration::days(30),
            ),
        ] {
            let action = QualityAction::new(description, "Head of PDU", due).unwrap();
            plans::add_action(
                &mut conn,
                id,
                &action,
                app.staff_id("head.demo"),
                keepsafe_test_support::clock::now(),
            )
            .unwrap();
        }
    }
    let head = app.sign_in("head.demo").await;
    let page = app.get(&format!("{PDU}/report"), Some(&head)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .body
        .contains("Obtain domestic-abuse information from the police for every case"));
    assert!(page
        .body
        .contains("HM Inspectorate of Probation, PDU inspection 2025"));
    assert_eq!(
        page.body.matches("govuk-tag--red\">Overdue").count(),
        1,
        "only the action past its due date is flagged"
    );
    let mut conn = app.db.database.connection().unwrap();
    let report = keepsafe_web::quality::report::build(
        &mut conn,
        Unit::Pdu(pdu_id(&app)),
        HMIP_PDU_2023,
        today(),
    )
    .unwrap();
    let markdown = keepsafe_web::quality::report::render_markdown(&report);
    assert!(markdown.contains("Send police checks for the court list each week | Head of PDU"));
    assert!(markdown.contains("**(overdue)**"));
}

#[tokio::test]
async fn the_2018_framework_is_rated_and_labelled_with_its_own_code() {
    let app = TestApp::sqlite_without_quality_history();
    let quality = app.sign_in("quality.demo").await;
    for path in [
        format!("{PDU}?framework=hmip-2018"),
        format!("{PDU}?framework=hmip-2018&source=automated"),
        format!("{PDU}/report?framework=hmip-2018"),
    ] {
        let page = app.get(&path, Some(&quality)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        assert!(page.body.contains("hmip-2018"), "{path}");
        assert!(
            !page.body.contains("against <strong>hmip-pdu-2023"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_demo_pdu_shows_its_audit_rating_trend_and_the_cases_behind_a_low_score() {
    let app = TestApp::sqlite();
    let head = app.sign_in("head.demo").await;
    let page = app.get("/quality/pdu/MIDW?source=audit", Some(&head)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("of 21 points"),
        "the panel's judgements complete the overall"
    );
    assert!(page.body.contains("data-testid=\"quality-trend-table\""));
    assert!(page.body.contains("data-testid=\"quality-moderation\""));
    let behind = app
        .get(
            "/quality/pdu/MIDW/questions/2.1.safe?source=audit&answer=no",
            Some(&head),
        )
        .await;
    assert_eq!(behind.status, StatusCode::OK);
    let crns = behind.body.matches("/quality\">").count();
    assert!(
        crns > 0,
        "the cases answered No are listed: {}",
        behind.body
    );
}

#[tokio::test]
async fn the_automated_rating_shows_its_weekly_record_as_a_trend() {
    let app = TestApp::sqlite();
    let head = app.sign_in("head.demo").await;
    let page = app
        .get("/quality/pdu/MIDW?source=automated", Some(&head))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Trend over the last 1 recorded week"),
        "the demo records this week's automated rating"
    );
    assert!(page
        .body
        .contains("Automated ratings as recorded each week"));
}

#[tokio::test]
async fn a_percentage_from_fewer_than_10_cases_carries_a_small_sample_caution() {
    let app = TestApp::sqlite_without_quality_history();
    audit_cases(&app, 4);
    let head = app.sign_in("head.demo").await;
    let page = app.get(&format!("{PDU}?source=audit"), Some(&head)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains("Small sample: 4 cases, read with caution"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("n = 4, small sample"),
        "on the chart too"
    );
    let report = app.get(&format!("{PDU}/report"), Some(&head)).await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.body.contains("Small sample: 4 cases"));
    let question = app
        .get(
            &format!("{PDU}/questions/2.1.safe?source=audit"),
            Some(&head),
        )
        .await;
    assert_eq!(question.status, StatusCode::OK);
    assert!(question.body.contains("Small sample: 4 cases"));
}
