//! Court work (reference §2, §4, §5, §12): the court lists of hearings by court and day, the
//! pre-sentence reports written for them, the proposal's gate on curfews and other requirements at
//! an address, the reports' timeliness and quality indicators, and the sentence the court passes.
//! Inspectors rated court work Inadequate for reports written without the police and
//! children's-services information; these rules make that information a condition of the proposal.

pub mod hearing;
pub mod proposal;
pub mod quality;
pub mod register;
pub mod report;
pub mod rules;
pub mod sentence;

pub use hearing::{
    match_case, parse_list, Candidate, CaseMatch, HearingLine, LineError, RawLine, RowError,
    LIST_COLUMNS, MAX_ROWS,
};
pub use proposal::{
    at_an_address, check_proposal, CheckState, OccupierState, ProposalFacts, ProposalGap,
};
pub use quality::{indicators, Indicator, ReportFacts};
pub use register::{check_new_court, InvalidCourt, NewCourt};
pub use report::{AdjournmentOutcome, ReportStatus, ReportType};
pub use rules::{CourtRules, COURT_RULE_VERSION};
pub use sentence::{Sentence, INDUCTION_WORKING_DAYS};

#[cfg(test)]
mod tests {
    use crate::access::{decide, Action, Actor, CourtLocation, Decision, Refusal};
    use crate::staff::Grade;
    use uuid::Uuid;

    fn actor(grade: Grade, pdu: u128) -> Actor {
        Actor {
            staff_id: Uuid::from_u128(1),
            grade,
            region: Uuid::from_u128(2),
            pdu: Some(Uuid::from_u128(pdu)),
            team: Some(Uuid::from_u128(4)),
        }
    }

    const COURT: CourtLocation = CourtLocation {
        region: Uuid::from_u128(2),
        pdu: Uuid::from_u128(3),
    };

    #[test]
    fn practitioners_senior_officers_and_heads_of_the_courts_pdu_do_its_court_work() {
        for grade in [
            Grade::ProbationOfficer,
            Grade::ProbationServiceOfficer,
            Grade::TraineeOfficer,
            Grade::SeniorProbationOfficer,
            Grade::HeadOfPdu,
        ] {
            assert!(
                decide(&actor(grade, 3), Action::CourtWork(&COURT)).is_allowed(),
                "{grade:?}"
            );
            assert_eq!(
                decide(&actor(grade, 9), Action::CourtWork(&COURT)),
                Decision::Refused(Refusal::OutsidePdu),
                "{grade:?} of another PDU"
            );
        }
    }

    #[test]
    fn other_grades_do_no_court_work() {
        for grade in [
            Grade::VictimLiaisonOfficer,
            Grade::QualityInspection,
            Grade::Administrator,
            Grade::PartnerUser,
        ] {
            assert_eq!(
                decide(&actor(grade, 3), Action::CourtWork(&COURT)),
                Decision::Refused(Refusal::GradeNotPermitted(grade))
            );
            assert!(!decide(&actor(grade, 3), Action::ViewCourtLists).is_allowed());
        }
    }
}
