//! Long lists are drawn a page at a time: with thousands of premises or hazards on the phone, a
//! screen must not build thousands of rows before the worker can use it (the Today screen took
//! seconds to appear with 20,000 premises due).

use crate::ctx::use_ctx;
use yew::prelude::*;

/// Rows drawn at first, and added by each tap on "show more".
pub const PAGE: usize = 50;

/// How many rows of a list to draw, and the callback that draws a page more.
#[hook]
pub fn use_limit() -> (usize, Callback<()>) {
    let limit = use_state(|| PAGE);
    let more = {
        let limit = limit.clone();
        Callback::from(move |()| limit.set(*limit + PAGE))
    };
    (*limit, more)
}

#[derive(Properties, PartialEq)]
pub struct MoreProps {
    pub shown: usize,
    pub total: usize,
    pub on_more: Callback<()>,
}

/// "Show more (N more)" under a list drawn in part; nothing when all of it is drawn.
#[component]
pub fn More(props: &MoreProps) -> Html {
    let t = use_ctx().t();
    if props.shown >= props.total {
        return html! {};
    }
    let on_more = props.on_more.clone();
    let onclick = Callback::from(move |_: MouseEvent| on_more.emit(()));
    html! {
        <button type="button" class="button secondary block" data-testid="more" {onclick}>
            { (t.show_more)((props.total - props.shown) as u32) }
        </button>
    }
}
