//! One checklist item: pass / fail / not applicable (or a number, text or photo by its answer
//! kind), a note and photos, and — when it fails and makes a hazard — 当场改正 with an evidence
//! photo or 限期整改 with a deadline.

use crate::components::photos::{TakePhoto, Thumbs};
use crate::ctx::use_ctx;
use crate::draft::{Draft, Edit, Handling};
use crate::i18n::{self, Texts};
use crate::util::{now, num};
use web_sys::HtmlInputElement;
use xunjian_shared::checklist::{AnswerKind, ChecklistItem, Severity};
use xunjian_shared::inspection::{Answer, AnswerValue};
use xunjian_shared::PhotoRef;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ItemProps {
    pub item: ChecklistItem,
    pub answer: Option<Answer>,
    /// Fails and makes a hazard (by the shared rule).
    pub failed: bool,
    pub handling: Option<Handling>,
    /// Marked after a refused submit.
    pub blocked: bool,
    pub on_edit: Callback<Edit>,
}

fn photo_ref(sha: String) -> Option<PhotoRef> {
    PhotoRef::try_from(sha).ok()
}

#[component]
pub fn ItemRow(props: &ItemProps) -> Html {
    let ctx = use_ctx();
    let t = ctx.t();
    let item = &props.item;
    let id = item.id.clone();
    let answered = props.answer.is_some();
    let value = props.answer.as_ref().map(|a| a.value.clone());
    let edit = |f: fn(String, AnswerValue) -> Edit, v: AnswerValue| {
        let (cb, id) = (props.on_edit.clone(), id.clone());
        Callback::from(move |_: MouseEvent| cb.emit(f(id.clone(), v.clone())))
    };
    let choice = |label: String, v: AnswerValue, tag: &'static str| {
        let on = value.as_ref() == Some(&v);
        html! {
            <button type="button" class={classes!("choice", tag, on.then_some("on"))} data-answer={tag}
                onclick={edit(Edit::Value, v)}>{ label }</button>
        }
    };
    let kind_tag = match &item.answer {
        AnswerKind::YesNo { .. } => "yes_no",
        AnswerKind::Number { .. } => "number",
        AnswerKind::Text => "text",
        AnswerKind::Photo => "photo",
    };
    let text_edit = |number: bool| {
        let (cb, id) = (props.on_edit.clone(), id.clone());
        Callback::from(move |e: InputEvent| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            if !number {
                cb.emit(Edit::Value(id.clone(), AnswerValue::Text(input.value())));
            } else {
                // The browser's own reading of the number field (NaN while empty or unfinished):
                // Rust's float parser and its tables are ~20 kB of WebAssembly.
                let n = input.value_as_number();
                if !n.is_nan() {
                    cb.emit(Edit::Value(id.clone(), AnswerValue::Number(n)));
                }
            }
        })
    };
    let body = match &item.answer {
        AnswerKind::YesNo { pass_when } => {
            let (pass, fail) =
                if *pass_when { (AnswerValue::Yes, AnswerValue::No) } else { (AnswerValue::No, AnswerValue::Yes) };
            let word = |v: &AnswerValue| if *v == AnswerValue::Yes { t.yes } else { t.no };
            html! { <>
                { choice(format!("✓ {} · {}", t.pass, word(&pass)), pass.clone(), "pass") }
                { choice(format!("✗ {} · {}", t.fail, word(&fail)), fail.clone(), "fail") }
            </> }
        }
        AnswerKind::Number { min_ok, max_ok, unit } => {
            let shown = match value {
                Some(AnswerValue::Number(n)) => num(n),
                _ => String::new(),
            };
            let range = match (min_ok, max_ok) {
                (Some(lo), Some(hi)) => format!("{}–{}", num(*lo), num(*hi)),
                (Some(lo), None) => format!("≥ {}", num(*lo)),
                (None, Some(hi)) => format!("≤ {}", num(*hi)),
                (None, None) => String::new(),
            };
            html! { <label class="inline">
                <input type="number" inputmode="decimal" value={shown} oninput={text_edit(true)} data-testid="number"
                    data-min={min_ok.map(num)} data-max={max_ok.map(num)} />
                <span>{ unit.clone().unwrap_or_default() }{ " " }<span class="muted small">{ range }</span></span>
            </label> }
        }
        AnswerKind::Text => {
            let shown = match &value {
                Some(AnswerValue::Text(s)) => s.clone(),
                _ => String::new(),
            };
            html! { <input type="text" class="wide" value={shown} oninput={text_edit(false)} data-testid="text" /> }
        }
        AnswerKind::Photo => html! {},
    };
    let on_photo = {
        let (cb, id) = (props.on_edit.clone(), id.clone());
        Callback::from(move |sha: String| {
            if let Some(p) = photo_ref(sha) {
                cb.emit(Edit::Photo(id.clone(), p));
            }
        })
    };
    let on_note = {
        let (cb, id) = (props.on_edit.clone(), id.clone());
        Callback::from(move |e: InputEvent| {
            cb.emit(Edit::Note(id.clone(), e.target_unchecked_into::<HtmlInputElement>().value()))
        })
    };
    let note = props.answer.as_ref().and_then(|a| a.note.clone()).unwrap_or_default();
    let photos: Vec<String> =
        props.answer.iter().flat_map(|a| a.photos.iter().map(|p| p.as_str().to_owned())).collect();
    let class = classes!("item", props.blocked.then_some("blocked"), props.failed.then_some("failed"));
    html! {
        <li {class} data-item={item.id.clone()} data-kind={kind_tag} data-optional={item.optional.to_string()}>
            <p class="q">{ ctx.lang.pick(&item.text_zh, &item.text_en) }
                if item.severity == Severity::Major { <span class="tag major">{ i18n::severity(ctx.lang, Severity::Major) }</span> }
            </p>
            <div class="choices">
                { body }
                if item.allow_not_applicable { { choice(t.not_applicable.to_owned(), AnswerValue::NotApplicable, "na") } }
            </div>
            if answered {
                <input type="text" class="wide note" placeholder={t.note} value={note} oninput={on_note} />
            }
            <div class="photo-row">
                <TakePhoto label={if matches!(item.answer, AnswerKind::Photo) { t.take_photo } else { t.add_photo }} on_photo={on_photo} testid="answer-photo" />
                <Thumbs shas={photos} />
            </div>
            if props.failed { { handling(props, t) } }
        </li>
    }
}

/// The 当场改正 / 限期整改 choice of a failed item.
fn handling(props: &ItemProps, t: &'static Texts) -> Html {
    let item = &props.item;
    let h = props
        .handling
        .clone()
        .unwrap_or_else(|| Draft::default_handling(&item.id, item.fixable_on_spot, item.severity, now()));
    let set = |on_spot: bool| {
        let (cb, id) = (props.on_edit.clone(), item.id.clone());
        Callback::from(move |_: MouseEvent| cb.emit(Edit::OnSpot(id.clone(), on_spot)))
    };
    let on_evidence = {
        let (cb, id) = (props.on_edit.clone(), item.id.clone());
        Callback::from(move |sha: String| {
            if let Some(p) = photo_ref(sha) {
                cb.emit(Edit::Evidence(id.clone(), p));
            }
        })
    };
    let on_deadline = {
        let (cb, id) = (props.on_edit.clone(), item.id.clone());
        Callback::from(move |e: Event| {
            cb.emit(Edit::Deadline(id.clone(), e.target_unchecked_into::<HtmlInputElement>().value()))
        })
    };
    let evidence: Vec<String> = h.evidence.iter().map(|p| p.as_str().to_owned()).collect();
    html! {
        <div class="handling">
            <div class="choices">
                <button type="button" class={classes!("choice", h.on_spot.then_some("on"))} data-handling="on-spot" onclick={set(true)}>{ t.fix_on_spot }</button>
                <button type="button" class={classes!("choice", (!h.on_spot).then_some("on"))} data-handling="deadline" onclick={set(false)}>{ t.rectify_by }</button>
            </div>
            if h.on_spot {
                <div class="photo-row">
                    <TakePhoto label={t.evidence_photo} on_photo={on_evidence} testid="evidence-photo" />
                    <Thumbs shas={evidence} />
                </div>
            } else {
                <label class="inline"><span>{ t.deadline }</span>
                    <input type="date" value={h.deadline.clone()} onchange={on_deadline} data-testid="deadline" /></label>
            }
        </div>
    }
}
