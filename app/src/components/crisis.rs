//! Where to turn when things are hard: the contacts of
//! `content/safety/crisis-contacts.toml`, as one block (on `/help`, the
//! course page and the certificate page), and the link to it.

use leptos::prelude::*;
use nimo_domain::safety::{ContactSection, CrisisContact, CrisisContacts};

/// The always-visible link to the contacts.
#[component]
pub fn CrisisLink() -> impl IntoView {
    view! {
        <a class="crisis-link" href="/help" data-testid="crisis-link">
            "つらくなったら（相談先）"
        </a>
    }
}

/// The whole list, emergencies first.
#[component]
pub fn CrisisBlock(contacts: CrisisContacts) -> impl IntoView {
    let section = |which: ContactSection, heading: &'static str| {
        let items: Vec<CrisisContact> = contacts.contacts.iter().filter(|c| c.section == which).cloned().collect();
        view! {
            <h3>{heading}</h3>
            <ul class="crisis__list">
                {items.into_iter().map(|contact| view! { <Contact contact /> }).collect_view()}
            </ul>
        }
    };
    view! {
        <section class="card crisis" id="crisis" data-testid="crisis-block" aria-labelledby="crisis-title">
            <h2 id="crisis-title">{contacts.title.clone()}</h2>
            <p>{contacts.lead.clone()}</p>
            {section(ContactSection::Emergency, "いのちが あぶない とき")}
            {section(ContactSection::Adult, "話を 聞いてほしい とき")}
            {section(ContactSection::Youth, "子ども・若い 人の ための 相談先")}
            <p class="hint">{format!("{}（{} 確認）", contacts.change_notice, contacts.checked_on)}</p>
        </section>
    }
}

#[component]
fn Contact(contact: CrisisContact) -> impl IntoView {
    view! {
        <li class="crisis__item" data-testid="crisis-contact">
            <strong>{contact.name.clone()}</strong>
            {contact.tel().map(|tel| view! {
                <a class="crisis__number" href=tel>{contact.number.clone().unwrap_or_default()}</a>
            })}
            {contact.url.clone().map(|url| view! {
                <a class="crisis__url" href=url.clone() rel="noopener" target="_blank">"ページを開く"</a>
            })}
            <span>{contact.hours.clone()}</span>
            <span>{contact.for_whom.clone()}</span>
            {contact.note.clone().map(|note| view! { <span class="hint">{note}</span> })}
        </li>
    }
}
