//! 站所考核 on a check's page (第二十四条): each township of the draw with the points its road
//! station's items were given by the check's form, and, for a drawn inspector before publishing,
//! the form to score them (each item 0 to its points, and what was found).

use crate::ctx::use_ctx;
use crate::office::view::send;
use gloo::net::http::Method;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use xunjian_shared::api as paths;
use xunjian_shared::road::check::CheckDetail;
use xunjian_shared::road::check_form::{ScoreStation, StationScore};
use xunjian_shared::{CheckId, OrgUnitId};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StationScoresProps {
    pub detail: CheckDetail,
    /// The caller scores (the county, online, the check not published).
    pub may_score: bool,
    pub on_done: Callback<()>,
}

#[component]
pub fn StationScores(props: &StationScoresProps) -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let scoring = use_state(|| None::<OrgUnitId>);
    let form = &props.detail.check.form;
    if form.station_items.is_empty() {
        return html! {};
    }
    // The townships of the draw, by name.
    let mut towns: Vec<(String, OrgUnitId)> = Vec::new();
    for seg in &props.detail.check.draw.segments {
        let Some(s) = ctx.world.segments.iter().find(|s| s.value.id.to_string() == *seg) else { continue };
        let t = s.value.township_id;
        if !towns.iter().any(|(_, x)| *x == t) {
            let name = ctx.world.org_units.iter().find(|u| u.value.id == t).map(|u| u.value.name.clone());
            towns.push((name.unwrap_or_default(), t));
        }
    }
    towns.sort();
    let full: u32 = form.station_items.iter().map(|i| i.points).sum();
    let card = |t: OrgUnitId| props.detail.station_scores.iter().find(|c| c.township_id == t);
    let done = towns.iter().filter(|(_, t)| card(*t).is_some()).count();
    html! {
        <>
            <h3 class="section">{ o.station_scores }<span class="count">{ format!("{done} / {}", towns.len()) }</span></h3>
            <div class="table-wrap"><table class="table" data-testid="station-table">
                <thead><tr>
                    <th>{ o.col_township }</th>
                    { for form.station_items.iter().map(|i| html! { <th class="num">{ format!("{}（{}）", i.label, i.points) }</th> }) }
                    <th class="num">{ format!("{}（{full}）", o.station_part) }</th><th>{ o.station_note }</th><th></th>
                </tr></thead>
                <tbody>
                    { for towns.iter().map(|(name, t)| {
                        let c = card(*t);
                        let given = |key: &str| c.and_then(|c| c.items.iter().find(|s| s.key == key)).map(|s| s.points.to_string()).unwrap_or_default();
                        let open = {
                            let (scoring, t) = (scoring.clone(), *t);
                            Callback::from(move |_: MouseEvent| scoring.set(Some(t)))
                        };
                        html! {
                            <tr data-township-id={t.to_string()} data-points={c.map(|c| c.points.to_string()).unwrap_or_default()}>
                                <td>{ name }</td>
                                { for form.station_items.iter().map(|i| html! { <td class="num">{ given(&i.key) }</td> }) }
                                <td class="num"><strong>{ c.map(|c| c.points.to_string()).unwrap_or_default() }</strong></td>
                                <td class="small">{ c.and_then(|c| c.note.clone()).unwrap_or_default() }{ c.map(|c| format!(" · {}", c.scored_by_name)).unwrap_or_default() }</td>
                                <td>if props.may_score {
                                    <button type="button" class="button secondary small-button" onclick={open} data-testid="score-station">{ o.score_station }</button>
                                }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table></div>
            // Keyed by township: opening another township's form starts from its own points.
            if let Some(t) = *scoring {
                <StationForm key={t.to_string()} check={props.detail.check.id} township={t} detail={props.detail.clone()} on_done={
                    let (scoring, on_done) = (scoring.clone(), props.on_done.clone());
                    Callback::from(move |()| { scoring.set(None); on_done.emit(()); })
                } />
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct StationFormProps {
    check: CheckId,
    township: OrgUnitId,
    detail: CheckDetail,
    on_done: Callback<()>,
}

/// The station items of one township, each from 0 to its points (full points to start with, or
/// as scored before).
#[component]
fn StationForm(props: &StationFormProps) -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let form = props.detail.check.form.clone();
    let earlier = props.detail.station_scores.iter().find(|c| c.township_id == props.township).cloned();
    let points = use_state(|| {
        form.station_items
            .iter()
            .map(|i| {
                let before = earlier.as_ref().and_then(|c| c.items.iter().find(|s| s.key == i.key)).map(|s| s.points);
                before.unwrap_or(f64::from(i.points))
            })
            .collect::<Vec<f64>>()
    });
    let note = use_state(|| earlier.as_ref().and_then(|c| c.note.clone()).unwrap_or_default());
    let error = use_state(|| None::<String>);
    let save = {
        let (ctx, points, note, error, on_done) =
            (ctx.clone(), points.clone(), note.clone(), error.clone(), props.on_done.clone());
        let keys: Vec<String> = form.station_items.iter().map(|i| i.key.clone()).collect();
        let path = paths::road_check_station(props.check, props.township);
        Callback::from(move |_: MouseEvent| {
            let items =
                keys.iter().zip(points.iter()).map(|(k, p)| StationScore { key: k.clone(), points: *p }).collect();
            let note = Some(note.trim().to_owned()).filter(|n| !n.is_empty());
            let body = ScoreStation { items, note };
            let (ctx, error, on_done, path) = (ctx.clone(), error.clone(), on_done.clone(), path.clone());
            spawn_local(async move {
                match send::<_, CheckDetail>(&ctx, Method::PUT, &path, &body).await {
                    Ok(_) => on_done.emit(()),
                    Err(e) => error.set(Some(e.message(ctx.lang))),
                }
            });
        })
    };
    let name = ctx.world.org_units.iter().find(|u| u.value.id == props.township).map(|u| u.value.name.clone());
    html! {
        <section class="card tight" data-testid="station-form" data-township-id={props.township.to_string()}>
            <h3>{ o.score_station }{ " · " }{ name.unwrap_or_default() }</h3>
            <div class="rule-grid">
                { for form.station_items.iter().enumerate().map(|(i, item)| {
                    let onchange = {
                        let points = points.clone();
                        Callback::from(move |e: Event| {
                            if let Ok(v) = e.target_unchecked_into::<HtmlInputElement>().value().trim().parse::<f64>() {
                                let mut p = (*points).clone();
                                p[i] = v;
                                points.set(p);
                            }
                        })
                    };
                    html! {
                        <label>{ format!("{}（0–{}）", item.label, item.points) }
                            <input type="number" min="0" max={item.points.to_string()} step="0.5" name={item.key.clone()} value={points[i].to_string()} {onchange} />
                        </label>
                    }
                }) }
            </div>
            <label class="small">{ o.station_note }
                <input type="text" maxlength="500" value={(*note).clone()} data-testid="station-note" onchange={
                    let note = note.clone();
                    Callback::from(move |e: Event| note.set(e.target_unchecked_into::<HtmlInputElement>().value()))
                } />
            </label>
            if let Some(e) = &*error { <p class="error small" role="alert">{ e }</p> }
            <p><button type="button" class="button primary small-button" onclick={save} data-testid="save-station">{ ctx.t().save }</button></p>
        </section>
    }
}
