//! The national scale: the demo region and eleven more, about 110 PDUs and 250,000 people in
//! all (reference §1: 12 regions, 240,362 people under supervision at the end of 2024), so
//! region and nation views, imports and benchmarks meet the sizes the service runs at.
//!
//! The other regions are as fictional as the demo one. Their PDUs borrow the demo region's
//! three patches for their streets, courts and offices (so addresses stay valid, unused
//! postcodes) under names of their own, and their sizes keep the calibrated PDU's proportions
//! of community, licence and custody cases, varied from PDU to PDU.

use crate::places::PDUS;
use crate::plan::{PduPlan, RegionIdentity, RegionPlan};
use crate::random::DemoRng;

/// Offsets the seed for the national plan's own stream (PDU sizes).
const STREAM: u64 = 0x5eed_0006;

/// People across the eleven regions beside the demo one, so the nation holds about 250,000.
const OTHER_REGIONS_PEOPLE: usize = 246_000;

/// The eleven other regions: code, name, CRN letter and number of PDUs (107 with the demo
/// region's 3 makes 110). The demo region issues CRNs beginning M.
const OTHER_REGIONS: [(&str, &str, char, usize); 11] = [
    ("NMR", "Northmoor", 'N', 10),
    ("WVL", "Westvale", 'W', 10),
    ("SDM", "Southdown Marches", 'S', 10),
    ("ESR", "Easterly Shires", 'E', 9),
    ("HLD", "Highdale", 'H', 10),
    ("KMR", "Kingsmere", 'K', 10),
    ("RVM", "Ravensmoor", 'R', 9),
    ("TWF", "Thornwell Forest", 'T', 10),
    ("BRR", "Brackenridge", 'B', 10),
    ("CSV", "Cresswater Valley", 'C', 9),
    ("LNM", "Lonmere", 'L', 10),
];

/// The parts of a region its PDUs are named after, in order.
const PDU_AREAS: [&str; 10] = [
    "Central", "North", "South", "East", "West", "Coast", "Vale", "Moors", "Forest", "Towns",
];

/// The parts of a PDU its teams are named after, in order.
const TEAM_AREAS: [&str; 10] = [
    "North",
    "South",
    "East",
    "West",
    "Central",
    "Rural",
    "Town Centre",
    "Riverside",
    "Hillside",
    "Outlying",
];

/// A PDU's share of cases by type, from the calibrated PDU (892 community, 543 licence, 417
/// custody and 28 awaiting sentence of 1,880), and the share waiting for allocation.
const COMMUNITY: f64 = 892.0 / 1880.0;
const LICENCE: f64 = 543.0 / 1880.0;
const CUSTODY: f64 = 417.0 / 1880.0;
const UNALLOCATED: f64 = 22.0 / 1880.0;

/// People per team, as in the demo region's PDUs (about 310).
const PEOPLE_PER_TEAM: usize = 310;

/// Every region of the national scale, the demo region first.
pub(crate) fn plans(seed: u64) -> Vec<RegionPlan> {
    let mut rng = DemoRng::from_seed(seed ^ STREAM);
    let pdus: usize = OTHER_REGIONS.iter().map(|region| region.3).sum();
    let average = OTHER_REGIONS_PEOPLE / pdus;
    let mut plans = vec![RegionPlan::for_scale(crate::Scale::National)];
    for (index, &(code, name, crn_letter, pdu_count)) in OTHER_REGIONS.iter().enumerate() {
        let pdus: Vec<PduPlan> = (0..pdu_count)
            .map(|n| pdu(&mut rng, code, name, n, (index + n) % PDUS.len(), average))
            .collect();
        let people: usize = pdus.iter().map(PduPlan::people).sum();
        plans.push(RegionPlan {
            identity: RegionIdentity {
                code: code.to_owned(),
                name: name.to_owned(),
                crn_letter,
            },
            demo_accounts: false,
            pdus,
            victim_liaison_officers: people.div_ceil(1_000),
            quality_staff: people.div_ceil(10_000).max(2),
            administrators: pdu_count.div_ceil(3),
        });
    }
    plans
}

/// The `n`th PDU of a region: about `average` people (three quarters to one and a quarter
/// times), in the calibrated proportions, on the patch `place`.
fn pdu(
    rng: &mut DemoRng,
    region_code: &str,
    region_name: &str,
    n: usize,
    place: usize,
    average: usize,
) -> PduPlan {
    let people = average * rng.range(75..=125) / 100;
    let share = |fraction: f64| (people as f64 * fraction).round() as usize;
    let (community, licence, custody) = (share(COMMUNITY), share(LICENCE), share(CUSTODY));
    let teams = (people / PEOPLE_PER_TEAM).clamp(3, TEAM_AREAS.len());
    let name = format!("{region_name} {}", PDU_AREAS[n]);
    PduPlan {
        place: &PDUS[place],
        code: format!("{region_code}{}", n + 1),
        team_names: TEAM_AREAS[..teams]
            .iter()
            .map(|area| format!("{name} {area}"))
            .collect(),
        name,
        community,
        licence,
        custody,
        pre_sentence: people - community - licence - custody,
        unallocated: share(UNALLOCATED),
        teams,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_nation_has_twelve_regions_about_110_pdus_and_about_250000_people() {
        let plans = plans(2026);
        assert_eq!(plans.len(), 12);
        let pdus: usize = plans.iter().map(|plan| plan.pdus.len()).sum();
        assert_eq!(pdus, 110);
        let people: usize = plans.iter().map(RegionPlan::people).sum();
        assert!((240_000..=260_000).contains(&people), "{people}");
    }

    #[test]
    fn the_demo_region_comes_first_with_the_demo_accounts_and_no_other_region_has_them() {
        let plans = plans(2026);
        assert_eq!(plans[0].identity.code, "MSF");
        assert!(plans[0].demo_accounts);
        assert!(plans[1..].iter().all(|plan| !plan.demo_accounts));
    }

    #[test]
    fn regions_pdus_teams_and_crn_letters_are_all_distinct() {
        let plans = plans(2026);
        let letters: HashSet<char> = plans.iter().map(|p| p.identity.crn_letter).collect();
        assert_eq!(letters.len(), plans.len());
        let pdus: Vec<&PduPlan> = plans.iter().flat_map(|p| &p.pdus).collect();
        let codes: HashSet<&str> = pdus.iter().map(|p| p.code.as_str()).collect();
        let names: HashSet<&str> = pdus.iter().map(|p| p.name.as_str()).collect();
        assert_eq!((codes.len(), names.len()), (pdus.len(), pdus.len()));
        let teams: HashSet<&str> = pdus
            .iter()
            .flat_map(|p| p.team_names[..p.teams].iter().map(String::as_str))
            .collect();
        assert_eq!(teams.len(), pdus.iter().map(|p| p.teams).sum::<usize>());
    }

    #[test]
    fn every_national_pdu_keeps_the_calibrated_proportions_and_team_sizes() {
        for pdu in plans(2026).iter().skip(1).flat_map(|p| &p.pdus) {
            let people = pdu.people() as f64;
            assert!((0.45..0.50).contains(&(pdu.community as f64 / people)));
            assert!(pdu.teams <= pdu.team_names.len());
            let mix = pdu.practitioners();
            let per_team = (mix.probation_officers + mix.service_officers + mix.trainees) as f64
                / pdu.teams as f64;
            assert!((6.0..=10.5).contains(&per_team), "{}: {per_team}", pdu.code);
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_nation() {
        let sizes = |seed| -> Vec<usize> {
            plans(seed)
                .iter()
                .flat_map(|p| p.pdus.iter().map(PduPlan::people))
                .collect()
        };
        assert_eq!(sizes(7), sizes(7));
        assert_ne!(sizes(7), sizes(8));
    }
}
