//! Staff sign-in.

use crate::components::feedback::FormFeedback;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map().read_untracked();
    let notice = if query.get("signed_out").is_some() {
        Some("ログアウトしました。")
    } else if query.get("reset").is_some() {
        Some("パスワードを変更しました。新しいパスワードでログインしてください。")
    } else {
        None
    };
    let feedback = FormFeedback::take();
    view! {
        <Title text="担当者ログイン | こころサポート研修" />
        <h1>"担当者ログイン"</h1>
        {notice.map(|n| view! { <div class="notice notice--success" role="status"><p>{n}</p></div> })}
        {feedback.view()}
        <form class="form card" method="post" action="/api/staff/sign_in">
            <label class="label" for="email">"メールアドレス"</label>
            <input id="email" name="email" class="input" type="email" required autocomplete="username" value=feedback.value("email") />
            <label class="label" for="password">"パスワード"</label>
            <input id="password" name="password" class="input" type="password" required autocomplete="current-password" />
            <button class="button" type="submit">"ログイン"</button>
        </form>
        <p><a href="/staff/forgot">"パスワードを忘れた方"</a></p>
        <p class="hint">"アカウントは招待制です。担当の自治体・事務局から届く招待メールで登録してください。"</p>
    }
}
