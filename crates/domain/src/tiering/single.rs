//! The single tier A–G introduced in 2026 (reference §10, second part).
//!
//! Five rules each may give a tier; the case's tier is the most serious of them (A is the most
//! serious, G the least):
//! 1. the all-reoffending predictor (ARP) × combined serious reoffending predictor (CSRP) table;
//! 2. the sexual reoffending predictor band;
//! 3. MAPPA and RoSH;
//! 4. a life or IPP sentence and how recently the person was released;
//! 5. domestic-abuse perpetrator, stalking and child-protection registrations, and any sexual
//!    offence ever.

use super::SINGLE_TIERING_RULE_VERSION;
use super::{check_percentage, Contribution, InvalidTieringInput, RoshLevel};
use crate::coded_enum;
use crate::registration::RegistrationKind;
use chrono::{Months, NaiveDate};
use thiserror::Error;

coded_enum! {
    /// The single tier. Declared most serious first, so the derived order has `A < G`: the most
    /// serious of two tiers is the smaller, `a.min(b)`.
    pub enum SingleTierLetter ("tier") {
        A => "A", "A",
        B => "B", "B",
        C => "C", "C",
        D => "D", "D",
        E => "E", "E",
        F => "F", "F",
        G => "G", "G",
    }
}

impl SingleTierLetter {
    /// Whether this tier is the same as, or more serious than, `other` (A is the most serious).
    pub fn is_at_least_as_serious_as(self, other: SingleTierLetter) -> bool {
        self <= other
    }
}

coded_enum! {
    /// The band of the sexual reoffending predictor.
    pub enum SexualPredictorBand ("sexual reoffending predictor band") {
        Low => "low", "Low",
        Medium => "medium", "Medium",
        High => "high", "High",
        VeryHigh => "very_high", "Very high",
    }
}

/// A sexual reoffending predictor result. The score matters only in the medium band, where it
/// decides between C and D (see [`SingleTierRules::sexual_predictor_medium_c_from`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SexualPredictor {
    pub band: SexualPredictorBand,
    pub score: Option<f64>,
}

coded_enum! {
    /// For a life or IPP sentence: how long ago the person was released.
    pub enum ReleaseRecency ("release recency") {
        WithinOneYear => "within_one_year", "released within the last year",
        WithinFiveYears => "within_five_years", "released within the last five years",
        Longer => "longer", "released more than five years ago",
        NotReleased => "not_released", "not yet released",
    }
}

impl ReleaseRecency {
    /// How long before `today` the person was released on `release`: within one year until the
    /// day before the first anniversary of release, within five years until the day before the
    /// fifth, longer from then on. No release date, or one still to come, is not released.
    pub fn on(release: Option<NaiveDate>, today: NaiveDate) -> Self {
        let within = |months: u32| {
            release
                .and_then(|released| released.checked_add_months(Months::new(months)))
                .is_some_and(|until| today < until)
        };
        match release {
            None => ReleaseRecency::NotReleased,
            Some(released) if released > today => ReleaseRecency::NotReleased,
            Some(_) if within(12) => ReleaseRecency::WithinOneYear,
            Some(_) if within(60) => ReleaseRecency::WithinFiveYears,
            Some(_) => ReleaseRecency::Longer,
        }
    }
}

/// A life sentence or imprisonment for public protection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LifeOrIpp {
    pub released_within: ReleaseRecency,
}

/// Everything the single tier reads.
#[derive(Debug, Clone, PartialEq)]
pub struct SingleTierInputs {
    /// False when the person has no sentence being supervised: they are not tiered.
    pub has_active_sentence: bool,
    /// All-reoffending predictor, %.
    pub arp_percent: Option<f64>,
    /// Combined serious reoffending predictor, %.
    pub csrp_percent: Option<f64>,
    pub sexual_predictor: Option<SexualPredictor>,
    /// Whether the person is managed under MAPPA (any category or level).
    pub mappa: bool,
    /// `None` when RoSH has not been assessed.
    pub rosh: Option<RoshLevel>,
    pub life_or_ipp: Option<LifeOrIpp>,
    /// Active registrations; duplicates are allowed and listed once.
    pub registrations: Vec<RegistrationKind>,
    pub any_sexual_offence_ever: bool,
    /// True when the ARP and CSRP were computed from static factors only (no full assessment of
    /// the dynamic factors yet).
    pub rsr_static_only: bool,
}

/// The parameters of the single-tier rules that the reference leaves open, with the version
/// string that identifies them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SingleTierRules {
    /// In the medium sexual-predictor band, a score at or above this gives C and a score below
    /// gives D. The reference (§10) says only "medium → C/D by score" and gives no number, so the
    /// default is `None`: no threshold, and every medium gives C, the more serious of the two, so
    /// a case is never tiered down on a threshold nobody has set. A medium without a score also
    /// gives C.
    pub sexual_predictor_medium_c_from: Option<f64>,
    /// Identifies these parameters and rules; stored with every tier. Rules with a threshold set
    /// must carry a version string of their own.
    pub rule_version: &'static str,
}

impl Default for SingleTierRules {
    fn default() -> Self {
        Self {
            sexual_predictor_medium_c_from: None,
            rule_version: SINGLE_TIERING_RULE_VERSION,
        }
    }
}

/// Which predictors are missing, so no single tier can be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum SingleTierMissing {
    #[error("Record the all-reoffending predictor (ARP) and the combined serious reoffending predictor (CSRP) to compute the tier")]
    ArpAndCsrp,
    #[error("Record the all-reoffending predictor (ARP) to compute the tier")]
    Arp,
    #[error("Record the combined serious reoffending predictor (CSRP) to compute the tier")]
    Csrp,
}

/// What the single-tier rules say about a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SingleTierOutcome {
    Tiered(SingleTier),
    /// No active sentence: the person is not supervised, so has no tier.
    NotSupervised,
    /// The predictors the table needs are not recorded.
    Missing {
        reason: SingleTierMissing,
    },
}

/// A computed single tier with its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SingleTier {
    pub tier: SingleTierLetter,
    /// The tier may rise once missing or partial information is complete; see
    /// [`SingleTier::compute`] for exactly when.
    pub provisional: bool,
    /// One line per rule evaluated (the registrations rule gives one line per relevant
    /// registration), saying what it gave. `counted` is true for every line that gives the final
    /// tier, i.e. the rule or rules that decided it. Then, when the tier is provisional, one line
    /// per reason, starting "Provisional:", with `counted` false.
    pub contributions: Vec<Contribution>,
    pub rule_version: &'static str,
}

/// The ARP × CSRP table exactly as in reference §10. Rows: CSRP ≥ 6.9 / ≥ 3.0 / ≥ 1.0 / ≥ 0.5 /
/// ≥ 0; columns: ARP ≥ 90 / ≥ 75 / ≥ 50 / ≥ 25 / ≥ 15 / ≥ 0.
const PREDICTOR_TABLE: [[SingleTierLetter; 6]; 5] = {
    use SingleTierLetter::*;
    [
        [A, A, B, B, B, B],
        [A, B, C, C, C, C],
        [B, C, D, E, E, E],
        [C, D, E, E, F, F],
        [D, D, E, F, F, G],
    ]
};
const CSRP_ROWS_FROM: [f64; 5] = [6.9, 3.0, 1.0, 0.5, 0.0];
const ARP_COLUMNS_FROM: [f64; 6] = [90.0, 75.0, 50.0, 25.0, 15.0, 0.0];

/// The tier the ARP × CSRP table gives. Values are compared as given, with no rounding: 6.89 is
/// in the ≥ 3.0 row, 6.9 in the ≥ 6.9 row. Values below 0 fall in the last row or column.
pub fn predictor_table_tier(arp_percent: f64, csrp_percent: f64) -> SingleTierLetter {
    let row = CSRP_ROWS_FROM
        .iter()
        .position(|from| csrp_percent >= *from)
        .unwrap_or(CSRP_ROWS_FROM.len() - 1);
    let column = ARP_COLUMNS_FROM
        .iter()
        .position(|from| arp_percent >= *from)
        .unwrap_or(ARP_COLUMNS_FROM.len() - 1);
    PREDICTOR_TABLE[row][column]
}

/// The rules, to say which one a finding came from when judging whether a tier is provisional.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Predictors,
    SexualPredictor,
    MappaAndRosh,
    LifeOrIpp,
    RegistrationsAndOffences,
}

/// What one rule found: the factor, the tier it gives (if any) and why, when that needs saying.
struct Finding {
    rule: Rule,
    factor: String,
    gives: Option<SingleTierLetter>,
    note: Option<String>,
}

impl Finding {
    fn new(rule: Rule, factor: impl Into<String>, gives: Option<SingleTierLetter>) -> Self {
        Self {
            rule,
            factor: factor.into(),
            gives,
            note: None,
        }
    }

    fn because(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

impl SingleTier {
    /// Computes the single tier.
    ///
    /// No active sentence gives [`SingleTierOutcome::NotSupervised`] whatever else is recorded.
    /// Otherwise a missing ARP or CSRP gives [`SingleTierOutcome::Missing`], even when another
    /// rule would give a tier. A predictor outside 0–100 or a score that is not a number is
    /// refused as an error rather than tiered.
    ///
    /// # When a tier is provisional
    /// Two things make the tier uncertain, and each makes it provisional only when
    /// no *other* rule already gives a tier at least as serious as the most serious the uncertain
    /// rule could give:
    /// - **RoSH not assessed.** With MAPPA, the MAPPA-and-RoSH rule could give up to A (very high
    ///   RoSH); without MAPPA, up to C. Provisional unless a rule other than MAPPA-and-RoSH gives
    ///   that tier or more serious. (With MAPPA and no RoSH that rule itself gives only E.)
    /// - **Predictors from static factors only** (`rsr_static_only`). The table can give up to A,
    ///   so provisional unless a rule other than the table gives A. A table result of A is still
    ///   provisional on its own: a full assessment could move it down, and nothing else holds it.
    ///
    /// The sexual reoffending predictor is not treated as uncertain: it is built from static
    /// factors by design.
    pub fn compute(
        inputs: &SingleTierInputs,
        rules: &SingleTierRules,
    ) -> Result<SingleTierOutcome, InvalidTieringInput> {
        if !inputs.has_active_sentence {
            return Ok(SingleTierOutcome::NotSupervised);
        }
        if let Some(arp) = inputs.arp_percent {
            check_percentage("ARP", arp)?;
        }
        if let Some(csrp) = inputs.csrp_percent {
            check_percentage("CSRP", csrp)?;
        }
        if let Some(SexualPredictor {
            score: Some(score), ..
        }) = inputs.sexual_predictor
        {
            if !score.is_finite() {
                return Err(InvalidTieringInput::SexualPredictorScoreNotANumber);
            }
        }
        if rules
            .sexual_predictor_medium_c_from
            .is_some_and(|threshold| !threshold.is_finite())
        {
            return Err(InvalidTieringInput::SexualPredictorThresholdNotANumber);
        }
        let (arp, csrp) = match (inputs.arp_percent, inputs.csrp_percent) {
            (Some(arp), Some(csrp)) => (arp, csrp),
            (None, None) => return Ok(missing(SingleTierMissing::ArpAndCsrp)),
            (None, Some(_)) => return Ok(missing(SingleTierMissing::Arp)),
            (Some(_), None) => return Ok(missing(SingleTierMissing::Csrp)),
        };

        let mut findings = vec![
            predictors(arp, csrp, inputs.rsr_static_only),
            sexual_predictor(inputs.sexual_predictor, rules),
            mappa_and_rosh(inputs.mappa, inputs.rosh),
            life_or_ipp(inputs.life_or_ipp),
        ];
        findings.extend(registrations_and_offences(
            &inputs.registrations,
            inputs.any_sexual_offence_ever,
        ));

        let most_serious = |keep: &dyn Fn(&Finding) -> bool| {
            findings
                .iter()
                .filter(|finding| keep(finding))
                .filter_map(|finding| finding.gives)
                .min()
        };
        // The table always gives a tier, so there is always one.
        let tier = most_serious(&|_| true).unwrap_or(SingleTierLetter::G);

        let mut provisional_because = Vec::new();
        if inputs.rosh.is_none() {
            let (could_give, mappa) = if inputs.mappa {
                (SingleTierLetter::A, "with MAPPA")
            } else {
                (SingleTierLetter::C, "without MAPPA")
            };
            let others = most_serious(&|finding| finding.rule != Rule::MappaAndRosh);
            if !others.is_some_and(|other| other.is_at_least_as_serious_as(could_give)) {
                provisional_because.push(Contribution::set_aside(
                    "Provisional: RoSH not assessed",
                    None,
                    format!(
                        "a RoSH assessment could give up to tier {could_give} {mappa}; \
                         assess RoSH to confirm the tier"
                    ),
                ));
            }
        }
        if inputs.rsr_static_only {
            let others = most_serious(&|finding| finding.rule != Rule::Predictors);
            if others != Some(SingleTierLetter::A) {
                provisional_because.push(Contribution::set_aside(
                    "Provisional: predictors from static factors only",
                    None,
                    "predictors from a full assessment could give up to tier A; complete the \
                     assessment to confirm the tier",
                ));
            }
        }

        let provisional = !provisional_because.is_empty();
        let mut contributions: Vec<Contribution> = findings
            .into_iter()
            .map(|finding| {
                let gives = match finding.gives {
                    Some(letter) => format!("gives tier {letter}"),
                    None => "gives no tier".to_owned(),
                };
                let effect = match finding.note {
                    Some(note) => format!("{gives} ({note})"),
                    None => gives,
                };
                Contribution {
                    factor: finding.factor,
                    points: None,
                    effect,
                    counted: finding.gives == Some(tier),
                }
            })
            .collect();
        contributions.extend(provisional_because);

        Ok(SingleTierOutcome::Tiered(SingleTier {
            tier,
            provisional,
            contributions,
            rule_version: rules.rule_version,
        }))
    }
}

fn missing(reason: SingleTierMissing) -> SingleTierOutcome {
    SingleTierOutcome::Missing { reason }
}

/// Rule 1: the ARP × CSRP table.
fn predictors(arp: f64, csrp: f64, static_only: bool) -> Finding {
    let basis = if static_only {
        " (static factors only)"
    } else {
        ""
    };
    Finding::new(
        Rule::Predictors,
        format!("Predictors: ARP {arp:.2}%, CSRP {csrp:.2}%{basis}"),
        Some(predictor_table_tier(arp, csrp)),
    )
}

/// Rule 2: the sexual reoffending predictor band.
fn sexual_predictor(predictor: Option<SexualPredictor>, rules: &SingleTierRules) -> Finding {
    let Some(SexualPredictor { band, score }) = predictor else {
        return Finding::new(
            Rule::SexualPredictor,
            "Sexual reoffending predictor: not recorded",
            None,
        );
    };
    let factor = match score {
        Some(score) => format!("Sexual reoffending predictor: {band} (score {score})"),
        None => format!("Sexual reoffending predictor: {band}"),
    };
    let finding = |letter| Finding::new(Rule::SexualPredictor, factor.clone(), Some(letter));
    match band {
        SexualPredictorBand::VeryHigh => finding(SingleTierLetter::A),
        SexualPredictorBand::High => finding(SingleTierLetter::B),
        SexualPredictorBand::Low => finding(SingleTierLetter::E),
        SexualPredictorBand::Medium => match (score, rules.sexual_predictor_medium_c_from) {
            (_, None) => finding(SingleTierLetter::C)
                .because("no score threshold is set for the medium band, so medium gives C"),
            (None, Some(_)) => {
                finding(SingleTierLetter::C).because("no score is recorded, so medium gives C")
            }
            (Some(score), Some(threshold)) if score >= threshold => {
                finding(SingleTierLetter::C).because(format!("score at or above {threshold}"))
            }
            (Some(_), Some(threshold)) => {
                finding(SingleTierLetter::D).because(format!("score below {threshold}"))
            }
        },
    }
}

/// Rule 3: MAPPA with RoSH, or RoSH alone.
fn mappa_and_rosh(mappa: bool, rosh: Option<RoshLevel>) -> Finding {
    let (factor, gives) = if mappa {
        let gives = match rosh {
            Some(RoshLevel::VeryHigh) => SingleTierLetter::A,
            Some(RoshLevel::High) => SingleTierLetter::C,
            Some(RoshLevel::Medium) => SingleTierLetter::D,
            Some(RoshLevel::Low) | None => SingleTierLetter::E,
        };
        let factor = match rosh {
            Some(rosh) => format!("MAPPA with RoSH: {rosh}"),
            None => "MAPPA with RoSH: not assessed".to_owned(),
        };
        (factor, Some(gives))
    } else {
        let gives = match rosh {
            Some(RoshLevel::VeryHigh) => Some(SingleTierLetter::C),
            Some(RoshLevel::High) => Some(SingleTierLetter::D),
            Some(RoshLevel::Medium | RoshLevel::Low) | None => None,
        };
        let factor = match rosh {
            Some(rosh) => format!("RoSH: {rosh} (not MAPPA)"),
            None => "RoSH: not assessed (not MAPPA)".to_owned(),
        };
        (factor, gives)
    };
    Finding::new(Rule::MappaAndRosh, factor, gives)
}

/// Rule 4: a life or IPP sentence, by how recently the person was released.
fn life_or_ipp(sentence: Option<LifeOrIpp>) -> Finding {
    let Some(LifeOrIpp { released_within }) = sentence else {
        return Finding::new(Rule::LifeOrIpp, "Life or IPP sentence: none", None);
    };
    let gives = match released_within {
        ReleaseRecency::WithinOneYear => SingleTierLetter::B,
        ReleaseRecency::WithinFiveYears => SingleTierLetter::D,
        ReleaseRecency::Longer | ReleaseRecency::NotReleased => SingleTierLetter::E,
    };
    Finding::new(
        Rule::LifeOrIpp,
        format!("Life or IPP sentence: {released_within}"),
        Some(gives),
    )
}

/// Rule 5: registrations and sexual offending. Only the domestic-abuse *perpetrator*
/// registration counts; a victim registration does not set a tier.
fn registrations_and_offences(
    registrations: &[RegistrationKind],
    any_sexual_offence_ever: bool,
) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    let mut seen: Vec<RegistrationKind> = Vec::new();
    for &kind in registrations {
        let gives = match kind {
            RegistrationKind::DomesticAbusePerpetrator => SingleTierLetter::E,
            RegistrationKind::Stalking | RegistrationKind::ChildProtection => SingleTierLetter::F,
            _ => continue,
        };
        if !seen.contains(&kind) {
            seen.push(kind);
            findings.push(Finding::new(
                Rule::RegistrationsAndOffences,
                format!("Registration: {kind}"),
                Some(gives),
            ));
        }
    }
    if any_sexual_offence_ever {
        findings.push(Finding::new(
            Rule::RegistrationsAndOffences,
            "Sexual offence on record",
            Some(SingleTierLetter::E),
        ));
    }
    if findings.is_empty() {
        findings.push(Finding::new(
            Rule::RegistrationsAndOffences,
            "Registrations and offences: none that set a tier",
            None,
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CodedValue;
    use SingleTierLetter::*;

    /// A supervised case with the given predictors, RoSH low, and nothing else recorded.
    fn case(arp: f64, csrp: f64) -> SingleTierInputs {
        SingleTierInputs {
            has_active_sentence: true,
            arp_percent: Some(arp),
            csrp_percent: Some(csrp),
            sexual_predictor: None,
            mappa: false,
            rosh: Some(RoshLevel::Low),
            life_or_ipp: None,
            registrations: Vec::new(),
            any_sexual_offence_ever: false,
            rsr_static_only: false,
        }
    }

    fn outcome(inputs: &SingleTierInputs) -> SingleTierOutcome {
        SingleTier::compute(inputs, &SingleTierRules::default()).expect("valid inputs")
    }

    fn tiered_with(inputs: &SingleTierInputs, rules: &SingleTierRules) -> SingleTier {
        match SingleTier::compute(inputs, rules).expect("valid inputs") {
            SingleTierOutcome::Tiered(tier) => tier,
            other => panic!("expected a tier, got {other:?}"),
        }
    }

    fn tiered(inputs: &SingleTierInputs) -> SingleTier {
        tiered_with(inputs, &SingleTierRules::default())
    }

    fn tier_of(inputs: &SingleTierInputs) -> SingleTierLetter {
        tiered(inputs).tier
    }

    fn deciders(tier: &SingleTier) -> Vec<&str> {
        tier.contributions
            .iter()
            .filter(|c| c.counted)
            .map(|c| c.factor.as_str())
            .collect()
    }

    // The §10 examples.

    #[test]
    fn arp_90_and_csrp_6_9_is_tier_a() {
        assert_eq!(tier_of(&case(90.0, 6.9)), A);
    }

    #[test]
    fn arp_50_and_csrp_1_0_is_tier_d() {
        assert_eq!(tier_of(&case(50.0, 1.0)), D);
    }

    #[test]
    fn arp_15_and_csrp_0_5_is_tier_f() {
        assert_eq!(tier_of(&case(15.0, 0.5)), F);
    }

    #[test]
    fn arp_0_and_csrp_0_is_tier_g() {
        assert_eq!(tier_of(&case(0.0, 0.0)), G);
    }

    #[test]
    fn mappa_with_high_rosh_is_tier_c() {
        let inputs = SingleTierInputs {
            mappa: true,
            rosh: Some(RoshLevel::High),
            ..case(0.0, 0.0)
        };
        let tier = tiered(&inputs);
        assert_eq!(tier.tier, C);
        assert_eq!(deciders(&tier), ["MAPPA with RoSH: High"]);
        assert!(!tier.provisional);
    }

    // The table, cell by cell and boundary by boundary.

    #[test]
    fn the_predictor_table_matches_the_reference_at_every_lower_boundary() {
        let reference = [
            "AABBBB", // CSRP >= 6.9
            "ABCCCC", // CSRP >= 3.0
            "BCDEEE", // CSRP >= 1.0
            "CDEEFF", // CSRP >= 0.5
            "DDEFFG", // CSRP >= 0.0
        ];
        let csrp_from = [6.9, 3.0, 1.0, 0.5, 0.0];
        let arp_from = [90.0, 75.0, 50.0, 25.0, 15.0, 0.0];
        for (row, letters) in reference.iter().enumerate() {
            for (column, letter) in letters.chars().enumerate() {
                let expected = SingleTierLetter::parse(&letter.to_string()).unwrap();
                assert_eq!(
                    predictor_table_tier(arp_from[column], csrp_from[row]),
                    expected,
                    "ARP {} CSRP {}",
                    arp_from[column],
                    csrp_from[row]
                );
            }
        }
    }

    #[test]
    fn csrp_6_89_falls_to_the_3_0_row_and_6_9_is_in_the_top_row() {
        assert_eq!(predictor_table_tier(90.0, 6.89), A);
        assert_eq!(predictor_table_tier(75.0, 6.89), B);
        assert_eq!(predictor_table_tier(75.0, 6.9), A);
        assert_eq!(predictor_table_tier(0.0, 6.89), C);
        assert_eq!(predictor_table_tier(0.0, 6.9), B);
    }

    #[test]
    fn csrp_2_99_falls_to_the_1_0_row() {
        assert_eq!(predictor_table_tier(0.0, 3.0), C);
        assert_eq!(predictor_table_tier(0.0, 2.99), E);
    }

    #[test]
    fn csrp_0_99_falls_to_the_0_5_row() {
        assert_eq!(predictor_table_tier(50.0, 1.0), D);
        assert_eq!(predictor_table_tier(50.0, 0.99), E);
    }

    #[test]
    fn csrp_0_49_falls_to_the_bottom_row() {
        assert_eq!(predictor_table_tier(0.0, 0.5), F);
        assert_eq!(predictor_table_tier(0.0, 0.49), G);
    }

    #[test]
    fn arp_89_99_falls_to_the_75_column() {
        assert_eq!(predictor_table_tier(90.0, 1.0), B);
        assert_eq!(predictor_table_tier(89.99, 1.0), C);
    }

    #[test]
    fn arp_74_99_falls_to_the_50_column() {
        assert_eq!(predictor_table_tier(75.0, 1.0), C);
        assert_eq!(predictor_table_tier(74.99, 1.0), D);
    }

    #[test]
    fn arp_49_99_falls_to_the_25_column() {
        assert_eq!(predictor_table_tier(50.0, 1.0), D);
        assert_eq!(predictor_table_tier(49.99, 1.0), E);
    }

    #[test]
    fn arp_24_99_falls_to_the_15_column() {
        assert_eq!(predictor_table_tier(25.0, 0.0), F);
        assert_eq!(predictor_table_tier(24.99, 0.0), F);
        assert_eq!(predictor_table_tier(25.0, 0.5), E);
        assert_eq!(predictor_table_tier(24.99, 0.5), F);
    }

    #[test]
    fn arp_14_99_falls_to_the_0_column() {
        assert_eq!(predictor_table_tier(15.0, 0.0), F);
        assert_eq!(predictor_table_tier(14.99, 0.0), G);
    }

    #[test]
    fn predictors_of_100_percent_are_tier_a() {
        assert_eq!(tier_of(&case(100.0, 100.0)), A);
    }

    // Sexual reoffending predictor.

    fn with_sexual_predictor(band: SexualPredictorBand, score: Option<f64>) -> SingleTierInputs {
        SingleTierInputs {
            sexual_predictor: Some(SexualPredictor { band, score }),
            ..case(0.0, 0.0)
        }
    }

    #[test]
    fn sexual_predictor_very_high_is_a_high_is_b_low_is_e() {
        use SexualPredictorBand as Band;
        assert_eq!(tier_of(&with_sexual_predictor(Band::VeryHigh, None)), A);
        assert_eq!(tier_of(&with_sexual_predictor(Band::High, None)), B);
        assert_eq!(tier_of(&with_sexual_predictor(Band::Low, None)), E);
    }

    #[test]
    fn sexual_predictor_medium_is_c_when_no_threshold_is_set() {
        let tier = tiered(&with_sexual_predictor(
            SexualPredictorBand::Medium,
            Some(0.1),
        ));
        assert_eq!(tier.tier, C);
        assert!(tier.contributions[1]
            .effect
            .contains("no score threshold is set"));
    }

    #[test]
    fn sexual_predictor_medium_is_c_at_or_above_the_threshold_and_d_below() {
        let rules = SingleTierRules {
            sexual_predictor_medium_c_from: Some(2.0),
            rule_version: "test",
        };
        let medium = |score| with_sexual_predictor(SexualPredictorBand::Medium, Some(score));
        assert_eq!(tiered_with(&medium(2.0), &rules).tier, C);
        assert_eq!(tiered_with(&medium(1.99), &rules).tier, D);
        assert_eq!(tiered_with(&medium(1.99), &rules).rule_version, "test");
    }

    #[test]
    fn sexual_predictor_medium_without_a_score_is_c_even_with_a_threshold() {
        let rules = SingleTierRules {
            sexual_predictor_medium_c_from: Some(2.0),
            rule_version: "test",
        };
        let medium = with_sexual_predictor(SexualPredictorBand::Medium, None);
        assert_eq!(tiered_with(&medium, &rules).tier, C);
    }

    // MAPPA and RoSH.

    fn with_rosh(mappa: bool, rosh: Option<RoshLevel>) -> SingleTierInputs {
        SingleTierInputs {
            mappa,
            rosh,
            ..case(0.0, 0.0)
        }
    }

    #[test]
    fn mappa_with_very_high_rosh_is_a_medium_is_d_low_is_e() {
        assert_eq!(tier_of(&with_rosh(true, Some(RoshLevel::VeryHigh))), A);
        assert_eq!(tier_of(&with_rosh(true, Some(RoshLevel::Medium))), D);
        assert_eq!(tier_of(&with_rosh(true, Some(RoshLevel::Low))), E);
    }

    #[test]
    fn mappa_without_a_rosh_assessment_is_e() {
        assert_eq!(tier_of(&with_rosh(true, None)), E);
    }

    #[test]
    fn without_mappa_very_high_rosh_is_c_high_is_d_and_medium_gives_no_tier() {
        assert_eq!(tier_of(&with_rosh(false, Some(RoshLevel::VeryHigh))), C);
        assert_eq!(tier_of(&with_rosh(false, Some(RoshLevel::High))), D);
        assert_eq!(tier_of(&with_rosh(false, Some(RoshLevel::Medium))), G);
    }

    // Life and IPP sentences.

    fn with_life(released_within: ReleaseRecency) -> SingleTierInputs {
        SingleTierInputs {
            life_or_ipp: Some(LifeOrIpp { released_within }),
            ..case(0.0, 0.0)
        }
    }

    #[test]
    fn life_or_ipp_released_within_a_year_is_b_within_five_years_d_otherwise_e() {
        assert_eq!(tier_of(&with_life(ReleaseRecency::WithinOneYear)), B);
        assert_eq!(tier_of(&with_life(ReleaseRecency::WithinFiveYears)), D);
        assert_eq!(tier_of(&with_life(ReleaseRecency::Longer)), E);
        assert_eq!(tier_of(&with_life(ReleaseRecency::NotReleased)), E);
    }

    // Registrations and offences.

    fn with_registrations(registrations: Vec<RegistrationKind>) -> SingleTierInputs {
        SingleTierInputs {
            registrations,
            ..case(0.0, 0.0)
        }
    }

    #[test]
    fn a_domestic_abuse_perpetrator_registration_lifts_g_to_e() {
        let inputs = with_registrations(vec![RegistrationKind::DomesticAbusePerpetrator]);
        let tier = tiered(&inputs);
        assert_eq!(tier.tier, E);
        assert_eq!(
            deciders(&tier),
            ["Registration: Domestic abuse perpetrator"]
        );
    }

    #[test]
    fn a_domestic_abuse_victim_registration_does_not_set_a_tier() {
        let inputs = with_registrations(vec![RegistrationKind::DomesticAbuseVictim]);
        assert_eq!(tier_of(&inputs), G);
    }

    #[test]
    fn stalking_and_child_protection_registrations_give_f() {
        assert_eq!(
            tier_of(&with_registrations(vec![RegistrationKind::Stalking])),
            F
        );
        assert_eq!(
            tier_of(&with_registrations(vec![RegistrationKind::ChildProtection])),
            F
        );
    }

    #[test]
    fn any_sexual_offence_ever_gives_e() {
        let inputs = SingleTierInputs {
            any_sexual_offence_ever: true,
            ..case(0.0, 0.0)
        };
        assert_eq!(tier_of(&inputs), E);
    }

    #[test]
    fn a_repeated_registration_is_listed_once() {
        let inputs =
            with_registrations(vec![RegistrationKind::Stalking, RegistrationKind::Stalking]);
        let tier = tiered(&inputs);
        assert_eq!(
            tier.contributions
                .iter()
                .filter(|c| c.factor == "Registration: Stalking")
                .count(),
            1
        );
    }

    // Not supervised, missing and invalid.

    #[test]
    fn no_active_sentence_is_not_supervised() {
        let inputs = SingleTierInputs {
            has_active_sentence: false,
            arp_percent: None,
            csrp_percent: None,
            ..case(0.0, 0.0)
        };
        assert_eq!(outcome(&inputs), SingleTierOutcome::NotSupervised);
    }

    #[test]
    fn missing_predictors_give_missing_with_what_to_record() {
        let neither = SingleTierInputs {
            arp_percent: None,
            csrp_percent: None,
            ..case(0.0, 0.0)
        };
        assert_eq!(
            outcome(&neither),
            SingleTierOutcome::Missing {
                reason: SingleTierMissing::ArpAndCsrp
            }
        );
        let no_csrp = SingleTierInputs {
            csrp_percent: None,
            ..case(50.0, 0.0)
        };
        assert_eq!(
            outcome(&no_csrp),
            SingleTierOutcome::Missing {
                reason: SingleTierMissing::Csrp
            }
        );
        let no_arp = SingleTierInputs {
            arp_percent: None,
            ..case(0.0, 1.0)
        };
        assert_eq!(
            outcome(&no_arp),
            SingleTierOutcome::Missing {
                reason: SingleTierMissing::Arp
            }
        );
        assert_eq!(
            SingleTierMissing::Csrp.to_string(),
            "Record the combined serious reoffending predictor (CSRP) to compute the tier"
        );
    }

    #[test]
    fn missing_predictors_give_missing_even_when_mappa_would_give_a() {
        let inputs = SingleTierInputs {
            arp_percent: None,
            mappa: true,
            rosh: Some(RoshLevel::VeryHigh),
            ..case(0.0, 0.0)
        };
        assert!(matches!(
            outcome(&inputs),
            SingleTierOutcome::Missing { .. }
        ));
    }

    #[test]
    fn a_predictor_outside_0_to_100_is_refused() {
        let inputs = case(100.5, 1.0);
        assert!(matches!(
            SingleTier::compute(&inputs, &SingleTierRules::default()),
            Err(InvalidTieringInput::NotAPercentage {
                predictor: "ARP",
                ..
            })
        ));
        let inputs = case(50.0, f64::NAN);
        assert!(matches!(
            SingleTier::compute(&inputs, &SingleTierRules::default()),
            Err(InvalidTieringInput::NotAPercentage {
                predictor: "CSRP",
                ..
            })
        ));
    }

    #[test]
    fn a_sexual_predictor_score_or_threshold_that_is_not_a_number_is_refused() {
        let inputs = with_sexual_predictor(SexualPredictorBand::Medium, Some(f64::INFINITY));
        assert_eq!(
            SingleTier::compute(&inputs, &SingleTierRules::default()),
            Err(InvalidTieringInput::SexualPredictorScoreNotANumber)
        );
        let rules = SingleTierRules {
            sexual_predictor_medium_c_from: Some(f64::NAN),
            rule_version: "test",
        };
        assert_eq!(
            SingleTier::compute(&case(0.0, 0.0), &rules),
            Err(InvalidTieringInput::SexualPredictorThresholdNotANumber)
        );
    }

    // Provisional tiers.

    #[test]
    fn provisional_when_rosh_is_missing_and_nothing_else_reaches_c_without_mappa() {
        let tier = tiered(&SingleTierInputs {
            rosh: None,
            ..case(50.0, 1.0)
        });
        assert_eq!(tier.tier, D);
        assert!(tier.provisional);
        let reason = tier.contributions.last().unwrap();
        assert_eq!(reason.factor, "Provisional: RoSH not assessed");
        assert!(reason.effect.contains("up to tier C without MAPPA"));
        assert!(!reason.counted);
    }

    #[test]
    fn not_provisional_when_rosh_is_missing_but_the_predictors_already_give_c_without_mappa() {
        let tier = tiered(&SingleTierInputs {
            rosh: None,
            ..case(50.0, 3.0)
        });
        assert_eq!(tier.tier, C);
        assert!(!tier.provisional);
    }

    #[test]
    fn provisional_when_rosh_is_missing_with_mappa_and_nothing_else_reaches_a() {
        let tier = tiered(&SingleTierInputs {
            mappa: true,
            rosh: None,
            ..case(75.0, 3.0)
        });
        assert_eq!(tier.tier, B);
        assert!(tier.provisional);
        assert!(tier
            .contributions
            .last()
            .unwrap()
            .effect
            .contains("up to tier A with MAPPA"));
    }

    #[test]
    fn not_provisional_when_rosh_is_missing_with_mappa_but_another_factor_already_gives_a() {
        let tier = tiered(&SingleTierInputs {
            mappa: true,
            rosh: None,
            sexual_predictor: Some(SexualPredictor {
                band: SexualPredictorBand::VeryHigh,
                score: None,
            }),
            ..case(0.0, 0.0)
        });
        assert_eq!(tier.tier, A);
        assert!(!tier.provisional);
    }

    #[test]
    fn provisional_when_predictors_are_static_only_and_no_other_rule_gives_a() {
        let tier = tiered(&SingleTierInputs {
            rsr_static_only: true,
            ..case(90.0, 6.9)
        });
        assert_eq!(tier.tier, A);
        assert!(tier.provisional);
        assert_eq!(
            tier.contributions.last().unwrap().factor,
            "Provisional: predictors from static factors only"
        );
        assert!(tier.contributions[0]
            .factor
            .ends_with("(static factors only)"));
    }

    #[test]
    fn not_provisional_when_predictors_are_static_only_but_mappa_and_very_high_rosh_give_a() {
        let tier = tiered(&SingleTierInputs {
            rsr_static_only: true,
            mappa: true,
            rosh: Some(RoshLevel::VeryHigh),
            ..case(0.0, 0.0)
        });
        assert_eq!(tier.tier, A);
        assert!(!tier.provisional);
    }

    #[test]
    fn a_complete_case_lists_every_rule_and_marks_the_deciders() {
        let tier = tiered(&SingleTierInputs {
            has_active_sentence: true,
            arp_percent: Some(60.0),
            csrp_percent: Some(3.5),
            sexual_predictor: Some(SexualPredictor {
                band: SexualPredictorBand::Low,
                score: Some(0.4),
            }),
            mappa: true,
            rosh: Some(RoshLevel::High),
            life_or_ipp: None,
            registrations: vec![
                RegistrationKind::DomesticAbusePerpetrator,
                RegistrationKind::MentalHealthIssues,
            ],
            any_sexual_offence_ever: false,
            rsr_static_only: false,
        });
        assert_eq!(tier.tier, C);
        assert!(!tier.provisional);
        assert_eq!(tier.rule_version, SINGLE_TIERING_RULE_VERSION);
        let lines: Vec<(&str, &str, bool)> = tier
            .contributions
            .iter()
            .map(|c| (c.factor.as_str(), c.effect.as_str(), c.counted))
            .collect();
        assert_eq!(
            lines,
            [
                ("Predictors: ARP 60.00%, CSRP 3.50%", "gives tier C", true),
                (
                    "Sexual reoffending predictor: Low (score 0.4)",
                    "gives tier E",
                    false
                ),
                ("MAPPA with RoSH: High", "gives tier C", true),
                ("Life or IPP sentence: none", "gives no tier", false),
                (
                    "Registration: Domestic abuse perpetrator",
                    "gives tier E",
                    false
                ),
            ]
        );
        assert!(tier.contributions.iter().all(|c| c.points.is_none()));
    }

    #[test]
    fn tier_letters_order_most_serious_first() {
        assert!(A.is_at_least_as_serious_as(B));
        assert!(C.is_at_least_as_serious_as(C));
        assert!(!G.is_at_least_as_serious_as(F));
        assert_eq!(SingleTierLetter::ALL.len(), 7);
    }

    #[test]
    fn release_recency_counts_from_the_release_date() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let today = date(2026, 11, 22);
        assert_eq!(ReleaseRecency::on(None, today), ReleaseRecency::NotReleased);
        assert_eq!(
            ReleaseRecency::on(Some(today), today),
            ReleaseRecency::WithinOneYear
        );
        assert_eq!(
            ReleaseRecency::on(Some(date(2027, 1, 1)), today),
            ReleaseRecency::NotReleased
        );
        assert_eq!(
            ReleaseRecency::on(Some(date(2025, 11, 23)), today),
            ReleaseRecency::WithinOneYear
        );
        assert_eq!(
            ReleaseRecency::on(Some(date(2025, 11, 22)), today),
            ReleaseRecency::WithinFiveYears
        );
        assert_eq!(
            ReleaseRecency::on(Some(date(2021, 11, 22)), today),
            ReleaseRecency::Longer
        );
    }
}
