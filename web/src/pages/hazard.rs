//! One hazard: what, where, its state, and only the actions the shared state machine allows my
//! role now — report rectified, re-check pass (photo) or fail (new deadline), fix on the spot,
//! close. Each is saved on the phone and queued as `act_on_hazard` with the version seen here.
//! Below, the hazard's timeline as last pulled (`hazard_timeline`, kept in the `other` store): who
//! did what and when, the office's decisions included.

use crate::components::photos::{TakePhoto, Thumbs};
use crate::components::saved::SavedBadge;
use crate::ctx::use_ctx;
use crate::i18n;
use crate::local::{acted, my_actions, policy};
use crate::office::timeline::timeline;
use crate::store::place;
use crate::util::{date, end_of_day, now};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use xunjian_shared::checklist::Severity;
use xunjian_shared::hazard::{ActOnHazard, ActionInputs, ActionKind, HazardEvent, HazardTimeline, ReferralTarget};
use xunjian_shared::sync::{OpBody, Record, RecordKind};
use xunjian_shared::PhotoRef;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HazardProps {
    pub id: String,
}

#[component]
pub fn HazardDetail(props: &HazardProps) -> Html {
    let ctx = use_ctx();
    let t = ctx.t();
    let chosen = use_state(|| None::<ActionKind>);
    let photos = use_state(Vec::<PhotoRef>::new);
    let deadline = use_state(|| date(policy().default_deadline(xunjian_shared::checklist::Severity::General, now())));
    let note = use_state(String::new);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let events = use_state(Vec::<HazardEvent>::new);
    {
        // Read again after a save and after a sync round that brought something: the timeline
        // arrives with the pull.
        let (db, events) = (ctx.db.clone(), events.clone());
        use_effect_with((props.id.clone(), ctx.rev, ctx.status.data_rounds), move |(id, _, _)| {
            let key = place(RecordKind::HazardTimeline, id).1;
            spawn_local(async move {
                if let Ok(found) = db.record::<HazardTimeline>("other", &key).await {
                    events.set(found.map(|t| t.events).unwrap_or_default());
                }
            });
        });
    }

    let Some(local) = ctx.hazard(&props.id).cloned() else {
        // Closed hazards are read just after the rest: not found only once they are.
        return html! { <p class="muted">{ if ctx.settled { t.not_found } else { t.opening } }</p> };
    };
    let h = local.value.clone();
    let actions = my_actions(&h.state, ctx.role(), now());

    let pick = |k: ActionKind| {
        let (chosen, photos, error) = (chosen.clone(), photos.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            chosen.set(Some(k));
            photos.set(Vec::new());
            error.set(None);
        })
    };
    let on_photo = {
        let photos = photos.clone();
        Callback::from(move |sha: String| {
            let mut v = (*photos).clone();
            v.extend(PhotoRef::try_from(sha).ok());
            photos.set(v);
        })
    };
    let on_deadline = {
        let deadline = deadline.clone();
        Callback::from(move |e: Event| deadline.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_note = {
        let note = note.clone();
        Callback::from(move |e: InputEvent| note.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let confirm = {
        let (ctx, chosen, photos, deadline, note, error, busy) =
            (ctx.clone(), chosen.clone(), photos.clone(), deadline.clone(), note.clone(), error.clone(), busy.clone());
        let h = h.clone();
        Callback::from(move |_: MouseEvent| {
            let t = ctx.t();
            let Some(kind) = *chosen else { return };
            // A grid worker's actions take photos or a deadline, never words, a receiver or a severity.
            let inputs = ActionInputs {
                evidence: (*photos).clone(),
                deadline: end_of_day(&deadline),
                ..ActionInputs::new(ReferralTarget::Enforcement, Severity::General)
            };
            let action = match kind.with(inputs) {
                Ok(action) => action,
                Err(_) => return error.set(Some(t.pick_deadline.to_owned())),
            };
            let at = now();
            let act = ActOnHazard {
                action,
                expected_version: h.version,
                device_time: Some(at),
                location: None,
                note: note.trim().to_owned(),
            };
            // The same machine the server runs: a refusal here would be a refusal there.
            let next = match acted(&h, &act, ctx.role(), at) {
                Ok(next) => next,
                Err(refusal) => {
                    error.set(Some(i18n::refusal(ctx.lang, refusal).to_owned()));
                    return;
                }
            };
            busy.set(true);
            let (ctx, chosen, error, busy) = (ctx.clone(), chosen.clone(), error.clone(), busy.clone());
            let body = OpBody::ActOnHazard { id: h.id, act };
            spawn_local(async move {
                match ctx.db.commit(body, &[Record::Hazard(next)], None, at).await {
                    Ok(_) => {
                        chosen.set(None);
                        ctx.saved.emit(());
                    }
                    Err(e) => error.set(Some(format!("{}{}", ctx.t().storage_failed, e.0))),
                }
                busy.set(false);
            });
        })
    };

    let photo_shas: Vec<String> = h.photos.iter().map(|p| p.as_str().to_owned()).collect();
    let taken: Vec<String> = photos.iter().map(|p| p.as_str().to_owned()).collect();
    let needs_photo = chosen.is_some_and(ActionKind::takes_photos);
    let needs_deadline = chosen.is_some_and(ActionKind::needs_deadline);
    html! {
        <>
            <section class="card" data-testid="hazard" data-status={h.state.status.as_str()} data-version={h.version.to_string()}>
                <h2>{ ctx.world.premise_name(&h.premise_id) }</h2>
                <p>{ &h.description }</p>
                <p>
                    <span class="tag">{ i18n::status(ctx.lang, h.state.status) }</span>
                    <span class="tag">{ i18n::severity(ctx.lang, h.state.severity) }</span>
                    if let Some(d) = h.state.deadline { <span class="tag">{ t.deadline }{ " " }{ date(d) }</span> }
                    <SavedBadge pending={local.pending()} />
                </p>
                <Thumbs shas={photo_shas} />
            </section>
            if !actions.is_empty() {
                <div class="choices actions">
                    { for actions.iter().map(|k| html! {
                        <button type="button" class={classes!("choice", (*chosen == Some(*k)).then_some("on"))}
                            data-action={format!("{k:?}")} onclick={pick(*k)}>{ i18n::action(ctx.lang, *k) }</button>
                    }) }
                </div>
            }
            if chosen.is_some() {
                <section class="card tight">
                    if needs_photo {
                        <div class="photo-row">
                            <TakePhoto label={t.evidence_photo} on_photo={on_photo} testid="action-photo" />
                            <Thumbs shas={taken} />
                        </div>
                    }
                    if needs_deadline {
                        <label class="inline"><span>{ t.deadline }</span>
                            <input type="date" value={(*deadline).clone()} onchange={on_deadline} data-testid="deadline" /></label>
                    }
                    <input type="text" class="wide" placeholder={t.note} value={(*note).clone()} oninput={on_note} />
                    if let Some(e) = &*error { <p class="error" role="alert">{ e }</p> }
                    <button type="button" class="button primary" onclick={confirm} disabled={*busy} data-testid="confirm-action">{ t.confirm }</button>
                </section>
            }
            if !events.is_empty() { { timeline(&ctx, &events) } }
        </>
    }
}
