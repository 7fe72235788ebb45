//! Loading a page's data on the server and rendering it, or the error.

use crate::{components::feedback::ErrorNote, error::AppError};
use leptos::prelude::*;
use std::future::Future;

/// Awaits `load` while the page renders on the server and shows `render`
/// with the data, or the error in plain Japanese with the right status.
///
/// Pages are never hydrated, so this awaits the server function directly
/// instead of through a `Resource` (which would also serialise the data
/// into an inline script no browser reads).
pub fn loaded<T, Fut, V>(
    load: impl Fn() -> Fut + Send + Sync + 'static,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Send + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p>"読み込み中…"</p> }>
            {move || {
                let data = load();
                let render = render.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(data) => render(data).into_any(),
                        Err(error) => view! { <ErrorNote error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
