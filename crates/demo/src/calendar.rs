//! Dates the way probation counts them: months from a sentence date, working days for
//! appointments, office hours for contacts. Everything is relative to a `today` passed in.

use crate::random::DemoRng;
use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};

/// The date `months` calendar months after `date` (clamped to the month's end, as courts count).
pub(crate) fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .expect("demo dates stay far from chrono's limits")
}

/// The date `months` calendar months before `date`.
pub(crate) fn sub_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(months))
        .expect("demo dates stay far from chrono's limits")
}

pub(crate) fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    date + TimeDelta::days(days)
}

pub(crate) fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// Monday to Friday. Bank holidays are ignored: the demo does not need them to be credible.
pub(crate) fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The date itself if it is a working day, otherwise the next one.
pub(crate) fn next_working_day(date: NaiveDate) -> NaiveDate {
    let mut day = date;
    while !is_working_day(day) {
        day = add_days(day, 1);
    }
    day
}

/// The `count`th working day after `date` (not counting `date` itself).
pub(crate) fn working_days_after(date: NaiveDate, count: u32) -> NaiveDate {
    let mut day = date;
    for _ in 0..count {
        day = next_working_day(add_days(day, 1));
    }
    day
}

/// A time on the half hour between 09:00 and 16:30, when offices hold appointments.
pub(crate) fn office_time(rng: &mut DemoRng, date: NaiveDate) -> NaiveDateTime {
    let half_hours_after_nine = rng.range(0..=15);
    at(
        date,
        9 + half_hours_after_nine / 2,
        30 * (half_hours_after_nine % 2),
    )
}

pub(crate) fn at(date: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    date.and_time(NaiveTime::from_hms_opt(hour, minute, 0).expect("a valid time of day"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn five_working_days_after_a_friday_is_the_next_friday() {
        assert_eq!(working_days_after(date(2026, 5, 8), 5), date(2026, 5, 15));
    }

    #[test]
    fn weekends_roll_forward_to_monday() {
        assert_eq!(next_working_day(date(2026, 5, 9)), date(2026, 5, 11));
        assert_eq!(next_working_day(date(2026, 5, 11)), date(2026, 5, 11));
    }

    #[test]
    fn months_clamp_to_the_end_of_a_short_month() {
        assert_eq!(add_months(date(2026, 1, 31), 1), date(2026, 2, 28));
        assert_eq!(sub_months(date(2026, 3, 31), 1), date(2026, 2, 28));
    }

    #[test]
    fn office_times_are_within_office_hours() {
        let mut rng = DemoRng::from_seed(5);
        for _ in 0..100 {
            let time = office_time(&mut rng, date(2026, 5, 11)).time();
            assert!((9..=16).contains(&time.hour()), "{time}");
        }
    }
}
