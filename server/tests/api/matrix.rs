//! The authorization matrix: every page route, server function and plain
//! route the router has, called as every kind of user, for their own and
//! another jurisdiction, against the rule the platform must follow.
//!
//! The endpoints come from the router itself (Leptos's route list, the
//! server-function registry, `plain_routes`), not from a list kept here: a
//! new endpoint without a rule below makes this test fail.

use crate::helpers::*;
use leptos::server_fn::axum::server_fn_paths;
use nimo_domain::{
    roles::{Role, Scope},
    service::accounts,
};
use std::collections::BTreeSet;

/// Who may call an endpoint, as the issue specifies.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// Anyone, signed in or not.
    Public,
    /// A resident with a learner cookie; they only ever reach their own records.
    Learner,
    /// Any signed-in staff member (their own data only).
    Staff,
    /// Staff who oversee the target jurisdiction.
    Oversees,
    /// Staff who may invite below them into the target jurisdiction.
    Invites,
    /// Staff who oversee the implementing body of the target session.
    RunsSessions,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    Learner,
    Staff(Role),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Own,
    Other,
}

/// The rule and a sample request of every endpoint. `{own}` / `{other}`
/// stand for the caller's and another jurisdiction; `{token}` for a real
/// certificate token; `{role}` for the role to invite.
fn rule_of(path: &str) -> Option<(Rule, &'static str, &'static str)> {
    Some(match path {
        "/" => (Rule::Public, "GET", "/"),
        "/join" => (Rule::Public, "GET", "/join?code=TOKYO1"),
        "/programmes" => (Rule::Public, "GET", "/programmes"),
        "/help" => (Rule::Public, "GET", "/help"),
        "/api/crisis_contacts" => (Rule::Public, "POST", ""),
        "/sessions" => (Rule::Public, "GET", "/sessions?prefecture=13"),
        "/sessions/:code" => (Rule::Public, "GET", "/sessions/TOKYO1"),
        "/sessions/{code}/calendar.ics" => (Rule::Public, "GET", "/sessions/TOKYO1/calendar.ics"),
        "/calendars/{body}" => (Rule::Public, "GET", "/calendars/130001.ics"),
        "/api/find_sessions" => (Rule::Public, "POST", "prefecture=13&programme=&format=&from=&until="),
        "/api/public_session" => (Rule::Public, "POST", "code=TOKYO1"),
        "/programmes/:id" => (Rule::Public, "GET", "/programmes/mental-health-counsellor"),
        "/api/programmes" => (Rule::Public, "POST", ""),
        "/api/programme" => (Rule::Public, "POST", "id=inpatient-visitor"),
        "/api/featured_programme" => (Rule::Public, "POST", ""),
        "/s/:code" => (Rule::Public, "GET", "/s/TOKYO1"),
        "/v/:token" => (Rule::Public, "GET", "/v/{token}"),
        "/learn" => (Rule::Learner, "GET", "/learn"),
        "/learn/m/:module_id" => (Rule::Learner, "GET", "/learn/m/intro"),
        "/learn/check" => (Rule::Learner, "GET", "/learn/check"),
        "/certificate" => (Rule::Learner, "GET", "/certificate"),
        "/my" => (Rule::Public, "GET", "/my"),
        "/my/link" => (Rule::Public, "GET", "/my/link?token=unknown"),
        "/api/claim_certificate" => (Rule::Learner, "POST", "email=claim{n}%40example.jp"),
        "/api/resident_sign_in" => (Rule::Public, "POST", "email=nobody%40example.jp"),
        "/api/use_resident_link" => (Rule::Public, "POST", "token=unknown"),
        "/staff" => (Rule::Staff, "GET", "/staff"),
        "/staff/sign-in" => (Rule::Public, "GET", "/staff/sign-in"),
        "/staff/invite" => (Rule::Staff, "GET", "/staff/invite"),
        "/staff/accept" => (Rule::Public, "GET", "/staff/accept?token=unknown"),
        "/staff/j/:code" => (Rule::Oversees, "GET", "/staff/j/{target}"),
        "/staff/sessions/:code/checkin" => (Rule::RunsSessions, "GET", "/staff/sessions/{session}/checkin"),
        "/api/staff/check_in_screen" => (Rule::RunsSessions, "POST", "code={session}&part=1&direction=in"),
        "/api/staff/close_session" => (Rule::RunsSessions, "POST", "code={session}"),
        "/staff/sessions" => (Rule::Staff, "GET", "/staff/sessions"),
        "/staff/sessions/new" => (Rule::Staff, "GET", "/staff/sessions/new"),
        "/api/staff/sessions" => (Rule::Staff, "POST", ""),
        "/api/staff/create_session" => (
            Rule::RunsSessions,
            "POST",
            "title=m{n}&programme=kokoro-supporter&elective=elective-self-care&body={session_body}&parts[0][date]=2030-01-10&parts[0][starts]=14:00&parts[0][ends]=16:00&parts[0][mode]=in_person&parts[0][place]=x",
        ),
        "/api/staff/publish_session" => (Rule::RunsSessions, "POST", "code={session}"),
        "/api/staff/assign_instructor" => (Rule::RunsSessions, "POST", "code={session}&email=nobody%40example.jp"),
        "/staff/sessions/:code/roster" => (Rule::RunsSessions, "GET", "/staff/sessions/{session}/roster"),
        "/staff/sessions/{code}/roster.csv" => (Rule::RunsSessions, "GET", "/staff/sessions/{session}/roster.csv"),
        "/api/staff/roster" => (Rule::RunsSessions, "POST", "code={session}"),
        "/api/staff/mark_present" => (Rule::RunsSessions, "POST", "code={session}&enrollment=1&part=1"),
        "/api/staff/cancel_session" => (Rule::RunsSessions, "POST", "code={session}&reason="),
        "/api/staff/add_walk_in" => (Rule::RunsSessions, "POST", "code={session}&name=&furigana=&municipality="),
        "/api/staff/correct_name" => (Rule::RunsSessions, "POST", "code={session}&enrollment=999999&name=x"),
        "/api/staff/walk_in_link" => (Rule::RunsSessions, "POST", "code={session}&enrollment=999999"),
        "/api/staff/payments" => (Rule::RunsSessions, "POST", "code={session}"),
        "/api/staff/record_payment" => (Rule::RunsSessions, "POST", "code={session}&person_id=999999"),
        "/staff/sessions/:code/payments" => (Rule::RunsSessions, "GET", "/staff/sessions/{session}/payments"),
        // Any staff member; the lines are only those of bodies they run
        // (asserted row by row in matrix_data).
        "/staff/payments.csv" => (Rule::Staff, "GET", "/staff/payments.csv"),
        // A registration's mailed link is the credential; a bad one is 404.
        "/my/registration" => (Rule::Public, "GET", "/my/registration?token=unknown"),
        "/api/registration" => (Rule::Public, "POST", "token=unknown"),
        "/api/accept_offer" => (Rule::Public, "POST", "token=unknown"),
        "/api/cancel_registration" => (Rule::Public, "POST", "token=unknown"),
        "/api/use_registration_here" => (Rule::Public, "POST", "token=unknown"),
        "/api/correct_my_name" => (Rule::Learner, "POST", "name=%E8%A1%8C%E5%88%97%20%E8%8A%B1%E5%AD%90"),
        "/api/check_in_online" => (Rule::Learner, "POST", "code=000000"),
        "/api/staff/confirm_online" => (Rule::RunsSessions, "POST", "code={session}&enrollment=999999&part=1"),
        "/checkin/:token" => (Rule::Public, "GET", "/checkin/unknown"),
        "/api/check_in" => (Rule::Learner, "POST", "token={checkin}"),
        "/my/attendance" => (Rule::Learner, "GET", "/my/attendance"),
        "/api/my_attendance" => (Rule::Learner, "POST", ""),
        "/staff/audit" => (Rule::Staff, "GET", "/staff/audit"),
        "/staff/forgot" => (Rule::Public, "GET", "/staff/forgot"),
        "/staff/reset" => (Rule::Public, "GET", "/staff/reset?token=unknown"),
        "/healthz" => (Rule::Public, "GET", "/healthz"),
        "/api/v1/stats/national" => (Rule::Public, "GET", "/api/v1/stats/national"),
        "/certificate.png" => (Rule::Learner, "GET", "/certificate.png"),
        "/.well-known/nimo-certificate-keys.json" => (Rule::Public, "GET", "/.well-known/nimo-certificate-keys.json"),
        "/api/national_stats" => (Rule::Public, "POST", ""),
        "/api/session_info" => (Rule::Public, "POST", "code=TOKYO1"),
        "/api/session_poster" => (Rule::Public, "POST", "code=TOKYO1"),
        "/api/join" => (
            Rule::Public,
            "POST",
            "code=TOKYO1&name=matrix&municipality=%E6%96%B0%E5%AE%BF%E5%8C%BA&furigana=%E3%83%86%E3%82%B9%E3%83%88&consent=yes",
        ),
        "/api/municipalities" => (Rule::Public, "GET", "query=shin"),
        "/api/my_course" => (Rule::Learner, "POST", ""),
        "/api/my_module" => (Rule::Learner, "POST", "module_id=intro"),
        "/api/complete_module" => (Rule::Learner, "POST", "module_id=intro"),
        "/api/my_self_check" => (Rule::Learner, "POST", ""),
        "/api/submit_self_check" => (Rule::Learner, "POST", "answers[q1]=0"),
        "/api/my_certificate" => (Rule::Learner, "POST", ""),
        "/api/verify_certificate" => (Rule::Public, "POST", "token={token}"),
        "/api/staff/sign_in" => (Rule::Public, "POST", "email=nobody%40example.jp&password=wrong-password"),
        "/api/staff/sign_out" => (Rule::Public, "POST", ""),
        "/api/staff/home" => (Rule::Staff, "POST", ""),
        "/api/staff/invite" => {
            (Rule::Invites, "POST", "email=m{n}%40example.jp&name=matrix&role={role}&jurisdiction={invite_target}")
        }
        "/api/staff/invitation" => (Rule::Public, "POST", "token=unknown"),
        "/api/staff/accept" => (Rule::Public, "POST", "token=unknown&password=x&password_again=x"),
        "/api/staff/people" => (Rule::Oversees, "POST", "jurisdiction={target}"),
        "/api/staff/audit" => (Rule::Staff, "POST", ""),
        "/api/staff/forgot" => (Rule::Public, "POST", "email=nobody%40example.jp"),
        "/api/staff/reset" => (Rule::Public, "POST", "token=unknown&password=x&password_again=x"),
        _ => return None,
    })
}

/// Each staff role's own jurisdiction, a target inside and one outside it,
/// whom it invites, and where (inside and outside).
struct Setting {
    scope: Scope,
    own: &'static str,
    other: &'static str,
    invites: &'static str,
    invite_own: &'static str,
    invite_other: &'static str,
    /// A demo session run inside the role's jurisdiction, and one outside.
    session_own: &'static str,
    session_other: &'static str,
}

fn setting(role: Role) -> Setting {
    let scope = |code: &str| Scope::parse(code).unwrap();
    let s = |scope, own, other, invites, invite_own, invite_other, (session_own, session_other)| Setting {
        scope,
        own,
        other,
        invites,
        invite_own,
        invite_other,
        session_own,
        session_other,
    };
    match role {
        // Demo sessions: TOKYO1 by 東京都 (130001), OSAKA2 by 大阪市 (271004), KOBE03 by 神戸市 (281000).
        Role::Secretariat => {
            s(Scope::National, "130001", "270008", "prefecture_staff", "130001", "270008", ("TOKYO1", "OSAKA2"))
        }
        Role::PrefectureStaff => {
            s(scope("130001"), "130001", "270008", "municipality_staff", "131041", "271004", ("TOKYO1", "OSAKA2"))
        }
        Role::ImplementingBodyStaff => {
            s(scope("271004"), "271004", "281000", "instructor", "271004", "281000", ("OSAKA2", "KOBE03"))
        }
        Role::MunicipalityStaff => {
            s(scope("131041"), "131041", "131016", "instructor", "131041", "131016", ("TOKYO1", "KOBE03"))
        }
        Role::Instructor => {
            s(scope("131041"), "131041", "131016", "instructor", "131041", "131016", ("TOKYO1", "KOBE03"))
        }
    }
}

/// What the issue specifies, written independently of the domain's code.
fn expected(rule: Rule, who: Who, target: Target) -> bool {
    match (rule, who) {
        (Rule::Public, _) => true,
        (Rule::Learner, Who::Learner) => true,
        (Rule::Learner, _) => false,
        (_, Who::Anonymous | Who::Learner) => false,
        (Rule::Staff, Who::Staff(_)) => true,
        (Rule::Oversees, Who::Staff(role)) => match role {
            Role::Secretariat => true,
            Role::PrefectureStaff | Role::ImplementingBodyStaff | Role::MunicipalityStaff => target == Target::Own,
            Role::Instructor => false,
        },
        (Rule::RunsSessions, Who::Staff(role)) => match role {
            Role::Secretariat => true,
            Role::PrefectureStaff | Role::ImplementingBodyStaff => target == Target::Own,
            // Municipalities run no sessions; instructors reach theirs once assigned.
            Role::MunicipalityStaff | Role::Instructor => false,
        },
        (Rule::Invites, Who::Staff(role)) => match role {
            Role::Secretariat => true,
            Role::PrefectureStaff | Role::ImplementingBodyStaff => target == Target::Own,
            Role::MunicipalityStaff | Role::Instructor => false,
        },
    }
}

/// The implementing body of a demo session.
fn body_of(session: &str) -> &'static str {
    match session {
        "TOKYO1" => "130001",
        "OSAKA2" => "271004",
        _ => "281000",
    }
}

fn normalize(path: &str) -> String {
    // Leptos lists axum-style `{param}`; the rules use `:param`.
    path.split('/')
        .map(|s| if s.starts_with('{') && s.ends_with('}') { format!(":{}", &s[1..s.len() - 1]) } else { s.to_owned() })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn every_endpoint_allows_exactly_whom_it_should() {
    let app = spawn_app().await;
    let platform = &app.state.platform;

    // Every endpoint the router has.
    let mut endpoints: BTreeSet<String> =
        leptos_axum::generate_route_list(nimo_app::app::App).iter().map(|r| normalize(r.path())).collect();
    endpoints.extend(server_fn_paths().map(|(path, _)| path.to_owned()));
    endpoints.extend(nimo_server::plain_routes().into_iter().map(|(path, _)| path.to_owned()));
    let missing: Vec<&String> = endpoints.iter().filter(|p| rule_of(p).is_none()).collect();
    assert!(missing.is_empty(), "endpoints without a rule in the authorization matrix: {missing:?}");

    // A learner with a certificate, for the learner endpoints and a real token.
    let mut learner = Browser::new(&app);
    let certificate = complete_course(&mut learner, "行列 花子", "新宿区").await;
    let url = verify_url(&certificate.body);
    let token = url[url.find("/v/").unwrap() + 3..].to_owned();
    let learner_cookies = learner.cookies.clone();
    // A fresh check-in code of the learner's session (TOKYO1, part 1).
    let checkin_token = {
        use nimo_domain::store::entity::{course_session, session_part};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let session = course_session::Entity::find()
            .filter(course_session::Column::Code.eq("TOKYO1"))
            .one(&platform.db)
            .await
            .unwrap()
            .unwrap();
        let part = session_part::Entity::find()
            .filter(session_part::Column::SessionId.eq(session.id))
            .one(&platform.db)
            .await
            .unwrap()
            .unwrap();
        nimo_domain::service::scheduling::checkin::token(
            platform,
            part.id,
            nimo_domain::service::scheduling::checkin::Direction::In,
            chrono::Utc::now(),
        )
    };

    // One signed-in person per role.
    let mut staff_cookies = Vec::new();
    for (i, role) in nimo_domain::roles::ALL_ROLES.into_iter().enumerate() {
        let scope = setting(role).scope;
        let email = format!("matrix-{i}@example.jp");
        let link = accounts::invite(platform, None, &email, "行列", role, scope, None).await.unwrap();
        let invitation = link.split("token=").nth(1).unwrap();
        let session =
            accounts::accept_invitation(platform, invitation, "matrix passphrase 2026", "127.0.0.1".parse().unwrap())
                .await
                .unwrap();
        staff_cookies.push((role, vec![("nimo_staff".to_owned(), session)]));
    }

    let mut callers: Vec<(Who, Vec<(String, String)>)> =
        vec![(Who::Anonymous, Vec::new()), (Who::Learner, learner_cookies)];
    callers.extend(staff_cookies.into_iter().map(|(role, cookies)| (Who::Staff(role), cookies)));

    let mut cells = 0;
    let mut unexpected_allows = Vec::new();
    let mut unexpected_denies = Vec::new();
    let mut n = 0;
    // Signing out ends the callers' sessions: check it last.
    let mut ordered: Vec<&String> = endpoints.iter().filter(|p| *p != "/api/staff/sign_out").collect();
    ordered.extend(endpoints.iter().filter(|p| *p == "/api/staff/sign_out"));
    for endpoint in ordered {
        let Some((rule, method, sample)) = rule_of(endpoint) else { continue };
        for (who, cookies) in &callers {
            for target in [Target::Own, Target::Other] {
                n += 1;
                let setting = match who {
                    Who::Staff(role) => setting(*role),
                    _ => setting(Role::Secretariat),
                };
                let own = target == Target::Own;
                let request = sample
                    .replace("{token}", &token)
                    .replace("{target}", if own { setting.own } else { setting.other })
                    .replace("{invite_target}", if own { setting.invite_own } else { setting.invite_other })
                    .replace("{role}", setting.invites)
                    .replace("{session}", if own { setting.session_own } else { setting.session_other })
                    .replace("{session_body}", body_of(if own { setting.session_own } else { setting.session_other }))
                    .replace("{checkin}", &checkin_token)
                    .replace("{n}", &n.to_string());
                let mut browser = Browser::new(&app);
                browser.cookies = cookies.clone();
                let status = if method == "GET" && endpoint.starts_with("/api/") && !endpoint.starts_with("/api/v1") {
                    browser.get_json(&format!("{endpoint}?{request}")).await.status
                } else if method == "GET" {
                    browser.get(&request).await.status
                } else {
                    let fields: Vec<(String, String)> = request
                        .split('&')
                        .filter(|p| !p.is_empty())
                        .map(|p| {
                            let (k, v) = p.split_once('=').unwrap_or((p, ""));
                            (percent_decode(k), percent_decode(v))
                        })
                        .collect();
                    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                    // Called as the browser's script calls server functions.
                    let origin = app.address.clone();
                    let posted = browser
                        .post_form_from(endpoint, &fields, &[("origin", &origin), ("accept", "application/json")])
                        .await;
                    match posted.location {
                        // A form answered with a redirect: where it lands tells.
                        // (Scripts get the redirect with a 200 and follow it themselves.)
                        Some(location) => browser.get(&location).await.status,
                        _ => posted.status,
                    }
                };
                assert!(status < 500, "{endpoint} as {who:?} ({target:?}) answered {status}");
                let allowed = !matches!(status, 401 | 403);
                cells += 1;
                let should = expected(rule, *who, target);
                if allowed && !should {
                    unexpected_allows.push(format!("{endpoint} {who:?} {target:?} → {status}"));
                }
                if !allowed && should {
                    unexpected_denies.push(format!("{endpoint} {who:?} {target:?} → {status}"));
                }
            }
        }
    }
    // Figures for the closing note (run with --nocapture).
    eprintln!(
        "authorization matrix: {} endpoints, {cells} cells checked, {} unexpected allows, {} unexpected denies",
        endpoints.len(),
        unexpected_allows.len(),
        unexpected_denies.len()
    );
    assert!(unexpected_allows.is_empty(), "unexpected allows: {unexpected_allows:#?}");
    assert!(unexpected_denies.is_empty(), "unexpected denies: {unexpected_denies:#?}");
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 && i + 3 <= bytes.len() {
            out.push(u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap(), 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}
