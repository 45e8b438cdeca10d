//! Reallocating cases (reference §13: "cover and handover"): moving one case, or a whole caseload,
//! from one practitioner to another — to cover an absence, because someone is leaving, or to
//! even out workloads — with a handover task for each case so nothing is dropped on the way.
//!
//! The rules, exactly:
//! - At least one case, and not to the practitioner who holds them already.
//! - A reason: one of [`TransferReason`], with words saying more (required for "other").
//! - The grade guidance of a new allocation applies to every case moved
//!   ([`super::allocation::needs_probation_officer`]): moving high or very high RoSH, or MAPPA level
//!   2 or 3, cases to anyone but a probation officer needs one recorded reason, and the refusal
//!   names every such case.
//! - The new practitioner gets a handover task for each case, due [`HANDOVER_WORKING_DAYS`] working
//!   days after the move: read the case and arrange to see the person.
//!
//! Every refusal is collected, not just the first, so the form can show them all at once.

use super::allocation::{
    check_override, needs_probation_officer, AllocationCase, AllocationRefused,
};
use crate::coded_enum;
use crate::staff::Grade;
use crate::text::{LongText, TextError};
use crate::CodedValue;
use thiserror::Error;

/// Working days the new practitioner has to pick up a case handed over (the same as for an
/// induction after a first allocation, reference §2).
pub const HANDOVER_WORKING_DAYS: u32 = 5;

/// The title of the handover task.
pub const HANDOVER_TITLE: &str = "Handover: read the case and arrange to see the person";

coded_enum! {
    /// Why cases are being moved.
    pub enum TransferReason ("transfer reason") {
        AbsenceCover => "absence_cover", "Covering an absence",
        Leaving => "leaving", "The practitioner is leaving",
        Rebalancing => "rebalancing", "Evening out workloads",
        ChangeOfCircumstances => "change_of_circumstances", "The case needs a different practitioner",
        Other => "other", "Another reason",
    }
}

/// One case to be moved, with what bears on who should hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseToMove {
    pub crn: String,
    pub case: AllocationCase,
}

/// What a transfer asks for, as the manager entered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferRequest<'a> {
    pub cases: &'a [CaseToMove],
    /// The grade of the practitioner the cases go to.
    pub to_grade: Grade,
    /// Whether the cases would go to the practitioner holding them now.
    pub to_same_practitioner: bool,
    pub reason: Option<TransferReason>,
    pub details: &'a str,
    pub override_reason: &'a str,
}

/// A transfer the rules allow: the reason as recorded, and whether the grade guidance was
/// overridden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovedTransfer {
    pub reason: TransferReason,
    /// "Covering an absence: Sam is on leave until 4 January".
    pub recorded_reason: String,
    /// The override reason, when any case needed a probation officer and is going to someone else.
    pub override_reason: Option<LongText>,
    /// The CRNs whose grade guidance was overridden.
    pub overridden: Vec<String>,
}

/// Why a transfer was refused; each names the form field that fixes it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TransferRefused {
    #[error("Select at least one case to move")]
    NoCases,
    #[error("Choose someone other than the practitioner who holds the cases now")]
    SamePractitioner,
    #[error("{0}")]
    NotAPractitioner(AllocationRefused),
    #[error("Select why the cases are being moved")]
    NoReason,
    #[error("Enter the reason for moving the cases")]
    DetailsNeeded,
    #[error("The reason {0}")]
    Details(TextError),
    #[error(
        "{} should go to a probation officer: record why they should go to a {} instead",
        .crns.join(", "),
        .grade.label().to_lowercase()
    )]
    OverrideNeeded { crns: Vec<String>, grade: Grade },
    #[error("The reason for overriding the grade guidance {0}")]
    Override(TextError),
}

impl TransferRefused {
    /// The form field the refusal belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            TransferRefused::NoCases => "cases",
            TransferRefused::SamePractitioner | TransferRefused::NotAPractitioner(_) => "to",
            TransferRefused::NoReason => "reason",
            TransferRefused::DetailsNeeded | TransferRefused::Details(_) => "details",
            TransferRefused::OverrideNeeded { .. } | TransferRefused::Override(_) => {
                "override-reason"
            }
        }
    }
}

/// Checks a transfer against the rules above, returning every refusal at once.
pub fn check_transfer(
    request: &TransferRequest<'_>,
) -> Result<ApprovedTransfer, Vec<TransferRefused>> {
    let mut refused = Vec::new();
    if request.cases.is_empty() {
        refused.push(TransferRefused::NoCases);
    }
    if request.to_same_practitioner {
        refused.push(TransferRefused::SamePractitioner);
    }
    if !request.to_grade.holds_caseload() {
        refused.push(TransferRefused::NotAPractitioner(
            AllocationRefused::NotAPractitioner {
                grade: request.to_grade,
            },
        ));
    }
    let details = reason_details(request, &mut refused);
    let (overridden, override_reason) = guidance(request, &mut refused);
    match (refused.is_empty(), request.reason, details) {
        (true, Some(reason), Some(details)) => Ok(ApprovedTransfer {
            reason,
            recorded_reason: if details.is_empty() {
                reason.label().to_owned()
            } else {
                format!("{}: {}", reason.label(), details.as_str())
            },
            override_reason,
            overridden,
        }),
        _ => Err(refused),
    }
}

fn reason_details(
    request: &TransferRequest<'_>,
    refused: &mut Vec<TransferRefused>,
) -> Option<LongText> {
    let parsed = match request.reason {
        None => {
            refused.push(TransferRefused::NoReason);
            LongText::optional(request.details)
        }
        Some(TransferReason::Other) => LongText::required(request.details),
        Some(_) => LongText::optional(request.details),
    };
    match parsed {
        Ok(details) => Some(details),
        Err(TextError::Missing) => {
            refused.push(TransferRefused::DetailsNeeded);
            None
        }
        Err(error) => {
            refused.push(TransferRefused::Details(error));
            None
        }
    }
}

fn guidance(
    request: &TransferRequest<'_>,
    refused: &mut Vec<TransferRefused>,
) -> (Vec<String>, Option<LongText>) {
    if !request.to_grade.holds_caseload() {
        return (Vec::new(), None);
    }
    let needing: Vec<String> = request
        .cases
        .iter()
        .filter(|c| needs_probation_officer(&c.case).is_some())
        .filter(|c| check_override(request.to_grade, &c.case, "").is_err())
        .map(|c| c.crn.clone())
        .collect();
    if needing.is_empty() {
        return (Vec::new(), None);
    }
    match LongText::required(request.override_reason) {
        Ok(reason) => (needing, Some(reason)),
        Err(TextError::Missing) => {
            refused.push(TransferRefused::OverrideNeeded {
                crns: needing,
                grade: request.to_grade,
            });
            (Vec::new(), None)
        }
        Err(error) => {
            refused.push(TransferRefused::Override(error));
            (Vec::new(), None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::MappaLevel;
    use crate::rosh::RoshLevel;

    fn case(crn: &str, rosh: RoshLevel) -> CaseToMove {
        CaseToMove {
            crn: crn.to_owned(),
            case: AllocationCase {
                rosh: Some(rosh),
                mappa_level: None,
            },
        }
    }

    fn request<'a>(cases: &'a [CaseToMove], to_grade: Grade) -> TransferRequest<'a> {
        TransferRequest {
            cases,
            to_grade,
            to_same_practitioner: false,
            reason: Some(TransferReason::AbsenceCover),
            details: "On leave until 4 January",
            override_reason: "",
        }
    }

    #[test]
    fn covering_an_absence_records_the_reason_with_its_details() {
        let cases = [case("M100001", RoshLevel::Medium)];
        let approved = check_transfer(&request(&cases, Grade::ProbationServiceOfficer)).unwrap();
        assert_eq!(
            approved.recorded_reason,
            "Covering an absence: On leave until 4 January"
        );
        assert_eq!(approved.override_reason, None);
    }

    #[test]
    fn moving_high_risk_cases_to_a_probation_services_officer_needs_a_reason_naming_each_case() {
        let cases = [
            case("M100001", RoshLevel::High),
            case("M100002", RoshLevel::Low),
            CaseToMove {
                crn: "M100003".into(),
                case: AllocationCase {
                    rosh: Some(RoshLevel::Low),
                    mappa_level: Some(MappaLevel::ActiveMultiAgency),
                },
            },
        ];
        let refused = check_transfer(&request(&cases, Grade::ProbationServiceOfficer)).unwrap_err();
        assert_eq!(
            refused,
            vec![TransferRefused::OverrideNeeded {
                crns: vec!["M100001".into(), "M100003".into()],
                grade: Grade::ProbationServiceOfficer
            }]
        );
        assert_eq!(
            refused[0].to_string(),
            "M100001, M100003 should go to a probation officer: record why they should go to a \
             probation services officer instead"
        );
        assert_eq!(refused[0].field(), "override-reason");

        let mut with_reason = request(&cases, Grade::ProbationServiceOfficer);
        with_reason.override_reason = "Experienced PSO, two weeks only";
        let approved = check_transfer(&with_reason).unwrap();
        assert_eq!(approved.overridden, ["M100001", "M100003"]);
        assert!(approved.override_reason.is_some());
    }

    #[test]
    fn moving_high_risk_cases_to_a_probation_officer_needs_no_override() {
        let cases = [case("M100001", RoshLevel::VeryHigh)];
        assert!(check_transfer(&request(&cases, Grade::ProbationOfficer)).is_ok());
    }

    #[test]
    fn a_transfer_with_nothing_chosen_lists_every_missing_answer() {
        let transfer = TransferRequest {
            cases: &[],
            to_grade: Grade::ProbationOfficer,
            to_same_practitioner: true,
            reason: None,
            details: "",
            override_reason: "",
        };
        let refused = check_transfer(&transfer).unwrap_err();
        assert_eq!(
            refused,
            vec![
                TransferRefused::NoCases,
                TransferRefused::SamePractitioner,
                TransferRefused::NoReason
            ]
        );
    }

    #[test]
    fn another_reason_must_be_explained() {
        let cases = [case("M100001", RoshLevel::Low)];
        let mut transfer = request(&cases, Grade::ProbationOfficer);
        transfer.reason = Some(TransferReason::Other);
        transfer.details = "  ";
        assert_eq!(
            check_transfer(&transfer).unwrap_err(),
            vec![TransferRefused::DetailsNeeded]
        );
    }

    #[test]
    fn cases_cannot_go_to_someone_who_holds_no_caseload() {
        let cases = [case("M100001", RoshLevel::Low)];
        let refused = check_transfer(&request(&cases, Grade::SeniorProbationOfficer)).unwrap_err();
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].field(), "to");
    }
}
