//! Inviting someone down the hierarchy.

use crate::{
    components::{feedback::FormFeedback, loaded::loaded},
    staff_api::load_staff_home,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn InvitePage() -> impl IntoView {
    let feedback = FormFeedback::take();
    view! {
        <Title text="担当者の招待 | こころサポート研修" />
        <h1>"担当者を招待する"</h1>
        {feedback.view()}
        {loaded(load_staff_home, move |home| {
            let feedback = feedback.clone();
            view! {
                <form class="form card" method="post" action="/api/staff/invite">
                    <label class="label" for="name">"お名前"</label>
                    <input id="name" name="name" class="input" type="text" required maxlength="40" value=feedback.value("name") />
                    <label class="label" for="email">"メールアドレス"</label>
                    <input id="email" name="email" class="input" type="email" required value=feedback.value("email") />
                    <label class="label" for="role">"役割"</label>
                    <select id="role" name="role" class="input" required>
                        {home.invitable_roles.iter().map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }).collect_view()}
                    </select>
                    <label class="label" for="jurisdiction">"担当する自治体（名前か団体コード。事務局は「全国」）"</label>
                    <input id="jurisdiction" name="jurisdiction" class="input" type="text" required placeholder="例：東京都、新宿区、131041" value=feedback.value("jurisdiction") />
                    <button class="button" type="submit">"招待メールを送る"</button>
                </form>
            }
        })}
        <a class="button button--secondary" href="/staff">"担当者ページへ"</a>
    }
}
