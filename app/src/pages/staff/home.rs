//! The staff home: who I am, my roles, and where I can go.

use crate::{components::loaded::loaded, staff_api::load_staff_home};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use nimo_domain::view::StaffHome;

#[component]
pub fn StaffHomePage() -> impl IntoView {
    let invited = use_query_map().read_untracked().get("invited");
    view! {
        <Title text="担当者ページ | こころサポート研修" />
        {invited.map(|email| view! {
            <div class="notice notice--success" role="status" data-testid="invited"><p>{format!("{email} に招待メールを送りました。")}</p></div>
        })}
        {loaded(load_staff_home, |home| view! { <Home home /> })}
    }
}

#[component]
fn Home(home: StaffHome) -> impl IntoView {
    let can_invite = !home.invitable_roles.is_empty();
    view! {
        <h1>{format!("{} さん", home.display_name)}</h1>
        <p class="hint">{home.email.clone()}</p>
        <h2>"担当"</h2>
        <ul class="modules">
            {home.grants.iter().map(|(role, place, scope)| view! {
                <li class="modules__item">
                    <a href=format!("/staff/j/{scope}")>
                        <span class="modules__title">{format!("{place}　{role}")}</span>
                        <span class="modules__meta">"担当者の一覧を見る"</span>
                    </a>
                </li>
            }).collect_view()}
        </ul>
        {can_invite.then(|| view! { <a class="button" href="/staff/invite">"担当者を招待する"</a> })}
        <a class="button button--secondary" href="/staff/audit">"自分の操作記録"</a>
        <form method="post" action="/api/staff/sign_out">
            <button class="button button--secondary" type="submit">"ログアウト"</button>
        </form>
    }
}
