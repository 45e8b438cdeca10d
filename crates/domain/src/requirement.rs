//! Requirements of community and suspended sentence orders (reference §2).

use crate::coded_enum;
use chrono::{Months, NaiveDate};
use thiserror::Error;

coded_enum! {
    /// The requirements a court can attach to a community or suspended sentence order.
    pub enum RequirementKind ("requirement") {
        UnpaidWork => "unpaid_work", "Unpaid work",
        RehabilitationActivity => "rehabilitation_activity", "Rehabilitation activity",
        AccreditedProgramme => "accredited_programme", "Accredited programme",
        Curfew => "curfew", "Curfew",
        Exclusion => "exclusion", "Exclusion",
        Residence => "residence", "Residence",
        DrugRehabilitation => "drug_rehabilitation", "Drug rehabilitation",
        AlcoholTreatment => "alcohol_treatment", "Alcohol treatment",
        MentalHealthTreatment => "mental_health_treatment", "Mental health treatment",
        ProhibitedActivity => "prohibited_activity", "Prohibited activity",
    }
}

impl RequirementKind {
    /// The unit the requirement's length is expressed in, if it has one.
    pub fn length_unit(self) -> Option<LengthUnit> {
        match self {
            RequirementKind::UnpaidWork => Some(LengthUnit::Hours),
            RequirementKind::RehabilitationActivity => Some(LengthUnit::Days),
            RequirementKind::AccreditedProgramme => Some(LengthUnit::Sessions),
            RequirementKind::Curfew
            | RequirementKind::Exclusion
            | RequirementKind::Residence
            | RequirementKind::DrugRehabilitation
            | RequirementKind::AlcoholTreatment
            | RequirementKind::MentalHealthTreatment
            | RequirementKind::ProhibitedActivity => Some(LengthUnit::Months),
        }
    }

    /// Whether an active requirement of this kind gives a mandate for change on the legacy tier's
    /// change axis. Reference §10: there is no mandate for change when there is no custodial
    /// sentence and no requirement other than unpaid work or restrictive ones, so unpaid work and
    /// the restrictive requirements (curfew, exclusion, prohibited activity) give none and every
    /// other requirement gives one.
    pub fn gives_mandate_for_change(self) -> bool {
        !matches!(
            self,
            RequirementKind::UnpaidWork
                | RequirementKind::Curfew
                | RequirementKind::Exclusion
                | RequirementKind::ProhibitedActivity
        )
    }
}

coded_enum! {
    /// Units a requirement's length is measured in.
    pub enum LengthUnit ("length unit") {
        Hours => "hours", "hours",
        Days => "days", "days",
        Sessions => "sessions", "sessions",
        Months => "months", "months",
    }
}

/// Why an unpaid work order was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("Unpaid work must be between 40 and 300 hours")]
pub struct InvalidUnpaidWorkHours;

/// The hours a court may order: 40 to 300 (Sentencing Act 2020, Schedule 9).
pub fn validate_unpaid_work_hours(hours: u32) -> Result<u32, InvalidUnpaidWorkHours> {
    if (40..=300).contains(&hours) {
        Ok(hours)
    } else {
        Err(InvalidUnpaidWorkHours)
    }
}

/// The rule for when unpaid work must be finished. Unpaid work must be completed within 12 months
/// of the order; a 2026 Act removes that limit once commenced. The commencement date is reference
/// data, so the same order is judged by the rule in force on its sentence date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnpaidWorkCompletionRule {
    /// The day the 12-month limit stops applying to new orders, once it is known.
    pub limit_removed_from: Option<NaiveDate>,
}

impl UnpaidWorkCompletionRule {
    /// The date unpaid work must be completed by, or `None` when no limit applies.
    pub fn complete_by(self, sentence_date: NaiveDate) -> Option<NaiveDate> {
        match self.limit_removed_from {
            Some(commenced) if sentence_date >= commenced => None,
            _ => sentence_date.checked_add_months(Months::new(12)),
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
    fn unpaid_work_outside_40_to_300_hours_is_refused() {
        assert_eq!(validate_unpaid_work_hours(39), Err(InvalidUnpaidWorkHours));
        assert_eq!(validate_unpaid_work_hours(301), Err(InvalidUnpaidWorkHours));
        assert_eq!(validate_unpaid_work_hours(40), Ok(40));
        assert_eq!(validate_unpaid_work_hours(300), Ok(300));
    }

    #[test]
    fn unpaid_work_is_due_within_twelve_months_until_the_limit_is_removed() {
        let rule = UnpaidWorkCompletionRule {
            limit_removed_from: Some(date(2027, 4, 1)),
        };
        assert_eq!(rule.complete_by(date(2026, 5, 10)), Some(date(2027, 5, 10)));
        assert_eq!(rule.complete_by(date(2027, 4, 1)), None);
    }

    #[test]
    fn with_no_commencement_date_the_twelve_month_limit_applies() {
        let rule = UnpaidWorkCompletionRule {
            limit_removed_from: None,
        };
        assert_eq!(rule.complete_by(date(2030, 1, 31)), Some(date(2031, 1, 31)));
    }

    #[test]
    fn unpaid_work_and_restrictive_requirements_give_no_mandate_for_change() {
        assert!(!RequirementKind::UnpaidWork.gives_mandate_for_change());
        assert!(!RequirementKind::Curfew.gives_mandate_for_change());
        assert!(!RequirementKind::Exclusion.gives_mandate_for_change());
        assert!(!RequirementKind::ProhibitedActivity.gives_mandate_for_change());
        assert!(RequirementKind::RehabilitationActivity.gives_mandate_for_change());
        assert!(RequirementKind::Residence.gives_mandate_for_change());
    }
}
