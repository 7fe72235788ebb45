//! The Content-Security-Policy every page is served with.
//!
//! Scripts run only from this origin or inline with the per-request nonce
//! Leptos puts on its own bootstrap scripts; `'wasm-unsafe-eval'` lets the
//! islands' WASM compile and allows no JavaScript `eval`. No page may be
//! framed (`frame-ancestors 'none'`) and forms post only here.

use leptos::prelude::*;

/// The policy; `nonce` is the request's, when a page is rendered.
#[must_use]
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(nonce) => format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_owned(),
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Headers of a rendered page: the CSP with this request's nonce, and no
/// caching (pages can show personal data, and the count is live).
pub fn set_page_headers() {
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else { return };
    let nonce = leptos::nonce::use_nonce().map(|n| n.to_string());
    if let Ok(csp) = http::HeaderValue::from_str(&content_security_policy(nonce.as_deref())) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, csp);
    }
    response.insert_header(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
}
