//! Curfew and home-address suitability checks (reference §5): `/cases/{crn}/address-checks`.
//!
//! An officer starts a check of a proposed address for home detention curfew, a licence or a
//! curfew requirement; sends the police and children's-services checks for that address through
//! keepsafe; records the occupier and consent, who lives there (with ages), electricity, the home
//! visit, victim liaison and the assessment of risk to women and children; references each answer;
//! and judges the address. keepsafe lists exactly what is still missing (`domain::address_suitability`),
//! and a senior officer can approve the address only when nothing is.

use crate::cases::access::{open_case_for, Need};
use crate::error::AppError;
use crate::format;
use crate::forms::{self, FieldError, FormFields, Posted, Submission, Validation};
use crate::layout::{render, Chrome};
use crate::partners::exchange::{self, SendTo};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{NaiveDate, NaiveDateTime};
use keepsafe_domain::address_suitability::{
    assess_suitability, may_approve, AddressCheck, AddressResident, CurfewPurpose, DatedNote,
    Judgement, OccupierConsent, ResidentAge, UnsuitabilityReason,
};
use keepsafe_domain::household::Relationship;
use keepsafe_domain::partner::RequestType;
use keepsafe_domain::person::Sex;
use keepsafe_domain::rosh::{AddressFact, CheckReference};
use keepsafe_domain::text::LongText;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry};
use keepsafe_storage::cases::record::{self as case_record, LocatedCase};
use keepsafe_storage::risk::address_checks::{self, NewAddress, StoredAddressCheck};
use keepsafe_storage::risk::checks;
use keepsafe_storage::{partners, AnyConnection, StorageError};
use uuid::Uuid;

/// Resident rows on the form.
const RESIDENT_ROWS: usize = 5;

// ---------------------------------------------------------------------------------------------
// Starting a check.

#[derive(Template)]
#[template(path = "risk/address_checks.html")]
struct ListPage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    checks: Vec<(String, String, String, String)>,
    purposes: Vec<(&'static str, &'static str)>,
    may_work: bool,
    errors: Vec<FieldError>,
}

fn list_page(
    user: &CurrentUser,
    conn: &mut AnyConnection,
    case: &LocatedCase,
    errors: Vec<FieldError>,
) -> Result<ListPage, AppError> {
    let (name, crn) = case_record::heading(conn, case.person_id)?;
    let may_work = keepsafe_domain::access::decide(
        &user.account.actor(),
        keepsafe_domain::access::Action::WorkOnCase(&case.location),
    )
    .is_allowed();
    Ok(ListPage {
        chrome: Chrome::for_form(user, "Address checks", &errors, ""),
        csrf_token: user.csrf_token.clone(),
        checks: address_checks::for_person(conn, case.person_id)?
            .into_iter()
            .map(|c| {
                (
                    c.id.to_string(),
                    c.purpose.label().to_owned(),
                    c.address,
                    match (c.approved_on, c.judgement.as_deref()) {
                        (Some(on), _) => format!("Approved {}", format::short_date(on)),
                        (None, Some("unsuitable")) => "Unsuitable".into(),
                        (None, Some("suitable")) => "Judged suitable, not yet approved".into(),
                        _ => "In progress".into(),
                    },
                )
            })
            .collect(),
        purposes: CurfewPurpose::ALL
            .iter()
            .map(|p| (p.code(), p.label()))
            .collect(),
        may_work,
        name,
        crn,
        errors,
    })
}

/// `GET /cases/{crn}/address-checks`.
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let viewer = user.clone();
    let page = open_case_for(
        &state,
        &user,
        &crn,
        "view_address_checks",
        Need::View,
        move |conn, case| list_page(&viewer, conn, case, Vec::new()),
    )
    .await?;
    Ok(render(&page)?.into_response())
}

/// Reads the form starting a check: what the address is proposed for, and the address.
fn read_address(fields: &FormFields) -> Result<(CurfewPurpose, NewAddress), Vec<FieldError>> {
    let mut validation = Validation::default();
    let purpose = validation.required(
        CurfewPurpose::parse(fields.get("purpose")).ok(),
        "purpose",
        "Select what the address is proposed for",
    );
    let mut line = |name: &str, message: &str| {
        let value = fields.filled(name).map(str::to_owned);
        validation.required(value, name, message)
    };
    let line1 = line("line1", "Enter the first line of the address");
    let town = line("town", "Enter the town or city");
    let postcode = validation.field(
        keepsafe_domain::address::Postcode::parse(fields.get("postcode"))
            .map(|postcode| postcode.as_str().to_owned())
            .map_err(|error| FieldError::new("postcode", format!("Postcode: {error}"))),
    );
    validation.finish(|| {
        let (line1, town, postcode) = (line1?, town?, postcode?);
        Some((
            purpose?,
            NewAddress {
                line1,
                town,
                postcode,
            },
        ))
    })
}

/// `POST /cases/{crn}/address-checks`: starts a check of a new proposed address.
pub async fn start(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let viewer = user.clone();
    let posted = Posted::new(&user, &fields);
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "start_address_check",
        Need::Work,
        move |conn, case| {
            let (purpose, address) = match read_address(&posted) {
                Ok(read) => read,
                Err(errors) => {
                    return Ok(Submission::Refused(list_page(&viewer, conn, case, errors)?))
                }
            };
            let now = state.clock.now();
            let id =
                address_checks::start(conn, case.person_id, &address, purpose, posted.by, now)?;
            audit::record(
                conn,
                &posted.audit_on_case("start_address_check", case, purpose.code()),
                now,
            )?;
            Ok(Submission::Saved((case.crn.clone(), id)))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |(crn, id)| Redirect::to(&format!("/cases/{crn}/address-checks/{id}")),
        |page| page,
    )
}

// ---------------------------------------------------------------------------------------------
// One check.

struct ResidentRow {
    index: usize,
    name: String,
    relationship: String,
    age: String,
    sex: String,
}

struct ReferenceRow {
    id: String,
    label: String,
    answer: String,
    note: String,
}

#[derive(Template)]
#[template(path = "risk/address_check.html")]
struct CheckPage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    id: String,
    purpose: String,
    address: String,
    shown_at: String,
    approved: Option<String>,
    findings: Vec<(String, String)>,
    suitable: bool,
    may_approve: bool,
    checks: Vec<(String, String)>,
    /// Partner organisations of the region an occupier check can go to: (id, name).
    occupier_partners: Vec<(String, String)>,
    references: Vec<ReferenceRow>,
    residents: Vec<ResidentRow>,
    relationships: Vec<(&'static str, &'static str)>,
    reasons: Vec<(&'static str, &'static str)>,
    values: FormFields,
    errors: Vec<FieldError>,
}

/// The form's id for a domain field path.
fn form_id(field: &str) -> String {
    if let Some(rest) = field.strip_prefix("residents[") {
        let index = rest.split(']').next().unwrap_or("0");
        return format!("resident-{index}-age");
    }
    if let Some(rest) = field.strip_prefix("check_references[") {
        return format!("reference-{}", rest.trim_end_matches(']'));
    }
    if field.starts_with("checks.") {
        return "checks".into();
    }
    field.replace('_', "-")
}

fn yes_no(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    }
}

fn date_parts(fields: &mut Vec<(String, String)>, name: &str, date: Option<NaiveDate>) {
    if let Some(date) = date {
        fields.push((format!("{name}-day"), date.format("%-d").to_string()));
        fields.push((format!("{name}-month"), date.format("%-m").to_string()));
        fields.push((format!("{name}-year"), date.format("%Y").to_string()));
    }
}

/// The stored check as the form's values, so the form shows what was saved.
fn values_of(check: &AddressCheck, today: NaiveDate) -> FormFields {
    let mut v: Vec<(String, String)> = vec![
        (
            "person-is-occupier".into(),
            yes_no(check.person_is_occupier).into(),
        ),
        (
            "main-occupier".into(),
            check.main_occupier.clone().unwrap_or_default(),
        ),
        (
            "occupier-consent".into(),
            match check.occupier_consent {
                Some(OccupierConsent::Given { .. }) => "given",
                Some(OccupierConsent::Refused) => "refused",
                None => "",
            }
            .into(),
        ),
        (
            "cautioned-against-resident".into(),
            yes_no(check.cautioned_against_resident).into(),
        ),
        (
            "electricity-supply".into(),
            yes_no(check.electricity_supply).into(),
        ),
        (
            "victim-near".into(),
            yes_no(Some(check.victim_at_or_near)).into(),
        ),
    ];
    if let Some(OccupierConsent::Given {
        confirmed_with_occupier_on,
    }) = check.occupier_consent
    {
        date_parts(&mut v, "consent-confirmed", confirmed_with_occupier_on);
    }
    date_parts(&mut v, "home-visit", check.home_visit_on);
    if let Some(note) = &check.victim_liaison {
        date_parts(&mut v, "victim-liaison", Some(note.on));
        v.push(("victim-liaison-note".into(), note.note.as_str().into()));
    }
    if let Some(note) = &check.risk_to_women_and_children {
        date_parts(&mut v, "risk", Some(note.on));
        v.push(("risk-note".into(), note.note.as_str().into()));
    }
    for (i, r) in check.residents.iter().enumerate() {
        v.push((format!("resident-{i}-name"), r.name.clone()));
        v.push((
            format!("resident-{i}-relationship"),
            r.relationship.code().into(),
        ));
        let age = match r.age {
            Some(ResidentAge::Years(y)) => y.to_string(),
            Some(ResidentAge::DateOfBirth(dob)) => keepsafe_domain::age::age_on(dob, today)
                .map(|a| a.to_string())
                .unwrap_or_default(),
            None => String::new(),
        };
        v.push((format!("resident-{i}-age"), age));
        v.push((
            format!("resident-{i}-sex"),
            r.sex.map(|s| s.code()).unwrap_or("").into(),
        ));
    }
    for reference in &check.check_references {
        v.push((
            format!("reference-{}", reference.check_id),
            reference.note.as_str().into(),
        ));
    }
    match &check.judgement {
        Some(Judgement::Suitable { note }) => {
            v.push(("judgement".into(), "suitable".into()));
            v.push(("judgement-note".into(), note.as_str().into()));
        }
        Some(Judgement::Unsuitable { reason, detail }) => {
            v.push(("judgement".into(), "unsuitable".into()));
            v.push(("unsuitability-reason".into(), reason.code().into()));
            v.push(("judgement-note".into(), detail.as_str().into()));
        }
        None => {}
    }
    FormFields(v)
}

fn check_page(
    user: &CurrentUser,
    conn: &mut AnyConnection,
    case: &LocatedCase,
    stored: &StoredAddressCheck,
    values: Option<FormFields>,
    errors: Vec<FieldError>,
    today: NaiveDate,
) -> Result<CheckPage, AppError> {
    let (name, crn) = case_record::heading(conn, case.person_id)?;

    let check = &stored.check;
    let address = check.address.description.clone();
    let (findings, suitable) = match assess_suitability(check, today) {
        Ok(_) => (Vec::new(), true),
        Err(findings) => (
            findings
                .iter()
                .map(|f| (form_id(&f.field()), f.message(&address)))
                .collect(),
            false,
        ),
    };
    let records = checks::for_person(conn, case.person_id)?;
    let for_address: Vec<_> = records
        .iter()
        .filter(|c| c.address_id == Some(check.address.id))
        .collect();
    let actor = user.account.actor();
    Ok(CheckPage {
        chrome: Chrome::for_form(user, format!("Address check: {address}"), &errors, ""),
        csrf_token: user.csrf_token.clone(),
        name,
        crn,
        id: stored.id.to_string(),
        purpose: check.purpose.label().to_owned(),
        address: address.clone(),
        shown_at: stored.updated_at.format("%Y-%m-%dT%H:%M:%S%.f").to_string(),
        approved: stored.approved_on.map(|on| {
            format!(
                "Approved {} on {}",
                check.purpose.label().to_lowercase(),
                format::short_date(on)
            )
        }),
        suitable,
        may_approve: suitable
            && stored.approved_on.is_none()
            && keepsafe_domain::access::decide(
                &actor,
                keepsafe_domain::access::Action::ManageCaseRisk(&case.location),
            )
            .is_allowed(),
        findings,
        checks: for_address
            .iter()
            .map(|c| {
                let line = crate::risk::overview::check_line(c, today);
                let answer = match (&c.response, c.check_kind()) {
                    // An occupier check is not analysed below, so its answer is shown here.
                    (Some(response), None) => format!(": they said {}", response.summary),
                    _ => String::new(),
                };
                (
                    c.label().to_owned(),
                    format!("{} — {}{answer}", line.status, line.requested),
                )
            })
            .collect(),
        occupier_partners: partners::organisations_in_region(conn, case.location.region)?
            .into_iter()
            .filter(|p| RequestType::Occupier.can_be_sent_to(p.organisation.kind))
            .map(|p| {
                (
                    p.organisation.id.to_string(),
                    p.organisation.name.as_str().to_owned(),
                )
            })
            .collect(),
        references: for_address
            .iter()
            .filter(|c| c.check_kind().is_some())
            .filter_map(|c| {
                let response = c.response.as_ref()?;
                Some(ReferenceRow {
                    id: c.id.to_string(),
                    label: format!(
                        "How the {} answer informs your judgement",
                        c.label().to_lowercase()
                    ),
                    answer: response.summary.clone(),
                    note: String::new(),
                })
            })
            .collect(),
        residents: (0..RESIDENT_ROWS)
            .map(|index| ResidentRow {
                index,
                name: String::new(),
                relationship: String::new(),
                age: String::new(),
                sex: String::new(),
            })
            .collect(),
        relationships: Relationship::ALL
            .iter()
            .map(|r| (r.code(), r.label()))
            .collect(),
        reasons: UnsuitabilityReason::ALL
            .iter()
            .map(|r| (r.code(), r.label()))
            .collect(),
        values: values.unwrap_or_else(|| values_of(check, today)),
        errors,
    }
    .with_rows())
}

impl CheckPage {
    /// Fills the resident and reference rows from the form's values.
    fn with_rows(mut self) -> Self {
        for row in &mut self.residents {
            let i = row.index;
            row.name = self.values.get(&format!("resident-{i}-name")).to_owned();
            row.relationship = self
                .values
                .get(&format!("resident-{i}-relationship"))
                .to_owned();
            row.age = self.values.get(&format!("resident-{i}-age")).to_owned();
            row.sex = self.values.get(&format!("resident-{i}-sex")).to_owned();
        }
        for reference in &mut self.references {
            reference.note = self
                .values
                .get(&format!("reference-{}", reference.id))
                .to_owned();
        }
        self
    }

    /// A form value, for the template.
    fn value(&self, name: &str) -> &str {
        self.values.get(name)
    }
}

fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// `GET /cases/{crn}/address-checks/{check}`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, raw)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let id = parse_id(&raw)?;
    let viewer = user.clone();
    let page = open_case_for(
        &state,
        &user,
        &crn,
        "view_address_check",
        Need::View,
        move |conn, case| {
            let stored = address_checks::load(conn, case.person_id, id, state.clock.today())?;
            check_page(&viewer, conn, case, &stored, None, Vec::new(), today)
        },
    )
    .await?;
    Ok(render(&page)?.into_response())
}

fn optional_date(
    fields: &FormFields,
    name: &str,
    label: &str,
    validation: &mut Validation,
) -> Option<NaiveDate> {
    let given = ["day", "month", "year"]
        .iter()
        .any(|part| fields.filled(&format!("{name}-{part}")).is_some());
    if !given {
        return None;
    }
    validation.field(fields.date(name, label))
}

fn dated_note(
    fields: &FormFields,
    name: &str,
    label: &str,
    today: NaiveDate,
    validation: &mut Validation,
) -> Option<DatedNote> {
    let on = optional_date(fields, name, label, validation);
    let text = fields.get(&format!("{name}-note"));
    match (on, text.trim().is_empty()) {
        (None, true) => None,
        (None, false) => {
            validation.add(FieldError::new(
                format!("{name}-day"),
                format!("Enter {label}"),
            ));
            None
        }
        (Some(on), _) => validation.field(
            DatedNote::parse(on, text, today)
                .map_err(|error| FieldError::new(format!("{name}-note"), error.to_string())),
        ),
    }
}

/// Reads the form into the domain's check: what it cannot read is an error naming the field;
/// what is simply not answered yet stays unanswered (the assessment lists it).
fn parse_form(
    fields: &FormFields,
    stored: &AddressCheck,
    today: NaiveDate,
) -> Result<AddressCheck, Vec<FieldError>> {
    let mut validation = Validation::default();
    let consent_confirmed = optional_date(
        fields,
        "consent-confirmed",
        "the date you confirmed consent with the occupier",
        &mut validation,
    );
    let occupier_consent = match fields.get("occupier-consent") {
        "given" => Some(OccupierConsent::Given {
            confirmed_with_occupier_on: consent_confirmed,
        }),
        "refused" => Some(OccupierConsent::Refused),
        _ => None,
    };
    let mut residents = Vec::new();
    for i in 0..RESIDENT_ROWS {
        let name = fields.get(&format!("resident-{i}-name")).trim();
        if name.is_empty() {
            continue;
        }
        let relationship =
            match Relationship::parse(fields.get(&format!("resident-{i}-relationship"))) {
                Ok(r) => r,
                Err(_) => {
                    validation.add(FieldError::new(
                        format!("resident-{i}-relationship"),
                        format!("Select how {name} is related to the person"),
                    ));
                    continue;
                }
            };
        let age_text = fields.get(&format!("resident-{i}-age")).trim();
        let age = if age_text.is_empty() {
            None
        } else {
            match age_text.parse::<u32>() {
                Ok(years) if years <= 120 => Some(ResidentAge::Years(years)),
                _ => {
                    validation.add(FieldError::new(
                        format!("resident-{i}-age"),
                        format!("{name}'s age must be a whole number of years, like 34"),
                    ));
                    None
                }
            }
        };
        residents.push(AddressResident {
            id: Uuid::from_u128(i as u128 + 1),
            name: name.to_owned(),
            relationship,
            age,
            sex: Sex::parse(fields.get(&format!("resident-{i}-sex"))).ok(),
        });
    }
    let home_visit_on = optional_date(
        fields,
        "home-visit",
        "the date of the home visit",
        &mut validation,
    );
    let victim_liaison = dated_note(
        fields,
        "victim-liaison",
        "the date victim liaison was consulted",
        today,
        &mut validation,
    );
    let risk = dated_note(
        fields,
        "risk",
        "the date you assessed the risk to women and children",
        today,
        &mut validation,
    );
    let mut check_references = Vec::new();
    for (key, value) in fields.with_prefix("reference-") {
        let (Ok(check_id), false) = (Uuid::parse_str(key), value.trim().is_empty()) else {
            continue;
        };
        match LongText::required(value) {
            Ok(note) => check_references.push(CheckReference { check_id, note }),
            Err(error) => validation.add(FieldError::new(
                format!("reference-{key}"),
                format!("The note {error}"),
            )),
        }
    }
    let judgement_note = fields.get("judgement-note");
    let judgement = match fields.get("judgement") {
        "suitable" => match LongText::optional(judgement_note) {
            Ok(note) => Some(Judgement::Suitable { note }),
            Err(error) => {
                validation.add(FieldError::new(
                    "judgement-note",
                    format!("The note {error}"),
                ));
                None
            }
        },
        "unsuitable" => match (
            UnsuitabilityReason::parse(fields.get("unsuitability-reason")),
            LongText::optional(judgement_note),
        ) {
            (Ok(reason), Ok(detail)) => Some(Judgement::Unsuitable { reason, detail }),
            (Err(_), _) => {
                validation.add(FieldError::new(
                    "unsuitability-reason",
                    "Select why the address is unsuitable",
                ));
                None
            }
            (_, Err(error)) => {
                validation.add(FieldError::new(
                    "judgement-note",
                    format!("The note {error}"),
                ));
                None
            }
        },
        _ => None,
    };
    let main_occupier = fields.get("main-occupier").trim();
    if !validation.passed() {
        return Err(validation.into_errors());
    }
    Ok(AddressCheck {
        person_is_occupier: fields.yes_no("person-is-occupier"),
        main_occupier: (!main_occupier.is_empty()).then(|| main_occupier.to_owned()),
        occupier_consent,
        residents,
        cautioned_against_resident: fields.yes_no("cautioned-against-resident"),
        electricity_supply: fields.yes_no("electricity-supply"),
        home_visit_on,
        victim_at_or_near: fields.yes_no("victim-near") == Some(true),
        victim_liaison,
        check_references,
        risk_to_women_and_children: risk,
        judgement,
        ..stored.clone()
    })
}

/// `POST /cases/{crn}/address-checks/{check}`: saves what was recorded; the page then lists what
/// is still missing.
pub async fn save(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, raw)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let id = parse_id(&raw)?;
    let viewer = user.clone();
    let posted = Posted::new(&user, &fields);
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "save_address_check",
        Need::Work,
        move |conn, case| {
            let now = state.clock.now();
            let stored = address_checks::load(conn, case.person_id, id, now.date_naive())?;
            let shown_at =
                NaiveDateTime::parse_from_str(posted.get("shown-at"), "%Y-%m-%dT%H:%M:%S%.f")
                    .map_err(|_| {
                        AppError::BadRequest(
                            "the form is missing its version; reload the page".into(),
                        )
                    })?;
            let refused = |conn: &mut AnyConnection, errors| {
                let typed = Some(posted.fields.clone());
                let page = check_page(&viewer, conn, case, &stored, typed, errors, today)?;
                Ok(Submission::Refused(page))
            };
            let check = match parse_form(&posted, &stored.check, now.date_naive()) {
                Ok(check) => check,
                Err(errors) => return refused(conn, errors),
            };
            match address_checks::save(conn, id, shown_at, &check, now) {
                Ok(()) => {}
                Err(StorageError::Conflict(message)) => {
                    return refused(conn, vec![FieldError::new("person-is-occupier", message)]);
                }
                Err(other) => return Err(other.into()),
            }
            audit::record(
                conn,
                &posted.audit_on_case("save_address_check", case, id.to_string()),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn| Redirect::to(&format!("/cases/{crn}/address-checks/{id}#findings")),
        |page| page,
    )
}

/// `POST /cases/{crn}/address-checks/{check}/checks`: sends the police domestic-abuse check and,
/// where `kind` asks for it, the children's-services check, for the person and this address.
pub async fn request_checks(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, raw)): Path<(String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let id = parse_id(&raw)?;
    let by = user.account.id;
    let actor = user.audit_name();
    let kinds: Vec<RequestType> = fields
        .0
        .iter()
        .filter(|(k, _)| k == "kind")
        .filter_map(|(_, v)| RequestType::parse(v).ok())
        .collect();
    // An occupier check goes to the partner chosen for it; the others to the partner holding
    // the records.
    let occupier_to = SendTo::parse(fields.get("occupier-partner"));
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "request_address_checks",
        Need::Work,
        move |conn, case| {
            let now = state.clock.now();
            let stored = address_checks::load(conn, case.person_id, id, now.date_naive())?;
            if kinds.is_empty() {
                return Ok(Err("Select the checks to send".to_owned()));
            }
            let occupier_known = stored.check.person_is_occupier == Some(true)
                || stored
                    .check
                    .main_occupier
                    .as_deref()
                    .is_some_and(|name| !name.trim().is_empty());
            if kinds.contains(&RequestType::Occupier) && !occupier_known {
                return Ok(Err(
                    "Record and save the main occupier's name before sending an occupier check, \
                     so the partner knows whom to look for. Nothing was sent"
                        .to_owned(),
                ));
            }
            let address = AddressFact {
                id: stored.check.address.id,
                description: stored.check.address.description.clone(),
            };
            for kind in &kinds {
                if let Err(message) = exchange::request_check(
                    conn,
                    case,
                    *kind,
                    if *kind == RequestType::Occupier {
                        occupier_to
                    } else {
                        SendTo::Auto
                    },
                    Some(address.clone()),
                    (by, &actor),
                    now,
                )? {
                    // Nothing is kept: the transaction rolls back on this error.
                    return Err(AppError::Conflict(format!("{message}. Nothing was sent")));
                }
            }
            Ok(Ok(case.crn.clone()))
        },
    )
    .await?;
    match outcome {
        Ok(crn) => {
            Ok(Redirect::to(&format!("/cases/{crn}/address-checks/{id}#checks")).into_response())
        }
        Err(message) => Err(AppError::BadRequest(message)),
    }
}

/// `POST /cases/{crn}/address-checks/{check}/approve`: a senior officer approves the address for
/// its purpose — refused, with everything still missing, unless the domain finds it suitable today.
pub async fn approve(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, raw)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = parse_id(&raw)?;
    let by = user.account.id;
    let actor = user.audit_name();
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "approve_address",
        Need::ManageRisk,
        move |conn, case| {
            let today = state.clock.today();
            let stored = address_checks::load(conn, case.person_id, id, today)?;
            if let Err(refused) = may_approve(&stored.check, stored.check.purpose, today) {
                return Ok(Err(refused.to_string()));
            }
            address_checks::approve(conn, id, by, today)?;
            audit::record(
                conn,
                &AuditEntry::on_case(
                    by,
                    actor,
                    "approve_address",
                    case,
                    format!(
                        "{} approved {}",
                        stored.check.address.description,
                        stored.check.purpose.code()
                    ),
                ),
                state.clock.now(),
            )?;
            Ok(Ok(case.crn.clone()))
        },
    )
    .await?;
    match outcome {
        Ok(crn) => Ok(Redirect::to(&format!("/cases/{crn}/address-checks/{id}")).into_response()),
        Err(message) => Err(AppError::Conflict(message)),
    }
}
