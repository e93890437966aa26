//! The checklist editor: title, and per item its id, question (Chinese, English), category, the
//! compliant answer of a yes/no question, whether a failure registers a hazard, its severity,
//! whether it is usually fixed on the spot and needs a photo; items added, removed and moved.
//! The shared `TemplateContent::validate` checks the copy before the county admin publishes it
//! as a new version.

use super::template_preview;
use crate::ctx::use_ctx;
use crate::i18n;
use crate::office::form::{typed, use_form};
use crate::office::view::send;
use gloo::net::http::Method;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use xunjian_shared::api as paths;
use xunjian_shared::checklist::{AnswerKind, ChecklistItem, HazardCategory, Severity, Template};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub template: Template,
}

/// A change to one item, from an input's value.
type Edit = fn(&mut ChecklistItem, String, bool);

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let content = props.template.content.clone();
    let copy = use_form(move || content);
    let preview = use_state(|| false);
    let message = use_state(|| None::<(bool, String)>);
    let may_publish = ctx.role().can_publish_templates();
    let edit = |i: usize, f: Edit| {
        let copy = copy.clone();
        Callback::from(move |e: Event| {
            let (value, checked) = match e.target_dyn_into::<HtmlSelectElement>() {
                Some(s) => (s.value(), false),
                None => {
                    let input = e.target_unchecked_into::<HtmlInputElement>();
                    (input.value(), input.checked())
                }
            };
            copy.update(|c| {
                if let Some(item) = c.items.get_mut(i) {
                    f(item, value, checked);
                }
            });
        })
    };
    let shift = |i: usize, by: isize| {
        let copy = copy.clone();
        Callback::from(move |_: MouseEvent| {
            copy.update(|c| {
                let j = i as isize + by;
                if by == 0 {
                    c.items.remove(i);
                } else if j >= 0 && (j as usize) < c.items.len() {
                    c.items.swap(i, j as usize);
                }
            });
        })
    };
    let add = {
        let copy = copy.clone();
        Callback::from(move |_: MouseEvent| {
            copy.update(|c| {
                let n = c.items.len() + 1;
                c.items.push(ChecklistItem {
                    id: format!("item-{n}"),
                    text_zh: String::new(),
                    text_en: String::new(),
                    finding_zh: None,
                    finding_en: None,
                    category: HazardCategory::Other,
                    answer: AnswerKind::YesNo { pass_when: true },
                    makes_hazard: true,
                    severity: Severity::General,
                    fixable_on_spot: false,
                    photo_required_on_fail: true,
                    allow_not_applicable: true,
                    optional: false,
                });
            });
        })
    };
    let on_title = {
        let copy = copy.clone();
        Callback::from(move |e: Event| {
            let title = e.target_unchecked_into::<HtmlInputElement>().value();
            copy.update(|c| c.title = title);
        })
    };
    let publish = {
        let (ctx, copy, message) = (ctx.clone(), copy.clone(), message.clone());
        Callback::from(move |_: MouseEvent| {
            let body = copy.get();
            if let Err(why) = body.validate() {
                message.set(Some((false, why)));
                return;
            }
            let (ctx, message) = (ctx.clone(), message.clone());
            spawn_local(async move {
                match send::<_, Template>(&ctx, Method::POST, paths::TEMPLATES, &body).await {
                    Ok(t) => {
                        message.set(Some((true, (ctx.o().published_version)(t.version))));
                        // The phones and this computer get the new version with the next sync.
                        ctx.saved.emit(());
                    }
                    Err(e) => message.set(Some((false, e.message(ctx.lang)))),
                }
            });
        })
    };
    let toggle_preview = {
        let preview = preview.clone();
        Callback::from(move |_: MouseEvent| preview.set(!*preview))
    };
    let c = &copy.get();
    html! {
        <section class="card tight editor" data-testid="template-editor">
            <h3>{ o.editing }{ " " }{ (o.based_on)(props.template.version) }</h3>
            <label class="inline"><span>{ o.title }</span><input type="text" class="wide" value={c.title.clone()} oninput={typed(on_title)} /></label>
            <div class="toolbar">
                <button type="button" class="button secondary small-button" onclick={toggle_preview} data-testid="toggle-preview">
                    { if *preview { o.back_to_edit } else { o.preview } }</button>
                if may_publish {
                    <button type="button" class="button primary small-button" onclick={publish} data-testid="publish-template">{ o.publish_version }</button>
                }
            </div>
            if let Some((ok, text)) = &*message {
                <p class={if *ok { "notice" } else { "notice error" }} role="status" data-testid="template-message">{ text }</p>
            }
            if *preview {
                { template_preview::preview(&ctx, c) }
            } else {
                <div class="table-wrap"><table class="table editor-table">
                    <thead><tr>
                        <th>{ "id" }</th><th>{ o.question_zh }</th><th>{ o.question_en }</th><th>{ o.finding_zh }</th><th>{ ctx.t().category }</th>
                        <th>{ o.pass_when }</th><th>{ o.makes_hazard }</th><th>{ o.col_severity }</th><th>{ ctx.t().fix_on_spot }</th><th>{ "📷" }</th><th>{ o.optional_item }</th><th></th>
                    </tr></thead>
                    <tbody>
                        { for c.items.iter().enumerate().map(|(i, item)| html! {
                            <tr>
                                <td><input type="text" size="10" value={item.id.clone()} oninput={typed(edit(i, |it, v, _| it.id = v))} /></td>
                                <td><input type="text" size="28" value={item.text_zh.clone()} oninput={typed(edit(i, |it, v, _| it.text_zh = v))} /></td>
                                <td><input type="text" size="22" value={item.text_en.clone()} oninput={typed(edit(i, |it, v, _| it.text_en = v))} /></td>
                                <td><input type="text" size="22" value={item.finding_zh.clone().unwrap_or_default()} maxlength="200" data-testid="item-finding"
                                    oninput={typed(edit(i, |it, v, _| it.finding_zh = Some(v).filter(|v| !v.trim().is_empty())))} /></td>
                                <td><select onchange={edit(i, |it, v, _| it.category = HazardCategory::parse(&v).unwrap_or(it.category))}>
                                    { for HazardCategory::ALL.iter().map(|k| html! { <option value={k.as_str()} selected={*k == item.category}>{ i18n::category(ctx.lang, *k) }</option> }) }
                                </select></td>
                                <td>{ match &item.answer {
                                    AnswerKind::YesNo { pass_when } => html! {
                                        <select onchange={edit(i, |it, v, _| it.answer = AnswerKind::YesNo { pass_when: v == "yes" })}>
                                            <option value="yes" selected={*pass_when}>{ ctx.t().yes }</option>
                                            <option value="no" selected={!*pass_when}>{ ctx.t().no }</option>
                                        </select>
                                    },
                                    other => html! { <span class="muted small">{ answer_kind(other) }</span> },
                                } }</td>
                                <td><input type="checkbox" checked={item.makes_hazard} onchange={edit(i, |it, _, on| it.makes_hazard = on)} /></td>
                                <td><select onchange={edit(i, |it, v, _| it.severity = if v == "major" { Severity::Major } else { Severity::General })}>
                                    <option value="general" selected={item.severity == Severity::General}>{ i18n::severity(ctx.lang, Severity::General) }</option>
                                    <option value="major" selected={item.severity == Severity::Major}>{ i18n::severity(ctx.lang, Severity::Major) }</option>
                                </select></td>
                                <td><input type="checkbox" checked={item.fixable_on_spot} onchange={edit(i, |it, _, on| it.fixable_on_spot = on)} /></td>
                                <td><input type="checkbox" checked={item.photo_required_on_fail} onchange={edit(i, |it, _, on| it.photo_required_on_fail = on)} /></td>
                                <td><input type="checkbox" checked={item.optional} onchange={edit(i, |it, _, on| it.optional = on)} data-testid="item-optional" /></td>
                                <td class="row-tools">
                                    <button type="button" onclick={shift(i, -1)} title="↑">{ "↑" }</button>
                                    <button type="button" onclick={shift(i, 1)} title="↓">{ "↓" }</button>
                                    <button type="button" onclick={shift(i, 0)} title="✕">{ "✕" }</button>
                                </td>
                            </tr>
                        }) }
                    </tbody>
                </table></div>
                <button type="button" class="button secondary small-button" onclick={add}>{ o.add_item }</button>
            }
        </section>
    }
}

fn answer_kind(a: &AnswerKind) -> &'static str {
    match a {
        AnswerKind::YesNo { .. } => "yes/no",
        AnswerKind::Number { .. } => "123",
        AnswerKind::Text => "Aa",
        AnswerKind::Photo => "📷",
    }
}
