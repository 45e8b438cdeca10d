//! Writing an imported file of audit results ([`keepsafe_domain::quality::import`]): every CRN is
//! found, every moderation paired with the audit it moderates, and every case checked to be in
//! the unit named — all before anything is written, so a file with a problem writes nothing and
//! the caller is told every problem with its line.

use super::audits::{self, EnteredBy, NewAudit};
use super::judgements::{self, JudgementKind, NewJudgement};
use super::units::Unit;
use super::IDS_PER_QUERY;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{allocations, pdus, people, quality_audits};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::quality::import::{DecisionKind, ImportPlan, ImportRefused, ImportedAudit};
use keepsafe_domain::quality::{validate, CaseAudit, Framework};
use std::collections::HashMap;
use uuid::Uuid;

/// What an import wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub audits: usize,
    pub moderations: usize,
    pub decisions: usize,
}

/// Where a case is now, for placing its audit.
#[derive(Debug, Clone)]
struct Placed {
    person_id: Uuid,
    team_id: Option<Uuid>,
    pdu_id: Uuid,
    region_id: Uuid,
    team_code: String,
    pdu_code: String,
    region_code: String,
}

fn place(conn: &mut AnyConnection, crns: &[String]) -> StorageResult<HashMap<String, Placed>> {
    let mut placed = HashMap::new();
    for chunk in crns.chunks(IDS_PER_QUERY) {
        let found = people::table
            .inner_join(pdus::table.inner_join(crate::schema::regions::table))
            .filter(people::crn.eq_any(chunk))
            .select((
                people::crn,
                people::id,
                pdus::id,
                pdus::code,
                pdus::region_id,
                crate::schema::regions::code,
            ))
            .load::<(String, String, String, String, String, String)>(conn)?;
        let ids: Vec<&str> = found.iter().map(|f| f.1.as_str()).collect();
        let teams: HashMap<String, (String, String)> = allocations::table
            .inner_join(crate::schema::teams::table)
            .filter(allocations::person_id.eq_any(&ids))
            .filter(allocations::end_date.is_null())
            .select((
                allocations::person_id,
                allocations::team_id,
                crate::schema::teams::code,
            ))
            .load::<(String, String, String)>(conn)?
            .into_iter()
            .map(|(person, team, code)| (person, (team, code)))
            .collect();
        for (crn, person, pdu, pdu_code, region, region_code) in found {
            let team = teams.get(&person);
            placed.insert(
                crn,
                Placed {
                    person_id: rows::id(&person)?,
                    team_id: team.map(|(id, _)| rows::id(id)).transpose()?,
                    team_code: team.map_or_else(|| "unallocated".to_owned(), |(_, c)| c.clone()),
                    pdu_id: rows::id(&pdu)?,
                    region_id: rows::id(&region)?,
                    pdu_code,
                    region_code,
                },
            );
        }
    }
    Ok(placed)
}

fn in_unit(unit: Unit, case: &Placed) -> bool {
    match unit {
        Unit::Team(id) => case.team_id == Some(id),
        Unit::Pdu(id) => case.pdu_id == id,
        Unit::Region(id) => case.region_id == id,
        Unit::Nation => true,
    }
}

/// A stored first audit: its id, its auditor's name, and whether it has been moderated.
type StoredFirst = (Uuid, String, bool);

/// The latest first audit of each (person, framework) already stored, with whether it has been
/// moderated and who made it.
fn stored_firsts(
    conn: &mut AnyConnection,
    person_ids: &[String],
) -> StorageResult<HashMap<(String, String), StoredFirst>> {
    let mut latest = HashMap::new();
    for chunk in person_ids.chunks(IDS_PER_QUERY) {
        let moderated: Vec<Option<String>> = quality_audits::table
            .filter(quality_audits::person_id.eq_any(chunk))
            .filter(quality_audits::moderates.is_not_null())
            .select(quality_audits::moderates)
            .load(conn)?;
        let moderated: std::collections::HashSet<String> =
            moderated.into_iter().flatten().collect();
        for (id, person, framework, auditor) in quality_audits::table
            .filter(quality_audits::person_id.eq_any(chunk))
            .filter(quality_audits::moderates.is_null())
            .order((quality_audits::audited_on, quality_audits::created_at))
            .select((
                quality_audits::id,
                quality_audits::person_id,
                quality_audits::framework,
                quality_audits::auditor_name,
            ))
            .load::<(String, String, String, String)>(conn)?
        {
            let done = moderated.contains(&id);
            latest.insert((person, framework), (rows::id(&id)?, auditor, done));
        }
    }
    Ok(latest)
}

/// Checks then writes the plan: audits, then moderations, then the panel's decisions for `unit`.
/// `recorded_by` is the account responsible for the import. `problems` are those already found
/// in the file ([`keepsafe_domain::quality::import::read`]); with those and any found here
/// (unknown CRNs, cases outside the unit, moderations without an audit), every one is returned
/// and nothing is written.
pub fn apply(
    conn: &mut AnyConnection,
    plan: &ImportPlan,
    mut problems: Vec<String>,
    unit: Option<Unit>,
    recorded_by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Result<ImportSummary, ImportRefused>> {
    let crns: Vec<String> = plan.audits.iter().map(|a| a.crn.clone()).collect();
    let placed = place(conn, &crns)?;
    for audit in &plan.audits {
        match placed.get(&audit.crn) {
            None => problems.push(format!(
                "line {}: no case has the CRN {}",
                audit.line, audit.crn
            )),
            Some(case) if unit.is_some_and(|u| !in_unit(u, case)) => problems.push(format!(
                "line {}: case {} is not in the unit being imported for",
                audit.line, audit.crn
            )),
            Some(_) => {}
        }
    }
    if unit.is_none() {
        if let Some(first) = plan.decisions.first() {
            problems.push(format!(
                "line {}: panel decisions are for a unit: name it with --unit (for example pdu/MIDW)",
                first.line
            ));
        }
    }
    if unit == Some(Unit::Nation) && !plan.decisions.is_empty() {
        problems.push("panel decisions cannot be recorded for the nation".to_owned());
    }
    let person_ids: Vec<String> = placed.values().map(|p| p.person_id.to_string()).collect();
    let stored = stored_firsts(conn, &person_ids)?;
    // Each moderation's original: the file's own first audit of the case, else the stored one.
    let mut originals: Vec<Option<Moderated>> = Vec::new();
    for audit in &plan.audits {
        if !audit.moderation {
            originals.push(None);
            continue;
        }
        let in_file = plan
            .audits
            .iter()
            .enumerate()
            .filter(|(_, a)| !a.moderation && a.crn == audit.crn && a.framework == audit.framework)
            .filter(|(_, a)| a.audited_on <= audit.audited_on)
            .max_by_key(|(_, a)| a.audited_on);
        let original = match (in_file, placed.get(&audit.crn)) {
            (Some((index, first)), _) => {
                Some((Moderated::InFile(index), first.auditor.clone(), false))
            }
            (None, Some(case)) => stored
                .get(&(case.person_id.to_string(), audit.framework.clone()))
                .map(|(id, auditor, done)| (Moderated::Stored(*id), auditor.clone(), *done)),
            (None, None) => None,
        };
        match original {
            None => problems.push(format!(
                "line {}: the moderation of {} has no audit of the case to moderate",
                audit.line, audit.crn
            )),
            Some((_, auditor, _)) if auditor.eq_ignore_ascii_case(&audit.auditor) => {
                problems.push(format!(
                    "line {}: {} cannot moderate their own audit of {}",
                    audit.line, audit.auditor, audit.crn
                ))
            }
            Some((_, _, true)) => problems.push(format!(
                "line {}: the audit of {} has already been moderated",
                audit.line, audit.crn
            )),
            Some((moderated, _, false)) => {
                originals.push(Some(moderated));
                continue;
            }
        }
        originals.push(None);
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| line_of(p));
        return Ok(Err(ImportRefused(problems)));
    }

    let mut summary = ImportSummary::default();
    let mut written: HashMap<usize, Uuid> = HashMap::new();
    let order = (0..plan.audits.len())
        .filter(|&i| !plan.audits[i].moderation)
        .chain((0..plan.audits.len()).filter(|&i| plan.audits[i].moderation));
    for index in order.collect::<Vec<_>>() {
        let audit = &plan.audits[index];
        let case = &placed[&audit.crn];
        let moderates = match &originals[index] {
            Some(Moderated::InFile(first)) => Some(written[first]),
            Some(Moderated::Stored(id)) => Some(*id),
            None => None,
        };
        let validated = revalidate(audit, case)?;
        let id = audits::record(
            conn,
            &NewAudit {
                audit: &validated,
                person_id: case.person_id,
                team_id: case.team_id,
                pdu_id: case.pdu_id,
                sample_id: None,
                moderates,
                audited_on: audit.audited_on,
                auditor_id: recorded_by,
                auditor_name: audit.auditor.clone(),
                entered_by: EnteredBy::Import,
            },
            now,
        )?;
        written.insert(index, id);
        if audit.moderation {
            summary.moderations += 1;
        } else {
            summary.audits += 1;
        }
    }
    if let Some(unit) = unit {
        for decision in &plan.decisions {
            let reason = format!("{} (recorded by {})", decision.reason, decision.recorded_by);
            judgements::record(
                conn,
                &NewJudgement {
                    framework: &decision.framework,
                    unit,
                    standard: &decision.standard,
                    kind: match decision.kind {
                        DecisionKind::Judgement => JudgementKind::Judgement,
                        DecisionKind::Departure => JudgementKind::Departure,
                    },
                    rating: decision.rating,
                    reason: &reason,
                    recorded_by,
                },
                now,
            )?;
            summary.decisions += 1;
        }
    }
    Ok(Ok(summary))
}

/// The line number a problem starts with ("line 12: …"), for listing problems in file order.
fn line_of(problem: &str) -> usize {
    problem
        .strip_prefix("line ")
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Which audit a moderation moderates.
#[derive(Debug, Clone, Copy)]
enum Moderated {
    InFile(usize),
    Stored(Uuid),
}

/// The imported audit as the domain validates it, with the case's team, PDU and region codes.
fn revalidate(
    audit: &ImportedAudit,
    case: &Placed,
) -> StorageResult<keepsafe_domain::quality::ValidatedAudit> {
    let framework = Framework::by_code(&audit.framework)
        .ok_or_else(|| StorageError::Corrupt(format!("framework {}", audit.framework)))?;
    validate(
        &framework,
        CaseAudit {
            case: audit.crn.clone(),
            team: case.team_code.clone(),
            pdu: case.pdu_code.clone(),
            region: case.region_code.clone(),
            answers: audit.answers.clone(),
        },
    )
    .map_err(|e| StorageError::Corrupt(format!("imported audit: {e}")))
}
