//! Uploading an office file (the premises ledger, the road register, the workers' files): the
//! picked file read into memory, and the import sent — a real import with row errors answers 422
//! whose `detail` is the report, which comes back here as the report to show.

use crate::api::{ApiError, Body};
use crate::ctx::Ctx;
use gloo::net::http::Method;
use js_sys::Uint8Array;
use serde::de::DeserializeOwned;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A picked file: its name, bytes and content type (CSV by its extension, else XLSX).
pub type Picked = (String, Vec<u8>, String);

/// Reads the file picked in a file input's `change` event.
pub async fn picked(input: HtmlInputElement) -> Option<Picked> {
    let f = input.files().and_then(|l| l.get(0))?;
    let buf = JsFuture::from(f.array_buffer()).await.ok()?;
    let name = f.name();
    let mime = if name.to_lowercase().ends_with(".csv") { "text/csv" } else { XLSX };
    Some((name, Uint8Array::new(&buf).to_vec(), mime.to_owned()))
}

/// What an import answered.
pub enum Sent<R, D> {
    /// 200: a dry run's report, or the import done.
    Done(R),
    /// 422 with the report in `detail`: nothing was written.
    Refused(D),
}

/// Posts the file to an import path (with its query): `R` is the answer, `D` the report a refusal
/// carries.
pub async fn send_import<R: DeserializeOwned, D: DeserializeOwned>(
    ctx: &Ctx,
    path: &str,
    file: &Picked,
) -> Result<Sent<R, D>, ApiError> {
    let (_, bytes, mime) = file;
    match ctx.runner.call(Method::POST, path, Body::Bytes(bytes, mime)).await {
        Ok(r) => crate::api::json_of::<R>(r).await.map(Sent::Done),
        Err(e) => {
            let report = match &e {
                ApiError::Problem { problem, .. } => {
                    problem.detail.as_deref().and_then(|d| serde_json::from_str::<D>(d).ok())
                }
                _ => None,
            };
            report.map(Sent::Refused).ok_or(e)
        }
    }
}
