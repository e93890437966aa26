//! The browser side of the settings screen: storage used, persistent storage, and the export of
//! unsynced work to a file (the last resort when a phone will not reach the server again).

use crate::store::idb::Db;
use crate::store::SyncStore;
use chrono::{DateTime, Utc};
use js_sys::{Array, Reflect};
use serde::Serialize;
use serde_json::value::RawValue;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, StorageManager, Url};

fn manager() -> Option<StorageManager> {
    let nav = web_sys::window()?.navigator();
    let storage = Reflect::get(&nav, &"storage".into()).ok()?;
    (!storage.is_undefined()).then(|| storage.unchecked_into())
}

/// Bytes used and the quota, as the browser estimates them.
pub async fn estimate() -> Option<(f64, f64)> {
    let est = JsFuture::from(manager()?.estimate().ok()?).await.ok()?;
    let get = |k: &str| Reflect::get(&est, &k.into()).ok().and_then(|v| v.as_f64());
    Some((get("usage")?, get("quota")?))
}

/// Whether the browser promised not to evict the data; `ask` requests it first.
pub async fn persisted(ask: bool) -> Option<bool> {
    let m = manager()?;
    let promise = if ask { m.persist().ok()? } else { m.persisted().ok()? };
    JsFuture::from(promise).await.ok()?.as_bool()
}

/// The export file (`xunjian-unsynced-v1`; fields in alphabetical order, as it always had). The
/// operations and inbox entries go in as stored: the phone never parses them just to write them.
#[derive(Serialize)]
struct Unsynced<'a> {
    device_id: xunjian_shared::ids::DeviceId,
    exported_at: DateTime<Utc>,
    format: &'static str,
    inbox: Vec<&'a RawValue>,
    outbox: Vec<&'a RawValue>,
    /// Forms in progress (an inspection, the patrol being recorded).
    drafts: Vec<&'a RawValue>,
    /// The GPS fixes of the patrol being recorded.
    track: Vec<&'a RawValue>,
    photos: Vec<Photo>,
}

#[derive(Serialize)]
struct Photo {
    jpeg_base64: String,
    sha256: String,
}

/// Writes the outbox, the inbox and the unsent photos (base64) to a JSON file the worker can
/// hand to the township office.
pub async fn export(db: &Db) -> Result<(), String> {
    let outbox = db.json_rows("outbox").await.map_err(|e| e.0)?;
    let inbox = db.json_rows("inbox").await.map_err(|e| e.0)?;
    let drafts = db.json_rows("drafts").await.map_err(|e| e.0)?;
    let track = db.json_rows("track").await.map_err(|e| e.0)?;
    let mut photos = Vec::new();
    for sha in db.pending_photos().await.map_err(|e| e.0)? {
        if let Some(bytes) = db.photo_bytes(&sha).await.map_err(|e| e.0)? {
            let b64 = web_sys::window().ok_or("no window")?.btoa(&latin1(&bytes)).map_err(|_| "btoa")?;
            photos.push(Photo { jpeg_base64: b64, sha256: sha });
        }
    }
    let state = db.sync_state().await.map_err(|e| e.0)?;
    let doc = Unsynced {
        device_id: state.device_id,
        exported_at: crate::util::now(),
        format: "xunjian-unsynced-v2",
        inbox: raw(&inbox)?,
        outbox: raw(&outbox)?,
        drafts: raw(&drafts)?,
        track: raw(&track)?,
        photos,
    };
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    let parts = Array::of1(&text.into());
    let opts = BlobPropertyBag::new();
    opts.set_type("application/json");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(|_| "blob")?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|_| "url")?;
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: HtmlAnchorElement = doc.create_element("a").map_err(|_| "a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(&format!("xunjian-unsynced-{}.json", crate::util::date(crate::util::now())));
    a.click();
    // Revoking at once can cancel the download on some phones; the file is small.
    gloo::timers::callback::Timeout::new(30_000, move || drop(Url::revoke_object_url(&url))).forget();
    Ok(())
}

/// Stored JSON texts, to be written as they are.
fn raw(rows: &[String]) -> Result<Vec<&RawValue>, String> {
    rows.iter().map(|r| serde_json::from_str(r).map_err(|e| e.to_string())).collect()
}

/// Bytes as a "binary string" for btoa.
fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|b| char::from(*b)).collect()
}
