//! The quality pages (reference §12): `/quality`, the units a manager may see;
//! `/quality/{level}/{unit}`, a unit's rating from case audits or — labelled apart — from the
//! automated indicators; `/quality/{level}/{unit}/questions/{question}`, the cases behind a
//! key-question score; and `/quality/{level}/{unit}/report`, the printable report.
//!
//! Every unit is opened through [`open_unit`], so every view is authorised and audit-logged.
//! The numbers come from [`crate::quality::report`], which the CLI's report uses too.

use crate::error::AppError;
use crate::layout::{render, Chrome};
use crate::quality::access::{open_unit, unit_path, UnitNeed};
use crate::quality::report::{
    self as quality_report, audit_period, framework_view, judgement_views, load_scores,
    rating_view, trend_view, unit_view, unrated_rule, weekly_trend_view, FrameworkView,
    JudgementView, RatingView, TrendView, UnitView, TREND_QUARTERS,
};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use keepsafe_domain::access::{decide, Action, Actor, Decision, TeamLocation, UnitLocation};
use keepsafe_domain::quality::{
    Answer, Focus, Framework, Indicator, IndicatorRules, KeyQuestionScore, Source, HMIP_PDU_2023,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::quality::case_indicators::{self, ListedCase, READ_DRAIN_LIMIT};
use keepsafe_storage::quality::ratings::{UnitRating, UnitScores};
use keepsafe_storage::quality::{ratings, snapshots, units, Unit, UnitInfo};
use keepsafe_storage::AnyConnection;
use serde::Deserialize;
use std::collections::HashMap;

/// The menu entry the quality pages sit under.
const SECTION: &str = "/quality";

// ---------------------------------------------------------------------------------------------
// Which units a user may see
// ---------------------------------------------------------------------------------------------

/// The units a member of staff belongs to, smallest first: their team, PDU, region and the
/// nation. What they may see of quality is decided unit by unit from these.
fn own_units(actor: &Actor) -> Vec<(Unit, UnitLocation)> {
    let mut found = Vec::new();
    if let (Some(pdu), Some(team)) = (actor.pdu, actor.team) {
        found.push((
            Unit::Team(team),
            UnitLocation::Team(TeamLocation {
                region: actor.region,
                pdu,
                team,
            }),
        ));
    }
    if let Some(pdu) = actor.pdu {
        found.push((
            Unit::Pdu(pdu),
            UnitLocation::Pdu {
                region: actor.region,
                pdu,
            },
        ));
    }
    found.push((
        Unit::Region(actor.region),
        UnitLocation::Region(actor.region),
    ));
    found.push((Unit::Nation, UnitLocation::Nation));
    found
}

/// Whether the menu offers "Quality": the user may see the quality of at least one of their
/// own units (senior officers, heads of PDU and quality staff).
pub fn sees_quality(actor: &Actor) -> bool {
    own_units(actor)
        .iter()
        .any(|(_, location)| decide(actor, Action::ViewQuality(location)).is_allowed())
}

/// Where a unit inside `parent` sits, to decide whether to offer a link to it.
fn child_location(parent: &UnitInfo, child: Unit) -> Option<UnitLocation> {
    match (&parent.location, child) {
        (UnitLocation::Pdu { region, pdu }, Unit::Team(team)) => {
            Some(UnitLocation::Team(TeamLocation {
                region: *region,
                pdu: *pdu,
                team,
            }))
        }
        (UnitLocation::Region(region), Unit::Pdu(pdu)) => Some(UnitLocation::Pdu {
            region: *region,
            pdu,
        }),
        (UnitLocation::Nation, Unit::Region(region)) => Some(UnitLocation::Region(region)),
        _ => None,
    }
}

struct UnitLink {
    href: String,
    name: String,
    level: &'static str,
    code: String,
    /// The units inside it the user may also open.
    children: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "quality/index.html")]
struct IndexPage {
    chrome: Chrome,
    units: Vec<UnitLink>,
}

/// `GET /quality`: the units whose quality the user may see. Refused, and audit-logged, for a
/// grade that sees none.
pub async fn index(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Html<String>, AppError> {
    let actor = user.account.actor();
    let actor_name = user.audit_name();
    let found = state
        .write(move |conn| {
            let candidates = own_units(&actor);
            let refusal =
                candidates
                    .iter()
                    .find_map(|(_, l)| match decide(&actor, Action::ViewQuality(l)) {
                        Decision::Refused(refusal) => Some(refusal),
                        Decision::Allowed => None,
                    });
            let mut links = Vec::new();
            for (unit, location) in &candidates {
                if !decide(&actor, Action::ViewQuality(location)).is_allowed() {
                    continue;
                }
                let info = units::describe(conn, *unit)?;
                let children = info
                    .children
                    .iter()
                    .filter(|child| {
                        child_location(&info, child.unit)
                            .is_some_and(|l| decide(&actor, Action::ViewQuality(&l)).is_allowed())
                    })
                    .map(|child| {
                        (
                            format!("/quality/{}/{}", child.unit.kind(), child.code),
                            child.name.clone(),
                        )
                    })
                    .collect();
                links.push(UnitLink {
                    href: unit_path(&info),
                    name: info.name.clone(),
                    level: quality_report::level_name(info.unit),
                    code: info.code.clone(),
                    children,
                });
            }
            let (outcome, detail) = match (links.is_empty(), refusal) {
                (true, Some(refusal)) => (Outcome::Refused, refusal.code().to_owned()),
                _ => (
                    Outcome::Allowed,
                    links
                        .iter()
                        .map(|l| format!("{} {}", l.level, l.code))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            };
            audit::record(
                conn,
                &AuditEntry {
                    staff_id: Some(actor.staff_id),
                    actor: actor_name,
                    action: "view_quality_units".into(),
                    outcome,
                    person_id: None,
                    crn: None,
                    detail,
                },
                state.clock.now(),
            )?;
            Ok(if links.is_empty() {
                Err(refusal)
            } else {
                Ok(links)
            })
        })
        .await?;
    let units = found.map_err(|refusal| {
        AppError::Refused(refusal.map_or_else(
            || "You cannot see the quality of any unit.".to_owned(),
            |r| r.message(),
        ))
    })?;
    render(&IndexPage {
        chrome: Chrome::for_user(&user, "Quality of case supervision", SECTION),
        units,
    })
}

// ---------------------------------------------------------------------------------------------
// The unit rating page
// ---------------------------------------------------------------------------------------------

/// Which rating to show: `?framework=hmip-pdu-2023&source=audit|automated`.
#[derive(Debug, Default, Deserialize)]
pub struct RatingQuery {
    framework: Option<String>,
    source: Option<String>,
}

impl RatingQuery {
    /// The framework and source asked for: by default the 2023 PDU framework and case audits.
    /// An unknown framework is not found; an unknown source is a bad request.
    fn chosen(&self) -> Result<(Framework, Source), AppError> {
        let framework = Framework::by_code(self.framework.as_deref().unwrap_or(HMIP_PDU_2023))
            .ok_or(AppError::NotFound)?;
        let source = match self.source.as_deref() {
            None | Some("") => Source::Audit,
            Some(code) => Source::parse(code).map_err(|_| {
                AppError::BadRequest(
                    "Choose the source of the rating: case audit or automated from the record."
                        .into(),
                )
            })?,
        };
        Ok((framework, source))
    }
}

/// A choice in the page's source or framework control.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "quality/unit.html")]
struct UnitPage {
    chrome: Chrome,
    unit: UnitView,
    framework: FrameworkView,
    frameworks: Vec<Choice>,
    sources: Vec<Choice>,
    view: RatingView,
    trend: Option<TrendView>,
    judgements: Vec<JudgementView>,
    /// The QA management pages, offered only to those who may manage the unit.
    manage: Vec<(String, &'static str)>,
    judgements_path: String,
}

fn framework_choices(chosen: &Framework) -> Vec<Choice> {
    Framework::all()
        .into_iter()
        .map(|f| Choice {
            selected: f.code == chosen.code,
            label: format!("{} ({})", f.name, f.code),
            value: f.code,
        })
        .collect()
}

fn source_choices(chosen: Source) -> Vec<Choice> {
    Source::ALL
        .iter()
        .map(|s| Choice {
            value: s.code().to_owned(),
            label: s.label().to_owned(),
            selected: *s == chosen,
        })
        .collect()
}

/// The management pages of a unit: samples are drawn per PDU.
fn manage_links(info: &UnitInfo) -> Vec<(String, &'static str)> {
    let path = unit_path(info);
    let mut links = Vec::new();
    if matches!(info.unit, Unit::Pdu(_)) {
        links.push((format!("{path}/samples"), "Case samples and audits"));
    }
    links.push((format!("{path}/judgements"), "Ratings panel judgements"));
    links.push((format!("{path}/plan"), "Recommendations and action plan"));
    links
}

struct UnitData {
    info: UnitInfo,
    rating: UnitScores,
    trend: Vec<ratings::TrendPoint>,
    may_manage: bool,
}

/// `GET /quality/{level}/{unit}`.
pub async fn unit(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((level, code)): Path<(String, String)>,
    Query(query): Query<RatingQuery>,
) -> Result<Html<String>, AppError> {
    let (framework, source) = query.chosen()?;
    let today = state.clock.today();
    let actor = user.account.actor();
    let framework_code = framework.code.clone();
    let data = open_unit(
        &state,
        &user,
        &level,
        &code,
        "view_quality_rating",
        UnitNeed::View,
        move |conn, info| {
            let loaded = load_scores(conn, info, &framework_code, source, today)?;
            let trend = match source {
                Source::Audit => {
                    ratings::audited_trend(conn, info.unit, &framework_code, today, TREND_QUARTERS)?
                }
                Source::Automated => {
                    snapshots::trend(conn, info.unit, &framework_code, today, WEEKLY_TREND_WEEKS)?
                }
            };
            Ok(UnitData {
                info: info.clone(),
                rating: loaded,
                trend,
                may_manage: decide(&actor, Action::ManageQuality(&info.location)).is_allowed(),
            })
        },
    )
    .await?;
    let info = &data.info;
    // As this deployment rates with it: its own thresholds and bands, if any are set.
    let framework = data.rating.framework.clone();
    let view = rating_view(info, &framework, &data.rating, today, "unit-scores");
    let page = UnitPage {
        chrome: Chrome::for_user(
            &user,
            format!("Quality: {} ({})", info.name, source.label()),
            SECTION,
        ),
        unit: unit_view(info),
        framework: framework_view(&framework),
        frameworks: framework_choices(&framework),
        sources: source_choices(source),
        trend: match source {
            Source::Audit => Some(trend_view(&framework, &data.trend, "unit-trend")),
            Source::Automated => (!data.trend.is_empty())
                .then(|| weekly_trend_view(&framework, &data.trend, "unit-trend")),
        },
        judgements: judgement_views(&framework, &data.rating.judgements),
        manage: if data.may_manage {
            manage_links(info)
        } else {
            Vec::new()
        },
        judgements_path: format!("{}/judgements", unit_path(info)),
        view,
    };
    render(&page)
}

/// Weeks of recorded automated ratings the unit page shows.
const WEEKLY_TREND_WEEKS: u32 = 12;

// ---------------------------------------------------------------------------------------------
// The cases behind a number
// ---------------------------------------------------------------------------------------------

/// Which cases to list: `?framework=…&source=…&answer=yes|no|not_applicable&page=N` (the first
/// page of all three answers without `answer`).
#[derive(Debug, Default, Deserialize)]
pub struct QuestionQuery {
    framework: Option<String>,
    source: Option<String>,
    answer: Option<String>,
    page: Option<usize>,
}

/// The most cases one answer lists on a page: a nation's answer can hold a hundred thousand.
const CASES_PER_PAGE: usize = 100;

/// One case behind a number.
struct CaseRow {
    crn: String,
    name: String,
    team: String,
    /// The auditor's reason, or the automated answer's.
    reason: String,
    /// For automated answers: each indicator informing the question (title, result, why).
    indicators: Vec<(String, String, String)>,
}

struct AnswerGroup {
    answer: &'static str,
    code: &'static str,
    /// Every case given this answer; `cases` is one page of them.
    total: usize,
    cases: Vec<CaseRow>,
    /// The cases of the first and last row shown, when not all are.
    shown: Option<(usize, usize)>,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "quality/question.html")]
struct QuestionPage {
    chrome: Chrome,
    unit: UnitView,
    framework: FrameworkView,
    source: String,
    source_label: String,
    question: String,
    text: String,
    standard: String,
    described: String,
    /// The small-sample caution, when the score rests on fewer than 10 cases.
    caution: String,
    groups: Vec<AnswerGroup>,
    back: String,
}

/// What one question of one unit lists: each answer's total and one page of its cases.
struct Listed {
    info: UnitInfo,
    score: KeyQuestionScore,
    answers: Vec<(Answer, usize, Vec<CaseRow>)>,
}

/// `GET /quality/{level}/{unit}/questions/{question}`: the cases behind a key-question score,
/// each with the auditor's reason (audits) or the indicators' reasons (automated), at most
/// [`CASES_PER_PAGE`] per answer. An unknown question is not found.
pub async fn question(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((level, code, question)): Path<(String, String, String)>,
    Query(query): Query<QuestionQuery>,
) -> Result<Html<String>, AppError> {
    let (framework, source) = RatingQuery {
        framework: query.framework.clone(),
        source: query.source.clone(),
    }
    .chosen()?;
    let (standard, key_question) = framework
        .key_question(&question)
        .map(|(s, q)| (s.clone(), q.clone()))
        .ok_or(AppError::NotFound)?;
    let only = match query.answer.as_deref() {
        None | Some("") => None,
        Some(code) => Some(Answer::parse(code).map_err(|_| {
            AppError::BadRequest("Choose the answer to list: yes, no or not applicable.".into())
        })?),
    };
    let page = query.page.unwrap_or(1).max(1);
    let offset = (page - 1) * CASES_PER_PAGE;
    let today = state.clock.today();
    let chosen = framework.clone();
    let asked = key_question.clone();
    let standard_code = standard.code.clone();
    let limited_actor = user.account.actor();
    let listed = open_unit(
        &state,
        &user,
        &level,
        &code,
        "view_quality_cases",
        UnitNeed::View,
        move |conn, info| {
            let wanted = |answer: Answer| only.is_none_or(|o| o == answer);
            let answers = match source {
                Source::Audit => audited_cases(conn, info, &chosen, &asked.code, today, &wanted)?,
                Source::Automated => automated_cases(
                    conn,
                    info.unit,
                    &chosen,
                    (&standard_code, asked.focus, &asked.code),
                    (offset, today),
                    &wanted,
                )?,
            };
            // Limited access: every case counts, but one the reader may not see is not named.
            let hidden = keepsafe_storage::cases::limited::hidden_from(conn, &limited_actor)?;
            let answers: Vec<(Answer, usize, Vec<CaseRow>)> = answers
                .into_iter()
                .map(|(answer, total, rows)| {
                    let rows = rows
                        .into_iter()
                        .map(|row| {
                            if hidden.hides_crn(&row.crn) {
                                CaseRow {
                                    crn: row.crn,
                                    name: "Limited access case".to_owned(),
                                    team: String::new(),
                                    reason: String::new(),
                                    indicators: Vec::new(),
                                }
                            } else {
                                row
                            }
                        })
                        .collect();
                    (answer, total, rows)
                })
                .collect();
            let count = |answer| {
                answers
                    .iter()
                    .find(|(a, _, _)| *a == answer)
                    .map_or(0, |(_, total, _)| *total)
            };
            let (yes, no) = (count(Answer::Yes), count(Answer::No));
            let score = KeyQuestionScore::new(
                u32::try_from(yes).unwrap_or(u32::MAX),
                u32::try_from(yes + no).unwrap_or(u32::MAX),
            )
            .expect("yes never exceeds yes + no");
            Ok(Listed {
                info: info.clone(),
                score,
                answers: answers
                    .into_iter()
                    .filter(|(answer, _, _)| wanted(*answer))
                    .collect(),
            })
        },
    )
    .await?;
    let unit = unit_view(&listed.info);
    let back = format!(
        "{}?framework={}&source={}",
        unit.path,
        framework.code,
        source.code()
    );
    let list_path = format!(
        "{}/questions/{}?framework={}&source={}",
        unit.path,
        key_question.code,
        framework.code,
        source.code()
    );
    let groups = listed
        .answers
        .into_iter()
        .map(|(answer, total, cases)| {
            let paged = |to: usize| format!("{list_path}&answer={}&page={to}", answer.code());
            let first = offset + 1;
            let last = offset + cases.len();
            AnswerGroup {
                answer: answer.label(),
                code: answer.code(),
                total,
                shown: (total > cases.len()).then_some((first, last)),
                previous: (page > 1 && only.is_some()).then(|| paged(page - 1)),
                next: (last < total).then(|| paged(if only.is_some() { page + 1 } else { 2 })),
                cases,
            }
        })
        .collect();
    render(&QuestionPage {
        chrome: Chrome::for_user(
            &user,
            format!(
                "Cases behind {}: {}",
                key_question.label(&standard),
                listed.info.name
            ),
            SECTION,
        ),
        framework: framework_view(&framework),
        source: source.code().to_owned(),
        source_label: source.label().to_owned(),
        question: key_question.label(&standard),
        text: key_question.text.clone(),
        standard: format!("{} {}", standard.code, standard.name),
        described: listed.score.describe(),
        caution: quality_report::small_sample_caution(listed.score.applicable()),
        groups,
        back,
        unit,
    })
}

/// Each answer's total and the first page of its cases (audits are few: at most one per case
/// audited in the last year), with the auditors' reasons.
fn audited_cases(
    conn: &mut AnyConnection,
    info: &UnitInfo,
    framework: &Framework,
    question: &str,
    today: chrono::NaiveDate,
    wanted: &dyn Fn(Answer) -> bool,
) -> Result<Vec<(Answer, usize, Vec<CaseRow>)>, AppError> {
    let (from, to) = audit_period(today);
    let rating: UnitRating = ratings::audited(
        conn,
        info.unit,
        &framework.code,
        from,
        to,
        unrated_rule(info.unit),
    )?;
    let tally = rating
        .tally
        .questions
        .iter()
        .find(|q| q.question == question)
        .ok_or(AppError::NotFound)?;
    // Each case's reason for this question, looked up once rather than searched per case.
    let reasons: HashMap<&str, &str> = rating
        .audits
        .iter()
        .filter_map(|a| {
            let given = a
                .audit()
                .answers
                .iter()
                .find(|given| given.question == question)?;
            Some((a.audit().case.as_str(), given.reason.as_deref()?))
        })
        .collect();
    Ok([
        (Answer::Yes, &tally.yes),
        (Answer::No, &tally.no),
        (Answer::NotApplicable, &tally.not_applicable),
    ]
    .into_iter()
    .map(|(answer, crns)| {
        let rows = if wanted(answer) {
            crns.iter()
                .take(CASES_PER_PAGE)
                .map(|crn| {
                    let case = rating.cases.get(crn);
                    CaseRow {
                        crn: crn.clone(),
                        name: case.map(|c| c.name.clone()).unwrap_or_default(),
                        team: team_or_unallocated(case.and_then(|c| c.team.clone())),
                        reason: reasons
                            .get(crn.as_str())
                            .map(|r| (*r).to_owned())
                            .unwrap_or_default(),
                        indicators: Vec::new(),
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        (answer, crns.len(), rows)
    })
    .collect())
}

/// Each answer's total from the stored results, and one page of its cases with the indicators
/// informing the question worked out again from the record for their reasons.
fn automated_cases(
    conn: &mut AnyConnection,
    unit: Unit,
    framework: &Framework,
    (standard, focus, question): (&str, Focus, &str),
    (offset, today): (usize, chrono::NaiveDate),
    wanted: &dyn Fn(Answer) -> bool,
) -> Result<Vec<(Answer, usize, Vec<CaseRow>)>, AppError> {
    let rules = IndicatorRules::default();
    case_indicators::drain(conn, today, &rules, READ_DRAIN_LIMIT)?;
    let mut found = Vec::new();
    for (answer, results, total) in ratings::answer_groups(conn, unit, framework, question)? {
        let rows = if wanted(answer) {
            case_indicators::cases_with(
                conn,
                unit,
                &results,
                offset,
                CASES_PER_PAGE,
                today,
                &rules,
            )?
            .into_iter()
            .map(|case| automated_row(framework, case, standard, focus, question))
            .collect()
        } else {
            Vec::new()
        };
        found.push((answer, total, rows));
    }
    Ok(found)
}

fn automated_row(
    framework: &Framework,
    case: ListedCase,
    standard: &str,
    focus: Focus,
    question: &str,
) -> CaseRow {
    let reason = keepsafe_domain::quality::automated_answers(framework, &case.indicators)
        .into_iter()
        .find(|given| given.question == question)
        .and_then(|given| given.reason)
        .unwrap_or_default();
    CaseRow {
        crn: case.crn,
        name: case.name,
        team: team_or_unallocated(case.team),
        reason,
        indicators: case
            .indicators
            .iter()
            .filter(|i| i.informs(standard, focus))
            .map(indicator_row)
            .collect(),
    }
}

fn indicator_row(indicator: &Indicator) -> (String, String, String) {
    (
        indicator.title.to_owned(),
        indicator.result.label().to_owned(),
        indicator.why.clone(),
    )
}

fn team_or_unallocated(team: Option<String>) -> String {
    team.unwrap_or_else(|| "Unallocated".to_owned())
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

/// `?framework=…`.
#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    framework: Option<String>,
}

#[derive(Template)]
#[template(path = "quality/report.html")]
struct ReportPage {
    chrome: Chrome,
    /// The report's content, rendered (and escaped) by [`quality_report::render_html_body`].
    body: String,
    back: String,
}

/// `GET /quality/{level}/{unit}/report`: the printable report, the same one `keepsafe inspect`
/// writes.
pub async fn report(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((level, code)): Path<(String, String)>,
    Query(query): Query<ReportQuery>,
) -> Result<Html<String>, AppError> {
    let framework_code = query.framework.unwrap_or_else(|| HMIP_PDU_2023.to_owned());
    Framework::by_code(&framework_code).ok_or(AppError::NotFound)?;
    let today = state.clock.today();
    let report = open_unit(
        &state,
        &user,
        &level,
        &code,
        "view_quality_report",
        UnitNeed::View,
        move |conn, info| quality_report::build_for(conn, info, &framework_code, today),
    )
    .await?;
    render(&ReportPage {
        chrome: Chrome::for_user(
            &user,
            format!("Quality report: {}", report.unit.name),
            SECTION,
        ),
        back: format!("{}?framework={}", report.unit.path, report.framework.code),
        body: quality_report::render_html_body(&report)?,
    })
}
