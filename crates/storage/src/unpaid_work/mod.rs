//! Unpaid work (Community Payback, issue 18; the rules are in `keepsafe_domain::unpaid_work`):
//! projects and their sessions (`projects`), allocating people to sessions and recording their
//! attendance (`sessions`), and the orders' progress — a case's hours and the cases behind pace
//! (`orders`). Migration 28.

pub mod orders;
pub mod projects;
pub mod sessions;

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::schema::upw_rules;
use chrono::NaiveDate;
use diesel::prelude::*;
use keepsafe_domain::unpaid_work::UnpaidWorkRules;

type RulesRow = (String, Option<NaiveDate>, i32, i32, i32, i32, i32);

fn count(value: i32) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

/// The unpaid work rules in force on `today` (the latest version in effect; keepsafe's defaults
/// when none is stored).
pub fn rules(conn: &mut AnyConnection, today: NaiveDate) -> StorageResult<UnpaidWorkRules> {
    let row = upw_rules::table
        .filter(upw_rules::effective_from.le(today))
        .order(upw_rules::effective_from.desc())
        .select((
            upw_rules::version,
            upw_rules::limit_removed_from,
            upw_rules::ete_share_percent,
            upw_rules::max_travel_minutes,
            upw_rules::pace_lookback_weeks,
            upw_rules::minimum_weekly_hours,
            upw_rules::settling_in_weeks,
        ))
        .first::<RulesRow>(conn)
        .optional()?;
    Ok(match row {
        None => UnpaidWorkRules::default(),
        Some(row) => UnpaidWorkRules {
            version: row.0,
            limit_removed_from: row.1,
            ete_share_percent: count(row.2),
            max_travel_minutes: count(row.3),
            pace_lookback_weeks: count(row.4),
            minimum_weekly_hours: count(row.5),
            settling_in_weeks: count(row.6),
        },
    })
}

/// Stores a new version of the rules, in force from `effective_from` (replacing one stored for
/// the same day). How a commencement date for the 2026 Act is set.
pub fn set_rules(
    conn: &mut AnyConnection,
    effective_from: NaiveDate,
    rules: &UnpaidWorkRules,
) -> StorageResult<()> {
    diesel::delete(upw_rules::table.filter(upw_rules::effective_from.eq(effective_from)))
        .execute(conn)?;
    let int = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    diesel::insert_into(upw_rules::table)
        .values((
            upw_rules::effective_from.eq(effective_from),
            upw_rules::version.eq(&rules.version),
            upw_rules::limit_removed_from.eq(rules.limit_removed_from),
            upw_rules::ete_share_percent.eq(int(rules.ete_share_percent)),
            upw_rules::max_travel_minutes.eq(int(rules.max_travel_minutes)),
            upw_rules::pace_lookback_weeks.eq(int(rules.pace_lookback_weeks)),
            upw_rules::minimum_weekly_hours.eq(int(rules.minimum_weekly_hours)),
            upw_rules::settling_in_weeks.eq(int(rules.settling_in_weeks)),
        ))
        .execute(conn)?;
    Ok(())
}
