//! The learner's course page: where they are and what comes next.

use crate::{
    api::load_crisis_contacts,
    api::my_course,
    components::{
        crisis::{CrisisBlock, CrisisLink},
        feedback::FormFeedback,
        loaded::loaded,
        progress::ProgressBar,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use nimo_domain::view::LearnerOverview;

#[component]
pub fn LearnPage() -> impl IntoView {
    let feedback = FormFeedback::take();
    view! {
        <Title text="受講中の研修 | こころサポート研修" />
        {feedback.view()}
        <p><CrisisLink /></p>
        {loaded(my_course, |course| view! { <Overview course /> })}
        {loaded(load_crisis_contacts, |contacts| view! { <CrisisBlock contacts /> })}
    }
}

#[component]
fn Overview(course: LearnerOverview) -> impl IntoView {
    let (done, total) = course.steps();
    let next = match (&course.certificate_number, course.next_step()) {
        (Some(_), _) => ("/certificate".to_owned(), "認定証を見る"),
        (None, Some(module)) if done == 0 => (format!("/learn/m/{}", module.id), "はじめる"),
        (None, Some(module)) => (format!("/learn/m/{}", module.id), "続きから"),
        (None, None) => ("/learn/check".to_owned(), "確認テストへ"),
    };
    view! {
        <h1>{course.course_title.clone()}</h1>
        <p class="lead">{format!("{} さん、ようこそ。", course.learner_name)}</p>
        <ProgressBar done total label="研修の進み具合" />
        {course.waiting_note.clone().map(|note| view! {
            <div class="notice" role="status" data-testid="waiting-note"><p>{note}</p></div>
        })}
        <a class="button" href=next.0 data-testid="next-step">
            {next.1}
        </a>
        <ol class="modules">
            {course
                .modules
                .iter()
                .map(|m| {
                    view! {
                        <li class="modules__item" class:modules__item--done=m.done>
                            <a href=format!("/learn/m/{}", m.id)>
                                <span class="modules__title">{m.title.clone()}</span>
                                <span class="modules__meta">
                                    {format!("{}分", m.minutes)}
                                    {m.elective.then_some("・選択内容")}
                                    {if m.done { "・済み" } else { "" }}
                                </span>
                            </a>
                        </li>
                    }
                })
                .collect_view()}
            <li class="modules__item" class:modules__item--done=course.self_check_passed>
                <a href="/learn/check">
                    <span class="modules__title">"確認テスト"</span>
                    <span class="modules__meta">{if course.self_check_passed { "合格" } else { "最後に受けます" }}</span>
                </a>
            </li>
        </ol>
        <p>
            <a href="/my/attendance">"出席の記録を見る"</a>
            "・"
            <a href="/my/registration">"お申し込みの確認・キャンセル"</a>
        </p>
        {course.certificate_number.is_none().then(|| view! {
            <details class="card" data-testid="name-correction">
                <summary>{format!("認定証に印刷するお名前：{}（訂正する）", course.learner_name)}</summary>
                <form class="form" method="post" action="/api/correct_my_name">
                    <label class="label" for="name">"お名前（認定証に印刷されます）"</label>
                    <input id="name" name="name" class="input" type="text" required maxlength="40" autocomplete="name" value=course.learner_name.clone() />
                    <button class="button button--secondary" type="submit">"お名前を訂正する"</button>
                </form>
            </details>
        })}
        <dl class="facts card">
            <dt>"研修"</dt>
            <dd>{course.session.title.clone()}</dd>
            <dt>"日時"</dt>
            <dd>{course.session.when.clone()}</dd>
            <dt>"実施"</dt>
            <dd>{course.session.implementing_body.clone()}</dd>
            <dt>"お住まい"</dt>
            <dd>{course.municipality.clone()}</dd>
        </dl>
    }
}
