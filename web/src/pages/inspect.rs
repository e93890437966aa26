//! 检查: the premise type's checklist from the template cached on the phone, answered item by
//! item; the draft is saved as the worker goes, GPS is taken at the start, and submit works with
//! no signal: the inspection and the hazards it registers (ids derived as the server will) are
//! saved on the phone and queued as one `submit_inspection` operation.

use super::inspect_item::ItemRow;
use crate::ctx::use_ctx;
use crate::draft::{Blocker, Draft};
use crate::geo;
use crate::local::inspection_records;
use crate::route::Route;
use crate::util::{fixed, now};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlTextAreaElement;
use xunjian_shared::checklist::failed_items;
use xunjian_shared::hazard::{Hazard, HazardStatus};
use xunjian_shared::sync::{OpBody, Record};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct InspectProps {
    pub premise: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Saving {
    Idle,
    Saved,
    Failed,
}

#[component]
pub fn Inspect(props: &InspectProps) -> Html {
    let ctx = use_ctx();
    let t = ctx.t();
    // The authoritative draft: every edit applies to the latest, then the screen re-renders.
    let draft = use_mut_ref(|| None::<Draft>);
    let shown = use_state(|| 0u32);
    let saving = use_state(|| Saving::Idle);
    let blockers = use_state(Vec::<Blocker>::new);
    // Once saved: the hazards it registered, as the phone keeps them.
    let done = use_state(|| None::<Vec<Hazard>>);
    // While the checklist is being filled the shell hides its tab bar; once saved, or left, back.
    {
        let filling = ctx.filling.clone();
        use_effect_with(done.is_none(), move |open| {
            filling.emit(*open);
            move || filling.emit(false)
        });
    }
    let busy = use_state(|| false);
    let gps = use_state(|| false);
    // The items 其余全部合格 answered, while its undo is offered.
    let passed = use_state(|| None::<Vec<String>>);

    // The checklist version the draft was started on: a sync that brings a newer version must
    // not throw away or reshape a half-filled inspection (the phone keeps every version it pulled, and the
    // server accepts an inspection on the version the phone had).
    let resumed = use_state(|| None::<xunjian_shared::TemplateId>);

    let premise = ctx.world.premise(&props.premise).map(|p| p.value.clone());
    let latest = premise.as_ref().and_then(|p| ctx.world.template_for(p.premise_type)).cloned();
    let template = match *resumed {
        Some(id) => ctx.world.templates.iter().map(|l| &l.value).find(|x| x.id == id).cloned().or(latest.clone()),
        None => latest.clone(),
    };

    // Every change is applied to the latest draft and written to IndexedDB at once; "saved"
    // shows when the write completed.
    let edit = {
        let (db, draft, shown, saving) = (ctx.db.clone(), draft.clone(), shown.clone(), saving.clone());
        let key = Draft::key(&props.premise);
        let items = template.as_ref().map(|t| t.content.items.clone()).unwrap_or_default();
        Callback::from(move |e: crate::draft::Edit| {
            let snapshot = {
                let mut d = draft.borrow_mut();
                let Some(d) = d.as_mut() else { return };
                d.apply(e, &items, now());
                d.clone()
            };
            shown.set(*shown + 1);
            let (db, saving, key) = (db.clone(), saving.clone(), key.clone());
            spawn_local(async move {
                saving.set(if db.put_draft(&key, &snapshot).await.is_ok() { Saving::Saved } else { Saving::Failed });
            });
        })
    };

    // Open the saved draft (or start one), and take the position at the start of the visit.
    {
        let (db, draft, shown, gps, edit, resumed) =
            (ctx.db.clone(), draft.clone(), shown.clone(), gps.clone(), edit.clone(), resumed.clone());
        let key = Draft::key(&props.premise);
        let start = premise.as_ref().zip(latest.as_ref()).map(|(p, t)| (p.id, t.id));
        // The versions of this premise type's checklist on the phone.
        let versions: Vec<xunjian_shared::TemplateId> = latest
            .as_ref()
            .map(|l| {
                let kind = l.content.premise_type;
                ctx.world
                    .templates
                    .iter()
                    .filter(|x| x.value.content.premise_type == kind)
                    .map(|x| x.value.id)
                    .collect()
            })
            .unwrap_or_default();
        use_effect_with(key.clone(), move |_| {
            if let Some((premise_id, template_id)) = start {
                spawn_local(async move {
                    let saved: Option<Draft> = db.draft(&key).await.ok().flatten();
                    let d = saved
                        .filter(|d| versions.contains(&d.template_id))
                        .unwrap_or_else(|| Draft::new(premise_id, template_id, now()));
                    // Pinned: a sync bringing a newer version while the form is open changes nothing.
                    resumed.set(Some(d.template_id));
                    let locate = d.location.is_none();
                    *draft.borrow_mut() = Some(d);
                    shown.set(1);
                    if locate {
                        gps.set(true);
                        if let Ok(p) = geo::position().await {
                            edit.emit(crate::draft::Edit::Location(p));
                        }
                        gps.set(false);
                    }
                });
            }
        });
    }

    let (Some(premise), Some(template)) = (premise, template) else {
        return html! { <p class="muted">{ t.no_template }</p> };
    };
    if let Some(hazards) = &*done {
        // Each hazard by its finding and how it is handled: 当场改正, or 限期整改 to its deadline.
        let handling = |h: &Hazard| match h.state.deadline {
            Some(d) if h.state.status != HazardStatus::Closed => format!("{} {}", t.rectify_by, crate::util::date(d)),
            _ => t.fix_on_spot.to_owned(),
        };
        return html! {
            <section class="card" data-testid="inspection-saved">
                <h2>{ t.inspection_saved }</h2>
                <p>{ t.saved_local_long }</p>
                <p>{ (t.hazards_found)(hazards.len() as u32) }</p>
                <ul class="saved-hazards">{ for hazards.iter().map(|h| html! {
                    <li><a class="button secondary block" href={Route::Hazard(h.id.to_string()).hash()} data-hazard={h.id.to_string()}>
                        <span class="finding">{ &h.description }</span>
                        <span class="small">{ handling(h) }</span>
                    </a></li>
                }) }</ul>
                <a class="button primary block" href={Route::Premise(premise.id.to_string()).hash()}>{ t.back_to_premise }</a>
            </section>
        };
    }
    let Some(current) = draft.borrow().clone() else {
        return html! { <p class="muted">{ t.opening }</p> };
    };

    let on_notes = edit
        .reform(|e: InputEvent| crate::draft::Edit::Notes(e.target_unchecked_into::<HtmlTextAreaElement>().value()));
    let submit = {
        let (ctx, current, template, blockers, done, busy) =
            (ctx.clone(), current.clone(), template.clone(), blockers.clone(), done.clone(), busy.clone());
        Callback::from(move |_: MouseEvent| {
            let at = now();
            let sub = match current.submission(&template, ctx.role(), at) {
                Ok(sub) => sub,
                Err(b) => {
                    // To the first red item, in checklist order, whatever order the checks found them.
                    let first = template.content.items.iter().find(|i| {
                        b.iter().any(|b| matches!(b, Blocker::Answer { item_id } | Blocker::Handling { item_id, .. } if *item_id == i.id))
                    });
                    if let Some(i) = first {
                        scroll_to_item(&i.id);
                    }
                    blockers.set(b);
                    return;
                }
            };
            blockers.set(Vec::new());
            let records = inspection_records(&sub, &template, ctx.me.user.id, ctx.role(), at);
            let hazards: Vec<Hazard> = records
                .iter()
                .filter_map(|r| match r {
                    Record::Hazard(h) => Some(h.clone()),
                    _ => None,
                })
                .collect();
            busy.set(true);
            let (ctx, done, busy) = (ctx.clone(), done.clone(), busy.clone());
            let key = Draft::key(&sub.premise_id.to_string());
            spawn_local(async move {
                match ctx.db.commit(OpBody::SubmitInspection(sub), &records, Some(&key), at).await {
                    Ok(_) => {
                        done.set(Some(hazards));
                        ctx.saved.emit(());
                    }
                    Err(e) => gloo::console::error!("inspection not saved:", e.0),
                }
                busy.set(false);
            });
        })
    };

    let failed: Vec<String> =
        failed_items(&template.content, &current.answers).into_iter().map(|(i, _)| i.id.clone()).collect();
    let blocked = |id: &str| {
        blockers
            .iter()
            .any(|b| matches!(b, Blocker::Answer { item_id } | Blocker::Handling { item_id, .. } if item_id == id))
    };
    let answered = template.content.items.iter().filter(|i| current.answer(&i.id).is_some()).count();
    let rest = current.unanswered_yes_no(&template.content.items);
    let pass_rest = {
        let (edit, passed, rest) = (edit.clone(), passed.clone(), rest.clone());
        let (current, items) = (current.clone(), template.content.items.clone());
        Callback::from(move |_: MouseEvent| {
            edit.emit(crate::draft::Edit::PassAll(rest.clone()));
            passed.set(Some(rest.clone()));
            // To what still needs an answer (the photo, a number…), if anything does.
            let mut after = current.clone();
            after.apply(crate::draft::Edit::PassAll(rest.clone()), &items, now());
            if let Some(i) = after.first_unanswered(&items) {
                scroll_to_item(&i.id);
            }
        })
    };
    let undo_pass = {
        let (edit, passed) = (edit.clone(), passed.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(ids) = (*passed).clone() {
                edit.emit(crate::draft::Edit::Unpass(ids));
            }
            passed.set(None);
        })
    };
    let position = match (&current.location, *gps) {
        (Some(p), _) => {
            format!("📍 {}, {} (±{} m)", fixed(p.lat, 5), fixed(p.lon, 5), fixed(p.accuracy_m.unwrap_or(0.0), 0))
        }
        (None, true) => t.locating.to_owned(),
        (None, false) => t.no_position.to_owned(),
    };
    html! {
        <>
            <section class="card tight">
                // No tab bar under this form (shell.rs): the way back is here. The draft is kept.
                <a class="back-link" href={Route::Premise(premise.id.to_string()).hash()} data-testid="form-back">{ "‹ " }{ t.back_to_premise }</a>
                <h2>{ &premise.name }</h2>
                <p class="small muted">{ &template.content.title }{ format!(" · v{}", template.version) }</p>
                if latest.as_ref().is_some_and(|l| l.version > template.version) {
                    <p class="small" data-testid="older-version">{ (t.older_checklist)(template.version) }</p>
                }
                <p class="small" data-testid="gps">{ position }</p>
            </section>
            <div class="form-progress" data-testid="progress" data-answered={answered.to_string()} data-total={template.content.items.len().to_string()}>
                <strong>{ format!("{answered}/{}", template.content.items.len()) }</strong>
                { match *saving {
                    Saving::Saved => html! { <span class="tag local" data-testid="draft-saved">{ t.draft_saved }</span> },
                    Saving::Failed => html! { <span class="tag error">{ t.storage_failed }</span> },
                    Saving::Idle => html! {},
                } }
                if let Some(ids) = &*passed {
                    <button type="button" class="button secondary small-button" onclick={undo_pass} data-testid="undo-rest-pass">{ (t.undo_rest_pass)(ids.len() as u32) }</button>
                } else if !rest.is_empty() {
                    <button type="button" class="button secondary small-button" onclick={pass_rest} data-testid="rest-pass">{ t.rest_pass }</button>
                }
            </div>
            <ol class="checklist">
                { for template.content.items.iter().map(|item| html! {
                    <ItemRow key={item.id.clone()} item={item.clone()} answer={current.answer(&item.id).cloned()}
                        failed={failed.contains(&item.id)} handling={current.handling(&item.id).cloned()}
                        blocked={blocked(&item.id)} on_edit={edit.clone()} />
                }) }
            </ol>
            <label class="field"><span>{ t.notes }</span>
                <textarea value={current.notes.clone()} oninput={on_notes} rows="2" /></label>
            if !blockers.is_empty() {
                <p class="error" role="alert" data-testid="blockers">{ (t.blockers_n)(blockers.len() as u32) }</p>
            }
            <button type="button" class="button primary block" onclick={submit} disabled={*busy} data-testid="submit-inspection">
                { t.submit_inspection }
            </button>
        </>
    }
}

/// Scrolls the checklist item `id` into view (the first red one, or the next to answer).
fn scroll_to_item(id: &str) {
    let found = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(&format!("li.item[data-item=\"{id}\"]")).ok().flatten());
    if let Some(el) = found {
        el.scroll_into_view();
    }
}
