//! Configuration from the environment. Leptos's own `LEPTOS_*` variables
//! (site address, site root) are read by `leptos::config::get_configuration`.

use nimo_domain::service::support::mail::{MailSettings, SmtpSecurity};
use std::{net::SocketAddr, path::PathBuf, time::Duration};

/// How the server protects itself from slow and greedy clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// `MAX_CONNECTIONS`: open connections at once; more wait in the
    /// kernel's queue until one closes. Default 4096.
    pub max_connections: usize,
    /// `HEADER_READ_TIMEOUT_SECS`: a client must send a request's headers
    /// within this time (also between requests on a kept-alive
    /// connection), or the connection is closed. Default 10 s.
    pub header_read_timeout: Duration,
    /// `REQUEST_TIMEOUT_SECS`: a request must be received and answered
    /// within this time (an absolute deadline, not per chunk); 408 and a
    /// Japanese page otherwise. Default 30 s.
    pub request_timeout: Duration,
    /// `MAX_CONNECTION_SECS`: the longest a connection stays open; then it
    /// finishes the answer in flight and closes (browsers reconnect). A
    /// client that never reads its answers cannot keep its slot. Default 300 s.
    pub max_connection_lifetime: Duration,
    /// `MAX_BODY_BYTES`: the largest request body (forms are a few hundred
    /// bytes). Default 16 KiB; larger bodies get 413 and a Japanese page.
    pub max_body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: 4096,
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_connection_lifetime: Duration::from_secs(300),
            max_body_bytes: 16 * 1024,
        }
    }
}

/// What the server needs besides Leptos's options.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where the SQLite file and the signing key live. `DATA_DIR`, default `./data`.
    pub data_dir: PathBuf,
    /// `DATABASE_URL`; default: the SQLite file `nimo.db` in the data directory.
    pub database_url: String,
    /// `PUBLIC_URL`: the base of every URL printed in a QR code. Default:
    /// `http://` and the site address.
    pub public_url: String,
    /// `CONTENT_DIR`, default `./content`.
    pub content_dir: PathBuf,
    /// `CERTIFICATE_SIGNING_KEY`: a base64url Ed25519 seed. When absent the
    /// key file `certificate-signing.key` in the data directory is used, and
    /// created on first run.
    pub signing_key: Option<String>,
    /// `CERTIFICATE_FONT`: a TrueType/OpenType font with Japanese glyphs for
    /// certificate images. Default: the first of Debian's Japanese fonts found.
    pub certificate_font: Option<PathBuf>,
    /// `DEMO_DATA=1` seeds demo sessions at start-up.
    pub demo_data: bool,
    /// `DB_BUSY_TIMEOUT_MS`: how long a write waits for another writer
    /// before the user is told to try again. Default 3000.
    pub busy_timeout: Duration,
    /// `MIN_FREE_MB`: below this much free space in `DATA_DIR`, `/healthz`
    /// answers 503. Default 64.
    pub min_free_bytes: u64,
    /// Connection limits and timeouts.
    pub limits: Limits,
    /// Outgoing mail: `MAIL_FROM`, `SMTP_HOST`, `SMTP_PORT`, `SMTP_SECURITY`
    /// (`none`, `starttls` or `tls`; default `starttls`), `SMTP_USERNAME`,
    /// `SMTP_PASSWORD`. Without `SMTP_HOST`, mail goes to `DATA_DIR/outbox`.
    pub mail: MailSettings,
    /// `UPKEEP_EVERY_SECS`: how often offers that lapsed pass on, reminders
    /// and unsent mail go out (also at once after each change). Default 30.
    pub upkeep_every: Duration,
    /// `NIMO_TEST_CLOCK=1` adds `POST /test-clock/advance` so end-to-end
    /// tests can move time forward. Never set it in production.
    pub test_clock: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("PUBLIC_URL must start with http:// or https:// (got {0})")]
    PublicUrl(String),
    #[error("SMTP_SECURITY must be none, starttls or tls (got {0})")]
    SmtpSecurity(String),
    #[error("SMTP_PORT must be a port number (got {0})")]
    SmtpPort(String),
    #[error("{0} must be a whole number (got {1})")]
    Number(&'static str, String),
}

impl Settings {
    /// Reads the environment.
    ///
    /// # Errors
    /// A malformed `PUBLIC_URL`.
    pub fn from_env(site_addr: SocketAddr) -> Result<Self, ConfigError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let data_dir = PathBuf::from(var("DATA_DIR").unwrap_or_else(|| "./data".into()));
        let public_url = var("PUBLIC_URL").unwrap_or_else(|| format!("http://{site_addr}"));
        let smtp_security = match var("SMTP_SECURITY").as_deref().unwrap_or("starttls") {
            "none" => SmtpSecurity::None,
            "starttls" => SmtpSecurity::StartTls,
            "tls" => SmtpSecurity::Tls,
            other => return Err(ConfigError::SmtpSecurity(other.to_owned())),
        };
        let smtp_port = match var("SMTP_PORT") {
            Some(port) => Some(port.parse().map_err(|_| ConfigError::SmtpPort(port))?),
            None => None,
        };
        let mail = MailSettings {
            from: var("MAIL_FROM").unwrap_or_else(|| "こころサポート研修 <no-reply@localhost>".into()),
            smtp_host: var("SMTP_HOST"),
            smtp_port,
            smtp_security,
            smtp_username: var("SMTP_USERNAME"),
            smtp_password: var("SMTP_PASSWORD"),
            outbox: data_dir.join("outbox"),
        };
        let number = |name: &'static str, default: u64| -> Result<u64, ConfigError> {
            match var(name) {
                Some(value) => value.trim().parse().map_err(|_| ConfigError::Number(name, value)),
                None => Ok(default),
            }
        };
        let defaults = Limits::default();
        let limits = Limits {
            max_connections: usize::try_from(number("MAX_CONNECTIONS", defaults.max_connections as u64)?)
                .unwrap_or(defaults.max_connections)
                .max(1),
            header_read_timeout: Duration::from_secs(
                number("HEADER_READ_TIMEOUT_SECS", defaults.header_read_timeout.as_secs())?.max(1),
            ),
            request_timeout: Duration::from_secs(
                number("REQUEST_TIMEOUT_SECS", defaults.request_timeout.as_secs())?.max(1),
            ),
            max_connection_lifetime: Duration::from_secs(
                number("MAX_CONNECTION_SECS", defaults.max_connection_lifetime.as_secs())?.max(1),
            ),
            max_body_bytes: usize::try_from(number("MAX_BODY_BYTES", defaults.max_body_bytes as u64)?)
                .unwrap_or(defaults.max_body_bytes)
                .max(1024),
        };
        let settings = Self {
            busy_timeout: Duration::from_millis(number("DB_BUSY_TIMEOUT_MS", 3000)?.clamp(100, 60_000)),
            min_free_bytes: number("MIN_FREE_MB", 64)?.saturating_mul(1024 * 1024),
            limits,
            mail,
            database_url: var("DATABASE_URL").unwrap_or_else(|| sqlite_url(&data_dir)),
            public_url: public_url.trim_end_matches('/').to_owned(),
            content_dir: PathBuf::from(var("CONTENT_DIR").unwrap_or_else(|| "./content".into())),
            signing_key: var("CERTIFICATE_SIGNING_KEY"),
            certificate_font: var("CERTIFICATE_FONT").map(PathBuf::from),
            demo_data: var("DEMO_DATA").is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true")),
            upkeep_every: Duration::from_secs(number("UPKEEP_EVERY_SECS", 30)?.clamp(1, 3600)),
            test_clock: var("NIMO_TEST_CLOCK").is_some_and(|v| v == "1"),
            data_dir,
        };
        settings.validate()
    }

    /// Checks values that came from outside.
    ///
    /// # Errors
    /// A malformed `PUBLIC_URL`.
    pub fn validate(self) -> Result<Self, ConfigError> {
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            return Err(ConfigError::PublicUrl(self.public_url));
        }
        Ok(self)
    }
}

/// The SQLite URL of the database file in `data_dir` (created if missing).
#[must_use]
pub fn sqlite_url(data_dir: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", data_dir.join("nimo.db").display())
}
