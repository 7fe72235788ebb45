//! Header and footer of every page.

use leptos::prelude::*;

#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="site-header__brand" href="/">
                <span class="site-header__mark" aria-hidden="true">
                    "♡"
                </span>
                "こころサポート研修"
            </a>
        </header>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>"精神障害にも対応した地域包括ケアシステム（にも包括）研修・認定プラットフォーム"</p>
            <p>
                "つらいときは、ひとりで抱えずに相談してください。命に危険があるときは"
                <a href="tel:119">"119番"</a> "・" <a href="tel:110">"110番"</a> "へ。"
            </p>
            <p><a class="crisis-link" href="/help" data-testid="footer-crisis-link">"つらくなったら（相談先の一覧）"</a></p>
        </footer>
    }
}
