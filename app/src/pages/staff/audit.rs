//! The signed-in person's own audit trail.

use crate::{components::loaded::loaded, staff_api::my_audit_trail};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <Title text="操作記録 | こころサポート研修" />
        <h1>"自分の操作記録"</h1>
        {loaded(my_audit_trail, |events| view! {
            <table class="table">
                <thead><tr><th>"日時（日本時間）"</th><th>"操作"</th><th>"対象"</th><th>"接続元"</th></tr></thead>
                <tbody>
                    {events.into_iter().map(|e| view! {
                        <tr><td>{e.at}</td><td>{e.action}</td><td>{e.target}</td><td>{e.address}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        <a class="button button--secondary" href="/staff">"担当者ページへ"</a>
    }
}
