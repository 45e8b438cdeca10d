//! A licence's conditions: the standard conditions every licence has, in words; additional
//! conditions chosen from the service's catalogue (a curfew with its hours, an exclusion zone with
//! its area described, no contact with a named person or group, residence at an address, others);
//! bespoke conditions written for the case, with the reason they are needed; and conditions a
//! victim asked for (reference §6), flagged with the victim liaison officer who passed the request
//! on. The victim's identity is never part of a condition: an exclusion zone describes an area,
//! not whose home is in it.

use super::rules::LicenceRules;
use crate::coded_enum;
use chrono::NaiveTime;
use uuid::Uuid;

/// The standard licence conditions (Criminal Justice Act 2003, section 250; the licence conditions
/// policy framework), in the words the licence uses.
pub const STANDARD_CONDITIONS: [&str; 9] = [
    "Be of good behaviour and not behave in a way which undermines the purpose of the licence period.",
    "Not commit any offence.",
    "Keep in touch with the supervising officer in accordance with instructions given by the supervising officer.",
    "Receive visits from the supervising officer in accordance with instructions given by the supervising officer.",
    "Reside permanently at an address approved by the supervising officer and obtain the prior permission of the supervising officer for any stay of one or more nights at a different address.",
    "Not undertake work, or a particular type of work, unless it is approved by the supervising officer and notify the supervising officer in advance of any proposal to undertake work or a particular type of work.",
    "Not travel outside the United Kingdom, the Channel Islands or the Isle of Man except with the prior permission of the supervising officer or for the purposes of immigration deportation or removal.",
    "Tell the supervising officer if you use a name which is different to the name or names which appear on your licence.",
    "Tell the supervising officer if you change or add any contact telephone number or email address.",
];

coded_enum! {
    /// What an additional condition is about, which decides the details it needs.
    pub enum ConditionKind ("licence condition kind") {
        Curfew => "curfew", "Curfew",
        ExclusionZone => "exclusion_zone", "Exclusion zone",
        NoContact => "no_contact", "No contact",
        Residence => "residence", "Residence",
        Other => "other", "Other condition",
        Bespoke => "bespoke", "Bespoke condition",
    }
}

impl ConditionKind {
    /// Whether approving a licence with this condition needs the address approved first: a curfew
    /// or a residence condition ties the person to a home, and the people living there.
    pub fn needs_suitable_address(self) -> bool {
        matches!(self, ConditionKind::Curfew | ConditionKind::Residence)
    }
}

/// The details a condition of each kind holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConditionDetails {
    Curfew { from: NaiveTime, to: NaiveTime },
    ExclusionZone { area: String },
    NoContact { who: String },
    Residence { address: String },
    Other { details: String },
    Bespoke { reason: String },
}

impl ConditionDetails {
    pub fn kind(&self) -> ConditionKind {
        match self {
            ConditionDetails::Curfew { .. } => ConditionKind::Curfew,
            ConditionDetails::ExclusionZone { .. } => ConditionKind::ExclusionZone,
            ConditionDetails::NoContact { .. } => ConditionKind::NoContact,
            ConditionDetails::Residence { .. } => ConditionKind::Residence,
            ConditionDetails::Other { .. } => ConditionKind::Other,
            ConditionDetails::Bespoke { .. } => ConditionKind::Bespoke,
        }
    }

    /// The details in words, as the licence prints them after the condition's wording.
    pub fn describe(&self) -> String {
        match self {
            ConditionDetails::Curfew { from, to } => format!(
                "Between {} and {} every day.",
                from.format("%H:%M"),
                to.format("%H:%M")
            ),
            ConditionDetails::ExclusionZone { area } => format!("The area: {area}"),
            ConditionDetails::NoContact { who } => format!("Not to contact: {who}"),
            ConditionDetails::Residence { address } => format!("The address: {address}"),
            ConditionDetails::Other { details } => details.clone(),
            ConditionDetails::Bespoke { .. } => String::new(),
        }
    }
}

/// Who asked for a condition on a victim's behalf: the victim liaison officer, never the victim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VictimRequest {
    pub vlo_name: String,
    pub vlo_staff_id: Option<Uuid>,
}

/// A checked condition, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceCondition {
    /// The catalogue entry it came from (`None` for a bespoke condition).
    pub catalogue_code: Option<String>,
    pub wording: String,
    pub details: ConditionDetails,
    pub victim_request: Option<VictimRequest>,
}

impl LicenceCondition {
    /// The condition as one sentence block, for comparing versions and printing.
    pub fn text(&self) -> String {
        let details = self.details.describe();
        if details.is_empty() {
            self.wording.clone()
        } else {
            format!("{} {details}", self.wording)
        }
    }
}

/// What the form gave for a condition, before checking.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConditionDraft {
    pub kind: Option<ConditionKind>,
    pub catalogue_code: Option<String>,
    /// The catalogue's wording, or the practitioner's for a bespoke condition.
    pub wording: String,
    pub curfew_from: Option<NaiveTime>,
    pub curfew_to: Option<NaiveTime>,
    pub area: String,
    pub who: String,
    pub address: String,
    pub details: String,
    pub bespoke_reason: String,
    pub victim_requested: bool,
    pub vlo_name: String,
    pub vlo_staff_id: Option<Uuid>,
}

/// Why a condition cannot be added, each naming the form field to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConditionProblem {
    NoKind,
    NoWording,
    CurfewHours,
    CurfewLength { minutes: i64, min: u32, max: u32 },
    NoArea,
    NoWho,
    NoAddress,
    NoDetails,
    NoBespokeReason,
    NoVictimLiaisonOfficer,
}

impl ConditionProblem {
    /// The form field the problem is about.
    pub fn field(&self) -> &'static str {
        match self {
            ConditionProblem::NoKind => "condition",
            ConditionProblem::NoWording => "wording",
            ConditionProblem::CurfewHours | ConditionProblem::CurfewLength { .. } => "curfew_from",
            ConditionProblem::NoArea => "area",
            ConditionProblem::NoWho => "who",
            ConditionProblem::NoAddress => "address",
            ConditionProblem::NoDetails => "details",
            ConditionProblem::NoBespokeReason => "bespoke_reason",
            ConditionProblem::NoVictimLiaisonOfficer => "vlo_name",
        }
    }

    /// What to do, in words.
    pub fn message(&self) -> String {
        match self {
            ConditionProblem::NoKind => "Choose a condition".to_owned(),
            ConditionProblem::NoWording => "Write the condition as the licence will say it".to_owned(),
            ConditionProblem::CurfewHours => "Enter the curfew's start and end times, like 19:00 and 07:00".to_owned(),
            ConditionProblem::CurfewLength { minutes, min, max } => format!(
                "A curfew must last between {min} and {max} hours a day; these times give {} hours {} minutes",
                minutes / 60,
                minutes % 60
            ),
            ConditionProblem::NoArea => "Describe the exclusion zone's area, for example the streets that bound it".to_owned(),
            ConditionProblem::NoWho => "Name the person or group the person must not contact".to_owned(),
            ConditionProblem::NoAddress => "Enter the address the person must live at".to_owned(),
            ConditionProblem::NoDetails => "Say what the condition requires".to_owned(),
            ConditionProblem::NoBespokeReason => "Say why this bespoke condition is needed and proportionate".to_owned(),
            ConditionProblem::NoVictimLiaisonOfficer => "Enter the name of the victim liaison officer who asked for this condition".to_owned(),
        }
    }
}

fn required(
    value: &str,
    problem: ConditionProblem,
    problems: &mut Vec<ConditionProblem>,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        problems.push(problem);
    }
    value.to_owned()
}

fn curfew(
    draft: &ConditionDraft,
    rules: &LicenceRules,
    problems: &mut Vec<ConditionProblem>,
) -> Option<ConditionDetails> {
    let (Some(from), Some(to)) = (draft.curfew_from, draft.curfew_to) else {
        problems.push(ConditionProblem::CurfewHours);
        return None;
    };
    let minutes = LicenceRules::curfew_minutes(from, to);
    let (min, max) = (rules.curfew_min_hours, rules.curfew_max_hours);
    if minutes < i64::from(min) * 60 || minutes > i64::from(max) * 60 {
        problems.push(ConditionProblem::CurfewLength { minutes, min, max });
        return None;
    }
    Some(ConditionDetails::Curfew { from, to })
}

/// Checks a condition's details against its kind, returning every problem at once.
pub fn check_condition(
    draft: &ConditionDraft,
    rules: &LicenceRules,
) -> Result<LicenceCondition, Vec<ConditionProblem>> {
    let mut problems = Vec::new();
    let Some(kind) = draft.kind else {
        return Err(vec![ConditionProblem::NoKind]);
    };
    let wording = required(&draft.wording, ConditionProblem::NoWording, &mut problems);
    let details = match kind {
        ConditionKind::Curfew => curfew(draft, rules, &mut problems),
        ConditionKind::ExclusionZone => Some(ConditionDetails::ExclusionZone {
            area: required(&draft.area, ConditionProblem::NoArea, &mut problems),
        }),
        ConditionKind::NoContact => Some(ConditionDetails::NoContact {
            who: required(&draft.who, ConditionProblem::NoWho, &mut problems),
        }),
        ConditionKind::Residence => Some(ConditionDetails::Residence {
            address: required(&draft.address, ConditionProblem::NoAddress, &mut problems),
        }),
        ConditionKind::Other => Some(ConditionDetails::Other {
            details: required(&draft.details, ConditionProblem::NoDetails, &mut problems),
        }),
        ConditionKind::Bespoke => Some(ConditionDetails::Bespoke {
            reason: required(
                &draft.bespoke_reason,
                ConditionProblem::NoBespokeReason,
                &mut problems,
            ),
        }),
    };
    let victim_request = draft.victim_requested.then(|| VictimRequest {
        vlo_name: required(
            &draft.vlo_name,
            ConditionProblem::NoVictimLiaisonOfficer,
            &mut problems,
        ),
        vlo_staff_id: draft.vlo_staff_id,
    });
    match details {
        Some(details) if problems.is_empty() => Ok(LicenceCondition {
            catalogue_code: draft
                .catalogue_code
                .clone()
                .filter(|_| kind != ConditionKind::Bespoke),
            wording,
            details,
            victim_request,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn curfew_draft(from: NaiveTime, to: NaiveTime) -> ConditionDraft {
        ConditionDraft {
            kind: Some(ConditionKind::Curfew),
            catalogue_code: Some("curfew".into()),
            wording: "Confine yourself to the approved address.".into(),
            curfew_from: Some(from),
            curfew_to: Some(to),
            ..ConditionDraft::default()
        }
    }

    #[test]
    fn a_curfew_of_twelve_hours_overnight_is_accepted() {
        let condition = check_condition(
            &curfew_draft(time(19, 0), time(7, 0)),
            &LicenceRules::default(),
        )
        .unwrap();
        assert_eq!(
            condition.details.describe(),
            "Between 19:00 and 07:00 every day."
        );
    }

    #[test]
    fn a_curfew_longer_than_sixteen_hours_or_shorter_than_two_is_refused() {
        let rules = LicenceRules::default();
        let long = check_condition(&curfew_draft(time(18, 0), time(12, 0)), &rules).unwrap_err();
        assert!(matches!(
            long[0],
            ConditionProblem::CurfewLength { max: 16, .. }
        ));
        assert_eq!(long[0].field(), "curfew_from");
        let short = check_condition(&curfew_draft(time(19, 0), time(20, 0)), &rules).unwrap_err();
        assert!(short[0].message().contains("between 2 and 16 hours"));
    }

    #[test]
    fn a_curfew_without_hours_is_refused() {
        let draft = ConditionDraft {
            curfew_to: None,
            ..curfew_draft(time(19, 0), time(7, 0))
        };
        let problems = check_condition(&draft, &LicenceRules::default()).unwrap_err();
        assert_eq!(problems, vec![ConditionProblem::CurfewHours]);
    }

    #[test]
    fn an_exclusion_zone_needs_a_described_area() {
        let draft = ConditionDraft {
            kind: Some(ConditionKind::ExclusionZone),
            wording: "Not to enter the area shown.".into(),
            area: "   ".into(),
            ..ConditionDraft::default()
        };
        let problems = check_condition(&draft, &LicenceRules::default()).unwrap_err();
        assert_eq!(problems, vec![ConditionProblem::NoArea]);
        assert_eq!(problems[0].field(), "area");
    }

    #[test]
    fn a_bespoke_condition_needs_its_wording_and_a_reason() {
        let draft = ConditionDraft {
            kind: Some(ConditionKind::Bespoke),
            ..ConditionDraft::default()
        };
        let problems = check_condition(&draft, &LicenceRules::default()).unwrap_err();
        assert_eq!(
            problems,
            vec![
                ConditionProblem::NoWording,
                ConditionProblem::NoBespokeReason
            ]
        );
    }

    #[test]
    fn a_victim_requested_condition_names_the_victim_liaison_officer_not_the_victim() {
        let draft = ConditionDraft {
            kind: Some(ConditionKind::NoContact),
            wording: "Not to contact directly or indirectly.".into(),
            who: "the victim of the index offence".into(),
            victim_requested: true,
            ..ConditionDraft::default()
        };
        let problems = check_condition(&draft, &LicenceRules::default()).unwrap_err();
        assert_eq!(problems, vec![ConditionProblem::NoVictimLiaisonOfficer]);
        let named = ConditionDraft {
            vlo_name: "Priya Shah".into(),
            ..draft
        };
        let condition = check_condition(&named, &LicenceRules::default()).unwrap();
        assert_eq!(condition.victim_request.unwrap().vlo_name, "Priya Shah");
    }

    #[test]
    fn curfew_and_residence_conditions_need_a_suitable_address() {
        assert!(ConditionKind::Curfew.needs_suitable_address());
        assert!(ConditionKind::Residence.needs_suitable_address());
        assert!(!ConditionKind::ExclusionZone.needs_suitable_address());
    }
}
