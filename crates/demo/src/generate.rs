//! Putting the region together: organisation first, then each PDU's cases, their allocation and
//! their contacts, then the risk work on every case, all from one seeded stream in a fixed order.

use crate::allocation;
use crate::cases;
use crate::contacts;
use crate::crn::CrnIssuer;
use crate::model::DemoRegion;
use crate::organisation;
use crate::places::REGION;
use crate::plan::RegionPlan;
use crate::random::DemoRng;
use crate::risk;
use crate::spec::DemoSpec;

/// Generates the demo region the spec describes. The same spec always gives an identical region
/// (ids included); nothing reads the clock, so every date is relative to `spec.today`.
///
/// The first PDU is calibrated to reference §1 and holds the demo accounts (see
/// [`crate::demo_accounts`]).
pub fn generate(spec: &DemoSpec) -> DemoRegion {
    let mut rng = DemoRng::from_seed(spec.seed);
    let plan = RegionPlan::for_scale(spec.scale);
    let organisation = organisation::build(&mut rng, &plan);
    let mut crns = CrnIssuer::new(REGION.crn_letter);
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
    let (reductions, court_reports) =
        crate::workload::add(spec.seed, &organisation.staff, &people, spec.today);
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
    };
    crate::partners::add(spec.seed, &mut region);
    crate::quality::add(spec.seed, &mut region, spec.today);
    crate::enforcement::add(spec.seed, &mut region, spec.today);
    region
}
