//! Events: a conviction and what the court did about it. A person can have several; each has its
//! own offence, sentence and case type.

use crate::coded_enum;

coded_enum! {
    /// Where the person is in the justice system, which decides the supervision that applies.
    pub enum CaseType ("case type") {
        Community => "community", "Community",
        Licence => "licence", "Licence",
        Custody => "custody", "Custody",
        PreSentence => "pre_sentence", "Pre-sentence",
    }
}

coded_enum! {
    /// The sentence the court passed.
    pub enum SentenceType ("sentence type") {
        CommunityOrder => "community_order", "Community order",
        SuspendedSentenceOrder => "suspended_sentence_order", "Suspended sentence order",
        DeterminateCustody => "determinate_custody", "Determinate custodial sentence",
        ExtendedDeterminate => "extended_determinate", "Extended determinate sentence",
        Life => "life", "Life sentence",
        ImprisonmentForPublicProtection => "ipp", "Imprisonment for public protection",
        AwaitingSentence => "awaiting_sentence", "Awaiting sentence",
    }
}

impl SentenceType {
    /// The case types a sentence can give rise to: a community sentence is always a community
    /// case; a custodial sentence is a custody case before release and a licence case after.
    pub fn allows_case_type(self, case_type: CaseType) -> bool {
        match self {
            SentenceType::CommunityOrder | SentenceType::SuspendedSentenceOrder => {
                case_type == CaseType::Community
            }
            SentenceType::AwaitingSentence => case_type == CaseType::PreSentence,
            SentenceType::DeterminateCustody
            | SentenceType::ExtendedDeterminate
            | SentenceType::Life
            | SentenceType::ImprisonmentForPublicProtection => {
                matches!(case_type, CaseType::Custody | CaseType::Licence)
            }
        }
    }

    /// Custodial sentences whose follow-up for predictors starts at release, not sentence.
    pub fn is_custodial(self) -> bool {
        matches!(
            self,
            SentenceType::DeterminateCustody
                | SentenceType::ExtendedDeterminate
                | SentenceType::Life
                | SentenceType::ImprisonmentForPublicProtection
        )
    }
}

coded_enum! {
    /// The offence categories of OGRS3 (reference §11). Every offence is recorded with one, so the
    /// predictor can be computed without re-keying.
    pub enum OffenceCategory ("offence category") {
        Violence => "violence", "Violence against the person",
        Robbery => "robbery", "Robbery",
        PublicOrder => "public_order", "Public order or riot",
        SexualNotChildren => "sexual_not_children", "Sexual offence (not against children)",
        SexualChildren => "sexual_children", "Sexual offence against children",
        Soliciting => "soliciting", "Soliciting for prostitution",
        BurglaryDomestic => "burglary_domestic", "Domestic burglary",
        BurglaryOther => "burglary_other", "Other burglary",
        TheftNonMotor => "theft_non_motor", "Theft (non-motor)",
        Handling => "handling", "Handling stolen goods",
        FraudForgery => "fraud_forgery", "Fraud and forgery",
        AbscondingBail => "absconding_bail", "Absconding or bail offences",
        VehicleTheft => "vehicle_theft", "Taking or theft of a vehicle",
        TheftFromVehicle => "theft_from_vehicle", "Theft from a vehicle",
        OtherMotoring => "other_motoring", "Other motoring offence",
        DrinkDriving => "drink_driving", "Drink driving",
        CriminalDamage => "criminal_damage", "Criminal damage",
        DrugImportExportProduction => "drug_import_export_production", "Drug import, export or production",
        DrugPossessionSupply => "drug_possession_supply", "Drug possession or supply",
        Other => "other", "Other offence",
    }
}

impl OffenceCategory {
    /// Sexual offences, which affect MAPPA eligibility and tiering.
    pub fn is_sexual(self) -> bool {
        matches!(
            self,
            OffenceCategory::SexualNotChildren | OffenceCategory::SexualChildren
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CodedValue;

    #[test]
    fn all_twenty_ogrs3_offence_categories_are_known() {
        assert_eq!(OffenceCategory::ALL.len(), 20);
        assert_eq!(
            OffenceCategory::parse("drug_import_export_production"),
            Ok(OffenceCategory::DrugImportExportProduction)
        );
    }

    #[test]
    fn a_community_order_cannot_be_a_licence_case() {
        assert!(SentenceType::CommunityOrder.allows_case_type(CaseType::Community));
        assert!(!SentenceType::CommunityOrder.allows_case_type(CaseType::Licence));
        assert!(SentenceType::DeterminateCustody.allows_case_type(CaseType::Licence));
        assert!(SentenceType::DeterminateCustody.allows_case_type(CaseType::Custody));
        assert!(!SentenceType::AwaitingSentence.allows_case_type(CaseType::Community));
    }
}
