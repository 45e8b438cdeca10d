//! Supervision fixtures: appointments arranged and contacts recorded exactly as the forms do it
//! (posted through the application, with the signed-in user's CSRF token), and the case's
//! contacts read back from storage.
//!
//! ```ignore
//! let session = app.sign_in("po.demo").await;
//! let crn = app.case_of("po.demo");
//! let page = app
//!     .arrange_appointment(&session, &crn, &Appointment::fortnightly(6).confirmed())
//!     .await;
//! assert_eq!(page.status, StatusCode::SEE_OTHER);
//! let arranged = app.contacts_of(&crn);
//! ```

use crate::app::{today, Page, Session, TestApp};
use chrono::{Duration, NaiveDate};
use keepsafe_storage::supervision::contacts::{self, LogEntry, LogFilter};
use uuid::Uuid;

/// An appointment as the arrange form (`POST /cases/{crn}/appointments/new`) takes it.
/// [`Appointment::default`] is one enforceable office appointment, a week after the tests' day
/// (Wednesday 9 December 2026) from 14:30 to 15:15, with the case's practitioner, counting towards
/// its current event.
#[derive(Debug, Clone)]
pub struct Appointment {
    /// Who it is with; `None` for the case's practitioner.
    pub with: Option<Uuid>,
    /// A `ContactType` code.
    pub kind: String,
    pub date: NaiveDate,
    /// Typed as "14:30".
    pub start: String,
    pub end: String,
    /// "office", "home" or "other" (then `location_other` says where).
    pub location: String,
    pub location_other: String,
    /// "once", "weekly" or "fortnightly".
    pub repeat: String,
    /// For a series: how many, or until when (`until` wins when set).
    pub times: Option<u32>,
    pub until: Option<NaiveDate>,
    pub enforceable: bool,
    pub sensitive: bool,
    pub notes: String,
    /// Sent as the confirmation of the warnings page ("Arrange anyway").
    pub confirmed: bool,
}

impl Default for Appointment {
    fn default() -> Self {
        Self {
            with: None,
            kind: "office_visit".into(),
            date: today() + Duration::days(7),
            start: "14:30".into(),
            end: "15:15".into(),
            location: "office".into(),
            location_other: String::new(),
            repeat: "once".into(),
            times: None,
            until: None,
            enforceable: true,
            sensitive: false,
            notes: String::new(),
            confirmed: false,
        }
    }
}

impl Appointment {
    /// A fortnightly series of `times` appointments, the first a week after the tests' day.
    pub fn fortnightly(times: u32) -> Self {
        Self {
            repeat: "fortnightly".into(),
            times: Some(times),
            ..Self::default()
        }
    }

    /// A weekly series of `times` appointments, the first a week after the tests' day.
    pub fn weekly(times: u32) -> Self {
        Self {
            repeat: "weekly".into(),
            times: Some(times),
            ..Self::default()
        }
    }

    /// The same, sent as confirmed, so warnings (a clash, a bank holiday) do not stop it.
    pub fn confirmed(mut self) -> Self {
        self.confirmed = true;
        self
    }

    /// The form's fields; `with` and `counts-towards` are filled in by
    /// [`TestApp::arrange_appointment`] for the case.
    fn fields(&self, with: Uuid, counts_towards: &str) -> Vec<(String, String)> {
        let mut fields = vec![
            ("with".to_owned(), with.to_string()),
            ("type".into(), self.kind.clone()),
            ("start".into(), self.start.clone()),
            ("end".into(), self.end.clone()),
            ("location".into(), self.location.clone()),
            ("location-other".into(), self.location_other.clone()),
            ("counts-towards".into(), counts_towards.to_owned()),
            ("enforceable".into(), yes_no(self.enforceable)),
            ("sensitive".into(), yes_no(self.sensitive)),
            ("repeat".into(), self.repeat.clone()),
            ("notes".into(), self.notes.clone()),
        ];
        fields.extend(date_fields("date", self.date));
        match (self.until, self.times) {
            (Some(until), _) => {
                fields.push(("series-end".into(), "until".into()));
                fields.extend(date_fields("until", until));
            }
            (None, times) => {
                fields.push(("series-end".into(), "times".into()));
                fields.push((
                    "times".into(),
                    times.map(|t| t.to_string()).unwrap_or_default(),
                ));
            }
        }
        if self.confirmed {
            fields.push(("confirmed".into(), "yes".into()));
        }
        fields
    }
}

/// A contact recorded after the fact, as the form (`POST /cases/{crn}/contacts/new`) takes it.
/// [`PastContact::default`] is a phone call at 9:15 on the tests' day with the case's
/// practitioner, attended and complied, with a line of notes.
#[derive(Debug, Clone)]
pub struct PastContact {
    /// Who it was with; `None` for the case's practitioner.
    pub with: Option<Uuid>,
    /// A `ContactType` code.
    pub kind: String,
    pub date: NaiveDate,
    pub time: String,
    /// "usual" (the type's usual place), "office", "home", "remote" or "other".
    pub location: String,
    /// A `ContactOutcome` code.
    pub outcome: String,
    /// A `FailureJudgement` code, for a failure.
    pub judgement: Option<String>,
    pub notes: String,
    pub sensitive: bool,
}

impl Default for PastContact {
    fn default() -> Self {
        Self {
            with: None,
            kind: "phone_call".into(),
            date: today(),
            time: "09:15".into(),
            location: "usual".into(),
            outcome: "attended".into(),
            judgement: None,
            notes: "Called to check on the job interview; it went well.".into(),
            sensitive: false,
        }
    }
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_owned()
}

fn date_fields(name: &str, date: NaiveDate) -> Vec<(String, String)> {
    vec![
        (format!("{name}-day"), date.format("%-d").to_string()),
        (format!("{name}-month"), date.format("%-m").to_string()),
        (format!("{name}-year"), date.format("%Y").to_string()),
    ]
}

impl TestApp {
    /// Posts the arrange form for the case as `session`'s user, exactly as the page sends it,
    /// and returns the response: a redirect to the contact log when arranged, the warnings to
    /// confirm (200) unless `confirmed`, or the form with its errors (422).
    pub async fn arrange_appointment(
        &self,
        session: &Session,
        crn: &str,
        appointment: &Appointment,
    ) -> Page {
        let (practitioner, counts_towards) = self.case_defaults(crn);
        let with = appointment
            .with
            .or(practitioner)
            .expect("the case is allocated, or the appointment names who it is with");
        let fields = appointment.fields(with, &counts_towards);
        let borrowed: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.post(
            &format!("/cases/{crn}/appointments/new"),
            session,
            &borrowed,
        )
        .await
    }

    /// Posts the "record a contact" form for the case as `session`'s user, counting towards the
    /// case's current event: a redirect to the contact log when recorded, or the form with its
    /// errors (422).
    pub async fn record_contact(
        &self,
        session: &Session,
        crn: &str,
        contact: &PastContact,
    ) -> Page {
        let (practitioner, counts_towards) = self.case_defaults(crn);
        let with = contact
            .with
            .or(practitioner)
            .expect("the case is allocated, or the contact names who it was with");
        let mut fields = vec![
            ("type".to_owned(), contact.kind.clone()),
            ("time".into(), contact.time.clone()),
            ("with".into(), with.to_string()),
            ("counts-towards".into(), counts_towards),
            ("location".into(), contact.location.clone()),
            ("outcome".into(), contact.outcome.clone()),
            (
                "judgement".into(),
                contact.judgement.clone().unwrap_or_default(),
            ),
            ("notes".into(), contact.notes.clone()),
            ("sensitive".into(), yes_no(contact.sensitive)),
        ];
        fields.extend(date_fields("date", contact.date));
        let borrowed: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.post(&format!("/cases/{crn}/contacts/new"), session, &borrowed)
            .await
    }

    /// An office appointment with the case's practitioner a week after the tests' day at 07:00,
    /// written directly in storage (a new one each call), for tests that need one to open, move
    /// or cancel without going through the form.
    pub fn arranged_appointment(&self, crn: &str) -> Uuid {
        use keepsafe_domain::supervision::contact::{ContactType, LocationKind};
        let (practitioner, _) = self.case_defaults(crn);
        let practitioner = practitioner.expect("the case is allocated");
        let mut conn = self.db.database.connection().unwrap();
        let case = keepsafe_storage::cases::record::locate(&mut conn, crn)
            .unwrap()
            .expect("the case exists");
        let starts_at = (today() + Duration::days(7)).and_hms_opt(7, 0, 0).unwrap();
        let id = Uuid::new_v4();
        keepsafe_storage::transaction::write(&mut conn, |conn| {
            contacts::insert(
                conn,
                &[contacts::NewContact {
                    id,
                    person_id: case.person_id,
                    event_id: None,
                    requirement_id: None,
                    kind: ContactType::OfficeVisit,
                    starts_at,
                    ends_at: Some(starts_at + Duration::minutes(30)),
                    location_kind: LocationKind::Office,
                    location: "Probation office".into(),
                    with_staff: Some(practitioner),
                    sensitive: false,
                    enforceable: true,
                    notes: String::new(),
                    series_id: None,
                    outcome: None,
                    judgement: None,
                    created_by: practitioner,
                }],
                crate::clock::now(),
            )
        })
        .unwrap();
        id
    }

    /// Every contact of the case (newest first), read from storage with their names.
    pub fn contacts_of(&self, crn: &str) -> Vec<LogEntry> {
        let mut conn = self.db.database.connection().unwrap();
        let case = keepsafe_storage::cases::record::locate(&mut conn, crn)
            .unwrap()
            .expect("the case exists");
        contacts::log(&mut conn, case.person_id, &LogFilter::default(), 1, 100_000)
            .unwrap()
            .entries
    }

    /// The case's practitioner and the form's "counts towards" value for its current event.
    fn case_defaults(&self, crn: &str) -> (Option<Uuid>, String) {
        let mut conn = self.db.database.connection().unwrap();
        let case = keepsafe_storage::cases::record::locate(&mut conn, crn)
            .unwrap()
            .expect("the case exists");
        let context =
            contacts::form_context(&mut conn, case.person_id, case.location.team, today()).unwrap();
        let counts_towards = context
            .current_event()
            .map(|e| format!("event:{}", e.id))
            .unwrap_or_default();
        (context.practitioner, counts_towards)
    }
}
