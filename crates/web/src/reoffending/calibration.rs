//! `GET /reoffending/calibration`: how well OGRS3 (or OGP) forecast what happened in the region —
//! for each of the predictor's bands, how many people, the mean forecast, the observed rate with
//! its 95% interval and whether the two agree — as a chart and a table, with the expected and
//! observed totals. A predictor that is well calibrated here can be read at face value; one that
//! is not says by how much to discount it.

use super::chart::{interval_chart, percent, Group, IntervalChart};
use super::rates::{interval_words, options, period_of, read_members};
use crate::error::AppError;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use keepsafe_domain::reoffending::{
    calibration, CalibrationBand, CalibrationPredictor, ReoffendingRules,
};
use keepsafe_domain::CodedValue;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "reoffending/calibration.html")]
struct CalibrationPage {
    chrome: Chrome,
    predictors: Vec<(String, String, bool)>,
    periods: Vec<(String, String, bool)>,
    predictor: &'static str,
    period: String,
    headline: String,
    rows: Vec<BandRow>,
    chart: IntervalChart,
    chart_id: &'static str,
    chart_title: String,
    without_prediction: u32,
    waiting_period_months: u32,
    earliest: String,
    rules_version: String,
}

struct BandRow {
    band: String,
    people: u32,
    forecast: String,
    observed: String,
    interval: String,
    agreement: &'static str,
}

/// The page's query, read leniently: anything unknown shows OGRS3 over one year.
#[derive(Debug, Default, Deserialize)]
pub struct CalibrationQuery {
    predictor: Option<String>,
    period: Option<String>,
}

fn row(band: &CalibrationBand) -> BandRow {
    BandRow {
        band: format!("{} ({})", band.band, band.range),
        people: band.proportion.of,
        forecast: band
            .mean_predicted
            .map_or("–".to_owned(), |mean| format!("{mean:.0}%")),
        observed: band.proportion.rate().map_or("–".to_owned(), percent),
        interval: interval_words(band.proportion),
        agreement: band.agreement.words(),
    }
}

/// `GET /reoffending/calibration`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(query): Query<CalibrationQuery>,
) -> Result<Html<String>, AppError> {
    let today = state.clock.today();
    let predictor = query
        .predictor
        .as_deref()
        .and_then(|p| CalibrationPredictor::parse(p).ok())
        .unwrap_or(CalibrationPredictor::Ogrs3);
    let period = period_of(query.period.as_deref());
    let members = read_members(
        &state,
        &user,
        "view_predictor_calibration",
        format!("{} over {}", predictor.code(), period.words()),
    )
    .await?;
    let rules = ReoffendingRules::default();
    let result = calibration(&members, predictor, period, &rules, today);
    let name = predictor.short_name();
    let headline = match result.overall.rate() {
        Some(rate) => format!(
            "{name} forecast {:.0} of the {} people whose follow-up has ended to reoffend within {} ({}); {} did ({}).",
            result.expected,
            result.overall.of,
            period.words(),
            percent(result.expected / f64::from(result.overall.of)),
            result.overall.count,
            percent(rate)
        ),
        None => format!(
            "No follow-up of {} with a {name} score has ended yet in your region.",
            period.words()
        ),
    };
    let groups: Vec<Group> = result
        .bands
        .iter()
        .map(|band| Group {
            label: format!("{} ({})", band.band, band.range),
            proportion: band.proportion,
            forecast: band.mean_predicted,
        })
        .collect();
    render(&CalibrationPage {
        chrome: Chrome::for_user(&user, format!("How well {name} forecasts"), "/reoffending"),
        predictors: options(predictor),
        periods: options(period),
        predictor: name,
        period: period.words().to_owned(),
        headline,
        rows: result.bands.iter().map(row).collect(),
        chart: interval_chart(&groups, None),
        chart_id: "calibration-chart",
        chart_title: format!(
            "{name}: forecast and observed reoffending within {} by band",
            period.words()
        ),
        without_prediction: result.without_prediction,
        waiting_period_months: rules.waiting_period_months,
        earliest: crate::format::date(rules.earliest_start(today)),
        rules_version: rules.version,
    })
}
