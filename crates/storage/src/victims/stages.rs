//! The scheme's stages reached by what happens on a case: a recall, a release, a licence ending.
//! The area that records the event calls [`stage_reached`] in its own transaction.

use super::records::{insert_contact, ContactRow};
use crate::connection::AnyConnection;
use crate::error::StorageResult;
use crate::rows;
use crate::schema::{victim_contacts, victims};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use keepsafe_domain::victims::{VictimContactRules, VictimStage};
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// Makes a "contact due" at `stage`, reached on `on`, for every victim of the case who opted in
/// to the scheme (recorded by `actor` at `now`), due as [`VictimContactRules::contact_due`] says. Idempotent: a victim who already
/// has a contact due for the same stage and day gets no second. Returns how many were made.
pub fn stage_reached(
    conn: &mut AnyConnection,
    person_id: Uuid,
    stage: VictimStage,
    on: NaiveDate,
    actor: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<usize> {
    let rules = VictimContactRules::default();
    let opted_in: Vec<String> = victims::table
        .filter(victims::person_id.eq(person_id.to_string()))
        .filter(victims::opted_in.eq(true))
        .select(victims::id)
        .load(conn)?;
    let already: Vec<String> = victim_contacts::table
        .filter(victim_contacts::victim_id.eq_any(&opted_in))
        .filter(victim_contacts::stage.eq(stage.code()))
        .filter(victim_contacts::stage_on.eq(on))
        .filter(victim_contacts::triggered.eq(true))
        .select(victim_contacts::victim_id)
        .load(conn)?;
    let at = now.naive_utc();
    let mut made = 0;
    for victim in opted_in.iter().filter(|v| !already.contains(v)) {
        insert_contact(
            conn,
            ContactRow {
                id: Uuid::new_v4(),
                victim_id: rows::id(victim)?,
                person_id,
                stage,
                stage_on: on,
                due_on: rules.contact_due(on),
                triggered: true,
                contacted_on: None,
                notes: "",
                by: actor,
                at,
            },
        )?;
        made += 1;
    }
    Ok(made)
}
