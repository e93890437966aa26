//! 季度评议、年终考核 (第九条): the published checks of a quarter or year rolled up per township —
//! its rank in each check, the mean rank that orders the period, the mean score, and how often it
//! was last by 第二十六条, in the bottom two and flagged (第二十五条).

use crate::ctx::use_ctx;
use crate::office::state::{not_ready, offline_note};
use crate::office::view::use_view;
use crate::util::{now, quarter_of};
use web_sys::HtmlInputElement;
use xunjian_shared::api as paths;
use xunjian_shared::road::rollup::{Rollup, RollupPeriod};
use yew::prelude::*;

#[component]
pub fn RollupTable() -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let period = use_state(|| {
        let (y, q) = quarter_of(now());
        format!("{y}-Q{q}")
    });
    let view = use_view::<Rollup>(format!("{}?period={}", paths::ROADS_ROLLUP, *period));
    let on_period = {
        let period = period.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            if RollupPeriod::parse(v.trim()).is_some() {
                period.set(v.trim().to_owned());
            }
        })
    };
    html! {
        <section data-testid="rollup">
            <h3 class="section">{ o.rollup }</h3>
            <div class="filters">
                <label>{ o.period }<input type="text" value={(*period).clone()} onchange={on_period} placeholder="2026-Q1 / 2026" data-testid="rollup-period" /></label>
            </div>
            { offline_note(&ctx, &view.load) }
            if let Some(h) = not_ready(&ctx, &view.load) { { h } }
            if let Some(r) = view.load.data() {
                if r.checks.is_empty() { <p class="muted">{ ctx.t().nothing_here }</p> } else {
                <div class="table-wrap"><table class="table report" data-testid="rollup-table">
                    <thead><tr>
                        <th>{ o.rank }</th><th>{ o.col_township }</th>
                        { for r.checks.iter().map(|c| html! { <th class="num">{ &c.period }</th> }) }
                        <th class="num">{ o.mean_rank }</th><th class="num">{ o.score_col }</th>
                        <th class="num">{ o.last_by_rule }</th><th class="num">{ o.bottom_two }</th><th class="num">{ o.flagged }</th>
                    </tr></thead>
                    <tbody>
                        { for r.lines.iter().map(|l| html! {
                            <tr data-township={l.name.clone()} data-rank={l.rank.to_string()}>
                                <td>{ l.rank }</td><td>{ &l.name }</td>
                                { for l.ranks.iter().map(|x| html! { <td class="num">{ x.map(|v| v.to_string()).unwrap_or_else(|| "—".into()) }</td> }) }
                                <td class="num">{ format!("{:.2}", l.mean_rank) }</td>
                                <td class="num">{ l.mean_score.map(|s| format!("{s:.1}")).unwrap_or_else(|| "—".into()) }</td>
                                <td class="num">{ l.times_last_by_rule }</td><td class="num">{ l.times_bottom_two }</td><td class="num">{ l.times_flagged }</td>
                            </tr>
                        }) }
                    </tbody>
                </table></div>
                }
            }
        </section>
    }
}
