//! The home page: what the featured programme is (the one with the
//! national target, from content), the national count, and the way in.

use crate::{
    api::{load_featured_programme, load_national_stats},
    components::loaded::loaded,
};
use leptos::prelude::*;
use leptos_meta::Title;
use nimo_domain::{
    view::{NationalStats, ProgrammeDetail},
    wareki,
};

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        {loaded(load_featured_programme, |programme| view! {
            <Introduction programme=programme.clone() />
            {loaded(load_national_stats, |stats| view! { <NationalProgress stats /> })}
            <JoinForm />
            <Contents programme />
        })}
        <p>
            <a href="/programmes">"すべての研修の一覧"</a>"・"
            <a href="/my">"認定証にメールアドレスを登録した方のログイン"</a>"・"
            <a href="/staff/sign-in">"担当者ログイン"</a>
        </p>
    }
}

/// The way in: the code from the venue or the invitation.
#[component]
fn JoinForm() -> impl IntoView {
    view! {
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
    }
}

/// What the featured programme is, from its content.
#[component]
fn Introduction(programme: ProgrammeDetail) -> impl IntoView {
    let summary = programme.summary;
    view! {
        <Title text=format!("{} | こころサポート研修", summary.title) />
        <section class="hero">
            <h1>{format!("{}になろう", summary.holder_title)}</h1>
            <p class="lead">{summary.summary.clone()}</p>
        </section>
    }
}

/// The featured programme's plan and what completing it earns.
#[component]
fn Contents(programme: ProgrammeDetail) -> impl IntoView {
    let summary = &programme.summary;
    let plan = match programme.elective_groups.first() {
        Some(group) => format!(
            "すべての会場で学ぶ共通内容（{}分）と、{}（{}分）があります。",
            programme.common_minutes,
            group.title,
            summary.total_minutes - programme.common_minutes,
        ),
        None => format!("全{}単元です。", programme.common_units.len()),
    };
    view! {
        <section class="card">
            <h2>{format!("研修の内容（{}分）", summary.total_minutes)}</h2>
            <p>{plan}</p>
            <ul class="list">
                {programme.common_units.iter().map(|u| view! { <li>{u.title.clone()}</li> }).collect_view()}
            </ul>
            <p>
                {format!(
                    "修了すると「{}」の{}が発行されます。{}のQRコードで、だれでも本物かどうか確かめられます。",
                    summary.holder_title, summary.document_name, summary.document_name,
                )}
            </p>
            <p><a href=format!("/programmes/{}", summary.id)>"到達目標と修了の条件を見る"</a></p>
        </section>
    }
}

/// The national count against the target, with a bar.
#[component]
fn NationalProgress(stats: NationalStats) -> impl IntoView {
    let percent = stats.percent();
    let target_label = wareki::fiscal_year_label(stats.target_fiscal_year);
    view! {
        <section class="card stats" aria-labelledby="stats-heading">
            <h2 id="stats-heading">{format!("全国の{}", stats.holder_title)}</h2>
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
