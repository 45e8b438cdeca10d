//! Limited access cases: the staff excluded from a case and the staff it is restricted to
//! (`case_access_limits`, migration 32). The domain decides (`keepsafe_domain::access::limited`);
//! this module keeps the lists and answers the two questions every read asks:
//!
//! - [`limits_for`]: one case's lists, which [`super::record::locate`] reads with the case, so
//!   `open_case` decides on them in the same transaction (one query).
//! - [`hidden_from`]: which cases a member of staff may not see, for every list, dashboard,
//!   drill-down, export and feed to leave out (one query, whatever the list: the current
//!   exclusions naming them and the current restrictions, both on partial indexes; limited
//!   cases are few, so the answer is small).

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{case_access_limits, pdus, people, staff};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::access::limited::{check, LimitList, Limits};
use keepsafe_domain::access::{Actor, CaseLocation};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// One case's current lists.
pub fn limits_for(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Limits> {
    let rows = case_access_limits::table
        .filter(case_access_limits::person_id.eq(person_id.to_string()))
        .filter(case_access_limits::removed_at.is_null())
        .select((case_access_limits::list, case_access_limits::staff_id))
        .load::<(String, String)>(conn)?;
    let mut limits = Limits::none();
    for (list, staff_id) in rows {
        push(&mut limits, &list, &staff_id)?;
    }
    Ok(limits)
}

fn push(limits: &mut Limits, list: &str, staff_id: &str) -> StorageResult<()> {
    let staff_id = rows::id(staff_id)?;
    match LimitList::parse(list) {
        Some(LimitList::Exclusion) => limits.excluded.push(staff_id),
        Some(LimitList::Restriction) => limits.restricted_to.push(staff_id),
        None => return Err(StorageError::Corrupt(format!("unknown limit list {list}"))),
    }
    Ok(())
}

/// The cases a member of staff may not see because of their lists: to be left out of any list,
/// count, feed or report shown to them. The ordinary policy (team, PDU, region) still decides
/// everything else.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HiddenCases {
    person_ids: HashSet<Uuid>,
    crns: HashSet<String>,
}

impl HiddenCases {
    /// Whether the case of `person_id` is hidden.
    pub fn hides(&self, person_id: Uuid) -> bool {
        self.person_ids.contains(&person_id)
    }

    /// Whether the case with this CRN is hidden (for lists that carry only the CRN).
    pub fn hides_crn(&self, crn: &str) -> bool {
        self.crns.contains(crn)
    }

    pub fn is_empty(&self) -> bool {
        self.person_ids.is_empty()
    }

    /// `items` without the hidden cases' lines, `person_id` reading each line's case.
    pub fn leave_out<T>(&self, items: Vec<T>, person_id: impl Fn(&T) -> Uuid) -> Vec<T> {
        if self.is_empty() {
            return items;
        }
        items
            .into_iter()
            .filter(|item| !self.hides(person_id(item)))
            .collect()
    }

    /// `items` without the hidden cases' lines, for lines that carry only the CRN.
    pub fn leave_out_crns<T>(&self, items: Vec<T>, crn: impl Fn(&T) -> &str) -> Vec<T> {
        if self.is_empty() {
            return items;
        }
        items
            .into_iter()
            .filter(|item| !self.hides_crn(crn(item)))
            .collect()
    }

    /// The hidden people's ids as stored, for a query's `NOT IN` (`people::id.ne_all(…)`), so a
    /// list paged in SQL pages and counts without them.
    pub fn stored_ids(&self) -> Vec<String> {
        self.person_ids.iter().map(Uuid::to_string).collect()
    }
}

/// The cases hidden from `actor` by limited access, in one query.
pub fn hidden_from(conn: &mut AnyConnection, actor: &Actor) -> StorageResult<HiddenCases> {
    let me = actor.staff_id.to_string();
    let rows = case_access_limits::table
        .inner_join(people::table.inner_join(pdus::table))
        .filter(case_access_limits::removed_at.is_null())
        .filter(
            case_access_limits::list
                .eq(LimitList::Restriction.code())
                .or(case_access_limits::staff_id.eq(&me)),
        )
        .select((
            people::id,
            people::crn,
            people::pdu_id,
            pdus::region_id,
            case_access_limits::list,
            case_access_limits::staff_id,
        ))
        .load::<(String, String, String, String, String, String)>(conn)?;
    let mut cases: HashMap<String, (String, CaseLocation, Limits)> = HashMap::new();
    for (person, crn, pdu, region, list, staff_id) in rows {
        let entry = match cases.entry(person) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(entry) => {
                let location = CaseLocation {
                    region: rows::id(&region)?,
                    pdu: rows::id(&pdu)?,
                    team: None,
                };
                entry.insert((crn, location, Limits::none()))
            }
        };
        push(&mut entry.2, &list, &staff_id)?;
    }
    let mut hidden = HiddenCases::default();
    for (person, (crn, location, limits)) in cases {
        if !check(actor, &location, &limits).is_allowed() {
            hidden.person_ids.insert(rows::id(&person)?);
            hidden.crns.insert(crn);
        }
    }
    Ok(hidden)
}

/// A current entry on one of a case's lists, as the page that keeps them shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitEntry {
    pub id: Uuid,
    pub list: LimitList,
    pub staff_id: Uuid,
    pub staff_name: String,
    pub username: Option<String>,
    pub reason: String,
    pub added_by: String,
    pub added_at: NaiveDateTime,
}

/// A case's current entries, oldest first (two queries: the entries with whom they name, and the
/// names of who added them).
pub fn entries(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<LimitEntry>> {
    let rows = case_access_limits::table
        .inner_join(staff::table.on(staff::id.eq(case_access_limits::staff_id)))
        .filter(case_access_limits::person_id.eq(person_id.to_string()))
        .filter(case_access_limits::removed_at.is_null())
        .order((case_access_limits::added_at, case_access_limits::id))
        .select((
            case_access_limits::id,
            case_access_limits::list,
            case_access_limits::staff_id,
            staff::first_name,
            staff::last_name,
            staff::username,
            case_access_limits::reason,
            case_access_limits::added_by,
            case_access_limits::added_at,
        ))
        .load::<(
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            String,
            String,
            NaiveDateTime,
        )>(conn)?;
    let adders: Vec<&String> = rows.iter().map(|row| &row.7).collect();
    let names: HashMap<String, String> = staff::table
        .filter(staff::id.eq_any(adders))
        .select((staff::id, staff::first_name, staff::last_name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, first, last)| (id, format!("{first} {last}")))
        .collect();
    rows.into_iter()
        .map(
            |(id, list, staff_id, first, last, username, reason, added_by, added_at)| {
                Ok(LimitEntry {
                    id: rows::id(&id)?,
                    list: LimitList::parse(&list).ok_or_else(|| {
                        StorageError::Corrupt(format!("unknown limit list {list}"))
                    })?,
                    staff_id: rows::id(&staff_id)?,
                    staff_name: format!("{first} {last}"),
                    username,
                    reason,
                    added_by: names.get(&added_by).cloned().unwrap_or_default(),
                    added_at,
                })
            },
        )
        .collect()
}

/// Adds `staff_id` to `list` of the case, with the reason; the caller has checked the addition
/// with `keepsafe_domain::access::limited::check_addition` in the same transaction.
pub fn add(
    conn: &mut AnyConnection,
    person_id: Uuid,
    staff_id: Uuid,
    list: LimitList,
    reason: &str,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(case_access_limits::table)
        .values((
            case_access_limits::id.eq(id.to_string()),
            case_access_limits::person_id.eq(person_id.to_string()),
            case_access_limits::staff_id.eq(staff_id.to_string()),
            case_access_limits::list.eq(list.code()),
            case_access_limits::reason.eq(reason.trim()),
            case_access_limits::added_by.eq(by.to_string()),
            case_access_limits::added_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Removes a current entry of the case, keeping the row with who removed it and when. `None`
/// when there is no such current entry (removed meanwhile, or of another case).
pub fn remove(
    conn: &mut AnyConnection,
    person_id: Uuid,
    entry: Uuid,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Option<(LimitList, Uuid)>> {
    let found = case_access_limits::table
        .filter(case_access_limits::id.eq(entry.to_string()))
        .filter(case_access_limits::person_id.eq(person_id.to_string()))
        .filter(case_access_limits::removed_at.is_null())
        .select((case_access_limits::list, case_access_limits::staff_id))
        .first::<(String, String)>(conn)
        .optional()?;
    let Some((list, staff_id)) = found else {
        return Ok(None);
    };
    let changed = diesel::update(
        case_access_limits::table
            .filter(case_access_limits::id.eq(entry.to_string()))
            .filter(case_access_limits::removed_at.is_null()),
    )
    .set((
        case_access_limits::removed_by.eq(Some(by.to_string())),
        case_access_limits::removed_at.eq(Some(now.naive_utc())),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(None);
    }
    let list = LimitList::parse(&list)
        .ok_or_else(|| StorageError::Corrupt(format!("unknown limit list {list}")))?;
    Ok(Some((list, rows::id(&staff_id)?)))
}

/// The member of staff managing the case now, if anyone (for the rules on the lists).
pub fn allocated_to(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Option<Uuid>> {
    use crate::schema::allocations;
    let staff_id: Option<String> = allocations::table
        .filter(allocations::person_id.eq(person_id.to_string()))
        .filter(allocations::end_date.is_null())
        .select(allocations::staff_id)
        .first(conn)
        .optional()?;
    rows::opt_id(staff_id.as_deref())
}
