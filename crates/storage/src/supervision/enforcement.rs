//! Enforcement on a case (`enforcement_warnings`, `breach_actions`, `recalls`): what an
//! unacceptable failure opens, as the domain's [`EnforcementRules`] decide, and each later step.
//!
//! Every step runs inside the caller's transaction and writes, with it, a system event in the
//! contact log (warning letter, breach action, recall); breach action and recall also create the
//! "review the risk assessment" task. Steps are guarded by the status they move from, so two
//! people acting at once cannot both land.

use crate::cases::tasks::{self, NewTask};
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{
    allocations, breach_actions, contacts, enforcement_warnings, events, people, recalls,
    requirements,
};
use crate::supervision::contacts::{self as contact_log, NewContact};
use crate::supervision::outcomes::staff_name;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::dsl;
use diesel::prelude::*;
use keepsafe_domain::event::{CaseType, SentenceType};
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::review::{ReviewRules, ReviewTrigger};
use keepsafe_domain::supervision::contact::{
    ContactOutcome, ContactType, FailureJudgement, LocationKind,
};
use keepsafe_domain::supervision::enforcement::{
    BreachStatus, Consequence, CourtOutcome, EnforcementRules, RecallStatus, RecallType,
    Recommendation, WarningStatus,
};
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// Who takes an enforcement step, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acting {
    pub by: Uuid,
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
}

/// The order a case is enforced under: its event and case type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseOrder {
    pub event_id: Uuid,
    pub case_type: CaseType,
    pub sentence_type: SentenceType,
    pub sentence_date: Option<NaiveDate>,
}

/// The event `event_id` of the person, or (when none is given) their latest active event.
pub fn case_order(
    conn: &mut AnyConnection,
    person_id: Uuid,
    event_id: Option<Uuid>,
) -> StorageResult<Option<CaseOrder>> {
    let mut query = events::table
        .filter(events::person_id.eq(person_id.to_string()))
        .select((
            events::id,
            events::case_type,
            events::sentence_type,
            events::sentence_date,
        ))
        .order(events::event_number.desc())
        .into_boxed();
    query = match event_id {
        Some(id) => query.filter(events::id.eq(id.to_string())),
        None => query.filter(events::active.eq(true)),
    };
    let Some((id, case_type, sentence_type, sentence_date)) = query
        .first::<(String, String, String, Option<NaiveDate>)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    Ok(Some(CaseOrder {
        event_id: rows::id(&id)?,
        case_type: rows::code(&case_type)?,
        sentence_type: rows::code(&sentence_type)?,
        sentence_date,
    }))
}

/// What an appointment counted towards, in words: its requirement, or the order.
pub fn counts_towards(
    conn: &mut AnyConnection,
    order: Option<&CaseOrder>,
    requirement_id: Option<Uuid>,
) -> StorageResult<String> {
    let order_label = order
        .map(|o| o.sentence_type.label().to_owned())
        .unwrap_or_else(|| "Supervision".into());
    let Some(requirement_id) = requirement_id else {
        return Ok(order_label);
    };
    let kind: Option<String> = requirements::table
        .find(requirement_id.to_string())
        .select(requirements::kind)
        .first(conn)
        .optional()?;
    Ok(match kind {
        Some(kind) => format!(
            "{order_label}: {}",
            rows::code::<RequirementKind>(&kind)?.label().to_lowercase()
        ),
        None => order_label,
    })
}

/// The dates warnings were sent on the case.
pub fn warnings_sent(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<NaiveDate>> {
    Ok(enforcement_warnings::table
        .filter(enforcement_warnings::person_id.eq(person_id.to_string()))
        .filter(enforcement_warnings::status.eq(WarningStatus::Sent.code()))
        .select(enforcement_warnings::sent_on)
        .load::<Option<NaiveDate>>(conn)?
        .into_iter()
        .flatten()
        .collect())
}

/// A row of `T` picked by its id and person while its status is still the one given: the guard
/// each step updates through, so that of two people acting at once only one lands.
type Guarded<T, Id, Person, Status> = dsl::Filter<
    dsl::Filter<dsl::Filter<T, dsl::Eq<Id, String>>, dsl::Eq<Person, String>>,
    dsl::Eq<Status, &'static str>,
>;

/// The person's breach action `id`, while it is still `status`.
fn breach_in(
    id: Uuid,
    person_id: Uuid,
    status: BreachStatus,
) -> Guarded<
    breach_actions::table,
    breach_actions::id,
    breach_actions::person_id,
    breach_actions::status,
> {
    breach_actions::table
        .filter(breach_actions::id.eq(id.to_string()))
        .filter(breach_actions::person_id.eq(person_id.to_string()))
        .filter(breach_actions::status.eq(status.code()))
}

/// The person's recall `id`, while it is still `status`.
fn recall_in(
    id: Uuid,
    person_id: Uuid,
    status: RecallStatus,
) -> Guarded<recalls::table, recalls::id, recalls::person_id, recalls::status> {
    recalls::table
        .filter(recalls::id.eq(id.to_string()))
        .filter(recalls::person_id.eq(person_id.to_string()))
        .filter(recalls::status.eq(status.code()))
}

/// Writes a system event into the contact log.
fn log_event(
    conn: &mut AnyConnection,
    person_id: Uuid,
    event_id: Option<Uuid>,
    kind: ContactType,
    notes: String,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    contact_log::insert(
        conn,
        &[NewContact {
            id: Uuid::new_v4(),
            person_id,
            event_id,
            requirement_id: None,
            kind,
            starts_at: now.naive_utc(),
            ends_at: None,
            location_kind: LocationKind::Other,
            location: String::new(),
            with_staff: Some(by),
            sensitive: false,
            enforceable: false,
            notes,
            series_id: None,
            outcome: None,
            judgement: None,
            created_by: by,
        }],
        now,
    )
}

/// Creates the "review the risk assessment" task a breach or recall calls for.
fn review(
    conn: &mut AnyConnection,
    person_id: Uuid,
    trigger: ReviewTrigger,
    details: String,
    by: Uuid,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let rules = ReviewRules::default();
    tasks::create(
        conn,
        &NewTask {
            person_id,
            trigger,
            occurred_on: today,
            details,
            due_on: rules.due(trigger, today),
            rule_version: rules.version.to_owned(),
            created_by: Some(by),
        },
        now,
    )?;
    Ok(())
}

/// A failure judged unacceptable.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub person_id: Uuid,
    pub contact_id: Uuid,
    pub event_id: Option<Uuid>,
    pub failed_at: NaiveDateTime,
}

/// What an unacceptable failure opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    Warning(Uuid),
    Breach(Uuid),
    Recall(Uuid),
    Nothing,
}

/// Acts on an unacceptable failure as the rules decide: a warning to send, breach action (with
/// its contact-log event and review task), or consider recall (with its contact-log event).
pub fn after_unacceptable_failure(
    conn: &mut AnyConnection,
    failure: &Failure,
    rules: &EnforcementRules,
    by: Uuid,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> StorageResult<Opened> {
    let Some(order) = case_order(conn, failure.person_id, failure.event_id)? else {
        return Ok(Opened::Nothing);
    };
    let sent = warnings_sent(conn, failure.person_id)?;
    let when = failure.failed_at.format("%-d %B %Y").to_string();
    match rules.consequence(order.case_type, &sent, failure.failed_at.date(), today) {
        Consequence::Warning { due_on } => Ok(Opened::Warning(create_warning(
            conn,
            failure,
            Some(order.event_id),
            due_on,
            now,
        )?)),
        Consequence::Breach { due_on } => {
            let id = Uuid::new_v4();
            diesel::insert_into(breach_actions::table)
                .values((
                    breach_actions::id.eq(id.to_string()),
                    breach_actions::person_id.eq(failure.person_id.to_string()),
                    breach_actions::event_id.eq(order.event_id.to_string()),
                    breach_actions::contact_id.eq(failure.contact_id.to_string()),
                    breach_actions::status.eq(BreachStatus::Open.code()),
                    breach_actions::opened_on.eq(today),
                    breach_actions::due_on.eq(due_on),
                    breach_actions::created_at.eq(now.naive_utc()),
                    breach_actions::updated_by.eq(by.to_string()),
                ))
                .execute(conn)?;
            let details = format!(
                "Breach action started after a further unacceptable failure on {when}, within {} months of a warning; breach report due {}.",
                rules.warning_period_months,
                due_on.format("%-d %B %Y")
            );
            log_event(
                conn,
                failure.person_id,
                Some(order.event_id),
                ContactType::BreachAction,
                details.clone(),
                by,
                now,
            )?;
            review(
                conn,
                failure.person_id,
                ReviewTrigger::Breach,
                details,
                by,
                today,
                now,
            )?;
            // A breach is a women's factor of the legacy tier.
            crate::risk::scores::recompute(conn, &[failure.person_id], today, now)?;
            Ok(Opened::Breach(id))
        }
        Consequence::ConsiderRecall => Ok(Opened::Recall(open_recall(
            conn,
            failure.person_id,
            (Some(order.event_id), Some(failure.contact_id)),
            &format!("Unacceptable failure to comply with the licence on {when}"),
            Acting { by, today, now },
        )?)),
        Consequence::Nothing => Ok(Opened::Nothing),
    }
}

/// Whether a failure has already led to a warning, breach action or recall.
pub fn acted_on(conn: &mut AnyConnection, contact_id: Uuid) -> StorageResult<bool> {
    let id = contact_id.to_string();
    let warnings: i64 = enforcement_warnings::table
        .filter(enforcement_warnings::contact_id.eq(&id))
        .count()
        .get_result(conn)?;
    let breaches: i64 = breach_actions::table
        .filter(breach_actions::contact_id.eq(&id))
        .count()
        .get_result(conn)?;
    let recalls: i64 = recalls::table
        .filter(recalls::contact_id.eq(&id))
        .count()
        .get_result(conn)?;
    Ok(warnings + breaches + recalls > 0)
}

/// A warning to send for the failure. Refused (conflict) if the failure already has a warning,
/// breach action or recall.
pub fn create_warning(
    conn: &mut AnyConnection,
    failure: &Failure,
    event_id: Option<Uuid>,
    due_on: NaiveDate,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    if acted_on(conn, failure.contact_id)? {
        return Err(StorageError::Conflict(
            "This failure has already been acted on: see the case's enforcement".into(),
        ));
    }
    let id = Uuid::new_v4();
    diesel::insert_into(enforcement_warnings::table)
        .values((
            enforcement_warnings::id.eq(id.to_string()),
            enforcement_warnings::person_id.eq(failure.person_id.to_string()),
            enforcement_warnings::event_id.eq(event_id.map(|e| e.to_string())),
            enforcement_warnings::contact_id.eq(failure.contact_id.to_string()),
            enforcement_warnings::status.eq(WarningStatus::Due.code()),
            enforcement_warnings::due_on.eq(due_on),
            enforcement_warnings::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// A warning with the appointment it is for.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub id: Uuid,
    pub contact_id: Uuid,
    pub event_id: Option<Uuid>,
    pub status: WarningStatus,
    pub due_on: NaiveDate,
    pub sent_on: Option<NaiveDate>,
    pub document_id: Option<Uuid>,
    pub appointment_at: NaiveDateTime,
    pub place: String,
    pub requirement_id: Option<Uuid>,
}

type WarningRow = (
    String,
    String,
    Option<String>,
    String,
    NaiveDate,
    Option<NaiveDate>,
    Option<String>,
    NaiveDateTime,
    String,
    Option<String>,
);

/// The case's warnings, newest first.
pub fn warnings(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<Warning>> {
    enforcement_warnings::table
        .inner_join(contacts::table.on(contacts::id.eq(enforcement_warnings::contact_id)))
        .filter(enforcement_warnings::person_id.eq(person_id.to_string()))
        .select((
            enforcement_warnings::id,
            enforcement_warnings::contact_id,
            enforcement_warnings::event_id,
            enforcement_warnings::status,
            enforcement_warnings::due_on,
            enforcement_warnings::sent_on,
            enforcement_warnings::document_id,
            contacts::starts_at,
            contacts::location,
            contacts::requirement_id,
        ))
        .order(enforcement_warnings::created_at.desc())
        .load::<WarningRow>(conn)?
        .into_iter()
        .map(|r| {
            Ok(Warning {
                id: rows::id(&r.0)?,
                contact_id: rows::id(&r.1)?,
                event_id: rows::opt_id(r.2.as_deref())?,
                status: rows::code(&r.3)?,
                due_on: r.4,
                sent_on: r.5,
                document_id: rows::opt_id(r.6.as_deref())?,
                appointment_at: r.7,
                place: r.8,
                requirement_id: rows::opt_id(r.9.as_deref())?,
            })
        })
        .collect()
}

/// Marks the warning sent with its letter (already stored as `document_id`), and logs it.
/// Returns false, writing nothing, if it was no longer due (sent by someone else).
pub fn mark_warning_sent(
    conn: &mut AnyConnection,
    person_id: Uuid,
    warning: &Warning,
    document_id: Uuid,
    by: Uuid,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> StorageResult<bool> {
    let updated = diesel::update(
        enforcement_warnings::table
            .filter(enforcement_warnings::id.eq(warning.id.to_string()))
            .filter(enforcement_warnings::person_id.eq(person_id.to_string()))
            .filter(enforcement_warnings::status.eq(WarningStatus::Due.code())),
    )
    .set((
        enforcement_warnings::status.eq(WarningStatus::Sent.code()),
        enforcement_warnings::sent_on.eq(today),
        enforcement_warnings::sent_by.eq(by.to_string()),
        enforcement_warnings::document_id.eq(document_id.to_string()),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Ok(false);
    }
    log_event(
        conn,
        person_id,
        warning.event_id,
        ContactType::WarningLetter,
        format!(
            "Warning letter sent for the appointment on {}.",
            warning.appointment_at.format("%-d %B %Y at %H:%M")
        ),
        by,
        now,
    )?;
    Ok(true)
}

/// Breach action on a case.
#[derive(Debug, Clone, PartialEq)]
pub struct Breach {
    pub id: Uuid,
    pub contact_id: Uuid,
    pub event_id: Option<Uuid>,
    pub status: BreachStatus,
    pub opened_on: NaiveDate,
    pub due_on: NaiveDate,
    pub proposal: Option<String>,
    pub report_document_id: Option<Uuid>,
    pub reported_on: Option<NaiveDate>,
    pub court_outcome: Option<CourtOutcome>,
    pub court_outcome_on: Option<NaiveDate>,
    pub court_outcome_notes: Option<String>,
}

type BreachRow = (
    (String, String, Option<String>, String, NaiveDate, NaiveDate),
    (
        Option<String>,
        Option<String>,
        Option<NaiveDate>,
        Option<String>,
        Option<NaiveDate>,
        Option<String>,
    ),
);

/// The case's breach actions, newest first.
pub fn breaches(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<Breach>> {
    breach_actions::table
        .filter(breach_actions::person_id.eq(person_id.to_string()))
        .select((
            (
                breach_actions::id,
                breach_actions::contact_id,
                breach_actions::event_id,
                breach_actions::status,
                breach_actions::opened_on,
                breach_actions::due_on,
            ),
            (
                breach_actions::proposal,
                breach_actions::report_document_id,
                breach_actions::reported_on,
                breach_actions::court_outcome,
                breach_actions::court_outcome_on,
                breach_actions::court_outcome_notes,
            ),
        ))
        .order(breach_actions::created_at.desc())
        .load::<BreachRow>(conn)?
        .into_iter()
        .map(|(a, b)| {
            Ok(Breach {
                id: rows::id(&a.0)?,
                contact_id: rows::id(&a.1)?,
                event_id: rows::opt_id(a.2.as_deref())?,
                status: rows::code(&a.3)?,
                opened_on: a.4,
                due_on: a.5,
                proposal: b.0,
                report_document_id: rows::opt_id(b.1.as_deref())?,
                reported_on: b.2,
                court_outcome: rows::opt_code(b.3.as_deref())?,
                court_outcome_on: b.4,
                court_outcome_notes: b.5,
            })
        })
        .collect()
}

/// The compliance history a breach report gives: every outcome over the order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Compliance {
    pub attended: u32,
    pub acceptable: u32,
    pub unacceptable: u32,
    /// Each unacceptable failure: when, and the kind of appointment.
    pub failures: Vec<(NaiveDateTime, ContactType, ContactOutcome)>,
}

/// The outcomes recorded on the case since `since` (the order's start), in one query.
pub fn compliance(
    conn: &mut AnyConnection,
    person_id: Uuid,
    since: Option<NaiveDate>,
) -> StorageResult<Compliance> {
    let mut query = contacts::table
        .filter(contacts::person_id.eq(person_id.to_string()))
        .filter(contacts::outcome.is_not_null())
        .select((
            contacts::starts_at,
            contacts::contact_type,
            contacts::outcome,
            contacts::judgement,
        ))
        .order(contacts::starts_at.asc())
        .into_boxed();
    if let Some(since) = since {
        query =
            query.filter(contacts::starts_at.ge(since.and_hms_opt(0, 0, 0).unwrap_or_default()));
    }
    let mut history = Compliance::default();
    for (at, kind, outcome, judgement) in
        query.load::<(NaiveDateTime, String, Option<String>, Option<String>)>(conn)?
    {
        let outcome: Option<ContactOutcome> = rows::opt_code(outcome.as_deref())?;
        let judgement: Option<FailureJudgement> = rows::opt_code(judgement.as_deref())?;
        match (outcome, judgement) {
            (Some(ContactOutcome::Attended), _) => history.attended += 1,
            (Some(_), Some(FailureJudgement::Acceptable)) => history.acceptable += 1,
            (Some(o), Some(FailureJudgement::Unacceptable)) => {
                history.unacceptable += 1;
                history.failures.push((at, rows::code(&kind)?, o));
            }
            _ => {}
        }
    }
    Ok(history)
}

/// Records the breach report (its document already stored): open → reported. False, writing
/// nothing, if it was not open.
pub fn report_breach(
    conn: &mut AnyConnection,
    person_id: Uuid,
    breach: &Breach,
    proposal: &str,
    document_id: Uuid,
    acting: Acting,
) -> StorageResult<bool> {
    let Acting { by, today, now } = acting;
    let updated = diesel::update(breach_in(breach.id, person_id, BreachStatus::Open))
        .set((
            breach_actions::status.eq(BreachStatus::Reported.code()),
            breach_actions::proposal.eq(proposal),
            breach_actions::report_document_id.eq(document_id.to_string()),
            breach_actions::reported_on.eq(today),
            breach_actions::updated_by.eq(by.to_string()),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Ok(false);
    }
    log_event(
        conn,
        person_id,
        breach.event_id,
        ContactType::BreachAction,
        format!("Breach report written for the court. Proposal: {proposal}"),
        by,
        now,
    )?;
    Ok(true)
}

/// Records the court's outcome: reported → concluded. False if it was not with the court.
pub fn record_court_outcome(
    conn: &mut AnyConnection,
    person_id: Uuid,
    breach: &Breach,
    decided: (CourtOutcome, NaiveDate, &str),
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<bool> {
    let (outcome, on, notes) = decided;
    let updated = diesel::update(breach_in(breach.id, person_id, BreachStatus::Reported))
        .set((
            breach_actions::status.eq(BreachStatus::Concluded.code()),
            breach_actions::court_outcome.eq(outcome.code()),
            breach_actions::court_outcome_on.eq(on),
            breach_actions::court_outcome_notes.eq(notes),
            breach_actions::updated_by.eq(by.to_string()),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Ok(false);
    }
    log_event(
        conn,
        person_id,
        breach.event_id,
        ContactType::BreachAction,
        format!(
            "Court outcome of the breach on {}: {}. {notes}",
            on.format("%-d %B %Y"),
            outcome.label()
        ),
        by,
        now,
    )?;
    Ok(true)
}

/// Opens "consider recall" on a licence case (on its event, for a failure at a contact, if
/// given), and logs it.
pub fn open_recall(
    conn: &mut AnyConnection,
    person_id: Uuid,
    from: (Option<Uuid>, Option<Uuid>),
    reason: &str,
    acting: Acting,
) -> StorageResult<Uuid> {
    let (event_id, contact_id) = from;
    let Acting { by, today, now } = acting;
    let id = Uuid::new_v4();
    diesel::insert_into(recalls::table)
        .values((
            recalls::id.eq(id.to_string()),
            recalls::person_id.eq(person_id.to_string()),
            recalls::event_id.eq(event_id.map(|e| e.to_string())),
            recalls::contact_id.eq(contact_id.map(|c| c.to_string())),
            recalls::status.eq(RecallStatus::Considering.code()),
            recalls::opened_on.eq(today),
            recalls::opened_reason.eq(reason),
            recalls::created_by.eq(by.to_string()),
            recalls::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    log_event(
        conn,
        person_id,
        event_id,
        ContactType::Recall,
        format!("Recall being considered: {reason}"),
        by,
        now,
    )?;
    Ok(id)
}

/// A recall and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Recall {
    pub id: Uuid,
    pub event_id: Option<Uuid>,
    pub status: RecallStatus,
    pub opened_on: NaiveDate,
    pub opened_reason: String,
    pub recommendation: Option<Recommendation>,
    pub recommended_by: Option<Uuid>,
    pub recommended_by_name: Option<String>,
    pub recommendation_document_id: Option<Uuid>,
    pub senior_by_name: Option<String>,
    pub senior_reason: Option<String>,
    pub head_by_name: Option<String>,
    pub head_reason: Option<String>,
    pub recall_date: Option<NaiveDate>,
    pub decision_document_id: Option<Uuid>,
}

type RecallRow = (
    (
        String,
        Option<String>,
        String,
        NaiveDate,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        bool,
    ),
    (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<NaiveDate>,
        Option<String>,
    ),
);

/// The case's recalls, newest first.
pub fn recalls(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<Recall>> {
    let loaded: Vec<RecallRow> = recalls::table
        .filter(recalls::person_id.eq(person_id.to_string()))
        .select((
            (
                recalls::id,
                recalls::event_id,
                recalls::status,
                recalls::opened_on,
                recalls::opened_reason,
                recalls::reasons,
                recalls::alternatives_tried,
                recalls::current_risk,
                recalls::recall_type,
                recalls::emergency,
            ),
            (
                recalls::recommended_by,
                recalls::recommendation_document_id,
                recalls::senior_by,
                recalls::senior_reason,
                recalls::head_by,
                recalls::head_reason,
                recalls::recall_date,
                recalls::decision_document_id,
            ),
        ))
        .order(recalls::created_at.desc())
        .load(conn)?;
    loaded
        .into_iter()
        .map(|(a, b)| {
            let recommendation = match (a.5, a.6, a.7, a.8) {
                (Some(reasons), Some(alternatives_tried), Some(current_risk), Some(kind)) => {
                    Some(Recommendation {
                        reasons,
                        alternatives_tried,
                        current_risk,
                        recall_type: rows::code::<RecallType>(&kind)?,
                        emergency: a.9,
                    })
                }
                _ => None,
            };
            Ok(Recall {
                id: rows::id(&a.0)?,
                event_id: rows::opt_id(a.1.as_deref())?,
                status: rows::code(&a.2)?,
                opened_on: a.3,
                opened_reason: a.4,
                recommendation,
                recommended_by: rows::opt_id(b.0.as_deref())?,
                recommended_by_name: staff_name(conn, b.0.as_deref())?,
                recommendation_document_id: rows::opt_id(b.1.as_deref())?,
                senior_by_name: staff_name(conn, b.2.as_deref())?,
                senior_reason: b.3,
                head_by_name: staff_name(conn, b.4.as_deref())?,
                head_reason: b.5,
                recall_date: b.6,
                decision_document_id: rows::opt_id(b.7.as_deref())?,
            })
        })
        .collect()
}

/// The recall `id` of the person.
pub fn find_recall(conn: &mut AnyConnection, person_id: Uuid, id: Uuid) -> StorageResult<Recall> {
    recalls(conn, person_id)?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(StorageError::NotFound)
}

/// The practitioner's recommendation (its document already stored): considering or declined →
/// waiting for the senior officer. False if it had moved on.
pub fn recommend(
    conn: &mut AnyConnection,
    person_id: Uuid,
    recall: &Recall,
    recommendation: &Recommendation,
    document_id: Uuid,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<bool> {
    let updated = diesel::update(recall_in(recall.id, person_id, recall.status))
        .set((
            recalls::status.eq(RecallStatus::AwaitingSenior.code()),
            recalls::reasons.eq(&recommendation.reasons),
            recalls::alternatives_tried.eq(&recommendation.alternatives_tried),
            recalls::current_risk.eq(&recommendation.current_risk),
            recalls::recall_type.eq(recommendation.recall_type.code()),
            recalls::emergency.eq(recommendation.emergency),
            recalls::recommended_by.eq(by.to_string()),
            recalls::recommended_at.eq(now.naive_utc()),
            recalls::recommendation_document_id.eq(document_id.to_string()),
            recalls::senior_decision.eq(None::<String>),
            recalls::senior_by.eq(None::<String>),
            recalls::senior_reason.eq(None::<String>),
            recalls::head_decision.eq(None::<String>),
            recalls::head_by.eq(None::<String>),
            recalls::head_reason.eq(None::<String>),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Ok(false);
    }
    log_event(
        conn,
        person_id,
        recall.event_id,
        ContactType::Recall,
        format!(
            "{} recommended{}; waiting for the senior probation officer's countersignature.",
            recommendation.recall_type.label(),
            if recommendation.emergency {
                " as an emergency"
            } else {
                ""
            }
        ),
        by,
        now,
    )?;
    Ok(true)
}

/// The decision not to recall (its letter already stored). False if it had moved on.
pub fn decide_not_to_recall(
    conn: &mut AnyConnection,
    person_id: Uuid,
    recall: &Recall,
    reasons: &str,
    document_id: Uuid,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<bool> {
    let updated = diesel::update(recall_in(recall.id, person_id, recall.status))
        .set((
            recalls::status.eq(RecallStatus::NotRecalled.code()),
            recalls::reasons.eq(reasons),
            recalls::decision_document_id.eq(document_id.to_string()),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Ok(false);
    }
    log_event(
        conn,
        person_id,
        recall.event_id,
        ContactType::Recall,
        format!("Decided not to recall: {reasons}"),
        by,
        now,
    )?;
    Ok(true)
}

/// A countersigner's decision, as the domain allowed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Countersignature {
    /// The status the recall was in (the senior officer's step or the head's).
    pub from: RecallStatus,
    pub to: RecallStatus,
    pub reason: Option<String>,
    /// On recall: the date it takes effect, and the decision document already stored.
    pub recalled: Option<(NaiveDate, Uuid)>,
}

/// Records a countersignature or a refusal. On recall the case becomes a custody case (its
/// event's case type) from the recall date, and the risk review is due. False if the recall had
/// moved on.
pub fn countersign(
    conn: &mut AnyConnection,
    person_id: Uuid,
    recall: &Recall,
    step: &Countersignature,
    by: Uuid,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> StorageResult<bool> {
    let decision = if step.to == RecallStatus::Declined {
        "declined"
    } else {
        "countersigned"
    };
    let target = recall_in(recall.id, person_id, step.from);
    let updated = if step.from == RecallStatus::AwaitingSenior {
        diesel::update(target)
            .set((
                recalls::status.eq(step.to.code()),
                recalls::senior_decision.eq(decision),
                recalls::senior_by.eq(by.to_string()),
                recalls::senior_at.eq(now.naive_utc()),
                recalls::senior_reason.eq(&step.reason),
            ))
            .execute(conn)?
    } else {
        diesel::update(target)
            .set((
                recalls::status.eq(step.to.code()),
                recalls::head_decision.eq(decision),
                recalls::head_by.eq(by.to_string()),
                recalls::head_at.eq(now.naive_utc()),
                recalls::head_reason.eq(&step.reason),
                recalls::recall_date.eq(step.recalled.map(|r| r.0)),
                recalls::decision_document_id.eq(step.recalled.map(|r| r.1.to_string())),
            ))
            .execute(conn)?
    };
    if updated == 0 {
        return Ok(false);
    }
    let who = if step.from == RecallStatus::AwaitingSenior {
        "senior probation officer"
    } else {
        "head of PDU"
    };
    let notes = match (&step.recalled, &step.reason) {
        (Some((date, _)), _) => format!(
            "Recall countersigned by the head of PDU: recalled to custody from {}.",
            date.format("%-d %B %Y")
        ),
        (None, Some(reason)) => format!("Recall recommendation {decision} by the {who}: {reason}"),
        (None, None) => format!("Recall recommendation {decision} by the {who}."),
    };
    log_event(
        conn,
        person_id,
        recall.event_id,
        ContactType::Recall,
        notes.clone(),
        by,
        now,
    )?;
    if let Some((date, _)) = step.recalled {
        // Victims in the scheme are told of a recall: a contact is due with each.
        crate::victims::stage_reached(
            conn,
            person_id,
            keepsafe_domain::victims::VictimStage::Recall,
            date,
            by,
            now,
        )?;
        let licence_events = events::table
            .filter(events::person_id.eq(person_id.to_string()))
            .filter(events::case_type.eq(CaseType::Licence.code()))
            .into_boxed();
        let licence_events = match recall.event_id {
            Some(event) => licence_events.filter(events::id.eq(event.to_string())),
            None => licence_events.filter(events::active.eq(true)),
        };
        let ids: Vec<String> = licence_events.select(events::id).load(conn)?;
        diesel::update(events::table.filter(events::id.eq_any(ids)))
            .set(events::case_type.eq(CaseType::Custody.code()))
            .execute(conn)?;
        review(
            conn,
            person_id,
            ReviewTrigger::Recall,
            format!("Recalled to custody from {}.", date.format("%-d %B %Y")),
            by,
            today,
            now,
        )?;
        // A recall is a women's factor of the legacy tier, and the case type changed.
        crate::risk::scores::recompute(conn, &[person_id], today, now)?;
    }
    Ok(true)
}

/// A line of an enforcement section of the tasks page.
#[derive(Debug, Clone, PartialEq)]
pub struct EnforcementTask {
    pub id: Uuid,
    pub crn: String,
    pub name: String,
    pub due_on: NaiveDate,
}

fn task_rows(
    rows_: Vec<(String, String, String, String, NaiveDate)>,
) -> StorageResult<Vec<EnforcementTask>> {
    rows_
        .into_iter()
        .map(|r| {
            Ok(EnforcementTask {
                id: rows::id(&r.0)?,
                crn: r.1,
                name: format!("{} {}", r.2, r.3),
                due_on: r.4,
            })
        })
        .collect()
}

/// The rows of an enforcement table (`$table`, with `person_id`, `status` and `due_on`) in
/// `$status` on the cases the practitioner holds, as tasks, soonest due first (one query). A
/// macro, as each table is its own Diesel type.
macro_rules! due_on_held_cases {
    ($conn:expr, $staff_id:expr, $table:ident, $status:expr) => {
        task_rows(
            $table::table
                .inner_join(people::table)
                .inner_join(
                    allocations::table.on(allocations::person_id
                        .eq($table::person_id)
                        .and(allocations::end_date.is_null())),
                )
                .filter(allocations::staff_id.eq($staff_id.to_string()))
                .filter($table::status.eq($status.code()))
                .select((
                    $table::id,
                    people::crn,
                    people::first_name,
                    people::last_name,
                    $table::due_on,
                ))
                .order($table::due_on.asc())
                .load($conn)?,
        )
    };
}

/// Warnings to send on the cases the practitioner holds, soonest due first (one query).
pub fn warnings_due_for_staff(
    conn: &mut AnyConnection,
    staff_id: Uuid,
) -> StorageResult<Vec<EnforcementTask>> {
    due_on_held_cases!(conn, staff_id, enforcement_warnings, WarningStatus::Due)
}

/// Breach actions whose report is still to write on the practitioner's cases (one query).
pub fn breaches_due_for_staff(
    conn: &mut AnyConnection,
    staff_id: Uuid,
) -> StorageResult<Vec<EnforcementTask>> {
    due_on_held_cases!(conn, staff_id, breach_actions, BreachStatus::Open)
}

/// Whose countersignature recalls wait for.
#[derive(Debug, Clone, Copy)]
pub enum Countersigner {
    /// A senior officer: recalls waiting for them on their team's cases.
    SeniorOfTeam(Uuid),
    /// A head of PDU: recalls waiting for them on the PDU's cases.
    HeadOfPdu(Uuid),
}

/// Recalls waiting for this countersigner, oldest first (one query). `due_on` is the day the
/// recall was opened.
pub fn recalls_awaiting(
    conn: &mut AnyConnection,
    who: Countersigner,
) -> StorageResult<Vec<EnforcementTask>> {
    let query = recalls::table
        .inner_join(people::table)
        .left_join(
            allocations::table.on(allocations::person_id
                .eq(recalls::person_id)
                .and(allocations::end_date.is_null())),
        )
        .select((
            recalls::id,
            people::crn,
            people::first_name,
            people::last_name,
            recalls::opened_on,
        ))
        .order(recalls::opened_on.asc())
        .into_boxed();
    let query = match who {
        Countersigner::SeniorOfTeam(team) => query
            .filter(recalls::status.eq(RecallStatus::AwaitingSenior.code()))
            .filter(allocations::team_id.eq(team.to_string())),
        Countersigner::HeadOfPdu(pdu) => query
            .filter(recalls::status.eq(RecallStatus::AwaitingHead.code()))
            .filter(people::pdu_id.eq(pdu.to_string())),
    };
    task_rows(query.load(conn)?)
}
