//! The ratings panel's decisions for a unit: judgements of the domain-one standards (leadership,
//! staffing, services, …), which no case audit can answer, and departures from a case standard's
//! computed rating. Each has a reason; the latest for a standard stands and the rest are history.

use super::units::Unit;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::quality_judgements;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::quality::Rating;
use keepsafe_domain::CodedValue;
use std::collections::HashSet;
use uuid::Uuid;

/// What the panel decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JudgementKind {
    /// The rating of a judgement standard.
    Judgement,
    /// A departure from a case standard's computed rating.
    Departure,
}

impl JudgementKind {
    pub fn code(self) -> &'static str {
        match self {
            JudgementKind::Judgement => "judgement",
            JudgementKind::Departure => "departure",
        }
    }

    fn parse(code: &str) -> StorageResult<Self> {
        match code {
            "judgement" => Ok(JudgementKind::Judgement),
            "departure" => Ok(JudgementKind::Departure),
            other => Err(StorageError::Corrupt(format!(
                "unknown judgement kind {other}"
            ))),
        }
    }
}

/// A decision to store. The caller has checked the standard against the framework.
#[derive(Debug, Clone)]
pub struct NewJudgement<'a> {
    pub framework: &'a str,
    pub unit: Unit,
    pub standard: &'a str,
    pub kind: JudgementKind,
    pub rating: Rating,
    pub reason: &'a str,
    pub recorded_by: Uuid,
}

/// A stored decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredJudgement {
    pub id: Uuid,
    pub framework: String,
    pub standard: String,
    pub kind: JudgementKind,
    pub rating: Rating,
    pub reason: String,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

pub fn record(
    conn: &mut AnyConnection,
    new: &NewJudgement<'_>,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(quality_judgements::table)
        .values((
            quality_judgements::id.eq(id.to_string()),
            quality_judgements::framework.eq(new.framework),
            quality_judgements::scope_kind.eq(new.unit.kind()),
            quality_judgements::scope_id.eq(new.unit.id_text()),
            quality_judgements::standard.eq(new.standard),
            quality_judgements::kind.eq(new.kind.code()),
            quality_judgements::rating.eq(new.rating.code()),
            quality_judgements::reason.eq(new.reason.trim()),
            quality_judgements::recorded_by.eq(new.recorded_by.to_string()),
            quality_judgements::recorded_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Every decision for the unit and framework, newest first.
pub fn history(
    conn: &mut AnyConnection,
    unit: Unit,
    framework: &str,
) -> StorageResult<Vec<StoredJudgement>> {
    let rows = quality_judgements::table
        .filter(quality_judgements::framework.eq(framework))
        .filter(quality_judgements::scope_kind.eq(unit.kind()))
        .filter(quality_judgements::scope_id.eq(unit.id_text()))
        .order(quality_judgements::recorded_at.desc())
        .select((
            quality_judgements::id,
            quality_judgements::framework,
            quality_judgements::standard,
            quality_judgements::kind,
            quality_judgements::rating,
            quality_judgements::reason,
            quality_judgements::recorded_by,
            quality_judgements::recorded_at,
        ))
        .load::<(
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            NaiveDateTime,
        )>(conn)?;
    let names = crate::risk::checks::staff_names(
        conn,
        &rows.iter().map(|r| r.6.clone()).collect::<Vec<_>>(),
    )?;
    rows.into_iter()
        .map(|(id, framework, standard, kind, rating, reason, by, at)| {
            Ok(StoredJudgement {
                id: rows::id(&id)?,
                framework,
                standard,
                kind: JudgementKind::parse(&kind)?,
                rating: rows::code(&rating)?,
                reason,
                recorded_by: names.get(&by).cloned().unwrap_or_else(|| "Unknown".into()),
                recorded_at: at,
            })
        })
        .collect()
}

/// The decisions that stand: the latest of each kind for each standard.
pub fn current(
    conn: &mut AnyConnection,
    unit: Unit,
    framework: &str,
) -> StorageResult<Vec<StoredJudgement>> {
    Ok(standing(&history(conn, unit, framework)?))
}

/// The decisions of a [`history`] (newest first) that stand: the latest of each kind for each
/// standard. For a page that shows both, so the history is read once.
pub fn standing(history: &[StoredJudgement]) -> Vec<StoredJudgement> {
    let mut seen = HashSet::new();
    history
        .iter()
        .filter(|j| seen.insert((j.standard.clone(), j.kind)))
        .cloned()
        .collect()
}
