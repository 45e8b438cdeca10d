//! `GET /`: sends each member of staff to the page their work starts from.

use crate::routes::SignedIn;
use axum::response::Redirect;
use keepsafe_domain::staff::Grade;

pub async fn show(SignedIn(user): SignedIn) -> Redirect {
    let grade = user.account.grade;
    let start = if grade.holds_caseload() {
        "/cases"
    } else {
        match grade {
            Grade::SeniorProbationOfficer | Grade::HeadOfPdu | Grade::QualityInspection => "/teams",
            Grade::Administrator => "/admin/users",
            Grade::PartnerUser => "/partner",
            _ => "/find",
        }
    };
    Redirect::to(start)
}
