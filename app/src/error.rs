//! The one error type that crosses from server to browser. It carries only
//! what a user may read (Japanese messages), never internal causes.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "error", content = "detail", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AppError {
    /// Input the user can correct; `field` names the form field.
    #[error("{message}")]
    Validation { field: String, message: String },
    #[error("{0}")]
    NotFound(String),
    #[error("受講の記録が見つかりません。受講コードから始めてください")]
    NoLearner,
    #[error("ログインしてください（一定時間操作がないとログアウトします）")]
    NotSignedIn,
    #[error("{0}")]
    Forbidden(String),
    #[error("試行回数が多すぎます。しばらく待ってからもう一度お試しください")]
    TooManyAttempts,
    #[error("{0}")]
    Unavailable(String),
    /// Nothing was stored: the disk is full, failing, or another writer held
    /// the lock too long. The message says so and what to do.
    #[error("{0}")]
    Storage(String),
    #[error("サーバーで問題が起きました。時間をおいてもう一度お試しください")]
    Internal,
    /// The request never reached the function or its answer was unreadable.
    #[error("通信に失敗しました。電波のよい所でもう一度お試しください")]
    Transport,
}

impl AppError {
    /// The HTTP status a page or endpoint answers with for this error.
    #[must_use]
    pub fn status_code(&self) -> u16 {
        match self {
            Self::Validation { .. } => 422,
            Self::NotFound(_) => 404,
            Self::NoLearner | Self::NotSignedIn => 401,
            Self::Forbidden(_) => 403,
            Self::TooManyAttempts => 429,
            Self::Unavailable(_) | Self::Storage(_) => 503,
            Self::Internal => 500,
            Self::Transport => 400,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(_value: ServerFnErrorErr) -> Self {
        Self::Transport
    }
}

#[cfg(feature = "ssr")]
impl From<nimo_domain::service::DomainError> for AppError {
    fn from(error: nimo_domain::service::DomainError) -> Self {
        use nimo_domain::service::DomainError as D;
        match error {
            D::Validation { field, message } => Self::Validation { field: field.to_owned(), message },
            D::NotFound(message) => Self::NotFound(message),
            D::NoLearner => Self::NoLearner,
            D::NotSignedIn => Self::NotSignedIn,
            D::Forbidden(message) => Self::Forbidden(message),
            D::TooManyAttempts => Self::TooManyAttempts,
            D::Unavailable(message) => Self::Unavailable(message),
            D::Database(cause) => match nimo_domain::store::db::StorageFailure::of(&cause) {
                Some(failure) => {
                    tracing::error!(error = %cause, ?failure, "storage failure: nothing was stored");
                    Self::Storage(failure.message_ja().to_owned())
                }
                None => {
                    tracing::error!(error = %cause, "database error");
                    Self::Internal
                }
            },
            D::Internal(cause) => {
                tracing::error!(error = %cause, "internal error");
                Self::Internal
            }
        }
    }
}
