//! Forgotten passwords: ask for a link, then set a new password.

use crate::components::{feedback::FormFeedback, password_fields::NewPasswordFields};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ForgotPage() -> impl IntoView {
    let sent = use_query_map().read_untracked().get("sent").is_some();
    let feedback = FormFeedback::take();
    view! {
        <Title text="パスワードの再設定 | こころサポート研修" />
        <h1>"パスワードの再設定"</h1>
        {sent.then(|| view! { <div class="notice notice--success" role="status"><p>"登録されているメールアドレスであれば、再設定用のリンクを送りました。メールをご確認ください。"</p></div> })}
        {feedback.view()}
        <form class="form card" method="post" action="/api/staff/forgot">
            <label class="label" for="email">"メールアドレス"</label>
            <input id="email" name="email" class="input" type="email" required value=feedback.value("email") />
            <button class="button" type="submit">"再設定用のリンクを送る"</button>
        </form>
    }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let token = use_query_map().read_untracked().get("token").unwrap_or_default();
    let feedback = FormFeedback::take();
    view! {
        <Title text="新しいパスワード | こころサポート研修" />
        <h1>"新しいパスワード"</h1>
        {feedback.view()}
        <form class="form card" method="post" action="/api/staff/reset">
            <input type="hidden" name="token" value=token />
            <p class="hint">"8文字以上（15文字以上をおすすめします）。記号などの決まりはありません。"</p>
            <NewPasswordFields label="新しいパスワード" />
            <button class="button" type="submit">"変更する"</button>
        </form>
    }
}
