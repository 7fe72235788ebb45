//! Checking in: the phone's camera opens `/checkin/<code>` from the QR code
//! on the instructor's screen, and one tap records the attendance. Then the
//! learner sees what is recorded of them, part by part.

use crate::{
    api::my_attendance,
    components::{feedback::FormFeedback, loaded::loaded},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CheckInPage() -> impl IntoView {
    let token = use_params_map().read_untracked().get("token").unwrap_or_default();
    let feedback = FormFeedback::take();
    view! {
        <Title text="出席の受付 | こころサポート研修" />
        <h1>"出席の受付"</h1>
        {feedback.view()}
        <form class="form card" method="post" action="/api/check_in">
            <input type="hidden" name="token" value=token />
            <p>"研修に申し込んだこのスマートフォンで、出席（または退出）を記録します。"</p>
            <button class="button" type="submit" data-testid="check-in">
                "記録する"
            </button>
        </form>
        <p class="hint">"うまくいかないときは、会場の受付でお名前をお伝えください。講師が名簿で記録します。"</p>
    }
}

#[component]
pub fn AttendancePage() -> impl IntoView {
    view! {
        <Title text="出席の記録 | こころサポート研修" />
        <h1>"出席の記録"</h1>
        {FormFeedback::take().view()}
        {loaded(my_attendance, |lines| view! {
            <ul class="list" data-testid="attendance">
                {lines
                    .into_iter()
                    .map(|line| view! {
                        <li class:attendance--ok=line.attended>
                            <strong>{format!("{}（{}）", line.part_label, line.mode)}</strong>
                            <br />
                            <span data-testid="attendance-status">{line.status}</span>
                        </li>
                    })
                    .collect_view()}
            </ul>
        })}
        <form class="form card" method="post" action="/api/check_in_online">
            <label class="label" for="online-code">"オンラインで参加している方：出席コード（6けた）"</label>
            <input id="online-code" name="code" class="input" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="12" required />
            <button class="button" type="submit">"出席を記録する"</button>
        </form>
        <p><a class="button button--secondary" href="/learn">"受講中の研修へ"</a></p>
    }
}
