//! The offences people in the demo were convicted of, each with its OGRS3 category and how
//! courts usually deal with it, so a sentence never looks out of place for its offence.

use crate::random::DemoRng;
use keepsafe_domain::event::OffenceCategory::{self, *};

/// How serious an offence is, which decides the sentences it can attract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gravity {
    Ordinary,
    /// Specified violent or sexual offences: extended sentences and (before 2012) IPP possible.
    Serious,
    /// Murder: a mandatory life sentence.
    Grave,
}

/// An offence as a court would describe it, with its category and sentencing profile.
#[derive(Debug)]
pub(crate) struct Offence {
    pub description: &'static str,
    pub category: OffenceCategory,
    /// Relative frequency among community sentences.
    community_weight: u32,
    /// Relative frequency among custodial sentences.
    custodial_weight: u32,
    /// The range of custodial terms, in months, courts typically give for it.
    pub custody_months: (u32, u32),
    pub gravity: Gravity,
    /// Usually committed against a partner or family member.
    pub domestic: bool,
    pub terrorism: bool,
}

const fn offence(
    description: &'static str,
    category: OffenceCategory,
    community_weight: u32,
    custodial_weight: u32,
    custody_months: (u32, u32),
) -> Offence {
    Offence {
        description,
        category,
        community_weight,
        custodial_weight,
        custody_months,
        gravity: Gravity::Ordinary,
        domestic: false,
        terrorism: false,
    }
}

impl Offence {
    const fn serious(self) -> Self {
        Self {
            gravity: Gravity::Serious,
            ..self
        }
    }

    const fn grave(self) -> Self {
        Self {
            gravity: Gravity::Grave,
            ..self
        }
    }

    const fn domestic(self) -> Self {
        Self {
            domestic: true,
            ..self
        }
    }

    const fn terrorism(self) -> Self {
        Self {
            terrorism: true,
            ..self
        }
    }

    /// Violent and sexual offences that, with long custody, make a case MAPPA-eligible and
    /// high-risk-looking.
    pub(crate) fn is_violent(&self) -> bool {
        matches!(self.category, Violence | Robbery)
    }

    /// Courts more often send people to prison for it than not.
    pub(crate) fn usually_custodial(&self) -> bool {
        self.custodial_weight > self.community_weight
    }
}

#[rustfmt::skip]
static OFFENCES: [Offence; 55] = [
    offence("Common assault", Violence, 24, 1, (3, 6)),
    offence("Common assault (domestic)", Violence, 14, 2, (3, 6)).domestic(),
    offence("Assault by beating of an emergency worker", Violence, 8, 2, (3, 12)),
    offence("Assault occasioning actual bodily harm", Violence, 22, 13, (6, 30)),
    offence("Assault occasioning actual bodily harm (domestic)", Violence, 10, 8, (6, 30)).domestic(),
    offence("Unlawful wounding (section 20)", Violence, 5, 9, (18, 48)).serious(),
    offence("Wounding with intent to cause grievous bodily harm (section 18)", Violence, 0, 7, (60, 180)).serious(),
    offence("Harassment", Violence, 6, 2, (6, 18)).domestic(),
    offence("Stalking involving fear of violence", Violence, 2, 4, (12, 48)).domestic(),
    offence("Controlling or coercive behaviour in an intimate or family relationship", Violence, 6, 7, (12, 36)).domestic(),
    offence("Threats to kill", Violence, 2, 3, (12, 48)).serious(),
    offence("Manslaughter", Violence, 0, 2, (60, 180)).serious(),
    offence("Murder", Violence, 0, 2, (180, 300)).grave(),
    offence("Robbery", Robbery, 3, 13, (24, 96)).serious(),
    offence("Assault with intent to rob", Robbery, 0, 3, (24, 72)).serious(),
    offence("Using threatening words or behaviour (section 4 Public Order Act 1986)", PublicOrder, 12, 1, (3, 6)),
    offence("Affray", PublicOrder, 8, 5, (6, 36)),
    offence("Violent disorder", PublicOrder, 2, 4, (12, 48)),
    offence("Racially aggravated public order offence", PublicOrder, 4, 1, (6, 24)),
    offence("Sexual assault", SexualNotChildren, 3, 4, (12, 60)).serious(),
    offence("Rape", SexualNotChildren, 0, 5, (72, 180)).serious(),
    offence("Exposure", SexualNotChildren, 3, 1, (3, 12)),
    offence("Voyeurism", SexualNotChildren, 2, 1, (6, 18)),
    offence("Making indecent photographs of children", SexualChildren, 6, 3, (6, 36)),
    offence("Sexual activity with a child", SexualChildren, 1, 3, (24, 96)).serious(),
    offence("Sexual assault of a child under 13", SexualChildren, 0, 3, (24, 120)).serious(),
    offence("Soliciting for the purpose of obtaining sexual services", Soliciting, 1, 0, (3, 6)),
    offence("Burglary (dwelling)", BurglaryDomestic, 8, 16, (18, 48)),
    offence("Aggravated burglary", BurglaryDomestic, 0, 3, (60, 144)).serious(),
    offence("Burglary (non-dwelling)", BurglaryOther, 8, 7, (6, 24)),
    offence("Theft from a shop", TheftNonMotor, 25, 14, (3, 9)),
    offence("Theft from the person", TheftNonMotor, 4, 3, (6, 24)),
    offence("Theft by an employee", TheftNonMotor, 3, 1, (6, 18)),
    offence("Handling stolen goods", Handling, 5, 2, (6, 24)),
    offence("Fraud by false representation", FraudForgery, 8, 4, (6, 48)),
    offence("Dishonest representation to obtain benefits", FraudForgery, 3, 1, (6, 24)),
    offence("Possession of an identity document with improper intention", FraudForgery, 1, 1, (6, 24)),
    offence("Failing to surrender to custody", AbscondingBail, 3, 2, (3, 6)),
    offence("Taking a motor vehicle without consent", VehicleTheft, 4, 1, (3, 12)),
    offence("Aggravated vehicle taking", VehicleTheft, 3, 3, (6, 24)),
    offence("Theft from a motor vehicle", TheftFromVehicle, 4, 2, (3, 12)),
    offence("Driving while disqualified", OtherMotoring, 8, 5, (3, 6)),
    offence("Dangerous driving", OtherMotoring, 4, 4, (6, 24)),
    offence("Causing death by dangerous driving", OtherMotoring, 0, 2, (48, 144)),
    offence("Driving with excess alcohol", DrinkDriving, 12, 1, (3, 6)),
    offence("Failing to provide a specimen for analysis", DrinkDriving, 3, 0, (3, 6)),
    offence("Criminal damage", CriminalDamage, 10, 1, (3, 12)),
    offence("Arson", CriminalDamage, 2, 3, (12, 48)),
    offence("Production of a controlled drug (cannabis cultivation)", DrugImportExportProduction, 5, 4, (12, 48)),
    offence("Being concerned in the importation of a class A drug", DrugImportExportProduction, 0, 2, (60, 180)),
    offence("Possession of a class A drug", DrugPossessionSupply, 8, 3, (3, 6)),
    offence("Possession with intent to supply class A", DrugPossessionSupply, 3, 18, (24, 96)),
    offence("Possession with intent to supply class B", DrugPossessionSupply, 5, 3, (6, 24)),
    offence("Possession of a bladed article in a public place", Other, 10, 6, (6, 24)),
    offence("Breach of a restraining order", Other, 6, 5, (3, 18)).domestic(),
];

/// Only a handful of the region's custodial cases; kept apart so its weight can be tiny.
static TERRORISM: Offence = offence(
    "Collection of information useful for an act of terrorism",
    Other,
    0,
    1,
    (36, 120),
)
.serious()
.terrorism();

/// The offence behind a community or suspended sentence order.
pub(crate) fn for_community_sentence(rng: &mut DemoRng) -> &'static Offence {
    pick(rng, |offence| offence.community_weight)
}

/// The offence behind a prison sentence; about one in a thousand is a terrorism offence.
pub(crate) fn for_custodial_sentence(rng: &mut DemoRng) -> &'static Offence {
    if rng.chance(0.001) {
        &TERRORISM
    } else {
        pick(rng, |offence| offence.custodial_weight)
    }
}

/// The offence someone has been convicted of and is awaiting sentence for: any offence.
pub(crate) fn for_court(rng: &mut DemoRng) -> &'static Offence {
    pick(rng, |offence| {
        offence.community_weight + offence.custodial_weight
    })
}

fn pick(rng: &mut DemoRng, weight: impl Fn(&Offence) -> u32) -> &'static Offence {
    let weights: Vec<(usize, u32)> = OFFENCES
        .iter()
        .enumerate()
        .map(|(index, offence)| (index, weight(offence)))
        .collect();
    &OFFENCES[rng.weighted(&weights)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepsafe_domain::CodedValue;

    fn category_of(description: &str) -> OffenceCategory {
        OFFENCES
            .iter()
            .find(|offence| offence.description == description)
            .unwrap()
            .category
    }

    #[test]
    fn offences_are_recorded_in_the_ogrs3_category_a_probation_officer_would_choose() {
        assert_eq!(
            category_of("Assault occasioning actual bodily harm"),
            Violence
        );
        assert_eq!(category_of("Burglary (dwelling)"), BurglaryDomestic);
        assert_eq!(
            category_of("Possession with intent to supply class A"),
            DrugPossessionSupply
        );
        assert_eq!(category_of("Driving with excess alcohol"), DrinkDriving);
        assert_eq!(
            category_of("Making indecent photographs of children"),
            SexualChildren
        );
    }

    #[test]
    fn every_ogrs3_category_has_an_offence() {
        for category in OffenceCategory::ALL {
            assert!(
                OFFENCES.iter().any(|offence| offence.category == *category),
                "{category:?}"
            );
        }
    }

    #[test]
    fn custodial_terms_are_long_enough_to_serve_part_of_in_prison() {
        for offence in &OFFENCES {
            let (shortest, longest) = offence.custody_months;
            assert!(
                shortest >= 3 && shortest <= longest,
                "{}",
                offence.description
            );
        }
    }

    #[test]
    fn murder_never_gets_a_community_sentence() {
        for offence in OFFENCES.iter().filter(|o| o.gravity == Gravity::Grave) {
            assert_eq!(offence.community_weight, 0, "{}", offence.description);
        }
    }
}
