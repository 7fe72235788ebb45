//! A registration as its holder sees it: opened from the link in any of its
//! mails (`?token=`), or from the phone that registered. Take an offered
//! seat, cancel, or continue on this phone (a walk-in scanning the link
//! staff showed).

use crate::{
    api::load_registration,
    components::{feedback::FormFeedback, loaded::loaded},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use nimo_domain::view::RegistrationView;

#[component]
pub fn RegistrationPage() -> impl IntoView {
    let query = use_query_map();
    let token = query.read_untracked().get("token").unwrap_or_default();
    let accepted = query.read_untracked().get("accepted").is_some();
    let feedback = FormFeedback::take();
    view! {
        <Title text="お申し込みの確認 | こころサポート研修" />
        <h1>"お申し込みの確認"</h1>
        {accepted.then(|| view! { <p class="notice" role="status">"参加が確定しました。当日お待ちしています。"</p> })}
        {feedback.view()}
        {loaded(move || load_registration(token.clone()), |registration| view! { <RegistrationCard registration /> })}
    }
}

#[component]
fn RegistrationCard(registration: RegistrationView) -> impl IntoView {
    let token = registration.token.clone();
    let session = registration.session.clone();
    view! {
        <dl class="facts card">
            <dt>"お名前"</dt>
            <dd>{format!("{}（{}）", registration.name, registration.furigana)}</dd>
            <dt>"研修"</dt>
            <dd>{session.title.clone()}</dd>
            <dt>"日時"</dt>
            <dd>{session.when.clone()}</dd>
            <dt>"会場"</dt>
            <dd>{session.venue.clone()}</dd>
            <dt>"実施"</dt>
            <dd>{session.implementing_body.clone()}</dd>
            <dt>"状況"</dt>
            <dd data-testid="registration-status" data-status=registration.status.clone()>
                {registration.status_label.clone()}
                {registration.position.map(|n| format!("（{n}番目）"))}
            </dd>
        </dl>
        {registration.cancel_reason.clone().map(|reason| view! {
            <p class="notice notice--error">{format!("この研修は中止になりました。理由：{reason}")}</p>
        })}
        {registration.offer_until.clone().map(|until| view! {
            <p class="notice">{format!("席をご用意しています。{until}までに確定してください。過ぎると次の方に回ります。")}</p>
        })}
        {registration.can_accept.then(|| view! {
            <form class="form" method="post" action="/api/accept_offer">
                <input type="hidden" name="token" value=token.clone() />
                <button class="button" type="submit" data-testid="accept-offer">"参加を確定する"</button>
            </form>
        })}
        {(registration.walk_in && registration.status == "registered" && !token.is_empty()).then(|| view! {
            <form class="form" method="post" action="/api/use_registration_here">
                <input type="hidden" name="token" value=token.clone() />
                <button class="button button--secondary" type="submit" data-testid="use-here">"この端末で受講する"</button>
            </form>
        })}
        {registration.can_cancel.then(|| view! {
            <form class="form" method="post" action="/api/cancel_registration">
                <input type="hidden" name="token" value=token.clone() />
                <p class="hint">"行けなくなったときはキャンセルしてください。空席を待っている方に席が回ります。"</p>
                <button class="button button--secondary" type="submit" data-testid="cancel-registration">
                    "申し込みをキャンセルする"
                </button>
            </form>
        })}
        <p><a href="/sessions">"研修をさがす"</a></p>
    }
}
