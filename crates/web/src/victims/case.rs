//! A case's victims page (`/cases/{crn}/victims`) and its referral to the victim contact service
//! (`/cases/{crn}/victims/referral`).
//!
//! The page is two reads by grade. Victim liaison open the case with `Need::Victims` and read
//! `storage::victims::records` (each victim by name, linked to their record). Everyone else opens
//! it to view and reads only `storage::victims::summary`: eligibility, where the referral stands,
//! how many victims are in the scheme, the conditions they asked for and victim liaison's names.

use super::field_errors;
use crate::cases::access::{open_case, open_case_for, Need};
use crate::error::AppError;
use crate::forms::{self, FieldError, FormFields, Posted, Submission};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::text::LongText;
use keepsafe_domain::victims::{VictimContactRules, VictimProblem};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::record::{self as case_record, LocatedCase};
use keepsafe_storage::victims::eligibility::{self, CaseEligibility};
use keepsafe_storage::victims::referrals::{self, Referral, ReferralUpdate};
use keepsafe_storage::victims::{records, summary, VictimSummaryForCase};
use keepsafe_storage::AnyConnection;

#[derive(Template)]
#[template(path = "victims/case.html")]
struct CasePage {
    chrome: Chrome,
    name: String,
    crn: String,
    eligibility: EligibilityView,
    referral: String,
    summary: SummaryView,
    /// Victim liaison only: the victims by name, linked to their records.
    records: Option<Vec<VictimLine>>,
}

pub(crate) struct EligibilityView {
    pub answer: String,
    pub reasons: Vec<String>,
    pub due: Option<String>,
}

pub(crate) struct SummaryView {
    pub in_scheme: String,
    pub liaison: String,
    pub conditions: Vec<(String, String)>,
}

struct VictimLine {
    id: String,
    name: String,
    role: String,
    opted: String,
}

/// What both readings share: the heading, eligibility and the referral.
struct Shared {
    name: String,
    crn: String,
    eligibility: Option<CaseEligibility>,
    referral: Referral,
}

fn shared(conn: &mut AnyConnection, case: &LocatedCase) -> Result<Shared, AppError> {
    let (name, crn) = case_record::heading(conn, case.person_id)?;
    Ok(Shared {
        name,
        crn,
        eligibility: eligibility::for_case(conn, case.person_id, &VictimContactRules::default())?,
        referral: referrals::load(conn, case.person_id)?,
    })
}

/// `GET /cases/{crn}/victims`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    if user.account.grade == Grade::VictimLiaisonOfficer {
        let (shared, summary, victims) = open_case_for(
            &state,
            &user,
            &crn,
            "view_victim_records",
            Need::Victims,
            |conn, case| {
                Ok((
                    shared(conn, case)?,
                    summary::for_case(conn, case.person_id)?,
                    records::for_case(conn, case.person_id)?,
                ))
            },
        )
        .await?;
        let lines = victims
            .into_iter()
            .map(|v| VictimLine {
                id: v.id.to_string(),
                name: v.name,
                role: v.role.label().to_owned(),
                opted: opted_words(v.opted_in, v.decided_on),
            })
            .collect();
        return page(&user, shared, &summary, Some(lines));
    }
    let (shared, summary) = open_case(&state, &user, &crn, "view_victims_summary", |conn, case| {
        Ok((
            shared(conn, case)?,
            summary::for_case(conn, case.person_id)?,
        ))
    })
    .await?;
    page(&user, shared, &summary, None)
}

fn page(
    user: &CurrentUser,
    shared: Shared,
    summary: &VictimSummaryForCase,
    records: Option<Vec<VictimLine>>,
) -> Result<Response, AppError> {
    Ok(render(&CasePage {
        chrome: Chrome::for_user(user, format!("Victims: {}", shared.crn), ""),
        eligibility: eligibility_view(shared.eligibility.as_ref()),
        referral: referral_words(&shared.referral, shared.eligibility.as_ref()),
        summary: summary_view(summary),
        records,
        name: shared.name,
        crn: shared.crn,
    })?
    .into_response())
}

pub(crate) fn opted_words(opted_in: Option<bool>, decided_on: Option<chrono::NaiveDate>) -> String {
    let on = decided_on
        .map(|d| format!(" on {}", crate::format::date(d)))
        .unwrap_or_default();
    match opted_in {
        Some(true) => format!("Opted in{on}"),
        Some(false) => format!("Opted out{on}"),
        None => "Not asked yet".to_owned(),
    }
}

pub(crate) fn eligibility_view(eligibility: Option<&CaseEligibility>) -> EligibilityView {
    match eligibility {
        Some(case) => EligibilityView {
            answer: if case.eligibility.eligible {
                "Eligible for the statutory victim contact scheme".to_owned()
            } else {
                "Not eligible for the statutory victim contact scheme".to_owned()
            },
            reasons: case.eligibility.reasons.clone(),
            due: case.referral_due.as_ref().map(|(_, words)| words.clone()),
        },
        None => EligibilityView {
            answer: "Not eligible for the statutory victim contact scheme".to_owned(),
            reasons: vec!["The case has no active event.".to_owned()],
            due: None,
        },
    }
}

/// Where the referral stands, in words. A victim's reason for declining is victim liaison's.
fn referral_words(referral: &Referral, eligibility: Option<&CaseEligibility>) -> String {
    if let Some(made_on) = referral.made_on {
        let by = referral
            .made_by
            .as_ref()
            .map(|name| format!(" by {name}"))
            .unwrap_or_default();
        return format!("Referred on {}{by}", crate::format::date(made_on));
    }
    if let Some(declined_on) = referral.declined_on {
        return format!(
            "The victim declined contact on {}",
            crate::format::date(declined_on)
        );
    }
    match eligibility.and_then(|e| e.referral_due.as_ref()) {
        Some((due, _)) => format!("Not referred yet: due by {}", crate::format::date(*due)),
        None => "No referral recorded".to_owned(),
    }
}

pub(crate) fn summary_view(summary: &VictimSummaryForCase) -> SummaryView {
    SummaryView {
        in_scheme: match (summary.known, summary.in_scheme) {
            (0, _) => "No victims known to victim liaison".to_owned(),
            (known, 0) => format!("{known} known to victim liaison, none in the scheme"),
            (_, 1) => "A victim is in the victim contact scheme".to_owned(),
            (_, n) => format!("{n} victims are in the victim contact scheme"),
        },
        liaison: if summary.liaison_officers.is_empty() {
            "None yet".to_owned()
        } else {
            summary.liaison_officers.join(", ")
        },
        conditions: summary
            .conditions
            .iter()
            .map(|c| {
                let status = if c.status_reason.is_empty() {
                    c.status.label().to_owned()
                } else {
                    format!("{}: {}", c.status.label(), c.status_reason)
                };
                (c.describe(), status)
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "victims/referral_form.html")]
struct ReferralForm {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    errors: Vec<FieldError>,
    outcome: String,
    outcome_error: Option<String>,
    outcomes: Vec<(&'static str, &'static str)>,
    hospital_order: bool,
    made: forms::TypedDate,
    made_error: Option<String>,
    declined: forms::TypedDate,
    declined_error: Option<String>,
    reason: String,
    reason_error: Option<String>,
    due: Option<String>,
}

const OUTCOMES: [(&str, &str); 3] = [
    ("made", "Referred to the victim contact service"),
    ("declined", "The victim declined contact"),
    ("not_yet", "Not referred yet"),
];

fn referral_page(
    user: &CurrentUser,
    shared: &Shared,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> ReferralForm {
    let stored = &shared.referral;
    let typed = !fields.0.is_empty();
    let date_of = |name: &str, stored: Option<chrono::NaiveDate>| {
        if typed {
            fields.typed_date(name)
        } else {
            stored.map_or_else(forms::TypedDate::default, |d| forms::TypedDate {
                day: d.format("%-d").to_string(),
                month: d.format("%-m").to_string(),
                year: d.format("%Y").to_string(),
            })
        }
    };
    let stored_outcome = if stored.made_on.is_some() {
        "made"
    } else if stored.declined_on.is_some() {
        "declined"
    } else {
        ""
    };
    ReferralForm {
        chrome: Chrome::for_form(user, format!("Referral: {}", shared.crn), &errors, ""),
        csrf_token: user.csrf_token.clone(),
        name: shared.name.clone(),
        crn: shared.crn.clone(),
        outcome: if typed {
            fields.get("outcome").chars().take(20).collect()
        } else {
            stored_outcome.to_owned()
        },
        outcomes: OUTCOMES.to_vec(),
        hospital_order: if typed {
            fields.get("hospital_order") == "yes"
        } else {
            stored.hospital_order
        },
        made: date_of("made_on", stored.made_on),
        declined: date_of("declined_on", stored.declined_on),
        reason: if typed {
            fields.get("declined_reason").chars().take(12_000).collect()
        } else {
            stored.declined_reason.clone().unwrap_or_default()
        },
        outcome_error: forms::message_for(&errors, "outcome"),
        made_error: forms::message_for(&errors, "made_on-day"),
        declined_error: forms::message_for(&errors, "declined_on-day"),
        reason_error: forms::message_for(&errors, "declined_reason"),
        due: shared
            .eligibility
            .as_ref()
            .and_then(|e| e.referral_due.as_ref())
            .map(|(_, words)| words.clone()),
        errors,
    }
}

/// `GET /cases/{crn}/victims/referral` (victim liaison).
pub async fn referral_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let shared = open_case_for(
        &state,
        &user,
        &crn,
        "view_victim_referral",
        Need::Victims,
        shared,
    )
    .await?;
    Ok(render(&referral_page(
        &user,
        &shared,
        &FormFields::default(),
        Vec::new(),
    ))?
    .into_response())
}

/// Reads the referral form: the outcome, its date, the victim's reason for declining.
fn read_referral(
    posted: &FormFields,
    today: chrono::NaiveDate,
) -> Result<ReferralUpdate, Vec<FieldError>> {
    let hospital_order = posted.get("hospital_order") == "yes";
    let mut errors = Vec::new();
    let mut day = |name: &str, label: &str| match posted.date(name, label) {
        Ok(day) if day > today => {
            errors.push(FieldError::new(
                format!("{name}-day"),
                format!(
                    "{} must be today or in the past",
                    super::sentence_case(label)
                ),
            ));
            None
        }
        Ok(day) => Some(day),
        Err(error) => {
            errors.push(error);
            None
        }
    };
    let update = match posted.get("outcome") {
        "made" => day("made_on", "the date of the referral")
            .map(|on| ReferralUpdate::Made { on, hospital_order }),
        "declined" => {
            let on = day("declined_on", "the date they declined");
            let reason = LongText::required(posted.get("declined_reason")).map_err(|error| {
                let problem = VictimProblem {
                    field: "declined_reason",
                    message: format!("The victim's reason: {error}"),
                };
                field_errors(&[problem])
            });
            match reason {
                Ok(reason) => on.map(|on| ReferralUpdate::Declined {
                    on,
                    reason: reason.as_str().to_owned(),
                    hospital_order,
                }),
                Err(mut problems) => {
                    errors.append(&mut problems);
                    None
                }
            }
        }
        "not_yet" => Some(ReferralUpdate::NotYet { hospital_order }),
        _ => {
            errors.push(FieldError::new(
                "outcome",
                "Select whether the referral was made or the victim declined",
            ));
            None
        }
    };
    match update {
        Some(update) if errors.is_empty() => Ok(update),
        _ => Err(errors),
    }
}

/// `POST /cases/{crn}/victims/referral` (victim liaison).
pub async fn save_referral(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let today = state.clock.today();
    let now = state.clock.now();
    let submission = open_case_for(
        &state,
        &user,
        &crn,
        "save_victim_referral",
        Need::Victims,
        move |conn, case| {
            let update = match read_referral(&posted, today) {
                Ok(update) => update,
                Err(errors) => return Ok(Submission::Refused((shared(conn, case)?, errors))),
            };
            referrals::save(conn, case.person_id, &update, posted.by, now)?;
            let detail = match update {
                ReferralUpdate::Made { .. } => "referral made",
                ReferralUpdate::Declined { .. } => "victim declined contact",
                ReferralUpdate::NotYet { .. } => "referral not made yet",
            };
            audit::record(
                conn,
                &posted.audit_on_case("save_victim_referral", case, detail),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    forms::respond(
        submission,
        |crn| Redirect::to(&format!("/cases/{crn}/victims")),
        |(shared, errors)| referral_page(&user, &shared, &fields, errors),
    )
}
