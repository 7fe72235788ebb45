//! Server-only glue between Leptos and the domain: the application state,
//! the learner cookie, and the post/redirect/get answer of no-JS forms.

pub mod flash;
pub mod security;

use crate::error::AppError;
use axum::extract::FromRef;
use leptos::{config::LeptosOptions, prelude::*};
use nimo_domain::service::{DomainError, Platform};

/// The one state of the application, given to axum and provided to every
/// page and server function as context.
#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub platform: Platform,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The platform, from the request's context.
///
/// # Errors
/// `Internal` if the server was wired without state (a programming error).
pub fn platform() -> Result<Platform, AppError> {
    use_context::<AppState>().map(|s| s.platform).ok_or_else(|| {
        tracing::error!("AppState missing from context");
        AppError::Internal
    })
}

/// Name of the cookie that holds the learner token. `__Host-` pins it to
/// this exact origin when served over https.
#[must_use]
pub fn learner_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-nimo_learner" } else { "nimo_learner" }
}

fn is_secure(platform: &Platform) -> bool {
    platform.public_url.starts_with("https://")
}

/// Reads a cookie of the current request.
#[must_use]
pub fn request_cookie(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    let jar = axum_extra::extract::CookieJar::from_headers(&parts.headers);
    jar.get(name).map(|c| c.value().to_owned())
}

/// The learner token of the current request, if any.
#[must_use]
pub fn learner_token() -> Option<String> {
    let platform = platform().ok()?;
    request_cookie(learner_cookie_name(is_secure(&platform)))
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(cookie: &axum_extra::extract::cookie::Cookie<'_>) {
    if let (Some(response), Ok(value)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(&cookie.to_string()))
    {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// Name of the staff session cookie; `__Host-` over https.
#[must_use]
pub fn staff_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-nimo_staff" } else { "nimo_staff" }
}

/// The staff session token of the current request, if any.
#[must_use]
pub fn staff_token() -> Option<String> {
    let platform = platform().ok()?;
    request_cookie(staff_cookie_name(is_secure(&platform)))
}

/// Sets (or with `None`, clears) the staff session cookie. It has no
/// Max-Age: the server ends sessions (30 minutes idle, 12 hours at most),
/// and the browser forgets the cookie when it closes.
pub fn set_staff_cookie(platform: &Platform, token: Option<&str>) {
    use axum_extra::extract::cookie::{Cookie, SameSite};
    let secure = is_secure(platform);
    let mut cookie = Cookie::build((staff_cookie_name(secure), token.unwrap_or_default().to_owned()))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .build();
    if token.is_none() {
        cookie.set_max_age(cookie::time::Duration::ZERO);
    }
    set_cookie(&cookie);
}

/// The address the request came from (for rate limits and the audit log).
#[must_use]
pub fn client_address() -> std::net::IpAddr {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip()))
        .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
}

/// The signed-in staff member.
///
/// # Errors
/// `NotSignedIn`.
pub async fn staff_actor(platform: &Platform) -> Result<nimo_domain::service::identity::Actor, AppError> {
    Ok(nimo_domain::service::identity::actor(platform, staff_token().as_deref()).await?)
}

/// Keeps the learner token for a year: residents come back for their
/// certificate days later, on the same phone.
pub fn set_learner_cookie(platform: &Platform, token: &str) {
    use axum_extra::extract::cookie::{Cookie, SameSite};
    let secure = is_secure(platform);
    let cookie = Cookie::build((learner_cookie_name(secure), token.to_owned()))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(time_days(365))
        .build();
    set_cookie(&cookie);
}

fn time_days(days: i64) -> cookie::time::Duration {
    cookie::time::Duration::days(days)
}

/// Answers a no-JS form post the post/redirect/get way: on success, go to
/// the returned path; on an error the user can fix, go back to `back` with
/// the message and what they typed kept in a short-lived flash cookie, so
/// nothing is lost. A failure of the server or its storage is returned as
/// the error: the server answers a form post with a Japanese error page
/// and its real status (503 when nothing could be stored), never with the
/// page that follows success.
///
/// # Errors
/// Internal and storage failures, already logged.
pub fn answer_form(result: Result<String, DomainError>, back: &str, values: &[(&str, &str)]) -> Result<(), AppError> {
    match result {
        Ok(next) => {
            redirect(&next);
            Ok(())
        }
        Err(error) => match AppError::from(error) {
            failure @ (AppError::Internal | AppError::Storage(_)) => Err(failure),
            user_error => {
                flash::set(&flash::Flash::new(&user_error, values));
                redirect(back);
                Ok(())
            }
        },
    }
}

/// Redirects to a path of this site. Paths are often built from what was
/// sent (`/learn/m/{module_id}`): anything that cannot go into a header is
/// percent-encoded and anything that would leave the site becomes `/`, so
/// no input can make the redirect fail or point elsewhere.
pub fn redirect(path: &str) {
    leptos_axum::redirect(&safe_local_path(path));
}

/// See [`redirect`].
#[must_use]
pub fn safe_local_path(path: &str) -> String {
    if !path.starts_with('/') || path.starts_with("//") || path.starts_with("/\\") {
        return "/".to_owned();
    }
    let mut safe = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_graphic() && !matches!(byte, b'"' | b'<' | b'>' | b'\\' | b'`' | b'{' | b'}' | b'|' | b'^') {
            safe.push(char::from(byte));
        } else {
            safe.push_str(&format!("%{byte:02X}"));
        }
    }
    safe
}

#[cfg(test)]
mod tests {
    use super::safe_local_path;

    #[test]
    fn redirects_stay_on_the_site_and_in_a_header() {
        assert_eq!(safe_local_path("/learn/m/a\0b"), "/learn/m/a%00b");
        assert_eq!(safe_local_path("/join?code=ABC"), "/join?code=ABC");
        assert_eq!(safe_local_path("/learn/m/心"), "/learn/m/%E5%BF%83");
        assert_eq!(safe_local_path("//evil.example/"), "/");
        assert_eq!(safe_local_path("https://evil.example/"), "/");
        assert_eq!(safe_local_path("/a\r\nSet-Cookie: x"), "/a%0D%0ASet-Cookie:%20x");
    }
}
