//! The authorization matrix, by what comes back: two principals per role in
//! different jurisdictions, and for every endpoint that returns people or
//! records, exactly which rows each one receives. A missing row filter
//! (say, the jurisdiction filter of the people list) shows up here as a row
//! that should not be there, not as a status code that looks fine.

use crate::helpers::*;
use nimo_domain::{
    roles::{Role, Scope},
    service::accounts,
};

/// A signed-in principal: role, scope, display name (unique, to find in pages).
struct Principal<'a> {
    role: Role,
    scope: Scope,
    name: String,
    browser: Browser<'a>,
}

async fn principal<'a>(app: &'a TestApp, role: Role, code: &str, n: usize) -> Principal<'a> {
    let platform = &app.state.platform;
    let scope = if code == "national" { Scope::National } else { Scope::parse(code).unwrap() };
    let name = format!("行列{n} {}", role.name_ja());
    let email = format!("data-matrix-{n}@example.jp");
    let link = accounts::invite(platform, None, &email, &name, role, scope, None).await.unwrap();
    let invitation = link.split("token=").nth(1).unwrap();
    let address = "127.0.0.1".parse().unwrap();
    let session = accounts::accept_invitation(platform, invitation, "data matrix passphrase", address).await.unwrap();
    let mut browser = Browser::new(app);
    browser.cookies.push(("nimo_staff".to_owned(), session));
    Principal { role, scope, name, browser }
}

/// The demo sessions, their implementing bodies, and the learner in each.
const SESSIONS: [(&str, &str, &str); 3] =
    [("TOKYO1", "130001", "東京 受講者"), ("OSAKA2", "271004", "大阪 受講者"), ("KOBE03", "281000", "神戸 受講者")];

/// Written from the issue, not from the code: who runs a body's sessions.
fn runs(role: Role, scope: Scope, body: &str) -> bool {
    let body = Scope::parse(body).unwrap();
    match role {
        Role::Secretariat => true,
        Role::PrefectureStaff | Role::ImplementingBodyStaff => scope.contains(body),
        Role::MunicipalityStaff | Role::Instructor => false,
    }
}

#[tokio::test]
async fn each_principal_receives_exactly_the_rows_of_their_jurisdiction() {
    let app = spawn_app().await;
    for (code, _, name) in SESSIONS {
        let mut phone = Browser::new(&app);
        let (_, learn) = phone.submit("/api/join", &join_form(code, name, "新宿区")).await;
        assert_eq!(learn.status, 200, "{}", learn.body);
    }
    let plan = [
        (Role::Secretariat, "national"),
        (Role::Secretariat, "national"),
        (Role::PrefectureStaff, "130001"),
        (Role::PrefectureStaff, "270008"),
        (Role::ImplementingBodyStaff, "271004"),
        (Role::ImplementingBodyStaff, "281000"),
        (Role::MunicipalityStaff, "131041"),
        (Role::MunicipalityStaff, "131016"),
        (Role::Instructor, "131041"),
        (Role::Instructor, "271004"),
    ];
    let mut principals = Vec::new();
    for (n, (role, code)) in plan.into_iter().enumerate() {
        principals.push(principal(&app, role, code, n).await);
    }
    // The second instructor teaches OSAKA2 (assigned by 大阪市) and, below,
    // KOBE03 (by 神戸市); the first teaches nothing: an instructor of
    // other sessions.
    let osaka =
        principals.iter().find(|p| p.role == Role::ImplementingBodyStaff && p.scope == Scope::parse("271004").unwrap());
    let mut osaka_browser = Browser::new(&app);
    osaka_browser.cookies = osaka.unwrap().browser.cookies.clone();
    let (posted, _) = osaka_browser
        .submit("/api/staff/assign_instructor", &[("code", "OSAKA2"), ("email", "data-matrix-9@example.jp")])
        .await;
    assert_eq!(posted.location.as_deref(), Some("/staff/sessions?assigned=1"));
    // 謝金・旅費: 大阪市 pays its instructor for OSAKA2, 神戸市 the same
    // instructor for KOBE03; each note is one body's row.
    let (posted, _) = osaka_browser
        .submit(
            "/api/staff/record_payment",
            &[
                ("code", "OSAKA2"),
                ("person_id", &instructor_id(&app, "data-matrix-9@example.jp").await),
                ("honorarium", "10000"),
                ("note", "大阪謝金"),
            ],
        )
        .await;
    assert_eq!(posted.location.as_deref(), Some("/staff/sessions/OSAKA2/payments?saved=1"));
    let kobe =
        principals.iter().find(|p| p.role == Role::ImplementingBodyStaff && p.scope == Scope::parse("281000").unwrap());
    let mut kobe_browser = Browser::new(&app);
    kobe_browser.cookies = kobe.unwrap().browser.cookies.clone();
    kobe_browser
        .submit("/api/staff/assign_instructor", &[("code", "KOBE03"), ("email", "data-matrix-9@example.jp")])
        .await;
    let (posted, _) = kobe_browser
        .submit(
            "/api/staff/record_payment",
            &[
                ("code", "KOBE03"),
                ("person_id", &instructor_id(&app, "data-matrix-9@example.jp").await),
                ("travel", "2400"),
                ("note", "神戸旅費"),
            ],
        )
        .await;
    assert_eq!(posted.location.as_deref(), Some("/staff/sessions/KOBE03/payments?saved=1"));
    let everyone: Vec<(Role, Scope, String)> = principals.iter().map(|p| (p.role, p.scope, p.name.clone())).collect();
    let mut wrong = Vec::new();
    for p in &mut principals {
        // Rosters (page and CSV): a learner's name only to those who run the session.
        for (code, body, learner) in SESSIONS {
            let teaches = p.name.starts_with("行列9 ") && (code == "OSAKA2" || code == "KOBE03");
            let expected = runs(p.role, p.scope, body) || teaches;
            for path in [format!("/staff/sessions/{code}/roster"), format!("/staff/sessions/{code}/roster.csv")] {
                let page = p.browser.get(&path).await;
                // The CSV (with places of residence) is the body's, never an instructor's.
                let expected = expected && !(teaches && path.ends_with(".csv"));
                if page.body.contains(learner) != expected {
                    wrong.push(format!("{} ({}) {path}: {learner} shown={}", p.name, p.scope, !expected));
                }
            }
        }
        // The sessions list: the codes of the sessions one runs, no others.
        let list = p.browser.get("/staff/sessions").await;
        for (code, body, _) in SESSIONS {
            let shown = list.body.contains(&format!("・{code}）"));
            let teaches = p.name.starts_with("行列9 ") && (code == "OSAKA2" || code == "KOBE03");
            if shown != (runs(p.role, p.scope, body) || teaches) {
                wrong.push(format!("{} ({}) /staff/sessions: {code} shown={shown}", p.name, p.scope));
            }
        }
        // People of the principal's own jurisdiction: exactly those whose
        // role lies inside it, for the roles that oversee; nobody else.
        if let Scope::Local(code) = p.scope {
            let page = p.browser.get(&format!("/staff/j/{code}")).await;
            let oversees =
                matches!(p.role, Role::PrefectureStaff | Role::ImplementingBodyStaff | Role::MunicipalityStaff);
            for (_, scope, name) in &everyone {
                let expected = oversees && p.scope.contains(*scope);
                if page.body.contains(name.as_str()) != expected {
                    wrong.push(format!("{} ({}) /staff/j/{code}: {name} shown={}", p.name, p.scope, !expected));
                }
            }
        }
        // Payments: each body's lines only to those who run its sessions;
        // never to the instructor paid.
        let csv = p.browser.get("/staff/payments.csv").await;
        for (note, body, code) in [("大阪謝金", "271004", "OSAKA2"), ("神戸旅費", "281000", "KOBE03")] {
            let expected = runs(p.role, p.scope, body);
            if csv.body.contains(note) != expected {
                wrong.push(format!("{} ({}) /staff/payments.csv: {note} shown={}", p.name, p.scope, !expected));
            }
            let page = p.browser.get(&format!("/staff/sessions/{code}/payments")).await;
            if page.body.contains(note) != expected {
                wrong.push(format!(
                    "{} ({}) /staff/sessions/{code}/payments: {note} shown={}",
                    p.name, p.scope, !expected
                ));
            }
        }
        // The audit trail is one's own: nobody else's name or e-mail.
        let trail = p.browser.get("/staff/audit").await;
        for (n, other) in everyone.iter().enumerate() {
            let email = format!("data-matrix-{n}@example.jp");
            if other.2 != p.name && trail.body.contains(&email) {
                wrong.push(format!("{} /staff/audit shows {email}", p.name));
            }
        }
    }
    assert!(wrong.is_empty(), "rows that should not (or should) be there:\n{}", wrong.join("\n"));
}

async fn instructor_id(app: &TestApp, email: &str) -> String {
    use nimo_domain::store::entity::person;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    person::Entity::find()
        .filter(person::Column::Email.eq(email))
        .one(&app.state.platform.db)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string()
}
