//! Computed risk scores: OGRS3 for each active event and the tiers for each person, each stored
//! with the inputs it was computed from, every step of the working and the version of the rules,
//! so a score on a page can always say how it was reached.
//!
//! The rules are the domain's ([`keepsafe_domain::predictors::ogrs3`],
//! [`keepsafe_domain::tiering`]); this module gathers their inputs from the record, keeps the
//! results, and reads them back. [`recompute`] is a bulk path: a fixed number of queries per 500
//! people, whatever they hold, then multi-row inserts.

use crate::batch::insert_rows;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::needs::assessments::{self as needs_assessments, InForce};
use crate::risk::predictors::{self, PredictorEntry};
use crate::rows;
use crate::schema::{
    breach_actions, events, people, predictor_scores, recalls, registrations, requirements,
    rosh_assessments, tier_results,
};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::event::{CaseType, OffenceCategory, SentenceType};
use keepsafe_domain::needs::{CompletedNeeds, NeedsRules, Validity};
use keepsafe_domain::person::Sex;
use keepsafe_domain::predictors::ogp;
use keepsafe_domain::predictors::ogrs3::{
    self, ogrs3, FollowupStart, Ogrs3Band, Ogrs3Inputs, Ogrs3Score,
};
use keepsafe_domain::registration::{MappaCategory, MappaLevel, RegistrationKind};
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::rosh::AssessmentStatus;
use keepsafe_domain::supervision::enforcement::RecallStatus;
use keepsafe_domain::tiering::json::rule_versions;
use keepsafe_domain::tiering::{
    legacy, ChangeInputs, Contribution, LegacyTier, LegacyTierCode, LegacyTierInputs, LifeOrIpp,
    PredictorType, ReleaseRecency, RoshLevel, SingleTier, SingleTierInputs, SingleTierLetter,
    SingleTierOutcome,
};
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// The `predictor` column's value for OGRS3 rows.
pub const OGRS3: &str = "ogrs3";
/// The `predictor` column's value for OGP rows: one for the main event, when a needs assessment
/// is valid and its OGRS3 is known.
pub const OGP: &str = "ogp";

/// People per `IN (...)` list: well inside both backends' bound-parameter limits.
const PEOPLE_PER_QUERY: usize = 500;
/// Rows per multi-row INSERT (11 columns each): well inside the bound-parameter limits too.
const ROWS_PER_INSERT: usize = 400;

/// Separates the fields of a stored tier explanation line.
const FIELD_SEPARATOR: &str = " | ";

// ---------------------------------------------------------------------------------------------
// What the pages read.

/// Everything computed for one person.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskScores {
    /// OGRS3 for each active event, most recent event first.
    pub ogrs3: Vec<EventScore>,
    /// `None` until the person's tiers have been computed.
    pub tier: Option<TierRecord>,
}

/// OGRS3 for one event: the percentages and band, or why they could not be computed.
#[derive(Debug, Clone, PartialEq)]
pub struct EventScore {
    pub event_id: Uuid,
    pub event_number: i32,
    pub offence: String,
    /// Chance of proven reoffending within one year, 1–99; `None` when `error` says why not.
    pub one_year: Option<u8>,
    /// Chance of proven reoffending within two years, 1–99.
    pub two_year: Option<u8>,
    pub band: Option<Ogrs3Band>,
    /// What to record or correct before a score can be computed.
    pub error: Option<String>,
    /// The inputs as a person reads them ("Age at first sanction: 17").
    pub inputs: Vec<String>,
    /// Every step of the working, one per line.
    pub explanation: Vec<String>,
    pub rule_version: String,
    pub computed_at: NaiveDateTime,
}

/// A person's tiers and how they were reached.
#[derive(Debug, Clone, PartialEq)]
pub struct TierRecord {
    /// The legacy two-axis tier, e.g. C2.
    pub legacy: LegacyTierCode,
    pub protect_points: i32,
    /// `None` when the change level is set without adding points (no mandate for change, or no
    /// needs assessment).
    pub change_points: Option<i32>,
    pub single: SingleTierResult,
    /// Every factor the rules looked at, legacy first, with what it did.
    pub factors: Vec<TierFactor>,
    /// Where the inputs came from on the record, one sentence each.
    pub notes: Vec<String>,
    /// Both rule sets' versions.
    pub rule_version: String,
    pub computed_at: NaiveDateTime,
}

/// The single tier (A–G), or why there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SingleTierResult {
    Tiered {
        tier: SingleTierLetter,
        provisional: bool,
    },
    /// No active sentence.
    NotSupervised,
    /// An input is missing; `reason` says what to record.
    Missing { reason: String },
}

/// Stored `single_status` codes.
const TIERED: &str = "tiered";
const NOT_SUPERVISED: &str = "not_supervised";
const MISSING: &str = "missing";

/// Which rule set a factor belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TierRules {
    Legacy,
    Single,
}

impl TierRules {
    fn code(self) -> &'static str {
        match self {
            TierRules::Legacy => "legacy",
            TierRules::Single => "single",
        }
    }
}

/// One factor in a tier's explanation (the domain's [`Contribution`], as stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierFactor {
    pub rules: TierRules,
    pub factor: String,
    pub effect: String,
    pub points: Option<i32>,
    pub counted: bool,
}

/// A person's tiers in brief, for caseload lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierSummary {
    /// The legacy tier code, e.g. "C2".
    pub legacy: String,
    /// The single tier letter, when one was computed.
    pub single: Option<String>,
    pub provisional: bool,
}

/// The stored OGRS3 scores and tiers for one person. Scores of events no longer active are not
/// kept: [`recompute`] replaces a person's rows.
pub fn for_person(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<RiskScores> {
    let id = person_id.to_string();
    let scores = stored_scores(conn, &id, OGRS3)?;
    let tier = tier_results::table
        .filter(tier_results::person_id.eq(&id))
        .select(TIER_COLUMNS)
        .first::<StoredTier>(conn)
        .optional()?
        .map(tier_record)
        .transpose()?;
    Ok(RiskScores {
        ogrs3: scores,
        tier,
    })
}

/// The tiers of each of these people that has them, keyed by person id, in one query per 500.
pub fn tiers_for(
    conn: &mut AnyConnection,
    person_ids: &[String],
) -> StorageResult<HashMap<String, TierSummary>> {
    let mut summaries = HashMap::with_capacity(person_ids.len());
    for chunk in person_ids.chunks(PEOPLE_PER_QUERY) {
        let rows = tier_results::table
            .filter(tier_results::person_id.eq_any(chunk))
            .select((
                tier_results::person_id,
                tier_results::legacy_tier,
                tier_results::single_tier,
                tier_results::single_provisional,
            ))
            .load::<(String, String, Option<String>, bool)>(conn)?;
        for (person, legacy, single, provisional) in rows {
            summaries.insert(
                person,
                TierSummary {
                    legacy,
                    single,
                    provisional,
                },
            );
        }
    }
    Ok(summaries)
}

type StoredScore = (
    String,
    i32,
    String,
    Option<i32>,
    Option<i32>,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
    NaiveDateTime,
);

fn event_score(row: StoredScore) -> StorageResult<EventScore> {
    let (
        event_id,
        event_number,
        offence,
        one_year,
        two_year,
        band,
        error,
        inputs,
        explanation,
        rule_version,
        computed_at,
    ) = row;
    Ok(EventScore {
        event_id: rows::id(&event_id)?,
        event_number,
        offence,
        one_year: stored_percent(one_year)?,
        two_year: stored_percent(two_year)?,
        band: rows::opt_code(band.as_deref())?,
        error,
        inputs: lines(&inputs),
        explanation: lines(&explanation),
        rule_version,
        computed_at,
    })
}

fn stored_percent(value: Option<i32>) -> StorageResult<Option<u8>> {
    value
        .map(|percent| {
            u8::try_from(percent)
                .ok()
                .filter(|percent| *percent <= 100)
                .ok_or_else(|| StorageError::Corrupt(format!("{percent} is not a percentage")))
        })
        .transpose()
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

const TIER_COLUMNS: (
    tier_results::legacy_tier,
    tier_results::protect_points,
    tier_results::change_points,
    tier_results::single_tier,
    tier_results::single_status,
    tier_results::single_provisional,
    tier_results::explanation,
    tier_results::rule_version,
    tier_results::computed_at,
) = (
    tier_results::legacy_tier,
    tier_results::protect_points,
    tier_results::change_points,
    tier_results::single_tier,
    tier_results::single_status,
    tier_results::single_provisional,
    tier_results::explanation,
    tier_results::rule_version,
    tier_results::computed_at,
);

type StoredTier = (
    String,
    i32,
    Option<i32>,
    Option<String>,
    String,
    bool,
    String,
    String,
    NaiveDateTime,
);

fn tier_record(row: StoredTier) -> StorageResult<TierRecord> {
    let (
        legacy,
        protect_points,
        change_points,
        single_tier,
        single_status,
        provisional,
        explanation,
        rule_version,
        computed_at,
    ) = row;
    let explained = Explanation::parse(&explanation)?;
    let single = match (single_status.as_str(), single_tier) {
        (TIERED, Some(letter)) => SingleTierResult::Tiered {
            tier: rows::code(&letter)?,
            provisional,
        },
        (NOT_SUPERVISED, None) => SingleTierResult::NotSupervised,
        (MISSING, None) => SingleTierResult::Missing {
            reason: explained
                .missing
                .unwrap_or_else(|| "An input the single tier needs is not recorded".to_owned()),
        },
        (status, letter) => {
            return Err(StorageError::Corrupt(format!(
                "single tier status {status} with tier {letter:?}"
            )))
        }
    };
    Ok(TierRecord {
        legacy: rows::code(&legacy)?,
        protect_points,
        change_points,
        single,
        factors: explained.factors,
        notes: explained.notes,
        rule_version,
        computed_at,
    })
}

/// A tier explanation as stored: one line per factor or note, fields separated by " | ":
///
/// ```text
/// legacy | RoSH: High | 20 protect points | 20 | counted
/// single | Registration: Stalking | gives tier F | - | not counted
/// missing | Record the all-reoffending predictor (ARP) … to compute the tier
/// note | RoSH: from the completed assessment in force
/// ```
#[derive(Default)]
struct Explanation {
    factors: Vec<TierFactor>,
    notes: Vec<String>,
    missing: Option<String>,
}

impl Explanation {
    fn factor_line(rules: TierRules, contribution: &Contribution) -> String {
        [
            rules.code().to_owned(),
            clean(&contribution.factor),
            clean(&contribution.effect),
            contribution
                .points
                .map_or_else(|| "-".to_owned(), |points| points.to_string()),
            if contribution.counted {
                "counted"
            } else {
                "not counted"
            }
            .to_owned(),
        ]
        .join(FIELD_SEPARATOR)
    }

    fn note_line(kind: &str, text: &str) -> String {
        format!("{kind}{FIELD_SEPARATOR}{}", clean(text))
    }

    fn parse(text: &str) -> StorageResult<Self> {
        let mut explained = Explanation::default();
        for line in text.lines().filter(|line| !line.trim().is_empty()) {
            let corrupt = || StorageError::Corrupt(format!("tier explanation line '{line}'"));
            let (kind, rest) = line.split_once(FIELD_SEPARATOR).ok_or_else(corrupt)?;
            let rules = match kind {
                "note" => {
                    explained.notes.push(rest.to_owned());
                    continue;
                }
                "missing" => {
                    explained.missing = Some(rest.to_owned());
                    continue;
                }
                "legacy" => TierRules::Legacy,
                "single" => TierRules::Single,
                _ => return Err(corrupt()),
            };
            let fields: Vec<&str> = rest.split(FIELD_SEPARATOR).collect();
            let [factor, effect, points, counted] = fields[..] else {
                return Err(corrupt());
            };
            explained.factors.push(TierFactor {
                rules,
                factor: factor.to_owned(),
                effect: effect.to_owned(),
                points: match points {
                    "-" => None,
                    points => Some(points.parse().map_err(|_| corrupt())?),
                },
                counted: match counted {
                    "counted" => true,
                    "not counted" => false,
                    _ => return Err(corrupt()),
                },
            });
        }
        Ok(explained)
    }
}

/// Keeps a text to one line without the field separator, so a stored line always parses.
fn clean(text: &str) -> String {
    text.replace(['\n', '\r'], " ").replace('|', "/")
}

// ---------------------------------------------------------------------------------------------
// Computing and storing.

#[derive(Insertable)]
#[diesel(table_name = predictor_scores)]
struct ScoreRow {
    event_id: String,
    predictor: &'static str,
    person_id: String,
    one_year: Option<i32>,
    two_year: Option<i32>,
    band: Option<&'static str>,
    inputs: String,
    explanation: String,
    error: Option<String>,
    rule_version: &'static str,
    computed_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = tier_results)]
struct TierRow {
    person_id: String,
    legacy_tier: &'static str,
    protect_points: i32,
    change_points: Option<i32>,
    single_tier: Option<&'static str>,
    single_status: &'static str,
    single_provisional: bool,
    explanation: String,
    rule_version: String,
    computed_at: NaiveDateTime,
}

/// Everyone on the record, in a stable order: what a full recomputation (`keepsafe recompute`)
/// walks through, a batch per transaction.
pub fn everyone(conn: &mut AnyConnection) -> StorageResult<Vec<Uuid>> {
    people::table
        .select(people::id)
        .order(people::id)
        .load::<String>(conn)?
        .iter()
        .map(|id| rows::id(id))
        .collect()
}

/// Computes OGRS3 for every active event and the tiers of each of these people from what their
/// records hold on `today`, replacing what was stored for them. Returns how many people were
/// found and recomputed.
///
/// A fixed number of queries per 500 people, whatever their records hold. Call it inside the
/// caller's [`crate::transaction::write`], in the same transaction as the change that made the
/// recomputation necessary; it opens no transaction of its own.
pub fn recompute(
    conn: &mut AnyConnection,
    person_ids: &[Uuid],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> StorageResult<usize> {
    let computed_at = now.naive_utc();
    let ids: Vec<String> = person_ids.iter().map(Uuid::to_string).collect();
    let mut recomputed = 0;
    for chunk in ids.chunks(PEOPLE_PER_QUERY) {
        let people = load_facts(conn, chunk, today)?;
        let mut scores = Vec::new();
        let mut tiers = Vec::with_capacity(people.len());
        for person in &people {
            let (person_scores, tier) = compute(person, today, computed_at)?;
            scores.extend(person_scores);
            tiers.push(tier);
        }

        diesel::delete(predictor_scores::table.filter(predictor_scores::person_id.eq_any(chunk)))
            .execute(conn)?;
        diesel::delete(tier_results::table.filter(tier_results::person_id.eq_any(chunk)))
            .execute(conn)?;
        for rows in scores.chunks(ROWS_PER_INSERT) {
            insert_rows!(conn, predictor_scores::table, rows)?;
        }
        for rows in tiers.chunks(ROWS_PER_INSERT) {
            insert_rows!(conn, tier_results::table, rows)?;
        }
        recomputed += people.len();
    }
    Ok(recomputed)
}

/// What the rules need to know about one person, gathered from their record.
struct PersonFacts {
    id: String,
    sex: Sex,
    date_of_birth: NaiveDate,
    age_at_first_sanction: Option<i32>,
    /// Every event, active or not, most recent first.
    events: Vec<EventFacts>,
    /// Active requirements of active events.
    requirements: Vec<RequirementKind>,
    /// Active registrations, oldest first.
    registrations: Vec<ActiveRegistration>,
    /// The completed needs assessment, valid or expired.
    needs: Option<InForce>,
    /// The level of the completed RoSH assessment in force, and when it was completed.
    rosh: Option<(RoshLevel, Option<NaiveDateTime>)>,
    /// Breach actions and recalls that count for the women's factor, as a person reads them
    /// ("breach action opened on 3 March 2026 on event 2"), most recent last.
    breaches_or_recalls: Vec<(NaiveDate, String)>,
    /// The current score of each predictor recorded from an external assessment.
    predictors: Vec<PredictorEntry>,
}

struct ActiveRegistration {
    kind: RegistrationKind,
    mappa_category: Option<MappaCategory>,
    mappa_level: Option<MappaLevel>,
    registered_on: NaiveDate,
}

struct EventFacts {
    id: String,
    number: i32,
    offence_category: OffenceCategory,
    conviction_date: NaiveDate,
    sentence_type: SentenceType,
    case_type: CaseType,
    sentence_date: Option<NaiveDate>,
    release_date: Option<NaiveDate>,
    active: bool,
    sanctions_before: Option<i32>,
}

type EventFactsRow = (
    String,
    String,
    i32,
    String,
    NaiveDate,
    String,
    String,
    Option<NaiveDate>,
    Option<NaiveDate>,
    bool,
    Option<i32>,
);

/// Ten queries for up to [`PEOPLE_PER_QUERY`] people.
fn load_facts(
    conn: &mut AnyConnection,
    ids: &[String],
    today: NaiveDate,
) -> StorageResult<Vec<PersonFacts>> {
    let mut people: Vec<PersonFacts> = people::table
        .filter(people::id.eq_any(ids))
        .order(people::id.asc())
        .select((
            people::id,
            people::sex,
            people::date_of_birth,
            people::age_at_first_sanction,
        ))
        .load::<(String, String, NaiveDate, Option<i32>)>(conn)?
        .into_iter()
        .map(|(id, sex, date_of_birth, age_at_first_sanction)| {
            Ok(PersonFacts {
                id,
                sex: rows::code(&sex)?,
                date_of_birth,
                age_at_first_sanction,
                events: Vec::new(),
                requirements: Vec::new(),
                registrations: Vec::new(),
                needs: None,
                rosh: None,
                breaches_or_recalls: Vec::new(),
                predictors: Vec::new(),
            })
        })
        .collect::<StorageResult<_>>()?;
    let index: HashMap<String, usize> = people
        .iter()
        .enumerate()
        .map(|(at, person)| (person.id.clone(), at))
        .collect();
    let person_of = |id: &str| index.get(id).copied();

    let event_rows = events::table
        .filter(events::person_id.eq_any(ids))
        .order((events::person_id.asc(), events::event_number.desc()))
        .select((
            events::id,
            events::person_id,
            events::event_number,
            events::offence_category,
            events::conviction_date,
            events::sentence_type,
            events::case_type,
            events::sentence_date,
            events::release_date,
            events::active,
            events::sanctions_before,
        ))
        .load::<EventFactsRow>(conn)?;
    for (
        id,
        person,
        number,
        category,
        conviction_date,
        sentence_type,
        case_type,
        sentence_date,
        release_date,
        active,
        sanctions_before,
    ) in event_rows
    {
        let Some(at) = person_of(&person) else {
            continue;
        };
        people[at].events.push(EventFacts {
            id,
            number,
            offence_category: rows::code(&category)?,
            conviction_date,
            sentence_type: rows::code(&sentence_type)?,
            case_type: rows::code(&case_type)?,
            sentence_date,
            release_date,
            active,
            sanctions_before,
        });
    }

    // Whether the event is active is checked here, not in SQL: given both, SQLite chose the index
    // on events.active and scanned every active event in the nation for each batch of people
    // (0.35 s a batch at national size instead of 0.01 s).
    let requirement_rows = requirements::table
        .inner_join(events::table)
        .filter(events::person_id.eq_any(ids))
        .filter(requirements::active.eq(true))
        .select((events::person_id, requirements::kind, events::active))
        .load::<(String, String, bool)>(conn)?;
    let active_requirements = requirement_rows
        .into_iter()
        .filter(|(_, _, event_active)| *event_active);
    for (person, kind, _) in active_requirements {
        if let Some(at) = person_of(&person) {
            people[at].requirements.push(rows::code(&kind)?);
        }
    }

    let registration_rows = registrations::table
        .filter(registrations::person_id.eq_any(ids))
        .filter(
            registrations::ended_on
                .is_null()
                .or(registrations::ended_on.gt(today)),
        )
        .order((
            registrations::person_id.asc(),
            registrations::registered_on.asc(),
            registrations::kind.asc(),
        ))
        .select((
            registrations::person_id,
            registrations::kind,
            registrations::mappa_category,
            registrations::mappa_level,
            registrations::registered_on,
        ))
        .load::<(String, String, Option<String>, Option<String>, NaiveDate)>(conn)?;
    for (person, kind, category, level, registered_on) in registration_rows {
        if let Some(at) = person_of(&person) {
            people[at].registrations.push(ActiveRegistration {
                kind: rows::code(&kind)?,
                mappa_category: rows::opt_code(category.as_deref())?,
                mappa_level: rows::opt_code(level.as_deref())?,
                registered_on,
            });
        }
    }

    for (person, needs) in needs_assessments::completed_for(conn, ids)? {
        if let Some(at) = person_of(&person) {
            people[at].needs = Some(needs);
        }
    }

    let rosh_rows = rosh_assessments::table
        .filter(rosh_assessments::person_id.eq_any(ids))
        .filter(rosh_assessments::status.eq(AssessmentStatus::Completed.code()))
        .select((
            rosh_assessments::person_id,
            rosh_assessments::case_level,
            rosh_assessments::completed_at,
        ))
        .load::<(String, Option<String>, Option<NaiveDateTime>)>(conn)?;
    for (person, level, completed_at) in rosh_rows {
        if let (Some(at), Some(level)) = (person_of(&person), level) {
            people[at].rosh = Some((rows::code(&level)?, completed_at));
        }
    }

    load_breaches_and_recalls(conn, ids, &mut people, &index)?;
    for (person, current) in predictors::current_for(conn, ids)? {
        if let Some(at) = person_of(&person) {
            people[at].predictors = current;
        }
    }
    Ok(people)
}

/// Which breach actions and recalls count as "breach or recall" for the women's factor: those on
/// an event still active, so the current order. A breach action counts from the day it is opened
/// whatever its stage (keepsafe cannot withdraw one: it ends only with a court outcome); a recall
/// only once decided ("recalled"), since one being considered, declined or decided against was
/// never a recall. Records on no event, or on an event that has ended, do not count.
fn load_breaches_and_recalls(
    conn: &mut AnyConnection,
    ids: &[String],
    people: &mut [PersonFacts],
    index: &HashMap<String, usize>,
) -> StorageResult<()> {
    let breach_rows = breach_actions::table
        .filter(breach_actions::person_id.eq_any(ids))
        .select((
            breach_actions::person_id,
            breach_actions::event_id,
            breach_actions::opened_on,
        ))
        .load::<(String, Option<String>, NaiveDate)>(conn)?;
    let recall_rows = recalls::table
        .filter(recalls::person_id.eq_any(ids))
        .filter(recalls::status.eq(RecallStatus::Recalled.code()))
        .select((
            recalls::person_id,
            recalls::event_id,
            recalls::opened_on,
            recalls::recall_date,
        ))
        .load::<(String, Option<String>, NaiveDate, Option<NaiveDate>)>(conn)?;
    let breaches = breach_rows
        .into_iter()
        .map(|(person, event, opened_on)| (person, event, opened_on, "breach action opened"));
    let recalled = recall_rows
        .into_iter()
        .map(|(person, event, opened_on, recalled_on)| {
            (person, event, recalled_on.unwrap_or(opened_on), "recalled")
        });
    for (person, event, on, what) in breaches.chain(recalled) {
        let Some(person) = index.get(&person).map(|at| &mut people[*at]) else {
            continue;
        };
        let Some(event) = person
            .events
            .iter()
            .find(|e| e.active && Some(&e.id) == event.as_ref())
        else {
            continue;
        };
        let text = format!("{what} on {} on event {}", long_date(on), event.number);
        person.breaches_or_recalls.push((on, text));
    }
    for person in people.iter_mut() {
        person.breaches_or_recalls.sort();
    }
    Ok(())
}

/// OGRS3 rows for a person's active events and their tier row.
fn compute(
    person: &PersonFacts,
    today: NaiveDate,
    computed_at: NaiveDateTime,
) -> StorageResult<(Vec<ScoreRow>, TierRow)> {
    let mut scores = Vec::new();
    // The main event is the most recent active one (events are most recent first); its OGRS3
    // feeds the legacy change level.
    let mut main_event: Option<(i32, Result<u8, String>)> = None;
    for event in person.events.iter().filter(|event| event.active) {
        let scored = score_ogrs3(person, event, today);
        if main_event.is_none() {
            let two_year = match &scored.result {
                Ok(score) => Ok(score.two_year),
                Err(error) => Err(error.clone()),
            };
            scores.extend(ogp_row(person, event, &two_year, today, computed_at));
            main_event = Some((event.number, two_year));
        }
        scores.push(scored.into_row(person, event, computed_at));
    }
    let tier = tier_row(person, main_event, today, computed_at)?;
    Ok((scores, tier))
}

/// OGRS3 for one event, or what stops it being computed.
struct ScoredEvent {
    inputs: Vec<String>,
    notes: Vec<String>,
    result: Result<Ogrs3Score, String>,
}

impl ScoredEvent {
    fn into_row(self, person: &PersonFacts, event: &EventFacts, at: NaiveDateTime) -> ScoreRow {
        let mut explanation = self.notes;
        let (one_year, two_year, band, error) = match self.result {
            Ok(score) => {
                explanation.extend(
                    score
                        .explanation
                        .to_string()
                        .lines()
                        .filter(|line| *line != ogrs3::RULE_VERSION)
                        .map(str::to_owned),
                );
                explanation.push(format!(
                    "Reported: one year {}%, two years {}% (each probability rounded to 5 \
                     decimal places, then to a whole percentage half-up, kept within 1–99)",
                    score.one_year, score.two_year
                ));
                explanation.push(format!(
                    "Band: {} (from the two-year percentage: low 0–49, medium 50–74, high \
                     75–89, very high 90 or more)",
                    score.band
                ));
                (
                    Some(i32::from(score.one_year)),
                    Some(i32::from(score.two_year)),
                    Some(score.band.code()),
                    None,
                )
            }
            Err(error) => (None, None, None, Some(error)),
        };
        ScoreRow {
            event_id: event.id.clone(),
            predictor: OGRS3,
            person_id: person.id.clone(),
            one_year,
            two_year,
            band,
            inputs: self.inputs.join("\n"),
            explanation: explanation.join("\n"),
            error,
            rule_version: ogrs3::RULE_VERSION,
            computed_at: at,
        }
    }
}

fn long_date(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

fn score_ogrs3(person: &PersonFacts, event: &EventFacts, today: NaiveDate) -> ScoredEvent {
    let FollowupStart {
        date: start,
        basis,
        note,
    } = ogrs3::followup_start(
        event.case_type,
        event.conviction_date,
        event.sentence_date,
        event.release_date,
        today,
    );
    let mut inputs = vec![
        format!("Sex: {}", person.sex),
        format!("Date of birth: {}", long_date(person.date_of_birth)),
        format!("Conviction date: {}", long_date(event.conviction_date)),
        format!("Start of follow-up: {} ({basis})", long_date(start)),
    ];
    inputs.push(match event.sanctions_before {
        Some(before) => format!(
            "Total sanctions: {} ({before} before this conviction, and this one)",
            i64::from(before) + 1
        ),
        None => "Total sanctions: not recorded (sanctions before this conviction)".to_owned(),
    });
    inputs.push(match person.age_at_first_sanction {
        Some(age) => format!("Age at first sanction: {age}"),
        None => "Age at first sanction: not recorded".to_owned(),
    });
    inputs.push(format!("Offence category: {}", event.offence_category));

    let result = ogrs3_inputs(person, event, start).and_then(|inputs| {
        ogrs3(&inputs).map_err(|error| format!("Correct the record to compute OGRS3: {error}"))
    });
    ScoredEvent {
        inputs,
        notes: note.into_iter().collect(),
        result,
    }
}

/// The domain's inputs, or what to record first.
fn ogrs3_inputs(
    person: &PersonFacts,
    event: &EventFacts,
    followup_start_date: NaiveDate,
) -> Result<Ogrs3Inputs, String> {
    let (age_at_first_sanction, sanctions_before) =
        match (person.age_at_first_sanction, event.sanctions_before) {
            (Some(age), Some(before)) => (age, before),
            (None, Some(_)) => {
                return Err("Record the age at first sanction to compute OGRS3".into())
            }
            (Some(_), None) => {
                return Err(
                    "Record the number of sanctions before this conviction to compute OGRS3".into(),
                )
            }
            (None, None) => {
                return Err(
                    "Record the age at first sanction and the number of sanctions \
                            before this conviction to compute OGRS3"
                        .into(),
                )
            }
        };
    let age_at_first_sanction = u32::try_from(age_at_first_sanction).map_err(|_| {
        format!(
            "Correct the age at first sanction ({age_at_first_sanction}) to compute OGRS3: it \
             cannot be negative"
        )
    })?;
    let total_sanctions = u32::try_from(sanctions_before)
        .ok()
        .and_then(|before| before.checked_add(1))
        .ok_or_else(|| {
            format!(
                "Correct the number of sanctions before this conviction ({sanctions_before}) to \
                 compute OGRS3: it cannot be negative"
            )
        })?;
    Ok(Ogrs3Inputs {
        sex: person.sex,
        date_of_birth: person.date_of_birth,
        conviction_date: event.conviction_date,
        followup_start_date,
        total_sanctions,
        age_at_first_sanction,
        offence_category: event.offence_category,
    })
}

fn tier_row(
    person: &PersonFacts,
    main_event: Option<(i32, Result<u8, String>)>,
    today: NaiveDate,
    computed_at: NaiveDateTime,
) -> StorageResult<TierRow> {
    let active: Vec<&EventFacts> = person.events.iter().filter(|e| e.active).collect();
    let kinds: Vec<RegistrationKind> = person.registrations.iter().map(|r| r.kind).collect();
    // Registrations are oldest first, so the last one found is the latest.
    let latest_mappa = person
        .registrations
        .iter()
        .rfind(|r| r.kind == RegistrationKind::Mappa);
    let mappa_with_level = person
        .registrations
        .iter()
        .rfind(|r| r.kind == RegistrationKind::Mappa && r.mappa_level.is_some());
    let mappa_level = mappa_with_level.and_then(|r| r.mappa_level);
    let mappa_category = latest_mappa.and_then(|r| r.mappa_category);
    let iom_nominal = kinds.contains(&RegistrationKind::IntegratedOffenderManagement);
    let custodial = active.iter().find(|e| e.sentence_type.is_custodial());
    let change_requirement = person
        .requirements
        .iter()
        .copied()
        .find(|kind| kind.gives_mandate_for_change());
    let breach = person.breaches_or_recalls.last();
    let needs = valid_needs(person, today);
    let ogrs_percent = main_event
        .as_ref()
        .and_then(|(_, two_year)| two_year.as_ref().ok().copied());
    let life = active.iter().find(|e| {
        matches!(
            e.sentence_type,
            SentenceType::Life | SentenceType::ImprisonmentForPublicProtection
        )
    });

    let recorded = recorded_predictor_inputs(person, today);
    let mut notes = Vec::new();
    notes.push(match person.rosh {
        Some((level, Some(completed))) => format!(
            "RoSH: {level}, from the RoSH assessment completed on {}, the one in force",
            long_date(completed.date())
        ),
        Some((level, None)) => {
            format!("RoSH: {level}, from the completed RoSH assessment in force")
        }
        None => "RoSH: no completed RoSH assessment, so RoSH gives no points".to_owned(),
    });
    if let Some(registration) = mappa_with_level {
        notes.push(format!(
            "MAPPA: level {} (legacy tier), from the latest MAPPA registration with a level, \
             registered on {}",
            registration.mappa_level.map_or("", |level| level.code()),
            long_date(registration.registered_on)
        ));
    }
    notes.push(match latest_mappa {
        Some(ActiveRegistration {
            mappa_category: Some(category),
            registered_on,
            ..
        }) => format!(
            "MAPPA: {} (single tier), from the latest MAPPA registration, registered on {}",
            category.label().to_lowercase(),
            long_date(*registered_on)
        ),
        Some(registration) => format!(
            "MAPPA: the latest MAPPA registration (registered on {}) has no category, so the \
             single tier reads RoSH without MAPPA",
            long_date(registration.registered_on)
        ),
        None => "MAPPA: no active MAPPA registration, so the single tier reads RoSH without \
                 MAPPA"
            .to_owned(),
    });
    notes.push(match (custodial, change_requirement) {
        (Some(event), _) => format!(
            "Mandate for change: yes, a custodial sentence ({}, event {})",
            event.sentence_type, event.number
        ),
        (None, Some(kind)) => format!("Mandate for change: yes, an active {kind} requirement"),
        (None, None) => "Mandate for change: none, no custodial sentence and no active \
                         requirement other than unpaid work, curfew, exclusion or prohibited \
                         activity"
            .to_owned(),
    });
    notes.push(match &main_event {
        Some((number, Ok(two_year))) => format!(
            "OGRS: {two_year}% (two-year OGRS3 of event {number}, the most recent active event); \
             it counts only with a valid needs assessment"
        ),
        Some((number, Err(error))) => {
            format!("OGRS: not available for event {number}, the most recent active event: {error}")
        }
        None => "OGRS: no active event to score".to_owned(),
    });
    if iom_nominal {
        notes.push(
            "Integrated offender management: an active IOM registration makes them a nominal"
                .to_owned(),
        );
    }
    notes.push(match breach {
        Some((_, what)) => format!("Breach or recall: yes, {what} (a women's factor)"),
        None => "Breach or recall: none on a current event".to_owned(),
    });
    notes.extend(needs_notes(person, today));
    if let Some(event) = life {
        notes.push(match event.release_date {
            Some(released) => format!(
                "Life or IPP sentence: event {}, release date {}",
                event.number,
                long_date(released)
            ),
            None => format!(
                "Life or IPP sentence: event {} has no release date recorded, and the rule reads \
                 the release date, so it gives no tier",
                event.number
            ),
        });
    }

    notes.extend(recorded.notes.iter().cloned());

    let rosh = person.rosh.map(|(level, _)| level);
    let legacy = LegacyTier::compute(&LegacyTierInputs {
        rsr_percent: recorded.rsr_percent,
        rosh,
        mappa_level,
        registrations: kinds.clone(),
        sex: person.sex,
        breach_or_recall: breach.is_some(),
        unsupervised: false,
        change: ChangeInputs {
            has_mandate_for_change: legacy::has_mandate_for_change(
                custodial.is_some(),
                person.requirements.iter().copied(),
            ),
            needs_assessment: needs.map(CompletedNeeds::for_tiering),
            ogrs_percent,
            iom_nominal,
        },
    })
    .map_err(|error| StorageError::Corrupt(format!("tier inputs for {}: {error}", person.id)))?;

    let single = SingleTier::compute(&SingleTierInputs {
        has_active_event: active
            .iter()
            .any(|e| e.sentence_type != SentenceType::AwaitingSentence),
        arp_percent: recorded.arp_percent,
        csrp_percent: recorded.csrp_percent,
        arp_type: recorded.arp_type,
        csrp_type: recorded.csrp_type,
        sexual_predictor: recorded.sexual_predictor,
        mappa_category,
        rosh,
        life_or_ipp: life.and_then(|e| e.release_date).map(|released| LifeOrIpp {
            released_within: ReleaseRecency::on(released, today),
        }),
        registrations: kinds,
        any_sexual_offence_ever: person.events.iter().any(|e| e.offence_category.is_sexual()),
    })
    .map_err(|error| StorageError::Corrupt(format!("tier inputs for {}: {error}", person.id)))?;

    let mut explanation: Vec<String> = legacy
        .contributions
        .iter()
        .map(|c| Explanation::factor_line(TierRules::Legacy, c))
        .collect();
    let (single_tier, single_status, provisional) = match &single {
        SingleTierOutcome::Tiered(tiered) => {
            explanation.extend(
                tiered
                    .contributions
                    .iter()
                    .map(|c| Explanation::factor_line(TierRules::Single, c)),
            );
            (Some(tiered.tier.code()), TIERED, tiered.provisional)
        }
        SingleTierOutcome::NotSupervised => (None, NOT_SUPERVISED, false),
        SingleTierOutcome::Missing { reason } => {
            explanation.push(Explanation::note_line("missing", &reason.to_string()));
            (None, MISSING, false)
        }
    };
    explanation.extend(
        notes
            .iter()
            .map(|note| Explanation::note_line("note", note)),
    );

    Ok(TierRow {
        person_id: person.id.clone(),
        legacy_tier: legacy.code().code(),
        protect_points: legacy.protect_points,
        change_points: legacy.change_points,
        single_tier,
        single_status,
        single_provisional: provisional,
        explanation: explanation.join("\n"),
        rule_version: rule_versions(),
        computed_at,
    })
}

// ---------------------------------------------------------------------------------------------
// What the needs assessment gives the tiers and OGP.

/// The person's completed needs assessment if it is valid for tiering on `today`.
fn valid_needs(person: &PersonFacts, today: NaiveDate) -> Option<&CompletedNeeds> {
    person
        .needs
        .as_ref()
        .filter(|n| n.completed_on <= today)
        .filter(|n| {
            matches!(
                NeedsRules::validity(n.valid_until, today),
                Validity::Valid { .. }
            )
        })
        .map(|n| &n.needs)
}

/// Where the change level's needs and the women's factors came from, or why they are missing.
fn needs_notes(person: &PersonFacts, today: NaiveDate) -> Vec<String> {
    let mut notes = Vec::new();
    let valid = valid_needs(person, today);
    notes.push(match (&person.needs, valid) {
        (Some(n), Some(_)) => format!(
            "Needs assessment: completed on {}, valid for tiering until {}",
            long_date(n.completed_on),
            long_date(n.valid_until)
        ),
        (Some(n), None) => format!(
            "Needs assessment: the last one, completed on {}, expired on {}, so the change level \
             is 2 until a new one is completed",
            long_date(n.completed_on),
            long_date(n.valid_until.succ_opt().unwrap_or(n.valid_until))
        ),
        (None, _) => "Needs assessment: none completed, so the change level is 2".to_owned(),
    });
    if person.sex == Sex::Female {
        notes.push(match valid {
            Some(needs) => format!(
                "Women's factors: from the needs assessment, parenting responsibilities {}, \
                 impulsivity or temper control problems {}",
                if needs.parenting_responsibilities() {
                    "yes"
                } else {
                    "no"
                },
                if needs.impulsivity_or_temper() {
                    "yes"
                } else {
                    "no"
                }
            ),
            None => "Women's factors: parenting responsibilities and impulsivity or temper \
                     control problems are needs-assessment answers, and there is no valid needs \
                     assessment, so they are not counted"
                .to_owned(),
        });
    }
    notes
}

/// OGP for the main event when a valid needs assessment exists: the score, or why OGRS3 (which
/// it reads) is missing. No row without a valid needs assessment; the OGP page says so.
fn ogp_row(
    person: &PersonFacts,
    event: &EventFacts,
    ogrs3_two_year: &Result<u8, String>,
    today: NaiveDate,
    computed_at: NaiveDateTime,
) -> Option<ScoreRow> {
    let needs = valid_needs(person, today)?;
    let in_force = person.needs.as_ref()?;
    let mut inputs = vec![format!(
        "Needs assessment: completed on {}",
        long_date(in_force.completed_on)
    )];
    let (one_year, two_year, band, explanation, error) = match ogrs3_two_year {
        Ok(percent) => {
            inputs.insert(
                0,
                format!("OGRS3 two-year: {percent}% (event {})", event.number),
            );
            match ogp::ogp(&needs.ogp_inputs(*percent)) {
                Ok(score) => {
                    let mut lines: Vec<String> = score
                        .explanation
                        .to_string()
                        .lines()
                        .map(str::to_owned)
                        .collect();
                    lines.push(format!(
                        "Reported: one year {}%, two years {}% (each probability rounded to 5 \
                         decimal places, then to a whole percentage half-up, kept within 1–99)",
                        score.one_year, score.two_year
                    ));
                    lines.push(format!(
                        "Band: {} (from the two-year percentage: low 1–33, medium 34–66, high \
                         67–84, very high 85–99)",
                        score.band
                    ));
                    (
                        Some(i32::from(score.one_year)),
                        Some(i32::from(score.two_year)),
                        Some(score.band.code()),
                        lines,
                        None,
                    )
                }
                Err(error) => (None, None, None, Vec::new(), Some(error.to_string())),
            }
        }
        Err(error) => (
            None,
            None,
            None,
            Vec::new(),
            Some(format!("OGP reads OGRS3, which is not available: {error}")),
        ),
    };
    Some(ScoreRow {
        event_id: event.id.clone(),
        predictor: OGP,
        person_id: person.id.clone(),
        one_year,
        two_year,
        band,
        inputs: inputs.join("\n"),
        explanation: explanation.join("\n"),
        error,
        rule_version: ogp::RULE_VERSION,
        computed_at,
    })
}

/// The person's stored OGP, if one was computed (a valid needs assessment exists).
pub fn ogp_for_person(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<Option<EventScore>> {
    Ok(stored_scores(conn, &person_id.to_string(), OGP)?
        .into_iter()
        .next())
}

/// One predictor's stored scores for a person, most recent event first.
fn stored_scores(
    conn: &mut AnyConnection,
    person_id: &str,
    predictor: &str,
) -> StorageResult<Vec<EventScore>> {
    predictor_scores::table
        .inner_join(events::table)
        .filter(predictor_scores::person_id.eq(person_id))
        .filter(predictor_scores::predictor.eq(predictor))
        .order(events::event_number.desc())
        .select((
            predictor_scores::event_id,
            events::event_number,
            events::offence_description,
            predictor_scores::one_year,
            predictor_scores::two_year,
            predictor_scores::band,
            predictor_scores::error,
            predictor_scores::inputs,
            predictor_scores::explanation,
            predictor_scores::rule_version,
            predictor_scores::computed_at,
        ))
        .load::<StoredScore>(conn)?
        .into_iter()
        .map(event_score)
        .collect()
}

/// What the tiers read from the person's recorded predictors (RSR for the legacy protect points;
/// ARP, CSRP, whether each is static, and the direct-contact sexual predictor for the single
/// tier), with a note on each saying where it came from and whether it is stale.
struct RecordedInputs {
    rsr_percent: Option<f64>,
    arp_percent: Option<f64>,
    csrp_percent: Option<f64>,
    arp_type: Option<PredictorType>,
    csrp_type: Option<PredictorType>,
    sexual_predictor: Option<keepsafe_domain::tiering::SexualPredictor>,
    notes: Vec<String>,
}

fn recorded_predictor_inputs(person: &PersonFacts, today: NaiveDate) -> RecordedInputs {
    let rules = keepsafe_domain::predictors::recorded::PredictorRules::default();
    let recorded = predictors::tier_inputs(&person.predictors, &rules, today);
    let inputs = recorded.inputs;
    RecordedInputs {
        rsr_percent: inputs.rsr_percent,
        arp_percent: inputs.arp.map(|(percent, _)| percent),
        csrp_percent: inputs.csrp.map(|(percent, _)| percent),
        arp_type: inputs.arp.map(|(_, basis)| basis),
        csrp_type: inputs.csrp.map(|(_, basis)| basis),
        sexual_predictor: inputs.sexual_predictor,
        notes: recorded.notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tier_explanation_reads_back_as_written() {
        let lines = [
            Explanation::factor_line(
                TierRules::Legacy,
                &Contribution {
                    factor: "RoSH: High".into(),
                    points: Some(20),
                    effect: "20 protect points".into(),
                    counted: true,
                },
            ),
            Explanation::factor_line(
                TierRules::Single,
                &Contribution {
                    factor: "Odd | factor\nwith a newline".into(),
                    points: None,
                    effect: "gives no tier".into(),
                    counted: false,
                },
            ),
            Explanation::note_line("missing", "Record the ARP"),
            Explanation::note_line("note", "RoSH: High"),
        ];
        let parsed = Explanation::parse(&lines.join("\n")).unwrap();
        assert_eq!(
            parsed.factors,
            [
                TierFactor {
                    rules: TierRules::Legacy,
                    factor: "RoSH: High".into(),
                    effect: "20 protect points".into(),
                    points: Some(20),
                    counted: true,
                },
                TierFactor {
                    rules: TierRules::Single,
                    factor: "Odd / factor with a newline".into(),
                    effect: "gives no tier".into(),
                    points: None,
                    counted: false,
                },
            ]
        );
        assert_eq!(parsed.missing.as_deref(), Some("Record the ARP"));
        assert_eq!(parsed.notes, ["RoSH: High"]);
    }
}
