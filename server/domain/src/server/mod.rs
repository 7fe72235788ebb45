//! Server-only half of the domain: storage, content loading, signing, images
//! and the services that pages and APIs call.

pub mod accounts;
pub mod audit;
pub mod certificates;
pub mod content;
pub mod db;
pub mod demo;
pub mod entity;
pub mod error;
pub mod health;
pub mod learning;
pub mod mail;
pub mod migration;
pub mod png;
pub mod residents;
pub mod signing;
pub mod stats;

use ab_glyph::FontArc;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

pub use content::Content;
pub use error::DomainError;
pub use signing::CertificateSigner;

/// Everything the services need, cheap to clone (it is all shared).
#[derive(Clone)]
pub struct Platform {
    pub db: DatabaseConnection,
    pub content: Arc<Content>,
    pub signer: Arc<CertificateSigner>,
    /// Base of every URL printed in a QR code, without a trailing slash.
    pub public_url: Arc<str>,
    /// Japanese font for certificate images; `None` if none was found, in
    /// which case PNG downloads answer with a clear error and all else works.
    pub certificate_font: Option<FontArc>,
    pub mailer: Arc<mail::Mailer>,
    /// Password rules and sign-in limits.
    pub accounts: Arc<accounts::Accounts>,
    /// Where the data lives, for the health check.
    pub storage: Arc<health::StorageSettings>,
}

impl std::fmt::Debug for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Platform").field("public_url", &self.public_url).finish_non_exhaustive()
    }
}
