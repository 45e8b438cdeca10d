//! `GET /cases/{crn}`: the case record. Opened through [`open_case`], so every view is authorised
//! and audit-logged in the same transaction as the read.

use crate::cases::access::open_case;
use crate::cases::editing::ChangedQuery;
use crate::cases::record_details::{Sections, SectionsView};
use crate::error::AppError;
use crate::format;
use crate::layout::{render, Chrome};
use crate::risk::overview::open_risks;
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use chrono::NaiveDate;
use keepsafe_domain::age::{age_on, is_child_on};
use keepsafe_domain::requirement::LengthUnit;
use keepsafe_domain::review::is_overdue;
use keepsafe_domain::rosh::AssessmentStatus;
use keepsafe_domain::CodedValue;
use keepsafe_storage::cases::record::{
    self as case_record, CaseRecord, EventRecord, RegistrationRecord,
};
use keepsafe_storage::cases::tasks::{self as review_tasks, TaskRecord};
use keepsafe_storage::risk::assessments::{self as rosh_assessments, AssessmentRecord};
use keepsafe_storage::risk::checks::{self, CheckRecord};
use keepsafe_storage::risk::scores::{self as risk_scores, RiskScores, SingleTierResult};

/// Contacts shown on the record; older ones are kept but not listed here yet.
const CONTACTS_SHOWN: i64 = 50;

#[derive(Template)]
#[template(path = "cases/record.html")]
struct CaseRecordPage {
    chrome: Chrome,
    name: String,
    crn: String,
    personal: Vec<(String, String)>,
    current_addresses: Vec<AddressView>,
    previous_addresses: Vec<AddressView>,
    household: Vec<HouseholdView>,
    events: Vec<EventView>,
    active_flags: Vec<FlagView>,
    /// Personal details, aliases, disabilities, personal contacts and registrations, with their
    /// actions and the banner after a change.
    details: SectionsView,
    contacts: Vec<ContactView>,
    allocations: Vec<AllocationView>,
    managed_by: String,
    /// "Allocate" or "Reallocate", for those who oversee the case (senior officer, head of PDU).
    allocate_action: Option<&'static str>,
    /// "This case has limited access…" when either list names anyone, and whether the user keeps
    /// the lists (the heads of the case's PDU).
    limited_access: Option<&'static str>,
    may_limit_access: bool,
    risk: RiskBanner,
    next_appointment: crate::supervision::contacts::NextAppointmentView,
    contact_standard: crate::supervision::standards::CaseLine,
    /// Whether the user may change the addresses and household ("Change" links).
    may_work: bool,
    /// The police and children's-services checks to send again since the circumstances changed.
    checks_offer: Option<crate::cases::circumstances::ChecksOfferView>,
}

/// The risk summary at the top of the case record; each item links to why.
struct RiskBanner {
    rosh: String,
    rosh_detail: String,
    in_progress: String,
    checks_outstanding: Vec<String>,
    reviews_overdue: usize,
    reviews_due: usize,
    open_risks: Vec<String>,
    tier: String,
    ogrs3: String,
}

struct AddressView {
    status: String,
    lines: Vec<String>,
    dates: String,
}

struct HouseholdView {
    name: String,
    relationship: String,
    age: String,
    is_child: bool,
    since: String,
    current: bool,
}

struct EventView {
    heading: String,
    active: bool,
    details: Vec<(String, String)>,
    requirements: Vec<RequirementView>,
}

struct RequirementView {
    kind: String,
    length: String,
    detail: String,
    dates: String,
    status: String,
}

struct FlagView {
    label: String,
}

struct ContactView {
    when: String,
    kind: String,
    location: String,
    outcome: String,
    failure: bool,
    staff: String,
    notes: String,
}

struct AllocationView {
    practitioner: String,
    team: String,
    from: String,
    to: String,
    reason: String,
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Query(changed): Query<ChangedQuery>,
) -> Result<Html<String>, AppError> {
    let actor = user.account.actor();
    let now = keepsafe_domain::supervision::contact_log::local_time(state.clock.now());
    let clock = state.clock;
    let (record, risk, may_allocate, next, standard, (may_work, offer, limited), sections) =
        open_case(&state, &user, &crn, "view_case", move |conn, case| {
            let may_allocate = keepsafe_domain::access::decide(
                &actor,
                keepsafe_domain::access::Action::ManageCaseRisk(&case.location),
            )
            .is_allowed();
            let may_work = crate::cases::addresses::may_work(&actor, case);
            let limited = (
                case.limits.is_limited(),
                keepsafe_domain::access::limited::decide_on_case(
                    &actor,
                    keepsafe_domain::access::Action::ManageLimitedAccess(&case.location),
                    &case.limits,
                )
                .is_allowed(),
            );
            let offer = keepsafe_storage::cases::consequences::checks_offer(
                conn,
                case.person_id,
                clock.today(),
            )?;
            let record = case_record::load(conn, case.person_id, CONTACTS_SHOWN)?;
            let risk = RiskData {
                assessments: rosh_assessments::for_person(conn, case.person_id)?,
                checks: checks::for_person(conn, case.person_id)?,
                tasks: review_tasks::for_person(conn, case.person_id)?,
                scores: risk_scores::for_person(conn, case.person_id)?,
            };
            let next = crate::supervision::contacts::next_appointment(conn, case, &actor, now)?;
            let standard =
                crate::supervision::standards::CaseLine::read(conn, case.person_id, clock.today())?;
            let sections = Sections::read(conn, case, &actor)?;
            Ok((
                record,
                risk,
                may_allocate,
                next,
                standard,
                (may_work, offer, limited),
                sections,
            ))
        })
        .await?;
    let today = state.clock.today();
    let allocated = record.allocations.iter().any(|a| a.end_date.is_none());
    let details = sections.view(&record.person, today, &user.csrf_token, &changed);
    let mut page = view(record, today, &user);
    page.details = details;
    page.risk = banner(&risk, today);
    page.next_appointment = next;
    page.contact_standard = standard;
    page.may_work = may_work;
    page.checks_offer = offer.filter(|_| may_work).map(|o| {
        crate::cases::circumstances::ChecksOfferView::new(&o, &page.crn, &user.csrf_token)
    });
    page.allocate_action =
        may_allocate.then_some(if allocated { "Reallocate" } else { "Allocate" });
    page.limited_access = limited.0.then_some(
        "This case has limited access: some staff are excluded from it, or it is restricted to named staff.",
    );
    page.may_limit_access = limited.1;
    render(&page)
}

struct RiskData {
    assessments: Vec<AssessmentRecord>,
    checks: Vec<CheckRecord>,
    tasks: Vec<TaskRecord>,
    scores: RiskScores,
}

/// "C2; single tier not computed (…)" — the tiers in a line, with the reason when missing.
fn tier_line(scores: &RiskScores) -> String {
    let Some(tier) = &scores.tier else {
        return "Not computed".into();
    };
    let single = match &tier.single {
        SingleTierResult::Tiered { tier, provisional } => {
            format!(
                "single tier {}{}",
                tier.code(),
                if *provisional { " (provisional)" } else { "" }
            )
        }
        SingleTierResult::NotSupervised => "single tier: not supervised".into(),
        SingleTierResult::Missing { reason } => format!("single tier not computed: {reason}"),
    };
    format!("{} (legacy); {single}", tier.legacy.code())
}

/// The OGRS3 of the most recent active event, or what to record.
fn ogrs3_line(scores: &RiskScores) -> String {
    match scores.ogrs3.first() {
        None => "Not computed: no active event".into(),
        Some(score) => match (score.one_year, score.two_year, score.band) {
            (Some(one), Some(two), Some(band)) => {
                format!(
                    "{one}% one year, {two}% two years ({})",
                    band.label().to_lowercase()
                )
            }
            _ => format!(
                "Not computed: {}",
                score
                    .error
                    .clone()
                    .unwrap_or_else(|| "inputs missing".into())
            ),
        },
    }
}

fn banner(data: &RiskData, today: NaiveDate) -> RiskBanner {
    let current = data
        .assessments
        .iter()
        .find(|a| a.status == AssessmentStatus::Completed);
    let in_progress = data
        .assessments
        .iter()
        .find(|a| {
            matches!(
                a.status,
                AssessmentStatus::Draft | AssessmentStatus::AwaitingCountersignature
            )
        })
        .map(|a| a.status.label().to_owned())
        .unwrap_or_default();
    let open_tasks: Vec<_> = data
        .tasks
        .iter()
        .filter(|t| t.completed_on.is_none())
        .collect();
    RiskBanner {
        rosh: current
            .and_then(|a| a.case_level)
            .map(|l| l.label().to_owned())
            .unwrap_or_else(|| "Not assessed".into()),
        rosh_detail: current
            .and_then(|a| a.completed_at)
            .map(|at| format!("completed {}", format::short_date(at.date())))
            .unwrap_or_default(),
        in_progress,
        checks_outstanding: data
            .checks
            .iter()
            .filter(|c| c.response.is_none())
            .map(|c| {
                let overdue = if today > c.deadline { ", overdue" } else { "" };
                format!(
                    "{} (due {}{overdue})",
                    c.label(),
                    format::short_date(c.deadline)
                )
            })
            .collect(),
        reviews_overdue: open_tasks
            .iter()
            .filter(|t| is_overdue(t.due_on, today))
            .count(),
        reviews_due: open_tasks.len(),
        open_risks: open_risks(current, &data.checks),
        tier: tier_line(&data.scores),
        ogrs3: ogrs3_line(&data.scores),
    }
}

fn view(
    record: CaseRecord,
    today: NaiveDate,
    user: &crate::session::CurrentUser,
) -> CaseRecordPage {
    let person = &record.person;
    let name = format!("{} {}", person.first_name, person.last_name);
    let managed_by = record
        .allocations
        .iter()
        .find(|a| a.end_date.is_none())
        .map(|a| format!("{} ({}), {}", a.staff_name, a.grade, a.team_name))
        .unwrap_or_else(|| {
            "Not allocated: waiting for a senior probation officer to allocate".into()
        });
    // The person's own details (name, date of birth, gender…) are `record_details`'s, with
    // their actions; these are the case's.
    let personal = vec![
        ("Case reference number (CRN)".to_owned(), person.crn.clone()),
        (
            "Probation delivery unit".to_owned(),
            person.pdu_name.clone(),
        ),
        ("Managed by".to_owned(), managed_by.clone()),
    ];
    let (current, previous): (Vec<_>, Vec<_>) =
        record.addresses.iter().partition(|a| a.end_date.is_none());
    // A withdrawn proposal was never lived at: it is not a previous address.
    let previous: Vec<_> = previous
        .into_iter()
        .filter(|a| a.status != keepsafe_domain::address::AddressStatus::Proposed)
        .collect();
    let address_view = |a: &&case_record::AddressRecord| AddressView {
        status: a.status.label().to_owned(),
        lines: [
            Some(a.line1.clone()),
            a.line2.clone(),
            Some(a.town.clone()),
            Some(a.postcode.clone()),
        ]
        .into_iter()
        .flatten()
        .collect(),
        dates: match a.end_date {
            Some(end) => format!(
                "{} to {}",
                format::short_date(a.start_date),
                format::short_date(end)
            ),
            None => format!("Since {}", format::short_date(a.start_date)),
        },
    };
    CaseRecordPage {
        may_work: false,
        checks_offer: None,
        contact_standard: Default::default(),
        allocate_action: None,
        limited_access: None,
        may_limit_access: false,
        next_appointment: Default::default(),
        chrome: Chrome::for_user(user, format!("{name} ({})", person.crn), ""),
        crn: person.crn.clone(),
        personal,
        current_addresses: current.iter().map(address_view).collect(),
        previous_addresses: previous.iter().map(address_view).collect(),
        household: record
            .household
            .iter()
            .map(|h| HouseholdView {
                name: format!("{} {}", h.first_name, h.last_name),
                relationship: h.relationship.label().to_owned(),
                age: h
                    .date_of_birth
                    .and_then(|dob| age_on(dob, today))
                    .map(|a| a.to_string())
                    .unwrap_or_else(|| "Not known".into()),
                is_child: h.date_of_birth.is_some_and(|dob| is_child_on(dob, today)),
                since: format::short_date(h.start_date),
                current: h.end_date.is_none_or(|end| end > today),
            })
            .collect(),
        events: record.events.iter().map(event_view).collect(),
        active_flags: record
            .registrations
            .iter()
            .filter(|r| r.ended_on.is_none())
            .map(flag_view)
            .collect(),
        details: SectionsView::default(),
        contacts: record
            .contacts
            .iter()
            .map(|c| ContactView {
                when: format::date_time(c.starts_at),
                kind: c.contact_type.label().to_owned(),
                location: c.location.clone(),
                outcome: c.outcome.map(|o| o.label().to_owned()).unwrap_or_else(|| {
                    if c.starts_at.date() >= today {
                        "Booked".into()
                    } else {
                        "Outcome not recorded".into()
                    }
                }),
                failure: c.outcome.is_some_and(|o| o.is_failure()),
                staff: c.staff_name.clone().unwrap_or_default(),
                notes: if c.sensitive {
                    "Sensitive: read it in the contact log".into()
                } else {
                    c.notes.clone()
                },
            })
            .collect(),
        allocations: record
            .allocations
            .iter()
            .map(|a| AllocationView {
                practitioner: format!("{} ({})", a.staff_name, a.grade),
                team: a.team_name.clone(),
                from: format::short_date(a.start_date),
                to: a
                    .end_date
                    .map(format::short_date)
                    .unwrap_or_else(|| "Current".into()),
                reason: a.reason.clone(),
            })
            .collect(),
        name,
        managed_by,
        risk: RiskBanner {
            rosh: String::new(),
            rosh_detail: String::new(),
            in_progress: String::new(),
            checks_outstanding: Vec::new(),
            reviews_overdue: 0,
            reviews_due: 0,
            open_risks: Vec::new(),
            tier: String::new(),
            ogrs3: String::new(),
        },
    }
}

fn event_view(event: &EventRecord) -> EventView {
    let mut details = vec![
        ("Offence".to_owned(), event.offence_description.clone()),
        (
            "Offence category (OGRS3)".to_owned(),
            event.offence_category.label().to_owned(),
        ),
        (
            "Offence date".to_owned(),
            format::short_date(event.offence_date),
        ),
        (
            "Convicted".to_owned(),
            format!(
                "{}, {}",
                format::short_date(event.conviction_date),
                event.court
            ),
        ),
        ("Case type".to_owned(), event.case_type.label().to_owned()),
    ];
    let sentence = match (event.sentence_date, event.sentence_length_months) {
        (Some(date), Some(months)) => format!(
            "{} of {months} months, {}",
            event.sentence_type.label(),
            format::short_date(date)
        ),
        (Some(date), None) => format!(
            "{}, {}",
            event.sentence_type.label(),
            format::short_date(date)
        ),
        (None, _) => event.sentence_type.label().to_owned(),
    };
    details.push(("Sentence".to_owned(), sentence));
    if let Some(release) = event.release_date {
        details.push(("Release date".to_owned(), format::short_date(release)));
    }
    if let Some(end) = event.expected_end_date {
        details.push(("Expected end".to_owned(), format::short_date(end)));
    }
    EventView {
        heading: format!("Event {}: {}", event.number, event.offence_description),
        active: event.active,
        details,
        requirements: event
            .requirements
            .iter()
            .map(|r| RequirementView {
                kind: r.kind.label().to_owned(),
                length: match (r.length, r.kind.length_unit()) {
                    (Some(n), Some(unit)) => format!("{n} {}", unit_label(unit, n)),
                    _ => String::new(),
                },
                detail: r.detail.clone().unwrap_or_default(),
                dates: match r.end_date {
                    Some(end) => format!(
                        "{} to {}",
                        format::short_date(r.start_date),
                        format::short_date(end)
                    ),
                    None => format!("From {}", format::short_date(r.start_date)),
                },
                status: if r.active {
                    "Active".into()
                } else {
                    "Ended".into()
                },
            })
            .collect(),
    }
}

fn unit_label(unit: LengthUnit, n: i32) -> String {
    let label = unit.label();
    if n == 1 {
        label.trim_end_matches('s').to_owned()
    } else {
        label.to_owned()
    }
}

fn flag_view(registration: &RegistrationRecord) -> FlagView {
    FlagView {
        label: registration.kind.label().to_owned(),
    }
}
