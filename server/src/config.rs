//! Configuration from the environment. Leptos's own `LEPTOS_*` variables
//! (site address, site root) are read by `leptos::config::get_configuration`.

use nimo_domain::server::mail::{MailSettings, SmtpSecurity};
use std::{net::SocketAddr, path::PathBuf};

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
    /// Outgoing mail: `MAIL_FROM`, `SMTP_HOST`, `SMTP_PORT`, `SMTP_SECURITY`
    /// (`none`, `starttls` or `tls`; default `starttls`), `SMTP_USERNAME`,
    /// `SMTP_PASSWORD`. Without `SMTP_HOST`, mail goes to `DATA_DIR/outbox`.
    pub mail: MailSettings,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("PUBLIC_URL must start with http:// or https:// (got {0})")]
    PublicUrl(String),
    #[error("SMTP_SECURITY must be none, starttls or tls (got {0})")]
    SmtpSecurity(String),
    #[error("SMTP_PORT must be a port number (got {0})")]
    SmtpPort(String),
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
        let settings = Self {
            mail,
            database_url: var("DATABASE_URL").unwrap_or_else(|| sqlite_url(&data_dir)),
            public_url: public_url.trim_end_matches('/').to_owned(),
            content_dir: PathBuf::from(var("CONTENT_DIR").unwrap_or_else(|| "./content".into())),
            signing_key: var("CERTIFICATE_SIGNING_KEY"),
            certificate_font: var("CERTIFICATE_FONT").map(PathBuf::from),
            demo_data: var("DEMO_DATA").is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true")),
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
