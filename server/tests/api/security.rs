//! Headers, cookies, cross-origin refusals and rate limits.

use crate::helpers::*;

#[tokio::test]
async fn pages_carry_a_nonce_csp_and_the_other_security_headers() {
    let app = spawn_app().await;
    let page = Browser::new(&app).get("/join?code=TOKYO1").await;
    let csp = Browser::header(&page, "content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let script_src = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap();
    assert!(!script_src.contains("unsafe-inline"), "{csp}");
    let nonce = script_src.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(page.body.contains(&format!(r#"nonce="{nonce}""#)), "scripts carry the header's nonce");
    assert!(page.body.matches("<script").count() == page.body.matches(&format!(r#"nonce="{nonce}""#)).count());
    assert_eq!(Browser::header(&page, "x-content-type-options"), "nosniff");
    assert_eq!(Browser::header(&page, "referrer-policy"), "same-origin");
    assert_eq!(Browser::header(&page, "cache-control"), "no-store");
    assert_eq!(Browser::header(&page, "strict-transport-security"), "", "no HSTS over plain http");
    let other = Browser::new(&app).get("/join?code=TOKYO1").await;
    assert_ne!(Browser::header(&other, "content-security-policy"), csp, "a new nonce per response");

    let json = Browser::new(&app).get("/api/v1/stats/national").await;
    assert!(Browser::header(&json, "content-security-policy").contains("frame-ancestors 'none'"));
    assert_eq!(Browser::header(&json, "x-content-type-options"), "nosniff");
}

#[tokio::test]
async fn over_https_the_learner_cookie_is_host_bound_and_hsts_is_sent() {
    let app = spawn_app_behind("https://kokoro.example.jp").await;
    let mut phone = Browser::new(&app);
    let home = phone.get("/").await;
    assert_eq!(Browser::header(&home, "strict-transport-security"), "max-age=63072000; includeSubDomains");
    let posted = phone
        .post_form_from("/api/join", &join_form("TOKYO1", "山本", "新宿区"), &[("origin", "https://kokoro.example.jp")])
        .await;
    let cookie = posted.set_cookies.iter().find(|c| c.starts_with("__Host-nimo_learner=")).expect("__Host- cookie");
    for attribute in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    assert!(!cookie.contains("Domain"), "__Host- cookies carry no Domain");
    let token = cookie.split(';').next().unwrap().split_once('=').unwrap().1;
    assert!(token.len() >= 43, "at least 256 random bits, base64url");
}

#[tokio::test]
async fn state_changes_from_other_sites_are_refused() {
    let app = spawn_app().await;
    let mut phone = Browser::new(&app);
    let fields = [
        ("code", "TOKYO1"),
        ("name", "攻撃 テスト"),
        ("municipality", "新宿区"),
        ("furigana", "テスト"),
        ("consent", "yes"),
    ];
    let forged = phone.post_form_from("/api/join", &fields, &[("origin", "https://evil.example")]).await;
    assert_eq!(forged.status, 403);
    assert!(forged.body.contains("別のサイトからの送信は受け付けていません"));
    let fetched = phone.post_form_from("/api/join", &fields, &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(fetched.status, 403);
    assert!(phone.cookies.is_empty(), "nothing was registered");
    let own = phone.post_form("/api/join", &fields).await;
    assert_eq!(own.location.as_deref(), Some("/learn"), "our own pages still work");
}

#[tokio::test]
async fn certificate_lookups_are_rate_limited_per_address() {
    let app = spawn_app().await;
    let mut prober = Browser::new(&app);
    let mut limited = None;
    // Bounded: the limit is 60 at once, so at most 80 requests are sent.
    for attempt in 0..80 {
        let page = prober.get(&format!("/v/guess{attempt}")).await;
        if page.status == 429 {
            limited = Some((attempt, page));
            break;
        }
        assert_eq!(page.status, 404);
    }
    let (attempt, page) = limited.expect("no 429 after 80 look-ups");
    assert!(attempt >= 60, "a classroom's worth of look-ups passes first (limited at {attempt})");
    assert_eq!(Browser::header(&page, "retry-after"), "60");
    assert!(page.body.contains("1分ほど待ってから"));
    // Other pages are not limited by it.
    assert_eq!(prober.get("/").await.status, 200);
}
