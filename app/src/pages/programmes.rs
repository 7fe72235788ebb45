//! The programmes, as anyone may read them: the list, and each one's plan,
//! 到達目標, who may take it and what completion asks. All from content.

use crate::{
    api::{load_programme, load_programmes},
    components::loaded::loaded,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use nimo_domain::view::{ProgrammeDetail, ProgrammeSummary, UnitView};

#[component]
pub fn ProgrammesPage() -> impl IntoView {
    view! {
        <Title text="研修の一覧 | こころサポート研修" />
        <h1>"研修の一覧"</h1>
        <p class="lead">"このサイトで実施・記録している研修です。内容・到達目標・修了の条件を確かめられます。"</p>
        {loaded(load_programmes, |programmes| view! {
            <ul class="programme-list" data-testid="programme-list">
                {programmes.into_iter().map(|p| view! { <li><ProgrammeCard programme=p /></li> }).collect_view()}
            </ul>
        })}
    }
}

#[component]
fn ProgrammeCard(programme: ProgrammeSummary) -> impl IntoView {
    view! {
        <article class="card">
            <h2><a href=format!("/programmes/{}", programme.id)>{programme.title.clone()}</a></h2>
            {programme.draft.then(|| view! { <p class="badge" data-testid="draft">"カリキュラム案"</p> })}
            <p>{programme.summary.clone()}</p>
            <dl class="facts">
                <dt>"時間"</dt>
                <dd>{format_minutes(programme.total_minutes)}</dd>
                <dt>"対象"</dt>
                <dd>{programme.eligibility.clone()}</dd>
                <dt>"修了すると"</dt>
                <dd>{programme.document_name.clone()}</dd>
            </dl>
        </article>
    }
}

#[component]
pub fn ProgrammePage() -> impl IntoView {
    let id = use_params_map().read_untracked().get("id").unwrap_or_default();
    view! {
        {loaded(move || load_programme(id.clone()), |programme| view! { <ProgrammeDetailView programme /> })}
    }
}

#[component]
fn ProgrammeDetailView(programme: ProgrammeDetail) -> impl IntoView {
    let summary = programme.summary;
    view! {
        <Title text=format!("{} | こころサポート研修", summary.title) />
        <h1>{summary.title.clone()}</h1>
        {summary.draft.then(|| view! {
            <p class="notice" data-testid="draft">
                "この科目構成は、公式の科目表が確認できるまでの本サイトの案です。"
            </p>
        })}
        <p class="lead">{summary.summary.clone()}</p>
        <section class="card">
            <h2>"受講できる方"</h2>
            <p>{summary.eligibility.clone()}</p>
        </section>
        <section class="card">
            <h2>{format!("内容（{}）", format_minutes(summary.total_minutes))}</h2>
            {(!programme.elective_groups.is_empty()).then(|| view! {
                <p>{format!("共通の内容（{}）", format_minutes(programme.common_minutes))}</p>
            })}
            <ol class="unit-list" data-testid="units">
                {programme.common_units.into_iter().map(|u| view! { <li><UnitItem unit=u /></li> }).collect_view()}
            </ol>
            {programme.elective_groups.into_iter().map(|group| view! {
                <h3>{group.title}</h3>
                <p>"次のうち1つ"</p>
                <ul class="unit-list">
                    {group.units.into_iter().map(|u| view! { <li><UnitItem unit=u /></li> }).collect_view()}
                </ul>
            }).collect_view()}
        </section>
        <section class="card">
            <h2>"修了の条件"</h2>
            <ul class="list" data-testid="completion">
                {programme.completion.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ul>
            <p>{format!("{}：{}", summary.document_name, programme.statement)}</p>
            {programme.after_completion.map(|text| view! { <p>{text}</p> })}
        </section>
        <section class="card">
            <h2>"根拠・出典"</h2>
            {programme.basis.map(|basis| view! { <p>{basis}</p> })}
            <ul class="list">
                {programme.sources.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
            </ul>
        </section>
        <p><a href="/programmes">"研修の一覧へ"</a></p>
    }
}

#[component]
fn UnitItem(unit: UnitView) -> impl IntoView {
    view! {
        <h3 class="unit__title">{unit.title.clone()}</h3>
        <p class="unit__facts">{format!("{}・{}分・{}", unit.kind, unit.minutes, unit.delivery.join("／"))}</p>
        <p>{unit.summary.clone()}</p>
        {(!unit.goals.is_empty()).then(|| view! {
            <p class="unit__goals-heading">"到達目標"</p>
            <ul class="list">
                {unit.goals.into_iter().map(|g| view! { <li>{g}</li> }).collect_view()}
            </ul>
        })}
    }
}

/// 120 → "120分（2時間）", 1320 → "1,320分（22時間）", 90 → "90分".
fn format_minutes(minutes: u32) -> String {
    let grouped =
        if minutes >= 1000 { format!("{},{:03}", minutes / 1000, minutes % 1000) } else { minutes.to_string() };
    match (minutes / 60, minutes % 60) {
        (0, _) => format!("{grouped}分"),
        (hours, 0) => format!("{grouped}分（{hours}時間）"),
        (hours, rest) => format!("{grouped}分（{hours}時間{rest}分）"),
    }
}
