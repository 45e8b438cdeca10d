//! Limited access cases: a case may carry an **exclusion list** (named staff who may never see
//! it — a relative, a neighbour, someone the person has a history with) and a **restriction list**
//! (only the named staff may see it — a member of staff on probation, a high-profile case).
//!
//! The rule, applied on top of the ordinary policy ([`super::decide`]), never instead of it:
//!
//! - **Exclusion beats everything.** Whoever is named on the exclusion list is refused, whatever
//!   their grade: a head of PDU, quality staff or victim liaison officer named there never sees the
//!   case, nor manages its lists (another head of the PDU does).
//! - **Restriction.** While the restriction list names anyone, only the staff named there see the
//!   case, and the heads of the case's PDU: they keep the lists, so they must be able to read whom
//!   they name, and they are accountable for the case. Being named gives no access the ordinary
//!   policy would not: a practitioner of another team named on the list is still refused.
//! - **Words, not lists.** Both refusals show the same message, so nobody learns from a refusal
//!   which list names them; the audit row carries which (`limited_access_excluded`,
//!   `limited_access_restricted`).
//! - **The ordinary refusal first.** Someone the ordinary policy refuses is refused for that
//!   reason, so a limited case looks like any other case they may not open.
//!
//! Keeping the lists: the heads of the case's PDU ([`super::Action::ManageLimitedAccess`]), each
//! addition with a reason ([`check_addition`]). The case's allocated practitioner is never
//! excluded (reallocate first), and a restricted case always names its allocated practitioner, so
//! restricting a case never locks out the person managing it.

use super::{decide, Action, Actor, CaseLocation, Decision, Refusal};
use crate::staff::Grade;
use uuid::Uuid;

/// What a refused member of staff is told, whichever list refused them.
pub const LIMITED_ACCESS_MESSAGE: &str = "This case has limited access, and you are not one of the staff allowed to see it. If you think you need to work on it, ask the head of the case's probation delivery unit.";

/// The longest reason kept for an addition: enough to say why, short enough to list.
pub const REASON_MAX: usize = 500;

/// A case's limited access lists, as they stand (removed entries are not here).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits {
    /// Staff who may never see the case.
    pub excluded: Vec<Uuid>,
    /// When not empty, the only staff (with the heads of the case's PDU) who may see it.
    pub restricted_to: Vec<Uuid>,
}

impl Limits {
    /// A case with no limits: the ordinary policy alone decides.
    pub fn none() -> Self {
        Self::default()
    }

    /// Whether either list names anyone.
    pub fn is_limited(&self) -> bool {
        !self.excluded.is_empty() || !self.restricted_to.is_empty()
    }

    /// Whether the case is restricted to named staff.
    pub fn is_restricted(&self) -> bool {
        !self.restricted_to.is_empty()
    }
}

/// Which of the two lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitList {
    Exclusion,
    Restriction,
}

impl LimitList {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            LimitList::Exclusion => "excluded",
            LimitList::Restriction => "restricted",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "excluded" => Some(LimitList::Exclusion),
            "restricted" => Some(LimitList::Restriction),
            _ => None,
        }
    }
}

/// The limits alone: may `actor` see a case at `case` with these lists? Use
/// [`decide_on_case`], which asks the ordinary policy first.
pub fn check(actor: &Actor, case: &CaseLocation, limits: &Limits) -> Decision {
    if limits.excluded.contains(&actor.staff_id) {
        Decision::Refused(Refusal::ExcludedFromCase)
    } else if !limits.is_restricted()
        || limits.restricted_to.contains(&actor.staff_id)
        || heads_pdu_of(actor, case)
    {
        Decision::Allowed
    } else {
        Decision::Refused(Refusal::NotOnRestrictionList)
    }
}

/// Decides `action` on a case carrying `limits`: the ordinary policy, then the limits. Actions
/// not about one case are decided by the ordinary policy alone.
pub fn decide_on_case(actor: &Actor, action: Action<'_>, limits: &Limits) -> Decision {
    let ordinary = decide(actor, action);
    match (ordinary, case_of(action)) {
        (Decision::Allowed, Some(case)) => check(actor, case, limits),
        (ordinary, _) => ordinary,
    }
}

fn case_of<'a>(action: Action<'a>) -> Option<&'a CaseLocation> {
    match action {
        Action::ViewCase(case)
        | Action::WorkOnCase(case)
        | Action::ManageCaseRisk(case)
        | Action::WorkWithVictims(case)
        | Action::AuditCase(case)
        | Action::ManageSfo(case)
        | Action::ManageLimitedAccess(case)
        | Action::ViewSfo { case, .. }
        | Action::ReviewSfo { case, .. } => Some(case),
        _ => None,
    }
}

fn heads_pdu_of(actor: &Actor, case: &CaseLocation) -> bool {
    actor.grade == Grade::HeadOfPdu && actor.region == case.region && actor.pdu == Some(case.pdu)
}

/// A problem with a change to the lists, against the form field it concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitProblem {
    /// No member of staff has that username (or the account is deactivated).
    UnknownStaff,
    ReasonMissing,
    ReasonTooLong,
    /// They are on this list already.
    AlreadyOnList,
    /// They are on the other list: nobody is both excluded and named as allowed.
    OnOtherList,
    /// The case's allocated practitioner cannot be excluded: reallocate the case first.
    ExcludingPractitioner,
    /// A restricted case must name its allocated practitioner, first and always.
    RestrictionWithoutPractitioner,
}

impl LimitProblem {
    /// The form field the problem is shown against.
    pub fn field(self) -> &'static str {
        match self {
            LimitProblem::ReasonMissing | LimitProblem::ReasonTooLong => "reason",
            _ => "username",
        }
    }

    pub fn message(self) -> String {
        match self {
            LimitProblem::UnknownStaff => {
                "There is no member of staff with that username: enter the username of a current account".to_owned()
            }
            LimitProblem::ReasonMissing => "Enter the reason".to_owned(),
            LimitProblem::ReasonTooLong => {
                format!("The reason must be {REASON_MAX} characters or fewer")
            }
            LimitProblem::AlreadyOnList => "This member of staff is on this list already".to_owned(),
            LimitProblem::OnOtherList => {
                "This member of staff is on the other list: remove them from it first".to_owned()
            }
            LimitProblem::ExcludingPractitioner => {
                "This member of staff manages the case: reallocate the case before excluding them".to_owned()
            }
            LimitProblem::RestrictionWithoutPractitioner => {
                "Restrict the case to the practitioner who manages it first, so they can still work on it".to_owned()
            }
        }
    }
}

/// Checks adding `staff` (`None`: no such account) to `list` of a case with `limits` managed by
/// `allocated_to`, for `reason`; every problem at once.
pub fn check_addition(
    list: LimitList,
    staff: Option<Uuid>,
    reason: &str,
    limits: &Limits,
    allocated_to: Option<Uuid>,
) -> Vec<LimitProblem> {
    let mut problems = Vec::new();
    match staff {
        None => problems.push(LimitProblem::UnknownStaff),
        Some(staff) => {
            let (this, other) = match list {
                LimitList::Exclusion => (&limits.excluded, &limits.restricted_to),
                LimitList::Restriction => (&limits.restricted_to, &limits.excluded),
            };
            if this.contains(&staff) {
                problems.push(LimitProblem::AlreadyOnList);
            } else if other.contains(&staff) {
                problems.push(LimitProblem::OnOtherList);
            } else if list == LimitList::Exclusion && allocated_to == Some(staff) {
                problems.push(LimitProblem::ExcludingPractitioner);
            } else if list == LimitList::Restriction
                && limits.restricted_to.is_empty()
                && allocated_to.is_some_and(|practitioner| practitioner != staff)
            {
                problems.push(LimitProblem::RestrictionWithoutPractitioner);
            }
        }
    }
    let reason = reason.trim();
    if reason.is_empty() {
        problems.push(LimitProblem::ReasonMissing);
    } else if reason.chars().count() > REASON_MAX {
        problems.push(LimitProblem::ReasonTooLong);
    }
    problems
}

/// Checks removing `staff` from `list`: the allocated practitioner stays on a restriction list
/// while it names anyone else (remove the others first, or reallocate).
pub fn check_removal(
    list: LimitList,
    staff: Uuid,
    limits: &Limits,
    allocated_to: Option<Uuid>,
) -> Result<(), LimitProblem> {
    let others_remain = limits.restricted_to.iter().any(|named| *named != staff);
    if list == LimitList::Restriction && allocated_to == Some(staff) && others_remain {
        Err(LimitProblem::RestrictionWithoutPractitioner)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case() -> CaseLocation {
        CaseLocation {
            region: Uuid::from_u128(1),
            pdu: Uuid::from_u128(2),
            team: Some(Uuid::from_u128(3)),
        }
    }

    fn staff(grade: Grade, id: u128) -> Actor {
        let case = case();
        Actor {
            staff_id: Uuid::from_u128(id),
            grade,
            region: case.region,
            pdu: Some(case.pdu),
            team: Some(case.team.unwrap()),
        }
    }

    fn excluding(id: u128) -> Limits {
        Limits {
            excluded: vec![Uuid::from_u128(id)],
            restricted_to: vec![],
        }
    }

    fn restricted_to(ids: &[u128]) -> Limits {
        Limits {
            excluded: vec![],
            restricted_to: ids.iter().map(|id| Uuid::from_u128(*id)).collect(),
        }
    }

    #[test]
    fn a_case_without_limits_is_decided_by_the_ordinary_policy() {
        let officer = staff(Grade::ProbationOfficer, 10);
        let case = case();
        assert!(decide_on_case(&officer, Action::ViewCase(&case), &Limits::none()).is_allowed());
    }

    #[test]
    fn an_excluded_practitioner_of_the_team_is_refused_with_the_exclusion_code() {
        let officer = staff(Grade::ProbationOfficer, 10);
        let case = case();
        let decision = decide_on_case(&officer, Action::ViewCase(&case), &excluding(10));
        assert_eq!(decision, Decision::Refused(Refusal::ExcludedFromCase));
        assert_eq!(Refusal::ExcludedFromCase.code(), "limited_access_excluded");
    }

    #[test]
    fn an_excluded_head_of_pdu_is_refused_even_the_lists() {
        let head = staff(Grade::HeadOfPdu, 10);
        let case = case();
        for action in [Action::ViewCase(&case), Action::ManageLimitedAccess(&case)] {
            assert_eq!(
                decide_on_case(&head, action, &excluding(10)),
                Decision::Refused(Refusal::ExcludedFromCase)
            );
        }
    }

    #[test]
    fn excluded_quality_staff_are_refused_across_the_region() {
        let quality = staff(Grade::QualityInspection, 10);
        let case = case();
        assert!(!decide_on_case(&quality, Action::AuditCase(&case), &excluding(10)).is_allowed());
    }

    #[test]
    fn an_exclusion_names_only_the_excluded() {
        let colleague = staff(Grade::ProbationOfficer, 11);
        let case = case();
        assert!(decide_on_case(&colleague, Action::WorkOnCase(&case), &excluding(10)).is_allowed());
    }

    #[test]
    fn a_restricted_case_is_seen_by_the_named_only() {
        let case = case();
        let named = staff(Grade::ProbationOfficer, 10);
        let other = staff(Grade::ProbationOfficer, 11);
        let senior = staff(Grade::SeniorProbationOfficer, 12);
        let limits = restricted_to(&[10]);
        assert!(decide_on_case(&named, Action::ViewCase(&case), &limits).is_allowed());
        for actor in [other, senior] {
            assert_eq!(
                decide_on_case(&actor, Action::ViewCase(&case), &limits),
                Decision::Refused(Refusal::NotOnRestrictionList)
            );
        }
    }

    #[test]
    fn the_head_of_the_cases_pdu_sees_and_manages_a_restricted_case_without_being_named() {
        let head = staff(Grade::HeadOfPdu, 20);
        let case = case();
        let limits = restricted_to(&[10]);
        assert!(decide_on_case(&head, Action::ViewCase(&case), &limits).is_allowed());
        assert!(decide_on_case(&head, Action::ManageLimitedAccess(&case), &limits).is_allowed());
    }

    #[test]
    fn a_head_of_another_pdu_is_refused_for_the_ordinary_reason_first() {
        let mut head = staff(Grade::HeadOfPdu, 20);
        head.pdu = Some(Uuid::from_u128(99));
        let case = case();
        assert_eq!(
            decide_on_case(&head, Action::ViewCase(&case), &excluding(20)),
            Decision::Refused(Refusal::OutsidePdu)
        );
    }

    #[test]
    fn being_named_on_the_restriction_list_gives_no_access_the_ordinary_policy_refuses() {
        let mut elsewhere = staff(Grade::ProbationOfficer, 10);
        elsewhere.team = Some(Uuid::from_u128(77));
        let case = case();
        assert_eq!(
            decide_on_case(&elsewhere, Action::ViewCase(&case), &restricted_to(&[10])),
            Decision::Refused(Refusal::CaseOutsideTeam)
        );
    }

    #[test]
    fn practitioners_and_senior_officers_may_not_manage_the_lists() {
        let case = case();
        for grade in [
            Grade::ProbationOfficer,
            Grade::SeniorProbationOfficer,
            Grade::QualityInspection,
        ] {
            let actor = staff(grade, 10);
            assert_eq!(
                decide_on_case(&actor, Action::ManageLimitedAccess(&case), &Limits::none()),
                Decision::Refused(Refusal::GradeNotPermitted(grade))
            );
        }
    }

    #[test]
    fn both_refusals_say_the_same_words_so_neither_list_is_revealed() {
        assert_eq!(
            Refusal::ExcludedFromCase.message(),
            Refusal::NotOnRestrictionList.message()
        );
        assert!(Refusal::ExcludedFromCase
            .message()
            .starts_with("This case has limited access"));
    }

    #[test]
    fn excluding_the_cases_practitioner_is_refused() {
        let practitioner = Uuid::from_u128(10);
        let problems = check_addition(
            LimitList::Exclusion,
            Some(practitioner),
            "Related",
            &Limits::none(),
            Some(practitioner),
        );
        assert_eq!(problems, [LimitProblem::ExcludingPractitioner]);
    }

    #[test]
    fn restricting_a_case_starts_with_its_practitioner() {
        let practitioner = Some(Uuid::from_u128(10));
        let someone_else = Some(Uuid::from_u128(11));
        let first = check_addition(
            LimitList::Restriction,
            someone_else,
            "Staff case",
            &Limits::none(),
            practitioner,
        );
        assert_eq!(first, [LimitProblem::RestrictionWithoutPractitioner]);
        assert!(check_addition(
            LimitList::Restriction,
            practitioner,
            "Staff case",
            &Limits::none(),
            practitioner
        )
        .is_empty());
        assert!(check_addition(
            LimitList::Restriction,
            someone_else,
            "Cover",
            &restricted_to(&[10]),
            practitioner
        )
        .is_empty());
    }

    #[test]
    fn the_practitioner_leaves_a_restriction_list_last() {
        let limits = restricted_to(&[10, 11]);
        let practitioner = Some(Uuid::from_u128(10));
        assert_eq!(
            check_removal(
                LimitList::Restriction,
                Uuid::from_u128(10),
                &limits,
                practitioner
            ),
            Err(LimitProblem::RestrictionWithoutPractitioner)
        );
        assert!(check_removal(
            LimitList::Restriction,
            Uuid::from_u128(11),
            &limits,
            practitioner
        )
        .is_ok());
        assert!(check_removal(
            LimitList::Restriction,
            Uuid::from_u128(10),
            &restricted_to(&[10]),
            practitioner
        )
        .is_ok());
    }

    #[test]
    fn an_addition_names_every_problem_against_its_field() {
        let problems = check_addition(LimitList::Exclusion, None, "  ", &Limits::none(), None);
        assert_eq!(
            problems,
            [LimitProblem::UnknownStaff, LimitProblem::ReasonMissing]
        );
        assert_eq!(problems[0].field(), "username");
        assert_eq!(problems[1].field(), "reason");
        let long = "x".repeat(REASON_MAX + 1);
        assert_eq!(
            check_addition(
                LimitList::Exclusion,
                Some(Uuid::from_u128(5)),
                &long,
                &Limits::none(),
                None
            ),
            [LimitProblem::ReasonTooLong]
        );
    }

    #[test]
    fn nobody_is_on_both_lists_or_twice_on_one() {
        let limits = excluding(10);
        let ten = Some(Uuid::from_u128(10));
        assert_eq!(
            check_addition(LimitList::Exclusion, ten, "Again", &limits, None),
            [LimitProblem::AlreadyOnList]
        );
        assert_eq!(
            check_addition(LimitList::Restriction, ten, "Both", &limits, None),
            [LimitProblem::OnOtherList]
        );
    }
}
