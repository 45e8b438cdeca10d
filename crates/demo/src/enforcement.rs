//! The working diary: what turns the region's contacts into a practitioner's week.
//!
//! - **Arranged appointments for the next four weeks** for every allocated community and licence
//!   case, with its practitioner, at the rhythm of the contact standard
//!   (`keepsafe_domain::supervision::standards`, keepsafe's default): weekly in the first weeks of
//!   an order or licence, then by risk level — mostly at the office, some at home, some by phone.
//! - **Waiting for evidence**: about half of the absences of the last five working days are not
//!   judged yet, the evidence due five working days after the appointment.
//! - **Warnings and breach** on community orders (Sentencing Code, Schedule 10): an unacceptable
//!   failure gets a warning letter (sent, with its letter among the case's documents, or still to
//!   send when it is a day or two old); a further one within 12 months of a sent warning starts
//!   breach action — open, reported to court with its report, or concluded with the court's
//!   outcome, by its age.
//! - **Recalls**, in the national proportion (reference §1: about 10,400 licence recalls against
//!   about 15,700 releases a quarter, so about two recalls for every three releases), scaled to
//!   the region's releases in the 90 days of contact history. A recalled person is back in
//!   prison, so the recalls decided this quarter sit on custody cases (people sentenced over a
//!   year ago, whose next release is ahead); current licence cases carry the recalls still in
//!   progress — being considered, waiting for the senior officer, waiting for the head of PDU,
//!   the first of them in the demo accounts' team so the tasks pages have work — and the
//!   recommendations declined or decided against, which leave the person on licence.
//! - **Calendar feeds**: one private feed address per practitioner, its token drawn from the seed.
//! - **Reminder preferences**: about one person in eight asked for text or email reminders, with
//!   their consent recorded (fictional numbers from Ofcom's drama range, `example.com` addresses).
//!
//! Drawn from a stream of its own (the seed, offset), so adding it left every earlier draw as it
//! was.

use crate::addresses;
use crate::calendar::{
    add_days, at, days_between, next_working_day, office_time, working_days_after,
};
use crate::contacts::officer_on;
use crate::model::{
    Contact, DemoBreach, DemoCountersign, DemoDocument, DemoEnforcement, DemoFeed, DemoRecall,
    DemoRegion, DemoReminderPreference, DemoWarning, Person, StaffMember,
};
use crate::random::DemoRng;
use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};
use keepsafe_domain::address::AddressStatus;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::rosh::AssessmentStatus;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::supervision::contact::{
    counts_towards_enforcement, ContactOutcome, ContactStatus, ContactType, FailureJudgement,
    LocationKind,
};
use keepsafe_domain::supervision::enforcement::{
    BreachStatus, CountersignDecision, DocumentKind, RecallStatus, RecallType, WarningStatus,
};
use keepsafe_domain::supervision::standards::{ContactStandard, FALLBACK_LEVEL};
use keepsafe_domain::CodedValue;
use std::collections::HashSet;
use uuid::Uuid;

/// Offsets the seed for this stream.
const STREAM: u64 = 0x5eed_0013;

/// How far ahead appointments are arranged.
const DIARY_DAYS: i64 = 28;

/// How far back the contact history goes (as [`crate::contacts`] generates it).
const HISTORY_DAYS: i64 = 90;

/// Licence recalls for each release, nationally (reference §1: about 10,400 recalls and 15,700
/// releases a quarter, late 2024).
pub(crate) const RECALLS_PER_RELEASE: f64 = 10_400.0 / 15_700.0;

/// Working days a failure may wait for evidence before it must be judged (the outcome rule's
/// default).
const EVIDENCE_WORKING_DAYS: u32 = 5;

/// Working days within which breach action is due (the enforcement rule's default).
const BREACH_DUE_WORKING_DAYS: u32 = 10;

/// Adds the working diary to a generated region.
pub(crate) fn add(seed: u64, region: &mut DemoRegion, today: NaiveDate) {
    let mut rng = DemoRng::from_seed(seed ^ STREAM);
    let mut out = DemoEnforcement::default();
    let staff = region.staff.clone();
    let demo_team = staff
        .iter()
        .find(|s| s.username.as_deref() == Some("spo.demo"))
        .and_then(|s| s.team_id);
    for person in &mut region.people {
        arrange_diary(&mut rng, person, today);
        await_evidence(&mut rng, person, today);
        warn_and_breach(&mut rng, person, &staff, today, &mut out);
    }
    recalls(&mut rng, region, &staff, demo_team, today, &mut out);
    for member in staff.iter().filter(|s| s.grade.holds_caseload()) {
        out.feeds.push(DemoFeed {
            token: format!("{}{}", rng.id().simple(), rng.id().simple()),
            staff_id: member.id,
            created_at: at(add_days(today, -rng.range(7..=120)), 9, 0),
        });
    }
    for person in &region.people {
        if let Some(preference) = reminder_preference(&mut rng, person, today) {
            out.reminders.push(preference);
        }
    }
    region.enforcement = out;
}

/// The current event, its case type and the current allocation, for a case being supervised in
/// the community.
fn supervised(person: &Person) -> Option<(CaseType, NaiveDate, Uuid)> {
    let event = person.events.last()?;
    let allocation = person.allocations.iter().find(|a| a.end_date.is_none())?;
    let start = match event.case_type {
        CaseType::Community => event.sentence_date?,
        CaseType::Licence => event.release_date?,
        _ => return None,
    };
    Some((event.case_type, start, allocation.staff_id))
}

fn is_supervision(kind: ContactType) -> bool {
    matches!(
        kind,
        ContactType::OfficeVisit
            | ContactType::HomeVisit
            | ContactType::PhoneCall
            | ContactType::VideoCall
            | ContactType::ThreeWayMeeting
    )
}

/// Replaces the next one or two appointments with four weeks of them at the standard's rhythm.
fn arrange_diary(rng: &mut DemoRng, person: &mut Person, today: NaiveDate) {
    let Some((_, start, officer)) = supervised(person) else {
        return;
    };
    let level = person
        .assessments
        .iter()
        .rev()
        .find(|a| a.status == AssessmentStatus::Completed && a.superseded_at.is_none())
        .and_then(|a| a.case_level)
        .unwrap_or(FALLBACK_LEVEL);
    let standard = ContactStandard::keepsafe_default();
    let rule = standard.for_level(level);
    let office = person
        .contacts
        .iter()
        .rev()
        .find(|c| c.location_kind == LocationKind::Office)
        .map(|c| c.location.clone())
        .unwrap_or_else(|| "Probation office".to_owned());
    let event_id = person.events.last().map(|e| e.id);
    person.contacts.retain(|c| {
        !(c.starts_at.date() >= today && c.outcome.is_none() && is_supervision(c.contact_type))
    });
    let booked_induction = person
        .contacts
        .iter()
        .filter(|c| c.starts_at.date() >= today && c.contact_type == ContactType::Induction)
        .map(|c| c.starts_at.date())
        .max();
    let home = addresses::current(&person.addresses);
    let has_home = home.status != AddressStatus::NoFixedAbode;
    let home_words = format!("{}, {}", home.line1, home.town);
    let mut day = booked_induction.unwrap_or(today);
    let (first_every, _) = rule.interval_from(start, day);
    day = add_days(day, rng.range(1..=i64::from(first_every.min(10))));
    while days_between(today, day) <= DIARY_DAYS {
        let on = next_working_day(day);
        let kind = rng.weighted(&[
            (ContactType::OfficeVisit, 68),
            (ContactType::HomeVisit, if has_home { 15 } else { 0 }),
            (ContactType::PhoneCall, 10),
            (ContactType::VideoCall, 7),
        ]);
        let (location_kind, location) = match kind {
            ContactType::HomeVisit => (LocationKind::Home, home_words.clone()),
            ContactType::PhoneCall => (LocationKind::Remote, "Telephone".to_owned()),
            ContactType::VideoCall => (LocationKind::Remote, "Video call".to_owned()),
            _ => (LocationKind::Office, office.clone()),
        };
        let starts_at = office_time(rng, on);
        person.contacts.push(Contact {
            id: rng.id(),
            event_id,
            contact_type: kind,
            starts_at,
            location,
            ends_at: starts_at
                + chrono::Duration::minutes(if kind == ContactType::PhoneCall {
                    15
                } else {
                    45
                }),
            location_kind,
            outcome: None,
            judgement: None,
            status: ContactStatus::Arranged,
            enforceable: kind != ContactType::PhoneCall,
            notes: "Appointment booked.".to_owned(),
            staff_id: Some(officer),
            evidence_due_on: None,
        });
        let (every, _) = rule.interval_from(start, on);
        day = add_days(on, i64::from(every));
    }
    person.contacts.sort_by_key(|c| c.starts_at);
}

/// The working day `count` working days before `date`.
fn working_days_before(date: NaiveDate, count: u32) -> NaiveDate {
    let mut day = date;
    let mut left = count;
    while left > 0 {
        day = add_days(day, -1);
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    day
}

/// `day` if it is a working day, otherwise the working day before it.
fn latest_working_day(day: NaiveDate) -> NaiveDate {
    if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        working_days_before(day, 1)
    } else {
        day
    }
}

/// About half of the absences of the last five working days wait for evidence.
fn await_evidence(rng: &mut DemoRng, person: &mut Person, today: NaiveDate) {
    let since = working_days_before(today, EVIDENCE_WORKING_DAYS);
    for contact in &mut person.contacts {
        let day = contact.starts_at.date();
        if day >= since
            && day < today
            && contact.outcome == Some(ContactOutcome::FailedToAttend)
            && rng.chance(0.5)
        {
            let due = working_days_after(day, EVIDENCE_WORKING_DAYS);
            contact.judgement = Some(FailureJudgement::AwaitingEvidence);
            contact.evidence_due_on = Some(due);
            contact.notes = format!(
                "Did not attend. Phoned later to say they were ill; asked for a doctor's note by {}.",
                day_words(due)
            );
        }
    }
}

fn day_words(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

fn name(person: &Person) -> String {
    format!("{} {}", person.first_name, person.last_name)
}

fn staff_name(staff: &[StaffMember], id: Uuid) -> String {
    staff.iter().find(|s| s.id == id).map_or_else(
        || "Probation officer".to_owned(),
        |s| format!("{} {}", s.first_name, s.last_name),
    )
}

/// A system event on the contact log: keepsafe writes one when a warning is sent, breach action
/// starts or a recall is opened.
fn system_event(
    rng: &mut DemoRng,
    person_event: Option<Uuid>,
    kind: ContactType,
    when: NaiveDateTime,
    by: Uuid,
    notes: String,
) -> Contact {
    Contact {
        id: rng.id(),
        event_id: person_event,
        contact_type: kind,
        starts_at: when,
        location: String::new(),
        ends_at: when,
        location_kind: LocationKind::Other,
        outcome: None,
        judgement: None,
        status: ContactStatus::Arranged,
        enforceable: false,
        notes,
        staff_id: Some(by),
        evidence_due_on: None,
    }
}

/// Warnings for unacceptable failures on community orders, and breach action for a further one
/// within 12 months of a warning that was sent.
fn warn_and_breach(
    rng: &mut DemoRng,
    person: &mut Person,
    staff: &[StaffMember],
    today: NaiveDate,
    out: &mut DemoEnforcement,
) {
    let Some((CaseType::Community, _, officer)) = supervised(person) else {
        return;
    };
    let event_id = person.events.last().expect("supervised").id;
    let failures: Vec<(Uuid, NaiveDateTime, String, ContactType)> = person
        .contacts
        .iter()
        .filter(|c| {
            c.starts_at.date() < today && counts_towards_enforcement(c.outcome, c.judgement)
        })
        .map(|c| (c.id, c.starts_at, c.location.clone(), c.contact_type))
        .collect();
    let mut warned_on: Option<NaiveDate> = None;
    let mut pending_warning = false;
    let mut events = Vec::new();
    for (contact_id, when, location, kind) in failures {
        let day = when.date();
        if let Some(sent) = warned_on.filter(|sent| *sent <= day) {
            let opened_on = working_days_after(day, 1).min(latest_working_day(today));
            let breach = breach(
                rng, person, staff, officer, event_id, contact_id, day, sent, opened_on, today, out,
            );
            events.push(system_event(
                rng,
                Some(event_id),
                ContactType::BreachAction,
                at(opened_on, 12, 0),
                officer,
                format!(
                    "Breach action started after the failure on {}.",
                    day_words(day)
                ),
            ));
            out.breaches.push(breach);
            break;
        }
        if pending_warning || warned_on.is_some() {
            continue;
        }
        let due_on = working_days_after(day, 2);
        let still_to_send = days_between(day, today) <= 3 && rng.chance(0.6);
        let id = rng.id();
        if still_to_send {
            pending_warning = true;
            out.warnings.push(DemoWarning {
                id,
                person_id: person.id,
                event_id,
                contact_id,
                status: WarningStatus::Due,
                due_on,
                sent_on: None,
                sent_by: None,
                document_id: None,
                created_at: at(day, 17, 0),
            });
            continue;
        }
        let sent_on = working_days_after(day, rng.range(1..=2))
            .min(working_days_before(today, 1))
            .max(day);
        let document = DemoDocument {
            id: rng.id(),
            person_id: person.id,
            kind: DocumentKind::WarningLetter,
            title: format!("Warning letter, {}", day_words(sent_on)),
            body: warning_letter(person, staff, officer, day, &location, kind, sent_on),
            created_by: officer,
            created_at: at(sent_on, 11, 0),
        };
        out.warnings.push(DemoWarning {
            id,
            person_id: person.id,
            event_id,
            contact_id,
            status: WarningStatus::Sent,
            due_on,
            sent_on: Some(sent_on),
            sent_by: Some(officer),
            document_id: Some(document.id),
            created_at: at(day, 17, 0),
        });
        events.push(system_event(
            rng,
            Some(event_id),
            ContactType::WarningLetter,
            at(sent_on, 11, 0),
            officer,
            format!("Warning letter sent for the failure on {}.", day_words(day)),
        ));
        out.documents.push(document);
        warned_on = Some(sent_on);
    }
    person.contacts.extend(events);
    person.contacts.sort_by_key(|c| c.starts_at);
}

#[allow(clippy::too_many_arguments)]
fn breach(
    rng: &mut DemoRng,
    person: &Person,
    staff: &[StaffMember],
    officer: Uuid,
    event_id: Uuid,
    contact_id: Uuid,
    failed_on: NaiveDate,
    warned_on: NaiveDate,
    opened_on: NaiveDate,
    today: NaiveDate,
    out: &mut DemoEnforcement,
) -> DemoBreach {
    let due_on = working_days_after(opened_on, BREACH_DUE_WORKING_DAYS);
    let age = days_between(opened_on, today);
    let proposal = rng
        .choose(&[
            "That the order continues with an additional rehabilitation activity requirement of 10 days.",
            "That the order continues with a fine, given the person's engagement since.",
            "That the order continues with an extended curfew requirement.",
        ])
        .to_owned();
    let mut result = DemoBreach {
        id: rng.id(),
        person_id: person.id,
        event_id,
        contact_id,
        status: BreachStatus::Open,
        opened_on,
        due_on,
        proposal: None,
        report_document_id: None,
        reported_on: None,
        court_outcome: None,
        court_outcome_on: None,
        created_at: at(opened_on, 12, 0),
        updated_by: officer,
    };
    if age < 7 && rng.chance(0.8) {
        return result;
    }
    let reported_on =
        working_days_after(opened_on, rng.range(3..=8)).min(latest_working_day(today));
    let report = DemoDocument {
        id: rng.id(),
        person_id: person.id,
        kind: DocumentKind::BreachReport,
        title: format!("Breach report, {}", day_words(reported_on)),
        body: breach_report(person, staff, officer, failed_on, warned_on, &proposal),
        created_by: officer,
        created_at: at(reported_on, 15, 0),
    };
    result.status = BreachStatus::Reported;
    result.proposal = Some(proposal);
    result.report_document_id = Some(report.id);
    result.reported_on = Some(reported_on);
    out.documents.push(report);
    let heard_on = add_days(reported_on, rng.range(14..=28));
    if heard_on < today && rng.chance(0.75) {
        result.status = BreachStatus::Concluded;
        result.court_outcome_on = Some(heard_on);
        result.court_outcome = Some(
            rng.choose(&[
                "Order continued with an additional requirement",
                "Fined; order continued",
                "Order revoked and re-sentenced",
                "Order continued; no further action",
            ])
            .to_owned(),
        );
    }
    result
}

fn warning_letter(
    person: &Person,
    staff: &[StaffMember],
    officer: Uuid,
    failed_on: NaiveDate,
    location: &str,
    kind: ContactType,
    sent_on: NaiveDate,
) -> String {
    let home = addresses::current(&person.addresses);
    let what = if kind == ContactType::PhoneCall {
        "did not take part in the telephone appointment arranged with you".to_owned()
    } else {
        format!("did not comply with your appointment at {location}")
    };
    format!(
        "{name}\n{line1}\n{town}\n{postcode}\n\n{sent}\n\nFinal warning: failure to comply with your community order\n\nDear {name},\n\nOn {failed} you {what}. You have not given an acceptable reason.\n\nThis is a formal warning. Your order requires you to keep in touch with your probation officer as instructed. If you fail to comply again without an acceptable reason within the next 12 months, you will be returned to court, which may add requirements to your order, fine you, or re-sentence you for the original offence.\n\nYour next appointment is in your appointment letter. If you cannot attend, contact me before the appointment.\n\nYours sincerely,\n\n{officer}\nProbation officer",
        name = name(person),
        line1 = home.line1,
        town = home.town,
        postcode = home.postcode,
        sent = day_words(sent_on),
        failed = day_words(failed_on),
        officer = staff_name(staff, officer),
    )
}

fn breach_report(
    person: &Person,
    staff: &[StaffMember],
    officer: Uuid,
    failed_on: NaiveDate,
    warned_on: NaiveDate,
    proposal: &str,
) -> String {
    format!(
        "Breach report: {name} ({crn})\n\nThe failures\n{name} was warned on {warned} after an unacceptable failure to comply, and failed to comply again without an acceptable reason on {failed}.\n\nCompliance history\nThe attached contact record shows the appointments kept and missed since the order was made.\n\nProposal to the court\n{proposal}\n\n{officer}\nProbation officer",
        name = name(person),
        crn = person.crn,
        warned = day_words(warned_on),
        failed = day_words(failed_on),
        officer = staff_name(staff, officer),
    )
}

/// The senior officer of a team and the head of a PDU, who countersign recalls.
fn countersigners(staff: &[StaffMember], team: Uuid) -> Option<(Uuid, Uuid)> {
    let team_member = staff.iter().find(|s| s.team_id == Some(team))?;
    let senior = staff
        .iter()
        .find(|s| s.grade == Grade::SeniorProbationOfficer && s.team_id == Some(team))?;
    let head = staff
        .iter()
        .find(|s| s.grade == Grade::HeadOfPdu && s.pdu_id == team_member.pdu_id)?;
    Some((senior.id, head.id))
}

const RECALL_REASONS: [&str; 4] = [
    "Failed to keep appointments and has not been at the approved address; whereabouts unknown.",
    "Arrested for a further offence of violence; police report received.",
    "Breached the exclusion zone condition, recorded by electronic monitoring.",
    "Contact with the victim in breach of the non-contact condition, reported by the police.",
];

/// Recalls in the national proportion (see the module documentation).
fn recalls(
    rng: &mut DemoRng,
    region: &mut DemoRegion,
    staff: &[StaffMember],
    demo_team: Option<Uuid>,
    today: NaiveDate,
    out: &mut DemoEnforcement,
) {
    let window_start = add_days(today, -HISTORY_DAYS);
    let releases = region
        .people
        .iter()
        .filter_map(|p| p.events.last())
        .filter(|e| e.case_type == CaseType::Licence)
        .filter(|e| {
            e.release_date
                .is_some_and(|r| r >= window_start && r <= today)
        })
        .count();
    let recalled = (releases as f64 * RECALLS_PER_RELEASE).round() as usize;
    let in_progress = (recalled / 10).max(3);
    let decided_against = (recalled / 4).max(2);

    // Decided recalls: people now back in prison, sentenced over a year ago, released before and
    // recalled this quarter.
    let mut custody: Vec<usize> = region
        .people
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.allocations.iter().any(|a| a.end_date.is_none())
                && p.events.last().is_some_and(|e| {
                    e.case_type == CaseType::Custody
                        && e.sentence_date
                            .is_some_and(|s| days_between(s, today) > 365)
                        && e.release_date.is_some_and(|r| r > today)
                })
        })
        .map(|(i, _)| i)
        .collect();
    rng.shuffle(&mut custody);
    for index in custody.into_iter().take(recalled) {
        let person = &mut region.people[index];
        let opened_on = next_working_day(add_days(today, -rng.range(3..HISTORY_DAYS)));
        recall(
            rng,
            person,
            staff,
            opened_on,
            RecallStatus::Recalled,
            None,
            out,
        );
    }

    // Recalls in progress and decided against, on current licence cases: the demo team's first.
    let mut licence: Vec<usize> = region
        .people
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(supervised(p), Some((CaseType::Licence, _, _))))
        .map(|(i, _)| i)
        .collect();
    rng.shuffle(&mut licence);
    let in_demo_team = |p: &Person| {
        p.allocations
            .iter()
            .any(|a| a.end_date.is_none() && Some(a.team_id) == demo_team)
    };
    licence.sort_by_key(|i| !in_demo_team(&region.people[*i]));
    let statuses = [
        RecallStatus::AwaitingSenior,
        RecallStatus::AwaitingHead,
        RecallStatus::Considering,
    ];
    let mut used = HashSet::new();
    for (n, index) in licence.iter().copied().take(in_progress).enumerate() {
        used.insert(index);
        let opened_on = working_days_before(today, rng.range(1..=3));
        let person = &mut region.people[index];
        let failure = recent_failure(person, add_days(today, -14), today);
        recall(
            rng,
            person,
            staff,
            opened_on,
            statuses[n % statuses.len()],
            failure,
            out,
        );
    }
    let rest: Vec<usize> = licence.into_iter().filter(|i| !used.contains(i)).collect();
    for index in rest.into_iter().take(decided_against) {
        let status = if rng.chance(0.75) {
            RecallStatus::NotRecalled
        } else {
            RecallStatus::Declined
        };
        let opened_on = next_working_day(add_days(today, -rng.range(10..HISTORY_DAYS)));
        let person = &mut region.people[index];
        let failure = recent_failure(person, add_days(opened_on, -14), opened_on);
        recall(rng, person, staff, opened_on, status, failure, out);
    }
}

/// The latest unacceptable failure between `from` and `until`, which may have opened the recall.
fn recent_failure(person: &Person, from: NaiveDate, until: NaiveDate) -> Option<(Uuid, NaiveDate)> {
    person
        .contacts
        .iter()
        .rev()
        .find(|c| {
            let day = c.starts_at.date();
            day >= from && day <= until && counts_towards_enforcement(c.outcome, c.judgement)
        })
        .map(|c| (c.id, c.starts_at.date()))
}

fn recall(
    rng: &mut DemoRng,
    person: &mut Person,
    staff: &[StaffMember],
    opened_on: NaiveDate,
    status: RecallStatus,
    failure: Option<(Uuid, NaiveDate)>,
    out: &mut DemoEnforcement,
) {
    let Some(allocation) = person.allocations.iter().find(|a| a.end_date.is_none()) else {
        return;
    };
    let officer = officer_on(&person.allocations, opened_on).unwrap_or(allocation.staff_id);
    let Some((senior, head)) = countersigners(staff, allocation.team_id) else {
        return;
    };
    let event_id = person.events.last().expect("every case has an event").id;
    let opened_reason = match failure {
        Some((_, day)) => format!(
            "Failed to attend on {} without an acceptable reason.",
            day_words(day)
        ),
        None => format!("Risk concern: {}", rng.choose(&RECALL_REASONS)),
    };
    let emergency = rng.chance(0.2);
    let recall_type = if rng.chance(0.7) {
        RecallType::Standard
    } else {
        RecallType::FixedTerm
    };
    let mut result = DemoRecall {
        id: rng.id(),
        person_id: person.id,
        event_id,
        contact_id: failure.map(|(id, _)| id),
        status,
        opened_on,
        opened_reason,
        reasons: None,
        alternatives_tried: None,
        current_risk: None,
        recall_type: None,
        emergency: false,
        recommended_by: None,
        recommended_at: None,
        recommendation_document_id: None,
        senior: None,
        head: None,
        recall_date: None,
        decision_document_id: None,
        created_by: officer,
        created_at: at(opened_on, 10, 0),
    };
    person.contacts.push(system_event(
        rng,
        Some(event_id),
        ContactType::Recall,
        at(opened_on, 10, 0),
        officer,
        "Recall being considered.".to_owned(),
    ));
    if status == RecallStatus::Considering {
        out.recalls.push(result);
        return;
    }
    let recommended_at = at(opened_on, 14, 0);
    let reasons = rng.choose(&RECALL_REASONS).to_owned();
    let alternatives = "Additional reporting and a warning were tried; licence conditions were varied to add a curfew.".to_owned();
    let risk = "Risk of serious harm to the public assessed as high while whereabouts are unknown."
        .to_owned();
    let recommendation = DemoDocument {
        id: rng.id(),
        person_id: person.id,
        kind: DocumentKind::RecallRecommendation,
        title: format!("Recall recommendation, {}", day_words(opened_on)),
        body: format!(
            "Recall recommendation: {} ({})\n\nReasons\n{reasons}\n\nAlternatives tried\n{alternatives}\n\nCurrent risk\n{risk}\n\nRecommended: {}{}\n\n{}\nProbation officer",
            name(person),
            person.crn,
            recall_type.label().to_lowercase(),
            if emergency { ", emergency" } else { "" },
            staff_name(staff, officer)
        ),
        created_by: officer,
        created_at: recommended_at,
    };
    result.reasons = Some(reasons);
    result.alternatives_tried = Some(alternatives);
    result.current_risk = Some(risk);
    result.recall_type = Some(recall_type);
    result.emergency = emergency;
    result.recommended_by = Some(officer);
    result.recommended_at = Some(recommended_at);
    result.recommendation_document_id = Some(recommendation.id);
    out.documents.push(recommendation);
    let senior_at = at(opened_on, 16, 0);
    match status {
        RecallStatus::AwaitingSenior => {}
        RecallStatus::Declined => {
            result.senior = Some(DemoCountersign {
                decision: CountersignDecision::Declined,
                by: senior,
                at: senior_at,
                reason: Some(
                    "The risk can be managed in the community with increased reporting and an approved premises placement."
                        .to_owned(),
                ),
            });
        }
        RecallStatus::NotRecalled => {
            result.recommended_by = None;
            result.recommended_at = None;
            result.recall_type = None;
            let letter = DemoDocument {
                id: rng.id(),
                person_id: person.id,
                kind: DocumentKind::NoRecallLetter,
                title: format!("Decision not to recall, {}", day_words(opened_on)),
                body: format!(
                    "Dear {},\n\nWe considered whether to recall you to prison following the concerns raised on {}. We have decided not to recall you at this time. You must keep to every condition of your licence; any further failure will be considered again.\n\n{}\nProbation officer",
                    name(person),
                    day_words(opened_on),
                    staff_name(staff, officer)
                ),
                created_by: officer,
                created_at: senior_at,
            };
            result.decision_document_id = Some(letter.id);
            out.documents
                .retain(|d| Some(d.id) != result.recommendation_document_id);
            result.recommendation_document_id = None;
            out.documents.push(letter);
        }
        _ => {
            result.senior = Some(DemoCountersign {
                decision: CountersignDecision::Countersigned,
                by: senior,
                at: senior_at,
                reason: None,
            });
            if status == RecallStatus::Recalled {
                let head_at = at(next_working_day(add_days(opened_on, 1)), 10, 0);
                result.head = Some(DemoCountersign {
                    decision: CountersignDecision::Countersigned,
                    by: head,
                    at: head_at,
                    reason: None,
                });
                let recall_date = head_at.date();
                let decision = DemoDocument {
                    id: rng.id(),
                    person_id: person.id,
                    kind: DocumentKind::RecallDecision,
                    title: format!("Recall decision, {}", day_words(recall_date)),
                    body: format!(
                        "Recall decision: {} ({})\n\nThe recommendation for a {} was countersigned by the senior probation officer and the head of the probation delivery unit. Recalled from {}.",
                        name(person),
                        person.crn,
                        recall_type.label().to_lowercase(),
                        day_words(recall_date)
                    ),
                    created_by: head,
                    created_at: head_at,
                };
                result.recall_date = Some(recall_date);
                result.decision_document_id = Some(decision.id);
                out.documents.push(decision);
            }
        }
    }
    person.contacts.sort_by_key(|c| c.starts_at);
    out.recalls.push(result);
}

/// About one supervised person in eight asked for reminders.
fn reminder_preference(
    rng: &mut DemoRng,
    person: &Person,
    today: NaiveDate,
) -> Option<DemoReminderPreference> {
    let (_, start, officer) = supervised(person)?;
    if !rng.chance(0.125) {
        return None;
    }
    let consent_on = add_days(today, -rng.range(1..=120)).max(start);
    let text = rng.chance(0.7);
    let local: String = format!("{}.{}", person.first_name, person.last_name)
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    Some(DemoReminderPreference {
        person_id: person.id,
        channel: if text { "text" } else { "email" },
        // Ofcom keeps 07700 900000 to 07700 900999 for drama: never a real number.
        mobile: text.then(|| format!("07700 900{:03}", rng.range(0..1000))),
        email: (!text).then(|| format!("{local}@example.com")),
        consent_on,
        recorded_by: officer,
        recorded_at: at(consent_on, 11, 0),
    })
}
