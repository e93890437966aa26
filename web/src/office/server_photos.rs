//! Thumbnails of photos kept on the server (`GET /api/v1/attachments/{sha}` wants the session's
//! token, so each is fetched and shown from a Blob). A photo taken on this computer is shown from
//! IndexedDB; one that cannot be loaded (server away) is a 📷 tag. Click opens the full size.

use crate::api::Body;
use crate::ctx::use_ctx;
use gloo::net::http::Method;
use js_sys::{Array, Uint8Array};
use std::collections::HashMap;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Blob, BlobPropertyBag, Url};
use xunjian_shared::api as paths;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ServerPhotosProps {
    pub shas: Vec<String>,
}

#[component]
pub fn ServerPhotos(props: &ServerPhotosProps) -> Html {
    let ctx = use_ctx();
    let urls = use_state(HashMap::<String, String>::new);
    {
        let (ctx, urls) = (ctx.clone(), urls.clone());
        use_effect_with(props.shas.clone(), move |shas| {
            let shas = shas.clone();
            spawn_local(async move {
                let mut out = HashMap::new();
                for sha in shas {
                    if let Some(url) = load(&ctx, &sha).await {
                        out.insert(sha, url);
                    }
                }
                urls.set(out);
            });
        });
    }
    {
        let held: Vec<String> = urls.values().cloned().collect();
        use_effect_with(held, |held| {
            let held = held.clone();
            move || held.iter().for_each(|u| drop(Url::revoke_object_url(u)))
        });
    }
    if props.shas.is_empty() {
        return html! {};
    }
    html! {
        <div class="thumbs large" data-testid="photos">
            { for props.shas.iter().map(|sha| match urls.get(sha) {
                Some(url) => html! {
                    <a href={url.clone()} target="_blank" rel="noopener"><img src={url.clone()} alt="" data-sha={sha.clone()} /></a>
                },
                None => html! { <span class="tag" data-sha={sha.clone()}>{ "📷" }</span> },
            }) }
        </div>
    }
}

async fn load(ctx: &crate::ctx::Ctx, sha: &str) -> Option<String> {
    let blob = match ctx.db.photo_blob(sha).await {
        Ok(Some(blob)) => blob,
        _ => {
            let response = ctx.runner.call(Method::GET, &paths::attachment(sha), Body::Empty).await.ok()?;
            let bytes = response.binary().await.ok()?;
            let opts = BlobPropertyBag::new();
            opts.set_type("image/jpeg");
            Blob::new_with_u8_array_sequence_and_options(&Array::of1(&Uint8Array::from(&bytes[..]).into()), &opts)
                .ok()?
        }
    };
    Url::create_object_url_with_blob(&blob).ok()
}
