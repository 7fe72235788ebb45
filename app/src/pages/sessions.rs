//! The public finder (`/sessions`) and each session's page: phone first,
//! complete without JavaScript (a plain GET form), with a calendar file.

use crate::{
    api::{find_sessions, load_public_session},
    components::loaded::loaded,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use nimo_domain::view::{FinderQuery, FinderResult, PublicSession};

#[component]
pub fn FinderPage() -> impl IntoView {
    let query = use_query_map().read_untracked();
    let asked = FinderQuery {
        prefecture: query.get("prefecture").unwrap_or_default(),
        programme: query.get("programme").unwrap_or_default(),
        format: query.get("format").unwrap_or_default(),
        from: query.get("from").unwrap_or_default(),
        until: query.get("until").unwrap_or_default(),
    };
    let shown = asked.clone();
    view! {
        <Title text="研修をさがす | こころサポート研修" />
        <h1>"研修をさがす"</h1>
        {loaded(
            move || {
                let q = asked.clone();
                find_sessions(q.prefecture, q.programme, q.format, q.from, q.until)
            },
            move |result| view! { <Finder result asked=shown.clone() /> },
        )}
    }
}

#[component]
fn Finder(result: FinderResult, asked: FinderQuery) -> impl IntoView {
    let selected = |value: &str, current: &str| value == current;
    view! {
        <form class="form card" method="get" action="/sessions">
            <label class="label" for="prefecture">"都道府県"</label>
            <select id="prefecture" name="prefecture" class="input">
                <option value="">"すべて"</option>
                {result.prefectures.iter().map(|(value, label)| view! {
                    <option value=value.clone() selected=selected(value, &asked.prefecture)>{label.clone()}</option>
                }).collect_view()}
            </select>
            <label class="label" for="programme">"研修"</label>
            <select id="programme" name="programme" class="input">
                <option value="">"すべて"</option>
                {result.programmes.iter().map(|(value, label)| view! {
                    <option value=value.clone() selected=selected(value, &asked.programme)>{label.clone()}</option>
                }).collect_view()}
            </select>
            <label class="label" for="format">"形式"</label>
            <select id="format" name="format" class="input">
                <option value="">"すべて"</option>
                <option value="in_person" selected=asked.format == "in_person">"対面"</option>
                <option value="online" selected=asked.format == "online">"オンライン"</option>
            </select>
            <label class="label" for="from">"この日から"</label>
            <input id="from" name="from" class="input" type="date" value=asked.from.clone() />
            <label class="label" for="until">"この日まで"</label>
            <input id="until" name="until" class="input" type="date" value=asked.until.clone() />
            <button class="button" type="submit">"さがす"</button>
        </form>
        <p data-testid="finder-count">{format!("{} 件", result.sessions.len())}</p>
        <ul class="session-list" data-testid="finder-results">
            {result.sessions.into_iter().map(|session| view! { <li><SessionCard session /></li> }).collect_view()}
        </ul>
    }
}

#[component]
fn SessionCard(session: PublicSession) -> impl IntoView {
    view! {
        <article class="card">
            <h2><a href=format!("/sessions/{}", session.code)>{session.title.clone()}</a></h2>
            <p>{format!("{}・{}", session.programme, session.body)}</p>
            <ul class="list">
                {session.parts.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}
            </ul>
            <p>{seats(session.seats_left)}</p>
        </article>
    }
}

fn seats(left: Option<u64>) -> String {
    match left {
        None => "定員なし".to_owned(),
        Some(0) => "満席".to_owned(),
        Some(n) => format!("残り {n} 席"),
    }
}

#[component]
pub fn PublicSessionPage() -> impl IntoView {
    let code = use_params_map().read_untracked().get("code").unwrap_or_default();
    view! {
        {loaded(move || load_public_session(code.clone()), |session| view! { <SessionDetail session /> })}
    }
}

#[component]
fn SessionDetail(session: PublicSession) -> impl IntoView {
    view! {
        <Title text=format!("{} | こころサポート研修", session.title) />
        <h1>{session.title.clone()}</h1>
        <dl class="facts card">
            <dt>"研修"</dt>
            <dd>{session.programme.clone()}</dd>
            <dt>"実施"</dt>
            <dd>{session.body.clone()}</dd>
            <dt>"日時・会場"</dt>
            <dd>
                <ul class="list" data-testid="parts">
                    {session.parts.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}
                </ul>
            </dd>
            <dt>"定員"</dt>
            <dd data-testid="seats">
                {seats(session.seats_left)}
                {(session.waiting > 0).then(|| format!("（空席待ち {} 人）", session.waiting))}
            </dd>
        </dl>
        {(!session.notice.is_empty()).then(|| view! { <p class="notice" data-testid="notice">{session.notice.clone()}</p> })}
        {session.open.then(|| {
            let full = session.seats_left == Some(0);
            view! {
                <a class="button" href=format!("/join?code={}", session.code)>
                    {if full { "空席待ちで申し込む" } else { "この研修に申し込む" }}
                </a>
                {full.then(|| view! { <p class="hint">"満席です。空席待ちで申し込むと、席が空いたときに順番にメールでお知らせします。"</p> })}
            }
        })}
        <p>
            <a href=format!("/sessions/{}/calendar.ics", session.code) download=format!("session-{}.ics", session.code) data-testid="ics">
                "カレンダーに追加（.ics）"
            </a>
        </p>
        <p><a href="/sessions">"研修をさがす"</a></p>
    }
}
