//! The page for any unknown address.

use crate::components::feedback::set_status;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="ページが見つかりません | こころサポート研修" />
        <h1>"ページが見つかりません"</h1>
        <div class="notice notice--error" role="alert">
            <p>"お探しのページは見つかりませんでした。URLをお確かめください。認定証の確認ページの場合は、「確認できません」という意味です。"</p>
            <a class="button button--secondary" href="/">"トップページへ"</a>
        </div>
    }
}
