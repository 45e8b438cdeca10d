//! The legacy two-axis tier (reference §10, first part): a protect letter A–D for the risk of harm
//! the person poses and a change level 0–3 for how much their reoffending could be reduced,
//! written together as e.g. "B2".

use super::{
    check_percentage, Contribution, InvalidTieringInput, RoshLevel, LEGACY_TIERING_RULE_VERSION,
};
use crate::coded_enum;
use crate::codes::{CodedValue, UnknownCode};
use crate::person::Sex;
use crate::registration::{MappaLevel, RegistrationKind};
use crate::requirement::RequirementKind;

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
/// RSR at or above this percentage gives 20 protect points (reference §10: "7.00–99.99 → 20").
/// Note the legacy rule's cut is 7.00, not the 6.9 of the RSR "high" band in reference §11.
pub const RSR_20_POINTS_FROM: f64 = 7.0;
/// RSR at or above this percentage (and below 7.00) gives 10 protect points.
pub const RSR_10_POINTS_FROM: f64 = 3.0;
/// Integrated offender management nominals get these extra change points.
const IOM_CHANGE_POINTS: i32 = 2;

/// Whether a registration adds complexity points (see [`COMPLEXITY_REGISTRATIONS`]).
pub fn counts_for_complexity(kind: RegistrationKind) -> bool {
    COMPLEXITY_REGISTRATIONS.contains(&kind)
}

/// Protect points from RSR: 7.00% and over → 20; 3.00–6.99% → 10; otherwise 0.
pub fn rsr_protect_points(rsr_percent: f64) -> i32 {
    if rsr_percent >= RSR_20_POINTS_FROM {
        20
    } else if rsr_percent >= RSR_10_POINTS_FROM {
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

/// Protect points from MAPPA: level 2 or 3 → 150 (tier A on its own); level 1 → 5.
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

/// The change level for a number of change points, once there is a mandate for change and a valid
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

/// Factors that add protect points for women only (reference §10), 2 points each.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WomensFactors {
    pub parenting_responsibilities: bool,
    /// Impulsivity or temper control problems; counted once even when both are present.
    pub impulsivity_or_temper: bool,
    pub breach_or_recall: bool,
}

/// Whether a person has parenting responsibilities for [`WomensFactors`]: a woman with at least
/// one child under 18 living with her. Women's factors count only for women (reference §10), so
/// a man never has them here, whoever lives with him.
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
}

coded_enum! {
    /// The criminogenic needs the change axis weighs.
    pub enum Need ("need") {
        ThinkingAndBehaviour => "thinking_and_behaviour", "Thinking and behaviour",
        Attitudes => "attitudes", "Attitudes",
        Accommodation => "accommodation", "Accommodation",
        Employment => "employment", "Education, training and employability",
        Relationships => "relationships", "Relationships",
        Lifestyle => "lifestyle", "Lifestyle and associates",
        Drugs => "drugs", "Drug misuse",
        Alcohol => "alcohol", "Alcohol misuse",
    }
}

impl Need {
    /// How much the need weighs: 2 for thinking & behaviour and attitudes, 1 for the rest.
    pub fn weight(self) -> i32 {
        match self {
            Need::ThinkingAndBehaviour | Need::Attitudes => 2,
            Need::Accommodation
            | Need::Employment
            | Need::Relationships
            | Need::Lifestyle
            | Need::Drugs
            | Need::Alcohol => 1,
        }
    }
}

/// The severities from a valid needs assessment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NeedsAssessment {
    pub thinking_and_behaviour: NeedSeverity,
    pub attitudes: NeedSeverity,
    pub accommodation: NeedSeverity,
    pub employment: NeedSeverity,
    pub relationships: NeedSeverity,
    pub lifestyle: NeedSeverity,
    pub drugs: NeedSeverity,
    pub alcohol: NeedSeverity,
}

impl NeedsAssessment {
    /// Every need with its severity, in the order of [`Need::ALL`].
    pub fn severities(&self) -> [(Need, NeedSeverity); 8] {
        [
            (Need::ThinkingAndBehaviour, self.thinking_and_behaviour),
            (Need::Attitudes, self.attitudes),
            (Need::Accommodation, self.accommodation),
            (Need::Employment, self.employment),
            (Need::Relationships, self.relationships),
            (Need::Lifestyle, self.lifestyle),
            (Need::Drugs, self.drugs),
            (Need::Alcohol, self.alcohol),
        ]
    }
}

/// What the change axis reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChangeInputs {
    /// False when there is no custodial sentence and no requirement other than unpaid work or
    /// restrictive ones (curfew, exclusion, prohibited activity): then there is nothing to change
    /// through and the change level is 0.
    pub has_mandate_for_change: bool,
    /// `None` when there is no valid needs assessment: the change level is then 2.
    pub needs_assessment: Option<NeedsAssessment>,
    pub ogrs_percent: Option<u8>,
    /// Whether the person is an integrated offender management nominal. Callers derive it, e.g.
    /// from [`RegistrationKind::IntegratedOffenderManagement`]; this module does not read the
    /// registrations for it.
    pub iom_nominal: bool,
}

/// Whether there is a mandate for change ([`ChangeInputs::has_mandate_for_change`]): a custodial
/// sentence, or any active requirement that gives one (see
/// [`RequirementKind::gives_mandate_for_change`]). Reference §10: no mandate for change when there
/// is no custodial sentence and no requirement other than unpaid work or restrictive ones.
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
    pub rosh: Option<RoshLevel>,
    pub mappa_level: Option<MappaLevel>,
    /// Active registrations; duplicates are allowed and counted once.
    pub registrations: Vec<RegistrationKind>,
    pub sex: Sex,
    /// Counted only when `sex` is female.
    pub womens_factors: WomensFactors,
    pub change: ChangeInputs,
}

/// A computed legacy tier with its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyTier {
    pub protect: ProtectLetter,
    /// 0–3.
    pub change: u8,
    pub protect_points: i32,
    /// `None` when the change level was set without points: no mandate for change (0) or no
    /// valid needs assessment (2).
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

        Ok(Self {
            protect,
            change,
            protect_points,
            change_points,
            contributions,
            rule_version: LEGACY_TIERING_RULE_VERSION,
        })
    }

    /// The tier as written and stored, e.g. "B2".
    pub fn code(&self) -> LegacyTierCode {
        LegacyTierCode {
            protect: self.protect,
            change: self.change,
        }
    }
}

/// Adds up the protect points, explaining each factor.
fn protect_points(inputs: &LegacyTierInputs, contributions: &mut Vec<Contribution>) -> i32 {
    // Only the higher of the RSR and RoSH points counts; on a tie RoSH is the one shown as counted.
    let rsr_points = inputs.rsr_percent.map(rsr_protect_points);
    let rosh_points = inputs.rosh.map(rosh_protect_points);
    let rosh_counts = rosh_points.is_some_and(|rosh| rosh >= rsr_points.unwrap_or(0));
    let rsr_counts = rsr_points.is_some() && !rosh_counts;

    match (inputs.rsr_percent, rsr_points) {
        (Some(rsr), Some(points)) if rsr_counts => contributions.push(Contribution::counted(
            format!("RSR: {rsr:.2}%"),
            Some(points),
            format!("{points} protect points"),
        )),
        (Some(rsr), Some(points)) => {
            let rosh = rosh_points.unwrap_or(0);
            let why = if rosh == points {
                "RoSH gives as many and only one of RSR and RoSH counts"
            } else {
                "RoSH gives more and only the higher of RSR and RoSH counts"
            };
            contributions.push(Contribution::set_aside(
                format!("RSR: {rsr:.2}%"),
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

    let mut total = if rosh_counts {
        rosh_points.unwrap_or(0)
    } else {
        rsr_points.unwrap_or(0)
    };

    if let Some(level) = inputs.mappa_level {
        let points = mappa_protect_points(level);
        total += points;
        contributions.push(Contribution::counted(
            format!("MAPPA: level {}", level.code()),
            Some(points),
            format!("{points} protect points"),
        ));
    }

    let mut seen: Vec<RegistrationKind> = Vec::new();
    for &kind in inputs
        .registrations
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

    let women = inputs.womens_factors;
    let present = [
        (
            women.parenting_responsibilities,
            "parenting responsibilities",
        ),
        (
            women.impulsivity_or_temper,
            "impulsivity or temper control problems",
        ),
        (women.breach_or_recall, "breach or recall"),
    ];
    for (_, name) in present.iter().filter(|(present, _)| *present) {
        let factor = format!("Women's factor: {name}");
        if inputs.sex == Sex::Female {
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
            "Mandate for change: none (no custodial sentence and no requirement other than unpaid \
             work or restrictive ones)",
            None,
            "gives change level 0",
        ));
        return (0, None);
    }
    let Some(needs) = inputs.needs_assessment else {
        contributions.push(Contribution::counted(
            "Needs assessment: no valid assessment",
            None,
            "gives change level 2",
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
    for (need, severity) in needs.severities() {
        if severity == NeedSeverity::NoNeed {
            continue;
        }
        let points = need.weight() * severity.score();
        total += points;
        contributions.push(Contribution::counted(
            format!("Need: {need} ({})", severity.label().to_lowercase()),
            Some(points),
            format!(
                "{points} change points (weight {} × severity {})",
                need.weight(),
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
            womens_factors: WomensFactors::default(),
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

    #[test]
    fn rsr_band_boundaries_are_3_and_7_percent() {
        assert_eq!(rsr_protect_points(2.99), 0);
        assert_eq!(rsr_protect_points(3.0), 10);
        assert_eq!(rsr_protect_points(6.99), 10);
        assert_eq!(rsr_protect_points(7.0), 20);
        assert_eq!(rsr_protect_points(99.99), 20);
        assert_eq!(rsr_protect_points(100.0), 20);
    }

    #[test]
    fn rsr_of_6_9_is_not_enough_for_20_points_under_the_legacy_rule() {
        assert_eq!(rsr_protect_points(6.9), 10);
    }

    #[test]
    fn a_woman_with_9_protect_points_and_a_breach_is_tier_c() {
        // 5 (MAPPA level 1) + 2 (vulnerability) + 2 (parenting responsibilities) = 9.
        let mut woman = LegacyTierInputs {
            mappa_level: Some(MappaLevel::Ordinary),
            registrations: vec![RegistrationKind::Vulnerability],
            sex: Sex::Female,
            womens_factors: WomensFactors {
                parenting_responsibilities: true,
                ..WomensFactors::default()
            },
            ..inputs()
        };
        let before = compute(&woman);
        assert_eq!(before.protect_points, 9);
        assert_eq!(before.protect, ProtectLetter::D);

        woman.womens_factors.breach_or_recall = true;
        let after = compute(&woman);
        assert_eq!(after.protect_points, 11);
        assert_eq!(after.protect, ProtectLetter::C);
        assert!(counted_factors(&after).contains(&"Women's factor: breach or recall"));
    }

    #[test]
    fn womens_factors_each_add_2_points_for_a_woman() {
        let woman = LegacyTierInputs {
            sex: Sex::Female,
            womens_factors: WomensFactors {
                parenting_responsibilities: true,
                impulsivity_or_temper: true,
                breach_or_recall: true,
            },
            ..inputs()
        };
        assert_eq!(compute(&woman).protect_points, 6);
    }

    #[test]
    fn womens_factors_are_not_counted_for_a_man_and_the_explanation_says_so() {
        let man = LegacyTierInputs {
            womens_factors: WomensFactors {
                breach_or_recall: true,
                ..WomensFactors::default()
            },
            ..inputs()
        };
        let tier = compute(&man);
        assert_eq!(tier.protect_points, 0);
        let breach = tier
            .contributions
            .iter()
            .find(|c| c.factor == "Women's factor: breach or recall")
            .expect("listed");
        assert!(!breach.counted);
    }

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
        assert_eq!(rsr.factor, "RSR: 7.00%");
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

    #[test]
    fn complexity_counts_each_distinct_registration_once_and_ignores_others() {
        let tier = compute(&LegacyTierInputs {
            registrations: vec![
                RegistrationKind::MentalHealthIssues,
                RegistrationKind::MentalHealthIssues,
                RegistrationKind::Vulnerability,
                RegistrationKind::Stalking,
                RegistrationKind::DomesticAbusePerpetrator,
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
    fn no_valid_needs_assessment_is_change_level_2() {
        let tier = compute(&LegacyTierInputs {
            change: ChangeInputs {
                needs_assessment: None,
                ogrs_percent: Some(90),
                ..inputs().change
            },
            ..inputs()
        });
        assert_eq!(tier.change, 2);
        assert_eq!(tier.change_points, None);
        assert_eq!(
            tier.contributions.last().unwrap().factor,
            "Needs assessment: no valid assessment"
        );
    }

    #[test]
    fn missing_ogrs_with_a_needs_assessment_counts_as_0_and_says_so() {
        let tier = compute(&LegacyTierInputs {
            change: ChangeInputs {
                ogrs_percent: None,
                needs_assessment: Some(NeedsAssessment {
                    attitudes: NeedSeverity::Severe,
                    ..NeedsAssessment::default()
                }),
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
    fn needs_weigh_thinking_and_attitudes_double() {
        let every_need_severe = NeedsAssessment {
            thinking_and_behaviour: NeedSeverity::Severe,
            attitudes: NeedSeverity::Severe,
            accommodation: NeedSeverity::Severe,
            employment: NeedSeverity::Severe,
            relationships: NeedSeverity::Severe,
            lifestyle: NeedSeverity::Severe,
            drugs: NeedSeverity::Severe,
            alcohol: NeedSeverity::Severe,
        };
        let tier = compute(&LegacyTierInputs {
            change: ChangeInputs {
                needs_assessment: Some(every_need_severe),
                ..inputs().change
            },
            ..inputs()
        });
        // 2 × 2 × 2 + 6 × 1 × 2 = 20.
        assert_eq!(tier.change_points, Some(20));
        assert_eq!(tier.change, 3);
    }

    #[test]
    fn a_complete_worked_case_is_b2() {
        let tier = compute(&LegacyTierInputs {
            rsr_percent: Some(7.5),
            rosh: Some(RoshLevel::Medium),
            mappa_level: None,
            registrations: vec![RegistrationKind::ChildConcerns, RegistrationKind::Stalking],
            sex: Sex::Male,
            womens_factors: WomensFactors::default(),
            change: ChangeInputs {
                has_mandate_for_change: true,
                needs_assessment: Some(NeedsAssessment {
                    thinking_and_behaviour: NeedSeverity::Severe,
                    attitudes: NeedSeverity::Standard,
                    accommodation: NeedSeverity::Severe,
                    drugs: NeedSeverity::Standard,
                    ..NeedsAssessment::default()
                }),
                ogrs_percent: Some(35),
                iom_nominal: true,
            },
        });
        // Protect: RSR 20 (RoSH medium 10 set aside) + child concerns 2 = 22 → B.
        assert_eq!(tier.protect_points, 22);
        // Change: OGRS 3 + IOM 2 + thinking 4 + attitudes 2 + accommodation 2 + drugs 1 = 14 → 2.
        assert_eq!(tier.change_points, Some(14));
        assert_eq!(tier.code().to_string(), "B2");
        assert_eq!(tier.code().code(), "B2");
        assert_eq!(tier.rule_version, LEGACY_TIERING_RULE_VERSION);
        assert_eq!(
            counted_factors(&tier),
            [
                "RSR: 7.50%",
                "Registration: Child concerns",
                "Protect points: 22",
                "OGRS: 35%",
                "Integrated offender management nominal",
                "Need: Thinking and behaviour (severe)",
                "Need: Attitudes (standard)",
                "Need: Accommodation (severe)",
                "Need: Drug misuse (standard)",
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
        for bad in ["", "E1", "A4", "a3", "B", "2B", "B22"] {
            assert!(LegacyTierCode::parse(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(
            LegacyTierCode::parse("A4").unwrap_err().to_string(),
            "'A4' is not a known legacy tier"
        );
        assert_eq!(LegacyTierCode::new(ProtectLetter::A, 4), None);
    }

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
