//! Reoffending outcomes for the demo region, so the cohort rates and the calibration view show
//! something true of the data:
//!
//! - **Closed cases** (region and national scales, kept apart from the caseload in
//!   `DemoRegion::closed_cases`): people whose only sentence — a community
//!   order or a short prison sentence with its licence — started up to six years ago and has
//!   ended, about three for every ten supervised people in the community or on licence. A real
//!   region's records hold far more people than it supervises today; without them every cohort
//!   would be made of people who came back.
//! - **Convictions after supervision began**, drawn for every follow-up that has started from
//!   OGRS3's own forecast for it (`keepsafe_domain::reoffending::ogrs3_forecast`, the same
//!   numbers the application works out), moved by a little noise: a shift of the log-odds per
//!   PDU (±0.25, so PDUs differ as real ones do) and a general −0.1 (reoffending has fallen since
//!   OGRS3 was built, so it now forecasts a little high). Where a later sentence already on the
//!   record falls in a follow-up, that counts, and the draws for the rest of its band are lowered
//!   to match, so a band's rate still follows its forecast. About one conviction in ten comes
//!   after the six-month waiting period, as late convictions do, and is not counted.
//!
//! Drawn from a stream of its own (the seed, offset), after everything else, so adding it left
//! every earlier draw as it was; the closed cases' CRNs come from the region's issuer.

use crate::calendar::{add_days, add_months, office_time, sub_months};
use crate::crn::CrnIssuer;
use crate::model::{DemoRegion, Person};
use crate::names::family_pool;
use crate::places::PduPlace;
use crate::random::DemoRng;
use crate::{addresses, events, offences};
use chrono::{NaiveDate, NaiveDateTime};
use keepsafe_domain::event::{CaseType, OffenceCategory};
use keepsafe_domain::person::Sex;
use keepsafe_domain::predictors::ogrs3::Ogrs3Band;
use keepsafe_domain::reoffending::{ogrs3_forecast, ForecastFacts, SupervisedEvent};
use keepsafe_domain::staff::Grade;
use std::collections::HashMap;
use uuid::Uuid;

/// The stream's offset from the region's seed.
const STREAM: u64 = 0x5e0f_fe4d;

/// A conviction for an offence committed after supervision began, as
/// `storage::reoffending::convictions::record` keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoReconviction {
    pub id: Uuid,
    pub person_id: Uuid,
    pub event_id: Uuid,
    pub offence: String,
    pub offence_category: OffenceCategory,
    pub offence_on: NaiveDate,
    pub convicted_on: NaiveDate,
    pub court: String,
    pub recorded_by: Uuid,
    pub recorded_at: NaiveDateTime,
}

/// Adds the closed cases (unless `closed_cases` is false, as at the small scale, whose people the
/// tests count) and the convictions after supervision began.
pub(crate) fn add(
    seed: u64,
    region: &mut DemoRegion,
    places: &[&'static PduPlace],
    crns: &mut CrnIssuer,
    closed_cases: bool,
    today: NaiveDate,
) {
    let mut rng = DemoRng::from_seed(seed ^ STREAM);
    if closed_cases {
        add_closed_cases(&mut rng, region, places, crns, today);
    }
    region.reconvictions = convictions(&mut rng, region, places, today);
}

fn add_closed_cases(
    rng: &mut DemoRng,
    region: &mut DemoRegion,
    places: &[&'static PduPlace],
    crns: &mut CrnIssuer,
    today: NaiveDate,
) {
    let mut closed = Vec::new();
    for (pdu, place) in region.pdus.iter().zip(places) {
        let supervised = region
            .people
            .iter()
            .filter(|person| person.pdu_id == pdu.id)
            .filter(|person| {
                person.events.iter().any(|event| {
                    event.active
                        && matches!(event.case_type, CaseType::Community | CaseType::Licence)
                })
            })
            .count();
        for _ in 0..supervised * 3 / 10 {
            if let Some(person) = closed_case(rng, pdu.id, place, crns, today) {
                closed.push(person);
            }
        }
    }
    region.closed_cases = closed;
}

/// Someone whose one sentence started up to six years ago and has ended.
fn closed_case(
    rng: &mut DemoRng,
    pdu_id: Uuid,
    place: &PduPlace,
    crns: &mut CrnIssuer,
    today: NaiveDate,
) -> Option<Person> {
    let mut event = events::finished(rng, sub_months(today, 72), add_days(today, -30), place)?;
    event.number = 1;
    event.active = false;
    event.sanctions_before = rng.weighted(&[
        (0, 18),
        (1, 12),
        (2, 10),
        (3, 9),
        (5, 12),
        (8, 12),
        (12, 11),
        (18, 8),
        (25, 5),
        (35, 3),
    ]);
    let age = rng.range(18..=58u32);
    let date_of_birth = add_days(
        sub_months(event.conviction_date, age * 12),
        -rng.range(0..365),
    );
    let age_at_first_sanction = if event.sanctions_before == 0 {
        age
    } else {
        rng.range(12..=age.min(30))
    };
    let sex = if rng.chance(0.85) {
        Sex::Male
    } else {
        Sex::Female
    };
    let pool = family_pool(rng);
    let first_name = pool.first_name(rng, sex);
    let last_name = pool.surname(rng);
    let created_at = office_time(rng, event.conviction_date);
    let addresses = addresses::history(rng, place, &event, date_of_birth, today);
    Some(Person {
        id: rng.id(),
        crn: crns.issue(rng),
        first_name,
        last_name,
        date_of_birth,
        sex,
        pdu_id,
        created_at,
        age_at_first_sanction,
        addresses,
        household: Vec::new(),
        events: vec![event],
        registrations: Vec::new(),
        contacts: Vec::new(),
        allocations: Vec::new(),
        checks: Vec::new(),
        assessments: Vec::new(),
        review_tasks: Vec::new(),
        oversight: Vec::new(),
        predictors: Vec::new(),
    })
}

/// One follow-up: whose, of which sentence, from when, with OGRS3's forecast and whether a later
/// sentence already on the record falls in it (in year one, in year two).
struct FollowUp {
    person_id: Uuid,
    event_id: Uuid,
    pdu_id: Uuid,
    start: NaiveDate,
    one_year: f64,
    two_year: f64,
    band: Ogrs3Band,
    already: Option<u8>,
}

fn follow_ups(region: &DemoRegion, today: NaiveDate) -> Vec<FollowUp> {
    let mut found = Vec::new();
    for person in region.people.iter().chain(&region.closed_cases) {
        for event in &person.events {
            let supervised = SupervisedEvent {
                case_type: event.case_type,
                sentence_date: event.sentence_date,
                release_date: event.release_date,
            };
            let Some(start) = supervised.follow_up_start(today) else {
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
            let Some(forecast) = ogrs3_forecast(&facts, start) else {
                continue;
            };
            let year = |offence: NaiveDate| {
                if offence < start {
                    None
                } else if offence < add_months(start, 12) {
                    Some(1)
                } else if offence < add_months(start, 24) {
                    Some(2)
                } else {
                    None
                }
            };
            let already = person
                .events
                .iter()
                .filter(|other| other.id != event.id)
                .filter_map(|other| year(other.offence_date))
                .min();
            found.push(FollowUp {
                person_id: person.id,
                event_id: event.id,
                pdu_id: person.pdu_id,
                start,
                one_year: f64::from(forecast.one_year) / 100.0,
                two_year: f64::from(forecast.two_year) / 100.0,
                band: Ogrs3Band::from_two_year_percent(forecast.two_year),
                already,
            });
        }
    }
    found
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    (p / (1.0 - p)).ln()
}

fn logistic(y: f64) -> f64 {
    1.0 / (1.0 + (-y).exp())
}

/// The share of each band's follow-ups already reoffended (by a later sentence) within one year
/// and within two.
fn already_by_band(follow_ups: &[FollowUp]) -> HashMap<Ogrs3Band, (f64, f64)> {
    let mut counts: HashMap<Ogrs3Band, (u32, u32, u32)> = HashMap::new();
    for follow_up in follow_ups {
        let entry = counts.entry(follow_up.band).or_default();
        entry.0 += 1;
        entry.1 += u32::from(follow_up.already == Some(1));
        entry.2 += u32::from(follow_up.already.is_some());
    }
    counts
        .into_iter()
        .map(|(band, (all, one, two))| {
            let all = f64::from(all.max(1));
            (band, (f64::from(one) / all, f64::from(two) / all))
        })
        .collect()
}

fn convictions(
    rng: &mut DemoRng,
    region: &DemoRegion,
    places: &[&'static PduPlace],
    today: NaiveDate,
) -> Vec<DemoReconviction> {
    let follow_ups = follow_ups(region, today);
    let already = already_by_band(&follow_ups);
    let shift: HashMap<Uuid, f64> = region
        .pdus
        .iter()
        .map(|pdu| (pdu.id, -0.1 + (rng.range(0..=50) as f64 - 25.0) / 100.0))
        .collect();
    let place_of: HashMap<Uuid, &PduPlace> = region
        .pdus
        .iter()
        .zip(places)
        .map(|(pdu, place)| (pdu.id, *place))
        .collect();
    let practitioners: HashMap<Uuid, Vec<Uuid>> = region
        .staff
        .iter()
        .filter(|staff| {
            matches!(
                staff.grade,
                Grade::ProbationOfficer | Grade::ProbationServiceOfficer
            )
        })
        .fold(HashMap::new(), |mut by_pdu, staff| {
            if let Some(pdu) = staff.pdu_id {
                by_pdu.entry(pdu).or_insert_with(Vec::new).push(staff.id);
            }
            by_pdu
        });
    let mut found = Vec::new();
    for follow_up in &follow_ups {
        if follow_up.already.is_some() {
            continue;
        }
        let (q1, q2) = already[&follow_up.band];
        let moved = |p: f64| logistic(logit(p) + shift[&follow_up.pdu_id]);
        let p1 = ((moved(follow_up.one_year) - q1) / (1.0 - q2)).clamp(0.0, 1.0);
        let p2 = ((moved(follow_up.two_year) - q2) / (1.0 - q2)).clamp(p1, 1.0);
        let draw = rng.range(0..10_000) as f64 / 10_000.0;
        let (from, days) = if draw < p1 {
            (follow_up.start, 365)
        } else if draw < p2 {
            (add_months(follow_up.start, 12), 365)
        } else {
            continue;
        };
        let offence_on = add_days(from, rng.range(0..days));
        let lag = if rng.chance(0.9) {
            rng.range(20..=170)
        } else {
            rng.range(190..=320)
        };
        let convicted_on = add_days(offence_on, lag);
        if convicted_on > today {
            continue;
        }
        let (Some(place), Some(staff)) = (
            place_of.get(&follow_up.pdu_id),
            practitioners.get(&follow_up.pdu_id),
        ) else {
            continue;
        };
        let offence = offences::for_community_sentence(rng);
        let recorded_on = add_days(convicted_on, rng.range(1..=10)).min(today);
        found.push(DemoReconviction {
            id: rng.id(),
            person_id: follow_up.person_id,
            event_id: follow_up.event_id,
            offence: offence.description.to_owned(),
            offence_category: offence.category,
            offence_on,
            convicted_on,
            court: place.magistrates_court(rng),
            recorded_by: *rng.pick(staff),
            recorded_at: office_time(rng, recorded_on),
        });
    }
    found
}
