//! Putting a region together: organisation first, then each PDU's cases, their allocation and
//! their contacts, then the risk work on every case, all from one seeded stream in a fixed order.
//! A scale is one region or, nationally, several ([`DemoPlan`]), each generated on its own so a
//! national load holds one region in memory at a time.

use crate::allocation;
use crate::cases;
use crate::contacts;
use crate::crn::CrnIssuer;
use crate::model::DemoRegion;
use crate::organisation;
use crate::plan::RegionPlan;
use crate::random::DemoRng;
use crate::risk;
use crate::spec::{DemoSpec, Scale};

/// Generates the demo region the spec describes: the only region of the small and region
/// scales, and the first of the national scale's. The same spec always gives an identical region
/// (ids included); nothing reads the clock, so every date is relative to `spec.today`.
///
/// The first PDU is calibrated to reference §1 and holds the demo accounts (see
/// [`crate::demo_accounts`]).
pub fn generate(spec: &DemoSpec) -> DemoRegion {
    region(spec, &RegionPlan::for_scale(spec.scale), spec.seed)
}

/// The regions a spec describes, to generate one at a time.
pub struct DemoPlan {
    spec: DemoSpec,
    regions: Vec<RegionPlan>,
}

impl DemoPlan {
    /// The plan for `spec`: one region, or the nation's twelve.
    pub fn new(spec: &DemoSpec) -> Self {
        let regions = match spec.scale {
            Scale::National => crate::national::plans(spec.seed),
            scale => vec![RegionPlan::for_scale(scale)],
        };
        Self {
            spec: *spec,
            regions,
        }
    }

    /// How many regions there are.
    pub fn regions(&self) -> usize {
        self.regions.len()
    }

    /// How many people all the regions hold.
    pub fn people(&self) -> usize {
        self.regions.iter().map(RegionPlan::people).sum()
    }

    /// How many people region `index` holds.
    pub fn people_in(&self, index: usize) -> usize {
        self.regions[index].people()
    }

    /// Generates region `index`. The first region is the one [`generate`] gives; each of the
    /// others has a seed of its own, so any region can be generated without the ones before it.
    pub fn generate(&self, index: usize) -> DemoRegion {
        let seed = match index {
            0 => self.spec.seed,
            n => self.spec.seed ^ (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
        };
        region(&self.spec, &self.regions[index], seed)
    }
}

fn region(spec: &DemoSpec, plan: &RegionPlan, seed: u64) -> DemoRegion {
    let mut rng = DemoRng::from_seed(seed);
    let organisation = organisation::build(&mut rng, plan);
    let mut crns = CrnIssuer::new(plan.identity.crn_letter);
    let mut people = Vec::with_capacity(plan.people());
    let pdus = plan
        .pdus
        .iter()
        .zip(&organisation.pdus)
        .zip(&organisation.practitioners);
    for ((pdu_plan, pdu), practitioners) in pdus {
        let mut cases = cases::for_pdu(&mut rng, pdu_plan, pdu.id, &mut crns, spec.today);
        allocation::allocate(
            &mut rng,
            &mut cases,
            practitioners,
            pdu_plan.returned_for_reallocation(),
            spec.today,
        );
        for case in cases {
            let mut person = case.person;
            person.contacts = contacts::for_person(&mut rng, &person, pdu_plan.place, spec.today);
            people.push(person);
        }
    }
    // Last, so the risk work can follow each case's whole record: assessments, checks, reviews.
    risk::add(&mut rng, &mut people, &organisation.staff, spec);
    crate::predictors::add(seed, &mut people, &organisation.staff, spec);
    let (reductions, court_reports) =
        crate::workload::add(seed, &organisation.staff, &people, spec.today);
    let mut region = DemoRegion {
        region: organisation.region,
        pdus: organisation.pdus,
        teams: organisation.teams,
        staff: organisation.staff,
        people,
        reductions,
        court_reports,
        partners: Vec::new(),
        quality: Default::default(),
        enforcement: Default::default(),
        needs: Vec::new(),
        plans: Vec::new(),
        licences: Default::default(),
        mappa_meetings: Vec::new(),
        victims: Default::default(),
        court: Default::default(),
        reconvictions: Vec::new(),
        closed_cases: Vec::new(),
        unpaid_work: Default::default(),
        sfo: Default::default(),
        programmes: Default::default(),
    };
    crate::partners::add(seed, &mut region, plan.demo_accounts);
    crate::quality::add(seed, &mut region, spec.today);
    crate::enforcement::add(seed, &mut region, spec.today);
    crate::needs::add(seed, &mut region, spec);
    crate::sentence_plans::add(seed, &mut region, spec.today);
    crate::licences::add(seed, &mut region, spec.today);
    crate::mappa::add(seed, &mut region);
    crate::victims::add(seed, &mut region, spec.today);
    crate::court::add(seed, &mut region, spec.today);
    let places: Vec<_> = plan.pdus.iter().map(|pdu| pdu.place).collect();
    crate::reoffending::add(
        seed,
        &mut region,
        &places,
        &mut crns,
        spec.scale != crate::Scale::Small,
        spec.today,
    );
    crate::unpaid_work::add(seed, &mut region, spec.today);
    crate::sfo::add(seed, &mut region, spec.today);
    crate::programmes::add(seed, &mut region, spec.today);
    region
}
