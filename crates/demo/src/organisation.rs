//! The region's structure and staff: PDUs, teams, the practitioners who hold cases, their
//! managers, and the region-wide roles. The demo sign-in accounts are given to named positions
//! here so tests and demonstrations can rely on where each one sits.

use crate::model::{Pdu, Region, StaffMember, Team};
use crate::names::full_name;
use crate::plan::{PduPlan, RegionPlan};
use crate::random::DemoRng;
use keepsafe_domain::person::Sex;
use keepsafe_domain::staff::{ContractedHours, Grade};
use uuid::Uuid;

/// Practitioner grades in the order teams list them.
const PRACTITIONER_GRADES: [Grade; 3] = [
    Grade::ProbationOfficer,
    Grade::ProbationServiceOfficer,
    Grade::TraineeOfficer,
];

/// The generated organisation, plus who in each PDU can be allocated cases.
pub(crate) struct Organisation {
    pub region: Region,
    pub pdus: Vec<Pdu>,
    pub teams: Vec<Team>,
    pub staff: Vec<StaffMember>,
    /// Per PDU, in plan order.
    pub practitioners: Vec<Vec<Practitioner>>,
}

/// A member of staff who can hold a caseload, with what allocation needs to know about them.
#[derive(Debug, Clone)]
pub(crate) struct Practitioner {
    pub staff_id: Uuid,
    pub team_id: Uuid,
    pub team_name: String,
    pub grade: Grade,
    /// Relative share of their grade's cases: contracted hours with some individual variation
    /// (reductions, experience). Demo accounts get their grade's average share, so a demo
    /// officer's caseload is the typical one.
    pub weight: f64,
}

/// Builds the organisation the plan describes.
pub(crate) fn build(rng: &mut DemoRng, plan: &RegionPlan) -> Organisation {
    let region = Region {
        id: rng.id(),
        code: plan.identity.code.clone(),
        name: plan.identity.name.clone(),
    };
    let mut organisation = Organisation {
        region,
        pdus: Vec::new(),
        teams: Vec::new(),
        staff: Vec::new(),
        practitioners: Vec::new(),
    };
    for (index, pdu_plan) in plan.pdus.iter().enumerate() {
        add_pdu(
            rng,
            &mut organisation,
            plan.demo_accounts && index == 0,
            pdu_plan,
        );
    }
    add_region_staff(rng, &mut organisation, plan);
    organisation
}

/// Adds a PDU with its staff; `demo` is true for the PDU that holds the demo accounts.
fn add_pdu(rng: &mut DemoRng, organisation: &mut Organisation, demo: bool, plan: &PduPlan) {
    let pdu = Pdu {
        id: rng.id(),
        region_id: organisation.region.id,
        code: plan.code.clone(),
        name: plan.name.clone(),
    };
    let head_username = demo.then_some("head.demo");
    let head = staff_member(rng, organisation.region.id, Grade::HeadOfPdu, head_username);
    organisation.staff.push(StaffMember {
        pdu_id: Some(pdu.id),
        ..head
    });

    let teams: Vec<Team> = (0..plan.teams)
        .map(|number| Team {
            id: rng.id(),
            pdu_id: pdu.id,
            code: format!("{}-T{}", plan.code, number + 1),
            name: plan.team_names[number].clone(),
        })
        .collect();
    let mut practitioners = Vec::new();
    for (team_index, team) in teams.iter().enumerate() {
        let seats = team_seats(plan, team_index);
        for (grade, nth) in seats {
            let username = demo
                .then(|| demo_username(team_index, grade, nth))
                .flatten();
            let member = StaffMember {
                pdu_id: Some(pdu.id),
                team_id: Some(team.id),
                ..staff_member(rng, organisation.region.id, grade, username)
            };
            if grade.holds_caseload() {
                practitioners.push(Practitioner {
                    staff_id: member.id,
                    team_id: team.id,
                    team_name: plan.team_names[team_index].clone(),
                    grade,
                    weight: caseload_weight(rng, &member),
                });
            }
            organisation.staff.push(member);
        }
    }
    let demo_accounts: Vec<Uuid> = organisation
        .staff
        .iter()
        .filter(|member| member.username.is_some())
        .map(|member| member.id)
        .collect();
    give_demo_accounts_typical_shares(&mut practitioners, &demo_accounts);
    organisation.pdus.push(pdu);
    organisation.teams.extend(teams);
    organisation.practitioners.push(practitioners);
}

/// The grades sitting in one team, in listing order: the SPO, then practitioners. Each grade's
/// practitioners are dealt round the teams from the first, so the first team always has one of
/// every grade and the second at least a PO.
fn team_seats(plan: &PduPlan, team_index: usize) -> Vec<(Grade, usize)> {
    let mix = plan.practitioners();
    let mut seats = vec![(Grade::SeniorProbationOfficer, 0)];
    for grade in PRACTITIONER_GRADES {
        let dealt = mix.count(grade);
        let in_team = dealt / plan.teams + usize::from(team_index < dealt % plan.teams);
        seats.extend((0..in_team).map(|nth| (grade, nth)));
    }
    seats
}

/// The demo sign-in accounts: all in the calibrated PDU's first team, except `po.other`, a PO in
/// its second team, so tests can show a practitioner cannot open another team's case.
fn demo_username(team: usize, grade: Grade, nth: usize) -> Option<&'static str> {
    match (team, grade, nth) {
        (0, Grade::ProbationOfficer, 0) => Some("po.demo"),
        (0, Grade::ProbationServiceOfficer, 0) => Some("pso.demo"),
        (0, Grade::TraineeOfficer, 0) => Some("trainee.demo"),
        (0, Grade::SeniorProbationOfficer, 0) => Some("spo.demo"),
        (1, Grade::ProbationOfficer, 0) => Some("po.other"),
        _ => None,
    }
}

fn add_region_staff(rng: &mut DemoRng, organisation: &mut Organisation, plan: &RegionPlan) {
    let roles = [
        (
            Grade::VictimLiaisonOfficer,
            plan.victim_liaison_officers,
            "vlo.demo",
        ),
        (Grade::QualityInspection, plan.quality_staff, "quality.demo"),
        (Grade::Administrator, plan.administrators, "admin.demo"),
    ];
    for (grade, count, username) in roles {
        for nth in 0..count {
            let member = staff_member(
                rng,
                organisation.region.id,
                grade,
                (plan.demo_accounts && nth == 0).then_some(username),
            );
            organisation.staff.push(member);
        }
    }
}

/// A member of staff attached to the region only; callers add their PDU and team.
pub(crate) fn staff_member(
    rng: &mut DemoRng,
    region_id: Uuid,
    grade: Grade,
    username: Option<&str>,
) -> StaffMember {
    // About seven in ten probation staff are women.
    let sex = if rng.chance(0.7) {
        Sex::Female
    } else {
        Sex::Male
    };
    let (first_name, last_name) = full_name(rng, sex);
    let contracted_hours = match username {
        Some(_) => ContractedHours::FULL_TIME,
        None => contracted_hours(rng, grade),
    };
    StaffMember {
        id: rng.id(),
        first_name,
        last_name,
        grade,
        contracted_hours,
        region_id,
        pdu_id: None,
        team_id: None,
        username: username.map(str::to_owned),
        partner: None,
    }
}

/// Mostly full-time; some part-time patterns. Trainees train full-time.
fn contracted_hours(rng: &mut DemoRng, grade: Grade) -> f64 {
    match grade {
        Grade::TraineeOfficer => ContractedHours::FULL_TIME,
        Grade::SeniorProbationOfficer | Grade::HeadOfPdu => {
            rng.weighted(&[(ContractedHours::FULL_TIME, 9), (30.0, 1)])
        }
        _ => rng.weighted(&[
            (ContractedHours::FULL_TIME, 74),
            (30.0, 10),
            (22.5, 8),
            (18.5, 8),
        ]),
    }
}

fn caseload_weight(rng: &mut DemoRng, member: &StaffMember) -> f64 {
    member.contracted_hours / ContractedHours::FULL_TIME * rng.range(0.9..1.1)
}

/// Sets each demo account's weight to the average of the other practitioners of its grade.
fn give_demo_accounts_typical_shares(practitioners: &mut [Practitioner], demo_accounts: &[Uuid]) {
    let is_demo = |p: &Practitioner| demo_accounts.contains(&p.staff_id);
    for grade in PRACTITIONER_GRADES {
        let others: Vec<f64> = practitioners
            .iter()
            .filter(|p| p.grade == grade && !is_demo(p))
            .map(|p| p.weight)
            .collect();
        if others.is_empty() {
            continue;
        }
        let typical = others.iter().sum::<f64>() / others.len() as f64;
        for practitioner in practitioners.iter_mut() {
            if practitioner.grade == grade && demo_accounts.contains(&practitioner.staff_id) {
                practitioner.weight = typical;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Scale;

    #[test]
    fn every_team_has_one_senior_probation_officer() {
        let plan = RegionPlan::for_scale(Scale::Region);
        let organisation = build(&mut DemoRng::from_seed(1), &plan);
        for team in &organisation.teams {
            let spos = organisation
                .staff
                .iter()
                .filter(|s| s.team_id == Some(team.id))
                .filter(|s| s.grade == Grade::SeniorProbationOfficer)
                .count();
            assert_eq!(spos, 1, "{}", team.name);
        }
    }

    #[test]
    fn contracted_hours_are_valid_working_weeks() {
        let plan = RegionPlan::for_scale(Scale::Region);
        let organisation = build(&mut DemoRng::from_seed(1), &plan);
        for member in &organisation.staff {
            assert!(ContractedHours::parse(member.contracted_hours).is_ok());
        }
        assert!(organisation
            .staff
            .iter()
            .any(|member| member.contracted_hours < ContractedHours::FULL_TIME));
    }
}
