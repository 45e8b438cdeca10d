//! The statutory victim contact scheme in the demo region (reference §6): every case eligible for
//! the scheme (a violent or sexual offence with 12 months or more in custody) has a referral —
//! most made within the 20 working days, a few late, some declined by the victim, the most recent
//! not made yet — and the referred cases have one or two victims known to victim liaison, most
//! opted in, with a contact at sentence, some with their views, and for those whose release is
//! ahead the licence conditions they ask for. Names come from the demo's names pools; the keeping
//! officer is the region's victim liaison officer. The test accounts' cases have none.
//!
//! Drawn from a stream of its own (the seed, offset), so adding it left every earlier draw as it
//! was.

use crate::calendar::add_days;
use crate::model::{DemoRegion, Person};
use crate::random::DemoRng;
use chrono::NaiveDate;
use keepsafe_domain::calendar::add_working_days;
use keepsafe_domain::person::Sex;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::victims::{
    assess_eligibility, ConditionKind, ConditionStatus, EligibilityInputs, VictimContactRules,
    VictimRole, VictimStage,
};
use uuid::Uuid;

/// The stream offset of this module's draws.
const STREAM: u64 = 0x5e47_e4ce_9a1a_0002;
/// Referrals the victim declined.
const DECLINED: f64 = 0.12;
/// Referrals made after the 20 working days.
const LATE: f64 = 0.15;
/// Victims who opted out when asked.
const OPTED_OUT: f64 = 0.2;

/// The scheme's records in the demo region.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemoVictims {
    pub referrals: Vec<DemoReferral>,
    pub victims: Vec<DemoVictim>,
}

/// A case's referral: made, declined, or (neither) not made yet.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoReferral {
    pub person_id: Uuid,
    pub made_on: Option<NaiveDate>,
    pub declined_on: Option<NaiveDate>,
    pub declined_reason: Option<String>,
    pub by: Uuid,
}

/// A victim with their contacts, views and requested conditions.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoVictim {
    pub id: Uuid,
    pub person_id: Uuid,
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub phone: String,
    pub role: VictimRole,
    pub opted_in: Option<bool>,
    pub decided_on: Option<NaiveDate>,
    pub liaison_officer: Uuid,
    /// (id, stage, reached on, due on, contacted on, notes)
    pub contacts: Vec<(
        Uuid,
        VictimStage,
        NaiveDate,
        NaiveDate,
        Option<NaiveDate>,
        String,
    )>,
    /// (id, given on, words)
    pub views: Vec<(Uuid, NaiveDate, String)>,
    /// (id, kind, details, reason, status)
    pub conditions: Vec<(Uuid, ConditionKind, String, String, ConditionStatus)>,
}

/// The event the scheme follows, when the case is eligible: its sentence date and release date.
fn eligible(person: &Person) -> Option<(NaiveDate, Option<NaiveDate>)> {
    person
        .events
        .iter()
        .filter(|e| e.active)
        .filter(|e| {
            assess_eligibility(&EligibilityInputs {
                offence: e.offence_category,
                sentence: e.sentence_type,
                length_months: e.sentence_length_months.and_then(|m| u32::try_from(m).ok()),
                hospital_order: false,
            })
            .eligible
        })
        .max_by_key(|e| e.number)
        .and_then(|e| e.sentence_date.map(|day| (day, e.release_date)))
}

/// Adds the scheme's records for the region's eligible cases, as they stand on `today`.
pub(crate) fn add(seed: u64, region: &mut DemoRegion, today: NaiveDate) {
    let Some(vlo) = region
        .staff
        .iter()
        .find(|s| s.grade == Grade::VictimLiaisonOfficer)
        .map(|s| s.id)
    else {
        return;
    };
    // The test accounts' cases are left without victims, so tests add exactly the ones they
    // need (as with the recorded predictors).
    let untouched: Vec<Uuid> = region
        .staff
        .iter()
        .filter(|member| matches!(member.username.as_deref(), Some("po.demo" | "po.other")))
        .map(|member| member.id)
        .collect();
    let mut rng = DemoRng::from_seed(seed ^ STREAM);
    let rules = VictimContactRules::default();
    let mut scheme = DemoVictims::default();
    for person in &region.people {
        let held_by_test_account = crate::risk::supervised(person)
            .is_some_and(|allocation| untouched.contains(&allocation.staff_id));
        let Some((sentenced_on, release_on)) = eligible(person).filter(|_| !held_by_test_account)
        else {
            continue;
        };
        let due = rules.referral_due(sentenced_on);
        if due > today && rng.chance(0.5) {
            continue; // Recently sentenced: the referral is still to make.
        }
        if rng.chance(DECLINED) {
            let on = add_working_days(sentenced_on, rng.range(2..=18)).min(today);
            scheme.referrals.push(DemoReferral {
                person_id: person.id,
                made_on: None,
                declined_on: Some(on),
                declined_reason: Some(
                    "Does not want to hear about him again and asked not to be contacted.".into(),
                ),
                by: vlo,
            });
            continue;
        }
        let made_on = if rng.chance(LATE) {
            add_working_days(due, rng.range(1..=15))
        } else {
            add_working_days(sentenced_on, rng.range(3..=19))
        }
        .min(today);
        scheme.referrals.push(DemoReferral {
            person_id: person.id,
            made_on: Some(made_on),
            declined_on: None,
            declined_reason: None,
            by: vlo,
        });
        let count = if rng.chance(0.25) { 2 } else { 1 };
        for index in 0..count {
            scheme.victims.push(victim(
                &mut rng,
                person,
                index,
                made_on,
                release_on.filter(|day| *day > today),
                vlo,
                today,
                &rules,
            ));
        }
    }
    region.victims = scheme;
}

#[allow(clippy::too_many_arguments)]
fn victim(
    rng: &mut DemoRng,
    person: &Person,
    index: usize,
    referred_on: NaiveDate,
    release_ahead: Option<NaiveDate>,
    vlo: Uuid,
    today: NaiveDate,
    rules: &VictimContactRules,
) -> DemoVictim {
    let sex = if rng.chance(0.6) {
        Sex::Female
    } else {
        Sex::Male
    };
    let (first, last) = crate::names::full_name(rng, sex);
    let role = if index == 1 {
        VictimRole::ParentOrCarer
    } else {
        rng.weighted(&[
            (VictimRole::Victim, 85),
            (VictimRole::ParentOrCarer, 10),
            (VictimRole::NextOfKin, 5),
        ])
    };
    let current = crate::addresses::current(&person.addresses);
    let outward = current
        .postcode
        .split(' ')
        .next()
        .unwrap_or("MC1")
        .to_owned();
    let letters = b"ABDEFGHJLNPQRSTUWXYZ";
    let postcode = format!(
        "{outward} {}{}{}",
        rng.range(1..=9),
        char::from(rng.choose(letters)),
        char::from(rng.choose(letters))
    );
    let asked_on = add_working_days(referred_on, rng.range(2..=8)).min(today);
    let opted_in = !rng.chance(OPTED_OUT);
    let mut contacts = Vec::new();
    let mut views = Vec::new();
    let mut conditions = Vec::new();
    if opted_in {
        contacts.push((
            rng.id(),
            VictimStage::Sentence,
            asked_on,
            asked_on,
            Some(asked_on),
            "Explained the scheme, the sentence and when release may be considered.".to_owned(),
        ));
        if rng.chance(0.5) {
            views.push((
                rng.id(),
                asked_on,
                "Still anxious about meeting him in town; wants to know before any release."
                    .to_owned(),
            ));
        }
        if let Some(release_on) = release_ahead {
            let due = rules.representations_due(release_on);
            if due <= today && rng.chance(0.6) {
                let on = add_days(due, rng.range(0..=10)).min(today);
                contacts.push((
                    rng.id(),
                    VictimStage::ReleaseConsideration,
                    on,
                    due,
                    Some(on),
                    "Asked for representations about licence conditions before the release."
                        .to_owned(),
                ));
            }
            conditions.push((
                rng.id(),
                ConditionKind::NoContact,
                String::new(),
                "Asked for no contact of any kind, including through others.".to_owned(),
                ConditionStatus::Requested,
            ));
            if rng.chance(0.4) {
                conditions.push((
                    rng.id(),
                    ConditionKind::ExclusionZone,
                    format!(
                        "The {} area of {}, bounded by the main roads around it",
                        crate::places::street_name(rng),
                        current.town
                    ),
                    "Lives and works in the area.".to_owned(),
                    ConditionStatus::Requested,
                ));
            }
        }
    }
    DemoVictim {
        id: rng.id(),
        person_id: person.id,
        name: format!("{first} {last}"),
        address: format!("{}\n{}", crate::places::street_address(rng), current.town),
        postcode,
        phone: format!("07700 900{:03}", rng.range(0..=999)),
        role,
        opted_in: Some(opted_in),
        decided_on: Some(asked_on),
        liaison_officer: vlo,
        contacts,
        views,
        conditions,
    }
}
