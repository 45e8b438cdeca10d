//! Inspection recommendations and their action plans
//! ([`keepsafe_domain::quality::recommendations`]). Status changes go through the domain's
//! [`Action::move_to`], so a done or dropped action cannot be reopened here either.

use super::units::Unit;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{quality_actions, quality_recommendations};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::quality::{Action, ActionStatus, PlanRefused, Recommendation};
use std::collections::HashMap;
use uuid::Uuid;

/// A stored recommendation with its actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecommendation {
    pub id: Uuid,
    pub unit: Unit,
    pub framework: String,
    pub recommendation: Recommendation,
    pub made_by: String,
    pub made_on: NaiveDate,
    pub actions: Vec<StoredAction>,
}

/// A stored action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAction {
    pub id: Uuid,
    pub action: Action,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
}

fn status_code(status: &ActionStatus) -> (&'static str, Option<&str>) {
    match status {
        ActionStatus::Open => ("open", None),
        ActionStatus::InProgress => ("in_progress", None),
        ActionStatus::Done => ("done", None),
        ActionStatus::Dropped { reason } => ("dropped", Some(reason.as_str())),
    }
}

fn status_of(code: &str, reason: Option<String>) -> StorageResult<ActionStatus> {
    Ok(match code {
        "open" => ActionStatus::Open,
        "in_progress" => ActionStatus::InProgress,
        "done" => ActionStatus::Done,
        "dropped" => ActionStatus::Dropped {
            reason: reason.unwrap_or_default(),
        },
        other => {
            return Err(StorageError::Corrupt(format!(
                "unknown action status {other}"
            )))
        }
    })
}

/// A recommendation to store, with where it came from.
#[derive(Debug, Clone)]
pub struct NewRecommendation<'a> {
    pub unit: Unit,
    pub framework: &'a str,
    pub recommendation: &'a Recommendation,
    /// Who made it: "HM Inspectorate of Probation, PDU inspection 2025".
    pub made_by: &'a str,
    pub made_on: NaiveDate,
    pub recorded_by: Uuid,
}

/// Stores a recommendation made to a unit.
pub fn add_recommendation(
    conn: &mut AnyConnection,
    new: &NewRecommendation<'_>,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let NewRecommendation {
        unit,
        framework,
        recommendation,
        made_by,
        made_on,
        recorded_by,
    } = new.clone();
    let id = Uuid::new_v4();
    diesel::insert_into(quality_recommendations::table)
        .values((
            quality_recommendations::id.eq(id.to_string()),
            quality_recommendations::scope_kind.eq(unit.kind()),
            quality_recommendations::scope_id.eq(unit.id_text()),
            quality_recommendations::framework.eq(framework),
            quality_recommendations::standard.eq(&recommendation.standard),
            quality_recommendations::text.eq(&recommendation.text),
            quality_recommendations::made_by.eq(made_by.trim()),
            quality_recommendations::made_on.eq(made_on),
            quality_recommendations::recorded_by.eq(recorded_by.to_string()),
            quality_recommendations::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Adds an action to a recommendation.
pub fn add_action(
    conn: &mut AnyConnection,
    recommendation_id: Uuid,
    action: &Action,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    insert_action(conn, id, recommendation_id, action, by, now)?;
    Ok(id)
}

/// Writes an action with a given id, in any status (the demo loads plans already under way).
pub(crate) fn insert_action(
    conn: &mut AnyConnection,
    id: Uuid,
    recommendation_id: Uuid,
    action: &Action,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let (status, reason) = status_code(&action.status);
    diesel::insert_into(quality_actions::table)
        .values((
            quality_actions::id.eq(id.to_string()),
            quality_actions::recommendation_id.eq(recommendation_id.to_string()),
            quality_actions::description.eq(&action.description),
            quality_actions::owner.eq(&action.owner),
            quality_actions::due_on.eq(action.due),
            quality_actions::status.eq(status),
            quality_actions::dropped_reason.eq(reason),
            quality_actions::updated_by.eq(by.to_string()),
            quality_actions::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Moves an action on, as the domain allows. Returns the refusal if the move is not allowed.
pub fn move_action(
    conn: &mut AnyConnection,
    recommendation_id: Uuid,
    action_id: Uuid,
    to: ActionStatus,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Result<(), PlanRefused>> {
    let (description, owner, due, status, reason): (
        String,
        String,
        NaiveDate,
        String,
        Option<String>,
    ) = quality_actions::table
        .filter(quality_actions::id.eq(action_id.to_string()))
        .filter(quality_actions::recommendation_id.eq(recommendation_id.to_string()))
        .select((
            quality_actions::description,
            quality_actions::owner,
            quality_actions::due_on,
            quality_actions::status,
            quality_actions::dropped_reason,
        ))
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    let mut action = Action {
        description,
        owner,
        due,
        status: status_of(&status, reason)?,
    };
    if let Err(refused) = action.move_to(to) {
        return Ok(Err(refused));
    }
    let (status, reason) = status_code(&action.status);
    diesel::update(quality_actions::table.filter(quality_actions::id.eq(action_id.to_string())))
        .set((
            quality_actions::status.eq(status),
            quality_actions::dropped_reason.eq(reason),
            quality_actions::updated_by.eq(by.to_string()),
            quality_actions::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(Ok(()))
}

/// A unit's recommendations with their actions, newest first: two queries.
pub fn for_unit(conn: &mut AnyConnection, unit: Unit) -> StorageResult<Vec<StoredRecommendation>> {
    let recommendations = quality_recommendations::table
        .filter(quality_recommendations::scope_kind.eq(unit.kind()))
        .filter(quality_recommendations::scope_id.eq(unit.id_text()))
        .order((
            quality_recommendations::made_on.desc(),
            quality_recommendations::created_at.desc(),
        ))
        .select((
            quality_recommendations::id,
            quality_recommendations::framework,
            quality_recommendations::standard,
            quality_recommendations::text,
            quality_recommendations::made_by,
            quality_recommendations::made_on,
        ))
        .load::<(String, String, Option<String>, String, String, NaiveDate)>(conn)?;
    let ids: Vec<&str> = recommendations.iter().map(|r| r.0.as_str()).collect();
    let action_rows = quality_actions::table
        .filter(quality_actions::recommendation_id.eq_any(&ids))
        .order((quality_actions::due_on, quality_actions::description))
        .select((
            quality_actions::id,
            quality_actions::recommendation_id,
            quality_actions::description,
            quality_actions::owner,
            quality_actions::due_on,
            quality_actions::status,
            quality_actions::dropped_reason,
            quality_actions::updated_by,
            quality_actions::updated_at,
        ))
        .load::<ActionRow>(conn)?;
    let names = crate::risk::checks::staff_names(
        conn,
        &action_rows.iter().map(|r| r.7.clone()).collect::<Vec<_>>(),
    )?;
    let mut actions: HashMap<String, Vec<StoredAction>> = HashMap::new();
    for (id, recommendation, description, owner, due, status, reason, by, at) in action_rows {
        actions
            .entry(recommendation)
            .or_default()
            .push(StoredAction {
                id: rows::id(&id)?,
                action: Action {
                    description,
                    owner,
                    due,
                    status: status_of(&status, reason)?,
                },
                updated_by: names.get(&by).cloned().unwrap_or_else(|| "Unknown".into()),
                updated_at: at,
            });
    }
    recommendations
        .into_iter()
        .map(|(id, framework, standard, text, made_by, made_on)| {
            Ok(StoredRecommendation {
                actions: actions.remove(&id).unwrap_or_default(),
                id: rows::id(&id)?,
                unit,
                framework,
                recommendation: Recommendation { text, standard },
                made_by,
                made_on,
            })
        })
        .collect()
}

type ActionRow = (
    String,
    String,
    String,
    String,
    NaiveDate,
    String,
    Option<String>,
    String,
    NaiveDateTime,
);
