//! One item of the road checklist (第十五条) on the live patrol screen: 合格 / 不合格, then an
//! optional note and photo. The position of the latest fix goes with the answer.

use crate::components::photos::{TakePhoto, Thumbs};
use crate::ctx::Ctx;
use crate::i18n;
use crate::patrol_draft::{CheckDraft, Edit};
use web_sys::HtmlInputElement;
use xunjian_shared::premise::GeoPoint;
use xunjian_shared::road::checklist::RoadCheckItem;
use xunjian_shared::PhotoRef;
use yew::prelude::*;

/// One item's row. A function, not a component: seven small rows re-render cheaply, and every
/// component costs download size.
pub struct CheckProps<'a> {
    pub item: RoadCheckItem,
    pub check: Option<&'a CheckDraft>,
    /// Marked after a refused end.
    pub blocked: bool,
    /// Where the phone is now.
    pub here: Option<GeoPoint>,
    pub on_edit: &'a Callback<Edit>,
}

/// The item's name on the wire, for tests and styles.
fn tag(item: RoadCheckItem) -> String {
    serde_json::to_string(&item).map(|s| s.trim_matches('"').to_owned()).unwrap_or_default()
}

pub fn check_row(ctx: &Ctx, props: CheckProps) -> Html {
    let t = ctx.t();
    let item = props.item;
    let pass = props.check.and_then(|c| c.pass);
    let choose = |value: bool| {
        let (cb, here) = (props.on_edit.clone(), props.here);
        Callback::from(move |_: MouseEvent| cb.emit(Edit::Pass(item, value, here)))
    };
    let on_note = props
        .on_edit
        .reform(move |e: InputEvent| Edit::CheckNote(item, e.target_unchecked_into::<HtmlInputElement>().value()));
    let on_photo = {
        let cb = props.on_edit.clone();
        Callback::from(move |sha: String| {
            if let Ok(p) = PhotoRef::try_from(sha) {
                cb.emit(Edit::CheckPhoto(item, p));
            }
        })
    };
    let photos: Vec<String> =
        props.check.iter().filter_map(|c| c.photo.as_ref()).map(|p| p.as_str().to_owned()).collect();
    let note = props.check.map(|c| c.note.clone()).unwrap_or_default();
    let class = classes!("item", props.blocked.then_some("blocked"), (pass == Some(false)).then_some("failed"));
    html! {
        <li {class} key={tag(item)} data-check={tag(item)}>
            <p class="q">{ i18n::road_check(ctx.lang, item) }</p>
            <div class="choices">
                <button type="button" class={classes!("choice", "pass", (pass == Some(true)).then_some("on"))}
                    data-answer="pass" onclick={choose(true)}>{ format!("✓ {}", t.pass) }</button>
                <button type="button" class={classes!("choice", "fail", (pass == Some(false)).then_some("on"))}
                    data-answer="fail" onclick={choose(false)}>{ format!("✗ {}", t.fail) }</button>
            </div>
            // Note and photo once answered: seven photo buttons would crowd a small screen.
            if pass.is_some() {
                <input type="text" class="wide note" placeholder={t.note} value={note} oninput={on_note} />
                <div class="photo-row">
                    <TakePhoto label={t.add_photo} {on_photo} testid="check-photo" />
                    <Thumbs shas={photos} />
                </div>
            }
        </li>
    }
}
