//! 隐患: the open hazards on this phone, those waiting for me first.

use crate::components::more::{use_limit, More};
use crate::components::saved::SavedBadge;
use crate::ctx::use_ctx;
use crate::i18n;
use crate::local::my_actions;
use crate::route::Route;
use crate::util::{date, now, sort_by};
use yew::prelude::*;

#[component]
pub fn Hazards() -> Html {
    let ctx = use_ctx();
    let (limit, more) = use_limit();
    let t = ctx.t();
    let w = &ctx.world;
    let now = now();
    let mut open: Vec<_> =
        w.open_hazards().map(|h| (h, !my_actions(&h.value.state, ctx.role(), now).is_empty())).collect();
    sort_by(&mut open, |(a, a_mine), (b, b_mine)| {
        (!a_mine, a.value.state.deadline).cmp(&(!b_mine, b.value.state.deadline))
    });
    html! {
        <>
            <h2 class="section">{ t.open_hazards }<span class="count">{ open.len() }</span></h2>
            if open.is_empty() { <p class="muted">{ t.nothing_here }</p> }
            <ul class="list" data-testid="hazard-list">
                { for open.iter().take(limit).map(|(h, mine)| {
                    let overdue = h.value.state.is_overdue(now);
                    html! {
                        <li><a class={classes!("row", mine.then_some("mine"))} href={Route::Hazard(h.value.id.to_string()).hash()}
                            data-status={h.value.state.status.as_str()} data-id={h.value.id.to_string()}>
                            <span class="title">{ w.premise_name(&h.value.premise_id) }</span>
                            <span class="sub">{ &h.value.description }</span>
                            <span class="sub">
                                <span class="tag">{ i18n::status(ctx.lang, h.value.state.status) }</span>
                                if let Some(d) = h.value.state.deadline {
                                    <span class={classes!("tag", overdue.then_some("error"))}>{ t.deadline }{ " " }{ date(d) }</span>
                                }
                                if *mine { <span class="tag due">{ t.my_turn }</span> }
                            </span>
                            <SavedBadge pending={h.pending()} />
                        </a></li>
                    }
                }) }
            </ul>
            <More shown={limit} total={open.len()} on_more={more} />
        </>
    }
}
