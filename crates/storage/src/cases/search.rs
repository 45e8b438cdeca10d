//! Finding a case by name, date of birth or CRN, across everyone keepsafe holds. The search
//! returns where each case sits (its region, PDU and team) so the caller can decide, result by
//! result, whether the searcher may open it; names are returned for the caller to withhold.
//!
//! Three queries per page, whatever it holds: the count, the page (people with their PDU's
//! region), and the current allocations of the people on it.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{allocations, pdus, people, person_aliases, staff};
use chrono::NaiveDate;
use diesel::prelude::*;
use keepsafe_domain::access::CaseLocation;
use std::collections::HashMap;
use uuid::Uuid;

type Backend = <AnyConnection as diesel::Connection>::Backend;

diesel::define_sql_function! {
    /// SQL `lower`, so names match whatever their case on both backends.
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// What to look for; every term given must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchTerms {
    /// Words of a name: each must be found in the first name or the last name.
    pub name_words: Vec<String>,
    pub date_of_birth: Option<NaiveDate>,
    /// An exact CRN, upper case.
    pub crn: Option<String>,
}

impl SearchTerms {
    pub fn is_empty(&self) -> bool {
        self.name_words.is_empty() && self.date_of_birth.is_none() && self.crn.is_none()
    }
}

/// A case found, with where it sits so access can be decided.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub person_id: Uuid,
    pub crn: String,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub pdu_name: String,
    pub location: CaseLocation,
    /// The practitioner managing the case now, if anyone.
    pub practitioner: Option<String>,
}

/// One page of results, and how many there are in all.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    pub total: i64,
}

/// A `LIKE` pattern for names containing `word`, with `%`, `_` and `\` escaped (`\` is the
/// escape character).
fn like_within(word: &str) -> String {
    let escaped = word
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The people matching `terms`, as a boxed query the page and the count share.
///
/// A name word matches anywhere in the first or last name, or in any name the person has been known
/// by (their aliases, ended ones included: an old name still identifies them), so a part
/// remembered is enough. A date of birth matches the person's or one given with an alias.
fn matching(terms: &SearchTerms) -> people::BoxedQuery<'static, Backend> {
    let mut query = people::table.into_boxed();
    if let Some(crn) = &terms.crn {
        query = query.filter(people::crn.eq(crn.clone()));
    }
    if let Some(born) = terms.date_of_birth {
        query = query.filter(
            people::date_of_birth.eq(born).or(diesel::dsl::exists(
                person_aliases::table
                    .filter(person_aliases::person_id.eq(people::id))
                    .filter(person_aliases::date_of_birth.eq(born)),
            )),
        );
    }
    for word in &terms.name_words {
        let pattern = like_within(word);
        let alias = diesel::dsl::exists(
            person_aliases::table
                .filter(person_aliases::person_id.eq(people::id))
                .filter(
                    lower(person_aliases::first_name)
                        .like(pattern.clone())
                        .escape('\\')
                        .or(lower(person_aliases::last_name)
                            .like(pattern.clone())
                            .escape('\\')),
                ),
        );
        query = query.filter(
            lower(people::first_name)
                .like(pattern.clone())
                .escape('\\')
                .or(lower(people::last_name).like(pattern).escape('\\'))
                .or(alias),
        );
    }
    query
}

/// A page of the cases matching `terms` (`page` from 1), by last name, first name and CRN.
pub fn search(
    conn: &mut AnyConnection,
    terms: &SearchTerms,
    page: i64,
    per_page: i64,
) -> StorageResult<SearchPage> {
    if terms.is_empty() {
        return Ok(SearchPage {
            hits: Vec::new(),
            total: 0,
        });
    }
    let total: i64 = matching(terms).count().get_result(conn)?;
    let ids: Vec<String> = matching(terms)
        .select(people::id)
        .order((
            people::last_name.asc(),
            people::first_name.asc(),
            people::crn.asc(),
        ))
        .limit(per_page)
        .offset((page.max(1) - 1) * per_page)
        .load(conn)?;
    let rows = people::table
        .inner_join(pdus::table)
        .filter(people::id.eq_any(&ids))
        .select((
            people::id,
            people::crn,
            people::first_name,
            people::last_name,
            people::date_of_birth,
            people::pdu_id,
            pdus::region_id,
            pdus::name,
        ))
        .load::<(
            String,
            String,
            String,
            String,
            NaiveDate,
            String,
            String,
            String,
        )>(conn)?;
    let current: HashMap<String, (String, String, String)> = allocations::table
        .inner_join(staff::table.on(staff::id.eq(allocations::staff_id)))
        .filter(allocations::person_id.eq_any(&ids))
        .filter(allocations::end_date.is_null())
        .select((
            allocations::person_id,
            allocations::team_id,
            staff::first_name,
            staff::last_name,
        ))
        .load::<(String, String, String, String)>(conn)?
        .into_iter()
        .map(|(person, team, first, last)| (person, (team, first, last)))
        .collect();
    let mut by_id: HashMap<String, SearchHit> = HashMap::new();
    for (id, crn, first_name, last_name, date_of_birth, pdu, region, pdu_name) in rows {
        let allocation = current.get(&id);
        let hit = SearchHit {
            person_id: rows::id(&id)?,
            crn,
            first_name,
            last_name,
            date_of_birth,
            pdu_name,
            location: CaseLocation {
                region: rows::id(&region)?,
                pdu: rows::id(&pdu)?,
                team: allocation.map(|(team, _, _)| rows::id(team)).transpose()?,
            },
            practitioner: allocation.map(|(_, first, last)| format!("{first} {last}")),
        };
        by_id.insert(id, hit);
    }
    // In the order of the page query.
    Ok(SearchPage {
        hits: ids.iter().filter_map(|id| by_id.remove(id)).collect(),
        total,
    })
}
