//! A unit's inspection-style quality report as one serialisable view model ([`Report`]), and its
//! renderings: the HTML the web page shows, a standalone HTML document and Markdown.
//!
//! Why one module for the page and the CLI: `keepsafe inspect --format json|markdown|html` and
//! `/quality/{level}/{unit}/report` must say the same thing. Both build the [`Report`] here and
//! render it here, so a number cannot be worked out one way on the page and another in a file.
//! The unit rating page reuses the same pieces ([`RatingView`], [`TrendView`], …) for one source.
//!
//! Audit ratings and automated ratings are kept apart and labelled with their
//! [`Source`](keepsafe_domain::quality::Source) everywhere; every percentage carries its n and
//! its 95% Wilson interval, and every rating its explanation and rule version.

use crate::charts::{QuarterTrend, ScoreBars, ScoreInput};
use crate::error::AppError;
use crate::format;
use askama::Template;
use chrono::{Months, NaiveDate};
use keepsafe_domain::quality::{
    wilson_interval, ActionStatus, Agreement, Framework, IndicatorRules, InspectionRating,
    KeyQuestionScore, OverallRefused, Rating, Source, UnratedStandards,
};
use keepsafe_domain::workload::{Explanation, Fact};
use keepsafe_domain::CodedValue;
use keepsafe_storage::error::StorageResult;
use keepsafe_storage::quality::judgements::{JudgementKind, StoredJudgement};
use keepsafe_storage::quality::plans::{self, StoredRecommendation};
use keepsafe_storage::quality::ratings::{self, TrendPoint, UnitScores};
use keepsafe_storage::quality::{frameworks, units, Unit, UnitInfo};
use keepsafe_storage::AnyConnection;
use serde::Serialize;

/// How many quarters the audit trend shows.
pub const TREND_QUARTERS: u32 = 4;

/// How far back an audit rating reads: audits from the last 12 months up to today, about the
/// span of an inspection's case sample.
pub fn audit_period(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (today - Months::new(12), today)
}

/// What to do with standards that are not rated. A PDU and a region are what the inspectorate
/// rates, so their overall is refused until every standard (the judged ones too) is rated; a
/// team or the nation is never inspected as such, so their overall is on the rated standards
/// only, and says so.
pub fn unrated_rule(unit: Unit) -> UnratedStandards {
    match unit {
        Unit::Pdu(_) | Unit::Region(_) => UnratedStandards::Refuse,
        Unit::Team(_) | Unit::Nation => UnratedStandards::RateOnRated,
    }
}

/// Reads a unit's rating from `source` as of `today`, as counts: audits of the last 12 months,
/// or the stored automated indicator results of every live case (never recomputed case by case
/// on a request). Bulk queries only.
pub fn load_scores(
    conn: &mut AnyConnection,
    info: &UnitInfo,
    framework_code: &str,
    source: Source,
    today: NaiveDate,
) -> StorageResult<UnitScores> {
    match source {
        Source::Audit => {
            let (from, to) = audit_period(today);
            let rating = ratings::audited(
                conn,
                info.unit,
                framework_code,
                from,
                to,
                unrated_rule(info.unit),
            )?;
            UnitScores::from_rating(rating, info.unit, &info.children)
        }
        Source::Automated => ratings::automated_scores(
            conn,
            info.unit,
            &info.children,
            framework_code,
            today,
            &IndicatorRules::default(),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// The view model
// ---------------------------------------------------------------------------------------------

/// The whole report: everything the inspectorate's report on a unit would hold that keepsafe can
/// know, both sources side by side.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub unit: UnitView,
    /// The day the report is as of, in GOV.UK style, and as an ISO date for machines.
    pub date: String,
    pub date_iso: NaiveDate,
    pub framework: FrameworkView,
    pub audit: RatingView,
    pub automated: RatingView,
    /// Each standard's rating from both sources, for the side-by-side table.
    pub comparison: Vec<ComparisonRow>,
    pub trend: TrendView,
    pub judgements: Vec<JudgementView>,
    pub recommendations: Vec<RecommendationView>,
}

/// The unit reported on.
#[derive(Debug, Clone, Serialize)]
pub struct UnitView {
    /// "team", "pdu", "region" or "nation".
    pub level: String,
    /// "Probation delivery unit".
    pub level_name: String,
    pub code: String,
    pub name: String,
    /// Its quality page: "/quality/pdu/MIDW".
    pub path: String,
    pub parent: Option<String>,
}

/// The framework the report rates against, with its rules in words.
#[derive(Debug, Clone, Serialize)]
pub struct FrameworkView {
    pub code: String,
    pub name: String,
    pub thresholds: String,
    pub bands: String,
}

/// A unit's rating from one source.
#[derive(Debug, Clone, Serialize)]
pub struct RatingView {
    /// "audit" or "automated".
    pub source: String,
    /// "Case audit" or "Automated from the record".
    pub source_label: String,
    /// What was counted, in words.
    pub basis: String,
    pub cases: usize,
    /// What happens to standards that are not rated, in words.
    pub unrated_rule: String,
    pub overall: OverallView,
    pub standards: Vec<StandardView>,
    pub questions: Vec<QuestionView>,
    pub chart: Option<ScoreBars>,
    /// The rating split by the units inside this one.
    pub breakdown: Vec<ChildView>,
    /// Agreement between auditors and moderators (audit ratings with moderated cases only).
    pub moderation: Option<ModerationView>,
}

/// The overall rating, or why there is none.
#[derive(Debug, Clone, Serialize)]
pub struct OverallView {
    pub given: bool,
    pub rating: Option<String>,
    /// The GOV.UK tag colour class for the rating.
    pub tag: String,
    pub points: Option<u32>,
    pub max_points: Option<u32>,
    pub left_out: Vec<String>,
    /// Why it is not given.
    pub reason: Option<String>,
    /// Whether the reason is judgement standards not yet judged (so the page links to where
    /// judgements are recorded).
    pub needs_judgements: bool,
    pub explanation: Option<ExplanationView>,
}

/// A rule's working: inputs, steps and rule version.
#[derive(Debug, Clone, Serialize)]
pub struct ExplanationView {
    pub rule_version: String,
    pub inputs: Vec<Fact>,
    pub steps: Vec<String>,
}

impl From<&Explanation> for ExplanationView {
    fn from(explanation: &Explanation) -> Self {
        Self {
            rule_version: explanation.rule_version.clone(),
            inputs: explanation.inputs.clone(),
            steps: explanation.steps.clone(),
        }
    }
}

/// One standard's rating.
#[derive(Debug, Clone, Serialize)]
pub struct StandardView {
    pub code: String,
    pub name: String,
    /// "Case sample" or "Judgement".
    pub basis: String,
    pub rating: String,
    pub rated: bool,
    pub tag: String,
    /// The computed rating when the panel departed from it.
    pub computed: Option<String>,
    pub departure_reason: Option<String>,
    pub explanation: ExplanationView,
}

/// One key question's score.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    pub code: String,
    /// How people name it: "2.1, keeping other people safe".
    pub label: String,
    pub standard: String,
    pub text: String,
    pub yes: usize,
    pub no: usize,
    pub not_applicable: usize,
    /// n: the cases where it applies.
    pub applicable: u32,
    pub percent: Option<f64>,
    /// "62.5%" or "No cases apply".
    pub score: String,
    /// "42.7%–78.8%", or "" when no case applies.
    pub interval: String,
    /// "15 of 24 (62.5%, 95% interval 42.7%–78.8%)".
    pub described: String,
    pub rating: Option<String>,
    /// "Small sample: 6 cases" when a percentage rests on fewer than
    /// [`format::SMALL_SAMPLE`](crate::format::SMALL_SAMPLE) cases, else empty.
    pub caution: String,
}

/// The caution a percentage from fewer than 10 cases carries, or "" (none for no cases: there is
/// no percentage to caution).
pub fn small_sample_caution(applicable: u32) -> String {
    if applicable > 0 && applicable < crate::format::SMALL_SAMPLE {
        format!(
            "Small sample: {applicable} case{}, read with caution",
            if applicable == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    }
}

/// A unit inside the one reported on, rated from the same cases.
#[derive(Debug, Clone, Serialize)]
pub struct ChildView {
    pub code: String,
    pub name: String,
    pub path: String,
    pub cases: usize,
    /// Each standard's rating, in framework order (case standards only).
    pub standards: Vec<String>,
    pub overall: String,
}

/// Agreement between auditors and moderators.
#[derive(Debug, Clone, Serialize)]
pub struct ModerationView {
    pub cases: usize,
    pub overall: AgreementView,
    pub per_question: Vec<(String, AgreementView)>,
    pub disagreements: Vec<DisagreementView>,
}

/// One agreement measure in words.
#[derive(Debug, Clone, Serialize)]
pub struct AgreementView {
    pub compared: u32,
    pub agreed: u32,
    /// "87.5% (7 of 8, 95% interval 52.9%–97.8%)".
    pub rate: String,
    /// "0.71", or why there is none.
    pub kappa: String,
}

/// A question the moderator answered differently.
#[derive(Debug, Clone, Serialize)]
pub struct DisagreementView {
    pub case: String,
    pub question: String,
    pub first: String,
    pub second: String,
}

/// One row of the side-by-side standards table.
#[derive(Debug, Clone, Serialize)]
pub struct ComparisonRow {
    pub code: String,
    pub name: String,
    pub audit: String,
    pub automated: String,
}

/// The audit ratings quarter by quarter.
#[derive(Debug, Clone, Serialize)]
pub struct TrendView {
    /// What a row is: "Quarter" (audits) or "Week" (automated records).
    pub period: String,
    /// The table's caption, saying what is tracked.
    pub caption: String,
    /// The case standards, as column headings ("2.1 Assessment").
    pub standards: Vec<String>,
    pub rows: Vec<TrendRow>,
    pub chart: Option<QuarterTrend>,
}

/// One quarter of the trend.
#[derive(Debug, Clone, Serialize)]
pub struct TrendRow {
    pub quarter: String,
    pub dates: String,
    pub cases: usize,
    /// Per case standard: "Good: 2.1.safe 70.0% (7 of 10, 95% interval …)" or "No cases".
    pub cells: Vec<String>,
}

/// A ratings panel decision applied.
#[derive(Debug, Clone, Serialize)]
pub struct JudgementView {
    pub standard: String,
    pub kind: String,
    pub rating: String,
    pub reason: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// An inspection recommendation and its action plan.
#[derive(Debug, Clone, Serialize)]
pub struct RecommendationView {
    pub text: String,
    pub standard: Option<String>,
    pub made_by: String,
    pub made_on: String,
    pub actions: Vec<ActionView>,
}

/// One action of a plan.
#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    pub description: String,
    pub owner: String,
    pub due: String,
    pub status: String,
    pub overdue: bool,
}

// ---------------------------------------------------------------------------------------------
// Building it
// ---------------------------------------------------------------------------------------------

/// The report on `unit` against the framework `framework_code` as of `today`. Reads the audit
/// rating, the automated rating, the trend and the action plans, each in bulk. An unknown
/// framework or unit is [`AppError::NotFound`]. The caller decides who may read it.
pub fn build(
    conn: &mut AnyConnection,
    unit: Unit,
    framework_code: &str,
    today: NaiveDate,
) -> Result<Report, AppError> {
    let info = units::describe(conn, unit)?;
    build_for(conn, &info, framework_code, today)
}

/// As [`build`], for a unit already described (the web page has opened it).
pub fn build_for(
    conn: &mut AnyConnection,
    info: &UnitInfo,
    framework_code: &str,
    today: NaiveDate,
) -> Result<Report, AppError> {
    // As this deployment rates with it: its own thresholds and bands, if any are set.
    let framework = frameworks::configured(conn, framework_code)?.ok_or(AppError::NotFound)?;
    let audit = load_scores(conn, info, framework_code, Source::Audit, today)?;
    let automated = load_scores(conn, info, framework_code, Source::Automated, today)?;
    let trend = ratings::audited_trend(conn, info.unit, framework_code, today, TREND_QUARTERS)?;
    let plans = plans::for_unit(conn, info.unit)?;
    let audit_view = rating_view(info, &framework, &audit, today, "report-audit");
    let automated_view = rating_view(info, &framework, &automated, today, "report-automated");
    let comparison = framework
        .standards
        .iter()
        .zip(audit_view.standards.iter().zip(&automated_view.standards))
        .map(|(standard, (a, b))| ComparisonRow {
            code: standard.code.clone(),
            name: standard.name.clone(),
            audit: a.rating.clone(),
            automated: b.rating.clone(),
        })
        .collect();
    Ok(Report {
        unit: unit_view(info),
        date: format::date(today),
        date_iso: today,
        framework: framework_view(&framework),
        judgements: judgement_views(&framework, &audit.judgements),
        audit: audit_view,
        automated: automated_view,
        comparison,
        trend: trend_view(&framework, &trend, "report-trend"),
        recommendations: plans
            .iter()
            .map(|r| recommendation_view(r, today))
            .collect(),
    })
}

/// The unit in words.
pub fn unit_view(info: &UnitInfo) -> UnitView {
    let level = info.unit.kind();
    UnitView {
        level: level.to_owned(),
        level_name: level_name(info.unit).to_owned(),
        code: info.code.clone(),
        name: info.name.clone(),
        path: crate::quality::access::unit_path(info),
        parent: info.parent.as_ref().map(|(_, name)| name.clone()),
    }
}

/// "Team", "Probation delivery unit", "Region" or "Nation".
pub fn level_name(unit: Unit) -> &'static str {
    match unit {
        Unit::Team(_) => "Team",
        Unit::Pdu(_) => "Probation delivery unit",
        Unit::Region(_) => "Region",
        Unit::Nation => "Nation",
    }
}

/// The framework with its thresholds and bands in words.
pub fn framework_view(framework: &Framework) -> FrameworkView {
    FrameworkView {
        code: framework.code.clone(),
        name: framework.name.clone(),
        thresholds: framework.thresholds.describe(),
        bands: framework.bands.describe(),
    }
}

/// The GOV.UK tag colour for a rating.
pub fn rating_tag(rating: Option<Rating>) -> &'static str {
    match rating {
        Some(Rating::Outstanding) => "govuk-tag--green",
        Some(Rating::Good) => "govuk-tag--turquoise",
        Some(Rating::RequiresImprovement) => "govuk-tag--orange",
        Some(Rating::Inadequate) => "govuk-tag--red",
        None => "govuk-tag--grey",
    }
}

fn rating_text(rating: Option<Rating>) -> String {
    rating.map_or_else(|| "Not rated".to_owned(), |r| r.label().to_owned())
}

/// A rating from one source as the pages show it. `chart_id` keeps the chart's element ids
/// unique on a page that shows more than one.
pub fn rating_view(
    info: &UnitInfo,
    framework: &Framework,
    rating: &UnitScores,
    today: NaiveDate,
    chart_id: &str,
) -> RatingView {
    let questions = question_views(framework, rating);
    let chart = ScoreBars::new(
        chart_id,
        &rating
            .questions
            .iter()
            .map(|q| score_input(&framework.question_short_label(&q.question), &q.score()))
            .collect::<Vec<_>>(),
        &[
            framework.thresholds.requires_improvement(),
            framework.thresholds.good(),
            framework.thresholds.outstanding(),
        ],
    );
    let breakdown = rating
        .children
        .iter()
        .map(|child| ChildView {
            path: format!("/quality/{}/{}", child.child.unit.kind(), child.child.code),
            code: child.child.code.clone(),
            name: child.child.name.clone(),
            cases: child.cases,
            standards: case_standard_ratings(framework, &child.rating),
            overall: match &child.rating.overall {
                Ok(overall) => format!(
                    "{} ({} of {} points)",
                    overall.rating, overall.points, overall.max_points
                ),
                Err(refused) => format!("Not given: {refused}"),
            },
        })
        .collect();
    RatingView {
        source: rating.source.code().to_owned(),
        source_label: rating.source.label().to_owned(),
        basis: basis(rating, today),
        cases: rating.cases,
        unrated_rule: unrated_rule_text(info.unit, rating.source),
        overall: overall_view(framework, &rating.rating),
        standards: standard_views(framework, &rating.rating),
        questions,
        chart,
        breakdown,
        moderation: rating.moderation.as_ref().map(|m| ModerationView {
            cases: m.cases.len(),
            overall: agreement_view(&m.overall),
            per_question: m
                .per_question
                .iter()
                .map(|(q, a)| (q.clone(), agreement_view(a)))
                .collect(),
            disagreements: m
                .disagreements
                .iter()
                .map(|d| DisagreementView {
                    case: d.case.clone(),
                    question: framework.question_label(&d.question),
                    first: d.first.label().to_owned(),
                    second: d.second.label().to_owned(),
                })
                .collect(),
        }),
    }
}

fn basis(rating: &UnitScores, today: NaiveDate) -> String {
    match (rating.source, rating.period) {
        (Source::Audit, Some((from, to))) => format!(
            "The latest audit of each case audited from {} to {} (the moderator's answers where \
             a case was moderated): {} cases.",
            format::date(from),
            format::date(to),
            rating.cases
        ),
        _ => {
            let mut basis = format!(
                "Every live case answered from the record as of {}: {} cases. Planning (2.2) \
                 cannot be answered from the record, so it is not rated from this source.",
                format::date(today),
                rating.cases
            );
            if rating.behind > 0 {
                basis.push_str(&format!(
                    " {} cases changed recently or were last answered on an earlier day and are \
                     being brought up to date.",
                    rating.behind
                ));
            }
            basis
        }
    }
}

fn unrated_rule_text(unit: Unit, source: Source) -> String {
    match (source, unrated_rule(unit)) {
        (Source::Audit, UnratedStandards::Refuse) => "A PDU or region is given an overall rating \
            only when every standard is rated, the judged standards included."
            .to_owned(),
        _ => "The overall rating is on the rated standards only, banded in proportion to their \
              number; standards not rated are left out and named."
            .to_owned(),
    }
}

fn score_input(label: &str, score: &KeyQuestionScore) -> ScoreInput {
    ScoreInput {
        label: label.to_owned(),
        yes: score.yes(),
        applicable: score.applicable(),
        percent: score
            .percent()
            .zip(score.interval())
            .map(|(p, i)| (p, i.lower_percent(), i.upper_percent())),
        described: score.describe(),
    }
}

fn question_views(framework: &Framework, rating: &UnitScores) -> Vec<QuestionView> {
    rating
        .questions
        .iter()
        .map(|q| {
            let score = q.score();
            QuestionView {
                code: q.question.clone(),
                label: framework.question_label(&q.question),
                standard: q.standard.clone(),
                text: framework
                    .key_question(&q.question)
                    .map(|(_, kq)| kq.text.clone())
                    .unwrap_or_default(),
                yes: q.yes,
                no: q.no,
                not_applicable: q.not_applicable,
                applicable: score.applicable(),
                percent: score.percent(),
                score: score
                    .percent()
                    .map_or_else(|| "No cases apply".to_owned(), |p| format!("{p:.1}%")),
                interval: score.interval().map_or_else(String::new, |i| {
                    format!("{:.1}%–{:.1}%", i.lower_percent(), i.upper_percent())
                }),
                described: score.describe(),
                rating: score
                    .rating(&framework.thresholds)
                    .map(|r| r.label().to_owned()),
                caution: small_sample_caution(score.applicable()),
            }
        })
        .collect()
}

fn standard_views(framework: &Framework, rating: &InspectionRating) -> Vec<StandardView> {
    framework
        .standards
        .iter()
        .map(|standard| {
            let rated = rating
                .standards
                .iter()
                .find(|s| s.standard == standard.code);
            let counts = rated.and_then(|s| s.rating());
            StandardView {
                code: standard.code.clone(),
                name: standard.name.clone(),
                basis: if standard.is_case_standard() {
                    "Case sample"
                } else {
                    "Judgement"
                }
                .to_owned(),
                rating: rating_text(counts),
                rated: counts.is_some(),
                tag: rating_tag(counts).to_owned(),
                computed: rated
                    .filter(|s| s.departure.is_some())
                    .map(|s| rating_text(s.computed)),
                departure_reason: rated
                    .and_then(|s| s.departure.as_ref())
                    .map(|d| d.reason().to_owned()),
                explanation: rated.map_or_else(
                    || ExplanationView {
                        rule_version: keepsafe_domain::quality::RATING_RULE_VERSION.to_owned(),
                        inputs: Vec::new(),
                        steps: vec!["Not rated".to_owned()],
                    },
                    |s| ExplanationView::from(&s.explanation),
                ),
            }
        })
        .collect()
}

fn case_standard_ratings(framework: &Framework, rating: &InspectionRating) -> Vec<String> {
    framework
        .standards
        .iter()
        .filter(|s| s.is_case_standard())
        .map(|standard| {
            let counts = rating
                .standards
                .iter()
                .find(|s| s.standard == standard.code)
                .and_then(|s| s.rating());
            format!("{}: {}", standard.code, rating_text(counts))
        })
        .collect()
}

fn overall_view(framework: &Framework, rating: &InspectionRating) -> OverallView {
    match &rating.overall {
        Ok(overall) => OverallView {
            given: true,
            rating: Some(overall.rating.label().to_owned()),
            tag: rating_tag(Some(overall.rating)).to_owned(),
            points: Some(overall.points),
            max_points: Some(overall.max_points),
            left_out: overall.left_out.clone(),
            reason: None,
            needs_judgements: false,
            explanation: Some(ExplanationView::from(&overall.explanation)),
        },
        Err(refused) => OverallView {
            given: false,
            rating: None,
            tag: rating_tag(None).to_owned(),
            points: None,
            max_points: None,
            left_out: Vec::new(),
            reason: Some(refused_reason(refused)),
            needs_judgements: match refused {
                OverallRefused::Unrated(codes) => codes.iter().any(|code| {
                    framework
                        .standard(code)
                        .is_some_and(|s| !s.is_case_standard())
                }),
                _ => false,
            },
            explanation: None,
        },
    }
}

/// Why the overall is not given, as the pages put it: the page has already said which rule for
/// unrated standards applies, so it names what is missing rather than offering a choice.
fn refused_reason(refused: &OverallRefused) -> String {
    match refused {
        OverallRefused::Unrated(codes) => format!(
            "Not every standard is rated yet; still to be rated: {}",
            codes.join(", ")
        ),
        other => other.to_string(),
    }
}

/// An agreement rate as a percentage with its n and interval, and kappa.
pub fn agreement_view(agreement: &Agreement) -> AgreementView {
    let rate = match (
        agreement.rate,
        wilson_interval(agreement.agreed, agreement.compared),
    ) {
        (Some(rate), Some(interval)) => format!(
            "{:.1}% ({} of {} answers, 95% interval {:.1}%–{:.1}%)",
            rate * 100.0,
            agreement.agreed,
            agreement.compared,
            interval.lower_percent(),
            interval.upper_percent()
        ),
        _ => "Nothing compared".to_owned(),
    };
    let kappa = match (agreement.kappa, agreement.compared) {
        (_, 0) => "Nothing compared".to_owned(),
        (Some(kappa), _) => format!("{kappa:.2}"),
        (None, _) => {
            "Not defined: both gave the same single answer throughout, so agreement by chance is \
             certain"
                .to_owned()
        }
    };
    AgreementView {
        compared: agreement.compared,
        agreed: agreement.agreed,
        rate,
        kappa,
    }
}

/// The audit trend as a table and a chart of each case standard's lowest key-question score.
pub fn trend_view(framework: &Framework, points: &[TrendPoint], chart_id: &str) -> TrendView {
    let case_standards: Vec<_> = framework
        .standards
        .iter()
        .filter(|s| s.is_case_standard())
        .collect();
    let cell = |point: &TrendPoint, code: &str| -> (String, Option<f64>) {
        match point.standards.iter().find(|(s, _, _)| s == code) {
            Some((_, Some(score), rating)) => (
                format!("{}: {}", rating_text(*rating), score.describe()),
                score.percent(),
            ),
            _ => ("No cases".to_owned(), None),
        }
    };
    let rows = points
        .iter()
        .map(|point| TrendRow {
            quarter: point.label.clone(),
            dates: format!(
                "{} to {}",
                format::short_date(point.from),
                format::short_date(point.to)
            ),
            cases: point.cases,
            cells: case_standards
                .iter()
                .map(|s| cell(point, &s.code).0)
                .collect(),
        })
        .collect();
    let quarters: Vec<String> = points.iter().map(|p| p.label.clone()).collect();
    let series: Vec<(String, Vec<Option<f64>>)> = case_standards
        .iter()
        .map(|s| {
            (
                format!("{} {}", s.code, s.name),
                points.iter().map(|p| cell(p, &s.code).1).collect(),
            )
        })
        .collect();
    TrendView {
        period: "Quarter".to_owned(),
        caption: "Audit ratings by quarter: each case standard's rating and its lowest key-question score"
            .to_owned(),
        standards: case_standards
            .iter()
            .map(|s| format!("{} {}", s.code, s.name))
            .collect(),
        rows,
        chart: QuarterTrend::new(chart_id, &quarters, &series),
    }
}

/// The automated trend: the weekly records of the automated rating
/// (`storage::quality::snapshots`), laid out as the audit trend is.
pub fn weekly_trend_view(
    framework: &Framework,
    points: &[TrendPoint],
    chart_id: &str,
) -> TrendView {
    TrendView {
        period: "Week".to_owned(),
        caption: "Automated ratings as recorded each week: each case standard's rating and its lowest key-question score"
            .to_owned(),
        ..trend_view(framework, points, chart_id)
    }
}

/// The panel's decisions that stand, with their reasons.
pub fn judgement_views(
    framework: &Framework,
    judgements: &[StoredJudgement],
) -> Vec<JudgementView> {
    judgements
        .iter()
        .map(|j| JudgementView {
            standard: framework
                .standard(&j.standard)
                .map_or_else(|| j.standard.clone(), |s| format!("{} {}", s.code, s.name)),
            kind: match j.kind {
                JudgementKind::Judgement => "Judgement",
                JudgementKind::Departure => "Departure from the computed rating",
            }
            .to_owned(),
            rating: j.rating.label().to_owned(),
            reason: j.reason.clone(),
            recorded_by: j.recorded_by.clone(),
            recorded_at: format::date_time(j.recorded_at),
        })
        .collect()
}

fn recommendation_view(stored: &StoredRecommendation, today: NaiveDate) -> RecommendationView {
    RecommendationView {
        text: stored.recommendation.text.clone(),
        standard: stored.recommendation.standard.clone(),
        made_by: stored.made_by.clone(),
        made_on: format::date(stored.made_on),
        actions: stored
            .actions
            .iter()
            .map(|a| ActionView {
                description: a.action.description.clone(),
                owner: a.action.owner.clone(),
                due: format::date(a.action.due),
                status: match &a.action.status {
                    ActionStatus::Open => "Open".to_owned(),
                    ActionStatus::InProgress => "In progress".to_owned(),
                    ActionStatus::Done => "Done".to_owned(),
                    ActionStatus::Dropped { reason } => format!("Dropped: {reason}"),
                },
                overdue: a.action.is_overdue(today),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering it
// ---------------------------------------------------------------------------------------------

/// The report's content as HTML (no page around it): the web page puts it inside the layout,
/// [`render_html_document`] inside a standalone document.
#[derive(Template)]
#[template(path = "quality/report_body.html")]
struct ReportBody<'a> {
    report: &'a Report,
}

#[derive(Template)]
#[template(path = "quality/report_document.html")]
struct ReportDocument<'a> {
    report: &'a Report,
    body: String,
}

/// The report's content as an HTML fragment, escaped by the template.
pub fn render_html_body(report: &Report) -> Result<String, AppError> {
    Ok(ReportBody { report }.render()?)
}

/// The report as a standalone HTML document with its styles inline, for a file written by the
/// CLI (no stylesheet or script to fetch).
pub fn render_html_document(report: &Report) -> String {
    let rendered = ReportBody { report }
        .render()
        .and_then(|body| ReportDocument { report, body }.render());
    rendered.unwrap_or_else(|error| {
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Quality \
             report</title></head><body><p>The report could not be drawn: {error}</p></body></html>"
        )
    })
}

/// The report as Markdown, with the same sections and numbers as the HTML.
pub fn render_markdown(report: &Report) -> String {
    let mut out = String::new();
    let r = report;
    out.push_str(&format!(
        "# Quality of case supervision: {}\n\n{} {}, as of {}. Framework **{}** ({}).\n\n",
        r.unit.name, r.unit.level_name, r.unit.code, r.date, r.framework.code, r.framework.name
    ));
    out.push_str(&format!(
        "Key-question thresholds: {}. Overall bands: {}.\n\n",
        r.framework.thresholds, r.framework.bands
    ));
    out.push_str("## Ratings by standard\n\n| Standard | Case audit | Automated from the record |\n| --- | --- | --- |\n");
    for row in &r.comparison {
        out.push_str(&format!(
            "| {} {} | {} | {} |\n",
            row.code,
            cell(&row.name),
            row.audit,
            row.automated
        ));
    }
    out.push('\n');
    for view in [&r.audit, &r.automated] {
        markdown_rating(&mut out, view);
    }
    out.push_str("## Audit trend by quarter\n\n");
    out.push_str(&format!(
        "| Quarter | Cases | {} |\n",
        r.trend.standards.join(" | ")
    ));
    out.push_str(&format!(
        "| --- | --- |{}\n",
        " --- |".repeat(r.trend.standards.len())
    ));
    for row in &r.trend.rows {
        out.push_str(&format!(
            "| {} ({}) | {} | {} |\n",
            row.quarter,
            row.dates,
            row.cases,
            row.cells
                .iter()
                .map(|c| cell(c))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    out.push_str("\n## Ratings panel decisions\n\n");
    if r.judgements.is_empty() {
        out.push_str("None recorded.\n\n");
    }
    for j in &r.judgements {
        out.push_str(&format!(
            "- **{}**: {} — {}. Reason: {} (recorded by {}, {})\n",
            j.standard,
            j.kind,
            j.rating,
            text(&j.reason),
            text(&j.recorded_by),
            j.recorded_at
        ));
    }
    out.push_str("\n## Recommendations and action plans\n\n");
    if r.recommendations.is_empty() {
        out.push_str("None recorded.\n");
    }
    for rec in &r.recommendations {
        out.push_str(&format!(
            "### {}\n\n{}Made by {} on {}.\n\n",
            text(&rec.text),
            rec.standard
                .as_ref()
                .map(|s| format!("Standard {s}. "))
                .unwrap_or_default(),
            text(&rec.made_by),
            rec.made_on
        ));
        if rec.actions.is_empty() {
            out.push_str("No actions yet.\n\n");
            continue;
        }
        out.push_str("| Action | Owner | Due | Status |\n| --- | --- | --- | --- |\n");
        for a in &rec.actions {
            out.push_str(&format!(
                "| {} | {} | {} | {}{} |\n",
                cell(&a.description),
                cell(&a.owner),
                a.due,
                a.status,
                if a.overdue { " **(overdue)**" } else { "" }
            ));
        }
        out.push('\n');
    }
    out
}

/// A Markdown table cell: free text as [`text`], with no pipes.
fn cell(value: &str) -> String {
    text(value).replace('|', "\\|")
}

/// Free text as Markdown shows it and no more: HTML is written as text (a Markdown viewer would
/// otherwise run `<script>` or draw `<img>`), the characters that start emphasis, code or links
/// are escaped, and line breaks become spaces so text cannot start a heading or list of its own.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn markdown_rating(out: &mut String, view: &RatingView) {
    out.push_str(&format!("## {}\n\n{}\n\n", view.source_label, view.basis));
    match (&view.overall.rating, &view.overall.reason) {
        (Some(rating), _) => out.push_str(&format!(
            "**Overall: {rating}** ({} of {} points){}.\n\n",
            view.overall.points.unwrap_or_default(),
            view.overall.max_points.unwrap_or_default(),
            if view.overall.left_out.is_empty() {
                String::new()
            } else {
                format!(
                    "; left out as not rated: {}",
                    view.overall.left_out.join(", ")
                )
            }
        )),
        (None, Some(reason)) => out.push_str(&format!("**Overall: not given.** {reason}.\n\n")),
        (None, None) => {}
    }
    if let Some(explanation) = &view.overall.explanation {
        markdown_explanation(out, explanation);
    }
    out.push_str(&format!("{}\n\n", view.unrated_rule));
    out.push_str("| Key question | % yes | n | 95% interval | Yes | No | Not applicable |\n| --- | --- | --- | --- | --- | --- | --- |\n");
    for q in &view.questions {
        out.push_str(&format!(
            "| {} {} | {}{} | {} | {} | {} | {} | {} |\n",
            q.code,
            cell(&q.text),
            q.score,
            if q.caution.is_empty() {
                String::new()
            } else {
                format!(" ({})", q.caution.to_lowercase())
            },
            q.applicable,
            q.interval,
            q.yes,
            q.no,
            q.not_applicable
        ));
    }
    out.push('\n');
    for s in &view.standards {
        out.push_str(&format!("### {} {}: {}\n\n", s.code, s.name, s.rating));
        markdown_explanation(out, &s.explanation);
    }
    if let Some(m) = &view.moderation {
        out.push_str(&format!(
            "### Moderation\n\n{} cases moderated. Agreement {}; Cohen's kappa {}.\n\n",
            m.cases, m.overall.rate, m.overall.kappa
        ));
    }
}

fn markdown_explanation(out: &mut String, explanation: &ExplanationView) {
    for fact in &explanation.inputs {
        out.push_str(&format!("- {}: {}\n", fact.name, fact.value));
    }
    for step in &explanation.steps {
        out.push_str(&format!("- {step}\n"));
    }
    out.push_str(&format!("- Rule: {}\n\n", explanation.rule_version));
}

#[cfg(test)]
mod tests {
    use super::{cell, text};

    #[test]
    fn free_text_in_the_markdown_report_cannot_become_html_a_link_or_a_heading() {
        assert_eq!(
            text("<script>alert(1)</script> & <img src=x onerror=y>"),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=y&gt;"
        );
        assert_eq!(
            text("[click](javascript:alert(1)) *bold* `code`"),
            "\\[click\\](javascript:alert(1)) \\*bold\\* \\`code\\`"
        );
        assert_eq!(
            text("line one\n# not a heading"),
            "line one # not a heading"
        );
        assert_eq!(cell("a | b"), "a \\| b");
        assert_eq!(text("Sam O'Neil's plan"), "Sam O'Neil's plan");
    }
}
