//! 考核表 on the checks page: the county's check form of 第二十四条 — the roads' points and the road
//! station's own items (交管站建设, 交管员配备, 养护队伍, 公路法规宣传, 打药灭草 by default), 100 in all.
//! The county edits it (new checks are scored by it, drawn ones keep theirs) or goes back to the
//! default; road stations and township offices read what they are checked by.

use crate::api::Body;
use crate::ctx::use_ctx;
use crate::office::view::use_view;
use gloo::net::http::Method;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use xunjian_shared::api as paths;
use xunjian_shared::road::check_form::{CheckForm, CountyCheckForm, StationItem, MAX_STATION_ITEMS};
use xunjian_shared::Role;
use yew::prelude::*;

/// A key for a new item, unused in the form.
fn new_key(form: &CheckForm) -> String {
    (1..).map(|n| format!("item{n}")).find(|k| !form.station_items.iter().any(|i| i.key == *k)).unwrap_or_default()
}

/// How an input changes the form: its new text applied to a copy.
type Edit = Box<dyn Fn(&mut CheckForm, String)>;

fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

#[component]
pub fn CheckFormCard() -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let view = use_view::<CountyCheckForm>(paths::ROADS_CHECK_FORM.to_owned());
    let edited = use_state(|| None::<CheckForm>);
    let message = use_state(|| None::<(bool, String)>);
    let Some(current) = view.load.data() else { return html! {} };
    let may_set = ctx.role() == Role::CountyAdmin && !view.load.offline();
    let form = (*edited).clone().unwrap_or_else(|| current.form.clone());
    let total = form.road_points + form.station_items.iter().map(|i| i.points).sum::<u32>();
    // Every change goes through here: the edited form replaces the shown one until saved.
    let change = |f: Edit| {
        let (edited, form) = (edited.clone(), form.clone());
        let f = std::rc::Rc::new(f);
        Callback::from(move |e: Event| {
            let mut next = form.clone();
            f(&mut next, input_value(&e));
            edited.set(Some(next));
        })
    };
    let send = |method: Method| {
        let (ctx, message, edited, reload, form) =
            (ctx.clone(), message.clone(), edited.clone(), view.reload.clone(), form.clone());
        Callback::from(move |_: MouseEvent| {
            let json = if method == Method::PUT { serde_json::to_string(&form).ok() } else { None };
            let (ctx, message, edited, reload, method) =
                (ctx.clone(), message.clone(), edited.clone(), reload.clone(), method.clone());
            spawn_local(async move {
                let body = json.as_deref().map_or(Body::Empty, Body::Json);
                match ctx.runner.call(method, paths::ROADS_CHECK_FORM, body).await {
                    Ok(_) => {
                        message.set(Some((true, ctx.o().check_form_saved.to_owned())));
                        edited.set(None);
                        reload.emit(());
                    }
                    Err(e) => message.set(Some((false, e.message(ctx.lang)))),
                }
            });
        })
    };
    let add = {
        let (edited, form) = (edited.clone(), form.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = form.clone();
            let key = new_key(&next);
            next.station_items.push(StationItem { key, label: String::new(), points: 1 });
            edited.set(Some(next));
        })
    };
    let source = if current.county_default {
        o.check_form_default.to_owned()
    } else {
        format!("{} · {}", current.updated_by_name, current.updated_at.map(crate::util::short_time).unwrap_or_default())
    };
    html! {
        <section class="card tight" data-testid="check-form" data-default={current.county_default.to_string()} data-total={total.to_string()}>
            <h3>{ o.check_form }</h3>
            <p class="small muted">{ o.check_form_help }</p>
            <p class="small muted" data-testid="check-form-source">{ source }</p>
            <div class="table-wrap"><table class="table">
                <thead><tr><th>{ o.station_item }</th><th class="num">{ o.item_points }</th><th></th></tr></thead>
                <tbody>
                    <tr data-key="roads">
                        <td>{ o.road_points }</td>
                        <td class="num">if may_set {
                            <input type="number" min="1" max="100" name="road_points" value={form.road_points.to_string()}
                                onchange={change(Box::new(|f, v| f.road_points = v.trim().parse().unwrap_or(f.road_points)))} />
                        } else { { form.road_points } }</td>
                        <td></td>
                    </tr>
                    { for form.station_items.iter().enumerate().map(|(i, item)| html! {
                        <tr data-key={item.key.clone()}>
                            <td>if may_set {
                                <input type="text" maxlength="60" name="label" value={item.label.clone()}
                                    onchange={change(Box::new(move |f, v| f.station_items[i].label = v))} />
                            } else { { &item.label } }</td>
                            <td class="num">if may_set {
                                <input type="number" min="1" max="99" name="points" value={item.points.to_string()}
                                    onchange={change(Box::new(move |f, v| f.station_items[i].points = v.trim().parse().unwrap_or(f.station_items[i].points)))} />
                            } else { { item.points } }</td>
                            <td>if may_set {
                                <button type="button" class="button secondary small-button" data-testid="remove-item" onclick={
                                    let (edited, form) = (edited.clone(), form.clone());
                                    Callback::from(move |_: MouseEvent| {
                                        let mut next = form.clone();
                                        next.station_items.remove(i);
                                        edited.set(Some(next));
                                    })
                                }>{ o.remove_item }</button>
                            }</td>
                        </tr>
                    }) }
                </tbody>
                <tfoot><tr><th>{ o.form_total }</th><th class={classes!("num", (total != 100).then_some("error"))} data-testid="form-total">{ total }</th><th></th></tr></tfoot>
            </table></div>
            if may_set {
                <div class="no-print">
                    if form.station_items.len() < MAX_STATION_ITEMS {
                        <button type="button" class="button secondary small-button" onclick={add} data-testid="add-item">{ o.add_item }</button>
                    }
                    { " " }
                    <button type="button" class="button primary small-button" onclick={send(Method::PUT)} data-testid="save-check-form">{ ctx.t().save }</button>
                    if !current.county_default {
                        { " " }
                        <button type="button" class="button secondary small-button" onclick={send(Method::DELETE)} data-testid="reset-check-form">{ o.check_form_reset }</button>
                    }
                </div>
            }
            if let Some((ok, m)) = &*message {
                <p class={if *ok { "notice" } else { "notice error" }} role="status" data-testid="check-form-message">{ m }</p>
            }
        </section>
    }
}
