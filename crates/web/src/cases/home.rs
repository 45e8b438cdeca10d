//! `GET /`: sends each member of staff to the page their work starts from — practitioners to
//! their caseload, senior officers to what needs attention in their team, heads of PDU to their
//! PDU's teams, quality staff to their region's quality, victim liaison officers to the releases
//! and MAPPA cases of their region.

use crate::error::AppError;
use crate::routes::SignedIn;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Redirect;
use keepsafe_domain::staff::Grade;
use keepsafe_storage::quality::units::{self, Unit};

pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Redirect, AppError> {
    let account = &user.account;
    let grade = account.grade;
    if grade.holds_caseload() {
        return Ok(Redirect::to("/cases"));
    }
    let start = match (grade, account.team_id) {
        (Grade::SeniorProbationOfficer, Some(team)) => {
            let team = state
                .read(move |conn| Ok(keepsafe_storage::organisation::team(conn, team)?))
                .await?;
            format!("/teams/{}/attention", team.code)
        }
        (Grade::SeniorProbationOfficer | Grade::HeadOfPdu, _) => "/teams".into(),
        (Grade::QualityInspection, _) => {
            let region = account.region_id;
            let info = state
                .read(move |conn| Ok(units::describe(conn, Unit::Region(region))?))
                .await?;
            crate::quality::access::unit_path(&info)
        }
        (Grade::VictimLiaisonOfficer, _) => "/releases".into(),
        (Grade::Administrator, _) => "/admin/users".into(),
        (Grade::PartnerUser, _) => "/partner".into(),
        _ => "/find".into(),
    };
    Ok(Redirect::to(&start))
}
