//! A hazard's (or road issue's) full timeline: when, who (name and role, or the scheduler), what
//! (the action in the county's words, status before → after), and what came with it — deadline,
//! receiver, reason or outcome, evidence photos, device time and position, the note.

use super::server_photos::ServerPhotos;
use crate::ctx::Ctx;
use crate::i18n;
use crate::util::{date, date_time, short_time};
use chrono::{DateTime, Utc};
use serde_json::Value;
use xunjian_shared::hazard::{ActionKind, HazardEvent};
use xunjian_shared::Role;
use yew::prelude::*;

/// The timeline (a plain function, not a component).
pub fn timeline(ctx: &Ctx, events: &[HazardEvent]) -> Html {
    let o = ctx.o();
    html! {
        <section>
            <h3 class="section">{ o.timeline }</h3>
            <ol class="timeline" data-testid="timeline">
                { for events.iter().map(|e| {
                    let kind = serde_json::from_value::<ActionKind>(Value::String(e.action.clone())).ok();
                    let what = match kind {
                        Some(k) => i18n::action(ctx.lang, k),
                        None => o.registered_event,
                    };
                    let who = match (&e.actor_name, Role::parse(&e.actor_role)) {
                        (Some(name), Some(role)) => format!("{name}（{}）", i18n::role(ctx.lang, role)),
                        (Some(name), None) => name.clone(),
                        (None, _) => o.system_actor.to_owned(),
                    };
                    let p = &e.payload;
                    let deadline = p.get("deadline").or_else(|| p.get("new_deadline")).and_then(|v| v.as_str())
                        .and_then(|s| s.parse::<DateTime<Utc>>().ok());
                    let words = p.get("reason").or_else(|| p.get("outcome")).and_then(|v| v.as_str()).unwrap_or_default();
                    let to = p.get("to").and_then(|v| v.as_str()).map(|to| if to == "fire_brigade" { o.to_brigade } else { o.to_enforcement });
                    let photos: Vec<String> = p.get("evidence").and_then(|v| v.as_array())
                        .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect()).unwrap_or_default();
                    html! {
                        <li data-action={e.action.clone()} data-to={e.to_status.as_str()}>
                            <div class="when">{ date_time(e.at) }</div>
                            <div class="what">
                                <strong>{ what }</strong>
                                <span class="muted">{ " → " }{ i18n::status(ctx.lang, e.to_status) }</span>
                                <div class="small">{ who }</div>
                                if let Some(d) = deadline { <div class="small">{ ctx.t().deadline }{ " " }{ date(d) }</div> }
                                if let Some(to) = to { <div class="small">{ o.refer_to }{ " " }{ to }</div> }
                                if !words.is_empty() { <div class="small quote">{ words }</div> }
                                if !e.note.is_empty() { <div class="small muted">{ &e.note }</div> }
                                if let Some(at) = e.device_at { <div class="small muted">{ o.device_time }{ short_time(at) }</div> }
                                if let Some(l) = &e.location { <div class="small muted">{ super::position::coords(l) }</div> }
                                <ServerPhotos shas={photos} />
                            </div>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
