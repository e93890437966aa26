//! Registering a premise in the field (乡不漏村，村不漏楼，楼不漏户): saved on the phone at once and
//! sent as a `create_premise` operation.

use crate::ctx::use_ctx;
use crate::geo;
use crate::i18n;
use crate::route::Route;
use crate::util::{fixed, now};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use xunjian_shared::org::OrgLevel;
use xunjian_shared::premise::{validate_premise, CreatePremise, GeoPoint, Premise, PremiseType};
use xunjian_shared::sync::{OpBody, Record};
use xunjian_shared::{OrgUnitId, PremiseId};
use yew::prelude::*;

#[component]
pub fn NewPremise() -> Html {
    let ctx = use_ctx();
    let t = ctx.t();
    let refs: [NodeRef; 5] = [use_node_ref(), use_node_ref(), use_node_ref(), use_node_ref(), use_node_ref()];
    let kind = use_node_ref();
    let grid = use_node_ref();
    let location = use_state(|| None::<GeoPoint>);
    let locating = use_state(|| false);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);

    // A worker bound to a grid registers in it; one bound to a village picks one of its grids.
    let own = ctx.me.org_chain.last().filter(|u| u.level == OrgLevel::Grid).map(|u| u.id);
    let grids: Vec<(OrgUnitId, String)> = ctx
        .world
        .org_units
        .iter()
        .filter(|u| u.value.level == OrgLevel::Grid && u.value.active)
        .map(|u| (u.value.id, u.value.name.clone()))
        .collect();

    let locate = {
        let (location, locating) = (location.clone(), locating.clone());
        Callback::from(move |_: MouseEvent| {
            let (location, locating) = (location.clone(), locating.clone());
            locating.set(true);
            spawn_local(async move {
                location.set(geo::position().await.ok());
                locating.set(false);
            });
        })
    };

    let onsubmit = {
        let (refs, kind, grid, location, error, busy) =
            (refs.clone(), kind.clone(), grid.clone(), location.clone(), error.clone(), busy.clone());
        let ctx = ctx.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let t = ctx.t();
            let val =
                |r: &NodeRef| r.cast::<HtmlInputElement>().map(|i| i.value().trim().to_owned()).unwrap_or_default();
            let [name, address, person, phone, notes] = refs.each_ref().map(val);
            let premise_type = kind.cast::<HtmlSelectElement>().and_then(|s| PremiseType::parse(&s.value()));
            let grid_id = own.or_else(|| grid.cast::<HtmlSelectElement>().and_then(|s| s.value().parse().ok()));
            let (Some(premise_type), Some(grid_id)) = (premise_type, grid_id) else {
                error.set(Some(t.pick_type_grid.to_owned()));
                return;
            };
            let premise = Premise {
                id: PremiseId::new(),
                grid_id,
                name,
                premise_type,
                address,
                location: *location,
                responsible_person: person,
                responsible_phone: (!phone.is_empty()).then_some(phone),
                notes,
                active: true,
                version: 1,
            };
            if let Err((field, _)) = validate_premise(&premise) {
                error.set(Some(format!("{}{}", t.check_field, i18n::premise_field(ctx.lang, field))));
                return;
            }
            let body = OpBody::CreatePremise(CreatePremise {
                id: Some(premise.id),
                grid_id,
                name: premise.name.clone(),
                premise_type,
                address: premise.address.clone(),
                location: premise.location,
                responsible_person: premise.responsible_person.clone(),
                responsible_phone: premise.responsible_phone.clone(),
                notes: premise.notes.clone(),
            });
            busy.set(true);
            let (ctx, error, busy) = (ctx.clone(), error.clone(), busy.clone());
            spawn_local(async move {
                let id = premise.id.to_string();
                match ctx.db.commit(body, &[Record::Premise(premise)], None, now()).await {
                    Ok(_) => {
                        ctx.saved.emit(());
                        Route::Premise(id).open();
                    }
                    Err(e) => error.set(Some(format!("{}{}", ctx.t().storage_failed, e.0))),
                }
                busy.set(false);
            });
        })
    };

    let field = |label: &'static str, r: &NodeRef, name: &'static str, kind: &'static str| {
        html! {
            <label class="field"><span>{ label }</span>
                <input ref={r.clone()} type={kind} name={name} /></label>
        }
    };
    html! {
        <form class="card" {onsubmit} novalidate=true data-testid="premise-form">
            <h2>{ t.add_premise }</h2>
            { field(t.premise_name, &refs[0], "name", "text") }
            <label class="field"><span>{ t.premise_type }</span>
                <select ref={kind.clone()} name="premise_type">
                    { for PremiseType::ALL.iter().map(|p| html! {
                        <option value={p.as_str()}>{ i18n::premise_type(ctx.lang, *p) }</option>
                    }) }
                </select>
            </label>
            if own.is_none() {
                <label class="field"><span>{ t.grid }</span>
                    <select ref={grid.clone()} name="grid">
                        { for grids.iter().map(|(id, name)| html! { <option value={id.to_string()}>{ name }</option> }) }
                    </select>
                </label>
            }
            { field(t.address, &refs[1], "address", "text") }
            { field(t.responsible, &refs[2], "responsible_person", "text") }
            { field(t.phone, &refs[3], "responsible_phone", "tel") }
            { field(t.notes, &refs[4], "notes", "text") }
            <button type="button" class="button secondary" onclick={locate} disabled={*locating}>
                { match (*locating, &*location) {
                    (true, _) => t.locating.to_owned(),
                    (false, Some(p)) => format!("📍 {}, {}", fixed(p.lat, 5), fixed(p.lon, 5)),
                    (false, None) => t.take_position.to_owned(),
                } }
            </button>
            if let Some(e) = &*error { <p class="error" role="alert">{ e }</p> }
            <button type="submit" class="button primary" disabled={*busy}>{ t.save }</button>
        </form>
    }
}
