//! Pages, components and server functions of the にも包括 training platform.
//!
//! Built with Leptos islands: every page is rendered to HTML on the server
//! and works without JavaScript; only components marked `#[island]` are
//! shipped to the browser as WASM, and only pages that contain one load it.

pub mod api;
pub mod app;
pub mod components;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod staff_api;

/// Entry point of the WASM bundle: wakes up the islands on the page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Lets tests (and curious people) see that the islands are live.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
