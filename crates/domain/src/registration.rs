//! Registrations and flags: the alerts on a case that change how it must be managed.

use crate::coded_enum;
use crate::review::ReviewTrigger;
use chrono::{Duration, NaiveDate};
use thiserror::Error;

coded_enum! {
    /// A registration (flag) on a person's record. The list follows the registers the tiering
    /// rules and safeguarding checks read (reference §7 and §10).
    pub enum RegistrationKind ("registration") {
        DomesticAbusePerpetrator => "domestic_abuse_perpetrator", "Domestic abuse perpetrator",
        DomesticAbuseVictim => "domestic_abuse_victim", "Domestic abuse victim",
        ChildProtection => "child_protection", "Child protection concern",
        ChildConcerns => "child_concerns", "Child concerns",
        RiskToChildren => "risk_to_children", "Risk to children",
        Mappa => "mappa", "MAPPA",
        Stalking => "stalking", "Stalking",
        MentalHealthIssues => "mental_health_issues", "Mental health issues",
        SuicideOrSelfHarm => "suicide_self_harm", "Attempted suicide or self-harm",
        Vulnerability => "vulnerability", "Vulnerability",
        AdultAtRisk => "adult_at_risk", "Adult at risk",
        StreetGangs => "street_gangs", "Street gangs",
        TerrorismActOffender => "terrorism_act_offender", "Terrorism Act offender",
        PublicInterest => "public_interest", "Public interest case",
        IntegratedOffenderManagement => "iom", "Integrated offender management",
    }
}

impl RegistrationKind {
    /// Registrations that mean children may be at risk, so children's-services checks are needed.
    pub fn concerns_children(self) -> bool {
        matches!(
            self,
            RegistrationKind::ChildProtection
                | RegistrationKind::ChildConcerns
                | RegistrationKind::RiskToChildren
        )
    }

    /// Only MAPPA registrations carry a category and level.
    pub fn has_mappa_detail(self) -> bool {
        self == RegistrationKind::Mappa
    }
}

coded_enum! {
    /// MAPPA categories (reference §7).
    pub enum MappaCategory ("MAPPA category") {
        RegisteredSexOffender => "1", "Category 1: registered sexual offender",
        ViolentOffender => "2", "Category 2: violent offender",
        OtherDangerous => "3", "Category 3: other dangerous offender",
        Terrorism => "4", "Category 4: terrorism or terrorism risk",
    }
}

coded_enum! {
    /// MAPPA management levels (reference §7).
    pub enum MappaLevel ("MAPPA level") {
        Ordinary => "1", "Level 1: ordinary agency management",
        ActiveMultiAgency => "2", "Level 2: active multi-agency management",
        SeniorOversight => "3", "Level 3: active multi-agency management with senior oversight",
    }
}

impl RegistrationKind {
    /// The change in circumstances a new registration of this kind is, when it means the risk
    /// assessment must be reviewed (reference §3: a new incident; §4: domestic abuse and
    /// children's safeguarding; §7: MAPPA). Other flags change how the case is managed, not the
    /// assessment of harm.
    pub fn review_trigger(self) -> Option<ReviewTrigger> {
        match self {
            RegistrationKind::DomesticAbusePerpetrator | RegistrationKind::DomesticAbuseVictim => {
                Some(ReviewTrigger::DomesticAbuseIncident)
            }
            kind if kind.concerns_children() => Some(ReviewTrigger::ChildProtectionRegistration),
            RegistrationKind::Mappa => Some(ReviewTrigger::MappaChange),
            _ => None,
        }
    }
}

/// How often registrations are reviewed. Reference §7 sets MAPPA's cadence (level 2 at least
/// every 16 weeks, level 3 every 8, "configurable"); other flags, MAPPA level 1 among them, have
/// no statutory cadence, so keepsafe proposes a review after `default_weeks` and refuses a date
/// further than `longest_weeks` away, so that no flag is left unreviewed for years by a slip of
/// the keyboard. The version is stored with each review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegistrationReviewRules {
    pub version: &'static str,
    pub mappa_level_2_weeks: u32,
    pub mappa_level_3_weeks: u32,
    pub default_weeks: u32,
    pub longest_weeks: u32,
}

impl Default for RegistrationReviewRules {
    fn default() -> Self {
        Self {
            version: "keepsafe registration reviews 1 (MAPPA level 2 every 16 weeks, level 3 every 8; other flags proposed at 26 weeks, at most 52)",
            mappa_level_2_weeks: 16,
            mappa_level_3_weeks: 8,
            default_weeks: 26,
            longest_weeks: 52,
        }
    }
}

/// Why a next review date was refused; the message says what to choose instead.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidReviewDate {
    #[error("The next review date must be after {}", long_date(*.from))]
    NotAfter { from: NaiveDate },
    #[error("{level} cases must be reviewed at least every {weeks} weeks: choose a date on or before {}", long_date(*.latest))]
    BeyondMappaCadence {
        level: &'static str,
        weeks: u32,
        latest: NaiveDate,
    },
    #[error("Registrations must be reviewed at least every {weeks} weeks: choose a date on or before {}", long_date(*.latest))]
    BeyondLongest { weeks: u32, latest: NaiveDate },
}

fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

impl RegistrationReviewRules {
    /// The most weeks allowed between reviews of a registration of `kind` at `level`.
    pub fn cadence_weeks(&self, kind: RegistrationKind, level: Option<MappaLevel>) -> u32 {
        match (kind, level) {
            (RegistrationKind::Mappa, Some(MappaLevel::ActiveMultiAgency)) => {
                self.mappa_level_2_weeks
            }
            (RegistrationKind::Mappa, Some(MappaLevel::SeniorOversight)) => {
                self.mappa_level_3_weeks
            }
            _ => self.longest_weeks,
        }
    }

    /// Whether the cadence is MAPPA's (reference §7) rather than keepsafe's longest interval.
    fn is_mappa_cadence(kind: RegistrationKind, level: Option<MappaLevel>) -> bool {
        kind == RegistrationKind::Mappa
            && matches!(
                level,
                Some(MappaLevel::ActiveMultiAgency | MappaLevel::SeniorOversight)
            )
    }

    /// The latest next review allowed after a review (or registration) on `from`.
    pub fn latest_review(
        &self,
        kind: RegistrationKind,
        level: Option<MappaLevel>,
        from: NaiveDate,
    ) -> NaiveDate {
        from + Duration::weeks(i64::from(self.cadence_weeks(kind, level)))
    }

    /// The next review the form proposes: the MAPPA cadence, or `default_weeks` for other flags.
    pub fn proposed_review(
        &self,
        kind: RegistrationKind,
        level: Option<MappaLevel>,
        from: NaiveDate,
    ) -> NaiveDate {
        if Self::is_mappa_cadence(kind, level) {
            self.latest_review(kind, level, from)
        } else {
            from + Duration::weeks(i64::from(self.default_weeks))
        }
    }

    /// Checks the next review date chosen after a review (or registration) on `from`.
    pub fn check_next_review(
        &self,
        kind: RegistrationKind,
        level: Option<MappaLevel>,
        from: NaiveDate,
        next: NaiveDate,
    ) -> Result<NaiveDate, InvalidReviewDate> {
        let latest = self.latest_review(kind, level, from);
        if next <= from {
            Err(InvalidReviewDate::NotAfter { from })
        } else if next <= latest {
            Ok(next)
        } else if Self::is_mappa_cadence(kind, level) {
            Err(InvalidReviewDate::BeyondMappaCadence {
                level: match level {
                    Some(MappaLevel::SeniorOversight) => "MAPPA level 3",
                    _ => "MAPPA level 2",
                },
                weeks: self.cadence_weeks(kind, level),
                latest,
            })
        } else {
            Err(InvalidReviewDate::BeyondLongest {
                weeks: self.longest_weeks,
                latest,
            })
        }
    }
}

/// A registration as the form gives it: MAPPA registrations carry a category and a level, others
/// neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegistrationDetail {
    pub kind: RegistrationKind,
    pub mappa: Option<(MappaCategory, MappaLevel)>,
}

/// Why a registration's MAPPA detail was refused, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidRegistration {
    #[error("Select the MAPPA category")]
    CategoryMissing,
    #[error("Select the MAPPA level")]
    LevelMissing,
}

impl RegistrationDetail {
    /// `kind` with the category and level chosen; they are ignored for flags other than MAPPA
    /// (the form hides them), and both required for MAPPA. Every error is returned.
    pub fn new(
        kind: RegistrationKind,
        category: Option<MappaCategory>,
        level: Option<MappaLevel>,
    ) -> Result<Self, Vec<InvalidRegistration>> {
        if !kind.has_mappa_detail() {
            return Ok(Self { kind, mappa: None });
        }
        match (category, level) {
            (Some(category), Some(level)) => Ok(Self {
                kind,
                mappa: Some((category, level)),
            }),
            (category, level) => Err([
                category
                    .is_none()
                    .then_some(InvalidRegistration::CategoryMissing),
                level.is_none().then_some(InvalidRegistration::LevelMissing),
            ]
            .into_iter()
            .flatten()
            .collect()),
        }
    }

    pub fn level(&self) -> Option<MappaLevel> {
        self.mappa.map(|(_, level)| level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn mappa_level_2_is_reviewed_at_least_every_16_weeks_and_level_3_every_8() {
        let rules = RegistrationReviewRules::default();
        let today = date(2026, 12, 2);
        let level_2 = Some(MappaLevel::ActiveMultiAgency);
        let level_3 = Some(MappaLevel::SeniorOversight);
        assert_eq!(
            rules.proposed_review(RegistrationKind::Mappa, level_2, today),
            date(2027, 3, 24)
        );
        assert_eq!(
            rules.proposed_review(RegistrationKind::Mappa, level_3, today),
            date(2027, 1, 27)
        );
        assert_eq!(
            rules.check_next_review(RegistrationKind::Mappa, level_3, today, date(2027, 1, 27)),
            Ok(date(2027, 1, 27))
        );
        let late = rules
            .check_next_review(RegistrationKind::Mappa, level_3, today, date(2027, 1, 28))
            .unwrap_err();
        assert_eq!(
            late.to_string(),
            "MAPPA level 3 cases must be reviewed at least every 8 weeks: choose a date on or before 27 January 2027"
        );
    }

    #[test]
    fn the_cadence_is_configurable() {
        let rules = RegistrationReviewRules {
            mappa_level_2_weeks: 12,
            ..Default::default()
        };
        assert_eq!(
            rules.latest_review(
                RegistrationKind::Mappa,
                Some(MappaLevel::ActiveMultiAgency),
                date(2026, 12, 2)
            ),
            date(2027, 2, 24)
        );
    }

    #[test]
    fn other_flags_are_proposed_at_26_weeks_and_refused_beyond_52() {
        let rules = RegistrationReviewRules::default();
        let today = date(2026, 12, 2);
        let kind = RegistrationKind::Stalking;
        assert_eq!(rules.proposed_review(kind, None, today), date(2027, 6, 2));
        assert!(matches!(
            rules.check_next_review(kind, None, today, date(2027, 12, 2)),
            Err(InvalidReviewDate::BeyondLongest { weeks: 52, .. })
        ));
        assert_eq!(
            rules.check_next_review(kind, None, today, today),
            Err(InvalidReviewDate::NotAfter { from: today })
        );
        let level_1 = Some(MappaLevel::Ordinary);
        assert_eq!(
            rules.proposed_review(RegistrationKind::Mappa, level_1, today),
            date(2027, 6, 2)
        );
    }

    #[test]
    fn mappa_registrations_need_a_category_and_a_level_and_other_flags_carry_neither() {
        assert_eq!(
            RegistrationDetail::new(RegistrationKind::Mappa, None, None),
            Err(vec![
                InvalidRegistration::CategoryMissing,
                InvalidRegistration::LevelMissing
            ])
        );
        let flag = RegistrationDetail::new(
            RegistrationKind::Stalking,
            Some(MappaCategory::ViolentOffender),
            Some(MappaLevel::Ordinary),
        )
        .unwrap();
        assert_eq!(flag.mappa, None);
    }

    #[test]
    fn domestic_abuse_child_protection_and_mappa_registrations_call_for_a_review() {
        assert_eq!(
            RegistrationKind::DomesticAbusePerpetrator.review_trigger(),
            Some(ReviewTrigger::DomesticAbuseIncident)
        );
        assert_eq!(
            RegistrationKind::ChildProtection.review_trigger(),
            Some(ReviewTrigger::ChildProtectionRegistration)
        );
        assert_eq!(
            RegistrationKind::Mappa.review_trigger(),
            Some(ReviewTrigger::MappaChange)
        );
        assert_eq!(RegistrationKind::Stalking.review_trigger(), None);
    }
}
