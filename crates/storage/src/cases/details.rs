//! Personal details kept current: names, gender, contact details, language; aliases;
//! disabilities and the adjustments agreed; personal contacts (next of kin, GP, professionals);
//! and corrections of the date of birth, each with its reason.
//!
//! Nothing here is deleted: an alias, a disability or a contact is ended, so a name once used
//! can still be checked and the record shows what was known when. Every writer returns what was
//! there before, so the caller's audit row can say before and after.

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{
    people, person_aliases, person_corrections, person_disabilities, personal_contacts, staff,
};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::person::{DateOfBirthCorrection, DisabilityKind, Gender, PersonalContactKind};
use keepsafe_domain::CodedValue;
use uuid::Uuid;

/// The personal details a practitioner keeps up to date (the CRN, sex and PDU are not among
/// them: they are set when the case is created or moved).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonalDetails {
    pub first_name: String,
    pub last_name: String,
    pub preferred_name: Option<String>,
    pub gender: Option<Gender>,
    pub gender_self_description: Option<String>,
    pub telephone: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub preferred_language: Option<String>,
    pub interpreter_needed: bool,
}

impl PersonalDetails {
    /// Each field that differs from `before`, as "field: before → after", for the audit row.
    pub fn changes_from(&self, before: &PersonalDetails) -> Vec<String> {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        let gender = |value: Option<Gender>| value.map(|g| g.code().to_owned()).unwrap_or_default();
        let pairs = [
            (
                "first_name",
                before.first_name.clone(),
                self.first_name.clone(),
            ),
            (
                "last_name",
                before.last_name.clone(),
                self.last_name.clone(),
            ),
            (
                "preferred_name",
                text(&before.preferred_name),
                text(&self.preferred_name),
            ),
            ("gender", gender(before.gender), gender(self.gender)),
            (
                "gender_self_description",
                text(&before.gender_self_description),
                text(&self.gender_self_description),
            ),
            ("telephone", text(&before.telephone), text(&self.telephone)),
            ("mobile", text(&before.mobile), text(&self.mobile)),
            ("email", text(&before.email), text(&self.email)),
            (
                "preferred_language",
                text(&before.preferred_language),
                text(&self.preferred_language),
            ),
            (
                "interpreter_needed",
                before.interpreter_needed.to_string(),
                self.interpreter_needed.to_string(),
            ),
        ];
        pairs
            .into_iter()
            .filter(|(_, old, new)| old != new)
            .map(|(field, old, new)| change(field, &old, &new))
            .collect()
    }
}

/// One field's change as the audit log shows it: `field: "before" → "after"`.
pub fn change(field: &str, before: &str, after: &str) -> String {
    format!("{field}: {before:?} → {after:?}")
}

type DetailsRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    bool,
);

/// The person's personal details.
pub fn personal_details(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<PersonalDetails> {
    let row = people::table
        .find(person_id.to_string())
        .select((
            people::first_name,
            people::last_name,
            people::preferred_name,
            people::gender,
            people::gender_self_description,
            people::telephone,
            people::mobile,
            people::email,
            people::preferred_language,
            people::interpreter_needed,
        ))
        .first::<DetailsRow>(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    Ok(PersonalDetails {
        first_name: row.0,
        last_name: row.1,
        preferred_name: row.2,
        gender: rows::opt_code(row.3.as_deref())?,
        gender_self_description: row.4,
        telephone: row.5,
        mobile: row.6,
        email: row.7,
        preferred_language: row.8,
        interpreter_needed: row.9,
    })
}

/// Replaces the person's personal details, returning what they were.
pub fn update_personal_details(
    conn: &mut AnyConnection,
    person_id: Uuid,
    details: &PersonalDetails,
) -> StorageResult<PersonalDetails> {
    let before = personal_details(conn, person_id)?;
    diesel::update(people::table.find(person_id.to_string()))
        .set((
            people::first_name.eq(&details.first_name),
            people::last_name.eq(&details.last_name),
            people::preferred_name.eq(&details.preferred_name),
            people::gender.eq(details.gender.map(|g| g.code())),
            people::gender_self_description.eq(&details.gender_self_description),
            people::telephone.eq(&details.telephone),
            people::mobile.eq(&details.mobile),
            people::email.eq(&details.email),
            people::preferred_language.eq(&details.preferred_language),
            people::interpreter_needed.eq(details.interpreter_needed),
        ))
        .execute(conn)?;
    Ok(before)
}

/// The date of birth as recorded, which a correction starts from.
pub fn date_of_birth(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<NaiveDate> {
    people::table
        .find(person_id.to_string())
        .select(people::date_of_birth)
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)
}

/// Corrects the date of birth, keeping the correction and its reason, and recomputes the
/// predictors (OGRS3 reads the age) in the same transaction. The update is guarded by the date
/// the form was filled in against, so a correction made meanwhile is a conflict, not overwritten.
pub fn correct_date_of_birth(
    conn: &mut AnyConnection,
    person_id: Uuid,
    correction: &DateOfBirthCorrection,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let updated = diesel::update(
        people::table
            .find(person_id.to_string())
            .filter(people::date_of_birth.eq(correction.before)),
    )
    .set(people::date_of_birth.eq(correction.after))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(
            "The date of birth was changed by someone else while you were correcting it: check it and try again".into(),
        ));
    }
    diesel::insert_into(person_corrections::table)
        .values((
            person_corrections::id.eq(Uuid::new_v4().to_string()),
            person_corrections::person_id.eq(person_id.to_string()),
            person_corrections::field.eq("date_of_birth"),
            person_corrections::before_value.eq(correction.before.to_string()),
            person_corrections::after_value.eq(correction.after.to_string()),
            person_corrections::reason.eq(&correction.reason),
            person_corrections::corrected_by.eq(by.to_string()),
            person_corrections::corrected_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    crate::risk::scores::recompute(conn, &[person_id], now.date_naive(), now)?;
    Ok(())
}

/// A correction kept with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionRecord {
    pub field: String,
    pub before: String,
    pub after: String,
    pub reason: String,
    pub corrected_by: String,
    pub corrected_at: NaiveDateTime,
}

/// The person's corrections, newest first.
pub fn corrections(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<Vec<CorrectionRecord>> {
    Ok(person_corrections::table
        .inner_join(staff::table.on(staff::id.eq(person_corrections::corrected_by)))
        .filter(person_corrections::person_id.eq(person_id.to_string()))
        .order(person_corrections::corrected_at.desc())
        .select((
            person_corrections::field,
            person_corrections::before_value,
            person_corrections::after_value,
            person_corrections::reason,
            staff::first_name,
            staff::last_name,
            person_corrections::corrected_at,
        ))
        .load::<(
            String,
            String,
            String,
            String,
            String,
            String,
            NaiveDateTime,
        )>(conn)?
        .into_iter()
        .map(
            |(field, before, after, reason, first, last, corrected_at)| CorrectionRecord {
                field,
                before,
                after,
                reason,
                corrected_by: format!("{first} {last}"),
                corrected_at,
            },
        )
        .collect())
}

/// Another name the person is or was known by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasRecord {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
}

impl AliasRecord {
    /// The alias as the audit log names it.
    pub fn describe(&self) -> String {
        let dob = self
            .date_of_birth
            .map(|d| format!(", born {d}"))
            .unwrap_or_default();
        format!("{} {}{dob}", self.first_name, self.last_name)
    }
}

/// A new alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAlias {
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: Option<NaiveDate>,
}

/// The person's aliases, current first, then by name.
pub fn aliases(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<Vec<AliasRecord>> {
    person_aliases::table
        .filter(person_aliases::person_id.eq(person_id.to_string()))
        .order((
            person_aliases::ended_on.is_not_null(),
            person_aliases::last_name.asc(),
            person_aliases::first_name.asc(),
        ))
        .select((
            person_aliases::id,
            person_aliases::first_name,
            person_aliases::last_name,
            person_aliases::date_of_birth,
            person_aliases::ended_on,
        ))
        .load::<(String, String, String, Option<NaiveDate>, Option<NaiveDate>)>(conn)?
        .into_iter()
        .map(|(id, first_name, last_name, date_of_birth, ended_on)| {
            Ok(AliasRecord {
                id: rows::id(&id)?,
                first_name,
                last_name,
                date_of_birth,
                ended_on,
            })
        })
        .collect()
}

pub fn add_alias(
    conn: &mut AnyConnection,
    person_id: Uuid,
    alias: &NewAlias,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(person_aliases::table)
        .values((
            person_aliases::id.eq(id.to_string()),
            person_aliases::person_id.eq(person_id.to_string()),
            person_aliases::first_name.eq(&alias.first_name),
            person_aliases::last_name.eq(&alias.last_name),
            person_aliases::date_of_birth.eq(alias.date_of_birth),
            person_aliases::created_at.eq(now.naive_utc()),
            person_aliases::created_by.eq(by.to_string()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Ends one of the person's aliases on `today`, returning it as it was. An alias of another
/// person is not found; one already ended is a conflict.
pub fn end_alias(
    conn: &mut AnyConnection,
    person_id: Uuid,
    alias_id: Uuid,
    by: Uuid,
    today: NaiveDate,
) -> StorageResult<AliasRecord> {
    let alias = aliases(conn, person_id)?
        .into_iter()
        .find(|a| a.id == alias_id)
        .ok_or(StorageError::NotFound)?;
    let updated = diesel::update(
        person_aliases::table
            .find(alias_id.to_string())
            .filter(person_aliases::ended_on.is_null()),
    )
    .set((
        person_aliases::ended_on.eq(today),
        person_aliases::ended_by.eq(by.to_string()),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(format!(
            "The alias {} {} has already been ended",
            alias.first_name, alias.last_name
        )));
    }
    Ok(alias)
}

/// A disability or condition and the adjustments agreed for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisabilityRecord {
    pub id: Uuid,
    pub kind: DisabilityKind,
    pub details: String,
    pub adjustments: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

/// A new disability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDisability {
    pub kind: DisabilityKind,
    pub details: String,
    pub adjustments: String,
    pub start_date: NaiveDate,
}

/// The person's disabilities, current first, then the most recent.
pub fn disabilities(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<Vec<DisabilityRecord>> {
    person_disabilities::table
        .filter(person_disabilities::person_id.eq(person_id.to_string()))
        .order((
            person_disabilities::end_date.is_not_null(),
            person_disabilities::start_date.desc(),
        ))
        .select((
            person_disabilities::id,
            person_disabilities::kind,
            person_disabilities::details,
            person_disabilities::adjustments,
            person_disabilities::start_date,
            person_disabilities::end_date,
        ))
        .load::<(String, String, String, String, NaiveDate, Option<NaiveDate>)>(conn)?
        .into_iter()
        .map(|(id, kind, details, adjustments, start_date, end_date)| {
            Ok(DisabilityRecord {
                id: rows::id(&id)?,
                kind: rows::code(&kind)?,
                details,
                adjustments,
                start_date,
                end_date,
            })
        })
        .collect()
}

pub fn add_disability(
    conn: &mut AnyConnection,
    person_id: Uuid,
    disability: &NewDisability,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(person_disabilities::table)
        .values((
            person_disabilities::id.eq(id.to_string()),
            person_disabilities::person_id.eq(person_id.to_string()),
            person_disabilities::kind.eq(disability.kind.code()),
            person_disabilities::details.eq(&disability.details),
            person_disabilities::adjustments.eq(&disability.adjustments),
            person_disabilities::start_date.eq(disability.start_date),
            person_disabilities::created_at.eq(now.naive_utc()),
            person_disabilities::created_by.eq(by.to_string()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Ends one of the person's disabilities on `today` (no longer relevant, or recorded in error),
/// returning it as it was.
pub fn end_disability(
    conn: &mut AnyConnection,
    person_id: Uuid,
    disability_id: Uuid,
    by: Uuid,
    today: NaiveDate,
) -> StorageResult<DisabilityRecord> {
    let disability = disabilities(conn, person_id)?
        .into_iter()
        .find(|d| d.id == disability_id)
        .ok_or(StorageError::NotFound)?;
    let updated = diesel::update(
        person_disabilities::table
            .find(disability_id.to_string())
            .filter(person_disabilities::end_date.is_null()),
    )
    .set((
        person_disabilities::end_date.eq(today),
        person_disabilities::ended_by.eq(by.to_string()),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(format!(
            "{} has already been ended",
            disability.kind.label()
        )));
    }
    Ok(disability)
}

/// A personal contact's details as the form gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalContactFields {
    pub kind: PersonalContactKind,
    pub name: String,
    /// The relationship to the person, or a professional's organisation.
    pub relationship: String,
    pub telephone: Option<String>,
    pub email: Option<String>,
    pub address: String,
    pub notes: String,
}

impl PersonalContactFields {
    /// Each field that differs from `before`, for the audit row.
    pub fn changes_from(&self, before: &PersonalContactFields) -> Vec<String> {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        [
            (
                "kind",
                before.kind.code().to_owned(),
                self.kind.code().to_owned(),
            ),
            ("name", before.name.clone(), self.name.clone()),
            (
                "relationship",
                before.relationship.clone(),
                self.relationship.clone(),
            ),
            ("telephone", text(&before.telephone), text(&self.telephone)),
            ("email", text(&before.email), text(&self.email)),
            ("address", before.address.clone(), self.address.clone()),
            ("notes", before.notes.clone(), self.notes.clone()),
        ]
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(field, old, new)| change(field, &old, &new))
        .collect()
    }
}

/// A personal contact as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalContactRecord {
    pub id: Uuid,
    pub fields: PersonalContactFields,
    pub ended_on: Option<NaiveDate>,
}

type ContactRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<NaiveDate>,
);

/// The person's personal contacts, current first, by kind then name.
pub fn personal_contacts(
    conn: &mut AnyConnection,
    person_id: Uuid,
) -> StorageResult<Vec<PersonalContactRecord>> {
    let mut contacts = personal_contacts::table
        .filter(personal_contacts::person_id.eq(person_id.to_string()))
        .order((
            personal_contacts::ended_on.is_not_null(),
            personal_contacts::name.asc(),
        ))
        .select((
            personal_contacts::id,
            personal_contacts::kind,
            personal_contacts::name,
            personal_contacts::relationship,
            personal_contacts::telephone,
            personal_contacts::email,
            personal_contacts::address,
            personal_contacts::notes,
            personal_contacts::ended_on,
        ))
        .load::<ContactRow>(conn)?
        .into_iter()
        .map(|row| {
            Ok(PersonalContactRecord {
                id: rows::id(&row.0)?,
                fields: PersonalContactFields {
                    kind: rows::code(&row.1)?,
                    name: row.2,
                    relationship: row.3,
                    telephone: row.4,
                    email: row.5,
                    address: row.6,
                    notes: row.7,
                },
                ended_on: row.8,
            })
        })
        .collect::<StorageResult<Vec<_>>>()?;
    // Next of kin before the GP before others: the order of the vocabulary.
    contacts.sort_by_key(|c| (c.ended_on.is_some(), c.fields.kind));
    Ok(contacts)
}

/// One of the person's personal contacts; another person's is not found.
pub fn personal_contact(
    conn: &mut AnyConnection,
    person_id: Uuid,
    contact_id: Uuid,
) -> StorageResult<PersonalContactRecord> {
    personal_contacts(conn, person_id)?
        .into_iter()
        .find(|c| c.id == contact_id)
        .ok_or(StorageError::NotFound)
}

pub fn add_personal_contact(
    conn: &mut AnyConnection,
    person_id: Uuid,
    contact: &PersonalContactFields,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(personal_contacts::table)
        .values((
            personal_contacts::id.eq(id.to_string()),
            personal_contacts::person_id.eq(person_id.to_string()),
            personal_contacts::kind.eq(contact.kind.code()),
            personal_contacts::name.eq(&contact.name),
            personal_contacts::relationship.eq(&contact.relationship),
            personal_contacts::telephone.eq(&contact.telephone),
            personal_contacts::email.eq(&contact.email),
            personal_contacts::address.eq(&contact.address),
            personal_contacts::notes.eq(&contact.notes),
            personal_contacts::created_at.eq(now.naive_utc()),
            personal_contacts::created_by.eq(by.to_string()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Changes a current personal contact, returning it as it was. An ended contact is not changed:
/// it is a record of who was known then.
pub fn update_personal_contact(
    conn: &mut AnyConnection,
    person_id: Uuid,
    contact_id: Uuid,
    contact: &PersonalContactFields,
    now: DateTime<Utc>,
) -> StorageResult<PersonalContactRecord> {
    let before = personal_contact(conn, person_id, contact_id)?;
    let updated = diesel::update(
        personal_contacts::table
            .find(contact_id.to_string())
            .filter(personal_contacts::ended_on.is_null()),
    )
    .set((
        personal_contacts::kind.eq(contact.kind.code()),
        personal_contacts::name.eq(&contact.name),
        personal_contacts::relationship.eq(&contact.relationship),
        personal_contacts::telephone.eq(&contact.telephone),
        personal_contacts::email.eq(&contact.email),
        personal_contacts::address.eq(&contact.address),
        personal_contacts::notes.eq(&contact.notes),
        personal_contacts::updated_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(format!(
            "{} is no longer a current contact, so cannot be changed",
            before.fields.name
        )));
    }
    Ok(before)
}

/// Ends a current personal contact on `today`, returning it as it was.
pub fn end_personal_contact(
    conn: &mut AnyConnection,
    person_id: Uuid,
    contact_id: Uuid,
    by: Uuid,
    today: NaiveDate,
) -> StorageResult<PersonalContactRecord> {
    let before = personal_contact(conn, person_id, contact_id)?;
    let updated = diesel::update(
        personal_contacts::table
            .find(contact_id.to_string())
            .filter(personal_contacts::ended_on.is_null()),
    )
    .set((
        personal_contacts::ended_on.eq(today),
        personal_contacts::ended_by.eq(by.to_string()),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StorageError::Conflict(format!(
            "{} has already been ended",
            before.fields.name
        )));
    }
    Ok(before)
}

/// Everything this module keeps about a person, for the case record: five queries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordDetails {
    pub details: PersonalDetails,
    pub aliases: Vec<AliasRecord>,
    pub disabilities: Vec<DisabilityRecord>,
    pub contacts: Vec<PersonalContactRecord>,
    pub corrections: Vec<CorrectionRecord>,
}

pub fn load(conn: &mut AnyConnection, person_id: Uuid) -> StorageResult<RecordDetails> {
    Ok(RecordDetails {
        details: personal_details(conn, person_id)?,
        aliases: aliases(conn, person_id)?,
        disabilities: disabilities(conn, person_id)?,
        contacts: personal_contacts(conn, person_id)?,
        corrections: corrections(conn, person_id)?,
    })
}
