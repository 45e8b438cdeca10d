//! Allocating a new case (reference §9): the allocation screen shows each practitioner's potential
//! capacity with the new case added, lists probation officers, then probation services officers,
//! then trainees, lowest potential capacity first, and guides the manager on grade.
//!
//! The rules, exactly:
//! - **Candidates.** Only practitioner grades hold a caseload ([`Grade::holds_caseload`]); anyone
//!   else passed in is left out of the ranking.
//! - **Potential capacity** = (current points + the new case's points) ÷ available points × 100.
//!   Someone with no available points has none; they are listed last in their grade.
//! - **Order.** By grade (probation officers, probation services officers, trainees); within a
//!   grade, lowest potential capacity first. Candidates whose potential capacity is the same when
//!   shown to one decimal place are *equals*: among equals, the practitioner who managed the
//!   person before comes first (continuity), then the lower exact capacity, then the order given.
//! - **Grade guidance.** High or very high RoSH, or MAPPA level 2 or 3, should go to a probation
//!   officer. No rule stops a probation services officer or trainee holding such a case — the
//!   manager judges it — so they are listed with guidance, and allocating to them needs a recorded
//!   reason ([`check_override`]).
//! - **Recommended.** At most one candidate: the *first in the order above* who has no grade
//!   guidance against them and would stay within capacity (potential capacity at most
//!   [`FULL_CAPACITY_PERCENT`]) with the case — so the tag always agrees with the list: everyone
//!   listed above the recommended candidate has guidance against them or would go over capacity.
//!   For an ordinary case that is usually a probation officer; a probation services officer when
//!   every probation officer would go over. Nobody is recommended when nobody qualifies.
//! - **Over capacity.** A candidate whose potential capacity is above [`FULL_CAPACITY_PERCENT`] is
//!   flagged, so the screen can warn in words.

use super::{format_percent, format_points, Explanation};
use crate::codes::CodedValue;
use crate::registration::MappaLevel;
use crate::rosh::RoshLevel;
use crate::staff::Grade;
use crate::text::{LongText, TextError};
use std::cmp::Ordering;
use thiserror::Error;
use uuid::Uuid;

/// The version of the allocation rules in this module; stored beside every ranking.
pub const ALLOCATION_RULE_VERSION: &str = "allocation-ranking/1";

/// Potential capacity above this is over capacity: the candidate is warned about and not
/// recommended.
pub const FULL_CAPACITY_PERCENT: f64 = 100.0;

/// A practitioner who could take the new case, with their workload now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub staff_id: Uuid,
    pub grade: Grade,
    /// Total workload points held now.
    pub current_points: u32,
    /// Available points ([`super::capacity::available_points`]).
    pub available_points: u32,
    /// Whether they managed this person before.
    pub previously_managed: bool,
}

/// What about the new case bears on who should hold it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AllocationCase {
    pub rosh: Option<RoshLevel>,
    pub mappa_level: Option<MappaLevel>,
}

/// A candidate in the order the allocation screen lists them, with what the manager should know.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedCandidate {
    pub staff_id: Uuid,
    pub grade: Grade,
    /// Total workload points held now.
    pub current_points: u32,
    /// Current points plus the new case's points.
    pub potential_points: u32,
    pub available_points: u32,
    /// Potential capacity % with the new case added; `None` with no available points.
    pub potential_percent: Option<f64>,
    /// Managed this person before: flagged, and preferred among equals.
    pub previously_managed: bool,
    /// Grade guidance against allocating to this candidate, shown beside them.
    pub guidance: Option<String>,
    pub recommended: bool,
    pub explanation: Explanation,
}

impl RankedCandidate {
    /// Whether the new case would take them over capacity.
    pub fn over_capacity(&self) -> bool {
        self.potential_percent
            .is_some_and(|percent| percent > FULL_CAPACITY_PERCENT)
    }
}

/// Why the case should go to a probation officer, as the guidance names it ("High RoSH",
/// "MAPPA level 2", "Very high RoSH and MAPPA level 3"); `None` when any practitioner may hold it.
pub fn needs_probation_officer(case: &AllocationCase) -> Option<String> {
    let rosh = match case.rosh {
        Some(RoshLevel::High) => Some("High RoSH"),
        Some(RoshLevel::VeryHigh) => Some("Very high RoSH"),
        _ => None,
    };
    let mappa = match case.mappa_level {
        Some(level @ (MappaLevel::ActiveMultiAgency | MappaLevel::SeniorOversight)) => {
            Some(format!("MAPPA level {}", level.code()))
        }
        _ => None,
    };
    match (rosh, mappa) {
        (Some(rosh), Some(mappa)) => Some(format!("{rosh} and {mappa}")),
        (Some(rosh), None) => Some(rosh.to_owned()),
        (None, Some(mappa)) => Some(mappa),
        (None, None) => None,
    }
}

/// The guidance shown beside a candidate of this grade, if any.
fn grade_guidance(grade: Grade, case: &AllocationCase) -> Option<String> {
    if grade == Grade::ProbationOfficer {
        return None;
    }
    needs_probation_officer(case)
        .map(|why| format!("{why}: allocate to a probation officer unless you record a reason"))
}

/// Where a grade is listed: probation officers, then probation services officers, then trainees.
/// `None` for grades that hold no caseload.
fn grade_rank(grade: Grade) -> Option<u8> {
    match grade {
        Grade::ProbationOfficer => Some(0),
        Grade::ProbationServiceOfficer => Some(1),
        Grade::TraineeOfficer => Some(2),
        _ => None,
    }
}

/// How the grade's group is named in explanations.
fn grade_group(grade: Grade) -> &'static str {
    match grade {
        Grade::ProbationOfficer => "probation officers",
        Grade::ProbationServiceOfficer => "probation services officers",
        _ => "trainees",
    }
}

/// A potential capacity in tenths of a percent, as shown: candidates with the same are equals.
fn shown_tenths(percent: f64) -> i64 {
    (percent * 10.0).round() as i64
}

/// Orders two candidates' potential capacity: lowest first, none last; equals (the same to one
/// decimal place) by continuity, then exact capacity.
fn by_capacity(a: &RankedCandidate, b: &RankedCandidate) -> Ordering {
    match (a.potential_percent, b.potential_percent) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => shown_tenths(x)
            .cmp(&shown_tenths(y))
            .then(b.previously_managed.cmp(&a.previously_managed))
            .then(x.total_cmp(&y)),
    }
}

/// The candidates for a new case scoring `new_case_points`, in the order the allocation screen
/// lists them, each with potential capacity, guidance, continuity and whether recommended (see the
/// module documentation for the exact rules). Non-practitioners are left out.
pub fn rank(
    candidates: &[Candidate],
    new_case_points: u32,
    case: &AllocationCase,
) -> Vec<RankedCandidate> {
    let needs_po = needs_probation_officer(case);
    let mut ranked: Vec<RankedCandidate> = candidates
        .iter()
        .filter(|candidate| candidate.grade.holds_caseload())
        .map(|candidate| {
            let potential_points = candidate.current_points.saturating_add(new_case_points);
            let potential_percent =
                super::capacity::capacity_percent(potential_points, candidate.available_points);
            RankedCandidate {
                staff_id: candidate.staff_id,
                grade: candidate.grade,
                current_points: candidate.current_points,
                potential_points,
                available_points: candidate.available_points,
                potential_percent,
                previously_managed: candidate.previously_managed,
                guidance: grade_guidance(candidate.grade, case),
                recommended: false,
                explanation: Explanation::new(ALLOCATION_RULE_VERSION)
                    .input("Grade", candidate.grade.label())
                    .input("Current points", format_points(candidate.current_points))
                    .input("New case points", format_points(new_case_points))
                    .input(
                        "Available points",
                        format_points(candidate.available_points),
                    )
                    .input(
                        "Managed this person before",
                        if candidate.previously_managed {
                            "Yes"
                        } else {
                            "No"
                        },
                    )
                    .input(
                        "RoSH",
                        case.rosh.map_or("Not assessed", |rosh| rosh.label()),
                    )
                    .input(
                        "MAPPA level",
                        case.mappa_level.map_or("None", |level| level.code()),
                    ),
            }
        })
        .collect();

    // Stable: candidates that compare equal keep the order given.
    ranked.sort_by(|a, b| {
        grade_rank(a.grade)
            .cmp(&grade_rank(b.grade))
            .then_with(|| by_capacity(a, b))
    });

    let recommended = ranked.iter().position(|candidate| {
        candidate.guidance.is_none()
            && candidate.potential_percent.is_some()
            && !candidate.over_capacity()
    });

    for (i, candidate) in ranked.iter_mut().enumerate() {
        candidate.recommended = recommended == Some(i);
        let group = grade_group(candidate.grade);
        let mut steps = vec![match candidate.potential_percent {
            Some(percent) => format!(
                "Potential capacity with the new case: ({} + {}) ÷ {} × 100 = {}",
                format_points(candidate.current_points),
                format_points(new_case_points),
                format_points(candidate.available_points),
                format_percent(percent),
            ),
            None => format!(
                "No available points: potential capacity cannot be worked out, so listed last \
                 among {group}"
            ),
        }];
        steps.push(format!(
            "Listed with {group}: probation officers, then probation services officers, then \
             trainees, each lowest potential capacity first"
        ));
        if candidate.previously_managed {
            steps.push(format!(
                "Managed this person before: listed first among {group} with the same potential \
                 capacity to one decimal place"
            ));
        }
        if let (Some(_), Some(why)) = (&candidate.guidance, &needs_po) {
            steps.push(format!(
                "Grade guidance: {why} cases should go to a probation officer; allocating to a \
                 {} needs a recorded reason",
                candidate.grade.label().to_lowercase()
            ));
        }
        if candidate.over_capacity() {
            steps.push(format!(
                "Over capacity with the new case: above {}",
                format_percent(FULL_CAPACITY_PERCENT)
            ));
        }
        if candidate.recommended {
            steps.push(
                "Recommended: the first in this order without grade guidance against them who \
                 stays within capacity with the new case"
                    .to_owned(),
            );
        }
        candidate.explanation.steps.extend(steps);
    }
    ranked
}

/// Why an allocation was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AllocationRefused {
    #[error(
        "A {} does not hold a caseload: allocate to a probation officer, probation services \
         officer or trainee",
        .grade.label().to_lowercase()
    )]
    NotAPractitioner { grade: Grade },
    #[error(
        "{why}: record why this case should go to a {} rather than a probation officer",
        .grade.label().to_lowercase()
    )]
    ReasonNeeded { why: String, grade: Grade },
    #[error("The reason {0}")]
    ReasonNotAccepted(TextError),
}

/// Checks an allocation to a practitioner of `grade` against the grade guidance: allocating a case
/// that should go to a probation officer to anyone else needs a reason; allocating to a grade that
/// holds no caseload is refused whatever the reason. A reason given when none is needed is fine.
pub fn check_override(
    grade: Grade,
    case: &AllocationCase,
    reason: &str,
) -> Result<(), AllocationRefused> {
    if !grade.holds_caseload() {
        return Err(AllocationRefused::NotAPractitioner { grade });
    }
    let Some(why) = needs_probation_officer(case) else {
        return Ok(());
    };
    if grade == Grade::ProbationOfficer {
        return Ok(());
    }
    match LongText::required(reason) {
        Ok(_) => Ok(()),
        Err(TextError::Missing) => Err(AllocationRefused::ReasonNeeded { why, grade }),
        Err(too_long) => Err(AllocationRefused::ReasonNotAccepted(too_long)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn candidate(n: u128, grade: Grade, current_points: u32) -> Candidate {
        Candidate {
            staff_id: id(n),
            grade,
            current_points,
            available_points: 2000,
            previously_managed: false,
        }
    }

    fn ordinary() -> AllocationCase {
        AllocationCase {
            rosh: Some(RoshLevel::Medium),
            mappa_level: None,
        }
    }

    fn high_rosh() -> AllocationCase {
        AllocationCase {
            rosh: Some(RoshLevel::High),
            mappa_level: None,
        }
    }

    fn order(ranked: &[RankedCandidate]) -> Vec<u128> {
        ranked.iter().map(|c| c.staff_id.as_u128()).collect()
    }

    fn recommended(ranked: &[RankedCandidate]) -> Vec<u128> {
        ranked
            .iter()
            .filter(|c| c.recommended)
            .map(|c| c.staff_id.as_u128())
            .collect()
    }

    #[test]
    fn candidates_are_listed_pos_then_psos_then_trainees_lowest_capacity_first() {
        let candidates = [
            candidate(1, Grade::TraineeOfficer, 100),
            candidate(2, Grade::ProbationServiceOfficer, 1800),
            candidate(3, Grade::ProbationOfficer, 1900),
            candidate(4, Grade::ProbationServiceOfficer, 900),
            candidate(5, Grade::ProbationOfficer, 1500),
            candidate(6, Grade::TraineeOfficer, 50),
        ];
        let ranked = rank(&candidates, 100, &ordinary());
        assert_eq!(order(&ranked), [5, 3, 4, 2, 6, 1]);
        assert_eq!(ranked[0].potential_points, 1600);
        assert_eq!(ranked[0].potential_percent, Some(80.0));
        assert_eq!(
            ranked[0].explanation.steps[0],
            "Potential capacity with the new case: (1,500 + 100) ÷ 2,000 × 100 = 80.0%"
        );
        assert_eq!(ranked[0].explanation.rule_version, ALLOCATION_RULE_VERSION);
    }

    #[test]
    fn potential_capacity_uses_each_candidates_own_available_points() {
        let part_time = Candidate {
            available_points: 1000,
            ..candidate(1, Grade::ProbationOfficer, 700)
        };
        let full_time = Candidate {
            available_points: 2176,
            ..candidate(2, Grade::ProbationOfficer, 1200)
        };
        // (700 + 206) ÷ 1,000 = 90.6%; (1,200 + 206) ÷ 2,176 = 64.6%.
        let ranked = rank(&[part_time, full_time], 206, &ordinary());
        assert_eq!(order(&ranked), [2, 1]);
        assert!((ranked[1].potential_percent.unwrap() - 90.6).abs() < 1e-9);
    }

    #[test]
    fn the_recommended_candidate_is_the_first_listed_who_stays_within_capacity() {
        let candidates = [
            candidate(1, Grade::ProbationOfficer, 1500),
            candidate(2, Grade::ProbationServiceOfficer, 900),
        ];
        let ranked = rank(&candidates, 100, &ordinary());
        assert_eq!(order(&ranked), [1, 2]);
        assert_eq!(
            recommended(&ranked),
            [1],
            "the first listed, not the lowest"
        );
        assert!(ranked.iter().all(|c| c.guidance.is_none()));
        assert_eq!(
            ranked[0].explanation.steps.last().unwrap(),
            "Recommended: the first in this order without grade guidance against them who stays \
             within capacity with the new case"
        );
    }

    #[test]
    fn a_candidate_the_case_would_take_over_capacity_is_flagged_and_passed_over() {
        let candidates = [
            // (2,260 + 100) ÷ 2,000 = 118%.
            candidate(1, Grade::ProbationOfficer, 2260),
            candidate(2, Grade::ProbationServiceOfficer, 900),
        ];
        let ranked = rank(&candidates, 100, &ordinary());
        assert_eq!(order(&ranked), [1, 2], "the order stays by grade");
        assert!(ranked[0].over_capacity() && !ranked[1].over_capacity());
        assert_eq!(recommended(&ranked), [2]);
        assert_eq!(
            ranked[0].explanation.steps.last().unwrap(),
            "Over capacity with the new case: above 100.0%"
        );

        // Exactly full is within capacity.
        let full = rank(
            &[candidate(3, Grade::ProbationOfficer, 1900)],
            100,
            &ordinary(),
        );
        assert!(!full[0].over_capacity());
        assert_eq!(recommended(&full), [3]);

        // Everyone over: nobody recommended.
        let all_over = rank(
            &[candidate(4, Grade::ProbationOfficer, 2000)],
            100,
            &ordinary(),
        );
        assert!(recommended(&all_over).is_empty());
    }

    #[test]
    fn a_high_rosh_case_is_guided_to_a_probation_officer() {
        let candidates = [
            candidate(1, Grade::ProbationOfficer, 1500),
            candidate(2, Grade::ProbationServiceOfficer, 900),
            candidate(3, Grade::TraineeOfficer, 100),
        ];
        let ranked = rank(&candidates, 100, &high_rosh());
        assert_eq!(order(&ranked), [1, 2, 3]);
        assert_eq!(ranked[0].guidance, None);
        for other_grade in &ranked[1..] {
            assert_eq!(
                other_grade.guidance.as_deref(),
                Some("High RoSH: allocate to a probation officer unless you record a reason")
            );
        }
        assert_eq!(recommended(&ranked), [1]);
        assert_eq!(
            ranked[1].explanation.steps.last().unwrap(),
            "Grade guidance: High RoSH cases should go to a probation officer; allocating to a \
             probation services officer needs a recorded reason"
        );
    }

    #[test]
    fn very_high_rosh_and_mappa_levels_2_and_3_also_go_to_a_probation_officer() {
        let case = |rosh, mappa_level| AllocationCase { rosh, mappa_level };
        assert_eq!(
            needs_probation_officer(&case(Some(RoshLevel::VeryHigh), None)).as_deref(),
            Some("Very high RoSH")
        );
        assert_eq!(
            needs_probation_officer(&case(None, Some(MappaLevel::ActiveMultiAgency))).as_deref(),
            Some("MAPPA level 2")
        );
        assert_eq!(
            needs_probation_officer(&case(
                Some(RoshLevel::Low),
                Some(MappaLevel::SeniorOversight)
            ))
            .as_deref(),
            Some("MAPPA level 3")
        );
        assert_eq!(
            needs_probation_officer(&case(
                Some(RoshLevel::High),
                Some(MappaLevel::ActiveMultiAgency)
            ))
            .as_deref(),
            Some("High RoSH and MAPPA level 2")
        );
        let ranked = rank(
            &[candidate(1, Grade::ProbationServiceOfficer, 0)],
            100,
            &case(None, Some(MappaLevel::SeniorOversight)),
        );
        assert_eq!(
            ranked[0].guidance.as_deref(),
            Some("MAPPA level 3: allocate to a probation officer unless you record a reason")
        );
    }

    #[test]
    fn low_or_medium_rosh_mappa_level_1_or_nothing_known_has_no_grade_guidance() {
        for case in [
            AllocationCase::default(),
            AllocationCase {
                rosh: Some(RoshLevel::Low),
                mappa_level: Some(MappaLevel::Ordinary),
            },
            ordinary(),
        ] {
            assert_eq!(needs_probation_officer(&case), None);
        }
    }

    #[test]
    fn with_no_probation_officer_a_high_rosh_case_has_no_recommendation() {
        let ranked = rank(
            &[candidate(1, Grade::ProbationServiceOfficer, 0)],
            100,
            &high_rosh(),
        );
        assert_eq!(ranked.len(), 1);
        assert!(!ranked[0].recommended);
    }

    #[test]
    fn continuity_is_flagged_and_preferred_among_equals() {
        let returning = Candidate {
            previously_managed: true,
            ..candidate(2, Grade::ProbationOfficer, 1500)
        };
        // 1,600 ÷ 2,000 = 80.0% for both: equals, so the previous practitioner comes first.
        let ranked = rank(
            &[
                candidate(1, Grade::ProbationOfficer, 1500),
                returning.clone(),
            ],
            100,
            &ordinary(),
        );
        assert_eq!(order(&ranked), [2, 1]);
        assert!(ranked[0].previously_managed && !ranked[1].previously_managed);
        assert_eq!(recommended(&ranked), [2]);
        assert_eq!(
            ranked[0].explanation.steps[2],
            "Managed this person before: listed first among probation officers with the same \
             potential capacity to one decimal place"
        );

        // 80.04% and 80.0% show the same, 80.0%: still equals.
        let just_above = Candidate {
            available_points: 1999,
            ..returning.clone()
        };
        let ranked = rank(
            &[candidate(1, Grade::ProbationOfficer, 1500), just_above],
            100,
            &ordinary(),
        );
        assert_eq!(order(&ranked), [2, 1]);
    }

    #[test]
    fn continuity_does_not_outrank_a_lower_capacity_or_a_higher_grade() {
        let returning = Candidate {
            previously_managed: true,
            ..candidate(2, Grade::ProbationOfficer, 1510)
        };
        // 80.5% against 80.0%: not equals, so the lower capacity comes first.
        let ranked = rank(
            &[
                returning.clone(),
                candidate(1, Grade::ProbationOfficer, 1500),
            ],
            100,
            &ordinary(),
        );
        assert_eq!(order(&ranked), [1, 2]);

        let returning_pso = Candidate {
            grade: Grade::ProbationServiceOfficer,
            ..returning
        };
        let ranked = rank(
            &[returning_pso, candidate(1, Grade::ProbationOfficer, 1500)],
            100,
            &ordinary(),
        );
        assert_eq!(order(&ranked), [1, 2]);
    }

    #[test]
    fn equals_without_continuity_keep_the_order_given() {
        let ranked = rank(
            &[
                candidate(7, Grade::ProbationOfficer, 1500),
                candidate(3, Grade::ProbationOfficer, 1500),
            ],
            100,
            &ordinary(),
        );
        assert_eq!(order(&ranked), [7, 3]);
        assert_eq!(recommended(&ranked), [7]);
    }

    #[test]
    fn someone_with_no_available_points_is_listed_last_in_their_grade_and_not_recommended() {
        let none = Candidate {
            available_points: 0,
            ..candidate(1, Grade::ProbationOfficer, 0)
        };
        let ranked = rank(
            &[none, candidate(2, Grade::ProbationOfficer, 1900)],
            100,
            &ordinary(),
        );
        assert_eq!(order(&ranked), [2, 1]);
        assert_eq!(ranked[1].potential_percent, None);
        assert_eq!(recommended(&ranked), [2]);
    }

    #[test]
    fn only_practitioner_grades_are_candidates() {
        let candidates = [
            candidate(1, Grade::SeniorProbationOfficer, 0),
            candidate(2, Grade::Administrator, 0),
            candidate(3, Grade::ProbationOfficer, 1000),
            candidate(4, Grade::VictimLiaisonOfficer, 0),
        ];
        assert_eq!(order(&rank(&candidates, 100, &ordinary())), [3]);
    }

    #[test]
    fn an_override_without_a_reason_is_refused() {
        for blank in ["", "   \n "] {
            let refused =
                check_override(Grade::ProbationServiceOfficer, &high_rosh(), blank).unwrap_err();
            assert_eq!(
                refused.to_string(),
                "High RoSH: record why this case should go to a probation services officer rather \
                 than a probation officer"
            );
        }
        assert!(matches!(
            check_override(Grade::TraineeOfficer, &high_rosh(), ""),
            Err(AllocationRefused::ReasonNeeded {
                grade: Grade::TraineeOfficer,
                ..
            })
        ));
    }

    #[test]
    fn an_override_with_a_reason_is_accepted() {
        assert_eq!(
            check_override(
                Grade::ProbationServiceOfficer,
                &high_rosh(),
                "Has supervised him for two years; co-worked with a PO"
            ),
            Ok(())
        );
    }

    #[test]
    fn an_override_reason_that_is_too_long_is_refused() {
        let essay = "x".repeat(LongText::MAX_CHARS + 1);
        let refused =
            check_override(Grade::ProbationServiceOfficer, &high_rosh(), &essay).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "The reason must be 10000 characters or fewer (it is 10001)"
        );
    }

    #[test]
    fn no_reason_is_needed_for_a_probation_officer_or_an_ordinary_case() {
        assert_eq!(
            check_override(Grade::ProbationOfficer, &high_rosh(), ""),
            Ok(())
        );
        assert_eq!(
            check_override(Grade::ProbationServiceOfficer, &ordinary(), ""),
            Ok(())
        );
    }

    #[test]
    fn allocating_to_someone_who_holds_no_caseload_is_refused_whatever_the_reason() {
        let refused =
            check_override(Grade::SeniorProbationOfficer, &ordinary(), "cover").unwrap_err();
        assert_eq!(
            refused.to_string(),
            "A senior probation officer does not hold a caseload: allocate to a probation \
             officer, probation services officer or trainee"
        );
    }
}
