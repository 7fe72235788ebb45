//! Public verification of a certificate from its QR code: no login, no
//! JavaScript. Anything that does not check out gets one clear answer.

use crate::{
    api::verify_certificate,
    components::feedback::{ErrorNote, set_status},
    pages::certificate::CertificateCard,
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;
use nimo_domain::view::VerifyOutcome;

#[component]
pub fn VerifyPage() -> impl IntoView {
    let params = use_params_map();
    let token = params.read_untracked().get("token").unwrap_or_default();
    view! {
        <Title text="認定証の確認 | こころサポート研修" />
        // Verification URLs are bearer links: keep them out of search engines.
        <Meta name="robots" content="noindex" />
        <h1>"認定証の確認"</h1>
        <Suspense fallback=|| view! { <p>"確認中…"</p> }>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                match verify_certificate(token).await {
                    Ok(VerifyOutcome::Genuine(certificate)) => view! {
                        <div class="notice notice--success" role="status" data-testid="verify-result">
                            <p class="verdict">"✔ 確認できました：この認定証は本物です"</p>
                            <p>"この認定証は、このプラットフォームが発行し、現在も有効です。"</p>
                        </div>
                        <CertificateCard certificate />
                    }.into_any(),
                    Ok(VerifyOutcome::Revoked { number, revoked_on }) => {
                        set_status(410);
                        view! {
                            <div class="notice notice--error" role="alert" data-testid="verify-result">
                                <p class="verdict">"✖ この認定証は無効です"</p>
                                <p>{format!("認定番号 {number} は {revoked_on} に取り消されました。")}</p>
                            </div>
                        }.into_any()
                    }
                    Ok(VerifyOutcome::Unverifiable) => {
                        set_status(404);
                        view! {
                            <div class="notice notice--error" role="alert" data-testid="verify-result">
                                <p class="verdict">"✖ 確認できません"</p>
                                <p>"このURLの認定証は確認できませんでした。QRコードを読み取り直すか、URLが途中で切れたり書き換えられたりしていないかお確かめください。"</p>
                                <p>"本物の認定証のQRコードからは、必ず確認できます。"</p>
                            </div>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })
            }}
        </Suspense>
    }
}
