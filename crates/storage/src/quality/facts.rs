//! What the automated indicators read about each case ([`CaseFacts`]), loaded for many cases at
//! once: fourteen queries per 500 cases (four of them the sentence plans', in
//! [`crate::plans::facts`]), whatever the number of cases.

use super::units::LiveCase;
use super::IDS_PER_QUERY;
use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{
    check_requests, contacts, household_members, management_oversight, registrations, review_tasks,
    rosh_assessments, rosh_check_references, rosh_considerations, rosh_levels,
};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use keepsafe_domain::age::is_child_on;
use keepsafe_domain::partner::{RequestStatus, RequestType};
use keepsafe_domain::quality::{
    AssessmentFacts, CaseFacts, ContactFacts, IndicatorRules, OversightFacts, ReviewFacts,
};
use keepsafe_domain::registration::RegistrationKind;
use keepsafe_domain::rosh::{AssessmentStatus, CheckFact, RiskGroup, RoshLevel};
use keepsafe_domain::CodedValue;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The facts for every case given, by person id, as of `today`.
pub fn for_cases(
    conn: &mut AnyConnection,
    cases: &[LiveCase],
    today: NaiveDate,
    rules: &IndicatorRules,
) -> StorageResult<HashMap<Uuid, CaseFacts>> {
    let mut facts = HashMap::with_capacity(cases.len());
    for chunk in cases.chunks(IDS_PER_QUERY) {
        for_chunk(conn, chunk, today, rules, &mut facts)?;
    }
    Ok(facts)
}

/// How far back contacts are read: the longest window any indicator looks at, and a month more.
fn contact_history_from(today: NaiveDate, rules: &IndicatorRules) -> NaiveDateTime {
    let days = (i64::from(rules.contact_window_weeks) * 7)
        .max(i64::from(rules.home_visit_within_months) * 31)
        + 31;
    (today - Duration::days(days))
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
}

fn for_chunk(
    conn: &mut AnyConnection,
    chunk: &[LiveCase],
    today: NaiveDate,
    rules: &IndicatorRules,
    facts: &mut HashMap<Uuid, CaseFacts>,
) -> StorageResult<()> {
    let ids: Vec<String> = chunk.iter().map(|c| c.person_id.to_string()).collect();
    let starts: HashMap<&str, Option<NaiveDate>> = ids
        .iter()
        .zip(chunk)
        .map(|(id, case)| (id.as_str(), case.supervision_start))
        .collect();
    for case in chunk {
        facts.insert(
            case.person_id,
            CaseFacts {
                today,
                case_type: case.case_type,
                supervision_start: case.supervision_start,
                rosh_level: None,
                mappa_level: None,
                domestic_abuse_registration: false,
                child_concern_registration: false,
                children_in_household: false,
                assessment: None,
                first_assessment_completed_on: None,
                checks: Vec::new(),
                contacts: Vec::new(),
                reviews: Vec::new(),
                oversight: Vec::new(),
                plan: None,
            },
        );
    }

    for (person, kind, mappa_level) in registrations::table
        .filter(registrations::person_id.eq_any(&ids))
        .filter(registrations::ended_on.is_null())
        .select((
            registrations::person_id,
            registrations::kind,
            registrations::mappa_level,
        ))
        .load::<(String, String, Option<String>)>(conn)?
    {
        let Some(case) = facts.get_mut(&rows::id(&person)?) else {
            continue;
        };
        let kind: RegistrationKind = rows::code(&kind)?;
        case.domestic_abuse_registration |= matches!(
            kind,
            RegistrationKind::DomesticAbusePerpetrator | RegistrationKind::DomesticAbuseVictim
        );
        case.child_concern_registration |= kind.concerns_children();
        if let Some(level) = mappa_level {
            case.mappa_level = Some(rows::code(&level)?);
        }
    }

    let mut household: HashMap<String, HashSet<String>> = HashMap::new();
    for (person, member, born, ended) in household_members::table
        .filter(household_members::person_id.eq_any(&ids))
        .select((
            household_members::person_id,
            household_members::id,
            household_members::date_of_birth,
            household_members::end_date,
        ))
        .load::<(String, String, Option<NaiveDate>, Option<NaiveDate>)>(conn)?
    {
        if ended.is_some_and(|end| end <= today) {
            continue;
        }
        if born.is_some_and(|dob| is_child_on(dob, today)) {
            if let Some(case) = facts.get_mut(&rows::id(&person)?) {
                case.children_in_household = true;
            }
        }
        household.entry(person).or_default().insert(member);
    }

    // Assessments completed or since superseded: the one in force, and the first of this period.
    let mut in_force: HashMap<String, (String, NaiveDate, bool, Option<String>)> = HashMap::new();
    let mut first_completed: HashMap<String, NaiveDate> = HashMap::new();
    for (id, person, status, who, level, completed_at) in rosh_assessments::table
        .filter(rosh_assessments::person_id.eq_any(&ids))
        .filter(rosh_assessments::status.eq_any([
            AssessmentStatus::Completed.code(),
            AssessmentStatus::Superseded.code(),
        ]))
        .select((
            rosh_assessments::id,
            rosh_assessments::person_id,
            rosh_assessments::status,
            rosh_assessments::who_is_at_risk,
            rosh_assessments::case_level,
            rosh_assessments::completed_at,
        ))
        .load::<(
            String,
            String,
            String,
            String,
            Option<String>,
            Option<NaiveDateTime>,
        )>(conn)?
    {
        let Some(completed_on) = completed_at.map(|at| at.date()) else {
            continue;
        };
        let start = starts.get(person.as_str()).copied().flatten();
        if start.is_none_or(|start| completed_on >= start) {
            first_completed
                .entry(person.clone())
                .and_modify(|first| *first = (*first).min(completed_on))
                .or_insert(completed_on);
        }
        if status == AssessmentStatus::Completed.code() {
            in_force.insert(person, (id, completed_on, !who.trim().is_empty(), level));
        }
    }
    let assessment_ids: Vec<&str> = in_force.values().map(|(id, ..)| id.as_str()).collect();
    let mut considered: HashMap<String, HashSet<String>> = HashMap::new();
    for (assessment, subject) in rosh_considerations::table
        .filter(rosh_considerations::assessment_id.eq_any(&assessment_ids))
        .select((
            rosh_considerations::assessment_id,
            rosh_considerations::subject_id,
        ))
        .load::<(String, String)>(conn)?
    {
        considered.entry(assessment).or_default().insert(subject);
    }
    let mut referenced: HashMap<String, Vec<Uuid>> = HashMap::new();
    for (assessment, check) in rosh_check_references::table
        .filter(rosh_check_references::assessment_id.eq_any(&assessment_ids))
        .select((
            rosh_check_references::assessment_id,
            rosh_check_references::check_id,
        ))
        .load::<(String, String)>(conn)?
    {
        referenced
            .entry(assessment)
            .or_default()
            .push(rows::id(&check)?);
    }
    let mut levels: HashMap<String, Vec<(RiskGroup, RoshLevel)>> = HashMap::new();
    for (assessment, group, level) in rosh_levels::table
        .filter(rosh_levels::assessment_id.eq_any(&assessment_ids))
        .select((
            rosh_levels::assessment_id,
            rosh_levels::risk_group,
            rosh_levels::level,
        ))
        .load::<(String, String, String)>(conn)?
    {
        levels
            .entry(assessment)
            .or_default()
            .push((rows::code(&group)?, rows::code(&level)?));
    }
    for (person, (id, completed_on, who_recorded, level)) in &in_force {
        let Some(case) = facts.get_mut(&rows::id(person)?) else {
            continue;
        };
        let members = household.get(person);
        let considered_here = considered.get(id);
        case.rosh_level = level.as_deref().map(rows::code::<RoshLevel>).transpose()?;
        case.assessment = Some(AssessmentFacts {
            id: rows::id(id)?,
            completed_on: *completed_on,
            who_is_at_risk_recorded: *who_recorded,
            people_to_consider: members.map_or(0, HashSet::len),
            people_considered: match (members, considered_here) {
                (Some(members), Some(done)) => members.intersection(done).count(),
                _ => 0,
            },
            referenced_check_ids: referenced.remove(id).unwrap_or_default(),
            levels: {
                let mut given = levels.remove(id).unwrap_or_default();
                given.sort();
                given
            },
        });
        case.first_assessment_completed_on = first_completed
            .get(person)
            .copied()
            .filter(|first| first != completed_on);
    }

    for (id, person, kind, address, requested_on, deadline, received, authorised_by, status) in
        check_requests::table
            .filter(check_requests::person_id.eq_any(&ids))
            .select((
                check_requests::id,
                check_requests::person_id,
                check_requests::kind,
                check_requests::address_id,
                check_requests::requested_on,
                check_requests::deadline,
                check_requests::response_received_on,
                check_requests::authorised_without_by,
                check_requests::status,
            ))
            .load::<CheckRow>(conn)?
    {
        let kind: RequestType = rows::code(&kind)?;
        let Some(check_kind) = kind.check_kind() else {
            continue;
        };
        // Declined and withdrawn requests will never be answered: the gates ignore them, and so
        // do the indicators.
        let status: Option<RequestStatus> = rows::opt_code(status.as_deref())?;
        if matches!(
            status,
            Some(RequestStatus::Declined | RequestStatus::Withdrawn)
        ) {
            continue;
        }
        let Some(case) = facts.get_mut(&rows::id(&person)?) else {
            continue;
        };
        case.checks.push(CheckFact {
            id: rows::id(&id)?,
            kind: check_kind,
            address_id: rows::opt_id(address.as_deref())?,
            requested_on,
            deadline,
            response_received_on: received,
            authorised_without_response: authorised_by.is_some(),
        });
    }

    let until = (today + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists");
    for (id, person, starts_at, kind, (outcome, judgement, status)) in contacts::table
        .filter(contacts::person_id.eq_any(&ids))
        .filter(contacts::starts_at.ge(contact_history_from(today, rules)))
        .filter(contacts::starts_at.lt(until))
        .select((
            contacts::id,
            contacts::person_id,
            contacts::starts_at,
            contacts::contact_type,
            (contacts::outcome, contacts::judgement, contacts::status),
        ))
        .load::<(
            String,
            String,
            NaiveDateTime,
            String,
            (Option<String>, Option<String>, String),
        )>(conn)?
    {
        let Some(case) = facts.get_mut(&rows::id(&person)?) else {
            continue;
        };
        case.contacts.push(ContactFacts {
            id: rows::id(&id)?,
            on: starts_at.date(),
            kind: rows::code(&kind)?,
            outcome: rows::opt_code(outcome.as_deref())?,
            judgement: rows::opt_code(judgement.as_deref())?,
            status: rows::code(&status)?,
        });
    }

    for (id, person, trigger, occurred_on, due_on, completed_on) in review_tasks::table
        .filter(review_tasks::person_id.eq_any(&ids))
        .select((
            review_tasks::id,
            review_tasks::person_id,
            review_tasks::trigger_kind,
            review_tasks::occurred_on,
            review_tasks::due_on,
            review_tasks::completed_on,
        ))
        .load::<(
            String,
            String,
            String,
            NaiveDate,
            NaiveDate,
            Option<NaiveDate>,
        )>(conn)?
    {
        let Some(case) = facts.get_mut(&rows::id(&person)?) else {
            continue;
        };
        case.reviews.push(ReviewFacts {
            id: rows::id(&id)?,
            trigger: rows::code(&trigger)?,
            occurred_on,
            due_on,
            completed_on,
        });
    }

    for (id, person, recorded_on) in management_oversight::table
        .filter(management_oversight::person_id.eq_any(&ids))
        .filter(management_oversight::recorded_on.le(today))
        .select((
            management_oversight::id,
            management_oversight::person_id,
            management_oversight::recorded_on,
        ))
        .load::<(String, String, NaiveDate)>(conn)?
    {
        let Some(case) = facts.get_mut(&rows::id(&person)?) else {
            continue;
        };
        case.oversight.push(OversightFacts {
            id: rows::id(&id)?,
            recorded_on,
        });
    }
    for (person, plan) in crate::plans::facts::for_people(conn, &ids, &starts)? {
        if let Some(case) = facts.get_mut(&rows::id(&person)?) {
            case.plan = Some(plan);
        }
    }
    for case in chunk {
        if let Some(case) = facts.get_mut(&case.person_id) {
            case.contacts.sort_by_key(|c| c.on);
            case.reviews.sort_by_key(|r| r.occurred_on);
            case.oversight.sort_by_key(|o| o.recorded_on);
        }
    }
    Ok(())
}

type CheckRow = (
    String,
    String,
    String,
    Option<String>,
    NaiveDate,
    NaiveDate,
    Option<NaiveDate>,
    Option<String>,
    Option<String>,
);
