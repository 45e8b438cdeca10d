//! Allocating a case: `/cases/{crn}/allocate`.

use crate::support::{today, TestApp};
use axum::http::StatusCode;
use keepsafe_domain::registration::MappaLevel;
use keepsafe_domain::rosh::{AssessmentStatus, RoshLevel};
use keepsafe_domain::staff::Grade;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::workload::allocation;

/// A case in spo.demo's PDU waiting for allocation.
pub(crate) fn unallocated_case_in_spo_pdu(app: &TestApp) -> String {
    let spo = app.staff_id("spo.demo");
    let pdu = app
        .region
        .staff
        .iter()
        .find(|s| s.id == spo)
        .and_then(|s| s.pdu_id)
        .unwrap();
    app.region
        .people
        .iter()
        .find(|p| p.pdu_id == pdu && p.allocations.iter().all(|a| a.end_date.is_some()))
        .map(|p| p.crn.clone())
        .expect("the demo region has a case waiting for allocation in spo.demo's PDU")
}

fn name_of(app: &TestApp, username: &str) -> String {
    let id = app.staff_id(username);
    let s = app.region.staff.iter().find(|s| s.id == id).unwrap();
    format!("{} {}", s.first_name, s.last_name)
}

#[tokio::test]
async fn a_senior_officer_allocates_a_waiting_case_to_a_practitioner() {
    let app = TestApp::sqlite();
    let crn = unallocated_case_in_spo_pdu(&app);
    let spo = app.sign_in("spo.demo").await;
    let path = format!("/cases/{crn}/allocate");

    let form = app.get(&path, Some(&spo)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let po = app.staff_id("po.demo");
    assert!(
        form.body.contains(&po.to_string()),
        "po.demo is a candidate"
    );
    assert!(form.body.contains("with this case"));
    assert!(form.body.contains("MAPPA level"));
    assert!(form.body.contains("Risk of serious harm"));
    assert!(form.body.contains("Recommended"));

    // Nobody chosen and no reason: both asked for.
    let refused = app.post(&path, &spo, &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("There is a problem"));
    assert!(refused.body.contains("Select who to allocate the case to"));
    assert!(refused
        .body
        .contains("Enter why you are allocating the case to them"));

    let reason = "New community order; capacity in the team";
    let done = app
        .post(
            &path,
            &spo,
            &[
                ("staff", &po.to_string()),
                ("reason", reason),
                ("override-reason", ""),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let confirmation = done.location().unwrap().to_owned();
    assert!(
        confirmation.starts_with("/workload/allocations?allocated="),
        "{confirmation}"
    );
    let confirmed = app.get(&confirmation, Some(&spo)).await;
    assert_eq!(confirmed.status, StatusCode::OK);
    assert!(confirmed.body.contains("data-testid=\"allocated-banner\""));
    assert!(
        confirmed
            .body
            .contains(&format!("is allocated to {}", name_of(&app, "po.demo"))),
        "the banner names the new practitioner"
    );
    let due = keepsafe_domain::calendar::add_working_days(today(), 5);
    assert!(
        confirmed.body.contains(&format!(
            "{} has a task to arrange the induction appointment by {}",
            name_of(&app, "po.demo"),
            due.format("%-d %B %Y")
        )),
        "the banner names the induction task: {}",
        confirmed.body
    );

    let record = app.get(&format!("/cases/{crn}"), Some(&spo)).await;
    assert_eq!(record.status, StatusCode::OK);
    let managed = format!("{} (", name_of(&app, "po.demo"));
    assert!(record.body.contains("Managed by"));
    assert!(record.body.contains(&managed), "the case shows po.demo");
    assert!(record.body.contains(reason), "the allocation history");

    let mut conn = app.db.database.connection().unwrap();
    let case = case_record::locate(&mut conn, &crn).unwrap().unwrap();
    let tasks = allocation::tasks_for_person(&mut conn, case.person_id).unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].staff_id, po);
    assert_eq!(tasks[0].title, "Arrange the induction appointment");
    assert_eq!(
        tasks[0].due_on,
        keepsafe_domain::calendar::add_working_days(today(), 5)
    );
    drop(conn);

    let audit = app.audit(AuditFilter {
        crn: Some(crn.clone()),
        actor: None,
        outcome: Some(Outcome::Allowed),
    });
    assert!(audit
        .iter()
        .any(|row| row.action == "allocate_case" && row.detail.contains("allocated to")));

    // po.demo now holds it, so may open it.
    let po_session = app.sign_in("po.demo").await;
    assert_eq!(
        app.get(&format!("/cases/{crn}"), Some(&po_session))
            .await
            .status,
        StatusCode::OK
    );
    // ...and sees the induction task on their task list.
    let tasks_page = app.get("/tasks", Some(&po_session)).await;
    assert!(tasks_page.body.contains("data-testid=\"own-tasks\""));
    assert!(tasks_page
        .body
        .contains("Arrange the induction appointment"));
    assert!(tasks_page.body.contains(&crn));
}

#[tokio::test]
async fn a_pso_for_a_high_risk_case_needs_an_override_reason() {
    let app = TestApp::sqlite();
    let spo = app.staff_id("spo.demo");
    let team = app
        .region
        .staff
        .iter()
        .find(|s| s.id == spo)
        .and_then(|s| s.team_id)
        .unwrap();
    let pdu = app
        .region
        .staff
        .iter()
        .find(|s| s.id == spo)
        .and_then(|s| s.pdu_id)
        .unwrap();
    // A case spo.demo oversees (in their team, or waiting in their PDU) that should go to a PO.
    let risky = app
        .region
        .people
        .iter()
        .filter(|p| p.pdu_id == pdu)
        .filter(
            |p| match p.allocations.iter().find(|a| a.end_date.is_none()) {
                Some(current) => current.team_id == team,
                None => true,
            },
        )
        .find(|p| {
            let high = p.assessments.iter().any(|a| {
                a.status == AssessmentStatus::Completed
                    && matches!(a.case_level, Some(RoshLevel::High | RoshLevel::VeryHigh))
            });
            let mappa = p.registrations.iter().any(|r| {
                r.ended_on.is_none_or(|end| end > today())
                    && matches!(
                        r.mappa_level,
                        Some(MappaLevel::ActiveMultiAgency | MappaLevel::SeniorOversight)
                    )
            });
            high || mappa
        })
        .expect("spo.demo oversees a high-RoSH or MAPPA 2/3 case");
    let crn = risky.crn.clone();
    let pso = app
        .region
        .staff
        .iter()
        .find(|s| s.grade == Grade::ProbationServiceOfficer && s.pdu_id == Some(pdu))
        .expect("a PSO in the PDU")
        .id;

    let session = app.sign_in("spo.demo").await;
    let path = format!("/cases/{crn}/allocate");
    let form = app.get(&path, Some(&session)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form
        .body
        .contains("this case should go to a probation officer"));

    let refused = app
        .post(
            &path,
            &session,
            &[
                ("staff", &pso.to_string()),
                ("reason", "Continuity"),
                ("override-reason", ""),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(
            "record why this case should go to a probation services officer rather than a \
             probation officer"
        ),
        "{}",
        refused.body
    );

    let accepted = app
        .post(
            &path,
            &session,
            &[
                ("staff", &pso.to_string()),
                ("reason", "Continuity"),
                (
                    "override-reason",
                    "Co-worked with a PO; knows the family well",
                ),
            ],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
}

#[tokio::test]
async fn practitioners_cannot_allocate() {
    let app = TestApp::sqlite();
    let own = app.case_of("po.demo");
    let waiting = unallocated_case_in_spo_pdu(&app);
    let po = app.sign_in("po.demo").await;
    let other = app.sign_in("po.other").await;
    for crn in [&own, &waiting] {
        let path = format!("/cases/{crn}/allocate");
        assert_eq!(
            app.get(&path, Some(&po)).await.status,
            StatusCode::FORBIDDEN
        );
        let po_id = app.staff_id("po.demo").to_string();
        let post = app
            .post(&path, &po, &[("staff", &po_id), ("reason", "Mine now")])
            .await;
        assert_eq!(post.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.get(&path, Some(&other)).await.status,
            StatusCode::FORBIDDEN
        );
    }
    let refusals = app.audit(AuditFilter {
        crn: Some(own.clone()),
        actor: None,
        outcome: Some(Outcome::Refused),
    });
    assert!(refusals.iter().any(|row| row.action == "allocate_case"));
}

#[tokio::test]
async fn a_senior_officer_cannot_allocate_to_someone_outside_the_pdu() {
    let app = TestApp::sqlite();
    let crn = unallocated_case_in_spo_pdu(&app);
    let spo = app.sign_in("spo.demo").await;
    let outsider = app
        .region
        .staff
        .iter()
        .find(|s| {
            s.grade == Grade::ProbationOfficer
                && s.pdu_id
                    != app
                        .region
                        .staff
                        .iter()
                        .find(|x| x.username.as_deref() == Some("spo.demo"))
                        .unwrap()
                        .pdu_id
        })
        .map(|s| s.id);
    let Some(outsider) = outsider else {
        return;
    };
    let page = app
        .post(
            &format!("/cases/{crn}/allocate"),
            &spo,
            &[("staff", &outsider.to_string()), ("reason", "Cover")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Select who to allocate the case to"));
}

/// The candidates as the page lists them, in order: (staff id, recommended, over capacity, grade
/// guidance against them).
fn listed(body: &str) -> Vec<(String, bool, bool, bool)> {
    body.split("data-testid=\"candidate\"")
        .skip(1)
        .map(|item| {
            let item = item
                .split("</div>\n            </div>")
                .next()
                .unwrap_or(item);
            let id = item
                .split("value=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_default()
                .to_owned();
            (
                id,
                item.contains("data-testid=\"recommended\""),
                item.contains("data-testid=\"over-capacity\""),
                item.contains("allocate to a probation officer unless"),
            )
        })
        .collect()
}

/// Takes all but one of a practitioner's contracted hours off from yesterday, so any caseload
/// puts them over capacity.
fn nearly_no_hours(app: &TestApp, username: &str) {
    use keepsafe_domain::workload::ReductionKind;
    use keepsafe_storage::workload::{add_reduction, NewReduction};
    let id = app.staff_id(username);
    let mut conn = app.db.database.connection().unwrap();
    let hours = keepsafe_storage::staff::contracted_hours(&mut conn, id).unwrap();
    add_reduction(
        &mut conn,
        &NewReduction {
            staff_id: id,
            kind: ReductionKind::Other,
            hours: hours - 1.0,
            from: today().pred_opt().unwrap(),
            to: None,
            reason: "Seconded to another project".into(),
            created_by: None,
        },
        keepsafe_test_support::clock::now(),
    )
    .unwrap();
}

#[tokio::test]
async fn the_allocation_page_describes_the_case_first_and_recommends_the_first_in_its_stated_order()
{
    let app = TestApp::sqlite();
    let crn = unallocated_case_in_spo_pdu(&app);
    nearly_no_hours(&app, "po.demo");
    let spo = app.sign_in("spo.demo").await;
    let page = app
        .get(&format!("/cases/{crn}/allocate?show=pdu"), Some(&spo))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);

    // The case first: flags, offence, sentence, risk and tier, before the candidates.
    let about = page.body.find("About the case").unwrap();
    let candidates = page.body.find("Who should hold the case").unwrap();
    assert!(about < candidates);
    for key in [
        "Flags",
        "Offence",
        "Sentence",
        "Risk of serious harm",
        "MAPPA level",
        "Tier",
    ] {
        assert!(
            page.body[about..candidates].contains(&format!(">{key}</dt>")),
            "{key} is shown before the candidates"
        );
    }
    assert!(
        page.body.contains(&format!("href=\"/cases/{crn}\"")),
        "links to the record"
    );
    // What the record holds, in words.
    let person = app.region.people.iter().find(|p| p.crn == crn).unwrap();
    let about_text = &page.body[about..candidates];
    let flags: Vec<_> = person
        .registrations
        .iter()
        .filter(|r| r.ended_on.is_none())
        .collect();
    if flags.is_empty() {
        assert!(about_text.contains("data-testid=\"allocation-flags\">None<"));
    }
    for flag in flags {
        assert!(
            about_text.contains(flag.kind.label()),
            "{:?} shown",
            flag.kind
        );
    }
    for event in person.events.iter().filter(|e| e.active) {
        assert!(about_text.contains(&event.offence_description));
        assert!(about_text.contains(event.sentence_type.label()));
    }
    assert!(page.body.contains("govuk-back-link"));
    assert!(
        !page.body.contains("allocation-ranking/"),
        "no rule versions in sentences"
    );
    assert!(page
        .body
        .contains("Recommended is the first in this order with no grade guidance"));

    // po.demo now has an hour a week: warned in words, and passed over.
    let list = listed(&page.body);
    let po = app.staff_id("po.demo").to_string();
    let (_, po_recommended, po_over, _) = list.iter().find(|(id, ..)| *id == po).unwrap();
    assert!(*po_over && !po_recommended);
    assert!(page.body.contains("Over capacity: "));
    let first_qualifying = list
        .iter()
        .position(|(_, _, over, guided)| !over && !guided)
        .expect("someone in the PDU can take the case");
    let recommended: Vec<usize> = list
        .iter()
        .enumerate()
        .filter(|(_, (_, recommended, ..))| *recommended)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        recommended,
        [first_qualifying],
        "Recommended is the first listed without guidance or over capacity"
    );
}

#[tokio::test]
async fn a_senior_officer_sees_their_own_team_first_and_may_widen_to_the_pdu() {
    let app = TestApp::sqlite();
    let crn = unallocated_case_in_spo_pdu(&app);
    let spo_id = app.staff_id("spo.demo");
    let spo_member = app.region.staff.iter().find(|s| s.id == spo_id).unwrap();
    let other_team_practitioner = app
        .region
        .staff
        .iter()
        .find(|s| {
            s.pdu_id == spo_member.pdu_id
                && s.team_id != spo_member.team_id
                && s.grade.holds_caseload()
        })
        .expect("the PDU has a practitioner in another team");
    let team_mate = app.staff_id("po.demo");
    let spo = app.sign_in("spo.demo").await;

    let team = app.get(&format!("/cases/{crn}/allocate"), Some(&spo)).await;
    assert_eq!(team.status, StatusCode::OK);
    assert!(team.body.contains("Showing the practitioners of your team"));
    assert!(team.body.contains(&format!("value=\"{team_mate}\"")));
    assert!(
        !team
            .body
            .contains(&format!("value=\"{}\"", other_team_practitioner.id)),
        "another team's practitioner is not listed by default"
    );
    assert!(team
        .body
        .contains(&format!("href=\"/cases/{crn}/allocate?show=pdu\"")));

    let pdu = app
        .get(&format!("/cases/{crn}/allocate?show=pdu"), Some(&spo))
        .await;
    assert!(pdu.body.contains("Showing every practitioner in the PDU"));
    assert!(pdu
        .body
        .contains(&format!("value=\"{}\"", other_team_practitioner.id)));

    // Allocating to another team from the wider list: the confirmation still shows, though
    // the senior officer may no longer open the case.
    let done = app
        .post(
            &format!("/cases/{crn}/allocate"),
            &spo,
            &[
                ("show", "pdu"),
                ("staff", &other_team_practitioner.id.to_string()),
                ("reason", "Their team has the capacity"),
                ("override-reason", "Experienced with this kind of case"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let confirmed = app.get(done.location().unwrap(), Some(&spo)).await;
    assert_eq!(confirmed.status, StatusCode::OK);
    assert!(confirmed.body.contains(&format!(
        "is allocated to {} {}",
        other_team_practitioner.first_name, other_team_practitioner.last_name
    )));
}
