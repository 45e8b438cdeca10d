//! `GET /cases/{crn}/tier`: a person's legacy and single tiers with every factor the rules looked
//! at, where each input came from, and the inputs keepsafe does not hold yet. Opened through
//! [`open_case`], so every view is authorised and audit-logged.

use crate::cases::access::open_case;
use crate::error::AppError;
use crate::format;
use crate::layout::{render, Chrome};
use crate::risk::predictors;
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::risk::scores::{
    self as risk_scores, SingleTierResult, TierFactor, TierRecord, TierRules,
};

#[derive(Template)]
#[template(path = "risk/tier.html")]
struct TierPage {
    chrome: Chrome,
    name: String,
    crn: String,
    tier: Option<TierView>,
}

struct TierView {
    legacy: String,
    single: String,
    provisional: bool,
    summary: Vec<(String, String)>,
    legacy_factors: Vec<FactorView>,
    single_factors: Vec<FactorView>,
    /// Each note, with a link to the recorded predictor it is about.
    notes: Vec<(String, Option<String>)>,
    rule_version: String,
    computed: String,
}

struct FactorView {
    factor: String,
    effect: String,
    points: String,
    counted: bool,
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Html<String>, AppError> {
    let (record, scores) = open_case(&state, &user, &crn, "view_tier", |conn, case| {
        let record = case_record::load(conn, case.person_id, 0)?;
        let scores = risk_scores::for_person(conn, case.person_id)?;
        Ok((record, scores))
    })
    .await?;
    let person = &record.person;
    let name = format!("{} {}", person.first_name, person.last_name);
    let page = TierPage {
        chrome: Chrome::for_user(&user, format!("Tier: {name} ({})", person.crn), ""),
        crn: person.crn.clone(),
        name,
        tier: scores.tier.map(|tier| tier_view(tier, &person.crn)),
    };
    render(&page)
}

fn tier_view(tier: TierRecord, crn: &str) -> TierView {
    let (single, provisional) = single_tier_text(&tier.single);
    let change_points = match tier.change_points {
        Some(points) => points.to_string(),
        None => "None added: the change level is set without points".to_owned(),
    };
    let summary = vec![
        ("Protect points".to_owned(), tier.protect_points.to_string()),
        ("Change points".to_owned(), change_points),
        (
            "Provisional".to_owned(),
            if provisional { "Yes" } else { "No" }.to_owned(),
        ),
    ];
    let factors = |rules: TierRules| -> Vec<FactorView> {
        tier.factors
            .iter()
            .filter(|factor| factor.rules == rules)
            .map(factor_view)
            .collect()
    };
    TierView {
        legacy: tier.legacy.to_string(),
        single,
        provisional,
        summary,
        legacy_factors: factors(TierRules::Legacy),
        single_factors: factors(TierRules::Single),
        notes: tier
            .notes
            .iter()
            .map(|note| (note.clone(), predictors::note_link(crn, note)))
            .collect(),
        rule_version: tier.rule_version.clone(),
        computed: format!("{} (UTC)", format::date_time(tier.computed_at)),
    }
}

/// The single tier as a person reads it, and whether it is provisional.
fn single_tier_text(single: &SingleTierResult) -> (String, bool) {
    match single {
        SingleTierResult::Tiered { tier, provisional } => (tier.to_string(), *provisional),
        SingleTierResult::NotSupervised => ("Not supervised".to_owned(), false),
        SingleTierResult::Missing { reason } => (format!("Not computed: {reason}"), false),
    }
}

fn factor_view(factor: &TierFactor) -> FactorView {
    FactorView {
        factor: factor.factor.clone(),
        effect: factor.effect.clone(),
        points: factor
            .points
            .map_or_else(String::new, |points| points.to_string()),
        counted: factor.counted,
    }
}
