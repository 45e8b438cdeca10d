//! Victims: the statutory victim contact scheme (reference §6). Victim liaison officers keep the
//! records of a case's victims — who they are and how to reach them, whether they opted in,
//! contacts at each stage, their views and the licence conditions they ask for — and work from
//! `/victims`, their worklist. Everyone else who may open the case sees only its summary: that
//! victims are in the scheme, the conditions they asked for and the victim liaison officer's name
//! (`storage::victims::summary`, which has no identity fields).
//!
//! Every victim-record route opens the case through [`crate::cases::access::open_case_for`] with
//! `Need::Victims` (`Action::WorkWithVictims`: victim liaison only), which audit-logs the read or
//! change — and every refusal — without the victim's name or address in the row.

pub mod case;
pub mod entries;
pub mod victim;
pub mod worklist;

use crate::forms::FieldError;
use crate::routes::{Access, GradeAction, Registry};
use axum::http::Method;
use axum::routing::{get, post};
use keepsafe_domain::victims::VictimProblem;

/// The area's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    let registry = registry
        .add(
            Method::GET,
            "/victims",
            Access::Grade(GradeAction::ReleaseWorklist),
            get(worklist::show),
        )
        .add(
            Method::GET,
            "/cases/{crn}/victims",
            Access::Case,
            get(case::show),
        )
        .add(
            Method::GET,
            "/cases/{crn}/victims/referral",
            Access::Case,
            get(case::referral_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/victims/referral",
            Access::Case,
            post(case::save_referral),
        )
        .add(
            Method::GET,
            "/cases/{crn}/victims/new",
            Access::Case,
            get(victim::new),
        )
        .add(
            Method::POST,
            "/cases/{crn}/victims/new",
            Access::Case,
            post(victim::create),
        )
        .add(
            Method::GET,
            "/cases/{crn}/victims/{victim}",
            Access::Case,
            get(victim::show),
        )
        .add(
            Method::GET,
            "/cases/{crn}/victims/{victim}/details",
            Access::Case,
            get(victim::edit),
        )
        .add(
            Method::POST,
            "/cases/{crn}/victims/{victim}/details",
            Access::Case,
            post(victim::update),
        );
    entries::routes(registry)
}

/// The domain's problems as the error summary's field errors; a date's problem is linked to its
/// day field, where the GOV.UK date input starts.
pub(crate) fn field_errors(problems: &[VictimProblem]) -> Vec<FieldError> {
    problems
        .iter()
        .map(|p| {
            let field = match p.field {
                "decided_on" | "contacted_on" | "given_on" => format!("{}-day", p.field),
                other => other.to_owned(),
            };
            FieldError::new(field, p.message.clone())
        })
        .collect()
}

/// A victim's id from the path; a malformed one is a page that does not exist.
pub(crate) fn victim_id(raw: &str) -> Result<uuid::Uuid, crate::error::AppError> {
    uuid::Uuid::parse_str(raw).map_err(|_| crate::error::AppError::NotFound)
}

/// "the date of the contact" → "The date of the contact", to start a message.
pub(crate) fn sentence_case(words: &str) -> String {
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
