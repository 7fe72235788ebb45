//! Error and status messages, and the HTTP status that goes with them.

use crate::error::AppError;
use leptos::prelude::*;

/// Sets the status of the response being rendered (no-op in the browser).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code))
    {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// Shows an error in plain Japanese with a way forward, and sets the status.
#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    set_status(error.status_code());
    let action = match error {
        AppError::NoLearner => Some(("/", "受講コードを入力する")),
        AppError::NotSignedIn => Some(("/staff/sign-in", "ログインする")),
        AppError::NotFound(_) => Some(("/", "トップページへ")),
        _ => None,
    };
    view! {
        <div class="notice notice--error" role="alert">
            <p>{error.to_string()}</p>
            {action.map(|(href, text)| view! { <a class="button button--secondary" href=href>{text}</a> })}
        </div>
    }
}

/// The message a form left for this page (see `ssr::flash`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormFeedback {
    pub message: Option<String>,
    pub values: Vec<(String, String)>,
}

impl FormFeedback {
    /// Takes the flash of the current request (server only).
    #[must_use]
    pub fn take() -> Self {
        #[cfg(feature = "ssr")]
        {
            crate::ssr::flash::take()
                .map(|f| {
                    set_status(if f.status >= 400 { f.status } else { 422 });
                    Self { message: Some(f.message), values: f.values }
                })
                .unwrap_or_default()
        }
        #[cfg(not(feature = "ssr"))]
        Self::default()
    }

    #[must_use]
    pub fn value(&self, field: &str) -> String {
        self.values.iter().find(|(k, _)| k == field).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    pub fn view(&self) -> impl IntoView + use<> {
        self.message.clone().map(|message| {
            view! {
                <div class="notice notice--error" role="alert" data-testid="form-error">
                    <p>{message}</p>
                </div>
            }
        })
    }
}
