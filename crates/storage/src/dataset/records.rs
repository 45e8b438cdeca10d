//! One record per dataset file: its fields are the file's columns, in the file's order, and the
//! table's columns of the same names. A conformance test checks each against the domain's
//! specification of its file.

use super::{Cell, Page, Table};
use crate::batch::insert_rows;
use crate::bulk::CHUNK;
use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use keepsafe_domain::dataset::Value;
use std::marker::PhantomData;

/// A record type seen as a [`Table`].
struct Of<R>(PhantomData<fn() -> R>);

/// The rows of a page after `after`, by one key column or by two.
macro_rules! keyset {
    ($conn:expr, $table:ident, $record:ident, $after:expr, $limit:expr; $a:ident) => {{
        use crate::schema::$table as t;
        let query = t::table
            .select($record::as_select())
            .order(t::$a.asc())
            .limit($limit);
        match $after {
            None => query.load($conn)?,
            Some(key) => query.filter(t::$a.gt(&key[0])).load($conn)?,
        }
    }};
    ($conn:expr, $table:ident, $record:ident, $after:expr, $limit:expr; $a:ident, $b:ident) => {{
        use crate::schema::$table as t;
        let query = t::table
            .select($record::as_select())
            .order((t::$a.asc(), t::$b.asc()))
            .limit($limit);
        match $after {
            None => query.load($conn)?,
            Some(key) => query
                .filter(
                    t::$a
                        .gt(&key[0])
                        .or(t::$a.eq(&key[0]).and(t::$b.gt(&key[1]))),
                )
                .load($conn)?,
        }
    }};
}

macro_rules! records {
    ($(
        $(#[$doc:meta])*
        $file:literal => $record:ident ($table:ident; $($key:ident),+) {
            $($field:ident : $ty:ty),+ $(,)?
        }
    )+) => {
        $(
            $(#[$doc])*
            #[derive(Queryable, Selectable, Insertable)]
            #[diesel(table_name = crate::schema::$table, treat_none_as_null = true)]
            pub struct $record {
                $(pub $field: $ty),+
            }

            impl $record {
                fn from_values(values: Vec<Value>) -> StorageResult<Self> {
                    let mut values = values.into_iter();
                    Ok(Self {
                        $($field: Cell::from_value(values.next().unwrap_or(Value::Empty))
                            .map_err(|e| StorageError::Corrupt(
                                format!("{}.{}: {e}", $file, stringify!($field))))?),+
                    })
                }
            }

            impl Table for Of<$record> {
                fn page(
                    &self,
                    conn: &mut AnyConnection,
                    after: Option<&[String]>,
                    limit: i64,
                ) -> StorageResult<Page> {
                    let records: Vec<$record> =
                        keyset!(conn, $table, $record, after, limit; $($key),+);
                    let next = (records.len() as i64 == limit)
                        .then(|| records.last().map(|r| vec![$(r.$key.clone()),+]))
                        .flatten();
                    let rows = records
                        .into_iter()
                        .map(|r| vec![$(Cell::into_value(r.$field)),+])
                        .collect();
                    Ok(Page { rows, next })
                }

                fn insert(&self, conn: &mut AnyConnection, rows: Vec<Vec<Value>>) -> StorageResult<()> {
                    let records = rows
                        .into_iter()
                        .map($record::from_values)
                        .collect::<StorageResult<Vec<_>>>()?;
                    for chunk in records.chunks(CHUNK) {
                        insert_rows!(conn, crate::schema::$table::table, chunk)?;
                    }
                    Ok(())
                }

                fn count(&self, conn: &mut AnyConnection) -> StorageResult<u64> {
                    let rows: i64 = crate::schema::$table::table.count().get_result(conn)?;
                    Ok(rows as u64)
                }

                fn exists(&self, conn: &mut AnyConnection, id: &str) -> StorageResult<bool> {
                    records!(@exists conn, $table, id; $($key),+)
                }
            }
        )+

        /// The dataset table behind `file` (a file name without `.csv`).
        pub fn table(file: &str) -> Option<&'static dyn Table> {
            match file {
                $($file => Some(&Of::<$record>(PhantomData)),)+
                _ => None,
            }
        }

        /// Every record's file and field names, in order, to check against the domain's files.
        #[cfg(feature = "testing")]
        pub fn fields() -> Vec<(&'static str, Vec<&'static str>)> {
            vec![$(($file, vec![$(stringify!($field)),+])),+]
        }
    };
    (@exists $conn:expr, $table:ident, $id:expr; $a:ident $(, $rest:ident)*) => {{
        use crate::schema::$table as t;
        let found: i64 = t::table.filter(t::$a.eq($id)).count().get_result($conn)?;
        Ok(found > 0)
    }};
}

records! {
    "regions" => RegionRecord (regions; id) {
        id: String,
        code: String,
        name: String,
    }
    "pdus" => PduRecord (pdus; id) {
        id: String,
        region_id: String,
        code: String,
        name: String,
    }
    "teams" => TeamRecord (teams; id) {
        id: String,
        pdu_id: String,
        code: String,
        name: String,
    }
    "partner_organisations" => PartnerOrganisationRecord (partner_organisations; id) {
        id: String,
        code: String,
        name: String,
        kind: String,
        region_id: String,
        created_at: NaiveDateTime,
    }
    /// Staff with their sign-in names and password hashes, so people keep their accounts across
    /// a switch-over; `locked_until` is left behind (a lockout ends with the old system).
    "staff" => StaffRecord (staff; id) {
        id: String,
        first_name: String,
        last_name: String,
        grade: String,
        contracted_hours: f64,
        region_id: String,
        pdu_id: Option<String>,
        team_id: Option<String>,
        username: Option<String>,
        password_hash: Option<String>,
        active: bool,
        created_at: NaiveDateTime,
        partner_organisation_id: Option<String>,
        partner_role: Option<String>,
    }
    "people" => PersonRecord (people; id) {
        id: String,
        crn: String,
        first_name: String,
        last_name: String,
        date_of_birth: NaiveDate,
        sex: String,
        pdu_id: String,
        created_at: NaiveDateTime,
        age_at_first_sanction: Option<i32>,
        preferred_name: Option<String>,
        gender: Option<String>,
        gender_self_description: Option<String>,
        telephone: Option<String>,
        mobile: Option<String>,
        email: Option<String>,
        preferred_language: Option<String>,
        interpreter_needed: bool,
    }
    "addresses" => AddressRecord (addresses; id) {
        id: String,
        person_id: String,
        line1: String,
        line2: Option<String>,
        town: String,
        postcode: String,
        status: String,
        start_date: NaiveDate,
        end_date: Option<NaiveDate>,
    }
    "household_members" => HouseholdMemberRecord (household_members; id) {
        id: String,
        person_id: String,
        first_name: String,
        last_name: String,
        relationship: String,
        date_of_birth: Option<NaiveDate>,
        start_date: NaiveDate,
        end_date: Option<NaiveDate>,
    }
    "events" => EventRecord (events; id) {
        id: String,
        person_id: String,
        event_number: i32,
        offence_description: String,
        offence_category: String,
        offence_date: NaiveDate,
        conviction_date: NaiveDate,
        court: String,
        sentence_type: String,
        case_type: String,
        sentence_date: Option<NaiveDate>,
        sentence_length_months: Option<i32>,
        release_date: Option<NaiveDate>,
        expected_end_date: Option<NaiveDate>,
        active: bool,
        sanctions_before: Option<i32>,
    }
    "requirements" => RequirementRecord (requirements; id) {
        id: String,
        event_id: String,
        kind: String,
        length: Option<i32>,
        detail: Option<String>,
        start_date: NaiveDate,
        end_date: Option<NaiveDate>,
        active: bool,
    }
    "registrations" => RegistrationRecord (registrations; id) {
        id: String,
        person_id: String,
        kind: String,
        mappa_category: Option<String>,
        mappa_level: Option<String>,
        registered_on: NaiveDate,
        next_review_on: Option<NaiveDate>,
        ended_on: Option<NaiveDate>,
        notes: String,
        registered_by: Option<String>,
        end_reason: Option<String>,
        ended_by: Option<String>,
    }
    /// Other names a person is or was known by.
    "person_aliases" => PersonAliasRecord (person_aliases; id) {
        id: String,
        person_id: String,
        first_name: String,
        last_name: String,
        date_of_birth: Option<NaiveDate>,
        created_at: NaiveDateTime,
        created_by: Option<String>,
        ended_on: Option<NaiveDate>,
        ended_by: Option<String>,
    }
    "person_disabilities" => PersonDisabilityRecord (person_disabilities; id) {
        id: String,
        person_id: String,
        kind: String,
        details: String,
        adjustments: String,
        start_date: NaiveDate,
        end_date: Option<NaiveDate>,
        created_at: NaiveDateTime,
        created_by: Option<String>,
        ended_by: Option<String>,
    }
    "personal_contacts" => PersonalContactRecord (personal_contacts; id) {
        id: String,
        person_id: String,
        kind: String,
        name: String,
        relationship: String,
        telephone: Option<String>,
        email: Option<String>,
        address: String,
        notes: String,
        created_at: NaiveDateTime,
        created_by: Option<String>,
        updated_at: Option<NaiveDateTime>,
        ended_on: Option<NaiveDate>,
        ended_by: Option<String>,
    }
    /// Corrections of the date of birth, with their reasons.
    "person_corrections" => PersonCorrectionRecord (person_corrections; id) {
        id: String,
        person_id: String,
        field: String,
        before_value: String,
        after_value: String,
        reason: String,
        corrected_by: String,
        corrected_at: NaiveDateTime,
    }
    "registration_reviews" => RegistrationReviewRecord (registration_reviews; id) {
        id: String,
        registration_id: String,
        reviewed_on: NaiveDate,
        reviewed_by: String,
        notes: String,
        next_review_on: Option<NaiveDate>,
        mappa_category: Option<String>,
        mappa_level: Option<String>,
        rule_version: String,
        created_at: NaiveDateTime,
    }
    /// Contacts and appointments, with their outcomes, judgements and changes.
    "contacts" => ContactRecord (contacts; id) {
        id: String,
        person_id: String,
        event_id: Option<String>,
        contact_type: String,
        starts_at: NaiveDateTime,
        location: String,
        outcome: Option<String>,
        notes: String,
        staff_id: Option<String>,
        requirement_id: Option<String>,
        ends_at: Option<NaiveDateTime>,
        location_kind: String,
        sensitive: bool,
        enforceable: bool,
        status: String,
        series_id: Option<String>,
        created_by: Option<String>,
        created_at: Option<NaiveDateTime>,
        outcome_recorded_by: Option<String>,
        outcome_recorded_at: Option<NaiveDateTime>,
        late_reason: Option<String>,
        judgement: Option<String>,
        judgement_reason: Option<String>,
        judgement_evidence: Option<String>,
        evidence_due_on: Option<NaiveDate>,
        judged_by: Option<String>,
        judged_at: Option<NaiveDateTime>,
        reschedule_requested_by: Option<String>,
        change_reason: Option<String>,
        rescheduled_to: Option<String>,
        changed_by: Option<String>,
        changed_at: Option<NaiveDateTime>,
    }
    "allocations" => AllocationRecord (allocations; id) {
        id: String,
        person_id: String,
        staff_id: String,
        team_id: String,
        start_date: NaiveDate,
        end_date: Option<NaiveDate>,
        reason: String,
        allocated_by: Option<String>,
        override_reason: Option<String>,
    }
    "checks" => CheckRecord (check_requests; id) {
        id: String,
        person_id: String,
        kind: String,
        address_id: Option<String>,
        address_description: String,
        requested_on: NaiveDate,
        deadline: NaiveDate,
        deadline_rule: String,
        requested_by: String,
        response_received_on: Option<NaiveDate>,
        response_known_to_agency: Option<bool>,
        response_summary: Option<String>,
        response_recorded_by: Option<String>,
        authorised_without_by: Option<String>,
        authorised_without_on: Option<NaiveDate>,
        authorised_without_reason: Option<String>,
        created_at: NaiveDateTime,
        partner_organisation_id: Option<String>,
        status: Option<String>,
        acknowledged_on: Option<NaiveDate>,
        closed_on: Option<NaiveDate>,
        decline_reason: Option<String>,
        close_detail: Option<String>,
        response_risk_notes: Option<String>,
        responded_by: Option<String>,
    }
    "assessments" => AssessmentRecord (rosh_assessments; id) {
        id: String,
        person_id: String,
        status: String,
        version: i32,
        case_type: String,
        nature_of_harm: String,
        who_is_at_risk: String,
        imminence: String,
        increasing_factors: String,
        reducing_factors: String,
        case_level: Option<String>,
        created_by: String,
        created_at: NaiveDateTime,
        updated_by: String,
        updated_at: NaiveDateTime,
        completed_by: Option<String>,
        completed_at: Option<NaiveDateTime>,
        countersigned_by: Option<String>,
        countersigned_at: Option<NaiveDateTime>,
        superseded_at: Option<NaiveDateTime>,
    }
    "assessment_levels" => LevelRecord (rosh_levels; assessment_id, risk_group) {
        assessment_id: String,
        risk_group: String,
        level: String,
    }
    "assessment_considerations" => ConsiderationRecord (rosh_considerations; assessment_id, subject_id) {
        assessment_id: String,
        subject_id: String,
        note: String,
    }
    "assessment_check_references" => CheckReferenceRecord (rosh_check_references; assessment_id, check_id) {
        assessment_id: String,
        check_id: String,
        note: String,
    }
}
