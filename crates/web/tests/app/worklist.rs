//! The worklist: "My cases" sorted and filtered by what needs doing, the needs-attention summary
//! and its team view by practitioner, finding a case with restricted results, the paged waiting
//! list, the victim liaison officer's releases, and where each role lands. The data each test
//! reads is made by fixtures on the tests' fixed day.

use crate::support::{today, Session, TestApp};
use axum::http::StatusCode;
use keepsafe_domain::registration::RegistrationKind;
use keepsafe_domain::rosh::RoshLevel;
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_storage::testing::Backend;
use keepsafe_test_support::worklist as fixtures;
use std::collections::BTreeSet;
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

// ---------------------------------------------------------------------------------------------
// Reading pages
// ---------------------------------------------------------------------------------------------

/// A row of a caseload table, as its data attributes give it.
#[derive(Debug, Clone)]
struct Row {
    crn: String,
    rosh: String,
    tier: String,
}

/// The value of `attribute="…"` in `tag`.
fn attribute(tag: &str, attribute: &str) -> Option<String> {
    let marker = format!(" {attribute}=\"");
    let start = tag.find(&marker)? + marker.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

fn unescape(text: &str) -> String {
    text.replace("&amp;", "&")
        .replace("&#38;", "&")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
}

/// The opening tags of the elements with `data-testid="{testid}"`.
fn tags<'a>(body: &'a str, testid: &str) -> Vec<&'a str> {
    let marker = format!("data-testid=\"{testid}\"");
    body.match_indices(&marker)
        .map(|(at, _)| {
            let start = body[..at].rfind('<').unwrap();
            let end = at + body[at..].find('>').unwrap();
            &body[start..=end]
        })
        .collect()
}

fn rows(body: &str) -> Vec<Row> {
    tags(body, "case-row")
        .into_iter()
        .map(|tag| Row {
            crn: attribute(tag, "data-crn").unwrap(),
            rosh: attribute(tag, "data-rosh").unwrap(),
            tier: attribute(tag, "data-tier").unwrap(),
        })
        .collect()
}

fn crns(body: &str) -> BTreeSet<String> {
    rows(body).into_iter().map(|r| r.crn).collect()
}

/// The text inside the element with `data-testid="{testid}"`, tags removed.
fn text_of(body: &str, testid: &str) -> String {
    let marker = format!("data-testid=\"{testid}\"");
    let at = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no {testid} in the page"));
    let start = at + body[at..].find('>').unwrap() + 1;
    let mut depth = 0;
    let mut text = String::new();
    let mut rest = &body[start..];
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("</") {
            if depth == 0 {
                break;
            }
            depth -= 1;
            rest = &rest[rest.find('>').unwrap() + 1..];
        } else if c == '<' {
            depth += 1;
            rest = &rest[rest.find('>').unwrap() + 1..];
        } else {
            text.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    unescape(text.trim())
}

/// The number a needs-attention line starts with ("3 cases"), or 0 for "None".
fn count_in(body: &str, testid: &str) -> usize {
    let text = text_of(body, testid);
    text.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn href_of(body: &str, testid: &str) -> Option<String> {
    tags(body, testid)
        .first()
        .and_then(|tag| attribute(tag, "href"))
}

/// Every case of a page-by-page list, following its pages.
async fn all_rows(app: &TestApp, path: &str, session: &Session) -> Vec<Row> {
    let mut found = Vec::new();
    let mut page = 1;
    loop {
        let separator = if path.contains('?') { '&' } else { '?' };
        let body = get_ok(app, &format!("{path}{separator}page={page}"), session).await;
        let shown = rows(&body);
        let more = body.contains("rel=\"next\"");
        found.extend(shown);
        if !more {
            return found;
        }
        page += 1;
    }
}

async fn get_ok(app: &TestApp, path: &str, session: &Session) -> String {
    let page = app.get(path, Some(session)).await;
    assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
    page.body
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/// The current cases of a demo account, as (person, CRN), in CRN order.
pub(crate) fn cases_of(app: &TestApp, username: &str) -> Vec<(Uuid, String)> {
    let staff_id = app.staff_id(username);
    let mut cases: Vec<(Uuid, String)> = app
        .region
        .people
        .iter()
        .filter(|p| {
            p.allocations
                .iter()
                .any(|a| a.end_date.is_none() && a.staff_id == staff_id)
        })
        .map(|p| (p.id, p.crn.clone()))
        .collect();
    cases.sort_by(|a, b| a.1.cmp(&b.1));
    assert!(
        cases.len() >= 5,
        "{username} holds enough cases for the test"
    );
    cases
}

/// The CRNs among `cases` with a check waiting for an answer, and those past their deadline,
/// read case by case from the checks themselves.
pub(crate) fn checks_oracle(
    app: &TestApp,
    cases: &[(Uuid, String)],
) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut conn = app.db.database.connection().unwrap();
    let mut waiting = BTreeSet::new();
    let mut overdue = BTreeSet::new();
    for (person, crn) in cases {
        for check in keepsafe_storage::risk::checks::for_person(&mut conn, *person).unwrap() {
            let open = check.response.is_none()
                && check.authorised_without.is_none()
                && check.partner.as_ref().is_none_or(|p| p.closed_on.is_none());
            if open {
                waiting.insert(crn.clone());
                if check.deadline < today() {
                    overdue.insert(crn.clone());
                }
            }
        }
    }
    (waiting, overdue)
}

/// Work of every kind on four of po.demo's cases: an overdue check and an overdue assessment on
/// the first, a check due later on the second, an overdue review on the third, a flag due for
/// review on the fourth.
fn work_on_po_demos_cases(app: &TestApp) -> Vec<(Uuid, String)> {
    let cases = cases_of(app, "po.demo");
    let by = app.staff_id("po.demo");
    let mut conn = app.db.database.connection().unwrap();
    fixtures::check(&mut conn, cases[0].0, by, -5);
    fixtures::assessment_due(&mut conn, cases[0].0, 40);
    fixtures::check(&mut conn, cases[1].0, by, 7);
    fixtures::review(&mut conn, cases[2].0, -3);
    fixtures::flag_due_for_review(
        &mut conn,
        cases[3].0,
        RegistrationKind::DomesticAbusePerpetrator,
    );
    cases
}

// ---------------------------------------------------------------------------------------------
// My cases and needs attention
// ---------------------------------------------------------------------------------------------

on_both_backends!(
    every_needs_attention_count_is_the_cases_its_link_lists,
    |app| {
        let cases = work_on_po_demos_cases(&app);
        let session = app.sign_in("po.demo").await;
        let body = get_ok(&app, "/cases", &session).await;
        let (waiting, overdue) = checks_oracle(&app, &cases);

        for (testid, must_include) in [
            ("attention-checks-overdue", Some(&cases[0].1)),
            ("attention-checks-waiting", Some(&cases[1].1)),
            ("attention-assessments-overdue", Some(&cases[0].1)),
            ("attention-flags", Some(&cases[3].1)),
        ] {
            let count = count_in(&body, testid);
            let href = href_of(&body, &format!("{testid}-link"))
                .unwrap_or_else(|| panic!("{testid} links to its cases"));
            let listed: BTreeSet<String> = all_rows(&app, &href, &session)
                .await
                .into_iter()
                .map(|r| r.crn)
                .collect();
            assert_eq!(listed.len(), count, "{testid}: {href}");
            if let Some(crn) = must_include {
                assert!(listed.contains(crn), "{testid} lists {crn}: {listed:?}");
            }
            match testid {
                "attention-checks-overdue" => assert_eq!(listed, overdue),
                "attention-checks-waiting" => assert_eq!(listed, waiting),
                _ => {}
            }
        }
        assert!(
            !overdue.contains(&cases[1].1),
            "a check due later is not overdue"
        );

        // Reviews count the tasks, and link to the tasks page that lists them.
        let reviews = text_of(&body, "attention-reviews");
        assert!(reviews.contains("overdue"), "{reviews}");
        assert_eq!(
            href_of(&body, "attention-reviews-link").as_deref(),
            Some("/tasks#reviews")
        );
        let tasks = get_ok(&app, "/tasks", &session).await;
        assert!(tasks.contains("id=\"reviews\""));
        assert!(tasks.contains(&cases[2].1));
    }
);

#[tokio::test]
async fn an_overdue_assessment_is_a_task_for_the_practitioner_and_their_senior_officer() {
    let app = TestApp::sqlite();
    let cases = cases_of(&app, "po.demo");
    {
        let mut conn = app.db.database.connection().unwrap();
        fixtures::assessment_due(&mut conn, cases[0].0, 60);
        fixtures::assessment_due(&mut conn, cases[1].0, 3);
    }
    for username in ["po.demo", "spo.demo"] {
        let session = app.sign_in(username).await;
        let body = get_ok(&app, "/tasks", &session).await;
        let table = text_of(&body, "assessments-overdue");
        assert!(table.contains(&cases[0].1), "{username}: {table}");
        assert!(
            !table.contains(&cases[1].1),
            "allocated 3 days ago, not yet due: {table}"
        );
        let due =
            keepsafe_domain::calendar::add_working_days(today() - chrono::Duration::days(60), 15);
        assert!(
            table.contains(&due.format("%-d %B %Y").to_string()),
            "{table}"
        );
    }
}

#[tokio::test]
async fn my_cases_sorts_by_risk_of_serious_harm_highest_first_with_the_unassessed_last() {
    let app = TestApp::sqlite();
    let cases = cases_of(&app, "po.demo");
    let by = app.staff_id("po.demo");
    {
        let mut conn = app.db.database.connection().unwrap();
        fixtures::assessed(&mut conn, cases[0].0, RoshLevel::Low, by);
        fixtures::assessed(&mut conn, cases[1].0, RoshLevel::VeryHigh, by);
        fixtures::assessed(&mut conn, cases[2].0, RoshLevel::High, by);
        fixtures::assessment_due(&mut conn, cases[3].0, 5);
    }
    let session = app.sign_in("po.demo").await;
    let rank = |rosh: &str| match rosh {
        "Very high" => 4,
        "High" => 3,
        "Medium" => 2,
        "Low" => 1,
        "Not assessed" => 0,
        other => panic!("unexpected level {other}"),
    };
    let highest_first = all_rows(&app, "/cases?sort=rosh&order=desc", &session).await;
    let levels: Vec<i32> = highest_first.iter().map(|r| rank(&r.rosh)).collect();
    assert!(
        levels.windows(2).all(|w| w[0] >= w[1]),
        "highest first: {levels:?}"
    );
    let position = |rows: &[Row], crn: &str| rows.iter().position(|r| r.crn == crn).unwrap();
    assert!(position(&highest_first, &cases[1].1) < position(&highest_first, &cases[2].1));
    assert!(position(&highest_first, &cases[2].1) < position(&highest_first, &cases[0].1));

    let lowest_first = all_rows(&app, "/cases?sort=rosh&order=asc", &session).await;
    let levels: Vec<i32> = lowest_first.iter().map(|r| rank(&r.rosh)).collect();
    let assessed: Vec<i32> = levels.iter().copied().filter(|l| *l > 0).collect();
    assert!(assessed.windows(2).all(|w| w[0] <= w[1]), "{levels:?}");
    assert_eq!(
        lowest_first.last().map(|r| r.rosh.as_str()),
        Some("Not assessed"),
        "cases not assessed come last either way"
    );
    let body = get_ok(&app, "/cases?sort=rosh&order=desc", &session).await;
    assert!(
        body.contains("All cases, sorted by risk of serious harm, highest first."),
        "the sort is said in words"
    );
    assert!(body.contains("aria-sort=\"descending\""));
}

#[tokio::test]
async fn my_cases_sorts_by_tier_a_first_with_tiers_not_computed_last() {
    let app = TestApp::sqlite();
    let session = app.sign_in("po.demo").await;
    let sorted = all_rows(&app, "/cases?sort=tier&order=asc", &session).await;
    let tiers: Vec<&str> = sorted.iter().map(|r| r.tier.as_str()).collect();
    let computed: Vec<&str> = tiers
        .iter()
        .copied()
        .take_while(|t| *t != "Not computed")
        .collect();
    assert!(!computed.is_empty(), "{tiers:?}");
    assert!(computed.windows(2).all(|w| w[0] <= w[1]), "{tiers:?}");
    assert!(
        tiers[computed.len()..].iter().all(|t| *t == "Not computed"),
        "{tiers:?}"
    );
    let reversed = all_rows(&app, "/cases?sort=tier&order=desc", &session).await;
    let first = reversed.first().unwrap().tier.clone();
    assert_eq!(first, *computed.last().unwrap(), "D first when reversed");
}

#[tokio::test]
async fn each_filter_keeps_only_the_cases_it_names_and_says_so() {
    let app = TestApp::sqlite();
    let cases = work_on_po_demos_cases(&app);
    {
        let mut conn = app.db.database.connection().unwrap();
        fixtures::assessed(
            &mut conn,
            cases[4].0,
            RoshLevel::High,
            app.staff_id("po.demo"),
        );
    }
    let session = app.sign_in("po.demo").await;
    let everything = all_rows(&app, "/cases", &session).await;
    let all: BTreeSet<String> = everything.iter().map(|r| r.crn.clone()).collect();
    let (waiting, overdue) = checks_oracle(&app, &cases);

    for spec in keepsafe_web::cases::list::FILTERS {
        for (code, _, phrase) in spec.options {
            let path = format!("/cases?{}={code}", spec.name);
            let body = get_ok(&app, &path, &session).await;
            assert!(
                text_of(&body, "case-filter-words").contains(phrase),
                "{path} says {phrase:?}"
            );
            assert_eq!(href_of(&body, "clear-filters").as_deref(), Some("/cases"));
            let listed = all_rows(&app, &path, &session).await;
            let listed_crns: BTreeSet<String> = listed.iter().map(|r| r.crn.clone()).collect();
            assert!(listed_crns.is_subset(&all), "{path}");
            match (spec.name, *code) {
                ("rosh", "high") => {
                    assert!(listed.iter().all(|r| r.rosh == "High"), "{path}");
                    assert!(listed_crns.contains(&cases[4].1), "{path}");
                }
                ("rosh", "none") => assert!(listed.iter().all(|r| r.rosh == "Not assessed")),
                ("tier", letter) if letter.len() == 1 => {
                    assert!(listed.iter().all(|r| r.tier.starts_with(letter)), "{path}");
                    let expected = everything.iter().filter(|r| r.tier.starts_with(letter));
                    assert_eq!(listed.len(), expected.count(), "{path}");
                }
                ("checks", "overdue") => assert_eq!(listed_crns, overdue),
                ("checks", "outstanding") => assert_eq!(listed_crns, waiting),
                ("checks", "none") => {
                    assert_eq!(listed_crns, &all - &waiting);
                }
                ("assessment", "overdue") => assert!(listed_crns.contains(&cases[0].1)),
                ("assessment", "none") => assert!(!listed_crns.contains(&cases[0].1)),
                ("reviews", "overdue") | ("reviews", "open") => {
                    assert!(listed_crns.contains(&cases[2].1), "{path}")
                }
                ("flags", "review") => assert!(listed_crns.contains(&cases[3].1), "{path}"),
                _ => {}
            }
        }
    }
}

#[tokio::test]
async fn filters_and_sorting_are_kept_in_the_links_and_said_in_words_with_a_link_to_clear_them() {
    let app = TestApp::sqlite();
    work_on_po_demos_cases(&app);
    let session = app.sign_in("po.demo").await;
    let body = get_ok(
        &app,
        "/cases?checks=outstanding&assessment=overdue&sort=assessment&order=asc",
        &session,
    )
    .await;
    assert_eq!(
        text_of(&body, "case-filter-words"),
        "Cases with checks waiting for an answer and a risk assessment overdue, sorted by risk \
         assessment due, earliest first. Clear filters and sorting"
    );
    // Every sort link keeps the filters.
    for tag in body
        .match_indices("aria-sort=")
        .map(|(at, _)| &body[at..at + 300])
    {
        let href = attribute(&format!(" {tag}"), "href").unwrap();
        assert!(
            href.contains("checks=outstanding") && href.contains("assessment=overdue"),
            "{href}"
        );
    }
    // An unknown value is ignored rather than refused.
    let odd = get_ok(&app, "/cases?checks=sometimes", &session).await;
    assert!(!odd.contains("data-testid=\"case-filter-words\""));
}

// ---------------------------------------------------------------------------------------------
// The team's needs attention, by practitioner
// ---------------------------------------------------------------------------------------------

on_both_backends!(
    a_senior_officer_sees_each_practitioners_counts_and_the_cases_behind_them,
    |app| {
        let cases = work_on_po_demos_cases(&app);
        let team = app.team_code_of("spo.demo");
        let po = app.staff_id("po.demo").to_string();

        let own = get_ok(&app, "/cases", &app.sign_in("po.demo").await).await;
        let spo = app.sign_in("spo.demo").await;
        let body = get_ok(&app, &format!("/teams/{team}/attention"), &spo).await;
        let line_start = body
            .find(&format!("data-staff=\"{po}\""))
            .expect("po.demo has a line");
        let line = &body[line_start..line_start + body[line_start..].find("</tr>").unwrap()];

        // The line's links, in column order: checks overdue is the second column.
        let links: Vec<String> = line
            .match_indices("href=\"")
            .map(|(at, _)| attribute(&format!(" {}", &line[at..]), "href").unwrap())
            .collect();
        let checks_link = links
            .iter()
            .find(|href| href.ends_with("checks=overdue"))
            .expect("po.demo has cases with checks overdue");
        assert!(checks_link.contains(&format!("practitioner={po}")));
        let behind = all_rows(&app, checks_link, &spo).await;
        assert_eq!(behind.len(), count_in(&own, "attention-checks-overdue"));
        assert!(behind.iter().any(|r| r.crn == cases[0].1));
        let held: BTreeSet<String> = cases.iter().map(|(_, crn)| crn.clone()).collect();
        assert!(
            behind.iter().all(|r| held.contains(&r.crn)),
            "only po.demo's cases"
        );

        let assessments_link = links
            .iter()
            .find(|href| href.ends_with("assessment=overdue"))
            .expect("po.demo has an overdue assessment");
        assert_eq!(
            all_rows(&app, assessments_link, &spo).await.len(),
            count_in(&own, "attention-assessments-overdue")
        );
        let narrowed = get_ok(&app, checks_link, &spo).await;
        assert!(
            text_of(&narrowed, "case-filter-words").starts_with("Cases of "),
            "the practitioner is named"
        );
    }
);

#[tokio::test]
async fn a_head_of_pdu_sees_the_work_waiting_in_each_team_of_the_pdu() {
    let app = TestApp::sqlite();
    work_on_po_demos_cases(&app);
    let head = app.sign_in("head.demo").await;
    assert_eq!(app.get("/", Some(&head)).await.location(), Some("/teams"));
    let body = get_ok(&app, "/teams", &head).await;
    let team = app.team_code_of("po.demo");
    let line_start = body
        .find(&format!("data-team=\"{team}\""))
        .expect("po.demo's team is listed");
    let line = &body[line_start..line_start + body[line_start..].find("</tr>").unwrap()];
    let overdue: usize = text_of(line, "team-checks-overdue").parse().unwrap();
    let assessments: usize = text_of(line, "team-assessments-overdue").parse().unwrap();
    assert!(overdue >= 1 && assessments >= 1, "{overdue} {assessments}");
    let behind = |filter: &'static str| {
        let path = format!("/teams/{team}?{filter}");
        let head = head.clone();
        let app = &app;
        async move { all_rows(app, &path, &head).await.len() }
    };
    assert_eq!(overdue, behind("checks=overdue").await);
    assert_eq!(assessments, behind("assessment=overdue").await);
    assert!(line.contains(&format!("/teams/{team}/attention")));
    get_ok(&app, &format!("/teams/{team}/attention"), &head).await;
}

#[tokio::test]
async fn nobody_outside_the_team_sees_its_needs_attention_and_each_refusal_is_audited() {
    let app = TestApp::sqlite();
    let own_team = app.team_code_of("po.demo");
    let other_team = app.team_code_of("po.other");
    for (username, team) in [
        ("po.demo", &own_team),
        ("po.demo", &other_team),
        ("po.other", &own_team),
        ("spo.demo", &other_team),
    ] {
        let session = app.sign_in(username).await;
        let page = app
            .get(&format!("/teams/{team}/attention"), Some(&session))
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{username} on {team}");
        let refusals: Vec<_> = app
            .audit(AuditFilter {
                actor: Some(username.into()),
                outcome: Some(Outcome::Refused),
                ..Default::default()
            })
            .into_iter()
            .filter(|r| {
                r.detail.contains(team.as_str())
                    && (r.action == "view_team_attention"
                        || (r.action == "open_page" && r.detail.contains("/attention")))
            })
            .collect();
        assert_eq!(
            refusals.len(),
            1,
            "{username}'s refusal on {team} is audited"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Finding a case
// ---------------------------------------------------------------------------------------------

on_both_backends!(
    a_case_is_found_by_name_date_of_birth_or_crn_and_another_teams_case_is_restricted,
    |app| {
        let session = app.sign_in("po.demo").await;
        let own = app
            .region
            .people
            .iter()
            .find(|p| p.crn == app.case_of("po.demo"))
            .unwrap();
        let other = app
            .region
            .people
            .iter()
            .find(|p| p.crn == app.case_of("po.other"))
            .unwrap();

        // By name: first and last, either order, any case.
        let by_name = get_ok(
            &app,
            &format!(
                "/find?name={}+{}",
                own.last_name.to_uppercase(),
                own.first_name.to_lowercase()
            ),
            &session,
        )
        .await;
        assert!(by_name.contains(&format!("data-crn=\"{}\"", own.crn)));
        assert!(by_name.contains(&own.last_name));

        // By date of birth.
        let dob = own.date_of_birth;
        let by_dob = get_ok(
            &app,
            &format!(
                "/find?dob-day={}&dob-month={}&dob-year={}",
                dob.format("%-d"),
                dob.format("%-m"),
                dob.format("%Y")
            ),
            &session,
        )
        .await;
        assert!(by_dob.contains(&format!("data-crn=\"{}\"", own.crn)));

        // By CRN: one case they may open goes straight to it.
        let by_crn = app
            .get(
                &format!("/find?crn={}", own.crn.to_lowercase()),
                Some(&session),
            )
            .await;
        assert_eq!(
            by_crn.location(),
            Some(format!("/cases/{}", own.crn).as_str())
        );

        // Another team's case: listed as restricted, nothing about the person shown.
        let restricted = get_ok(&app, &format!("/find?crn={}", other.crn), &session).await;
        assert!(restricted.contains(&format!(
            "data-crn=\"{}\" data-restricted=\"true\"",
            other.crn
        )));
        assert!(restricted.contains("Restricted: you do not have access to this case"));
        assert!(!restricted.contains(&other.last_name), "no name");
        assert!(
            !restricted.contains(&format!("/cases/{}", other.crn)),
            "no link"
        );
        let by_other_name = get_ok(
            &app,
            &format!("/find?name={}+{}", other.first_name, other.last_name),
            &session,
        )
        .await;
        assert!(by_other_name.contains(&format!(
            "data-crn=\"{}\" data-restricted=\"true\"",
            other.crn
        )));

        // Every search is audit-logged with its terms.
        let searches: Vec<_> = app
            .audit(AuditFilter {
                actor: Some("po.demo".into()),
                ..Default::default()
            })
            .into_iter()
            .filter(|r| r.action == "search_cases")
            .collect();
        assert_eq!(searches.len(), 5);
        assert!(searches
            .iter()
            .any(|r| r.detail.contains(&format!("CRN {}", other.crn))
                && r.detail.contains("1 restricted")));
        assert!(searches.iter().any(|r| r
            .detail
            .contains(&format!("date of birth {}", dob.format("%-d %B %Y")))));
    }
);

on_both_backends!(
    many_results_come_a_page_at_a_time_with_the_count_of_all,
    |app| {
        let session = app.sign_in("po.demo").await;
        // The letter found in the most first or last names in the region.
        let starting = |letter: char| {
            app.region
                .people
                .iter()
                .filter(|p| {
                    p.first_name.to_lowercase().contains(letter)
                        || p.last_name.to_lowercase().contains(letter)
                })
                .count()
        };
        let letter = ('a'..='z').max_by_key(|l| starting(*l)).unwrap();
        let expected = starting(letter);
        assert!(
            expected > 20,
            "enough people for two pages: {expected} of {}",
            app.region.people.len()
        );
        let first = get_ok(&app, &format!("/find?name={letter}"), &session).await;
        assert_eq!(
            text_of(&first, "find-summary"),
            format!("{expected} cases found for name “{letter}”.")
        );
        assert_eq!(tags(&first, "find-result").len(), 20);
        let second = get_ok(&app, &format!("/find?name={letter}&page=2"), &session).await;
        let second_results = tags(&second, "find-result");
        assert_eq!(second_results.len(), (expected - 20).min(20));
        let first_crns: BTreeSet<String> = tags(&first, "find-result")
            .iter()
            .map(|t| attribute(t, "data-crn").unwrap())
            .collect();
        assert!(second_results
            .iter()
            .all(|t| !first_crns.contains(&attribute(t, "data-crn").unwrap())));
    }
);

#[tokio::test]
async fn a_search_with_nothing_to_look_for_or_a_bad_date_says_what_to_fix() {
    let app = TestApp::sqlite();
    let session = app.sign_in("po.demo").await;
    let empty = get_ok(&app, "/find?name=&crn=", &session).await;
    assert!(empty.contains("Enter a name, a date of birth or a CRN"));
    assert!(empty.contains("href=\"#name\""));
    let bad = get_ok(
        &app,
        "/find?dob-day=31&dob-month=2&dob-year=1990&name=sam",
        &session,
    )
    .await;
    assert!(bad.contains("href=\"#dob-day\""), "{bad}");
    assert!(bad.contains("value=\"sam\""), "what was typed is kept");
    let fresh = get_ok(&app, "/find", &session).await;
    assert!(!fresh.contains("govuk-error-summary"));
}

// ---------------------------------------------------------------------------------------------
// The waiting list, the releases worklist
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_waiting_list_is_paged_longest_waiting_first_with_offence_in_words() {
    let app = TestApp::sqlite();
    let team = app.team_code_of("spo.demo");
    let spo = app.sign_in("spo.demo").await;
    let body = get_ok(&app, &format!("/teams/{team}"), &spo).await;
    let since: Vec<String> = tags(&body, "waiting-row")
        .iter()
        .map(|t| attribute(t, "data-since").unwrap())
        .collect();
    assert!(!since.is_empty(), "cases are waiting in the demo PDU");
    assert!(
        since.windows(2).all(|w| w[0] <= w[1]),
        "oldest first: {since:?}"
    );
    assert!(since.len() <= 25);
    let waiting = text_of(&body, "waiting-table");
    assert!(waiting.contains("Risk of serious harm"));
    assert!(
        !waiting.contains('_'),
        "offences and sentences in words, not codes: {waiting}"
    );
    let count = text_of(&body, "waiting-count");
    let total: usize = count
        .split(" of ")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("{count}"));
    if total > 25 {
        let next = get_ok(&app, &format!("/teams/{team}?waiting_page=2"), &spo).await;
        let later: Vec<String> = tags(&next, "waiting-row")
            .iter()
            .map(|t| attribute(t, "data-since").unwrap())
            .collect();
        assert!(later.first().unwrap() >= since.last().unwrap());
    }
}

#[tokio::test]
async fn the_victim_liaison_officer_lands_on_releases_and_mappa_cases_in_their_region() {
    let app = TestApp::sqlite();
    let cases = cases_of(&app, "po.other");
    {
        let mut conn = app.db.database.connection().unwrap();
        fixtures::release_on(&mut conn, cases[0].0, today() + chrono::Duration::days(10));
        fixtures::release_on(&mut conn, cases[1].0, today() + chrono::Duration::days(200));
    }
    let vlo = app.sign_in("vlo.demo").await;
    assert_eq!(app.get("/", Some(&vlo)).await.location(), Some("/releases"));
    let body = get_ok(&app, "/releases", &vlo).await;
    let listed: Vec<String> = tags(&body, "release-row")
        .iter()
        .map(|t| attribute(t, "data-crn").unwrap())
        .collect();
    assert!(
        listed.contains(&cases[0].1),
        "a release in 10 days is listed"
    );
    assert!(body.contains("Due for release on 12 December 2026"));
    assert!(
        !listed.contains(&cases[1].1),
        "a release months away is not"
    );
    let audited = app.audit(AuditFilter {
        actor: Some("vlo.demo".into()),
        ..Default::default()
    });
    assert!(audited.iter().any(|r| r.action == "view_release_worklist"));

    let po = app.sign_in("po.demo").await;
    assert_eq!(
        app.get("/releases", Some(&po)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn my_cases_and_a_team_caseload_are_paged() {
    let app = TestApp::sqlite();
    let team = app.team_code_of("spo.demo");
    let spo = app.sign_in("spo.demo").await;
    let first = get_ok(&app, &format!("/teams/{team}"), &spo).await;
    let all = all_rows(&app, &format!("/teams/{team}"), &spo).await;
    assert!(rows(&first).len() <= 50);
    let unique: BTreeSet<String> = all.iter().map(|r| r.crn.clone()).collect();
    assert_eq!(unique.len(), all.len(), "no case on two pages");
    let po = app.sign_in("po.demo").await;
    let mine = crns(&get_ok(&app, "/cases", &po).await);
    assert_eq!(mine.len(), cases_of(&app, "po.demo").len());
}

on_both_backends!(
    a_case_is_found_by_a_name_the_person_has_been_known_by,
    |app| {
        let session = app.sign_in("po.demo").await;
        let crn = app.case_of("po.demo");
        // A name no demo person has, given as an alias on the case record.
        let added = app
            .post(
                &format!("/cases/{crn}/aliases/new"),
                &session,
                &[("first_name", "Zebedee"), ("last_name", "Quillfeather")],
            )
            .await;
        assert!(added.status.is_redirection(), "{}", added.body);

        let by_alias = get_ok(&app, "/find?name=quillfeather", &session).await;
        assert!(
            by_alias.contains(&format!("data-crn=\"{crn}\"")),
            "found by the alias's last name: {by_alias}"
        );
        let by_part = get_ok(&app, "/find?name=zebed+quill", &session).await;
        assert!(by_part.contains(&format!("data-crn=\"{crn}\"")));
        let nobody = get_ok(&app, "/find?name=quillfeathers", &session).await;
        assert!(!nobody.contains(&format!("data-crn=\"{crn}\"")));
    }
);
