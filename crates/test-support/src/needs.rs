//! Needs fixtures: a completed needs assessment written through storage as the needs pages write
//! one (start, save, complete: completing recomputes the tiers), and an assessment made to have
//! expired, for tests of the tier and OGP without filling in the whole form each time.

use crate::clock;
use diesel::prelude::*;
use keepsafe_domain::needs::{
    AssessmentStatus, NeedsContent, NeedsRules, Question, Section, SectionAnswer, Severity,
};
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use keepsafe_storage::needs::assessments;
use keepsafe_storage::risk::scores;
use keepsafe_storage::schema::needs_assessments;
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use uuid::Uuid;

/// Every section at `severity` with evidence and both links answered, and every question given
/// `answer` (kept within its range: yes/no questions get 1 for anything above 0).
pub fn content(severity: Severity, answer: u8) -> NeedsContent {
    NeedsContent {
        sections: Section::ALL
            .iter()
            .map(|section| {
                (
                    *section,
                    SectionAnswer {
                        evidence: LongText::required(
                            "Discussed in supervision; the record agrees.",
                        )
                        .expect("short evidence"),
                        severity: Some(severity),
                        linked_to_harm: Some(false),
                        linked_to_reoffending: Some(severity != Severity::NoNeed),
                    },
                )
            })
            .collect(),
        answers: Question::ALL
            .iter()
            .map(|q| (*q, answer.min(q.kind().max())))
            .collect(),
    }
}

/// Completes a needs assessment with `content` for `person`, by `by`, today; returns its id.
pub fn completed(
    conn: &mut AnyConnection,
    person: Uuid,
    by: Uuid,
    content: &NeedsContent,
) -> Result<Uuid, StorageError> {
    transaction::write(conn, |conn| {
        let id = assessments::start(conn, person, by, clock::now())?;
        let version = assessments::save_draft(conn, id, 1, content, by, clock::now())?;
        assessments::complete(conn, id, version, &NeedsRules::default(), by, clock::now())?;
        Ok(id)
    })
}

/// Makes the person's completed assessment one that expired yesterday (completed a year and a
/// day ago), then recomputes their tiers as the server's daily pass would.
pub fn expire(conn: &mut AnyConnection, person: Uuid) -> Result<(), StorageError> {
    transaction::write(conn, |conn| {
        let today = clock::today();
        let completed_on = today - chrono::Months::new(12) - chrono::Days::new(1);
        diesel::update(
            needs_assessments::table
                .filter(needs_assessments::person_id.eq(person.to_string()))
                .filter(needs_assessments::status.eq(AssessmentStatus::Completed.code())),
        )
        .set((
            needs_assessments::completed_on.eq(completed_on),
            needs_assessments::valid_until.eq(NeedsRules::default().valid_until(completed_on)),
        ))
        .execute(conn)?;
        scores::recompute(conn, &[person], today, clock::now())?;
        Ok(())
    })
}

/// The person's draft needs assessment, started by `by` if there is none yet (so asking twice in
/// one test gives the same draft).
pub fn draft(conn: &mut AnyConnection, person: Uuid, by: Uuid) -> Result<Uuid, StorageError> {
    transaction::write(conn, |conn| {
        let open = assessments::for_person(conn, person)?
            .into_iter()
            .find(|a| a.status == AssessmentStatus::Draft);
        match open {
            Some(a) => Ok(a.id),
            None => assessments::start(conn, person, by, clock::now()),
        }
    })
}
