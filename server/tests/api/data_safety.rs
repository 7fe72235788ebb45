//! Data safety: nothing is acknowledged that was not stored (full disk, held
//! lock), the signing key is guarded, bad input never panics or grows the
//! audit log without bound, slow clients cannot hold the server.

use crate::helpers::*;
use nimo_domain::store::{db, entity};
use nimo_server::config::Limits;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::{
    io::Write,
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

/// A small tmpfs mounted for one test, unmounted when dropped.
struct SmallDisk {
    path: PathBuf,
}

impl SmallDisk {
    /// Mounts a tmpfs of `megabytes`. Needs root (the test command runs as
    /// root in CI). `NIMO_SKIP_MOUNT_TESTS=1` skips where mounting is not
    /// allowed; otherwise a refused mount fails the test.
    fn mount(megabytes: u32) -> Option<Self> {
        let path = std::env::temp_dir().join(format!("nimo-full-{}-{}", std::process::id(), rand_suffix()));
        std::fs::create_dir_all(&path).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m,mode=0700"), "tmpfs"])
            .arg(&path)
            .status();
        if status.is_ok_and(|s| s.success()) {
            return Some(Self { path });
        }
        let _ = std::fs::remove_dir(&path);
        assert!(
            std::env::var("NIMO_SKIP_MOUNT_TESTS").is_ok_and(|v| v == "1"),
            "mounting a tmpfs failed: run the tests as root, or set NIMO_SKIP_MOUNT_TESTS=1 to skip the disk-full test"
        );
        eprintln!("skipped: cannot mount a tmpfs here (NIMO_SKIP_MOUNT_TESTS=1)");
        None
    }

    /// Fills the disk to the last byte with a file; returns its path.
    fn fill(&self) -> PathBuf {
        let filler = self.path.join("filler");
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&filler).unwrap();
        for chunk in [64 * 1024, 4096, 512, 1] {
            let block = vec![0u8; chunk];
            while file.write_all(&block).is_ok() {}
        }
        let _ = file.sync_all();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
        let _ = std::fs::remove_dir(&self.path);
    }
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 % 1_000_000_007
}

const NOT_STORED: &str = "保存できませんでした";

/// Joins TOKYO1 and completes every module; the learner is one self-check
/// away from the certificate.
async fn ready_learner<'a>(app: &'a TestApp, name: &str) -> Browser<'a> {
    let mut phone = Browser::new(app);
    let (_, learn) = phone.submit("/api/join", &join_form("TOKYO1", name, "新宿区")).await;
    assert_eq!(learn.status, 200, "{}", learn.body);
    for module in tokyo1_plan(app) {
        phone.submit("/api/complete_module", &[("module_id", &module)]).await;
    }
    attend(&phone).await;
    phone
}

async fn self_check(phone: &mut Browser<'_>) -> Page {
    let answers = correct_answers(phone.app);
    let fields: Vec<(&str, &str)> = answers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    phone.post_form("/api/submit_self_check", &fields).await
}

async fn certificates_of(app: &TestApp, name: &str) -> usize {
    entity::certificate::Entity::find()
        .filter(entity::certificate::Column::HolderName.eq(name))
        .count(&app.state.platform.db)
        .await
        .unwrap() as usize
}

/// A refusal as a person sees it: 503, a Japanese page saying nothing was
/// stored, no redirect and no cookie.
fn assert_refused_in_japanese(page: &Page, what: &str) {
    assert_eq!(page.status, 503, "{what}: {}", page.body);
    assert!(page.body.contains(NOT_STORED), "{what}: {}", page.body);
    assert!(page.content_type.starts_with("text/html"), "{what}");
    assert!(page.location.is_none(), "{what}: no redirect to a success page");
    assert!(page.set_cookies.is_empty(), "{what}: no cookie for a row that does not exist: {:?}", page.set_cookies);
}

#[tokio::test]
async fn a_full_disk_acknowledges_nothing_it_did_not_store() {
    let Some(disk) = SmallDisk::mount(8) else { return };
    let app = spawn_app_configured(&disk.path, |s| s.min_free_bytes = 1024 * 1024).await.unwrap();
    assert_eq!(Browser::new(&app).get("/healthz").await.status, 200);
    // Residents who are one step from a certificate, and one half-way.
    let mut ready = Vec::new();
    for i in 0..8 {
        ready.push(ready_learner(&app, &format!("満杯 {i}")).await);
    }
    let mut midway = Browser::new(&app);
    midway.submit("/api/join", &join_form("TOKYO1", "途中 一郎", "新宿区")).await;
    // The session is over: their self-checks from now on issue at once.
    assert_eq!(close_session(&app, "TOKYO1").await, 0, "nobody has passed the self-check yet");

    let filler = disk.fill();
    let health = Browser::new(&app).get("/healthz").await;
    assert_eq!(health.status, 503, "healthz must report the full disk: {}", health.body);

    // Joins: each either is stored (and its cookie works later) or refused.
    let mut joins = Vec::new();
    let (mut joined, mut refused) = (0, 0);
    for i in 0..30 {
        let mut phone = Browser::new(&app);
        let name = format!("参加 {i}");
        let page = phone.post_form("/api/join", &join_form("OSAKA2", &name, "新宿区")).await;
        if page.location.as_deref() == Some("/learn") {
            joined += 1;
            joins.push((phone, name));
        } else {
            assert_refused_in_japanese(&page, "join");
            refused += 1;
        }
    }
    // Module completions of the learner half-way.
    let plan = tokyo1_plan(&app);
    let mut modules_acknowledged = Vec::new();
    for module in &plan {
        let page = midway.post_form("/api/complete_module", &[("module_id", module)]).await;
        if page.status == 503 {
            assert_refused_in_japanese(&page, "module");
            refused += 1;
        } else {
            assert!((300..400).contains(&page.status), "module: {} {}", page.status, page.body);
            modules_acknowledged.push(module.clone());
        }
    }
    // Self-checks: a certificate page only for a stored certificate.
    let mut certified = Vec::new();
    for (i, phone) in ready.iter_mut().enumerate() {
        let page = self_check(phone).await;
        if page.location.as_deref() == Some("/certificate") {
            certified.push(i);
        } else {
            assert_refused_in_japanese(&page, "self-check");
            refused += 1;
        }
    }
    eprintln!(
        "disk full: {joined} joins stored, {} modules stored, {} certificates stored, {refused} writes refused with 503",
        modules_acknowledged.len(),
        certified.len()
    );
    assert!(refused > 0, "the disk was full, yet every write succeeded: the test did not test anything");

    // Space comes back.
    std::fs::remove_file(&filler).unwrap();
    assert_eq!(Browser::new(&app).get("/healthz").await.status, 200);

    // Everything acknowledged is there.
    for (phone, name) in &mut joins {
        let page = phone.get("/learn").await;
        assert_eq!(page.status, 200, "an acknowledged join must exist: {}", page.body);
        assert!(page.body.contains(name.as_str()));
    }
    let db = &app.state.platform.db;
    let midway_enrollment = entity::enrollment::Entity::find()
        .filter(entity::enrollment::Column::DisplayName.eq("途中 一郎"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    for module in &modules_acknowledged {
        let stored = entity::module_completion::Entity::find()
            .filter(entity::module_completion::Column::EnrollmentId.eq(midway_enrollment.id))
            .filter(entity::module_completion::Column::ModuleId.eq(module.as_str()))
            .count(db)
            .await
            .unwrap();
        assert_eq!(stored, 1, "acknowledged module {module} must be stored");
    }
    for i in &certified {
        assert_eq!(certificates_of(&app, &format!("満杯 {i}")).await, 1);
        let page = ready[*i].get("/certificate").await;
        let verified = Browser::new(&app).get(&verify_url(&page.body)).await;
        assert_eq!(verified.status, 200, "an acknowledged certificate verifies");
    }
    // What was refused goes through now, once, with nothing half-written.
    for (i, phone) in ready.iter_mut().enumerate() {
        if certified.contains(&i) {
            continue;
        }
        assert_eq!(certificates_of(&app, &format!("満杯 {i}")).await, 0, "a refused certificate was not stored");
        let page = self_check(phone).await;
        assert_eq!(page.location.as_deref(), Some("/certificate"), "{}", page.body);
        assert_eq!(certificates_of(&app, &format!("満杯 {i}")).await, 1);
    }
    let mut late = Browser::new(&app);
    let (posted, _) = late.submit("/api/join", &join_form("OSAKA2", "後から", "新宿区")).await;
    assert_eq!(posted.location.as_deref(), Some("/learn"));
    let check = db
        .query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), "PRAGMA integrity_check"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(check.try_get_by_index::<String>(0).unwrap(), "ok");
}

#[tokio::test]
async fn a_held_write_lock_gives_a_bounded_wait_and_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_app_configured(dir.path(), |s| s.busy_timeout = Duration::from_millis(1000)).await.unwrap();
    // Another process (here: another connection) holds the write lock.
    let other = db::connect_and_migrate(&nimo_server::config::sqlite_url(dir.path())).await.unwrap();
    let held = db::begin_write(&other).await.unwrap();

    let mut phone = Browser::new(&app);
    let started = Instant::now();
    let page = phone.post_form("/api/join", &join_form("TOKYO1", "待つ 人", "新宿区")).await;
    let waited = started.elapsed();
    eprintln!("held lock: join answered {} after {waited:?} (busy timeout 1 s)", page.status);
    assert_refused_in_japanese(&page, "join under a held lock");
    assert!(page.body.contains("混み合っていて"), "{}", page.body);
    assert!(waited >= Duration::from_millis(900), "it waited for the lock: {waited:?}");
    assert!(waited < Duration::from_secs(4), "the wait is bounded: {waited:?}");
    assert_eq!(Browser::new(&app).get("/healthz").await.status, 503, "healthz sees the stuck lock");

    held.rollback().await.unwrap();
    let (posted, learn) = phone.submit("/api/join", &join_form("TOKYO1", "待つ 人", "新宿区")).await;
    assert_eq!(posted.location.as_deref(), Some("/learn"));
    assert_eq!(learn.status, 200);
    assert_eq!(Browser::new(&app).get("/healthz").await.status, 200);
}

async fn start_error(data_dir: &Path, configure: impl FnOnce(&mut nimo_server::config::Settings)) -> String {
    match spawn_app_configured(data_dir, configure).await {
        Ok(_) => panic!("start-up must be refused"),
        Err(error) => error.to_string(),
    }
}

#[tokio::test]
async fn a_lost_or_changed_signing_key_stops_start_up_when_certificates_exist() {
    let dir = tempfile::tempdir().unwrap();
    let key_path = dir.path().join("certificate-signing.key");
    {
        let app = spawn_app_configured(dir.path(), |_| {}).await.unwrap();
        let mut phone = ready_learner(&app, "鍵 守").await;
        close_session(&app, "TOKYO1").await;
        assert_eq!(self_check(&mut phone).await.location.as_deref(), Some("/certificate"));
    }
    let original = std::fs::read_to_string(&key_path).unwrap();

    // Deleted.
    std::fs::remove_file(&key_path).unwrap();
    let error = start_error(dir.path(), |_| {}).await;
    assert!(error.contains("missing") && error.contains("Restore"), "{error}");
    assert!(!key_path.exists(), "no new key was written over the loss");

    // One character changed (still valid base64url: a different key).
    let mut altered: Vec<char> = original.trim().chars().collect();
    altered[10] = if altered[10] == 'A' { 'B' } else { 'A' };
    std::fs::write(&key_path, altered.iter().collect::<String>()).unwrap();
    let error = start_error(dir.path(), |_| {}).await;
    assert!(error.contains("is not the one"), "{error}");

    // Garbage.
    std::fs::write(&key_path, "not a key").unwrap();
    let error = start_error(dir.path(), |_| {}).await;
    assert!(error.contains("damaged"), "{error}");

    // Another valid key given by configuration.
    std::fs::write(&key_path, &original).unwrap();
    let another = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([9u8; 32])
    };
    let error = start_error(dir.path(), |s| s.signing_key = Some(another)).await;
    assert!(error.contains("CERTIFICATE_SIGNING_KEY") && error.contains("is not the one"), "{error}");

    // The original key restored: the certificate still verifies.
    let app = spawn_app_configured(dir.path(), |_| {}).await.unwrap();
    assert_eq!(certificates_of(&app, "鍵 守").await, 1);
}

#[tokio::test]
async fn control_characters_in_a_redirect_do_not_panic() {
    let app = spawn_app().await;
    // The exact request from the report: no learner cookie.
    let page = app
        .client
        .post(format!("{}/api/complete_module", app.address))
        .header("accept", "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("module_id=a%00b")
        .send()
        .await
        .unwrap();
    assert!((300..400).contains(&page.status().as_u16()), "{}", page.status());
    assert_eq!(page.headers()["location"], "/learn/m/a%00b");
    // With a learner: the module is not found, in Japanese.
    let mut phone = Browser::new(&app);
    phone.submit("/api/join", &join_form("TOKYO1", "制御 文字", "新宿区")).await;
    for module_id in ["a\0b", "a\r\nSet-Cookie: x=y", "心\u{202E}"] {
        let posted = phone.post_form("/api/complete_module", &[("module_id", module_id)]).await;
        assert!((300..400).contains(&posted.status), "{module_id:?}: {}", posted.status);
        assert!(!posted.set_cookies.iter().any(|c| c.starts_with("x=")), "no header injection");
        let page = phone.get(posted.location.as_deref().unwrap()).await;
        assert!(page.status < 500, "{module_id:?}: {}", page.status);
        assert!(page.body.contains("この研修にその単元はありません"), "{module_id:?}: {}", page.body);
    }
    assert_eq!(Browser::new(&app).get("/healthz").await.status, 200, "the server is still up");
}

#[tokio::test]
async fn names_that_print_invisibly_are_refused_in_japanese() {
    let app = spawn_app().await;
    let cases = [
        ("山田\u{202E}子花", "文字の向きを変える"),
        ("山\u{200B}田", "見えない文字"),
        ("\u{FEFF}山田", "見えない文字"),
        ("山田\u{FFFD}", "読み取れない文字"),
        ("山田\u{7}", "制御文字"),
    ];
    for (name, message) in cases {
        let mut phone = Browser::new(&app);
        let (_, page) = phone.submit("/api/join", &join_form("TOKYO1", name, "新宿区")).await;
        assert_eq!(page.status, 422, "{name:?}");
        assert!(page.body.contains(message), "{name:?}: {}", page.body);
        assert!(phone.cookie("nimo_learner").is_none(), "{name:?} was not registered");
    }
    // Invalid UTF-8 in the form body: refused, never stored as U+FFFD.
    let response = app
        .client
        .post(format!("{}/api/join", app.address))
        .header("accept", "text/html")
        .header("origin", &app.address)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("code=TOKYO1&name=%E5%B1%B1%FF%FE&municipality=%E6%96%B0%E5%AE%BF%E5%8C%BA")
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    assert!(status < 500, "{status}");
    assert!(
        !response.headers().get_all("set-cookie").iter().any(|c| c.to_str().unwrap_or("").starts_with("nimo_learner"))
    );
    let stored = entity::enrollment::Entity::find().all(&app.state.platform.db).await.unwrap();
    assert!(stored.iter().all(|e| !e.display_name.contains('\u{FFFD}')), "no U+FFFD name stored");
}

async fn audit_size(app: &TestApp) -> (u64, u64) {
    let db = &app.state.platform.db;
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(actor) + LENGTH(target) + LENGTH(detail)), 0) FROM audit_event",
        ))
        .await
        .unwrap()
        .unwrap();
    (row.try_get_by_index::<i64>(0).unwrap() as u64, row.try_get_by_index::<i64>(1).unwrap() as u64)
}

#[tokio::test]
async fn huge_emails_at_sign_in_cannot_grow_the_audit_log() {
    let app = spawn_app().await;
    let (rows_before, bytes_before) = audit_size(&app).await;
    // 100 KB: over the body limit, refused before it is read (the client
    // may see the 413 or, having not finished sending, a reset).
    let huge = format!("email={}%40example.jp&password=x", "a".repeat(100 * 1024));
    for _ in 0..20 {
        let sent = app
            .client
            .post(format!("{}/api/staff/sign_in", app.address))
            .header("accept", "text/html")
            .header("origin", &app.address)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(huge.clone())
            .send()
            .await;
        if let Ok(response) = sent {
            assert_eq!(response.status().as_u16(), 413);
        }
    }
    // 12 KB: under the body limit, not an e-mail: a bounded entry, and
    // repeats counted instead of written.
    let long = format!("{}@example.jp", "b".repeat(12 * 1024));
    for _ in 0..20 {
        let page = Browser::new(&app).post_form("/api/staff/sign_in", &[("email", &long), ("password", "x")]).await;
        assert!(page.status < 500, "{}", page.status);
    }
    let (rows_after, bytes_after) = audit_size(&app).await;
    eprintln!(
        "audit log under 40 sign-ins with 100 KB and 12 KB e-mails: +{} rows, +{} bytes",
        rows_after - rows_before,
        bytes_after - bytes_before
    );
    assert!(rows_after - rows_before <= 2, "repeats are counted, not written: +{} rows", rows_after - rows_before);
    assert!(bytes_after - bytes_before <= 2 * 3 * 1024, "+{} bytes", bytes_after - bytes_before);
}

#[tokio::test]
async fn a_body_over_the_limit_gets_a_japanese_413() {
    let app = spawn_app().await;
    let big = "a".repeat(17 * 1024);
    let page = Browser::new(&app).post_form("/api/join", &join_form("TOKYO1", &big, "x")).await;
    assert_eq!(page.status, 413);
    assert!(page.body.contains("送信された内容が大きすぎます"), "{}", page.body);
}

/// An app with changed connection limits, and its `host:port` for raw
/// TCP clients. The directory must outlive the app.
async fn app_with_limits(configure: impl FnOnce(&mut Limits)) -> (tempfile::TempDir, TestApp, String) {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_app_configured(dir.path(), |s| configure(&mut s.limits)).await.unwrap();
    let address = app.address.trim_start_matches("http://").to_owned();
    (dir, app, address)
}

#[tokio::test]
async fn slow_clients_are_cut_off_and_do_not_stop_the_service() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let timeout = Duration::from_secs(2);
    let (_dir, app, address) = app_with_limits(|l| l.header_read_timeout = timeout).await;

    // One client trickles a header line every 300 ms.
    let mut slow = tokio::net::TcpStream::connect(&address).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let started = Instant::now();
    let closed_after = loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        if slow.write_all(b"X-Slow: 1\r\n").await.is_err() {
            break started.elapsed();
        }
        let mut buffer = [0u8; 256];
        if let Ok(Ok(0) | Err(_)) = tokio::time::timeout(Duration::from_millis(1), slow.read(&mut buffer)).await {
            break started.elapsed();
        }
        assert!(started.elapsed() < Duration::from_secs(15), "the trickling connection was never closed");
    };
    eprintln!("slow client: closed after {closed_after:?} (header timeout {timeout:?})");
    assert!(closed_after <= timeout + Duration::from_secs(3), "{closed_after:?}");

    // 2,000 of them at once: the service still answers. Client and server
    // share this process: 4,000 descriptors.
    let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile);
    let _ = rustix::process::setrlimit(
        rustix::process::Resource::Nofile,
        rustix::process::Rlimit { current: limit.maximum, maximum: limit.maximum },
    );
    let mut held = Vec::with_capacity(2000);
    for _ in 0..2000 {
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await.unwrap();
        held.push(stream);
    }
    let started = Instant::now();
    let health = Browser::new(&app).get("/healthz").await;
    let answered = started.elapsed();
    eprintln!("with 2000 slow connections open: /healthz {} in {answered:?}", health.status);
    assert_eq!(health.status, 200);
    assert!(answered < Duration::from_secs(5), "{answered:?}");
    // And after the timeout the server has closed them.
    tokio::time::sleep(timeout + Duration::from_secs(3)).await;
    let mut closed = 0;
    for stream in &mut held {
        let mut buffer = [0u8; 64];
        if let Ok(Ok(0) | Err(_)) = tokio::time::timeout(Duration::from_millis(5), stream.read(&mut buffer)).await {
            closed += 1;
        }
    }
    eprintln!("{closed} of 2000 slow connections closed by the server after the timeout");
    assert!(closed >= 1990, "{closed}");
}

#[tokio::test]
async fn a_trailing_slash_does_not_change_the_verify_answer() {
    let app = spawn_app().await;
    let mut phone = ready_learner(&app, "斜線 太郎").await;
    close_session(&app, "TOKYO1").await;
    self_check(&mut phone).await;
    let certificate = phone.get("/certificate").await;
    let url = verify_url(&certificate.body);
    let plain = Browser::new(&app).get(&url).await;
    let slashed = Browser::new(&app).get(&format!("{url}/")).await;
    assert_eq!(plain.status, 200);
    assert_eq!(slashed.status, plain.status);
    assert!(slashed.body.contains("斜線 太郎"));
    let forged = format!("{}x/", &url[..url.len() - 1]);
    assert_eq!(
        Browser::new(&app).get(&forged).await.status,
        Browser::new(&app).get(forged.trim_end_matches('/')).await.status
    );
}

#[tokio::test]
async fn two_simultaneous_submits_show_the_one_certificate() {
    let app = spawn_app().await;
    let phone = ready_learner(&app, "同時 送信").await;
    close_session(&app, "TOKYO1").await;
    let mut first = phone.another_tab();
    let mut second = phone.another_tab();
    let (a, b) = tokio::join!(self_check(&mut first), self_check(&mut second));
    assert_eq!(a.location.as_deref(), Some("/certificate"), "{}", a.body);
    assert_eq!(b.location.as_deref(), Some("/certificate"), "{}", b.body);
    assert_eq!(certificates_of(&app, "同時 送信").await, 1);
}

#[tokio::test]
async fn a_trickled_body_meets_an_absolute_deadline() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let deadline = Duration::from_secs(2);
    let (_dir, app, address) = app_with_limits(|l| l.request_timeout = deadline).await;
    let mut slow = tokio::net::TcpStream::connect(&address).await.unwrap();
    slow.write_all(
        format!(
            "POST /api/join HTTP/1.1\r\nHost: {address}\r\nAccept: text/html\r\nOrigin: {}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\n",
            app.address
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    let started = Instant::now();
    // A byte every 300 ms: each chunk is "on time", the whole never is.
    let mut answer = Vec::new();
    while started.elapsed() < Duration::from_secs(10) {
        let _ = slow.write_all(b"a").await;
        let mut buffer = [0u8; 4096];
        if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(300), slow.read(&mut buffer)).await {
            answer.extend_from_slice(&buffer[..n]);
            if n == 0 || answer.windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
        }
    }
    let answered_after = started.elapsed();
    let answer = String::from_utf8_lossy(&answer);
    eprintln!("trickled body: answered after {answered_after:?} (deadline {deadline:?})");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answered_after < deadline + Duration::from_secs(3), "{answered_after:?}");
}

#[tokio::test]
async fn a_client_that_never_reads_loses_its_connection() {
    use tokio::io::AsyncWriteExt;
    let lifetime = Duration::from_secs(2);
    let (_dir, app, address) = app_with_limits(|l| l.max_connection_lifetime = lifetime).await;
    // A small receive window, and requests for pages it never reads: the
    // server's answers back up, and only the connection's life ends it.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut reader_that_never_reads = socket.connect(address.parse().unwrap()).await.unwrap();
    let started = Instant::now();
    let closed_after = loop {
        let sent =
            reader_that_never_reads.write_all(format!("GET / HTTP/1.1\r\nHost: {address}\r\n\r\n").as_bytes()).await;
        if sent.is_err() {
            break started.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(started.elapsed() < Duration::from_secs(30), "the connection was never closed");
    };
    eprintln!("a client that never reads: connection closed after {closed_after:?} (lifetime {lifetime:?})");
    assert!(closed_after >= lifetime, "{closed_after:?}");
    assert_eq!(Browser::new(&app).get("/healthz").await.status, 200);
}
