//! Reading a case's sentence plans: five queries for every plan the case has had.

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::risk::checks::staff_names;
use crate::rows;
use crate::schema::{
    plan_actions, plan_objective_links, plan_objectives, plan_reviews, sentence_plans,
};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use keepsafe_domain::plans::{
    Objective, PersonsView, PlanAction, PlanContent, PlanStatus, ReviewReason,
};
use keepsafe_domain::rosh::RoshLevel;
use keepsafe_domain::text::LongText;
use uuid::Uuid;

/// A review of the plan as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRecord {
    pub id: Uuid,
    pub reviewed_on: NaiveDate,
    pub reason: ReviewReason,
    pub note: String,
    pub reviewed_by: String,
}

/// A plan as stored, with its objectives (in order, each with its links and actions) and reviews.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRecord {
    pub id: Uuid,
    pub person_id: Uuid,
    pub status: PlanStatus,
    pub version: i32,
    pub starts_on: NaiveDate,
    pub persons_view: PersonsView,
    /// The RoSH level when it was submitted.
    pub case_level: Option<RoshLevel>,
    pub objectives: Vec<Objective>,
    pub reviews: Vec<ReviewRecord>,
    pub created_by_id: Uuid,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
    pub submitted_by_id: Option<Uuid>,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<NaiveDateTime>,
    pub countersigned_by: Option<String>,
    pub countersigned_at: Option<NaiveDateTime>,
    pub activated_on: Option<NaiveDate>,
    pub superseded_at: Option<NaiveDateTime>,
}

impl PlanRecord {
    /// What the domain's submission check reads.
    pub fn content(&self) -> PlanContent {
        PlanContent {
            starts_on: self.starts_on,
            objectives: self.objectives.clone(),
            persons_view: self.persons_view.clone(),
        }
    }

    pub fn objective(&self, id: Uuid) -> Option<&Objective> {
        self.objectives.iter().find(|o| o.id == id)
    }
}

type PlanRow = (
    (String, String, String, i32, NaiveDate),
    (String, Option<String>, String, Option<String>),
    (String, NaiveDateTime, String, NaiveDateTime),
    (
        Option<String>,
        Option<NaiveDateTime>,
        Option<String>,
        Option<NaiveDateTime>,
        Option<NaiveDate>,
        Option<NaiveDateTime>,
    ),
);

fn text(raw: &str) -> StorageResult<LongText> {
    LongText::optional(raw).map_err(|e| StorageError::Corrupt(e.to_string()))
}

/// Every plan of the person, newest first.
pub fn for_person(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<PlanRecord>> {
    let rows = sentence_plans::table
        .filter(sentence_plans::person_id.eq(person_id.to_string()))
        .order(sentence_plans::created_at.desc())
        .select((
            (
                sentence_plans::id,
                sentence_plans::person_id,
                sentence_plans::status,
                sentence_plans::version,
                sentence_plans::starts_on,
            ),
            (
                sentence_plans::persons_words,
                sentence_plans::agreement,
                sentence_plans::disagreement_reason,
                sentence_plans::case_level,
            ),
            (
                sentence_plans::created_by,
                sentence_plans::created_at,
                sentence_plans::updated_by,
                sentence_plans::updated_at,
            ),
            (
                sentence_plans::submitted_by,
                sentence_plans::submitted_at,
                sentence_plans::countersigned_by,
                sentence_plans::countersigned_at,
                sentence_plans::activated_on,
                sentence_plans::superseded_at,
            ),
        ))
        .load::<PlanRow>(conn)?;
    let person = person_id.to_string();
    let objectives = plan_objectives::table
        .filter(plan_objectives::person_id.eq(&person))
        .order((plan_objectives::plan_id, plan_objectives::position))
        .select((
            plan_objectives::id,
            plan_objectives::plan_id,
            plan_objectives::description,
            plan_objectives::progress,
            plan_objectives::progress_note,
        ))
        .load::<(String, String, String, String, String)>(conn)?;
    let links = plan_objective_links::table
        .filter(plan_objective_links::person_id.eq(&person))
        .select((
            plan_objective_links::objective_id,
            plan_objective_links::kind,
            plan_objective_links::code,
        ))
        .load::<(String, String, String)>(conn)?;
    let actions = plan_actions::table
        .filter(plan_actions::person_id.eq(&person))
        .order((plan_actions::objective_id, plan_actions::position))
        .select((
            plan_actions::objective_id,
            plan_actions::kind,
            plan_actions::what,
            plan_actions::owner,
            plan_actions::provider,
            plan_actions::due_on,
        ))
        .load::<(String, String, String, String, String, NaiveDate)>(conn)?;
    let reviews = plan_reviews::table
        .filter(plan_reviews::person_id.eq(&person))
        .order(plan_reviews::reviewed_on.desc())
        .select((
            plan_reviews::id,
            plan_reviews::plan_id,
            plan_reviews::reviewed_on,
            plan_reviews::reason,
            plan_reviews::note,
            plan_reviews::reviewed_by,
        ))
        .load::<(String, String, NaiveDate, String, String, String)>(conn)?;

    let mut staff_ids: Vec<String> = reviews.iter().map(|r| r.5.clone()).collect();
    for row in &rows {
        staff_ids.push(row.2 .0.clone());
        staff_ids.push(row.2 .2.clone());
        staff_ids.extend(row.3 .0.clone());
        staff_ids.extend(row.3 .2.clone());
    }
    let names = staff_names(conn, &staff_ids)?;
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| "Unknown".into());

    let objective = |(id, _, description, progress, note): &(
        String,
        String,
        String,
        String,
        String,
    )|
     -> StorageResult<Objective> {
        let mut objective = Objective {
            id: rows::id(id)?,
            description: text(description)?,
            needs: Vec::new(),
            risks: Vec::new(),
            actions: Vec::new(),
            progress: rows::code(progress)?,
            progress_note: text(note)?,
        };
        for (_, kind, code) in links.iter().filter(|l| &l.0 == id) {
            match kind.as_str() {
                "need" => objective.needs.push(rows::code(code)?),
                _ => objective.risks.push(rows::code(code)?),
            }
        }
        objective.needs.sort();
        objective.risks.sort();
        for (_, kind, what, owner, provider, due_on) in actions.iter().filter(|a| &a.0 == id) {
            objective.actions.push(PlanAction {
                kind: rows::code(kind)?,
                what: text(what)?,
                who: rows::code(owner)?,
                provider: provider.clone(),
                by_when: *due_on,
            });
        }
        Ok(objective)
    };

    rows.into_iter()
        .map(
            |((id, person, status, version, starts_on), view, made, finished)| {
                Ok(PlanRecord {
                    objectives: objectives
                        .iter()
                        .filter(|o| o.1 == id)
                        .map(objective)
                        .collect::<StorageResult<_>>()?,
                    reviews: reviews
                        .iter()
                        .filter(|r| r.1 == id)
                        .map(|(review, _, on, reason, note, by)| {
                            Ok(ReviewRecord {
                                id: rows::id(review)?,
                                reviewed_on: *on,
                                reason: rows::code(reason)?,
                                note: note.clone(),
                                reviewed_by: name(by),
                            })
                        })
                        .collect::<StorageResult<_>>()?,
                    id: rows::id(&id)?,
                    person_id: rows::id(&person)?,
                    status: rows::code(&status)?,
                    version,
                    starts_on,
                    persons_view: PersonsView {
                        words: text(&view.0)?,
                        agreement: rows::opt_code(view.1.as_deref())?,
                        disagreement_reason: text(&view.2)?,
                    },
                    case_level: rows::opt_code(view.3.as_deref())?,
                    created_by_id: rows::id(&made.0)?,
                    created_by: name(&made.0),
                    created_at: made.1,
                    updated_by: name(&made.2),
                    updated_at: made.3,
                    submitted_by_id: rows::opt_id(finished.0.as_deref())?,
                    submitted_by: finished.0.as_deref().map(name),
                    submitted_at: finished.1,
                    countersigned_by: finished.2.as_deref().map(name),
                    countersigned_at: finished.3,
                    activated_on: finished.4,
                    superseded_at: finished.5,
                })
            },
        )
        .collect()
}

/// The plan in force: the active one.
pub fn current(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Option<PlanRecord>> {
    Ok(for_person(conn, person_id)?
        .into_iter()
        .find(|p| p.status == PlanStatus::Active))
}

/// The plan being written: a draft, or one awaiting countersignature.
pub fn open(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Option<PlanRecord>> {
    Ok(for_person(conn, person_id)?.into_iter().find(|p| {
        matches!(
            p.status,
            PlanStatus::Draft | PlanStatus::AwaitingCountersignature
        )
    }))
}
