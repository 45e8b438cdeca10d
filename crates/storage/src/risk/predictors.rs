//! Predictors recorded from an external assessment (`recorded_predictors`, migration 23): RSR,
//! ARP, CSRP, the sexual predictors and OVP's points, each kept with its source, the assessment
//! date and who entered it and when. Nothing is changed or deleted: a new assessment adds rows,
//! and the current score of each predictor is the latest by assessment date, then entry time.
//!
//! [`record`] writes an assessment's scores and recomputes the person's tiers in the caller's
//! transaction; [`current_for`] is the bulk read the tiering reads (one query per 500 people);
//! [`tier_inputs`] turns the current scores into the tiering rules' inputs, with a note on each
//! saying where it came from and whether it is stale.

use crate::bulk::RecordedPredictorRow;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::risk::scores;
use crate::rows;
use crate::schema::{recorded_predictors, staff};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::predictors::recorded::{
    AssessmentScores, AssessmentSource, PredictorKind, PredictorRules, PredictorTierInputs,
    PredictorValue, RecordedPredictor,
};
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// People per `IN (...)` list, as in [`scores`].
const PEOPLE_PER_QUERY: usize = 500;

/// One recorded score with who entered it and when.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictorEntry {
    pub id: Uuid,
    pub recorded: RecordedPredictor,
    /// The name of the member of staff who entered it.
    pub entered_by: String,
    pub entered_at: NaiveDateTime,
}

impl PredictorEntry {
    pub fn kind(&self) -> PredictorKind {
        self.recorded.value.kind()
    }
}

impl RecordedPredictorRow {
    /// The row of one recorded score: the value columns its predictor uses, the others `None`.
    /// The one mapping of a [`PredictorValue`] to its columns, shared with the demo's bulk load.
    pub fn new(
        id: Uuid,
        person_id: Uuid,
        recorded: &RecordedPredictor,
        entered_by: Uuid,
        entered_at: NaiveDateTime,
    ) -> Self {
        let mut row = RecordedPredictorRow {
            id: id.to_string(),
            person_id: person_id.to_string(),
            predictor: recorded.value.kind().code(),
            percent: None,
            basis: None,
            band: None,
            score: None,
            points: None,
            source: recorded.source.source.code(),
            source_other: recorded.source.other.clone(),
            assessed_on: recorded.assessed_on,
            entered_by: entered_by.to_string(),
            entered_at,
        };
        match recorded.value {
            PredictorValue::Rsr { percent } => row.percent = Some(percent),
            PredictorValue::Arp { percent, basis } | PredictorValue::Csrp { percent, basis } => {
                row.percent = Some(percent);
                row.basis = Some(basis.code());
            }
            PredictorValue::OspDc { band, score } => {
                row.band = Some(band.code());
                row.score = score;
            }
            PredictorValue::OspIic { band } => row.band = Some(band.code()),
            // Points are at most `ovp::MAXIMUM_POINTS`, so always fit.
            PredictorValue::Ovp { points } => row.points = i32::try_from(points).ok(),
        }
        row
    }
}

/// Records an assessment's scores for the person, entered by `by` at `now`, and recomputes their
/// tiers from `today`'s record, all in the caller's transaction. Returns the new rows' ids, in the
/// order of `scores.values`.
pub fn record(
    conn: &mut AnyConnection,
    person_id: Uuid,
    scores: &AssessmentScores,
    by: Uuid,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> StorageResult<Vec<Uuid>> {
    let at = now.naive_utc();
    let mut ids = Vec::with_capacity(scores.values.len());
    for recorded in scores.recorded() {
        let id = Uuid::new_v4();
        let row = RecordedPredictorRow::new(id, person_id, &recorded, by, at);
        diesel::insert_into(recorded_predictors::table)
            .values(&row)
            .execute(conn)?;
        ids.push(id);
    }
    scores::recompute(conn, &[person_id], today, now)?;
    Ok(ids)
}

type StoredRow = (
    String,
    String,
    String,
    Option<f64>,
    Option<String>,
    Option<String>,
    Option<f64>,
    Option<i32>,
    String,
    Option<String>,
    NaiveDate,
    String,
    String,
    NaiveDateTime,
);

/// Every score recorded for the person, newest assessment first (then newest entry): one query.
pub fn history(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<PredictorEntry>> {
    let rows = load(conn, &[person_id.to_string()])?;
    rows.into_iter().map(|(_, entry)| Ok(entry)).collect()
}

/// The current score of each predictor, in [`PredictorKind`] order: the first of each kind in
/// `history` (which is newest first).
pub fn current(history: &[PredictorEntry]) -> Vec<&PredictorEntry> {
    PredictorKind::ALL
        .iter()
        .filter_map(|kind| history.iter().find(|entry| entry.kind() == *kind))
        .collect()
}

/// The current scores of each of these people that has any, keyed by person id, in
/// [`PredictorKind`] order: one query per 500 people.
pub fn current_for(
    conn: &mut AnyConnection,
    person_ids: &[String],
) -> StorageResult<HashMap<String, Vec<PredictorEntry>>> {
    let mut histories: HashMap<String, Vec<PredictorEntry>> = HashMap::new();
    for chunk in person_ids.chunks(PEOPLE_PER_QUERY) {
        for (person, entry) in load(conn, chunk)? {
            histories.entry(person).or_default().push(entry);
        }
    }
    Ok(histories
        .into_iter()
        .map(|(person, history)| {
            let current = current(&history).into_iter().cloned().collect();
            (person, current)
        })
        .collect())
}

/// The rows of these people, each person's newest first, with the person's id.
fn load(
    conn: &mut AnyConnection,
    person_ids: &[String],
) -> StorageResult<Vec<(String, PredictorEntry)>> {
    recorded_predictors::table
        .inner_join(staff::table)
        .filter(recorded_predictors::person_id.eq_any(person_ids))
        .order((
            recorded_predictors::person_id.asc(),
            recorded_predictors::assessed_on.desc(),
            recorded_predictors::entered_at.desc(),
            recorded_predictors::predictor.asc(),
        ))
        .select((
            recorded_predictors::id,
            recorded_predictors::person_id,
            recorded_predictors::predictor,
            recorded_predictors::percent,
            recorded_predictors::basis,
            recorded_predictors::band,
            recorded_predictors::score,
            recorded_predictors::points,
            recorded_predictors::source,
            recorded_predictors::source_other,
            recorded_predictors::assessed_on,
            staff::first_name,
            staff::last_name,
            recorded_predictors::entered_at,
        ))
        .load::<StoredRow>(conn)?
        .into_iter()
        .map(entry)
        .collect()
}

fn entry(row: StoredRow) -> StorageResult<(String, PredictorEntry)> {
    let (
        id,
        person,
        predictor,
        percent,
        basis,
        band,
        score,
        points,
        source,
        source_other,
        assessed_on,
        first_name,
        last_name,
        entered_at,
    ) = row;
    let corrupt = || StorageError::Corrupt(format!("recorded predictor {id} lacks its value"));
    let kind: PredictorKind = rows::code(&predictor)?;
    let value = match kind {
        PredictorKind::Rsr => PredictorValue::Rsr {
            percent: percent.ok_or_else(corrupt)?,
        },
        PredictorKind::Arp => PredictorValue::Arp {
            percent: percent.ok_or_else(corrupt)?,
            basis: rows::code(basis.as_deref().ok_or_else(corrupt)?)?,
        },
        PredictorKind::Csrp => PredictorValue::Csrp {
            percent: percent.ok_or_else(corrupt)?,
            basis: rows::code(basis.as_deref().ok_or_else(corrupt)?)?,
        },
        PredictorKind::OspDc => PredictorValue::OspDc {
            band: rows::code(band.as_deref().ok_or_else(corrupt)?)?,
            score,
        },
        PredictorKind::OspIic => PredictorValue::OspIic {
            band: rows::code(band.as_deref().ok_or_else(corrupt)?)?,
        },
        PredictorKind::Ovp => PredictorValue::Ovp {
            points: points
                .and_then(|points| u32::try_from(points).ok())
                .ok_or_else(corrupt)?,
        },
    };
    Ok((
        person,
        PredictorEntry {
            id: rows::id(&id)?,
            recorded: RecordedPredictor {
                value,
                source: AssessmentSource {
                    source: rows::code(&source)?,
                    other: source_other,
                },
                assessed_on,
            },
            entered_by: format!("{first_name} {last_name}"),
            entered_at,
        },
    ))
}

/// What the tiers read from a person's current recorded scores, and a note on each saying where
/// it came from, when it was assessed, who entered it and whether it is stale.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RecordedTierInputs {
    pub inputs: PredictorTierInputs,
    pub notes: Vec<String>,
}

/// The predictors the tiers read, in the order their notes are given.
const TIER_PREDICTORS: [PredictorKind; 4] = [
    PredictorKind::Rsr,
    PredictorKind::Arp,
    PredictorKind::Csrp,
    PredictorKind::OspDc,
];

/// The tiering inputs from `current` (the person's current scores, as [`current_for`] gives
/// them), with a note per predictor the tiers read, recorded or not.
pub fn tier_inputs(
    current: &[PredictorEntry],
    rules: &PredictorRules,
    today: NaiveDate,
) -> RecordedTierInputs {
    let inputs = PredictorTierInputs::from_current(current.iter().map(|e| &e.recorded.value));
    let notes = TIER_PREDICTORS
        .iter()
        .map(
            |kind| match current.iter().find(|entry| entry.kind() == *kind) {
                Some(entry) => provenance(entry, rules, today),
                None => format!(
                    "{}: not recorded; record it from the latest assessment on the predictors page",
                    kind.short_name()
                ),
            },
        )
        .collect();
    RecordedTierInputs { inputs, notes }
}

/// "ARP: 50% (dynamic), from OASys assessed 3 March 2026, entered by Sam Patel on 4 March 2026;
/// stale since 3 March 2027, as the assessment is 12 months old or more".
pub fn provenance(entry: &PredictorEntry, rules: &PredictorRules, today: NaiveDate) -> String {
    let recorded = &entry.recorded;
    let band = recorded
        .value
        .band_words()
        .map(|band| format!(", band {}", band.to_lowercase()))
        .unwrap_or_default();
    let freshness = match rules.freshness(recorded.assessed_on, today) {
        keepsafe_domain::predictors::recorded::Freshness::Stale { since } => format!(
            "; stale since {}, as {}",
            long_date(since),
            rules.stale_reason()
        ),
        keepsafe_domain::predictors::recorded::Freshness::Current { .. } => String::new(),
    };
    format!(
        "{}: {}{band}, from {} assessed {}, entered by {} on {}{freshness}",
        recorded.value.kind().short_name(),
        recorded.value.value_words(),
        recorded.source,
        long_date(recorded.assessed_on),
        entry.entered_by,
        long_date(entry.entered_at.date()),
    )
}

fn long_date(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}
