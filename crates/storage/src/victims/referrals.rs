//! The case's referral to the victim contact service: made (when, by whom) or declined by the
//! victim (when, why), and whether the court made a hospital order.

use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::schema::{staff, victim_referrals};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

/// Where the referral stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Referral {
    pub hospital_order: bool,
    pub made_on: Option<NaiveDate>,
    /// The name of who made it.
    pub made_by: Option<String>,
    pub declined_on: Option<NaiveDate>,
    pub declined_reason: Option<String>,
}

/// What victim liaison records about the referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferralUpdate {
    Made {
        on: NaiveDate,
        hospital_order: bool,
    },
    Declined {
        on: NaiveDate,
        reason: String,
        hospital_order: bool,
    },
    /// Only whether there was a hospital order; the referral is still to make.
    NotYet {
        hospital_order: bool,
    },
}

type Row = (
    String,
    bool,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<String>,
);

/// The referrals of these people, keyed by person id: one query per 500 people.
pub fn for_people(
    conn: &mut AnyConnection,
    person_ids: &[String],
) -> StorageResult<std::collections::HashMap<String, Referral>> {
    let mut found = std::collections::HashMap::new();
    for chunk in person_ids.chunks(500) {
        let rows: Vec<(Row, Option<(String, String)>)> = victim_referrals::table
            .left_join(staff::table.on(victim_referrals::made_by.eq(staff::id.nullable())))
            .filter(victim_referrals::person_id.eq_any(chunk))
            .select((
                (
                    victim_referrals::person_id,
                    victim_referrals::hospital_order,
                    victim_referrals::made_on,
                    victim_referrals::declined_on,
                    victim_referrals::declined_reason,
                ),
                (staff::first_name, staff::last_name).nullable(),
            ))
            .load(conn)?;
        for ((person, hospital_order, made_on, declined_on, declined_reason), by) in rows {
            found.insert(
                person,
                Referral {
                    hospital_order,
                    made_on,
                    made_by: by.map(|(first, last)| format!("{first} {last}")),
                    declined_on,
                    declined_reason,
                },
            );
        }
    }
    Ok(found)
}

/// The case's referral (the default when nothing is recorded).
pub fn load(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Referral> {
    Ok(for_people(conn, &[person_id.to_string()])?
        .remove(&person_id.to_string())
        .unwrap_or_default())
}

/// Records where the referral stands, replacing what was recorded.
pub fn save(
    conn: &mut AnyConnection,
    person_id: Uuid,
    update: &ReferralUpdate,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let (hospital_order, made_on, made_by, declined_on, declined_reason) = match update {
        ReferralUpdate::Made { on, hospital_order } => {
            (*hospital_order, Some(*on), Some(by.to_string()), None, None)
        }
        ReferralUpdate::Declined {
            on,
            reason,
            hospital_order,
        } => (*hospital_order, None, None, Some(*on), Some(reason.clone())),
        ReferralUpdate::NotYet { hospital_order } => (*hospital_order, None, None, None, None),
    };
    let person = person_id.to_string();
    diesel::delete(victim_referrals::table.find(&person)).execute(conn)?;
    diesel::insert_into(victim_referrals::table)
        .values((
            victim_referrals::person_id.eq(&person),
            victim_referrals::hospital_order.eq(hospital_order),
            victim_referrals::made_on.eq(made_on),
            victim_referrals::made_by.eq(made_by),
            victim_referrals::declined_on.eq(declined_on),
            victim_referrals::declined_reason.eq(declined_reason),
            victim_referrals::updated_by.eq(by.to_string()),
            victim_referrals::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}
