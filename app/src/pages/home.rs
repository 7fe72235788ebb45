//! The home page: what the programme is, the national count, and the way in.

use crate::{api::load_national_stats, components::loaded::loaded};
use leptos::prelude::*;
use leptos_meta::Title;
use nimo_domain::{dto::NationalStats, wareki};

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="心のサポーター養成研修 | こころサポート研修" />
        <section class="hero">
            <h1>"心のサポーターになろう"</h1>
            <p class="lead">
                "心のサポーターは、こころの不調や病気について正しく知り、家族や友だち、同僚など身近な人の話に耳を傾けて支える人です。"
                "2時間の研修で、小学生からお年寄りまで、どなたでもなれます。"
            </p>
        </section>
        {loaded(load_national_stats, |stats| view! { <NationalProgress stats /> })}
        <section class="card">
            <h2>"研修に参加する"</h2>
            <p>"会場やオンラインで案内された「受講コード」を入力するか、配られたQRコードを読み取ってください。"</p>
            <form class="form" action="/join" method="get">
                <label class="label" for="code">
                    "受講コード"
                </label>
                <input
                    id="code"
                    name="code"
                    class="input input--code"
                    type="text"
                    required
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    placeholder="例：TOKYO1"
                />
                <button class="button" type="submit">
                    "研修に参加する"
                </button>
            </form>
        </section>
        <section class="card">
            <h2>"研修の内容（120分）"</h2>
            <p>"すべての会場で学ぶ共通内容（90分）と、実施する自治体が選ぶ選択内容（30分）があります。話を聴く練習（実習）もあります。"</p>
            <ul class="list">
                <li>"心のサポーターの紹介"</li>
                <li>"こころの病気の知識"</li>
                <li>"こころの病気からの回復"</li>
                <li>"身近な人をサポートする方法"</li>
                <li>"心のサポーター4つのステップ"</li>
                <li>"グループワーク"</li>
            </ul>
            <p>"最後に短い確認テストに答えると、「心のサポーター」の認定証が発行されます。認定証のQRコードで、だれでも本物かどうか確かめられます。"</p>
        </section>
        <p><a href="/my">"認定証にメールアドレスを登録した方のログイン"</a>"・"<a href="/staff/sign-in">"担当者ログイン"</a></p>
    }
}

/// The national count against the target, with a bar.
#[component]
fn NationalProgress(stats: NationalStats) -> impl IntoView {
    let percent = stats.percent();
    let target_label = wareki::fiscal_year_label(stats.target_fiscal_year);
    view! {
        <section class="card stats" aria-labelledby="stats-heading">
            <h2 id="stats-heading">"全国の心のサポーター"</h2>
            <p class="stats__count">
                <span data-testid="national-count">{format_count(stats.supporters)}</span>
                "人"
            </p>
            <progress class="progress__bar" max=stats.target value=stats.supporters aria-label="目標までの進み具合"></progress>
            <p class="stats__target">
                {format!(
                    "目標：{}末（{}年度末）までに{}人・達成率 {:.2}%",
                    target_label,
                    stats.target_fiscal_year,
                    format_count(stats.target),
                    percent,
                )}
            </p>
        </section>
    }
}

/// 1234567 → "1,234,567".
fn format_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
