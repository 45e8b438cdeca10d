//! Installs a generated region: maps the [`DemoRegion`] to storage's bulk rows and writes them
//! through [`keepsafe_storage::bulk`] in one transaction, so the default region loads in seconds
//! and a failure leaves nothing half-written. The one module of this crate that writes; the
//! generator stays pure.

use crate::{DemoDecision, DemoRegion, DemoScope, Person, DEMO_PASSWORD};
use chrono::{DateTime, NaiveDateTime, Utc};
use keepsafe_domain::partner::RequestStatus;
use keepsafe_domain::CodedValue;
use keepsafe_storage::bulk::{self, *};
use keepsafe_storage::error::{StorageError, StorageResult};
use keepsafe_storage::quality::audits::EnteredBy;
use keepsafe_storage::quality::judgements::JudgementKind;
use keepsafe_storage::quality::units::Unit;
use keepsafe_storage::AnyConnection;
use std::collections::HashMap;
use uuid::Uuid;

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
            keepsafe_storage::sign_in::passwords::hash(DEMO_PASSWORD)
                .map(|hash| (name, hash))
                .map_err(|e| StorageError::Corrupt(format!("hashing failed: {e}")))
        })
        .collect::<StorageResult<HashMap<_, _>>>()?;
    keepsafe_storage::transaction::write(conn, |conn| {
        if keepsafe_storage::organisation::has_any_region(conn)? {
            return Ok(None);
        }
        load(conn, region, &hashes, now, progress).map(Some)
    })
}

/// Writes the region. `password_hashes` maps demo usernames to their password hash; staff
/// without an entry get no password and cannot sign in. Call inside
/// [`keepsafe_storage::transaction::write`].
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
    let mut step = |n: usize| {
        written += n;
        progress(written, total);
    };

    bulk::insert_region(
        conn,
        &RegionRow {
            id: region.region.id.to_string(),
            code: region.region.code.clone(),
            name: region.region.name.clone(),
        },
    )?;
    bulk::insert_pdus(
        conn,
        &region
            .pdus
            .iter()
            .map(|pdu| PduRow {
                id: pdu.id.to_string(),
                region_id: pdu.region_id.to_string(),
                code: pdu.code.clone(),
                name: pdu.name.clone(),
            })
            .collect::<Vec<_>>(),
    )?;
    bulk::insert_teams(
        conn,
        &region
            .teams
            .iter()
            .map(|team| TeamRow {
                id: team.id.to_string(),
                pdu_id: team.pdu_id.to_string(),
                code: team.code.clone(),
                name: team.name.clone(),
            })
            .collect::<Vec<_>>(),
    )?;
    bulk::insert_partner_organisations(
        conn,
        &region
            .partners
            .iter()
            .map(|partner| PartnerOrganisationRow {
                id: partner.id.to_string(),
                code: partner.code.clone(),
                name: partner.name.clone(),
                kind: partner.kind.code(),
                region_id: region.region.id.to_string(),
                created_at: now.naive_utc(),
            })
            .collect::<Vec<_>>(),
    )?;
    step(1 + region.pdus.len() + region.teams.len());

    in_chunks(conn, &rows.staff, bulk::insert_staff, &mut step)?;
    in_chunks(conn, &rows.people, bulk::insert_people, &mut step)?;
    in_chunks(conn, &rows.addresses, bulk::insert_addresses, &mut step)?;
    in_chunks(
        conn,
        &rows.household,
        bulk::insert_household_members,
        &mut step,
    )?;
    in_chunks(conn, &rows.events, bulk::insert_events, &mut step)?;
    in_chunks(
        conn,
        &rows.requirements,
        bulk::insert_requirements,
        &mut step,
    )?;
    in_chunks(
        conn,
        &rows.registrations,
        bulk::insert_registrations,
        &mut step,
    )?;
    in_chunks(conn, &rows.contacts, bulk::insert_contacts, &mut step)?;
    in_chunks(conn, &rows.allocations, bulk::insert_allocations, &mut step)?;
    // Public-protection work, parents before children: checks and assessments, then what hangs
    // off an assessment, then the review tasks that name the assessment answering them.
    in_chunks(conn, &rows.checks, bulk::insert_checks, &mut step)?;
    in_chunks(conn, &rows.assessments, bulk::insert_assessments, &mut step)?;
    in_chunks(conn, &rows.levels, bulk::insert_levels, &mut step)?;
    in_chunks(
        conn,
        &rows.considerations,
        bulk::insert_considerations,
        &mut step,
    )?;
    in_chunks(
        conn,
        &rows.check_references,
        bulk::insert_check_references,
        &mut step,
    )?;
    in_chunks(
        conn,
        &rows.review_tasks,
        bulk::insert_review_tasks,
        &mut step,
    )?;

    load_workload(conn, region, now)?;
    load_quality(conn, region, now)?;
    load_enforcement(conn, region)?;
    step(region.reductions.len() + region.court_reports.len());

    // Scores and tiers, workload snapshot history and this week's quality ratings, computed from
    // what was just written.
    let person_ids: Vec<_> = region.people.iter().map(|person| person.id).collect();
    bulk::record_derived(conn, &person_ids, now)?;

    Ok(LoadSummary {
        pdus: region.pdus.len(),
        teams: region.teams.len(),
        staff: region.staff.len(),
        people: region.people.len(),
        rows: total,
    })
}

/// Writes `rows` a chunk at a time, reporting each chunk written.
fn in_chunks<R>(
    conn: &mut AnyConnection,
    rows: &[R],
    insert: fn(&mut AnyConnection, &[R]) -> StorageResult<()>,
    step: &mut impl FnMut(usize),
) -> StorageResult<()> {
    for chunk in rows.chunks(bulk::CHUNK) {
        insert(conn, chunk)?;
        step(chunk.len());
    }
    Ok(())
}

/// The quality history: oversight records, audits and their answers, panel judgements and the
/// action plan, in bulk.
fn load_quality(
    conn: &mut AnyConnection,
    region: &DemoRegion,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let unit = |scope: DemoScope| match scope {
        DemoScope::Pdu(id) => Unit::Pdu(id),
        DemoScope::Region(id) => Unit::Region(id),
    };
    let oversight: Vec<_> = region
        .people
        .iter()
        .flat_map(|person| person.oversight.iter().map(move |o| (person.id, o)))
        .map(|(person, o)| OversightRow {
            id: o.id.to_string(),
            person_id: person.to_string(),
            kind: o.kind.code(),
            recorded_on: o.recorded_on,
            note: o.note.clone(),
            recorded_by: o.recorded_by.to_string(),
            created_at: now.naive_utc(),
        })
        .collect();
    bulk::insert_oversight(conn, &oversight)?;
    let quality = &region.quality;
    let audits: Vec<_> = quality
        .audits
        .iter()
        .enumerate()
        .map(|(n, a)| AuditRow {
            id: a.id.to_string(),
            framework: a.framework.clone(),
            person_id: a.person_id.to_string(),
            team_id: a.team_id.map(|t| t.to_string()),
            pdu_id: a.pdu_id.to_string(),
            moderates: a.moderates.map(|m| m.to_string()),
            audited_on: a.audited_on,
            auditor_id: a.auditor_id.to_string(),
            auditor_name: a.auditor_name.clone(),
            entered_by: EnteredBy::Form.code(),
            created_at: a.audited_on.and_hms_opt(9, 0, 0).expect("9am exists")
                + chrono::Duration::seconds(n as i64),
        })
        .collect();
    bulk::insert_audits(conn, &audits)?;
    let answers: Vec<_> = quality
        .audits
        .iter()
        .flat_map(|a| a.answers.iter().map(move |given| (a.id, given)))
        .map(|(audit, given)| AuditAnswerRow {
            audit_id: audit.to_string(),
            question: given.question.clone(),
            answer: given.answer.code(),
            reason: given.reason.clone(),
        })
        .collect();
    bulk::insert_audit_answers(conn, &answers)?;
    let judgements: Vec<_> = quality
        .judgements
        .iter()
        .enumerate()
        .map(|(n, j)| JudgementRow {
            id: Uuid::new_v4().to_string(),
            framework: j.framework.clone(),
            scope_kind: unit(j.scope).kind(),
            scope_id: unit(j.scope).id_text(),
            standard: j.standard.clone(),
            kind: match j.decision {
                DemoDecision::Judgement => JudgementKind::Judgement,
                DemoDecision::Departure => JudgementKind::Departure,
            }
            .code(),
            rating: j.rating.code(),
            reason: j.reason.clone(),
            recorded_by: j.recorded_by.to_string(),
            recorded_at: j.recorded_on.and_hms_opt(10, 0, 0).expect("10am")
                + chrono::Duration::seconds(n as i64),
        })
        .collect();
    bulk::insert_judgements(conn, &judgements)?;
    let recommendations: Vec<_> = quality
        .recommendations
        .iter()
        .map(|r| PlannedRecommendation {
            recommendation: RecommendationRow {
                id: r.id.to_string(),
                scope_kind: unit(r.scope).kind(),
                scope_id: unit(r.scope).id_text(),
                framework: r.framework.clone(),
                standard: r.standard.clone(),
                text: r.text.clone(),
                made_by: r.made_by.clone(),
                made_on: r.made_on,
                recorded_by: r.recorded_by.to_string(),
                created_at: now.naive_utc(),
            },
            actions: r
                .actions
                .iter()
                .map(|action| ActionRow {
                    id: action.id,
                    recommendation_id: r.id,
                    action: keepsafe_domain::quality::Action {
                        description: action.description.clone(),
                        owner: action.owner.clone(),
                        due: action.due,
                        status: action.status.clone(),
                    },
                    updated_by: r.recorded_by,
                    updated_at: now,
                })
                .collect(),
        })
        .collect();
    bulk::insert_recommendations(conn, &recommendations)
}

/// The working diary's records: documents first, then the warnings, breach actions and recalls
/// that name them, the calendar feeds and reminder preferences.
fn load_enforcement(conn: &mut AnyConnection, region: &DemoRegion) -> StorageResult<()> {
    let text = |id: Uuid| id.to_string();
    let e = &region.enforcement;
    let documents: Vec<_> = e
        .documents
        .iter()
        .map(|d| CaseDocumentRow {
            id: text(d.id),
            person_id: text(d.person_id),
            kind: d.kind.code(),
            title: d.title.clone(),
            body: Some(d.body.clone()),
            created_by: text(d.created_by),
            created_at: d.created_at,
        })
        .collect();
    bulk::insert_case_documents(conn, &documents)?;
    let warnings: Vec<_> = e
        .warnings
        .iter()
        .map(|w| WarningRow {
            id: text(w.id),
            person_id: text(w.person_id),
            event_id: Some(text(w.event_id)),
            contact_id: text(w.contact_id),
            status: w.status.code(),
            due_on: w.due_on,
            sent_on: w.sent_on,
            sent_by: w.sent_by.map(text),
            document_id: w.document_id.map(text),
            created_at: w.created_at,
        })
        .collect();
    bulk::insert_warnings(conn, &warnings)?;
    let breaches: Vec<_> = e
        .breaches
        .iter()
        .map(|b| BreachRow {
            id: text(b.id),
            person_id: text(b.person_id),
            event_id: Some(text(b.event_id)),
            contact_id: text(b.contact_id),
            status: b.status.code(),
            opened_on: b.opened_on,
            due_on: b.due_on,
            proposal: b.proposal.clone(),
            report_document_id: b.report_document_id.map(text),
            reported_on: b.reported_on,
            court_outcome: b.court_outcome.clone(),
            court_outcome_on: b.court_outcome_on,
            court_outcome_notes: None,
            created_at: b.created_at,
            updated_by: Some(text(b.updated_by)),
        })
        .collect();
    bulk::insert_breaches(conn, &breaches)?;
    let recalls: Vec<_> = e
        .recalls
        .iter()
        .map(|r| RecallRow {
            id: text(r.id),
            person_id: text(r.person_id),
            event_id: Some(text(r.event_id)),
            contact_id: r.contact_id.map(text),
            status: r.status.code(),
            opened_on: r.opened_on,
            opened_reason: r.opened_reason.clone(),
            reasons: r.reasons.clone(),
            alternatives_tried: r.alternatives_tried.clone(),
            current_risk: r.current_risk.clone(),
            recall_type: r.recall_type.map(|t| t.code()),
            emergency: r.emergency,
            recommended_by: r.recommended_by.map(text),
            recommended_at: r.recommended_at,
            recommendation_document_id: r.recommendation_document_id.map(text),
            senior_decision: r.senior.as_ref().map(|c| c.decision.code()),
            senior_by: r.senior.as_ref().map(|c| text(c.by)),
            senior_at: r.senior.as_ref().map(|c| c.at),
            senior_reason: r.senior.as_ref().and_then(|c| c.reason.clone()),
            head_decision: r.head.as_ref().map(|c| c.decision.code()),
            head_by: r.head.as_ref().map(|c| text(c.by)),
            head_at: r.head.as_ref().map(|c| c.at),
            head_reason: r.head.as_ref().and_then(|c| c.reason.clone()),
            recall_date: r.recall_date,
            decision_document_id: r.decision_document_id.map(text),
            created_by: Some(text(r.created_by)),
            created_at: r.created_at,
        })
        .collect();
    bulk::insert_recalls(conn, &recalls)?;
    let feeds: Vec<_> = e
        .feeds
        .iter()
        .map(|f| CalendarFeedRow {
            token: f.token.clone(),
            staff_id: text(f.staff_id),
            created_at: f.created_at,
            revoked_at: None,
        })
        .collect();
    bulk::insert_calendar_feeds(conn, &feeds)?;
    let reminders: Vec<_> = e
        .reminders
        .iter()
        .map(|r| ReminderPreferenceRow {
            person_id: text(r.person_id),
            channel: r.channel,
            mobile: r.mobile.clone(),
            email: r.email.clone(),
            consent_on: Some(r.consent_on),
            recorded_by: text(r.recorded_by),
            recorded_at: r.recorded_at,
        })
        .collect();
    bulk::insert_reminder_preferences(conn, &reminders)
}

/// Reductions of practitioners' hours and the court reports being written.
fn load_workload(
    conn: &mut AnyConnection,
    region: &DemoRegion,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let at = now.naive_utc();
    let reductions: Vec<_> = region
        .reductions
        .iter()
        .map(|r| ReductionRow {
            id: r.id.to_string(),
            staff_id: r.staff_id.to_string(),
            kind: r.kind.code(),
            hours: r.hours,
            from_date: r.from,
            to_date: r.to,
            reason: r.reason.clone(),
            created_by: None,
            created_at: at,
        })
        .collect();
    bulk::insert_reductions(conn, &reductions)?;
    let reports: Vec<_> = region
        .court_reports
        .iter()
        .map(|r| CourtReportRow {
            id: r.id.to_string(),
            person_id: r.person_id.to_string(),
            staff_id: r.staff_id.to_string(),
            kind: r.kind.code(),
            requested_on: r.requested_on,
            due_on: r.due_on,
            completed_on: None,
        })
        .collect();
    bulk::insert_court_reports(conn, &reports)
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
        let partner_names: HashMap<Uuid, String> = region
            .partners
            .iter()
            .map(|p| (p.id, p.name.clone()))
            .collect();
        for person in &region.people {
            rows.add_person(person, &partner_names);
        }
        rows
    }

    fn add_person(&mut self, person: &Person, partner_names: &HashMap<Uuid, String>) {
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
                ends_at: Some(c.ends_at),
                location_kind: c.location_kind.code(),
                judgement: c.judgement.map(|j| j.code()),
                status: c.status.code(),
                enforceable: c.enforceable,
                evidence_due_on: c.evidence_due_on,
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
        person: &Person,
        person_id: &str,
        partner_names: &HashMap<Uuid, String>,
    ) {
        let staff_id = |id: Uuid| id.to_string();
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
