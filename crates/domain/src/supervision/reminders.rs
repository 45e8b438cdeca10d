//! Reminders to the person on probation: the day before an appointment, by text message or
//! email, as the person chooses (none unless they ask, with their consent recorded).
//!
//! Messages go through an outbox: stored first, then sent, retried with back-off when sending
//! fails, and cancelled if the appointment has moved. The message says when and where in words
//! and nothing else: a text or email can be read by anyone holding the phone, so a sensitive
//! appointment's reminder names no place and no kind of appointment.

use super::contact::LocationKind;
use crate::calendar::long_date;
use crate::coded_enum;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

coded_enum! {
    /// How the person wants to be reminded.
    pub enum ReminderChannel ("reminder channel") {
        None => "none", "No reminders",
        Text => "text", "Text message",
        Email => "email", "Email",
    }
}

coded_enum! {
    /// Where a message in the outbox stands.
    pub enum OutboxStatus ("message status") {
        Queued => "queued", "Waiting to be sent",
        Sent => "sent", "Delivered to the provider",
        Failed => "failed", "Failed",
        Cancelled => "cancelled", "Cancelled",
        NotSent => "not_sent", "Not sent",
    }
}

/// The longest email address accepted (RFC 5321's limit on a forward path).
pub const EMAIL_MAX: usize = 254;

/// A UK mobile number, kept as 07xxxxxxxxx.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MobileNumber(String);

impl MobileNumber {
    /// Reads a UK mobile number typed with or without spaces, dashes, brackets or +44.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let national = uk_national_number(raw);
        if national.is_empty() {
            return Err("Enter a mobile phone number");
        }
        if national.len() == 11
            && national.starts_with("07")
            && national.chars().all(|c| c.is_ascii_digit())
        {
            Ok(MobileNumber(national))
        } else {
            Err("Enter a UK mobile phone number, like 07700 900 982")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A UK phone number as typed, in national form: spaces, dashes and brackets removed and an
/// international +44 or 0044 turned into the leading 0. Not checked: the callers decide which
/// numbers they accept (a mobile for text reminders, any UK number for a person's contacts).
pub fn uk_national_number(raw: &str) -> String {
    let digits: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
        .collect();
    if let Some(rest) = digits.strip_prefix("+44") {
        format!("0{rest}")
    } else if let Some(rest) = digits.strip_prefix("0044") {
        format!("0{rest}")
    } else {
        digits
    }
}

/// An email address, checked for its shape only (the mail server is the judge of the rest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let address = raw.trim();
        if address.is_empty() {
            return Err("Enter an email address");
        }
        let well_formed = address.len() <= EMAIL_MAX
            && !address.chars().any(|c| c.is_whitespace() || c.is_control())
            && match address.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !domain.contains("..")
                }
                None => false,
            };
        if well_formed {
            Ok(EmailAddress(address.to_owned()))
        } else {
            Err("Enter an email address in the correct format, like name@example.com")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// When sending fails, how long to wait before trying again: 1, 5, 30 and then 120 minutes,
/// then the message is marked failed (five attempts in all, over about two and a half hours,
/// which still leaves the day before the appointment for someone to phone instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub delays_minutes: Vec<i64>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            delays_minutes: vec![1, 5, 30, 120],
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    RetryAt(NaiveDateTime),
    GiveUp,
}

impl RetryPolicy {
    /// The most attempts a message gets.
    pub fn max_attempts(&self) -> u32 {
        self.delays_minutes.len() as u32 + 1
    }

    /// After `attempts` attempts (counting the one that just failed) at `now`.
    pub fn after_failure(&self, attempts: u32, now: NaiveDateTime) -> AfterFailure {
        match attempts
            .checked_sub(1)
            .and_then(|i| self.delays_minutes.get(i as usize))
        {
            Some(minutes) => AfterFailure::RetryAt(now + Duration::minutes(*minutes)),
            None => AfterFailure::GiveUp,
        }
    }
}

/// A reminder is written on the day before the appointment and sent from this time that day, so
/// nobody is woken by one.
pub fn send_from(appointment_day: NaiveDate) -> NaiveDateTime {
    (appointment_day - Duration::days(1)).and_time(NaiveTime::from_hms_opt(9, 0, 0).expect("09:00"))
}

/// The day whose appointments get reminders written on `today`: tomorrow.
pub fn reminder_day(today: NaiveDate) -> NaiveDate {
    today + Duration::days(1)
}

/// Whether a stored reminder may still go: the appointment is still arranged, at the time the
/// message gives, and has not started.
pub fn still_due(
    arranged: bool,
    starts_at_now: NaiveDateTime,
    starts_at_in_message: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<(), &'static str> {
    if !arranged {
        Err("The appointment was cancelled or rescheduled")
    } else if starts_at_now != starts_at_in_message {
        Err("The appointment's time has changed")
    } else if starts_at_now <= now {
        Err("The appointment has already started")
    } else {
        Ok(())
    }
}

/// The appointment a reminder is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderAppointment {
    pub starts_at: NaiveDateTime,
    pub location_kind: LocationKind,
    /// The place in words.
    pub location: String,
    pub sensitive: bool,
}

/// A message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    pub body: String,
}

/// The reminder for `appointment`, written the day before it. A sensitive appointment's says
/// only the time: "You have an appointment with the probation service tomorrow at 14:30."
pub fn reminder(appointment: &ReminderAppointment) -> Message {
    let time = super::diary::clock_time(appointment.starts_at);
    let day = appointment.starts_at.date();
    let subject = "Your probation appointment tomorrow".to_owned();
    if appointment.sensitive {
        return Message {
            subject,
            body: format!("You have an appointment with the probation service tomorrow at {time}."),
        };
    }
    let place = match appointment.location_kind {
        LocationKind::Home => " at your home".to_owned(),
        LocationKind::Remote => ". It is by phone or video call".to_owned(),
        LocationKind::Office | LocationKind::Other => {
            let place = appointment.location.trim();
            if place.is_empty() {
                String::new()
            } else {
                format!(" at {place}")
            }
        }
    };
    Message {
        subject,
        body: format!(
            "You have an appointment with the probation service tomorrow, {} {}, at {time}{place}. \
             If you cannot come, contact your probation practitioner as soon as you can.",
            day.format("%A"),
            long_date(day),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 3)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    #[test]
    fn a_reminder_says_the_date_time_and_place_in_words() {
        let message = reminder(&ReminderAppointment {
            starts_at: at(14, 30),
            location_kind: LocationKind::Office,
            location: "Midchester probation office, 1 High Street".into(),
            sensitive: false,
        });
        assert_eq!(
            message.body,
            "You have an appointment with the probation service tomorrow, Thursday 3 December \
             2026, at 14:30 at Midchester probation office, 1 High Street. If you cannot come, \
             contact your probation practitioner as soon as you can."
        );
        assert_eq!(message.subject, "Your probation appointment tomorrow");
    }

    #[test]
    fn a_sensitive_appointments_reminder_says_only_the_time() {
        let message = reminder(&ReminderAppointment {
            starts_at: at(14, 30),
            location_kind: LocationKind::Other,
            location: "Women's centre, 4 Mill Lane".into(),
            sensitive: true,
        });
        assert_eq!(
            message.body,
            "You have an appointment with the probation service tomorrow at 14:30."
        );
    }

    #[test]
    fn a_home_visit_names_no_address() {
        let message = reminder(&ReminderAppointment {
            starts_at: at(9, 0),
            location_kind: LocationKind::Home,
            location: "12 Acacia Avenue".into(),
            sensitive: false,
        });
        assert!(message.body.contains("at 09:00 at your home."));
        assert!(!message.body.contains("Acacia"));
    }

    #[test]
    fn failures_are_retried_after_1_5_30_and_120_minutes_then_given_up() {
        let policy = RetryPolicy::default();
        let now = at(10, 0);
        let waits: Vec<_> = (1..=4)
            .map(|attempts| match policy.after_failure(attempts, now) {
                AfterFailure::RetryAt(then) => (then - now).num_minutes(),
                AfterFailure::GiveUp => panic!("gave up after {attempts}"),
            })
            .collect();
        assert_eq!(waits, [1, 5, 30, 120]);
        assert_eq!(policy.after_failure(5, now), AfterFailure::GiveUp);
        assert_eq!(policy.max_attempts(), 5);
    }

    #[test]
    fn mobile_numbers_are_uk_mobiles() {
        assert_eq!(
            MobileNumber::parse("07700 900 982").unwrap().as_str(),
            "07700900982"
        );
        assert_eq!(
            MobileNumber::parse("+44 7700 900982").unwrap().as_str(),
            "07700900982"
        );
        assert!(MobileNumber::parse("0116 496 0000").is_err());
        assert!(MobileNumber::parse("0770090098").is_err());
        assert_eq!(MobileNumber::parse(" "), Err("Enter a mobile phone number"));
    }

    #[test]
    fn email_addresses_need_a_local_part_and_a_domain() {
        assert!(EmailAddress::parse("sam.smith@example.com").is_ok());
        assert!(EmailAddress::parse("sam.smith@example").is_err());
        assert!(EmailAddress::parse("sam smith@example.com").is_err());
        assert!(EmailAddress::parse("@example.com").is_err());
        assert!(EmailAddress::parse("a@b@example.com").is_err());
    }

    #[test]
    fn a_reminder_is_not_sent_for_a_moved_or_past_appointment() {
        let now = at(10, 0) - Duration::days(1);
        assert_eq!(still_due(true, at(14, 30), at(14, 30), now), Ok(()));
        assert!(still_due(false, at(14, 30), at(14, 30), now).is_err());
        assert_eq!(
            still_due(true, at(15, 0), at(14, 30), now),
            Err("The appointment's time has changed")
        );
        assert!(still_due(true, at(14, 30), at(14, 30), at(15, 0)).is_err());
    }

    #[test]
    fn reminders_go_the_day_before_from_nine_in_the_morning() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(send_from(day), at(9, 0) - Duration::days(1));
        assert_eq!(
            reminder_day(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()),
            day
        );
    }
}
