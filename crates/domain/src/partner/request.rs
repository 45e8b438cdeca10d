//! The check request sent to a partner, as a workflow: draft → sent → acknowledged → responded,
//! declined or withdrawn (reference §4).
//!
//! Each transition is a method that takes the date and either returns the request in its new state
//! or refuses with a [`TransitionRefused`] whose message the screen shows as it is ("This request
//! was withdrawn on 3 December 2026, so it can no longer be answered"). A partner may answer or
//! decline without acknowledging first: acknowledgement tells probation the request is being worked
//! on, and making it a gate would only add a click.
//!
//! Request types extend the existing practitioner-recorded [`CheckKind`]: the police and
//! children's-services types have the same codes and convert both ways, so a partner request is
//! the same check the risk assessment gates ([`crate::rosh`]) already look for.

use super::deadlines::{DeadlineRules, Reminder, ReminderFacts};
use super::organisation::{PartnerOrganisation, PartnerOrganisationKind};
use super::response::PartnerResponse;
use crate::calendar::long_date;
use crate::checks::CheckKind;
use crate::coded_enum;
use crate::codes::CodedValue;
use crate::crn::Crn;
use crate::text::{LongText, TextError};
use chrono::NaiveDate;
use thiserror::Error;
use uuid::Uuid;

coded_enum! {
    /// What a partner is asked. The first two share their codes with [`CheckKind`].
    pub enum RequestType ("partner request type") {
        /// Call-outs and incidents involving the person, the address and the people who live there.
        PoliceDomesticAbuse => "police_domestic_abuse", "Police domestic-abuse call-out history",
        ChildrensSafeguarding => "childrens_services", "Children's services safeguarding check",
        /// What the partner knows about the main occupier of a proposed address.
        Occupier => "occupier", "Occupier check",
    }
}

impl RequestType {
    /// The organisations that hold the records this request asks about. Police domestic-abuse
    /// history is held only by police forces and safeguarding records by children's services;
    /// anyone may know something about an occupier, so occupier checks go to any partner.
    pub fn accepted_by(self) -> &'static [PartnerOrganisationKind] {
        match self {
            RequestType::PoliceDomesticAbuse => &[PartnerOrganisationKind::PoliceForce],
            RequestType::ChildrensSafeguarding => &[PartnerOrganisationKind::ChildrensServices],
            RequestType::Occupier => PartnerOrganisationKind::ALL,
        }
    }

    pub fn can_be_sent_to(self, kind: PartnerOrganisationKind) -> bool {
        self.accepted_by().contains(&kind)
    }

    /// The safeguarding check this request is, for the risk-assessment and address gates.
    pub fn check_kind(self) -> Option<CheckKind> {
        match self {
            RequestType::PoliceDomesticAbuse => Some(CheckKind::PoliceDomesticAbuse),
            RequestType::ChildrensSafeguarding => Some(CheckKind::ChildrensServices),
            RequestType::Occupier => None,
        }
    }

    /// An occupier check is about the occupier of a particular address, so it cannot be sent
    /// without one. The others are about the person, so a person of no fixed abode can still be
    /// checked.
    pub fn needs_address(self) -> bool {
        self == RequestType::Occupier
    }

    fn recipients_phrase(self) -> &'static str {
        match self {
            RequestType::PoliceDomesticAbuse => "a police force",
            RequestType::ChildrensSafeguarding => "a local authority's children's services",
            RequestType::Occupier => "a police force, children's services or adult social care",
        }
    }
}

impl From<CheckKind> for RequestType {
    fn from(kind: CheckKind) -> Self {
        match kind {
            CheckKind::PoliceDomesticAbuse => RequestType::PoliceDomesticAbuse,
            CheckKind::ChildrensServices => RequestType::ChildrensSafeguarding,
        }
    }
}

coded_enum! {
    /// Where a request is in its life, as stored and filtered on.
    pub enum RequestStatus ("request status") {
        Draft => "draft", "Draft",
        Sent => "sent", "Sent",
        Acknowledged => "acknowledged", "Acknowledged",
        Responded => "responded", "Responded",
        Declined => "declined", "Declined",
        Withdrawn => "withdrawn", "Withdrawn",
    }
}

impl RequestStatus {
    /// Sent and not yet answered, declined or withdrawn: the partner still owes a response.
    pub fn is_outstanding(self) -> bool {
        matches!(self, RequestStatus::Sent | RequestStatus::Acknowledged)
    }

    /// The status in a sentence: "This request has {been answered}".
    pub fn as_perfect(self) -> &'static str {
        match self {
            RequestStatus::Draft => "not been sent",
            RequestStatus::Sent => "been sent",
            RequestStatus::Acknowledged => "been acknowledged",
            RequestStatus::Responded => "been answered",
            RequestStatus::Declined => "been declined",
            RequestStatus::Withdrawn => "been withdrawn",
        }
    }
}

coded_enum! {
    /// Why a partner declined. Coded so that "not our area" can be re-sent to the right partner
    /// and dashboards can show why requests fail.
    pub enum DeclineReason ("reason for declining") {
        NotOurArea => "not_our_area", "The person or address is outside our area",
        NotEnoughDetail => "not_enough_detail", "Not enough detail to search our records",
        NoLawfulBasis => "no_lawful_basis", "No lawful basis to share this information",
        Other => "other", "Another reason",
    }
}

/// What is fixed when a request is sent: the date and the deadline it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentDetails {
    pub sent_on: NaiveDate,
    pub due_by: NaiveDate,
    /// The [`DeadlineRules`] version that set `due_by`.
    pub deadline_rule_version: String,
}

/// A request's state. Each later state keeps the sending details, so no answered request can lack a
/// send date and no draft can have one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestState {
    Draft,
    Sent(SentDetails),
    Acknowledged {
        sent: SentDetails,
        acknowledged_on: NaiveDate,
    },
    Responded {
        sent: SentDetails,
        acknowledged_on: Option<NaiveDate>,
        responded_on: NaiveDate,
        response: Box<PartnerResponse>,
    },
    Declined {
        sent: SentDetails,
        acknowledged_on: Option<NaiveDate>,
        declined_on: NaiveDate,
        reason: DeclineReason,
        /// Required when the reason is [`DeclineReason::Other`].
        detail: LongText,
    },
    Withdrawn {
        sent: SentDetails,
        acknowledged_on: Option<NaiveDate>,
        withdrawn_on: NaiveDate,
        reason: LongText,
    },
}

impl RequestState {
    pub fn status(&self) -> RequestStatus {
        match self {
            RequestState::Draft => RequestStatus::Draft,
            RequestState::Sent(_) => RequestStatus::Sent,
            RequestState::Acknowledged { .. } => RequestStatus::Acknowledged,
            RequestState::Responded { .. } => RequestStatus::Responded,
            RequestState::Declined { .. } => RequestStatus::Declined,
            RequestState::Withdrawn { .. } => RequestStatus::Withdrawn,
        }
    }

    /// The sending details, for every state but a draft.
    pub fn sent(&self) -> Option<&SentDetails> {
        match self {
            RequestState::Draft => None,
            RequestState::Sent(sent)
            | RequestState::Acknowledged { sent, .. }
            | RequestState::Responded { sent, .. }
            | RequestState::Declined { sent, .. }
            | RequestState::Withdrawn { sent, .. } => Some(sent),
        }
    }

    /// How and when the request was closed, if it was.
    pub fn closed(&self) -> Option<(Closure, NaiveDate)> {
        match self {
            RequestState::Responded { responded_on, .. } => {
                Some((Closure::Answered, *responded_on))
            }
            RequestState::Declined { declined_on, .. } => Some((Closure::Declined, *declined_on)),
            RequestState::Withdrawn { withdrawn_on, .. } => {
                Some((Closure::Withdrawn, *withdrawn_on))
            }
            _ => None,
        }
    }

    /// The response, once answered.
    pub fn response(&self) -> Option<&PartnerResponse> {
        match self {
            RequestState::Responded { response, .. } => Some(response),
            _ => None,
        }
    }
}

/// The ways a request ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closure {
    Answered,
    Declined,
    Withdrawn,
}

impl std::fmt::Display for Closure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Closure::Answered => "answered",
            Closure::Declined => "declined",
            Closure::Withdrawn => "withdrawn",
        })
    }
}

/// The transitions, named as refusals word them ("cannot be answered").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Send,
    Acknowledge,
    Respond,
    Decline,
    Withdraw,
}

impl std::fmt::Display for Transition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Transition::Send => "sent",
            Transition::Acknowledge => "acknowledged",
            Transition::Respond => "answered",
            Transition::Decline => "declined",
            Transition::Withdraw => "withdrawn",
        })
    }
}

/// Why a request could not be created or moved on. The message is shown to the user as it is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TransitionRefused {
    #[error("A {} request can only be sent to {}. {organisation} is {}, so choose {} instead", .request_type.label().to_lowercase(), .request_type.recipients_phrase(), with_article(.kind), .request_type.recipients_phrase())]
    WrongRecipient {
        request_type: RequestType,
        organisation: String,
        kind: PartnerOrganisationKind,
    },
    #[error(
        "Choose the address whose occupier is to be checked: an occupier check needs an address"
    )]
    AddressNeeded,
    #[error("This request has not been sent yet, so it cannot be {action}")]
    NotSent { action: Transition },
    #[error("This request has not been sent yet, so there is nothing to withdraw: delete the draft instead")]
    DraftCannotBeWithdrawn,
    #[error("This request was already {action} on {}", long_date(.on))]
    AlreadyDone { action: Transition, on: NaiveDate },
    #[error("This request was {closure} on {}, so it can no longer be {action}", long_date(.on))]
    Closed {
        closure: Closure,
        on: NaiveDate,
        action: Transition,
    },
    #[error("The response date must be on or after {}, the date the request was sent", long_date(.0))]
    ResponseBeforeSent(NaiveDate),
    #[error("The response date cannot be in the future")]
    ResponseInFuture,
    #[error("Explain why you are declining the request: {0}")]
    DeclineDetail(TextError),
    #[error("Give the reason for withdrawing the request: {0}")]
    WithdrawalReason(TextError),
}

fn with_article(kind: &PartnerOrganisationKind) -> String {
    match kind {
        PartnerOrganisationKind::PoliceForce => "a police force".to_owned(),
        PartnerOrganisationKind::ChildrensServices => {
            "a local authority's children's services".to_owned()
        }
        PartnerOrganisationKind::AdultSocialCare => {
            "a local authority's adult social care".to_owned()
        }
    }
}

/// A request to one partner organisation about one case (and, usually, one address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRequest {
    pub id: Uuid,
    pub crn: Crn,
    pub request_type: RequestType,
    pub recipient: PartnerOrganisation,
    /// The address the request covers; the gates match it against the current or proposed address.
    pub address_id: Option<Uuid>,
    pub state: RequestState,
}

impl CheckRequest {
    /// A new draft. Refuses a recipient that does not hold the records asked about, and an occupier
    /// check with no address, so a draft can always be sent.
    pub fn draft(
        id: Uuid,
        crn: Crn,
        request_type: RequestType,
        recipient: PartnerOrganisation,
        address_id: Option<Uuid>,
    ) -> Result<Self, TransitionRefused> {
        let request = Self {
            id,
            crn,
            request_type,
            recipient,
            address_id,
            state: RequestState::Draft,
        };
        request.check_addressing()?;
        Ok(request)
    }

    pub fn status(&self) -> RequestStatus {
        self.state.status()
    }

    fn check_addressing(&self) -> Result<(), TransitionRefused> {
        if !self.request_type.can_be_sent_to(self.recipient.kind) {
            return Err(TransitionRefused::WrongRecipient {
                request_type: self.request_type,
                organisation: self.recipient.name.to_string(),
                kind: self.recipient.kind,
            });
        }
        if self.request_type.needs_address() && self.address_id.is_none() {
            return Err(TransitionRefused::AddressNeeded);
        }
        Ok(())
    }

    fn with_state(&self, state: RequestState) -> Self {
        Self {
            state,
            ..self.clone()
        }
    }

    /// Sends a draft today, fixing its deadline from `rules`.
    pub fn send(&self, rules: &DeadlineRules, today: NaiveDate) -> Result<Self, TransitionRefused> {
        if let Some(sent) = self.state.sent() {
            return Err(TransitionRefused::AlreadyDone {
                action: Transition::Send,
                on: sent.sent_on,
            });
        }
        self.check_addressing()?;
        let deadline = rules.deadline(self.request_type, &self.recipient, today);
        Ok(self.with_state(RequestState::Sent(SentDetails {
            sent_on: today,
            due_by: deadline.due_by,
            deadline_rule_version: rules.version().to_owned(),
        })))
    }

    /// The partner says they are working on it.
    pub fn acknowledge(&self, today: NaiveDate) -> Result<Self, TransitionRefused> {
        match &self.state {
            RequestState::Sent(sent) => Ok(self.with_state(RequestState::Acknowledged {
                sent: sent.clone(),
                acknowledged_on: today,
            })),
            RequestState::Acknowledged {
                acknowledged_on, ..
            } => Err(TransitionRefused::AlreadyDone {
                action: Transition::Acknowledge,
                on: *acknowledged_on,
            }),
            other => Err(refuse(other, Transition::Acknowledge)),
        }
    }

    /// Records the partner's answer, received on `responded_on`: on or after the send date and not
    /// after `today`. A late answer is still accepted; statistics count it as late.
    pub fn respond(
        &self,
        response: PartnerResponse,
        responded_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<Self, TransitionRefused> {
        let (sent, acknowledged_on) = self.outstanding(Transition::Respond)?;
        if responded_on < sent.sent_on {
            return Err(TransitionRefused::ResponseBeforeSent(sent.sent_on));
        }
        if responded_on > today {
            return Err(TransitionRefused::ResponseInFuture);
        }
        Ok(self.with_state(RequestState::Responded {
            sent,
            acknowledged_on,
            responded_on,
            response: Box::new(response),
        }))
    }

    /// The partner will not answer. "Another reason" must be explained; the coded reasons speak
    /// for themselves but may carry detail.
    pub fn decline(
        &self,
        reason: DeclineReason,
        detail: &str,
        today: NaiveDate,
    ) -> Result<Self, TransitionRefused> {
        let (sent, acknowledged_on) = self.outstanding(Transition::Decline)?;
        let detail = if reason == DeclineReason::Other {
            LongText::required(detail)
        } else {
            LongText::optional(detail)
        }
        .map_err(TransitionRefused::DeclineDetail)?;
        Ok(self.with_state(RequestState::Declined {
            sent,
            acknowledged_on,
            declined_on: today,
            reason,
            detail,
        }))
    }

    /// Probation no longer needs the answer (the person was remanded, the address was dropped).
    /// The partner is told why, so the reason is required.
    pub fn withdraw(&self, reason: &str, today: NaiveDate) -> Result<Self, TransitionRefused> {
        if self.state == RequestState::Draft {
            return Err(TransitionRefused::DraftCannotBeWithdrawn);
        }
        let (sent, acknowledged_on) = self.outstanding(Transition::Withdraw)?;
        let reason = LongText::required(reason).map_err(TransitionRefused::WithdrawalReason)?;
        Ok(self.with_state(RequestState::Withdrawn {
            sent,
            acknowledged_on,
            withdrawn_on: today,
            reason,
        }))
    }

    /// The sending and acknowledgement details of an outstanding request, or the refusal.
    fn outstanding(
        &self,
        action: Transition,
    ) -> Result<(SentDetails, Option<NaiveDate>), TransitionRefused> {
        match &self.state {
            RequestState::Sent(sent) => Ok((sent.clone(), None)),
            RequestState::Acknowledged {
                sent,
                acknowledged_on,
            } => Ok((sent.clone(), Some(*acknowledged_on))),
            other => Err(refuse(other, action)),
        }
    }

    /// What the reminder rule needs, with the reminders already sent. `None` for a draft.
    pub fn reminder_facts(&self, already_sent: Vec<Reminder>) -> Option<ReminderFacts> {
        self.state.sent().map(|sent| ReminderFacts {
            status: self.status(),
            sent_on: sent.sent_on,
            due_by: sent.due_by,
            already_sent,
        })
    }
}

/// The refusal for a transition from a draft or a closed request.
fn refuse(state: &RequestState, action: Transition) -> TransitionRefused {
    match state.closed() {
        Some((closure, on)) if closure_of(action) == Some(closure) => {
            TransitionRefused::AlreadyDone { action, on }
        }
        Some((closure, on)) => TransitionRefused::Closed {
            closure,
            on,
            action,
        },
        None => TransitionRefused::NotSent { action },
    }
}

fn closure_of(action: Transition) -> Option<Closure> {
    match action {
        Transition::Respond => Some(Closure::Answered),
        Transition::Decline => Some(Closure::Declined),
        Transition::Withdraw => Some(Closure::Withdrawn),
        Transition::Send | Transition::Acknowledge => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::add_working_days;
    use crate::partner::fixtures::*;

    fn sent_on_18_december() -> CheckRequest {
        police_request_sent_on(date(2026, 12, 18))
    }

    #[test]
    fn a_police_domestic_abuse_request_cannot_be_sent_to_childrens_services() {
        let error = CheckRequest::draft(
            Uuid::from_u128(1),
            Crn::parse("X123456").unwrap(),
            RequestType::PoliceDomesticAbuse,
            childrens_services(),
            Some(ADDRESS),
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "A police domestic-abuse call-out history request can only be sent to a police force. \
             Lincolnshire Children's Services is a local authority's children's services, so \
             choose a police force instead"
        );
    }

    #[test]
    fn a_childrens_services_check_cannot_be_sent_to_the_police_or_adult_social_care() {
        for recipient in [police(), adult_social_care()] {
            let error = CheckRequest::draft(
                Uuid::from_u128(1),
                Crn::parse("X123456").unwrap(),
                RequestType::ChildrensSafeguarding,
                recipient,
                Some(ADDRESS),
            )
            .unwrap_err();
            assert!(matches!(error, TransitionRefused::WrongRecipient { .. }));
            assert!(error
                .to_string()
                .contains("choose a local authority's children's services instead"));
        }
    }

    #[test]
    fn occupier_checks_may_go_to_any_partner() {
        for recipient in [police(), childrens_services(), adult_social_care()] {
            assert!(CheckRequest::draft(
                Uuid::from_u128(1),
                Crn::parse("X123456").unwrap(),
                RequestType::Occupier,
                recipient,
                Some(ADDRESS),
            )
            .is_ok());
        }
    }

    #[test]
    fn an_occupier_check_needs_an_address_but_a_domestic_abuse_check_does_not() {
        let draft = |request_type, recipient| {
            CheckRequest::draft(
                Uuid::from_u128(1),
                Crn::parse("X123456").unwrap(),
                request_type,
                recipient,
                None,
            )
        };
        assert_eq!(
            draft(RequestType::Occupier, police()),
            Err(TransitionRefused::AddressNeeded)
        );
        assert!(draft(RequestType::PoliceDomesticAbuse, police()).is_ok());
    }

    #[test]
    fn a_misaddressed_request_is_refused_again_when_sent() {
        let mut request = draft(RequestType::PoliceDomesticAbuse, police());
        request.recipient = childrens_services();
        assert!(matches!(
            request.send(&DeadlineRules::reference(), date(2026, 12, 18)),
            Err(TransitionRefused::WrongRecipient { .. })
        ));
    }

    #[test]
    fn sending_fixes_the_send_date_and_a_deadline_counted_in_working_days_over_christmas() {
        let request = sent_on_18_december();
        let sent = request.state.sent().unwrap();
        assert_eq!(request.status(), RequestStatus::Sent);
        assert_eq!(sent.sent_on, date(2026, 12, 18));
        assert_eq!(sent.due_by, date(2027, 1, 6));
        assert_eq!(sent.due_by, add_working_days(date(2026, 12, 18), 10));
        assert_eq!(
            sent.deadline_rule_version,
            DeadlineRules::reference().version()
        );
    }

    #[test]
    fn a_sent_request_cannot_be_sent_again() {
        let error = sent_on_18_december()
            .send(&DeadlineRules::reference(), date(2026, 12, 21))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "This request was already sent on 18 December 2026"
        );
    }

    #[test]
    fn a_draft_cannot_be_acknowledged_answered_or_declined() {
        let draft = draft(RequestType::PoliceDomesticAbuse, police());
        let today = date(2026, 12, 18);
        assert_eq!(
            draft.acknowledge(today).unwrap_err().to_string(),
            "This request has not been sent yet, so it cannot be acknowledged"
        );
        assert_eq!(
            draft
                .respond(not_known(), today, today)
                .unwrap_err()
                .to_string(),
            "This request has not been sent yet, so it cannot be answered"
        );
        assert_eq!(
            draft
                .decline(DeclineReason::NotOurArea, "", today)
                .unwrap_err()
                .to_string(),
            "This request has not been sent yet, so it cannot be declined"
        );
    }

    #[test]
    fn a_draft_cannot_be_withdrawn_because_it_can_simply_be_deleted() {
        let error = draft(RequestType::PoliceDomesticAbuse, police())
            .withdraw("No longer needed", date(2026, 12, 18))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "This request has not been sent yet, so there is nothing to withdraw: delete the draft instead"
        );
    }

    #[test]
    fn a_sent_request_can_be_acknowledged_once() {
        let acknowledged = sent_on_18_december()
            .acknowledge(date(2026, 12, 21))
            .unwrap();
        assert_eq!(acknowledged.status(), RequestStatus::Acknowledged);
        assert_eq!(
            acknowledged
                .acknowledge(date(2026, 12, 22))
                .unwrap_err()
                .to_string(),
            "This request was already acknowledged on 21 December 2026"
        );
    }

    #[test]
    fn a_partner_may_answer_without_acknowledging_first() {
        let answered = sent_on_18_december()
            .respond(not_known(), date(2026, 12, 21), date(2026, 12, 21))
            .unwrap();
        assert_eq!(answered.status(), RequestStatus::Responded);
        assert!(matches!(
            answered.state,
            RequestState::Responded {
                acknowledged_on: None,
                ..
            }
        ));
        assert_eq!(answered.state.response(), Some(&not_known()));
    }

    #[test]
    fn an_answer_keeps_the_acknowledgement_date() {
        let answered = sent_on_18_december()
            .acknowledge(date(2026, 12, 21))
            .unwrap()
            .respond(not_known(), date(2026, 12, 22), date(2026, 12, 22))
            .unwrap();
        assert!(matches!(
            answered.state,
            RequestState::Responded {
                acknowledged_on: Some(on),
                responded_on,
                ..
            } if on == date(2026, 12, 21) && responded_on == date(2026, 12, 22)
        ));
    }

    #[test]
    fn a_response_cannot_predate_the_send_date() {
        let error = sent_on_18_december()
            .respond(not_known(), date(2026, 12, 17), date(2026, 12, 21))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "The response date must be on or after 18 December 2026, the date the request was sent"
        );
    }

    #[test]
    fn a_response_cannot_be_dated_in_the_future() {
        assert_eq!(
            sent_on_18_december().respond(not_known(), date(2026, 12, 22), date(2026, 12, 21)),
            Err(TransitionRefused::ResponseInFuture)
        );
    }

    #[test]
    fn a_response_on_the_send_date_or_after_the_deadline_is_accepted() {
        let request = sent_on_18_december();
        assert!(request
            .respond(not_known(), date(2026, 12, 18), date(2026, 12, 18))
            .is_ok());
        assert!(request
            .respond(not_known(), date(2027, 3, 1), date(2027, 3, 1))
            .is_ok());
    }

    #[test]
    fn a_declined_request_cannot_be_answered() {
        let declined = sent_on_18_december()
            .decline(DeclineReason::NotOurArea, "", date(2026, 12, 21))
            .unwrap();
        assert_eq!(
            declined
                .respond(not_known(), date(2026, 12, 22), date(2026, 12, 22))
                .unwrap_err()
                .to_string(),
            "This request was declined on 21 December 2026, so it can no longer be answered"
        );
    }

    #[test]
    fn a_withdrawn_request_cannot_be_answered_acknowledged_or_declined() {
        let withdrawn = police_request_sent_on(date(2026, 11, 30))
            .withdraw("The person was remanded in custody", date(2026, 12, 3))
            .unwrap();
        let today = date(2026, 12, 4);
        assert_eq!(
            withdrawn
                .respond(not_known(), today, today)
                .unwrap_err()
                .to_string(),
            "This request was withdrawn on 3 December 2026, so it can no longer be answered"
        );
        assert_eq!(
            withdrawn.acknowledge(today).unwrap_err().to_string(),
            "This request was withdrawn on 3 December 2026, so it can no longer be acknowledged"
        );
        assert_eq!(
            withdrawn
                .decline(DeclineReason::Other, "x", today)
                .unwrap_err()
                .to_string(),
            "This request was withdrawn on 3 December 2026, so it can no longer be declined"
        );
    }

    #[test]
    fn a_closed_request_cannot_be_closed_again() {
        let today = date(2026, 12, 22);
        let answered = sent_on_18_december()
            .respond(not_known(), date(2026, 12, 21), today)
            .unwrap();
        assert_eq!(
            answered
                .respond(not_known(), today, today)
                .unwrap_err()
                .to_string(),
            "This request was already answered on 21 December 2026"
        );
        assert_eq!(
            answered
                .withdraw("Changed plan", today)
                .unwrap_err()
                .to_string(),
            "This request was answered on 21 December 2026, so it can no longer be withdrawn"
        );
        let withdrawn = sent_on_18_december()
            .withdraw("Changed plan", today)
            .unwrap();
        assert_eq!(
            withdrawn.withdraw("Again", today).unwrap_err().to_string(),
            "This request was already withdrawn on 22 December 2026"
        );
        let declined = sent_on_18_december()
            .decline(DeclineReason::NotEnoughDetail, "", today)
            .unwrap();
        assert_eq!(
            declined
                .decline(DeclineReason::NotEnoughDetail, "", today)
                .unwrap_err()
                .to_string(),
            "This request was already declined on 22 December 2026"
        );
    }

    #[test]
    fn declining_for_another_reason_needs_an_explanation() {
        let request = sent_on_18_december();
        let error = request
            .decline(DeclineReason::Other, "  ", date(2026, 12, 21))
            .unwrap_err();
        assert_eq!(error, TransitionRefused::DeclineDetail(TextError::Missing));
        assert_eq!(
            error.to_string(),
            "Explain why you are declining the request: enter some text"
        );
        let declined = request
            .decline(
                DeclineReason::Other,
                "Duplicate of our ref 123",
                date(2026, 12, 21),
            )
            .unwrap();
        assert!(matches!(
            declined.state,
            RequestState::Declined { reason: DeclineReason::Other, ref detail, .. }
                if detail.as_str() == "Duplicate of our ref 123"
        ));
    }

    #[test]
    fn a_coded_decline_reason_speaks_for_itself() {
        let declined = sent_on_18_december()
            .decline(DeclineReason::NotOurArea, "", date(2026, 12, 21))
            .unwrap();
        assert_eq!(declined.status(), RequestStatus::Declined);
    }

    #[test]
    fn an_overlong_decline_detail_is_refused_with_its_length() {
        let error = sent_on_18_december()
            .decline(
                DeclineReason::NotOurArea,
                &"a".repeat(10_001),
                date(2026, 12, 21),
            )
            .unwrap_err();
        assert!(matches!(
            error,
            TransitionRefused::DeclineDetail(TextError::TooLong { actual: 10_001, .. })
        ));
    }

    #[test]
    fn withdrawing_needs_a_reason() {
        let request = sent_on_18_december();
        let error = request.withdraw("", date(2026, 12, 21)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Give the reason for withdrawing the request: enter some text"
        );
        let withdrawn = request
            .acknowledge(date(2026, 12, 21))
            .unwrap()
            .withdraw("Address no longer proposed", date(2026, 12, 22))
            .unwrap();
        assert!(matches!(
            withdrawn.state,
            RequestState::Withdrawn { acknowledged_on: Some(_), ref reason, .. }
                if reason.as_str() == "Address no longer proposed"
        ));
    }

    #[test]
    fn partner_request_types_are_the_existing_check_kinds_with_the_same_codes() {
        for kind in CheckKind::ALL {
            let request_type = RequestType::from(*kind);
            assert_eq!(request_type.code(), kind.code());
            assert_eq!(request_type.check_kind(), Some(*kind));
        }
        assert_eq!(RequestType::Occupier.check_kind(), None);
    }

    #[test]
    fn only_sent_and_acknowledged_requests_are_outstanding() {
        let outstanding: Vec<RequestStatus> = RequestStatus::ALL
            .iter()
            .copied()
            .filter(|s| s.is_outstanding())
            .collect();
        assert_eq!(
            outstanding,
            [RequestStatus::Sent, RequestStatus::Acknowledged]
        );
    }

    #[test]
    fn a_draft_has_no_reminder_facts_and_a_sent_request_does() {
        assert_eq!(
            draft(RequestType::PoliceDomesticAbuse, police()).reminder_facts(vec![]),
            None
        );
        let facts = sent_on_18_december()
            .reminder_facts(vec![Reminder::Advance])
            .unwrap();
        assert_eq!(facts.status, RequestStatus::Sent);
        assert_eq!(facts.due_by, date(2027, 1, 6));
        assert_eq!(facts.already_sent, [Reminder::Advance]);
    }
}
