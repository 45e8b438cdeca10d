//! Every route keepsafe serves, each with the access rule that guards it.
//!
//! Routes can only be added through [`Registry::add`], which requires an [`Access`] rule and wraps
//! the handler in [`guard`]; `build` returns the list alongside the router so a test can walk every
//! route and prove its rule is enforced.

use crate::error::{error_page, AppError, ErrorDetails};
use crate::pages;
use crate::pages::layout::Chrome;
use crate::session::{self, CurrentUser};
use crate::state::AppState;
use crate::{assets, csrf, security_headers};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{Method, Request};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use keepsafe_domain::access::{decide, Action, Decision};
use keepsafe_domain::staff::Grade;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};

/// Who may reach a route before its handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: sign-in, health, static assets.
    Public,
    /// Any signed-in member of staff (not a partner user).
    SignedIn,
    /// Anyone signed in, partner users included: the start page (which sends each user to where
    /// their work starts) and signing out.
    AnySession,
    /// Signed in as a partner user: the partner portal, and nothing else.
    Partner,
    /// A partner system with a bearer API token, authenticated by the handler
    /// (`pages::partner_api`): no session, so no CSRF token.
    PartnerApi,
    /// Signed in with a grade that permits this action.
    Grade(GradeAction),
    /// Signed in, then authorised against the case named by `{crn}` by
    /// [`pages::case_access::open_case`], which audit-logs the decision.
    Case,
    /// Signed in with a grade that oversees teams, then authorised against the team named by
    /// `{code}` in the handler, audit-logged.
    Team,
    /// Signed in, then authorised against the quality unit named by `{level}/{unit}` (or the
    /// unit of the sample or audit in the path) by [`pages::quality_access::open_unit`], which
    /// audit-logs the decision.
    Unit,
}

/// Actions decided from the grade alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GradeAction {
    OwnCaseload,
    ReviewTasks,
    ViewWorkload,
    ViewPartnerExchange,
    RequestChecksInBulk,
    ListTeams,
    ManageUsers,
    ViewAuditLog,
}

impl GradeAction {
    /// The domain action the grade is checked against.
    pub fn action(self) -> Action<'static> {
        match self {
            GradeAction::OwnCaseload => Action::ViewOwnCaseload,
            GradeAction::ReviewTasks => Action::ViewReviewTasks,
            GradeAction::ViewWorkload => Action::ViewWorkload,
            GradeAction::ViewPartnerExchange => Action::ViewPartnerExchange,
            GradeAction::RequestChecksInBulk => Action::RequestChecksInBulk,
            GradeAction::ListTeams => Action::ListTeams,
            GradeAction::ManageUsers => Action::ManageUsers,
            GradeAction::ViewAuditLog => Action::ViewAuditLog,
        }
    }
}

/// One registered route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

struct Registry {
    router: Router<AppState>,
    specs: Vec<RouteSpec>,
    state: AppState,
}

impl Registry {
    fn add(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        handler: MethodRouter<AppState>,
    ) -> Self {
        let guarded = handler.route_layer(from_fn_with_state(
            Guard {
                state: self.state.clone(),
                access,
            },
            guard,
        ));
        self.router = self.router.route(path, guarded);
        self.specs.push(RouteSpec {
            method,
            path,
            access,
        });
        self
    }
}

/// The application: its router (ready to serve) and the list of its routes and their rules.
pub fn build(state: AppState) -> (Router, Vec<RouteSpec>) {
    let registry = Registry {
        router: Router::new(),
        specs: Vec::new(),
        state: state.clone(),
    };
    let Registry { router, specs, .. } = registry
        .add(
            Method::GET,
            "/health",
            Access::Public,
            get(pages::health::show),
        )
        .add(
            Method::GET,
            "/assets/{*path}",
            Access::Public,
            get(assets::serve),
        )
        .add(
            Method::GET,
            "/sign-in",
            Access::Public,
            get(pages::sign_in::form),
        )
        .add(
            Method::POST,
            "/sign-in",
            Access::Public,
            post(pages::sign_in::submit),
        )
        .add(
            Method::POST,
            "/sign-out",
            Access::AnySession,
            post(pages::sign_in::sign_out),
        )
        .add(
            Method::GET,
            "/api/partner/v1/openapi.json",
            Access::Public,
            get(pages::partner_api::openapi),
        )
        .add(
            Method::GET,
            "/api/partner/v1/requests",
            Access::PartnerApi,
            get(pages::partner_api::list),
        )
        .add(
            Method::GET,
            "/api/partner/v1/requests/{request}",
            Access::PartnerApi,
            get(pages::partner_api::show),
        )
        .add(
            Method::POST,
            "/api/partner/v1/requests/{request}/acknowledge",
            Access::PartnerApi,
            post(pages::partner_api::acknowledge),
        )
        .add(
            Method::POST,
            "/api/partner/v1/requests/{request}/response",
            Access::PartnerApi,
            // Base64 makes files a third larger.
            post(pages::partner_api::response).layer(DefaultBodyLimit::max(
                csrf::MAX_UPLOAD_BYTES / 3 * 4 + 64 * 1024,
            )),
        )
        .add(
            Method::POST,
            "/api/partner/v1/requests/{request}/decline",
            Access::PartnerApi,
            post(pages::partner_api::decline),
        )
        .add(
            Method::GET,
            "/partner",
            Access::Partner,
            get(pages::partner_portal::queue),
        )
        .add(
            Method::GET,
            "/partner/statistics",
            Access::Partner,
            get(pages::partner_statistics::for_partner),
        )
        .add(
            Method::GET,
            "/checks/bulk",
            Access::Grade(GradeAction::RequestChecksInBulk),
            get(pages::bulk_checks::form),
        )
        .add(
            Method::POST,
            "/checks/bulk",
            Access::Grade(GradeAction::RequestChecksInBulk),
            post(pages::bulk_checks::send),
        )
        .add(
            Method::GET,
            "/partners",
            Access::Grade(GradeAction::ViewPartnerExchange),
            get(pages::partner_statistics::for_staff),
        )
        .add(
            Method::GET,
            "/partner/requests/{request}",
            Access::Partner,
            get(pages::partner_portal::show),
        )
        .add(
            Method::POST,
            "/partner/requests/{request}/acknowledge",
            Access::Partner,
            post(pages::partner_portal::acknowledge),
        )
        .add(
            Method::POST,
            "/partner/requests/{request}/response",
            Access::Partner,
            post(pages::partner_portal::respond)
                .layer(DefaultBodyLimit::max(csrf::MAX_UPLOAD_BYTES)),
        )
        .add(
            Method::POST,
            "/partner/requests/{request}/decline",
            Access::Partner,
            post(pages::partner_portal::decline),
        )
        .add(Method::GET, "/", Access::AnySession, get(pages::home::show))
        .add(
            Method::GET,
            "/find",
            Access::SignedIn,
            get(pages::find::show),
        )
        .add(
            Method::GET,
            "/cases",
            Access::Grade(GradeAction::OwnCaseload),
            get(pages::my_cases::show),
        )
        .add(
            Method::GET,
            "/cases/{crn}",
            Access::Case,
            get(pages::case_record::show),
        )
        .add(
            Method::GET,
            "/cases/{crn}/tier",
            Access::Case,
            get(pages::tier::show),
        )
        .add(
            Method::GET,
            "/cases/{crn}/ogrs3",
            Access::Case,
            get(pages::ogrs3::show),
        )
        .add(
            Method::POST,
            "/api/predictors/ogrs3",
            Access::SignedIn,
            post(pages::predictor_api::ogrs3_score),
        )
        .add(
            Method::GET,
            "/cases/{crn}/risk",
            Access::Case,
            get(pages::risk::show),
        )
        .add(
            Method::POST,
            "/cases/{crn}/risk/assessments",
            Access::Case,
            post(pages::assessment::start),
        )
        .add(
            Method::GET,
            "/cases/{crn}/risk/assessments/{assessment}",
            Access::Case,
            get(pages::assessment::show),
        )
        .add(
            Method::POST,
            "/cases/{crn}/risk/assessments/{assessment}",
            Access::Case,
            post(pages::assessment::save),
        )
        .add(
            Method::POST,
            "/cases/{crn}/risk/assessments/{assessment}/countersign",
            Access::Case,
            post(pages::assessment::countersign),
        )
        .add(
            Method::POST,
            "/cases/{crn}/checks",
            Access::Case,
            post(pages::risk::request_check),
        )
        .add(
            Method::GET,
            "/cases/{crn}/checks/{check}/attachments/{position}",
            Access::Case,
            get(pages::checks::attachment),
        )
        .add(
            Method::GET,
            "/cases/{crn}/checks/{check}/response",
            Access::Case,
            get(pages::checks::response_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/checks/{check}/response",
            Access::Case,
            post(pages::checks::record_response),
        )
        .add(
            Method::POST,
            "/cases/{crn}/checks/{check}/withdraw",
            Access::Case,
            post(pages::checks::withdraw),
        )
        .add(
            Method::GET,
            "/cases/{crn}/checks/{check}/authorise",
            Access::Case,
            get(pages::checks::authorise_form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/checks/{check}/authorise",
            Access::Case,
            post(pages::checks::authorise),
        )
        .add(
            Method::GET,
            "/cases/{crn}/changes",
            Access::Case,
            get(pages::changes::form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/changes",
            Access::Case,
            post(pages::changes::record),
        )
        .add(
            Method::GET,
            "/cases/{crn}/address-checks",
            Access::Case,
            get(pages::address_checks::list),
        )
        .add(
            Method::POST,
            "/cases/{crn}/address-checks",
            Access::Case,
            post(pages::address_checks::start),
        )
        .add(
            Method::GET,
            "/cases/{crn}/address-checks/{address_check}",
            Access::Case,
            get(pages::address_checks::show),
        )
        .add(
            Method::POST,
            "/cases/{crn}/address-checks/{address_check}",
            Access::Case,
            post(pages::address_checks::save),
        )
        .add(
            Method::POST,
            "/cases/{crn}/address-checks/{address_check}/checks",
            Access::Case,
            post(pages::address_checks::request_checks),
        )
        .add(
            Method::POST,
            "/cases/{crn}/address-checks/{address_check}/approve",
            Access::Case,
            post(pages::address_checks::approve),
        )
        .add(
            Method::GET,
            "/cases/{crn}/allocate",
            Access::Case,
            get(pages::allocation::form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/allocate",
            Access::Case,
            post(pages::allocation::allocate),
        )
        // The audit workflow: samples, case audits and moderation, the ratings panel's
        // decisions, action plans and management oversight (`pages::quality_*`, `oversight`).
        // Moderation is under `/quality/audits` but is decided on the audit's case
        // (`Need::Audit`): the moderator must be allowed to audit it.
        .add(
            Method::GET,
            "/cases/{crn}/quality/audit",
            Access::Case,
            get(pages::quality_audits::form),
        )
        .add(
            Method::POST,
            "/cases/{crn}/quality/audit",
            Access::Case,
            post(pages::quality_audits::record),
        )
        .add(
            Method::GET,
            "/cases/{crn}/oversight",
            Access::Case,
            get(pages::oversight::show),
        )
        .add(
            Method::POST,
            "/cases/{crn}/oversight",
            Access::Case,
            post(pages::oversight::record),
        )
        .add(
            Method::GET,
            "/quality/pdu/{unit}/samples",
            Access::Unit,
            get(pages::quality_samples::list_samples),
        )
        .add(
            Method::POST,
            "/quality/pdu/{unit}/samples",
            Access::Unit,
            post(pages::quality_samples::draw_sample),
        )
        .add(
            Method::GET,
            "/quality/samples/{sample}",
            Access::Unit,
            get(pages::quality_samples::show_sample),
        )
        .add(
            Method::GET,
            "/quality/audits/{audit}",
            Access::Unit,
            get(pages::quality_audit_view::show),
        )
        .add(
            Method::GET,
            "/quality/audits/{audit}/moderate",
            Access::Unit,
            get(pages::quality_audits::moderation_form),
        )
        .add(
            Method::POST,
            "/quality/audits/{audit}/moderate",
            Access::Unit,
            post(pages::quality_audits::moderate_audit),
        )
        .add(
            Method::GET,
            "/quality/{level}/{unit}/judgements",
            Access::Unit,
            get(pages::quality_panel::show),
        )
        .add(
            Method::POST,
            "/quality/{level}/{unit}/judgements",
            Access::Unit,
            post(pages::quality_panel::record),
        )
        .add(
            Method::GET,
            "/quality/{level}/{unit}/plan",
            Access::Unit,
            get(pages::quality_plan::show),
        )
        .add(
            Method::POST,
            "/quality/{level}/{unit}/plan/recommendations",
            Access::Unit,
            post(pages::quality_plan::add_recommendation),
        )
        .add(
            Method::GET,
            "/quality/{level}/{unit}/plan/recommendations/{recommendation}/actions",
            Access::Unit,
            get(pages::quality_plan::action_form),
        )
        .add(
            Method::POST,
            "/quality/{level}/{unit}/plan/recommendations/{recommendation}/actions",
            Access::Unit,
            post(pages::quality_plan::add_action),
        )
        .add(
            Method::GET,
            "/quality/{level}/{unit}/plan/actions/{action}/status",
            Access::Unit,
            get(pages::quality_plan::status_form),
        )
        .add(
            Method::POST,
            "/quality/{level}/{unit}/plan/actions/{action}/status",
            Access::Unit,
            post(pages::quality_plan::move_status),
        )
        .add(
            Method::GET,
            "/workload",
            Access::Grade(GradeAction::ViewWorkload),
            get(pages::workload::show),
        )
        .add(
            Method::GET,
            "/workload/insights",
            Access::Grade(GradeAction::ViewWorkload),
            get(pages::insights::show),
        )
        .add(
            Method::GET,
            "/workload/staff/{staff}",
            Access::SignedIn,
            get(pages::workload::staff_detail),
        )
        .add(
            Method::GET,
            "/workload/staff/{staff}/transfer",
            Access::SignedIn,
            get(pages::transfer::form),
        )
        .add(
            Method::POST,
            "/workload/staff/{staff}/transfer",
            Access::SignedIn,
            post(pages::transfer::transfer),
        )
        .add(
            Method::POST,
            "/workload/staff/{staff}/reductions",
            Access::SignedIn,
            post(pages::workload::add_reduction),
        )
        .add(
            Method::POST,
            "/workload/staff/{staff}/reports",
            Access::SignedIn,
            post(pages::workload::add_report),
        )
        .add(
            Method::POST,
            "/workload/staff/{staff}/reports/{report}/complete",
            Access::SignedIn,
            post(pages::workload::complete_report),
        )
        .add(
            Method::POST,
            "/workload/staff/{staff}/reductions/{reduction}/delete",
            Access::SignedIn,
            post(pages::workload::delete_reduction),
        )
        .add(
            Method::GET,
            "/tasks",
            Access::Grade(GradeAction::ReviewTasks),
            get(pages::tasks::show),
        )
        .add(
            Method::POST,
            "/tasks/{task}/done",
            Access::SignedIn,
            post(pages::tasks::mark_done),
        )
        .add(
            Method::GET,
            "/teams",
            Access::Grade(GradeAction::ListTeams),
            get(pages::teams::list),
        )
        .add(
            Method::GET,
            "/teams/{code}",
            Access::Team,
            get(pages::teams::caseload),
        )
        .add(
            Method::GET,
            "/cases/{crn}/quality",
            Access::Case,
            get(pages::case_quality::show),
        )
        .add(
            Method::GET,
            "/quality",
            Access::SignedIn,
            get(pages::quality::index),
        )
        .add(
            Method::GET,
            "/quality/{level}/{unit}",
            Access::Unit,
            get(pages::quality::unit),
        )
        .add(
            Method::GET,
            "/quality/{level}/{unit}/questions/{question}",
            Access::Unit,
            get(pages::quality::question),
        )
        .add(
            Method::GET,
            "/quality/{level}/{unit}/report",
            Access::Unit,
            get(pages::quality::report),
        )
        .add(
            Method::GET,
            "/audit",
            Access::Grade(GradeAction::ViewAuditLog),
            get(pages::audit_log::show),
        )
        .add(
            Method::GET,
            "/admin/users",
            Access::Grade(GradeAction::ManageUsers),
            get(pages::users::list),
        );
    let router = router
        .fallback(|| async { AppError::NotFound })
        .layer(from_fn(security_headers::apply))
        .with_state(state);
    (router, specs)
}

#[derive(Clone)]
struct Guard {
    state: AppState,
    access: Access,
}

/// Enforces a route's [`Access`] rule and CSRF protection before its handler runs.
async fn guard(State(guard): State<Guard>, request: Request<Body>, next: Next) -> Response {
    match check(&guard, request).await {
        Ok(request) => {
            let user = request.extensions().get::<CurrentUser>().cloned();
            let response = next.run(request).await;
            with_user_chrome(response, user.as_ref())
        }
        Err((error, user)) => with_user_chrome(error.into_response(), user.as_ref()),
    }
}

/// Error pages for a signed-in user keep their menu and sign-out button.
fn with_user_chrome(response: Response, user: Option<&CurrentUser>) -> Response {
    match (user, response.extensions().get::<ErrorDetails>()) {
        (Some(user), Some(details)) => {
            let chrome = Chrome::for_user(user, details.heading, "");
            error_page(response.status(), details.clone(), chrome)
        }
        _ => response,
    }
}

async fn check(
    guard: &Guard,
    request: Request<Body>,
) -> Result<Request<Body>, (AppError, Option<CurrentUser>)> {
    let clock = guard.state.clock;
    let anonymous = |error: AppError| (error, None);
    let state = &guard.state;
    let changes_state = !matches!(*request.method(), Method::GET | Method::HEAD);
    // Partner systems authenticate with their token in the handler; there is no session to ride.
    if guard.access == Access::PartnerApi {
        return Ok(request);
    }
    if guard.access == Access::Public {
        if changes_state {
            let expected = session::cookie(request.headers(), csrf::SIGN_IN_COOKIE)
                .unwrap_or_default()
                .to_owned();
            let (submitted, request) = csrf::submitted_token(request).await;
            if !csrf::matches(&expected, submitted.as_deref()) {
                return Err(anonymous(AppError::CsrfRejected));
            }
            return Ok(request);
        }
        return Ok(request);
    }

    let Some(user) = session::current_user(state, request.headers())
        .await
        .map_err(anonymous)?
    else {
        let return_to = (!changes_state).then(|| {
            request
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|| "/".into())
        });
        return Err(anonymous(AppError::SignInRequired { return_to }));
    };

    let mut request = if changes_state {
        let (submitted, request) = csrf::submitted_token(request).await;
        if !csrf::matches(&user.csrf_token, submitted.as_deref()) {
            return Err((AppError::CsrfRejected, Some(user)));
        }
        request
    } else {
        request
    };

    // Partner users reach the partner portal and nothing else; staff never reach the portal.
    let is_partner = user.account.grade == Grade::PartnerUser;
    let wrong_side = match guard.access {
        Access::AnySession | Access::Public | Access::PartnerApi => None,
        Access::Partner if !is_partner => Some((
            "staff_in_partner_portal",
            "The partner portal is for users of police forces and local authorities. Requests \
             you sent are on the case's risk page.",
        )),
        Access::Partner => None,
        _ if is_partner => Some((
            "partner_outside_portal",
            "Partner users can see only the requests sent to their organisation. Go to your \
             requests.",
        )),
        _ => None,
    };
    if let Some((code, message)) = wrong_side {
        let entry = AuditEntry {
            staff_id: Some(user.account.id),
            actor: user.audit_name(),
            action: "open_page".into(),
            outcome: Outcome::Refused,
            person_id: None,
            crn: None,
            detail: format!("{} {} ({code})", request.method(), request.uri().path()),
        };
        if let Err(error) = state
            .write(move |conn| Ok(audit::record(conn, &entry, clock.now())?))
            .await
        {
            return Err((error, Some(user)));
        }
        return Err((AppError::Refused(message.to_owned()), Some(user)));
    }

    let grade_action = match guard.access {
        Access::Grade(action) => Some(action.action()),
        Access::Team => Some(Action::ListTeams),
        Access::Public
        | Access::SignedIn
        | Access::AnySession
        | Access::Partner
        | Access::PartnerApi
        | Access::Case
        | Access::Unit => None,
    };
    if let Some(action) = grade_action {
        if let Decision::Refused(refusal) = decide(&user.account.actor(), action) {
            let entry = AuditEntry {
                staff_id: Some(user.account.id),
                actor: user.audit_name(),
                action: "open_page".into(),
                outcome: Outcome::Refused,
                person_id: None,
                crn: None,
                detail: format!(
                    "{} {} ({})",
                    request.method(),
                    request.uri().path(),
                    refusal.code()
                ),
            };
            if let Err(error) = state
                .write(move |conn| Ok(audit::record(conn, &entry, clock.now())?))
                .await
            {
                return Err((error, Some(user)));
            }
            return Err((AppError::Refused(refusal.message()), Some(user)));
        }
    }
    request.extensions_mut().insert(user);
    Ok(request)
}

/// The signed-in member of staff, for handlers behind any rule except [`Access::Public`].
pub struct SignedIn(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .map(SignedIn)
            .ok_or_else(|| {
                AppError::Internal(format!(
                    "route {} reads the signed-in user but is not guarded by a sign-in rule",
                    parts.uri.path()
                ))
            })
    }
}
