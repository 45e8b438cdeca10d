//! The offences that make a charge a serious further offence.

use crate::coded_enum;

coded_enum! {
    /// The qualifying offences: keepsafe's reading of the list in HMPPS's *Serious Further
    /// Offences Procedures Policy Framework* (its public annex of qualifying offences), grouped
    /// as practitioners name them. It is not the framework's text; a service that reads the
    /// framework differently changes this list.
    pub enum QualifyingOffence ("sfo_offence") {
        Murder => "murder", "Murder",
        AttemptedMurder => "attempted_murder", "Attempted murder",
        ConspiracyToMurder => "conspiracy_to_murder", "Conspiracy, soliciting or incitement to murder",
        Manslaughter => "manslaughter", "Manslaughter",
        CorporateOrOtherHomicide => "other_homicide", "Infanticide or another unlawful killing",
        DeathOfChild => "death_of_child", "Causing or allowing the death of a child or vulnerable adult",
        DeathByDangerousDriving => "death_by_dangerous_driving", "Causing death by dangerous or careless driving",
        Rape => "rape", "Rape or attempted rape",
        AssaultByPenetration => "assault_by_penetration", "Assault by penetration",
        ChildSexualOffence => "child_sexual_offence", "Rape or sexual assault of a child under 13",
        SeriousSexualOffence => "serious_sexual_offence", "Another serious sexual offence",
        GbhWithIntent => "gbh_with_intent", "Wounding or causing grievous bodily harm with intent",
        ArsonEndangeringLife => "arson_endangering_life", "Arson with intent to endanger life, or reckless as to it",
        Kidnapping => "kidnapping", "Kidnapping or false imprisonment",
        ArmedRobbery => "armed_robbery", "Robbery with a firearm or imitation firearm",
        FirearmWithIntent => "firearm_with_intent", "Possessing a firearm with intent to endanger life",
        Terrorism => "terrorism", "A terrorism offence punishable by life imprisonment",
        ChildCruelty => "child_cruelty", "Child cruelty causing serious harm",
        TraffickingOrSlavery => "trafficking", "Human trafficking, slavery or servitude",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CodedValue;

    #[test]
    fn the_list_has_the_offences_the_framework_names_first() {
        for offence in [
            QualifyingOffence::Murder,
            QualifyingOffence::Manslaughter,
            QualifyingOffence::Rape,
            QualifyingOffence::DeathOfChild,
            QualifyingOffence::GbhWithIntent,
            QualifyingOffence::ArsonEndangeringLife,
            QualifyingOffence::Kidnapping,
            QualifyingOffence::ArmedRobbery,
        ] {
            assert_eq!(QualifyingOffence::parse(offence.code()).ok(), Some(offence));
        }
        assert!(QualifyingOffence::parse("shoplifting").is_err());
    }
}
