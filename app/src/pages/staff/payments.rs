//! 謝金・旅費 of a session's instructors: what the implementing body pays
//! each, and when it was paid; all of them as CSV for its accounts.

use crate::{
    components::{feedback::FormFeedback, loaded::loaded},
    staff_api::load_payments,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use nimo_domain::view::{PaymentLine, SessionPayments};

#[component]
pub fn PaymentsPage() -> impl IntoView {
    let code = use_params_map().read_untracked().get("code").unwrap_or_default();
    let saved = use_query_map().read_untracked().get("saved").is_some();
    let feedback = FormFeedback::take();
    view! {
        <Title text="謝金・旅費 | こころサポート研修" />
        {saved.then(|| view! { <p class="notice" role="status">"記録しました。"</p> })}
        {feedback.view()}
        {loaded(move || load_payments(code.clone()), |payments| view! { <Payments payments /> })}
    }
}

#[component]
fn Payments(payments: SessionPayments) -> impl IntoView {
    let code = payments.code.clone();
    view! {
        <h1>{format!("謝金・旅費：{}", payments.title)}</h1>
        <p>
            <a href="/staff/payments.csv" download="instructor-payments.csv">"担当する研修の謝金・旅費をCSVで保存（Excel）"</a>
            "・"
            <a href=format!("/staff/sessions/{code}/roster")>"名簿へ"</a>
        </p>
        {payments.lines.is_empty().then(|| view! {
            <p>"この研修に割り当てられた指導者はいません。研修の一覧から指導者を割り当ててください。"</p>
        })}
        {payments.lines.into_iter().map(|line| view! { <PaymentForm line code=code.clone() /> }).collect_view()}
    }
}

#[component]
fn PaymentForm(line: PaymentLine, code: String) -> impl IntoView {
    let id = line.person_id;
    view! {
        <form class="form card" method="post" action="/api/staff/record_payment" data-testid="payment-form">
            <h2>{line.instructor_name.clone()}</h2>
            <input type="hidden" name="code" value=code />
            <input type="hidden" name="person_id" value=id.to_string() />
            <label class="label" for=format!("honorarium-{id}")>"謝金（円）"</label>
            <input id=format!("honorarium-{id}") name="honorarium" class="input" type="text" inputmode="numeric" maxlength="12" value=line.honorarium_yen.to_string() />
            <label class="label" for=format!("travel-{id}")>"旅費（円）"</label>
            <input id=format!("travel-{id}") name="travel" class="input" type="text" inputmode="numeric" maxlength="12" value=line.travel_yen.to_string() />
            <label class="label" for=format!("paid-{id}")>"支払日（未払いなら空欄）"</label>
            <input id=format!("paid-{id}") name="paid_on" class="input" type="date" value=line.paid_on.clone() />
            <label class="label" for=format!("note-{id}")>"備考"</label>
            <input id=format!("note-{id}") name="note" class="input" type="text" maxlength="200" value=line.note.clone() />
            <button class="button" type="submit">"記録する"</button>
        </form>
    }
}
