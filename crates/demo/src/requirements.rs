//! Requirements attached to community and suspended sentence orders (reference §2), in roughly
//! the proportions courts use them: unpaid work and rehabilitation activity most often, the rest
//! where the offence calls for them.

use crate::calendar::{add_days, add_months, days_between};
use crate::model::{Address, Event, Requirement};
use crate::offences::Offence;
use crate::places::PduPlace;
use crate::random::DemoRng;
use chrono::NaiveDate;
use keepsafe_domain::address::AddressStatus;
use keepsafe_domain::event::OffenceCategory;
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::CodedValue;

/// Unpaid work hours as courts order them, weighted to the common orders.
const UNPAID_WORK_HOURS: [(i32, u32); 10] = [
    (40, 4),
    (60, 8),
    (80, 12),
    (100, 14),
    (120, 14),
    (150, 14),
    (180, 10),
    (200, 10),
    (240, 8),
    (300, 6),
];

const RAR_DAYS: [(i32, u32); 7] = [
    (5, 6),
    (10, 18),
    (15, 20),
    (20, 22),
    (25, 12),
    (30, 14),
    (40, 8),
];

const RAR_FOCUS: [&str; 5] = [
    "Thinking skills, finance and accommodation",
    "Emotional management and relationships",
    "Employment, training and education",
    "Substance misuse and lifestyle",
    "Victim awareness and consequences of offending",
];

const CURFEW_HOURS: [&str; 4] = [
    "19:00 to 07:00",
    "20:00 to 06:00",
    "21:00 to 07:00",
    "19:00 to 06:00",
];

/// Everything a requirement's wording may draw on.
pub(crate) struct OrderContext<'a> {
    pub event: &'a Event,
    pub offence: &'a Offence,
    pub home: &'a Address,
    pub place: &'a PduPlace,
    pub today: NaiveDate,
}

/// The requirements of a running order: at least one, as the law requires.
pub(crate) fn for_order(rng: &mut DemoRng, order: &OrderContext) -> Vec<Requirement> {
    let mut kinds: Vec<RequirementKind> = RequirementKind::ALL
        .iter()
        .copied()
        .filter(|kind| rng.chance(likelihood(*kind, order)))
        .collect();
    if kinds.is_empty() {
        kinds.push(RequirementKind::RehabilitationActivity);
    }
    kinds
        .into_iter()
        .map(|kind| requirement(rng, kind, order))
        .collect()
}

/// Completed unpaid work or rehabilitation activity on an earlier, finished order.
pub(crate) fn completed(rng: &mut DemoRng, event: &Event) -> Vec<Requirement> {
    let (Some(start), Some(end)) = (event.sentence_date, event.expected_end_date) else {
        return Vec::new();
    };
    let (kind, length) = if rng.chance(0.6) {
        (
            RequirementKind::UnpaidWork,
            rng.weighted(&UNPAID_WORK_HOURS),
        )
    } else {
        (
            RequirementKind::RehabilitationActivity,
            rng.weighted(&RAR_DAYS),
        )
    };
    let finished = add_days(start, rng.range(90..=days_between(start, end).max(91)));
    vec![Requirement {
        id: rng.id(),
        kind,
        length: Some(length),
        detail: None,
        start_date: start,
        end_date: Some(finished.min(end)),
        active: false,
    }]
}

/// How likely a court is to add this requirement for this offence.
fn likelihood(kind: RequirementKind, order: &OrderContext) -> f64 {
    use OffenceCategory::*;
    let category = order.offence.category;
    let has_home = order.home.status == AddressStatus::Main;
    match kind {
        RequirementKind::UnpaidWork => 0.5,
        RequirementKind::RehabilitationActivity => 0.55,
        RequirementKind::AccreditedProgramme if order.offence.domestic => 0.45,
        RequirementKind::AccreditedProgramme if category.is_sexual() => 0.6,
        RequirementKind::AccreditedProgramme => 0.06,
        RequirementKind::Curfew if has_home => 0.15,
        RequirementKind::Curfew => 0.0,
        RequirementKind::Exclusion if order.offence.domestic => 0.2,
        RequirementKind::Exclusion => 0.04,
        RequirementKind::Residence => 0.03,
        RequirementKind::DrugRehabilitation => match category {
            DrugPossessionSupply | DrugImportExportProduction => 0.35,
            TheftNonMotor | BurglaryDomestic | BurglaryOther | Handling => 0.1,
            _ => 0.02,
        },
        RequirementKind::AlcoholTreatment => match category {
            DrinkDriving => 0.35,
            Violence | PublicOrder | CriminalDamage => 0.12,
            _ => 0.03,
        },
        RequirementKind::MentalHealthTreatment => 0.04,
        RequirementKind::ProhibitedActivity if category.is_sexual() => 0.3,
        RequirementKind::ProhibitedActivity => 0.03,
    }
}

fn requirement(rng: &mut DemoRng, kind: RequirementKind, order: &OrderContext) -> Requirement {
    let start = order
        .event
        .sentence_date
        .expect("requirements belong to sentenced orders");
    let (length, detail) = match kind {
        RequirementKind::UnpaidWork => (
            rng.weighted(&UNPAID_WORK_HOURS),
            Some(unpaid_work_placement(rng, order)),
        ),
        RequirementKind::RehabilitationActivity => (
            rng.weighted(&RAR_DAYS),
            Some(rng.choose(&RAR_FOCUS).to_owned()),
        ),
        RequirementKind::AccreditedProgramme => programme(order.offence),
        _ => (
            months_for(rng, kind, order),
            Some(monthly_detail(rng, kind, order)),
        ),
    };
    let finish = finish_date(rng, kind, length, start, order);
    let done = finish.filter(|end| *end <= order.today);
    Requirement {
        id: rng.id(),
        kind,
        length: Some(length),
        detail,
        start_date: start,
        end_date: finish,
        active: done.is_none(),
    }
}

/// Accredited programmes matched to the offence, with their session counts.
fn programme(offence: &Offence) -> (i32, Option<String>) {
    let (sessions, name) = if offence.domestic {
        (28, "Building Better Relationships")
    } else if offence.description.contains("indecent photographs") {
        (31, "iHorizon")
    } else if offence.category.is_sexual() {
        (31, "Horizon")
    } else {
        (19, "Thinking Skills Programme")
    };
    (sessions, Some(name.to_owned()))
}

/// A month-based requirement's length, never longer than the order itself.
fn months_for(rng: &mut DemoRng, kind: RequirementKind, order: &OrderContext) -> i32 {
    let months = match kind {
        RequirementKind::Curfew => rng.weighted(&[(2, 15), (3, 30), (4, 25), (6, 25), (12, 5)]),
        RequirementKind::AlcoholTreatment => rng.range(6..=9),
        RequirementKind::ProhibitedActivity => rng.range(6..=24),
        _ => rng.range(6..=12),
    };
    months.min(order_months(order.event))
}

fn order_months(event: &Event) -> i32 {
    match (event.sentence_date, event.expected_end_date) {
        (Some(start), Some(end)) => (days_between(start, end) / 31).max(1) as i32,
        _ => 12,
    }
}

fn monthly_detail(rng: &mut DemoRng, kind: RequirementKind, order: &OrderContext) -> String {
    let home = order.home;
    let town = order.place.main_town().name;
    match kind {
        RequirementKind::Curfew => format!(
            "At {}, {} {}, {}, electronically monitored",
            home.line1,
            home.town,
            home.postcode,
            rng.pick(&CURFEW_HOURS)
        ),
        RequirementKind::Exclusion if order.offence.domestic => format!(
            "Not to enter {}, {}, where the victim lives",
            crate::places::street_name(rng),
            home.town
        ),
        RequirementKind::Exclusion => format!("Not to enter {town} town centre between 20:00 and 06:00"),
        RequirementKind::Residence => {
            format!("To live at {}, {} or as approved by the responsible officer", home.line1, home.town)
        }
        RequirementKind::DrugRehabilitation => {
            format!("Treatment and testing with {town} Recovery Partnership, reviewed monthly")
        }
        RequirementKind::AlcoholTreatment => {
            format!("Non-residential treatment with {town} Recovery Partnership")
        }
        RequirementKind::MentalHealthTreatment => {
            "Non-residential treatment under the direction of a registered psychologist".to_owned()
        }
        _ if order.offence.category.is_sexual() => {
            "Not to use any internet-enabled device that has not been declared to the responsible officer"
                .to_owned()
        }
        _ => rng.choose(&[
            "Not to contact the victim directly or indirectly",
            "Not to drink alcohol in any public place",
            "Not to attend any football match in England and Wales",
        ])
        .to_owned(),
    }
}

fn unpaid_work_placement(rng: &mut DemoRng, order: &OrderContext) -> String {
    format!(
        "Group placement: {}",
        rng.pick(order.place.unpaid_work_projects)
    )
}

/// When the requirement ends or ended: a month-based one on its scheduled date; unpaid work,
/// activity days and programmes when the work is done, if it is done yet. Programmes start only
/// after a wait of six months to a year (reference §1).
fn finish_date(
    rng: &mut DemoRng,
    kind: RequirementKind,
    length: i32,
    start: NaiveDate,
    order: &OrderContext,
) -> Option<NaiveDate> {
    let order_end = order.event.expected_end_date?;
    let months_needed = match kind {
        RequirementKind::UnpaidWork => length / 28 + 2,
        RequirementKind::RehabilitationActivity => (length / 3).max(3),
        RequirementKind::AccreditedProgramme => rng.range(6..=12) + length / 2,
        _ => return Some(add_months(start, length.unsigned_abs()).min(order_end)),
    };
    let finished = add_days(
        add_months(start, months_needed.unsigned_abs()),
        -rng.range(0..=20),
    );
    (finished < order.today && finished <= order_end && rng.chance(0.7)).then_some(finished)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpaid_work_orders_are_within_the_statutory_range() {
        for (hours, _) in UNPAID_WORK_HOURS {
            assert!((40..=300).contains(&hours));
        }
    }
}
