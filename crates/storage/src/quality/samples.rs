//! Audit samples: a stratified random draw of a PDU's live cases ([`keepsafe_domain::quality::draw`]),
//! stored with its seed and rule version so anyone can check it was not hand-picked.

use super::units::{live_cases, Unit};
use crate::batch::insert_rows;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{people, quality_audits, quality_sample_cases, quality_samples};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::quality::{draw, stratum_key, PopulationItem, Sample, SAMPLING_RULE_VERSION};
use keepsafe_domain::workload::Explanation;
use std::collections::HashMap;
use uuid::Uuid;

/// The population a PDU's samples are drawn from: its live cases, stratified by PDU, case type
/// and RoSH level as inspectors draw them. Returned with each CRN's person id.
pub fn population(
    conn: &mut AnyConnection,
    pdu_id: Uuid,
) -> StorageResult<(Vec<PopulationItem>, HashMap<String, Uuid>)> {
    let cases = live_cases(conn, Unit::Pdu(pdu_id))?;
    let ids: Vec<String> = cases.iter().map(|c| c.person_id.to_string()).collect();
    let mut levels = HashMap::new();
    for chunk in ids.chunks(super::IDS_PER_QUERY) {
        levels.extend(crate::risk::assessments::current_levels(conn, chunk)?);
    }
    let items = cases
        .iter()
        .map(|c| PopulationItem {
            case: c.crn.clone(),
            stratum: stratum_key(
                &c.pdu_code,
                c.case_type,
                levels.get(&c.person_id.to_string()).copied(),
            ),
        })
        .collect();
    let by_crn = cases.into_iter().map(|c| (c.crn, c.person_id)).collect();
    Ok((items, by_crn))
}

/// Draws a sample of `size` cases from the PDU with `seed` and stores it.
pub fn draw_and_store(
    conn: &mut AnyConnection,
    pdu_id: Uuid,
    framework: &str,
    size: u32,
    seed: u64,
    drawn_by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Result<(Uuid, Sample), keepsafe_domain::quality::SampleRefused>> {
    let (population, by_crn) = population(conn, pdu_id)?;
    let sample = match draw(&population, size, seed) {
        Ok(sample) => sample,
        Err(refused) => return Ok(Err(refused)),
    };
    let id = Uuid::new_v4();
    let explanation = serde_json::to_string(&sample.explanation)
        .map_err(|e| StorageError::Corrupt(format!("sample explanation: {e}")))?;
    diesel::insert_into(quality_samples::table)
        .values((
            quality_samples::id.eq(id.to_string()),
            quality_samples::framework.eq(framework),
            quality_samples::pdu_id.eq(pdu_id.to_string()),
            quality_samples::seed.eq(seed.to_string()),
            quality_samples::requested.eq(size as i32),
            quality_samples::rule_version.eq(SAMPLING_RULE_VERSION),
            quality_samples::explanation.eq(explanation),
            quality_samples::drawn_by.eq(drawn_by.to_string()),
            quality_samples::drawn_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    let strata: HashMap<&str, &str> = sample
        .strata
        .iter()
        .flat_map(|s| s.cases.iter().map(|c| (c.as_str(), s.stratum.as_str())))
        .collect();
    let rows: Vec<_> = sample
        .cases
        .iter()
        .enumerate()
        .map(|(position, crn)| {
            (
                quality_sample_cases::sample_id.eq(id.to_string()),
                quality_sample_cases::position.eq(position as i32 + 1),
                quality_sample_cases::person_id.eq(by_crn[crn].to_string()),
                quality_sample_cases::stratum.eq(strata.get(crn.as_str()).copied().unwrap_or("")),
            )
        })
        .collect();
    insert_rows!(conn, quality_sample_cases::table, &rows)?;
    Ok(Ok((id, sample)))
}

/// A stored sample with its cases and how far their audit has got.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSample {
    pub id: Uuid,
    pub framework: String,
    pub pdu_id: Uuid,
    pub seed: u64,
    pub requested: u32,
    pub rule_version: String,
    pub explanation: Explanation,
    pub drawn_by: String,
    pub drawn_at: NaiveDateTime,
    pub cases: Vec<SampleCase>,
}

impl StoredSample {
    /// How many of the sample's cases have been audited.
    pub fn audited(&self) -> usize {
        self.cases.iter().filter(|c| c.audit.is_some()).count()
    }

    /// How many of the sample's audits have been moderated.
    pub fn moderated(&self) -> usize {
        self.cases.iter().filter(|c| c.moderation.is_some()).count()
    }

    /// Each stratum as it was when the sample was drawn: its population then, its share and how
    /// many were drawn. The population is not kept anywhere else (live cases change), so it is
    /// read back from the explanation's steps, which [`keepsafe_domain::quality::draw`] writes
    /// as "{stratum}: {population} of {total} cases ({share}%), {drawn} drawn".
    pub fn strata(&self) -> Vec<StratumSummary> {
        self.explanation
            .steps
            .iter()
            .filter_map(|step| StratumSummary::from_step(step))
            .collect()
    }
}

/// One stratum of a stored sample.
#[derive(Debug, Clone, PartialEq)]
pub struct StratumSummary {
    pub stratum: String,
    pub population: u32,
    pub share_percent: f64,
    pub drawn: u32,
}

impl StratumSummary {
    fn from_step(step: &str) -> Option<Self> {
        let (stratum, rest) = step.split_once(": ")?;
        let (population, rest) = rest.split_once(" of ")?;
        let (_, rest) = rest.split_once(" cases (")?;
        let (share, rest) = rest.split_once("%), ")?;
        let drawn = rest.strip_suffix(" drawn")?;
        Some(Self {
            stratum: stratum.to_owned(),
            population: population.parse().ok()?,
            share_percent: share.parse().ok()?,
            drawn: drawn.parse().ok()?,
        })
    }
}

/// One case of a sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleCase {
    pub position: u32,
    pub person_id: Uuid,
    pub crn: String,
    pub name: String,
    pub stratum: String,
    /// The first audit made for this sample, if any.
    pub audit: Option<Uuid>,
    /// The moderation of that audit, if any.
    pub moderation: Option<Uuid>,
}

/// One sample; [`StorageError::NotFound`] if there is none.
pub fn find(conn: &mut AnyConnection, id: Uuid) -> StorageResult<StoredSample> {
    let mut found = load(conn, Some(id), None)?;
    found.pop().ok_or(StorageError::NotFound)
}

/// A PDU's samples, newest first.
pub fn for_pdu(conn: &mut AnyConnection, pdu_id: Uuid) -> StorageResult<Vec<StoredSample>> {
    load(conn, None, Some(pdu_id))
}

type SampleRow = (
    String,
    String,
    String,
    String,
    i32,
    String,
    String,
    String,
    NaiveDateTime,
);

fn load(
    conn: &mut AnyConnection,
    id: Option<Uuid>,
    pdu: Option<Uuid>,
) -> StorageResult<Vec<StoredSample>> {
    let mut query = quality_samples::table
        .order(quality_samples::drawn_at.desc())
        .select((
            quality_samples::id,
            quality_samples::framework,
            quality_samples::pdu_id,
            quality_samples::seed,
            quality_samples::requested,
            quality_samples::rule_version,
            quality_samples::explanation,
            quality_samples::drawn_by,
            quality_samples::drawn_at,
        ))
        .into_boxed();
    if let Some(id) = id {
        query = query.filter(quality_samples::id.eq(id.to_string()));
    }
    if let Some(pdu) = pdu {
        query = query.filter(quality_samples::pdu_id.eq(pdu.to_string()));
    }
    let samples: Vec<SampleRow> = query.load(conn)?;
    let ids: Vec<&str> = samples.iter().map(|s| s.0.as_str()).collect();
    let mut cases: HashMap<String, Vec<SampleCase>> = HashMap::new();
    for (sample, position, person, stratum, crn, first, last) in quality_sample_cases::table
        .inner_join(people::table.on(people::id.eq(quality_sample_cases::person_id)))
        .filter(quality_sample_cases::sample_id.eq_any(&ids))
        .order((
            quality_sample_cases::sample_id,
            quality_sample_cases::position,
        ))
        .select((
            quality_sample_cases::sample_id,
            quality_sample_cases::position,
            quality_sample_cases::person_id,
            quality_sample_cases::stratum,
            people::crn,
            people::first_name,
            people::last_name,
        ))
        .load::<(String, i32, String, String, String, String, String)>(conn)?
    {
        cases.entry(sample).or_default().push(SampleCase {
            position: position.max(0) as u32,
            person_id: rows::id(&person)?,
            crn,
            name: format!("{first} {last}"),
            stratum,
            audit: None,
            moderation: None,
        });
    }
    // The sample's audits: the first audit of each case, then its moderation.
    let mut firsts: HashMap<(String, String), String> = HashMap::new();
    let mut moderations: HashMap<String, String> = HashMap::new();
    for (audit, sample, person, moderates) in quality_audits::table
        .filter(quality_audits::sample_id.eq_any(&ids))
        .order(quality_audits::created_at)
        .select((
            quality_audits::id,
            quality_audits::sample_id,
            quality_audits::person_id,
            quality_audits::moderates,
        ))
        .load::<(String, Option<String>, String, Option<String>)>(conn)?
    {
        match moderates {
            Some(original) => {
                moderations.insert(original, audit);
            }
            None => {
                firsts
                    .entry((sample.unwrap_or_default(), person))
                    .or_insert(audit);
            }
        }
    }
    let names = crate::risk::checks::staff_names(
        conn,
        &samples.iter().map(|s| s.7.clone()).collect::<Vec<_>>(),
    )?;
    samples
        .into_iter()
        .map(|row| {
            let mut sample_cases = cases.remove(&row.0).unwrap_or_default();
            for case in &mut sample_cases {
                if let Some(audit) = firsts.get(&(row.0.clone(), case.person_id.to_string())) {
                    case.audit = Some(rows::id(audit)?);
                    case.moderation = rows::opt_id(moderations.get(audit).map(String::as_str))?;
                }
            }
            Ok(StoredSample {
                id: rows::id(&row.0)?,
                framework: row.1,
                pdu_id: rows::id(&row.2)?,
                seed: row
                    .3
                    .parse()
                    .map_err(|_| StorageError::Corrupt(format!("sample seed {}", row.3)))?,
                requested: row.4.max(0) as u32,
                rule_version: row.5,
                explanation: serde_json::from_str(&row.6)
                    .map_err(|e| StorageError::Corrupt(format!("sample explanation: {e}")))?,
                drawn_by: names
                    .get(&row.7)
                    .cloned()
                    .unwrap_or_else(|| "Unknown".into()),
                drawn_at: row.8,
                cases: sample_cases,
            })
        })
        .collect()
}
