//! Staff accounts: invitations down the hierarchy, sign-in and sessions,
//! password rules, brute-force limits and the audit log.

use crate::helpers::*;
use nimo_domain::store::entity::{audit_event, staff_session};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

const GOOD_PASSWORD: &str = "kokoro no sapooto 2026";

/// Accepts the newest invitation mailed to `email` and returns the browser, signed in.
async fn accept_invitation<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let mail = mail_to(app, email, "/staff/accept").await;
    let link = link_in(&mail, app, "/staff/accept");
    let mut browser = Browser::new(app);
    let page = browser.get(&link).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let token = link.split("token=").nth(1).unwrap();
    let (posted, home) = browser
        .submit(
            "/api/staff/accept",
            &[("token", token), ("password", GOOD_PASSWORD), ("password_again", GOOD_PASSWORD)],
        )
        .await;
    assert_eq!(posted.location.as_deref(), Some("/staff"), "{}", home.body);
    assert_eq!(home.status, 200, "{}", home.body);
    browser
}

/// Every test's secretariat has its own address: the SMTP server's Maildir
/// is shared by tests running in parallel.
fn jimukyoku_email(app: &TestApp) -> String {
    format!("jimukyoku-{}@example.jp", app.address.rsplit(':').next().unwrap())
}

async fn secretariat(app: &TestApp) -> Browser<'_> {
    let email = jimukyoku_email(app);
    nimo_server::invite_first_secretariat(&app.state.platform, &email, "事務局 一郎").await.unwrap();
    accept_invitation(app, &email).await
}

async fn audit_actions(app: &TestApp) -> Vec<String> {
    audit_event::Entity::find()
        .all(&app.state.platform.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action.to_string())
        .collect()
}

#[tokio::test]
async fn invitations_go_down_the_hierarchy_and_jurisdictions_stay_apart() {
    let app = spawn_app().await;
    let mut jimukyoku = secretariat(&app).await;
    let home = jimukyoku.get("/staff").await;
    assert!(home.body.contains("事務局 一郎") && home.body.contains("全国　事務局"), "{}", home.body);
    assert_eq!(Browser::header(&home, "cache-control"), "no-store");

    let (posted, _) = jimukyoku
        .submit(
            "/api/staff/invite",
            &[
                ("email", "tokyo@example.jp"),
                ("name", "東京 花子"),
                ("role", "prefecture_staff"),
                ("jurisdiction", "東京都"),
            ],
        )
        .await;
    assert!(posted.location.unwrap().starts_with("/staff?invited="));
    let mut tokyo = accept_invitation(&app, "tokyo@example.jp").await;
    assert!(tokyo.get("/staff").await.body.contains("東京都　都道府県担当者"));

    // Down the hierarchy, inside the prefecture: allowed.
    let (posted, _) = tokyo
        .submit(
            "/api/staff/invite",
            &[
                ("email", "shinjuku@example.jp"),
                ("name", "新宿 次郎"),
                ("role", "municipality_staff"),
                ("jurisdiction", "新宿区"),
            ],
        )
        .await;
    assert!(posted.location.unwrap().starts_with("/staff?invited="));
    let mut shinjuku = accept_invitation(&app, "shinjuku@example.jp").await;

    // Another prefecture's municipality, or sideways: refused and audited.
    let (_, refused) = tokyo
        .submit(
            "/api/staff/invite",
            &[("email", "x@example.jp"), ("name", "大阪"), ("role", "municipality_staff"), ("jurisdiction", "大阪市")],
        )
        .await;
    assert!(refused.body.contains("この操作の権限がありません"), "{}", refused.body);
    let (_, refused) = tokyo
        .submit(
            "/api/staff/invite",
            &[("email", "y@example.jp"), ("name", "横"), ("role", "prefecture_staff"), ("jurisdiction", "東京都")],
        )
        .await;
    assert!(refused.body.contains("この操作の権限がありません"));

    // Pages of jurisdictions: own ones open, others are refused in Japanese.
    let own = tokyo.get("/staff/j/130001").await;
    assert_eq!(own.status, 200);
    assert!(own.body.contains("新宿 次郎") && own.body.contains("shinjuku@example.jp"), "{}", own.body);
    let other = tokyo.get("/staff/j/270008").await;
    assert_eq!(other.status, 403);
    assert!(other.body.contains("この操作の権限がありません"));
    assert_eq!(shinjuku.get("/staff/j/131041").await.status, 200);
    assert_eq!(shinjuku.get("/staff/j/130001").await.status, 403, "a municipality sees only itself");
    let nobody = Browser::new(&app).get("/staff/j/130001").await;
    assert_eq!(nobody.status, 401);
    assert!(nobody.body.contains("ログインしてください"));
    assert_eq!(jimukyoku.get("/staff/j/270008").await.status, 200, "the secretariat sees everything");

    let actions = audit_actions(&app).await;
    for expected in ["invitation_sent", "invitation_accepted", "authorization_refused", "personal_data_viewed"] {
        assert!(actions.iter().any(|a| a == expected), "no {expected} in the audit log: {actions:?}");
    }
    if std::env::var("TEST_MAILDIR").is_ok() {
        assert!(
            std::fs::read_dir(app.data_dir.join("outbox")).map_or(true, |d| d.count() == 0),
            "mail went through SMTP"
        );
    }
}

#[tokio::test]
async fn an_invitation_link_works_once() {
    let app = spawn_app().await;
    secretariat(&app).await;
    let mail = mail_to(&app, &jimukyoku_email(&app), "/staff/accept").await;
    let link = link_in(&mail, &app, "/staff/accept");
    let again = Browser::new(&app).get(&link).await;
    assert_eq!(again.status, 404);
    assert!(again.body.contains("この招待リンクは使えません"));
}

#[tokio::test]
async fn passwords_follow_nist_rules() {
    let app = spawn_app().await;
    let passwords = &app.state.platform.passwords;
    let email = "sato@example.jp";
    assert!(passwords.check("short7!", email).is_err(), "under 8");
    assert!(passwords.check("password1", email).is_err(), "common");
    assert!(passwords.check("BASEBALL", email).is_err(), "common, any case");
    assert!(passwords.check("sato@example.jp", email).is_err(), "own e-mail");
    assert!(passwords.check("zq7-mouse-lantern", email).is_ok(), "no composition rules");
    assert!(passwords.check(&"長".repeat(64), email).is_ok(), "64 characters are allowed");
    assert!(passwords.check(&"a".repeat(129), email).is_err(), "over 128");

    nimo_server::invite_first_secretariat(&app.state.platform, email, "佐藤").await.unwrap();
    let link = link_in(&mail_to(&app, email, "/staff/accept").await, &app, "/staff/accept");
    let token = link.split("token=").nth(1).unwrap();
    let mut browser = Browser::new(&app);
    let (_, page) = browser
        .submit("/api/staff/accept", &[("token", token), ("password", "password1"), ("password_again", "password1")])
        .await;
    assert!(page.body.contains("推測されやすいパスワード"), "{}", page.body);
    assert!(browser.cookie("nimo_staff").is_none());
}

async fn sign_in<'a>(browser: &mut Browser<'a>, email: &str, password: &str) -> Page {
    browser.post_form("/api/staff/sign_in", &[("email", email), ("password", password)]).await
}

#[tokio::test]
async fn sessions_rotate_end_on_sign_out_and_time_out() {
    let app = spawn_app().await;
    let mut first = secretariat(&app).await;
    let accepted_token = first.cookie("nimo_staff").unwrap();

    let posted = sign_in(&mut first, &jimukyoku_email(&app), GOOD_PASSWORD).await;
    assert_eq!(posted.location.as_deref(), Some("/staff"));
    let cookie = posted.set_cookies.iter().find(|c| c.starts_with("nimo_staff=")).unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    let token = first.cookie("nimo_staff").unwrap();
    assert_ne!(token, accepted_token, "a new session ID at sign-in");
    let mut stale = Browser::new(&app);
    stale.cookies.push(("nimo_staff".into(), accepted_token));
    assert_eq!(stale.get("/staff").await.status, 401, "the replaced session is gone");

    // Sign-out deletes the session on the server, not just the cookie.
    let mut copy = Browser::new(&app);
    copy.cookies.push(("nimo_staff".into(), token.clone()));
    assert_eq!(copy.get("/staff").await.status, 200);
    let out = first.post_form("/api/staff/sign_out", &[]).await;
    assert_eq!(out.location.as_deref(), Some("/staff/sign-in?signed_out=1"));
    assert_eq!(copy.get("/staff").await.status, 401);

    // Idle for 30 minutes: over.
    sign_in(&mut first, &jimukyoku_email(&app), GOOD_PASSWORD).await;
    let db = &app.state.platform.db;
    let session = staff_session::Entity::find().one(db).await.unwrap().unwrap();
    let mut idle: staff_session::ActiveModel = session.clone().into();
    idle.last_seen_at = Set(chrono::Utc::now() - chrono::Duration::minutes(31));
    idle.update(db).await.unwrap();
    assert_eq!(first.get("/staff").await.status, 401, "idle timeout");

    // Active, but 12 hours after sign-in: over.
    sign_in(&mut first, &jimukyoku_email(&app), GOOD_PASSWORD).await;
    let session = staff_session::Entity::find().one(db).await.unwrap().unwrap();
    let mut old: staff_session::ActiveModel = session.into();
    old.expires_at = Set(chrono::Utc::now() - chrono::Duration::seconds(1));
    old.update(db).await.unwrap();
    assert_eq!(first.get("/staff").await.status, 401, "absolute timeout");
}

#[tokio::test]
async fn brute_force_is_limited_without_locking_out_the_victim() {
    let app = spawn_app().await;
    secretariat(&app).await;
    let mut attacker = Browser::from_address(&app, "127.0.0.2");
    let mut limited = None;
    for attempt in 0..15 {
        let posted = sign_in(&mut attacker, &jimukyoku_email(&app), "wrong password guess").await;
        let page = attacker.get(posted.location.as_deref().unwrap()).await;
        if page.status == 429 {
            limited = Some((attempt, page));
            break;
        }
        assert!(
            page.body.contains("メールアドレスかパスワードが違います"),
            "attempt {attempt}: {} {:?} {}",
            page.status,
            posted.location,
            &page.body[..page.body.len().min(300)]
        );
    }
    let (attempt, page) = limited.expect("no 429 after 15 wrong passwords");
    assert!(attempt >= 9, "ten attempts pass first, got limited at {attempt}");
    assert!(page.body.contains("試行回数が多すぎます"));
    // The real owner, from their own address, still gets in.
    let mut owner = Browser::new(&app);
    let posted = sign_in(&mut owner, &jimukyoku_email(&app), GOOD_PASSWORD).await;
    assert_eq!(posted.location.as_deref(), Some("/staff"));
    let actions = audit_actions(&app).await;
    assert!(actions.iter().filter(|a| *a == "sign_in_failed").count() >= 9);
    assert!(actions.iter().any(|a| a == "sign_in_throttled"));
    assert!(actions.iter().any(|a| a == "sign_in"));
}

#[tokio::test]
async fn the_audit_log_is_append_only_and_holds_no_secrets() {
    let app = spawn_app().await;
    let mut jimukyoku = secretariat(&app).await;
    sign_in(&mut jimukyoku, &jimukyoku_email(&app), "not the password").await;
    let db = &app.state.platform.db;
    assert!(db.execute_unprepared("UPDATE audit_event SET action = 'x'").await.is_err());
    assert!(db.execute_unprepared("DELETE FROM audit_event").await.is_err());
    let events = audit_event::Entity::find().all(db).await.unwrap();
    let failed = events.iter().find(|e| e.action.as_str() == "sign_in_failed").unwrap();
    assert_eq!(failed.actor, jimukyoku_email(&app));
    assert!(failed.address.is_some());
    for event in &events {
        let text = format!("{} {} {}", event.target, event.detail, event.actor);
        assert!(!text.contains(GOOD_PASSWORD) && !text.contains("not the password"), "a password in the log: {text}");
        assert!(!text.contains("token="), "a token in the log: {text}");
    }
    let trail = jimukyoku.get("/staff/audit").await;
    assert!(trail.body.contains("invitation_accepted"));
    let session_rows =
        staff_session::Entity::find().filter(staff_session::Column::PersonId.eq(1)).all(db).await.unwrap();
    assert!(!session_rows.is_empty());
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_mail_link() {
    let app = spawn_app().await;
    secretariat(&app).await;
    let mut browser = Browser::new(&app);
    let (_, sent) = browser.submit("/api/staff/forgot", &[("email", &jimukyoku_email(&app))]).await;
    assert!(sent.body.contains("再設定用のリンクを送りました"));
    let (_, unknown) = browser.submit("/api/staff/forgot", &[("email", "nobody@example.jp")]).await;
    assert!(unknown.body.contains("再設定用のリンクを送りました"), "the same answer for unknown e-mails");
    let link = link_in(&mail_to(&app, &jimukyoku_email(&app), "/staff/reset").await, &app, "/staff/reset");
    let token = link.split("token=").nth(1).unwrap();
    let new_password = "a brand new passphrase";
    let (posted, _) = browser
        .submit("/api/staff/reset", &[("token", token), ("password", new_password), ("password_again", new_password)])
        .await;
    assert_eq!(posted.location.as_deref(), Some("/staff/sign-in?reset=1"));
    assert_eq!(sign_in(&mut browser, &jimukyoku_email(&app), new_password).await.location.as_deref(), Some("/staff"));
    let reused = browser
        .submit("/api/staff/reset", &[("token", token), ("password", new_password), ("password_again", new_password)])
        .await;
    assert!(reused.1.body.contains("この再設定リンクは使えません"));
}
