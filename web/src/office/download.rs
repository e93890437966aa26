//! Files from the server (XLSX, CSV): the API wants the session's token, which a plain link cannot
//! carry, so the button fetches the file and hands it to the browser as a download.

use crate::api::{ApiError, Body};
use crate::ctx::use_ctx;
use gloo::net::http::Method;
use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DownloadProps {
    /// The API path, with `format=`.
    pub path: String,
    /// The name when the server gives none.
    pub filename: AttrValue,
    pub label: AttrValue,
}

#[component]
pub fn DownloadButton(props: &DownloadProps) -> Html {
    let ctx = use_ctx();
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let onclick = {
        let (ctx, busy, error, path, name) =
            (ctx.clone(), busy.clone(), error.clone(), props.path.clone(), props.filename.to_string());
        Callback::from(move |_: MouseEvent| {
            let (ctx, busy, error, path, name) = (ctx.clone(), busy.clone(), error.clone(), path.clone(), name.clone());
            busy.set(true);
            spawn_local(async move {
                match fetch(&ctx, &path, &name).await {
                    Ok(()) => error.set(None),
                    Err(e) => error.set(Some(e.message(ctx.lang))),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <span class="download">
            <button type="button" class="button secondary small-button" {onclick} disabled={*busy}
                data-testid="download" data-path={props.path.clone()}>{ "⬇ " }{ props.label.clone() }</button>
            if let Some(e) = &*error { <span class="error small" role="alert">{ e }</span> }
        </span>
    }
}

async fn fetch(ctx: &crate::ctx::Ctx, path: &str, fallback: &str) -> Result<(), ApiError> {
    let response = ctx.runner.call(Method::GET, path, Body::Empty).await?;
    let status = response.status();
    let mime = response.headers().get("content-type").unwrap_or_else(|| "application/octet-stream".into());
    let name =
        response.headers().get("content-disposition").and_then(|d| filename(&d)).unwrap_or_else(|| fallback.into());
    let bytes = response.binary().await.map_err(|_| ApiError::Unexpected { status })?;
    save(&bytes, &mime, &name).ok_or(ApiError::Unexpected { status })
}

/// `attachment; filename="hazards-140821-2026-05-01.xlsx"` → the name.
fn filename(disposition: &str) -> Option<String> {
    let rest = disposition.split("filename=").nth(1)?;
    let name = rest.split(';').next()?.trim().trim_matches('"');
    (!name.is_empty()).then(|| name.to_owned())
}

fn save(bytes: &[u8], mime: &str, name: &str) -> Option<()> {
    let parts = Array::of1(&Uint8Array::from(bytes).into());
    let opts = BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &opts).ok()?;
    let url = Url::create_object_url_with_blob(&blob).ok()?;
    let doc = web_sys::window()?.document()?;
    let a: HtmlAnchorElement = doc.create_element("a").ok()?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    gloo::timers::callback::Timeout::new(30_000, move || drop(Url::revoke_object_url(&url))).forget();
    Some(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_server_names_the_file() {
        assert_eq!(super::filename("attachment; filename=\"q.xlsx\"").as_deref(), Some("q.xlsx"));
        assert_eq!(super::filename("attachment; filename=r.csv; size=3").as_deref(), Some("r.csv"));
        assert_eq!(super::filename("inline"), None);
    }
}
