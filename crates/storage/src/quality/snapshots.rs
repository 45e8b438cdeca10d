//! The automated rating recorded week by week, so the automated source has a trend: the record as
//! it stood each week, not recomputed later from a record that has since changed. One grouped pass
//! over the stored indicators ([`super::case_indicators`]) tallies every team, PDU, region and the
//! nation.

use super::ratings::TrendPoint;
use super::units::Unit;
use crate::batch::insert_rows;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::schema::quality_snapshots;
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use keepsafe_domain::quality::{
    automated_answer_codes, parse_results, Answer, Framework, IndicatorRules, KeyQuestionScore,
};
use std::collections::{BTreeMap, HashMap};

/// What one recording wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnapshotRun {
    pub week_start: NaiveDate,
    pub units: usize,
    pub cases: usize,
}

/// Per unit: cases, and per question (yes, applicable).
type Tallies = BTreeMap<(String, String), (i32, BTreeMap<String, (i32, i32)>)>;

/// Records this week's automated rating of every unit against `framework_code`, as of `today`,
/// replacing what an earlier run this week recorded. Brings the stored indicators up to date
/// first, then tallies every unit from them in one grouped pass.
pub fn record(
    conn: &mut AnyConnection,
    framework_code: &str,
    today: NaiveDate,
    rules: &IndicatorRules,
) -> StorageResult<SnapshotRun> {
    let week_start = crate::workload::week_start(today);
    let framework = Framework::by_code(framework_code).ok_or_else(|| {
        StorageError::Corrupt(format!("unknown quality framework {framework_code}"))
    })?;
    super::case_indicators::bring_up_to_date(conn, today, rules)?;
    let mut tallies: Tallies = BTreeMap::new();
    let mut answers_of: HashMap<String, Option<Vec<(String, Answer)>>> = HashMap::new();
    let mut cases = 0;
    for group in super::case_indicators::placed(conn)? {
        let answers = answers_of
            .entry(group.results)
            .or_insert_with_key(|results| {
                parse_results(results).map(|parsed| automated_answer_codes(&framework, &parsed))
            });
        let Some(answers) = answers else {
            continue;
        };
        let count = i32::try_from(group.cases).unwrap_or(i32::MAX);
        cases += count;
        let mut units = vec![
            ("nation".to_owned(), String::new()),
            ("region".to_owned(), group.region_id),
            ("pdu".to_owned(), group.pdu_id),
        ];
        if let Some(team) = group.team_id {
            units.push(("team".to_owned(), team));
        }
        for unit in units {
            let entry = tallies.entry(unit).or_default();
            entry.0 += count;
            for (question, answer) in answers.iter() {
                let counts = entry.1.entry(question.clone()).or_default();
                match answer {
                    Answer::Yes => {
                        counts.0 += count;
                        counts.1 += count;
                    }
                    Answer::No => counts.1 += count,
                    Answer::NotApplicable => {}
                }
            }
        }
    }
    diesel::delete(
        quality_snapshots::table
            .filter(quality_snapshots::framework.eq(framework_code))
            .filter(quality_snapshots::week_start.eq(week_start)),
    )
    .execute(conn)?;
    let rows: Vec<_> = tallies
        .iter()
        .flat_map(|((kind, id), (cases, questions))| {
            questions.iter().map(move |(question, (yes, applicable))| {
                (
                    quality_snapshots::scope_kind.eq(kind.clone()),
                    quality_snapshots::scope_id.eq(id.clone()),
                    quality_snapshots::framework.eq(framework_code.to_owned()),
                    quality_snapshots::week_start.eq(week_start),
                    quality_snapshots::question.eq(question.clone()),
                    quality_snapshots::yes.eq(*yes),
                    quality_snapshots::applicable.eq(*applicable),
                    quality_snapshots::cases.eq(*cases),
                    quality_snapshots::measured_on.eq(today),
                )
            })
        })
        .collect();
    for chunk in rows.chunks(400) {
        insert_rows!(conn, quality_snapshots::table, chunk)?;
    }
    Ok(SnapshotRun {
        week_start,
        units: tallies.len(),
        cases: usize::try_from(cases).unwrap_or(0),
    })
}

/// Records this week's automated rating against every built-in framework.
pub fn record_all(
    conn: &mut AnyConnection,
    today: NaiveDate,
    rules: &IndicatorRules,
) -> StorageResult<Vec<(String, SnapshotRun)>> {
    keepsafe_domain::quality::Framework::all()
        .into_iter()
        .map(|framework| {
            Ok((
                framework.code.clone(),
                record(conn, &framework.code, today, rules)?,
            ))
        })
        .collect()
}

/// The unit's recorded automated ratings for the last `weeks` weeks up to `today`, oldest first,
/// rated with the framework as this deployment rates with it; weeks not recorded are left out.
pub fn trend(
    conn: &mut AnyConnection,
    unit: Unit,
    framework_code: &str,
    today: NaiveDate,
    weeks: u32,
) -> StorageResult<Vec<TrendPoint>> {
    let framework = super::frameworks::configured(conn, framework_code)?.ok_or_else(|| {
        StorageError::Corrupt(format!("unknown quality framework {framework_code}"))
    })?;
    let from =
        crate::workload::week_start(today) - Duration::weeks(i64::from(weeks.saturating_sub(1)));
    let stored = quality_snapshots::table
        .filter(quality_snapshots::scope_kind.eq(unit.kind()))
        .filter(quality_snapshots::scope_id.eq(unit.id_text()))
        .filter(quality_snapshots::framework.eq(framework_code))
        .filter(quality_snapshots::week_start.ge(from))
        .filter(quality_snapshots::week_start.le(today))
        .order(quality_snapshots::week_start)
        .select((
            quality_snapshots::week_start,
            quality_snapshots::question,
            quality_snapshots::yes,
            quality_snapshots::applicable,
            quality_snapshots::cases,
        ))
        .load::<(NaiveDate, String, i32, i32, i32)>(conn)?;
    let mut by_week: BTreeMap<NaiveDate, (i32, HashMap<String, KeyQuestionScore>)> =
        BTreeMap::new();
    for (week, question, yes, applicable, cases) in stored {
        let score = KeyQuestionScore::new(yes.max(0) as u32, applicable.max(0) as u32)
            .map_err(|e| StorageError::Corrupt(format!("snapshot of {question}: {e:?}")))?;
        let entry = by_week.entry(week).or_default();
        entry.0 = cases;
        entry.1.insert(question, score);
    }
    Ok(by_week
        .into_iter()
        .map(|(week, (cases, scores))| {
            let standards = framework
                .standards
                .iter()
                .filter(|s| s.is_case_standard())
                .map(|standard| {
                    let lowest = standard
                        .key_questions()
                        .iter()
                        .filter_map(|q| scores.get(&q.code).copied())
                        .filter(|score| score.applicable() > 0)
                        .reduce(|low, score| {
                            if score.is_lower_than(&low) {
                                score
                            } else {
                                low
                            }
                        });
                    let rating = lowest.and_then(|score| score.rating(&framework.thresholds));
                    (standard.code.clone(), lowest, rating)
                })
                .collect();
            TrendPoint {
                label: format!("w/c {}", week.format("%-d %b %Y")),
                from: week,
                to: week + Duration::days(6),
                cases: cases.max(0) as usize,
                standards,
            }
        })
        .collect())
}
