//! Audit samples: a PDU's samples and the form that draws one (`/quality/pdu/{unit}/samples`),
//! and one sample with its strata, seed and cases (`/quality/samples/{sample}`).
//!
//! The draw form's fields: `framework` (radios, the framework's code; ids `framework` and
//! `framework-{code}`), `size` (a whole number, 50 unless changed, as inspectors draw 40–60) and
//! `seed` (blank for a random seed, which is shown on the sample so the draw can be repeated).

use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission, Validation};
use crate::layout::{render, Chrome};
use crate::quality::access::{open_found, open_unit, unit_path, UnitNeed};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use keepsafe_domain::access::{decide, Action};
use keepsafe_domain::quality::{Framework, SampleRefused, HMIP_PDU_2023};
use keepsafe_storage::audit;
use keepsafe_storage::quality::samples::{self, StoredSample};
use keepsafe_storage::quality::{Unit, UnitInfo};
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

/// The sample size offered first: inspectors draw about 40–60 cases per PDU (reference §12).
const DEFAULT_SIZE: &str = "50";

/// One sample in the PDU's list.
struct SampleRow {
    id: String,
    drawn: String,
    framework: String,
    size: usize,
    audited: usize,
    moderated: usize,
    drawn_by: String,
}

struct FrameworkOption {
    code: String,
    name: String,
}

#[derive(Template)]
#[template(path = "quality/samples.html")]
struct SamplesPage {
    chrome: Chrome,
    csrf_token: String,
    unit_name: String,
    unit_code: String,
    unit_path: String,
    samples_path: Option<String>,
    samples: Vec<SampleRow>,
    may_draw: bool,
    frameworks: Vec<FrameworkOption>,
    framework: String,
    size: String,
    seed: String,
    errors: Vec<FieldError>,
    framework_error: Option<String>,
    size_error: Option<String>,
    seed_error: Option<String>,
}

/// What the list shows, read in the unit's transaction.
struct Listed {
    info: UnitInfo,
    samples: Vec<StoredSample>,
    may_draw: bool,
}

fn list(
    conn: &mut AnyConnection,
    info: &UnitInfo,
    user: &keepsafe_domain::access::Actor,
) -> Result<Listed, AppError> {
    let Unit::Pdu(pdu) = info.unit else {
        return Err(AppError::NotFound);
    };
    Ok(Listed {
        info: info.clone(),
        samples: samples::for_pdu(conn, pdu)?,
        may_draw: decide(user, Action::ManageQuality(&info.location)).is_allowed(),
    })
}

fn samples_page(
    user: &CurrentUser,
    listed: Listed,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> SamplesPage {
    let title = format!("Audit samples: {}", listed.info.name);
    let error_for = |field: &str| forms::message_for(&errors, field);
    let submitted = |name: &str, default: &str| {
        if fields.0.is_empty() {
            default.to_owned()
        } else {
            fields.get(name).chars().take(40).collect()
        }
    };
    SamplesPage {
        chrome: Chrome::for_form(user, title, &errors, ""),
        csrf_token: user.csrf_token.clone(),
        unit_path: unit_path(&listed.info),
        samples_path: None,
        unit_name: listed.info.name.clone(),
        unit_code: listed.info.code.clone(),
        samples: listed
            .samples
            .iter()
            .map(|s| SampleRow {
                id: s.id.to_string(),
                drawn: format::date_time(s.drawn_at),
                framework: s.framework.clone(),
                size: s.cases.len(),
                audited: s.audited(),
                moderated: s.moderated(),
                drawn_by: s.drawn_by.clone(),
            })
            .collect(),
        may_draw: listed.may_draw,
        frameworks: Framework::all()
            .into_iter()
            .map(|f| FrameworkOption {
                code: f.code,
                name: f.name,
            })
            .collect(),
        framework: submitted("framework", HMIP_PDU_2023),
        size: submitted("size", DEFAULT_SIZE),
        seed: submitted("seed", ""),
        framework_error: error_for("framework"),
        size_error: error_for("size"),
        seed_error: error_for("seed"),
        errors,
    }
}

/// `GET /quality/pdu/{unit}/samples`: the PDU's samples, and for whoever runs its quality
/// assurance (head of PDU, quality staff) the form that draws another.
pub async fn list_samples(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(unit): Path<String>,
) -> Result<Response, AppError> {
    let actor = user.account.actor();
    let listed = open_unit(
        &state,
        &user,
        "pdu",
        &unit,
        "view_samples",
        UnitNeed::View,
        move |conn, info| list(conn, info, &actor),
    )
    .await?;
    Ok(render(&samples_page(
        &user,
        listed,
        &FormFields::default(),
        Vec::new(),
    ))?
    .into_response())
}

/// A valid draw request.
struct DrawRequest {
    framework: Framework,
    size: u32,
    seed: u64,
}

/// Reads the form; every field's problem is named at once.
fn draw_request(fields: &FormFields) -> Result<DrawRequest, Vec<FieldError>> {
    let mut validation = Validation::default();
    let framework = validation.required(
        Framework::by_code(fields.get("framework").trim()),
        "framework",
        "Select the framework to audit against",
    );
    let size = validation.field(sample_size(fields.get("size").trim()));
    let seed = match fields.filled("seed") {
        // Six digits: easy to write down and type again to repeat the draw.
        None => Some(rand::random::<u64>() % 1_000_000),
        Some(seed) => validation.required(
            seed.parse::<u64>().ok(),
            "seed",
            "The seed must be a whole number, like 48213, or leave it blank for a random one",
        ),
    };
    validation.finish(|| {
        Some(DrawRequest {
            framework: framework?,
            size: size?,
            seed: seed?,
        })
    })
}

fn sample_size(text: &str) -> Result<u32, FieldError> {
    let refused = |message: &str| Err(FieldError::new("size", message));
    match text.parse::<u32>() {
        _ if text.is_empty() => refused("Enter the sample size, like 50"),
        Ok(0) => refused(&SampleRefused::ZeroSize.to_string()),
        Ok(size) if size <= 10_000 => Ok(size),
        _ => refused("The sample size must be a whole number from 1 to 10,000, like 50"),
    }
}

/// `POST /quality/pdu/{unit}/samples`: draws the sample and stores it with its audit row; a bad
/// size, seed or an empty population shows the form again with what to change.
pub async fn draw_sample(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(unit): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let actor = user.account.actor();
    let posted = Posted::new(&user, &fields);
    let drawn = open_unit(
        &state,
        &user,
        "pdu",
        &unit,
        "draw_sample",
        UnitNeed::Manage,
        move |conn, info| {
            let Unit::Pdu(pdu) = info.unit else {
                return Err(AppError::NotFound);
            };
            let request = match draw_request(&posted) {
                Ok(request) => request,
                Err(errors) => return Ok(Submission::Refused((list(conn, info, &actor)?, errors))),
            };
            let now = state.clock.now();
            let stored = samples::draw_and_store(
                conn,
                pdu,
                &request.framework.code,
                request.size,
                request.seed,
                posted.by,
                now,
            )?;
            let (id, sample) = match stored {
                Ok(stored) => stored,
                Err(refused) => {
                    let errors = vec![FieldError::new("size", refused.to_string())];
                    return Ok(Submission::Refused((list(conn, info, &actor)?, errors)));
                }
            };
            let entry = posted.audit(
                "draw_sample",
                format!(
                    "sample {id} of {} cases from pdu {} against {}, seed {}",
                    sample.cases.len(),
                    info.code,
                    request.framework.code,
                    sample.seed
                ),
            );
            audit::record(conn, &entry, now)?;
            Ok(Submission::Saved(id))
        },
    )
    .await?;
    forms::respond(
        drawn,
        |id| Redirect::to(&format!("/quality/samples/{id}")),
        |(listed, errors)| samples_page(&user, listed, &fields, errors),
    )
}

struct StratumRow {
    stratum: String,
    population: u32,
    share: String,
    drawn: u32,
}

struct CaseRow {
    position: u32,
    crn: String,
    name: String,
    stratum: String,
    audit: Option<String>,
    moderation: Option<String>,
}

#[derive(Template)]
#[template(path = "quality/sample.html")]
struct SamplePage {
    chrome: Chrome,
    id: String,
    unit_name: String,
    unit_code: String,
    framework_code: String,
    framework_name: String,
    drawn: String,
    drawn_by: String,
    seed: u64,
    requested: u32,
    rule_version: String,
    inputs: Vec<(String, String)>,
    steps: Vec<String>,
    strata: Vec<StratumRow>,
    cases: Vec<CaseRow>,
    audited: usize,
    moderated: usize,
    total: usize,
    audited_percent: usize,
}

fn sample_page(user: &CurrentUser, info: &UnitInfo, sample: StoredSample) -> SamplePage {
    let framework_name = Framework::by_code(&sample.framework)
        .map(|f| f.name)
        .unwrap_or_else(|| sample.framework.clone());
    let total = sample.cases.len();
    let audited = sample.audited();
    SamplePage {
        chrome: Chrome::for_user(user, format!("Audit sample: {}", info.name), ""),
        id: sample.id.to_string(),
        unit_name: info.name.clone(),
        unit_code: info.code.clone(),
        framework_name,
        drawn: format::date_time(sample.drawn_at),
        drawn_by: sample.drawn_by.clone(),
        seed: sample.seed,
        requested: sample.requested,
        rule_version: sample.rule_version.clone(),
        inputs: sample
            .explanation
            .inputs
            .iter()
            .map(|f| (f.name.clone(), f.value.clone()))
            .collect(),
        steps: sample.explanation.steps.clone(),
        strata: sample
            .strata()
            .into_iter()
            .map(|s| StratumRow {
                stratum: s.stratum,
                population: s.population,
                share: format!("{:.1}%", s.share_percent),
                drawn: s.drawn,
            })
            .collect(),
        audited,
        moderated: sample.moderated(),
        total,
        audited_percent: (audited * 100).checked_div(total).unwrap_or(0),
        cases: sample
            .cases
            .iter()
            .map(|c| CaseRow {
                position: c.position,
                crn: c.crn.clone(),
                name: c.name.clone(),
                stratum: c.stratum.clone(),
                audit: c.audit.map(|a| a.to_string()),
                moderation: c.moderation.map(|m| m.to_string()),
            })
            .collect(),
        framework_code: sample.framework,
    }
}

/// `GET /quality/samples/{sample}`: how the sample was drawn (strata, seed, rule version and the
/// explanation) and each case with how far its audit has got. Seen by whoever may view the
/// quality of the sample's PDU.
pub async fn show_sample(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(sample): Path<String>,
) -> Result<Response, AppError> {
    let id = Uuid::parse_str(&sample).map_err(|_| AppError::NotFound)?;
    let actor = user.account.actor();
    let (info, sample) = open_found(
        &state,
        &user,
        "view_sample",
        UnitNeed::View,
        move |conn| Ok(Unit::Pdu(samples::find(conn, id)?.pdu_id)),
        move |conn, info| {
            let mut sample = samples::find(conn, id)?;
            // Limited access: a sampled case the reader may not see stays in the sample (it was
            // drawn), but is not named.
            let hidden = keepsafe_storage::cases::limited::hidden_from(conn, &actor)?;
            for case in &mut sample.cases {
                if hidden.hides_crn(&case.crn) {
                    case.name = "Limited access case".to_owned();
                }
            }
            Ok((info.clone(), sample))
        },
    )
    .await?;
    Ok(render(&sample_page(&user, &info, sample))?.into_response())
}
