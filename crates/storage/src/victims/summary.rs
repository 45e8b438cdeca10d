//! What everyone who may open a case — but is not victim liaison — learns about its victims:
//! that victims are known and in the scheme, the licence conditions they asked for and who in
//! victim liaison keeps their records. [`VictimSummaryForCase`] has no field for a victim's name,
//! address, telephone or email, and [`for_case`] selects none of those columns, so no page, export
//! or message built from it can show them.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{staff, victim_conditions, victims};
use diesel::prelude::*;
use keepsafe_domain::victims::{ConditionKind, ConditionStatus, NewCondition};
use uuid::Uuid;

/// The case's victims as practitioners, managers and quality staff see them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VictimSummaryForCase {
    /// Victims recorded by victim liaison.
    pub known: usize,
    /// Of those, the ones who opted in to the scheme.
    pub in_scheme: usize,
    /// The victim liaison officers keeping the records, by name, each once.
    pub liaison_officers: Vec<String>,
    /// The licence conditions victims asked for.
    pub conditions: Vec<ConditionForCase>,
}

/// A requested licence condition without whose it is or victim liaison's reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionForCase {
    pub kind: ConditionKind,
    /// An exclusion zone's area or what another condition says, written to be shared.
    pub details: String,
    pub status: ConditionStatus,
    /// Why a condition was not included.
    pub status_reason: String,
}

impl ConditionForCase {
    /// The condition in words.
    pub fn describe(&self) -> String {
        NewCondition::describe(self.kind, &self.details)
    }
}

/// The summary of the case's victims: two queries, neither selecting an identity column.
pub fn for_case(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<VictimSummaryForCase> {
    let person = person_id.to_string();
    let known: Vec<(Option<bool>, String, String)> = victims::table
        .inner_join(staff::table)
        .filter(victims::person_id.eq(&person))
        .order((victims::created_at.asc(), victims::id.asc()))
        .select((victims::opted_in, staff::first_name, staff::last_name))
        .load(conn)?;
    let mut liaison_officers: Vec<String> = Vec::new();
    for (_, first, last) in &known {
        let name = format!("{first} {last}");
        if !liaison_officers.contains(&name) {
            liaison_officers.push(name);
        }
    }
    let conditions: Vec<(String, String, String, String)> = victim_conditions::table
        .filter(victim_conditions::person_id.eq(&person))
        .order((
            victim_conditions::recorded_at.asc(),
            victim_conditions::id.asc(),
        ))
        .select((
            victim_conditions::kind,
            victim_conditions::details,
            victim_conditions::status,
            victim_conditions::status_reason,
        ))
        .load(conn)?;
    Ok(VictimSummaryForCase {
        known: known.len(),
        in_scheme: known
            .iter()
            .filter(|(opted, ..)| *opted == Some(true))
            .count(),
        liaison_officers,
        conditions: conditions
            .into_iter()
            .map(|(kind, details, status, status_reason)| {
                Ok(ConditionForCase {
                    kind: rows::code(&kind)?,
                    details,
                    status: rows::code(&status)?,
                    status_reason,
                })
            })
            .collect::<StorageResult<_>>()?,
    })
}

/// The case's known victims as people the risk of serious harm assessment must consider, without
/// name or address: "Victim known to victim liaison (in the victim contact scheme)". One query,
/// selecting no identity column; the consideration is kept against the victim's id.
pub fn to_consider(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<Vec<keepsafe_domain::rosh::PersonToConsider>> {
    let known: Vec<(String, Option<bool>)> = victims::table
        .filter(victims::person_id.eq(person_id.to_string()))
        .order((victims::created_at.asc(), victims::id.asc()))
        .select((victims::id, victims::opted_in))
        .load(conn)?;
    let numbered = known.len() > 1;
    known
        .into_iter()
        .enumerate()
        .map(|(index, (id, opted_in))| {
            Ok(keepsafe_domain::rosh::PersonToConsider {
                id: rows::id(&id)?,
                name: if numbered {
                    format!("Victim {} known to victim liaison", index + 1)
                } else {
                    "Victim known to victim liaison".to_owned()
                },
                relationship: if opted_in == Some(true) {
                    "In the victim contact scheme".to_owned()
                } else {
                    "Not in the victim contact scheme".to_owned()
                },
                age: None,
                is_child: false,
            })
        })
        .collect()
}
