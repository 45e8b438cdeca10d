//! The shape of a generated demo region: plain records that storage writes in bulk.
//!
//! Ids are generated from the seed too, so the same seed and day give the same region, row for row.

use chrono::{NaiveDate, NaiveDateTime};
use keepsafe_domain::address::AddressStatus;
use keepsafe_domain::checks::CheckKind;
use keepsafe_domain::event::{CaseType, OffenceCategory, SentenceType};
use keepsafe_domain::household::Relationship;
use keepsafe_domain::person::Sex;
use keepsafe_domain::registration::{MappaCategory, MappaLevel, RegistrationKind};
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::review::ReviewTrigger;
use keepsafe_domain::rosh::{AssessmentStatus, RiskGroup, RoshLevel};
use keepsafe_domain::staff::Grade;
use keepsafe_domain::supervision::contact::{
    ContactOutcome, ContactStatus, ContactType, FailureJudgement, LocationKind,
};
use uuid::Uuid;

/// One generated region with everything in it.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoRegion {
    pub region: Region,
    pub pdus: Vec<Pdu>,
    pub teams: Vec<Team>,
    pub staff: Vec<StaffMember>,
    pub people: Vec<Person>,
    /// Reductions of practitioners' available hours (trainees, newly qualified, union duties, …).
    pub reductions: Vec<StaffReduction>,
    /// Court and parole reports being written.
    pub court_reports: Vec<CourtReport>,
    /// Police forces and local authorities the region exchanges checks with.
    pub partners: Vec<PartnerOrg>,
    /// Case audits, panel judgements and action plans (reference §12).
    pub quality: DemoQuality,
    /// Warnings, breach actions and recalls with their documents, calendar feeds and reminder
    /// preferences (the working diary, [`crate::enforcement`]).
    pub enforcement: DemoEnforcement,
    /// Needs assessments of supervised cases ([`crate::needs`]).
    pub needs: Vec<DemoNeedsAssessment>,
    /// Sentence plans of the supervised cases with an assessment ([`crate::sentence_plans`]).
    pub plans: Vec<DemoSentencePlan>,
    /// Release work and licences of custodial cases ([`crate::licences`]).
    pub licences: crate::licences::DemoLicenceWork,
    /// Meetings of the MAPPA level 2 and 3 cases ([`crate::mappa`]).
    pub mappa_meetings: Vec<DemoMappaMeeting>,
    /// The statutory victim contact scheme's referrals and victims ([`crate::victims`]).
    pub victims: crate::victims::DemoVictims,
    /// Court lists, pre-sentence reports and sentences recorded ([`crate::court`]).
    pub court: crate::court::DemoCourtWork,
    /// Convictions after supervision began ([`crate::reoffending`]).
    pub reconvictions: Vec<crate::reoffending::DemoReconviction>,
    /// People whose supervision has ended, kept on the record for the reoffending measures
    /// ([`crate::reoffending`]); apart from `people`, whose counts are the caseload's.
    pub closed_cases: Vec<Person>,
    /// Unpaid work projects, sessions, allocations and attendance ([`crate::unpaid_work`]).
    pub unpaid_work: crate::unpaid_work::DemoUnpaidWork,
    /// Serious further offence cases ([`crate::sfo`]).
    pub sfo: crate::sfo::DemoSfoCases,
    /// Referrals to programmes and interventions ([`crate::programmes`]).
    pub programmes: crate::programmes::DemoProgrammes,
}

/// A MAPPA meeting, as `storage::mappa::meetings::record` keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoMappaMeeting {
    pub id: Uuid,
    pub registration_id: Uuid,
    pub person_id: Uuid,
    pub held_on: NaiveDate,
    pub category: keepsafe_domain::registration::MappaCategory,
    pub level: keepsafe_domain::registration::MappaLevel,
    pub chair: String,
    pub agencies: Vec<keepsafe_domain::mappa::MappaAgency>,
    pub decisions: String,
    pub next_meeting_on: NaiveDate,
    pub rule_version: String,
    pub recorded_by: Uuid,
}

/// A needs assessment: a draft (some sections filled in) or completed, valid or expired.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoNeedsAssessment {
    pub id: Uuid,
    pub person_id: Uuid,
    pub status: keepsafe_domain::needs::AssessmentStatus,
    pub created_by: Uuid,
    pub created_at: NaiveDateTime,
    pub completed_on: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub rule_version: Option<String>,
    /// Section, severity, linked to risk of serious harm, linked to reoffending, evidence.
    pub sections: Vec<(
        keepsafe_domain::needs::Section,
        keepsafe_domain::needs::Severity,
        bool,
        bool,
        String,
    )>,
    pub answers: Vec<(keepsafe_domain::needs::Question, u8)>,
}

/// A sentence plan, as `storage::plans` would have left it.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoSentencePlan {
    pub id: Uuid,
    pub person_id: Uuid,
    pub status: keepsafe_domain::plans::PlanStatus,
    pub starts_on: NaiveDate,
    pub persons_view: keepsafe_domain::plans::PersonsView,
    /// The RoSH level when it was submitted; `None` for a draft.
    pub case_level: Option<RoshLevel>,
    pub written_by: Uuid,
    pub submitted_at: Option<NaiveDateTime>,
    pub countersigned_by: Option<Uuid>,
    pub activated_on: Option<NaiveDate>,
    pub objectives: Vec<keepsafe_domain::plans::Objective>,
    pub reviews: Vec<DemoSentencePlanReview>,
    /// The open regular review of an active plan: when it is due (overdue when past).
    pub next_review_due: Option<NaiveDate>,
}

/// A review of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoSentencePlanReview {
    pub id: Uuid,
    pub reviewed_on: NaiveDate,
    pub note: String,
    pub by: Uuid,
}

/// Enforcement and the diary's other records.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DemoEnforcement {
    pub documents: Vec<DemoDocument>,
    pub warnings: Vec<DemoWarning>,
    pub breaches: Vec<DemoBreach>,
    pub recalls: Vec<DemoRecall>,
    /// One private calendar feed per practitioner.
    pub feeds: Vec<DemoFeed>,
    pub reminders: Vec<DemoReminderPreference>,
}

/// A document generated from the record when the action was taken.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoDocument {
    pub id: Uuid,
    pub person_id: Uuid,
    pub kind: keepsafe_domain::supervision::enforcement::DocumentKind,
    pub title: String,
    pub body: String,
    pub created_by: Uuid,
    pub created_at: NaiveDateTime,
}

/// A warning letter for an unacceptable failure on a community or suspended sentence order.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoWarning {
    pub id: Uuid,
    pub person_id: Uuid,
    pub event_id: Uuid,
    pub contact_id: Uuid,
    pub status: keepsafe_domain::supervision::enforcement::WarningStatus,
    pub due_on: NaiveDate,
    pub sent_on: Option<NaiveDate>,
    pub sent_by: Option<Uuid>,
    pub document_id: Option<Uuid>,
    pub created_at: NaiveDateTime,
}

/// Breach action after a further unacceptable failure within a warning's 12 months.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoBreach {
    pub id: Uuid,
    pub person_id: Uuid,
    pub event_id: Uuid,
    pub contact_id: Uuid,
    pub status: keepsafe_domain::supervision::enforcement::BreachStatus,
    pub opened_on: NaiveDate,
    pub due_on: NaiveDate,
    pub proposal: Option<String>,
    pub report_document_id: Option<Uuid>,
    pub reported_on: Option<NaiveDate>,
    pub court_outcome: Option<String>,
    pub court_outcome_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_by: Uuid,
}

/// A recall, from considering it to the decision.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoRecall {
    pub id: Uuid,
    pub person_id: Uuid,
    pub event_id: Uuid,
    pub contact_id: Option<Uuid>,
    pub status: keepsafe_domain::supervision::enforcement::RecallStatus,
    pub opened_on: NaiveDate,
    pub opened_reason: String,
    pub reasons: Option<String>,
    pub alternatives_tried: Option<String>,
    pub current_risk: Option<String>,
    pub recall_type: Option<keepsafe_domain::supervision::enforcement::RecallType>,
    pub emergency: bool,
    pub recommended_by: Option<Uuid>,
    pub recommended_at: Option<NaiveDateTime>,
    pub recommendation_document_id: Option<Uuid>,
    pub senior: Option<DemoCountersign>,
    pub head: Option<DemoCountersign>,
    pub recall_date: Option<NaiveDate>,
    pub decision_document_id: Option<Uuid>,
    pub created_by: Uuid,
    pub created_at: NaiveDateTime,
}

/// A countersigner's decision on a recall recommendation.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoCountersign {
    pub decision: keepsafe_domain::supervision::enforcement::CountersignDecision,
    pub by: Uuid,
    pub at: NaiveDateTime,
    pub reason: Option<String>,
}

/// A practitioner's calendar feed address (the token is drawn from the seed).
#[derive(Debug, Clone, PartialEq)]
pub struct DemoFeed {
    pub token: String,
    pub staff_id: Uuid,
    pub created_at: NaiveDateTime,
}

/// How a person chose to be reminded of appointments.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoReminderPreference {
    pub person_id: Uuid,
    /// "text" or "email".
    pub channel: &'static str,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub consent_on: NaiveDate,
    pub recorded_by: Uuid,
    pub recorded_at: NaiveDateTime,
}

/// The region's quality assurance history.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DemoQuality {
    /// First audits and moderations, in the order they were made.
    pub audits: Vec<DemoAudit>,
    pub judgements: Vec<DemoJudgement>,
    pub recommendations: Vec<DemoRecommendation>,
}

/// One case audit (or, with `moderates`, a moderation of another).
#[derive(Debug, Clone, PartialEq)]
pub struct DemoAudit {
    pub id: Uuid,
    pub framework: String,
    pub person_id: Uuid,
    pub team_id: Option<Uuid>,
    pub pdu_id: Uuid,
    pub moderates: Option<Uuid>,
    pub audited_on: NaiveDate,
    pub auditor_id: Uuid,
    pub auditor_name: String,
    pub answers: Vec<keepsafe_domain::quality::AnswerGiven>,
}

/// The unit a panel decision or recommendation is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoScope {
    Pdu(Uuid),
    Region(Uuid),
}

/// Which kind of panel decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoDecision {
    Judgement,
    Departure,
}

/// A ratings panel decision.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoJudgement {
    pub framework: String,
    pub scope: DemoScope,
    pub standard: String,
    pub decision: DemoDecision,
    pub rating: keepsafe_domain::quality::Rating,
    pub reason: String,
    pub recorded_by: Uuid,
    pub recorded_on: NaiveDate,
}

/// An inspection recommendation with its action plan.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoRecommendation {
    pub id: Uuid,
    pub scope: DemoScope,
    pub framework: String,
    pub standard: Option<String>,
    pub text: String,
    pub made_by: String,
    pub made_on: NaiveDate,
    pub recorded_by: Uuid,
    pub actions: Vec<DemoAction>,
}

/// One action of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoAction {
    pub id: Uuid,
    pub description: String,
    pub owner: String,
    pub due: NaiveDate,
    pub status: keepsafe_domain::quality::ActionStatus,
}

/// A management oversight record.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoOversight {
    pub id: Uuid,
    pub kind: keepsafe_domain::quality::OversightKind,
    pub recorded_on: NaiveDate,
    pub note: String,
    pub recorded_by: Uuid,
}

/// A partner organisation (reference §4).
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerOrg {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub kind: keepsafe_domain::partner::PartnerOrganisationKind,
}

/// A reduction of a practitioner's available hours (reference §9).
#[derive(Debug, Clone, PartialEq)]
pub struct StaffReduction {
    pub id: Uuid,
    pub staff_id: Uuid,
    pub kind: keepsafe_domain::workload::ReductionKind,
    pub hours: f64,
    pub from: NaiveDate,
    /// The last day in force; `None` until further notice.
    pub to: Option<NaiveDate>,
    pub reason: String,
}

/// A court or parole report being written, which scores workload points of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct CourtReport {
    pub id: Uuid,
    pub person_id: Uuid,
    pub staff_id: Uuid,
    pub kind: keepsafe_domain::workload::ReportKind,
    pub requested_on: NaiveDate,
    pub due_on: NaiveDate,
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
    /// For partner users: their organisation and role.
    pub partner: Option<(Uuid, keepsafe_domain::partner::PartnerRole)>,
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
    /// Police domestic-abuse and children's-services checks, oldest request first.
    pub checks: Vec<CheckRequest>,
    /// RoSH assessments, oldest first: superseded ones, the one in force, a draft in progress.
    pub assessments: Vec<Assessment>,
    /// "Review the risk assessment" tasks after changes in circumstances, oldest first.
    pub review_tasks: Vec<ReviewTask>,
    /// Management oversight records by the team's senior officer.
    pub oversight: Vec<DemoOversight>,
    /// Predictor scores recorded from external assessments, oldest first.
    pub predictors: Vec<DemoPredictor>,
}

/// A predictor score recorded from an external assessment (RSR, ARP, CSRP, OSP, OVP points).
#[derive(Debug, Clone, PartialEq)]
pub struct DemoPredictor {
    pub id: Uuid,
    pub value: keepsafe_domain::predictors::recorded::PredictorValue,
    pub source: keepsafe_domain::predictors::recorded::PredictorSource,
    pub assessed_on: NaiveDate,
    pub entered_by: Uuid,
    pub entered_at: NaiveDateTime,
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
    pub ends_at: NaiveDateTime,
    pub location_kind: LocationKind,
    /// None for future appointments and ones not yet recorded.
    pub outcome: Option<ContactOutcome>,
    /// The judgement of a failure to attend or comply.
    pub judgement: Option<FailureJudgement>,
    pub status: ContactStatus,
    /// Whether missing it without a good reason is a failure to comply with the order or licence.
    pub enforceable: bool,
    pub notes: String,
    pub staff_id: Option<Uuid>,
    /// For a failure waiting for evidence: when the judgement becomes due.
    pub evidence_due_on: Option<NaiveDate>,
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

/// A safeguarding check request (reference §4), as the practitioner records it.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckRequest {
    pub id: Uuid,
    pub kind: CheckKind,
    /// The address the check covers: the person's address when it was requested.
    pub address_id: Option<Uuid>,
    /// "line1, town", as the application describes an address on a check.
    pub address_description: String,
    pub requested_on: NaiveDate,
    pub deadline: NaiveDate,
    /// The rule that gave the deadline, e.g. "10 working days, <rules> (<calendar>)".
    pub deadline_rule: String,
    pub requested_by: Uuid,
    /// None while the agency has not answered.
    pub response: Option<CheckAnswer>,
    pub created_at: NaiveDateTime,
    /// Set when the request was sent to a partner organisation through keepsafe (its status is
    /// then "sent" until the partner answers); None for a check the practitioner recorded.
    pub partner_organisation_id: Option<Uuid>,
}

/// The agency's answer to a check.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckAnswer {
    pub received_on: NaiveDate,
    pub known_to_agency: bool,
    pub summary: String,
    pub recorded_by: Uuid,
}

/// A risk of serious harm assessment (reference §3). Texts are empty, never missing, until
/// written.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub id: Uuid,
    pub status: AssessmentStatus,
    /// 1 when started, one more for every save, completion and countersignature.
    pub version: i32,
    /// The case type when the assessment was made (custody before a release).
    pub case_type: CaseType,
    /// One level per risk group given so far, in group order.
    pub levels: Vec<(RiskGroup, RoshLevel)>,
    pub nature_of_harm: String,
    pub who_is_at_risk: String,
    pub imminence: String,
    pub increasing_factors: String,
    pub reducing_factors: String,
    /// The highest level, set on completion.
    pub case_level: Option<RoshLevel>,
    /// A note on each household member considered.
    pub considerations: Vec<ConsiderationNote>,
    /// How each check response informs the analysis.
    pub check_references: Vec<CheckReferenceNote>,
    pub created_by: Uuid,
    pub created_at: NaiveDateTime,
    pub updated_by: Uuid,
    pub updated_at: NaiveDateTime,
    pub completed_by: Option<Uuid>,
    pub completed_at: Option<NaiveDateTime>,
    /// The team's senior probation officer, for high and very high assessments.
    pub countersigned_by: Option<Uuid>,
    pub countersigned_at: Option<NaiveDateTime>,
    /// When a newer assessment took effect.
    pub superseded_at: Option<NaiveDateTime>,
}

/// The practitioner's note on a person the assessment considers (a household member's id).
#[derive(Debug, Clone, PartialEq)]
pub struct ConsiderationNote {
    pub subject_id: Uuid,
    pub note: String,
}

/// A link from the analysis to a check response, saying how it informs the analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckReferenceNote {
    pub check_id: Uuid,
    pub note: String,
}

/// A "review the risk assessment" task created by a change in circumstances.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewTask {
    pub id: Uuid,
    pub trigger: ReviewTrigger,
    pub occurred_on: NaiveDate,
    pub details: String,
    pub due_on: NaiveDate,
    /// The review rules' version, as the application records it.
    pub rule_version: String,
    pub created_by: Option<Uuid>,
    pub created_at: NaiveDateTime,
    /// Set when an assessment answered it: the day that assessment took effect.
    pub completed_on: Option<NaiveDate>,
    pub completed_by_assessment: Option<Uuid>,
}
