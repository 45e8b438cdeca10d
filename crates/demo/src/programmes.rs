//! Referrals to programmes and interventions for the demo's cases with an accredited programme
//! requirement (and some rehabilitation activity requirements, to a structured intervention),
//! calibrated to reference §1: waits of six months to a year common, about a third of those who
//! start completing, the rest ending for realistic reasons (withdrawing, breach, custody,
//! deselection, moving, health). Some requirements have no referral yet, and many waits pass
//! keepsafe's 12 weeks, so the dashboard and the case pages flag requirements not started in time.
//! Drawn from a stream of its own, so adding it left every earlier draw as it was.

use crate::model::{DemoRegion, Person};
use crate::random::DemoRng;
use chrono::{Duration, NaiveDate};
use keepsafe_domain::programmes::{NonCompletionReason, ReferralStatus};
use keepsafe_domain::requirement::RequirementKind;
use uuid::Uuid;

/// The stream offset of this module's draws.
const STREAM: u64 = 0x5eed_0018_9a0b;

/// The region's referrals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemoProgrammes {
    pub referrals: Vec<DemoReferral>,
}

/// A referral as it stands today, with the steps it went through.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoReferral {
    pub id: Uuid,
    pub person_id: Uuid,
    pub requirement_id: Option<Uuid>,
    pub programme_code: &'static str,
    pub status: ReferralStatus,
    pub referred_on: NaiveDate,
    pub referred_by: Uuid,
    pub assessed_on: Option<NaiveDate>,
    pub suitability_reason: String,
    pub started_on: Option<NaiveDate>,
    pub cohort: Option<String>,
    pub ended_on: Option<NaiveDate>,
    pub reason: Option<NonCompletionReason>,
    pub end_detail: String,
}

/// The catalogue's sessions of the programmes the demo refers to (migration 29).
fn sessions(code: &str) -> i64 {
    match code {
        "bbr" => 30,
        "tsp" => 19,
        "horizon" => 31,
        "resolve" => 25,
        "building_choices" => 24,
        "emotional_management" => 8,
        "dependency_recovery" => 10,
        "finance_benefit_debt" => 4,
        _ => 20,
    }
}

/// The programme a requirement's detail names, or the structured intervention a rehabilitation
/// activity's focus suits.
fn programme_for(rng: &mut DemoRng, kind: RequirementKind, detail: &str) -> Option<&'static str> {
    match kind {
        RequirementKind::AccreditedProgramme => Some(if detail.contains("Building Better") {
            "bbr"
        } else if detail.contains("Horizon") {
            "horizon"
        } else if detail.contains("Thinking Skills") {
            *rng.pick(&["tsp", "tsp", "building_choices", "resolve"])
        } else {
            "building_choices"
        }),
        RequirementKind::RehabilitationActivity if detail.starts_with("Emotional") => {
            Some("emotional_management")
        }
        RequirementKind::RehabilitationActivity if detail.starts_with("Substance") => {
            Some("dependency_recovery")
        }
        RequirementKind::RehabilitationActivity if detail.starts_with("Thinking") => {
            Some("finance_benefit_debt")
        }
        _ => None,
    }
}

pub(crate) fn add(seed: u64, region: &mut DemoRegion, today: NaiveDate) {
    let mut rng = DemoRng::from_seed(seed ^ STREAM);
    let mut referrals = Vec::new();
    for person in &region.people {
        referrals.extend(referrals_for(&mut rng, person, today));
    }
    region.programmes = DemoProgrammes { referrals };
}

const UNSUITABLE: [&str; 4] = [
    "Denies the offence entirely; the programme needs some acceptance of responsibility",
    "Risk and need are below the programme's range; a structured intervention is more proportionate",
    "Learning needs call for an adapted programme: re-refer to an adapted programme",
    "Current heavy substance use would stop meaningful work in sessions; treatment first",
];

const COHORTS: [&str; 5] = [
    "Tuesday evening group",
    "Wednesday morning group",
    "Thursday afternoon group",
    "Saturday group",
    "One-to-one delivery",
];

fn referrals_for(rng: &mut DemoRng, person: &Person, today: NaiveDate) -> Vec<DemoReferral> {
    let Some(by) = person
        .allocations
        .iter()
        .find(|a| a.end_date.is_none())
        .map(|a| a.staff_id)
    else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for event in person.events.iter().filter(|e| e.active) {
        for requirement in event.requirements.iter().filter(|r| r.active) {
            let detail = requirement.detail.as_deref().unwrap_or("");
            let Some(code) = programme_for(rng, requirement.kind, detail) else {
                continue;
            };
            let accredited = requirement.kind == RequirementKind::AccreditedProgramme;
            // Some accredited requirements are not yet referred (and flagged once late); most
            // rehabilitation activity days are met by other work.
            let refer = if accredited { 0.88 } else { 0.4 };
            if !rng.chance(refer) {
                continue;
            }
            let referred_on = requirement.start_date + Duration::days(rng.range(2..=35));
            if referred_on > today {
                continue;
            }
            found.push(referral(
                rng,
                person.id,
                requirement.id,
                code,
                referred_on,
                by,
                accredited,
                today,
            ));
        }
    }
    found
}

#[allow(clippy::too_many_arguments)]
fn referral(
    rng: &mut DemoRng,
    person_id: Uuid,
    requirement_id: Uuid,
    code: &'static str,
    referred_on: NaiveDate,
    by: Uuid,
    accredited: bool,
    today: NaiveDate,
) -> DemoReferral {
    let mut r = DemoReferral {
        id: rng.id(),
        person_id,
        requirement_id: Some(requirement_id),
        programme_code: code,
        status: ReferralStatus::AwaitingAssessment,
        referred_on,
        referred_by: by,
        assessed_on: None,
        suitability_reason: String::new(),
        started_on: None,
        cohort: None,
        ended_on: None,
        reason: None,
        end_detail: String::new(),
    };
    let assessed_on = referred_on + Duration::days(rng.range(10..=56));
    if assessed_on > today {
        return r;
    }
    r.assessed_on = Some(assessed_on);
    if rng.chance(0.08) {
        r.status = ReferralStatus::NotSuitable;
        r.suitability_reason = rng.pick(&UNSUITABLE).to_string();
        return r;
    }
    r.status = ReferralStatus::Suitable;
    // Waits from referral to start (reference §1: six months to a year common). Structured
    // interventions, delivered locally, start sooner.
    let wait = if accredited {
        match rng.weighted(&[(0, 15), (1, 60), (2, 25)]) {
            0 => rng.range(60..=180),
            1 => rng.range(180..=365),
            _ => rng.range(365..=450),
        }
    } else {
        rng.range(30..=150)
    };
    let started_on = (referred_on + Duration::days(wait)).max(assessed_on + Duration::days(7));
    if started_on > today {
        return r;
    }
    r.status = ReferralStatus::Started;
    r.started_on = Some(started_on);
    r.cohort = Some(rng.pick(&COHORTS).to_string());
    // About a third of starters complete; the rest leave part-way through.
    let length = sessions(code) * rng.range(5..=8);
    if rng.chance(0.36) {
        let ended = started_on + Duration::days(length);
        if ended <= today {
            r.status = ReferralStatus::Completed;
            r.ended_on = Some(ended);
        }
    } else {
        let ended = started_on + Duration::days(rng.range(7..=length.max(8)));
        if ended <= today {
            let reason = rng.weighted(&[
                (NonCompletionReason::Withdrew, 30),
                (NonCompletionReason::Breached, 25),
                (NonCompletionReason::Custody, 15),
                (NonCompletionReason::Deselected, 10),
                (NonCompletionReason::MovedArea, 8),
                (NonCompletionReason::Health, 7),
                (NonCompletionReason::Other, 5),
            ]);
            r.status = ReferralStatus::NotCompleted;
            r.ended_on = Some(ended);
            r.reason = Some(reason);
            if reason == NonCompletionReason::Other {
                r.end_detail = rng
                    .pick(&[
                        "Started full-time night work",
                        "Caring for a parent full time",
                    ])
                    .to_string();
            }
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use crate::spec::{DemoSpec, Scale};

    #[test]
    fn the_demo_refers_programme_requirements_with_waits_of_months_and_dates_in_order() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let region = crate::generate(&DemoSpec {
            seed: 7,
            scale: Scale::Small,
            today,
        });
        let referrals = &region.programmes.referrals;
        assert!(referrals.len() >= 5, "{} referrals", referrals.len());
        for r in referrals {
            if let Some(started) = r.started_on {
                assert!(started >= r.referred_on);
                assert!(r.assessed_on.is_some_and(|a| a <= started));
            }
            if let Some(ended) = r.ended_on {
                assert!(ended >= r.started_on.expect("an end follows a start"));
                assert!(ended <= today);
            }
        }
        let waits: Vec<i64> = referrals
            .iter()
            .filter_map(|r| Some((r.started_on? - r.referred_on).num_days()))
            .collect();
        assert!(
            waits.iter().any(|w| *w >= 180),
            "some waits of six months or more"
        );
    }
}
