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
pub async fn part_starting(app: &TestApp, code: &str, started_minutes_ago: i64) -> i32 {
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
    let (_, learn) = phone.submit("/api/join", &join_form(code, name, "新宿区")).await;
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
pub async fn staff<'a>(app: &'a TestApp, role: nimo_domain::roles::Role, scope: &str, email: &str) -> Browser<'a> {
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

/// The fields of a one-part session form, in a year to come.
pub fn session_form<'a>(
    title: &'a str,
    programme: &'a str,
    elective: &'a str,
    capacity: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("programme", programme),
        ("elective", elective),
        ("capacity", capacity),
        ("visibility", "public"),
        ("parts[0][date]", "2030-01-10"),
        ("parts[0][starts]", "14:00"),
        ("parts[0][ends]", "16:00"),
        ("parts[0][mode]", "in_person"),
        ("parts[0][place]", "大阪市役所 7階 会議室"),
        ("parts[0][covers]", "all"),
    ]
}

#[tokio::test]
async fn an_officer_plans_a_session_that_residents_find_and_add_to_their_calendar() {
    use nimo_domain::roles::Role;
    let app = spawn_app().await;
    let mut officer = staff(&app, Role::ImplementingBodyStaff, "271004", "planner@example.jp").await;
    let (posted, list) = officer
        .submit(
            "/api/staff/create_session",
            &session_form("こころサポーター講座（市民向け）", "kokoro-supporter", "elective-self-care", "2"),
        )
        .await;
    let location = posted.location.unwrap();
    assert!(location.starts_with("/staff/sessions?created="), "{location}");
    let code = location.rsplit('=').next().unwrap().to_owned();
    assert!(list.body.contains("下書き"), "{}", list.body);

    // A draft is nowhere public, and cannot be joined.
    let mut resident = Browser::new(&app);
    assert!(!resident.get("/sessions?prefecture=27").await.body.contains(&code));
    assert_eq!(resident.get(&format!("/sessions/{code}")).await.status, 404);

    officer.submit("/api/staff/publish_session", &[("code", &code)]).await;
    let found = resident.get("/sessions?prefecture=27&format=in_person").await;
    assert!(found.body.contains("こころサポーター講座（市民向け）"), "{}", found.body);
    assert!(!resident.get("/sessions?prefecture=13").await.body.contains(&code), "not in 東京都");
    let page = resident.get(&format!("/sessions/{code}")).await;
    assert!(page.body.contains("残り 2 席"), "{}", page.body);
    assert!(page.body.contains("1月10日 14:00〜16:00"));

    let ics = resident.get(&format!("/sessions/{code}/calendar.ics")).await;
    assert_eq!(ics.status, 200);
    assert!(ics.content_type.starts_with("text/calendar"));
    assert!(ics.body.contains("BEGIN:VEVENT\r\n") && ics.body.contains("DTSTART:20300110T050000Z\r\n"), "{}", ics.body);
    assert!(ics.body.split("\r\n").all(|line| line.len() <= 75), "folded at 75 octets");
    let feed = resident.get("/calendars/271004.ics").await;
    assert!(feed.body.contains(&format!("UID:session-{code}-part-1@")));

    // Two seats: the third is refused.
    for name in ["席 一", "席 二"] {
        let mut phone = Browser::new(&app);
        let (_, learn) = phone.submit("/api/join", &join_form(&code, name, "新宿区")).await;
        assert_eq!(learn.status, 200, "{}", learn.body);
    }
    let mut third = Browser::new(&app);
    let (_, full) = third.submit("/api/join", &join_form(&code, "席 三", "新宿区")).await;
    assert!(full.body.contains("満席"), "{}", full.body);
    assert!(resident.get(&format!("/sessions/{code}")).await.body.contains("満席"));
}

#[tokio::test]
async fn a_session_cannot_teach_a_unit_in_a_mode_its_programme_forbids() {
    use nimo_domain::roles::Role;
    let app = spawn_app().await;
    let mut officer = staff(&app, Role::ImplementingBodyStaff, "271004", "visitor-planner@example.jp").await;
    let mut form = session_form("訪問支援員養成研修", "inpatient-visitor", "", "");
    form.retain(|(k, _)| *k != "parts[0][mode]");
    form.push(("parts[0][mode]", "live_online"));
    let (_, refused) = officer.submit("/api/staff/create_session", &form).await;
    assert!(refused.body.contains("オンライン（同時双方向）では実施できません"), "{}", refused.body);
    // Another body's session is refused too.
    let mut elsewhere = session_form("神戸で", "kokoro-supporter", "elective-self-care", "");
    elsewhere.push(("body", "281000"));
    let posted = officer.post_form("/api/staff/create_session", &elsewhere).await;
    let page = officer.get(posted.location.as_deref().unwrap()).await;
    assert_eq!(page.status, 403, "{}", page.body);
}

#[tokio::test]
async fn the_roster_ticks_those_without_a_phone_exports_for_excel_and_is_audited() {
    use nimo_domain::{roles::Role, store::entity::audit_event};
    let app = spawn_app().await;
    part_starting(&app, "OSAKA2", 0).await;
    joined(&app, "OSAKA2", "名簿 花子").await;
    let mut officer = staff(&app, Role::ImplementingBodyStaff, "271004", "roster-officer@example.jp").await;
    let roster = officer.get("/staff/sessions/OSAKA2/roster").await;
    assert_eq!(roster.status, 200);
    assert!(roster.body.contains("名簿 花子") && roster.body.contains("名簿 花子 さんを出席にする"), "{}", roster.body);
    let enrollment =
        roster.body.split("name=\"enrollment\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let (_, after) = officer
        .submit("/api/staff/mark_present", &[("code", "OSAKA2"), ("enrollment", &enrollment), ("part", "1")])
        .await;
    assert!(after.body.contains("出席 "), "ticked: {}", after.body);
    let csv = officer.get("/staff/sessions/OSAKA2/roster.csv").await;
    assert_eq!(csv.status, 200);
    assert!(csv.bytes.starts_with("\u{feff}".as_bytes()), "a BOM, so Excel reads UTF-8");
    assert!(csv.body.contains("\"名簿 花子\"") && csv.body.contains("\"満たす\""), "{}", csv.body);

    // Another body's officer gets neither the page nor the file, and no name.
    let mut other = staff(&app, Role::ImplementingBodyStaff, "281000", "kobe-officer@example.jp").await;
    let refused = other.get("/staff/sessions/OSAKA2/roster").await;
    assert_eq!(refused.status, 403);
    assert!(!refused.body.contains("名簿 花子"));
    let refused = other.get("/staff/sessions/OSAKA2/roster.csv").await;
    assert_eq!(refused.status, 403);
    assert!(!refused.body.contains("名簿 花子"));

    let views: Vec<String> = audit_event::Entity::find()
        .all(&app.state.platform.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.target == "roster OSAKA2")
        .map(|e| format!("{} {}", e.action, e.detail))
        .collect();
    assert!(views.iter().filter(|v| v.starts_with("personal_data_viewed")).count() >= 3, "page, page, CSV: {views:?}");
    let ticks = audit_event::Entity::find().all(&app.state.platform.db).await.unwrap();
    assert!(ticks.iter().any(|e| e.action.as_str() == "attendance_recorded"), "the tick is audited");
}
