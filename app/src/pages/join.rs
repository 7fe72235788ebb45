//! Joining a session by its code (typed, or from a QR code).

use crate::{
    api::load_session_info,
    components::{feedback::FormFeedback, loaded::loaded, municipality_picker::MunicipalityPicker},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use nimo_domain::view::SessionInfo;

#[component]
pub fn JoinPage() -> impl IntoView {
    let query = use_query_map();
    let code = query.read_untracked().get("code").unwrap_or_default();
    let feedback = FormFeedback::take();
    view! {
        <Title text="研修に参加する | こころサポート研修" />
        {loaded(move || load_session_info(code.clone()), move |session| view! { <JoinForm session feedback=feedback.clone() /> })}
    }
}

#[component]
fn JoinForm(session: SessionInfo, feedback: FormFeedback) -> impl IntoView {
    view! {
        <h1>{session.title.clone()}</h1>
        <dl class="facts card">
            <dt>"研修"</dt>
            <dd>{session.programme_name.clone()}</dd>
            <dt>"日時"</dt>
            <dd>{session.when.clone()}</dd>
            <dt>"会場"</dt>
            <dd>{session.venue.clone()}</dd>
            <dt>"実施"</dt>
            <dd data-testid="implementing-body">{session.implementing_body.clone()}</dd>
            <dt>"選択内容"</dt>
            <dd>{session.elective_title.clone()}</dd>
        </dl>
        {feedback.view()}
        <form class="form card" method="post" action="/api/join">
            <input type="hidden" name="code" value=session.code.clone() />
            <label class="label" for="name">
                "お名前（認定証に印刷されます）"
            </label>
            <input
                id="name"
                name="name"
                class="input"
                type="text"
                required
                maxlength="40"
                autocomplete="name"
                placeholder="例：山田 花子"
                value=feedback.value("name")
            />
            <label class="label" for="municipality">
                "お住まいの市区町村"
            </label>
            <p id="municipality-help" class="hint">
                "市区町村名の一部、またはひらがなで入力してください。同じ名前の市がある場合は「東京都府中市」のように都道府県から入力します。"
            </p>
            <MunicipalityPicker initial=feedback.value("municipality") />
            <button class="button" type="submit">
                "受講を始める"
            </button>
        </form>
    }
}
