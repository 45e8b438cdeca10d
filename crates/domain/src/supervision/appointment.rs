//! Arranging appointments: one, or a series (weekly or fortnightly, a number of times or until a
//! date), checked before anything is written, and the warnings worth a second look — a clash with
//! the practitioner's or the person's other appointments, a bank holiday, a weekend. Warnings do
//! not stop the practitioner: probation offices do open on some Saturdays, and two people may see
//! the person together.
//!
//! Moving and cancelling: only an arranged appointment whose outcome is not recorded can be moved
//! or cancelled; the old one is kept (rescheduled or cancelled) so the record shows what changed.

use crate::calendar::{is_bank_holiday, long_date};
use crate::supervision::contact::{ContactOutcome, ContactStatus};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use thiserror::Error;

/// The most appointments one series may arrange: a year of weekly appointments. Beyond that the
/// order's circumstances will have changed, and a mistyped "until" date would fill the diary.
pub const MAX_OCCURRENCES: u32 = 52;

/// How often a series repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// A single appointment.
    Once,
    Weekly,
    Fortnightly,
}

impl Repeat {
    /// The days between one appointment of the series and the next.
    fn step_days(self) -> i64 {
        match self {
            Repeat::Once => 0,
            Repeat::Weekly => 7,
            Repeat::Fortnightly => 14,
        }
    }
}

/// Where a repeating series stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesEnd {
    /// After this many appointments (the first included).
    Times(u32),
    /// On the last repeat falling on or before this date.
    Until(NaiveDate),
}

/// An appointment, or the first of a series, as asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppointmentRequest {
    pub date: NaiveDate,
    pub starts: NaiveTime,
    pub ends: NaiveTime,
    pub repeat: Repeat,
    /// Ignored for [`Repeat::Once`].
    pub end: SeriesEnd,
}

/// A time an appointment takes up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
}

impl Slot {
    /// Whether the two share any time. An existing contact with no end time is taken as the
    /// moment it starts, so it clashes only with a slot running over that moment.
    pub fn overlaps(&self, starts_at: NaiveDateTime, ends_at: Option<NaiveDateTime>) -> bool {
        match ends_at.filter(|end| *end > starts_at) {
            Some(ends_at) => self.starts_at < ends_at && starts_at < self.ends_at,
            None => self.starts_at <= starts_at && starts_at < self.ends_at,
        }
    }
}

/// Why an appointment cannot be arranged as asked. Each names one input, so the form can link
/// the message to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum AppointmentRefusal {
    #[error("The appointment must be in the future: record a past contact instead")]
    InThePast,
    #[error("The end time must be after the start time")]
    EndsBeforeStart,
    #[error("Enter how many appointments to arrange, 1 or more")]
    NoOccurrences,
    #[error("A series can be at most {max} appointments (this would be {count})", max = MAX_OCCURRENCES)]
    TooManyOccurrences { count: u32 },
    #[error("The last date must be on or after the first appointment")]
    UntilBeforeFirst,
}

impl AppointmentRefusal {
    /// The input the refusal is about.
    pub fn input(self) -> AppointmentInput {
        match self {
            AppointmentRefusal::InThePast => AppointmentInput::Date,
            AppointmentRefusal::EndsBeforeStart => AppointmentInput::EndTime,
            AppointmentRefusal::NoOccurrences | AppointmentRefusal::TooManyOccurrences { .. } => {
                AppointmentInput::SeriesEnd
            }
            AppointmentRefusal::UntilBeforeFirst => AppointmentInput::Until,
        }
    }
}

/// The inputs of an appointment request a refusal can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppointmentInput {
    Date,
    EndTime,
    /// The number of times, or the whole "until" choice when the count is what is wrong.
    SeriesEnd,
    Until,
}

/// The appointments a request makes, or every reason it cannot be arranged. `now` is the moment
/// it is arranged: an appointment starting before it is in the past.
pub fn plan(
    request: &AppointmentRequest,
    now: NaiveDateTime,
) -> Result<Vec<Slot>, Vec<AppointmentRefusal>> {
    let mut refusals = Vec::new();
    let first = request.date.and_time(request.starts);
    if first < now {
        refusals.push(AppointmentRefusal::InThePast);
    }
    if request.ends <= request.starts {
        refusals.push(AppointmentRefusal::EndsBeforeStart);
    }
    let count = match occurrences(request) {
        Ok(count) => count,
        Err(refusal) => {
            refusals.push(refusal);
            0
        }
    };
    if !refusals.is_empty() {
        return Err(refusals);
    }
    let step = Duration::days(request.repeat.step_days());
    let length = request.ends - request.starts;
    Ok((0..i64::from(count))
        .map(|n| {
            let starts_at = first + step * n as i32;
            Slot {
                starts_at,
                ends_at: starts_at + length,
            }
        })
        .collect())
}

/// How many appointments the request makes, counted without listing them, so a mistyped year
/// cannot make a long list before it is refused.
fn occurrences(request: &AppointmentRequest) -> Result<u32, AppointmentRefusal> {
    let count = match (request.repeat, request.end) {
        (Repeat::Once, _) => 1,
        (_, SeriesEnd::Times(0)) => return Err(AppointmentRefusal::NoOccurrences),
        (_, SeriesEnd::Times(times)) => times,
        (repeat, SeriesEnd::Until(until)) => {
            if until < request.date {
                return Err(AppointmentRefusal::UntilBeforeFirst);
            }
            let days = (until - request.date).num_days();
            u32::try_from(days / repeat.step_days() + 1).unwrap_or(u32::MAX)
        }
    };
    if count > MAX_OCCURRENCES {
        Err(AppointmentRefusal::TooManyOccurrences { count })
    } else {
        Ok(count)
    }
}

/// An appointment already in someone's diary, as the clash check reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booked {
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub status: ContactStatus,
    /// Whose diary it is in: the practitioner's, or the person's (with anyone in the service).
    pub diary: Diary,
}

/// Whose diary a clash is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Diary {
    Practitioner,
    Person,
}

/// Something worth checking before going ahead; the practitioner may go ahead anyway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The slot overlaps another appointment still arranged in this diary.
    Clash {
        slot: Slot,
        diary: Diary,
        other: NaiveDateTime,
    },
    BankHoliday(NaiveDate),
    Weekend(NaiveDate),
}

impl Warning {
    /// The warning in words ("Wednesday 9 December 2026: the practitioner has another appointment
    /// at 14:00").
    pub fn message(&self) -> String {
        match self {
            Warning::Clash { slot, diary, other } => {
                let whose = match diary {
                    Diary::Practitioner => "the practitioner already has an appointment",
                    Diary::Person => "the person already has an appointment",
                };
                format!(
                    "{}: {whose} at {}",
                    long_date(slot.starts_at.date()),
                    other.format("%H:%M")
                )
            }
            Warning::BankHoliday(day) => format!("{} is a bank holiday", long_date(day)),
            Warning::Weekend(day) => {
                format!("{} is a {}", long_date(day), day.format("%A"))
            }
        }
    }
}

/// The warnings for a planned set of slots: clashes with appointments still arranged (a moved or
/// cancelled one frees its time), bank holidays in England and Wales, and weekends.
pub fn warnings(slots: &[Slot], booked: &[Booked]) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for slot in slots {
        let day = slot.starts_at.date();
        if is_bank_holiday(day) {
            warnings.push(Warning::BankHoliday(day));
        } else if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            warnings.push(Warning::Weekend(day));
        }
        for other in booked {
            if other.status == ContactStatus::Arranged
                && slot.overlaps(other.starts_at, other.ends_at)
            {
                warnings.push(Warning::Clash {
                    slot: *slot,
                    diary: other.diary,
                    other: other.starts_at,
                });
            }
        }
    }
    warnings
}

/// Why an appointment cannot be moved or cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ChangeRefusal {
    #[error("This appointment has an outcome recorded, so it cannot be moved or cancelled")]
    OutcomeRecorded,
    #[error("This appointment has already been rescheduled")]
    AlreadyRescheduled,
    #[error("This appointment has already been cancelled")]
    AlreadyCancelled,
}

/// Only an arranged appointment without an outcome can be moved or cancelled: once the person
/// came or did not, that is the record.
pub fn may_change(
    status: ContactStatus,
    outcome: Option<ContactOutcome>,
) -> Result<(), ChangeRefusal> {
    match (status, outcome) {
        (ContactStatus::Rescheduled, _) => Err(ChangeRefusal::AlreadyRescheduled),
        (ContactStatus::Cancelled, _) => Err(ChangeRefusal::AlreadyCancelled),
        (ContactStatus::Arranged, Some(_)) => Err(ChangeRefusal::OutcomeRecorded),
        (ContactStatus::Arranged, None) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(hour: u32, minute: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(hour, minute, 0).unwrap()
    }

    /// Wednesday 2 December 2026, 10:00.
    fn now() -> NaiveDateTime {
        day(2026, 12, 2).and_time(at(10, 0))
    }

    fn request(date: NaiveDate, repeat: Repeat, end: SeriesEnd) -> AppointmentRequest {
        AppointmentRequest {
            date,
            starts: at(14, 30),
            ends: at(15, 15),
            repeat,
            end,
        }
    }

    #[test]
    fn a_single_appointment_is_one_slot_with_its_times() {
        let slots = plan(
            &request(day(2026, 12, 9), Repeat::Once, SeriesEnd::Times(40)),
            now(),
        )
        .unwrap();
        assert_eq!(
            slots,
            [Slot {
                starts_at: day(2026, 12, 9).and_time(at(14, 30)),
                ends_at: day(2026, 12, 9).and_time(at(15, 15)),
            }]
        );
    }

    #[test]
    fn a_fortnightly_series_of_six_is_every_other_week() {
        let slots = plan(
            &request(day(2026, 12, 9), Repeat::Fortnightly, SeriesEnd::Times(6)),
            now(),
        )
        .unwrap();
        let dates: Vec<NaiveDate> = slots.iter().map(|s| s.starts_at.date()).collect();
        assert_eq!(
            dates,
            [
                day(2026, 12, 9),
                day(2026, 12, 23),
                day(2027, 1, 6),
                day(2027, 1, 20),
                day(2027, 2, 3),
                day(2027, 2, 17),
            ]
        );
    }

    #[test]
    fn a_weekly_series_until_a_date_includes_that_date() {
        let slots = plan(
            &request(
                day(2026, 12, 9),
                Repeat::Weekly,
                SeriesEnd::Until(day(2026, 12, 30)),
            ),
            now(),
        )
        .unwrap();
        assert_eq!(slots.len(), 4);
        assert_eq!(slots[3].starts_at.date(), day(2026, 12, 30));
        let short = plan(
            &request(
                day(2026, 12, 9),
                Repeat::Weekly,
                SeriesEnd::Until(day(2026, 12, 29)),
            ),
            now(),
        )
        .unwrap();
        assert_eq!(short.len(), 3);
    }

    #[test]
    fn a_series_of_52_is_allowed_and_one_over_52_occurrences_is_refused() {
        let weekly = |times| {
            plan(
                &request(day(2026, 12, 9), Repeat::Weekly, SeriesEnd::Times(times)),
                now(),
            )
        };
        assert_eq!(weekly(52).unwrap().len(), 52);
        assert_eq!(
            weekly(53).unwrap_err(),
            [AppointmentRefusal::TooManyOccurrences { count: 53 }]
        );
    }

    #[test]
    fn a_series_until_a_date_too_far_off_is_refused_with_its_count() {
        let refused = plan(
            &request(
                day(2026, 12, 9),
                Repeat::Weekly,
                SeriesEnd::Until(day(2126, 12, 9)),
            ),
            now(),
        )
        .unwrap_err();
        assert!(matches!(
            refused[..],
            [AppointmentRefusal::TooManyOccurrences { count }] if count > 5000
        ));
        assert_eq!(refused[0].input(), AppointmentInput::SeriesEnd);
    }

    #[test]
    fn an_until_date_before_the_first_appointment_is_refused() {
        let refused = plan(
            &request(
                day(2026, 12, 9),
                Repeat::Fortnightly,
                SeriesEnd::Until(day(2026, 12, 8)),
            ),
            now(),
        )
        .unwrap_err();
        assert_eq!(refused, [AppointmentRefusal::UntilBeforeFirst]);
        assert_eq!(refused[0].input(), AppointmentInput::Until);
    }

    #[test]
    fn a_series_of_no_appointments_is_refused() {
        assert_eq!(
            plan(
                &request(day(2026, 12, 9), Repeat::Weekly, SeriesEnd::Times(0)),
                now()
            )
            .unwrap_err(),
            [AppointmentRefusal::NoOccurrences]
        );
    }

    #[test]
    fn an_appointment_in_the_past_is_refused_even_earlier_today() {
        let earlier_today = AppointmentRequest {
            starts: at(9, 0),
            ends: at(9, 30),
            ..request(day(2026, 12, 2), Repeat::Once, SeriesEnd::Times(1))
        };
        let refused = plan(&earlier_today, now()).unwrap_err();
        assert_eq!(refused, [AppointmentRefusal::InThePast]);
        assert_eq!(refused[0].input(), AppointmentInput::Date);
        let later_today = AppointmentRequest {
            starts: at(10, 30),
            ends: at(11, 0),
            ..earlier_today
        };
        assert!(plan(&later_today, now()).is_ok());
    }

    #[test]
    fn an_end_before_or_at_the_start_is_refused_alongside_other_refusals() {
        let backwards = AppointmentRequest {
            date: day(2026, 11, 30),
            starts: at(15, 0),
            ends: at(14, 0),
            repeat: Repeat::Once,
            end: SeriesEnd::Times(1),
        };
        assert_eq!(
            plan(&backwards, now()).unwrap_err(),
            [
                AppointmentRefusal::InThePast,
                AppointmentRefusal::EndsBeforeStart
            ]
        );
        let no_length = AppointmentRequest {
            date: day(2026, 12, 9),
            ends: at(15, 0),
            ..backwards
        };
        assert_eq!(
            plan(&no_length, now()).unwrap_err()[0].input(),
            AppointmentInput::EndTime
        );
    }

    fn booked(starts: NaiveDateTime, minutes: Option<i64>, diary: Diary) -> Booked {
        Booked {
            starts_at: starts,
            ends_at: minutes.map(|m| starts + Duration::minutes(m)),
            status: ContactStatus::Arranged,
            diary,
        }
    }

    #[test]
    fn an_overlapping_appointment_in_either_diary_is_a_clash() {
        let slots = plan(
            &request(day(2026, 12, 9), Repeat::Weekly, SeriesEnd::Times(2)),
            now(),
        )
        .unwrap();
        let practitioner = booked(
            day(2026, 12, 9).and_time(at(15, 0)),
            Some(60),
            Diary::Practitioner,
        );
        let person = booked(
            day(2026, 12, 16).and_time(at(14, 0)),
            Some(45),
            Diary::Person,
        );
        let found = warnings(&slots, &[practitioner, person]);
        assert_eq!(found.len(), 2);
        assert!(matches!(
            found[0],
            Warning::Clash {
                diary: Diary::Practitioner,
                ..
            }
        ));
        assert!(matches!(
            found[1],
            Warning::Clash {
                diary: Diary::Person,
                ..
            }
        ));
        assert_eq!(
            found[0].message(),
            "9 December 2026: the practitioner already has an appointment at 15:00"
        );
    }

    #[test]
    fn back_to_back_appointments_and_moved_or_cancelled_ones_do_not_clash() {
        let slots = plan(
            &request(day(2026, 12, 9), Repeat::Once, SeriesEnd::Times(1)),
            now(),
        )
        .unwrap();
        let before = booked(
            day(2026, 12, 9).and_time(at(13, 30)),
            Some(60),
            Diary::Practitioner,
        );
        let after = booked(day(2026, 12, 9).and_time(at(15, 15)), None, Diary::Person);
        let mut cancelled = booked(
            day(2026, 12, 9).and_time(at(14, 30)),
            Some(30),
            Diary::Person,
        );
        cancelled.status = ContactStatus::Cancelled;
        let mut moved = cancelled.clone();
        moved.status = ContactStatus::Rescheduled;
        assert!(warnings(&slots, &[before, after, cancelled, moved]).is_empty());
    }

    #[test]
    fn a_contact_without_an_end_clashes_when_it_starts_inside_the_slot() {
        let slots = plan(
            &request(day(2026, 12, 9), Repeat::Once, SeriesEnd::Times(1)),
            now(),
        )
        .unwrap();
        let inside = booked(day(2026, 12, 9).and_time(at(15, 0)), None, Diary::Person);
        assert_eq!(warnings(&slots, &[inside]).len(), 1);
    }

    #[test]
    fn a_bank_holiday_or_a_weekend_is_a_warning() {
        // Christmas Day 2026 is a Friday; 26 December a Saturday, so Boxing Day's holiday is
        // Monday 28 December.
        let christmas = plan(
            &request(day(2026, 12, 25), Repeat::Once, SeriesEnd::Times(1)),
            now(),
        )
        .unwrap();
        assert_eq!(
            warnings(&christmas, &[]),
            [Warning::BankHoliday(day(2026, 12, 25))]
        );
        assert_eq!(
            warnings(&christmas, &[])[0].message(),
            "25 December 2026 is a bank holiday"
        );
        let saturday = plan(
            &request(day(2026, 12, 12), Repeat::Once, SeriesEnd::Times(1)),
            now(),
        )
        .unwrap();
        assert_eq!(
            warnings(&saturday, &[])[0].message(),
            "12 December 2026 is a Saturday"
        );
        let wednesday = plan(
            &request(day(2026, 12, 9), Repeat::Once, SeriesEnd::Times(1)),
            now(),
        )
        .unwrap();
        assert!(warnings(&wednesday, &[]).is_empty());
    }

    #[test]
    fn only_an_arranged_appointment_without_an_outcome_can_be_moved_or_cancelled() {
        assert_eq!(may_change(ContactStatus::Arranged, None), Ok(()));
        assert_eq!(
            may_change(ContactStatus::Arranged, Some(ContactOutcome::Attended)),
            Err(ChangeRefusal::OutcomeRecorded)
        );
        assert_eq!(
            may_change(ContactStatus::Rescheduled, None),
            Err(ChangeRefusal::AlreadyRescheduled)
        );
        assert_eq!(
            may_change(ContactStatus::Cancelled, None),
            Err(ChangeRefusal::AlreadyCancelled)
        );
    }
}
