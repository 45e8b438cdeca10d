//! Ages in whole years. Predictors, household checks and eligibility rules all count age the way a
//! birthday does: you are 18 from the day of your 18th birthday, not before.

use chrono::{Datelike, NaiveDate};

/// Whole years from `date_of_birth` to `on`, birthday-aware. A date before birth gives `None`.
/// Someone born on 29 February is treated as having their birthday on 1 March in other years,
/// the convention UK law uses for coming of age.
pub fn age_on(date_of_birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    if on < date_of_birth {
        return None;
    }
    let mut years = on.year() - date_of_birth.year();
    let birthday_this_year = (date_of_birth.month(), date_of_birth.day());
    let today = (on.month(), on.day());
    let reached = if birthday_this_year == (2, 29) && !is_leap(on.year()) {
        today >= (3, 1)
    } else {
        today >= birthday_this_year
    };
    if !reached {
        years -= 1;
    }
    u32::try_from(years).ok()
}

fn is_leap(year: i32) -> bool {
    NaiveDate::from_ymd_opt(year, 2, 29).is_some()
}

/// Under 18 on the given day: the age at which someone in a household counts as a child for
/// safeguarding.
pub fn is_child_on(date_of_birth: NaiveDate, on: NaiveDate) -> bool {
    age_on(date_of_birth, on).is_some_and(|age| age < 18)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn age_increases_on_the_birthday_not_before() {
        assert_eq!(age_on(date(1990, 6, 15), date(2026, 6, 14)), Some(35));
        assert_eq!(age_on(date(1990, 6, 15), date(2026, 6, 15)), Some(36));
    }

    #[test]
    fn leap_day_birthdays_count_from_the_first_of_march() {
        assert_eq!(age_on(date(2008, 2, 29), date(2026, 2, 28)), Some(17));
        assert_eq!(age_on(date(2008, 2, 29), date(2026, 3, 1)), Some(18));
        assert_eq!(age_on(date(2008, 2, 29), date(2028, 2, 29)), Some(20));
    }

    #[test]
    fn a_date_before_birth_has_no_age() {
        assert_eq!(age_on(date(2000, 1, 1), date(1999, 12, 31)), None);
    }

    #[test]
    fn seventeen_year_olds_are_children_and_eighteen_year_olds_are_not() {
        assert!(is_child_on(date(2009, 1, 1), date(2026, 12, 31)));
        assert!(!is_child_on(date(2008, 1, 1), date(2026, 1, 1)));
    }
}
