//! Accepting an invitation: choose a password, and you are signed in.

use crate::{
    components::{feedback::FormFeedback, loaded::loaded, password_fields::NewPasswordFields},
    staff_api::invitation_info,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AcceptPage() -> impl IntoView {
    let token = use_query_map().read_untracked().get("token").unwrap_or_default();
    let feedback = FormFeedback::take();
    let load_token = token.clone();
    view! {
        <Title text="担当者登録 | こころサポート研修" />
        <h1>"担当者登録"</h1>
        {feedback.view()}
        {loaded(move || invitation_info(load_token.clone()), move |invitation| {
            let token = token.clone();
            view! {
                <dl class="facts card">
                    <dt>"お名前"</dt><dd>{invitation.display_name.clone()}</dd>
                    <dt>"メール"</dt><dd>{invitation.email.clone()}</dd>
                    <dt>"担当"</dt><dd data-testid="invited-role">{format!("{}　{}", invitation.place, invitation.role)}</dd>
                </dl>
                <form class="form card" method="post" action="/api/staff/accept">
                    <input type="hidden" name="token" value=token />
                    <p class="hint">{if invitation.existing_account {
                        "登録済みのパスワードを入力すると、この担当が追加されます。"
                    } else {
                        "パスワードを決めてください。8文字以上（15文字以上をおすすめします）。記号などの決まりはありません。よく使われるものやメールアドレスは使えません。"
                    }}</p>
                    <NewPasswordFields label="パスワード" />
                    <button class="button" type="submit">"登録する"</button>
                </form>
            }
        })}
    }
}
