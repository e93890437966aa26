//! 场所: the grid's premises, searchable by name, address or type, nearest first once the phone
//! knows where it is.

use crate::components::more::{use_limit, More};
use crate::components::saved::SavedBadge;
use crate::ctx::use_ctx;
use crate::geo;
use crate::i18n;
use crate::local::is_due;
use crate::route::Route;
use crate::util::{distance, lower, now, sort_by};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use xunjian_shared::premise::GeoPoint;
use yew::prelude::*;

#[component]
pub fn Premises() -> Html {
    let ctx = use_ctx();
    let t = ctx.t();
    let query = use_state(String::new);
    let here = use_state(|| None::<GeoPoint>);
    let locating = use_state(|| false);
    let geo_failed = use_state(|| false);
    let (limit, more) = use_limit();

    let oninput = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| query.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let locate = {
        let (here, locating, geo_failed) = (here.clone(), locating.clone(), geo_failed.clone());
        Callback::from(move |_: MouseEvent| {
            let (here, locating, geo_failed) = (here.clone(), locating.clone(), geo_failed.clone());
            locating.set(true);
            spawn_local(async move {
                match geo::position().await {
                    Ok(p) => {
                        here.set(Some(p));
                        geo_failed.set(false);
                    }
                    Err(_) => geo_failed.set(true),
                }
                locating.set(false);
            });
        })
    };

    let now = now();
    let q = lower(query.trim());
    let w = &ctx.world;
    let mut rows: Vec<_> = w
        .premises
        .iter()
        .filter(|p| {
            q.is_empty()
                || lower(&p.value.name).contains(&q)
                || lower(&p.value.address).contains(&q)
                || lower(i18n::premise_type(ctx.lang, p.value.premise_type)).contains(&q)
        })
        .map(|p| (p, here.as_ref().zip(p.value.location.as_ref()).map(|(a, b)| a.distance_m(b))))
        .collect();
    if here.is_some() {
        sort_by(&mut rows, |a, b| a.1.unwrap_or(f64::MAX).total_cmp(&b.1.unwrap_or(f64::MAX)));
    }

    html! {
        <>
            <div class="toolbar">
                <input class="search" type="search" placeholder={t.search_premises} value={(*query).clone()} {oninput} />
                <button type="button" class="button secondary small-button" onclick={locate} disabled={*locating}
                    data-testid="sort-distance">
                    { if *locating { t.locating } else { t.nearest_first } }
                </button>
            </div>
            if *geo_failed { <p class="small problem">{ t.no_position }</p> }
            <a class="button primary block" href={Route::NewPremise.hash()} data-testid="new-premise">{ t.add_premise }</a>
            <ul class="list" data-testid="premise-list">
                { for rows.iter().take(limit).map(|(p, d)| {
                    let href = Route::Premise(p.value.id.to_string()).hash();
                    html! {
                        <li><a class="row" {href} data-name={p.value.name.clone()}>
                            <span class="title">{ &p.value.name }
                                if let Some(m) = d { <span class="dist">{ distance(*m) }</span> }
                            </span>
                            <span class="sub">{ i18n::premise_type(ctx.lang, p.value.premise_type) }{ " · " }{ &p.value.address }</span>
                            if is_due(&p.value, &w.inspections, now) { <span class="tag due">{ t.due }</span> }
                            if p.pending() { <SavedBadge pending=true /> }
                        </a></li>
                    }
                }) }
            </ul>
            <More shown={limit} total={rows.len()} on_more={more} />
        </>
    }
}
