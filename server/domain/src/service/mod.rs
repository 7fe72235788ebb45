//! Server-only half of the domain: the services pages and APIs call, one
//! room (folder) per capability. Rooms lean only on `support` and on rooms
//! listed before them here, never the other way round:
//!
//! - `support`: clock, secret tokens, audit log, rate limits, mail templates;
//! - `content`: the validated `content/` folder (programmes, places);
//! - `catalogue`: what anyone may read about the programmes;
//! - `identity`: who is asking (staff sessions, passwords, learners);
//! - `accounts`: invitations, password resets, people of a jurisdiction;
//! - `certificates`: issue, render, sign and verify;
//! - `scheduling`: sessions' parts, check-in and attendance;
//! - `learning`: the resident's journey through a programme;
//! - `reporting`: national figures;
//! - `demo`: demo sessions for the run command.

pub mod accounts;
pub mod catalogue;
pub mod certificates;
pub mod content;
pub mod demo;
pub mod error;
pub mod identity;
pub mod learning;
pub mod reporting;
pub mod scheduling;
pub mod support;

use ab_glyph::FontArc;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

pub use certificates::signing::CertificateSigner;
pub use content::Content;
pub use error::DomainError;

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
    pub mailer: Arc<support::mail::Mailer>,
    /// The rules a new staff password must meet.
    pub passwords: Arc<identity::passwords::PasswordPolicy>,
    /// Limits on sign-in attempts and e-mailed links.
    pub attempt_limits: Arc<identity::AttemptLimits>,
    /// Repeated identical failures are counted in the audit log, not
    /// written out each time.
    pub audit_repeats: Arc<support::audit::RepeatGate>,
    /// Where the data lives, for the health check.
    pub storage: Arc<crate::store::health::StorageSettings>,
    /// Rung after a change queues mail, so the upkeep sends it at once
    /// rather than at its next round.
    pub mail_wakeup: Arc<tokio::sync::Notify>,
}

impl std::fmt::Debug for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Platform").field("public_url", &self.public_url).finish_non_exhaustive()
    }
}
