//! The domain's error: rich inside the server, turned into the app's
//! serialisable `AppError` at the boundary. Messages in `Validation` and
//! `NotFound` are for users, in Japanese; `Internal` causes are only logged.

use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The input cannot be accepted; the message tells the user what to fix.
    #[error("{message}")]
    Validation { field: &'static str, message: String },
    #[error("{0}")]
    NotFound(String),
    /// No learner cookie, or one that matches no enrollment.
    #[error("受講の記録が見つかりません。受講コードから始めてください")]
    NoLearner,
    /// No signed-in staff session, or one that timed out.
    #[error("ログインしてください（一定時間操作がないとログアウトします）")]
    NotSignedIn,
    /// Signed in, but this is outside the person's roles or jurisdiction.
    #[error("{0}")]
    Forbidden(String),
    /// Too many attempts from this address or for this account.
    #[error("試行回数が多すぎます。しばらく待ってからもう一度お試しください")]
    TooManyAttempts,
    /// A feature is unavailable on this installation (e.g. no font).
    #[error("{0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    #[error("internal error: {0}")]
    Internal(String),
}

impl DomainError {
    pub fn validation(field: &'static str, message: impl Into<String>) -> Self {
        Self::Validation { field, message: message.into() }
    }
}
