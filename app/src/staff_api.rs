//! Server functions of the staff area. Each is a public endpoint: it finds
//! the signed-in person from the session cookie and lets the domain decide,
//! by role and jurisdiction, what they may do; refusals are audited there.

use crate::error::AppError;
use leptos::prelude::*;
use nimo_domain::view::{
    AuditView, CheckInScreen, InvitationView, JurisdictionPeople, Roster, SessionPayments, StaffHome, StaffSessions,
};
use serde::{Deserialize, Serialize};

/// One part of a new session, as the form posts it (`parts[0][date]`, …).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartFields {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub covers: String,
}

#[cfg(feature = "ssr")]
use {
    crate::ssr::{answer_form, client_address, platform, set_staff_cookie, staff_actor, staff_token},
    nimo_domain::{
        roles::Role,
        service::{accounts, identity},
    },
};

/// The rotating check-in code of one part of a session, for the screen the
/// instructor shows. Staff who oversee the session's implementing body.
#[server(prefix = "/api/staff", endpoint = "check_in_screen")]
pub async fn load_check_in_screen(code: String, part: i32, direction: String) -> Result<CheckInScreen, AppError> {
    use nimo_domain::service::scheduling::checkin::{self, Direction};
    let platform = platform()?;
    let actor = staff_actor(&platform).await?;
    let direction = Direction::parse(&direction).unwrap_or(Direction::In);
    let now = nimo_domain::service::support::clock::now();
    Ok(checkin::screen(&platform, &actor, &code, part, direction, now, Some(client_address())).await?)
}

/// The sessions of the bodies the staff member oversees.
#[server(prefix = "/api/staff", endpoint = "sessions")]
pub async fn load_staff_sessions() -> Result<StaffSessions, AppError> {
    use nimo_domain::service::scheduling::planning;
    let platform = platform()?;
    let actor = staff_actor(&platform).await?;
    Ok(planning::staff_sessions(&platform, &actor).await?)
}

/// Creates a session as a draft (up to three parts from the form).
#[server(prefix = "/api/staff", endpoint = "create_session")]
#[allow(clippy::too_many_arguments, reason = "one argument per form field, as the form posts them")]
pub async fn create_session(
    title: String,
    programme: String,
    #[server(default)] elective: String,
    #[server(default)] body: String,
    #[server(default)] capacity: String,
    #[server(default)] visibility: String,
    #[server(default)] parts: Vec<PartFields>,
    #[server(default)] registration_opens: String,
    #[server(default)] registration_closes: String,
) -> Result<(), AppError> {
    use nimo_domain::service::scheduling::planning::{self, PartForm, SessionForm};
    let platform = platform()?;
    let actor = staff_actor(&platform).await?;
    let form = SessionForm {
        title: title.clone(),
        programme,
        elective,
        body: body.clone(),
        capacity: capacity.clone(),
        visibility,
        parts: parts
            .into_iter()
            .take(10)
            .map(|p| PartForm {
                date: p.date,
                starts: p.starts,
                ends: p.ends,
                mode: p.mode,
                place: p.place,
                covers: p.covers,
            })
            .collect(),
        registration_opens,
        registration_closes,
    };
    let now = nimo_domain::service::support::clock::now();
    let created = planning::create(&platform, &actor, &form, now, Some(client_address())).await;
    let values = [("title", title.as_str()), ("body", body.as_str()), ("capacity", capacity.as_str())];
    answer_form(created.map(|code| format!("/staff/sessions?created={code}")), "/staff/sessions/new", &values)
}

/// Assigns an instructor (by e-mail) to a session.
#[server(prefix = "/api/staff", endpoint = "assign_instructor")]
pub async fn assign_instructor(code: String, email: String) -> Result<(), AppError> {
    use nimo_domain::service::scheduling::planning;
    let platform = platform()?;
    let actor = staff_actor(&platform).await?;
    let now = nimo_domain::service::support::clock::now();
    let assigned = planning::assign_instructor(&platform, &actor, &code, &email, now, Some(client_address())).await;
    answer_form(assigned.map(|()| "/staff/sessions?assigned=1".to_owned()), "/staff/sessions", &[("email", &email)])
}

/// Publishes a draft session.
#[server(prefix = "/api/staff", endpoint = "publish_session")]
pub async fn publish_session(code: String) -> Result<(), AppError> {
    use nimo_domain::service::scheduling::planning;
    let platform = platform()?;
    let actor = staff_actor(&platform).await?;
    let published = planning::publish(&platform, &actor, &code, Some(client_address())).await;
    answer_form(published.map(|()| "/staff/sessions?published=1".to_owned()), "/staff/sessions", &[])
}

/// A session's roster (names: personal data, the view is audited).
#[server(prefix = "/api/staff", endpoint = "roster")]
pub async fn load_roster(code: String) -> Result<Roster, AppError> {
    use nimo_domain::service::scheduling::roster;
    let platform = platform()?;
    let actor = staff_actor(&platform).await?;
    Ok(roster::roster(&platform, &actor, &code, Some(client_address())).await?)
}

/// The instructor ticks a name: present at that part, now.
#[server(prefix = "/api/staff", endpoint = "mark_present")]
pub async fn mark_present(
    code: String,
    enrollment: i32,
    part: i32,
    #[server(default)] ticked_at: String,
) -> Result<(), AppError> {
    use nimo_domain::service::scheduling::roster;
    let platform = platform()?;
    let actor = staff_actor(&platform).await?;
    let now = nimo_domain::service::support::clock::now();
    // A tick kept by the roster page while offline carries its own moment.
    let marked =
        roster::mark_present(&platform, &actor, &code, enrollment, part, now, &ticked_at, Some(client_address())).await;
    let back = format!("/staff/sessions/{}/roster", code_only(&code));
    answer_form(marked.map(|()| back.clone()), &back, &[])
}

/// Keeps only the characters a session code has (for redirects).
#[cfg(feature = "ssr")]
fn code_only(code: &str) -> String {
    code.chars().filter(char::is_ascii_alphanumeric).take(16).collect()
}

/// Cancels a session; the reason is mailed to everyone registered.
#[server(prefix = "/api/staff", endpoint = "cancel_session")]
pub async fn cancel_session(code: String, reason: String) -> Result<(), AppError> {
    use nimo_domain::service::scheduling::planning;
    let platform = platform()?;
    let actor = staff_actor(&platform).await?;
    let now = nimo_domain::service::support::clock::now();
    let cancelled = planning::cancel_session(&platform, &actor, &code, &reason, now, Some(client_address())).await;
    let roster = format!("/staff/sessions/{}/roster", code_only(&code));
    answer_form(cancelled.map(|mailed| format!("/staff/sessions?cancelled={mailed}")), &roster, &[("reason", &reason)])
}

/// Adds a walk-in to the roster, marked present.
#[server(prefix = "/api/staff", endpoint = "add_walk_in")]
pub async fn add_walk_in(
    code: String,
    name: String,
    furigana: String,
    municipality: String,
    #[server(default)] consent: String,
) -> Result<(), AppError> {
    use nimo_domain::service::scheduling::roster::{self, WalkInForm};
    let platform = platform()?;
    let actor = staff_actor(&platform).await?;
    let now = nimo_domain::service::support::clock::now();
    let form = WalkInForm {
        name: name.clone(),
        furigana: furigana.clone(),
        municipality: municipality.clone(),
        consent: !consent.is_empty(),
    };
    let added = roster::add_walk_in(&platform, &actor, &code, &form, now, Some(client_address())).await;
    let page = format!("/staff/sessions/{}/roster", code_only(&code));
    let values = [("name", name.as_str()), ("furigana", furigana.as_str()), ("municipality", municipality.as_str())];
    answer_form(added.map(|id| format!("{page}?walk_in={id}#walk-in")), &page, &values)
}

/// Corrects the name to print of one person on the roster.
#[server(prefix = "/api/staff", endpoint = "correct_name")]
pub async fn correct_name(code: String, enrollment: i32, name: String) -> Result<(), AppError> {
    use nimo_domain::service::scheduling::roster;
    let platform = platform()?;
    let actor = staff_actor(&platform).await?;
    let corrected = roster::correct_name(&platform, &actor, &code, enrollment, &name, Some(client_address())).await;
    let page = format!("/staff/sessions/{}/roster", code_only(&code));
    answer_form(corrected.map(|()| page.clone()), &page, &[])
}

/// The link a walk-in scans to continue on their own phone (staff who run
/// the session only).
#[server(prefix = "/api/staff", endpoint = "walk_in_link")]
pub async fn load_walk_in_link(code: String, enrollment: i32) -> Result<(String, String), AppError> {
    use nimo_domain::service::scheduling::{checkin, registration};
    let platform = platform()?;
    let actor = staff_actor(&platform).await?;
    let (session, _) = checkin::session_for_runner(&platform, &actor, &code, Some(client_address())).await?;
    Ok(registration::walk_in_link(&platform, &session, enrollment).await?)
}

/// The instructors of a session with their 謝金・旅費 (audited).
#[server(prefix = "/api/staff", endpoint = "payments")]
pub async fn load_payments(code: String) -> Result<SessionPayments, AppError> {
    use nimo_domain::service::scheduling::payments;
    let platform = platform()?;
    let actor = staff_actor(&platform).await?;
    Ok(payments::for_session(&platform, &actor, &code, Some(client_address())).await?)
}

/// Records one instructor's 謝金・旅費 for a session.
#[server(prefix = "/api/staff", endpoint = "record_payment")]
pub async fn record_payment(
    code: String,
    person_id: String,
    #[server(default)] honorarium: String,
    #[server(default)] travel: String,
    #[server(default)] paid_on: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use nimo_domain::service::scheduling::payments::{self, PaymentForm};
    let platform = platform()?;
    let actor = staff_actor(&platform).await?;
    let now = nimo_domain::service::support::clock::now();
    let form = PaymentForm { person_id, honorarium, travel, paid_on, note };
    let recorded = payments::record(&platform, &actor, &code, &form, now, Some(client_address())).await;
    let page = format!("/staff/sessions/{}/payments", code_only(&code));
    answer_form(recorded.map(|()| format!("{page}?saved=1")), &page, &[])
}

/// The instructor confirms an online attendance (the person is in the meeting).
#[server(prefix = "/api/staff", endpoint = "confirm_online")]
pub async fn confirm_online(code: String, enrollment: i32, part: i32) -> Result<(), AppError> {
    use nimo_domain::service::scheduling::roster;
    let platform = platform()?;
    let actor = staff_actor(&platform).await?;
    let confirmed = roster::confirm_online(&platform, &actor, &code, enrollment, part, Some(client_address())).await;
    let page = format!("/staff/sessions/{}/roster", code_only(&code));
    answer_form(confirmed.map(|()| page.clone()), &page, &[])
}

/// Closes a session: everyone who completed receives their certificate.
#[server(prefix = "/api/staff", endpoint = "close_session")]
pub async fn close_session(code: String) -> Result<(), AppError> {
    use nimo_domain::service::scheduling::closing;
    let platform = platform()?;
    let actor = staff_actor(&platform).await?;
    let now = nimo_domain::service::support::clock::now();
    let closed = closing::close(&platform, &actor, &code, now, Some(client_address())).await;
    let code: String = code.chars().filter(char::is_ascii_alphanumeric).take(16).collect();
    let screen = format!("/staff/sessions/{code}/checkin");
    answer_form(closed.map(|issued| format!("{screen}?issued={issued}")), &screen, &[])
}

#[server(prefix = "/api/staff", endpoint = "sign_in")]
pub async fn staff_sign_in(email: String, password: String) -> Result<(), AppError> {
    let platform = platform()?;
    let signed_in = identity::sign_in(&platform, &email, &password, staff_token().as_deref(), client_address()).await;
    let next = signed_in.map(|token| {
        set_staff_cookie(&platform, Some(&token));
        "/staff".to_owned()
    });
    answer_form(next, "/staff/sign-in", &[("email", &email)])
}

#[server(prefix = "/api/staff", endpoint = "sign_out")]
pub async fn staff_sign_out() -> Result<(), AppError> {
    let platform = platform()?;
    identity::sign_out(&platform, staff_token().as_deref(), client_address()).await?;
    set_staff_cookie(&platform, None);
    leptos_axum::redirect("/staff/sign-in?signed_out=1");
    Ok(())
}

#[server(prefix = "/api/staff", endpoint = "home")]
pub async fn load_staff_home() -> Result<StaffHome, AppError> {
    let platform = platform()?;
    let actor = staff_actor(&platform).await?;
    Ok(accounts::people::staff_home(&platform, &actor))
}

#[server(prefix = "/api/staff", endpoint = "invite")]
pub async fn invite_staff(email: String, name: String, role: String, jurisdiction: String) -> Result<(), AppError> {
    let platform = platform()?;
    let actor = staff_actor(&platform).await?;
    let invited = async {
        let role = Role::parse(&role)
            .ok_or_else(|| nimo_domain::service::DomainError::validation("role", "役割を選んでください"))?;
        let scope = platform.content.parse_scope(&jurisdiction)?;
        accounts::invite(&platform, Some(&actor), &email, &name, role, scope, Some(client_address())).await
    }
    .await;
    let values = [("email", email.as_str()), ("name", name.as_str()), ("jurisdiction", jurisdiction.as_str())];
    answer_form(invited.map(|_| format!("/staff?invited={}", urlencode(&email))), "/staff/invite", &values)
}

/// The two typings of a new password agree.
#[cfg(feature = "ssr")]
fn confirmed(password: &str, again: &str) -> Result<(), nimo_domain::service::DomainError> {
    if password == again {
        Ok(())
    } else {
        Err(nimo_domain::service::DomainError::validation("password", "確認用のパスワードが一致しません"))
    }
}

#[cfg(feature = "ssr")]
fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[server(prefix = "/api/staff", endpoint = "invitation")]
pub async fn invitation_info(token: String) -> Result<InvitationView, AppError> {
    Ok(accounts::invitation(&platform()?, &token).await?)
}

#[server(prefix = "/api/staff", endpoint = "accept")]
pub async fn accept_invitation(token: String, password: String, password_again: String) -> Result<(), AppError> {
    let platform = platform()?;
    // Tokens are 43 characters; a longer one cannot be valid, and must not
    // grow the redirect.
    let back = format!("/staff/accept?token={}", urlencode(&token.chars().take(64).collect::<String>()));
    if let Err(mismatch) = confirmed(&password, &password_again) {
        return answer_form(Err(mismatch), &back, &[]);
    }
    let accepted = accounts::accept_invitation(&platform, &token, &password, client_address()).await;
    let next = accepted.map(|session| {
        set_staff_cookie(&platform, Some(&session));
        "/staff".to_owned()
    });
    answer_form(next, &back, &[])
}

#[server(prefix = "/api/staff", endpoint = "people")]
pub async fn load_jurisdiction_people(jurisdiction: String) -> Result<JurisdictionPeople, AppError> {
    let platform = platform()?;
    let actor = staff_actor(&platform).await?;
    Ok(accounts::people_of(&platform, &actor, &jurisdiction, Some(client_address())).await?)
}

#[server(prefix = "/api/staff", endpoint = "audit")]
pub async fn my_audit_trail() -> Result<Vec<AuditView>, AppError> {
    let platform = platform()?;
    let actor = staff_actor(&platform).await?;
    Ok(accounts::own_audit_trail(&platform, &actor).await?)
}

#[server(prefix = "/api/staff", endpoint = "forgot")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let platform = platform()?;
    let requested = accounts::request_password_reset(&platform, &email, client_address()).await;
    answer_form(requested.map(|()| "/staff/forgot?sent=1".to_owned()), "/staff/forgot", &[("email", &email)])
}

#[server(prefix = "/api/staff", endpoint = "reset")]
pub async fn reset_password(token: String, password: String, password_again: String) -> Result<(), AppError> {
    let platform = platform()?;
    let back = format!("/staff/reset?token={}", urlencode(&token.chars().take(64).collect::<String>()));
    if let Err(mismatch) = confirmed(&password, &password_again) {
        return answer_form(Err(mismatch), &back, &[]);
    }
    let reset = accounts::reset_password(&platform, &token, &password, client_address()).await;
    answer_form(reset.map(|()| "/staff/sign-in?reset=1".to_owned()), &back, &[])
}
