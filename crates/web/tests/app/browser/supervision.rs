//! Supervision in practice, in a real browser: a practitioner arranges a fortnightly series and
//! sees it in the contact log; records a failure to attend judged unacceptable, sends the warning
//! letter and opens it from the case's documents; a second failure starts breach action; on a
//! licence case a failure opens consider recall, and the recommendation is countersigned by the
//! senior officer and then the head of PDU until the case is recalled. Every page on the way, and
//! the diary, calendar, reminders and contact standard pages, passes axe-core's WCAG 2.2 AA checks
//! at desktop width and again at a phone's width.

use super::{AxeReport, Browser};
use crate::support::{demo_username, today, TestApp};
use chrono::{Datelike, Duration, NaiveDateTime, NaiveTime, Weekday};
use keepsafe_demo::DEMO_PASSWORD;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::staff::Grade;
use keepsafe_test_support::enforcement as fixtures;
use uuid::Uuid;

/// A case of po.demo's, made a community or licence case with no enforcement history.
struct Case {
    crn: String,
    person: Uuid,
}

impl Case {
    fn make(app: &TestApp, crn: String, case_type: CaseType) -> Self {
        let mut conn = app.db.database.connection().unwrap();
        let person = keepsafe_storage::cases::record::locate(&mut conn, &crn)
            .unwrap()
            .unwrap()
            .person_id;
        fixtures::make_case(&mut conn, person, case_type);
        Self { crn, person }
    }

    /// An enforceable office appointment with po.demo, arranged and without an outcome. Written
    /// through the fixture because the appointment form refuses a time in the past.
    fn appointment(&self, app: &TestApp, starts_at: NaiveDateTime) -> Uuid {
        let mut conn = app.db.database.connection().unwrap();
        fixtures::appointment(
            &mut conn,
            self.person,
            app.staff_id("po.demo"),
            starts_at,
            keepsafe_test_support::clock::now(),
        )
    }

    fn path(&self, rest: &str) -> String {
        format!("/cases/{}{rest}", self.crn)
    }
}

/// `days_ago` days before the tests' day, at `hour`:`minute`.
fn at(days_ago: i64, hour: u32, minute: u32) -> NaiveDateTime {
    (today() - Duration::days(days_ago)).and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap())
}

/// Two of po.demo's cases, distinct: the first for the community order, the second for the
/// licence.
fn two_cases_of_po_demo(app: &TestApp) -> (String, String) {
    let staff_id = app.staff_id("po.demo");
    let mut crns = app.region.people.iter().filter(|p| {
        p.allocations
            .iter()
            .any(|a| a.end_date.is_none() && a.staff_id == staff_id)
    });
    let first = crns.next().expect("po.demo holds a case").crn.clone();
    let second = crns.next().expect("po.demo holds two cases").crn.clone();
    (first, second)
}

/// The browser and the axe report, checking every page at desktop and at phone width.
struct Journey {
    browser: Browser,
    report: AxeReport,
}

impl Journey {
    /// Runs axe on the current page at desktop width, then again at a phone's width
    /// (`AxeReport::check` does both).
    async fn check(&mut self, page: &str) {
        self.report.check(&self.browser, page).await;
    }

    /// Chooses the radio or checkbox `name` = `value` by clicking its label, as a person would.
    async fn choose(&self, name: &str, value: &str) {
        let input = self
            .browser
            .find(&format!("input[name='{name}'][value='{value}']"))
            .await;
        let id = input.attr("id").await.unwrap().unwrap();
        self.browser
            .find(&format!("label[for='{id}']"))
            .await
            .click()
            .await
            .unwrap();
        assert_eq!(
            input.prop("checked").await.unwrap().as_deref(),
            Some("true"),
            "{name} = {value} is chosen"
        );
    }

    /// Records a failure to attend judged unacceptable on the appointment's outcome page.
    async fn record_unacceptable_failure(&mut self, case: &Case, appointment: Uuid, page: &str) {
        let browser = &self.browser;
        browser
            .visit(&case.path(&format!("/appointments/{appointment}/outcome")))
            .await;
        assert_eq!(browser.heading().await, "Record the outcome");
        self.check(page).await;
        self.choose("outcome", "failed_to_attend").await;
        self.choose("judgement", "unacceptable").await;
        self.browser.click_button("Record the outcome").await;
        assert_eq!(self.browser.path().await, case.path("/enforcement"));
    }
}

/// The whole of supervision in practice, as its users go through it, checked by axe-core.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supervision_from_appointments_to_recall_passes_axe_wcag_22_aa_on_desktop_and_phone() {
    let app = TestApp::sqlite();
    let (community_crn, licence_crn) = two_cases_of_po_demo(&app);
    let community = Case::make(&app, community_crn, CaseType::Community);
    let licence = Case::make(&app, licence_crn, CaseType::Licence);
    let head = demo_username(Grade::HeadOfPdu);
    let mut journey = Journey {
        browser: Browser::open_on(&app).await,
        report: AxeReport::default(),
    };

    journey.browser.visit("/sign-in").await;
    journey.browser.sign_in_with("po.demo", DEMO_PASSWORD).await;
    assert_eq!(journey.browser.path().await, "/cases");

    arrange_a_fortnightly_series(&mut journey, &community).await;
    warn_then_breach(&mut journey, &community, &app).await;
    other_supervision_pages(&mut journey, &community).await;
    recall_countersigned_twice(&mut journey, &licence, &app, head).await;

    let Journey { browser, report } = journey;
    browser.close().await;
    report.assert_clean(2 * 33);
}

/// The arrange form with errors, then a fortnightly series over Christmas Day, confirmed past its
/// warning, in the contact log.
async fn arrange_a_fortnightly_series(journey: &mut Journey, case: &Case) {
    journey.browser.visit(&case.path("/contacts")).await;
    journey
        .browser
        .click_and_wait("[data-testid=arrange-appointment-link]")
        .await;
    assert_eq!(journey.browser.path().await, case.path("/appointments/new"));
    assert_eq!(journey.browser.heading().await, "Arrange an appointment");
    journey.check("arrange an appointment").await;

    // Sent without a date or times, it is refused naming each field.
    journey.browser.click_button("Arrange").await;
    let errors = journey.browser.error_summary().await;
    assert!(
        errors.len() >= 3,
        "date, start and end are missing: {errors:?}"
    );
    journey.check("arrange an appointment with errors").await;

    // Every other Friday from 11 December 2026, four times: the second falls on Christmas Day.
    let first = today() + Duration::days(9);
    assert_eq!(first.weekday(), Weekday::Fri);
    let browser = &journey.browser;
    browser
        .type_into("#date-day", &first.day().to_string())
        .await;
    browser
        .type_into("#date-month", &first.month().to_string())
        .await;
    browser
        .type_into("#date-year", &first.year().to_string())
        .await;
    browser.type_into("#start", "14:30").await;
    browser.type_into("#end", "15:15").await;
    browser
        .type_into("#notes", "Bring the job centre letter")
        .await;
    journey.choose("repeat", "fortnightly").await;
    journey.choose("series-end", "times").await;
    journey.browser.type_into("#times", "4").await;
    journey.browser.click_button("Arrange").await;

    assert_eq!(
        journey.browser.heading().await,
        "Check the appointment before arranging it"
    );
    let warnings = journey
        .browser
        .text("[data-testid=appointment-warnings]")
        .await;
    assert!(
        warnings.contains("25 December 2026 is a bank holiday"),
        "{warnings}"
    );
    journey
        .check("check the appointments before arranging")
        .await;
    journey.browser.click_button("Arrange anyway").await;

    assert_eq!(journey.browser.path().await, case.path("/contacts"));
    let log = journey.browser.text("[data-testid=contact-log]").await;
    for when in [
        "Friday 11 December 2026, 14:30 to 15:15",
        "Friday 25 December 2026, 14:30 to 15:15",
        "Friday 8 January 2027, 14:30 to 15:15",
        "Friday 22 January 2027, 14:30 to 15:15",
    ] {
        assert!(log.contains(when), "the log shows {when}: {log}");
    }
    assert!(log.contains("Bring the job centre letter"), "{log}");
    journey.check("contact log with the series").await;
}

/// An unacceptable failure gets a warning to send, sent and opened from the documents; a second
/// starts breach action.
async fn warn_then_breach(journey: &mut Journey, case: &Case, app: &TestApp) {
    let missed = case.appointment(app, at(1, 14, 30));
    journey
        .record_unacceptable_failure(case, missed, "record an outcome")
        .await;
    let browser = &journey.browser;
    let warnings = browser.text("[data-testid=warnings]").await;
    assert!(
        warnings.contains("To send") && warnings.contains("Send the warning letter"),
        "{warnings}"
    );
    journey.check("enforcement with a warning to send").await;

    journey.browser.visit("/tasks").await;
    let due = journey.browser.text("[data-testid=warnings-to-send]").await;
    assert!(due.contains(&case.crn), "{due}");
    journey.check("tasks with a warning to send").await;
    journey
        .browser
        .click_and_wait(&format!(
            "[data-testid=warnings-to-send] a[href='{}']",
            case.path("/enforcement")
        ))
        .await;

    // Sending it produces the letter, shown ready to print.
    journey
        .browser
        .click_and_wait("[data-testid=warnings] button")
        .await;
    let letter_path = journey.browser.path().await;
    assert!(
        letter_path.starts_with(&case.path("/documents/")),
        "{letter_path}"
    );
    let letter = journey.browser.text("[data-testid=document]").await;
    assert!(letter.contains("1 December 2026 at 14:30"), "{letter}");
    assert!(letter.contains(&case.crn), "{letter}");
    journey.check("the warning letter").await;

    journey.browser.visit(&case.path("/documents")).await;
    let documents = journey.browser.text("[data-testid=documents]").await;
    assert!(documents.contains("Warning letter"), "{documents}");
    journey.check("documents with the warning letter").await;
    journey
        .browser
        .click_and_wait(&format!("[data-testid=documents] a[href='{letter_path}']"))
        .await;
    assert_eq!(journey.browser.path().await, letter_path);
    journey.browser.find("[data-testid=document]").await;

    // A second unacceptable failure after the warning starts breach action.
    let second = case.appointment(app, at(0, 9, 0));
    journey
        .record_unacceptable_failure(case, second, "record a second outcome")
        .await;
    let breaches = journey.browser.text("[data-testid=breaches]").await;
    assert!(breaches.contains("Breach report to write"), "{breaches}");
    let warnings = journey.browser.text("[data-testid=warnings]").await;
    assert!(warnings.contains("Sent"), "{warnings}");
    journey.check("enforcement with breach action").await;

    journey.browser.visit("/tasks").await;
    let due = journey
        .browser
        .text("[data-testid=breach-actions-due]")
        .await;
    assert!(due.contains(&case.crn), "{due}");
    journey.check("tasks with breach action due").await;
    journey
        .browser
        .click_and_wait(&format!(
            "[data-testid=breach-actions-due] a[href^='{}']",
            case.path("/breaches/")
        ))
        .await;
    journey.browser.find("[data-testid=breach]").await;
    journey.check("breach action").await;
}

/// The diary's week, the calendar address, reminders, the contact standard, the cases behind it,
/// and the record-a-contact form with errors.
async fn other_supervision_pages(journey: &mut Journey, case: &Case) {
    let monday = today() + Duration::days(7)
        - Duration::days(i64::from(today().weekday().num_days_from_monday()));
    journey
        .browser
        .visit(&format!("/diary?week={}", monday.format("%Y-%m-%d")))
        .await;
    let diary = journey.browser.text("[data-testid=diary-table]").await;
    assert!(
        diary.contains("14:30"),
        "the series' first appointment: {diary}"
    );
    journey.check("diary, a week").await;

    journey.browser.visit("/diary/calendar").await;
    journey.browser.find("[data-testid=calendar-url]").await;
    journey.check("calendar subscription").await;

    journey.browser.visit(&case.path("/reminders")).await;
    assert_eq!(journey.browser.heading().await, "Appointment reminders");
    journey.check("appointment reminders").await;

    journey.browser.visit(&case.path("/contact-standard")).await;
    // Failures to attend do not count: the case is behind its standard.
    let behind = journey.browser.text("[data-testid=standard-behind]").await;
    assert!(behind.contains("Behind the standard since"), "{behind}");
    journey.check("contact standard").await;

    journey.browser.visit("/supervision/behind").await;
    assert_eq!(
        journey.browser.heading().await,
        "Cases behind their contact standard"
    );
    let listed = journey.browser.text("[data-testid=behind-table]").await;
    assert!(listed.contains(&case.crn), "{listed}");
    journey.check("cases behind their contact standard").await;

    journey.browser.visit(&case.path("/contacts/new")).await;
    assert_eq!(journey.browser.heading().await, "Record a contact");
    journey.check("record a contact").await;
    journey.browser.click_button("Record the contact").await;
    let errors = journey.browser.error_summary().await;
    assert!(!errors.is_empty());
    journey.check("record a contact with errors").await;
}

/// On licence a failure opens consider recall; the practitioner recommends it, the senior officer
/// and then the head of PDU countersign, and the case is recalled. Then the administrator's
/// contact standards.
async fn recall_countersigned_twice(journey: &mut Journey, case: &Case, app: &TestApp, head: &str) {
    let missed = case.appointment(app, at(1, 11, 0));
    journey
        .record_unacceptable_failure(case, missed, "record an outcome on licence")
        .await;
    let recalls = journey.browser.text("[data-testid=recalls]").await;
    assert!(recalls.contains("Recall being considered"), "{recalls}");
    assert!(
        journey
            .browser
            .all("[data-testid=warnings]")
            .await
            .is_empty(),
        "no warning on licence"
    );
    journey.check("enforcement considering recall").await;
    journey
        .browser
        .click_and_wait(&format!(
            "[data-testid=recalls] a[href^='{}']",
            case.path("/recalls/")
        ))
        .await;
    let recall_path = journey.browser.path().await;
    journey.check("consider recall").await;

    journey
        .browser
        .click_button("Send for countersignature")
        .await;
    let errors = journey.browser.error_summary().await;
    assert_eq!(errors.len(), 5, "{errors:?}");
    journey.check("recall recommendation with errors").await;
    let browser = &journey.browser;
    browser
        .type_into(
            "#reasons",
            "Missed appointments and stopped answering the phone.",
        )
        .await;
    browser
        .type_into("#alternatives", "Increased reporting; a final warning.")
        .await;
    browser
        .type_into(
            "#current_risk",
            "High risk to a known adult: contact with the victim reported.",
        )
        .await;
    journey.choose("recall_type", "standard").await;
    journey.choose("emergency", "no").await;
    journey
        .browser
        .click_button("Send for countersignature")
        .await;
    assert_eq!(journey.browser.path().await, recall_path);
    assert_eq!(
        journey.browser.text("[data-testid=recall-status]").await,
        "Waiting for the senior probation officer"
    );
    journey.check("recall waiting for countersignature").await;
    journey.browser.sign_out().await;

    for (countersigner, then) in [
        ("spo.demo", "Waiting for the head of PDU"),
        (head, "Recalled"),
    ] {
        journey
            .browser
            .sign_in_with(countersigner, DEMO_PASSWORD)
            .await;
        journey.browser.visit("/tasks").await;
        let waiting = journey
            .browser
            .text("[data-testid=recalls-to-countersign]")
            .await;
        assert!(waiting.contains(&case.crn), "{countersigner}: {waiting}");
        journey
            .check(&format!(
                "tasks with a recall to countersign ({countersigner})"
            ))
            .await;
        journey
            .browser
            .click_and_wait(&format!(
                "[data-testid=recalls-to-countersign] a[href='{recall_path}']"
            ))
            .await;
        journey
            .check(&format!("recall to countersign ({countersigner})"))
            .await;
        journey.choose("decision", "countersigned").await;
        journey.browser.click_button("Save your decision").await;
        assert_eq!(journey.browser.path().await, recall_path);
        assert_eq!(
            journey.browser.text("[data-testid=recall-status]").await,
            then
        );
        journey
            .check(&format!("recall countersigned by {countersigner}"))
            .await;
        journey.browser.sign_out().await;
    }

    // The case shows it: a custody case now, its recall recalled.
    journey.browser.sign_in_with("po.demo", DEMO_PASSWORD).await;
    journey.browser.visit(&case.path("/enforcement")).await;
    let recalls = journey.browser.text("[data-testid=recalls]").await;
    assert!(recalls.contains("Recalled"), "{recalls}");
    let page = journey.browser.text("main").await;
    assert!(page.contains("Case type: Custody"), "{page}");
    journey.check("enforcement after recall").await;
    journey.browser.sign_out().await;

    journey
        .browser
        .sign_in_with(demo_username(Grade::Administrator), DEMO_PASSWORD)
        .await;
    journey.browser.visit("/admin/contact-standards").await;
    assert_eq!(journey.browser.heading().await, "Contact standards");
    journey.check("contact standards (admin.demo)").await;
}
