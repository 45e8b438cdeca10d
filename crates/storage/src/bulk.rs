//! Bulk writes: rows of plain data (ids, codes, texts, dates) inserted many to a statement, for
//! loading a whole region at once (the demo region is the one caller today). The application's own
//! repository functions write one action at a time, each with its audit row; these write no audit
//! rows and decide nothing: the caller has built rows the application itself would have written.
//!
//! Call inside [`crate::transaction::write`], parents before children (organisation, staff,
//! people, what hangs off a person, checks and assessments, what hangs off an assessment, review
//! tasks, then workload and quality history), and finish with [`record_derived`].

use crate::batch::copy_rows;
use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::schema::*;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::quality::Action;
use uuid::Uuid;

/// Rows per INSERT: well inside SQLite's and PostgreSQL's bound-parameter limits. The chunked
/// functions split longer slices themselves; a caller reporting progress can pass slices of this
/// many rows.
pub const CHUNK: usize = 400;

/// Weeks of workload snapshot history [`record_derived`] records, this week included.
pub const SNAPSHOT_WEEKS: u64 = 8;

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = regions)]
pub struct RegionRow {
    pub id: String,
    pub code: String,
    pub name: String,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = pdus)]
pub struct PduRow {
    pub id: String,
    pub region_id: String,
    pub code: String,
    pub name: String,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = teams)]
pub struct TeamRow {
    pub id: String,
    pub pdu_id: String,
    pub code: String,
    pub name: String,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = partner_organisations)]
pub struct PartnerOrganisationRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub region_id: String,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = staff)]
pub struct StaffRow {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub grade: &'static str,
    pub contracted_hours: f64,
    pub region_id: String,
    pub pdu_id: Option<String>,
    pub team_id: Option<String>,
    pub username: Option<String>,
    pub password_hash: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub partner_organisation_id: Option<String>,
    pub partner_role: Option<&'static str>,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = people)]
pub struct PersonRow {
    pub id: String,
    pub crn: String,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: &'static str,
    pub pdu_id: String,
    pub created_at: NaiveDateTime,
    pub age_at_first_sanction: Option<i32>,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = addresses)]
pub struct AddressRow {
    pub id: String,
    pub person_id: String,
    pub line1: String,
    pub line2: Option<String>,
    pub town: String,
    pub postcode: String,
    pub status: &'static str,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = household_members)]
pub struct HouseholdRow {
    pub id: String,
    pub person_id: String,
    pub first_name: String,
    pub last_name: String,
    pub relationship: &'static str,
    pub date_of_birth: Option<NaiveDate>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub id: String,
    pub person_id: String,
    pub event_number: i32,
    pub offence_description: String,
    pub offence_category: &'static str,
    pub offence_date: NaiveDate,
    pub conviction_date: NaiveDate,
    pub court: String,
    pub sentence_type: &'static str,
    pub case_type: &'static str,
    pub sentence_date: Option<NaiveDate>,
    pub sentence_length_months: Option<i32>,
    pub release_date: Option<NaiveDate>,
    pub expected_end_date: Option<NaiveDate>,
    pub active: bool,
    pub sanctions_before: Option<i32>,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = requirements)]
pub struct RequirementRow {
    pub id: String,
    pub event_id: String,
    pub kind: &'static str,
    pub length: Option<i32>,
    pub detail: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub active: bool,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = registrations)]
pub struct RegistrationRow {
    pub id: String,
    pub person_id: String,
    pub kind: &'static str,
    pub mappa_category: Option<&'static str>,
    pub mappa_level: Option<&'static str>,
    pub registered_on: NaiveDate,
    pub next_review_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub notes: String,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = contacts)]
pub struct ContactRow {
    pub id: String,
    pub person_id: String,
    pub event_id: Option<String>,
    pub contact_type: &'static str,
    pub starts_at: NaiveDateTime,
    pub location: String,
    pub outcome: Option<&'static str>,
    pub notes: String,
    pub staff_id: Option<String>,
    pub ends_at: Option<NaiveDateTime>,
    pub location_kind: &'static str,
    pub judgement: Option<&'static str>,
    pub status: &'static str,
    pub enforceable: bool,
    /// For a failure waiting for evidence: when the judgement becomes due.
    pub evidence_due_on: Option<NaiveDate>,
}

/// A document of a case generated from the record (a warning letter, a breach report, a recall
/// recommendation or decision), its text kept as it was made.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = case_documents)]
pub struct CaseDocumentRow {
    pub id: String,
    pub person_id: String,
    pub kind: &'static str,
    pub title: String,
    pub body: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

/// A warning letter for an unacceptable failure.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = enforcement_warnings)]
pub struct WarningRow {
    pub id: String,
    pub person_id: String,
    pub event_id: Option<String>,
    pub contact_id: String,
    pub status: &'static str,
    pub due_on: NaiveDate,
    pub sent_on: Option<NaiveDate>,
    pub sent_by: Option<String>,
    pub document_id: Option<String>,
    pub created_at: NaiveDateTime,
}

/// Breach action on a community or suspended sentence order.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = breach_actions)]
pub struct BreachRow {
    pub id: String,
    pub person_id: String,
    pub event_id: Option<String>,
    pub contact_id: String,
    pub status: &'static str,
    pub opened_on: NaiveDate,
    pub due_on: NaiveDate,
    pub proposal: Option<String>,
    pub report_document_id: Option<String>,
    pub reported_on: Option<NaiveDate>,
    pub court_outcome: Option<String>,
    pub court_outcome_on: Option<NaiveDate>,
    pub court_outcome_notes: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_by: Option<String>,
}

/// A recall of a licence case, at any point of its workflow.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = recalls)]
pub struct RecallRow {
    pub id: String,
    pub person_id: String,
    pub event_id: Option<String>,
    pub contact_id: Option<String>,
    pub status: &'static str,
    pub opened_on: NaiveDate,
    pub opened_reason: String,
    pub reasons: Option<String>,
    pub alternatives_tried: Option<String>,
    pub current_risk: Option<String>,
    pub recall_type: Option<&'static str>,
    pub emergency: bool,
    pub recommended_by: Option<String>,
    pub recommended_at: Option<NaiveDateTime>,
    pub recommendation_document_id: Option<String>,
    pub senior_decision: Option<&'static str>,
    pub senior_by: Option<String>,
    pub senior_at: Option<NaiveDateTime>,
    pub senior_reason: Option<String>,
    pub head_decision: Option<&'static str>,
    pub head_by: Option<String>,
    pub head_at: Option<NaiveDateTime>,
    pub head_reason: Option<String>,
    pub recall_date: Option<NaiveDate>,
    pub decision_document_id: Option<String>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

/// A practitioner's private calendar feed address.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = calendar_feeds)]
pub struct CalendarFeedRow {
    pub token: String,
    pub staff_id: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

/// How a person wants appointment reminders, with their consent.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = reminder_preferences)]
pub struct ReminderPreferenceRow {
    pub person_id: String,
    pub channel: &'static str,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub consent_on: Option<NaiveDate>,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = allocations)]
pub struct AllocationRow {
    pub id: String,
    pub person_id: String,
    pub staff_id: String,
    pub team_id: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub reason: String,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = check_requests)]
pub struct CheckRow {
    pub id: String,
    pub person_id: String,
    pub kind: &'static str,
    pub address_id: Option<String>,
    pub address_description: String,
    pub requested_on: NaiveDate,
    pub deadline: NaiveDate,
    pub deadline_rule: String,
    pub requested_by: String,
    pub response_received_on: Option<NaiveDate>,
    pub response_known_to_agency: Option<bool>,
    pub response_summary: Option<String>,
    pub response_recorded_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub partner_organisation_id: Option<String>,
    pub status: Option<&'static str>,
    pub closed_on: Option<NaiveDate>,
    pub responded_by: Option<String>,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = rosh_assessments)]
pub struct AssessmentRow {
    pub id: String,
    pub person_id: String,
    pub status: &'static str,
    pub version: i32,
    pub case_type: &'static str,
    pub nature_of_harm: String,
    pub who_is_at_risk: String,
    pub imminence: String,
    pub increasing_factors: String,
    pub reducing_factors: String,
    pub case_level: Option<&'static str>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
    pub completed_by: Option<String>,
    pub completed_at: Option<NaiveDateTime>,
    pub countersigned_by: Option<String>,
    pub countersigned_at: Option<NaiveDateTime>,
    pub superseded_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = rosh_levels)]
pub struct LevelRow {
    pub assessment_id: String,
    pub risk_group: &'static str,
    pub level: &'static str,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = rosh_considerations)]
pub struct ConsiderationRow {
    pub assessment_id: String,
    pub subject_id: String,
    pub note: String,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = rosh_check_references)]
pub struct CheckReferenceRow {
    pub assessment_id: String,
    pub check_id: String,
    pub note: String,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = review_tasks)]
pub struct ReviewTaskRow {
    pub id: String,
    pub person_id: String,
    pub trigger_kind: &'static str,
    pub occurred_on: NaiveDate,
    pub details: String,
    pub due_on: NaiveDate,
    pub rule_version: String,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub completed_on: Option<NaiveDate>,
    pub completed_by_assessment: Option<String>,
}

/// A MAPPA meeting, as `mappa::meetings::record` writes one (`agencies`: comma-separated codes,
/// as `mappa::meetings::agency_codes` gives them).
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = mappa_meetings)]
pub struct MappaMeetingRow {
    pub id: String,
    pub registration_id: String,
    pub person_id: String,
    pub held_on: NaiveDate,
    pub category: &'static str,
    pub level: &'static str,
    pub chair: String,
    pub agencies: String,
    pub decisions: String,
    pub next_meeting_on: NaiveDate,
    pub rule_version: String,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

/// A conviction after supervision began, as `reoffending::convictions::record` writes one.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = reconvictions)]
pub struct ReconvictionRow {
    pub id: String,
    pub person_id: String,
    pub event_id: String,
    pub offence: String,
    pub offence_category: &'static str,
    pub offence_on: NaiveDate,
    pub convicted_on: NaiveDate,
    pub court: String,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

/// A predictor score recorded from an external assessment, as `risk::predictors::record`
/// writes one: the value columns its predictor uses, the others `None`.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = recorded_predictors)]
pub struct RecordedPredictorRow {
    pub id: String,
    pub person_id: String,
    pub predictor: &'static str,
    pub percent: Option<f64>,
    pub basis: Option<&'static str>,
    pub band: Option<&'static str>,
    pub score: Option<f64>,
    pub points: Option<i32>,
    pub source: &'static str,
    pub source_other: Option<String>,
    pub assessed_on: NaiveDate,
    pub entered_by: String,
    pub entered_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = needs_assessments)]
pub struct NeedsAssessmentRow {
    pub id: String,
    pub person_id: String,
    pub status: &'static str,
    pub version: i32,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_by: Option<String>,
    pub updated_at: NaiveDateTime,
    pub completed_by: Option<String>,
    pub completed_at: Option<NaiveDateTime>,
    pub completed_on: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub rule_version: Option<String>,
    pub superseded_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = needs_sections)]
pub struct NeedsSectionRow {
    pub assessment_id: String,
    pub section: &'static str,
    pub evidence: String,
    pub severity: Option<&'static str>,
    pub linked_to_harm: Option<bool>,
    pub linked_to_reoffending: Option<bool>,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = needs_answers)]
pub struct NeedsAnswerRow {
    pub assessment_id: String,
    pub question: &'static str,
    pub answer: i32,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = staff_reductions, treat_none_as_null = true)]
pub struct ReductionRow {
    pub id: String,
    pub staff_id: String,
    pub kind: &'static str,
    pub hours: f64,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
    pub reason: String,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = court_reports, treat_none_as_null = true)]
pub struct CourtReportRow {
    pub id: String,
    pub person_id: String,
    pub staff_id: String,
    pub kind: &'static str,
    pub requested_on: NaiveDate,
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = management_oversight)]
pub struct OversightRow {
    pub id: String,
    pub person_id: String,
    pub kind: &'static str,
    pub recorded_on: NaiveDate,
    pub note: String,
    pub recorded_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = quality_audits, treat_none_as_null = true)]
pub struct AuditRow {
    pub id: String,
    pub framework: String,
    pub person_id: String,
    pub team_id: Option<String>,
    pub pdu_id: String,
    pub moderates: Option<String>,
    pub audited_on: NaiveDate,
    pub auditor_id: String,
    pub auditor_name: String,
    pub entered_by: &'static str,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = quality_audit_answers, treat_none_as_null = true)]
pub struct AuditAnswerRow {
    pub audit_id: String,
    pub question: String,
    pub answer: &'static str,
    pub reason: Option<String>,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = quality_judgements)]
pub struct JudgementRow {
    pub id: String,
    pub framework: String,
    pub scope_kind: &'static str,
    pub scope_id: String,
    pub standard: String,
    pub kind: &'static str,
    pub rating: &'static str,
    pub reason: String,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = quality_recommendations, treat_none_as_null = true)]
pub struct RecommendationRow {
    pub id: String,
    pub scope_kind: &'static str,
    pub scope_id: String,
    pub framework: String,
    pub standard: Option<String>,
    pub text: String,
    pub made_by: String,
    pub made_on: NaiveDate,
    pub recorded_by: String,
    pub created_at: NaiveDateTime,
}

/// An action of a recommendation's plan, in any status (a loaded plan may be under way).
pub struct ActionRow {
    pub id: Uuid,
    pub recommendation_id: Uuid,
    pub action: Action,
    pub updated_by: Uuid,
    pub updated_at: DateTime<Utc>,
}

/// A recommendation with its action plan.
pub struct PlannedRecommendation {
    pub recommendation: RecommendationRow,
    pub actions: Vec<ActionRow>,
}

/// Pages SQLite may hold in memory during a bulk load (in KiB, as `cache_size` takes a negative
/// number): enough for a national load's tables and indexes (about 4 GB), so no page is spilled
/// and re-read mid-load. SQLite allocates the cache as it fills, so a small load uses little.
const BULK_LOAD_CACHE_KIB: i64 = 8 << 20;

/// SQLite's default page cache, restored after a bulk load.
const DEFAULT_CACHE_KIB: i64 = 2_000;

/// Runs `load` (which opens its own transaction) with this connection readied for writing a great
/// many rows, then restores it. On SQLite: a page cache of [`BULK_LOAD_CACHE_KIB`], statement
/// journals in memory, and foreign keys not checked row by row — the rows come from a generator
/// whose consistency its own tests specify, and each check is a random read of a parent index.
/// PostgreSQL needs nothing: its loads go through `COPY`.
pub fn with_bulk_load_settings<T>(
    conn: &mut AnyConnection,
    load: impl FnOnce(&mut AnyConnection) -> StorageResult<T>,
) -> StorageResult<T> {
    let sqlite = matches!(conn, AnyConnection::Sqlite(_));
    if sqlite {
        set_pragmas(conn, BULK_LOAD_CACHE_KIB, "MEMORY", "OFF")?;
    }
    let loaded = load(conn);
    if sqlite {
        set_pragmas(conn, DEFAULT_CACHE_KIB, "DEFAULT", "ON")?;
    }
    loaded
}

fn set_pragmas(
    conn: &mut AnyConnection,
    cache_kib: i64,
    temp_store: &str,
    foreign_keys: &str,
) -> StorageResult<()> {
    for pragma in [
        format!("PRAGMA cache_size = -{cache_kib}"),
        format!("PRAGMA temp_store = {temp_store}"),
        format!("PRAGMA foreign_keys = {foreign_keys}"),
    ] {
        diesel::sql_query(pragma).execute(conn)?;
    }
    Ok(())
}

/// Rows of each table SQLite's ANALYZE samples: enough for the planner to tell a selective index
/// from a poor one, quick on a national database.
const SQLITE_ANALYSIS_LIMIT: u32 = 1_000;

/// Refreshes the query planner's statistics after a bulk load. Without them PostgreSQL picks
/// poor indexes on freshly loaded tables (a national case record took 80 ms instead of about
/// 1 ms) until autovacuum gets round to them. Call after the load's transaction has committed.
pub fn analyse(conn: &mut AnyConnection) -> StorageResult<()> {
    match conn {
        AnyConnection::Sqlite(_) => {
            diesel::sql_query(format!("PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}"))
                .execute(conn)?;
            diesel::sql_query("ANALYZE").execute(conn)?;
        }
        AnyConnection::Postgresql(_) => {
            diesel::sql_query("ANALYZE").execute(conn)?;
        }
    }
    Ok(())
}

/// The region: one row.
pub fn insert_region(conn: &mut AnyConnection, row: &RegionRow) -> StorageResult<()> {
    diesel::insert_into(regions::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// One INSERT per row, as there are few.
macro_rules! one_by_one {
    ($(#[$doc:meta])* $name:ident, $row:ty, $table:path) => {
        $(#[$doc])*
        pub fn $name(conn: &mut AnyConnection, rows: &[$row]) -> StorageResult<()> {
            for row in rows {
                diesel::insert_into($table).values(row).execute(conn)?;
            }
            Ok(())
        }
    };
}

/// All the rows at once: COPY on PostgreSQL, multi-row INSERTs of at most [`CHUNK`] rows each on
/// SQLite.
macro_rules! chunked {
    ($(#[$doc:meta])* $name:ident, $row:ty, $table:path) => {
        $(#[$doc])*
        pub fn $name(conn: &mut AnyConnection, rows: &[$row]) -> StorageResult<()> {
            if !rows.is_empty() {
                copy_rows!(conn, $table, rows, CHUNK)?;
            }
            Ok(())
        }
    };
}

one_by_one!(
    /// The region's probation delivery units.
    insert_pdus,
    PduRow,
    pdus::table
);
one_by_one!(
    /// The PDUs' teams.
    insert_teams,
    TeamRow,
    teams::table
);
one_by_one!(
    /// Partner organisations (police forces, local authorities).
    insert_partner_organisations,
    PartnerOrganisationRow,
    partner_organisations::table
);
chunked!(
    /// Staff, with their accounts and any partner organisation.
    insert_staff,
    StaffRow,
    staff::table
);
chunked!(
    /// People on probation.
    insert_people,
    PersonRow,
    people::table
);
chunked!(
    /// People's addresses.
    insert_addresses,
    AddressRow,
    addresses::table
);
chunked!(
    /// People's household members.
    insert_household_members,
    HouseholdRow,
    household_members::table
);
chunked!(
    /// Events (convictions and their sentences).
    insert_events,
    EventRow,
    events::table
);
chunked!(
    /// The events' requirements.
    insert_requirements,
    RequirementRow,
    requirements::table
);
chunked!(
    /// Registrations (flags such as MAPPA or child concerns).
    insert_registrations,
    RegistrationRow,
    registrations::table
);
chunked!(
    /// Contacts.
    insert_contacts,
    ContactRow,
    contacts::table
);
chunked!(
    /// Generated documents of cases (warning letters, breach reports, recall documents).
    insert_case_documents,
    CaseDocumentRow,
    case_documents::table
);
chunked!(
    /// Warning letters.
    insert_warnings,
    WarningRow,
    enforcement_warnings::table
);
chunked!(
    /// Breach actions.
    insert_breaches,
    BreachRow,
    breach_actions::table
);
chunked!(
    /// Recalls.
    insert_recalls,
    RecallRow,
    recalls::table
);
chunked!(
    /// Practitioners' calendar feeds.
    insert_calendar_feeds,
    CalendarFeedRow,
    calendar_feeds::table
);
chunked!(
    /// People's reminder preferences.
    insert_reminder_preferences,
    ReminderPreferenceRow,
    reminder_preferences::table
);
chunked!(
    /// Allocations of people to practitioners.
    insert_allocations,
    AllocationRow,
    allocations::table
);
chunked!(
    /// Check requests, with any response.
    insert_checks,
    CheckRow,
    check_requests::table
);
chunked!(
    /// RoSH assessments.
    insert_assessments,
    AssessmentRow,
    rosh_assessments::table
);
chunked!(
    /// The assessments' RoSH levels.
    insert_levels,
    LevelRow,
    rosh_levels::table
);
chunked!(
    /// The assessments' considerations of household members and others.
    insert_considerations,
    ConsiderationRow,
    rosh_considerations::table
);
chunked!(
    /// The assessments' references to checks.
    insert_check_references,
    CheckReferenceRow,
    rosh_check_references::table
);
chunked!(
    /// Review tasks.
    insert_review_tasks,
    ReviewTaskRow,
    review_tasks::table
);
chunked!(
    /// Needs assessments.
    insert_needs_assessments,
    NeedsAssessmentRow,
    needs_assessments::table
);
chunked!(
    /// The needs assessments' sections.
    insert_needs_sections,
    NeedsSectionRow,
    needs_sections::table
);
chunked!(
    /// The needs assessments' answers.
    insert_needs_answers,
    NeedsAnswerRow,
    needs_answers::table
);
chunked!(
    /// Predictor scores recorded from external assessments.
    insert_recorded_predictors,
    RecordedPredictorRow,
    recorded_predictors::table
);
chunked!(
    /// MAPPA meetings.
    insert_mappa_meetings,
    MappaMeetingRow,
    mappa_meetings::table
);
chunked!(
    /// Convictions after supervision began.
    insert_reconvictions,
    ReconvictionRow,
    reconvictions::table
);
chunked!(
    /// Reductions of practitioners' available hours.
    insert_reductions,
    ReductionRow,
    staff_reductions::table
);
chunked!(
    /// Court and parole reports being written.
    insert_court_reports,
    CourtReportRow,
    court_reports::table
);
chunked!(
    /// Management oversight records.
    insert_oversight,
    OversightRow,
    management_oversight::table
);
chunked!(
    /// Case audits and moderations.
    insert_audits,
    AuditRow,
    quality_audits::table
);
chunked!(
    /// The audits' answers.
    insert_audit_answers,
    AuditAnswerRow,
    quality_audit_answers::table
);
one_by_one!(
    /// Ratings panel decisions.
    insert_judgements,
    JudgementRow,
    quality_judgements::table
);

/// Inspection recommendations, each followed by its action plan.
pub fn insert_recommendations(
    conn: &mut AnyConnection,
    recommendations: &[PlannedRecommendation],
) -> StorageResult<()> {
    for planned in recommendations {
        diesel::insert_into(quality_recommendations::table)
            .values(&planned.recommendation)
            .execute(conn)?;
        for action in &planned.actions {
            crate::quality::plans::insert_action(
                conn,
                action.id,
                action.recommendation_id,
                &action.action,
                action.updated_by,
                action.updated_at,
            )?;
        }
    }
    Ok(())
}

/// What the application records from what was written, so a loaded region shows it: the scores
/// and tiers of `people` (the tiers read the RoSH levels of the assessments in force), so they
/// show with their working rather than "Not assessed"; [`SNAPSHOT_WEEKS`] weeks of workload
/// snapshots, measured from the allocations each week (the same as `keepsafe workload snapshot
/// --week`), so trends and the excessive-workload rule have history; and this week's automated
/// quality ratings, so the automated source's trend starts today.
pub fn record_derived(
    conn: &mut AnyConnection,
    people: &[Uuid],
    now: DateTime<Utc>,
) -> StorageResult<()> {
    crate::risk::scores::recompute(conn, people, now.date_naive(), now)?;
    record_snapshot_history(conn, now)?;
    crate::quality::snapshots::record_all(
        conn,
        now.date_naive(),
        &keepsafe_domain::quality::IndicatorRules::default(),
    )?;
    Ok(())
}

fn record_snapshot_history(conn: &mut AnyConnection, now: DateTime<Utc>) -> StorageResult<()> {
    let today = now.date_naive();
    let this_week = crate::workload::week_start(today);
    for weeks_back in (0..SNAPSHOT_WEEKS).rev() {
        let week = this_week - chrono::Days::new(7 * weeks_back);
        let measured_on = crate::workload::measurement_day(week, today);
        if crate::workload::weights_on(measured_on).is_err() {
            continue;
        }
        let practitioners = crate::workload::for_all(conn, measured_on)?;
        crate::workload::record_snapshots(conn, &practitioners, week, now)?;
    }
    Ok(())
}

/// A sentence plan (migration 000022), as `storage::plans::write` would have left it.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = sentence_plans)]
pub struct SentencePlanRow {
    pub id: String,
    pub person_id: String,
    pub status: &'static str,
    pub version: i32,
    pub starts_on: NaiveDate,
    pub persons_words: String,
    pub agreement: Option<&'static str>,
    pub disagreement_reason: String,
    pub case_level: Option<&'static str>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<NaiveDateTime>,
    pub countersigned_by: Option<String>,
    pub countersigned_at: Option<NaiveDateTime>,
    pub activated_on: Option<NaiveDate>,
    pub superseded_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = plan_objectives)]
pub struct PlanObjectiveRow {
    pub id: String,
    pub plan_id: String,
    pub person_id: String,
    pub position: i32,
    pub description: String,
    pub progress: &'static str,
    pub progress_note: String,
    pub progress_updated_by: Option<String>,
    pub progress_updated_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = plan_objective_links)]
pub struct PlanObjectiveLinkRow {
    pub objective_id: String,
    pub person_id: String,
    pub kind: &'static str,
    pub code: &'static str,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = plan_actions)]
pub struct PlanActionRow {
    pub id: String,
    pub objective_id: String,
    pub person_id: String,
    pub position: i32,
    pub kind: &'static str,
    pub what: String,
    pub owner: &'static str,
    pub provider: String,
    pub due_on: NaiveDate,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = plan_reviews)]
pub struct PlanReviewRow {
    pub id: String,
    pub plan_id: String,
    pub person_id: String,
    pub reviewed_on: NaiveDate,
    pub reason: &'static str,
    pub note: String,
    pub reviewed_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = plan_review_tasks)]
pub struct PlanReviewTaskRow {
    pub id: String,
    pub plan_id: String,
    pub person_id: String,
    pub reason: &'static str,
    pub details: String,
    pub occurred_on: NaiveDate,
    pub due_on: NaiveDate,
    pub rule_version: String,
    pub created_at: NaiveDateTime,
    pub completed_on: Option<NaiveDate>,
    pub completed_by_review: Option<String>,
}

chunked!(
    /// Sentence plans.
    insert_sentence_plans,
    SentencePlanRow,
    sentence_plans::table
);
chunked!(
    /// The plans' objectives.
    insert_plan_objectives,
    PlanObjectiveRow,
    plan_objectives::table
);
chunked!(
    /// What each objective addresses.
    insert_plan_objective_links,
    PlanObjectiveLinkRow,
    plan_objective_links::table
);
chunked!(
    /// The objectives' actions.
    insert_plan_actions,
    PlanActionRow,
    plan_actions::table
);
chunked!(
    /// Reviews of plans.
    insert_plan_reviews,
    PlanReviewRow,
    plan_reviews::table
);
chunked!(
    /// Plan review tasks.
    insert_plan_review_tasks,
    PlanReviewTaskRow,
    plan_review_tasks::table
);

/// The prison's dates for a custody event (migration 000026), as `storage::licences::prerelease`
/// records them.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = custody_key_dates)]
pub struct CustodyKeyDatesRow {
    pub event_id: String,
    pub person_id: String,
    pub release_date: Option<NaiveDate>,
    pub hdc_eligibility_date: Option<NaiveDate>,
    pub licence_end_date: Option<NaiveDate>,
    pub sentence_end_date: Option<NaiveDate>,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

/// A handover or release-day task.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = licence_tasks)]
pub struct LicenceTaskRow {
    pub id: String,
    pub person_id: String,
    pub event_id: String,
    pub kind: &'static str,
    pub visible_from: NaiveDate,
    pub due_on: NaiveDate,
    pub rule_version: String,
    pub completed_on: Option<NaiveDate>,
    pub completed_by: Option<String>,
    pub created_at: NaiveDateTime,
}

/// A licence.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = licences)]
pub struct LicenceRow {
    pub id: String,
    pub person_id: String,
    pub event_id: String,
    pub released_on: Option<NaiveDate>,
    pub licence_end_date: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

/// A version of a licence.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = licence_versions)]
pub struct LicenceVersionRow {
    pub id: String,
    pub licence_id: String,
    pub person_id: String,
    pub number: i32,
    pub kind: &'static str,
    pub status: &'static str,
    pub variation_reason: String,
    pub changes: String,
    pub lock: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub approved_by: Option<String>,
    pub approved_at: Option<NaiveDateTime>,
}

/// A condition of a licence version.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = licence_conditions)]
pub struct LicenceConditionRow {
    pub id: String,
    pub version_id: String,
    pub person_id: String,
    pub position: i32,
    pub catalogue_code: Option<String>,
    pub kind: &'static str,
    pub wording: String,
    pub curfew_from: Option<String>,
    pub curfew_to: Option<String>,
    pub details: String,
    pub victim_requested: bool,
    pub requested_by_vlo_name: Option<String>,
    pub requested_by_vlo: Option<String>,
}

chunked!(
    /// The prison's dates for custody events.
    insert_custody_key_dates,
    CustodyKeyDatesRow,
    custody_key_dates::table
);
chunked!(
    /// Handover and release-day tasks.
    insert_licence_tasks,
    LicenceTaskRow,
    licence_tasks::table
);
chunked!(
    /// Licences.
    insert_licences,
    LicenceRow,
    licences::table
);
chunked!(
    /// Licence versions.
    insert_licence_versions,
    LicenceVersionRow,
    licence_versions::table
);
chunked!(
    /// Licence conditions.
    insert_licence_conditions,
    LicenceConditionRow,
    licence_conditions::table
);

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = courts)]
pub struct CourtRow {
    pub id: String,
    pub pdu_id: String,
    pub code: String,
    pub name: String,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = court_hearings)]
pub struct CourtHearingRow {
    pub id: String,
    pub court_id: String,
    pub hearing_on: NaiveDate,
    pub person_id: String,
    pub event_id: String,
    pub matched_by: &'static str,
    pub offence: String,
    pub added_by: String,
    pub added_at: NaiveDateTime,
    pub sentence_type: Option<&'static str>,
    pub sentence_length_months: Option<i32>,
    pub sentenced_on: Option<NaiveDate>,
    pub sentence_recorded_by: Option<String>,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = pre_sentence_reports)]
pub struct PreSentenceReportRow {
    pub id: String,
    pub hearing_id: String,
    pub person_id: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub requested_on: NaiveDate,
    pub due_on: NaiveDate,
    pub rule_version: String,
    pub author_id: String,
    pub sources: String,
    pub offence_analysis: String,
    pub risk_analysis: String,
    pub checks_analysis: String,
    pub needs_analysis: String,
    pub proposed_sentence: Option<&'static str>,
    pub proposed_requirements: String,
    pub justification: String,
    pub workload_report_id: Option<String>,
    pub completed_on: Option<NaiveDate>,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = court_adjournments)]
pub struct CourtAdjournmentRow {
    pub id: String,
    pub report_id: String,
    pub asked_on: NaiveDate,
    pub reason: String,
    pub outcome: Option<&'static str>,
    pub new_hearing_on: Option<NaiveDate>,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

chunked!(
    /// The courts each PDU covers.
    insert_courts,
    CourtRow,
    courts::table
);
chunked!(
    /// Hearings on the courts' lists.
    insert_court_hearings,
    CourtHearingRow,
    court_hearings::table
);
chunked!(
    /// Pre-sentence reports.
    insert_pre_sentence_reports,
    PreSentenceReportRow,
    pre_sentence_reports::table
);
chunked!(
    /// Requests to adjourn.
    insert_court_adjournments,
    CourtAdjournmentRow,
    court_adjournments::table
);

// The statutory victim contact scheme (migration 24), as `storage::victims` writes it.

/// A case's referral to the victim contact service.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = victim_referrals)]
pub struct VictimReferralRow {
    pub person_id: String,
    pub hospital_order: bool,
    pub made_on: Option<NaiveDate>,
    pub made_by: Option<String>,
    pub declined_on: Option<NaiveDate>,
    pub declined_reason: Option<String>,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
}

/// A victim known to victim liaison.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = victims)]
pub struct VictimRow {
    pub id: String,
    pub person_id: String,
    pub name: String,
    pub address: String,
    pub postcode: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub role: &'static str,
    pub opted_in: Option<bool>,
    pub decided_on: Option<NaiveDate>,
    pub liaison_officer: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A contact with a victim at a stage, due or made.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = victim_contacts)]
pub struct VictimContactRow {
    pub id: String,
    pub victim_id: String,
    pub person_id: String,
    pub stage: &'static str,
    pub stage_on: NaiveDate,
    pub due_on: NaiveDate,
    pub triggered: bool,
    pub contacted_on: Option<NaiveDate>,
    pub notes: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

/// A victim's views.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = victim_views)]
pub struct VictimViewRow {
    pub id: String,
    pub victim_id: String,
    pub given_on: NaiveDate,
    pub words: String,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

/// A licence condition a victim asks for.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = victim_conditions)]
pub struct VictimConditionRow {
    pub id: String,
    pub victim_id: String,
    pub person_id: String,
    pub kind: &'static str,
    pub details: String,
    pub reason: String,
    pub status: &'static str,
    pub status_reason: String,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

chunked!(
    /// Referrals to the victim contact service.
    insert_victim_referrals,
    VictimReferralRow,
    victim_referrals::table
);
chunked!(
    /// Victims known to victim liaison.
    insert_victims,
    VictimRow,
    victims::table
);
chunked!(
    /// Contacts with victims.
    insert_victim_contacts,
    VictimContactRow,
    victim_contacts::table
);
chunked!(
    /// Victims' views.
    insert_victim_views,
    VictimViewRow,
    victim_views::table
);
chunked!(
    /// Licence conditions victims ask for.
    insert_victim_conditions,
    VictimConditionRow,
    victim_conditions::table
);

/// A referral to a programme, as `programmes::referrals` keeps one after its steps.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = programme_referrals)]
pub struct ProgrammeReferralRow {
    pub id: String,
    pub person_id: String,
    pub requirement_id: Option<String>,
    pub programme_code: &'static str,
    pub status: &'static str,
    pub referred_on: NaiveDate,
    pub referred_by: String,
    pub notes: String,
    pub assessed_on: Option<NaiveDate>,
    pub suitability_reason: String,
    pub started_on: Option<NaiveDate>,
    pub cohort: Option<String>,
    pub ended_on: Option<NaiveDate>,
    pub non_completion_reason: Option<&'static str>,
    pub end_detail: String,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
}

chunked!(
    /// Referrals to programmes and interventions.
    insert_programme_referrals,
    ProgrammeReferralRow,
    programme_referrals::table
);

/// A serious further offence case, as `sfo::cases` keeps one through its steps (the demo's are
/// written whole, in whatever state they have reached).
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = crate::schema::sfo_cases)]
pub struct SfoCaseRow {
    pub id: String,
    pub person_id: String,
    pub offence: &'static str,
    pub committed_on: NaiveDate,
    pub charged_on: NaiveDate,
    pub known_on: NaiveDate,
    pub reference: String,
    pub supervision_ended_on: Option<NaiveDate>,
    pub reasons: String,
    pub notification_due: NaiveDate,
    pub rule_version: String,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
    pub notified_on: Option<NaiveDate>,
    pub notified_by: Option<String>,
    pub reviewer_id: Option<String>,
    pub reviewer_assigned_on: Option<NaiveDate>,
    pub review_started_on: Option<NaiveDate>,
    pub went_well: String,
    pub could_be_better: String,
    pub learning: String,
    pub completed_on: Option<NaiveDate>,
    pub completed_by: Option<String>,
    pub recommendation_id: Option<String>,
    pub updated_at: NaiveDateTime,
}

one_by_one!(
    /// Serious further offence cases (a handful a region: they are rare).
    insert_sfo_cases,
    SfoCaseRow,
    crate::schema::sfo_cases::table
);

// Unpaid work (migration 28, storage::unpaid_work).

/// An unpaid work project.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = upw_projects)]
pub struct UpwProjectRow {
    pub id: String,
    pub pdu_id: String,
    pub name: String,
    pub kind: &'static str,
    pub address: String,
    pub postcode: String,
    pub supervisor: String,
    pub capacity: i32,
    pub travel_credited: bool,
    pub ete_available: bool,
    pub active: bool,
    pub updated_by: Option<String>,
    pub updated_at: NaiveDateTime,
}

/// An unpaid work session of a project.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = upw_sessions)]
pub struct UpwSessionRow {
    pub id: String,
    pub project_id: String,
    pub pdu_id: String,
    pub session_date: NaiveDate,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub supervisor: String,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

/// A person allocated to a session, with the appointment (contact) made for it.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = upw_allocations)]
pub struct UpwAllocationRow {
    pub id: String,
    pub session_id: String,
    pub person_id: String,
    pub requirement_id: String,
    pub contact_id: String,
    pub session_date: NaiveDate,
    pub allocated_by: Option<String>,
    pub allocated_at: NaiveDateTime,
}

/// The attendance recorded for an allocation.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = upw_attendance)]
pub struct UpwAttendanceRow {
    pub allocation_id: String,
    pub person_id: String,
    pub requirement_id: String,
    pub session_date: NaiveDate,
    pub outcome: &'static str,
    pub quality: Option<&'static str>,
    pub behaviour: Option<&'static str>,
    pub worked_minutes: i32,
    pub travel_minutes: i32,
    pub ete_minutes: i32,
    pub notes: String,
    pub recorded_by: Option<String>,
    pub recorded_at: NaiveDateTime,
}

chunked!(
    /// Unpaid work projects.
    insert_upw_projects,
    UpwProjectRow,
    upw_projects::table
);
chunked!(
    /// Unpaid work sessions.
    insert_upw_sessions,
    UpwSessionRow,
    upw_sessions::table
);
chunked!(
    /// Unpaid work allocations.
    insert_upw_allocations,
    UpwAllocationRow,
    upw_allocations::table
);
chunked!(
    /// Unpaid work attendance.
    insert_upw_attendance,
    UpwAttendanceRow,
    upw_attendance::table
);

/// Links each unpaid work allocation's appointment to the allocation's requirement (the bulk
/// contact rows carry no requirement): one statement.
pub fn link_upw_contacts(conn: &mut AnyConnection) -> StorageResult<()> {
    diesel::sql_query(
        "UPDATE contacts SET requirement_id = (SELECT a.requirement_id FROM upw_allocations a WHERE a.contact_id = contacts.id) WHERE id IN (SELECT contact_id FROM upw_allocations)",
    )
    .execute(conn)?;
    Ok(())
}
