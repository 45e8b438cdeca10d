//! A unit's ratings, from case audits or — labelled apart — from the automated indicators, with
//! the cases behind every number. The rules are the domain's ([`keepsafe_domain::quality`]); this
//! module gathers the inputs in bulk and keeps the case names for drill-down.

use super::audits::{self, StoredAudit};
use super::judgements::{self, JudgementKind, StoredJudgement};
use super::units::{live_cases, ChildUnit, Unit};
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use chrono::{Datelike, Months, NaiveDate};
use keepsafe_domain::quality::{
    automated_audit, indicators, moderate, rate, standing, tally, validate, Framework,
    FrameworkTally, Indicator, IndicatorRules, InspectionRating, KeyQuestionScore, Moderation,
    PanelDeparture, Rating, Source, UnratedStandards, ValidatedAudit,
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

/// Rates from validated audits with the unit's standing decisions; departures only apply to
/// audit ratings, since the panel departed from an audited rating.
fn rate_with(
    framework: &Framework,
    audits: &[ValidatedAudit],
    decisions: &[StoredJudgement],
    source: Source,
    unrated: UnratedStandards,
) -> StorageResult<(FrameworkTally, InspectionRating)> {
    let tally =
        tally(framework, audits).map_err(|e| StorageError::Corrupt(format!("tally: {e}")))?;
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
    let rating = rate(framework, &tally, &judged, &departures, unrated)
        .map_err(|e| StorageError::Corrupt(format!("rating: {e}")))?;
    Ok((tally, rating))
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
