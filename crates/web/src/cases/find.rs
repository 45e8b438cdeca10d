//! `GET /find`: find a case by name, date of birth or CRN, across everything keepsafe holds.
//!
//! Results the searcher may not open are shown as restricted — the CRN and "Restricted: you do
//! not have access to this case", nothing more — rather than hidden (which would send them
//! looking elsewhere) or revealed. Access is decided for each result with the same rule as the
//! case page ([`Action::ViewCase`]), on the locations the search read with its page (no query
//! per result), and the search itself is audit-logged with its terms. A limited access case the
//! searcher is excluded from, or not named on when restricted, is shown restricted the same way
//! (`storage::cases::limited::hidden_from`), so it is neither revealed nor conspicuously missing.
//!
//! A search by CRN alone that finds one case the searcher may open goes straight to it.

use crate::cases::list::Pagination;
use crate::error::AppError;
use crate::forms::{error_title, FieldError, FormFields, TypedDate};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use keepsafe_domain::access::{decide, Action};
use keepsafe_domain::age::age_on;
use keepsafe_domain::crn::Crn;
use keepsafe_storage::audit::{AuditEntry, Outcome};
use keepsafe_storage::cases::limited;
use keepsafe_storage::cases::search::{self, SearchHit, SearchTerms};

/// Results on one page.
pub const PER_PAGE: usize = 20;

/// The longest name searched for: long enough for any name, short enough to keep the query small.
const NAME_LIMIT: usize = 100;

#[derive(Template)]
#[template(path = "cases/find.html")]
struct FindPage {
    chrome: Chrome,
    name: String,
    crn: String,
    dob: TypedDate,
    errors: Vec<FieldError>,
    searched: bool,
    /// "3 cases found for name “smith”." and the like.
    summary: String,
    results: Vec<ResultLine>,
    pagination: Pagination,
}

impl FindPage {
    fn error(&self, field: &str) -> Option<String> {
        crate::forms::message_for(&self.errors, field)
    }
}

/// A result as shown: the case's details, or only its CRN when restricted.
struct ResultLine {
    crn: String,
    restricted: bool,
    name: String,
    born: String,
    managed: String,
}

/// The terms read from the form, or the errors that stop a search.
fn read_terms(fields: &FormFields) -> Result<SearchTerms, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name_words: Vec<String> = fields
        .get("name")
        .chars()
        .take(NAME_LIMIT)
        .collect::<String>()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let crn = match fields.filled("crn") {
        None => None,
        Some(raw) => match Crn::parse(raw) {
            Ok(crn) => Some(crn.to_string()),
            Err(invalid) => {
                errors.push(FieldError::new("crn", invalid.to_string()));
                None
            }
        },
    };
    let dob_typed = fields.typed_date("dob");
    let date_of_birth = if dob_typed == TypedDate::default() {
        None
    } else {
        match fields.date("dob", "the date of birth") {
            Ok(date) => Some(date),
            Err(error) => {
                errors.push(error);
                None
            }
        }
    };
    let terms = SearchTerms {
        name_words,
        date_of_birth,
        crn,
    };
    if errors.is_empty() && terms.is_empty() {
        errors.push(FieldError::new(
            "name",
            "Enter a name, a date of birth or a CRN",
        ));
    }
    if errors.is_empty() {
        Ok(terms)
    } else {
        Err(errors)
    }
}

/// The terms in words, for the audit detail and the results heading.
fn describe(terms: &SearchTerms) -> String {
    let mut parts = Vec::new();
    if !terms.name_words.is_empty() {
        parts.push(format!("name “{}”", terms.name_words.join(" ")));
    }
    if let Some(dob) = terms.date_of_birth {
        parts.push(format!("date of birth {}", crate::format::date(dob)));
    }
    if let Some(crn) = &terms.crn {
        parts.push(format!("CRN {crn}"));
    }
    parts.join(", ")
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(fields): Query<FormFields>,
) -> Result<Response, AppError> {
    let typed = |name: &str| {
        fields
            .get(name)
            .chars()
            .take(NAME_LIMIT)
            .collect::<String>()
    };
    let mut page = FindPage {
        chrome: Chrome::for_user(&user, "Find a case", "/find"),
        name: typed("name"),
        crn: typed("crn").chars().take(20).collect(),
        dob: fields.typed_date("dob"),
        errors: Vec::new(),
        searched: false,
        summary: String::new(),
        results: Vec::new(),
        pagination: Pagination::new(1, 1, |_| String::new()),
    };
    if fields.0.iter().all(|(key, _)| key == "page") {
        return Ok(render(&page)?.into_response());
    }
    let terms = match read_terms(&fields) {
        Ok(terms) => terms,
        Err(errors) => {
            page.chrome = Chrome::for_user(&user, error_title("Find a case", &errors), "/find");
            page.errors = errors;
            return Ok(render(&page)?.into_response());
        }
    };
    let requested: usize = fields.get("page").parse().unwrap_or(1).max(1);
    let actor = user.account.actor();
    let actor_name = user.audit_name();
    let described = describe(&terms);
    let search_terms = terms.clone();
    let (found, allowed) = state
        .read_then_audit(move |conn| {
            let found = search::search(
                conn,
                &search_terms,
                i64::try_from(requested).unwrap_or(1),
                PER_PAGE as i64,
            )?;
            // A limited access case the searcher may not see is shown restricted, like any
            // other case they may not open (one query for the page, not one per result).
            let hidden = limited::hidden_from(conn, &actor)?;
            let allowed: Vec<bool> = found
                .hits
                .iter()
                .map(|hit| {
                    decide(&actor, Action::ViewCase(&hit.location)).is_allowed()
                        && !hidden.hides(hit.person_id)
                })
                .collect();
            let restricted = allowed.iter().filter(|a| !**a).count();
            let entry = AuditEntry {
                staff_id: Some(actor.staff_id),
                actor: actor_name,
                action: "search_cases".into(),
                outcome: Outcome::Allowed,
                person_id: None,
                crn: None,
                detail: format!(
                    "{described}: {} found, page {requested} shows {} ({restricted} restricted)",
                    found.total,
                    found.hits.len()
                ),
            };
            Ok(((found, allowed), entry))
        })
        .await?;

    // A CRN alone names one case: open it when the searcher may.
    if terms.name_words.is_empty() && terms.date_of_birth.is_none() {
        if let ([hit], [true]) = (found.hits.as_slice(), allowed.as_slice()) {
            return Ok(Redirect::to(&format!("/cases/{}", hit.crn)).into_response());
        }
    }

    let today = state.clock.today();
    let total = usize::try_from(found.total).unwrap_or(0);
    let pages = total.div_ceil(PER_PAGE).max(1);
    let current = requested.min(pages);
    let link_terms: Vec<(&str, String)> = [
        ("name", page.name.clone()),
        ("dob-day", page.dob.day.clone()),
        ("dob-month", page.dob.month.clone()),
        ("dob-year", page.dob.year.clone()),
        ("crn", page.crn.clone()),
    ]
    .into_iter()
    .filter(|(_, value)| !value.trim().is_empty())
    .collect();
    let query = serde_urlencoded::to_string(&link_terms).unwrap_or_default();
    page.pagination = Pagination::windowed(current, pages, |n| format!("/find?{query}&page={n}"));
    page.searched = true;
    page.summary = match total {
        0 => format!("No cases found for {}.", describe(&terms)),
        1 => format!("1 case found for {}.", describe(&terms)),
        n => format!("{n} cases found for {}.", describe(&terms)),
    };
    page.results = found
        .hits
        .iter()
        .zip(allowed)
        .map(|(hit, allowed)| result_line(hit, allowed, today))
        .collect();
    Ok(render(&page)?.into_response())
}

fn result_line(hit: &SearchHit, allowed: bool, today: chrono::NaiveDate) -> ResultLine {
    if !allowed {
        return ResultLine {
            crn: hit.crn.clone(),
            restricted: true,
            name: String::new(),
            born: String::new(),
            managed: String::new(),
        };
    }
    ResultLine {
        crn: hit.crn.clone(),
        restricted: false,
        name: format!("{} {}", hit.first_name, hit.last_name),
        born: format!(
            "{} (age {})",
            crate::format::date(hit.date_of_birth),
            age_on(hit.date_of_birth, today)
                .map(|a| a.to_string())
                .unwrap_or_default()
        ),
        managed: match &hit.practitioner {
            Some(name) => format!("{name}, {}", hit.pdu_name),
            None => format!("Waiting for allocation in {}", hit.pdu_name),
        },
    }
}
