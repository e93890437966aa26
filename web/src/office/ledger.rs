//! 场所台账 for the office: the township's premises (synced to this computer, so it reads offline
//! too) as a table — name, type, address, village and grid, responsible person and phone, active —
//! searchable and by village; a premise opened for editing (moved to another grid, renamed, its
//! responsible person changed, closed) is saved online with the version seen; and the ledger as
//! a file, out and in (ledger_file.rs).

use super::admin::users::unit_label;
use super::form::{typed, use_form};
use super::ledger_file::LedgerFile;
use crate::ctx::use_ctx;
use crate::i18n;
use crate::office::view::send;
use crate::route::Route;
use gloo::net::http::Method;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use xunjian_shared::api as paths;
use xunjian_shared::org::OrgLevel;
use xunjian_shared::premise::{validate_premise, Premise, PremiseType, UpdatePremise};
use yew::prelude::*;

/// Rows shown at once; the search narrows the rest.
const SHOWN: usize = 300;

#[component]
pub fn Ledger() -> Html {
    let ctx = use_ctx();
    let (o, t) = (ctx.o(), ctx.t());
    let query = use_state(String::new);
    let village = use_state(String::new);
    let editing = use_state(|| None::<Premise>);
    let w = &ctx.world;
    let unit = |id: &xunjian_shared::OrgUnitId| w.org_units.iter().map(|u| &u.value).find(|u| &u.id == id);
    // The village of a grid.
    let village_of = |grid: &xunjian_shared::OrgUnitId| unit(grid).and_then(|g| g.parent_id).and_then(|v| unit(&v));
    let mut villages: Vec<_> = w.org_units.iter().map(|u| &u.value).filter(|u| u.level == OrgLevel::Village).collect();
    villages.sort_by(|a, b| a.code.cmp(&b.code));
    let q = query.trim().to_lowercase();
    let rows: Vec<&Premise> = w
        .premises
        .iter()
        .map(|p| &p.value)
        .filter(|p| village.is_empty() || village_of(&p.grid_id).is_some_and(|v| v.id.to_string() == *village))
        .filter(|p| {
            q.is_empty()
                || p.name.to_lowercase().contains(&q)
                || p.address.to_lowercase().contains(&q)
                || p.responsible_person.contains(&q)
        })
        .collect();
    let on_query = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| query.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_village = {
        let village = village.clone();
        Callback::from(move |e: Event| village.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    // The ledger reads from the synced records; changing it needs the server.
    let offline = matches!(ctx.status.problem, Some(crate::sync::runner::Problem::Offline));
    let edit = |p: &Premise| {
        let (editing, p) = (editing.clone(), p.clone());
        Callback::from(move |_: MouseEvent| editing.set(Some(p.clone())))
    };
    html! {
        <div data-testid="ledger">
            <h2 class="page-title">{ o.nav_ledger }<span class="count">{ w.premises.len() }</span></h2>
            if offline {
                <p class="notice" role="status" data-testid="offline-copy">{ (o.ledger_offline)(
                    &ctx.status.last_success.map(crate::util::short_time).unwrap_or_else(|| "—".to_owned())) }</p>
            } else {
                <LedgerFile />
            }
            <div class="filters">
                <label>{ o.search }<input type="search" placeholder={t.search_premises} value={(*query).clone()} oninput={on_query} /></label>
                <label>{ o.col_village }
                    <select onchange={on_village}>
                        <option value="">{ o.all }</option>
                        { for villages.iter().map(|v| html! { <option value={v.id.to_string()}>{ &v.name }</option> }) }
                    </select></label>
            </div>
            if let Some(p) = (*editing).clone().filter(|_| !offline) {
                <EditPremise key={p.id.to_string()} premise={p.clone()} on_close={
                    let editing = editing.clone();
                    Callback::from(move |()| editing.set(None))
                } />
            }
            <div class="table-wrap"><table class="table" data-testid="ledger-table">
                <thead><tr>
                    <th>{ t.premise_name }</th><th>{ t.premise_type }</th><th>{ t.address }</th><th>{ o.col_village }</th>
                    <th>{ t.grid }</th><th>{ t.responsible }</th><th>{ t.phone }</th><th>{ o.state }</th><th></th>
                </tr></thead>
                <tbody>
                    { for rows.iter().take(SHOWN).map(|p| html! {
                        <tr class={classes!((!p.active).then_some("inactive"))} data-name={p.name.clone()}>
                            <td><a href={Route::Premise(p.id.to_string()).hash()}>{ &p.name }</a></td>
                            <td>{ i18n::premise_type(ctx.lang, p.premise_type) }</td>
                            <td class="wrap">{ &p.address }</td>
                            <td>{ village_of(&p.grid_id).map(|v| v.name.clone()).unwrap_or_default() }</td>
                            <td>{ unit(&p.grid_id).map(|g| g.name.clone()).unwrap_or_default() }</td>
                            <td>{ &p.responsible_person }</td>
                            <td>{ p.responsible_phone.clone().unwrap_or_default() }</td>
                            <td>{ if p.active { o.active } else { o.inactive } }</td>
                            <td>if !offline { <button type="button" class="button secondary small-button" onclick={edit(p)} data-testid="edit-premise">{ o.open_editor }</button> }</td>
                        </tr>
                    }) }
                </tbody>
            </table></div>
            if rows.len() > SHOWN { <p class="muted small">{ (o.n_matching)(rows.len() as i64) }</p> }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct EditProps {
    premise: Premise,
    on_close: Callback<()>,
}

const TYPES: [PremiseType; 5] = [
    PremiseType::StreetShop,
    PremiseType::FamilyWorkshop,
    PremiseType::SmallVenue,
    PremiseType::Residential,
    PremiseType::Unit,
];

/// One premise's fields; saved with `PATCH` and the version seen (409 when someone changed it).
#[component]
fn EditPremise(props: &EditProps) -> Html {
    let ctx = use_ctx();
    let (o, t) = (ctx.o(), ctx.t());
    let premise = props.premise.clone();
    let form = use_form(move || premise);
    let error = use_state(|| None::<String>);
    let field = |apply: fn(&mut Premise, String, bool)| form.field(apply);
    let units: Vec<_> = ctx.world.org_units.iter().map(|u| u.value.clone()).collect();
    let grids: Vec<_> = units.iter().filter(|u| u.level == OrgLevel::Grid && u.active).collect();
    let save = {
        let (ctx, form, error, on_close, before) =
            (ctx.clone(), form.clone(), error.clone(), props.on_close.clone(), props.premise.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let p = form.get();
            if let Err((field, why)) = validate_premise(&p) {
                error.set(Some(format!("{}：{why}", i18n::premise_field(ctx.lang, field))));
                return;
            }
            let changed = |a: &String, b: &String| (a != b).then(|| a.clone());
            let body = UpdatePremise {
                expected_version: Some(before.version),
                grid_id: (p.grid_id != before.grid_id).then_some(p.grid_id),
                name: changed(&p.name, &before.name),
                premise_type: (p.premise_type != before.premise_type).then_some(p.premise_type),
                address: changed(&p.address, &before.address),
                location: None,
                responsible_person: changed(&p.responsible_person, &before.responsible_person),
                responsible_phone: (p.responsible_phone != before.responsible_phone)
                    .then(|| p.responsible_phone.clone().unwrap_or_default()),
                notes: changed(&p.notes, &before.notes),
                active: (p.active != before.active).then_some(p.active),
            };
            let path = paths::premise(p.id);
            let (ctx, error, on_close) = (ctx.clone(), error.clone(), on_close.clone());
            spawn_local(async move {
                match send::<_, Premise>(&ctx, Method::PATCH, &path, &body).await {
                    Ok(_) => {
                        on_close.emit(());
                        // The synced copy of the ledger follows with the next pull.
                        ctx.sync_now.emit(());
                    }
                    Err(e) => error.set(Some(e.message(ctx.lang))),
                }
            });
        })
    };
    let d = &form.get();
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <form class="card tight filters" onsubmit={save} data-testid="premise-editor">
            <h3>{ o.open_editor }{ " · " }{ &props.premise.name }</h3>
            <label>{ t.premise_name }<input type="text" value={d.name.clone()} oninput={typed(field(|p, v, _| p.name = v))} /></label>
            <label>{ t.premise_type }
                <select onchange={field(|p, v, _| p.premise_type = PremiseType::parse(&v).unwrap_or(p.premise_type))}>
                    { for TYPES.iter().map(|k| html! { <option value={k.as_str()} selected={*k == d.premise_type}>{ i18n::premise_type(ctx.lang, *k) }</option> }) }
                </select></label>
            <label>{ t.address }<input type="text" value={d.address.clone()} oninput={typed(field(|p, v, _| p.address = v))} /></label>
            <label>{ t.grid }
                <select onchange={field(|p, v, _| if let Ok(g) = v.parse() { p.grid_id = g })}>
                    { for grids.iter().map(|g| html! { <option value={g.id.to_string()} selected={g.id == d.grid_id}>{ unit_label(&units, g) }</option> }) }
                </select></label>
            <label>{ t.responsible }<input type="text" value={d.responsible_person.clone()} oninput={typed(field(|p, v, _| p.responsible_person = v))} data-testid="edit-responsible" /></label>
            <label>{ t.phone }<input type="tel" value={d.responsible_phone.clone().unwrap_or_default()}
                oninput={typed(field(|p, v, _| p.responsible_phone = Some(v).filter(|s| !s.trim().is_empty())))} /></label>
            <label>{ t.notes }<input type="text" value={d.notes.clone()} oninput={typed(field(|p, v, _| p.notes = v))} /></label>
            <label class="check"><input type="checkbox" checked={d.active} onchange={field(|p, _, on| p.active = on)} />{ o.active }</label>
            <button type="submit" class="button primary small-button" data-testid="save-premise">{ t.save }</button>
            <button type="button" class="button secondary small-button" onclick={close}>{ o.cancel }</button>
            if let Some(e) = &*error { <p class="error small" role="alert">{ e }</p> }
        </form>
    }
}
