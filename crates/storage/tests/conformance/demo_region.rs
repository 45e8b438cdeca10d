use crate::conformance;
use crate::support::{conn, small_region, with_small_region};
use keepsafe_demo::install;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::organisation;

conformance!(the_demo_region_reads_back_as_generated, |db| {
    let region = with_small_region(db);
    let mut conn = conn(db);
    let person = region
        .people
        .iter()
        .find(|p| !p.household.is_empty() && !p.allocations.is_empty())
        .expect("a person with a household and an allocation");
    let located = case_record::locate(&mut conn, &person.crn)
        .unwrap()
        .expect("the CRN is found");
    assert_eq!(located.person_id, person.id);
    assert_eq!(located.location.pdu, person.pdu_id);
    let current_team = person
        .allocations
        .iter()
        .find(|a| a.end_date.is_none())
        .map(|a| a.team_id);
    assert_eq!(located.location.team, current_team);

    let record = case_record::load(&mut conn, person.id, 500).unwrap();
    assert_eq!(record.person.first_name, person.first_name);
    assert_eq!(record.person.date_of_birth, person.date_of_birth);
    assert_eq!(record.household.len(), person.household.len());
    assert_eq!(record.addresses.len(), person.addresses.len());
    assert_eq!(record.events.len(), person.events.len());
    assert_eq!(record.contacts.len(), person.contacts.len());
    assert_eq!(record.allocations.len(), person.allocations.len());
    let requirements: usize = person.events.iter().map(|e| e.requirements.len()).sum();
    let loaded: usize = record.events.iter().map(|e| e.requirements.len()).sum();
    assert_eq!(loaded, requirements);
});

conformance!(installing_the_demo_twice_keeps_the_first, |db| {
    with_small_region(db);
    let mut conn = conn(db);
    let again = install::install(
        &mut conn,
        &small_region(),
        keepsafe_test_support::clock::now(),
        &mut |_, _| {},
    )
    .unwrap();
    assert!(again.is_none());
    assert!(organisation::has_any_region(&mut conn).unwrap());
});

conformance!(an_unknown_crn_is_not_found, |db| {
    with_small_region(db);
    let mut conn = conn(db);
    assert!(case_record::locate(&mut conn, "Z999999").unwrap().is_none());
});
