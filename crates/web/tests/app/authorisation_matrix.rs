//! The authorisation matrix: every route the router serves, asked by every grade of staff, about a
//! case in every relationship to them — their own, their team's, another team's in their PDU,
//! another PDU's, another region's, one restricted to others and one they are excluded from —
//! answered as [`EXPECTATIONS`] says. A route without an expectation fails the matrix, so a new
//! route cannot be added without saying who may use it.
//!
//! One case (po.demo's, with an assessment, a check, a victim and the rest that the route walk's
//! `concrete` makes for it) is moved between the places, so every path names real records; the
//! staff stay where the demo put them. Allowed means the handler answered (a page, a form's
//! errors, a redirect after a change, or "not found" for a record of the case that is not there);
//! refused means 403 with an audit row.

use crate::route_rules::{concrete, request};
use crate::support::{Session, TestApp};
use axum::http::{Method, StatusCode};
use diesel::prelude::*;
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_storage::schema::{allocations, pdus, people, regions, teams};
use keepsafe_web::routes::{Access, RouteSpec};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use uuid::Uuid;

/// The staff asking, one of each grade (the partner user is refused everything but the portal,
/// which `route_rules` walks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Po,
    Pso,
    Trainee,
    Spo,
    Head,
    Vlo,
    Quality,
    Admin,
}

const STAFF: [(Who, &str); 8] = [
    (Who::Po, "po.demo"),
    (Who::Pso, "pso.demo"),
    (Who::Trainee, "trainee.demo"),
    (Who::Spo, "spo.demo"),
    (Who::Head, "head.demo"),
    (Who::Vlo, "vlo.demo"),
    (Who::Quality, "quality.demo"),
    (Who::Admin, "admin.demo"),
];

/// Where the case is, relative to the staff asking (who all sit in the demo PDU's first team, its
/// PDU or its region).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    /// Allocated in their team (to po.demo: their own case).
    Team,
    /// Allocated in another team of their PDU.
    Pdu,
    /// In another PDU of their region.
    OtherPdu,
    /// In another region.
    OtherRegion,
    /// Allocated in their team, but restricted to a practitioner of another team (po.other).
    Restricted,
    /// Allocated in their team, with them on its exclusion list.
    Excluded,
}

/// In this order: the lists are added by the last two and never removed.
const PLACES: [Place; 6] = [
    Place::Team,
    Place::Pdu,
    Place::OtherPdu,
    Place::OtherRegion,
    Place::Restricted,
    Place::Excluded,
];

/// Who may use a route about a case, by grade and place: the access policy restated as the
/// matrix's expectations (the domain's `access::decide` is what is tested, never consulted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaseRule {
    /// Read the record: practitioners and senior officers of the case's team, the head of its PDU,
    /// victim liaison and quality staff of its region.
    View,
    /// Work on it: as View, but not victim liaison or quality staff.
    Work,
    /// Oversee its risk: the senior officer of its team, the head of its PDU.
    Oversee,
    /// Victims' records: victim liaison officers of its region only.
    Victims,
    /// Audit it against the standards: senior officers and heads of its PDU, quality staff of its
    /// region.
    Audit,
    /// Keep its exclusion and restriction lists: the heads of its PDU.
    ManageAccess,
}

impl CaseRule {
    fn allows(self, who: Who, place: Place) -> bool {
        use Place::*;
        use Who::*;
        match place {
            // Exclusion beats every grade; a restriction admits only those named and the heads
            // of the case's PDU, who keep the lists.
            OtherRegion | Excluded => return false,
            Restricted => return who == Head && self.allows(who, Team),
            Team | Pdu | OtherPdu => {}
        }
        match self {
            CaseRule::View => match who {
                Po | Pso | Trainee | Spo => place == Team,
                Head => matches!(place, Team | Pdu),
                Vlo | Quality => true,
                Admin => false,
            },
            CaseRule::Work => !matches!(who, Vlo | Quality) && CaseRule::View.allows(who, place),
            CaseRule::Oversee => match who {
                Spo => place == Team,
                Head => matches!(place, Team | Pdu),
                _ => false,
            },
            CaseRule::Victims => who == Vlo,
            CaseRule::ManageAccess => who == Head && matches!(place, Team | Pdu),
            CaseRule::Audit => match who {
                Spo | Head => matches!(place, Team | Pdu),
                Quality => true,
                _ => false,
            },
        }
    }
}

/// What a route's expectation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Anyone, signed in or not.
    Public,
    /// The grades listed, wherever the case is (the route names no case).
    Grades(&'static [Who]),
    /// About the case in the path, by [`CaseRule`].
    Case(CaseRule),
    /// Partner users and systems only: walked by `route_rules`.
    PartnersOnly,
    /// Anyone, but only with the sign-in form's own token, which a signed-in page's token is not.
    SignInFormOnly,
}

use Who::*;
const ALL: &[Who] = &[Po, Pso, Trainee, Spo, Head, Vlo, Quality, Admin];
/// Those who hold a caseload.
const HOLDERS: &[Who] = &[Po, Pso, Trainee];
/// Those whose work is cases: practitioners and their managers.
const CASE_STAFF: &[Who] = &[Po, Pso, Trainee, Spo, Head];
/// Everyone but administrators, who manage accounts, not casework.
const CASEWORK_AND_OVERSIGHT: &[Who] = &[Po, Pso, Trainee, Spo, Head, Vlo, Quality];
/// Those who keep a diary of appointments: practitioners and senior officers (whose diary
/// opens on their team's).
const DIARY_KEEPERS: &[Who] = &[Po, Pso, Trainee, Spo];
const MANAGERS: &[Who] = &[Spo, Head];
/// Those who oversee practice: managers and quality staff.
const OVERSEERS: &[Who] = &[Spo, Head, Quality];
/// Those who run quality assurance for a unit: its head and quality staff.
const QUALITY_MANAGERS: &[Who] = &[Head, Quality];
/// An SFO review is read by the heads of the case's PDU, quality staff and its reviewer, who in
/// the walk is spo.demo (`sfo::fill`).
const SFO_READERS: &[Who] = &[Spo, Head, Quality];
const SFO_REVIEWER: &[Who] = &[Spo];
/// A practitioner's workload page (po.demo's in the walk): their own, and those overseeing them.
const OWN_OR_OVERSEEING: &[Who] = &[Po, Spo, Head, Quality];
const VICTIM_LIAISON: &[Who] = &[Vlo];
const AUDITORS: &[Who] = &[Quality, Admin];
const ADMINS: &[Who] = &[Admin];

/// Every route's expectation. Adding a route means adding its line here.
#[rustfmt::skip]
const EXPECTATIONS: &[(&str, &str, Expect)] = &[
    // About one case: the place decides.
    ("GET", "/cases/{crn}", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/address-checks", Expect::Case(CaseRule::View)),
    ("POST", "/cases/{crn}/address-checks", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/address-checks/{address_check}", Expect::Case(CaseRule::View)),
    ("POST", "/cases/{crn}/address-checks/{address_check}", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/address-checks/{address_check}/approve", Expect::Case(CaseRule::Oversee)),
    ("POST", "/cases/{crn}/address-checks/{address_check}/checks", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/addresses", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/addresses/new", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/addresses/new", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/addresses/{address}/end", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/addresses/{address}/end", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/addresses/{address}/main", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/addresses/{address}/main", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/aliases/new", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/aliases/new", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/aliases/{alias}/end", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/allocate", Expect::Case(CaseRule::Oversee)),
    ("POST", "/cases/{crn}/allocate", Expect::Case(CaseRule::Oversee)),
    ("GET", "/cases/{crn}/appointments/new", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/appointments/{appointment}/cancel", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/appointments/{appointment}/judgement", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/appointments/{appointment}/judgement", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/appointments/{appointment}/outcome", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/appointments/{appointment}/outcome", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/appointments/{appointment}/reschedule", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/appointments/{appointment}/warning", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/breaches/{breach}", Expect::Case(CaseRule::View)),
    ("POST", "/cases/{crn}/breaches/{breach}/court-outcome", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/breaches/{breach}/report", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/changes", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/changes", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/checks", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/checks/{check}/attachments/{position}", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/checks/{check}/authorise", Expect::Case(CaseRule::Oversee)),
    ("POST", "/cases/{crn}/checks/{check}/authorise", Expect::Case(CaseRule::Oversee)),
    ("GET", "/cases/{crn}/checks/{check}/response", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/checks/{check}/response", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/checks/{check}/withdraw", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/circumstances/checks", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/contact-standard", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/contacts", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/contacts/new", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/contacts/{contact}", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/date-of-birth", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/date-of-birth", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/disabilities/new", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/disabilities/new", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/disabilities/{disability}/end", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/documents", Expect::Case(CaseRule::View)),
    ("POST", "/cases/{crn}/documents", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/documents/{document}", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/enforcement", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/household", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/household/new", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/household/new", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/household/{member}", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/household/{member}", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/household/{member}/left", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/household/{member}/left", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/licence", Expect::Case(CaseRule::View)),
    ("POST", "/cases/{crn}/licence", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/licence/approve", Expect::Case(CaseRule::Oversee)),
    ("GET", "/cases/{crn}/licence/conditions/new", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/licence/conditions/new", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/licence/conditions/{condition}/remove", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/licence/end", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/licence/end", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/licence/key-dates", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/licence/key-dates", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/licence/print", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/licence/release", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/licence/release", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/licence/submit", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/licence/tasks/{licence_task}/done", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/licence/variation", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/licence/variation", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/mappa", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/mappa/{mappa_registration}/meetings/new", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/mappa/{mappa_registration}/meetings/new", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/needs", Expect::Case(CaseRule::View)),
    ("POST", "/cases/{crn}/needs", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/needs/{needs_assessment}", Expect::Case(CaseRule::View)),
    ("POST", "/cases/{crn}/needs/{needs_assessment}", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/ogp", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/ogrs3", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/oversight", Expect::Case(CaseRule::View)),
    ("POST", "/cases/{crn}/oversight", Expect::Case(CaseRule::Oversee)),
    ("GET", "/cases/{crn}/ovp", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/personal-contacts/new", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/personal-contacts/new", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/personal-contacts/{personal_contact}", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/personal-contacts/{personal_contact}", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/personal-contacts/{personal_contact}/end", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/personal-details", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/personal-details", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/plan", Expect::Case(CaseRule::View)),
    ("POST", "/cases/{crn}/plan", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/plan/countersign", Expect::Case(CaseRule::Oversee)),
    ("GET", "/cases/{crn}/plan/objectives/new", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/plan/objectives/new", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/plan/objectives/{objective}", Expect::Case(CaseRule::View)),
    ("POST", "/cases/{crn}/plan/objectives/{objective}", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/plan/objectives/{objective}/progress", Expect::Case(CaseRule::View)),
    ("POST", "/cases/{crn}/plan/objectives/{objective}/progress", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/plan/person", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/plan/person", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/plan/print", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/plan/review", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/plan/review", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/plan/submit", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/predictors", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/predictors/new", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/predictors/new", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/programmes", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/programmes/new", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/programmes/new", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/programmes/{programme_referral}/{programme_step}", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/programmes/{programme_referral}/{programme_step}", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/quality", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/quality/audit", Expect::Case(CaseRule::Audit)),
    ("POST", "/cases/{crn}/quality/audit", Expect::Case(CaseRule::Audit)),
    ("POST", "/cases/{crn}/recalls", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/recalls/{recall}", Expect::Case(CaseRule::View)),
    ("POST", "/cases/{crn}/recalls/{recall}/countersign", Expect::Case(CaseRule::Oversee)),
    ("POST", "/cases/{crn}/recalls/{recall}/no-recall", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/recalls/{recall}/recommendation", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/registrations/new", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/registrations/new", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/registrations/{registration}/end", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/registrations/{registration}/end", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/registrations/{registration}/review", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/registrations/{registration}/review", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/reminders", Expect::Case(CaseRule::View)),
    ("POST", "/cases/{crn}/reminders", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/reoffending", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/reoffending/new", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/reoffending/new", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/risk", Expect::Case(CaseRule::View)),
    ("POST", "/cases/{crn}/risk/assessments", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/risk/assessments/{assessment}", Expect::Case(CaseRule::View)),
    ("POST", "/cases/{crn}/risk/assessments/{assessment}", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/risk/assessments/{assessment}/countersign", Expect::Case(CaseRule::Oversee)),
    ("GET", "/cases/{crn}/sfo/new", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/sfo/new", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/tier", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/unpaid-work", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/victims", Expect::Case(CaseRule::View)),
    ("GET", "/cases/{crn}/victims/new", Expect::Case(CaseRule::Victims)),
    ("POST", "/cases/{crn}/victims/new", Expect::Case(CaseRule::Victims)),
    ("GET", "/cases/{crn}/victims/referral", Expect::Case(CaseRule::Victims)),
    ("POST", "/cases/{crn}/victims/referral", Expect::Case(CaseRule::Victims)),
    ("GET", "/cases/{crn}/victims/{victim}", Expect::Case(CaseRule::Victims)),
    ("GET", "/cases/{crn}/victims/{victim}/conditions/new", Expect::Case(CaseRule::Victims)),
    ("POST", "/cases/{crn}/victims/{victim}/conditions/new", Expect::Case(CaseRule::Victims)),
    ("GET", "/cases/{crn}/victims/{victim}/conditions/{victim_condition}", Expect::Case(CaseRule::Victims)),
    ("POST", "/cases/{crn}/victims/{victim}/conditions/{victim_condition}", Expect::Case(CaseRule::Victims)),
    ("GET", "/cases/{crn}/victims/{victim}/contacts/new", Expect::Case(CaseRule::Victims)),
    ("POST", "/cases/{crn}/victims/{victim}/contacts/new", Expect::Case(CaseRule::Victims)),
    ("GET", "/cases/{crn}/victims/{victim}/details", Expect::Case(CaseRule::Victims)),
    ("POST", "/cases/{crn}/victims/{victim}/details", Expect::Case(CaseRule::Victims)),
    ("GET", "/cases/{crn}/victims/{victim}/views/new", Expect::Case(CaseRule::Victims)),
    ("POST", "/cases/{crn}/victims/{victim}/views/new", Expect::Case(CaseRule::Victims)),
    ("POST", "/cases/{crn}/warnings/{warning}/send", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/appointments/new", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/appointments/{appointment}/cancel", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/appointments/{appointment}/reschedule", Expect::Case(CaseRule::Work)),
    ("POST", "/cases/{crn}/contacts/new", Expect::Case(CaseRule::Work)),
    ("GET", "/cases/{crn}/access", Expect::Case(CaseRule::ManageAccess)),
    ("POST", "/cases/{crn}/access", Expect::Case(CaseRule::ManageAccess)),
    ("POST", "/cases/{crn}/access/remove", Expect::Case(CaseRule::ManageAccess)),
    // About no one case: the grade decides (and, for team and unit pages, the team or unit,
    // which the route walk checks).
    ("GET", "/", Expect::Grades(ALL)),
    ("GET", "/admin/contact-standards", Expect::Grades(ADMINS)),
    ("POST", "/admin/contact-standards", Expect::Grades(ADMINS)),
    ("GET", "/admin/courts", Expect::Grades(ADMINS)),
    ("POST", "/admin/courts", Expect::Grades(ADMINS)),
    ("GET", "/admin/users", Expect::Grades(ADMINS)),
    ("POST", "/admin/users", Expect::Grades(ADMINS)),
    ("GET", "/admin/users/new", Expect::Grades(ADMINS)),
    ("GET", "/admin/users/{staff}", Expect::Grades(ADMINS)),
    ("GET", "/admin/users/{staff}/password", Expect::Grades(ADMINS)),
    ("POST", "/admin/users/{staff}/password", Expect::Grades(ADMINS)),
    ("GET", "/admin/users/{staff}/role", Expect::Grades(ADMINS)),
    ("POST", "/admin/users/{staff}/role", Expect::Grades(ADMINS)),
    ("POST", "/admin/users/{staff}/status", Expect::Grades(ADMINS)),
    ("GET", "/api/partner/v1/openapi.json", Expect::Public),
    ("POST", "/api/predictors/ogrs3", Expect::Grades(ALL)),
    ("GET", "/assets/{*path}", Expect::Public),
    ("GET", "/audit", Expect::Grades(AUDITORS)),
    ("GET", "/audit.csv", Expect::Grades(AUDITORS)),
    ("GET", "/calendar/{file}", Expect::Public),
    ("GET", "/cases", Expect::Grades(HOLDERS)),
    ("GET", "/checks/bulk", Expect::Grades(MANAGERS)),
    ("POST", "/checks/bulk", Expect::Grades(MANAGERS)),
    ("GET", "/court/hearings/{hearing}", Expect::Grades(CASE_STAFF)),
    ("POST", "/court/hearings/{hearing}/adjournments", Expect::Grades(CASE_STAFF)),
    ("POST", "/court/hearings/{hearing}/adjournments/decision", Expect::Grades(CASE_STAFF)),
    ("GET", "/court/hearings/{hearing}/report", Expect::Grades(CASE_STAFF)),
    ("POST", "/court/hearings/{hearing}/report", Expect::Grades(CASE_STAFF)),
    ("POST", "/court/hearings/{hearing}/report/complete", Expect::Grades(CASE_STAFF)),
    ("GET", "/court/hearings/{hearing}/report/print", Expect::Grades(CASE_STAFF)),
    ("POST", "/court/hearings/{hearing}/report/save", Expect::Grades(CASE_STAFF)),
    ("GET", "/court/hearings/{hearing}/sentence", Expect::Grades(CASE_STAFF)),
    ("POST", "/court/hearings/{hearing}/sentence", Expect::Grades(CASE_STAFF)),
    ("GET", "/courts", Expect::Grades(CASE_STAFF)),
    ("GET", "/courts/court-list-template.csv", Expect::Grades(CASE_STAFF)),
    ("GET", "/courts/{court}/{day}", Expect::Grades(CASE_STAFF)),
    ("POST", "/courts/{court}/{day}/hearings", Expect::Grades(CASE_STAFF)),
    ("POST", "/courts/{court}/{day}/import", Expect::Grades(CASE_STAFF)),
    ("GET", "/diary", Expect::Grades(DIARY_KEEPERS)),
    ("GET", "/diary/calendar", Expect::Grades(HOLDERS)),
    ("POST", "/diary/calendar/renew", Expect::Grades(HOLDERS)),
    ("GET", "/diary/team/{code}", Expect::Grades(OVERSEERS)),
    ("GET", "/diary/team/{code}/without-outcome", Expect::Grades(OVERSEERS)),
    ("GET", "/diary/without-outcome", Expect::Grades(HOLDERS)),
    ("GET", "/find", Expect::Grades(ALL)),
    ("GET", "/health", Expect::Public),
    ("GET", "/licence-conditions", Expect::Grades(ALL)),
    ("GET", "/mappa", Expect::Grades(CASEWORK_AND_OVERSIGHT)),
    ("GET", "/partner", Expect::PartnersOnly),
    ("GET", "/partner/requests/{request}", Expect::PartnersOnly),
    ("POST", "/partner/requests/{request}/acknowledge", Expect::PartnersOnly),
    ("POST", "/partner/requests/{request}/decline", Expect::PartnersOnly),
    ("POST", "/partner/requests/{request}/response", Expect::PartnersOnly),
    ("GET", "/partner/statistics", Expect::PartnersOnly),
    ("GET", "/partners", Expect::Grades(OVERSEERS)),
    ("GET", "/programmes", Expect::Grades(OVERSEERS)),
    ("GET", "/programmes/catalogue", Expect::Grades(ALL)),
    ("GET", "/quality", Expect::Grades(OVERSEERS)),
    ("GET", "/quality/audits/{audit}", Expect::Grades(OVERSEERS)),
    ("GET", "/quality/audits/{audit}/moderate", Expect::Grades(OVERSEERS)),
    ("POST", "/quality/audits/{audit}/moderate", Expect::Grades(OVERSEERS)),
    ("GET", "/quality/pdu/{unit}/samples", Expect::Grades(OVERSEERS)),
    ("POST", "/quality/pdu/{unit}/samples", Expect::Grades(QUALITY_MANAGERS)),
    ("GET", "/quality/samples/{sample}", Expect::Grades(OVERSEERS)),
    ("GET", "/quality/{level}/{unit}", Expect::Grades(OVERSEERS)),
    ("GET", "/quality/{level}/{unit}/judgements", Expect::Grades(OVERSEERS)),
    ("POST", "/quality/{level}/{unit}/judgements", Expect::Grades(QUALITY_MANAGERS)),
    ("GET", "/quality/{level}/{unit}/plan", Expect::Grades(OVERSEERS)),
    ("GET", "/quality/{level}/{unit}/plan/actions/{action}/status", Expect::Grades(QUALITY_MANAGERS)),
    ("POST", "/quality/{level}/{unit}/plan/actions/{action}/status", Expect::Grades(QUALITY_MANAGERS)),
    ("POST", "/quality/{level}/{unit}/plan/recommendations", Expect::Grades(QUALITY_MANAGERS)),
    ("GET", "/quality/{level}/{unit}/plan/recommendations/{recommendation}/actions", Expect::Grades(QUALITY_MANAGERS)),
    ("POST", "/quality/{level}/{unit}/plan/recommendations/{recommendation}/actions", Expect::Grades(QUALITY_MANAGERS)),
    ("GET", "/quality/{level}/{unit}/questions/{question}", Expect::Grades(OVERSEERS)),
    ("GET", "/quality/{level}/{unit}/report", Expect::Grades(OVERSEERS)),
    ("GET", "/releases", Expect::Grades(VICTIM_LIAISON)),
    ("GET", "/reoffending", Expect::Grades(OVERSEERS)),
    ("GET", "/reoffending/calibration", Expect::Grades(OVERSEERS)),
    ("GET", "/sfo", Expect::Grades(OVERSEERS)),
    ("GET", "/sfo/{sfo}", Expect::Grades(SFO_READERS)),
    ("POST", "/sfo/{sfo}/notification", Expect::Grades(QUALITY_MANAGERS)),
    ("POST", "/sfo/{sfo}/review", Expect::Grades(SFO_REVIEWER)),
    ("POST", "/sfo/{sfo}/reviewer", Expect::Grades(QUALITY_MANAGERS)),
    ("GET", "/sign-in", Expect::Public),
    ("POST", "/sign-in", Expect::SignInFormOnly),
    ("POST", "/sign-out", Expect::Grades(ALL)),
    ("GET", "/supervision/behind", Expect::Grades(CASE_STAFF)),
    ("GET", "/tasks", Expect::Grades(CASE_STAFF)),
    ("POST", "/tasks/{task}/done", Expect::Grades(ALL)),
    ("GET", "/teams", Expect::Grades(OVERSEERS)),
    ("GET", "/teams/{code}", Expect::Grades(OVERSEERS)),
    ("GET", "/teams/{code}/attention", Expect::Grades(OVERSEERS)),
    ("GET", "/unpaid-work", Expect::Grades(CASE_STAFF)),
    ("GET", "/unpaid-work/at-risk", Expect::Grades(MANAGERS)),
    ("GET", "/unpaid-work/projects", Expect::Grades(CASE_STAFF)),
    ("GET", "/unpaid-work/projects/new", Expect::Grades(MANAGERS)),
    ("POST", "/unpaid-work/projects/new", Expect::Grades(MANAGERS)),
    ("GET", "/unpaid-work/projects/{upw_project}", Expect::Grades(MANAGERS)),
    ("POST", "/unpaid-work/projects/{upw_project}", Expect::Grades(MANAGERS)),
    ("GET", "/unpaid-work/projects/{upw_project}/sessions/new", Expect::Grades(CASE_STAFF)),
    ("POST", "/unpaid-work/projects/{upw_project}/sessions/new", Expect::Grades(CASE_STAFF)),
    ("GET", "/unpaid-work/sessions/{upw_session}", Expect::Grades(CASE_STAFF)),
    ("POST", "/unpaid-work/sessions/{upw_session}/allocations", Expect::Grades(CASE_STAFF)),
    ("GET", "/unpaid-work/sessions/{upw_session}/attendance", Expect::Grades(CASE_STAFF)),
    ("POST", "/unpaid-work/sessions/{upw_session}/attendance", Expect::Grades(CASE_STAFF)),
    ("GET", "/victims", Expect::Grades(VICTIM_LIAISON)),
    ("GET", "/workload", Expect::Grades(OVERSEERS)),
    ("GET", "/workload/allocations", Expect::Grades(OVERSEERS)),
    ("GET", "/workload/insights", Expect::Grades(OVERSEERS)),
    ("GET", "/workload/staff/{staff}", Expect::Grades(OWN_OR_OVERSEEING)),
    ("POST", "/workload/staff/{staff}/reductions", Expect::Grades(MANAGERS)),
    ("POST", "/workload/staff/{staff}/reductions/{reduction}/delete", Expect::Grades(MANAGERS)),
    ("POST", "/workload/staff/{staff}/reports", Expect::Grades(MANAGERS)),
    ("POST", "/workload/staff/{staff}/reports/{report}/complete", Expect::Grades(MANAGERS)),
    ("GET", "/workload/staff/{staff}/transfer", Expect::Grades(MANAGERS)),
    ("POST", "/workload/staff/{staff}/transfer", Expect::Grades(MANAGERS)),
];

/// The ids the case is moved between.
struct Places {
    person: String,
    home: (String, String),
    pdu: (String, String),
    other_pdu: (String, String),
    other_region: (String, String),
}

/// Finds (or makes) a team in each place relative to po.demo's team, and the case to move.
fn places(app: &TestApp, crn: &str) -> Places {
    let mut conn = app.db.database.connection().unwrap();
    let conn = &mut conn;
    let (person, home_pdu): (String, String) = people::table
        .filter(people::crn.eq(crn))
        .select((people::id, people::pdu_id))
        .first(conn)
        .unwrap();
    let home_team: String = allocations::table
        .filter(allocations::person_id.eq(&person))
        .filter(allocations::end_date.is_null())
        .select(allocations::team_id)
        .first(conn)
        .unwrap();
    let region: String = pdus::table
        .filter(pdus::id.eq(&home_pdu))
        .select(pdus::region_id)
        .first(conn)
        .unwrap();
    let pdu_team: String = teams::table
        .filter(teams::pdu_id.eq(&home_pdu))
        .filter(teams::id.ne(&home_team))
        .select(teams::id)
        .first(conn)
        .unwrap();
    let other_pdu = new_team(conn, &region, "OTH");
    let far_region = Uuid::new_v4().to_string();
    diesel::insert_into(regions::table)
        .values((
            regions::id.eq(&far_region),
            regions::code.eq("FAR"),
            regions::name.eq("Far region"),
        ))
        .execute(conn)
        .unwrap();
    let other_region = new_team(conn, &far_region, "FAR");
    Places {
        person,
        home: (home_pdu.clone(), home_team),
        pdu: (home_pdu, pdu_team),
        other_pdu,
        other_region,
    }
}

/// A new PDU in `region` with one team: (PDU, team).
fn new_team(
    conn: &mut keepsafe_storage::AnyConnection,
    region: &str,
    code: &str,
) -> (String, String) {
    let pdu = Uuid::new_v4().to_string();
    let team = Uuid::new_v4().to_string();
    diesel::insert_into(pdus::table)
        .values((
            pdus::id.eq(&pdu),
            pdus::region_id.eq(region),
            pdus::code.eq(format!("{code}P")),
            pdus::name.eq(format!("{code} PDU")),
        ))
        .execute(conn)
        .unwrap();
    diesel::insert_into(teams::table)
        .values((
            teams::id.eq(&team),
            teams::pdu_id.eq(&pdu),
            teams::code.eq(format!("{code}T")),
            teams::name.eq(format!("{code} team")),
        ))
        .execute(conn)
        .unwrap();
    (pdu, team)
}

/// Moves the case to `place`: its PDU and the team of its current allocation.
fn move_case(app: &TestApp, places: &Places, place: Place) {
    let (pdu, team) = match place {
        Place::Team | Place::Restricted | Place::Excluded => &places.home,
        Place::Pdu => &places.pdu,
        Place::OtherPdu => &places.other_pdu,
        Place::OtherRegion => &places.other_region,
    };
    limit_access(app, places, place);
    let mut conn = app.db.database.connection().unwrap();
    diesel::update(people::table.filter(people::id.eq(&places.person)))
        .set(people::pdu_id.eq(pdu))
        .execute(&mut conn)
        .unwrap();
    diesel::update(
        allocations::table
            .filter(allocations::person_id.eq(&places.person))
            .filter(allocations::end_date.is_null()),
    )
    .set(allocations::team_id.eq(team))
    .execute(&mut conn)
    .unwrap();
}

/// Adds the restriction (to po.other) or the exclusions (of every member of staff asking) that
/// the place needs.
fn limit_access(app: &TestApp, places: &Places, place: Place) {
    use keepsafe_test_support::limited_access::{exclude, restrict_to};
    let mut conn = app.db.database.connection().unwrap();
    let person: Uuid = places.person.parse().unwrap();
    let head = app.staff_id("head.demo");
    match place {
        Place::Restricted => {
            restrict_to(
                &mut conn,
                person,
                &[app.staff_id("po.other")],
                head,
                "Works with a relative of the person",
            )
            .unwrap();
        }
        Place::Excluded => {
            for (_, username) in STAFF {
                exclude(
                    &mut conn,
                    person,
                    app.staff_id(username),
                    head,
                    "Knows the person",
                )
                .unwrap();
            }
        }
        _ => {}
    }
}

fn expectation(route: &RouteSpec) -> Option<Expect> {
    EXPECTATIONS
        .iter()
        .find(|(method, path, _)| *method == route.method.as_str() && *path == route.path)
        .map(|(_, _, expect)| *expect)
}

fn signed_out(page: &crate::support::Page) -> bool {
    page.status.is_redirection() && page.location().is_some_and(|to| to.starts_with("/sign-in"))
}

/// Whether the answer is the handler's (allowed) or a refusal; anything else is a failure.
fn allowed(status: StatusCode) -> Option<bool> {
    match status {
        StatusCode::FORBIDDEN => Some(false),
        s if s.is_server_error() => None,
        _ => Some(true),
    }
}

fn expected(expect: Expect, who: Who, place: Place) -> bool {
    match expect {
        Expect::Public => true,
        Expect::Grades(grades) => grades.contains(&who),
        Expect::Case(rule) => rule.allows(who, place),
        Expect::PartnersOnly | Expect::SignInFormOnly => false,
    }
}

/// The matrix for the routes `include` picks: every route × grade × place, compared with its
/// expectation; all differences are reported together.
async fn walk(include: impl Fn(&RouteSpec) -> bool) {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let mut sessions: Vec<(Who, &str, Session)> = Vec::new();
    for (who, username) in STAFF {
        sessions.push((who, username, app.sign_in(username).await));
    }
    let routes: Vec<&RouteSpec> = app
        .routes
        .iter()
        .filter(|r| r.access != Access::PartnerApi && include(r))
        .collect();
    let paths: Vec<String> = routes.iter().map(|r| concrete(&app, r.path)).collect();
    let places = places(&app, &crn);
    let mut problems = String::new();
    let mut observed: BTreeMap<String, String> = BTreeMap::new();
    let mut refusals: Vec<(&str, String, Place)> = Vec::new();
    let mut checked = 0;
    for place in PLACES {
        move_case(&app, &places, place);
        for (route, path) in routes.iter().zip(&paths) {
            let expect = expectation(route);
            let names_case = path.contains(&crn) || route.access == Access::Case;
            if place != Place::Team && !names_case {
                continue;
            }
            let mut row = String::new();
            for (who, username, session) in sessions.iter_mut() {
                let mut page = request(&app, &route.method, path, Some(session)).await;
                if signed_out(&page) {
                    // An earlier route signed them out (sign-out itself, a password reset):
                    // sign in again and ask once more.
                    *session = app.sign_in(username).await;
                    page = request(&app, &route.method, path, Some(session)).await;
                }
                let Some(was_allowed) = allowed(page.status) else {
                    writeln!(
                        problems,
                        "{username} {} {path} ({place:?}): server error {}",
                        route.method, page.status
                    )
                    .unwrap();
                    continue;
                };
                if was_allowed {
                    write!(row, "{who:?}={} ", page.status.as_u16()).unwrap();
                }
                checked += 1;
                let Some(expect) = expect else { continue };
                let should = expected(expect, *who, place);
                if should != was_allowed {
                    writeln!(
                        problems,
                        "{username} {} {} ({place:?}): expected {}, got {}",
                        route.method,
                        route.path,
                        if should { "allowed" } else { "refused" },
                        page.status
                    )
                    .unwrap();
                }
                if !was_allowed && route.method == Method::GET {
                    refusals.push((*username, path.clone(), place));
                }
            }
            observed
                .entry(format!(
                    "{} {} [{:?}]",
                    route.method, route.path, route.access
                ))
                .or_default()
                .push_str(&format!("{place:?}: {row}| "));
        }
    }
    for (who, username, _) in &sessions {
        let _ = who;
        let audited = app.audit(AuditFilter {
            actor: Some((*username).into()),
            outcome: Some(Outcome::Refused),
            ..Default::default()
        });
        for (_, path, place) in refusals.iter().filter(|(u, _, _)| u == username) {
            let logged = audited.iter().any(|r| {
                r.detail.contains(path.as_str()) || r.crn.as_deref() == Some(crn.as_str())
            });
            if !logged {
                writeln!(
                    problems,
                    "{username} GET {path} ({place:?}): refused without an audit row"
                )
                .unwrap();
            }
        }
    }
    let missing: Vec<String> = observed
        .iter()
        .filter(|(key, _)| {
            !routes.iter().any(|r| {
                key.starts_with(&format!("{} {} ", r.method, r.path)) && expectation(r).is_some()
            })
        })
        .map(|(key, seen)| format!("{key}: {seen}"))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without an expectation in EXPECTATIONS (what each grade reached, by place):\n{}",
        missing.join("\n")
    );
    assert!(problems.is_empty(), "the matrix differs:\n{problems}");
    assert!(checked > 0, "some route was walked");
}

#[test]
fn every_expectation_names_a_route_the_router_serves() {
    let app = TestApp::sqlite();
    for (method, path, _) in EXPECTATIONS {
        assert!(
            app.routes
                .iter()
                .any(|r| r.method.as_str() == *method && r.path == *path),
            "{method} {path} is in the matrix but not served"
        );
    }
}

#[tokio::test]
async fn case_routes_answer_each_grade_as_the_matrix_says_wherever_the_case_is() {
    walk(|r| r.access == Access::Case).await;
}

#[tokio::test]
async fn other_routes_answer_each_grade_as_the_matrix_says() {
    walk(|r| r.access != Access::Case).await;
}
