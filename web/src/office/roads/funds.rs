//! 管护资金: the year's allocation (第二十条): km of each level × 8,000 / 5,000 / 4,000 yuan, per
//! responsible unit and per township, with the XLSX file.

use crate::ctx::use_ctx;
use crate::i18n;
use crate::office::download::DownloadButton;
use crate::office::state::{not_ready, offline_note};
use crate::office::view::use_view;
use crate::util::{now, quarter_of};
use web_sys::HtmlInputElement;
use xunjian_shared::api as paths;
use xunjian_shared::road::funds::{Allocation, FundLine};
use xunjian_shared::road::register::RoadLevel;
use yew::prelude::*;

#[component]
pub fn Funds() -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let year = use_state(|| quarter_of(now()).0);
    let view = use_view::<Allocation>(format!("{}?year={}", paths::ROADS_FUNDS, *year));
    let on_year = {
        let year = year.clone();
        Callback::from(move |e: Event| {
            if let Ok(y) = e.target_unchecked_into::<HtmlInputElement>().value().parse() {
                year.set(y);
            }
        })
    };
    let table = |lines: &[FundLine], head: &'static str| {
        html! {
            <div class="table-wrap"><table class="table report">
                <thead><tr>
                    <th>{ head }</th>
                    { for RoadLevel::ALL.iter().map(|l| html! { <th class="num">{ i18n::road_level(ctx.lang, *l) }{ " km" }</th> }) }
                    <th class="num">{ o.amount }</th>
                </tr></thead>
                <tbody>
                    { for lines.iter().map(|f| html! {
                        <tr><td>{ &f.to }</td>
                            { for RoadLevel::ALL.iter().map(|l| html! { <td class="num">{ f.km_by_level.get(l).map(|k| format!("{k:.1}")).unwrap_or_default() }</td> }) }
                            <td class="num">{ format!("{:.0}", f.amount_yuan) }</td></tr>
                    }) }
                </tbody>
            </table></div>
        }
    };
    html! {
        <div data-testid="funds">
            <h2 class="page-title">{ o.nav_funds }</h2>
            <div class="filters">
                <label>{ o.year }<input type="number" value={year.to_string()} onchange={on_year} /></label>
                <DownloadButton path={format!("{}?year={}&format=xlsx", paths::ROADS_FUNDS, *year)} filename={format!("funds-{}.xlsx", *year)} label={o.export_xlsx} />
            </div>
            <p class="muted small">{ o.funds_help }</p>
            { offline_note(&ctx, &view.load) }
            if let Some(h) = not_ready(&ctx, &view.load) { { h } }
            if let Some(a) = view.load.data() {
                <h3 class="section">{ o.by_responsible }</h3>
                { table(&a.by_responsible, o.responsible_unit) }
                <h3 class="section">{ o.by_township }</h3>
                { table(&a.by_township, o.col_township) }
                <p><strong>{ o.total }{ "：" }{ format!("{:.0}", a.total_yuan) }{ " " }{ o.yuan }</strong></p>
            }
        </div>
    }
}
