//! A keepsafe application over a throw-away database holding the small demo region (generated
//! for the tests' fixed day), driven in-process through its router (`oneshot`), or served on a
//! real port for the browser; and the fixtures tests start from, made through the application's
//! own functions rather than searched for in generated data.

use axum::body::{to_bytes, Body};
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use chrono::NaiveDate;
use keepsafe_demo::{DemoRegion, DEMO_PASSWORD};
use keepsafe_domain::staff::Grade;
use keepsafe_storage::audit::{self, AuditFilter, AuditRecord};
use keepsafe_storage::testing::{Backend, TestDatabase};
use keepsafe_web::{AppState, RouteSpec, WebConfig};
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub routes: Vec<RouteSpec>,
    pub region: DemoRegion,
    pub db: TestDatabase,
    /// The requests [`TestApp::partner_request`] has sent, by partner code, so asking twice in
    /// one test gives the same request.
    sent: std::sync::Mutex<std::collections::HashMap<String, uuid::Uuid>>,
}

/// The seed of the web tests' demo region.
pub const SEED: u64 = 11;

/// A response with its body read.
pub struct Page {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// A response header's value, if present and readable.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// The value of a cookie this response sets.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| {
                let (pair, _) = v.split_once(';').unwrap_or((v, ""));
                let (key, value) = pair.split_once('=')?;
                (key == name).then(|| value.to_owned())
            })
    }

    /// The value of the first hidden `csrf_token` field in the page.
    pub fn csrf_token(&self) -> Option<String> {
        let marker = "name=\"csrf_token\" value=\"";
        let start = self.body.find(marker)? + marker.len();
        let end = self.body[start..].find('"')? + start;
        Some(self.body[start..end].to_owned())
    }
}

/// A signed-in browser's credentials.
#[derive(Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// The day every test runs on (see [`crate::clock`]).
pub fn today() -> NaiveDate {
    crate::clock::today()
}

impl TestApp {
    pub fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let region = crate::demo::small_region(SEED, today());
                Self::over(crate::demo::sqlite_copy(&region), region)
            }
            Backend::Postgres => Self::with_region(backend, |_| {}),
        }
    }

    /// The demo region without its quality history (audits, panel decisions, action plans,
    /// oversight records), for tests that count exactly what they add.
    pub fn sqlite_without_quality_history() -> Self {
        Self::with_region(Backend::Sqlite, |region| {
            region.quality = Default::default();
            for person in &mut region.people {
                person.oversight.clear();
            }
        })
    }

    fn with_region(backend: Backend, adjust: impl FnOnce(&mut keepsafe_demo::DemoRegion)) -> Self {
        let db = TestDatabase::new(backend);
        let mut region = crate::demo::small_region(SEED, today());
        adjust(&mut region);
        crate::demo::install(&db, &region);
        Self::over(db, region)
    }

    /// The application over `db`, which already holds `region` however it got there (loaded by
    /// `keepsafe import`, say).
    pub fn over(db: TestDatabase, region: DemoRegion) -> Self {
        let state = AppState::new(
            db.database.clone(),
            WebConfig::default(),
            crate::clock::clock(),
        );
        let (router, routes) = keepsafe_web::build(state);
        Self {
            router,
            routes,
            region,
            db,
            sent: Default::default(),
        }
    }

    pub fn sqlite() -> Self {
        Self::new(Backend::Sqlite)
    }

    pub async fn send(&self, request: Request<Body>) -> Page {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, session: Option<&Session>) -> Page {
        let mut request = Request::builder().method(Method::GET).uri(path);
        if let Some(session) = session {
            request = request.header(
                header::COOKIE,
                format!("keepsafe_session={}", session.cookie),
            );
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    pub async fn post_form(&self, path: &str, cookies: &str, form: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(form).unwrap();
        let request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookies)
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Submits a form as a signed-in user, with their CSRF token.
    pub async fn post(&self, path: &str, session: &Session, form: &[(&str, &str)]) -> Page {
        let mut fields: Vec<(&str, &str)> = vec![("csrf_token", session.csrf.as_str())];
        fields.extend_from_slice(form);
        self.post_form(
            path,
            &format!("keepsafe_session={}", session.cookie),
            &fields,
        )
        .await
    }

    /// Submits a multipart form (text fields and files) as a signed-in user, with their CSRF
    /// token, as a browser sends a form with a file input. Files are (field, name, type, bytes).
    pub async fn post_multipart(
        &self,
        path: &str,
        session: &Session,
        form: &[(&str, &str)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> Page {
        let boundary = "keepsafe-test-boundary-7d3f";
        let mut body: Vec<u8> = Vec::new();
        let mut fields = vec![("csrf_token", session.csrf.as_str())];
        fields.extend_from_slice(form);
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        for (field, file_name, media_type, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; \
                     filename=\"{file_name}\"\r\nContent-Type: {media_type}\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(
                header::COOKIE,
                format!("keepsafe_session={}", session.cookie),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Tries to sign in, as the sign-in form would.
    pub async fn attempt_sign_in(&self, username: &str, password: &str) -> Page {
        let form = self.get("/sign-in", None).await;
        let token = form
            .cookie("keepsafe_sign_in")
            .expect("the form sets its CSRF cookie");
        self.post_form(
            "/sign-in",
            &format!("keepsafe_sign_in={token}"),
            &[
                ("username", username),
                ("password", password),
                ("csrf_token", &token),
                ("return_to", "/"),
            ],
        )
        .await
    }

    pub async fn sign_in(&self, username: &str) -> Session {
        let page = self.attempt_sign_in(username, DEMO_PASSWORD).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "sign-in as {username}: {}",
            page.body
        );
        let cookie = page.cookie("keepsafe_session").expect("a session cookie");
        let home = self
            .get(
                "/find",
                Some(&Session {
                    cookie: cookie.clone(),
                    csrf: String::new(),
                }),
            )
            .await;
        let csrf = home
            .csrf_token()
            .expect("signed-in pages carry the CSRF token");
        Session { cookie, csrf }
    }

    pub fn audit(&self, filter: AuditFilter) -> Vec<AuditRecord> {
        let mut conn = self.db.database.connection().unwrap();
        audit::recent(&mut conn, &filter, 1000).unwrap()
    }

    pub fn staff_id(&self, username: &str) -> uuid::Uuid {
        self.region
            .staff
            .iter()
            .find(|s| s.username.as_deref() == Some(username))
            .map(|s| s.id)
            .unwrap_or_else(|| panic!("no demo account {username}"))
    }

    /// A CRN whose current allocation is to the given member of staff.
    pub fn case_of(&self, username: &str) -> String {
        let staff_id = self.staff_id(username);
        self.region
            .people
            .iter()
            .find(|p| {
                p.allocations
                    .iter()
                    .any(|a| a.end_date.is_none() && a.staff_id == staff_id)
            })
            .map(|p| p.crn.clone())
            .unwrap_or_else(|| panic!("{username} holds no case"))
    }

    /// An address check of a new proposed address on the case, made directly in storage (once per
    /// case; later calls return the same one).
    pub fn address_check(&self, crn: &str) -> uuid::Uuid {
        use keepsafe_domain::address_suitability::CurfewPurpose;
        use keepsafe_storage::risk::address_checks::{self, NewAddress};
        let mut conn = self.db.database.connection().unwrap();
        let case = keepsafe_storage::cases::record::locate(&mut conn, crn)
            .unwrap()
            .unwrap();
        if let Some(existing) = address_checks::for_person(&mut conn, case.person_id)
            .unwrap()
            .first()
        {
            return existing.id;
        }
        keepsafe_storage::transaction::write(&mut conn, |conn| {
            address_checks::start(
                conn,
                case.person_id,
                &NewAddress {
                    line1: "4 Orchard Row".into(),
                    town: "Midchester".into(),
                    postcode: "MC1 4ZZ".into(),
                },
                CurfewPurpose::HomeDetentionCurfew,
                self.staff_id("po.demo"),
                crate::clock::now(),
            )
        })
        .unwrap()
    }

    /// A request sent through keepsafe to the partner organisation with this code (police:
    /// a domestic-abuse check; children's services: a children's-services check) for po.demo's
    /// case, at its current address, exactly as the risk page's "Request the check" sends it.
    /// Asking again for the same partner in one test gives the same request.
    pub fn partner_request(&self, code: &str) -> uuid::Uuid {
        use keepsafe_domain::partner::{PartnerOrganisationKind, RequestType};
        use keepsafe_storage::cases::record;
        use keepsafe_web::partners::exchange::{request_check, SendTo};
        let mut sent = self.sent.lock().unwrap();
        if let Some(id) = sent.get(code) {
            return *id;
        }
        let partner = self
            .region
            .partners
            .iter()
            .find(|p| p.code == code)
            .unwrap_or_else(|| panic!("no demo partner {code}"));
        let request_type = match partner.kind {
            PartnerOrganisationKind::PoliceForce => RequestType::PoliceDomesticAbuse,
            _ => RequestType::ChildrensSafeguarding,
        };
        let crn = self.case_of("po.demo");
        let by = (self.staff_id("po.demo"), "po.demo");
        let mut conn = self.db.database.connection().unwrap();
        let id = keepsafe_storage::transaction::write(&mut conn, |conn| {
            let case = record::locate(conn, &crn)?.expect("po.demo's case exists");
            let address = record::current_address(conn, case.person_id, today())?;
            let sent = request_check(
                conn,
                &case,
                request_type,
                SendTo::Organisation(partner.id),
                address,
                by,
                crate::clock::now(),
            )
            .map_err(|e| keepsafe_storage::StorageError::Corrupt(format!("{e:?}")))?;
            Ok::<_, keepsafe_storage::StorageError>(sent.expect("the partner takes the request"))
        })
        .unwrap();
        sent.insert(code.to_owned(), id);
        id
    }

    /// The demo person a request sent to a partner is about.
    pub fn person_of_request(&self, request: uuid::Uuid) -> &keepsafe_demo::Person {
        let mut conn = self.db.database.connection().unwrap();
        let person_id = keepsafe_storage::partners::request(&mut conn, request)
            .unwrap()
            .person_id;
        self.region
            .people
            .iter()
            .find(|p| p.id == person_id)
            .expect("the request is about a demo person")
    }

    /// Signs in as the demo account of `grade` (for partner users: the police responder).
    pub async fn sign_in_as(&self, grade: Grade) -> Session {
        self.sign_in(demo_username(grade)).await
    }

    pub fn team_code_of(&self, username: &str) -> String {
        let team_id = self
            .region
            .staff
            .iter()
            .find(|s| s.username.as_deref() == Some(username))
            .and_then(|s| s.team_id)
            .unwrap();
        self.region
            .teams
            .iter()
            .find(|t| t.id == team_id)
            .unwrap()
            .code
            .clone()
    }

    /// A draft assessment and an overdue police check request on a case, made directly in
    /// storage (once per case; later calls return the same ones).
    pub fn draft_and_check(&self, crn: &str) -> (uuid::Uuid, uuid::Uuid) {
        use keepsafe_domain::checks::CheckKind;
        use keepsafe_storage::cases::record as case_record;
        use keepsafe_storage::risk::{assessments, checks};
        let mut conn = self.db.database.connection().unwrap();
        let case = case_record::locate(&mut conn, crn).unwrap().unwrap();
        let existing_draft = assessments::for_person(&mut conn, case.person_id)
            .unwrap()
            .into_iter()
            .find(|a| a.status == keepsafe_domain::rosh::AssessmentStatus::Draft)
            .map(|a| a.id);
        let existing_check = checks::for_person(&mut conn, case.person_id)
            .unwrap()
            .first()
            .map(|c| c.id);
        if let (Some(draft), Some(check)) = (existing_draft, existing_check) {
            return (draft, check);
        }
        let by = self.staff_id("po.demo");
        let case_type = case_record::main_case_type(&mut conn, case.person_id)
            .unwrap()
            .unwrap();
        let draft = match existing_draft {
            Some(draft) => draft,
            None => assessments::start(
                &mut conn,
                case.person_id,
                case_type,
                by,
                crate::clock::now(),
            )
            .unwrap(),
        };
        let address = case_record::current_address(&mut conn, case.person_id, today()).unwrap();
        let check = checks::request(
            &mut conn,
            &checks::NewCheck {
                person_id: case.person_id,
                kind: CheckKind::PoliceDomesticAbuse.into(),
                address_id: address.as_ref().map(|a| a.id),
                address_description: address.map(|a| a.description).unwrap_or_default(),
                requested_on: today() - chrono::Duration::days(30),
                deadline: today() - chrono::Duration::days(16),
                deadline_rule: "test".into(),
                requested_by: by,
            },
            crate::clock::now(),
        )
        .unwrap();
        (draft, check)
    }

    /// A plain-text file attached at position 0 to the answer of this check (made directly in
    /// storage; once per check).
    pub fn attach_file(&self, check: uuid::Uuid) {
        use keepsafe_domain::partner::{Attachment, MediaType};
        let mut conn = self.db.database.connection().unwrap();
        if keepsafe_storage::partners::attachment(&mut conn, check, 0).is_ok() {
            return;
        }
        let bytes = b"Call-out log: none recorded.".to_vec();
        keepsafe_storage::partners::store_attachments(
            &mut conn,
            check,
            &[Attachment {
                file_name: "call-outs.txt".into(),
                media_type: MediaType::PlainText,
                size_bytes: bytes.len() as u64,
            }],
            &[bytes],
        )
        .unwrap();
    }

    /// Serves the application on a free local port, for the browser tests.
    pub async fn serve(&self) -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let router = self.router.clone();
        tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .unwrap();
        });
        address
    }
}

/// The demo account of each grade, in the demo PDU.
pub fn demo_username(grade: Grade) -> &'static str {
    match grade {
        Grade::ProbationOfficer => "po.demo",
        Grade::ProbationServiceOfficer => "pso.demo",
        Grade::SeniorProbationOfficer => "spo.demo",
        Grade::HeadOfPdu => "head.demo",
        Grade::VictimLiaisonOfficer => "vlo.demo",
        Grade::QualityInspection => "quality.demo",
        Grade::Administrator => "admin.demo",
        Grade::PartnerUser => "police.demo",
        other => panic!("no demo account of grade {other:?}"),
    }
}
