//! One module: 座学 sections to read and 実習 exercises to do.

use crate::{
    api::my_module,
    components::{crisis::CrisisLink, feedback::FormFeedback, loaded::loaded, progress::ProgressBar},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use nimo_domain::{programme::Section, view::ModulePage as ModuleData};

#[component]
pub fn ModulePage() -> impl IntoView {
    let params = use_params_map();
    let module_id = params.read_untracked().get("module_id").unwrap_or_default();
    let feedback = FormFeedback::take();
    view! {
        {loaded(move || my_module(module_id.clone()), move |page| view! { <ModuleView page feedback=feedback.clone() /> })}
    }
}

#[component]
fn ModuleView(page: ModuleData, feedback: FormFeedback) -> impl IntoView {
    let module = page.module;
    view! {
        <Title text=format!("{} | こころサポート研修", module.title) />
        <ProgressBar done=page.steps_done total=page.steps_total label="研修の進み具合" />
        <p><CrisisLink /></p>
        <p class="eyebrow">{format!("単元 {} / {}・{}分", page.position, page.of, module.minutes)}</p>
        <h1>{module.title.clone()}</h1>
        <p class="lead">{module.summary.clone()}</p>
        {module.sections.into_iter().map(|s| view! { <SectionView section=s /> }).collect_view()}
        {feedback.view()}
        <form class="form" method="post" action="/api/complete_module">
            <input type="hidden" name="module_id" value=module.id.clone() />
            <button class="button" type="submit" data-testid="complete-module">
                {if page.done { "次へ進む" } else { "この単元を終えて次へ" }}
            </button>
        </form>
        <a class="button button--secondary" href="/learn">
            "単元の一覧へ"
        </a>
    }
}

#[component]
fn SectionView(section: Section) -> impl IntoView {
    match section {
        Section::Reading { heading, paragraphs, points } => view! {
            <section class="section">
                <h2>{heading}</h2>
                {paragraphs.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                {(!points.is_empty()).then(|| view! {
                    <ul class="list">{points.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                })}
            </section>
        }
        .into_any(),
        Section::Practice { heading, scenario, steps, prompts, note } => view! {
            <section class="section section--practice">
                <p class="badge">"実習"</p>
                <h2>{heading}</h2>
                <p class="scenario">{scenario}</p>
                <h3>"やってみよう"</h3>
                <ol class="list">{steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ol>
                <h3>"ふりかえり"</h3>
                <ul class="list">{prompts.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                {note.map(|n| view! { <p class="hint">{n}</p> })}
            </section>
        }
        .into_any(),
    }
}
