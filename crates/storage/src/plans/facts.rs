//! What the planning indicators read ([`PlanFacts`]) for many cases at once: four queries per
//! chunk of people, whatever their number.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{plan_actions, plan_objective_links, plan_objectives, sentence_plans};
use chrono::NaiveDate;
use diesel::prelude::*;
use keepsafe_domain::plans::{PlanStatus, Progress};
use keepsafe_domain::quality::{PlanFacts, PlanObjectiveFacts};
use keepsafe_domain::CodedValue;
use std::collections::HashMap;

/// The plan in force of each of `people` (person ids) that has one, by person id. `starts` gives
/// each person's start of supervision: the first plan of this period is the earliest to take
/// effect on or after it.
pub fn for_people(
    conn: &mut AnyConnection,
    people: &[String],
    starts: &HashMap<&str, Option<NaiveDate>>,
) -> StorageResult<HashMap<String, PlanFacts>> {
    let plans = sentence_plans::table
        .filter(sentence_plans::person_id.eq_any(people))
        .filter(
            sentence_plans::status
                .eq_any([PlanStatus::Active.code(), PlanStatus::Superseded.code()]),
        )
        .select((
            sentence_plans::id,
            sentence_plans::person_id,
            sentence_plans::status,
            sentence_plans::activated_on,
            sentence_plans::persons_words,
            sentence_plans::agreement,
        ))
        .load::<(
            String,
            String,
            String,
            Option<NaiveDate>,
            String,
            Option<String>,
        )>(conn)?;
    let mut first: HashMap<&str, NaiveDate> = HashMap::new();
    for (_, person, _, activated, ..) in &plans {
        let Some(on) = *activated else { continue };
        let start = starts.get(person.as_str()).copied().flatten();
        if start.is_none_or(|start| on >= start) {
            first
                .entry(person.as_str())
                .and_modify(|day| *day = (*day).min(on))
                .or_insert(on);
        }
    }
    let mut in_force: HashMap<String, (String, PlanFacts)> = HashMap::new();
    for (id, person, status, activated, words, agreement) in &plans {
        let Some(agreed_on) = *activated else {
            continue;
        };
        if status != PlanStatus::Active.code() {
            continue;
        }
        let facts = PlanFacts {
            id: rows::id(id)?,
            agreed_on,
            first_agreed_on: first.get(person.as_str()).copied().unwrap_or(agreed_on),
            persons_words_recorded: !words.trim().is_empty(),
            agreement_answered: agreement.is_some(),
            objectives: Vec::new(),
        };
        in_force.insert(id.clone(), (person.clone(), facts));
    }
    let plan_ids: Vec<&str> = in_force.keys().map(String::as_str).collect();
    let objectives = plan_objectives::table
        .filter(plan_objectives::plan_id.eq_any(&plan_ids))
        .order((plan_objectives::plan_id, plan_objectives::position))
        .select((
            plan_objectives::id,
            plan_objectives::plan_id,
            plan_objectives::progress,
        ))
        .load::<(String, String, String)>(conn)?;
    let objective_ids: Vec<&str> = objectives.iter().map(|o| o.0.as_str()).collect();
    let mut risks: HashMap<String, Vec<_>> = HashMap::new();
    for (objective, code) in plan_objective_links::table
        .filter(plan_objective_links::objective_id.eq_any(&objective_ids))
        .filter(plan_objective_links::kind.eq("risk"))
        .select((
            plan_objective_links::objective_id,
            plan_objective_links::code,
        ))
        .load::<(String, String)>(conn)?
    {
        risks.entry(objective).or_default().push(rows::code(&code)?);
    }
    let mut actions: HashMap<String, (Vec<_>, Vec<_>)> = HashMap::new();
    for (objective, kind, owner) in plan_actions::table
        .filter(plan_actions::objective_id.eq_any(&objective_ids))
        .select((
            plan_actions::objective_id,
            plan_actions::kind,
            plan_actions::owner,
        ))
        .load::<(String, String, String)>(conn)?
    {
        let entry = actions.entry(objective).or_default();
        entry.0.push(rows::code(&kind)?);
        entry.1.push(rows::code(&owner)?);
    }
    for (objective, plan, progress) in objectives {
        let Some((_, facts)) = in_force.get_mut(&plan) else {
            continue;
        };
        let (kinds, owners) = actions.remove(&objective).unwrap_or_default();
        facts.objectives.push(PlanObjectiveFacts {
            risks: risks.remove(&objective).unwrap_or_default(),
            kinds,
            owners,
            relevant: rows::code::<Progress>(&progress)? != Progress::NoLongerRelevant,
        });
    }
    Ok(in_force.into_values().collect())
}
