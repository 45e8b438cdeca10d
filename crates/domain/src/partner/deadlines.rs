//! How long a partner has to answer, and when keepsafe reminds them and escalates (reference §4:
//! police and councils often miss the service's timescales, so the timescales must be visible,
//! configurable and chased).
//!
//! - A deadline is a number of **working days from the send date** (England and Wales bank
//!   holidays, [`crate::calendar`]): the working days allowed for the request type, unless the
//!   receiving organisation has an override (for example a force that has agreed 15 days).
//! - Reminders go to the partner organisation a configurable number of working days **before** the
//!   deadline and, optionally, **on the deadline day**.
//! - Once the deadline has passed the request is **escalated to the senior probation officer** on
//!   the first working day after it, and again every configured number of working days while it
//!   stays unanswered, so someone with authority chases it or authorises working without it.
//!
//! [`DeadlineRules::reminder_due`] says which single reminder is due now. A scheduler can run it as
//! often as it likes: a reminder already sent is never due again, and when runs were missed only the
//! latest reminder is sent (a week-old "due in two days" message would be wrong by the time it
//! arrived).

use super::organisation::PartnerOrganisation;
use super::request::{RequestStatus, RequestType};
use crate::calendar::{add_working_days, is_bank_holiday, is_working_day, CALENDAR_RULE_VERSION};
use crate::calendar::{long_date, working_days_between};
use crate::codes::CodedValue;
use crate::workload::Explanation;
use chrono::{Duration, NaiveDate};
use thiserror::Error;
use uuid::Uuid;

/// The working days each request type allows, before any organisation's override.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandardWorkingDays {
    pub police_domestic_abuse: u32,
    pub childrens_services: u32,
    pub occupier: u32,
}

impl StandardWorkingDays {
    pub fn for_type(&self, request_type: RequestType) -> u32 {
        match request_type {
            RequestType::PoliceDomesticAbuse => self.police_domestic_abuse,
            RequestType::ChildrensSafeguarding => self.childrens_services,
            RequestType::Occupier => self.occupier,
        }
    }
}

/// An organisation's own timescale for one request type, agreed with that partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrganisationOverride {
    pub organisation_id: Uuid,
    pub request_type: RequestType,
    pub working_days: u32,
}

/// When reminders and escalations are sent. Built with [`ReminderSchedule::new`], so a schedule in
/// hand is always one the scheduler can follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReminderSchedule {
    advance_working_days: Option<u32>,
    on_deadline_day: bool,
    repeat_escalation_every: Option<u32>,
}

/// Why deadline rules or a reminder schedule were refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidDeadlineRules {
    #[error(
        "Give the deadline rules a version name, so every deadline can say which rules set it"
    )]
    NoVersion,
    #[error("{} requests must allow at least 1 working day for a response", .0.label())]
    NoWorkingDays(RequestType),
    #[error("This organisation already has its own timescale for {} requests; change that one instead of adding another", .0.label())]
    DuplicateOverride(RequestType),
    #[error("Send the advance reminder at least 1 working day before the deadline; use the deadline-day reminder for the day itself")]
    AdvanceReminderOnDeadline,
    #[error("Repeat escalations at least 1 working day apart")]
    EscalationEveryZeroDays,
}

impl ReminderSchedule {
    /// `advance_working_days`: how many working days before the deadline the partner is reminded
    /// (`None`: no advance reminder). `on_deadline_day`: whether they are reminded on the day.
    /// `repeat_escalation_every`: how many working days apart escalations after the first are
    /// (`None`: escalate once).
    pub fn new(
        advance_working_days: Option<u32>,
        on_deadline_day: bool,
        repeat_escalation_every: Option<u32>,
    ) -> Result<Self, InvalidDeadlineRules> {
        if advance_working_days == Some(0) {
            return Err(InvalidDeadlineRules::AdvanceReminderOnDeadline);
        }
        if repeat_escalation_every == Some(0) {
            return Err(InvalidDeadlineRules::EscalationEveryZeroDays);
        }
        Ok(Self {
            advance_working_days,
            on_deadline_day,
            repeat_escalation_every,
        })
    }

    pub fn advance_working_days(&self) -> Option<u32> {
        self.advance_working_days
    }

    pub fn on_deadline_day(&self) -> bool {
        self.on_deadline_day
    }

    pub fn repeat_escalation_every(&self) -> Option<u32> {
        self.repeat_escalation_every
    }

    fn describe_advance(&self) -> String {
        match self.advance_working_days {
            Some(1) => "1 working day before the deadline".to_owned(),
            Some(days) => format!("{days} working days before the deadline"),
            None => "None".to_owned(),
        }
    }

    fn describe_escalation(&self) -> String {
        match self.repeat_escalation_every {
            Some(days) => format!(
                "To the senior probation officer on the first working day after the deadline, then every {days} working {}",
                if days == 1 { "day" } else { "days" }
            ),
            None => "To the senior probation officer once, on the first working day after the deadline".to_owned(),
        }
    }
}

/// Deadlines and reminders for partner requests: versioned, effective-dated reference data. Every
/// deadline and reminder decision names [`DeadlineRules::version`]. Built with
/// [`DeadlineRules::new`] or [`DeadlineRules::reference`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineRules {
    version: String,
    effective_from: NaiveDate,
    standard: StandardWorkingDays,
    overrides: Vec<OrganisationOverride>,
    schedule: ReminderSchedule,
}

/// The working days allowed for one request to one organisation, and where the number came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllowedWorkingDays {
    pub working_days: u32,
    /// True when the organisation's own timescale replaced the standard one.
    pub overridden: bool,
}

/// A computed deadline: the last day a response is on time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub due_by: NaiveDate,
    pub working_days: u32,
    pub explanation: Explanation,
}

impl DeadlineRules {
    /// The reference rules, matching the existing practitioner-recorded checks
    /// ([`crate::checks::CheckDeadlineRules`]): 10 working days for every request type; reminders 2
    /// working days before and on the deadline day; escalation the day after and every 5 working
    /// days after that. In force from 1 January 2026.
    pub fn reference() -> Self {
        Self {
            version: "partner-deadlines/1 (10 working days; reminders 2 days before and on the day; escalate then every 5 days)".to_owned(),
            effective_from: NaiveDate::from_ymd_opt(2026, 1, 1).expect("a real date"),
            standard: StandardWorkingDays {
                police_domestic_abuse: 10,
                childrens_services: 10,
                occupier: 10,
            },
            overrides: Vec::new(),
            schedule: ReminderSchedule {
                advance_working_days: Some(2),
                on_deadline_day: true,
                repeat_escalation_every: Some(5),
            },
        }
    }

    /// Rules with no organisation overrides yet; refuses a blank version and a request type that
    /// allows no working days.
    pub fn new(
        version: impl Into<String>,
        effective_from: NaiveDate,
        standard: StandardWorkingDays,
        schedule: ReminderSchedule,
    ) -> Result<Self, InvalidDeadlineRules> {
        let version = version.into().trim().to_owned();
        if version.is_empty() {
            return Err(InvalidDeadlineRules::NoVersion);
        }
        if let Some(request_type) = RequestType::ALL
            .iter()
            .copied()
            .find(|request_type| standard.for_type(*request_type) == 0)
        {
            return Err(InvalidDeadlineRules::NoWorkingDays(request_type));
        }
        Ok(Self {
            version,
            effective_from,
            standard,
            overrides: Vec::new(),
            schedule,
        })
    }

    /// Adds an organisation's own timescale for one request type; refuses zero days and a second
    /// override for the same organisation and type.
    pub fn with_override(
        mut self,
        organisation_id: Uuid,
        request_type: RequestType,
        working_days: u32,
    ) -> Result<Self, InvalidDeadlineRules> {
        if working_days == 0 {
            return Err(InvalidDeadlineRules::NoWorkingDays(request_type));
        }
        let duplicate = self
            .overrides
            .iter()
            .any(|o| o.organisation_id == organisation_id && o.request_type == request_type);
        if duplicate {
            return Err(InvalidDeadlineRules::DuplicateOverride(request_type));
        }
        self.overrides.push(OrganisationOverride {
            organisation_id,
            request_type,
            working_days,
        });
        Ok(self)
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn effective_from(&self) -> NaiveDate {
        self.effective_from
    }

    pub fn schedule(&self) -> &ReminderSchedule {
        &self.schedule
    }

    pub fn overrides(&self) -> &[OrganisationOverride] {
        &self.overrides
    }

    /// The rules in force on a date: the set with the latest `effective_from` on or before it.
    /// `None` before the first set takes effect.
    pub fn in_force_on(history: &[DeadlineRules], date: NaiveDate) -> Option<&DeadlineRules> {
        history
            .iter()
            .filter(|rules| rules.effective_from <= date)
            .max_by_key(|rules| rules.effective_from)
    }

    /// The working days allowed for `request_type` sent to the organisation.
    pub fn allowed(&self, request_type: RequestType, organisation_id: Uuid) -> AllowedWorkingDays {
        match self
            .overrides
            .iter()
            .find(|o| o.organisation_id == organisation_id && o.request_type == request_type)
        {
            Some(o) => AllowedWorkingDays {
                working_days: o.working_days,
                overridden: true,
            },
            None => AllowedWorkingDays {
                working_days: self.standard.for_type(request_type),
                overridden: false,
            },
        }
    }

    /// When a response to a request sent on `sent_on` is due, with the working shown.
    pub fn deadline(
        &self,
        request_type: RequestType,
        recipient: &PartnerOrganisation,
        sent_on: NaiveDate,
    ) -> Deadline {
        let allowed = self.allowed(request_type, recipient.id);
        let due_by = add_working_days(sent_on, allowed.working_days);
        let source = if allowed.overridden {
            format!("{}'s own timescale", recipient.name)
        } else {
            format!("the standard for {} requests", request_type.label())
        };
        let explanation = Explanation::new(self.version.clone())
            .input("Request type", request_type.label())
            .input("Partner organisation", recipient.name.as_str())
            .input("Sent on", long_date(sent_on))
            .input(
                "Working days allowed",
                format!("{} ({source})", allowed.working_days),
            )
            .input("Working-day calendar", CALENDAR_RULE_VERSION)
            .step(counting_step(sent_on, due_by, allowed.working_days))
            .step(format!(
                "Due by {}: a response on or before that day is on time",
                due_by.format("%A %-d %B %Y")
            ));
        Deadline {
            due_by,
            working_days: allowed.working_days,
            explanation,
        }
    }

    /// Which reminder or escalation is due now for a request, if any (see the module
    /// documentation). `today` is the scheduler's date in England.
    pub fn reminder_due(&self, facts: &ReminderFacts, today: NaiveDate) -> ReminderDecision {
        let explanation = self.reminder_explanation(facts, today);
        if !facts.status.is_outstanding() {
            let why = if facts.status == RequestStatus::Draft {
                "The request has not been sent, so no reminders are due".to_owned()
            } else {
                format!(
                    "The request has {}: reminders stop once a request is answered, declined or withdrawn",
                    facts.status.as_perfect()
                )
            };
            return ReminderDecision::NothingDue {
                next: None,
                explanation: explanation.step(why),
            };
        }
        let occurrences = self.occurrences_until(facts, today);
        let next = self.next_after(facts, today);
        let Some(latest) = occurrences.last().copied() else {
            return ReminderDecision::NothingDue {
                next,
                explanation: explanation.step("No reminder is scheduled on or before today"),
            };
        };
        let explanation = note_superseded(explanation, &occurrences, &facts.already_sent);
        if facts.already_sent.contains(&latest.reminder) {
            return ReminderDecision::NothingDue {
                next,
                explanation: explanation.step(format!(
                    "The {} scheduled for {} has already been sent",
                    latest.reminder.describe(),
                    long_date(latest.on)
                )),
            };
        }
        ReminderDecision::Due {
            reminder: latest.reminder,
            scheduled_for: latest.on,
            explanation: explanation.step(format!(
                "The {} scheduled for {} is due: send it to the {}",
                latest.reminder.describe(),
                long_date(latest.on),
                latest.reminder.audience().label().to_lowercase()
            )),
        }
    }

    fn reminder_explanation(&self, facts: &ReminderFacts, today: NaiveDate) -> Explanation {
        let already = if facts.already_sent.is_empty() {
            "None".to_owned()
        } else {
            facts
                .already_sent
                .iter()
                .map(Reminder::describe)
                .collect::<Vec<_>>()
                .join(", ")
        };
        Explanation::new(self.version.clone())
            .input("Status", facts.status.label())
            .input("Sent on", long_date(facts.sent_on))
            .input("Due by", long_date(facts.due_by))
            .input("Today", long_date(today))
            .input("Advance reminder", self.schedule.describe_advance())
            .input(
                "Deadline-day reminder",
                if self.schedule.on_deadline_day {
                    "Yes"
                } else {
                    "No"
                },
            )
            .input("Escalation", self.schedule.describe_escalation())
            .input("Already sent", already)
            .input("Working-day calendar", CALENDAR_RULE_VERSION)
    }

    /// The partner reminders scheduled on or before `today` and the latest escalation due by then,
    /// in date order. Earlier escalations are left out: only the latest can be due, and a request
    /// overdue for months would otherwise list every one.
    fn occurrences_until(&self, facts: &ReminderFacts, today: NaiveDate) -> Vec<ScheduledReminder> {
        let mut scheduled: Vec<ScheduledReminder> = self
            .before_escalation(facts)
            .into_iter()
            .filter(|s| s.on <= today)
            .collect();
        let first_escalation = add_working_days(facts.due_by, 1);
        if first_escalation <= today {
            let latest = match self.schedule.repeat_escalation_every {
                Some(every) => 1 + working_days_between(first_escalation, today) / every,
                None => 1,
            };
            scheduled.push(ScheduledReminder {
                reminder: Reminder::Escalation(latest),
                on: self.escalation_date(facts.due_by, latest),
            });
        }
        scheduled
    }

    /// The first reminder scheduled after `today`, for the screen's "next reminder" line.
    fn next_after(&self, facts: &ReminderFacts, today: NaiveDate) -> Option<ScheduledReminder> {
        if let Some(next) = self
            .before_escalation(facts)
            .into_iter()
            .find(|s| s.on > today)
        {
            return Some(next);
        }
        let first_escalation = add_working_days(facts.due_by, 1);
        let number = if first_escalation > today {
            1
        } else {
            let every = self.schedule.repeat_escalation_every?;
            2 + working_days_between(first_escalation, today) / every
        };
        Some(ScheduledReminder {
            reminder: Reminder::Escalation(number),
            on: self.escalation_date(facts.due_by, number),
        })
    }

    /// The partner reminders, which only make sense after the request was sent.
    fn before_escalation(&self, facts: &ReminderFacts) -> Vec<ScheduledReminder> {
        let mut scheduled = Vec::new();
        if let Some(days) = self.schedule.advance_working_days {
            let on = working_days_before(facts.due_by, days);
            if on > facts.sent_on {
                scheduled.push(ScheduledReminder {
                    reminder: Reminder::Advance,
                    on,
                });
            }
        }
        if self.schedule.on_deadline_day && facts.due_by > facts.sent_on {
            scheduled.push(ScheduledReminder {
                reminder: Reminder::DeadlineDay,
                on: facts.due_by,
            });
        }
        scheduled
    }

    fn escalation_date(&self, due_by: NaiveDate, number: u32) -> NaiveDate {
        let first = add_working_days(due_by, 1);
        let every = self.schedule.repeat_escalation_every.unwrap_or(0);
        add_working_days(first, every * number.saturating_sub(1))
    }
}

/// Says which earlier reminders were never sent and are now superseded by a later one.
fn note_superseded(
    mut explanation: Explanation,
    occurrences: &[ScheduledReminder],
    already_sent: &[Reminder],
) -> Explanation {
    let earlier = &occurrences[..occurrences.len().saturating_sub(1)];
    for missed in earlier
        .iter()
        .filter(|s| !already_sent.contains(&s.reminder))
    {
        explanation = explanation.step(format!(
            "The {} scheduled for {} was not sent; a later reminder replaces it",
            missed.reminder.describe(),
            long_date(missed.on)
        ));
    }
    if let Some(Reminder::Escalation(latest)) = occurrences.last().map(|s| s.reminder) {
        let sent_before = already_sent
            .iter()
            .filter(|r| matches!(r, Reminder::Escalation(n) if *n < latest))
            .count();
        let missed = (latest as usize - 1).saturating_sub(sent_before);
        if missed > 0 {
            explanation = explanation.step(format!(
                "{missed} earlier {} not sent; the latest replaces {}",
                if missed == 1 {
                    "escalation was"
                } else {
                    "escalations were"
                },
                if missed == 1 { "it" } else { "them" }
            ));
        }
    }
    explanation
}

/// The step saying how the deadline was counted, naming the bank holidays skipped.
fn counting_step(sent_on: NaiveDate, due_by: NaiveDate, working_days: u32) -> String {
    let mut holidays = Vec::new();
    let mut day = sent_on + Duration::days(1);
    while day <= due_by {
        if is_bank_holiday(day) {
            holidays.push(long_date(day));
        }
        day += Duration::days(1);
    }
    let mut step = format!(
        "Counted {working_days} working {} after {}, skipping weekends",
        if working_days == 1 { "day" } else { "days" },
        sent_on.format("%A %-d %B %Y")
    );
    if holidays.is_empty() {
        step.push_str("; no bank holidays fell in that time");
    } else {
        step.push_str(&format!(" and the bank holidays {}", holidays.join(", ")));
    }
    step
}

/// The working day `working_days` working days before `day` (`day` itself not counted).
fn working_days_before(day: NaiveDate, working_days: u32) -> NaiveDate {
    let mut date = day;
    let mut remaining = working_days;
    while remaining > 0 {
        date -= Duration::days(1);
        if is_working_day(date) {
            remaining -= 1;
        }
    }
    date
}

/// What the reminder rule reads about a request. `sent_on` and `due_by` are ignored for drafts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderFacts {
    pub status: RequestStatus,
    pub sent_on: NaiveDate,
    pub due_by: NaiveDate,
    /// The reminders already sent for this request (their [`Reminder::key`]s are stored).
    pub already_sent: Vec<Reminder>,
}

/// One reminder in a request's schedule. Each has a stable [`Reminder::key`], so storage can keep
/// a unique (request, key) row and sending stays idempotent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reminder {
    /// To the partner, before the deadline.
    Advance,
    /// To the partner, on the deadline day.
    DeadlineDay,
    /// To the senior probation officer once overdue: the 1st, 2nd, … escalation.
    Escalation(u32),
}

crate::coded_enum! {
    /// Who a reminder goes to.
    pub enum ReminderAudience ("reminder audience") {
        PartnerOrganisation => "partner_organisation", "Partner organisation",
        SeniorProbationOfficer => "senior_probation_officer", "Senior probation officer",
    }
}

impl Reminder {
    /// The stable key stored with each sent reminder: "advance", "deadline_day", "escalation_2".
    pub fn key(&self) -> String {
        match self {
            Reminder::Advance => "advance".to_owned(),
            Reminder::DeadlineDay => "deadline_day".to_owned(),
            Reminder::Escalation(number) => format!("escalation_{number}"),
        }
    }

    /// Reads a stored key back; `None` for a key this version does not know.
    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "advance" => Some(Reminder::Advance),
            "deadline_day" => Some(Reminder::DeadlineDay),
            _ => key
                .strip_prefix("escalation_")
                .and_then(|n| n.parse().ok())
                .filter(|n| *n >= 1)
                .map(Reminder::Escalation),
        }
    }

    pub fn audience(&self) -> ReminderAudience {
        match self {
            Reminder::Advance | Reminder::DeadlineDay => ReminderAudience::PartnerOrganisation,
            Reminder::Escalation(_) => ReminderAudience::SeniorProbationOfficer,
        }
    }

    /// The reminder as a person names it.
    pub fn describe(&self) -> String {
        match self {
            Reminder::Advance => "advance reminder".to_owned(),
            Reminder::DeadlineDay => "deadline-day reminder".to_owned(),
            Reminder::Escalation(1) => "first escalation".to_owned(),
            Reminder::Escalation(number) => format!("escalation {number}"),
        }
    }
}

/// A reminder and the working day it is scheduled for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduledReminder {
    pub reminder: Reminder,
    pub on: NaiveDate,
}

/// The scheduler's answer for one request today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReminderDecision {
    /// Send this reminder now and record its key.
    Due {
        reminder: Reminder,
        scheduled_for: NaiveDate,
        explanation: Explanation,
    },
    /// Nothing to send; `next` is the next reminder scheduled, if any.
    NothingDue {
        next: Option<ScheduledReminder>,
        explanation: Explanation,
    },
}

impl ReminderDecision {
    pub fn due(&self) -> Option<Reminder> {
        match self {
            ReminderDecision::Due { reminder, .. } => Some(*reminder),
            ReminderDecision::NothingDue { .. } => None,
        }
    }

    pub fn explanation(&self) -> &Explanation {
        match self {
            ReminderDecision::Due { explanation, .. }
            | ReminderDecision::NothingDue { explanation, .. } => explanation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partner::fixtures::*;

    fn facts(sent_on: NaiveDate, due_by: NaiveDate, already_sent: &[Reminder]) -> ReminderFacts {
        ReminderFacts {
            status: RequestStatus::Sent,
            sent_on,
            due_by,
            already_sent: already_sent.to_vec(),
        }
    }

    /// Sent Monday 2 November 2026; 10 working days → due Monday 16 November. Advance reminder
    /// Thursday 12th, deadline day 16th, escalations 17th, 24th, 1 December.
    fn november() -> ReminderFacts {
        facts(date(2026, 11, 2), date(2026, 11, 16), &[])
    }

    fn due_on(facts: &ReminderFacts, today: NaiveDate) -> Option<Reminder> {
        DeadlineRules::reference().reminder_due(facts, today).due()
    }

    #[test]
    fn a_request_sent_on_18_december_2026_is_due_on_6_january_2027() {
        let deadline = DeadlineRules::reference().deadline(
            RequestType::PoliceDomesticAbuse,
            &police(),
            date(2026, 12, 18),
        );
        assert_eq!(deadline.due_by, date(2027, 1, 6));
        assert_eq!(deadline.due_by, add_working_days(date(2026, 12, 18), 10));
        assert_eq!(deadline.working_days, 10);
    }

    #[test]
    fn a_deadline_explains_its_inputs_rule_version_and_the_bank_holidays_skipped() {
        let rules = DeadlineRules::reference();
        let deadline = rules.deadline(
            RequestType::ChildrensSafeguarding,
            &childrens_services(),
            date(2026, 12, 18),
        );
        let explanation = &deadline.explanation;
        assert_eq!(explanation.rule_version, rules.version());
        assert_eq!(explanation.input_value("Sent on"), Some("18 December 2026"));
        assert_eq!(
            explanation.input_value("Working days allowed"),
            Some("10 (the standard for Children's services safeguarding check requests)")
        );
        assert_eq!(
            explanation.input_value("Working-day calendar"),
            Some(CALENDAR_RULE_VERSION)
        );
        assert!(explanation.steps[0]
            .contains("the bank holidays 25 December 2026, 28 December 2026, 1 January 2027"));
        assert_eq!(
            explanation.steps[1],
            "Due by Wednesday 6 January 2027: a response on or before that day is on time"
        );
    }

    #[test]
    fn a_deadline_with_no_bank_holidays_says_so() {
        let deadline = DeadlineRules::reference().deadline(
            RequestType::PoliceDomesticAbuse,
            &police(),
            date(2026, 11, 2),
        );
        assert_eq!(deadline.due_by, date(2026, 11, 16));
        assert!(deadline.explanation.steps[0].ends_with("no bank holidays fell in that time"));
    }

    #[test]
    fn an_organisations_own_timescale_replaces_the_standard_for_that_type_only() {
        let rules = DeadlineRules::reference()
            .with_override(police().id, RequestType::PoliceDomesticAbuse, 15)
            .unwrap();
        let deadline = rules.deadline(
            RequestType::PoliceDomesticAbuse,
            &police(),
            date(2026, 11, 2),
        );
        assert_eq!(deadline.working_days, 15);
        assert_eq!(deadline.due_by, date(2026, 11, 23));
        assert_eq!(
            deadline.explanation.input_value("Working days allowed"),
            Some("15 (Lincolnshire Police's own timescale)")
        );
        // Other types for the same force, and the same type for another force, keep the standard.
        assert_eq!(
            rules.allowed(RequestType::Occupier, police().id),
            AllowedWorkingDays {
                working_days: 10,
                overridden: false
            }
        );
        assert_eq!(
            rules
                .allowed(RequestType::PoliceDomesticAbuse, Uuid::from_u128(99))
                .working_days,
            10
        );
    }

    #[test]
    fn rules_without_a_version_or_with_a_type_allowing_no_time_are_refused() {
        let standard = StandardWorkingDays {
            police_domestic_abuse: 10,
            childrens_services: 10,
            occupier: 5,
        };
        let schedule = ReminderSchedule::new(Some(2), true, Some(5)).unwrap();
        assert_eq!(
            DeadlineRules::new("  ", date(2027, 1, 1), standard, schedule),
            Err(InvalidDeadlineRules::NoVersion)
        );
        let error = DeadlineRules::new(
            "v2",
            date(2027, 1, 1),
            StandardWorkingDays {
                occupier: 0,
                ..standard
            },
            schedule,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "Occupier check requests must allow at least 1 working day for a response"
        );
        let rules = DeadlineRules::new("v2", date(2027, 1, 1), standard, schedule).unwrap();
        assert_eq!(rules.version(), "v2");
        assert_eq!(
            rules
                .allowed(RequestType::Occupier, police().id)
                .working_days,
            5
        );
    }

    #[test]
    fn an_organisation_cannot_have_two_timescales_for_one_type_or_a_timescale_of_no_days() {
        let rules = DeadlineRules::reference()
            .with_override(police().id, RequestType::PoliceDomesticAbuse, 15)
            .unwrap();
        assert_eq!(
            rules
                .clone()
                .with_override(police().id, RequestType::PoliceDomesticAbuse, 20),
            Err(InvalidDeadlineRules::DuplicateOverride(
                RequestType::PoliceDomesticAbuse
            ))
        );
        assert_eq!(
            rules.with_override(police().id, RequestType::Occupier, 0),
            Err(InvalidDeadlineRules::NoWorkingDays(RequestType::Occupier))
        );
    }

    #[test]
    fn a_reminder_schedule_cannot_remind_zero_days_before_or_repeat_every_zero_days() {
        assert_eq!(
            ReminderSchedule::new(Some(0), true, None),
            Err(InvalidDeadlineRules::AdvanceReminderOnDeadline)
        );
        assert_eq!(
            ReminderSchedule::new(Some(2), true, Some(0)),
            Err(InvalidDeadlineRules::EscalationEveryZeroDays)
        );
        assert!(ReminderSchedule::new(None, false, None).is_ok());
    }

    #[test]
    fn the_rules_in_force_on_a_date_are_the_latest_to_take_effect_by_then() {
        let first = DeadlineRules::reference();
        let second = DeadlineRules::new(
            "v2",
            date(2027, 4, 1),
            StandardWorkingDays {
                police_domestic_abuse: 15,
                childrens_services: 15,
                occupier: 15,
            },
            *first.schedule(),
        )
        .unwrap();
        let history = [second.clone(), first.clone()];
        assert_eq!(
            DeadlineRules::in_force_on(&history, date(2025, 12, 31)),
            None
        );
        assert_eq!(
            DeadlineRules::in_force_on(&history, date(2027, 3, 31)),
            Some(&first)
        );
        assert_eq!(
            DeadlineRules::in_force_on(&history, date(2027, 4, 1)),
            Some(&second)
        );
    }

    #[test]
    fn nothing_is_due_before_the_advance_reminder_and_the_next_one_is_named() {
        let decision = DeadlineRules::reference().reminder_due(&november(), date(2026, 11, 11));
        assert_eq!(
            decision,
            ReminderDecision::NothingDue {
                next: Some(ScheduledReminder {
                    reminder: Reminder::Advance,
                    on: date(2026, 11, 12)
                }),
                explanation: decision.explanation().clone(),
            }
        );
    }

    #[test]
    fn the_partner_is_reminded_two_working_days_before_the_deadline() {
        let decision = DeadlineRules::reference().reminder_due(&november(), date(2026, 11, 12));
        assert_eq!(decision.due(), Some(Reminder::Advance));
        assert_eq!(
            Reminder::Advance.audience(),
            ReminderAudience::PartnerOrganisation
        );
        assert!(decision
            .explanation()
            .steps
            .last()
            .unwrap()
            .ends_with("send it to the partner organisation"));
    }

    #[test]
    fn a_reminder_already_sent_is_not_due_again_the_same_day_or_the_next() {
        let sent = facts(date(2026, 11, 2), date(2026, 11, 16), &[Reminder::Advance]);
        assert_eq!(due_on(&sent, date(2026, 11, 12)), None);
        let decision = DeadlineRules::reference().reminder_due(&sent, date(2026, 11, 13));
        assert_eq!(decision.due(), None);
        assert!(matches!(
            decision,
            ReminderDecision::NothingDue {
                next: Some(ScheduledReminder {
                    reminder: Reminder::DeadlineDay,
                    ..
                }),
                ..
            }
        ));
    }

    #[test]
    fn a_missed_reminder_is_caught_up_until_a_later_one_replaces_it() {
        assert_eq!(
            due_on(&november(), date(2026, 11, 13)),
            Some(Reminder::Advance)
        );
        assert_eq!(
            due_on(&november(), date(2026, 11, 16)),
            Some(Reminder::DeadlineDay)
        );
    }

    #[test]
    fn the_partner_is_reminded_on_the_deadline_day() {
        let sent = facts(date(2026, 11, 2), date(2026, 11, 16), &[Reminder::Advance]);
        assert_eq!(
            due_on(&sent, date(2026, 11, 16)),
            Some(Reminder::DeadlineDay)
        );
    }

    #[test]
    fn an_overdue_request_is_escalated_to_the_senior_officer_the_next_working_day() {
        let sent = facts(
            date(2026, 11, 2),
            date(2026, 11, 16),
            &[Reminder::Advance, Reminder::DeadlineDay],
        );
        let decision = DeadlineRules::reference().reminder_due(&sent, date(2026, 11, 17));
        assert_eq!(decision.due(), Some(Reminder::Escalation(1)));
        assert_eq!(
            Reminder::Escalation(1).audience(),
            ReminderAudience::SeniorProbationOfficer
        );
        assert!(decision
            .explanation()
            .steps
            .last()
            .unwrap()
            .ends_with("send it to the senior probation officer"));
    }

    #[test]
    fn escalation_repeats_every_five_working_days_while_unanswered() {
        let once = facts(
            date(2026, 11, 2),
            date(2026, 11, 16),
            &[
                Reminder::Advance,
                Reminder::DeadlineDay,
                Reminder::Escalation(1),
            ],
        );
        assert_eq!(due_on(&once, date(2026, 11, 23)), None);
        assert_eq!(
            due_on(&once, date(2026, 11, 24)),
            Some(Reminder::Escalation(2))
        );
        let twice = ReminderFacts {
            already_sent: [once.already_sent.clone(), vec![Reminder::Escalation(2)]].concat(),
            ..once
        };
        let decision = DeadlineRules::reference().reminder_due(&twice, date(2026, 11, 25));
        assert!(matches!(
            decision,
            ReminderDecision::NothingDue {
                next: Some(ScheduledReminder {
                    reminder: Reminder::Escalation(3),
                    on
                }),
                ..
            } if on == date(2026, 12, 1)
        ));
    }

    #[test]
    fn after_missed_runs_only_the_latest_reminder_is_sent_and_the_others_are_explained() {
        let decision = DeadlineRules::reference().reminder_due(&november(), date(2026, 11, 18));
        assert_eq!(decision.due(), Some(Reminder::Escalation(1)));
        let steps = &decision.explanation().steps;
        assert!(steps.iter().any(|s| s
            == "The advance reminder scheduled for 12 November 2026 was not sent; a later reminder replaces it"));
        assert!(steps.iter().any(|s| s
            .starts_with("The deadline-day reminder scheduled for 16 November 2026 was not sent")));
    }

    #[test]
    fn a_long_overdue_request_gets_only_its_latest_escalation() {
        let first_only = facts(
            date(2026, 11, 2),
            date(2026, 11, 16),
            &[
                Reminder::Advance,
                Reminder::DeadlineDay,
                Reminder::Escalation(1),
            ],
        );
        // 17 Nov + 5, 10, 15 working days: 24 Nov, 1 Dec, 8 Dec.
        let decision = DeadlineRules::reference().reminder_due(&first_only, date(2026, 12, 8));
        assert_eq!(decision.due(), Some(Reminder::Escalation(4)));
        assert!(decision
            .explanation()
            .steps
            .contains(&"2 earlier escalations were not sent; the latest replaces them".to_owned()));
        // Years later, still one decision and one step about the missed ones.
        let years = DeadlineRules::reference().reminder_due(&first_only, date(2029, 1, 2));
        assert!(matches!(years.due(), Some(Reminder::Escalation(n)) if n > 100));
    }

    #[test]
    fn with_no_repeat_a_request_is_escalated_once() {
        let rules = DeadlineRules::new(
            "once",
            date(2026, 1, 1),
            StandardWorkingDays {
                police_domestic_abuse: 10,
                childrens_services: 10,
                occupier: 10,
            },
            ReminderSchedule::new(None, false, None).unwrap(),
        )
        .unwrap();
        assert_eq!(
            rules.reminder_due(&november(), date(2026, 11, 12)).due(),
            None
        );
        assert_eq!(
            rules.reminder_due(&november(), date(2026, 11, 16)).due(),
            None
        );
        assert_eq!(
            rules.reminder_due(&november(), date(2026, 11, 17)).due(),
            Some(Reminder::Escalation(1))
        );
        let escalated = facts(
            date(2026, 11, 2),
            date(2026, 11, 16),
            &[Reminder::Escalation(1)],
        );
        assert_eq!(
            rules.reminder_due(&escalated, date(2027, 2, 1)),
            ReminderDecision::NothingDue {
                next: None,
                explanation: rules
                    .reminder_due(&escalated, date(2027, 2, 1))
                    .explanation()
                    .clone()
            }
        );
    }

    #[test]
    fn the_advance_reminder_counts_back_over_bank_holidays() {
        // Due Wednesday 6 January 2027; 2 working days before is Monday 4 January (1 January is a
        // bank holiday).
        let christmas = facts(date(2026, 12, 18), date(2027, 1, 6), &[]);
        assert_eq!(due_on(&christmas, date(2027, 1, 1)), None);
        assert_eq!(
            due_on(&christmas, date(2027, 1, 4)),
            Some(Reminder::Advance)
        );
        assert_eq!(
            due_on(&christmas, date(2027, 1, 7)),
            Some(Reminder::Escalation(1))
        );
    }

    #[test]
    fn no_advance_reminder_is_sent_when_it_would_fall_on_or_before_the_send_date() {
        // A one-day timescale: "two days before" would be before the request existed.
        let short = facts(date(2026, 11, 2), date(2026, 11, 3), &[]);
        assert_eq!(due_on(&short, date(2026, 11, 2)), None);
        assert_eq!(
            due_on(&short, date(2026, 11, 3)),
            Some(Reminder::DeadlineDay)
        );
    }

    #[test]
    fn closed_and_draft_requests_get_no_reminders() {
        for status in [
            RequestStatus::Draft,
            RequestStatus::Responded,
            RequestStatus::Declined,
            RequestStatus::Withdrawn,
        ] {
            let closed = ReminderFacts {
                status,
                ..november()
            };
            let decision = DeadlineRules::reference().reminder_due(&closed, date(2026, 11, 30));
            assert_eq!(decision.due(), None, "{status}");
            assert!(matches!(
                decision,
                ReminderDecision::NothingDue { next: None, .. }
            ));
        }
        let answered = ReminderFacts {
            status: RequestStatus::Responded,
            ..november()
        };
        assert_eq!(
            DeadlineRules::reference()
                .reminder_due(&answered, date(2026, 11, 30))
                .explanation()
                .steps
                .last()
                .unwrap(),
            "The request has been answered: reminders stop once a request is answered, declined or withdrawn"
        );
    }

    #[test]
    fn an_acknowledged_request_is_still_chased() {
        let acknowledged = ReminderFacts {
            status: RequestStatus::Acknowledged,
            ..november()
        };
        assert_eq!(
            due_on(&acknowledged, date(2026, 11, 17)),
            Some(Reminder::Escalation(1))
        );
    }

    #[test]
    fn every_reminder_decision_explains_its_inputs_and_rule_version() {
        let rules = DeadlineRules::reference();
        let decision = rules.reminder_due(&november(), date(2026, 11, 12));
        let explanation = decision.explanation();
        assert_eq!(explanation.rule_version, rules.version());
        assert_eq!(explanation.input_value("Due by"), Some("16 November 2026"));
        assert_eq!(
            explanation.input_value("Advance reminder"),
            Some("2 working days before the deadline")
        );
        assert_eq!(explanation.input_value("Already sent"), Some("None"));
        assert_eq!(
            explanation.input_value("Escalation"),
            Some("To the senior probation officer on the first working day after the deadline, then every 5 working days")
        );
    }

    #[test]
    fn reminder_keys_are_stable_and_read_back() {
        for reminder in [
            Reminder::Advance,
            Reminder::DeadlineDay,
            Reminder::Escalation(1),
            Reminder::Escalation(12),
        ] {
            assert_eq!(Reminder::from_key(&reminder.key()), Some(reminder));
        }
        assert_eq!(Reminder::Escalation(2).key(), "escalation_2");
        for unknown in ["", "escalation_0", "escalation_x", "reminder"] {
            assert_eq!(Reminder::from_key(unknown), None, "{unknown}");
        }
    }
}
