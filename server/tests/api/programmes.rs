//! The programmes as anyone reads them, from content alone: the list, each
//! curriculum with its 到達目標 and completion rule, and a programme added
//! as a folder appearing without a code change.

use crate::helpers::*;

/// Copies a folder tree (the shipped content, to add to it).
fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[tokio::test]
async fn the_four_programmes_are_listed_with_what_they_ask() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    let list = browser.get("/programmes").await;
    assert_eq!(list.status, 200);
    for title in
        ["心のサポーター養成研修", "心のサポーター指導者養成研修", "精神保健福祉相談員講習", "入院者訪問支援員養成研修"]
    {
        assert!(list.body.contains(title), "{title} is not listed");
    }
    assert!(list.body.contains("国家資格"), "the instructor course says who may take it");

    let counsellor = browser.get("/programmes/mental-health-counsellor").await;
    assert_eq!(counsellor.status, 200);
    assert_eq!(counsellor.body.matches("class=\"unit__title\"").count(), 11, "eleven subjects");
    assert!(counsellor.body.contains("1,320分（22時間）"));
    assert!(counsellor.body.contains("到達目標"));
    assert!(counsellor.body.contains("本サイトの案"), "the draft is marked as one");
    assert!(counsellor.body.contains("一部の単元だけの受講も記録されますが、修了証はすべてを終えたときに発行されます"));
    assert!(counsellor.body.contains("動画（オンデマンド）"), "lectures may be video");

    let visitor = browser.get("/programmes/inpatient-visitor").await;
    assert!(visitor.body.contains("演習・60分・対面"), "exercises are in person");
    assert!(visitor.body.contains("選任"), "what follows completion");
    assert!(visitor.body.contains("当日の出席が記録されていること"));

    let supporter = browser.get("/programmes/kokoro-supporter").await;
    assert!(supporter.body.contains("選択内容（実施する自治体が選びます）"));
    assert!(supporter.body.contains("最後の確認テスト（5問）で4問以上正解すること"));

    let unknown = browser.get("/programmes/no-such-course").await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.body.contains("その研修はありません"));
    let hostile = browser.get("/programmes/%3Cscript%3E").await;
    assert_eq!(hostile.status, 404);
    assert!(!hostile.body.contains("<script>"));
}

#[tokio::test]
async fn the_home_page_is_about_the_programme_with_the_national_target() {
    let app = spawn_app().await;
    let home = Browser::new(&app).get("/").await;
    assert!(home.body.contains("心のサポーターになろう"));
    assert!(home.body.contains("全国の心のサポーター"));
    assert!(home.body.contains("研修の内容（120分）"));
    assert!(
        home.body
            .contains("すべての会場で学ぶ共通内容（90分）と、選択内容（実施する自治体が選びます）（30分）があります。")
    );
    assert!(home.body.contains("href=\"/programmes\""));
}

#[tokio::test]
async fn a_programme_added_as_a_folder_is_listed_and_validated() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_dir(&workspace_root().join("content"), &content);
    let folder = content.join("programmes/peer-supporter");
    copy_dir(&content.join("programmes/kokoro-instructor"), &folder);
    let plan = std::fs::read_to_string(folder.join("programme.toml")).unwrap();
    let plan = plan
        .replace("id = \"kokoro-instructor\"", "id = \"peer-supporter\"")
        .replace("title = \"心のサポーター指導者養成研修\"", "title = \"ピアサポーター養成研修（試行）\"")
        .replace("certificate_code = 2", "certificate_code = 5")
        .replace("number_prefix = \"KI\"", "number_prefix = \"PS\"");
    std::fs::write(folder.join("programme.toml"), &plan).unwrap();
    let data = dir.path().join("data");
    let app = spawn_app_configured(&data, |settings| settings.content_dir = content.clone()).await.unwrap();
    let mut browser = Browser::new(&app);
    let list = browser.get("/programmes").await;
    assert!(list.body.contains("ピアサポーター養成研修（試行）"), "the new folder is listed");
    let page = browser.get("/programmes/peer-supporter").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("到達目標"));

    // The same checks hold for it: a second programme with its code is refused at start-up.
    std::fs::write(folder.join("programme.toml"), plan.replace("certificate_code = 5", "certificate_code = 1"))
        .unwrap();
    let refused =
        spawn_app_configured(&dir.path().join("data2"), |settings| settings.content_dir = content.clone()).await;
    let Err(error) = refused else { panic!("a programme reusing certificate code 1 started") };
    assert!(error.to_string().contains("peer-supporter/programme.toml: `certificate_code`"), "{error}");
}

#[tokio::test]
async fn a_stored_value_that_names_nothing_is_an_error_not_a_default() {
    use nimo_domain::store::entity::{course_session, role_grant};
    use sea_orm::{ConnectionTrait, EntityTrait};
    let app = spawn_app().await;
    let db = &app.state.platform.db;
    let link =
        nimo_server::invite_first_secretariat(&app.state.platform, "values@example.jp", "値 検査").await.unwrap();
    let token = link.split("token=").nth(1).unwrap().to_owned();
    nimo_domain::service::accounts::accept_invitation(
        &app.state.platform,
        &token,
        "stored values 2026",
        "127.0.0.1".parse().unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(role_grant::Entity::find().all(db).await.unwrap().len(), 1);
    db.execute_unprepared("UPDATE role_grant SET role = 'admin'").await.unwrap();
    assert!(role_grant::Entity::find().all(db).await.is_err(), "an unknown role is not read as some role");
    db.execute_unprepared("UPDATE course_session SET programme = 'Kokoro Supporter' WHERE code = 'TOKYO1'")
        .await
        .unwrap();
    assert!(course_session::Entity::find().all(db).await.is_err(), "a programme id that is not an id is an error");
}

#[tokio::test]
async fn start_up_refuses_content_that_would_orphan_stored_certificates() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_dir(&workspace_root().join("content"), &content);
    let data = dir.path().join("data");
    {
        let app = spawn_app_configured(&data, |settings| settings.content_dir = content.clone()).await.unwrap();
        let mut phone = Browser::new(&app);
        complete_course(&mut phone, "保管 確認", "新宿区").await;
    }
    // The code signed into the issued certificates changes: refused.
    let plan = content.join("programmes/kokoro-supporter/programme.toml");
    let original = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, original.replace("certificate_code = 1", "certificate_code = 7")).unwrap();
    let Err(error) = spawn_app_configured(&data, |settings| settings.content_dir = content.clone()).await else {
        panic!("a changed certificate code was accepted")
    };
    assert!(error.to_string().contains("kokoro-supporter/programme.toml: `certificate_code`: is 7"), "{error}");
    // A session of a programme whose folder is gone: refused, naming it.
    std::fs::write(&plan, &original).unwrap();
    let app = spawn_app_configured(&data, |settings| settings.content_dir = content.clone()).await.unwrap();
    use sea_orm::ConnectionTrait;
    app.state
        .platform
        .db
        .execute_unprepared("UPDATE course_session SET programme = 'kokoro-instructor' WHERE code = 'OSAKA2'")
        .await
        .unwrap();
    drop(app);
    std::fs::remove_dir_all(content.join("programmes/kokoro-instructor")).unwrap();
    let Err(error) = spawn_app_configured(&data, |settings| settings.content_dir = content.clone()).await else {
        panic!("a session of a missing programme was accepted")
    };
    assert!(error.to_string().contains("`kokoro-instructor`, but content has no such programme"), "{error}");
}

#[tokio::test]
async fn where_to_turn_is_one_tap_from_every_page_and_lists_every_checked_contact() {
    let app = spawn_app().await;
    let contacts = &app.state.platform.content.crisis_contacts;
    assert!(contacts.contacts.len() >= 8, "the shipped list");
    for contact in &contacts.contacts {
        assert!(
            !contact.source_url.is_empty() && contact.checked_on.len() == 10,
            "{} has a source and a date",
            contact.id
        );
    }
    let mut phone = Browser::new(&app);
    let help = phone.get("/help").await;
    assert_eq!(help.status, 200);
    for contact in &contacts.contacts {
        assert!(help.body.contains(&contact.name.replace('&', "&amp;")), "{} is listed", contact.name);
        if let Some(tel) = contact.tel() {
            assert!(help.body.contains(&format!("href=\"{tel}\"")), "{tel} can be tapped");
        }
    }
    for path in ["/", "/sessions", "/programmes", "/join?code=TOKYO1"] {
        assert!(phone.get(path).await.body.contains("href=\"/help\""), "{path} links to the contacts");
    }
    phone.submit("/api/join", &join_form("TOKYO1", "相談 先子", "新宿区")).await;
    let learn = phone.get("/learn").await;
    assert!(learn.body.contains("data-testid=\"crisis-link\"") && learn.body.contains("data-testid=\"crisis-block\""));
}

#[test]
fn the_four_steps_end_in_telling_where_to_turn_and_every_group_learns_the_secrecy_rule() {
    let content = nimo_domain::service::Content::load(&workspace_root().join("content")).unwrap();
    let course = content.programme(&"kokoro-supporter".parse().unwrap()).unwrap();
    let text_of = |id: &str| format!("{:?}", course.units().find(|u| u.id == id).unwrap());
    let steps = text_of("four-steps");
    assert!(
        steps.contains("サポート手段を伝える") && steps.contains("決めるのは本人"),
        "step 4 is the programme's wording"
    );
    assert!(
        steps.contains("秘密にすると約束しない")
            && steps.contains("ひとりにしない")
            && steps.contains("信頼できる大人")
    );
    for id in ["knowledge", "four-steps", "group-work", "elective-self-care"] {
        assert!(text_of(id).contains("途中で休んでかまいません"), "{id} starts with the wellbeing note");
    }
}
