//! `/help`: where to turn when things are hard, one tap from every page.

use crate::{
    api::load_crisis_contacts,
    components::{crisis::CrisisBlock, loaded::loaded},
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HelpPage() -> impl IntoView {
    view! {
        <Title text="相談先 | こころサポート研修" />
        <h1>"つらくなったら"</h1>
        <p>"研修の途中でも、休んで かまいません。話したくない ことは、話さなくて いいです。"</p>
        {loaded(load_crisis_contacts, |contacts| view! { <CrisisBlock contacts /> })}
    }
}
