//! Cases: finding, listing and reading the cases of the people keepsafe supervises — the start
//! page, finding a case by CRN, a practitioner's own caseload, team caseloads, the reviews due,
//! and the case record, with its addresses and household kept current ([`addresses`],
//! [`household`]) and the checks offered again after they change ([`circumstances`]). It also
//! holds [`access::open_case`], the one path by which a page of any area reads a case, authorised
//! and audit-logged in the same transaction.

pub mod access;
pub mod addresses;
pub mod attention;
pub mod circumstances;
pub mod details;
pub mod editing;
pub mod find;
pub mod flag_reviews;
pub mod home;
pub mod household;
pub mod limited_access;
pub mod list;
pub mod my_cases;
pub mod personal_contacts;
pub mod record;
pub mod record_details;
pub mod registrations;
pub mod releases;
pub mod tasks;
pub mod teams;

use crate::routes::{Access, GradeAction, Registry};
use axum::http::Method;
use axum::routing::{get, post};

/// The area's routes, each with the access rule that guards it.
pub(crate) fn routes(registry: Registry) -> Registry {
    let registry = record_editing_routes(registry);
    registry
        .add(Method::GET, "/", Access::AnySession, get(home::show))
        .add(Method::GET, "/find", Access::SignedIn, get(find::show))
        .add(
            Method::GET,
            "/cases",
            Access::Grade(GradeAction::OwnCaseload),
            get(my_cases::show),
        )
        .add(Method::GET, "/cases/{crn}", Access::Case, get(record::show))
        .add(
            Method::GET,
            "/cases/{crn}/access",
            Access::Case,
            get(limited_access::show),
        )
        .add(
            Method::POST,
            "/cases/{crn}/access",
            Access::Case,
            post(limited_access::add),
        )
        .add(
            Method::POST,
            "/cases/{crn}/access/remove",
            Access::Case,
            post(limited_access::remove),
        )
        .add(
            Method::GET,
            "/cases/{crn}/addresses",
            Access::Case,
            get(addresses::list),
        )
        .add(
            Method::GET,
            "/cases/{crn}/addresses/new",
            Access::Case,
            get(addresses::propose_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/addresses/new",
            Access::Case,
            post(addresses::propose),
        )
        .add(
            Method::GET,
            "/cases/{crn}/addresses/{address}/main",
            Access::Case,
            get(addresses::move_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/addresses/{address}/main",
            Access::Case,
            post(addresses::make_main),
        )
        .add(
            Method::GET,
            "/cases/{crn}/addresses/{address}/end",
            Access::Case,
            get(addresses::end_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/addresses/{address}/end",
            Access::Case,
            post(addresses::end),
        )
        .add(
            Method::GET,
            "/cases/{crn}/household",
            Access::Case,
            get(household::list),
        )
        .add(
            Method::GET,
            "/cases/{crn}/household/new",
            Access::Case,
            get(household::join_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/household/new",
            Access::Case,
            post(household::join),
        )
        .add(
            Method::GET,
            "/cases/{crn}/household/{member}",
            Access::Case,
            get(household::correct_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/household/{member}",
            Access::Case,
            post(household::correct),
        )
        .add(
            Method::GET,
            "/cases/{crn}/household/{member}/left",
            Access::Case,
            get(household::left_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/household/{member}/left",
            Access::Case,
            post(household::left),
        )
        .add(
            Method::POST,
            "/cases/{crn}/circumstances/checks",
            Access::Case,
            post(circumstances::send_checks),
        )
        .add(
            Method::GET,
            "/tasks",
            Access::Grade(GradeAction::ReviewTasks),
            get(tasks::show),
        )
        .add(
            Method::POST,
            "/tasks/{task}/done",
            Access::SignedIn,
            post(tasks::mark_done),
        )
        .add(
            Method::GET,
            "/releases",
            Access::Grade(GradeAction::ReleaseWorklist),
            get(releases::show),
        )
        .add(
            Method::GET,
            "/teams",
            Access::Grade(GradeAction::ListTeams),
            get(teams::list),
        )
        .add(
            Method::GET,
            "/teams/{code}",
            Access::Team,
            get(teams::caseload),
        )
        .add(
            Method::GET,
            "/teams/{code}/attention",
            Access::Team,
            get(teams::attention),
        )
}

/// Keeping the record current: personal details, aliases, disabilities, personal contacts and
/// registrations. Each page opens the case for work (`open_case_for(.., Need::Work)`).
fn record_editing_routes(registry: Registry) -> Registry {
    registry
        .add(
            Method::GET,
            "/cases/{crn}/personal-details",
            Access::Case,
            get(details::personal_details_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/personal-details",
            Access::Case,
            post(details::save_personal_details),
        )
        .add(
            Method::GET,
            "/cases/{crn}/date-of-birth",
            Access::Case,
            get(details::date_of_birth_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/date-of-birth",
            Access::Case,
            post(details::correct_date_of_birth),
        )
        .add(
            Method::GET,
            "/cases/{crn}/aliases/new",
            Access::Case,
            get(details::alias_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/aliases/new",
            Access::Case,
            post(details::add_alias),
        )
        .add(
            Method::POST,
            "/cases/{crn}/aliases/{alias}/end",
            Access::Case,
            post(details::end_alias),
        )
        .add(
            Method::GET,
            "/cases/{crn}/disabilities/new",
            Access::Case,
            get(details::disability_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/disabilities/new",
            Access::Case,
            post(details::add_disability),
        )
        .add(
            Method::POST,
            "/cases/{crn}/disabilities/{disability}/end",
            Access::Case,
            post(details::end_disability),
        )
        .add(
            Method::GET,
            "/cases/{crn}/personal-contacts/new",
            Access::Case,
            get(personal_contacts::new_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/personal-contacts/new",
            Access::Case,
            post(personal_contacts::add),
        )
        .add(
            Method::GET,
            "/cases/{crn}/personal-contacts/{personal_contact}",
            Access::Case,
            get(personal_contacts::change_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/personal-contacts/{personal_contact}",
            Access::Case,
            post(personal_contacts::save_change),
        )
        .add(
            Method::POST,
            "/cases/{crn}/personal-contacts/{personal_contact}/end",
            Access::Case,
            post(personal_contacts::end),
        )
        .add(
            Method::GET,
            "/cases/{crn}/registrations/new",
            Access::Case,
            get(registrations::new_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/registrations/new",
            Access::Case,
            post(registrations::add),
        )
        .add(
            Method::GET,
            "/cases/{crn}/registrations/{registration}/review",
            Access::Case,
            get(registrations::review_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/registrations/{registration}/review",
            Access::Case,
            post(registrations::review),
        )
        .add(
            Method::GET,
            "/cases/{crn}/registrations/{registration}/end",
            Access::Case,
            get(registrations::end_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/registrations/{registration}/end",
            Access::Case,
            post(registrations::end),
        )
}
