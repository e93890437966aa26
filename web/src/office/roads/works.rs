//! 施工报备 (先报备、再批复、后实施): the township's works filings in the road area — pipes, poles,
//! new accesses, channels — filed here, then approved with conditions or refused with a reason,
//! then completed. Which steps a filing offers is the shared `works_next`.

use super::my_segments;
use crate::api::Body;
use crate::ctx::use_ctx;
use crate::i18n;
use crate::office::form::{typed, use_form};
use crate::office::state::{not_ready, offline_note};
use crate::office::view::use_view;
use crate::util::{date, day, now};
use gloo::net::http::Method;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use xunjian_shared::api as paths;
use xunjian_shared::road::works::{works_next, ActOnWorks, FileWorks, Works, WorksAction, WorksKind};
use yew::prelude::*;

const KINDS: [WorksKind; 5] =
    [WorksKind::Pipe, WorksKind::Pole, WorksKind::Opening, WorksKind::Channel, WorksKind::Other];

#[component]
pub fn WorksPage() -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let view = use_view::<Vec<Works>>(paths::ROAD_WORKS.into());
    let offline = view.load.offline();
    html! {
        <div data-testid="works">
            <h2 class="page-title">{ o.nav_works }</h2>
            { offline_note(&ctx, &view.load) }
            if !offline { <FileForm on_done={view.reload.clone()} /> }
            if let Some(h) = not_ready(&ctx, &view.load) { { h } }
            if let Some(list) = view.load.data() {
                <div class="table-wrap"><table class="table" data-testid="works-table">
                    <thead><tr>
                        <th>{ o.col_segment }</th><th>{ o.works_kind }</th><th>{ o.applicant }</th><th>{ o.works_description }</th>
                        <th>{ o.planned }</th><th>{ o.filed_with }</th><th>{ o.col_status }</th><th>{ o.actions_title }</th>
                    </tr></thead>
                    <tbody>
                        { for list.iter().map(|w| html! {
                            <tr data-status={w.status.as_str()} data-applicant={w.filed.applicant.clone()}>
                                <td>{ ctx.world.segment_label(&w.filed.segment_id) }</td>
                                <td>{ i18n::works_kind(ctx.lang, w.filed.kind) }</td>
                                <td>{ &w.filed.applicant }</td>
                                <td class="wrap">{ &w.filed.description }
                                    if !w.decision_note.is_empty() { <div class="small quote">{ &w.decision_note }</div> }</td>
                                <td>{ w.filed.planned_from.to_string() }{ " – " }{ w.filed.planned_to.to_string() }</td>
                                <td data-testid="works-filed-with" data-unit={w.filed_with.as_str()}>{ w.filed_with.label_zh() }
                                    if !w.approval_ref.is_empty() { <div class="small">{ &w.approval_ref }</div> }</td>
                                <td>{ i18n::works_status(ctx.lang, w.status) }</td>
                                <td>if !offline { <Decide works={w.clone()} on_done={view.reload.clone()} /> }</td>
                            </tr>
                        }) }
                    </tbody>
                </table></div>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct DecideProps {
    works: Works,
    on_done: Callback<()>,
}

/// The next steps of one filing, with the words a decision needs.
#[component]
fn Decide(props: &DecideProps) -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let words = use_state(String::new);
    let approval_ref = use_state(String::new);
    let error = use_state(|| None::<String>);
    let w = &props.works;
    let candidates = [
        WorksAction::Approve { conditions: String::new(), approval_ref: String::new() },
        WorksAction::Refuse { reason: "-".into() },
        WorksAction::Complete,
    ];
    let open: Vec<WorksAction> =
        candidates.into_iter().filter(|a| works_next(w.status, a, ctx.role(), w.filed_with).is_ok()).collect();
    // A filing from the server always has its id.
    let Some(id) = w.filed.id else { return html! {} };
    if open.is_empty() {
        return html! {};
    }
    let act = |a: WorksAction| {
        let (ctx, words, error, on_done) = (ctx.clone(), words.clone(), error.clone(), props.on_done.clone());
        let approval_ref = approval_ref.clone();
        let version = w.version;
        Callback::from(move |_: MouseEvent| {
            let text = words.trim().to_owned();
            let action = match &a {
                WorksAction::Approve { .. } => {
                    WorksAction::Approve { conditions: text, approval_ref: approval_ref.trim().to_owned() }
                }
                WorksAction::Refuse { .. } => WorksAction::Refuse { reason: text },
                WorksAction::Complete => WorksAction::Complete,
            };
            let Ok(json) = serde_json::to_string(&ActOnWorks { action, expected_version: version }) else { return };
            let (ctx, error, on_done) = (ctx.clone(), error.clone(), on_done.clone());
            let path = paths::road_works_actions(id);
            spawn_local(async move {
                match ctx.runner.call(Method::POST, &path, Body::Json(&json)).await {
                    Ok(_) => on_done.emit(()),
                    Err(e) => error.set(Some(e.message(ctx.lang))),
                }
            });
        })
    };
    let on_words = {
        let words = words.clone();
        Callback::from(move |e: InputEvent| words.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_ref = {
        let approval_ref = approval_ref.clone();
        Callback::from(move |e: InputEvent| approval_ref.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    html! {
        <div class="decide">
            if open.iter().any(|a| !matches!(a, WorksAction::Complete)) {
                <input type="text" placeholder={o.conditions_or_reason} value={(*words).clone()} oninput={on_words} data-testid="works-words" />
            }
            if open.iter().any(|a| matches!(a, WorksAction::Approve { .. })) {
                <input type="text" placeholder={o.approval_ref} value={(*approval_ref).clone()} oninput={on_ref} data-testid="works-ref" />
            }
            { for open.into_iter().map(|a| {
                let (label, tag) = match a {
                    WorksAction::Approve { .. } => (o.approve, "approve"),
                    WorksAction::Refuse { .. } => (o.refuse, "refuse"),
                    WorksAction::Complete => (o.complete, "complete"),
                };
                html! { <button type="button" class="button secondary small-button" onclick={act(a)} data-works-action={tag}>{ label }</button> }
            }) }
            if let Some(e) = &*error { <p class="error small">{ e }</p> }
        </div>
    }
}

/// Segment, kind, applicant, description, planned from, planned to.
type Draft = (String, String, String, String, String, String);

fn blank() -> Draft {
    (String::new(), "pipe".to_owned(), String::new(), String::new(), date(now()), date(now()))
}

#[derive(Properties, PartialEq)]
struct FileFormProps {
    on_done: Callback<()>,
}

/// 报备: a new filing on one of the township's segments.
#[component]
fn FileForm(props: &FileFormProps) -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let segments = my_segments(&ctx);
    let form = use_form(blank);
    let error = use_state(|| None::<String>);
    let field = |i: usize| {
        form.field(match i {
            0 => |f: &mut Draft, v, _| f.0 = v,
            1 => |f: &mut Draft, v, _| f.1 = v,
            2 => |f: &mut Draft, v, _| f.2 = v,
            3 => |f: &mut Draft, v, _| f.3 = v,
            4 => |f: &mut Draft, v, _| f.4 = v,
            _ => |f: &mut Draft, v, _| f.5 = v,
        })
    };
    let submit = {
        let (ctx, form, error, on_done) = (ctx.clone(), form.clone(), error.clone(), props.on_done.clone());
        let first = segments.first().map(|s| s.id.to_string()).unwrap_or_default();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = form.get();
            let seg = if f.0.is_empty() { first.clone() } else { f.0.clone() };
            let (Ok(segment_id), Some(from), Some(to)) = (seg.parse(), day(&f.4), day(&f.5)) else {
                error.set(Some(ctx.o().fill_all.to_owned()));
                return;
            };
            let kind = KINDS.into_iter().find(|k| k.as_str() == f.1).unwrap_or(WorksKind::Other);
            let body = FileWorks {
                id: None,
                segment_id,
                kind,
                applicant: f.2.trim().to_owned(),
                description: f.3.trim().to_owned(),
                planned_from: from,
                planned_to: to,
                location: None,
                issue_id: None,
            };
            if let Err((field, why)) = body.validate() {
                error.set(Some(format!("{field}: {why}")));
                return;
            }
            let Ok(json) = serde_json::to_string(&body) else { return };
            let (ctx, error, on_done, form) = (ctx.clone(), error.clone(), on_done.clone(), form.clone());
            spawn_local(async move {
                match ctx.runner.call(Method::POST, paths::ROAD_WORKS, Body::Json(&json)).await {
                    Ok(_) => {
                        error.set(None);
                        form.set(blank());
                        on_done.emit(());
                    }
                    Err(e) => error.set(Some(e.message(ctx.lang))),
                }
            });
        })
    };
    let f = &form.get();
    html! {
        <form class="card tight filters" onsubmit={submit} data-testid="file-works">
            <h3>{ o.file_works }</h3>
            <label>{ o.col_segment }
                <select onchange={field(0)} data-testid="works-segment">
                    { for segments.iter().map(|s| html! { <option value={s.id.to_string()}>{ ctx.world.segment_label(&s.id) }</option> }) }
                </select></label>
            <label>{ o.works_kind }
                <select onchange={field(1)}>
                    { for KINDS.iter().map(|k| html! { <option value={k.as_str()} selected={f.1 == k.as_str()}>{ i18n::works_kind(ctx.lang, *k) }</option> }) }
                </select></label>
            <label>{ o.applicant }<input type="text" value={f.2.clone()} oninput={typed(field(2))} data-testid="works-applicant" /></label>
            <label>{ o.works_description }<input type="text" value={f.3.clone()} oninput={typed(field(3))} data-testid="works-description" /></label>
            <label>{ o.planned }<input type="date" value={f.4.clone()} onchange={field(4)} data-testid="works-from" /></label>
            <label>{ o.to }<input type="date" value={f.5.clone()} onchange={field(5)} data-testid="works-to" /></label>
            <button type="submit" class="button primary small-button" data-testid="works-submit">{ o.file_works }</button>
            if let Some(e) = &*error { <p class="error small">{ e }</p> }
        </form>
    }
}
