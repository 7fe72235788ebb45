//! Server functions: every one is a public HTTP endpoint under `/api/`, and a
//! three-line adapter over a domain function. Who is asking is decided inside
//! the domain function from the learner cookie, never from the arguments.
//!
//! Form posts work without JavaScript: they answer with a redirect (see
//! `ssr::answer_form`), so a resident on a phone with scripts off or not yet
//! loaded still gets through.

use crate::error::AppError;
use leptos::prelude::*;
use nimo_domain::{
    jurisdiction::MunicipalityOption,
    view::{
        AttendanceLine, CertificateView, FinderQuery, FinderResult, LearnerOverview, ModulePage, NationalStats,
        ProgrammeDetail, ProgrammeSummary, PublicSession, RegistrationView, SelfCheckPage, SessionInfo, SessionPoster,
        VerifyOutcome,
    },
};
use std::collections::HashMap;

#[cfg(feature = "ssr")]
use {
    crate::ssr::{answer_form, learner_token, platform},
    nimo_domain::service::{
        catalogue, certificates, learning,
        learning::residents,
        reporting::stats,
        scheduling::{attendance, checkin, finder, registration},
    },
};

/// Where to turn when things are hard; public.
#[server(prefix = "/api", endpoint = "crisis_contacts")]
pub async fn load_crisis_contacts() -> Result<nimo_domain::safety::CrisisContacts, AppError> {
    Ok(platform()?.content.crisis_contacts.clone())
}

/// Every programme, for the public list.
#[server(prefix = "/api", endpoint = "programmes")]
pub async fn load_programmes() -> Result<Vec<ProgrammeSummary>, AppError> {
    Ok(catalogue::programmes(&platform()?))
}

/// One programme's plan, goals and completion rule.
#[server(prefix = "/api", endpoint = "programme")]
pub async fn load_programme(id: String) -> Result<ProgrammeDetail, AppError> {
    Ok(catalogue::programme(&platform()?, &id)?)
}

/// The programme the home page is about (the one with the national target).
#[server(prefix = "/api", endpoint = "featured_programme")]
pub async fn load_featured_programme() -> Result<ProgrammeDetail, AppError> {
    Ok(catalogue::featured(&platform()?)?)
}

/// National count of certificate holders against the target.
#[server(prefix = "/api", endpoint = "national_stats")]
pub async fn load_national_stats() -> Result<NationalStats, AppError> {
    Ok(stats::national(&platform()?).await?)
}

/// A session as shown before joining; public (code holders only know it).
#[server(prefix = "/api", endpoint = "session_info")]
pub async fn load_session_info(code: String) -> Result<SessionInfo, AppError> {
    let platform = platform()?;
    let session = learning::find_session(&platform, &code).await?;
    Ok(learning::session_info(&platform, &session))
}

/// A session's join poster with its QR code; public like the session itself.
#[server(prefix = "/api", endpoint = "session_poster")]
pub async fn load_session_poster(code: String) -> Result<SessionPoster, AppError> {
    Ok(learning::session_poster(&platform()?, &code).await?)
}

/// Registers for a session (a seat, or a place in line) and gives the
/// resident a learner cookie.
#[server(prefix = "/api", endpoint = "join")]
pub async fn join_session(
    code: String,
    name: String,
    #[server(default)] furigana: String,
    municipality: String,
    #[server(default)] email: String,
    #[server(default)] consent: String,
) -> Result<(), AppError> {
    use nimo_domain::service::scheduling::registration::RegistrationForm;
    use nimo_domain::store::entity::values::RegistrationStatus;
    let platform = platform()?;
    let form = RegistrationForm {
        code: code.clone(),
        name: name.clone(),
        furigana: furigana.clone(),
        municipality: municipality.clone(),
        email: email.clone(),
        consent: !consent.is_empty(),
    };
    let joined = learning::join_session(&platform, &form, nimo_domain::service::support::clock::now()).await;
    let back = format!("/join?code={}", learning::normalize_session_code(&code));
    answer_form(
        joined.map(|registration| {
            crate::ssr::set_learner_cookie(&platform, &registration.learner_token);
            match registration.status {
                RegistrationStatus::Registered => "/learn".to_owned(),
                _ => "/my/registration".to_owned(),
            }
        }),
        &back,
        &[
            ("name", &name),
            ("furigana", &furigana),
            ("municipality", &municipality),
            ("email", &email),
            ("consent", &consent),
        ],
    )
}

/// A registration: from its mailed link (`token`), else the learner cookie.
#[server(prefix = "/api", endpoint = "registration")]
pub async fn load_registration(#[server(default)] token: String) -> Result<RegistrationView, AppError> {
    let platform = platform()?;
    let cookie = learner_token();
    let holder = holder(&token, cookie.as_deref());
    Ok(registration::registration_page(&platform, holder, nimo_domain::service::support::clock::now()).await?)
}

#[cfg(feature = "ssr")]
fn holder<'a>(token: &'a str, cookie: Option<&'a str>) -> registration::Holder<'a> {
    if token.is_empty() { registration::Holder::Learner(cookie) } else { registration::Holder::Link(token) }
}

#[cfg(feature = "ssr")]
fn registration_page_of(token: &str) -> String {
    let token: String =
        token.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')).take(200).collect();
    if token.is_empty() { "/my/registration".to_owned() } else { format!("/my/registration?token={token}") }
}

/// Takes an offered seat.
#[server(prefix = "/api", endpoint = "accept_offer")]
pub async fn accept_offer(#[server(default)] token: String) -> Result<(), AppError> {
    let platform = platform()?;
    let cookie = learner_token();
    let accepted = registration::accept_offer(
        &platform,
        holder(&token, cookie.as_deref()),
        nimo_domain::service::support::clock::now(),
    )
    .await;
    let page = registration_page_of(&token);
    answer_form(
        accepted.map(|()| format!("{page}{}accepted=1", if page.contains('?') { "&" } else { "?" })),
        &page,
        &[],
    )
}

/// Gives up a seat or a place in line.
#[server(prefix = "/api", endpoint = "cancel_registration")]
pub async fn cancel_registration(#[server(default)] token: String) -> Result<(), AppError> {
    let platform = platform()?;
    let cookie = learner_token();
    let cancelled =
        registration::cancel(&platform, holder(&token, cookie.as_deref()), nimo_domain::service::support::clock::now())
            .await;
    let page = registration_page_of(&token);
    answer_form(cancelled.map(|()| page.clone()), &page, &[])
}

/// Continues a registration on this device (from its link).
#[server(prefix = "/api", endpoint = "use_registration_here")]
pub async fn use_registration_here(token: String) -> Result<(), AppError> {
    let platform = platform()?;
    let used = registration::use_on_this_device(&platform, &token, nimo_domain::service::support::clock::now()).await;
    let next = used.map(|learner| {
        crate::ssr::set_learner_cookie(&platform, &learner);
        "/learn".to_owned()
    });
    answer_form(next, &registration_page_of(&token), &[])
}

/// The learner corrects the name to print before the certificate is issued.
#[server(prefix = "/api", endpoint = "correct_my_name")]
pub async fn correct_my_name(name: String) -> Result<(), AppError> {
    let corrected = learning::correct_my_name(&platform()?, learner_token().as_deref(), &name).await;
    answer_form(corrected.map(|()| "/learn?renamed=1".to_owned()), "/learn", &[("name", &name)])
}

/// Records the learner's check-in or check-out with the scanned code. Who
/// checks in is the learner cookie, never the form.
#[server(prefix = "/api", endpoint = "check_in")]
pub async fn check_in(token: String) -> Result<(), AppError> {
    let platform = platform()?;
    let now = nimo_domain::service::support::clock::now();
    let recorded = checkin::check_in(&platform, &token, learner_token().as_deref(), now).await;
    // Without a registration on this phone there is nothing to record: the
    // learner pages' answer, not a message on the form.
    if let Err(nimo_domain::service::DomainError::NoLearner) = recorded {
        return Err(AppError::NoLearner);
    }
    let back = format!("/checkin/{}", token.chars().take(200).collect::<String>());
    answer_form(recorded.map(|_| "/my/attendance".to_owned()), &back, &[])
}

/// Records the learner's attendance at a live online part with the six
/// digits the instructor shows (confirmed later by the instructor).
#[server(prefix = "/api", endpoint = "check_in_online")]
pub async fn check_in_online(code: String) -> Result<(), AppError> {
    let platform = platform()?;
    let now = nimo_domain::service::support::clock::now();
    let address = crate::ssr::client_address();
    let recorded = checkin::check_in_online(&platform, &code, learner_token().as_deref(), now, address).await;
    if let Err(nimo_domain::service::DomainError::NoLearner) = recorded {
        return Err(AppError::NoLearner);
    }
    answer_form(recorded.map(|()| "/my/attendance?online=1".to_owned()), "/my/attendance", &[])
}

/// The learner's own attendance, part by part.
#[server(prefix = "/api", endpoint = "my_attendance")]
pub async fn my_attendance() -> Result<Vec<AttendanceLine>, AppError> {
    Ok(attendance::lines(&platform()?, learner_token().as_deref()).await?)
}

/// The public finder: published public sessions still to come.
#[server(prefix = "/api", endpoint = "find_sessions")]
pub async fn find_sessions(
    prefecture: String,
    programme: String,
    format: String,
    from: String,
    until: String,
) -> Result<FinderResult, AppError> {
    let query = FinderQuery { prefecture, programme, format, from, until };
    Ok(finder::search(&platform()?, &query, nimo_domain::service::support::clock::now()).await?)
}

/// One session's public page.
#[server(prefix = "/api", endpoint = "public_session")]
pub async fn load_public_session(code: String) -> Result<PublicSession, AppError> {
    Ok(finder::session_page(&platform()?, &code, nimo_domain::service::support::clock::now()).await?)
}

/// Municipalities matching what was typed, for the picker. Public data.
#[server(prefix = "/api", endpoint = "municipalities", input = server_fn::codec::GetUrl)]
pub async fn search_municipalities(query: String) -> Result<Vec<MunicipalityOption>, AppError> {
    let query: String = query.chars().take(40).collect();
    Ok(platform()?.content.jurisdictions.search_municipalities(&query, 12))
}

/// The learner's own course overview.
#[server(prefix = "/api", endpoint = "my_course")]
pub async fn my_course() -> Result<LearnerOverview, AppError> {
    Ok(learning::overview(&platform()?, learner_token().as_deref()).await?)
}

/// One module of the learner's own plan.
#[server(prefix = "/api", endpoint = "my_module")]
pub async fn my_module(module_id: String) -> Result<ModulePage, AppError> {
    Ok(learning::module_page(&platform()?, learner_token().as_deref(), &module_id).await?)
}

/// Marks a module done and moves on.
#[server(prefix = "/api", endpoint = "complete_module")]
pub async fn complete_module(module_id: String) -> Result<(), AppError> {
    let next = learning::complete_module(&platform()?, learner_token().as_deref(), &module_id).await;
    let next = next.map(|next| next.map_or_else(|| "/learn/check".to_owned(), |id| format!("/learn/m/{id}")));
    // Module ids are short slugs; anything else goes back to the course page.
    let back = if module_id.len() <= 64 { format!("/learn/m/{module_id}") } else { "/learn".to_owned() };
    answer_form(next, &back, &[])
}

/// The self-check page of the learner.
#[server(prefix = "/api", endpoint = "my_self_check")]
pub async fn my_self_check() -> Result<SelfCheckPage, AppError> {
    Ok(learning::self_check_page(&platform()?, learner_token().as_deref()).await?)
}

/// Submits the self-check; a pass completes the course and issues the
/// certificate.
#[server(prefix = "/api", endpoint = "submit_self_check")]
pub async fn submit_self_check(#[server(default)] answers: HashMap<String, String>) -> Result<(), AppError> {
    let answers: Vec<(String, String)> = answers.into_iter().collect();
    let outcome = learning::submit_self_check(&platform()?, learner_token().as_deref(), &answers).await;
    let next = outcome.map(|o| match o {
        learning::SelfCheckOutcome::Certified { .. } => "/certificate".to_owned(),
        learning::SelfCheckOutcome::Passed => "/learn".to_owned(),
        learning::SelfCheckOutcome::TryAgain => "/learn/check#result".to_owned(),
    });
    answer_form(next, "/learn/check", &[])
}

/// The learner's own certificate.
#[server(prefix = "/api", endpoint = "my_certificate")]
pub async fn my_certificate() -> Result<CertificateView, AppError> {
    Ok(certificates::own_certificate(&platform()?, learner_token().as_deref()).await?)
}

/// Verifies a certificate token from a QR code. Public, no login.
#[server(prefix = "/api", endpoint = "verify_certificate")]
pub async fn verify_certificate(token: String) -> Result<VerifyOutcome, AppError> {
    Ok(certificates::verify(&platform()?, &token).await?)
}

/// Attaches an e-mail to the learner's certificate: a link is mailed there.
#[server(prefix = "/api", endpoint = "claim_certificate")]
pub async fn claim_certificate(email: String) -> Result<(), AppError> {
    let platform = platform()?;
    let address = crate::ssr::client_address();
    let claimed = residents::request_claim(&platform, learner_token().as_deref(), &email, address).await;
    answer_form(claimed.map(|()| "/certificate?claim_sent=1".to_owned()), "/certificate", &[("email", &email)])
}

/// Mails a resident a sign-in link (same answer for unknown addresses).
#[server(prefix = "/api", endpoint = "resident_sign_in")]
pub async fn resident_sign_in(email: String) -> Result<(), AppError> {
    let platform = platform()?;
    let requested = residents::request_sign_in(&platform, &email, crate::ssr::client_address()).await;
    answer_form(requested.map(|()| "/my?sent=1".to_owned()), "/my", &[("email", &email)])
}

/// Uses an e-mailed link and signs this device in.
#[server(prefix = "/api", endpoint = "use_resident_link")]
pub async fn use_resident_link(token: String) -> Result<(), AppError> {
    let platform = platform()?;
    let used = residents::use_link(&platform, &token, crate::ssr::client_address()).await;
    let next = used.map(|learner| {
        crate::ssr::set_learner_cookie(&platform, &learner);
        "/learn".to_owned()
    });
    answer_form(next, "/my", &[])
}
