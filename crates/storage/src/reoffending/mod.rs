//! Reoffending outcomes (the rules are in `keepsafe_domain::reoffending`): the convictions
//! recorded after supervision began ([`convictions`]), a case's follow-ups, and the follow-ups of
//! a region read in bulk for the cohort rates and the predictors' calibration ([`cohort`]).

pub mod cohort;
pub mod convictions;
