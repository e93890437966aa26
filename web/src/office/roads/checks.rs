//! 抽查: the county starts a monthly random check (or a quarterly full inspection) for a period,
//! with a seed of its choosing or the server's; the server draws the segments and inspectors
//! (double random, reproducible from the seed) and the check page shows the draw. The checks held
//! so far are listed from the server (`GET /api/v1/road-checks`), or, offline, those opened here.

use super::check_form::CheckFormCard;
use super::rollup::RollupTable;
use crate::ctx::use_ctx;
use crate::office::form::typed;
use crate::office::view::send;
use crate::route::Route;
use crate::util::{month_before, now};
use gloo::net::http::Method;
use serde::{Deserialize, Serialize};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use xunjian_shared::api as paths;
use xunjian_shared::road::patrol::{Check, CheckKind, CreateCheck};
use yew::prelude::*;

/// A check opened here, for the list.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct KnownCheck {
    pub id: String,
    pub kind: CheckKind,
    pub period: String,
}

const KNOWN: &str = "office.checks";

/// Remembers a check opened on this computer (newest first).
pub async fn remember(db: &crate::store::idb::Db, c: &Check) {
    let mut known: Vec<KnownCheck> = db.meta(KNOWN).await.ok().flatten().unwrap_or_default();
    known.retain(|k| k.id != c.id.to_string());
    known.insert(0, KnownCheck { id: c.id.to_string(), kind: c.kind, period: c.period.clone() });
    known.truncate(50);
    let _ = db.put_meta(KNOWN, &known).await;
}

#[component]
pub fn Checks() -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let known = use_state(Vec::<KnownCheck>::new);
    let kind = use_state(|| CheckKind::MonthlyRandom);
    let period = use_state(|| month_before(now()));
    let seed = use_state(String::new);
    let per_township = use_state(|| "2".to_owned());
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    {
        let (db, known, ctx) = (ctx.db.clone(), known.clone(), ctx.clone());
        use_effect_with((), move |_| {
            spawn_local(async move {
                known.set(db.meta(KNOWN).await.ok().flatten().unwrap_or_default());
                // The server's list when it answers: checks started on other computers too.
                let listed = crate::office::view::get_text(&ctx, paths::ROAD_CHECKS).await.ok();
                if let Some(all) = listed.and_then(|t| serde_json::from_str::<Vec<Check>>(&t).ok()) {
                    let k = |c: &Check| KnownCheck { id: c.id.to_string(), kind: c.kind, period: c.period.clone() };
                    known.set(all.iter().map(k).collect());
                }
            });
        });
    }
    let text = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: Event| state.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_kind = {
        let kind = kind.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            kind.set(if v == "quarterly_full" { CheckKind::QuarterlyFull } else { CheckKind::MonthlyRandom });
        })
    };
    let start = {
        let (ctx, kind, period, seed, per_township, error, busy) = (
            ctx.clone(),
            kind.clone(),
            period.clone(),
            seed.clone(),
            per_township.clone(),
            error.clone(),
            busy.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let seed_value = match seed.trim() {
                "" => None,
                s => match s.parse::<u64>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        error.set(Some(ctx.o().seed_number.to_owned()));
                        return;
                    }
                },
            };
            if let Err(why) = xunjian_shared::road::patrol::validate_period(*kind, period.trim()) {
                error.set(Some(why));
                return;
            }
            let body = CreateCheck {
                kind: *kind,
                period: period.trim().to_owned(),
                seed: seed_value,
                segments_per_township: per_township.trim().parse().ok(),
                inspectors: None,
            };
            busy.set(true);
            let (ctx, error, busy) = (ctx.clone(), error.clone(), busy.clone());
            spawn_local(async move {
                match send::<_, Check>(&ctx, Method::POST, paths::ROAD_CHECKS, &body).await {
                    Ok(check) => {
                        remember(&ctx.db, &check).await;
                        Route::Check(check.id.to_string()).open();
                    }
                    Err(e) => error.set(Some(e.message(ctx.lang))),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <div data-testid="checks">
            <h2 class="page-title">{ o.nav_checks }</h2>
            // Drawing is the county's; a township sees its published checks (通报) and rankings.
            if ctx.role() == xunjian_shared::Role::CountyAdmin {
            <form class="card tight filters" onsubmit={start} data-testid="new-check">
                <h3>{ o.new_check }</h3>
                <label>{ o.check_kind }
                    <select onchange={on_kind} data-testid="check-kind">
                        <option value="monthly_random" selected={*kind == CheckKind::MonthlyRandom}>{ o.monthly_random }</option>
                        <option value="quarterly_full" selected={*kind == CheckKind::QuarterlyFull}>{ o.quarterly_full }</option>
                    </select></label>
                <label>{ o.period }<input type="text" value={(*period).clone()} oninput={typed(text(&period))} data-testid="check-period" placeholder="2026-04 / 2026-Q2" /></label>
                <label>{ o.seed }<input type="text" inputmode="numeric" value={(*seed).clone()} oninput={typed(text(&seed))} data-testid="check-seed" placeholder={o.seed_hint} /></label>
                <label>{ o.per_township }<input type="number" min="1" max="20" value={(*per_township).clone()} oninput={typed(text(&per_township))} /></label>
                <button type="submit" class="button primary small-button" disabled={*busy} data-testid="start-check">{ o.draw_now }</button>
                if let Some(e) = &*error { <p class="error small" role="alert">{ e }</p> }
            </form>
            }
            <p class="muted small">{ o.draw_help }</p>
            <h3 class="section">{ o.checks_here }</h3>
            if known.is_empty() { <p class="muted">{ ctx.t().nothing_here }</p> }
            <ul class="list">
                { for known.iter().map(|k| html! {
                    <li><a class="row" href={Route::Check(k.id.clone()).hash()}>
                        <span class="title">{ &k.period }{ " · " }{ if k.kind == CheckKind::MonthlyRandom { o.monthly_random } else { o.quarterly_full } }</span>
                    </a></li>
                }) }
            </ul>
            if matches!(ctx.role(), xunjian_shared::Role::CountyAdmin | xunjian_shared::Role::RoadStation | xunjian_shared::Role::TownshipOffice) {
                <RollupTable />
                <CheckFormCard />
            }
        </div>
    }
}
