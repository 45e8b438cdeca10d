//! The legacy two-axis tier (reference §10, first part): a protect letter A–D for the risk of harm
//! the person poses and a change level 0–3 for how much their reoffending could be reduced,
//! written together as e.g. "B2", with an "S" after it ("B2S") for a case under the "two-thirds"
//! unsupervised registration.
//!
//! The rules are those of the service's public tiering service as coded in August 2026, which
//! reference §10 was corrected to: RSR counts only from 3.00 to 6.99 and from 7.00 to 99.99, the
//! MAPPA *level* (never the category) gives points, and the women's factors that are answers in
//! the needs assessment count only when there is one.

use super::{
    check_percentage, Contribution, InvalidTieringInput, RoshLevel, LEGACY_TIERING_RULE_VERSION,
};
use crate::coded_enum;
use crate::codes::{CodedValue, UnknownCode};
use crate::needs::Section;
use crate::person::Sex;
use crate::registration::{MappaLevel, RegistrationKind};
use crate::requirement::RequirementKind;
use std::collections::BTreeMap;

coded_enum! {
    /// The protect axis: A is the highest risk of harm, D the lowest.
    pub enum ProtectLetter ("protect tier") {
        A => "A", "A",
        B => "B", "B",
        C => "C", "C",
        D => "D", "D",
    }
}

/// The registrations that add complexity to the protect score, 2 points each, each counted once
/// however often it is recorded (reference §10): mental health issues, attempted suicide or
/// self-harm, vulnerability, child concerns, child protection, risk to children, public interest,
/// adult at risk, street gangs and terrorism act offender.
///
/// Domestic abuse (perpetrator or victim), stalking, MAPPA (scored through its level) and
/// integrated offender management (scored on the change axis) do not add complexity.
pub const COMPLEXITY_REGISTRATIONS: [RegistrationKind; 10] = [
    RegistrationKind::MentalHealthIssues,
    RegistrationKind::SuicideOrSelfHarm,
    RegistrationKind::Vulnerability,
    RegistrationKind::ChildConcerns,
    RegistrationKind::ChildProtection,
    RegistrationKind::RiskToChildren,
    RegistrationKind::PublicInterest,
    RegistrationKind::AdultAtRisk,
    RegistrationKind::StreetGangs,
    RegistrationKind::TerrorismActOffender,
];

/// Points per distinct complexity registration and per women's factor.
const COMPLEXITY_POINTS: i32 = 2;
/// RSR from 7.00% to 99.99% gives 20 protect points (reference §10). The legacy rule's cut is
/// 7.00, not the 6.9 of the RSR "high" band in reference §11, and an RSR above 99.99 gives none:
/// the service codes the band as a closed range.
pub const RSR_20_POINTS: (f64, f64) = (7.00, 99.99);
/// RSR from 3.00% to 6.99% gives 10 protect points. A value between 6.99 and 7.00 (6.995) is in
/// neither range and gives none, as in the service.
pub const RSR_10_POINTS: (f64, f64) = (3.00, 6.99);
/// Integrated offender management nominals get these extra change points.
const IOM_CHANGE_POINTS: i32 = 2;

/// Whether a registration adds complexity points (see [`COMPLEXITY_REGISTRATIONS`]).
pub fn counts_for_complexity(kind: RegistrationKind) -> bool {
    COMPLEXITY_REGISTRATIONS.contains(&kind)
}

/// Protect points from RSR: 7.00–99.99% → 20; 3.00–6.99% → 10; anything else → 0. The bounds are
/// compared as the decimals they are written as (see [`super`] on scores and decimals).
pub fn rsr_protect_points(rsr_percent: f64) -> i32 {
    let within = |(from, to): (f64, f64)| (from..=to).contains(&rsr_percent);
    if within(RSR_20_POINTS) {
        20
    } else if within(RSR_10_POINTS) {
        10
    } else {
        0
    }
}

/// Protect points from RoSH: very high 150, high 20, medium 10, low 0.
pub fn rosh_protect_points(rosh: RoshLevel) -> i32 {
    match rosh {
        RoshLevel::VeryHigh => 150,
        RoshLevel::High => 20,
        RoshLevel::Medium => 10,
        RoshLevel::Low => 0,
    }
}

/// Protect points from the MAPPA level: level 2 or 3 → 150 (tier A on its own); level 1 → 5.
/// The MAPPA category plays no part in the legacy tier.
pub fn mappa_protect_points(level: MappaLevel) -> i32 {
    match level {
        MappaLevel::ActiveMultiAgency | MappaLevel::SeniorOversight => 150,
        MappaLevel::Ordinary => 5,
    }
}

/// The protect letter for a number of protect points: A ≥ 150; B 20–149; C 10–19; D < 10.
pub fn protect_letter(points: i32) -> ProtectLetter {
    if points >= 150 {
        ProtectLetter::A
    } else if points >= 20 {
        ProtectLetter::B
    } else if points >= 10 {
        ProtectLetter::C
    } else {
        ProtectLetter::D
    }
}

/// The change level for a number of change points, once there is a mandate for change and a
/// needs assessment: 3 if ≥ 20, 2 if 10–19, else 1.
pub fn change_level(points: i32) -> u8 {
    if points >= 20 {
        3
    } else if points >= 10 {
        2
    } else {
        1
    }
}

/// Change points from OGRS: the percentage divided by ten, rounded down (59% → 5).
pub fn ogrs_change_points(ogrs_percent: u8) -> i32 {
    i32::from(ogrs_percent / 10)
}

/// Whether a woman has parenting responsibilities by the household on the record: at least one
/// child under 18 living with her. The tiering rules take parenting responsibilities from the
/// needs assessment ([`NeedsAssessment::parenting_responsibilities`]); this is what the record
/// says, for a note beside the tier or to prefill the assessment's answer. A man never has them
/// here: women's factors count only for women (reference §10).
pub fn has_parenting_responsibilities(sex: Sex, children_under_18_at_home: usize) -> bool {
    sex == Sex::Female && children_under_18_at_home > 0
}

coded_enum! {
    /// How severe a criminogenic need is in the needs assessment.
    #[derive(Default)]
    pub enum NeedSeverity ("need severity") {
        #[default]
        NoNeed => "none", "No need",
        Standard => "standard", "Standard",
        Severe => "severe", "Severe",
    }
}

impl NeedSeverity {
    /// The severity's score: none 0, standard 1, severe 2.
    pub fn score(self) -> i32 {
        match self {
            NeedSeverity::NoNeed => 0,
            NeedSeverity::Standard => 1,
            NeedSeverity::Severe => 2,
        }
    }

    /// The severity with this score, `None` outside 0–2.
    pub fn from_score(score: i64) -> Option<Self> {
        match score {
            0 => Some(NeedSeverity::NoNeed),
            1 => Some(NeedSeverity::Standard),
            2 => Some(NeedSeverity::Severe),
            _ => None,
        }
    }
}

/// What the legacy tier reads from a needs assessment: a severity per section, and the two
/// answers that are women's factors on the protect axis. Whether the assessment is recent enough
/// to use is the caller's decision: the service does not check its age (reference §10).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeedsAssessment {
    /// The severity of each section; a section not listed has no need.
    pub severities: BTreeMap<Section, NeedSeverity>,
    /// The answer on parenting responsibilities (counted for women only).
    pub parenting_responsibilities: bool,
    /// The answer on impulsivity or temper control problems, counted once even when both are
    /// present (for women only).
    pub impulsivity_or_temper: bool,
}

impl NeedsAssessment {
    /// This assessment with `section` at `severity`.
    pub fn with(mut self, section: Section, severity: NeedSeverity) -> Self {
        self.severities.insert(section, severity);
        self
    }

    /// The severity of a section; no need when it is not listed.
    pub fn severity(&self, section: Section) -> NeedSeverity {
        self.severities.get(&section).copied().unwrap_or_default()
    }
}

/// What the change axis reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeInputs {
    /// False when no current event has a custodial sentence or a requirement other than unpaid
    /// work or restrictive ones (curfew, exclusion, prohibited activity), and when there is no
    /// current event at all: then there is nothing to change through and the change level is 0.
    pub has_mandate_for_change: bool,
    /// `None` when there is no needs assessment: the change level is then 2, and OGRS and
    /// integrated offender management are not looked at.
    pub needs_assessment: Option<NeedsAssessment>,
    pub ogrs_percent: Option<u8>,
    /// Whether the person is an integrated offender management nominal. Callers derive it, e.g.
    /// from [`RegistrationKind::IntegratedOffenderManagement`]; this module does not read the
    /// registrations for it.
    pub iom_nominal: bool,
}

/// Whether there is a mandate for change ([`ChangeInputs::has_mandate_for_change`]): a custodial
/// sentence, or any active requirement that gives one (see
/// [`RequirementKind::gives_mandate_for_change`]), on a current event. The caller passes only
/// current events' sentences and requirements, so no current event gives no mandate.
pub fn has_mandate_for_change(
    custodial: bool,
    requirements: impl IntoIterator<Item = RequirementKind>,
) -> bool {
    custodial
        || requirements
            .into_iter()
            .any(RequirementKind::gives_mandate_for_change)
}

/// Everything the legacy tier reads.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyTierInputs {
    pub rsr_percent: Option<f64>,
    /// The level of the latest RoSH assessment (or registration).
    pub rosh: Option<RoshLevel>,
    /// The level of the latest MAPPA registration that has a valid level.
    pub mappa_level: Option<MappaLevel>,
    /// Active registrations; duplicates are allowed and counted once.
    pub registrations: Vec<RegistrationKind>,
    pub sex: Sex,
    /// A breach or recall: a women's factor, counted only when `sex` is female.
    pub breach_or_recall: bool,
    /// Under the "two-thirds" unsupervised registration: the tier as written gets an "S".
    pub unsupervised: bool,
    pub change: ChangeInputs,
}

/// A computed legacy tier with its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyTier {
    pub protect: ProtectLetter,
    /// 0–3.
    pub change: u8,
    /// Under the "two-thirds" unsupervised registration: written with an "S".
    pub unsupervised: bool,
    pub protect_points: i32,
    /// `None` when the change level was set without points: no mandate for change (0) or no
    /// needs assessment (2).
    pub change_points: Option<i32>,
    /// Every factor looked at, in the order protect then change, each followed by its total.
    pub contributions: Vec<Contribution>,
    pub rule_version: &'static str,
}

impl LegacyTier {
    /// Computes the tier. Refuses an RSR that is not a percentage or an OGRS above 100, rather
    /// than computing a tier from a score that cannot be right.
    pub fn compute(inputs: &LegacyTierInputs) -> Result<Self, InvalidTieringInput> {
        if let Some(rsr) = inputs.rsr_percent {
            check_percentage("RSR", rsr)?;
        }
        if let Some(ogrs) = inputs.change.ogrs_percent {
            check_percentage("OGRS", f64::from(ogrs))?;
        }

        let mut contributions = Vec::new();
        let protect_points = protect_points(inputs, &mut contributions);
        let protect = protect_letter(protect_points);
        contributions.push(Contribution::counted(
            format!("Protect points: {protect_points}"),
            None,
            format!("gives protect tier {protect}"),
        ));

        let (change, change_points) = change(&inputs.change, &mut contributions);
        if inputs.unsupervised {
            contributions.push(Contribution::counted(
                "Registration: two-thirds unsupervised",
                None,
                "adds S to the tier as written; workload still counts the tier without it",
            ));
        }

        Ok(Self {
            protect,
            change,
            unsupervised: inputs.unsupervised,
            protect_points,
            change_points,
            contributions,
            rule_version: LEGACY_TIERING_RULE_VERSION,
        })
    }

    /// The tier as stored and as workload points are keyed, e.g. "B2": one of sixteen codes,
    /// whether or not the case is unsupervised.
    pub fn code(&self) -> LegacyTierCode {
        LegacyTierCode {
            protect: self.protect,
            change: self.change,
        }
    }

    /// The tier as written for people and analysts: the code, with "S" after it for a case under
    /// the "two-thirds" unsupervised registration ("B2S").
    pub fn written(&self) -> WrittenLegacyTier {
        WrittenLegacyTier {
            code: self.code(),
            unsupervised: self.unsupervised,
        }
    }
}

/// A legacy tier as written: the code, and the "S" of the "two-thirds" unsupervised registration.
/// Kept apart from [`LegacyTierCode`] so that storage and workload, keyed on the sixteen codes,
/// never meet a seventeenth-and-more spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrittenLegacyTier {
    pub code: LegacyTierCode,
    pub unsupervised: bool,
}

impl std::fmt::Display for WrittenLegacyTier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code.code())?;
        if self.unsupervised {
            f.write_str("S")?;
        }
        Ok(())
    }
}

/// Adds up the protect points, explaining each factor.
fn protect_points(inputs: &LegacyTierInputs, contributions: &mut Vec<Contribution>) -> i32 {
    let mut total = rsr_or_rosh_points(inputs, contributions);

    if let Some(level) = inputs.mappa_level {
        let points = mappa_protect_points(level);
        total += points;
        contributions.push(Contribution::counted(
            format!("MAPPA: level {}", level.code()),
            Some(points),
            format!("{points} protect points"),
        ));
    }

    total += complexity_points(&inputs.registrations, contributions);
    total += womens_factor_points(inputs, contributions);
    total
}

/// The higher of the RSR and RoSH points, explaining both.
fn rsr_or_rosh_points(inputs: &LegacyTierInputs, contributions: &mut Vec<Contribution>) -> i32 {
    // Only the higher of the RSR and RoSH points counts; on a tie RoSH is the one shown as counted.
    let rsr_points = inputs.rsr_percent.map(rsr_protect_points);
    let rosh_points = inputs.rosh.map(rosh_protect_points);
    let rosh_counts = rosh_points.is_some_and(|rosh| rosh >= rsr_points.unwrap_or(0));
    let rsr_counts = rsr_points.is_some_and(|points| points > 0) && !rosh_counts;

    match (inputs.rsr_percent, rsr_points) {
        (Some(rsr), Some(points)) if rsr_counts => contributions.push(Contribution::counted(
            format!("RSR: {rsr}%"),
            Some(points),
            format!("{points} protect points"),
        )),
        (Some(rsr), Some(points)) => {
            let rosh = rosh_points.unwrap_or(0);
            let why = if points == 0 {
                "an RSR from 3.00% to 6.99% gives 10 points, from 7.00% to 99.99% gives 20, and \
                 any other gives none"
            } else if rosh == points {
                "RoSH gives as many and only one of RSR and RoSH counts"
            } else {
                "RoSH gives more and only the higher of RSR and RoSH counts"
            };
            contributions.push(Contribution::set_aside(
                format!("RSR: {rsr}%"),
                Some(points),
                format!("{points} protect points, not counted: {why}"),
            ))
        }
        _ => contributions.push(Contribution::set_aside(
            "RSR: not recorded",
            None,
            "no RSR points",
        )),
    }

    match (inputs.rosh, rosh_points) {
        (Some(rosh), Some(points)) if rosh_counts => contributions.push(Contribution::counted(
            format!("RoSH: {rosh}"),
            Some(points),
            format!("{points} protect points"),
        )),
        (Some(rosh), Some(points)) => contributions.push(Contribution::set_aside(
            format!("RoSH: {rosh}"),
            Some(points),
            format!(
                "{points} protect points, not counted: RSR gives more and only the higher of \
                 RSR and RoSH counts"
            ),
        )),
        _ => contributions.push(Contribution::set_aside(
            "RoSH: not assessed",
            None,
            "no RoSH points",
        )),
    }

    if rosh_counts {
        rosh_points.unwrap_or(0)
    } else {
        rsr_points.unwrap_or(0)
    }
}

/// 2 points for each distinct complexity registration.
fn complexity_points(
    registrations: &[RegistrationKind],
    contributions: &mut Vec<Contribution>,
) -> i32 {
    let mut total = 0;
    let mut seen: Vec<RegistrationKind> = Vec::new();
    for &kind in registrations
        .iter()
        .filter(|kind| counts_for_complexity(**kind))
    {
        let factor = format!("Registration: {kind}");
        if seen.contains(&kind) {
            contributions.push(Contribution::set_aside(
                factor,
                None,
                "already counted: each registration counts once",
            ));
        } else {
            seen.push(kind);
            total += COMPLEXITY_POINTS;
            contributions.push(Contribution::counted(
                factor,
                Some(COMPLEXITY_POINTS),
                format!("{COMPLEXITY_POINTS} complexity points"),
            ));
        }
    }
    total
}

/// 2 points for each women's factor present, for a woman. Parenting responsibilities and
/// impulsivity or temper control are answers in the needs assessment, so without one they are
/// not known and not counted; a breach or recall is on the record.
fn womens_factor_points(inputs: &LegacyTierInputs, contributions: &mut Vec<Contribution>) -> i32 {
    let woman = inputs.sex == Sex::Female;
    let needs = inputs.change.needs_assessment.as_ref();
    if woman && needs.is_none() {
        contributions.push(Contribution::set_aside(
            "Women's factors from the needs assessment: no needs assessment",
            None,
            "parenting responsibilities and impulsivity or temper control problems are answers \
             in the needs assessment, so they are not counted without one",
        ));
    }
    let present = [
        (
            needs.is_some_and(|needs| needs.parenting_responsibilities),
            "parenting responsibilities",
        ),
        (
            needs.is_some_and(|needs| needs.impulsivity_or_temper),
            "impulsivity or temper control problems",
        ),
        (inputs.breach_or_recall, "breach or recall"),
    ];
    let mut total = 0;
    for (_, name) in present.iter().filter(|(present, _)| *present) {
        let factor = format!("Women's factor: {name}");
        if woman {
            total += COMPLEXITY_POINTS;
            contributions.push(Contribution::counted(
                factor,
                Some(COMPLEXITY_POINTS),
                format!("{COMPLEXITY_POINTS} protect points"),
            ));
        } else {
            contributions.push(Contribution::set_aside(
                factor,
                None,
                "not counted: this factor applies only to women",
            ));
        }
    }
    total
}

/// The change level and, when it came from points, the points, explaining each factor.
fn change(inputs: &ChangeInputs, contributions: &mut Vec<Contribution>) -> (u8, Option<i32>) {
    if !inputs.has_mandate_for_change {
        contributions.push(Contribution::counted(
            "Mandate for change: none (no current event with a custodial sentence or a \
             requirement other than unpaid work or restrictive ones)",
            None,
            "gives change level 0",
        ));
        return (0, None);
    }
    let Some(needs) = &inputs.needs_assessment else {
        contributions.push(Contribution::counted(
            "Needs assessment: none",
            None,
            "gives change level 2 (without a needs assessment OGRS and integrated offender \
             management are not looked at)",
        ));
        return (2, None);
    };

    let mut total = 0;
    match inputs.ogrs_percent {
        Some(ogrs) => {
            let points = ogrs_change_points(ogrs);
            total += points;
            contributions.push(Contribution::counted(
                format!("OGRS: {ogrs}%"),
                Some(points),
                format!("{points} change points (OGRS ÷ 10, rounded down)"),
            ));
        }
        None => contributions.push(Contribution::counted(
            "OGRS: not recorded",
            Some(0),
            "counted as 0 change points because no OGRS score is recorded",
        )),
    }
    if inputs.iom_nominal {
        total += IOM_CHANGE_POINTS;
        contributions.push(Contribution::counted(
            "Integrated offender management nominal",
            Some(IOM_CHANGE_POINTS),
            format!("{IOM_CHANGE_POINTS} change points"),
        ));
    }
    for &section in Section::ALL {
        let severity = needs.severity(section);
        if severity == NeedSeverity::NoNeed {
            continue;
        }
        let factor = format!("Need: {section} ({})", severity.label().to_lowercase());
        let weight = section.change_weight();
        if weight == 0 {
            contributions.push(Contribution::set_aside(
                factor,
                Some(0),
                "not counted: this need weighs nothing in the change level",
            ));
            continue;
        }
        let points = weight * severity.score();
        total += points;
        contributions.push(Contribution::counted(
            factor,
            Some(points),
            format!(
                "{points} change points (weight {weight} × severity {})",
                severity.score()
            ),
        ));
    }

    let level = change_level(total);
    contributions.push(Contribution::counted(
        format!("Change points: {total}"),
        None,
        format!("gives change level {level}"),
    ));
    (level, Some(total))
}

/// A legacy tier as written and stored, "A3" to "D0". Workload points are keyed on it.
///
/// Only the sixteen real combinations can be built: parse one with [`CodedValue::parse`] or
/// `str::parse`, or make one with [`LegacyTierCode::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LegacyTierCode {
    protect: ProtectLetter,
    change: u8,
}

const fn tier_code(protect: ProtectLetter, change: u8) -> LegacyTierCode {
    LegacyTierCode { protect, change }
}

impl LegacyTierCode {
    /// The code for a protect letter and change level; `None` when the change level is above 3.
    pub fn new(protect: ProtectLetter, change: u8) -> Option<Self> {
        (change <= 3).then_some(Self { protect, change })
    }

    pub fn protect(self) -> ProtectLetter {
        self.protect
    }

    pub fn change(self) -> u8 {
        self.change
    }
}

impl CodedValue for LegacyTierCode {
    const VOCABULARY: &'static str = "legacy tier";
    const ALL: &'static [Self] = &[
        tier_code(ProtectLetter::A, 3),
        tier_code(ProtectLetter::A, 2),
        tier_code(ProtectLetter::A, 1),
        tier_code(ProtectLetter::A, 0),
        tier_code(ProtectLetter::B, 3),
        tier_code(ProtectLetter::B, 2),
        tier_code(ProtectLetter::B, 1),
        tier_code(ProtectLetter::B, 0),
        tier_code(ProtectLetter::C, 3),
        tier_code(ProtectLetter::C, 2),
        tier_code(ProtectLetter::C, 1),
        tier_code(ProtectLetter::C, 0),
        tier_code(ProtectLetter::D, 3),
        tier_code(ProtectLetter::D, 2),
        tier_code(ProtectLetter::D, 1),
        tier_code(ProtectLetter::D, 0),
    ];

    fn code(self) -> &'static str {
        const CODES: [[&str; 4]; 4] = [
            ["A0", "A1", "A2", "A3"],
            ["B0", "B1", "B2", "B3"],
            ["C0", "C1", "C2", "C3"],
            ["D0", "D1", "D2", "D3"],
        ];
        let row = match self.protect {
            ProtectLetter::A => 0,
            ProtectLetter::B => 1,
            ProtectLetter::C => 2,
            ProtectLetter::D => 3,
        };
        // `change` is at most 3: every constructor checks it.
        CODES[row][usize::from(self.change)]
    }

    fn label(self) -> &'static str {
        self.code()
    }
}

impl std::fmt::Display for LegacyTierCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for LegacyTierCode {
    type Err = UnknownCode;
    fn from_str(code: &str) -> Result<Self, Self::Err> {
        <Self as CodedValue>::parse(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A man with nothing recorded, a mandate for change and a needs assessment with no needs.
    fn inputs() -> LegacyTierInputs {
        LegacyTierInputs {
            rsr_percent: None,
            rosh: None,
            mappa_level: None,
            registrations: Vec::new(),
            sex: Sex::Male,
            breach_or_recall: false,
            unsupervised: false,
            change: ChangeInputs {
                has_mandate_for_change: true,
                needs_assessment: Some(NeedsAssessment::default()),
                ogrs_percent: Some(0),
                iom_nominal: false,
            },
        }
    }

    fn compute(inputs: &LegacyTierInputs) -> LegacyTier {
        LegacyTier::compute(inputs).expect("valid inputs")
    }

    fn counted_factors(tier: &LegacyTier) -> Vec<&str> {
        tier.contributions
            .iter()
            .filter(|c| c.counted)
            .map(|c| c.factor.as_str())
            .collect()
    }

    fn with_needs(needs: NeedsAssessment) -> LegacyTierInputs {
        LegacyTierInputs {
            change: ChangeInputs {
                needs_assessment: Some(needs),
                ..inputs().change
            },
            ..inputs()
        }
    }

    // The §10 examples: protect 152/150 → A, 51/21/20 → B, 19/11/10 → C, 9/0 → D.

    macro_rules! protect_example {
        ($($name:ident: $points:expr => $letter:ident;)+) => {$(
            #[test]
            fn $name() {
                assert_eq!(protect_letter($points), ProtectLetter::$letter);
            }
        )+};
    }

    protect_example! {
        protect_152_points_is_a: 152 => A;
        protect_150_points_is_a: 150 => A;
        protect_149_points_is_b: 149 => B;
        protect_51_points_is_b: 51 => B;
        protect_21_points_is_b: 21 => B;
        protect_20_points_is_b: 20 => B;
        protect_19_points_is_c: 19 => C;
        protect_11_points_is_c: 11 => C;
        protect_10_points_is_c: 10 => C;
        protect_9_points_is_d: 9 => D;
        protect_0_points_is_d: 0 => D;
    }

    // The §10 examples: change 21/20 → 3, 19/10 → 2, 9 → 1.

    macro_rules! change_example {
        ($($name:ident: $points:expr => $level:expr;)+) => {$(
            #[test]
            fn $name() {
                assert_eq!(change_level($points), $level);
            }
        )+};
    }

    change_example! {
        change_21_points_is_level_3: 21 => 3;
        change_20_points_is_level_3: 20 => 3;
        change_19_points_is_level_2: 19 => 2;
        change_10_points_is_level_2: 10 => 2;
        change_9_points_is_level_1: 9 => 1;
        change_0_points_is_level_1: 0 => 1;
    }

    // The §10 examples: OGRS 59% → 5 points, 9% → 0.

    #[test]
    fn ogrs_59_percent_gives_5_change_points() {
        assert_eq!(ogrs_change_points(59), 5);
    }

    #[test]
    fn ogrs_9_percent_gives_0_change_points() {
        assert_eq!(ogrs_change_points(9), 0);
    }

    #[test]
    fn ogrs_10_and_100_percent_give_1_and_10_change_points() {
        assert_eq!(ogrs_change_points(10), 1);
        assert_eq!(ogrs_change_points(100), 10);
    }

    // The §10 example: a woman with 9 protect points and a breach → C.

    #[test]
    fn a_woman_with_9_protect_points_and_a_breach_is_tier_c() {
        // 5 (MAPPA level 1) + 2 (vulnerability) + 2 (parenting responsibilities) = 9.
        let mut woman = LegacyTierInputs {
            mappa_level: Some(MappaLevel::Ordinary),
            registrations: vec![RegistrationKind::Vulnerability],
            sex: Sex::Female,
            ..with_needs(NeedsAssessment {
                parenting_responsibilities: true,
                ..NeedsAssessment::default()
            })
        };
        let before = compute(&woman);
        assert_eq!(before.protect_points, 9);
        assert_eq!(before.protect, ProtectLetter::D);

        woman.breach_or_recall = true;
        let after = compute(&woman);
        assert_eq!(after.protect_points, 11);
        assert_eq!(after.protect, ProtectLetter::C);
        assert!(counted_factors(&after).contains(&"Women's factor: breach or recall"));
    }

    // RSR, as the service codes it.

    #[test]
    fn rsr_from_7_00_to_99_99_gives_20_points_and_from_3_00_to_6_99_gives_10() {
        assert_eq!(rsr_protect_points(2.99), 0);
        assert_eq!(rsr_protect_points(3.0), 10);
        assert_eq!(rsr_protect_points(6.99), 10);
        assert_eq!(rsr_protect_points(7.0), 20);
        assert_eq!(rsr_protect_points(99.99), 20);
    }

    #[test]
    fn rsr_above_99_99_gives_no_points() {
        assert_eq!(rsr_protect_points(99.991), 0);
        assert_eq!(rsr_protect_points(100.0), 0);
        let tier = compute(&LegacyTierInputs {
            rsr_percent: Some(100.0),
            ..inputs()
        });
        assert_eq!(tier.protect_points, 0);
        let rsr = &tier.contributions[0];
        assert_eq!(rsr.factor, "RSR: 100%");
        assert!(!rsr.counted);
        assert!(
            rsr.effect.contains("any other gives none"),
            "{}",
            rsr.effect
        );
    }

    #[test]
    fn rsr_between_6_99_and_7_00_gives_no_points() {
        assert_eq!(rsr_protect_points(6.995), 0);
        assert_eq!(rsr_protect_points(6.999_999), 0);
    }

    #[test]
    fn rsr_of_6_9_is_not_enough_for_20_points_under_the_legacy_rule() {
        assert_eq!(rsr_protect_points(6.9), 10);
    }

    // Women's factors.

    #[test]
    fn womens_factors_each_add_2_points_for_a_woman_with_a_needs_assessment() {
        let woman = LegacyTierInputs {
            sex: Sex::Female,
            breach_or_recall: true,
            ..with_needs(NeedsAssessment {
                parenting_responsibilities: true,
                impulsivity_or_temper: true,
                ..NeedsAssessment::default()
            })
        };
        assert_eq!(compute(&woman).protect_points, 6);
    }

    #[test]
    fn without_a_needs_assessment_only_a_breach_or_recall_counts_for_a_woman() {
        let woman = LegacyTierInputs {
            sex: Sex::Female,
            breach_or_recall: true,
            change: ChangeInputs {
                needs_assessment: None,
                ..inputs().change
            },
            ..inputs()
        };
        let tier = compute(&woman);
        assert_eq!(tier.protect_points, 2);
        let unknown = tier
            .contributions
            .iter()
            .find(|c| c.factor == "Women's factors from the needs assessment: no needs assessment")
            .expect("listed");
        assert!(!unknown.counted);
    }

    #[test]
    fn womens_factors_are_not_counted_for_a_man_and_the_explanation_says_so() {
        let man = LegacyTierInputs {
            breach_or_recall: true,
            ..with_needs(NeedsAssessment {
                parenting_responsibilities: true,
                ..NeedsAssessment::default()
            })
        };
        let tier = compute(&man);
        assert_eq!(tier.protect_points, 0);
        for factor in [
            "Women's factor: breach or recall",
            "Women's factor: parenting responsibilities",
        ] {
            let listed = tier
                .contributions
                .iter()
                .find(|c| c.factor == factor)
                .expect("listed");
            assert!(!listed.counted);
        }
    }

    // RSR against RoSH.

    #[test]
    fn only_the_higher_of_rsr_and_rosh_counts_so_rsr_7_and_rosh_high_give_20_not_40() {
        let tier = compute(&LegacyTierInputs {
            rsr_percent: Some(7.0),
            rosh: Some(RoshLevel::High),
            ..inputs()
        });
        assert_eq!(tier.protect_points, 20);
        assert_eq!(tier.protect, ProtectLetter::B);
        let rsr = &tier.contributions[0];
        assert_eq!(rsr.factor, "RSR: 7%");
        assert_eq!(rsr.points, Some(20));
        assert!(!rsr.counted);
        assert!(tier.contributions[1].counted);
    }

    #[test]
    fn only_the_higher_of_rsr_and_rosh_counts_so_rosh_very_high_gives_150_over_rsr_20() {
        let tier = compute(&LegacyTierInputs {
            rsr_percent: Some(12.5),
            rosh: Some(RoshLevel::VeryHigh),
            ..inputs()
        });
        assert_eq!(tier.protect_points, 150);
        assert_eq!(tier.protect, ProtectLetter::A);
        assert_eq!(counted_factors(&tier)[0], "RoSH: Very high");
    }

    #[test]
    fn rsr_counts_when_it_gives_more_than_rosh() {
        let tier = compute(&LegacyTierInputs {
            rsr_percent: Some(7.5),
            rosh: Some(RoshLevel::Medium),
            ..inputs()
        });
        assert_eq!(tier.protect_points, 20);
        assert!(tier.contributions[0].counted);
        let rosh = &tier.contributions[1];
        assert!(!rosh.counted);
        assert_eq!(rosh.points, Some(10));
    }

    #[test]
    fn missing_rsr_and_rosh_give_no_points_and_are_listed_as_missing() {
        let tier = compute(&inputs());
        assert_eq!(tier.protect_points, 0);
        assert_eq!(tier.contributions[0].factor, "RSR: not recorded");
        assert_eq!(tier.contributions[1].factor, "RoSH: not assessed");
    }

    // MAPPA level.

    #[test]
    fn mappa_level_2_alone_is_tier_a() {
        let tier = compute(&LegacyTierInputs {
            mappa_level: Some(MappaLevel::ActiveMultiAgency),
            ..inputs()
        });
        assert_eq!(tier.protect_points, 150);
        assert_eq!(tier.protect, ProtectLetter::A);
    }

    #[test]
    fn mappa_level_3_alone_is_tier_a_and_level_1_gives_5_points() {
        let level_3 = LegacyTierInputs {
            mappa_level: Some(MappaLevel::SeniorOversight),
            ..inputs()
        };
        assert_eq!(compute(&level_3).protect, ProtectLetter::A);
        let level_1 = LegacyTierInputs {
            mappa_level: Some(MappaLevel::Ordinary),
            ..inputs()
        };
        assert_eq!(compute(&level_1).protect_points, 5);
    }

    // Complexity.

    #[test]
    fn complexity_counts_each_distinct_registration_once_and_ignores_others() {
        let tier = compute(&LegacyTierInputs {
            registrations: vec![
                RegistrationKind::MentalHealthIssues,
                RegistrationKind::MentalHealthIssues,
                RegistrationKind::Vulnerability,
                RegistrationKind::Stalking,
                RegistrationKind::DomesticAbusePerpetrator,
                RegistrationKind::IntegratedOffenderManagement,
            ],
            ..inputs()
        });
        assert_eq!(tier.protect_points, 4);
        let duplicate = tier
            .contributions
            .iter()
            .filter(|c| c.factor == "Registration: Mental health issues")
            .collect::<Vec<_>>();
        assert_eq!(duplicate.len(), 2);
        assert!(duplicate[0].counted);
        assert!(!duplicate[1].counted);
    }

    #[test]
    fn all_ten_complexity_registrations_give_20_points() {
        let tier = compute(&LegacyTierInputs {
            registrations: COMPLEXITY_REGISTRATIONS.to_vec(),
            ..inputs()
        });
        assert_eq!(tier.protect_points, 20);
    }

    // The change level, step by step.

    #[test]
    fn no_mandate_for_change_is_change_level_0() {
        let tier = compute(&LegacyTierInputs {
            change: ChangeInputs {
                has_mandate_for_change: false,
                ogrs_percent: Some(90),
                ..inputs().change
            },
            ..inputs()
        });
        assert_eq!(tier.change, 0);
        assert_eq!(tier.change_points, None);
        assert_eq!(
            tier.contributions.last().unwrap().effect,
            "gives change level 0"
        );
    }

    #[test]
    fn no_needs_assessment_is_change_level_2_whatever_the_ogrs_and_iom() {
        let tier = compute(&LegacyTierInputs {
            change: ChangeInputs {
                needs_assessment: None,
                ogrs_percent: Some(90),
                iom_nominal: true,
                ..inputs().change
            },
            ..inputs()
        });
        assert_eq!(tier.change, 2);
        assert_eq!(tier.change_points, None);
        assert_eq!(
            tier.contributions.last().unwrap().factor,
            "Needs assessment: none"
        );
        assert!(!tier
            .contributions
            .iter()
            .any(|c| c.factor.starts_with("OGRS") || c.factor.starts_with("Integrated")));
    }

    #[test]
    fn missing_ogrs_with_a_needs_assessment_counts_as_0_and_says_so() {
        let tier = compute(&LegacyTierInputs {
            change: ChangeInputs {
                ogrs_percent: None,
                needs_assessment: Some(
                    NeedsAssessment::default().with(Section::Attitudes, NeedSeverity::Severe),
                ),
                ..inputs().change
            },
            ..inputs()
        });
        assert_eq!(tier.change_points, Some(4));
        assert_eq!(tier.change, 1);
        let ogrs = tier
            .contributions
            .iter()
            .find(|c| c.factor == "OGRS: not recorded")
            .expect("listed");
        assert_eq!(ogrs.points, Some(0));
        assert!(ogrs.effect.contains("no OGRS score is recorded"));
    }

    #[test]
    fn needs_weigh_thinking_and_attitudes_double_and_finance_and_emotional_wellbeing_nothing() {
        let every_need_severe = Section::ALL
            .iter()
            .fold(NeedsAssessment::default(), |needs, section| {
                needs.with(*section, NeedSeverity::Severe)
            });
        let tier = compute(&with_needs(every_need_severe));
        // 2 × 2 × 2 + 6 × 1 × 2 + 2 × 0 × 2 = 20.
        assert_eq!(tier.change_points, Some(20));
        assert_eq!(tier.change, 3);
        let finance = tier
            .contributions
            .iter()
            .find(|c| c.factor == "Need: Finance (severe)")
            .expect("listed");
        assert!(!finance.counted);
        assert_eq!(finance.points, Some(0));
    }

    #[test]
    fn severity_scores_are_0_1_2_and_nothing_else() {
        for severity in NeedSeverity::ALL {
            assert_eq!(
                NeedSeverity::from_score(i64::from(severity.score())),
                Some(*severity)
            );
        }
        assert_eq!(NeedSeverity::from_score(3), None);
        assert_eq!(NeedSeverity::from_score(-1), None);
        assert_eq!(NeedSeverity::NoNeed.code(), "none");
    }

    #[test]
    fn a_complete_worked_case_is_b2() {
        let tier = compute(&LegacyTierInputs {
            rsr_percent: Some(7.5),
            rosh: Some(RoshLevel::Medium),
            mappa_level: None,
            registrations: vec![RegistrationKind::ChildConcerns, RegistrationKind::Stalking],
            sex: Sex::Male,
            breach_or_recall: false,
            unsupervised: false,
            change: ChangeInputs {
                has_mandate_for_change: true,
                needs_assessment: Some(
                    NeedsAssessment::default()
                        .with(Section::ThinkingAndBehaviour, NeedSeverity::Severe)
                        .with(Section::Attitudes, NeedSeverity::Standard)
                        .with(Section::Accommodation, NeedSeverity::Severe)
                        .with(Section::DrugMisuse, NeedSeverity::Standard),
                ),
                ogrs_percent: Some(35),
                iom_nominal: true,
            },
        });
        // Protect: RSR 20 (RoSH medium 10 set aside) + child concerns 2 = 22 → B.
        assert_eq!(tier.protect_points, 22);
        // Change: OGRS 3 + IOM 2 + accommodation 2 + drugs 1 + thinking 4 + attitudes 2 = 14 → 2.
        assert_eq!(tier.change_points, Some(14));
        assert_eq!(tier.code().to_string(), "B2");
        assert_eq!(tier.written().to_string(), "B2");
        assert_eq!(tier.rule_version, LEGACY_TIERING_RULE_VERSION);
        assert_eq!(
            counted_factors(&tier),
            [
                "RSR: 7.5%",
                "Registration: Child concerns",
                "Protect points: 22",
                "OGRS: 35%",
                "Integrated offender management nominal",
                "Need: Accommodation (severe)",
                "Need: Drug misuse (standard)",
                "Need: Thinking and behaviour (severe)",
                "Need: Attitudes (standard)",
                "Change points: 14",
            ]
        );
        let thinking = tier
            .contributions
            .iter()
            .find(|c| c.factor == "Need: Thinking and behaviour (severe)")
            .unwrap();
        assert_eq!(thinking.points, Some(4));
        assert_eq!(thinking.effect, "4 change points (weight 2 × severity 2)");
    }

    // The "S" of the two-thirds unsupervised registration.

    #[test]
    fn an_unsupervised_case_is_written_with_an_s_but_keeps_its_code() {
        let tier = compute(&LegacyTierInputs {
            rosh: Some(RoshLevel::High),
            unsupervised: true,
            change: ChangeInputs {
                needs_assessment: None,
                ..inputs().change
            },
            ..inputs()
        });
        assert_eq!(tier.written().to_string(), "B2S");
        assert_eq!(tier.code().code(), "B2");
        assert!(counted_factors(&tier).contains(&"Registration: two-thirds unsupervised"));
    }

    // The sixteen codes.

    #[test]
    fn every_legacy_tier_code_from_a3_to_d0_parses_back() {
        assert_eq!(LegacyTierCode::ALL.len(), 16);
        assert_eq!(LegacyTierCode::ALL[0].code(), "A3");
        assert_eq!(LegacyTierCode::ALL[15].code(), "D0");
        for code in LegacyTierCode::ALL {
            assert_eq!(LegacyTierCode::parse(code.code()), Ok(*code));
            assert_eq!(code.to_string().parse::<LegacyTierCode>(), Ok(*code));
        }
        let b2 = LegacyTierCode::parse("B2").unwrap();
        assert_eq!((b2.protect(), b2.change()), (ProtectLetter::B, 2));
    }

    #[test]
    fn codes_that_are_not_legacy_tiers_are_refused() {
        for bad in ["", "E1", "A4", "a3", "B", "2B", "B22", "B2S"] {
            assert!(LegacyTierCode::parse(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(
            LegacyTierCode::parse("A4").unwrap_err().to_string(),
            "'A4' is not a known legacy tier"
        );
        assert_eq!(LegacyTierCode::new(ProtectLetter::A, 4), None);
    }

    // Inputs that cannot be right.

    #[test]
    fn an_rsr_that_is_not_a_percentage_is_refused() {
        let refused = LegacyTier::compute(&LegacyTierInputs {
            rsr_percent: Some(f64::NAN),
            ..inputs()
        });
        assert!(matches!(
            refused,
            Err(InvalidTieringInput::NotAPercentage {
                predictor: "RSR",
                ..
            })
        ));
    }

    #[test]
    fn an_ogrs_above_100_is_refused() {
        let refused = LegacyTier::compute(&LegacyTierInputs {
            change: ChangeInputs {
                ogrs_percent: Some(101),
                ..inputs().change
            },
            ..inputs()
        });
        assert!(matches!(
            refused,
            Err(InvalidTieringInput::NotAPercentage {
                predictor: "OGRS",
                ..
            })
        ));
    }

    #[test]
    fn custody_or_any_requirement_but_unpaid_work_or_restrictive_ones_gives_a_mandate() {
        use RequirementKind::*;
        assert!(has_mandate_for_change(true, []));
        assert!(has_mandate_for_change(true, [UnpaidWork]));
        assert!(has_mandate_for_change(false, [UnpaidWork, Residence]));
        assert!(has_mandate_for_change(false, [AccreditedProgramme]));
        assert!(!has_mandate_for_change(false, []));
        assert!(!has_mandate_for_change(
            false,
            [UnpaidWork, Curfew, Exclusion, ProhibitedActivity]
        ));
    }

    #[test]
    fn only_a_woman_with_a_child_under_18_at_home_has_parenting_responsibilities() {
        assert!(has_parenting_responsibilities(Sex::Female, 1));
        assert!(has_parenting_responsibilities(Sex::Female, 3));
        assert!(!has_parenting_responsibilities(Sex::Female, 0));
        assert!(!has_parenting_responsibilities(Sex::Male, 2));
    }
}
