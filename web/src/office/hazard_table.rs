//! Hazards as a table for the office queues: premise, what, severity, status, deadline (red once
//! passed), receiver, registered. Each row opens the hazard's page.

use crate::ctx::Ctx;
use crate::i18n;
use crate::route::Route;
use crate::util::{date, now};
use xunjian_shared::hazard::{Hazard, HazardStatus, ReferralTarget};
use yew::prelude::*;

/// The table (a plain function, not a component: one less type for the download to carry).
pub fn hazard_table(ctx: &Ctx, items: &[Hazard], testid: &'static str) -> Html {
    let (o, t) = (ctx.o(), ctx.t());
    let now = now();
    if items.is_empty() {
        return html! { <p class="muted" data-testid={testid}>{ t.nothing_here }</p> };
    }
    html! {
        <div class="table-wrap">
            <table class="table" data-testid={testid}>
                <thead><tr>
                    <th>{ o.col_premise }</th><th>{ o.col_hazard }</th><th>{ o.col_severity }</th>
                    <th>{ o.col_status }</th><th>{ t.deadline }</th><th>{ o.col_referred }</th><th>{ o.col_registered }</th>
                </tr></thead>
                <tbody>
                    { for items.iter().map(|h| {
                        let href = Route::Hazard(h.id.to_string()).hash();
                        let overdue = h.state.is_overdue(now);
                        html! {
                            <tr data-id={h.id.to_string()} data-status={h.state.status.as_str()}>
                                <td><a href={href}>{ premise_name(ctx, h) }</a></td>
                                <td class="wrap">{ &h.description }</td>
                                <td><span class={classes!("tag", (h.state.severity == xunjian_shared::checklist::Severity::Major).then_some("major"))}>
                                    { i18n::severity(ctx.lang, h.state.severity) }</span></td>
                                <td>{ i18n::status(ctx.lang, h.state.status) }</td>
                                <td class={classes!(overdue.then_some("error"))}>{ h.state.deadline.map(date).unwrap_or_default() }</td>
                                <td>{ h.state.referred_to.map(|r| receiver(ctx, r)).unwrap_or_default() }</td>
                                <td>{ date(h.created_at) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// How many match, and how many of them in each status (the queues of hazards and road issues).
pub fn status_chips(ctx: &Ctx, total: i64, by_status: &[(HazardStatus, i64)]) -> Html {
    html! {
        <div class="chips">
            <span class="muted">{ (ctx.o().n_matching)(total) }</span>
            { for by_status.iter().map(|(s, n)| html! {
                <span class="tag">{ i18n::status(ctx.lang, *s) }{ " " }<strong>{ n }</strong></span>
            }) }
        </div>
    }
}

/// The premise's name from the synced ledger (the id's start when not on this computer).
pub fn premise_name(ctx: &Ctx, h: &Hazard) -> String {
    let name = ctx.world.premise_name(&h.premise_id);
    if name.is_empty() {
        h.premise_id.to_string().chars().take(8).collect()
    } else {
        name
    }
}

/// 执法队 / 消防大队 / 交警大队.
pub fn receiver(ctx: &Ctx, r: ReferralTarget) -> &'static str {
    match r {
        ReferralTarget::Enforcement => ctx.o().to_enforcement,
        ReferralTarget::FireBrigade => ctx.o().to_brigade,
        ReferralTarget::TrafficPolice => ctx.o().to_police,
    }
}
