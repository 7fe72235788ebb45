//! Bad input gets a clear Japanese answer, keeps what was typed, and never
//! reaches a server error; one learner never sees another's records.

use crate::helpers::*;

#[tokio::test]
async fn an_unknown_session_code_is_explained() {
    let app = spawn_app().await;
    let page = Browser::new(&app).get("/join?code=NOPE99").await;
    assert_eq!(page.status, 404);
    assert!(page.body.contains("受講コード「NOPE99」の研修が見つかりません"));
}

#[tokio::test]
async fn an_ambiguous_municipality_asks_for_the_prefecture_and_keeps_the_name() {
    let app = spawn_app().await;
    let mut phone = Browser::new(&app);
    let (posted, page) = phone.submit("/api/join", &join_form("TOKYO1", "田中 三郎", "府中市")).await;
    assert_eq!(posted.location.as_deref(), Some("/join?code=TOKYO1"));
    assert_eq!(page.status, 422);
    assert!(page.body.contains("東京都府中市") && page.body.contains("広島県府中市"), "{}", page.body);
    assert!(page.body.contains(r#"value="田中 三郎""#), "the typed name is kept");
    // The message is shown once.
    assert!(!phone.get("/join?code=TOKYO1").await.body.contains("広島県府中市"));
    let (posted, _) = phone.submit("/api/join", &join_form("TOKYO1", "田中 三郎", "東京都府中市")).await;
    assert_eq!(posted.location.as_deref(), Some("/learn"));
}

#[tokio::test]
async fn an_empty_or_too_long_name_is_refused_in_japanese() {
    let app = spawn_app().await;
    let mut phone = Browser::new(&app);
    let (_, page) = phone.submit("/api/join", &join_form("TOKYO1", "  ", "新宿区")).await;
    assert!(page.body.contains("お名前を入力してください"));
    let long = "あ".repeat(41);
    let (_, page) = phone.submit("/api/join", &join_form("TOKYO1", &long, "新宿区")).await;
    assert!(page.body.contains("40文字以内"));
    assert!(phone.cookies.iter().all(|(k, _)| k != "nimo_learner"), "nothing was registered");
}

#[tokio::test]
async fn pages_of_a_learner_need_their_cookie() {
    let app = spawn_app().await;
    let mut stranger = Browser::new(&app);
    for path in ["/learn", "/learn/check", "/certificate", "/learn/m/intro"] {
        let page = stranger.get(path).await;
        assert_eq!(page.status, 401, "{path}");
        assert!(page.body.contains("受講コードから始めてください"), "{path}");
    }
    stranger.cookies.push(("nimo_learner".into(), "forged-token".into()));
    assert_eq!(stranger.get("/learn").await.status, 401);
    // Another learner's module ids do not help either.
    let posted = stranger.post_form("/api/complete_module", &[("module_id", "intro")]).await;
    assert_eq!(posted.location.as_deref(), Some("/learn/m/intro"));
}

#[tokio::test]
async fn a_module_outside_the_plan_is_not_found() {
    let app = spawn_app().await;
    let mut phone = Browser::new(&app);
    phone.submit("/api/join", &join_form("TOKYO1", "伊藤", "新宿区")).await;
    // TOKYO1 teaches the self-care elective, not the young-people one.
    assert_eq!(phone.get("/learn/m/elective-young-people").await.status, 404);
    assert_eq!(phone.get("/learn/m/..%2F..%2Fetc%2Fpasswd").await.status, 404);
}

#[tokio::test]
async fn garbage_verification_urls_are_refused_never_errors() {
    let app = spawn_app().await;
    let mut stranger = Browser::new(&app);
    let long = "A".repeat(5000);
    for token in ["", "x", "%00", "%E3%81%82", "....", &long, "AAAA%2FAAAA", "<script>alert(1)</script>"] {
        let page = stranger.get(&format!("/v/{token}")).await;
        assert!(page.status == 404, "token {token:.20}: status {}", page.status);
        assert!(page.body.contains("確認できません"), "token {token:.20}");
    }
}

#[tokio::test]
async fn app_errors_have_a_stable_wire_format() {
    use nimo_app::error::AppError;
    let json = serde_json::to_string(&AppError::Validation { field: "name".into(), message: "x".into() }).unwrap();
    assert_eq!(json, r#"{"error":"validation","detail":{"field":"name","message":"x"}}"#);
    assert_eq!(serde_json::to_string(&AppError::NoLearner).unwrap(), r#"{"error":"no_learner"}"#);
}

#[tokio::test]
async fn the_municipality_search_finds_by_kana_and_name() {
    let app = spawn_app().await;
    // As the island's fetch asks: for JSON.
    let page = Browser::new(&app).get_json("/api/municipalities?query=%E3%81%B5%E3%81%A1%E3%82%85%E3%81%86").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("東京都府中市") && page.body.contains("広島県府中市"), "{}", page.body);
}
