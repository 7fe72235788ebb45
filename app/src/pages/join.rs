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
            <label class="label" for="furigana">
                "フリガナ"
            </label>
            <input
                id="furigana"
                name="furigana"
                class="input"
                type="text"
                required
                maxlength="60"
                autocomplete="off"
                placeholder="例：ヤマダ ハナコ"
                value=feedback.value("furigana")
            />
            <label class="label" for="municipality">
                "お住まいの市区町村"
            </label>
            <p id="municipality-help" class="hint">
                "市区町村名の一部、またはひらがなで入力してください。同じ名前の市がある場合は「東京都府中市」のように都道府県から入力します。"
            </p>
            <MunicipalityPicker initial=feedback.value("municipality") />
            <label class="label" for="email">
                "メールアドレス（任意）"
            </label>
            <p id="email-help" class="hint">
                "申し込みの確認、前日のご案内、キャンセル用のリンクをお送りします。満席で空席待ちになるときは必要です。"
            </p>
            <input
                id="email"
                name="email"
                class="input"
                type="email"
                maxlength="254"
                autocomplete="email"
                inputmode="email"
                aria-describedby="email-help"
                value=feedback.value("email")
            />
            <details class="privacy">
                <summary>"個人情報の取り扱い（お読みください）"</summary>
                <p>
                    "お名前・フリガナ・お住まいの市区町村・メールアドレスは、この研修の受付、出席の確認、認定証の発行、研修の実施状況の集計（市区町村ごとの人数）のために使います。"
                    "研修を行う自治体と講師が受付と出席確認のために見ることがあり、その記録は残ります。"
                    "法令に基づく場合を除き、ほかの目的に使ったり、ほかの人に渡したりしません。"
                </p>
            </details>
            <label class="check">
                <input type="checkbox" name="consent" value="yes" required checked=!feedback.value("consent").is_empty() />
                " 個人情報の取り扱いに同意します"
            </label>
            <button class="button" type="submit">
                "申し込む"
            </button>
        </form>
    }
}
