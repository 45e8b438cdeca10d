//! Predictors keepsafe cannot compute, recorded from an external assessment (OASys, a prison
//! assessment, a court report): the risk of serious recidivism (RSR), the all-reoffending and
//! combined serious reoffending predictors (ARP, CSRP), the sexual reoffending predictors for
//! direct contact (OSP/DC, also called DC-SRP) and indecent images (OSP/IIC), and the OVP points,
//! from which keepsafe works out OVP's percentages and band ([`super::ovp`]).
//!
//! Each score is kept with where it came from and the date of the assessment, because a tier read
//! from a score is only as good as the score: the pages show both, and how old it is. A score
//! older than [`PredictorRules::stale_after_months`] is flagged stale; the tiers still read the
//! latest score (as the service's own tiering does), but every page that shows it says so.

use super::ovp::{self, OvpScore};
use crate::coded_enum;
use crate::tiering::{SexualPredictor, SexualPredictorBand};
use crate::CodedValue;
use chrono::{Datelike, Months, NaiveDate};
use std::fmt;
use thiserror::Error;

/// The version of [`PredictorRules::default`]. Shown on the pages that explain a stale flag.
pub const PREDICTOR_RULES_VERSION: &str =
    "keepsafe recorded predictors, rule 1 (stale after 12 months)";

/// The lowest score a medium direct-contact band can have: the tiering rules place a medium band
/// by its score from 0.60 up and call anything lower invalid (reference §10).
pub const MEDIUM_DC_SCORE_FROM: f64 = 0.60;

coded_enum! {
    /// Which predictor a recorded score is.
    pub enum PredictorKind ("predictor") {
        Rsr => "rsr", "Risk of serious recidivism (RSR)",
        Arp => "arp", "All-reoffending predictor (ARP)",
        Csrp => "csrp", "Combined serious reoffending predictor (CSRP)",
        OspDc => "osp_dc", "Sexual reoffending predictor, direct contact (OSP/DC)",
        OspIic => "osp_iic", "Sexual reoffending predictor, indecent images (OSP/IIC)",
        Ovp => "ovp", "Violence predictor (OVP)",
    }
}

impl PredictorKind {
    /// The short name people use for it ("RSR", "OSP/DC").
    pub fn short_name(self) -> &'static str {
        match self {
            PredictorKind::Rsr => "RSR",
            PredictorKind::Arp => "ARP",
            PredictorKind::Csrp => "CSRP",
            PredictorKind::OspDc => "OSP/DC",
            PredictorKind::OspIic => "OSP/IIC",
            PredictorKind::Ovp => "OVP",
        }
    }
}

/// Whether an ARP or CSRP was worked out from static factors only (history, age, sex) or with
/// the dynamic factors of a full assessment too: the tiering rules' own type, so a recorded score
/// reaches the single tier (where a static one can make it provisional) without conversion.
pub use crate::tiering::PredictorType as PredictorBasis;

coded_enum! {
    /// The RSR band (reference §11): low below 3%, medium 3% to 6.89%, high 6.9% or more.
    pub enum RsrBand ("RSR band") {
        Low => "low", "Low",
        Medium => "medium", "Medium",
        High => "high", "High",
    }
}

impl RsrBand {
    /// The band of an RSR percentage, compared as given: 6.89 is medium, 6.9 high.
    pub fn from_percent(percent: f64) -> Self {
        if percent >= 6.9 {
            RsrBand::High
        } else if percent >= 3.0 {
            RsrBand::Medium
        } else {
            RsrBand::Low
        }
    }
}

coded_enum! {
    /// The band of a sexual reoffending predictor (OSP/DC or OSP/IIC) as the assessment gives it.
    /// "Not applicable" is recorded for a person the predictor does not apply to, so a reader can
    /// tell "assessed, not applicable" from "never recorded".
    pub enum OspBand ("sexual reoffending predictor band") {
        Low => "low", "Low",
        Medium => "medium", "Medium",
        High => "high", "High",
        VeryHigh => "very_high", "Very high",
        NotApplicable => "not_applicable", "Not applicable",
    }
}

impl OspBand {
    /// The band as the tiering rules read it; `None` for not applicable.
    pub fn tiering_band(self) -> Option<SexualPredictorBand> {
        match self {
            OspBand::Low => Some(SexualPredictorBand::Low),
            OspBand::Medium => Some(SexualPredictorBand::Medium),
            OspBand::High => Some(SexualPredictorBand::High),
            OspBand::VeryHigh => Some(SexualPredictorBand::VeryHigh),
            OspBand::NotApplicable => None,
        }
    }
}

coded_enum! {
    /// Where a recorded score came from.
    pub enum PredictorSource ("predictor source") {
        Oasys => "oasys", "OASys",
        PrisonAssessment => "prison_assessment", "Prison assessment",
        CourtReport => "court_report", "Court report",
        ParoleReport => "parole_report", "Parole report",
        Other => "other", "Other",
    }
}

/// Where a score came from, with the words given for "other".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentSource {
    pub source: PredictorSource,
    /// What the assessment was, for [`PredictorSource::Other`]; `None` otherwise.
    pub other: Option<String>,
}

impl fmt::Display for AssessmentSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.source, &self.other) {
            (PredictorSource::Other, Some(other)) => f.write_str(other),
            (source, _) => f.write_str(source.label()),
        }
    }
}

/// One recorded score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PredictorValue {
    Rsr {
        percent: f64,
    },
    Arp {
        percent: f64,
        basis: PredictorBasis,
    },
    Csrp {
        percent: f64,
        basis: PredictorBasis,
    },
    /// The direct-contact sexual predictor; the score matters in the medium band, where the
    /// tiering rules place the case by it.
    OspDc {
        band: OspBand,
        score: Option<f64>,
    },
    OspIic {
        band: OspBand,
    },
    /// The points from the assessment; keepsafe works out the percentages and band.
    Ovp {
        points: u32,
    },
}

impl PredictorValue {
    pub fn kind(&self) -> PredictorKind {
        match self {
            PredictorValue::Rsr { .. } => PredictorKind::Rsr,
            PredictorValue::Arp { .. } => PredictorKind::Arp,
            PredictorValue::Csrp { .. } => PredictorKind::Csrp,
            PredictorValue::OspDc { .. } => PredictorKind::OspDc,
            PredictorValue::OspIic { .. } => PredictorKind::OspIic,
            PredictorValue::Ovp { .. } => PredictorKind::Ovp,
        }
    }

    /// The score as people read it: "7.5%", "50% (static)", "score 2.5", "82 points: 80% in one
    /// year, 89% in two".
    pub fn value_words(&self) -> String {
        match self {
            PredictorValue::Rsr { percent } => format!("{}%", number(*percent)),
            PredictorValue::Arp { percent, basis } | PredictorValue::Csrp { percent, basis } => {
                format!("{}% ({})", number(*percent), basis.label().to_lowercase())
            }
            PredictorValue::OspDc { score, .. } => match score {
                Some(score) => format!("Score {}", number(*score)),
                None => "No score".to_owned(),
            },
            PredictorValue::OspIic { .. } => "Band only".to_owned(),
            PredictorValue::Ovp { points } => match self.ovp() {
                Some(score) => format!(
                    "{points} points: {}% within one year, {}% within two years",
                    score.one_year, score.two_year
                ),
                None => format!("{points} points"),
            },
        }
    }

    /// The band as people read it, where the predictor has one.
    pub fn band_words(&self) -> Option<&'static str> {
        match self {
            PredictorValue::Rsr { percent } => Some(RsrBand::from_percent(*percent).label()),
            PredictorValue::Arp { .. } | PredictorValue::Csrp { .. } => None,
            PredictorValue::OspDc { band, .. } | PredictorValue::OspIic { band } => {
                Some(band.label())
            }
            PredictorValue::Ovp { .. } => self.ovp().map(|score| score.band.label()),
        }
    }

    /// OVP worked out from the points, for an OVP value.
    pub fn ovp(&self) -> Option<OvpScore> {
        match self {
            PredictorValue::Ovp { points } => ovp::ovp(*points).ok(),
            _ => None,
        }
    }
}

/// A number as typed back: no trailing zeros ("7.5", "50", "0.65").
pub fn number(value: f64) -> String {
    let text = format!("{value:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A score with where it came from: what the tiers and pages read.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedPredictor {
    pub value: PredictorValue,
    pub source: AssessmentSource,
    pub assessed_on: NaiveDate,
}

/// An external assessment's scores as they are to be recorded: each one becomes a
/// [`RecordedPredictor`] with the same source and date.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentScores {
    pub source: AssessmentSource,
    pub assessed_on: NaiveDate,
    pub values: Vec<PredictorValue>,
}

impl AssessmentScores {
    /// Each score as recorded.
    pub fn recorded(&self) -> Vec<RecordedPredictor> {
        self.values
            .iter()
            .map(|value| RecordedPredictor {
                value: *value,
                source: self.source.clone(),
                assessed_on: self.assessed_on,
            })
            .collect()
    }
}

/// What was typed on the form recording an assessment's scores, each field as text. A blank score
/// is not recorded; at least one must be given.
#[derive(Debug, Clone, Copy, Default)]
pub struct TypedScores<'a> {
    pub source: &'a str,
    pub source_other: &'a str,
    /// `None` when the date could not be read; the form has already said why.
    pub assessed_on: Option<NaiveDate>,
    pub rsr_percent: &'a str,
    pub arp_percent: &'a str,
    pub arp_basis: &'a str,
    pub csrp_percent: &'a str,
    pub csrp_basis: &'a str,
    pub dc_band: &'a str,
    pub dc_score: &'a str,
    pub iic_band: &'a str,
    pub ovp_points: &'a str,
}

/// Why a score cannot be recorded. Each names its field ([`ScoreInputError::field`], the form
/// field's name) and says what to do.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ScoreInputError {
    #[error("Select where the scores come from")]
    SourceMissing,
    #[error("Say which assessment or report the scores come from")]
    SourceOtherMissing,
    #[error("The date of the assessment cannot be in the future")]
    AssessedInFuture,
    #[error("Enter at least one score")]
    NothingRecorded,
    #[error("Enter the {predictor} as a number, like 4.25")]
    NotANumber {
        field: &'static str,
        predictor: &'static str,
    },
    #[error("The {predictor} must be a percentage from 0 to 100")]
    NotAPercentage {
        field: &'static str,
        predictor: &'static str,
    },
    #[error("Select whether the {predictor} is static or dynamic")]
    BasisMissing {
        field: &'static str,
        predictor: &'static str,
    },
    #[error("Select the {predictor} band from the list")]
    UnknownBand {
        field: &'static str,
        predictor: &'static str,
    },
    #[error("Select the OSP/DC band: a score was entered without one")]
    DcScoreWithoutBand,
    #[error("Enter the OSP/DC score: a medium band is placed by its score")]
    MediumDcWithoutScore,
    #[error(
        "A medium OSP/DC band needs a score of 0.60 or more; the tiering rules treat a lower score as invalid"
    )]
    MediumDcBelowMinimum,
    #[error("Enter the OVP points as a whole number, like 82")]
    OvpPointsNotWhole,
    #[error("The OVP points must be from 0 to {}", ovp::MAXIMUM_POINTS)]
    OvpPointsOutOfRange,
}

impl ScoreInputError {
    /// The form field the error belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            ScoreInputError::SourceMissing => "source",
            ScoreInputError::SourceOtherMissing => "source_other",
            ScoreInputError::AssessedInFuture => "assessed_on",
            ScoreInputError::NothingRecorded => "rsr_percent",
            ScoreInputError::NotANumber { field, .. }
            | ScoreInputError::NotAPercentage { field, .. }
            | ScoreInputError::BasisMissing { field, .. }
            | ScoreInputError::UnknownBand { field, .. } => field,
            ScoreInputError::DcScoreWithoutBand => "dc_band",
            ScoreInputError::MediumDcWithoutScore | ScoreInputError::MediumDcBelowMinimum => {
                "dc_score"
            }
            ScoreInputError::OvpPointsNotWhole | ScoreInputError::OvpPointsOutOfRange => {
                "ovp_points"
            }
        }
    }
}

/// The most characters kept of the words given for an "other" source.
const SOURCE_OTHER_LIMIT: usize = 200;

impl<'a> TypedScores<'a> {
    /// The scores to record, or every reason they cannot be, each naming its field. `today` is
    /// the day they are recorded: an assessment cannot be dated after it.
    pub fn parse(&self, today: NaiveDate) -> Result<AssessmentScores, Vec<ScoreInputError>> {
        let mut errors = Vec::new();
        let mut keep = |result: Result<Option<PredictorValue>, ScoreInputError>| match result {
            Ok(value) => value,
            Err(error) => {
                errors.push(error);
                None
            }
        };
        let values: Vec<PredictorValue> = [
            keep(self.rsr()),
            keep(self.percent_with_basis(PredictorKind::Arp)),
            keep(self.percent_with_basis(PredictorKind::Csrp)),
            keep(self.direct_contact()),
            keep(self.indecent_images()),
            keep(self.ovp()),
        ]
        .into_iter()
        .flatten()
        .collect();
        let source = match PredictorSource::parse(self.source.trim()) {
            Ok(PredictorSource::Other) => match self.source_other.trim() {
                "" => {
                    errors.push(ScoreInputError::SourceOtherMissing);
                    None
                }
                other => Some(AssessmentSource {
                    source: PredictorSource::Other,
                    other: Some(other.chars().take(SOURCE_OTHER_LIMIT).collect()),
                }),
            },
            Ok(source) => Some(AssessmentSource {
                source,
                other: None,
            }),
            Err(_) => {
                errors.push(ScoreInputError::SourceMissing);
                None
            }
        };
        if self.assessed_on.is_some_and(|date| date > today) {
            errors.push(ScoreInputError::AssessedInFuture);
        }
        let nothing_typed = [
            self.rsr_percent,
            self.arp_percent,
            self.csrp_percent,
            self.dc_band,
            self.dc_score,
            self.iic_band,
            self.ovp_points,
        ]
        .iter()
        .all(|typed| typed.trim().is_empty());
        if nothing_typed {
            errors.push(ScoreInputError::NothingRecorded);
        }
        match (source, self.assessed_on, errors.is_empty()) {
            (Some(source), Some(assessed_on), true) => Ok(AssessmentScores {
                source,
                assessed_on,
                values,
            }),
            _ => Err(errors),
        }
    }

    fn rsr(&self) -> Result<Option<PredictorValue>, ScoreInputError> {
        Ok(percentage(self.rsr_percent, "rsr_percent", "RSR")?
            .map(|percent| PredictorValue::Rsr { percent }))
    }

    fn percent_with_basis(
        &self,
        kind: PredictorKind,
    ) -> Result<Option<PredictorValue>, ScoreInputError> {
        let (typed, basis, field, basis_field) = match kind {
            PredictorKind::Arp => (self.arp_percent, self.arp_basis, "arp_percent", "arp_basis"),
            _ => (
                self.csrp_percent,
                self.csrp_basis,
                "csrp_percent",
                "csrp_basis",
            ),
        };
        let predictor = kind.short_name();
        let Some(percent) = percentage(typed, field, predictor)? else {
            return Ok(None);
        };
        let basis =
            PredictorBasis::parse(basis.trim()).map_err(|_| ScoreInputError::BasisMissing {
                field: basis_field,
                predictor,
            })?;
        Ok(Some(match kind {
            PredictorKind::Arp => PredictorValue::Arp { percent, basis },
            _ => PredictorValue::Csrp { percent, basis },
        }))
    }

    fn direct_contact(&self) -> Result<Option<PredictorValue>, ScoreInputError> {
        let score = percentage(self.dc_score, "dc_score", "OSP/DC score")?;
        let band = band(self.dc_band, "dc_band", "OSP/DC")?;
        match (band, score) {
            (None, None) => Ok(None),
            (None, Some(_)) => Err(ScoreInputError::DcScoreWithoutBand),
            (Some(OspBand::Medium), None) => Err(ScoreInputError::MediumDcWithoutScore),
            (Some(OspBand::Medium), Some(score)) if score < MEDIUM_DC_SCORE_FROM => {
                Err(ScoreInputError::MediumDcBelowMinimum)
            }
            (Some(band), score) => Ok(Some(PredictorValue::OspDc { band, score })),
        }
    }

    fn indecent_images(&self) -> Result<Option<PredictorValue>, ScoreInputError> {
        Ok(band(self.iic_band, "iic_band", "OSP/IIC")?.map(|band| PredictorValue::OspIic { band }))
    }

    fn ovp(&self) -> Result<Option<PredictorValue>, ScoreInputError> {
        let typed = self.ovp_points.trim();
        if typed.is_empty() {
            return Ok(None);
        }
        let points: u32 = typed
            .parse()
            .map_err(|_| ScoreInputError::OvpPointsNotWhole)?;
        ovp::ovp(points).map_err(|_| ScoreInputError::OvpPointsOutOfRange)?;
        Ok(Some(PredictorValue::Ovp { points }))
    }
}

/// A typed percentage: blank is `None`; "7.5" and "7.5%" are 7.5; anything else, or a number
/// outside 0–100, is refused naming `field`.
fn percentage(
    typed: &str,
    field: &'static str,
    predictor: &'static str,
) -> Result<Option<f64>, ScoreInputError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let number: f64 = typed
        .trim_end_matches('%')
        .trim()
        .parse()
        .ok()
        .filter(|value: &f64| value.is_finite())
        .ok_or(ScoreInputError::NotANumber { field, predictor })?;
    if (0.0..=100.0).contains(&number) {
        Ok(Some(number))
    } else {
        Err(ScoreInputError::NotAPercentage { field, predictor })
    }
}

/// A chosen band: blank is `None`; a code not in the list is refused naming `field`.
fn band(
    typed: &str,
    field: &'static str,
    predictor: &'static str,
) -> Result<Option<OspBand>, ScoreInputError> {
    match typed.trim() {
        "" => Ok(None),
        code => OspBand::parse(code)
            .map(Some)
            .map_err(|_| ScoreInputError::UnknownBand { field, predictor }),
    }
}

/// When a recorded score is no longer taken as current. Versioned, and set per deployment: the
/// reference gives no age limit, so 12 months is keepsafe's own default, the interval at which
/// OASys assessments are usually reviewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PredictorRules {
    /// A score assessed this many months ago or more is stale.
    pub stale_after_months: u32,
    /// Identifies these rules; rules with another interval carry their own version.
    pub rule_version: &'static str,
}

impl Default for PredictorRules {
    fn default() -> Self {
        Self {
            stale_after_months: 12,
            rule_version: PREDICTOR_RULES_VERSION,
        }
    }
}

/// Whether a recorded score is still current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Current until the day before `stale_from`.
    Current { stale_from: NaiveDate },
    /// Stale since `since`.
    Stale { since: NaiveDate },
}

impl Freshness {
    pub fn is_stale(self) -> bool {
        matches!(self, Freshness::Stale { .. })
    }
}

impl PredictorRules {
    /// The day a score assessed on `assessed_on` becomes stale: the same day of the month
    /// `stale_after_months` later (the last day of the month when that month is shorter).
    pub fn stale_from(&self, assessed_on: NaiveDate) -> NaiveDate {
        assessed_on
            .checked_add_months(Months::new(self.stale_after_months))
            .unwrap_or(NaiveDate::MAX)
    }

    /// Whether a score assessed on `assessed_on` is stale on `today`.
    pub fn freshness(&self, assessed_on: NaiveDate, today: NaiveDate) -> Freshness {
        let stale_from = self.stale_from(assessed_on);
        if today >= stale_from {
            Freshness::Stale { since: stale_from }
        } else {
            Freshness::Current { stale_from }
        }
    }

    /// Why a stale score is stale, in words ("older than 12 months").
    pub fn stale_reason(&self) -> String {
        format!(
            "the assessment is {} months old or more",
            self.stale_after_months
        )
    }
}

/// How long ago an assessment was, in words: "today", "1 day ago", "3 weeks ago", "9 months
/// ago", "2 years ago". Whole units, rounded down, so "9 months ago" is at least nine months.
pub fn age_in_words(assessed_on: NaiveDate, today: NaiveDate) -> String {
    let days = (today - assessed_on).num_days();
    let months = whole_months(assessed_on, today);
    let plural = |n: i64, unit: &str| {
        if n == 1 {
            format!("1 {unit} ago")
        } else {
            format!("{n} {unit}s ago")
        }
    };
    match (days, months) {
        (..=-1, _) => "in the future".to_owned(),
        (0, _) => "today".to_owned(),
        (1..=13, _) => plural(days, "day"),
        (_, 0) => plural(days / 7, "week"),
        (_, 1..=23) => plural(months, "month"),
        (_, months) => plural(months / 12, "year"),
    }
}

/// Whole calendar months from `from` to `to` (0 when `to` is before a month has passed).
fn whole_months(from: NaiveDate, to: NaiveDate) -> i64 {
    let mut months =
        i64::from(to.year() - from.year()) * 12 + i64::from(to.month()) - i64::from(from.month());
    if to.day() < from.day() {
        months -= 1;
    }
    months.max(0)
}

/// What the tiering rules read from a person's current recorded scores.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PredictorTierInputs {
    /// For the legacy tier's protect points.
    pub rsr_percent: Option<f64>,
    /// For the single tier's table, with whether each is static.
    pub arp: Option<(f64, PredictorBasis)>,
    pub csrp: Option<(f64, PredictorBasis)>,
    /// The direct-contact predictor's band and score; `None` when not recorded or not
    /// applicable.
    pub sexual_predictor: Option<SexualPredictor>,
}

impl PredictorTierInputs {
    /// The inputs from each predictor's current value (the latest recorded of each kind).
    pub fn from_current<'a>(current: impl IntoIterator<Item = &'a PredictorValue>) -> Self {
        let mut inputs = Self::default();
        for value in current {
            match *value {
                PredictorValue::Rsr { percent } => inputs.rsr_percent = Some(percent),
                PredictorValue::Arp { percent, basis } => inputs.arp = Some((percent, basis)),
                PredictorValue::Csrp { percent, basis } => inputs.csrp = Some((percent, basis)),
                PredictorValue::OspDc { band, score } => {
                    inputs.sexual_predictor = band
                        .tiering_band()
                        .map(|band| SexualPredictor { band, score });
                }
                PredictorValue::OspIic { .. } | PredictorValue::Ovp { .. } => {}
            }
        }
        inputs
    }

    /// Whether the ARP is static.
    pub fn arp_static(&self) -> bool {
        matches!(self.arp, Some((_, PredictorBasis::Static)))
    }

    /// Whether the CSRP is static.
    pub fn csrp_static(&self) -> bool {
        matches!(self.csrp, Some((_, PredictorBasis::Static)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn today() -> NaiveDate {
        day(2026, 12, 2)
    }

    fn typed() -> TypedScores<'static> {
        TypedScores {
            source: "oasys",
            assessed_on: Some(day(2026, 3, 3)),
            ..TypedScores::default()
        }
    }

    fn refused(scores: TypedScores<'_>) -> Vec<(&'static str, String)> {
        scores
            .parse(today())
            .unwrap_err()
            .iter()
            .map(|error| (error.field(), error.to_string()))
            .collect()
    }

    #[test]
    fn an_assessments_scores_are_recorded_with_its_source_and_date() {
        let scores = TypedScores {
            rsr_percent: "7.5",
            arp_percent: "50%",
            arp_basis: "dynamic",
            csrp_percent: "1.0",
            csrp_basis: "static",
            dc_band: "medium",
            dc_score: "2.5",
            iic_band: "not_applicable",
            ovp_points: "82",
            ..typed()
        }
        .parse(today())
        .unwrap();
        assert_eq!(scores.assessed_on, day(2026, 3, 3));
        assert_eq!(scores.source.to_string(), "OASys");
        assert_eq!(
            scores.values,
            [
                PredictorValue::Rsr { percent: 7.5 },
                PredictorValue::Arp {
                    percent: 50.0,
                    basis: PredictorBasis::Dynamic
                },
                PredictorValue::Csrp {
                    percent: 1.0,
                    basis: PredictorBasis::Static
                },
                PredictorValue::OspDc {
                    band: OspBand::Medium,
                    score: Some(2.5)
                },
                PredictorValue::OspIic {
                    band: OspBand::NotApplicable
                },
                PredictorValue::Ovp { points: 82 },
            ]
        );
        assert_eq!(scores.recorded().len(), 6);
    }

    #[test]
    fn a_percentage_outside_0_to_100_is_refused_naming_the_field() {
        let errors = refused(TypedScores {
            rsr_percent: "100.5",
            arp_percent: "-1",
            arp_basis: "static",
            csrp_percent: "six",
            csrp_basis: "static",
            ..typed()
        });
        assert_eq!(
            errors,
            [
                (
                    "rsr_percent",
                    "The RSR must be a percentage from 0 to 100".to_owned()
                ),
                (
                    "arp_percent",
                    "The ARP must be a percentage from 0 to 100".to_owned()
                ),
                (
                    "csrp_percent",
                    "Enter the CSRP as a number, like 4.25".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn an_assessment_dated_in_the_future_is_refused() {
        let errors = refused(TypedScores {
            assessed_on: Some(day(2026, 12, 3)),
            rsr_percent: "2",
            ..typed()
        });
        assert_eq!(
            errors,
            [(
                "assessed_on",
                "The date of the assessment cannot be in the future".to_owned()
            )]
        );
        let today_is_fine = TypedScores {
            assessed_on: Some(today()),
            rsr_percent: "2",
            ..typed()
        };
        assert!(today_is_fine.parse(today()).is_ok());
    }

    #[test]
    fn a_band_not_in_the_list_is_refused() {
        let errors = refused(TypedScores {
            iic_band: "extreme",
            ..typed()
        });
        assert_eq!(
            errors,
            [(
                "iic_band",
                "Select the OSP/IIC band from the list".to_owned()
            )]
        );
    }

    #[test]
    fn a_medium_direct_contact_band_below_0_60_is_refused_as_invalid() {
        let errors = refused(TypedScores {
            dc_band: "medium",
            dc_score: "0.59",
            ..typed()
        });
        assert_eq!(errors[0].0, "dc_score");
        assert!(errors[0].1.contains("0.60 or more"), "{errors:?}");
        let at_the_minimum = TypedScores {
            dc_band: "medium",
            dc_score: "0.60",
            ..typed()
        };
        assert!(at_the_minimum.parse(today()).is_ok());
        assert_eq!(
            refused(TypedScores {
                dc_band: "medium",
                ..typed()
            })[0]
                .0,
            "dc_score"
        );
    }

    #[test]
    fn a_direct_contact_score_without_a_band_is_refused() {
        let errors = refused(TypedScores {
            dc_score: "1.5",
            ..typed()
        });
        assert_eq!(
            errors,
            [(
                "dc_band",
                "Select the OSP/DC band: a score was entered without one".to_owned()
            )]
        );
    }

    #[test]
    fn an_arp_or_csrp_needs_to_say_whether_it_is_static() {
        let errors = refused(TypedScores {
            arp_percent: "40",
            ..typed()
        });
        assert_eq!(
            errors,
            [(
                "arp_basis",
                "Select whether the ARP is static or dynamic".to_owned()
            )]
        );
    }

    #[test]
    fn the_source_is_required_and_other_needs_words() {
        let errors = refused(TypedScores {
            source: "",
            rsr_percent: "2",
            ..typed()
        });
        assert_eq!(errors[0].0, "source");
        let errors = refused(TypedScores {
            source: "other",
            rsr_percent: "2",
            ..typed()
        });
        assert_eq!(errors[0].0, "source_other");
        let other = TypedScores {
            source: "other",
            source_other: "Youth justice assessment",
            rsr_percent: "2",
            ..typed()
        }
        .parse(today())
        .unwrap();
        assert_eq!(other.source.to_string(), "Youth justice assessment");
    }

    #[test]
    fn nothing_to_record_is_refused() {
        assert_eq!(
            refused(typed()),
            [("rsr_percent", "Enter at least one score".to_owned())]
        );
    }

    #[test]
    fn ovp_points_must_be_a_whole_number_on_the_scale() {
        assert_eq!(
            refused(TypedScores {
                ovp_points: "82.5",
                ..typed()
            })[0]
                .0,
            "ovp_points"
        );
        assert_eq!(
            refused(TypedScores {
                ovp_points: "820",
                ..typed()
            })[0]
                .1,
            "The OVP points must be from 0 to 100"
        );
    }

    #[test]
    fn rsr_bands_are_low_below_3_medium_to_6_89_and_high_from_6_9() {
        assert_eq!(RsrBand::from_percent(2.99), RsrBand::Low);
        assert_eq!(RsrBand::from_percent(3.0), RsrBand::Medium);
        assert_eq!(RsrBand::from_percent(6.89), RsrBand::Medium);
        assert_eq!(RsrBand::from_percent(6.9), RsrBand::High);
    }

    #[test]
    fn a_score_is_stale_twelve_months_after_its_assessment_by_default() {
        let rules = PredictorRules::default();
        assert_eq!(
            rules.freshness(day(2025, 12, 2), today()),
            Freshness::Stale {
                since: day(2026, 12, 2)
            }
        );
        assert_eq!(
            rules.freshness(day(2025, 12, 3), today()),
            Freshness::Current {
                stale_from: day(2026, 12, 3)
            }
        );
        let stricter = PredictorRules {
            stale_after_months: 6,
            rule_version: "test",
        };
        assert!(stricter.freshness(day(2026, 6, 2), today()).is_stale());
    }

    #[test]
    fn an_assessments_age_is_said_in_whole_units() {
        assert_eq!(age_in_words(today(), today()), "today");
        assert_eq!(age_in_words(day(2026, 12, 1), today()), "1 day ago");
        assert_eq!(age_in_words(day(2026, 11, 10), today()), "3 weeks ago");
        assert_eq!(age_in_words(day(2026, 3, 3), today()), "8 months ago");
        assert_eq!(age_in_words(day(2026, 3, 2), today()), "9 months ago");
        assert_eq!(age_in_words(day(2023, 12, 2), today()), "3 years ago");
    }

    #[test]
    fn the_tiers_read_the_current_scores_and_not_applicable_gives_no_sexual_predictor() {
        let values = [
            PredictorValue::Rsr { percent: 7.5 },
            PredictorValue::Arp {
                percent: 50.0,
                basis: PredictorBasis::Static,
            },
            PredictorValue::Csrp {
                percent: 1.0,
                basis: PredictorBasis::Dynamic,
            },
            PredictorValue::OspDc {
                band: OspBand::NotApplicable,
                score: None,
            },
            PredictorValue::Ovp { points: 40 },
        ];
        let inputs = PredictorTierInputs::from_current(&values);
        assert_eq!(inputs.rsr_percent, Some(7.5));
        assert_eq!(inputs.arp, Some((50.0, PredictorBasis::Static)));
        assert!(inputs.arp_static() && !inputs.csrp_static());
        assert_eq!(inputs.sexual_predictor, None);
        let high = PredictorTierInputs::from_current(&[PredictorValue::OspDc {
            band: OspBand::High,
            score: Some(4.0),
        }]);
        assert_eq!(
            high.sexual_predictor,
            Some(SexualPredictor {
                band: SexualPredictorBand::High,
                score: Some(4.0)
            })
        );
    }

    #[test]
    fn values_are_said_in_words() {
        assert_eq!(PredictorValue::Rsr { percent: 7.5 }.value_words(), "7.5%");
        assert_eq!(
            PredictorValue::Arp {
                percent: 50.0,
                basis: PredictorBasis::Static
            }
            .value_words(),
            "50% (static)"
        );
        assert_eq!(
            PredictorValue::Ovp { points: 82 }.value_words(),
            "82 points: 80% within one year, 89% within two years"
        );
        assert_eq!(
            PredictorValue::Ovp { points: 82 }.band_words(),
            Some("Very high")
        );
        assert_eq!(
            PredictorValue::Rsr { percent: 7.5 }.band_words(),
            Some("High")
        );
    }
}
