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

fn long_date(date: &NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
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
