//! Appointments for the diary, calendar feed and reminder tests, written straight through
//! `keepsafe_storage::supervision::contacts::insert` (the function the appointment pages use) so
//! each test makes exactly the appointments it counts.

use crate::app::TestApp;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use keepsafe_domain::supervision::contact::{ContactStatus, ContactType, LocationKind};
use keepsafe_domain::CodedValue;
use keepsafe_storage::schema::contacts;
use keepsafe_storage::supervision::contacts::{insert, NewContact};
use keepsafe_storage::{transaction, Database, StorageError};
use uuid::Uuid;

/// An appointment to arrange: by default a 30-minute office appointment.
#[derive(Debug, Clone)]
pub struct Appointment {
    pub crn: String,
    /// The username of the member of staff the person is seeing.
    pub with: String,
    pub starts_at: NaiveDateTime,
    pub minutes: i64,
    pub kind: ContactType,
    pub location_kind: LocationKind,
    pub location: String,
    pub sensitive: bool,
}

impl Appointment {
    /// An office appointment for `crn` with `with` on `day` at `hh:mm`.
    pub fn new(crn: &str, with: &str, day: NaiveDate, time: &str) -> Self {
        let time = NaiveTime::parse_from_str(time, "%H:%M").expect("a time like 14:30");
        Self {
            crn: crn.to_owned(),
            with: with.to_owned(),
            starts_at: day.and_time(time),
            minutes: 30,
            kind: ContactType::OfficeVisit,
            location_kind: LocationKind::Office,
            location: "Midchester probation office, 1 High Street".into(),
            sensitive: false,
        }
    }

    pub fn at(mut self, place: &str) -> Self {
        self.location = place.to_owned();
        self
    }

    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    pub fn kind(mut self, kind: ContactType, location_kind: LocationKind) -> Self {
        self.kind = kind;
        self.location_kind = location_kind;
        self
    }

    /// Writes it (arranged, no outcome) and returns its id.
    pub fn arrange(&self, app: &TestApp) -> Uuid {
        arrange_in(&app.db.database, self, app.staff_id(&self.with))
    }
}

/// Writes `appointment` with the member of staff `with` into `database`.
pub fn arrange_in(database: &Database, appointment: &Appointment, with: Uuid) -> Uuid {
    let mut conn = database.connection().unwrap();
    let id = Uuid::new_v4();
    transaction::write(&mut conn, |conn| {
        let case = keepsafe_storage::cases::record::locate(conn, &appointment.crn)?
            .expect("the case exists");
        insert(
            conn,
            &[NewContact {
                id,
                person_id: case.person_id,
                event_id: None,
                requirement_id: None,
                kind: appointment.kind,
                starts_at: appointment.starts_at,
                ends_at: Some(appointment.starts_at + Duration::minutes(appointment.minutes)),
                location_kind: appointment.location_kind,
                location: appointment.location.clone(),
                with_staff: Some(with),
                sensitive: appointment.sensitive,
                enforceable: true,
                notes: String::new(),
                series_id: None,
                outcome: None,
                judgement: None,
                created_by: with,
            }],
            crate::clock::now(),
        )?;
        Ok::<_, StorageError>(())
    })
    .unwrap();
    id
}

/// Marks an appointment cancelled or rescheduled (as the appointment pages do).
pub fn set_status(app: &TestApp, contact: Uuid, status: ContactStatus) {
    let mut conn = app.db.database.connection().unwrap();
    diesel::update(contacts::table.find(contact.to_string()))
        .set(contacts::status.eq(status.code()))
        .execute(&mut *conn)
        .unwrap();
}

/// Moves an appointment to another time without changing its status.
pub fn move_to(app: &TestApp, contact: Uuid, starts_at: NaiveDateTime) {
    let mut conn = app.db.database.connection().unwrap();
    diesel::update(contacts::table.find(contact.to_string()))
        .set(contacts::starts_at.eq(starts_at))
        .execute(&mut *conn)
        .unwrap();
}
