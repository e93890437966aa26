//! One account opened for changes by the office that manages it: the real name and phone, the unit
//! (a grid worker moved to another grid — the levels the role allows, `Role::allowed_levels`), a
//! new password for a worker who forgot theirs, and 结束所有设备登录 for a lost phone
//! (`DELETE /users/{id}/sessions`). Only what changed is sent (`PATCH /users/{id}`); the server
//! checks scope and role again, and a new password ends the account's sessions there.

use super::users::unit_label;
use crate::ctx::use_ctx;
use crate::office::form::{typed, use_form};
use crate::office::view::send;
use gloo::net::http::Method;
use wasm_bindgen_futures::spawn_local;
use xunjian_shared::api as paths;
use xunjian_shared::auth::MIN_PASSWORD_CHARS;
use xunjian_shared::org::OrgUnit;
use xunjian_shared::user::{validate_phone, UpdateUser, User};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditUserProps {
    pub user: User,
    /// The units in my scope.
    pub units: Vec<OrgUnit>,
    /// Saved: reload the list and close.
    pub on_saved: Callback<()>,
    pub on_close: Callback<()>,
}

#[derive(Clone, PartialEq)]
struct Fields {
    name: String,
    phone: String,
    unit: String,
    password: String,
}

/// What changed, as the PATCH body; `Err` with the message to show when a field is wrong.
fn changes(user: &User, f: &Fields, rules: &str) -> Result<UpdateUser, String> {
    let name = f.name.trim();
    if name.is_empty() {
        return Err(rules.to_owned());
    }
    let phone = f.phone.trim();
    if !phone.is_empty() {
        validate_phone(phone)?;
    }
    if !f.password.is_empty() && f.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(rules.to_owned());
    }
    let unit = f.unit.parse().ok().filter(|u| *u != user.org_unit_id);
    Ok(UpdateUser {
        display_name: Some(name.to_owned()).filter(|n| *n != user.display_name),
        // The API keeps a phone once given (it may be changed, not removed).
        phone: Some(phone.to_owned()).filter(|p| !p.is_empty() && user.phone.as_deref() != Some(p.as_str())),
        org_unit_id: unit,
        password: Some(f.password.clone()).filter(|p| !p.is_empty()),
        ..Default::default()
    })
}

#[component]
pub fn EditUser(props: &EditUserProps) -> Html {
    let ctx = use_ctx();
    let (o, t) = (ctx.o(), ctx.t());
    let u = props.user.clone();
    let form = use_form(move || Fields {
        name: u.display_name.clone(),
        phone: u.phone.clone().unwrap_or_default(),
        unit: u.org_unit_id.to_string(),
        password: String::new(),
    });
    let f = form.get();
    let message = use_state(|| None::<(bool, String)>);
    let levels = props.user.role.allowed_levels();
    let units: Vec<&OrgUnit> = props
        .units
        .iter()
        .filter(|x| levels.contains(&x.level) && (x.active || x.id == props.user.org_unit_id))
        .collect();
    let save = {
        let (ctx, form, message, user, done) =
            (ctx.clone(), form.clone(), message.clone(), props.user.clone(), props.on_saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = match changes(&user, &form.get(), ctx.o().user_rules) {
                Ok(b) => b,
                Err(why) => return message.set(Some((false, why))),
            };
            if body == UpdateUser::default() {
                return done.emit(());
            }
            let (ctx, message, done, id) = (ctx.clone(), message.clone(), done.clone(), user.id);
            spawn_local(async move {
                match send::<_, User>(&ctx, Method::PATCH, &paths::user(id), &body).await {
                    Ok(_) => done.emit(()),
                    Err(e) => message.set(Some((false, e.message(ctx.lang)))),
                }
            });
        })
    };
    let end_sessions = {
        let (ctx, message, id) = (ctx.clone(), message.clone(), props.user.id);
        Callback::from(move |_: MouseEvent| {
            let (ctx, message) = (ctx.clone(), message.clone());
            spawn_local(async move {
                let path = paths::user_sessions(id);
                match ctx.runner.call(Method::DELETE, &path, crate::api::Body::Empty).await {
                    Ok(_) => message.set(Some((true, ctx.o().sessions_ended.to_owned()))),
                    Err(e) => message.set(Some((false, e.message(ctx.lang)))),
                }
            });
        })
    };
    let field = |apply: fn(&mut Fields, String, bool)| form.field(apply);
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <form class="card tight filters" onsubmit={save} data-testid="edit-user" data-username={props.user.username.clone()}>
            <h3>{ &props.user.display_name }{ " · " }{ &props.user.username }</h3>
            <label>{ o.name }<input type="text" value={f.name.clone()} oninput={typed(field(|d, v, _| d.name = v))} data-testid="edit-name" /></label>
            <label>{ t.phone }<input type="tel" value={f.phone.clone()} oninput={typed(field(|d, v, _| d.phone = v))} data-testid="edit-phone" /></label>
            <label>{ o.unit_of_user }
                <select onchange={field(|d, v, _| d.unit = v)} data-testid="edit-unit">
                    { for units.iter().map(|x| html! {
                        <option value={x.id.to_string()} selected={f.unit == x.id.to_string()}>{ unit_label(&props.units, x) }</option>
                    }) }
                </select></label>
            <label>{ o.new_password }<input type="password" autocomplete="new-password" value={f.password.clone()}
                oninput={typed(field(|d, v, _| d.password = v))} data-testid="edit-password" /></label>
            <button type="submit" class="button primary small-button" data-testid="save-user">{ t.save }</button>
            <button type="button" class="button secondary small-button" onclick={end_sessions} data-testid="end-sessions">{ o.end_sessions }</button>
            <button type="button" class="button secondary small-button" onclick={close}>{ o.cancel }</button>
            if let Some((ok, m)) = &*message {
                <p class={if *ok { "notice" } else { "error" }} role="status" data-testid="edit-user-message">{ m }</p>
            }
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> User {
        serde_json::from_value(serde_json::json!({
            "id": "00000000-0000-0000-0000-000000000001", "username": "w", "display_name": "王五",
            "role": "grid_worker", "org_unit_id": "00000000-0000-0000-0000-0000000000aa",
            "phone": "13800000000", "active": true, "created_at": "2026-01-01T00:00:00Z"
        }))
        .expect("a user")
    }

    fn fields(u: &User) -> Fields {
        Fields {
            name: u.display_name.clone(),
            phone: u.phone.clone().unwrap_or_default(),
            unit: u.org_unit_id.to_string(),
            password: String::new(),
        }
    }

    #[test]
    fn sends_only_what_changed() {
        let u = user();
        assert!(changes(&u, &fields(&u), "r") == Ok(UpdateUser::default()), "nothing changed, nothing sent");
        let moved = Fields { unit: "00000000-0000-0000-0000-0000000000bb".into(), ..fields(&u) };
        let body = changes(&u, &moved, "r").unwrap_or_default();
        assert_eq!(body.org_unit_id.map(|x| x.to_string()).as_deref(), Some("00000000-0000-0000-0000-0000000000bb"));
        assert_eq!((body.display_name, body.phone, body.password), (None, None, None));
        let reset = Fields { password: "newpass2026".into(), name: " 王五 ".into(), ..fields(&u) };
        let body = changes(&u, &reset, "r").unwrap_or_default();
        assert_eq!((body.password.as_deref(), body.display_name, body.org_unit_id), (Some("newpass2026"), None, None));
        let renamed = Fields { name: "王六".into(), phone: String::new(), ..fields(&u) };
        let body = changes(&u, &renamed, "r").unwrap_or_default();
        assert_eq!((body.display_name.as_deref(), body.phone.as_deref()), (Some("王六"), None));
        let phoned = Fields { phone: "13900000000".into(), ..fields(&u) };
        assert_eq!(changes(&u, &phoned, "r").unwrap_or_default().phone.as_deref(), Some("13900000000"));
    }

    #[test]
    fn refuses_a_short_password_an_empty_name_and_a_bad_phone() {
        let u = user();
        let refused = |f: Fields| changes(&u, &f, "r").err();
        assert_eq!(refused(Fields { password: "short".into(), ..fields(&u) }).as_deref(), Some("r"));
        assert_eq!(refused(Fields { name: "  ".into(), ..fields(&u) }).as_deref(), Some("r"));
        assert!(refused(Fields { phone: "abc".into(), ..fields(&u) }).is_some());
    }
}
