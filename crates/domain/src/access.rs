//! Who may see and do what: every authorisation decision in keepsafe is made here, from the
//! member of staff's grade and their place in the organisation relative to the case.
//!
//! The web layer asks [`decide`] before every action and audit-logs the answer; nothing else
//! decides access. Keeping the policy pure makes every refusal testable as a specification.

use crate::staff::Grade;
use uuid::Uuid;

pub mod limited;

/// The member of staff asking, with where they sit in the organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub staff_id: Uuid,
    pub grade: Grade,
    pub region: Uuid,
    pub pdu: Option<Uuid>,
    pub team: Option<Uuid>,
}

/// Where a case sits: the PDU that holds it and the team of its current allocation (none while it
/// waits to be allocated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseLocation {
    pub region: Uuid,
    pub pdu: Uuid,
    pub team: Option<Uuid>,
}

/// A team, for decisions about a team's caseload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamLocation {
    pub region: Uuid,
    pub pdu: Uuid,
    pub team: Uuid,
}

/// A unit whose quality of case supervision is rated: a team, a PDU, a region or the nation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitLocation {
    Team(TeamLocation),
    Pdu { region: Uuid, pdu: Uuid },
    Region(Uuid),
    Nation,
}

/// A court, for decisions about its lists: the PDU whose court team covers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourtLocation {
    pub region: Uuid,
    pub pdu: Uuid,
}

/// Something a member of staff wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// Read a case record (personal details, sentence, household, contacts).
    ViewCase(&'a CaseLocation),
    /// Record work on a case: assessments, checks, changes in circumstances.
    WorkOnCase(&'a CaseLocation),
    /// Countersign a high or very high RoSH assessment, or authorise completing one without an
    /// overdue check response.
    ManageCaseRisk(&'a CaseLocation),
    /// See the list of cases allocated to themselves.
    ViewOwnCaseload,
    /// See the review tasks on the cases they manage or oversee.
    ViewReviewTasks,
    /// See the workload dashboard for the teams, PDU or region they oversee.
    ViewWorkload,
    /// See one practitioner's workload and how it was worked out.
    ViewStaffWorkload {
        staff_id: Uuid,
        team: &'a TeamLocation,
    },
    /// Manage a practitioner's caseload and hours: move their cases to others (absence cover, a
    /// leaver) and record reductions of their available hours.
    ManageStaffCaseload { team: &'a TeamLocation },
    /// See how quickly partner organisations answer the checks sent to them.
    ViewPartnerExchange,
    /// Send checks for many cases at once (new allocations, the court list); each case is then
    /// authorised with [`Action::WorkOnCase`].
    RequestChecksInBulk,
    /// See the list of teams whose caseloads they oversee.
    ListTeams,
    /// See every case allocated in a team.
    ViewTeamCaseload(&'a TeamLocation),
    /// See the region's cases with a release from custody near, or a MAPPA registration: the
    /// victim liaison officer's worklist (victims are contacted before a release and through a
    /// licence).
    ViewReleaseWorklist,
    /// See the MAPPA cases they manage or oversee, with when each is next reviewed: practitioners
    /// their own, senior officers their team's, heads of PDU their PDU's, victim liaison and
    /// quality staff their region's.
    ViewMappaCases,
    /// Read and keep the records of a case's victims: who they are, where they live, contacts,
    /// views and the conditions they ask for. Victim liaison only (reference §6: victim identities
    /// and addresses are visible to victim liaison staff only).
    WorkWithVictims(&'a CaseLocation),
    /// Add the courts a region's PDUs cover, for the court lists.
    ManageCourts,
    /// Create accounts, reset passwords.
    ManageUsers,
    /// Read the audit log.
    ViewAuditLog,
    /// See a unit's quality ratings and the cases behind them.
    ViewQuality(&'a UnitLocation),
    /// Audit a case against the inspection standards, or moderate another auditor's audit.
    AuditCase(&'a CaseLocation),
    /// Run quality assurance for a unit: draw audit samples, import audits, record the ratings
    /// panel's judgements and departures, keep recommendations and action plans.
    ManageQuality(&'a UnitLocation),
    /// See the court lists of their PDU's courts (decided from the grade; each court is then
    /// decided with [`Action::CourtWork`]).
    ViewCourtLists,
    /// Work on a court's lists, hearings, pre-sentence reports and sentences.
    CourtWork(&'a CourtLocation),
    /// See the region's proven reoffending rates and how well the predictors' forecasts match
    /// them: counts only, never a person, so the whole region is shown to those who manage or
    /// assure practice (senior officers, heads of PDU, quality staff).
    ViewReoffendingOutcomes,
    /// See the unpaid work sessions and projects (decided from the grade; each project or session
    /// is then decided with [`Action::UnpaidWorkIn`]).
    ViewUnpaidWork,
    /// Schedule sessions, allocate people and record attendance on a PDU's unpaid work: its
    /// practitioners (the Community Payback team are PDU staff), senior officers and head.
    UnpaidWorkIn { region: Uuid, pdu: Uuid },
    /// Add and change unpaid work projects (decided from the grade; the project's PDU is then
    /// decided with [`Action::ManageUnpaidWorkProjectsIn`]).
    ManageUnpaidWorkProjects,
    /// Add and change a PDU's projects: its senior officers and head.
    ManageUnpaidWorkProjectsIn { region: Uuid, pdu: Uuid },
    /// See the unpaid work orders behind pace: senior officers (their team's) and heads of PDU
    /// (their PDU's).
    ViewUnpaidWorkAtRisk,
    /// See the list of serious further offence reviews they may read (decided from the grade;
    /// each review is then decided with [`Action::ViewSfo`]).
    ViewSfoList,
    /// Read a serious further offence case and its review: the heads of the case's PDU, quality
    /// staff of its region and its assigned reviewer only — not the case's practitioner, the
    /// team's senior officer (unless the reviewer), other PDUs, partners or victim liaison.
    ViewSfo {
        case: &'a CaseLocation,
        reviewer: Option<Uuid>,
    },
    /// Record the notification of a serious further offence and assign its reviewer: the head of
    /// the case's PDU or quality staff of its region.
    ManageSfo(&'a CaseLocation),
    /// Write the review's findings and complete it: the assigned reviewer only.
    ReviewSfo {
        case: &'a CaseLocation,
        reviewer: Option<Uuid>,
    },
    /// See the interventions dashboard (programme waits, starts, completion rates and the
    /// requirements not started in time): senior officers their team's, heads of PDU their PDU's,
    /// quality staff their region's.
    ViewProgrammes,
    /// Keep a case's limited access lists (the staff excluded from it, the staff it is restricted
    /// to): the heads of the case's PDU. The lists themselves are then applied by
    /// [`limited::decide_on_case`].
    ManageLimitedAccess(&'a CaseLocation),
}

/// The answer to "may this actor do this?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    Refused(Refusal),
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed)
    }
}

/// Why access was refused. The message is shown to the user and the code goes in the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The case is allocated to another team.
    CaseOutsideTeam,
    /// The case or team belongs to another PDU.
    OutsidePdu,
    /// The case or team belongs to another region.
    OutsideRegion,
    /// The grade never has this permission.
    GradeNotPermitted(Grade),
    /// The member of staff is named on the case's exclusion list ([`limited`]).
    ExcludedFromCase,
    /// The case is restricted to named staff, and they are not named ([`limited`]).
    NotOnRestrictionList,
}

impl Refusal {
    /// A stable code for the audit log.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::CaseOutsideTeam => "case_outside_team",
            Refusal::OutsidePdu => "outside_pdu",
            Refusal::OutsideRegion => "outside_region",
            Refusal::GradeNotPermitted(_) => "grade_not_permitted",
            Refusal::ExcludedFromCase => "limited_access_excluded",
            Refusal::NotOnRestrictionList => "limited_access_restricted",
        }
    }

    /// What the person is told, and what they can do about it.
    pub fn message(self) -> String {
        match self {
            Refusal::CaseOutsideTeam => "This case is managed by another team. You can only open cases managed by your own team; ask the senior probation officer of the case's team if you need to work on it.".to_owned(),
            Refusal::OutsidePdu => "This belongs to another probation delivery unit. Ask its head of PDU if you need access.".to_owned(),
            Refusal::OutsideRegion => "This belongs to another region.".to_owned(),
            Refusal::GradeNotPermitted(grade) => format!(
                "Your role ({}) does not give access to this page. Ask an administrator if you need it.",
                grade
            ),
            // The same words for both lists: being told which one would say who is watched.
            Refusal::ExcludedFromCase | Refusal::NotOnRestrictionList => {
                limited::LIMITED_ACCESS_MESSAGE.to_owned()
            }
        }
    }
}

/// Decides whether `actor` may perform `action`.
pub fn decide(actor: &Actor, action: Action<'_>) -> Decision {
    match action {
        Action::ViewCase(case) => view_case(actor, case),
        Action::WorkOnCase(case) => work_on_case(actor, case),
        Action::ManageCaseRisk(case) => manage_case_risk(actor, case),
        Action::ViewOwnCaseload => allow_if(actor.grade.holds_caseload(), actor.grade),
        Action::ViewReviewTasks => allow_if(
            actor.grade.holds_caseload()
                || matches!(
                    actor.grade,
                    Grade::SeniorProbationOfficer | Grade::HeadOfPdu
                ),
            actor.grade,
        ),
        Action::ListTeams => allow_if(
            matches!(
                actor.grade,
                Grade::SeniorProbationOfficer | Grade::HeadOfPdu | Grade::QualityInspection
            ),
            actor.grade,
        ),
        Action::ViewTeamCaseload(team) => view_team_caseload(actor, team),
        Action::ViewReleaseWorklist => {
            allow_if(actor.grade == Grade::VictimLiaisonOfficer, actor.grade)
        }
        Action::RequestChecksInBulk => allow_if(
            matches!(
                actor.grade,
                Grade::SeniorProbationOfficer | Grade::HeadOfPdu
            ),
            actor.grade,
        ),
        Action::ViewPartnerExchange => allow_if(
            matches!(
                actor.grade,
                Grade::SeniorProbationOfficer | Grade::HeadOfPdu | Grade::QualityInspection
            ),
            actor.grade,
        ),
        Action::ViewWorkload => allow_if(
            matches!(
                actor.grade,
                Grade::SeniorProbationOfficer | Grade::HeadOfPdu | Grade::QualityInspection
            ),
            actor.grade,
        ),
        // Practitioners see their own workload; managers see their teams'.
        Action::ViewStaffWorkload { staff_id, team } => {
            if staff_id == actor.staff_id {
                Decision::Allowed
            } else {
                view_team_caseload(actor, team)
            }
        }
        // Line management: the senior officer of the practitioner's team, or the head of the PDU.
        Action::ManageStaffCaseload { team } => manage_staff_caseload(actor, team),
        Action::ViewMappaCases => allow_if(
            actor.grade.holds_caseload()
                || matches!(
                    actor.grade,
                    Grade::SeniorProbationOfficer
                        | Grade::HeadOfPdu
                        | Grade::VictimLiaisonOfficer
                        | Grade::QualityInspection
                ),
            actor.grade,
        ),
        Action::WorkWithVictims(case) => work_with_victims(actor, case),
        Action::ManageUsers | Action::ManageCourts => {
            allow_if(actor.grade == Grade::Administrator, actor.grade)
        }
        Action::ViewAuditLog => allow_if(
            matches!(actor.grade, Grade::Administrator | Grade::QualityInspection),
            actor.grade,
        ),
        Action::ViewQuality(unit) => view_quality(actor, unit),
        Action::AuditCase(case) => audit_case(actor, case),
        Action::ManageQuality(unit) => manage_quality(actor, unit),
        Action::ViewCourtLists => allow_if(does_court_work(actor.grade), actor.grade),
        Action::CourtWork(court) => court_work(actor, court),
        // Region-, PDU- or team-wide views of practice, each scoped again by its page.
        Action::ViewReoffendingOutcomes | Action::ViewProgrammes | Action::ViewSfoList => {
            allow_if(oversees_practice(actor.grade), actor.grade)
        }
        Action::ViewUnpaidWork => allow_if(does_court_work(actor.grade), actor.grade),
        Action::UnpaidWorkIn { region, pdu } => court_work(actor, &CourtLocation { region, pdu }),
        Action::ManageUnpaidWorkProjects | Action::ViewUnpaidWorkAtRisk => allow_if(
            matches!(
                actor.grade,
                Grade::SeniorProbationOfficer | Grade::HeadOfPdu
            ),
            actor.grade,
        ),
        Action::ManageUnpaidWorkProjectsIn { region, pdu } => match actor.grade {
            Grade::SeniorProbationOfficer | Grade::HeadOfPdu if actor.region != region => {
                Decision::Refused(Refusal::OutsideRegion)
            }
            Grade::SeniorProbationOfficer | Grade::HeadOfPdu => same_pdu(actor, pdu),
            grade => Decision::Refused(Refusal::GradeNotPermitted(grade)),
        },
        Action::ViewSfo { case, reviewer } => view_sfo(actor, case, reviewer),
        Action::ManageSfo(case) => manage_sfo(actor, case),
        Action::ManageLimitedAccess(case) => match actor.grade {
            Grade::HeadOfPdu if actor.region != case.region => {
                Decision::Refused(Refusal::OutsideRegion)
            }
            Grade::HeadOfPdu => same_pdu(actor, case.pdu),
            grade => Decision::Refused(Refusal::GradeNotPermitted(grade)),
        },
        Action::ReviewSfo { case, reviewer } => {
            if actor.region != case.region {
                Decision::Refused(Refusal::OutsideRegion)
            } else if reviewer == Some(actor.staff_id) {
                Decision::Allowed
            } else {
                Decision::Refused(Refusal::GradeNotPermitted(actor.grade))
            }
        }
    }
}

/// A serious further offence review is read by those who need it: the assigned reviewer, the
/// heads of the case's PDU and quality staff of its region.
fn view_sfo(actor: &Actor, case: &CaseLocation, reviewer: Option<Uuid>) -> Decision {
    if actor.region != case.region {
        return Decision::Refused(Refusal::OutsideRegion);
    }
    if reviewer == Some(actor.staff_id) {
        return Decision::Allowed;
    }
    manage_sfo(actor, case)
}

fn manage_sfo(actor: &Actor, case: &CaseLocation) -> Decision {
    if actor.region != case.region {
        return Decision::Refused(Refusal::OutsideRegion);
    }
    match actor.grade {
        Grade::HeadOfPdu => same_pdu(actor, case.pdu),
        Grade::QualityInspection => Decision::Allowed,
        grade => Decision::Refused(Refusal::GradeNotPermitted(grade)),
    }
}

/// Senior officers, heads of PDU and quality staff oversee practice: the reoffending rates, the
/// programmes dashboard and the list of serious further offence reviews are theirs.
fn oversees_practice(grade: Grade) -> bool {
    matches!(
        grade,
        Grade::SeniorProbationOfficer | Grade::HeadOfPdu | Grade::QualityInspection
    )
}

/// Court teams are PDU staff: any practitioner or senior officer of the PDU may be on the court
/// duty rota, and the head of PDU oversees the court work. Other grades do no court work.
fn does_court_work(grade: Grade) -> bool {
    grade.holds_caseload() || matches!(grade, Grade::SeniorProbationOfficer | Grade::HeadOfPdu)
}

fn court_work(actor: &Actor, court: &CourtLocation) -> Decision {
    if !does_court_work(actor.grade) {
        return Decision::Refused(Refusal::GradeNotPermitted(actor.grade));
    }
    if actor.region != court.region {
        return Decision::Refused(Refusal::OutsideRegion);
    }
    same_pdu(actor, court.pdu)
}

/// Senior officers see their PDU and its teams, so each team can compare itself with the others;
/// heads of PDU the same and their region's totals; quality staff everything in their region and
/// the national totals. Opening a case behind a number is still decided by [`Action::ViewCase`].
fn view_quality(actor: &Actor, unit: &UnitLocation) -> Decision {
    match actor.grade {
        Grade::SeniorProbationOfficer => match unit {
            UnitLocation::Pdu { pdu, .. } | UnitLocation::Team(TeamLocation { pdu, .. }) => {
                same_pdu(actor, *pdu)
            }
            UnitLocation::Region(_) | UnitLocation::Nation => {
                Decision::Refused(Refusal::GradeNotPermitted(actor.grade))
            }
        },
        Grade::HeadOfPdu => match unit {
            UnitLocation::Team(TeamLocation { pdu, .. }) | UnitLocation::Pdu { pdu, .. } => {
                same_pdu(actor, *pdu)
            }
            UnitLocation::Region(region) => same_region(actor, *region),
            UnitLocation::Nation => Decision::Refused(Refusal::GradeNotPermitted(actor.grade)),
        },
        Grade::QualityInspection => within_region(actor, unit),
        grade => Decision::Refused(Refusal::GradeNotPermitted(grade)),
    }
}

/// Managers audit the cases of their PDU (an auditor from outside the team reads it afresh);
/// quality staff audit across their region.
fn audit_case(actor: &Actor, case: &CaseLocation) -> Decision {
    if actor.region != case.region {
        return Decision::Refused(Refusal::OutsideRegion);
    }
    match actor.grade {
        Grade::SeniorProbationOfficer | Grade::HeadOfPdu => same_pdu(actor, case.pdu),
        Grade::QualityInspection => Decision::Allowed,
        grade => Decision::Refused(Refusal::GradeNotPermitted(grade)),
    }
}

/// The head of PDU runs quality assurance for the PDU and its teams; quality staff for any unit
/// of their region. Nobody records judgements for the nation.
fn manage_quality(actor: &Actor, unit: &UnitLocation) -> Decision {
    match (actor.grade, unit) {
        (_, UnitLocation::Nation) => Decision::Refused(Refusal::GradeNotPermitted(actor.grade)),
        (
            Grade::HeadOfPdu,
            UnitLocation::Team(TeamLocation { pdu, .. }) | UnitLocation::Pdu { pdu, .. },
        ) => same_pdu(actor, *pdu),
        (Grade::QualityInspection, unit) => within_region(actor, unit),
        (grade, _) => Decision::Refused(Refusal::GradeNotPermitted(grade)),
    }
}

fn within_region(actor: &Actor, unit: &UnitLocation) -> Decision {
    match unit {
        UnitLocation::Team(TeamLocation { region, .. })
        | UnitLocation::Pdu { region, .. }
        | UnitLocation::Region(region) => same_region(actor, *region),
        UnitLocation::Nation => Decision::Allowed,
    }
}

fn same_region(actor: &Actor, region: Uuid) -> Decision {
    if actor.region == region {
        Decision::Allowed
    } else {
        Decision::Refused(Refusal::OutsideRegion)
    }
}

fn allow_if(condition: bool, grade: Grade) -> Decision {
    if condition {
        Decision::Allowed
    } else {
        Decision::Refused(Refusal::GradeNotPermitted(grade))
    }
}

fn view_case(actor: &Actor, case: &CaseLocation) -> Decision {
    if actor.region != case.region {
        return Decision::Refused(Refusal::OutsideRegion);
    }
    match actor.grade {
        // Practitioners work their own team's cases, covering for colleagues when needed.
        Grade::ProbationOfficer | Grade::ProbationServiceOfficer | Grade::TraineeOfficer => {
            same_team(actor, case)
        }
        // Senior officers manage their team and allocate the PDU's waiting cases.
        Grade::SeniorProbationOfficer => {
            if case.team.is_none() && actor.pdu == Some(case.pdu) {
                Decision::Allowed
            } else {
                same_team(actor, case)
            }
        }
        Grade::HeadOfPdu => same_pdu(actor, case.pdu),
        // Victim liaison and quality staff work across the region.
        Grade::VictimLiaisonOfficer | Grade::QualityInspection => Decision::Allowed,
        // Administrators manage accounts, not casework; partners see only what is sent to them,
        // through the partner portal, never a case record.
        Grade::Administrator | Grade::PartnerUser => {
            Decision::Refused(Refusal::GradeNotPermitted(actor.grade))
        }
    }
}

/// Those who may open a case may work on it, except victim liaison, quality and administrators,
/// whose access is for their own purposes (read-only here).
fn work_on_case(actor: &Actor, case: &CaseLocation) -> Decision {
    match actor.grade {
        Grade::VictimLiaisonOfficer | Grade::QualityInspection | Grade::Administrator => {
            Decision::Refused(Refusal::GradeNotPermitted(actor.grade))
        }
        _ => view_case(actor, case),
    }
}

/// Victim liaison officers keep the records of victims across their region; nobody else sees who
/// a victim is or where they live.
fn work_with_victims(actor: &Actor, case: &CaseLocation) -> Decision {
    match actor.grade {
        Grade::VictimLiaisonOfficer => same_region(actor, case.region),
        grade => Decision::Refused(Refusal::GradeNotPermitted(grade)),
    }
}

/// Management oversight of risk: the senior officer of the case's team, or the head of its PDU.
fn manage_case_risk(actor: &Actor, case: &CaseLocation) -> Decision {
    if actor.region != case.region {
        return Decision::Refused(Refusal::OutsideRegion);
    }
    match actor.grade {
        // A case waiting for allocation has no team yet: any senior officer of its PDU may
        // oversee it (and allocate it).
        Grade::SeniorProbationOfficer if case.team.is_none() => same_pdu(actor, case.pdu),
        Grade::SeniorProbationOfficer => same_team(actor, case),
        Grade::HeadOfPdu => same_pdu(actor, case.pdu),
        grade => Decision::Refused(Refusal::GradeNotPermitted(grade)),
    }
}

fn same_team(actor: &Actor, case: &CaseLocation) -> Decision {
    match (actor.team, case.team) {
        (Some(mine), Some(theirs)) if mine == theirs => Decision::Allowed,
        _ if actor.pdu != Some(case.pdu) => Decision::Refused(Refusal::OutsidePdu),
        _ => Decision::Refused(Refusal::CaseOutsideTeam),
    }
}

fn same_pdu(actor: &Actor, pdu: Uuid) -> Decision {
    if actor.pdu == Some(pdu) {
        Decision::Allowed
    } else {
        Decision::Refused(Refusal::OutsidePdu)
    }
}

fn manage_staff_caseload(actor: &Actor, team: &TeamLocation) -> Decision {
    match actor.grade {
        Grade::SeniorProbationOfficer | Grade::HeadOfPdu => view_team_caseload(actor, team),
        grade => Decision::Refused(Refusal::GradeNotPermitted(grade)),
    }
}

fn view_team_caseload(actor: &Actor, team: &TeamLocation) -> Decision {
    if actor.region != team.region {
        return Decision::Refused(Refusal::OutsideRegion);
    }
    match actor.grade {
        Grade::SeniorProbationOfficer => {
            if actor.team == Some(team.team) {
                Decision::Allowed
            } else if actor.pdu != Some(team.pdu) {
                Decision::Refused(Refusal::OutsidePdu)
            } else {
                Decision::Refused(Refusal::CaseOutsideTeam)
            }
        }
        Grade::HeadOfPdu => same_pdu(actor, team.pdu),
        Grade::QualityInspection => Decision::Allowed,
        grade => Decision::Refused(Refusal::GradeNotPermitted(grade)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Org {
        region: Uuid,
        other_region: Uuid,
        pdu: Uuid,
        other_pdu: Uuid,
        team: Uuid,
        other_team: Uuid,
    }

    fn org() -> Org {
        Org {
            region: Uuid::from_u128(1),
            other_region: Uuid::from_u128(2),
            pdu: Uuid::from_u128(10),
            other_pdu: Uuid::from_u128(11),
            team: Uuid::from_u128(100),
            other_team: Uuid::from_u128(101),
        }
    }

    fn actor(org: &Org, grade: Grade) -> Actor {
        Actor {
            staff_id: Uuid::from_u128(1000),
            grade,
            region: org.region,
            pdu: Some(org.pdu),
            team: Some(org.team),
        }
    }

    fn case_in(org: &Org, team: Option<Uuid>, pdu: Uuid) -> CaseLocation {
        CaseLocation {
            region: org.region,
            pdu,
            team,
        }
    }

    #[test]
    fn a_practitioner_may_open_a_case_managed_by_their_team() {
        let org = org();
        let case = case_in(&org, Some(org.team), org.pdu);
        for grade in [
            Grade::ProbationOfficer,
            Grade::ProbationServiceOfficer,
            Grade::TraineeOfficer,
        ] {
            assert!(decide(&actor(&org, grade), Action::ViewCase(&case)).is_allowed());
        }
    }

    #[test]
    fn a_practitioner_opening_another_teams_case_is_refused() {
        let org = org();
        let case = case_in(&org, Some(org.other_team), org.pdu);
        assert_eq!(
            decide(
                &actor(&org, Grade::ProbationOfficer),
                Action::ViewCase(&case)
            ),
            Decision::Refused(Refusal::CaseOutsideTeam)
        );
    }

    #[test]
    fn a_practitioner_opening_another_pdus_case_is_refused() {
        let org = org();
        let case = case_in(&org, Some(org.other_team), org.other_pdu);
        assert_eq!(
            decide(
                &actor(&org, Grade::ProbationOfficer),
                Action::ViewCase(&case)
            ),
            Decision::Refused(Refusal::OutsidePdu)
        );
    }

    #[test]
    fn a_practitioner_cannot_open_an_unallocated_case() {
        let org = org();
        let case = case_in(&org, None, org.pdu);
        assert_eq!(
            decide(
                &actor(&org, Grade::ProbationServiceOfficer),
                Action::ViewCase(&case)
            ),
            Decision::Refused(Refusal::CaseOutsideTeam)
        );
    }

    #[test]
    fn a_senior_officer_may_open_unallocated_cases_in_their_pdu_to_allocate_them() {
        let org = org();
        let waiting = case_in(&org, None, org.pdu);
        let elsewhere = case_in(&org, None, org.other_pdu);
        let spo = actor(&org, Grade::SeniorProbationOfficer);
        assert!(decide(&spo, Action::ViewCase(&waiting)).is_allowed());
        assert_eq!(
            decide(&spo, Action::ViewCase(&elsewhere)),
            Decision::Refused(Refusal::OutsidePdu)
        );
    }

    #[test]
    fn a_head_of_pdu_may_open_any_case_in_the_pdu_and_none_outside_it() {
        let org = org();
        let head = actor(&org, Grade::HeadOfPdu);
        let inside = case_in(&org, Some(org.other_team), org.pdu);
        let outside = case_in(&org, Some(org.other_team), org.other_pdu);
        assert!(decide(&head, Action::ViewCase(&inside)).is_allowed());
        assert_eq!(
            decide(&head, Action::ViewCase(&outside)),
            Decision::Refused(Refusal::OutsidePdu)
        );
    }

    #[test]
    fn nobody_may_open_a_case_in_another_region() {
        let org = org();
        let foreign = CaseLocation {
            region: org.other_region,
            pdu: org.other_pdu,
            team: Some(org.team),
        };
        for grade in [Grade::QualityInspection, Grade::ProbationOfficer] {
            assert_eq!(
                decide(&actor(&org, grade), Action::ViewCase(&foreign)),
                Decision::Refused(Refusal::OutsideRegion)
            );
        }
    }

    #[test]
    fn administrators_manage_accounts_but_cannot_read_cases() {
        let org = org();
        let admin = actor(&org, Grade::Administrator);
        let case = case_in(&org, Some(org.team), org.pdu);
        assert!(decide(&admin, Action::ManageUsers).is_allowed());
        assert_eq!(
            decide(&admin, Action::ViewCase(&case)),
            Decision::Refused(Refusal::GradeNotPermitted(Grade::Administrator))
        );
    }

    #[test]
    fn only_administrators_manage_accounts() {
        let org = org();
        for grade in [
            Grade::HeadOfPdu,
            Grade::ProbationOfficer,
            Grade::QualityInspection,
        ] {
            assert!(!decide(&actor(&org, grade), Action::ManageUsers).is_allowed());
        }
    }

    #[test]
    fn team_caseloads_are_for_the_teams_senior_officer_and_above() {
        let org = org();
        let team = TeamLocation {
            region: org.region,
            pdu: org.pdu,
            team: org.team,
        };
        let other = TeamLocation {
            team: org.other_team,
            ..team.clone()
        };
        let spo = actor(&org, Grade::SeniorProbationOfficer);
        assert!(decide(&spo, Action::ViewTeamCaseload(&team)).is_allowed());
        assert_eq!(
            decide(&spo, Action::ViewTeamCaseload(&other)),
            Decision::Refused(Refusal::CaseOutsideTeam)
        );
        assert!(decide(
            &actor(&org, Grade::HeadOfPdu),
            Action::ViewTeamCaseload(&other)
        )
        .is_allowed());
        assert_eq!(
            decide(
                &actor(&org, Grade::ProbationOfficer),
                Action::ViewTeamCaseload(&team)
            ),
            Decision::Refused(Refusal::GradeNotPermitted(Grade::ProbationOfficer))
        );
    }

    #[test]
    fn victim_liaison_and_quality_staff_read_cases_but_do_not_work_on_them() {
        let org = org();
        let case = case_in(&org, Some(org.team), org.pdu);
        for grade in [Grade::VictimLiaisonOfficer, Grade::QualityInspection] {
            assert!(decide(&actor(&org, grade), Action::ViewCase(&case)).is_allowed());
            assert!(!decide(&actor(&org, grade), Action::WorkOnCase(&case)).is_allowed());
        }
        assert!(decide(
            &actor(&org, Grade::ProbationServiceOfficer),
            Action::WorkOnCase(&case)
        )
        .is_allowed());
    }

    #[test]
    fn a_senior_officer_oversees_an_unallocated_case_in_their_pdu_only() {
        let org = org();
        let spo = actor(&org, Grade::SeniorProbationOfficer);
        let waiting = case_in(&org, None, org.pdu);
        assert!(decide(&spo, Action::ManageCaseRisk(&waiting)).is_allowed());
        let waiting_elsewhere = case_in(&org, None, org.other_pdu);
        assert_eq!(
            decide(&spo, Action::ManageCaseRisk(&waiting_elsewhere)),
            Decision::Refused(Refusal::OutsidePdu)
        );
        assert_eq!(
            decide(
                &actor(&org, Grade::ProbationOfficer),
                Action::ManageCaseRisk(&waiting)
            ),
            Decision::Refused(Refusal::GradeNotPermitted(Grade::ProbationOfficer))
        );
    }

    #[test]
    fn only_the_teams_senior_officer_or_the_head_of_pdu_oversee_risk() {
        let org = org();
        let case = case_in(&org, Some(org.team), org.pdu);
        let elsewhere = case_in(&org, Some(org.other_team), org.pdu);
        assert!(decide(
            &actor(&org, Grade::SeniorProbationOfficer),
            Action::ManageCaseRisk(&case)
        )
        .is_allowed());
        assert_eq!(
            decide(
                &actor(&org, Grade::SeniorProbationOfficer),
                Action::ManageCaseRisk(&elsewhere)
            ),
            Decision::Refused(Refusal::CaseOutsideTeam)
        );
        assert!(decide(
            &actor(&org, Grade::HeadOfPdu),
            Action::ManageCaseRisk(&elsewhere)
        )
        .is_allowed());
        assert_eq!(
            decide(
                &actor(&org, Grade::ProbationOfficer),
                Action::ManageCaseRisk(&case)
            ),
            Decision::Refused(Refusal::GradeNotPermitted(Grade::ProbationOfficer))
        );
    }

    #[test]
    fn only_managers_and_quality_staff_list_teams() {
        let org = org();
        for grade in [
            Grade::SeniorProbationOfficer,
            Grade::HeadOfPdu,
            Grade::QualityInspection,
        ] {
            assert!(decide(&actor(&org, grade), Action::ListTeams).is_allowed());
        }
        for grade in [
            Grade::ProbationOfficer,
            Grade::VictimLiaisonOfficer,
            Grade::Administrator,
        ] {
            assert!(!decide(&actor(&org, grade), Action::ListTeams).is_allowed());
        }
    }

    #[test]
    fn practitioners_see_their_own_workload_and_managers_their_teams() {
        let org = org();
        let team = TeamLocation {
            region: org.region,
            pdu: org.pdu,
            team: org.team,
        };
        let other = TeamLocation {
            team: org.other_team,
            ..team.clone()
        };
        let po = actor(&org, Grade::ProbationOfficer);
        assert!(decide(
            &po,
            Action::ViewStaffWorkload {
                staff_id: po.staff_id,
                team: &team
            }
        )
        .is_allowed());
        assert!(!decide(
            &po,
            Action::ViewStaffWorkload {
                staff_id: Uuid::from_u128(5),
                team: &team
            }
        )
        .is_allowed());
        let spo = actor(&org, Grade::SeniorProbationOfficer);
        assert!(decide(
            &spo,
            Action::ViewStaffWorkload {
                staff_id: Uuid::from_u128(5),
                team: &team
            }
        )
        .is_allowed());
        assert!(!decide(
            &spo,
            Action::ViewStaffWorkload {
                staff_id: Uuid::from_u128(5),
                team: &other
            }
        )
        .is_allowed());
        assert!(decide(&spo, Action::ViewWorkload).is_allowed());
        assert!(!decide(&po, Action::ViewWorkload).is_allowed());
    }

    #[test]
    fn only_practitioners_have_their_own_caseload() {
        let org = org();
        assert!(decide(
            &actor(&org, Grade::ProbationOfficer),
            Action::ViewOwnCaseload
        )
        .is_allowed());
        assert!(!decide(&actor(&org, Grade::Administrator), Action::ViewOwnCaseload).is_allowed());
    }

    #[test]
    fn refusal_messages_tell_the_user_what_to_do() {
        assert!(Refusal::CaseOutsideTeam
            .message()
            .contains("senior probation officer"));
    }

    #[test]
    fn only_the_team_senior_officer_or_the_head_of_pdu_manages_a_practitioners_caseload() {
        let org = org();
        let team = TeamLocation {
            region: org.region,
            pdu: org.pdu,
            team: org.team,
        };
        let other_team = TeamLocation {
            team: org.other_team,
            ..team.clone()
        };
        let manage = |grade, team: &TeamLocation| {
            decide(&actor(&org, grade), Action::ManageStaffCaseload { team })
        };
        assert!(manage(Grade::SeniorProbationOfficer, &team).is_allowed());
        assert_eq!(
            manage(Grade::SeniorProbationOfficer, &other_team),
            Decision::Refused(Refusal::CaseOutsideTeam)
        );
        assert!(manage(Grade::HeadOfPdu, &other_team).is_allowed());
        for grade in [
            Grade::ProbationOfficer,
            Grade::QualityInspection,
            Grade::VictimLiaisonOfficer,
            Grade::Administrator,
        ] {
            assert_eq!(
                manage(grade, &team),
                Decision::Refused(Refusal::GradeNotPermitted(grade))
            );
        }
        let elsewhere = TeamLocation {
            pdu: org.other_pdu,
            ..other_team
        };
        assert_eq!(
            manage(Grade::HeadOfPdu, &elsewhere),
            Decision::Refused(Refusal::OutsidePdu)
        );
    }

    fn team_of(org: &Org, team: Uuid, pdu: Uuid) -> UnitLocation {
        UnitLocation::Team(TeamLocation {
            region: org.region,
            pdu,
            team,
        })
    }

    #[test]
    fn a_senior_officer_sees_the_quality_of_their_pdu_and_its_teams_only() {
        let org = org();
        let spo = actor(&org, Grade::SeniorProbationOfficer);
        let own_pdu = UnitLocation::Pdu {
            region: org.region,
            pdu: org.pdu,
        };
        assert!(decide(&spo, Action::ViewQuality(&team_of(&org, org.team, org.pdu))).is_allowed());
        assert!(decide(&spo, Action::ViewQuality(&own_pdu)).is_allowed());
        assert!(decide(
            &spo,
            Action::ViewQuality(&team_of(&org, org.other_team, org.pdu))
        )
        .is_allowed());
        assert_eq!(
            decide(
                &spo,
                Action::ViewQuality(&team_of(&org, Uuid::new_v4(), org.other_pdu))
            ),
            Decision::Refused(Refusal::OutsidePdu)
        );
        assert!(!decide(&spo, Action::ViewQuality(&UnitLocation::Region(org.region))).is_allowed());
    }

    #[test]
    fn quality_staff_see_their_region_and_the_nation_but_not_another_region() {
        let org = org();
        let quality = actor(&org, Grade::QualityInspection);
        assert!(decide(
            &quality,
            Action::ViewQuality(&UnitLocation::Region(org.region))
        )
        .is_allowed());
        assert!(decide(&quality, Action::ViewQuality(&UnitLocation::Nation)).is_allowed());
        assert_eq!(
            decide(
                &quality,
                Action::ViewQuality(&UnitLocation::Region(org.other_region))
            ),
            Decision::Refused(Refusal::OutsideRegion)
        );
    }

    #[test]
    fn practitioners_administrators_and_partners_see_no_quality_ratings() {
        let org = org();
        let unit = team_of(&org, org.team, org.pdu);
        for grade in [
            Grade::ProbationOfficer,
            Grade::ProbationServiceOfficer,
            Grade::TraineeOfficer,
            Grade::VictimLiaisonOfficer,
            Grade::Administrator,
            Grade::PartnerUser,
        ] {
            let someone = actor(&org, grade);
            assert_eq!(
                decide(&someone, Action::ViewQuality(&unit)),
                Decision::Refused(Refusal::GradeNotPermitted(grade)),
                "{grade}"
            );
            assert!(!decide(&someone, Action::ManageQuality(&unit)).is_allowed());
        }
    }

    #[test]
    fn managers_audit_cases_in_their_pdu_and_quality_staff_across_the_region() {
        let org = org();
        let other_team_case = case_in(&org, Some(org.other_team), org.pdu);
        let other_pdu_case = case_in(&org, None, org.other_pdu);
        let spo = actor(&org, Grade::SeniorProbationOfficer);
        assert!(decide(&spo, Action::AuditCase(&other_team_case)).is_allowed());
        assert_eq!(
            decide(&spo, Action::AuditCase(&other_pdu_case)),
            Decision::Refused(Refusal::OutsidePdu)
        );
        let quality = actor(&org, Grade::QualityInspection);
        assert!(decide(&quality, Action::AuditCase(&other_pdu_case)).is_allowed());
        let po = actor(&org, Grade::ProbationOfficer);
        assert_eq!(
            decide(&po, Action::AuditCase(&other_team_case)),
            Decision::Refused(Refusal::GradeNotPermitted(Grade::ProbationOfficer))
        );
    }

    #[test]
    fn only_the_head_of_pdu_and_quality_staff_run_quality_assurance_and_never_for_the_nation() {
        let org = org();
        let pdu = UnitLocation::Pdu {
            region: org.region,
            pdu: org.pdu,
        };
        let other_pdu = UnitLocation::Pdu {
            region: org.region,
            pdu: org.other_pdu,
        };
        let head = actor(&org, Grade::HeadOfPdu);
        assert!(decide(&head, Action::ManageQuality(&pdu)).is_allowed());
        assert_eq!(
            decide(&head, Action::ManageQuality(&other_pdu)),
            Decision::Refused(Refusal::OutsidePdu)
        );
        let spo = actor(&org, Grade::SeniorProbationOfficer);
        assert!(!decide(&spo, Action::ManageQuality(&pdu)).is_allowed());
        let quality = actor(&org, Grade::QualityInspection);
        assert!(decide(&quality, Action::ManageQuality(&other_pdu)).is_allowed());
        assert!(!decide(&quality, Action::ManageQuality(&UnitLocation::Nation)).is_allowed());
    }

    #[test]
    fn only_victim_liaison_officers_have_the_release_worklist() {
        let org = org();
        for grade in [
            Grade::ProbationOfficer,
            Grade::SeniorProbationOfficer,
            Grade::HeadOfPdu,
            Grade::QualityInspection,
            Grade::Administrator,
        ] {
            assert!(!decide(&actor(&org, grade), Action::ViewReleaseWorklist).is_allowed());
        }
        assert!(decide(
            &actor(&org, Grade::VictimLiaisonOfficer),
            Action::ViewReleaseWorklist
        )
        .is_allowed());
    }

    #[test]
    fn only_victim_liaison_works_with_victims_records_and_only_in_their_region() {
        let org = org();
        let case = case_in(&org, Some(org.team), org.pdu);
        assert!(decide(
            &actor(&org, Grade::VictimLiaisonOfficer),
            Action::WorkWithVictims(&case)
        )
        .is_allowed());
        for grade in [
            Grade::ProbationOfficer,
            Grade::SeniorProbationOfficer,
            Grade::HeadOfPdu,
            Grade::QualityInspection,
            Grade::Administrator,
        ] {
            assert_eq!(
                decide(&actor(&org, grade), Action::WorkWithVictims(&case)),
                Decision::Refused(Refusal::GradeNotPermitted(grade)),
                "{grade:?}"
            );
        }
        let elsewhere = CaseLocation {
            region: org.other_region,
            ..case
        };
        assert_eq!(
            decide(
                &actor(&org, Grade::VictimLiaisonOfficer),
                Action::WorkWithVictims(&elsewhere)
            ),
            Decision::Refused(Refusal::OutsideRegion)
        );
    }

    #[test]
    fn reoffending_outcomes_are_for_managers_and_quality_staff_only() {
        let org = org();
        for grade in [
            Grade::SeniorProbationOfficer,
            Grade::HeadOfPdu,
            Grade::QualityInspection,
        ] {
            assert!(
                decide(&actor(&org, grade), Action::ViewReoffendingOutcomes).is_allowed(),
                "{grade:?}"
            );
        }
        for grade in [
            Grade::ProbationOfficer,
            Grade::ProbationServiceOfficer,
            Grade::VictimLiaisonOfficer,
            Grade::Administrator,
            Grade::PartnerUser,
        ] {
            assert_eq!(
                decide(&actor(&org, grade), Action::ViewReoffendingOutcomes),
                Decision::Refused(Refusal::GradeNotPermitted(grade)),
                "{grade:?}"
            );
        }
    }

    #[test]
    fn a_serious_further_offence_review_is_read_by_the_head_of_pdu_quality_staff_and_its_reviewer()
    {
        let org = org();
        let case = case_in(&org, Some(org.team), org.pdu);
        let reviewer = Uuid::from_u128(5000);
        let view = Action::ViewSfo {
            case: &case,
            reviewer: Some(reviewer),
        };
        assert!(decide(&actor(&org, Grade::HeadOfPdu), view).is_allowed());
        assert!(decide(&actor(&org, Grade::QualityInspection), view).is_allowed());
        let mut assigned = actor(&org, Grade::SeniorProbationOfficer);
        assigned.staff_id = reviewer;
        assigned.pdu = Some(org.other_pdu);
        assigned.team = Some(org.other_team);
        assert!(decide(&assigned, view).is_allowed());
        assert!(decide(
            &assigned,
            Action::ReviewSfo {
                case: &case,
                reviewer: Some(reviewer)
            }
        )
        .is_allowed());
    }

    #[test]
    fn the_practitioner_the_teams_senior_officer_victim_liaison_and_others_may_not_read_an_sfo_review(
    ) {
        let org = org();
        let case = case_in(&org, Some(org.team), org.pdu);
        let view = Action::ViewSfo {
            case: &case,
            reviewer: Some(Uuid::from_u128(5000)),
        };
        for grade in [
            Grade::ProbationOfficer,
            Grade::ProbationServiceOfficer,
            Grade::TraineeOfficer,
            Grade::SeniorProbationOfficer,
            Grade::VictimLiaisonOfficer,
            Grade::Administrator,
            Grade::PartnerUser,
        ] {
            assert_eq!(
                decide(&actor(&org, grade), view),
                Decision::Refused(Refusal::GradeNotPermitted(grade)),
                "{grade:?}"
            );
        }
        let mut other_head = actor(&org, Grade::HeadOfPdu);
        other_head.pdu = Some(org.other_pdu);
        assert_eq!(
            decide(&other_head, view),
            Decision::Refused(Refusal::OutsidePdu)
        );
        let mut other_region = actor(&org, Grade::QualityInspection);
        other_region.region = org.other_region;
        assert_eq!(
            decide(&other_region, view),
            Decision::Refused(Refusal::OutsideRegion)
        );
    }

    #[test]
    fn only_the_assigned_reviewer_writes_the_review_and_only_managers_notify() {
        let org = org();
        let case = case_in(&org, Some(org.team), org.pdu);
        let head = actor(&org, Grade::HeadOfPdu);
        let review = Action::ReviewSfo {
            case: &case,
            reviewer: Some(Uuid::from_u128(5000)),
        };
        assert!(!decide(&head, review).is_allowed());
        assert!(decide(&head, Action::ManageSfo(&case)).is_allowed());
        assert!(!decide(
            &actor(&org, Grade::SeniorProbationOfficer),
            Action::ManageSfo(&case)
        )
        .is_allowed());
        assert!(!decide(&actor(&org, Grade::ProbationOfficer), Action::ViewSfoList).is_allowed());
        assert!(decide(
            &actor(&org, Grade::SeniorProbationOfficer),
            Action::ViewSfoList
        )
        .is_allowed());
    }
}
