//! Small builders shared by the partner tests.

use super::deadlines::DeadlineRules;
use super::organisation::{
    OrganisationName, PartnerOrganisation, PartnerOrganisationCode, PartnerOrganisationKind,
};
use super::request::{CheckRequest, RequestType};
use super::response::{PartnerResponse, ResponseForm};
use crate::crn::Crn;
use chrono::NaiveDate;
use uuid::Uuid;

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub const ADDRESS: Uuid = Uuid::from_u128(0xADD);

pub fn organisation(
    id: u128,
    code: &str,
    name: &str,
    kind: PartnerOrganisationKind,
) -> PartnerOrganisation {
    PartnerOrganisation {
        id: Uuid::from_u128(id),
        code: PartnerOrganisationCode::parse(code).unwrap(),
        name: OrganisationName::parse(name).unwrap(),
        kind,
    }
}

pub fn police() -> PartnerOrganisation {
    organisation(
        1,
        "LINCS-POLICE",
        "Lincolnshire Police",
        PartnerOrganisationKind::PoliceForce,
    )
}

pub fn childrens_services() -> PartnerOrganisation {
    organisation(
        2,
        "LINCS-CS",
        "Lincolnshire Children's Services",
        PartnerOrganisationKind::ChildrensServices,
    )
}

pub fn adult_social_care() -> PartnerOrganisation {
    organisation(
        3,
        "LINCS-ASC",
        "Lincolnshire Adult Social Care",
        PartnerOrganisationKind::AdultSocialCare,
    )
}

pub fn draft(request_type: RequestType, recipient: PartnerOrganisation) -> CheckRequest {
    CheckRequest::draft(
        Uuid::from_u128(100),
        Crn::parse("X123456").unwrap(),
        request_type,
        recipient,
        Some(ADDRESS),
    )
    .unwrap()
}

pub fn police_request_sent_on(sent_on: NaiveDate) -> CheckRequest {
    draft(RequestType::PoliceDomesticAbuse, police())
        .send(&DeadlineRules::reference(), sent_on)
        .unwrap()
}

/// A "not known" response, valid for any request type.
pub fn not_known() -> PartnerResponse {
    let form = ResponseForm {
        known_to_service: Some(false),
        current_involvement: vec!["none".to_owned()],
        ..ResponseForm::default()
    };
    PartnerResponse::parse(&form, RequestType::ChildrensSafeguarding, date(2026, 12, 1)).unwrap()
}
