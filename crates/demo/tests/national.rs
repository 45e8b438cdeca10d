//! Specifications for the national scale: twelve regions generated one at a time, the first the
//! demo region itself, the others with names, CRNs and partners of their own and no sign-ins.

use chrono::NaiveDate;
use keepsafe_demo::{generate, DemoPlan, DemoSpec, Scale};
use keepsafe_domain::crn::Crn;
use std::collections::HashSet;

fn spec(scale: Scale) -> DemoSpec {
    DemoSpec {
        seed: 2026,
        scale,
        today: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
    }
}

#[test]
fn the_nation_plans_twelve_regions_and_about_250000_people() {
    let plan = DemoPlan::new(&spec(Scale::National));
    assert_eq!(plan.regions(), 12);
    assert!((240_000..=260_000).contains(&plan.people()));
    assert_eq!(
        (0..plan.regions())
            .map(|n| plan.people_in(n))
            .sum::<usize>(),
        plan.people()
    );
    let region = DemoPlan::new(&spec(Scale::Region));
    assert_eq!((region.regions(), region.people()), (1, plan.people_in(0)));
}

#[test]
fn the_first_national_region_is_the_demo_region_exactly() {
    let plan = DemoPlan::new(&spec(Scale::National));
    assert_eq!(plan.generate(0), generate(&spec(Scale::Region)));
}

#[test]
fn another_region_has_its_own_names_crns_and_partners_and_no_sign_ins() {
    let plan = DemoPlan::new(&spec(Scale::National));
    let region = plan.generate(3);
    assert_eq!(region.people.len(), plan.people_in(3));
    assert_eq!(region.region.name, "Easterly Shires");
    assert!(region.pdus.iter().all(|pdu| pdu.code.starts_with("ESR")));
    assert!(region
        .people
        .iter()
        .all(|person| person.crn.starts_with('E') && Crn::parse(&person.crn).is_ok()));
    let crns: HashSet<&str> = region.people.iter().map(|p| p.crn.as_str()).collect();
    assert_eq!(crns.len(), region.people.len());
    assert!(region.staff.iter().all(|member| member.username.is_none()));
    let partners: Vec<&str> = region.partners.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        partners,
        [
            "Easterly Shires Police",
            "Easterly Shires Council Children's Services",
            "Easterly Shires Council Adult Social Care"
        ]
    );
    let demo = plan.generate(0);
    let demo_ids: HashSet<_> = demo.people.iter().map(|p| p.id).collect();
    assert!(region.people.iter().all(|p| !demo_ids.contains(&p.id)));
}
