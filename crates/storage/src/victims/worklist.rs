//! Victim liaison's worklist across a region: referrals due (and overdue), contacts due at each
//! stage, representations due before a release decision, and the two measures of the scheme with
//! how each was worked out. A fixed number of queries however large the region.

use super::eligibility::{eligible_in_region, CaseEligibility};
use super::referrals::{self, Referral};
use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{events, pdus, people, victim_contacts, victims};
use chrono::NaiveDate;
use diesel::prelude::*;
use keepsafe_domain::calendar::long_date;
use keepsafe_domain::victims::{VictimContactRules, VictimStage};
use keepsafe_domain::CodedValue;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The case a line is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseLine {
    pub crn: String,
    pub name: String,
}

/// An eligible case whose referral is neither made nor declined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralDue {
    pub case: CaseLine,
    pub due_on: NaiveDate,
    pub explained: String,
}

/// A contact due with a victim at a stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactDue {
    pub case: CaseLine,
    pub victim_id: Uuid,
    pub stage: VictimStage,
    pub stage_on: NaiveDate,
    pub due_on: NaiveDate,
}

/// An opted-in victim to ask for representations before a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepresentationsDue {
    pub case: CaseLine,
    pub victim_id: Uuid,
    pub release_on: NaiveDate,
    pub due_on: NaiveDate,
    pub explained: String,
}

/// A measure: how many of how many, and how that was counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub met: usize,
    pub out_of: usize,
    pub explained: Vec<String>,
}

impl Measure {
    /// The percentage, to the nearest whole number; `None` with nothing to count.
    pub fn percent(&self) -> Option<u32> {
        (self.out_of > 0).then(|| {
            let exact = self.met as f64 * 100.0 / self.out_of as f64;
            exact.round() as u32
        })
    }
}

/// The region's worklist, each list soonest due first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worklist {
    pub referrals_due: Vec<ReferralDue>,
    pub contacts_due: Vec<ContactDue>,
    pub representations_due: Vec<RepresentationsDue>,
    pub offered_in_time: Measure,
    pub representations_before_release: Measure,
}

/// The worklist of the region on `today`.
pub fn for_region(
    conn: &mut AnyConnection,
    region: Uuid,
    today: NaiveDate,
    rules: &VictimContactRules,
) -> StorageResult<Worklist> {
    let eligible = eligible_in_region(conn, region, rules)?;
    let eligible_ids: Vec<String> = eligible.keys().cloned().collect();
    let referrals = referrals::for_people(conn, &eligible_ids)?;
    let opted_in = opted_in_victims(conn, region)?;
    let mut wanted: HashSet<String> = eligible_ids.iter().cloned().collect();
    wanted.extend(opted_in.iter().map(|(_, person)| person.clone()));
    let open = open_contacts(conn, region)?;
    wanted.extend(open.iter().map(|c| c.0.clone()));
    let wanted: Vec<String> = wanted.into_iter().collect();
    let cases = case_lines(conn, &wanted)?;
    let releases = release_dates(conn, &wanted)?;
    let asked = representations_asked(conn, &opted_in)?;
    let line = |person: &str| cases.get(person).cloned();

    let mut referrals_due: Vec<ReferralDue> = eligible
        .iter()
        .filter(|(person, _)| !referral_done(referrals.get(*person)))
        .filter_map(|(person, case)| {
            let (due_on, explained) = case.referral_due.clone()?;
            Some(ReferralDue {
                case: line(person)?,
                due_on,
                explained,
            })
        })
        .collect();
    referrals_due.sort_by(|a, b| a.due_on.cmp(&b.due_on).then(a.case.crn.cmp(&b.case.crn)));

    let mut contacts_due: Vec<ContactDue> = open
        .into_iter()
        .filter_map(|(person, victim_id, stage, stage_on, due_on)| {
            Some(ContactDue {
                case: line(&person)?,
                victim_id,
                stage,
                stage_on,
                due_on,
            })
        })
        .collect();
    contacts_due.sort_by(|a, b| a.due_on.cmp(&b.due_on).then(a.case.crn.cmp(&b.case.crn)));

    let mut representations_due: Vec<RepresentationsDue> = opted_in
        .iter()
        .filter(|(victim, _)| !asked.contains_key(victim))
        .filter_map(|(victim, person)| {
            let release_on = releases.get(person).copied().filter(|day| *day > today)?;
            Some(RepresentationsDue {
                case: line(person)?,
                victim_id: rows::id(victim).ok()?,
                release_on,
                due_on: rules.representations_due(release_on),
                explained: rules.representations_due_explained(release_on),
            })
        })
        .collect();
    representations_due.sort_by(|a, b| a.due_on.cmp(&b.due_on).then(a.case.crn.cmp(&b.case.crn)));

    Ok(Worklist {
        referrals_due,
        contacts_due,
        representations_due,
        offered_in_time: offered_in_time(&eligible, &referrals, today, rules),
        representations_before_release: representations_before_release(
            &opted_in, &releases, &asked, today,
        ),
    })
}

fn referral_done(referral: Option<&Referral>) -> bool {
    referral.is_some_and(|r| r.made_on.is_some() || r.declined_on.is_some())
}

/// Eligible cases whose referral was due by today: made or declined on or before its due date.
fn offered_in_time(
    eligible: &HashMap<String, CaseEligibility>,
    referrals: &HashMap<String, Referral>,
    today: NaiveDate,
    rules: &VictimContactRules,
) -> Measure {
    let mut met = 0;
    let mut out_of = 0;
    for (person, case) in eligible {
        let Some((due_on, _)) = &case.referral_due else {
            continue;
        };
        if *due_on > today {
            continue;
        }
        out_of += 1;
        let answered = referrals
            .get(person)
            .and_then(|r| r.made_on.or(r.declined_on));
        if answered.is_some_and(|day| day <= *due_on) {
            met += 1;
        }
    }
    Measure {
        met,
        out_of,
        explained: vec![
            format!(
                "Counted: the region's cases eligible for the scheme whose referral was due by {} \
                 ({} working days after sentence, rules {}).",
                long_date(today),
                rules.referral_working_days,
                rules.version
            ),
            "Met: the referral was made, or the victim declined, on or before the due date."
                .to_owned(),
            format!("{met} of {out_of} cases met it."),
        ],
    }
}

/// Opted-in victims whose case's release date has passed: asked for representations (a contact
/// at the release consideration stage made) on or before the release date.
fn representations_before_release(
    opted_in: &[(String, String)],
    releases: &HashMap<String, NaiveDate>,
    asked: &HashMap<String, NaiveDate>,
    today: NaiveDate,
) -> Measure {
    let mut met = 0;
    let mut out_of = 0;
    for (victim, person) in opted_in {
        let Some(release_on) = releases.get(person).filter(|day| **day <= today) else {
            continue;
        };
        out_of += 1;
        if asked.get(victim).is_some_and(|day| day <= release_on) {
            met += 1;
        }
    }
    Measure {
        met,
        out_of,
        explained: vec![
            format!(
                "Counted: victims in the scheme whose case's release date was on or before {}.",
                long_date(today)
            ),
            "Met: a contact at the \"release being considered\" stage was made on or before the \
             release date, asking for their representations."
                .to_owned(),
            format!("{met} of {out_of} victims met it."),
        ],
    }
}

/// (victim id, person id) of every opted-in victim in the region: one query.
fn opted_in_victims(
    conn: &mut AnyConnection,
    region: Uuid,
) -> StorageResult<Vec<(String, String)>> {
    Ok(victims::table
        .inner_join(people::table.inner_join(pdus::table))
        .filter(pdus::region_id.eq(region.to_string()))
        .filter(victims::opted_in.eq(true))
        .select((victims::id, victims::person_id))
        .load(conn)?)
}

type OpenContact = (String, Uuid, VictimStage, NaiveDate, NaiveDate);

/// Contacts due (not made) in the region: one query on `victim_contacts_due`.
fn open_contacts(conn: &mut AnyConnection, region: Uuid) -> StorageResult<Vec<OpenContact>> {
    let found: Vec<(String, String, String, NaiveDate, NaiveDate)> = victim_contacts::table
        .inner_join(people::table.inner_join(pdus::table))
        .filter(pdus::region_id.eq(region.to_string()))
        .filter(victim_contacts::contacted_on.is_null())
        .select((
            victim_contacts::person_id,
            victim_contacts::victim_id,
            victim_contacts::stage,
            victim_contacts::stage_on,
            victim_contacts::due_on,
        ))
        .load(conn)?;
    found
        .into_iter()
        .map(|(person, victim, stage, stage_on, due_on)| {
            Ok((
                person,
                rows::id(&victim)?,
                rows::code(&stage)?,
                stage_on,
                due_on,
            ))
        })
        .collect()
}

/// The CRN and name of each person: one query per 500.
fn case_lines(
    conn: &mut AnyConnection,
    person_ids: &[String],
) -> StorageResult<HashMap<String, CaseLine>> {
    let mut found = HashMap::new();
    for chunk in person_ids.chunks(500) {
        let rows: Vec<(String, String, String, String)> = people::table
            .filter(people::id.eq_any(chunk))
            .select((
                people::id,
                people::crn,
                people::first_name,
                people::last_name,
            ))
            .load(conn)?;
        for (id, crn, first, last) in rows {
            found.insert(
                id,
                CaseLine {
                    crn,
                    name: format!("{first} {last}"),
                },
            );
        }
    }
    Ok(found)
}

/// Each person's latest release date on an active event: one query per 500.
fn release_dates(
    conn: &mut AnyConnection,
    person_ids: &[String],
) -> StorageResult<HashMap<String, NaiveDate>> {
    let mut found: HashMap<String, NaiveDate> = HashMap::new();
    for chunk in person_ids.chunks(500) {
        let rows: Vec<(String, Option<NaiveDate>)> = events::table
            .filter(events::person_id.eq_any(chunk))
            .filter(events::active.eq(true))
            .filter(events::release_date.is_not_null())
            .select((events::person_id, events::release_date))
            .load(conn)?;
        for (person, day) in rows {
            if let Some(day) = day {
                let entry = found.entry(person).or_insert(day);
                *entry = (*entry).max(day);
            }
        }
    }
    Ok(found)
}

/// The first day each of these victims was asked for representations (a release consideration
/// contact made): one query per 500 victims.
fn representations_asked(
    conn: &mut AnyConnection,
    opted_in: &[(String, String)],
) -> StorageResult<HashMap<String, NaiveDate>> {
    let ids: Vec<String> = opted_in.iter().map(|(v, _)| v.clone()).collect();
    let mut found: HashMap<String, NaiveDate> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(String, Option<NaiveDate>)> = victim_contacts::table
            .filter(victim_contacts::victim_id.eq_any(chunk))
            .filter(victim_contacts::stage.eq(VictimStage::ReleaseConsideration.code()))
            .filter(victim_contacts::contacted_on.is_not_null())
            .select((victim_contacts::victim_id, victim_contacts::contacted_on))
            .load(conn)?;
        for (victim, day) in rows {
            if let Some(day) = day {
                let entry = found.entry(victim).or_insert(day);
                *entry = (*entry).min(day);
            }
        }
    }
    Ok(found)
}
