//! Inspection frameworks as versioned data (reference §12).
//!
//! HM Inspectorate of Probation has changed its framework more than once: the 2018–21 framework
//! rated ten standards and asked three key questions of every case standard; the 2023 PDU framework
//! rates seven and reports engagement and desistance together. A rating means nothing without the
//! framework that produced it, so a framework is data with a stable code ("hmip-pdu-2023"), and
//! every rating keepsafe computes carries that code to the screen.
//!
//! A framework holds its standards (judgement-based or answered from a case sample through key
//! questions), the percentage thresholds that turn a key-question score into a rating, and the
//! bands that turn summed points into an overall rating.

use super::rating::Rating;
use crate::coded_enum;
use crate::CodedValue;
use serde::Serialize;
use thiserror::Error;

/// The code of the 2023 PDU framework.
pub const HMIP_PDU_2023: &str = "hmip-pdu-2023";
/// The code of the 2018–21 framework.
pub const HMIP_2018: &str = "hmip-2018";

coded_enum! {
    /// What a key question looks at. The 2018 framework asks separately about engaging the person
    /// and about desistance; the 2023 framework asks about both together (reference §12).
    pub enum Focus ("key question focus") {
        EngagementAndDesistance => "engagement_desistance", "Engagement and desistance",
        Engaging => "engaging", "Engaging the person on probation",
        Desistance => "desistance", "Reducing offending and supporting desistance",
        KeepingSafe => "keeping_safe", "Keeping other people safe",
    }
}

impl Focus {
    /// Whether a key question with this focus answers for evidence about `evidence` — the 2023
    /// combined question covers both halves of the 2018 pair, so one indicator written against
    /// "engaging" informs either framework.
    pub fn covers(self, evidence: Focus) -> bool {
        self == evidence
            || (self == Focus::EngagementAndDesistance
                && matches!(evidence, Focus::Engaging | Focus::Desistance))
    }
}

super::serde_as_code!(Focus);

/// One key question of a case standard: what the inspector answers yes or no for each case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyQuestion {
    /// Stable code, the standard's code and a short focus: "2.1.safe".
    pub code: String,
    pub text: String,
    pub focus: Focus,
    /// What an auditor considers before answering, in keepsafe's own words.
    pub prompts: Vec<String>,
}

/// How a standard is rated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Basis {
    /// Rated by the inspectors' judgement of evidence other than cases (leadership, staffing,
    /// services): keepsafe records the judgement, it does not compute it.
    Judgement,
    /// Rated from a case sample through key questions.
    CaseSample { key_questions: Vec<KeyQuestion> },
}

/// One rated standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Standard {
    /// "1.1", "2.1", …
    pub code: String,
    pub name: String,
    /// The inspection domain: 1 organisational delivery, 2 case supervision, 3 other services.
    pub domain: u8,
    pub basis: Basis,
}

impl Standard {
    /// The key questions, empty for a judgement standard.
    pub fn key_questions(&self) -> &[KeyQuestion] {
        match &self.basis {
            Basis::Judgement => &[],
            Basis::CaseSample { key_questions } => key_questions,
        }
    }

    pub fn is_case_standard(&self) -> bool {
        matches!(self.basis, Basis::CaseSample { .. })
    }
}

/// Percentages at which a key-question score earns each rating (reference §12: Outstanding at 80%
/// or more, Good 65–79%, Requires improvement 50–64%, Inadequate below 50%). Configurable because
/// the inspectorate may move them; the framework's code says which were used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RatingThresholds {
    outstanding: u32,
    good: u32,
    requires_improvement: u32,
}

/// Why a set of thresholds was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("Rating thresholds must rise from Requires improvement to Good to Outstanding, between 1% and 100%; got Requires improvement {requires_improvement}%, Good {good}%, Outstanding {outstanding}%")]
pub struct InvalidThresholds {
    pub outstanding: u32,
    pub good: u32,
    pub requires_improvement: u32,
}

impl Default for RatingThresholds {
    fn default() -> Self {
        Self {
            outstanding: 80,
            good: 65,
            requires_improvement: 50,
        }
    }
}

impl RatingThresholds {
    /// Thresholds as whole percentages; each must be above the one below it.
    pub fn new(
        outstanding: u32,
        good: u32,
        requires_improvement: u32,
    ) -> Result<Self, InvalidThresholds> {
        if requires_improvement == 0
            || requires_improvement >= good
            || good >= outstanding
            || outstanding > 100
        {
            return Err(InvalidThresholds {
                outstanding,
                good,
                requires_improvement,
            });
        }
        Ok(Self {
            outstanding,
            good,
            requires_improvement,
        })
    }

    pub fn outstanding(&self) -> u32 {
        self.outstanding
    }
    pub fn good(&self) -> u32 {
        self.good
    }
    pub fn requires_improvement(&self) -> u32 {
        self.requires_improvement
    }

    /// The rating for `yes` of `applicable`, compared in exact integer arithmetic
    /// (`yes × 100 ≥ threshold × applicable`) so that 39 of 49 (79.59%) is never rounded up to 80%.
    /// `None` when no case applies.
    pub fn rate(&self, yes: u32, applicable: u32) -> Option<Rating> {
        if applicable == 0 {
            return None;
        }
        let score = u64::from(yes) * 100;
        let at_least = |percent: u32| score >= u64::from(percent) * u64::from(applicable);
        Some(if at_least(self.outstanding) {
            Rating::Outstanding
        } else if at_least(self.good) {
            Rating::Good
        } else if at_least(self.requires_improvement) {
            Rating::RequiresImprovement
        } else {
            Rating::Inadequate
        })
    }

    /// The table as a person reads it: "Outstanding 80% or more; Good 65–79%; …".
    pub fn describe(&self) -> String {
        format!(
            "Outstanding {}% or more; Good {}–{}%; Requires improvement {}–{}%; Inadequate below {}%",
            self.outstanding,
            self.good,
            self.outstanding - 1,
            self.requires_improvement,
            self.good - 1,
            self.requires_improvement
        )
    }
}

/// One overall band: total points from `from` to `to` inclusive earn `rating`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Band {
    pub rating: Rating,
    pub from: u32,
    pub to: u32,
}

/// The bands that turn summed standard points into an overall rating (reference §12). They cover
/// every total from 0 to the maximum (3 points per standard) exactly once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverallBands {
    max_points: u32,
    /// Worst first: Inadequate, Requires improvement, Good, Outstanding.
    bands: Vec<Band>,
}

/// Why a set of overall bands was refused: each message names the first thing wrong.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidBands {
    #[error("There must be at least one rated standard to band the overall rating")]
    NoStandards,
    #[error("Give exactly one band for each of Inadequate, Requires improvement, Good and Outstanding, worst first; got {0}")]
    WrongRatings(String),
    #[error(
        "The {rating} band runs from {from} to {to} points: a band must not end before it starts"
    )]
    Backwards { rating: Rating, from: u32, to: u32 },
    #[error("The bands must start at 0 points; the {rating} band starts at {from}")]
    DoesNotStartAtZero { rating: Rating, from: u32 },
    #[error("No band covers {from}–{to} points (between {before} and {after})")]
    Gap {
        from: u32,
        to: u32,
        before: Rating,
        after: Rating,
    },
    #[error("{from}–{to} points fall in both {before} and {after}")]
    Overlap {
        from: u32,
        to: u32,
        before: Rating,
        after: Rating,
    },
    #[error("The bands must end at {max} points (3 for each of the standards); the Outstanding band ends at {to}")]
    WrongEnd { max: u32, to: u32 },
    #[error("Write the bands as four point ranges, worst first, such as 0-3,4-10,11-17,18-21; '{0}' is not one")]
    Unreadable(String),
}

impl OverallBands {
    /// Bands written as four point ranges, worst first: "0-3,4-10,11-17,18-21" is Inadequate
    /// 0–3, Requires improvement 4–10, Good 11–17 and Outstanding 18–21. Checked as [`Self::new`].
    pub fn parse(standard_count: u32, text: &str) -> Result<Self, InvalidBands> {
        let ratings = [
            Rating::Inadequate,
            Rating::RequiresImprovement,
            Rating::Good,
            Rating::Outstanding,
        ];
        let ranges: Vec<&str> = text.split(',').map(str::trim).collect();
        if ranges.len() != ratings.len() {
            return Err(InvalidBands::Unreadable(text.to_owned()));
        }
        let bands = ranges
            .iter()
            .zip(ratings)
            .map(|(range, rating)| {
                let (from, to) = range
                    .split_once(['-', '–'])
                    .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)))
                    .ok_or_else(|| InvalidBands::Unreadable((*range).to_owned()))?;
                Ok(Band { rating, from, to })
            })
            .collect::<Result<Vec<_>, InvalidBands>>()?;
        Self::new(standard_count, bands)
    }

    /// Bands for `standard_count` standards (maximum 3 points each), checked to cover 0..=max
    /// without a gap or an overlap, worst band first.
    pub fn new(standard_count: u32, bands: Vec<Band>) -> Result<Self, InvalidBands> {
        if standard_count == 0 {
            return Err(InvalidBands::NoStandards);
        }
        let max_points = standard_count * 3;
        let expected = [
            Rating::Inadequate,
            Rating::RequiresImprovement,
            Rating::Good,
            Rating::Outstanding,
        ];
        let ratings: Vec<Rating> = bands.iter().map(|band| band.rating).collect();
        if ratings != expected {
            let given: Vec<&str> = ratings.iter().map(|rating| rating.label()).collect();
            return Err(InvalidBands::WrongRatings(if given.is_empty() {
                "none".to_owned()
            } else {
                given.join(", ")
            }));
        }
        for band in &bands {
            if band.to < band.from {
                return Err(InvalidBands::Backwards {
                    rating: band.rating,
                    from: band.from,
                    to: band.to,
                });
            }
        }
        if bands[0].from != 0 {
            return Err(InvalidBands::DoesNotStartAtZero {
                rating: bands[0].rating,
                from: bands[0].from,
            });
        }
        for pair in bands.windows(2) {
            let (before, after) = (pair[0], pair[1]);
            if after.from > before.to + 1 {
                return Err(InvalidBands::Gap {
                    from: before.to + 1,
                    to: after.from - 1,
                    before: before.rating,
                    after: after.rating,
                });
            }
            if after.from <= before.to {
                return Err(InvalidBands::Overlap {
                    from: after.from,
                    to: before.to.min(after.to),
                    before: before.rating,
                    after: after.rating,
                });
            }
        }
        let last = bands[bands.len() - 1];
        if last.to != max_points {
            return Err(InvalidBands::WrongEnd {
                max: max_points,
                to: last.to,
            });
        }
        Ok(Self { max_points, bands })
    }

    /// keepsafe's default: the published 10-standard table (0–5, 6–15, 16–25, 26–30) scaled to
    /// `standard_count` standards, each band ending at the floor of the same fraction of the maximum
    /// (1/6, 1/2, 5/6). This reproduces the published 9-standard table (0–4, 5–13, 14–22, 23–27)
    /// exactly, and gives 0–3, 4–10, 11–17, 18–21 for seven standards (reference §12).
    pub fn proportional(standard_count: u32) -> Result<Self, InvalidBands> {
        if standard_count == 0 {
            return Err(InvalidBands::NoStandards);
        }
        let max = standard_count * 3;
        let inadequate_to = max / 6;
        let ri_to = max / 2;
        let good_to = max * 5 / 6;
        Self::new(
            standard_count,
            vec![
                Band {
                    rating: Rating::Inadequate,
                    from: 0,
                    to: inadequate_to,
                },
                Band {
                    rating: Rating::RequiresImprovement,
                    from: inadequate_to + 1,
                    to: ri_to,
                },
                Band {
                    rating: Rating::Good,
                    from: ri_to + 1,
                    to: good_to,
                },
                Band {
                    rating: Rating::Outstanding,
                    from: good_to + 1,
                    to: max,
                },
            ],
        )
    }

    pub fn max_points(&self) -> u32 {
        self.max_points
    }

    pub fn standard_count(&self) -> u32 {
        self.max_points / 3
    }

    pub fn bands(&self) -> &[Band] {
        &self.bands
    }

    /// The overall rating for `points`; totals above the maximum are treated as the maximum.
    pub fn rate(&self, points: u32) -> Rating {
        let points = points.min(self.max_points);
        self.bands
            .iter()
            .find(|band| band.from <= points && points <= band.to)
            .map(|band| band.rating)
            .unwrap_or(Rating::Outstanding)
    }

    /// The table as a person reads it: "Inadequate 0–3; Requires improvement 4–10; …".
    pub fn describe(&self) -> String {
        self.bands
            .iter()
            .map(|band| format!("{} {}–{}", band.rating.label(), band.from, band.to))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// An inspection framework: versioned data that every rating names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Framework {
    /// Stable code and version, shown beside every rating: "hmip-pdu-2023".
    pub code: String,
    pub name: String,
    pub standards: Vec<Standard>,
    pub thresholds: RatingThresholds,
    pub bands: OverallBands,
}

/// Why a framework was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidFramework {
    #[error("Give the framework a code")]
    MissingCode,
    #[error("Standard {0} is listed more than once")]
    DuplicateStandard(String),
    #[error("Key question {0} is listed more than once")]
    DuplicateKeyQuestion(String),
    #[error("Standard {0} is rated from cases but has no key questions")]
    NoKeyQuestions(String),
    #[error("The overall bands are for {bands} standards but the framework has {standards}")]
    BandsDoNotFit { bands: u32, standards: u32 },
}

impl Framework {
    /// A framework, checked: unique standard and key-question codes, every case standard with key
    /// questions, and overall bands sized for its number of standards.
    pub fn new(
        code: impl Into<String>,
        name: impl Into<String>,
        standards: Vec<Standard>,
        thresholds: RatingThresholds,
        bands: OverallBands,
    ) -> Result<Self, InvalidFramework> {
        let code = code.into();
        if code.trim().is_empty() {
            return Err(InvalidFramework::MissingCode);
        }
        let mut seen_standards = std::collections::BTreeSet::new();
        let mut seen_questions = std::collections::BTreeSet::new();
        for standard in &standards {
            if !seen_standards.insert(standard.code.clone()) {
                return Err(InvalidFramework::DuplicateStandard(standard.code.clone()));
            }
            if standard.is_case_standard() && standard.key_questions().is_empty() {
                return Err(InvalidFramework::NoKeyQuestions(standard.code.clone()));
            }
            for question in standard.key_questions() {
                if !seen_questions.insert(question.code.clone()) {
                    return Err(InvalidFramework::DuplicateKeyQuestion(
                        question.code.clone(),
                    ));
                }
            }
        }
        let count = standards.len() as u32;
        if bands.standard_count() != count {
            return Err(InvalidFramework::BandsDoNotFit {
                bands: bands.standard_count(),
                standards: count,
            });
        }
        Ok(Self {
            code,
            name: name.into(),
            standards,
            thresholds,
            bands,
        })
    }

    /// A built-in framework by its code.
    pub fn by_code(code: &str) -> Option<Framework> {
        Self::all()
            .into_iter()
            .find(|framework| framework.code == code)
    }

    /// Every built-in framework, newest first.
    pub fn all() -> Vec<Framework> {
        vec![pdu_2023(), hmip_2018()]
    }

    /// The same framework with other thresholds (a configurable rule).
    pub fn with_thresholds(mut self, thresholds: RatingThresholds) -> Self {
        self.thresholds = thresholds;
        self
    }

    /// The same framework with other overall bands, refused if they are not for its number of
    /// standards.
    pub fn with_bands(mut self, bands: OverallBands) -> Result<Self, InvalidFramework> {
        if bands.standard_count() != self.standards.len() as u32 {
            return Err(InvalidFramework::BandsDoNotFit {
                bands: bands.standard_count(),
                standards: self.standards.len() as u32,
            });
        }
        self.bands = bands;
        Ok(self)
    }

    pub fn standard(&self, code: &str) -> Option<&Standard> {
        self.standards.iter().find(|standard| standard.code == code)
    }

    /// Every key question with its standard, in framework order.
    pub fn key_questions(&self) -> impl Iterator<Item = (&Standard, &KeyQuestion)> {
        self.standards.iter().flat_map(|standard| {
            standard
                .key_questions()
                .iter()
                .map(move |question| (standard, question))
        })
    }

    pub fn key_question(&self, code: &str) -> Option<(&Standard, &KeyQuestion)> {
        self.key_questions()
            .find(|(_, question)| question.code == code)
    }

    /// A key question as people name it ("2.1, keeping other people safe"), for headings, chart
    /// labels and explanations; its code ("2.1.safe") stays in addresses and stored answers. A code
    /// the framework does not hold is returned as it is.
    pub fn question_label(&self, code: &str) -> String {
        self.key_question(code)
            .map(|(standard, question)| question.label(standard))
            .unwrap_or_else(|| code.to_owned())
    }

    /// A key question in a chart's label column: "2.1 Keeping safe".
    pub fn question_short_label(&self, code: &str) -> String {
        self.key_question(code)
            .map(|(standard, question)| format!("{} {}", standard.code, question.focus.short()))
            .unwrap_or_else(|| code.to_owned())
    }
}

impl Focus {
    /// A word or two for a chart's narrow label column.
    pub fn short(self) -> &'static str {
        match self {
            Focus::EngagementAndDesistance => "Engagement",
            Focus::Engaging => "Engaging",
            Focus::Desistance => "Desistance",
            Focus::KeepingSafe => "Keeping safe",
        }
    }
}

impl KeyQuestion {
    /// "2.1, keeping other people safe": the standard's number and what the question looks at.
    pub fn label(&self, standard: &Standard) -> String {
        format!("{}, {}", standard.code, self.focus.label().to_lowercase())
    }
}

/// The four stages of case supervision that domain two inspects.
#[derive(Clone, Copy)]
enum Stage {
    Assessment,
    Planning,
    Implementation,
    Reviewing,
}

impl Stage {
    fn subject(self) -> &'static str {
        match self {
            Stage::Assessment => "assessment",
            Stage::Planning => "planning",
            Stage::Implementation => "the delivery of services",
            Stage::Reviewing => "reviewing",
        }
    }
}

fn engaging_prompts(stage: Stage) -> Vec<&'static str> {
    match stage {
        Stage::Assessment => vec![
            "Was the person on probation involved in their own assessment, and are their views recorded?",
            "Were their strengths and protective factors identified?",
            "Were diversity needs and personal circumstances (disability, caring duties, language, maturity) that affect engagement considered?",
        ],
        Stage::Planning => vec![
            "Was the person on probation involved in drawing up the plan, and does it reflect their views?",
            "Does the plan take account of their diversity needs and circumstances that could stop them taking part?",
            "Is it clear to the person what they must do and by when?",
        ],
        Stage::Implementation => vec![
            "Were the frequency and type of contact enough to build a working relationship?",
            "Were absences and non-compliance followed up promptly, with enforcement where it was warranted?",
            "Were barriers to attending (work, childcare, travel, health) recognised and addressed?",
        ],
        Stage::Reviewing => vec![
            "Was the person on probation involved in reviewing their progress?",
            "Were changes in their motivation, compliance or circumstances recognised and responded to?",
        ],
    }
}

fn desistance_prompts(stage: Stage) -> Vec<&'static str> {
    match stage {
        Stage::Assessment => vec![
            "Were the factors linked to this person's offending identified and analysed?",
            "Were the factors that support desistance (family, work, accommodation, identity) identified?",
            "Were past behaviour and previous convictions used to understand the pattern of offending?",
        ],
        Stage::Planning => vec![
            "Does the plan set out how the most important offending-related factors will be addressed?",
            "Does it build on the strengths and protective factors identified?",
            "Does it set out the services and partner agencies involved, in a realistic order?",
        ],
        Stage::Implementation => vec![
            "Were the services most likely to reduce offending delivered, in the order the plan intended?",
            "Were requirements of the order (programmes, activity days, treatment) started and completed?",
            "Was work with partner agencies co-ordinated?",
        ],
        Stage::Reviewing => vec![
            "Did reviews consider progress against the offending-related factors?",
            "Was the plan adjusted when something was not working or had been achieved?",
        ],
    }
}

fn keeping_safe_prompts(stage: Stage) -> Vec<&'static str> {
    match stage {
        Stage::Assessment => vec![
            "Was police domestic-abuse call-out information obtained and analysed in the risk assessment?",
            "Was children's-services safeguarding information obtained and analysed where children may be at risk?",
            "Were actual and potential victims identified, and the specific risks to each analysed?",
            "Were risks to children — in the household or in contact with the person — considered?",
            "Were past behaviour, previous convictions and other agencies' information drawn on?",
        ],
        Stage::Planning => vec![
            "Does the plan address the most critical risk-of-harm factors first?",
            "Does it set out both constructive and restrictive measures (licence conditions, requirements, exclusion zones)?",
            "Is there contingency planning: what will be done if the risk increases?",
            "Does it link to the work of other agencies (MAPPA, children's services, police)?",
        ],
        Stage::Implementation => vec![
            "Was contact frequent enough for the level of risk, including home visits where domestic abuse or child protection is a concern?",
            "Were the restrictive measures in the plan monitored and enforced?",
            "Was information shared with partner agencies promptly?",
        ],
        Stage::Reviewing => vec![
            "Were changes in circumstances (a new partner, a child in the household, a new address, a new incident or arrest) followed by a review of the risk assessment?",
            "Were checks requested again when circumstances changed?",
            "Did management oversight of high and very high risk cases take place and make a difference?",
        ],
    }
}

fn owned(prompts: Vec<&str>) -> Vec<String> {
    prompts.into_iter().map(str::to_owned).collect()
}

const STAGES: [(Stage, &str, &str); 4] = [
    (Stage::Assessment, "2.1", "Assessment"),
    (Stage::Planning, "2.2", "Planning"),
    (Stage::Implementation, "2.3", "Implementation and delivery"),
    (Stage::Reviewing, "2.4", "Reviewing"),
];

fn judgement(code: &str, name: &str, domain: u8) -> Standard {
    Standard {
        code: code.to_owned(),
        name: name.to_owned(),
        domain,
        basis: Basis::Judgement,
    }
}

fn pdu_2023() -> Framework {
    let mut standards = vec![
        judgement("1.1", "Leadership", 1),
        judgement("1.2", "Staffing", 1),
        judgement("1.3", "Services", 1),
    ];
    for (stage, code, name) in STAGES {
        let subject = stage.subject();
        let mut engagement = engaging_prompts(stage);
        engagement.extend(desistance_prompts(stage));
        standards.push(Standard {
            code: code.to_owned(),
            name: name.to_owned(),
            domain: 2,
            basis: Basis::CaseSample {
                key_questions: vec![
                    KeyQuestion {
                        code: format!("{code}.engagement"),
                        text: format!(
                            "Does {subject} focus sufficiently on engaging the person on probation and on their desistance?"
                        ),
                        focus: Focus::EngagementAndDesistance,
                        prompts: owned(engagement),
                    },
                    KeyQuestion {
                        code: format!("{code}.safe"),
                        text: format!(
                            "Does {subject} focus sufficiently on keeping other people safe?"
                        ),
                        focus: Focus::KeepingSafe,
                        prompts: owned(keeping_safe_prompts(stage)),
                    },
                ],
            },
        });
    }
    Framework::new(
        HMIP_PDU_2023,
        "HM Inspectorate of Probation PDU inspection framework (2023)",
        standards,
        RatingThresholds::default(),
        OverallBands::proportional(7).expect("seven standards band"),
    )
    .expect("the built-in 2023 framework is valid")
}

fn hmip_2018() -> Framework {
    let mut standards = vec![
        judgement("1.1", "Leadership", 1),
        judgement("1.2", "Staff", 1),
        judgement("1.3", "Partnerships and services", 1),
        judgement("1.4", "Information and facilities", 1),
    ];
    for (stage, code, name) in STAGES {
        let subject = stage.subject();
        standards.push(Standard {
            code: code.to_owned(),
            name: name.to_owned(),
            domain: 2,
            basis: Basis::CaseSample {
                key_questions: vec![
                    KeyQuestion {
                        code: format!("{code}.engaging"),
                        text: format!(
                            "Is {subject} well informed, analytical and personalised, actively involving the person on probation?"
                        ),
                        focus: Focus::Engaging,
                        prompts: owned(engaging_prompts(stage)),
                    },
                    KeyQuestion {
                        code: format!("{code}.desistance"),
                        text: format!(
                            "Does {subject} focus sufficiently on reducing offending and supporting desistance?"
                        ),
                        focus: Focus::Desistance,
                        prompts: owned(desistance_prompts(stage)),
                    },
                    KeyQuestion {
                        code: format!("{code}.safe"),
                        text: format!(
                            "Does {subject} focus sufficiently on keeping other people safe?"
                        ),
                        focus: Focus::KeepingSafe,
                        prompts: owned(keeping_safe_prompts(stage)),
                    },
                ],
            },
        });
    }
    // Domain three differed by provider: unpaid work (community rehabilitation companies) or
    // court work (the National Probation Service); resettlement or statutory victim work.
    standards.push(judgement("3.1", "Unpaid work or court work", 3));
    standards.push(judgement("3.2", "Resettlement or statutory victim work", 3));
    Framework::new(
        HMIP_2018,
        "HM Inspectorate of Probation adult inspection framework (2018–21)",
        standards,
        RatingThresholds::default(),
        OverallBands::proportional(10).expect("ten standards band"),
    )
    .expect("the built-in 2018 framework is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(rating: Rating, from: u32, to: u32) -> Band {
        Band { rating, from, to }
    }

    fn table(bands: &OverallBands) -> Vec<(u32, u32)> {
        bands.bands().iter().map(|b| (b.from, b.to)).collect()
    }

    #[test]
    fn a_key_question_is_named_by_its_standard_and_focus_not_its_code() {
        let framework = Framework::by_code("hmip-pdu-2023").unwrap();
        assert_eq!(
            framework.question_label("2.1.safe"),
            "2.1, keeping other people safe"
        );
        assert_eq!(
            framework.question_label("2.4.engagement"),
            "2.4, engagement and desistance"
        );
        assert_eq!(framework.question_label("9.9.unknown"), "9.9.unknown");
    }

    #[test]
    fn the_2023_pdu_framework_has_three_judgement_and_four_case_standards() {
        let framework = Framework::by_code("hmip-pdu-2023").unwrap();
        let codes: Vec<&str> = framework
            .standards
            .iter()
            .map(|s| s.code.as_str())
            .collect();
        assert_eq!(codes, ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4"]);
        assert!(framework.standards[..3]
            .iter()
            .all(|s| !s.is_case_standard()));
        for standard in &framework.standards[3..] {
            let focuses: Vec<Focus> = standard.key_questions().iter().map(|q| q.focus).collect();
            assert_eq!(
                focuses,
                [Focus::EngagementAndDesistance, Focus::KeepingSafe]
            );
        }
        assert_eq!(framework.key_questions().count(), 8);
    }

    #[test]
    fn the_2018_framework_has_ten_standards_and_three_key_questions_per_case_standard() {
        let framework = Framework::by_code("hmip-2018").unwrap();
        assert_eq!(framework.standards.len(), 10);
        assert_eq!(
            framework.standard("1.4").unwrap().name,
            "Information and facilities"
        );
        assert!(!framework.standard("3.2").unwrap().is_case_standard());
        let assessment = framework.standard("2.1").unwrap();
        let codes: Vec<&str> = assessment
            .key_questions()
            .iter()
            .map(|q| q.code.as_str())
            .collect();
        assert_eq!(codes, ["2.1.engaging", "2.1.desistance", "2.1.safe"]);
        assert_eq!(framework.key_questions().count(), 12);
    }

    #[test]
    fn the_assessment_keeping_safe_question_prompts_for_police_and_childrens_services_information()
    {
        let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
        let (standard, question) = framework.key_question("2.1.safe").unwrap();
        assert_eq!(standard.name, "Assessment");
        assert_eq!(
            question.text,
            "Does assessment focus sufficiently on keeping other people safe?"
        );
        let prompts = question.prompts.join(" ");
        assert!(prompts.contains("police domestic-abuse"));
        assert!(prompts.contains("children's-services"));
        assert!(prompts.contains("actual and potential victims"));
    }

    #[test]
    fn an_unknown_framework_code_finds_nothing() {
        assert!(Framework::by_code("hmip-1999").is_none());
    }

    #[test]
    fn ten_standard_bands_are_the_published_table() {
        let bands = OverallBands::proportional(10).unwrap();
        assert_eq!(table(&bands), [(0, 5), (6, 15), (16, 25), (26, 30)]);
    }

    #[test]
    fn nine_standard_bands_are_the_published_table() {
        let bands = OverallBands::proportional(9).unwrap();
        assert_eq!(table(&bands), [(0, 4), (5, 13), (14, 22), (23, 27)]);
    }

    #[test]
    fn seven_standard_bands_default_to_proportional_cut_points() {
        let bands = Framework::by_code(HMIP_PDU_2023).unwrap().bands;
        assert_eq!(table(&bands), [(0, 3), (4, 10), (11, 17), (18, 21)]);
        assert_eq!(bands.rate(3), Rating::Inadequate);
        assert_eq!(bands.rate(4), Rating::RequiresImprovement);
        assert_eq!(bands.rate(17), Rating::Good);
        assert_eq!(bands.rate(18), Rating::Outstanding);
    }

    #[test]
    fn custom_bands_that_cover_every_total_once_are_accepted() {
        let bands = OverallBands::new(
            7,
            vec![
                band(Rating::Inadequate, 0, 4),
                band(Rating::RequiresImprovement, 5, 11),
                band(Rating::Good, 12, 18),
                band(Rating::Outstanding, 19, 21),
            ],
        )
        .unwrap();
        let framework = Framework::by_code(HMIP_PDU_2023)
            .unwrap()
            .with_bands(bands)
            .unwrap();
        assert_eq!(framework.bands.rate(4), Rating::Inadequate);
    }

    #[test]
    fn a_gap_between_bands_is_refused_naming_the_missing_points() {
        let error = OverallBands::new(
            7,
            vec![
                band(Rating::Inadequate, 0, 3),
                band(Rating::RequiresImprovement, 5, 10),
                band(Rating::Good, 11, 17),
                band(Rating::Outstanding, 18, 21),
            ],
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "No band covers 4–4 points (between Inadequate and Requires improvement)"
        );
    }

    #[test]
    fn overlapping_bands_are_refused_naming_the_shared_points() {
        let error = OverallBands::new(
            7,
            vec![
                band(Rating::Inadequate, 0, 3),
                band(Rating::RequiresImprovement, 4, 11),
                band(Rating::Good, 10, 17),
                band(Rating::Outstanding, 18, 21),
            ],
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "10–11 points fall in both Requires improvement and Good"
        );
    }

    #[test]
    fn bands_must_start_at_zero_and_end_at_the_maximum() {
        let late_start = OverallBands::new(
            7,
            vec![
                band(Rating::Inadequate, 1, 3),
                band(Rating::RequiresImprovement, 4, 10),
                band(Rating::Good, 11, 17),
                band(Rating::Outstanding, 18, 21),
            ],
        );
        assert_eq!(
            late_start,
            Err(InvalidBands::DoesNotStartAtZero {
                rating: Rating::Inadequate,
                from: 1
            })
        );
        let short = OverallBands::new(
            7,
            vec![
                band(Rating::Inadequate, 0, 3),
                band(Rating::RequiresImprovement, 4, 10),
                band(Rating::Good, 11, 17),
                band(Rating::Outstanding, 18, 20),
            ],
        )
        .unwrap_err();
        assert_eq!(
            short.to_string(),
            "The bands must end at 21 points (3 for each of the standards); the Outstanding band ends at 20"
        );
    }

    #[test]
    fn bands_must_name_each_rating_once_worst_first() {
        let error = OverallBands::new(
            7,
            vec![band(Rating::Inadequate, 0, 10), band(Rating::Good, 11, 21)],
        )
        .unwrap_err();
        assert_eq!(
            error,
            InvalidBands::WrongRatings("Inadequate, Good".to_owned())
        );
    }

    #[test]
    fn bands_for_another_number_of_standards_do_not_fit_a_framework() {
        let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
        assert_eq!(
            framework.with_bands(OverallBands::proportional(10).unwrap()),
            Err(InvalidFramework::BandsDoNotFit {
                bands: 10,
                standards: 7
            })
        );
    }

    #[test]
    fn thresholds_must_rise() {
        assert!(RatingThresholds::new(80, 65, 50).is_ok());
        let error = RatingThresholds::new(70, 75, 50).unwrap_err();
        assert!(error.to_string().contains("Good 75%, Outstanding 70%"));
        assert!(RatingThresholds::new(101, 65, 50).is_err());
        assert!(RatingThresholds::new(80, 65, 0).is_err());
    }

    #[test]
    fn the_combined_2023_focus_covers_engaging_and_desistance_evidence() {
        assert!(Focus::EngagementAndDesistance.covers(Focus::Engaging));
        assert!(Focus::EngagementAndDesistance.covers(Focus::Desistance));
        assert!(!Focus::EngagementAndDesistance.covers(Focus::KeepingSafe));
        assert!(!Focus::Engaging.covers(Focus::Desistance));
        assert!(Focus::KeepingSafe.covers(Focus::KeepingSafe));
    }

    #[test]
    fn bands_written_as_ranges_are_read_worst_first_and_checked() {
        let bands = OverallBands::parse(7, "0-4, 5-10, 11-17, 18-21").unwrap();
        assert_eq!(bands.rate(4), Rating::Inadequate);
        assert_eq!(bands.rate(5), Rating::RequiresImprovement);
        assert!(matches!(
            OverallBands::parse(7, "0-4,6-10,11-17,18-21"),
            Err(InvalidBands::Gap { .. })
        ));
        assert!(matches!(
            OverallBands::parse(7, "0-4,5-10,11-17"),
            Err(InvalidBands::Unreadable(_))
        ));
        assert!(matches!(
            OverallBands::parse(7, "0-4,5-ten,11-17,18-21"),
            Err(InvalidBands::Unreadable(range)) if range == "5-ten"
        ));
    }
}
