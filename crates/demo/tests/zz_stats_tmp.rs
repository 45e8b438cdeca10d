use chrono::NaiveDate;
use keepsafe_demo::*;
use keepsafe_domain::CodedValue;
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

#[test]
fn print_stats() {
    let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let spec = DemoSpec {
        seed: 2026,
        scale: Scale::Region,
        today,
    };
    let _ = generate(&spec);
    let mut times = Vec::new();
    let mut region = None;
    for _ in 0..5 {
        let t = Instant::now();
        region = Some(generate(&spec));
        times.push(t.elapsed());
    }
    let small_t = Instant::now();
    let _ = generate(&DemoSpec {
        seed: 2026,
        scale: Scale::Small,
        today,
    });
    println!("small: {:?}", small_t.elapsed());
    println!("region times: {times:?}");
    let region = region.unwrap();
    for pdu in &region.pdus {
        let mut by: BTreeMap<&str, usize> = BTreeMap::new();
        let mut un = 0;
        let people: Vec<_> = region
            .people
            .iter()
            .filter(|p| p.pdu_id == pdu.id)
            .collect();
        for p in &people {
            let e = p.events.iter().find(|e| e.active).unwrap();
            *by.entry(e.case_type.code()).or_default() += 1;
            if !p.allocations.iter().any(|a| a.end_date.is_none()) {
                un += 1;
            }
        }
        let teams = region.teams.iter().filter(|t| t.pdu_id == pdu.id).count();
        println!(
            "{} ({}): {} people {:?} unallocated {} teams {}",
            pdu.name,
            pdu.code,
            people.len(),
            by,
            un,
            teams
        );
    }
    let mut grades: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &region.staff {
        *grades.entry(s.grade.code()).or_default() += 1;
    }
    println!("staff {} {:?}", region.staff.len(), grades);
    let mut load: HashMap<uuid::Uuid, usize> = HashMap::new();
    for p in &region.people {
        if let Some(a) = p.allocations.iter().find(|a| a.end_date.is_none()) {
            *load.entry(a.staff_id).or_default() += 1;
        }
    }
    for g in [
        keepsafe_domain::staff::Grade::ProbationOfficer,
        keepsafe_domain::staff::Grade::ProbationServiceOfficer,
        keepsafe_domain::staff::Grade::TraineeOfficer,
    ] {
        let v: Vec<usize> = region
            .staff
            .iter()
            .filter(|s| s.grade == g)
            .map(|s| load.get(&s.id).copied().unwrap_or(0))
            .collect();
        println!(
            "{:?}: n={} avg={:.2} min={} max={}",
            g,
            v.len(),
            v.iter().sum::<usize>() as f64 / v.len() as f64,
            v.iter().min().unwrap(),
            v.iter().max().unwrap()
        );
    }
    for u in ["po.demo", "po.other", "pso.demo", "trainee.demo"] {
        let s = region
            .staff
            .iter()
            .find(|s| s.username.as_deref() == Some(u))
            .unwrap();
        println!(
            "{u}: {} {} cases={}",
            s.first_name,
            s.last_name,
            load.get(&s.id).copied().unwrap_or(0)
        );
    }
    let n = region.people.len() as f64;
    let contacts: usize = region.people.iter().map(|p| p.contacts.len()).sum();
    println!(
        "people {} contacts {} avg {:.2}",
        n,
        contacts,
        contacts as f64 / n
    );
    let mut regs: BTreeMap<&str, usize> = BTreeMap::new();
    let mut mappa: BTreeMap<String, usize> = BTreeMap::new();
    for p in &region.people {
        for r in &p.registrations {
            *regs.entry(r.kind.code()).or_default() += 1;
            if let (Some(c), Some(l)) = (r.mappa_category, r.mappa_level) {
                *mappa
                    .entry(format!("cat{} L{}", c.code(), l.code()))
                    .or_default() += 1;
            }
        }
    }
    println!("registrations {:?}", regs);
    println!("mappa {:?}", mappa);
    let mut reqs: BTreeMap<&str, usize> = BTreeMap::new();
    let mut st: BTreeMap<&str, usize> = BTreeMap::new();
    let mut cats: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &region.people {
        let e = p.events.last().unwrap();
        *st.entry(e.sentence_type.code()).or_default() += 1;
        *cats.entry(e.offence_category.code()).or_default() += 1;
        for r in &e.requirements {
            *reqs.entry(r.kind.code()).or_default() += 1;
        }
    }
    println!("requirements (active events) {:?}", reqs);
    println!("sentence types {:?}", st);
    println!("offence categories {:?}", cats);
    let events: usize = region.people.iter().map(|p| p.events.len()).sum();
    let hh: usize = region.people.iter().map(|p| p.household.len()).sum();
    let hist = region
        .people
        .iter()
        .filter(|p| p.allocations.len() > 1)
        .count();
    let women = region
        .people
        .iter()
        .filter(|p| p.sex == keepsafe_domain::person::Sex::Female)
        .count();
    println!("events {events} household {hh} with-history {hist} women {women}");
    let p = &region.people[7];
    println!("{:#?}", p);
    println!("{:#?}", demo_accounts(&region));
}
