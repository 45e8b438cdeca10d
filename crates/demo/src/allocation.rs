//! Who supervises each case. Caseloads are shared out so probation officers average about 34
//! cases and service officers about 41 (reference §1), in proportion to contracted hours;
//! high-risk-looking cases go to probation officers, as common practice has it (reference §9).

use crate::calendar::{add_days, days_between};
use crate::cases::{AllocationState, Case};
use crate::model::{Allocation, Event, Registration};
use crate::offences::Offence;
use crate::organisation::Practitioner;
use crate::plan::calibrated_caseload;
use crate::random::DemoRng;
use chrono::NaiveDate;
use keepsafe_domain::event::{CaseType, SentenceType};
use keepsafe_domain::registration::MappaLevel;
use keepsafe_domain::staff::Grade;
use std::collections::HashMap;

/// Cases a manager would give only to a probation officer: MAPPA level 2 or 3, sexual or
/// terrorism offences, long custodial sentences for violence, and indeterminate or extended ones.
pub(crate) fn needs_probation_officer(
    offence: &Offence,
    event: &Event,
    registrations: &[Registration],
) -> bool {
    let active_multi_agency = registrations.iter().any(|registration| {
        registration.ended_on.is_none()
            && matches!(
                registration.mappa_level,
                Some(MappaLevel::ActiveMultiAgency | MappaLevel::SeniorOversight)
            )
    });
    let long_violent_custody = offence.is_violent()
        && event.sentence_type.is_custodial()
        && event
            .sentence_length_months
            .is_none_or(|months| months >= 48);
    let indeterminate_or_extended = matches!(
        event.sentence_type,
        SentenceType::Life
            | SentenceType::ImprisonmentForPublicProtection
            | SentenceType::ExtendedDeterminate
    );
    active_multi_agency
        || offence.category.is_sexual()
        || offence.terrorism
        || long_violent_custody
        || indeterminate_or_extended
}

/// Allocates a PDU's cases to its practitioners, leaving the planned ones waiting, and gives
/// some cases an earlier officer.
pub(crate) fn allocate(
    rng: &mut DemoRng,
    cases: &mut [Case],
    practitioners: &[Practitioner],
    returned_for_reallocation: usize,
    today: NaiveDate,
) {
    return_some_to_the_queue(rng, cases, practitioners, returned_for_reallocation, today);
    let allocated = cases
        .iter()
        .filter(|case| case.state == AllocationState::Allocated)
        .count();
    let officers = assign_officers(rng, cases, practitioners, allocated);
    for (case, officer) in cases.iter_mut().zip(officers) {
        if let Some(officer) = officer {
            let history =
                allocation_history(rng, case, &practitioners[officer], practitioners, today);
            case.person.allocations = history;
        }
    }
}

/// Ends the allocation of some established cases (a month or more old) in the last fortnight:
/// they wait for a new officer. High-risk cases are never left waiting.
fn return_some_to_the_queue(
    rng: &mut DemoRng,
    cases: &mut [Case],
    practitioners: &[Practitioner],
    count: usize,
    today: NaiveDate,
) {
    let mut candidates: Vec<usize> = cases
        .iter()
        .enumerate()
        .filter(|(_, case)| case.state == AllocationState::Allocated)
        .filter(|(_, case)| !case.needs_probation_officer)
        .filter(|(_, case)| days_between(case_start(case.current_event()), today) > 30)
        .map(|(index, _)| index)
        .collect();
    rng.shuffle(&mut candidates);
    for index in candidates.into_iter().take(count) {
        let case = &mut cases[index];
        let officer = rng.pick(practitioners);
        let start = case_start(case.current_event());
        case.state = AllocationState::ReturnedForReallocation;
        case.person.allocations = vec![Allocation {
            id: rng.id(),
            staff_id: officer.staff_id,
            team_id: officer.team_id,
            start_date: start,
            end_date: Some(add_days(today, -rng.range(1..=14))),
            reason: first_reason(case.current_event()).to_owned(),
        }];
    }
}

/// The practitioner (index) for each case: none for cases waiting. Every practitioner gets their
/// quota exactly; high-risk cases take probation officers' places first.
fn assign_officers(
    rng: &mut DemoRng,
    cases: &[Case],
    practitioners: &[Practitioner],
    allocated: usize,
) -> Vec<Option<usize>> {
    let mut officer_places = Vec::new();
    let mut other_places = Vec::new();
    for (index, quota) in quotas(practitioners, allocated).into_iter().enumerate() {
        let places = if practitioners[index].grade == Grade::ProbationOfficer {
            &mut officer_places
        } else {
            &mut other_places
        };
        places.extend(std::iter::repeat_n(index, quota));
    }
    rng.shuffle(&mut officer_places);
    let mut assigned = vec![None; cases.len()];
    let waiting = |case: &Case| case.state != AllocationState::Allocated;
    for (slot, case) in assigned.iter_mut().zip(cases) {
        if !waiting(case) && case.needs_probation_officer {
            *slot = officer_places.pop().or_else(|| other_places.pop());
        }
    }
    other_places.append(&mut officer_places);
    rng.shuffle(&mut other_places);
    for (slot, case) in assigned.iter_mut().zip(cases) {
        if !waiting(case) && slot.is_none() {
            *slot = other_places.pop();
        }
    }
    assigned
}

/// How many cases each practitioner holds: the grade's calibrated caseload scaled by their
/// weight, with the whole scaled so the quotas add up to exactly the cases to allocate.
fn quotas(practitioners: &[Practitioner], total: usize) -> Vec<usize> {
    let mut weights: HashMap<Grade, (f64, usize)> = HashMap::new();
    for practitioner in practitioners {
        let (sum, count) = weights.entry(practitioner.grade).or_default();
        *sum += practitioner.weight;
        *count += 1;
    }
    let targets: Vec<f64> = practitioners
        .iter()
        .map(|p| {
            let (sum, count) = weights[&p.grade];
            calibrated_caseload(p.grade) * p.weight * count as f64 / sum
        })
        .collect();
    let scale = total as f64 / targets.iter().sum::<f64>();
    largest_remainder(
        &targets.iter().map(|t| t * scale).collect::<Vec<_>>(),
        total,
    )
}

/// Rounds shares to whole numbers that add up to `total`, giving the leftovers to the largest
/// fractions.
fn largest_remainder(shares: &[f64], total: usize) -> Vec<usize> {
    let mut whole: Vec<usize> = shares.iter().map(|share| share.floor() as usize).collect();
    let mut by_fraction: Vec<usize> = (0..shares.len()).collect();
    by_fraction.sort_by(|a, b| {
        let fraction = |i: usize| shares[i] - shares[i].floor();
        fraction(*b).total_cmp(&fraction(*a)).then(a.cmp(b))
    });
    let short = total.saturating_sub(whole.iter().sum());
    for index in by_fraction.into_iter().cycle().take(short) {
        whole[index] += 1;
    }
    whole
}

/// The case's allocations, oldest first. Older cases sometimes had another officer first: in
/// another team (a transfer) or the same one.
fn allocation_history(
    rng: &mut DemoRng,
    case: &Case,
    officer: &Practitioner,
    practitioners: &[Practitioner],
    today: NaiveDate,
) -> Vec<Allocation> {
    let event = case.current_event();
    let start = case_start(event);
    let age_in_years = days_between(start, today) as f64 / 365.0;
    let handed_over = age_in_years > 0.5 && rng.chance((0.2 + 0.1 * age_in_years).min(0.7));
    let previous = handed_over
        .then(|| earlier_officer(rng, officer, practitioners, case.needs_probation_officer))
        .flatten();
    let Some(previous) = previous else {
        return vec![allocation(rng, officer, start, None, first_reason(event))];
    };
    let earliest = add_days(start, 60).max(add_days(today, -3 * 365));
    let latest = add_days(today, -14);
    let handover = add_days(
        earliest,
        rng.range(0..=days_between(earliest, latest).max(0)),
    );
    let reason = handover_reason(rng, previous, officer);
    vec![
        allocation(rng, previous, start, Some(handover), first_reason(event)),
        allocation(rng, officer, handover, None, &reason),
    ]
}

fn earlier_officer<'a>(
    rng: &mut DemoRng,
    current: &Practitioner,
    practitioners: &'a [Practitioner],
    needs_probation_officer: bool,
) -> Option<&'a Practitioner> {
    let candidate = rng.pick(practitioners);
    let suitable = candidate.staff_id != current.staff_id
        && (!needs_probation_officer || candidate.grade == Grade::ProbationOfficer);
    suitable.then_some(candidate)
}

fn handover_reason(rng: &mut DemoRng, previous: &Practitioner, current: &Practitioner) -> String {
    if previous.team_id != current.team_id {
        format!("Transferred from {} team", previous.team_name)
    } else {
        rng.choose(&[
            "Reallocated to balance caseloads in the team",
            "Reallocated while the previous officer is on long-term leave",
            "Reallocated when the previous officer reduced their hours",
        ])
        .to_owned()
    }
}

fn allocation(
    rng: &mut DemoRng,
    officer: &Practitioner,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
    reason: &str,
) -> Allocation {
    Allocation {
        id: rng.id(),
        staff_id: officer.staff_id,
        team_id: officer.team_id,
        start_date,
        end_date,
        reason: reason.to_owned(),
    }
}

/// When supervision of the current event began: sentence, or conviction for a court report.
fn case_start(event: &Event) -> NaiveDate {
    event.sentence_date.unwrap_or(event.conviction_date)
}

fn first_reason(event: &Event) -> &'static str {
    match event.case_type {
        CaseType::PreSentence => "Allocated to prepare the pre-sentence report",
        _ => "Allocated at sentence",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_shares_add_up_to_the_total() {
        let shares = [10.4, 10.4, 10.2];
        let rounded = largest_remainder(&shares, 31);
        assert_eq!(rounded.iter().sum::<usize>(), 31);
        assert_eq!(rounded, vec![11, 10, 10]);
    }
}
