//! The single tier A–G introduced in 2026 (reference §10, second part), as the service's public
//! tiering service codes it.
//!
//! Five steps each may give a tier; the case's tier is the most serious of them (A is the most
//! serious, G the least):
//! 1. the all-reoffending predictor (ARP) × combined serious reoffending predictor (CSRP) table;
//! 2. the direct-contact sexual reoffending predictor (DC-SRP), by band and, in the medium band,
//!    by score;
//! 3. the MAPPA category with RoSH, or RoSH alone;
//! 4. a life or IPP sentence and how recently the person was released;
//! 5. domestic-abuse perpetrator, stalking and child-protection registrations, and any sexual
//!    offence ever.
//!
//! A tier is *provisional* when a missing or partial input could still make it more serious:
//! predictors from static factors only, or no RoSH (see [`SingleTier::compute`]).

use super::SINGLE_TIERING_RULE_VERSION;
use super::{check_percentage, Contribution, InvalidTieringInput, RoshLevel};
use crate::coded_enum;
use crate::registration::{MappaCategory, RegistrationKind};
use crate::CodedValue;
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
    /// The band of the direct-contact sexual reoffending predictor (DC-SRP, OSP/DC). "Not
    /// applicable" is what OASys records for a person with no sexual offending to score.
    pub enum SexualPredictorBand ("sexual reoffending predictor band") {
        Low => "low", "Low",
        Medium => "medium", "Medium",
        High => "high", "High",
        VeryHigh => "very_high", "Very high",
        NotApplicable => "not_applicable", "Not applicable",
    }
}

/// A direct-contact sexual reoffending predictor result. It is used only when its score is above
/// 0 and its band is low, medium, high or very high; in the medium band the score decides
/// between C and D (see [`medium_sexual_predictor_tier`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SexualPredictor {
    pub band: SexualPredictorBand,
    /// `None` when no score is recorded: the predictor is then not used.
    pub score: Option<f64>,
}

/// The lowest DC-SRP score a medium band can have (reference §10): below it the band and score
/// contradict each other and the input is refused.
pub const MEDIUM_SEXUAL_PREDICTOR_LOWEST_SCORE: f64 = 0.60;

/// The tier a medium DC-SRP band gives by its score (reference §10): ≥ 3.36 → C, 2.11–3.35 → D
/// (scores without risk reduction), 1.12–2.10 → C, 0.60–1.11 → D (scores with risk reduction).
/// Each range runs up to the next one's lower bound, so a score written with more decimals
/// (3.355) falls in the range below. `None` below 0.60, where a medium band is not possible.
pub fn medium_sexual_predictor_tier(score: f64) -> Option<SingleTierLetter> {
    medium_band(score).map(|(letter, _)| letter)
}

/// The tier a medium DC-SRP score gives and its range in words.
fn medium_band(score: f64) -> Option<(SingleTierLetter, &'static str)> {
    if score >= 3.36 {
        Some((
            SingleTierLetter::C,
            "medium band with a score of 3.36 or more",
        ))
    } else if score >= 2.11 {
        Some((
            SingleTierLetter::D,
            "medium band with a score from 2.11 to 3.35",
        ))
    } else if score >= 1.12 {
        Some((
            SingleTierLetter::C,
            "medium band with a score from 1.12 to 2.10",
        ))
    } else if score >= MEDIUM_SEXUAL_PREDICTOR_LOWEST_SCORE {
        Some((
            SingleTierLetter::D,
            "medium band with a score from 0.60 to 1.11",
        ))
    } else {
        None
    }
}

coded_enum! {
    /// What a reoffending predictor was computed from: static factors only (criminal history,
    /// age; before a full assessment) or static and dynamic factors (a full assessment).
    pub enum PredictorType ("predictor type") {
        Static => "static", "Static",
        Dynamic => "dynamic", "Dynamic",
    }
}

coded_enum! {
    /// For a life or IPP sentence: how long ago the person was released.
    pub enum ReleaseRecency ("release recency") {
        NotYetReleased => "not_yet_released", "release date still to come",
        WithinOneYear => "within_one_year", "released within the last year",
        WithinFiveYears => "within_five_years", "released within the last five years",
        Longer => "longer", "released more than five years ago",
    }
}

impl ReleaseRecency {
    /// How long before `today` the person was released on `released`: within one year until the
    /// day before the first anniversary of release, within five years until the day before the
    /// fifth, longer from then on; a release date after `today` is still to come.
    pub fn on(released: NaiveDate, today: NaiveDate) -> Self {
        let within = |months: u32| {
            released
                .checked_add_months(Months::new(months))
                .is_some_and(|until| today < until)
        };
        if released > today {
            ReleaseRecency::NotYetReleased
        } else if within(12) {
            ReleaseRecency::WithinOneYear
        } else if within(60) {
            ReleaseRecency::WithinFiveYears
        } else {
            ReleaseRecency::Longer
        }
    }
}

/// A life sentence or imprisonment for public protection with a release date: the step reads
/// nothing without one (reference §10: "registration plus a release date").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LifeOrIpp {
    pub released_within: ReleaseRecency,
}

/// Everything the single tier reads.
#[derive(Debug, Clone, PartialEq)]
pub struct SingleTierInputs {
    /// False when the person has no active event: they are not supervised and not tiered.
    pub has_active_event: bool,
    /// All-reoffending predictor, %.
    pub arp_percent: Option<f64>,
    /// Combined serious reoffending predictor, %.
    pub csrp_percent: Option<f64>,
    /// Whether the ARP is from static factors only; `None` when not recorded, which counts as
    /// neither static nor dynamic, as in the service.
    pub arp_type: Option<PredictorType>,
    /// Whether the CSRP is from static factors only; `None` as for `arp_type`.
    pub csrp_type: Option<PredictorType>,
    /// The direct-contact sexual reoffending predictor (DC-SRP).
    pub sexual_predictor: Option<SexualPredictor>,
    /// The category of the latest MAPPA registration; the MAPPA level plays no part here.
    pub mappa_category: Option<MappaCategory>,
    /// `None` when RoSH has not been assessed.
    pub rosh: Option<RoshLevel>,
    /// A life or IPP sentence with a release date.
    pub life_or_ipp: Option<LifeOrIpp>,
    /// Active registrations; duplicates are allowed and listed once.
    pub registrations: Vec<RegistrationKind>,
    pub any_sexual_offence_ever: bool,
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
    /// No active event: the person is not supervised, so has no tier. Never provisional.
    NotSupervised,
    /// The predictors the table needs are not recorded. Never provisional.
    Missing {
        reason: SingleTierMissing,
    },
}

/// A computed single tier with its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SingleTier {
    pub tier: SingleTierLetter,
    /// The tier could still become more serious once missing or partial information is complete;
    /// see [`SingleTier::compute`] for exactly when.
    pub provisional: bool,
    /// One line per step evaluated (the registrations step gives one line per relevant
    /// registration), saying what it gave. `counted` is true for every line that gives the final
    /// tier, i.e. the step or steps that decided it. Then, when the tier is provisional, one line
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
/// Above any percentage: the "ARP or CSRP could be anything" of the static-predictor rule.
const HIGHEST_PERCENT: f64 = 100.0;

/// The tier the ARP × CSRP table gives: the row is the first CSRP threshold met, the column the
/// first ARP threshold met. Values are compared as the decimals they were written as, with no
/// rounding (see [`super`]): 6.8999999 is in the ≥ 3.0 row, 6.9 in the ≥ 6.9 row. Values below 0
/// fall in the last row or column.
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

/// The steps, to say which one a finding came from when judging whether a tier is provisional.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Predictors,
    SexualPredictor,
    MappaAndRosh,
    LifeOrIpp,
    RegistrationsAndOffences,
}

/// What one step found: the factor, the tier it gives (if any) and why, when that needs saying.
struct Finding {
    step: Step,
    factor: String,
    gives: Option<SingleTierLetter>,
    note: Option<String>,
}

impl Finding {
    fn new(step: Step, factor: impl Into<String>, gives: Option<SingleTierLetter>) -> Self {
        Self {
            step,
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

/// The most serious tier the findings kept by `keep` give; `None` when none gives one.
fn most_serious(findings: &[Finding], keep: impl Fn(&Finding) -> bool) -> Option<SingleTierLetter> {
    findings
        .iter()
        .filter(|finding| keep(finding))
        .filter_map(|finding| finding.gives)
        .min()
}

impl SingleTier {
    /// Computes the single tier.
    ///
    /// Inputs that cannot be right are refused first, whatever else is recorded: a predictor
    /// outside 0–100, a DC-SRP score that is not a number of 0 or more, or a medium DC-SRP band
    /// with a score below 0.60. Then no active event gives [`SingleTierOutcome::NotSupervised`];
    /// a missing ARP or CSRP gives [`SingleTierOutcome::Missing`], even when another step would
    /// give a tier. Neither is ever provisional.
    ///
    /// # When a tier is provisional (reference §10)
    /// - **Static predictors.** With X the most serious tier of the steps other than the table:
    ///   both ARP and CSRP static → provisional unless X is A; only the ARP static → unless X
    ///   reaches the first column of the CSRP's row (what any ARP could give); only the CSRP
    ///   static → unless X reaches the top row of the ARP's column (what any CSRP could give).
    /// - **RoSH missing.** With Y the most serious tier of the steps other than MAPPA-and-RoSH,
    ///   the table counted only when both predictors are dynamic: with a MAPPA category →
    ///   provisional unless Y is A; without one → unless Y reaches C.
    ///
    /// A predictor whose type is not recorded is neither static nor dynamic, as in the service:
    /// it does not make the tier provisional, and the table it feeds does not count for Y.
    pub fn compute(inputs: &SingleTierInputs) -> Result<SingleTierOutcome, InvalidTieringInput> {
        check(inputs)?;
        if !inputs.has_active_event {
            return Ok(SingleTierOutcome::NotSupervised);
        }
        let (arp, csrp) = match (inputs.arp_percent, inputs.csrp_percent) {
            (Some(arp), Some(csrp)) => (arp, csrp),
            (None, None) => return Ok(missing(SingleTierMissing::ArpAndCsrp)),
            (None, Some(_)) => return Ok(missing(SingleTierMissing::Arp)),
            (Some(_), None) => return Ok(missing(SingleTierMissing::Csrp)),
        };

        let mut findings = vec![
            predictors(arp, csrp, inputs.arp_type, inputs.csrp_type),
            sexual_predictor(inputs.sexual_predictor),
            mappa_and_rosh(inputs.mappa_category, inputs.rosh),
            life_or_ipp(inputs.life_or_ipp),
        ];
        findings.extend(registrations_and_offences(
            &inputs.registrations,
            inputs.any_sexual_offence_ever,
        ));

        // The table always gives a tier, so there is always one.
        let tier = most_serious(&findings, |_| true).unwrap_or(SingleTierLetter::G);
        let mut provisional_because = Vec::new();
        provisional_because.extend(static_predictors(inputs, arp, csrp, &findings));
        provisional_because.extend(rosh_missing(inputs, &findings));

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
            rule_version: SINGLE_TIERING_RULE_VERSION,
        }))
    }
}

/// Refuses inputs that cannot be right, rather than tiering from them.
fn check(inputs: &SingleTierInputs) -> Result<(), InvalidTieringInput> {
    if let Some(arp) = inputs.arp_percent {
        check_percentage("ARP", arp)?;
    }
    if let Some(csrp) = inputs.csrp_percent {
        check_percentage("CSRP", csrp)?;
    }
    if let Some(SexualPredictor {
        band,
        score: Some(score),
    }) = inputs.sexual_predictor
    {
        if !score.is_finite() || score < 0.0 {
            return Err(InvalidTieringInput::SexualPredictorScoreNotANumber);
        }
        if band == SexualPredictorBand::Medium
            && score > 0.0
            && medium_sexual_predictor_tier(score).is_none()
        {
            return Err(InvalidTieringInput::MediumSexualPredictorScoreTooLow { score });
        }
    }
    Ok(())
}

fn missing(reason: SingleTierMissing) -> SingleTierOutcome {
    SingleTierOutcome::Missing { reason }
}

/// Why the tier is provisional because of static predictors, if it is.
fn static_predictors(
    inputs: &SingleTierInputs,
    arp: f64,
    csrp: f64,
    findings: &[Finding],
) -> Option<Contribution> {
    let arp_static = inputs.arp_type == Some(PredictorType::Static);
    let csrp_static = inputs.csrp_type == Some(PredictorType::Static);
    let (could_give, which) = match (arp_static, csrp_static) {
        (true, true) => (SingleTierLetter::A, "the ARP and the CSRP are"),
        (true, false) => (predictor_table_tier(HIGHEST_PERCENT, csrp), "the ARP is"),
        (false, true) => (predictor_table_tier(arp, HIGHEST_PERCENT), "the CSRP is"),
        (false, false) => return None,
    };
    let others = most_serious(findings, |finding| finding.step != Step::Predictors);
    if others.is_some_and(|other| other.is_at_least_as_serious_as(could_give)) {
        return None;
    }
    Some(Contribution::set_aside(
        "Provisional: predictors from static factors only",
        None,
        format!(
            "{which} from static factors only, and a full assessment could give up to tier \
             {could_give}, which no other step gives; complete the assessment to confirm the tier"
        ),
    ))
}

/// Why the tier is provisional because RoSH is missing, if it is.
fn rosh_missing(inputs: &SingleTierInputs, findings: &[Finding]) -> Option<Contribution> {
    if inputs.rosh.is_some() {
        return None;
    }
    let (needed, mappa) = match inputs.mappa_category {
        Some(_) => (SingleTierLetter::A, "with a MAPPA category"),
        None => (SingleTierLetter::C, "without a MAPPA category"),
    };
    let both_dynamic = inputs.arp_type == Some(PredictorType::Dynamic)
        && inputs.csrp_type == Some(PredictorType::Dynamic);
    let others = most_serious(findings, |finding| match finding.step {
        Step::MappaAndRosh => false,
        Step::Predictors => both_dynamic,
        _ => true,
    });
    if others.is_some_and(|other| other.is_at_least_as_serious_as(needed)) {
        return None;
    }
    let table = if both_dynamic {
        ""
    } else {
        " (the predictor table counts here only when both predictors are dynamic)"
    };
    Some(Contribution::set_aside(
        "Provisional: RoSH not assessed",
        None,
        format!(
            "a RoSH assessment could give up to tier {needed} {mappa}, and no other step \
             gives it{table}; assess RoSH to confirm the tier"
        ),
    ))
}

/// How a predictor's type reads in an explanation.
fn predictor_type(kind: Option<PredictorType>) -> &'static str {
    kind.map_or("type not recorded", |kind| kind.code())
}

/// Step 1: the ARP × CSRP table.
fn predictors(
    arp: f64,
    csrp: f64,
    arp_type: Option<PredictorType>,
    csrp_type: Option<PredictorType>,
) -> Finding {
    Finding::new(
        Step::Predictors,
        format!(
            "Predictors: ARP {arp}% ({}), CSRP {csrp}% ({})",
            predictor_type(arp_type),
            predictor_type(csrp_type)
        ),
        Some(predictor_table_tier(arp, csrp)),
    )
}

/// Step 2: the direct-contact sexual reoffending predictor, used only with a band from low to
/// very high and a score above 0. [`check`] has refused a medium band below 0.60.
fn sexual_predictor(predictor: Option<SexualPredictor>) -> Finding {
    const FACTOR: &str = "Sexual reoffending predictor (direct contact)";
    let Some(SexualPredictor { band, score }) = predictor else {
        return Finding::new(
            Step::SexualPredictor,
            format!("{FACTOR}: not recorded"),
            None,
        );
    };
    let factor = match score {
        Some(score) => format!("{FACTOR}: {band}, score {score}"),
        None => format!("{FACTOR}: {band}, no score"),
    };
    let not_used = |factor: String| {
        Finding::new(Step::SexualPredictor, factor, None)
            .because("used only with a band from low to very high and a score above 0")
    };
    let finding = |letter| Finding::new(Step::SexualPredictor, factor.clone(), Some(letter));
    match (band, score.filter(|score| *score > 0.0)) {
        (SexualPredictorBand::NotApplicable, _) | (_, None) => not_used(factor),
        (SexualPredictorBand::VeryHigh, Some(_)) => finding(SingleTierLetter::A),
        (SexualPredictorBand::High, Some(_)) => finding(SingleTierLetter::B),
        (SexualPredictorBand::Low, Some(_)) => finding(SingleTierLetter::E),
        (SexualPredictorBand::Medium, Some(score)) => match medium_band(score) {
            Some((letter, range)) => finding(letter).because(range),
            // Refused by `check` before any step runs.
            None => not_used(factor),
        },
    }
}

/// Step 3: the MAPPA category with RoSH, or RoSH alone.
fn mappa_and_rosh(category: Option<MappaCategory>, rosh: Option<RoshLevel>) -> Finding {
    let rosh_text = rosh.map_or_else(|| "not assessed".to_owned(), |rosh| rosh.to_string());
    let (factor, gives) = match category {
        Some(category) => {
            let gives = match rosh {
                Some(RoshLevel::VeryHigh) => SingleTierLetter::A,
                Some(RoshLevel::High) => SingleTierLetter::C,
                Some(RoshLevel::Medium) => SingleTierLetter::D,
                Some(RoshLevel::Low) | None => SingleTierLetter::E,
            };
            (
                format!("MAPPA ({category}) with RoSH: {rosh_text}"),
                Some(gives),
            )
        }
        None => {
            let gives = match rosh {
                Some(RoshLevel::VeryHigh) => Some(SingleTierLetter::C),
                Some(RoshLevel::High) => Some(SingleTierLetter::D),
                Some(RoshLevel::Medium | RoshLevel::Low) | None => None,
            };
            (format!("RoSH: {rosh_text} (no MAPPA category)"), gives)
        }
    };
    Finding::new(Step::MappaAndRosh, factor, gives)
}

/// Step 4: a life or IPP sentence, by how recently the person was released.
fn life_or_ipp(sentence: Option<LifeOrIpp>) -> Finding {
    let Some(LifeOrIpp { released_within }) = sentence else {
        return Finding::new(Step::LifeOrIpp, "Life or IPP sentence: none", None);
    };
    let gives = match released_within {
        ReleaseRecency::NotYetReleased | ReleaseRecency::WithinOneYear => SingleTierLetter::B,
        ReleaseRecency::WithinFiveYears => SingleTierLetter::D,
        ReleaseRecency::Longer => SingleTierLetter::E,
    };
    Finding::new(
        Step::LifeOrIpp,
        format!("Life or IPP sentence: {released_within}"),
        Some(gives),
    )
}

/// Step 5: registrations and sexual offending. Only the domestic-abuse *perpetrator*
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
                Step::RegistrationsAndOffences,
                format!("Registration: {kind}"),
                Some(gives),
            ));
        }
    }
    if any_sexual_offence_ever {
        findings.push(Finding::new(
            Step::RegistrationsAndOffences,
            "Sexual offence on record",
            Some(SingleTierLetter::E),
        ));
    }
    if findings.is_empty() {
        findings.push(Finding::new(
            Step::RegistrationsAndOffences,
            "Registrations and offences: none that set a tier",
            None,
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use SingleTierLetter::*;

    /// A supervised case with the given dynamic predictors, RoSH low, and nothing else recorded.
    fn case(arp: f64, csrp: f64) -> SingleTierInputs {
        SingleTierInputs {
            has_active_event: true,
            arp_percent: Some(arp),
            csrp_percent: Some(csrp),
            arp_type: Some(PredictorType::Dynamic),
            csrp_type: Some(PredictorType::Dynamic),
            sexual_predictor: None,
            mappa_category: None,
            rosh: Some(RoshLevel::Low),
            life_or_ipp: None,
            registrations: Vec::new(),
            any_sexual_offence_ever: false,
        }
    }

    fn outcome(inputs: &SingleTierInputs) -> SingleTierOutcome {
        SingleTier::compute(inputs).expect("valid inputs")
    }

    fn tiered(inputs: &SingleTierInputs) -> SingleTier {
        match outcome(inputs) {
            SingleTierOutcome::Tiered(tier) => tier,
            other => panic!("expected a tier, got {other:?}"),
        }
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

    fn provisional_reasons(tier: &SingleTier) -> Vec<&str> {
        tier.contributions
            .iter()
            .filter(|c| c.factor.starts_with("Provisional:"))
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
    fn a_mappa_category_with_high_rosh_is_tier_c() {
        let inputs = SingleTierInputs {
            mappa_category: Some(MappaCategory::ViolentOffender),
            rosh: Some(RoshLevel::High),
            ..case(0.0, 0.0)
        };
        let tier = tiered(&inputs);
        assert_eq!(tier.tier, C);
        assert_eq!(
            deciders(&tier),
            ["MAPPA (Category 2: violent offender) with RoSH: High"]
        );
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
    fn csrp_6_8999999_is_below_6_9_as_a_decimal_and_falls_to_the_3_0_row() {
        assert_eq!(predictor_table_tier(75.0, 6.899_999_9), B);
        assert_eq!(predictor_table_tier(75.0, 6.9), A);
        assert_eq!(predictor_table_tier(0.0, 6.89), C);
        assert_eq!(predictor_table_tier(0.0, 6.9), B);
        // Text is read as the nearest f64, which compares as the decimal written.
        let written = |text: &str| text.parse::<f64>().unwrap();
        assert_eq!(predictor_table_tier(75.0, written("6.90")), A);
        assert_eq!(predictor_table_tier(75.0, written("6.8999999")), B);
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

    // The direct-contact sexual reoffending predictor.

    fn with_sexual_predictor(band: SexualPredictorBand, score: Option<f64>) -> SingleTierInputs {
        SingleTierInputs {
            sexual_predictor: Some(SexualPredictor { band, score }),
            ..case(0.0, 0.0)
        }
    }

    #[test]
    fn dcsrp_very_high_is_a_high_is_b_low_is_e() {
        use SexualPredictorBand as Band;
        assert_eq!(
            tier_of(&with_sexual_predictor(Band::VeryHigh, Some(9.0))),
            A
        );
        assert_eq!(tier_of(&with_sexual_predictor(Band::High, Some(5.0))), B);
        assert_eq!(tier_of(&with_sexual_predictor(Band::Low, Some(0.3))), E);
    }

    #[test]
    fn dcsrp_medium_is_c_from_3_36_d_from_2_11_c_from_1_12_and_d_from_0_60() {
        let medium = |score| {
            tier_of(&with_sexual_predictor(
                SexualPredictorBand::Medium,
                Some(score),
            ))
        };
        assert_eq!(medium(5.0), C);
        assert_eq!(medium(3.36), C);
        assert_eq!(medium(3.35), D);
        assert_eq!(medium(2.11), D);
        assert_eq!(medium(2.10), C);
        assert_eq!(medium(1.12), C);
        assert_eq!(medium(1.11), D);
        assert_eq!(medium(0.60), D);
    }

    #[test]
    fn dcsrp_medium_scores_between_the_written_ranges_fall_in_the_range_below() {
        assert_eq!(medium_sexual_predictor_tier(3.355), Some(D));
        assert_eq!(medium_sexual_predictor_tier(2.105), Some(C));
        assert_eq!(medium_sexual_predictor_tier(1.115), Some(D));
    }

    #[test]
    fn dcsrp_medium_explains_the_score_range() {
        let tier = tiered(&with_sexual_predictor(
            SexualPredictorBand::Medium,
            Some(2.5),
        ));
        assert_eq!(
            tier.contributions[1].factor,
            "Sexual reoffending predictor (direct contact): Medium, score 2.5"
        );
        assert_eq!(
            tier.contributions[1].effect,
            "gives tier D (medium band with a score from 2.11 to 3.35)"
        );
    }

    #[test]
    fn a_medium_dcsrp_below_0_60_is_refused_as_invalid_input() {
        let inputs = with_sexual_predictor(SexualPredictorBand::Medium, Some(0.59));
        assert_eq!(
            SingleTier::compute(&inputs),
            Err(InvalidTieringInput::MediumSexualPredictorScoreTooLow { score: 0.59 })
        );
    }

    #[test]
    fn a_dcsrp_with_a_score_of_0_or_none_or_not_applicable_is_not_used() {
        use SexualPredictorBand as Band;
        for inputs in [
            with_sexual_predictor(Band::VeryHigh, Some(0.0)),
            with_sexual_predictor(Band::Medium, Some(0.0)),
            with_sexual_predictor(Band::High, None),
            with_sexual_predictor(Band::NotApplicable, Some(3.0)),
        ] {
            let tier = tiered(&inputs);
            assert_eq!(tier.tier, G, "{inputs:?}");
            assert!(tier.contributions[1].effect.starts_with("gives no tier"));
        }
    }

    #[test]
    fn a_dcsrp_score_that_is_not_a_number_of_0_or_more_is_refused() {
        for score in [f64::INFINITY, f64::NAN, -0.5] {
            let inputs = with_sexual_predictor(SexualPredictorBand::Low, Some(score));
            assert_eq!(
                SingleTier::compute(&inputs),
                Err(InvalidTieringInput::SexualPredictorScoreNotANumber)
            );
        }
    }

    // MAPPA category and RoSH.

    fn with_rosh(category: Option<MappaCategory>, rosh: Option<RoshLevel>) -> SingleTierInputs {
        SingleTierInputs {
            mappa_category: category,
            rosh,
            ..case(0.0, 0.0)
        }
    }

    const CATEGORY_1: Option<MappaCategory> = Some(MappaCategory::RegisteredSexOffender);

    #[test]
    fn a_mappa_category_with_very_high_rosh_is_a_medium_is_d_low_is_e() {
        assert_eq!(
            tier_of(&with_rosh(CATEGORY_1, Some(RoshLevel::VeryHigh))),
            A
        );
        assert_eq!(tier_of(&with_rosh(CATEGORY_1, Some(RoshLevel::Medium))), D);
        assert_eq!(tier_of(&with_rosh(CATEGORY_1, Some(RoshLevel::Low))), E);
    }

    #[test]
    fn a_mappa_category_without_a_rosh_assessment_is_e() {
        assert_eq!(tier_of(&with_rosh(CATEGORY_1, None)), E);
    }

    #[test]
    fn without_a_mappa_category_very_high_rosh_is_c_high_is_d_and_medium_gives_no_tier() {
        assert_eq!(tier_of(&with_rosh(None, Some(RoshLevel::VeryHigh))), C);
        assert_eq!(tier_of(&with_rosh(None, Some(RoshLevel::High))), D);
        assert_eq!(tier_of(&with_rosh(None, Some(RoshLevel::Medium))), G);
    }

    // Life and IPP sentences.

    fn with_life(released_within: ReleaseRecency) -> SingleTierInputs {
        SingleTierInputs {
            life_or_ipp: Some(LifeOrIpp { released_within }),
            ..case(0.0, 0.0)
        }
    }

    #[test]
    fn life_or_ipp_released_within_a_year_or_in_future_is_b_within_five_years_d_earlier_e() {
        assert_eq!(tier_of(&with_life(ReleaseRecency::NotYetReleased)), B);
        assert_eq!(tier_of(&with_life(ReleaseRecency::WithinOneYear)), B);
        assert_eq!(tier_of(&with_life(ReleaseRecency::WithinFiveYears)), D);
        assert_eq!(tier_of(&with_life(ReleaseRecency::Longer)), E);
    }

    #[test]
    fn release_recency_counts_from_the_release_date() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let today = date(2026, 11, 22);
        for (released, within) in [
            (today, ReleaseRecency::WithinOneYear),
            (date(2027, 1, 1), ReleaseRecency::NotYetReleased),
            (date(2025, 11, 23), ReleaseRecency::WithinOneYear),
            (date(2025, 11, 22), ReleaseRecency::WithinFiveYears),
            (date(2021, 11, 23), ReleaseRecency::WithinFiveYears),
            (date(2021, 11, 22), ReleaseRecency::Longer),
        ] {
            assert_eq!(ReleaseRecency::on(released, today), within, "{released}");
        }
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
    fn no_active_event_is_not_supervised_and_never_provisional() {
        let inputs = SingleTierInputs {
            has_active_event: false,
            rosh: None,
            arp_type: Some(PredictorType::Static),
            ..case(0.0, 0.0)
        };
        assert_eq!(outcome(&inputs), SingleTierOutcome::NotSupervised);
    }

    #[test]
    fn missing_predictors_give_missing_with_what_to_record_and_are_never_provisional() {
        let neither = SingleTierInputs {
            arp_percent: None,
            csrp_percent: None,
            rosh: None,
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
            mappa_category: CATEGORY_1,
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
        assert!(matches!(
            SingleTier::compute(&case(100.5, 1.0)),
            Err(InvalidTieringInput::NotAPercentage {
                predictor: "ARP",
                ..
            })
        ));
        assert!(matches!(
            SingleTier::compute(&case(50.0, f64::NAN)),
            Err(InvalidTieringInput::NotAPercentage {
                predictor: "CSRP",
                ..
            })
        ));
    }

    // Provisional: static predictors.

    fn with_types(
        arp: PredictorType,
        csrp: PredictorType,
        inputs: SingleTierInputs,
    ) -> SingleTierInputs {
        SingleTierInputs {
            arp_type: Some(arp),
            csrp_type: Some(csrp),
            ..inputs
        }
    }

    use PredictorType::{Dynamic, Static};

    #[test]
    fn both_predictors_static_is_provisional_unless_another_step_gives_a() {
        let table_a = tiered(&with_types(Static, Static, case(90.0, 6.9)));
        assert_eq!(table_a.tier, A);
        assert!(table_a.provisional, "the table alone does not hold A");
        assert_eq!(
            provisional_reasons(&table_a),
            ["Provisional: predictors from static factors only"]
        );

        let held = tiered(&with_types(
            Static,
            Static,
            with_rosh(CATEGORY_1, Some(RoshLevel::VeryHigh)),
        ));
        assert_eq!(held.tier, A);
        assert!(!held.provisional);

        let b_from_life = tiered(&with_types(
            Static,
            Static,
            with_life(ReleaseRecency::WithinOneYear),
        ));
        assert_eq!(b_from_life.tier, B);
        assert!(b_from_life.provisional, "B is not A");
    }

    #[test]
    fn only_the_arp_static_is_provisional_unless_another_step_reaches_the_first_column_of_the_csrp_row(
    ) {
        // CSRP 1.0 row: any ARP could give B.
        let c_from_rosh = tiered(&with_types(
            Static,
            Dynamic,
            SingleTierInputs {
                mappa_category: CATEGORY_1,
                rosh: Some(RoshLevel::High),
                ..case(0.0, 1.0)
            },
        ));
        assert_eq!(c_from_rosh.tier, C);
        assert!(c_from_rosh.provisional);

        let b_from_dcsrp = tiered(&with_types(
            Static,
            Dynamic,
            SingleTierInputs {
                sexual_predictor: Some(SexualPredictor {
                    band: SexualPredictorBand::High,
                    score: Some(4.0),
                }),
                ..case(0.0, 1.0)
            },
        ));
        assert_eq!(b_from_dcsrp.tier, B);
        assert!(!b_from_dcsrp.provisional);

        // CSRP below 0.5: any ARP could give only D, which D from another step reaches.
        let d_from_rosh = tiered(&with_types(
            Static,
            Dynamic,
            SingleTierInputs {
                rosh: Some(RoshLevel::High),
                ..case(0.0, 0.0)
            },
        ));
        assert_eq!(d_from_rosh.tier, D);
        assert!(!d_from_rosh.provisional);
    }

    #[test]
    fn only_the_csrp_static_is_provisional_unless_another_step_reaches_the_top_row_of_the_arp_column(
    ) {
        // ARP 75 column: any CSRP could give A.
        let b_from_life = tiered(&with_types(
            Dynamic,
            Static,
            SingleTierInputs {
                life_or_ipp: Some(LifeOrIpp {
                    released_within: ReleaseRecency::WithinOneYear,
                }),
                ..case(75.0, 0.0)
            },
        ));
        assert_eq!(b_from_life.tier, B);
        assert!(b_from_life.provisional);

        // ARP below 75: any CSRP could give only B, which life within a year reaches.
        let b_held = tiered(&with_types(
            Dynamic,
            Static,
            SingleTierInputs {
                life_or_ipp: Some(LifeOrIpp {
                    released_within: ReleaseRecency::WithinOneYear,
                }),
                ..case(74.0, 0.0)
            },
        ));
        assert!(!b_held.provisional);

        let nothing_else = tiered(&with_types(Dynamic, Static, case(10.0, 0.0)));
        assert_eq!(nothing_else.tier, G);
        assert!(nothing_else.provisional);
    }

    #[test]
    fn predictors_of_unrecorded_type_are_neither_static_nor_dynamic() {
        let inputs = SingleTierInputs {
            arp_type: None,
            csrp_type: None,
            ..case(90.0, 6.9)
        };
        assert!(!tiered(&inputs).provisional);
        let no_rosh = SingleTierInputs {
            rosh: None,
            ..inputs
        };
        let tier = tiered(&no_rosh);
        assert_eq!(tier.tier, A);
        assert!(
            tier.provisional,
            "the table does not count for RoSH unless both are dynamic"
        );
    }

    // Provisional: RoSH missing.

    #[test]
    fn rosh_missing_without_a_mappa_category_is_provisional_unless_another_step_reaches_c() {
        let tier = tiered(&SingleTierInputs {
            rosh: None,
            ..case(50.0, 1.0)
        });
        assert_eq!(tier.tier, D);
        assert!(tier.provisional);
        let reason = tier.contributions.last().unwrap();
        assert_eq!(reason.factor, "Provisional: RoSH not assessed");
        assert!(reason
            .effect
            .contains("up to tier C without a MAPPA category"));
        assert!(!reason.counted);

        let c_from_table = tiered(&SingleTierInputs {
            rosh: None,
            ..case(50.0, 3.0)
        });
        assert_eq!(c_from_table.tier, C);
        assert!(!c_from_table.provisional);
    }

    #[test]
    fn rosh_missing_with_a_mappa_category_is_provisional_unless_another_step_gives_a() {
        let tier = tiered(&SingleTierInputs {
            mappa_category: CATEGORY_1,
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
            .contains("up to tier A with a MAPPA category"));

        let a_from_dcsrp = tiered(&SingleTierInputs {
            mappa_category: CATEGORY_1,
            rosh: None,
            sexual_predictor: Some(SexualPredictor {
                band: SexualPredictorBand::VeryHigh,
                score: Some(8.0),
            }),
            ..case(0.0, 0.0)
        });
        assert_eq!(a_from_dcsrp.tier, A);
        assert!(!a_from_dcsrp.provisional);
    }

    #[test]
    fn rosh_missing_counts_the_table_only_when_both_predictors_are_dynamic() {
        let static_c = tiered(&with_types(
            Dynamic,
            Static,
            SingleTierInputs {
                rosh: None,
                ..case(50.0, 3.0)
            },
        ));
        assert_eq!(static_c.tier, C);
        assert_eq!(
            provisional_reasons(&static_c),
            [
                "Provisional: predictors from static factors only",
                "Provisional: RoSH not assessed"
            ]
        );
    }

    #[test]
    fn a_complete_case_lists_every_step_and_marks_the_deciders() {
        let tier = tiered(&SingleTierInputs {
            has_active_event: true,
            arp_percent: Some(60.0),
            csrp_percent: Some(3.5),
            arp_type: Some(Dynamic),
            csrp_type: Some(Dynamic),
            sexual_predictor: Some(SexualPredictor {
                band: SexualPredictorBand::Low,
                score: Some(0.4),
            }),
            mappa_category: Some(MappaCategory::ViolentOffender),
            rosh: Some(RoshLevel::High),
            life_or_ipp: None,
            registrations: vec![
                RegistrationKind::DomesticAbusePerpetrator,
                RegistrationKind::MentalHealthIssues,
            ],
            any_sexual_offence_ever: false,
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
                (
                    "Predictors: ARP 60% (dynamic), CSRP 3.5% (dynamic)",
                    "gives tier C",
                    true
                ),
                (
                    "Sexual reoffending predictor (direct contact): Low, score 0.4",
                    "gives tier E",
                    false
                ),
                (
                    "MAPPA (Category 2: violent offender) with RoSH: High",
                    "gives tier C",
                    true
                ),
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
}
