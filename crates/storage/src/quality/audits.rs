//! Case audits as stored: one row per audit with its answers, and moderations pointing at the
//! audit they moderate. Audits are validated by the domain before they are stored and again when
//! read, so a rating is never built from an audit that does not fit its framework.

use super::units::Unit;
use super::IDS_PER_QUERY;
use crate::batch::insert_rows;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{pdus, people, quality_audit_answers, quality_audits, regions, teams};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use keepsafe_domain::quality::{validate, AnswerGiven, CaseAudit, Framework, ValidatedAudit};
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// How an audit came into keepsafe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnteredBy {
    /// Answered on the audit form.
    Form,
    /// Imported from a CSV file of audit results.
    Import,
}

impl EnteredBy {
    pub fn code(self) -> &'static str {
        match self {
            EnteredBy::Form => "form",
            EnteredBy::Import => "import",
        }
    }

    fn parse(code: &str) -> StorageResult<Self> {
        match code {
            "form" => Ok(EnteredBy::Form),
            "import" => Ok(EnteredBy::Import),
            other => Err(StorageError::Corrupt(format!(
                "unknown audit entry {other}"
            ))),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EnteredBy::Form => "Audit form",
            EnteredBy::Import => "Imported",
        }
    }
}

/// An audit to store. The answers are the validated audit's.
#[derive(Debug, Clone)]
pub struct NewAudit<'a> {
    pub audit: &'a ValidatedAudit,
    pub person_id: Uuid,
    pub team_id: Option<Uuid>,
    pub pdu_id: Uuid,
    pub sample_id: Option<Uuid>,
    /// The audit this one moderates, if it is a moderation.
    pub moderates: Option<Uuid>,
    pub audited_on: NaiveDate,
    pub auditor_id: Uuid,
    pub auditor_name: String,
    pub entered_by: EnteredBy,
}

/// A stored audit with the names a page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAudit {
    pub id: Uuid,
    pub framework: String,
    pub person_id: Uuid,
    pub crn: String,
    pub name: String,
    pub team_id: Option<Uuid>,
    pub team_name: Option<String>,
    pub pdu_id: Uuid,
    pub sample_id: Option<Uuid>,
    pub moderates: Option<Uuid>,
    pub audited_on: NaiveDate,
    pub auditor_id: Uuid,
    pub auditor_name: String,
    pub entered_by: EnteredBy,
    /// The audit as the domain reads it (team, PDU and region codes at the time of the audit).
    pub audit: CaseAudit,
}

impl StoredAudit {
    /// How many key questions were answered.
    pub fn answers_count(&self) -> usize {
        self.audit.answers.len()
    }

    /// The audit checked against its framework again.
    pub fn validated(&self) -> StorageResult<ValidatedAudit> {
        let framework = Framework::by_code(&self.framework).ok_or_else(|| {
            StorageError::Corrupt(format!(
                "audit {} names framework {}",
                self.id, self.framework
            ))
        })?;
        validate(&framework, self.audit.clone())
            .map_err(|e| StorageError::Corrupt(format!("audit {}: {e}", self.id)))
    }
}

/// Stores an audit and its answers. A moderation must be of another auditor's audit of the same
/// case against the same framework, and each audit is moderated at most once.
pub fn record(
    conn: &mut AnyConnection,
    new: &NewAudit<'_>,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    if let Some(moderated) = new.moderates {
        check_moderation_by(
            conn,
            moderated,
            new.person_id,
            new.audit.framework(),
            &Moderator {
                id: new.auditor_id,
                name: &new.auditor_name,
                entered_by: new.entered_by,
            },
        )?;
    }
    let id = Uuid::new_v4();
    let key = id.to_string();
    diesel::insert_into(quality_audits::table)
        .values((
            quality_audits::id.eq(&key),
            quality_audits::framework.eq(new.audit.framework()),
            quality_audits::person_id.eq(new.person_id.to_string()),
            quality_audits::team_id.eq(new.team_id.map(|t| t.to_string())),
            quality_audits::pdu_id.eq(new.pdu_id.to_string()),
            quality_audits::sample_id.eq(new.sample_id.map(|s| s.to_string())),
            quality_audits::moderates.eq(new.moderates.map(|m| m.to_string())),
            quality_audits::audited_on.eq(new.audited_on),
            quality_audits::auditor_id.eq(new.auditor_id.to_string()),
            quality_audits::auditor_name.eq(&new.auditor_name),
            quality_audits::entered_by.eq(new.entered_by.code()),
            quality_audits::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)
        .map_err(|error| match error {
            // Two saves of the same sampled case, or of a moderation, at the same moment.
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => StorageError::Conflict(
                "This case has just been audited (or moderated) by someone else: open the sample to see their audit"
                    .to_owned(),
            ),
            other => other.into(),
        })?;
    let answers: Vec<_> = new
        .audit
        .audit()
        .answers
        .iter()
        .map(|a| {
            (
                quality_audit_answers::audit_id.eq(key.clone()),
                quality_audit_answers::question.eq(a.question.clone()),
                quality_audit_answers::answer.eq(a.answer.code()),
                quality_audit_answers::reason.eq(a.reason.clone()),
            )
        })
        .collect();
    insert_rows!(conn, quality_audit_answers::table, &answers)?;
    Ok(id)
}

/// Whether `auditor` may moderate the audit `moderated` of the person against `framework`:
/// [`StorageError::Conflict`] saying why not (their own audit, already moderated, a moderation
/// itself, another case or framework). The moderation form asks before showing itself, so a
/// moderator is told before answering rather than after, and [`record`] asks again.
pub fn check_moderation(
    conn: &mut AnyConnection,
    moderated: Uuid,
    person_id: Uuid,
    framework: &str,
    auditor: Uuid,
) -> StorageResult<()> {
    let name = crate::risk::checks::staff_names(conn, &[auditor.to_string()])?
        .remove(&auditor.to_string())
        .unwrap_or_default();
    check_moderation_by(
        conn,
        moderated,
        person_id,
        framework,
        &Moderator {
            id: auditor,
            name: &name,
            entered_by: EnteredBy::Form,
        },
    )
}

/// Who is moderating, as the same-auditor rule needs them.
struct Moderator<'a> {
    id: Uuid,
    name: &'a str,
    entered_by: EnteredBy,
}

fn check_moderation_by(
    conn: &mut AnyConnection,
    moderated: Uuid,
    person_id: Uuid,
    framework: &str,
    moderator: &Moderator<'_>,
) -> StorageResult<()> {
    let original = find(conn, moderated)?;
    if original.person_id != person_id || original.framework != framework {
        return Err(StorageError::Conflict(
            "A moderation must be of an audit of the same case against the same framework"
                .to_owned(),
        ));
    }
    // Entered on the form, the auditor is the signed-in account; imported, the name in the file
    // (the account is whoever ran the import).
    let same_auditor =
        if original.entered_by == EnteredBy::Form && moderator.entered_by == EnteredBy::Form {
            original.auditor_id == moderator.id
        } else {
            original
                .auditor_name
                .trim()
                .eq_ignore_ascii_case(moderator.name.trim())
        };
    if same_auditor {
        return Err(StorageError::Conflict(
            "You made this audit, so you cannot moderate it: ask another auditor".to_owned(),
        ));
    }
    if original.moderates.is_some() {
        return Err(StorageError::Conflict(
            "This is already a moderation: moderate the original audit".to_owned(),
        ));
    }
    let already: i64 = quality_audits::table
        .filter(quality_audits::moderates.eq(moderated.to_string()))
        .count()
        .get_result(conn)?;
    if already > 0 {
        return Err(StorageError::Conflict(
            "This audit has already been moderated".to_owned(),
        ));
    }
    Ok(())
}

/// The moderation of an audit, if it has been moderated.
pub fn moderation_of(conn: &mut AnyConnection, audit: Uuid) -> StorageResult<Option<StoredAudit>> {
    let rows: Vec<AuditRow> = quality_audits::table
        .filter(quality_audits::moderates.eq(audit.to_string()))
        .order(quality_audits::created_at)
        .select(AUDIT_COLUMNS)
        .load(conn)?;
    Ok(complete(conn, rows)?.into_iter().next())
}

type AuditRow = (
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    NaiveDate,
    String,
    String,
    String,
);

const AUDIT_COLUMNS: (
    quality_audits::id,
    quality_audits::framework,
    quality_audits::person_id,
    quality_audits::team_id,
    quality_audits::pdu_id,
    quality_audits::sample_id,
    quality_audits::moderates,
    quality_audits::audited_on,
    quality_audits::auditor_id,
    quality_audits::auditor_name,
    quality_audits::entered_by,
) = (
    quality_audits::id,
    quality_audits::framework,
    quality_audits::person_id,
    quality_audits::team_id,
    quality_audits::pdu_id,
    quality_audits::sample_id,
    quality_audits::moderates,
    quality_audits::audited_on,
    quality_audits::auditor_id,
    quality_audits::auditor_name,
    quality_audits::entered_by,
);

/// One audit; [`StorageError::NotFound`] if there is none.
pub fn find(conn: &mut AnyConnection, id: Uuid) -> StorageResult<StoredAudit> {
    let rows: Vec<AuditRow> = quality_audits::table
        .filter(quality_audits::id.eq(id.to_string()))
        .select(AUDIT_COLUMNS)
        .load(conn)?;
    complete(conn, rows)?.pop().ok_or(StorageError::NotFound)
}

/// Every audit of one person, newest first.
pub fn for_person(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<StoredAudit>> {
    let rows: Vec<AuditRow> = quality_audits::table
        .filter(quality_audits::person_id.eq(person_id.to_string()))
        .order((
            quality_audits::audited_on.desc(),
            quality_audits::created_at.desc(),
        ))
        .select(AUDIT_COLUMNS)
        .load(conn)?;
    complete(conn, rows)
}

/// The audits of a sample's cases.
pub fn for_sample(conn: &mut AnyConnection, sample_id: Uuid) -> StorageResult<Vec<StoredAudit>> {
    let rows: Vec<AuditRow> = quality_audits::table
        .filter(quality_audits::sample_id.eq(sample_id.to_string()))
        .order(quality_audits::created_at)
        .select(AUDIT_COLUMNS)
        .load(conn)?;
    complete(conn, rows)
}

/// A unit's audits against one framework made from `from` to `to` (inclusive), moderations
/// included, oldest first. A unit's audits are those of cases its teams or PDUs held when
/// audited.
pub fn in_unit(
    conn: &mut AnyConnection,
    unit: Unit,
    framework: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> StorageResult<Vec<StoredAudit>> {
    let query = quality_audits::table
        .filter(quality_audits::framework.eq(framework))
        .filter(quality_audits::audited_on.ge(from))
        .filter(quality_audits::audited_on.le(to))
        .order((quality_audits::audited_on, quality_audits::created_at))
        .select(AUDIT_COLUMNS)
        .into_boxed();
    let query = match unit {
        Unit::Team(id) => query.filter(quality_audits::team_id.eq(id.to_string())),
        Unit::Pdu(id) => query.filter(quality_audits::pdu_id.eq(id.to_string())),
        Unit::Region(id) => {
            let region_pdus: Vec<String> = pdus::table
                .filter(pdus::region_id.eq(id.to_string()))
                .select(pdus::id)
                .load(conn)?;
            query.filter(quality_audits::pdu_id.eq_any(region_pdus))
        }
        Unit::Nation => query,
    };
    let rows: Vec<AuditRow> = query.load(conn)?;
    complete(conn, rows)
}

/// Adds answers, names and codes to audit rows: five queries per 500 audits.
fn complete(conn: &mut AnyConnection, rows: Vec<AuditRow>) -> StorageResult<Vec<StoredAudit>> {
    let mut pdu_codes: HashMap<String, (String, String)> = HashMap::new();
    for (id, code, region) in pdus::table
        .inner_join(regions::table)
        .select((pdus::id, pdus::code, regions::code))
        .load::<(String, String, String)>(conn)?
    {
        pdu_codes.insert(id, (code, region));
    }
    let mut audits = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(IDS_PER_QUERY) {
        let ids: Vec<&str> = chunk.iter().map(|r| r.0.as_str()).collect();
        let person_ids: Vec<&str> = chunk.iter().map(|r| r.2.as_str()).collect();
        let team_ids: Vec<&str> = chunk.iter().filter_map(|r| r.3.as_deref()).collect();
        let mut answers: HashMap<String, Vec<AnswerGiven>> = HashMap::new();
        for (audit, question, answer, reason) in quality_audit_answers::table
            .filter(quality_audit_answers::audit_id.eq_any(&ids))
            .select((
                quality_audit_answers::audit_id,
                quality_audit_answers::question,
                quality_audit_answers::answer,
                quality_audit_answers::reason,
            ))
            .load::<(String, String, String, Option<String>)>(conn)?
        {
            answers.entry(audit).or_default().push(AnswerGiven {
                question,
                answer: rows::code(&answer)?,
                reason,
            });
        }
        let people_rows: HashMap<String, (String, String)> = people::table
            .filter(people::id.eq_any(&person_ids))
            .select((
                people::id,
                people::crn,
                people::first_name,
                people::last_name,
            ))
            .load::<(String, String, String, String)>(conn)?
            .into_iter()
            .map(|(id, crn, first, last)| (id, (crn, format!("{first} {last}"))))
            .collect();
        let team_rows: HashMap<String, (String, String)> = teams::table
            .filter(teams::id.eq_any(&team_ids))
            .select((teams::id, teams::code, teams::name))
            .load::<(String, String, String)>(conn)?
            .into_iter()
            .map(|(id, code, name)| (id, (code, name)))
            .collect();
        for row in chunk {
            let (crn, name) = people_rows
                .get(&row.2)
                .cloned()
                .ok_or_else(|| StorageError::Corrupt(format!("audit {} has no person", row.0)))?;
            let team = row.3.as_ref().and_then(|t| team_rows.get(t));
            let (pdu_code, region_code) = pdu_codes
                .get(&row.4)
                .cloned()
                .ok_or_else(|| StorageError::Corrupt(format!("audit {} has no PDU", row.0)))?;
            let mut given = answers.remove(&row.0).unwrap_or_default();
            given.sort_by(|a, b| a.question.cmp(&b.question));
            audits.push(StoredAudit {
                id: rows::id(&row.0)?,
                framework: row.1.clone(),
                person_id: rows::id(&row.2)?,
                crn: crn.clone(),
                name,
                team_id: rows::opt_id(row.3.as_deref())?,
                team_name: team.map(|(_, name)| name.clone()),
                pdu_id: rows::id(&row.4)?,
                sample_id: rows::opt_id(row.5.as_deref())?,
                moderates: rows::opt_id(row.6.as_deref())?,
                audited_on: row.7,
                auditor_id: rows::id(&row.8)?,
                auditor_name: row.9.clone(),
                entered_by: EnteredBy::parse(&row.10)?,
                audit: CaseAudit {
                    case: crn,
                    team: team.map_or_else(|| "unallocated".to_owned(), |(code, _)| code.clone()),
                    pdu: pdu_code,
                    region: region_code,
                    answers: given,
                },
            });
        }
    }
    Ok(audits)
}
