//! 隐患台账 for the office: every hazard in scope with the filters of `GET /api/v1/hazards` —
//! unit (village or township), status, severity, receiver, overdue, registration dates — a page
//! at a time, the count per status, and the same list as an XLSX file. The filters and the page
//! are kept for the browser tab's session, so coming back from a hazard finds the queue as left.

use super::download::DownloadButton;
use super::hazard_table::{hazard_table, status_chips};
use super::state::{not_ready, offline_note};
use super::view::use_view;
use crate::ctx::use_ctx;
use crate::i18n;
use crate::util::{end_of_day, iso, start_of_day};
use gloo::storage::{SessionStorage, Storage};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use xunjian_shared::api as paths;
use xunjian_shared::hazard::{HazardPage, HazardStatus};
use xunjian_shared::org::OrgLevel;
use yew::prelude::*;

const PAGE: i64 = 50;

/// The filters, as the form holds them.
#[derive(Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct Filters {
    unit: String,
    /// `open`, `` (all) or one status.
    status: String,
    severity: String,
    referred_to: String,
    overdue: bool,
    from: String,
    to: String,
    offset: i64,
}

impl Filters {
    /// The query string (without `limit`/`offset`), shared by the list and the file.
    fn query(&self) -> String {
        let mut q: Vec<String> = Vec::new();
        let mut add = |k: &str, v: &str| {
            if !v.is_empty() {
                q.push(format!("{k}={v}"));
            }
        };
        add("org_unit_id", &self.unit);
        let open: Vec<&str> =
            HazardStatus::ALL.iter().filter(|s| **s != HazardStatus::Closed).map(|s| s.as_str()).collect();
        add("status", &if self.status == "open" { open.join(",") } else { self.status.clone() });
        add("severity", &self.severity);
        add("referred_to", &self.referred_to);
        if self.overdue {
            add("overdue", "true");
        }
        add("from", &start_of_day(&self.from).map(iso).unwrap_or_default());
        add("to", &end_of_day(&self.to).map(iso).unwrap_or_default());
        q.join("&")
    }
}

#[derive(Properties, PartialEq)]
pub struct QueueProps {
    #[prop_or_default]
    pub unit: Option<String>,
}

#[component]
pub fn HazardQueue(props: &QueueProps) -> Html {
    let ctx = use_ctx();
    let (o, t) = (ctx.o(), ctx.t());
    // Kept for this tab's session, per unit page (a township's queue opened from the county's
    // dashboard keeps its own).
    let key = format!("xunjian.hazard-filters.{}", props.unit.clone().unwrap_or_default());
    let filters = {
        let (key, unit) = (key.clone(), props.unit.clone());
        use_state(move || {
            SessionStorage::get::<Filters>(&key).unwrap_or_else(|_| Filters {
                status: "open".into(),
                unit: unit.unwrap_or_default(),
                ..Default::default()
            })
        })
    };
    use_effect_with(((*filters).clone(), key), |(f, key)| {
        let _ = SessionStorage::set(key, f);
    });
    let f = (*filters).clone();
    let query = f.query();
    let view = use_view::<HazardPage>(format!("{}?{query}&limit={PAGE}&offset={}", paths::HAZARDS, f.offset));

    let set = |apply: fn(&mut Filters, String)| {
        let filters = filters.clone();
        Callback::from(move |e: Event| {
            let value = match e.target_dyn_into::<HtmlSelectElement>() {
                Some(select) => select.value(),
                None => e.target_unchecked_into::<HtmlInputElement>().value(),
            };
            let mut next = (*filters).clone();
            apply(&mut next, value);
            next.offset = 0;
            filters.set(next);
        })
    };
    let on_overdue = {
        let filters = filters.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            filters.set(Filters { overdue: on, offset: 0, ..(*filters).clone() });
        })
    };
    let page = |delta: i64| {
        let filters = filters.clone();
        Callback::from(move |_: MouseEvent| {
            filters.set(Filters { offset: (filters.offset + delta).max(0), ..(*filters).clone() });
        })
    };
    // The units below mine, from the synced tree: villages for a township, townships for the county.
    let level = ctx.me.org_chain.last().map(|u| u.level);
    let below = match level {
        Some(OrgLevel::County) => OrgLevel::Township,
        _ => OrgLevel::Village,
    };
    let mut units: Vec<_> =
        ctx.world.org_units.iter().map(|u| &u.value).filter(|u| u.level == below && u.active).collect();
    units.sort_by(|a, b| a.code.cmp(&b.code));
    let total = view.load.data().map(|p| p.total).unwrap_or(0);

    html! {
        <div data-testid="hazard-queue">
            <h2 class="page-title">{ o.nav_hazards }</h2>
            <form class="filters" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label>{ o.col_unit }
                    <select onchange={set(|f, v| f.unit = v)} data-testid="filter-unit">
                        <option value="" selected={f.unit.is_empty()}>{ o.all }</option>
                        { for units.iter().map(|u| html! {
                            <option value={u.id.to_string()} selected={f.unit == u.id.to_string()}>{ &u.name }</option>
                        }) }
                    </select>
                </label>
                <label>{ o.col_status }
                    <select onchange={set(|f, v| f.status = v)} data-testid="filter-status">
                        <option value="open" selected={f.status == "open"}>{ o.open_only }</option>
                        <option value="" selected={f.status.is_empty()}>{ o.all }</option>
                        { for HazardStatus::ALL.iter().map(|s| html! {
                            <option value={s.as_str()} selected={f.status == s.as_str()}>{ i18n::status(ctx.lang, *s) }</option>
                        }) }
                    </select>
                </label>
                <label>{ o.col_severity }
                    <select onchange={set(|f, v| f.severity = v)} data-testid="filter-severity">
                        <option value="" selected={f.severity.is_empty()}>{ o.all }</option>
                        <option value="general" selected={f.severity == "general"}>{ i18n::severity(ctx.lang, xunjian_shared::checklist::Severity::General) }</option>
                        <option value="major" selected={f.severity == "major"}>{ i18n::severity(ctx.lang, xunjian_shared::checklist::Severity::Major) }</option>
                    </select>
                </label>
                <label>{ o.col_referred }
                    <select onchange={set(|f, v| f.referred_to = v)}>
                        <option value="" selected={f.referred_to.is_empty()}>{ o.all }</option>
                        <option value="enforcement" selected={f.referred_to == "enforcement"}>{ o.to_enforcement }</option>
                        <option value="fire_brigade" selected={f.referred_to == "fire_brigade"}>{ o.to_brigade }</option>
                    </select>
                </label>
                <label>{ o.from }<input type="date" value={f.from.clone()} onchange={set(|f, v| f.from = v)} /></label>
                <label>{ o.to }<input type="date" value={f.to.clone()} onchange={set(|f, v| f.to = v)} /></label>
                <label class="check"><input type="checkbox" checked={f.overdue} onchange={on_overdue} data-testid="filter-overdue" />{ o.overdue_only }</label>
                <DownloadButton path={format!("{}?format=xlsx&{query}", paths::HAZARDS_EXPORT)} filename="hazards.xlsx" label={o.export_xlsx} />
            </form>
            { offline_note(&ctx, &view.load) }
            if let Some(page) = view.load.data() {
                { status_chips(&ctx, page.total, &page.by_status) }
                { hazard_table(&ctx, &page.items, "queue") }
            }
            if let Some(h) = not_ready(&ctx, &view.load) { { h } }
            if total > PAGE {
                <div class="pager">
                    <button type="button" class="button secondary small-button" disabled={f.offset == 0} onclick={page(-PAGE)}>{ o.prev }</button>
                    <span class="muted">{ format!("{}–{} / {total}", f.offset + 1, (f.offset + PAGE).min(total)) }</span>
                    <button type="button" class="button secondary small-button" disabled={f.offset + PAGE >= total} onclick={page(PAGE)}>{ o.next }</button>
                </div>
            }
            <p class="muted small">{ t.deadline }{ "：" }{ o.deadline_red }</p>
        </div>
    }
}
