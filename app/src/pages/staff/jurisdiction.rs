//! One jurisdiction's people, for those who oversee it.

use crate::{components::loaded::loaded, staff_api::load_jurisdiction_people};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn JurisdictionPage() -> impl IntoView {
    let code = use_params_map().read_untracked().get("code").unwrap_or_default();
    view! {
        <Title text="担当者の一覧 | こころサポート研修" />
        {loaded(move || load_jurisdiction_people(code.clone()), |data| view! {
            <h1>{format!("{}の担当者", data.place)}</h1>
            <table class="table">
                <thead><tr><th>"お名前"</th><th>"メール"</th><th>"役割"</th></tr></thead>
                <tbody>
                    {data.people.into_iter().map(|p| view! {
                        <tr><td>{p.display_name}</td><td>{p.email}</td><td>{p.roles.join("、")}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        <a class="button button--secondary" href="/staff">"担当者ページへ"</a>
    }
}
