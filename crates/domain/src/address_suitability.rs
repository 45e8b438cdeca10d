//! Whether a proposed address is suitable for a curfew: home detention curfew (HDC), a licence
//! address, or a curfew requirement of a community or suspended sentence order (reference §5).
//!
//! Inspectors found curfews proposed to addresses never checked for risk to women and children, and
//! perpetrators curfewed to live with potential victims (reference §1). So [`assess_suitability`]
//! does not take a tick-box answer to "requested and considered current risk information from the
//! police and children's services": it reads the actual partner requests for the proposed address
//! and the officer's note of how each answer was considered, and lists **exactly** what is still
//! missing or what makes the address unsuitable, each with a field key to link to.
//!
//! The rules, and the choices made where the reference leaves room:
//! - **Excluded by law.** People subject to sex-offender notification requirements cannot be
//!   released on HDC (Criminal Justice Act 2003, section 246). An HDC check for them is refused
//!   with that reason alone: nothing else about the address can change it. A curfew requirement of
//!   a community order is not HDC and is not excluded.
//! - **Occupier.** The person must be the main occupier, or the main occupier must consent — and
//!   the officer must have spoken to the occupier to confirm it, not taken the person's word.
//! - **Electricity** must be confirmed yes, for the monitoring equipment, for every purpose.
//! - **Police domestic-abuse check**: always mandatory, for every curfew purpose (HMPPS guidance,
//!   reference §4). **Children's-services check**: mandatory when a child (under 18 on the day of
//!   assessment) lives at the address or the person has a registration concerning children. Each
//!   must cover the proposed address, be answered, and be referenced by a note saying how the answer
//!   was considered. The newest request of each kind counts, so a re-request after a change must be
//!   answered too. Unlike completing a risk assessment, no senior officer can authorise going ahead
//!   without an answer: the reference makes the question mandatory.
//! - **Risk to women and children** needs a recorded assessment note whenever a child or a woman
//!   lives there, or the person has been cautioned or convicted for an offence against someone who
//!   does. A resident whose sex is not recorded counts as possibly a woman: it is safer to ask for
//!   the note than to skip it. Every resident needs an age or date of birth, because children are
//!   identified by age.
//! - **Home visit**: mandatory before approval, for every purpose. Suitability is judged about a
//!   real place and the people in it; the inspectorate's failures were addresses nobody looked at.
//! - **Victims**: when a victim lives at or near the address (storage works this out from victim
//!   liaison's records, so the officer never sees where the victim lives) victim liaison must be
//!   consulted and what they said recorded.
//! - **Judgement**: the officer records suitable (with a note) or unsuitable with a coded
//!   [`UnsuitabilityReason`] and explanation. An address is suitable only when every rule above is
//!   met *and* the officer judged it suitable.

use crate::age::age_on;
use crate::calendar::long_date;
use crate::checks::CheckKind;
use crate::coded_enum;
use crate::codes::CodedValue;
use crate::household::Relationship;
use crate::partner::{CheckRequest, RequestStatus};
use crate::person::Sex;
use crate::rosh::CheckReference;
use crate::text::{LongText, TextError};
use chrono::NaiveDate;
use thiserror::Error;
use uuid::Uuid;

coded_enum! {
    /// What the address would be approved for.
    pub enum CurfewPurpose ("curfew purpose") {
        HomeDetentionCurfew => "hdc", "Home detention curfew",
        LicenceAddress => "licence", "Licence address",
        CurfewRequirement => "curfew_requirement", "Curfew requirement of a community or suspended sentence order",
    }
}

impl CurfewPurpose {
    /// How a sentence names the approval: "approved for home detention curfew".
    fn approval_phrase(self) -> &'static str {
        match self {
            CurfewPurpose::HomeDetentionCurfew => "for home detention curfew",
            CurfewPurpose::LicenceAddress => "as a licence address",
            CurfewPurpose::CurfewRequirement => "for a curfew requirement",
        }
    }
}

coded_enum! {
    /// Why an address is unsuitable (reference §5 names the address, sentence limits and too little
    /// time before release; the rest follow from the rules in this module).
    pub enum UnsuitabilityReason ("reason the address is unsuitable") {
        Address => "address", "The address itself",
        SentenceLimits => "sentence_limits", "Sentence limits",
        TooLittleTime => "too_little_time", "Too little time before release",
        RiskToResidents => "risk_to_residents", "Risk to the people living there",
        NoConsent => "no_consent", "The main occupier does not consent",
        NoElectricity => "no_electricity", "No electricity supply",
        ExcludedByLaw => "excluded_by_law", "Excluded by law",
        Other => "other", "Another reason",
    }
}

/// The address being checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposedAddress {
    pub id: Uuid,
    /// As printed: "12 High Street, Lincoln LN1 1AA".
    pub description: String,
}

/// A resident's age as known: exactly, from a date of birth, or as stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResidentAge {
    DateOfBirth(NaiveDate),
    Years(u32),
}

/// Someone who lives at the proposed address (not the person on probation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressResident {
    pub id: Uuid,
    pub name: String,
    pub relationship: Relationship,
    pub age: Option<ResidentAge>,
    pub sex: Option<Sex>,
}

impl AddressResident {
    /// Age in whole years on `today`; `None` when unknown.
    pub fn age_on(&self, today: NaiveDate) -> Option<u32> {
        match self.age? {
            ResidentAge::DateOfBirth(dob) => age_on(dob, today),
            ResidentAge::Years(years) => Some(years),
        }
    }

    /// Under 18 on `today`; `None` when the age is unknown.
    pub fn is_child_on(&self, today: NaiveDate) -> Option<bool> {
        self.age_on(today).map(|age| age < 18)
    }

    /// An adult who is a woman, or whose sex is not recorded (see the module documentation).
    fn may_be_a_woman(&self, today: NaiveDate) -> bool {
        self.is_child_on(today) != Some(true) && self.sex != Some(Sex::Male)
    }

    /// "Sam (child, age 7)".
    fn describe(&self, today: NaiveDate) -> String {
        let age = self
            .age_on(today)
            .map(|a| format!(", age {a}"))
            .unwrap_or_default();
        format!(
            "{} ({}{age})",
            self.name,
            self.relationship.label().to_lowercase()
        )
    }
}

/// The main occupier's answer, when the person is not the occupier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OccupierConsent {
    Refused,
    /// Consent given; `confirmed_with_occupier_on` is the day the officer spoke to the occupier
    /// themselves to confirm it.
    Given {
        confirmed_with_occupier_on: Option<NaiveDate>,
    },
}

/// A dated note: a consultation with victim liaison, or the assessment of risk to residents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedNote {
    pub on: NaiveDate,
    pub note: LongText,
}

/// Why a dated note was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidDatedNote {
    #[error("The date cannot be in the future")]
    InFuture,
    #[error("Note: {0}")]
    Note(TextError),
}

impl DatedNote {
    pub fn parse(on: NaiveDate, note: &str, today: NaiveDate) -> Result<Self, InvalidDatedNote> {
        if on > today {
            return Err(InvalidDatedNote::InFuture);
        }
        Ok(Self {
            on,
            note: LongText::required(note).map_err(InvalidDatedNote::Note)?,
        })
    }
}

/// A partner check as the address gates see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckEvidence {
    pub request_id: Uuid,
    pub kind: CheckKind,
    pub address_id: Option<Uuid>,
    pub status: RequestStatus,
    pub sent_on: Option<NaiveDate>,
    pub due_by: Option<NaiveDate>,
    /// The date it was answered, declined or withdrawn.
    pub closed_on: Option<NaiveDate>,
}

impl CheckEvidence {
    /// The evidence a partner request gives; `None` for occupier checks, which are not one of the
    /// mandatory checks.
    pub fn from_request(request: &CheckRequest) -> Option<Self> {
        let kind = request.request_type.check_kind()?;
        let sent = request.state.sent();
        Some(Self {
            request_id: request.id,
            kind,
            address_id: request.address_id,
            status: request.status(),
            sent_on: sent.map(|s| s.sent_on),
            due_by: sent.map(|s| s.due_by),
            closed_on: request.state.closed().map(|(_, on)| on),
        })
    }
}

/// The officer's judgement of the address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    Suitable {
        note: LongText,
    },
    Unsuitable {
        reason: UnsuitabilityReason,
        detail: LongText,
    },
}

/// Everything recorded about a proposed address. `None` means "not answered yet".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressCheck {
    pub purpose: CurfewPurpose,
    pub address: ProposedAddress,
    pub person_is_occupier: Option<bool>,
    pub main_occupier: Option<String>,
    pub occupier_consent: Option<OccupierConsent>,
    pub residents: Vec<AddressResident>,
    /// Whether the person has been cautioned or convicted for an offence against anyone who lives
    /// at the address.
    pub cautioned_against_resident: Option<bool>,
    pub electricity_supply: Option<bool>,
    pub home_visit_on: Option<NaiveDate>,
    /// Worked out by storage from victim liaison's records.
    pub victim_at_or_near: bool,
    pub victim_liaison: Option<DatedNote>,
    /// Police and children's-services requests about the case, for any address.
    pub checks: Vec<CheckEvidence>,
    /// How each answered check was considered in judging the address.
    pub check_references: Vec<CheckReference>,
    /// A registration concerning children ([`crate::registration::RegistrationKind::concerns_children`]).
    pub child_concern_registration: bool,
    /// Subject to sex-offender notification requirements (MAPPA category 1).
    pub sex_offender_notification: bool,
    pub risk_to_women_and_children: Option<DatedNote>,
    pub judgement: Option<Judgement>,
}

impl AddressCheck {
    fn occupier_name(&self) -> String {
        self.main_occupier
            .as_deref()
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .unwrap_or("the main occupier")
            .to_owned()
    }
}

/// Something still to do before the address can be approved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    PersonIsOccupier,
    MainOccupierName,
    OccupierConsent { occupier: String },
    ConsentNotConfirmed { occupier: String },
    ResidentAge { index: usize, name: String },
    CautionedAgainstResident,
    ElectricitySupply,
    HomeVisit,
    HomeVisitInFuture { on: NaiveDate },
    VictimLiaison,
    Check(CheckGap),
    RiskToWomenAndChildren { because: String },
    Judgement,
}

/// What is missing about one mandatory partner check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckGap {
    NotRequested {
        kind: CheckKind,
        because: Option<String>,
    },
    NotSent {
        kind: CheckKind,
        request_id: Uuid,
    },
    Outstanding {
        kind: CheckKind,
        sent_on: NaiveDate,
        due_by: NaiveDate,
    },
    Declined {
        kind: CheckKind,
        on: NaiveDate,
    },
    NotConsidered {
        kind: CheckKind,
        request_id: Uuid,
        answered_on: NaiveDate,
    },
}

/// Something that makes the address unsuitable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsuitable {
    ExcludedByLaw,
    NoElectricity,
    NoConsent {
        occupier: String,
    },
    Judged {
        reason: UnsuitabilityReason,
        detail: String,
    },
}

/// One finding of an assessment that did not find the address suitable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    Missing(Missing),
    Unsuitable(Unsuitable),
}

fn check_name(kind: CheckKind) -> &'static str {
    match kind {
        CheckKind::PoliceDomesticAbuse => "police domestic-abuse check",
        CheckKind::ChildrensServices => "children's services check",
    }
}

impl Missing {
    /// What to do, in the practitioner's words. `address` is the proposed address as printed.
    pub fn message(&self, address: &str) -> String {
        match self {
            Missing::PersonIsOccupier => format!("Say whether the person is the main occupier of {address}"),
            Missing::MainOccupierName => format!("Give the name of the main occupier of {address}"),
            Missing::OccupierConsent { occupier } => format!("Ask {occupier} whether they consent to the person living at {address} under a curfew, and record the answer"),
            Missing::ConsentNotConfirmed { occupier } => format!("Speak to {occupier} yourself to confirm their consent, and record the date"),
            Missing::ResidentAge { name, .. } => format!("Record the age or date of birth of {name}: children living at the address are identified by age"),
            Missing::CautionedAgainstResident => format!("Say whether the person has been cautioned or convicted for an offence against anyone who lives at {address}"),
            Missing::ElectricitySupply => format!("Confirm whether {address} has an electricity supply, which the monitoring equipment needs"),
            Missing::HomeVisit => format!("Visit {address} and record the home visit: an address cannot be approved without one"),
            Missing::HomeVisitInFuture { on } => format!("The home visit is recorded for {}, which is in the future: record it once it has happened", long_date(on)),
            Missing::VictimLiaison => format!("A victim lives at or near {address}: consult victim liaison and record what they said"),
            Missing::Check(gap) => gap.message(address),
            Missing::RiskToWomenAndChildren { because } => format!("Assess the risk to women and children at {address} and record it: {because}"),
            Missing::Judgement => format!("Record whether you judge {address} suitable, and why"),
        }
    }

    /// The id of the form field or section the message links to.
    pub fn field(&self) -> String {
        match self {
            Missing::PersonIsOccupier => "person_is_occupier".into(),
            Missing::MainOccupierName => "main_occupier".into(),
            Missing::OccupierConsent { .. } | Missing::ConsentNotConfirmed { .. } => {
                "occupier_consent".into()
            }
            Missing::ResidentAge { index, .. } => format!("residents[{index}].age"),
            Missing::CautionedAgainstResident => "cautioned_against_resident".into(),
            Missing::ElectricitySupply => "electricity_supply".into(),
            Missing::HomeVisit | Missing::HomeVisitInFuture { .. } => "home_visit".into(),
            Missing::VictimLiaison => "victim_liaison".into(),
            Missing::Check(gap) => gap.field(),
            Missing::RiskToWomenAndChildren { .. } => "risk_to_women_and_children".into(),
            Missing::Judgement => "judgement".into(),
        }
    }
}

impl CheckGap {
    pub fn kind(&self) -> CheckKind {
        match self {
            CheckGap::NotRequested { kind, .. }
            | CheckGap::NotSent { kind, .. }
            | CheckGap::Outstanding { kind, .. }
            | CheckGap::Declined { kind, .. }
            | CheckGap::NotConsidered { kind, .. } => *kind,
        }
    }

    fn message(&self, address: &str) -> String {
        let name = check_name(self.kind());
        match self {
            CheckGap::NotRequested { because: None, .. } => format!("Request a {name} for the person and {address}"),
            CheckGap::NotRequested { because: Some(because), .. } => format!("Request a {name} for the person and {address}: {because}"),
            CheckGap::NotSent { .. } => format!("Send the draft {name} for {address}"),
            CheckGap::Outstanding { sent_on, due_by, .. } => format!("Wait for the answer to the {name} sent on {} (due by {}): the address cannot be approved without it", long_date(sent_on), long_date(due_by)),
            CheckGap::Declined { on, .. } => format!("The {name} for {address} was declined on {}: send a new request, to the right organisation if it was sent to the wrong one", long_date(on)),
            CheckGap::NotConsidered { answered_on, .. } => format!("Record how the {name} answer received on {} informs your judgement of the address", long_date(answered_on)),
        }
    }

    fn field(&self) -> String {
        match self {
            CheckGap::NotConsidered { request_id, .. } => format!("check_references[{request_id}]"),
            other => format!("checks.{}", other.kind().code()),
        }
    }
}

impl Unsuitable {
    pub fn reason(&self) -> UnsuitabilityReason {
        match self {
            Unsuitable::ExcludedByLaw => UnsuitabilityReason::ExcludedByLaw,
            Unsuitable::NoElectricity => UnsuitabilityReason::NoElectricity,
            Unsuitable::NoConsent { .. } => UnsuitabilityReason::NoConsent,
            Unsuitable::Judged { reason, .. } => *reason,
        }
    }

    pub fn message(&self, address: &str) -> String {
        match self {
            Unsuitable::ExcludedByLaw => "People subject to sex-offender notification requirements are excluded from home detention curfew by law (Criminal Justice Act 2003, section 246), so no address can be approved for it".to_owned(),
            Unsuitable::NoElectricity => format!("{address} has no electricity supply, so the monitoring equipment cannot be installed"),
            Unsuitable::NoConsent { occupier } => format!("{occupier}, the main occupier, does not consent to the person living at {address}"),
            Unsuitable::Judged { reason, detail } if detail.is_empty() => format!("You judged {address} unsuitable: {}", reason.label()),
            Unsuitable::Judged { reason, detail } => format!("You judged {address} unsuitable: {}. {detail}", reason.label()),
        }
    }

    pub fn field(&self) -> String {
        match self {
            Unsuitable::ExcludedByLaw => "purpose",
            Unsuitable::NoElectricity => "electricity_supply",
            Unsuitable::NoConsent { .. } => "occupier_consent",
            Unsuitable::Judged { .. } => "judgement",
        }
        .to_owned()
    }
}

impl Finding {
    pub fn message(&self, address: &str) -> String {
        match self {
            Finding::Missing(missing) => missing.message(address),
            Finding::Unsuitable(unsuitable) => unsuitable.message(address),
        }
    }

    pub fn field(&self) -> String {
        match self {
            Finding::Missing(missing) => missing.field(),
            Finding::Unsuitable(unsuitable) => unsuitable.field(),
        }
    }
}

/// An address that passed every rule and was judged suitable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suitable {
    pub purpose: CurfewPurpose,
    pub address_id: Uuid,
    pub assessed_on: NaiveDate,
    /// The partner requests whose answers the judgement relied on.
    pub checks_relied_on: Vec<Uuid>,
    /// The children living there, as described in the assessment.
    pub children: Vec<String>,
    pub victim_liaison_consulted: bool,
}

/// Assesses a proposed address on `today`: suitable, or every finding that stops it being so.
pub fn assess_suitability(
    check: &AddressCheck,
    today: NaiveDate,
) -> Result<Suitable, Vec<Finding>> {
    if check.purpose == CurfewPurpose::HomeDetentionCurfew && check.sex_offender_notification {
        return Err(vec![Finding::Unsuitable(Unsuitable::ExcludedByLaw)]);
    }
    let mut findings = Vec::new();
    occupier_findings(check, &mut findings);
    resident_findings(check, &mut findings);
    match check.electricity_supply {
        None => findings.push(Finding::Missing(Missing::ElectricitySupply)),
        Some(false) => findings.push(Finding::Unsuitable(Unsuitable::NoElectricity)),
        Some(true) => {}
    }
    match check.home_visit_on {
        None => findings.push(Finding::Missing(Missing::HomeVisit)),
        Some(on) if on > today => {
            findings.push(Finding::Missing(Missing::HomeVisitInFuture { on }))
        }
        Some(_) => {}
    }
    if check.victim_at_or_near && check.victim_liaison.is_none() {
        findings.push(Finding::Missing(Missing::VictimLiaison));
    }
    let checks_relied_on = check_findings(check, today, &mut findings);
    if let Some(because) = risk_note_needed(check, today) {
        if check.risk_to_women_and_children.is_none() {
            findings.push(Finding::Missing(Missing::RiskToWomenAndChildren {
                because,
            }));
        }
    }
    match &check.judgement {
        None => findings.push(Finding::Missing(Missing::Judgement)),
        Some(Judgement::Unsuitable { reason, detail }) => {
            findings.push(Finding::Unsuitable(Unsuitable::Judged {
                reason: *reason,
                detail: detail.as_str().to_owned(),
            }))
        }
        Some(Judgement::Suitable { .. }) => {}
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    Ok(Suitable {
        purpose: check.purpose,
        address_id: check.address.id,
        assessed_on: today,
        checks_relied_on,
        children: children(check, today),
        victim_liaison_consulted: check.victim_liaison.is_some(),
    })
}

fn occupier_findings(check: &AddressCheck, findings: &mut Vec<Finding>) {
    match check.person_is_occupier {
        None => findings.push(Finding::Missing(Missing::PersonIsOccupier)),
        Some(true) => {}
        Some(false) => {
            let named = check
                .main_occupier
                .as_deref()
                .is_some_and(|n| !n.trim().is_empty());
            if !named {
                findings.push(Finding::Missing(Missing::MainOccupierName));
            }
            let occupier = check.occupier_name();
            match check.occupier_consent {
                None => findings.push(Finding::Missing(Missing::OccupierConsent { occupier })),
                Some(OccupierConsent::Refused) => {
                    findings.push(Finding::Unsuitable(Unsuitable::NoConsent { occupier }))
                }
                Some(OccupierConsent::Given {
                    confirmed_with_occupier_on: None,
                }) => findings.push(Finding::Missing(Missing::ConsentNotConfirmed { occupier })),
                Some(OccupierConsent::Given { .. }) => {}
            }
        }
    }
}

fn resident_findings(check: &AddressCheck, findings: &mut Vec<Finding>) {
    for (index, resident) in check.residents.iter().enumerate() {
        if resident.age.is_none() {
            findings.push(Finding::Missing(Missing::ResidentAge {
                index,
                name: resident.name.clone(),
            }));
        }
    }
    if check.cautioned_against_resident.is_none() {
        findings.push(Finding::Missing(Missing::CautionedAgainstResident));
    }
}

fn children(check: &AddressCheck, today: NaiveDate) -> Vec<String> {
    check
        .residents
        .iter()
        .filter(|r| r.is_child_on(today) == Some(true))
        .map(|r| r.describe(today))
        .collect()
}

/// Why children's services must be asked, if they must.
fn childrens_services_needed(check: &AddressCheck, today: NaiveDate) -> Option<String> {
    let children = children(check, today);
    match children.as_slice() {
        [] if check.child_concern_registration => {
            Some("the person has a registration concerning children".to_owned())
        }
        [] => None,
        [one] => Some(format!("{one} lives there")),
        many => Some(format!("{} live there", join_names(many))),
    }
}

/// Why the risk-to-women-and-children note is needed, if it is.
fn risk_note_needed(check: &AddressCheck, today: NaiveDate) -> Option<String> {
    let at_risk: Vec<String> = check
        .residents
        .iter()
        .filter(|r| r.is_child_on(today) == Some(true) || r.may_be_a_woman(today))
        .map(|r| r.describe(today))
        .collect();
    let mut reasons = Vec::new();
    match at_risk.as_slice() {
        [] => {}
        [one] => reasons.push(format!("{one} lives there")),
        many => reasons.push(format!("{} live there", join_names(many))),
    }
    if check.cautioned_against_resident == Some(true) {
        reasons.push("the person has been cautioned or convicted for an offence against someone who lives there".to_owned());
    }
    (!reasons.is_empty()).then(|| reasons.join(", and "))
}

fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The mandatory partner checks: police always, children's services when children are involved.
/// Returns the ids of the answered, considered checks relied on.
fn check_findings(
    check: &AddressCheck,
    today: NaiveDate,
    findings: &mut Vec<Finding>,
) -> Vec<Uuid> {
    let mut required = vec![(CheckKind::PoliceDomesticAbuse, None)];
    if let Some(because) = childrens_services_needed(check, today) {
        required.push((CheckKind::ChildrensServices, Some(because)));
    }
    let mut relied_on = Vec::new();
    for (kind, because) in required {
        match gate_check(check, kind, because) {
            Ok(id) => relied_on.push(id),
            Err(gap) => findings.push(Finding::Missing(Missing::Check(gap))),
        }
    }
    relied_on
}

/// The newest request of this kind for the proposed address (withdrawn ones set aside, a draft
/// counting as newest), answered and considered.
fn gate_check(
    check: &AddressCheck,
    kind: CheckKind,
    because: Option<String>,
) -> Result<Uuid, CheckGap> {
    let newest = check
        .checks
        .iter()
        .filter(|c| c.kind == kind && c.address_id == Some(check.address.id))
        .filter(|c| c.status != RequestStatus::Withdrawn)
        .max_by_key(|c| c.sent_on.unwrap_or(NaiveDate::MAX));
    let Some(evidence) = newest else {
        return Err(CheckGap::NotRequested { kind, because });
    };
    match (
        evidence.status,
        evidence.sent_on,
        evidence.due_by,
        evidence.closed_on,
    ) {
        (RequestStatus::Responded, _, _, Some(answered_on)) => {
            let considered = check
                .check_references
                .iter()
                .any(|r| r.check_id == evidence.request_id && !r.note.is_empty());
            if considered {
                Ok(evidence.request_id)
            } else {
                Err(CheckGap::NotConsidered {
                    kind,
                    request_id: evidence.request_id,
                    answered_on,
                })
            }
        }
        (RequestStatus::Declined, _, _, Some(on)) => Err(CheckGap::Declined { kind, on }),
        (RequestStatus::Sent | RequestStatus::Acknowledged, Some(sent_on), Some(due_by), _) => {
            Err(CheckGap::Outstanding {
                kind,
                sent_on,
                due_by,
            })
        }
        _ => Err(CheckGap::NotSent {
            kind,
            request_id: evidence.request_id,
        }),
    }
}

/// Why an address could not be approved.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApprovalRefused {
    #[error("This address was checked for {}, not {}: check it for {} before approving it", .checked.label().to_lowercase(), .wanted.label().to_lowercase(), .wanted.label().to_lowercase())]
    DifferentPurpose {
        checked: CurfewPurpose,
        wanted: CurfewPurpose,
    },
    #[error("{address} cannot be approved {}: {}", .purpose.approval_phrase(), .findings.iter().map(|f| f.message(.address)).collect::<Vec<_>>().join("; "))]
    NotSuitable {
        address: String,
        purpose: CurfewPurpose,
        findings: Vec<Finding>,
    },
}

/// May the address be approved for `purpose` (a curfew requirement, a licence address or HDC)?
/// Only when the check was made for that purpose and, assessed again on `today` against the facts
/// as they are now, it is suitable. Re-assessing rather than trusting an earlier result means a
/// child who has moved in since, or a check re-requested since, stops the approval.
pub fn may_approve(
    check: &AddressCheck,
    purpose: CurfewPurpose,
    today: NaiveDate,
) -> Result<Suitable, ApprovalRefused> {
    if check.purpose != purpose {
        return Err(ApprovalRefused::DifferentPurpose {
            checked: check.purpose,
            wanted: purpose,
        });
    }
    assess_suitability(check, today).map_err(|findings| ApprovalRefused::NotSuitable {
        address: check.address.description.clone(),
        purpose,
        findings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn today() -> NaiveDate {
        date(2026, 12, 21)
    }

    fn text(t: &str) -> LongText {
        LongText::required(t).unwrap()
    }

    const ADDRESS: Uuid = Uuid::from_u128(1);
    const OTHER_ADDRESS: Uuid = Uuid::from_u128(2);
    const POLICE_CHECK: Uuid = Uuid::from_u128(10);
    const CS_CHECK: Uuid = Uuid::from_u128(11);
    const WHERE: &str = "12 High Street, Lincoln LN1 1AA";

    fn answered(id: Uuid, kind: CheckKind) -> CheckEvidence {
        CheckEvidence {
            request_id: id,
            kind,
            address_id: Some(ADDRESS),
            status: RequestStatus::Responded,
            sent_on: Some(date(2026, 12, 1)),
            due_by: Some(date(2026, 12, 15)),
            closed_on: Some(date(2026, 12, 8)),
        }
    }

    fn reference(id: Uuid) -> CheckReference {
        CheckReference {
            check_id: id,
            note: text("Two call-outs in 2024; no incidents since the partner's injunction"),
        }
    }

    fn partner() -> AddressResident {
        AddressResident {
            id: Uuid::from_u128(20),
            name: "Jo Smith".to_owned(),
            relationship: Relationship::Partner,
            age: Some(ResidentAge::DateOfBirth(date(1992, 1, 9))),
            sex: Some(Sex::Female),
        }
    }

    fn child() -> AddressResident {
        AddressResident {
            id: Uuid::from_u128(21),
            name: "Sam Smith".to_owned(),
            relationship: Relationship::Child,
            age: Some(ResidentAge::DateOfBirth(date(2019, 6, 1))),
            sex: Some(Sex::Male),
        }
    }

    fn brother() -> AddressResident {
        AddressResident {
            id: Uuid::from_u128(22),
            name: "Lee Smith".to_owned(),
            relationship: Relationship::Sibling,
            age: Some(ResidentAge::Years(40)),
            sex: Some(Sex::Male),
        }
    }

    fn note(t: &str) -> DatedNote {
        DatedNote::parse(date(2026, 12, 10), t, today()).unwrap()
    }

    /// An HDC address with a partner and a child, every check answered and considered.
    fn suitable_check() -> AddressCheck {
        AddressCheck {
            purpose: CurfewPurpose::HomeDetentionCurfew,
            address: ProposedAddress {
                id: ADDRESS,
                description: WHERE.to_owned(),
            },
            person_is_occupier: Some(false),
            main_occupier: Some("Jo Smith".to_owned()),
            occupier_consent: Some(OccupierConsent::Given {
                confirmed_with_occupier_on: Some(date(2026, 12, 10)),
            }),
            residents: vec![partner(), child()],
            cautioned_against_resident: Some(false),
            electricity_supply: Some(true),
            home_visit_on: Some(date(2026, 12, 10)),
            victim_at_or_near: false,
            victim_liaison: None,
            checks: vec![
                answered(POLICE_CHECK, CheckKind::PoliceDomesticAbuse),
                answered(CS_CHECK, CheckKind::ChildrensServices),
            ],
            check_references: vec![reference(POLICE_CHECK), reference(CS_CHECK)],
            child_concern_registration: false,
            sex_offender_notification: false,
            risk_to_women_and_children: Some(note("Jo and Sam seen alone; no concerns raised")),
            judgement: Some(Judgement::Suitable {
                note: text("Stable address, supportive partner"),
            }),
        }
    }

    /// An adults-only address where the person is the occupier: no children's-services check or
    /// consent needed.
    fn own_flat() -> AddressCheck {
        AddressCheck {
            person_is_occupier: Some(true),
            main_occupier: None,
            occupier_consent: None,
            residents: vec![brother()],
            checks: vec![answered(POLICE_CHECK, CheckKind::PoliceDomesticAbuse)],
            check_references: vec![reference(POLICE_CHECK)],
            risk_to_women_and_children: None,
            ..suitable_check()
        }
    }

    fn findings(check: &AddressCheck) -> Vec<Finding> {
        assess_suitability(check, today()).unwrap_err()
    }

    fn messages(check: &AddressCheck) -> Vec<String> {
        findings(check).iter().map(|f| f.message(WHERE)).collect()
    }

    fn fields(check: &AddressCheck) -> Vec<String> {
        findings(check).iter().map(Finding::field).collect()
    }

    #[test]
    fn a_fully_checked_address_judged_suitable_is_suitable() {
        let suitable = assess_suitability(&suitable_check(), today()).unwrap();
        assert_eq!(suitable.address_id, ADDRESS);
        assert_eq!(suitable.purpose, CurfewPurpose::HomeDetentionCurfew);
        assert_eq!(suitable.checks_relied_on, [POLICE_CHECK, CS_CHECK]);
        assert_eq!(suitable.children, ["Sam Smith (child, age 7)"]);
        assert!(!suitable.victim_liaison_consulted);
    }

    #[test]
    fn an_address_the_person_occupies_with_only_adult_men_needs_no_consent_or_childrens_check() {
        assert!(assess_suitability(&own_flat(), today()).is_ok());
    }

    #[test]
    fn an_unanswered_check_lists_exactly_what_is_missing() {
        let empty = AddressCheck {
            person_is_occupier: None,
            main_occupier: None,
            occupier_consent: None,
            residents: vec![],
            cautioned_against_resident: None,
            electricity_supply: None,
            home_visit_on: None,
            checks: vec![],
            check_references: vec![],
            risk_to_women_and_children: None,
            judgement: None,
            ..suitable_check()
        };
        assert_eq!(
            fields(&empty),
            [
                "person_is_occupier",
                "cautioned_against_resident",
                "electricity_supply",
                "home_visit",
                "checks.police_domestic_abuse",
                "judgement",
            ]
        );
        assert_eq!(
            messages(&empty),
            [
                format!("Say whether the person is the main occupier of {WHERE}"),
                format!("Say whether the person has been cautioned or convicted for an offence against anyone who lives at {WHERE}"),
                format!("Confirm whether {WHERE} has an electricity supply, which the monitoring equipment needs"),
                format!("Visit {WHERE} and record the home visit: an address cannot be approved without one"),
                format!("Request a police domestic-abuse check for the person and {WHERE}"),
                format!("Record whether you judge {WHERE} suitable, and why"),
            ]
        );
    }

    #[test]
    fn a_registered_sex_offender_is_excluded_from_hdc_by_law_whatever_the_address() {
        let check = AddressCheck {
            sex_offender_notification: true,
            electricity_supply: None,
            ..suitable_check()
        };
        let found = findings(&check);
        assert_eq!(found, [Finding::Unsuitable(Unsuitable::ExcludedByLaw)]);
        assert_eq!(
            found[0].message(WHERE),
            "People subject to sex-offender notification requirements are excluded from home detention curfew by law (Criminal Justice Act 2003, section 246), so no address can be approved for it"
        );
        assert_eq!(found[0].field(), "purpose");
        assert_eq!(
            Unsuitable::ExcludedByLaw.reason(),
            UnsuitabilityReason::ExcludedByLaw
        );
    }

    #[test]
    fn a_curfew_requirement_on_a_community_order_is_not_hdc_and_is_not_excluded() {
        for purpose in [
            CurfewPurpose::CurfewRequirement,
            CurfewPurpose::LicenceAddress,
        ] {
            let check = AddressCheck {
                purpose,
                sex_offender_notification: true,
                ..suitable_check()
            };
            assert!(assess_suitability(&check, today()).is_ok(), "{purpose}");
        }
    }

    #[test]
    fn no_electricity_makes_the_address_unsuitable() {
        let check = AddressCheck {
            electricity_supply: Some(false),
            ..suitable_check()
        };
        let found = findings(&check);
        assert_eq!(found, [Finding::Unsuitable(Unsuitable::NoElectricity)]);
        assert_eq!(
            found[0].message(WHERE),
            format!("{WHERE} has no electricity supply, so the monitoring equipment cannot be installed")
        );
    }

    #[test]
    fn the_occupier_refusing_consent_makes_the_address_unsuitable() {
        let check = AddressCheck {
            occupier_consent: Some(OccupierConsent::Refused),
            ..suitable_check()
        };
        let found = findings(&check);
        assert_eq!(
            found,
            [Finding::Unsuitable(Unsuitable::NoConsent {
                occupier: "Jo Smith".to_owned()
            })]
        );
        assert_eq!(
            found[0].message(WHERE),
            format!(
                "Jo Smith, the main occupier, does not consent to the person living at {WHERE}"
            )
        );
    }

    #[test]
    fn consent_must_be_asked_for_and_confirmed_with_the_occupier() {
        let unasked = AddressCheck {
            occupier_consent: None,
            ..suitable_check()
        };
        assert_eq!(
            messages(&unasked),
            [format!("Ask Jo Smith whether they consent to the person living at {WHERE} under a curfew, and record the answer")]
        );
        let unconfirmed = AddressCheck {
            occupier_consent: Some(OccupierConsent::Given {
                confirmed_with_occupier_on: None,
            }),
            ..suitable_check()
        };
        assert_eq!(
            messages(&unconfirmed),
            ["Speak to Jo Smith yourself to confirm their consent, and record the date"]
        );
        assert_eq!(fields(&unconfirmed), ["occupier_consent"]);
    }

    #[test]
    fn a_main_occupier_who_is_not_the_person_must_be_named() {
        let check = AddressCheck {
            main_occupier: Some("  ".to_owned()),
            occupier_consent: None,
            ..suitable_check()
        };
        assert_eq!(
            messages(&check),
            [
                format!("Give the name of the main occupier of {WHERE}"),
                format!("Ask the main occupier whether they consent to the person living at {WHERE} under a curfew, and record the answer"),
            ]
        );
    }

    #[test]
    fn every_resident_needs_an_age_because_children_are_identified_by_age() {
        let check = AddressCheck {
            residents: vec![
                partner(),
                child(),
                AddressResident {
                    age: None,
                    ..brother()
                },
            ],
            ..suitable_check()
        };
        assert_eq!(fields(&check), ["residents[2].age"]);
        assert_eq!(
            messages(&check),
            ["Record the age or date of birth of Lee Smith: children living at the address are identified by age"]
        );
    }

    #[test]
    fn the_police_check_is_mandatory_for_every_curfew_purpose() {
        for purpose in CurfewPurpose::ALL {
            let check = AddressCheck {
                purpose: *purpose,
                checks: vec![],
                check_references: vec![],
                ..own_flat()
            };
            assert_eq!(
                fields(&check),
                ["checks.police_domestic_abuse"],
                "{purpose}"
            );
        }
    }

    #[test]
    fn a_check_of_another_address_does_not_count() {
        let check = AddressCheck {
            checks: vec![CheckEvidence {
                address_id: Some(OTHER_ADDRESS),
                ..answered(POLICE_CHECK, CheckKind::PoliceDomesticAbuse)
            }],
            ..own_flat()
        };
        assert_eq!(
            findings(&check),
            [Finding::Missing(Missing::Check(CheckGap::NotRequested {
                kind: CheckKind::PoliceDomesticAbuse,
                because: None
            }))]
        );
    }

    #[test]
    fn an_outstanding_check_blocks_the_address_even_after_its_deadline() {
        let check = AddressCheck {
            checks: vec![CheckEvidence {
                status: RequestStatus::Acknowledged,
                closed_on: None,
                ..answered(POLICE_CHECK, CheckKind::PoliceDomesticAbuse)
            }],
            ..own_flat()
        };
        assert_eq!(
            messages(&check),
            ["Wait for the answer to the police domestic-abuse check sent on 1 December 2026 (due by 15 December 2026): the address cannot be approved without it"]
        );
    }

    #[test]
    fn a_declined_check_must_be_requested_again() {
        let check = AddressCheck {
            checks: vec![CheckEvidence {
                status: RequestStatus::Declined,
                ..answered(POLICE_CHECK, CheckKind::PoliceDomesticAbuse)
            }],
            ..own_flat()
        };
        assert_eq!(
            messages(&check),
            [format!("The police domestic-abuse check for {WHERE} was declined on 8 December 2026: send a new request, to the right organisation if it was sent to the wrong one")]
        );
    }

    #[test]
    fn a_draft_check_must_be_sent() {
        let check = AddressCheck {
            checks: vec![CheckEvidence {
                status: RequestStatus::Draft,
                sent_on: None,
                due_by: None,
                closed_on: None,
                ..answered(POLICE_CHECK, CheckKind::PoliceDomesticAbuse)
            }],
            ..own_flat()
        };
        assert_eq!(
            messages(&check),
            [format!(
                "Send the draft police domestic-abuse check for {WHERE}"
            )]
        );
    }

    #[test]
    fn an_answered_check_must_also_be_considered() {
        let check = AddressCheck {
            check_references: vec![],
            ..own_flat()
        };
        let found = findings(&check);
        assert_eq!(
            found[0].message(WHERE),
            "Record how the police domestic-abuse check answer received on 8 December 2026 informs your judgement of the address"
        );
        assert_eq!(
            found[0].field(),
            format!("check_references[{POLICE_CHECK}]")
        );
    }

    #[test]
    fn a_withdrawn_check_is_set_aside_and_a_newer_request_must_be_answered() {
        let withdrawn = CheckEvidence {
            request_id: Uuid::from_u128(12),
            status: RequestStatus::Withdrawn,
            sent_on: Some(date(2026, 12, 15)),
            ..answered(POLICE_CHECK, CheckKind::PoliceDomesticAbuse)
        };
        let set_aside = AddressCheck {
            checks: vec![
                answered(POLICE_CHECK, CheckKind::PoliceDomesticAbuse),
                withdrawn,
            ],
            ..own_flat()
        };
        assert!(assess_suitability(&set_aside, today()).is_ok());
        let re_requested = CheckEvidence {
            request_id: Uuid::from_u128(13),
            status: RequestStatus::Sent,
            sent_on: Some(date(2026, 12, 15)),
            due_by: Some(date(2026, 12, 31)),
            closed_on: None,
            ..answered(POLICE_CHECK, CheckKind::PoliceDomesticAbuse)
        };
        let newer = AddressCheck {
            checks: vec![
                answered(POLICE_CHECK, CheckKind::PoliceDomesticAbuse),
                re_requested,
            ],
            ..own_flat()
        };
        assert!(matches!(
            findings(&newer).as_slice(),
            [Finding::Missing(Missing::Check(
                CheckGap::Outstanding { .. }
            ))]
        ));
    }

    #[test]
    fn a_childrens_services_check_is_mandatory_when_a_child_lives_there() {
        let check = AddressCheck {
            checks: vec![answered(POLICE_CHECK, CheckKind::PoliceDomesticAbuse)],
            check_references: vec![reference(POLICE_CHECK)],
            ..suitable_check()
        };
        assert_eq!(fields(&check), ["checks.childrens_services"]);
        assert_eq!(
            messages(&check),
            [format!("Request a children's services check for the person and {WHERE}: Sam Smith (child, age 7) lives there")]
        );
    }

    #[test]
    fn a_seventeen_year_old_is_a_child_and_an_eighteen_year_old_is_not() {
        let resident = |born| AddressResident {
            age: Some(ResidentAge::DateOfBirth(born)),
            ..brother()
        };
        let with = |r| AddressCheck {
            residents: vec![r],
            ..own_flat()
        };
        // Born 22 December 2008: 17 on 21 December 2026.
        assert_eq!(
            fields(&with(resident(date(2008, 12, 22)))),
            ["checks.childrens_services", "risk_to_women_and_children"]
        );
        // Born 21 December 2008: 18 that day.
        assert!(assess_suitability(&with(resident(date(2008, 12, 21))), today()).is_ok());
    }

    #[test]
    fn a_registration_concerning_children_needs_a_childrens_services_check_without_children_there()
    {
        let check = AddressCheck {
            child_concern_registration: true,
            ..own_flat()
        };
        assert_eq!(
            messages(&check),
            [format!("Request a children's services check for the person and {WHERE}: the person has a registration concerning children")]
        );
    }

    #[test]
    fn risk_to_women_and_children_must_be_assessed_when_they_live_there() {
        let check = AddressCheck {
            risk_to_women_and_children: None,
            ..suitable_check()
        };
        assert_eq!(
            messages(&check),
            [format!("Assess the risk to women and children at {WHERE} and record it: Jo Smith (partner, age 34) and Sam Smith (child, age 7) live there")]
        );
    }

    #[test]
    fn a_resident_whose_sex_is_not_recorded_counts_as_possibly_a_woman() {
        let check = AddressCheck {
            residents: vec![AddressResident {
                sex: None,
                ..brother()
            }],
            ..own_flat()
        };
        assert_eq!(fields(&check), ["risk_to_women_and_children"]);
    }

    #[test]
    fn a_caution_against_a_resident_needs_the_risk_assessed_even_among_adult_men() {
        let check = AddressCheck {
            cautioned_against_resident: Some(true),
            ..own_flat()
        };
        assert_eq!(
            messages(&check),
            [format!("Assess the risk to women and children at {WHERE} and record it: the person has been cautioned or convicted for an offence against someone who lives there")]
        );
    }

    #[test]
    fn a_home_visit_is_needed_before_approval_and_cannot_be_in_the_future() {
        let unvisited = AddressCheck {
            home_visit_on: None,
            ..suitable_check()
        };
        assert_eq!(fields(&unvisited), ["home_visit"]);
        let booked = AddressCheck {
            home_visit_on: Some(date(2026, 12, 22)),
            ..suitable_check()
        };
        assert_eq!(
            messages(&booked),
            ["The home visit is recorded for 22 December 2026, which is in the future: record it once it has happened"]
        );
    }

    #[test]
    fn victim_liaison_must_be_consulted_when_a_victim_lives_at_or_near_the_address() {
        let check = AddressCheck {
            victim_at_or_near: true,
            ..suitable_check()
        };
        assert_eq!(
            messages(&check),
            [format!("A victim lives at or near {WHERE}: consult victim liaison and record what they said")]
        );
        let consulted = AddressCheck {
            victim_liaison: Some(note("Victim has moved out of the area; no objection")),
            ..check
        };
        assert!(
            assess_suitability(&consulted, today())
                .unwrap()
                .victim_liaison_consulted
        );
    }

    #[test]
    fn an_address_judged_unsuitable_is_unsuitable_with_its_coded_reason() {
        let check = AddressCheck {
            judgement: Some(Judgement::Unsuitable {
                reason: UnsuitabilityReason::TooLittleTime,
                detail: text("Release is in 3 days"),
            }),
            ..suitable_check()
        };
        let found = findings(&check);
        assert_eq!(
            found[0].message(WHERE),
            format!("You judged {WHERE} unsuitable: Too little time before release. Release is in 3 days")
        );
        assert!(matches!(
            &found[0],
            Finding::Unsuitable(u) if u.reason() == UnsuitabilityReason::TooLittleTime
        ));
    }

    #[test]
    fn every_gap_is_listed_together() {
        let check = AddressCheck {
            electricity_supply: Some(false),
            home_visit_on: None,
            check_references: vec![reference(POLICE_CHECK)],
            risk_to_women_and_children: None,
            ..suitable_check()
        };
        assert_eq!(
            fields(&check),
            [
                "electricity_supply",
                "home_visit",
                format!("check_references[{CS_CHECK}]").as_str(),
                "risk_to_women_and_children",
            ]
        );
    }

    #[test]
    fn an_address_may_be_approved_only_once_assessed_suitable_for_that_purpose() {
        let approved = may_approve(
            &suitable_check(),
            CurfewPurpose::HomeDetentionCurfew,
            today(),
        );
        assert!(approved.is_ok());
        let unvisited = AddressCheck {
            home_visit_on: None,
            ..suitable_check()
        };
        let error =
            may_approve(&unvisited, CurfewPurpose::HomeDetentionCurfew, today()).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("{WHERE} cannot be approved for home detention curfew: Visit {WHERE} and record the home visit: an address cannot be approved without one")
        );
    }

    #[test]
    fn an_address_checked_for_one_purpose_cannot_be_approved_for_another() {
        let check = AddressCheck {
            purpose: CurfewPurpose::CurfewRequirement,
            ..suitable_check()
        };
        let error = may_approve(&check, CurfewPurpose::HomeDetentionCurfew, today()).unwrap_err();
        assert_eq!(
            error,
            ApprovalRefused::DifferentPurpose {
                checked: CurfewPurpose::CurfewRequirement,
                wanted: CurfewPurpose::HomeDetentionCurfew
            }
        );
        assert!(error
            .to_string()
            .ends_with("check it for home detention curfew before approving it"));
    }

    #[test]
    fn approval_reassesses_the_facts_as_they_are_now() {
        // A child has moved in since the address was judged suitable.
        let check = AddressCheck {
            residents: vec![brother(), child()],
            checks: vec![answered(POLICE_CHECK, CheckKind::PoliceDomesticAbuse)],
            check_references: vec![reference(POLICE_CHECK)],
            ..own_flat()
        };
        assert!(matches!(
            may_approve(&check, CurfewPurpose::HomeDetentionCurfew, today()),
            Err(ApprovalRefused::NotSuitable { findings, .. }) if findings.len() == 2
        ));
    }

    #[test]
    fn dated_notes_need_text_and_a_date_not_in_the_future() {
        assert_eq!(
            DatedNote::parse(date(2026, 12, 22), "Spoke to VLO", today()),
            Err(InvalidDatedNote::InFuture)
        );
        assert_eq!(
            DatedNote::parse(today(), " ", today()),
            Err(InvalidDatedNote::Note(TextError::Missing))
        );
    }

    #[test]
    fn check_evidence_is_read_from_partner_requests() {
        use crate::crn::Crn;
        use crate::partner::{
            CheckRequest, DeadlineRules, OrganisationName, PartnerOrganisation,
            PartnerOrganisationCode, PartnerOrganisationKind, RequestType,
        };
        let police = PartnerOrganisation {
            id: Uuid::from_u128(50),
            code: PartnerOrganisationCode::parse("LINCS-POLICE").unwrap(),
            name: OrganisationName::parse("Lincolnshire Police").unwrap(),
            kind: PartnerOrganisationKind::PoliceForce,
        };
        let request = CheckRequest::draft(
            POLICE_CHECK,
            Crn::parse("X123456").unwrap(),
            RequestType::PoliceDomesticAbuse,
            police.clone(),
            Some(ADDRESS),
        )
        .unwrap()
        .send(&DeadlineRules::reference(), date(2026, 12, 1))
        .unwrap();
        let evidence = CheckEvidence::from_request(&request).unwrap();
        assert_eq!(evidence.kind, CheckKind::PoliceDomesticAbuse);
        assert_eq!(evidence.status, RequestStatus::Sent);
        assert_eq!(evidence.due_by, Some(date(2026, 12, 15)));
        let occupier = CheckRequest::draft(
            Uuid::from_u128(51),
            Crn::parse("X123456").unwrap(),
            RequestType::Occupier,
            police,
            Some(ADDRESS),
        )
        .unwrap();
        assert_eq!(CheckEvidence::from_request(&occupier), None);
    }
}
