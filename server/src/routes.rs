//! Plain HTTP endpoints beside the Leptos pages: health, open data, the
//! certificate image and the public key.

use crate::error_page;
use axum::{
    Json,
    extract::{ConnectInfo, Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use nimo_app::{error::AppError, ssr::AppState};
use nimo_domain::{
    service::{
        certificates, identity,
        reporting::stats,
        scheduling::{finder, roster},
    },
    store::health,
};

/// `GET /healthz`: 200 when the database accepts a committed write and the
/// data folder has room; 503 with the reason otherwise.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let mut response = match health::check(&state.platform.db, &state.platform.storage).await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(problem) => {
            tracing::error!(%problem, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, problem.to_string()).into_response()
        }
    };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /api/v1/stats/national`: open data, anyone may read and embed it.
pub async fn national_stats(State(state): State<AppState>) -> Response {
    match stats::national(&state.platform).await {
        Ok(stats) => (
            [
                (header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*")),
                (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60")),
            ],
            Json(stats),
        )
            .into_response(),
        Err(error) => error_response(AppError::from(error)),
    }
}

/// `GET /certificate.png`: the learner's own certificate as an image.
pub async fn certificate_png(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let jar = axum_extra::extract::CookieJar::from_headers(&headers);
    let secure = state.platform.public_url.starts_with("https://");
    let token = jar.get(nimo_app::ssr::learner_cookie_name(secure)).map(|c| c.value().to_owned());
    match certificates::own_certificate_png(&state.platform, token.as_deref()).await {
        Ok((file_name, bytes)) => {
            let disposition = format!("attachment; filename=\"{file_name}\"");
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(error) => error_response(AppError::from(error)),
    }
}

/// `GET /.well-known/nimo-certificate-keys.json`: the public key that signs
/// certificate tokens, so anyone can check a token without asking us.
pub async fn certificate_keys(State(state): State<AppState>) -> Response {
    let signer = &state.platform.signer;
    let body = serde_json::json!({
        "keys": [{
            "kty": "OKP",
            "crv": "Ed25519",
            "alg": "EdDSA",
            "use": "sig",
            "kid": signer.key_id(),
            "x": signer.public_key_base64(),
        }],
        "token_format": "base64url(claims[11] || ed25519_signature[64]); the signature covers \
                         \"nimo-certificate-v1\\0\" || claims; claims = version(1) key_id(1) programme(1) \
                         year_since_2000(1) serial(5, big-endian) completed_days_since_2000_01_01(2, big-endian)",
    });
    ([(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"))], Json(body)).into_response()
}

/// `GET /sessions/{code}/calendar.ics`: one session's parts as calendar events.
pub async fn session_calendar(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    let now = nimo_domain::service::support::clock::now();
    match finder::session_ics(&state.platform, &code, now).await {
        Ok((file_name, body)) => calendar_response(body, Some(&file_name)),
        Err(error) => error_response(AppError::from(error)),
    }
}

/// `GET /calendars/{body}.ics`: an implementing body's published public
/// sessions, as a feed a calendar application subscribes to.
pub async fn body_calendar(State(state): State<AppState>, Path(body): Path<String>) -> Response {
    let now = nimo_domain::service::support::clock::now();
    match finder::body_feed(&state.platform, &body, now).await {
        Ok(feed) => calendar_response(feed, None),
        Err(error) => error_response(AppError::from(error)),
    }
}

fn calendar_response(body: String, download_as: Option<&str>) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    if let Some(name) = download_as
        && let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The signed-in staff member of a plain request, and the peer address.
async fn staff_of(
    state: &AppState,
    parts: &axum::http::request::Parts,
) -> (Result<identity::Actor, nimo_domain::service::DomainError>, Option<std::net::IpAddr>) {
    let peer = parts.extensions.get::<ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    let jar = axum_extra::extract::CookieJar::from_headers(&parts.headers);
    let secure = state.platform.public_url.starts_with("https://");
    let token = jar.get(nimo_app::ssr::staff_cookie_name(secure)).map(|c| c.value().to_owned());
    (identity::actor(&state.platform, token.as_deref()).await, peer)
}

/// A CSV download that nobody caches.
fn csv_response(answer: Result<(String, String), nimo_domain::service::DomainError>) -> Response {
    match answer {
        Ok((file_name, body)) => {
            let mut response = body.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(error) => error_response(AppError::from(error)),
    }
}

/// `GET /staff/sessions/{code}/roster.csv`: the roster for Excel (UTF-8
/// with BOM), for staff who run the session; audited like the page.
pub async fn roster_csv(
    State(state): State<AppState>,
    Path(code): Path<String>,
    parts: axum::http::request::Parts,
) -> Response {
    let (actor, peer) = staff_of(&state, &parts).await;
    let answer = match actor {
        Ok(actor) => roster::roster_csv(&state.platform, &actor, &code, peer).await,
        Err(error) => Err(error),
    };
    csv_response(answer)
}

/// `GET /staff/payments.csv`: the 謝金・旅費 of the sessions of the bodies
/// the staff member runs, for Excel; audited.
pub async fn payments_csv(State(state): State<AppState>, parts: axum::http::request::Parts) -> Response {
    let (actor, peer) = staff_of(&state, &parts).await;
    let answer = match actor {
        Ok(actor) => nimo_domain::service::scheduling::payments::csv(&state.platform, &actor, peer).await,
        Err(error) => Err(error),
    };
    csv_response(answer)
}

/// A Japanese message with the error's status, for plain endpoints.
fn error_response(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))], error.to_string())
        .into_response()
}

/// Gives server-function errors and body refusals the answer a person or a
/// client can use:
/// - a form posted without JavaScript (it accepts `text/html`) that failed
///   gets a whole Japanese error page with the error's status (503 when
///   nothing could be stored), not a silent redirect back, and no cookie;
/// - a script's call gets the JSON error with its real status (401, 403,
///   404, 422, 429, 503…) instead of 500, so clients, caches and
///   monitoring see a refusal as a refusal;
/// - a body over the size limit (413) or too slow to arrive (408) gets a
///   Japanese page.
pub async fn server_fn_answers(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let accepts_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    let response = next.run(request).await;
    let refusal = match response.status() {
        StatusCode::PAYLOAD_TOO_LARGE => Some(error_page::TOO_LARGE),
        StatusCode::REQUEST_TIMEOUT => Some(error_page::TOO_SLOW),
        _ => None,
    };
    if let Some(message) = refusal {
        if accepts_html {
            return error_page::page(response.status(), message);
        }
        let error = AppError::Validation { field: String::new(), message: message.to_owned() };
        return (response.status(), Json(error)).into_response();
    }
    if !response.headers().contains_key("serverfnerror") {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    let error = serde_json::from_slice::<AppError>(&bytes).ok();
    if accepts_html {
        let error = error.unwrap_or(AppError::Internal);
        let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return error_page::page(status, &error.to_string());
    }
    parts.status =
        error.and_then(|e| StatusCode::from_u16(e.status_code()).ok()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    parts.headers.remove(header::LOCATION);
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// `POST /test-clock/advance?minutes=N` (1–1440): moves the platform's clock
/// ahead, for end-to-end tests of lateness and expiry. Only merged into the
/// router when the server starts with `NIMO_TEST_CLOCK=1`.
pub fn test_clock_router() -> axum::Router {
    #[derive(serde::Deserialize)]
    struct Advance {
        minutes: i64,
    }
    async fn advance(axum::extract::Query(by): axum::extract::Query<Advance>) -> Response {
        if !(1..=1440).contains(&by.minutes) {
            return (StatusCode::BAD_REQUEST, "minutes: 1..=1440").into_response();
        }
        nimo_domain::service::support::clock::advance_minutes(by.minutes);
        (StatusCode::OK, nimo_domain::service::support::clock::now().to_rfc3339()).into_response()
    }
    axum::Router::new().route("/test-clock/advance", axum::routing::post(advance))
}
