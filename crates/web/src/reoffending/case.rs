//! `GET /cases/{crn}/reoffending`: after each sentence, when follow-up started and whether the
//! person reoffended within one and two years (or when that will be known), each with how it was
//! worked out, beside OGRS3's forecast; and the convictions recorded since.

use crate::cases::access::open_case;
use crate::error::AppError;
use crate::format;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use keepsafe_domain::access::{decide, Action};
use keepsafe_domain::reoffending::{
    follow_up, FollowUpOutcome, FollowUpPeriod, Reconviction, ReoffendingRules,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::reoffending::convictions::{self, EventForFollowUp, RecordedConviction};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "reoffending/case.html")]
struct CasePage {
    chrome: Chrome,
    name: String,
    crn: String,
    may_work: bool,
    banner: bool,
    follow_ups: Vec<FollowUpView>,
    convictions: Vec<ConvictionView>,
    rules_version: String,
}

struct FollowUpView {
    event: String,
    started: Option<String>,
    not_started: String,
    forecast: String,
    outcomes: Vec<OutcomeView>,
}

struct OutcomeView {
    period: String,
    summary: String,
    reoffended: bool,
    explanation: String,
}

struct ConvictionView {
    offence: String,
    category: String,
    offence_on: String,
    convicted_on: String,
    court: String,
    against: String,
    recorded_by: String,
}

/// The query after a conviction was recorded, read leniently.
#[derive(Debug, Default, Deserialize)]
pub struct RecordedQuery {
    recorded: Option<String>,
}

/// `GET /cases/{crn}/reoffending`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Query(query): Query<RecordedQuery>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let (heading, events, recorded, location) =
        open_case(&state, &user, &crn, "view_reoffending", |conn, case| {
            Ok((
                case_record::heading(conn, case.person_id)?,
                convictions::events_for(conn, case.person_id)?,
                convictions::for_person(conn, case.person_id)?,
                case.location.clone(),
            ))
        })
        .await?;
    let (name, crn) = heading;
    let rules = ReoffendingRules::default();
    let follow_ups = events
        .iter()
        .rev()
        .map(|event| follow_up_view(event, &events, &recorded, &rules, today))
        .collect();
    let page = CasePage {
        chrome: Chrome::for_user(&user, format!("Reoffending: {name} ({crn})"), ""),
        may_work: decide(&user.account.actor(), Action::WorkOnCase(&location)).is_allowed(),
        banner: query.recorded.as_deref() == Some("conviction"),
        follow_ups,
        convictions: recorded
            .iter()
            .map(|conviction| conviction_view(conviction, &events))
            .collect(),
        rules_version: rules.version,
        name,
        crn,
    };
    Ok(render(&page)?.into_response())
}

/// "Event 2: Theft from a shop".
pub(crate) fn event_label(event: &EventForFollowUp) -> String {
    format!("Event {}: {}", event.number, event.offence)
}

/// Every conviction of the person other than `event`'s own: their other events and the
/// convictions recorded since.
fn others(
    event: &EventForFollowUp,
    events: &[EventForFollowUp],
    recorded: &[RecordedConviction],
) -> Vec<Reconviction> {
    events
        .iter()
        .filter(|other| other.id != event.id)
        .map(|other| Reconviction {
            offence_on: other.offence_on,
            convicted_on: other.convicted_on,
        })
        .chain(recorded.iter().map(|conviction| Reconviction {
            offence_on: conviction.offence_on,
            convicted_on: conviction.convicted_on,
        }))
        .collect()
}

fn follow_up_view(
    event: &EventForFollowUp,
    events: &[EventForFollowUp],
    recorded: &[RecordedConviction],
    rules: &ReoffendingRules,
    today: NaiveDate,
) -> FollowUpView {
    let Some(start) = event.supervised.follow_up_start(today) else {
        return FollowUpView {
            event: event_label(event),
            started: None,
            not_started: format!("{}.", event.supervised.why_not_started()),
            forecast: "Made when follow-up starts".to_owned(),
            outcomes: Vec::new(),
        };
    };
    let forecast = event.ogrs3(start).map_or_else(
        || "No OGRS3 forecast: the record lacks the criminal history OGRS3 needs".to_owned(),
        |p| {
            format!(
                "OGRS3: {}% within one year, {}% within two years",
                p.one_year, p.two_year
            )
        },
    );
    let convictions = others(event, events, recorded);
    let outcomes = FollowUpPeriod::ALL
        .iter()
        .map(|period| {
            let result = follow_up(start, *period, &convictions, rules, today);
            OutcomeView {
                period: format!("Within {}", period.words()),
                summary: result.summary(),
                reoffended: matches!(result.outcome, FollowUpOutcome::Reoffended(_)),
                explanation: result.explained(rules),
            }
        })
        .collect();
    let basis = match event.supervised.case_type {
        keepsafe_domain::event::CaseType::Community => "the sentence date",
        _ => "the release date",
    };
    FollowUpView {
        event: event_label(event),
        started: Some(format!("{} ({basis})", format::date(start))),
        not_started: String::new(),
        forecast,
        outcomes,
    }
}

fn conviction_view(conviction: &RecordedConviction, events: &[EventForFollowUp]) -> ConvictionView {
    ConvictionView {
        offence: conviction.offence.clone(),
        category: conviction.offence_category.label().to_owned(),
        offence_on: format::date(conviction.offence_on),
        convicted_on: format::date(conviction.convicted_on),
        court: if conviction.court.is_empty() {
            "Not recorded".to_owned()
        } else {
            conviction.court.clone()
        },
        against: events
            .iter()
            .find(|event| event.id == conviction.event_id)
            .map(event_label)
            .unwrap_or_default(),
        recorded_by: format!(
            "{}, {}",
            conviction.recorded_by,
            format::date(conviction.recorded_at.date())
        ),
    }
}
