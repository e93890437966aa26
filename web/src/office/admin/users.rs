//! 用户: the accounts in my scope (name, username, role, unit, phone, active), a new account of a
//! role I may manage (`Role::manageable_roles`) on a unit of a level that role allows, one opened
//! for changes (user_edit.rs: name, phone, unit, new password, end its sessions), and disabling or
//! enabling one (disabling ends its sessions: a lost phone).

use super::user_edit::EditUser;
use crate::ctx::use_ctx;
use crate::i18n;
use crate::office::form::{typed, use_form};
use crate::office::state::{not_ready, offline_note};
use crate::office::view::{send, use_view};
use gloo::net::http::Method;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use xunjian_shared::api as paths;
use xunjian_shared::api::List;
use xunjian_shared::auth::MIN_PASSWORD_CHARS;
use xunjian_shared::org::OrgUnit;
use xunjian_shared::user::{validate_phone, CreateUser, UpdateUser, User};
use xunjian_shared::Role;
use yew::prelude::*;

/// A unit with its parent's name when its own repeats (grids: 东街村 第一网格).
pub fn unit_label(all: &[OrgUnit], u: &OrgUnit) -> String {
    match (u.level, u.parent_id.and_then(|p| all.iter().find(|x| x.id == p))) {
        (xunjian_shared::org::OrgLevel::Grid, Some(parent)) => format!("{} {}", parent.name, u.name),
        _ => u.name.clone(),
    }
}

#[derive(Clone, Default, PartialEq)]
struct Draft {
    username: String,
    name: String,
    role: String,
    unit: String,
    phone: String,
    password: String,
}

#[component]
pub fn Users() -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let q = use_state(String::new);
    let path = if q.is_empty() {
        format!("{}?limit=500", paths::USERS)
    } else {
        format!("{}?limit=500&q={}", paths::USERS, String::from(js_sys::encode_uri_component(&q)))
    };
    let view = use_view::<List<User>>(path);
    let units = use_view::<List<OrgUnit>>(paths::ORG_UNITS.into());
    let form = use_form(Draft::default);
    let draft = form.get();
    let error = use_state(|| None::<String>);
    let editing = use_state(|| None::<User>);
    let mine = ctx.role().manageable_roles();
    let all_units: &[OrgUnit] = units.load.data().map(|l| &l.items[..]).unwrap_or(&[]);
    let unit_name = |id: &xunjian_shared::OrgUnitId| {
        all_units.iter().find(|u| &u.id == id).map(|u| unit_label(all_units, u)).unwrap_or_default()
    };
    let field = |apply: fn(&mut Draft, String, bool)| form.field(apply);
    let role = Role::parse(&draft.role).or_else(|| mine.first().copied());
    let allowed_units: Vec<OrgUnit> = match (role, units.load.data()) {
        (Some(r), Some(l)) => {
            l.items.iter().filter(|u| u.active && r.allowed_levels().contains(&u.level)).cloned().collect()
        }
        _ => Vec::new(),
    };
    let create = {
        let (ctx, form, error, reload) = (ctx.clone(), form.clone(), error.clone(), view.reload.clone());
        let first_unit = allowed_units.first().map(|u| u.id.to_string()).unwrap_or_default();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let d = form.get();
            let role = Role::parse(&d.role).or_else(|| ctx.role().manageable_roles().first().copied());
            let unit = if d.unit.is_empty() { first_unit.clone() } else { d.unit.clone() };
            let phone = Some(d.phone.trim().to_owned()).filter(|p| !p.is_empty());
            if let Some(Err(why)) = phone.as_deref().map(validate_phone) {
                error.set(Some(why));
                return;
            }
            let (Some(role), Ok(org_unit_id)) = (role, unit.parse()) else {
                error.set(Some(ctx.o().fill_all.to_owned()));
                return;
            };
            if d.username.trim().is_empty()
                || d.name.trim().is_empty()
                || d.password.chars().count() < MIN_PASSWORD_CHARS
            {
                error.set(Some(ctx.o().user_rules.to_owned()));
                return;
            }
            let body = CreateUser {
                username: d.username.trim().to_owned(),
                display_name: d.name.trim().to_owned(),
                role,
                org_unit_id,
                phone,
                password: d.password.clone(),
            };
            let (ctx, error, reload, form) = (ctx.clone(), error.clone(), reload.clone(), form.clone());
            spawn_local(async move {
                match send::<_, User>(&ctx, Method::POST, paths::USERS, &body).await {
                    Ok(_) => {
                        error.set(None);
                        form.set(Draft::default());
                        reload.emit(());
                    }
                    Err(e) => error.set(Some(e.message(ctx.lang))),
                }
            });
        })
    };
    let toggle = |u: &User| {
        let (ctx, error, reload) = (ctx.clone(), error.clone(), view.reload.clone());
        let (id, active) = (u.id, u.active);
        Callback::from(move |_: MouseEvent| {
            let body = UpdateUser { active: Some(!active), ..Default::default() };
            let (ctx, error, reload) = (ctx.clone(), error.clone(), reload.clone());
            spawn_local(async move {
                match send::<_, User>(&ctx, Method::PATCH, &paths::user(id), &body).await {
                    Ok(_) => reload.emit(()),
                    Err(e) => error.set(Some(e.message(ctx.lang))),
                }
            });
        })
    };
    let open_editor = |u: &User| {
        let (editing, u) = (editing.clone(), u.clone());
        Callback::from(move |_: MouseEvent| {
            editing.set(Some(u.clone()));
            crate::util::scroll_top();
        })
    };
    let on_q = {
        let q = q.clone();
        Callback::from(move |e: Event| q.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let offline = view.load.offline();
    let d = &draft;
    html! {
        <div data-testid="users">
            <h2 class="page-title">{ o.nav_users }</h2>
            if ctx.role().can_manage_units() && ctx.role() == Role::TownshipOffice {
                <p><a href={crate::route::Route::Units.hash()}>{ o.nav_units }</a></p>
            }
            { offline_note(&ctx, &view.load) }
            if !offline && !mine.is_empty() {
                <form class="card tight filters" onsubmit={create} data-testid="new-user">
                    <h3>{ o.new_user }</h3>
                    <label>{ o.role }
                        <select onchange={field(|d, v, _| { d.role = v; d.unit.clear(); })}>
                            { for mine.iter().map(|r| html! { <option value={r.as_str()} selected={Some(*r) == role}>{ i18n::role(ctx.lang, *r) }</option> }) }
                        </select></label>
                    <label>{ o.unit_of_user }
                        <select onchange={field(|d, v, _| d.unit = v)}>
                            { for allowed_units.iter().enumerate().map(|(i, u)| {
                                let on = if d.unit.is_empty() { i == 0 } else { d.unit == u.id.to_string() };
                                html! { <option value={u.id.to_string()} selected={on}>{ unit_label(all_units, u) }</option> }
                            }) }
                        </select></label>
                    <label>{ ctx.t().username }<input type="text" value={d.username.clone()} oninput={typed(field(|d, v, _| d.username = v))} data-testid="new-username" /></label>
                    <label>{ o.name }<input type="text" value={d.name.clone()} oninput={typed(field(|d, v, _| d.name = v))} data-testid="new-name" /></label>
                    <label>{ ctx.t().phone }<input type="tel" value={d.phone.clone()} oninput={typed(field(|d, v, _| d.phone = v))} /></label>
                    <label>{ o.initial_password }<input type="password" autocomplete="new-password" value={d.password.clone()} oninput={typed(field(|d, v, _| d.password = v))} data-testid="new-password" /></label>
                    <button type="submit" class="button primary small-button" disabled={allowed_units.is_empty()} data-testid="create-user">{ o.create }</button>
                </form>
            }
            if let Some(e) = &*error { <p class="error" role="alert">{ e }</p> }
            <div class="filters"><label>{ o.search }<input type="search" onchange={on_q} /></label></div>
            if let Some(u) = (*editing).clone().filter(|_| !offline) {
                <EditUser key={u.id.to_string()} user={u.clone()} units={all_units.to_vec()}
                    on_saved={{
                        let (editing, reload) = (editing.clone(), view.reload.clone());
                        Callback::from(move |()| { editing.set(None); reload.emit(()); })
                    }}
                    on_close={{ let editing = editing.clone(); Callback::from(move |()| editing.set(None)) }} />
            }
            if let Some(h) = not_ready(&ctx, &view.load) { { h } }
            if let Some(list) = view.load.data() {
                <div class="table-wrap"><table class="table" data-testid="user-table">
                    <thead><tr><th>{ o.name }</th><th>{ ctx.t().username }</th><th>{ o.role }</th><th>{ o.unit_of_user }</th><th>{ ctx.t().phone }</th><th>{ o.state }</th><th></th></tr></thead>
                    <tbody>
                        { for list.items.iter().map(|u| html! {
                            <tr class={classes!((!u.active).then_some("inactive"))} data-username={u.username.clone()}>
                                <td>{ &u.display_name }</td><td>{ &u.username }</td><td>{ i18n::role(ctx.lang, u.role) }</td>
                                <td>{ unit_name(&u.org_unit_id) }</td><td>{ u.phone.clone().unwrap_or_default() }</td>
                                <td>{ if u.active { o.active } else { o.inactive } }</td>
                                <td>if !offline && ctx.role().can_manage_role(u.role) && u.id != ctx.me.user.id {
                                    <button type="button" class="button secondary small-button" onclick={open_editor(u)} data-testid="edit-user-open">{ o.open_editor }</button>
                                    <button type="button" class="button secondary small-button" onclick={toggle(u)} data-testid="toggle-user">{ if u.active { o.disable } else { o.enable } }</button>
                                }</td>
                            </tr>
                        }) }
                    </tbody>
                </table></div>
            }
        </div>
    }
}
