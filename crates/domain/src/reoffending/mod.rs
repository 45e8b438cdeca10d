//! Reoffending outcomes: proven reoffending after the start of supervision, the rates of cohorts,
//! and how well the predictors' forecasts match what happened (reference §1 and §11).
//!
//! - [`rules`]: the measure's versioned numbers (the follow-up periods and the waiting period for
//!   convictions to come through the courts).
//! - [`outcome`]: whether one follow-up ended in proven reoffending, is still open, or did not;
//!   and the check of a new conviction as typed.
//! - [`forecast`]: OGRS3's forecast for a follow-up, from the facts fixed when it starts.
//! - [`rates`]: proportions with their intervals, cohort rates, and calibration by band.
//!
//! A follow-up starts where OGRS3's does (`predictors::ogrs3::followup_start`): the sentence date
//! for a community sentence, the release date for custody. Only follow-ups whose whole period and
//! waiting period have passed count in a rate, so a cohort's rate never rises as its late
//! convictions come in.

pub mod forecast;
pub mod outcome;
pub mod rates;
pub mod rules;

pub use forecast::{ogrs3_forecast, ForecastFacts};
pub use outcome::{
    check_conviction, follow_up, ConvictionForm, FollowUp, FollowUpOutcome, NewConviction,
    Reconviction, ReoffendingProblem, SupervisedEvent,
};
pub use rates::{
    calibration, cohort_rates, Agreement, Calibration, CalibrationBand, CalibrationPredictor,
    CohortGrouping, CohortMember, CohortRate, Prediction, Proportion,
};
pub use rules::{FollowUpPeriod, ReoffendingRules, REOFFENDING_RULE_VERSION};
