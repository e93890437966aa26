//! Taking photos (`capture=environment` opens the back camera on a phone) and showing them from
//! the phone's database.

use crate::ctx::use_ctx;
use crate::photo;
use std::collections::HashMap;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TakePhotoProps {
    pub label: AttrValue,
    /// Gets the SHA-256 of each photo once it is saved on the phone.
    pub on_photo: Callback<String>,
    #[prop_or_default]
    pub testid: AttrValue,
}

#[component]
pub fn TakePhoto(props: &TakePhotoProps) -> Html {
    let ctx = use_ctx();
    let busy = use_state(|| false);
    let failed = use_state(|| false);
    let onchange = {
        let (db, busy, failed, on_photo) = (ctx.db.clone(), busy.clone(), failed.clone(), props.on_photo.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let files: Vec<web_sys::File> = match input.files() {
                Some(list) => (0..list.length()).filter_map(|i| list.get(i)).collect(),
                None => Vec::new(),
            };
            input.set_value("");
            if files.is_empty() {
                return;
            }
            busy.set(true);
            let (db, busy, failed, on_photo) = (db.clone(), busy.clone(), failed.clone(), on_photo.clone());
            spawn_local(async move {
                let mut ok = true;
                for file in files {
                    match photo::keep(&db, file).await {
                        Ok(sha) => on_photo.emit(sha),
                        Err(e) => {
                            gloo::console::error!("photo:", e);
                            ok = false;
                        }
                    }
                }
                failed.set(!ok);
                busy.set(false);
            });
        })
    };
    let t = ctx.t();
    html! {
        <label class={classes!("photo-button", (*busy).then_some("busy"))}>
            <input type="file" accept="image/*" capture="environment" {onchange} data-testid={props.testid.clone()} />
            <span>{ if *busy { t.photo_saving } else { props.label.as_str() } }</span>
            if *failed { <span class="error small">{ t.photo_failed }</span> }
        </label>
    }
}

#[derive(Properties, PartialEq)]
pub struct ThumbsProps {
    pub shas: Vec<String>,
}

/// Small previews of photos kept on the phone (photos only on the server are shown as a tag).
#[component]
pub fn Thumbs(props: &ThumbsProps) -> Html {
    let ctx = use_ctx();
    let urls = use_state(HashMap::<String, String>::new);
    {
        let (db, urls) = (ctx.db.clone(), urls.clone());
        use_effect_with(props.shas.clone(), move |shas| {
            let shas = shas.clone();
            spawn_local(async move {
                let mut out = HashMap::new();
                for sha in shas {
                    if let Ok(Some(blob)) = db.photo_blob(&sha).await {
                        if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
                            out.insert(sha, url);
                        }
                    }
                }
                urls.set(out);
            });
        });
    }
    {
        // Object URLs hold the Blob in memory until revoked.
        let held: Vec<String> = urls.values().cloned().collect();
        use_effect_with(held, |held| {
            let held = held.clone();
            move || held.iter().for_each(|u| drop(web_sys::Url::revoke_object_url(u)))
        });
    }
    if props.shas.is_empty() {
        return html! {};
    }
    html! {
        <div class="thumbs">
            { for props.shas.iter().map(|sha| match urls.get(sha) {
                Some(url) => html! { <img src={url.clone()} alt="" data-sha={sha.clone()} /> },
                None => html! { <span class="tag" data-sha={sha.clone()}>{ "📷" }</span> },
            }) }
        </div>
    }
}
