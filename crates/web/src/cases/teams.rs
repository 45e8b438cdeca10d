//! `GET /teams` and `GET /teams/{code}`: team caseloads for senior officers, heads of PDU and
//! quality staff.

use crate::cases::list::{self, CaseList, ListQuery};
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
}

struct TeamLine {
    code: String,
    name: String,
    pdu: String,
    cases: i64,
}

/// `GET /teams`: the teams this member of staff oversees.
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Html<String>, AppError> {
    let actor = user.account.actor();
    let teams = state
        .read(move |conn| {
            let candidates = match (actor.grade, actor.pdu) {
                (Grade::QualityInspection, _) => organisation::teams_in_region(conn, actor.region)?,
                (_, Some(pdu)) => organisation::teams_in_pdu(conn, pdu)?,
                (_, None) => Vec::new(),
            };
            let counts = caseload::case_counts_by_team(conn)?;
            Ok(candidates
                .into_iter()
                .filter(|team| {
                    decide(&actor, Action::ViewTeamCaseload(&team.location())).is_allowed()
                })
                .map(|team| TeamLine {
                    cases: counts.get(&team.id).copied().unwrap_or(0),
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
    })
}

#[derive(Template)]
#[template(path = "cases/team_caseload.html")]
struct TeamCaseloadPage {
    chrome: Chrome,
    team_name: String,
    pdu_name: String,
    practitioners: Vec<PractitionerLine>,
    list: CaseList,
    base_path: String,
    caption: String,
    with_practitioner: bool,
    waiting: Vec<WaitingCase>,
    waiting_total: usize,
    show_waiting: bool,
}

/// Waiting cases listed on a team's page: the list exists to prompt allocation, so the first
/// screenful is enough, and the page stays bounded however many are waiting in the PDU.
const WAITING_SHOWN: usize = 50;

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
}

struct TeamView {
    team: TeamRef,
    cases: Vec<CaseSummary>,
    waiting: Vec<CaseSummary>,
}

/// `GET /teams/{code}`: everything allocated in one team, by practitioner, and the PDU's cases
/// waiting for allocation.
pub async fn caseload(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(code): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    let actor = user.account.actor();
    let actor_name = user.audit_name();
    let shows_waiting = matches!(
        actor.grade,
        Grade::SeniorProbationOfficer | Grade::HeadOfPdu
    );
    let code_for_lookup = code.to_ascii_uppercase();
    let view = state
        .read_then_audit(move |conn| {
            let now = state.clock.now();
            let team = organisation::team_by_code(conn, &code_for_lookup)?;
            let decision = decide(&actor, Action::ViewTeamCaseload(&team.location()));
            let mut entry = AuditEntry {
                staff_id: Some(actor.staff_id),
                actor: actor_name,
                action: "view_team_caseload".into(),
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
            let cases = caseload::for_team(conn, team.id, local_time(now))?;
            let waiting = if shows_waiting {
                caseload::unallocated_in_pdu(conn, team.pdu_id, local_time(now))?
            } else {
                Vec::new()
            };
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
        .map_err(|refusal| AppError::Refused(refusal.message()))?;

    let today = state.clock.today();
    let practitioners = practitioner_lines(&view.cases);
    // Longest waiting first: the earliest sentence date, then by CRN so the order is stable.
    let mut waiting = view.waiting;
    waiting.sort_by(|a, b| {
        let sentenced = |case: &CaseSummary| {
            case.main_event
                .as_ref()
                .and_then(|e| e.sentence_date)
                .unwrap_or(chrono::NaiveDate::MAX)
        };
        sentenced(a)
            .cmp(&sentenced(b))
            .then_with(|| a.crn.cmp(&b.crn))
    });
    let base_path = format!("/teams/{}", view.team.code);
    render(&TeamCaseloadPage {
        chrome: Chrome::for_user(&user, format!("{} caseload", view.team.name), "/teams"),
        caption: format!("Cases allocated in {}", view.team.name),
        team_name: view.team.name.clone(),
        pdu_name: view.team.pdu_name.clone(),
        practitioners,
        list: list::build(view.cases, &query, &base_path, true, today),
        base_path,
        with_practitioner: true,
        waiting: waiting
            .iter()
            .take(WAITING_SHOWN)
            .map(waiting_case)
            .collect(),
        waiting_total: waiting.len(),
        show_waiting: shows_waiting,
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

fn waiting_case(case: &CaseSummary) -> WaitingCase {
    WaitingCase {
        crn: case.crn.clone(),
        name: format!("{} {}", case.first_name, case.last_name),
        case_type: case
            .main_event
            .as_ref()
            .map(|e| e.case_type.label().to_owned())
            .unwrap_or_default(),
        sentence: case
            .main_event
            .as_ref()
            .map(|e| {
                let date = e
                    .sentence_date
                    .map(crate::format::short_date)
                    .map(|d| format!(", sentenced {d}"))
                    .unwrap_or_default();
                format!("{}{}", e.sentence_type.label(), date)
            })
            .unwrap_or_default(),
    }
}
