//! The self-check that ends the course.

use crate::{
    api::my_self_check,
    components::{feedback::FormFeedback, loaded::loaded, progress::ProgressBar},
};
use leptos::prelude::*;
use leptos_meta::Title;
use nimo_domain::view::{AttemptView, SelfCheckPage as SelfCheckData};

#[component]
pub fn SelfCheckPage() -> impl IntoView {
    let feedback = FormFeedback::take();
    view! {
        <Title text="確認テスト | こころサポート研修" />
        {loaded(my_self_check, move |page| view! { <SelfCheck page feedback=feedback.clone() /> })}
    }
}

#[component]
fn SelfCheck(page: SelfCheckData, feedback: FormFeedback) -> impl IntoView {
    let header = view! {
        <ProgressBar done=page.steps_done total=page.steps_total label="研修の進み具合" />
        <h1>"確認テスト"</h1>
    };
    if let Some(number) = page.certificate_number.clone() {
        return view! {
            {header}
            <div class="notice notice--success">
                <p>{format!("合格しています。認定証（{number}）が発行されました。")}</p>
                <a class="button" href="/certificate">"認定証を見る"</a>
            </div>
        }
        .into_any();
    }
    if !page.modules_done {
        return view! {
            {header}
            <div class="notice">
                <p>"まだ終わっていない単元があります。すべての単元を終えてから確認テストに進んでください。"</p>
                <a class="button" href="/learn">"単元の一覧へ"</a>
            </div>
        }
        .into_any();
    }
    let last = page.last_attempt.clone();
    view! {
        {header}
        <p class="lead">{format!(
            "{}問のうち{}問以上正解で合格です。まちがえても、何度でも答え直せます。",
            page.questions.len(),
            page.pass_mark,
        )}</p>
        {feedback.view()}
        {last.clone().map(|attempt| view! { <AttemptSummary attempt /> })}
        <form class="form" method="post" action="/api/submit_self_check">
            {page
                .questions
                .iter()
                .enumerate()
                .map(|(qi, q)| {
                    let result = last.as_ref().and_then(|a| a.feedback.get(qi).cloned());
                    view! {
                        <fieldset class="question">
                            <legend>{format!("問{}　{}", qi + 1, q.prompt)}</legend>
                            {q
                                .choices
                                .iter()
                                .enumerate()
                                .map(|(ci, choice)| {
                                    let checked = result.as_ref().and_then(|r| r.chosen) == Some(ci);
                                    view! {
                                        <label class="choice">
                                            <input
                                                type="radio"
                                                name=format!("answers[{}]", q.id)
                                                value=ci.to_string()
                                                required
                                                checked=checked
                                            />
                                            <span>{choice.clone()}</span>
                                        </label>
                                    }
                                })
                                .collect_view()}
                            {result.map(|r| {
                                let class = if r.correct { "hint hint--correct" } else { "hint hint--wrong" };
                                view! {
                                    <p class=class>
                                        {if r.correct { "正解です。" } else { "もう一度考えてみましょう。" }}
                                        {r.explanation}
                                    </p>
                                }
                            })}
                        </fieldset>
                    }
                })
                .collect_view()}
            <button class="button" type="submit" data-testid="submit-self-check">
                "答えを送る"
            </button>
        </form>
    }
    .into_any()
}

#[component]
fn AttemptSummary(attempt: AttemptView) -> impl IntoView {
    view! {
        <div id="result" class="notice" role="status">
            <p>{format!("前回の結果：{}問中{}問正解。", attempt.out_of, attempt.score)}
            {if attempt.passed { "合格です。" } else { "解説を読んで、もう一度答えてみましょう。" }}</p>
        </div>
    }
}
