use chrono::NaiveDate;
use keepsafe_demo::*;
use keepsafe_domain::household::Relationship;
use keepsafe_domain::registration::{MappaLevel, RegistrationKind};
#[test]
fn seeds() {
    let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let (mut no_child, mut no_l2, mut no_da, mut no_po_cases) = (0, 0, 0, 0);
    for seed in 0..500 {
        let r = generate(&DemoSpec {
            seed,
            scale: Scale::Small,
            today,
        });
        if !r.people.iter().any(|p| {
            p.household.iter().any(|m| {
                m.relationship == Relationship::Child
                    && m.end_date.is_none()
                    && m.date_of_birth
                        .is_some_and(|b| keepsafe_domain::age::is_child_on(b, today))
            })
        }) {
            no_child += 1;
        }
        if !r.people.iter().any(|p| {
            p.registrations
                .iter()
                .any(|x| x.mappa_level == Some(MappaLevel::ActiveMultiAgency))
        }) {
            no_l2 += 1;
        }
        if !r.people.iter().any(|p| {
            p.registrations
                .iter()
                .any(|x| x.kind == RegistrationKind::DomesticAbusePerpetrator)
        }) {
            no_da += 1;
        }
        for u in ["po.demo", "po.other", "pso.demo", "trainee.demo"] {
            let s = r
                .staff
                .iter()
                .find(|s| s.username.as_deref() == Some(u))
                .unwrap();
            if !r.people.iter().any(|p| {
                p.allocations
                    .iter()
                    .any(|a| a.end_date.is_none() && a.staff_id == s.id)
            }) {
                no_po_cases += 1;
            }
        }
    }
    println!("of 500: no child {no_child}, no L2 {no_l2}, no DA {no_da}, account without cases {no_po_cases}");
}
