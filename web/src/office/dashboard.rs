//! The office dashboard: this month's inspection progress per village (a township office) or per
//! township (county, fire brigade), open hazards by status and severity, overdue and referrals,
//! and the 12-month trend. The fire brigade also sees the major hazards waiting for its review.

use super::hazard_table::hazard_table;
use super::state::{not_ready, offline_note};
use super::trend::trend;
use super::view::use_view;
use crate::ctx::{use_ctx, Ctx};
use crate::i18n;
use crate::route::Route;
use crate::util::percent;
use xunjian_shared::api as paths;
use xunjian_shared::checklist::Severity;
use xunjian_shared::dashboard::{Dashboard, DashboardRow, UnitCounts};
use xunjian_shared::hazard::HazardPage;
use xunjian_shared::org::OrgLevel;
use xunjian_shared::Role;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DashboardProps {
    /// A unit inside my scope; mine when none.
    #[prop_or_default]
    pub unit: Option<String>,
}

#[component]
pub fn DashboardPage(props: &DashboardProps) -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let path = match &props.unit {
        Some(u) => format!("{}?org_unit_id={u}", paths::DASHBOARD),
        None => paths::DASHBOARD.to_owned(),
    };
    let view = use_view::<Dashboard>(path);
    if let Some(h) = not_ready(&ctx, &view.load) {
        return h;
    }
    let Some(d) = view.load.data().cloned() else { return html! {} };
    let county = d.level == OrgLevel::County;
    let total = &d.total;
    let done = total.premises - total.outstanding;
    let figures = [
        (o.fig_premises, total.premises.to_string(), ""),
        (o.fig_done_period, format!("{done} / {}", total.premises), ""),
        (o.fig_inspected_month, total.inspected_this_month.to_string(), ""),
        (o.fig_open, total.open_hazards.to_string(), ""),
        (o.fig_overdue, format!("{} ({})", total.overdue, percent(total.overdue_rate())), bad(total.overdue)),
        (o.fig_major, total.major_open.to_string(), bad(total.major_open)),
        (o.fig_referred, total.referred.to_string(), ""),
        (o.fig_returned, total.returned.to_string(), ""),
        (o.fig_awaiting_brigade, d.awaiting_brigade.to_string(), ""),
    ];
    html! {
        <div data-testid="dashboard" data-level={d.level.as_str()}>
            { offline_note(&ctx, &view.load) }
            <h2 class="page-title">{ &d.unit_name }{ " · " }{ o.dashboard_title }<span class="muted small">{ " " }{ &d.month }</span></h2>
            <div class="figures wide-figures">
                { for figures.iter().map(|(label, value, tone)| html! {
                    <div class={classes!("figure", (!tone.is_empty()).then_some(*tone))}>
                        <span class="label">{ *label }</span><strong>{ value }</strong>
                    </div>
                }) }
            </div>
            // The brigade's own work first: the major hazards waiting for its review.
            if ctx.role() == Role::FireBrigade && props.unit.is_none() {
                <ReviewList />
            }
            <div class="chips" data-testid="by-status">
                { for d.open_by_status.iter().map(|(s, n)| html! {
                    <span class="tag" data-status={s.as_str()}>{ i18n::status(ctx.lang, *s) }{ " " }<strong>{ n }</strong></span>
                }) }
                { for d.open_by_severity.iter().map(|(s, n)| html! {
                    <span class={classes!("tag", (*s == Severity::Major).then_some("major"))} data-severity={s.as_str()}>
                        { i18n::severity(ctx.lang, *s) }{ " " }<strong>{ n }</strong></span>
                }) }
            </div>
            <h3 class="section">{ if county { o.by_township } else { o.by_village } }</h3>
            { unit_table(&ctx, &d.rows, total, county) }
            <h3 class="section">{ o.trend_title }</h3>
            { trend(&ctx, &d.trend) }
            if ctx.role() == Role::CountyAdmin && props.unit.is_none() {
                <p><a class="button secondary" href={Route::Checks.hash()}>{ o.nav_checks }</a></p>
            }
        </div>
    }
}

/// Red when there is something to worry about.
fn bad(n: i64) -> &'static str {
    if n > 0 {
        "bad"
    } else {
        ""
    }
}

/// One row per unit below: progress this period and this month, open, overdue (and its rate),
/// major, referred, returned. A township opens its own dashboard; a village its hazards.
fn unit_table(ctx: &Ctx, rows: &[DashboardRow], total: &UnitCounts, county: bool) -> Html {
    let o = ctx.o();
    let cells = |c: &UnitCounts| {
        let done = c.premises - c.outstanding;
        let share = if c.premises > 0 { done as f64 / c.premises as f64 } else { 0.0 };
        html! {
            <>
                <td class="num">{ c.premises }</td>
                <td class="num"><span class="meter"><i style={format!("width:{:.0}%", share * 100.0)}></i></span>{ format!("{done} / {}", c.premises) }</td>
                <td class="num">{ c.inspected_this_month }</td>
                <td class="num">{ c.open_hazards }</td>
                <td class={classes!("num", (c.overdue > 0).then_some("error"))}>{ c.overdue }</td>
                <td class="num">{ percent(c.overdue_rate()) }</td>
                <td class="num">{ c.major_open }</td>
                <td class="num">{ c.referred }</td>
                <td class="num">{ c.returned }</td>
            </>
        }
    };
    html! {
        <div class="table-wrap">
            <table class="table" data-testid="unit-table">
                <thead><tr>
                    <th>{ if county { o.col_township } else { o.col_village } }</th>
                    <th class="num">{ o.fig_premises }</th><th class="num">{ o.fig_done_period }</th>
                    <th class="num">{ o.fig_inspected_month }</th><th class="num">{ o.fig_open }</th>
                    <th class="num">{ o.fig_overdue }</th><th class="num">{ o.col_overdue_rate }</th>
                    <th class="num">{ o.fig_major }</th><th class="num">{ o.fig_referred }</th><th class="num">{ o.fig_returned }</th>
                </tr></thead>
                <tbody>
                    { for rows.iter().map(|r| {
                        let id = r.unit_id.to_string();
                        let href = if county { Route::Dashboard(Some(id)) } else { Route::Hazards(Some(id)) };
                        html! { <tr data-unit={r.name.clone()}><td><a href={href.hash()}>{ &r.name }</a></td>{ cells(&r.counts) }</tr> }
                    }) }
                </tbody>
                <tfoot><tr><th>{ o.total }</th>{ cells(total) }</tr></tfoot>
            </table>
        </div>
    }
}

/// Major hazards county-wide waiting for the brigade's review (审核).
#[component]
pub fn ReviewList() -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let view = use_view::<HazardPage>(format!("{}?status=awaiting_brigade_review&limit=100", paths::HAZARDS));
    html! {
        <section>
            <h3 class="section">{ o.nav_review }</h3>
            { offline_note(&ctx, &view.load) }
            if let Some(h) = not_ready(&ctx, &view.load) { { h } }
            if let Some(page) = view.load.data() {
                { hazard_table(&ctx, &page.items, "review-list") }
            }
        </section>
    }
}
