//! The municipality field: a plain text input that works without
//! JavaScript (the server resolves what was typed), enhanced into a
//! type-ahead list that fits a thumb once the island wakes up.

use crate::api::search_municipalities;
use leptos::prelude::*;

/// Text input named `municipality` with live suggestions.
#[island]
pub fn MunicipalityPicker(
    /// What the field holds when the page loads (e.g. after an error).
    initial: String,
) -> impl IntoView {
    let text = RwSignal::new(initial.clone());
    let options = RwSignal::new(Vec::new());
    // Answers can arrive out of order on slow networks: only the answer to
    // the latest query may fill the list.
    let latest_query = StoredValue::new(0u64);
    let on_input = move |ev| {
        let value = event_target_value(&ev);
        text.set(value.clone());
        let query_id = latest_query.get_value() + 1;
        latest_query.set_value(query_id);
        if value.trim().is_empty() {
            options.set(Vec::new());
            return;
        }
        leptos::task::spawn_local(async move {
            if let Ok(found) = search_municipalities(value).await
                && latest_query.get_value() == query_id
            {
                options.set(found);
            }
        });
    };
    view! {
        <input
            id="municipality"
            name="municipality"
            type="text"
            class="input"
            required
            autocomplete="off"
            placeholder="例：新宿区、しんじゅく"
            aria-describedby="municipality-help"
            aria-controls="municipality-options"
            value=initial
            prop:value=move || text.get()
            on:input=on_input
        />
        <ul id="municipality-options" class="picker" role="listbox" aria-label="候補">
            <For each=move || options.get() key=|o| o.code.clone() let:option>
                <li role="option">
                    <button
                        type="button"
                        class="picker__option"
                        on:click={
                            let name = option.full_name.clone();
                            move |_| {
                                text.set(name.clone());
                                options.set(Vec::new());
                            }
                        }
                    >
                        <span>{option.full_name.clone()}</span>
                        <small>{option.kana.clone()}</small>
                    </button>
                </li>
            </For>
        </ul>
    }
}
