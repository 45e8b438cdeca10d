//! OGRS3, the Offender Group Reconviction Scale version 3 (2009), exactly as OASys implements it
//! (reference §11): the chance of proven reoffending within one and two years, from static
//! facts only — sex, age, the number of sanctions, how young the person was at their first, and
//! the category of the current offence.
//!
//! ```text
//! y  = AgeGender(sex, age at start of follow-up)
//!    + (0.12614 if total_sanctions == 1 else 0.46306)
//!    + 1.25112 × ln(total_sanctions / (10 + age at conviction − age at first sanction))
//!    + Offence(category of the current offence)
//! p1 = logistic(y + 1.40256)    one-year proven reoffending
//! p2 = logistic(y + 2.1217)     two-year proven reoffending
//! ```
//!
//! Each probability is rounded to five decimal places, then to a whole percentage half-up, and
//! clamped to 1–99: no static predictor can be certain either way. The band is read from the
//! two-year percentage.

use super::{logistic, round_half_up_percent};
use crate::age::age_on;
use crate::coded_enum;
use crate::event::{CaseType, OffenceCategory};
use crate::person::Sex;
use crate::CodedValue;
use chrono::NaiveDate;
use std::fmt;
use thiserror::Error;

/// Which rule produced a score. Stored and shown with every OGRS3 result so a score can always be
/// traced to the formula that made it, and a future correction can be told apart from today's.
pub const RULE_VERSION: &str = "OGRS3 (2009), as implemented for OASys; keepsafe rule 1";

/// The youngest age at which anyone can be sanctioned in England and Wales (the age of criminal
/// responsibility), and so the youngest age OGRS3 accepts for a conviction or a first sanction.
pub const MINIMUM_AGE: u32 = 10;

/// Added to `y` when the current conviction is the person's only sanction.
const FIRST_SANCTION_COEFFICIENT: f64 = 0.12614;
/// Added to `y` when the person has been sanctioned before.
const REPEAT_SANCTIONS_COEFFICIENT: f64 = 0.46306;
/// Weight of `ln(total_sanctions / (10 + age at conviction − age at first sanction))`.
const SANCTION_RATE_WEIGHT: f64 = 1.25112;
/// Intercepts turning `y` into the one- and two-year probabilities.
const ONE_YEAR_INTERCEPT: f64 = 1.40256;
const TWO_YEAR_INTERCEPT: f64 = 2.1217;
/// The reported percentage never goes below or above these.
const LOWEST_PERCENT: u32 = 1;
const HIGHEST_PERCENT: u32 = 99;

/// What OGRS3 needs to know. Dates rather than ages, so the ages are counted the same way every
/// time (birthday-aware, see [`age_on`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ogrs3Inputs {
    pub sex: Sex,
    pub date_of_birth: NaiveDate,
    /// The date of the current conviction; gives the age at conviction in the sanction-rate term.
    pub conviction_date: NaiveDate,
    /// The sentence date for a community sentence, the release date for custody; gives the age
    /// that selects the age-and-sex coefficient.
    pub followup_start_date: NaiveDate,
    /// Convictions plus cautions, reprimands and warnings, including the current conviction.
    pub total_sanctions: u32,
    /// Age in whole years at the person's first sanction of any kind.
    pub age_at_first_sanction: u32,
    /// The category of the current offence.
    pub offence_category: OffenceCategory,
}

/// When OGRS3's follow-up starts for an event, what that date is, and anything a reader should
/// know about the choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowupStart {
    /// The date follow-up is counted from: [`Ogrs3Inputs::followup_start_date`].
    pub date: NaiveDate,
    /// Which date that is, e.g. "sentence date, community sentence".
    pub basis: String,
    /// Why a date other than the one the reference names was used, and what to record to fix it.
    pub note: Option<String>,
}

/// When OGRS3's follow-up starts for an event of this case type (reference §11: "Start of
/// follow-up is the sentence date for a community sentence, the release date for custody").
///
/// Custody and licence cases start at release, the expected release date while the person is
/// still inside. When the date the reference names is not recorded, or there is none yet (before
/// sentence), the next best date recorded is used instead and the note says so, so the score is
/// still shown but a reader knows what to record to make it exact.
pub fn followup_start(
    case_type: CaseType,
    conviction_date: NaiveDate,
    sentence_date: Option<NaiveDate>,
    release_date: Option<NaiveDate>,
    today: NaiveDate,
) -> FollowupStart {
    let start = |date: NaiveDate, basis: &str, note: Option<&str>| FollowupStart {
        date,
        basis: basis.to_owned(),
        note: note.map(str::to_owned),
    };
    match case_type {
        CaseType::Community => match sentence_date {
            Some(sentenced) => start(sentenced, "sentence date, community sentence", None),
            None => start(
                conviction_date,
                "conviction date",
                Some(
                    "No sentence date is recorded for this community sentence, so follow-up is \
                     counted from the conviction date; record the sentence date",
                ),
            ),
        },
        CaseType::Custody | CaseType::Licence => match (release_date, sentence_date) {
            (Some(released), _) if released > today => start(
                released,
                "expected release date",
                Some("Not released yet, so follow-up is counted from the expected release date"),
            ),
            (Some(released), _) => start(released, "release date", None),
            (None, Some(sentenced)) => start(
                sentenced,
                "sentence date, release date not recorded",
                Some(
                    "The release date is not recorded, so follow-up is counted from the \
                     sentence date instead; record the release date to score from release",
                ),
            ),
            (None, None) => start(
                conviction_date,
                "conviction date, sentence and release dates not recorded",
                Some(
                    "Neither the sentence date nor the release date is recorded, so follow-up \
                     is counted from the conviction date; record the release date",
                ),
            ),
        },
        CaseType::PreSentence => start(
            conviction_date,
            "conviction date, not yet sentenced",
            Some(
                "Not sentenced yet, so follow-up is counted from the conviction date; the score \
                 changes once the sentence is recorded",
            ),
        ),
    }
}

coded_enum! {
    /// OGRS3 band, read from the two-year percentage: low 0–49, medium 50–74, high 75–89,
    /// very high 90+.
    pub enum Ogrs3Band ("OGRS3 band") {
        Low => "low", "Low",
        Medium => "medium", "Medium",
        High => "high", "High",
        VeryHigh => "very_high", "Very high",
    }
}

impl Ogrs3Band {
    /// The band for a two-year percentage.
    pub fn from_two_year_percent(percent: u8) -> Self {
        match percent {
            0..=49 => Ogrs3Band::Low,
            50..=74 => Ogrs3Band::Medium,
            75..=89 => Ogrs3Band::High,
            90.. => Ogrs3Band::VeryHigh,
        }
    }
}

/// An OGRS3 result: the two percentages people read, the band, and how they were reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Ogrs3Score {
    /// Chance of proven reoffending within one year, as a whole percentage from 1 to 99.
    pub one_year: u8,
    /// Chance of proven reoffending within two years, as a whole percentage from 1 to 99.
    pub two_year: u8,
    /// Band of the two-year percentage.
    pub band: Ogrs3Band,
    /// Every intermediate number, so the score can be checked by hand.
    pub explanation: Ogrs3Explanation,
}

/// How an OGRS3 score was computed: each term of `y`, and the probabilities before rounding.
#[derive(Debug, Clone, PartialEq)]
pub struct Ogrs3Explanation {
    pub sex: Sex,
    /// Whole years on the conviction date.
    pub age_at_conviction: u32,
    /// Whole years on the follow-up start date.
    pub age_at_followup_start: u32,
    /// The age band the follow-up age falls in, for example "18–20" or "50+".
    pub age_band: &'static str,
    /// The age-and-sex term of `y`.
    pub age_gender_coefficient: f64,
    /// The term for one sanction (0.12614) or more than one (0.46306).
    pub sanctions_coefficient: f64,
    /// The sanction-rate term of `y`.
    pub sanction_rate: Ogrs3SanctionRate,
    pub offence_category: OffenceCategory,
    /// The offence term of `y`.
    pub offence_coefficient: f64,
    /// The sum of the four terms.
    pub y: f64,
    /// `logistic(y + 1.40256)`, before rounding.
    pub one_year_probability: f64,
    /// `logistic(y + 2.1217)`, before rounding.
    pub two_year_probability: f64,
    /// [`RULE_VERSION`].
    pub rule_version: &'static str,
}

/// The sanction-rate term: `1.25112 × ln(total_sanctions / denominator)`, where the denominator
/// is `10 + age at conviction − age at first sanction` — roughly, sanctions per year of criminal
/// career, with ten years added so a short career does not dominate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ogrs3SanctionRate {
    pub total_sanctions: u32,
    pub denominator: u32,
    /// `1.25112 × ln(total_sanctions / denominator)`.
    pub value: f64,
}

/// Why OGRS3 cannot be computed from the inputs given. Each message names the field and what is
/// wrong with it; [`Ogrs3InputError::field`] gives the field's name alone.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Ogrs3InputError {
    #[error("conviction_date ({conviction_date}) is before date_of_birth ({date_of_birth})")]
    ConvictionBeforeBirth {
        date_of_birth: NaiveDate,
        conviction_date: NaiveDate,
    },
    #[error(
        "conviction_date ({conviction_date}) gives an age at conviction of {age_at_conviction}; \
         OGRS3 needs 10 or over, the age of criminal responsibility"
    )]
    ConvictedUnderTen {
        conviction_date: NaiveDate,
        age_at_conviction: u32,
    },
    #[error(
        "total_sanctions is 0; it must be at least 1 because it counts the current conviction"
    )]
    NoSanctions,
    #[error(
        "age_at_first_sanction ({age_at_first_sanction}) is under 10, the age of criminal \
         responsibility"
    )]
    FirstSanctionUnderTen { age_at_first_sanction: u32 },
    #[error(
        "age_at_first_sanction ({age_at_first_sanction}) is after the age at conviction \
         ({age_at_conviction})"
    )]
    FirstSanctionAfterConviction {
        age_at_first_sanction: u32,
        age_at_conviction: u32,
    },
    #[error(
        "followup_start_date ({followup_start_date}) is before conviction_date ({conviction_date})"
    )]
    FollowupBeforeConviction {
        conviction_date: NaiveDate,
        followup_start_date: NaiveDate,
    },
    #[error(
        "age_at_first_sanction ({age_at_first_sanction}) with an age at conviction of \
         {age_at_conviction} gives a sanction-rate denominator of {denominator} \
         (10 + age at conviction − age at first sanction); it must be above 0"
    )]
    DenominatorNotPositive {
        age_at_first_sanction: u32,
        age_at_conviction: u32,
        denominator: i64,
    },
}

impl Ogrs3InputError {
    /// The input field at fault, as named in [`Ogrs3Inputs`] and in JSON input. Errors about the
    /// age at conviction name `conviction_date`, the later of the two dates it comes from.
    pub fn field(&self) -> &'static str {
        match self {
            Ogrs3InputError::ConvictionBeforeBirth { .. }
            | Ogrs3InputError::ConvictedUnderTen { .. } => "conviction_date",
            Ogrs3InputError::NoSanctions => "total_sanctions",
            Ogrs3InputError::FirstSanctionUnderTen { .. }
            | Ogrs3InputError::FirstSanctionAfterConviction { .. }
            | Ogrs3InputError::DenominatorNotPositive { .. } => "age_at_first_sanction",
            Ogrs3InputError::FollowupBeforeConviction { .. } => "followup_start_date",
        }
    }
}

/// Computes OGRS3 (reference §11). Refuses inputs the formula cannot honestly score rather than
/// guessing: see [`Ogrs3InputError`].
pub fn ogrs3(inputs: &Ogrs3Inputs) -> Result<Ogrs3Score, Ogrs3InputError> {
    let age_at_conviction = age_on(inputs.date_of_birth, inputs.conviction_date).ok_or(
        Ogrs3InputError::ConvictionBeforeBirth {
            date_of_birth: inputs.date_of_birth,
            conviction_date: inputs.conviction_date,
        },
    )?;
    if age_at_conviction < MINIMUM_AGE {
        return Err(Ogrs3InputError::ConvictedUnderTen {
            conviction_date: inputs.conviction_date,
            age_at_conviction,
        });
    }
    if inputs.total_sanctions == 0 {
        return Err(Ogrs3InputError::NoSanctions);
    }
    if inputs.age_at_first_sanction < MINIMUM_AGE {
        return Err(Ogrs3InputError::FirstSanctionUnderTen {
            age_at_first_sanction: inputs.age_at_first_sanction,
        });
    }
    if inputs.age_at_first_sanction > age_at_conviction {
        return Err(Ogrs3InputError::FirstSanctionAfterConviction {
            age_at_first_sanction: inputs.age_at_first_sanction,
            age_at_conviction,
        });
    }
    if inputs.followup_start_date < inputs.conviction_date {
        return Err(Ogrs3InputError::FollowupBeforeConviction {
            conviction_date: inputs.conviction_date,
            followup_start_date: inputs.followup_start_date,
        });
    }
    // Follow-up starts on or after a conviction that is on or after the date of birth, so there
    // is always an age here; the fallback only keeps this function free of panics.
    let age_at_followup_start =
        age_on(inputs.date_of_birth, inputs.followup_start_date).unwrap_or(age_at_conviction);
    let sanction_rate = sanction_rate(
        inputs.total_sanctions,
        age_at_conviction,
        inputs.age_at_first_sanction,
    )?;

    let (age_band, age_gender_coefficient) = age_gender(inputs.sex, age_at_followup_start);
    let sanctions_coefficient = sanctions_coefficient(inputs.total_sanctions);
    let offence_coefficient = offence_coefficient(inputs.offence_category);
    let y =
        age_gender_coefficient + sanctions_coefficient + sanction_rate.value + offence_coefficient;
    let one_year_probability = logistic(y + ONE_YEAR_INTERCEPT);
    let two_year_probability = logistic(y + TWO_YEAR_INTERCEPT);
    let one_year = reported_percent(one_year_probability);
    let two_year = reported_percent(two_year_probability);

    Ok(Ogrs3Score {
        one_year,
        two_year,
        band: Ogrs3Band::from_two_year_percent(two_year),
        explanation: Ogrs3Explanation {
            sex: inputs.sex,
            age_at_conviction,
            age_at_followup_start,
            age_band,
            age_gender_coefficient,
            sanctions_coefficient,
            sanction_rate,
            offence_category: inputs.offence_category,
            offence_coefficient,
            y,
            one_year_probability,
            two_year_probability,
            rule_version: RULE_VERSION,
        },
    })
}

/// A probability as OGRS3 reports it: five decimal places, then a whole percentage half-up,
/// clamped to 1–99.
fn reported_percent(probability: f64) -> u8 {
    let percent = round_half_up_percent(probability).clamp(LOWEST_PERCENT, HIGHEST_PERCENT);
    // Clamped to 1..=99 just above, so it always fits.
    u8::try_from(percent).unwrap_or(99)
}

/// The one-or-many sanctions term.
fn sanctions_coefficient(total_sanctions: u32) -> f64 {
    if total_sanctions == 1 {
        FIRST_SANCTION_COEFFICIENT
    } else {
        REPEAT_SANCTIONS_COEFFICIENT
    }
}

/// The sanction-rate term. The denominator cannot be 0 or below once the first sanction is known
/// to be no later than the conviction, but the formula divides by it and takes a logarithm, so it
/// is checked here, where the division happens, rather than trusted.
fn sanction_rate(
    total_sanctions: u32,
    age_at_conviction: u32,
    age_at_first_sanction: u32,
) -> Result<Ogrs3SanctionRate, Ogrs3InputError> {
    let denominator = 10 + i64::from(age_at_conviction) - i64::from(age_at_first_sanction);
    let positive = u32::try_from(denominator).ok().filter(|d| *d > 0);
    let Some(denominator_u32) = positive else {
        return Err(Ogrs3InputError::DenominatorNotPositive {
            age_at_first_sanction,
            age_at_conviction,
            denominator,
        });
    };
    let ratio = f64::from(total_sanctions) / f64::from(denominator_u32);
    Ok(Ogrs3SanctionRate {
        total_sanctions,
        denominator: denominator_u32,
        value: SANCTION_RATE_WEIGHT * ratio.ln(),
    })
}

/// The age-and-sex term, from the age at the start of follow-up: the band's label and its
/// coefficient.
///
/// The female values for 10–11, 12–13 and 14–15 (−0.785, −0.61385, −0.66952) are negative, as in
/// keepsafe's reference (§11). Published descriptions of OGRS3 disagree on the sign of these three
/// values; keepsafe follows the reference because it is the specification this implementation is
/// tested against, and because the choice cannot change an adult's score: OGRS3 is used here for
/// people supervised by probation, who are adults, and a follow-up age under 16 only arises for
/// inputs describing a child. Change them only with a new [`RULE_VERSION`].
///
/// Ages under 10 fall in the first band; [`ogrs3`] refuses them before this is reached.
fn age_gender(sex: Sex, age_at_followup_start: u32) -> (&'static str, f64) {
    let (band, male, female) = match age_at_followup_start {
        0..=11 => ("10–11", 0.0, -0.785),
        12..=13 => ("12–13", 0.08392, -0.61385),
        14..=15 => ("14–15", 0.07578, -0.66952),
        16..=17 => ("16–17", -0.0616, -0.9592),
        18..=20 => ("18–20", -0.6251, -0.8975),
        21..=24 => ("21–24", -1.0515, -1.0285),
        25..=29 => ("25–29", -1.1667, -1.0528),
        30..=34 => ("30–34", -1.326, -1.1291),
        35..=39 => ("35–39", -1.368, -1.4219),
        40..=49 => ("40–49", -1.4997, -1.5247),
        50.. => ("50+", -2.0253, -2.4498),
    };
    match sex {
        Sex::Male => (band, male),
        Sex::Female => (band, female),
    }
}

/// The offence term for the current offence. Every category is listed, with no catch-all arm, so
/// adding a category to [`OffenceCategory`] does not compile until it has a coefficient here.
fn offence_coefficient(category: OffenceCategory) -> f64 {
    match category {
        OffenceCategory::Violence => 0.0,
        OffenceCategory::Robbery => -0.6348,
        OffenceCategory::PublicOrder => 0.1819,
        OffenceCategory::SexualNotChildren => 0.0328,
        OffenceCategory::SexualChildren => -0.6534,
        OffenceCategory::Soliciting => 0.7606,
        OffenceCategory::BurglaryDomestic => -0.1239,
        OffenceCategory::BurglaryOther => 0.2406,
        OffenceCategory::TheftNonMotor => 0.6612,
        OffenceCategory::Handling => 0.3519,
        OffenceCategory::FraudForgery => 0.1599,
        OffenceCategory::AbscondingBail => 0.7334,
        OffenceCategory::VehicleTheft => 0.3801,
        OffenceCategory::TheftFromVehicle => 0.4272,
        OffenceCategory::OtherMotoring => 0.2622,
        OffenceCategory::DrinkDriving => -0.1214,
        OffenceCategory::CriminalDamage => 0.205,
        OffenceCategory::DrugImportExportProduction => -0.7956,
        OffenceCategory::DrugPossessionSupply => 0.0772,
        OffenceCategory::Other => -0.0607,
    }
}

/// The working, one step per line, for a case record or a report.
impl fmt::Display for Ogrs3Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rate = &self.sanction_rate;
        writeln!(f, "{}", self.rule_version)?;
        writeln!(
            f,
            "Age at conviction {}; age at start of follow-up {}",
            self.age_at_conviction, self.age_at_followup_start
        )?;
        writeln!(
            f,
            "Age and sex ({}, {}): {:+.5}",
            self.sex.code(),
            self.age_band,
            self.age_gender_coefficient
        )?;
        writeln!(
            f,
            "Sanctions ({}): {:+.5}",
            rate.total_sanctions, self.sanctions_coefficient
        )?;
        writeln!(
            f,
            "Sanction rate: 1.25112 × ln({} / {}) = {:+.5} (denominator = 10 + age at conviction − age at first sanction)",
            rate.total_sanctions, rate.denominator, rate.value
        )?;
        writeln!(
            f,
            "Offence ({}): {:+.5}",
            self.offence_category.label().to_lowercase(),
            self.offence_coefficient
        )?;
        writeln!(f, "y = {:.5}", self.y)?;
        writeln!(
            f,
            "One year: logistic(y + 1.40256) = {:.5}",
            self.one_year_probability
        )?;
        write!(
            f,
            "Two years: logistic(y + 2.1217) = {:.5}",
            self.two_year_probability
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The first worked example in §11; tests change only what they are about.
    fn soliciting_at_sixty_one() -> Ogrs3Inputs {
        Ogrs3Inputs {
            sex: Sex::Male,
            date_of_birth: date(1965, 12, 7),
            conviction_date: date(2025, 5, 13),
            followup_start_date: date(2026, 12, 12),
            total_sanctions: 2,
            age_at_first_sanction: 47,
            offence_category: OffenceCategory::Soliciting,
        }
    }

    /// A 20-year-old, convicted once before at 18, whose follow-up starts on the given date.
    fn young_adult_followed_up_from(followup_start_date: NaiveDate) -> Ogrs3Inputs {
        Ogrs3Inputs {
            sex: Sex::Male,
            date_of_birth: date(2000, 6, 15),
            conviction_date: date(2020, 7, 1),
            followup_start_date,
            total_sanctions: 2,
            age_at_first_sanction: 18,
            offence_category: OffenceCategory::Violence,
        }
    }

    fn error(inputs: Ogrs3Inputs) -> Ogrs3InputError {
        ogrs3(&inputs).unwrap_err()
    }

    #[test]
    fn worked_example_soliciting_male_born_1965_is_8_and_16_percent_low() {
        let score = ogrs3(&soliciting_at_sixty_one()).unwrap();
        assert_eq!(
            (score.one_year, score.two_year, score.band),
            (8, 16, Ogrs3Band::Low)
        );
    }

    #[test]
    fn worked_example_other_offence_male_born_1991_is_9_and_17_percent_low() {
        let score = ogrs3(&Ogrs3Inputs {
            sex: Sex::Male,
            date_of_birth: date(1991, 7, 17),
            conviction_date: date(2021, 8, 5),
            followup_start_date: date(2021, 12, 12),
            total_sanctions: 2,
            age_at_first_sanction: 21,
            offence_category: OffenceCategory::Other,
        })
        .unwrap();
        assert_eq!(
            (score.one_year, score.two_year, score.band),
            (9, 17, Ogrs3Band::Low)
        );
    }

    #[test]
    fn worked_example_drug_production_male_born_1975_is_35_and_52_percent_medium() {
        let score = ogrs3(&Ogrs3Inputs {
            sex: Sex::Male,
            date_of_birth: date(1975, 4, 29),
            conviction_date: date(2009, 2, 19),
            followup_start_date: date(2020, 1, 14),
            total_sanctions: 22,
            age_at_first_sanction: 17,
            offence_category: OffenceCategory::DrugImportExportProduction,
        })
        .unwrap();
        assert_eq!(
            (score.one_year, score.two_year, score.band),
            (35, 52, Ogrs3Band::Medium)
        );
    }

    #[test]
    fn the_explanation_carries_every_term_and_they_add_up_to_y() {
        let score = ogrs3(&soliciting_at_sixty_one()).unwrap();
        let working = &score.explanation;
        assert_eq!(working.age_at_conviction, 59);
        assert_eq!(working.age_at_followup_start, 61);
        assert_eq!(working.age_band, "50+");
        assert_eq!(working.age_gender_coefficient, -2.0253);
        assert_eq!(working.sanctions_coefficient, 0.46306);
        assert_eq!(working.sanction_rate.total_sanctions, 2);
        assert_eq!(working.sanction_rate.denominator, 22);
        assert!((working.sanction_rate.value - 1.25112 * (2.0_f64 / 22.0).ln()).abs() < 1e-12);
        assert_eq!(working.offence_coefficient, 0.7606);
        let sum = working.age_gender_coefficient
            + working.sanctions_coefficient
            + working.sanction_rate.value
            + working.offence_coefficient;
        assert!((working.y - sum).abs() < 1e-12);
        assert!((working.one_year_probability - logistic(working.y + 1.40256)).abs() < 1e-12);
        assert!((working.two_year_probability - logistic(working.y + 2.1217)).abs() < 1e-12);
        assert_eq!(working.rule_version, RULE_VERSION);
        assert_eq!(
            RULE_VERSION,
            "OGRS3 (2009), as implemented for OASys; keepsafe rule 1"
        );
    }

    #[test]
    fn the_explanation_reads_as_working_with_the_rule_version_first() {
        let text = ogrs3(&soliciting_at_sixty_one())
            .unwrap()
            .explanation
            .to_string();
        assert!(text.starts_with(RULE_VERSION), "{text}");
        assert!(text.contains("Age and sex (male, 50+): -2.02530"), "{text}");
        assert!(text.contains("ln(2 / 22)"), "{text}");
        assert!(
            text.contains("Offence (soliciting for prostitution): +0.76060"),
            "{text}"
        );
    }

    #[test]
    fn the_age_band_changes_on_the_birthday_at_the_start_of_follow_up_not_the_day_before() {
        let day_before = ogrs3(&young_adult_followed_up_from(date(2021, 6, 14))).unwrap();
        assert_eq!(day_before.explanation.age_at_followup_start, 20);
        assert_eq!(day_before.explanation.age_band, "18–20");
        assert_eq!(day_before.explanation.age_gender_coefficient, -0.6251);

        let birthday = ogrs3(&young_adult_followed_up_from(date(2021, 6, 15))).unwrap();
        assert_eq!(birthday.explanation.age_at_followup_start, 21);
        assert_eq!(birthday.explanation.age_band, "21–24");
        assert_eq!(birthday.explanation.age_gender_coefficient, -1.0515);
    }

    #[test]
    fn the_age_band_uses_the_age_at_follow_up_start_and_the_rate_uses_the_age_at_conviction() {
        let score = ogrs3(&young_adult_followed_up_from(date(2026, 1, 1))).unwrap();
        assert_eq!(score.explanation.age_at_conviction, 20);
        assert_eq!(score.explanation.age_at_followup_start, 25);
        assert_eq!(score.explanation.age_band, "25–29");
        // 10 + 20 − 18
        assert_eq!(score.explanation.sanction_rate.denominator, 12);
    }

    #[test]
    fn every_age_band_starts_and_ends_where_the_reference_says() {
        let edges = [
            (11, "10–11", 12, "12–13"),
            (13, "12–13", 14, "14–15"),
            (15, "14–15", 16, "16–17"),
            (17, "16–17", 18, "18–20"),
            (20, "18–20", 21, "21–24"),
            (24, "21–24", 25, "25–29"),
            (29, "25–29", 30, "30–34"),
            (34, "30–34", 35, "35–39"),
            (39, "35–39", 40, "40–49"),
            (49, "40–49", 50, "50+"),
        ];
        for (last, band, first, next) in edges {
            assert_eq!(age_gender(Sex::Male, last).0, band, "age {last}");
            assert_eq!(age_gender(Sex::Male, first).0, next, "age {first}");
        }
        assert_eq!(age_gender(Sex::Male, 10).0, "10–11");
        assert_eq!(age_gender(Sex::Female, 120).0, "50+");
    }

    #[test]
    fn male_and_female_coefficients_match_the_reference_table() {
        let table = [
            (10, 0.0, -0.785),
            (12, 0.08392, -0.61385),
            (14, 0.07578, -0.66952),
            (16, -0.0616, -0.9592),
            (18, -0.6251, -0.8975),
            (21, -1.0515, -1.0285),
            (25, -1.1667, -1.0528),
            (30, -1.326, -1.1291),
            (35, -1.368, -1.4219),
            (40, -1.4997, -1.5247),
            (50, -2.0253, -2.4498),
        ];
        for (age, male, female) in table {
            assert_eq!(age_gender(Sex::Male, age).1, male, "male {age}");
            assert_eq!(age_gender(Sex::Female, age).1, female, "female {age}");
        }
    }

    #[test]
    fn a_single_sanction_uses_0_12614_and_more_than_one_uses_0_46306() {
        let only = ogrs3(&Ogrs3Inputs {
            total_sanctions: 1,
            age_at_first_sanction: 59,
            ..soliciting_at_sixty_one()
        })
        .unwrap();
        assert_eq!(only.explanation.sanctions_coefficient, 0.12614);
        assert_eq!(sanctions_coefficient(1), 0.12614);
        assert_eq!(sanctions_coefficient(2), 0.46306);
        assert_eq!(sanctions_coefficient(250), 0.46306);
    }

    #[test]
    fn every_offence_category_has_the_reference_coefficient() {
        let table = [
            ("violence", 0.0),
            ("robbery", -0.6348),
            ("public_order", 0.1819),
            ("sexual_not_children", 0.0328),
            ("sexual_children", -0.6534),
            ("soliciting", 0.7606),
            ("burglary_domestic", -0.1239),
            ("burglary_other", 0.2406),
            ("theft_non_motor", 0.6612),
            ("handling", 0.3519),
            ("fraud_forgery", 0.1599),
            ("absconding_bail", 0.7334),
            ("vehicle_theft", 0.3801),
            ("theft_from_vehicle", 0.4272),
            ("other_motoring", 0.2622),
            ("drink_driving", -0.1214),
            ("criminal_damage", 0.205),
            ("drug_import_export_production", -0.7956),
            ("drug_possession_supply", 0.0772),
            ("other", -0.0607),
        ];
        assert_eq!(table.len(), OffenceCategory::ALL.len());
        for (code, coefficient) in table {
            let category = OffenceCategory::parse(code).unwrap();
            assert_eq!(offence_coefficient(category), coefficient, "{code}");
        }
    }

    #[test]
    fn a_very_low_chance_is_reported_as_1_percent_not_0() {
        // A woman of 100 whose only earlier sanction was at 10, for drug production.
        let score = ogrs3(&Ogrs3Inputs {
            sex: Sex::Female,
            date_of_birth: date(1920, 1, 1),
            conviction_date: date(2020, 1, 1),
            followup_start_date: date(2020, 1, 1),
            total_sanctions: 2,
            age_at_first_sanction: 10,
            offence_category: OffenceCategory::DrugImportExportProduction,
        })
        .unwrap();
        assert!(score.explanation.one_year_probability < 0.005);
        assert!(score.explanation.two_year_probability < 0.005);
        assert_eq!((score.one_year, score.two_year), (1, 1));
        assert_eq!(score.band, Ogrs3Band::Low);
    }

    #[test]
    fn a_very_high_chance_is_reported_as_99_percent_not_100() {
        // A 19-year-old with 500 sanctions since the age of 10, for soliciting.
        let score = ogrs3(&Ogrs3Inputs {
            sex: Sex::Male,
            date_of_birth: date(2001, 1, 1),
            conviction_date: date(2020, 1, 1),
            followup_start_date: date(2020, 1, 1),
            total_sanctions: 500,
            age_at_first_sanction: 10,
            offence_category: OffenceCategory::Soliciting,
        })
        .unwrap();
        assert!(score.explanation.one_year_probability >= 0.995);
        assert!(score.explanation.two_year_probability >= 0.995);
        assert_eq!((score.one_year, score.two_year), (99, 99));
        assert_eq!(score.band, Ogrs3Band::VeryHigh);
    }

    #[test]
    fn reported_percentages_round_half_up_and_stay_within_1_to_99() {
        assert_eq!(reported_percent(0.125), 13);
        assert_eq!(reported_percent(0.12499), 12);
        assert_eq!(reported_percent(0.004_99), 1);
        assert_eq!(reported_percent(0.0), 1);
        assert_eq!(reported_percent(0.995), 99);
        assert_eq!(reported_percent(1.0), 99);
    }

    #[test]
    fn band_boundaries_are_49_50_74_75_89_90() {
        let band = Ogrs3Band::from_two_year_percent;
        assert_eq!(band(0), Ogrs3Band::Low);
        assert_eq!(band(49), Ogrs3Band::Low);
        assert_eq!(band(50), Ogrs3Band::Medium);
        assert_eq!(band(74), Ogrs3Band::Medium);
        assert_eq!(band(75), Ogrs3Band::High);
        assert_eq!(band(89), Ogrs3Band::High);
        assert_eq!(band(90), Ogrs3Band::VeryHigh);
        assert_eq!(band(99), Ogrs3Band::VeryHigh);
    }

    #[test]
    fn bands_have_stable_codes_and_labels() {
        let codes: Vec<_> = Ogrs3Band::ALL.iter().map(|band| band.code()).collect();
        assert_eq!(codes, ["low", "medium", "high", "very_high"]);
        assert_eq!(Ogrs3Band::VeryHigh.to_string(), "Very high");
        assert_eq!("medium".parse(), Ok(Ogrs3Band::Medium));
    }

    #[test]
    fn a_conviction_before_birth_is_refused_naming_conviction_date() {
        let refused = error(Ogrs3Inputs {
            conviction_date: date(1965, 12, 6),
            ..soliciting_at_sixty_one()
        });
        assert_eq!(
            refused,
            Ogrs3InputError::ConvictionBeforeBirth {
                date_of_birth: date(1965, 12, 7),
                conviction_date: date(1965, 12, 6),
            }
        );
        assert_eq!(refused.field(), "conviction_date");
        assert_eq!(
            refused.to_string(),
            "conviction_date (1965-12-06) is before date_of_birth (1965-12-07)"
        );
    }

    #[test]
    fn a_conviction_before_the_tenth_birthday_is_refused() {
        let refused = error(Ogrs3Inputs {
            conviction_date: date(1975, 12, 6),
            followup_start_date: date(1975, 12, 6),
            age_at_first_sanction: 10,
            ..soliciting_at_sixty_one()
        });
        assert_eq!(
            refused,
            Ogrs3InputError::ConvictedUnderTen {
                conviction_date: date(1975, 12, 6),
                age_at_conviction: 9,
            }
        );
        assert_eq!(refused.field(), "conviction_date");
        assert!(refused.to_string().contains("age at conviction of 9"));
    }

    #[test]
    fn a_conviction_on_the_tenth_birthday_is_accepted() {
        let score = ogrs3(&Ogrs3Inputs {
            conviction_date: date(1975, 12, 7),
            followup_start_date: date(1975, 12, 7),
            total_sanctions: 1,
            age_at_first_sanction: 10,
            ..soliciting_at_sixty_one()
        })
        .unwrap();
        assert_eq!(score.explanation.age_at_conviction, 10);
        assert_eq!(score.explanation.age_band, "10–11");
    }

    #[test]
    fn no_sanctions_is_refused_because_the_current_conviction_counts() {
        let refused = error(Ogrs3Inputs {
            total_sanctions: 0,
            ..soliciting_at_sixty_one()
        });
        assert_eq!(refused, Ogrs3InputError::NoSanctions);
        assert_eq!(refused.field(), "total_sanctions");
        assert!(refused.to_string().starts_with("total_sanctions is 0"));
    }

    #[test]
    fn a_first_sanction_under_ten_is_refused() {
        let refused = error(Ogrs3Inputs {
            age_at_first_sanction: 9,
            ..soliciting_at_sixty_one()
        });
        assert_eq!(
            refused,
            Ogrs3InputError::FirstSanctionUnderTen {
                age_at_first_sanction: 9
            }
        );
        assert_eq!(refused.field(), "age_at_first_sanction");
    }

    #[test]
    fn a_first_sanction_after_the_age_at_conviction_is_refused() {
        let refused = error(Ogrs3Inputs {
            date_of_birth: date(2000, 1, 1),
            conviction_date: date(2021, 6, 1),
            followup_start_date: date(2021, 6, 1),
            age_at_first_sanction: 25,
            ..soliciting_at_sixty_one()
        });
        assert_eq!(refused.field(), "age_at_first_sanction");
        assert_eq!(
            refused.to_string(),
            "age_at_first_sanction (25) is after the age at conviction (21)"
        );
    }

    #[test]
    fn a_first_sanction_at_the_age_at_conviction_is_accepted() {
        let score = ogrs3(&Ogrs3Inputs {
            total_sanctions: 1,
            age_at_first_sanction: 59,
            ..soliciting_at_sixty_one()
        })
        .unwrap();
        assert_eq!(score.explanation.sanction_rate.denominator, 10);
    }

    #[test]
    fn a_follow_up_starting_before_the_conviction_is_refused() {
        let refused = error(Ogrs3Inputs {
            followup_start_date: date(2025, 5, 12),
            ..soliciting_at_sixty_one()
        });
        assert_eq!(
            refused,
            Ogrs3InputError::FollowupBeforeConviction {
                conviction_date: date(2025, 5, 13),
                followup_start_date: date(2025, 5, 12),
            }
        );
        assert_eq!(refused.field(), "followup_start_date");
        assert_eq!(
            refused.to_string(),
            "followup_start_date (2025-05-12) is before conviction_date (2025-05-13)"
        );
    }

    #[test]
    fn a_follow_up_starting_on_the_conviction_date_is_accepted() {
        let score = ogrs3(&Ogrs3Inputs {
            followup_start_date: date(2025, 5, 13),
            ..soliciting_at_sixty_one()
        })
        .unwrap();
        assert_eq!(score.explanation.age_at_followup_start, 59);
    }

    #[test]
    fn a_sanction_rate_denominator_of_zero_or_below_is_refused() {
        // Unreachable through `ogrs3` once the first sanction is no later than the conviction, so
        // the check is exercised where it lives.
        let refused = sanction_rate(3, 20, 30).unwrap_err();
        assert_eq!(
            refused,
            Ogrs3InputError::DenominatorNotPositive {
                age_at_first_sanction: 30,
                age_at_conviction: 20,
                denominator: 0,
            }
        );
        assert_eq!(refused.field(), "age_at_first_sanction");
        assert!(refused.to_string().contains("denominator of 0"));
        assert!(matches!(
            sanction_rate(3, 20, 45),
            Err(Ogrs3InputError::DenominatorNotPositive {
                denominator: -15,
                ..
            })
        ));
        assert_eq!(sanction_rate(3, 20, 29).unwrap().denominator, 1);
    }

    /// Follow-up start for a case of `case_type` convicted on 1 March 2026, judged on 1 June 2026.
    fn start_of(
        case_type: CaseType,
        sentence_date: Option<NaiveDate>,
        release_date: Option<NaiveDate>,
    ) -> FollowupStart {
        followup_start(
            case_type,
            date(2026, 3, 1),
            sentence_date,
            release_date,
            date(2026, 6, 1),
        )
    }

    #[test]
    fn a_community_sentence_is_followed_up_from_its_sentence_date() {
        assert_eq!(
            start_of(CaseType::Community, Some(date(2026, 4, 10)), None),
            FollowupStart {
                date: date(2026, 4, 10),
                basis: "sentence date, community sentence".into(),
                note: None,
            }
        );
    }

    #[test]
    fn a_community_sentence_without_a_sentence_date_is_followed_up_from_conviction_with_a_note() {
        assert_eq!(
            start_of(CaseType::Community, None, None),
            FollowupStart {
                date: date(2026, 3, 1),
                basis: "conviction date".into(),
                note: Some(
                    "No sentence date is recorded for this community sentence, so follow-up is \
                     counted from the conviction date; record the sentence date"
                        .into()
                ),
            }
        );
    }

    #[test]
    fn custody_after_release_is_followed_up_from_the_release_date() {
        for case_type in [CaseType::Custody, CaseType::Licence] {
            assert_eq!(
                start_of(case_type, Some(date(2026, 4, 10)), Some(date(2026, 6, 1))),
                FollowupStart {
                    date: date(2026, 6, 1),
                    basis: "release date".into(),
                    note: None,
                },
                "{case_type:?} released today"
            );
            assert_eq!(
                start_of(case_type, Some(date(2026, 4, 10)), Some(date(2026, 5, 1))).date,
                date(2026, 5, 1),
                "{case_type:?} released before today"
            );
        }
    }

    #[test]
    fn custody_before_release_is_followed_up_from_the_expected_release_date_with_a_note() {
        assert_eq!(
            start_of(
                CaseType::Custody,
                Some(date(2026, 4, 10)),
                Some(date(2026, 6, 2))
            ),
            FollowupStart {
                date: date(2026, 6, 2),
                basis: "expected release date".into(),
                note: Some(
                    "Not released yet, so follow-up is counted from the expected release date"
                        .into()
                ),
            }
        );
    }

    #[test]
    fn custody_without_a_release_date_is_followed_up_from_the_sentence_date_with_a_note() {
        assert_eq!(
            start_of(CaseType::Licence, Some(date(2026, 4, 10)), None),
            FollowupStart {
                date: date(2026, 4, 10),
                basis: "sentence date, release date not recorded".into(),
                note: Some(
                    "The release date is not recorded, so follow-up is counted from the \
                     sentence date instead; record the release date to score from release"
                        .into()
                ),
            }
        );
    }

    #[test]
    fn custody_without_sentence_or_release_dates_is_followed_up_from_conviction_with_a_note() {
        assert_eq!(
            start_of(CaseType::Custody, None, None),
            FollowupStart {
                date: date(2026, 3, 1),
                basis: "conviction date, sentence and release dates not recorded".into(),
                note: Some(
                    "Neither the sentence date nor the release date is recorded, so follow-up \
                     is counted from the conviction date; record the release date"
                        .into()
                ),
            }
        );
    }

    #[test]
    fn before_sentence_follow_up_is_counted_from_conviction_with_a_note() {
        assert_eq!(
            start_of(CaseType::PreSentence, None, None),
            FollowupStart {
                date: date(2026, 3, 1),
                basis: "conviction date, not yet sentenced".into(),
                note: Some(
                    "Not sentenced yet, so follow-up is counted from the conviction date; the \
                     score changes once the sentence is recorded"
                        .into()
                ),
            }
        );
    }
}
