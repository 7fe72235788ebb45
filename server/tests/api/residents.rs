//! Residents: claim a certificate with an e-mail, then sign in elsewhere
//! with a single-use link. No passwords.

use crate::helpers::*;

fn token_of(link: &str) -> String {
    link.split("token=").nth(1).unwrap().to_owned()
}

#[tokio::test]
async fn a_resident_claims_the_certificate_and_opens_it_on_another_phone() {
    let app = spawn_app().await;
    let email = format!("resident-{}@example.jp", app.address.rsplit(':').next().unwrap());
    let mut first_phone = Browser::new(&app);
    complete_course(&mut first_phone, "受講 良子", "新宿区").await;

    let (posted, page) = first_phone.submit("/api/claim_certificate", &[("email", &email)]).await;
    assert_eq!(posted.location.as_deref(), Some("/certificate?claim_sent=1"));
    assert!(page.body.contains("確認のメールを送りました"));
    let claim = link_in(&mail_to(&app, &email, "/my/link").await, &app, "/my/link");
    // Opening the link changes nothing until the tap (mail scanners open links).
    assert_eq!(first_phone.get(&claim).await.status, 200);
    let (used, _) = first_phone.submit("/api/use_resident_link", &[("token", &token_of(&claim))]).await;
    assert_eq!(used.location.as_deref(), Some("/learn"));

    // A new phone: ask for a link with the e-mail, tap it, see the certificate.
    let mut new_phone = Browser::new(&app);
    let (_, sent) = new_phone.submit("/api/resident_sign_in", &[("email", &email)]).await;
    assert!(sent.body.contains("ログイン用のリンクを送りました"));
    let (_, unknown) = new_phone.submit("/api/resident_sign_in", &[("email", "stranger@example.jp")]).await;
    assert!(unknown.body.contains("ログイン用のリンクを送りました"), "same answer for unknown addresses");
    let sign_in = link_in(&mail_to(&app, &email, "ログインします").await, &app, "/my/link");
    let (used, learn) = new_phone.submit("/api/use_resident_link", &[("token", &token_of(&sign_in))]).await;
    assert_eq!(used.location.as_deref(), Some("/learn"));
    assert!(learn.body.contains("受講 良子"));
    let certificate = new_phone.get("/certificate").await;
    assert_eq!(certificate.status, 200);
    assert!(certificate.body.contains("受講 良子 様"));
    // The first phone keeps working.
    assert_eq!(first_phone.get("/certificate").await.status, 200);

    // Links work once.
    let (_, again) = new_phone.submit("/api/use_resident_link", &[("token", &token_of(&sign_in))]).await;
    assert!(again.body.contains("このリンクは使えません"));
}

#[tokio::test]
async fn sign_in_links_are_rate_limited() {
    let app = spawn_app().await;
    let mut prober = Browser::new(&app);
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let (_, page) = prober.submit("/api/resident_sign_in", &[("email", "target@example.jp")]).await;
        statuses.push(page.status);
    }
    assert!(statuses[..10].iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(statuses[11], 429, "{statuses:?}");
}
