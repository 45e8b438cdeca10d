//! The shape of a generated demo region: plain records that storage writes in bulk.
//!
//! Ids are generated from the seed too, so the same seed and day give the same region, row for row.

use chrono::{NaiveDate, NaiveDateTime};
use keepsafe_domain::address::AddressStatus;
use keepsafe_domain::contact::{ContactOutcome, ContactType};
use keepsafe_domain::event::{CaseType, OffenceCategory, SentenceType};
use keepsafe_domain::household::Relationship;
use keepsafe_domain::person::Sex;
use keepsafe_domain::registration::{MappaCategory, MappaLevel, RegistrationKind};
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::staff::Grade;
use uuid::Uuid;

/// One generated region with everything in it.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoRegion {
    pub region: Region,
    pub pdus: Vec<Pdu>,
    pub teams: Vec<Team>,
    pub staff: Vec<StaffMember>,
    pub people: Vec<Person>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub id: Uuid,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pdu {
    pub id: Uuid,
    pub region_id: Uuid,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    pub id: Uuid,
    pub pdu_id: Uuid,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StaffMember {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub grade: Grade,
    pub contracted_hours: f64,
    pub region_id: Uuid,
    pub pdu_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    /// Set for the demo sign-in accounts (one or more per grade); they all use [`crate::DEMO_PASSWORD`].
    pub username: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: Uuid,
    pub crn: String,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    /// The PDU that holds the case, allocated or not.
    pub pdu_id: Uuid,
    pub created_at: NaiveDateTime,
    /// Age at the first caution or conviction (an OGRS3 input).
    pub age_at_first_sanction: u32,
    pub addresses: Vec<Address>,
    pub household: Vec<HouseholdMember>,
    pub events: Vec<Event>,
    pub registrations: Vec<Registration>,
    pub contacts: Vec<Contact>,
    /// Oldest first; at most one has no end date (the current one). A case waiting for
    /// allocation has none current (it may have ended ones).
    pub allocations: Vec<Allocation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Address {
    pub id: Uuid,
    pub line1: String,
    pub line2: Option<String>,
    pub town: String,
    pub postcode: String,
    pub status: AddressStatus,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdMember {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub relationship: Relationship,
    pub date_of_birth: Option<NaiveDate>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: Uuid,
    /// 1, 2, … per person, in conviction order.
    pub number: i32,
    pub offence_description: String,
    pub offence_category: OffenceCategory,
    pub offence_date: NaiveDate,
    /// None while awaiting sentence only if not yet convicted; pre-sentence cases are convicted.
    pub conviction_date: NaiveDate,
    pub court: String,
    pub sentence_type: SentenceType,
    pub case_type: CaseType,
    pub sentence_date: Option<NaiveDate>,
    pub sentence_length_months: Option<i32>,
    pub release_date: Option<NaiveDate>,
    pub expected_end_date: Option<NaiveDate>,
    pub active: bool,
    /// Convictions, cautions, reprimands and warnings before this one (OGRS3 counts this one too).
    pub sanctions_before: u32,
    pub requirements: Vec<Requirement>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub id: Uuid,
    pub kind: RequirementKind,
    /// In the unit of `kind.length_unit()`.
    pub length: Option<i32>,
    pub detail: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    pub id: Uuid,
    pub kind: RegistrationKind,
    pub mappa_category: Option<MappaCategory>,
    pub mappa_level: Option<MappaLevel>,
    pub registered_on: NaiveDate,
    pub next_review_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub id: Uuid,
    pub event_id: Option<Uuid>,
    pub contact_type: ContactType,
    pub starts_at: NaiveDateTime,
    pub location: String,
    /// None for future appointments and ones not yet recorded.
    pub outcome: Option<ContactOutcome>,
    pub notes: String,
    pub staff_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Allocation {
    pub id: Uuid,
    pub staff_id: Uuid,
    pub team_id: Uuid,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub reason: String,
}
