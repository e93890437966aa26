//! 交管站登记问题 (第十八条): the road station registers what it found on its own rounds — a
//! segment of its township, the kind, what is wrong, and where (the segment line's middle unless
//! the station gives a point). It then goes through the same procedure as a patrol's finding.

use super::my_segments;
use crate::api::Body;
use crate::ctx::use_ctx;
use crate::i18n;
use crate::office::form::{typed, use_form};
use crate::util::now;
use gloo::net::http::Method;
use wasm_bindgen_futures::spawn_local;
use xunjian_shared::api as paths;
use xunjian_shared::premise::GeoPoint;
use xunjian_shared::road::issue::{FindingCategory, RoadFinding};
use xunjian_shared::RoadIssueId;
use yew::prelude::*;

/// Segment, category, description, latitude, longitude.
type Draft = (String, String, String, String, String);

fn blank() -> Draft {
    (String::new(), FindingCategory::PavementDamage.as_str().to_owned(), String::new(), String::new(), String::new())
}

#[derive(Properties, PartialEq)]
pub struct RegisterIssueProps {
    pub on_done: Callback<()>,
}

#[component]
pub fn RegisterIssue(props: &RegisterIssueProps) -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let segments = my_segments(&ctx);
    let form = use_form(blank);
    let message = use_state(|| None::<(bool, String)>);
    let field = |i: usize| {
        form.field(match i {
            0 => |f: &mut Draft, v, _| f.0 = v,
            1 => |f: &mut Draft, v, _| f.1 = v,
            2 => |f: &mut Draft, v, _| f.2 = v,
            3 => |f: &mut Draft, v, _| f.3 = v,
            _ => |f: &mut Draft, v, _| f.4 = v,
        })
    };
    let submit = {
        let (ctx, form, message, on_done) = (ctx.clone(), form.clone(), message.clone(), props.on_done.clone());
        let segments = segments.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = form.get();
            let seg = segments.iter().find(|s| s.id.to_string() == f.0).or(segments.first());
            let given = match (f.3.trim().parse::<f64>(), f.4.trim().parse::<f64>()) {
                (Ok(lat), Ok(lon)) => Some(GeoPoint { lat, lon, accuracy_m: None }),
                _ => None,
            };
            let middle = seg.and_then(|s| s.polyline.get(s.polyline.len() / 2).copied());
            let (Some(seg), Some(location)) = (seg, given.or(middle)) else {
                message.set(Some((false, ctx.o().fill_all.to_owned())));
                return;
            };
            let body = RoadFinding {
                id: RoadIssueId::new(),
                segment_id: seg.id,
                category: FindingCategory::parse(&f.1).unwrap_or(FindingCategory::Other),
                description: f.2.trim().to_owned(),
                location,
                photos: vec![],
                found_at: now(),
            };
            if let Err((field, why)) = body.validate() {
                message.set(Some((false, format!("{field}: {why}"))));
                return;
            }
            let Ok(json) = serde_json::to_string(&body) else { return };
            let (ctx, message, on_done, form) = (ctx.clone(), message.clone(), on_done.clone(), form.clone());
            spawn_local(async move {
                match ctx.runner.call(Method::POST, paths::ROAD_ISSUES, Body::Json(&json)).await {
                    Ok(_) => {
                        message.set(Some((true, ctx.o().issue_registered.to_owned())));
                        form.set(blank());
                        on_done.emit(());
                    }
                    Err(e) => message.set(Some((false, e.message(ctx.lang)))),
                }
            });
        })
    };
    let f = &form.get();
    html! {
        <form class="card tight filters no-print" onsubmit={submit} data-testid="register-issue">
            <h3>{ o.register_issue }</h3>
            <label>{ o.col_segment }
                <select onchange={field(0)} data-testid="issue-segment">
                    { for segments.iter().map(|s| html! { <option value={s.id.to_string()} selected={f.0 == s.id.to_string()}>{ ctx.world.segment_label(&s.id) }</option> }) }
                </select></label>
            <label>{ o.issue_category }
                <select onchange={field(1)} data-testid="issue-category">
                    { for FindingCategory::ALL.iter().map(|c| html! {
                        <option value={c.as_str()} selected={f.1 == c.as_str()}>{ i18n::finding_category(ctx.lang, *c) }</option>
                    }) }
                </select></label>
            <label>{ o.issue_description }<input type="text" value={f.2.clone()} oninput={typed(field(2))} data-testid="issue-description" /></label>
            <label>{ "纬度 lat" }<input type="text" inputmode="decimal" value={f.3.clone()} oninput={typed(field(3))} /></label>
            <label>{ "经度 lon" }<input type="text" inputmode="decimal" value={f.4.clone()} oninput={typed(field(4))} /></label>
            <button type="submit" class="button primary small-button" data-testid="issue-submit">{ o.register_issue }</button>
            if let Some((ok, m)) = &*message {
                <p class={if *ok { "notice" } else { "error small" }} role="status" data-testid="issue-message">{ m }</p>
            }
        </form>
    }
}
