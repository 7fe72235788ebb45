//! Registration as residents and staff meet it: フリガナ and consent, seats
//! and a waitlist whose offers arrive by mail, expire and pass on, links to
//! confirm or cancel, reminders, walk-ins, a cancelled session's reason
//! mailed to everyone, name corrections before issue, and 謝金・旅費.

use crate::{
    helpers::*,
    scheduling::{session_form, staff},
};
use chrono::{Duration, Utc};
use nimo_domain::{roles::Role, service::scheduling::upkeep};

/// Publishes a new session of 大阪市 with `capacity` seats; its code.
async fn published(officer: &mut Browser<'_>, capacity: &str) -> String {
    let (posted, _) = officer
        .submit(
            "/api/staff/create_session",
            &session_form("空席待ちのある講座", "kokoro-supporter", "elective-self-care", capacity),
        )
        .await;
    let code = posted.location.unwrap().rsplit('=').next().unwrap().to_owned();
    officer.submit("/api/staff/publish_session", &[("code", &code)]).await;
    code
}

async fn register<'a>(app: &'a TestApp, code: &str, name: &str, email: &str) -> (Browser<'a>, Page) {
    let mut phone = Browser::new(app);
    let fields = [
        ("code", code),
        ("name", name),
        ("furigana", "さんか しゃ"),
        ("municipality", "豊中市"),
        ("email", email),
        ("consent", "yes"),
    ];
    let (_, page) = phone.submit("/api/join", &fields).await;
    (phone, page)
}

/// The form's error message, for failure reports.
fn error_of(page: &Page) -> String {
    match page.body.find("data-testid=\"form-error\"") {
        Some(at) => page.body[at..].chars().take(300).collect(),
        None => page.body.chars().rev().take(1500).collect::<Vec<_>>().into_iter().rev().collect(),
    }
}

#[tokio::test]
async fn a_full_session_waitlists_and_a_cancelled_seat_is_offered_by_mail_to_the_next() {
    let app = spawn_app().await;
    let mut officer = staff(&app, Role::ImplementingBodyStaff, "271004", "waitlist-officer@example.jp").await;
    let code = published(&mut officer, "2").await;

    // Consent and フリガナ are asked for, in plain Japanese.
    let mut careless = Browser::new(&app);
    let (_, refused) = careless
        .submit(
            "/api/join",
            &[("code", &code), ("name", "同意 なし"), ("furigana", "ドウイ"), ("municipality", "豊中市")],
        )
        .await;
    assert!(refused.body.contains("同意のチェックを入れてください"), "{}", error_of(&refused));
    let (_, refused) = careless
        .submit(
            "/api/join",
            &[
                ("code", &code),
                ("name", "漢字 だけ"),
                ("furigana", "漢字"),
                ("municipality", "豊中市"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert!(refused.body.contains("フリガナはカタカナかひらがなで"), "{}", error_of(&refused));
    assert!(careless.cookie("nimo_learner").is_none(), "nothing was registered");

    let (_, first) = register(&app, &code, "一番 さん", "first@wait.example.jp").await;
    assert!(first.body.contains("ようこそ"), "a seat: straight to the course: {}", first.body);
    let (_second_phone, _) = register(&app, &code, "二番 さん", "second@wait.example.jp").await;
    let confirmation = mail_to(&app, "second@wait.example.jp", "お申し込みを受け付けました").await;
    assert!(confirmation.contains("空席待ちのある講座") && confirmation.contains("大阪市役所"), "{confirmation}");

    // Full: the third waits, and needs an e-mail to be told of a seat.
    let (_, no_email) = {
        let mut phone = Browser::new(&app);
        phone
            .submit(
                "/api/join",
                &[
                    ("code", &code),
                    ("name", "メール なし"),
                    ("furigana", "メール"),
                    ("municipality", "豊中市"),
                    ("consent", "yes"),
                ],
            )
            .await
    };
    assert!(no_email.body.contains("空席待ちでの受付になります"), "{}", error_of(&no_email));
    let (third_phone, waiting) = register(&app, &code, "三番 さん", "third@wait.example.jp").await;
    assert!(waiting.body.contains("空席待ち") && waiting.body.contains("1番目"), "{}", error_of(&waiting));
    let public = Browser::new(&app).get(&format!("/sessions/{code}")).await;
    assert!(public.body.contains("満席") && public.body.contains("空席待ち 1 人"), "{}", error_of(&public));
    assert!(mail_to(&app, "third@wait.example.jp", "空席待ち（1番目）").await.contains("/my/registration?token="));

    // A waitlisted phone cannot check in.
    let refused = nimo_domain::service::scheduling::checkin::check_in(
        &app.state.platform,
        "not-a-real-token",
        third_phone.cookie("nimo_learner").as_deref(),
        Utc::now(),
    )
    .await;
    assert!(refused.is_err());

    // The second cancels from the link in their mail; the third is offered the seat by mail.
    let mut second_mailbox = Browser::new(&app);
    let manage = link_in(&confirmation, &app, "/my/registration");
    let page = second_mailbox.get(&manage).await;
    assert!(page.body.contains("二番 さん") && page.body.contains("申し込み済み"), "{}", error_of(&page));
    let token = manage.split("token=").nth(1).unwrap().to_owned();
    // The mailed link manages the registration; it does not sign a device in.
    assert!(!page.body.contains("この端末で受講する"));
    let (_, refused) = second_mailbox.submit("/api/use_registration_here", &[("token", &token)]).await;
    assert!(refused.body.contains("このリンクからは受講を始められません"), "{}", error_of(&refused));
    assert!(second_mailbox.cookie("nimo_learner").is_none());
    let (_, after) = second_mailbox.submit("/api/cancel_registration", &[("token", &token)]).await;
    assert!(after.body.contains("キャンセル済み"), "{}", error_of(&after));
    let offer = mail_to(&app, "third@wait.example.jp", "席が空きました").await;
    assert!(offer.contains("参加を確定する"), "{offer}");
    let offer_link = link_in(&offer, &app, "/my/registration");
    let mut third_mailbox = Browser::new(&app);
    let page = third_mailbox.get(&offer_link).await;
    assert!(page.body.contains("空席のご案内中"), "{}", error_of(&page));
    let offer_token = offer_link.split("token=").nth(1).unwrap().to_owned();
    let (_, accepted) = third_mailbox.submit("/api/accept_offer", &[("token", &offer_token)]).await;
    assert!(
        accepted.body.contains("参加が確定しました") && accepted.body.contains("申し込み済み"),
        "{}",
        error_of(&accepted)
    );
    // A second tap finds nothing left to accept, in words.
    let (_, again) = third_mailbox.submit("/api/accept_offer", &[("token", &offer_token)]).await;
    assert!(again.body.contains("すでに確定・キャンセルされています"), "{}", error_of(&again));

    // The roster shows each with their reading and where they stand.
    let roster = officer.get(&format!("/staff/sessions/{code}/roster")).await;
    assert!(roster.body.contains("サンカ シャ") && roster.body.contains("キャンセル"), "{}", error_of(&roster));
    let csv = officer.get(&format!("/staff/sessions/{code}/roster.csv")).await;
    assert!(
        csv.body.contains("\"フリガナ\"") && csv.body.contains("\"三番 さん\",\"サンカ シャ\""),
        "{}",
        error_of(&csv)
    );
}

#[tokio::test]
async fn an_unanswered_offer_passes_to_the_next_and_reminders_go_out_once() {
    let app = spawn_app().await;
    let platform = &app.state.platform;
    let mut officer = staff(&app, Role::ImplementingBodyStaff, "271004", "lapse-officer@example.jp").await;
    let code = published(&mut officer, "1").await;
    let (mut holder, _) = register(&app, &code, "席 あり", "holder@lapse.example.jp").await;
    register(&app, &code, "待ち 一", "wait1@lapse.example.jp").await;
    register(&app, &code, "待ち 二", "wait2@lapse.example.jp").await;
    // The holder cancels from their own phone.
    let (_, cancelled) = holder.submit("/api/cancel_registration", &[("token", "")]).await;
    assert!(cancelled.body.contains("キャンセル済み"), "{}", error_of(&cancelled));
    mail_to(&app, "wait1@lapse.example.jp", "席が空きました").await;

    // A day and more later, unanswered: it passes to the second in line.
    let report = upkeep::run(platform, Utc::now() + Duration::hours(25)).await.unwrap();
    assert_eq!((report.offers_lapsed, report.seats_offered), (1, 1), "{report:?}");
    assert!(mail_to(&app, "wait1@lapse.example.jp", "期限までに確定されなかった").await.contains("次に待っている方"));
    let offer = mail_to(&app, "wait2@lapse.example.jp", "席が空きました").await;
    let token = link_in(&offer, &app, "/my/registration").split("token=").nth(1).unwrap().to_owned();
    let mut second = Browser::new(&app);
    let (_, accepted) = second.submit("/api/accept_offer", &[("token", &token)]).await;
    assert!(accepted.body.contains("参加が確定しました"), "{}", error_of(&accepted));

    // The day before (the default), the registered are reminded, once.
    let session = {
        use nimo_domain::store::entity::course_session;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        course_session::Entity::find()
            .filter(course_session::Column::Code.eq(code.clone()))
            .one(&platform.db)
            .await
            .unwrap()
            .unwrap()
    };
    let before = upkeep::run(platform, session.starts_at - Duration::days(3)).await.unwrap();
    assert_eq!(before.reminders, 0, "three days before: not yet");
    let due = upkeep::run(platform, session.starts_at - Duration::hours(20)).await.unwrap();
    assert_eq!(due.reminders, 1, "only the one holding a seat: {due:?}");
    assert!(mail_to(&app, "wait2@lapse.example.jp", "近づきました").await.contains("QRコード"));
    let again = upkeep::run(platform, session.starts_at - Duration::hours(19)).await.unwrap();
    assert_eq!(again.reminders, 0, "never twice");
}

#[tokio::test]
async fn a_cancelled_session_mails_its_reason_to_everyone_registered() {
    let app = spawn_app().await;
    let mut officer = staff(&app, Role::ImplementingBodyStaff, "271004", "cancel-officer@example.jp").await;
    let code = published(&mut officer, "1").await;
    register(&app, &code, "中止 一", "one@cancel.example.jp").await;
    register(&app, &code, "中止 二", "two@cancel.example.jp").await;
    // Another body's officer cannot cancel it.
    let mut kobe = staff(&app, Role::ImplementingBodyStaff, "281000", "kobe-canceller@example.jp").await;
    let (_, refused) = kobe.submit("/api/staff/cancel_session", &[("code", &code), ("reason", "いたずら")]).await;
    assert_eq!(refused.status, 403);
    let (_, empty) = officer.submit("/api/staff/cancel_session", &[("code", &code), ("reason", " ")]).await;
    assert!(empty.body.contains("中止の理由を入力してください"), "{}", error_of(&empty));
    let (posted, list) =
        officer.submit("/api/staff/cancel_session", &[("code", &code), ("reason", "台風の接近のため")]).await;
    assert_eq!(posted.location.as_deref(), Some("/staff/sessions?cancelled=2"));
    let ran = upkeep::run(&app.state.platform, Utc::now()).await;
    assert!(ran.is_ok(), "{ran:?}");
    assert!(list.body.contains("2 人にメールで理由をお知らせします"), "{}", error_of(&list));
    for email in ["one@cancel.example.jp", "two@cancel.example.jp"] {
        let mail = mail_to(&app, email, "中止となりました").await;
        assert!(mail.contains("理由：台風の接近のため") && mail.contains("空席待ちのある講座"), "{mail}");
    }
    let page = Browser::new(&app).get(&format!("/sessions/{code}")).await;
    assert!(page.body.contains("中止になりました") && !page.body.contains("この研修に申し込む"), "{}", error_of(&page));
    let (_, late) = register(&app, &code, "遅れて 申込", "late@cancel.example.jp").await;
    assert!(late.body.contains("中止になりました"), "{}", error_of(&late));
}

#[tokio::test]
async fn registration_opens_and_closes_when_the_body_says() {
    let app = spawn_app().await;
    let mut officer = staff(&app, Role::ImplementingBodyStaff, "271004", "window-officer@example.jp").await;
    let mut form = session_form("受付期間のある講座", "kokoro-supporter", "elective-self-care", "");
    form.push(("registration_opens", "2029-12-01T09:00"));
    form.push(("registration_closes", "2030-01-05T17:00"));
    let (posted, _) = officer.submit("/api/staff/create_session", &form).await;
    let code = posted.location.unwrap().rsplit('=').next().unwrap().to_owned();
    officer.submit("/api/staff/publish_session", &[("code", &code)]).await;
    let (_, early) = register(&app, &code, "早すぎ さん", "early@window.example.jp").await;
    assert!(
        early.body.contains("申し込みの受付は") && early.body.contains("(2029-12-01) 09:00からです"),
        "{}",
        error_of(&early)
    );
    let page = Browser::new(&app).get(&format!("/sessions/{code}")).await;
    assert!(!page.body.contains("この研修に申し込む"), "{}", error_of(&page));
    // A deadline after the session is refused.
    let mut bad = session_form("締切が変", "kokoro-supporter", "elective-self-care", "");
    bad.push(("registration_closes", "2030-02-01T00:00"));
    let (_, refused) = officer.submit("/api/staff/create_session", &bad).await;
    assert!(refused.body.contains("研修の終わりより前に"), "{}", error_of(&refused));
}

#[tokio::test]
async fn walk_ins_join_on_the_day_and_names_are_corrected_before_issue() {
    let app = spawn_app().await;
    let mut officer = staff(&app, Role::PrefectureStaff, "130001", "walkin-officer@example.jp").await;
    let (posted, roster) = officer
        .submit(
            "/api/staff/add_walk_in",
            &[
                ("code", "TOKYO1"),
                ("name", "当日 来た"),
                ("furigana", "トウジツ キタ"),
                ("municipality", "新宿区"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert!(posted.location.as_deref().unwrap_or_default().contains("walk_in="), "{:?}", posted.location);
    assert!(roster.body.contains("当日 来た") && roster.body.contains("（当日）"), "{}", error_of(&roster));
    assert!(
        roster.body.contains("data-testid=\"walk-in-link\"") && roster.body.contains("<svg"),
        "a QR to continue on their phone"
    );
    // The walk-in scans it and continues on their own phone.
    let start = roster.body.find("/my/registration?token=").unwrap();
    let link: String = roster.body[start..].chars().take_while(|c| *c != '<' && *c != '"').collect();
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let mut phone = Browser::new(&app);
    let (_, learn) = phone.submit("/api/use_registration_here", &[("token", &token)]).await;
    assert!(learn.body.contains("当日 来た さん、ようこそ"), "{}", error_of(&learn));
    // They are present already (the walk-in form ticks them).
    assert!(phone.get("/my/attendance").await.body.contains("受付"));

    // The learner corrects the name to print; after issue, it is fixed.
    let (_, renamed) = phone.submit("/api/correct_my_name", &[("name", "当日 来太")]).await;
    assert!(renamed.body.contains("当日 来太 さん、ようこそ"), "{}", error_of(&renamed));
    for module in tokyo1_plan(&app) {
        phone.submit("/api/complete_module", &[("module_id", &module)]).await;
    }
    let answers = correct_answers(&app);
    let fields: Vec<(&str, &str)> = answers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    phone.submit("/api/submit_self_check", &fields).await;
    assert!(close_session(&app, "TOKYO1").await >= 1);
    let certificate = phone.get("/certificate").await;
    assert!(certificate.body.contains("当日 来太"), "{}", error_of(&certificate));
    let (_, refused) = phone.submit("/api/correct_my_name", &[("name", "別の 名前")]).await;
    assert!(refused.body.contains("認定証はすでに発行されています"), "{}", error_of(&refused));
}

#[tokio::test]
async fn bodies_record_what_they_pay_instructors_and_export_it() {
    let app = spawn_app().await;
    let mut officer = staff(&app, Role::ImplementingBodyStaff, "271004", "pay-officer@example.jp").await;
    let mut instructor = staff(&app, Role::Instructor, "271004", "paid-instructor@example.jp").await;
    officer
        .submit("/api/staff/assign_instructor", &[("code", "OSAKA2"), ("email", "paid-instructor@example.jp")])
        .await;
    let page = officer.get("/staff/sessions/OSAKA2/payments").await;
    assert!(page.body.contains("受付 担当"), "the instructor's form: {}", page.body);
    let start = page.body.find("name=\"person_id\" value=\"").unwrap() + "name=\"person_id\" value=\"".len();
    let person_id: String = page.body[start..].chars().take_while(char::is_ascii_digit).collect();
    let (_, bad) = officer
        .submit(
            "/api/staff/record_payment",
            &[("code", "OSAKA2"), ("person_id", &person_id), ("honorarium", "たくさん")],
        )
        .await;
    assert!(bad.body.contains("謝金は0〜10,000,000の円の金額を数字で"), "{}", error_of(&bad));
    let (posted, saved) = officer
        .submit(
            "/api/staff/record_payment",
            &[
                ("code", "OSAKA2"),
                ("person_id", &person_id),
                ("honorarium", "10,000"),
                ("travel", "１２４０"),
                ("paid_on", "2026-12-10"),
                ("note", "=SUM(A1)"),
            ],
        )
        .await;
    assert_eq!(posted.location.as_deref(), Some("/staff/sessions/OSAKA2/payments?saved=1"));
    assert!(saved.body.contains("value=\"10000\"") && saved.body.contains("value=\"1240\""), "{}", error_of(&saved));
    let csv = officer.get("/staff/payments.csv").await;
    assert!(csv.body.starts_with('\u{feff}'), "BOM for Excel");
    assert!(
        csv.body.contains("\"OSAKA2\"") && csv.body.contains(",10000,1240,11240,\"2026-12-10\",\"'=SUM(A1)\""),
        "{}",
        error_of(&csv)
    );
    // The instructor paid sees neither the page nor the export's lines.
    assert_eq!(instructor.get("/staff/sessions/OSAKA2/payments").await.status, 403);
    assert!(!instructor.get("/staff/payments.csv").await.body.contains("OSAKA2"));
}

#[tokio::test]
async fn online_attendance_by_code_counts_once_the_instructor_confirms_it() {
    let app = spawn_app().await;
    crate::scheduling::part_starting(&app, "OSAKA2", 0).await;
    let mut phone = Browser::new(&app);
    phone.submit("/api/join", &join_form("OSAKA2", "画面 越し", "豊中市")).await;
    let mut officer = staff(&app, Role::ImplementingBodyStaff, "271004", "online-officer@example.jp").await;
    let screen = officer.get("/staff/sessions/OSAKA2/checkin").await;
    let at =
        screen.body.find("data-testid=\"online-code\"").unwrap_or_else(|| panic!("no digits: {}", error_of(&screen)));
    let at = at + screen.body[at..].find('>').unwrap() + 1;
    let digits: String = screen.body[at..].chars().take_while(char::is_ascii_digit).collect();
    assert_eq!(digits.len(), 6);
    let wrong = if digits == "000000" { "000001" } else { "000000" };
    let (_, refused) = phone.submit("/api/check_in_online", &[("code", wrong)]).await;
    assert!(refused.body.contains("出席コードが違うか"), "{}", error_of(&refused));
    // Typed with full-width digits, as some phones do.
    let wide: String = digits.chars().map(|c| char::from_u32(u32::from(c) + 0xFEE0).unwrap()).collect();
    let (_, recorded) = phone.submit("/api/check_in_online", &[("code", &wide)]).await;
    assert!(recorded.body.contains("講師の確認を待っています"), "{}", error_of(&recorded));

    // Until the instructor confirms, it does not count.
    let roster = officer.get("/staff/sessions/OSAKA2/roster").await;
    let pending = roster.body.find("オンライン未確認").expect("the roster shows it unconfirmed");
    let marker = "name=\"enrollment\" value=\"";
    let from = roster.body[pending..].find(marker).unwrap() + pending + marker.len();
    let enrollment: String = roster.body[from..].chars().take_while(char::is_ascii_digit).collect();
    let (_, confirmed) = officer
        .submit("/api/staff/confirm_online", &[("code", "OSAKA2"), ("enrollment", &enrollment), ("part", "1")])
        .await;
    assert!(!confirmed.body.contains("オンライン未確認"), "{}", error_of(&confirmed));
    let attendance = phone.get("/my/attendance").await;
    assert!(
        !attendance.body.contains("確認を待っています") && attendance.body.contains("受付"),
        "{}",
        error_of(&attendance)
    );
    // Confirming twice finds nothing to confirm.
    let (_, again) = officer
        .submit("/api/staff/confirm_online", &[("code", "OSAKA2"), ("enrollment", &enrollment), ("part", "1")])
        .await;
    assert!(again.body.contains("確認を待っているオンラインの出席がありません"), "{}", error_of(&again));
}

#[tokio::test]
async fn a_tick_kept_offline_is_recorded_at_the_moment_it_was_made() {
    let app = spawn_app().await;
    crate::scheduling::part_starting(&app, "TOKYO1", 40).await;
    let mut phone = Browser::new(&app);
    phone.submit("/api/join", &join_form("TOKYO1", "圏外 一郎", "新宿区")).await;
    let mut officer = staff(&app, Role::PrefectureStaff, "130001", "offline-officer@example.jp").await;
    let roster = officer.get("/staff/sessions/TOKYO1/roster").await;
    assert!(roster.body.contains("src=\"/roster-offline.js\""), "the page keeps ticks offline");
    let marker = "name=\"enrollment\" value=\"";
    let from = roster.body.find(marker).unwrap() + marker.len();
    let enrollment: String = roster.body[from..].chars().take_while(char::is_ascii_digit).collect();
    // Ticked 35 minutes ago (5 minutes after the start) while the venue was
    // offline, sent now: on time, not 40 minutes late.
    let ticked = Utc::now() - Duration::minutes(35);
    let (_, after) = officer
        .submit(
            "/api/staff/mark_present",
            &[("code", "TOKYO1"), ("enrollment", &enrollment), ("part", "1"), ("ticked_at", &ticked.to_rfc3339())],
        )
        .await;
    let shown =
        ticked.with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).unwrap()).format("出席 %H:%M").to_string();
    assert!(after.body.contains(&shown), "{shown}: {}", error_of(&after));
    let attendance = phone.get("/my/attendance").await;
    assert!(!attendance.body.contains("遅刻"), "{}", error_of(&attendance));
}
