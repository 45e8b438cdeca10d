//! The words of the demo's risk work: analyses, agency responses, notes and review details,
//! short and specific to the case, as a practitioner would write them.

use crate::model::{Address, Event, HouseholdMember, Person, Registration};
use crate::random::DemoRng;
use chrono::{Datelike, NaiveDate};
use keepsafe_domain::age::{age_on, is_child_on};
use keepsafe_domain::checks::CheckKind;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::event::OffenceCategory::{self, *};
use keepsafe_domain::household::Relationship;
use keepsafe_domain::review::ReviewTrigger;
use keepsafe_domain::rosh::{RiskGroup, RoshLevel};
use keepsafe_domain::CodedValue;

/// Who the analysis is about, as it stood on the day it was written.
pub(crate) struct Subject<'a> {
    pub first_name: &'a str,
    pub partner: Option<&'a HouseholdMember>,
    /// Children in the household with their ages.
    pub children: Vec<(&'a HouseholdMember, u32)>,
    pub domestic_abuse: bool,
    /// How many others live with the person.
    pub household: usize,
}

impl<'a> Subject<'a> {
    pub(crate) fn new(
        person: &'a Person,
        household: &[&'a HouseholdMember],
        day: NaiveDate,
        domestic_abuse: bool,
    ) -> Self {
        Self {
            first_name: &person.first_name,
            partner: household
                .iter()
                .copied()
                .find(|m| m.relationship == Relationship::Partner),
            children: household
                .iter()
                .filter_map(|m| {
                    let born = m.date_of_birth?;
                    is_child_on(born, day).then(|| (*m, age_on(born, day).unwrap_or(0)))
                })
                .collect(),
            domestic_abuse,
            household: household.len(),
        }
    }

    fn children_names(&self) -> String {
        let names: Vec<String> = self
            .children
            .iter()
            .map(|(child, age)| format!("{}, {age}", child.first_name))
            .collect();
        names.join("; ")
    }
}

/// The five written parts of an assessment.
#[derive(Debug, Default)]
pub(crate) struct Analysis {
    pub nature_of_harm: String,
    pub who_is_at_risk: String,
    pub imminence: String,
    pub increasing_factors: String,
    pub reducing_factors: String,
}

fn long_date(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

fn pick(rng: &mut DemoRng, items: &[&str]) -> String {
    (*rng.pick(items)).to_owned()
}

/// The analysis for the case's offence, flags, household and levels.
pub(crate) fn analysis(
    rng: &mut DemoRng,
    subject: &Subject,
    event: &Event,
    levels: &[(RiskGroup, RoshLevel)],
) -> Analysis {
    let level = levels
        .iter()
        .map(|(_, level)| *level)
        .max()
        .unwrap_or(RoshLevel::Low);
    Analysis {
        nature_of_harm: format!(
            "Index offence: {}. {}",
            event.offence_description,
            nature_of_harm(
                rng,
                subject,
                event.offence_category,
                &event.offence_description
            )
        ),
        who_is_at_risk: who_is_at_risk(rng, subject, event.offence_category, levels),
        imminence: imminence(rng, level),
        increasing_factors: factors(rng, &increasing(subject, event.offence_category)),
        reducing_factors: factors(rng, &reducing(subject, event.offence_category)),
    }
}

fn nature_of_harm(
    rng: &mut DemoRng,
    subject: &Subject,
    category: OffenceCategory,
    description: &str,
) -> String {
    if subject.domestic_abuse && !category.is_sexual() {
        return pick(rng, &[
            "Physical violence and coercive, controlling behaviour towards an intimate partner, causing injury, fear and lasting psychological harm.",
            "Assaults on a partner during arguments, including grabbing by the throat, with emotional harm to any children who see or hear it.",
            "Jealous, controlling behaviour that escalates to violence when a relationship is ending; risk of serious injury to a partner.",
        ]);
    }
    match category {
        SexualChildren => pick(rng, &[
            "Sexual abuse of children, including online grooming and viewing indecent images, causing serious and lasting psychological harm.",
            "Contact sexual offending against children in families befriended, causing serious and lasting psychological harm.",
        ]),
        SexualNotChildren => pick(rng, &[
            "Sexual assault of adult women, causing serious physical and psychological harm.",
            "Sexual assault of a woman recently met while both were drinking; serious psychological harm to the victim.",
        ]),
        Violence => violence(rng, description),
        Robbery => "Violence and threats during street robberies or robberies of shop staff, causing injury and lasting fear.".into(),
        BurglaryDomestic => "Burglary of occupied homes at night, causing householders fear and lasting distress; no violence used so far.".into(),
        DrugPossessionSupply | DrugImportExportProduction => "Harm to vulnerable drug users and to young people drawn into supply; violence linked to drug debts.".into(),
        PublicOrder | CriminalDamage => "Threatening, aggressive behaviour in public places and damage to property when angry; potential for injury to bystanders.".into(),
        DrinkDriving | OtherMotoring | VehicleTheft => "Death or serious injury to other road users from driving while drunk, disqualified or dangerously.".into(),
        _ => pick(rng, &[
            "Financial loss and distress to victims of acquisitive offending; no indicators of serious physical or psychological harm.",
            "Distress and loss to victims; no history of violence and nothing to suggest serious harm.",
        ]),
    }
}

/// Violence, described from what the index offence was.
fn violence(rng: &mut DemoRng, description: &str) -> String {
    let offence = description.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|word| offence.contains(word));
    if has(&[
        "murder",
        "manslaughter",
        "grievous",
        "wounding",
        "threats to kill",
    ]) {
        "Life-threatening or life-changing injury from the use of a weapon or sustained violence in confrontations with acquaintances.".into()
    } else if has(&["emergency worker"]) {
        "Assaults on police officers, paramedics and other emergency workers when arrested or intoxicated; injuries so far minor but could be serious.".into()
    } else if has(&["stalking", "harassment"]) {
        "Persistent unwanted contact and threats that cause fear of violence and serious psychological harm to the person targeted.".into()
    } else {
        pick(rng, &[
            "Physical injury from assaults, including punches and kicks to the head, most often in the night-time economy after drinking.",
            "Violence towards acquaintances or strangers when frustrated or intoxicated; injuries so far moderate but could be serious.",
        ])
    }
}

fn who_is_at_risk(
    rng: &mut DemoRng,
    subject: &Subject,
    category: OffenceCategory,
    levels: &[(RiskGroup, RoshLevel)],
) -> String {
    let mut text = if subject.domestic_abuse && !category.is_sexual() {
        match subject.partner {
            Some(partner) => format!(
                "{} {}, the current partner, and any future partners.",
                partner.first_name, partner.last_name
            ),
            None if category == Violence => "Former and future intimate partners, in particular the victim of the index offence.".into(),
            None => "Former and future intimate partners.".into(),
        }
    } else {
        match category {
            SexualChildren => "Children, particularly girls aged 10 to 15 contacted online, and children in families befriended.".into(),
            SexualNotChildren => "Adult women, particularly lone women at night.".into(),
            Violence | Robbery => pick(rng, &[
                "Members of the public in the night-time economy, known associates, and police and door staff.",
                "Acquaintances in disputes over money or drugs; members of the public who intervene.",
            ]),
            PublicOrder | CriminalDamage => "Members of the public and bystanders during disputes; neighbours.".into(),
            BurglaryDomestic => "Householders in the area, especially older people living alone.".into(),
            DrugPossessionSupply | DrugImportExportProduction => "Vulnerable adults and young people drawn into supply.".into(),
            DrinkDriving | OtherMotoring | VehicleTheft => "Other road users and pedestrians.".into(),
            _ => "No identifiable victims of serious harm; victims of acquisitive offending.".into(),
        }
    };
    if !subject.children.is_empty() {
        let level = levels
            .iter()
            .find(|(group, _)| *group == RiskGroup::Children)
            .map(|(_, level)| level.label().to_lowercase())
            .unwrap_or_else(|| "low".into());
        text.push_str(&format!(
            " Children in the household ({}): {level} risk.",
            subject.children_names()
        ));
    }
    if levels
        .iter()
        .any(|(group, level)| *group == RiskGroup::Staff && *level >= RoshLevel::Medium)
    {
        text.push_str(" Staff: has been abusive and threatening when challenged.");
    }
    text
}

fn imminence(rng: &mut DemoRng, level: RoshLevel) -> String {
    match level {
        RoshLevel::Low => pick(rng, &[
            "Serious harm is not expected: no current indicators.",
            "No current indicators of serious harm; nothing suggests this will change soon.",
        ]),
        RoshLevel::Medium => pick(rng, &[
            "Unlikely unless circumstances change: a relapse into drinking, losing accommodation or a relationship ending would raise the risk.",
            "Not imminent. Would rise if drug use resumes or if the person loses their accommodation.",
        ]),
        RoshLevel::High => pick(rng, &[
            "Could happen at any time, particularly during conflict with a partner or when drinking, and the impact would be serious.",
            "Could happen at any time if the person feels challenged or rejected; the impact would be serious.",
        ]),
        RoshLevel::VeryHigh => "Imminent: recent threats and police intelligence indicate harm is more likely than not without immediate action; MAPPA actions in place.".into(),
    }
}

fn increasing(subject: &Subject, category: OffenceCategory) -> Vec<&'static str> {
    let mut factors = vec![
        "Alcohol misuse, especially binge drinking at weekends",
        "Cocaine use",
        "Unstable accommodation",
        "Unemployment and debt",
        "Poor emotional control under stress",
        "Minimises the index offence",
    ];
    if subject.domestic_abuse {
        factors.extend([
            "Jealous, controlling attitudes towards partners",
            "Conflict over child contact",
            "Relationship instability",
        ]);
    }
    if category.is_sexual() {
        factors.extend([
            "Sexual preoccupation",
            "Isolation and loneliness",
            "Unsupervised internet use",
        ]);
    }
    if matches!(category, Violence | Robbery | DrugPossessionSupply) {
        factors.push("Association with peers involved in violence and drug supply");
    }
    factors
}

fn reducing(subject: &Subject, category: OffenceCategory) -> Vec<&'static str> {
    let mut factors = vec![
        "Attends appointments and engages well with supervision",
        "Supportive family",
        "In work",
        "Registered with a GP and taking prescribed medication",
        "Stable accommodation",
    ];
    if subject.domestic_abuse {
        factors.extend([
            "Engaging with Building Better Relationships",
            "No-contact condition and exclusion zone",
        ]);
    }
    if category.is_sexual() {
        factors.push("Engaging with Horizon; device checks by the police");
    }
    if !subject.children.is_empty() {
        factors.push("Motivated to keep contact with their children");
    }
    factors
}

/// Two or three distinct factors as one sentence.
fn factors(rng: &mut DemoRng, pool: &[&'static str]) -> String {
    let mut chosen: Vec<&str> = pool.to_vec();
    rng.shuffle(&mut chosen);
    chosen.truncate(rng.range(2..=3));
    format!("{}.", chosen.join("; "))
}

/// The police's answer to a domestic-abuse check received on `received`.
pub(crate) fn police_summary(
    rng: &mut DemoRng,
    known: bool,
    domestic_abuse: bool,
    received: NaiveDate,
) -> String {
    let year = received.year() - rng.range(0..=2);
    match (known, domestic_abuse) {
        (true, true) => match rng.range(0..4) {
            0 => format!("Two call-outs to the address in {year}, no arrests."),
            1 => format!(
                "Three domestic incidents recorded since {} involving the current partner; arrested once in {year}, no further action.",
                year - 1
            ),
            2 => format!("DASH risk assessment graded medium after an incident in {year}; discussed at MARAC."),
            _ => format!("Verbal arguments at the address in {year}; partner declined to support a prosecution."),
        },
        (true, false) => match rng.range(0..2) {
            0 => format!("One call-out to the address in {year} (a dispute with a neighbour); no domestic-abuse concerns recorded."),
            _ => format!(
                "One domestic incident with a previous partner in {}; nothing recorded at this address.",
                year - 2
            ),
        },
        (false, _) => pick(rng, &[
            "No domestic-abuse call-outs recorded for the person or the address.",
            "Not known to police at this address; no domestic-abuse history held.",
            "No trace of domestic incidents involving the person or the household.",
        ]),
    }
}

/// Children's services' answer to a safeguarding check received on `received`.
pub(crate) fn childrens_summary(
    rng: &mut DemoRng,
    known: bool,
    registration: bool,
    received: NaiveDate,
) -> String {
    let year = received.year() - rng.range(0..=1);
    match (known, registration) {
        (true, true) => match rng.range(0..2) {
            0 => format!("Open child protection plan (neglect) since {year}; social worker allocated."),
            _ => format!("Child in need plan since {year} after a police notification of domestic abuse; plan remains open."),
        },
        (true, false) => match rng.range(0..2) {
            0 => format!("Referral in {year} after a police notification; assessed, no further action."),
            _ => format!("Child in need plan closed in {year}; no current involvement."),
        },
        (false, _) => pick(rng, &[
            "Not known to children's services.",
            "No record of the children or the household on the local authority's systems.",
        ]),
    }
}

/// How a check response informs the analysis.
pub(crate) fn reference(
    rng: &mut DemoRng,
    kind: CheckKind,
    known: bool,
    subject: &Subject,
) -> String {
    match (kind, known) {
        (CheckKind::PoliceDomesticAbuse, true) if subject.domestic_abuse => {
            let partner = subject
                .partner
                .map(|p| format!(" and the need for a safety plan with {}", p.first_name))
                .unwrap_or_default();
            format!("The call-outs show a pattern of conflict with partners; they support the level for a known adult{partner}.")
        }
        (CheckKind::PoliceDomesticAbuse, true) => "The recorded incident was not domestic abuse; noted, but it does not change the level for a known adult.".into(),
        (CheckKind::PoliceDomesticAbuse, false) => format!(
            "No recorded domestic incidents; consistent with what {}{}, so the level for a known adult rests on the other sources.",
            subject.first_name,
            if subject.household > 0 {
                " and the household say"
            } else {
                " says"
            }
        ),
        (CheckKind::ChildrensServices, true) => pick(rng, &[
            "Children's services' involvement confirms the children have been affected; it informs the level for children and joint work with the social worker.",
            "The local authority's history is considered in the level for children; the plan's actions are part of the risk management plan.",
        ]),
        (CheckKind::ChildrensServices, false) => "Not known to children's services and no concerns from school; considered in the level for children.".into(),
    }
}

/// A note on a check made for an earlier assessment, re-read for this one.
pub(crate) fn earlier_reference(kind: CheckKind, requested_on: NaiveDate) -> String {
    let what = match kind {
        CheckKind::PoliceDomesticAbuse => "police check",
        CheckKind::ChildrensServices => "children's services check",
    };
    format!(
        "Earlier {what} (requested {}) re-read: nothing in it changes the analysis.",
        long_date(requested_on)
    )
}

/// The practitioner's note on a member of the household.
pub(crate) fn consideration(
    rng: &mut DemoRng,
    member: &HouseholdMember,
    subject: &Subject,
) -> String {
    let name = &member.first_name;
    if let Some((_, age)) = subject
        .children
        .iter()
        .find(|(child, _)| child.id == member.id)
    {
        return if subject.domestic_abuse {
            format!("{name} (age {age}) may see or hear conflict at home: the emotional harm is considered in the level for children.")
        } else {
            format!("{name} (age {age}): no concerns from school or the family; considered in the level for children.")
        };
    }
    match member.relationship {
        Relationship::Partner if subject.domestic_abuse => {
            if rng.chance(0.5) {
                format!("{name} is a potential victim: seen alone at a home visit; safety plan discussed and IDVA details given.")
            } else {
                format!("{name} is a potential victim: spoken to alone by phone, says they feel safe at present; referred to the IDVA service.")
            }
        }
        Relationship::Partner => format!(
            "{name} lives with {}; no disclosures of abuse; supportive of the order.",
            subject.first_name
        ),
        Relationship::ExPartner => format!(
            "{name} was still living at the address; contact and the move-out date reviewed."
        ),
        Relationship::Parent | Relationship::Grandparent => format!(
            "{name} ({}): aware of the offence and supportive; no risk identified.",
            member.relationship.label().to_lowercase()
        ),
        Relationship::Child | Relationship::Stepchild | Relationship::PartnersChild => {
            format!("{name} (adult): no concerns identified.")
        }
        Relationship::Sibling | Relationship::OtherRelative => {
            format!("{name} shares the house; no concerns identified.")
        }
        Relationship::Friend | Relationship::Lodger => format!(
            "{name} ({}) shares the house; not related; no concerns identified.",
            member.relationship.label().to_lowercase()
        ),
    }
}

/// A change in circumstances behind a review task.
pub(crate) enum Change<'a> {
    Moved(&'a Address),
    Joined(&'a HouseholdMember),
    Left(&'a HouseholdMember),
    Released(Option<&'a Address>),
    Mappa(&'a Registration),
    Other(ReviewTrigger),
}

/// What the review's details depend on, as things stood when the change happened.
pub(crate) struct Circumstances<'a> {
    pub case_type: CaseType,
    pub partner: Option<&'a HouseholdMember>,
    pub children_at_home: bool,
    pub curfew: bool,
}

/// The details a practitioner records with the change.
pub(crate) fn review_details(
    rng: &mut DemoRng,
    change: &Change,
    circumstances: &Circumstances,
    occurred_on: NaiveDate,
) -> String {
    match change {
        Change::Moved(address) => format!(
            "Moved to {}, {} on {}: the new household and address need checking.",
            address.line1,
            address.town,
            long_date(occurred_on)
        ),
        Change::Joined(member) => match member.date_of_birth {
            Some(born) if is_child_on(born, occurred_on) => format!(
                "{} {}, a child aged {}, now lives at the address.",
                member.first_name,
                member.last_name,
                age_on(born, occurred_on).unwrap_or(0)
            ),
            _ => format!(
                "{} {} ({}) has moved into the household.",
                member.first_name,
                member.last_name,
                member.relationship.label().to_lowercase()
            ),
        },
        Change::Left(member) => format!(
            "{} {} ({}) has moved out of the household.",
            member.first_name,
            member.last_name,
            member.relationship.label().to_lowercase()
        ),
        Change::Released(address) => match address {
            Some(address) => format!(
                "Released from custody on {} to {}, {}.",
                long_date(occurred_on),
                address.line1,
                address.town
            ),
            None => format!("Released from custody on {}.", long_date(occurred_on)),
        },
        Change::Mappa(registration) => format!(
            "MAPPA: {}; {}.",
            registration
                .mappa_category
                .map(|c| c.label())
                .unwrap_or("category not recorded"),
            registration
                .mappa_level
                .map(|l| l.label().to_lowercase())
                .unwrap_or_default()
        ),
        Change::Other(trigger) => match trigger {
            ReviewTrigger::DomesticAbuseIncident => match circumstances.partner {
                Some(partner) => format!(
                    "Police called to the address after an argument with {}; no arrest. Reported by the police domestic abuse unit.",
                    partner.first_name
                ),
                None => pick(rng, &[
                    "Police called to a former partner's address after threats were made; no arrest.",
                    "New partner disclosed being pushed during an argument; police informed.",
                ]),
            },
            ReviewTrigger::PartnerInformation => {
                let mut news = if circumstances.case_type == CaseType::Custody {
                    vec![
                        "Prison security intelligence: calls to the victim of the index offence from another prisoner's phone account.",
                        "Police report that a former partner has moved near the proposed release address.",
                        "Prison reports a fight with another prisoner; adjudication pending.",
                    ]
                } else {
                    vec![
                        "Police intelligence: seen with associates involved in drug supply.",
                        "Housing provider reports complaints from neighbours about shouting at the address.",
                    ]
                };
                if circumstances.children_at_home {
                    news.push("Children's services report a referral from a school about a child in the household.");
                }
                pick(rng, &news)
            }
            ReviewTrigger::ArrestOrCharge => pick(rng, &[
                "Arrested on suspicion of assault; released under investigation.",
                "Charged with shoplifting; first hearing at the magistrates' court next month.",
                "Arrested for criminal damage at a former partner's address; bailed with conditions.",
            ]),
            ReviewTrigger::Breach => {
                let mut breaches = if circumstances.case_type == CaseType::Licence {
                    vec![
                        "Missed two appointments without an acceptable reason; licence warning issued.",
                        "Tested positive for cocaine against a licence condition.",
                        "Stayed away from the approved address overnight without permission.",
                    ]
                } else {
                    vec![
                        "Missed two appointments without an acceptable reason; warning letter sent.",
                        "Failed to attend unpaid work twice without an acceptable reason; final warning issued.",
                    ]
                };
                if circumstances.curfew {
                    breaches.push("Curfew violations reported by the electronic monitoring provider.");
                }
                pick(rng, &breaches)
            }
            other => other.label().to_owned(),
        },
    }
}
