//! `GET /teams`, `GET /teams/{code}` and `GET /teams/{code}/attention`: team caseloads for
//! senior officers, heads of PDU and quality staff, the PDU's cases waiting for allocation
//! (longest waiting first), and what needs attention in the team, practitioner by practitioner.

use crate::cases::attention::{self, CaseCounts, TeamLine as AttentionLine, TEAM_COLUMNS};
use crate::cases::list::{self, CaseList, ListQuery, Pagination};
use crate::error::AppError;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use keepsafe_domain::access::{decide, Action, Decision};
use keepsafe_domain::staff::Grade;
use keepsafe_domain::supervision::contact_log::local_time;
use keepsafe_domain::supervision::diary::page_of;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{AuditEntry, Outcome};
use keepsafe_storage::cases::caseload::{self, CaseSummary};
use keepsafe_storage::organisation::{self, TeamRef};
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "cases/teams.html")]
struct TeamsPage {
    chrome: Chrome,
    teams: Vec<TeamLine>,
    /// Whether the lines carry what needs attention (senior officers and heads of PDU, whose
    /// teams are in their own PDU).
    with_attention: bool,
}

struct TeamLine {
    code: String,
    name: String,
    pdu: String,
    cases: i64,
    attention: CaseCounts,
}

/// `GET /teams`: the teams this member of staff oversees.
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Html<String>, AppError> {
    let actor = user.account.actor();
    let today = state.clock.today();
    let clock = state.clock;
    // Quality staff see a region's teams: the attention counts are for the managers of a PDU.
    let with_attention = actor.grade != Grade::QualityInspection && actor.pdu.is_some();
    let teams = state
        .read(move |conn| {
            let candidates = match (actor.grade, actor.pdu) {
                (Grade::QualityInspection, _) => organisation::teams_in_region(conn, actor.region)?,
                (_, Some(pdu)) => organisation::teams_in_pdu(conn, pdu)?,
                (_, None) => Vec::new(),
            };
            let counts = caseload::case_counts_by_team(conn)?;
            let pdu_cases = match actor.pdu {
                Some(pdu) if with_attention => {
                    let cases = caseload::for_pdu(conn, pdu, local_time(clock.now()))?;
                    keepsafe_storage::cases::limited::hidden_from(conn, &actor)?
                        .leave_out(cases, |c| c.person_id)
                }
                _ => Vec::new(),
            };
            Ok(candidates
                .into_iter()
                .filter(|team| {
                    decide(&actor, Action::ViewTeamCaseload(&team.location())).is_allowed()
                })
                .map(|team| TeamLine {
                    cases: counts.get(&team.id).copied().unwrap_or(0),
                    attention: CaseCounts::of(
                        pdu_cases.iter().filter(|case| {
                            case.allocation
                                .as_ref()
                                .is_some_and(|a| a.team_name == team.name)
                        }),
                        today,
                    ),
                    code: team.code,
                    name: team.name,
                    pdu: team.pdu_name,
                })
                .collect::<Vec<_>>())
        })
        .await?;
    render(&TeamsPage {
        chrome: Chrome::for_user(&user, "Teams", "/teams"),
        teams,
        with_attention,
    })
}

#[derive(Template)]
#[template(path = "cases/team_caseload.html")]
struct TeamCaseloadPage {
    chrome: Chrome,
    team_code: String,
    team_name: String,
    pdu_name: String,
    practitioners: Vec<PractitionerLine>,
    list: CaseList,
    caption: String,
    with_practitioner: bool,
    waiting: Vec<WaitingCase>,
    /// "Showing cases 1 to 25 of 40, longest waiting first."
    waiting_count: String,
    waiting_pages: Pagination,
    show_waiting: bool,
}

/// Waiting cases on one page of a team's caseload: the list exists to prompt allocation, and
/// the page stays bounded however many are waiting in the PDU.
const WAITING_PAGE_SIZE: usize = 25;

struct PractitionerLine {
    name: String,
    grade: String,
    total: usize,
    community: usize,
    licence: usize,
    custody: usize,
    pre_sentence: usize,
}

struct WaitingCase {
    crn: String,
    name: String,
    case_type: String,
    sentence: String,
    offence: String,
    flags: Vec<String>,
    rosh: String,
    /// "3 weeks (since 11 November 2026)".
    waiting: String,
    /// The day it started waiting, ISO (for the row's data attribute).
    since: String,
}

struct TeamView {
    team: TeamRef,
    cases: Vec<CaseSummary>,
    waiting: Vec<CaseSummary>,
}

/// Reads a team's caseload (and, when asked, the PDU's waiting cases) if the user may see the
/// team, audit-logging the decision either way as `action`.
async fn open_team(
    state: &AppState,
    user: &crate::session::CurrentUser,
    code: &str,
    action: &'static str,
    with_waiting: bool,
) -> Result<TeamView, AppError> {
    let actor = user.account.actor();
    let actor_name = user.audit_name();
    let code_for_lookup = code.to_ascii_uppercase();
    let clock = state.clock;
    state
        .read_then_audit(move |conn| {
            let now = clock.now();
            let team = organisation::team_by_code(conn, &code_for_lookup)?;
            let decision = decide(&actor, Action::ViewTeamCaseload(&team.location()));
            let mut entry = AuditEntry {
                staff_id: Some(actor.staff_id),
                actor: actor_name,
                action: action.into(),
                outcome: Outcome::Allowed,
                person_id: None,
                crn: None,
                detail: format!("team {}", team.code),
            };
            if let Decision::Refused(refusal) = decision {
                entry.outcome = Outcome::Refused;
                entry.detail = format!("team {} ({})", team.code, refusal.code());
                return Ok((Err(refusal), entry));
            }
            let hidden = keepsafe_storage::cases::limited::hidden_from(conn, &actor)?;
            let cases = caseload::for_team(conn, team.id, local_time(now))?;
            let cases = hidden.leave_out(cases, |c| c.person_id);
            let waiting = if with_waiting {
                caseload::unallocated_in_pdu(conn, team.pdu_id, local_time(now))?
            } else {
                Vec::new()
            };
            let waiting = hidden.leave_out(waiting, |c| c.person_id);
            entry.detail = format!(
                "team {}: {} cases, {} waiting",
                team.code,
                cases.len(),
                waiting.len()
            );
            Ok((
                Ok(TeamView {
                    team,
                    cases,
                    waiting,
                }),
                entry,
            ))
        })
        .await?
        .map_err(|refusal| AppError::Refused(refusal.message()))
}

/// `GET /teams/{code}`: everything allocated in one team, by practitioner, and the PDU's cases
/// waiting for allocation, longest waiting first.
pub async fn caseload(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(code): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    let shows_waiting = matches!(
        user.account.grade,
        Grade::SeniorProbationOfficer | Grade::HeadOfPdu
    );
    let view = open_team(&state, &user, &code, "view_team_caseload", shows_waiting).await?;
    let today = state.clock.today();
    let practitioners = practitioner_lines(&view.cases);
    let base_path = format!("/teams/{}", view.team.code);
    let mut waiting = view.waiting;
    waiting.sort_by(|a, b| {
        a.waiting_since
            .unwrap_or(chrono::NaiveDate::MAX)
            .cmp(&b.waiting_since.unwrap_or(chrono::NaiveDate::MAX))
            .then_with(|| a.crn.cmp(&b.crn))
    });
    let waiting_total = waiting.len();
    let (page, pages) = page_of(query.waiting_page, waiting_total, WAITING_PAGE_SIZE);
    let first = (page - 1) * WAITING_PAGE_SIZE;
    let shown: Vec<WaitingCase> = waiting
        .iter()
        .skip(first)
        .take(WAITING_PAGE_SIZE)
        .map(|case| waiting_case(case, today))
        .collect();
    let waiting_count = format!(
        "Showing cases {} to {} of {waiting_total}, longest waiting first.",
        (first + 1).min(waiting_total),
        first + shown.len()
    );
    let waiting_path = base_path.clone();
    render(&TeamCaseloadPage {
        chrome: Chrome::for_user(&user, format!("{} caseload", view.team.name), "/teams"),
        caption: format!("Cases allocated in {}", view.team.name),
        team_code: view.team.code.clone(),
        team_name: view.team.name.clone(),
        pdu_name: view.team.pdu_name.clone(),
        practitioners,
        list: list::build(view.cases, &query, &base_path, true, today),
        with_practitioner: true,
        waiting: shown,
        waiting_count,
        waiting_pages: Pagination::new(page, pages, move |n| {
            format!("{waiting_path}?waiting_page={n}#waiting")
        }),
        show_waiting: shows_waiting,
    })
}

#[derive(Template)]
#[template(path = "cases/team_attention.html")]
struct TeamAttentionPage {
    chrome: Chrome,
    team_code: String,
    team_name: String,
    pdu_name: String,
    headings: Vec<&'static str>,
    lines: Vec<AttentionLine>,
    total: AttentionLine,
}

/// `GET /teams/{code}/attention`: what needs attention on the team's cases, practitioner by
/// practitioner, each number linking to the cases behind it.
pub async fn attention(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(code): Path<String>,
) -> Result<Html<String>, AppError> {
    let view = open_team(&state, &user, &code, "view_team_attention", false).await?;
    let today = state.clock.today();
    let team_path = format!("/teams/{}", view.team.code);
    let (lines, total) = attention::for_team(&view.cases, &team_path, today);
    render(&TeamAttentionPage {
        chrome: Chrome::for_user(
            &user,
            format!("{}: needs attention", view.team.name),
            "/teams",
        ),
        team_code: view.team.code.clone(),
        team_name: view.team.name.clone(),
        pdu_name: view.team.pdu_name.clone(),
        headings: TEAM_COLUMNS.iter().map(|(heading, _)| *heading).collect(),
        lines,
        total,
    })
}

fn practitioner_lines(cases: &[CaseSummary]) -> Vec<PractitionerLine> {
    use keepsafe_domain::event::CaseType;
    let mut by_staff: BTreeMap<(String, String), PractitionerLine> = BTreeMap::new();
    for case in cases {
        let Some(allocation) = &case.allocation else {
            continue;
        };
        let line = by_staff
            .entry((
                allocation.staff_name.clone(),
                allocation.staff_id.to_string(),
            ))
            .or_insert_with(|| PractitionerLine {
                name: allocation.staff_name.clone(),
                grade: allocation.grade.label().to_owned(),
                total: 0,
                community: 0,
                licence: 0,
                custody: 0,
                pre_sentence: 0,
            });
        line.total += 1;
        match case.main_event.as_ref().map(|e| e.case_type) {
            Some(CaseType::Community) => line.community += 1,
            Some(CaseType::Licence) => line.licence += 1,
            Some(CaseType::Custody) => line.custody += 1,
            Some(CaseType::PreSentence) => line.pre_sentence += 1,
            None => {}
        }
    }
    by_staff.into_values().collect()
}

/// How long a case has waited, in the unit people count it in: days for the first fortnight,
/// weeks until about two months, then months.
pub fn waited(since: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    let days = (today - since).num_days().max(0);
    let (n, unit) = match days {
        0..=13 => (days, "day"),
        14..=62 => (days / 7, "week"),
        _ => (days / 30, "month"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

fn waiting_case(case: &CaseSummary, today: chrono::NaiveDate) -> WaitingCase {
    let event = case.main_event.as_ref();
    WaitingCase {
        crn: case.crn.clone(),
        name: format!("{} {}", case.first_name, case.last_name),
        case_type: event
            .map(|e| e.case_type.label().to_owned())
            .unwrap_or_default(),
        sentence: event
            .map(|e| {
                let date = e
                    .sentence_date
                    .map(crate::format::date)
                    .map(|d| format!(", sentenced {d}"))
                    .unwrap_or_default();
                format!("{}{}", e.sentence_type.label(), date)
            })
            .unwrap_or_default(),
        offence: event
            .map(|e| e.offence_category.label().to_owned())
            .unwrap_or_else(|| "No active sentence".into()),
        flags: list::flag_labels(case),
        rosh: list::rosh_words(case),
        waiting: case
            .waiting_since
            .map(|since| {
                format!(
                    "{} (since {})",
                    waited(since, today),
                    crate::format::date(since)
                )
            })
            .unwrap_or_else(|| "Not known".into()),
        since: case
            .waiting_since
            .map(|d| d.to_string())
            .unwrap_or_default(),
    }
}
