//! Protections shared by every route: refusing state changes sent from
//! other sites, per-address rate limits on the endpoints that can be abused
//! for enumeration or flooding, and the security headers.

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use nimo_domain::service::{
    identity::AttemptLimits,
    support::limiter::{Limiter, Rate},
};
use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::Arc,
    time::Duration,
};

/// Per-address limits. Generous enough for a classroom of phones behind one
/// school NAT joining at once; tight enough to make guessing expensive.
pub struct Guards {
    public_origin: String,
    verify: Limiter<IpAddr>,
    join: Limiter<IpAddr>,
}

impl Guards {
    #[must_use]
    /// Limits for the routes; `attempts` (the sign-in limits the services
    /// keep) is cleaned up on the same minute tick.
    pub fn new(public_url: &str, attempts: Arc<AttemptLimits>) -> Arc<Self> {
        let guards = Arc::new(Self {
            public_origin: origin_of(public_url).to_owned(),
            // Certificate look-ups: 60 a minute, 60 at once.
            verify: Limiter::new(Rate::per_minute(60, 60)),
            // Joining sessions: 200 a minute, 100 at once.
            join: Limiter::new(Rate::per_minute(200, 100)),
        });
        // Forget idle addresses so memory stays bounded.
        let weak = Arc::downgrade(&guards);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                let Some(guards) = weak.upgrade() else { break };
                guards.verify.forget_idle();
                guards.join.forget_idle();
                attempts.forget_idle();
            }
        });
        guards
    }
}

/// "https://example.jp:8443/path" → "https://example.jp:8443".
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// True when a browser tells us the request comes from another site. The
/// `Origin` must be ours (the public URL, or the host the request was sent
/// to); without `Origin`, `Sec-Fetch-Site` must not say cross-site.
fn is_cross_origin(request: &Request, public_origin: &str) -> bool {
    let headers = request.headers();
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        if origin == public_origin {
            return false;
        }
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let origin_host = origin.split_once("://").map_or("", |(_, rest)| rest);
        return host.is_empty() || origin_host != host;
    }
    headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()).is_some_and(|site| site == "cross-site")
}

fn refusal(status: StatusCode, message: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))], message).into_response()
}

/// The middleware.
pub async fn guard(State(guards): State<Arc<Guards>>, request: Request, next: Next) -> Response {
    if is_state_changing(request.method()) && is_cross_origin(&request, &guards.public_origin) {
        tracing::warn!(path = %request.uri().path(), "refused a cross-origin state change");
        return refusal(
            StatusCode::FORBIDDEN,
            "別のサイトからの送信は受け付けていません。このサイトのページから操作してください。",
        );
    }
    let address = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ConnectInfo(a)| a.ip());
    let path = request.uri().path();
    let limiter = if path.starts_with("/v/") || path == "/api/verify_certificate" {
        Some(&guards.verify)
    } else if path == "/api/join" {
        Some(&guards.join)
    } else {
        None
    };
    if let Some(limiter) = limiter
        && !limiter.allow(&address)
    {
        let mut response = refusal(
            StatusCode::TOO_MANY_REQUESTS,
            "短い時間にたくさんのアクセスがありました。1分ほど待ってから、もう一度お試しください。",
        );
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        return response;
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_host_and_port() {
        assert_eq!(origin_of("https://example.jp/path"), "https://example.jp");
        assert_eq!(origin_of("http://127.0.0.1:3000"), "http://127.0.0.1:3000");
    }
}
