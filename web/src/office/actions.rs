//! The actions the server says the caller may take now (`allowed_actions` of a hazard's or a road
//! issue's detail, computed by the shared state machine), each with the form it needs: a deadline
//! (order rectification, re-check failed, send back), a reason or outcome, the receiver of a
//! referral, evidence photos, a new severity. Sent online with the version seen; a refusal shows
//! the server's words. With the server away (the stored copy) nothing can be sent.

use crate::api::Body;
use crate::components::photos::{TakePhoto, Thumbs};
use crate::ctx::use_ctx;
use crate::i18n;
use crate::local::policy;
use crate::util::{date, end_of_day, now};
use gloo::net::http::Method;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use xunjian_shared::checklist::Severity;
use xunjian_shared::hazard::{ActOnHazard, ActionInputs, ActionKind, Missing, ReferralTarget};
use xunjian_shared::PhotoRef;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ActionsProps {
    pub allowed: Vec<ActionKind>,
    pub version: i64,
    pub severity: Severity,
    /// `/hazards/{id}/actions` or `/road-issues/{id}/actions`.
    pub post: String,
    /// A road issue: referrals go to the enforcement team only.
    #[prop_or_default]
    pub road: bool,
    /// Showing the stored copy: read-only.
    pub offline: bool,
    pub on_done: Callback<()>,
}

#[component]
pub fn Actions(props: &ActionsProps) -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let t = ctx.t();
    let chosen = use_state(|| None::<ActionKind>);
    let deadline = use_state(|| date(policy().default_deadline(props.severity, now())));
    let text = use_state(String::new);
    let note = use_state(String::new);
    let target = use_state(|| ReferralTarget::Enforcement);
    let severity = use_state(|| props.severity);
    let photos = use_state(Vec::<PhotoRef>::new);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);

    // Reclassifying is offered only where it changes something; scheduler steps never.
    let kinds: Vec<ActionKind> = props.allowed.iter().copied().filter(|k| *k != ActionKind::MarkOverdue).collect();
    if kinds.is_empty() {
        return html! {};
    }
    if props.offline {
        return html! { <p class="notice" data-testid="read-only">{ o.read_only }</p> };
    }
    let pick = |k: ActionKind| {
        let (chosen, error, photos, text) = (chosen.clone(), error.clone(), photos.clone(), text.clone());
        Callback::from(move |_: MouseEvent| {
            chosen.set(Some(k));
            error.set(None);
            photos.set(Vec::new());
            text.set(String::new());
        })
    };
    let on_note = {
        let note = note.clone();
        Callback::from(move |e: InputEvent| note.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_text = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let on_deadline = {
        let deadline = deadline.clone();
        Callback::from(move |e: Event| deadline.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_target = {
        let target = target.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            target.set(ReferralTarget::parse(&v).unwrap_or(ReferralTarget::Enforcement));
        })
    };
    let on_severity = {
        let severity = severity.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            severity.set(if v == "major" { Severity::Major } else { Severity::General });
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
    let confirm = {
        let (ctx, chosen, deadline, text, note, target, severity, photos, error, busy) = (
            ctx.clone(),
            chosen.clone(),
            deadline.clone(),
            text.clone(),
            note.clone(),
            target.clone(),
            severity.clone(),
            photos.clone(),
            error.clone(),
            busy.clone(),
        );
        let (post, version, on_done) = (props.post.clone(), props.version, props.on_done.clone());
        Callback::from(move |_: MouseEvent| {
            let o = ctx.o();
            let Some(kind) = *chosen else { return };
            let inputs = ActionInputs {
                evidence: (*photos).clone(),
                deadline: end_of_day(&deadline),
                words: (*text).clone(),
                to: *target,
                severity: *severity,
            };
            let action = match kind.with(inputs) {
                Ok(action) => action,
                Err(Missing::Deadline) => return error.set(Some(ctx.t().pick_deadline.to_owned())),
                Err(Missing::Words) => return error.set(Some(o.give_reason.to_owned())),
                Err(Missing::NotByHand) => return,
            };
            let act = ActOnHazard {
                action,
                expected_version: version,
                // Taken at a desk, not on site: no device time or position.
                device_time: None,
                location: None,
                note: note.trim().to_owned(),
            };
            let Ok(json) = serde_json::to_string(&act) else { return };
            busy.set(true);
            let (ctx, chosen, error, busy, post, on_done) =
                (ctx.clone(), chosen.clone(), error.clone(), busy.clone(), post.clone(), on_done.clone());
            spawn_local(async move {
                match ctx.runner.call(Method::POST, &post, Body::Json(&json)).await {
                    Ok(_) => {
                        chosen.set(None);
                        error.set(None);
                        on_done.emit(());
                        // Pull the new state into this computer's copy, and send any photo taken here.
                        ctx.saved.emit(());
                    }
                    Err(e) => error.set(Some(e.message(ctx.lang))),
                }
                busy.set(false);
            });
        })
    };

    let k = *chosen;
    let needs_deadline = k.is_some_and(ActionKind::needs_deadline);
    let needs_text = k.is_some_and(ActionKind::needs_words);
    let needs_photo = k.is_some_and(ActionKind::takes_photos);
    let taken: Vec<String> = photos.iter().map(|p| p.as_str().to_owned()).collect();
    html! {
        <section class="card tight actions-card" data-testid="actions">
            <h3>{ o.actions_title }</h3>
            <div class="choices actions">
                { for kinds.iter().map(|k| html! {
                    <button type="button" class={classes!("choice", (*chosen == Some(*k)).then_some("on"))}
                        data-action={format!("{k:?}")} onclick={pick(*k)}>{ i18n::action(ctx.lang, *k) }</button>
                }) }
            </div>
            if k.is_some() {
                <div class="action-form">
                    if needs_deadline {
                        <label class="inline"><span>{ t.deadline }</span>
                            <input type="date" value={(*deadline).clone()} onchange={on_deadline} data-testid="deadline" /></label>
                    }
                    if k == Some(ActionKind::Refer) {
                        <label class="inline"><span>{ o.refer_to }</span>
                            <select onchange={on_target} data-testid="refer-to">
                                <option value="enforcement" selected={*target == ReferralTarget::Enforcement}>{ o.to_enforcement }</option>
                                if !props.road {
                                    <option value="fire_brigade" selected={*target == ReferralTarget::FireBrigade}>{ o.to_brigade }</option>
                                } else {
                                    // 第八条: vehicles parked on the road, traffic order.
                                    <option value="traffic_police" selected={*target == ReferralTarget::TrafficPolice}>{ o.to_police }</option>
                                }
                            </select></label>
                    }
                    if k == Some(ActionKind::Reclassify) {
                        <label class="inline"><span>{ o.col_severity }</span>
                            <select onchange={on_severity}>
                                <option value="general" selected={*severity == Severity::General}>{ i18n::severity(ctx.lang, Severity::General) }</option>
                                <option value="major" selected={*severity == Severity::Major}>{ i18n::severity(ctx.lang, Severity::Major) }</option>
                            </select></label>
                    }
                    if needs_text {
                        <textarea class="wide" rows="3" placeholder={if k == Some(ActionKind::RecordOutcome) { o.outcome_hint } else { o.reason_hint }}
                            value={(*text).clone()} oninput={on_text} data-testid="action-text" />
                    }
                    if needs_photo {
                        <div class="photo-row">
                            <TakePhoto label={t.evidence_photo} on_photo={on_photo} testid="action-photo" />
                            <Thumbs shas={taken} />
                        </div>
                    }
                    <input type="text" class="wide" placeholder={t.note} value={(*note).clone()} oninput={on_note} />
                    if let Some(e) = &*error { <p class="error" role="alert" data-testid="action-error">{ e }</p> }
                    <button type="button" class="button primary" onclick={confirm} disabled={*busy} data-testid="confirm-action">{ t.confirm }</button>
                </div>
            }
        </section>
    }
}
