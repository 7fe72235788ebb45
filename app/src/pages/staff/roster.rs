//! The roster the instructor keeps on the day: names and their reading,
//! registration and attendance per part, a tick for those without a phone,
//! walk-ins, name corrections before issue, the CSV for Excel, and (for the
//! implementing body) cancelling the session with a reason.

use crate::{
    components::{feedback::FormFeedback, loaded::loaded},
    staff_api::{load_roster, load_walk_in_link},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use nimo_domain::view::{Roster, RosterRow};

#[component]
pub fn RosterPage() -> impl IntoView {
    let code = use_params_map().read_untracked().get("code").unwrap_or_default();
    let walk_in = use_query_map().read_untracked().get("walk_in").and_then(|id| id.parse::<i32>().ok());
    let feedback = FormFeedback::take();
    let link_code = code.clone();
    view! {
        <Title text="名簿 | こころサポート研修" />
        {feedback.view()}
        {walk_in.map(|id| {
            let code = link_code.clone();
            view! { {loaded(move || load_walk_in_link(code.clone(), id), |(svg, link)| view! { <WalkInLink svg link /> })} }
        })}
        {loaded(move || load_roster(code.clone()), move |roster| view! { <RosterTable roster feedback=feedback.clone() /> })}
    }
}

/// What a walk-in scans to continue (self-check, certificate) on their phone.
#[component]
fn WalkInLink(svg: String, link: String) -> impl IntoView {
    view! {
        <section class="card" id="walk-in" data-testid="walk-in-link">
            <h2>"当日参加の方を追加しました"</h2>
            <p>"スマートフォンをお持ちなら、このQRコードを読み取ってもらうと、ご本人の端末で確認テストと認定証に進めます。"</p>
            <div class="qr" role="img" aria-label="ご本人の端末で受講を続けるためのQRコード" inner_html=svg></div>
            <p class="hint">{link}</p>
        </section>
    }
}

#[component]
fn RosterTable(roster: Roster, feedback: FormFeedback) -> impl IntoView {
    let code = roster.code.clone();
    let seated = roster.rows.iter().filter(|r| r.holds_seat).count();
    let waiting = roster.rows.iter().filter(|r| r.status == "空席待ち" || r.status == "空席を案内中").count();
    view! {
        <h1>{format!("名簿：{}", roster.title)}</h1>
        <p>{format!("申し込み {seated} 人・空席待ち {waiting} 人")}</p>
        <p>
            <a href=format!("/staff/sessions/{code}/roster.csv") download=format!("roster-{code}.csv")>"名簿をCSVで保存（Excel）"</a>
            "・"
            <a href=format!("/staff/sessions/{code}/checkin")>"出席受付の画面"</a>
            "・"
            <a href=format!("/staff/sessions/{code}/payments")>"謝金・旅費"</a>
        </p>
        <p class="notice" role="status" id="offline-status" data-testid="offline-status" aria-live="polite"></p>
        <div class="table-scroll">
            <table class="table" data-testid="roster">
                <thead>
                    <tr>
                        <th>"氏名"</th>
                        <th>"申し込み"</th>
                        <th>"市区町村"</th>
                        {roster.parts.iter().map(|p| view! { <th>{p.clone()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {roster.rows.into_iter().map(|row| view! { <Row row code=code.clone() /> }).collect_view()}
                </tbody>
            </table>
        </div>
        // Plain script, not an island: ticks survive a dropped network (see the file).
        <script src="/roster-offline.js" defer></script>
        <details class="card" open=!feedback.value("furigana").is_empty()>
            <summary>"当日参加の方を追加する"</summary>
            <form class="form" method="post" action="/api/staff/add_walk_in" data-testid="walk-in-form">
                <input type="hidden" name="code" value=code.clone() />
                <label class="label" for="walk-name">"お名前（認定証に印刷されます）"</label>
                <input id="walk-name" name="name" class="input" type="text" required maxlength="40" value=feedback.value("name") />
                <label class="label" for="walk-furigana">"フリガナ"</label>
                <input id="walk-furigana" name="furigana" class="input" type="text" required maxlength="60" value=feedback.value("furigana") />
                <label class="label" for="walk-municipality">"お住まいの市区町村"</label>
                <input id="walk-municipality" name="municipality" class="input" type="text" required maxlength="40" value=feedback.value("municipality") />
                <label class="check">
                    <input type="checkbox" name="consent" value="yes" required />
                    " ご本人に個人情報の取り扱いを説明し、同意を得ました"
                </label>
                <button class="button" type="submit">"追加して出席にする"</button>
            </form>
        </details>
        <details class="card">
            <summary>"研修を中止する（実施主体の担当者）"</summary>
            <form class="form" method="post" action="/api/staff/cancel_session" data-testid="cancel-form">
                <input type="hidden" name="code" value=code.clone() />
                <label class="label" for="reason">"中止の理由（申し込んだ方にメールで届きます）"</label>
                <textarea id="reason" name="reason" class="input" required maxlength="200">{feedback.value("reason")}</textarea>
                <button class="button button--danger" type="submit">"研修を中止し、申込者に知らせる"</button>
            </form>
        </details>
    }
}

#[component]
fn Row(row: RosterRow, code: String) -> impl IntoView {
    let name = row.name.clone();
    view! {
        <tr class:roster--inactive=!row.holds_seat>
            <td>
                <span>{row.name.clone()}</span>
                {(!row.furigana.is_empty()).then(|| view! { <br /><small>{row.furigana.clone()}</small> })}
                <details>
                    <summary>"名前を訂正"</summary>
                    <form method="post" action="/api/staff/correct_name">
                        <input type="hidden" name="code" value=code.clone() />
                        <input type="hidden" name="enrollment" value=row.enrollment_id.to_string() />
                        <label class="label" for=format!("name-{}", row.enrollment_id)>"印刷するお名前"</label>
                        <input id=format!("name-{}", row.enrollment_id) name="name" class="input" type="text" required maxlength="40" value=row.name.clone() />
                        <button class="button button--secondary" type="submit">"訂正する"</button>
                    </form>
                </details>
            </td>
            <td>{row.status.clone()}{row.walk_in.then_some("（当日）")}</td>
            <td>{row.municipality.clone()}</td>
            {row
                .marks
                .iter()
                .enumerate()
                .map(|(i, mark)| {
                    let position = (i + 1).to_string();
                    view! {
                        <td>
                            {if mark == "未" && row.holds_seat {
                                view! { <PartAction code=code.clone() enrollment=row.enrollment_id position=position action="mark_present" label=format!("{name} さんを出席にする") /> }.into_any()
                            } else if mark.starts_with("オンライン未確認") {
                                view! {
                                    <span>{mark.clone()}</span>
                                    <PartAction code=code.clone() enrollment=row.enrollment_id position=position action="confirm_online" label=format!("{name} さんの参加を確認する") />
                                }
                                .into_any()
                            } else {
                                view! { <span>{mark.clone()}</span> }.into_any()
                            }}
                        </td>
                    }
                })
                .collect_view()}
        </tr>
    }
}

/// A button for one person at one part (tick present, confirm online).
#[component]
fn PartAction(code: String, enrollment: i32, position: String, action: &'static str, label: String) -> impl IntoView {
    view! {
        <form method="post" action=format!("/api/staff/{action}")>
            <input type="hidden" name="code" value=code />
            <input type="hidden" name="enrollment" value=enrollment.to_string() />
            <input type="hidden" name="part" value=position />
            <button class="button button--secondary" type="submit">{label}</button>
        </form>
    }
}
