//! The steps of a referral, each a form opened through `open_case_for(.., Need::Work)` and saved
//! in one transaction with its audit row: `/cases/{crn}/programmes/new` (the referral, normally
//! under an accredited programme or rehabilitation activity requirement), and
//! `/cases/{crn}/programmes/{referral}/{step}` for the suitability assessment (`assessment`), the
//! start (`start`), a session attended or missed (`session`: a programme session contact in the
//! contact log, a failure judged unacceptable going on to enforcement) and the end (`end`:
//! completed, or not with the reason). The domain's transitions decide; every refusal is shown
//! beside its field and nothing is written.

use crate::cases::access::{open_case_for, Need};
use crate::cases::details::{choices, optional_date};
use crate::cases::editing::{date_fields, FormState};
use crate::error::AppError;
use crate::forms::{self, FieldError, FormFields, Posted, Submission};
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::session::CurrentUser;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use keepsafe_domain::programmes::referral::{
    AssessmentDraft, EndDraft, InvalidStep, ReferralDraft, SessionDraft, StartDraft,
};
use keepsafe_domain::programmes::NonCompletionReason;
use keepsafe_domain::supervision::contact::{ContactOutcome, FailureJudgement};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::programmes::catalogue::{self, Programme};
use keepsafe_storage::programmes::referrals::{self, ReferralRecord};
use keepsafe_storage::programmes::requirements::{self, ProgrammeRequirement};
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------
// The referral.

#[derive(Template)]
#[template(path = "programmes/refer_form.html")]
struct ReferPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
    programmes: Vec<(String, String)>,
    requirements: Vec<(String, String)>,
}

/// What the referral form offers: the open programmes, and the person's programme requirements.
struct ReferContext {
    programmes: Vec<Programme>,
    requirements: Vec<ProgrammeRequirement>,
}

fn refer_context(conn: &mut AnyConnection, person: Uuid) -> Result<ReferContext, AppError> {
    Ok(ReferContext {
        programmes: catalogue::all(conn)?
            .into_iter()
            .filter(|p| p.active)
            .collect(),
        requirements: requirements::for_person(conn, person)?,
    })
}

fn refer_page(
    user: &CurrentUser,
    heading: (String, String),
    context: &ReferContext,
    fields: FormFields,
    errors: Vec<FieldError>,
) -> ReferPage {
    ReferPage {
        chrome: Chrome::for_form(user, "Refer to a programme", &errors, ""),
        errors: errors.clone(),
        form: FormState::new(user, heading, fields, errors),
        programmes: context
            .programmes
            .iter()
            .map(|p| {
                (
                    p.code.clone(),
                    format!(
                        "{} ({}, {} sessions)",
                        p.name,
                        p.kind.label().to_lowercase(),
                        p.sessions
                    ),
                )
            })
            .collect(),
        requirements: std::iter::once(("none".to_owned(), "Not under a requirement".to_owned()))
            .chain(context.requirements.iter().map(|r| {
                (
                    r.requirement_id.to_string(),
                    format!(
                        "{} requirement, began {}",
                        r.kind.label(),
                        crate::format::date(r.began_on)
                    ),
                )
            }))
            .collect(),
    }
}

/// `GET /cases/{crn}/programmes/new`.
pub async fn refer_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
) -> Result<Response, AppError> {
    let (heading, context) = open_case_for(
        &state,
        &user,
        &crn,
        "view_programme_referral_form",
        Need::Work,
        |conn, case| {
            Ok((
                case_record::heading(conn, case.person_id)?,
                refer_context(conn, case.person_id)?,
            ))
        },
    )
    .await?;
    let mut pairs = date_fields("referred", Some(state.clock.today()));
    if let Some(first) = context.requirements.first() {
        pairs.push(("requirement".into(), first.requirement_id.to_string()));
    }
    let page = refer_page(&user, heading, &context, FormFields(pairs), Vec::new());
    Ok(render(&page)?.into_response())
}

/// The error of a date field that could not be read, or the domain's errors, each once.
fn merge(mut errors: Vec<FieldError>, found: Vec<InvalidStep>) -> Vec<FieldError> {
    for error in found {
        let field = error.field();
        if !errors.iter().any(|e| e.field == field) {
            errors.push(FieldError::new(field, error.to_string()));
        }
    }
    errors
}

fn date_or_error(
    fields: &FormFields,
    name: &str,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    match optional_date(fields, name, label) {
        Ok(date) => date,
        Err(error) => {
            errors.push(error);
            None
        }
    }
}

/// `POST /cases/{crn}/programmes/new`.
pub async fn refer(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &fields);
    let today = state.clock.today();
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "refer_to_programme",
        Need::Work,
        move |conn, case| {
            let heading = case_record::heading(conn, case.person_id)?;
            let context = refer_context(conn, case.person_id)?;
            let mut errors = Vec::new();
            let referred_on =
                date_or_error(&posted, "referred", "the date of the referral", &mut errors);
            let programme = context
                .programmes
                .iter()
                .find(|p| p.code == posted.get("programme"))
                .cloned();
            let requirement = match posted.get("requirement") {
                "" | "none" => None,
                chosen => {
                    let found = context
                        .requirements
                        .iter()
                        .find(|r| r.requirement_id.to_string() == chosen)
                        .cloned();
                    if found.is_none() {
                        errors.push(FieldError::new(
                            "requirement",
                            "Select one of the case's requirements, or not under a requirement",
                        ));
                    }
                    found
                }
            };
            let draft = ReferralDraft {
                programme_chosen: programme.is_some(),
                referred_on,
                notes: posted.get("notes").to_owned(),
            };
            let checked = draft.check(requirement.as_ref().map(|r| r.began_on), today);
            let new = match (checked, programme) {
                (Ok(new), Some(programme)) if errors.is_empty() => (new, programme),
                (Ok(_), _) => return Ok(Submission::Refused((heading, context, errors))),
                (Err(found), _) => {
                    return Ok(Submission::Refused((
                        heading,
                        context,
                        merge(errors, found),
                    )))
                }
            };
            let (new, programme) = new;
            let now = state.clock.now();
            let id = referrals::refer(
                conn,
                case.person_id,
                requirement.as_ref().map(|r| r.requirement_id),
                &programme.code,
                &new,
                posted.by,
                now,
            )?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "refer_to_programme",
                    case,
                    format!(
                        "referral {id} to {} on {}{}",
                        programme.code,
                        new.referred_on,
                        requirement
                            .map(|r| format!(" under requirement {}", r.requirement_id))
                            .unwrap_or_default()
                    ),
                ),
                now,
            )?;
            Ok(Submission::Saved(heading.1))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn: String| Redirect::to(&format!("/cases/{crn}/programmes?done=referred")),
        |(heading, context, errors)| refer_page(&user, heading, &context, fields, errors),
    )
}

// ---------------------------------------------------------------------------------------------
// The later steps.

/// A step after the referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Assessment,
    Start,
    Session,
    End,
}

impl Step {
    fn parse(raw: &str) -> Result<Self, AppError> {
        match raw {
            "assessment" => Ok(Self::Assessment),
            "start" => Ok(Self::Start),
            "session" => Ok(Self::Session),
            "end" => Ok(Self::End),
            _ => Err(AppError::NotFound),
        }
    }

    fn code(self) -> &'static str {
        match self {
            Self::Assessment => "assessment",
            Self::Start => "start",
            Self::Session => "session",
            Self::End => "end",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Self::Assessment => "Record the suitability assessment",
            Self::Start => "Record the start of the programme",
            Self::Session => "Record a programme session",
            Self::End => "Record the end of the programme",
        }
    }

    /// The date field the step's form starts filled with today.
    fn date_field(self) -> &'static str {
        match self {
            Self::Assessment => "assessed",
            Self::Start => "started",
            Self::Session => "held",
            Self::End => "ended",
        }
    }
}

#[derive(Template)]
#[template(path = "programmes/step_form.html")]
struct StepPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: FormState,
    step: &'static str,
    title: &'static str,
    referral: String,
    programme: String,
    where_it_stands: String,
    next_session: String,
    yes_no: Vec<(String, String)>,
    outcomes: Vec<(String, String)>,
    judgements: Vec<(String, String)>,
    reasons: Vec<(String, String)>,
}

fn step_page(
    user: &CurrentUser,
    heading: (String, String),
    step: Step,
    record: &ReferralRecord,
    fields: FormFields,
    errors: Vec<FieldError>,
) -> StepPage {
    let next = (1..=record.sessions_planned.max(1))
        .find(|n| !record.sessions.iter().any(|s| s.number == *n))
        .unwrap_or(record.sessions_planned);
    StepPage {
        chrome: Chrome::for_form(user, step.title(), &errors, ""),
        errors: errors.clone(),
        form: FormState::new(user, heading, fields, errors),
        step: step.code(),
        title: step.title(),
        referral: record.id.to_string(),
        programme: record.programme_name.clone(),
        where_it_stands: format!(
            "{}; referred {}{}",
            record.status.label(),
            crate::format::date(record.referred_on),
            record
                .started_on
                .map(|on| format!(", started {}", crate::format::date(on)))
                .unwrap_or_default()
        ),
        next_session: format!(
            "Between 1 and {}. {} of them recorded so far.",
            record.sessions_planned,
            record.sessions.len()
        ) + &format!(" The next not yet recorded is {next}."),
        yes_no: vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())],
        outcomes: choices::<ContactOutcome>(),
        judgements: choices::<FailureJudgement>(),
        reasons: choices::<NonCompletionReason>(),
    }
}

fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// `GET /cases/{crn}/programmes/{referral}/{step}`.
pub async fn step_form(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, referral, step)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let step = Step::parse(&step)?;
    let id = parse_id(&referral)?;
    let (heading, record) = open_case_for(
        &state,
        &user,
        &crn,
        "view_programme_step_form",
        Need::Work,
        move |conn, case| {
            Ok((
                case_record::heading(conn, case.person_id)?,
                referrals::find(conn, case.person_id, id)?,
            ))
        },
    )
    .await?;
    let mut pairs = date_fields(step.date_field(), Some(state.clock.today()));
    if step == Step::Session {
        if let Some(next) =
            (1..=record.sessions_planned).find(|n| !record.sessions.iter().any(|s| s.number == *n))
        {
            pairs.push(("number".into(), next.to_string()));
        }
    }
    let page = step_page(&user, heading, step, &record, FormFields(pairs), Vec::new());
    Ok(render(&page)?.into_response())
}

/// What a step's form gave, checked.
enum Checked {
    Assessment(keepsafe_domain::programmes::referral::Assessed),
    Start(keepsafe_domain::programmes::referral::Started),
    Session {
        attended: keepsafe_domain::programmes::referral::Attended,
        outcome: ContactOutcome,
        judgement: Option<FailureJudgement>,
        notes: String,
    },
    End(keepsafe_domain::programmes::referral::Ended),
}

fn read_step(
    step: Step,
    fields: &FormFields,
    record: &ReferralRecord,
    today: NaiveDate,
) -> Result<Checked, Vec<FieldError>> {
    let referral = record.workflow();
    let mut errors = Vec::new();
    match step {
        Step::Assessment => {
            let on = date_or_error(
                fields,
                "assessed",
                "the date of the assessment",
                &mut errors,
            );
            let draft = AssessmentDraft {
                assessed_on: on,
                suitable: fields.yes_no("suitable"),
                reason: fields.get("reason").to_owned(),
            };
            match referral.assess(&draft, today) {
                Ok(done) if errors.is_empty() => Ok(Checked::Assessment(done)),
                Ok(_) => Err(errors),
                Err(found) => Err(merge(errors, found)),
            }
        }
        Step::Start => {
            let on = date_or_error(
                fields,
                "started",
                "the date the programme started",
                &mut errors,
            );
            let draft = StartDraft {
                started_on: on,
                cohort: fields.get("cohort").to_owned(),
            };
            match referral.start(&draft, today) {
                Ok(done) if errors.is_empty() => Ok(Checked::Start(done)),
                Ok(_) => Err(errors),
                Err(found) => Err(merge(errors, found)),
            }
        }
        Step::Session => {
            let on = date_or_error(fields, "held", "the date of the session", &mut errors);
            let number = match fields.filled("number") {
                None => None,
                Some(raw) => match raw.parse::<u32>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        errors.push(FieldError::new(
                            "number",
                            "The session number must be a whole number, like 3",
                        ));
                        None
                    }
                },
            };
            let outcome = ContactOutcome::parse(fields.get("outcome")).ok();
            if outcome.is_none() {
                errors.push(FieldError::new(
                    "outcome",
                    "Select what happened at the session",
                ));
            }
            let judgement = FailureJudgement::parse(fields.get("judgement")).ok();
            if outcome.is_some_and(ContactOutcome::is_failure) && judgement.is_none() {
                errors.push(FieldError::new(
                    "judgement",
                    "Select whether the failure was acceptable",
                ));
            }
            let notes = fields.get("notes").trim().to_owned();
            if notes.chars().count() > 2_000 {
                errors.push(FieldError::new(
                    "notes",
                    "Notes must be 2,000 characters or fewer",
                ));
            }
            let draft = SessionDraft {
                number: number.or_else(|| {
                    // A number that could not be read is not refused again as missing.
                    errors.iter().any(|e| e.field == "number").then_some(0)
                }),
                held_on: on,
            };
            let checked = referral.attend(&draft, today);
            match (checked, outcome) {
                (Ok(attended), Some(outcome)) if errors.is_empty() => Ok(Checked::Session {
                    attended,
                    outcome,
                    judgement: if outcome.is_failure() {
                        judgement
                    } else {
                        None
                    },
                    notes,
                }),
                (Ok(_), _) => Err(errors),
                (Err(found), _) => Err(merge(errors, found)),
            }
        }
        Step::End => {
            let on = date_or_error(fields, "ended", "the date the programme ended", &mut errors);
            let draft = EndDraft {
                ended_on: on,
                completed: fields.yes_no("completed"),
                reason: NonCompletionReason::parse(fields.get("reason")).ok(),
                detail: fields.get("detail").to_owned(),
            };
            match referral.end(&draft, today) {
                Ok(done) if errors.is_empty() => Ok(Checked::End(done)),
                Ok(_) => Err(errors),
                Err(found) => Err(merge(errors, found)),
            }
        }
    }
}

/// `POST /cases/{crn}/programmes/{referral}/{step}`.
pub async fn step(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, referral, step)): Path<(String, String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, AppError> {
    let step = Step::parse(&step)?;
    let id = parse_id(&referral)?;
    let posted = Posted::new(&user, &fields);
    let today = state.clock.today();
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "record_programme_step",
        Need::Work,
        move |conn, case| {
            let heading = case_record::heading(conn, case.person_id)?;
            let record = referrals::find(conn, case.person_id, id)?;
            let checked = match read_step(step, &posted, &record, today) {
                Ok(checked) => checked,
                Err(errors) => return Ok(Submission::Refused((heading, record, errors))),
            };
            let now = state.clock.now();
            let detail = match &checked {
                Checked::Assessment(done) => {
                    referrals::assess(conn, &record, done, posted.by, now)?;
                    format!(
                        "referral {id}: assessed {} {}",
                        done.assessed_on,
                        done.status.code()
                    )
                }
                Checked::Start(done) => {
                    referrals::start(conn, &record, done, posted.by, now)?;
                    format!("referral {id}: started {}", done.started_on)
                }
                Checked::Session {
                    attended,
                    outcome,
                    judgement,
                    notes,
                } => {
                    let recorded = referrals::record_session(
                        conn, &record, attended, *outcome, *judgement, notes, posted.by, today, now,
                    )?;
                    format!(
                        "referral {id}: session {} on {} {}{}; contact {}; enforcement {:?}",
                        attended.number,
                        attended.held_on,
                        outcome.code(),
                        judgement
                            .map(|j| format!(" ({})", j.code()))
                            .unwrap_or_default(),
                        recorded.contact_id,
                        recorded.enforcement
                    )
                }
                Checked::End(done) => {
                    referrals::end(conn, &record, done, posted.by, now)?;
                    format!(
                        "referral {id}: ended {} {}{}",
                        done.ended_on,
                        done.status.code(),
                        done.reason
                            .map(|r| format!(" ({})", r.code()))
                            .unwrap_or_default()
                    )
                }
            };
            audit::record(
                conn,
                &posted.audit_on_case("record_programme_step", case, detail),
                now,
            )?;
            Ok(Submission::Saved(heading.1))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn: String| {
            Redirect::to(&format!(
                "/cases/{crn}/programmes?done={}#referral-{id}",
                step.code()
            ))
        },
        |(heading, record, errors)| step_page(&user, heading, step, &record, fields, errors),
    )
}
