//! 组织机构: the units in my scope as an indented tree (code, name, level, active), a new unit
//! below one of them (its level is the one below its parent), and (de)activating one. A township
//! office manages its villages and grids; the county admin everything.

use crate::ctx::use_ctx;
use crate::office::form::typed;
use crate::office::state::{not_ready, offline_note};
use crate::office::view::{send, use_view};
use gloo::net::http::Method;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use xunjian_shared::api as paths;
use xunjian_shared::api::List;
use xunjian_shared::org::{validate_code, validate_name, CreateOrgUnit, OrgUnit, UpdateOrgUnit};
use yew::prelude::*;

/// Units in tree order (each after its parent), with their depth.
fn tree(units: &[OrgUnit]) -> Vec<(usize, &OrgUnit)> {
    let mut out = Vec::with_capacity(units.len());
    let mut roots: Vec<&OrgUnit> =
        units.iter().filter(|u| u.parent_id.is_none_or(|p| !units.iter().any(|x| x.id == p))).collect();
    roots.sort_by(|a, b| a.code.cmp(&b.code));
    fn walk<'a>(u: &'a OrgUnit, depth: usize, all: &'a [OrgUnit], out: &mut Vec<(usize, &'a OrgUnit)>) {
        out.push((depth, u));
        let mut kids: Vec<&OrgUnit> = all.iter().filter(|c| c.parent_id == Some(u.id)).collect();
        kids.sort_by(|a, b| a.code.cmp(&b.code));
        for k in kids {
            walk(k, depth + 1, all, out);
        }
    }
    for r in roots {
        walk(r, 0, units, &mut out);
    }
    out
}

#[component]
pub fn Units() -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let view = use_view::<List<OrgUnit>>(paths::ORG_UNITS.into());
    let parent = use_state(String::new);
    let code = use_state(String::new);
    let name = use_state(String::new);
    let error = use_state(|| None::<String>);
    if let Some(h) = not_ready(&ctx, &view.load) {
        return h;
    }
    let Some(list) = view.load.data().cloned() else { return html! {} };
    let offline = view.load.offline();
    let rows = tree(&list.items);
    let text = |s: &UseStateHandle<String>| {
        let s = s.clone();
        Callback::from(move |e: Event| s.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_parent = {
        let parent = parent.clone();
        Callback::from(move |e: Event| parent.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let create = {
        let (ctx, parent, code, name, error, reload) =
            (ctx.clone(), parent.clone(), code.clone(), name.clone(), error.clone(), view.reload.clone());
        let first =
            rows.iter().find(|(_, u)| u.level.child().is_some()).map(|(_, u)| u.id.to_string()).unwrap_or_default();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let pid = if parent.is_empty() { first.clone() } else { (*parent).clone() };
            let checked = validate_code(code.trim()).and_then(|_| validate_name("name", name.trim()));
            let (Ok(parent_id), Ok(())) = (pid.parse(), checked.clone()) else {
                error.set(Some(checked.err().unwrap_or_else(|| ctx.o().fill_all.to_owned())));
                return;
            };
            let body =
                CreateOrgUnit { id: None, code: code.trim().to_owned(), name: name.trim().to_owned(), parent_id };
            let (ctx, error, reload, code, name) =
                (ctx.clone(), error.clone(), reload.clone(), code.clone(), name.clone());
            spawn_local(async move {
                match send::<_, OrgUnit>(&ctx, Method::POST, paths::ORG_UNITS, &body).await {
                    Ok(_) => {
                        error.set(None);
                        code.set(String::new());
                        name.set(String::new());
                        reload.emit(());
                        ctx.saved.emit(());
                    }
                    Err(e) => error.set(Some(e.message(ctx.lang))),
                }
            });
        })
    };
    let toggle = |u: &OrgUnit| {
        let (ctx, error, reload) = (ctx.clone(), error.clone(), view.reload.clone());
        let (id, active) = (u.id, u.active);
        Callback::from(move |_: MouseEvent| {
            let body = UpdateOrgUnit { active: Some(!active), ..Default::default() };
            let (ctx, error, reload) = (ctx.clone(), error.clone(), reload.clone());
            spawn_local(async move {
                match send::<_, OrgUnit>(&ctx, Method::PATCH, &paths::org_unit(id), &body).await {
                    Ok(_) => reload.emit(()),
                    Err(e) => error.set(Some(e.message(ctx.lang))),
                }
            });
        })
    };
    html! {
        <div data-testid="units">
            <h2 class="page-title">{ o.nav_units }</h2>
            { offline_note(&ctx, &view.load) }
            if !offline {
                <form class="card tight filters" onsubmit={create} data-testid="new-unit">
                    <h3>{ o.new_unit }</h3>
                    <label>{ o.parent_unit }
                        <select onchange={on_parent}>
                            { for rows.iter().filter(|(_, u)| u.level.child().is_some() && u.active).map(|(d, u)| html! {
                                <option value={u.id.to_string()} selected={*parent == u.id.to_string()}>{ format!("{}{}", "　".repeat(*d), u.name) }</option>
                            }) }
                        </select></label>
                    <label>{ o.code }<input type="text" value={(*code).clone()} oninput={typed(text(&code))} /></label>
                    <label>{ o.name }<input type="text" value={(*name).clone()} oninput={typed(text(&name))} /></label>
                    <button type="submit" class="button primary small-button">{ o.create }</button>
                </form>
            }
            if let Some(e) = &*error { <p class="error" role="alert">{ e }</p> }
            <div class="table-wrap"><table class="table" data-testid="unit-tree">
                <thead><tr><th>{ o.name }</th><th>{ o.code }</th><th>{ o.level }</th><th>{ o.state }</th><th></th></tr></thead>
                <tbody>
                    { for rows.iter().map(|(d, u)| html! {
                        <tr class={classes!((!u.active).then_some("inactive"))}>
                            <td style={format!("padding-left:{}rem", 0.6 + *d as f64 * 1.25)}>{ &u.name }</td>
                            <td>{ &u.code }</td><td>{ u.level.label_zh() }</td>
                            <td>{ if u.active { o.active } else { o.inactive } }</td>
                            <td>if !offline && *d > 0 {
                                <button type="button" class="button secondary small-button" onclick={toggle(u)}>{ if u.active { o.disable } else { o.enable } }</button>
                            }</td>
                        </tr>
                    }) }
                </tbody>
            </table></div>
        </div>
    }
}
