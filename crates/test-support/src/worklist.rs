//! Fixtures for the worklist (needs attention, caseload filters, the release worklist), written
//! straight through storage: a check overdue or due later, an overdue review, a flag due for
//! review, a risk assessment overdue or completed at a level, a release from custody near.

use crate::app::today;
use crate::clock::now;
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use keepsafe_domain::checks::CheckKind;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::registration::RegistrationKind;
use keepsafe_domain::review::ReviewTrigger;
use keepsafe_domain::rosh::{AssessmentStatus, RoshLevel};
use keepsafe_domain::CodedValue;
use keepsafe_storage::cases::tasks::{self, NewTask};
use keepsafe_storage::risk::{assessments, checks};
use keepsafe_storage::schema::{allocations, events, registrations, rosh_assessments};
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

/// A police domestic-abuse check requested on the person, its answer due `deadline_in_days` from
/// the tests' day (negative: already past, so overdue).
pub fn check(conn: &mut AnyConnection, person_id: Uuid, by: Uuid, deadline_in_days: i64) -> Uuid {
    checks::request(
        conn,
        &checks::NewCheck {
            person_id,
            kind: CheckKind::PoliceDomesticAbuse.into(),
            address_id: None,
            address_description: "Current address".into(),
            requested_on: today() - Duration::days(20),
            deadline: today() + Duration::days(deadline_in_days),
            deadline_rule: "test".into(),
            requested_by: by,
        },
        now(),
    )
    .unwrap()
}

/// A "review the risk assessment" task on the person, due `due_in_days` from the tests' day.
pub fn review(conn: &mut AnyConnection, person_id: Uuid, due_in_days: i64) -> Uuid {
    tasks::create(
        conn,
        &NewTask {
            person_id,
            trigger: ReviewTrigger::ArrestOrCharge,
            occurred_on: today() - Duration::days(10),
            details: "Arrested for a public order offence.".into(),
            due_on: today() + Duration::days(due_in_days),
            rule_version: "test".into(),
            created_by: None,
        },
        now(),
    )
    .unwrap()
}

/// An active registration of `kind` on the person whose review date was yesterday.
pub fn flag_due_for_review(conn: &mut AnyConnection, person_id: Uuid, kind: RegistrationKind) {
    diesel::insert_into(registrations::table)
        .values((
            registrations::id.eq(Uuid::new_v4().to_string()),
            registrations::person_id.eq(person_id.to_string()),
            registrations::kind.eq(kind.code()),
            registrations::registered_on.eq(today() - Duration::days(200)),
            registrations::next_review_on.eq(Some(today() - Duration::days(1))),
            registrations::notes.eq("Registered for the test."),
        ))
        .execute(conn)
        .unwrap();
}

/// No risk of serious harm assessment in force (completed ones superseded, drafts kept), and the
/// current allocation started `days_ago` days before the tests' day — with 15 working days to
/// complete one, 40 days makes it overdue. The person's latest event is made their one active
/// community order, so an assessment is needed.
pub fn assessment_due(conn: &mut AnyConnection, person_id: Uuid, days_ago: i64) {
    crate::enforcement::make_case(conn, person_id, CaseType::Community);
    let person = person_id.to_string();
    diesel::update(
        rosh_assessments::table
            .filter(rosh_assessments::person_id.eq(&person))
            .filter(rosh_assessments::status.eq(AssessmentStatus::Completed.code())),
    )
    .set(rosh_assessments::status.eq(AssessmentStatus::Superseded.code()))
    .execute(conn)
    .unwrap();
    diesel::update(
        allocations::table
            .filter(allocations::person_id.eq(&person))
            .filter(allocations::end_date.is_null()),
    )
    .set(allocations::start_date.eq(today() - Duration::days(days_ago)))
    .execute(conn)
    .unwrap();
}

/// A risk of serious harm assessment completed at `level` and in force (any other superseded).
pub fn assessed(conn: &mut AnyConnection, person_id: Uuid, level: RoshLevel, by: Uuid) {
    crate::enforcement::make_case(conn, person_id, CaseType::Community);
    diesel::update(
        rosh_assessments::table.filter(rosh_assessments::person_id.eq(person_id.to_string())),
    )
    .set(rosh_assessments::status.eq(AssessmentStatus::Superseded.code()))
    .execute(conn)
    .unwrap();
    let id = assessments::start(conn, person_id, CaseType::Community, by, now()).unwrap();
    let version = assessments::find(conn, person_id, id).unwrap().version;
    assessments::complete(conn, id, version, level, false, by, now()).unwrap();
}

/// The person's latest event made their one active custodial sentence, released on `on`.
pub fn release_on(conn: &mut AnyConnection, person_id: Uuid, on: NaiveDate) {
    let event = crate::enforcement::make_case(conn, person_id, CaseType::Custody);
    diesel::update(events::table.filter(events::id.eq(event.to_string())))
        .set(events::release_date.eq(Some(on)))
        .execute(conn)
        .unwrap();
}
