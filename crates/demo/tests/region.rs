//! Specifications for the generated demo region: calibration to the reference figures and the
//! consistency storage, web and the demo itself rely on.

use chrono::{Datelike, NaiveDate, Timelike, Weekday};
use keepsafe_demo::{
    demo_accounts, generate, Address, Assessment, DemoRegion, DemoSpec, Event, Person, Scale,
};
use keepsafe_domain::address::{AddressStatus, Postcode};
use keepsafe_domain::age::{age_on, is_child_on};
use keepsafe_domain::calendar::CALENDAR_RULE_VERSION;
use keepsafe_domain::checks::{CheckDeadlineRules, CheckKind};
use keepsafe_domain::crn::Crn;
use keepsafe_domain::event::{CaseType, OffenceCategory};
use keepsafe_domain::household::Relationship;
use keepsafe_domain::person::Sex;
use keepsafe_domain::registration::{MappaCategory, MappaLevel, RegistrationKind};
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::review::ReviewRules;
use keepsafe_domain::rosh::{
    assess_completion, AddressFact, AssessmentContent, AssessmentStatus, CheckFact, CheckReference,
    CompletionFacts, Consideration, PersonToConsider, RiskGroup, RoshLevel,
};
use keepsafe_domain::staff::{Grade, StaffScope, Username};
use keepsafe_domain::supervision::contact::{ContactStatus, ContactType};
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use uuid::Uuid;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
}

fn spec(seed: u64, scale: Scale) -> DemoSpec {
    DemoSpec {
        seed,
        scale,
        today: today(),
    }
}

/// The whole region, generated once for all tests in this file.
fn region() -> &'static DemoRegion {
    static REGION: OnceLock<DemoRegion> = OnceLock::new();
    REGION.get_or_init(|| generate(&spec(2026, Scale::Region)))
}

fn small() -> &'static DemoRegion {
    static SMALL: OnceLock<DemoRegion> = OnceLock::new();
    SMALL.get_or_init(|| generate(&spec(2026, Scale::Small)))
}

fn both() -> [&'static DemoRegion; 2] {
    [small(), region()]
}

fn current_event(person: &Person) -> &Event {
    person.events.iter().find(|event| event.active).unwrap()
}

fn current_officer(person: &Person) -> Option<Uuid> {
    person
        .allocations
        .iter()
        .find(|allocation| allocation.end_date.is_none())
        .map(|allocation| allocation.staff_id)
}

/// Current cases per member of staff.
fn caseloads(region: &DemoRegion) -> HashMap<Uuid, usize> {
    let mut caseloads = HashMap::new();
    for officer in region.people.iter().filter_map(current_officer) {
        *caseloads.entry(officer).or_default() += 1;
    }
    caseloads
}

fn average_caseload(region: &DemoRegion, grade: Grade) -> f64 {
    let caseloads = caseloads(region);
    let holders: Vec<usize> = region
        .staff
        .iter()
        .filter(|member| member.grade == grade)
        .map(|member| caseloads.get(&member.id).copied().unwrap_or(0))
        .collect();
    holders.iter().sum::<usize>() as f64 / holders.len() as f64
}

fn staff_by_username<'a>(region: &'a DemoRegion, username: &str) -> &'a keepsafe_demo::StaffMember {
    region
        .staff
        .iter()
        .find(|member| member.username.as_deref() == Some(username))
        .unwrap_or_else(|| panic!("no {username}"))
}

#[test]
fn the_same_seed_gives_the_same_region() {
    assert_eq!(generate(&spec(2026, Scale::Small)), *small());
    assert_eq!(generate(&spec(2026, Scale::Region)), *region());
    for region in both() {
        assert!(
            region.people.iter().any(|p| !p.assessments.is_empty()),
            "the comparison covers the risk work too"
        );
    }
}

#[test]
fn different_seeds_give_different_regions() {
    let other = generate(&spec(2027, Scale::Small));
    assert_ne!(other, *small());
    assert_ne!(other.people[0].crn, small().people[0].crn);
}

#[test]
fn the_calibrated_pdu_has_1852_people_split_892_543_417() {
    let calibrated = &region().pdus[0];
    let mut by_case_type: HashMap<CaseType, usize> = HashMap::new();
    for person in region().people.iter().filter(|p| p.pdu_id == calibrated.id) {
        *by_case_type
            .entry(current_event(person).case_type)
            .or_default() += 1;
    }
    assert_eq!(by_case_type[&CaseType::Community], 892);
    assert_eq!(by_case_type[&CaseType::Licence], 543);
    assert_eq!(by_case_type[&CaseType::Custody], 417);
    assert!((20..=40).contains(&by_case_type[&CaseType::PreSentence]));
}

#[test]
fn the_other_pdus_are_smaller_with_similar_proportions() {
    assert_eq!(region().pdus.len(), 3);
    let calibrated_size = people_in(region().pdus[0].id).len();
    for pdu in &region().pdus[1..] {
        let people = people_in(pdu.id);
        assert!((800..=1300).contains(&people.len()) && people.len() < calibrated_size);
        let community = people
            .iter()
            .filter(|p| current_event(p).case_type == CaseType::Community)
            .count();
        let share = community as f64 / people.len() as f64;
        assert!((0.45..=0.5).contains(&share), "{share}");
    }
}

fn people_in(pdu_id: Uuid) -> Vec<&'static Person> {
    region()
        .people
        .iter()
        .filter(|p| p.pdu_id == pdu_id)
        .collect()
}

#[test]
fn probation_officers_average_about_34_cases_and_service_officers_about_41() {
    let po = average_caseload(region(), Grade::ProbationOfficer);
    let pso = average_caseload(region(), Grade::ProbationServiceOfficer);
    let trainee = average_caseload(region(), Grade::TraineeOfficer);
    assert!((po - 34.0).abs() <= 1.5, "PO average {po}");
    assert!((pso - 41.0).abs() <= 1.5, "PSO average {pso}");
    assert!(
        (15.0..=20.0).contains(&trainee),
        "trainee average {trainee}"
    );
}

#[test]
fn only_practitioners_hold_cases() {
    let grades: HashMap<Uuid, Grade> = region().staff.iter().map(|s| (s.id, s.grade)).collect();
    for officer in caseloads(region()).keys() {
        assert!(grades[officer].holds_caseload());
    }
}

#[test]
fn each_pdu_has_10_to_30_cases_waiting_for_allocation() {
    for pdu in &region().pdus {
        let waiting = people_in(pdu.id)
            .into_iter()
            .filter(|p| current_officer(p).is_none())
            .count();
        assert!((10..=30).contains(&waiting), "{}: {waiting}", pdu.name);
    }
    let returned = region()
        .people
        .iter()
        .filter(|p| current_officer(p).is_none() && !p.allocations.is_empty())
        .count();
    assert!(returned > 0, "some waiting cases had an officer before");
}

#[test]
fn high_risk_cases_are_held_by_probation_officers() {
    let grades: HashMap<Uuid, Grade> = region().staff.iter().map(|s| (s.id, s.grade)).collect();
    let mut checked = 0;
    for person in &region().people {
        let multi_agency = person.registrations.iter().any(|r| {
            matches!(
                r.mappa_level,
                Some(MappaLevel::ActiveMultiAgency | MappaLevel::SeniorOversight)
            )
        });
        let sexual = current_event(person).offence_category.is_sexual();
        if let Some(officer) = current_officer(person).filter(|_| multi_agency || sexual) {
            assert_eq!(grades[&officer], Grade::ProbationOfficer, "{}", person.crn);
            checked += 1;
        }
    }
    assert!(checked > 50);
}

#[test]
fn every_crn_is_unique_and_well_formed() {
    for region in both() {
        let mut seen = HashSet::new();
        for person in &region.people {
            let crn = Crn::parse(&person.crn).unwrap();
            assert_eq!(crn.as_str(), person.crn);
            assert!(seen.insert(&person.crn), "{} repeated", person.crn);
        }
    }
}

#[test]
fn every_id_is_unique() {
    let region = region();
    let mut ids = HashSet::new();
    let mut add = |id: Uuid| assert!(ids.insert(id), "{id} repeated");
    add(region.region.id);
    region.pdus.iter().for_each(|p| add(p.id));
    region.teams.iter().for_each(|t| add(t.id));
    region.staff.iter().for_each(|s| add(s.id));
    for person in &region.people {
        add(person.id);
        person.addresses.iter().for_each(|a| add(a.id));
        person.household.iter().for_each(|h| add(h.id));
        person.registrations.iter().for_each(|r| add(r.id));
        person.contacts.iter().for_each(|c| add(c.id));
        person.allocations.iter().for_each(|a| add(a.id));
        person.checks.iter().for_each(|c| add(c.id));
        person.assessments.iter().for_each(|a| add(a.id));
        person.review_tasks.iter().for_each(|t| add(t.id));
        for event in &person.events {
            add(event.id);
            event.requirements.iter().for_each(|r| add(r.id));
        }
    }
}

#[test]
fn every_postcode_parses() {
    for region in both() {
        for address in region.people.iter().flat_map(|p| &p.addresses) {
            let postcode = Postcode::parse(&address.postcode).unwrap();
            assert_eq!(postcode.as_str(), address.postcode);
        }
    }
}

#[test]
fn everyone_has_one_current_address_and_earlier_ones_have_ended() {
    for person in &region().people {
        let current: Vec<_> = person
            .addresses
            .iter()
            .filter(|a| a.end_date.is_none())
            .collect();
        assert_eq!(current.len(), 1, "{}", person.crn);
        assert_ne!(current[0].status, AddressStatus::Previous);
        assert!(!current[0].line1.is_empty() && !current[0].town.is_empty());
        for pair in person.addresses.windows(2) {
            assert_eq!(pair[0].status, AddressStatus::Previous);
            assert_eq!(pair[0].end_date, Some(pair[1].start_date));
            assert!(pair[0].start_date < pair[1].start_date);
        }
    }
    let statuses: HashSet<AddressStatus> = region()
        .people
        .iter()
        .flat_map(|p| &p.addresses)
        .map(|a| a.status)
        .collect();
    assert!(statuses.contains(&AddressStatus::NoFixedAbode));
    assert!(statuses.contains(&AddressStatus::ApprovedPremises));
}

#[test]
fn event_dates_are_in_order() {
    for person in &region().people {
        for event in &person.events {
            assert!(event.offence_date <= event.conviction_date, "{event:?}");
            if let Some(sentenced) = event.sentence_date {
                assert!(event.conviction_date <= sentenced, "{event:?}");
                if let Some(released) = event.release_date {
                    assert!(sentenced < released, "{event:?}");
                }
                if let Some(end) = event.expected_end_date {
                    assert!(sentenced < end && event.release_date.is_none_or(|r| r < end));
                }
            }
            assert!(
                event.sentence_date.is_some_and(|s| s <= today()) || event.sentence_date.is_none()
            );
        }
        let numbers: Vec<i32> = person.events.iter().map(|e| e.number).collect();
        assert_eq!(
            numbers,
            (1..=person.events.len() as i32).collect::<Vec<_>>()
        );
        assert!(person
            .events
            .windows(2)
            .all(|pair| pair[0].conviction_date <= pair[1].conviction_date));
        let current = person.events.last().unwrap();
        for earlier in &person.events[..person.events.len() - 1] {
            assert!(earlier
                .expected_end_date
                .is_some_and(|end| end < current.offence_date));
        }
        let active: Vec<_> = person.events.iter().filter(|e| e.active).collect();
        assert_eq!(active.len(), 1, "{}", person.crn);
        assert_eq!(active[0].number as usize, person.events.len());
    }
}

#[test]
fn sentence_types_match_case_types() {
    for person in &region().people {
        for event in &person.events {
            assert!(
                event.sentence_type.allows_case_type(event.case_type),
                "{event:?}"
            );
        }
    }
}

#[test]
fn each_case_is_at_the_stage_its_case_type_says() {
    let today = today();
    for person in &region().people {
        let event = current_event(person);
        match event.case_type {
            CaseType::Community => {
                let sentenced = event.sentence_date.unwrap();
                let end = event.expected_end_date.unwrap();
                assert!((today - sentenced).num_days() <= 731, "{event:?}");
                assert!(end > today);
                let months = (end - sentenced).num_days() / 30;
                assert!((12..=37).contains(&months), "{event:?}");
            }
            CaseType::Custody => {
                assert!(event.sentence_date.unwrap() < today);
                assert!(event.release_date.is_none_or(|r| r > today), "{event:?}");
            }
            CaseType::Licence => {
                assert!(event.release_date.unwrap() < today);
                assert!(
                    event.expected_end_date.is_none_or(|e| e > today),
                    "{event:?}"
                );
            }
            CaseType::PreSentence => {
                assert!(event.sentence_date.is_none() && event.conviction_date <= today);
            }
        }
    }
}

#[test]
fn current_allocation_team_is_the_officers_team() {
    for region in both() {
        let teams: HashMap<Uuid, Option<Uuid>> =
            region.staff.iter().map(|s| (s.id, s.team_id)).collect();
        let team_pdus: HashMap<Uuid, Uuid> =
            region.teams.iter().map(|t| (t.id, t.pdu_id)).collect();
        for person in &region.people {
            for allocation in person.allocations.iter().filter(|a| a.end_date.is_none()) {
                assert_eq!(teams[&allocation.staff_id], Some(allocation.team_id));
                assert_eq!(team_pdus[&allocation.team_id], person.pdu_id);
            }
        }
    }
}

#[test]
fn at_most_one_current_allocation_per_person() {
    for person in &region().people {
        let current = person
            .allocations
            .iter()
            .filter(|a| a.end_date.is_none())
            .count();
        assert!(current <= 1, "{}", person.crn);
        for allocation in &person.allocations {
            assert!(allocation
                .end_date
                .is_none_or(|end| allocation.start_date < end));
            assert!(!allocation.reason.is_empty());
        }
        for pair in person.allocations.windows(2) {
            assert_eq!(pair[0].end_date, Some(pair[1].start_date), "{}", person.crn);
        }
    }
}

#[test]
fn some_cases_have_been_transferred_between_teams() {
    let transfers = region()
        .people
        .iter()
        .flat_map(|p| &p.allocations)
        .filter(|a| a.reason.starts_with("Transferred from"))
        .count();
    assert!(transfers > 50, "{transfers}");
}

#[test]
fn unpaid_work_hours_are_between_40_and_300() {
    let mut orders = 0;
    for requirement in region()
        .people
        .iter()
        .flat_map(|p| &p.events)
        .flat_map(|e| &e.requirements)
    {
        if requirement.kind == RequirementKind::UnpaidWork {
            orders += 1;
            assert!((40..=300).contains(&requirement.length.unwrap()));
        }
    }
    assert!(orders > 300);
}

#[test]
fn requirements_belong_to_community_orders_and_every_running_order_has_one() {
    for event in region().people.iter().flat_map(|p| &p.events) {
        if event.case_type != CaseType::Community {
            assert!(event.requirements.is_empty(), "{event:?}");
        } else if event.active {
            assert!(!event.requirements.is_empty(), "{event:?}");
        }
        for requirement in &event.requirements {
            assert!(requirement.start_date >= event.sentence_date.unwrap());
            assert!(requirement
                .end_date
                .is_none_or(|end| end <= event.expected_end_date.unwrap()));
            assert_eq!(
                requirement.active,
                requirement.end_date.is_none_or(|end| end > today())
            );
        }
    }
}

#[test]
fn curfews_name_the_address_and_hours() {
    let curfews: Vec<_> = region()
        .people
        .iter()
        .flat_map(|p| &p.events)
        .flat_map(|e| &e.requirements)
        .filter(|r| r.kind == RequirementKind::Curfew)
        .collect();
    assert!(curfews.len() > 50);
    for curfew in curfews {
        let detail = curfew.detail.as_deref().unwrap();
        assert!(
            detail.contains(" to ") && detail.contains("electronically monitored"),
            "{detail}"
        );
    }
}

#[test]
fn mappa_detail_only_on_mappa_registrations() {
    for registration in region().people.iter().flat_map(|p| &p.registrations) {
        let mappa = registration.kind == RegistrationKind::Mappa;
        assert_eq!(registration.mappa_category.is_some(), mappa);
        assert_eq!(registration.mappa_level.is_some(), mappa);
    }
}

#[test]
fn mappa_categories_follow_the_offence() {
    for person in &region().people {
        let event = current_event(person);
        for registration in person
            .registrations
            .iter()
            .filter(|r| r.kind == RegistrationKind::Mappa)
        {
            match registration.mappa_category.unwrap() {
                MappaCategory::RegisteredSexOffender => assert!(event.offence_category.is_sexual()),
                MappaCategory::ViolentOffender => {
                    assert!(event.sentence_type.is_custodial(), "{event:?}");
                    assert!(matches!(
                        event.offence_category,
                        OffenceCategory::Violence | OffenceCategory::Robbery
                    ));
                }
                _ => {}
            }
        }
    }
}

#[test]
fn mappa_level_2_and_3_reviews_are_due_within_16_and_8_weeks() {
    let mut levels = HashMap::new();
    for registration in region().people.iter().flat_map(|p| &p.registrations) {
        let Some(level) = registration.mappa_level else {
            continue;
        };
        *levels.entry(level).or_insert(0) += 1;
        let next = registration.next_review_on.unwrap();
        let weeks = match level {
            MappaLevel::Ordinary => 53,
            MappaLevel::ActiveMultiAgency => 16,
            MappaLevel::SeniorOversight => 8,
        };
        assert!(
            next > today() && (next - today()).num_days() <= weeks * 7,
            "{registration:?}"
        );
    }
    assert!(levels[&MappaLevel::Ordinary] > levels[&MappaLevel::ActiveMultiAgency]);
    assert!(levels[&MappaLevel::ActiveMultiAgency] > levels[&MappaLevel::SeniorOversight]);
    assert!(levels[&MappaLevel::SeniorOversight] > 0);
}

#[test]
fn about_a_quarter_of_cases_have_a_domestic_abuse_perpetrator_registration() {
    let flagged = region()
        .people
        .iter()
        .filter(|p| {
            p.registrations
                .iter()
                .any(|r| r.kind == RegistrationKind::DomesticAbusePerpetrator)
        })
        .count();
    let share = flagged as f64 / region().people.len() as f64;
    assert!((0.24..=0.31).contains(&share), "{share}");
}

#[test]
fn registrations_are_dated_sensibly_and_some_have_ended() {
    let mut ended = 0;
    for person in &region().people {
        for registration in &person.registrations {
            assert!(registration.registered_on <= today());
            assert!(registration.registered_on >= person.created_at.date());
            if let Some(end) = registration.ended_on {
                ended += 1;
                assert!(end > registration.registered_on && end <= today());
                assert!(registration.next_review_on.is_none());
            }
        }
    }
    assert!(ended > 100);
}

#[test]
fn people_are_adults_mostly_men_and_known_before_their_first_event() {
    let people = &region().people;
    let men = people.iter().filter(|p| p.sex == Sex::Male).count() as f64 / people.len() as f64;
    assert!((0.82..=0.88).contains(&men), "{men}");
    let mut ages = Vec::new();
    for person in people {
        let age = age_on(person.date_of_birth, today()).unwrap();
        ages.push(age);
        assert!(age >= 18);
        let first = &person.events[0];
        assert!(person.created_at.date() <= first.conviction_date);
        for event in &person.events {
            assert!(age_on(person.date_of_birth, event.offence_date).unwrap() >= 18);
        }
    }
    let twenties_to_forties = ages.iter().filter(|a| (20..50).contains(*a)).count();
    assert!(twenties_to_forties as f64 / ages.len() as f64 > 0.7);
}

#[test]
fn household_dates_of_birth_fit_relationships() {
    let mut children = 0;
    for person in &region().people {
        for member in &person.household {
            assert!(member.start_date <= today());
            assert!(member
                .end_date
                .is_none_or(|end| member.start_date < end && end <= today()));
            let Some(born) = member.date_of_birth else {
                continue;
            };
            match member.relationship {
                Relationship::Child => {
                    children += 1;
                    let parent_age = age_on(person.date_of_birth, born).unwrap();
                    assert!((16..=45).contains(&parent_age), "{member:?}");
                }
                Relationship::Parent => assert!(age_on(born, person.date_of_birth).unwrap() >= 17),
                Relationship::Partner | Relationship::ExPartner => {
                    assert!(age_on(born, today()).unwrap() >= 18)
                }
                _ => {}
            }
        }
    }
    assert!(children > 500);
}

#[test]
fn contacts_are_few_per_person_in_office_hours_and_recorded_only_when_past() {
    for region in both() {
        // Unpaid work sessions (weekly on the project while hours remain) are counted apart.
        let contacts: usize = region
            .people
            .iter()
            .flat_map(|p| &p.contacts)
            .filter(|c| c.contact_type != ContactType::UnpaidWorkSession)
            .count();
        let average = contacts as f64 / region.people.len() as f64;
        assert!((3.0..=8.0).contains(&average), "{average}");
        for person in &region.people {
            let officers: HashSet<Uuid> = person.allocations.iter().map(|a| a.staff_id).collect();
            for contact in &person.contacts {
                let time = contact.starts_at.time();
                assert!((9..=16).contains(&time.hour()), "{contact:?}");
                assert!(
                    !matches!(contact.starts_at.weekday(), Weekday::Sat | Weekday::Sun),
                    "{contact:?}"
                );
                // Past appointments have an outcome unless they were moved to another day;
                // system events (a warning sent, a recall opened) never have one.
                assert_eq!(
                    contact.outcome.is_some(),
                    contact.starts_at.date() < today()
                        && contact.status == ContactStatus::Arranged
                        && !contact.contact_type.is_system_event()
                );
                assert!(contact.staff_id.is_none_or(|id| officers.contains(&id)));
                assert_eq!(contact.event_id, Some(current_event(person).id));
            }
            if let Some(officer) = current_officer(person) {
                let future = person
                    .contacts
                    .iter()
                    .filter(|c| c.starts_at.date() >= today())
                    .filter(|c| c.contact_type != ContactType::UnpaidWorkSession);
                assert!(future.clone().all(|c| c.staff_id == Some(officer)));
            }
        }
    }
}

#[test]
fn recent_community_sentences_have_an_induction_within_five_working_days() {
    let mut checked = 0;
    for person in region().people.iter().filter(|p| !p.allocations.is_empty()) {
        let event = current_event(person);
        let Some(sentenced) = event.sentence_date else {
            continue;
        };
        if event.case_type != CaseType::Community || (today() - sentenced).num_days() > 60 {
            continue;
        }
        let induction = person
            .contacts
            .iter()
            .find(|c| {
                c.contact_type == keepsafe_domain::supervision::contact::ContactType::Induction
            })
            .unwrap_or_else(|| panic!("{} has no induction", person.crn));
        assert!((induction.starts_at.date() - sentenced).num_days() <= 7);
        checked += 1;
    }
    assert!(checked > 20);
}

#[test]
fn staff_sit_at_the_level_of_their_grade() {
    for region in both() {
        let team_pdus: HashMap<Uuid, Uuid> =
            region.teams.iter().map(|t| (t.id, t.pdu_id)).collect();
        for member in &region.staff {
            assert_eq!(member.region_id, region.region.id);
            match member.grade.scope() {
                StaffScope::Team => {
                    let team = member.team_id.unwrap();
                    assert_eq!(Some(team_pdus[&team]), member.pdu_id);
                }
                StaffScope::Pdu => assert!(member.pdu_id.is_some() && member.team_id.is_none()),
                StaffScope::Region => assert!(member.pdu_id.is_none() && member.team_id.is_none()),
                StaffScope::PartnerOrganisation => {
                    let (org, _) = member.partner.expect("a partner user has an organisation");
                    assert!(region.partners.iter().any(|p| p.id == org));
                    assert!(member.pdu_id.is_none() && member.team_id.is_none());
                }
            }
        }
        for pdu in &region.pdus {
            let heads = region
                .staff
                .iter()
                .filter(|s| s.grade == Grade::HeadOfPdu && s.pdu_id == Some(pdu.id))
                .count();
            assert_eq!(heads, 1);
        }
    }
}

#[test]
fn teams_have_six_to_ten_practitioners_and_one_senior_probation_officer() {
    for team in &region().teams {
        let members: Vec<_> = region()
            .staff
            .iter()
            .filter(|s| s.team_id == Some(team.id))
            .collect();
        let practitioners = members.iter().filter(|s| s.grade.holds_caseload()).count();
        let spos = members
            .iter()
            .filter(|s| s.grade == Grade::SeniorProbationOfficer)
            .count();
        assert!(
            (6..=10).contains(&practitioners),
            "{}: {practitioners}",
            team.name
        );
        assert_eq!(spos, 1);
    }
}

#[test]
fn every_grade_has_a_demo_account() {
    for region in both() {
        let accounts = demo_accounts(region);
        for grade in Grade::ALL {
            assert!(accounts.iter().any(|a| a.grade == *grade), "{grade:?}");
        }
        let usernames: Vec<&str> = accounts.iter().map(|a| a.username.as_str()).collect();
        assert_eq!(
            usernames,
            [
                "po.demo",
                "po.other",
                "pso.demo",
                "trainee.demo",
                "spo.demo",
                "head.demo",
                "vlo.demo",
                "quality.demo",
                "admin.demo",
                "adults.demo",
                "council.demo",
                "police.demo",
                "police.manager"
            ]
        );
        for username in usernames {
            assert_eq!(Username::parse(username).unwrap().as_str(), username);
        }
    }
}

#[test]
fn demo_accounts_are_described_by_role_and_place() {
    let accounts = demo_accounts(region());
    let describe = |username: &str| {
        accounts
            .iter()
            .find(|a| a.username == username)
            .unwrap()
            .description
            .clone()
    };
    assert_eq!(
        describe("po.demo"),
        "Probation officer, Midchester North team"
    );
    assert_eq!(
        describe("po.other"),
        "Probation officer, Midchester South team"
    );
    assert_eq!(
        describe("head.demo"),
        "Head of probation delivery unit, Midchester and the Wolds"
    );
    assert_eq!(
        describe("admin.demo"),
        "Administrator, Midshire and Fens region"
    );
}

#[test]
fn po_demo_and_po_other_are_in_different_teams_of_the_same_pdu() {
    for region in both() {
        let po = staff_by_username(region, "po.demo");
        let other = staff_by_username(region, "po.other");
        assert_eq!(po.grade, Grade::ProbationOfficer);
        assert_eq!(other.grade, Grade::ProbationOfficer);
        assert_ne!(po.team_id, other.team_id);
        assert_eq!(po.pdu_id, other.pdu_id);
        assert_eq!(po.pdu_id, Some(region.pdus[0].id));
        assert_eq!(staff_by_username(region, "spo.demo").team_id, po.team_id);
        assert_eq!(staff_by_username(region, "pso.demo").team_id, po.team_id);
        assert_eq!(
            staff_by_username(region, "trainee.demo").team_id,
            po.team_id
        );
        assert_eq!(staff_by_username(region, "head.demo").pdu_id, po.pdu_id);
    }
}

#[test]
fn po_demo_holds_a_typical_caseload() {
    let caseloads = caseloads(region());
    let held = caseloads[&staff_by_username(region(), "po.demo").id];
    assert!((31..=37).contains(&held), "{held}");
}

#[test]
fn only_demo_accounts_have_usernames() {
    for region in both() {
        let with_username = region.staff.iter().filter(|s| s.username.is_some()).count();
        assert_eq!(with_username, demo_accounts(region).len());
    }
}

#[test]
fn small_scale_has_the_fixtures_tests_rely_on() {
    assert_small_fixtures(small());
}

#[test]
fn every_seed_gives_a_small_region_with_the_fixtures() {
    for seed in 0..30 {
        assert_small_fixtures(&generate(&spec(seed, Scale::Small)));
    }
}

/// One PDU, two teams, about 60 people; every demo practitioner holds cases; cases waiting for
/// allocation; a child at home; MAPPA level 2; a domestic-abuse perpetrator; every case type.
fn assert_small_fixtures(small: &DemoRegion) {
    assert_eq!(small.pdus.len(), 1);
    assert_eq!(small.teams.len(), 2);
    assert!((55..=65).contains(&small.people.len()));
    assert_eq!(demo_accounts(small).len(), 13);
    let caseloads = caseloads(small);
    for username in ["po.demo", "po.other", "pso.demo", "trainee.demo"] {
        let held = caseloads
            .get(&staff_by_username(small, username).id)
            .copied();
        assert!(held.unwrap_or(0) > 0, "{username} holds no cases");
    }
    let unallocated = small
        .people
        .iter()
        .filter(|p| current_officer(p).is_none())
        .count();
    assert!(unallocated >= 2);
    assert!(small.people.iter().any(|p| p.household.iter().any(|m| {
        m.relationship == Relationship::Child
            && m.end_date.is_none()
            && m.date_of_birth
                .is_some_and(|born| age_on(born, today()).unwrap() < 18)
    })));
    let registered = |wanted: &dyn Fn(&keepsafe_demo::Registration) -> bool| {
        small
            .people
            .iter()
            .filter(|p| current_officer(p).is_some())
            .any(|p| p.registrations.iter().any(wanted))
    };
    assert!(registered(
        &|r| r.mappa_level == Some(MappaLevel::ActiveMultiAgency)
    ));
    assert!(registered(
        &|r| r.kind == RegistrationKind::DomesticAbusePerpetrator
    ));
    for case_type in CaseType::ALL {
        assert!(small
            .people
            .iter()
            .any(|p| current_event(p).case_type == *case_type));
    }

    // The web tests start assessments from nothing on po.demo's cases (and po.other's): they have
    // no risk work, and po.demo has one with no children involved. Other cases show the work.
    let untouched = [
        staff_by_username(small, "po.demo").id,
        staff_by_username(small, "po.other").id,
    ];
    for person in small
        .people
        .iter()
        .filter(|p| current_officer(p).is_some_and(|o| untouched.contains(&o)))
    {
        assert!(has_no_risk_work(person), "{}", person.crn);
    }
    let po_demo = untouched[0];
    assert!(
        small.people.iter().any(|p| {
            current_officer(p) == Some(po_demo)
                && !p.household.iter().any(|m| {
                    m.end_date.is_none_or(|end| end > today())
                        && m.date_of_birth
                            .is_some_and(|born| is_child_on(born, today()))
                })
                && !p
                    .registrations
                    .iter()
                    .any(|r| r.ended_on.is_none() && r.kind.concerns_children())
        }),
        "po.demo has a case with no children involved"
    );
    assert!(small
        .people
        .iter()
        .flat_map(|p| &p.assessments)
        .any(|a| a.status == AssessmentStatus::Completed));
}

fn has_no_risk_work(person: &Person) -> bool {
    person.checks.is_empty() && person.assessments.is_empty() && person.review_tasks.is_empty()
}

#[test]
fn criminal_history_is_consistent_for_ogrs3() {
    for region in both() {
        for person in &region.people {
            let first = &person.events[0];
            let age_at_first_conviction =
                age_on(person.date_of_birth, first.conviction_date).unwrap();
            assert!(person.age_at_first_sanction >= 10, "{}", person.crn);
            assert!(
                person.age_at_first_sanction <= age_at_first_conviction,
                "{}",
                person.crn
            );
            for pair in person.events.windows(2) {
                assert!(
                    pair[1].sanctions_before > pair[0].sanctions_before,
                    "{}",
                    person.crn
                );
            }
        }
    }
}

// ---- Public protection: RoSH assessments, safeguarding checks and review tasks ----

/// Allocated, on an active sentence, not awaiting sentence: the cases that get risk work.
fn supervised(person: &Person) -> bool {
    current_officer(person).is_some() && current_event(person).case_type != CaseType::PreSentence
}

fn supervised_people(region: &DemoRegion) -> Vec<&Person> {
    region.people.iter().filter(|p| supervised(p)).collect()
}

fn share(part: usize, whole: usize) -> f64 {
    part as f64 / whole as f64
}

fn in_force(person: &Person) -> Option<&Assessment> {
    person
        .assessments
        .iter()
        .find(|a| a.status == AssessmentStatus::Completed)
}

fn completed_on(assessment: &Assessment) -> NaiveDate {
    assessment.completed_at.unwrap().date()
}

/// When an assessment took effect: on countersignature if it needed one.
fn took_effect(assessment: &Assessment) -> chrono::NaiveDateTime {
    assessment
        .countersigned_at
        .or(assessment.completed_at)
        .unwrap()
}

fn finished(person: &Person) -> impl Iterator<Item = &Assessment> {
    person.assessments.iter().filter(|a| {
        matches!(
            a.status,
            AssessmentStatus::Completed | AssessmentStatus::Superseded
        )
    })
}

/// The address the application would have called current on `day`.
fn address_on(person: &Person, day: NaiveDate) -> Option<&Address> {
    person
        .addresses
        .iter()
        .filter(|a| a.start_date <= day && a.end_date.is_none_or(|end| end > day))
        .filter(|a| a.status != AddressStatus::Secondary)
        .max_by_key(|a| a.start_date)
}

fn officer_on(person: &Person, day: NaiveDate) -> Option<&keepsafe_demo::Allocation> {
    person
        .allocations
        .iter()
        .find(|a| a.start_date <= day && a.end_date.is_none_or(|end| end > day))
}

fn text(raw: &str) -> LongText {
    LongText::optional(raw).unwrap()
}

/// What `risk::assessments::completion_facts` would have gathered on `day`: the address and
/// household of the day, registrations in force, and the checks requested by then (with the
/// responses received by then).
fn facts_on(person: &Person, case_type: CaseType, day: NaiveDate) -> CompletionFacts {
    CompletionFacts {
        case_type,
        today: day,
        current_address: address_on(person, day).map(|a| AddressFact {
            id: a.id,
            description: format!("{}, {}", a.line1, a.town),
        }),
        people_to_consider: person
            .household
            .iter()
            .filter(|h| h.start_date <= day && h.end_date.is_none_or(|end| end > day))
            .map(|h| PersonToConsider {
                id: h.id,
                name: format!("{} {}", h.first_name, h.last_name),
                relationship: h.relationship.label().to_owned(),
                age: h.date_of_birth.and_then(|born| age_on(born, day)),
                is_child: h.date_of_birth.is_some_and(|born| is_child_on(born, day)),
            })
            .collect(),
        child_protection_registration: person.registrations.iter().any(|r| {
            r.registered_on <= day
                && r.ended_on.is_none_or(|end| end > day)
                && r.kind.concerns_children()
        }),
        checks: person
            .checks
            .iter()
            .filter(|c| c.requested_on <= day)
            .map(|c| CheckFact {
                id: c.id,
                kind: c.kind,
                address_id: c.address_id,
                requested_on: c.requested_on,
                deadline: c.deadline,
                response_received_on: c
                    .response
                    .as_ref()
                    .map(|r| r.received_on)
                    .filter(|received| *received <= day),
                authorised_without_response: false,
            })
            .collect(),
    }
}

fn content_of(assessment: &Assessment) -> AssessmentContent {
    AssessmentContent {
        levels: assessment.levels.clone(),
        nature_of_harm: text(&assessment.nature_of_harm),
        who_is_at_risk: text(&assessment.who_is_at_risk),
        imminence: text(&assessment.imminence),
        increasing_factors: text(&assessment.increasing_factors),
        reducing_factors: text(&assessment.reducing_factors),
        considerations: assessment
            .considerations
            .iter()
            .map(|c| Consideration {
                subject_id: c.subject_id,
                note: text(&c.note),
            })
            .collect(),
        check_references: assessment
            .check_references
            .iter()
            .map(|r| CheckReference {
                check_id: r.check_id,
                note: text(&r.note),
            })
            .collect(),
    }
}

#[test]
fn only_supervised_cases_have_risk_work() {
    for region in both() {
        for person in region.people.iter().filter(|p| !supervised(p)) {
            assert!(has_no_risk_work(person), "{}", person.crn);
        }
    }
}

#[test]
fn risk_work_is_calibrated_to_a_service_that_assesses_many_cases_but_not_all() {
    let people = supervised_people(region());
    let total = people.len();
    let count = |wanted: &dyn Fn(&Person) -> bool| people.iter().filter(|p| wanted(p)).count();

    let assessed = count(&|p| in_force(p).is_some());
    assert!(
        (0.5..=0.6).contains(&share(assessed, total)),
        "assessed {assessed}/{total}"
    );
    let reassessed = count(&|p| {
        p.assessments
            .iter()
            .any(|a| a.status == AssessmentStatus::Superseded)
    });
    let reassessed_share = share(reassessed, assessed);
    assert!(
        (0.1..=0.2).contains(&reassessed_share),
        "{reassessed_share}"
    );

    let drafting = count(&|p| {
        p.assessments
            .iter()
            .any(|a| a.status == AssessmentStatus::Draft)
    });
    assert!(
        (0.07..=0.13).contains(&share(drafting, total)),
        "drafts {drafting}"
    );

    let waiting = |p: &Person, overdue: bool| {
        p.checks.iter().any(|c| {
            c.kind == CheckKind::PoliceDomesticAbuse
                && c.response.is_none()
                && (!overdue || today() > c.deadline)
        })
    };
    let outstanding = count(&|p| waiting(p, false));
    let overdue = count(&|p| waiting(p, true));
    assert!(
        (0.12..=0.18).contains(&share(outstanding, total)),
        "outstanding {outstanding}"
    );
    let overdue_share = share(overdue, outstanding);
    assert!((0.25..=0.42).contains(&overdue_share), "{overdue_share}");

    let open_reviews = count(&|p| p.review_tasks.iter().any(|t| t.completed_on.is_none()));
    assert!(
        (0.06..=0.1).contains(&share(open_reviews, total)),
        "reviews {open_reviews}"
    );
    let answered_reviews = count(&|p| p.review_tasks.iter().any(|t| t.completed_on.is_some()));
    assert!(answered_reviews > 50, "{answered_reviews}");

    // Inspectors found children's-services enquiries made in about 55% of the cases that needed
    // them (reference §1): a child at home or a registration concerning children.
    let needing: Vec<&&Person> = people
        .iter()
        .filter(|p| {
            p.household.iter().any(|m| {
                m.end_date.is_none() && m.date_of_birth.is_some_and(|b| is_child_on(b, today()))
            }) || p
                .registrations
                .iter()
                .any(|r| r.ended_on.is_none() && r.kind.concerns_children())
        })
        .collect();
    let enquired = needing
        .iter()
        .filter(|p| {
            p.checks
                .iter()
                .any(|c| c.kind == CheckKind::ChildrensServices)
        })
        .count();
    let enquired_share = share(enquired, needing.len());
    assert!((0.48..=0.65).contains(&enquired_share), "{enquired_share}");

    // Most levels are low or medium; high is common enough to matter; very high is rare.
    let mut levels: HashMap<RoshLevel, usize> = HashMap::new();
    for assessment in people.iter().filter_map(|p| in_force(p)) {
        *levels.entry(assessment.case_level.unwrap()).or_default() += 1;
    }
    let level_share = |level| share(levels.get(&level).copied().unwrap_or(0), assessed);
    assert!((0.15..=0.4).contains(&level_share(RoshLevel::Low)));
    assert!((0.4..=0.65).contains(&level_share(RoshLevel::Medium)));
    assert!((0.1..=0.25).contains(&level_share(RoshLevel::High)));
    assert!((0.002..=0.04).contains(&level_share(RoshLevel::VeryHigh)));
}

#[test]
fn completed_assessments_pass_the_completion_gates_on_the_day_they_were_completed() {
    let mut checked = 0;
    for region in both() {
        for person in &region.people {
            for assessment in finished(person) {
                let day = completed_on(assessment);
                let facts = facts_on(person, assessment.case_type, day);
                let ready =
                    assess_completion(&content_of(assessment), &facts).unwrap_or_else(|missing| {
                        let messages: Vec<String> = missing.iter().map(|m| m.message()).collect();
                        panic!("{} on {day}: {messages:?}", person.crn)
                    });
                assert_eq!(Some(ready.case_level), assessment.case_level);
                assert!(ready.completed_without.is_empty());
                assert_eq!(
                    ready.needs_countersignature,
                    assessment.countersigned_by.is_some(),
                    "{}",
                    person.crn
                );

                // Spelled out: an answered police check for the address of the day, referenced
                // with a note; a note on everyone in the household.
                let address = facts.current_address.as_ref().unwrap().id;
                assert!(person.checks.iter().any(|c| {
                    c.kind == CheckKind::PoliceDomesticAbuse
                        && c.address_id == Some(address)
                        && c.response.as_ref().is_some_and(|r| r.received_on <= day)
                        && assessment
                            .check_references
                            .iter()
                            .any(|r| r.check_id == c.id && !r.note.trim().is_empty())
                }));
                for member in &facts.people_to_consider {
                    assert!(assessment
                        .considerations
                        .iter()
                        .any(|c| c.subject_id == member.id && !c.note.trim().is_empty()));
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 2000, "{checked}");
}

#[test]
fn assessments_are_made_by_the_allocated_officer_and_high_ones_countersigned_by_the_teams_spo() {
    let region = region();
    let seniors: HashMap<Uuid, Uuid> = region
        .staff
        .iter()
        .filter(|s| s.grade == Grade::SeniorProbationOfficer)
        .map(|s| (s.team_id.unwrap(), s.id))
        .collect();
    let mut countersigned = 0;
    for person in &region.people {
        for assessment in finished(person) {
            let day = completed_on(assessment);
            let allocation = officer_on(person, day).expect("allocated when completed");
            assert_eq!(assessment.completed_by, Some(allocation.staff_id));
            assert_eq!(assessment.created_by, allocation.staff_id);
            assert_eq!(assessment.updated_by, allocation.staff_id);
            let level = assessment.case_level.unwrap();
            if level.needs_countersignature() {
                countersigned += 1;
                assert_eq!(
                    assessment.countersigned_by,
                    Some(seniors[&allocation.team_id]),
                    "{}",
                    person.crn
                );
                let signed = assessment.countersigned_at.unwrap();
                assert!(signed > assessment.completed_at.unwrap() && signed.date() < today());
            } else {
                assert_eq!(assessment.countersigned_by, None);
                assert_eq!(assessment.countersigned_at, None);
            }
        }
    }
    assert!(countersigned > 200, "{countersigned}");
}

#[test]
fn assessment_levels_follow_the_flags_and_cover_the_case_types_groups() {
    let mut domestic_abuse = 0;
    for person in &region().people {
        for assessment in finished(person) {
            let groups: Vec<RiskGroup> = assessment.levels.iter().map(|(g, _)| *g).collect();
            assert_eq!(groups, RiskGroup::for_case(assessment.case_type));
            assert_eq!(
                assessment.case_level,
                assessment.levels.iter().map(|(_, l)| *l).max()
            );
            let day = completed_on(assessment);
            let in_force: Vec<_> = person
                .registrations
                .iter()
                .filter(|r| r.registered_on <= day && r.ended_on.is_none_or(|end| end > day))
                .collect();
            let level = assessment.case_level.unwrap();
            if in_force.iter().any(|r| {
                matches!(
                    r.mappa_level,
                    Some(MappaLevel::ActiveMultiAgency | MappaLevel::SeniorOversight)
                )
            }) {
                assert!(level >= RoshLevel::High, "{}: {level:?}", person.crn);
            }
            if in_force
                .iter()
                .any(|r| r.kind == RegistrationKind::DomesticAbusePerpetrator)
            {
                domestic_abuse += 1;
                let known_adult = assessment
                    .levels
                    .iter()
                    .find(|(g, _)| *g == RiskGroup::KnownAdult)
                    .map(|(_, l)| *l);
                assert!(
                    matches!(known_adult, Some(RoshLevel::Medium | RoshLevel::High)),
                    "{}",
                    person.crn
                );
            }
        }
    }
    assert!(domestic_abuse > 300, "{domestic_abuse}");
}

#[test]
fn assessments_are_recorded_as_the_application_records_them() {
    let today = today();
    for region in both() {
        for person in &region.people {
            let count = |status| {
                person
                    .assessments
                    .iter()
                    .filter(|a| a.status == status)
                    .count()
            };
            assert!(count(AssessmentStatus::Completed) <= 1, "{}", person.crn);
            assert!(count(AssessmentStatus::Draft) <= 1, "{}", person.crn);
            assert_eq!(count(AssessmentStatus::AwaitingCountersignature), 0);
            for assessment in &person.assessments {
                assert!(assessment.version >= 1);
                assert!(assessment.created_at <= assessment.updated_at);
                assert!(assessment.updated_at.date() < today);
                for words in [
                    &assessment.nature_of_harm,
                    &assessment.who_is_at_risk,
                    &assessment.imminence,
                    &assessment.increasing_factors,
                    &assessment.reducing_factors,
                ] {
                    LongText::optional(words).unwrap();
                }
                match assessment.status {
                    AssessmentStatus::Draft => {
                        assert_eq!(assessment.case_level, None);
                        assert_eq!(assessment.completed_at, None);
                        assert_eq!(assessment.superseded_at, None);
                        let started = (today - assessment.created_at.date()).num_days();
                        assert!((1..=20).contains(&started), "{}", person.crn);
                        let since_in_force = in_force(person).map(took_effect);
                        assert!(since_in_force.is_none_or(|at| at < assessment.created_at));
                    }
                    AssessmentStatus::Completed | AssessmentStatus::Superseded => {
                        assert!(assessment.version >= 3, "started, saved, completed");
                        assert!(assessment.created_at <= assessment.completed_at.unwrap());
                        assert_eq!(Some(assessment.updated_at), assessment.completed_at);
                        for words in [&assessment.nature_of_harm, &assessment.reducing_factors] {
                            LongText::required(words).unwrap();
                        }
                    }
                    AssessmentStatus::AwaitingCountersignature => unreachable!(),
                }
                if assessment.status == AssessmentStatus::Completed {
                    let ago = (today - completed_on(assessment)).num_days();
                    assert!((1..=300).contains(&ago), "{}: {ago}", person.crn);
                }
                if assessment.status == AssessmentStatus::Superseded {
                    let newer = in_force(person).expect("a newer assessment superseded it");
                    assert_eq!(assessment.superseded_at, Some(took_effect(newer)));
                    assert!(took_effect(assessment) < newer.created_at);
                } else {
                    assert_eq!(assessment.superseded_at, None);
                }
            }
        }
    }
}

#[test]
fn check_deadlines_and_rules_are_the_applications() {
    let rules = CheckDeadlineRules::default();
    let mut checks = 0;
    for region in both() {
        for person in &region.people {
            let assessed_until = in_force(person).map(completed_on);
            for check in &person.checks {
                checks += 1;
                assert_eq!(
                    check.deadline,
                    rules.deadline(check.kind, check.requested_on)
                );
                assert_eq!(
                    check.deadline_rule,
                    format!(
                        "{} working days, {} ({})",
                        rules.working_days(check.kind),
                        rules.version,
                        CALENDAR_RULE_VERSION
                    )
                );
                assert_eq!(check.deadline_rule, format!(
                    "10 working days, keepsafe check deadlines 1 (10 working days each) ({CALENDAR_RULE_VERSION})"
                ));
                let address = person
                    .addresses
                    .iter()
                    .find(|a| Some(a.id) == check.address_id)
                    .expect("a check covers one of the person's addresses");
                assert_eq!(
                    check.address_description,
                    format!("{}, {}", address.line1, address.town)
                );
                assert!(address.start_date <= check.requested_on);
                assert_eq!(check.created_at.date(), check.requested_on);
                assert!(check.requested_on < today());
                match &check.response {
                    Some(response) => {
                        assert!(check.requested_on <= response.received_on);
                        assert!(response.received_on < today());
                        assert!(!response.summary.trim().is_empty());
                    }
                    // A request still waiting would have stopped the assessment in force.
                    None => assert!(
                        assessed_until.is_none_or(|day| day < check.requested_on),
                        "{}",
                        person.crn
                    ),
                }
            }
        }
    }
    assert!(checks > 2500, "{checks}");
}

#[test]
fn police_responses_know_domestic_abuse_perpetrators_more_often() {
    let mut known: HashMap<bool, (usize, usize)> = HashMap::new();
    for person in &region().people {
        let perpetrator = person
            .registrations
            .iter()
            .any(|r| r.kind == RegistrationKind::DomesticAbusePerpetrator);
        for check in person
            .checks
            .iter()
            .filter(|c| c.kind == CheckKind::PoliceDomesticAbuse)
        {
            if let Some(response) = &check.response {
                let (yes, all) = known.entry(perpetrator).or_default();
                *yes += usize::from(response.known_to_agency);
                *all += 1;
            }
        }
    }
    let rate = |perpetrator| {
        let (yes, all) = known[&perpetrator];
        share(yes, all)
    };
    assert!(rate(true) > 0.5 && rate(false) < 0.35, "{known:?}");
}

#[test]
fn review_tasks_follow_changes_after_the_assessment_and_are_due_by_the_rules() {
    let rules = ReviewRules::default();
    let today = today();
    let mut overdue = 0;
    let mut open = 0;
    for region in both() {
        for person in &region.people {
            for task in &person.review_tasks {
                assert_eq!(task.due_on, rules.due(task.trigger, task.occurred_on));
                assert_eq!(task.rule_version, rules.version);
                assert!(!task.details.trim().is_empty());
                assert!(task.created_at.date() >= task.occurred_on);
                assert!(task.created_at.date() < today);
                let current = in_force(person).expect("reviews are of an assessment in force");
                match task.completed_on {
                    None => {
                        open += 1;
                        overdue += usize::from(today > task.due_on);
                        let ago = (today - task.occurred_on).num_days();
                        assert!((1..=40).contains(&ago), "{}", person.crn);
                        assert!(took_effect(current).date() < task.occurred_on);
                        assert_eq!(task.completed_by_assessment, None);
                    }
                    Some(done) => {
                        assert_eq!(task.completed_by_assessment, Some(current.id));
                        assert_eq!(done, took_effect(current).date());
                        assert!(task.occurred_on <= current.created_at.date());
                        assert!(person
                            .assessments
                            .iter()
                            .any(|a| a.status == AssessmentStatus::Superseded
                                && took_effect(a).date() < task.occurred_on));
                    }
                }
            }
        }
    }
    assert!(overdue > 0 && overdue < open, "{overdue} of {open} overdue");
}

/// About 75% of supervised cases have a needs assessment valid today, 10% an expired one, 5% a
/// draft and 10% none; and every completed one's answers agree with its severities.
#[test]
fn needs_assessments_come_in_realistic_proportions_and_agree_with_their_severities() {
    use keepsafe_domain::needs::{AssessmentStatus, Question, Section, Severity};
    let region = region();
    let supervised = region
        .people
        .iter()
        .filter(|p| {
            p.events
                .last()
                .is_some_and(|e| e.active && e.case_type != CaseType::PreSentence)
                && current_officer(p).is_some()
        })
        .count() as f64;
    let share = |test: &dyn Fn(&keepsafe_demo::DemoNeedsAssessment) -> bool| {
        region.needs.iter().filter(|n| test(n)).count() as f64 / supervised
    };
    let valid = share(&|n| n.valid_until.is_some_and(|until| until >= today()));
    let expired = share(&|n| n.valid_until.is_some_and(|until| until < today()));
    let drafts = share(&|n| n.status == AssessmentStatus::Draft);
    assert!((0.65..=0.8).contains(&valid), "valid {valid}");
    assert!((0.04..=0.14).contains(&expired), "expired {expired}");
    assert!((0.02..=0.08).contains(&drafts), "drafts {drafts}");

    for n in region
        .needs
        .iter()
        .filter(|n| n.status == AssessmentStatus::Completed)
    {
        let severity = |section| {
            n.sections
                .iter()
                .find(|s| s.0 == section)
                .map(|s| s.1)
                .unwrap()
        };
        let answer = |question| n.answers.iter().find(|a| a.0 == question).unwrap().1;
        assert_eq!(
            answer(Question::NoFixedAbode) == 1,
            severity(Section::Accommodation) == Severity::Severe
        );
        assert_eq!(
            i32::from(answer(Question::DrugMisuse)),
            severity(Section::DrugMisuse).score()
        );
        if severity(Section::ThinkingAndBehaviour) == Severity::NoNeed {
            assert_eq!(answer(Question::Impulsivity), 0);
        }
        assert_eq!(n.sections.len(), 10);
    }
}

#[test]
fn most_assessed_cases_have_an_agreed_plan_and_the_planning_indicators_see_a_mix() {
    use keepsafe_domain::plans::{ActionKind, PlanStatus};
    let region = region();
    let assessed = region
        .people
        .iter()
        .filter(|p| {
            p.assessments
                .iter()
                .any(|a| a.status == AssessmentStatus::Completed)
        })
        .count();
    let share = |status: PlanStatus| {
        region.plans.iter().filter(|p| p.status == status).count() as f64 / assessed as f64
    };
    let active = share(PlanStatus::Active);
    assert!((0.6..0.85).contains(&active), "active plans {active:.2}");
    assert!(share(PlanStatus::Draft) > 0.05, "some plans are drafts");
    assert!(
        region.plans.len() < assessed,
        "some assessed cases have no plan"
    );
    let overdue = region
        .plans
        .iter()
        .filter(|p| p.next_review_due.is_some_and(|due| due < today()))
        .count();
    assert!(overdue > 0, "some plans are overdue for review");
    let risk_objectives: Vec<_> = region
        .plans
        .iter()
        .flat_map(|p| &p.objectives)
        .filter(|o| !o.risks.is_empty())
        .collect();
    let restrictive = risk_objectives
        .iter()
        .filter(|o| o.has(ActionKind::Restrictive))
        .count() as f64
        / risk_objectives.len() as f64;
    assert!(
        (0.6..0.95).contains(&restrictive),
        "objectives for a risk with a restrictive action {restrictive:.2}"
    );
    for plan in &region.plans {
        if plan.status == PlanStatus::Active
            && plan
                .case_level
                .is_some_and(RoshLevel::needs_countersignature)
        {
            assert!(
                plan.countersigned_by.is_some(),
                "high plans are countersigned"
            );
        }
    }
}

#[test]
fn closed_cases_have_ended_and_the_regions_reoffending_follows_ogrs3s_forecast() {
    use keepsafe_domain::reoffending::{
        calibration, ogrs3_forecast, CalibrationPredictor, CohortMember, FollowUpPeriod,
        ForecastFacts, Reconviction, ReoffendingRules, SupervisedEvent,
    };
    let region = region();
    assert!(
        region.closed_cases.len() > 300,
        "{}",
        region.closed_cases.len()
    );
    for person in &region.closed_cases {
        assert!(person.allocations.is_empty());
        assert!(person.events.iter().all(
            |event| !event.active && event.expected_end_date.is_some_and(|end| end <= today())
        ));
    }
    assert!(
        small().closed_cases.is_empty(),
        "the tests' small region has none"
    );
    let mut convictions: HashMap<Uuid, Vec<Reconviction>> = HashMap::new();
    for conviction in &region.reconvictions {
        assert!(conviction.offence_on < conviction.convicted_on);
        assert!(conviction.convicted_on <= today());
        convictions
            .entry(conviction.person_id)
            .or_default()
            .push(Reconviction {
                offence_on: conviction.offence_on,
                convicted_on: conviction.convicted_on,
            });
    }
    let mut members = Vec::new();
    for person in region.people.iter().chain(&region.closed_cases) {
        for event in &person.events {
            let supervised = SupervisedEvent {
                case_type: event.case_type,
                sentence_date: event.sentence_date,
                release_date: event.release_date,
            };
            let Some(start) = supervised.follow_up_start(today()) else {
                continue;
            };
            let facts = ForecastFacts {
                sex: person.sex,
                date_of_birth: person.date_of_birth,
                conviction_date: event.conviction_date,
                sanctions_before: i32::try_from(event.sanctions_before).ok(),
                age_at_first_sanction: i32::try_from(person.age_at_first_sanction).ok(),
                offence_category: event.offence_category,
            };
            let mut reconvictions = convictions.get(&person.id).cloned().unwrap_or_default();
            reconvictions.extend(
                person
                    .events
                    .iter()
                    .filter(|other| other.id != event.id)
                    .map(|other| Reconviction {
                        offence_on: other.offence_date,
                        convicted_on: other.conviction_date,
                    }),
            );
            members.push(CohortMember {
                event: event.id,
                start,
                pdu: String::new(),
                case_type: event.case_type,
                ogrs3: ogrs3_forecast(&facts, start),
                ogp: None,
                reconvictions,
            });
        }
    }
    let result = calibration(
        &members,
        CalibrationPredictor::Ogrs3,
        FollowUpPeriod::TwoYears,
        &ReoffendingRules::default(),
        today(),
    );
    assert!(result.overall.of > 1000, "{}", result.overall.of);
    let observed = f64::from(result.overall.count) / f64::from(result.overall.of);
    let forecast = result.expected / f64::from(result.overall.of);
    assert!(
        (observed - forecast).abs() < 0.05,
        "observed {observed:.3} against forecast {forecast:.3}"
    );
}
