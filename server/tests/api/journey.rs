//! The resident's journey over HTTP, and what each step must show.

use crate::helpers::*;

#[tokio::test]
async fn health_and_national_stats_answer() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    assert_eq!(browser.get("/healthz").await.status, 200);
    let stats = browser.get("/api/v1/stats/national").await;
    assert_eq!(stats.status, 200);
    let json: serde_json::Value = serde_json::from_str(&stats.body).unwrap();
    assert_eq!(json["supporters"], 0);
    assert_eq!(json["target"], 1_000_000);
    assert_eq!(json["target_fiscal_year"], 2033);
    let as_of = json["as_of"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(as_of).is_ok(), "as_of must be RFC 3339: {as_of}");
}

#[tokio::test]
async fn a_resident_completes_the_course_and_the_certificate_verifies() {
    let app = spawn_app().await;
    let mut phone = Browser::new(&app);

    let home = phone.get("/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("全国の心のサポーター"));
    assert!(home.body.contains(r#"data-testid="national-count">0<"#), "count starts at 0");
    assert!(home.body.contains("令和15年度"));
    assert!(!home.body.contains("/pkg/nimo.js"), "the home page has no island and must load no script");

    let join = phone.get("/join?code=tokyo1").await;
    assert_eq!(join.status, 200);
    assert!(join.body.contains("東京都"), "shows the implementing body");
    assert!(join.body.contains("/pkg/nimo.js"), "the join page hydrates its picker island");

    let (posted, learn) = phone.submit("/api/join", &join_form("TOKYO1", "山田 花子", "しんじゅくく")).await;
    assert_eq!(posted.location.as_deref(), Some("/learn"));
    let cookie = posted.set_cookies.iter().find(|c| c.starts_with("nimo_learner=")).expect("learner cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    assert!(learn.body.contains("山田 花子"));
    assert!(learn.body.contains("東京都新宿区"), "residence resolved from kana");
    assert!(learn.body.contains(">0 / 8<"), "7 modules + the self-check, none done");

    let plan = tokyo1_plan(&app);
    assert_eq!(plan.len(), 7);
    let (first, next_page) = phone.submit("/api/complete_module", &[("module_id", &plan[0])]).await;
    assert_eq!(first.location, Some(format!("/learn/m/{}", plan[1])));
    assert!(next_page.body.contains(">1 / 8<"));

    // Progress is on the server: a new visit to the course page shows it.
    let again = phone.get("/learn").await;
    assert!(again.body.contains(">1 / 8<"), "progress survives a reload");

    // The self-check is refused while modules remain.
    let early = phone
        .post_form(
            "/api/submit_self_check",
            &correct_answers(&app).iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(early.location.as_deref(), Some("/learn/check"));
    let refused = phone.get("/learn/check").await;
    assert!(refused.body.contains("まだ終わっていない単元があります"));

    for module in &plan[1..] {
        phone.submit("/api/complete_module", &[("module_id", module)]).await;
    }
    // A wrong attempt is kept and explained, and does not certify.
    let wrong: Vec<(String, String)> =
        correct_answers(&app).into_iter().map(|(k, v)| (k, if v == "0" { "1".into() } else { "0".into() })).collect();
    let wrong_fields: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (posted, check) = phone.submit("/api/submit_self_check", &wrong_fields).await;
    assert_eq!(posted.location.as_deref(), Some("/learn/check#result"));
    assert!(check.body.contains("前回の結果：5問中0問正解"), "{}", check.body);
    let not_yet = phone.get("/certificate").await;
    assert_eq!(not_yet.status, 404, "no certificate before passing: {}", not_yet.body);

    let answers = correct_answers(&app);
    let fields: Vec<(&str, &str)> = answers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    // The old scripted path (code, modules, self-check) with no attendance
    // gives no certificate and leaves the national count where it was.
    let (posted, learn) = phone.submit("/api/submit_self_check", &fields).await;
    assert_eq!(posted.location.as_deref(), Some("/learn"));
    assert!(learn.body.contains("出席の記録が確かめられると認定証が発行されます"), "{}", learn.body);
    assert_eq!(phone.get("/certificate").await.status, 404, "clicking through earns nothing");
    let stats = phone.get("/api/v1/stats/national").await;
    assert!(stats.body.contains("\"supporters\":0"), "{}", stats.body);

    // Attended (the instructor's roster) and the session closed: issued.
    attend(&phone).await;
    assert_eq!(close_session(&app, "TOKYO1").await, 1, "exactly the one who completed");
    let certificate = phone.get("/certificate").await;
    assert_eq!(certificate.status, 200, "{}", certificate.body);
    assert!(certificate.body.contains("山田 花子 様"));
    assert!(certificate.body.contains("心のサポーター養成研修"));
    let today = chrono::Utc::now().with_timezone(&nimo_domain::service::support::clock::jst()).date_naive();
    assert!(certificate.body.contains(&nimo_domain::wareki::format_date(today)), "和暦 with 西暦");
    assert!(certificate.body.contains("<svg"), "QR code on screen");

    let stats = phone.get("/api/v1/stats/national").await;
    let json: serde_json::Value = serde_json::from_str(&stats.body).unwrap();
    assert_eq!(json["supporters"], 1, "the national count rose by one");
    assert!(phone.get("/").await.body.contains(r#"data-testid="national-count">1<"#));

    // Anyone, with no cookie, can verify.
    let url = verify_url(&certificate.body);
    let mut stranger = Browser::new(&app);
    let verified = stranger.get(&url).await;
    assert_eq!(verified.status, 200);
    assert!(verified.body.contains("確認できました"));
    assert!(verified.body.contains("山田 花子"));
    assert!(
        !verified.body.contains("/pkg/nimo.js") && !verified.body.contains(".wasm"),
        "the verify page loads no JS or WASM"
    );

    // One changed character anywhere in the token: refused, never an error.
    let token_start = url.find("/v/").unwrap() + 3;
    for position in [token_start, token_start + 37, url.len() - 1] {
        let mut tampered = url.clone();
        let original = tampered.as_bytes()[position];
        let replacement = if original == b'A' { "B" } else { "A" };
        tampered.replace_range(position..=position, replacement);
        let refused = stranger.get(&tampered).await;
        assert_eq!(refused.status, 404, "tampered at {position}");
        assert!(refused.body.contains("確認できません"));
    }
}

#[tokio::test]
async fn the_certificate_png_carries_the_verify_url_and_is_private() {
    let app = spawn_app().await;
    if app.state.platform.certificate_font.is_none() {
        panic!(
            "a Japanese font must be installed for certificate images (the setup script installs fonts-ipaexfont-gothic)"
        );
    }
    let mut phone = Browser::new(&app);
    complete_course(&mut phone, "佐藤 太郎", "大阪市").await;
    let png = phone.get("/certificate.png").await;
    assert_eq!(png.status, 200);
    assert_eq!(png.content_type, "image/png");
    assert_eq!(&png.bytes[..8], b"\x89PNG\r\n\x1a\n");
    let image = image_size(&png.bytes);
    assert_eq!(image, (1240, 1754), "A4 proportions");
    let mut stranger = Browser::new(&app);
    let refused = stranger.get("/certificate.png").await;
    assert_eq!(refused.status, 401, "only the holder downloads the image");
}

fn image_size(png: &[u8]) -> (u32, u32) {
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    (width, height)
}

#[tokio::test]
async fn certificates_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let url = {
        let app = spawn_app_in(dir.path()).await;
        let mut phone = Browser::new(&app);
        let certificate = complete_course(&mut phone, "鈴木 一郎", "札幌市").await;
        verify_url(&certificate.body)
    };
    // A new server on the same data directory: same key, same records.
    let restarted = spawn_app_in(dir.path()).await;
    let token = &url[url.find("/v/").unwrap()..];
    let verified = Browser::new(&restarted).get(token).await;
    assert_eq!(verified.status, 200);
    assert!(verified.body.contains("鈴木 一郎"));
    let stats = Browser::new(&restarted).get("/api/v1/stats/national").await;
    assert!(stats.body.contains(r#""supporters":1"#));
    assert!(restarted.data_dir.join("certificate-signing.key").exists());
}

#[tokio::test]
async fn the_public_key_verifies_a_token_offline() {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let app = spawn_app().await;
    let mut phone = Browser::new(&app);
    let certificate = complete_course(&mut phone, "高橋 次郎", "那覇市").await;
    let url = verify_url(&certificate.body);
    let token = URL_SAFE_NO_PAD.decode(&url[url.find("/v/").unwrap() + 3..]).unwrap();
    let keys = phone.get("/.well-known/nimo-certificate-keys.json").await;
    let json: serde_json::Value = serde_json::from_str(&keys.body).unwrap();
    let x = URL_SAFE_NO_PAD.decode(json["keys"][0]["x"].as_str().unwrap()).unwrap();
    let key = ed25519_dalek::VerifyingKey::from_bytes(&x.try_into().unwrap()).unwrap();
    let (claims, signature) = token.split_at(11);
    let message = [b"nimo-certificate-v1\0".as_slice(), claims].concat();
    let signature = ed25519_dalek::Signature::from_slice(signature).unwrap();
    assert!(key.verify_strict(&message, &signature).is_ok(), "published key verifies the QR token");
}

#[tokio::test]
async fn a_session_poster_shows_the_code_and_a_qr_of_the_join_url() {
    let app = spawn_app().await;
    let poster = Browser::new(&app).get("/s/tokyo1").await;
    assert_eq!(poster.status, 200);
    assert!(poster.body.contains(r#"data-testid="session-code">TOKYO1<"#));
    assert!(poster.body.contains(&format!("{}/join?code=TOKYO1", app.address)));
    assert!(poster.body.contains("<svg"));
    assert_eq!(Browser::new(&app).get("/s/NOPE").await.status, 404);
}
