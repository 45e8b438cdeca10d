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
use super::{long_date, working_days_between};
use crate::calendar::{add_working_days, is_bank_holiday, is_working_day, CALENDAR_RULE_VERSION};
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
            .input("Sent on", long_date(&sent_on))
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
                    "The request is {}: reminders stop once a request is answered, declined or withdrawn",
                    facts.status.label().to_lowercase()
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
                    long_date(&latest.on)
                )),
            };
        }
        ReminderDecision::Due {
            reminder: latest.reminder,
            scheduled_for: latest.on,
            explanation: explanation.step(format!(
                "The {} scheduled for {} is due: send it to the {}",
                latest.reminder.describe(),
                long_date(&latest.on),
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
            .input("Sent on", long_date(&facts.sent_on))
            .input("Due by", long_date(&facts.due_by))
            .input("Today", long_date(&today))
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

    /// Every reminder scheduled on or before `today`, in date order.
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
            for number in 1..=latest {
                scheduled.push(ScheduledReminder {
                    reminder: Reminder::Escalation(number),
                    on: self.escalation_date(facts.due_by, number),
                });
            }
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
            long_date(&missed.on)
        ));
    }
    explanation
}

/// The step saying how the deadline was counted, naming the bank holidays skipped.
fn counting_step(sent_on: NaiveDate, due_by: NaiveDate, working_days: u32) -> String {
    let mut holidays = Vec::new();
    let mut day = sent_on + Duration::days(1);
    while day <= due_by {
        if is_bank_holiday(day) {
            holidays.push(long_date(&day));
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
