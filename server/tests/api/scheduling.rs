//! Check-in on the day: the rotating code on the instructor's screen, what
//! it refuses, and what the learner sees of their attendance.

use crate::helpers::*;
use chrono::{Duration, Utc};
use nimo_domain::{
    service::scheduling::checkin::{self, Direction},
    store::entity::{course_session, session_part},
};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

/// Moves a demo session's one part to start `started_minutes_ago` and last
/// two hours, and returns the part's id.
async fn part_starting(app: &TestApp, code: &str, started_minutes_ago: i64) -> i32 {
    let db = &app.state.platform.db;
    let session =
        course_session::Entity::find().filter(course_session::Column::Code.eq(code)).one(db).await.unwrap().unwrap();
    let part = session_part::Entity::find()
        .filter(session_part::Column::SessionId.eq(session.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let starts = Utc::now() - Duration::minutes(started_minutes_ago);
    session_part::Entity::update_many()
        .set(session_part::ActiveModel {
            starts_at: Set(starts),
            ends_at: Set(starts + Duration::hours(2)),
            ..Default::default()
        })
        .filter(session_part::Column::Id.eq(part.id))
        .exec(db)
        .await
        .unwrap();
    part.id
}

async fn joined<'a>(app: &'a TestApp, code: &str, name: &str) -> Browser<'a> {
    let mut phone = Browser::new(app);
    let (_, learn) = phone.submit("/api/join", &[("code", code), ("name", name), ("municipality", "新宿区")]).await;
    assert_eq!(learn.status, 200, "{}", learn.body);
    phone
}

#[tokio::test]
async fn a_learner_checks_in_with_the_code_on_the_screen() {
    let app = spawn_app().await;
    let part = part_starting(&app, "TOKYO1", 5).await;
    let mut phone = joined(&app, "TOKYO1", "受付 一郎").await;
    let token = checkin::token(&app.state.platform, part, Direction::In, Utc::now());
    let page = phone.get(&format!("/checkin/{token}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("記録する"));
    let (posted, attendance) = phone.submit("/api/check_in", &[("token", &token)]).await;
    assert_eq!(posted.location.as_deref(), Some("/my/attendance"));
    assert!(attendance.body.contains("受付"), "{}", attendance.body);
    assert!(!attendance.body.contains("遅刻"));
    assert!(!attendance.body.contains("まだ受付していません"));
    // Scanning again changes nothing.
    let (again, _) = phone.submit("/api/check_in", &[("token", &token)]).await;
    assert_eq!(again.location.as_deref(), Some("/my/attendance"));
}

#[tokio::test]
async fn a_code_older_than_its_window_a_forged_one_and_another_sessions_are_refused() {
    let app = spawn_app().await;
    let part = part_starting(&app, "TOKYO1", 5).await;
    let mut phone = joined(&app, "TOKYO1", "期限 二郎").await;
    let old = checkin::token(&app.state.platform, part, Direction::In, Utc::now() - Duration::seconds(90));
    let (_, refused) = phone.submit("/api/check_in", &[("token", &old)]).await;
    assert!(refused.body.contains("有効期限"), "{}", refused.body);

    let fresh = checkin::token(&app.state.platform, part, Direction::In, Utc::now());
    let mut forged = fresh.clone().into_bytes();
    forged[20] = if forged[20] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    let (_, refused) = phone.submit("/api/check_in", &[("token", &forged)]).await;
    assert!(refused.body.contains("このQRコードは使えません"), "{}", refused.body);

    let mut elsewhere = joined(&app, "OSAKA2", "別会場 三郎").await;
    let (_, refused) = elsewhere.submit("/api/check_in", &[("token", &fresh)]).await;
    assert!(refused.body.contains("あなたが申し込んだ研修のものではありません"), "{}", refused.body);

    let attendance = phone.get("/my/attendance").await;
    assert!(attendance.body.contains("まだ受付していません"), "nothing was recorded: {}", attendance.body);
    // Without a registration on the phone there is nothing to record.
    let stranger = Browser::new(&app).post_form("/api/check_in", &[("token", &fresh)]).await;
    assert_eq!(stranger.status, 401);
}

#[tokio::test]
async fn twenty_minutes_late_is_recorded_but_does_not_count() {
    let app = spawn_app().await;
    let part = part_starting(&app, "TOKYO1", 20).await;
    let mut phone = joined(&app, "TOKYO1", "遅刻 四郎").await;
    let token = checkin::token(&app.state.platform, part, Direction::In, Utc::now());
    let (_, attendance) = phone.submit("/api/check_in", &[("token", &token)]).await;
    assert!(attendance.body.contains("15分を超えた遅刻"), "{}", attendance.body);
}

/// A browser signed in as `role` in `scope` (invited by the system).
async fn staff<'a>(app: &'a TestApp, role: nimo_domain::roles::Role, scope: &str, email: &str) -> Browser<'a> {
    let platform = &app.state.platform;
    let scope = nimo_domain::roles::Scope::parse(scope).unwrap();
    let link =
        nimo_domain::service::accounts::invite(platform, None, email, "受付 担当", role, scope, None).await.unwrap();
    let invitation = link.split("token=").nth(1).unwrap();
    let address = "127.0.0.1".parse().unwrap();
    let session =
        nimo_domain::service::accounts::accept_invitation(platform, invitation, "check-in passphrase 2026", address)
            .await
            .unwrap();
    let mut browser = Browser::new(app);
    browser.cookies.push(("nimo_staff".to_owned(), session));
    browser
}

#[tokio::test]
async fn the_screen_shows_a_code_that_checks_in_and_counts_for_its_body_only() {
    use nimo_domain::roles::Role;
    let app = spawn_app().await;
    part_starting(&app, "OSAKA2", 0).await;
    let mut officer = staff(&app, Role::ImplementingBodyStaff, "271004", "osaka-officer@example.jp").await;
    let screen = officer.get("/staff/sessions/OSAKA2/checkin").await;
    assert_eq!(screen.status, 200, "{}", screen.body);
    assert!(screen.body.contains("<svg"), "a QR code");
    assert!(screen.body.contains("http-equiv=\"refresh\""), "reloads for the next code");
    assert!(screen.body.contains("受付済み 0 人"));
    let mut phone = joined(&app, "OSAKA2", "画面 五郎").await;
    let session = course_session::Entity::find()
        .filter(course_session::Column::Code.eq("OSAKA2"))
        .one(&app.state.platform.db)
        .await
        .unwrap()
        .unwrap();
    let part = session_part::Entity::find()
        .filter(session_part::Column::SessionId.eq(session.id))
        .one(&app.state.platform.db)
        .await
        .unwrap()
        .unwrap();
    let token = checkin::token(&app.state.platform, part.id, Direction::In, Utc::now());
    phone.submit("/api/check_in", &[("token", &token)]).await;
    let screen = officer.get("/staff/sessions/OSAKA2/checkin").await;
    assert!(screen.body.contains("受付済み 1 人 ／ 申込 1 人"), "{}", screen.body);
    // Another body's session is refused.
    let other = officer.get("/staff/sessions/KOBE03/checkin").await;
    assert_eq!(other.status, 403);
}
