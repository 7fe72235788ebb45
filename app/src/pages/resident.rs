//! Residents signing in on another device with an e-mailed link.

use crate::components::feedback::FormFeedback;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Ask for a sign-in link.
#[component]
pub fn ResidentSignInPage() -> impl IntoView {
    let sent = use_query_map().read_untracked().get("sent").is_some();
    let feedback = FormFeedback::take();
    view! {
        <Title text="受講者のログイン | こころサポート研修" />
        <h1>"受講の記録を開く"</h1>
        {sent.then(|| view! {
            <div class="notice notice--success" role="status" data-testid="link-sent">
                <p>"登録されているメールアドレスであれば、ログイン用のリンクを送りました。メールをご確認ください。"</p>
            </div>
        })}
        {feedback.view()}
        <p>"認定証にメールアドレスを登録した方は、ここからほかのスマートフォンやパソコンでも受講の記録と認定証を開けます。パスワードはいりません。"</p>
        <form class="form card" method="post" action="/api/resident_sign_in">
            <label class="label" for="email">"メールアドレス"</label>
            <input id="email" name="email" class="input" type="email" required autocomplete="email" value=feedback.value("email") />
            <button class="button" type="submit">"ログイン用のリンクを送る"</button>
        </form>
    }
}

/// The page an e-mailed link opens. Signing in needs a tap, so that mail
/// scanners that open links do not use them up.
#[component]
pub fn ResidentLinkPage() -> impl IntoView {
    let token = use_query_map().read_untracked().get("token").unwrap_or_default();
    view! {
        <Title text="ログイン | こころサポート研修" />
        <h1>"ログイン"</h1>
        <form class="form card" method="post" action="/api/use_resident_link">
            <input type="hidden" name="token" value=token />
            <p>"下のボタンを押すと、この端末で受講の記録と認定証を開けるようになります。"</p>
            <button class="button" type="submit">"この端末でログインする"</button>
        </form>
    }
}
