//! A practitioner's private calendar feed: their appointments as an iCalendar (RFC 5545) file
//! that Outlook or Google Calendar subscribe to.
//!
//! A phone's calendar is outside keepsafe's protection, so the feed carries as little as the
//! practitioner needs to turn up: the CRN, the kind of appointment and the place — never a name,
//! notes or an outcome; a sensitive appointment says only "Appointment". The file is written by
//! hand to the letter of RFC 5545 (CRLF line ends, lines folded at 75 octets, text escaped, UTC
//! times ending in Z), so every calendar program reads it the same way.

use super::contact::{ContactType, LocationKind};
use crate::CodedValue;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use uuid::Uuid;

/// How far back the feed reaches: a month, so last week's appointments are still there to look
/// back on.
pub const DAYS_BACK: i64 = 28;
/// How far ahead the feed reaches: twelve weeks, the span appointments are usually arranged in.
pub const DAYS_AHEAD: i64 = 84;
/// The length given to an appointment arranged without an end time.
pub const DEFAULT_LENGTH_MINUTES: i64 = 60;

/// The days a feed fetched on `today` covers: from `DAYS_BACK` before to `DAYS_AHEAD` after
/// (the day after the last, exclusive).
pub fn window(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (
        today - Duration::days(DAYS_BACK),
        today + Duration::days(DAYS_AHEAD + 1),
    )
}

/// An arranged appointment as the feed needs it. Times are as typed: the wall-clock time in
/// England and Wales.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedAppointment {
    pub id: Uuid,
    pub crn: String,
    pub kind: ContactType,
    pub location_kind: LocationKind,
    /// The place in words.
    pub location: String,
    pub sensitive: bool,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
}

/// One VEVENT, holding only what may leave keepsafe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEvent {
    pub uid: String,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub summary: String,
    pub location: Option<String>,
}

impl FeedEvent {
    /// What the calendar shows of an appointment: "Office appointment: X123456" at the place, or
    /// for a sensitive appointment only "Appointment", with no CRN and no place.
    pub fn of(appointment: &FeedAppointment) -> Self {
        let starts = england_to_utc(appointment.starts_at);
        let ends = appointment
            .ends_at
            .filter(|ends| *ends > appointment.starts_at)
            .map(england_to_utc)
            .unwrap_or(starts + Duration::minutes(DEFAULT_LENGTH_MINUTES));
        let (summary, location) = if appointment.sensitive {
            ("Appointment".to_owned(), None)
        } else {
            let place = match appointment.location_kind {
                LocationKind::Home if appointment.location.trim().is_empty() => {
                    Some("The person's home".to_owned())
                }
                _ => Some(appointment.location.trim().to_owned()).filter(|p| !p.is_empty()),
            };
            (
                format!("{}: {}", appointment.kind.label(), appointment.crn),
                place,
            )
        };
        FeedEvent {
            uid: format!("{}@keepsafe", appointment.id),
            starts,
            ends,
            summary,
            location,
        }
    }
}

/// The whole feed: a VCALENDAR of `events`, stamped `now`.
pub fn render(calendar_name: &str, events: &[FeedEvent], now: DateTime<Utc>) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//keepsafe//Probation diary//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        format!("X-WR-CALNAME:{}", escape_text(calendar_name)),
        // Ask subscribers to fetch again every hour, so a cancelled appointment goes soon.
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H".to_owned(),
        "X-PUBLISHED-TTL:PT1H".to_owned(),
    ];
    let stamp = utc_stamp(now);
    for event in events {
        lines.push("BEGIN:VEVENT".to_owned());
        lines.push(format!("UID:{}", escape_text(&event.uid)));
        lines.push(format!("DTSTAMP:{stamp}"));
        lines.push(format!("DTSTART:{}", utc_stamp(event.starts)));
        lines.push(format!("DTEND:{}", utc_stamp(event.ends)));
        lines.push(format!("SUMMARY:{}", escape_text(&event.summary)));
        if let Some(location) = &event.location {
            lines.push(format!("LOCATION:{}", escape_text(location)));
        }
        lines.push("CLASS:PRIVATE".to_owned());
        lines.push("STATUS:CONFIRMED".to_owned());
        lines.push("TRANSP:OPAQUE".to_owned());
        lines.push("END:VEVENT".to_owned());
    }
    lines.push("END:VCALENDAR".to_owned());
    lines.iter().map(|line| fold(line) + "\r\n").collect()
}

/// A UTC time as RFC 5545 writes it: 20261202T143000Z.
pub fn utc_stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma are escaped, and a
/// line break becomes `\n`.
pub fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => escaped.push_str("\\n"),
            c if c.is_control() => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// Folds a content line so that no line is longer than 75 octets (RFC 5545 §3.1): each
/// continuation starts with one space, and a UTF-8 character is never split.
pub fn fold(line: &str) -> String {
    const LIMIT: usize = 75;
    let mut folded = String::with_capacity(line.len() + line.len() / LIMIT * 3);
    let mut used = 0;
    for c in line.chars() {
        let width = c.len_utf8();
        if used + width > LIMIT {
            folded.push_str("\r\n ");
            used = 1;
        }
        folded.push(c);
        used += width;
    }
    folded
}

/// A wall-clock time in England and Wales as UTC: British Summer Time (UTC+1) runs from 01:00 UTC
/// on the last Sunday in March to 01:00 UTC on the last Sunday in October (The Summer Time
/// Order 2002, SI 2002/262). A time in the hour skipped in spring is read as GMT; one in the
/// hour repeated in autumn as its first (summer-time) occurrence.
pub fn england_to_utc(local: NaiveDateTime) -> DateTime<Utc> {
    let year = local.date().year();
    let begins = last_sunday(year, 3).and_hms_opt(1, 0, 0).expect("01:00");
    let ends = last_sunday(year, 10).and_hms_opt(1, 0, 0).expect("01:00");
    let if_summer = local - Duration::hours(1);
    let utc = if (begins..ends).contains(&if_summer) {
        if_summer
    } else {
        local
    };
    Utc.from_utc_datetime(&utc)
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .expect("a real month");
    let last = first_of_next - Duration::days(1);
    last - Duration::days(i64::from(last.weekday().num_days_from(Weekday::Sun)))
}

trait DaysFrom {
    fn num_days_from(self, start: Weekday) -> u32;
}

impl DaysFrom for Weekday {
    fn num_days_from(self, start: Weekday) -> u32 {
        (self.num_days_from_monday() + 7 - start.num_days_from_monday()) % 7
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn appointment(sensitive: bool) -> FeedAppointment {
        FeedAppointment {
            id: Uuid::nil(),
            crn: "X123456".into(),
            kind: ContactType::OfficeVisit,
            location_kind: LocationKind::Office,
            location: "Midchester office, 1 High Street".into(),
            sensitive,
            starts_at: at(2026, 12, 3, 14, 30),
            ends_at: Some(at(2026, 12, 3, 15, 0)),
        }
    }

    #[test]
    fn an_appointment_shows_its_crn_type_and_place_and_nothing_else() {
        let event = FeedEvent::of(&appointment(false));
        assert_eq!(event.summary, "Office appointment: X123456");
        assert_eq!(
            event.location.as_deref(),
            Some("Midchester office, 1 High Street")
        );
        assert_eq!(utc_stamp(event.starts), "20261203T143000Z");
        assert_eq!(utc_stamp(event.ends), "20261203T150000Z");
    }

    #[test]
    fn a_sensitive_appointment_shows_only_appointment() {
        let event = FeedEvent::of(&appointment(true));
        assert_eq!(event.summary, "Appointment");
        assert_eq!(event.location, None);
        let feed = render(
            "Diary",
            &[event],
            Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap(),
        );
        assert!(!feed.contains("X123456"));
        assert!(!feed.contains("Midchester"));
    }

    #[test]
    fn text_is_escaped_as_rfc_5545_asks() {
        assert_eq!(
            escape_text("Room 2; floor 1, back\\side\nring bell"),
            "Room 2\\; floor 1\\, back\\\\side\\nring bell"
        );
        assert_eq!(escape_text("a\r\nb"), "a\\nb");
    }

    #[test]
    fn long_lines_are_folded_at_75_octets_without_splitting_a_character() {
        let line = format!("LOCATION:{}", "é".repeat(60));
        let folded = fold(&line);
        for part in folded.split("\r\n") {
            assert!(part.len() <= 75, "{} octets: {part}", part.len());
        }
        assert!(folded.split("\r\n").skip(1).all(|p| p.starts_with(' ')));
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded, line);
        assert_eq!(fold("SUMMARY:short"), "SUMMARY:short");
    }

    #[test]
    fn every_line_ends_with_crlf_and_the_calendar_is_complete() {
        let feed = render(
            "Diary",
            &[FeedEvent::of(&appointment(false))],
            Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap(),
        );
        assert!(feed.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(feed.ends_with("END:VCALENDAR\r\n"));
        assert!(!feed.replace("\r\n", "").contains('\n'));
        assert!(feed.contains("DTSTAMP:20261202T100000Z\r\n"));
        assert!(feed.contains("UID:00000000-0000-0000-0000-000000000000@keepsafe\r\n"));
        assert!(feed.contains("LOCATION:Midchester office\\, 1 High Street\r\n"));
    }

    #[test]
    fn summer_times_are_an_hour_ahead_of_utc() {
        // Summer time 2026: 29 March to 25 October.
        assert_eq!(
            utc_stamp(england_to_utc(at(2026, 7, 1, 14, 30))),
            "20260701T133000Z"
        );
        assert_eq!(
            utc_stamp(england_to_utc(at(2026, 12, 3, 14, 30))),
            "20261203T143000Z"
        );
        assert_eq!(
            utc_stamp(england_to_utc(at(2026, 3, 29, 0, 30))),
            "20260329T003000Z"
        );
        assert_eq!(
            utc_stamp(england_to_utc(at(2026, 3, 29, 3, 0))),
            "20260329T020000Z"
        );
        assert_eq!(
            utc_stamp(england_to_utc(at(2026, 10, 25, 0, 30))),
            "20261024T233000Z"
        );
        assert_eq!(
            utc_stamp(england_to_utc(at(2026, 10, 25, 2, 0))),
            "20261025T020000Z"
        );
    }

    #[test]
    fn an_appointment_without_an_end_lasts_an_hour() {
        let mut open_ended = appointment(false);
        open_ended.ends_at = None;
        let event = FeedEvent::of(&open_ended);
        assert_eq!(event.ends - event.starts, Duration::hours(1));
    }

    #[test]
    fn the_window_reaches_four_weeks_back_and_twelve_ahead() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let (from, until) = window(today);
        assert_eq!(from, NaiveDate::from_ymd_opt(2026, 11, 4).unwrap());
        assert_eq!(until, NaiveDate::from_ymd_opt(2027, 2, 25).unwrap());
    }
}
