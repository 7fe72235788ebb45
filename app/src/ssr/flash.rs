//! A one-shot message carried across a redirect in a cookie: the error of a
//! form and the values the user typed, shown once on the next page.

use super::{request_cookie, set_cookie};
use crate::error::AppError;
use axum_extra::extract::cookie::{Cookie, SameSite};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};

const COOKIE: &str = "nimo_flash";
/// Values are truncated so the cookie stays far below browsers' 4 KB limit.
const MAX_VALUE_CHARS: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub message: String,
    /// The status the page shows the message with (422, 403, 429…).
    #[serde(default)]
    pub status: u16,
    pub field: Option<String>,
    pub values: Vec<(String, String)>,
}

impl Flash {
    #[must_use]
    pub fn new(error: &AppError, values: &[(&str, &str)]) -> Self {
        let field = match error {
            AppError::Validation { field, .. } => Some(field.clone()),
            _ => None,
        };
        Self {
            // Messages may quote what was typed: bounded like the values.
            message: error.to_string().chars().take(MAX_VALUE_CHARS * 2).collect(),
            status: error.status_code(),
            field,
            values: values.iter().map(|(k, v)| ((*k).to_owned(), v.chars().take(MAX_VALUE_CHARS).collect())).collect(),
        }
    }

    /// The value the user typed into `field`, to fill the form again.
    #[must_use]
    pub fn value(&self, field: &str) -> Option<String> {
        self.values.iter().find(|(k, _)| k == field).map(|(_, v)| v.clone())
    }
}

/// Cookie values may not hold spaces, quotes or non-ASCII: base64url them.
fn encode(flash: &Flash) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(flash).unwrap_or_default())
}

pub fn set(flash: &Flash) {
    let cookie = Cookie::build((COOKIE, encode(flash)))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(cookie::time::Duration::minutes(5))
        .build();
    set_cookie(&cookie);
}

/// Reads the flash of this request and clears it in the response.
#[must_use]
pub fn take() -> Option<Flash> {
    let raw = request_cookie(COOKIE)?;
    let clear = Cookie::build((COOKIE, "")).path("/").max_age(cookie::time::Duration::ZERO).build();
    set_cookie(&clear);
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(raw).ok()?).ok()
}
