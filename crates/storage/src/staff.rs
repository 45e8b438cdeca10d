//! Staff and their sign-in accounts.

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{pdus, staff, teams};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::access::Actor;
use keepsafe_domain::staff::{ContractedHours, Grade, Username};
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// A member of staff as sign-in and authorisation need them.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffAccount {
    pub id: Uuid,
    pub username: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub grade: Grade,
    pub region_id: Uuid,
    pub pdu_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub password_hash: Option<String>,
    pub active: bool,
    pub locked_until: Option<DateTime<Utc>>,
    /// For partner users (grade partner): their organisation and role.
    pub partner: Option<(Uuid, keepsafe_domain::partner::PartnerRole)>,
}

impl StaffAccount {
    pub fn display_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    pub fn actor(&self) -> Actor {
        Actor {
            staff_id: self.id,
            grade: self.grade,
            region: self.region_id,
            pdu: self.pdu_id,
            team: self.team_id,
        }
    }
}

type AccountRow = (
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    bool,
    Option<NaiveDateTime>,
    Option<String>,
    Option<String>,
);

type AccountColumns = (
    staff::id,
    staff::username,
    staff::first_name,
    staff::last_name,
    staff::grade,
    staff::region_id,
    staff::pdu_id,
    staff::team_id,
    staff::password_hash,
    staff::active,
    staff::locked_until,
    staff::partner_organisation_id,
    staff::partner_role,
);

const ACCOUNT_COLUMNS: AccountColumns = (
    staff::id,
    staff::username,
    staff::first_name,
    staff::last_name,
    staff::grade,
    staff::region_id,
    staff::pdu_id,
    staff::team_id,
    staff::password_hash,
    staff::active,
    staff::locked_until,
    staff::partner_organisation_id,
    staff::partner_role,
);

fn account(row: AccountRow) -> StorageResult<StaffAccount> {
    let (
        id,
        username,
        first_name,
        last_name,
        grade,
        region,
        pdu,
        team,
        hash,
        active,
        locked,
        partner_org,
        partner_role,
    ) = row;
    let partner = match (partner_org, partner_role) {
        (Some(org), Some(role)) => Some((rows::id(&org)?, rows::code(&role)?)),
        _ => None,
    };
    Ok(StaffAccount {
        id: rows::id(&id)?,
        username,
        first_name,
        last_name,
        grade: rows::code(&grade)?,
        region_id: rows::id(&region)?,
        pdu_id: rows::opt_id(pdu.as_deref())?,
        team_id: rows::opt_id(team.as_deref())?,
        password_hash: hash,
        active,
        locked_until: locked.map(|t| t.and_utc()),
        partner,
    })
}

pub fn find_by_username(
    conn: &mut AnyConnection,
    username: &Username,
) -> StorageResult<Option<StaffAccount>> {
    staff::table
        .filter(staff::username.eq(username.as_str()))
        .select(ACCOUNT_COLUMNS)
        .first::<AccountRow>(conn)
        .optional()?
        .map(account)
        .transpose()
}

pub fn find(conn: &mut AnyConnection, id: Uuid) -> StorageResult<StaffAccount> {
    staff::table
        .find(id.to_string())
        .select(ACCOUNT_COLUMNS)
        .first::<AccountRow>(conn)
        .optional()?
        .map(account)
        .transpose()?
        .ok_or(StorageError::NotFound)
}

/// Where a new account sits in the organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub region_id: Uuid,
    pub pdu_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
}

/// A new account, already validated by the domain types.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: Username,
    pub first_name: String,
    pub last_name: String,
    pub grade: Grade,
    pub contracted_hours: ContractedHours,
    pub placement: Placement,
    pub password_hash: String,
}

/// Adds a member of staff with a sign-in account. A taken username is a [`StorageError::Conflict`].
pub fn add_account(
    conn: &mut AnyConnection,
    account: &NewAccount,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let taken: i64 = staff::table
        .filter(staff::username.eq(account.username.as_str()))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(StorageError::Conflict(format!(
            "The username '{}' is already taken",
            account.username.as_str()
        )));
    }
    let id = Uuid::new_v4();
    diesel::insert_into(staff::table)
        .values((
            staff::id.eq(id.to_string()),
            staff::first_name.eq(&account.first_name),
            staff::last_name.eq(&account.last_name),
            staff::grade.eq(account.grade.code()),
            staff::contracted_hours.eq(account.contracted_hours.hours()),
            staff::region_id.eq(account.placement.region_id.to_string()),
            staff::pdu_id.eq(account.placement.pdu_id.map(|p| p.to_string())),
            staff::team_id.eq(account.placement.team_id.map(|t| t.to_string())),
            staff::username.eq(account.username.as_str()),
            staff::password_hash.eq(&account.password_hash),
            staff::active.eq(true),
            staff::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Replaces a password and lifts any lockout.
pub fn set_password(
    conn: &mut AnyConnection,
    username: &Username,
    password_hash: &str,
) -> StorageResult<Uuid> {
    let id: String = staff::table
        .filter(staff::username.eq(username.as_str()))
        .select(staff::id)
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    diesel::update(staff::table.find(&id))
        .set((
            staff::password_hash.eq(password_hash),
            staff::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    rows::id(&id)
}

pub fn set_locked_until(
    conn: &mut AnyConnection,
    id: Uuid,
    until: Option<DateTime<Utc>>,
) -> StorageResult<()> {
    diesel::update(staff::table.find(id.to_string()))
        .set(staff::locked_until.eq(until.map(|t| t.naive_utc())))
        .execute(conn)?;
    Ok(())
}

/// One account as the list of accounts shows it (`keepsafe user list`, the administrators' page).
#[derive(Debug, Clone, PartialEq)]
pub struct AccountListing {
    pub id: Uuid,
    pub username: String,
    pub name: String,
    pub grade: Grade,
    pub team: Option<String>,
    pub pdu: Option<String>,
    pub active: bool,
    pub locked_until: Option<DateTime<Utc>>,
}

/// What the administrators' list of accounts is narrowed to; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountSearch {
    /// Part of the name ("pat smi") or of the username, in any case.
    pub text: Option<String>,
    pub grade: Option<Grade>,
    pub team_id: Option<Uuid>,
}

diesel::define_sql_function! {
    /// SQL `lower`, so the search ignores case on PostgreSQL as on SQLite.
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

type ListingRow = (
    String,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    bool,
    Option<NaiveDateTime>,
);

/// Every member of staff who has a sign-in account, by username.
pub fn list_accounts(conn: &mut AnyConnection) -> StorageResult<Vec<AccountListing>> {
    search_accounts(conn, &AccountSearch::default(), 0, i64::MAX)
}

/// The accounts `search` matches, by username, skipping `offset` and taking `limit`: one page of
/// the administrators' list (ask for one more than a page to know whether there is a next).
pub fn search_accounts(
    conn: &mut AnyConnection,
    search: &AccountSearch,
    offset: i64,
    limit: i64,
) -> StorageResult<Vec<AccountListing>> {
    let mut query = staff::table
        .left_join(teams::table.on(staff::team_id.eq(teams::id.nullable())))
        .left_join(pdus::table.on(staff::pdu_id.eq(pdus::id.nullable())))
        .filter(staff::username.is_not_null())
        .into_boxed();
    if let Some(text) = search
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let pattern = format!(
            "%{}%",
            text.to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        query = query.filter(
            lower(staff::first_name.concat(" ").concat(staff::last_name))
                .like(pattern.clone())
                .escape('\\')
                .or(staff::username.like(pattern).escape('\\')),
        );
    }
    if let Some(grade) = search.grade {
        query = query.filter(staff::grade.eq(grade.code()));
    }
    if let Some(team) = search.team_id {
        query = query.filter(staff::team_id.eq(team.to_string()));
    }
    let rows = query
        .order(staff::username.asc())
        .offset(offset)
        .limit(limit)
        .select((
            staff::id,
            staff::username,
            staff::first_name,
            staff::last_name,
            staff::grade,
            teams::name.nullable(),
            pdus::name.nullable(),
            staff::active,
            staff::locked_until,
        ))
        .load::<ListingRow>(conn)?;
    rows.into_iter()
        .map(
            |(id, username, first, last, grade, team, pdu, active, locked)| {
                Ok(AccountListing {
                    id: rows::id(&id)?,
                    username: username.unwrap_or_default(),
                    name: format!("{first} {last}"),
                    grade: rows::code(&grade)?,
                    team,
                    pdu,
                    active,
                    locked_until: locked.map(|t| t.and_utc()),
                })
            },
        )
        .collect()
}

/// The contracted hours of a member of staff, as the account page shows them.
/// How many cases a member of staff holds now (allocations not ended): an account that still
/// holds cases should not be switched off without someone taking them on.
pub fn cases_held(conn: &mut AnyConnection, id: Uuid) -> StorageResult<i64> {
    use crate::schema::allocations;
    Ok(allocations::table
        .filter(allocations::staff_id.eq(id.to_string()))
        .filter(allocations::end_date.is_null())
        .count()
        .get_result(conn)?)
}

pub fn contracted_hours(conn: &mut AnyConnection, id: Uuid) -> StorageResult<f64> {
    staff::table
        .find(id.to_string())
        .select(staff::contracted_hours)
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)
}

/// Lets an account sign in again, or stops it (the caller ends its sessions). Nothing else about
/// the member of staff changes: their records and history stay theirs.
pub fn set_active(conn: &mut AnyConnection, id: Uuid, active: bool) -> StorageResult<()> {
    let changed = diesel::update(staff::table.find(id.to_string()))
        .set(staff::active.eq(active))
        .execute(conn)?;
    if changed == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// Gives a member of staff a new grade and place (a team for team grades, a PDU for heads of PDU,
/// a region otherwise), as [`Placement`] says: what they may see follows from both.
pub fn change_role(
    conn: &mut AnyConnection,
    id: Uuid,
    grade: Grade,
    placement: &Placement,
) -> StorageResult<()> {
    let changed = diesel::update(staff::table.find(id.to_string()))
        .set((
            staff::grade.eq(grade.code()),
            staff::region_id.eq(placement.region_id.to_string()),
            staff::pdu_id.eq(placement.pdu_id.map(|p| p.to_string())),
            staff::team_id.eq(placement.team_id.map(|t| t.to_string())),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}
