//! `GET /cases/{crn}/needs`: the needs assessment in force (and whether it still counts for the
//! tier), the draft in progress, reviews asked for after changes in circumstances, earlier
//! assessments and OGP; `POST /cases/{crn}/needs` starts a draft.

use crate::cases::access::{open_case, open_case_for, Need};
use crate::error::AppError;
use crate::format;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use keepsafe_domain::access::{decide, Action};
use keepsafe_domain::needs::{AssessmentStatus, NeedsRules, Validity};
use keepsafe_domain::predictors::ogp::OgpBand;
use keepsafe_domain::review::is_overdue;
use keepsafe_domain::CodedValue;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::needs::assessments::{self as needs_assessments, NeedsRecord};
use keepsafe_storage::needs::reviews::{self, NeedsReview};
use keepsafe_storage::risk::scores;

#[derive(Template)]
#[template(path = "needs/overview.html")]
struct OverviewPage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    may_work: bool,
    current: Option<CurrentView>,
    draft: Option<DraftView>,
    reviews: Vec<ReviewView>,
    earlier: Vec<EarlierView>,
    ogp: Option<String>,
}

struct CurrentView {
    id: String,
    completed: String,
    valid: bool,
    validity: String,
    needs: Vec<(String, String)>,
}

struct DraftView {
    id: String,
    started: String,
    saved: String,
}

struct ReviewView {
    details: String,
    due: String,
    overdue: bool,
    trigger: String,
}

struct EarlierView {
    id: String,
    completed: String,
}

/// `GET /cases/{crn}/needs`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let (heading, assessments, open_reviews, ogp, location) =
        open_case(&state, &user, &crn, "view_needs", |conn, case| {
            Ok((
                case_record::heading(conn, case.person_id)?,
                needs_assessments::for_person(conn, case.person_id)?,
                reviews::for_person(conn, case.person_id)?,
                scores::ogp_for_person(conn, case.person_id)?,
                case.location.clone(),
            ))
        })
        .await?;
    let (name, crn) = heading;
    let may_work = decide(&user.account.actor(), Action::WorkOnCase(&location)).is_allowed();
    let page = OverviewPage {
        chrome: Chrome::for_user(&user, format!("Needs assessment: {name} ({crn})"), ""),
        csrf_token: user.csrf_token.clone(),
        current: assessments
            .iter()
            .find(|a| a.status == AssessmentStatus::Completed)
            .map(|a| current_view(a, today)),
        draft: assessments
            .iter()
            .find(|a| a.status == AssessmentStatus::Draft)
            .map(|a| DraftView {
                id: a.id.to_string(),
                started: format::date(a.created_at.date()),
                saved: format!("{} by {}", format::date_time(a.updated_at), a.updated_by),
            }),
        reviews: open_reviews
            .iter()
            .filter(|r| r.completed_on.is_none())
            .map(|r| review_view(r, today))
            .collect(),
        earlier: assessments
            .iter()
            .filter(|a| a.status == AssessmentStatus::Superseded)
            .map(|a| EarlierView {
                id: a.id.to_string(),
                completed: a.completed_on.map(format::date).unwrap_or_default(),
            })
            .collect(),
        ogp: ogp.map(|score| match (score.one_year, score.two_year, score.band) {
            (Some(one), Some(two), Some(band)) => format!(
                "{one}% within one year, {two}% within two years ({} band)",
                OgpBand::parse(band.code())
                    .map(|band| band.label().to_lowercase())
                    .unwrap_or_default()
            ),
            _ => "Not computed".to_owned(),
        }),
        may_work,
        name,
        crn,
    };
    Ok(render(&page)?.into_response())
}

fn current_view(record: &NeedsRecord, today: chrono::NaiveDate) -> CurrentView {
    let (valid, validity) = match record.valid_until {
        Some(until) => match NeedsRules::validity(until, today) {
            Validity::Valid { until } => (
                true,
                format!("Counts for the tier until {}", format::date(until)),
            ),
            Validity::Expired { on } => (
                false,
                format!(
                    "Expired on {}: the tier's change level is 2 until a new assessment is completed",
                    format::date(on)
                ),
            ),
        },
        None => (false, "Not dated".to_owned()),
    };
    CurrentView {
        id: record.id.to_string(),
        completed: format!(
            "{} by {}",
            record.completed_on.map(format::date).unwrap_or_default(),
            record.completed_by.clone().unwrap_or_default()
        ),
        valid,
        validity,
        needs: record
            .content
            .sections
            .iter()
            .filter_map(|(section, answer)| {
                let severity = answer.severity?;
                (severity.score() > 0).then(|| {
                    (
                        section.label().to_owned(),
                        super::assessment::severity_words(severity).to_owned(),
                    )
                })
            })
            .collect(),
    }
}

fn review_view(review: &NeedsReview, today: chrono::NaiveDate) -> ReviewView {
    ReviewView {
        details: review.details.clone(),
        due: format::date(review.due_on),
        overdue: is_overdue(review.due_on, today),
        trigger: review.trigger.label().to_owned(),
    }
}

/// `POST /cases/{crn}/needs`: starts a draft.
pub async fn start(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let by = user.account.id;
    let (id, crn) = open_case_for(
        &state,
        &user,
        &crn,
        "start_needs_assessment",
        Need::Work,
        move |conn, case| {
            let id = needs_assessments::start(conn, case.person_id, by, state.clock.now())?;
            Ok((id, case.crn.clone()))
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/cases/{crn}/needs/{id}")).into_response())
}

/// Where the person's needs assessment stands, in one sentence for the risk page: the
/// practitioner sees there whether the change level is reading a valid assessment without
/// opening the needs page.
pub(crate) fn status_for_risk_page(
    conn: &mut keepsafe_storage::AnyConnection,
    person_id: uuid::Uuid,
    today: chrono::NaiveDate,
) -> Result<String, crate::error::AppError> {
    use keepsafe_domain::needs::AssessmentStatus;
    let records = keepsafe_storage::needs::assessments::for_person(conn, person_id)?;
    let in_progress = records.iter().any(|r| r.status == AssessmentStatus::Draft);
    let completed = records
        .iter()
        .find(|r| r.status == AssessmentStatus::Completed);
    let mut status = match completed.and_then(|r| r.completed_on.zip(r.valid_until)) {
        Some((done, until)) if until >= today => format!(
            "Completed on {}; it counts for the tier until {}.",
            crate::format::date(done),
            crate::format::date(until)
        ),
        Some((done, until)) => format!(
            "The last one, completed on {}, stopped counting for the tier after {}, so the \
             change level is 2 until a new one is completed.",
            crate::format::date(done),
            crate::format::date(until)
        ),
        None => "None completed yet, so the change level is 2 until one is.".to_owned(),
    };
    if in_progress {
        status.push_str(" A new assessment is in progress.");
    }
    Ok(status)
}
