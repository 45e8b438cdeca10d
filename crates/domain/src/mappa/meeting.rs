//! A MAPPA meeting as recorded after it was held: who came, what was decided, and when the
//! agencies meet again. The checks make the record useful to the next meeting and to an
//! inspector: a multi-agency meeting with no other agency present is not one, and a next
//! meeting beyond the level's cadence would leave the case unreviewed.

use crate::coded_enum;
use crate::registration::{
    InvalidReviewDate, MappaCategory, MappaLevel, RegistrationKind, RegistrationReviewRules,
};
use crate::text::LongText;
use crate::CodedValue;
use chrono::NaiveDate;
use thiserror::Error;

coded_enum! {
    /// The agencies at a MAPPA meeting: the responsible authority (police, probation, prisons)
    /// and the agencies with a duty to co-operate (Criminal Justice Act 2003, s.325).
    pub enum MappaAgency ("agency") {
        Police => "police", "Police",
        Probation => "probation", "Probation",
        Prison => "prison", "Prison service",
        ChildrensServices => "childrens_services", "Children's services",
        AdultSocialCare => "adult_social_care", "Adult social care",
        Housing => "housing", "Housing",
        Health => "health", "Health, including mental health",
        YouthJustice => "youth_justice", "Youth justice",
        Education => "education", "Education",
        JobcentrePlus => "jobcentre_plus", "Jobcentre Plus",
        ElectronicMonitoring => "electronic_monitoring", "Electronic monitoring",
    }
}

/// A meeting as the form gives it, before the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingDraft {
    pub held_on: Option<NaiveDate>,
    pub category: Option<MappaCategory>,
    pub level: Option<MappaLevel>,
    pub chair: String,
    pub agencies: Vec<MappaAgency>,
    pub decisions: String,
    /// Left empty, the next meeting is the one the cadence proposes.
    pub next_meeting_on: Option<NaiveDate>,
}

/// A meeting that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFacts {
    pub held_on: NaiveDate,
    pub category: MappaCategory,
    pub level: MappaLevel,
    pub chair: String,
    pub agencies: Vec<MappaAgency>,
    pub decisions: LongText,
    pub next_meeting_on: NaiveDate,
    /// The rules the next meeting was checked against, stored with the review.
    pub rule_version: &'static str,
}

/// Why a meeting was refused. Each names the field to correct.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidMeeting {
    #[error("Enter the date the meeting was held")]
    HeldOnMissing,
    #[error("The date the meeting was held must be today or in the past")]
    HeldInFuture,
    #[error("The date the meeting was held must be on or after the case was registered under MAPPA, {0}")]
    HeldBeforeRegistration(String),
    #[error("Select the MAPPA category the meeting confirmed")]
    CategoryMissing,
    #[error("Select the MAPPA level the meeting decided")]
    LevelMissing,
    #[error("Enter the name of the person who chaired the meeting")]
    ChairMissing,
    #[error("The chair's name must be 100 characters or fewer")]
    ChairTooLong,
    #[error("Select the agencies at the meeting: a MAPPA meeting has probation and at least one other agency")]
    TooFewAgencies,
    #[error("Enter what the meeting decided and the actions agreed")]
    DecisionsMissing,
    #[error("What the meeting decided must be {max} characters or fewer (it is {actual})")]
    DecisionsTooLong { max: usize, actual: usize },
    #[error("What the meeting decided {0}")]
    DecisionsText(crate::text::TextError),
    #[error("{0}")]
    NextMeeting(InvalidReviewDate),
}

impl InvalidMeeting {
    /// The form field the error belongs to, for the error summary's link.
    pub fn field(&self) -> &'static str {
        match self {
            Self::HeldOnMissing | Self::HeldInFuture | Self::HeldBeforeRegistration(_) => {
                "held-day"
            }
            Self::CategoryMissing => "category",
            Self::LevelMissing => "level",
            Self::ChairMissing | Self::ChairTooLong => "chair",
            Self::TooFewAgencies => "agencies",
            Self::DecisionsMissing | Self::DecisionsTooLong { .. } | Self::DecisionsText(_) => {
                "decisions"
            }
            Self::NextMeeting(_) => "next_meeting-day",
        }
    }
}

const CHAIR_MAX_CHARS: usize = 100;

impl MeetingDraft {
    /// Checks the meeting against the registration it reviews (registered on `registered_on`)
    /// and `today`, returning every problem at once so the form can list them all.
    pub fn check(
        &self,
        registered_on: NaiveDate,
        today: NaiveDate,
        rules: &RegistrationReviewRules,
    ) -> Result<MeetingFacts, Vec<InvalidMeeting>> {
        let mut errors = Vec::new();
        let held_on = self.checked_held_on(registered_on, today, &mut errors);
        if self.category.is_none() {
            errors.push(InvalidMeeting::CategoryMissing);
        }
        if self.level.is_none() {
            errors.push(InvalidMeeting::LevelMissing);
        }
        let chair = self.chair.trim().to_owned();
        if chair.is_empty() {
            errors.push(InvalidMeeting::ChairMissing);
        } else if chair.chars().count() > CHAIR_MAX_CHARS {
            errors.push(InvalidMeeting::ChairTooLong);
        }
        let agencies = self.checked_agencies(&mut errors);
        let decisions = match LongText::required(&self.decisions) {
            Ok(text) => Some(text),
            Err(crate::text::TextError::Missing) => {
                errors.push(InvalidMeeting::DecisionsMissing);
                None
            }
            Err(crate::text::TextError::TooLong { max, actual }) => {
                errors.push(InvalidMeeting::DecisionsTooLong { max, actual });
                None
            }
            Err(problem) => {
                errors.push(InvalidMeeting::DecisionsText(problem));
                None
            }
        };
        let next = match (held_on, self.level) {
            (Some(held_on), Some(level)) => match self.next_meeting(held_on, level, rules) {
                Ok(next) => Some(next),
                Err(error) => {
                    errors.push(InvalidMeeting::NextMeeting(error));
                    None
                }
            },
            _ => None,
        };
        match (held_on, self.category, self.level, decisions, next) {
            (Some(held_on), Some(category), Some(level), Some(decisions), Some(next))
                if errors.is_empty() =>
            {
                Ok(MeetingFacts {
                    held_on,
                    category,
                    level,
                    chair,
                    agencies,
                    decisions,
                    next_meeting_on: next,
                    rule_version: rules.version,
                })
            }
            _ => Err(errors),
        }
    }

    fn checked_held_on(
        &self,
        registered_on: NaiveDate,
        today: NaiveDate,
        errors: &mut Vec<InvalidMeeting>,
    ) -> Option<NaiveDate> {
        match self.held_on {
            None => errors.push(InvalidMeeting::HeldOnMissing),
            Some(held) if held > today => errors.push(InvalidMeeting::HeldInFuture),
            Some(held) if held < registered_on => {
                errors.push(InvalidMeeting::HeldBeforeRegistration(
                    registered_on.format("%-d %B %Y").to_string(),
                ))
            }
            Some(held) => return Some(held),
        }
        None
    }

    /// The agencies present, each once, in the catalogue's order. Probation is always there (it
    /// is probation's record of the meeting), and one more agency makes it multi-agency.
    fn checked_agencies(&self, errors: &mut Vec<InvalidMeeting>) -> Vec<MappaAgency> {
        let agencies: Vec<MappaAgency> = MappaAgency::ALL
            .iter()
            .copied()
            .filter(|agency| self.agencies.contains(agency))
            .collect();
        let others = agencies
            .iter()
            .filter(|agency| **agency != MappaAgency::Probation)
            .count();
        if !agencies.contains(&MappaAgency::Probation) || others == 0 {
            errors.push(InvalidMeeting::TooFewAgencies);
        }
        agencies
    }

    /// The next meeting: the one chosen, checked against the level's cadence from the day this
    /// one was held, or the latest the cadence allows when none was chosen.
    fn next_meeting(
        &self,
        held_on: NaiveDate,
        level: MappaLevel,
        rules: &RegistrationReviewRules,
    ) -> Result<NaiveDate, InvalidReviewDate> {
        match self.next_meeting_on {
            None => Ok(rules.proposed_review(RegistrationKind::Mappa, Some(level), held_on)),
            Some(next) => {
                rules.check_next_review(RegistrationKind::Mappa, Some(level), held_on, next)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn draft() -> MeetingDraft {
        MeetingDraft {
            held_on: Some(date(2026, 11, 30)),
            category: Some(MappaCategory::ViolentOffender),
            level: Some(MappaLevel::ActiveMultiAgency),
            chair: "DI Morgan".into(),
            agencies: vec![MappaAgency::Police, MappaAgency::Probation],
            decisions: "Exclusion zone to be proposed; police to visit monthly.".into(),
            next_meeting_on: None,
        }
    }

    fn check(draft: &MeetingDraft) -> Result<MeetingFacts, Vec<InvalidMeeting>> {
        draft.check(
            date(2026, 1, 5),
            date(2026, 12, 2),
            &RegistrationReviewRules::default(),
        )
    }

    #[test]
    fn a_level_2_meeting_without_a_next_date_is_followed_by_one_sixteen_weeks_later() {
        let facts = check(&draft()).unwrap();
        assert_eq!(facts.next_meeting_on, date(2027, 3, 22));
    }

    #[test]
    fn a_level_3_meeting_is_followed_by_one_within_eight_weeks() {
        let mut level_3 = draft();
        level_3.level = Some(MappaLevel::SeniorOversight);
        assert_eq!(check(&level_3).unwrap().next_meeting_on, date(2027, 1, 25));
        level_3.next_meeting_on = Some(date(2027, 2, 1));
        let errors = check(&level_3).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field(), "next_meeting-day");
        assert!(
            errors[0].to_string().contains("every 8 weeks"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn a_meeting_with_probation_alone_is_not_multi_agency_and_is_refused() {
        let mut alone = draft();
        alone.agencies = vec![MappaAgency::Probation];
        assert_eq!(
            check(&alone).unwrap_err(),
            vec![InvalidMeeting::TooFewAgencies]
        );
    }

    #[test]
    fn a_meeting_in_the_future_or_before_registration_is_refused() {
        let mut future = draft();
        future.held_on = Some(date(2026, 12, 3));
        assert_eq!(
            check(&future).unwrap_err(),
            vec![InvalidMeeting::HeldInFuture]
        );
        let mut before = draft();
        before.held_on = Some(date(2026, 1, 4));
        assert_eq!(
            check(&before).unwrap_err(),
            vec![InvalidMeeting::HeldBeforeRegistration(
                "5 January 2026".into()
            )]
        );
    }

    #[test]
    fn every_missing_field_is_named_at_once() {
        let empty = MeetingDraft {
            held_on: None,
            category: None,
            level: None,
            chair: " ".into(),
            agencies: vec![],
            decisions: String::new(),
            next_meeting_on: None,
        };
        let fields: Vec<&str> = check(&empty)
            .unwrap_err()
            .iter()
            .map(InvalidMeeting::field)
            .collect();
        assert_eq!(
            fields,
            vec![
                "held-day",
                "category",
                "level",
                "chair",
                "agencies",
                "decisions"
            ]
        );
    }

    #[test]
    fn agencies_are_kept_once_each_in_the_catalogue_order() {
        let mut repeated = draft();
        repeated.agencies = vec![
            MappaAgency::Housing,
            MappaAgency::Probation,
            MappaAgency::Police,
            MappaAgency::Housing,
        ];
        assert_eq!(
            check(&repeated).unwrap().agencies,
            vec![
                MappaAgency::Police,
                MappaAgency::Probation,
                MappaAgency::Housing
            ]
        );
    }

    #[test]
    fn a_meeting_that_lowers_the_case_to_level_1_sets_a_review_within_the_longest_interval() {
        let mut lowered = draft();
        lowered.level = Some(MappaLevel::Ordinary);
        assert_eq!(check(&lowered).unwrap().next_meeting_on, date(2027, 5, 31));
    }
}
