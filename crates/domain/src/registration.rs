//! Registrations and flags: the alerts on a case that change how it must be managed.

use crate::coded_enum;

coded_enum! {
    /// A registration (flag) on a person's record. The list follows the registers the tiering
    /// rules and safeguarding checks read (reference §7 and §10).
    pub enum RegistrationKind ("registration") {
        DomesticAbusePerpetrator => "domestic_abuse_perpetrator", "Domestic abuse perpetrator",
        DomesticAbuseVictim => "domestic_abuse_victim", "Domestic abuse victim",
        ChildProtection => "child_protection", "Child protection concern",
        ChildConcerns => "child_concerns", "Child concerns",
        RiskToChildren => "risk_to_children", "Risk to children",
        Mappa => "mappa", "MAPPA",
        Stalking => "stalking", "Stalking",
        MentalHealthIssues => "mental_health_issues", "Mental health issues",
        SuicideOrSelfHarm => "suicide_self_harm", "Attempted suicide or self-harm",
        Vulnerability => "vulnerability", "Vulnerability",
        AdultAtRisk => "adult_at_risk", "Adult at risk",
        StreetGangs => "street_gangs", "Street gangs",
        TerrorismActOffender => "terrorism_act_offender", "Terrorism Act offender",
        PublicInterest => "public_interest", "Public interest case",
        IntegratedOffenderManagement => "iom", "Integrated offender management",
    }
}

impl RegistrationKind {
    /// Registrations that mean children may be at risk, so children's-services checks are needed.
    pub fn concerns_children(self) -> bool {
        matches!(
            self,
            RegistrationKind::ChildProtection
                | RegistrationKind::ChildConcerns
                | RegistrationKind::RiskToChildren
        )
    }

    /// Only MAPPA registrations carry a category and level.
    pub fn has_mappa_detail(self) -> bool {
        self == RegistrationKind::Mappa
    }
}

coded_enum! {
    /// MAPPA categories (reference §7).
    pub enum MappaCategory ("MAPPA category") {
        RegisteredSexOffender => "1", "Category 1: registered sexual offender",
        ViolentOffender => "2", "Category 2: violent offender",
        OtherDangerous => "3", "Category 3: other dangerous offender",
        Terrorism => "4", "Category 4: terrorism or terrorism risk",
    }
}

coded_enum! {
    /// MAPPA management levels (reference §7).
    pub enum MappaLevel ("MAPPA level") {
        Ordinary => "1", "Level 1: ordinary agency management",
        ActiveMultiAgency => "2", "Level 2: active multi-agency management",
        SeniorOversight => "3", "Level 3: active multi-agency management with senior oversight",
    }
}
