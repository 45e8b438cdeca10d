//! Risk fixtures: a completed risk of serious harm assessment in force, written through storage
//! as the assessment pages write one, for tests of what follows a change only when there is an
//! assessment to review.

use crate::clock;
use diesel::prelude::*;
use keepsafe_domain::rosh::{AssessmentContent, AssessmentStatus, RiskGroup, RoshLevel};
use keepsafe_domain::text::LongText;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::risk::assessments;
use keepsafe_storage::{AnyConnection, StorageError};
use uuid::Uuid;

/// Makes sure a completed assessment is in force for `person`: the open one is completed (or
/// countersigned), or a new one is started and completed, at medium risk, by `by`.
pub fn assessment_in_force(
    conn: &mut AnyConnection,
    person: Uuid,
    by: Uuid,
) -> Result<(), StorageError> {
    if assessments::current(conn, person)?.is_some() {
        return Ok(());
    }
    let open = assessments::for_person(conn, person)?
        .into_iter()
        .find(|a| a.status != AssessmentStatus::Superseded);
    let draft = match open {
        Some(a) if a.status == AssessmentStatus::AwaitingCountersignature => {
            let senior = a_senior_officer(conn)?;
            return assessments::countersign(conn, a.id, senior, clock::now());
        }
        Some(a) => a,
        None => {
            let case_type = case_record::main_case_type(conn, person)?
                .ok_or_else(|| StorageError::Corrupt("the person has no active event".into()))?;
            let id = assessments::start(conn, person, case_type, by, clock::now())?;
            assessments::find(conn, person, id)?
        }
    };
    let text = |t: &str| LongText::optional(t).expect("a short analysis");
    let content = AssessmentContent {
        levels: RiskGroup::for_case(draft.case_type)
            .into_iter()
            .map(|g| (g, RoshLevel::Medium))
            .collect(),
        nature_of_harm: text("Violence towards a partner when drinking."),
        who_is_at_risk: text("Any current partner."),
        imminence: text("Not imminent while abstinent."),
        increasing_factors: text("Alcohol, relationship conflict."),
        reducing_factors: text("Employment, abstinence."),
        ..Default::default()
    };
    let version =
        assessments::save_draft(conn, draft.id, draft.version, &content, by, clock::now())?;
    assessments::complete(
        conn,
        draft.id,
        version,
        RoshLevel::Medium,
        false,
        by,
        clock::now(),
    )?;
    Ok(())
}

/// Any senior probation officer: storage lets anyone countersign, the web checks the grade.
fn a_senior_officer(conn: &mut AnyConnection) -> Result<Uuid, StorageError> {
    use keepsafe_storage::schema::staff;
    let id: String = staff::table
        .filter(staff::grade.eq("spo"))
        .select(staff::id)
        .first(conn)?;
    Uuid::parse_str(&id).map_err(|e| StorageError::Corrupt(e.to_string()))
}

/// Makes `person` a case whose single tier only recorded predictors decide: one active community
/// order, a completed RoSH assessment at low, no registration in force, no predictor recorded
/// (any the demo gave are removed), and the tiers recomputed. What a test then records is all the
/// single tier reads besides those.
pub fn tiered_by_predictors_alone(conn: &mut AnyConnection, person: Uuid, by: Uuid) {
    use keepsafe_storage::schema::{recorded_predictors, registrations};
    crate::worklist::assessed(conn, person, RoshLevel::Low, by);
    keepsafe_storage::transaction::write(conn, |conn| {
        let id = person.to_string();
        diesel::update(
            registrations::table
                .filter(registrations::person_id.eq(&id))
                .filter(registrations::ended_on.is_null()),
        )
        .set(registrations::ended_on.eq(Some(clock::today())))
        .execute(conn)?;
        diesel::delete(recorded_predictors::table.filter(recorded_predictors::person_id.eq(&id)))
            .execute(conn)?;
        keepsafe_storage::risk::scores::recompute(conn, &[person], clock::today(), clock::now())?;
        Ok::<_, StorageError>(())
    })
    .unwrap();
}
