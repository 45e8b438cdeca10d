//! How big each part of the region is at each scale: people per PDU by case type, teams, and the
//! practitioners needed to hold the caseload at the calibrated averages.

use crate::places::{PduPlace, PDUS, REGION};
use crate::spec::Scale;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::staff::Grade;

/// Average current caseloads the demo is calibrated to (reference §1: East Midlands 2025 — 34 per
/// PO, 41 per PSO); trainees carry a protected, smaller caseload.
const PO_CASELOAD: f64 = 34.0;
const PSO_CASELOAD: f64 = 41.0;
const TRAINEE_CASELOAD: f64 = 17.0;

/// The calibrated average caseload for a grade; none for grades that hold no cases.
pub(crate) fn calibrated_caseload(grade: Grade) -> f64 {
    match grade {
        Grade::ProbationOfficer => PO_CASELOAD,
        Grade::ProbationServiceOfficer => PSO_CASELOAD,
        Grade::TraineeOfficer => TRAINEE_CASELOAD,
        _ => 0.0,
    }
}

/// Shares of practitioners by grade.
const PO_SHARE: f64 = 0.55;
const TRAINEE_SHARE: f64 = 0.12;

/// One PDU's size and name. `place` is the patch whose towns, streets and courts its addresses
/// and appointments use; the region scale's PDUs are their patches, the national scale's reuse
/// them under names of their own.
#[derive(Clone)]
pub(crate) struct PduPlan {
    pub place: &'static PduPlace,
    pub code: String,
    pub name: String,
    pub team_names: Vec<String>,
    pub community: usize,
    pub licence: usize,
    pub custody: usize,
    /// Convicted and awaiting sentence while a court report is prepared.
    pub pre_sentence: usize,
    /// Cases waiting for allocation: no current officer.
    pub unallocated: usize,
    pub teams: usize,
}

/// How many of each practitioner grade a PDU has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PractitionerMix {
    pub probation_officers: usize,
    pub service_officers: usize,
    pub trainees: usize,
}

impl PractitionerMix {
    pub(crate) fn count(self, grade: Grade) -> usize {
        match grade {
            Grade::ProbationOfficer => self.probation_officers,
            Grade::ProbationServiceOfficer => self.service_officers,
            Grade::TraineeOfficer => self.trainees,
            _ => 0,
        }
    }
}

impl PduPlan {
    /// A PDU that is its patch: named as it is, with its teams' names.
    fn of_place(
        place: &'static PduPlace,
        sizes: [usize; 4],
        unallocated: usize,
        teams: usize,
    ) -> Self {
        let [community, licence, custody, pre_sentence] = sizes;
        Self {
            place,
            code: place.code.to_owned(),
            name: place.name.to_owned(),
            team_names: place
                .team_names
                .iter()
                .map(|name| (*name).to_owned())
                .collect(),
            community,
            licence,
            custody,
            pre_sentence,
            unallocated,
            teams,
        }
    }

    pub(crate) fn people(&self) -> usize {
        self.community + self.licence + self.custody + self.pre_sentence
    }

    pub(crate) fn allocated(&self) -> usize {
        self.people() - self.unallocated
    }

    /// Unallocated cases whose officer's allocation has ended, back in the team's queue.
    pub(crate) fn returned_for_reallocation(&self) -> usize {
        self.unallocated / 4
    }

    /// Unallocated cases that are new: just sentenced or awaiting sentence, never allocated.
    pub(crate) fn awaiting_first_allocation(&self) -> usize {
        self.unallocated - self.returned_for_reallocation()
    }

    /// One case type per person, in plan order (the generator shuffles them).
    pub(crate) fn case_types(&self) -> Vec<CaseType> {
        [
            (CaseType::Community, self.community),
            (CaseType::Licence, self.licence),
            (CaseType::Custody, self.custody),
            (CaseType::PreSentence, self.pre_sentence),
        ]
        .into_iter()
        .flat_map(|(case_type, count)| std::iter::repeat_n(case_type, count))
        .collect()
    }

    /// Enough practitioners for the allocated caseload to average the calibrated caseloads, and
    /// at least three per team so every team can hold a PO, a PSO and a trainee.
    pub(crate) fn practitioners(&self) -> PractitionerMix {
        let average = PO_SHARE * PO_CASELOAD
            + (1.0 - PO_SHARE - TRAINEE_SHARE) * PSO_CASELOAD
            + TRAINEE_SHARE * TRAINEE_CASELOAD;
        let total = ((self.allocated() as f64 / average).round() as usize).max(3 * self.teams);
        let trainees = ((total as f64 * TRAINEE_SHARE).round() as usize).max(1);
        let probation_officers = ((total as f64 * PO_SHARE).round() as usize).max(self.teams);
        PractitionerMix {
            probation_officers,
            service_officers: total - probation_officers - trainees,
            trainees,
        }
    }
}

/// A region's name, code and the first letter of the CRNs it issues.
#[derive(Clone)]
pub(crate) struct RegionIdentity {
    pub code: String,
    pub name: String,
    pub crn_letter: char,
}

/// The whole region's size.
#[derive(Clone)]
pub(crate) struct RegionPlan {
    pub identity: RegionIdentity,
    /// Whether this region holds the demo sign-in accounts and partner users (only the first
    /// region of any scale does).
    pub demo_accounts: bool,
    /// The first PDU is the calibrated one and holds the demo accounts.
    pub pdus: Vec<PduPlan>,
    pub victim_liaison_officers: usize,
    pub quality_staff: usize,
    pub administrators: usize,
}

impl RegionPlan {
    /// The demo region at `scale`: the only region of the small and region scales, and the
    /// first of the national scale's.
    pub(crate) fn for_scale(scale: Scale) -> Self {
        match scale {
            Scale::Small => Self::small(),
            Scale::Region | Scale::National => Self::region(),
        }
    }

    fn small() -> Self {
        Self {
            identity: RegionIdentity::demo(),
            demo_accounts: true,
            pdus: vec![PduPlan::of_place(&PDUS[0], [29, 17, 12, 2], 3, 2)],
            victim_liaison_officers: 1,
            quality_staff: 1,
            administrators: 1,
        }
    }

    /// The first PDU is reference §1's inspected PDU (892 community, 543 licence, 417 custody);
    /// the others are smaller with the same proportions.
    fn region() -> Self {
        Self {
            identity: RegionIdentity::demo(),
            demo_accounts: true,
            pdus: vec![
                PduPlan::of_place(&PDUS[0], [892, 543, 417, 28], 22, 6),
                PduPlan::of_place(&PDUS[1], [578, 352, 270, 20], 16, 4),
                PduPlan::of_place(&PDUS[2], [433, 264, 203, 14], 12, 3),
            ],
            victim_liaison_officers: 4,
            quality_staff: 2,
            administrators: 2,
        }
    }

    pub(crate) fn people(&self) -> usize {
        self.pdus.iter().map(PduPlan::people).sum()
    }
}

impl RegionIdentity {
    /// Midshire and Fens, the demo region of every scale.
    pub(crate) fn demo() -> Self {
        Self {
            code: REGION.code.to_owned(),
            name: REGION.name.to_owned(),
            crn_letter: REGION.crn_letter,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_calibrated_pdu_matches_the_inspected_pdu() {
        let plan = RegionPlan::for_scale(Scale::Region);
        let calibrated = &plan.pdus[0];
        assert_eq!(
            (calibrated.community, calibrated.licence, calibrated.custody),
            (892, 543, 417)
        );
        assert_eq!(calibrated.people() - calibrated.pre_sentence, 1852);
    }

    #[test]
    fn every_plan_has_names_for_its_teams() {
        for scale in Scale::ALL {
            for pdu in RegionPlan::for_scale(scale).pdus {
                assert!(pdu.teams <= pdu.team_names.len(), "{}", pdu.code);
            }
        }
    }

    #[test]
    fn teams_have_six_to_ten_practitioners_at_region_scale() {
        for pdu in RegionPlan::for_scale(Scale::Region).pdus {
            let mix = pdu.practitioners();
            let total = mix.probation_officers + mix.service_officers + mix.trainees;
            let per_team = total as f64 / pdu.teams as f64;
            assert!((6.0..=10.0).contains(&per_team), "{per_team}");
        }
    }

    #[test]
    fn the_small_plan_has_room_for_every_demo_practitioner() {
        let mix = RegionPlan::for_scale(Scale::Small).pdus[0].practitioners();
        assert!(mix.probation_officers >= 2 && mix.service_officers >= 1 && mix.trainees >= 1);
    }
}
