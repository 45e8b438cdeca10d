//! Contact standards: how often a person on a community order, suspended sentence order or licence
//! must be seen, by their risk of serious harm level and how far into the order or licence they
//! are, and whether each case is meeting its standard today.
//!
//! The standard is **configurable and effective-dated** (table `contact_standards`, one row per
//! RoSH level in each version): an administrator adds a new version from a date, and every result
//! names the version that produced it, so a practitioner can see why a case is behind.
//!
//! ## The default and its source
//!
//! The default (version in force from 1 January 2020, seeded by migration 13) is **keepsafe's
//! default**, not a national figure. It follows the former *National Standards for the Management
//! of Offenders: Standards and Implementation Guidance 2007* (National Offender Management
//! Service), which set a first contact within five working days of sentence or release (two for
//! the highest tier) and the contact after that by tier of risk; earlier editions (2000, 2005)
//! asked for more frequent contact in the first weeks of an order or licence. Their successors (the *National Standards Practice Framework*, August 2015, and the Probation
//! Service's current operating model) leave the frequency of contact to local policy and
//! professional judgement, so no current national number exists to copy. The default is:
//!
//! | RoSH level | First weeks | Then |
//! | --- | --- | --- |
//! | Low | every 7 days for 8 weeks | every 28 days |
//! | Medium | every 7 days for 12 weeks | every 14 days |
//! | High | every 7 days for 16 weeks | every 7 days |
//! | Very high | every 7 days for 16 weeks | every 7 days |
//!
//! After the first weeks it matches the contact-frequency quality indicator's defaults
//! ([`crate::quality::IndicatorRules`]: 1, 2, 4 and 4 contacts every four weeks), so the two
//! never disagree about a case.
//!
//! A case with no completed RoSH assessment is held to the **medium** standard
//! ([`FALLBACK_LEVEL`]): the first assessment is due within 15 working days of the start, and in
//! those first weeks every level asks for weekly contact, so the fallback rarely decides anything
//! before an assessment does.

use crate::calendar::long_date;
use crate::event::CaseType;
use crate::rosh::RoshLevel;
use crate::supervision::contact::{ContactOutcome, ContactStatus, ContactType};
use crate::workload::Explanation;
use crate::CodedValue;
use chrono::{Days, NaiveDate};

/// The level a case with no completed risk of serious harm assessment is held to.
pub const FALLBACK_LEVEL: RoshLevel = RoshLevel::Medium;

/// Where the default standard comes from, stored with the seeded version and shown with it.
pub const DEFAULT_SOURCE: &str = "keepsafe's default, not a national figure. It follows the former National Standards for the Management of Offenders (NOMS, 2007: first contact within five working days of sentence or release, two for the highest tier, then contact by tier of risk; earlier editions asked for more frequent contact in the first weeks of an order or licence). Current national guidance (National Standards Practice Framework, 2015) leaves the frequency to local policy.";

/// The longest interval a standard may set, in days (a quarter of a year).
pub const MAX_EVERY_DAYS: u32 = 91;

/// The longest "first weeks" period a standard may set.
pub const MAX_EARLY_WEEKS: u32 = 52;

/// The contact one RoSH level requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LevelStandard {
    /// How many weeks from the start of the order or licence count as the first weeks.
    pub early_weeks: u32,
    /// At most this many days between contacts in the first weeks.
    pub early_every_days: u32,
    /// At most this many days between contacts after the first weeks.
    pub then_every_days: u32,
}

impl LevelStandard {
    /// The interval that applies to a contact made (or a start) on `from`: the first weeks'
    /// while `from` is inside them, the later one after.
    pub fn interval_from(&self, start: NaiveDate, from: NaiveDate) -> (u32, Stage) {
        let early_end = start + Days::new(u64::from(self.early_weeks) * 7);
        if from < early_end {
            (self.early_every_days, Stage::FirstWeeks)
        } else {
            (self.then_every_days, Stage::Later)
        }
    }
}

/// Whether the interval came from the first weeks or the time after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    FirstWeeks,
    Later,
}

/// One version of the standard: a [`LevelStandard`] for each RoSH level, in force from a date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ContactStandard {
    pub effective_from: NaiveDate,
    pub low: LevelStandard,
    pub medium: LevelStandard,
    pub high: LevelStandard,
    pub very_high: LevelStandard,
    /// Where the numbers come from, in words.
    pub source: String,
    /// Who set it; `None` for the default seeded with the database.
    pub set_by: Option<String>,
}

impl ContactStandard {
    pub fn for_level(&self, level: RoshLevel) -> &LevelStandard {
        match level {
            RoshLevel::Low => &self.low,
            RoshLevel::Medium => &self.medium,
            RoshLevel::High => &self.high,
            RoshLevel::VeryHigh => &self.very_high,
        }
    }

    /// The version's name as results show it: "contact-standard-2020-01-01".
    pub fn version(&self) -> String {
        format!("contact-standard-{}", self.effective_from)
    }

    /// keepsafe's default (see the module documentation), as seeded by migration 13.
    pub fn keepsafe_default() -> Self {
        let level = |early_weeks, then_every_days| LevelStandard {
            early_weeks,
            early_every_days: 7,
            then_every_days,
        };
        Self {
            effective_from: NaiveDate::from_ymd_opt(2020, 1, 1).expect("a valid date"),
            low: level(8, 28),
            medium: level(12, 14),
            high: level(16, 7),
            very_high: level(16, 7),
            source: DEFAULT_SOURCE.to_owned(),
            set_by: None,
        }
    }
}

/// Every version, so the one in force on any day can be found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StandardHistory {
    versions: Vec<ContactStandard>,
}

impl StandardHistory {
    pub fn new(mut versions: Vec<ContactStandard>) -> Self {
        versions.sort_by_key(|v| v.effective_from);
        Self { versions }
    }

    /// The version in force on `day`: the latest that took effect on or before it.
    pub fn in_force_on(&self, day: NaiveDate) -> Option<&ContactStandard> {
        self.versions
            .iter()
            .rev()
            .find(|version| version.effective_from <= day)
    }

    /// Oldest first.
    pub fn versions(&self) -> &[ContactStandard] {
        &self.versions
    }
}

/// Whether a contact counts towards the standard: the person was seen or spoken to in a
/// supervision contact. Unpaid work and programme sessions deliver requirements rather than
/// supervision; a letter or email is one way and a contact with a partner agency is not with the
/// person; system events are not contact at all. A rescheduled or cancelled appointment never
/// happened, and a failure to attend is no contact.
pub fn counts_towards_standard(
    kind: ContactType,
    status: ContactStatus,
    outcome: Option<ContactOutcome>,
) -> bool {
    let supervision = matches!(
        kind,
        ContactType::Induction
            | ContactType::OfficeVisit
            | ContactType::HomeVisit
            | ContactType::PhoneCall
            | ContactType::VideoCall
            | ContactType::ThreeWayMeeting
            | ContactType::PrisonVisit
    );
    supervision
        && status == ContactStatus::Arranged
        && outcome.is_some_and(ContactOutcome::attended)
}

/// The contact types that can count towards the standard, for queries.
pub fn qualifying_types() -> impl Iterator<Item = ContactType> {
    <ContactType as CodedValue>::ALL
        .iter()
        .copied()
        .filter(|kind| {
            counts_towards_standard(
                *kind,
                ContactStatus::Arranged,
                Some(ContactOutcome::Attended),
            )
        })
}

/// What the standard reads about one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseContact {
    pub case_type: CaseType,
    /// The start of the order (sentence date) or licence (release date).
    pub start: Option<NaiveDate>,
    /// The level of the completed assessment in force; `None` uses [`FALLBACK_LEVEL`].
    pub rosh_level: Option<RoshLevel>,
    /// The day of the latest contact that counts ([`counts_towards_standard`]), on or before
    /// today.
    pub last_contact: Option<NaiveDate>,
}

/// Whether the case is meeting its standard today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// The next contact is due by `due_by` (inclusive), which is today or later.
    Meeting { due_by: NaiveDate },
    /// No contact was made by `due_by`; the case has been behind since the day after.
    Behind {
        due_by: NaiveDate,
        since: NaiveDate,
        days: i64,
    },
    /// The standard does not apply (the reason is in the explanation).
    NotApplicable,
}

/// The result with its working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub standing: Standing,
    /// The version that produced the result, if one was in force.
    pub version: Option<String>,
    /// The interval applied, in days.
    pub every_days: Option<u32>,
    /// The level the case was held to (its own or the fallback).
    pub level: Option<RoshLevel>,
    pub last_contact: Option<NaiveDate>,
    pub explanation: Explanation,
}

impl Assessment {
    pub fn is_behind(&self) -> bool {
        matches!(self.standing, Standing::Behind { .. })
    }

    /// The short words the case record and lists show.
    pub fn summary(&self) -> String {
        match self.standing {
            Standing::Meeting { due_by } => {
                format!(
                    "Meeting the standard: next contact due by {}",
                    long_date(due_by)
                )
            }
            Standing::Behind { since, .. } => {
                format!("Behind the standard since {}", long_date(since))
            }
            Standing::NotApplicable => "No contact standard applies".to_owned(),
        }
    }
}

/// Whether the case is meeting the standard in force today, and how that was worked out.
pub fn assess(history: &StandardHistory, case: &CaseContact, today: NaiveDate) -> Assessment {
    let not_applicable = |explanation: Explanation| Assessment {
        standing: Standing::NotApplicable,
        version: None,
        every_days: None,
        level: None,
        last_contact: case.last_contact,
        explanation,
    };
    let Some(standard) = history.in_force_on(today) else {
        return not_applicable(
            Explanation::new("none")
                .step("No contact standard is in force today, so none applies."),
        );
    };
    let explanation = Explanation::new(standard.version())
        .input("Standard in force from", long_date(standard.effective_from))
        .input("Source", standard.source.clone())
        .input("Case type", case.case_type.label());
    if !matches!(case.case_type, CaseType::Community | CaseType::Licence) {
        return Assessment {
            version: Some(standard.version()),
            ..not_applicable(explanation.step(format!(
                "The case type is {}: the standard applies to community orders, suspended sentence orders and licences only.",
                case.case_type.label().to_lowercase()
            )))
        };
    }
    let Some(start) = case.start.filter(|start| *start <= today) else {
        let why = match case.start {
            Some(start) => format!(
                "The order or licence starts on {}, so no contact is due yet.",
                long_date(start)
            ),
            None => {
                "No sentence or release date is recorded, so the standard cannot be worked out."
                    .to_owned()
            }
        };
        return Assessment {
            version: Some(standard.version()),
            ..not_applicable(explanation.step(why))
        };
    };
    let level = case.rosh_level.unwrap_or(FALLBACK_LEVEL);
    let rule = standard.for_level(level);
    let last = case
        .last_contact
        .filter(|day| *day >= start && *day <= today);
    let from = last.unwrap_or(start);
    let (every_days, stage) = rule.interval_from(start, from);
    let due_by = from + Days::new(u64::from(every_days));
    let level_words = match case.rosh_level {
        Some(level) => format!("{} (the completed assessment in force)", level.label()),
        None => format!(
            "{} (no completed risk of serious harm assessment: the fallback level)",
            FALLBACK_LEVEL.label()
        ),
    };
    let start_word = match case.case_type {
        CaseType::Licence => "Licence started (release date)",
        _ => "Order started (sentence date)",
    };
    let mut explanation = explanation
        .input(start_word, long_date(start))
        .input("Risk of serious harm", level_words)
        .input(
            "Last contact that counts",
            last.map_or_else(|| "None since the start".to_owned(), long_date),
        )
        .step(format!(
            "For {} risk of serious harm the standard asks for contact at least every {} days in the first {} weeks, then at least every {} days.",
            level.label().to_lowercase(),
            rule.early_every_days,
            rule.early_weeks,
            rule.then_every_days
        ));
    let stage_words = match stage {
        Stage::FirstWeeks => "within the first weeks",
        Stage::Later => "after the first weeks",
    };
    explanation = explanation.step(match last {
        Some(day) => format!(
            "The last contact that counts was on {}, {stage_words}, so the next was due within {every_days} days: by {}.",
            long_date(day),
            long_date(due_by)
        ),
        None => format!(
            "No contact that counts has been made since the start on {}, {stage_words}, so the first was due within {every_days} days: by {}.",
            long_date(start),
            long_date(due_by)
        ),
    });
    let standing = if today > due_by {
        let since = due_by + Days::new(1);
        let days = (today - due_by).num_days();
        explanation = explanation.step(format!(
            "Today is {}, after that date: the case has been behind its standard since {} ({days} {}).",
            long_date(today),
            long_date(since),
            if days == 1 { "day" } else { "days" }
        ));
        Standing::Behind {
            due_by,
            since,
            days,
        }
    } else {
        explanation = explanation.step(format!(
            "Today is {}, on or before that date: the case is meeting its standard.",
            long_date(today)
        ));
        Standing::Meeting { due_by }
    };
    Assessment {
        standing,
        version: Some(standard.version()),
        every_days: Some(every_days),
        level: Some(level),
        last_contact: last,
        explanation,
    }
}

/// Why a new version was refused, for the field that needs changing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionError {
    /// The form field: "effective-from-day", or "{level}-early-weeks" and the like.
    pub field: String,
    pub message: String,
}

/// The numbers typed for one level, before checking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypedLevel {
    pub early_weeks: Option<u32>,
    pub early_every_days: Option<u32>,
    pub then_every_days: Option<u32>,
}

/// Checks a new version: it takes effect today or later and after every existing version (so the
/// past is never rewritten), and each level's numbers are whole numbers in range, with the first
/// weeks no less frequent than the time after.
pub fn validate_version(
    effective_from: NaiveDate,
    levels: [(RoshLevel, TypedLevel); 4],
    history: &StandardHistory,
    today: NaiveDate,
    source: &str,
) -> Result<[(RoshLevel, LevelStandard); 4], Vec<VersionError>> {
    let mut errors = Vec::new();
    let mut error = |field: String, message: String| errors.push(VersionError { field, message });
    if effective_from < today {
        error(
            "effective-from-day".to_owned(),
            "The date it takes effect must be today or in the future".to_owned(),
        );
    } else if history
        .versions()
        .iter()
        .any(|v| v.effective_from >= effective_from)
    {
        error(
            "effective-from-day".to_owned(),
            "The date it takes effect must be after the latest version's".to_owned(),
        );
    }
    if source.trim().is_empty() {
        error(
            "source".to_owned(),
            "Enter where the numbers come from".to_owned(),
        );
    } else if source.chars().count() > 1_000 {
        error(
            "source".to_owned(),
            "Where the numbers come from must be 1,000 characters or fewer".to_owned(),
        );
    }
    let mut checked = Vec::with_capacity(4);
    for (level, typed) in levels {
        let name = level.label().to_lowercase();
        let code = level.code().replace('_', "-");
        let mut read =
            |value: Option<u32>, suffix: &str, what: &str, min: u32, max: u32| match value {
                Some(n) if (min..=max).contains(&n) => Some(n),
                _ => {
                    error(
                        format!("{code}-{suffix}"),
                        format!(
                            "{what} for {name} risk must be a whole number from {min} to {max}"
                        ),
                    );
                    None
                }
            };
        let early_weeks = read(
            typed.early_weeks,
            "early-weeks",
            "The first weeks",
            0,
            MAX_EARLY_WEEKS,
        );
        let early_every = read(
            typed.early_every_days,
            "early-every-days",
            "Days between contacts in the first weeks",
            1,
            MAX_EVERY_DAYS,
        );
        let then_every = read(
            typed.then_every_days,
            "then-every-days",
            "Days between contacts after the first weeks",
            1,
            MAX_EVERY_DAYS,
        );
        if let (Some(early_weeks), Some(early_every_days), Some(then_every_days)) =
            (early_weeks, early_every, then_every)
        {
            if early_every_days > then_every_days {
                error(
                    format!("{code}-early-every-days"),
                    format!("Contact in the first weeks for {name} risk cannot be less frequent than after them"),
                );
            }
            checked.push((
                level,
                LevelStandard {
                    early_weeks,
                    early_every_days,
                    then_every_days,
                },
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(checked
        .try_into()
        .expect("four levels were read without an error"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn history() -> StandardHistory {
        StandardHistory::new(vec![ContactStandard::keepsafe_default()])
    }

    fn case(start: NaiveDate, level: Option<RoshLevel>, last: Option<NaiveDate>) -> CaseContact {
        CaseContact {
            case_type: CaseType::Community,
            start: Some(start),
            rosh_level: level,
            last_contact: last,
        }
    }

    #[test]
    fn a_case_seen_within_its_interval_is_meeting_its_standard() {
        let today = date(2026, 12, 2);
        let result = assess(
            &history(),
            &case(
                date(2026, 1, 5),
                Some(RoshLevel::Medium),
                Some(date(2026, 11, 25)),
            ),
            today,
        );
        assert_eq!(
            result.standing,
            Standing::Meeting {
                due_by: date(2026, 12, 9)
            }
        );
        assert_eq!(result.every_days, Some(14));
        assert_eq!(
            result.version.as_deref(),
            Some("contact-standard-2020-01-01")
        );
    }

    #[test]
    fn a_case_not_seen_within_its_interval_is_behind_from_the_day_after_it_was_due() {
        let today = date(2026, 12, 2);
        let result = assess(
            &history(),
            &case(
                date(2026, 1, 5),
                Some(RoshLevel::High),
                Some(date(2026, 11, 20)),
            ),
            today,
        );
        assert_eq!(
            result.standing,
            Standing::Behind {
                due_by: date(2026, 11, 27),
                since: date(2026, 11, 28),
                days: 5
            }
        );
        assert!(result.is_behind());
        assert!(result.summary().contains("28 November 2026"));
    }

    #[test]
    fn the_first_weeks_of_an_order_ask_for_weekly_contact_even_at_low_risk() {
        let start = date(2026, 11, 2);
        let result = assess(
            &history(),
            &case(start, Some(RoshLevel::Low), Some(date(2026, 11, 20))),
            date(2026, 12, 2),
        );
        assert_eq!(result.every_days, Some(7));
        assert!(result.is_behind());
    }

    #[test]
    fn after_the_first_weeks_a_low_risk_case_is_seen_every_four_weeks() {
        let result = assess(
            &history(),
            &case(
                date(2026, 1, 5),
                Some(RoshLevel::Low),
                Some(date(2026, 11, 20)),
            ),
            date(2026, 12, 2),
        );
        assert_eq!(result.every_days, Some(28));
        assert_eq!(
            result.standing,
            Standing::Meeting {
                due_by: date(2026, 12, 18)
            }
        );
    }

    #[test]
    fn with_no_contact_yet_the_first_is_due_from_the_start() {
        let result = assess(
            &history(),
            &case(date(2026, 11, 30), Some(RoshLevel::Medium), None),
            date(2026, 12, 2),
        );
        assert_eq!(
            result.standing,
            Standing::Meeting {
                due_by: date(2026, 12, 7)
            }
        );
    }

    #[test]
    fn a_contact_from_before_the_start_does_not_count() {
        let result = assess(
            &history(),
            &case(
                date(2026, 11, 2),
                Some(RoshLevel::Medium),
                Some(date(2026, 10, 30)),
            ),
            date(2026, 12, 2),
        );
        assert_eq!(result.last_contact, None);
        assert!(result.is_behind());
    }

    #[test]
    fn a_case_with_no_completed_assessment_is_held_to_the_fallback_level() {
        let result = assess(
            &history(),
            &case(date(2026, 1, 5), None, Some(date(2026, 11, 20))),
            date(2026, 12, 2),
        );
        assert_eq!(result.level, Some(FALLBACK_LEVEL));
        assert_eq!(result.every_days, Some(14));
        assert!(result
            .explanation
            .inputs
            .iter()
            .any(|fact| fact.value.contains("fallback")));
    }

    #[test]
    fn custody_and_pre_sentence_cases_have_no_contact_standard() {
        for case_type in [CaseType::Custody, CaseType::PreSentence] {
            let result = assess(
                &history(),
                &CaseContact {
                    case_type,
                    ..case(date(2026, 1, 5), None, None)
                },
                date(2026, 12, 2),
            );
            assert_eq!(result.standing, Standing::NotApplicable);
        }
    }

    #[test]
    fn the_version_in_force_on_the_day_decides() {
        let mut stricter = ContactStandard::keepsafe_default();
        stricter.effective_from = date(2026, 12, 1);
        stricter.medium.then_every_days = 7;
        let history = StandardHistory::new(vec![ContactStandard::keepsafe_default(), stricter]);
        let case = case(
            date(2026, 1, 5),
            Some(RoshLevel::Medium),
            Some(date(2026, 11, 23)),
        );
        let before = assess(&history, &case, date(2026, 11, 30));
        let after = assess(&history, &case, date(2026, 12, 2));
        assert!(!before.is_behind());
        assert!(after.is_behind());
        assert_eq!(
            after.version.as_deref(),
            Some("contact-standard-2026-12-01")
        );
    }

    #[test]
    fn only_attended_supervision_contacts_count() {
        use ContactOutcome::*;
        let arranged = ContactStatus::Arranged;
        assert!(counts_towards_standard(
            ContactType::HomeVisit,
            arranged,
            Some(Attended)
        ));
        assert!(counts_towards_standard(
            ContactType::OfficeVisit,
            arranged,
            Some(AttendedFailedToComply)
        ));
        assert!(!counts_towards_standard(
            ContactType::OfficeVisit,
            arranged,
            Some(FailedToAttend)
        ));
        assert!(!counts_towards_standard(
            ContactType::OfficeVisit,
            arranged,
            None
        ));
        assert!(!counts_towards_standard(
            ContactType::OfficeVisit,
            ContactStatus::Cancelled,
            Some(Attended)
        ));
        for kind in [
            ContactType::UnpaidWorkSession,
            ContactType::ProgrammeSession,
            ContactType::AssessmentCompleted,
            ContactType::WarningLetter,
            ContactType::PartnerContact,
        ] {
            assert!(
                !counts_towards_standard(kind, arranged, Some(Attended)),
                "{kind:?}"
            );
        }
        assert!(qualifying_types().all(|kind| !kind.is_system_event()));
    }

    #[test]
    fn the_default_agrees_with_the_contact_frequency_indicator_after_the_first_weeks() {
        let standard = ContactStandard::keepsafe_default();
        let indicator = crate::quality::IndicatorRules::default().contacts_per_four_weeks;
        for level in <RoshLevel as CodedValue>::ALL.iter().copied() {
            assert_eq!(
                28 / standard.for_level(level).then_every_days,
                indicator.for_level(level),
                "{level:?}"
            );
        }
    }

    fn typed(early_weeks: u32, early: u32, then: u32) -> TypedLevel {
        TypedLevel {
            early_weeks: Some(early_weeks),
            early_every_days: Some(early),
            then_every_days: Some(then),
        }
    }

    fn levels(medium: TypedLevel) -> [(RoshLevel, TypedLevel); 4] {
        [
            (RoshLevel::Low, typed(8, 7, 28)),
            (RoshLevel::Medium, medium),
            (RoshLevel::High, typed(16, 7, 7)),
            (RoshLevel::VeryHigh, typed(16, 7, 7)),
        ]
    }

    #[test]
    fn a_new_version_in_the_past_is_refused() {
        let errors = validate_version(
            date(2026, 12, 1),
            levels(typed(12, 7, 14)),
            &history(),
            date(2026, 12, 2),
            "Regional policy",
        )
        .unwrap_err();
        assert_eq!(errors[0].field, "effective-from-day");
    }

    #[test]
    fn first_weeks_less_frequent_than_later_are_refused_for_that_level() {
        let errors = validate_version(
            date(2027, 1, 1),
            levels(typed(12, 21, 14)),
            &history(),
            date(2026, 12, 2),
            "Regional policy",
        )
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "medium-early-every-days");
    }

    #[test]
    fn a_missing_or_out_of_range_number_is_refused_with_its_field() {
        let errors = validate_version(
            date(2027, 1, 1),
            levels(TypedLevel {
                early_weeks: None,
                early_every_days: Some(0),
                then_every_days: Some(200),
            }),
            &history(),
            date(2026, 12, 2),
            "",
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "source",
                "medium-early-weeks",
                "medium-early-every-days",
                "medium-then-every-days"
            ]
        );
    }

    #[test]
    fn a_valid_version_is_accepted() {
        let checked = validate_version(
            date(2027, 1, 1),
            levels(typed(12, 7, 10)),
            &history(),
            date(2026, 12, 2),
            "Regional policy",
        )
        .unwrap();
        assert_eq!(checked[1].1.then_every_days, 10);
    }
}
