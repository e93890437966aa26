//! 联席会议 quarterly statistics: per village (or township) the premises, inspections due and
//! done, hazards found, fixed on the spot, re-checked, overdue, referred and open at the quarter's
//! end, then the hazards found per category; printable, and the server's XLSX workbook.

use super::download::DownloadButton;
use super::state::{not_ready, offline_note};
use super::view::use_view;
use crate::ctx::use_ctx;
use crate::i18n;
use crate::util::{now, quarter_of};
use web_sys::HtmlSelectElement;
use xunjian_shared::api as paths;
use xunjian_shared::stats::{QuarterCounts, QuarterStats};
use yew::prelude::*;

#[component]
pub fn Quarter() -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let picked = use_state(|| quarter_of(now()));
    let (year, quarter) = *picked;
    let query = format!("year={year}&quarter={quarter}");
    let view = use_view::<QuarterStats>(format!("{}?{query}", paths::STATS_QUARTER));
    let this_year = quarter_of(now()).0;
    let on_pick = {
        let picked = picked.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some((y, q)) = v.split_once('-').and_then(|(y, q)| Some((y.parse().ok()?, q.parse().ok()?))) {
                picked.set((y, q));
            }
        })
    };
    let print = Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    let choices: Vec<(i32, u32)> = (this_year - 1..=this_year).flat_map(|y| (1..=4).map(move |q| (y, q))).collect();
    html! {
        <div data-testid="quarter">
            <div class="toolbar no-print">
                <select onchange={on_pick} data-testid="pick-quarter">
                    { for choices.iter().map(|(y, q)| html! {
                        <option value={format!("{y}-{q}")} selected={(*y, *q) == (year, quarter)}>{ (o.quarter_label)(*y, *q) }</option>
                    }) }
                </select>
                <button type="button" class="button secondary small-button" onclick={print}>{ "🖨 " }{ o.print }</button>
                <DownloadButton path={format!("{}?{query}&format=xlsx", paths::STATS_QUARTER)} filename={format!("quarter-{year}-Q{quarter}.xlsx")} label={o.export_xlsx} />
            </div>
            { offline_note(&ctx, &view.load) }
            if let Some(h) = not_ready(&ctx, &view.load) { { h } }
            if let Some(s) = view.load.data() {
                <article class="paper wide-paper">
                    <h1 class="paper-title">{ s.title_zh() }</h1>
                    <div class="table-wrap">
                        <table class="table report" data-testid="quarter-table">
                            <thead><tr>
                                <th>{ o.col_unit }</th><th class="num">{ o.fig_premises }</th><th class="num">{ o.q_due }</th>
                                <th class="num">{ o.q_done }</th><th class="num">{ o.q_rate }</th><th class="num">{ o.q_found }</th>
                                <th class="num">{ o.q_on_spot }</th><th class="num">{ o.q_rechecked }</th><th class="num">{ o.q_overdue }</th>
                                <th class="num">{ o.q_referred }</th><th class="num">{ o.q_open_end }</th>
                            </tr></thead>
                            <tbody>
                                { for s.rows.iter().map(|r| html! { <tr><td>{ &r.name }</td>{ counts(&r.counts) }</tr> }) }
                            </tbody>
                            <tfoot><tr><th>{ o.total }</th>{ counts(&s.total) }</tr></tfoot>
                        </table>
                    </div>
                    <h2 class="section">{ o.by_category }</h2>
                    <div class="table-wrap">
                        <table class="table report" data-testid="category-table">
                            <thead><tr>
                                <th>{ o.col_unit }</th>
                                { for s.total.by_category.iter().map(|c| html! { <th class="num">{ i18n::category(ctx.lang, c.category) }</th> }) }
                            </tr></thead>
                            <tbody>
                                { for s.rows.iter().map(|r| html! {
                                    <tr><td>{ &r.name }</td>{ for r.counts.by_category.iter().map(|c| html! { <td class="num">{ c.count }</td> }) }</tr>
                                }) }
                            </tbody>
                            <tfoot><tr><th>{ o.total }</th>{ for s.total.by_category.iter().map(|c| html! { <th class="num">{ c.count }</th> }) }</tr></tfoot>
                        </table>
                    </div>
                </article>
            }
        </div>
    }
}

fn counts(c: &QuarterCounts) -> Html {
    html! {
        <>
            <td class="num">{ c.premises }</td><td class="num">{ c.inspections_due }</td><td class="num">{ c.inspections_done }</td>
            <td class="num">{ c.completion_pct().map(|p| format!("{p:.1}%")).unwrap_or_else(|| "—".into()) }</td>
            <td class="num">{ c.hazards_found }</td><td class="num">{ c.fixed_on_spot }</td><td class="num">{ c.rectified }</td>
            <td class="num">{ c.overdue }</td><td class="num">{ c.referred }</td><td class="num">{ c.open_at_end }</td>
        </>
    }
}
