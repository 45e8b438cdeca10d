//! The police and children's-services checks offered again after the circumstances changed
//! (reference §4), and the banner that confirms a change of the record.
//!
//! The offer is derived each time from the record and the requests made
//! ([`consequences::checks_offer`]), never kept as a flag: it shows on the case record, the risk
//! page and the address and household pages until the checks are sent, and then disappears.
//! `POST /cases/{crn}/circumstances/checks` sends what it offers in one click, through the same
//! [`exchange::request_check`] the risk page's "Request the check" uses.

use crate::cases::access::{open_case_for, Need};
use crate::error::AppError;
use crate::format;
use crate::partners::exchange::{self, SendTo};
use crate::routes::SignedIn;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use keepsafe_domain::checks::CheckKind;
use keepsafe_domain::review::ChecksOffer;
use keepsafe_storage::cases::consequences;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::cases::tasks::TaskRecord;

/// The offer as a page shows it: a sentence saying what changed and what has not been asked
/// since, and the one button that sends it.
pub struct ChecksOfferView {
    pub crn: String,
    pub csrf_token: String,
    /// "Circumstances changed on 3 December 2026 (new address): the police and children's-services
    /// checks have not been requested since."
    pub sentence: String,
    /// "Send the police and children's-services checks".
    pub button: String,
}

impl ChecksOfferView {
    pub fn new(offer: &ChecksOffer, crn: &str, csrf_token: &str) -> Self {
        let (checks, verb, button) = match offer.kinds.as_slice() {
            [CheckKind::PoliceDomesticAbuse] => (
                "the police domestic-abuse check",
                "has",
                "Send the police check",
            ),
            [CheckKind::ChildrensServices] => (
                "the children's-services check",
                "has",
                "Send the children's-services check",
            ),
            _ => (
                "the police and children's-services checks",
                "have",
                "Send the police and children's-services checks",
            ),
        };
        Self {
            crn: crn.to_owned(),
            csrf_token: csrf_token.to_owned(),
            sentence: format!(
                "Circumstances changed on {} ({}): {checks} {verb} not been requested since.",
                format::date(offer.since()),
                offer.what_changed()
            ),
            button: button.to_owned(),
        }
    }
}

/// What the address and household pages confirm after a change: what was done, the review it
/// called for and the checks to send again.
pub struct ChangeBanner {
    pub heading: String,
    /// "A review of the risk assessment is due by 16 December 2026."
    pub review: Option<String>,
}

impl ChangeBanner {
    /// The banner for `done` (a fixed code the form redirected with) and the review task `task`
    /// (its id from the redirect, looked up among this person's tasks only).
    pub fn new(done: &str, task: Option<&str>, tasks: &[TaskRecord]) -> Option<Self> {
        let heading = match done {
            "proposed" => "Address added as proposed",
            "moved" => "Main address changed",
            "ended" => "Address ended",
            "joined" => "Household member added",
            "left" => "Household member recorded as having left",
            "corrected" => "Household member's details changed",
            _ => return None,
        };
        let review = task
            .and_then(|id| tasks.iter().find(|t| t.id.to_string() == id))
            .map(|t| review_sentence(t.due_on));
        Some(Self {
            heading: heading.to_owned(),
            review,
        })
    }
}

fn review_sentence(due_on: NaiveDate) -> String {
    format!(
        "A review of the risk assessment is due by {}.",
        format::date(due_on)
    )
}

/// `POST /cases/{crn}/circumstances/checks`: sends every check the offer holds now, for the
/// person and their current address, each to the partner organisation of the region that holds
/// those records. All or nothing: if one cannot be sent, nothing is.
pub async fn send_checks(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let by = user.account.id;
    let actor = user.audit_name();
    let crn = open_case_for(
        &state,
        &user,
        &crn,
        "send_checks_again",
        Need::Work,
        move |conn, case| {
            let now = state.clock.now();
            let today = now.date_naive();
            // Worked out again here, so a check someone sent meanwhile is not sent twice.
            let Some(offer) = consequences::checks_offer(conn, case.person_id, today)? else {
                return Ok(case.crn.clone());
            };
            let address = case_record::current_address(conn, case.person_id, today)?;
            for kind in offer.kinds {
                if let Err(message) = exchange::request_check(
                    conn,
                    case,
                    kind.into(),
                    SendTo::Auto,
                    address.clone(),
                    (by, &actor),
                    now,
                )? {
                    // The transaction rolls back on this error, so nothing is kept.
                    return Err(AppError::Conflict(format!(
                        "{message}. Nothing was sent: request the checks one at a time from the \
                         safeguarding checks on the risk page"
                    )));
                }
            }
            Ok(case.crn.clone())
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/cases/{crn}/risk#checks")).into_response())
}
