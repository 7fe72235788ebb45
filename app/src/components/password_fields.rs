//! A new password typed twice, as every form that sets one asks for it.

use leptos::prelude::*;

/// Fields `password` and `password_again`, labelled `label` and `label（確認）`.
#[component]
pub fn NewPasswordFields(label: &'static str) -> impl IntoView {
    view! {
        <label class="label" for="password">{label}</label>
        <input id="password" name="password" class="input" type="password" required minlength="8" maxlength="128" autocomplete="new-password" />
        <label class="label" for="password_again">{format!("{label}（確認）")}</label>
        <input id="password_again" name="password_again" class="input" type="password" required minlength="8" maxlength="128" autocomplete="new-password" />
    }
}
