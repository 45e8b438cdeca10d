//! A person on probation: who they are. Their sentences live in [`crate::event`], where they live in
//! [`crate::address`], who they live with in [`crate::household`].

use crate::age::age_on;
use crate::coded_enum;
use chrono::NaiveDate;
use thiserror::Error;

coded_enum! {
    /// Sex as recorded for the published predictors, which were built on male and female samples.
    pub enum Sex ("sex") {
        Male => "male", "Male",
        Female => "female", "Female",
    }
}

/// A first or last name as it will be printed on letters and court reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

/// Why a name was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidName {
    #[error("Enter a name")]
    Missing,
    #[error("Names must be 100 characters or fewer")]
    TooLong,
    #[error("Names must not contain control characters or hidden characters that change the direction of text")]
    ControlCharacters,
}

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, InvalidName> {
        let name = raw.trim();
        if name.is_empty() {
            Err(InvalidName::Missing)
        } else if name.chars().count() > 100 {
            Err(InvalidName::TooLong)
        } else if name.chars().any(crate::text::is_unsafe_in_one_line) {
            Err(InvalidName::ControlCharacters)
        } else {
            Ok(Self(name.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a date of birth was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidDateOfBirth {
    #[error("Date of birth must be in the past")]
    InFuture,
    #[error("Date of birth must make the person at least 10, the age of criminal responsibility")]
    BelowCriminalResponsibility,
    #[error("Date of birth must make the person younger than 120")]
    ImplausiblyOld,
}

/// Checks a date of birth for someone with a conviction, on `today`.
pub fn validate_date_of_birth(
    date_of_birth: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, InvalidDateOfBirth> {
    match age_on(date_of_birth, today) {
        None => Err(InvalidDateOfBirth::InFuture),
        Some(age) if age < 10 => Err(InvalidDateOfBirth::BelowCriminalResponsibility),
        Some(age) if age >= 120 => Err(InvalidDateOfBirth::ImplausiblyOld),
        Some(_) => Ok(date_of_birth),
    }
}

coded_enum! {
    /// Gender as the person describes it: asked for so that they are addressed and supervised as
    /// who they are, and kept apart from [`Sex`], which only the predictors read.
    pub enum Gender ("gender") {
        Man => "man", "Man",
        Woman => "woman", "Woman",
        NonBinary => "non_binary", "Non-binary",
        SelfDescribe => "self_describe", "Prefers to self-describe",
        NotSaid => "not_said", "Prefers not to say",
    }
}

/// The longest free text kept in a short field (a preferred name, a language, a self-description).
pub const SHORT_TEXT_MAX: usize = 100;

/// Why a short piece of text was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidShortText {
    #[error("must be {SHORT_TEXT_MAX} characters or fewer")]
    TooLong,
    #[error("must not contain control characters or hidden characters that change the direction of text")]
    ControlCharacters,
}

/// Optional short text: `None` when left blank, trimmed otherwise.
pub fn optional_short_text(raw: &str) -> Result<Option<String>, InvalidShortText> {
    let text = raw.trim();
    if text.is_empty() {
        Ok(None)
    } else if text.chars().count() > SHORT_TEXT_MAX {
        Err(InvalidShortText::TooLong)
    } else if text.chars().any(crate::text::is_unsafe_in_one_line) {
        Err(InvalidShortText::ControlCharacters)
    } else {
        Ok(Some(text.to_owned()))
    }
}

/// A gender as recorded: the choice, and the person's own words when they self-describe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedGender {
    pub gender: Gender,
    pub self_description: Option<String>,
}

/// Why a gender was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidGender {
    #[error("Enter how the person describes their gender")]
    DescriptionMissing,
    #[error("How the person describes their gender must be {SHORT_TEXT_MAX} characters or fewer")]
    DescriptionTooLong,
}

impl RecordedGender {
    /// The gender chosen with the description typed. Only "self-describe" keeps a description
    /// (and needs one): words typed before choosing another answer are not kept.
    pub fn new(gender: Gender, description: &str) -> Result<Self, InvalidGender> {
        if gender != Gender::SelfDescribe {
            return Ok(Self {
                gender,
                self_description: None,
            });
        }
        match optional_short_text(description) {
            Ok(Some(text)) => Ok(Self {
                gender,
                self_description: Some(text),
            }),
            Ok(None) => Err(InvalidGender::DescriptionMissing),
            Err(_) => Err(InvalidGender::DescriptionTooLong),
        }
    }

    /// "Non-binary", or the person's own words.
    pub fn describe(&self) -> String {
        match &self.self_description {
            Some(words) => words.clone(),
            None => crate::CodedValue::label(self.gender).to_owned(),
        }
    }
}

/// A UK telephone number, landline or mobile, kept in national form (01632960001). Read the way
/// [`crate::supervision::reminders::MobileNumber`] reads a mobile, so one number typed the same
/// way is accepted in both places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelephoneNumber(String);

impl TelephoneNumber {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let national = crate::supervision::reminders::uk_national_number(raw);
        if national.is_empty() {
            return Err("Enter a telephone number");
        }
        let plausible = (10..=11).contains(&national.len())
            && national.starts_with('0')
            && !national.starts_with("00")
            && national.chars().all(|c| c.is_ascii_digit());
        if plausible {
            Ok(Self(national))
        } else {
            Err("Enter a UK telephone number, like 01632 960 001 or 07700 900 982")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

coded_enum! {
    /// A disability or long-term condition, as the person or a professional describes it. The
    /// adjustments agreed matter more than the label, so both are recorded.
    pub enum DisabilityKind ("disability") {
        LearningDisability => "learning_disability", "Learning disability",
        LearningDifficulty => "learning_difficulty", "Learning difficulty (for example dyslexia)",
        Autism => "autism", "Autism",
        Adhd => "adhd", "Attention deficit hyperactivity disorder (ADHD)",
        MentalHealth => "mental_health", "Mental health condition",
        Mobility => "mobility", "Physical or mobility impairment",
        Visual => "visual", "Visual impairment",
        Hearing => "hearing", "Deaf or hearing impairment",
        Speech => "speech", "Speech or communication impairment",
        LongTermIllness => "long_term_illness", "Long-term illness",
        BrainInjury => "brain_injury", "Acquired brain injury",
        Other => "other", "Other",
    }
}

coded_enum! {
    /// Someone the person on probation is connected to whom the service may need to reach.
    pub enum PersonalContactKind ("personal contact") {
        NextOfKin => "next_of_kin", "Next of kin",
        EmergencyContact => "emergency_contact", "Emergency contact",
        FamilyOrFriend => "family_or_friend", "Family member or friend",
        Gp => "gp", "GP",
        SocialWorker => "social_worker", "Social worker",
        OtherProfessional => "other_professional", "Other professional",
    }
}

impl PersonalContactKind {
    /// Professionals are recorded with their organisation rather than a relationship.
    pub fn is_professional(self) -> bool {
        matches!(
            self,
            PersonalContactKind::Gp
                | PersonalContactKind::SocialWorker
                | PersonalContactKind::OtherProfessional
        )
    }
}

/// The longest reason accepted for a correction.
pub const REASON_MAX: usize = 2_000;

/// A date of birth corrected, with the reason. A date of birth is not edited like a phone
/// number: ages, predictors and partner checks were worked out from the old one, so the record
/// keeps what it was, what it became and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateOfBirthCorrection {
    pub before: NaiveDate,
    pub after: NaiveDate,
    pub reason: String,
}

/// Why a correction of the date of birth was refused: the date, the reason, or both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvalidCorrection {
    pub date: Option<String>,
    pub reason: Option<String>,
}

impl DateOfBirthCorrection {
    /// The correction of `before` to `after` (which must be a plausible date of birth on `today`
    /// and differ from `before`), for `reason`, which is required.
    pub fn new(
        before: NaiveDate,
        after: Option<NaiveDate>,
        reason: &str,
        today: NaiveDate,
    ) -> Result<Self, InvalidCorrection> {
        let mut invalid = InvalidCorrection::default();
        let after = after.and_then(|after| {
            if after == before {
                invalid.date = Some("Enter a date of birth different from the one recorded".into());
                return None;
            }
            validate_date_of_birth(after, today)
                .map_err(|error| invalid.date = Some(error.to_string()))
                .ok()
        });
        let reason = reason.trim();
        if reason.is_empty() {
            invalid.reason = Some("Enter why the date of birth is being corrected".into());
        } else if reason.chars().count() > REASON_MAX {
            invalid.reason = Some(format!(
                "The reason must be {REASON_MAX} characters or fewer"
            ));
        }
        match after {
            Some(after) if invalid == InvalidCorrection::default() => Ok(Self {
                before,
                after,
                reason: reason.to_owned(),
            }),
            _ => Err(invalid),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn blank_and_overlong_names_are_refused() {
        assert_eq!(PersonName::parse("  "), Err(InvalidName::Missing));
        assert_eq!(
            PersonName::parse(&"a".repeat(101)),
            Err(InvalidName::TooLong)
        );
        assert_eq!(PersonName::parse(" Ada ").unwrap().as_str(), "Ada");
    }

    #[test]
    fn dates_of_birth_must_be_plausible_for_someone_convicted() {
        let today = date(2026, 11, 22);
        assert_eq!(
            validate_date_of_birth(date(2027, 1, 1), today),
            Err(InvalidDateOfBirth::InFuture)
        );
        assert_eq!(
            validate_date_of_birth(date(2020, 1, 1), today),
            Err(InvalidDateOfBirth::BelowCriminalResponsibility)
        );
        assert_eq!(
            validate_date_of_birth(date(1900, 1, 1), today),
            Err(InvalidDateOfBirth::ImplausiblyOld)
        );
        assert!(validate_date_of_birth(date(1990, 5, 1), today).is_ok());
    }

    #[test]
    fn a_self_described_gender_needs_the_persons_own_words() {
        assert_eq!(
            RecordedGender::new(Gender::SelfDescribe, "  "),
            Err(InvalidGender::DescriptionMissing)
        );
        let own = RecordedGender::new(Gender::SelfDescribe, " Genderfluid ").unwrap();
        assert_eq!(own.describe(), "Genderfluid");
        let chosen = RecordedGender::new(Gender::Woman, "typed before choosing").unwrap();
        assert_eq!(chosen.self_description, None);
        assert_eq!(chosen.describe(), "Woman");
    }

    #[test]
    fn uk_telephone_numbers_are_kept_in_national_form() {
        assert_eq!(
            TelephoneNumber::parse("+44 (0)1632 960-001").map(|n| n.0),
            Err("Enter a UK telephone number, like 01632 960 001 or 07700 900 982")
        );
        assert_eq!(
            TelephoneNumber::parse("+44 1632 960 001").unwrap().as_str(),
            "01632960001"
        );
        assert_eq!(
            TelephoneNumber::parse("07700 900982").unwrap().as_str(),
            "07700900982"
        );
        assert!(TelephoneNumber::parse("12345").is_err());
        assert!(TelephoneNumber::parse("").is_err());
    }

    #[test]
    fn correcting_a_date_of_birth_needs_a_reason_and_a_different_plausible_date() {
        let today = date(2026, 12, 2);
        let before = date(1990, 5, 1);
        let missing = DateOfBirthCorrection::new(before, Some(date(1990, 1, 5)), " ", today);
        assert_eq!(
            missing.unwrap_err().reason.as_deref(),
            Some("Enter why the date of birth is being corrected")
        );
        let same = DateOfBirthCorrection::new(before, Some(before), "Typo", today).unwrap_err();
        assert!(same.date.unwrap().contains("different"));
        let child = DateOfBirthCorrection::new(before, Some(date(2020, 1, 1)), "Typo", today);
        assert!(child.unwrap_err().date.unwrap().contains("at least 10"));
        let ok = DateOfBirthCorrection::new(before, Some(date(1990, 1, 5)), " Passport ", today)
            .unwrap();
        assert_eq!(
            (ok.after, ok.reason.as_str()),
            (date(1990, 1, 5), "Passport")
        );
    }
}
