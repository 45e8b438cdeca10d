//! What partner users and partner API clients may see and do. Partners are outside probation, so
//! the rule is narrow and stated positively: a partner sees **only requests sent to their own
//! organisation**, and of each request **only the details needed to search their own records**
//! ([`PartnerView`]). Everything else is refused with a [`PartnerRefusal`] whose code goes in the
//! audit log.
//!
//! Two choices made here:
//! - A request sent to another organisation and a draft of one's own are refused with the same
//!   message ("There is no request with this reference for your organisation"), so a partner cannot
//!   learn that a request exists by guessing references. The audit codes differ.
//! - A request's details (name, date of birth, address, residents) are shared only while it is
//!   outstanding. Once it is answered, declined or withdrawn the partner no longer needs them to
//!   search, so they can still see the request and their own answer, but not the person's details.
//! - What is shared is what a partner needs to be sure they have the right person and household in
//!   their own records (issue #15: partners could not match people by name and age alone): the
//!   postcode, the residents' dates of birth (not only their ages) and, for the household checks,
//!   the person's previous addresses — a call-out history is kept by address. Who asked, and how to
//!   reach them, is shared with every request: it is the practitioner's work contact, not the
//!   person's record.

use super::organisation::PartnerRole;
use super::request::{CheckRequest, RequestStatus, RequestType};
use crate::age::age_on;
use crate::calendar::long_date;
use crate::coded_enum;
use crate::codes::CodedValue;
use crate::crn::Crn;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// A person in a partner organisation, signed in to keepsafe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerUser {
    pub user_id: Uuid,
    pub organisation_id: Uuid,
    pub role: PartnerRole,
}

/// An API token issued to a partner's own system. A token belongs to exactly one organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub token_id: Uuid,
    pub organisation_id: Uuid,
    pub expires_at: Option<DateTime<Utc>>,
    /// Set when the token was revoked; a revoked token is refused from that moment on.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartnerPrincipal {
    User(PartnerUser),
    Api(ApiToken),
}

impl PartnerPrincipal {
    pub fn organisation_id(&self) -> Uuid {
        match self {
            PartnerPrincipal::User(user) => user.organisation_id,
            PartnerPrincipal::Api(token) => token.organisation_id,
        }
    }
}

coded_enum! {
    /// The parts of a case record, for deciding what a partner may read. Only the first seven are
    /// ever shared, and each only for the request types that need it ([`CaseRecordPart::shared_for`]).
    pub enum CaseRecordPart ("part of the case record") {
        Crn => "crn", "Case reference number",
        Name => "name", "Name",
        DateOfBirth => "date_of_birth", "Date of birth",
        Address => "address", "Address",
        Residents => "residents", "Residents' names and dates of birth",
        MainOccupier => "main_occupier", "Main occupier's name",
        PreviousAddresses => "previous_addresses", "Previous addresses",
        RiskAssessments => "risk_assessments", "Risk assessments",
        Contacts => "contacts", "Contacts and appointments",
        Victims => "victims", "Victims",
        OtherRequests => "other_requests", "Other requests",
        Sentence => "sentence", "Sentence and requirements",
        Registrations => "registrations", "Registrations and flags",
    }
}

impl CaseRecordPart {
    /// Whether a partner answering a request of this type sees this part: what they need to find the
    /// person and household in their own records, and nothing about probation's view of them.
    /// Domestic-abuse and children's-services checks cover the household and its history, so
    /// residents and previous addresses are shared; an occupier check is about the main occupier
    /// of one address alone.
    pub fn shared_for(self, request_type: RequestType) -> bool {
        match self {
            CaseRecordPart::Crn
            | CaseRecordPart::Name
            | CaseRecordPart::DateOfBirth
            | CaseRecordPart::Address => true,
            CaseRecordPart::Residents | CaseRecordPart::PreviousAddresses => matches!(
                request_type,
                RequestType::PoliceDomesticAbuse | RequestType::ChildrensSafeguarding
            ),
            CaseRecordPart::MainOccupier => request_type == RequestType::Occupier,
            CaseRecordPart::RiskAssessments
            | CaseRecordPart::Contacts
            | CaseRecordPart::Victims
            | CaseRecordPart::OtherRequests
            | CaseRecordPart::Sentence
            | CaseRecordPart::Registrations => false,
        }
    }
}

/// Something a partner wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartnerAction<'a> {
    /// List their organisation's requests. Always allowed; the list must be filtered with
    /// [`may_see`].
    ListRequests,
    /// Open a request: its type, dates, status and their own answer.
    ViewRequest(&'a CheckRequest),
    /// Read one part of the case record through a request.
    ViewCaseRecord {
        request: &'a CheckRequest,
        part: CaseRecordPart,
    },
    Acknowledge(&'a CheckRequest),
    Respond(&'a CheckRequest),
    Decline(&'a CheckRequest),
    /// See their organisation's response-time dashboard.
    ViewStatistics,
}

/// The answer to "may this partner do this?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartnerDecision {
    Allowed,
    Refused(PartnerRefusal),
}

impl PartnerDecision {
    pub fn is_allowed(&self) -> bool {
        matches!(self, PartnerDecision::Allowed)
    }
}

/// Why a partner was refused. The message is shown to them; the code goes in the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartnerRefusal {
    TokenRevoked,
    TokenExpired(DateTime<Utc>),
    /// The request was sent to another organisation.
    OtherOrganisation,
    /// The request is a draft: it has not been sent to anyone.
    NotSent,
    /// This part of the record is never shared for this type of request.
    NotShared {
        part: CaseRecordPart,
        request_type: RequestType,
    },
    /// The request is closed, so its details are no longer needed.
    RequestClosed(RequestStatus),
    RoleNotPermitted(PartnerRole),
    /// API tokens are for answering requests, not for dashboards.
    ApiNotPermitted,
}

impl PartnerRefusal {
    /// A stable code for the audit log.
    pub fn code(self) -> &'static str {
        match self {
            PartnerRefusal::TokenRevoked => "token_revoked",
            PartnerRefusal::TokenExpired(_) => "token_expired",
            PartnerRefusal::OtherOrganisation => "request_for_other_organisation",
            PartnerRefusal::NotSent => "request_not_sent",
            PartnerRefusal::NotShared { .. } => "not_shared_with_partners",
            PartnerRefusal::RequestClosed(_) => "request_closed",
            PartnerRefusal::RoleNotPermitted(_) => "partner_role_not_permitted",
            PartnerRefusal::ApiNotPermitted => "api_not_permitted",
        }
    }

    /// What the partner is told, and what they can do about it.
    pub fn message(self) -> String {
        match self {
            PartnerRefusal::TokenRevoked => "This API token has been revoked. Ask your organisation's partner manager for a new one.".to_owned(),
            PartnerRefusal::TokenExpired(at) => format!(
                "This API token expired on {}. Ask your organisation's partner manager for a new one.",
                long_date(at.date_naive())
            ),
            PartnerRefusal::OtherOrganisation | PartnerRefusal::NotSent => {
                "There is no request with this reference for your organisation. Check the reference, or ask the probation officer who sent it.".to_owned()
            }
            PartnerRefusal::NotShared { part, request_type } => format!(
                "{} cannot be seen through a {} request. Partners see only the details needed to search their own records.",
                part.label(),
                request_type.label().to_lowercase()
            ),
            PartnerRefusal::RequestClosed(status) => format!(
                "This request has {}, so the person's details are no longer shared. You can still see the request and any answer you gave.",
                status.as_perfect()
            ),
            PartnerRefusal::RoleNotPermitted(role) => format!(
                "Your role ({role}) does not give access to this page. Ask your organisation's partner manager if you need it."
            ),
            PartnerRefusal::ApiNotPermitted => {
                "API tokens can list, read and answer requests only. Sign in to keepsafe to see this.".to_owned()
            }
        }
    }
}

/// Decides whether `principal` may perform `action` at `now`.
pub fn decide(
    principal: &PartnerPrincipal,
    action: PartnerAction<'_>,
    now: DateTime<Utc>,
) -> PartnerDecision {
    if let Err(refusal) = token_valid(principal, now) {
        return PartnerDecision::Refused(refusal);
    }
    let outcome = match action {
        PartnerAction::ListRequests => Ok(()),
        PartnerAction::ViewStatistics => view_statistics(principal),
        PartnerAction::ViewRequest(request)
        | PartnerAction::Acknowledge(request)
        | PartnerAction::Respond(request)
        | PartnerAction::Decline(request) => addressed_to(principal, request),
        PartnerAction::ViewCaseRecord { request, part } => {
            view_case_record(principal, request, part)
        }
    };
    match outcome {
        Ok(()) => PartnerDecision::Allowed,
        Err(refusal) => PartnerDecision::Refused(refusal),
    }
}

/// Whether a request belongs in the principal's list: sent to their organisation, not a draft.
pub fn may_see(principal: &PartnerPrincipal, request: &CheckRequest) -> bool {
    addressed_to(principal, request).is_ok()
}

fn token_valid(principal: &PartnerPrincipal, now: DateTime<Utc>) -> Result<(), PartnerRefusal> {
    let PartnerPrincipal::Api(token) = principal else {
        return Ok(());
    };
    if token.revoked_at.is_some() {
        return Err(PartnerRefusal::TokenRevoked);
    }
    match token.expires_at {
        Some(expires_at) if expires_at <= now => Err(PartnerRefusal::TokenExpired(expires_at)),
        _ => Ok(()),
    }
}

fn view_statistics(principal: &PartnerPrincipal) -> Result<(), PartnerRefusal> {
    match principal {
        PartnerPrincipal::Api(_) => Err(PartnerRefusal::ApiNotPermitted),
        PartnerPrincipal::User(user) if user.role.sees_statistics() => Ok(()),
        PartnerPrincipal::User(user) => Err(PartnerRefusal::RoleNotPermitted(user.role)),
    }
}

fn addressed_to(
    principal: &PartnerPrincipal,
    request: &CheckRequest,
) -> Result<(), PartnerRefusal> {
    if request.recipient.id != principal.organisation_id() {
        return Err(PartnerRefusal::OtherOrganisation);
    }
    if request.status() == RequestStatus::Draft {
        return Err(PartnerRefusal::NotSent);
    }
    Ok(())
}

fn view_case_record(
    principal: &PartnerPrincipal,
    request: &CheckRequest,
    part: CaseRecordPart,
) -> Result<(), PartnerRefusal> {
    addressed_to(principal, request)?;
    if !part.shared_for(request.request_type) {
        return Err(PartnerRefusal::NotShared {
            part,
            request_type: request.request_type,
        });
    }
    if !request.status().is_outstanding() {
        return Err(PartnerRefusal::RequestClosed(request.status()));
    }
    Ok(())
}

/// The case details storage may hand to [`PartnerView::project`]. It holds nothing beyond what can
/// ever be shared, so no risk assessment, contact or victim can reach a partner by mistake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareableCaseDetails {
    pub crn: Crn,
    pub name: String,
    /// Other names the person has been known by (aliases), as printed.
    pub aliases: Vec<String>,
    pub date_of_birth: NaiveDate,
    /// The address the request covers, as printed.
    pub address: Option<String>,
    /// The postcode of the address the request covers, when it is a recorded address.
    pub postcode: Option<String>,
    pub residents: Vec<ShareableResident>,
    pub main_occupier: Option<String>,
    /// Where the person lived before, newest first; shared only for household checks.
    pub previous_addresses: Vec<ShareableAddress>,
    /// The practitioner who asked; `None` when the request names nobody still on the staff list.
    pub asked_by: Option<Requester>,
}

/// A resident: their name, date of birth and the age worked out from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareableResident {
    pub name: String,
    pub date_of_birth: Option<NaiveDate>,
}

/// An address the person lived at, with when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareableAddress {
    /// The address as printed, postcode included.
    pub description: String,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// Who asked for a check and how a partner can reach them: a work contact, not personal data of the
/// person on probation. keepsafe holds no email address or telephone number for staff, so the team
/// and PDU are how a partner finds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requester {
    pub name: String,
    pub team: Option<String>,
    pub pdu: Option<String>,
}

/// What a partner sees of a request: enough to search their own records, nothing more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerView {
    pub request_id: Uuid,
    pub request_type: RequestType,
    pub status: RequestStatus,
    pub sent_on: NaiveDate,
    pub due_by: NaiveDate,
    pub crn: Crn,
    pub name: String,
    /// Other names the person has been known by, shared wherever the name is: a partner searches
    /// its own records under every name, and a record kept under an alias is the one most often
    /// missed.
    pub aliases: Vec<String>,
    pub date_of_birth: NaiveDate,
    pub address: Option<String>,
    pub postcode: Option<String>,
    /// Names, dates of birth and ages of the household, for domestic-abuse and children's-services
    /// checks; empty otherwise.
    pub residents: Vec<ResidentView>,
    /// For occupier checks only.
    pub main_occupier: Option<String>,
    /// Where the person lived before, newest first, for domestic-abuse and children's-services
    /// checks; empty otherwise.
    pub previous_addresses: Vec<ShareableAddress>,
    pub asked_by: Option<Requester>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentView {
    pub name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub age: Option<u32>,
}

impl PartnerView {
    /// The partner's view of an outstanding request, or `None` when nothing may be shared (a draft
    /// or a closed request). Residents' ages are worked out on `today`.
    pub fn project(
        request: &CheckRequest,
        details: &ShareableCaseDetails,
        today: NaiveDate,
    ) -> Option<Self> {
        let sent = request.state.sent()?;
        if !request.status().is_outstanding() {
            return None;
        }
        let shared = |part: CaseRecordPart| part.shared_for(request.request_type);
        let residents = if shared(CaseRecordPart::Residents) {
            details
                .residents
                .iter()
                .map(|r| ResidentView {
                    name: r.name.clone(),
                    date_of_birth: r.date_of_birth,
                    age: r.date_of_birth.and_then(|dob| age_on(dob, today)),
                })
                .collect()
        } else {
            Vec::new()
        };
        Some(Self {
            request_id: request.id,
            request_type: request.request_type,
            status: request.status(),
            sent_on: sent.sent_on,
            due_by: sent.due_by,
            crn: details.crn.clone(),
            name: details.name.clone(),
            aliases: if shared(CaseRecordPart::Name) {
                details.aliases.clone()
            } else {
                Vec::new()
            },
            date_of_birth: details.date_of_birth,
            address: details.address.clone(),
            postcode: details.postcode.clone(),
            residents,
            main_occupier: details
                .main_occupier
                .clone()
                .filter(|_| shared(CaseRecordPart::MainOccupier)),
            previous_addresses: if shared(CaseRecordPart::PreviousAddresses) {
                details.previous_addresses.clone()
            } else {
                Vec::new()
            },
            asked_by: details.asked_by.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partner::fixtures::*;
    use crate::partner::request::DeclineReason;
    use crate::partner::DeadlineRules;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 21, 10, 0, 0).unwrap()
    }

    fn today() -> NaiveDate {
        date(2026, 12, 21)
    }

    fn responder(organisation: Uuid) -> PartnerPrincipal {
        PartnerPrincipal::User(PartnerUser {
            user_id: Uuid::from_u128(500),
            organisation_id: organisation,
            role: PartnerRole::Responder,
        })
    }

    fn manager(organisation: Uuid) -> PartnerPrincipal {
        PartnerPrincipal::User(PartnerUser {
            user_id: Uuid::from_u128(501),
            organisation_id: organisation,
            role: PartnerRole::Manager,
        })
    }

    fn token(organisation: Uuid) -> ApiToken {
        ApiToken {
            token_id: Uuid::from_u128(900),
            organisation_id: organisation,
            expires_at: Some(Utc.with_ymd_and_hms(2027, 6, 30, 0, 0, 0).unwrap()),
            revoked_at: None,
        }
    }

    fn sent_to_police() -> CheckRequest {
        police_request_sent_on(date(2026, 12, 18))
    }

    fn refused(principal: &PartnerPrincipal, action: PartnerAction<'_>) -> PartnerRefusal {
        match decide(principal, action, now()) {
            PartnerDecision::Refused(refusal) => refusal,
            PartnerDecision::Allowed => panic!("expected a refusal"),
        }
    }

    fn details() -> ShareableCaseDetails {
        ShareableCaseDetails {
            crn: Crn::parse("X123456").unwrap(),
            name: "Alex Smith".to_owned(),
            aliases: vec!["Sam Other".to_owned()],
            date_of_birth: date(1990, 5, 1),
            address: Some("12 High Street, Lincoln LN1 1AA".to_owned()),
            postcode: Some("LN1 1AA".to_owned()),
            previous_addresses: vec![ShareableAddress {
                description: "3 Mill Lane, Lincoln LN2 4BB".to_owned(),
                from: date(2019, 3, 1),
                to: Some(date(2025, 8, 31)),
            }],
            asked_by: Some(Requester {
                name: "Pat Officer".to_owned(),
                team: Some("Lincoln North".to_owned()),
                pdu: Some("Lincolnshire".to_owned()),
            }),
            residents: vec![
                ShareableResident {
                    name: "Jo Smith".to_owned(),
                    date_of_birth: Some(date(1992, 1, 9)),
                },
                ShareableResident {
                    name: "Sam Smith".to_owned(),
                    date_of_birth: Some(date(2019, 6, 1)),
                },
            ],
            main_occupier: Some("Jo Smith".to_owned()),
        }
    }

    #[test]
    fn a_partner_may_open_and_answer_requests_sent_to_their_own_organisation() {
        let request = sent_to_police();
        for principal in [
            responder(police().id),
            manager(police().id),
            PartnerPrincipal::Api(token(police().id)),
        ] {
            for action in [
                PartnerAction::ListRequests,
                PartnerAction::ViewRequest(&request),
                PartnerAction::Acknowledge(&request),
                PartnerAction::Respond(&request),
                PartnerAction::Decline(&request),
            ] {
                assert!(decide(&principal, action, now()).is_allowed(), "{action:?}");
            }
            assert!(may_see(&principal, &request));
        }
    }

    #[test]
    fn a_request_sent_to_another_organisation_is_refused() {
        let request = sent_to_police();
        let other = responder(childrens_services().id);
        let refusal = refused(&other, PartnerAction::ViewRequest(&request));
        assert_eq!(refusal, PartnerRefusal::OtherOrganisation);
        assert_eq!(refusal.code(), "request_for_other_organisation");
        assert_eq!(
            refused(&other, PartnerAction::Respond(&request)),
            PartnerRefusal::OtherOrganisation
        );
        assert!(!may_see(&other, &request));
    }

    #[test]
    fn a_draft_is_invisible_to_the_partner_it_is_addressed_to() {
        let draft = draft(RequestType::PoliceDomesticAbuse, police());
        let principal = responder(police().id);
        let refusal = refused(&principal, PartnerAction::ViewRequest(&draft));
        assert_eq!(refusal, PartnerRefusal::NotSent);
        assert_eq!(refusal.code(), "request_not_sent");
        assert!(!may_see(&principal, &draft));
        assert_eq!(
            refused(
                &principal,
                PartnerAction::ViewCaseRecord {
                    request: &draft,
                    part: CaseRecordPart::Name
                }
            ),
            PartnerRefusal::NotSent
        );
    }

    #[test]
    fn drafts_and_other_organisations_requests_look_the_same_to_a_partner() {
        assert_eq!(
            PartnerRefusal::NotSent.message(),
            PartnerRefusal::OtherOrganisation.message()
        );
        assert_ne!(
            PartnerRefusal::NotSent.code(),
            PartnerRefusal::OtherOrganisation.code()
        );
    }

    #[test]
    fn a_partner_sees_the_details_needed_to_search_their_records() {
        let request = sent_to_police();
        let principal = responder(police().id);
        for part in [
            CaseRecordPart::Crn,
            CaseRecordPart::Name,
            CaseRecordPart::DateOfBirth,
            CaseRecordPart::Address,
            CaseRecordPart::Residents,
        ] {
            assert!(decide(
                &principal,
                PartnerAction::ViewCaseRecord {
                    request: &request,
                    part
                },
                now()
            )
            .is_allowed());
        }
    }

    #[test]
    fn risk_assessments_contacts_victims_and_other_requests_are_never_shared() {
        let never = [
            CaseRecordPart::RiskAssessments,
            CaseRecordPart::Contacts,
            CaseRecordPart::Victims,
            CaseRecordPart::OtherRequests,
            CaseRecordPart::Sentence,
            CaseRecordPart::Registrations,
        ];
        for request_type in RequestType::ALL {
            for part in never {
                assert!(!part.shared_for(*request_type), "{part} for {request_type}");
            }
        }
        let request = sent_to_police();
        let refusal = refused(
            &responder(police().id),
            PartnerAction::ViewCaseRecord {
                request: &request,
                part: CaseRecordPart::Victims,
            },
        );
        assert_eq!(refusal.code(), "not_shared_with_partners");
        assert_eq!(
            refusal.message(),
            "Victims cannot be seen through a police domestic-abuse call-out history request. Partners see only the details needed to search their own records."
        );
    }

    #[test]
    fn an_occupier_check_shares_the_main_occupier_but_not_the_household() {
        assert!(CaseRecordPart::MainOccupier.shared_for(RequestType::Occupier));
        assert!(!CaseRecordPart::Residents.shared_for(RequestType::Occupier));
        assert!(!CaseRecordPart::MainOccupier.shared_for(RequestType::PoliceDomesticAbuse));
        assert!(CaseRecordPart::Residents.shared_for(RequestType::ChildrensSafeguarding));
        assert!(!CaseRecordPart::PreviousAddresses.shared_for(RequestType::Occupier));
        assert!(CaseRecordPart::PreviousAddresses.shared_for(RequestType::PoliceDomesticAbuse));
    }

    #[test]
    fn a_closed_requests_details_are_withheld_but_the_request_stays_visible() {
        let declined = sent_to_police()
            .decline(DeclineReason::NotOurArea, "", today())
            .unwrap();
        let principal = responder(police().id);
        assert!(decide(&principal, PartnerAction::ViewRequest(&declined), now()).is_allowed());
        let refusal = refused(
            &principal,
            PartnerAction::ViewCaseRecord {
                request: &declined,
                part: CaseRecordPart::Name,
            },
        );
        assert_eq!(
            refusal,
            PartnerRefusal::RequestClosed(RequestStatus::Declined)
        );
        assert_eq!(refusal.code(), "request_closed");
        assert!(refusal.message().starts_with(
            "This request has been declined, so the person's details are no longer shared"
        ));
    }

    #[test]
    fn a_revoked_token_is_refused_even_for_its_own_organisations_requests() {
        let request = sent_to_police();
        let revoked = PartnerPrincipal::Api(ApiToken {
            revoked_at: Some(now() - chrono::Duration::hours(1)),
            ..token(police().id)
        });
        for action in [
            PartnerAction::ListRequests,
            PartnerAction::ViewRequest(&request),
            PartnerAction::Respond(&request),
        ] {
            assert_eq!(refused(&revoked, action), PartnerRefusal::TokenRevoked);
        }
        assert_eq!(PartnerRefusal::TokenRevoked.code(), "token_revoked");
    }

    #[test]
    fn an_expired_token_is_refused_from_the_moment_it_expires() {
        let expires_at = now();
        let expired = PartnerPrincipal::Api(ApiToken {
            expires_at: Some(expires_at),
            ..token(police().id)
        });
        let refusal = refused(&expired, PartnerAction::ListRequests);
        assert_eq!(refusal, PartnerRefusal::TokenExpired(expires_at));
        assert_eq!(
            refusal.message(),
            "This API token expired on 21 December 2026. Ask your organisation's partner manager for a new one."
        );
        let still_valid = PartnerPrincipal::Api(ApiToken {
            expires_at: Some(now() + chrono::Duration::seconds(1)),
            ..token(police().id)
        });
        assert!(decide(&still_valid, PartnerAction::ListRequests, now()).is_allowed());
    }

    #[test]
    fn a_token_for_one_organisation_cannot_open_another_organisations_request() {
        let request = sent_to_police();
        let other = PartnerPrincipal::Api(token(childrens_services().id));
        assert_eq!(
            refused(&other, PartnerAction::ViewRequest(&request)),
            PartnerRefusal::OtherOrganisation
        );
    }

    #[test]
    fn only_partner_managers_see_statistics_and_never_through_a_token() {
        let organisation = police().id;
        assert!(decide(&manager(organisation), PartnerAction::ViewStatistics, now()).is_allowed());
        let refusal = refused(&responder(organisation), PartnerAction::ViewStatistics);
        assert_eq!(
            refusal,
            PartnerRefusal::RoleNotPermitted(PartnerRole::Responder)
        );
        assert_eq!(
            refusal.message(),
            "Your role (Partner responder) does not give access to this page. Ask your organisation's partner manager if you need it."
        );
        assert_eq!(
            refused(
                &PartnerPrincipal::Api(token(organisation)),
                PartnerAction::ViewStatistics
            ),
            PartnerRefusal::ApiNotPermitted
        );
    }

    #[test]
    fn refusal_codes_are_distinct() {
        let codes = [
            PartnerRefusal::TokenRevoked,
            PartnerRefusal::TokenExpired(now()),
            PartnerRefusal::OtherOrganisation,
            PartnerRefusal::NotSent,
            PartnerRefusal::NotShared {
                part: CaseRecordPart::Victims,
                request_type: RequestType::Occupier,
            },
            PartnerRefusal::RequestClosed(RequestStatus::Withdrawn),
            PartnerRefusal::RoleNotPermitted(PartnerRole::Responder),
            PartnerRefusal::ApiNotPermitted,
        ]
        .map(PartnerRefusal::code);
        for (i, code) in codes.iter().enumerate() {
            assert!(!codes[..i].contains(code), "{code}");
        }
    }

    #[test]
    fn a_domestic_abuse_check_shows_the_household_with_dates_of_birth_and_ages() {
        let view = PartnerView::project(&sent_to_police(), &details(), today()).unwrap();
        assert_eq!(view.name, "Alex Smith");
        assert_eq!(view.crn.as_str(), "X123456");
        assert_eq!(view.date_of_birth, date(1990, 5, 1));
        assert_eq!(view.sent_on, date(2026, 12, 18));
        assert_eq!(view.due_by, date(2027, 1, 6));
        assert_eq!(
            view.residents,
            [
                ResidentView {
                    name: "Jo Smith".to_owned(),
                    date_of_birth: Some(date(1992, 1, 9)),
                    age: Some(34)
                },
                ResidentView {
                    name: "Sam Smith".to_owned(),
                    date_of_birth: Some(date(2019, 6, 1)),
                    age: Some(7)
                },
            ]
        );
        assert_eq!(view.main_occupier, None);
        assert_eq!(view.postcode.as_deref(), Some("LN1 1AA"));
        assert_eq!(
            view.previous_addresses.len(),
            1,
            "call-outs are kept by address"
        );
        assert_eq!(view.asked_by.unwrap().name, "Pat Officer");
    }

    #[test]
    fn an_occupier_check_shows_the_main_occupier_and_no_residents() {
        let request = draft(RequestType::Occupier, adult_social_care())
            .send(&DeadlineRules::reference(), date(2026, 12, 18))
            .unwrap();
        let view = PartnerView::project(&request, &details(), today()).unwrap();
        assert!(view.residents.is_empty());
        assert!(view.previous_addresses.is_empty());
        assert_eq!(view.main_occupier.as_deref(), Some("Jo Smith"));
    }

    #[test]
    fn nothing_is_projected_for_a_draft_or_a_closed_request() {
        let draft = draft(RequestType::PoliceDomesticAbuse, police());
        assert_eq!(PartnerView::project(&draft, &details(), today()), None);
        let withdrawn = sent_to_police().withdraw("Remanded", today()).unwrap();
        assert_eq!(PartnerView::project(&withdrawn, &details(), today()), None);
    }
}
