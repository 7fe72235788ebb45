//! The server of the にも包括 training platform: start-up (configuration,
//! content, database, keys) and the axum router around the Leptos app.

pub mod config;
pub mod error_page;
pub mod routes;
pub mod security;
pub mod serve;

use axum::{Router, http::HeaderValue, routing::get};
use config::{Limits, Settings};
use leptos::{config::LeptosOptions, prelude::provide_context};
use leptos_axum::{LeptosRoutes, generate_route_list};
use nimo_app::{
    app::{App, shell},
    ssr::AppState,
};
use nimo_domain::{
    service::{
        Content, Platform,
        certificates::{render, signing},
        demo,
        identity::{AttemptLimits, passwords::PasswordPolicy},
        support::{audit::RepeatGate, mail::Mailer},
    },
    store::{db, health::StorageSettings},
};
use std::sync::Arc;
use tower_http::{compression::CompressionLayer, set_header::SetResponseHeaderLayer};

/// Why the server did not start. Every one stops it: serving with broken
/// content, an unmigrated database or no signing key would do harm.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot create the data directory {0}: {1}")]
    DataDir(String, std::io::Error),
    #[error("content: {0}")]
    Content(#[from] nimo_domain::service::content::ContentLoadError),
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("signing key: {0}")]
    SigningKey(#[from] nimo_domain::service::certificates::signing::KeyError),
    #[error("demo data: {0}")]
    Demo(#[from] nimo_domain::service::DomainError),
    #[error("common-password list: {0}")]
    PasswordList(std::io::Error),
    #[error("mail: {0}")]
    Mail(#[from] nimo_domain::service::support::mail::MailError),
}

/// Loads everything and builds the platform.
///
/// # Errors
/// See [`StartupError`].
pub async fn start_platform(settings: &Settings) -> Result<Platform, StartupError> {
    std::fs::create_dir_all(&settings.data_dir)
        .map_err(|e| StartupError::DataDir(settings.data_dir.display().to_string(), e))?;
    let content = Content::load(&settings.content_dir)?;
    let db = db::connect_and_migrate_with(&settings.database_url, settings.busy_timeout).await?;
    content.check_stored(&db).await?;
    let signer =
        signing::open_guarded(&db, settings.signing_key.as_deref(), &settings.data_dir.join("certificate-signing.key"))
            .await?;
    let certificate_font = render::load_font(settings.certificate_font.as_deref());
    if certificate_font.is_none() {
        tracing::warn!(
            "no Japanese font found for certificate images (set CERTIFICATE_FONT or install fonts-ipaexfont-gothic); \
             PNG downloads will answer 503"
        );
    }
    let passwords = PasswordPolicy::load(&settings.content_dir).map_err(StartupError::PasswordList)?;
    let mailer = Mailer::new(&settings.mail)?;
    let platform = Platform {
        db,
        content: Arc::new(content),
        signer: Arc::new(signer),
        public_url: settings.public_url.clone().into(),
        certificate_font,
        mailer: Arc::new(mailer),
        passwords: Arc::new(passwords),
        attempt_limits: Arc::new(AttemptLimits::default()),
        audit_repeats: Arc::new(RepeatGate::default()),
        storage: Arc::new(StorageSettings {
            data_dir: settings.data_dir.clone(),
            min_free_bytes: settings.min_free_bytes,
            ..StorageSettings::default()
        }),
        mail_wakeup: Arc::new(tokio::sync::Notify::new()),
    };
    if settings.demo_data {
        let created = demo::seed(&platform).await?;
        let codes: Vec<&str> = platform.content.demo_sessions.iter().map(|s| s.code.as_str()).collect();
        tracing::info!(created, "demo sessions ready: {}", codes.join(", "));
    }
    Ok(platform)
}

/// The plain HTTP routes beside the Leptos pages and server functions. One
/// list, so the authorization matrix test sees every route the router has.
pub fn plain_routes() -> Vec<(&'static str, axum::routing::MethodRouter<AppState>)> {
    vec![
        ("/healthz", get(routes::healthz)),
        ("/api/v1/stats/national", get(routes::national_stats)),
        ("/certificate.png", get(routes::certificate_png)),
        ("/sessions/{code}/calendar.ics", get(routes::session_calendar)),
        ("/calendars/{body}", get(routes::body_calendar)),
        ("/staff/sessions/{code}/roster.csv", get(routes::roster_csv)),
        ("/staff/payments.csv", get(routes::payments_csv)),
        ("/.well-known/nimo-certificate-keys.json", get(routes::certificate_keys)),
    ]
}

/// The whole HTTP application with the default limits.
pub fn router(state: AppState) -> Router {
    router_with(state, &Limits::default())
}

/// The whole HTTP application; `limits` bounds request bodies.
pub fn router_with(state: AppState, limits: &Limits) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let fallback_state = state.clone();
    let options = state.leptos_options.clone();
    let guards = security::Guards::new(&state.platform.public_url, state.platform.attempt_limits.clone());
    let https = state.platform.public_url.starts_with("https://");
    let mut plain = Router::new();
    for (path, handler) in plain_routes() {
        plain = plain.route(path, handler);
    }
    let router = plain
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            move || provide_context(fallback_state.clone()),
            shell,
        ))
        // Bodies are bounded in size and in time; the answers below turn the
        // refusals into Japanese pages.
        // An absolute deadline per request (body and answer), not per chunk:
        // a body trickled a byte at a time cannot hold a connection.
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            http::StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(limits.max_body_bytes))
        .layer(axum::middleware::from_fn(routes::server_fn_answers))
        .layer(axum::middleware::from_fn_with_state(guards, security::guard))
        // Pages set their own policy with the request's nonce; this covers
        // everything else (files, JSON, images, errors).
        .layer(SetResponseHeaderLayer::if_not_present(
            http::header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&nimo_app::ssr::security::content_security_policy(None))
                .unwrap_or(HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'")),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            http::header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            http::header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(http::header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(CompressionLayer::new());
    let router = if https {
        router.layer(SetResponseHeaderLayer::if_not_present(
            http::header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        ))
    } else {
        router
    };
    router.with_state(state)
}

/// Builds the state from settings and Leptos's options.
///
/// # Errors
/// See [`StartupError`].
pub async fn build_state(settings: &Settings, leptos_options: LeptosOptions) -> Result<AppState, StartupError> {
    let platform = start_platform(settings).await?;
    // Offers that lapse, reminders, sessions under way, and the mail outbox.
    tokio::spawn(nimo_domain::service::scheduling::upkeep::keep_running(platform.clone(), settings.upkeep_every));
    Ok(AppState { leptos_options, platform })
}

/// Invites the first secretariat account of a fresh install (there is no
/// default password): prints nothing, returns the link that was e-mailed.
///
/// # Errors
/// Invalid e-mail or name; mail failures.
pub async fn invite_first_secretariat(
    platform: &Platform,
    email: &str,
    name: &str,
) -> Result<String, nimo_domain::service::DomainError> {
    use nimo_domain::roles::{Role, Scope};
    nimo_domain::service::accounts::invite(platform, None, email, name, Role::Secretariat, Scope::National, None).await
}
