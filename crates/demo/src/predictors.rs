//! Predictor scores recorded from external assessments (OASys, prison assessments, court and
//! parole reports) on most supervised cases, so the demo shows computed single tiers, RSR protect
//! points and stale scores (issue 16).
//!
//! About 85% of supervised cases have ARP, CSRP and RSR recorded, consistent with the case: the
//! ARP near the two-year OGRS3 of the current event (both predict any proven reoffending); the CSRP
//! and RSR (serious reoffending) higher for violent and sexual offences and rising with the ARP.
//! Most are dynamic, about a third static; about 15% were assessed more than a year ago, so they
//! show as stale; a quarter have an earlier assessment too, so the history has something to show.
//! Sexual offences have the sexual predictors (direct contact with its score, indecent images for
//! offences against children); violent ones OVP points.
//!
//! Calibration against the workload picture (reference §1: about 120% of capacity; §9: workload
//! points keyed on the legacy tier): the RSR ranges are set so about half the scores are low
//! (under 3%), a third medium and about one in seven high (7% or more). With the RoSH levels of the
//! assessments in force, that puts about 3% of cases in protect tier A, 19% B, 40% C and 38% D, and
//! the region's practitioners at about 100–110% of capacity on average (seed 2026; measured with
//! `keepsafe workload report`). Single tiers come out mostly C to E, some B, F and A, a few G.
//!
//! In the small region the cases of `po.demo` and `po.other` are left without scores, as the risk
//! work leaves them, so the tests that record scores on them start from nothing.

use crate::calendar::{add_days, at};
use crate::model::{DemoPredictor, Event, Person, StaffMember};
use crate::random::DemoRng;
use crate::risk::supervised;
use crate::spec::{DemoSpec, Scale};
use chrono::NaiveDate;
use keepsafe_domain::event::{CaseType, OffenceCategory};
use keepsafe_domain::predictors::recorded::{
    OspBand, PredictorBasis, PredictorSource, PredictorValue,
};
use std::collections::HashSet;
use uuid::Uuid;

const STREAM: u64 = 0x5eed_0023;
/// Supervised cases with ARP, CSRP and RSR recorded.
const RECORDED: f64 = 0.85;
/// Of those, the share whose latest assessment is more than a year old (stale).
const STALE: f64 = 0.15;
/// The share with an earlier assessment recorded as well.
const EARLIER: f64 = 0.25;
/// The share of ARPs scored from static factors only.
const STATIC: f64 = 0.3;
/// The two-year OGRS3 used when a case's cannot be computed.
const TYPICAL_OGRS: f64 = 45.0;

/// Adds the recorded predictors to every supervised case, in a stream of its own so the rest of
/// the region is the same with or without them.
pub(crate) fn add(seed: u64, people: &mut [Person], staff: &[StaffMember], spec: &DemoSpec) {
    let mut rng = DemoRng::from_seed(seed ^ STREAM);
    let untouched: HashSet<Uuid> = staff
        .iter()
        .filter(|_| spec.scale == Scale::Small)
        .filter(|member| matches!(member.username.as_deref(), Some("po.demo" | "po.other")))
        .map(|member| member.id)
        .collect();
    for person in people.iter_mut() {
        let Some(practitioner) = supervised(person).map(|a| a.staff_id) else {
            continue;
        };
        if untouched.contains(&practitioner) || !rng.chance(RECORDED) {
            continue;
        }
        let Some(event) = person.events.last().cloned() else {
            continue;
        };
        person.predictors = for_case(&mut rng, person, &event, practitioner, spec.today);
    }
}

/// The scores of one case: an earlier assessment sometimes, then the latest.
fn for_case(
    rng: &mut DemoRng,
    person: &Person,
    event: &Event,
    by: Uuid,
    today: NaiveDate,
) -> Vec<DemoPredictor> {
    let days_ago = if rng.chance(STALE) {
        rng.range(366..=600)
    } else {
        rng.range(5..=330)
    };
    let latest = add_days(today, -days_ago)
        .max(event.conviction_date)
        .min(today);
    let ogrs = crate::events::ogrs3_two_year(person, event, today).map_or(TYPICAL_OGRS, f64::from);
    let sexual = person.events.iter().any(|e| e.offence_category.is_sexual());
    let mut recorded = Vec::new();
    if rng.chance(EARLIER) {
        let earlier = add_days(latest, -rng.range(300..=420));
        let then = ogrs * rng.range(0.9..1.2);
        let scores = reoffending(rng, then, event.offence_category);
        recorded.extend(entries(rng, &scores, earlier, by, today, event.case_type));
    }
    let mut scores = reoffending(rng, ogrs, event.offence_category);
    if sexual {
        scores.extend(sexual_predictors(rng, event.offence_category));
    }
    if is_violent(event.offence_category) {
        scores.push(PredictorValue::Ovp {
            points: rng.range(25..=90),
        });
    }
    recorded.extend(entries(rng, &scores, latest, by, today, event.case_type));
    recorded
}

/// Each score of one assessment, entered by the practitioner within a few days of it.
fn entries(
    rng: &mut DemoRng,
    scores: &[PredictorValue],
    assessed_on: NaiveDate,
    by: Uuid,
    today: NaiveDate,
    case_type: CaseType,
) -> Vec<DemoPredictor> {
    let source = match case_type {
        CaseType::Custody | CaseType::Licence => rng.weighted(&[
            (PredictorSource::Oasys, 75),
            (PredictorSource::PrisonAssessment, 20),
            (PredictorSource::ParoleReport, 5),
        ]),
        CaseType::Community | CaseType::PreSentence => rng.weighted(&[
            (PredictorSource::Oasys, 85),
            (PredictorSource::CourtReport, 15),
        ]),
    };
    let entered_on = add_days(assessed_on, rng.range(0..=5)).min(today);
    let entered_at = at(entered_on, rng.range(9..=16), rng.range(0..=59));
    scores
        .iter()
        .map(|value| DemoPredictor {
            id: rng.id(),
            value: *value,
            source,
            assessed_on,
            entered_by: by,
            entered_at,
        })
        .collect()
}

/// ARP near the OGRS3; CSRP and RSR from the offence, rising with the ARP.
fn reoffending(rng: &mut DemoRng, ogrs: f64, offence: OffenceCategory) -> Vec<PredictorValue> {
    let arp = two_places((ogrs * rng.range(0.85..1.15) + rng.range(-4.0..4.0)).clamp(1.0, 98.0));
    let (low, high) = match offence {
        _ if offence.is_sexual() => (3.0, 15.0),
        OffenceCategory::Violence | OffenceCategory::Robbery => (2.0, 13.0),
        OffenceCategory::BurglaryDomestic | OffenceCategory::CriminalDamage => (1.0, 7.0),
        _ => (0.6, 5.0),
    };
    let csrp_raw = log_uniform(rng, low, high) * (0.6 + arp / 100.0);
    let csrp = two_places(csrp_raw.min(40.0));
    let rsr = two_places((csrp_raw * rng.range(0.9..1.4)).min(60.0));
    let arp_basis = if rng.chance(STATIC) {
        PredictorBasis::Static
    } else {
        PredictorBasis::Dynamic
    };
    let csrp_basis = if rng.chance(0.85) {
        arp_basis
    } else {
        match arp_basis {
            PredictorBasis::Static => PredictorBasis::Dynamic,
            PredictorBasis::Dynamic => PredictorBasis::Static,
        }
    };
    vec![
        PredictorValue::Rsr { percent: rsr },
        PredictorValue::Arp {
            percent: arp,
            basis: arp_basis,
        },
        PredictorValue::Csrp {
            percent: csrp,
            basis: csrp_basis,
        },
    ]
}

/// The direct-contact predictor with its score, and the indecent-images one (not applicable
/// unless the offence was against children).
fn sexual_predictors(rng: &mut DemoRng, offence: OffenceCategory) -> Vec<PredictorValue> {
    let band = rng.weighted(&[
        (OspBand::Low, 30),
        (OspBand::Medium, 35),
        (OspBand::High, 25),
        (OspBand::VeryHigh, 10),
    ]);
    let score = match band {
        OspBand::Low => rng.range(0.1..0.59),
        OspBand::Medium => rng.range(0.6..3.3),
        OspBand::High => rng.range(3.4..6.5),
        _ => rng.range(6.5..12.0),
    };
    let images = if offence == OffenceCategory::SexualChildren {
        rng.weighted(&[
            (OspBand::Low, 50),
            (OspBand::Medium, 35),
            (OspBand::High, 15),
        ])
    } else {
        OspBand::NotApplicable
    };
    vec![
        PredictorValue::OspDc {
            band,
            score: Some(two_places(score)),
        },
        PredictorValue::OspIic { band: images },
    ]
}

fn is_violent(offence: OffenceCategory) -> bool {
    matches!(
        offence,
        OffenceCategory::Violence | OffenceCategory::Robbery
    )
}

fn log_uniform(rng: &mut DemoRng, low: f64, high: f64) -> f64 {
    rng.range(low.ln()..high.ln()).exp()
}

/// A percentage as assessments print it, to two decimal places.
fn two_places(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::DemoSpec;
    use keepsafe_domain::predictors::recorded::PredictorKind;

    fn region() -> crate::DemoRegion {
        crate::generate(&DemoSpec {
            seed: 7,
            scale: Scale::Small,
            today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        })
    }

    #[test]
    fn most_supervised_cases_have_arp_csrp_and_rsr_recorded() {
        let region = region();
        // The test accounts' cases are left without scores.
        let test_accounts: HashSet<Uuid> = region
            .staff
            .iter()
            .filter(|s| matches!(s.username.as_deref(), Some("po.demo" | "po.other")))
            .map(|s| s.id)
            .collect();
        let supervised: Vec<&Person> = region
            .people
            .iter()
            .filter(|p| supervised(p).is_some_and(|a| !test_accounts.contains(&a.staff_id)))
            .collect();
        let recorded = supervised
            .iter()
            .filter(|p| {
                [PredictorKind::Arp, PredictorKind::Csrp, PredictorKind::Rsr]
                    .iter()
                    .all(|kind| p.predictors.iter().any(|s| s.value.kind() == *kind))
            })
            .count();
        let share = recorded as f64 / supervised.len() as f64;
        assert!(
            (0.65..=0.9).contains(&share),
            "{recorded} of {}",
            supervised.len()
        );
    }

    #[test]
    fn every_score_is_a_valid_percentage_assessed_no_later_than_today() {
        let region = region();
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        for score in region.people.iter().flat_map(|p| &p.predictors) {
            assert!(score.assessed_on <= today);
            assert!(score.entered_at.date() <= today);
            match score.value {
                PredictorValue::Rsr { percent }
                | PredictorValue::Arp { percent, .. }
                | PredictorValue::Csrp { percent, .. } => {
                    assert!((0.0..=100.0).contains(&percent), "{percent}")
                }
                PredictorValue::OspDc {
                    band: OspBand::Medium,
                    score,
                } => assert!(score.unwrap() >= 0.6),
                _ => {}
            }
        }
    }

    #[test]
    fn sexual_offences_have_the_sexual_predictors_and_violent_ones_ovp() {
        let region = region();
        for person in region.people.iter().filter(|p| !p.predictors.is_empty()) {
            let event = person.events.last().unwrap();
            let has = |kind| person.predictors.iter().any(|s| s.value.kind() == kind);
            if person.events.iter().any(|e| e.offence_category.is_sexual()) {
                assert!(has(PredictorKind::OspDc), "{}", person.crn);
            }
            if is_violent(event.offence_category) {
                assert!(has(PredictorKind::Ovp), "{}", person.crn);
            }
        }
    }
}
