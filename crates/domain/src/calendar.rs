//! Working days in England and Wales: deadlines for checks, reviews and referrals are counted in
//! working days, skipping weekends and bank holidays.
//!
//! Bank holidays follow the standing rules (Banking and Financial Dealings Act 1971 and the annual
//! royal proclamations): New Year's Day, Good Friday, Easter Monday, the early May bank holiday
//! (first Monday in May), the spring bank holiday (last Monday in May), the summer bank holiday
//! (last Monday in August), Christmas Day and Boxing Day, with substitute weekdays when a holiday
//! falls at a weekend. One-off changes proclaimed since 2020 are listed in [`ONE_OFF_CHANGES`].

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// The version of the working-day rules, shown beside every deadline computed with them.
pub const CALENDAR_RULE_VERSION: &str =
    "England and Wales bank holidays, standing rules with one-off proclamations to 2023";

/// Proclaimed changes: (date, is a bank holiday). Moves are a removal plus an addition.
pub const ONE_OFF_CHANGES: &[((i32, u32, u32), bool)] = &[
    // 75th anniversary of VE Day: early May bank holiday moved to Friday 8 May 2020.
    ((2020, 5, 4), false),
    ((2020, 5, 8), true),
    // Platinum Jubilee: spring bank holiday moved to 2 June 2022, plus 3 June 2022.
    ((2022, 5, 30), false),
    ((2022, 6, 2), true),
    ((2022, 6, 3), true),
    // State funeral of Queen Elizabeth II.
    ((2022, 9, 19), true),
    // Coronation of King Charles III.
    ((2023, 5, 8), true),
];

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid calendar date")
}

/// A date as letters and screens write it in the domain's messages: "3 December 2026".
pub fn long_date(day: impl std::borrow::Borrow<NaiveDate>) -> String {
    day.borrow().format("%-d %B %Y").to_string()
}

/// The number of England and Wales working days after `start`, up to and including `end`: the
/// inverse of [`add_working_days`] when `end` is a working day. 0 when `end` is on or before
/// `start`. Response times and escalation counts are measured with it.
pub fn working_days_between(start: NaiveDate, end: NaiveDate) -> u32 {
    let mut count = 0;
    let mut day = start + Duration::days(1);
    while day <= end {
        if is_working_day(day) {
            count += 1;
        }
        day += Duration::days(1);
    }
    count
}

/// Easter Sunday (Gregorian), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    date(year, month as u32, day as u32)
}

fn first_monday(year: i32, month: u32) -> NaiveDate {
    let first = date(year, month, 1);
    let offset = (7 - first.weekday().num_days_from_monday()) % 7;
    first + Duration::days(i64::from(offset))
}

fn last_monday(year: i32, month: u32) -> NaiveDate {
    let next_month = if month == 12 {
        date(year + 1, 1, 1)
    } else {
        date(year, month + 1, 1)
    };
    let last = next_month - Duration::days(1);
    last - Duration::days(i64::from(last.weekday().num_days_from_monday()))
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The bank holidays of one year in England and Wales, in date order.
pub fn bank_holidays(year: i32) -> Vec<NaiveDate> {
    let mut days = Vec::with_capacity(10);
    // New Year's Day, or the next Monday when it falls at a weekend.
    let new_year = date(year, 1, 1);
    days.push(match new_year.weekday() {
        Weekday::Sat => new_year + Duration::days(2),
        Weekday::Sun => new_year + Duration::days(1),
        _ => new_year,
    });
    let easter = easter_sunday(year);
    days.push(easter - Duration::days(2));
    days.push(easter + Duration::days(1));
    days.push(first_monday(year, 5));
    days.push(last_monday(year, 5));
    days.push(last_monday(year, 8));
    // Christmas Day and Boxing Day, each moved to the next free weekday at a weekend.
    let christmas = date(year, 12, 25);
    let boxing = date(year, 12, 26);
    let (christmas_observed, boxing_observed) = match christmas.weekday() {
        Weekday::Fri => (christmas, date(year, 12, 28)),
        Weekday::Sat => (date(year, 12, 27), date(year, 12, 28)),
        Weekday::Sun => (date(year, 12, 27), boxing),
        _ => (christmas, boxing),
    };
    days.push(christmas_observed);
    days.push(boxing_observed);
    for &((y, m, d), holiday) in ONE_OFF_CHANGES {
        if y != year {
            continue;
        }
        let changed = date(y, m, d);
        days.retain(|day| *day != changed);
        if holiday {
            days.push(changed);
        }
    }
    days.sort();
    days
}

pub fn is_bank_holiday(day: NaiveDate) -> bool {
    bank_holidays(day.year()).contains(&day)
}

pub fn is_working_day(day: NaiveDate) -> bool {
    !is_weekend(day) && !is_bank_holiday(day)
}

/// The date `working_days` working days after `from` (not counting `from` itself).
pub fn add_working_days(from: NaiveDate, working_days: u32) -> NaiveDate {
    let mut day = from;
    let mut remaining = working_days;
    while remaining > 0 {
        day += Duration::days(1);
        if is_working_day(day) {
            remaining -= 1;
        }
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easter_falls_where_the_almanac_says() {
        assert_eq!(easter_sunday(2024), date(2024, 3, 31));
        assert_eq!(easter_sunday(2026), date(2026, 4, 5));
        assert_eq!(easter_sunday(2027), date(2027, 3, 28));
    }

    #[test]
    fn the_2026_bank_holidays_match_the_published_list() {
        assert_eq!(
            bank_holidays(2026),
            vec![
                date(2026, 1, 1),
                date(2026, 4, 3),
                date(2026, 4, 6),
                date(2026, 5, 4),
                date(2026, 5, 25),
                date(2026, 8, 31),
                date(2026, 12, 25),
                date(2026, 12, 28),
            ]
        );
    }

    #[test]
    fn christmas_on_a_saturday_moves_both_holidays_to_monday_and_tuesday() {
        let holidays = bank_holidays(2027);
        assert!(holidays.contains(&date(2027, 12, 27)));
        assert!(holidays.contains(&date(2027, 12, 28)));
        assert!(!holidays.contains(&date(2027, 12, 25)));
    }

    #[test]
    fn new_year_on_a_saturday_moves_to_monday() {
        assert!(bank_holidays(2028).contains(&date(2028, 1, 3)));
    }

    #[test]
    fn proclaimed_one_off_holidays_are_included() {
        assert!(is_bank_holiday(date(2023, 5, 8)));
        assert!(is_bank_holiday(date(2022, 9, 19)));
        assert!(!is_bank_holiday(date(2022, 5, 30)));
        assert!(is_bank_holiday(date(2022, 6, 3)));
    }

    #[test]
    fn working_days_skip_weekends_and_bank_holidays() {
        // Thursday 24 December 2026 + 2 working days: skips Christmas (Fri), the weekend and the
        // Boxing Day substitute (Mon 28th).
        assert_eq!(add_working_days(date(2026, 12, 24), 2), date(2026, 12, 30));
        // Friday + 1 working day is Monday.
        assert_eq!(add_working_days(date(2026, 11, 20), 1), date(2026, 11, 23));
        assert_eq!(add_working_days(date(2026, 11, 20), 0), date(2026, 11, 20));
    }

    #[test]
    fn working_days_between_undoes_adding_working_days() {
        let start = date(2026, 12, 18);
        for n in 0..30 {
            assert_eq!(working_days_between(start, add_working_days(start, n)), n);
        }
    }

    #[test]
    fn working_days_between_skips_christmas_and_is_zero_backwards() {
        assert_eq!(
            working_days_between(date(2026, 12, 24), date(2026, 12, 29)),
            1
        );
        assert_eq!(
            working_days_between(date(2026, 12, 24), date(2026, 12, 24)),
            0
        );
        assert_eq!(
            working_days_between(date(2026, 12, 24), date(2026, 12, 1)),
            0
        );
    }

    #[test]
    fn dates_are_written_as_letters_write_them() {
        assert_eq!(long_date(date(2026, 12, 3)), "3 December 2026");
    }
}
