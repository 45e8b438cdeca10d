//! A custody case's key dates: when the person is released, when they become eligible for home
//! detention curfew (HDC), and when the licence and the sentence end.
//!
//! keepsafe computes what the sentence lets it compute and says how; the prison's own calculation
//! (which knows about remand time, added days and concurrent sentences) is what counts, so a
//! practitioner records the prison's dates and they replace the computed ones. The reading of the
//! law, kept simple and stated in every explanation:
//! - a **standard determinate sentence** is served half in custody (automatic release at the
//!   half-way point, Criminal Justice Act 2003 section 244) and the rest on licence to the
//!   sentence end;
//! - an **extended determinate sentence** is served two-thirds in custody before release can be
//!   considered; the extension period is not recorded, so the licence end is the prison's to give;
//! - **life and IPP** sentences are released only when the Parole Board directs: nothing is computed;
//! - **HDC** (section 246): a determinate sentence of at least 3 months and under 4 years, from a
//!   quarter of the time in custody (at least 28 days) and at most 180 days before release;
//!   **never** for a person subject to sex-offender notification requirements, nor for extended,
//!   life or IPP sentences.

use crate::calendar::long_date;
use crate::event::SentenceType;
use chrono::{Days, Months, NaiveDate};

/// What the dates are computed from: the event's sentence and the person's registrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceFacts {
    pub sentence_type: SentenceType,
    pub sentence_date: Option<NaiveDate>,
    pub sentence_length_months: Option<u32>,
    /// Subject to sex-offender notification requirements (MAPPA category 1).
    pub sex_offender_notification: bool,
}

/// The dates the prison gave, recorded by the practitioner; each replaces the computed one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PrisonDates {
    pub release_date: Option<NaiveDate>,
    pub hdc_eligibility_date: Option<NaiveDate>,
    pub licence_end_date: Option<NaiveDate>,
    pub sentence_end_date: Option<NaiveDate>,
}

/// One key date: the day (if known) and how it was worked out, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyDate {
    pub date: Option<NaiveDate>,
    /// Whether the prison's date was recorded (rather than computed by keepsafe).
    pub recorded: bool,
    pub how: String,
}

/// A custody case's key dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyDates {
    pub release: KeyDate,
    pub hdc_eligibility: KeyDate,
    /// Whether the person may be considered for HDC at all, and why not if not.
    pub hdc_excluded_because: Option<String>,
    pub licence_end: KeyDate,
    pub sentence_end: KeyDate,
}

/// The prison's calculation that replaces keepsafe's.
const RECORDED: &str = "Recorded from the prison's calculation, which replaces keepsafe's.";

fn recorded(date: NaiveDate) -> KeyDate {
    KeyDate {
        date: Some(date),
        recorded: true,
        how: RECORDED.to_owned(),
    }
}

fn computed(date: Option<NaiveDate>, how: String) -> KeyDate {
    KeyDate {
        date,
        recorded: false,
        how,
    }
}

/// Computes the key dates from the sentence, the prison's dates replacing the computed ones.
pub fn compute_key_dates(facts: &SentenceFacts, prison: &PrisonDates) -> KeyDates {
    let sentence_end = computed_sentence_end(facts);
    let release = computed_release(facts);
    let hdc_excluded_because = hdc_exclusion(facts);
    let release_day = prison.release_date.or(release.date);
    let hdc = match &hdc_excluded_because {
        Some(why) => computed(
            None,
            format!("Not eligible for home detention curfew: {why}."),
        ),
        None => computed_hdc(facts, release_day),
    };
    let licence_end = computed_licence_end(facts, prison.sentence_end_date.or(sentence_end.date));
    KeyDates {
        release: prison.release_date.map_or(release, recorded),
        hdc_eligibility: match (prison.hdc_eligibility_date, &hdc_excluded_because) {
            (Some(day), None) => recorded(day),
            _ => hdc,
        },
        hdc_excluded_because,
        licence_end: prison.licence_end_date.map_or(licence_end, recorded),
        sentence_end: prison.sentence_end_date.map_or(sentence_end, recorded),
    }
}

fn add_months(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

fn computed_sentence_end(facts: &SentenceFacts) -> KeyDate {
    match (
        facts.sentence_type,
        facts.sentence_date,
        facts.sentence_length_months,
    ) {
        (SentenceType::Life | SentenceType::ImprisonmentForPublicProtection, _, _) => computed(
            None,
            "A life or IPP sentence does not end: there is no sentence end date.".to_owned(),
        ),
        (_, Some(from), Some(months)) => computed(
            Some(add_months(from, months)),
            format!(
                "The sentence date, {}, plus the sentence of {months} months.",
                long_date(from)
            ),
        ),
        _ => computed(None, missing_sentence()),
    }
}

fn missing_sentence() -> String {
    "The sentence date and length are not recorded, so keepsafe cannot compute this: record the prison's date.".to_owned()
}

/// The share of the sentence served in custody before release, as (numerator, denominator, words).
fn custodial_share(sentence_type: SentenceType) -> Option<(u64, u64, &'static str)> {
    match sentence_type {
        SentenceType::DeterminateCustody => Some((1, 2, "half-way point")),
        SentenceType::ExtendedDeterminate => Some((2, 3, "two-thirds point")),
        _ => None,
    }
}

fn computed_release(facts: &SentenceFacts) -> KeyDate {
    let Some((num, den, point)) = custodial_share(facts.sentence_type) else {
        return computed(
            None,
            "Release is directed by the Parole Board: record the date the prison gives.".to_owned(),
        );
    };
    let (Some(from), Some(months)) = (facts.sentence_date, facts.sentence_length_months) else {
        return computed(None, missing_sentence());
    };
    let days = (add_months(from, months) - from).num_days().max(0) as u64;
    let release = from
        .checked_add_days(Days::new(days * num / den))
        .unwrap_or(NaiveDate::MAX);
    computed(
        Some(release),
        format!(
            "The {point} of the sentence: {} days of {days} from the sentence date, {}. Time on remand is not taken off; the prison's calculation is the one that counts.",
            days * num / den,
            long_date(from)
        ),
    )
}

fn hdc_exclusion(facts: &SentenceFacts) -> Option<String> {
    if facts.sex_offender_notification {
        return Some("registered sex offenders are excluded from home detention curfew by law (Criminal Justice Act 2003, section 246)".to_owned());
    }
    if facts.sentence_type != SentenceType::DeterminateCustody {
        return Some(format!(
            "only a standard determinate sentence can lead to home detention curfew, and this is {}",
            crate::CodedValue::label(facts.sentence_type).to_lowercase()
        ));
    }
    match facts.sentence_length_months {
        Some(months) if months < 3 => Some("the sentence is shorter than 3 months".to_owned()),
        Some(months) if months >= 48 => Some("the sentence is 4 years or longer".to_owned()),
        _ => None,
    }
}

fn computed_hdc(facts: &SentenceFacts, release: Option<NaiveDate>) -> KeyDate {
    let (Some(from), Some(release)) = (facts.sentence_date, release) else {
        return computed(None, missing_sentence());
    };
    let custody_days = (release - from).num_days().max(0) as u64;
    let quarter = (custody_days / 4).max(28);
    let after_quarter = from
        .checked_add_days(Days::new(quarter))
        .unwrap_or(NaiveDate::MAX);
    let earliest_on_hdc = release
        .checked_sub_days(Days::new(180))
        .unwrap_or(NaiveDate::MIN);
    let day = after_quarter.max(earliest_on_hdc);
    computed(
        Some(day),
        format!(
            "The later of a quarter of the {custody_days} days in custody (at least 28 days) from the sentence date, {}, and 180 days before release, {}.",
            long_date(after_quarter),
            long_date(earliest_on_hdc)
        ),
    )
}

fn computed_licence_end(facts: &SentenceFacts, sentence_end: Option<NaiveDate>) -> KeyDate {
    match facts.sentence_type {
        SentenceType::DeterminateCustody => computed(
            sentence_end,
            "The licence runs to the end of the sentence.".to_owned(),
        ),
        SentenceType::Life | SentenceType::ImprisonmentForPublicProtection => computed(
            None,
            "A life or IPP licence lasts until the Parole Board ends it (IPP licences can end after a qualifying period): record the date if there is one.".to_owned(),
        ),
        _ => computed(
            None,
            "The extension period is not recorded, so the licence end is the prison's to give: record it.".to_owned(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn determinate(months: u32) -> SentenceFacts {
        SentenceFacts {
            sentence_type: SentenceType::DeterminateCustody,
            sentence_date: Some(date(2026, 1, 1)),
            sentence_length_months: Some(months),
            sex_offender_notification: false,
        }
    }

    #[test]
    fn a_determinate_sentence_is_released_at_the_half_way_point_and_the_licence_runs_to_its_end() {
        let dates = compute_key_dates(&determinate(24), &PrisonDates::default());
        // 730 days from 1 January 2026 to 1 January 2028; half is 365.
        assert_eq!(dates.release.date, Some(date(2027, 1, 1)));
        assert_eq!(dates.sentence_end.date, Some(date(2028, 1, 1)));
        assert_eq!(dates.licence_end.date, Some(date(2028, 1, 1)));
        assert!(dates.release.how.contains("half-way point"));
        assert!(!dates.release.recorded);
    }

    #[test]
    fn hdc_eligibility_is_the_later_of_a_quarter_of_custody_and_180_days_before_release() {
        let dates = compute_key_dates(&determinate(24), &PrisonDates::default());
        // A quarter of 365 days is 91 (2 April 2026); 180 days before release is 5 July 2026.
        assert_eq!(dates.hdc_eligibility.date, Some(date(2026, 7, 5)));
        let short = compute_key_dates(&determinate(6), &PrisonDates::default());
        // 90 days in custody: a quarter is 22 days, so the 28-day minimum applies, later than 180
        // days before release.
        assert_eq!(short.release.date, Some(date(2026, 4, 1)));
        assert_eq!(short.hdc_eligibility.date, Some(date(2026, 1, 29)));
    }

    #[test]
    fn a_registered_sex_offender_is_not_eligible_for_hdc_even_with_a_prison_date() {
        let facts = SentenceFacts {
            sex_offender_notification: true,
            ..determinate(24)
        };
        let prison = PrisonDates {
            hdc_eligibility_date: Some(date(2026, 7, 1)),
            ..PrisonDates::default()
        };
        let dates = compute_key_dates(&facts, &prison);
        assert_eq!(dates.hdc_eligibility.date, None);
        assert!(dates
            .hdc_excluded_because
            .as_deref()
            .is_some_and(|why| why.contains("registered sex offenders")));
    }

    #[test]
    fn sentences_of_four_years_or_more_and_extended_sentences_are_not_eligible_for_hdc() {
        let long = compute_key_dates(&determinate(48), &PrisonDates::default());
        assert!(long.hdc_excluded_because.is_some());
        let extended = SentenceFacts {
            sentence_type: SentenceType::ExtendedDeterminate,
            ..determinate(36)
        };
        let dates = compute_key_dates(&extended, &PrisonDates::default());
        assert!(dates.hdc_excluded_because.is_some());
        assert_eq!(dates.release.date, Some(date(2028, 1, 1)));
        assert_eq!(dates.licence_end.date, None);
    }

    #[test]
    fn the_prisons_dates_replace_the_computed_ones_and_say_so() {
        let prison = PrisonDates {
            release_date: Some(date(2026, 12, 20)),
            licence_end_date: Some(date(2027, 12, 20)),
            ..PrisonDates::default()
        };
        let dates = compute_key_dates(&determinate(24), &prison);
        assert_eq!(dates.release.date, Some(date(2026, 12, 20)));
        assert!(dates.release.recorded);
        assert_eq!(dates.licence_end.date, Some(date(2027, 12, 20)));
        // HDC is worked out from the prison's release date.
        assert_eq!(dates.hdc_eligibility.date, Some(date(2026, 6, 23)));
    }

    #[test]
    fn a_life_sentence_computes_nothing_and_says_the_parole_board_decides() {
        let facts = SentenceFacts {
            sentence_type: SentenceType::Life,
            sentence_length_months: None,
            ..determinate(0)
        };
        let dates = compute_key_dates(&facts, &PrisonDates::default());
        assert_eq!(dates.release.date, None);
        assert!(dates.release.how.contains("Parole Board"));
        assert_eq!(dates.sentence_end.date, None);
    }
}
