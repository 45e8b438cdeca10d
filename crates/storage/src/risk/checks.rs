//! Safeguarding check requests and their responses.

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{check_requests, check_response_attachments, partner_organisations, staff};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use keepsafe_domain::checks::{CheckKind, CheckResponse};
use keepsafe_domain::partner::RequestType;
use keepsafe_domain::rosh::CheckFact;
use keepsafe_domain::CodedValue;
use std::collections::HashMap;
use uuid::Uuid;

/// A request as stored, with the names of the staff involved.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckRecord {
    pub id: Uuid,
    pub person_id: Uuid,
    /// What was asked: a safeguarding check the assessment gates read, or an occupier check.
    pub kind: RequestType,
    pub address_id: Option<Uuid>,
    pub address_description: String,
    pub requested_on: NaiveDate,
    pub deadline: NaiveDate,
    pub deadline_rule: String,
    pub requested_by: String,
    pub response: Option<ResponseRecord>,
    pub authorised_without: Option<AuthorisationRecord>,
    /// Set when the request was sent to a partner organisation through keepsafe.
    pub partner: Option<PartnerRecord>,
    /// Files the partner attached to the answer, in order (position, file).
    pub attachments: Vec<(i32, keepsafe_domain::partner::Attachment)>,
}

/// Where a request sent to a partner stands.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerRecord {
    pub organisation: String,
    pub status: keepsafe_domain::partner::RequestStatus,
    pub acknowledged_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    /// Who answered for the partner.
    pub responded_by: Option<String>,
    /// Why it was declined or withdrawn.
    pub close_detail: Option<String>,
    pub decline_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseRecord {
    pub received_on: NaiveDate,
    pub known_to_agency: bool,
    pub summary: String,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuthorisationRecord {
    pub by: String,
    pub on: NaiveDate,
    pub reason: String,
}

impl CheckRecord {
    /// False for a request sent to a partner that was declined or withdrawn: it will never be
    /// answered, so it neither satisfies nor holds up the assessment's gates.
    pub fn still_counts(&self) -> bool {
        !self.partner.as_ref().is_some_and(|p| {
            matches!(
                p.status,
                keepsafe_domain::partner::RequestStatus::Declined
                    | keepsafe_domain::partner::RequestStatus::Withdrawn
            )
        })
    }

    /// What the request is called on probation's pages: the check's own name for the
    /// safeguarding checks ("Police domestic-abuse check"), the request type's otherwise.
    pub fn label(&self) -> &'static str {
        self.check_kind()
            .map_or_else(|| self.kind.label(), |kind| kind.label())
    }

    /// The safeguarding check this is, if it is one; an occupier check is not.
    pub fn check_kind(&self) -> Option<CheckKind> {
        self.kind.check_kind()
    }

    /// The request as the completion gates see it; `None` for an occupier check, which the
    /// gates do not read.
    pub fn fact(&self) -> Option<CheckFact> {
        Some(CheckFact {
            id: self.id,
            kind: self.check_kind()?,
            address_id: self.address_id,
            requested_on: self.requested_on,
            deadline: self.deadline,
            response_received_on: self.response.as_ref().map(|r| r.received_on),
            authorised_without_response: self.authorised_without.is_some(),
        })
    }
}

/// A new request.
#[derive(Debug, Clone)]
pub struct NewCheck {
    pub person_id: Uuid,
    pub kind: RequestType,
    pub address_id: Option<Uuid>,
    pub address_description: String,
    pub requested_on: NaiveDate,
    pub deadline: NaiveDate,
    pub deadline_rule: String,
    pub requested_by: Uuid,
}

pub fn request(
    conn: &mut AnyConnection,
    check: &NewCheck,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(check_requests::table)
        .values((
            check_requests::id.eq(id.to_string()),
            check_requests::person_id.eq(check.person_id.to_string()),
            check_requests::kind.eq(check.kind.code()),
            check_requests::address_id.eq(check.address_id.map(|a| a.to_string())),
            check_requests::address_description.eq(&check.address_description),
            check_requests::requested_on.eq(check.requested_on),
            check_requests::deadline.eq(check.deadline),
            check_requests::deadline_rule.eq(&check.deadline_rule),
            check_requests::requested_by.eq(check.requested_by.to_string()),
            check_requests::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

type PartnerRow = (
    String,
    Option<String>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Status, acknowledged, closed, responded by, close detail, decline reason.
type PartnerStatusRow = (
    Option<String>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<String>,
    Option<String>,
    Option<String>,
);

type CheckRow = (
    String,
    String,
    String,
    Option<String>,
    String,
    NaiveDate,
    NaiveDate,
    String,
    String,
    Option<NaiveDate>,
    Option<bool>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<NaiveDate>,
    Option<String>,
);

/// Every request for a person, newest first.
pub fn for_person(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<CheckRecord>> {
    let rows = check_requests::table
        .filter(check_requests::person_id.eq(person_id.to_string()))
        .order((
            check_requests::requested_on.desc(),
            check_requests::created_at.desc(),
        ))
        .select((
            check_requests::id,
            check_requests::person_id,
            check_requests::kind,
            check_requests::address_id,
            check_requests::address_description,
            check_requests::requested_on,
            check_requests::deadline,
            check_requests::deadline_rule,
            check_requests::requested_by,
            check_requests::response_received_on,
            check_requests::response_known_to_agency,
            check_requests::response_summary,
            check_requests::response_recorded_by,
            check_requests::authorised_without_by,
            check_requests::authorised_without_on,
            check_requests::authorised_without_reason,
        ))
        .load::<CheckRow>(conn)?;
    let partner_rows: HashMap<String, PartnerRow> = check_requests::table
        .inner_join(
            partner_organisations::table.on(partner_organisations::id
                .nullable()
                .eq(check_requests::partner_organisation_id)),
        )
        .filter(check_requests::person_id.eq(person_id.to_string()))
        .select((
            check_requests::id,
            partner_organisations::name,
            (
                check_requests::status,
                check_requests::acknowledged_on,
                check_requests::closed_on,
                check_requests::responded_by,
                check_requests::close_detail,
                check_requests::decline_reason,
            ),
        ))
        .load::<(String, String, PartnerStatusRow)>(conn)?
        .into_iter()
        .map(|(id, org, (status, ack, closed, by, detail, reason))| {
            (id, (org, status, ack, closed, by, detail, reason))
        })
        .collect();
    let mut attachments: HashMap<String, Vec<(i32, keepsafe_domain::partner::Attachment)>> =
        HashMap::new();
    for (check, position, file_name, media_type, size) in check_response_attachments::table
        .inner_join(check_requests::table)
        .filter(check_requests::person_id.eq(person_id.to_string()))
        .order((
            check_response_attachments::check_id,
            check_response_attachments::position,
        ))
        .select((
            check_response_attachments::check_id,
            check_response_attachments::position,
            check_response_attachments::file_name,
            check_response_attachments::media_type,
            check_response_attachments::size_bytes,
        ))
        .load::<(String, i32, String, String, i64)>(conn)?
    {
        attachments.entry(check).or_default().push((
            position,
            keepsafe_domain::partner::Attachment {
                file_name,
                media_type: rows::code(&media_type)?,
                size_bytes: size.max(0) as u64,
            },
        ));
    }
    let mut ids: Vec<String> = Vec::new();
    for row in &rows {
        ids.push(row.8.clone());
        ids.extend(row.12.clone());
        ids.extend(row.13.clone());
    }
    let names = staff_names(conn, &ids)?;
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| "Unknown".into());
    rows.into_iter()
        .map(|row| {
            let response = match (row.9, row.10, row.11) {
                (Some(received_on), Some(known_to_agency), Some(summary)) => Some(ResponseRecord {
                    received_on,
                    known_to_agency,
                    summary,
                    recorded_by: row.12.as_deref().map(name).unwrap_or_default(),
                }),
                _ => None,
            };
            let authorised_without = match (row.13.as_deref(), row.14, row.15) {
                (Some(by), Some(on), Some(reason)) => Some(AuthorisationRecord {
                    by: name(by),
                    on,
                    reason,
                }),
                _ => None,
            };
            let partner = match partner_rows.get(&row.0) {
                Some((org, status, ack, closed, by, detail, reason)) => Some(PartnerRecord {
                    organisation: org.clone(),
                    status: rows::code(status.as_deref().unwrap_or("sent"))?,
                    acknowledged_on: *ack,
                    closed_on: *closed,
                    responded_by: by.clone(),
                    close_detail: detail.clone(),
                    decline_reason: reason.clone(),
                }),
                None => None,
            };
            Ok(CheckRecord {
                partner,
                attachments: attachments.remove(&row.0).unwrap_or_default(),
                id: rows::id(&row.0)?,
                person_id: rows::id(&row.1)?,
                kind: rows::code(&row.2)?,
                address_id: rows::opt_id(row.3.as_deref())?,
                address_description: row.4,
                requested_on: row.5,
                deadline: row.6,
                deadline_rule: row.7,
                requested_by: name(&row.8),
                response,
                authorised_without,
            })
        })
        .collect()
}

/// Display names for staff ids, in one query.
pub(crate) fn staff_names(
    conn: &mut AnyConnection,
    ids: &[String],
) -> StorageResult<HashMap<String, String>> {
    Ok(staff::table
        .filter(staff::id.eq_any(ids))
        .select((staff::id, staff::first_name, staff::last_name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, first, last)| (id, format!("{first} {last}")))
        .collect())
}

/// One request of this person's; another person's request is not found.
pub fn find(
    conn: &mut AnyConnection,
    person_id: Uuid,
    check_id: Uuid,
) -> StorageResult<CheckRecord> {
    for_person(conn, person_id)?
        .into_iter()
        .find(|c| c.id == check_id)
        .ok_or(StorageError::NotFound)
}

/// Records the agency's answer. A request is answered once.
pub fn record_response(
    conn: &mut AnyConnection,
    check_id: Uuid,
    response: &CheckResponse,
    recorded_by: Uuid,
) -> StorageResult<()> {
    let updated = diesel::update(
        check_requests::table
            .find(check_id.to_string())
            .filter(check_requests::response_received_on.is_null()),
    )
    .set((
        check_requests::response_received_on.eq(response.received_on),
        check_requests::response_known_to_agency.eq(response.known_to_agency),
        check_requests::response_summary.eq(response.summary.as_str()),
        check_requests::response_recorded_by.eq(recorded_by.to_string()),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(
            "A response has already been recorded for this check".into(),
        ));
    }
    Ok(())
}

/// Records a senior officer's authorisation to complete without the response.
pub fn authorise_without_response(
    conn: &mut AnyConnection,
    check_id: Uuid,
    by: Uuid,
    on: NaiveDate,
    reason: &str,
) -> StorageResult<()> {
    diesel::update(check_requests::table.find(check_id.to_string()))
        .set((
            check_requests::authorised_without_by.eq(by.to_string()),
            check_requests::authorised_without_on.eq(on),
            check_requests::authorised_without_reason.eq(reason),
        ))
        .execute(conn)?;
    Ok(())
}

/// Requests still waiting for an answer, per person, for caseload lists.
pub fn outstanding_counts(
    conn: &mut AnyConnection,
    person_ids: &[String],
) -> StorageResult<HashMap<String, i64>> {
    Ok(check_requests::table
        .filter(check_requests::person_id.eq_any(person_ids))
        .filter(check_requests::response_received_on.is_null())
        // Declined and withdrawn requests will never be answered: nothing is outstanding.
        .filter(check_requests::closed_on.is_null())
        .group_by(check_requests::person_id)
        .select((check_requests::person_id, diesel::dsl::count_star()))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect())
}

/// A case that may need a police domestic-abuse check sent, for the bulk request page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkCandidate {
    pub person_id: Uuid,
    pub crn: String,
    pub name: String,
    /// "Allocated on 3 December 2026" or "Awaiting sentence".
    pub why: String,
}

/// The PDU's cases allocated since `since` (in `team`, when given) and its cases awaiting sentence
/// (the court list), that have had no police domestic-abuse check requested since `since`: the
/// cases whose checks should be requested "at or soon after allocation" (reference §4). A fixed
/// number of queries.
pub fn needing_police_check(
    conn: &mut AnyConnection,
    pdu_id: Uuid,
    team: Option<Uuid>,
    since: NaiveDate,
) -> StorageResult<Vec<BulkCandidate>> {
    use crate::schema::{allocations, events, people};
    let pdu = pdu_id.to_string();
    let mut found: HashMap<String, BulkCandidate> = HashMap::new();
    let mut allocated = allocations::table
        .inner_join(people::table)
        .filter(people::pdu_id.eq(&pdu))
        .filter(allocations::end_date.is_null())
        .filter(allocations::start_date.ge(since))
        .select((
            people::id,
            people::crn,
            people::first_name,
            people::last_name,
            allocations::start_date,
        ))
        .into_boxed();
    if let Some(team) = team {
        allocated = allocated.filter(allocations::team_id.eq(team.to_string()));
    }
    for (id, crn, first, last, start) in
        allocated.load::<(String, String, String, String, NaiveDate)>(conn)?
    {
        found.insert(
            id.clone(),
            BulkCandidate {
                person_id: rows::id(&id)?,
                crn,
                name: format!("{first} {last}"),
                why: format!(
                    "Allocated on {}",
                    keepsafe_domain::calendar::long_date(start)
                ),
            },
        );
    }
    let awaiting = events::table
        .inner_join(people::table)
        .filter(people::pdu_id.eq(&pdu))
        .filter(events::active.eq(true))
        .filter(events::case_type.eq(keepsafe_domain::event::CaseType::PreSentence.code()))
        .select((
            people::id,
            people::crn,
            people::first_name,
            people::last_name,
        ))
        .load::<(String, String, String, String)>(conn)?;
    let teams: HashMap<String, String> = {
        let ids: Vec<String> = awaiting.iter().map(|a| a.0.clone()).collect();
        allocations::table
            .filter(allocations::person_id.eq_any(&ids))
            .filter(allocations::end_date.is_null())
            .select((allocations::person_id, allocations::team_id))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect()
    };
    for (id, crn, first, last) in awaiting {
        let in_scope = match (team, teams.get(&id)) {
            (None, _) | (Some(_), None) => true,
            (Some(team), Some(held_by)) => *held_by == team.to_string(),
        };
        if in_scope {
            found.entry(id.clone()).or_insert(BulkCandidate {
                person_id: rows::id(&id)?,
                crn,
                name: format!("{first} {last}"),
                why: "Awaiting sentence".into(),
            });
        }
    }
    let ids: Vec<String> = found.keys().cloned().collect();
    for chunk in ids.chunks(500) {
        let asked: Vec<String> = check_requests::table
            .filter(check_requests::person_id.eq_any(chunk))
            .filter(check_requests::kind.eq(CheckKind::PoliceDomesticAbuse.code()))
            .filter(check_requests::requested_on.ge(since))
            .select(check_requests::person_id)
            .load(conn)?;
        for id in asked {
            found.remove(&id);
        }
    }
    let mut out: Vec<BulkCandidate> = found.into_values().collect();
    out.sort_by(|a, b| a.crn.cmp(&b.crn));
    Ok(out)
}
