//! Who lives with the person: partners, children, parents and others. Partners and children at
//! the address are who domestic-abuse and safeguarding checks protect, so their dates of birth
//! fit the relationship (a child is born when the parent is 16 to 45).

use crate::calendar::{add_days, add_months, days_between, sub_months};
use crate::model::HouseholdMember;
use crate::names::{family_pool, NamePool};
use crate::random::DemoRng;
use chrono::NaiveDate;
use keepsafe_domain::age::age_on;
use keepsafe_domain::household::Relationship;
use keepsafe_domain::person::Sex;

/// The person whose household is being made up.
pub(crate) struct Householder<'a> {
    pub pool: &'static NamePool,
    pub sex: Sex,
    pub surname: &'a str,
    pub date_of_birth: NaiveDate,
}

/// Someone the person lives or lived with, before they are given an id and name.
struct Resident {
    relationship: Relationship,
    sex: Sex,
    surname: String,
    date_of_birth: NaiveDate,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
}

/// The current household and, for some, a partner who has moved out.
pub(crate) fn for_person(
    rng: &mut DemoRng,
    who: &Householder,
    today: NaiveDate,
) -> Vec<HouseholdMember> {
    let age = age_on(who.date_of_birth, today).unwrap_or(18);
    let mut residents = Vec::new();
    let partner = rng
        .chance(partner_chance(age))
        .then(|| live_in_partner(rng, who, today));
    let children_chance = match (&partner, who.sex) {
        (Some(_), _) => 0.55,
        (None, Sex::Female) => 0.45,
        (None, Sex::Male) => 0.12,
    };
    if rng.chance(children_chance) {
        let count = rng.weighted(&[(1, 50), (2, 35), (3, 15)]);
        for _ in 0..count {
            residents.extend(child(rng, who, partner.as_ref(), today));
        }
    }
    if partner.is_none() && age < 35 && rng.chance(0.45) {
        residents.extend(parents(rng, who, today));
    } else if rng.chance(0.06) {
        residents.push(other_adult(rng, who, today));
    }
    if let Some(partner) = partner {
        residents.insert(0, partner);
    }
    if rng.chance(0.08) {
        residents.extend(former_partner(rng, who, today));
    }
    residents
        .into_iter()
        .map(|resident| named(rng, who, resident))
        .collect()
}

/// How likely someone of this age is to live with a partner.
fn partner_chance(age: u32) -> f64 {
    match age {
        0..=24 => 0.3,
        25..=59 => 0.5,
        _ => 0.4,
    }
}

fn live_in_partner(rng: &mut DemoRng, who: &Householder, today: NaiveDate) -> Resident {
    let sex = if rng.chance(0.05) {
        who.sex
    } else {
        opposite(who.sex)
    };
    let latest_birth = sub_months(today, 18 * 12);
    let date_of_birth =
        add_days(who.date_of_birth, rng.range(-8 * 365..=8 * 365)).min(latest_birth);
    let both_adult = add_months(who.date_of_birth.max(date_of_birth), 18 * 12);
    let start_date = random_between(rng, both_adult.max(add_days(today, -10 * 365)), today);
    let surname = if rng.chance(0.4) {
        who.surname.to_owned()
    } else {
        family_pool(rng).surname(rng)
    };
    Resident {
        relationship: Relationship::Partner,
        sex,
        surname,
        date_of_birth,
        start_date,
        end_date: None,
    }
}

/// A child of the person or of their partner, born when that parent was 16 to 45; mostly under 18.
fn child(
    rng: &mut DemoRng,
    who: &Householder,
    partner: Option<&Resident>,
    today: NaiveDate,
) -> Option<Resident> {
    let partners_child = partner.filter(|_| rng.chance(0.35));
    let parent_born = partners_child.map_or(who.date_of_birth, |p| p.date_of_birth);
    let oldest_age = if rng.chance(0.85) { 17 } else { 24 };
    let earliest = add_months(parent_born, 16 * 12).max(sub_months(today, oldest_age * 12 + 11));
    let latest = add_months(parent_born, 45 * 12).min(add_days(today, -30));
    if earliest > latest {
        return None;
    }
    let date_of_birth = random_between(rng, earliest, latest);
    let (relationship, surname, start_date) = match partners_child {
        Some(partner) => {
            let relationship = if rng.chance(0.5) {
                Relationship::Stepchild
            } else {
                Relationship::PartnersChild
            };
            (
                relationship,
                partner.surname.clone(),
                partner.start_date.max(date_of_birth),
            )
        }
        None => {
            let surname = match partner {
                Some(partner) if rng.chance(0.4) => partner.surname.clone(),
                _ => who.surname.to_owned(),
            };
            (Relationship::Child, surname, date_of_birth)
        }
    };
    Some(Resident {
        relationship,
        sex: random_sex(rng),
        surname,
        date_of_birth,
        start_date,
        end_date: None,
    })
}

/// One or both parents, 18 to 40 years older than the person, in the family home.
fn parents(rng: &mut DemoRng, who: &Householder, today: NaiveDate) -> Vec<Resident> {
    let both = rng.chance(0.5);
    let mothers_birth = sub_months(who.date_of_birth, rng.range(18 * 12..=40 * 12));
    let moved_back = rng.chance(0.3);
    let start_date = if moved_back {
        add_days(today, -rng.range(30..=1500)).max(who.date_of_birth)
    } else {
        who.date_of_birth
    };
    let mut parents = vec![Resident {
        relationship: Relationship::Parent,
        sex: Sex::Female,
        surname: if both || rng.chance(0.5) {
            who.surname.to_owned()
        } else {
            family_pool(rng).surname(rng)
        },
        date_of_birth: mothers_birth,
        start_date,
        end_date: None,
    }];
    if both {
        parents.push(Resident {
            relationship: Relationship::Parent,
            sex: Sex::Male,
            surname: who.surname.to_owned(),
            date_of_birth: add_days(mothers_birth, -rng.range(0..=6 * 365)),
            start_date,
            end_date: None,
        });
    }
    parents
}

/// A brother or sister, friend or lodger sharing the house.
fn other_adult(rng: &mut DemoRng, who: &Householder, today: NaiveDate) -> Resident {
    let relationship = rng.weighted(&[
        (Relationship::Sibling, 4),
        (Relationship::Friend, 3),
        (Relationship::Lodger, 2),
        (Relationship::OtherRelative, 1),
    ]);
    let related = matches!(
        relationship,
        Relationship::Sibling | Relationship::OtherRelative
    );
    let latest_birth = sub_months(today, 18 * 12);
    let date_of_birth =
        add_days(who.date_of_birth, rng.range(-10 * 365..=10 * 365)).min(latest_birth);
    Resident {
        relationship,
        sex: random_sex(rng),
        surname: if related {
            who.surname.to_owned()
        } else {
            family_pool(rng).surname(rng)
        },
        date_of_birth,
        start_date: add_days(today, -rng.range(30..=2000)),
        end_date: None,
    }
}

/// A partner who has moved out: domestic-abuse checks still need to know about them.
fn former_partner(rng: &mut DemoRng, who: &Householder, today: NaiveDate) -> Option<Resident> {
    let moved_out = add_days(today, -rng.range(30..=1500));
    let adult = add_months(who.date_of_birth, 18 * 12);
    let moved_in = add_days(moved_out, -rng.range(180..=3000));
    (moved_in > adult).then(|| Resident {
        relationship: Relationship::ExPartner,
        sex: opposite(who.sex),
        surname: family_pool(rng).surname(rng),
        date_of_birth: add_days(who.date_of_birth, rng.range(-6 * 365..=6 * 365))
            .min(sub_months(moved_in, 18 * 12)),
        start_date: moved_in,
        end_date: Some(moved_out),
    })
}

fn named(rng: &mut DemoRng, who: &Householder, resident: Resident) -> HouseholdMember {
    let first_name = who.pool.first_name(rng, resident.sex);
    // Lodgers' and friends' dates of birth are not always known.
    let unknown_birth = matches!(
        resident.relationship,
        Relationship::Lodger | Relationship::Friend
    ) && rng.chance(0.3);
    HouseholdMember {
        id: rng.id(),
        first_name,
        last_name: resident.surname,
        relationship: resident.relationship,
        date_of_birth: (!unknown_birth).then_some(resident.date_of_birth),
        start_date: resident.start_date,
        end_date: resident.end_date,
    }
}

fn random_between(rng: &mut DemoRng, earliest: NaiveDate, latest: NaiveDate) -> NaiveDate {
    let span = days_between(earliest, latest).max(0);
    add_days(earliest, rng.range(0..=span))
}

fn random_sex(rng: &mut DemoRng) -> Sex {
    if rng.chance(0.5) {
        Sex::Male
    } else {
        Sex::Female
    }
}

fn opposite(sex: Sex) -> Sex {
    match sex {
        Sex::Male => Sex::Female,
        Sex::Female => Sex::Male,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn children_are_born_when_a_parent_is_between_16_and_45() {
        let today = date(2026, 5, 11);
        let mut rng = DemoRng::from_seed(8);
        let mut children = 0;
        for _ in 0..500 {
            let who = Householder {
                pool: family_pool(&mut rng),
                sex: Sex::Male,
                surname: "Walker",
                date_of_birth: date(1990, 3, 4),
            };
            let household = for_person(&mut rng, &who, today);
            let partner = household
                .iter()
                .find(|m| m.relationship == Relationship::Partner);
            for member in &household {
                let born = member.date_of_birth;
                match member.relationship {
                    Relationship::Child => {
                        children += 1;
                        let age = age_on(who.date_of_birth, born.unwrap()).unwrap();
                        assert!((16..=45).contains(&age), "{member:?}");
                    }
                    Relationship::Stepchild | Relationship::PartnersChild => {
                        let partner_born = partner.unwrap().date_of_birth.unwrap();
                        let age = age_on(partner_born, born.unwrap()).unwrap();
                        assert!((16..=45).contains(&age), "{member:?}");
                    }
                    Relationship::Parent => {
                        assert!(born.unwrap() < sub_months(who.date_of_birth, 17 * 12));
                    }
                    _ => {}
                }
                assert!(member.start_date <= today);
            }
        }
        assert!(children > 50);
    }
}
