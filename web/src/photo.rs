//! Photos from the camera: shrunk on the phone to about 1600 px on the long side as JPEG (a
//! 12-megapixel shot would take minutes to upload on 2G), named by the SHA-256 of the JPEG
//! bytes (the server's content address), and kept in IndexedDB until uploaded.

use crate::store::idb::Db;
use js_sys::{Function, Promise, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, CanvasRenderingContext2d, File, HtmlCanvasElement, ImageBitmap};

/// Longest side after resizing.
const LONG_SIDE: f64 = 1600.0;
/// JPEG quality: sharp enough to read a label on an extinguisher.
const QUALITY: f64 = 0.82;

fn js_err(e: JsValue) -> String {
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

/// Resizes, hashes and stores a photo; returns its SHA-256 once it is saved on the phone.
pub async fn keep(db: &Db, file: File) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let bitmap: ImageBitmap = JsFuture::from(window.create_image_bitmap_with_blob(&file).map_err(js_err)?)
        .await
        .map_err(js_err)?
        .unchecked_into();
    let (w, h) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
    let scale = (LONG_SIDE / w.max(h)).min(1.0);
    let (tw, th) = ((w * scale).round().max(1.0), (h * scale).round().max(1.0));
    let canvas: HtmlCanvasElement =
        window.document().ok_or("no document")?.create_element("canvas").map_err(js_err)?.unchecked_into();
    canvas.set_width(tw as u32);
    canvas.set_height(th as u32);
    let ctx: CanvasRenderingContext2d =
        canvas.get_context("2d").map_err(js_err)?.ok_or("no 2d context")?.unchecked_into();
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, tw, th).map_err(js_err)?;
    bitmap.close();
    let blob = to_jpeg(&canvas).await?;
    let bytes = Uint8Array::new(&JsFuture::from(blob.array_buffer()).await.map_err(js_err)?).to_vec();
    let sha = sha256_hex(&bytes).await?;
    db.put_photo(&sha, &blob).await.map_err(|e| e.0)?;
    Ok(sha)
}

async fn to_jpeg(canvas: &HtmlCanvasElement) -> Result<Blob, String> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let done = Closure::once_into_js(move |b: JsValue| {
            let _ = if b.is_null() {
                reject.call1(&JsValue::NULL, &"toBlob".into())
            } else {
                resolve.call1(&JsValue::NULL, &b)
            };
        });
        let _ = canvas.to_blob_with_type_and_encoder_options(done.unchecked_ref(), "image/jpeg", &QUALITY.into());
    });
    Ok(JsFuture::from(promise).await.map_err(js_err)?.unchecked_into())
}

/// SHA-256 in lowercase hex, by the browser's crypto.
pub async fn sha256_hex(bytes: &[u8]) -> Result<String, String> {
    let subtle = web_sys::window().ok_or("no window")?.crypto().map_err(js_err)?.subtle();
    let digest =
        JsFuture::from(subtle.digest_with_str_and_u8_array("SHA-256", bytes).map_err(js_err)?).await.map_err(js_err)?;
    Ok(Uint8Array::new(&digest).to_vec().iter().map(|b| format!("{b:02x}")).collect())
}
