//! "已可离线使用": whether this device can open the app with no signal, as the service worker says
//! (sw.rs `offline_status`). On a weak signal the worker needs to know when it is safe to walk out
//! of it (issue 20); shown on the sign-in screen, on Today until it is ready, and in 设置 with the
//! build stamp.

use crate::i18n::Lang;
use crate::sw::{offline_status, Offline};
use gloo::timers::callback::Interval;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// The worker's answer, asked every two seconds until it is ready (a first visit stores the app
/// in the background; an answer is a message to the worker, no network).
#[hook]
pub fn use_offline() -> Option<Offline> {
    let state = use_state(|| None::<Offline>);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let ask = {
                let state = state.clone();
                move || {
                    let state = state.clone();
                    spawn_local(async move {
                        let now = offline_status().await;
                        if state.as_ref() != Some(&now) {
                            state.set(Some(now));
                        }
                    });
                }
            };
            ask();
            let timer = Interval::new(2_000, ask);
            move || drop(timer)
        });
    }
    (*state).clone()
}

#[derive(Properties, PartialEq)]
pub struct OfflineNoteProps {
    /// Show nothing once ready (Today: only the wait is news there).
    #[prop_or_default]
    pub quiet_when_ready: bool,
    /// Add the build stamp (设置).
    #[prop_or_default]
    pub build: bool,
}

#[component]
pub fn OfflineNote(props: &OfflineNoteProps) -> Html {
    let t = use_context::<Lang>().unwrap_or(Lang::Zh).t();
    let Some(state) = use_offline() else { return html! {} };
    let (class, ready, text) = match &state {
        Offline::Ready { build } => {
            if props.quiet_when_ready {
                return html! {};
            }
            let text = if props.build {
                format!("{}（{}{}）", t.offline_ready, t.build_stamp, build)
            } else {
                t.offline_ready.to_owned()
            };
            ("offline-note ready", true, text)
        }
        Offline::Pending => ("offline-note pending", false, t.offline_pending.to_owned()),
        Offline::Unsupported => ("offline-note warn", false, t.offline_unsupported.to_owned()),
    };
    html! {
        <p {class} data-testid="offline-ready" data-ready={ready.to_string()} role="status">{ text }</p>
    }
}
