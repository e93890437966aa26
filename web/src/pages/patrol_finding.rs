//! A problem found on the road (上报问题), edited in place on the live patrol screen: its category
//! (第六条's list, in the county's words), what is wrong, photos, and where it was reported.

use crate::components::photos::{TakePhoto, Thumbs};
use crate::ctx::Ctx;
use crate::i18n;
use crate::patrol_draft::Edit;
use crate::util::fixed;
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use xunjian_shared::road::issue::{FindingCategory, RoadFinding};
use xunjian_shared::PhotoRef;
use yew::prelude::*;

/// One finding's card (a function, not a component: see `check_row`).
pub struct FindingProps<'a> {
    pub finding: &'a RoadFinding,
    /// The segment, for display.
    pub place: String,
    /// Marked after a refused end (no description).
    pub blocked: bool,
    pub on_edit: &'a Callback<Edit>,
}

pub fn finding_card(ctx: &Ctx, props: FindingProps) -> Html {
    let t = ctx.t();
    let f = props.finding;
    let id = f.id;
    let on_category = props.on_edit.reform(move |e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        Edit::Category(id, FindingCategory::parse(&value).unwrap_or(FindingCategory::Other))
    });
    let on_text = props
        .on_edit
        .reform(move |e: InputEvent| Edit::Description(id, e.target_unchecked_into::<HtmlTextAreaElement>().value()));
    let on_photo = {
        let cb = props.on_edit.clone();
        Callback::from(move |sha: String| {
            if let Ok(p) = PhotoRef::try_from(sha) {
                cb.emit(Edit::FindingPhoto(id, p));
            }
        })
    };
    let remove = props.on_edit.reform(move |_: MouseEvent| Edit::RemoveFinding(id));
    let photos: Vec<String> = f.photos.iter().map(|p| p.as_str().to_owned()).collect();
    let l = &f.location;
    let position =
        format!("📍 {}, {} (±{} m)", fixed(l.lat, 5), fixed(l.lon, 5), fixed(l.accuracy_m.unwrap_or(0.0), 0));
    html! {
        <li class={classes!("item", "finding", props.blocked.then_some("blocked"))} key={id.to_string()} data-finding={id.to_string()}>
            <label class="field"><span>{ t.category }</span>
                <select onchange={on_category} data-testid="finding-category">
                    { for FindingCategory::ALL.iter().map(|c| html! {
                        <option value={c.as_str()} selected={*c == f.category}>{ i18n::finding_category(ctx.lang, *c) }</option>
                    }) }
                </select>
            </label>
            <label class="field"><span>{ t.description }</span>
                <textarea rows="2" value={f.description.clone()} oninput={on_text} data-testid="finding-text" />
            </label>
            <div class="photo-row">
                <TakePhoto label={t.add_photo} {on_photo} testid="finding-photo" />
                <Thumbs shas={photos} />
            </div>
            <p class="small muted">{ position }{ " · " }{ props.place }</p>
            <button type="button" class="button small-button secondary" onclick={remove}>{ t.remove }</button>
        </li>
    }
}
