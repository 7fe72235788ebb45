//! The implementing body's sessions: the list, a new session (a draft with
//! up to three parts), publishing, and the way to each check-in screen.

use crate::{
    components::{feedback::FormFeedback, loaded::loaded},
    staff_api::load_staff_sessions,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use nimo_domain::view::{StaffSessionLine, StaffSessions};

#[component]
pub fn StaffSessionsPage() -> impl IntoView {
    let created = use_query_map().read_untracked().get("created");
    let cancelled = use_query_map().read_untracked().get("cancelled");
    let feedback = FormFeedback::take();
    view! {
        <Title text="研修の管理 | こころサポート研修" />
        <h1>"研修の管理"</h1>
        {created.map(|code| view! {
            <div class="notice notice--success" role="status" data-testid="created">
                <p>{format!("研修を下書きとして作成しました（受講コード {code}）。内容を確かめて公開してください。")}</p>
            </div>
        })}
        {cancelled.map(|mailed| view! {
            <div class="notice notice--success" role="status" data-testid="cancelled">
                <p>{format!("研修を中止しました。申し込んでいた {mailed} 人にメールで理由をお知らせします。")}</p>
            </div>
        })}
        {feedback.view()}
        <p><a class="button" href="/staff/sessions/new">"研修を作成する"</a></p>
        {loaded(load_staff_sessions, |list| view! { <SessionTable list /> })}
    }
}

#[component]
fn SessionTable(list: StaffSessions) -> impl IntoView {
    view! {
        <table class="table" data-testid="staff-sessions">
            <thead>
                <tr><th>"研修"</th><th>"日時"</th><th>"状態"</th><th>"申込"</th><th>"操作"</th></tr>
            </thead>
            <tbody>
                {list.sessions.into_iter().map(|line| view! { <Row line /> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn Row(line: StaffSessionLine) -> impl IntoView {
    let seats = match line.capacity {
        Some(capacity) => format!("{} / {capacity}", line.enrolled),
        None => line.enrolled.to_string(),
    };
    let seats = if line.waitlisted > 0 { format!("{seats}（空席待ち {}）", line.waitlisted) } else { seats };
    view! {
        <tr>
            <td>{format!("{}（{}・{}）", line.title, line.body, line.code)}</td>
            <td>{line.when.clone()}</td>
            <td>{line.status.clone()}</td>
            <td>{seats}</td>
            <td>
                {if line.draft {
                    view! {
                        <form method="post" action="/api/staff/publish_session">
                            <input type="hidden" name="code" value=line.code.clone() />
                            <button class="button button--secondary" type="submit" data-testid="publish">"公開する"</button>
                        </form>
                    }
                    .into_any()
                } else {
                    view! {
                        <a href=format!("/staff/sessions/{}/checkin", line.code)>"出席受付の画面"</a>
                        "・"
                        <a href=format!("/staff/sessions/{}/roster", line.code)>"名簿"</a>
                        {line.runs_body.then(|| view! {
                            "・"
                            <a href=format!("/staff/sessions/{}/payments", line.code)>"謝金・旅費"</a>
                        })}
                        <form method="post" action="/api/staff/assign_instructor">
                            <input type="hidden" name="code" value=line.code.clone() />
                            <label class="label" for=format!("instructor-{}", line.code)>"指導者を割り当てる（メールアドレス）"</label>
                            <input id=format!("instructor-{}", line.code) name="email" class="input" type="email" maxlength="254" />
                            <button class="button button--secondary" type="submit">"割り当てる"</button>
                        </form>
                    }
                    .into_any()
                }}
            </td>
        </tr>
    }
}

#[component]
pub fn NewSessionPage() -> impl IntoView {
    let feedback = FormFeedback::take();
    view! {
        <Title text="研修を作成する | こころサポート研修" />
        <h1>"研修を作成する"</h1>
        {feedback.view()}
        {loaded(load_staff_sessions, move |list| view! { <NewSessionForm list feedback=feedback.clone() /> })}
    }
}

#[component]
fn NewSessionForm(list: StaffSessions, feedback: FormFeedback) -> impl IntoView {
    view! {
        <form class="form card" method="post" action="/api/staff/create_session">
            <label class="label" for="title">"研修の名前"</label>
            <input id="title" name="title" class="input" type="text" required maxlength="100" value=feedback.value("title") />
            <label class="label" for="programme">"研修の種類"</label>
            <select id="programme" name="programme" class="input" required>
                {list.programmes.iter().map(|(value, label)| view! { <option value=value.clone()>{label.clone()}</option> }).collect_view()}
            </select>
            <label class="label" for="elective">"選択内容（ある研修のみ）"</label>
            <select id="elective" name="elective" class="input">
                <option value="">"なし"</option>
                {list.electives.iter().map(|(value, label)| view! { <option value=value.clone()>{label.clone()}</option> }).collect_view()}
            </select>
            <label class="label" for="body">"実施する自治体（空欄：ご自分の担当）"</label>
            <input id="body" name="body" class="input" type="text" maxlength="40" value=feedback.value("body") />
            <label class="label" for="capacity">"定員（空欄：定員なし）"</label>
            <input id="capacity" name="capacity" class="input" type="number" min="1" max="10000" value=feedback.value("capacity") />
            <fieldset>
                <legend>"公開のしかた"</legend>
                <label><input type="radio" name="visibility" value="public" checked /> "研修さがしに載せる"</label>
                <label><input type="radio" name="visibility" value="closed" /> "載せない（学校・企業向け。リンクを知る人だけ）"</label>
            </fieldset>
            {(0..3).map(|i| view! { <PartFieldset index=i /> }).collect_view()}
            <fieldset class="card">
                <legend>"申し込みの受付（空欄：公開してから研修の終わりまで）"</legend>
                <label class="label" for="registration-opens">"受付開始"</label>
                <input id="registration-opens" name="registration_opens" class="input" type="datetime-local" />
                <label class="label" for="registration-closes">"締切"</label>
                <input id="registration-closes" name="registration_closes" class="input" type="datetime-local" />
            </fieldset>
            <button class="button" type="submit" data-testid="create-session">"下書きとして作成する"</button>
        </form>
    }
}

#[component]
fn PartFieldset(index: usize) -> impl IntoView {
    let name = move |field: &str| format!("parts[{index}][{field}]");
    let id = move |field: &str| format!("part{index}-{field}");
    view! {
        <fieldset class="card">
            <legend>{if index == 0 { format!("第{}回", index + 1) } else { format!("第{}回（ある場合）", index + 1) }}</legend>
            <label class="label" for=id("date")>"日付"</label>
            <input id=id("date") name=name("date") class="input" type="date" required=index == 0 />
            <label class="label" for=id("starts")>"開始"</label>
            <input id=id("starts") name=name("starts") class="input" type="time" required=index == 0 />
            <label class="label" for=id("ends")>"終了"</label>
            <input id=id("ends") name=name("ends") class="input" type="time" required=index == 0 />
            <label class="label" for=id("mode")>"形式"</label>
            <select id=id("mode") name=name("mode") class="input">
                <option value="in_person">"対面"</option>
                <option value="live_online">"オンライン（同時双方向）"</option>
            </select>
            <label class="label" for=id("place")>"会場の住所、またはオンラインのURL"</label>
            <input id=id("place") name=name("place") class="input" type="text" maxlength="200" />
            <label class="label" for=id("covers")>"この回で扱う単元"</label>
            <select id=id("covers") name=name("covers") class="input">
                <option value="all">"すべて"</option>
                <option value="lecture">"講義（座学）のみ"</option>
                <option value="exercise">"演習（実習）のみ"</option>
            </select>
        </fieldset>
    }
}
