//! Partner exchange (reference §4): partner organisations, their API tokens, and check requests sent
//! to them — the queue a partner sees, the details they may read, and their answers. The workflow
//! (which transitions are allowed, deadlines, what a response must hold, what a partner may see) is
//! the domain's ([`keepsafe_domain::partner`]); this module loads requests into the domain's
//! [`CheckRequest`] and stores the state a transition returns.
//!
//! A partner's answer is also written into the request's response columns, the ones the risk
//! assessment's completion gates read, so an answer from the portal or the API counts exactly as a
//! practitioner-recorded one does.

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{
    address_checks, addresses, check_requests, check_response_attachments,
    check_response_incidents, check_response_involvement, household_members, partner_api_tokens,
    partner_deadline_overrides, partner_idempotency, partner_organisations, people, person_aliases,
    staff,
};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::address::AddressStatus;
use keepsafe_domain::crn::Crn;
use keepsafe_domain::partner::{
    ApiToken, Attachment, CheckRequest, DeadlineRules, OrganisationName, PartnerOrganisation,
    PartnerOrganisationCode, PartnerOrganisationKind, PartnerResponse, PartnerRole, RequestState,
    RequestStatus, RequestType, Requester, SentDetails, ShareableAddress, ShareableCaseDetails,
    ShareableResident,
};
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use sha2::{Digest, Sha256};
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------
// Organisations.

/// A partner organisation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOrganisation {
    pub organisation: PartnerOrganisation,
    pub region_id: Uuid,
}

type OrgRow = (String, String, String, String, String);

fn organisation(row: OrgRow) -> StorageResult<StoredOrganisation> {
    let (id, code, name, kind, region) = row;
    Ok(StoredOrganisation {
        organisation: PartnerOrganisation {
            id: rows::id(&id)?,
            code: PartnerOrganisationCode::parse(&code)
                .map_err(|e| StorageError::Corrupt(format!("partner code {code}: {e}")))?,
            name: OrganisationName::parse(&name)
                .map_err(|e| StorageError::Corrupt(format!("partner name {name}: {e}")))?,
            kind: rows::code(&kind)?,
        },
        region_id: rows::id(&region)?,
    })
}

const ORG_COLUMNS: (
    partner_organisations::id,
    partner_organisations::code,
    partner_organisations::name,
    partner_organisations::kind,
    partner_organisations::region_id,
) = (
    partner_organisations::id,
    partner_organisations::code,
    partner_organisations::name,
    partner_organisations::kind,
    partner_organisations::region_id,
);

/// Adds a partner organisation in a region. A taken code is a [`StorageError::Conflict`].
pub fn add_organisation(
    conn: &mut AnyConnection,
    code: &PartnerOrganisationCode,
    name: &OrganisationName,
    kind: PartnerOrganisationKind,
    region_id: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let taken: i64 = partner_organisations::table
        .filter(partner_organisations::code.eq(code.as_str()))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(StorageError::Conflict(format!(
            "There is already a partner organisation with code {}",
            code.as_str()
        )));
    }
    let id = Uuid::new_v4();
    diesel::insert_into(partner_organisations::table)
        .values((
            partner_organisations::id.eq(id.to_string()),
            partner_organisations::code.eq(code.as_str()),
            partner_organisations::name.eq(name.as_str()),
            partner_organisations::kind.eq(kind.code()),
            partner_organisations::region_id.eq(region_id.to_string()),
            partner_organisations::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Every partner organisation of a region, by name.
pub fn organisations_in_region(
    conn: &mut AnyConnection,
    region_id: Uuid,
) -> StorageResult<Vec<StoredOrganisation>> {
    partner_organisations::table
        .filter(partner_organisations::region_id.eq(region_id.to_string()))
        .order(partner_organisations::name.asc())
        .select(ORG_COLUMNS)
        .load::<OrgRow>(conn)?
        .into_iter()
        .map(organisation)
        .collect()
}

/// One organisation by id.
pub fn organisation_by_id(conn: &mut AnyConnection, id: Uuid) -> StorageResult<StoredOrganisation> {
    partner_organisations::table
        .find(id.to_string())
        .select(ORG_COLUMNS)
        .first::<OrgRow>(conn)
        .optional()?
        .map(organisation)
        .transpose()?
        .ok_or(StorageError::NotFound)
}

/// One organisation by code.
pub fn organisation_by_code(
    conn: &mut AnyConnection,
    code: &str,
) -> StorageResult<StoredOrganisation> {
    partner_organisations::table
        .filter(partner_organisations::code.eq(code))
        .select(ORG_COLUMNS)
        .first::<OrgRow>(conn)
        .optional()?
        .map(organisation)
        .transpose()?
        .ok_or(StorageError::NotFound)
}

/// Makes a sign-in account a partner user of an organisation.
pub fn make_partner_user(
    conn: &mut AnyConnection,
    staff_id: Uuid,
    organisation_id: Uuid,
    role: PartnerRole,
) -> StorageResult<()> {
    diesel::update(staff::table.find(staff_id.to_string()))
        .set((
            staff::partner_organisation_id.eq(Some(organisation_id.to_string())),
            staff::partner_role.eq(Some(role.code())),
        ))
        .execute(conn)?;
    Ok(())
}

/// The organisation and role of a partner user; `None` for probation staff.
pub fn partner_of(
    conn: &mut AnyConnection,
    staff_id: Uuid,
) -> StorageResult<Option<(StoredOrganisation, PartnerRole)>> {
    let found: Option<(Option<String>, Option<String>)> = staff::table
        .find(staff_id.to_string())
        .select((staff::partner_organisation_id, staff::partner_role))
        .first(conn)
        .optional()?;
    let Some((Some(org), Some(role))) = found else {
        return Ok(None);
    };
    Ok(Some((
        organisation_by_id(conn, rows::id(&org)?)?,
        rows::code(&role)?,
    )))
}

// ---------------------------------------------------------------------------------------------
// API tokens.

/// The prefix every partner API token starts with, so a leaked one is recognisable.
pub const TOKEN_PREFIX: &str = "ksp_";

fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A token as issued: its id and the secret, shown once and never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    pub id: Uuid,
    pub secret: String,
}

/// Issues an API token to an organisation's system. Only its SHA-256 is kept.
pub fn issue_token(
    conn: &mut AnyConnection,
    organisation_id: Uuid,
    name: &str,
    expires_at: Option<DateTime<Utc>>,
    created_by: Option<Uuid>,
    now: DateTime<Utc>,
) -> StorageResult<IssuedToken> {
    let id = Uuid::new_v4();
    let secret = format!(
        "{TOKEN_PREFIX}{}{}",
        Uuid::new_v4().simple(),
        Uuid::new_v4().simple()
    );
    diesel::insert_into(partner_api_tokens::table)
        .values((
            partner_api_tokens::id.eq(id.to_string()),
            partner_api_tokens::organisation_id.eq(organisation_id.to_string()),
            partner_api_tokens::name.eq(name),
            partner_api_tokens::token_hash.eq(token_hash(&secret)),
            partner_api_tokens::created_by.eq(created_by.map(|id| id.to_string())),
            partner_api_tokens::created_at.eq(now.naive_utc()),
            partner_api_tokens::expires_at.eq(expires_at.map(|t| t.naive_utc())),
        ))
        .execute(conn)?;
    Ok(IssuedToken { id, secret })
}

/// Revokes a token from `now`. [`StorageError::NotFound`] if there is no such token.
pub fn revoke_token(conn: &mut AnyConnection, id: Uuid, now: DateTime<Utc>) -> StorageResult<()> {
    let updated = diesel::update(partner_api_tokens::table.find(id.to_string()))
        .set(partner_api_tokens::revoked_at.eq(Some(now.naive_utc())))
        .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// A token found by its secret, with its name, for the domain's access decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundToken {
    pub token: ApiToken,
    pub name: String,
}

/// Id, organisation, name, expiry, revocation.
type TokenRow = (
    String,
    String,
    String,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

/// Finds the token a secret belongs to (revoked and expired ones included, so the refusal can say
/// which), and records that it was used.
pub fn find_token(
    conn: &mut AnyConnection,
    secret: &str,
    now: DateTime<Utc>,
) -> StorageResult<Option<FoundToken>> {
    let row: Option<TokenRow> = partner_api_tokens::table
        .filter(partner_api_tokens::token_hash.eq(token_hash(secret)))
        .select((
            partner_api_tokens::id,
            partner_api_tokens::organisation_id,
            partner_api_tokens::name,
            partner_api_tokens::expires_at,
            partner_api_tokens::revoked_at,
        ))
        .first(conn)
        .optional()?;
    let Some((id, org, name, expires, revoked)) = row else {
        return Ok(None);
    };
    diesel::update(partner_api_tokens::table.find(&id))
        .set(partner_api_tokens::last_used_at.eq(Some(now.naive_utc())))
        .execute(conn)?;
    Ok(Some(FoundToken {
        token: ApiToken {
            token_id: rows::id(&id)?,
            organisation_id: rows::id(&org)?,
            expires_at: expires.map(|t| t.and_utc()),
            revoked_at: revoked.map(|t| t.and_utc()),
        },
        name,
    }))
}

// ---------------------------------------------------------------------------------------------
// Requests.

/// A request sent to a partner, as the domain sees it, with who it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRequest {
    pub request: CheckRequest,
    pub person_id: Uuid,
    /// The address the request covers, as printed on it.
    pub address_description: String,
    pub deadline_rule: String,
    /// Who answered, when answered.
    pub responded_by: Option<String>,
}

type RequestRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    NaiveDate,
    NaiveDate,
    String,
    Option<String>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<bool>,
    Option<String>,
    Option<String>,
);

/// Loads requests matching `filter` (a boxed query over check_requests ⋈ people), oldest deadline
/// first, with their responses' incidents and involvement in two more queries.
fn load_requests(
    conn: &mut AnyConnection,
    organisation_id: Option<Uuid>,
    ids: Option<&[String]>,
    outstanding_only: bool,
    page: Option<(i64, i64)>,
) -> StorageResult<Vec<StoredRequest>> {
    let mut query = check_requests::table
        .inner_join(people::table)
        .filter(check_requests::partner_organisation_id.is_not_null())
        .order((check_requests::deadline.asc(), check_requests::id.asc()))
        .select((
            check_requests::id,
            check_requests::person_id,
            people::crn,
            check_requests::kind,
            check_requests::address_id,
            check_requests::address_description,
            check_requests::requested_on,
            check_requests::deadline,
            check_requests::deadline_rule,
            check_requests::status,
            check_requests::acknowledged_on,
            check_requests::closed_on,
            check_requests::decline_reason,
            check_requests::close_detail,
            check_requests::partner_organisation_id,
            check_requests::response_known_to_agency,
            check_requests::response_summary,
            check_requests::response_risk_notes,
        ))
        .into_boxed();
    if let Some(org) = organisation_id {
        query = query.filter(check_requests::partner_organisation_id.eq(org.to_string()));
    }
    if let Some(ids) = ids {
        query = query.filter(check_requests::id.eq_any(ids.to_vec()));
    }
    if outstanding_only {
        query = query.filter(check_requests::status.eq_any([
            RequestStatus::Sent.code(),
            RequestStatus::Acknowledged.code(),
        ]));
    }
    if let Some((offset, limit)) = page {
        query = query.offset(offset).limit(limit);
    }
    let rows = query.load::<RequestRow>(conn)?;
    let ids: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let mut incidents: std::collections::HashMap<String, Vec<keepsafe_domain::partner::Incident>> =
        Default::default();
    let mut involvement: std::collections::HashMap<
        String,
        Vec<keepsafe_domain::partner::Involvement>,
    > = Default::default();
    let mut attachments: std::collections::HashMap<String, Vec<Attachment>> = Default::default();
    for chunk in ids.chunks(500) {
        for (check, _, on, kind, summary) in check_response_incidents::table
            .filter(check_response_incidents::check_id.eq_any(chunk))
            .order((
                check_response_incidents::check_id,
                check_response_incidents::position,
            ))
            .load::<(String, i32, NaiveDate, String, String)>(conn)?
        {
            incidents
                .entry(check)
                .or_default()
                .push(keepsafe_domain::partner::Incident {
                    date: on,
                    kind: rows::code(&kind)?,
                    summary: LongText::optional(&summary)
                        .map_err(|e| StorageError::Corrupt(e.to_string()))?,
                });
        }
        for (check, code) in check_response_involvement::table
            .filter(check_response_involvement::check_id.eq_any(chunk))
            .load::<(String, String)>(conn)?
        {
            involvement
                .entry(check)
                .or_default()
                .push(rows::code(&code)?);
        }
        for (check, name, media_type, size) in check_response_attachments::table
            .filter(check_response_attachments::check_id.eq_any(chunk))
            .order((
                check_response_attachments::check_id,
                check_response_attachments::position,
            ))
            .select((
                check_response_attachments::check_id,
                check_response_attachments::file_name,
                check_response_attachments::media_type,
                check_response_attachments::size_bytes,
            ))
            .load::<(String, String, String, i64)>(conn)?
        {
            attachments.entry(check).or_default().push(Attachment {
                file_name: name,
                media_type: rows::code(&media_type)?,
                size_bytes: size.max(0) as u64,
            });
        }
    }
    let mut orgs: std::collections::HashMap<String, PartnerOrganisation> = Default::default();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let org_key = row.14.clone().unwrap_or_default();
        if !orgs.contains_key(&org_key) {
            let found = organisation_by_id(conn, rows::id(&org_key)?)?.organisation;
            orgs.insert(org_key.clone(), found);
        }
        let recipient = orgs[&org_key].clone();
        let id = row.0.clone();
        out.push(stored_request(
            row,
            recipient,
            incidents.remove(&id).unwrap_or_default(),
            involvement.remove(&id).unwrap_or_default(),
            attachments.remove(&id).unwrap_or_default(),
        )?);
    }
    Ok(out)
}

fn stored_request(
    row: RequestRow,
    recipient: PartnerOrganisation,
    incidents: Vec<keepsafe_domain::partner::Incident>,
    involvement: Vec<keepsafe_domain::partner::Involvement>,
    attachments: Vec<Attachment>,
) -> StorageResult<StoredRequest> {
    let (
        id,
        person,
        crn,
        kind,
        address,
        address_description,
        sent_on,
        due_by,
        deadline_rule,
        status,
        acknowledged_on,
        closed_on,
        decline_reason,
        close_detail,
        _org,
        known,
        summary,
        risk_notes,
    ) = row;
    let status: RequestStatus = rows::code(status.as_deref().unwrap_or("sent"))?;
    let sent = SentDetails {
        sent_on,
        due_by,
        deadline_rule_version: deadline_rule.clone(),
    };
    let text = |value: Option<String>| {
        LongText::optional(value.as_deref().unwrap_or(""))
            .map_err(|e| StorageError::Corrupt(e.to_string()))
    };
    let closed = || {
        closed_on.ok_or_else(|| StorageError::Corrupt(format!("closed request {id} has no date")))
    };
    let state = match status {
        RequestStatus::Draft => RequestState::Draft,
        RequestStatus::Sent => RequestState::Sent(sent),
        RequestStatus::Acknowledged => RequestState::Acknowledged {
            sent,
            acknowledged_on: acknowledged_on.unwrap_or(sent_on),
        },
        RequestStatus::Responded => RequestState::Responded {
            sent,
            acknowledged_on,
            responded_on: closed()?,
            response: Box::new(PartnerResponse {
                known_to_service: known.unwrap_or(false),
                incidents,
                current_involvement: involvement,
                risk_notes: text(risk_notes)?,
                free_text: text(summary)?,
                attachments,
            }),
        },
        RequestStatus::Declined => RequestState::Declined {
            sent,
            acknowledged_on,
            declined_on: closed()?,
            reason: rows::code(decline_reason.as_deref().unwrap_or("other"))?,
            detail: text(close_detail)?,
        },
        RequestStatus::Withdrawn => RequestState::Withdrawn {
            sent,
            acknowledged_on,
            withdrawn_on: closed()?,
            reason: text(close_detail)?,
        },
    };
    Ok(StoredRequest {
        request: CheckRequest {
            id: rows::id(&id)?,
            crn: Crn::parse(&crn).map_err(|e| StorageError::Corrupt(e.to_string()))?,
            request_type: rows::code::<RequestType>(&kind)?,
            recipient,
            address_id: rows::opt_id(address.as_deref())?,
            state,
        },
        person_id: rows::id(&person)?,
        address_description,
        deadline_rule,
        responded_by: None,
    })
}

/// The requests sent to an organisation that are still outstanding (sent or acknowledged),
/// soonest due first, a page at a time (`offset`, `limit`).
pub fn queue(
    conn: &mut AnyConnection,
    organisation_id: Uuid,
    offset: i64,
    limit: i64,
) -> StorageResult<Vec<StoredRequest>> {
    load_requests(
        conn,
        Some(organisation_id),
        None,
        true,
        Some((offset, limit)),
    )
}

/// How many outstanding requests an organisation has.
pub fn queue_len(conn: &mut AnyConnection, organisation_id: Uuid) -> StorageResult<i64> {
    Ok(check_requests::table
        .filter(check_requests::partner_organisation_id.eq(organisation_id.to_string()))
        .filter(check_requests::status.eq_any([
            RequestStatus::Sent.code(),
            RequestStatus::Acknowledged.code(),
        ]))
        .count()
        .get_result(conn)?)
}

diesel::define_sql_function! {
    /// SQL `lower`, so the queue's search ignores case on PostgreSQL as on SQLite.
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

diesel::define_sql_function! {
    /// SQL `replace`, the same on PostgreSQL and SQLite.
    fn replace(
        text: diesel::sql_types::Text,
        from: diesel::sql_types::Text,
        to: diesel::sql_types::Text,
    ) -> diesel::sql_types::Text;
}

type Backend = <AnyConnection as diesel::Connection>::Backend;

/// Which of an organisation's requests the portal lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueueShow {
    /// Sent or acknowledged: waiting for an answer.
    #[default]
    Waiting,
    /// Waiting, and past the day they were due by.
    Overdue,
    /// Answered, so the partner can find what they said.
    Answered,
    /// Declined by the partner or withdrawn by the probation service.
    Closed,
}

impl QueueShow {
    /// Whether the listed requests are outstanding, so the person's details are shared with them.
    pub fn outstanding(self) -> bool {
        matches!(self, QueueShow::Waiting | QueueShow::Overdue)
    }
}

/// The order of the portal's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueueSort {
    /// Soonest due first: what to answer next.
    #[default]
    DueSoonest,
    DueLatest,
    SentNewest,
    SentOldest,
    /// Most recently answered, declined or withdrawn first.
    ClosedNewest,
}

/// What a partner asked the portal's list for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub show: QueueShow,
    pub kind: Option<RequestType>,
    /// A reference (the first 8 characters of the request id) on every list; on the outstanding
    /// lists also a CRN, part of a name or part of a postcode — the person's details are shared
    /// only while a request is outstanding, so a closed request cannot be found by them.
    pub search: Option<String>,
    pub sort: QueueSort,
}

/// The organisation's requests matching `filter` as of `today`, unordered, as a boxed query the
/// page and the count share. Searches are subqueries on the person and the address, so no join is needed.
fn matching(
    organisation_id: Uuid,
    filter: &QueueFilter,
    today: NaiveDate,
) -> check_requests::BoxedQuery<'static, Backend> {
    let mut query = check_requests::table
        .filter(check_requests::partner_organisation_id.eq(organisation_id.to_string()))
        .into_boxed();
    let statuses: &[RequestStatus] = match filter.show {
        QueueShow::Waiting | QueueShow::Overdue => {
            &[RequestStatus::Sent, RequestStatus::Acknowledged]
        }
        QueueShow::Answered => &[RequestStatus::Responded],
        QueueShow::Closed => &[RequestStatus::Declined, RequestStatus::Withdrawn],
    };
    query = query.filter(check_requests::status.eq_any(statuses.iter().map(|s| s.code())));
    if filter.show == QueueShow::Overdue {
        query = query.filter(check_requests::deadline.lt(today));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(check_requests::kind.eq(kind.code()));
    }
    if let Some(text) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let escaped = text
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let reference = lower(check_requests::id)
            .like(format!("{escaped}%"))
            .escape('\\');
        if filter.show.outstanding() {
            let people_matching = people::table
                .filter(
                    lower(people::crn).eq(text.to_lowercase()).or(lower(
                        people::first_name.concat(" ").concat(people::last_name),
                    )
                    .like(format!("%{escaped}%"))
                    .escape('\\')),
                )
                .select(people::id);
            // Postcodes match with or without their space: "ln11aa" finds "LN1 1AA".
            let compact = escaped.replace(' ', "");
            let addresses_matching = addresses::table
                .filter(
                    lower(replace(addresses::postcode, " ", ""))
                        .like(format!("%{compact}%"))
                        .escape('\\'),
                )
                .select(addresses::id.nullable());
            query = query.filter(
                reference
                    .or(check_requests::person_id.eq_any(people_matching))
                    .or(check_requests::address_id.eq_any(addresses_matching)),
            );
        } else {
            query = query.filter(reference);
        }
    }
    query
}

/// A page (`offset`, `limit`) of the organisation's requests matching `filter`, in the order it
/// asks for: one query for the page's ids, then [`load_requests`]'s fixed few.
pub fn search_queue(
    conn: &mut AnyConnection,
    organisation_id: Uuid,
    filter: &QueueFilter,
    today: NaiveDate,
    offset: i64,
    limit: i64,
) -> StorageResult<Vec<StoredRequest>> {
    let query = matching(organisation_id, filter, today);
    // Ordered here, not in `matching`: PostgreSQL refuses an ORDER BY in a count.
    let query = match filter.sort {
        QueueSort::DueSoonest => query.order((check_requests::deadline.asc(), check_requests::id)),
        QueueSort::DueLatest => query.order((check_requests::deadline.desc(), check_requests::id)),
        QueueSort::SentNewest => {
            query.order((check_requests::requested_on.desc(), check_requests::id))
        }
        QueueSort::SentOldest => {
            query.order((check_requests::requested_on.asc(), check_requests::id))
        }
        QueueSort::ClosedNewest => {
            query.order((check_requests::closed_on.desc(), check_requests::id))
        }
    };
    let ids: Vec<String> = query
        .select(check_requests::id)
        .offset(offset)
        .limit(limit)
        .load(conn)?;
    let mut found = load_requests(conn, Some(organisation_id), Some(&ids), false, None)?;
    let position = |id: Uuid| ids.iter().position(|i| *i == id.to_string());
    found.sort_by_key(|r| position(r.request.id));
    Ok(found)
}

/// How many of the organisation's requests match `filter`.
pub fn search_queue_len(
    conn: &mut AnyConnection,
    organisation_id: Uuid,
    filter: &QueueFilter,
    today: NaiveDate,
) -> StorageResult<i64> {
    Ok(matching(organisation_id, filter, today)
        .count()
        .get_result(conn)?)
}

/// One request sent to any partner; [`StorageError::NotFound`] for an unknown id or a check the
/// practitioner recorded. Callers decide with the domain whether the asker may see it.
pub fn request(conn: &mut AnyConnection, id: Uuid) -> StorageResult<StoredRequest> {
    load_requests(conn, None, Some(&[id.to_string()]), false, None)?
        .into_iter()
        .next()
        .ok_or(StorageError::NotFound)
}

/// Every request sent to partners about a person, by deadline.
pub fn for_person(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<StoredRequest>> {
    let ids: Vec<String> = check_requests::table
        .filter(check_requests::person_id.eq(person_id.to_string()))
        .filter(check_requests::partner_organisation_id.is_not_null())
        .select(check_requests::id)
        .load(conn)?;
    load_requests(conn, None, Some(&ids), false, None)
}

/// Marks an existing check request as sent to a partner organisation (the practitioner's request
/// is the same row: one fact entered once).
pub fn send_to(
    conn: &mut AnyConnection,
    check_id: Uuid,
    organisation_id: Uuid,
) -> StorageResult<()> {
    diesel::update(check_requests::table.find(check_id.to_string()))
        .set((
            check_requests::partner_organisation_id.eq(Some(organisation_id.to_string())),
            check_requests::status.eq(Some(RequestStatus::Sent.code())),
        ))
        .execute(conn)?;
    Ok(())
}

/// Stores the state a domain transition returned, guarded by the status it was loaded with, so two
/// answers at once cannot both land: the second is a [`StorageError::Conflict`]. `responded_by`
/// names who answered for the partner.
pub fn store_transition(
    conn: &mut AnyConnection,
    before: RequestStatus,
    after: &CheckRequest,
    responded_by: &str,
) -> StorageResult<()> {
    let key = after.id.to_string();
    let guard = check_requests::table
        .filter(check_requests::id.eq(&key))
        .filter(check_requests::status.eq(before.code()));
    let updated = match &after.state {
        RequestState::Draft | RequestState::Sent(_) => 0,
        RequestState::Acknowledged {
            acknowledged_on, ..
        } => diesel::update(guard)
            .set((
                check_requests::status.eq(Some(RequestStatus::Acknowledged.code())),
                check_requests::acknowledged_on.eq(Some(*acknowledged_on)),
            ))
            .execute(conn)?,
        RequestState::Responded {
            responded_on,
            response,
            ..
        } => {
            let updated = diesel::update(guard)
                .set((
                    check_requests::status.eq(Some(RequestStatus::Responded.code())),
                    check_requests::closed_on.eq(Some(*responded_on)),
                    check_requests::response_received_on.eq(Some(*responded_on)),
                    check_requests::response_known_to_agency.eq(Some(response.known_to_service)),
                    check_requests::response_summary.eq(Some(response_summary(response))),
                    check_requests::response_risk_notes.eq(Some(response.risk_notes.as_str())),
                    check_requests::responded_by.eq(Some(responded_by)),
                ))
                .execute(conn)?;
            if updated == 1 {
                for (position, incident) in response.incidents.iter().enumerate() {
                    diesel::insert_into(check_response_incidents::table)
                        .values((
                            check_response_incidents::check_id.eq(&key),
                            check_response_incidents::position.eq(position as i32),
                            check_response_incidents::occurred_on.eq(incident.date),
                            check_response_incidents::kind.eq(incident.kind.code()),
                            check_response_incidents::summary.eq(incident.summary.as_str()),
                        ))
                        .execute(conn)?;
                }
                for involvement in &response.current_involvement {
                    diesel::insert_into(check_response_involvement::table)
                        .values((
                            check_response_involvement::check_id.eq(&key),
                            check_response_involvement::involvement.eq(involvement.code()),
                        ))
                        .execute(conn)?;
                }
            }
            updated
        }
        RequestState::Declined {
            declined_on,
            reason,
            detail,
            ..
        } => diesel::update(guard)
            .set((
                check_requests::status.eq(Some(RequestStatus::Declined.code())),
                check_requests::closed_on.eq(Some(*declined_on)),
                check_requests::decline_reason.eq(Some(reason.code())),
                check_requests::close_detail.eq(Some(detail.as_str())),
                check_requests::responded_by.eq(Some(responded_by)),
            ))
            .execute(conn)?,
        RequestState::Withdrawn {
            withdrawn_on,
            reason,
            ..
        } => diesel::update(guard)
            .set((
                check_requests::status.eq(Some(RequestStatus::Withdrawn.code())),
                check_requests::closed_on.eq(Some(*withdrawn_on)),
                check_requests::close_detail.eq(Some(reason.as_str())),
            ))
            .execute(conn)?,
    };
    if updated == 0 {
        return Err(StorageError::Conflict(
            "This request changed while you were working on it: reload it to see where it stands"
                .into(),
        ));
    }
    Ok(())
}

/// The summary the practitioner and the assessment read: the partner's own words, then each
/// incident and the current involvement, so nothing they sent is hidden behind a link.
pub fn response_summary(response: &PartnerResponse) -> String {
    let mut parts = Vec::new();
    if !response.free_text.is_empty() {
        parts.push(response.free_text.as_str().to_owned());
    }
    for incident in &response.incidents {
        parts.push(format!(
            "{} on {}: {}",
            incident.kind.label(),
            keepsafe_domain::calendar::long_date(incident.date),
            incident.summary.as_str()
        ));
    }
    if !response.current_involvement.is_empty() {
        parts.push(format!(
            "Current involvement: {}",
            response
                .current_involvement
                .iter()
                .map(|i| i.label())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !response.risk_notes.is_empty() {
        parts.push(format!("Risk notes: {}", response.risk_notes.as_str()));
    }
    if parts.is_empty() {
        parts.push(if response.known_to_service {
            "Known to the service.".to_owned()
        } else {
            "Not known to the service.".to_owned()
        });
    }
    parts.join("\n")
}

/// What a partner may see of the person a request is about: their name, date of birth, the
/// address on the request and its postcode, the current household (names and dates of birth), their
/// previous addresses and who asked. The domain decides which of these each request type shares.
/// Nothing else of the case record is read.
pub fn shareable_details(
    conn: &mut AnyConnection,
    stored: &StoredRequest,
    today: NaiveDate,
) -> StorageResult<ShareableCaseDetails> {
    shareable_details_for(conn, std::slice::from_ref(stored), today)?
        .pop()
        .ok_or(StorageError::NotFound)
}

/// [`shareable_details`] for many requests in a fixed number of queries per 500, in the order
/// given: the bulk path for a partner's queue and the API's list.
pub fn shareable_details_for(
    conn: &mut AnyConnection,
    requests: &[StoredRequest],
    today: NaiveDate,
) -> StorageResult<Vec<ShareableCaseDetails>> {
    let keys: Vec<String> = requests.iter().map(|r| r.person_id.to_string()).collect();
    let mut people_found: std::collections::HashMap<String, (String, String, NaiveDate)> =
        Default::default();
    let mut households: std::collections::HashMap<String, Vec<ShareableResident>> =
        Default::default();
    let mut occupiers: std::collections::HashMap<(String, String), String> = Default::default();
    let mut postcodes: std::collections::HashMap<String, String> = Default::default();
    let mut previous: std::collections::HashMap<String, Vec<ShareableAddress>> = Default::default();
    let mut aliases: std::collections::HashMap<String, Vec<String>> = Default::default();
    for chunk in keys.chunks(500) {
        for (person, first, last) in person_aliases::table
            .filter(person_aliases::person_id.eq_any(chunk))
            .order((
                person_aliases::last_name.asc(),
                person_aliases::first_name.asc(),
            ))
            .select((
                person_aliases::person_id,
                person_aliases::first_name,
                person_aliases::last_name,
            ))
            .load::<(String, String, String)>(conn)?
        {
            aliases
                .entry(person)
                .or_default()
                .push(format!("{first} {last}"));
        }
        for (id, first, last, born) in people::table
            .filter(people::id.eq_any(chunk))
            .select((
                people::id,
                people::first_name,
                people::last_name,
                people::date_of_birth,
            ))
            .load::<(String, String, String, NaiveDate)>(conn)?
        {
            people_found.insert(id, (first, last, born));
        }
        for (person, first, last, born) in household_members::table
            .filter(household_members::person_id.eq_any(chunk))
            .filter(household_members::start_date.le(today))
            .filter(
                household_members::end_date
                    .is_null()
                    .or(household_members::end_date.gt(today)),
            )
            .order(household_members::date_of_birth.asc())
            .select((
                household_members::person_id,
                household_members::first_name,
                household_members::last_name,
                household_members::date_of_birth,
            ))
            .load::<(String, String, String, Option<NaiveDate>)>(conn)?
        {
            households
                .entry(person)
                .or_default()
                .push(ShareableResident {
                    name: format!("{first} {last}"),
                    date_of_birth: born,
                });
        }
        // The main occupier the officer recorded on the address check, newest first so the
        // latest recording wins; the domain shares it only on an occupier check.
        for (person, address, occupier) in address_checks::table
            .filter(address_checks::person_id.eq_any(chunk))
            .filter(address_checks::main_occupier.is_not_null())
            .order(address_checks::updated_at.desc())
            .select((
                address_checks::person_id,
                address_checks::address_id,
                address_checks::main_occupier,
            ))
            .load::<(String, String, Option<String>)>(conn)?
        {
            if let Some(name) = occupier.filter(|n| !n.trim().is_empty()) {
                occupiers.entry((person, address)).or_insert(name);
            }
        }
        for (id, person, line1, line2, town, postcode, status, from, to) in addresses::table
            .filter(addresses::person_id.eq_any(chunk))
            .order(addresses::start_date.desc())
            .select((
                addresses::id,
                addresses::person_id,
                addresses::line1,
                addresses::line2,
                addresses::town,
                addresses::postcode,
                addresses::status,
                addresses::start_date,
                addresses::end_date,
            ))
            .load::<AddressRow>(conn)?
        {
            postcodes.insert(id, postcode.clone());
            let ended = to.is_some_and(|end| end <= today);
            if ended || status == AddressStatus::Previous.code() {
                let description = [Some(line1), line2, Some(town), Some(postcode)]
                    .into_iter()
                    .flatten()
                    .filter(|part| !part.trim().is_empty())
                    .collect::<Vec<_>>()
                    .join(", ");
                previous.entry(person).or_default().push(ShareableAddress {
                    description,
                    from,
                    to,
                });
            }
        }
    }
    let askers = requesters(conn, requests)?;
    requests
        .iter()
        .map(|stored| {
            let key = stored.person_id.to_string();
            let (first, last, born) = people_found.get(&key).cloned().ok_or_else(|| {
                StorageError::Corrupt(format!("request {} names no person", stored.request.id))
            })?;
            Ok(ShareableCaseDetails {
                crn: stored.request.crn.clone(),
                name: format!("{first} {last}"),
                aliases: aliases.get(&key).cloned().unwrap_or_default(),
                date_of_birth: born,
                address: Some(stored.address_description.clone()),
                postcode: stored
                    .request
                    .address_id
                    .and_then(|address| postcodes.get(&address.to_string()).cloned()),
                residents: households.get(&key).cloned().unwrap_or_default(),
                main_occupier: stored.request.address_id.and_then(|address| {
                    occupiers.get(&(key.clone(), address.to_string())).cloned()
                }),
                previous_addresses: previous.get(&key).cloned().unwrap_or_default(),
                asked_by: askers.get(&stored.request.id).cloned(),
            })
        })
        .collect()
}

/// Address id, person id, line 1, line 2, town, postcode, status, from, to.
type AddressRow = (
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    NaiveDate,
    Option<NaiveDate>,
);

/// Who asked for each request, with their team and PDU: three queries per 500 requests.
fn requesters(
    conn: &mut AnyConnection,
    requests: &[StoredRequest],
) -> StorageResult<std::collections::HashMap<Uuid, Requester>> {
    use crate::schema::{pdus, teams};
    let ids: Vec<String> = requests.iter().map(|r| r.request.id.to_string()).collect();
    let mut asked: Vec<(String, String)> = Vec::new();
    for chunk in ids.chunks(500) {
        asked.extend(
            check_requests::table
                .filter(check_requests::id.eq_any(chunk))
                .select((check_requests::id, check_requests::requested_by))
                .load::<(String, String)>(conn)?,
        );
    }
    let mut staff_ids: Vec<String> = asked.iter().map(|(_, by)| by.clone()).collect();
    staff_ids.sort();
    staff_ids.dedup();
    let mut people_found: std::collections::HashMap<
        String,
        (String, Option<String>, Option<String>),
    > = Default::default();
    for chunk in staff_ids.chunks(500) {
        for (id, first, last, team, pdu) in staff::table
            .filter(staff::id.eq_any(chunk))
            .select((
                staff::id,
                staff::first_name,
                staff::last_name,
                staff::team_id,
                staff::pdu_id,
            ))
            .load::<(String, String, String, Option<String>, Option<String>)>(conn)?
        {
            people_found.insert(id, (format!("{first} {last}"), team, pdu));
        }
    }
    let team_names: std::collections::HashMap<String, (String, String)> = teams::table
        .inner_join(pdus::table)
        .filter(
            teams::id.eq_any(
                people_found
                    .values()
                    .filter_map(|(_, team, _)| team.clone())
                    .collect::<Vec<_>>(),
            ),
        )
        .select((teams::id, teams::name, pdus::name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, team, pdu)| (id, (team, pdu)))
        .collect();
    let pdu_names: std::collections::HashMap<String, String> = pdus::table
        .filter(
            pdus::id.eq_any(
                people_found
                    .values()
                    .filter_map(|(_, _, pdu)| pdu.clone())
                    .collect::<Vec<_>>(),
            ),
        )
        .select((pdus::id, pdus::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    asked
        .into_iter()
        .filter_map(|(request, by)| {
            let (name, team, pdu) = people_found.get(&by)?.clone();
            let team = team.and_then(|t| team_names.get(&t).cloned());
            Some((request, name, team, pdu))
        })
        .map(|(request, name, team, pdu)| {
            Ok((
                rows::id(&request)?,
                Requester {
                    name,
                    pdu: team
                        .as_ref()
                        .map(|(_, pdu)| pdu.clone())
                        .or_else(|| pdu.and_then(|p| pdu_names.get(&p).cloned())),
                    team: team.map(|(team, _)| team),
                },
            ))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Attachments to answers.

/// Stores the files attached to an answer, in the order the domain checked them, with the SHA-256
/// of the bytes received. Called in the transaction that stores the answer, so an answer is never
/// kept without its files or the other way round. `contents[i]` is the file `attachments[i]`
/// describes.
pub fn store_attachments(
    conn: &mut AnyConnection,
    check_id: Uuid,
    attachments: &[Attachment],
    contents: &[Vec<u8>],
) -> StorageResult<()> {
    if attachments.len() != contents.len() {
        return Err(StorageError::Corrupt(format!(
            "{} attachments described but {} files received",
            attachments.len(),
            contents.len()
        )));
    }
    for (position, (attachment, bytes)) in attachments.iter().zip(contents).enumerate() {
        diesel::insert_into(check_response_attachments::table)
            .values((
                check_response_attachments::check_id.eq(check_id.to_string()),
                check_response_attachments::position.eq(position as i32),
                check_response_attachments::file_name.eq(&attachment.file_name),
                check_response_attachments::media_type.eq(attachment.media_type.code()),
                check_response_attachments::size_bytes.eq(bytes.len() as i64),
                check_response_attachments::sha256.eq(sha256_hex(bytes)),
                check_response_attachments::content.eq(bytes),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// One attached file and its bytes; `NotFound` when the request has no file at that position.
pub fn attachment(
    conn: &mut AnyConnection,
    check_id: Uuid,
    position: i32,
) -> StorageResult<(Attachment, String, Vec<u8>)> {
    let (name, media_type, sha, content) = check_response_attachments::table
        .find((check_id.to_string(), position))
        .select((
            check_response_attachments::file_name,
            check_response_attachments::media_type,
            check_response_attachments::sha256,
            check_response_attachments::content,
        ))
        .first::<(String, String, String, Vec<u8>)>(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    Ok((
        Attachment {
            file_name: name,
            media_type: rows::code(&media_type)?,
            size_bytes: content.len() as u64,
        },
        sha,
        content,
    ))
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Per-partner deadlines.

/// A partner's own timescale as stored, with who agreed it and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDeadlineOverride {
    pub organisation_id: Uuid,
    pub organisation: String,
    pub request_type: RequestType,
    pub working_days: u32,
    pub reason: String,
    pub set_by: String,
    pub set_at: NaiveDateTime,
}

/// Every partner's own timescale, by organisation name and request type.
pub fn deadline_overrides(conn: &mut AnyConnection) -> StorageResult<Vec<StoredDeadlineOverride>> {
    partner_deadline_overrides::table
        .inner_join(
            partner_organisations::table
                .on(partner_organisations::id.eq(partner_deadline_overrides::organisation_id)),
        )
        .order((
            partner_organisations::name.asc(),
            partner_deadline_overrides::request_type.asc(),
        ))
        .select((
            partner_deadline_overrides::organisation_id,
            partner_organisations::name,
            partner_deadline_overrides::request_type,
            partner_deadline_overrides::working_days,
            partner_deadline_overrides::reason,
            partner_deadline_overrides::set_by,
            partner_deadline_overrides::set_at,
        ))
        .load::<(String, String, String, i32, String, String, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(org, name, kind, days, reason, by, at)| {
            Ok(StoredDeadlineOverride {
                organisation_id: rows::id(&org)?,
                organisation: name,
                request_type: rows::code(&kind)?,
                working_days: days.max(0) as u32,
                reason,
                set_by: by,
                set_at: at,
            })
        })
        .collect()
}

/// The deadline rules in force: `base` with every partner's own timescale added. A stored override
/// the domain refuses (none can be: the table allows one per organisation and type, and more than
/// zero days) would be corrupt data.
pub fn deadline_rules(
    conn: &mut AnyConnection,
    base: DeadlineRules,
) -> StorageResult<DeadlineRules> {
    deadline_overrides(conn)?
        .into_iter()
        .try_fold(base, |rules, o| {
            rules
                .with_override(o.organisation_id, o.request_type, o.working_days)
                .map_err(|e| StorageError::Corrupt(e.to_string()))
        })
}

/// Sets (or replaces) a partner's own timescale for one request type. `set_by` is the audit name
/// of whoever agreed it.
pub fn set_deadline_override(
    conn: &mut AnyConnection,
    organisation_id: Uuid,
    request_type: RequestType,
    working_days: u32,
    reason: &str,
    set_by: &str,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    clear_deadline_override(conn, organisation_id, request_type)?;
    diesel::insert_into(partner_deadline_overrides::table)
        .values((
            partner_deadline_overrides::organisation_id.eq(organisation_id.to_string()),
            partner_deadline_overrides::request_type.eq(request_type.code()),
            partner_deadline_overrides::working_days.eq(working_days as i32),
            partner_deadline_overrides::reason.eq(reason),
            partner_deadline_overrides::set_by.eq(set_by),
            partner_deadline_overrides::set_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Removes a partner's own timescale, so the standard applies again; true if there was one.
pub fn clear_deadline_override(
    conn: &mut AnyConnection,
    organisation_id: Uuid,
    request_type: RequestType,
) -> StorageResult<bool> {
    Ok(diesel::delete(
        partner_deadline_overrides::table.find((organisation_id.to_string(), request_type.code())),
    )
    .execute(conn)?
        > 0)
}

// ---------------------------------------------------------------------------------------------
// Idempotency of API writes.

/// The answer first given to this token's `key`: (request fingerprint, status, body).
pub fn idempotent_answer(
    conn: &mut AnyConnection,
    token_id: Uuid,
    key: &str,
) -> StorageResult<Option<(String, i32, String)>> {
    Ok(partner_idempotency::table
        .find((token_id.to_string(), key))
        .select((
            partner_idempotency::request_fingerprint,
            partner_idempotency::status,
            partner_idempotency::body,
        ))
        .first(conn)
        .optional()?)
}

/// Keeps the answer given to this token's `key`, so a retry gets it again.
pub fn remember_answer(
    conn: &mut AnyConnection,
    token_id: Uuid,
    key: &str,
    fingerprint: &str,
    status: i32,
    body: &str,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    diesel::insert_into(partner_idempotency::table)
        .values((
            partner_idempotency::token_id.eq(token_id.to_string()),
            partner_idempotency::idempotency_key.eq(key),
            partner_idempotency::request_fingerprint.eq(fingerprint),
            partner_idempotency::status.eq(status),
            partner_idempotency::body.eq(body),
            partner_idempotency::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Statistics.

/// Every request sent to partners, as the response-time statistics read it, by organisation — for
/// one organisation, one PDU's cases, or everything — in one query.
pub fn statistics_records(
    conn: &mut AnyConnection,
    organisation_id: Option<Uuid>,
    pdu_id: Option<Uuid>,
) -> StorageResult<Vec<(Uuid, keepsafe_domain::partner::RequestRecord)>> {
    use keepsafe_domain::partner::{Outcome, RequestRecord};
    let mut query = check_requests::table
        .inner_join(people::table)
        .filter(check_requests::partner_organisation_id.is_not_null())
        .select((
            check_requests::id,
            check_requests::partner_organisation_id,
            check_requests::requested_on,
            check_requests::deadline,
            check_requests::status,
            check_requests::closed_on,
        ))
        .into_boxed();
    if let Some(org) = organisation_id {
        query = query.filter(check_requests::partner_organisation_id.eq(org.to_string()));
    }
    if let Some(pdu) = pdu_id {
        query = query.filter(people::pdu_id.eq(pdu.to_string()));
    }
    query
        .load::<(
            String,
            Option<String>,
            NaiveDate,
            NaiveDate,
            Option<String>,
            Option<NaiveDate>,
        )>(conn)?
        .into_iter()
        .map(|(id, org, sent_on, due_by, status, closed)| {
            let status: RequestStatus = rows::code(status.as_deref().unwrap_or("sent"))?;
            let closed = || {
                closed.ok_or_else(|| {
                    StorageError::Corrupt(format!("closed request {id} has no date"))
                })
            };
            let outcome = match status {
                RequestStatus::Responded => Outcome::Responded(closed()?),
                RequestStatus::Declined => Outcome::Declined(closed()?),
                RequestStatus::Withdrawn => Outcome::Withdrawn(closed()?),
                _ => Outcome::Outstanding,
            };
            Ok((
                rows::id(org.as_deref().unwrap_or_default())?,
                RequestRecord {
                    request_id: rows::id(&id)?,
                    sent_on,
                    due_by,
                    outcome,
                },
            ))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Reminders and escalation.

/// The kind of the task an escalation gives the senior probation officer.
pub const CHASE_TASK: &str = "chase_partner_check";

/// What one reminder run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReminderRun {
    /// Outstanding requests looked at.
    pub requests: usize,
    /// Reminders recorded for partners (shown in their queue and API).
    pub partner_reminders: usize,
    /// Escalations recorded, each a task for the case's senior probation officer.
    pub escalations: usize,
    /// Escalations with nobody to give them to (no senior officer in the case's team or PDU).
    pub unassigned_escalations: usize,
}

/// Request id, person id, PDU id, type, status, sent on, due by, organisation id and name, asked
/// by, the person's CRN, first and last names.
type OutstandingRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    NaiveDate,
    NaiveDate,
    String,
    String,
    String,
    String,
    String,
    String,
);

/// The words a chase task's title puts before a request's reference; [`chased_checks`] reads the
/// reference back to link the task to the check it chases.
const CHASE_REFERENCE: &str = "reference ";

/// Everything a senior officer needs to chase a partner without looking anything up: who the check
/// is about, who asked and holds the case, whom to ask at the partner, and the reference the
/// partner quotes.
struct Chase<'a> {
    kind: RequestType,
    organisation: &'a str,
    person: String,
    crn: &'a str,
    reference: String,
    due_by: NaiveDate,
    asked_by: Option<&'a str>,
    practitioner: Option<&'a str>,
    contacts: &'a [String],
    reminder: &'a keepsafe_domain::partner::Reminder,
}

impl Chase<'_> {
    fn title(&self) -> String {
        let asked = match (self.asked_by, self.practitioner) {
            (Some(asked), Some(holder)) if asked == holder => {
                format!("Asked for by {asked}, who holds the case.")
            }
            (Some(asked), Some(holder)) => {
                format!("Asked for by {asked}; the case is held by {holder}.")
            }
            (Some(asked), None) => {
                format!("Asked for by {asked}; the case is waiting for allocation.")
            }
            (None, Some(holder)) => format!("The case is held by {holder}."),
            (None, None) => "The case is waiting for allocation.".to_owned(),
        };
        let contact = match self.contacts {
            [] => format!(
                "{} has no partner manager named in keepsafe: ask whoever answers for them.",
                self.organisation
            ),
            names => format!(
                "Contact at {}: {} (partner manager{}).",
                self.organisation,
                names.join(", "),
                if names.len() == 1 { "" } else { "s" }
            ),
        };
        format!(
            "Chase {org} for the overdue {kind} about {person} ({crn}), {CHASE_REFERENCE}{reference}, \
             due {due} ({reminder}). {asked} {contact}",
            org = self.organisation,
            kind = self.kind.label().to_lowercase(),
            person = self.person,
            crn = self.crn,
            reference = self.reference,
            due = keepsafe_domain::calendar::long_date(self.due_by),
            reminder = self.reminder.describe(),
        )
    }
}

/// The partner managers of each organisation, by organisation id: the people a chase names.
fn partner_contacts(
    conn: &mut AnyConnection,
) -> StorageResult<std::collections::HashMap<String, Vec<String>>> {
    let mut found: std::collections::HashMap<String, Vec<String>> = Default::default();
    for (org, first, last) in staff::table
        .filter(staff::active.eq(true))
        .filter(staff::partner_role.eq(PartnerRole::Manager.code()))
        .order((staff::last_name, staff::first_name))
        .select((
            staff::partner_organisation_id,
            staff::first_name,
            staff::last_name,
        ))
        .load::<(Option<String>, String, String)>(conn)?
    {
        if let Some(org) = org {
            found
                .entry(org)
                .or_default()
                .push(format!("{first} {last}"));
        }
    }
    Ok(found)
}

/// Records every reminder and escalation due on `today` for every outstanding request sent to a
/// partner, following the domain's schedule ([`DeadlineRules::reminder_due`]). Safe to run as often
/// as wanted: each reminder is recorded once. An escalation becomes a task, due in 2 working days,
/// for the senior probation officer of the case's team (the head of PDU for a case waiting for
/// allocation), naming the person, who asked, who holds the case, the partner's contact and the
/// reference ([`chased_checks`] links the task to the check). A fixed number of queries, plus one
/// insert per reminder recorded.
pub fn run_reminders(
    conn: &mut AnyConnection,
    rules: &keepsafe_domain::partner::DeadlineRules,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> StorageResult<ReminderRun> {
    use crate::schema::{allocations, partner_reminders};
    use keepsafe_domain::partner::{Reminder, ReminderDecision, ReminderFacts};
    let outstanding = check_requests::table
        .inner_join(people::table)
        .inner_join(
            partner_organisations::table.on(partner_organisations::id
                .nullable()
                .eq(check_requests::partner_organisation_id)),
        )
        .filter(check_requests::status.eq_any([
            RequestStatus::Sent.code(),
            RequestStatus::Acknowledged.code(),
        ]))
        .select((
            check_requests::id,
            check_requests::person_id,
            people::pdu_id,
            check_requests::kind,
            check_requests::status,
            check_requests::requested_on,
            check_requests::deadline,
            partner_organisations::id,
            partner_organisations::name,
            check_requests::requested_by,
            people::crn,
            people::first_name,
            people::last_name,
        ))
        .load::<OutstandingRow>(conn)?;
    let ids: Vec<String> = outstanding.iter().map(|r| r.0.clone()).collect();
    let mut sent: std::collections::HashMap<String, Vec<Reminder>> = Default::default();
    for chunk in ids.chunks(500) {
        for (id, key) in partner_reminders::table
            .filter(partner_reminders::check_id.eq_any(chunk))
            .select((partner_reminders::check_id, partner_reminders::reminder_key))
            .load::<(String, String)>(conn)?
        {
            if let Some(reminder) = Reminder::from_key(&key) {
                sent.entry(id).or_default().push(reminder);
            }
        }
    }
    // Who oversees each case: its current team's senior officer, else the PDU's head; and who
    // holds it.
    let people_keys: Vec<String> = outstanding.iter().map(|r| r.1.clone()).collect();
    let mut team_of: std::collections::HashMap<String, String> = Default::default();
    let mut holder_of: std::collections::HashMap<String, String> = Default::default();
    for chunk in people_keys.chunks(500) {
        for (person, team, holder) in allocations::table
            .filter(allocations::person_id.eq_any(chunk))
            .filter(allocations::end_date.is_null())
            .select((
                allocations::person_id,
                allocations::team_id,
                allocations::staff_id,
            ))
            .load::<(String, String, String)>(conn)?
        {
            team_of.insert(person.clone(), team);
            holder_of.insert(person, holder);
        }
    }
    let mut named: Vec<String> = holder_of.values().cloned().collect();
    named.extend(outstanding.iter().map(|r| r.9.clone()));
    named.sort();
    named.dedup();
    let mut staff_names: std::collections::HashMap<String, String> = Default::default();
    for chunk in named.chunks(500) {
        staff_names.extend(
            staff::table
                .filter(staff::id.eq_any(chunk))
                .select((staff::id, staff::first_name, staff::last_name))
                .load::<(String, String, String)>(conn)?
                .into_iter()
                .map(|(id, first, last)| (id, format!("{first} {last}"))),
        );
    }
    let contacts = partner_contacts(conn)?;
    let managers = staff::table
        .filter(staff::active.eq(true))
        .filter(staff::grade.eq_any(["spo", "head_of_pdu"]))
        .select((staff::id, staff::grade, staff::team_id, staff::pdu_id))
        .load::<(String, String, Option<String>, Option<String>)>(conn)?;
    let spo_of_team = |team: &str| {
        managers
            .iter()
            .find(|(_, grade, t, _)| grade == "spo" && t.as_deref() == Some(team))
            .map(|(id, ..)| id.clone())
    };
    let head_of_pdu = |pdu: &str| {
        managers
            .iter()
            .find(|(_, grade, _, p)| grade == "head_of_pdu" && p.as_deref() == Some(pdu))
            .map(|(id, ..)| id.clone())
    };

    let mut run = ReminderRun {
        requests: outstanding.len(),
        ..Default::default()
    };
    for (
        id,
        person,
        pdu,
        kind,
        status,
        sent_on,
        due_by,
        org_id,
        org_name,
        asked_by,
        crn,
        first,
        last,
    ) in outstanding
    {
        let facts = ReminderFacts {
            status: rows::code(status.as_deref().unwrap_or("sent"))?,
            sent_on,
            due_by,
            already_sent: sent.remove(&id).unwrap_or_default(),
        };
        let ReminderDecision::Due {
            reminder,
            scheduled_for,
            explanation,
        } = rules.reminder_due(&facts, today)
        else {
            continue;
        };
        diesel::insert_into(partner_reminders::table)
            .values((
                partner_reminders::check_id.eq(&id),
                partner_reminders::reminder_key.eq(reminder.key()),
                partner_reminders::audience.eq(reminder.audience().code()),
                partner_reminders::scheduled_for.eq(scheduled_for),
                partner_reminders::recorded_at.eq(now.naive_utc()),
                partner_reminders::explanation.eq(explanation.steps.join(" ")),
            ))
            .execute(conn)?;
        match reminder {
            Reminder::Advance | Reminder::DeadlineDay => run.partner_reminders += 1,
            Reminder::Escalation(_) => {
                run.escalations += 1;
                let owner = team_of
                    .get(&person)
                    .and_then(|team| spo_of_team(team))
                    .or_else(|| head_of_pdu(&pdu));
                let Some(owner) = owner else {
                    run.unassigned_escalations += 1;
                    continue;
                };
                let title = Chase {
                    kind: rows::code(&kind)?,
                    organisation: &org_name,
                    person: format!("{first} {last}"),
                    crn: &crn,
                    reference: short_reference(rows::id(&id)?),
                    due_by,
                    asked_by: staff_names.get(&asked_by).map(String::as_str),
                    practitioner: holder_of
                        .get(&person)
                        .and_then(|holder| staff_names.get(holder))
                        .map(String::as_str),
                    contacts: contacts.get(&org_id).map_or(&[][..], Vec::as_slice),
                    reminder: &reminder,
                }
                .title();
                crate::workload::allocation::create_task(
                    conn,
                    &crate::workload::allocation::NewTask {
                        staff_id: rows::id(&owner)?,
                        person_id: rows::id(&person)?,
                        kind: CHASE_TASK,
                        title: &title,
                        due_on: keepsafe_domain::calendar::add_working_days(today, 2),
                        created_by: None,
                    },
                    now,
                )?;
            }
        }
    }
    Ok(run)
}

/// The reference partners quote for a request: the first block of its id, upper case.
pub fn short_reference(id: Uuid) -> String {
    id.simple().to_string()[..8].to_ascii_uppercase()
}

/// The check each chase task is about, by task id: read from the reference its title carries and
/// found among the partner requests of the task's person (one query). Tasks of other kinds, and
/// chases whose check cannot be found, are left out.
pub fn chased_checks(
    conn: &mut AnyConnection,
    tasks: &[crate::workload::allocation::PractitionerTask],
) -> StorageResult<std::collections::HashMap<Uuid, Uuid>> {
    let chases: Vec<(&crate::workload::allocation::PractitionerTask, String)> = tasks
        .iter()
        .filter(|t| t.kind == CHASE_TASK)
        .filter_map(|t| {
            let at = t.title.find(CHASE_REFERENCE)? + CHASE_REFERENCE.len();
            let reference = t.title.get(at..at + 8)?.to_ascii_lowercase();
            Some((t, reference))
        })
        .collect();
    if chases.is_empty() {
        return Ok(Default::default());
    }
    let mut persons: Vec<String> = chases
        .iter()
        .map(|(t, _)| t.person_id.to_string())
        .collect();
    persons.sort();
    persons.dedup();
    let mut checks: Vec<(String, String)> = Vec::new();
    for chunk in persons.chunks(500) {
        checks.extend(
            check_requests::table
                .filter(check_requests::person_id.eq_any(chunk))
                .filter(check_requests::partner_organisation_id.is_not_null())
                .select((check_requests::person_id, check_requests::id))
                .load::<(String, String)>(conn)?,
        );
    }
    let mut found = std::collections::HashMap::new();
    for (task, reference) in chases {
        let person = task.person_id.to_string();
        if let Some((_, check)) = checks
            .iter()
            .find(|(p, c)| *p == person && c.replace('-', "").starts_with(&reference))
        {
            found.insert(task.id, rows::id(check)?);
        }
    }
    Ok(found)
}

/// The reminders recorded for these requests: (key, scheduled for), by request id.
pub fn reminders_for(
    conn: &mut AnyConnection,
    ids: &[Uuid],
) -> StorageResult<std::collections::HashMap<Uuid, Vec<(String, NaiveDate)>>> {
    use crate::schema::partner_reminders;
    let keys: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    let mut found: std::collections::HashMap<Uuid, Vec<(String, NaiveDate)>> = Default::default();
    for chunk in keys.chunks(500) {
        for (id, key, on) in partner_reminders::table
            .filter(partner_reminders::check_id.eq_any(chunk))
            .order(partner_reminders::scheduled_for.asc())
            .select((
                partner_reminders::check_id,
                partner_reminders::reminder_key,
                partner_reminders::scheduled_for,
            ))
            .load::<(String, String, NaiveDate)>(conn)?
        {
            found.entry(rows::id(&id)?).or_default().push((key, on));
        }
    }
    Ok(found)
}
