//! "A new version is available — update": shown when a new build's service worker waits.

use crate::ctx::use_ctx;
use gloo::timers::callback::Interval;
use yew::prelude::*;

#[component]
pub fn UpdateBanner() -> Html {
    let ctx = use_ctx();
    let ready = use_state(crate::sw::update_ready);
    {
        let ready = ready.clone();
        use_effect_with((), move |_| {
            // The worker installs in the background; looking every few seconds is plenty.
            let timer = Interval::new(3_000, move || ready.set(crate::sw::update_ready()));
            move || drop(timer)
        });
    }
    if !*ready {
        return html! {};
    }
    let onclick = Callback::from(|_: MouseEvent| crate::sw::apply_update());
    html! {
        <div class="update" role="status" data-testid="update-banner">
            <span>{ ctx.t().new_version }</span>
            <button type="button" class="button small-button" {onclick}>{ ctx.t().update_now }</button>
        </div>
    }
}
