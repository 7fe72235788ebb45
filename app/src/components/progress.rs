//! A progress bar that reads well aloud and at a glance.

use leptos::prelude::*;

/// `done` of `total` steps, with the count written out beside the bar.
#[component]
pub fn ProgressBar(done: usize, total: usize, #[prop(into)] label: String) -> impl IntoView {
    view! {
        <div class="progress">
            <div class="progress__label">
                <span>{label.clone()}</span>
                <span class="progress__count" data-testid="progress-count">
                    {format!("{done} / {total}")}
                </span>
            </div>
            <progress class="progress__bar" max=total value=done aria-label=label></progress>
        </div>
    }
}
