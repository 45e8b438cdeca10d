//! Every route keepsafe serves, each with the access rule that guards it.
//!
//! Each area of the service's work (`sign_in`, `cases`, `risk`, `partners`, `workload`, `quality`,
//! `admin`) declares its own routes in its `routes` function; [`build`] lists the areas. Routes can
//! only be added through [`Registry::add`], which requires an [`Access`] rule and wraps the handler
//! in [`guard`]; `build` returns the list alongside the router so a test can walk every route and
//! prove its rule is enforced.

use crate::body_limits::{self, BodyLimit};
use crate::error::{error_page, AppError, ErrorDetails};
use crate::layout::Chrome;
use crate::session::{self, CurrentUser};
use crate::state::AppState;
use crate::{
    admin, assets, cases, court, csrf, health, mappa, needs, partners, plans, quality, risk,
    security_headers, sign_in, supervision, victims, workload,
};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{Method, Request, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
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
    /// (`partners::api`): no session, so no CSRF token.
    PartnerApi,
    /// Signed in with a grade that permits this action.
    Grade(GradeAction),
    /// Signed in, then authorised against the case named by `{crn}` by
    /// [`crate::cases::access::open_case`], which audit-logs the decision.
    Case,
    /// Signed in with a grade that oversees teams, then authorised against the team named by
    /// `{code}` in the handler, audit-logged.
    Team,
    /// Signed in, then authorised against the quality unit named by `{level}/{unit}` (or the
    /// unit of the sample or audit in the path) by [`crate::quality::access::open_unit`], which
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
    ReleaseWorklist,
    MappaCases,
    ManageUsers,
    ManageCourts,
    ViewAuditLog,
    CourtWork,
    ReoffendingOutcomes,
    UnpaidWork,
    UnpaidWorkProjects,
    UnpaidWorkAtRisk,
    SfoReviews,
    Programmes,
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
            GradeAction::ReleaseWorklist => Action::ViewReleaseWorklist,
            GradeAction::MappaCases => Action::ViewMappaCases,
            GradeAction::ManageUsers => Action::ManageUsers,
            GradeAction::ManageCourts => Action::ManageCourts,
            GradeAction::ViewAuditLog => Action::ViewAuditLog,
            GradeAction::CourtWork => Action::ViewCourtLists,
            GradeAction::ReoffendingOutcomes => Action::ViewReoffendingOutcomes,
            GradeAction::UnpaidWork => Action::ViewUnpaidWork,
            GradeAction::UnpaidWorkProjects => Action::ManageUnpaidWorkProjects,
            GradeAction::UnpaidWorkAtRisk => Action::ViewUnpaidWorkAtRisk,
            GradeAction::SfoReviews => Action::ViewSfoList,
            GradeAction::Programmes => Action::ViewProgrammes,
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

pub(crate) struct Registry {
    router: Router<AppState>,
    specs: Vec<RouteSpec>,
    state: AppState,
}

impl Registry {
    /// Adds a route with the rule that guards it: the only way a route is added. It reads forms
    /// without files ([`BodyLimit::Form`]).
    pub(crate) fn add(
        self,
        method: Method,
        path: &'static str,
        access: Access,
        handler: MethodRouter<AppState>,
    ) -> Self {
        self.add_with_body(method, path, access, handler, BodyLimit::Form)
    }

    /// Adds a route that takes files, up to `max_bytes` in one request, read one of a few at a
    /// time across the server (see [`crate::body_limits`]).
    pub(crate) fn add_upload(
        self,
        method: Method,
        path: &'static str,
        access: Access,
        handler: MethodRouter<AppState>,
        max_bytes: usize,
    ) -> Self {
        let handler = handler.layer(DefaultBodyLimit::max(max_bytes));
        self.add_with_body(method, path, access, handler, BodyLimit::Files(max_bytes))
    }

    fn add_with_body(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        handler: MethodRouter<AppState>,
        body: BodyLimit,
    ) -> Self {
        let guarded = handler.route_layer(from_fn_with_state(
            Guard {
                state: self.state.clone(),
                access,
                body,
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
    let registry = registry
        .add(Method::GET, "/health", Access::Public, get(health::show))
        .add(
            Method::GET,
            "/assets/{*path}",
            Access::Public,
            get(assets::serve),
        );
    let registry = sign_in::routes(registry);
    let registry = cases::routes(registry);
    let registry = risk::routes(registry);
    let registry = needs::routes(registry);
    let registry = plans::routes(registry);
    let registry = crate::licences::routes(registry);
    let registry = mappa::routes(registry);
    let registry = supervision::routes(registry);
    let registry = partners::routes(registry);
    let registry = workload::routes(registry);
    let registry = quality::routes(registry);
    let registry = admin::routes(registry);
    let registry = victims::routes(registry);
    let registry = court::routes(registry);
    let registry = crate::reoffending::routes(registry);
    let registry = crate::unpaid_work::routes(registry);
    let registry = crate::sfo::routes(registry);
    let registry = crate::programmes::routes(registry);
    let Registry { router, specs, .. } = registry;
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
    body: BodyLimit,
}

/// Enforces a route's [`Access`] rule and CSRF protection before its handler runs, reading no
/// more of the body than the route takes, and no body before its sender is known.
async fn guard(State(guard): State<Guard>, request: Request<Body>, next: Next) -> Response {
    let changes_state = !matches!(*request.method(), Method::GET | Method::HEAD);
    if changes_state && body_limits::declared_too_large(request.headers(), guard.body) {
        let message = guard.body.too_large_message();
        return if guard.access == Access::PartnerApi {
            partners::api::refusal(StatusCode::PAYLOAD_TOO_LARGE, message)
        } else {
            AppError::TooLarge(message).into_response()
        };
    }
    // Held until the answer is made, so the files in memory are bounded by the turns.
    let _turn = if changes_state && guard.body.takes_files() {
        match guard.state.uploads.turn(body_limits::UPLOAD_WAIT).await {
            Some(turn) => Some(turn),
            None if guard.access == Access::PartnerApi => {
                return partners::api::refusal(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "keepsafe is busy receiving other files: try again in a minute",
                )
            }
            None => return AppError::UploadsBusy.into_response(),
        }
    } else {
        None
    };
    // Partner systems' errors are the API's JSON, never a page.
    if guard.access == Access::PartnerApi {
        let request = partners::api::unread_unless_token_known(&guard.state, request).await;
        return crate::error::page_as_api_error(next.run(request).await);
    }
    match check(&guard, request).await {
        Ok(request) => {
            let user = request.extensions().get::<CurrentUser>().cloned();
            let (method, path) = (request.method().clone(), request.uri().path().to_owned());
            let response = next.run(request).await;
            let response = crate::error::audit_not_found(
                &guard.state,
                user.as_ref(),
                &method,
                &path,
                response,
            )
            .await;
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
    // Partner systems authenticate with their token in the handler (`guard` has already made
    // sure an unknown token's body is not read); there is no session to ride.
    if guard.access == Access::PartnerApi {
        return Ok(request);
    }
    if guard.access == Access::Public {
        if changes_state {
            let expected = session::cookie(request.headers(), csrf::SIGN_IN_COOKIE)
                .unwrap_or_default()
                .to_owned();
            let (submitted, request) = csrf::submitted_token(request, guard.body)
                .await
                .map_err(anonymous)?;
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
        let (submitted, request) = match csrf::submitted_token(request, guard.body).await {
            Ok(read) => read,
            Err(error) => return Err((error, Some(user))),
        };
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
