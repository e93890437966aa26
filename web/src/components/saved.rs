//! The two states a worker must be able to tell apart: saved on this phone, and synced.

use crate::ctx::use_ctx;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SavedProps {
    /// Still only on the phone.
    pub pending: bool,
}

#[component]
pub fn SavedBadge(props: &SavedProps) -> Html {
    let t = use_ctx().t();
    if props.pending {
        html! { <span class="tag local" data-saved="local">{ t.saved_local }</span> }
    } else {
        html! { <span class="tag synced" data-saved="synced">{ t.synced }</span> }
    }
}
