//! Writes a generated demo region in bulk: multi-row inserts in one transaction, so the default
//! region loads in seconds and a failure leaves nothing half-written.

use crate::batch::insert_rows;
use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::schema::*;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_demo::DemoRegion;
use keepsafe_domain::partner::RequestStatus;
use keepsafe_domain::CodedValue;
use std::collections::HashMap;

/// Rows per INSERT: well inside SQLite's and PostgreSQL's bound-parameter limits.
const CHUNK: usize = 400;

#[derive(Insertable)]
#[diesel(table_name = people)]
struct PersonRow {
    id: String,
    crn: String,
    first_name: String,
    last_name: String,
    date_of_birth: NaiveDate,
    sex: &'static str,
    pdu_id: String,
    created_at: NaiveDateTime,
    age_at_first_sanction: Option<i32>,
}

#[derive(Insertable)]
#[diesel(table_name = addresses)]
struct AddressRow {
    id: String,
    person_id: String,
    line1: String,
    line2: Option<String>,
    town: String,
    postcode: String,
    status: &'static str,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
}

#[derive(Insertable)]
#[diesel(table_name = household_members)]
struct HouseholdRow {
    id: String,
    person_id: String,
    first_name: String,
    last_name: String,
    relationship: &'static str,
    date_of_birth: Option<NaiveDate>,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
}

#[derive(Insertable)]
#[diesel(table_name = events)]
struct EventRow {
    id: String,
    person_id: String,
    event_number: i32,
    offence_description: String,
    offence_category: &'static str,
    offence_date: NaiveDate,
    conviction_date: NaiveDate,
    court: String,
    sentence_type: &'static str,
    case_type: &'static str,
    sentence_date: Option<NaiveDate>,
    sentence_length_months: Option<i32>,
    release_date: Option<NaiveDate>,
    expected_end_date: Option<NaiveDate>,
    active: bool,
    sanctions_before: Option<i32>,
}

#[derive(Insertable)]
#[diesel(table_name = requirements)]
struct RequirementRow {
    id: String,
    event_id: String,
    kind: &'static str,
    length: Option<i32>,
    detail: Option<String>,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
    active: bool,
}

#[derive(Insertable)]
#[diesel(table_name = registrations)]
struct RegistrationRow {
    id: String,
    person_id: String,
    kind: &'static str,
    mappa_category: Option<&'static str>,
    mappa_level: Option<&'static str>,
    registered_on: NaiveDate,
    next_review_on: Option<NaiveDate>,
    ended_on: Option<NaiveDate>,
    notes: String,
}

#[derive(Insertable)]
#[diesel(table_name = contacts)]
struct ContactRow {
    id: String,
    person_id: String,
    event_id: Option<String>,
    contact_type: &'static str,
    starts_at: NaiveDateTime,
    location: String,
    outcome: Option<&'static str>,
    notes: String,
    staff_id: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = allocations)]
struct AllocationRow {
    id: String,
    person_id: String,
    staff_id: String,
    team_id: String,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
    reason: String,
}

#[derive(Insertable)]
#[diesel(table_name = check_requests)]
struct CheckRow {
    id: String,
    person_id: String,
    kind: &'static str,
    address_id: Option<String>,
    address_description: String,
    requested_on: NaiveDate,
    deadline: NaiveDate,
    deadline_rule: String,
    requested_by: String,
    response_received_on: Option<NaiveDate>,
    response_known_to_agency: Option<bool>,
    response_summary: Option<String>,
    response_recorded_by: Option<String>,
    created_at: NaiveDateTime,
    partner_organisation_id: Option<String>,
    status: Option<&'static str>,
    closed_on: Option<NaiveDate>,
    responded_by: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = rosh_assessments)]
struct AssessmentRow {
    id: String,
    person_id: String,
    status: &'static str,
    version: i32,
    case_type: &'static str,
    nature_of_harm: String,
    who_is_at_risk: String,
    imminence: String,
    increasing_factors: String,
    reducing_factors: String,
    case_level: Option<&'static str>,
    created_by: String,
    created_at: NaiveDateTime,
    updated_by: String,
    updated_at: NaiveDateTime,
    completed_by: Option<String>,
    completed_at: Option<NaiveDateTime>,
    countersigned_by: Option<String>,
    countersigned_at: Option<NaiveDateTime>,
    superseded_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = rosh_levels)]
struct LevelRow {
    assessment_id: String,
    risk_group: &'static str,
    level: &'static str,
}

#[derive(Insertable)]
#[diesel(table_name = rosh_considerations)]
struct ConsiderationRow {
    assessment_id: String,
    subject_id: String,
    note: String,
}

#[derive(Insertable)]
#[diesel(table_name = rosh_check_references)]
struct CheckReferenceRow {
    assessment_id: String,
    check_id: String,
    note: String,
}

#[derive(Insertable)]
#[diesel(table_name = review_tasks)]
struct ReviewTaskRow {
    id: String,
    person_id: String,
    trigger_kind: &'static str,
    occurred_on: NaiveDate,
    details: String,
    due_on: NaiveDate,
    rule_version: String,
    created_by: Option<String>,
    created_at: NaiveDateTime,
    completed_on: Option<NaiveDate>,
    completed_by_assessment: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = staff)]
struct StaffRow {
    id: String,
    first_name: String,
    last_name: String,
    grade: &'static str,
    contracted_hours: f64,
    region_id: String,
    pdu_id: Option<String>,
    team_id: Option<String>,
    username: Option<String>,
    password_hash: Option<String>,
    active: bool,
    created_at: NaiveDateTime,
    partner_organisation_id: Option<String>,
    partner_role: Option<&'static str>,
}

/// How far the load has got: rows written so far and rows in all.
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

/// Counts of what was written, for the start-up message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoadSummary {
    pub pdus: usize,
    pub teams: usize,
    pub staff: usize,
    pub people: usize,
    pub rows: usize,
}

/// Writes the region. `password_hashes` maps demo usernames to their password hash; staff
/// without an entry get no password and cannot sign in. Call inside [`crate::transaction::write`].
pub fn load(
    conn: &mut AnyConnection,
    region: &DemoRegion,
    password_hashes: &HashMap<String, String>,
    now: DateTime<Utc>,
    progress: Progress<'_>,
) -> StorageResult<LoadSummary> {
    let rows = RegionRows::from_region(region, password_hashes, now.naive_utc());
    let total = rows.len();
    let mut written = 0usize;
    let mut step = |n: usize, progress: &mut dyn FnMut(usize, usize)| {
        written += n;
        progress(written, total);
    };

    diesel::insert_into(regions::table)
        .values((
            regions::id.eq(region.region.id.to_string()),
            regions::code.eq(&region.region.code),
            regions::name.eq(&region.region.name),
        ))
        .execute(conn)?;
    for pdu in &region.pdus {
        diesel::insert_into(pdus::table)
            .values((
                pdus::id.eq(pdu.id.to_string()),
                pdus::region_id.eq(pdu.region_id.to_string()),
                pdus::code.eq(&pdu.code),
                pdus::name.eq(&pdu.name),
            ))
            .execute(conn)?;
    }
    for team in &region.teams {
        diesel::insert_into(teams::table)
            .values((
                teams::id.eq(team.id.to_string()),
                teams::pdu_id.eq(team.pdu_id.to_string()),
                teams::code.eq(&team.code),
                teams::name.eq(&team.name),
            ))
            .execute(conn)?;
    }
    for partner in &region.partners {
        diesel::insert_into(partner_organisations::table)
            .values((
                partner_organisations::id.eq(partner.id.to_string()),
                partner_organisations::code.eq(&partner.code),
                partner_organisations::name.eq(&partner.name),
                partner_organisations::kind.eq(partner.kind.code()),
                partner_organisations::region_id.eq(region.region.id.to_string()),
                partner_organisations::created_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
    }
    step(1 + region.pdus.len() + region.teams.len(), progress);

    for chunk in rows.staff.chunks(CHUNK) {
        insert_rows!(conn, staff::table, chunk)?;
        step(chunk.len(), progress);
    }
    for chunk in rows.people.chunks(CHUNK) {
        insert_rows!(conn, people::table, chunk)?;
        step(chunk.len(), progress);
    }
    for chunk in rows.addresses.chunks(CHUNK) {
        insert_rows!(conn, addresses::table, chunk)?;
        step(chunk.len(), progress);
    }
    for chunk in rows.household.chunks(CHUNK) {
        insert_rows!(conn, household_members::table, chunk)?;
        step(chunk.len(), progress);
    }
    for chunk in rows.events.chunks(CHUNK) {
        insert_rows!(conn, events::table, chunk)?;
        step(chunk.len(), progress);
    }
    for chunk in rows.requirements.chunks(CHUNK) {
        insert_rows!(conn, requirements::table, chunk)?;
        step(chunk.len(), progress);
    }
    for chunk in rows.registrations.chunks(CHUNK) {
        insert_rows!(conn, registrations::table, chunk)?;
        step(chunk.len(), progress);
    }
    for chunk in rows.contacts.chunks(CHUNK) {
        insert_rows!(conn, contacts::table, chunk)?;
        step(chunk.len(), progress);
    }
    for chunk in rows.allocations.chunks(CHUNK) {
        insert_rows!(conn, allocations::table, chunk)?;
        step(chunk.len(), progress);
    }
    // Public-protection work, parents before children: checks and assessments, then what hangs
    // off an assessment, then the review tasks that name the assessment answering them.
    for chunk in rows.checks.chunks(CHUNK) {
        insert_rows!(conn, check_requests::table, chunk)?;
        step(chunk.len(), progress);
    }
    for chunk in rows.assessments.chunks(CHUNK) {
        insert_rows!(conn, rosh_assessments::table, chunk)?;
        step(chunk.len(), progress);
    }
    for chunk in rows.levels.chunks(CHUNK) {
        insert_rows!(conn, rosh_levels::table, chunk)?;
        step(chunk.len(), progress);
    }
    for chunk in rows.considerations.chunks(CHUNK) {
        insert_rows!(conn, rosh_considerations::table, chunk)?;
        step(chunk.len(), progress);
    }
    for chunk in rows.check_references.chunks(CHUNK) {
        insert_rows!(conn, rosh_check_references::table, chunk)?;
        step(chunk.len(), progress);
    }
    for chunk in rows.review_tasks.chunks(CHUNK) {
        insert_rows!(conn, review_tasks::table, chunk)?;
        step(chunk.len(), progress);
    }

    load_workload(conn, region, now)?;
    load_quality(conn, region, now)?;
    step(
        region.reductions.len() + region.court_reports.len(),
        progress,
    );

    // Scores and tiers computed from what was just written (the tiers read the RoSH levels of the
    // assessments in force), so the demo shows them with their working rather than "Not assessed".
    let person_ids: Vec<_> = region.people.iter().map(|person| person.id).collect();
    crate::risk_scores::recompute(conn, &person_ids, now.date_naive(), now)?;

    // Eight weeks of workload snapshots, measured from the allocations each week (the same as
    // `keepsafe workload snapshot --week`), so trends and the excessive-workload rule have history.
    record_snapshot_history(conn, now)?;
    // This week's automated quality ratings, so the automated source's trend starts today.
    crate::quality::snapshots::record_all(
        conn,
        now.date_naive(),
        &keepsafe_domain::quality::IndicatorRules::default(),
    )?;

    Ok(LoadSummary {
        pdus: region.pdus.len(),
        teams: region.teams.len(),
        staff: region.staff.len(),
        people: region.people.len(),
        rows: total,
    })
}

/// The quality history: oversight records, audits and their answers, panel judgements and the
/// action plan, in bulk.
fn load_quality(
    conn: &mut AnyConnection,
    region: &DemoRegion,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    use keepsafe_demo::{DemoDecision, DemoScope};
    let scope = |scope: DemoScope| match scope {
        DemoScope::Pdu(id) => ("pdu", id.to_string()),
        DemoScope::Region(id) => ("region", id.to_string()),
    };
    let oversight: Vec<_> = region
        .people
        .iter()
        .flat_map(|person| person.oversight.iter().map(move |o| (person.id, o)))
        .map(|(person, o)| {
            (
                management_oversight::id.eq(o.id.to_string()),
                management_oversight::person_id.eq(person.to_string()),
                management_oversight::kind.eq(o.kind.code()),
                management_oversight::recorded_on.eq(o.recorded_on),
                management_oversight::note.eq(o.note.clone()),
                management_oversight::recorded_by.eq(o.recorded_by.to_string()),
                management_oversight::created_at.eq(now.naive_utc()),
            )
        })
        .collect();
    for chunk in oversight.chunks(CHUNK) {
        insert_rows!(conn, management_oversight::table, chunk)?;
    }
    let quality = &region.quality;
    let audits: Vec<_> = quality
        .audits
        .iter()
        .enumerate()
        .map(|(n, a)| {
            let created = a.audited_on.and_hms_opt(9, 0, 0).expect("9am exists")
                + chrono::Duration::seconds(n as i64);
            (
                quality_audits::id.eq(a.id.to_string()),
                quality_audits::framework.eq(a.framework.clone()),
                quality_audits::person_id.eq(a.person_id.to_string()),
                quality_audits::team_id.eq(a.team_id.map(|t| t.to_string())),
                quality_audits::pdu_id.eq(a.pdu_id.to_string()),
                quality_audits::moderates.eq(a.moderates.map(|m| m.to_string())),
                quality_audits::audited_on.eq(a.audited_on),
                quality_audits::auditor_id.eq(a.auditor_id.to_string()),
                quality_audits::auditor_name.eq(a.auditor_name.clone()),
                quality_audits::entered_by.eq("form"),
                quality_audits::created_at.eq(created),
            )
        })
        .collect();
    for chunk in audits.chunks(CHUNK) {
        insert_rows!(conn, quality_audits::table, chunk)?;
    }
    let answers: Vec<_> = quality
        .audits
        .iter()
        .flat_map(|a| a.answers.iter().map(move |given| (a.id, given)))
        .map(|(audit, given)| {
            (
                quality_audit_answers::audit_id.eq(audit.to_string()),
                quality_audit_answers::question.eq(given.question.clone()),
                quality_audit_answers::answer.eq(given.answer.code()),
                quality_audit_answers::reason.eq(given.reason.clone()),
            )
        })
        .collect();
    for chunk in answers.chunks(CHUNK) {
        insert_rows!(conn, quality_audit_answers::table, chunk)?;
    }
    for (n, j) in quality.judgements.iter().enumerate() {
        let (kind, id) = scope(j.scope);
        diesel::insert_into(quality_judgements::table)
            .values((
                quality_judgements::id.eq(uuid::Uuid::new_v4().to_string()),
                quality_judgements::framework.eq(&j.framework),
                quality_judgements::scope_kind.eq(kind),
                quality_judgements::scope_id.eq(id),
                quality_judgements::standard.eq(&j.standard),
                quality_judgements::kind.eq(match j.decision {
                    DemoDecision::Judgement => "judgement",
                    DemoDecision::Departure => "departure",
                }),
                quality_judgements::rating.eq(j.rating.code()),
                quality_judgements::reason.eq(&j.reason),
                quality_judgements::recorded_by.eq(j.recorded_by.to_string()),
                quality_judgements::recorded_at.eq(j
                    .recorded_on
                    .and_hms_opt(10, 0, 0)
                    .expect("10am")
                    + chrono::Duration::seconds(n as i64)),
            ))
            .execute(conn)?;
    }
    for r in &quality.recommendations {
        let (kind, id) = scope(r.scope);
        diesel::insert_into(quality_recommendations::table)
            .values((
                quality_recommendations::id.eq(r.id.to_string()),
                quality_recommendations::scope_kind.eq(kind),
                quality_recommendations::scope_id.eq(id),
                quality_recommendations::framework.eq(&r.framework),
                quality_recommendations::standard.eq(&r.standard),
                quality_recommendations::text.eq(&r.text),
                quality_recommendations::made_by.eq(&r.made_by),
                quality_recommendations::made_on.eq(r.made_on),
                quality_recommendations::recorded_by.eq(r.recorded_by.to_string()),
                quality_recommendations::created_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
        for action in &r.actions {
            crate::quality::plans::insert_action(
                conn,
                action.id,
                r.id,
                &keepsafe_domain::quality::Action {
                    description: action.description.clone(),
                    owner: action.owner.clone(),
                    due: action.due,
                    status: action.status.clone(),
                },
                r.recorded_by,
                now,
            )?;
        }
    }
    Ok(())
}

/// Weeks of snapshot history the demo records, this week included.
pub const SNAPSHOT_WEEKS: u64 = 8;

fn load_workload(
    conn: &mut AnyConnection,
    region: &DemoRegion,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let at = now.naive_utc();
    let reductions: Vec<_> = region
        .reductions
        .iter()
        .map(|r| {
            (
                staff_reductions::id.eq(r.id.to_string()),
                staff_reductions::staff_id.eq(r.staff_id.to_string()),
                staff_reductions::kind.eq(r.kind.code()),
                staff_reductions::hours.eq(r.hours),
                staff_reductions::from_date.eq(r.from),
                staff_reductions::to_date.eq(r.to),
                staff_reductions::reason.eq(r.reason.as_str()),
                staff_reductions::created_by.eq(None::<String>),
                staff_reductions::created_at.eq(at),
            )
        })
        .collect();
    for chunk in reductions.chunks(CHUNK) {
        insert_rows!(conn, staff_reductions::table, chunk)?;
    }
    let reports: Vec<_> = region
        .court_reports
        .iter()
        .map(|r| {
            (
                court_reports::id.eq(r.id.to_string()),
                court_reports::person_id.eq(r.person_id.to_string()),
                court_reports::staff_id.eq(r.staff_id.to_string()),
                court_reports::kind.eq(r.kind.code()),
                court_reports::requested_on.eq(r.requested_on),
                court_reports::due_on.eq(r.due_on),
                court_reports::completed_on.eq(None::<NaiveDate>),
            )
        })
        .collect();
    for chunk in reports.chunks(CHUNK) {
        insert_rows!(conn, court_reports::table, chunk)?;
    }
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

/// The region flattened into table rows.
#[derive(Default)]
struct RegionRows {
    staff: Vec<StaffRow>,
    people: Vec<PersonRow>,
    addresses: Vec<AddressRow>,
    household: Vec<HouseholdRow>,
    events: Vec<EventRow>,
    requirements: Vec<RequirementRow>,
    registrations: Vec<RegistrationRow>,
    contacts: Vec<ContactRow>,
    allocations: Vec<AllocationRow>,
    checks: Vec<CheckRow>,
    assessments: Vec<AssessmentRow>,
    levels: Vec<LevelRow>,
    considerations: Vec<ConsiderationRow>,
    check_references: Vec<CheckReferenceRow>,
    review_tasks: Vec<ReviewTaskRow>,
    organisation: usize,
}

impl RegionRows {
    fn len(&self) -> usize {
        self.organisation
            + self.staff.len()
            + self.people.len()
            + self.addresses.len()
            + self.household.len()
            + self.events.len()
            + self.requirements.len()
            + self.registrations.len()
            + self.contacts.len()
            + self.allocations.len()
            + self.checks.len()
            + self.assessments.len()
            + self.levels.len()
            + self.considerations.len()
            + self.check_references.len()
            + self.review_tasks.len()
    }

    fn from_region(
        region: &DemoRegion,
        password_hashes: &HashMap<String, String>,
        now: NaiveDateTime,
    ) -> Self {
        let mut rows = RegionRows {
            organisation: 1 + region.pdus.len() + region.teams.len(),
            ..Default::default()
        };
        rows.staff = region
            .staff
            .iter()
            .map(|member| StaffRow {
                id: member.id.to_string(),
                first_name: member.first_name.clone(),
                last_name: member.last_name.clone(),
                grade: member.grade.code(),
                contracted_hours: member.contracted_hours,
                region_id: member.region_id.to_string(),
                pdu_id: member.pdu_id.map(|id| id.to_string()),
                team_id: member.team_id.map(|id| id.to_string()),
                password_hash: member
                    .username
                    .as_ref()
                    .and_then(|name| password_hashes.get(name).cloned()),
                username: member.username.clone(),
                active: true,
                created_at: now,
                partner_organisation_id: member.partner.map(|(id, _)| id.to_string()),
                partner_role: member.partner.map(|(_, role)| role.code()),
            })
            .collect();
        let partner_names: HashMap<uuid::Uuid, String> = region
            .partners
            .iter()
            .map(|p| (p.id, p.name.clone()))
            .collect();
        for person in &region.people {
            rows.add_person(person, &partner_names);
        }
        rows
    }

    fn add_person(
        &mut self,
        person: &keepsafe_demo::Person,
        partner_names: &HashMap<uuid::Uuid, String>,
    ) {
        let person_id = person.id.to_string();
        self.people.push(PersonRow {
            id: person_id.clone(),
            crn: person.crn.clone(),
            first_name: person.first_name.clone(),
            last_name: person.last_name.clone(),
            date_of_birth: person.date_of_birth,
            sex: person.sex.code(),
            pdu_id: person.pdu_id.to_string(),
            created_at: person.created_at,
            age_at_first_sanction: i32::try_from(person.age_at_first_sanction).ok(),
        });
        self.addresses
            .extend(person.addresses.iter().map(|a| AddressRow {
                id: a.id.to_string(),
                person_id: person_id.clone(),
                line1: a.line1.clone(),
                line2: a.line2.clone(),
                town: a.town.clone(),
                postcode: a.postcode.clone(),
                status: a.status.code(),
                start_date: a.start_date,
                end_date: a.end_date,
            }));
        self.household
            .extend(person.household.iter().map(|h| HouseholdRow {
                id: h.id.to_string(),
                person_id: person_id.clone(),
                first_name: h.first_name.clone(),
                last_name: h.last_name.clone(),
                relationship: h.relationship.code(),
                date_of_birth: h.date_of_birth,
                start_date: h.start_date,
                end_date: h.end_date,
            }));
        for event in &person.events {
            self.events.push(EventRow {
                id: event.id.to_string(),
                person_id: person_id.clone(),
                event_number: event.number,
                offence_description: event.offence_description.clone(),
                offence_category: event.offence_category.code(),
                offence_date: event.offence_date,
                conviction_date: event.conviction_date,
                court: event.court.clone(),
                sentence_type: event.sentence_type.code(),
                case_type: event.case_type.code(),
                sentence_date: event.sentence_date,
                sentence_length_months: event.sentence_length_months,
                release_date: event.release_date,
                expected_end_date: event.expected_end_date,
                active: event.active,
                sanctions_before: i32::try_from(event.sanctions_before).ok(),
            });
            self.requirements
                .extend(event.requirements.iter().map(|r| RequirementRow {
                    id: r.id.to_string(),
                    event_id: event.id.to_string(),
                    kind: r.kind.code(),
                    length: r.length,
                    detail: r.detail.clone(),
                    start_date: r.start_date,
                    end_date: r.end_date,
                    active: r.active,
                }));
        }
        self.registrations
            .extend(person.registrations.iter().map(|r| RegistrationRow {
                id: r.id.to_string(),
                person_id: person_id.clone(),
                kind: r.kind.code(),
                mappa_category: r.mappa_category.map(|c| c.code()),
                mappa_level: r.mappa_level.map(|l| l.code()),
                registered_on: r.registered_on,
                next_review_on: r.next_review_on,
                ended_on: r.ended_on,
                notes: r.notes.clone(),
            }));
        self.contacts
            .extend(person.contacts.iter().map(|c| ContactRow {
                id: c.id.to_string(),
                person_id: person_id.clone(),
                event_id: c.event_id.map(|id| id.to_string()),
                contact_type: c.contact_type.code(),
                starts_at: c.starts_at,
                location: c.location.clone(),
                outcome: c.outcome.map(|o| o.code()),
                notes: c.notes.clone(),
                staff_id: c.staff_id.map(|id| id.to_string()),
            }));
        self.allocations
            .extend(person.allocations.iter().map(|a| AllocationRow {
                id: a.id.to_string(),
                person_id: person_id.clone(),
                staff_id: a.staff_id.to_string(),
                team_id: a.team_id.to_string(),
                start_date: a.start_date,
                end_date: a.end_date,
                reason: a.reason.clone(),
            }));
        self.add_risk_work(person, &person_id, partner_names);
    }

    /// Checks, assessments and review tasks, written as the application writes them: codes for
    /// statuses, levels and kinds; empty strings, never NULL, for unwritten texts.
    fn add_risk_work(
        &mut self,
        person: &keepsafe_demo::Person,
        person_id: &str,
        partner_names: &HashMap<uuid::Uuid, String>,
    ) {
        let staff_id = |id: uuid::Uuid| id.to_string();
        self.checks.extend(person.checks.iter().map(|c| {
            CheckRow {
                id: c.id.to_string(),
                person_id: person_id.to_owned(),
                kind: c.kind.code(),
                address_id: c.address_id.map(|id| id.to_string()),
                address_description: c.address_description.clone(),
                requested_on: c.requested_on,
                deadline: c.deadline,
                deadline_rule: c.deadline_rule.clone(),
                requested_by: staff_id(c.requested_by),
                response_received_on: c.response.as_ref().map(|r| r.received_on),
                response_known_to_agency: c.response.as_ref().map(|r| r.known_to_agency),
                response_summary: c.response.as_ref().map(|r| r.summary.clone()),
                response_recorded_by: c.response.as_ref().map(|r| staff_id(r.recorded_by)),
                created_at: c.created_at,
                partner_organisation_id: c.partner_organisation_id.map(|id| id.to_string()),
                status: c.partner_organisation_id.map(|_| {
                    if c.response.is_some() {
                        RequestStatus::Responded.code()
                    } else {
                        RequestStatus::Sent.code()
                    }
                }),
                closed_on: c
                    .partner_organisation_id
                    .and(c.response.as_ref())
                    .map(|r| r.received_on),
                responded_by: c
                    .partner_organisation_id
                    .and_then(|org| partner_names.get(&org).cloned())
                    .filter(|_| c.response.is_some()),
            }
        }));
        for a in &person.assessments {
            let assessment_id = a.id.to_string();
            self.assessments.push(AssessmentRow {
                id: assessment_id.clone(),
                person_id: person_id.to_owned(),
                status: a.status.code(),
                version: a.version,
                case_type: a.case_type.code(),
                nature_of_harm: a.nature_of_harm.clone(),
                who_is_at_risk: a.who_is_at_risk.clone(),
                imminence: a.imminence.clone(),
                increasing_factors: a.increasing_factors.clone(),
                reducing_factors: a.reducing_factors.clone(),
                case_level: a.case_level.map(|l| l.code()),
                created_by: staff_id(a.created_by),
                created_at: a.created_at,
                updated_by: staff_id(a.updated_by),
                updated_at: a.updated_at,
                completed_by: a.completed_by.map(staff_id),
                completed_at: a.completed_at,
                countersigned_by: a.countersigned_by.map(staff_id),
                countersigned_at: a.countersigned_at,
                superseded_at: a.superseded_at,
            });
            self.levels
                .extend(a.levels.iter().map(|(group, level)| LevelRow {
                    assessment_id: assessment_id.clone(),
                    risk_group: group.code(),
                    level: level.code(),
                }));
            self.considerations
                .extend(a.considerations.iter().map(|c| ConsiderationRow {
                    assessment_id: assessment_id.clone(),
                    subject_id: c.subject_id.to_string(),
                    note: c.note.clone(),
                }));
            self.check_references
                .extend(a.check_references.iter().map(|r| CheckReferenceRow {
                    assessment_id: assessment_id.clone(),
                    check_id: r.check_id.to_string(),
                    note: r.note.clone(),
                }));
        }
        self.review_tasks
            .extend(person.review_tasks.iter().map(|t| ReviewTaskRow {
                id: t.id.to_string(),
                person_id: person_id.to_owned(),
                trigger_kind: t.trigger.code(),
                occurred_on: t.occurred_on,
                details: t.details.clone(),
                due_on: t.due_on,
                rule_version: t.rule_version.clone(),
                created_by: t.created_by.map(staff_id),
                created_at: t.created_at,
                completed_on: t.completed_on,
                completed_by_assessment: t.completed_by_assessment.map(|id| id.to_string()),
            }));
    }
}

/// Generates nothing itself: hashes the demo accounts' password and writes `region` in one
/// transaction, unless the database already holds a region (then returns `None`).
pub fn install(
    conn: &mut AnyConnection,
    region: &DemoRegion,
    now: DateTime<Utc>,
    progress: Progress<'_>,
) -> StorageResult<Option<LoadSummary>> {
    let usernames: Vec<String> = region
        .staff
        .iter()
        .filter_map(|member| member.username.clone())
        .collect();
    // One hash per account (each with its own salt), computed before the write lock is taken.
    let hashes = usernames
        .into_iter()
        .map(|name| {
            crate::passwords::hash(keepsafe_demo::DEMO_PASSWORD)
                .map(|hash| (name, hash))
                .map_err(|e| crate::StorageError::Corrupt(format!("hashing failed: {e}")))
        })
        .collect::<StorageResult<HashMap<_, _>>>()?;
    crate::transaction::write(conn, |conn| {
        if crate::organisation::has_any_region(conn)? {
            return Ok(None);
        }
        load(conn, region, &hashes, now, progress).map(Some)
    })
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use super::*;
    use crate::testing::{Backend, TestDatabase};
    use crate::{checks, review_tasks, rosh_assessments};
    use keepsafe_demo::{generate, DemoSpec, Scale};
    use keepsafe_domain::rosh::{assess_completion, AssessmentStatus};

    /// The bulk-loaded risk work reads back through the application's own functions exactly as
    /// generated, and an assessment in force on a case that has not changed since passes the
    /// application's completion gates, gathered from the database, on the day it was completed.
    fn reads_back_as_the_application_wrote_it(backend: Backend) {
        let db = TestDatabase::new(backend);
        let now = Utc::now();
        let region = generate(&DemoSpec {
            seed: 5,
            scale: Scale::Small,
            today: now.date_naive(),
        });
        let mut conn = db.database.connection().unwrap();
        install(&mut conn, &region, now, &mut |_, _| {})
            .unwrap()
            .unwrap();
        let mut gated = 0;
        let with_work = region
            .people
            .iter()
            .filter(|p| !p.checks.is_empty() || !p.assessments.is_empty());
        for person in with_work {
            let stored = rosh_assessments::for_person(&mut conn, person.id).unwrap();
            assert_eq!(stored.len(), person.assessments.len(), "{}", person.crn);
            for generated in &person.assessments {
                let record = stored.iter().find(|a| a.id == generated.id).unwrap();
                assert_eq!(record.status, generated.status);
                assert_eq!(record.version, generated.version);
                assert_eq!(record.case_level, generated.case_level);
                assert_eq!(record.content.levels.len(), generated.levels.len());
                assert_eq!(
                    record.content.considerations.len(),
                    generated.considerations.len()
                );
                assert_eq!(
                    record.content.check_references.len(),
                    generated.check_references.len()
                );
                assert_eq!(record.countersigned_at, generated.countersigned_at);
            }
            let stored_checks = checks::for_person(&mut conn, person.id).unwrap();
            assert_eq!(stored_checks.len(), person.checks.len());
            for check in &stored_checks {
                let generated = person.checks.iter().find(|c| c.id == check.id).unwrap();
                assert_eq!(check.response.is_some(), generated.response.is_some());
                assert_eq!(check.deadline_rule, generated.deadline_rule);
                assert!(check.authorised_without.is_none());
            }
            let tasks = review_tasks::for_person(&mut conn, person.id).unwrap();
            assert_eq!(tasks.len(), person.review_tasks.len());

            let Some(current) = rosh_assessments::current(&mut conn, person.id).unwrap() else {
                continue;
            };
            let day = current.completed_at.unwrap().date();
            let unchanged = person.checks.iter().all(|c| c.requested_on <= day)
                && person.addresses.iter().all(|a| a.start_date <= day)
                && person.household.iter().all(|m| m.start_date <= day)
                && person
                    .registrations
                    .iter()
                    .all(|r| !r.kind.concerns_children() || r.registered_on <= day);
            if !unchanged {
                continue;
            }
            let facts =
                rosh_assessments::completion_facts(&mut conn, person.id, current.case_type, day)
                    .unwrap();
            let ready = assess_completion(&current.content, &facts)
                .unwrap_or_else(|missing| panic!("{}: {missing:?}", person.crn));
            assert_eq!(Some(ready.case_level), current.case_level);
            assert_eq!(current.status, AssessmentStatus::Completed);
            gated += 1;
        }
        assert!(gated >= 3, "{gated} assessments gated");
        let levels = rosh_assessments::current_levels(
            &mut conn,
            &region
                .people
                .iter()
                .map(|p| p.id.to_string())
                .collect::<Vec<_>>(),
        )
        .unwrap();
        let in_force = region
            .people
            .iter()
            .filter(|p| {
                p.assessments
                    .iter()
                    .any(|a| a.status == AssessmentStatus::Completed)
            })
            .count();
        assert_eq!(levels.len(), in_force, "the tiers see every level in force");
    }

    #[test]
    fn the_risk_work_reads_back_on_sqlite() {
        reads_back_as_the_application_wrote_it(Backend::Sqlite);
    }

    #[test]
    fn the_risk_work_reads_back_on_postgres() {
        reads_back_as_the_application_wrote_it(Backend::Postgres);
    }
}
