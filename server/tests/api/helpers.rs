//! Starting the app and talking to it like a browser with scripts off.

use leptos::config::LeptosOptions;
use nimo_app::ssr::AppState;
use nimo_server::{
    build_state,
    config::{Limits, Settings, sqlite_url},
    router_with,
    serve::serve,
};
use std::path::{Path, PathBuf};

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub data_dir: PathBuf,
    // Must outlive the server: dropping it deletes the database.
    _dir: Option<tempfile::TempDir>,
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Starts the app on a random port with demo sessions and a new data dir.
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_owned();
    let mut app = spawn_app_in(&data_dir).await;
    app._dir = Some(dir);
    app
}

/// Starts the app on an existing data directory (to test restarts).
pub async fn spawn_app_in(data_dir: &Path) -> TestApp {
    spawn_app_with(data_dir, None).await
}

/// Starts the app as deployed behind https at `public_url`.
pub async fn spawn_app_behind(public_url: &str) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut app = spawn_app_with(dir.path(), Some(public_url)).await;
    app._dir = Some(dir);
    app
}

async fn spawn_app_with(data_dir: &Path, public_url: Option<&str>) -> TestApp {
    spawn_app_configured(data_dir, |settings| {
        if let Some(url) = public_url {
            settings.public_url = url.to_owned();
        }
    })
    .await
    .unwrap()
}

/// The settings a test server starts with: a data dir, a random port's
/// public URL, demo data, the test SMTP server when there is one.
pub fn test_settings(data_dir: &Path, address: std::net::SocketAddr) -> Settings {
    Settings {
        data_dir: data_dir.to_owned(),
        database_url: sqlite_url(data_dir),
        public_url: format!("http://{address}"),
        content_dir: workspace_root().join("content"),
        signing_key: None,
        certificate_font: None,
        demo_data: true,
        busy_timeout: std::time::Duration::from_secs(3),
        min_free_bytes: 0,
        limits: Limits::default(),
        mail: nimo_domain::service::support::mail::MailSettings {
            from: "test <no-reply@example.jp>".into(),
            smtp_host: std::env::var("TEST_SMTP_PORT").ok().map(|_| "127.0.0.1".to_owned()),
            smtp_port: std::env::var("TEST_SMTP_PORT").ok().and_then(|p| p.parse().ok()),
            smtp_security: nimo_domain::service::support::mail::SmtpSecurity::None,
            smtp_username: None,
            smtp_password: None,
            outbox: data_dir.join("outbox"),
        },
        upkeep_every: std::time::Duration::from_secs(1),
        test_clock: false,
    }
}

/// Starts the app on a random port with the test settings changed by
/// `configure`, served by the same connection loop as production.
///
/// # Errors
/// Why the server refused to start (a start-up guard).
pub async fn spawn_app_configured(
    data_dir: &Path,
    configure: impl FnOnce(&mut Settings),
) -> Result<TestApp, nimo_server::StartupError> {
    // Use a random OS port so tests can run in parallel.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let mut settings = test_settings(data_dir, address);
    configure(&mut settings);
    let options = LeptosOptions::builder()
        .output_name("nimo")
        .site_root(workspace_root().join("target/site").display().to_string())
        .site_addr(address)
        .build();
    let state = build_state(&settings, options).await?;
    let app = router_with(state.clone(), &settings.limits);
    let limits = settings.limits;
    tokio::spawn(async move { serve(listener, app, limits, std::future::pending()).await });
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    Ok(TestApp { address: format!("http://{address}"), client, state, data_dir: data_dir.to_owned(), _dir: None })
}

/// A browser session: remembers cookies like a phone would.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookies: Vec<(String, String)>,
    client: reqwest::Client,
}

pub struct Page {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    pub body: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self { app, cookies: Vec::new(), client: app.client.clone() }
    }

    /// A browser on another machine: its requests come from `address`
    /// (anywhere in 127.0.0.0/8 works on loopback).
    pub fn from_address(app: &'a TestApp, address: &str) -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .local_address(address.parse::<std::net::IpAddr>().unwrap())
            .build()
            .unwrap();
        Self { app, cookies: Vec::new(), client }
    }

    /// Another tab of the same phone: the same cookies, its own requests.
    pub fn another_tab(&self) -> Self {
        Self { app: self.app, cookies: self.cookies.clone(), client: self.client.clone() }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    async fn read(&mut self, response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let location = headers.get("location").map(|v| v.to_str().unwrap().to_owned());
        let set_cookies: Vec<String> =
            headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
        for cookie in &set_cookies {
            let pair = cookie.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.retain(|(k, _)| k != name);
            if !value.is_empty() && !cookie.contains("Max-Age=0") {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
        let content_type = headers.get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let bytes = response.bytes().await.unwrap().to_vec();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        Page { status, headers, location, set_cookies, body, content_type, bytes }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.get_accepting(path, "text/html").await
    }

    pub fn header(page: &Page, name: &str) -> String {
        page.headers.get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
    }

    /// A GET as a script's fetch makes it.
    pub async fn get_json(&mut self, path: &str) -> Page {
        self.get_accepting(path, "application/json").await
    }

    async fn get_accepting(&mut self, path: &str, accept: &str) -> Page {
        let url = if path.starts_with("http") { path.to_owned() } else { format!("{}{path}", self.app.address) };
        let response =
            self.client.get(url).header("cookie", self.cookie_header()).header("accept", accept).send().await.unwrap();
        self.read(response).await
    }

    /// Posts a form as an HTML form without JavaScript does.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let origin = self.app.address.clone();
        self.post_form_from(path, fields, &[("origin", &origin)]).await
    }

    /// Posts a form with extra headers (e.g. another site's `Origin`).
    pub async fn post_form_from(&mut self, path: &str, fields: &[(&str, &str)], extra: &[(&str, &str)]) -> Page {
        let body: String =
            fields.iter().map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v))).collect::<Vec<_>>().join("&");
        let mut request = self
            .client
            .post(format!("{}{path}", self.app.address))
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .header("referer", format!("{}/", self.app.address));
        if !extra.iter().any(|(name, _)| name.eq_ignore_ascii_case("accept")) {
            request = request.header("accept", "text/html,application/xhtml+xml");
        }
        for (name, value) in extra {
            request = request.header(*name, *value);
        }
        let response = request.body(body).send().await.unwrap();
        self.read(response).await
    }

    /// Posts a form and follows the redirect, as a browser does.
    pub async fn submit(&mut self, path: &str, fields: &[(&str, &str)]) -> (Page, Page) {
        let posted = self.post_form(path, fields).await;
        assert!(
            (300..400).contains(&posted.status),
            "form post to {path} should redirect, got {}: {}",
            posted.status,
            posted.body
        );
        let next = posted.location.clone().unwrap();
        let page = self.get(&next).await;
        (posted, page)
    }
}

pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn supporter_course(app: &TestApp) -> &nimo_domain::programme::Programme {
    app.state.platform.content.programme(&"kokoro-supporter".parse().unwrap()).unwrap()
}

/// The unit ids of the TOKYO1 demo session (common units + its elective).
pub fn tokyo1_plan(app: &TestApp) -> Vec<String> {
    supporter_course(app).plan_for(&["elective-self-care"]).unwrap().iter().map(|m| m.id.clone()).collect()
}

/// Correct answers of the self-check, as form fields.
pub fn correct_answers(app: &TestApp) -> Vec<(String, String)> {
    let check = supporter_course(app).self_check.as_ref().unwrap();
    check.questions.iter().map(|q| (format!("answers[{}]", q.id), q.answer.to_string())).collect()
}

/// Extracts the first `/v/<token>` URL from a page.
pub fn verify_url(body: &str) -> String {
    let start = body.find("http://127.0.0.1").unwrap();
    let rest = &body[start..];
    let end = rest.find('"').unwrap();
    let url = &rest[..end];
    assert!(url.contains("/v/"), "not a verify url: {url}");
    url.to_owned()
}

/// The join form as a resident fills it: name, municipality, a reading and
/// consent (no e-mail).
pub fn join_form<'a>(code: &'a str, name: &'a str, municipality: &'a str) -> [(&'static str, &'a str); 5] {
    [("code", code), ("name", name), ("municipality", municipality), ("furigana", "テスト"), ("consent", "yes")]
}

/// Takes a resident from joining to the certificate; returns the certificate page.
pub async fn complete_course(browser: &mut Browser<'_>, name: &str, municipality: &str) -> Page {
    let (_, learn) = browser.submit("/api/join", &join_form("TOKYO1", name, municipality)).await;
    assert_eq!(learn.status, 200, "{}", learn.body);
    for module in tokyo1_plan(browser.app) {
        browser.submit("/api/complete_module", &[("module_id", &module)]).await;
    }
    attend(browser).await;
    close_session(browser.app, "TOKYO1").await;
    let answers = correct_answers(browser.app);
    let fields: Vec<(&str, &str)> = answers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (posted, certificate) = browser.submit("/api/submit_self_check", &fields).await;
    assert_eq!(posted.location.as_deref(), Some("/certificate"));
    assert_eq!(certificate.status, 200, "{}", certificate.body);
    certificate
}

/// The body of the newest message to `email` that mentions `containing`: from the SMTP server's
/// Maildir when the test command runs one (`TEST_MAILDIR`), else from the
/// app's outbox folder. Waits up to 5 seconds.
pub async fn mail_to(app: &TestApp, email: &str, containing: &str) -> String {
    let dirs: Vec<PathBuf> = match std::env::var("TEST_MAILDIR") {
        Ok(dir) => vec![PathBuf::from(&dir).join("new"), PathBuf::from(&dir).join("cur")],
        Err(_) => vec![app.data_dir.join("outbox")],
    };
    for _ in 0..50 {
        let mut found: Vec<(std::time::SystemTime, String)> = Vec::new();
        for dir in &dirs {
            let Ok(entries) = std::fs::read_dir(dir) else { continue };
            for entry in entries.flatten() {
                let Ok(raw) = std::fs::read_to_string(entry.path()) else { continue };
                if raw.lines().any(|l| l.starts_with("To: ") && l.contains(email)) {
                    let body = decode_body(&raw);
                    if body.contains(containing) {
                        found.push((entry.metadata().unwrap().modified().unwrap(), body));
                    }
                }
            }
        }
        found.sort_by_key(|(t, _)| *t);
        if let Some((_, body)) = found.pop() {
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no mail to {email}");
}

fn decode_body(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let (headers, body) = raw.split_once("\n\n").unwrap();
    if headers.contains("Content-Transfer-Encoding: base64") {
        use base64::Engine;
        let joined: String = body.split_whitespace().collect();
        return String::from_utf8(base64::engine::general_purpose::STANDARD.decode(joined).unwrap()).unwrap();
    }
    if headers.contains("Content-Transfer-Encoding: quoted-printable") {
        let soft = body.replace("=\n", "");
        let bytes = soft.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'=' && i + 2 < bytes.len() {
                out.push(u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap(), 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        return String::from_utf8(out).unwrap();
    }
    body.to_owned()
}

/// The first link in a mail that starts with `prefix` (a path such as "/staff/accept").
pub fn link_in(mail: &str, app: &TestApp, path: &str) -> String {
    let start = mail.find(&format!("{}{path}", app.address)).unwrap_or_else(|| panic!("no {path} link in: {mail}"));
    let link = mail[start..].split_whitespace().next().unwrap();
    link[app.address.len()..].to_owned()
}

/// Records the phone's learner as present, on time, at every part of their
/// session (as the instructor's roster would).
pub async fn attend(phone: &Browser<'_>) {
    use nimo_domain::store::entity::{session_part, values::AttendanceMethod};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let platform = &phone.app.state.platform;
    let token = phone.cookie("nimo_learner").unwrap();
    let learner = nimo_domain::service::identity::learner(platform, Some(&token)).await.unwrap();
    let parts = session_part::Entity::find()
        .filter(session_part::Column::SessionId.eq(learner.session.id))
        .all(&platform.db)
        .await
        .unwrap();
    for part in parts {
        nimo_domain::service::scheduling::checkin::record(
            &platform.db,
            learner.enrollment.id,
            part.id,
            part.starts_at,
            AttendanceMethod::Manual,
            None,
        )
        .await
        .unwrap();
    }
}

/// A signed-in secretariat member, as the services see them.
pub async fn secretariat_actor(app: &TestApp) -> nimo_domain::service::identity::Actor {
    let platform = &app.state.platform;
    let email = format!(
        "closer-{}@example.jp",
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    );
    let link = nimo_server::invite_first_secretariat(platform, &email, "終了 担当").await.unwrap();
    let invitation = link.split("token=").nth(1).unwrap();
    let address = "127.0.0.1".parse().unwrap();
    let session =
        nimo_domain::service::accounts::accept_invitation(platform, invitation, "closing passphrase 2026", address)
            .await
            .unwrap();
    nimo_domain::service::identity::actor(platform, Some(&session)).await.unwrap()
}

/// Closes a session if it is still open; the number of certificates issued.
pub async fn close_session(app: &TestApp, code: &str) -> usize {
    let actor = secretariat_actor(app).await;
    let now = chrono::Utc::now();
    match nimo_domain::service::scheduling::closing::close(&app.state.platform, &actor, code, now, None).await {
        Ok(issued) => issued,
        Err(nimo_domain::service::DomainError::Validation { .. }) => 0,
        Err(error) => panic!("closing {code}: {error}"),
    }
}
