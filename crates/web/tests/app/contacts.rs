//! The contact log and appointments: recording a contact after the fact, arranging one
//! appointment or a series, the refusals (each naming its field) and the warnings to confirm,
//! rescheduling and cancelling, sensitive contacts, system events, and who is refused.

use crate::support::{today, TestApp};
use axum::http::StatusCode;
use chrono::{Duration, NaiveDate};
use keepsafe_domain::supervision::contact::{
    ContactOutcome, ContactStatus, ContactType, FailureJudgement,
};
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_test_support::supervision::{Appointment, PastContact};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// An appointment on a day and at an hour no demo appointment uses, so only what the test
/// arranges can clash with it.
fn early_on(date: NaiveDate) -> Appointment {
    Appointment {
        date,
        start: "07:00".into(),
        end: "07:30".into(),
        ..Appointment::default()
    }
}

#[tokio::test]
async fn a_contact_recorded_after_the_fact_is_in_the_log_with_its_outcome_and_judgement() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let session = app.sign_in("po.demo").await;
    let form = app
        .get(&format!("/cases/{crn}/contacts/new"), Some(&session))
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(
        form.body.contains("value=\"10:00\""),
        "the time defaults to now"
    );

    let page = app
        .record_contact(
            &session,
            &crn,
            &PastContact {
                outcome: "failed_to_attend".into(),
                judgement: Some("unacceptable".into()),
                kind: "home_visit".into(),
                notes: "Nobody answered the door at 9:15; no message left.".into(),
                ..PastContact::default()
            },
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(
        page.location(),
        Some(format!("/cases/{crn}/contacts").as_str())
    );

    let recorded = &app.contacts_of(&crn)[0];
    assert_eq!(recorded.kind, ContactType::HomeVisit);
    assert_eq!(recorded.starts_at, today().and_hms_opt(9, 15, 0).unwrap());
    assert_eq!(recorded.outcome, Some(ContactOutcome::FailedToAttend));
    assert_eq!(recorded.judgement, Some(FailureJudgement::Unacceptable));
    assert!(
        recorded.location.contains(','),
        "the home address: {}",
        recorded.location
    );
    assert!(
        recorded.event_id.is_some(),
        "counts towards the current event"
    );
    assert!(recorded.recorded_by.is_some());

    let log = app
        .get(&format!("/cases/{crn}/contacts"), Some(&session))
        .await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    assert!(log.body.contains("Nobody answered the door"));
    assert!(log.body.contains("Failed to attend: unacceptable"));
    let audit = app.audit(AuditFilter {
        crn: Some(crn.clone()),
        actor: Some("po.demo".into()),
        ..Default::default()
    });
    assert!(audit
        .iter()
        .any(|a| a.action == "view_contact_log" && a.outcome == "allowed"));
    assert!(audit.iter().any(|a| a.action == "record_contact"));
}

#[tokio::test]
async fn a_contact_in_the_future_an_unjudged_failure_and_notes_over_12000_characters_are_refused_naming_each_field(
) {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let session = app.sign_in("po.demo").await;
    let before = app.contacts_of(&crn).len();
    let page = app
        .record_contact(
            &session,
            &crn,
            &PastContact {
                date: today() + Duration::days(1),
                outcome: "failed_to_attend".into(),
                notes: "x".repeat(12_001),
                ..PastContact::default()
            },
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["#date-day", "#judgement", "#notes"] {
        assert!(
            page.body.contains(&format!("href=\"{field}\"")),
            "{field} named: {}",
            page.body
        );
    }
    assert!(page.body.contains("The contact cannot be in the future"));
    assert!(page
        .body
        .contains("Notes must be 12000 characters or fewer (they are 12001)"));
    assert_eq!(app.contacts_of(&crn).len(), before, "nothing written");
}

#[tokio::test]
async fn a_fortnightly_series_of_six_is_arranged_and_shown_in_the_log() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let session = app.sign_in("po.demo").await;
    let form = app
        .get(&format!("/cases/{crn}/appointments/new"), Some(&session))
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);

    let page = app
        .arrange_appointment(
            &session,
            &crn,
            &Appointment {
                notes: "Bring the job centre letter".into(),
                ..Appointment::fortnightly(6).confirmed()
            },
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

    let series: Vec<_> = app
        .contacts_of(&crn)
        .into_iter()
        .filter(|c| c.notes == "Bring the job centre letter")
        .collect();
    assert_eq!(series.len(), 6);
    assert!(series.iter().all(|c| c.series_id.is_some()
        && c.series_id == series[0].series_id
        && c.status == ContactStatus::Arranged
        && c.enforceable
        && c.outcome.is_none()));
    let mut dates: Vec<NaiveDate> = series.iter().map(|c| c.starts_at.date()).collect();
    dates.sort();
    assert_eq!(
        dates,
        [
            day(2026, 12, 9),
            day(2026, 12, 23),
            day(2027, 1, 6),
            day(2027, 1, 20),
            day(2027, 2, 3),
            day(2027, 2, 17)
        ]
    );

    let log = app
        .get(
            &format!(
                "/cases/{crn}/contacts?type=office_visit&from-day=9&from-month=12&from-year=2026&q=job+centre"
            ),
            Some(&session),
        )
        .await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    assert_eq!(log.body.matches("data-testid=\"contact-row\"").count(), 6);
    assert!(log
        .body
        .contains("Wednesday 23 December 2026, 14:30 to 15:15"));
    assert!(log
        .body
        .contains("Wednesday 17 February 2027, 14:30 to 15:15"));

    // The case record shows the next appointment, with the links to the log and the forms.
    let record = app.get(&format!("/cases/{crn}"), Some(&session)).await;
    assert!(record.body.contains("data-testid=\"next-appointment\""));
    assert!(record
        .body
        .contains(&format!("href=\"/cases/{crn}/contacts\"")));
    assert!(record
        .body
        .contains(&format!("href=\"/cases/{crn}/appointments/new\"")));
}

#[tokio::test]
async fn an_appointment_in_the_past_is_refused_naming_the_date() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let session = app.sign_in("po.demo").await;
    let page = app
        .arrange_appointment(
            &session,
            &crn,
            &Appointment {
                date: today() - Duration::days(1),
                ..Appointment::default()
            },
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("href=\"#date-day\""), "{}", page.body);
    assert!(page.body.contains("The appointment must be in the future"));
}

#[tokio::test]
async fn an_end_before_the_start_is_refused_naming_the_end_time() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let session = app.sign_in("po.demo").await;
    let page = app
        .arrange_appointment(
            &session,
            &crn,
            &Appointment {
                start: "15:00".into(),
                end: "14:00".into(),
                ..Appointment::default()
            },
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("href=\"#end\""), "{}", page.body);
    assert!(page
        .body
        .contains("The end time must be after the start time"));
}

#[tokio::test]
async fn a_series_of_53_is_refused_and_nothing_is_written() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let session = app.sign_in("po.demo").await;
    let before = app.contacts_of(&crn).len();
    let page = app
        .arrange_appointment(&session, &crn, &Appointment::weekly(53).confirmed())
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("href=\"#times\""), "{}", page.body);
    assert!(page
        .body
        .contains("A series can be at most 52 appointments (this would be 53)"));
    let until = app
        .arrange_appointment(
            &session,
            &crn,
            &Appointment {
                until: Some(today() - Duration::days(1)),
                ..Appointment::weekly(2)
            },
        )
        .await;
    assert_eq!(until.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(until.body.contains("href=\"#until-day\""));
    assert_eq!(app.contacts_of(&crn).len(), before);
}

#[tokio::test]
async fn a_clash_and_a_bank_holiday_are_warnings_to_confirm_before_arranging() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let session = app.sign_in("po.demo").await;
    let wednesday = day(2027, 3, 10);
    let first = app
        .arrange_appointment(&session, &crn, &early_on(wednesday))
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let count = app.contacts_of(&crn).len();

    let clash = Appointment {
        start: "07:15".into(),
        end: "08:00".into(),
        ..early_on(wednesday)
    };
    let warned = app.arrange_appointment(&session, &crn, &clash).await;
    assert_eq!(warned.status, StatusCode::OK, "{}", warned.body);
    assert!(
        warned
            .body
            .contains("10 March 2027: the person already has an appointment at 07:00"),
        "{}",
        warned.body
    );
    assert!(warned.body.contains("Arrange anyway"));
    assert_eq!(app.contacts_of(&crn).len(), count, "nothing written yet");

    let confirmed = app
        .arrange_appointment(&session, &crn, &clash.confirmed())
        .await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.contacts_of(&crn).len(), count + 1);

    // Monday 28 December 2026 is the substitute day for Boxing Day.
    let holiday = app
        .arrange_appointment(&session, &crn, &early_on(day(2026, 12, 28)))
        .await;
    assert_eq!(holiday.status, StatusCode::OK);
    assert!(holiday.body.contains("28 December 2026 is a bank holiday"));
}

#[tokio::test]
async fn an_appointment_is_rescheduled_then_cancelled_and_the_record_keeps_both() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let session = app.sign_in("po.demo").await;
    let arranged = app
        .arrange_appointment(&session, &crn, &early_on(day(2027, 3, 17)))
        .await;
    assert_eq!(arranged.status, StatusCode::SEE_OTHER);
    let old = app
        .contacts_of(&crn)
        .into_iter()
        .find(|c| c.starts_at == day(2027, 3, 17).and_hms_opt(7, 0, 0).unwrap())
        .unwrap();

    let path = format!("/cases/{crn}/appointments/{}/reschedule", old.id);
    let refused = app
        .post(
            &path,
            &session,
            &[
                ("date-day", "18"),
                ("date-month", "3"),
                ("date-year", "2027"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["#start", "#requested-by", "#reason"] {
        assert!(
            refused.body.contains(&format!("href=\"{field}\"")),
            "{field}"
        );
    }
    let moved = app
        .post(
            &path,
            &session,
            &[
                ("date-day", "18"),
                ("date-month", "3"),
                ("date-year", "2027"),
                ("start", "07:30"),
                ("end", "08:00"),
                ("requested-by", "person"),
                ("reason", "A hospital appointment that morning"),
            ],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let contacts = app.contacts_of(&crn);
    let old = contacts.iter().find(|c| c.id == old.id).unwrap();
    assert_eq!(old.status, ContactStatus::Rescheduled);
    assert_eq!(
        old.change_reason.as_deref(),
        Some("A hospital appointment that morning")
    );
    let new = contacts
        .iter()
        .find(|c| Some(c.id) == old.rescheduled_to)
        .unwrap();
    assert_eq!(new.status, ContactStatus::Arranged);
    assert_eq!(
        new.starts_at,
        day(2027, 3, 18).and_hms_opt(7, 30, 0).unwrap()
    );

    // The old one cannot be moved again.
    let again = app.get(&path, Some(&session)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    let cancel = format!("/cases/{crn}/appointments/{}/cancel", new.id);
    let no_reason = app.post(&cancel, &session, &[("reason", " ")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("href=\"#reason\""));
    let cancelled = app
        .post(
            &cancel,
            &session,
            &[("reason", "Order revoked by the court")],
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    let new = app
        .contacts_of(&crn)
        .into_iter()
        .find(|c| c.id == new.id)
        .unwrap();
    assert_eq!(new.status, ContactStatus::Cancelled);
    assert!(new.changed_by.is_some());
}

#[tokio::test]
async fn a_sensitive_contact_hides_its_notes_in_the_list_and_opening_it_is_audit_logged() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let session = app.sign_in("po.demo").await;
    let page = app
        .record_contact(
            &session,
            &crn,
            &PastContact {
                sensitive: true,
                notes: "Disclosed a new relationship; victim's address known.".into(),
                ..PastContact::default()
            },
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let log = app
        .get(&format!("/cases/{crn}/contacts"), Some(&session))
        .await;
    assert!(log.body.contains("Sensitive — open to read"));
    assert!(!log.body.contains("Disclosed a new relationship"));
    // Searching the notes does not search sensitive ones.
    let searched = app
        .get(
            &format!("/cases/{crn}/contacts?q=relationship"),
            Some(&session),
        )
        .await;
    assert!(!searched.body.contains("Sensitive — open to read"));
    // Nor does the case record show them.
    let record = app.get(&format!("/cases/{crn}"), Some(&session)).await;
    assert!(!record.body.contains("Disclosed a new relationship"));

    let id = app.contacts_of(&crn)[0].id;
    let opened = app
        .get(&format!("/cases/{crn}/contacts/{id}"), Some(&session))
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    assert!(opened.body.contains("Disclosed a new relationship"));
    assert!(opened.body.contains("data-testid=\"sensitive-warning\""));
    let audit = app.audit(AuditFilter {
        crn: Some(crn.clone()),
        actor: Some("po.demo".into()),
        ..Default::default()
    });
    assert!(audit.iter().any(|a| a.action == "view_sensitive_contact"
        && a.outcome == "allowed"
        && a.detail == id.to_string()));

    // Victim liaison may read the case but is not its staff: refused, and the refusal logged.
    let vlo = app.sign_in("vlo.demo").await;
    let refused = app
        .get(&format!("/cases/{crn}/contacts/{id}"), Some(&vlo))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.body.contains("Disclosed a new relationship"));
    assert!(app
        .audit(AuditFilter {
            crn: Some(crn.clone()),
            actor: Some("vlo.demo".into()),
            outcome: Some(Outcome::Refused),
        })
        .iter()
        .any(|a| a.action == "view_sensitive_contact"));
}

#[tokio::test]
async fn a_practitioner_of_another_team_is_refused_the_log_and_arranging() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let before = app.contacts_of(&crn).len();
    let other = app.sign_in("po.other").await;
    let log = app
        .get(&format!("/cases/{crn}/contacts"), Some(&other))
        .await;
    assert_eq!(log.status, StatusCode::FORBIDDEN);
    let arranged = app
        .arrange_appointment(&other, &crn, &Appointment::default().confirmed())
        .await;
    assert_eq!(arranged.status, StatusCode::FORBIDDEN);
    let recorded = app
        .record_contact(&other, &crn, &PastContact::default())
        .await;
    assert_eq!(recorded.status, StatusCode::FORBIDDEN);
    assert_eq!(app.contacts_of(&crn).len(), before, "nothing written");
    let refusals = app.audit(AuditFilter {
        crn: Some(crn.clone()),
        actor: Some("po.other".into()),
        outcome: Some(Outcome::Refused),
    });
    for action in ["view_contact_log", "arrange_appointment", "record_contact"] {
        assert!(
            refusals
                .iter()
                .any(|r| r.action == action && r.detail == "case_outside_team"),
            "{action} refused and audited"
        );
    }
}

#[tokio::test]
async fn a_partner_user_is_refused_the_log_and_the_forms() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let police = app.sign_in("police.demo").await;
    for path in [
        format!("/cases/{crn}/contacts"),
        format!("/cases/{crn}/contacts/new"),
        format!("/cases/{crn}/appointments/new"),
    ] {
        let page = app.get(&path, Some(&police)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
    }
}

#[tokio::test]
async fn a_recorded_check_response_is_entered_in_the_contact_log() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let (_, check) = app.draft_and_check(&crn);
    let session = app.sign_in("po.demo").await;
    let today = today();
    let (d, m, y) = (
        today.format("%-d").to_string(),
        today.format("%-m").to_string(),
        today.format("%Y").to_string(),
    );
    let page = app
        .post(
            &format!("/cases/{crn}/checks/{check}/response"),
            &session,
            &[
                ("received-day", d.as_str()),
                ("received-month", m.as_str()),
                ("received-year", y.as_str()),
                ("known", "no"),
                ("summary", "Not known to the agency"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let answered: Vec<_> = app
        .contacts_of(&crn)
        .into_iter()
        .filter(|c| c.kind == ContactType::CheckAnswered)
        .collect();
    assert_eq!(answered.len(), 1);
    assert_eq!(answered[0].location, "keepsafe");
    assert_eq!(answered[0].outcome, None);
    assert!(
        answered[0].notes.ends_with("answer recorded"),
        "{}",
        answered[0].notes
    );
}

#[tokio::test]
async fn moving_an_appointment_onto_a_bank_holiday_asks_to_confirm_first() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let session = app.sign_in("po.demo").await;
    let id = app.arranged_appointment(&crn);
    let path = format!("/cases/{crn}/appointments/{id}/reschedule");
    // Good Friday 2027 is 26 March.
    let form = [
        ("date-day", "26"),
        ("date-month", "3"),
        ("date-year", "2027"),
        ("start", "07:00"),
        ("end", "07:30"),
        ("requested-by", "practitioner"),
        ("reason", "Training day moved"),
    ];
    let warned = app.post(&path, &session, &form).await;
    assert_eq!(warned.status, StatusCode::OK, "{}", warned.body);
    assert!(warned.body.contains("26 March 2027 is a bank holiday"));
    assert!(warned.body.contains("name=\"confirmed\" value=\"yes\""));
    let unmoved = app
        .contacts_of(&crn)
        .into_iter()
        .find(|c| c.id == id)
        .unwrap();
    assert_eq!(unmoved.status, ContactStatus::Arranged);

    let mut confirmed = form.to_vec();
    confirmed.push(("confirmed", "yes"));
    let moved = app.post(&path, &session, &confirmed).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let old = app
        .contacts_of(&crn)
        .into_iter()
        .find(|c| c.id == id)
        .unwrap();
    assert_eq!(old.status, ContactStatus::Rescheduled);
}

#[tokio::test]
async fn a_partners_answer_is_entered_in_the_contact_log_naming_who_answered() {
    let app = TestApp::sqlite();
    let request = app.partner_request("MIDPOL");
    let crn = app.person_of_request(request).crn.clone();
    let police = app.sign_in("police.demo").await;
    let answered = app
        .post(
            &format!("/partner/requests/{request}/response"),
            &police,
            &[("known", "no"), ("free-text", "Nothing held.")],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    let entries: Vec<_> = app
        .contacts_of(&crn)
        .into_iter()
        .filter(|c| c.kind == ContactType::CheckAnswered)
        .collect();
    assert_eq!(entries.len(), 1);
    assert!(
        entries[0].notes.contains("answered by"),
        "{}",
        entries[0].notes
    );
    assert_eq!(entries[0].location, "keepsafe");
}
