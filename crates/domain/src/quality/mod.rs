//! Quality of case supervision, measured the way HM Inspectorate of Probation measures it
//! (reference §12) — continuously, rather than once every few years when the inspectors arrive.
//!
//! Why continuous scoring: the inspectorate rates a probation delivery unit from about 50 cases
//! every few years; a unit that learns it is Inadequate learns it too late. keepsafe answers the same
//! key questions, with the same thresholds and bands, whenever a manager asks.
//!
//! Every rating carries the code of the framework that produced it ("hmip-pdu-2023"), because the
//! frameworks differ in standards, questions and bands and a rating means nothing without its
//! framework. Every percentage is shown with its sample size and a 95% Wilson score interval: at
//! n = 50 one case moves a score by 2 points, so 64% and 66% are not meaningfully different.
//!
//! Audit results and automated indicators are kept apart: an automated answer reads only what the
//! record holds, an auditor reads the case. Every result is labelled with its [`Source`].
//!
//! - [`indicators`]: automated indicators read from the record (planning from the sentence plan
//!   in force), and automated answers to the key questions built from them.
//! - [`framework`]: the frameworks as versioned data (standards, key questions, thresholds, bands).
//! - [`audit`]: case audits validated against a framework, tallied with drill-down to cases, rated.
//! - [`import`]: audit results and panel decisions read from a file, checked row by row.
//! - [`moderation`]: agreement and Cohen's kappa between an auditor and a moderator.
//! - [`oversight`]: management oversight records, which the oversight indicator reads.
//! - [`rating`]: key-question scores, standard ratings (the lowest key question) and the overall
//!   rating from summed points, each with an [`Explanation`](crate::workload::Explanation).
//! - [`sampling`]: stratified random case samples, reproducible from a stored seed.
//! - [`recommendations`]: inspection recommendations and action plans with forward-only statuses.

/// Serialises a coded vocabulary as its stable code and parses it back, so JSON carries the same
/// codes the database and URLs do.
macro_rules! serde_as_code {
    ($($ty:ty),+ $(,)?) => { $(
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str($crate::CodedValue::code(*self))
            }
        }
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let code = <String as serde::Deserialize>::deserialize(deserializer)?;
                <$ty as $crate::CodedValue>::parse(&code).map_err(serde::de::Error::custom)
            }
        }
    )+ };
}
pub(crate) use serde_as_code;

crate::coded_enum! {
    /// Where a quality result came from. Automated results are labelled and never mixed with audit
    /// results: callers store and show this beside every answer, tally and rating, and tally
    /// automated audits ([`indicators::automated_audit`]) only with other automated audits.
    pub enum Source ("quality result source") {
        /// An auditor read the case and answered the key questions.
        Audit => "audit", "Case audit",
        /// keepsafe answered from the record ([`indicators`]).
        Automated => "automated", "Automated from the record",
    }
}

serde_as_code!(Source);

pub mod audit;
pub mod framework;
pub mod import;
pub mod indicators;
pub mod moderation;
pub mod oversight;
pub mod rating;
pub mod recommendations;
pub mod sampling;

pub use audit::{
    rate, rate_scores, tally, validate, Answer, AnswerGiven, AuditRefused, CaseAudit,
    FrameworkTally, InspectionRating, QuestionTally, RatingRefused, TallyRefused, ValidatedAudit,
};
pub use framework::{
    Band, Basis, Focus, Framework, InvalidBands, InvalidFramework, InvalidThresholds, KeyQuestion,
    OverallBands, RatingThresholds, Standard, HMIP_2018, HMIP_PDU_2023,
};
pub use indicators::{
    automated_answer_codes, automated_answers, automated_audit, indicators, parse_results,
    results_text, AssessmentFacts, CaseFacts, ContactFacts, ContactsPerFourWeeks, Evidence,
    EvidenceKind, Indicator, IndicatorDefinition, IndicatorResult, IndicatorRules, OversightFacts,
    PlanFacts, PlanObjectiveFacts, ReviewFacts, CATALOGUE, INDICATOR_RULE_VERSION,
};
pub use moderation::{moderate, standing, Agreement, Disagreement, Moderation, ModerationRefused};
pub use oversight::{OversightKind, OversightRecord, OversightRefused};
pub use rating::{
    overall, panel_reason, wilson_interval, DepartureRefused, Interval, InvalidScore,
    KeyQuestionScore, OverallRating, OverallRefused, PanelDeparture, Rating, StandardRating,
    UnratedStandards, RATING_RULE_VERSION,
};
pub use recommendations::{Action, ActionStatus, PlanRefused, Recommendation};
pub use sampling::{
    draw, stratum_key, PopulationItem, Sample, SampleRefused, StratumDraw, SAMPLING_RULE_VERSION,
};
