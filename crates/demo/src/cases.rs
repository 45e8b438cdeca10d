//! A person on probation with everything about their case except who supervises them: identity,
//! addresses, household, events, requirements and registrations, all consistent with each other.

use crate::addresses;
use crate::allocation::needs_probation_officer;
use crate::calendar::{add_days, add_months, days_between, office_time, sub_months};
use crate::crn::CrnIssuer;
use crate::events;
use crate::household::{self, Householder};
use crate::model::{Event, Person};
use crate::names::family_pool;
use crate::places::PduPlace;
use crate::plan::PduPlan;
use crate::random::DemoRng;
use crate::registrations::{self, CaseFacts};
use crate::requirements::{self, OrderContext};
use chrono::{NaiveDate, NaiveDateTime};
use keepsafe_domain::address::AddressStatus;
use keepsafe_domain::age::{age_on, is_child_on};
use keepsafe_domain::event::CaseType;
use keepsafe_domain::household::Relationship;
use keepsafe_domain::person::Sex;
use keepsafe_domain::registration::MappaLevel;
use uuid::Uuid;

/// Ages of people on probation: mostly in their twenties to forties (18–75).
const AGE_BANDS: [((u32, u32), u32); 9] = [
    ((18, 20), 6),
    ((21, 24), 14),
    ((25, 29), 18),
    ((30, 34), 17),
    ((35, 39), 15),
    ((40, 44), 11),
    ((45, 49), 8),
    ((50, 59), 7),
    ((60, 75), 4),
];

/// Whether a case has, or is waiting for, a supervising officer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AllocationState {
    Allocated,
    /// Just sentenced or awaiting sentence, never allocated.
    AwaitingFirstAllocation,
    /// The officer's allocation ended; back in the queue.
    ReturnedForReallocation,
}

/// A generated person with what allocation needs to know about their case.
pub(crate) struct Case {
    pub person: Person,
    pub state: AllocationState,
    pub needs_probation_officer: bool,
}

impl Case {
    pub(crate) fn current_event(&self) -> &Event {
        self.person
            .events
            .last()
            .expect("everyone has a current event")
    }
}

/// Every case in a PDU, in random order of case type.
pub(crate) fn for_pdu(
    rng: &mut DemoRng,
    plan: &PduPlan,
    pdu_id: Uuid,
    crns: &mut CrnIssuer,
    today: NaiveDate,
) -> Vec<Case> {
    let mut case_types = plan.case_types();
    rng.shuffle(&mut case_types);
    let mut awaiting = plan.awaiting_first_allocation();
    let mut cases: Vec<Case> = case_types
        .into_iter()
        .map(|case_type| {
            let new_case = matches!(case_type, CaseType::Community | CaseType::PreSentence);
            let state = if new_case && awaiting > 0 {
                awaiting -= 1;
                AllocationState::AwaitingFirstAllocation
            } else {
                AllocationState::Allocated
            };
            case(rng, case_type, state, plan.place, pdu_id, crns, today)
        })
        .collect();
    ensure_a_level_2_mappa_case(rng, &mut cases, today);
    cases
}

/// Every PDU has a case under active multi-agency management (MAPPA level 2), even a small one:
/// demonstrations and tests rely on it. If chance gave none, the first level 1 case is raised.
fn ensure_a_level_2_mappa_case(rng: &mut DemoRng, cases: &mut [Case], today: NaiveDate) {
    let managed_at = |case: &Case, level: MappaLevel| {
        case.state == AllocationState::Allocated
            && case
                .person
                .registrations
                .iter()
                .any(|registration| registration.mappa_level == Some(level))
    };
    if cases
        .iter()
        .any(|case| managed_at(case, MappaLevel::ActiveMultiAgency))
    {
        return;
    }
    let Some(case) = cases
        .iter_mut()
        .find(|case| managed_at(case, MappaLevel::Ordinary))
    else {
        return;
    };
    let registration = case
        .person
        .registrations
        .iter_mut()
        .find(|registration| registration.mappa_level == Some(MappaLevel::Ordinary))
        .expect("the case was chosen for its level 1 registration");
    registrations::raise_to_level_2(rng, registration, today);
    case.needs_probation_officer = true;
}

fn case(
    rng: &mut DemoRng,
    case_type: CaseType,
    state: AllocationState,
    place: &PduPlace,
    pdu_id: Uuid,
    crns: &mut CrnIssuer,
    today: NaiveDate,
) -> Case {
    let id = rng.id();
    let crn = crns.issue(rng);
    let offence = events::offence_for(rng, case_type);
    // Sexual offences are almost all committed by men; overall about 85% of the caseload is male.
    let sex = if offence.category.is_sexual() || rng.chance(0.84) {
        Sex::Male
    } else {
        Sex::Female
    };
    let pool = family_pool(rng);
    let first_name = pool.first_name(rng, sex);
    let last_name = pool.surname(rng);
    let just_sentenced = state == AllocationState::AwaitingFirstAllocation;
    let mut current = events::current(rng, case_type, offence, place, today, just_sentenced);
    let date_of_birth = date_of_birth(rng, today, current.offence_date);
    let adult_from = add_months(date_of_birth, 18 * 12);
    let mut history = events::previous(rng, adult_from, current.offence_date, place);
    for event in history
        .iter_mut()
        .filter(|event| event.case_type == CaseType::Community)
    {
        event.requirements = requirements::completed(rng, event);
    }

    let addresses = addresses::history(rng, place, &current, date_of_birth, today);
    let home = addresses::current(&addresses);
    let household = if home.status == AddressStatus::Main {
        let who = Householder {
            pool,
            sex,
            surname: &last_name,
            date_of_birth,
        };
        household::for_person(rng, &who, today)
    } else {
        Vec::new()
    };
    if case_type == CaseType::Community {
        let order = OrderContext {
            event: &current,
            offence,
            home,
            place,
            today,
        };
        current.requirements = requirements::for_order(rng, &order);
    }
    history.push(current);
    let mut events = events::numbered(history);
    let age_at_first_sanction = crate::history::record(rng, &mut events, date_of_birth);
    let created_at = created_at(rng, &events[0]);

    let current = events.last().expect("the current event was just added");
    let children_at_home = household.iter().any(|member| {
        member.end_date.is_none()
            && member
                .date_of_birth
                .is_some_and(|born| is_child_on(born, today))
            && member.relationship != Relationship::Sibling
    });
    let facts = CaseFacts {
        offence,
        event: current,
        sex,
        age: age_on(date_of_birth, today).unwrap_or(18),
        children_at_home,
        known_since: created_at.date(),
        today,
    };
    let registrations = registrations::for_case(rng, &facts);
    let needs_probation_officer = needs_probation_officer(offence, current, &registrations);
    Case {
        person: Person {
            id,
            crn,
            first_name,
            last_name,
            date_of_birth,
            sex,
            pdu_id,
            created_at,
            age_at_first_sanction,
            addresses,
            household,
            events,
            registrations,
            contacts: Vec::new(),
            allocations: Vec::new(),
            checks: Vec::new(),
            assessments: Vec::new(),
            review_tasks: Vec::new(),
            oversight: Vec::new(),
            predictors: Vec::new(),
        },
        state,
        needs_probation_officer,
    }
}

/// A date of birth from the caseload's age profile, moved earlier if needed so the person was an
/// adult when they committed the current offence.
fn date_of_birth(rng: &mut DemoRng, today: NaiveDate, offence_date: NaiveDate) -> NaiveDate {
    let (youngest, oldest) = rng.weighted(&AGE_BANDS);
    let age = rng.range(youngest..=oldest);
    let drawn = add_days(sub_months(today, age * 12), -rng.range(0..365));
    let latest = sub_months(offence_date, 18 * 12);
    if drawn <= latest {
        drawn
    } else {
        add_days(latest, -rng.range(0..=3650))
    }
}

/// The record was opened when the first case came to court: between the offence (or three weeks
/// before conviction, if later) and the conviction, in office hours.
fn created_at(rng: &mut DemoRng, first: &Event) -> NaiveDateTime {
    let earliest = first.offence_date.max(add_days(first.conviction_date, -21));
    let day = add_days(
        earliest,
        rng.range(0..=days_between(earliest, first.conviction_date)),
    );
    office_time(rng, day)
}
