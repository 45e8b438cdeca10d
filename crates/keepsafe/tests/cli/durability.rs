//! keepsafe under faults, run as an operator runs it (`keepsafe serve` as a process): when its
//! PostgreSQL server cannot be reached pages and the partner API say the service is unavailable
//! (503) and it recovers without a restart; killed with SIGKILL in the middle of many writes it
//! loses no write it acknowledged and leaves none half-written, on both backends; and an import
//! killed mid-way resumes to the same data.

use super::{keepsafe, small_demo, KEEPSAFE};
use diesel::sql_types::Text;
use diesel::{QueryableByName, RunQueryDsl};
use keepsafe_domain::staff::Username;
use keepsafe_storage::supervision::contacts;
use keepsafe_storage::testing::TestDatabase;
use keepsafe_storage::{cases, staff, AnyConnection, DatabaseUrl};
use keepsafe_test_support::app::{today, SEED};
use keepsafe_test_support::cli::{sqlite_url, succeeded};
use keepsafe_test_support::clock;
use keepsafe_test_support::demo::{install, small_region};
use std::collections::BTreeSet;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};

/// `keepsafe serve` as a process on a free port.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(url: &str) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = KEEPSAFE
            .command()
            .args(["--database-url", url, "serve", "--insecure-cookies"])
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start keepsafe serve");
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let client = client();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(answer) = client.get(format!("{}/health", server.base)).send().await {
                if answer.status() == 200 {
                    return server;
                }
            }
            assert!(Instant::now() < deadline, "keepsafe serve did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no chance to finish anything.
    fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// The value a response sets a cookie to.
fn cookie(answer: &reqwest::Response, name: &str) -> Option<String> {
    answer
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            let pair = v.split(';').next()?;
            let (key, value) = pair.split_once('=')?;
            (key == name).then(|| value.to_owned())
        })
}

/// A signed-in browser: its session cookie and the CSRF token of its forms.
#[derive(Clone)]
struct Browser {
    client: reqwest::Client,
    base: String,
    session: String,
    csrf: String,
}

impl Browser {
    async fn sign_in(server: &Server, username: &str) -> Self {
        let client = client();
        let base = server.base.clone();
        let form = client.get(format!("{base}/sign-in")).send().await.unwrap();
        let token = cookie(&form, "keepsafe_sign_in").expect("the sign-in form's cookie");
        let signed_in = client
            .post(format!("{base}/sign-in"))
            .header("cookie", format!("keepsafe_sign_in={token}"))
            .form(&[
                ("username", username),
                ("password", keepsafe_demo::DEMO_PASSWORD),
                ("csrf_token", &token),
                ("return_to", "/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), 303, "sign in as {username}");
        let session = cookie(&signed_in, "keepsafe_session").expect("a session cookie");
        let mut browser = Browser {
            client,
            base,
            session,
            csrf: String::new(),
        };
        let (_, page) = browser.get("/find").await;
        let marker = "name=\"csrf_token\" value=\"";
        let start = page.find(marker).expect("a CSRF token") + marker.len();
        browser.csrf = page[start..start + page[start..].find('"').unwrap()].to_owned();
        browser
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let answer = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", format!("keepsafe_session={}", self.session))
            .send()
            .await
            .unwrap();
        (answer.status().as_u16(), answer.text().await.unwrap())
    }

    /// Posts a form; the status, or `None` when the server did not answer.
    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Option<u16> {
        let mut fields = form.to_vec();
        fields.push(("csrf_token", &self.csrf));
        let answer = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", format!("keepsafe_session={}", self.session))
            .form(&fields)
            .send()
            .await
            .ok()?;
        Some(answer.status().as_u16())
    }
}

// ---------------------------------------------------------------------------------------------
// The database unavailable

/// A TCP proxy in front of the PostgreSQL server that the test can cut (every connection dropped,
/// new ones closed at once) and restore, standing in for a server stopped and started again.
struct Proxy {
    port: u16,
    open: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Proxy {
    async fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let open = Arc::new(AtomicBool::new(true));
        let links: Arc<Mutex<Vec<tokio::task::AbortHandle>>> = Arc::default();
        let (accepting, registry) = (open.clone(), links.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !accepting.load(Ordering::SeqCst) {
                    continue; // dropped: the client sees the connection closed
                }
                let upstream = upstream.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                registry.lock().unwrap().push(link.abort_handle());
            }
        });
        Proxy { port, open, links }
    }

    fn cut(&self) {
        self.open.store(false, Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.open.store(true, Ordering::SeqCst);
    }
}

/// `url` with its host and port replaced by `127.0.0.1:port`, and the host and port it named.
fn through(url: &str, port: u16) -> (String, String) {
    let at = url.find('@').expect("a user in the URL") + 1;
    let end = at + url[at..].find('/').unwrap();
    (
        format!("{}127.0.0.1:{port}{}", &url[..at], &url[end..]),
        url[at..end].to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn while_postgresql_cannot_be_reached_pages_and_the_api_answer_503_and_recover_without_a_restart(
) {
    let db = tokio::task::spawn_blocking(|| {
        let db = TestDatabase::postgres();
        install(&db, &small_region(SEED, today()));
        db
    })
    .await
    .unwrap();
    let DatabaseUrl::Postgres(direct) = db.url.clone() else {
        unreachable!()
    };
    let (_, upstream) = through(&direct, 0);
    let proxy = Proxy::start(upstream).await;
    let (url, _) = through(&direct, proxy.port);
    let server = Server::start(&url).await;
    let browser = Browser::sign_in(&server, "po.demo").await;
    assert_eq!(browser.get("/find").await.0, 200);
    let api = |client: reqwest::Client, base: String| async move {
        let answer = client
            .get(format!("{base}/api/partner/v1/requests"))
            .header("authorization", "Bearer ksp_not_a_real_token")
            .send()
            .await
            .unwrap();
        let status = answer.status().as_u16();
        let kind = answer.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        (status, kind, answer.text().await.unwrap())
    };
    assert_eq!(api(client(), server.base.clone()).await.0, 401);

    proxy.cut();
    let started = Instant::now();
    let (status, page) = browser.get("/find").await;
    assert_eq!(status, 503, "{page}");
    assert!(page.contains("Sorry, the service is unavailable"), "{page}");
    assert!(page.contains("try again in a few minutes"), "{page}");
    for internal in [
        "postgres",
        "5432",
        &proxy.port.to_string(),
        "connection",
        "database (",
    ] {
        assert!(
            !page.contains(internal),
            "the page leaks {internal}: {page}"
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "answered in {:?}",
        started.elapsed()
    );
    let (status, kind, body) = api(client(), server.base.clone()).await;
    assert_eq!(status, 503, "{body}");
    assert!(kind.starts_with("application/json"), "{kind}");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("unavailable"),
        "{body}"
    );
    let health = client()
        .get(format!("{}/health", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 503);
    let health: serde_json::Value = health.json().await.unwrap();
    assert_eq!(health["database"]["reachable"], false, "{health}");

    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if browser.get("/find").await.0 == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "keepsafe did not recover");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(api(client(), server.base.clone()).await.0, 401);
    drop(db);
}

// ---------------------------------------------------------------------------------------------
// SIGKILL during writes

/// What a contact form needs: a case of po.demo's, who it was with and its event.
fn contact_form(url: &str) -> Vec<(String, String)> {
    let mut conn = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    let po = staff::find_by_username(&mut conn, &Username::parse("po.demo").unwrap())
        .unwrap()
        .unwrap();
    let case = cases::caseload::for_staff(&mut conn, po.id, clock::now().naive_utc())
        .unwrap()
        .into_iter()
        .next()
        .expect("po.demo holds cases");
    let located = cases::record::locate(&mut conn, &case.crn)
        .unwrap()
        .unwrap();
    let context =
        contacts::form_context(&mut conn, located.person_id, located.location.team, today())
            .unwrap();
    let event = context.current_event().expect("a current event");
    vec![
        ("crn".into(), case.crn.clone()),
        ("type".into(), "phone_call".into()),
        ("time".into(), "09:15".into()),
        ("with".into(), po.id.to_string()),
        ("counts-towards".into(), format!("event:{}", event.id)),
        ("location".into(), "usual".into()),
        ("outcome".into(), "attended".into()),
        ("judgement".into(), String::new()),
        ("sensitive".into(), "no".into()),
        ("date-day".into(), today().format("%-d").to_string()),
        ("date-month".into(), today().format("%-m").to_string()),
        ("date-year".into(), today().format("%Y").to_string()),
    ]
}

#[derive(QueryableByName)]
struct Stored {
    #[diesel(sql_type = Text)]
    notes: String,
    #[diesel(sql_type = Text)]
    audited: String,
}

/// The contacts whose notes start with `prefix`, each with whether its audit row is there.
fn stored(url: &str, prefix: &str) -> Vec<(String, bool)> {
    let query = format!(
        "SELECT c.notes AS notes, CASE WHEN EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'record_contact' AND a.detail LIKE '%' || c.id || '%') THEN 'yes' ELSE 'no' END AS audited FROM contacts c WHERE c.notes LIKE '{prefix}%'"
    );
    let mut conn = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    let rows: Vec<Stored> = match &mut conn {
        AnyConnection::Sqlite(c) => diesel::sql_query(query).load(c).unwrap(),
        AnyConnection::Postgresql(c) => diesel::sql_query(query).load(c).unwrap(),
    };
    rows.into_iter()
        .map(|row| (row.notes, row.audited == "yes"))
        .collect()
}

/// Runs `trials` times: a server, 16 writers recording contacts as fast as it answers, SIGKILL
/// once `kill_after` are acknowledged; then every acknowledged contact must be stored, with its
/// audit row, and no contact stored without one. Returns (acknowledged, stored) over all trials.
async fn kill_during_writes(url: &str, backend: &str, trials: usize) -> (usize, usize) {
    let form = {
        let url = url.to_owned();
        tokio::task::spawn_blocking(move || contact_form(&url))
            .await
            .unwrap()
    };
    let crn = form[0].1.clone();
    let (mut acknowledged_total, mut stored_total) = (0, 0);
    for trial in 0..trials {
        let mut server = Server::start(url).await;
        let browser = Browser::sign_in(&server, "po.demo").await;
        let acknowledged: Arc<Mutex<BTreeSet<String>>> = Arc::default();
        let prefix = format!("kill {backend} trial {trial} write ");
        let mut writers = Vec::new();
        for writer in 0..16 {
            let (browser, form, acknowledged, prefix, crn) = (
                browser.clone(),
                form.clone(),
                acknowledged.clone(),
                prefix.clone(),
                crn.clone(),
            );
            writers.push(tokio::spawn(async move {
                for n in 0.. {
                    let notes = format!("{prefix}{writer}-{n}.");
                    let mut fields: Vec<(&str, &str)> = form[1..]
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    fields.push(("notes", &notes));
                    match browser
                        .post(&format!("/cases/{crn}/contacts/new"), &fields)
                        .await
                    {
                        Some(303) => {
                            acknowledged.lock().unwrap().insert(notes);
                        }
                        Some(status) => panic!("recording a contact answered {status}"),
                        None => return,
                    }
                }
            }));
        }
        // Kill at a different point of the stream each trial.
        let kill_after = 20 + 30 * trial;
        let deadline = Instant::now() + Duration::from_secs(60);
        while acknowledged.lock().unwrap().len() < kill_after {
            assert!(Instant::now() < deadline, "the writes did not get going");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        server.kill();
        for writer in writers {
            writer.await.unwrap();
        }
        let acknowledged = acknowledged.lock().unwrap().clone();
        let found = {
            let (url, prefix) = (url.to_owned(), prefix.clone());
            tokio::task::spawn_blocking(move || stored(&url, &prefix))
                .await
                .unwrap()
        };
        let unaudited: Vec<_> = found.iter().filter(|(_, audited)| !audited).collect();
        assert!(unaudited.is_empty(), "half-written: {unaudited:?}");
        let present: BTreeSet<String> = found.into_iter().map(|(notes, _)| notes).collect();
        let lost: Vec<_> = acknowledged.difference(&present).collect();
        assert!(
            lost.is_empty(),
            "{backend} trial {trial}: {} acknowledged writes lost: {lost:?}",
            lost.len()
        );
        eprintln!(
            "{backend} trial {trial}: killed after {} acknowledged writes; {} stored, 0 lost",
            acknowledged.len(),
            present.len()
        );
        acknowledged_total += acknowledged.len();
        stored_total += present.len();
    }
    // The database still opens and serves after the last kill.
    let server = Server::start(url).await;
    let browser = Browser::sign_in(&server, "po.demo").await;
    assert_eq!(browser.get(&format!("/cases/{crn}/contacts")).await.0, 200);
    (acknowledged_total, stored_total)
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_killed_during_many_writes_loses_no_acknowledged_write() {
    let (_folder, url) = tokio::task::spawn_blocking(small_demo).await.unwrap();
    let (acknowledged, stored) = kill_during_writes(&url, "sqlite", 5).await;
    assert!(stored >= acknowledged);
}

#[tokio::test(flavor = "multi_thread")]
async fn postgresql_killed_during_many_writes_loses_no_acknowledged_write() {
    let db = tokio::task::spawn_blocking(|| {
        let db = TestDatabase::postgres();
        install(&db, &small_region(SEED, today()));
        db
    })
    .await
    .unwrap();
    let DatabaseUrl::Postgres(url) = db.url.clone() else {
        unreachable!()
    };
    let (acknowledged, stored) = kill_during_writes(&url, "postgresql", 5).await;
    assert!(stored >= acknowledged);
}

// ---------------------------------------------------------------------------------------------
// SIGKILL during an import

/// Whether a child was killed by SIGKILL (rather than having finished first).
fn killed(status: std::process::ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt;
    status.signal() == Some(9)
}

#[test]
fn an_import_killed_mid_way_leaves_whole_batches_and_resumes_to_the_same_data() {
    let (source_folder, source) = small_demo();
    let first = source_folder.path().join("first");
    succeeded(keepsafe(&source, &["export", first.to_str().unwrap()]));
    let dir = first.to_str().unwrap();
    // The kills fall at fractions of how long a whole import takes on this machine now, so they
    // land mid-way however fast or busy the machine is.
    let scratch = tempfile::tempdir().unwrap();
    let started = Instant::now();
    succeeded(keepsafe(
        &sqlite_url(scratch.path()),
        &["import", dir, "--batch-size", "50"],
    ));
    let whole = started.elapsed().as_millis() as u64;
    let mut killed_mid_way = 0;
    let waits = [10u64, 30, 50, 70, 90].map(|percent| whole * percent / 100);
    for (trial, wait) in waits.into_iter().enumerate() {
        let target = tempfile::tempdir().unwrap();
        let url = sqlite_url(target.path());
        let mut import = KEEPSAFE
            .command()
            .args(["--database-url", &url, "import", dir, "--batch-size", "50"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(wait));
        let _ = import.kill();
        if killed(import.wait().unwrap()) {
            killed_mid_way += 1;
        }
        if target.path().join("keepsafe.db").exists() {
            let mut conn = super::sqlite(target.path());
            let problems = keepsafe_storage::backup::sqlite_problems(&mut conn).unwrap();
            assert!(problems.is_empty(), "trial {trial}: {problems:?}");
        }
        succeeded(keepsafe(&url, &["import", dir, "--batch-size", "50"]));
        let second = target.path().join("second");
        succeeded(keepsafe(&url, &["export", second.to_str().unwrap()]));
        for entry in std::fs::read_dir(&first).unwrap() {
            let name = entry.unwrap().file_name();
            assert!(
                std::fs::read(first.join(&name)).unwrap()
                    == std::fs::read(second.join(&name)).unwrap(),
                "trial {trial} (killed after {wait} ms): {name:?} differs after resuming"
            );
        }
    }
    eprintln!("import: {killed_mid_way} of 5 trials killed mid-way, all resumed to the same data");
    assert!(
        killed_mid_way >= 2,
        "only {killed_mid_way} imports were killed mid-way"
    );
}

#[derive(QueryableByName)]
struct People {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    people: i64,
}

fn people_in(folder: &std::path::Path) -> i64 {
    let mut conn = super::sqlite(folder);
    diesel::sql_query("SELECT count(*) AS people FROM people")
        .get_result::<People>(&mut conn)
        .unwrap()
        .people
}

#[test]
fn a_demo_load_killed_mid_way_leaves_all_of_the_region_or_none_and_loads_again() {
    let (complete, _) = small_demo();
    let whole = people_in(complete.path());
    let mut killed_mid_way = 0;
    for wait in [200u64, 500, 800] {
        let target = tempfile::tempdir().unwrap();
        let url = sqlite_url(target.path());
        let mut demo = KEEPSAFE
            .command()
            .args([
                "--database-url",
                &url,
                "demo",
                "--scale",
                "small",
                "--no-serve",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(wait));
        let _ = demo.kill();
        if killed(demo.wait().unwrap()) {
            killed_mid_way += 1;
        }
        if target.path().join("keepsafe.db").exists() {
            let people = people_in(target.path());
            assert!(
                people == 0 || people == whole,
                "killed after {wait} ms: {people} of {whole} people"
            );
        }
        succeeded(keepsafe(&url, &["demo", "--scale", "small", "--no-serve"]));
        assert_eq!(people_in(target.path()), whole);
    }
    eprintln!("demo: {killed_mid_way} of 3 loads killed mid-way, each all or nothing");
    assert!(killed_mid_way >= 1);
}
