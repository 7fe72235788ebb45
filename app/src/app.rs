//! The HTML shell and the router.

use crate::{
    components::layout::{SiteFooter, SiteHeader},
    pages::{
        certificate::MyCertificatePage,
        check::SelfCheckPage,
        checkin::{AttendancePage, CheckInPage},
        help::HelpPage,
        home::HomePage,
        join::JoinPage,
        learn::LearnPage,
        module::ModulePage,
        not_found::NotFoundPage,
        poster::PosterPage,
        programmes::{ProgrammePage, ProgrammesPage},
        registration::RegistrationPage,
        resident::{ResidentLinkPage, ResidentSignInPage},
        sessions::{FinderPage, PublicSessionPage},
        staff::{
            accept::AcceptPage,
            audit::AuditPage,
            checkin::CheckInScreenPage,
            home::StaffHomePage,
            invite::InvitePage,
            jurisdiction::JurisdictionPage,
            password::{ForgotPage, ResetPage},
            payments::PaymentsPage,
            roster::RosterPage,
            sessions::{NewSessionPage, StaffSessionsPage},
            sign_in::SignInPage,
        },
        verify::VerifyPage,
    },
};
use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

/// Pages that contain an island and so load the WASM bundle. Every other
/// page is plain HTML and CSS: nothing to download, nothing to wait for.
/// Add a page here when you put an island on it.
pub const ISLAND_PAGES: &[&str] = &["/join"];

/// The document around every page. Rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::security::set_page_headers();
    let with_islands = current_path().is_some_and(|p| ISLAND_PAGES.iter().any(|page| p == *page));
    view! {
        <!DOCTYPE html>
        <html lang="ja">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#00695c" />
                <link rel="stylesheet" id="leptos" href="/pkg/nimo.css" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                {with_islands.then(|| view! { <HydrationScripts options=options.clone() islands=true /> })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[cfg(feature = "ssr")]
fn current_path() -> Option<String> {
    use_context::<http::request::Parts>().map(|parts| parts.uri.path().to_owned())
}

#[cfg(not(feature = "ssr"))]
fn current_path() -> Option<String> {
    None
}

/// The application: header, the routed page, footer. Every route renders
/// fully on the server before the first byte is sent (`SsrMode::Async`), so
/// content is in the HTML body, not in streamed fragments needing JS.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <a class="skip-link" href="#main">
                "本文へ移動"
            </a>
            <SiteHeader />
            <main id="main" class="page">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/join") view=JoinPage ssr=SsrMode::Async />
                    <Route path=path!("/programmes") view=ProgrammesPage ssr=SsrMode::Async />
                    <Route path=path!("/help") view=HelpPage ssr=SsrMode::Async />
                    <Route path=path!("/sessions") view=FinderPage ssr=SsrMode::Async />
                    <Route path=path!("/sessions/:code") view=PublicSessionPage ssr=SsrMode::Async />
                    <Route path=path!("/programmes/:id") view=ProgrammePage ssr=SsrMode::Async />
                    <Route path=path!("/s/:code") view=PosterPage ssr=SsrMode::Async />
                    <Route path=path!("/learn") view=LearnPage ssr=SsrMode::Async />
                    <Route path=path!("/learn/m/:module_id") view=ModulePage ssr=SsrMode::Async />
                    <Route path=path!("/learn/check") view=SelfCheckPage ssr=SsrMode::Async />
                    <Route path=path!("/certificate") view=MyCertificatePage ssr=SsrMode::Async />
                    <Route path=path!("/v/:token") view=VerifyPage ssr=SsrMode::Async />
                    <Route path=path!("/my") view=ResidentSignInPage ssr=SsrMode::Async />
                    <Route path=path!("/my/link") view=ResidentLinkPage ssr=SsrMode::Async />
                    <Route path=path!("/my/attendance") view=AttendancePage ssr=SsrMode::Async />
                    <Route path=path!("/my/registration") view=RegistrationPage ssr=SsrMode::Async />
                    <Route path=path!("/checkin/:token") view=CheckInPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/sessions") view=StaffSessionsPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/sessions/new") view=NewSessionPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/sessions/:code/checkin") view=CheckInScreenPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/sessions/:code/roster") view=RosterPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/sessions/:code/payments") view=PaymentsPage ssr=SsrMode::Async />
                    <Route path=path!("/staff") view=StaffHomePage ssr=SsrMode::Async />
                    <Route path=path!("/staff/sign-in") view=SignInPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/invite") view=InvitePage ssr=SsrMode::Async />
                    <Route path=path!("/staff/accept") view=AcceptPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/j/:code") view=JurisdictionPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/audit") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/forgot") view=ForgotPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/reset") view=ResetPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <SiteFooter />
        </Router>
    }
}
