//! Registrations (flags) on a case: domestic abuse, child safeguarding, MAPPA, mental health,
//! vulnerability, IOM and the rest, in proportions that follow the offence, the household and the
//! person (reference §7 and §10). MAPPA categories follow the statutory definitions.

use crate::calendar::{add_days, days_between};
use crate::model::{Event, Registration};
use crate::offences::Offence;
use crate::random::DemoRng;
use chrono::NaiveDate;
use keepsafe_domain::event::{CaseType, OffenceCategory, SentenceType};
use keepsafe_domain::person::Sex;
use keepsafe_domain::registration::{MappaCategory, MappaLevel, RegistrationKind};
use keepsafe_domain::CodedValue;

/// MAPPA review intervals (reference §7): level 2 at least every 16 weeks, level 3 every 8.
const LEVEL_2_REVIEW_DAYS: i64 = 16 * 7;
const LEVEL_3_REVIEW_DAYS: i64 = 8 * 7;
/// Other registrations are reviewed every six months.
const REVIEW_DAYS: i64 = 182;

/// What the registrations on a case depend on.
pub(crate) struct CaseFacts<'a> {
    pub offence: &'a Offence,
    pub event: &'a Event,
    pub sex: Sex,
    pub age: u32,
    pub children_at_home: bool,
    /// When probation first knew the person: no registration predates it.
    pub known_since: NaiveDate,
    pub today: NaiveDate,
}

/// The case's registrations, oldest first.
pub(crate) fn for_case(rng: &mut DemoRng, facts: &CaseFacts) -> Vec<Registration> {
    let mut registrations = Vec::new();
    for kind in RegistrationKind::ALL.iter().copied() {
        if kind != RegistrationKind::Mappa && rng.chance(likelihood(kind, facts)) {
            registrations.push(flag(rng, kind, facts));
        }
    }
    if let Some(category) = mappa_category(rng, facts) {
        registrations.push(mappa(rng, category, facts));
    }
    registrations.sort_by_key(|registration| registration.registered_on);
    registrations
}

/// How likely the case is to carry this (non-MAPPA) registration.
fn likelihood(kind: RegistrationKind, facts: &CaseFacts) -> f64 {
    use OffenceCategory::*;
    let offence = facts.offence;
    let woman = facts.sex == Sex::Female;
    let supervised = facts.event.case_type != CaseType::PreSentence;
    match kind {
        RegistrationKind::DomesticAbusePerpetrator => {
            let base = match offence.category {
                _ if offence.domestic => 0.9,
                Violence => 0.35,
                PublicOrder | CriminalDamage => 0.25,
                _ => 0.15,
            };
            if woman {
                base * 0.4
            } else {
                base
            }
        }
        RegistrationKind::DomesticAbuseVictim if woman => 0.25,
        RegistrationKind::DomesticAbuseVictim => 0.02,
        RegistrationKind::ChildProtection if facts.children_at_home => 0.12,
        RegistrationKind::ChildProtection => 0.01,
        RegistrationKind::ChildConcerns if facts.children_at_home => 0.15,
        RegistrationKind::ChildConcerns => 0.02,
        RegistrationKind::RiskToChildren => match offence.category {
            SexualChildren => 1.0,
            SexualNotChildren => 0.3,
            _ if offence.domestic && facts.children_at_home => 0.2,
            _ => 0.01,
        },
        RegistrationKind::Stalking
            if matches!(
                offence.description,
                "Harassment" | "Stalking involving fear of violence"
            ) =>
        {
            0.6
        }
        RegistrationKind::Stalking => 0.005,
        RegistrationKind::MentalHealthIssues if woman => 0.4,
        RegistrationKind::MentalHealthIssues => 0.25,
        RegistrationKind::SuicideOrSelfHarm if woman => 0.2,
        RegistrationKind::SuicideOrSelfHarm => 0.1,
        RegistrationKind::Vulnerability if facts.age < 21 => 0.15,
        RegistrationKind::Vulnerability => 0.07,
        RegistrationKind::AdultAtRisk => 0.02,
        RegistrationKind::StreetGangs => match offence.category {
            DrugPossessionSupply | Robbery | Violence | Other if facts.age < 30 => 0.15,
            _ => 0.005,
        },
        RegistrationKind::TerrorismActOffender if offence.terrorism => 1.0,
        RegistrationKind::TerrorismActOffender => 0.0,
        RegistrationKind::PublicInterest => 0.005,
        RegistrationKind::IntegratedOffenderManagement if supervised => match offence.category {
            BurglaryDomestic | BurglaryOther | TheftNonMotor | Robbery | VehicleTheft
            | TheftFromVehicle | Handling => 0.25,
            _ => 0.02,
        },
        RegistrationKind::IntegratedOffenderManagement | RegistrationKind::Mappa => 0.0,
    }
}

/// A non-MAPPA registration; about one in eight has since been removed.
fn flag(rng: &mut DemoRng, kind: RegistrationKind, facts: &CaseFacts) -> Registration {
    let registered_on = registration_date(rng, facts);
    let removable = !matches!(kind, RegistrationKind::TerrorismActOffender);
    let ended_on = (removable && rng.chance(0.12))
        .then(|| add_days(registered_on, 30))
        .filter(|earliest| *earliest < facts.today)
        .map(|earliest| between(rng, earliest, add_days(facts.today, -1)));
    Registration {
        id: rng.id(),
        kind,
        mappa_category: None,
        mappa_level: None,
        registered_on,
        next_review_on: ended_on
            .is_none()
            .then(|| next_cycle(registered_on, REVIEW_DAYS, facts.today)),
        ended_on,
        notes: notes(kind).to_owned(),
    }
}

/// Statutory MAPPA categories: 1 for sexual offences, 2 for violence with 12 months' custody or
/// more, 4 for terrorism, and occasionally 3 for other serious offenders in custody.
fn mappa_category(rng: &mut DemoRng, facts: &CaseFacts) -> Option<MappaCategory> {
    let offence = facts.offence;
    let event = facts.event;
    let custodial = event.sentence_type.is_custodial();
    let twelve_months = event
        .sentence_length_months
        .is_none_or(|months| months >= 12);
    if offence.terrorism {
        Some(MappaCategory::Terrorism)
    } else if offence.category.is_sexual() {
        Some(MappaCategory::RegisteredSexOffender)
    } else if offence.is_violent() && custodial && twelve_months {
        Some(MappaCategory::ViolentOffender)
    } else if custodial && rng.chance(0.01) {
        Some(MappaCategory::OtherDangerous)
    } else {
        None
    }
}

fn mappa(rng: &mut DemoRng, category: MappaCategory, facts: &CaseFacts) -> Registration {
    let indeterminate = matches!(
        facts.event.sentence_type,
        SentenceType::Life
            | SentenceType::ImprisonmentForPublicProtection
            | SentenceType::ExtendedDeterminate
    );
    // Most MAPPA cases are managed at level 1; category 3 is only used where active
    // multi-agency management is needed.
    let weights = if category == MappaCategory::OtherDangerous {
        [0, 85, 15]
    } else if indeterminate {
        [70, 24, 6]
    } else {
        [90, 8, 2]
    };
    let level = rng.weighted(&[
        (MappaLevel::Ordinary, weights[0]),
        (MappaLevel::ActiveMultiAgency, weights[1]),
        (MappaLevel::SeniorOversight, weights[2]),
    ]);
    let event = facts.event;
    let registered_on = event
        .sentence_date
        .unwrap_or(event.conviction_date)
        .max(facts.known_since)
        .min(add_days(facts.today, -1));
    let next_review_on = match level {
        MappaLevel::Ordinary => next_cycle(registered_on, 365, facts.today),
        MappaLevel::ActiveMultiAgency => {
            last_review_plus(rng, registered_on, LEVEL_2_REVIEW_DAYS, facts.today)
        }
        MappaLevel::SeniorOversight => {
            last_review_plus(rng, registered_on, LEVEL_3_REVIEW_DAYS, facts.today)
        }
    };
    Registration {
        id: rng.id(),
        kind: RegistrationKind::Mappa,
        mappa_category: Some(category),
        mappa_level: Some(level),
        registered_on,
        next_review_on: Some(next_review_on),
        ended_on: None,
        notes: mappa_notes(category, level),
    }
}

/// Raises a level 1 MAPPA registration to level 2, reviewed within the last 16 weeks.
pub(crate) fn raise_to_level_2(
    rng: &mut DemoRng,
    registration: &mut Registration,
    today: NaiveDate,
) {
    let category = registration
        .mappa_category
        .expect("only MAPPA registrations have a level");
    let level = MappaLevel::ActiveMultiAgency;
    registration.mappa_level = Some(level);
    registration.next_review_on = Some(last_review_plus(
        rng,
        registration.registered_on,
        LEVEL_2_REVIEW_DAYS,
        today,
    ));
    registration.notes = mappa_notes(category, level);
}

fn mappa_notes(category: MappaCategory, level: MappaLevel) -> String {
    format!("{}. {}.", category.label(), level.label())
}

/// The next review: one interval after a recent review, itself no earlier than registration.
fn last_review_plus(
    rng: &mut DemoRng,
    registered_on: NaiveDate,
    interval: i64,
    today: NaiveDate,
) -> NaiveDate {
    let last_review = add_days(today, -rng.range(0..interval)).max(registered_on);
    add_days(last_review, interval)
}

/// The first date after `today` on a cycle of `interval` days from `from`.
fn next_cycle(from: NaiveDate, interval: i64, today: NaiveDate) -> NaiveDate {
    let cycles = days_between(from, today) / interval + 1;
    add_days(from, cycles * interval)
}

/// Registered at some point from a year before the conviction to yesterday, never before
/// probation knew the person.
fn registration_date(rng: &mut DemoRng, facts: &CaseFacts) -> NaiveDate {
    let earliest = add_days(facts.event.conviction_date, -365).max(facts.known_since);
    between(rng, earliest, add_days(facts.today, -1))
}

fn between(rng: &mut DemoRng, earliest: NaiveDate, latest: NaiveDate) -> NaiveDate {
    add_days(
        earliest,
        rng.range(0..=days_between(earliest, latest).max(0)),
    )
}

fn notes(kind: RegistrationKind) -> &'static str {
    match kind {
        RegistrationKind::DomesticAbusePerpetrator => {
            "Police call-outs to the home involving a partner. Domestic abuse enquiries made."
        }
        RegistrationKind::DomesticAbuseVictim => {
            "Disclosed abuse by a former partner. Referred to the local domestic abuse service."
        }
        RegistrationKind::ChildProtection => {
            "Children in the household are subject to a child protection plan."
        }
        RegistrationKind::ChildConcerns => {
            "Children's services involved with the family under a child in need plan."
        }
        RegistrationKind::RiskToChildren => {
            "Assessed as posing a risk to children. Contact with children to be approved."
        }
        RegistrationKind::Stalking => {
            "Repeated unwanted contact with the victim. Restraining order in place."
        }
        RegistrationKind::MentalHealthIssues => {
            "Diagnosed with depression and anxiety. Under the care of the GP."
        }
        RegistrationKind::SuicideOrSelfHarm => {
            "History of self-harm when under stress. Check on wellbeing at each contact."
        }
        RegistrationKind::Vulnerability => {
            "Vulnerable to exploitation by others. Learning difficulties noted."
        }
        RegistrationKind::AdultAtRisk => "Adult safeguarding referral made by the local authority.",
        RegistrationKind::StreetGangs => {
            "Police intelligence links to a local gang supplying drugs."
        }
        RegistrationKind::TerrorismActOffender => {
            "Convicted under terrorism legislation. Notification requirements apply."
        }
        RegistrationKind::PublicInterest => "Case has attracted local media interest.",
        RegistrationKind::IntegratedOffenderManagement => {
            "Managed jointly with the police as a prolific acquisitive offender."
        }
        RegistrationKind::Mappa => "MAPPA",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_next_cycle_is_after_today() {
        let next = next_cycle(date(2025, 1, 1), 182, date(2026, 5, 11));
        assert!(next > date(2026, 5, 11) && next <= date(2026, 11, 9));
    }

    #[test]
    fn level_3_reviews_fall_within_8_weeks_of_a_recent_review() {
        let today = date(2026, 5, 11);
        let mut rng = DemoRng::from_seed(1);
        for _ in 0..200 {
            let next = last_review_plus(&mut rng, date(2020, 1, 1), LEVEL_3_REVIEW_DAYS, today);
            assert!(next > today && next <= add_days(today, LEVEL_3_REVIEW_DAYS));
        }
    }
}
