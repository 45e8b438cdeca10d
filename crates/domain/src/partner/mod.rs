//! Partner information exchange (reference §3 and §4): asking the police and local authorities
//! what they know about a person, their address and the people who live there, and getting a
//! structured answer back inside keepsafe instead of by email.
//!
//! # The model
//!
//! - **Who is asked** ([`organisation`]). A [`PartnerOrganisation`] is a police force, a local
//!   authority's children's services or its adult social care. Its people are partner responders
//!   and partner managers, never probation staff: they get no grade and see nothing of a case
//!   beyond what a request shares with them.
//! - **What is asked, and where it is in its life** ([`request`]). A [`CheckRequest`] is one
//!   question of one [`RequestType`] (police domestic-abuse call-out history, children's-services
//!   safeguarding, occupier check) to one organisation that holds those records. Its
//!   [`RequestState`] is draft → sent → acknowledged → responded, declined or withdrawn, and only
//!   the transition methods move it; each refuses with a sentence a user can act on. The police and
//!   children's-services types are the existing [`crate::checks::CheckKind`]s, with the same codes,
//!   so the risk-assessment gates ([`crate::rosh`]) and the address gates
//!   ([`crate::address_suitability`]) read partner requests as the checks they already know.
//! - **By when** ([`deadlines`]). [`DeadlineRules`] are versioned, effective-dated reference data:
//!   working days per request type, optionally overridden for one organisation, counted from the
//!   send date over England and Wales working days. The same rules schedule reminders to the
//!   partner before and on the deadline, and escalations to the senior probation officer once it
//!   has passed; [`DeadlineRules::reminder_due`] says which one is due now so a scheduler can run
//!   it idempotently. Deadlines and reminder decisions carry an
//!   [`Explanation`](crate::workload::Explanation).
//! - **The answer** ([`response`]). A [`PartnerResponse`] is structured: known to the service or
//!   not, dated incidents of a coded type, current involvement (child-protection plan … or none),
//!   risk notes, free text and attachment metadata (PDF, PNG, JPEG or plain text, up to 10 MB).
//!   Parsing reports every problem with its field path (`incidents[2].date: …`).
//!   [`PartnerResponse::concerns`] says whether the answer reveals incidents, involvement or risk
//!   notes, which means the risk assessment must be reviewed.
//! - **What partners may see** ([`access`]). Only requests sent to their own organisation, and of
//!   those only the [`PartnerView`]: name, date of birth, address and postcode, CRN, who asked and,
//!   for household checks, residents' names and dates of birth and previous addresses. Never risk assessments, contacts, victims or other requests. API
//!   tokens are scoped to one organisation and refused once revoked or expired. Every refusal has
//!   an audit code.
//! - **How partners are doing** ([`statistics`]). Count sent, nearest-rank median and 90th
//!   percentile response time in working days, the overdue share and the oldest outstanding
//!   request, each defined in the module and in the explanation; "no requests yet" rather than 0%.
//!
//! Nothing here reads a clock or a store: callers pass `today` (the date in England) or `now`.

pub mod access;
pub mod deadlines;
pub mod organisation;
pub mod request;
pub mod response;
pub mod statistics;

#[cfg(test)]
pub(crate) mod fixtures;

pub use access::{
    decide, may_see, ApiToken, CaseRecordPart, PartnerAction, PartnerDecision, PartnerPrincipal,
    PartnerRefusal, PartnerUser, PartnerView, Requester, ResidentView, ShareableAddress,
    ShareableCaseDetails, ShareableResident,
};
pub use deadlines::{
    Deadline, DeadlineRules, InvalidDeadlineRules, Reminder, ReminderAudience, ReminderDecision,
    ReminderFacts, ReminderSchedule, ScheduledReminder, StandardWorkingDays,
};
pub use organisation::{
    OrganisationName, PartnerOrganisation, PartnerOrganisationCode, PartnerOrganisationKind,
    PartnerRole,
};
pub use request::{
    CheckRequest, Closure, DeclineReason, RequestState, RequestStatus, RequestType, SentDetails,
    Transition, TransitionRefused,
};
pub use response::{
    Attachment, AttachmentForm, Concerns, FieldError, Incident, IncidentForm, IncidentKind,
    InvalidPartnerResponse, Involvement, MediaType, PartnerResponse, ResponseForm,
};
pub use statistics::{
    response_statistics, Measured, Outcome, RequestRecord, ResponseStatistics, StatisticsRefused,
    STATISTICS_RULE_VERSION,
};
