//! Where people live now and where they lived before. Address history matters because a move
//! triggers safeguarding checks; approved premises and no fixed abode change how a case is run.

use crate::calendar::{add_days, add_months, days_between};
use crate::model::{Address, Event};
use crate::places::{self, PduPlace, Town};
use crate::random::DemoRng;
use chrono::NaiveDate;
use keepsafe_domain::address::AddressStatus;
use keepsafe_domain::event::CaseType;

/// A person's addresses, oldest first: up to two previous ones and the current one.
pub(crate) fn history(
    rng: &mut DemoRng,
    place: &PduPlace,
    current_event: &Event,
    date_of_birth: NaiveDate,
    today: NaiveDate,
) -> Vec<Address> {
    let independent_from = add_months(date_of_birth, 16 * 12);
    let current = current_address(rng, place, current_event, independent_from, today);
    let previous_count = rng.weighted(&[(0, 35), (1, 40), (2, 25)]);
    let mut addresses = vec![current];
    for _ in 0..previous_count {
        let moved_out = addresses
            .last()
            .expect("starts with the current one")
            .start_date;
        let moved_in = add_days(moved_out, -rng.range(180..=2190));
        if moved_in < independent_from {
            break;
        }
        let town = place.pick_town(rng);
        addresses.push(Address {
            end_date: Some(moved_out),
            ..home(rng, town, AddressStatus::Previous, moved_in)
        });
    }
    addresses.reverse();
    addresses
}

/// Most people have a main address; some licensees live in approved premises after release and a
/// few people have no fixed abode.
fn current_address(
    rng: &mut DemoRng,
    place: &PduPlace,
    event: &Event,
    independent_from: NaiveDate,
    today: NaiveDate,
) -> Address {
    let released = event
        .release_date
        .filter(|_| event.case_type == CaseType::Licence);
    if let Some(release) = released.filter(|_| rng.chance(0.07)) {
        return approved_premises(rng, place, release);
    }
    if event.case_type != CaseType::Custody && rng.chance(0.03) {
        let since = add_days(today, -rng.range(7..=120));
        return no_fixed_abode(rng, place, since);
    }
    let latest = add_days(today, -14);
    let longest = days_between(independent_from, latest).max(1);
    let moved_in = add_days(latest, -rng.range(0..=longest.min(3650)));
    let town = place.pick_town(rng);
    home(rng, town, AddressStatus::Main, moved_in)
}

fn home(rng: &mut DemoRng, town: &Town, status: AddressStatus, moved_in: NaiveDate) -> Address {
    let line2 = rng
        .chance(0.35)
        .then(|| rng.choose(town.localities).to_owned());
    Address {
        id: rng.id(),
        line1: places::street_address(rng),
        line2,
        town: town.name.to_owned(),
        postcode: places::postcode(rng, town),
        status,
        start_date: moved_in,
        end_date: None,
    }
}

fn approved_premises(rng: &mut DemoRng, place: &PduPlace, released: NaiveDate) -> Address {
    let town = place.main_town();
    Address {
        id: rng.id(),
        line1: place.approved_premises.to_owned(),
        line2: Some(format!(
            "{} {}",
            rng.range(1..=60),
            places::street_name(rng)
        )),
        town: town.name.to_owned(),
        postcode: places::postcode(rng, town),
        status: AddressStatus::ApprovedPremises,
        start_date: released,
        end_date: None,
    }
}

/// Still given the PDU's main town and a valid postcode (the probation office's), so the record
/// shows where the person reports.
fn no_fixed_abode(rng: &mut DemoRng, place: &PduPlace, since: NaiveDate) -> Address {
    let town = place.main_town();
    Address {
        id: rng.id(),
        line1: "No fixed abode".to_owned(),
        line2: None,
        town: town.name.to_owned(),
        postcode: places::postcode(rng, town),
        status: AddressStatus::NoFixedAbode,
        start_date: since,
        end_date: None,
    }
}

/// The address the person lives at now.
pub(crate) fn current(addresses: &[Address]) -> &Address {
    addresses
        .iter()
        .find(|address| address.end_date.is_none())
        .expect("everyone has a current address")
}
