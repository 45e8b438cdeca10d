//! A unit's ratings, from case audits or — labelled apart — from the automated indicators, with
//! the cases behind every number. The rules are the domain's ([`keepsafe_domain::quality`]); this
//! module gathers the inputs in bulk and keeps the case names for drill-down.

use super::audits::{self, StoredAudit};
use super::case_indicators::{self, READ_DRAIN_LIMIT};
use super::judgements::{self, JudgementKind, StoredJudgement};
use super::units::{live_cases, ChildUnit, Unit};
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use chrono::{Datelike, Months, NaiveDate};
use keepsafe_domain::quality::{
    automated_answer_codes, automated_audit, indicators, moderate, parse_results, rate_scores,
    standing, tally, validate, Answer, Framework, FrameworkTally, Indicator, IndicatorRules,
    InspectionRating, KeyQuestionScore, Moderation, PanelDeparture, Rating, Source,
    UnratedStandards, ValidatedAudit,
};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// A case behind a number, as the drill-down lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRef {
    pub person_id: Uuid,
    pub crn: String,
    pub name: String,
    pub team: Option<String>,
}

/// A unit's rating against one framework from one source.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRating {
    pub framework: Framework,
    pub source: Source,
    /// The audit dates counted (audit ratings only).
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// The audits counted: one per case, the moderator's where a case was moderated.
    pub audits: Vec<ValidatedAudit>,
    pub tally: FrameworkTally,
    pub rating: InspectionRating,
    /// Every case counted, by CRN.
    pub cases: BTreeMap<String, CaseRef>,
    /// The ratings panel's decisions applied.
    pub judgements: Vec<StoredJudgement>,
    /// Agreement between auditors and moderators on the moderated cases (audit ratings only).
    pub moderation: Option<Moderation>,
}

/// The framework as this deployment rates with it ([`super::frameworks::configured`]).
fn framework_named(conn: &mut AnyConnection, code: &str) -> StorageResult<Framework> {
    super::frameworks::configured(conn, code)?
        .ok_or_else(|| StorageError::Corrupt(format!("unknown quality framework {code}")))
}

/// Rates from validated audits with the unit's standing decisions ([`rating_for`]).
fn rate_with(
    framework: &Framework,
    audits: &[ValidatedAudit],
    decisions: &[StoredJudgement],
    source: Source,
    unrated: UnratedStandards,
) -> StorageResult<(FrameworkTally, InspectionRating)> {
    let tally =
        tally(framework, audits).map_err(|e| StorageError::Corrupt(format!("tally: {e}")))?;
    let scores: Vec<(&str, KeyQuestionScore)> = tally
        .questions
        .iter()
        .map(|q| (q.question.as_str(), q.score()))
        .collect();
    let rating = rating_for(framework, &scores, decisions, source, unrated)?;
    Ok((tally, rating))
}

/// Rates key-question scores with the unit's standing decisions; departures only apply to audit
/// ratings, since the panel departed from an audited rating.
fn rating_for(
    framework: &Framework,
    scores: &[(&str, KeyQuestionScore)],
    decisions: &[StoredJudgement],
    source: Source,
    unrated: UnratedStandards,
) -> StorageResult<InspectionRating> {
    let judged: Vec<(&str, Rating)> = decisions
        .iter()
        .filter(|d| d.kind == JudgementKind::Judgement)
        .filter(|d| {
            framework
                .standard(&d.standard)
                .is_some_and(|s| !s.is_case_standard())
        })
        .map(|d| (d.standard.as_str(), d.rating))
        .collect();
    let departures: Vec<(&str, PanelDeparture)> = if source == Source::Audit {
        decisions
            .iter()
            .filter(|d| d.kind == JudgementKind::Departure)
            .filter(|d| {
                framework
                    .standard(&d.standard)
                    .is_some_and(|s| s.is_case_standard())
            })
            .filter_map(|d| {
                PanelDeparture::new(d.rating, &d.reason)
                    .ok()
                    .map(|p| (d.standard.as_str(), p))
            })
            .collect()
    } else {
        Vec::new()
    };
    rate_scores(framework, scores, &judged, &departures, unrated)
        .map_err(|e| StorageError::Corrupt(format!("rating: {e}")))
}

/// The audit rating of a unit: audits made from `from` to `to`, the latest audit of each case
/// (the moderator's answers where it was moderated).
pub fn audited(
    conn: &mut AnyConnection,
    unit: Unit,
    framework_code: &str,
    from: NaiveDate,
    to: NaiveDate,
    unrated: UnratedStandards,
) -> StorageResult<UnitRating> {
    let framework = framework_named(conn, framework_code)?;
    let stored = audits::in_unit(conn, unit, framework_code, from, to)?;
    let decisions = judgements::current(conn, unit, framework_code)?;
    from_stored(&framework, &stored, decisions, Some((from, to)), unrated)
}

fn from_stored(
    framework: &Framework,
    stored: &[StoredAudit],
    decisions: Vec<StoredJudgement>,
    period: Option<(NaiveDate, NaiveDate)>,
    unrated: UnratedStandards,
) -> StorageResult<UnitRating> {
    // Oldest first, so the last first audit of a case is the one that counts.
    let mut latest: BTreeMap<String, &StoredAudit> = BTreeMap::new();
    for audit in stored.iter().filter(|a| a.moderates.is_none()) {
        latest.insert(audit.crn.clone(), audit);
    }
    let moderations: HashMap<Uuid, &StoredAudit> = stored
        .iter()
        .filter_map(|a| a.moderates.map(|m| (m, a)))
        .collect();
    let mut firsts = Vec::new();
    let mut seconds = Vec::new();
    let mut cases = BTreeMap::new();
    for audit in latest.values() {
        firsts.push(audit.validated()?);
        if let Some(moderation) = moderations.get(&audit.id) {
            seconds.push(moderation.validated()?);
        }
        cases.insert(
            audit.crn.clone(),
            CaseRef {
                person_id: audit.person_id,
                crn: audit.crn.clone(),
                name: audit.name.clone(),
                team: audit.team_name.clone(),
            },
        );
    }
    let moderation = if seconds.is_empty() {
        None
    } else {
        Some(
            moderate(framework, &firsts, &seconds)
                .map_err(|e| StorageError::Corrupt(format!("moderation: {e}")))?,
        )
    };
    let counted = standing(&firsts, &seconds);
    let (tally, rating) = rate_with(framework, &counted, &decisions, Source::Audit, unrated)?;
    Ok(UnitRating {
        framework: framework.clone(),
        source: Source::Audit,
        period,
        audits: counted,
        tally,
        rating,
        cases,
        judgements: decisions,
        moderation,
    })
}

/// The automated rating of a unit: every live case answered from the record as of `today`, with
/// each case's indicators by CRN for the drill-down. The overall is on the rated standards only
/// (planning is not answerable from the record), which the rating says.
pub fn automated(
    conn: &mut AnyConnection,
    unit: Unit,
    framework_code: &str,
    today: NaiveDate,
    rules: &IndicatorRules,
) -> StorageResult<(UnitRating, HashMap<String, Vec<Indicator>>)> {
    let framework = framework_named(conn, framework_code)?;
    let live = live_cases(conn, unit)?;
    let facts = super::facts::for_cases(conn, &live, today, rules)?;
    let decisions = judgements::current(conn, unit, framework_code)?;
    let mut audits = Vec::with_capacity(live.len());
    let mut by_case = HashMap::with_capacity(live.len());
    let mut cases = BTreeMap::new();
    for case in &live {
        let Some(case_facts) = facts.get(&case.person_id) else {
            continue;
        };
        let found = indicators(case_facts, rules);
        let audit = automated_audit(
            &framework,
            &case.crn,
            case.team_code(),
            &case.pdu_code,
            &case.region_code,
            &found,
        );
        audits.push(
            validate(&framework, audit)
                .map_err(|e| StorageError::Corrupt(format!("automated audit: {e}")))?,
        );
        by_case.insert(case.crn.clone(), found);
        cases.insert(
            case.crn.clone(),
            CaseRef {
                person_id: case.person_id,
                crn: case.crn.clone(),
                name: case.name.clone(),
                team: case.team.as_ref().map(|(_, _, name)| name.clone()),
            },
        );
    }
    let (tally, rating) = rate_with(
        &framework,
        &audits,
        &decisions,
        Source::Automated,
        UnratedStandards::RateOnRated,
    )?;
    Ok((
        UnitRating {
            framework,
            source: Source::Automated,
            period: None,
            audits,
            tally,
            rating,
            cases,
            judgements: decisions,
            moderation: None,
        },
        by_case,
    ))
}

/// Which code of an audit names the child unit: the team of a PDU's cases, the PDU of a region's,
/// the region of the nation's.
fn child_code(parent: Unit, audit: &ValidatedAudit) -> &str {
    let audit = audit.audit();
    match parent {
        Unit::Team(_) => &audit.case,
        Unit::Pdu(_) => &audit.team,
        Unit::Region(_) => &audit.pdu,
        Unit::Nation => &audit.region,
    }
}

/// The unit's rating split by the units inside it (a PDU by team, a region by PDU, the nation by
/// region), from the same audits: no further queries. Children with no case are left out.
pub fn breakdown(
    rating: &UnitRating,
    parent: Unit,
    children: &[ChildUnit],
) -> StorageResult<Vec<(ChildUnit, FrameworkTally, InspectionRating)>> {
    let mut out = Vec::new();
    for child in children {
        let audits: Vec<ValidatedAudit> = rating
            .audits
            .iter()
            .filter(|a| child_code(parent, a) == child.code)
            .cloned()
            .collect();
        if audits.is_empty() {
            continue;
        }
        let (tally, child_rating) = rate_with(
            &rating.framework,
            &audits,
            &[],
            rating.source,
            UnratedStandards::RateOnRated,
        )?;
        out.push((child.clone(), tally, child_rating));
    }
    Ok(out)
}

/// One key question's counts in a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionCounts {
    pub question: String,
    pub standard: String,
    pub yes: usize,
    pub no: usize,
    pub not_applicable: usize,
}

impl QuestionCounts {
    pub fn score(&self) -> KeyQuestionScore {
        let yes = u32::try_from(self.yes).unwrap_or(u32::MAX);
        let no = u32::try_from(self.no).unwrap_or(u32::MAX);
        KeyQuestionScore::new(yes, yes.saturating_add(no)).expect("yes never exceeds yes + no")
    }
}

/// A unit inside the one rated, rated from the same cases.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildScores {
    pub child: ChildUnit,
    pub cases: usize,
    pub rating: InspectionRating,
}

/// A unit's rating as counts: what the rating pages and the report show. Audit ratings are
/// counted from their audits ([`UnitScores::from_rating`]); automated ratings from the stored
/// indicator results ([`automated_scores`]), never from the cases one by one.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitScores {
    pub framework: Framework,
    pub source: Source,
    /// The audit dates counted (audit ratings only).
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub cases: usize,
    /// Every key question of the framework, in framework order.
    pub questions: Vec<QuestionCounts>,
    pub rating: InspectionRating,
    /// The units inside this one with at least one case, in the order given.
    pub children: Vec<ChildScores>,
    pub judgements: Vec<StoredJudgement>,
    pub moderation: Option<Moderation>,
    /// Automated only: counted cases whose stored results are from an earlier day, and changed
    /// cases still queued, while the server brings them up to date.
    pub behind: usize,
}

impl UnitScores {
    /// The counts of a rating made from audits, split by `children` of `parent`.
    pub fn from_rating(
        rating: UnitRating,
        parent: Unit,
        children: &[ChildUnit],
    ) -> StorageResult<Self> {
        let split = breakdown(&rating, parent, children)?
            .into_iter()
            .map(|(child, tally, rating)| ChildScores {
                child,
                cases: tally.cases.len(),
                rating,
            })
            .collect();
        Ok(Self {
            questions: rating
                .tally
                .questions
                .iter()
                .map(|q| QuestionCounts {
                    question: q.question.clone(),
                    standard: q.standard.clone(),
                    yes: q.yes.len(),
                    no: q.no.len(),
                    not_applicable: q.not_applicable.len(),
                })
                .collect(),
            cases: rating.cases.len(),
            children: split,
            framework: rating.framework,
            source: rating.source,
            period: rating.period,
            rating: rating.rating,
            judgements: rating.judgements,
            moderation: rating.moderation,
            behind: 0,
        })
    }
}

/// The framework's answers to each distinct set of stored results, worked out once per set.
struct AnswerBook<'a> {
    framework: &'a Framework,
    known: HashMap<String, Option<Vec<Answer>>>,
}

impl<'a> AnswerBook<'a> {
    fn new(framework: &'a Framework) -> Self {
        Self {
            framework,
            known: HashMap::new(),
        }
    }

    /// The answers in framework order, or `None` for results stored under other rules.
    fn answers(&mut self, results: &str) -> Option<&Vec<Answer>> {
        let framework = self.framework;
        self.known
            .entry(results.to_owned())
            .or_insert_with(|| {
                parse_results(results).map(|parsed| {
                    automated_answer_codes(framework, &parsed)
                        .into_iter()
                        .map(|(_, answer)| answer)
                        .collect()
                })
            })
            .as_ref()
    }
}

/// Per key question (framework order): yes, no, not applicable.
type Counts = Vec<[usize; 3]>;

fn add(counts: &mut Counts, answers: &[Answer], cases: usize) {
    for (count, answer) in counts.iter_mut().zip(answers) {
        let slot = match answer {
            Answer::Yes => 0,
            Answer::No => 1,
            Answer::NotApplicable => 2,
        };
        count[slot] += cases;
    }
}

fn question_counts(framework: &Framework, counts: &Counts) -> Vec<QuestionCounts> {
    framework
        .key_questions()
        .zip(counts)
        .map(
            |((standard, question), [yes, no, not_applicable])| QuestionCounts {
                question: question.code.clone(),
                standard: standard.code.clone(),
                yes: *yes,
                no: *no,
                not_applicable: *not_applicable,
            },
        )
        .collect()
}

fn scores_of(questions: &[QuestionCounts]) -> Vec<(&str, KeyQuestionScore)> {
    questions
        .iter()
        .map(|q| (q.question.as_str(), q.score()))
        .collect()
}

/// The automated rating of a unit from the stored indicator results, as of `today`: the changed
/// cases queued are recomputed first (up to [`READ_DRAIN_LIMIT`]), then the unit's results are
/// counted with one grouped query and rated, split by `children`. The overall is on the rated
/// standards only, as [`automated`] rates it; the two always agree once the stored rows are
/// current.
pub fn automated_scores(
    conn: &mut AnyConnection,
    unit: Unit,
    children: &[ChildUnit],
    framework_code: &str,
    today: NaiveDate,
    rules: &IndicatorRules,
) -> StorageResult<UnitScores> {
    let drained = case_indicators::drain(conn, today, rules, READ_DRAIN_LIMIT)?;
    let framework = framework_named(conn, framework_code)?;
    let decisions = judgements::current(conn, unit, framework_code)?;
    let groups = case_indicators::groups(conn, unit)?;
    let questions = framework.key_questions().count();
    let mut book = AnswerBook::new(&framework);
    let mut total: Counts = vec![[0; 3]; questions];
    let mut by_child: HashMap<Uuid, (usize, Counts)> = HashMap::new();
    let mut cases = 0;
    let mut behind = drained.remaining;
    for group in &groups {
        let Some(answers) = book.answers(&group.results) else {
            behind += group.cases;
            continue;
        };
        if group.computed_on != today {
            behind += group.cases;
        }
        cases += group.cases;
        add(&mut total, answers, group.cases);
        if let Some(child) = group.child {
            let entry = by_child
                .entry(child)
                .or_insert_with(|| (0, vec![[0; 3]; questions]));
            entry.0 += group.cases;
            add(&mut entry.1, answers, group.cases);
        }
    }
    let counted = question_counts(&framework, &total);
    let rating = rating_for(
        &framework,
        &scores_of(&counted),
        &decisions,
        Source::Automated,
        UnratedStandards::RateOnRated,
    )?;
    let mut split = Vec::new();
    for child in children {
        let id = match child.unit {
            Unit::Team(id) | Unit::Pdu(id) | Unit::Region(id) => id,
            Unit::Nation => continue,
        };
        let Some((child_cases, counts)) = by_child.get(&id) else {
            continue;
        };
        let child_questions = question_counts(&framework, counts);
        split.push(ChildScores {
            child: child.clone(),
            cases: *child_cases,
            rating: rating_for(
                &framework,
                &scores_of(&child_questions),
                &[],
                Source::Automated,
                UnratedStandards::RateOnRated,
            )?,
        });
    }
    Ok(UnitScores {
        framework,
        source: Source::Automated,
        period: None,
        cases,
        questions: counted,
        rating,
        children: split,
        judgements: decisions,
        moderation: None,
        behind,
    })
}

/// For each answer to `question` (yes, no, not applicable, in that order), the sets of stored
/// results among the unit's cases that give it and how many cases have them: what the drill-down
/// counts and lists ([`case_indicators::cases_with`]). Empty for a question not in the framework.
pub fn answer_groups(
    conn: &mut AnyConnection,
    unit: Unit,
    framework: &Framework,
    question: &str,
) -> StorageResult<Vec<(Answer, Vec<String>, usize)>> {
    let Some(position) = framework
        .key_questions()
        .position(|(_, q)| q.code == question)
    else {
        return Ok(Vec::new());
    };
    let mut book = AnswerBook::new(framework);
    let mut found: Vec<(Answer, Vec<String>, usize)> =
        [Answer::Yes, Answer::No, Answer::NotApplicable]
            .into_iter()
            .map(|answer| (answer, Vec::new(), 0))
            .collect();
    for group in case_indicators::groups(conn, unit)? {
        let Some(answer) = book
            .answers(&group.results)
            .and_then(|answers| answers.get(position).copied())
        else {
            continue;
        };
        if let Some((_, results, cases)) = found.iter_mut().find(|(a, _, _)| *a == answer) {
            if !results.contains(&group.results) {
                results.push(group.results);
            }
            *cases += group.cases;
        }
    }
    Ok(found)
}

/// One quarter of an audit trend.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    /// "2026 Q3".
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub cases: usize,
    /// Each case standard's lowest key-question score and its rating that quarter.
    pub standards: Vec<(String, Option<KeyQuestionScore>, Option<Rating>)>,
}

/// The first day of the quarter `day` falls in.
fn quarter_start(day: NaiveDate) -> NaiveDate {
    let month = (day.month0() / 3) * 3 + 1;
    NaiveDate::from_ymd_opt(day.year(), month, 1).expect("a quarter starts on a real day")
}

/// The unit's audit ratings quarter by quarter, for the last `quarters` quarters up to `today`:
/// one query for all of them.
pub fn audited_trend(
    conn: &mut AnyConnection,
    unit: Unit,
    framework_code: &str,
    today: NaiveDate,
    quarters: u32,
) -> StorageResult<Vec<TrendPoint>> {
    let framework = framework_named(conn, framework_code)?;
    let first = quarter_start(today) - Months::new(3 * quarters.saturating_sub(1));
    let stored = audits::in_unit(conn, unit, framework_code, first, today)?;
    let mut points = Vec::new();
    let mut from = first;
    while from <= today {
        let to = (from + Months::new(3)).pred_opt().expect("quarters end");
        let in_quarter: Vec<StoredAudit> = stored
            .iter()
            .filter(|a| a.audited_on >= from && a.audited_on <= to)
            .cloned()
            .collect();
        let rating = from_stored(
            &framework,
            &in_quarter,
            Vec::new(),
            Some((from, to)),
            UnratedStandards::RateOnRated,
        )?;
        let standards = rating
            .rating
            .standards
            .iter()
            .filter(|s| {
                framework
                    .standard(&s.standard)
                    .is_some_and(|s| s.is_case_standard())
            })
            .map(|s| {
                let lowest = rating
                    .tally
                    .questions
                    .iter()
                    .filter(|q| q.standard == s.standard)
                    .map(|q| q.score())
                    .filter(|score| score.applicable() > 0)
                    .reduce(|low, score| {
                        if score.is_lower_than(&low) {
                            score
                        } else {
                            low
                        }
                    });
                (s.standard.clone(), lowest, s.rating())
            })
            .collect();
        points.push(TrendPoint {
            label: format!("{} Q{}", from.year(), from.month0() / 3 + 1),
            from,
            to,
            cases: rating.cases.len(),
            standards,
        });
        from = from + Months::new(3);
    }
    Ok(points)
}
