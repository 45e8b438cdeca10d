//! Contacts and appointments: recent supervision with its outcomes and the next appointments
//! booked. Volumes follow a realistic rhythm — weekly or fortnightly early in an order, monthly
//! later, a few prison visits before release — over the last three months only, to keep the
//! demo database small.

use crate::addresses;
use crate::calendar::{
    add_days, at, days_between, next_working_day, office_time, working_days_after,
};
use crate::model::{Allocation, Contact, Event, Person};
use crate::places::{PduPlace, MENS_PRISONS, WOMENS_PRISON};
use crate::random::DemoRng;
use chrono::{NaiveDate, NaiveDateTime};
use keepsafe_domain::address::AddressStatus;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::household::Relationship;
use keepsafe_domain::person::Sex;
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::supervision::contact::{
    ContactOutcome, ContactStatus, ContactType, FailureJudgement, LocationKind,
};
use uuid::Uuid;

/// How far back recorded contacts go.
const HISTORY_DAYS: i64 = 90;

/// What happened at a past appointment, before it is split into outcome, judgement and status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Happened {
    Attended,
    AcceptableAbsence,
    UnacceptableAbsence,
    FailedToComply,
    Rescheduled,
}

impl Happened {
    fn recorded(
        self,
    ) -> (
        Option<ContactOutcome>,
        Option<FailureJudgement>,
        ContactStatus,
    ) {
        use FailureJudgement::{Acceptable, Unacceptable};
        match self {
            Happened::Attended => (
                Some(ContactOutcome::Attended),
                None,
                ContactStatus::Arranged,
            ),
            Happened::AcceptableAbsence => (
                Some(ContactOutcome::FailedToAttend),
                Some(Acceptable),
                ContactStatus::Arranged,
            ),
            Happened::UnacceptableAbsence => (
                Some(ContactOutcome::FailedToAttend),
                Some(Unacceptable),
                ContactStatus::Arranged,
            ),
            Happened::FailedToComply => (
                Some(ContactOutcome::AttendedFailedToComply),
                Some(Unacceptable),
                ContactStatus::Arranged,
            ),
            Happened::Rescheduled => (None, None, ContactStatus::Rescheduled),
        }
    }
}

const OUTCOMES: [(Happened, u32); 5] = [
    (Happened::Attended, 82),
    (Happened::AcceptableAbsence, 6),
    (Happened::UnacceptableAbsence, 6),
    (Happened::FailedToComply, 2),
    (Happened::Rescheduled, 4),
];

const PHONE_CALL_NOTES: [&str; 2] = [
    "Welfare check by phone. No concerns raised.",
    "Phone call to confirm the next appointment and check on accommodation.",
];

const SUPERVISION_NOTES: [&str; 4] = [
    "Discussed progress on the order, accommodation and employment. No new concerns.",
    "Reviewed sentence plan objectives. Engaging well.",
    "Discussed recent stress at home; coping strategies agreed.",
    "Looking for work; referred to the employment adviser.",
];

/// A contact before it is tied to the case's event and officer.
struct Appointment {
    contact_type: ContactType,
    starts_at: NaiveDateTime,
    location: String,
}

/// What every appointment for one person draws on.
struct Supervision<'a> {
    person: &'a Person,
    event: &'a Event,
    place: &'a PduPlace,
    today: NaiveDate,
    at_home: AtHome,
}

/// The person's contacts, in time order.
pub(crate) fn for_person(
    rng: &mut DemoRng,
    person: &Person,
    place: &PduPlace,
    today: NaiveDate,
) -> Vec<Contact> {
    let event = person.events.last().expect("everyone has a current event");
    let supervision = Supervision {
        person,
        event,
        place,
        today,
        at_home: AtHome::of(person, today),
    };
    let appointments = if person.allocations.is_empty() {
        supervision.awaiting_allocation(rng)
    } else {
        match event.case_type {
            CaseType::Community => supervision.in_the_community(rng, event.sentence_date, true),
            CaseType::Licence => supervision.in_the_community(rng, event.release_date, false),
            CaseType::Custody => supervision.in_custody(rng),
            CaseType::PreSentence => supervision.court_report(rng),
        }
    };
    let mut contacts: Vec<Contact> = appointments
        .into_iter()
        .map(|appointment| supervision.record(rng, appointment))
        .collect();
    contacts.sort_by_key(|contact| contact.starts_at);
    contacts
}

impl Supervision<'_> {
    /// A new case with no officer yet: the court books the induction (within five working days
    /// of sentence where that is still possible) or the report interview.
    fn awaiting_allocation(&self, rng: &mut DemoRng) -> Vec<Appointment> {
        let (contact_type, due) = match self.event.sentence_date {
            Some(sentenced) => (
                ContactType::Induction,
                working_days_after(sentenced, rng.range(1..=5)),
            ),
            None => (
                ContactType::OfficeVisit,
                working_days_after(self.event.conviction_date, rng.range(1..=10)),
            ),
        };
        let day = due.max(working_days_after(self.today, 1));
        vec![self.at_office(rng, contact_type, day)]
    }

    /// Supervision after sentence or release: an induction if it began recently (within five
    /// working days of sentence, on the day of release), regular contacts, unpaid work and
    /// programme sessions, and the next one or two appointments.
    fn in_the_community(
        &self,
        rng: &mut DemoRng,
        began: Option<NaiveDate>,
        sentenced: bool,
    ) -> Vec<Appointment> {
        let began = began.expect("community and licence cases have begun");
        let mut appointments = Vec::new();
        if days_between(began, self.today) <= HISTORY_DAYS {
            let induction = if sentenced {
                working_days_after(began, rng.range(1..=5))
            } else {
                next_working_day(began)
            };
            appointments.push(self.at_office(rng, ContactType::Induction, induction));
        }
        let first = add_days(began, 7).max(add_days(self.today, -HISTORY_DAYS));
        let mut day = add_days(first, rng.range(0..7));
        loop {
            day = next_working_day(day);
            if day >= self.today {
                break;
            }
            appointments.push(self.regular(rng, day, sentenced));
            let weeks_in = days_between(began, day) / 7;
            day = add_days(
                day,
                if weeks_in < 16 {
                    rng.range(7..=14)
                } else {
                    rng.range(14..=28)
                },
            );
        }
        appointments.extend(self.sessions(rng, first));
        for _ in 0..rng.range(1..=2) {
            let day = working_days_after(self.today, rng.range(1..=15));
            appointments.push(self.regular(rng, day, sentenced));
        }
        appointments
    }

    /// Prison visits and video calls over the last six months, and pre-release planning if
    /// release is near.
    fn in_custody(&self, rng: &mut DemoRng) -> Vec<Appointment> {
        let prison = match self.person.sex {
            Sex::Female => WOMENS_PRISON,
            Sex::Male => rng.choose(&MENS_PRISONS),
        };
        let sentenced = self.event.sentence_date.expect("prisoners are sentenced");
        let earliest = add_days(sentenced, 14).max(add_days(self.today, -180));
        let mut appointments = Vec::new();
        let days = days_between(earliest, self.today);
        if days > 1 {
            for _ in 0..rng.range(1..=3) {
                let day = next_working_day(add_days(earliest, rng.range(0..days)));
                if day < self.today {
                    appointments.push(self.in_prison(rng, prison, day));
                }
            }
        }
        let release_near = self
            .event
            .release_date
            .is_some_and(|release| days_between(self.today, release) <= 120);
        if release_near {
            let day = working_days_after(self.today, rng.range(3..=20));
            appointments.push(self.in_prison(rng, prison, day));
        }
        appointments
    }

    /// The interview for the pre-sentence report, within two weeks of conviction.
    fn court_report(&self, rng: &mut DemoRng) -> Vec<Appointment> {
        let day = working_days_after(self.event.conviction_date, rng.range(1..=10));
        vec![self.at_office(rng, ContactType::OfficeVisit, day)]
    }

    /// Unpaid work and programme sessions for requirements still running.
    fn sessions(&self, rng: &mut DemoRng, from: NaiveDate) -> Vec<Appointment> {
        let window = days_between(from, self.today);
        let mut appointments = Vec::new();
        for requirement in self.event.requirements.iter().filter(|r| r.active) {
            let (contact_type, count, hour, location) = match requirement.kind {
                RequirementKind::UnpaidWork => (
                    ContactType::UnpaidWorkSession,
                    rng.range(2..=5),
                    9,
                    requirement
                        .detail
                        .clone()
                        .unwrap_or_else(|| "Unpaid work".to_owned()),
                ),
                RequirementKind::AccreditedProgramme if window > 30 && rng.chance(0.5) => (
                    ContactType::ProgrammeSession,
                    rng.range(1..=3),
                    14,
                    format!("{}, group room", self.place.probation_office()),
                ),
                _ => continue,
            };
            if window < 2 {
                continue;
            }
            for _ in 0..count {
                let day = next_working_day(add_days(from, rng.range(0..window)));
                if day < self.today {
                    appointments.push(Appointment {
                        contact_type,
                        starts_at: at(day, hour, 0),
                        location: location.clone(),
                    });
                }
            }
        }
        appointments
    }

    /// An everyday supervision contact: mostly at the office, some at home or by phone.
    fn regular(&self, rng: &mut DemoRng, day: NaiveDate, sentenced: bool) -> Appointment {
        let home_visits = if sentenced { 10 } else { 20 };
        let contact_type = rng.weighted(&[
            (ContactType::OfficeVisit, 55),
            (ContactType::PhoneCall, 18),
            (ContactType::HomeVisit, home_visits),
            (ContactType::VideoCall, 7),
            (ContactType::ThreeWayMeeting, 6),
        ]);
        let home = addresses::current(&self.person.addresses);
        let location = match contact_type {
            ContactType::HomeVisit if home.status != AddressStatus::NoFixedAbode => {
                format!("{}, {}", home.line1, home.town)
            }
            // Someone with no fixed abode is seen at the office instead.
            ContactType::HomeVisit => return self.at_office(rng, ContactType::OfficeVisit, day),
            ContactType::PhoneCall => "Telephone".to_owned(),
            ContactType::VideoCall => "Video call".to_owned(),
            _ => self.place.probation_office(),
        };
        Appointment {
            contact_type,
            starts_at: office_time(rng, day),
            location,
        }
    }

    fn at_office(
        &self,
        rng: &mut DemoRng,
        contact_type: ContactType,
        day: NaiveDate,
    ) -> Appointment {
        Appointment {
            contact_type,
            starts_at: office_time(rng, day),
            location: self.place.probation_office(),
        }
    }

    fn in_prison(&self, rng: &mut DemoRng, prison: &str, day: NaiveDate) -> Appointment {
        let contact_type = if rng.chance(0.5) {
            ContactType::PrisonVisit
        } else {
            ContactType::VideoCall
        };
        Appointment {
            contact_type,
            starts_at: at(day, rng.choose(&[10, 14]), 0),
            location: prison.to_owned(),
        }
    }

    /// The contact as recorded: outcome and notes for past ones, the officer responsible then.
    fn record(&self, rng: &mut DemoRng, appointment: Appointment) -> Contact {
        let day = appointment.starts_at.date();
        let happened = (day < self.today).then(|| rng.weighted(&OUTCOMES));
        let (outcome, judgement, status) =
            happened
                .map(Happened::recorded)
                .unwrap_or((None, None, ContactStatus::Arranged));
        let kind = appointment.contact_type;
        Contact {
            id: rng.id(),
            event_id: Some(self.event.id),
            contact_type: kind,
            starts_at: appointment.starts_at,
            ends_at: appointment.starts_at + chrono::Duration::minutes(duration_minutes(kind)),
            location_kind: location_kind(kind, &appointment.location, self.place),
            location: appointment.location,
            outcome,
            judgement,
            status,
            enforceable: !matches!(kind, ContactType::PhoneCall | ContactType::PrisonVisit),
            notes: notes(
                rng,
                kind,
                happened,
                self.person.allocations.is_empty(),
                &self.at_home,
            ),
            staff_id: officer_on(&self.person.allocations, day),
            evidence_due_on: None,
        }
    }
}

/// How long each kind of contact is booked for.
fn duration_minutes(kind: ContactType) -> i64 {
    match kind {
        ContactType::PhoneCall => 15,
        ContactType::UnpaidWorkSession => 7 * 60,
        ContactType::ProgrammeSession => 150,
        ContactType::Induction | ContactType::PrisonVisit => 60,
        _ => 45,
    }
}

fn location_kind(kind: ContactType, location: &str, place: &PduPlace) -> LocationKind {
    match kind {
        ContactType::HomeVisit => LocationKind::Home,
        ContactType::PhoneCall | ContactType::VideoCall => LocationKind::Remote,
        _ if location == place.probation_office() => LocationKind::Office,
        _ => LocationKind::Other,
    }
}

/// The officer whose allocation covers the day, if any.
pub(crate) fn officer_on(allocations: &[Allocation], day: NaiveDate) -> Option<Uuid> {
    allocations
        .iter()
        .find(|allocation| {
            allocation.start_date <= day && allocation.end_date.is_none_or(|end| day < end)
        })
        .map(|allocation| allocation.staff_id)
}

/// Who is at the person's home, so home-visit notes only mention people who live there.
struct AtHome {
    partner: bool,
    children: bool,
}

impl AtHome {
    fn of(person: &Person, today: NaiveDate) -> Self {
        let current = || person.household.iter().filter(|m| m.end_date.is_none());
        Self {
            partner: current().any(|m| m.relationship == Relationship::Partner),
            children: current().any(|m| {
                m.date_of_birth
                    .is_some_and(|born| keepsafe_domain::age::is_child_on(born, today))
            }),
        }
    }
}

fn notes(
    rng: &mut DemoRng,
    contact_type: ContactType,
    happened: Option<Happened>,
    unallocated: bool,
    at_home: &AtHome,
) -> String {
    let remote = matches!(
        contact_type,
        ContactType::PhoneCall | ContactType::VideoCall
    );
    let text = match happened {
        None if unallocated => "Booked at court. Officer to be allocated.",
        None => "Appointment booked.",
        Some(Happened::Attended) => attended_notes(rng, contact_type, at_home),
        Some(Happened::FailedToComply) if remote => {
            "Took the call but was abusive and ended it. Warning to be considered."
        }
        Some(Happened::FailedToComply) => {
            "Attended but under the influence of alcohol and sent home. Warning to be considered."
        }
        Some(Happened::AcceptableAbsence) => {
            "Absence accepted: hospital appointment, evidence seen."
        }
        Some(Happened::UnacceptableAbsence) if remote => {
            "Did not answer the planned call and has not explained why. Warning letter sent."
        }
        Some(Happened::UnacceptableAbsence) => {
            "Did not attend and no explanation given. Warning letter sent."
        }
        Some(Happened::Rescheduled) => "Rescheduled at the person's request because of work.",
    };
    text.to_owned()
}

fn attended_notes(rng: &mut DemoRng, contact_type: ContactType, at_home: &AtHome) -> &'static str {
    match contact_type {
        ContactType::Induction => {
            "Induction completed: order and enforcement explained, sentence plan started."
        }
        ContactType::HomeVisit => {
            let mut seen = vec!["Home visit completed. Address suitable; no concerns seen."];
            if at_home.partner {
                seen.push("Home visit completed. Partner present; relationship discussed.");
            }
            if at_home.children {
                seen.push("Home visit completed. Children seen and appeared well cared for.");
            }
            seen[rng.range(0..seen.len())]
        }
        ContactType::PhoneCall => rng.choose(&PHONE_CALL_NOTES),
        ContactType::UnpaidWorkSession => {
            "Completed the session. Good effort reported by the supervisor."
        }
        ContactType::ProgrammeSession => "Attended the group session and took part.",
        ContactType::ThreeWayMeeting => {
            "Three-way meeting with the substance misuse worker to review treatment."
        }
        ContactType::PrisonVisit => {
            "Sentence planning: accommodation on release and licence conditions discussed."
        }
        _ => rng.choose(&SUPERVISION_NOTES),
    }
}
