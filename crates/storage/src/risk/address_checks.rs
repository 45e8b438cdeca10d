//! Curfew and home-address suitability checks (reference §5). Storage keeps what the officer has
//! recorded and gathers what the domain's assessment also reads — the police and children's-services
//! checks for the address, registrations concerning children, sex-offender notification — into the
//! domain's [`AddressCheck`]; whether the address is suitable, and whether it may be approved, is the
//! domain's ([`keepsafe_domain::address_suitability`]).

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{
    address_check_references, address_check_residents, address_checks, addresses, registrations,
};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::address::AddressStatus;
use keepsafe_domain::address_suitability::{
    AddressCheck, AddressResident, CheckEvidence, CurfewPurpose, DatedNote, Judgement,
    OccupierConsent, ProposedAddress, ResidentAge, UnsuitabilityReason,
};
use keepsafe_domain::partner::RequestStatus;
use keepsafe_domain::registration::{MappaCategory, RegistrationKind};
use keepsafe_domain::rosh::CheckReference;
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// A new proposed address, typed in when the check is started.
#[derive(Debug, Clone)]
pub struct NewAddress {
    pub line1: String,
    pub town: String,
    pub postcode: String,
}

/// Starts a check of an address for `purpose`: a new proposed address is added to the person's
/// record (as "proposed", so it is nobody's current address until they move in).
pub fn start(
    conn: &mut AnyConnection,
    person_id: Uuid,
    address: &NewAddress,
    purpose: CurfewPurpose,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let address_id = Uuid::new_v4();
    diesel::insert_into(addresses::table)
        .values((
            addresses::id.eq(address_id.to_string()),
            addresses::person_id.eq(person_id.to_string()),
            addresses::line1.eq(&address.line1),
            addresses::line2.eq(None::<String>),
            addresses::town.eq(&address.town),
            addresses::postcode.eq(&address.postcode),
            addresses::status.eq(AddressStatus::Proposed.code()),
            addresses::start_date.eq(now.date_naive()),
            addresses::end_date.eq(None::<NaiveDate>),
        ))
        .execute(conn)?;
    let id = Uuid::new_v4();
    diesel::insert_into(address_checks::table)
        .values((
            address_checks::id.eq(id.to_string()),
            address_checks::person_id.eq(person_id.to_string()),
            address_checks::address_id.eq(address_id.to_string()),
            address_checks::purpose.eq(purpose.code()),
            address_checks::victim_at_or_near.eq(false),
            address_checks::created_by.eq(by.to_string()),
            address_checks::created_at.eq(now.naive_utc()),
            address_checks::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// A stored check, as the domain reads it, with its approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAddressCheck {
    pub id: Uuid,
    pub person_id: Uuid,
    pub check: AddressCheck,
    pub approved_on: Option<NaiveDate>,
    pub updated_at: NaiveDateTime,
}

/// One line of the person's address checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressCheckSummary {
    pub id: Uuid,
    pub purpose: CurfewPurpose,
    pub address: String,
    pub approved_on: Option<NaiveDate>,
    pub judgement: Option<String>,
}

/// The person's address checks, newest first.
pub fn for_person(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<Vec<AddressCheckSummary>> {
    address_checks::table
        .inner_join(addresses::table.on(addresses::id.eq(address_checks::address_id)))
        .filter(address_checks::person_id.eq(person_id.to_string()))
        .order(address_checks::created_at.desc())
        .select((
            address_checks::id,
            address_checks::purpose,
            addresses::line1,
            addresses::town,
            address_checks::approved_on,
            address_checks::judgement,
        ))
        .load::<(
            String,
            String,
            String,
            String,
            Option<NaiveDate>,
            Option<String>,
        )>(conn)?
        .into_iter()
        .map(|(id, purpose, line1, town, approved_on, judgement)| {
            Ok(AddressCheckSummary {
                id: rows::id(&id)?,
                purpose: rows::code(&purpose)?,
                address: format!("{line1}, {town}"),
                approved_on,
                judgement,
            })
        })
        .collect()
}

type CheckRow = (
    (String, String, String, String),
    (
        Option<bool>,
        Option<String>,
        Option<String>,
        Option<NaiveDate>,
    ),
    (Option<bool>, Option<bool>, Option<NaiveDate>, bool),
    (
        Option<NaiveDate>,
        Option<String>,
        Option<NaiveDate>,
        Option<String>,
    ),
    (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<NaiveDate>,
    ),
    NaiveDateTime,
);

fn text(value: Option<String>) -> StorageResult<LongText> {
    LongText::optional(value.as_deref().unwrap_or(""))
        .map_err(|e| StorageError::Corrupt(e.to_string()))
}

fn note(on: Option<NaiveDate>, value: Option<String>) -> StorageResult<Option<DatedNote>> {
    match (on, value) {
        (Some(on), Some(value)) if !value.trim().is_empty() => Ok(Some(DatedNote {
            on,
            note: text(Some(value))?,
        })),
        _ => Ok(None),
    }
}

/// Loads one of the person's checks with everything the domain's assessment reads.
pub fn load(
    conn: &mut AnyConnection,
    person_id: Uuid,
    check_id: Uuid,
    today: NaiveDate,
) -> StorageResult<StoredAddressCheck> {
    let key = check_id.to_string();
    let row: CheckRow = address_checks::table
        .filter(address_checks::id.eq(&key))
        .filter(address_checks::person_id.eq(person_id.to_string()))
        .select((
            (
                address_checks::id,
                address_checks::person_id,
                address_checks::address_id,
                address_checks::purpose,
            ),
            (
                address_checks::person_is_occupier,
                address_checks::main_occupier,
                address_checks::occupier_consent,
                address_checks::consent_confirmed_on,
            ),
            (
                address_checks::cautioned_against_resident,
                address_checks::electricity_supply,
                address_checks::home_visit_on,
                address_checks::victim_at_or_near,
            ),
            (
                address_checks::victim_liaison_on,
                address_checks::victim_liaison_note,
                address_checks::risk_note_on,
                address_checks::risk_note,
            ),
            (
                address_checks::judgement,
                address_checks::judgement_note,
                address_checks::unsuitability_reason,
                address_checks::approved_on,
            ),
            address_checks::updated_at,
        ))
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    let (
        (_, _, address_id, purpose),
        (occupier, main_occupier, consent, confirmed),
        rest,
        notes,
        judged,
        updated_at,
    ) = row;
    let (cautioned, electricity, home_visit, victim_near) = rest;
    let (liaison_on, liaison_note, risk_on, risk_note) = notes;
    let (judgement, judgement_note, reason, approved_on) = judged;
    let (line1, town, postcode): (String, String, String) = addresses::table
        .find(&address_id)
        .select((addresses::line1, addresses::town, addresses::postcode))
        .first(conn)?;
    let residents = address_check_residents::table
        .filter(address_check_residents::check_id.eq(&key))
        .order(address_check_residents::position.asc())
        .select((
            address_check_residents::name,
            address_check_residents::relationship,
            address_check_residents::date_of_birth,
            address_check_residents::age_years,
            address_check_residents::sex,
        ))
        .load::<(
            String,
            String,
            Option<NaiveDate>,
            Option<i32>,
            Option<String>,
        )>(conn)?
        .into_iter()
        .enumerate()
        .map(|(i, (name, relationship, born, years, sex))| {
            Ok(AddressResident {
                id: Uuid::from_u128(i as u128 + 1),
                name,
                relationship: rows::code(&relationship)?,
                age: match (born, years) {
                    (Some(born), _) => Some(ResidentAge::DateOfBirth(born)),
                    (None, Some(years)) => Some(ResidentAge::Years(years.max(0) as u32)),
                    (None, None) => None,
                },
                sex: rows::opt_code(sex.as_deref())?,
            })
        })
        .collect::<StorageResult<Vec<_>>>()?;
    let references = address_check_references::table
        .filter(address_check_references::check_id.eq(&key))
        .select((
            address_check_references::request_id,
            address_check_references::note,
        ))
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(request, note)| {
            Ok(CheckReference {
                check_id: rows::id(&request)?,
                note: text(Some(note))?,
            })
        })
        .collect::<StorageResult<Vec<_>>>()?;
    let checks = crate::risk::checks::for_person(conn, person_id)?
        .iter()
        .filter_map(evidence)
        .collect();
    let registered: Vec<(String, Option<String>)> = registrations::table
        .filter(registrations::person_id.eq(person_id.to_string()))
        .filter(
            registrations::ended_on
                .is_null()
                .or(registrations::ended_on.gt(today)),
        )
        .select((registrations::kind, registrations::mappa_category))
        .load(conn)?;
    let child_concern_registration = registered
        .iter()
        .any(|(kind, _)| RegistrationKind::parse(kind).is_ok_and(|k| k.concerns_children()));
    let sex_offender_notification = registered.iter().any(|(_, category)| {
        category.as_deref() == Some(MappaCategory::RegisteredSexOffender.code())
    });
    let judgement = match judgement.as_deref() {
        Some("suitable") => Some(Judgement::Suitable {
            note: text(judgement_note)?,
        }),
        Some("unsuitable") => Some(Judgement::Unsuitable {
            reason: rows::code::<UnsuitabilityReason>(reason.as_deref().unwrap_or("other"))?,
            detail: text(judgement_note)?,
        }),
        _ => None,
    };
    Ok(StoredAddressCheck {
        id: check_id,
        person_id,
        check: AddressCheck {
            purpose: rows::code(&purpose)?,
            address: ProposedAddress {
                id: rows::id(&address_id)?,
                description: format!("{line1}, {town} {postcode}"),
            },
            person_is_occupier: occupier,
            main_occupier,
            occupier_consent: match consent.as_deref() {
                Some("given") => Some(OccupierConsent::Given {
                    confirmed_with_occupier_on: confirmed,
                }),
                Some("refused") => Some(OccupierConsent::Refused),
                _ => None,
            },
            residents,
            cautioned_against_resident: cautioned,
            electricity_supply: electricity,
            home_visit_on: home_visit,
            victim_at_or_near: victim_near,
            victim_liaison: note(liaison_on, liaison_note)?,
            checks,
            check_references: references,
            child_concern_registration,
            sex_offender_notification,
            risk_to_women_and_children: note(risk_on, risk_note)?,
            judgement,
        },
        approved_on,
        updated_at,
    })
}

/// A recorded check (sent to a partner or recorded by the practitioner) as the address gates see
/// it; `None` for an occupier check, which the rules do not ask for.
fn evidence(record: &crate::risk::checks::CheckRecord) -> Option<CheckEvidence> {
    let (status, closed_on) = match (&record.partner, &record.response) {
        (Some(partner), _) => (partner.status, partner.closed_on),
        (None, Some(response)) => (RequestStatus::Responded, Some(response.received_on)),
        (None, None) => (RequestStatus::Sent, None),
    };
    Some(CheckEvidence {
        request_id: record.id,
        kind: record.check_kind()?,
        address_id: record.address_id,
        status,
        sent_on: Some(record.requested_on),
        due_by: Some(record.deadline),
        closed_on,
    })
}

/// Replaces what the officer has recorded (not the approval), guarded by the `updated_at` the form
/// was shown with, so a second officer's save is refused rather than overwritten.
pub fn save(
    conn: &mut AnyConnection,
    id: Uuid,
    shown_at: NaiveDateTime,
    check: &AddressCheck,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let key = id.to_string();
    let (consent, confirmed) = match check.occupier_consent {
        Some(OccupierConsent::Given {
            confirmed_with_occupier_on,
        }) => (Some("given"), confirmed_with_occupier_on),
        Some(OccupierConsent::Refused) => (Some("refused"), None),
        None => (None, None),
    };
    let (judgement, judgement_note, reason) = match &check.judgement {
        Some(Judgement::Suitable { note }) => (Some("suitable"), Some(note.as_str()), None),
        Some(Judgement::Unsuitable { reason, detail }) => (
            Some("unsuitable"),
            Some(detail.as_str()),
            Some(reason.code()),
        ),
        None => (None, None, None),
    };
    let updated = diesel::update(
        address_checks::table
            .filter(address_checks::id.eq(&key))
            .filter(address_checks::updated_at.eq(shown_at))
            .filter(address_checks::approved_on.is_null()),
    )
    .set((
        (
            address_checks::person_is_occupier.eq(check.person_is_occupier),
            address_checks::main_occupier.eq(check.main_occupier.as_deref()),
            address_checks::occupier_consent.eq(consent),
            address_checks::consent_confirmed_on.eq(confirmed),
            address_checks::cautioned_against_resident.eq(check.cautioned_against_resident),
            address_checks::electricity_supply.eq(check.electricity_supply),
            address_checks::home_visit_on.eq(check.home_visit_on),
            address_checks::victim_at_or_near.eq(check.victim_at_or_near),
        ),
        (
            address_checks::victim_liaison_on.eq(check.victim_liaison.as_ref().map(|n| n.on)),
            address_checks::victim_liaison_note
                .eq(check.victim_liaison.as_ref().map(|n| n.note.as_str())),
            address_checks::risk_note_on
                .eq(check.risk_to_women_and_children.as_ref().map(|n| n.on)),
            address_checks::risk_note.eq(check
                .risk_to_women_and_children
                .as_ref()
                .map(|n| n.note.as_str())),
            address_checks::judgement.eq(judgement),
            address_checks::judgement_note.eq(judgement_note),
            address_checks::unsuitability_reason.eq(reason),
            address_checks::updated_at.eq(now.naive_utc()),
        ),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(
            "This address check was changed or approved while you were editing it: reload it to see \
             the latest version"
                .into(),
        ));
    }
    diesel::delete(
        address_check_residents::table.filter(address_check_residents::check_id.eq(&key)),
    )
    .execute(conn)?;
    for (position, resident) in check.residents.iter().enumerate() {
        let (born, years) = match resident.age {
            Some(ResidentAge::DateOfBirth(born)) => (Some(born), None),
            Some(ResidentAge::Years(years)) => (None, Some(years as i32)),
            None => (None, None),
        };
        diesel::insert_into(address_check_residents::table)
            .values((
                address_check_residents::check_id.eq(&key),
                address_check_residents::position.eq(position as i32),
                address_check_residents::name.eq(&resident.name),
                address_check_residents::relationship.eq(resident.relationship.code()),
                address_check_residents::date_of_birth.eq(born),
                address_check_residents::age_years.eq(years),
                address_check_residents::sex.eq(resident.sex.map(|s| s.code())),
            ))
            .execute(conn)?;
    }
    diesel::delete(
        address_check_references::table.filter(address_check_references::check_id.eq(&key)),
    )
    .execute(conn)?;
    for reference in &check.check_references {
        diesel::insert_into(address_check_references::table)
            .values((
                address_check_references::check_id.eq(&key),
                address_check_references::request_id.eq(reference.check_id.to_string()),
                address_check_references::note.eq(reference.note.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Records the approval; callers ask the domain ([`keepsafe_domain::address_suitability::may_approve`])
/// first.
pub fn approve(conn: &mut AnyConnection, id: Uuid, by: Uuid, on: NaiveDate) -> StorageResult<()> {
    let updated = diesel::update(
        address_checks::table
            .filter(address_checks::id.eq(id.to_string()))
            .filter(address_checks::approved_on.is_null()),
    )
    .set((
        address_checks::approved_by.eq(Some(by.to_string())),
        address_checks::approved_on.eq(Some(on)),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(
            "This address has already been approved".into(),
        ));
    }
    Ok(())
}
