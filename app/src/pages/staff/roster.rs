//! The roster the instructor keeps on the day: names, attendance per part,
//! a tick for those without a phone, and the CSV for Excel.

use crate::{
    components::{feedback::FormFeedback, loaded::loaded},
    staff_api::load_roster,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use nimo_domain::view::Roster;

#[component]
pub fn RosterPage() -> impl IntoView {
    let code = use_params_map().read_untracked().get("code").unwrap_or_default();
    let feedback = FormFeedback::take();
    view! {
        <Title text="名簿 | こころサポート研修" />
        {feedback.view()}
        {loaded(move || load_roster(code.clone()), |roster| view! { <RosterTable roster /> })}
    }
}

#[component]
fn RosterTable(roster: Roster) -> impl IntoView {
    let code = roster.code.clone();
    view! {
        <h1>{format!("名簿：{}", roster.title)}</h1>
        <p>
            <a href=format!("/staff/sessions/{code}/roster.csv") download=format!("roster-{code}.csv")>"名簿をCSVで保存（Excel）"</a>
            "・"
            <a href=format!("/staff/sessions/{code}/checkin")>"出席受付の画面"</a>
        </p>
        <table class="table" data-testid="roster">
            <thead>
                <tr>
                    <th>"氏名"</th>
                    <th>"市区町村"</th>
                    {roster.parts.iter().map(|p| view! { <th>{p.clone()}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>
                {roster
                    .rows
                    .into_iter()
                    .map(|row| {
                        let code = code.clone();
                        view! {
                            <tr>
                                <td>{row.name.clone()}</td>
                                <td>{row.municipality.clone()}</td>
                                {row
                                    .marks
                                    .iter()
                                    .enumerate()
                                    .map(|(i, mark)| {
                                        let position = (i + 1).to_string();
                                        view! {
                                            <td>
                                                {if mark == "未" {
                                                    view! {
                                                        <form method="post" action="/api/staff/mark_present">
                                                            <input type="hidden" name="code" value=code.clone() />
                                                            <input type="hidden" name="enrollment" value=row.enrollment_id.to_string() />
                                                            <input type="hidden" name="part" value=position />
                                                            <button class="button button--secondary" type="submit">
                                                                {format!("{} さんを出席にする", row.name)}
                                                            </button>
                                                        </form>
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
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
