//! Case audits as the audit form stores them, for tests of ratings, moderation and the pages
//! built on them.

use chrono::NaiveDate;
use keepsafe_domain::quality::{validate, Answer, AnswerGiven, CaseAudit, Framework};
use keepsafe_storage::quality::audits::{self, EnteredBy, NewAudit};
use keepsafe_storage::quality::units::LiveCase;
use keepsafe_storage::{transaction, AnyConnection};
use uuid::Uuid;

/// The auditor's reason for every No these fixtures give.
pub const NO_REASON: &str = "No police domestic-abuse check was requested before the assessment";

/// Every key question of `framework` answered Yes, except `no_on` (a key question's code),
/// answered No with [`NO_REASON`].
pub fn answers(framework: &Framework, no_on: Option<&str>) -> Vec<AnswerGiven> {
    framework
        .key_questions()
        .map(|(_, q)| {
            let no = Some(q.code.as_str()) == no_on;
            AnswerGiven {
                question: q.code.clone(),
                answer: if no { Answer::No } else { Answer::Yes },
                reason: no.then(|| NO_REASON.to_owned()),
            }
        })
        .collect()
}

/// Who audited, when, and which earlier audit (if any) this one moderates.
pub struct Auditor<'a> {
    pub id: Uuid,
    pub name: &'a str,
    pub on: NaiveDate,
    pub moderates: Option<Uuid>,
}

/// Records an audit of a live case through storage, as the audit form does: all Yes except
/// `no_on`. The audit is validated by the domain first, so it is one the form would accept.
pub fn record_audit(
    conn: &mut AnyConnection,
    framework: &Framework,
    case: &LiveCase,
    no_on: Option<&str>,
    auditor: &Auditor<'_>,
) -> Result<Uuid, keepsafe_storage::StorageError> {
    let audit = validate(
        framework,
        CaseAudit {
            case: case.crn.clone(),
            team: case.team_code().to_owned(),
            pdu: case.pdu_code.clone(),
            region: case.region_code.clone(),
            answers: answers(framework, no_on),
        },
    )
    .expect("the fixture's answers are a complete audit");
    transaction::write(conn, |conn| {
        audits::record(
            conn,
            &NewAudit {
                audit: &audit,
                person_id: case.person_id,
                team_id: case.team.as_ref().map(|t| t.0),
                pdu_id: case.pdu_id,
                sample_id: None,
                moderates: auditor.moderates,
                audited_on: auditor.on,
                auditor_id: auditor.id,
                auditor_name: auditor.name.to_owned(),
                entered_by: EnteredBy::Form,
            },
            crate::clock::now(),
        )
    })
}
